"""The overdue check and the graph lookups behind `gongkai deadline`.

The expected status of every record of tests/fixtures/publications/records.csv was
counted by hand against the State Council's arrangements (国务院办公厅关于2025年/2026年
部分节假日安排的通知), as chinesecalendar 1.11 holds them:

- 2025: 元旦 01-01; 春节 01-28…02-04 off, Sun 01-26 and Sat 02-08 working; 清明 04-04…04-06;
  劳动节 05-01…05-05, Sun 04-27 working; 端午 05-31…06-02; 国庆·中秋 10-01…10-08 off,
  Sun 09-28 and Sat 10-11 working.
- 2026: 元旦 01-01…01-03 off, Sun 01-04 working; 春节 02-15…02-23 off, Sat 02-14 and
  Sat 02-28 working; 劳动节 05-01…05-05, Sat 05-09 working; 端午 06-19…06-21; 中秋
  09-25…09-27; 国庆 10-01…10-07 off, Sun 09-20 and Sat 10-10 working.
- 2027: no arrangement in chinesecalendar 1.11 — Monday to Friday, provisional.

The check is made as of 2026-10-20 (a Tuesday).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, PROV, RDF, RDFS, SKOS, XSD

from gongkai.deadlines.calendar import WorkCalendar
from gongkai.deadlines.catalogue import Catalogue, NotFound, item_due, upcoming, working_days_after
from gongkai.deadlines.overdue import STATUSES, PublicationRecord, check_file, check_records, read_records
from gongkai.deadlines.rdf import check_graph_name, map_check, write_check
from gongkai.errors import InputError
from gongkai.fields.timelimits import parse_time_limit
from gongkai.pipeline.build import build
from gongkai.query.library import library
from gongkai.query.run import run_query
from gongkai.rdf.iris import IRIs
from gongkai.settings import Settings
from gongkai.store.embedded import EmbeddedStore
from gongkai.store.lifecycle import open_store
from gongkai.store.memory import MemoryStore

ROOT = Path(__file__).resolve().parents[2]
FIX = ROOT / "tests" / "fixtures"
RECORDS = FIX / "publications" / "records.csv"
BAD = FIX / "publications" / "bad-records.csv"
ZH_HEADERS = FIX / "publications" / "zh-headers.csv"
ICS_2027 = FIX / "calendars" / "arrangement-2027-hypothetical.ics"
D = dt.date
TODAY = D(2026, 10, 20)
BUREAU = "中卫市云计算和大数据发展局"
OLD_LIST = "https://w3id.org/gongkai/list/zhongweishiyunjisuanhedashujufazhanju/2021-06-16"
NEW_LIST = "https://w3id.org/gongkai/list/zhongweishiyunjisuanhedashujufazhanju/2024-03-01"
GK = "https://w3id.org/gongkai/ontology#"
PS = "https://w3id.org/gongkai/vocab/publication-status/"


def build_graph(folder: Path) -> Path:
    """The original list twice (as published, and a copy dated 2024-03-01 standing for a
    later list of the same bureau), and three fixture lists of other bureaus."""
    raw = folder / "raw"
    raw.mkdir()
    shutil.copy(ROOT / "data" / "raw" / "zhongwei-yunjisuan-2021.txt", raw)
    shutil.copy(ROOT / "data" / "raw" / "zhongwei-yunjisuan-2021.txt", raw / "zhongwei-later.txt")
    for name in ("qinghe-jiaoyu-2023.txt", "anlan-shengtai-2022.txt", "chengxi-shichang-2021.txt"):
        shutil.copy(FIX / "text" / name, raw)
    (raw / "sources.csv").write_text("file,bureau,parent,date,url\nzhongwei-later.txt,,,2024-03-01,\n",
                                     encoding="utf-8")
    out = folder / "build"
    result = build(Settings(root=ROOT, build_dir=out), raw, out)
    assert not result.failed
    return out


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    return build_graph(tmp_path_factory.mktemp("overdue"))


@pytest.fixture(scope="module")
def settings(built) -> Settings:
    return Settings(root=ROOT, build_dir=built)


@pytest.fixture(scope="module")
def catalogue(settings) -> Catalogue:
    return Catalogue(open_store(settings), library(settings))


@pytest.fixture(scope="module")
def report(catalogue):
    return check_file(RECORDS, catalogue, today=TODAY)


# row: (item, status, due date, working days late, calendar days late)
EXPECTED = {
    # item 17, 5 working days after 09-28 (Mon): 09-29, 09-30, 国庆 10-01…10-07 skipped, 10-08, 10-09,
    # Sat 10-10 调休上班 (5) — published on the due date itself
    2: (17, "on-time", D(2026, 10, 10), None, None),
    # item 6, event on 中秋 Fri 09-25: 09-26/27 holiday, 09-28…09-30 (1–3), 10-08 (4), 10-09 (5);
    # published Sat 10-10, a make-up working day: one working day late
    3: (6, "late", D(2026, 10, 9), 1, 1),
    # item 9 across 春节 2026: 02-13 (1), Sat 02-14 调休 (2), 02-15…02-23 off, 02-24, 02-25, 02-26 (5)
    4: (9, "on-time", D(2026, 2, 26), None, None),
    # item 6 across 春节 2025: Sun 01-26 (1), 01-27 (2), 01-28…02-04 off, 02-05…02-07 (3–5);
    # published Mon 02-10: Sat 02-08 调休 (1), 02-10 (2)
    5: (6, "late", D(2025, 2, 7), 2, 3),
    # item 17 across 国庆 2025: Sun 09-28 调休 (1), 09-29, 09-30, 10-01…10-08 off, 10-09, 10-10 (5)
    6: (17, "on-time", D(2025, 10, 10), None, None),
    # item 1, 20 working days in March 2025: 03-04 … 03-31
    7: (1, "on-time", D(2025, 3, 31), None, None),
    # item 2 across 清明 and the 劳动节 make-up Sunday 04-27: 04-02, 04-03, 04-07…04-25 (3–17),
    # Sun 04-27 (18), 04-28, 04-29 (20); never published
    8: (2, "missing", D(2025, 4, 29), None, None),
    # item 13, 20 calendar days after 09-11 = 10-01, a holiday: moved to 10-08 (民法典第二百零三条)
    9: (13, "on-time", D(2026, 10, 8), None, None),
    # item 13: 03-20 + 20 days = Wed 04-09; published Tue 04-15: 04-10, 04-11, 04-14, 04-15
    10: (13, "late", D(2025, 4, 9), 4, 6),
    # item 5, 每年1月31日前: 2025-01-31 is in 春节 and is not moved; published Wed 02-05:
    # 02-01…02-04 holiday, 02-05 (1)
    11: (5, "late", D(2025, 1, 31), 1, 5),
    # item 5: 2026-01-31 (a Saturday, not moved); never published
    12: (5, "missing", D(2026, 1, 31), None, None),
    # item 3: Thu 10-15 → 10-16 (1), 10-19…10-23, 10-26…10-30, 11-02…11-06, 11-09…11-12 (20):
    # not due yet on 10-20
    13: (3, "not-yet-due", D(2026, 11, 12), None, None),
    # item 4: same due date, published early
    14: (4, "on-time", D(2026, 11, 12), None, None),
    # item 7: Mon 01-05 → 01-06 (1) … 01-30 (19), 02-02 (20); published Fri 02-13:
    # 02-03…02-06 (4) and 02-09…02-13 (5)
    15: (7, "late", D(2026, 2, 2), 9, 11),
    # item 8 across 元旦 2026: 12-31 (1), Sun 01-04 调休 (2), 01-05 … 01-27 (19), 01-28 (20);
    # published at 16:30 on the due date
    16: (8, "on-time", D(2026, 1, 28), None, None),
    # item 10 across 春节 2026: 02-09…02-13 (1–5), Sat 02-14 (6), 02-24…02-27 (7–10), Sat 02-28 (11),
    # 03-02…03-06 (12–16), 03-09…03-12 (20); never published
    17: (10, "missing", D(2026, 3, 12), None, None),
    # item 11 across 中秋 and 国庆 2026: 09-15…09-18 (4), Sun 09-20 (5), 09-21…09-24 (9), 09-28…09-30 (12),
    # 10-08, 10-09, Sat 10-10 (15), 10-12…10-16 (20); on 10-20 overdue by 10-19 and 10-20
    18: (11, "missing", D(2026, 10, 16), 2, 4),
    # item 12: same due date (Fri 10-16); published Mon 10-19 — the weekend does not count
    19: (12, "late", D(2026, 10, 16), 1, 3),
    # item 14 after 端午 2025: 06-04 (1) … 06-30 (19), 07-01 (20)
    20: (14, "on-time", D(2025, 7, 1), None, None),
    # item 15 across 国庆 2025: 10-09, 10-10, Sat 10-11 (3), 10-13 … 11-03 (19), 11-04 (20); published 11-05
    21: (15, "late", D(2025, 11, 4), 1, 1),
    # item 16 across 劳动节 2026: 05-06…05-08 (3), Sat 05-09 (4), 05-11 … 05-29 (19), 06-01 (20)
    22: (16, "on-time", D(2026, 6, 1), None, None),
    # item 18 after 端午 2026: 06-22 … 07-17 (20), published on the due date
    23: (18, "on-time", D(2026, 7, 17), None, None),
    # item 5 for an event on 2026-02-01: the next 01-31 is in 2027, provisional; not due yet
    24: (5, "not-yet-due", D(2027, 1, 31), None, None),
}


# --- the fixture, row by row ------------------------------------------------------

def test_records_fixture_has_at_least_twenty_records_and_every_status_expected(report) -> None:
    assert len(report.results) == len(EXPECTED) >= 20
    assert not report.errors
    assert {r.record.row for r in report.results} == set(EXPECTED)


def test_each_record_gets_the_status_counted_by_hand(report) -> None:
    got = {r.record.row: (r.item.number, r.status, r.due.date, r.working_days_late
                          if r.status == "late" or r.record.row == 18 else None,
                          r.calendar_days_late if r.status == "late" or r.record.row == 18 else None)
           for r in report.results}
    assert got == EXPECTED


def test_missing_records_count_the_days_overdue_up_to_the_day_of_the_check(report) -> None:
    by_row = {r.record.row: r for r in report.results}
    assert (by_row[18].working_days_late, by_row[18].calendar_days_late) == (2, 4)
    # 2026-01-31 to 2026-10-20: 262 calendar days; every missing record has a positive count
    assert by_row[12].calendar_days_late == (TODAY - D(2026, 1, 31)).days
    assert all(r.working_days_late and r.working_days_late > 0 for r in report.results if r.status == "missing")
    assert all(r.working_days_late is None for r in report.results if r.status in ("on-time", "not-yet-due"))


def test_summary_counts_and_exit_code(report) -> None:
    assert report.counts() == {"on-time": 10, "late": 7, "missing": 4, "not-yet-due": 2, "no-due-date": 0,
                               "error": 0}
    assert report.exit_code == 1


def test_the_2027_due_date_is_provisional_and_a_calendar_file_settles_it(catalogue) -> None:
    records, _ = read_records(RECORDS)
    row24 = [r for r in records if r.row == 24]
    plain = check_records(row24, catalogue, today=TODAY).results[0]
    assert plain.due.provisional and plain.status == "not-yet-due"
    assert "provisional" in plain.notes
    with_file = check_records(row24, catalogue, today=TODAY, calendar=WorkCalendar.from_file(ICS_2027)).results[0]
    assert not with_file.due.provisional
    assert with_file.due.calendar_source == ICS_2027.name


def test_the_day_of_the_check_decides_missing_against_not_yet_due(catalogue) -> None:
    records, _ = read_records(RECORDS)
    row18 = [r for r in records if r.row == 18]          # due Fri 2026-10-16, not published
    assert check_records(row18, catalogue, today=D(2026, 10, 16)).results[0].status == "not-yet-due"
    late = check_records(row18, catalogue, today=D(2026, 10, 17)).results[0]
    assert (late.status, late.working_days_late, late.calendar_days_late) == ("missing", 0, 1)


def test_a_bureau_name_alone_means_its_latest_list(report) -> None:
    by_row = {r.record.row: r for r in report.results}
    assert by_row[6].item.list.iri == NEW_LIST and by_row[22].item.list.iri == NEW_LIST
    assert by_row[2].item.list.iri == OLD_LIST and by_row[3].item.list.iri == OLD_LIST


def test_working_days_after_counts_make_up_days_and_skips_rest_days() -> None:
    cal = WorkCalendar()
    assert working_days_after(D(2026, 10, 16), D(2026, 10, 18), cal) == 0   # Fri → Sun
    assert working_days_after(D(2026, 10, 9), D(2026, 10, 10), cal) == 1    # Fri → Sat 调休上班
    assert working_days_after(D(2025, 1, 31), D(2025, 2, 5), cal) == 1      # 春节 days not counted
    assert working_days_after(D(2026, 10, 10), D(2026, 10, 10), cal) == 0
    assert working_days_after(D(2026, 10, 12), D(2026, 10, 9), cal) == 0


def test_published_on_a_rest_day_after_the_due_date_is_late_by_zero_working_days(catalogue) -> None:
    # item 12, event 2026-09-14: due Fri 2026-10-16; published Sun 10-18
    rec = PublicationRecord(row=2, list_text=OLD_LIST, item=12, event=D(2026, 9, 14), published=D(2026, 10, 18))
    r = check_records([rec], catalogue, today=TODAY).results[0]
    assert (r.status, r.working_days_late, r.calendar_days_late) == ("late", 0, 2)


def test_a_limit_without_a_date_cannot_be_judged(catalogue, tmp_path) -> None:
    f = tmp_path / "immediate.csv"
    f.write_text("list,item,event_date,published_date,url\n"
                 "安澜市生态环境局,6,2026-03-02,2026-03-20,\n", encoding="utf-8")
    rep = check_file(f, catalogue, today=TODAY)
    (r,) = rep.results
    assert r.status == "no-due-date" and r.due.reason == "immediate"
    assert rep.exit_code == 0
    assert "实时公开" in rep.text("zh")


def test_publication_before_the_event_is_flagged(catalogue) -> None:
    rec = PublicationRecord(row=5, list_text=OLD_LIST, item=17, event=D(2026, 9, 28), published=D(2026, 9, 20))
    r = check_records([rec], catalogue, today=TODAY).results[0]
    assert r.status == "on-time" and "before-event" in r.notes
    assert "published before the event date" in check_records([rec], catalogue, today=TODAY).text("en")


# --- errors of single rows ------------------------------------------------------------

def test_bad_rows_are_errors_naming_row_and_cell_and_the_good_row_is_still_checked(catalogue) -> None:
    rep = check_file(BAD, catalogue, today=TODAY)
    assert [r.record.row for r in rep.results] == [2]
    assert rep.results[0].status == "on-time"
    errors = {e.row: e for e in rep.errors}
    assert sorted(errors) == [3, 4, 5, 6, 7, 8]
    assert errors[3].cell == "list" and "did you mean 中卫市云计算和大数据发展局" in str(errors[3])
    assert errors[4].cell == "item" and "no item 99" in str(errors[4])
    assert errors[5].cell == "event_date" and "2026-09-31" in str(errors[5])
    assert errors[6].cell == "published_date" and "下周" in str(errors[6])
    assert errors[7].cell == "list" and "no list dated 2019-01-01" in str(errors[7]) and "2021-06-16" in str(errors[7])
    assert errors[8].cell == "item"
    assert all(str(e).startswith(str(BAD)) for e in rep.errors)
    assert rep.exit_code == 2
    assert rep.counts()["error"] == 6
    text = rep.text("en")
    assert "row 4, cell item" in text and "errors 6" in text


def test_an_item_without_a_time_limit_is_an_error_of_its_row(catalogue, tmp_path) -> None:
    f = tmp_path / "no-limit.csv"
    f.write_text("list,item,event_date,published_date,url\n澄溪县市场监督管理局,9,2026-03-02,,\n", encoding="utf-8")
    rep = check_file(f, catalogue, today=TODAY)
    assert not rep.results
    assert rep.errors[0].row == 2 and "has no time limit" in str(rep.errors[0])


def test_chinese_headers_separate_bureau_and_list_date_columns(catalogue) -> None:
    rep = check_file(ZH_HEADERS, catalogue, today=TODAY)
    assert not rep.errors
    r2, r3 = sorted(rep.results, key=lambda r: r.record.row)
    # 2026年9月28日 → due Sat 10-10; published 2026/10/12: Sun 10-11 rest, Mon 10-12 (1)
    assert (r2.item.list.iri, r2.due.date, r2.status, r2.working_days_late) == (OLD_LIST, D(2026, 10, 10), "late", 1)
    # empty list date: the latest list; 2026.9.11 + 20 days → 10-01 → 10-08; missing on 10-20
    assert (r3.item.list.iri, r3.item.number, r3.due.date, r3.status) == (NEW_LIST, 13, D(2026, 10, 8), "missing")


def test_a_file_without_the_needed_columns_is_an_error_of_the_file(tmp_path) -> None:
    f = tmp_path / "cols.csv"
    f.write_text("list,number,published\nx,1,2026-01-01\n", encoding="utf-8")
    with pytest.raises(InputError) as e:
        read_records(f)
    assert e.value.row == 1 and "event_date" in str(e.value)


def test_a_gb18030_file_is_read(tmp_path) -> None:
    f = tmp_path / "gbk.csv"
    f.write_bytes("清单,序号,事件日期,公开日期\n中卫市云计算和大数据发展局,17,2026-09-28,2026-10-10\n"
                  .encode("gb18030"))
    records, errors = read_records(f)
    assert not errors
    assert (records[0].list_text, records[0].item, records[0].published) == (BUREAU, 17, D(2026, 10, 10))


def test_a_publication_time_without_zone_is_china_time() -> None:
    records, _ = read_records(RECORDS)
    r16 = next(r for r in records if r.row == 16)
    assert r16.published == D(2026, 1, 28)
    assert r16.published_at is not None and r16.published_at.isoformat() == "2026-01-28T16:30:00+08:00"


# --- renderings ----------------------------------------------------------------

def test_text_report_groups_by_list_then_item(report) -> None:
    text = report.text("zh")
    lines = text.splitlines()
    assert lines[0] == f"{BUREAU} 2021-06-16"
    assert f"{BUREAU} 2024-03-01" in lines
    i17 = next(i for i, ln in enumerate(lines) if ln.strip().startswith("17 回应关切"))
    assert "第2行" in lines[i17 + 1] and "按时公开" in lines[i17 + 1]
    assert "例外：法律、法规对政府信息公开期限另有规定的" in text
    assert "逾期1个工作日（3天）" in text and "2027-01-31（暂定）" in text
    assert lines[-1] == "records.csv：23条记录，截至2026-10-20 — 按时公开 10，逾期公开 7，逾期未公开 4，尚未到期 2"
    en = report.text("en")
    assert "late by 9 working days (11 calendar days)" in en and "missing: overdue by 2 working days" in en


def test_json_and_csv_reports(report) -> None:
    data = json.loads(report.json("en"))
    assert data["as_of"] == "2026-10-20" and data["counts"]["late"] == 7
    row3 = next(r for r in data["records"] if r["row"] == 3)
    assert (row3["status"], row3["due_date"], row3["working_days_late"]) == ("late", "2026-10-09", 1)
    rows = list(csv.DictReader(io.StringIO(report.csv("zh"))))
    assert len(rows) == 23
    assert {r["status"] for r in rows} == {"on-time", "late", "missing", "not-yet-due"}
    r24 = next(r for r in rows if r["row"] == "24")
    assert (r24["provisional"], r24["status_label"]) == ("true", "尚未到期")


# --- the graph --------------------------------------------------------------------

def test_check_graph_holds_one_prov_activity_per_record(report) -> None:
    iris = IRIs()
    name, g = map_check(report, iris)
    assert name == URIRef("https://w3id.org/gongkai/checks/records") == check_graph_name(iris, RECORDS)
    assert (name, RDF.type, URIRef(GK + "PublicationCheck")) in g
    assert (name, URIRef(GK + "asOf"), Literal("2026-10-20", datatype=XSD.date)) in g
    pubs = set(g.subjects(RDF.type, URIRef(GK + "Publication")))
    assert len(pubs) == 23
    p3 = URIRef(f"{name}/record/3")
    assert (p3, PROV.used, URIRef(f"{OLD_LIST}/item/6")) in g
    assert (p3, URIRef(GK + "publicationStatus"), URIRef(PS + "late")) in g
    assert (p3, URIRef(GK + "workingDaysLate"), Literal(1, datatype=XSD.nonNegativeInteger)) in g
    assert (p3, URIRef(GK + "dueDate"), Literal("2026-10-09", datatype=XSD.date)) in g
    assert (p3, FOAF.page, URIRef("https://example.org/zhongwei/2026/rules-0925.html")) in g
    assert (p3, DCTERMS.isPartOf, name) in g
    p16 = URIRef(f"{name}/record/16")
    assert (p16, PROV.endedAtTime, Literal("2026-01-28T16:30:00+08:00", datatype=XSD.dateTime)) in g
    p8 = URIRef(f"{name}/record/8")
    assert not list(g.objects(p8, URIRef(GK + "publishedOn"))) and not list(g.objects(p8, PROV.endedAtTime))
    p24 = URIRef(f"{name}/record/24")
    assert (p24, URIRef(GK + "provisionalDueDate"), Literal(True)) in g


def test_every_term_of_the_check_graph_is_declared_and_labelled(report) -> None:
    _, g = map_check(report, IRIs())
    onto = Graph().parse(ROOT / "ontology" / "gongkai.ttl")
    vocab = Graph().parse(ROOT / "ontology" / "vocab" / "publication-status.ttl")
    used = set(g.predicates()) | set(g.objects(None, RDF.type))
    own = {t for t in used if str(t).startswith(GK)}
    assert own >= {URIRef(GK + n) for n in ("Publication", "PublicationCheck", "eventDate", "dueDate",
                                            "publicationStatus", "workingDaysLate")}
    for term in own:
        assert {lab.language for lab in onto.objects(term, RDFS.label)} >= {"zh", "en"}, term
        assert {c.language for c in onto.objects(term, RDFS.comment)} >= {"zh", "en"}, term
    for status in STATUSES:
        concept = URIRef(PS + status)
        assert {lab.language for lab in vocab.objects(concept, SKOS.prefLabel)} == {"zh", "en"}, status
        assert {c.language for c in vocab.objects(concept, RDFS.comment)} == {"zh", "en"}, status


def test_the_check_loads_with_the_rest_and_the_library_query_lists_late_and_missing(report, built, settings,
                                                                                     tmp_path) -> None:
    out = tmp_path / "check.trig"
    name = write_check(out, report, IRIs())
    ds = Dataset().parse(out, format="trig")
    assert {str(g.identifier) for g in ds.graphs() if len(g)} == {str(name)}
    expected = sorted((EXPECTED[row][0], row) for row in EXPECTED if EXPECTED[row][1] in ("late", "missing"))
    for store in (EmbeddedStore(), MemoryStore()):
        store.load_file(built / "kg.trig")
        store.load_file(out)
        q = library(settings).get("overdue_items")
        res = run_query(store, q, {})
        got = sorted((int(r["number"]), int(r["row"])) for r in res.rows)
        assert got == expected, store.kind
        late3 = next(r for r in res.rows if int(r["row"]) == 3)
        assert (str(late3["status"]), str(late3["dueDate"]), int(late3["workingDaysLate"])) == \
            ("逾期公开", "2026-10-09", 1)
        assert not run_query(store, q, {"check": "https://w3id.org/gongkai/checks/another"}).rows
        assert len(run_query(store, q, {"check": str(name)}).rows) == len(expected)


# --- the catalogue: lists, bureaus, items ---------------------------------------------

def test_an_unknown_bureau_gets_close_names(catalogue) -> None:
    with pytest.raises(NotFound) as e:
        catalogue.find_bureau("中卫市云计算局")
    assert e.value.suggestions == [BUREAU]
    with pytest.raises(NotFound) as e:
        catalogue.find_bureau("青禾县教育局")
    assert "青禾县教育体育局" in e.value.suggestions
    # spacing and full-width characters do not matter
    assert catalogue.find_bureau("中卫市 云计算和大数据 发展局") == BUREAU


def test_lists_are_chosen_by_latest_date_iri_or_date(catalogue) -> None:
    assert catalogue.resolve_list(BUREAU).iri == NEW_LIST
    assert catalogue.resolve_list(BUREAU, "2021-06-16").iri == OLD_LIST
    assert catalogue.resolve_list(BUREAU, "2021年6月16日").iri == OLD_LIST
    assert catalogue.resolve_list(None, OLD_LIST).iri == OLD_LIST
    with pytest.raises(NotFound, match="belongs to"):
        catalogue.resolve_list("青禾县教育体育局", OLD_LIST)
    with pytest.raises(NotFound, match="no list <"):
        catalogue.resolve_list(None, OLD_LIST + "x")


def test_time_limits_rebuilt_from_the_graph_match_the_parser(catalogue) -> None:
    lst = catalogue.resolve_list(BUREAU, "2021-06-16")
    for n in range(1, 19):
        it = catalogue.item(lst, n)
        assert it.limit is not None
        parsed = parse_time_limit(it.limit.raw)
        assert (it.limit.kind, it.limit.amount, it.limit.unit, it.limit.trigger, it.limit.annual_month,
                it.limit.annual_day, it.limit.exception_clause) == \
            (parsed.kind, parsed.amount, parsed.unit if parsed.kind != "annual" else "annual", parsed.trigger,
             parsed.annual_month, parsed.annual_day, parsed.exception_clause), n
    with pytest.raises(NotFound, match="no item 19"):
        catalogue.item(lst, 19)


def test_item_due_acceptance_and_annual_item_without_event(catalogue) -> None:
    a = item_due(catalogue, BUREAU, 17, D(2026, 9, 28))
    assert a.due.date == D(2026, 10, 10) and a.item is not None and a.item.list.iri == NEW_LIST
    annual = item_due(catalogue, BUREAU, 5, None, today=D(2026, 2, 1))
    assert annual.due.date == D(2027, 1, 31) and annual.due.provisional
    with pytest.raises(NotFound):
        item_due(catalogue, "澄溪县市场监督管理局", 9, D(2026, 1, 1))


def test_upcoming_yearly_deadlines_in_each_bureaus_latest_list(catalogue) -> None:
    span = upcoming(catalogue, D(2026, 1, 1), D(2027, 12, 31))
    got = [(u.due.date, u.item.list.bureau if u.item else None, u.due.provisional) for u in span]
    assert got == [
        (D(2026, 1, 31), BUREAU, False),
        (D(2026, 6, 30), "青禾县教育体育局", False),
        (D(2027, 1, 31), BUREAU, True),
        (D(2027, 6, 30), "青禾县教育体育局", True),
    ]
    assert all(u.item is not None and u.item.list.iri != OLD_LIST for u in span if u.item.list.bureau == BUREAU)
    nxt = upcoming(catalogue, D(2026, 3, 1))
    assert [(u.due.date, u.item.number if u.item else None) for u in nxt] == [(D(2026, 6, 30), 5), (D(2027, 1, 31), 5)]
    only = upcoming(catalogue, D(2026, 3, 1), bureau="青禾县教育体育局")
    assert [u.due.date for u in only] == [D(2026, 6, 30)]
    with pytest.raises(ValueError):
        upcoming(catalogue, D(2026, 3, 1), D(2026, 1, 1))


def test_due_date_as_dict_lists_every_day_of_the_reasoning(catalogue) -> None:
    d = item_due(catalogue, BUREAU, 17, D(2026, 9, 28)).as_dict("zh")
    assert d["due_date"] == "2026-10-10" and d["provisional"] is False and d["item"] == 17
    counted = [s["date"] for s in d["steps"] if s["role"] == "counted"]
    assert counted == ["2026-09-29", "2026-09-30", "2026-10-08", "2026-10-09", "2026-10-10"]
    assert {s["holiday"] for s in d["steps"] if s["role"] == "skipped"} == {"国庆节"}
    json.dumps(d, ensure_ascii=False)


def test_a_two_part_limit_is_rebuilt_with_its_parts_and_its_yearly_part_is_upcoming(settings) -> None:
    from gongkai.model import DisclosureItem, DisclosureList, Organisation
    from gongkai.rdf.mapping import map_list
    from gongkai.reference_data import map_context

    text = "形成或变更之日起20个工作日内；年度报告每年1月31日前公布"
    dl = DisclosureList(title="示例清单", bureau=Organisation(name="示例县数据局"), date=D(2026, 1, 5),
                        items=[DisclosureItem(number=1, level2="年度报告", time_limit=parse_time_limit(text))])
    name, g = map_list(dl, map_context(settings))
    store = EmbeddedStore()
    store.replace_graph(name, g)
    cat = Catalogue(store, library(settings))
    it = cat.item(cat.resolve_list("示例县数据局"), 1)
    assert it.limit is not None and it.limit.raw == text
    assert [(p.kind, p.amount, p.unit, p.trigger, p.annual_month, p.annual_day) for p in it.limit.parts] == [
        ("period", 20, "working_day", "formed-or-changed", None, None), ("annual", None, "annual", None, 1, 31)]
    # each part answered: 20 working days after Mon 2026-01-05 end on 02-02; the yearly part on 01-31
    due = item_due(cat, "示例县数据局", 1, D(2026, 1, 5)).due
    assert [p.date for p in due.parts] == [D(2026, 2, 2), D(2026, 1, 31)]
    (u,) = upcoming(cat, D(2026, 2, 1))
    assert (u.due.date, u.limit.raw, u.item.number if u.item else None) == (D(2027, 1, 31), text, 1)
