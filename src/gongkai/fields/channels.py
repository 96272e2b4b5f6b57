"""Channel cells (公开渠道和载体) → ``ChannelOption`` list.

The standard form prints every channel with a check box and the publisher ticks the ones
used, so a channel cell is a run of (box, label) pairs. What differs between lists is how
the box survived the trip to text:

- HTML inputs from a PDF extraction: ``<input checked="" type="checkbox"/> 政府网站``;
- glyphs, glued to the labels or spaced out: ``■政府网站□两微一端``, ``☑ … ☐ …``;
- OCR stand-ins: ``þ`` and ``▄`` for a ticked box, ``口`` for an empty one;
- symbol-font letters left by an extraction that lost the font: ``R政府网站 £政府公报``
  (Wingdings 2), ``ý`` / ``¨`` (Wingdings), ``t`` (a Wingdings ◆), and ``?`` where a glyph was
  lost (``■政府網站?????? □政府公報``: a blank);
- no boxes at all: numbered options (``1.政府网站 2.两微一端``) or plain text
  (``嵩明政府网站、政务新媒体``). Without boxes, every option written is a channel used.

Labels are cleaned of spacing artefacts (``入户/ 现场`` → ``入户/现场``) and of the pinyin
glosses mirror sites insert (``網(wǎng)站`` → ``網站``); ``raw`` keeps the fragment as written. Text written after
an option that takes a note (``其他 基层公共服务平台``, ``精准推送（注明）…``) goes into ``note``.
"""

from __future__ import annotations

import re

from gongkai.columns import LOST_GLYPH, TICKED_GLYPHS, UNTICKED_GLYPHS, font_boxes
from gongkai.model import ChannelOption
from gongkai.text import clean, strip_pinyin_glosses

# --- tables ------------------------------------------------------------------

#: glyphs that stand for a ticked box (``gongkai.columns.TICKED_GLYPHS``: þ and ▄ are OCR
#: readings of ■). ● and ◆ count too: used as a bullet before every option, they give what a
#: plain list gives (all used).
_CHECKED_GLYPHS = TICKED_GLYPHS
#: glyphs that stand for an empty box. 口 is handled apart: it is also a common character.
_UNCHECKED_GLYPHS = UNTICKED_GLYPHS

#: words ending in 口 (窗口, 出入口) and starting with 口 (口头告知): in such a word 口 is a
#: character, not an OCR-read box.
_WORDS_ENDING_KOU = frozenset("窗出入人港路接端关道门河渡街村巷井隘闸户胸海")
_WORDS_STARTING_KOU = frozenset("头岸径号腔述语碑")

#: options that take a note written after them: 其他 基层公共服务平台, 精准推送（注明）xxx.
_NOTE_OPTION = re.compile(r"^(?P<label>其他(?:[（(]注明[）)])?|[^（()）]*?[（(]注明[）)])[:：]?(?P<note>.+)$")

_INPUT = re.compile(r"<input\b[^>]*>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")
_ENTITY = re.compile(r"&(nbsp|#160|emsp|ensp);", re.IGNORECASE)
_NUMBERED = re.compile(r"(?:^|(?<=\s)|(?<=[;；,，、]))\d{1,2}\s*[.．、](?!\d)")
#: separators between options written as plain text. A slash separates only with blanks
#: around it: without them it joins two words of one label (发布会/听证会, 入户/现场).
_PLAIN_SEP = re.compile(r"[、，,；;\n\r]+|\s+/\s+")
_EDGE = " \t\r\n\u3000、，,；;。.:：/" + LOST_GLYPH


# --- parsing -----------------------------------------------------------------

def parse_channels(text: str | None) -> list[ChannelOption]:
    """The channel options printed in a cell, in order, each with its tick.

    >>> [(o.label, o.checked) for o in parse_channels("■政府网站 □两微一端")]
    [('政府网站', True), ('两微一端', False)]
    """
    if not text or not text.strip():
        return []
    marks = _find_marks(text)
    if marks:
        return _boxed(text, marks)
    body = _strip_markup(text)
    if _NUMBERED.match(body.lstrip()):
        return _numbered(body)
    return _plain(body)


