"""Aligning a row's cells to the header's columns when a row has fewer or more cells than the header
(merged cells, collapsed empty cells, check marks without their column)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from gongkai.errors import InputError, Text
from gongkai.model import UnreadRow
from gongkai.readers.grid import Cell
from gongkai.readers.limits import MAX_COLUMNS
from gongkai.tabulate.cells import (
    _AFF,
    _LAYOUT_SHIFT_COST,
    _LAYOUT_SKIP_COL,
    _LAYOUT_SKIP_ROLE,
    _PRIOR_COST,
    _PROFILE_MISFIT,
    _RIGHT_BIAS,
    _SHIFT_COST,
    _affinity,
    _HeaderCol,
    _nonempty,
    cell_type,
)
from gongkai.tabulate.header import Slot, _anchor, _cut_off, _line, _row_line

#: affinity of a text for a mark column when the extraction dropped empty cells: a note
#: written instead of a √ (项目单位 under 特定群众) is common there, and its column unknown
_LENIENT_TEXT_IN_MARK = -1.0
#: the cost of a change of shift before a cell in the column its content fits, in a row
#: shorter than a layout its rows do not line up with (``by_content``, see _align_rows)
_GAP_SHIFT_COST = 0.5
#: the score of what cannot be reached, in the alignments below
_NEG = float("-inf")


def _profile_affinity(profile: Counter[str], kind: str, lenient_marks: bool = False) -> float:
    n = sum(profile.values())
    total = 0.0
    for t, k in profile.items():
        a = _AFF[kind].get(t)
        if lenient_marks and kind == "mark" and t == "text":
            a = _LENIENT_TEXT_IN_MARK
        total += k * (a if a is not None else _PROFILE_MISFIT)
    return total / n if n else 0.0


def _dominant(profile: Counter[str], ctype: str, share: float = 0.6) -> bool:
    n = sum(profile.values())
    return n > 0 and profile[ctype] >= share * n


def _align_columns(roles: list[tuple[int, str, str]],
                   dcols: list[tuple[int, Counter[str]]],
                   lenient_marks: bool = False) -> list[tuple[int, int]]:
    """Sequence alignment of header roles (i) to data columns (k): the matched (i, k) pairs.

    A match scores the column's mean type affinity for the role and pays for a change of
    shift (data position minus header position) since the previous match; a data column
    left unmatched costs more than a role left without data, because cells under no
    header are the stronger sign of a wrong alignment.
    """
    n_roles, n_cols = len(roles), len(dcols)
    best = [[_NEG] * n_cols for _ in range(n_roles)]
    back: list[list[tuple[int, int] | None]] = [[None] * n_cols for _ in range(n_roles)]
    for i, (hp, _, kind) in enumerate(roles):
        for k, (dp, prof) in enumerate(dcols):
            m = _profile_affinity(prof, kind, lenient_marks)
            cand = m + _LAYOUT_SKIP_COL * k + _LAYOUT_SKIP_ROLE * i
            ptr: tuple[int, int] | None = None
            for i2 in range(i):
                for k2 in range(k):
                    if best[i2][k2] == _NEG:
                        continue
                    s_prev = dcols[k2][0] - roles[i2][0]
                    v = (best[i2][k2] + m + _LAYOUT_SKIP_COL * (k - k2 - 1)
                         + _LAYOUT_SKIP_ROLE * (i - i2 - 1)
                         - _LAYOUT_SHIFT_COST * abs((dp - hp) - s_prev))
                    if v > cand:
                        cand, ptr = v, (i2, k2)
            best[i][k], back[i][k] = cand, ptr
    end: tuple[int, int] | None = None
    end_score = _LAYOUT_SKIP_COL * n_cols + _LAYOUT_SKIP_ROLE * n_roles
    for i in range(n_roles):
        for k in range(n_cols):
            if best[i][k] == _NEG:
                continue
            v = best[i][k] + _LAYOUT_SKIP_COL * (n_cols - k - 1) + _LAYOUT_SKIP_ROLE * (n_roles - i - 1)
            if v > end_score:
                end, end_score = (i, k), v
    pairs: list[tuple[int, int]] = []
    node = end
    while node is not None:
        pairs.append(node)
        node = back[node[0]][node[1]]
    pairs.reverse()
    return pairs


def _infer_layout(hcols: list[_HeaderCol], data: list[list[Cell]],
                  warnings: list[str], lenient_marks: bool = False) -> tuple[list[Slot], bool, bool]:
    """The table's data columns and their roles; returns (slots, anchored, by_content).

    Positions are measured from the check-box cell of each row when the table has a
    channels column (``anchored``), from the row start otherwise. The item-number
    column is found first, by content (a column of Arabic numbers), because it need not
    sit under 序号: when it does not, 序号 holds the category ordinals (一、二…). The
    other roles are then aligned to the remaining columns (:func:`_align_columns`).

    A layout that puts a column before the row start (not anchored) means the rows do not
    line up: they left out different cells (a merged 一级 in one, an empty 公开内容 in
    another), mixing the columns' contents. The header's own columns are taken then, and
    ``by_content`` says that each row's cells are to be placed by what they hold
    (:func:`_align_rows`).
    """
    h_anchor = next((h.pos for h in hcols if h.role == "channels"), None)
    profiles: dict[int, Counter[str]] = {}
    anchored = False
    if h_anchor is not None:
        for row in data:
            a = _anchor(row)
            if a is None:
                continue
            anchored = True
            for c in row:
                t = cell_type(c.text)
                if t != "empty":
                    profiles.setdefault(c.col - a, Counter())[t] += 1
    if not anchored:
        h_anchor = 0
        for row in data:
            for c in row:
                t = cell_type(c.text)
                if t != "empty":
                    profiles.setdefault(c.col, Counter())[t] += 1
    assert h_anchor is not None
    roles = [(h.pos - h_anchor, h.role, h.kind) for h in hcols]
    dcols = sorted(profiles.items())

    # the item-number column: the column with most Arabic numbers, nearest to 序号
    number_h = next((hp for hp, r, _ in roles if r == "number"), None)
    digit_cols = [k for k, (_, prof) in enumerate(dcols) if _dominant(prof, "number")]
    number_k = None
    if digit_cols:
        ref = number_h if number_h is not None else dcols[0][0]
        number_k = max(digit_cols, key=lambda k: (dcols[k][1]["number"], -abs(dcols[k][0] - ref)))
    dp_roles = [x for x in roles if not (number_k is not None and x[1] == "number")]
    dp_cols = [(k, col) for k, col in enumerate(dcols) if k != number_k]
    pairs = [(i, dp_cols[k][0]) for i, k in _align_columns(dp_roles, [c for _, c in dp_cols],
                                                           lenient_marks)]

    # (position, order, role, kind): roles keep header order, other columns go first on a tie
    entries: list[tuple[int, int, str, str]] = []
    matched_cols = {k for _, k in pairs}
    shifts = {i: dcols[k][0] - dp_roles[i][0] for i, k in pairs}
    if number_k is not None:
        entries.append((dcols[number_k][0], -1, "number", "number"))
        matched_cols.add(number_k)

    # roles without data sit where the header puts them, shifted like their nearest
    # neighbour, and never outside the positions of the roles around them
    def shift_near(i: int) -> int:
        for d in range(1, len(dp_roles) + 1):
            if i - d in shifts:
                return shifts[i - d]
            if i + d in shifts:
                return shifts[i + d]
        return 0

    role_pos = {i: dcols[k][0] for i, k in pairs}
    lo: int | None = None
    for i, (hp, role, kind) in enumerate(dp_roles):
        if i in role_pos:
            pos = role_pos[i]
        else:
            pos = hp + shift_near(i)
            later = [role_pos[j] for j in role_pos if j > i]
            if later:
                pos = min(pos, *later)
            if lo is not None:
                pos = max(pos, lo)
        lo = pos
        entries.append((pos, i, role, kind))

    # columns the header does not explain: category ordinals, or cells under no header
    rows_profiled = max(1, len(data))
    for k, (dp, prof) in enumerate(dcols):
        if k in matched_cols:
            continue
        n = sum(prof.values())
        if _dominant(prof, "ordinal"):
            entries.append((dp, -1, "ordinal", "ordinal"))
        elif n >= 2 and n >= 0.1 * rows_profiled:
            name = f"extra_{len(entries)}"
            entries.append((dp, -1, name, "text"))
            warnings.append(Text(f"a data column ({dp:+d} from the "
                                 f"{'check-box cell' if anchored else 'row start'}) has no header; "
                                 f"its {n} cells are kept under role {name!r}",
                                 f"有一栏数据没有表头；它的 {n} 个单元格按原样保留"))
    entries.sort(key=lambda e: (e[0], e[1]))
    by_content = not anchored and bool(entries) and entries[0][0] < 0
    if by_content:
        warnings.append(Text("the rows' cells do not line up in columns (they left out different empty or "
                             "merged cells): each row is aligned to the header's columns by what its cells hold",
                             "各行的单元格没有对齐成栏（各行省去的空单元格或合并单元格不同）：每一行按单元格的内容"
                             "对应到表头的各栏"))
        entries = [(h.pos, i, h.role, h.kind) for i, h in enumerate(hcols)]

    slots: list[Slot] = []
    last: int | None = None
    seen: Counter[str] = Counter()
    for pos, _, role, kind in entries:
        p = pos if last is None else max(pos, last)
        last = p
        seen[role] += 1
        slots.append(Slot(role if seen[role] == 1 else f"{role}_{seen[role]}", p, kind))
    return slots, anchored, by_content


def _align_row(cells: list[Cell], slots: list[Slot], offset: int,
               prior: int | None, gap_cost: float = _SHIFT_COST) -> list[int] | None:
    """Best monotonic assignment of the row's non-empty cells to slots (slot index per cell).

    ``offset`` converts a cell's column to layout coordinates (minus the anchor column);
    the shift of a cell is ``slot.pos - (col - offset)``. None when no assignment exists.
    """
    strict_channels = any(s.kind == "channels" for s in slots)
    strict_marks = any(s.kind == "mark" for s in slots)
    n, m = len(cells), len(slots)
    if n > m:
        return None
    types = [cell_type(c.text) for c in cells]
    aff = [[_affinity(types[i], slots[j].kind, strict_channels=strict_channels,
                      strict_marks=strict_marks) for j in range(m)] for i in range(n)]
    shift = [[slots[j].pos - (cells[i].col - offset) for j in range(m)] for i in range(n)]
    # a cell after a gap moves to the column its content fits (a time limit to 公开时限) at the
    # lower cost; text cells keep their neighbours' shift
    cost = [[gap_cost if types[i] == slots[j].kind and types[i] != "text" else _SHIFT_COST
             for j in range(m)] for i in range(n)]
    f = [[_NEG] * m for _ in range(n)]
    back = [[-1] * m for _ in range(n)]
    for j in range(m):
        a = aff[0][j]
        if a is not None:
            drift = abs(shift[0][j] - prior) if prior is not None else 0
            f[0][j] = a + _RIGHT_BIAS * j - _PRIOR_COST * drift
    for i in range(1, n):
        for j in range(i, m):
            a = aff[i][j]
            if a is None:
                continue
            for j2 in range(i - 1, j):
                if f[i - 1][j2] == _NEG:
                    continue
                v = f[i - 1][j2] + a + _RIGHT_BIAS * j - cost[i][j] * abs(shift[i][j] - shift[i - 1][j2])
                if v > f[i][j]:
                    f[i][j], back[i][j] = v, j2
    j = max(range(m), key=lambda jj: f[n - 1][jj])
    if f[n - 1][j] == _NEG:
        return None
    out = [0] * n
    for i in range(n - 1, -1, -1):
        out[i] = j
        j = back[i][j]
    return out


@dataclass
class _Aligned:
    """One data row after alignment: role -> (text, column) for its non-empty cells."""

    line: int
    vals: dict[str, tuple[str, int]]
    page_break: bool      # blank lines or a repeated header between this row and the one above
    cut_off: bool         # the row stops before the last column
    copied: set[str]      # roles whose cell is a copy of a merged cell (Cell.spanned)
    unplaced: list[str] = field(default_factory=list)   # mark-column texts whose column is unknown


def _is_padding(cell: Cell, row: list[Cell]) -> bool:
    """The empty cell that pads a row to the table's width (one cell spanning the rest)."""
    return cell is row[-1] and cell.empty and cell.colspan > 1


