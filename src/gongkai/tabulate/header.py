"""Finding a table's header: which rows hold it, the column role under each header cell, two-row
headers and sub-headers."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from gongkai import columns
from gongkai.errors import InputError, Text
from gongkai.readers.grid import Cell, CellGrid
from gongkai.tabulate.cells import _HeaderCol, _nonempty, cell_type, is_option_list
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


def _sub_role(text: str) -> str | None:
    """The role a sub-header names: a role's name (一级栏目 too), or a tier with a place name
    before it (东阳市级 under 公开层级)."""
    return columns.sub_role_for_header(text) or columns.tier_role(text)


def _is_subheader_row(row: list[Cell]) -> bool:
    cells = _nonempty(row)
    known = [c for c in cells if _sub_role(c.text)]
    return bool(known) and len(known) >= 0.6 * len(cells)


def _is_subheader_of(top: list[Cell], row: list[Cell]) -> bool:
    """A sub-header row: known role names, at least one owned by a parent header of ``top``."""
    if not _is_subheader_row(row):
        return False
    kids = {k for c in _nonempty(top) if (p := columns.parent_for_header(c.text)) for k in p.children}
    return any(_sub_role(c.text) in kids for c in _nonempty(row))


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
    # the form of the information (文字, ■文本 □图表): 公开形式 beside a channel column
    if "format" in candidates and texts and 2 * sum(is_option_list(t, boxed=False) for t in texts) >= len(texts):
        return "format"
    types = Counter(cell_type(t) for t in texts)
    if "channels" in candidates and types["channels"]:
        return "channels"
    modal = sum(1 for t in texts if fold(t).startswith(columns.MODE_WORDS))
    if "mode" in candidates and texts and modal * 2 >= len(texts):
        return "mode"
    # no check boxes and no mode words: a table without another channels column names
    # its channels here (县人民政府网站的…栏目)
    return "channels" if "channels" in candidates else candidates[0]


def _distinct_tops(tops: list[Cell], has_sub: bool) -> list[Cell]:
    """The top header cells, copies of a merged parent header dropped: a first header row
    repeating 公开事项 in every cell it spans (an extraction that wrote the merged cell out)
    is one header over its sub-headers."""
    if not has_sub:
        return tops
    return [c for i, c in enumerate(tops)
            if not (i and columns.parent_for_header(c.text)
                    and columns.header_key(c.text) == columns.header_key(tops[i - 1].text))]


def _join_halves(tops: list[Cell], subs: list[Cell],
                 warnings: list[str]) -> tuple[dict[int, str], list[Cell]]:
    """Header cells split in two: a top cell that names no column (公开) and a cell of the next
    header row that is no sub-header of a parent (时限) make one header together (公开时限).

    The half below is looked for under the top cell first, then in order (header rows whose
    empty cells were collapsed). Returns the joined roles (``parent:<key>`` for a parent
    header) by ``id`` of the top cell, and the sub-header cells left.
    """
    kids = {k for c in tops if (p := columns.parent_for_header(c.text)) for k in p.children}
    open_tops = [c for c in tops if columns.is_ambiguous_header(c.text)
                 or not columns.is_header_text(c.text)]
    joined: dict[int, str] = {}
    left: list[Cell] = []
    for s in subs:
        if _sub_role(s.text) in kids or not open_tops:
            left.append(s)
            continue
        under = [c for c in open_tops if c.col <= s.col < c.col + max(1, c.colspan)]
        found = next(((c, j) for c in [*under, *open_tops]
                      if (j := columns.joined_header(c.text, s.text)) is not None), None)
        if found is None:
            left.append(s)
            continue
        top, role = found
        joined[id(top)] = role
        open_tops.remove(top)
        warnings.append(f"line {_line(top)}: column header {top.text.strip()!r} and {s.text.strip()!r} "
                        f"below it are one header split in two ({top.text.strip()}{s.text.strip()})")
    return joined, left


def _top_header(c: Cell, joined: dict[int, str]) -> tuple[str | None, columns.ParentHeader | None]:
    """(role, parent header) a top header cell names, joined with its lower half if it has one."""
    j = joined.get(id(c))
    if j is None:
        return columns.role_for_header(c.text), columns.parent_for_header(c.text)
    if j.startswith("parent:"):
        return None, next(p for p in columns.PARENTS if p.key == j.removeprefix("parent:"))
    return j, None


def _header_warnings(headers: list[Cell]) -> list[str]:
    """What was read into the header texts: a character misread, characters cut off."""
    out = [f"line {_line(c)}: column header {c.text.strip()!r} read as {near!r} "
           "(one character differs: misread?)"
           for c in headers if (near := columns.misread(c.text)) is not None]
    out += [f"line {_line(c)}: column header {c.text.strip()!r} read as {whole!r} (cut short?)"
            for c in headers if columns.misread(c.text) is None
            and (whole := columns.cut_short(c.text)) is not None]
    return out


def _header_columns(top: list[Cell], sub: list[Cell] | None,
                    data: list[list[Cell]], warnings: list[str]) -> list[_HeaderCol]:
    """Column roles from the header row(s), with positions.

    Sub-headers are given to the parent whose span holds them; a sub-header outside its
    parent's span (header rows whose empty cells were collapsed) is given to the parent
    that can own it, and then positions are counted column by column instead. Copies of
    merged header cells (``Cell.spanned``) are not headers of their own: a 公开事项 merged
    over two columns spans both, a 序号 merged over both header rows is no sub-header.
    A header split over the two rows is joined (:func:`_join_halves`); a header cell that
    names no column by itself (公开) stands for the column missing where it is
    (:func:`_missing_by_order`).
    """
    tops = _distinct_tops([c for c in _nonempty(top) if not c.spanned], bool(sub and _nonempty(sub)))
    subs = [s for s in _nonempty(sub or []) if not s.spanned]
    warnings.extend(_header_warnings([*tops, *subs]))
    if subs and tops and {_line(c) for c in (*tops, *subs)} == {_line(tops[0])}:
        warnings.append(f"line {_line(tops[0])}: the header's two rows are written on one line (the "
                        "sub-headers after the headers they belong to); read as two header rows")
    joined, subs = _join_halves(tops, subs, warnings)
    spans: list[tuple[Cell, int]] = []
    for i, c in enumerate(tops):
        end = tops[i + 1].col if i + 1 < len(tops) else 10**6
        spans.append((c, end))

    children: dict[int, list[tuple[int, str]]] = {c.col: [] for c in tops}
    other_kinds: dict[str, str] = {}     # unknown sub-headers: the kind of their cells
    aligned = True
    for s in subs:
        role = _sub_role(s.text)
        if role is None:
            # under a parent header (县级政府 under 公开层级) it keeps its column, so that
            # the columns beside it keep theirs; its cells are kept, not read
            under = next(((c, p) for c, end in spans
                          if c.col <= s.col < end and (p := _top_header(c, joined)[1])), None)
            if under is not None:
                owner, owner_header = under
                role = f"other:{fold(s.text)}"
                children[owner.col].append((s.col, role))
                # holding what its siblings hold (√ marks under 公开层级), for the alignment
                sibling_kinds = {columns.kind_of(r) for r in owner_header.children}
                if len(sibling_kinds) == 1:
                    other_kinds[role] = sibling_kinds.pop()
                warnings.append(Text(f"line {_line(s)}: sub-header {s.text.strip()!r} not understood; "
                                     f"its cells are kept under role {role!r}",
                                     f"第 {_line(s)} 行：不认识子表头“{s.text.strip()}”；这一栏的内容按原样保留"))
            else:
                warnings.append(f"line {_line(s)}: sub-header {s.text.strip()!r} not understood; ignored")
            continue
        owners = [(c, end) for c, end in spans
                  if (p := _top_header(c, joined)[1]) and role in p.children]
        inside = [(c, end) for c, end in owners if c.col <= s.col < end]
        if inside:
            children[inside[0][0].col].append((s.col, role))
        elif owners:
            aligned = False
            children[owners[0][0].col].append((s.col, role))
        else:
            warnings.append(f"line {_line(s)}: sub-header {s.text.strip()!r} has no parent header; ignored")

    taken: set[str] = {r for c in tops if (r := _top_header(c, joined)[0])}
    cols: list[_HeaderCol] = []
    bare: list[tuple[int, Cell]] = []     # header cells naming no column by themselves (公开)
    seq = 0
    for i, c in enumerate(tops):
        role, parent = _top_header(c, joined)
        kids = sorted(children[c.col])
        if parent and kids:
            for kpos, krole in kids:
                cols.append(_HeaderCol(kpos if aligned else seq, krole, other_kinds.get(krole, "text")))
                seq += 1
            continue
        if parent:
            role = _repeated_parent_level(tops, i, parent) or _pick_alone(parent, c.col, taken, data)
        elif role is None and columns.is_ambiguous_header(c.text):
            bare.append((len(cols), c))
            role = f"other:{fold(c.text)}"
        elif role is None:
            role = f"other:{fold(c.text)}"
            warnings.append(Text(f"line {_line(c)}: column header {c.text.strip()!r} not known; "
                                 f"its cells are kept under role {role!r}",
                                 f"第 {_line(c)} 行：不认识表头“{c.text.strip()}”；这一栏的内容按原样保留"))
        taken.add(role)
        cols.append(_HeaderCol(c.col if aligned else seq, role))
        seq += 1
    _missing_by_order(cols, bare, taken, warnings)
    cols = _item_over_two_columns(cols, data, warnings)
    return _unique_roles(cols, warnings)


def _repeated_parent_level(tops: list[Cell], i: int, parent: columns.ParentHeader) -> str | None:
    """公开事项 | 公开事项 with no sub-headers (a merged header written out, its sub-headers
    lost): the run of copies stands for the parent's levels, in order."""
    key = columns.header_key(tops[i].text)
    if not any(r in columns.LEVEL_ROLES for r in parent.children):
        return None
    first = i
    while first and columns.header_key(tops[first - 1].text) == key:
        first -= 1
    last = i
    while last + 1 < len(tops) and columns.header_key(tops[last + 1].text) == key:
        last += 1
    if first == last:
        return None
    levels = [r for r in parent.children if r in columns.LEVEL_ROLES]
    return levels[i - first] if i - first < len(levels) else None


