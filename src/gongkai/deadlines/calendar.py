"""Working-day calendars: which days count, and why.

A time limit in 工作日 depends on the State Council's yearly holiday arrangement
(国务院办公厅关于××××年部分节假日安排的通知): public holidays that fall on weekdays,
and weekend days that become working days (调休上班) to make up for bridged days.
``WorkCalendar`` answers "is this a working day, and why?" from three layers, the most
specific first:

1. **Calendar files** the user supplies (CSV or iCalendar), for the dates they list. This
   is how an arrangement published after the installed chinesecalendar release, a
   correction, or a local holiday gets in. A year that a file lists at least one day of,
   and that chinesecalendar does not cover, is taken as described by the file: its
   unlisted days follow Monday–Friday and are *not* provisional (a file with the 2027
   arrangement need not list every ordinary Tuesday).
2. **chinesecalendar**, for the years it has data for (it raises for the others).
3. **The law, then Monday–Friday**, for everything else. From 2025 on, the statutory
   holidays themselves are fixed by 《全国年节及纪念日放假办法》 as revised in 2024 (in
   force 1 January 2025): 元旦 1 January; 春节 除夕 to 正月初三 (4 days); 清明节 the day of
   the solar term 清明; 劳动节 1–2 May; 端午节 五月初五; 中秋节 八月十五; 国庆节 1–3 October.
   ``statutory_holidays`` computes them (the lunar dates and 清明 with ``lunar_python``).
   What the law leaves to the yearly arrangement, the bridged days and the make-up
   working days (调休), is not known, and is not guessed: the other days follow
   Monday–Friday. Every day of this layer, holiday or not, is *provisional*: the real
   arrangement may move it, so every answer that rests on it must say so.

Calendar files:

- CSV, ``date,type[,name]``, UTF-8 with or without BOM, an optional header row, blank
  lines and ``#`` comment lines ignored. ``type`` is ``holiday``/``休``/``假`` or
  ``workday``/``班``/``补班``/``上班``; ``name`` is the holiday (for a make-up working
  day: the holiday it makes up for).
- iCalendar (``.ics``): each VEVENT whose SUMMARY contains 班/补班/workday is a working
  day, one whose SUMMARY contains 休/假/holiday is a holiday; other events (birthdays,
  solar terms) are ignored. Multi-day events cover DTSTART up to, not including, DTEND,
  as RFC 5545 says for all-day events.

A file that cannot be read or understood raises ``errors.InputError`` naming the file and
the line.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from gongkai.errors import InputError, Text
from gongkai.text import halfwidth

if TYPE_CHECKING:  # icalendar is loaded only for .ics files
    from icalendar.cal import Component

#: label of the last layer, used as ``calendar_source`` and in explanations.
FALLBACK_SOURCE = "Monday–Friday fallback"
#: label of the statutory holidays the last layer computes from the law.
STATUTORY_SOURCE = "全国年节及纪念日放假办法（2024年修订）"
#: the law that fixes the statutory holidays, as cited in explanations (zh, en).
STATUTORY_LAW = ("《全国年节及纪念日放假办法》（2024年修订，2025年1月1日起施行）",
                 ("the Measures on National Holidays and Memorial Days (《全国年节及纪念日放假办法》, "
                  "as revised in 2024, in force from 1 January 2025)"))
#: the first year the law's holidays, as revised, apply to.
STATUTORY_SINCE = 2025

#: what a day is, for the purpose of counting working days.
DayNature = Literal["workday", "makeup-workday", "weekend", "holiday"]

# --- vocabulary --------------------------------------------------------------

#: statutory holidays as chinesecalendar names them (English) and as the State Council's
#: notices name them (Chinese). Used to give each holiday its name in both languages.
HOLIDAY_NAMES: tuple[tuple[str, str], ...] = (
    ("元旦", "New Year's Day"),
    ("春节", "Spring Festival"),
    ("清明节", "Tomb-sweeping Day"),
    ("劳动节", "Labour Day"),
    ("端午节", "Dragon Boat Festival"),
    ("中秋节", "Mid-autumn Festival"),
    ("国庆节", "National Day"),
    ("中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日", "Anti-Fascist 70th Day"),
)
_NAME_ALIASES = {"五一": "劳动节", "五一劳动节": "劳动节", "国庆": "国庆节", "中秋": "中秋节",
                 "清明": "清明节", "端午": "端午节", "新年": "元旦"}

#: words of the ``type`` column of a CSV calendar.
_CSV_HOLIDAY = {"holiday", "休", "假", "休息", "放假", "rest", "off"}
_CSV_WORKDAY = {"workday", "班", "补班", "上班", "调休上班", "work", "working day"}

#: words that classify an iCalendar SUMMARY; working-day words are checked first because
#: 调休上班 also contains 休.
_ICS_WORKDAY_WORDS = ("补班", "上班", "班", "workday", "working day", "make-up")
_ICS_HOLIDAY_WORDS = ("休", "假", "holiday")
# what is stripped from a SUMMARY to leave the holiday's name: type markers in brackets,
# type words, and counters such as 第1天/共7天.
_ICS_NAME_NOISE = re.compile(
    r"[（(\[【]\s*(?:休|班|假|补班|上班|放假)\s*[）)\]】]"
    r"|第\s*\d+\s*天\s*/?\s*(?:共\s*\d+\s*天)?|共\s*\d+\s*天"
    r"|调休上班|补班|上班|放假|假期|休息|holiday|workday|working day|make-up"
    r"|(?<![\u4e00-\u9fff])[休班假](?![\u4e00-\u9fff])",
    re.IGNORECASE,
)

_WEEKDAYS_ZH = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")
_WEEKDAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def weekday_name(d: dt.date, lang: str = "zh") -> str:
    """星期一 … 星期日, or Monday … Sunday."""
    return (_WEEKDAYS_ZH if lang == "zh" else _WEEKDAYS_EN)[d.weekday()]


def holiday_names(name: str | None) -> tuple[str | None, str | None]:
    """(Chinese, English) names of a holiday written either way; unknown names are kept as written.

    >>> holiday_names("National Day")
    ('国庆节', 'National Day')
    >>> holiday_names("国庆")
    ('国庆节', 'National Day')
    """
    if not name or not name.strip():
        return None, None
    text = name.strip()
    probe = _NAME_ALIASES.get(text, text)
    for zh, en in HOLIDAY_NAMES:
        if probe == zh or probe.casefold() == en.casefold():
            return zh, en
    try:  # a holiday added to chinesecalendar after this table was written
        import chinese_calendar  # lazy: its tables load only when a day is looked up

        return chinese_calendar.Holiday(text).chinese, text
    except (ImportError, ValueError, AttributeError):
        return text, text


# --- calendar file entries ---------------------------------------------------

@dataclass(frozen=True)
class CalendarEntry:
    """One day a calendar file lists: a holiday or a working day, with the line it came from."""

    date: dt.date
    is_workday: bool
    name: str | None = None     # holiday name (for a make-up day, the holiday it makes up for)
    source: str = ""            # file name, without directory
    row: int | None = None      # 1-based line in the file


def read_calendar_file(path: str | Path) -> list[CalendarEntry]:
    """Read a CSV (``.csv``, ``.txt``) or iCalendar (``.ics``, ``.ical``) calendar file."""
    suffix = Path(path).suffix.lower()
    if suffix in (".ics", ".ical", ".ifb"):
        return read_ics_calendar(path)
    if suffix in (".csv", ".txt", ".tsv") or not suffix:
        return read_csv_calendar(path)
    raise InputError(str(path), Text(f"unknown calendar file type {suffix!r}: expected .csv or .ics",
                                     f"不认识的日历文件类型“{suffix}”：应为 .csv 或 .ics"), code="format")


def _read_text(path: str | Path) -> str:
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise InputError(str(path), f"cannot read the file ({exc.strerror or exc})") from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(str(path), Text("not UTF-8 text (save the file as UTF-8)",
                                         "不是 UTF-8 编码的文本（请另存为 UTF-8）"), row=line, code="encoding") from exc


_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$|^(\d{4})(\d{2})(\d{2})$")


def parse_calendar_date(text: str) -> dt.date | None:
    """``2026-10-01``, ``2026/10/1``, ``2026.10.1``, ``2026年10月1日`` or ``20261001``; None otherwise."""
    m = _DATE.match(halfwidth(text).strip())
    if not m:
        return None
    y, mo, d = (int(g) for g in (m.groups()[:3] if m.group(1) else m.groups()[3:]))
    try:
        return dt.date(y, mo, d)
    except ValueError:
        return None


def _add(entries: dict[dt.date, CalendarEntry], entry: CalendarEntry, file: str, cell: str) -> None:
    """Keep one entry per date; the same day listed twice with opposite types is an error."""
    seen = entries.get(entry.date)
    if seen is None:
        entries[entry.date] = entry
    elif seen.is_workday != entry.is_workday:
        raise InputError(
            file,
            Text(f"{entry.date.isoformat()} is listed as both a holiday and a working day "
                 f"(also on line {seen.row})",
                 f"{entry.date.isoformat()} 既列为假日又列为工作日（另见第 {seen.row} 行）"),
            row=entry.row,
            cell=cell,
        )


def read_csv_calendar(path: str | Path) -> list[CalendarEntry]:
    """Read ``date,type[,name]`` rows; see the module docstring for the accepted words."""
    file = str(path)
    source = Path(path).name
    text = _read_text(path)
    reader = csv.reader(io.StringIO(text, newline=""))
    entries: dict[dt.date, CalendarEntry] = {}
    first = True
    try:
        rows = [(reader.line_num, row) for row in reader]
    except csv.Error as exc:
        raise InputError(file, f"not a readable CSV file ({exc})", row=reader.line_num) from exc
    for line, row in rows:
        cells = [c.strip() for c in row]
        if not any(cells) or cells[0].startswith("#"):
            continue
        if first:
            first = False
            if cells[0].casefold() in ("date", "日期"):
                continue  # header row
        if len(cells) < 2 or not cells[1]:
            raise InputError(file, Text("expected date,type[,name]", "每行应为：日期,类型[,名称]"), row=line)
        day = parse_calendar_date(cells[0])
        if day is None:
            raise InputError(file, Text(f"not a date: {cells[0]!r} (expected YYYY-MM-DD)",
                                        f"“{cells[0]}”不是日期（应为 YYYY-MM-DD）"), row=line, cell="date")
        kind = halfwidth(cells[1]).strip().casefold()
        if kind in _CSV_HOLIDAY:
            is_workday = False
        elif kind in _CSV_WORKDAY:
            is_workday = True
        else:
            raise InputError(
                file, Text(f"unknown day type {cells[1]!r} (expected holiday/休 or workday/班)",
                           f"不认识的日子类型“{cells[1]}”（应为 休 或 班）"), row=line, cell="type"
            )
        name = cells[2] if len(cells) > 2 and cells[2] else None
        _add(entries, CalendarEntry(day, is_workday, name, source, line), file, "date")
    if not entries:
        raise InputError(file, Text("the calendar file lists no days", "日历文件中没有列出任何日子"), code="empty")
    return sorted(entries.values(), key=lambda e: e.date)


def _ics_kind(summary: str) -> bool | None:
    """True for a working day, False for a holiday, None for an event that is neither."""
    s = summary.casefold()
    if any(w in s for w in _ICS_WORKDAY_WORDS):
        return True
    if any(w in s for w in _ICS_HOLIDAY_WORDS):
        return False
    return None


def _ics_name(summary: str) -> str | None:
    name = _ICS_NAME_NOISE.sub(" ", summary)
    name = re.sub(r"[\s/·:：,，\-–—]+", " ", name).strip()
    return name or None


def _value(prop: object) -> object:
    """The decoded value of an iCalendar property, or None when it is missing or malformed
    (icalendar keeps a malformed value as a "broken" property that raises on access)."""
    if prop is None:
        return None
    try:
        return getattr(prop, "dt", None)
    except (ValueError, AttributeError):  # icalendar's BrokenCalendarProperty is a ValueError
        return None


def _as_date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return None


def read_ics_calendar(path: str | Path) -> list[CalendarEntry]:
    """Read holidays and working days from the VEVENTs of an iCalendar file."""
    import icalendar  # lazy: only for .ics files

    file = str(path)
    source = Path(path).name
    text = _read_text(path)
    try:
        cal = icalendar.Calendar.from_ical(text)
    except ValueError as exc:
        raise InputError(file, f"not a readable iCalendar file ({exc})") from exc
    # icalendar keeps no line numbers: the n-th VEVENT is the n-th BEGIN:VEVENT line.
    starts = [i for i, ln in enumerate(text.splitlines(), 1) if ln.strip().upper() == "BEGIN:VEVENT"]
    events = [c for c in cal.walk() if c.name == "VEVENT"]
    entries: dict[dt.date, CalendarEntry] = {}
    for n, ev in enumerate(events):
        line = starts[n] if len(starts) == len(events) else None
        summary = str(ev.get("SUMMARY", "") or "")
        is_workday = _ics_kind(summary)
        if is_workday is None:
            continue
        if ev.get("RRULE") is not None:
            raise InputError(file, "recurring events (RRULE) are not supported: list each day", row=line,
                             cell="RRULE")
        start = _as_date(_value(ev.get("DTSTART")))
        if start is None:
            raise InputError(file, f"event {summary!r} has no valid DTSTART", row=line, cell="DTSTART")
        end = _event_end(ev, start, file, line, summary)
        name = _ics_name(summary)
        d = start
        while d < end:
            _add(entries, CalendarEntry(d, is_workday, name, source, line), file, "DTSTART")
            d += dt.timedelta(days=1)
    if not entries:
        raise InputError(file, "no holiday (休/假) or working-day (班) events in the calendar")
    return sorted(entries.values(), key=lambda e: e.date)


def _event_end(ev: Component, start: dt.date, file: str, line: int | None, summary: str) -> dt.date:
    """The first day *after* the event: DTEND for an all-day event (exclusive), the day after
    DTEND's date for a timed one, DTSTART + DURATION, or the day after DTSTART."""
    get = ev.get
    prop_end = get("DTEND")
    if prop_end is not None:
        raw = _value(prop_end)
        end = _as_date(raw)
        if end is None:
            raise InputError(file, f"event {summary!r} has an invalid DTEND", row=line, cell="DTEND")
        if isinstance(raw, dt.datetime):
            # a timed event covers the day its end falls on, unless it ends at midnight
            end = end if raw.time() == dt.time(0) and end > start else end + dt.timedelta(days=1)
    elif get("DURATION") is not None:
        dur = _value(get("DURATION"))
        if not isinstance(dur, dt.timedelta):
            raise InputError(file, f"event {summary!r} has an invalid DURATION", row=line, cell="DURATION")
        end = start + dt.timedelta(days=max(dur.days, 1))
    else:
        end = start + dt.timedelta(days=1)
    if end <= start:
        raise InputError(file, f"event {summary!r} ends before it starts", row=line, cell="DTEND")
    if (end - start).days > 366:
        raise InputError(file, f"event {summary!r} spans more than a year", row=line, cell="DTEND")
    return end


