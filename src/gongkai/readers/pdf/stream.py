"""The document's table read from text aligned in columns, page after page (no ruling lines).

Rows start at an item number in the 序号 column, at a vertical gap wider than the spacing
of the lines inside a cell, or at a horizontal rule. A line written across the columns is a
row of its own (a category heading) when rows follow it; otherwise it ends the table (a
note or a signature below it). The next pages go on with the lines that fit the columns,
their repeated header dropped, a row the page break cut in two joined.
"""

from __future__ import annotations

import itertools
import re
import statistics

from gongkai.readers.assemble import Slot
from gongkai.readers.pdf.chars import CellText, Char, Line, cell_text, chars_text, text_lines
from gongkai.readers.pdf.document import PAGE_NUMBER, Doc, Row, continues, row_key
from gongkai.readers.pdf.pages import Page
from gongkai.readers.pdf.stream_columns import Stream, find_header, stream_layout
from gongkai.readers.preamble import HEADER_SEARCH_ROWS

# an item number or a category ordinal, as a 序号 cell holds it: 1 / 2. / 3、 / 一 / （二）
_ROW_NUMBER = re.compile(r"^[(（]?(?:\d{1,4}|[一二三四五六七八九十百零〇]{1,4})[)）]?[、.．]?$")


def _row_number(text: str) -> bool:
    """An item number or a category ordinal (spaces in it ignored)."""
    return bool(_ROW_NUMBER.match(text.replace(" ", "")))


def _stream_rows(s: Stream, body: list[Line], hrules: list[tuple[float, float, float]],
                 spanning: set[int] | frozenset[int] = frozenset()) -> list[list[Line]]:
    """The body's lines grouped into table rows (see the module doc); the lines at the
    indexes ``spanning`` are rows of their own."""
    if not body:
        return []
    x0 = min(ln.x0 for ln in body)
    x1 = max(ln.x1 for ln in body)
    gaps = [b.top - a.bottom for a, b in itertools.pairwise(body)]
    size = statistics.median(ln.size for ln in body)
    least = min(gaps) if gaps else 0.0
    # a gap is a row's end when it is clearly wider than the narrowest (lines inside a cell)
    threshold = least + max(2.0, 0.25 * size)
    rows: list[list[Line]] = []
    has_number = False
    prev: Line | None = None
    for k, line in enumerate(body):
        if k in spanning or k - 1 in spanning:
            prev = None
        numbered = False
        if s.number_col is not None:
            own = [c for c in line.chars if s.column(c.cx) == s.number_col]
            numbered = bool(own) and _row_number(chars_text(own)) and (
                prev is None or not any(s.column(c.cx) == s.number_col for c in prev.chars))
        new = prev is None
        if prev is not None:
            ruled = any(prev.bottom - 1 <= y <= line.top + 1 and min(x1, b) - max(x0, a) > 0.5 * (x1 - x0)
                        for y, a, b in hrules)
            new = line.top - prev.bottom > threshold or ruled or (numbered and has_number)
        if new:
            rows.append([])
            has_number = False
        rows[-1].append(line)
        has_number = has_number or numbered
        prev = line
    return rows


def _stream_cells(s: Stream, row: list[Line]) -> list[CellText]:
    """The cells of a row of lines: each character in the column its middle falls in."""
    per: list[list[Char]] = [[] for _ in range(s.n())]
    for line in row:
        for c in line.chars:
            per[s.column(c.cx)].append(c)
    return [cell_text(chars, s.limits[j]) if chars else CellText() for j, chars in enumerate(per)]


def _spanning_row(s: Stream, line: Line) -> Row:
    """A line across the columns as one row: its text in the column where it starts,
    spanning the columns it reaches, as a merged cell is read."""
    chars = [c for c in line.chars if not c.space]
    c0, c1 = s.column(chars[0].cx), s.column(chars[-1].cx)
    text = line.text()
    slots = [Slot("") for _ in range(s.n())]
    slots[c0] = Slot(text, 1, c1 - c0 + 1)
    for c in range(c0 + 1, c1 + 1):
        slots[c] = Slot(text, spanned=True)
    cells = [CellText() for _ in range(s.n())]
    cells[c0] = CellText(text)
    return Row(line.top, slots, cells)


