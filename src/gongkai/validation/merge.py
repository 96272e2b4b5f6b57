"""A part of the build's validation reports replaced: the lists of one import, and their bureaus.

A list imported into a running build (``pipeline.add_list.commit_to_build``) is validated
with the other lists of its bureau, and that report replaces, in each of the files the 校验
screen and the overview read (``validation.json``, ``validation.csv``, ``completeness.csv``,
``coverage.csv``), the rows of those lists and of that bureau; every other row is kept as it
was written, in its place. The bureaus' completeness rows are sums of their lists' rows and
are counted again from them; the coverage row of a bureau needs the item titles of all its
lists, which is why the whole bureau is validated, not the new list alone. The figures are
then those a build of the same lists would write. Each file is written whole and atomically
(``build_folder.write_atomic``): a reader sees the old report or the new one.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from gongkai.build_folder import write_atomic
from gongkai.csv_cells import csv_cell, csv_row
from gongkai.settings import Settings
from gongkai.validation.reports import (
    COMPLETENESS_COLUMNS,
    PROBLEM_COLUMNS,
    completeness_rows,
    coverage_rows,
    problem_rows,
    render_json,
    standard_items,
)
from gongkai.validation.results import Report

REPORT_FILES = ("validation.json", "validation.csv", "completeness.csv", "coverage.csv")


def _read_csv(path: Path) -> tuple[list[str], list[list[str]]]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    return (rows[0] if rows else []), rows[1:]


def _write_csv(path: Path, header: list[str] | tuple[str, ...], rows: list[list], *, escaped: bool = False) -> Path:
    """``escaped``: every row is as read from a report or made by ``_cells`` (cells already safe)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(csv_row(header))
    w.writerows(rows if escaped else (csv_row(r) for r in rows))
    return write_atomic(path, buf.getvalue(), encoding="utf-8-sig")


def _language(header: list[str], columns: dict[str, tuple[str, ...]]) -> str:
    """The language a report was written in, from its header (a build writes Chinese)."""
    return "en" if tuple(header) == columns["en"] else "zh"


def _cells(rows: list[list]) -> list[list[str]]:
    """New rows as the file holds them once read back: text, formula-like cells quoted."""
    return [[str(csv_cell(v)) for v in r] for r in rows]


def _problems(path: Path, part: Report, iris: set[str]) -> Path:
    header, rows = _read_csv(path)
    lang = _language(header, PROBLEM_COLUMNS)
    kept = [r for r in rows if len(r) < 2 or r[1] not in iris]
    new = _cells(problem_rows(Report(lists=part.lists), lang))
    # the rows are in bureau → list order, the authority data's (no list) last: the new lists'
    # rows go in their place, every other row stays as written (and is not read again cell by cell)
    by_list = sorted(new, key=lambda r: (r[0], r[1]))       # stable: each list's rows keep their order
    at = 0
    for row in by_list:
        k = (row[0], row[1])
        while at < len(kept) and len(kept[at]) >= 2 and kept[at][1] and (kept[at][0], kept[at][1]) <= k:
            at += 1
        kept.insert(at, row)
        at += 1
    return _write_csv(path, header or list(PROBLEM_COLUMNS[lang]), kept, escaped=True)


def _number(text: str) -> int:
    try:
        return int(float(text))
    except ValueError:
        return 0


def _completeness(path: Path, part: Report, iris: set[str]) -> Path:
    header, rows = _read_csv(path)
    lang = _language(header, COMPLETENESS_COLUMNS)
    new = _cells(completeness_rows(Report(lists=part.lists), lang))
    list_word = new[0][0] if new else ("list" if lang == "en" else "清单")
    bureau_word = "bureau" if lang == "en" else "责任单位"
    lists = [r for r in rows if len(r) >= 8 and r[2] and r[2] not in iris]
    lists += [r for r in new if r[2]]
    lists.sort(key=lambda r: (r[1], r[3], r[2]))
    sums: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for r in lists:
        s = sums[r[1]]
        s[0] += _number(r[4])
        s[1] += _number(r[5])
        s[2] += _number(r[6])
    bureaus = [[bureau_word, b, "", "", items, p, req, round(p / req, 4) if req else 1.0]
               for b, (items, p, req) in sorted(sums.items())]
    for r in lists:
        r[0] = list_word
    return _write_csv(path, header or list(COMPLETENESS_COLUMNS[lang]), lists + bureaus)


def _coverage(path: Path, part: Report, settings: Settings) -> Path:
    header, rows = _read_csv(path)
    lang = "en" if header[:1] == ["bureau"] else "zh"
    new_header, new = coverage_rows(Report(lists=part.lists), standard_items(settings), lang)
    bureaus = {r[0] for r in _cells(new)}
    merged = sorted([r for r in rows if r and r[0] not in bureaus] + _cells(new), key=lambda r: r[0])
    return _write_csv(path, list(new_header), merged)


