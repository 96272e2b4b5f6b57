"""The document's table read from its ruling lines, page after page.

The table found on the first page that has one with a disclosure-list header fixes the
columns. The following pages continue it while their tables have the same column edges:
a repeated header row is dropped, a row the page break cut in two is joined, a cell merged
over the break gives its text to the rows of the next page. The text outside the tables
goes to the preamble.
"""

from __future__ import annotations

import bisect
import itertools

from gongkai.readers.assemble import Slot
from gongkai.readers.pdf.chars import CellText, text_lines
from gongkai.readers.pdf.document import Doc, Row, continues, header_rows, number_column, row_key
from gongkai.readers.pdf.lattice import Lattice, nearest
from gongkai.readers.pdf.pages import Page
from gongkai.readers.preamble import header_row_index, table_score


def _same_edges(a: Lattice, xs: list[float], tol: float = 2.0) -> bool:
    """True when table ``a``'s column edges are edges of the document's table (``xs``),
    its outer edges the same: the table going on on another page."""
    if abs(a.xs[0] - xs[0]) > tol or abs(a.xs[-1] - xs[-1]) > tol:
        return False
    return all(abs(xs[nearest(xs, x)] - x) <= tol for x in a.xs)


def _lattice_rows(t: Lattice, xs: list[float]) -> list[Row]:
    """The rows of table ``t`` on the columns of the document's table (edges ``xs``)."""
    own = t.rows()
    if len(t.xs) == len(xs):
        cols = list(range(len(xs) - 1))
    else:
        cols = [min(bisect.bisect_right(t.xs, (a + b) / 2) - 1, len(t.xs) - 2) for a, b in itertools.pairwise(xs)]
    out = []
    for r, row in enumerate(own):
        slots: list[Slot] = []
        cells: list[CellText] = []
        for j, c in enumerate(cols):
            b = t.at[r][c]
            if j and cols[j - 1] == c:           # a column of the document this table merged
                slots.append(Slot(row[c].text, spanned=True))
            else:
                slots.append(row[c])
            cells.append(t.boxes[b].text if b is not None else CellText())
        out.append(Row(t.ys[r], slots, cells))
    return out


def _merged_over_break(above: list[Slot], rows: list[Row]) -> None:
    """A cell merged over rows on both sides of a page break (a category over its items)
    is drawn as two cells, its text in the first: an empty cell that starts the page and
    spans two rows or more (a merged cell, and merged cells are not left empty) under a
    cell with text gets that text, as copies."""
    first = rows[0].slots
    for j, slot in enumerate(first):
        if j >= len(above) or slot.text.strip() or slot.spanned or slot.rowspan < 2:
            continue
        if above[j].text.strip():
            for row in rows[:slot.rowspan]:
                row.slots[j] = Slot(above[j].text, spanned=True)


def read_lattice(doc: Doc, pages: list[Page]) -> bool:
    """Read the document's table from its ruling lines; False when no page has a lattice
    table with a disclosure-list header."""
    first: tuple[int, Lattice] | None = None
    for pi, page in enumerate(pages):
        found = [t for t in page.tables if header_row_index(t.texts()) is not None]
        if found:
            first = (pi, max(found, key=lambda t: (table_score(t.texts()), len(t.boxes))))
            break
    if first is None:
        return False
    pi0, main = first
    texts = main.texts()
    h = header_row_index(texts) or 0
    head = {row_key(r) for r in texts[h:h + header_rows(texts, h)]}
    number_col = number_column(texts[h:h + len(head)])
    xs = main.xs
    going = True
    for pi, page in enumerate(pages):
        if pi < pi0 or not going:
            doc.page(text_lines(page.chars), [])
            continue
        tables = sorted(page.tables, key=lambda t: t.top)
        if pi == pi0:
            tables = [t for t in tables if t.top >= main.top]
        rows: list[Row] = []
        taken: list[Lattice] = []
        rest = None
        for t in tables:
            if not _same_edges(t, xs):
                going = False
                break
            taken.append(t)
            trows = _lattice_rows(t, xs)
            if t is not main:
                while trows and row_key([s.text for s in trows[0].slots]) in head:
                    trows.pop(0)         # the header repeated on this page
                if trows and not rows and doc.rows:
                    _merged_over_break(doc.rows[-1].slots, trows)
                if trows and not rows and continues(number_col, trows[0].cells, doc.last()):
                    rest = trows.pop(0).cells
            rows += trows
        if not taken:
            going = False
        inside = [c for c in page.chars if not any(t.contains(c) for t in taken)]
        doc.page(text_lines(inside), rows, rest)
    return True
