"""Reader for PDF documents: path → :class:`CellGrid` (format id ``pdf``).

A disclosure list is most often published as a PDF printed from Word or Excel. The PDF
keeps no table, only characters and lines at positions on pages; the reader puts the table
back together (pdfplumber gives the characters, the ruling lines and the cells they draw):

- **Tables with ruling lines** (*lattice*): the cells are the rectangles the lines draw
  (pdfplumber's table finder on lines). A cell spanning several rows or columns (a
  category merged over its items, a parent header) is expanded as the Word and Excel
  readers expand merges: its text in the first position, copies flagged ``spanned``.
- **Tables without lines** (*stream*): the header is found as a band of text lines whose
  blocks are known column headers (:mod:`.preamble`); the column boundaries are the
  vertical strips of white between the header's blocks that no character of the body
  crosses, and any wide strip of white the body leaves inside a header's span. Rows start
  at an item number in the 序号 column, at a vertical gap wider than the spacing of the
  lines inside a cell, or at a horizontal rule.
- **Lines wrapped inside a cell** are joined: without a space where the line was full (the
  next line's first word would not have fitted: the PDF wrapped it), with a line break
  where the line ended before the cell's edge (the author's own line break). Latin words
  wrapped at a space get their space back.
- **Pages.** The table found on the first page that has one fixes the columns. The
  following pages continue it: a lattice table with the same column edges, or, in a
  stream table, the lines that fit the columns; a repeated header row is dropped. A row
  that the page break cut in two (its second part has no item number) is joined again.
- **Text outside the table** (the title, the 责任单位 / 填表人 / 填表时间 line, the declared
  counts, the notes or signatures below the table) goes to the preamble, one text line
  each, as the text-table reader reads them from a text extraction; lines that are only a
  page number are left out.
- **Characters are kept as the PDF gives them**: check boxes ☑ □ ■, marks √, and the
  glyphs of symbol fonts (Wingdings þ ¨ ý) are the field parsers' to read.

``Cell.line`` is a block number: the text lines outside the table and the table's rows
numbered from 1 in reading order, a number skipped at every page break (as a text
extraction leaves a blank line), so that the tabulator sees where a page ended.

Refused with one clear line: a file that is not a PDF, a damaged or password-protected
one, a PDF beyond the limits below, a scan (pages of images and no text: "a scanned image
without text: no table can be read; OCR it first"), and a PDF whose text holds no table
("no table recognised").
"""

from __future__ import annotations

import bisect
import itertools
import logging
import re
import statistics
import threading
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from gongkai.errors import InputError
from gongkai.readers.assemble import Slot, SourceRow, build_grid
from gongkai.readers.grid import CellGrid
from gongkai.readers.limits import MAX_COLUMNS, MAX_ROWS, MB, TableBudget, too_big, too_many_rows
from gongkai.readers.preamble import HEADER_SEARCH_ROWS, header_row_index, header_score, table_score

FORMAT = "pdf"

#: a PDF list: a few hundred KB, a few MB with embedded fonts; a scan of a long list some
#: tens of MB (it is refused, but by what it is, not by its size)
MAX_PDF_BYTES = 128 * MB
#: pages: real lists have 1–60; 10,000 rows (``limits.MAX_ROWS``) at 20 rows a page make 500
MAX_PAGES = 1_000
#: characters of the whole document: 10,000 rows of ~200 characters
MAX_CHARS = 2_000_000
#: characters of one page: a dense A4 page of small print holds ~6,000
MAX_PAGE_CHARS = 60_000
#: what the content streams of one page (and the forms they draw) may inflate to: a page
#: of a table is 20–200 KB of drawing operators
MAX_PAGE_CONTENT_BYTES = 32 * MB

SCANNED = "a scanned image without text: no table can be read; OCR it first"
UNDECODED = ("the PDF's fonts do not say which characters their glyphs are, so that text cannot be "
             "read (save the list to PDF again with its fonts embedded, or OCR it)")
# a glyph pdfminer could not map to a character
_CID = re.compile(r"\(cid:\d+\)")
NO_TABLE = ("not a disclosure list: no table recognised in its content (no row of column headers "
            "such as 序号, 公开事项, 公开内容, 公开依据 on its pages)")

# an item number or a category ordinal, as a 序号 cell holds it: 1 / 2. / 3、 / 一 / （二）
_ROW_NUMBER = re.compile(r"^[(（]?(?:\d{1,4}|[一二三四五六七八九十百零〇]{1,4})[)）]?[、.．]?$")
# a line that is only a page number: 3 / - 3 - / 第3页 / 第 3 页 共 12 页 / 3/12 / Page 3
_PAGE_NUMBER = re.compile(
    r"^(?:[-—–\s]*\d{1,4}[-—–\s]*|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?|"
    r"\d{1,4}\s*/\s*\d{1,4}|(?:page|p\.)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?)$", re.IGNORECASE)
_OPENING = set("（《「『【〔﹝〈“‘([{")
_CLOSING = set("、，。：；？！）》」』】〕﹞〉”’,.;:!?)]}%‰")
_SPACES = " \u00a0\u3000\t"


def looks_like_pdf(head: bytes, path: Path | None = None) -> bool:
    """A PDF file: ``%PDF-`` and a version number in its first 1024 bytes (PDF readers
    accept bytes before it, and some servers add them)."""
    return re.search(rb"%PDF-[12]\.\d", head[:1024]) is not None


# --- characters and text lines ------------------------------------------------------------

@dataclass(slots=True)
class _Char:
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
        return self.text in _SPACES


