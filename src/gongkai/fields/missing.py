"""Items a list shows to be missing: fewer items than its heading declares, or gaps in the
item numbers.

A file cut short, a line lost in copying, a row no reader recognised: the items around it are
read and nothing else says that one is gone. Two things in the list itself do: the counts its
heading declares (``主动公开一级事项5项, 二级事项18项``) and its item numbers (1, 2, 4: item 3
is not there). Each gives one warning. Rows set aside as unread (``DisclosureList.unread``)
already have their own warning: a shortfall or a gap they account for is not reported again.
"""

from __future__ import annotations

import itertools

from gongkai.model import DisclosureItem, DisclosureList, UnreadRow

#: the start of every warning of this module, so that a reader (and ``ingest``) can tell them apart
MISSING = "items may be missing"


def missing_items(dl: DisclosureList) -> list[str]:
    """Warnings for the items ``dl`` shows to be missing (see the module docstring)."""
    return _declared_shortfall(dl) + _numbering_gaps(dl.items, dl.unread)


def is_missing_warning(warning: str) -> bool:
    """Whether ``warning`` is one of this module's."""
    return warning.startswith(MISSING)


def _declared_shortfall(dl: DisclosureList) -> list[str]:
    d = dl.declared
    if d is None:
        return []
    out: list[str] = []
    declared = [n for n in (d.level2_active, d.level2_on_request) if n is not None]
    read = len(dl.items) + len(dl.unread)
    if declared and read < sum(declared):
        out.append(f"{MISSING}: the heading declares {sum(declared)} items ({d.raw!r}) but the table "
                   f"has {_n(len(dl.items), 'item')}" + (f" and {_n(len(dl.unread), 'unread row')}"
                                                         if dl.unread else "")
                   + f": {sum(declared) - read} not found (lines lost from the file, or the file cut short?)")
    categories = dl.level1_categories
    if d.level1_active is not None and categories and len(categories) < d.level1_active and not dl.unread:
        out.append(f"{MISSING}: the heading declares {d.level1_active} level-1 categories ({d.raw!r}) but "
                   f"the items name {len(categories)} ({'、'.join(categories)})")
    return out


def _numbering_gaps(items: list[DisclosureItem], unread: list[UnreadRow]) -> list[str]:
    """A jump in the item numbers (in reading order) that no unread row between the two items
    accounts for; and a first number above 1."""
    out: list[str] = []
    if not items:
        return out
    first = items[0]
    if first.number > 1 and not _unread_between(unread, 0, _first_line(first)):
        out.append(f"{MISSING}: the item numbers start at {first.number} ({_where(first)}): "
                   f"{_numbers(1, first.number - 1)} not found (the file may start inside the list)")
    for a, b in itertools.pairwise(items):
        if b.number <= a.number + 1 or _unread_between(unread, _last_line(a), _first_line(b)):
            continue
        out.append(f"{MISSING}: the item numbers jump from {a.number} ({_where(a)}) to {b.number} "
                   f"({_where(b)}): {_numbers(a.number + 1, b.number - 1)} not found (lines lost "
                   "from the file, or a row not recognised?)")
    return out


def _unread_between(unread: list[UnreadRow], after: int, before: int) -> bool:
    return any(after <= line <= before for u in unread for line in u.lines) or (
        bool(unread) and (after == 0 or before == 0))


def _first_line(item: DisclosureItem) -> int:
    return min(item.source.rows, default=0)


def _last_line(item: DisclosureItem) -> int:
    return max(item.source.rows, default=0)


def _where(item: DisclosureItem) -> str:
    rows = item.source.rows_text()
    if not rows:
        return "line unknown"
    return f"line {rows}" if rows.isdigit() else f"lines {rows}"


def _numbers(lo: int, hi: int) -> str:
    return f"item {lo}" if lo == hi else f"items {lo}–{hi}"


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")
