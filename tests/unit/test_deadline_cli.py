"""`gongkai deadline` and `gongkai deadline check` from the command line.

The graph is built into a temporary folder from the original list (and a copy dated
2024-03-01 standing for a later list of the same bureau, so that "the bureau's latest
list" and --list can be told apart) and three fixture lists; ``GONGKAI_BUILD`` points the
command at it. Dates were counted by hand in test_deadlines.py and test_overdue.py.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import icalendar
import pytest
from rdflib import Dataset, URIRef
from rdflib.namespace import RDF
from typer.testing import CliRunner

import gongkai.deadlines.calendar as calendar_files
from gongkai.cli.common import app
from gongkai.pipeline.build import build
from gongkai.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
FIX = ROOT / "tests" / "fixtures"
RECORDS = FIX / "publications" / "records.csv"
BAD = FIX / "publications" / "bad-records.csv"
ICS_2027 = FIX / "calendars" / "arrangement-2027-hypothetical.ics"
BUREAU = "中卫市云计算和大数据发展局"
OLD_LIST = "https://w3id.org/gongkai/list/zhongweishiyunjisuanhedashujufazhanju/2021-06-16"
NEW_LIST = "https://w3id.org/gongkai/list/zhongweishiyunjisuanhedashujufazhanju/2024-03-01"
ACCEPT = ["deadline", "--bureau", BUREAU, "--item", "17", "--event-date", "2026-09-28"]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("deadline-cli")
    raw = folder / "raw"
    raw.mkdir()
    shutil.copy(ROOT / "data" / "raw" / "zhongwei-yunjisuan-2021.txt", raw)
    shutil.copy(ROOT / "data" / "raw" / "zhongwei-yunjisuan-2021.txt", raw / "zhongwei-later.txt")
    for name in ("qinghe-jiaoyu-2023.txt", "anlan-shengtai-2022.txt"):
        shutil.copy(FIX / "text" / name, raw)
    (raw / "sources.csv").write_text("file,bureau,parent,date,url\nzhongwei-later.txt,,,2024-03-01,\n",
                                     encoding="utf-8")
    out = folder / "build"
    assert not build(Settings(root=ROOT, build_dir=out), raw, out).failed
    return out


@pytest.fixture(autouse=True)
def _chinesecalendar_up_to_2026(monkeypatch: pytest.MonkeyPatch) -> None:
    """chinesecalendar as of 1.11, which knows the arrangements up to 2026: 2027 stays a
    year without one, whatever release is installed."""
    known = calendar_files._day_from_chinesecalendar
    monkeypatch.setattr(calendar_files, "_day_from_chinesecalendar",
                        lambda d: known(d) if d.year <= 2026 else None)


@pytest.fixture(scope="module")
def run(built):
    runner = CliRunner()

    def invoke(*args: str, build: Path | None = None):
        result = runner.invoke(app, list(args), env={"GONGKAI_BUILD": str(build or built), "GONGKAI_HOME": str(ROOT)})
        assert "Traceback" not in result.output, result.output
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        return result

    return invoke


# --- an item's due date ------------------------------------------------------------

def test_acceptance_item_17_after_national_day_2026(run) -> None:
    r = run(*ACCEPT)
    assert r.exit_code == 0, r.output
    assert "截止日期：2026-10-10（星期六）" in r.stdout
    assert "国庆节（7天） — 不计入" in r.stdout and "调休上班（国庆节） — 第5个工作日" in r.stdout
    assert "暂定" not in r.stdout
    assert NEW_LIST in r.stdout  # the bureau's latest list


def test_english_output(run) -> None:
    r = run(*ACCEPT, "--lang", "en")
    assert r.exit_code == 0
    assert "Due date: 2026-10-10 (Saturday)" in r.stdout and "make-up working day (National Day)" in r.stdout


def test_event_in_2027_without_a_calendar_file_is_provisional_not_an_error(run) -> None:
    # 09-29, 09-30, then the law's 国庆节 10-01…10-03 (not counted), 10-04, 10-05, 10-06
    r = run("deadline", "--bureau", BUREAU, "--item", "17", "--event-date", "2027-09-28")
    assert r.exit_code == 0, r.output
    first = r.stdout.splitlines()[0]
    assert "PROVISIONAL" in first and "暂定" in first
    assert "截止日期：2027-10-06（星期三）（暂定）" in r.stdout
    data = json.loads(run("deadline", "--bureau", BUREAU, "--item", "17", "--event-date", "2027-09-28",
                          "--format", "json").stdout)
    assert data["provisional"] is True and data["provisional_years"] == [2027]
    assert data["calendar_source"] == "Monday–Friday fallback + 全国年节及纪念日放假办法（2024年修订）"
    assert [s["holiday"] for s in data["steps"] if s["role"] == "skipped" and s["holiday"]] == ["国庆节"] * 3


def test_acceptance_new_years_day_2027_is_not_a_working_day(run) -> None:
    """A time limit typed in, counted into 2027 (no arrangement yet): 元旦 is skipped."""
    r = run("deadline", "--time-limit", "形成之日起5个工作日内", "--event-date", "2026-12-28")
    assert r.exit_code == 0, r.output
    assert "截止日期：2027-01-05（星期二）（暂定）" in r.stdout
    assert "2027-01-01（星期五） 元旦（暂定） — 不计入" in r.stdout
    assert "《全国年节及纪念日放假办法》（2024年修订，2025年1月1日起施行）" in r.stdout and "调休" in r.stdout
    rows = list(csv.DictReader(io.StringIO(run("deadline", "--time-limit", "形成之日起5个工作日内",
                                               "--event-date", "2026-12-28", "--format", "csv").stdout)))
    assert (rows[0]["due_date"], rows[0]["provisional"]) == ("2027-01-05", "true")
    cal = icalendar.Calendar.from_ical(run("deadline", "--time-limit", "形成之日起5个工作日内", "--event-date",
                                           "2026-12-28", "--format", "ics").stdout_bytes)
    (ev,) = cal.walk("VEVENT")
    assert ev.decoded("DTSTART").isoformat() == "2027-01-05" and str(ev["STATUS"]) == "TENTATIVE"
    assert "元旦" in str(ev["DESCRIPTION"])


def test_with_a_calendar_file_the_files_days_are_used(run) -> None:
    # hypothetical 2027 arrangement: 10-01…10-07 off, Sat 10-09 a working day
    r = run("deadline", "--bureau", BUREAU, "--item", "17", "--event-date", "2027-09-28",
            "--calendar", str(ICS_2027), "--format", "json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["due_date"] == "2027-10-11" and data["provisional"] is False
    assert data["calendar_source"] == ICS_2027.name
    assert [s["date"] for s in data["steps"] if s["role"] == "counted"] == [
        "2027-09-29", "2027-09-30", "2027-10-08", "2027-10-09", "2027-10-11"]


def test_ics_output_parses_with_icalendar(run, tmp_path) -> None:
    out = tmp_path / "due.ics"
    r = run(*ACCEPT, "--format", "ics", "-o", str(out))
    assert r.exit_code == 0, r.output
    cal = icalendar.Calendar.from_ical(out.read_bytes())
    (ev,) = [c for c in cal.walk() if c.name == "VEVENT"]
    assert ev.decoded("DTSTART").isoformat() == "2026-10-10"
    assert "第17项" in str(ev["SUMMARY"]) and str(ev["STATUS"]) == "CONFIRMED"
    stdout = run(*ACCEPT, "--format", "ics", "--event-date", "2027-09-28")
    cal = icalendar.Calendar.from_ical(stdout.stdout_bytes)
    (ev,) = [c for c in cal.walk() if c.name == "VEVENT"]
    assert str(ev["STATUS"]) == "TENTATIVE" and str(ev["SUMMARY"]).startswith("【暂定】")


def test_csv_and_json_output(run) -> None:
    rows = list(csv.DictReader(io.StringIO(run(*ACCEPT, "--format", "csv").stdout.lstrip("\ufeff"))))
    assert len(rows) == 1 and rows[0]["due_date"] == "2026-10-10" and rows[0]["provisional"] == "false"
    data = json.loads(run(*ACCEPT, "--format", "json").stdout)
    assert (data["item"], data["list"], data["due_date"], data["weekday"]) == (17, NEW_LIST, "2026-10-10", "星期六")


def test_list_option_takes_a_date_or_an_iri(run) -> None:
    by_date = json.loads(run(*ACCEPT, "--list", "2021-06-16", "--format", "json").stdout)
    assert by_date["list"] == OLD_LIST
    by_iri = json.loads(run("deadline", "--list", OLD_LIST, "--item", "17", "--event-date", "2026-09-28",
                            "--format", "json").stdout)
    assert by_iri["list"] == OLD_LIST and by_iri["due_date"] == "2026-10-10"
    r = run(*ACCEPT, "--list", "2019-01-01")
    assert r.exit_code == 2 and "no list dated 2019-01-01" in r.stderr and "2021-06-16, 2024-03-01" in r.stderr


def test_a_time_limit_typed_in(run) -> None:
    # 20 calendar days after 09-11 end on 10-01, a holiday: moved to 10-08
    r = run("deadline", "--time-limit", "财政部门批复后20日内", "--event-date", "2026-09-11")
    assert r.exit_code == 0, r.output
    assert "截止日期：2026-10-08（星期四）" in r.stdout and "第二百零三条" in r.stdout


def test_exception_clause_is_a_caveat(run) -> None:
    r = run("deadline", "--bureau", BUREAU, "--item", "7", "--event-date", "2026-01-05")
    assert r.exit_code == 0
    assert "截止日期：2026-02-02" in r.stdout
    assert "例外：法律、法规对政府信息公开期限另有规定的，从其规定" in r.stdout


def test_a_limit_without_a_date_says_why(run) -> None:
    r = run("deadline", "--bureau", "安澜市生态环境局", "--item", "6", "--event-date", "2026-01-05")
    assert r.exit_code == 0
    assert "无具体截止日期：实时公开，没有截止日期" in r.stdout


def test_a_yearly_item_needs_no_event_date(run) -> None:
    r = run("deadline", "--bureau", BUREAU, "--item", "5", "--today", "2026-02-01", "--format", "json")
    data = json.loads(r.stdout)
    assert data["due_date"] == "2027-01-31" and data["provisional"] is True


# --- errors: a message, exit 2, no traceback ------------------------------------------

@pytest.mark.parametrize("args, message", [
    (["deadline", "--bureau", "中卫市云计算局", "--item", "17", "--event-date", "2026-09-28"],
     "no bureau named '中卫市云计算局' in the graph; did you mean 中卫市云计算和大数据发展局?"),
    (["deadline", "--bureau", BUREAU, "--item", "99", "--event-date", "2026-09-28"], "has no item 99"),
    (["deadline", "--bureau", BUREAU, "--item", "17", "--event-date", "2026-09-31"],
     "--event-date: not a date: '2026-09-31'"),
    (["deadline", "--bureau", BUREAU, "--item", "17"], "--event-date is needed"),
    (["deadline", "--time-limit", "看情况", "--event-date", "2026-09-28"], "--time-limit: not understood"),
    (["deadline", "--time-limit", "形成之日起5个工作日内", "--bureau", BUREAU, "--event-date", "2026-09-28"],
     "either --time-limit, or --bureau and --item"),
    (["deadline", "--item", "17", "--event-date", "2026-09-28"], "--bureau NAME --item N"),
    ([*ACCEPT, "--format", "pdf"], "--format: 'pdf' is not one of text, json, ics, csv"),
    ([*ACCEPT, "--lang", "fr"], "--lang: 'fr' is not one of zh, en"),
    ([*ACCEPT, "--from", "2026-01-01"], "--from and --to go with --upcoming"),
    (["deadline", "--upcoming", "--item", "17"], "not --item"),
    ([*ACCEPT, "--calendar", str(ROOT / "tests" / "fixtures" / "calendars" / "bad-date.csv")],
     "bad-date.csv, row 3, cell date"),
    (["deadline", "--bureau", BUREAU, "check", str(RECORDS)], "takes its own options"),
    (["deadline", "check", str(RECORDS), "--into-graph", "out.ttl"], "give a .trig file"),
    (["deadline", "check", str(RECORDS), "--format", "ics"], "--format: 'ics' is not one of text, json, csv"),
])
def test_errors_give_a_message_and_exit_2(run, args, message) -> None:
    r = run(*args)
    assert r.exit_code == 2, r.output
    assert message in r.stderr, r.stderr


def test_no_build_is_an_error_with_the_way_out(run, tmp_path) -> None:
    r = run(*ACCEPT, build=tmp_path / "empty")
    assert r.exit_code == 2
    assert "run `gongkai build` first" in r.stderr


def test_no_options_shows_help(run) -> None:
    r = run("deadline")
    assert r.exit_code == 0
    assert "--event-date" in r.stdout and "check" in r.stdout and "--upcoming" in r.stdout


# --- upcoming -----------------------------------------------------------------

def test_upcoming_lists_yearly_due_dates_sorted(run) -> None:
    r = run("deadline", "--upcoming", "--from", "2026-01-01", "--to", "2027-12-31")
    assert r.exit_code == 0, r.output
    lines = r.stdout.strip().splitlines()
    assert [ln[:10] for ln in lines] == ["2026-01-31", "2026-06-30", "2027-01-31", "2027-06-30"]
    assert "政府信息公开年报" in lines[0] and "此前最后一个工作日 2026-01-30" in lines[0]
    assert "【暂定】" in lines[2] and "【暂定】" not in lines[0]


def test_upcoming_exports_ics_and_csv(run, tmp_path) -> None:
    out = tmp_path / "upcoming.ics"
    r = run("deadline", "--upcoming", "--from", "2026-03-01", "--format", "ics", "-o", str(out))
    assert r.exit_code == 0, r.output
    events = [c for c in icalendar.Calendar.from_ical(out.read_bytes()).walk() if c.name == "VEVENT"]
    assert sorted(ev.decoded("DTSTART").isoformat() for ev in events) == ["2026-06-30", "2027-01-31"]
    rows = list(csv.DictReader(io.StringIO(
        run("deadline", "--upcoming", "--from", "2026-03-01", "--format", "csv", "--bureau", "青禾县教育体育局")
        .stdout.lstrip("\ufeff"))))
    assert [r["due_date"] for r in rows] == ["2026-06-30"]


# --- the overdue check ------------------------------------------------------------

def test_check_report_and_exit_1_when_some_are_late_or_missing(run, tmp_path) -> None:
    out = tmp_path / "check.trig"
    r = run("deadline", "check", str(RECORDS), "--today", "2026-10-20", "--into-graph", str(out))
    assert r.exit_code == 1, r.output
    assert r.stdout.splitlines()[0] == f"{BUREAU} 2021-06-16"
    assert "records.csv：23条记录，截至2026-10-20 — 按时公开 10，逾期公开 7，逾期未公开 4，尚未到期 2" in r.stdout
    # on one line, however long the temporary folder's path
    assert f"→ {out} (graph <https://w3id.org/gongkai/checks/records>)" in r.stderr.splitlines()
    ds = Dataset().parse(out, format="trig")
    g = ds.graph(URIRef("https://w3id.org/gongkai/checks/records"))
    assert len(set(g.subjects(RDF.type, URIRef("https://w3id.org/gongkai/ontology#Publication")))) == 23


def test_check_json_and_csv(run, tmp_path) -> None:
    data = json.loads(run("deadline", "check", str(RECORDS), "--today", "2026-10-20", "--format", "json").stdout)
    assert data["counts"]["missing"] == 4 and len(data["records"]) == 23
    out = tmp_path / "report.csv"
    r = run("deadline", "check", str(RECORDS), "--today", "2026-10-20", "--format", "csv", "--lang", "en",
            "-o", str(out))
    assert r.exit_code == 1
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert sum(1 for x in rows if x["status_label"] == "late") == 7


def test_check_exit_0_when_nothing_is_late_or_missing(run, tmp_path) -> None:
    f = tmp_path / "fine.csv"
    f.write_text("list,item,event_date,published_date,url\n"
                 f"{BUREAU} 2021-06-16,17,2026-09-28,2026-10-10,https://example.org/a.html\n"
                 f"{BUREAU} 2021-06-16,3,2026-10-15,,\n", encoding="utf-8")
    r = run("deadline", "check", str(f), "--today", "2026-10-20", "--lang", "en")
    assert r.exit_code == 0, r.output
    assert "on time 1, not yet due 1" in r.stdout


def test_check_with_bad_rows_exits_2_names_the_rows_and_writes_no_graph(run, tmp_path) -> None:
    out = tmp_path / "bad.trig"
    r = run("deadline", "check", str(BAD), "--today", "2026-10-20", "--into-graph", str(out))
    assert r.exit_code == 2
    assert "bad-records.csv, row 3, cell list" in r.stdout and "row 4, cell item" in r.stdout
    assert "not written" in r.stderr and not out.exists()


def test_check_of_a_missing_file_is_an_error(run, tmp_path) -> None:
    r = run("deadline", "check", str(tmp_path / "nope.csv"), "--today", "2026-10-20")
    assert r.exit_code == 2 and "nope.csv: cannot read the file" in r.stderr


def test_check_with_a_calendar_file_settles_the_provisional_row(run) -> None:
    data = json.loads(run("deadline", "check", str(RECORDS), "--today", "2026-10-20", "--format", "json",
                          "--calendar", str(ICS_2027)).stdout)
    row24 = next(r for r in data["records"] if r["row"] == 24)
    assert row24["provisional"] is False and row24["due_date"] == "2027-01-31"


def test_the_catalogue_s_queries_have_the_time_limit(built) -> None:
    """`gongkai deadline` runs library queries on the store: each is stopped at the time
    limit, with the one timeout message and exit 2 (the watchdog ends the process, so the
    command runs in one of its own)."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "GONGKAI_BUILD": str(built), "GONGKAI_HOME": str(ROOT),
           "GONGKAI_QUERY_TIMEOUT": "0.001"}
    r = subprocess.run([sys.executable, "-m", "gongkai.cli", *ACCEPT], capture_output=True, text=True, env=env,
                       timeout=120)
    assert r.returncode == 2, r.stderr
    assert "the query was stopped after 0.001 s" in r.stderr and "GONGKAI_QUERY_TIMEOUT" in r.stderr