def _unplaced_marks(row: list[Cell], placed: list[tuple[Cell, int]],
                    slots: list[Slot]) -> tuple[list[tuple[Cell, int]], list[Cell]]:
    """Take back the cells in mark columns when their columns cannot be known.

    Extractions that drop empty cells (``collapsed_empty_cells``) leave a row like
    ``■政府网站 | √ | √`` under four mark columns (全社会, 特定群众, 主动, 依申请公开): which two
    are ticked is lost. Positions are trusted only when the row still has a cell for every
    column from the first mark column on, or when every mark column is ticked. Otherwise the
    cells placed in mark columns are returned apart, to be reported, never guessed.
    """
    marks = [j for j, s in enumerate(slots) if s.kind == "mark"]
    if not marks:
        return placed, []
    first = marks[0]
    in_marks = [(c, j) for c, j in placed if slots[j].kind == "mark"]
    if not in_marks:
        return placed, []
    head = [c for c, j in placed if j < first]
    after = head[-1].col if head else -1
    explicit = [c for c in row if c.col > after and not _is_padding(c, row)]
    if len(explicit) >= len(slots) - first:
        return placed, []
    if len(in_marks) == len(marks) and all(cell_type(c.text) == "mark" for c, _ in in_marks):
        return placed, []
    taken = {id(c) for c, _ in in_marks}
    return [(c, j) for c, j in placed if id(c) not in taken], [c for c, _ in in_marks]