def _is_cjk(ch: str) -> bool:
    o = ord(ch[0]) if ch else 0
    return (o >= 0x2E80 and not 0xFF01 <= o <= 0xFF5E) or o in (0x3000,)


def _is_latin(ch: str) -> bool:
    return bool(ch) and ch[0].isascii() and ch[0].isalnum()


@dataclass
class _Line:
    """Characters on one baseline, left to right, without the spaces at its ends;
    ``end`` is where the line ends with them (a line wrapped at a space keeps it there)."""

    chars: list[_Char]
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
        return _text(self.chars)

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
            if _is_latin(cs[i - 1].text):
                while i < len(cs) and not cs[i].space and (_is_latin(cs[i].text) or cs[i].text in ".,-%:"):
                    i += 1
            closed = False
            while i < len(cs) and cs[i].text in _CLOSING:
                i += 1
                closed = True
            if i < len(cs) and cs[i].text == "/":
                i += 1
            if i < len(cs) and not cs[i].space and (cs[i - 1].text == "/" or (closed and _is_latin(cs[i].text))):
                continue         # 会/听, 〔2017〕47: no break after a slash, nor between 〕 and a number
            break
        return cs[i - 1].x1 - cs[0].x0


def _lines(chars: list[_Char]) -> list[_Line]:
    """Characters grouped into text lines: a character belongs to the line above when it
    overlaps it vertically by half its height or more; each line sorted left to right,
    duplicate characters (bold drawn twice) and leading/trailing spaces removed."""
    out: list[list[_Char]] = []
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
        kept: list[_Char] = []
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
            lines.append(_Line(kept, end))
    return lines


def _text(chars: list[_Char]) -> str:
    """The text of a line's characters, a space where the gap between two is a word space.

    Chinese text has no spaces, but justified lines spread their characters and LibreOffice
    puts a fifth of an em between Chinese characters and Latin ones; so a gap counts as a
    space only when it is wider than the line's usual gap by a fifth of an em (a third
    between Chinese and Latin characters)."""
    parts: list[str] = []
    gaps = [b.x0 - a.x1 for a, b in itertools.pairwise(chars) if not a.space and not b.space]
    usual = max(0.0, statistics.median(gaps)) if len(gaps) >= 3 else 0.0
    prev: _Char | None = None
    for c in chars:
        if c.space:
            if parts and parts[-1] != " ":
                parts.append(" ")
            prev = None
            continue
        if prev is not None:
            gap = c.x0 - prev.x1 - usual
            mixed = _is_cjk(prev.text[-1]) != _is_cjk(c.text[0])
            if gap > (0.33 if mixed else 0.2) * max(c.size, prev.size):
                parts.append(" ")
        parts.append(c.text)
        prev = c
    return "".join(parts).strip()


@dataclass
class _CellText:
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


def _wrapped(prev_right: float, prev_latin: bool, next_word: float, next_latin: bool, limit: float,
             size: float) -> bool:
    """True when a line ending at ``prev_right`` was full: the next line's first word
    (``next_word`` wide, after a space between Latin words) would not have fitted before
    ``limit``."""
    space = 0.25 * size if prev_latin and next_latin else 0.0
    return prev_right + space + next_word > limit - 0.1 * size


def _join(a: _CellText, b: _CellText) -> _CellText:
    """``a`` followed by ``b`` (the next line, or the part of a cell on the next page)."""
    if not a.text:
        return b
    if not b.text:
        return a
    if _wrapped(a.last_right, a.last_latin and not a.last_spaced, b.first_word, b.first_latin, a.limit,
                a.size):
        # a space back between Latin words; not where a line of one word was cut because
        # the word was longer than the cell is wide (an emergency break: governme|nt, 2016〕1|43)
        words = a.last_latin and b.first_latin and " " in a.text[-a.last_len:]
        sep = " " if a.last_spaced or words else ""
    else:
        sep = "\n"
    return _CellText(a.text + sep + b.text, b.last_right, b.limit, b.last_latin, b.last_spaced, b.last_len,
                     a.first_word, a.first_latin, a.size)


def _cell_text(chars: list[_Char], limit: float) -> _CellText:
    """The text of a cell's characters, its wrapped lines joined (see ``_join``)."""
    out = _CellText(limit=limit)
    for line in _lines(chars):
        text = line.text()
        piece = _CellText(text, line.end, limit, _is_latin(line.chars[-1].text[-1:]), line.spaced, len(text),
                          line.first_word(), _is_latin(line.chars[0].text[:1]), line.size)
        out = _join(out, piece)
    return out


# --- pages ----------------------------------------------------------------------------------

@dataclass
class _Page:
    number: int                      # 1-based
    chars: list[_Char]
    images: int
    hrules: list[tuple[float, float, float]]   # horizontal rules: (y, x0, x1)
    tables: list[_Lattice] = field(default_factory=list)


def _damaged(name: str, e: Exception) -> InputError:
    detail = " ".join(f"{type(e).__name__}: {e}".split())[:200]
    return InputError(name, f"the PDF is damaged or truncated ({detail})")


