"""The lines around a disclosure table → ``ListMetadata``.

Above (and sometimes below) the table, a list names itself and the people behind it:

    中卫市云计算和大数据发展局政务公开清单目录
    责任单位: … 填表人: … 复核人: … 审签人: … 填表时间: 2021.6.16
    政府信息: 主动公开一级事项 5 项, 二级事项 18 项; 依申请公开二级事项 0 项

Pages copied from websites add their own lines (发布日期:2026-03-07, 当前位置:…, 无障碍浏览).
Labels are found by a table of label words followed by a colon (or written in brackets,
``[ 发布机构 ]``), so several ``label: value`` pairs on one line, one per line, full- or
half-width colons and missing blanks all read the same. A value runs to the next label or
the end of the line; a page's label alone on its line (a cell of the page's 信息索引 table)
takes the next line as its value.

What a page says about itself (发布机构, 来源, 作者, 发布日期 …) is kept apart from the list's
heading: :func:`page_bureau` and :func:`page_date` weigh it, with the document's own facts
(a page's ``<meta>`` tags, a file's properties: ``readers.grid.DOCUMENT``), for a list whose
table and heading name no bureau or date, and say where each came from (:class:`Inferred`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal, get_args

from gongkai.errors import Text
from gongkai.model import DeclaredCounts, Person, PersonRole
from gongkai.readers.grid import document_facts
from gongkai.text import clean, cn_number, halfwidth, simplify, strip_pinyin_glosses

Field = Literal["bureau", "filler", "reviewer", "approver", "date", "published", "issuer", "source",
                "author", "other"]

#: label words (simplified) and what their value is. ``issuer`` / ``source`` / ``author``:
#: who a web page says published it (发布机构, 来源, 作者), kept in ``ListMetadata.page``.
#: Labels of other web-page furniture (浏览, 索引号) are listed as ``other`` so that their
#: values end the value before them.
_LABELS: tuple[tuple[str, Field], ...] = (
    ("责任单位", "bureau"), ("填报单位", "bureau"), ("填表单位", "bureau"), ("编制单位", "bureau"),
    ("公开主体", "bureau"), ("责任主体", "bureau"), ("单位名称", "bureau"),
    ("填表人", "filler"), ("填报人", "filler"), ("制表人", "filler"), ("经办人", "filler"),
    ("复核人", "reviewer"), ("审核人", "reviewer"),
    ("审签人", "approver"), ("签发人", "approver"), ("审批人", "approver"), ("批准人", "approver"),
    ("填表时间", "date"), ("填表日期", "date"), ("填报时间", "date"), ("填报日期", "date"),
    ("制表时间", "date"), ("制表日期", "date"),
    ("发布日期", "published"), ("发布时间", "published"), ("发文日期", "published"),
    ("成文日期", "published"), ("生成日期", "published"), ("发表时间", "published"), ("发表日期", "published"),
    ("时间", "published"), ("日期", "published"),
    ("发布机构", "issuer"), ("发文机关", "issuer"), ("发布单位", "issuer"), ("发文单位", "issuer"),
    ("信息来源", "source"), ("文章来源", "source"), ("稿件来源", "source"), ("内容来源", "source"),
    ("来源单位", "source"), ("来源", "source"), ("作者", "author"),
    ("来自", "other"), ("责任编辑", "other"), ("文号", "other"), ("发文字号", "other"),
    ("主题分类", "other"), ("分类", "other"), ("有效性", "other"), ("标题", "other"),
    ("浏览量", "other"), ("浏览次数", "other"), ("浏览", "other"), ("访问量", "other"),
    ("点击数", "other"), ("字号", "other"), ("字体", "other"), ("政府信息", "other"),
    ("信息索取号", "other"), ("索引号", "other"), ("公开方式", "other"), ("公开时限", "other"),
    ("公开范围", "other"), ("有效期", "other"), ("当前位置", "other"),
)
_LABEL_WORDS = "|".join(sorted((re.escape(w) for w, _ in _LABELS), key=len, reverse=True))
_LABEL_RE = re.compile(
    rf"[\[【]\s*(?P<blabel>{_LABEL_WORDS})\s*[\]】]|(?P<label>{_LABEL_WORDS})\s*[:：]"
)
#: a line that is nothing but a page's label (its value is on the next line)
_LONE_LABEL = re.compile(rf"^[\[【]?\s*(?P<label>{_LABEL_WORDS})\s*[\]】:：]?$")
#: the fields a web page's lines give (its 信息索引 table and the line under its title)
_PAGE_FIELDS: frozenset[Field] = frozenset({"published", "issuer", "source", "author"})
_LABEL_FIELD = dict(_LABELS)
#: a heading line that begins with a date (and a time of day), and what follows it
_DATE_LINE = re.compile(r"^\s*(?:19|20)\d\d\s*"
                        r"(?:[.\-/]\s*\d{1,2}\s*[.\-/]\s*\d{1,2}|年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)"
                        r"(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?(?P<rest>\s.*)?$")


def _dated_line(line: str, labelled: bool) -> bool:
    """True for a heading line that is a date alone, or a date (and a time) before the page's
    labelled facts (来源:, 作者:)."""
    m = _DATE_LINE.match(line)
    if m is None:
        return False
    return not (m.group("rest") or "").strip() or labelled
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
    published_label: str | None = None     # the label that gave published_date (simplified)
    page: dict[str, str] = field(default_factory=dict)  # 发布机构 / 来源 / 作者 → value as written


def parse_list_metadata(lines: list[tuple[int, str]]) -> ListMetadata:
    """Read title, bureau, people, dates and declared counts from the lines outside a table.

    ``lines`` are (line number, text) pairs; the number is not used for parsing but lets
    callers pass a reader's preamble as it is. Lines that say nothing known are ignored.
    """
    meta = ListMetadata()
    waiting: str | None = None          # a page's label alone on the line before
    for _, text in lines:
        line = strip_pinyin_glosses(clean(text)).strip(" |")
        if not line or line.startswith("#"):
            continue
        if meta.declared is None:
            meta.declared = _declared_counts(line)
        fields = _labelled_values(line)
        if waiting is not None and not fields:
            _apply(meta, waiting, line)
            waiting = None
            continue
        waiting = _lone_label(line)
        for label, value in fields:
            _apply(meta, label, value)
        if meta.published_date is None and _dated_line(halfwidth(line), bool(fields)):
            # a line that is only a date (2023.07.01, 2023年7月1日 under the title), or a page's
            # line of facts that begins with one (2017-09-20 10:30 来源:某镇 作者:某镇): the list's
            meta.published_date = parse_date(line)
            meta.published_label = "date line" if meta.published_date else None
            if not fields:
                continue
        if meta.title is None and not fields and not _NOISE.search(simplify(line)):
            meta.title = _title(line)
    return meta


def _probe(line: str) -> str:
    """The line in simplified characters when that keeps its length (labels are matched on it)."""
    s = simplify(line)
    return s if len(s) == len(line) else line


def _lone_label(line: str) -> str | None:
    """The label of a line that is only a page's label (发布机构：), whose value is on the next line."""
    m = _LONE_LABEL.match(_probe(line))
    return m.group("label") if m and _LABEL_FIELD[m.group("label")] in _PAGE_FIELDS else None


