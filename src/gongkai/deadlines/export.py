"""Due dates for calendars and spreadsheets: iCalendar and CSV."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from collections.abc import Iterable

from gongkai.csv_cells import csv_row
from gongkai.deadlines.calendar import weekday_name
from gongkai.deadlines.due import DueDate

Entry = tuple[str, DueDate] | tuple[str, DueDate, str | None]


def _unpack(entry: Entry) -> tuple[str, DueDate, str | None]:
    title, due = entry[0], entry[1]
    desc = entry[2] if len(entry) > 2 else None
    return title, due, desc


def _uid(title: str, date: dt.date, seen: dict[str, int]) -> str:
    """Stable across runs: a hash of the title and the date, plus a counter for repeats."""
    base = hashlib.sha256(f"{title}\n{date.isoformat()}".encode()).hexdigest()[:24]
    n = seen.get(base, 0) + 1
    seen[base] = n
    return f"{base}{'' if n == 1 else f'-{n}'}@gongkai"


def export_ics(entries: Iterable[Entry], *, lang: str = "zh", stamp: dt.datetime | None = None) -> bytes:
    """An iCalendar file with one all-day VEVENT per dated entry.

    Entries without a date (immediate, timely … limits) cannot be calendar events and are
    left out; ``export_csv`` lists them. A provisional date is marked in the SUMMARY and
    with ``STATUS:TENTATIVE``. ``stamp`` (DTSTAMP) defaults to now; pass a fixed one for
    byte-identical output.
    """
    import icalendar  # lazy: only for .ics output

    zh = lang == "zh"
    when = (stamp or dt.datetime.now(dt.UTC)).replace(microsecond=0)
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    cal = icalendar.Calendar()
    cal.add("prodid", "-//gongkai//deadlines//ZH")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "政务公开时限" if zh else "Disclosure deadlines")
    seen: dict[str, int] = {}
    for entry in entries:
        title, due, desc = _unpack(entry)
        if due.date is None:
            continue
        ev = icalendar.Event()
        ev.add("uid", _uid(title, due.date, seen))
        ev.add("dtstamp", when)
        ev.add("dtstart", due.date)
        ev.add("dtend", due.date + dt.timedelta(days=1))
        mark = ("【暂定】" if zh else "[provisional] ") if due.provisional else ""
        ev.add("summary", f"{mark}{title}")
        ev.add("description", "\n\n".join(x for x in (desc, due.text(lang)) if x))
        ev.add("status", "TENTATIVE" if due.provisional else "CONFIRMED")
        ev.add("transp", "TRANSPARENT")
        cal.add_component(ev)
    return cal.to_ical()


CSV_COLUMNS = ("title", "due_date", "weekday", "provisional", "calendar_source", "reason",
               "caveats", "description", "explanation")


def export_csv(entries: Iterable[Entry], *, lang: str = "zh") -> str:
    """One row per entry (also the undated ones, with their reason), header first; cells
    a spreadsheet would read as formulas get a leading ``'`` (``csv_cells``)."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    for entry in entries:
        title, due, desc = _unpack(entry)
        w.writerow(csv_row([
            title,
            due.date.isoformat() if due.date else "",
            weekday_name(due.date, lang) if due.date else "",
            "true" if due.provisional else "false",
            due.calendar_source or "",
            due.reason_text(lang),
            " | ".join(due.caveats),
            desc or "",
            due.explanation.text(lang),
        ]))
    return out.getvalue()