def _check_content(name: str, page, number: int) -> None:
    """Refuse a page whose drawing operators (content streams and the forms they draw)
    inflate beyond ``MAX_PAGE_CONTENT_BYTES``, before pdfminer inflates them whole."""
    from pdfminer.pdftypes import PDFStream, resolve1

    streams: list[PDFStream] = []
    contents = resolve1(page.page_obj.attrs.get("Contents"))
    for s in contents if isinstance(contents, list) else [contents]:
        s = resolve1(s)
        if isinstance(s, PDFStream):
            streams.append(s)
    resources = resolve1(page.page_obj.attrs.get("Resources")) or {}
    xobjects = resolve1(resources.get("XObject")) if isinstance(resources, dict) else None
    for x in (xobjects or {}).values() if isinstance(xobjects, dict) else ():
        x = resolve1(x)
        if isinstance(x, PDFStream) and getattr(resolve1(x.attrs.get("Subtype")), "name", None) == "Form":
            streams.append(x)
    total = 0
    for s in streams:
        raw = s.rawdata if s.rawdata is not None else (s.data or b"")
        filters = [getattr(resolve1(f), "name", f) for f, _ in s.get_filters()] if s.rawdata is not None else []
        if filters[:1] in (["FlateDecode"], ["Fl"]):
            d = zlib.decompressobj()
            try:
                size = len(d.decompress(raw, MAX_PAGE_CONTENT_BYTES + 1 - total))
            except zlib.error:
                continue                 # pdfminer reads what it can of a damaged stream
        else:
            size = len(raw)
        total += size
        if total > MAX_PAGE_CONTENT_BYTES:
            raise InputError(name, f"page {number}'s drawing inflates to more than "
                                   f"{MAX_PAGE_CONTENT_BYTES // MB} MB (a page of a table is a few hundred KB): "
                                   "this is not a printed list; nothing was read")


def _chars(page, name: str, number: int) -> list[_Char]:
    w, h = float(page.width), float(page.height)
    x_off, y_off = float(page.bbox[0]), float(page.bbox[1])
    out = []
    raw = page.chars
    if len(raw) > MAX_PAGE_CHARS:
        raise InputError(name, f"page {number} holds {len(raw):,} characters, more than the "
                               f"{MAX_PAGE_CHARS:,} a page of a list can (is it the right file?)")
    for c in raw:
        text = c.get("text") or ""
        if not text or not c.get("upright", True):
            continue
        text = "".join(ch for ch in text if ch.isprintable() or ch in _SPACES)
        if not text:
            continue
        x0, x1 = float(c["x0"]) - x_off, float(c["x1"]) - x_off
        top, bottom = float(c["top"]) - y_off, float(c["bottom"]) - y_off
        if x1 < 0 or x0 > w or bottom < 0 or top > h:
            continue                      # outside the page: not printed
        out.append(_Char(text, x0, x1, top, bottom, float(c.get("size") or (bottom - top) or 10)))
    return out


def _hrules(page) -> list[tuple[float, float, float]]:
    out = []
    for e in page.edges:
        if e.get("orientation") == "h":
            out.append((float(e["top"]), float(e["x0"]), float(e["x1"])))
    return out


def _open(name: str, path: Path):
    try:
        with open(path, "rb") as f:
            head = f.read(1024)
    except OSError as e:
        raise InputError(name, f"cannot read the file: {e.strerror or e}") from None
    if not head:
        raise InputError(name, "the file is empty")
    if not looks_like_pdf(head, path):
        from gongkai.readers import signatures

        what = signatures.content_kind(head, path) or "not a PDF file"
        raise InputError(name, f"not a PDF document: the content is {what}")
    size = path.stat().st_size
    if size > MAX_PDF_BYTES:
        raise too_big(name, size, MAX_PDF_BYTES)

    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    try:
        pdf = pdfplumber.open(str(path))
        n = len(pdf.pages)
    except (PDFPasswordIncorrect, PDFEncryptionError) as e:
        raise InputError(name, f"the PDF is protected by a password ({type(e).__name__}); "
                               "save it again without protection") from None
    except Exception as e:
        if "password" in str(e).lower() or "encrypt" in type(e).__name__.lower():
            raise InputError(name, "the PDF is protected by a password; save it again without "
                                   "protection") from None
        raise _damaged(name, e) from None
    if n == 0:
        pdf.close()
        raise InputError(name, "the PDF has no pages")
    if n > MAX_PAGES:
        pdf.close()
        raise InputError(name, f"the PDF has {n:,} pages, more than the {MAX_PAGES:,} a list can have "
                               "(real lists have at most a few dozen): is it the right file? Split a "
                               "list that long into one file per bureau")
    return pdf


class _Complaints(logging.Handler):
    """pdfminer's and pdfplumber's warnings about a damaged file (a stream that does not
    inflate, a font without metrics): kept for the reading in progress in this thread, to
    be named in one warning of the grid, instead of being printed to standard error."""

    local = threading.local()

    def emit(self, record: logging.LogRecord) -> None:
        caught = getattr(self.local, "caught", None)
        if caught is not None and len(caught) < 100:
            caught.append(record.getMessage())


def _quiet_pdfminer() -> None:
    for logger in (logging.getLogger("pdfminer"), logging.getLogger("pdfplumber")):
        if not any(isinstance(h, _Complaints) for h in logger.handlers):
            logger.addHandler(_Complaints(logging.WARNING))
            logger.propagate = False
            logger.setLevel(logging.WARNING)


def _load(name: str, path: Path) -> list[_Page]:
    """Every page's characters, rules and lattice tables; the limits checked as they come."""
    pdf = _open(name, path)
    pages: list[_Page] = []
    total = 0
    try:
        for i, page in enumerate(pdf.pages, start=1):
            try:
                _check_content(name, page, i)
                chars = _chars(page, name, i)
                total += len(chars)
                if total > MAX_CHARS:
                    raise InputError(name, f"the PDF holds more than {MAX_CHARS:,} characters by page {i}, "
                                           "more than a list can (is it the right file?)")
                p = _Page(i, chars, len(page.images), _hrules(page) if chars else [])
                if chars:
                    p.tables = _lattice_tables(page, chars)
            except InputError:
                raise
            except Exception as e:
                raise _damaged(name, e) from None
            finally:
                page.close()
            pages.append(p)
    finally:
        pdf.close()
    return pages


