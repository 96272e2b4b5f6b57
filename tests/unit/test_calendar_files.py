"""Calendar files (CSV, iCalendar) and the layered working-day calendar.

Dates below were checked against chinesecalendar 1.11 and the State Council's notices
(国务院办公厅关于2025年/2026年部分节假日安排的通知). The 2026 National Day arrangement:
10-01 (Thu) to 10-07 (Wed) off, Sunday 09-20 and Saturday 10-10 are working days.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import gongkai.deadlines.calendar as calendar_files
from gongkai.deadlines.calendar import (
    FALLBACK_SOURCE,
    STATUTORY_SOURCE,
    CalendarEntry,
    WorkCalendar,
    chinesecalendar_source,
    festival_dates,
    holiday_names,
    parse_calendar_date,
    read_calendar_file,
    statutory_holidays,
)
from gongkai.errors import InputError

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "calendars"
D = dt.date


@pytest.fixture(autouse=True)
def _chinesecalendar_up_to_2026(monkeypatch: pytest.MonkeyPatch) -> None:
    """chinesecalendar as of 1.11, which knows the arrangements up to 2026: a later release
    covering 2027 must not turn the provisional answers below into published ones."""
    known = calendar_files._day_from_chinesecalendar
    monkeypatch.setattr(calendar_files, "_day_from_chinesecalendar",
                        lambda d: known(d) if d.year <= 2026 else None)


# --- reading CSV ---------------------------------------------------------------

def test_csv_with_bom_header_and_crlf() -> None:
    entries = read_calendar_file(FIX / "extra-2025-bom.csv")
    assert entries == [
        CalendarEntry(D(2025, 9, 3), False, "纪念中国人民抗日战争暨世界反法西斯战争胜利80周年",
                      "extra-2025-bom.csv", 2)
    ]


def test_csv_chinese_types_date_forms_comments_and_no_header() -> None:
    entries = read_calendar_file(FIX / "zh-types-no-header.csv")
    assert [(e.date, e.is_workday, e.row) for e in entries] == [
        (D(2027, 9, 26), True, 2),
        (D(2027, 10, 1), False, 4),
        (D(2027, 10, 2), False, 5),
        (D(2027, 10, 9), True, 6),
    ]


@pytest.mark.parametrize(
    ("name", "row", "cell", "words"),
    [
        ("bad-date.csv", 3, "date", "2026-13-01"),
        ("bad-type.csv", 2, "type", "maybe"),
        ("conflict.csv", 4, "date", "line 2"),
        ("recurring.ics", 10, "RRULE", "RRULE"),
        ("bad-dtstart.ics", 4, "DTSTART", "DTSTART"),
    ],
)
def test_bad_files_name_file_row_and_cell(name: str, row: int, cell: str, words: str) -> None:
    with pytest.raises(InputError) as err:
        read_calendar_file(FIX / name)
    assert err.value.file.endswith(name)
    assert err.value.row == row
    assert err.value.cell == cell
    assert words in str(err.value)
    assert f"row {row}" in str(err.value)


def test_non_utf8_file_is_an_input_error_with_line(tmp_path: Path) -> None:
    p = tmp_path / "gbk.csv"
    p.write_bytes("date,type\n2026-10-01,休\n".encode("gb18030"))
    with pytest.raises(InputError) as err:
        read_calendar_file(p)
    assert err.value.row == 2
    assert "UTF-8" in err.value.reason


def test_missing_file_and_unknown_suffix_and_empty_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"missing\.csv"):
        read_calendar_file(tmp_path / "missing.csv")
    odd = tmp_path / "days.xlsx"
    odd.write_bytes(b"")
    with pytest.raises(InputError, match="unknown calendar file type"):
        read_calendar_file(odd)
    empty = tmp_path / "empty.csv"
    empty.write_text("date,type,name\n", encoding="utf-8")
    with pytest.raises(InputError, match="no days"):
        read_calendar_file(empty)


def test_csv_row_with_one_cell_is_rejected(tmp_path: Path) -> None:
    p = tmp_path / "short.csv"
    p.write_text("2026-10-01,休\n2026-10-02\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_calendar_file(p)
    assert err.value.row == 2


def test_same_day_listed_twice_with_the_same_type_is_accepted(tmp_path: Path) -> None:
    p = tmp_path / "twice.csv"
    p.write_text("2026-10-01,休,国庆节\n2026-10-01,holiday\n", encoding="utf-8")
    assert [e.row for e in read_calendar_file(p)] == [1]


# --- reading iCalendar -----------------------------------------------------------

def test_ics_multi_day_event_is_expanded_with_exclusive_dtend() -> None:
    entries = {e.date: e for e in read_calendar_file(FIX / "arrangement-2027-hypothetical.ics")}
    rest = [d for d, e in entries.items() if not e.is_workday]
    assert rest == [D(2027, 10, d) for d in range(1, 8)]         # 10-01 … 10-07, not 10-08
    assert entries[D(2027, 10, 1)].name == "国庆节"                # （休） marker stripped
    assert entries[D(2027, 10, 1)].row == 5                       # line of its BEGIN:VEVENT
    assert entries[D(2027, 9, 26)].is_workday                     # 补班
    assert entries[D(2027, 10, 9)].is_workday                     # 补班 with DURATION:P1D
    assert D(2027, 10, 8) not in entries                          # 寒露 is neither: ignored


def test_ics_timed_event_covers_the_days_it_touches(tmp_path: Path) -> None:
    p = tmp_path / "timed.ics"
    p.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//ZH\r\n"
        "BEGIN:VEVENT\r\nUID:x@t\r\nDTSTAMP:20260101T000000Z\r\n"
        "DTSTART:20271001T090000\r\nDTEND:20271002T180000\r\nSUMMARY:Local holiday\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n",
        encoding="utf-8",
    )
    entries = read_calendar_file(p)
    assert [(e.date, e.is_workday, e.name) for e in entries] == [
        (D(2027, 10, 1), False, "Local"),
        (D(2027, 10, 2), False, "Local"),
    ]


def test_ics_that_is_not_icalendar_or_has_no_day_events(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ics"
    bad.write_text("this is not a calendar\n", encoding="utf-8")
    with pytest.raises(InputError, match="iCalendar"):
        read_calendar_file(bad)
    none = tmp_path / "none.ics"
    none.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//ZH\r\nBEGIN:VEVENT\r\nUID:x@t\r\n"
        "DTSTAMP:20260101T000000Z\r\nDTSTART;VALUE=DATE:20270101\r\nSUMMARY:生日\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match="no holiday"):
        read_calendar_file(none)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-10-01", D(2026, 10, 1)),
        ("2026/9/3", D(2026, 9, 3)),
        ("2026.9.3", D(2026, 9, 3)),
        ("2026年9月3日", D(2026, 9, 3)),
        ("20260903", D(2026, 9, 3)),
        ("２０２６－０９－０３", D(2026, 9, 3)),
        ("2026-02-30", None),
        ("tomorrow", None),
    ],
)
def test_parse_calendar_date(text: str, expected: dt.date | None) -> None:
    assert parse_calendar_date(text) == expected


def test_holiday_names_both_ways() -> None:
    assert holiday_names("National Day") == ("国庆节", "National Day")
    assert holiday_names("春节") == ("春节", "Spring Festival")
    assert holiday_names("国庆") == ("国庆节", "National Day")
    zh70, _ = holiday_names("Anti-Fascist 70th Day")
    assert zh70 is not None and zh70.startswith("中国人民抗日战争")
    assert holiday_names("本地节日") == ("本地节日", "本地节日")
    assert holiday_names(None) == (None, None)


# --- the layered calendar ----------------------------------------------------------

def test_chinesecalendar_layer_holiday_makeup_weekend_workday() -> None:
    cal = WorkCalendar()
    hol = cal.day(D(2026, 10, 1))
    assert (hol.is_workday, hol.nature, hol.holiday, hol.holiday_en) == (False, "holiday", "国庆节", "National Day")
    assert hol.source == chinesecalendar_source() and hol.source.startswith("chinesecalendar 1.")
    makeup = cal.day(D(2026, 10, 10))  # Saturday, 调休上班
    assert (makeup.is_workday, makeup.nature, makeup.holiday) == (True, "makeup-workday", "国庆节")
    assert cal.day(D(2026, 10, 11)).nature == "weekend"
    assert cal.day(D(2026, 10, 12)).nature == "workday"
    assert not any(cal.day(D(2026, 10, d)).provisional for d in range(1, 13))


def test_describe_gives_workday_flag_and_reason_in_both_languages() -> None:
    cal = WorkCalendar()
    assert cal.describe(D(2026, 10, 1)) == (False, "国庆节")
    assert cal.describe(D(2026, 10, 1), "en") == (False, "National Day")
    assert cal.describe(D(2026, 10, 10)) == (True, "调休上班（国庆节）")
    assert cal.describe(D(2026, 10, 10), "en") == (True, "make-up working day (National Day)")
    assert cal.describe(D(2026, 10, 11)) == (False, "周末")
    assert cal.describe(D(2026, 10, 12), "en") == (True, "working day")
    assert cal.is_workday(D(2026, 10, 10)) and not cal.is_workday(D(2026, 10, 7))


def test_file_takes_precedence_for_the_dates_it_lists() -> None:
    # chinesecalendar 1.11 does not know the 2025-09-03 holiday; the file adds it.
    assert WorkCalendar().is_workday(D(2025, 9, 3))
    cal = WorkCalendar.from_file(FIX / "extra-2025-bom.csv")
    day = cal.day(D(2025, 9, 3))
    assert (day.is_workday, day.nature, day.source) == (False, "holiday", "extra-2025-bom.csv")
    # the rest of 2025 still comes from chinesecalendar
    assert cal.day(D(2025, 10, 1)).source.startswith("chinesecalendar")
    assert not cal.day(D(2025, 9, 4)).provisional


def test_year_beyond_chinesecalendar_is_provisional_monday_to_friday() -> None:
    cal = WorkCalendar()
    mon, sat = cal.day(D(2027, 10, 4)), cal.day(D(2027, 10, 9))
    assert (mon.is_workday, mon.nature, mon.provisional, mon.source) == (True, "workday", True, FALLBACK_SOURCE)
    assert (sat.is_workday, sat.nature, sat.provisional) == (False, "weekend", True)
    assert cal.describe(D(2027, 10, 4)) == (True, "工作日（暂定）")
    assert cal.describe(D(2027, 10, 9), "en") == (False, "weekend (provisional)")


def test_year_beyond_chinesecalendar_keeps_the_statutory_holidays_of_the_law() -> None:
    """2027-01-01 (元旦, a Friday) used to count as a working day."""
    cal = WorkCalendar()
    day = cal.day(D(2027, 1, 1))
    assert (day.is_workday, day.nature, day.holiday, day.holiday_en, day.provisional, day.source) == (
        False, "holiday", "元旦", "New Year's Day", True, STATUTORY_SOURCE)
    assert cal.describe(D(2027, 10, 1)) == (False, "国庆节（暂定）")
    # 2027: 春节 is 02-06, so 除夕 02-05 to 初三 02-08; 清明 04-05; 端午 06-09; 中秋 09-15
    off = [d for d in (D(2027, 1, 1) + dt.timedelta(days=n) for n in range(365)) if not cal.is_workday(d)
           and d.weekday() < 5]
    assert off == [D(2027, 1, 1), D(2027, 2, 5), D(2027, 2, 8), D(2027, 4, 5), D(2027, 6, 9), D(2027, 9, 15),
                   D(2027, 10, 1)]
    # the weekend days among them are holidays too; no make-up working day is invented
    assert cal.describe(D(2027, 2, 6), "en") == (False, "Spring Festival (provisional)")
    assert all(not cal.is_workday(d) for d in (D(2027, 5, 1), D(2027, 5, 2), D(2027, 10, 2), D(2027, 10, 3)))
    assert not any(cal.day(d).nature == "makeup-workday" for d in (D(2027, 1, 1) + dt.timedelta(days=n)
                                                                   for n in range(365)))


@pytest.mark.parametrize("year", [2025, 2026])
def test_statutory_holidays_are_holidays_in_the_published_arrangements(year: int) -> None:
    """The law's days, computed, against the State Council's arrangements for 2025 and 2026
    as chinesecalendar holds them: each is a rest day there, under the same name."""
    import chinese_calendar

    days = statutory_holidays(year)
    assert len(days) == 13 and list(days.values()).count("春节") == 4
    for day, name in days.items():
        on_holiday, published = chinese_calendar.get_holiday_detail(day)
        assert on_holiday and holiday_names(published)[0] == name, (day, name, published)


def test_festival_dates_agree_with_the_arrangements_since_2008() -> None:
    """正月初一, 清明, 端午 and 中秋 as lunar_python gives them are rest days in every
    arrangement chinesecalendar holds since they became holidays (2008), named for the
    festival unless a weekend or National Day took the name."""
    import chinese_calendar

    for year in range(2008, 2027):
        for name, day in festival_dates(year).items():
            on_holiday, published = chinese_calendar.get_holiday_detail(day)
            assert on_holiday, (year, name, day)
            assert holiday_names(published)[0] in (name, None, "国庆节"), (year, name, day, published)


def test_qingming_agrees_with_chinesecalendars_solar_terms() -> None:
    import chinese_calendar

    for year in range(2025, 2100):  # the two computations differ by a day in 2100
        terms = chinese_calendar.get_solar_terms(D(year, 4, 1), D(year, 4, 10))
        assert [d for d, name in terms if name == "清明"] == [festival_dates(year)["清明节"]], year


def test_no_statutory_holidays_before_the_2024_revision_applies() -> None:
    assert statutory_holidays(2024) == {}
    day = WorkCalendar(use_chinesecalendar=False).day(D(2003, 10, 1))  # older than chinesecalendar's data
    assert (day.is_workday, day.source) == (True, FALLBACK_SOURCE)


def test_a_year_a_file_describes_is_not_provisional_but_other_years_are() -> None:
    cal = WorkCalendar.from_file(FIX / "arrangement-2027-hypothetical.ics")
    listed = cal.day(D(2027, 10, 4))
    assert (listed.is_workday, listed.holiday, listed.provisional) == (False, "国庆节", False)
    unlisted = cal.day(D(2027, 10, 11))  # a Monday the file does not list
    assert (unlisted.is_workday, unlisted.provisional, unlisted.source) == (
        True, False, "arrangement-2027-hypothetical.ics")
    assert cal.day(D(2027, 10, 9)).nature == "makeup-workday"
    assert cal.day(D(2028, 3, 1)).provisional


def test_without_chinesecalendar_only_files_the_law_and_fallback() -> None:
    cal = WorkCalendar(use_chinesecalendar=False)
    day = cal.day(D(2026, 10, 5))  # a holiday of the 2026 arrangement, but the layer is off
    assert (day.is_workday, day.provisional, day.source) == (True, True, FALLBACK_SOURCE)
    day = cal.day(D(2026, 10, 1))  # the law's National Day
    assert (day.is_workday, day.provisional, day.source) == (False, True, STATUTORY_SOURCE)


def test_later_files_win_for_the_same_date(tmp_path: Path) -> None:
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_text("2026-10-12,休,本地节日\n", encoding="utf-8")
    b.write_text("2026-10-12,班\n", encoding="utf-8")
    assert not WorkCalendar.from_files([b, a]).is_workday(D(2026, 10, 12))
    assert WorkCalendar.from_files([a, b]).is_workday(D(2026, 10, 12))
    assert WorkCalendar.from_files([b, a]).describe(D(2026, 10, 12)) == (False, "本地节日")


def test_file_workday_on_a_weekday_overrides_a_holiday(tmp_path: Path) -> None:
    p = tmp_path / "override.csv"
    p.write_text("2026-10-02,workday\n", encoding="utf-8")
    day = WorkCalendar.from_file(p).day(D(2026, 10, 2))
    assert (day.is_workday, day.nature, day.source) == (True, "workday", "override.csv")


def test_next_and_previous_workday() -> None:
    cal = WorkCalendar()
    nxt, skipped = cal.next_workday(D(2026, 10, 1))
    assert nxt.date == D(2026, 10, 8)
    assert [s.date for s in skipped] == [D(2026, 10, d) for d in range(1, 8)]
    assert cal.previous_workday(D(2026, 10, 7)).date == D(2026, 9, 30)
    assert cal.previous_workday(D(2026, 10, 10)).date == D(2026, 10, 10)
