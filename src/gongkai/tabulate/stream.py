"""Cell streams → table rows: for text that does not say where a row ends.

Two readers cannot delimit rows themselves (see their module docs):

- ``pipe-text`` with one cell per line gives whole cells, each followed by ``|``, empty
  cells included, but no row breaks (``grid.meta["stream"] == "cells"``);
- ``cell-lines`` and ``space-text`` give *fragments*: a cell may be several of them, empty
  cells leave nothing, and nothing marks a row's end (``"fragments"``).

Cutting such a stream into rows needs what only the tabulator knows: which texts are
column headers, which parent header owns which sub-headers (so how many columns the table
has), and what each column holds (so which fragments make one cell). That is why this
lives beside :mod:`gongkai.tabulate` and not in the readers, which stay ignorant of
disclosure lists. :func:`unstream` turns a stream into an ordinary grid, header rows
included, and the tabulator goes on as for any other grid.

How:

1. **Header.** The first run of known column headers. Fragments of one header are joined
   (``公开`` + ``时限``, ``公开内容`` + ``(要素)``: the longest join that is a header wins) and
   a bracketed note under a header is dropped. The top row ends at padding or at the first
   sub-header (a role a parent header of the top row owns, 一级事项 under 公开事项); the
   sub-header row ends at the first text that is no header. The table has as many columns
   as it has leaves (parents replaced by their sub-headers); padding after the top row,
   when there is some, gives that number too and is preferred.
2. **Rows of cells.** Every row has exactly that many cells (padding included), so the
   stream is cut every *width* cells; a header repeated before an item is recognised and
   kept as a header row (the tabulator skips repeated headers).
3. **Rows of fragments** are cut and grouped into cells by :mod:`gongkai.tabulate.fragments`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from gongkai import columns
from gongkai.errors import InputError
from gongkai.readers.grid import Cell, CellGrid
from gongkai.tabulate.cells import cell_type
from gongkai.tabulate.fragments import _NUMBER, _boxed, rows_of_fragments
from gongkai.text import clean, fold

# --- header ---------------------------------------------------------------------------

_NOTE = re.compile(r"^[(（].*[)）]$", re.DOTALL)
_NOTE_END = re.compile(r"^[^(（]*[)）]$", re.DOTALL)
_MAX_JOIN = 3


@dataclass
class _HeaderItem:
    text: str
    line: int
    role: str | None          # a column role, or None for a parent header or a word not known
    parent: columns.ParentHeader | None
    kind: str = "text"        # what the column of a sub-header not known holds (see _unknown_subs)

    @property
    def unknown(self) -> bool:
        return self.role is None and self.parent is None


def _header_item(text: str, line: int, notes: bool = True) -> _HeaderItem | None:
    role = columns.role_for_header(text, notes)
    parent = columns.parent_for_header(text, notes)
    if role is None and parent is None:
        return None
    return _HeaderItem(text, line, role, parent)


def _match_header(tokens: list[Cell], i: int, join: bool) -> tuple[_HeaderItem | None, int]:
    """The header item starting at token ``i`` and how many tokens it takes (longest join)."""
    limit = _MAX_JOIN if join else 1
    best: tuple[_HeaderItem | None, int] = (None, 0)
    text = ""
    for k in range(limit):
        if i + k >= len(tokens) or tokens[i + k].empty:
            break
        text += tokens[i + k].text.strip()
        # fragments joined make a header only as written (公开内容 + (要素)): a note under
        # a header, 公开渠道和载体 + (至少选择其一), is dropped, not joined
        item = _header_item(text, tokens[i].line or 0, notes=k == 0)
        if item is None and k == 0 and _unclosed(text):
            # a note cut by a line break: 公开渠道和载体(“■”表示必选 / 项,“口”表示可选项)
            item = _header_item(re.split(r"[(（]", text)[0], tokens[i].line or 0)
        if item is not None:
            best = (item, k + 1)
    return best


def _unclosed(text: str) -> bool:
    """Whether a text opens a bracket it does not close."""
    return text.count("(") + text.count("（") > text.count(")") + text.count("）")


@dataclass
class _Header:
    start: int                    # index of its first token
    end: int                      # index after its last token (padding included)
    top: list[_HeaderItem]
    sub: list[_HeaderItem]
    leaves: list[_HeaderItem]
    width: int


def _owners(top: list[_HeaderItem], sub: list[_HeaderItem]) -> list[int | None]:
    """For each sub-header, the index of the top header that owns it (None: no owner)."""
    out: list[int | None] = []
    last = 0
    for s in sub:
        if s.unknown:
            # a sub-header not known goes to the next parent still without sub-headers
            # (公开层级 over 州级 | 乡、村级), else with the sub-header before it (县级 | 乡、村级)
            owned = {o for o in out if o is not None}
            after = out[-1] if out and out[-1] is not None else 0
            owner = next((t for t in range(after, len(top))
                          if top[t].parent is not None and t not in owned), None)
            if owner is None:
                owner = out[-1] if out else _last_parent(top)
            out.append(owner)
            continue
        owner = next((t for t in range(last, len(top))
                      if (p := top[t].parent) and s.role in p.children), None)
        if owner is None:
            owner = next((t for t in range(len(top))
                          if (p := top[t].parent) and s.role in p.children), None)
        out.append(owner)
        if owner is not None:
            last = owner
    return out


def _short_text(text: str) -> bool:
    """A text as short as a header cell, and neither a number, a mark nor a citation."""
    text = clean(text)
    return 2 <= len(fold(text)) <= _SHORT_HEADER and cell_type(text) == "text" and not _boxed(text)


def _unknown_header_word(tokens: list[Cell], i: int, join: bool) -> bool:
    """A header cell in words not known (内容要求, a header cut short: 公开主) followed by
    two known ones: a column of its own."""
    if not _short_text(tokens[i].text):
        return False
    k = i + 1
    for _ in range(2):              # two known headers after it: the header goes on
        if k >= len(tokens) or tokens[k].empty:
            return False
        item, n = _match_header(tokens, k, join)
        if item is None:
            return False
        k += n
    return True


def _is_child(role: str) -> bool:
    """Whether a role is one a parent header owns (一级事项, 全社会, 县级 …)."""
    return any(role in p.children for p in columns.PARENTS)


def _last_parent(top: list[_HeaderItem]) -> int:
    return max((t for t, h in enumerate(top) if h.parent is not None), default=len(top) - 1)


#: the most sub-header cells not known that may stand between a header and its first item
_MAX_UNKNOWN_SUBS = 4
_SHORT_HEADER = 12


def _unknown_subs(tokens: list[Cell], i: int, top: list[_HeaderItem]) -> tuple[list[_HeaderItem], int]:
    """Sub-header cells whose words are not known, between the header and its first item.

    The rows of a table numbered in its first column start at an item number, so a few
    short texts between the last header cell known and the first number (市级, 乡、村级 under
    公开层级; 州级县级) are header cells, not a row. Returns them and the index after them
    (none, and ``i``, when what follows is not such a run)."""
    if not top or top[0].role != "number":
        return [], i
    found: list[_HeaderItem] = []
    j = i
    while j < len(tokens) and len(found) <= _MAX_UNKNOWN_SUBS:
        t = tokens[j]
        text = clean(t.text)
        if t.empty:
            j += 1
            continue
        if _NUMBER.match(fold(text)):
            break
        item, n = _match_header(tokens, j, join=False)
        if item is not None and item.role is not None and _is_child(item.role):
            found.append(item)          # a sub-header known after one not known (州级 | 乡、村级)
            j += n
            continue
        if not _short_text(text) or item is not None:
            return [], i
        found.append(_HeaderItem(text, t.line or 0, None, None))
        j += 1
    if not any(f.unknown for f in found) or len(found) > _MAX_UNKNOWN_SUBS or j >= len(tokens):
        return [], i
    return found, j


def _read_header(tokens: list[Cell], start: int, join: bool) -> _Header | None:
    """Read the header that starts at ``start``: its top row, sub-header row and width."""
    top: list[_HeaderItem] = []
    sub: list[_HeaderItem] = []
    row = top
    pad_after_top: int | None = None
    shared = ""                 # the first piece of a header joined from pieces (公开 / 对象)
    i = start
    while i < len(tokens):
        t = tokens[i]
        if t.empty:
            if row is top and top:
                pad_after_top = len(top) + sum(c.colspan for c in _run_of_empty(tokens, i))
                row = sub
            elif sub:
                i += len(_run_of_empty(tokens, i))
                break
            i += len(_run_of_empty(tokens, i))
            continue
        item, n = _match_header(tokens, i, join)
        if item is None and shared:
            # headers sharing their first word, written once above them: 公开 / 对象 / 方式
            item, n = _header_item(shared + t.text.strip(), t.line or 0), 1
        if item is None:
            note_end = bool(_NOTE_END.match(t.text.strip())) and _unclosed(tokens[i - 1].text)
            if join and row and (_NOTE.match(t.text.strip()) or note_end):
                i += 1           # a note under a header: (在标注范围内至少选择其一公开…)
                continue
            if row and _unknown_header_word(tokens, i, join):
                row.append(_HeaderItem(clean(t.text), t.line or 0, None, None))
                i += 1
                continue
            break
        if row is top and top and item.role is not None and any(
                p.parent and item.role in p.parent.children for p in top):
            row = sub
        row.append(item)
        shared = tokens[i].text.strip() if n > 1 and join else ""
        i += n
    if len(top) < 2:
        return None
    unknown, i = _unknown_subs(tokens, i, top)
    sub.extend(unknown)
    owners = _owners(top, sub)
    for s, o in zip(sub, owners, strict=True):
        if s.unknown and o is not None and (p := top[o].parent) is not None:
            s.kind = columns.kind_of(p.children[0])     # 乡、村级 under 公开层级: a mark column
    leaves: list[_HeaderItem] = []
    for t_index, head in enumerate(top):
        kids = [s for s, o in zip(sub, owners, strict=True) if o == t_index]
        leaves.extend(kids or [head])
    width = len(leaves)
    if pad_after_top is not None and pad_after_top > width:
        width = pad_after_top
    return _Header(start, i, top, sub, leaves, width)


def _run_of_empty(tokens: list[Cell], i: int) -> list[Cell]:
    out = []
    while i < len(tokens) and tokens[i].empty:
        out.append(tokens[i])
        i += 1
    return out


def _find_header(tokens: list[Cell], join: bool) -> _Header | None:
    for i in range(min(len(tokens), 400)):
        item, _ = _match_header(tokens, i, join)
        if item is None:
            continue
        h = _read_header(tokens, i, join)
        if h is not None and len(h.top) + len(h.sub) >= 3:
            return h
    return None


#: how many pieces after the header are looked at for more header words
_AFTER_HEADER = 8


def _refuse_interleaved(source: str, tokens: list[Cell], h: _Header, join: bool) -> None:
    """Refuse a header whose words are mixed with other text: the headers of core columns
    (公开内容, 公开依据 …: words no cell holds) again among the first pieces after it mean the
    text runs across the columns (a page kept in its printed layout, several columns on
    each line), and no row could be read right.

    Raises :class:`InputError` naming the line."""
    found: list[Cell] = []
    seen = 0
    for k in range(h.end, len(tokens)):
        if tokens[k].empty:
            continue
        seen += 1
        if seen > _AFTER_HEADER or _repeats(h, _read_header(tokens, k, join)):
            break               # the header repeated before the next item
        item = _match_header(tokens, k, join)[0]
        if item is not None and (item.parent is not None or item.role in columns.CORE_ROLES):
            found.append(tokens[k])
    if len(found) >= 2:
        words = ", ".join(clean(c.text) for c in found)
        raise InputError(source, "the column headers are mixed with other text (more headers, "
                         f"{words}, follow the table's header among its first cells): the text "
                         "runs across the columns, as a page kept in its printed layout does, so "
                         "no row can be read. Extract the table again keeping its cells apart, or "
                         "save the page as HTML", row=found[0].line)


def _repeats(h: _Header, again: _Header | None) -> bool:
    """Whether ``again`` is the header ``h`` written once more (it starts with the same cell)."""
    return again is not None and columns.header_key(again.top[0].text) == columns.header_key(h.top[0].text)


def _header_rows(h: _Header, row0: int) -> list[list[Cell]]:
    """The header as grid rows, each header cell at the column of its first leaf."""
    leaf_col = {id(leaf): k for k, leaf in enumerate(h.leaves)}
    owners = _owners(h.top, h.sub)
    top_cells: list[Cell] = []
    for t_index, t in enumerate(h.top):
        kids = [s for s, o in zip(h.sub, owners, strict=True) if o == t_index]
        first = kids[0] if kids else t
        span = len(kids) if kids else 1
        top_cells.append(Cell(t.text, row0, leaf_col[id(first)], t.line, colspan=span))
    rows = [top_cells]
    if h.sub:
        sub_cells = [Cell(s.text, row0 + 1, leaf_col[id(s)], s.line)
                     for s, o in zip(h.sub, owners, strict=True) if o is not None]
        rows.append(sub_cells)
    return rows


# --- rows of whole cells -----------------------------------------------------------------

def _rows_of_cells(tokens: list[Cell], h: _Header, warnings: list[str]) -> tuple[list[list[Cell]], bool]:
    """Cut a stream of whole cells into rows; repeated headers kept as rows.

    A row has ``h.width`` cells. In a table numbered in its first column, a row also ends
    where the next item number begins a line after at least half a row (rows lacking the
    cells merged from the row above are shorter), and goes on past the width when the
    next item number follows within a few cells (a cell the header does not explain)."""
    numbered = bool(h.leaves) and h.leaves[0].role == "number"
    rows: list[list[Cell]] = []
    cur: list[Cell] = []
    used = 0
    expected: int | None = None
    i = h.end
    while i < len(tokens):
        t = tokens[i]
        if used == 0:
            again = _read_header(tokens, i, join=False) if not t.empty and _match_header(
                tokens, i, False)[0] else None
            if again is not None and len(again.top) >= 2:
                rows.extend(_header_rows(again, 0))
                i = again.end
                continue
            if t.empty:          # padding between rows
                i += 1
                continue
            n = _number(t.text) if numbered else None
            if n is not None:
                expected = n + 1
        elif _row_ends_before(tokens, i, used, h.width, expected):
            rows.append(cur)
            cur, used = [], 0
            continue
        span = min(t.colspan, max(1, h.width - used))
        cur.append(Cell(t.text, 0, used, t.line, colspan=span))
        used += span
        i += 1
    if cur:
        rows.append(cur)
    kept = _drop_empty_numbered(rows, warnings)
    cut = bool(cur) and used < h.width and bool(kept) and kept[-1] is cur
    return kept, cut


def _drop_empty_numbered(rows: list[list[Cell]], warnings: list[str]) -> list[list[Cell]]:
    """Rows that hold nothing but an item number (a row left empty on the page) are left
    out, saying so: read as items, they would take the names of the row above."""
    out: list[list[Cell]] = []
    for row in rows:
        texts = [c for c in row if not c.empty]
        if len(texts) == 1 and texts[0].col == 0 and _number(texts[0].text) is not None:
            warnings.append(f"line {texts[0].line}: row {clean(texts[0].text)} holds nothing but its "
                            "number; left out")
            continue
        out.append(row)
    return out


#: how far past a row's width the next item number may follow: the row's extra cells
_EXTRA_CELLS = 3


def _row_ends_before(tokens: list[Cell], i: int, used: int, width: int, expected: int | None) -> bool:
    """Whether the row holding ``used`` columns ends before token ``i`` (see _rows_of_cells)."""
    t = tokens[i]
    if expected is not None and _starts_line(tokens, i) and _number(t.text) == expected \
            and (2 * used >= width or (used == 1 and _starts_line(tokens, i - 1))):
        # the next item begins: this row lacks merged cells, or is an empty row (`4 |`:
        # its number alone on its line, the next number on the next)
        return True
    return used >= width and (t.empty or expected is None or not _number_ahead(tokens, i, expected))


def _number(text: str) -> int | None:
    """The item number a whole cell holds (1, 2. or 3、), or None."""
    f = fold(text)
    return int(f.rstrip(".、．")) if _NUMBER.match(f) else None


def _starts_line(tokens: list[Cell], i: int) -> bool:
    return i == 0 or tokens[i].line != tokens[i - 1].line


def _number_ahead(tokens: list[Cell], i: int, expected: int) -> bool:
    """Whether item number ``expected`` begins a line within the next few cells."""
    for k in range(i + 1, min(len(tokens), i + 1 + _EXTRA_CELLS)):
        if tokens[k].empty:
            return False
        if _number(tokens[k].text) == expected and _starts_line(tokens, k):
            return True
    return False


def _leaf_roles(h: _Header) -> list[tuple[str, str]]:
    """(role, kind) of the table's columns, in order; a parent header without sub-headers
    takes its first role alone (公开对象 → audience as text), as the tabulator's default, and
    holds what any of its roles alone holds: 公开方式 (modes or channels) and 公开形式
    (channels, the form, or modes) may hold a channel list (the tabulator tells them apart by
    their content)."""
    out: list[tuple[str, str]] = []
    for leaf in h.leaves:
        if leaf.unknown:
            out.append((f"other:{leaf.text}", leaf.kind))
            continue
        if leaf.role is not None:
            role = leaf.role
        else:
            assert leaf.parent is not None
            role = leaf.parent.alone[0]
            if any(columns.kind_of(r) == "channels" for r in leaf.parent.alone):
                out.append((role, "channels"))
                continue
        out.append((role, columns.kind_of(role)))
    return out


# --- the whole stream ---------------------------------------------------------------------

def unstream(grid: CellGrid) -> tuple[CellGrid, list[str]]:
    """A stream grid (one piece per grid row, ``grid.meta["stream"]``) → a grid of rows.

    Returns the grid (header rows, data rows; pieces before the header added to the
    preamble) and warnings. A stream without a recognisable header is returned unchanged:
    the tabulator then reports the missing header as for any grid.
    """
    kind = grid.meta.get("stream")
    tokens = [row[0] for row in grid.rows if row]
    join = kind == "fragments"
    h = _find_header(tokens, join)
    if h is None:
        return grid, []
    _refuse_interleaved(grid.source, tokens, h, join)
    warnings: list[str] = []
    preamble = list(grid.preamble)
    pieces: dict[int, list[str]] = {}       # the pieces of one line, in the stream's order
    for t in tokens[:h.start]:
        for k, line in enumerate(t.text.split("\n")):
            if line.strip():
                pieces.setdefault((t.line or 0) + k, []).append(line.strip())
    # the cells of a line before the header are one line of the heading (发布机构: | 某局 |
    # 成文日期: | 2025-12-02), as a label and its value must be read together
    preamble += [(n, " ".join(texts)) for n, texts in pieces.items()]
    meta = {k: v for k, v in grid.meta.items() if k != "stream"}
    meta["rows_from_stream"] = str(kind)
    out = CellGrid(source=grid.source, format=grid.format,
                   preamble=sorted(preamble, key=lambda entry: entry[0]),
                   sheet=grid.sheet, meta=meta, warnings=list(grid.warnings))
    rows = _header_rows(h, 0)
    if kind == "cells":
        data, cut = _rows_of_cells(tokens, h, warnings)
        if cut and data:
            meta.setdefault("ends_mid_row", str(data[-1][0].line))
    else:
        data = rows_of_fragments([t for t in tokens[h.end:] if not t.empty], _leaf_roles(h), h.width,
                                 warnings, grid.source)
    rows.extend(data)
    for r, row in enumerate(rows):
        out.rows.append([Cell(c.text, r, c.col, c.line, rowspan=c.rowspan, colspan=c.colspan,
                              spanned=c.spanned) for c in row])
    return out, warnings
