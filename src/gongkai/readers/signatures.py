"""File signatures (magic bytes): what a file *is*, whatever its name says.

Users drop screenshots, scanned PDFs and zipped folders next to their lists, and rename
files carelessly. Naming what the content actually is ("the content is a PNG image") tells
them what to do far better than "cannot parse". Pure functions over the first bytes.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from gongkai.readers import compound

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")   # local file header; empty archive
OLE2_MAGIC = compound.OLE2_MAGIC     # legacy Office files: see compound.describe

# (magic, description) for content that is never a disclosure table in a supported format
_BINARY: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"%PDF-", "a PDF document"),    # read by readers.pdf; named when another reader is given one
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"{\\rtf", "an RTF document; save it as .docx"),
)


def is_zip(head: bytes) -> bool:
    return head.startswith(ZIP_MAGIC)


def zip_names(head: bytes, path: Path | None = None) -> list[str]:
    """Entry names of a ZIP archive: from the central directory when the file is whole,
    else the names visible in the local headers of the first bytes."""
    if path is not None:
        try:
            with zipfile.ZipFile(path) as z:
                return z.namelist()
        except (zipfile.BadZipFile, OSError, ValueError):
            pass
    try:
        with zipfile.ZipFile(io.BytesIO(head)) as z:
            return z.namelist()
    except (zipfile.BadZipFile, ValueError):
        pass
    names: list[str] = []
    pos = head.find(b"PK\x03\x04")
    while pos >= 0 and pos + 30 <= len(head):
        n = int.from_bytes(head[pos + 26:pos + 28], "little")
        names.append(head[pos + 30:pos + 30 + n].decode("utf-8", "replace"))
        pos = head.find(b"PK\x03\x04", pos + 30 + n)
    return names


def zip_has(head: bytes, path: Path | None, prefix: str) -> bool:
    """True when the archive (whole file, or the first bytes of a damaged one) has an entry under ``prefix``."""
    if not is_zip(head):
        return False
    if prefix.encode() in head:
        return True
    return any(n.startswith(prefix) for n in zip_names(head, path))


def describe(head: bytes, path: Path | None = None) -> str | None:
    """What a non-table file is ("a PNG image"), or None when the signature is not one we know.

    ZIP archives are described only when they are neither a workbook nor a Word document,
    compound files (OLE2) only when they are neither (``compound.describe``).
    """
    for magic, what in _BINARY:
        if head.startswith(magic):
            return what
    if compound.is_compound(head):
        return compound.describe(path)
    if is_zip(head):
        if zip_has(head, path, "xl/") or zip_has(head, path, "word/"):
            return None
        if b"opendocument.spreadsheet" in head[:200]:
            return "an OpenDocument spreadsheet (.ods); save it as .xlsx"
        if b"opendocument.text" in head[:200]:
            return "an OpenDocument text (.odt); save it as .docx"
        return "a ZIP archive that is neither an Excel workbook nor a Word document"
    return None


def content_kind(head: bytes, path: Path | None = None) -> str | None:
    """Like :func:`describe`, but also names Office packages: for a reader of another format,
    a workbook is as wrong as an image ("not a CSV file: the content is an Excel workbook")."""
    what = describe(head, path)
    if what:
        return what
    if compound.is_compound(head):
        try:
            kind = compound.inspect(path, encryption=False).kind if path is not None else None
        except (compound.DamagedError, OSError):
            kind = None
        return {compound.WORKBOOK: "an Excel 97–2003 workbook (.xls)",
                compound.DOCUMENT: "a Word 97–2003 document (.doc)",
                compound.ENCRYPTED_PACKAGE: "an encrypted (password-protected) Office file"}.get(
                    kind or "", "a damaged legacy Office file (.xls/.doc)")
    if not is_zip(head):
        return None
    if zip_has(head, path, "xl/"):
        return "an Excel workbook"
    if zip_has(head, path, "word/"):
        return "a Word document"
    return None