def _labelled_values(line: str) -> list[tuple[str, str]]:
    """(label, value as written) for every label on the line, in order."""
    matches = list(_LABEL_RE.finditer(_probe(line)))
    out: list[tuple[str, str]] = []
    for n, m in enumerate(matches):
        end = matches[n + 1].start() if n + 1 < len(matches) else len(line)
        value = line[m.end(): end].strip(" |,，;；")
        out.append((m.group("label") or m.group("blabel"), value))
    return out


def _apply(meta: ListMetadata, label: str, value: str) -> None:
    name = _LABEL_FIELD[label]
    if not value:
        return
    if name in ("issuer", "source", "author"):
        meta.page.setdefault(label, value)
    elif name == "bureau" and meta.bureau_name is None:
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
        meta.published_label = label if meta.published_date else None


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


# --- the bureau and the date a page or a document says outside its table ----------------

# Suffixes that turn a list's title into its bureau's name when the heading names no
# 责任单位 (中卫市云计算和大数据发展局政务公开清单目录 → 中卫市云计算和大数据发展局).
_TITLE_SUFFIX = re.compile(
    r"(政府信息主动公开(事项|基本)?目录|政务公开(事项)?(清单)?(标准)?目录|政府信息公开(事项)?目录|"
    r"主动公开(事项)?目录|公开(事项)?(清单|目录))$"
)


