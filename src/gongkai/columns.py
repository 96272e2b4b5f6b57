"""Column roles of a disclosure table and the header texts that name them.

Publishers name the same column in many ways (序号 / 序 号 / 序號, 公开主体 / 责任主体 /
责任单位 …), and some headers are *parents* whose sub-headers in the next header row are
the real columns (公开对象 → 全社会 + 特定群体). Everything the tabulator knows about
header wording lives in the two tables below, so supporting a new wording is one more
string in a tuple, not another branch in the code.

Matching uses :func:`header_key`: ``text.fold`` (spaces and widths ignored) after
traditional → simplified conversion and removal of the pinyin that mirror sites insert
after characters (``公開內(nèi)容``), because the same tables circulate in all these forms.

Each role also has a *kind*: what its cells are expected to hold. The tabulator uses it
to align cells to columns by content when a PDF extraction has shifted them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal, TypeVar

from gongkai.text import fold

T = TypeVar("T")

#: what a column's cells hold:
#: number   — the item's number (1, 2, 3 …)
#: ordinal  — a category ordinal (一、二、三 …)
#: text     — free text (names, content, publisher, remarks)
#: citation — legal bases (《…》, document numbers, articles)
#: time     — time limits (…之日起20个工作日内)
#: channels — check-box lists (■/□, <input type="checkbox">): of channels, or of the options of
#:            a 公开格式 / 五公开 column (■文本 □图表, □决策 ■服务)
#: mark     — a tick column (√ or empty)
#: url      — a web address or a site column
Kind = Literal["number", "ordinal", "text", "citation", "time", "channels", "mark", "url"]


@dataclass(frozen=True)
class ColumnRole:
    """One column role: its id, the header texts that name it, and what its cells hold."""

    role: str
    synonyms: tuple[str, ...]
    kind: Kind
    description: str
    #: texts that name the role only in a sub-header row, under a parent header (一级栏目
    #: under 公开类别及事项): alone in a top row they name no column of a disclosure table
    #: (a web site's column catalogue 一级栏目 | 二级栏目 … is no list)
    sub_synonyms: tuple[str, ...] = ()


@dataclass(frozen=True)
class ParentHeader:
    """A header that may own sub-headers in the next header row.

    ``children`` are the roles its sub-headers may take. Without sub-headers the
    column is one column of role ``alone[0]``; when ``alone`` lists several roles the
    tabulator picks by the column's content (公开方式 holds either channels or modes).
    """

    key: str
    synonyms: tuple[str, ...]
    children: tuple[str, ...]
    alone: tuple[str, ...]


ROLES: tuple[ColumnRole, ...] = (
    ColumnRole("number", ("序号", "编号", "序列"), "number",
               "the item's number"),
    ColumnRole("ordinal", (), "ordinal",
               "the category ordinal (一、二…) when the 序号 column holds it and the item "
               "number sits in a column of its own; assigned by content, never by header"),
    ColumnRole("category", ("分类", "所属分类", "领域分类"), "text",
               "a category above the item's levels (分类 | 一级目录 …, 类别 | 一级事项 | 二级事项): "
               "kept as data, never taken for the first level"),
    ColumnRole("level1", ("一级事项", "一级", "一级目录", "一级分类", "类别", "信息类别", "事项类别"),
               "text", "first-level item (category)", ("一级栏目",)),
    ColumnRole("level2", ("二级事项", "二级", "二级目录", "二级分类", "事项名称"), "text",
               "second-level item", ("二级栏目",)),
    ColumnRole("level3", ("三级事项", "三级", "三级目录", "三级分类"), "text", "third-level item",
               ("三级栏目",)),
    ColumnRole("level4", ("四级事项", "四级", "四级目录", "四级分类"), "text", "fourth-level item",
               ("四级栏目",)),
    ColumnRole("level5", ("五级事项", "五级", "五级目录", "五级分类"), "text",
               "fifth-level item of a directory catalogue (kept as data)", ("五级栏目",)),
    ColumnRole("level6", ("六级事项", "六级", "六级目录", "六级分类"), "text",
               "sixth-level item of a directory catalogue (kept as data)", ("六级栏目",)),
    ColumnRole("item", ("信息名称", "公开项目", "业务事项"), "text",
               "the item as a single column when the list has no levels"),
    ColumnRole("content", ("公开内容(要素)", "公开内容", "内容描述", "公开内容要素", "主要内容",
                           "内容标准", "内容要求", "内容规范", "事项内容", "公开内容标准", "公开内容要求",
                           "公开内容规范", "公开标准", "具体内容", "内容"),
               "text", "what is disclosed"),
    ColumnRole("legal_basis", ("公开依据", "依据", "法律依据", "政策依据", "公开依据名称"), "citation",
               "legal sources the obligation rests on"),
    ColumnRole("article_text", ("条款内容", "依据条款", "具体条款"), "citation",
               "the quoted provisions of the legal basis"),
    ColumnRole("legal_force", ("依据效力",), "text", "status of the legal basis"),
    ColumnRole("time_limit", ("公开时限", "时限", "公开时间", "更新时限", "公开时效", "时限要求"), "time",
               "when the information must be published"),
    ColumnRole("duration", ("公开时长", "公开期限", "保留时限"), "text",
               "how long it stays published"),
    ColumnRole("publisher", ("公开主体", "责任主体", "公开责任", "责任单位", "公开责任主体", "责任部门",
                             "公开部门"), "text", "who must publish it"),
    ColumnRole("channels", ("公开渠道和载体", "公开渠道", "公开载体", "公开渠道及载体", "公开途径",
                            "公开渠道与载体", "发布渠道", "公开平台"),
               "channels", "where it is published"),
    ColumnRole("audience_public", ("全社会", "社会", "不特定群体"), "mark",
               "√ when disclosed to the whole public"),
    ColumnRole("audience_specific", ("特定群体", "特定群众", "特定对象"), "mark",
               "√ when disclosed to specific groups"),
    ColumnRole("audience", (), "text",
               "audience as text (公开对象 / 公开范围 without sub-headers)"),
    ColumnRole("mode_active", ("主动", "主动公开"), "mark", "√ when published proactively"),
    ColumnRole("mode_request", ("依申请", "依申请公开", "申请"), "mark", "√ when disclosed on request"),
    ColumnRole("mode", ("公开属性",), "text",
               "mode as text (公开方式 holding 主动公开 / 依申请公开)"),
    ColumnRole("level_province", ("省级",), "mark", "√ when the province publishes"),
    ColumnRole("level_city", ("市级", "州级", "地级", "盟级", "市州级", "地市级", "市(州)级", "设区市级"),
               "mark", "√ when the city (prefecture) publishes"),
    ColumnRole("level_county", ("县级", "区县级", "县区级", "区级", "县(区)级", "县(市、区)级", "县(市)级",
                                "县市区级", "旗级", "县(市、区、旗)级"),
               "mark", "√ when the county publishes"),
    ColumnRole("level_township", ("乡级", "镇级", "乡镇级", "乡镇", "街道级", "镇(街)级", "镇(街道)级",
                                  "乡(镇)级", "乡镇(街道)级", "乡(镇、街道)级", "镇街级", "镇街乡", "街道",
                                  "苏木级", "乡(镇)"),
               "mark", "√ when the township publishes"),
    ColumnRole("level_village", ("村级", "村(社区)级", "村居级", "村", "社区级", "村(居)级", "村(社区)",
                                 "嘎查级", "村社区级"), "mark",
               "√ when the village publishes"),
    ColumnRole("level_township_village", ("乡、村级", "乡村级", "镇、村级", "乡镇、村级", "乡(镇)、村级",
                                          "镇村级", "镇(街)、村(社区)级", "乡、村", "镇、村"), "mark",
               "√ when the township and the village publish (one column for both)"),
    ColumnRole("tier", (), "text", "administrative tier as text (公开层级 without sub-headers)"),
    ColumnRole("format", ("公开格式", "信息格式", "公开形态"), "channels",
               "the form of the information (■文本 □图表 □音频 □视频, or 文字)"),
    ColumnRole("five_publics", ("五公开", "五公开属性", "五公开类别", "五公开类型"), "channels",
               "which of the five publics (决策、执行、管理、服务、结果公开) the item belongs to"),
    ColumnRole("site_column", ("网站所属栏目", "政府网站", "所属栏目", "网站栏目"), "url",
               "the web-site column (often a URL)"),
    ColumnRole("url", ("公开链接", "链接", "网址", "链接地址"), "url", "link to the published page"),
    ColumnRole("department", ("责任科室", "责任股室", "承办科室", "责任处室"), "text",
               "the unit inside the publisher"),
    ColumnRole("remark", ("备注", "说明"), "text", "remarks"),
)

PARENTS: tuple[ParentHeader, ...] = (
    ParentHeader("item", ("公开事项", "事项", "公开事项名称", "公开类别及事项", "政府信息公开类别及事项",
                          "信息公开类别及事项", "类别及事项"),
                 ("level1", "level2", "level3", "level4", "level5", "level6"), ("item",)),
    ParentHeader("audience", ("公开对象", "公开范围"), ("audience_public", "audience_specific"),
                 ("audience",)),
    ParentHeader("mode", ("公开方式", "公开方式及渠道", "公开方式和渠道", "公开渠道和方式", "公开方式及载体"),
                 ("mode_active", "mode_request"), ("mode", "channels")),
    # 公开形式 names the channels (政府网站常规公开), the form of the information (文字) or,
    # now and then, the mode: told apart by the column's content
    ParentHeader("form", ("公开形式",), ("mode_active", "mode_request"), ("channels", "format", "mode")),
    ParentHeader("tier", ("公开层级",),
                 ("level_province", "level_city", "level_county", "level_township", "level_village",
                  "level_township_village"),
                 ("tier",)),
)

#: how a text 公开方式 column says its mode (主动公开, 依申请公开, 不予公开 …); a
#: 公开方式 column whose cells start like this holds modes, otherwise channels
MODE_WORDS: tuple[str, ...] = ("主动", "依申请", "申请公开", "不予公开", "部分公开")

#: roles that make a header row recognisable as the header of a disclosure table
CORE_ROLES: frozenset[str] = frozenset(
    {"content", "legal_basis", "time_limit", "level1", "level2", "item", "publisher", "channels"})
CORE_PARENTS: frozenset[str] = frozenset({"item"})

#: item levels from the top down; all but the deepest one present are carried down. A
#: directory catalogue (一级目录 … 六级目录) may use six; the model keeps the first four as
#: fields and the others as data
LEVEL_ROLES: tuple[str, ...] = ("level1", "level2", "level3", "level4", "level5", "level6")

def directory_catalogue(roles: list[str] | set[str] | tuple[str, ...]) -> bool:
    """Whether a table with these column roles is a directory catalogue: its items named in a
    column of their own (公开事项 alone: ``item``) beside two or more directory levels (一级目录 …
    六级目录), which are then the item's place in the catalogue, not its name, and which most
    rows leave empty below the first (分类 | 一级目录 … 四级目录 | 公开事项 | 事项内容)."""
    return "item" in roles and sum(1 for r in LEVEL_ROLES if r in roles) >= 2


#: the order columns of a disclosure table come in (the national standard's, with the
#: columns some lists add): where a header cell names no column of its own (公开 | 公开
#: between 公开依据 and 公开渠道和载体), the column it stands for is the one missing there
STANDARD_ORDER: tuple[str, ...] = (
    "number", "category", *LEVEL_ROLES, "item", "content", "legal_basis", "article_text", "time_limit",
    "publisher", "channels", "audience_public", "audience_specific", "audience", "mode_active",
    "mode_request", "mode", "level_province", "level_city", "level_county", "level_township",
    "level_village", "level_township_village", "tier", "format", "five_publics",
)

#: header texts too short to name a column by themselves: 公开 (时限 or 主体 lost, or in the
#: next header row) stands for a column named 公开…
AMBIGUOUS_HEADERS: frozenset[str] = frozenset({"公开"})

# --- check marks ----------------------------------------------------------------------
# How a tick survives the trip to text. Lists tick a column (√ under 全社会) or a box before
# an option (■政府网站 □政府公报); word processors draw the boxes with symbol fonts, and an
# extraction that loses the font keeps the font's letter: Wingdings þ (☑), ý (☒), ¨ (□),
# Wingdings 2 R (☑), £ (□), Wingdings t (◆); OCR reads ■ as ▄ and □ as 口. Letters such as
# R, t and £ are ordinary text elsewhere: they count as marks only where a mark is expected
# (a cell of a mark column, or before each option of a check-box list).

#: glyphs that mean "ticked" wherever they stand. ● and ◆ are bullets that some lists put
#: before every option they use: read as ticked, they give what a plain list gives.
TICKED_GLYPHS = "√✓✔☑☒✅■▣▄▇█◼●◉◆þý"
#: glyphs that mean "not ticked" wherever they stand (口 is also a character: see channels)
UNTICKED_GLYPHS = "□☐◻▢○◯¨"
#: letters of symbol fonts that mean a box only in a mark position: ticked, not ticked
FONT_TICKED = "Rt"
FONT_UNTICKED = "£"
#: a character that stands for a glyph lost in extraction (a symbol font's blank): in a mark
#: position a blank, not a tick
LOST_GLYPH = "?"

# a symbol-font letter standing for a box: before an option's first character, at the start of
# the text or after a blank, a character or a bracket
_FONT_BOX = re.compile(rf"(?:(?<=^)|(?<=[\s\u3000\u4e00-\u9fff)）?]))[{FONT_TICKED}{FONT_UNTICKED}]"
                       r"(?=\s?[\u4e00-\u9fff])")
_GLYPH_BOX = re.compile(f"[{re.escape(TICKED_GLYPHS + UNTICKED_GLYPHS)}]")


def font_boxes(text: str) -> list[tuple[int, bool]]:
    """Where symbol-font letters stand for boxes in a check-box list, as (position, ticked):
    R政府网站 £政府公报 £两微一端. A letter counts only before an option (a Chinese character
    follows it) and only in a list that shows the style twice, or beside glyph boxes, so that
    R and t in ordinary text stay letters.

    >>> font_boxes("R政府网站 £政府公报"), font_boxes("R政府网站"), font_boxes("Internet政务")
    ([(0, True), (6, False)], [], [])
    """
    found = [(m.start(), m.group() in FONT_TICKED) for m in _FONT_BOX.finditer(text)]
    if len(found) >= 2 or (found and _GLYPH_BOX.search(text)):
        return found
    return []


#: what a 公开格式 / 五公开 column offers (domain vocabulary): a check-box list made of these
#: words only is no channel list
FORMAT_WORDS: tuple[str, ...] = ("文本", "文字", "图表", "图片", "图文", "表格", "音频", "视频", "音视频",
                                 "数据", "文件", "其他")
FIVE_PUBLIC_WORDS: tuple[str, ...] = ("决策", "执行", "管理", "服务", "结果", "决策公开", "执行公开",
                                      "管理公开", "服务公开", "结果公开")

#: roles whose value names an item: a row with one of them starts a new item
IDENTITY_ROLES: frozenset[str] = frozenset({"number", *LEVEL_ROLES, "item"})

_BY_ROLE = {r.role: r for r in ROLES}

# pinyin a mirror site put after a character: 內(nèi) → 內
_PINYIN = re.compile(r"\((?:[a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*)\)")


@lru_cache(maxsize=1)
def _t2s():
    import opencc  # lazy: OpenCC loads its dictionaries when first used

    return opencc.OpenCC("t2s")


@lru_cache(maxsize=4096)
def header_key(text: str) -> str:
    """The matching key of a header text: simplified, pinyin removed, ``text.fold``-ed.

    >>> header_key("公開內(nèi)容 (要素)")
    '公开内容(要素)'
    >>> header_key("全社 会")
    '全社会'
    """
    t = fold(text)
    if not t:
        return ""
    t = _PINYIN.sub("", t)
    return fold(_t2s().convert(t))


def _index() -> tuple[dict[str, str], dict[str, ParentHeader]]:
    roles: dict[str, str] = {}
    for r in ROLES:
        for s in r.synonyms:
            roles.setdefault(header_key(s), r.role)
    parents = {header_key(s): p for p in PARENTS for s in p.synonyms}
    return roles, parents


@lru_cache(maxsize=1)
def _indexes() -> tuple[dict[str, str], dict[str, ParentHeader]]:
    return _index()


@lru_cache(maxsize=1)
def _sub_index() -> dict[str, str]:
    """Texts naming a role in a sub-header row only (``ColumnRole.sub_synonyms``)."""
    return {header_key(s): r.role for r in ROLES for s in r.sub_synonyms}


# a note in brackets after a header: 公开时限（工作日）, 公开依据（文件名称及文号）
_NOTE_AFTER = re.compile(r"^(.+?)\(([^()]*)\)$")


def _note_split(key: str) -> tuple[str, str] | None:
    """(header, note) of a header key ending in a bracketed note, else None."""
    m = _NOTE_AFTER.match(key)
    return (m.group(1), m.group(2).strip()) if m else None


def _lookup(index: dict[str, T], text: str, notes: bool) -> T | None:
    """``index``'s entry for the header text; else (``notes``) for the text without a
    bracketed note at its end (a synonym that has one itself, 公开内容(要素), is found as
    written first), or for the one synonym it differs from in a single character
    (``misread``)."""
    key = header_key(text)
    found = index.get(key)
    if found is None and notes and (split := _note_split(key)):
        found = index.get(split[0])
    if found is None and notes and (near := misread(text)) is not None:
        found = index.get(near)
    if found is None and notes and (whole := cut_short(text)) is not None:
        found = index.get(whole)
    return found


def header_note(text: str) -> str | None:
    """The bracketed note after a header that is known only without it (公开时限（工作日） →
    ``工作日``); None for a header known as written, or not known.

    >>> header_note("公开时限（工作日）"), header_note("公开内容（要素）"), header_note("公开时限")
    ('工作日', None, None)
    """
    key = header_key(text)
    roles, parents = _indexes()
    split = _note_split(key)
    if key in roles or key in parents or not split or (split[0] not in roles and split[0] not in parents):
        return None
    return split[1] or None


#: shortest header that may be read with one character misread (三级 and 全社会 may not)
MISREAD_MIN_LENGTH = 4


@lru_cache(maxsize=4096)
def misread(text: str) -> str | None:
    """The known header a text is when one of its characters was misread (OCR: 公开内窖 for
    公开内容, 公开主休 for 公开主体): the only synonym (or parent header) of the same length,
    at least ``MISREAD_MIN_LENGTH`` characters, that differs from it in one place, not the
    first (被动公开 is no misread 主动公开). None when the text is a header as written, or
    near none, or near two that name different columns (公开时隈: 公开时限 or 公开时长?).

    >>> misread("公开渠道和载休"), misread("公开内容"), misread("办理流程")
    ('公开渠道和载体', None, None)
    """
    key = header_key(text)
    roles, parents = _indexes()
    if len(key) < MISREAD_MIN_LENGTH or key in roles or key in parents:
        return None
    near = {k for k in (*roles, *parents) if len(k) == len(key) and k[0] == key[0]
            and sum(a != b for a, b in zip(k, key, strict=True)) == 1}
    named = {roles.get(k) or f"parent:{parents[k].key}" for k in near}
    return near.pop() if len(near) == 1 or (near and len(named) == 1) else None


#: shortest header text that may be read as the one known header it begins (公开对 → 公开对象)
CUT_SHORT_MIN_LENGTH = 3
#: the most characters a header cut short may have lost
CUT_SHORT_MAX_LOST = 2


@lru_cache(maxsize=4096)
def cut_short(text: str) -> str | None:
    """The known header a text is the beginning of, when its last characters were lost (a
    narrow header cell cut in the extraction: 公开对 for 公开对象, 公开层 for 公开层级): the
    headers it begins, at least ``CUT_SHORT_MIN_LENGTH`` characters long and missing at most
    ``CUT_SHORT_MAX_LOST``, must all name the same column. None when the text is a header as
    written, or begins none, or begins headers of different columns (公开: 公开时限 or
    公开主体?).

    >>> cut_short("公开对"), cut_short("公开方"), cut_short("公开"), cut_short("公开内容")
    ('公开对象', '公开方式', None, None)
    """
    key = header_key(text)
    roles, parents = _indexes()
    if len(key) < CUT_SHORT_MIN_LENGTH or key in roles or key in parents:
        return None
    whole = sorted(k for k in (*roles, *parents)
                   if k.startswith(key) and 0 < len(k) - len(key) <= CUT_SHORT_MAX_LOST)
    named = {roles.get(k) or f"parent:{parents[k].key}" for k in whole}
    return min(whole, key=len) if len(named) == 1 else None


def sub_role_for_header(text: str) -> str | None:
    """The role a text names in a sub-header row: as :func:`role_for_header`, and also the
    texts that name a column only under a parent header (一级栏目 → level1).

    >>> sub_role_for_header("一级栏目"), role_for_header("一级栏目")
    ('level1', None)
    """
    return role_for_header(text) or _sub_index().get(header_key(text))


@lru_cache(maxsize=512)
def tier_role(text: str) -> str | None:
    """The tier a sub-header under 公开层级 names when a place name comes before the tier word
    (东阳市级 → ``level_city``, 某某县级 → ``level_county``): the longest tier synonym it ends
    with. None for any other text (县级政府 ends with no tier word).

    >>> tier_role("示例市级"), tier_role("县级政府")
    ('level_city', None)
    """
    key = header_key(text)
    tiers = [(header_key(s), r.role) for r in ROLES if r.role.startswith("level_") for s in r.synonyms]
    ends = [(len(k), role) for k, role in tiers if len(k) >= 2 and key.endswith(k)]
    return max(ends)[1] if ends else None


def joined_header(first: str, second: str) -> str | None:
    """The role or parent key two halves of a header make when joined (公开 + 时限 →
    ``time_limit``, a header split over two lines or two header rows), or None. The halves
    must make the header as written (no note dropped, no character guessed).

    >>> joined_header("公开", "时限"), joined_header("公开", "主體"), joined_header("公开", "全社会")
    ('time_limit', 'publisher', None)
    """
    both = f"{first.strip()}{second.strip()}"
    role = role_for_header(both, notes=False)
    if role is not None:
        return role
    parent = parent_for_header(both, notes=False)
    return f"parent:{parent.key}" if parent is not None else None


def named_by_prefix(role: str, text: str) -> bool:
    """True when a header naming ``role`` begins with the text (公开 → 公开时限: time_limit)."""
    key = header_key(text)
    r = _BY_ROLE.get(role)
    return r is not None and any(header_key(s).startswith(key) for s in r.synonyms)


def is_ambiguous_header(text: str) -> bool:
    """True for a header cell too short to name a column (公开): see ``AMBIGUOUS_HEADERS``."""
    return header_key(text) in AMBIGUOUS_HEADERS


# an item number as a 序号 cell writes it: 3, 3. or 3、 — and 3.0, as a spreadsheet
# exported through a float column writes it
_ITEM_NUMBER = re.compile(r"(\d+)(?:\.0+|[.、．])?")


def item_number(text: str) -> int | None:
    """The number a 序号 cell holds, or None.

    >>> item_number("3、"), item_number("4.0"), item_number("一")
    (3, 4, None)
    """
    m = _ITEM_NUMBER.fullmatch(text.strip())
    return int(m.group(1)) if m else None


def role_for_header(text: str, notes: bool = True) -> str | None:
    """The role a header text names, or None. Parent headers are not roles: see :func:`parent_for_header`.
    ``notes=False``: only as written, not without a bracketed note at its end.

    >>> role_for_header("公开时限（工作日）")
    'time_limit'
    """
    return _lookup(_indexes()[0], text, notes)


def parent_for_header(text: str, notes: bool = True) -> ParentHeader | None:
    """The parent header a text names (公开事项, 公开对象, 公开方式, 公开层级), or None."""
    return _lookup(_indexes()[1], text, notes)


def is_header_text(text: str) -> bool:
    """True when the text names a role or a parent header."""
    return role_for_header(text) is not None or parent_for_header(text) is not None


def kind_of(role: str) -> Kind:
    """The kind of a role's cells; unknown roles (columns without a known header) are text."""
    r = _BY_ROLE.get(role)
    return r.kind if r else "text"


def known_roles() -> list[str]:
    """All role ids, in table order."""
    return [r.role for r in ROLES]


def header_name(role: str) -> str:
    """The header a column of ``role`` is best known by, for messages (依申请 for ``mode_request``,
    公开对象 for ``audience``; a column of unknown header by its own text)."""
    if role.startswith("other:"):
        return role.removeprefix("other:")
    base = re.sub(r"_\d+$", "", role)
    r = _BY_ROLE.get(base)
    if r is not None and r.synonyms:
        return r.synonyms[0]
    parent = next((p for p in PARENTS if base in p.alone or base == p.key), None)
    return parent.synonyms[0] if parent is not None else role
