"""Batch build: bad files reported one by one, the others built; sources.csv; versions; summary."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import openpyxl
import pytest
from rdflib import Dataset, URIRef
from rdflib.namespace import DCTERMS, ORG, RDF
from rich.console import Console
from typer.testing import CliRunner

from gongkai.cli.build import summary_table
from gongkai.cli.common import app
from gongkai.errors import InputError
from gongkai.ingest import ingest_folder, read_side_car
from gongkai.pipeline.build import build
from gongkai.rdf.mapping import check_unique
from gongkai.reference_data import map_context
from gongkai.settings import Settings
from listfolders import raw_lists

ROOT = Path(__file__).resolve().parents[2]
RAW = ROOT / "data" / "raw"
VERSIONS = ROOT / "tests" / "fixtures" / "versions"
GOOD = ["fengtunzhen-trad.txt", "songming-weijian.xlsx", "county-jiaoyu-lyg138.csv"]


def _xlsx_bytes(rows: list[list[object]]) -> bytes:
    wb = openpyxl.Workbook()
    for r in rows:
        wb.active.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


#: bad file → what its error must say
BAD: dict[str, tuple[bytes, str]] = {
    "photo.xlsx": (b"\x89PNG\r\n\x1a\n" + bytes(200), "the content is a PNG image"),
    "empty.csv": (b"", "the file is empty"),
    "notice.html": (("<!DOCTYPE html><html><head><meta charset='utf-8'><title>通知</title></head>"
                     "<body><p>本页没有表格。</p></body></html>").encode(), "no table in the page"),
    "contacts.xlsx": (_xlsx_bytes([["姓名", "电话"], ["张三", "123"]]), "no sheet has a disclosure-list header"),
    "gbk-labelled-utf8.csv": (b"\xef\xbb\xbf"
                              + "序号,公开事项,公开内容,公开依据\n1,机构信息,职能,《条例》\n".encode("gbk"),
                              "declares UTF-8"),
    "truncated.xlsx": (_xlsx_bytes([["序号", "公开事项", "公开内容"], [1, "机构信息", "职能"]])[:900],
                       "damaged or truncated"),
}


@pytest.fixture()
def mixed(tmp_path) -> Path:
    folder = raw_lists(tmp_path / "lists", GOOD)
    for name, (data, _) in BAD.items():
        (folder / name).write_bytes(data)
    (folder / "README.md").write_text("notes, not a list", encoding="utf-8")
    return folder


def test_each_bad_file_is_reported_by_name_and_the_others_are_built(mixed, tmp_path):
    out = tmp_path / "out"
    result = build(Settings(root=ROOT), mixed, out)
    assert sorted(r.path.name for r in result.files) == sorted([*GOOD, *BAD])   # README.md skipped
    assert sorted(r.path.name for r in result.files if r.ok) == sorted(GOOD)
    errors = {r.path.name: r.error for r in result.failed}
    assert sorted(errors) == sorted(BAD)
    for name, (_, says) in BAD.items():
        assert str(mixed / name) in errors[name]
        assert says in errors[name], errors[name]
    # the good lists are in the outputs, one items.csv row per item
    with open(out / "items.csv", encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == sum(len(dl.items) for dl in result.lists) == 3 + 6 + 8
    ds = Dataset()
    ds.parse(out / "kg.trig", format="trig")
    names = {str(g.identifier) for g in ds.graphs()}
    assert {str(URIRef(n)) for n, _ in result.graphs} <= names


def test_the_command_prints_the_summary_and_exits_1(mixed, tmp_path):
    res = CliRunner().invoke(app, ["build", str(mixed), "--out", str(tmp_path / "out")])
    assert res.exit_code == 1
    out = res.stdout + (res.stderr if res.stderr_bytes is not None else "")
    for name in BAD:
        assert f"failed: {mixed / name}" in " ".join(out.split()) or name in out
    assert "FAILED" in out
    assert "3 lists, 6 failed" in out


def test_a_folder_of_good_files_exits_0(tmp_path):
    res = CliRunner().invoke(app, ["build", str(VERSIONS), "--out", str(tmp_path / "out")])
    assert res.exit_code == 0, res.output
    assert "2 lists, 0 failed" in res.stdout


def test_two_versions_of_a_list_one_organisation_two_dated_graphs(tmp_path):
    result = build(Settings(root=ROOT), VERSIONS, tmp_path / "out")
    assert result.failed == []
    by_date = {str(dl.date): dl for dl in result.lists}
    assert sorted(by_date) == ["2023-03-01", "2024-03-01"]
    assert by_date["2023-03-01"].bureau.name == "示例縣民政局"     # as written
    assert by_date["2024-03-01"].bureau.name == "示例县民政局"
    ds = Dataset()
    ds.parse(tmp_path / "out" / "kg.trig", format="trig")
    lists = {}
    for g in ds.graphs():
        for lst in g.subjects(DCTERMS.date, None):
            lists[str(next(g.objects(lst, DCTERMS.date)))] = (g, lst)
    assert sorted(lists) == ["2023-03-01", "2024-03-01"]
    publishers = set()
    for g, lst in lists.values():
        assert g.identifier == lst                       # one named graph per list
        org = next(g.objects(lst, DCTERMS.publisher))
        publishers.add(org)
        assert (org, RDF.type, ORG.Organization) in g
        parent = next(g.objects(org, ORG.subOrganizationOf))
        assert str(parent).endswith("/org/shilixianrenminzhengfu")
    assert len(publishers) == 1                          # the same organisation in both
    assert str(publishers.pop()).endswith("/org/shilixianminzhengju")
    assert len({str(lst) for _, lst in lists.values()}) == 2


def test_two_files_of_one_bureau_on_one_date_are_refused(tmp_path):
    folder = tmp_path / "dup"
    folder.mkdir()
    shutil.copy(VERSIONS / "shili-minzheng-2024.txt", folder / "a.txt")
    shutil.copy(VERSIONS / "shili-minzheng-2024.txt", folder / "b.txt")
    results = ingest_folder(folder, Settings(root=ROOT), workers=1)
    check_unique(results, map_context(Settings(root=ROOT)))
    assert [r.ok for r in results] == [True, False]
    assert "describes the same list as a.txt" in results[1].error


def test_parallel_and_sequential_reading_agree():
    settings = Settings(root=ROOT)
    seq = ingest_folder(RAW, settings, workers=1)
    par = ingest_folder(RAW, settings, workers=2)
    assert [r.path.name for r in seq] == [r.path.name for r in par]
    assert [len(r.dl.items) for r in seq] == [len(r.dl.items) for r in par]


def test_progress_is_called_once_per_file(mixed):
    seen: list[str] = []
    ingest_folder(mixed, Settings(root=ROOT), progress=lambda r: seen.append(r.path.name), workers=1)
    assert sorted(seen) == sorted([*GOOD, *BAD])


@pytest.mark.parametrize("content, says, row", [
    ("file,bureau,date\n,局,\n", "a row has no file name", 2),
    ("file,bureau,date\na.txt,局,2021.6.16\n", "is not YYYY-MM-DD", 2),
    ("file,bureau,date\na.txt,局,\na.txt,局,\n", "described twice", 3),
])
def test_sources_csv_errors_name_the_row(tmp_path, content, says, row):
    (tmp_path / "sources.csv").write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=says) as e:
        read_side_car(tmp_path)
    assert e.value.row == row and e.value.file.endswith("sources.csv")


def test_summary_reads_at_80_columns(mixed, tmp_path):
    result = build(Settings(root=ROOT), mixed, tmp_path / "out")
    console = Console(width=80, record=True, color_system=None)
    console.print(summary_table(result))
    text = console.export_text()
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= 80
    header = next(line for line in lines if "file" in line and "format" in line)
    for col in ("items", "cites", "limits", "warn"):
        assert col in header
    assert "county-jiaoyu-lyg138.csv" in text and "csv" in text
    assert sum("FAILED" in line for line in lines) == len(BAD)
    assert "3 lists, 6 failed" in text


def test_a_build_at_a_fixed_time_writes_the_same_bytes_twice(tmp_path):
    """The graphs in the order of their names, blank nodes labelled by what they hold: two
    builds of the same lists at the same time give the same kg.trig (rdflib's own graph order
    and blank node labels change from process to process)."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "SOURCE_DATE_EPOCH": "1767225600"}
    for n in (1, 2):
        r = subprocess.run([sys.executable, "-m", "gongkai.cli", "build", str(VERSIONS),
                            "--out", str(tmp_path / f"b{n}")], capture_output=True, text=True, env=env, timeout=300)
        assert r.returncode == 0, r.stderr
    assert (tmp_path / "b1" / "kg.trig").read_bytes() == (tmp_path / "b2" / "kg.trig").read_bytes()
    assert (tmp_path / "b1" / "items.csv").read_bytes() == (tmp_path / "b2" / "items.csv").read_bytes()
