"""Finding a table's header: which rows hold it, the column role under each header cell, two-row
headers and sub-headers."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from gongkai import columns
from gongkai.errors import InputError
from gongkai.readers.grid import Cell, CellGrid
from gongkai.tabulate.cells import _HeaderCol, _nonempty, cell_type
from gongkai.tabulate.stream import unstream
from gongkai.text import fold


def _is_header_row(row: list[Cell]) -> bool:
    """A top header row: mostly known header texts, at least one naming a core column."""
    cells = _nonempty(row)
    known = [c for c in cells if columns.is_header_text(c.text)]
    if len(known) < 2 or len(known) < 0.6 * len(cells):
        return False
    for c in known:
        p = columns.parent_for_header(c.text)
        if (p and p.key in columns.CORE_PARENTS) or columns.role_for_header(c.text) in columns.CORE_ROLES:
            return True
    return False


def _is_subheader_row(row: list[Cell]) -> bool:
    cells = _nonempty(row)
    known = [c for c in cells if columns.role_for_header(c.text)]
    return bool(known) and len(known) >= 0.6 * len(cells)


def _is_subheader_of(top: list[Cell], row: list[Cell]) -> bool:
    """A sub-header row: known role names, at least one owned by a parent header of ``top``."""
    if not _is_subheader_row(row):
        return False
    kids = {k for c in _nonempty(top) if (p := columns.parent_for_header(c.text)) for k in p.children}
    return any(columns.role_for_header(c.text) in kids for c in _nonempty(row))


def _line(cell: Cell) -> int:
    return cell.line if cell.line is not None else cell.row + 1


def _row_line(row: list[Cell]) -> int:
    return _line(row[0]) if row else 0


def _pick_alone(parent: columns.ParentHeader, pos: int, taken: set[str], data: list[list[Cell]]) -> str:
    """Role of a parent header without sub-headers; several candidates are told apart by content."""
    candidates = [r for r in parent.alone if r not in taken] or list(parent.alone)
    if len(candidates) == 1:
        return candidates[0]
    texts = [row[pos].text for row in data if pos < len(row) and not row[pos].empty]
    types = Counter(cell_type(t) for t in texts)
    if "channels" in candidates and types["channels"]:
        return "channels"
    modal = sum(1 for t in texts if fold(t).startswith(columns.MODE_WORDS))
    if "mode" in candidates and texts and modal * 2 >= len(texts):
        return "mode"
    # no check boxes and no mode words: a table without another channels column names
    # its channels here (县人民政府网站的…栏目)
    return "channels" if "channels" in candidates else candidates[0]


def _header_columns(top: list[Cell], sub: list[Cell] | None,
                    data: list[list[Cell]], warnings: list[str]) -> list[_HeaderCol]:
    """Column roles from the header row(s), with positions.

    Sub-headers are given to the parent whose span holds them; a sub-header outside its
    parent's span (header rows whose empty cells were collapsed) is given to the parent
    that can own it, and then positions are counted column by column instead. Copies of
    merged header cells (``Cell.spanned``) are not headers of their own: a 公开事项 merged
    over two columns spans both, a 序号 merged over both header rows is no sub-header.
    """
    tops = [c for c in _nonempty(top) if not c.spanned]
    headers = [*tops, *(s for s in _nonempty(sub or []) if not s.spanned)]
    warnings.extend(f"line {_line(c)}: column header {c.text.strip()!r} read as {near!r} "
                    "(one character differs: misread?)"
                    for c in headers if (near := columns.misread(c.text)) is not None)
    spans: list[tuple[Cell, int]] = []
    for i, c in enumerate(tops):
        end = tops[i + 1].col if i + 1 < len(tops) else 10**6
        spans.append((c, end))

    children: dict[int, list[tuple[int, str]]] = {c.col: [] for c in tops}
    other_kinds: dict[str, str] = {}     # unknown sub-headers: the kind of their cells
    aligned = True
    for s in _nonempty(sub or []):
        if s.spanned:
            continue
        role = columns.role_for_header(s.text)
        if role is None:
            # under a parent header (县级政府 under 公开层级) it keeps its column, so that
            # the columns beside it keep theirs; its cells are kept, not read
            under = next(((c, p) for c, end in spans
                          if c.col <= s.col < end and (p := columns.parent_for_header(c.text))), None)
            if under is not None:
                owner, owner_header = under
                role = f"other:{fold(s.text)}"
                children[owner.col].append((s.col, role))
                # holding what its siblings hold (√ marks under 公开层级), for the alignment
                sibling_kinds = {columns.kind_of(r) for r in owner_header.children}
                if len(sibling_kinds) == 1:
                    other_kinds[role] = sibling_kinds.pop()
                warnings.append(f"line {_line(s)}: sub-header {s.text.strip()!r} not understood; "
                                f"its cells are kept under role {role!r}")
            else:
                warnings.append(f"line {_line(s)}: sub-header {s.text.strip()!r} not understood; ignored")
            continue
        owners = [(c, end) for c, end in spans
                  if (p := columns.parent_for_header(c.text)) and role in p.children]
        inside = [(c, end) for c, end in owners if c.col <= s.col < end]
        if inside:
            children[inside[0][0].col].append((s.col, role))
        elif owners:
            aligned = False
            children[owners[0][0].col].append((s.col, role))
        else:
            warnings.append(f"line {_line(s)}: sub-header {s.text.strip()!r} has no parent header; ignored")

    taken: set[str] = {r for c in tops if (r := columns.role_for_header(c.text))}
    cols: list[_HeaderCol] = []
    seq = 0
    for c in tops:
        parent = columns.parent_for_header(c.text)
        kids = sorted(children[c.col])
        if parent and kids:
            for kpos, krole in kids:
                cols.append(_HeaderCol(kpos if aligned else seq, krole, other_kinds.get(krole, "text")))
                seq += 1
            continue
        if parent:
            role = _pick_alone(parent, c.col, taken, data)
        else:
            role = columns.role_for_header(c.text) or f"other:{fold(c.text)}"
            if role.startswith("other:"):
                warnings.append(f"line {_line(c)}: column header {c.text.strip()!r} not known; "
                                f"its cells are kept under role {role!r}")
        taken.add(role)
        cols.append(_HeaderCol(c.col if aligned else seq, role))
        seq += 1
    return _unique_roles(cols, warnings)


def _unique_roles(cols: list[_HeaderCol], warnings: list[str] | None = None) -> list[_HeaderCol]:
    """A second column with the same role becomes ``role_2`` (values are keyed by role).

    Except a level named twice: 一级事项 | 一级事项 (a slip of the publisher's), or 类别 |
    一级事项 | 二级事项 (a category above the first level; 类别 alone is the first level).
    The second is the next level, and the levels after it move down one, as long as there
    is a level left for each.
    """
    levels = [h.role for h in cols if h.role in columns.LEVEL_ROLES]
    shift = 0
    fixed: list[_HeaderCol] = []
    used: set[str] = set()
    for h in cols:
        role = h.role
        if role in columns.LEVEL_ROLES:
            k = columns.LEVEL_ROLES.index(role) + shift
            if k < len(columns.LEVEL_ROLES) and columns.LEVEL_ROLES[k] in used:
                deepest = max(columns.LEVEL_ROLES.index(r) for r in levels) + shift + 1
                if deepest < len(columns.LEVEL_ROLES):
                    shift += 1
                    k += 1
                    if warnings is not None:
                        warnings.append(f"the header names {role} twice: the second is taken as "
                                        f"{columns.LEVEL_ROLES[k]}, and the levels after it move down one")
            if k < len(columns.LEVEL_ROLES):
                role = columns.LEVEL_ROLES[k]
        used.add(role)
        fixed.append(_HeaderCol(h.pos, role, h.kind))
    cols = fixed
    seen: Counter[str] = Counter()
    out = []
    for h in cols:
        seen[h.role] += 1
        name = h.role if seen[h.role] == 1 else f"{h.role}_{seen[h.role]}"
        out.append(_HeaderCol(h.pos, name, h.kind if h.role.startswith("other:") else columns.kind_of(h.role)))
    return out


@dataclass(frozen=True)
class Slot:
    """A data column of the table: its role and its position (relative to the anchor column)."""

    role: str
    pos: int
    kind: str


def _anchor(row: list[Cell]) -> int | None:
    """Column of the row's single check-box cell, or None."""
    hits = [c.col for c in row if cell_type(c.text) == "channels"]
    return hits[0] if len(hits) == 1 else None


_SAME_AS_ABOVE = frozenset({"同上", "同上。"})


_HEADER_SEARCH_ROWS = 60


def header_rows(grid: CellGrid) -> tuple[list[Cell], list[Cell] | None]:
    """The header of a grid as found by :func:`tabulate`: its top row and its sub-header row.

    A stream grid is cut into rows first (:func:`gongkai.tabulate.stream.unstream`). Raises
    :class:`InputError` when no header is found.
    """
    if grid.meta.get("stream"):
        grid, _ = unstream(grid)
    top_i, sub_i = _find_header(grid)
    return grid.rows[top_i], grid.rows[sub_i] if sub_i is not None else None


def _find_header(grid: CellGrid) -> tuple[int, int | None]:
    for r, row in enumerate(grid.rows[:_HEADER_SEARCH_ROWS]):
        if _is_header_row(row):
            nxt = grid.rows[r + 1] if r + 1 < len(grid.rows) else None
            if nxt is not None and _is_subheader_of(row, nxt):
                return r, r + 1
            return r, None
    raise InputError(grid.source,
                     "no disclosure-table header found (looked for 公开事项/公开内容/公开依据…)")


def _cut_off(row: list[Cell], slots: list[Slot], offset: int, placed: list[tuple[Cell, int]]) -> bool:
    """True when the row ends before the last column of the layout (the file ends mid-row).

    A row one *empty* cell short is not cut: extractions drop a trailing empty cell now
    and then (the seed list has such rows), whereas a file that ends mid-row ends in text.
    """
    if not placed or not slots:
        return False
    cell, j = placed[-1]
    row_shift = slots[j].pos - (cell.col - offset)
    # a trailing empty cell spanning several columns is the row's padding (pipe-text)
    last_pos = (row[-1].col + row[-1].colspan - 1 - offset) + row_shift
    missing = slots[-1].pos - last_pos
    return missing > 1 or (missing == 1 and not row[-1].empty)
