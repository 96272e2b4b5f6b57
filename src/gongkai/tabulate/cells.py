"""What a cell's text looks like (a number, a check mark, a citation, a time limit …), and how well
it fits each column role."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from gongkai.columns import (
    FIVE_PUBLIC_WORDS,
    FONT_TICKED,
    FONT_UNTICKED,
    FORMAT_WORDS,
    LOST_GLYPH,
    font_boxes,
)
from gongkai.readers.grid import Cell
from gongkai.text import fold

CellType = Literal["empty", "number", "ordinal", "mark", "channels", "url", "citation", "time", "text"]


#: glyphs that make a cell a check-box list (þ ý ¨ are symbol-font boxes, ▄ an OCR reading of
#: ■); ● and ◆ are not: they are bullets of content lists as often as ticks
_BOX_CHARS = "■□☐☑☒▣▢þý¨▄"


#: a cell that is nothing but one of these is a mark (ticked or not); þ ▄ 口 are OCR
#: readings of boxes, R £ t symbol-font boxes, ? a glyph lost (a blank), 是 / 否 how some lists
#: answer a mark column in words
_TICKS = frozenset({"√", "✓", "✔", "☑", "●", "◆", "■", "□", "☐", "☒", "þ", "ý", "¨", "▄", "口", "是", "否",
                    *FONT_TICKED, *FONT_UNTICKED})


_CHECKBOX = re.compile(r"<input\b[^>]*checkbox|<ul\b|[" + _BOX_CHARS + "]", re.IGNORECASE)


# 1, 2. or 3、 — and 4.0, as a spreadsheet exported through a float column writes it
_NUMBER = re.compile(r"^\d{1,4}(?:\.0+|[.、．])?$")


_ORDINAL = re.compile(r"^[(（]?[一二三四五六七八九十百零〇]{1,4}[)）]?[、.．]?$")


_URL = re.compile(r"https?://|www\.", re.IGNORECASE)


_CITATION = re.compile(
    r"[《》]|[〔﹝【\[]\s*(?:19|20)\d\d\s*[〕﹞】\]]|令第?\s*\d+\s*号|第[一二三四五六七八九十百零〇\d]+条")


#: wording that marks a time limit (domain vocabulary, not any one list's text)
TIME_CUES: tuple[str, ...] = (
    "工作日", "日内", "日前", "天内", "个月内", "之日起", "实时", "及时", "每年", "每季度", "每月",
    "每半年", "半年", "长期公开", "常态", "定期", "永久", "同步公开", "同步发布", "批复后", "印发后",
)


_TIME = re.compile("|".join(re.escape(c) for c in TIME_CUES) + r"|后\s*\d+\s*(?:个)?(?:工作)?日")


def cell_type(text: str) -> CellType:
    """Classify a cell by its content, for alignment (not for parsing)."""
    f = fold(text)
    if not f:
        return "empty"
    raw = "".join(text.split())
    if f in _TICKS or raw in _TICKS or set(raw) <= {LOST_GLYPH}:
        return "mark"
    if _CHECKBOX.search(text) or font_boxes(text):
        return "channels"
    if _NUMBER.match(f):
        return "number"
    if _ORDINAL.match(f):
        return "ordinal"
    if _URL.search(f):
        return "url"
    if _CITATION.search(f):
        return "citation"
    if _TIME.search(f):
        return "time"
    return "text"


_OPTION_SPLIT = re.compile(r"[\s" + re.escape(_BOX_CHARS + FONT_TICKED + FONT_UNTICKED + LOST_GLYPH)
                           + r"、,，;；/]+")
_OPTION_WORDS = frozenset(FORMAT_WORDS + FIVE_PUBLIC_WORDS)


def is_option_list(text: str, boxed: bool = True) -> bool:
    """True for a check-box list of the options of a 公开格式 or 五公开 column (■文本 □图表,
    □决策 ■服务): boxes before words of ``FORMAT_WORDS`` / ``FIVE_PUBLIC_WORDS`` only, no
    channel. Such a cell is a check-box cell, but not the row's channel cell. ``boxed=False``:
    the words written without boxes count too (文字, 文本、图片).

    >>> is_option_list("■文本 □图表"), is_option_list("□决策\n■服务"), is_option_list("■政府网站")
    (True, True, False)
    >>> is_option_list("文字"), is_option_list("文字", boxed=False)
    (False, True)
    """
    if boxed and cell_type(text) != "channels":
        return False
    words = [w for w in _OPTION_SPLIT.split(fold(text)) if w]
    return bool(words) and all(w in _OPTION_WORDS for w in words)


#: how long a name may be: a longer text in a name column is a description
_NAME_MAX = 25
_ENUMERATION = re.compile(r"[、;；,，]")


def looks_like_description(text: str) -> bool:
    """True for a text that describes rather than names: long (over ``_NAME_MAX``
    characters), or an enumeration of four or more parts (申报材料清单、批准流程、办理时限、…),
    or one ending in 等 (姓名、职务等). Names are short: 政府信息公开指南, 规范性文件征集、备案.

    >>> looks_like_description("申报材料清单、批准流程、办理时限、受理机构联系方式等")
    True
    >>> looks_like_description("规范性文件征集、备案、清理"), looks_like_description("办事指南")
    (False, False)
    """
    f = fold(text)
    parts = len(_ENUMERATION.findall(f))
    return len(f) > _NAME_MAX or parts >= 3 or (parts >= 1 and f.rstrip("。.").endswith(("等", "等信息", "等内容")))


# affinity of a cell type for a role kind; None = impossible (see _affinity for when)
_AFF: dict[str, dict[str, float | None]] = {
    "number":   {"number": 6, "ordinal": 2, "text": -4, "citation": -4, "time": -4, "url": -4,
                 "mark": None, "channels": None},
    "ordinal":  {"ordinal": 5, "number": -2, "text": -4, "citation": -4, "time": -4, "url": -4,
                 "mark": None, "channels": None},
    "text":     {"text": 1, "citation": 0.5, "time": 0.5, "url": 0.5, "number": -3, "ordinal": -2,
                 "mark": None, "channels": None},
    "citation": {"citation": 3, "text": 1, "time": 0.3, "url": 0.3, "number": -3, "ordinal": -2,
                 "mark": None, "channels": None},
    "time":     {"time": 3, "text": 1, "citation": 0, "url": 0, "number": -3, "ordinal": -2,
                 "mark": None, "channels": None},
    "channels": {"channels": 10, "text": 0.5, "url": 0.5, "citation": -1, "time": -1, "number": -3,
                 "ordinal": -3, "mark": None},
    "mark":     {"mark": 4, "text": -4, "citation": -4, "time": -4, "url": -4, "number": -4,
                 "ordinal": -4, "channels": None},
    "url":      {"url": 3, "text": 0.5, "citation": 0, "time": 0, "number": -3, "ordinal": -3,
                 "mark": None, "channels": None},
}


_SOFT_MISFIT = -6.0     # a mark or check-box cell where the layout has no column for it


_PROFILE_MISFIT = -20.0  # an impossible pair when scoring whole columns


_SHIFT_COST = 2.0       # per unit of shift change between neighbouring cells of a row


_PRIOR_COST = 0.5       # per unit of distance from the previous row's shift (first cell)


_RIGHT_BIAS = 0.01      # tie-breaker: prefer later roles (cells right-align to anchors)


_LAYOUT_SHIFT_COST = 1.0


_LAYOUT_SKIP_COL = -1.5


_LAYOUT_SKIP_ROLE = -0.5


def _affinity(ctype: str, kind: str, *, strict_channels: bool, strict_marks: bool) -> float | None:
    a = _AFF[kind].get(ctype)
    if a is not None:
        return a
    # a check-box list outside the channels column, a √ outside a mark column: impossible
    # when the layout has such a column, merely unlikely when it has none
    if ctype == "channels" and not strict_channels:
        return _SOFT_MISFIT
    if ctype == "mark" and not strict_marks:
        return _SOFT_MISFIT
    return None


@dataclass(frozen=True)
class _HeaderCol:
    pos: int
    role: str
    kind: str = "text"


def _nonempty(row: list[Cell]) -> list[Cell]:
    return [c for c in row if not c.empty]