def _base_role(role: str) -> str:
    """``level2_2`` → ``level2``: the role a column name stands for."""
    head, _, tail = role.rpartition("_")
    return head if head and tail.isdigit() else role


def _missing_by_order(cols: list[_HeaderCol], bare: list[tuple[int, Cell]], taken: set[str],
                      warnings: list[str]) -> None:
    """Give each header cell that names no column by itself (公开, its 时限 or 主体 lost) the
    column missing where it stands: the roles between its neighbours in the standard order
    (``columns.STANDARD_ORDER``) that the header lacks and that a header beginning with 公开
    names (公开时限, 公开主体, 公开格式 …), in order. Left as ``other:公开`` when none is."""
    order = {r: k for k, r in enumerate(columns.STANDARD_ORDER)}
    by_index = dict(bare)
    done: set[int] = set()
    for index, _ in bare:
        if index in done:
            continue
        run = [index]
        while run[-1] + 1 in by_index:
            run.append(run[-1] + 1)
        done.update(run)
        before = next((order[_base_role(cols[k].role)] for k in range(run[0] - 1, -1, -1)
                       if _base_role(cols[k].role) in order), -1)
        after = next((order[_base_role(cols[k].role)] for k in range(run[-1] + 1, len(cols))
                      if _base_role(cols[k].role) in order), len(order))
        missing = [r for r in columns.STANDARD_ORDER[before + 1:after]
                   if r not in taken and columns.named_by_prefix(r, by_index[run[0]].text)]
        for k, role in zip(run, missing, strict=False):
            cell = by_index[k]
            cols[k] = _HeaderCol(cols[k].pos, role, cols[k].kind)
            taken.add(role)
            warnings.append(f"line {_line(cell)}: column header {cell.text.strip()!r} names no column by "
                            f"itself; read as {role} (the column the header lacks where it stands)")
        for k in run[len(missing):]:
            cell = by_index[k]
            warnings.append(Text(f"line {_line(cell)}: column header {cell.text.strip()!r} not known; "
                                 f"its cells are kept under role {cols[k].role!r}",
                                 f"第 {_line(cell)} 行：不认识表头“{cell.text.strip()}”；这一栏的内容按原样保留"))