# --- the layered calendar ----------------------------------------------------

@dataclass(frozen=True)
class Day:
    """One date and what it is for counting, with the layer that decided it."""

    date: dt.date
    is_workday: bool
    nature: DayNature
    holiday: str | None = None      # Chinese name; for a make-up working day, the holiday made up for
    holiday_en: str | None = None
    source: str = ""                # file name, "chinesecalendar 1.x", STATUTORY_SOURCE or FALLBACK_SOURCE
    provisional: bool = False       # decided by the last layer (the law's holidays, Monday–Friday)

    def reason(self, lang: str = "zh", *, mark_provisional: bool = True) -> str:
        """Short description: 工作日, 周末, 国庆节, 调休上班（国庆节） / working day, weekend …

        A provisional day says so (（暂定） / (provisional)) unless ``mark_provisional`` is
        False, for callers that place the mark themselves.
        """
        zh = lang == "zh"
        name = self.holiday if zh else self.holiday_en
        if self.nature == "holiday":
            text = name or ("节假日" if zh else "public holiday")
        elif self.nature == "makeup-workday":
            base = "调休上班" if zh else "make-up working day"
            text = f"{base}（{name}）" if name and zh else f"{base} ({name})" if name else base
        elif self.nature == "weekend":
            text = "周末" if zh else "weekend"
        else:
            text = "工作日" if zh else "working day"
        if self.provisional and mark_provisional:
            text += "（暂定）" if zh else " (provisional)"
        return text


