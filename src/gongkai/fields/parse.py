"""Raw rows → model: run the field parsers over each raw row and the list's heading.

Knows the column roles (``columns.py``) and the model; knows nothing about file formats
(readers) or RDF (mapper).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import TypeVar

from gongkai.columns import LEVEL_ROLES, directory_catalogue, header_name, item_number
from gongkai.errors import InputError, Text, in_lang
from gongkai.fields.channels import parse_channels
from gongkai.fields.citations import split_citations
from gongkai.fields.marks import audience_from, mark_value, mode_from
from gongkai.fields.metadata import bureau_from_title, origin_of, page_bureau, page_date, parse_list_metadata
from gongkai.fields.missing import missing_items
from gongkai.fields.timelimits import parse_time_limit, unparsed_reason
from gongkai.model import (
    UNNAMED_BUREAU,
    UNNAMED_BUREAU_EN,
    Audience,
    DisclosureItem,
    DisclosureList,
    Mode,
    Organisation,
    SourceRef,
    TimeLimit,
    UnreadRow,
)
from gongkai.tabulate.rows import TIME_LIMIT_UNIT, UNPLACED_MARKS, RawRow, RawTable
from gongkai.text import clean, simplify

T = TypeVar("T")

# Roles the parser turns into model fields; every other role is kept in ``item.extra``.
_MODELLED = {
    "number", "ordinal", "level1", "level2", "level3", "level4", "item", "content", "legal_basis",
    "time_limit", "publisher", "channels", "audience_public", "audience_specific", "audience",
    "mode_active", "mode_request", "mode", "remark",
}

#: the levels of a directory catalogue that are kept as data (``directory_level2`` …) when the
#: item is named in a column of its own: all but the first, which stays the item's category
_DIRECTORY = LEVEL_ROLES[1:4]


def _marked(values: dict[str, str], columns: tuple[tuple[str, T], ...], text_role: str,
            from_text: Callable[[str], list[T]]) -> list[T]:
    """Values ticked in mark columns (√ under 全社会 …), or read from a text column."""
    if any(role in values for role, _ in columns):
        return [value for role, value in columns if mark_value(values.get(role, ""))]
    if values.get(text_role):
        return from_text(values[text_role])
    return []


def _audience(values: dict[str, str]) -> list[Audience]:
    return _marked(values, (("audience_public", "public"), ("audience_specific", "specific-groups")),
                   "audience", audience_from)


def _mode(values: dict[str, str]) -> list[Mode]:
    return _marked(values, (("mode_active", "active"), ("mode_request", "on-request")), "mode", mode_from)


#: a time-limit cell that is a number only: its unit is in the header (公开时限（工作日）)
_BARE_AMOUNT = re.compile(r"\d{1,3}(?:\.0+)?")
#: header notes that name a unit, and how the unit is written after the number
_UNIT_WORDS = {"工作日": "个工作日", "个工作日": "个工作日", "日": "日", "天": "天", "自然日": "日",
               "月": "个月", "个月": "个月"}


def _time_limit(text: str, unit_note: str | None) -> TimeLimit | None:
    """The cell's time limit; a bare number under a header that names the unit
    (公开时限（工作日）: ``20``) is read as that many of the unit, its raw text kept."""
    if not text.strip():
        return None
    unit = _UNIT_WORDS.get(unit_note or "")
    written = clean(text)
    if unit and _BARE_AMOUNT.fullmatch(written):
        tl = parse_time_limit(f"{int(float(written))}{unit}内")
        tl.raw = written
        return tl
    return parse_time_limit(text)


def build_item(row: RawRow, number: int, source_file: str, sheet: str | None = None,
               unit_note: str | None = None) -> DisclosureItem:
    v = row.values
    extra = {r: clean(t) for r, t in v.items() if r not in _MODELLED and clean(t)}
    if directory_catalogue(list(v)) and clean(v.get("item")):
        # the item is named in its 公开事项 column; the directory levels under the first are its
        # place in the catalogue, kept as data
        v = dict(v)
        for r in _DIRECTORY:
            if clean(v.get(r)):
                extra[f"directory_{r}"] = clean(v[r])
            v[r] = ""
        v["level2"] = v["item"]
    level1 = clean(v.get("level1")) or None
    level2 = clean(v.get("level2")) or clean(v.get("item")) or None
    warnings = list(row.warnings)
    if not level2:
        # the deepest name the row has: a third or fourth level under a category whose cell
        # spans the second level too; in lists with a single level of headings, the heading
        level2 = (clean(v.get("level4")) or clean(v.get("level3")) or level1
                  or clean(v.get("content"))[:40])
        if not level2:
            line = row.lines[0] if row.lines else None
            raise InputError(source_file, Text(f"item {number} has no name (二级事项/事项名称 empty)",
                                               f"事项 {number} 没有名称（二级事项/事项名称为空）"),
                             row=line, cell="二级事项", code="cell")
        if "level2" in v:       # the table has the column, this row has nothing in it
            warnings.append(Text(f"item {number}: no level-2 name; used {level2!r}",
                                 f"事项 {number}：没有二级事项名称；用了“{level2}”"))
    basis = clean(v.get("legal_basis")) or None
    channels_raw = v.get("channels", "")
    channels = parse_channels(channels_raw) if channels_raw.strip() else []
    tl_text = v.get("time_limit", "")
    item = DisclosureItem(
        number=number,
        level1=level1,
        level2=level2,
        level3=clean(v.get("level3")) or None,
        level4=clean(v.get("level4")) or None,
        content=clean(v.get("content")) or None,
        legal_basis=basis,
        citations=split_citations(basis) if basis else [],
        time_limit=_time_limit(tl_text, unit_note),
        publisher=clean(v.get("publisher")) or None,
        channels=channels,
        channels_text=clean(channels_raw) or None,
        audience=_audience(v),
        mode=_mode(v),
        remark=clean(v.get("remark")) or None,
        extra=extra,
        source=SourceRef(file=source_file, rows=tuple(row.lines), sheet=sheet),
        warnings=warnings,
    )
    if item.time_limit is not None and not item.time_limit.parsed:
        why = unparsed_reason(item.time_limit)
        item.warnings.append(Text(f"item {number}: {why}", f"事项 {number}：{in_lang(why, 'zh')}"))
    # an audience or mode written in words that name neither value: kept, and said
    for role, values in (("audience", item.audience), ("mode", item.mode)):
        text = clean(v.get(role))
        if text and not values:
            item.extra[role] = text
            column = header_name(role)
            item.warnings.append(Text(f"item {number}: {role} ({column}) not understood: {text!r} (kept as written)",
                                      f"事项 {number}：“{column}”一栏的“{text}”无法理解（按原文保留）"))
    return item


def _number(row: RawRow, fallback: int, source_file: str) -> int:
    text = clean(row.values.get("number"))
    if not text:
        return fallback
    n = item_number(text)
    if n is None:
        line = row.lines[0] if row.lines else None
        raise InputError(source_file, Text(f"item number {text!r} is not a number", f"序号“{text}”不是数字"),
                         row=line, cell="序号", code="cell")
    return n


#: the fields of the app's import form that name what a file leaves out (their labels there)
FORM_BUREAU = ("责任单位", "Bureau")
FORM_DATE = ("填表时间", "List date")

#: how to name a list's bureau, for the messages about a list that names none
_HOW_TO_NAME = ("give it with --bureau NAME (gongkai ingest), in a row of the folder's sources.csv "
                "(gongkai build: file,bureau,parent,date,url,note) or in the import form of the app")
_HOW_TO_NAME_ZH = ("用 --bureau 名称（gongkai ingest）、在文件夹的 sources.csv 中的一行（gongkai build："
                   "file,bureau,parent,date,url,note）或在应用的导入表单中填写")
#: the same, in the app: the import form's field
_HOW_TO_NAME_APP = (f"fill in the import form's “{FORM_BUREAU[1]}” field, then read the file again",
                    f"请在导入表单的“{FORM_BUREAU[0]}”一栏填写机构名称，再重新读取")


def _raw_text(row: RawRow, roles: list[str]) -> str:
    """A raw row's cells in column order, joined with `` | ``: its text as read (no value carried
    down from above, no number given in reading order, no 序号 kept from renumbering)."""
    order = [r for r in (*roles, UNPLACED_MARKS) if r not in row.carried]
    return " | ".join(t for r in order if (t := " ".join(row.values.get(r, "").split())))


#: the roles that name an item, deepest last (``build_item`` takes the first it finds), and
#: those that describe it
_NAMES = ("level2", "item", "level3", "level4")
_DESCRIBING = ("content", "legal_basis", "time_limit", "publisher", "channels")


def _check_not_cut_before_name(row: RawRow, source_file: str) -> None:
    """Refuse the last row of a file cut short before the row's name (``5 | 行政执`` and nothing
    more): read, it would be named by its category."""
    v = row.values
    if (row.cut_off and any(r in v for r in _NAMES[:2])
            and not any(clean(v.get(r)) for r in (*_NAMES, *_DESCRIBING))):
        raise InputError(source_file, Text("the file ends inside this row, before its item name: too little "
                                           "of it is there to read as an item",
                                           "文件在这一行的事项名称之前就结束了：剩下的内容太少，无法读作事项"),
                         row=row.lines[0] if row.lines else None, cell="二级事项", code="cut-off")


def _read_rows(table: RawTable, source_file: str, strict: bool) -> tuple[list[DisclosureItem], list[UnreadRow]]:
    """The items of the table's rows; a row whose number or name cannot be read, or a last row
    cut off before its name, is set aside (``strict``: the first raises :class:`InputError`
    naming its line, and a cut-off row is read with the name it has)."""
    items: list[DisclosureItem] = []
    unread: list[UnreadRow] = []
    for i, row in enumerate(table.rows, 1):
        try:
            if not strict:      # (read, as it always was, under --strict)
                _check_not_cut_before_name(row, source_file)
            items.append(build_item(row, _number(row, i, source_file), source_file,
                                    unit_note=table.meta.get(TIME_LIMIT_UNIT)))
        except InputError as e:
            if strict:
                raise
            reason = e.reason
            if e.cell:
                zh = reason.zh if isinstance(reason, Text) else str(reason)
                reason = Text(f"{reason} (cell {e.cell})", f"{zh}（单元格 {e.cell}）")
            unread.append(UnreadRow(tuple(row.lines), _raw_text(row, table.roles), reason))
    return items, unread


def build_list(table: RawTable, *, source_file: str, sha256: str = "",
               bureau: str | None = None, parent: str | None = None,
               date_override: dt.date | None = None, strict: bool = False) -> DisclosureList:
    """Turn a tabulated table into a DisclosureList.

    ``bureau``/``parent``/``date_override`` come from a side-car description when the file
    itself does not say who published it (web tables often do not). A list that names no
    bureau is read under ``UNNAMED_BUREAU`` (``bureau_named`` False), with a warning saying how
    to name it. A row whose number or name cannot be read is set aside in ``unread``, with the
    table's own unread rows. ``strict``: either raises :class:`InputError` instead.
    """
    meta = parse_list_metadata(table.preamble)
    name = bureau or meta.bureau_name or bureau_from_title(meta.title)
    first_warnings: list[str] = []
    inferred: dict[str, str] = {}        # a fact taken from around the table → where it was read
    if not name and (found := page_bureau(meta, table.meta, origin_of(table.format))):
        name, inferred["bureau"] = found.value, found.source
        first_warnings.append(found.warning())
    named = bool(name)
    if not name:
        if strict:
            what = "cannot tell which bureau published this list: the heading has no 责任单位 and the title names none"
            what_zh = "无法确定这份清单由哪个机构发布：表头没有“责任单位”，标题中也没有机构名称"
            raise InputError(source_file, Text(f"{what}; {_HOW_TO_NAME}", f"{what_zh}；{_HOW_TO_NAME_ZH}",
                                               f"{what}: {_HOW_TO_NAME_APP[0]}", f"{what_zh}：{_HOW_TO_NAME_APP[1]}"),
                             code="no-bureau")
        name = UNNAMED_BUREAU
        what = (f"the list names no bureau (no 责任单位 in its heading, none in its title): read as "
                f"「{UNNAMED_BUREAU}」 ({UNNAMED_BUREAU_EN}), its IRI made from the file's SHA-256")
        what_zh = (f"这份清单没有注明责任单位（表头没有“责任单位”，标题中也没有机构名称）：读作「{UNNAMED_BUREAU}」，"
                   "其 IRI 由文件内容生成")
        first_warnings.append(Text(f"{what}; {_HOW_TO_NAME}", f"{what_zh}；{_HOW_TO_NAME_ZH}",
                                   f"{what}: {_HOW_TO_NAME_APP[0]}", f"{what_zh}：{_HOW_TO_NAME_APP[1]}"))
    items, unread = _read_rows(table, source_file, strict)
    unread = sorted([*table.unread, *unread], key=lambda u: u.lines)
    offered: list[str] = []
    for it in items:
        for ch in it.channels:
            if ch.label not in offered:
                offered.append(ch.label)
    date = date_override or meta.date
    if date is None and (dated := page_date(meta, table.meta, origin_of(table.format))):
        date, fact = dated
        inferred["date"] = fact.source
        first_warnings.append(fact.warning())
    dl = DisclosureList(
        title=meta.title,
        bureau=Organisation(name=clean(name), parent=clean(parent) or None,
                            name_simplified=simplify(clean(name))),
        items=items,
        date=date,
        date_raw=meta.date_raw,
        people=meta.people,
        declared=meta.declared,
        channels_offered=offered,
        source_file=source_file,
        source_sha256=sha256,
        source_format=table.format,
        source_url=table.meta.get("source_url"),
        warnings=first_warnings + list(table.warnings) + [w for it in items for w in it.warnings]
        + [u.warning() for u in unread],
        unread=unread,
        bureau_named=named,
        inferred=inferred,
    )
    dl.warnings.extend(missing_items(dl))
    return dl
