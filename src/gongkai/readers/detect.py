"""Choose a reader by the file's content, not only by its extension.

Each reader module offers ``looks_like_<format>(head: bytes, path) -> bool`` and a
``read_<format>(path) -> CellGrid``. The table below is tried in order; the extension
only breaks ties (a tab-separated extraction is both a text table and a CSV file: ``.txt``
goes to the one, ``.csv`` to the other). A PDF is read by the PDF reader whatever its
name. Content that is known not to be a list (an image, an archive) is named ("the
content is a PNG image"); any other unrecognisable file gets one clear error naming it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from gongkai.errors import InputError, Text
from gongkai.readers import compound, signatures
from gongkai.readers.cell_lines import (
    CELL_LINES,
    SPACE_TEXT,
    UNDELIMITED,
    looks_like_cell_lines,
    looks_like_space_text,
    looks_like_undelimited,
    read_cell_lines,
    read_space_text,
    read_undelimited,
)
from gongkai.readers.csv import looks_like_csv, read_csv
from gongkai.readers.doc import looks_like_doc, read_doc
from gongkai.readers.docx import looks_like_docx, read_docx
from gongkai.readers.grid import CellGrid
from gongkai.readers.html import looks_like_html, read_html
from gongkai.readers.limits import MAX_COMPOUND_BYTES, MAX_PACKAGE_BYTES, MAX_TEXT_BYTES, too_big
from gongkai.readers.mhtml import looks_like_mhtml, read_mhtml
from gongkai.readers.numbered_text import FORMAT as NUMBERED_TEXT
from gongkai.readers.numbered_text import looks_like_numbered_text, read_numbered_text
from gongkai.readers.pdf import MAX_PDF_BYTES, looks_like_pdf, read_pdf
from gongkai.readers.pipe_text import FORMAT as PIPE_TEXT
from gongkai.readers.pipe_text import looks_like_pipe_text, read_pipe_text
from gongkai.readers.text_table import looks_like_text_table, read_text_table
from gongkai.readers.textfile import TEXT_SUFFIXES, decode_head, not_text_reason
from gongkai.readers.xls import looks_like_xls, read_xls
from gongkai.readers.xlsx import looks_like_xlsx, read_xlsx


@dataclass(frozen=True)
class ReaderSpec:
    format: str
    extensions: tuple[str, ...]
    sniff: Callable[[bytes, Path], bool]
    read: Callable[[Path], CellGrid]


def _text_table_sniff(head: bytes, path: Path) -> bool:  # noqa: ARG001  (the sniffer protocol: ReaderSpec.sniff(head, path))
    if b"\x00" in head or signatures.is_zip(head):
        return False      # binary: compressed bytes can hold stray tabs and newlines
    return looks_like_text_table(decode_head(head))


def _text_table_read(path: Path) -> CellGrid:
    return read_text_table(path)


READERS: list[ReaderSpec] = [
    ReaderSpec("xlsx", (".xlsx", ".xlsm"), looks_like_xlsx, read_xlsx),
    ReaderSpec("docx", (".docx", ".docm"), looks_like_docx, read_docx),
    ReaderSpec("html", (".html", ".htm", ".shtml", ".xhtml"), looks_like_html, read_html),
    ReaderSpec("mhtml", (".mhtml", ".mht"), looks_like_mhtml, read_mhtml),      # a page saved as one file
    ReaderSpec("text-table", (".txt", ".tsv"), _text_table_sniff, _text_table_read),
    ReaderSpec("csv", (".csv",), looks_like_csv, read_csv),
    ReaderSpec("xls", (".xls", ".et"), looks_like_xls, read_xls),        # Excel 97–2003, WPS
    ReaderSpec("doc", (".doc", ".wps"), looks_like_doc, read_doc),       # Word 97–2003, WPS: by LibreOffice
    ReaderSpec("pdf", (".pdf",), looks_like_pdf, read_pdf),
]

#: text extractions of web tables (tried after the formats above, which are more specific):
#: '|' after each cell; one cell per block of lines; cells separated by blanks; and cells
#: run together, recognised only to say why they cannot be read (last: any other reading
#: of the file is better)
WEB_TEXT_READERS: list[ReaderSpec] = [
    ReaderSpec(PIPE_TEXT, (".txt",), looks_like_pipe_text, read_pipe_text),
    ReaderSpec(CELL_LINES, (".txt",), looks_like_cell_lines, read_cell_lines),
    ReaderSpec(SPACE_TEXT, (".txt",), looks_like_space_text, read_space_text),
    ReaderSpec(NUMBERED_TEXT, (".txt",), looks_like_numbered_text, read_numbered_text),
    ReaderSpec(UNDELIMITED, (), looks_like_undelimited, read_undelimited),
]

HEAD_BYTES = 64 * 1024


def detect_format(path: Path) -> ReaderSpec:
    path = Path(path)
    try:
        with open(path, "rb") as f:
            head = f.read(HEAD_BYTES)
    except OSError as e:
        cause = e.strerror or str(e)
        raise InputError(str(path), Text(f"cannot read the file: {cause}", f"无法读取文件：{cause}"),
                         code="io") from None
    if not head.strip():
        raise InputError(str(path), Text("the file is empty", "文件是空的"), code="empty")
    size = path.stat().st_size
    limit = (MAX_PACKAGE_BYTES if signatures.is_zip(head) else
             MAX_COMPOUND_BYTES if compound.is_compound(head) else
             MAX_PDF_BYTES if looks_like_pdf(head) else MAX_TEXT_BYTES)
    if size > limit:
        raise too_big(str(path), size, limit)
    if compound.is_compound(head):
        compound.check(str(path), path)     # an encrypted or damaged legacy Office file: refused, saying so
    if looks_like_pdf(head):                # a PDF goes to the PDF reader, whatever its name
        return next(r for r in READERS if r.format == "pdf")
    what = signatures.describe(head, path)
    if what:
        raise InputError(str(path), Text(f"not a disclosure list: the content is {what}",
                                         f"不是政务公开清单：文件内容是 {what}"), code="not-a-list")
    ext = path.suffix.lower()
    readers = READERS + WEB_TEXT_READERS
    matches = [r for r in readers if r.sniff(head, path)]
    if not matches:
        if ext in TEXT_SUFFIXES and (why := not_text_reason(head)):
            raise InputError(str(path), why, code="not-text")    # UTF-16 without its mark, NUL bytes: said as such
        known = sorted({e for r in readers for e in r.extensions})
        if ext in known:        # a format gongkai reads, holding no list
            raise InputError(str(path), Text(
                "not a disclosure list: no table recognised in its content (no line of column headers such as "
                "序号, 公开事项, 公开内容, 公开依据, and no numbered catalogue under a title)",
                "不是政务公开清单：内容中没有可识别的表格（没有“序号、公开事项、公开内容、公开依据”这样的表头行，"
                "标题下也没有编号的目录）"), code="not-a-list")
        raise InputError(str(path), Text(f"not a disclosure list in a supported format ({', '.join(known)}): "
                                         "no table recognised in its content",
                                         f"不是受支持格式（{'、'.join(known)}）的政务公开清单：内容中没有可识别的表格"),
                         code="not-a-list")
    for r in matches:
        if ext in r.extensions:
            return r
    return matches[0]


def read_any(path: Path) -> CellGrid:
    return detect_format(path).read(path)