@lru_cache(maxsize=1)
def chinesecalendar_source() -> str:
    """``chinesecalendar 1.11.0``: the installed release, which fixes the years covered."""
    try:

        return f"chinesecalendar {version('chinesecalendar')}"
    except ImportError:  # pragma: no cover - metadata missing in odd installs (PackageNotFoundError)
        import chinese_calendar  # lazy: its tables load only when a day is looked up

        return f"chinesecalendar {getattr(chinese_calendar, '__version__', '1.x')}"


class WorkCalendar:
    """The working-day calendar: calendar files, then chinesecalendar, then the statutory
    holidays of the law and Monday–Friday (provisional).

    ``entries`` are the days of calendar files (``read_calendar_file``); when several files
    list the same date, the later one wins. ``use_chinesecalendar=False`` leaves the
    files and the fallback only (to test, or to rely on a complete file of one's own).
    """

    def __init__(self, entries: Iterable[CalendarEntry] = (), *, use_chinesecalendar: bool = True) -> None:
        self._entries: dict[dt.date, CalendarEntry] = {}
        self._file_years: dict[int, str] = {}
        for e in entries:
            self._entries[e.date] = e
            self._file_years.setdefault(e.date.year, e.source or "calendar file")
        self._use_cc = use_chinesecalendar

    @classmethod
    def from_files(cls, paths: Sequence[str | Path], *, use_chinesecalendar: bool = True) -> WorkCalendar:
        """A calendar with the given files on top (later files win for the same date)."""
        entries: list[CalendarEntry] = []
        for p in paths:
            entries.extend(read_calendar_file(p))
        return cls(entries, use_chinesecalendar=use_chinesecalendar)

    @classmethod
    def from_file(cls, path: str | Path, *, use_chinesecalendar: bool = True) -> WorkCalendar:
        return cls.from_files([path], use_chinesecalendar=use_chinesecalendar)

    def day(self, d: dt.date) -> Day:
        """What ``d`` is, and which layer says so."""
        entry = self._entries.get(d)
        if entry is not None:
            return _day_from_entry(entry)
        if self._use_cc:
            day = _day_from_chinesecalendar(d)
            if day is not None:
                return day
        weekend = d.weekday() >= 5
        source = self._file_years.get(d.year)
        if source is None:
            statutory = statutory_holidays(d.year).get(d)
            if statutory is not None:
                zh, en = holiday_names(statutory)
                return Day(d, False, "holiday", zh, en, STATUTORY_SOURCE, provisional=True)
        return Day(
            date=d,
            is_workday=not weekend,
            nature="weekend" if weekend else "workday",
            source=source or FALLBACK_SOURCE,
            provisional=source is None,
        )

    def describe(self, d: dt.date, lang: str = "zh") -> tuple[bool, str]:
        """(is_workday, reason): ``(False, '国庆节')``, ``(True, '调休上班（国庆节）')``."""
        day = self.day(d)
        return day.is_workday, day.reason(lang)

    def is_workday(self, d: dt.date) -> bool:
        return self.day(d).is_workday

    def next_workday(self, d: dt.date) -> tuple[Day, list[Day]]:
        """The first working day on or after ``d``, and the rest days passed on the way."""
        skipped: list[Day] = []
        day = self.day(d)
        while not day.is_workday:
            skipped.append(day)
            day = self.day(day.date + dt.timedelta(days=1))
        return day, skipped

    def previous_workday(self, d: dt.date) -> Day:
        """The last working day on or before ``d``."""
        day = self.day(d)
        while not day.is_workday:
            day = self.day(day.date - dt.timedelta(days=1))
        return day