def _find_marks(text: str) -> list[tuple[int, int, bool]]:
    """Every check box in the text: (start, end, checked), in order."""
    found = [(m.start(), m.end(), bool(re.search(r"\bchecked\b", m.group(0), re.IGNORECASE)))
             for m in _INPUT.finditer(text)]
    glyphs = [(i, i + 1, ch in _CHECKED_GLYPHS) for i, ch in enumerate(text)
              if (ch in _CHECKED_GLYPHS or ch in _UNCHECKED_GLYPHS) and not _inside_tag(text, i)]
    found.extend(glyphs)
    found.extend((i, i + 1, ticked) for i, ticked in font_boxes(text) if not _inside_tag(text, i))
    found.sort()
    kou = _ocr_boxes(text, found)
    if kou:
        found = sorted(found + [(i, i + 1, False) for i in kou])
    return found


def _inside_tag(text: str, i: int) -> bool:
    return text.rfind("<", 0, i) > text.rfind(">", 0, i)


def _ocr_boxes(text: str, marks: list[tuple[int, int, bool]]) -> list[int]:
    """Positions of 口 that stand for an empty box.

    口 counts as a box only in a cell that shows the box style elsewhere (another box, or a
    口 at the start of the cell or after a blank), when a label follows it, when it does not
    follow another box, and when it is not part of a word such as 窗口, 出入口 or 口头.
    """
    mark_ends = {end for _, end, _ in marks}
    candidates: list[int] = []
    for i, ch in enumerate(text):
        if ch != "口":
            continue
        nxt = text[i + 1] if i + 1 < len(text) else ""
        prev = text[i - 1] if i > 0 else ""
        if not nxt or nxt.isspace() or nxt in _CHECKED_GLYPHS + _UNCHECKED_GLYPHS + "口<":
            continue
        if i in mark_ends or (prev == "口" and (i - 1) in candidates):
            continue
        if prev in _WORDS_ENDING_KOU or nxt in _WORDS_STARTING_KOU:
            continue
        candidates.append(i)
    if not candidates:
        return []
    styled = bool(marks) or any(i == 0 or text[i - 1].isspace() or text[i - 1] == ">"
                                for i in candidates)
    return candidates if styled else []


def _strip_markup(text: str) -> str:
    return _ENTITY.sub(" ", _TAG.sub(" ", text))


def _boxed(text: str, marks: list[tuple[int, int, bool]]) -> list[ChannelOption]:
    options: list[ChannelOption] = []
    lead = _strip_markup(text[: marks[0][0]]).strip(_EDGE)
    if lead:
        # text before the first box: printed without a box, so nobody ticked it
        options.extend(_option(frag, frag, checked=False) for frag in _split_plain(lead))
    for n, (start, end, checked) in enumerate(marks):
        stop = marks[n + 1][0] if n + 1 < len(marks) else len(text)
        fragment = text[start:stop]
        label_text = _strip_markup(text[end:stop])
        if not clean(label_text).strip(_EDGE):
            continue  # a box with nothing after it
        raw = fragment[: end - start] + _strip_markup(fragment[end - start:])
        options.append(_option(label_text, raw, checked=checked))
    return options


def _numbered(body: str) -> list[ChannelOption]:
    pieces = _NUMBERED.split(body)
    return [_option(p, p, checked=True) for p in pieces if clean(p).strip(_EDGE)]


def _split_plain(body: str) -> list[str]:
    return [p for p in _PLAIN_SEP.split(body) if clean(p).strip(_EDGE)]


def _plain(body: str) -> list[ChannelOption]:
    return [_option(p, p, checked=True) for p in _split_plain(body)]


def _option(label_text: str, raw: str, *, checked: bool) -> ChannelOption:
    label = strip_pinyin_glosses(clean(label_text)).strip(_EDGE)
    note: str | None = None
    m = _NOTE_OPTION.match(label)
    if m:
        label, note = m.group("label"), m.group("note").strip(_EDGE) or None
    return ChannelOption(label=label, checked=checked, raw=clean(raw).strip(" \u3000、，,；;"), note=note)
