"""Results as people read them: labels in a language, CSV/TSV/JSON."""

from __future__ import annotations

import csv
import io
import json

from gongkai.csv_cells import csv_cell, csv_record
from gongkai.errors import QueryError
from gongkai.store.base import Result


def display_columns(columns: list[str], lang: str | None) -> list[tuple[str, str, str | None]]:
    """(shown name, column, fallback column) for each column to show."""
    if lang is None:
        return [(c, c, None) for c in columns]
    have = set(columns)
    out: list[tuple[str, str, str | None]] = []
    for c in columns:
        if c.endswith("_en") and c[:-3] in have:
            continue
        if lang == "en" and f"{c}_en" in have:
            out.append((c, f"{c}_en", c))
        else:
            out.append((c, c, None))
    return out


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


def render(result: Result, fmt: str, lang: str | None = None) -> str:
    """``csv`` (UTF-8, header row), ``tsv`` (tabs and newlines in values become spaces) or
    ``json`` (an array of objects, column → string)."""
    rows = label_rows(result, lang)
    columns = [shown for shown, _, _ in display_columns(result.vars, lang)]
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=1) + "\n"
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
