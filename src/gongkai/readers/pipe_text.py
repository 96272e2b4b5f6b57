"""Reader for the text of web tables with ``|`` after every cell (format id ``pipe-text``).

This is what a text extraction of an HTML table gives on many government sites::

    序号 | 公开事项 | 公开内容(要素) | … | 公开方式 | |||
    一级事项 | 二级事项 | 全社会 | 特定群众 | 主动 | 依申请公开 | |||||||
    1 | 规划计划 | 年度计划 | … | ■政府网站 ■两微一端 | √ | √ | …

Every cell is followed by a ``|``, and every row is padded with bare ``|`` up to the
table's width, so **each row holds the same number of pipes**: the pipe count, not the
line break, delimits rows. That matters because the same extraction also breaks lines
*inside* rows (a cell holding a line break continues on the next line; a long row is
spread over several lines) and, on other sites, puts one cell per line::

    序號 |
    公開事項 |
    …

How the text is read:

- **cells** are the text between pipes; a line that does not end with a pipe continues
  its last cell on the next line (joined with a newline);
- **empty cells and padding**: a cell with nothing but a blank (``| |``) is an empty cell
  of the row; the bare pipes at the end of a row (``| |||``: the blank before the run and
  the run itself) are padding, kept as one empty cell spanning them (``colspan``) so that
  positions stay right and the tabulator can tell an empty column from the row's end;
- **rows**: when some line holds a whole row (two or more cells and its padding), the
  widest such line gives the width, and rows are cut every *width* pipes, across lines;
- **one cell per line** (no line holds two cells): the width can only be known from the
  header (how many columns its parents and sub-headers make) and the item numbers. That is
  knowledge of disclosure tables, not of this format, so the reader returns the cells as a
  *stream* (one grid row per cell, ``grid.meta["stream"] = "cells"``) and
  :mod:`gongkai.tabulate.stream` cuts it into rows;
- a leading ``|`` on every row (``| 序號 | 事項名稱 |``, markdown style) is dropped;
- lines before the first line with a pipe (a title, 发布日期 …) are the preamble; a first
  line ``# source: URL`` goes to ``grid.meta["source_url"]``;
- the pages are often saved only in part: a last row with fewer pipes than the width, or a
  last cell with no pipe after it, is kept as it is and noted in
  ``grid.meta["ends_mid_row"]`` (its line); its end is never made up.

Such extractions drop some empty cells entirely (a row with √ under two of four mark
columns shows just ``| √ | √ |``), so the position of a cell after a gap is not reliable;
``grid.meta["collapsed_empty_cells"] = "possible"`` tells the tabulator so.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from gongkai.errors import InputError
from gongkai.readers.grid import Cell, CellGrid
from gongkai.readers.limits import MAX_CELLS, too_many_cells
from gongkai.readers.preamble import header_score
from gongkai.readers.textfile import decode_head, numbered_lines, read_text

FORMAT = "pipe-text"


@dataclass
class Token:
    """A cell (``pad == 0``) or a run of ``pad`` padding slots, with its first line, and
    whether its text begins a line (``starts_line``)."""

    text: str
    line: int
    pad: int = 0
    starts_line: bool = False

    @property
    def width(self) -> int:
        return self.pad or 1


def _classify(pieces: list[str], line: int, only_pipes: bool) -> list[Token]:
    """Tokens of one line's pieces (the text before each pipe)."""
    if only_pipes:
        # a line of bare pipes: one is an empty cell (" |" with its blank stripped), more
        # are the padding of the row above
        n = len(pieces)
        return [Token("", line)] if n == 1 else [Token("", line, pad=n)]
    last_text = max((i for i, p in enumerate(pieces) if p.strip()), default=-1)
    tail = pieces[last_text + 1:]
    out = [Token(p.strip(), line) for p in pieces[:last_text + 1]]
    # padding: the run of bare pipes at the end, with the blank piece just before it
    run = 0
    while run < len(tail) and tail[len(tail) - 1 - run] == "":
        run += 1
    pad = 0
    if run:
        pad = run + (1 if run < len(tail) else 0)
    out.extend(Token("", line) for _ in tail[:len(tail) - pad])
    if pad:
        out.append(Token("", line, pad=pad))
    return out


