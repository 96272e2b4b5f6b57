"""The document's own description: the title, author, subject, creating program and dates
a PDF's document information dictionary (``/Info``) holds.

A list's table does not always name its bureau or date; the document's properties
sometimes do (a Title 某某局政务公开目录, a CreationDate). They go to
``CellGrid.meta["document"]``, for the parsers to use where the table and its heading are
silent. A value that cannot be read is left out: the properties never stop a list being read.

Text strings are decoded as PDF writers write them: UTF-16 with its byte order mark
(big-endian as the standard says, little-endian as some tools write it), UTF-8 with its
mark (PDF 2.0), otherwise PDFDocEncoding — except bytes that are valid UTF-8 or GB18030
Chinese text, which Chinese tools write there without a mark. Dates (``D:20210616093000+08'00'``)
become ISO dates (``2021-06-16``), the day as written; a date naming no day is left out.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

#: the entries of /Info read, and the key each has in the grid's ``meta["document"]``
INFO_KEYS = {
    "Title": "title",
    "Author": "author",
    "Subject": "subject",
    "Creator": "creator",
    "CreationDate": "created",
    "ModDate": "modified",
}
_DATES = ("CreationDate", "ModDate")
#: the longest value kept: a title or a name, not a document hidden in the properties
MAX_VALUE = 500

_PDF_DATE = re.compile(r"^\s*(?:D:)?\s*(\d{4})(\d{2})(\d{2})")
_CJK = re.compile(r"[\u3400-\u9fff]")


def document_info(info: list[Any]) -> dict[str, str]:
    """The readable entries of the document's information dictionaries (pdfminer's
    ``PDFDocument.info``, one per trailer; the first to hold an entry wins), by the keys of
    ``INFO_KEYS``."""
    from pdfminer.psparser import PSLiteral

    out: dict[str, str] = {}
    for ref in info:
        d = _resolved(ref)
        if not isinstance(d, dict):
            continue
        for entry, key in INFO_KEYS.items():
            if key in out:
                continue
            value = _resolved(d.get(entry))
            if isinstance(value, PSLiteral):
                value = value.name
            text = decode_text(value) if isinstance(value, bytes) else value if isinstance(value, str) else None
            if text is None:
                continue
            text = " ".join("".join(ch for ch in text if ch.isprintable() or ch.isspace()).split())
            if entry in _DATES:
                text = pdf_date(text) or ""
            if text and len(text) <= MAX_VALUE:
                out[key] = text
    return out


def _resolved(obj: Any) -> Any:
    """``obj``, an indirect reference followed; None where it leads nowhere."""
    from pdfminer.pdftypes import resolve1

    try:
        return resolve1(obj)
    except Exception:      # a damaged reference: the entry is left out
        return None


def decode_text(raw: bytes) -> str:
    """A PDF text string as text (see the module docstring)."""
    from pdfminer.utils import decode_text as pdfdoc

    for mark, codec in ((b"\xfe\xff", "utf-16-be"), (b"\xff\xfe", "utf-16-le"), (b"\xef\xbb\xbf", "utf-8")):
        if raw.startswith(mark):
            return raw[len(mark):].decode(codec, "replace").replace("\ufffd", "")
    if raw.isascii():
        return raw.decode("ascii")
    for codec in ("utf-8", "gb18030"):
        try:
            text = raw.decode(codec)
        except UnicodeDecodeError:
            continue
        if codec == "utf-8" or _CJK.search(text):
            return text
    return pdfdoc(raw)


def pdf_date(text: str) -> str | None:
    """A PDF date (``D:YYYYMMDDHHmmSS…``; ``D:`` and the time optional) as an ISO date, its
    day as written; None when it names no day."""
    m = _PDF_DATE.match(text)
    if not m:
        return None
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3])).isoformat()
    except ValueError:
        return None
