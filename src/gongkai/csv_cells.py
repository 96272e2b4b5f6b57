"""Cells of the CSV files gongkai writes, made safe to open in a spreadsheet program.

Excel, WPS and LibreOffice read a cell that starts with ``=``, ``+``, ``-`` or ``@`` as
a formula (``=HYPERLINK(…)``, ``+cmd|' /C calc'!A0``, ``@SUM(…)``), and a leading tab or
carriage return can hide such a start. The values come from the lists, which anyone can
write, so every CSV writer passes its cells through ``csv_cell``: such a cell gets a
leading ``'`` (OWASP's advice), which spreadsheets show as text and which a person
reading the file recognises.

A plain number (``-5``, ``+3``, ``-0.5``, ``1e3``) is kept as it is: a spreadsheet reads
it as that number, never as a formula, and a column of signed figures (days late, say)
stays numeric. Anything more (``-5+3``, ``-2+3+cmd|…``) is not a plain number and is
neutralised. Values that are not strings (counts, scores) are numbers and pass through.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def csv_cell(value: Any) -> Any:
    """``value`` with a ``'`` in front when a spreadsheet would read it as a formula.

    >>> csv_cell('=HYPERLINK("http://evil.example","x")')
    '\\'=HYPERLINK("http://evil.example","x")'
    >>> csv_cell("-5"), csv_cell("主动公开"), csv_cell(3)
    ('-5', '主动公开', 3)
    """
    if not isinstance(value, str) or not value.startswith(FORMULA_STARTS) or _PLAIN_NUMBER.fullmatch(value):
        return value
    return "'" + value


def csv_row(values: Iterable[Any]) -> list[Any]:
    """A row of ``csv.writer`` with each cell through ``csv_cell``."""
    return [csv_cell(v) for v in values]


def csv_record(row: Mapping[str, Any]) -> dict[str, Any]:
    """A row of ``csv.DictWriter`` with each cell through ``csv_cell``."""
    return {k: csv_cell(v) for k, v in row.items()}


def text_not_formulas(workbook: Any) -> Any:
    """An openpyxl workbook whose cells holding text that starts with ``=`` are text, not
    formulas: openpyxl takes any such string for a formula (``=HYPERLINK(…)`` would be live
    in Excel). Its whole text is kept; Excel shows it as written. Returns the workbook."""
    for ws in workbook.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
    return workbook
