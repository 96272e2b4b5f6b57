"""The columns of a table without ruling lines (*stream*), from its header and its body.

The header is found as a band of text lines whose blocks are known column headers (parent
headers over their sub-headers too); the column boundaries are the vertical strips of
white between the header's blocks that no character of the body crosses, and any wide
strip of white the body leaves inside a header's span.
"""

from __future__ import annotations

import bisect
import itertools
import statistics
from dataclasses import dataclass

from gongkai.readers.assemble import Slot
from gongkai.readers.pdf.chars import Char, Line, chars_text
from gongkai.readers.preamble import header_row_index, header_score


@dataclass
class Block:
    """A header cell of a table without lines: its text and extent."""

    text: str
    x0: float
    x1: float
    first: int                      # index of its first text line in the header band


def _segments(line: Line) -> list[list[Char]]:
    """A line cut where the gap between two characters is wider than half an em: the
    pieces of text of the cells the line crosses."""
    out: list[list[Char]] = [[]]
    for c in line.chars:
        if out[-1] and c.x0 - out[-1][-1].x1 > 0.5 * c.size:
            out.append([])
        out[-1].append(c)
    return [seg for seg in out if any(not c.space for c in seg)]


def _header_blocks(lines: list[Line], start: int, depth: int) -> list[Block]:
    """The blocks of the header band ``lines[start:start+depth]``: a line's piece joins
    the block above it when each overlaps only the other and they are not two headers
    of their own (公开内 + 容（要素）, wrapped in one cell; not 公开对象 over 全社会)."""
    from gongkai.columns import is_header_text

    blocks: list[Block] = []
    open_: list[int] = []                    # blocks the previous line reached
    for k in range(start, start + depth):
        segs = _segments(lines[k])
        now: list[int] = []
        for seg in segs:
            x0, x1, text = seg[0].x0, seg[-1].x1, chars_text(seg)
            over = [i for i in open_ if blocks[i].x0 < x1 and x0 < blocks[i].x1]
            if len(over) == 1:
                b = blocks[over[0]]
                below = [g for g in segs if b.x0 < g[-1].x1 and g[0].x0 < b.x1]
                if len(below) == 1 and not (is_header_text(b.text) and is_header_text(text)):
                    b.text += text
                    b.x0, b.x1 = min(b.x0, x0), max(b.x1, x1)
                    now.append(over[0])
                    continue
            blocks.append(Block(text, x0, x1, k - start))
            now.append(len(blocks) - 1)
        open_ = now
    return blocks


def _families(blocks: list[Block]) -> dict[int, list[Block]]:
    """Parent headers and their sub-headers, by ``id`` of the parent: the blocks below a
    parent header (公开对象) whose roles are its children (全社会, 特定群体), between the
    blocks that are not sub-headers on its left and on its right."""
    from gongkai.columns import parent_for_header, role_for_header

    parents = [parent_for_header(b.text) for b in blocks]
    child_roles = {r for ph in parents if ph is not None for r in ph.children}
    others = sorted((b for b in blocks if role_for_header(b.text) not in child_roles), key=lambda b: b.x0)
    out: dict[int, list[Block]] = {}
    for i, p in enumerate(others):
        ph = parent_for_header(p.text)
        if ph is None:
            continue
        lo = others[i - 1].x1 if i else -1e9
        hi = others[i + 1].x0 if i + 1 < len(others) else 1e9
        kids = [b for b in blocks if b.first > p.first and role_for_header(b.text) in ph.children
                and lo <= (b.x0 + b.x1) / 2 <= hi]
        if kids:
            out[id(p)] = sorted(kids, key=lambda b: b.x0)
    return out


def find_header(lines: list[Line], limit: int = 40) -> tuple[int, int, list[Block]] | None:
    """(first line, number of lines, blocks) of the first header band among the page's
    first ``limit`` lines. The band grows by a line while that line only goes on with the
    header cells above it (a header wrapped in its cell) or its new cells are mostly known
    column headers (the sub-headers); it ends at the first line of the body."""
    from gongkai.columns import is_header_text

    for i, line in enumerate(lines[:limit]):
        texts = [chars_text(s) for s in _segments(line)]
        if header_score(texts) < 1:
            continue
        blocks = _header_blocks(lines, i, 1)
        depth = 1
        for more in range(2, min(6, len(lines) - i) + 1):
            grown = _header_blocks(lines, i, more)
            new = [b for b in grown if b.first == more - 1]
            known_new = sum(1 for b in new if is_header_text(b.text))
            gained = sum(1 for b in grown if is_header_text(b.text)) - sum(1 for b in blocks if is_header_text(b.text))
            if (new and not (known_new >= 1 and 2 * known_new >= len(new))) or (not new and gained < 0):
                break
            blocks, depth = grown, more
        if header_row_index([[b.text for b in blocks]]) is not None:
            return i, depth, blocks
    return None


def _gutters(chars: list[Char]) -> list[tuple[float, float]]:
    """The x-ranges no character covers, between the leftmost and the rightmost."""
    spans = sorted((c.x0, c.x1) for c in chars if not c.space)
    out: list[tuple[float, float]] = []
    if not spans:
        return out
    end = spans[0][1]
    for x0, x1 in spans[1:]:
        if x0 > end + 0.1:
            out.append((end, x0))
        end = max(end, x1)
    return out


