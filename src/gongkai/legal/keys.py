"""Keys that make two writings of one legal source meet: a title without its marks, brackets,
spaces and traditional characters; a document number (文号) in one bracket style."""

from __future__ import annotations

import re
from functools import lru_cache

from gongkai.model import DocNumber
from gongkai.text import cn_number, fold

#: national laws and regulations carry this prefix officially; lists often drop it.
NATIONAL_PREFIX = "中华人民共和国"


#: short issuer codes of order numbers as lists write them → the official code.
_ORDER_CODE_ALIASES = {"国令": "国务院令"}


_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@lru_cache(maxsize=1)
def _t2s():  # opencc builds its dictionaries on construction: do it once, lazily
    import opencc  # lazy: OpenCC loads its dictionaries when first used

    return opencc.OpenCC("t2s")


# Mirror sites put toned pinyin after a character: 國務(wù)院, 鎮(zhèn). No title or
# document number contains lower-case Latin in brackets, so dropping it is safe.
_PINYIN_ARTEFACT = re.compile(r"(?<=[\u3400-\u9fff])\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ]{1,7}\)")


_TITLE_MARKS = re.compile(r"[《》〈〉<>「」『』“”\"'‘’、]")


_DASHES = re.compile(r"[‐‑‒–—―−﹘﹣－~〜～]+")


_LEADING_MARKS = re.compile(r"^(?:[●•·▪◆◇■□○◎]|\d{1,2}[.、)])+")


_TRAILING_PUNCT = re.compile(r"[,，;；。.、:：]+$")


def _base_key(text: str) -> str:
    t = fold(text)
    t = _PINYIN_ARTEFACT.sub("", t)
    return _t2s().convert(t)


def title_key(text: str | None) -> str:
    """The key two titles are compared on: equal keys name the same document.

    Traditional characters become simplified, full-width forms half-width, spaces go,
    《》〈〉<> and quotation marks are dropped (lists place inner brackets differently:
    〈地方预决算公开操作规程的通知〉 and 〈地方预决算公开操作规程〉的通知 are one title), so is
    、 (民政部、财政部关于 for 民政部 财政部关于; an extraction artefact 固体废 、物),
    dash variants become ``-``, and a leading bullet or item number is removed.

    >>> title_key("《中華人民共和國政府信息公開條例》") == title_key("中华人民共和国政府信息公开条例")
    True
    """
    if not text:
        return ""
    t = _base_key(text)
    t = _LEADING_MARKS.sub("", t)
    t = _TITLE_MARKS.sub("", t)
    t = _DASHES.sub("-", t)
    return _TRAILING_PUNCT.sub("", t)


def title_keys(title: str) -> tuple[str, ...]:
    """The keys a registry title is found under: itself and, for a national title, the
    title without 中华人民共和国 (lists write 《政府信息公开条例》).

    The prefix is optional in one direction only: a citation that *adds* the prefix to
    a title that never had it (《中华人民共和国法律援助条例》) names no real document.
    """
    key = title_key(title)
    if key.startswith(NATIONAL_PREFIX) and len(key) > len(NATIONAL_PREFIX):
        return (key, key[len(NATIONAL_PREFIX):])
    return (key,)


_BRACKET_NUMBER = re.compile(
    r"(?P<code>[^\d\[\](){}〔〕【】]+?)[\[({〔【](?P<year>\d{4})[\])}〔〕【】]?(?P<serial>\d+)号?[\])}〕】]*"
)


_ORDER_NUMBER = re.compile(
    r"(?P<code>[^\d\[\](){}〔〕【】]+?令)(?:\d{4}年)?第?(?P<serial>[0-9零〇一二两三四五六七八九十百千]+)号"
)


_STANDARD_NUMBER = re.compile(
    r"(?P<code>GB|DB\d{0,2}|[A-Z]{2})(?P<t>/?[TZ])?(?P<num>\d+(?:\.\d+)*)-(?P<year>\d{4})"
)


def _order_code(code: str) -> str:
    if code.startswith(NATIONAL_PREFIX) and len(code) > len(NATIONAL_PREFIX):
        code = code[len(NATIONAL_PREFIX):]
    return _ORDER_CODE_ALIASES.get(code, code)


def parse_doc_number_text(text: str | None) -> DocNumber | None:
    """A 文号 or 令号 written in the registry (or anywhere) → DocNumber, None if it is not one.

    ``国发﹝2015﹞2号`` → 国发/2015/2; ``中华人民共和国国务院令第711号`` and ``国令第711号``
    → 国务院令/711; ``司法部令2017年第138号`` → 司法部令/138; ``主席令第十六号`` → 主席令/16.
    Standards (GB/T 32939-2016) are not document numbers of this kind: None.
    """
    if not text or not text.strip():
        return None
    s = _base_key(text)
    m = _ORDER_NUMBER.fullmatch(s)
    if m:
        serial = cn_number(m["serial"])
        if serial is None:
            return None
        return DocNumber(raw=text, issuer_code=_order_code(m["code"]), serial=serial, kind="order")
    m = _BRACKET_NUMBER.fullmatch(s)
    if m:
        code = m["code"]
        if code.startswith(NATIONAL_PREFIX) and len(code) > len(NATIONAL_PREFIX):
            code = code[len(NATIONAL_PREFIX):]
        return DocNumber(raw=text, issuer_code=code, serial=int(m["serial"]),
                         year=int(m["year"]), kind="bracket")
    return None


def _standard_key(s: str) -> str | None:
    m = _STANDARD_NUMBER.fullmatch(_DASHES.sub("-", s.upper()))
    if not m:
        return None
    t = m["t"] or ""
    if t and not t.startswith("/"):
        t = "/" + t
    return f"{m['code']}{t} {m['num']}-{m['year']}"


def doc_number_key(value: DocNumber | str | None) -> str:
    """The key two document numbers are compared on (``''`` for nothing).

    A DocNumber is taken in its canonical ``text`` form, then order codes are unified
    (国令 → 国务院令, the 中华人民共和国 prefix dropped). A string is parsed first; a
    standard number is normalised (``GB T 32939—2016`` → ``GB/T 32939-2016``); anything
    else is compared folded, as written.
    """
    if value is None:
        return ""
    if isinstance(value, DocNumber):
        if value.kind == "order":
            return f"{_order_code(_base_key(value.issuer_code))}第{value.serial}号"
        if value.year is not None:
            code = _base_key(value.issuer_code)
            if code.startswith(NATIONAL_PREFIX) and len(code) > len(NATIONAL_PREFIX):
                code = code[len(NATIONAL_PREFIX):]
            return f"{code}〔{value.year}〕{value.serial}号"
        value = value.raw
    parsed = parse_doc_number_text(value)
    if parsed is not None:
        return doc_number_key(parsed)
    s = _base_key(value)
    return _standard_key(s) or s
