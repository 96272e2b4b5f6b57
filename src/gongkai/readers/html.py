"""Reader for web pages (.html): path → :class:`CellGrid` (format id ``html``).

Portals publish the list as an HTML table inside a page of navigation, often inside layout
tables, with merged category cells written as ``rowspan``/``colspan``. The reader:

- decodes the page: a byte-order mark, else the declared charset (``<meta charset>`` or
  ``http-equiv``, found with BeautifulSoup's ``EncodingDetector``; GB2312/GBK are read as
  GB18030, their superset), else UTF-8, else GB18030 — each strictly, so that a wrong
  guess is noticed instead of producing mojibake;
- parses with lxml, which keeps source line numbers (``Cell.line`` is the line of the
  ``<tr>``) — BeautifulSoup's lxml builder drops them;
- expands spans into a rectangle (copies flagged ``spanned``), a nested table's text
  staying inside the cell that holds it;
- picks the data table by its header (known column headers near the top), then by not
  containing other tables (a layout table holds the data table but is not it), then size;
  tables that continue it (the same columns and the same header repeated, or the body of
  a table whose header was put in a table of its own) are appended;
- turns what a browser shows without text into text the field parsers read: ``<br>`` and
  block elements become line breaks; check boxes (``<input type="checkbox">``) become
  ``■`` (checked) or ``□`` (not checked) in front of their label;
- keeps the text before the table (title, 发布日期 …) as the preamble, and the page's
  address (a first line ``# source: URL``, a ``<!-- source: URL -->`` comment,
  ``<meta name="source">``, ``<link rel="canonical">``, ``og:url``, or the "saved from
  url" mark browsers add, in that order) in ``meta["source_url"]``;
- keeps what the page says about itself in its ``<head>`` as the document's facts
  (:data:`~gongkai.readers.grid.DOCUMENT`): the ``<meta>`` tags Chinese government sites
  carry (``ArticleTitle``, ``PubDate``, ``ContentSource``, ``SiteName``, ``Author`` …, see
  ``_META_FACTS``) and the ``<title>``;
- appends a table that goes on with the list but was saved one column wider or narrower
  (an empty column at its end, as a table pasted from Word often has), and says so when a
  table after the list goes on with its item numbers but cannot be appended.

:func:`read_page` reads a page given as bytes (the MHTML reader hands it the page of a
saved web archive).
"""

from __future__ import annotations

import codecs
import re
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING

from gongkai.errors import InputError
from gongkai.readers import signatures
from gongkai.readers.assemble import Slot, SourceRow, build_grid, expand
from gongkai.readers.grid import CellGrid, set_document_fact
from gongkai.readers.limits import TableBudget, read_limited
from gongkai.readers.preamble import continues_numbering, header_row_index, header_score, source_url, table_score
from gongkai.text import key

if TYPE_CHECKING:  # lxml is loaded only when a page is read
    from lxml.etree import _Element, _ListErrorLog

FORMAT = "html"

_BLOCKS = frozenset({
    "address", "article", "aside", "blockquote", "center", "dd", "div", "dl", "dt", "fieldset",
    "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr",
    "li", "main", "nav", "ol", "p", "pre", "section", "table", "tbody", "tfoot", "thead", "tr", "ul",
    "caption",
})
_CELLS = frozenset({"td", "th"})
_SKIP = frozenset({"script", "style", "noscript", "template", "head", "select", "textarea", "button",
                   "iframe", "object", "svg"})
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_HTML_WS = re.compile(r"[ \t\r\n\f\u00a0]+")
_INT = re.compile(r"\d+")
_SAVED_FROM = re.compile(r"<!--\s*saved from url=\(\d+\)(\S+?)\s*-->", re.IGNORECASE)
_SOURCE_COMMENT = re.compile(r"<!--\s*source\s*:\s*(\S+?)\s*-->", re.IGNORECASE)
_MARKUP_START = re.compile(r"<(?:!doctype\s+html|html|head|body|table|meta|title|div)\b", re.IGNORECASE)
_GB = frozenset({"gb2312", "gbk", "gb_2312-80", "x-gbk", "cp936", "ms936", "euc-cn", "csgb2312", "gb18030"})

_MAX_COLSPAN = 1000        # the HTML limits; a larger value is a typo, not a layout

