"""The model: plain dataclasses that are the contract between parsing and RDF.

No rdflib here. Every parsed value keeps the raw text it came from, and every item
keeps where it came from (file, rows, columns).

Controlled values (time-limit unit and trigger, audience, mode, person roles) are
short ASCII keys; the mapper turns them into vocabulary IRIs
(``ontology/vocab/*.ttl``), the CSV writer prints them as they are.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Literal

# --- controlled keys -------------------------------------------------------

#: time-limit units. ``annual`` is a fixed date each year (每年1月31日前).
TimeUnit = Literal["working_day", "day", "month", "year", "annual"]

#: what kind of obligation a time limit states.
#: period      — N units after a trigger event (形成或变更之日起20个工作日内)
#: annual      — a fixed date every year (每年1月31日前)
#: immediate   — 实时公开
#: timely      — 及时公开 / 按进展情况及时公开
#: synchronous — published together with something else (与规范性文件同步发布)
#: periodic    — at a frequency (半年至少更新1次, 每季度)
#: permanent   — 永久公开 / 长期公开
#: unparsed    — text present but not understood
TimeLimitKind = Literal[
    "period", "annual", "immediate", "timely", "synchronous", "periodic", "permanent", "unparsed"
]

#: trigger events (ontology/vocab/triggers.ttl)
Trigger = Literal[
    "formed-or-changed",  # 形成或变更之日起
    "formed",             # 形成之日起
    "document-issued",    # 文件印发后
    "fiscal-approval",    # 财政部门批复后
    "approval",           # 批准后 / 审批后
    "obtained",           # 制作或获取之日起 / 制定或获取
    "received",           # 收到 / 受理 / 申请之日
    "decided",            # 作出决定之日起 (licensing, penalties)
    "concluded",          # 办结后 / 抽查结束后 / 名单确定后 / 发放后
]

Audience = Literal["public", "specific-groups"]
Mode = Literal["active", "on-request"]
PersonRole = Literal["filler", "reviewer", "approver"]


# --- provenance ------------------------------------------------------------

@dataclass(frozen=True)
class SourceRef:
    """Where a value came from: the file, its 1-based line or row numbers, and columns."""

    file: str
    rows: tuple[int, ...] = ()
    columns: tuple[int, ...] = ()
    sheet: str | None = None

    def rows_text(self) -> str:
        """``11-14`` for a contiguous run, ``11,14`` otherwise, ``''`` if unknown."""
        if not self.rows:
            return ""
        rs = sorted(set(self.rows))
        if rs == list(range(rs[0], rs[-1] + 1)):
            return str(rs[0]) if len(rs) == 1 else f"{rs[0]}-{rs[-1]}"
        return ",".join(str(r) for r in rs)


#: text that holds bytes a UTF-8 decoder escaped (or any other lone surrogate)
_SURROGATES = re.compile("[\ud800-\udfff]")
#: runs of characters that may belong to one GBK/GB18030-encoded word: a GBK character
#: never has a byte below 0x40 other than its digits, so a space, ``/``, ``.``, ``:``
#: and the like end a run without cutting a character in two
_WORD = re.compile(r"[^\x00-\x2f\x3a-\x3f]+")


def readable_name(name: str) -> str:
    """A file name or path as text that can be shown and written anywhere.

    A name whose bytes are not UTF-8 (a zip made on a Chinese Windows holds GBK names)
    reaches Python as a ``str`` with surrogate escapes, which no UTF-8 file, graph or
    terminal accepts. Each word of it that has them (the text between spaces, ``/``,
    ``.``, ``:`` …) is encoded back to its bytes and decoded as GB18030 (a superset of
    GBK); bytes that are not GB18030 either are kept as ``\\xNN``. Text without surrogate
    escapes is returned unchanged, so this can be applied to any message.

    >>> readable_name("数据/" + "中卫市云计算.txt".encode("gbk").decode("utf-8", "surrogateescape"))
    '数据/中卫市云计算.txt'
    >>> readable_name(b"a\\xff.txt".decode("utf-8", "surrogateescape"))
    'a\\\\xff.txt'
    """
    if not _SURROGATES.search(name):
        return name
    return _WORD.sub(lambda m: _readable_word(m.group()) if _SURROGATES.search(m.group()) else m.group(), name)


def _readable_word(word: str) -> str:
    try:
        data = word.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a lone surrogate that no bytes stand for
        return word.encode("utf-8", "backslashreplace").decode("utf-8")
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        return data.decode("utf-8", "backslashreplace")


# --- field values ----------------------------------------------------------

@dataclass(frozen=True)
class DocNumber:
    """A document number (文号 / 令号).

    ``财预〔2016〕143号`` → issuer_code 财预, year 2016, serial 143, kind ``bracket``;
    ``国务院令第711号`` → issuer_code 国务院令, year None, serial 711, kind ``order``.
    ``text`` is the canonical form (〔〕, half-width digits).
    """

    raw: str
    issuer_code: str
    serial: int
    year: int | None = None
    kind: Literal["bracket", "order"] = "bracket"

    @property
    def text(self) -> str:
        if self.kind == "order":
            return f"{self.issuer_code}第{self.serial}号"
        return f"{self.issuer_code}〔{self.year}〕{self.serial}号"


@dataclass(frozen=True)
class ArticleRef:
    """An article pinpoint: 第二十条第二款 → article 20, paragraph 2."""

    raw: str
    article: int
    paragraph: int | None = None
    item: int | None = None


@dataclass
class Citation:
    """One cited legal source inside a legal-basis cell."""

    raw: str                              # the citation's own text, as written
    title: str | None = None              # normalised title without 《》 (inner 〈〉 kept)
    doc_number: DocNumber | None = None
    articles: list[ArticleRef] = field(default_factory=list)
    quoted_text: str | None = None        # article text quoted after a colon
    # filled by legal resolution (gongkai.legal), None when unresolved
    resolved_id: str | None = None        # registry key of the legal resource (the version)
    work_id: str | None = None            # registry key of its work, also when the version is undetermined
    resolution: str | None = None         # how: "doc-number", "title", "alias", None

    @property
    def label(self) -> str:
        """A short human label: the title in 《》, else the document number, else raw."""
        if self.title:
            return f"《{self.title}》"
        if self.doc_number:
            return self.doc_number.text
        return self.raw


@dataclass
class TimeLimit:
    raw: str                              # as written, spacing artefacts removed
    kind: TimeLimitKind = "unparsed"
    amount: int | None = None
    unit: TimeUnit | None = None
    trigger: Trigger | None = None
    annual_month: int | None = None       # for kind == "annual"
    annual_day: int | None = None
    exception_clause: str | None = None   # 法律、法规对…另有规定的，从其规定
    frequency: str | None = None          # for kind == "periodic", text such as 半年至少更新1次
    parts: list[TimeLimit] = field(default_factory=list)  # two-part limits

    @property
    def parsed(self) -> bool:
        return self.kind != "unparsed"

    @property
    def annual_date(self) -> str | None:
        """``--01-31`` (xsd:gMonthDay lexical form) for annual deadlines."""
        if self.annual_month and self.annual_day:
            return f"--{self.annual_month:02d}-{self.annual_day:02d}"
        return None


@dataclass
class ChannelOption:
    """One channel printed on the form, and whether it is checked for the item."""

    label: str          # normalised label, e.g. 中卫市人民政府门户网站
    checked: bool
    raw: str = ""       # the fragment as written
    note: str | None = None  # text written after the option (精准推送（注明）xxx, 其他 基层公共服务平台)


@dataclass
class Organisation:
    name: str                       # as written, normalised spacing
    parent: str | None = None       # parent government's name, when known
    name_simplified: str | None = None  # simplified-Chinese form used for matching


@dataclass
class Person:
    name: str
    role: PersonRole


@dataclass
class DeclaredCounts:
    """Counts a list declares in its heading (政府信息: 主动公开一级事项 5 项 …)."""

    raw: str
    level1_active: int | None = None
    level2_active: int | None = None
    level2_on_request: int | None = None


# --- items and lists -------------------------------------------------------

#: the bureau of a list that names none (no 责任单位, no title naming it, none given): read
#: under this label, its IRI minted from the file's checksum (``rdf.iris``)
UNNAMED_BUREAU = "未注明责任单位"
UNNAMED_BUREAU_EN = "bureau not named"
#: how much of an unread row's text a warning shows
_UNREAD_SHOWN = 60


@dataclass(frozen=True)
class Correction:
    """A change to a list's rows made by a corrections file, the list's file left as it is
    (see :mod:`gongkai.tabulate.corrections`): the rows on ``lines`` of the file whose SHA-256
    begins with ``sha256`` are replaced by ``cells`` (``action`` ``replace``) or left out
    (``skip``); ``where`` names the correction (``corrections.csv row 3``)."""

    sha256: str
    lines: tuple[int, ...]
    action: Literal["replace", "skip"] | str
    cells: tuple[str, ...]
    note: str
    where: str

    @property
    def lines_text(self) -> str:
        """``row 14``, ``rows 14–16`` (as an unread row's lines are written)."""
        return UnreadRow(self.lines, "", "").lines_text


@dataclass(frozen=True)
class UnreadRow:
    """A row of the table that could not be read, set aside so that the rest of the list is.

    ``lines`` are its 1-based source lines (sheet rows for spreadsheets), ``text`` its cells
    as written, joined with `` | ``, ``reason`` why it was not read: the message a strict
    reading (``--strict``) refuses the whole file with.
    """

    lines: tuple[int, ...]
    text: str
    reason: str

    @property
    def lines_text(self) -> str:
        """``row 14``, ``rows 14–15``, ``rows 14–16, 18`` (``row ?`` when unknown)."""
        rs = sorted(set(self.lines))
        if not rs:
            return "row ?"
        runs: list[list[int]] = []
        for r in rs:
            if runs and r == runs[-1][-1] + 1:
                runs[-1].append(r)
            else:
                runs.append([r])
        text = ", ".join(str(run[0]) if len(run) == 1 else f"{run[0]}–{run[-1]}" for run in runs)
        return f"row {text}" if len(rs) == 1 else f"rows {text}"

    @property
    def shown_text(self) -> str:
        """The text on one line, cut to a length a warning can show."""
        flat = " ".join(self.text.split())
        return flat if len(flat) <= _UNREAD_SHOWN else flat[:_UNREAD_SHOWN - 1] + "…"

    def warning(self) -> str:
        """``rows 14–15 not read: cannot align …: «1 | 机构信息 | …»``."""
        return f"{self.lines_text} not read: {self.reason}: «{self.shown_text}»"


@dataclass
class DisclosureItem:
    number: int
    level2: str                                   # 二级事项 / 事项名称
    level1: str | None = None                     # 一级事项 (carried down)
    level3: str | None = None
    level4: str | None = None
    content: str | None = None                    # 公开内容（要素）
    legal_basis: str | None = None                # the whole legal-basis cell, normalised spacing
    citations: list[Citation] = field(default_factory=list)
    time_limit: TimeLimit | None = None
    publisher: str | None = None                  # 公开主体 as written
    channels: list[ChannelOption] = field(default_factory=list)
    channels_text: str | None = None              # channel cell when it has no check boxes
    audience: list[Audience] = field(default_factory=list)   # usually exactly one
    mode: list[Mode] = field(default_factory=list)           # usually exactly one
    remark: str | None = None                     # 备注
    extra: dict[str, str] = field(default_factory=dict)      # optional columns kept as data
    source: SourceRef = field(default_factory=lambda: SourceRef(file=""))
    warnings: list[str] = field(default_factory=list)

    @property
    def channels_checked(self) -> list[str]:
        return [c.label for c in self.channels if c.checked]


@dataclass
class DisclosureList:
    title: str | None
    bureau: Organisation
    items: list[DisclosureItem]
    date: dt.date | None = None                   # 填表时间 or publication date
    date_raw: str | None = None
    people: list[Person] = field(default_factory=list)
    declared: DeclaredCounts | None = None
    channels_offered: list[str] = field(default_factory=list)  # every option printed on the form
    source_file: str = ""                         # file name as given (no directory)
    source_sha256: str = ""
    source_format: str = ""                       # reader that read it: text-table, xlsx, csv …
    source_url: str | None = None
    warnings: list[str] = field(default_factory=list)
    ingested_at: dt.datetime | None = None
    unread: list[UnreadRow] = field(default_factory=list)   # rows set aside, not items
    corrections: list[Correction] = field(default_factory=list)   # applied from a corrections file
    bureau_named: bool = True     # False: the list names no bureau; ``bureau`` is UNNAMED_BUREAU
    #: facts the table and its heading do not give, taken from around it: fact ("bureau",
    #: "date") → where it was read ("page 发布机构", "page <meta name=PubDate>",
    #: "document properties (modified)")
    inferred: dict[str, str] = field(default_factory=dict)

    @property
    def level1_categories(self) -> list[str]:
        seen: list[str] = []
        for it in self.items:
            if it.level1 and it.level1 not in seen:
                seen.append(it.level1)
        return seen