def _misfit(s: Stream, line: Line) -> bool:
    """A line that is not a row of the table's columns: it straddles a column boundary, or
    it has text only in the 序号 column and that text is not a number."""
    if s.crosses(line):
        return True
    if s.number_col is not None:
        cols = {s.column(c.cx) for c in line.chars if not c.space}
        if cols == {s.number_col} and not _row_number(line.text()):
            return True
    return False


def _table_end(s: Stream, lines: list[Line]) -> tuple[int, set[int]]:
    """Where the table ends among a page's ``lines`` (an index), and the lines before it
    that span columns: a line that does not fit the columns ends the table (a note or a
    signature below it) unless a row of two columns or more follows it on the page (then
    it is a row of its own across the table, such as a category heading)."""
    misfits = [k for k, ln in enumerate(lines) if _misfit(s, ln)]
    rows_after = [k for k, ln in enumerate(lines) if k not in misfits
                  and len({s.column(c.cx) for c in ln.chars if not c.space}) >= 2]
    last_row = max(rows_after, default=-1)
    spanning = {k for k in misfits if k < last_row}
    end = next((k for k in misfits if k > last_row), len(lines))
    return end, spanning

def read_stream(doc: Doc, pages: list[Page]) -> bool:
    """Read the document's table from text aligned in columns; False when no page has a
    header band of known column headers."""
    layout: Stream | None = None
    head: set[tuple[str, ...]] = set()
    head_blocks: set[tuple[str, ...]] = set()
    ended = False
    for page in pages:
        lines = text_lines(page.chars)
        if layout is None and page.number > HEADER_SEARCH_ROWS:
            doc.page(lines, [])
            continue
        found = find_header(lines)
        if (layout is None or ended) and found is None:
            doc.page(lines, [])
            continue
        rows: list[Row] = []
        if found is not None:
            i, depth, blocks = found
            above, rest_lines = lines[:i], lines[i + depth:]
        if layout is None:
            assert found is not None
            body = [ln for ln in rest_lines if not PAGE_NUMBER.match(ln.text())]
            layout = stream_layout(blocks, body)
            end, spanning = _table_end(layout, body)
            if end < len(body) or spanning:     # the columns from the table's own rows only
                layout = stream_layout(blocks, [ln for k, ln in enumerate(body[:end]) if k not in spanning])
            y = lines[i].top
            rows += [Row(y + k * 0.01, slots, [CellText(s.text) for s in slots])
                     for k, slots in enumerate(layout.header)]
            head = {row_key([s.text for s in slots]) for slots in layout.header}
            head_blocks = {row_key([b.text]) for b in blocks}
            first_page = True
        else:
            first_page = False
            if found is not None and {row_key([b.text]) for b in blocks} != head_blocks:
                ended = True            # the header of another table: this one has ended
                doc.page(lines, [])
                continue
            if found is None:           # no header repeated: the table goes on from the first line that fits
                k = 0
                while k < len(lines) and (_misfit(layout, lines[k]) or PAGE_NUMBER.match(lines[k].text())):
                    k += 1
                above, rest_lines = lines[:k], lines[k:]
        rest_lines = [ln for ln in rest_lines if not PAGE_NUMBER.match(ln.text())]
        end, spanning = _table_end(layout, rest_lines)
        body, below = rest_lines[:end], rest_lines[end:]
        rest = None
        at = {id(ln): k for k, ln in enumerate(body)}
        for n, group in enumerate(_stream_rows(layout, body, page.hrules, spanning)):
            if len(group) == 1 and at[id(group[0])] in spanning:
                rows.append(_spanning_row(layout, group[0]))
                continue
            cells = _stream_cells(layout, group)
            texts = [c.text for c in cells]
            if n == 0 and not first_page and row_key(texts) in head:
                continue
            if n == 0 and not first_page and continues(layout.number_col, cells, doc.last()):
                rest = cells
                continue
            rows.append(Row(group[0].top, [Slot(t) for t in texts], cells))
        # text below the table: it ends here, unless a page goes on with its header
        ended = bool(below)
        doc.page(above + below, rows, rest)
    return layout is not None