def _data_width(data: list[list[Cell]]) -> int | None:
    """The most common number of columns the data rows fill (to their last non-empty cell)."""
    widths = Counter(max(c.col for c in row if not c.empty) + 1 for row in data if _nonempty(row))
    return widths.most_common(1)[0][0] if widths else None


def _item_over_two_columns(cols: list[_HeaderCol], data: list[list[Cell]],
                           warnings: list[str]) -> list[_HeaderCol]:
    """公开事项 spanning two columns without sub-headers: when the rows have one cell more than
    the header (and the header has its 序号, so the cell is no number), and the column after
    公开事项's holds names, the two columns are the first and the second level."""
    item = next((k for k, h in enumerate(cols) if h.role == "item"), None)
    if item is None or not any(h.role == "number" for h in cols) or any(
            h.role in columns.LEVEL_ROLES for h in cols):
        return cols
    if _data_width(data) != len(cols) + 1:
        return cols
    pos = cols[item].pos
    nxt = [row[pos + 1].text for row in data if pos + 1 < len(row) and not row[pos + 1].empty]
    if not nxt or 2 * sum(cell_type(t) == "text" for t in nxt) < len(nxt):
        return cols
    warnings.append("the rows have one column more than the header, next to 公开事项, which has no "
                    "sub-headers: 公开事项 is read over two columns, the first and the second level")
    out = [*cols[:item], _HeaderCol(pos, "level1"), _HeaderCol(pos + 1, "level2")]
    out += [_HeaderCol(h.pos + 1 if h.pos > pos else h.pos, h.role, h.kind) for h in cols[item + 1:]]
    return out