def tokenize(lines: list[tuple[int, str]], leading_pipe: bool) -> tuple[list[Token], int | None]:
    """Cells and padding runs of the table's lines, in order.

    Returns the tokens and, when the text ends inside a cell (no pipe after it), that
    cell's line.
    """
    tokens: list[Token] = []
    open_text: str | None = None
    open_line = 0
    open_starts = False
    for lineno, raw in lines:
        s = raw.strip()
        if leading_pipe and s.startswith("|"):
            s = s[1:].lstrip()
        if not s:
            continue
        pieces = s.split("|")
        rest = pieces.pop()
        finished = False
        if open_text is not None and pieces:
            # the line finishes the cell left open on the lines above
            first = pieces.pop(0)
            tokens.append(Token((open_text + "\n" + first.strip()).strip(), open_line,
                                starts_line=open_starts))
            open_text, finished = None, True
        if pieces:
            line_tokens = _classify(pieces, lineno, only_pipes=not s.replace("|", "").strip())
            if line_tokens:
                line_tokens[0].starts_line = not finished
            tokens.extend(line_tokens)
        if rest.strip():
            if open_text is None:
                open_text, open_line, open_starts = rest.strip(), lineno, not pieces and not finished
            else:
                open_text += "\n" + rest.strip()
    cut_in_cell = None
    if open_text is not None:
        tokens.append(Token(open_text, open_line, starts_line=open_starts))
        cut_in_cell = open_line
    return tokens, cut_in_cell


def _texts_on_line(line: str) -> int:
    return sum(1 for p in line.split("|")[:-1] if p.strip())


def _width(lines: list[tuple[int, str]]) -> int | None:
    """Pipes per row, from the widest line that is a row of its own; None for one cell per line."""
    if not any(_texts_on_line(s) >= 2 for _, s in lines):
        return None
    return max((s.count("|") for _, s in lines if s.replace("|", "").strip()), default=None)


def _row_starts(lines: list[tuple[int, str]], width: int) -> tuple[set[int], set[int]]:
    """Lines that start a row whatever the pipe count of the row above says, and among
    them the lines that hold a whole row.

    A table that repeats its header for every item ends each part with a row that may lack
    its padding; a line holding a whole row, or a header, starts a row of its own.
    """
    starts: set[int] = set()
    whole: set[int] = set()
    for n, s in lines:
        texts = [p for p in s.split("|")[:-1] if p.strip()]
        if s.count("|") == width and len(texts) >= 2:
            whole.add(n)
            starts.add(n)
        elif header_score(texts) >= 2:
            starts.add(n)
    return starts, whole


def _all_headers(row: list[Token]) -> bool:
    """A row so far made only of column headers: a header spread over several lines."""
    texts = [t.text for t in row if t.text]
    return bool(texts) and header_score(texts) == len(set(texts))


def read_pipe_text(path: str | Path) -> CellGrid:
    """Read a pipe-separated web-table extraction into a :class:`CellGrid` (see the module doc).

    Raises :class:`InputError` for an unreadable, empty, binary or non-UTF-8 file and for
    a file without any ``|``.
    """
    name = str(path)
    lines, meta = numbered_lines(read_text(path))
    first = next((i for i, (_, s) in enumerate(lines) if "|" in s), None)
    if first is None:
        raise InputError(name, "no '|'-separated cells found (is this a pipe-text file?)")
    if first and not lines[first][1].replace("|", "").strip() and lines[first - 1][1].strip():
        first -= 1      # a bar alone closes the cell on the line above it: 类别 / |
    preamble = [(n, s.strip()) for n, s in lines[:first] if s.strip()]
    body = lines[first:]
    pipes = sum(s.count("|") for _, s in body)
    if pipes > MAX_CELLS:
        raise too_many_cells(name, pipes, where=" (one per '|')")
    leading_pipe = body[0][1].lstrip().startswith("|") and bool(body[0][1].strip().strip("|").strip())
    body_for_width = ([(n, s.strip()[1:] if s.strip().startswith("|") else s) for n, s in body]
                      if leading_pipe else body)
    tokens, cut_in_cell = tokenize(body, leading_pipe)
    width = _width(body_for_width)

    grid = CellGrid(source=name, format=FORMAT, preamble=preamble, meta=meta)
    grid.meta["collapsed_empty_cells"] = "possible"
    rows = _cut_by_pipes(tokens, width, body_for_width) if width is not None else None
    if rows is None or width is None or not _padded(rows, width, _row_starts(body_for_width, width)[1]):
        # one cell per line, or rows not padded to one width (a row's cells going on on
        # the lines below it, or rows lacking merged cells): the tabulator cuts the stream
        grid.meta["stream"] = "cells"
        for t in tokens:
            r = len(grid.rows)
            grid.rows.append([Cell(t.text, r, 0, t.line, colspan=t.width)])
        if cut_in_cell is not None:
            grid.meta["ends_mid_row"] = str(cut_in_cell)
        return grid

    for row in rows:
        _emit(grid, row)
    if rows and width is not None and (sum(t.width for t in rows[-1]) < width or cut_in_cell is not None):
        grid.meta["ends_mid_row"] = str(cut_in_cell or rows[-1][0].line)
    return grid


