"""A PDF opened and its pages loaded, within the limits: each page's characters, its
horizontal rules and its tables drawn with lines.

Refused with one clear line before anything is read: a file that is not a PDF, a damaged
or password-protected one, one too large, with too many pages, too many characters, or a
page whose drawing inflates beyond what a printed list needs. pdfminer's complaints about
a damaged file are kept for one warning of the grid (:class:`Complaints`), not printed.
"""

from __future__ import annotations

import logging
import re
import threading
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from gongkai.errors import InputError
from gongkai.readers.limits import MB, too_big
from gongkai.readers.pdf.chars import SPACES, Char
from gongkai.readers.pdf.info import document_info
from gongkai.readers.pdf.lattice import Lattice, lattice_tables

if TYPE_CHECKING:  # pdfplumber loads only when a PDF is read
    from pdfminer.pdftypes import PDFStream
    from pdfplumber.page import Page as PlumberPage
    from pdfplumber.pdf import PDF

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


def looks_like_pdf(head: bytes, path: Path | None = None) -> bool:  # noqa: ARG001  (the sniffer protocol: ReaderSpec.sniff(head, path))
    """A PDF file: ``%PDF-`` and a version number in its first 1024 bytes (PDF readers
    accept bytes before it, and some servers add them)."""
    return re.search(rb"%PDF-[12]\.\d", head[:1024]) is not None


@dataclass
class Page:
    """What the reader keeps of a page: its characters, how many images it shows, its
    horizontal rules and its tables drawn with lines."""

    number: int                      # 1-based
    chars: list[Char]
    images: int
    hrules: list[tuple[float, float, float]]   # horizontal rules: (y, x0, x1)
    tables: list[Lattice] = field(default_factory=list)


@dataclass
class Loaded:
    """The pages of a PDF, and what its document information says (``info.document_info``)."""

    pages: list[Page]
    info: dict[str, str]


def _damaged(name: str, e: Exception) -> InputError:
    """The refusal of a file pdfminer cannot parse, naming what it said."""
    detail = " ".join(f"{type(e).__name__}: {e}".split())[:200]
    return InputError(name, f"the PDF is damaged or truncated ({detail})")


def _streams(page: PlumberPage) -> list[PDFStream]:
    """The page's content streams and the forms (XObjects) it draws."""
    from pdfminer.pdftypes import PDFStream, resolve1

    streams: list[PDFStream] = []
    contents = resolve1(page.page_obj.attrs.get("Contents"))
    for ref in contents if isinstance(contents, list) else [contents]:
        s = resolve1(ref)
        if isinstance(s, PDFStream):
            streams.append(s)
    resources = resolve1(page.page_obj.attrs.get("Resources")) or {}
    xobjects = resolve1(resources.get("XObject")) if isinstance(resources, dict) else None
    for ref in xobjects.values() if isinstance(xobjects, dict) else ():
        x = resolve1(ref)
        if isinstance(x, PDFStream) and getattr(resolve1(x.attrs.get("Subtype")), "name", None) == "Form":
            streams.append(x)
    return streams


def _check_content(name: str, page: PlumberPage, number: int) -> None:
    """Refuse a page whose drawing operators (content streams and the forms they draw)
    inflate beyond ``MAX_PAGE_CONTENT_BYTES``, before pdfminer inflates them whole."""
    from pdfminer.pdftypes import resolve1

    total = 0
    for s in _streams(page):
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


def page_chars(page: PlumberPage, name: str, number: int) -> list[Char]:
    """The page's upright, printable characters on the page, from its top left corner."""
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
        text = "".join(ch for ch in text if ch.isprintable() or ch in SPACES)
        if not text:
            continue
        x0, x1 = float(c["x0"]) - x_off, float(c["x1"]) - x_off
        top, bottom = float(c["top"]) - y_off, float(c["bottom"]) - y_off
        if x1 < 0 or x0 > w or bottom < 0 or top > h:
            continue                      # outside the page: not printed
        out.append(Char(text, x0, x1, top, bottom, float(c.get("size") or (bottom - top) or 10)))
    return out


def _hrules(page: PlumberPage) -> list[tuple[float, float, float]]:
    """The page's horizontal lines and rectangle edges: (y, x0, x1)."""
    return [(float(e["top"]), float(e["x0"]), float(e["x1"])) for e in page.edges if e.get("orientation") == "h"]


def _open(name: str, path: Path) -> PDF:
    """The PDF at ``path`` opened, or refused (not a PDF, too large, protected, damaged,
    no pages or too many)."""
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


class Complaints(logging.Handler):
    """pdfminer's and pdfplumber's warnings about a damaged file (a stream that does not
    inflate, a font without metrics): kept for the reading in progress in this thread, to
    be named in one warning of the grid, instead of being printed to standard error."""

    local = threading.local()

    def emit(self, record: logging.LogRecord) -> None:
        caught = getattr(self.local, "caught", None)
        if caught is not None and len(caught) < 100:
            caught.append(record.getMessage())


def quiet_pdfminer() -> None:
    """pdfminer's and pdfplumber's warnings to :class:`Complaints`, not to standard error."""
    for logger in (logging.getLogger("pdfminer"), logging.getLogger("pdfplumber")):
        if not any(isinstance(h, Complaints) for h in logger.handlers):
            logger.addHandler(Complaints(logging.WARNING))
            logger.propagate = False
            logger.setLevel(logging.WARNING)


def load(name: str, path: Path) -> Loaded:
    """Every page's characters, rules and lattice tables, the limits checked as they come;
    and the document information."""
    pdf = _open(name, path)
    pages: list[Page] = []
    total = 0
    try:
        info = document_info(pdf.doc.info)
        for i, page in enumerate(pdf.pages, start=1):
            try:
                _check_content(name, page, i)
                chars = page_chars(page, name, i)
                total += len(chars)
                if total > MAX_CHARS:
                    raise InputError(name, f"the PDF holds more than {MAX_CHARS:,} characters by page {i}, "
                                           "more than a list can (is it the right file?)")
                p = Page(i, chars, len(page.images), _hrules(page) if chars else [])
                if chars:
                    p.tables = lattice_tables(page, chars)
            except InputError:
                raise
            except Exception as e:
                raise _damaged(name, e) from None
            finally:
                page.close()
            pages.append(p)
    finally:
        pdf.close()
    return Loaded(pages, info)