def _unique_roles(cols: list[_HeaderCol], warnings: list[str] | None = None) -> list[_HeaderCol]:
    """A second column with the same role becomes ``role_2`` (values are keyed by role).

    Except a level named twice. When the next level follows the second (类别 | 一级事项 |
    二级事项, 一级目录 | 公开事项 (一级事项 | 二级事项)), the first is a category above the
    levels (``category``), not a level. Otherwise (一级事项 | 一级事项 | 公开内容, a slip of
    the publisher's) the second is the next level, and the levels after it move down one, as
    long as there is a level left for each.
    """
    cols = _category_above_levels(cols, warnings)
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
                        warnings.append(Text(
                            f"the header names {role} twice: the second is taken as "
                            f"{columns.LEVEL_ROLES[k]}, and the levels after it move down one",
                            f"表头两次出现“{columns.header_name(role)}”：第二个读作“"
                            f"{columns.header_name(columns.LEVEL_ROLES[k])}”，其后的各级依次下移一级"))
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


def _category_above_levels(cols: list[_HeaderCol], warnings: list[str] | None) -> list[_HeaderCol]:
    """The first of a level named twice is a category when the next level follows the second."""
    roles = [h.role for h in cols]
    for k, h in enumerate(cols):
        if h.role not in columns.LEVEL_ROLES or "category" in roles:
            continue
        again = next((j for j in range(k + 1, len(cols)) if roles[j] == h.role), None)
        deeper = columns.LEVEL_ROLES.index(h.role) + 1
        if again is None or deeper >= len(columns.LEVEL_ROLES):
            continue
        if columns.LEVEL_ROLES[deeper] in roles[again + 1:]:
            if warnings is not None:
                warnings.append(Text(f"the header names {h.role} twice, and the next level after the second: "
                                     "the first is a category above the levels (kept as data, role 'category')",
                                     f"表头两次出现“{columns.header_name(h.role)}”，第二个之后是下一级：第一个读作"
                                     "各级事项之上的分类（作为数据保留）"))
            return [*cols[:k], _HeaderCol(h.pos, "category", h.kind), *cols[k + 1:]]
    return cols


