"""Deadlines from the knowledge graph, and the overdue check.

Two things live here, both on top of ``deadlines`` (the pure date arithmetic):

1. **Looking up what is due.** ``Catalogue`` reads the built graph through the query
   library (``lists``, ``item_time_limit``, ``annual_deadlines``): the lists and their
   bureaus, an item's time limit, the items due on a fixed date every year. A bureau is
   found by its name compared on ``text.key`` (spacing, widths, traditional characters
   ignored); an unknown name raises ``NotFound`` with the closest names, so that a typo
   gets a suggestion rather than a bare "not found". The time limit is rebuilt from the
   graph's own terms (kind, duration, trigger, annual date, exception clause, parts),
   not re-parsed from its text: the graph is the record, whichever version of the
   parser wrote it. ``item_due`` and ``upcoming`` turn these into ``ItemDue`` answers.

2. **The overdue check.** A CSV of publication records (which list, which item, the
   event date, the publication date if any, the page) is checked row by row against the
   items' time limits, on the same working-day calendar the due date is computed with:
   on time, late by N working days, missing (nothing published and the due date has
   passed on the day of the check), not yet due, or no due date (实时公开, 及时公开 …).
   The day of the check is a parameter (``today``), never the clock, so that a check
   can be repeated and tested. A row that names an unknown list or item, or has a bad
   date, is an error *of that row* (``InputError`` naming file, row and cell); the
   other rows are still checked, and the report lists both.

Nothing here prints or knows the command line; ``rdf/overdue.py`` maps a report to RDF.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import hashlib
import io
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Literal

from gongkai.calendar_files import parse_calendar_date, weekday_name
from gongkai.deadlines import DueDate, WorkCalendar, due_date, export_csv, export_ics
from gongkai.errors import GongkaiError, InputError
from gongkai.fields.text import clean, key
from gongkai.fields.timelimits import parse_time_limit
from gongkai.model import TimeLimit
from gongkai.queries import Library
from gongkai.service import run_query
from gongkai.store import Store

__all__ = [
    "CHINA",
    "STATUSES",
    "Catalogue",
    "CheckReport",
    "CheckedRecord",
    "ItemDue",
    "ItemLimit",
    "ListRef",
    "NotFound",
    "PublicationRecord",
    "check_file",
    "check_records",
    "export_entries",
    "item_due",
    "limit_due",
    "parse_date",
    "read_records",
    "today_in_china",
    "upcoming",
    "upcoming_text",
    "working_days_after",
]

#: China Standard Time: the time zone of the lists, of the holiday arrangements, and of a
#: publication time written without a zone.
CHINA = dt.timezone(dt.timedelta(hours=8), "CST")


def today_in_china() -> dt.date:
    """Today's date in China, the default day of a check."""
    return dt.datetime.now(CHINA).date()


def parse_date(text: str | None) -> dt.date | None:
    """``2026-09-28``, ``2026/9/28``, ``2026.9.28``, ``2026年9月28日`` or ``20260928``; None otherwise."""
    if text is None or not text.strip():
        return None
    return parse_calendar_date(text)


class NotFound(GongkaiError):
    """A bureau, list or item the graph does not have; ``suggestions`` are close names."""

    def __init__(self, message: str, suggestions: Sequence[str] = ()):
        self.suggestions = list(suggestions)
        if self.suggestions:
            message += f"; did you mean {'、'.join(self.suggestions)}?"
        super().__init__(message)


# --- the graph's lists and items ---------------------------------------------------

@dataclass(frozen=True)
class ListRef:
    """One disclosure list in the graph: its IRI, bureau (as labelled) and date."""

    iri: str
    bureau: str
    date: dt.date | None = None

    def label(self) -> str:
        return f"{self.bureau} {self.date.isoformat() if self.date else 'undated'}"


@dataclass
class ItemLimit:
    """An item of a list with its time limit (None when the list gives none)."""

    list: ListRef
    number: int
    iri: str
    title: str
    limit: TimeLimit | None


_KINDS = {"period", "annual", "immediate", "timely", "synchronous", "periodic", "permanent", "unparsed"}
_UNITS = {
    "https://w3id.org/gongkai/ontology#WorkingDay": "working_day",
    "http://www.w3.org/2006/time#unitDay": "day",
    "http://www.w3.org/2006/time#unitMonth": "month",
    "http://www.w3.org/2006/time#unitYear": "year",
}
_GMONTHDAY = re.compile(r"^--(\d{2})-(\d{2})")


