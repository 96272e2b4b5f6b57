"""What the text readers share: decoding a file and its ``# source: URL`` line.

Text extractions of web tables (``pipe-text``, ``cell-lines``, ``space-text``,
``text-table``) and delimited files (``csv``) are saved as UTF-8 (with or without a
byte-order mark) or, by Windows tools on a Chinese system, as GBK (a subset of GB18030);
Excel's "Unicode text" is UTF-16 with a mark. The first line may say where the page came
from. Decoding, and its errors, happen here, the same way for every such reader.

The encoding is tried strictly, in the order ``utf-8-sig`` (only when the mark is there),
``utf-16`` (likewise), ``utf-8``, ``gb18030``: a GBK file never decodes as UTF-8 by
accident, while UTF-8 bytes often form valid GB18030, so UTF-8 must come first. A file
that *declares* UTF-8 with a mark but holds other bytes is refused rather than read in
another encoding: the mark says what the writer meant, and guessing past it would hide a
broken export.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from gongkai.errors import InputError, Text
from gongkai.readers.limits import MAX_TEXT_LINES, read_limited
from gongkai.readers.preamble import source_url

# form feeds are page breaks some extractors emit; they are layout, not text
_FORM_FEED = "\x0c"
# the byte-order marks of UTF-16 (Excel's "Unicode text")
UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
#: the extensions of files that say they are text
TEXT_SUFFIXES = (".txt", ".csv", ".tsv")
#: share of the NUL bytes that must fall on one side (odd or even offsets) of UTF-16 text: the
#: high bytes of ASCII characters; a few CJK characters (一 U+4E00) put one on the other side
_UTF16_SIDE = 0.75


def not_text_reason(head: bytes) -> str | None:
    """Why the first bytes of a file named as text (``TEXT_SUFFIXES``) are not text gongkai can
    read, or None: UTF-16 without its byte-order mark (the NUL bytes of ASCII characters all
    on odd offsets, or all on even ones, and the whole decoding cleanly), or NUL bytes of binary
    data. Said instead of "no table recognised", which would send the user looking at the table.
    """
    if b"\x00" not in head or head.startswith(UTF16_BOMS):
        return None
    utf16 = _utf16_without_mark(head)
    if utf16:
        return Text(f"the file is UTF-16 text ({utf16}) without a byte-order mark, which cannot be told "
                    "from binary data for sure: save it again as UTF-8 (or as UTF-16 with its mark, "
                    "Excel's \"Unicode text\")",
                    f"文件是没有字节顺序标记（BOM）的 UTF-16 文本（{utf16}），无法可靠地与二进制数据区分："
                    "请另存为 UTF-8（或带 BOM 的 UTF-16，即 Excel 的“Unicode 文本”）")
    at = head.index(b"\x00")
    return Text(f"not a text file: it holds NUL bytes (the first at offset {at}), so it is binary data "
                "(another format with a text file's name?) rather than text",
                f"不是文本文件：其中含有 NUL 字节（第一个在偏移 {at} 处），是二进制数据"
                "（也许是另一种格式的文件用了文本文件的名字？）")


def _utf16_without_mark(head: bytes) -> str | None:
    """``little-endian`` or ``big-endian`` when ``head`` reads as UTF-16 in that order (see
    ``not_text_reason``), else None."""
    data = head[: len(head) // 2 * 2]
    odd = sum(1 for i in range(1, len(data), 2) if data[i] == 0)
    even = sum(1 for i in range(0, len(data), 2) if data[i] == 0)
    if odd + even < 2:
        return None
    order = "utf-16-le" if odd >= _UTF16_SIDE * (odd + even) else (
        "utf-16-be" if even >= _UTF16_SIDE * (odd + even) else None)
    if order is None:
        return None
    try:
        text = data.decode(order)
    except UnicodeDecodeError as e:
        if e.start < len(data) - 4:     # not only a character cut by the end of the sample
            return None
        text = data[:e.start].decode(order)
    printable = sum(1 for ch in text if ch.isprintable() or ch in "\t\r\n")
    if printable < 0.95 * len(text):
        return None
    return "little-endian" if order == "utf-16-le" else "big-endian"


def decode(name: str, data: bytes) -> tuple[str, str]:
    """The file's text and the encoding it was read in; strict, see the module docstring.

    Raises :class:`InputError` naming the byte offset of the first byte that cannot be read.
    """
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as e:
            at = e.start + 3
            raise InputError(name, f"the file declares UTF-8 (it starts with a UTF-8 byte-order mark) "
                                   f"but the byte at offset {at} (0x{data[at]:02x}) is not valid UTF-8; "
                                   "it was probably saved in another encoding (GBK?) with a UTF-8 mark"
                             ) from None
    if data.startswith(UTF16_BOMS):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as e:
            raise InputError(name, f"the file declares UTF-16 (byte-order mark) but the bytes at offset "
                                   f"{e.start} are not valid UTF-16") from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as e:
        utf8_at = e.start
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as e:
        gb_at = e.start
    raise InputError(name, f"not valid text in UTF-8 (first bad byte at offset {utf8_at}, "
                           f"0x{data[utf8_at]:02x}) nor in GB18030/GBK (first bad byte at offset "
                           f"{gb_at}, 0x{data[gb_at]:02x})")


def read_text(path: str | Path) -> str:
    """The file's text (``decode``), with ``\\r`` and form feeds removed.

    Raises :class:`InputError` for a file that cannot be read, is larger than a list can be
    (``limits.MAX_TEXT_BYTES``, ``MAX_TEXT_LINES``), is empty, holds NUL bytes (binary data, unless UTF-16 with
    its mark) or is neither UTF-8 nor GB18030.
    """
    name = str(path)
    data = read_limited(path)
    if not data.strip():
        raise InputError(name, "file is empty")
    if b"\x00" in data and not data.startswith(UTF16_BOMS):
        raise InputError(name, not_text_reason(data[:1 << 16]) or "not a text file (contains NUL bytes)")
    text, _ = decode(name, data)
    if not text.strip():
        raise InputError(name, "file is empty")
    text = text.replace("\r", "").replace(_FORM_FEED, "")
    lines = text.count("\n") + 1
    if lines > MAX_TEXT_LINES:
        raise InputError(name, f"the file has {lines:,} lines, more than the {MAX_TEXT_LINES:,} a list "
                               "can have (real lists have at most tens of thousands): is it the right file?")
    return text


def decode_head(head: bytes) -> str:
    """The first bytes of a file as text for sniffing: lenient, a character cut at the end
    of the sample dropped, in the order of ``decode``.

    Lenient on purpose: a file in an encoding it cannot read still *is* a table of its
    kind, and its reader then says what is wrong with it."""
    if head.startswith(UTF16_BOMS):
        return head.decode("utf-16", "ignore")
    if head.startswith(codecs.BOM_UTF8):
        return head[3:].decode("utf-8", "replace")
    for enc in ("utf-8", "gb18030"):
        for cut in range(4):          # the sample may end inside a character
            try:
                return head[:len(head) - cut].decode(enc)
            except UnicodeDecodeError:
                continue
    return head.decode("utf-8", "replace")


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