def _cut_by_pipes(tokens: list[Token], width: int, lines: list[tuple[int, str]]) -> list[list[Token]]:
    """Rows of ``width`` pipes each, a row also starting at a line that holds a whole row
    or a header (see :func:`_row_starts`)."""
    rows: list[list[Token]] = []
    row: list[Token] = []
    used = 0
    starts, whole = _row_starts(lines, width)
    for t in tokens:
        # a header spread over several lines goes on, but not into a line holding a whole
        # row (a sub-header row without its padding is followed by the first item)
        if used >= width or (row and t.line in starts and t.line != row[-1].line
                             and (t.line in whole or not _all_headers(row))):
            rows.append(row)
            row, used = [], 0
        cell = Token("", t.line, pad=width - used) if t.pad and used + t.pad > width else t
        row.append(cell)
        used += cell.width
    if row and any(t.text for t in row):
        rows.append(row)
    return rows


def _padded(rows: list[list[Token]], width: int, whole: set[int]) -> bool:
    """Whether the rows are padded to one width, as the pipe count assumes.

    They are not where the count cuts a row in the middle of a line (the widest line is a
    header wider than the rows, or rows differ in width: merged cells missing from some),
    or where a row of data stops short before a line holding a whole row (its last cells
    went on on lines of their own, ``| √ |``). A header row may stop short: a sub-header
    row without its padding, a header repeated before each item."""
    for k, row in enumerate(rows):
        if k and row and row[0].text and not row[0].starts_line:
            return False
        short = sum(t.width for t in row) < width and not _all_headers(row)
        nxt = rows[k + 1] if k + 1 < len(rows) else []
        if short and nxt and nxt[0].line in whole and not _all_headers(nxt):
            return False
    return True


def _emit(grid: CellGrid, tokens: list[Token]) -> None:
    r = len(grid.rows)
    cells: list[Cell] = []
    col = 0
    for t in tokens:
        cells.append(Cell(t.text, r, col, t.line, colspan=t.width))
        col += t.width
    grid.rows.append(cells)


#: a cell of the head longer than this is no column header (for sniffing)
_HEADER_CELL = 40


def looks_like_pipe_text(head: bytes, path: Path | None = None) -> bool:  # noqa: ARG001  (the sniffer protocol: ReaderSpec.sniff(head, path))
    """Text (not markup, not tab-separated) where at least three lines end with a ``|``
    after some text, hold two cells separated by `` | ``, or hold a bare ``|`` after a
    line of text (a cell's paragraphs, then its bar), and whose cells cut by the bars
    include at least two column headers: bars only in the page's navigation above a table
    written without them (``作者: | 来源: | 时间:``) do not make pipe text."""
    text = decode_head(head)
    if "\x00" in text:
        return False
    start = text.lstrip("\ufeff \r\n").lower()
    if start.startswith(("<!doctype", "<html", "<?xml", "<table")):
        return False
    lines = text.split("\n")[:400]
    if sum(1 for s in lines if s.count("\t") >= 2) >= 2:
        return False
    hits = 0
    for k, s in enumerate(lines):
        t = s.rstrip()
        bar_after_text = t.strip() == "|" and k > 0 and "|" not in lines[k - 1] and bool(lines[k - 1].strip())
        if (t.endswith("|") and t.strip("| ")) or " | " in t or bar_after_text:
            hits += 1
    if hits < 3:
        return False
    tokens, _ = tokenize(list(enumerate(lines, 1)), leading_pipe=False)
    return header_score([t.text for t in tokens if len(t.text) <= _HEADER_CELL]) >= 2