# --- tables with ruling lines --------------------------------------------------------------

def _cluster(values: list[float], tol: float) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if out and v - out[-1] <= tol:
            continue
        out.append(v)
    return out


def _nearest(edges: list[float], v: float) -> int:
    i = bisect.bisect_left(edges, v)
    if i == 0:
        return 0
    if i == len(edges):
        return len(edges) - 1
    return i if edges[i] - v < v - edges[i - 1] else i - 1


@dataclass
class _Box:
    """A cell of a lattice table: grid rows r0..r1-1 and columns c0..c1-1."""

    r0: int
    r1: int
    c0: int
    c1: int
    x0: float
    x1: float
    chars: list[_Char] = field(default_factory=list)
    text: _CellText = field(default_factory=_CellText)


@dataclass
class _Lattice:
    """A table drawn with ruling lines: its column edges, row edges and cells."""

    xs: list[float]
    ys: list[float]
    boxes: list[_Box]
    at: list[list[int | None]]          # [row][col] → index of the box covering it

    @property
    def top(self) -> float:
        return self.ys[0]

    @property
    def bottom(self) -> float:
        return self.ys[-1]

    def rows(self) -> list[list[Slot]]:
        out = []
        seen: set[int] = set()
        for r, row in enumerate(self.at):
            slots = []
            for c, b in enumerate(row):
                if b is None:
                    slots.append(Slot(""))
                    continue
                box = self.boxes[b]
                if b in seen:
                    slots.append(Slot(box.text.text, spanned=True))
                else:
                    seen.add(b)
                    slots.append(Slot(box.text.text, box.r1 - box.r0, box.c1 - box.c0))
            out.append(slots)
        return out

    def texts(self) -> list[list[str]]:
        return [[s.text for s in row] for row in self.rows()]

    def contains(self, c: _Char) -> bool:
        return self.xs[0] <= c.cx <= self.xs[-1] and self.ys[0] <= c.cy <= self.ys[-1]


def _lattice_tables(page, chars: list[_Char]) -> list[_Lattice]:
    """The page's tables drawn with lines, at least two columns wide, their cells' text read."""
    x_off, y_off = float(page.bbox[0]), float(page.bbox[1])
    try:
        found = page.find_tables({"vertical_strategy": "lines", "horizontal_strategy": "lines"})
    except (ValueError, ZeroDivisionError):
        return []
    tables = []
    for t in found:
        cells = [(x0 - x_off, top - y_off, x1 - x_off, bottom - y_off) for x0, top, x1, bottom in t.cells]
        xs = _cluster([v for c in cells for v in (c[0], c[2])], 1.0)
        ys = _cluster([v for c in cells for v in (c[1], c[3])], 1.0)
        # two columns at least; a grid of hundreds of columns is a drawing, not a list (the
        # tabulator refuses more than MAX_COLUMNS filled ones; empty ones are dropped first)
        if len(xs) < 3 or len(ys) < 2 or len(xs) - 1 > MAX_COLUMNS * 4:
            continue
        at: list[list[int | None]] = [[None] * (len(xs) - 1) for _ in range(len(ys) - 1)]
        boxes: list[_Box] = []
        for x0, top, x1, bottom in cells:
            c0, c1, r0, r1 = _nearest(xs, x0), _nearest(xs, x1), _nearest(ys, top), _nearest(ys, bottom)
            if c1 <= c0 or r1 <= r0:
                continue
            boxes.append(_Box(r0, r1, c0, c1, x0, x1))
            for r in range(r0, r1):
                for c in range(c0, c1):
                    at[r][c] = len(boxes) - 1
        table = _Lattice(xs, ys, boxes, at)
        for ch in chars:
            if table.contains(ch):
                c = min(max(bisect.bisect_right(xs, ch.cx) - 1, 0), len(xs) - 2)
                r = min(max(bisect.bisect_right(ys, ch.cy) - 1, 0), len(ys) - 2)
                b = at[r][c]
                if b is not None:
                    boxes[b].chars.append(ch)
        # the padding between a cell's edge and its text: the least a column's lines keep
        pad: dict[int, float] = {}
        for box in boxes:
            for line in _lines(box.chars) if box.chars else ():
                pad[box.c0] = min(pad.get(box.c0, 1e9), line.x0 - box.x0)
        for box in boxes:
            if box.chars:
                p = min(max(pad.get(box.c0, 2.0), 0.0), 0.25 * (box.x1 - box.x0))
                box.text = _cell_text(box.chars, box.x1 - p)
        tables.append(table)
    return tables


# --- tables without lines -------------------------------------------------------------------

@dataclass
class _Block:
    """A header cell of a table without lines: its text and extent."""

    text: str
    x0: float
    x1: float
    first: int                      # index of its first text line in the header band


def _segments(line: _Line) -> list[list[_Char]]:
    """A line cut where the gap between two characters is wider than half an em: the
    pieces of text of the cells the line crosses."""
    out: list[list[_Char]] = [[]]
    for c in line.chars:
        if out[-1] and c.x0 - out[-1][-1].x1 > 0.5 * c.size:
            out.append([])
        out[-1].append(c)
    return [seg for seg in out if any(not c.space for c in seg)]


