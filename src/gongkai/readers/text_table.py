"""Reader for tables extracted from PDF as text: one table row per line, cells split by tabs.

This is what a PDF-to-text tool produces for a ruled table (format id ``text-table``).
Lines with a tab are table rows; every other non-blank line (the title, the 责任单位 /
填表人 line, the declared counts) is preamble. Blank lines usually mark page breaks and
carry nothing, so they are dropped; line numbers stay those of the file so that errors
and provenance point at the real line.

The reader does not interpret cells: it keeps empty cells and their positions, because
the tabulator needs them to re-align rows that the extraction shifted.
"""

from __future__ import annotations

import re
from pathlib import Path

from gongkai.errors import InputError
from gongkai.readers.grid import Cell, CellGrid
from gongkai.readers.limits import TableBudget
from gongkai.readers.textfile import read_text

FORMAT = "text-table"

# "# source: URL" on a line of its own: where a saved copy came from
_SOURCE_LINE = re.compile(r"^#\s*source\s*:\s*(\S+)\s*$", re.IGNORECASE)


def read_text_table(path: str | Path) -> CellGrid:
    """Read a tab-separated text table into a :class:`CellGrid`.

    Every line containing a tab becomes a grid row (cells keep their column index and
    1-based source line, empty cells included); other non-blank lines go to
    ``grid.preamble``; a ``# source: URL`` line goes to ``grid.meta["source_url"]``.

    Raises :class:`InputError` for a file that cannot be read, is empty, binary or
    neither UTF-8 nor GB18030 (``textfile.read_text``), or has no tab-separated rows.
    """
    name = str(path)
    text = read_text(path)

    grid = CellGrid(source=name, format=FORMAT)
    budget = TableBudget(name)
    for lineno, line in enumerate(text.split("\n"), start=1):
        if "\t" in line:
            budget.add_row(line.count("\t") + 1)
            r = len(grid.rows)
            grid.rows.append([Cell(text=t, row=r, col=c, line=lineno)
                              for c, t in enumerate(line.split("\t"))])
        elif line.strip():
            m = _SOURCE_LINE.match(line.strip())
            if m and "source_url" not in grid.meta:
                grid.meta["source_url"] = m.group(1)
            else:
                grid.preamble.append((lineno, line.strip()))
    if not grid.rows:
        raise InputError(name, "no tab-separated table rows found (is this a text-table file?)")
    return grid


def looks_like_text_table(sample: str) -> bool:
    """Content-based detection: does this text look like a tab-separated table extraction?

    True when at least two lines carry two or more tabs and the text is not markup
    (an HTML page with tabs in its indentation is not a table extraction).
    """
    if not sample or "\x00" in sample:
        return False
    head = sample.lstrip("\ufeff").lstrip().lower()
    if head.startswith(("<!doctype", "<html", "<?xml")) or "<table" in head:
        return False
    rows = 0
    for line in sample.split("\n"):
        if line.count("\t") >= 2 and line.strip("\t\r ").strip():
            rows += 1
            if rows >= 2:
                return True
    return False
