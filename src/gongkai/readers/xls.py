"""Reader for Excel 97–2003 workbooks (.xls, and WPS's .et): path → :class:`CellGrid` (format ``xls``).

Many bureaus still post their lists as ``.xls``. The workbook is read with xlrd (≥ 2, which
reads only this format) like an ``.xlsx`` by :mod:`.xlsx`, with the same results:

- every sheet looked at, the one whose first rows hold the most known column headers
  read, its name in ``CellGrid.sheet``; another sheet with a disclosure table named in a
  warning; a hidden sheet chosen only when no visible one has a table;
- rows hidden in Excel not read, and named in a warning;
- merged cells expanded (the text copied into every covered cell, the copies flagged
  ``spanned``, the origin given its ``rowspan``/``colspan``);
- the header found anywhere in the first rows, the rows above it in the preamble;
- values as Excel shows them: item numbers stored as 4.0 read ``4``, dates as ISO dates,
  booleans ``TRUE``/``FALSE``, error cells as Excel writes them (``#N/A``).

xlrd is asked for the formatting (``formatting_info=True``: merged ranges and row
visibility) and keeps rows ragged (``ragged_rows=True``: a styled cell far to the right
does not make every row that wide). Before xlrd builds anything, the workbook stream is
walked record by record (``scan_workbook``) and refused beyond the limits of
:mod:`.limits` (cells, rows, cells up to the last value), as the ``.xlsx`` reader does with
the sheets' XML.

A workbook xlrd cannot open (an ``.et`` or an ``.xls`` written by a program that bends the
format) is converted to ``.xlsx`` by LibreOffice (:mod:`.convert`) and read by the
``.xlsx`` reader. Either way the grid names the original file and the format ``xls``.
An encrypted workbook is refused before any of this (:mod:`.compound`).
"""

from __future__ import annotations

import datetime as dt
import io
import struct
from pathlib import Path
from typing import TYPE_CHECKING

from gongkai.errors import InputError
from gongkai.readers import compound, convert
from gongkai.readers.assemble import Slot, SourceRow
from gongkai.readers.grid import CellGrid
from gongkai.readers.limits import MAX_CELLS, MAX_ROWS, check_table, too_many_cells, too_many_rows
from gongkai.readers.xlsx import cell_text, choose_sheet, read_xlsx

if TYPE_CHECKING:  # the library loads only when a legacy file is read
    import xlrd
    import xlrd.sheet

FORMAT = "xls"

# BIFF8 cell records: (row, column) at the start of the record's data
_ONE_CELL = {0x0006: True,    # FORMULA
             0x0201: False,   # BLANK (a style, no value)
             0x0203: True,    # NUMBER
             0x0204: True,    # LABEL
             0x0205: True,    # BOOLERR
             0x027E: True,    # RK
             0x00FD: True,    # LABELSST
             0x00D6: True}    # RSTRING
_MULRK, _MULBLANK = 0x00BD, 0x00BE      # several cells of one row: (row, first col, …, last col)


def looks_like_xls(head: bytes, path: Path | None = None) -> bool:
    """A compound file holding a workbook stream (``Workbook``, or ``Book`` for Excel 5/95)."""
    if not compound.is_compound(head) or path is None:
        return False
    try:
        return compound.inspect(path, encryption=False).kind == compound.WORKBOOK
    except (compound.DamagedError, OSError):
        return False


# --- limits ---------------------------------------------------------------------------

def scan_workbook(name: str, data: bytes) -> None:
    """Count the cells of every sheet in a BIFF workbook stream, before xlrd builds them;
    refuse a workbook beyond the limits without spending the memory.

    Like ``xlsx.scan_sheets``: every cell record counts (a styled blank too: xlrd makes an
    entry for it), and the last row and column holding a value bound the grid the reader
    makes. Each ``BOF`` record starts a sheet (a substream) of its own.
    """
    cells = last_row = last_col = 0
    substream, where = -1, "workbook globals"
    pos, end = 0, len(data)
    while pos + 4 <= end:
        rtype, length = struct.unpack_from("<HH", data, pos)
        body = pos + 4
        pos = body + length
        if rtype == compound.BOF:
            substream += 1
            where = f"sheet {substream}" if substream else "workbook globals"
            last_row = last_col = 0
            continue
        if rtype in _ONE_CELL:
            if length < 4:
                continue
            n, has_value = 1, _ONE_CELL[rtype]
            row, col = struct.unpack_from("<HH", data, body)
            first = col
        elif rtype in (_MULRK, _MULBLANK):
            if length < 6:
                continue
            row, first = struct.unpack_from("<HH", data, body)
            n = (length - 6) // (6 if rtype == _MULRK else 2)
            col, has_value = first + max(n - 1, 0), rtype == _MULRK
        else:
            continue
        cells += n
        if cells > MAX_CELLS:
            raise too_many_cells(name, cells, MAX_CELLS, at_least=True, where=f" ({where})")
        if has_value:
            last_row, last_col = max(last_row, row + 1), max(last_col, col + 1)
            if last_row > MAX_ROWS:
                raise too_many_rows(name, last_row, MAX_ROWS, at_least=True)
            if last_row * last_col > MAX_CELLS:
                raise too_many_cells(name, last_row * last_col, MAX_CELLS, where=f" (up to row {last_row:,}, "
                                     f"column {last_col:,} in {where})")


# --- values -----------------------------------------------------------------------------