def bureau_from_title(title: str | None) -> str | None:
    """The bureau a title names, as written (traditional characters kept).

    >>> bureau_from_title("示例縣民政局政府信息主動公開目錄")
    '示例縣民政局'
    >>> bureau_from_title("鳳屯鎮政府文件信息領域基層政務公開標準目錄") is None
    True
    """
    if not title:
        return None
    t = clean(title)
    s = simplify(t)                 # the suffixes are listed in simplified characters
    m = _TITLE_SUFFIX.search(s)
    if m and m.start() > 0:
        name = t[: m.start()] if len(s) == len(t) else s[: m.start()]
        # a domain standard directory (社会救助领域基层政务公开标准目录) names a field, not a body
        if simplify(name).endswith(("领域", "领域基层", "基层")):
            return None
        return name
    return None


#: how the name of a government body (or of a public enterprise publishing a list) ends,
#: in simplified characters: a name from a page's 来源 or a site's name must end so
BODY_ENDINGS = ("政府", "委员会", "办公室", "办事处", "局", "委", "办", "厅", "院", "所", "中心", "处", "站",
                "队", "部", "署", "室", "会", "司", "馆", "科", "股", "公司", "集团")
#: words that make a name a web site's or a portal's, not a body's (本网, 政府网, 门户网站, 平台)
_NOT_A_BODY = re.compile(r"网|门户|平台|频道|栏目|^本|[A-Za-z_]")
#: how long a body's name can be
_BODY_MAX = 40
#: a page's furniture written after a value without a colon (来源:某局 浏览次数 【字体】)
_FURNITURE = re.compile(r"(?:浏览|点击|访问|阅读|字号|字体|打印|分享|[\[【(（]).*$|[:：\]】)）]+$")
#: what separates a page title's parts (the list's title, the site's name)
_TITLE_PARTS = re.compile(r"\s*[_|｜—–]\s*|\s+-\s+|-(?=[^-]*$)")


def names_a_body(text: str | None) -> bool:
    """True when the text is the name of a body (ends in 局/委/办/政府/中心 …), not a place,
    a portal or a person.

    >>> [names_a_body(t) for t in ("遂溪縣自然資源局", "建德市", "本网", "澄溪县人民政府门户网站", "admin")]
    [True, False, False, False, False]
    """
    if not text:
        return False
    s = simplify(clean(text))
    return 2 <= len(s) <= _BODY_MAX and s.endswith(BODY_ENDINGS) and not _NOT_A_BODY.search(s)


@dataclass(frozen=True)
class Inferred:
    """A fact of a list taken from around its table: its value, and where it was read."""

    fact: Literal["bureau", "date"]
    value: str
    origin: str          # "page", "document", "file": what the words belong to
    label: str           # 发布机构, <meta name=PubDate>, properties (modified), <title>
    weak: bool = False   # a site's name: said to be checked

    @property
    def source(self) -> str:
        """Where it was read, as kept with the list: ``page 发布机构``, ``page <meta name=PubDate>``."""
        return f"{self.origin} {self.label}"

    def warning(self) -> str:
        note = "not named in the table" + ("; the name of the site, check it" if self.weak else "")
        fact = {"bureau": "责任单位", "date": "日期"}[self.fact]
        origin = {"page": "网页", "document": "文档", "file": "文件"}.get(self.origin, self.origin)
        note_zh = "表格中没有注明" + ("；这是网站的名称，请核对" if self.weak else "")
        return Text(f"{self.fact} taken from the {self.origin}'s {self.label}: {self.value} ({note})",
                    f"{fact}取自{origin}的“{self.label}”：{self.value}（{note_zh}）")


