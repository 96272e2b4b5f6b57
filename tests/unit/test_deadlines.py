"""Due dates on the Chinese working-day calendar, their explanations and their exports.

Every expected date was counted by hand against the State Council's arrangements as
chinesecalendar 1.11 holds them (国务院办公厅关于2025年/2026年部分节假日安排的通知):

- 2025 春节: 01-28 (Tue) to 02-04 (Tue) off, 8 days; Sunday 01-26 and Saturday 02-08 are
  working days.
- 2026 春节: 02-15 (Sun) to 02-23 (Mon) off, 9 days; Saturdays 02-14 and 02-28 are
  working days.
- 2026 中秋节 09-25 (Fri) to 09-27 (Sun) off; 国庆节 10-01 (Thu) to 10-07 (Wed) off, 7 days;
  Sunday 09-20 and Saturday 10-10 are working days.
- 2027 has no published arrangement in chinesecalendar 1.11 (the fixture below keeps it so
  whatever release is installed): its statutory holidays come from the law (元旦 Fri 01-01,
  春节 02-05…02-08, 清明 04-05, 劳动节 05-01…05-02, 端午 06-09, 中秋 09-15, 国庆 10-01…10-03),
  the other days Monday–Friday, all provisional.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import icalendar
import pytest

import gongkai.deadlines.calendar as calendar_files
from gongkai.deadlines.calendar import FALLBACK_SOURCE, STATUTORY_SOURCE, WorkCalendar, chinesecalendar_source
from gongkai.deadlines.due import DueDate, due_date
from gongkai.deadlines.export import export_csv, export_ics
from gongkai.model import TimeLimit

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "calendars"
D = dt.date
CLAUSE = "法律、法规对政府信息公开期限另有规定的，从其规定"


def working_days(n: int, *, trigger: str | None = "formed-or-changed", clause: str | None = None) -> TimeLimit:
    return TimeLimit(raw=f"形成或变更之日起{n}个工作日内", kind="period", amount=n, unit="working_day",
                     trigger=trigger, exception_clause=clause)  # type: ignore[arg-type]


def calendar_days(n: int) -> TimeLimit:
    return TimeLimit(raw=f"财政部门批复后{n}日内", kind="period", amount=n, unit="day", trigger="fiscal-approval")


ANNUAL = TimeLimit(raw="每年1月31日前", kind="annual", unit="annual", annual_month=1, annual_day=31)


@pytest.fixture(autouse=True)
def _chinesecalendar_up_to_2026(monkeypatch: pytest.MonkeyPatch) -> None:
    """chinesecalendar as of 1.11, which knows the arrangements up to 2026."""
    known = calendar_files._day_from_chinesecalendar
    monkeypatch.setattr(calendar_files, "_day_from_chinesecalendar",
                        lambda d: known(d) if d.year <= 2026 else None)


# --- working days ------------------------------------------------------------------

def test_five_working_days_across_national_day_2026_end_on_the_makeup_saturday() -> None:
    # 09-29 (1), 09-30 (2), 10-01…10-07 国庆节 skipped, 10-08 (3), 10-09 (4), Sat 10-10 调休上班 (5)
    r = due_date(working_days(5), D(2026, 9, 28))
    assert r.date == D(2026, 10, 10)
    assert not r.provisional
    assert r.calendar_source is not None and r.calendar_source.startswith("chinesecalendar 1.")
    counted = r.explanation.counted
    assert [(s.date, s.ordinal) for s in counted] == [
        (D(2026, 9, 29), 1), (D(2026, 9, 30), 2), (D(2026, 10, 8), 3), (D(2026, 10, 9), 4), (D(2026, 10, 10), 5)]
    assert counted[-1].day.nature == "makeup-workday" and counted[-1].day.holiday == "国庆节"
    assert [s.date for s in r.explanation.skipped] == [D(2026, 10, d) for d in range(1, 8)]
    assert {s.day.holiday for s in r.explanation.skipped} == {"国庆节"}


def test_the_day_of_the_event_is_not_counted() -> None:
    assert due_date(working_days(1), D(2026, 9, 28)).date == D(2026, 9, 29)
    assert due_date(working_days(1), D(2026, 9, 30)).date == D(2026, 10, 8)


def test_count_across_spring_festival_2025() -> None:
    # Sat 01-25 weekend; Sun 01-26 调休上班 (1); 01-27 (2); 01-28…02-04 春节; 02-05 (3), 02-06 (4), 02-07 (5)
    r = due_date(working_days(5), D(2025, 1, 24))
    assert r.date == D(2025, 2, 7)
    first = r.explanation.counted[0]
    assert (first.date, first.day.nature, first.day.holiday) == (D(2025, 1, 26), "makeup-workday", "春节")
    skipped = r.explanation.skipped
    assert skipped[0].day.nature == "weekend"
    assert [s.date for s in skipped[1:]] == [D(2025, 1, 28) + dt.timedelta(days=i) for i in range(8)]
    assert {s.day.holiday for s in skipped[1:]} == {"春节"}


def test_count_across_spring_festival_2026() -> None:
    # 02-13 (1), Sat 02-14 调休上班 (2), 02-15…02-23 春节 (9 days), 02-24 (3), 02-25 (4), 02-26 (5)
    r = due_date(working_days(5), D(2026, 2, 12))
    assert r.date == D(2026, 2, 26)
    assert len([s for s in r.explanation.skipped if s.day.holiday == "春节"]) == 9
    # 20 working days from Tue 02-10: 02-11…02-14 (1–4), 02-24…02-27 (5–8), Sat 02-28 调休上班 (9),
    # 03-02…03-06 (10–14), 03-09…03-13 (15–19), 03-16 (20)
    r20 = due_date(working_days(20), D(2026, 2, 10))
    assert r20.date == D(2026, 3, 16)
    assert [s.date for s in r20.explanation.counted if s.day.nature == "makeup-workday"] == [
        D(2026, 2, 14), D(2026, 2, 28)]
    assert len(r20.explanation.counted) == 20


def test_event_on_a_holiday_counts_from_the_next_day() -> None:
    # event on 10-03 (国庆节): 10-08 (1), 10-09 (2), Sat 10-10 (3), Sun 10-11 skipped, 10-12 (4), 10-13 (5)
    on_holiday = due_date(working_days(5), D(2026, 10, 3))
    assert on_holiday.date == D(2026, 10, 13)
    assert due_date(working_days(5), D(2026, 10, 1)).date == D(2026, 10, 13)
    assert on_holiday.explanation.event == D(2026, 10, 3)
    assert D(2026, 10, 3) not in [s.date for s in on_holiday.explanation.steps]


def test_datetime_event_is_taken_as_its_date() -> None:
    assert due_date(working_days(5), dt.datetime(2026, 9, 28, 17, 30)).date == D(2026, 10, 10)


# --- calendar days, months, years ----------------------------------------------------

def test_twenty_calendar_days_after_fiscal_approval_landing_on_national_day_move() -> None:
    # 09-13 + 20 days = Sat 10-03 (国庆节) → next working day Thu 10-08 (民法典 第二百零三条)
    r = due_date(calendar_days(20), D(2026, 9, 13))
    assert r.date == D(2026, 10, 8)
    assert "moved-to-next-workday" in r.explanation.notes
    end = next(s for s in r.explanation.steps if s.role == "end")
    assert (end.date, end.day.holiday) == (D(2026, 10, 3), "国庆节")
    assert [s.date for s in r.explanation.skipped] == [D(2026, 10, d) for d in range(4, 8)]
    assert "第二百零三条" in r.text("zh") and "art. 203" in r.text("en")


def test_calendar_days_landing_on_a_weekend_move_and_on_a_makeup_day_stay() -> None:
    weekend = due_date(calendar_days(20), D(2026, 3, 1))       # Sat 03-21 → Mon 03-23
    assert weekend.date == D(2026, 3, 23)
    makeup = due_date(calendar_days(20), D(2026, 9, 20))       # Sat 10-10 is a working day
    assert makeup.date == D(2026, 10, 10)
    assert makeup.explanation.notes == []


def test_months_and_years_use_the_month_end_when_there_is_no_corresponding_day() -> None:
    one_month = TimeLimit(raw="1个月", kind="period", amount=1, unit="month")
    r = due_date(one_month, D(2026, 1, 31))                    # 02-28, a 调休上班 Saturday
    assert r.date == D(2026, 2, 28)
    assert "clamped-to-month-end" in r.explanation.notes
    one_year = TimeLimit(raw="1年", kind="period", amount=1, unit="year")
    assert due_date(one_year, D(2024, 2, 29)).date == D(2025, 2, 28)
    # 3 months after 2026-07-04 is Sun 10-04 (国庆节) → Thu 10-08
    three = TimeLimit(raw="3个月", kind="period", amount=3, unit="month")
    assert due_date(three, D(2026, 7, 4)).date == D(2026, 10, 8)


# --- annual dates ------------------------------------------------------------------

def test_annual_date_on_a_weekend_is_not_moved_but_flagged() -> None:
    r = due_date(ANNUAL, year=2026)                            # 2026-01-31 is a Saturday
    assert r.date == D(2026, 1, 31)
    assert "fixed-date-on-rest-day" in r.explanation.notes
    last = next(s for s in r.explanation.steps if s.role == "last-workday")
    assert last.date == D(2026, 1, 30)
    assert "不顺延" in r.text("zh") and "2026-01-30" in r.text("zh")
    assert "not moved" in r.text("en")


def test_annual_date_on_a_holiday_names_it() -> None:
    r = due_date(ANNUAL, year=2025)                            # 2025-01-31 is in 春节
    assert r.date == D(2025, 1, 31)
    assert "春节" in r.text("zh") and "Spring Festival" in r.text("en")
    assert next(s for s in r.explanation.steps if s.role == "last-workday").date == D(2025, 1, 27)


def test_annual_date_on_a_working_day_has_no_note() -> None:
    r = due_date(ANNUAL, year=2024)                            # Wednesday
    assert r.date == D(2024, 1, 31)
    assert r.explanation.notes == []


def test_annual_next_occurrence_on_or_after_the_event() -> None:
    assert due_date(ANNUAL, D(2026, 1, 15)).date == D(2026, 1, 31)
    assert due_date(ANNUAL, D(2026, 1, 31)).date == D(2026, 1, 31)
    later = due_date(ANNUAL, D(2026, 2, 1))
    assert later.date == D(2027, 1, 31)
    assert later.provisional                                  # 2027 has no arrangement yet


def test_annual_29_february_in_a_common_year() -> None:
    leap = TimeLimit(raw="每年2月29日前", kind="annual", annual_month=2, annual_day=29)
    r = due_date(leap, year=2026)
    assert r.date == D(2026, 2, 28)
    assert "clamped-to-month-end" in r.explanation.notes


# --- no date -----------------------------------------------------------------------

@pytest.mark.parametrize(
    ("limit", "reason", "zh_words"),
    [
        (TimeLimit(raw="实时公开", kind="immediate"), "immediate", "实时"),
        (TimeLimit(raw="及时公开", kind="timely"), "timely", "及时"),
        (TimeLimit(raw="与规范性文件同步发布", kind="synchronous"), "synchronous", "同步"),
        (TimeLimit(raw="半年至少更新1次", kind="periodic", frequency="半年至少更新1次"), "periodic", "半年至少更新1次"),
        (TimeLimit(raw="长期公开", kind="permanent"), "permanent", "长期"),
        (TimeLimit(raw="按规定", kind="unparsed"), "unparsed", "按规定"),
        (TimeLimit(raw="若干工作日", kind="period", unit="working_day"), "incomplete-limit", "若干工作日"),
        (TimeLimit(raw="每年13月1日前", kind="annual", annual_month=13, annual_day=1), "invalid-annual-date",
         "13月1日"),
    ],
)
def test_kinds_without_a_date_give_a_reason_not_an_exception(limit: TimeLimit, reason: str, zh_words: str) -> None:
    r = due_date(limit, D(2026, 9, 28), year=2026)
    assert r.date is None
    assert r.reason == reason
    assert zh_words in r.text("zh")
    assert r.text("en").startswith("No due date: ")
    assert not r.provisional and r.calendar_source is None


def test_missing_event_and_missing_year() -> None:
    r = due_date(working_days(20))
    assert (r.date, r.reason) == (None, "missing-event")
    assert "信息形成或变更之日" in r.text("zh")
    assert due_date(ANNUAL).reason == "missing-year"


def test_out_of_range_is_a_reason_not_a_crash() -> None:
    r = due_date(TimeLimit(raw="1年", kind="period", amount=1, unit="year"), D(9999, 6, 1),
                 calendar=WorkCalendar(use_chinesecalendar=False))
    assert (r.date, r.reason) == (None, "out-of-range")


# --- provisional answers and calendar files -------------------------------------------

def test_event_in_2027_without_calendar_file_is_provisional_not_an_error() -> None:
    r = due_date(working_days(5), D(2027, 3, 1))               # Mon: 03-02…03-05, 03-08
    assert r.date == D(2027, 3, 8)
    assert r.provisional
    assert r.calendar_source == FALLBACK_SOURCE
    assert "暂定" in r.text("zh") and "2027年" in r.text("zh")
    assert "provisional" in r.text("en").lower()


def test_a_count_into_a_year_without_arrangement_skips_its_statutory_holidays() -> None:
    # 12-29, 12-30, 12-31 (chinesecalendar); 2027-01-01 元旦 (the law) and the weekend
    # skipped; 01-04 and 01-05 (Monday–Friday). 元旦 used to be counted: 01-04.
    r = due_date(working_days(5), D(2026, 12, 28))
    assert r.date == D(2027, 1, 5)
    assert r.provisional
    assert r.calendar_source == f"{chinesecalendar_source()} + {STATUTORY_SOURCE} + {FALLBACK_SOURCE}"
    assert [s.day.provisional for s in r.explanation.counted] == [False, False, False, True, True]
    new_year = r.explanation.skipped[0]
    assert (new_year.date, new_year.day.holiday, new_year.day.provisional) == (D(2027, 1, 1), "元旦", True)
    zh, en = r.text("zh"), r.text("en")
    assert "2027-01-01（星期五） 元旦（暂定） — 不计入" in zh
    assert "《全国年节及纪念日放假办法》（2024年修订，2025年1月1日起施行）" in zh and "元旦（2027-01-01）" in zh
    assert "调休" in zh and "未计入" in zh and "暂定" in zh.splitlines()[0]
    assert "New Year's Day (2027-01-01)" in en and "as revised in 2024" in en
    assert "make-up working days" in en and "not known" in en


def test_ics_and_csv_of_a_provisional_answer_carry_the_statutory_holiday() -> None:
    r = due_date(working_days(5), D(2026, 12, 28))
    (ev,) = icalendar.Calendar.from_ical(export_ics([("A", r)])).walk("VEVENT")
    assert ev.decoded("DTSTART") == D(2027, 1, 5) and str(ev["STATUS"]) == "TENTATIVE"
    assert "元旦" in str(ev["DESCRIPTION"]) and "全国年节及纪念日放假办法" in str(ev["DESCRIPTION"])
    (row,) = csv.DictReader(io.StringIO(export_csv([("A", r)], lang="en")))
    assert (row["due_date"], row["provisional"]) == ("2027-01-05", "true")
    assert "New Year's Day (provisional) — not counted" in row["explanation"]
    assert STATUTORY_SOURCE in row["calendar_source"]


def test_with_a_calendar_file_the_files_days_are_used() -> None:
    # hypothetical file: 2027-10-01…10-07 off, Sun 09-26 and Sat 10-09 working days.
    # 09-29 (1), 09-30 (2), 10-08 (3), Sat 10-09 (4), Sun 10-10 skipped, 10-11 (5)
    cal = WorkCalendar.from_file(FIX / "arrangement-2027-hypothetical.ics")
    with_file = due_date(working_days(5), D(2027, 9, 28), calendar=cal)
    assert with_file.date == D(2027, 10, 11)
    assert not with_file.provisional
    assert with_file.calendar_source == "arrangement-2027-hypothetical.ics"
    assert "国庆节" in with_file.text("zh") and "National Day" in with_file.text("en")
    # without it: 09-29, 09-30, the law's 国庆节 10-01…10-03 skipped, 10-04…10-06: provisional
    without = due_date(working_days(5), D(2027, 9, 28))
    assert (without.date, without.provisional) == (D(2027, 10, 6), True)


def test_a_file_adds_a_holiday_chinesecalendar_misses() -> None:
    cal = WorkCalendar.from_file(FIX / "extra-2025-bom.csv")
    assert due_date(working_days(1), D(2025, 9, 2)).date == D(2025, 9, 3)
    r = due_date(working_days(1), D(2025, 9, 2), calendar=cal)
    assert r.date == D(2025, 9, 4)
    assert r.calendar_source is not None and r.calendar_source.startswith("extra-2025-bom.csv + chinesecalendar")
    assert "80周年" in r.text("zh")


# --- texts and caveats -----------------------------------------------------------------

def test_explanation_text_in_chinese_and_english_names_the_skipped_holidays() -> None:
    r = due_date(working_days(5), D(2026, 9, 28))
    zh, en = r.text("zh"), r.text("en")
    assert "截止日期：2026-10-10（星期六）" in zh
    assert "国庆节（7天）" in zh and "调休上班（国庆节）" in zh and "第5个工作日" in zh
    assert "当日不计入" in zh
    assert "Due date: 2026-10-10 (Saturday)" in en
    assert "National Day (7 days)" in en and "make-up working day (National Day)" in en
    assert "not counted" in en
    spring = due_date(working_days(5), D(2025, 1, 24))
    assert "春节（8天）" in spring.text("zh") and "Spring Festival (8 days)" in spring.explanation.text("en")


def test_exception_clause_is_carried_as_a_caveat() -> None:
    r = due_date(working_days(20, clause=CLAUSE), D(2026, 9, 28))
    assert r.caveats == [CLAUSE]
    assert f"例外：{CLAUSE}" in r.text("zh")
    assert CLAUSE in r.text("en")
    assert due_date(working_days(20), D(2026, 9, 28)).caveats == []
    # a limit with no date keeps its caveat too
    timely = TimeLimit(raw="及时公开", kind="timely", exception_clause=CLAUSE)
    assert due_date(timely).caveats == [CLAUSE]


def test_two_part_limit_answers_each_part_and_the_earliest() -> None:
    limit = TimeLimit(raw="形成之日起20个工作日内，每年1月31日前更新", kind="unparsed",
                      parts=[working_days(20, clause=CLAUSE), ANNUAL])
    r = due_date(limit, D(2026, 1, 5))
    assert [p.date for p in r.parts] == [D(2026, 2, 2), D(2026, 1, 31)]
    assert r.date == D(2026, 1, 31)
    assert "earliest-of-parts" in r.explanation.notes
    assert r.caveats == [CLAUSE]
    assert r.text("zh").count("截止日期：") == 3


def test_a_parsed_two_part_limit_is_due_at_its_earliest_part() -> None:
    """As the parser gives it: the whole carries the first part's reading (20 working days,
    due 2026-02-02), the second part is due earlier (2026-01-31): the earliest decides."""
    from gongkai.fields.timelimits import parse_time_limit

    limit = parse_time_limit("信息形成之日起20个工作日内；每年1月31日前公布年报")
    assert len(limit.parts) == 2 and limit.kind != "unparsed"
    r = due_date(limit, D(2026, 1, 5))
    assert [p.date for p in r.parts] == [D(2026, 2, 2), D(2026, 1, 31)]
    assert r.date == D(2026, 1, 31)
    assert "earliest-of-parts" in r.explanation.notes
    # a part due later than the whole does not move it
    assert due_date(limit, D(2025, 12, 1)).date == D(2025, 12, 29)


# --- exports ---------------------------------------------------------------------------

def _entries() -> list[tuple[str, DueDate] | tuple[str, DueDate, str | None]]:
    return [
        ("政府信息公开指南", due_date(working_days(5, clause=CLAUSE), D(2026, 9, 28)), "主动公开范围"),
        ("政府信息公开年报", due_date(ANNUAL, D(2026, 2, 1))),
        ("回应关切", due_date(TimeLimit(raw="及时公开", kind="timely"))),
    ]


def test_export_ics_parses_with_all_day_events_and_stable_uids() -> None:
    stamp = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    data = export_ics(_entries(), stamp=stamp)
    cal = icalendar.Calendar.from_ical(data)
    events = [c for c in cal.walk() if c.name == "VEVENT"]
    assert len(events) == 2                                    # the undated entry has no event
    guide, report = events
    assert guide.get("DTSTART").dt == D(2026, 10, 10)
    assert not isinstance(guide.get("DTSTART").dt, dt.datetime)
    assert guide.get("DTEND").dt == D(2026, 10, 11)
    assert str(guide.get("SUMMARY")) == "政府信息公开指南"
    assert str(guide.get("STATUS")) == "CONFIRMED"
    assert "主动公开范围" in str(guide.get("DESCRIPTION")) and "国庆节" in str(guide.get("DESCRIPTION"))
    assert str(report.get("SUMMARY")) == "【暂定】政府信息公开年报"
    assert str(report.get("STATUS")) == "TENTATIVE"
    # stable: same UIDs on another run at another time, different for different titles
    again = icalendar.Calendar.from_ical(export_ics(_entries()))
    assert [str(e.get("UID")) for e in again.walk("VEVENT")] == [str(e.get("UID")) for e in events]
    assert str(guide.get("UID")) != str(report.get("UID"))
    assert export_ics(_entries(), stamp=stamp) == data


def test_export_ics_repeated_title_and_date_get_distinct_uids() -> None:
    r = due_date(working_days(5), D(2026, 9, 28))
    cal = icalendar.Calendar.from_ical(export_ics([("A", r), ("A", r)], lang="en"))
    uids = [str(e.get("UID")) for e in cal.walk("VEVENT")]
    assert len(set(uids)) == 2
    assert "Due date: 2026-10-10" in str(cal.walk("VEVENT")[0].get("DESCRIPTION"))


def test_export_csv_lists_every_entry_with_its_reason() -> None:
    rows = list(csv.DictReader(io.StringIO(export_csv(_entries()))))
    assert [r["title"] for r in rows] == ["政府信息公开指南", "政府信息公开年报", "回应关切"]
    guide, report, timely = rows
    assert (guide["due_date"], guide["weekday"], guide["provisional"]) == ("2026-10-10", "星期六", "false")
    assert guide["caveats"] == CLAUSE and guide["description"] == "主动公开范围"
    assert "国庆节" in guide["explanation"]
    assert (report["due_date"], report["provisional"], report["calendar_source"]) == (
        "2027-01-31", "true", FALLBACK_SOURCE)
    assert (timely["due_date"], timely["reason"]) == ("", "及时公开，没有固定的截止日期")
    en = list(csv.DictReader(io.StringIO(export_csv(_entries(), lang="en"))))
    assert en[0]["weekday"] == "Saturday" and "National Day" in en[0]["explanation"]


def test_the_project_supplement_adds_official_days_chinesecalendar_lacks(tmp_path: Path) -> None:
    """data/calendar/*.csv comes before the user's files (which win for a date) and after
    nothing else: `gongkai deadline` and the app use it, the library default does not."""
    from gongkai.deadlines.calendar import official_calendar
    from gongkai.settings import Settings

    cal = official_calendar(Settings().data_dir)
    r = due_date(working_days(1), D(2025, 9, 2), calendar=cal)
    assert r.date == D(2025, 9, 4) and r.calendar_source.startswith("supplement.csv")
    # a user's file saying the day was worked overrides the supplement
    own = tmp_path / "own.csv"
    own.write_text("date,type\n2025-09-03,workday\n", encoding="utf-8")
    assert due_date(working_days(1), D(2025, 9, 2), calendar=official_calendar(Settings().data_dir, [own])).date \
        == D(2025, 9, 3)


@pytest.mark.parametrize("text", ["招生工作开始前10个工作日", "会议召开前5日"])
def test_a_period_before_the_event_gets_no_forward_date(text: str) -> None:
    """招生工作开始前10个工作日 is due ten working days *before* enrolment starts; counting
    forward from the event would give a wrong date, so none is given, and the reason says why."""
    from gongkai.fields.timelimits import parse_time_limit

    r = due_date(parse_time_limit(text), D(2026, 9, 1))
    assert r.date is None and r.reason == "before-event"
    assert "向前推算" in r.reason_text("zh") and "count back" in r.reason_text("en")
    # a period after its event is still counted
    assert due_date(parse_time_limit("形成之日起10个工作日内"), D(2026, 9, 1)).date == D(2026, 9, 15)