def _header_blocks(lines: list[_Line], start: int, depth: int) -> list[_Block]:
    """The blocks of the header band ``lines[start:start+depth]``: a line's piece joins
    the block above it when each overlaps only the other and they are not two headers
    of their own (公开内 + 容（要素）, wrapped in one cell; not 公开对象 over 全社会)."""
    from gongkai.columns import is_header_text

    blocks: list[_Block] = []
    open_: list[int] = []                    # blocks the previous line reached
    for k in range(start, start + depth):
        segs = _segments(lines[k])
        now: list[int] = []
        for seg in segs:
            x0, x1, text = seg[0].x0, seg[-1].x1, _text(seg)
            over = [i for i in open_ if blocks[i].x0 < x1 and x0 < blocks[i].x1]
            if len(over) == 1:
                b = blocks[over[0]]
                below = [g for g in segs if b.x0 < g[-1].x1 and g[0].x0 < b.x1]
                if len(below) == 1 and not (is_header_text(b.text) and is_header_text(text)):
                    b.text += text
                    b.x0, b.x1 = min(b.x0, x0), max(b.x1, x1)
                    now.append(over[0])
                    continue
            blocks.append(_Block(text, x0, x1, k - start))
            now.append(len(blocks) - 1)
        open_ = now
    return blocks


def _families(blocks: list[_Block]) -> dict[int, list[_Block]]:
    """Parent headers and their sub-headers, by ``id`` of the parent: the blocks below a
    parent header (公开对象) whose roles are its children (全社会, 特定群体), between the
    blocks that are not sub-headers on its left and on its right."""
    from gongkai.columns import parent_for_header, role_for_header

    child_roles = {r for b in blocks if (p := parent_for_header(b.text)) for r in p.children}
    others = sorted((b for b in blocks if role_for_header(b.text) not in child_roles), key=lambda b: b.x0)
    out: dict[int, list[_Block]] = {}
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


def _find_header(lines: list[_Line], limit: int = 40) -> tuple[int, int, list[_Block]] | None:
    """(first line, number of lines, blocks) of the first header band among the page's
    first ``limit`` lines. The band grows by a line while that line only goes on with the
    header cells above it (a header wrapped in its cell) or its new cells are mostly known
    column headers (the sub-headers); it ends at the first line of the body."""
    from gongkai.columns import is_header_text

    for i, line in enumerate(lines[:limit]):
        texts = [_text(s) for s in _segments(line)]
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


def _gutters(chars: list[_Char]) -> list[tuple[float, float]]:
    """The x-ranges no character covers, between the leftmost and the rightmost."""
    spans = sorted((c.x0, c.x1) for c in chars if not c.space)
    out = []
    if not spans:
        return out
    end = spans[0][1]
    for x0, x1 in spans[1:]:
        if x0 > end + 0.1:
            out.append((end, x0))
        end = max(end, x1)
    return out


def _boundaries(leaves: list[_Block], body: list[_Char]) -> list[float]:
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
class _Stream:
    """A table without lines: its column boundaries and header rows."""

    bounds: list[float]
    header: list[list[Slot]]
    number_col: int | None
    limits: list[float]              # right edge of each column's text area

    def column(self, x: float) -> int:
        return bisect.bisect_right(self.bounds, x)

    def crosses(self, line: _Line) -> bool:
        """True when a character of ``line`` straddles a column boundary (a paragraph)."""
        for c in line.chars:
            if c.space:
                continue
            for b in self.bounds:
                if c.x0 + 0.2 * c.size < b < c.x1 - 0.2 * c.size:
                    return True
        return False

    def n(self) -> int:
        return len(self.bounds) + 1


def _stream_layout(blocks: list[_Block], body: list[_Line]) -> _Stream:
    """Columns and header rows of a table without lines from its header blocks and body."""
    from gongkai.columns import role_for_header

    families = _families(blocks)
    kids = {id(k) for ks in families.values() for k in ks}
    leaves = sorted((b for b in blocks if id(b) not in families), key=lambda b: b.x0)
    # a line with a piece of text over two header cells' middles runs across columns (a
    # heading over the table, a note): it says nothing of where the columns are
    middles = [(b.x0 + b.x1) / 2 for b in leaves]
    body = [ln for ln in body if not any(sum(1 for m in middles if seg[0].x0 < m < seg[-1].x1) >= 2
                                         for seg in _segments(ln))]
    body_chars = [c for ln in body for c in ln.chars]
    bounds = _boundaries(leaves, body_chars)
    s = _Stream(bounds, [], None, [])
    n = s.n()

    def columns(b: _Block) -> range:
        if id(b) in families:
            ks = families[id(b)]
            return range(s.column((ks[0].x0 + ks[0].x1) / 2), s.column((ks[-1].x0 + ks[-1].x1) / 2) + 1)
        return range(s.column(b.x0 + 0.5), s.column(b.x1 - 0.5) + 1)

    # header rows: a parent over its sub-headers' columns, a header without any over both rows
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
    s.header = [top, sub] if two else [top]
    s.number_col = next((c for c in range(n) if role_for_header(top[c].text) == "number"), None)
    # the right edge of each column's text: its longest line's end (Chinese text wraps
    # less than a character before the edge)
    right = [-1e9] * n
    for c in body_chars:
        if not c.space:
            j = s.column(c.cx)
            right[j] = max(right[j], c.x1)
    s.limits = [r if r > -1e9 else (s.bounds[j] if j < n - 1 else 1e9) for j, r in enumerate(right)]
    return s


def _row_number(text: str) -> bool:
    return bool(_ROW_NUMBER.match(text.replace(" ", "")))


