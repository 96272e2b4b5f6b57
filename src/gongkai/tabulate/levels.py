"""Which level each name of a row is, when the extraction did not keep the row's empty cells.

A list names its items on two to six levels (一级事项 | 二级事项 | 三级事项, 一级 | 二级 | 三级 under
公开类别及事项, 一级目录 … 六级目录), and a cell merged over several rows (the 一级 of a group)
is written on the group's first row only. Text that drops empty cells (pipe text written
without its empty cells, one cell per paragraph) gives rows such as::

    1 | 组织机构 | 领导分工 | 领导姓名、职务 | 办公室      (一级 and the item's name)
    2 | 内设机构 | 职能 | 办公室                         (the name only: 一级 is merged above)

where nothing but the count of names tells which levels they are. Aligning cells by content
cannot tell either (all names are text), so after the alignment this module places a row's
names by their count, the same way for every layout:

- the table's first item starts a group: its names go from the top (分类 when the table has
  one, else 一级) to the deepest level, the last being the item's name; a later row with as
  many names (or more) starts a group too, and is placed the same way;
- a row with fewer names has the levels above them merged from the row above: its names are
  the deepest ones, down to the depth of the item above (户籍管理 merged over 注销登记 |
  死亡注销 in a table of three levels; a single name is the item's, as deep as the one above).

Before counting, the row's cells in the run of text columns from the names to the first
column of another kind are split: one cell for each describing column there (公开内容, 责任单位)
taken from the right, the rest are names. Except in a table whose describing columns there
are left empty throughout: no row has more cells in the run than the table has levels, and
some row too few for a name and its describing cells (rows of one name each under a first
row of 一级 and 二级, all without 公开内容); there the cells are all names.

A row whose deepest name reads like a description (申报材料清单、批准流程、办理时限、…等) while
its content cell is empty, or is the first element of an enumeration that the content goes
on with (1.文件名称 | 2.文号 …), holds its content in a level column (a level left empty in a
table of more levels than the row uses): it goes back to the content.

Rows whose cells kept their positions (spreadsheets, Word and web tables, text that keeps its
empty cells, rows as wide as the header) are left as aligned, and so are the rows cut from a
stream of fragments (placed in columns by what they hold, merged levels costing little).
"""

from __future__ import annotations

import re

from gongkai import columns
from gongkai.errors import Text
from gongkai.readers.grid import Cell
from gongkai.tabulate.align import _Aligned
from gongkai.tabulate.cells import cell_type, looks_like_description
from gongkai.tabulate.header import Slot, _row_line


def _by_count(meta: dict[str, str]) -> bool:
    """True when the grid's rows may have dropped empty cells, and their cells were not placed
    in columns already by what they hold (a stream of fragments is cut into cells and columns
    by :mod:`gongkai.tabulate.stream`, merged levels costing little there)."""
    return meta.get("collapsed_empty_cells") == "possible" and meta.get("rows_from_stream") != "fragments"


def _complete(row: list[Cell] | None, slots: list[Slot]) -> bool:
    """A row as wide as the layout, empty cells written: its names sit under their headers."""
    if row is None:
        return False
    written = [c for c in row if not (c is row[-1] and c.empty and c.colspan > 1)]
    return len(written) >= len(slots)


def _top_down(k: int, slots: list[str]) -> list[str]:
    """``k`` names from the top: the first at the top, the last at the deepest, the others
    on the levels after the top one."""
    if k == 1:
        return [slots[-1]]
    return [slots[0], *slots[1:k - 1], slots[-1]] if k < len(slots) else slots[:k]


def _targets(k: int, slots: list[str], depth: int | None, group: int | None) -> list[str]:
    """The name columns (``slots``: 分类 and the levels, from the top) of a row's ``k``
    names; ``depth`` is the index of the deepest name of the item above, ``group`` the count
    of names of the table's first item (how a group starts). See the module doc."""
    if depth is None or group is None or (k > 1 and k >= group):
        return _top_down(k, slots)
    # fewer names than a group starts with: the upper ones are merged, the last is the item's
    end = max(depth, k - 1)
    return slots[end - k + 1:end + 1]


