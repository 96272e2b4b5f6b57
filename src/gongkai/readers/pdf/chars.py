"""Characters and text lines of a PDF page, and a cell's text from its characters.

A character is where the PDF puts a glyph (its box and size). Characters on one baseline
make a text line; the gaps between them say where a word space is. A cell's lines are
joined as the PDF wrapped them: without a space where the line was full (the next line's
first word would not have fitted), with a line break where the line ended before the
cell's edge (the author's own line break); Latin words wrapped at a space get it back.
"""

from __future__ import annotations

import itertools
import statistics
from dataclasses import dataclass

#: what may not end a line (opening brackets) and what may not start one (closing ones, punctuation)
_OPENING = set("（《「『【〔﹝〈“‘([{")
_CLOSING = set("、，。：；？！）》」』】〕﹞〉”’,.;:!?)]}%‰")
#: the characters that are white space on a page
SPACES = " \u00a0\u3000\t"


@dataclass(slots=True)
class Char:
    """A character as the page places it: its box (``top`` downwards from the page's top) and font size."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def space(self) -> bool:
        return self.text in SPACES


def is_cjk(ch: str) -> bool:
    """A wide character: CJK ideographs and punctuation, the ideographic space; not the
    full-width forms of Latin letters and signs."""
    o = ord(ch[0]) if ch else 0
    return o >= 0x2E80 and not 0xFF01 <= o <= 0xFF5E


def is_latin(ch: str) -> bool:
    """An ASCII letter or digit."""
    return bool(ch) and ch[0].isascii() and ch[0].isalnum()


@dataclass
class Line:
    """Characters on one baseline, left to right, without the spaces at its ends;
    ``end`` is where the line ends with them (a line wrapped at a space keeps it there)."""

    chars: list[Char]
    end: float = 0.0

    def __post_init__(self) -> None:
        self.end = max(self.end, self.chars[-1].x1)

    @property
    def x0(self) -> float:
        return self.chars[0].x0

    @property
    def x1(self) -> float:
        return self.chars[-1].x1

    @property
    def top(self) -> float:
        return min(c.top for c in self.chars)

    @property
    def bottom(self) -> float:
        return max(c.bottom for c in self.chars)

    @property
    def size(self) -> float:
        return statistics.median(c.size for c in self.chars)

    @property
    def spaced(self) -> bool:
        """The line ends with a space character (the text had a space where it wrapped)."""
        return self.end > self.chars[-1].x1

    def text(self) -> str:
        return chars_text(self.chars)

    def first_word(self) -> float:
        """The width of the line's first unbreakable piece: a Latin word or number, else
        its first character; with the opening brackets before it and the punctuation after
        it, which may not end or start a line, and what a slash or a closing bracket glues
        to it (会/听, 〔2017〕47)."""
        cs = self.chars
        if all(c.text in _OPENING for c in cs):
            return 1e6          # a bracket alone: only an emergency break puts it there
        i = 0
        while True:
            while i < len(cs) - 1 and cs[i].text in _OPENING:
                i += 1
            i += 1
            if is_latin(cs[i - 1].text):
                while i < len(cs) and not cs[i].space and (is_latin(cs[i].text) or cs[i].text in ".,-%:"):
                    i += 1
            closed = False
            while i < len(cs) and cs[i].text in _CLOSING:
                i += 1
                closed = True
            if i < len(cs) and cs[i].text == "/":
                i += 1
            if i < len(cs) and not cs[i].space and (cs[i - 1].text == "/" or (closed and is_latin(cs[i].text))):
                continue         # 会/听, 〔2017〕47: no break after a slash, nor between 〕 and a number
            break
        return cs[i - 1].x1 - cs[0].x0


def text_lines(chars: list[Char]) -> list[Line]:
    """Characters grouped into text lines: a character belongs to the line above when it
    overlaps it vertically by half its height or more; each line sorted left to right,
    duplicate characters (bold drawn twice) and leading/trailing spaces removed."""
    out: list[list[Char]] = []
    bounds: list[tuple[float, float]] = []
    for c in sorted(chars, key=lambda c: (c.top, c.x0)):
        if out:
            top, bottom = bounds[-1]
            h = min(c.bottom - c.top, bottom - top) or 1.0
            if min(bottom, c.bottom) - max(top, c.top) >= 0.5 * h:
                out[-1].append(c)
                bounds[-1] = (min(top, c.top), max(bottom, c.bottom))
                continue
        out.append([c])
        bounds.append((c.top, c.bottom))
    lines = []
    for group in out:
        group.sort(key=lambda c: c.x0)
        kept: list[Char] = []
        for c in group:
            if kept and c.text == kept[-1].text and abs(c.x0 - kept[-1].x0) < 0.15 * c.size:
                continue          # the same glyph drawn again over itself (fake bold)
            kept.append(c)
        while kept and kept[0].space:
            kept.pop(0)
        end = kept[-1].x1 if kept else 0.0
        while kept and kept[-1].space:
            kept.pop()
        if kept:
            lines.append(Line(kept, end))
    return lines


def chars_text(chars: list[Char]) -> str:
    """The text of a line's characters, a space where the gap between two is a word space.

    Chinese text has no spaces, but justified lines spread their characters and LibreOffice
    puts a fifth of an em between Chinese characters and Latin ones; so a gap counts as a
    space only when it is wider than the line's usual gap by a fifth of an em (a third
    between Chinese and Latin characters)."""
    parts: list[str] = []
    gaps = [b.x0 - a.x1 for a, b in itertools.pairwise(chars) if not a.space and not b.space]
    usual = max(0.0, statistics.median(gaps)) if len(gaps) >= 3 else 0.0
    prev: Char | None = None
    for c in chars:
        if c.space:
            if parts and parts[-1] != " ":
                parts.append(" ")
            prev = None
            continue
        if prev is not None:
            gap = c.x0 - prev.x1 - usual
            mixed = is_cjk(prev.text[-1]) != is_cjk(c.text[0])
            if gap > (0.33 if mixed else 0.2) * max(c.size, prev.size):
                parts.append(" ")
        parts.append(c.text)
        prev = c
    return "".join(parts).strip()


@dataclass
class CellText:
    """A cell's text, and what the join with more of it (over a page break) needs."""

    text: str = ""
    last_right: float = 0.0      # right end of its last line
    limit: float = 0.0           # right edge of the cell's text area
    last_latin: bool = False     # its last character is a Latin letter or digit
    last_spaced: bool = False    # its last line ends with a space
    last_len: int = 0            # the length of its last line's text
    first_word: float = 0.0      # width of its first line's first word
    first_latin: bool = False
    size: float = 10.0


