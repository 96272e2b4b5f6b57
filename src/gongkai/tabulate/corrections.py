"""Corrections of a list's rows, kept beside the lists instead of in them.

A publisher's file is never edited: a row that could not be read (or was read wrongly) is
corrected in a folder's ``corrections.csv``, one row per correction::

    sha256,lines,action,cells,note
    3f2a…c9,14,replace,"5 | 财政信息 | 部门预算 | 预算表 | 《预算法》 | 批复后20日内 | 本局",cell cut off
    3f2a…c9,rows 31–32,skip,,a note under the table

- ``sha256`` — the list file's SHA-256 (``gongkai ingest`` and ``build/unread.csv`` print it),
  or its first 12 or more hex digits: a correction follows the file's content, not its name,
  and stops applying when the file changes;
- ``lines`` — the source lines of the row as the warnings name them (``14``, ``14-16``,
  ``rows 14–16, 18``): every row of the table on one of them is corrected;
- ``action`` — ``replace`` (the default when cells are given): the row becomes the given
  cells; ``skip``: the row is left out, neither an item nor an unread row;
- ``cells`` — the corrected row's cells in the table's column order, separated by ``|``
  (as an unread row's text is written), one per column;
- ``note`` — why (kept with the correction).

A correction that matches no row, or gives the wrong number of cells, is not applied and a
warning says why: a wrong correction never refuses the list. Applied corrections are kept
with the list (``DisclosureList.corrections``) and in its graph (``gk:Correction``).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from pathlib import Path

from gongkai.errors import InputError
from gongkai.model import Correction, DisclosureList
from gongkai.tabulate.rows import RawRow, RawTable

#: the corrections file of a folder of lists
CORRECTIONS_FILE = "corrections.csv"
#: the shortest SHA-256 prefix a correction may name its file by
MIN_SHA_PREFIX = 12
#: the columns of the corrections file; sha256 and lines are required
COLUMNS = ("sha256", "lines", "action", "cells", "note")
ACTIONS = ("replace", "skip")

_HEX = re.compile(r"^[0-9a-f]+$")
_RANGE = re.compile(r"^(\d+)(?:\s*[-–—~]\s*(\d+))?$")
#: the most lines one correction may name
MAX_LINES = 1000


def parse_lines(text: str) -> tuple[int, ...]:
    """The lines a correction names: ``14``, ``14-16``, ``rows 14–16, 18``.

    >>> parse_lines("rows 14–16, 18"), parse_lines("7")
    ((14, 15, 16, 18), (7,))
    """
    t = re.sub(r"^\s*(?:rows?|lines?|行|第)\s*", "", text.strip(), flags=re.IGNORECASE)
    out: list[int] = []
    for part in re.split(r"[,，;；\s]+(?=\d)", t):
        m = _RANGE.match(part.strip().rstrip("行"))
        if not m:
            raise ValueError(f"{text!r} is not a line, a range (14-16) or a list of them (14–16, 18)")
        first, last = int(m.group(1)), int(m.group(2) or m.group(1))
        if first < 1 or last < first or last - first >= MAX_LINES:
            raise ValueError(f"{text!r}: lines run from 1 up, a range from its first line to its last")
        out.extend(range(first, last + 1))
    return tuple(sorted(set(out)))


def split_cells(text: str) -> tuple[str, ...]:
    """The cells of a corrected row, written ``a | b | c``."""
    return tuple(c.strip() for c in text.split("|"))


def read_corrections(path: Path) -> list[Correction]:
    """The corrections of a ``corrections.csv`` ([] when there is none).

    Raises :class:`InputError` naming the row and the cell for a row that cannot be used: no
    SHA-256 or one that is not hex, lines that are no lines, an unknown action, a replacement
    without cells.
    """
    if not path.exists():
        return []
    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            reader = csv.DictReader(f)
            rows = list(reader)
            fields = reader.fieldnames or []
    except (OSError, UnicodeDecodeError, csv.Error) as e:
        raise InputError(str(path), f"cannot read it as UTF-8 CSV: {e}") from None
    missing = [c for c in ("sha256", "lines") if c not in fields]
    if missing:
        raise InputError(str(path), f"no column {', '.join(missing)}: the columns are {', '.join(COLUMNS)}", row=1)
    out: list[Correction] = []
    for n, row in enumerate(rows, 2):
        out.append(_correction(path, n, {k: (v or "").strip() for k, v in row.items() if k}))
    return out


def _correction(path: Path, n: int, row: dict[str, str]) -> Correction:
    sha = row.get("sha256", "").lower()
    if len(sha) < MIN_SHA_PREFIX or not _HEX.match(sha):
        raise InputError(str(path), f"{sha!r} is not the list file's SHA-256 (64 hex digits, or the first "
                                    f"{MIN_SHA_PREFIX} or more)", row=n, cell="sha256")
    try:
        lines = parse_lines(row.get("lines", ""))
    except ValueError as e:
        raise InputError(str(path), str(e), row=n, cell="lines") from None
    cells = row.get("cells", "")
    action = row.get("action", "").lower() or ("replace" if cells else "")
    if action not in ACTIONS:
        raise InputError(str(path), f"action {action!r} is not one of {', '.join(ACTIONS)}", row=n, cell="action")
    if action == "replace" and not cells:
        raise InputError(str(path), "a replacement needs the row's corrected cells (a | b | c)", row=n, cell="cells")
    return Correction(sha256=sha, lines=lines, action=action,
                      cells=split_cells(cells) if action == "replace" else (),
                      note=row.get("note", ""), where=f"{path.name} row {n}")


def for_file(corrections: Sequence[Correction], sha256: str) -> list[Correction]:
    """The corrections of the file with this SHA-256."""
    return [c for c in corrections if sha256.lower().startswith(c.sha256)]


def apply_corrections(table: RawTable, corrections: Sequence[Correction]) -> list[Correction]:
    """Apply a file's corrections to its table, in place; the ones applied are returned, and a
    warning says why any other was not."""
    applied: list[Correction] = []
    for c in corrections:
        lines = set(c.lines)
        rows = [r for r in table.rows if lines & set(r.lines)]
        unread = [u for u in table.unread if lines & set(u.lines)]
        if not rows and not unread:
            table.warnings.append(f"{c.where}: no row of the table is on {c.lines_text}; the correction "
                                  "was not applied (was the file changed, or the lines misread?)")
            continue
        if c.action == "replace" and len(c.cells) != len(table.roles):
            table.warnings.append(
                f"{c.where}: {len(c.cells)} cells given for the {len(table.roles)} columns of the table "
                f"({', '.join(table.roles)}); the correction was not applied")
            continue
        covered = sorted(lines | {n for r in rows for n in r.lines} | {n for u in unread for n in u.lines})
        table.rows = [r for r in table.rows if not any(r is x for x in rows)]
        table.unread = [u for u in table.unread if u not in unread]
        if c.action == "replace":
            values = dict(zip(table.roles, c.cells, strict=True))
            table.rows.append(RawRow(values=values, lines=covered,
                                     columns={role: k for k, role in enumerate(table.roles)},
                                     carried=set(), warnings=[]))
            table.rows.sort(key=lambda r: min(r.lines, default=0))
        applied.append(c)
    return applied


def corrections_template(dl: DisclosureList) -> str:
    """A corrections file with a row for each of the list's unread rows, to fill in: its
    SHA-256, its lines, ``skip`` as the action and its text as read in ``cells`` (to edit into
    one cell per column, then set the action to ``replace``). UTF-8 with a BOM (Excel opens it)."""
    buf = io.StringIO()
    buf.write("\ufeff")
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(COLUMNS)
    for u in dl.unread:
        w.writerow([dl.source_sha256, u.lines_text, "skip", u.text,
                    f"{dl.source_file}: {u.reason}"[:300]])
    return buf.getvalue()