def _body(value: str) -> str | None:
    """The body a page's value names: the whole value, else its first word (来源：某局 浏览次数)."""
    for written in (value, *value.split()[:1]):
        candidate = _FURNITURE.sub("", simplify(clean(written)))
        if names_a_body(candidate):
            return clean(written)[:len(candidate)]
    return None


def _labelled(meta: ListMetadata, kind: Field) -> list[tuple[str, str]]:
    """(label, value) of the page's lines of one kind, strongest label first (``_LABELS`` order)."""
    return [(w, meta.page[w]) for w, f in _LABELS if f == kind and w in meta.page]


def page_bureau(meta: ListMetadata, document: Mapping[str, str], origin: str = "page") -> Inferred | None:
    """The bureau a page or a document names outside its table, or None.

    Strongest first: the page's 发布机构 / 发文机关; the title of the page or document
    (``bureau_from_title``); 来源 / 信息来源 and ``<meta name=ContentSource>``; 作者, the
    ``Author`` and the creator; the Office company; last, weak, the site's name (SiteName,
    or the part of a page's title after the list's: 目录_某某局). A value counts only if it
    names a body (``names_a_body``). ``document`` is the grid's meta (``readers.grid.DOCUMENT``).
    """
    facts = document_facts(document)
    candidates: list[tuple[str, str, bool]] = [(v, w, False) for w, v in _labelled(meta, "issuer")]
    title, where = facts.get("title", ("", ""))
    parts = [p for p in _TITLE_PARTS.split(title) if p] if title else []
    candidates += [(b, where, False) for b in map(bureau_from_title, parts[:1]) if b]
    candidates += [(v, w, False) for w, v in _labelled(meta, "source")]
    candidates += [(facts[f][0], facts[f][1], False) for f in ("publisher",) if f in facts]
    candidates += [(v, w, False) for w, v in _labelled(meta, "author")]
    candidates += [(facts[f][0], facts[f][1], False) for f in ("author", "company") if f in facts]
    candidates += [(facts[f][0], facts[f][1], True) for f in ("site",) if f in facts]
    candidates += [(p, where, True) for p in parts[1:]]
    for value, label, weak in candidates:
        body = _body(value)
        if body:
            return Inferred("bureau", body, origin, label, weak)
    return None


def page_date(meta: ListMetadata, document: Mapping[str, str],
              origin: str = "page") -> tuple[dt.date, Inferred] | None:
    """The date a page or a document gives outside its table, or None: the page's 发布日期 /
    成文日期 / 时间 … (the first one written), else the document's publication, last
    modification or creation date (``<meta name=PubDate>``, the file's properties)."""
    if meta.published_date is not None:
        return meta.published_date, Inferred("date", meta.published_date.isoformat(), origin,
                                              meta.published_label or "date")
    facts = document_facts(document)
    for fact in ("published", "modified", "created"):
        if fact in facts:
            day = parse_date(facts[fact][0])
            if day is not None:
                return day, Inferred("date", day.isoformat(), origin, facts[fact][1])
    return None


#: formats whose words outside the table belong to a document (its heading, its properties)
_DOCUMENT_FORMATS = frozenset({"docx", "doc", "xlsx", "xls", "pdf"})


def origin_of(fmt: str) -> str:
    """Whose words a list's surroundings are, by the reader's format: a ``document``'s
    (Word, Excel, PDF), a ``file``'s (CSV), else a web ``page``'s (HTML, MHTML, the text of a page)."""
    return "document" if fmt in _DOCUMENT_FORMATS else "file" if fmt == "csv" else "page"