def row_text(row: list[Cell]) -> str:
    """A row's cells as written, joined with `` | ``: the empty ones and the copies of merged
    cells (not written in this row) left out."""
    return " | ".join(c.text.strip() for c in row if not c.empty and not c.spanned)


def row_lines(row: list[Cell]) -> tuple[int, ...]:
    """The source lines a row's own cells come from, in order (a row may span several)."""
    return tuple(sorted({_line(c) for c in row if not c.empty and not c.spanned} or {_row_line(row)}))


def _align_rows(source: str, data: list[list[Cell]], slots: list[Slot], anchored: bool,
                header_end: int, skipped_lines: set[int], collapsed: bool = False,
                page_breaks: bool = True, unread: list[UnreadRow] | None = None,
                by_content: bool = False) -> list[_Aligned]:
    """Align every data row to the slots (see the module doc).

    A row is after a page break when blank lines or a repeated header separate it from the
    row above (its last line: a row of a web-table extraction may span several). Rows cut
    from a stream (:mod:`gongkai.tabulate.stream`) have no page breaks: their blank lines only
    separate cells (``page_breaks=False``).

    ``by_content``: the rows do not line up in columns (:func:`_infer_layout`), so a row
    shorter than the layout has its cells that a column's content fits (a time limit, a
    citation, a check mark) moved there at a lower cost (``_GAP_SHIFT_COST``): the gaps
    before them are the empty cells the row left out.

    A row that cannot be aligned raises :class:`InputError` naming its line, or, given a list
    ``unread``, is set aside there (:class:`UnreadRow`) and the other rows are aligned.
    """
    roles = [s.role for s in slots]
    out: list[_Aligned] = []
    prior: int | None = None
    last_offset = 0
    prev_line = header_end
    for row in data:
        line = _row_line(row)
        # positions are measured from the row's check-box cell; a row without one (a
        # continuation fragment) is measured like the row above and aligned by content
        a = _anchor(row) if anchored else None
        offset = (a if a is not None else last_offset) if anchored else 0
        cells = _nonempty(row)
        cost = _GAP_SHIFT_COST if by_content and len(cells) < len(slots) else _SHIFT_COST
        assigned = _align_row(cells, slots, offset, prior, cost)
        if assigned is None:
            reason = (f"cannot align this row's {len(cells)} non-empty cells to the "
                      f"{len(slots)} columns ({', '.join(roles)})")
            if unread is None:
                raise InputError(source, reason, row=line)
            unread.append(UnreadRow(row_lines(row), row_text(row), reason))
            prev_line = max((_line(c) for c in row), default=line)
            continue
        placed = list(zip(cells, assigned, strict=True))
        prior = slots[assigned[-1]].pos - (cells[-1].col - offset)
        last_offset = offset
        cut = _cut_off(row, slots, offset, placed)
        unplaced: list[Cell] = []
        if collapsed:
            placed, unplaced = _unplaced_marks(row, placed, slots)
        vals = {slots[j].role: (cell.text, cell.col) for cell, j in placed}
        copied = {slots[j].role for cell, j in placed if cell.spanned}
        page_break = page_breaks and (line - prev_line > 1
                                      or any(prev_line < s < line for s in skipped_lines))
        prev_line = max((_line(c) for c in row), default=line)
        out.append(_Aligned(line, vals, page_break, cut, copied, [c.text for c in unplaced]))
    return out


def _check_width(source: str, rows: list[list[Cell]], columns: int = 0) -> None:
    """Refuse a table with more filled columns (in a row, or as inferred ``columns``) than a
    list has: aligning a row costs the cube of its width (``_align_row``)."""
    widest = max(rows, key=lambda r: len(_nonempty(r)), default=[])
    width = max(len(_nonempty(widest)), columns)
    if width > MAX_COLUMNS:
        raise InputError(source, f"the table has {width:,} columns, more than the {MAX_COLUMNS} a list can "
                                 "have (real lists have at most about 30): is it the right file, or are "
                                 "merged cells spanning far beyond the table?",
                         row=_row_line(widest) if len(_nonempty(widest)) == width else None)