def _s(row: dict, var: str) -> str | None:
    v = row.get(var)
    return None if v is None else str(v)


def _tail(iri: str | None) -> str | None:
    return iri.rstrip("/").rsplit("/", 1)[-1] if iri else None


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _limit_from_row(row: dict) -> TimeLimit:
    """One time-limit node of ``item_time_limit.rq`` as a ``TimeLimit`` (parts not attached)."""
    kind = _tail(_s(row, "kind")) or "unparsed"
    amount: int | None = None
    raw_amount = _s(row, "amount")
    if raw_amount:
        try:
            amount = int(Decimal(raw_amount))
        except (InvalidOperation, ValueError):
            amount = None
    unit = _UNITS.get(_s(row, "unit") or "")
    month = day = None
    m = _GMONTHDAY.match(_s(row, "annualDate") or "")
    if m:
        month, day = int(m.group(1)), int(m.group(2))
        unit = unit or "annual"
    return TimeLimit(
        raw=_s(row, "timeLimit") or "",
        kind=kind if kind in _KINDS else "unparsed",  # type: ignore[arg-type]
        amount=amount,
        unit=unit,  # type: ignore[arg-type]
        trigger=_tail(_s(row, "trigger")),  # type: ignore[arg-type]
        annual_month=month,
        annual_day=day,
        exception_clause=_s(row, "exceptionClause"),
        frequency=_s(row, "frequency"),
    )


