"""SPARQL's ORDER BY, applied in Python to a result's rows.

Oxigraph sorts a result by decoding the compared strings again at every comparison, one
read of its on-disk dictionary each time: ordering 145,000 rows by a bureau's name takes
12 s there, against 0.4 s here on the rows once they are read. The embedded store
therefore runs a query whose ORDER BY names only variables (and that has no LIMIT or
OFFSET) without it, and sorts the rows with ``sort_rows``, which follows the order
Oxigraph gives (SPARQL 1.1, §15.1):

- unbound first, then blank nodes, then IRIs (by their text), then literals;
- numbers by value, strings by code point, language-tagged strings by text then tag,
  dates by value, false before true.

Literals of different kinds in one ordered column (a number and a string, say) have no
order in SPARQL; each engine picks its own. Where two rows would have to be placed by
such a pair (all earlier conditions equal), ``sort_rows`` declines (returns None) and the
store lets Oxigraph sort, so the result is always the one Oxigraph would give.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

_NUMERIC = {XSD[n] for n in (
    "integer", "decimal", "float", "double", "nonPositiveInteger", "negativeInteger", "long",
    "int", "short", "byte", "nonNegativeInteger", "unsignedLong", "unsignedInt",
    "unsignedShort", "unsignedByte", "positiveInteger")}


@dataclass(frozen=True)
class OrderKey:
    """One ORDER BY condition on a variable: ``?x``, ``ASC(?x)`` or ``DESC(?x)``."""
    var: str
    descending: bool = False


#: a cell's value: text, a number, a date, a truth value or a (text, language) pair, compared
#: only with a value of its own kind (None: unbound); no type says "ordered among its kind"
Value = Any


class _UnorderedError(Exception):
    """A value Python cannot place the way Oxigraph would."""


# xsd:gMonthDay (--01-31), gMonth, gDay without a time zone: fixed width, so the text sorts
# as the value does
_CALENDAR_PARTS = {XSD.gMonthDay: 7, XSD.gMonth: 4, XSD.gDay: 5}


def _literal_key(term: Literal) -> tuple[str, Value]:
    if term.language:
        return "lang", (str(term), term.language.lower())
    dtype = term.datatype
    if dtype is None or dtype == XSD.string:
        return "str", str(term)
    value = term.value
    if dtype in _NUMERIC:
        if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
            return "num", value
        if isinstance(value, float) and not math.isnan(value):
            return "num", value
    elif dtype == XSD.date and isinstance(value, dt.date) and len(str(term)) == 10:
        return "date", value  # with a time zone (2024-01-01Z) dates need the zone's rules
    elif dtype == XSD.boolean and isinstance(value, bool):
        return "bool", value
    elif dtype in _CALENDAR_PARTS and len(str(term)) == _CALENDAR_PARTS[dtype]:
        return str(dtype), str(term)
    raise _UnorderedError(term)


def _cell(term: Node | None) -> tuple[int, str, Value]:
    """(rank, kind, value): unbound, blank node, IRI, literal, in that order."""
    if term is None:
        return 0, "", None
    if isinstance(term, BNode):
        raise _UnorderedError(term)  # Oxigraph orders blank nodes by internal ids
    if isinstance(term, URIRef):
        return 2, "", str(term)
    if isinstance(term, Literal):
        kind, value = _literal_key(term)
        return 3, kind, value
    raise _UnorderedError(term)


class _Checked:  # noqa: PLW1641  (only compared, in a sort: left unhashable, as Python makes it)
    """A cell compared as Oxigraph would, raising where two literals are of different kinds."""
    __slots__ = ("desc", "kind", "rank", "value")

    def __init__(self, cell: tuple[int, str, Value], desc: bool) -> None:
        self.rank, self.kind, self.value = cell
        self.desc = desc

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, _Checked):
            return NotImplemented
        return self.rank == other.rank and self.kind == other.kind and self.value == other.value

    def __lt__(self, other: _Checked) -> bool:
        a, b = (other, self) if self.desc else (self, other)
        if a.rank != b.rank:
            return a.rank < b.rank
        if a.kind != b.kind:
            raise _UnorderedError(a.value)
        return a.value < b.value


def sort_rows(rows: list[dict[str, Node]], keys: Sequence[OrderKey]) -> list[dict[str, Node]] | None:
    """The rows sorted by ``keys`` as Oxigraph's ORDER BY would, or None where the order
    is not Python's to decide (literals of different kinds to compare, blank nodes)."""
    cells: dict[int, tuple[int, str, Value]] = {}  # by term: rows share their labels

    def cell(term: Node | None) -> tuple[int, str, Value]:
        found = cells.get(id(term))
        if found is None:
            found = cells[id(term)] = _cell(term)
        return found

    try:
        columns = [[cell(row.get(k.var)) for row in rows] for k in keys]
        if all(len({c[1] for c in col if c[0] == 3}) <= 1 for col in columns):
            # one kind of literal per column: a stable sort per condition, last one first
            order = list(range(len(rows)))
            for key, col in zip(reversed(keys), reversed(columns), strict=True):
                ranks = {c[0] for c in col}
                if ranks == {0}:
                    continue  # unbound in every row: nothing to order by
                # all literals, or all IRIs: the values alone; else ranked first
                values = [c[2] for c in col] if len(ranks) == 1 else [(c[0], c[2]) for c in col]
                order.sort(key=values.__getitem__, reverse=key.descending)
            return [rows[i] for i in order]
        checked = [tuple(_Checked(col[i], k.descending) for k, col in zip(keys, columns, strict=True))
                   for i in range(len(rows))]
        order = sorted(range(len(rows)), key=checked.__getitem__)
        return [rows[i] for i in order]
    except _UnorderedError:
        return None