_FIRST = re.compile(r"^\s*[(（]?1\s*[)）.、．]")
_SECOND = re.compile(r"^\s*[(（]?2\s*[)）.、．]")


def _described(a: _Aligned, value: tuple[str, int]) -> bool:
    """When ``value`` (a name's) is the content's beginning, make it the content and say so
    (the caller drops it from the names): a text that reads like a description where the
    content cell is empty, or the first element of an enumeration the content goes on with
    (1.文件名称 | 2.文号 3.发布部门)."""
    content = a.vals.get("content", ("", 0))
    if not content[0].strip():
        if not looks_like_description(value[0]):
            return False
        a.vals["content"] = value
        return True
    if _FIRST.match(value[0]) and _SECOND.match(content[0]):
        a.vals["content"] = (f"{value[0]}\n{content[0]}", value[1])
        return True
    return False


def _name_run(slots: list[Slot]) -> list[str]:
    """The roles of the run of text columns that starts with the names (分类, the levels) and
    goes on to the first column of another kind (公开依据, 公开时限, the channels …)."""
    first = next((k for k, s in enumerate(slots) if s.role in columns.LEVEL_ROLES or s.role == "category"),
                 None)
    if first is None:
        return []
    run: list[str] = []
    for s in slots[first:]:
        if s.kind != "text":
            break
        run.append(s.role)
    return run


def _describing(run: list[str]) -> list[str]:
    """The columns of a name run that describe the item (公开内容, 责任单位 …), not name it."""
    return [r for r in run if r not in columns.LEVEL_ROLES and r != "category"]


def _run_cells(a: _Aligned, run: list[str]) -> list[tuple[str, int]]:
    """The row's own cells in the name run, in order."""
    return [a.vals[r] for r in run if r in a.vals and a.vals[r][0].strip() and r not in a.copied]


def _names_only(rows: list[_Aligned], run: list[str], name_slots: list[str]) -> bool:
    """Whether the describing columns of the name run are left empty in the whole table, so
    that the cells of a row's name run are all names: no row holds more cells there than the
    table has name columns, and some row holds too few for a name and a cell for each
    describing column (公路水运工程 | 农村公路建设计划 over rows of one name each, all without
    their 公开内容)."""
    describing = _describing(run)
    counts = [len(_run_cells(a, run)) for a in rows]
    counts = [n for n in counts if n]
    return bool(describing) and bool(counts) and max(counts) <= len(name_slots) \
        and min(counts) <= len(describing)


def _names_and_rest(a: _Aligned, run: list[str],
                    names_only: bool = False) -> tuple[list[tuple[str, int]], list[tuple[str, int]] | None]:
    """A row's names, and the values of the describing columns of the name run (None: as aligned).

    The row's cells in the run are its names followed by one cell for each describing column
    of the run (公开内容, 责任单位 …): when the row has more cells there than describing
    columns, the surplus at the left are the names, whatever columns they were aligned to.
    In a table whose describing columns there are empty (``names_only``, see
    :func:`_names_only`) they are all names."""
    describing = _describing(run)
    cells = _run_cells(a, run)
    if names_only and cells and all(cell_type(t) == "text" for t, _ in cells):
        return cells, [("", 0)] * len(describing)
    if len(cells) > len(describing):
        cut = len(cells) - len(describing)
        if any(cell_type(t) != "text" for t, _ in cells[:cut]):
            return [], None      # a number, a citation, a time limit among the names: no name run
        return cells[:cut], cells[cut:]
    return [a.vals[r] for r in run if (r in columns.LEVEL_ROLES or r == "category") and r in a.vals
            and a.vals[r][0].strip() and r not in a.copied], None