def _boundaries(leaves: list[Block], body: list[Char]) -> list[float]:
    """The x positions between columns: one in the widest strip of white between two
    neighbouring header blocks (none when the body's text crosses from one to the other:
    one column), and one in every strip of white at least one and a half em wide that no
    header boundary uses (a column without a header of its own).

    A strip of white is the right padding of one column and the left padding of the next
    (and whatever the left column's text leaves free). When the next column's text is
    left-aligned (lines start at the strip's end), the boundary is one padding before it:
    where the cell's edge was, so that a longer text of the left column on another page
    stays on its side. Otherwise it is the middle of the strip."""
    gutters = _gutters(body)
    em = statistics.median(c.size for c in body) if body else 10.0
    starts: dict[float, int] = {}
    for c in body:
        starts[round(c.x0, 1)] = starts.get(round(c.x0, 1), 0) + 1
    chosen: list[tuple[float, float, int]] = []           # (from, to, gutter)
    for a, b in itertools.pairwise(leaves):
        lo, hi = a.x1, b.x0
        best: tuple[float, float, int] | None = None
        for g, (g0, g1) in enumerate(gutters):
            s0, s1 = max(g0, lo), min(g1, hi)
            if s1 > s0 and (best is None or s1 - s0 > best[1] - best[0]):
                best = (s0, s1, g)
        if best is None and hi > lo and not any(lo < c.cx < hi for c in body):
            best = (lo, hi, -1)
        if best is not None:
            chosen.append(best)
    whole = [s1 - s0 for s0, s1, g in chosen if g >= 0 and (s0, s1) == gutters[g]]
    pad = max(1.0, min(whole) / 2) if whole else 0.0
    out = []
    for s0, s1, g in chosen:
        aligned = g >= 0 and s1 == gutters[g][1] and sum(n for x, n in starts.items() if abs(x - s1) <= 0.5) >= 2
        out.append(max(s0, s1 - pad) if aligned and pad else (s0 + s1) / 2)
    used = {g for _, _, g in chosen}
    for g, (g0, g1) in enumerate(gutters):
        if g not in used and g1 - g0 >= 1.5 * em and not any(g0 <= x <= g1 for x in out):
            out.append((g0 + g1) / 2)
    return sorted(out)


@dataclass
class Stream:
    """A table without lines: its column boundaries and header rows."""

    bounds: list[float]
    header: list[list[Slot]]
    number_col: int | None
    limits: list[float]              # right edge of each column's text area

    def column(self, x: float) -> int:
        """The column ``x`` falls in."""
        return bisect.bisect_right(self.bounds, x)

    def crosses(self, line: Line) -> bool:
        """True when a character of ``line`` straddles a column boundary (a paragraph)."""
        for c in line.chars:
            if c.space:
                continue
            for b in self.bounds:
                if c.x0 + 0.2 * c.size < b < c.x1 - 0.2 * c.size:
                    return True
        return False

    def n(self) -> int:
        """The number of columns."""
        return len(self.bounds) + 1


def stream_layout(blocks: list[Block], body: list[Line]) -> Stream:
    """Columns and header rows of a table without lines from its header blocks and body."""
    from gongkai.columns import role_for_header

    families = _families(blocks)
    leaves = sorted((b for b in blocks if id(b) not in families), key=lambda b: b.x0)
    # a line with a piece of text over two header cells' middles runs across columns (a
    # heading over the table, a note): it says nothing of where the columns are
    middles = [(b.x0 + b.x1) / 2 for b in leaves]
    body = [ln for ln in body if not any(sum(1 for m in middles if seg[0].x0 < m < seg[-1].x1) >= 2
                                         for seg in _segments(ln))]
    body_chars = [c for ln in body for c in ln.chars]
    s = Stream(_boundaries(leaves, body_chars), [], None, [])
    s.header = _header(s, blocks, families)
    s.number_col = next((j for j, slot in enumerate(s.header[0]) if role_for_header(slot.text) == "number"), None)
    s.limits = _limits(s, body_chars)
    return s


def _header(s: Stream, blocks: list[Block], families: dict[int, list[Block]]) -> list[list[Slot]]:
    """The header rows on the columns of ``s``: a parent over its sub-headers' columns, a
    header without any over both rows (one row when there are no sub-headers)."""
    n = s.n()
    kids = {id(k) for ks in families.values() for k in ks}

    def columns(b: Block) -> range:
        if id(b) in families:
            ks = families[id(b)]
            return range(s.column((ks[0].x0 + ks[0].x1) / 2), s.column((ks[-1].x0 + ks[-1].x1) / 2) + 1)
        return range(s.column(b.x0 + 0.5), s.column(b.x1 - 0.5) + 1)

    two = bool(families)
    top: list[Slot] = [Slot("") for _ in range(n)]
    sub: list[Slot] = [Slot("") for _ in range(n)]
    for b in sorted(blocks, key=lambda b: (b.first, b.x0)):
        cols = columns(b)
        row = sub if id(b) in kids else top
        rows = 2 if two and id(b) not in kids and id(b) not in families else 1
        for c in cols:
            if row[c].text:        # two blocks over one column: one header cell
                if c == cols[0]:
                    row[c] = Slot(row[c].text + b.text, row[c].rowspan, row[c].colspan, row[c].spanned)
                continue
            row[c] = Slot(b.text, rows, len(cols)) if c == cols[0] else Slot(b.text, spanned=True)
            if rows == 2:
                sub[c] = Slot(b.text, spanned=True)
    return [top, sub] if two else [top]


def _limits(s: Stream, body: list[Char]) -> list[float]:
    """The right edge of each column's text: its longest line's end (Chinese text wraps
    less than a character before the edge); the column's boundary where it has no text."""
    n = s.n()
    right = [-1e9] * n
    for c in body:
        if not c.space:
            j = s.column(c.cx)
            right[j] = max(right[j], c.x1)
    return [r if r > -1e9 else (s.bounds[j] if j < n - 1 else 1e9) for j, r in enumerate(right)]
