"""Text normalisation: pure functions, no knowledge of disclosure lists.

Two levels:
- ``clean`` removes extraction artefacts (spaces inserted inside Chinese words, line
  breaks inside cells, runs of blanks) and keeps the characters as written. This is
  the text stored in the graph.
- ``fold`` is a matching key: ``clean`` + full-width → half-width letters, digits and
  punctuation (NFKC) + all whitespace removed. Used to compare headers, labels and
  citations, never stored.
"""

from __future__ import annotations

import functools
import re
import unicodedata

# CJK ideographs, CJK punctuation, full-width forms, and the check-box glyphs that
# appear glued to labels. A blank between two such characters (or between one and a
# digit) is an extraction artefact: Chinese is written without spaces.
_CJK = (
    "\u2e80-\u2fff"      # radicals
    "\u3000-\u303f"      # CJK symbols and punctuation (、。〔〕《》…)
    "\u3040-\u30ff"      # kana (rare)
    "\u3400-\u4dbf"      # extension A
    "\u4e00-\u9fff"      # unified ideographs
    "\uf900-\ufaff"      # compatibility ideographs
    "\ufe30-\ufe4f"      # compatibility forms (﹝﹞)
    "\uff00-\uffef"      # full-width forms (（），：；)
    "\u2018-\u201f"      # curly quotes “ ” ‘ ’
    "\u2022\u25a0-\u25ff\u2610-\u2612\u221a\u2713\u2714"  # • ■ □ ● ☐ ☑ √ ✓ ✔
    "\u00b7"             # ·
)
_CJK_CLASS = f"[{_CJK}]"
_DIGIT_OR_CJK = f"[{_CJK}0-9]"

_WS = re.compile(r"[ \t\r\n\u00a0\u2002\u2003\u2009\u200b\u3000]+")
_BETWEEN_CJK = re.compile(rf"(?<={_CJK_CLASS})[ \t\r\n\u00a0\u3000]+(?={_DIGIT_OR_CJK})")
_BETWEEN_DIGIT_CJK = re.compile(rf"(?<=[0-9])[ \t\r\n\u00a0\u3000]+(?={_CJK_CLASS})")
# half-width punctuation that is used in Chinese text like full-width: a space after it
# and before a CJK character is an artefact too ("本单位主要职能; 本单位" → no space).
_AFTER_PUNCT = re.compile(rf"(?<=[,;:!?()\[\]/])[ \t\r\n\u00a0\u3000]+(?={_DIGIT_OR_CJK})")
_BEFORE_PUNCT = re.compile(rf"(?<={_CJK_CLASS})[ \t\r\n\u00a0\u3000]+(?=[,;:!?()\[\]/])")


def clean(text: str | None) -> str:
    """Remove the artefacts of extraction and mirror sites — stray whitespace, pinyin glosses
    after characters (``鎮(zhèn)`` → ``鎮``) — and keep the characters as written.

    >>> clean("形成或变 更之日起 20 个工作 日内")
    '形成或变更之日起20个工作日内'
    >>> clean("中卫 市云 计算 和 大 数 据 发 展 局")
    '中卫市云计算和大数据发展局'
    >>> clean("Open Data  portal")
    'Open Data portal'
    >>> clean("鄉(xiāng)鎮(zhèn)簡介 (试行)")
    '鄉鎮簡介(试行)'
    """
    if not text:
        return ""
    t = strip_pinyin_glosses(text.replace("\u200b", ""))
    t = _BETWEEN_CJK.sub("", t)
    t = _BETWEEN_DIGIT_CJK.sub("", t)
    t = _AFTER_PUNCT.sub("", t)
    t = _BEFORE_PUNCT.sub("", t)
    t = _WS.sub(" ", t)
    return t.strip()


def halfwidth(text: str) -> str:
    """Full-width letters, digits and ASCII punctuation to half-width (NFKC), other characters kept.

    Brackets that have no half-width twin (〔〕《》【】) are kept; ``（`` becomes ``(``.
    """
    out = []
    for ch in text:
        o = ord(ch)
        if 0xFF01 <= o <= 0xFF5E:
            out.append(chr(o - 0xFEE0))
        elif ch == "\u3000":
            out.append(" ")
        else:
            out.append(ch)
    return "".join(out)


def fold(text: str | None) -> str:
    """A matching key: cleaned, half-width, compatibility-normalised, without any whitespace.

    >>> fold("公开 时限") == fold("公开时限")
    True
    >>> fold("公开内容（要素）")
    '公开内容(要素)'
    """
    if not text:
        return ""
    t = unicodedata.normalize("NFKC", halfwidth(clean(text)))
    return _WS.sub("", t)


_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_MAX_DIGITS = 4000


def cn_number(text: str) -> int | None:
    """Chinese or Arabic numeral to int: 二十 → 20, 一百零三 → 103, ２０ → 20, 十一 → 11.

    Returns None when the text is not a number.
    """
    t = halfwidth(text.strip())
    if not t:
        return None
    if t.isdigit():
        # isdecimal: ² and ① are digits that int() refuses; past 4,000 digits int() refuses too
        return int(t) if t.isdecimal() and len(t) <= _MAX_DIGITS else None
    if any(ch not in _CN_DIGITS and ch not in _CN_UNITS for ch in t):
        return None
    total, current = 0, 0
    for ch in t:
        if ch in _CN_DIGITS:
            current = _CN_DIGITS[ch]
        else:
            unit = _CN_UNITS[ch]
            total += (current or 1) * unit
            current = 0
    return total + current


@functools.lru_cache(maxsize=1)
def _t2s():
    import opencc  # lazy: OpenCC loads its dictionaries when first used

    return opencc.OpenCC("t2s")


# mirror-site artefacts put the pinyin of a character right after it: 網(wǎng)站, 鎮(zhèn).
_PINYIN_GLOSS = re.compile(r"(?<=[\u4e00-\u9fff])\((?=[a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ])"
                           r"[a-zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜ]+\)")


def strip_pinyin_glosses(text: str) -> str:
    """Remove pinyin glosses inserted after characters by mirror sites: 網(wǎng)站 → 網站.

    Only a parenthesis holding a single toned pinyin syllable right after a Han character
    is removed, so ordinary brackets such as (国务院令第711号) or (试行) are kept.
    """
    return _PINYIN_GLOSS.sub("", text)


def simplify(text: str) -> str:
    """Traditional → simplified Chinese (OpenCC ``t2s``). Used for matching only."""
    return _t2s().convert(text) if text else ""


def key(text: str | None) -> str:
    """The matching key used everywhere labels are compared: fold + simplified Chinese."""
    return simplify(fold(strip_pinyin_glosses(text or "")))