#: ``<meta name=…>`` (or ``property=…``) tags and the document fact each gives, strongest
#: first; names compared without case. The first group are those of the 政府网站发展指引
#: (国办发〔2017〕47号) that most Chinese government sites carry.
_META_FACTS: tuple[tuple[str, str], ...] = (
    ("ArticleTitle", "title"), ("PubDate", "published"), ("ContentSource", "publisher"),
    ("Author", "author"), ("SiteName", "site"),
    ("firstpublishedtime", "published"), ("publishdate", "published"), ("publishtime", "published"),
    ("article:published_time", "published"), ("dc.date", "published"), ("dcterms.issued", "published"),
    ("lastmodifiedtime", "modified"), ("article:modified_time", "modified"), ("dcterms.modified", "modified"),
    ("og:title", "title"), ("dc.title", "title"),
    ("dc.publisher", "publisher"), ("publisher", "publisher"), ("dc.creator", "author"),
    ("og:site_name", "site"), ("dc.source", "publisher"),
)
_MAX_ROWSPAN = 65534


# --- decoding ------------------------------------------------------------------

def _strict(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (ValueError, LookupError):     # not that encoding; no such codec (a NUL in its name)
        return None


def decode(name: str, data: bytes, charset: str | None = None) -> tuple[str, str]:
    """The page's text and the encoding used (see the module docstring). ``charset``: the
    encoding the page came with from outside (an archive's ``Content-Type``), tried first."""
    if charset and not data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        enc = "gb18030" if charset.lower() in _GB else charset.lower()
        text = _strict(data, enc)
        if text is not None:
            return text, enc
    if data.startswith(codecs.BOM_UTF8):
        text = _strict(data[3:], "utf-8")
        if text is None:
            raise InputError(name, "the page declares UTF-8 (byte-order mark) but the byte at offset "
                                   f"{_first_bad_utf8(data)} is not valid UTF-8")
        return text, "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = _strict(data, "utf-16")
        if text is None:
            raise InputError(name, "the page declares UTF-16 (byte-order mark) but is not valid UTF-16")
        return text, "utf-16"
    from bs4.dammit import EncodingDetector  # lazy: only when a web page is read

    declared = EncodingDetector.find_declared_encoding(data[:16384], is_html=True)
    tried: list[str] = []
    if declared:
        # as the page writes it, on one line and short (a damaged page declares anything)
        declared = " ".join(declared.split())[:40]
        enc = "gb18030" if declared.lower() in _GB else declared.lower()
        text = _strict(data, enc)
        if text is not None:
            return text, enc
        tried.append(enc)
    for enc in ("utf-8", "gb18030"):
        if enc not in tried:
            text = _strict(data, enc)
            if text is not None:
                return text, enc
            tried.append(enc)
    raise InputError(name, f"the page is not valid text in {' or '.join(tried)} "
                           f"(first bad UTF-8 byte at offset {_first_bad_utf8(data)})")


def _first_bad_utf8(data: bytes) -> int:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as e:
        return e.start
    return -1


# --- text of an element ----------------------------------------------------------

def _tag(el: _Element) -> str | None:
    return el.tag.lower() if isinstance(el.tag, str) else None


def _hidden(el: _Element) -> bool:
    return el.get("hidden") is not None or bool(_HIDDEN_STYLE.search(el.get("style") or ""))


def _box(el: _Element) -> str | None:
    if (el.get("type") or "").lower() in ("checkbox", "radio"):
        return "■" if el.get("checked") is not None else "□"
    return None


def _lines(parts: list[str]) -> str:
    """Join text pieces: blanks collapse as a browser does, ``\\n`` pieces are line breaks."""
    lines = [_HTML_WS.sub(" ", line).strip() for line in "".join(parts).split("\n")]
    return "\n".join(line for line in lines if line)


def element_text(el: _Element) -> str:
    """The text a browser shows for an element, with line breaks where it breaks lines.

    The walk keeps its own stack (a page may nest elements deeper than Python recurses)."""
    parts: list[str] = []
    # (element, is the element itself, closing: its children are done)
    stack: list[tuple[_Element, bool, bool]] = [(el, True, False)]
    while stack:
        e, top, closing = stack.pop()
        tag = _tag(e)
        if not closing and tag is not None and tag not in _SKIP and not _hidden(e):
            if tag == "br":
                parts.append("\n")
            elif tag == "input":
                box = _box(e)
                if box:
                    parts.append(box)
            else:
                if tag in _BLOCKS:
                    parts.append("\n")
                elif tag in _CELLS and not top:
                    parts.append(" ")
                if e.text:
                    parts.append(_HTML_WS.sub(" ", e.text))
                stack.append((e, top, True))
                stack.extend((child, False, False) for child in reversed(e))
                continue
        if closing and tag in _BLOCKS:
            parts.append("\n")
        if not top and e.tail:
            parts.append(_HTML_WS.sub(" ", e.tail))
    return _lines(parts)


# --- tables --------------------------------------------------------------------------

def _span(value: str | None, limit: int) -> int:
    """A rowspan/colspan attribute as a number; 0 (rowspan: to the end of the table) is kept."""
    m = _INT.search(value or "")
    return min(int(m.group()), limit) if m else 1


def own_rows(table: _Element) -> list[_Element]:
    """The ``<tr>`` of a table, not those of tables nested in its cells."""
    out = []
    stack = list(reversed(list(table)))
    while stack:
        e = stack.pop()
        tag = _tag(e)
        if tag == "tr":
            out.append(e)
        elif tag is not None and tag != "table" and tag not in _CELLS:
            stack.extend(reversed(list(e)))
    return out


class _Table:
    def __init__(self, el: _Element, order: int, budget: TableBudget | None = None) -> None:
        self.el = el
        self.order = order
        budget = budget if budget is not None else TableBudget("")
        trs = [tr for tr in own_rows(el) if not _hidden(tr)]
        raw = []
        for tr in trs:
            tds = [td for td in tr if _tag(td) in _CELLS]
            budget.add_row(len(tds))
            raw.append([(element_text(td), _span(td.get("rowspan"), _MAX_ROWSPAN),
                         _span(td.get("colspan"), _MAX_COLSPAN)) for td in tds])
        self.rows = [SourceRow(tr.sourceline, slots) for tr, slots in zip(trs, expand(raw, budget.name), strict=True)]
        self.texts = [r.texts() for r in self.rows if any(not s.empty for s in r.slots)]
        self.width = max((len(r.slots) for r in self.rows), default=0)
        # the columns up to the last one with text in any row: an empty column at the end
        # (a table pasted from Word) does not count
        self.used_width = max((j + 1 for r in self.rows for j, sl in enumerate(r.slots) if not sl.empty), default=0)
        self.header = header_row_index(self.texts)
        self.nested = any(True for _ in el.iterdescendants("table"))

    @property
    def has_text(self) -> bool:
        return bool(self.texts)

    def rank(self) -> tuple[bool, int, bool, int]:
        return (self.header is not None, table_score(self.texts), not self.nested, len(self.texts))

    def header_texts(self) -> list[str] | None:
        if self.header is None:
            return None
        keys = [key(t) for t in self.texts[self.header]]
        while keys and not keys[-1]:        # an empty column at the end does not make another header
            keys.pop()
        return keys

    def header_only(self) -> bool:
        """A table holding only header rows (the header put in a table of its own)."""
        if self.header is None:
            return False
        return all(header_score(texts) > 0 for texts in self.texts[self.header + 1:])


def _fits(chosen: _Table, t: _Table) -> bool:
    """The same columns: as many, or as many with text (an empty column at the end of one
    of them, as a table pasted from Word has)."""
    return t.width == chosen.width or max(t.used_width, chosen.used_width) <= min(t.width, chosen.width)


def _continuations(chosen: _Table, tables: list[_Table], warnings: list[str]) -> list[_Table]:
    """Tables after the chosen one that continue it, each right after the one before: the
    same columns (``_fits``) and either the same header repeated, or no header (a table
    re-started on each page without repeating it, whose item numbers go on:
    ``continues_numbering``). A table whose numbers go on but whose columns differ is not
    appended, and ``warnings`` says so."""
    out: list[_Table] = []
    header = chosen.header_texts()
    so_far = list(chosen.texts)
    inside = set(chosen.el.iterdescendants("table"))
    for t in tables:
        if t.order <= chosen.order or t.el in inside or not t.has_text:
            continue
        if header is None:
            break
        goes_on = t.header is None and continues_numbering(so_far, chosen.header, t.texts)
        if not _fits(chosen, t):
            if goes_on or t.header_texts() == header:
                n = len(t.texts)
                warnings.append(f"a table after the list (line {t.el.sourceline}) goes on with it but has "
                                f"{t.used_width} columns instead of {chosen.used_width}: its "
                                f"{n} row{' was' if n == 1 else 's were'} not read")
            break
        if t.header_texts() == header or (t.header is None and (
                (not out and chosen.header_only()) or goes_on)):
            out.append(t)
            so_far += t.texts
            inside.update(t.el.iterdescendants("table"))
        else:
            break
    return out


def _fitted(rows: list[SourceRow], width: int) -> list[SourceRow]:
    """Rows cut or padded to ``width`` slots (what is cut is empty: ``_fits``)."""
    return [SourceRow(r.line, (r.slots + [Slot("") for _ in range(width - len(r.slots))])[:width])
            for r in rows]


# --- preamble and source --------------------------------------------------------------

def _text_before(root: _Element, stop: _Element) -> list[tuple[int, str]]:
    """Lines of text that precede ``stop`` in document order, each with its source line."""
    out: list[tuple[int, str]] = []
    buf: list[str] = []
    line = 0

    def flush() -> None:
        text = _lines(buf)
        out.extend((line, piece) for piece in text.split("\n") if piece)
        buf.clear()

    # (element, closing: its children are done); an explicit stack, as in element_text
    stack: list[tuple[_Element, bool]] = [(root, False)]
    while stack:
        e, closing = stack.pop()
        if e is stop:
            break
        tag = _tag(e)
        block = tag in _BLOCKS or tag in _CELLS
        if not closing and tag is not None and tag not in _SKIP and not _hidden(e):
            if tag == "br":
                buf.append("\n")
            elif tag == "input":
                box = _box(e)
                if box:
                    buf.append(box)
            else:
                if block:
                    flush()
                if not buf or not "".join(buf).strip():
                    line = e.sourceline or line
                if e.text:
                    buf.append(_HTML_WS.sub(" ", e.text))
                stack.append((e, True))
                stack.extend((child, False) for child in reversed(e))
                continue
        if closing and block:
            flush()
        if e.tail:
            buf.append(_HTML_WS.sub(" ", e.tail))
    flush()
    return out


def _page_source(root: _Element, text: str) -> str | None:
    m = _SOURCE_COMMENT.search(text[:4096])
    if m:
        return m.group(1)
    for xpath in ('//meta[@name="source"]/@content', '//meta[@name="Source"]/@content',
                  '//link[@rel="canonical"]/@href', '//meta[@property="og:url"]/@content'):
        found = [v.strip() for v in root.xpath(xpath) if v and v.strip()]
        if found:
            return found[0]
    m = _SAVED_FROM.search(text[:4096])
    return m.group(1) if m else None


# --- the reader ----------------------------------------------------------------------

#: how deep libxml2's HTML parser nests elements with ``huge_tree`` (256 without)
PARSER_DEPTH = 2048
#: tables inside tables inside …: a layout nests the data table 2–5 deep. Each level
#: reads the text of the levels inside it, so the depth multiplies the work
MAX_TABLE_NESTING = 16


def _check_parsed(name: str, root: _Element, log: _ListErrorLog) -> None:
    """Refuse a page the parser read only in part (its nesting deeper than libxml2 goes),
    or whose tables nest deeper than ``MAX_TABLE_NESTING``."""
    for entry in log:
        if entry.type_name == "ERR_RESOURCE_LIMIT" or "Excessive depth" in entry.message:
            raise InputError(name, f"the page nests its elements deeper than the HTML parser reads "
                                   f"({PARSER_DEPTH:,} levels, reached at line {entry.line}); what lies deeper "
                                   "would be lost, so nothing was read. Save the table alone as a page, "
                                   "or export it as .xlsx or .csv")
    for table in root.iter("table"):
        depth = 1 + sum(1 for _ in islice(table.iterancestors("table"), MAX_TABLE_NESTING))
        if depth > MAX_TABLE_NESTING:
            raise InputError(name, f"tables are nested more than {MAX_TABLE_NESTING} deep (tables inside "
                                   "tables): not a list's page layout. Save the table alone as a page, or "
                                   "export it as .xlsx or .csv", row=table.sourceline)

def looks_like_html(head: bytes, path: Path | None = None) -> bool:
    """Markup: the content (after a byte-order mark, blanks and a ``# source:`` line) starts
    with ``<`` and the first bytes hold an ``<html>``, ``<body>``, ``<table>`` … tag."""
    if signatures.describe(head, path) or signatures.is_zip(head):
        return False
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = head.decode("utf-16", "ignore")
    else:
        text = head.decode("utf-8", "replace")
    text = text.lstrip("\ufeff \t\r\n")
    first, _, rest = text.partition("\n")
    if source_url(first):
        text = rest.lstrip()
    return text.startswith("<") and bool(_MARKUP_START.search(text))


def read_html(path: str | Path) -> CellGrid:
    """Read the disclosure table of a web page into a :class:`CellGrid` (see the module docstring).

    Raises :class:`InputError` for an unreadable or undecodable file and a page without a table.
    """
    name = str(path)
    data = read_limited(path)
    if not data.strip():
        raise InputError(name, "the file is empty")
    what = signatures.content_kind(data[:65536], Path(path))
    if what:
        raise InputError(name, f"not a web page: the content is {what}")
    return read_page(name, data)


def _head_facts(root: _Element, meta: dict[str, str]) -> None:
    """The page's ``<meta>`` tags of ``_META_FACTS`` and its ``<title>``, as document facts."""
    tags: dict[str, tuple[str, str]] = {}
    for el in root.iter("meta"):
        label = (el.get("name") or el.get("property") or "").strip()
        content = " ".join((el.get("content") or "").split())
        if label and content:
            tags.setdefault(label.lower(), (label, content))
    for label, fact in _META_FACTS:
        if label.lower() in tags:
            written, content = tags[label.lower()]
            set_document_fact(meta, fact, content, f"<meta name={written}>")
    if meta.get("title"):
        set_document_fact(meta, "title", meta["title"], "<title>")


def read_page(name: str, data: bytes, *, charset: str | None = None,
              meta: dict[str, str] | None = None, fmt: str = FORMAT) -> CellGrid:
    """Read the disclosure table of a page given as bytes (see the module docstring).

    ``name`` names the file in messages; ``charset`` is an encoding the page came with
    (tried first), ``meta`` what is already known about it (its address wins over the
    page's own), ``fmt`` the grid's format id.
    """
    import lxml.etree  # lazy: only when a web page is read
    import lxml.html  # lazy: only when a web page is read

    text, encoding = decode(name, data, charset)
    meta = {**(meta or {}), "encoding": encoding}
    first, nl, rest = text.partition("\n")
    url = source_url(first.rstrip("\r"))
    if url:
        meta.setdefault("source_url", url)
        text = nl + rest          # keep the newline so that line numbers stay those of the file
    if not text.strip():
        raise InputError(name, "the file is empty")
    # huge_tree: libxml2 stops at 256 levels of nesting otherwise, and silently drops what
    # lies deeper (the rest of the list); with it the limit is 2048, and reaching that is
    # an error below, never a page read in part
    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True, huge_tree=True)
    try:
        root = lxml.html.document_fromstring(text.encode("utf-8"), parser=parser)
    except (lxml.etree.ParserError, ValueError) as e:
        raise InputError(name, f"not a readable web page ({e})") from None
    _check_parsed(name, root, parser.error_log)
    if "source_url" not in meta:
        found = _page_source(root, text)
        if found:
            meta["source_url"] = found
    titles = root.xpath("//title")
    if titles and element_text(titles[0]):
        meta["title"] = " ".join(element_text(titles[0]).split())
    _head_facts(root, meta)

    budget = TableBudget(name)
    tables = [_Table(el, k, budget) for k, el in enumerate(root.iter("table"))]
    tables = [t for t in tables if t.has_text]
    if not tables:
        raise InputError(name, "no table in the page")
    chosen = max(tables, key=lambda t: (t.rank(), -t.order))
    rows = list(chosen.rows)
    warnings: list[str] = []
    for t in _continuations(chosen, tables, warnings):
        rows.extend(_fitted(t.rows, chosen.width))
    preamble = _text_before(root, chosen.el)
    return build_grid(name, fmt, rows, preamble=preamble, meta=meta, warnings=warnings)
