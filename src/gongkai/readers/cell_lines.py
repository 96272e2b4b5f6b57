"""Readers for web-table text without cell delimiters: ``cell-lines`` and ``space-text``.

Some extractions of web tables keep no sign of where a cell ends:

- ``cell-lines`` — one block of text per cell, blocks separated by blank lines::

      序号

      公开事项
      …
      1

      批准服务信息

  but a cell holding paragraphs is several blocks (``1.法律法规咨询;`` / ``2.普法动态咨询``),
  a header cell may be cut in two (``公开`` / ``时限``), and empty cells leave nothing;
- ``space-text`` — the cells of a row separated by blanks, a row continuing on the next
  lines when a cell holds line breaks (a channel list, one option per line).

So the reader cannot tell which pieces make one cell, nor where a row ends: that needs the
header's columns and what each column holds, which is the tabulator's knowledge. The
reader returns the pieces as a *stream* (one grid row per piece, ``grid.meta["stream"] =
"fragments"``) and :mod:`gongkai.tabulate.stream` groups them into cells and rows. Positions in
such a row are never reliable (``grid.meta["collapsed_empty_cells"] = "possible"``).

A third kind runs the cells together with nothing between them
(``公开事项公开内容(要素)公开依据公开对象``). No reader can split that without inventing
cells, so it is recognised only to be refused with an error naming the line
(:func:`read_undelimited`).
"""

from __future__ import annotations

import re
from pathlib import Path

from gongkai.columns import PARENTS, ROLES, header_key
from gongkai.errors import InputError
from gongkai.readers.grid import Cell, CellGrid
from gongkai.readers.limits import MAX_CELLS, TableBudget, too_many_cells
from gongkai.readers.preamble import header_score
from gongkai.readers.textfile import decode_head, numbered_lines, read_text

CELL_LINES = "cell-lines"
SPACE_TEXT = "space-text"
UNDELIMITED = "undelimited-text"

_SEPARATORS = re.compile(r"[\t|]")