@dataclass(frozen=True)
class Slot:
    """A data column of the table: its role and its position (relative to the anchor column)."""

    role: str
    pos: int
    kind: str


def _anchor(row: list[Cell]) -> int | None:
    """Column of the row's single check-box cell of channels, or None. Check-box lists of a
    公开格式 or 五公开 column (■文本 □图表, □决策 ■服务) are not the channel cell."""
    hits = [c for c in row if cell_type(c.text) == "channels"]
    channels = [c.col for c in hits if not is_option_list(c.text)]
    return channels[0] if len(channels) == 1 else None


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
    """Indexes of the header row and its sub-header row (None) in ``grid.rows``. Both header
    rows written on one line are parted into two rows of the grid first
    (:func:`_part_one_line_header`)."""
    for r, row in enumerate(grid.rows[:_HEADER_SEARCH_ROWS]):
        if _is_header_row(row):
            nxt = grid.rows[r + 1] if r + 1 < len(grid.rows) else None
            if nxt is not None and _is_subheader_of(row, nxt):
                return r, r + 1
            if (parted := _part_one_line_header(row)) is not None:
                grid.rows[r:r + 1] = list(parted)
                return r, r + 1
            return r, None
    raise InputError(grid.source,
                     "no disclosure-table header found (looked for 公开事项/公开内容/公开依据…)")


def _part_one_line_header(row: list[Cell]) -> tuple[list[Cell], list[Cell]] | None:
    """A header row holding both header rows one after the other (序号 | 公开事项 | … |
    公开层级 | 一级事项 | 二级事项 | 全社会 | … | 乡级): the top row and the sub-header row,
    laid out as a two-row header is (each parent over the columns of its sub-headers), or
    None. The row must end in a run of at least two sub-headers, each owned by a parent
    header before the run, in the parents' order."""
    cells = [c for c in _nonempty(row) if not c.spanned]
    parents = [(k, p) for k, c in enumerate(cells) if (p := columns.parent_for_header(c.text))]
    if not parents:
        return None
    parent_at = dict(parents)
    first_parent = parents[0][0]
    start = next((k for k in range(first_parent + 1, len(cells))
                  if not columns.parent_for_header(cells[k].text)
                  and _sub_role(cells[k].text) in {r for _, p in parents for r in p.children}
                  and all(columns.parent_for_header(c.text) is None for c in cells[k:])), None)
    if start is None or len(cells) - start < 2:
        return None
    owners: dict[int, list[Cell]] = {k: [] for k, _ in parents if k < start}
    order = [k for k, _ in parents if k < start]
    at = 0
    for c in cells[start:]:
        role = _sub_role(c.text)
        while at < len(order) and role not in parent_at[order[at]].children:
            at += 1
        if at == len(order):
            return None
        owners[order[at]].append(c)
    top: list[Cell] = []
    sub: list[Cell] = []
    col = 0
    for k, c in enumerate(cells[:start]):
        kids = owners.get(k, [])
        top.append(Cell(c.text, c.row, col, c.line, colspan=max(1, len(kids))))
        for kid in kids:
            sub.append(Cell(kid.text, c.row + 1, col, kid.line))
            col += 1
        col += 0 if kids else 1
    return top, sub


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
