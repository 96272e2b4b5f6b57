"""The lines around a disclosure table → ``ListMetadata``.

Above (and sometimes below) the table, a list names itself and the people behind it:

    中卫市云计算和大数据发展局政务公开清单目录
    责任单位: … 填表人: … 复核人: … 审签人: … 填表时间: 2021.6.16
    政府信息: 主动公开一级事项 5 项, 二级事项 18 项; 依申请公开二级事项 0 项

Pages copied from websites add their own lines (发布日期:2026-03-07, 当前位置:…, 无障碍浏览).
Labels are found by a table of label words followed by a colon, so several ``label: value``
pairs on one line, one per line, full- or half-width colons and missing blanks all read the
same. A value runs to the next label or the end of the line.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Literal, get_args

from gongkai.model import DeclaredCounts, Person, PersonRole
from gongkai.text import clean, cn_number, halfwidth, simplify, strip_pinyin_glosses

Field = Literal["bureau", "filler", "reviewer", "approver", "date", "published", "other"]

#: label words (simplified) and what their value is. Labels of web-page furniture
#: (来源, 作者, 浏览) are listed as ``other`` so that their values end the value before them.
_LABELS: tuple[tuple[str, Field], ...] = (
    ("责任单位", "bureau"), ("填报单位", "bureau"), ("填表单位", "bureau"), ("编制单位", "bureau"),
    ("公开主体", "bureau"), ("单位名称", "bureau"),
    ("填表人", "filler"), ("填报人", "filler"), ("制表人", "filler"), ("经办人", "filler"),
    ("复核人", "reviewer"), ("审核人", "reviewer"),
    ("审签人", "approver"), ("签发人", "approver"), ("审批人", "approver"), ("批准人", "approver"),
    ("填表时间", "date"), ("填表日期", "date"), ("填报时间", "date"), ("填报日期", "date"),
    ("制表时间", "date"), ("制表日期", "date"),
    ("发布日期", "published"), ("发布时间", "published"), ("发文日期", "published"),
    ("成文日期", "published"), ("时间", "published"), ("日期", "published"),
    ("信息来源", "other"), ("来源", "other"), ("来自", "other"), ("作者", "other"),
    ("浏览量", "other"), ("浏览次数", "other"), ("浏览", "other"), ("访问量", "other"),
    ("点击数", "other"), ("字号", "other"), ("字体", "other"), ("政府信息", "other"),
    ("信息索取号", "other"), ("索引号", "other"), ("公开方式", "other"), ("公开时限", "other"),
    ("公开范围", "other"), ("有效期", "other"), ("当前位置", "other"),
)
_LABEL_RE = re.compile(
    "(?P<label>" + "|".join(sorted((re.escape(w) for w, _ in _LABELS), key=len, reverse=True))
    + r")\s*[:：]"
)
_LABEL_FIELD = dict(_LABELS)
_ROLES: dict[str, PersonRole] = {r: r for r in get_args(PersonRole)}

#: lines that are web-page furniture, never a title.
_NOISE = re.compile(r"无障碍|当前位置|适老化|打印|关闭窗口|分享到|字号|字体|浏览|访问量|首页\s*[>›»]")
#: the words a list's title ends with, longest first; a bracket such as (试行) may follow.
_TITLE_END = re.compile(
    r"(?P<suffix>标准目录|事项目录|清单目录|基本目录|事项清单|目录|清单)(?:[（(][^（()）]{1,12}[）)])?$"
)
#: an enumeration before a title: (二), 二、, 2.
_TITLE_LEAD = re.compile(r"^(?:[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+、|\d+[.、．])\s*")

_CN_DIGIT = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0}
_DATE = re.compile(
    r"(?P<y>\d{4}|[〇零一二三四五六七八九]{4})\s*[年./\-]\s*"
    r"(?P<m>\d{1,2}|[一二三四五六七八九十]{1,2})\s*[月./\-]\s*"
    r"(?P<d>\d{1,2}|[一二三四五六七八九十]{1,3})"
)
_COUNT = r"(\d+|[零〇一二两三四五六七八九十百]+)"


@dataclass
class ListMetadata:
    """What the lines outside a table say about the list."""

    title: str | None = None
    bureau_name: str | None = None
    people: list[Person] = field(default_factory=list)
    date: dt.date | None = None            # 填表时间
    date_raw: str | None = None            # the 填表时间 value as written
    declared: DeclaredCounts | None = None
    published_date: dt.date | None = None  # 发布日期 / 发布时间 / 时间 of a web page


def parse_list_metadata(lines: list[tuple[int, str]]) -> ListMetadata:
    """Read title, bureau, people, dates and declared counts from the lines outside a table.

    ``lines`` are (line number, text) pairs; the number is not used for parsing but lets
    callers pass a reader's preamble as it is. Lines that say nothing known are ignored.
    """
    meta = ListMetadata()
    for _, text in lines:
        line = strip_pinyin_glosses(clean(text)).strip(" |")
        if not line or line.startswith("#"):
            continue
        if meta.declared is None:
            meta.declared = _declared_counts(line)
        fields = _labelled_values(line)
        for name, value in fields:
            _apply(meta, name, value)
        if meta.title is None and not fields and not _NOISE.search(simplify(line)):
            meta.title = _title(line)
    return meta


def _labelled_values(line: str) -> list[tuple[Field, str]]:
    """(field, value as written) for every label on the line, in order."""
    s = simplify(line)
    probe = s if len(s) == len(line) else line
    matches = list(_LABEL_RE.finditer(probe))
    out: list[tuple[Field, str]] = []
    for n, m in enumerate(matches):
        end = matches[n + 1].start() if n + 1 < len(matches) else len(line)
        value = line[m.end(): end].strip(" |,，;；")
        out.append((_LABEL_FIELD[m.group("label")], value))
    return out


def _apply(meta: ListMetadata, name: Field, value: str) -> None:
    if not value:
        return
    if name == "bureau" and meta.bureau_name is None:
        meta.bureau_name = value
    elif name in _ROLES:
        role = _ROLES[name]
        for person in re.split(r"[、，,/;；]+", value):
            if person.strip():
                meta.people.append(Person(name=person.strip(), role=role))
    elif name == "date" and meta.date is None:
        meta.date = parse_date(value)
        meta.date_raw = value
    elif name == "published" and meta.published_date is None:
        meta.published_date = parse_date(value)


def _title(line: str) -> str | None:
    t = _TITLE_LEAD.sub("", line)
    m = _TITLE_END.search(simplify(t))
    if not m or m.start("suffix") < 2 or re.search(r"[:：]", t):
        return None
    return t


def _declared_counts(line: str) -> DeclaredCounts | None:
    """政府信息: 主动公开一级事项 5 项, 二级事项 18 项; 依申请公开二级事项 0 项 → counts."""
    k = halfwidth(simplify(line)).replace(" ", "")
    if not re.search(rf"[一二]级事项{_COUNT}项", k):
        return None
    split = k.find("依申请")
    active, on_request = (k, "") if split < 0 else (k[:split], k[split:])

    def count(part: str, level: str) -> int | None:
        m = re.search(rf"{level}级事项(?:共|计)?{_COUNT}项", part)
        return cn_number(m.group(1)) if m else None

    return DeclaredCounts(raw=line, level1_active=count(active, "一"),
                          level2_active=count(active, "二"),
                          level2_on_request=count(on_request, "二") if on_request else None)


def parse_date(text: str | None) -> dt.date | None:
    """The first date in the text: 2021.6.16, 2021年6月16日, 2021-06-16, 2021/6/16, 二〇二一年六月十六日."""
    if not text:
        return None
    m = _DATE.search(halfwidth(text))
    if not m:
        return None
    y = m.group("y")
    year = int(y) if y.isdigit() else int("".join(str(_CN_DIGIT[c]) for c in y))
    month, day = cn_number(m.group("m")), cn_number(m.group("d"))
    if month is None or day is None:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None