def _stream_rows(s: _Stream, body: list[_Line], hrules: list[tuple[float, float, float]],
                 spanning: set[int] | frozenset[int] = frozenset()) -> list[list[_Line]]:
    """The body's lines grouped into table rows (see the module doc); the lines at the
    indexes ``spanning`` are rows of their own."""
    if not body:
        return []
    x0 = min(ln.x0 for ln in body)
    x1 = max(ln.x1 for ln in body)
    gaps = [b.top - a.bottom for a, b in itertools.pairwise(body)]
    size = statistics.median(ln.size for ln in body)
    least = min(gaps) if gaps else 0.0
    # a gap is a row's end when it is clearly wider than the narrowest (lines inside a cell)
    threshold = least + max(2.0, 0.25 * size)
    rows: list[list[_Line]] = []
    has_number = False
    prev: _Line | None = None
    for k, line in enumerate(body):
        if k in spanning or k - 1 in spanning:
            prev = None
        numbered = False
        if s.number_col is not None:
            own = [c for c in line.chars if s.column(c.cx) == s.number_col]
            numbered = bool(own) and _row_number(_text(own)) and (
                prev is None or not any(s.column(c.cx) == s.number_col for c in prev.chars))
        new = prev is None
        if prev is not None:
            ruled = any(prev.bottom - 1 <= y <= line.top + 1 and min(x1, b) - max(x0, a) > 0.5 * (x1 - x0)
                        for y, a, b in hrules)
            new = line.top - prev.bottom > threshold or ruled or (numbered and has_number)
        if new:
            rows.append([])
            has_number = False
        rows[-1].append(line)
        has_number = has_number or numbered
        prev = line
    return rows


def _stream_cells(s: _Stream, row: list[_Line]) -> list[_CellText]:
    per: list[list[_Char]] = [[] for _ in range(s.n())]
    for line in row:
        for c in line.chars:
            per[s.column(c.cx)].append(c)
    return [_cell_text(chars, s.limits[j]) if chars else _CellText() for j, chars in enumerate(per)]


def _spanning_row(s: _Stream, line: _Line) -> _Row:
    """A line across the columns as one row: its text in the column where it starts,
    spanning the columns it reaches, as a merged cell is read."""
    chars = [c for c in line.chars if not c.space]
    c0, c1 = s.column(chars[0].cx), s.column(chars[-1].cx)
    text = line.text()
    slots = [Slot("") for _ in range(s.n())]
    slots[c0] = Slot(text, 1, c1 - c0 + 1)
    for c in range(c0 + 1, c1 + 1):
        slots[c] = Slot(text, spanned=True)
    cells = [_CellText() for _ in range(s.n())]
    cells[c0] = _CellText(text)
    return _Row(line.top, slots, cells)


def _misfit(s: _Stream, line: _Line) -> bool:
    """A line that is not a row of the table's columns: it straddles a column boundary, or
    it has text only in the 序号 column and that text is not a number."""
    if s.crosses(line):
        return True
    if s.number_col is not None:
        cols = {s.column(c.cx) for c in line.chars if not c.space}
        if cols == {s.number_col} and not _row_number(line.text()):
            return True
    return False


def _table_end(s: _Stream, lines: list[_Line]) -> tuple[int, set[int]]:
    """Where the table ends among a page's ``lines`` (an index), and the lines before it
    that span columns: a line that does not fit the columns ends the table (a note or a
    signature below it) unless a row of two columns or more follows it on the page (then
    it is a row of its own across the table, such as a category heading)."""
    misfits = [k for k, ln in enumerate(lines) if _misfit(s, ln)]
    rows_after = [k for k, ln in enumerate(lines) if k not in misfits
                  and len({s.column(c.cx) for c in ln.chars if not c.space}) >= 2]
    last_row = max(rows_after, default=-1)
    spanning = {k for k in misfits if k < last_row}
    end = next((k for k in misfits if k > last_row), len(lines))
    return end, spanning


# --- the document ---------------------------------------------------------------------------

@dataclass
class _Row:
    y: float                          # top of the row on its page
    slots: list[Slot]
    cells: list[_CellText]


@dataclass
class _Doc:
    """What the pages add up to: the table's rows and the lines around them, numbered in
    reading order (``Cell.line``), a number skipped at each page break."""

    name: str
    rows: list[SourceRow] = field(default_factory=list)
    cells: list[list[_CellText]] = field(default_factory=list)
    preamble: list[tuple[int, str]] = field(default_factory=list)
    line: int = 0
    pages: int = 0

    def __post_init__(self) -> None:
        self.budget = TableBudget(self.name)

    def page(self, lines: list[_Line], rows: list[_Row], rest: list[_CellText] | None = None) -> None:
        """A page's text lines outside the table, its table rows, and ``rest``: the part of
        the last row that the page break carried over to this page."""
        if self.pages:
            self.line += 1
        self.pages += 1
        if rest is not None and self.cells:
            self._join_last(rest)
        items: list[tuple[float, int, object]] = [(ln.top, 0, ln) for ln in lines]
        items += [(r.y, 1, r) for r in rows]
        for _, _, item in sorted(items, key=lambda t: (t[0], t[1])):
            if isinstance(item, _Line):
                text = item.text()
                if text and not _PAGE_NUMBER.match(text):
                    self.line += 1
                    self.preamble.append((self.line, text))
            else:
                assert isinstance(item, _Row)
                self.line += 1
                self.budget.add_row(len(item.slots))
                self.rows.append(SourceRow(self.line, item.slots))
                self.cells.append(item.cells)

    def last(self) -> list[_CellText] | None:
        """The cells of the last row so far (None before the first)."""
        return self.cells[-1] if self.cells else None

    def _join_last(self, cells: list[_CellText]) -> None:
        last = self.cells[-1]
        slots = self.rows[-1].slots
        for j, more in enumerate(cells[:len(last)]):
            if more.text:
                last[j] = _join(last[j], more)
                slots[j] = Slot(last[j].text, slots[j].rowspan, slots[j].colspan, slots[j].spanned)


