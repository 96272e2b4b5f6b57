"""What the plain-text readers share: decoding a file and its ``# source: URL`` line.

Text extractions of web tables (``pipe-text``, ``cell-lines``, ``space-text``) are saved as
UTF-8 text whose first line may say where the page came from. Decoding errors are
reported once, here, the same way for every such reader.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError
from .preamble import source_url

# form feeds are page breaks some extractors emit; they are layout, not text
_FORM_FEED = "\x0c"


def read_text(path: str | Path) -> str:
    """The file's text (UTF-8, with or without BOM), with ``\\r`` and form feeds removed.

    Raises :class:`InputError` for a file that cannot be read, is empty, holds NUL bytes
    (binary data) or is not UTF-8.
    """
    name = str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as e:
        raise InputError(name, f"cannot read file ({e.strerror or e})") from e
    if not data.strip():
        raise InputError(name, "file is empty")
    if b"\x00" in data:
        raise InputError(name, "not a text file (contains NUL bytes; binary data?)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputError(name, f"not UTF-8 text (undecodable byte at offset {e.start})") from e
    return text.replace("\r", "").replace(_FORM_FEED, "")


def decode_head(head: bytes) -> str:
    """The first bytes of a file as text for sniffing: lenient, a cut character dropped."""
    for cut in range(4):
        try:
            return head[:len(head) - cut].decode("utf-8-sig")
        except UnicodeDecodeError:
            continue
    return head.decode("utf-8-sig", errors="ignore")


def numbered_lines(text: str) -> tuple[list[tuple[int, str]], dict[str, str]]:
    """(1-based line number, line) for every line, and the meta of a ``# source:`` first line.

    The source line itself is left out of the lines, so that nobody takes it for a title.
    """
    meta: dict[str, str] = {}
    lines = list(enumerate(text.split("\n"), start=1))
    for i, (_, line) in enumerate(lines):
        if not line.strip():
            continue
        url = source_url(line)
        if url:
            meta["source_url"] = url
            del lines[i]
        break
    return lines, meta