def _day_from_entry(entry: CalendarEntry) -> Day:
    zh, en = holiday_names(entry.name)
    if entry.is_workday:
        nature: DayNature = "makeup-workday" if entry.date.weekday() >= 5 else "workday"
    else:
        nature = "holiday"
    return Day(entry.date, entry.is_workday, nature, zh, en, entry.source or "calendar file")


def _day_from_chinesecalendar(d: dt.date) -> Day | None:
    """chinesecalendar's answer, or None for a year it has no data for."""
    import chinese_calendar  # lazy: its tables load only when a day is looked up

    try:
        on_holiday, name = chinese_calendar.get_holiday_detail(d)
    except NotImplementedError:
        return None
    zh, en = holiday_names(name)
    weekend = d.weekday() >= 5
    if on_holiday:
        nature: DayNature = "holiday" if name else "weekend"
    else:
        nature = "makeup-workday" if weekend else "workday"
    return Day(d, not on_holiday, nature, zh, en, chinesecalendar_source())


def festival_dates(year: int) -> dict[str, dt.date]:
    """The dates of the movable festivals in ``year``: 春节 (正月初一), 清明 (the solar
    term), 端午节 (五月初五) and 中秋节 (八月十五), from ``lunar_python`` (an astronomical
    computation of the Chinese calendar, pure Python, any year)."""
    from lunar_python import Lunar, Solar  # lazy: only for years without an arrangement

    def solar(lunar_month: int, lunar_day: int) -> dt.date:
        s = Lunar.fromYmd(year, lunar_month, lunar_day).getSolar()
        return dt.date(s.getYear(), s.getMonth(), s.getDay())

    qingming = Solar.fromYmd(year, 4, 15).getLunar().getJieQiTable()["清明"]
    return {"春节": solar(1, 1), "清明节": dt.date(qingming.getYear(), qingming.getMonth(), qingming.getDay()),
            "端午节": solar(5, 5), "中秋节": solar(8, 15)}