def _keys(texts: list[str]) -> tuple[str, ...]:
    from gongkai.text import key

    return tuple(re.sub(r"\s+", "", key(t)) for t in texts)


def _header_rows(texts: list[list[str]], h: int) -> int:
    """How many rows from ``texts[h]`` the header takes: one, or two with a sub-header row."""
    from gongkai.columns import item_number

    if h + 1 < len(texts):
        below = texts[h + 1]
        if header_score(below) >= 1 and not any(item_number(t) is not None for t in below if t.strip()):
            return 2
    return 1


def _number_col(header: list[list[str]]) -> int | None:
    from gongkai.columns import role_for_header

    for row in header:
        for j, t in enumerate(row):
            if role_for_header(t) == "number":
                return j
    return None


def _continues(number_col: int | None, cells: list[_CellText], above: list[_CellText] | None) -> bool:
    """A first row on a new page that is the rest of the row the page break cut (``above``,
    the last row so far). In a table with a 序号 column: it has no number but text
    elsewhere. Without one: each of its cells goes on with a cell of the row above whose
    last line was full (the next word would not have fitted on it)."""
    if above is None or not any(c.text.strip() for c in cells):
        return False
    if number_col is not None:
        return number_col < len(cells) and not cells[number_col].text.strip()
    for c, a in zip(cells, above, strict=False):
        if c.text.strip() and not (a.text.strip() and a.limit and _wrapped(
                a.last_right, a.last_latin and not a.last_spaced, c.first_word, c.first_latin, a.limit, a.size)):
            return False
    return True


# --- the document: tables with lines ---------------------------------------------------------

def _same_edges(a: _Lattice, xs: list[float], tol: float = 2.0) -> bool:
    """True when table ``a``'s column edges are edges of the document's table (``xs``),
    its outer edges the same: the table going on on another page."""
    if abs(a.xs[0] - xs[0]) > tol or abs(a.xs[-1] - xs[-1]) > tol:
        return False
    return all(abs(xs[_nearest(xs, x)] - x) <= tol for x in a.xs)


def _lattice_rows(t: _Lattice, xs: list[float]) -> list[_Row]:
    """The rows of table ``t`` on the columns of the document's table (edges ``xs``)."""
    own = t.rows()
    if len(t.xs) == len(xs):
        cols = list(range(len(xs) - 1))
    else:
        cols = [min(bisect.bisect_right(t.xs, (a + b) / 2) - 1, len(t.xs) - 2) for a, b in itertools.pairwise(xs)]
    out = []
    for r, row in enumerate(own):
        slots: list[Slot] = []
        cells: list[_CellText] = []
        for j, c in enumerate(cols):
            b = t.at[r][c]
            if j and cols[j - 1] == c:           # a column of the document this table merged
                slots.append(Slot(row[c].text, spanned=True))
            else:
                slots.append(row[c])
            cells.append(t.boxes[b].text if b is not None else _CellText())
        out.append(_Row(t.ys[r], slots, cells))
    return out


def _merged_over_break(above: list[Slot], rows: list[_Row]) -> None:
    """A cell merged over rows on both sides of a page break (a category over its items)
    is drawn as two cells, its text in the first: an empty cell that starts the page and
    spans two rows or more (a merged cell, and merged cells are not left empty) under a
    cell with text gets that text, as copies."""
    first = rows[0].slots
    for j, slot in enumerate(first):
        if j >= len(above) or slot.text.strip() or slot.spanned or slot.rowspan < 2:
            continue
        if above[j].text.strip():
            for row in rows[:slot.rowspan]:
                row.slots[j] = Slot(above[j].text, spanned=True)


def _read_lattice(doc: _Doc, pages: list[_Page]) -> bool:
    """Read the document's table from its ruling lines; False when no page has a lattice
    table with a disclosure-list header."""
    first: tuple[int, _Lattice] | None = None
    for pi, page in enumerate(pages):
        found = [t for t in page.tables if header_row_index(t.texts()) is not None]
        if found:
            first = (pi, max(found, key=lambda t: (table_score(t.texts()), len(t.boxes))))
            break
    if first is None:
        return False
    pi0, main = first
    texts = main.texts()
    h = header_row_index(texts) or 0
    head = {_keys(r) for r in texts[h:h + _header_rows(texts, h)]}
    number_col = _number_col(texts[h:h + len(head)])
    xs = main.xs
    going = True
    for pi, page in enumerate(pages):
        if pi < pi0 or not going:
            doc.page(_lines(page.chars), [])
            continue
        tables = sorted(page.tables, key=lambda t: t.top)
        if pi == pi0:
            tables = [t for t in tables if t.top >= main.top]
        rows: list[_Row] = []
        taken: list[_Lattice] = []
        rest = None
        for t in tables:
            if not _same_edges(t, xs):
                going = False
                break
            taken.append(t)
            trows = _lattice_rows(t, xs)
            if t is not main:
                while trows and _keys([s.text for s in trows[0].slots]) in head:
                    trows.pop(0)         # the header repeated on this page
                if trows and not rows and doc.rows:
                    _merged_over_break(doc.rows[-1].slots, trows)
                if trows and not rows and _continues(number_col, trows[0].cells, doc.last()):
                    rest = trows.pop(0).cells
            rows += trows
        if not taken:
            going = False
        inside = [c for c in page.chars if not any(t.contains(c) for t in taken)]
        doc.page(_lines(inside), rows, rest)
    return True


# --- the document: tables without lines ------------------------------------------------------