class Catalogue:
    """The lists and items of the graph in ``store``, read with the library's queries.

    Answers are cached: a check of many records asks for each list and item once.
    """

    def __init__(self, store: Store, library: Library):
        self.store = store
        self.library = library
        self._lists: list[ListRef] | None = None
        self._items: dict[tuple[str, int], ItemLimit] = {}

    def _run(self, query: str, params: dict[str, str] | None = None):
        return run_query(self.store, self.library.get(query), params or {})

    # lists and bureaus

    def lists(self) -> list[ListRef]:
        """Every list, by bureau and date (undated lists last)."""
        if self._lists is None:
            seen: dict[str, ListRef] = {}
            for r in self._run("lists").rows:
                iri = str(r["list"])
                bureau = str(r.get("bureau", ""))
                if iri not in seen or (not seen[iri].bureau and bureau):
                    seen[iri] = ListRef(iri, bureau, _date(_s(r, "date")))
            self._lists = sorted(seen.values(), key=lambda x: (x.bureau, x.date is None, x.date or dt.date.min))
        return self._lists

    def bureaus(self) -> list[str]:
        return sorted({lst.bureau for lst in self.lists()})

    def find_bureau(self, name: str) -> str:
        """The bureau's name as the graph labels it; ``NotFound`` with close names otherwise."""
        want = key(name)
        if not want:
            raise NotFound("no bureau name given")
        names = self.bureaus()
        for b in names:
            if key(b) == want:
                return b
        keyed = {key(b): b for b in names}
        close = [keyed[k] for k in difflib.get_close_matches(want, list(keyed), n=3, cutoff=0.5)]
        for k, b in keyed.items():
            if (want in k or k in want) and b not in close:
                close.append(b)
        hint = "" if names else " (the graph has no lists: run `gongkai build`)"
        raise NotFound(f"no bureau named {name!r} in the graph{hint}", close[:5])

    def latest_list(self, bureau: str) -> ListRef:
        """The bureau's most recent list (an undated list only when there is no dated one)."""
        name = self.find_bureau(bureau)
        mine = [lst for lst in self.lists() if lst.bureau == name]
        dated = [lst for lst in mine if lst.date is not None]
        return max(dated, key=lambda x: x.date or dt.date.min) if dated else mine[0]

    def resolve_list(self, bureau: str | None = None, ref: str | None = None) -> ListRef:
        """The list meant by a bureau name and/or a list reference.

        ``ref`` is a list IRI or a date (the bureau's list of that date); without it the
        bureau's latest list is meant.
        """
        ref = (ref or "").strip() or None
        if ref is None:
            if not bureau:
                raise NotFound("name a bureau or a list")
            return self.latest_list(bureau)
        if _looks_like_iri(ref):
            hit = next((lst for lst in self.lists() if lst.iri == ref), None)
            if hit is None:
                raise NotFound(f"no list <{ref}> in the graph")
            if bureau and key(self.find_bureau(bureau)) != key(hit.bureau):
                raise NotFound(f"list <{ref}> belongs to {hit.bureau}, not {bureau}")
            return hit
        when = parse_date(ref)
        if when is None:
            raise NotFound(f"--list {ref!r} is neither a list IRI nor a date (YYYY-MM-DD)")
        if not bureau:
            raise NotFound(f"a list date ({ref}) needs a bureau name")
        name = self.find_bureau(bureau)
        mine = [lst for lst in self.lists() if lst.bureau == name]
        hit = next((lst for lst in mine if lst.date == when), None)
        if hit is None:
            dates = [lst.date.isoformat() if lst.date else "undated" for lst in mine]
            raise NotFound(f"{name} has no list dated {when.isoformat()}; its lists: {', '.join(dates)}")
        return hit

    # items

    def item(self, lst: ListRef, number: int) -> ItemLimit:
        """Item ``number`` of ``lst`` with its time limit; ``NotFound`` if the list has no such item."""
        cached = self._items.get((lst.iri, number))
        if cached is not None:
            return cached
        rows = self._run("item_time_limit", {"bureau": lst.bureau, "number": str(number), "list": lst.iri}).rows
        if not rows:
            raise NotFound(f"{lst.label()} has no item {number}")
        first = rows[0]
        whole: TimeLimit | None = None
        parts: list[tuple[int, TimeLimit]] = []
        seen: set[str] = set()
        for r in rows:
            node = _s(r, "limit")
            if node is None or node in seen:
                continue
            seen.add(node)
            order = int(str(r.get("partOrder", "0")))
            if order == 0:
                whole = _limit_from_row(r)
            else:
                parts.append((order, _limit_from_row(r)))
        if whole is not None:
            whole.parts = [p for _, p in sorted(parts, key=lambda x: x[0])]
        found = ItemLimit(lst, number, str(first["itemIri"]), str(first.get("item", "")), whole)
        self._items[(lst.iri, number)] = found
        return found

    def annual_items(self, bureau: str | None = None, *, latest_only: bool = True) -> list[ItemLimit]:
        """Items due on a fixed date every year (每年1月31日前), in each bureau's latest list.

        An older list of a bureau is superseded by its newer one, so its items are left
        out unless ``latest_only`` is False.
        """
        params = {"bureau": self.find_bureau(bureau)} if bureau else {}
        rows = self._run("annual_deadlines", params).rows
        latest = {b: self.latest_list(b) for b in self.bureaus()} if latest_only else {}
        by_iri = {lst.iri: lst for lst in self.lists()}
        out: dict[tuple[str, int, str], ItemLimit] = {}
        for r in rows:
            lst = by_iri.get(str(r["list"]))
            if lst is None or (latest_only and latest.get(lst.bureau) != lst):
                continue
            m = _GMONTHDAY.match(_s(r, "annualDate") or "")
            if not m:
                continue
            number = int(str(r["number"]))
            limit = TimeLimit(raw=_s(r, "timeLimit") or "", kind="annual", unit="annual",
                              annual_month=int(m.group(1)), annual_day=int(m.group(2)),
                              exception_clause=_s(r, "exceptionClause"))
            out.setdefault((lst.iri, number, limit.annual_date or ""),
                           ItemLimit(lst, number, str(r["itemIri"]), str(r.get("item", "")), limit))
        return list(out.values())