_WS = re.compile(r"[ \t\n\r]*")


def _skip(text: str, i: int) -> int:
    m = _WS.match(text, i)
    return m.end() if m else i


def _read_json(text: str) -> list[tuple[str, Any]]:
    """The top-level fields of a report as ``render_json`` writes it, in order; the value of
    ``lists`` is a list of (entry, its text as written), so that the entries an import leaves
    alone are written back as they were, not encoded again (a report of ten thousand lists is
    a hundred megabytes: encoding it with indentation takes seconds)."""
    dec = json.JSONDecoder()
    i = _skip(text, 0)
    if text[i:i + 1] != "{":
        raise ValueError("validation.json: not a JSON object")
    i += 1
    fields: list[tuple[str, Any]] = []
    while True:
        i = _skip(text, i)
        if text[i:i + 1] == "}":
            return fields
        name, i = dec.raw_decode(text, i)
        i = _skip(text, i)
        if text[i:i + 1] != ":":
            raise ValueError(f"validation.json: ':' expected at {i}")
        i = _skip(text, i + 1)
        if name == "lists" and text[i:i + 1] == "[":
            entries = []
            i = _skip(text, i + 1)
            while text[i:i + 1] != "]":
                start = i
                entry, i = dec.raw_decode(text, i)
                entries.append((entry, text[start:i]))
                i = _skip(text, i)
                if text[i:i + 1] == ",":
                    i = _skip(text, i + 1)
            fields.append((name, entries))
            i += 1
        else:
            value, i = dec.raw_decode(text, i)
            fields.append((name, value))
        i = _skip(text, i)
        if text[i:i + 1] == ",":
            i += 1


def _dump(value: Any, depth: int) -> str:
    """``value`` as ``json.dumps(…, indent=1)`` writes it ``depth`` levels down."""
    return json.dumps(value, ensure_ascii=False, indent=1).replace("\n", "\n" + " " * depth)


def _json(path: Path, part: Report, iris: set[str]) -> Path:
    fields = dict(_read_json(path.read_text(encoding="utf-8")))
    order = list(fields) or ["conforms", "counts", "bureaus", "lists", "authority", "shapes"]
    new = json.loads(render_json(Report(lists=part.lists, shapes=part.shapes)))
    lists = [(lr, raw) for lr, raw in fields.get("lists", []) if lr.get("list") not in iris]
    lists += [(lr, _dump(lr, 2)) for lr in new["lists"]]
    lists.sort(key=lambda e: (e[0].get("bureau") or "", e[0].get("date") or "", e[0].get("list") or ""))
    sums: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for lr, _raw in lists:
        sums[lr["bureau"]][0] += int(lr.get("present") or 0)
        sums[lr["bureau"]][1] += int(lr.get("required") or 0)
    severities = Counter(r.get("severity") for lr, _raw in lists for r in lr.get("results", ()))
    severities.update(r.get("severity") for r in fields.get("authority", ()))
    counts = {s: severities.get(s, 0) for s in ("Violation", "Warning", "Info")}
    fields.update(conforms=counts["Violation"] == 0, counts=counts,
                  bureaus=[{"bureau": b, "present": p, "required": r, "completeness": round(p / r, 4) if r else 1.0}
                           for b, (p, r) in sorted(sums.items())],
                  shapes={**fields.get("shapes", {}), **new["shapes"]})
    parts = []
    for name in [*order, *(k for k in fields if k not in order)]:
        if name == "lists":
            body = "[\n" + ",\n".join("  " + raw for _lr, raw in lists) + "\n ]" if lists else "[]"
        else:
            body = _dump(fields[name], 1)
        parts.append(f" {json.dumps(name)}: {body}")
    return write_atomic(path, "{\n" + ",\n".join(parts) + "\n}\n")


def has_reports(out_dir: Path) -> bool:
    return all((out_dir / name).is_file() for name in REPORT_FILES)


def merge_build_reports(part: Report, out_dir: Path, settings: Settings) -> list[Path]:
    """Replace, in the reports of the build version at ``out_dir``, what they say of the lists
    of ``part`` and of their bureaus (``part`` holds every list of those bureaus); the rest is
    kept. The reports must be there (``has_reports``). Returns the files written."""
    iris = {lr.list_iri for lr in part.lists}
    return [_problems(out_dir / "validation.csv", part, iris),
            _completeness(out_dir / "completeness.csv", part, iris),
            _coverage(out_dir / "coverage.csv", part, settings),
            _json(out_dir / "validation.json", part, iris)]


__all__ = ["REPORT_FILES", "has_reports", "merge_build_reports"]