def value_text(cell: xlrd.sheet.Cell, datemode: int) -> str:
    """A cell as the text a person sees in Excel, like :func:`.xlsx.cell_text` gives it
    for the same cell of an ``.xlsx``."""
    import xlrd

    kind, value = cell.ctype, cell.value
    if kind in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return ""
    if kind == xlrd.XL_CELL_BOOLEAN:
        return cell_text(bool(value))
    if kind == xlrd.XL_CELL_ERROR:
        return xlrd.error_text_from_code.get(int(value), "#VALUE!")
    if kind == xlrd.XL_CELL_DATE:
        try:
            y, m, d, hh, mm, ss = xlrd.xldate_as_tuple(float(value), 1 if datemode else 0)
        except (xlrd.xldate.XLDateError, ValueError, OverflowError):
            return cell_text(value)
        if (y, m, d) == (0, 0, 0):
            return cell_text(dt.time(hh, mm, ss))
        return cell_text(dt.datetime(y, m, d, hh, mm, ss))
    return cell_text(value)


# --- sheets -----------------------------------------------------------------------------

def _extent(sheet: xlrd.sheet.Sheet) -> tuple[int, int]:
    """The last row and column holding a value (0, 0 for an empty sheet); styled blanks do
    not count (see ``xlsx._extent``)."""
    import xlrd

    rows = cols = 0
    for r in range(sheet.nrows):
        types = sheet.row_types(r)
        values = sheet.row_values(r)
        for c in range(len(types) - 1, -1, -1):
            if types[c] not in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK) and values[c] != "":
                rows, cols = r + 1, max(cols, c + 1)
                break
    return rows, cols


def _sheet_rows(sheet: xlrd.sheet.Sheet, name: str, datemode: int) -> list[SourceRow]:
    """Every row of the sheet up to its last value (1-based sheet row as ``line``), merged
    ranges expanded."""
    n_rows, n_cols = _extent(sheet)
    check_table(name, n_rows, n_cols, where=f" in sheet {sheet.name!r} ({n_rows:,} rows × {n_cols:,} columns)")
    grid: list[list[Slot]] = []
    for r in range(n_rows):
        length = sheet.row_len(r)
        grid.append([Slot(value_text(sheet.cell(r, c), datemode) if c < length else "")
                     for c in range(n_cols)])
    for r0, r_end, c0, c_end in sheet.merged_cells:       # half-open ranges
        if r0 >= n_rows or c0 >= n_cols or r_end <= r0 or c_end <= c0:
            continue
        r1, c1 = min(r_end, n_rows), min(c_end, n_cols)
        text = grid[r0][c0].text
        grid[r0][c0] = Slot(text, r1 - r0, c1 - c0)
        for r in range(r0, r1):
            for c in range(c0, c1):
                if (r, c) != (r0, c0):
                    grid[r][c] = Slot(text, spanned=True)
    return [SourceRow(i + 1, slots) for i, slots in enumerate(grid)]


def _hidden_rows(sheet: xlrd.sheet.Sheet) -> set[int]:
    """The sheet rows (1-based) hidden in Excel."""
    return {r + 1 for r, info in sheet.rowinfo_map.items() if info.hidden}


# --- the reader -------------------------------------------------------------------------

class _UnreadableError(Exception):
    """xlrd cannot open the workbook (the detail says why)."""


def _stream(path: Path) -> bytes:
    import olefile

    try:
        with olefile.OleFileIO(str(path)) as ole:
            for stream in ("Workbook", "Book", "WORKBOOK", "BOOK"):
                if ole.exists(stream):
                    with ole.openstream(stream) as f:
                        return f.read()
    except Exception as e:
        raise _UnreadableError(" ".join(f"{type(e).__name__}: {e}".split())) from None
    raise _UnreadableError("no workbook stream")


def _read_with_xlrd(path: Path, name: str) -> CellGrid:
    """The workbook read by xlrd from its workbook stream, which olefile has taken out of
    the compound file (xlrd reads a bare BIFF stream as well; its own compound-file code
    refuses some files Excel opens, with "Workbook corruption")."""
    import xlrd

    data = _stream(path)
    scan_workbook(name, data)
    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True, ragged_rows=True,
                                  on_demand=True, logfile=io.StringIO())
    except Exception as e:
        raise _UnreadableError(" ".join(f"{type(e).__name__}: {e}".split())) from None
    try:
        sheets = []
        for i in range(book.nsheets):
            try:
                sheet = book.sheet_by_index(i)
            except Exception as e:
                raise _UnreadableError(f"sheet {i + 1}: " + " ".join(f"{type(e).__name__}: {e}".split())) from None
            sheets.append((sheet.name, sheet.visibility == 0, _sheet_rows(sheet, name, book.datemode),
                           _hidden_rows(sheet)))
            book.unload_sheet(i)
    finally:
        book.release_resources()
    return choose_sheet(name, FORMAT, sheets)


def _read_converted(path: Path, name: str, why: str) -> CellGrid:
    """The workbook converted to .xlsx by LibreOffice, read by the .xlsx reader."""
    try:
        with convert.converted(path, "xlsx", name=name) as xlsx:
            try:
                grid = read_xlsx(xlsx)
            except InputError as e:        # named after the converted copy: name the original
                raise InputError(name, e.reason, row=e.row, cell=e.cell) from None
    except convert.ConversionError as e:
        raise InputError(name, f"xlrd cannot read this workbook ({why}); {e.reason}") from None
    grid.source, grid.format = name, FORMAT
    return grid


def read_xls(path: str | Path) -> CellGrid:
    """Read the sheet holding the disclosure table into a :class:`CellGrid` (see the module
    docstring). ``Cell.line`` is the sheet row (1-based).

    Raises :class:`InputError` for a file that is not a workbook, an encrypted, damaged or
    too large one, and a workbook in which no sheet has a disclosure-table header in its
    first rows.
    """
    p = Path(path)
    name = str(path)
    compound.require(name, p, compound.WORKBOOK)
    try:
        return _read_with_xlrd(p, name)
    except _UnreadableError as e:
        return _read_converted(p, name, str(e))
