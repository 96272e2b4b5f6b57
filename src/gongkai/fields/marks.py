"""Marks and short coded cells: check marks, audience and mode.

Lists say "this item is public / actively disclosed" in two ways: a column per option
holding a mark (√ under 全社会), or one text column (公开对象: 全社会). ``mark_value`` reads
the first, ``audience_from`` and ``mode_from`` the second. Pure functions, no I/O.
"""

from __future__ import annotations

import re
from typing import TypeVar

from gongkai.columns import FONT_TICKED, FONT_UNTICKED, LOST_GLYPH, TICKED_GLYPHS, UNTICKED_GLYPHS
from gongkai.model import Audience, Mode
from gongkai.text import key

#: marks meaning "yes", compared after whitespace removal and half-width folding: the ticked
#: glyphs of ``gongkai.columns`` (þ and ▄ are what OCR makes of a filled box), and in a mark
#: column also the symbol-font letters (R, t) that stand for a ticked box
_TRUE_MARKS = frozenset({*TICKED_GLYPHS, *FONT_TICKED, "是", "Y", "y", "对"})
#: marks meaning "no". An empty cell is a "no": in a mark column the option is unmarked.
#: 口 is what OCR makes of an empty box; £ and ¨ are symbol-font boxes, and ? a glyph the
#: extraction lost (a blank)
_FALSE_MARKS = frozenset({"", *UNTICKED_GLYPHS, *FONT_UNTICKED, LOST_GLYPH, "否", "×", "✗", "✘", "○",
                          "N", "n", "口", "-", "/"})

# Phrases that name an audience or a mode, matched on the simplified, folded text.
# Order within each table is the order of the result.
_AUDIENCE_PHRASES: tuple[tuple[Audience, re.Pattern[str]], ...] = (
    ("public", re.compile(r"全社会|社会公众|面向社会|^社会$|^公众$")),
    ("specific-groups", re.compile(r"特定(群体|群众|对象|人群|人员)")),
)
_MODE_PHRASES: tuple[tuple[Mode, re.Pattern[str]], ...] = (
    ("active", re.compile(r"主动")),
    ("on-request", re.compile(r"依申请|申请公开|^申请$")),
)


def mark_value(text: str | None) -> bool | None:
    """Read a mark cell: True (marked), False (empty or explicitly unmarked), None (not a mark).

    None lets the caller tell a mark column from a column that holds text: a cell such as
    ``县级`` or a note is neither yes nor no.

    >>> mark_value(" √ "), mark_value(""), mark_value("□"), mark_value("见附件")
    (True, False, False, None)
    >>> mark_value("R"), mark_value("£"), mark_value("¨"), mark_value("?")
    (True, False, False, False)
    """
    raw = re.sub(r"\s+", "", text) if text else ""
    if raw and set(raw) <= {LOST_GLYPH}:
        return False
    t = re.sub(r"\s+", "", key(text)) if text else ""
    for form in (raw, t):
        if form in _TRUE_MARKS:
            return True
        if form in _FALSE_MARKS:
            return False
    # a mark repeated (√√) or with a stray full stop (√。) is still that mark
    stripped = t.strip("。.,，")
    if stripped and set(stripped) <= _TRUE_MARKS:
        return True
    return None


_V = TypeVar("_V")


def _phrases(text: str | None, table: tuple[tuple[_V, re.Pattern[str]], ...]) -> list[_V]:
    t = key(text)
    return [value for value, pattern in table if pattern.search(t)]


def audience_from(text: str | None) -> list[Audience]:
    """Audiences named in a text cell: ``全社会`` → ['public'], ``特定群众`` → ['specific-groups'].

    Both named → both, in that order; nothing recognised → [].
    """
    return _phrases(text, _AUDIENCE_PHRASES)


def mode_from(text: str | None) -> list[Mode]:
    """Modes named in a text cell: ``主动公开`` → ['active'], ``依申请公开`` → ['on-request'].

    Both named → both, in that order; nothing recognised → [].
    """
    return _phrases(text, _MODE_PHRASES)
