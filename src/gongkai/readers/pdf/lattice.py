"""Tables drawn with ruling lines on one page (*lattice*): pdfplumber's table finder on
lines gives the cells; each cell gets the characters inside it and its text.

A cell spanning several rows or columns is one :class:`Box` covering several positions of
the table's grid of column and row edges.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from gongkai.readers.assemble import Slot
from gongkai.readers.limits import MAX_COLUMNS
from gongkai.readers.pdf.chars import CellText, Char, cell_text, text_lines

if TYPE_CHECKING:  # pdfplumber loads only when a PDF is read
    from pdfplumber.page import Page as PlumberPage

#: a grid of more columns than this is a drawing, not a list (the tabulator refuses more than
#: MAX_COLUMNS filled ones; empty ones are dropped first)
_MAX_GRID_COLUMNS = MAX_COLUMNS * 4


def _cluster(values: list[float], tol: float) -> list[float]:
    """``values`` sorted, each within ``tol`` of the one kept before it left out."""
    out: list[float] = []
    for v in sorted(values):
        if out and v - out[-1] <= tol:
            continue
        out.append(v)
    return out


def nearest(edges: list[float], v: float) -> int:
    """The index of the edge of ``edges`` (sorted) nearest to ``v``."""
    i = bisect.bisect_left(edges, v)
    if i == 0:
        return 0
    if i == len(edges):
        return len(edges) - 1
    return i if edges[i] - v < v - edges[i - 1] else i - 1


@dataclass
class Box:
    """A cell of a lattice table: grid rows r0..r1-1 and columns c0..c1-1."""

    r0: int
    r1: int
    c0: int
    c1: int
    x0: float
    x1: float
    chars: list[Char] = field(default_factory=list)
    text: CellText = field(default_factory=CellText)


@dataclass
class Lattice:
    """A table drawn with ruling lines: its column edges, row edges and cells."""

    xs: list[float]
    ys: list[float]
    boxes: list[Box]
    at: list[list[int | None]]          # [row][col] → index of the box covering it

    @property
    def top(self) -> float:
        return self.ys[0]

    @property
    def bottom(self) -> float:
        return self.ys[-1]

    def rows(self) -> list[list[Slot]]:
        """The table's grid rows: a merged cell's text in its first position, copies flagged ``spanned``."""
        out = []
        seen: set[int] = set()
        for row in self.at:
            slots = []
            for b in row:
                if b is None:
                    slots.append(Slot(""))
                    continue
                box = self.boxes[b]
                if b in seen:
                    slots.append(Slot(box.text.text, spanned=True))
                else:
                    seen.add(b)
                    slots.append(Slot(box.text.text, box.r1 - box.r0, box.c1 - box.c0))
            out.append(slots)
        return out

    def texts(self) -> list[list[str]]:
        """The text of every position of the grid, row by row."""
        return [[s.text for s in row] for row in self.rows()]

    def contains(self, c: Char) -> bool:
        """True when the middle of ``c`` is inside the table."""
        return self.xs[0] <= c.cx <= self.xs[-1] and self.ys[0] <= c.cy <= self.ys[-1]


def lattice_tables(page: PlumberPage, chars: list[Char]) -> list[Lattice]:
    """The page's tables drawn with lines, at least two columns wide, their cells' text read."""
    x_off, y_off = float(page.bbox[0]), float(page.bbox[1])
    try:
        found = page.find_tables({"vertical_strategy": "lines", "horizontal_strategy": "lines"})
    except (ValueError, ZeroDivisionError):
        return []
    tables = []
    for t in found:
        table = _lattice([(float(x0) - x_off, float(top) - y_off, float(x1) - x_off, float(bottom) - y_off)
                          for x0, top, x1, bottom in t.cells])
        if table is not None:
            _read_cells(table, chars)
            tables.append(table)
    return tables


def _lattice(cells: list[tuple[float, float, float, float]]) -> Lattice | None:
    """The table of ``cells`` (x0, top, x1, bottom): its edges, and which cell covers each
    position; None for fewer than two columns or a grid too wide to be a list."""
    xs = _cluster([v for c in cells for v in (c[0], c[2])], 1.0)
    ys = _cluster([v for c in cells for v in (c[1], c[3])], 1.0)
    if len(xs) < 3 or len(ys) < 2 or len(xs) - 1 > _MAX_GRID_COLUMNS:
        return None
    at: list[list[int | None]] = [[None] * (len(xs) - 1) for _ in range(len(ys) - 1)]
    boxes: list[Box] = []
    for x0, top, x1, bottom in cells:
        c0, c1, r0, r1 = nearest(xs, x0), nearest(xs, x1), nearest(ys, top), nearest(ys, bottom)
        if c1 <= c0 or r1 <= r0:
            continue
        boxes.append(Box(r0, r1, c0, c1, x0, x1))
        for r in range(r0, r1):
            for c in range(c0, c1):
                at[r][c] = len(boxes) - 1
    return Lattice(xs, ys, boxes, at)


def _read_cells(table: Lattice, chars: list[Char]) -> None:
    """Give each cell of ``table`` the characters of ``chars`` inside it, and its text."""
    xs, ys = table.xs, table.ys
    for ch in chars:
        if table.contains(ch):
            c = min(max(bisect.bisect_right(xs, ch.cx) - 1, 0), len(xs) - 2)
            r = min(max(bisect.bisect_right(ys, ch.cy) - 1, 0), len(ys) - 2)
            b = table.at[r][c]
            if b is not None:
                table.boxes[b].chars.append(ch)
    # the padding between a cell's edge and its text: the least a column's lines keep
    pad: dict[int, float] = {}
    for box in table.boxes:
        for line in text_lines(box.chars) if box.chars else ():
            pad[box.c0] = min(pad.get(box.c0, 1e9), line.x0 - box.x0)
    for box in table.boxes:
        if box.chars:
            p = min(max(pad.get(box.c0, 2.0), 0.0), 0.25 * (box.x1 - box.x0))
            box.text = cell_text(box.chars, box.x1 - p)
