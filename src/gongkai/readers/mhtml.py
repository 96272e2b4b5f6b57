"""Reader for saved web archives (.mhtml, .mht): path → :class:`CellGrid` (format id ``mhtml``).

A browser's "save as a single file" (Chrome and Edge: ``.mhtml``; Internet Explorer and
WPS: ``.mht``) writes the page and everything it shows as one MIME message: a
``multipart/related`` body whose parts are the page (``text/html``, quoted-printable or
base64, in the page's charset or UTF-8), its frames, style sheets and images. The reader:

- recognises the message by its headers (``MIME-Version``, ``Content-Type:
  multipart/related`` or ``text/html``), whatever the file's name;
- takes the page part (the one the ``start`` parameter names, else the first ``text/html``
  part) and reads it as a web page (:func:`gongkai.readers.html.read_page`), with the
  charset of its ``Content-Type`` when one is given; a table in a frame (another
  ``text/html`` part) is read when the page itself has none, or a worse one;
- keeps the page's address (``Snapshot-Content-Location``, else the part's
  ``Content-Location``) in ``meta["source_url"]``, and the message's ``Subject`` (the page's
  title) as the document's title when the page has none.

``Cell.line`` is the line in the page as the archive holds it decoded, not in the archive.
"""

from __future__ import annotations

import email
import email.header
import email.policy
import re
from email.message import Message
from pathlib import Path

from gongkai.errors import InputError
from gongkai.readers import signatures
from gongkai.readers.grid import CellGrid, set_document_fact
from gongkai.readers.html import read_page
from gongkai.readers.limits import read_limited
from gongkai.readers.preamble import header_row_index, table_score

FORMAT = "mhtml"

_HEADER_LINE = re.compile(rb"^(?:[A-Za-z][A-Za-z0-9-]*:|[ \t])")
_PAGE_TYPES = ("multipart/related", "text/html")


def _header_block(head: bytes) -> bytes | None:
    """The message's header lines (up to the first blank line), or None when the first
    lines are not MIME headers."""
    head = head.lstrip(b"\r\n")
    end = min((i for i in (head.find(b"\r\n\r\n"), head.find(b"\n\n")) if i >= 0), default=-1)
    if end <= 0 or end > 16384:
        return None
    block = head[:end]
    if not all(_HEADER_LINE.match(line) for line in block.splitlines() if line.strip()):
        return None
    return block


def looks_like_mhtml(head: bytes, path: Path | None = None) -> bool:
    """A MIME message whose headers declare a ``multipart/related`` body (or a single page
    with ``MIME-Version``): a saved web archive."""
    if signatures.describe(head, path) or signatures.is_zip(head):
        return False
    block = _header_block(head)
    if block is None:
        return False
    low = block.lower()
    content_type = re.search(rb"^content-type:[ \t]*([a-z/]+)", low, re.MULTILINE)
    if content_type is None:
        return False
    kind = content_type.group(1).decode("ascii")
    return kind == "multipart/related" or (kind == "text/html" and b"mime-version:" in low)


def _decoded_header(value: str | None) -> str:
    if not value:
        return ""
    try:
        return str(email.header.make_header(email.header.decode_header(value)))
    except (LookupError, UnicodeError, ValueError):
        return value


def _pages(message: Message) -> list[Message]:
    """The ``text/html`` parts, the page itself first (the part ``start`` names, else the first)."""
    pages = [p for p in message.walk() if p.get_content_type() == "text/html"]
    start = (message.get_param("start") or "") if message.is_multipart() else ""
    if isinstance(start, str) and start.strip("<>"):
        cid = start.strip("<>")
        pages.sort(key=lambda p: (p.get("Content-ID") or "").strip("<>") != cid)
    return pages


def _payload(part: Message) -> bytes:
    data = part.get_payload(decode=True)
    return data if isinstance(data, bytes) else b""


def _rank(grid: CellGrid) -> tuple[bool, int]:
    texts = grid.texts()
    return header_row_index(texts) is not None, table_score(texts)


def read_mhtml(path: str | Path) -> CellGrid:
    """Read the disclosure table of a saved web archive into a :class:`CellGrid` (see the
    module docstring).

    Raises :class:`InputError` for a file that is not a web archive, an archive without a
    page, and a page without a table.
    """
    name = str(path)
    data = read_limited(path)
    if not data.strip():
        raise InputError(name, "the file is empty")
    if not looks_like_mhtml(data[:65536], Path(path)):
        raise InputError(name, "not a saved web archive (.mhtml): the file does not start with MIME headers "
                               "declaring multipart/related")
    message = email.message_from_bytes(data.lstrip(b"\r\n"), policy=email.policy.compat32)
    pages = _pages(message)
    if not pages:
        raise InputError(name, "the web archive holds no page (no text/html part)")
    url = (message.get("Snapshot-Content-Location") or pages[0].get("Content-Location") or "").strip()
    best: CellGrid | None = None
    first_error: InputError | None = None
    for k, part in enumerate(pages):
        meta = {"source_url": url} if url and k == 0 else {}
        try:
            grid = read_page(name, _payload(part), charset=part.get_content_charset(), meta=meta, fmt=FORMAT)
        except InputError as e:
            first_error = first_error or e
            continue
        if best is None or _rank(grid) > _rank(best):
            best = grid
    if best is None:
        assert first_error is not None
        raise first_error
    if url:
        best.meta["source_url"] = url
    subject = _decoded_header(message.get("Subject"))
    if subject:
        set_document_fact(best.meta, "title", subject, "archive Subject")
    return best
