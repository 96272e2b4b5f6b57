"""Results as people read them: labels in a language, CSV/TSV/JSON for scripts (the
variables' names, JSON with numbers, yes/no and dates as such) and XLSX for spreadsheets
(headers in the language, numbers and dates typed)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Any

from gongkai.csv_cells import csv_cell, csv_record
from gongkai.errors import QueryError
from gongkai.query.columns import Column, Labels, columns_of, json_value, shown_columns, typed_rows
from gongkai.store.base import Result


def display_columns(columns: list[str], lang: str | None) -> list[tuple[str, str, str | None]]:
    """(shown name, column, fallback column) for each column to show."""
    return shown_columns(columns, lang)


def label_rows(result: Result, lang: str | None = None) -> list[dict[str, str]]:
    """Rows as plain strings (labels already selected by the queries), in ``lang`` if given."""
    cols = display_columns(result.vars, lang)
    out = []
    for r in result.rows:
        row = {}
        for shown, col, fallback in cols:
            term = r.get(col)
            if term is None and fallback is not None:
                term = r.get(fallback)
            row[shown] = "" if term is None else str(term)
        out.append(row)
    return out


FORMATS = ("csv", "tsv", "json", "xlsx")


def render(result: Result, fmt: str, lang: str | None = None) -> str:
    """``csv`` (UTF-8, header row), ``tsv`` (tabs and newlines in values become spaces) or
    ``json`` (an array of objects, column → value: numbers and yes/no as JSON numbers and
    booleans, dates as ISO 8601 text, a missing number as null). Columns are named by the
    query's variables, which scripts rely on."""
    if fmt == "json":
        cols = columns_of(result, lang)
        rows = [{k: json_value(v) for k, v in r.items()} for r in typed_rows(result, cols)]
        return json.dumps(rows, ensure_ascii=False, indent=1) + "\n"
    rows = label_rows(result, lang)
    columns = [shown for shown, _, _ in display_columns(result.vars, lang)]
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n")
        w.writeheader()
        w.writerows(csv_record(r) for r in rows)   # no cell read as a formula by a spreadsheet
        return buf.getvalue()
    if fmt == "tsv":
        def clean(v: str) -> str:  # a spreadsheet opens TSV too: no formulas
            return csv_cell(" ".join(v.replace("\t", " ").splitlines()))
        lines = ["\t".join(columns)] + ["\t".join(clean(r[c]) for c in columns) for r in rows]
        return "\n".join(lines) + "\n"
    raise QueryError(f"unknown format {fmt!r}: use table, csv, tsv or json")


def export_bytes(result: Result, fmt: str, lang: str | None = None, labels: Labels | None = None,
                 title: str = "") -> bytes:
    """A download: CSV in UTF-8 with a byte order mark (so that Excel reads the Chinese), TSV and
    JSON in UTF-8, or XLSX with the headers in ``lang``."""
    if fmt == "xlsx":
        return xlsx(result, lang, labels, title=title)
    text = render(result, fmt, lang)
    return text.encode("utf-8-sig" if fmt == "csv" else "utf-8")


_DATE_FORMATS = {"date": "yyyy-mm-dd", "datetime": "yyyy-mm-dd hh:mm:ss"}


def xlsx(result: Result, lang: str | None = None, labels: Labels | None = None, title: str = "") -> bytes:
    """One sheet: the headers in ``lang`` (the query's labels), numbers as numbers, dates as
    dates, yes/no as booleans; text is always text (a cell starting with ``=`` is not a formula).
    Written in openpyxl's write-only mode: 100,000 rows in a few seconds."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    cols = columns_of(result, lang, labels)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet((title or "result")[:31].translate(str.maketrans("[]:*?/\\", "（）：＊？／＼")))
    ws.freeze_panes = "A2"
    for k, c in enumerate(cols, start=1):
        ws.column_dimensions[get_column_letter(k)].width = _width(c)
    bold = Font(bold=True)

    def head(text: str) -> Any:
        cell = WriteOnlyCell(ws, value=text)
        cell.data_type, cell.font = "s", bold
        return cell

    ws.append([head(c.label(lang)) for c in cols])
    for row in typed_rows(result, cols):
        ws.append([_cell(ws, row[c.name], c) for c in cols])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _cell(ws: Any, value: Any, col: Column) -> Any:
    """A value as a spreadsheet cell: a string never read as a formula, a date with its format."""
    from openpyxl.cell import WriteOnlyCell

    if value is None or value == "":
        return None
    if isinstance(value, str):
        if not value.startswith("="):
            return value
        cell = WriteOnlyCell(ws, value=value)
        cell.data_type = "s"                 # never a formula
        return cell
    if col.kind in _DATE_FORMATS:
        if isinstance(value, dt.datetime) and value.tzinfo is not None:
            value = value.replace(tzinfo=None)   # Excel has no time zones
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = _DATE_FORMATS[col.kind]
        return cell
    return value


def _width(col: Column) -> float:
    if col.kind in ("date", "datetime"):
        return 12 if col.kind == "date" else 20
    if col.numeric or col.kind in ("boolean", "year"):
        return max(8, min(16, 2 * len(col.label_zh) + 2))
    return 30 if col.kind == "text" else 40


def table_headers(result: Result, lang: str | None, labels: Labels | None) -> list[str]:
    """The header of each column shown, for a table people read."""
    return [c.label(lang) for c in columns_of(result, lang, labels)]