def _read_stream(doc: _Doc, pages: list[_Page]) -> bool:
    """Read the document's table from text aligned in columns; False when no page has a
    header band of known column headers."""
    layout: _Stream | None = None
    head: set[tuple[str, ...]] = set()
    head_blocks: set[tuple[str, ...]] = set()
    ended = False
    for page in pages:
        lines = _lines(page.chars)
        if layout is None and page.number > HEADER_SEARCH_ROWS:
            doc.page(lines, [])
            continue
        found = _find_header(lines)
        if (layout is None or ended) and found is None:
            doc.page(lines, [])
            continue
        rows: list[_Row] = []
        if found is not None:
            i, depth, blocks = found
            above, rest_lines = lines[:i], lines[i + depth:]
        if layout is None:
            assert found is not None
            body = [ln for ln in rest_lines if not _PAGE_NUMBER.match(ln.text())]
            layout = _stream_layout(blocks, body)
            end, spanning = _table_end(layout, body)
            if end < len(body) or spanning:     # the columns from the table's own rows only
                layout = _stream_layout(blocks, [ln for k, ln in enumerate(body[:end]) if k not in spanning])
            y = lines[i].top
            rows += [_Row(y + k * 0.01, slots, [_CellText(s.text) for s in slots])
                     for k, slots in enumerate(layout.header)]
            head = {_keys([s.text for s in slots]) for slots in layout.header}
            head_blocks = {_keys([b.text]) for b in blocks}
            first_page = True
        else:
            first_page = False
            if found is not None and {_keys([b.text]) for b in blocks} != head_blocks:
                ended = True            # the header of another table: this one has ended
                doc.page(lines, [])
                continue
            if found is None:           # no header repeated: the table goes on from the first line that fits
                k = 0
                while k < len(lines) and (_misfit(layout, lines[k]) or _PAGE_NUMBER.match(lines[k].text())):
                    k += 1
                above, rest_lines = lines[:k], lines[k:]
        rest_lines = [ln for ln in rest_lines if not _PAGE_NUMBER.match(ln.text())]
        end, spanning = _table_end(layout, rest_lines)
        body, below = rest_lines[:end], rest_lines[end:]
        rest = None
        at = {id(ln): k for k, ln in enumerate(body)}
        for n, group in enumerate(_stream_rows(layout, body, page.hrules, spanning)):
            if len(group) == 1 and at[id(group[0])] in spanning:
                rows.append(_spanning_row(layout, group[0]))
                continue
            cells = _stream_cells(layout, group)
            texts = [c.text for c in cells]
            if n == 0 and not first_page and _keys(texts) in head:
                continue
            if n == 0 and not first_page and _continues(layout.number_col, cells, doc.last()):
                rest = cells
                continue
            rows.append(_Row(group[0].top, [Slot(t) for t in texts], cells))
        # text below the table: it ends here, unless a page goes on with its header
        ended = bool(below)
        doc.page(above + below, rows, rest)
    return layout is not None


# --- the reader -----------------------------------------------------------------------------

def read_pdf(path: str | Path) -> CellGrid:
    """Read the disclosure table of a PDF into a :class:`CellGrid` (see the module docstring).

    Raises :class:`InputError` for a file that is not a PDF, a damaged or protected one, one
    beyond the limits, a scan without text, and a PDF whose text holds no table.
    """
    p = Path(path)
    name = str(path)
    _quiet_pdfminer()
    _Complaints.local.caught = caught = []
    try:
        pages = _load(name, p)
    finally:
        _Complaints.local.caught = None
    if not any(page.chars for page in pages):
        if any(page.images for page in pages):
            raise InputError(name, f"the PDF is {SCANNED}")
        raise InputError(name, "the PDF has no text and no images: nothing can be read from it")
    doc = _Doc(name)
    if not _read_lattice(doc, pages):
        doc = _Doc(name)
        if not _read_stream(doc, pages):
            scanned = [page.number for page in pages if page.images and not page.chars]
            if scanned:
                raise InputError(name, f"{NO_TABLE}; page{'s' if len(scanned) > 1 else ''} "
                                       f"{_ranges(scanned)} {'are' if len(scanned) > 1 else 'is'} {SCANNED}")
            undecoded = sum(1 for page in pages for c in page.chars if _CID.match(c.text))
            if undecoded * 3 > sum(len(page.chars) for page in pages):
                raise InputError(name, f"{NO_TABLE}: {UNDECODED}")
            raise InputError(name, NO_TABLE)
    if len(doc.rows) > MAX_ROWS:
        raise too_many_rows(name, len(doc.rows))
    warnings = []
    undecoded = sum(1 for row in doc.rows for s in row.slots if not s.spanned for _ in _CID.finditer(s.text))
    if undecoded:
        warnings.append(f"{undecoded:,} character{'s' if undecoded > 1 else ''} of the table "
                        f"{'are' if undecoded > 1 else 'is'} written (cid:N): {UNDECODED}")
    if caught:
        seen = list(dict.fromkeys(caught))
        warnings.append(f"the PDF is damaged in places, some of its text may be missing "
                        f"({'; '.join(seen[:3])}{' …' if len(seen) > 3 else ''})")
    return build_grid(name, FORMAT, doc.rows, preamble=doc.preamble, warnings=warnings)


def _ranges(numbers: list[int]) -> str:
    """``[2, 3, 4, 7]`` → ``2–4, 7``."""
    out: list[list[int]] = []
    for n in numbers:
        if out and out[-1][-1] == n - 1:
            out[-1].append(n)
        else:
            out.append([n])
    return ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]}–{r[-1]}" for r in out)
