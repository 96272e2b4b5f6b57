"""From a table's rows, as a file format yields them, to a :class:`CellGrid`.

Spreadsheets, web pages and Word documents all produce the same raw material: rows of
cells, some of them spanning several rows or columns. The steps after that are the same
for every format and live here once:

- merged / spanned cells are already expanded by the reader (the text copied into every
  covered position, the copies flagged ``spanned``), so every row has a cell per column;
- rows with no text at all are dropped (they are layout, like blank lines in a text
  extraction); each kept row keeps its source line, so errors still point at the file;
- rows above the header row (a title, 责任单位 …) go to the preamble (see :mod:`.preamble`);
- columns that are empty in every row of the table (a sheet starting at column C, a
  spacer column) are dropped, so that column 0 is the table's first column.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gongkai.readers.grid import Cell, CellGrid
from gongkai.readers.limits import MAX_CELLS, check_table, too_many_cells
from gongkai.readers.preamble import header_row_index, joined


@dataclass
class Slot:
    """One position of an expanded row: the text shown there and how it was merged."""

    text: str
    rowspan: int = 1
    colspan: int = 1
    spanned: bool = False    # a copy of a merged cell's text, not the merged cell itself

    @property
    def empty(self) -> bool:
        return not self.text.strip()


@dataclass
class SourceRow:
    line: int | None                 # 1-based line / sheet row / block number in the source
    slots: list[Slot] = field(default_factory=list)

    def texts(self) -> list[str]:
        return [s.text for s in self.slots]


def build_grid(source: str, fmt: str, rows: list[SourceRow], *,
               preamble: list[tuple[int, str]] | None = None,
               sheet: str | None = None, meta: dict[str, str] | None = None,
               warnings: list[str] | None = None) -> CellGrid:
    """Assemble a grid: drop blank rows, move rows above the header to the preamble, trim empty columns."""
    kept = [r for r in rows if any(not s.empty for s in r.slots)]
    pre = list(preamble or [])
    h = header_row_index([r.texts() for r in kept])
    if h:
        for r in kept[:h]:
            text = joined(r.texts())
            if text:
                pre.append((r.line or 0, text))
        kept = kept[h:]

    used = [j for r in kept for j, s in enumerate(r.slots) if not s.empty]
    first, last = (min(used), max(used)) if used else (0, -1)
    width = last - first + 1

    grid = CellGrid(source=source, format=fmt, preamble=pre, sheet=sheet, meta=dict(meta or {}),
                    warnings=list(warnings or []))
    n = len(kept)
    for i, r in enumerate(kept):
        cells = []
        for j, s in enumerate(r.slots[first:last + 1]):
            cells.append(Cell(text=s.text, row=i, col=j, line=r.line,
                              rowspan=max(1, min(s.rowspan, n - i)),
                              colspan=max(1, min(s.colspan, width - j)),
                              spanned=s.spanned))
        grid.rows.append(cells)
    return grid


def expand(rows: list[list[tuple[str, int, int]]], source: str = "") -> list[list[Slot]]:
    """Expand rows of ``(text, rowspan, colspan)`` cells, as HTML writes them, into a rectangle.

    A cell is placed at the first free column of its row (positions taken by a rowspan from
    above are skipped), and its text is copied into every position it covers. ``rowspan``
    0 means "to the end of the table", as in HTML. Short rows are padded with empty cells.

    Raises :class:`InputError` (naming ``source``) when the spans would make a rectangle
    beyond the limits on cells (``limits.MAX_CELLS``): a few bytes of ``colspan`` and
    ``rowspan`` can ask for millions of positions.
    """
    taken: dict[tuple[int, int], Slot] = {}
    n = len(rows)
    covered = 0
    for i, row in enumerate(rows):
        j = 0
        for text, rowspan, colspan in row:
            while (i, j) in taken:
                j += 1
            rs = n - i if rowspan <= 0 else min(rowspan, n - i)
            cs = max(1, colspan)
            covered += rs * cs
            if covered > MAX_CELLS:
                raise too_many_cells(source, covered, at_least=True, where=" (merged cells expanded)")
            taken[(i, j)] = Slot(text, rs, cs)
            for di in range(rs):
                for dj in range(cs):
                    if di or dj:
                        taken.setdefault((i + di, j + dj), Slot(text, spanned=True))
            j += cs
    width = max((c + 1 for (_, c) in taken), default=0)
    check_table(source, n, width)
    return [[taken.get((i, j), Slot("")) for j in range(width)] for i in range(n)]
