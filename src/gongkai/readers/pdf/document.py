"""The document being put together: the table's rows and the text lines around them, in
reading order over the pages.

``Cell.line`` is a block number: the text lines outside the table and the table's rows
numbered from 1 in reading order, a number skipped at every page break (as a text
extraction leaves a blank line). Lines that are only a page number are left out. A row
that a page break cut in two is joined again (:func:`continues` tells it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from gongkai.readers.assemble import Slot, SourceRow
from gongkai.readers.limits import TableBudget
from gongkai.readers.pdf.chars import CellText, Line, join, wrapped
from gongkai.readers.preamble import header_score

#: a line that is only a page number: 3 / - 3 - / 第3页 / 第 3 页 共 12 页 / 3/12 / Page 3
PAGE_NUMBER = re.compile(
    r"^(?:[-—–\s]*\d{1,4}[-—–\s]*|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?|"
    r"\d{1,4}\s*/\s*\d{1,4}|(?:page|p\.)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?)$", re.IGNORECASE)


@dataclass
class Row:
    """A row of the table on a page: its slots (text and spans) and its cells' texts with
    what joining them to more text needs."""

    y: float                          # top of the row on its page
    slots: list[Slot]
    cells: list[CellText]


@dataclass
class Doc:
    """What the pages add up to: the table's rows and the lines around them, numbered in
    reading order (``Cell.line``), a number skipped at each page break."""

    name: str
    rows: list[SourceRow] = field(default_factory=list)
    cells: list[list[CellText]] = field(default_factory=list)
    preamble: list[tuple[int, str]] = field(default_factory=list)
    line: int = 0
    pages: int = 0

    def __post_init__(self) -> None:
        self.budget = TableBudget(self.name)

    def page(self, lines: list[Line], rows: list[Row], rest: list[CellText] | None = None) -> None:
        """A page's text lines outside the table, its table rows, and ``rest``: the part of
        the last row that the page break carried over to this page."""
        if self.pages:
            self.line += 1
        self.pages += 1
        if rest is not None and self.cells:
            self._join_last(rest)
        items: list[tuple[float, int, object]] = [(ln.top, 0, ln) for ln in lines]
        items += [(r.y, 1, r) for r in rows]
        for _, _, item in sorted(items, key=lambda t: (t[0], t[1])):
            if isinstance(item, Line):
                text = item.text()
                if text and not PAGE_NUMBER.match(text):
                    self.line += 1
                    self.preamble.append((self.line, text))
            else:
                assert isinstance(item, Row)
                self.line += 1
                self.budget.add_row(len(item.slots))
                self.rows.append(SourceRow(self.line, item.slots))
                self.cells.append(item.cells)

    def last(self) -> list[CellText] | None:
        """The cells of the last row so far (None before the first)."""
        return self.cells[-1] if self.cells else None

    def _join_last(self, cells: list[CellText]) -> None:
        """The last row so far goes on with ``cells`` (its part on the next page)."""
        last = self.cells[-1]
        slots = self.rows[-1].slots
        for j, more in enumerate(cells[:len(last)]):
            if more.text:
                last[j] = join(last[j], more)
                slots[j] = Slot(last[j].text, slots[j].rowspan, slots[j].colspan, slots[j].spanned)


def row_key(texts: list[str]) -> tuple[str, ...]:
    """A row's texts compared as headers are: normalised, without white space (a header
    repeated on a page is known by it)."""
    from gongkai.text import key

    return tuple(re.sub(r"\s+", "", key(t)) for t in texts)


def header_rows(texts: list[list[str]], h: int) -> int:
    """How many rows from ``texts[h]`` the header takes: one, or two with a sub-header row."""
    from gongkai.columns import item_number

    if h + 1 < len(texts):
        below = texts[h + 1]
        if header_score(below) >= 1 and not any(item_number(t) is not None for t in below if t.strip()):
            return 2
    return 1


def number_column(header: list[list[str]]) -> int | None:
    """The column of the item numbers (序号) in the header rows, if there is one."""
    from gongkai.columns import role_for_header

    for row in header:
        for j, t in enumerate(row):
            if role_for_header(t) == "number":
                return j
    return None


def continues(number_col: int | None, cells: list[CellText], above: list[CellText] | None) -> bool:
    """A first row on a new page that is the rest of the row the page break cut (``above``,
    the last row so far). In a table with a 序号 column: it has no number but text
    elsewhere. Without one: each of its cells goes on with a cell of the row above whose
    last line was full (the next word would not have fitted on it)."""
    if above is None or not any(c.text.strip() for c in cells):
        return False
    if number_col is not None:
        return number_col < len(cells) and not cells[number_col].text.strip()
    for c, a in zip(cells, above, strict=False):
        if c.text.strip() and not (a.text.strip() and a.limit and wrapped(
                a.last_right, a.last_latin and not a.last_spaced, c.first_word, c.first_latin, a.limit, a.size)):
            return False
    return True
