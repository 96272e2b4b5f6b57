"""Reader for Excel workbooks (.xlsx): path → :class:`CellGrid` (format id ``xlsx``).

Publishers fill the standard list in Excel, so the workbook keeps what a PDF loses: merged
cells. A category (一级事项) merged over its items' rows is expanded here: its text is
copied into every covered cell, the copies flagged ``spanned`` and the origin given its
``rowspan``/``colspan``, so the tabulator sees a value in every row and can still tell a
merged value from one written out.

The workbook is opened with ``read_only=False`` (only then does openpyxl know the merged
ranges) and ``data_only=True`` (the values Excel last computed, not formulas).

A workbook may hold several sheets (an explanation sheet, a summary, one list per
department); the one whose first rows hold the most known column headers is read, and its
name kept in ``CellGrid.sheet``. Another sheet that holds a disclosure table too is named in
a warning (``CellGrid.warnings``), and so are the rows hidden in Excel, which are not read
(a web page's hidden rows are not either).

Before openpyxl inflates anything, the package is checked against the limits of
:mod:`.limits`: the sizes its ZIP directory declares, no entity declarations in its XML,
and its sheets' cells counted as a stream (``scan_sheets``), so that a workbook too large
to read is refused without spending the memory.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from typing import IO, TYPE_CHECKING

from gongkai.errors import InputError
from gongkai.readers import signatures
from gongkai.readers.assemble import Slot, SourceRow, build_grid
from gongkai.readers.grid import CellGrid
from gongkai.readers.limits import (
    MAX_CELLS,
    MAX_ROWS,
    ZIP_DAMAGE,
    bomb,
    check_package,
    check_table,
    too_many_cells,
    too_many_rows,
)
from gongkai.readers.preamble import HEADER_SEARCH_ROWS, header_row_index, table_score
from gongkai.readers.properties import office_facts

if TYPE_CHECKING:  # openpyxl is loaded only when a workbook is read
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

FORMAT = "xlsx"


def looks_like_xlsx(head: bytes, path: Path | None = None) -> bool:
    """A ZIP package with entries under ``xl/`` (an Office Open XML workbook)."""
    return signatures.is_zip(head) and signatures.zip_has(head, path, "xl/")


def cell_text(value: object) -> str:
    """A cell value as the text a person sees in Excel.

    Integral numbers without ``.0`` (item numbers are stored as floats), dates as ISO
    dates, line breaks inside a cell kept as ``\\n``.

    >>> cell_text(12.0), cell_text(0.5), cell_text(dt.datetime(2021, 6, 16))
    ('12', '0.5', '2021-06-16')
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(timespec="seconds")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, str):
        return value.replace("\r\n", "\n").replace("\r", "\n")
    return str(value)


def _hidden_rows(ws: Worksheet) -> set[int]:
    """The sheet rows (1-based) hidden in Excel."""
    return {r for r, d in ws.row_dimensions.items() if d.hidden}


def _extent(ws: Worksheet) -> tuple[int, int]:
    """The last row and column holding a value (0, 0 for an empty sheet).

    Not ``ws.max_row``/``max_column``: those count cells that only carry a style, and a
    styled cell far below or to the right would make a grid of millions of empty cells.
    """
    rows, cols = 0, 0
    for (r, c), cell in ws._cells.items():
        if cell.value is not None:
            rows, cols = max(rows, r), max(cols, c)
    return rows, cols