@lru_cache(maxsize=32)
def statutory_holidays(year: int) -> dict[dt.date, str]:
    """The days 《全国年节及纪念日放假办法》 (2024 revision) makes holidays in ``year``, each
    with its Chinese name; empty before 2025, when the law said otherwise.

    The arrangement of a year adds bridged days and make-up working days around them; the
    days the law itself names are holidays in every arrangement: 元旦 1 January; 春节 除夕
    (the day before 正月初一) to 正月初三;
    清明节; 劳动节 1–2 May; 端午节; 中秋节; 国庆节 1–3 October (which wins the name of a
    中秋 falling on it).
    """
    if year < STATUTORY_SINCE:
        return {}
    festivals = festival_dates(year)
    days = {dt.date(year, 1, 1): "元旦"}
    days.update((festivals["春节"] + dt.timedelta(days=n), "春节") for n in range(-1, 3))
    days.update({festivals[name]: name for name in ("清明节", "端午节", "中秋节")})
    days.update({dt.date(year, 5, 1): "劳动节", dt.date(year, 5, 2): "劳动节"})
    days.update((dt.date(year, 10, n), "国庆节") for n in (1, 2, 3))
    return days


def official_calendar(data_dir: Path, user_files: Sequence[str | Path] = ()) -> WorkCalendar:
    """The calendar users get: the project's supplement (``data/calendar/*.csv``: official
    days chinesecalendar does not know), then the user's files (later files win for a date),
    then chinesecalendar, then Monday–Friday."""
    shipped = sorted((Path(data_dir) / "calendar").glob("*.csv"))
    return WorkCalendar.from_files([*shipped, *user_files])
