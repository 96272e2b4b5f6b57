"""A list imported in the app is validated into the build's reports — the files the 校验 screen
and the overview read — at once; imported again, it replaces its own rows; nothing else of the
reports changes."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest

from gongkai.pipeline.add_list import commit_to_build, prepare, read_upload, reports_current
from gongkai.pipeline.sequence import build_and_publish, validate_into_build
from gongkai.pipeline.stats import is_current, read_stats
from gongkai.settings import Settings
from gongkai.validation.inputs import validate_rdf_file
from gongkai.validation.merge import REPORT_FILES
from gongkai.validation.reports import render_completeness_csv, render_coverage_csv, render_csv, standard_items
from gongkai.validation.run import validate_lists
from listfolders import raw_lists

ROOT = Path(__file__).resolve().parents[2]
XLSX = ROOT / "tests" / "fixtures" / "formats" / "two-sheets-merged.xlsx"
BUILT = ["fengtunzhen-trad.txt", "county-jiaoyu-lyg138.csv"]


def _rows(folder: Path, name: str) -> list[list[str]]:
    with open(folder / name, encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


def _problems(upload, settings: Settings) -> int:
    """The list's own problems (the import form shows the authority data's too)."""
    return len(validate_lists([upload.dl], settings, authorities=False).results)


def _upload(settings: Settings, keep: int | None = None):
    dl = read_upload(XLSX.name, XLSX.read_bytes(), settings)
    if keep is not None:
        dl.items = dl.items[:keep]
    return prepare(dl, settings)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    tmp = tmp_path_factory.mktemp("import-reports")
    settings = Settings(root=ROOT, build_dir=tmp / "build")
    assert build_and_publish(settings, raw_lists(tmp / "lists", BUILT)).published
    return settings


def test_an_imported_list_is_in_every_report_the_validation_screen_reads(built: Settings) -> None:
    out = built.out_dir
    before = {name: _rows(out, name) for name in ("validation.csv", "completeness.csv", "coverage.csv")}
    upload = _upload(built)
    iri = str(upload.graph_name)
    assert upload.problems                                      # the fixture has problems to show
    _, warnings = commit_to_build(built, upload)
    assert warnings == []
    assert reports_current(out / "current")    # the 校验 screen takes them as current

    problems = _rows(out, "validation.csv")
    mine = [r for r in problems if r[1] == iri]
    assert len(mine) == _problems(upload, built) and {r[0] for r in mine} == {"示例县民政局"}
    # what was there is still there, in the same order
    assert [r for r in problems if r[1] != iri] == before["validation.csv"]
    completeness = _rows(out, "completeness.csv")
    assert next(r for r in completeness if r[2] == iri)[:5] == ["清单", "示例县民政局", iri, "2024-03-01", "4"]
    assert any(r[:2] == ["责任单位", "示例县民政局"] for r in completeness)
    coverage = _rows(out, "coverage.csv")
    assert "示例县民政局" in [r[0] for r in coverage] and len(coverage) == len(before["coverage.csv"]) + 1
    doc = json.loads((out / "validation.json").read_text(encoding="utf-8"))
    assert iri in [lr["list"] for lr in doc["lists"]]
    assert sum(doc["counts"].values()) == len(problems) - 1     # the rows, less the header
    # the overview's figures count it too, and are current
    stats = read_stats(out / "stats.json")
    assert stats is not None and is_current(stats, built)
    assert "示例县民政局" in [b["bureau"] for b in stats["validation"]["bureaus"]]


def test_a_list_imported_again_replaces_its_rows(built: Settings) -> None:
    out = built.out_dir
    commit_to_build(built, _upload(built))
    others = [r for r in _rows(out, "validation.csv") if "示例县民政局" not in r[0]]
    smaller = _upload(built, keep=2)
    _, warnings = commit_to_build(built, smaller)
    assert warnings == []
    iri = str(smaller.graph_name)
    mine = [r for r in _rows(out, "validation.csv") if r[1] == iri]
    assert len(mine) == _problems(smaller, built) < _problems(_upload(built), built)
    assert {r[3] for r in mine} <= {"", "1", "2"}              # no row of the items left out
    assert [r for r in _rows(out, "validation.csv") if "示例县民政局" not in r[0]] == others
    rows = [r for r in _rows(out, "completeness.csv") if r[2] == iri]
    assert len(rows) == 1 and rows[0][4] == "2"


def test_merged_reports_read_as_a_full_validation_of_the_store(built: Settings, tmp_path: Path) -> None:
    """The rows an import writes are those a validation of everything in the store writes,
    for a bureau of its own and for a bureau that has a list in the build already (its coverage
    and completeness then count both lists)."""
    commit_to_build(built, _upload(built, keep=3))
    raw = ROOT / "data" / "raw" / BUILT[0]
    again = read_upload(raw.name, raw.read_bytes(), built, bureau="鳳屯鎮人民政府")   # as sources.csv names it
    again.date = dt.date(2030, 1, 1)                                # a later list of a built bureau
    again.items = again.items[::2]
    later = prepare(again, built)
    commit_to_build(built, later)
    rows = _rows(built.out_dir, "completeness.csv")
    bureau = next(r[1] for r in rows if r[2] == str(later.graph_name))
    assert len([r for r in rows if r[1] == bureau and r[2]]) == 2      # the built list and the later one
    # two files naming no bureau: two bureaus of their own, one name (未注明责任单位) in the reports
    # (the second covers fewer standard items than the first: the name's coverage row is both's)
    for name in ("county-jiaoyu-lyg138.csv", "songming-weijian.xlsx"):
        unnamed = ROOT / "data" / "raw" / name
        dl = read_upload(unnamed.name, unnamed.read_bytes(), built)
        assert not dl.bureau_named
        commit_to_build(built, prepare(dl, built))
    assert len([r for r in _rows(built.out_dir, "completeness.csv") if r[1] == "未注明责任单位" and r[2]]) == 2
    out = built.out_dir
    merged = {name: (out / name).read_text(encoding="utf-8-sig") for name in REPORT_FILES}
    validate_into_build(built)                   # everything the store holds, validated anew
    assert (out / "validation.json").read_text(encoding="utf-8") == merged["validation.json"]   # to the byte
    assert (out / "validation.csv").read_text(encoding="utf-8-sig") == merged["validation.csv"]
    assert (out / "completeness.csv").read_text(encoding="utf-8-sig") == merged["completeness.csv"]
    assert (out / "coverage.csv").read_text(encoding="utf-8-sig") == merged["coverage.csv"]
    # and the built graph alone does not have the imported list: the store does
    alone = validate_rdf_file(out / "kg.trig", dataclasses.replace(built, build_dir=tmp_path))
    assert "示例县民政局" not in render_csv(alone)
    assert "示例县民政局" not in render_completeness_csv(alone)
    assert "示例县民政局" not in render_coverage_csv(alone, standard_items(built))


def test_an_import_into_a_build_without_current_reports_leaves_them_to_be_made(tmp_path: Path) -> None:
    settings = Settings(root=ROOT, build_dir=tmp_path / "build")
    build_and_publish(settings, raw_lists(tmp_path / "lists", BUILT[:1]))
    current = settings.out_dir / "current"
    for name in REPORT_FILES:
        (current / name).resolve().unlink()
    commit_to_build(settings, _upload(settings))
    assert not any((current / name).exists() for name in REPORT_FILES)   # no one-bureau report passing for all
    validate_into_build(settings)
    assert "示例县民政局" in {r[0] for r in _rows(settings.out_dir, "validation.csv")}
