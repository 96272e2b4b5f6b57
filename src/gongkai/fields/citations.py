"""Legal-basis cells (公开依据) → ``Citation`` list.

A legal-basis cell lists the documents an item relies on, written by hand with little
discipline. Real cells show: titles in 《》 (with inner 〈〉 or <>), several titles run
together (``》《``), separators ；;，,、 or bullets ● or numbering ``1.`` ``2《``, a document
number after a title in any bracket (〔〕 ﹝﹞ [] () 【】 ［］, and malformed mixes such as
``(民发〔2018)23号〕``), an order number (``国务院令第711号``), an article pinpoint followed by
the quoted provision after a colon, parenthetical history notes (``(2010年…修正)``), titles
without 《》, and enumerations sharing one tail (``国家、自治区、中卫市2021年政务公开工作要点``).

The cell is read in two passes:

1. ``_segments`` walks the text once, tracking 《》 and bracket depth, and cuts it at
   separators that stand outside every bracket and outside a quoted provision. Pieces that
   cannot stand alone (a document number, an article, a bracket) are glued back to the
   piece before them.
2. ``_citation`` reads one piece: title, document number, articles, quoted text.

Decisions (documented because other readings were possible):

- ``Citation.raw`` is the citation's own text, cleaned of spacing artefacts (and of the
  pinyin glosses mirror sites insert, ``國務(wù)院``), without the bullet, numbering or
  separator around it. For a shared-tail enumeration every citation keeps the whole phrase
  as its raw text (``国家、自治区、中卫市2021年政务公开工作要点``): the fragment ``国家`` alone is
  not what the list wrote.
- A title written around a 《》 (``民政部关于印发《特困人员认定办法》的通知``) is one citation of
  the outer document; its title is written as if it stood in 《》, with the inner 《》 as 〈〉:
  ``民政部关于印发〈特困人员认定办法〉的通知``. That is how such titles are cited elsewhere.
- Inner ``<…>`` in a title becomes ``〈…〉``; everything else in the title is kept as written
  (traditional characters included: matching against the registry folds them).
- Articles are recorded as written: ``第二十条第二款`` is paragraph 2 even where the cited
  article actually enumerates items; reinterpreting is the legal resolver's business.
- An order number's issuer is normalised (``国令`` and ``中华人民共和国国务院令`` →
  ``国务院令``; traditional characters → simplified), the raw form stays in ``DocNumber.raw``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from gongkai.model import ArticleRef, Citation, DocNumber
from gongkai.text import clean, cn_number, halfwidth, simplify, strip_pinyin_glosses

# --- character classes and tables ---------------------------------------------

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_OPEN = "(（〔﹝[【［{｛"
_CLOSE = ")）〕﹞]】］}｝"
_BULLETS = "●•▪◆◇★☆※►▶"
#: characters after which a digit starts a new numbered citation (…》2.《, …号)3《).
_ENDERS = "》" + _CLOSE + "号號"
_SEPARATORS = "，,、"
_SPACE = " \t\r\n\u3000"
#: cells that mean "no legal basis given".
_NOTHING = frozenset({"无", "暂无", "/", "-", "—", "--", "——", "无依据", "空"})
#: words joining two titles: 《A》和《B》.
_CONNECTOR = re.compile(r"》\s*(和|及|以及|与|并)\s*$")
#: words that introduce a citation and are not part of it: 依据《…》.
_LEAD_WORDS = re.compile(r"^(根据|依据|依照|按照|参照|参见|详见|见|以及|和|及|与|并)[:：]?")
#: the last words of a document's title; a piece ending so is a title on its own.
_DOC_TYPE_END = re.compile(
    r"(法|条例|规定|办法|意见|通知|决定|方案|规划|要点|细则|标准|指引|规程|制度|纲要|计划|目录|"
    r"指南|规则|准则|通告|公告|批复|函|令|法典)$"
)
#: bracket notes that belong to no title: adoption and amendment history.
_HISTORY_NOTE = re.compile(r"通过|修正|修订|施行|颁布|公布|发布|会议")
#: numbering before a citation: 1. 1、 1) (1), or digits glued to a title (2《…》).
_NUMBERING_HEAD = re.compile(
    rf"^[{_SPACE}]*(?:\d{{1,2}}[{_SPACE}]*[.．、)）](?!\d)|[(（]\d{{1,2}}[)）]|\d{{1,2}}(?=[{_SPACE}]*《))"
)
_NUMBERING_MID = re.compile(rf"\d{{1,2}}[{_SPACE}]*[.．、]?[{_SPACE}]*(?=《)")
_ARTICLE_HEAD = re.compile(r"^第[\d零〇一二两三四五六七八九十百千]+[条條]")

_CN = r"[\d零〇一二两三四五六七八九十百千]+"
_ARTICLE = re.compile(
    rf"第(?P<a>{_CN})[条條](?:之[一二三四五六七八九十]+)?"
    rf"(?:第(?P<p>{_CN})款)?"
    rf"(?:第?[（(](?P<i>{_CN})[）)][项項]?|第(?P<i2>{_CN})[项項])?"
)
_DOC_BRACKET = re.compile(
    rf"(?P<code>[{_HAN}]{{1,30}})[{_SPACE}]*[〔﹝\[【［(（{{｛][{_SPACE}]*(?P<year>(?:19|20)\d\d)[{_SPACE}]*"
    rf"[〕﹞\]】］)）}}｝]?[{_SPACE}]*第?[{_SPACE}]*(?P<serial>\d+)[{_SPACE}]*[号號]"
)
_DOC_ORDER = re.compile(
    rf"(?P<code>[{_HAN}]{{0,30}}令)[{_SPACE}]*第?[{_SPACE}]*(?P<serial>\d+|[零〇一二两三四五六七八九十百千]+)[{_SPACE}]*[号號]"
)
#: issuer codes of orders written in more than one way.
_ORDER_ALIASES = {"国令": "国务院令"}
# the state's name before an order's issuer, and whatever precedes it in the run of Han
# characters (the 日 of a date: 2019年4月3日中华人民共和国国务院令第711号)
_STATE_PREFIX = re.compile(r"^.*?(中华人民共和国|中華人民共和國)")
#: a history note that names amendments: its last document number is the version in force
_AMENDED = re.compile(r"修订|修正|修改|修訂")


# --- public functions ----------------------------------------------------------

def split_citations(text: str | None) -> list[Citation]:
    """Split a legal-basis cell into its citations, in the order written.

    >>> [c.label for c in split_citations("《预算法》；《预算法实施条例（2020年）》")]
    ['《预算法》', '《预算法实施条例（2020年）》']
    """
    t = strip_pinyin_glosses(clean(text))
    if not t or t in _NOTHING:
        return []
    # a piece without a single letter (")))", "1.2.3.") is debris, not a citation
    pieces = [p for p in _glue(_segments(t), t) if re.search(rf"[{_HAN}A-Za-z]", p[1])]
    out: list[Citation] = []
    for group in _enumerations(pieces):
        out.extend(group)
    return out


def parse_doc_number(text: str | None, *, last: bool = False) -> DocNumber | None:
    """The first document number (文号 ``财预〔2016〕143号`` or 令号 ``国务院令第711号``) in the
    text, or with ``last`` the last one (a history note names the latest amendment last:
    ``国务院令第492号公布，国务院令第711号修订``)."""
    if not text:
        return None
    t = clean(text)
    h = halfwidth(t)   # same length as t, so spans found in h cut the raw text out of t
    found: list[tuple[int, DocNumber]] = []
    for m in _DOC_BRACKET.finditer(h):
        code = _issuer_code(m.group("code"))
        if code:
            found.append((m.start("code") + len(m.group("code")) - len(code), DocNumber(
                raw=t[m.end("code") - len(code): m.end()], issuer_code=_canonical_code(code),
                serial=int(halfwidth(m.group("serial"))), year=int(halfwidth(m.group("year"))),
                kind="bracket")))
            if not last:
                break
    for m in _DOC_ORDER.finditer(h):
        code = _issuer_code(m.group("code"), order=True)
        serial = cn_number(m.group("serial"))
        if code and code != "令" and serial:
            start = m.end("code") - len(code)
            found.append((start, DocNumber(raw=t[start: m.end()], issuer_code=_canonical_code(code),
                                           serial=serial, kind="order")))
            if not last:
                break
    if not found:
        return None
    return (max if last else min)(found, key=lambda f: f[0])[1]


def find_articles(text: str | None) -> list[ArticleRef]:
    """Every article pinpoint in the text: ``第二十条第二款`` → ArticleRef(article=20, paragraph=2)."""
    if not text:
        return []
    out: list[ArticleRef] = []
    for m in _ARTICLE.finditer(clean(text)):
        article = cn_number(m.group("a"))
        if not article:
            continue
        item_text = m.group("i") or m.group("i2")
        out.append(ArticleRef(
            raw=m.group(0), article=article,
            paragraph=cn_number(m.group("p")) if m.group("p") else None,
            item=cn_number(item_text) if item_text else None,
        ))
    return out


# --- doc-number helpers --------------------------------------------------------

def _issuer_code(run: str, *, order: bool = False) -> str:
    """The issuer code at the end of a run of Han characters before a document number.

    A run that starts at a title's end (…的通知国办发〔2017〕47号) holds more than the code: cut
    it after the last word that ends a title. Codes are short (财预, 宁政办规发, 国务院令).
    """
    code = run
    if order:
        code = _STATE_PREFIX.sub("", code) or code
    limit = 10 if order else 8
    if len(code) > limit:
        cut = None
        for m in re.finditer(r"的通知|的意见|的决定|的批复|办法|规定|条例|方案|细则|规划|要点|标准|指引|规程", code):
            cut = m.end()
        code = code[cut:] if cut is not None else code[-limit:]
        if order:
            code = _STATE_PREFIX.sub("", code) or code
    return code


def _canonical_code(code: str) -> str:
    c = simplify(code)
    return _ORDER_ALIASES.get(c, c)


# --- pass 1: segments ------------------------------------------------------------

@dataclass
class _Piece:
    start: int
    end: int
    sep: str          # the separator written before this piece ('' at the start)

    def text(self, t: str) -> str:
        return t[self.start: self.end]


def _starts_citation(t: str, j: int) -> bool:
    """Whether a new citation starts at ``t[j]`` (after blanks): 《, a bullet, or numbering."""
    while j < len(t) and t[j] in _SPACE:
        j += 1
    if j >= len(t):
        return False
    return t[j] == "《" or t[j] in _BULLETS or bool(_NUMBERING_HEAD.match(t, j))


def _head_is_citation(head: str) -> bool:
    """Whether the text before a colon names something a provision can be quoted from."""
    return bool(re.search(r"》|[条條款项項][）)]?$|[号號][)）〕\]]?$|[条條]第", head))


def _segments(t: str) -> list[_Piece]:
    pieces: list[_Piece] = []
    start, sep = 0, ""
    title_depth = bracket_depth = 0
    in_quote = False

    def cut(end: int, next_start: int, next_sep: str) -> None:
        nonlocal start, sep, in_quote
        if t[start:end].strip(_SPACE):
            pieces.append(_Piece(start, end, sep))
        start, sep, in_quote = next_start, next_sep, False

    i = 0
    while i < len(t):
        c = t[i]
        if title_depth:
            if c == "《":
                title_depth += 1
            elif c == "》":
                title_depth -= 1
            i += 1
            continue
        if c in _BULLETS:
            bracket_depth = 0
            cut(i, i + 1, c)
            i += 1
            continue
        if c == "《" and bracket_depth == 0 and not in_quote:
            head = t[start:i]
            conn = _CONNECTOR.search(head)
            if conn:
                cut(start + conn.start() + 1, i, conn.group(1))
            elif "》" in head and head.rstrip(_SPACE)[-1:] in _ENDERS:
                cut(i, i, "")
            title_depth = 1
            i += 1
            continue
        if c in _OPEN:
            bracket_depth += 1
        elif c in _CLOSE:
            bracket_depth = max(0, bracket_depth - 1)
        elif bracket_depth:
            pass
        elif in_quote:
            if c in "。；;" and _starts_citation(t, i + 1):
                cut(i + 1, i + 1, c)
        elif c in "；;":
            cut(i, i + 1, c)
        elif c == "。":
            cut(i + 1, i + 1, c)
        elif c in ":：" and _head_is_citation(t[start:i]):
            in_quote = True
        elif c in _SEPARATORS:
            cut(i, i + 1, c)
        elif c.isdigit() and t[start:i].strip(_SPACE) and t[start:i].rstrip(_SPACE)[-1] in _ENDERS:
            m = _NUMBERING_MID.match(t, i)
            if m:
                cut(i, m.end(), "")
                i = m.end()
                continue
        i += 1
    cut(len(t), len(t), "")
    trimmed = [_trim(p, t) for p in pieces]
    return [p for p in trimmed if p.end > p.start]


def _trim(p: _Piece, t: str) -> _Piece:
    """Drop blanks, bullets, numbering and separators around a piece."""
    s, e = p.start, p.end
    while True:
        while s < e and (t[s] in _SPACE or t[s] in _BULLETS or t[s] in _SEPARATORS + "；;"):
            s += 1
        m = _NUMBERING_HEAD.match(t[s:e])
        if m and m.end() > 0:
            s += m.end()
            continue
        break
    while e > s and (t[e - 1] in _SPACE or t[e - 1] in _SEPARATORS + "；;"):
        e -= 1
    return _Piece(s, e, p.sep)


def _is_dependent(text: str) -> bool:
    """A piece that cannot stand alone and belongs to the citation before it."""
    if _ARTICLE_HEAD.match(text) or text[:1] in _OPEN:
        return True
    dn = parse_doc_number(text)
    return dn is not None and "《" not in text and text.startswith(dn.raw) and not \
        text[len(dn.raw):].strip(_CLOSE + _SPACE + "。")


def _glue(pieces: list[_Piece], t: str) -> list[tuple[_Piece, str]]:
    """Attach dependent pieces to the piece before them; returns (piece, text)."""
    out: list[_Piece] = []
    for p in pieces:
        if out and _is_dependent(p.text(t)):
            out[-1] = _Piece(out[-1].start, p.end, out[-1].sep)
        else:
            out.append(p)
    return [(p, p.text(t)) for p in out]


# --- shared-tail enumerations ------------------------------------------------------

def _is_bare(text: str) -> bool:
    return "《" not in text and parse_doc_number(text) is None and not _ARTICLE.search(text)


def _enumerations(pieces: list[tuple[_Piece, str]]) -> list[list[Citation]]:
    """Read every piece; runs such as 国家、自治区、中卫市2021年工作要点 become one citation each."""
    groups: list[list[Citation]] = []
    i = 0
    while i < len(pieces):
        j = i + 1
        if _is_bare(pieces[i][1]):
            while j < len(pieces) and pieces[j][0].sep == "、" and _is_bare(pieces[j][1]):
                j += 1
        run = [text for _, text in pieces[i:j]]
        if len(run) >= 2 and all(len(x) <= 8 and not _DOC_TYPE_END.search(x) for x in run[:-1]):
            groups.append(_shared_tail(run))
            i = j
            continue
        groups.append([_citation(pieces[i][1])])
        i += 1
    return groups


_ADMIN_HEAD = re.compile(rf"^([{_HAN}]{{0,7}}?(?:国家|中央|自治区|省|市|县|区|州|盟|旗|镇|乡|村|部|厅|局|委))")


def _shared_tail(run: list[str]) -> list[Citation]:
    """国家、自治区、中卫市2021年政务公开工作要点 → one citation per head, tail shared."""
    phrase = "、".join(run)
    last = run[-1]
    digit = re.search(r"\d", last)
    head = last[: digit.start()] if digit else ""
    if not head:
        m = _ADMIN_HEAD.match(last)
        head = m.group(1) if m else ""
    tail = last[len(head):]
    if not head or len(head) > 8 or len(tail) < 2:
        return [Citation(raw=phrase, title=phrase)]
    return [Citation(raw=phrase, title=h + tail) for h in [*run[:-1], head]]


# --- pass 2: one citation -------------------------------------------------------------

def _citation(text: str) -> Citation:
    title_at = _top_level_index(text, "《")
    if title_at is None:
        return _bare_citation(text)
    close = _matching_close(text, title_at)
    inner = text[title_at + 1: close]
    prefix = _LEAD_WORDS.sub("", text[:title_at].strip(_SPACE + _BULLETS))
    rest = text[close + 1:] if close < len(text) else ""
    if prefix:
        # 民政部关于印发《特困人员认定办法》的通知（…）: the outer document is cited
        suffix_end = _first_of(rest, _OPEN + ":：", _ARTICLE)
        suffix = rest[:suffix_end]
        dn = parse_doc_number(suffix)
        if dn is not None:
            suffix_end = suffix.find(dn.raw)
            suffix = rest[:suffix_end]
        title = prefix + "〈" + _inner_title(inner) + "〉" + suffix.strip(_SPACE)
        rest = rest[suffix_end:]
    else:
        title = _inner_title(inner)
    head, quote = _split_quote(rest, after_title=True)
    dn = parse_doc_number(head, last=bool(_AMENDED.search(head)))
    if dn is None:
        title, dn = _number_inside_title(title)
    articles = find_articles(_outside_brackets(head))
    if quote:
        articles += _quoted_articles(quote)
    return Citation(raw=text, title=title or None, doc_number=dn, articles=articles,
                    quoted_text=quote)


def _bare_citation(text: str) -> Citation:
    """A citation without 《》: 中华人民共和国政府信息公开条例, 国务院令第711号."""
    head, quote = _split_quote(text, after_title=False)
    dn = parse_doc_number(head, last=bool(_AMENDED.search(head)))
    title = head
    # drop bracket groups holding the number or a history note; (试行) stays
    for a, b in reversed(_bracket_groups(title)):
        group = title[a:b]
        if _HISTORY_NOTE.search(group) or parse_doc_number(group) is not None:
            title = title[:a] + title[b:]
    if dn is not None and dn.raw in title:
        title = title[: title.find(dn.raw)]
    art = _ARTICLE.search(title)
    if art:
        title = title[: art.start()]
    title = _LEAD_WORDS.sub("", title.strip(_SPACE + _SEPARATORS).rstrip(_OPEN).lstrip(_CLOSE))
    articles = find_articles(_outside_brackets(head))
    if quote:
        articles += _quoted_articles(quote)
    return Citation(raw=text, title=_angle(title) or None, doc_number=dn, articles=articles,
                    quoted_text=quote)


def _top_level_index(text: str, ch: str) -> int | None:
    depth = 0
    for i, c in enumerate(text):
        if c in _OPEN:
            depth += 1
        elif c in _CLOSE:
            depth = max(0, depth - 1)
        elif c == ch and depth == 0:
            return i
    return None


def _matching_close(text: str, at: int) -> int:
    """Index of the 》 closing the 《 at ``at`` (len(text) when the title is cut off)."""
    depth = 0
    for i in range(at, len(text)):
        if text[i] == "《":
            depth += 1
        elif text[i] == "》":
            depth -= 1
            if depth == 0:
                return i
    return len(text)


def _first_of(text: str, chars: str, pattern: re.Pattern[str]) -> int:
    positions = [i for i, c in enumerate(text) if c in chars][:1]
    m = pattern.search(text)
    if m:
        positions.append(m.start())
    return min(positions) if positions else len(text)


def _split_quote(rest: str, *, after_title: bool) -> tuple[str, str | None]:
    """Split at the first top-level colon: (pinpoint, quoted provision).

    After a title any colon opens a quote (《预算法》第十四条：…); in a citation without 《》 only
    a colon after an article or a number does (``依据：`` is not a quote).
    """
    depth = 0
    for i, c in enumerate(rest):
        if c in _OPEN:
            depth += 1
        elif c in _CLOSE:
            depth = max(0, depth - 1)
        elif c in ":：" and depth == 0 and (after_title or _head_is_citation(rest[:i])):
            return rest[:i], rest[i + 1:].strip(_SPACE) or None
    return rest, None


def _bracket_groups(text: str) -> list[tuple[int, int]]:
    """Spans of the top-level bracket groups, any bracket kind (malformed mixes balance)."""
    spans: list[tuple[int, int]] = []
    depth, begin = 0, 0
    for i, c in enumerate(text):
        if c in _OPEN:
            if depth == 0:
                begin = i
            depth += 1
        elif c in _CLOSE and depth:
            depth -= 1
            if depth == 0:
                spans.append((begin, i + 1))
    if depth:
        spans.append((begin, len(text)))
    return spans


def _outside_brackets(text: str) -> str:
    """The text with bracket groups blanked, so notes and numbers in them are not read as
    articles. A group that is an item number (第二十条第（七）项) is kept."""
    out = text
    for a, b in reversed(_bracket_groups(text)):
        if _ITEM_GROUP.fullmatch(text[a:b]):
            continue
        out = out[:a] + " " * (b - a) + out[b:]
    return out


_ITEM_GROUP = re.compile(rf"[（(]{_CN}[）)]")


def _quoted_articles(quote: str) -> list[ArticleRef]:
    """Articles that open the quote or a further provision in it: 《预算法》：第十四条 …;
    …公开招聘。第十二条：招聘公告…"""
    out: list[ArticleRef] = []
    for m in re.finditer(rf"(?:^|[。；;])\s*({_ARTICLE.pattern})", quote):
        out.extend(find_articles(m.group(1)))
    return out


def _angle(title: str) -> str:
    """Inner <…> and ＜…＞ in a title written as 〈…〉."""
    return re.sub(r"[<＜]([^<>＜＞]*)[>＞]", r"〈\1〉", title)


def _inner_title(inner: str) -> str:
    """A title as written between 《》: inner <> and 《》 become 〈〉."""
    t = _angle(inner.strip(_SPACE))
    return re.sub(r"《([^《》]*)》", r"〈\1〉", t)


def _number_inside_title(title: str) -> tuple[str, DocNumber | None]:
    """《…的意见（中办发〔2016〕8号）》: a number in brackets closing the title is taken out."""
    groups = _bracket_groups(title)
    if groups and groups[-1][1] == len(title):
        a, b = groups[-1]
        dn = parse_doc_number(title[a:b])
        if dn is not None:
            return title[:a].rstrip(_SPACE), dn
    return title, None
