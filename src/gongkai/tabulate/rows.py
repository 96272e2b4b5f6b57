"""Raw rows: what the tabulator gives the field parsers, and how it groups a table's rows into items
(continuation rows merged, categories carried down, numbers kept, marks placed)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from gongkai import columns
from gongkai.errors import Text
from gongkai.model import UnreadRow
from gongkai.tabulate.align import _Aligned
from gongkai.tabulate.cells import _NUMBER, cell_type
from gongkai.tabulate.header import _SAME_AS_ABOVE, Slot
from gongkai.text import clean as clean_text
from gongkai.text import fold


@dataclass
class RawRow:
    """One disclosure item as read: role → text, with where it came from.

    ``values`` has every column role of the table (``""`` when the item has no cell
    there), plus ``number`` when the table has no number column (items numbered in
    reading order) and ``ordinal`` when category ordinals come from heading rows.
    """

    values: dict[str, str]        # role -> cell text as read; continuation fragments joined with "\n"
    lines: list[int]              # 1-based source lines this item was built from (in order)
    columns: dict[str, int]       # role -> column index of the role's first fragment (the item's first row)
    carried: set[str]             # roles whose value was carried down from an earlier row
    warnings: list[str]
    cut_off: bool = False         # the file ends inside this item's last row (its end is missing)


@dataclass
class RawTable:
    """The rows of one disclosure table, with its header and what surrounds it."""

    source: str
    format: str
    roles: list[str]              # column roles in header order (data-column order)
    header_lines: list[int]       # lines of the header rows, repeated headers included
    rows: list[RawRow]
    preamble: list[tuple[int, str]]
    meta: dict[str, str]
    warnings: list[str]
    unread: list[UnreadRow] = field(default_factory=list)   # rows that could not be aligned


#: roles that describe an item rather than name it
_DESCRIBING = ("content", "legal_basis", "time_limit", "publisher", "channels")


def _own_item_under_merged_name(a: _Aligned, present: set[str], identity: list[str]) -> bool:
    """A row of an unnumbered table whose name cells are all copies of a merged cell (a
    category merged over several items) but with cells of its own in two or more of the
    columns that describe an item: an item of its own in that category. The lines of one
    item spread over several sheet rows have their describing cells merged too, all but
    one or so (the content going on)."""
    if not any(r in a.copied and r in present for r in identity):
        return False
    return sum(1 for r in _DESCRIBING if r in present and r not in a.copied) >= 2


#: formats whose rows are the table's own rows (not lines of a text extraction, where a
#: row may be broken across lines and pages)
_RECORD_FORMATS = frozenset({"csv", "xlsx", "html", "docx", "xls", "doc"})


def _own_item_under_blank_name(a: _Aligned, present: set[str], identity: list[str]) -> bool:
    """A row of a spreadsheet, Word or web table (``_RECORD_FORMATS``) without a number
    column whose name cells are empty — a category merged over several items, saved
    without its merge (Excel's CSV export keeps the text in the first row only) — but with
    cells of its own in three or more of the columns that describe an item: an item of its
    own under the name above, not more lines of the item above."""
    if a.page_break or any(r in present for r in identity):
        return False
    return sum(1 for r in _DESCRIBING if r in present) >= 3


def _group(aligned: list[_Aligned], slots: list[Slot], warnings: list[str],
           records: bool = False) -> list[RawRow]:
    """Group aligned rows into items: new items, continuation rows, category headings.
    ``records``: the grid's rows are the table's rows (``_RECORD_FORMATS``)."""
    roles = [s.role for s in slots]
    kinds = {s.role: s.kind for s in slots}
    numbered = "number" in roles
    levels = [r for r in columns.LEVEL_ROLES if r in roles]
    carry_levels = levels[:-1] if len(levels) > 1 else []
    if columns.directory_catalogue(roles):
        carry_levels = levels       # every level is above the item's name
    # a numbered table whose only level is the category (序号 | 一级事项 | 公开内容 …): a
    # numbered row without it sits under a merged category cell, which comes down
    fill_levels = carry_levels or (levels if numbered and levels == ["level1"] else [])
    if "category" in roles:
        # a category comes down as the levels do, and a row's own category starts them anew
        carry_levels, fill_levels = ["category", *carry_levels], ["category", *fill_levels]
    heading_roles = set(carry_levels) | {"ordinal"}
    identity = [r for r in roles if r in columns.IDENTITY_ROLES]

    items: list[RawRow] = []
    context: dict[str, str] = {}
    leading: list[_Aligned] = []      # fragments above the first item's main row
    for a in aligned:
        vals = dict(a.vals)
        # a 序号 column that holds both item numbers and category ordinals
        if "ordinal" not in roles and cell_type(vals.get("number", ("", 0))[0]) == "ordinal":
            vals["ordinal"] = vals.pop("number")
        present = {r for r, (t, _) in vals.items() if t.strip()}
        # copies of merged cells name the item above, not a new one
        has_number = "number" in present and "number" not in a.copied
        has_identity = any(r in present and r not in a.copied for r in identity)

        # a category heading: only an ordinal and/or upper levels, nothing of an item
        if present and present <= heading_roles and (numbered or carry_levels) and (
                "ordinal" in present or not a.page_break):
            _update_context(context, vals, carry_levels)
            continue

        unnamed = False
        if not items:
            if not has_identity:
                leading.append(a)
                continue
            starts = True
        elif numbered:
            starts = has_number or (has_identity and not a.page_break)
        else:
            unnamed = records and _own_item_under_blank_name(a, present, identity)
            starts = has_identity or _own_item_under_merged_name(a, present, identity) or unnamed
        if not starts:
            _append(items[-1], {r: v for r, v in vals.items() if r not in a.copied}, a.line, kinds)
            _note_unplaced(items[-1], a, slots)
            continue

        # a merged cell's copy was not read in this row either: it counts as carried
        item = RawRow(values=dict.fromkeys(roles, ""), lines=[a.line], columns={},
                      carried=set(a.copied), warnings=[])
        for r, (t, col) in vals.items():
            item.values[r] = t
            if t.strip():
                item.columns[r] = col
        if leading:
            _prepend(item, leading, kinds)
            leading = []
        _same_as_above(item, items[-1] if items else None)
        _top_level_first(item, context, levels, a.line)
        _carry_down(item, context, fill_levels)
        if unnamed:
            for r in identity:
                if not item.values.get(r, "").strip() and items[-1].values.get(r, "").strip():
                    item.values[r] = items[-1].values[r]
                    item.carried.add(r)
        if numbered and not item.values.get("number", "").strip():
            prev_n = _int(items[-1].values.get("number", "")) if items else 0
            n = (prev_n or len(items)) + 1
            item.values["number"] = str(n)
            item.warnings.append(f"line {a.line}: row has no item number; numbered {n} after the item above")
        elif numbered and not _NUMBER.match(fold(item.values["number"])):
            item.warnings.append(f"line {a.line}: item number {item.values['number'].strip()!r} "
                                 "is not an Arabic number")
        _note_unplaced(item, a, slots)
        items.append(item)

    if leading:   # nothing but fragments: keep them as one item rather than lose them
        item = RawRow(values=dict.fromkeys(roles, ""), lines=[], columns={}, carried=set(),
                      warnings=[f"line {leading[0].line}: no row names an item; fragments kept as one item"])
        _prepend(item, leading, kinds)
        items.append(item)

    if aligned and aligned[-1].cut_off and items:
        # on the item it concerns (not repeated in the table's warnings)
        items[-1].cut_off = True
        column = columns.header_name(roles[-1])
        items[-1].warnings.append(Text(f"line {aligned[-1].line}: the file ends inside this row "
                                       f"(it stops before column {column}); its end is missing",
                                       f"第 {aligned[-1].line} 行：文件在这一行中间结束（停在“{column}”一栏之前），"
                                       "这一行的末尾缺失"))

    if not numbered:
        for n, item in enumerate(items, start=1):
            item.values["number"] = str(n)
        if items:
            warnings.append(Text(f"no item-number column: items numbered 1..{len(items)} in reading order",
                                 f"表格没有序号栏：事项按阅读顺序编为 1…{len(items)} 号"))
    else:
        _renumber_repeats(items, warnings)
    return items


#: key of ``RawRow.values`` keeping the 序号 as written when items had to be renumbered
SOURCE_NUMBER = "source_number"


#: key of ``RawTable.meta``: the note of the 时限 header (公开时限（工作日） → 工作日), the unit
#: of the column's bare numbers
TIME_LIMIT_UNIT = "time_limit_unit"


def _renumber_repeats(items: list[RawRow], warnings: list[str]) -> None:
    """Items whose numbers repeat are renumbered in reading order.

    Some lists number their categories, not their items: the 序号 cell is merged over the
    items of a category, so items after the first have none and the next category's number
    repeats one already given to an item. Item IRIs are minted from the numbers, which must
    therefore be unique; the 序号 as written is kept (``source_number``).
    """
    nums = [_int(it.values.get("number", "")) for it in items]
    if len(set(nums)) == len(nums):
        return
    for n, item in enumerate(items, start=1):
        written = item.values.get("number", "")
        # (a 序号 merged over several items is written for each of them)
        if written.strip() and not any("row has no item number" in w for w in item.warnings):
            item.values[SOURCE_NUMBER] = written
        item.warnings = [w for w in item.warnings if "row has no item number" not in w]
        item.values["number"] = str(n)
    warnings.append(Text(f"item numbers repeat (序号 numbers the categories, merged over their items): "
                         f"items renumbered 1..{len(items)} in reading order, 序号 kept as {SOURCE_NUMBER!r}",
                         f"序号重复（序号给类别编号，合并在其下的各事项上）：事项按阅读顺序重新编为 1…{len(items)} 号，"
                         "原序号另行保留"))


def _top_level_first(item: RawRow, context: dict[str, str], levels: list[str], line: int) -> None:
    """A row with two deeper levels but no category, and no category above to carry down.

    Its first name spans the category columns (a cell merged across 一级 and 二级事项): it is
    the category, and the name below it the item's.
    """
    if len(levels) < 3 or levels[0] != "level1" or context.get("level1"):
        return
    v = item.values
    if v.get("level1", "").strip():
        return
    filled = [r for r in levels[1:] if v.get(r, "").strip()]
    if len(filled) < 2:
        return
    v["level1"], v[filled[0]] = v[filled[0]], ""
    item.warnings.append(f"line {line}: no 一级事项 cell and no category above it; the first name "
                         f"{clean_text(v['level1'])!r} is taken as the category")


#: key of ``RawRow.values`` holding mark-column texts whose column could not be known
UNPLACED_MARKS = "unplaced_marks"


def _note_unplaced(item: RawRow, a: _Aligned, slots: list[Slot]) -> None:
    if not a.unplaced:
        return
    names = [s.role for s in slots if s.kind == "mark"]
    texts = " ".join(t.strip() for t in a.unplaced)
    have = item.values.get(UNPLACED_MARKS, "")
    item.values[UNPLACED_MARKS] = f"{have} {texts}".strip()
    headers = "、".join(columns.header_name(n) for n in names)
    item.warnings.append(Text(
        f"line {a.line}: {len(a.unplaced)} cell(s) ({texts}) under the {len(names)} mark columns "
        f"({', '.join(names)}), but this extraction dropped empty cells, so which columns they "
        "belong to cannot be known; left unset",
        f"第 {a.line} 行：{len(names)} 个勾选栏（{headers}）下有 {len(a.unplaced)} 个单元格（{texts}），"
        "但提取时空单元格已丢失，无法确定它们属于哪一栏，因此不作勾选"))


def _prepend(item: RawRow, leading: list[_Aligned], kinds: dict[str, str]) -> None:
    """Put fragments found above an item's main row (vertically centred cells) before its text."""
    head = RawRow(values=dict.fromkeys(item.values, ""), lines=[], columns={}, carried=set(), warnings=[])
    for a in leading:
        _append(head, a.vals, a.line, kinds)
    for role, text in head.values.items():
        if text.strip():
            mine = item.values.get(role, "")
            item.values[role] = text + ("\n" + mine if mine.strip() else "")
            item.columns[role] = head.columns[role]
    first = item.lines[0] if item.lines else None
    item.lines[:0] = head.lines
    lines = ", ".join(str(n) for n in head.lines)
    item.warnings.append(Text(
        f"lines {lines} precede the item's first row" + (f" (line {first})" if first is not None else "")
        + "; their cells are joined to it",
        f"第 {lines} 行在事项的第一行" + (f"（第 {first} 行）" if first is not None else "")
        + "之前；其单元格并入该事项"))


def _int(text: str) -> int | None:
    m = re.match(r"\d+", fold(text))
    return int(m.group()) if m else None


def _append(item: RawRow, vals: dict[str, tuple[str, int]], line: int, kinds: dict[str, str]) -> None:
    """Append a continuation row's fragments to the item they continue."""
    item.lines.append(line)
    for role, (text, col) in vals.items():
        if not text.strip():
            continue
        have = item.values.get(role, "")
        if not have.strip():
            item.values[role] = text
            item.columns.setdefault(role, col)
        elif kinds.get(role) == "mark":
            if fold(text) != fold(have):
                item.values[role] = have + "\n" + text
        else:
            item.values[role] = have + "\n" + text


def _same_as_above(item: RawRow, above: RawRow | None) -> None:
    for role, text in list(item.values.items()):
        if fold(text) in _SAME_AS_ABOVE:
            if above is None or not above.values.get(role, "").strip():
                # 同上 is no value of its own (no legal source, no time limit named 同上)
                item.values[role] = ""
                item.warnings.append(f"line {item.lines[0]}: {role} says 同上 but the row above has no "
                                     "value; left empty")
                continue
            item.values[role] = above.values[role]
            item.carried.add(role)


def _update_context(context: dict[str, str], vals: dict[str, tuple[str, int]],
                    carry_levels: list[str]) -> None:
    for k, level in enumerate(carry_levels):
        text = vals.get(level, ("", 0))[0]
        if text.strip():
            context[level] = text
            for deeper in carry_levels[k + 1:]:
                context.pop(deeper, None)
            if level == carry_levels[0]:
                context.pop("ordinal", None)
    ordinal = vals.get("ordinal", ("", 0))[0]
    if ordinal.strip():
        context["ordinal"] = ordinal


def _carry_down(item: RawRow, context: dict[str, str], carry_levels: list[str]) -> None:
    """Fill the upper levels (and the category ordinal) from the last row that had them."""
    v = item.values
    _update_context(context, {r: (v.get(r, ""), 0) for r in [*carry_levels, "ordinal"]}, carry_levels)
    for level in carry_levels:
        if not v.get(level, "").strip() and context.get(level):
            v[level] = context[level]
            item.carried.add(level)
    # the ordinal belongs to the category: it comes down with it (also from heading rows
    # when the table has no ordinal column)
    if not v.get("ordinal", "").strip() and context.get("ordinal") and (
            carry_levels and carry_levels[0] in item.carried):
        v["ordinal"] = context["ordinal"]
        item.carried.add("ordinal")
