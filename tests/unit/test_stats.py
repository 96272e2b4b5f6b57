"""Overview statistics: the same figures as the library's queries on data/raw, the
validation status from a report or from the build's CSV files alike, freshness, bounds."""

from __future__ import annotations

import datetime as dt
import os
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from gongkai.errors import StoreError
from gongkai.pipeline.build import build
from gongkai.pipeline.stats import (
    TOP_BUREAUS,
    TOP_CATEGORIES,
    Labels,
    categories,
    compute,
    is_current,
    read_stats,
    stats_path,
    summary_of_csv,
    summary_of_report,
    validation_of_build,
    write_build_stats,
)
from gongkai.query.library import library
from gongkai.query.results import label_rows
from gongkai.query.run import run_query
from gongkai.settings import Settings
from gongkai.store.lifecycle import open_store
from gongkai.validation.inputs import validate_build

FIXED = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("stats") / "build"
    s = Settings(build_dir=out, fixed_time=FIXED)
    result = build(s)
    report = validate_build(result, s)
    write_build_stats(s, report=report)
    return s, report


@pytest.fixture(scope="module")
def lib_rows(built):
    s, _ = built
    store = open_store(s)
    lib = library(s)
    return lambda name: label_rows(run_query(store, lib.get(name), {}))


def test_counts_are_those_of_dataset_statistics(built, lib_rows) -> None:
    s, _ = built
    doc = read_stats(stats_path(s))
    figures = {r["statistic_en"]: int(r["value"]) for r in lib_rows("dataset_statistics")}
    c = doc["counts"]
    assert (c["lists"], c["bureaus"], c["items"]) == (figures["lists"], figures["bureaus"], figures["items"])
    assert (c["citations"], c["resolved_citations"], c["time_limits"]) == (
        figures["citations"], figures["resolved citations"], figures["time limits"])
    assert c["items"] >= 100 and c["lists"] >= 20
    assert doc["triples"] > 5000 and doc["computed_at"].startswith("2026-01-01")


def test_top_sources_are_those_of_sources_by_usage(built, lib_rows) -> None:
    s, _ = built
    doc = read_stats(stats_path(s))
    usage = {r["work"]: (int(r["items"]), int(r["bureaus"])) for r in lib_rows("sources_by_usage")}
    assert doc["counts"]["legal_sources_cited"] == len(usage)
    for src in doc["top_sources"]:
        assert usage[src["work"]] == (src["items"], src["bureaus"]), src["source"]
    regs = [x for x in doc["top_sources"] if x["source"] == "《中华人民共和国政府信息公开条例》" and x["source_en"]]
    assert regs and regs[0]["source_en"].startswith("Regulations")    # English titles from the authority data


def test_categories_and_time_limits_are_those_of_the_library(built, lib_rows) -> None:
    s, _ = built
    doc = read_stats(stats_path(s))
    per_cat: Counter[str] = Counter()
    for r in lib_rows("items_per_category_per_bureau"):
        per_cat[r["category"]] += int(r["items"])
    for cat in doc["categories"]:
        assert per_cat[cat["category"]] == cat["items"], cat
    per_kind: Counter[str] = Counter()
    for r in lib_rows("time_limit_distribution"):
        per_kind[r["kind"]] += int(r["items"])
    assert {k["kind"]: k["items"] for k in doc["time_limit_kinds"]} == dict(per_kind)
    assert any(d["length"] == "20个工作日" and d["length_en"] == "20 working days" for d in doc["time_limits"])


def test_validation_status_from_a_report_or_from_the_csv_files(built) -> None:
    s, report = built
    from_report = summary_of_report(report)
    from_files = summary_of_csv(s.out_dir / "validation.csv", s.out_dir / "completeness.csv")
    assert from_report == from_files
    assert from_report["counts"]["Violation"] == sum(lr.count("Violation") for lr in report.lists)
    assert sum(from_report["status"].values()) == from_report["bureaus_total"] == len(report.bureau_scores())
    worst = from_report["bureaus"][0]
    assert worst["status"] == "violations"
    assert worst["violations"] == max(b["violations"] for b in from_report["bureaus"])
    assert read_stats(stats_path(s))["validation"]["available"]


def test_statistics_go_stale_with_a_new_graph_or_a_new_report(built, tmp_path) -> None:
    s, _ = built
    doc = read_stats(stats_path(s))
    assert is_current(doc, s)
    other = Settings(build_dir=tmp_path, fixed_time=FIXED)
    for f in ("kg.trig", "validation.csv", "completeness.csv"):
        (tmp_path / f).write_bytes((s.out_dir / f).read_bytes())
    assert not is_current(doc, other)                       # another graph file
    write_build_stats(other)                                # reads the validation CSV files
    fresh = read_stats(stats_path(other))
    assert is_current(fresh, other) and fresh["validation"]["available"]
    later = (tmp_path / "kg.trig").stat().st_mtime_ns + 10**9
    os.utime(tmp_path / "validation.csv", ns=(later, later))  # validated again after the statistics
    assert not is_current(fresh, other)
    os.utime(tmp_path / "kg.trig", ns=(later + 10**9, later + 10**9))  # a graph newer than its reports
    assert validation_of_build(other) == {"available": False}


def test_no_graph_no_statistics(tmp_path) -> None:
    with pytest.raises(StoreError, match="gongkai build"):
        write_build_stats(Settings(build_dir=tmp_path))
    assert read_stats(tmp_path / "stats.json") is None


def test_charts_are_bounded_and_totals_kept() -> None:
    labels = Labels(concepts={}, works={})
    rows = [{"org": f"o{b}", "bureau": f"机构{b:05d}", "written": f"类别{c}", "items": str(1 + (b + c) % 3)}
            for b in range(300) for c in range(40)]
    cats, bureaus, cells, n_cats, n_bureaus, n_items = categories(rows, labels)
    assert len(cats) == TOP_CATEGORIES and len(bureaus) == TOP_BUREAUS
    assert (n_cats, n_bureaus, n_items) == (40, 300, sum(int(r["items"]) for r in rows))
    assert {c["bureau"] for c in cells} == {b["bureau"] for b in bureaus}
    per_bureau: dict[str, int] = defaultdict(int)
    for c in cells:
        per_bureau[c["bureau"]] += c["items"]
    assert all(per_bureau[b["bureau"]] == b["items"] for b in bureaus)   # "other" keeps the rest
    assert "" in {c["category"] for c in cells}
    assert bureaus == sorted(bureaus, key=lambda b: (-b["items"], b["bureau"]))


def test_compute_on_an_empty_store(tmp_path) -> None:
    from gongkai.store.embedded import EmbeddedStore

    doc = compute(EmbeddedStore(), Settings(build_dir=tmp_path, fixed_time=FIXED))
    assert doc["counts"]["items"] == 0 and doc["categories"] == [] and doc["top_sources"] == []
    assert doc["counts"]["legal_sources_known"] > 0          # the authority data is there all the same
    assert doc["validation"] == {"available": False}


def test_stats_file_is_written_atomically_and_read_back(built, tmp_path) -> None:
    s, _ = built
    doc = read_stats(stats_path(s))
    assert Path(stats_path(s)).read_text(encoding="utf-8").endswith("}\n")
    assert not list(s.out_dir.glob("stats.json.tmp*"))
    (tmp_path / "stats.json").write_text('{"schema": 0}', encoding="utf-8")
    assert read_stats(tmp_path / "stats.json") is None         # another schema is not ours
    assert doc["schema"] == 1
