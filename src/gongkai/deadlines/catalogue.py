"""The build's time limits as a catalogue: every list and item with its time limit, due dates of an
item or of a year's yearly items."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Literal, get_args

from gongkai.deadlines.calendar import WorkCalendar, parse_calendar_date, weekday_name
from gongkai.deadlines.due import DueDate, due_date
from gongkai.deadlines.export import export_csv, export_ics
from gongkai.errors import GongkaiError
from gongkai.fields.timelimits import parse_time_limit
from gongkai.model import TimeLimit, TimeLimitKind, TimeUnit
from gongkai.query.library import Library
from gongkai.query.run import run_query
from gongkai.rdf.namespaces import GK, TIME
from gongkai.store.base import Result, Store
from gongkai.text import key

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


class NotFound(GongkaiError):  # noqa: N818  (a public name: callers and tests catch it by it)
    """A bureau, list or item the graph does not have; ``suggestions`` are close names."""

    def __init__(self, message: str, suggestions: Sequence[str] = ()):
        self.suggestions = list(suggestions)
        if self.suggestions:
            message += f"; did you mean {'、'.join(self.suggestions)}?"
        super().__init__(message)


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


_KINDS: dict[str, TimeLimitKind] = {k: k for k in get_args(TimeLimitKind)}


_UNITS: dict[str, TimeUnit] = {
    str(GK.WorkingDay): "working_day",
    str(TIME.unitDay): "day",
    str(TIME.unitMonth): "month",
    str(TIME.unitYear): "year",
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
        kind=_KINDS.get(kind, "unparsed"),
        amount=amount,
        unit=unit,
        trigger=_tail(_s(row, "trigger")),  # type: ignore[arg-type]  # the graph's trigger, kept as read
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

    def _run(self, query: str, params: dict[str, str] | None = None) -> Result:
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
            lines.append(f"清单：{self.item.list.label()} <{self.item.list.iri}>" if zh
                          else f"List: {self.item.list.label()} <{self.item.list.iri}>")
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