def _looks_like_iri(text: str) -> bool:
    return bool(re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://\S+$", text) or re.match(r"^urn:\S+$", text))


# --- due dates of items ----------------------------------------------------------

@dataclass
class ItemDue:
    """A due date and what it is for: an item of a list (``item``) or a typed-in limit."""

    limit: TimeLimit
    due: DueDate
    event: dt.date | None = None
    item: ItemLimit | None = None

    def title(self, lang: str = "zh") -> str:
        zh = lang == "zh"
        if self.item is None:
            return f"公开时限：{self.limit.raw}" if zh else f"Time limit: {self.limit.raw}"
        it = self.item
        return (f"{it.list.bureau} 第{it.number}项 {it.title}" if zh
                else f"{it.list.bureau}, item {it.number}: {it.title}")

    def description(self, lang: str = "zh") -> str:
        zh = lang == "zh"
        lines = []
        if self.item is not None:
            lines.append((f"清单：{self.item.list.label()} <{self.item.list.iri}>" if zh
                          else f"List: {self.item.list.label()} <{self.item.list.iri}>"))
            lines.append(f"时限：{self.limit.raw}" if zh else f"Time limit (as written): {self.limit.raw}")
        if self.event is not None and self.limit.kind != "annual":
            lines.append(f"事件日期：{self.event.isoformat()}" if zh else f"Event date: {self.event.isoformat()}")
        return "\n".join(lines)

    def entry(self, lang: str = "zh") -> tuple[str, DueDate, str]:
        """(title, due date, description) for ``deadlines.export_ics`` / ``export_csv``."""
        return self.title(lang), self.due, self.description(lang)

    def text(self, lang: str = "zh") -> str:
        """Title, where it comes from, a provisional banner when needed, then the reasoning."""
        zh = lang == "zh"
        lines = []
        if self.due.provisional:
            lines.append("【暂定 PROVISIONAL】本结果依据尚未公布的节假日安排推算，仅供参考。" if zh else
                         "[PROVISIONAL] This answer rests on days with no published holiday arrangement.")
        lines.append(self.title(lang))
        desc = self.description(lang)
        if desc:
            lines.append(desc)
        lines.append(self.due.text(lang))
        return "\n".join(lines)

    def as_dict(self, lang: str = "zh") -> dict[str, Any]:
        d: dict[str, Any] = {
            "title": self.title(lang),
            "time_limit": self.limit.raw,
            "event_date": self.event.isoformat() if self.event else None,
        }
        if self.item is not None:
            d.update({"bureau": self.item.list.bureau, "list": self.item.list.iri,
                      "list_date": self.item.list.date.isoformat() if self.item.list.date else None,
                      "item": self.item.number, "item_iri": self.item.iri, "item_title": self.item.title})
        d.update(self.due.as_dict(lang))
        return d


def item_due(catalogue: Catalogue, bureau: str | None, number: int, event: dt.date | None, *,
             list_ref: str | None = None, calendar: WorkCalendar | None = None,
             today: dt.date | None = None) -> ItemDue:
    """When item ``number`` of the bureau's latest list (or of ``list_ref``) falls due for an
    event on ``event``. A yearly limit needs no event: the next date on or after ``today``.

    Raises ``NotFound`` for an unknown bureau, list or item, and when the item has no time limit.
    """
    lst = catalogue.resolve_list(bureau, list_ref)
    it = catalogue.item(lst, number)
    if it.limit is None:
        raise NotFound(f"{lst.label()} item {number} ({it.title}) has no time limit")
    when = event if event is not None or it.limit.kind != "annual" else (today or today_in_china())
    return ItemDue(it.limit, due_date(it.limit, when, calendar=calendar), when, it)


def limit_due(text: str, event: dt.date | None, *, calendar: WorkCalendar | None = None,
              today: dt.date | None = None) -> ItemDue:
    """A due date for a time limit typed in (形成之日起5个工作日内). Never raises: a limit
    that cannot be read gives a ``DueDate`` without a date and with reason ``unparsed``."""
    limit = parse_time_limit(text)
    when = event if event is not None or limit.kind != "annual" else (today or today_in_china())
    return ItemDue(limit, due_date(limit, when, calendar=calendar), when)


def upcoming(catalogue: Catalogue, start: dt.date, end: dt.date | None = None, *,
             calendar: WorkCalendar | None = None, bureau: str | None = None) -> list[ItemDue]:
    """Due dates of the items due on a fixed date every year, sorted by date.

    Without ``end``: each item's next due date on or after ``start``. With ``end``: every
    due date from ``start`` to ``end`` (both included), several per item when the span is
    longer than a year.
    """
    if end is not None and end < start:
        raise ValueError(f"the end date {end.isoformat()} is before the start date {start.isoformat()}")
    cal = calendar if calendar is not None else WorkCalendar()
    out: list[ItemDue] = []
    for it in catalogue.annual_items(bureau):
        assert it.limit is not None
        if end is None:
            out.append(ItemDue(it.limit, due_date(it.limit, start, calendar=cal), start, it))
            continue
        for year in range(start.year, end.year + 1):
            d = due_date(it.limit, year=year, calendar=cal)
            if d.date is not None and start <= d.date <= end:
                out.append(ItemDue(it.limit, d, None, it))
    out.sort(key=lambda x: (x.due.date or dt.date.max, x.item.list.bureau if x.item else "",
                            x.item.number if x.item else 0))
    return out


def upcoming_text(entries: Sequence[ItemDue], lang: str = "zh") -> str:
    """One line per due date: date, weekday, provisional mark, item, limit, rest-day note."""
    zh = lang == "zh"
    if not entries:
        return "此期间没有每年固定日期的截止日。" if zh else "No fixed yearly due dates in this period."
    lines = []
    for e in entries:
        d = e.due
        if d.date is None:
            continue
        mark = ("【暂定】" if zh else "[provisional] ") if d.provisional else ""
        line = f"{d.date.isoformat()} {weekday_name(d.date, lang)}  {mark}{e.title(lang)} — {e.limit.raw}"
        last = next((s for s in d.explanation.steps if s.role == "last-workday"), None)
        if last is not None:
            line += (f"（该日为休息日，此前最后一个工作日 {last.date.isoformat()}）" if zh
                     else f" (a rest day; last working day before it: {last.date.isoformat()})")
        lines.append(line)
    return "\n".join(lines)


def export_entries(entries: Sequence[ItemDue], fmt: Literal["ics", "csv"], lang: str = "zh",
                   stamp: dt.datetime | None = None) -> bytes:
    """ICS or CSV (UTF-8 with BOM, for spreadsheet programs) of the due dates."""
    rows = [e.entry(lang) for e in entries]
    if fmt == "ics":
        return export_ics(rows, lang=lang, stamp=stamp)
    return ("\ufeff" + export_csv(rows, lang=lang)).encode("utf-8")


# --- working days between two dates ---------------------------------------------

def working_days_after(start: dt.date, end: dt.date, calendar: WorkCalendar) -> int:
    """Working days strictly after ``start`` up to and including ``end`` (0 when end <= start).

    How late a publication on ``end`` is for a due date ``start``: published the next
    working day is 1; on the weekend right after a Friday due date, 0.
    """
    n, d = 0, start
    while d < end:
        d += dt.timedelta(days=1)
        if calendar.is_workday(d):
            n += 1
    return n


# --- publication records ------------------------------------------------------------

#: header words of a records file, by column. English first; the Chinese forms are how
#: a spreadsheet kept by staff is likely to be headed.
COLUMNS: dict[str, tuple[str, ...]] = {
    "list": ("list", "list_iri", "清单", "清单iri", "清单目录"),
    "bureau": ("bureau", "机构", "单位", "责任单位", "公开主体"),
    "list_date": ("list_date", "清单日期"),
    "item": ("item", "number", "item_number", "序号", "事项序号"),
    "event_date": ("event_date", "event", "事件日期", "形成日期", "起算日期"),
    "published_date": ("published_date", "published", "publication_date", "公开日期", "发布日期"),
    "url": ("url", "page", "link", "网址", "链接", "公开网址"),
}
_HEADER = {key(w): col for col, words in COLUMNS.items() for w in words}
_LIST_AND_DATE = re.compile(r"^(?P<bureau>.+?)[\s,，/@|·]*(?P<date>\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?|\d{8})$")


@dataclass
class PublicationRecord:
    """One row of a records file, as read (checked against the graph later)."""

    row: int
    list_text: str
    item: int
    event: dt.date
    published: dt.date | None = None
    published_at: dt.datetime | None = None   # when the record gives a time of day
    url: str | None = None
    bureau: str | None = None                  # from a separate bureau column
    list_date: str | None = None               # from a separate list_date column


def _read_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(str(path), f"cannot read the file ({exc.strerror or exc})") from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:  # spreadsheets saved as CSV on Chinese Windows are GB18030 (GBK)
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(str(path), "neither UTF-8 nor GB18030 text (save the file as UTF-8)", row=line) from exc


def _published(text: str) -> tuple[dt.date, dt.datetime | None] | None:
    d = parse_date(text)
    if d is not None:
        return d, None
    try:
        t = dt.datetime.fromisoformat(text.strip().replace("/", "-"))
    except ValueError:
        return None
    if t.tzinfo is None:
        t = t.replace(tzinfo=CHINA)
    return t.date(), t


def read_records(path: str | Path) -> tuple[list[PublicationRecord], list[InputError]]:
    """Read a records CSV: (records, errors of single rows). A file that cannot be read at
    all (encoding, no header, a missing column) raises ``InputError``."""
    path = Path(path)
    file = str(path)
    text = _read_text(path)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        rows = [(reader.line_num, row) for row in reader]
    except csv.Error as exc:
        raise InputError(file, f"not a readable CSV file ({exc})", row=reader.line_num) from exc
    rows = [(n, r) for n, r in rows if any(c.strip() for c in r) and not r[0].lstrip().startswith("#")]
    if not rows:
        raise InputError(file, "the file has no rows")
    header_line, header = rows[0]
    cols: dict[str, int] = {}
    for i, h in enumerate(header):
        col = _HEADER.get(key(h))
        if col and col not in cols:
            cols[col] = i
    missing = [c for c in ("item", "event_date") if c not in cols]
    if "list" not in cols and "bureau" not in cols:
        missing.insert(0, "list")
    if missing:
        raise InputError(file, f"missing column(s) {', '.join(missing)}: the header must name "
                               "list (or bureau), item, event_date, published_date, url", row=header_line)
    records: list[PublicationRecord] = []
    errors: list[InputError] = []

    def cell(r: list[str], col: str) -> str:
        i = cols.get(col)
        return clean(r[i]) if i is not None and i < len(r) else ""

    for line, r in rows[1:]:
        list_text, bureau = cell(r, "list"), cell(r, "bureau")
        if not list_text and not bureau:
            errors.append(InputError(file, "no list: give the list IRI, or the bureau name and list date",
                                     row=line, cell="list"))
            continue
        num_text = cell(r, "item")
        number = int(num_text) if num_text.isdigit() else None
        if number is None or number < 1:
            errors.append(InputError(file, f"item must be a number, got {num_text!r}", row=line, cell="item"))
            continue
        ev_text = cell(r, "event_date")
        event = parse_date(ev_text)
        if event is None:
            errors.append(InputError(file, f"event_date is not a date: {ev_text!r} (expected YYYY-MM-DD)",
                                     row=line, cell="event_date"))
            continue
        pub_text = cell(r, "published_date")
        published = at = None
        if pub_text:
            got = _published(pub_text)
            if got is None:
                errors.append(InputError(file, f"published_date is not a date: {pub_text!r} "
                                               "(expected YYYY-MM-DD, or empty when not published)",
                                         row=line, cell="published_date"))
                continue
            published, at = got
        url = cell(r, "url") or None
        if url is not None and not _looks_like_iri(url):
            errors.append(InputError(file, f"url is not a web address: {url!r}", row=line, cell="url"))
            continue
        records.append(PublicationRecord(line, list_text, number, event, published, at, url,
                                         bureau or None, cell(r, "list_date") or None))
    return records, errors


# --- checking ----------------------------------------------------------------------

Status = Literal["on-time", "late", "missing", "not-yet-due", "no-due-date"]
STATUSES: tuple[Status, ...] = ("on-time", "late", "missing", "not-yet-due", "no-due-date")
STATUS_LABELS: dict[str, tuple[str, str]] = {
    "on-time": ("按时公开", "on time"),
    "late": ("逾期公开", "late"),
    "missing": ("逾期未公开", "missing"),
    "not-yet-due": ("尚未到期", "not yet due"),
    "no-due-date": ("无法判定", "no due date"),
}


@dataclass
class CheckedRecord:
    """A record with its item, due date and verdict.

    ``working_days_late`` / ``calendar_days_late``: for ``late``, counted up to the
    publication date; for ``missing``, up to the day of the check; None otherwise.
    """

    record: PublicationRecord
    item: ItemLimit
    due: DueDate
    status: Status
    working_days_late: int | None = None
    calendar_days_late: int | None = None
    notes: list[str] = field(default_factory=list)

    def verdict(self, lang: str = "zh") -> str:
        zh = lang == "zh"
        label = STATUS_LABELS[self.status][0 if zh else 1]
        if self.status == "late":
            return (f"{label}，逾期{self.working_days_late}个工作日（{self.calendar_days_late}天）" if zh
                    else f"{label} by {self.working_days_late} working day{'s' * (self.working_days_late != 1)} "
                         f"({self.calendar_days_late} calendar day{'s' * (self.calendar_days_late != 1)})")
        if self.status == "missing":
            return (f"{label}，已逾期{self.working_days_late}个工作日" if zh
                    else f"{label}: overdue by {self.working_days_late} working "
                         f"day{'s' * (self.working_days_late != 1)}")
        if self.status == "no-due-date":
            return f"{label}：{self.due.reason_text(lang)}" if zh else f"{label}: {self.due.reason_text(lang)}"
        return label


_NOTES = {
    "provisional": ("截止日期暂定（节假日安排未公布）", "provisional due date (no published holiday arrangement)"),
    "before-event": ("公开日期早于事件日期，请核对", "published before the event date: please check"),
}


@dataclass
class CheckReport:
    """The results of a check, the rows that could not be checked, and the day it was made."""

    file: str
    as_of: dt.date
    results: list[CheckedRecord] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    sha256: str = ""

    def counts(self) -> dict[str, int]:
        c = {s: 0 for s in STATUSES}
        for r in self.results:
            c[r.status] += 1
        c["error"] = len(self.errors)
        return c

    @property
    def exit_code(self) -> int:
        """0 nothing late or missing, 1 some late or missing, 2 rows in error."""
        if self.errors:
            return 2
        return 1 if any(r.status in ("late", "missing") for r in self.results) else 0

    def summary(self, lang: str = "zh") -> str:
        c = self.counts()
        zh = lang == "zh"
        parts = [f"{STATUS_LABELS[s][0 if zh else 1]} {c[s]}" for s in STATUSES if c[s]]
        if c["error"]:
            parts.append(f"错误 {c['error']}" if zh else f"errors {c['error']}")
        n = len(self.results) + len(self.errors)
        name = Path(self.file).name
        if zh:
            return f"{name}：{n}条记录，截至{self.as_of.isoformat()} — " + "，".join(parts)
        return f"{name}: {n} records as of {self.as_of.isoformat()} — " + ", ".join(parts)

    def text(self, lang: str = "zh") -> str:
        """Grouped by list (bureau and date) → item → records, errors last, then the summary."""
        zh = lang == "zh"
        lines: list[str] = []
        groups: dict[ListRef, dict[int, list[CheckedRecord]]] = {}
        for r in sorted(self.results, key=lambda r: (r.item.list.bureau, r.item.list.date or dt.date.min,
                                                       r.item.number, r.record.event, r.record.row)):
            groups.setdefault(r.item.list, {}).setdefault(r.item.number, []).append(r)
        for lst, items in groups.items():
            lines.append(lst.label())
            for number, recs in items.items():
                it = recs[0].item
                raw = it.limit.raw if it.limit else ""
                lines.append(f"  {number:>3} {it.title} — {raw}")
                if it.limit is not None and it.limit.exception_clause:
                    clause = it.limit.exception_clause
                    lines.append(f"      例外：{clause}" if zh else f"      exception (as written): {clause}")
                for r in recs:
                    rec = r.record
                    due = r.due.date.isoformat() if r.due.date else "—"
                    if r.due.provisional:
                        due += "（暂定）" if zh else " (provisional)"
                    pub = rec.published.isoformat() if rec.published else ("未公开" if zh else "not published")
                    lines.append(
                        (f"      第{rec.row}行  事件 {rec.event.isoformat()}  截止 {due}  公开 {pub}  → {r.verdict(lang)}"
                         if zh else
                         f"      row {rec.row}  event {rec.event.isoformat()}  due {due}  published {pub}  → "
                         f"{r.verdict(lang)}"))
                    for n in r.notes:
                        if n != "provisional":
                            lines.append(f"          {_NOTES[n][0 if zh else 1]}")
        if self.errors:
            lines.append("无法核查的记录：" if zh else "Records that could not be checked:")
            for e in sorted(self.errors, key=lambda e: e.row or 0):
                lines.append(f"  {e}")
        lines.append(self.summary(lang))
        return "\n".join(lines)

    def rows(self, lang: str = "zh") -> list[dict[str, Any]]:
        """One flat dict per record (errors included), for JSON and CSV."""
        out: list[dict[str, Any]] = []
        for r in sorted(self.results, key=lambda r: r.record.row):
            rec, it = r.record, r.item
            out.append({
                "row": rec.row,
                "bureau": it.list.bureau,
                "list": it.list.iri,
                "list_date": it.list.date.isoformat() if it.list.date else None,
                "item": it.number,
                "item_iri": it.iri,
                "title": it.title,
                "time_limit": it.limit.raw if it.limit else None,
                "event_date": rec.event.isoformat(),
                "due_date": r.due.date.isoformat() if r.due.date else None,
                "provisional": r.due.provisional,
                "calendar_source": r.due.calendar_source,
                "published_date": rec.published.isoformat() if rec.published else None,
                "status": r.status,
                "status_label": STATUS_LABELS[r.status][0 if lang == "zh" else 1],
                "working_days_late": r.working_days_late,
                "calendar_days_late": r.calendar_days_late,
                "url": rec.url,
                "notes": [_NOTES[n][0 if lang == "zh" else 1] for n in r.notes],
                "caveats": r.due.caveats,
                "error": None,
            })
        for e in self.errors:
            out.append({"row": e.row, "status": "error", "error": str(e), "cell": e.cell})
        out.sort(key=lambda d: d["row"] or 0)
        return out

    def as_dict(self, lang: str = "zh") -> dict[str, Any]:
        return {"file": Path(self.file).name, "sha256": self.sha256, "as_of": self.as_of.isoformat(),
                "counts": self.counts(), "records": self.rows(lang)}

    def json(self, lang: str = "zh") -> str:
        return json.dumps(self.as_dict(lang), ensure_ascii=False, indent=2)

    CSV_COLUMNS = ("row", "bureau", "list_date", "item", "title", "time_limit", "event_date", "due_date",
                   "provisional", "published_date", "status", "status_label", "working_days_late",
                   "calendar_days_late", "url", "notes", "caveats", "list", "error")

    def csv(self, lang: str = "zh") -> str:
        from gongkai.csv_cells import csv_row

        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(self.CSV_COLUMNS)
        for d in self.rows(lang):
            vals = []
            for c in self.CSV_COLUMNS:
                v = d.get(c)
                if isinstance(v, list):
                    v = " | ".join(v)
                elif isinstance(v, bool):
                    v = "true" if v else "false"
                vals.append("" if v is None else str(v))
            w.writerow(csv_row(vals))
        return buf.getvalue()


def _resolve_record(catalogue: Catalogue, rec: PublicationRecord, file: str) -> ItemLimit:
    try:
        text = rec.list_text
        if rec.bureau is not None:
            lst = catalogue.resolve_list(rec.bureau, text or rec.list_date)
        elif _looks_like_iri(text):
            lst = catalogue.resolve_list(None, text)
        else:
            m = _LIST_AND_DATE.match(text)
            lst = (catalogue.resolve_list(m.group("bureau"), m.group("date")) if m
                   else catalogue.resolve_list(text, None))
    except NotFound as e:
        raise InputError(file, str(e), row=rec.row, cell="list") from None
    try:
        it = catalogue.item(lst, rec.item)
    except NotFound as e:
        raise InputError(file, str(e), row=rec.row, cell="item") from None
    if it.limit is None:
        raise InputError(file, f"{lst.label()} item {rec.item} ({it.title}) has no time limit",
                         row=rec.row, cell="item")
    return it


def check_records(records: Iterable[PublicationRecord], catalogue: Catalogue, *, today: dt.date,
                  calendar: WorkCalendar | None = None, file: str = "",
                  errors: Iterable[InputError] = ()) -> CheckReport:
    """Check each record against its item's time limit as of ``today``."""
    cal = calendar if calendar is not None else WorkCalendar()
    report = CheckReport(file=file, as_of=today, errors=list(errors))
    for rec in records:
        try:
            it = _resolve_record(catalogue, rec, file)
        except InputError as e:
            report.errors.append(e)
            continue
        assert it.limit is not None
        due = due_date(it.limit, rec.event, calendar=cal)
        notes: list[str] = ["provisional"] if due.provisional else []
        if rec.published is not None and rec.published < rec.event:
            notes.append("before-event")
        wd = cd = None
        if due.date is None:
            status: Status = "no-due-date"
        elif rec.published is not None:
            if rec.published <= due.date:
                status = "on-time"
            else:
                status = "late"
                wd = working_days_after(due.date, rec.published, cal)
                cd = (rec.published - due.date).days
        elif today > due.date:
            status = "missing"
            wd = working_days_after(due.date, today, cal)
            cd = (today - due.date).days
        else:
            status = "not-yet-due"
        report.results.append(CheckedRecord(rec, it, due, status, wd, cd, notes))
    return report


def check_file(path: str | Path, catalogue: Catalogue, *, today: dt.date,
               calendar: WorkCalendar | None = None) -> CheckReport:
    """Read a records CSV and check it (``InputError`` only for a file that cannot be read)."""
    path = Path(path)
    records, errors = read_records(path)
    report = check_records(records, catalogue, today=today, calendar=calendar, file=str(path), errors=errors)
    report.sha256 = hashlib.sha256(path.read_bytes()).hexdigest()
    return report
