"""The cell grid: what every reader produces, whatever the file format.

A grid is a list of rows, each a list of cells in reading order. Readers know file
formats and nothing about disclosure lists; they keep every cell's position so that
errors and provenance can name it.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Cell:
    text: str                 # as read (no normalisation beyond the format's own decoding)
    row: int                  # 0-based row index in the grid
    col: int                  # 0-based column index in the row
    line: int | None = None   # 1-based line (text) or sheet row (spreadsheets) in the source
    rowspan: int = 1
    colspan: int = 1
    spanned: bool = False     # True for a copy made when expanding a merged / spanned cell

    @property
    def empty(self) -> bool:
        return not self.text.strip()


@dataclass
class CellGrid:
    source: str                              # file path as given
    format: str                              # reader id: text-table, xlsx, csv, html, docx, pipe-text
    rows: list[list[Cell]] = field(default_factory=list)
    preamble: list[tuple[int, str]] = field(default_factory=list)   # (line, text) outside the table
    sheet: str | None = None
    meta: dict[str, str] = field(default_factory=dict)              # e.g. source URL from a header line
    warnings: list[str] = field(default_factory=list)               # what the reader left out, and why

    def texts(self) -> list[list[str]]:
        return [[c.text for c in r] for r in self.rows]