def wrapped(prev_right: float, prev_latin: bool, next_word: float, next_latin: bool, limit: float,
             size: float) -> bool:
    """True when a line ending at ``prev_right`` was full: the next line's first word
    (``next_word`` wide, after a space between Latin words, or after the fifth of an em
    LibreOffice and Word put between Chinese and Latin characters) would not have fitted
    before ``limit``."""
    space = 0.25 * size if prev_latin and next_latin else 0.2 * size if prev_latin != next_latin else 0.0
    return prev_right + space + next_word > limit - 0.1 * size


def join(a: CellText, b: CellText) -> CellText:
    """``a`` followed by ``b`` (the next line, or the part of a cell on the next page)."""
    if not a.text:
        return b
    if not b.text:
        return a
    if wrapped(a.last_right, a.last_latin and not a.last_spaced, b.first_word, b.first_latin, a.limit,
                a.size):
        # a space back between Latin words; not where a line of one word was cut because
        # the word was longer than the cell is wide (an emergency break: governme|nt, 2016〕1|43)
        words = a.last_latin and b.first_latin and " " in a.text[-a.last_len:]
        sep = " " if a.last_spaced or words else ""
    else:
        sep = "\n"
    return CellText(a.text + sep + b.text, b.last_right, b.limit, b.last_latin, b.last_spaced, b.last_len,
                     a.first_word, a.first_latin, a.size)


def cell_text(chars: list[Char], limit: float) -> CellText:
    """The text of a cell's characters, its wrapped lines joined (see ``join``)."""
    out = CellText(limit=limit)
    for line in text_lines(chars):
        text = line.text()
        piece = CellText(text, line.end, limit, is_latin(line.chars[-1].text[-1:]), line.spaced, len(text),
                          line.first_word(), is_latin(line.chars[0].text[:1]), line.size)
        out = join(out, piece)
    return out