def _blocks(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Runs of non-blank lines: (first line, text with its line breaks)."""
    out: list[tuple[int, str]] = []
    start = 0
    buf: list[str] = []
    for n, s in [*lines, (0, "")]:
        if s.strip():
            if not buf:
                start = n
            buf.append(s.strip())
        elif buf:
            out.append((start, "\n".join(buf)))
            buf = []
    return out


def _stream(name: str, fmt: str, pieces: list[tuple[int, str]], meta: dict[str, str],
            preamble: list[tuple[int, str]] | None = None) -> CellGrid:
    grid = CellGrid(source=name, format=fmt, preamble=list(preamble or []), meta=meta)
    grid.meta["stream"] = "fragments"
    grid.meta["collapsed_empty_cells"] = "possible"
    for line, text in pieces:
        r = len(grid.rows)
        grid.rows.append([Cell(text, r, 0, line)])
    return grid


def _header_lines_adjoin(lines: list[tuple[int, str]]) -> bool:
    """Whether the table's header cells stand on lines that follow each other, with no
    blank line between them: one cell per line, a long cell wrapped onto the next lines."""
    for k, (_, s) in enumerate(lines[:-2]):
        if header_score([s]) and header_score([lines[k + 1][1]]) and header_score([lines[k + 2][1]]):
            return True
        if header_score([s]) and not lines[k + 1][1].strip():
            return False
    return False


def read_cell_lines(path: str | Path) -> CellGrid:
    """Read blank-line-separated cells into a fragment stream (see the module doc).

    A block may span several lines (a cell with a line break); its line is its first.
    When no blank line separates the header's cells (text copied from a PDF: one cell
    per line, a long cell wrapped onto the next lines), every line is a fragment.
    Blocks before the table's header stay in the stream: the stream's tabulator moves
    them to the preamble once it has found the header.
    """
    name = str(path)
    lines, meta = numbered_lines(read_text(path))
    adjoin = _header_lines_adjoin(lines)
    blocks = [(n, s.strip()) for n, s in lines if s.strip()] if adjoin else _blocks(lines)
    if not blocks:
        raise InputError(name, "no text found")
    if len(blocks) > MAX_CELLS:
        raise too_many_cells(name, len(blocks), where=" (one per block of lines)")
    return _stream(name, CELL_LINES, blocks, meta)


def _header_line(lines: list[tuple[int, str]]) -> int | None:
    for i, (_, s) in enumerate(lines[:200]):
        if not _SEPARATORS.search(s) and header_score(s.split()) >= 3:
            return i
    return None


def read_space_text(path: str | Path) -> CellGrid:
    """Read a table whose cells are separated by blanks into a fragment stream.

    Lines before the header line (the first with three known column headers separated by
    blanks) are the preamble; from there on, every blank-separated piece is a fragment.
    """
    name = str(path)
    lines, meta = numbered_lines(read_text(path))
    h = _header_line(lines)
    if h is None:
        raise InputError(name, "no line of blank-separated column headers (序号 公开事项 公开内容 …) found")
    preamble = [(n, s.strip()) for n, s in lines[:h] if s.strip()]
    budget = TableBudget(name)
    pieces: list[tuple[int, str]] = []
    for n, s in lines[h:]:
        words = s.split()
        budget.add_cells(len(words))
        pieces.extend((n, p) for p in words)
    return _stream(name, SPACE_TEXT, pieces, meta, preamble)


# --- recognising the layouts ------------------------------------------------------

def _text_lines(head: bytes) -> list[str] | None:
    text = decode_head(head)
    if "\x00" in text:
        return None
    if text.lstrip("\ufeff \r\n").lower().startswith(("<!doctype", "<html", "<?xml", "<table")):
        return None
    return text.split("\n")[:600]


#: the share of lines with a tab or a '|' a cell-per-line text may have (page navigation
#: above the table: '作者: | 来源: | 时间:')
_CHROME_SEPARATORS = 0.05


def looks_like_cell_lines(head: bytes, path: Path | None = None) -> bool:  # noqa: ARG001  (the sniffer protocol: ReaderSpec.sniff(head, path))
    """No tabs or pipes to speak of, and at least three column headers each alone on a
    line, between blank lines (序号 / 公开事项 / 公开依据 …) or on lines that follow each
    other (one cell per line with nothing between cells)."""
    lines = _text_lines(head)
    if lines is None:
        return False
    filled = [s for s in lines if s.strip()]
    if sum(1 for s in filled if _SEPARATORS.search(s)) > max(2, _CHROME_SEPARATORS * len(filled)):
        return False
    alone: list[str] = []
    for i, s in enumerate(lines):
        prev_blank = i == 0 or not lines[i - 1].strip()
        next_blank = i + 1 >= len(lines) or not lines[i + 1].strip()
        if s.strip() and prev_blank and next_blank:
            alone.append(s.strip())
    if header_score(alone) >= 3:
        return True
    return _header_lines_adjoin([(n, s.strip()) for n, s in enumerate(lines, 1)])


def looks_like_space_text(head: bytes, path: Path | None = None) -> bool:  # noqa: ARG001  (the sniffer protocol: ReaderSpec.sniff(head, path))
    """A line of at least three known column headers separated by blanks."""
    lines = _text_lines(head)
    if lines is None:
        return False
    return _header_line([(n, s) for n, s in enumerate(lines, 1)]) is not None


def _synonyms() -> list[str]:
    words = {header_key(s) for r in ROLES for s in r.synonyms}
    words |= {header_key(s) for p in PARENTS for s in p.synonyms}
    return sorted((w for w in words if len(w) >= 4), key=len, reverse=True)


#: the item-number header a run-together header line may begin with (too short to be searched
#: for elsewhere in a line)
_NUMBER_HEADERS = ("序号", "编号")
#: the most characters of a run-together header line that may name no known column (a column
#: of the list's own, 网站对应栏目), and the share of the line they may make
_UNKNOWN_MAX = 8
_UNKNOWN_SHARE = 1 / 3


def run_together_headers(line: str) -> list[str]:
    """The column headers written one after the other, with nothing between them, in a line:
    at least three known headers, after an optional 序号, with at most a few characters that
    name no known column (网站对应栏目).

    >>> run_together_headers("公开事项公开内容(要素)公开依据公开对象")
    ['公开事项', '公开内容(要素)', '公开依据', '公开对象']
    >>> run_together_headers("序号公开事项公开内容网站对应栏目公开依据公开时限")
    ['序号', '公开事项', '公开内容', '公开依据', '公开时限']
    >>> run_together_headers("本局的公开内容")
    []
    """
    if _SEPARATORS.search(line) or len(line.split()) > 1:
        return []
    key = header_key(line)
    words = _synonyms()
    found = [w for w in _NUMBER_HEADERS if key.startswith(w)][:1]
    i = len(found[0]) if found else 0
    unknown = 0
    while i < len(key):
        w = next((w for w in words if key.startswith(w, i)), None)
        if w is None:
            unknown += 1
            if unknown > _UNKNOWN_MAX:
                return []
            i += 1
            continue
        found.append(w)
        i += len(w)
    named = len([w for w in found if w not in _NUMBER_HEADERS])
    return found if named >= 3 and unknown <= _UNKNOWN_SHARE * len(key) else []


def _undelimited_line(lines: list[tuple[int, str]]) -> tuple[int, str, list[str]] | None:
    for n, s in lines[:200]:
        words = run_together_headers(s.strip())
        if words:
            return n, s.strip(), words
    return None


def looks_like_undelimited(head: bytes, path: Path | None = None) -> bool:  # noqa: ARG001  (the sniffer protocol: ReaderSpec.sniff(head, path))
    """A line made of three or more column headers run together (公开事项公开内容公开依据)."""
    lines = _text_lines(head)
    if lines is None:
        return False
    return _undelimited_line(list(enumerate(lines, 1))) is not None


def read_undelimited(path: str | Path) -> CellGrid:
    """Refuse a table whose cells are run together: say which line shows it, and why.

    Always raises :class:`InputError`.
    """
    name = str(path)
    lines, _ = numbered_lines(read_text(path))
    found = _undelimited_line(lines)
    if found is None:
        raise InputError(name, "no table recognised")
    n, text, words = found
    raise InputError(
        name,
        f"the table's cells are run together without any delimiter (the header {text!r} "
        f"holds {len(words)} column names: {', '.join(words)}); where one cell ends and the next "
        "begins cannot be known without guessing, so nothing is read. Extract the table again "
        "keeping its cells apart (tab-separated, '|' after each cell, or one cell per line), "
        "or save the page as HTML",
        row=n)