def _sheet_rows(ws: Worksheet, name: str) -> list[SourceRow]:
    """Every row of the sheet up to its last value (1-based sheet row as ``line``), merged
    ranges expanded."""
    n_rows, n_cols = _extent(ws)
    check_table(name, n_rows, n_cols, where=f" in sheet {ws.title!r} ({n_rows:,} rows × {n_cols:,} columns)")
    if not n_rows:
        return []
    grid: list[list[Slot]] = [
        [Slot(cell_text(v)) for v in values]
        for values in ws.iter_rows(min_row=1, max_row=n_rows, max_col=n_cols, values_only=True)
    ]
    for rng in ws.merged_cells.ranges:
        r0, c0, r1, c1 = rng.min_row - 1, rng.min_col - 1, rng.max_row - 1, rng.max_col - 1
        if r0 >= n_rows or c0 >= n_cols:
            continue
        r1, c1 = min(r1, n_rows - 1), min(c1, n_cols - 1)
        text = grid[r0][c0].text
        grid[r0][c0] = Slot(text, r1 - r0 + 1, c1 - c0 + 1)
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                if (r, c) != (r0, c0):
                    grid[r][c] = Slot(text, spanned=True)
    return [SourceRow(i + 1, slots) for i, slots in enumerate(grid)]


def _open(path: Path) -> Workbook:
    name = str(path)
    try:
        with open(path, "rb") as f:
            head = f.read(64 * 1024)
    except OSError as e:
        raise InputError(name, f"cannot read the file: {e.strerror or e}") from None
    if not head:
        raise InputError(name, "the file is empty")
    if not looks_like_xlsx(head, path):
        what = signatures.content_kind(head, path) or (
            "not an .xlsx package (a text or CSV file with the wrong extension?)"
            if not signatures.is_zip(head) else "a ZIP archive without a workbook")
        raise InputError(name, f"not an Excel workbook: the content is {what}")

    check_package(name, path, "workbook")
    scan_sheets(name, path)

    import openpyxl  # lazy: only when a workbook is read

    try:
        # a file object, not the name: openpyxl refuses names without an Excel extension,
        # and content, not the name, says what a file is
        with open(path, "rb") as f:
            return openpyxl.load_workbook(f, read_only=False, data_only=True)
    except OSError as e:
        raise InputError(name, f"cannot read the file: {e.strerror or e}") from None
    except Exception as e:
        if type(e).__module__.startswith("defusedxml"):      # entities or a DTD past the first bytes
            raise bomb(name, "workbook") from None
        detail = " ".join(f"{type(e).__name__}: {e}".split())     # one line: lxml's messages hold a line break
        raise InputError(name, f"the workbook is damaged or truncated ({detail})") from None


_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_ROW, _C, _V, _IS = _MAIN + "row", _MAIN + "c", _MAIN + "v", _MAIN + "is"


def _ref(ref: str | None) -> tuple[int, int] | None:
    """``C7`` → (7, 3); None for a missing or malformed reference."""
    if not ref:
        return None
    letters = ref.rstrip("0123456789")
    digits = ref[len(letters):]
    if not letters.isalpha() or not letters.isascii() or not digits.isdigit() or len(letters) > 3:
        return None
    col = 0
    for ch in letters.upper():
        col = col * 26 + ord(ch) - 64
    return int(digits[:8]), col


def scan_sheets(name: str, path: Path) -> None:
    """Count the cells of every sheet as a stream, before openpyxl builds them; refuse a
    workbook beyond the limits (``limits``) without spending the memory.

    openpyxl makes an object for every ``<c>`` (a value or only a style), and the reader a
    grid up to the last row and column holding a value; both are bounded here. Only the
    ZIP's XML parts are read, one element at a time; a part that is not well-formed is
    left to openpyxl, which says the workbook is damaged.
    """
    import lxml.etree  # lazy: only when a workbook is read

    try:
        z = zipfile.ZipFile(path)
    except ZIP_DAMAGE:
        return
    cells = 0
    with z:
        for info in z.infolist():
            if not info.filename.lower().endswith(".xml"):
                continue
            try:
                with z.open(info) as f:
                    cells = _scan_part(name, f, info.filename, cells)
            except (lxml.etree.XMLSyntaxError, *ZIP_DAMAGE):
                continue