def _replace(a: _Aligned, run: list[str], names: list[tuple[str, int]],
             rest: list[tuple[str, int]] | None, targets: list[str]) -> None:
    """Write the row's names on their columns (and the describing cells after them)."""
    for r in run:
        if r not in a.copied and (rest is not None or r in columns.LEVEL_ROLES or r == "category"):
            a.vals.pop(r, None)
    a.vals.update(zip(targets, names, strict=True))
    if rest is not None:
        a.vals.update((r, v) for r, v in zip(_describing(run), rest, strict=True) if v[0].strip())


def _heading(a: _Aligned, name_slots: list[str]) -> bool:
    """A category heading (一、机构信息): names only, no item number."""
    return not any(t.strip() for r, (t, _) in a.vals.items() if r not in name_slots and r != "ordinal")


def place_levels(aligned: list[_Aligned], slots: list[Slot], data: list[list[Cell]],
                 meta: dict[str, str], warnings: list[str]) -> None:
    """Place the names of each row that dropped its empty cells on their columns, in place
    (see the module doc); the beginning of the content found in a level column goes back to
    the content."""
    roles = [s.role for s in slots]
    levels = [r for r in columns.LEVEL_ROLES if r in roles]
    if len(levels) < 2:
        return
    name_slots = [r for r in roles if r == "category"][:1] + levels
    run = _name_run(slots)
    rows = {_row_line(r): r for r in data}
    by_count = _by_count(meta)
    moved: list[int] = []
    described: list[int] = []
    depth: int | None = None
    group: int | None = None
    names_only = by_count and _names_only([a for a in aligned if not _heading(a, name_slots)], run, name_slots)
    for a in aligned:
        # a category heading (一、机构信息): names only, no item number
        heading = _heading(a, name_slots)
        if by_count and not heading and not _complete(rows.get(a.line), slots):
            before = {r: a.vals.get(r) for r in run}
            names, rest = _names_and_rest(a, run, names_only)
            if len(names) >= 2 and "content" in run and _described(a, names[-1]):
                described.append(a.line)
                names = names[:-1]
                if rest is not None:        # one cell for each describing column
                    rest[_describing(run).index("content")] = a.vals["content"]
            if names:
                _replace(a, run, names, rest, _targets(len(names), name_slots, depth, group))
                if {r: a.vals.get(r) for r in run} != before:
                    moved.append(a.line)
        names_at = [r for r in levels if r in a.vals and a.vals[r][0].strip() and r not in a.copied]
        if by_count and "content" in roles and len(names_at) >= 2 and _described(a, a.vals[names_at[-1]]):
            a.vals.pop(names_at[-1])
            names_at = names_at[:-1]
            described.append(a.line)
        if names_at and not heading:
            depth = name_slots.index(names_at[-1])
            group = group or len([r for r in name_slots if r in a.vals and a.vals[r][0].strip()])
    if moved:
        lines = ", ".join(map(str, moved[:8])) + (", …" if len(moved) > 8 else "")
        warnings.append(Text(f"{len(moved)} row(s) have fewer cells than the header has columns, their empty "
                             f"cells dropped (lines {lines}): their names were placed by their count "
                             "(as many as the first item's: from the top level; fewer: the levels above them "
                             "merged, the last one the item's, as deep as the item above)",
                             f"{len(moved)} 行的单元格比表头的栏少，空单元格已丢失（第 {lines} 行）：按单元格个数"
                             "安排各级名称（与第一个事项一样多：从最上一级起；较少：上面的各级沿用合并的值，"
                             "最后一个是事项名称，深度同上一个事项）"))
    if described:
        lines = ", ".join(map(str, described[:8])) + (", …" if len(described) > 8 else "")
        warnings.append(Text("a level column held the beginning of the content (a description where the content "
                             f"is empty, or the first element of the content's enumeration) (lines {lines}): "
                             "read as the content",
                             f"有一级事项栏写的是公开内容的开头（公开内容为空时的说明，或内容列举的第一项）"
                             f"（第 {lines} 行）：读作公开内容"))