def _scan_part(name: str, f: IO[bytes], part: str, cells: int) -> int:
    """``_scan_sheets`` for one part: the cells counted so far, plus this part's."""
    from lxml import etree  # lazy: only when a workbook is read (scan_sheets loaded it)

    row = col = last_row = last_col = 0
    for event, el in etree.iterparse(f, events=("start", "end"), tag=(_ROW, _C), resolve_entities=False,
                                     no_network=True, load_dtd=False):
        if event == "start":
            if el.tag == _ROW:
                r = el.get("r")
                row = int(r) if r and r.isdigit() and len(r) < 9 else row + 1
                col = 0
            continue
        if el.tag == _C:
            cells += 1
            if cells > MAX_CELLS:
                raise too_many_cells(name, cells, at_least=True, where=f" ({part})")
            at = _ref(el.get("r"))
            row, col = (at[0], at[1]) if at else (max(row, 1), col + 1)
            if any(child.tag in (_V, _IS) for child in el):
                last_row, last_col = max(last_row, row), max(last_col, col)
                if last_row > MAX_ROWS:
                    raise too_many_rows(name, last_row, at_least=True)
                if last_row * last_col > MAX_CELLS:
                    raise too_many_cells(name, last_row * last_col, where=f" (up to row {last_row:,}, "
                                         f"column {last_col:,} in {part})")
        else:
            el.clear()
            parent = el.getparent()
            while parent is not None and el.getprevious() is not None:
                del parent[0]
    return cells


def read_xlsx(path: str | Path) -> CellGrid:
    """Read the sheet holding the disclosure table into a :class:`CellGrid`.

    ``Cell.line`` is the sheet row (1-based). Rows above the header go to the preamble as
    ``(sheet row, cell texts joined by a space)``. Raises :class:`InputError` for a file
    that is not a workbook, a damaged or truncated one, and a workbook in which no sheet
    has a disclosure-table header in its first rows.
    """
    p = Path(path)
    name = str(path)
    wb = _open(p)
    sheets: list[tuple[str, bool, list[SourceRow], set[int]]] = []
    try:
        sheets.extend((ws.title, ws.sheet_state == "visible", _sheet_rows(ws, name), _hidden_rows(ws))
                      for ws in wb.worksheets)
    finally:
        wb.close()
    meta: dict[str, str] = {}
    office_facts(p, meta)        # the workbook's properties: title, creator, dates (readers.properties)
    return choose_sheet(name, FORMAT, sheets, meta)


def choose_sheet(name: str, fmt: str, sheets: list[tuple[str, bool, list[SourceRow], set[int]]],
                 meta: dict[str, str] | None = None) -> CellGrid:
    """The grid of the sheet holding the list, among ``(title, visible, rows, hidden rows)``:
    the one with a disclosure-table header, visible, and the most table-like; with warnings
    for another sheet holding a list as well and for the hidden rows left out. Raises
    :class:`InputError` when no sheet has a header."""
    ranked = []
    for title, visible, rows, hidden in sheets:
        texts = [r.texts() for r in rows if any(not s.empty for s in r.slots)]
        found = header_row_index(texts) is not None
        ranked.append(((found, visible, table_score(texts)), title, rows, hidden))
    best = max(ranked, key=lambda x: x[0], default=None)
    if best is None or not best[0][0]:
        raise InputError(name, "no sheet has a disclosure-list header (公开事项/公开内容/公开依据…) "
                               f"in its first {HEADER_SEARCH_ROWS} rows")
    best_rank, title, rows, hidden = best
    warnings = [f"sheet {other!r} also holds a disclosure table; only sheet {title!r} is read "
                "(save each list in a workbook of its own)"
                for rank, other, _, _ in ranked if rank == best_rank and other != title]
    shown = [r for r in rows if r.line not in hidden]
    header_at = next((r.line or 0 for r in shown if header_row_index([r.texts()]) is not None), 0)
    dropped = sorted(r.line for r in rows if r.line is not None and r.line in hidden and r.line > header_at
                     and any(not s.empty for s in r.slots))
    if dropped:
        warnings.append(f"sheet {title!r}: hidden row{'s' if len(dropped) > 1 else ''} "
                        f"{', '.join(map(str, dropped))} not read (hidden in the workbook)")
    return build_grid(name, fmt, shown, sheet=title, meta=meta, warnings=warnings)
