"""Compound files (OLE2): what a legacy Office file holds, and whether it can be read.

Excel 97–2003 workbooks (``.xls``, and WPS's ``.et``), Word 97–2003 documents (``.doc``,
and WPS's ``.wps``) and *password-protected* ``.xlsx``/``.docx`` files all start with the
same eight bytes: they are compound files, a small file system of named streams. What the
file is depends on its streams:

- ``Workbook`` (``Book`` in Excel 5/95): a workbook, read by :mod:`.xls`;
- ``WordDocument``: a Word document, read by :mod:`.doc`;
- ``EncryptionInfo`` + ``EncryptedPackage``: an ``.xlsx`` or ``.docx`` encrypted with a
  password to open it;
- ``PowerPoint Document``, ``__properties_version1.0`` …: something that is never a list.

A workbook or document can itself be encrypted: a ``FILEPASS`` record at the start of the
workbook stream, the ``fEncrypted`` flag of a Word document's file information block.
Nothing can be read from an encrypted file without its password, and LibreOffice, asked
to convert one, would stop at its password prompt: such files are refused here, before
any reader or conversion, with what to do about it.

The directory is read with ``olefile``; the file's size is bounded first
(``limits.MAX_COMPOUND_BYTES``).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from gongkai.errors import InputError
from gongkai.readers.limits import MAX_COMPOUND_BYTES, too_big

if TYPE_CHECKING:  # the library loads only when a legacy file is read
    import olefile

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

WORKBOOK, DOCUMENT, ENCRYPTED_PACKAGE, OTHER = "workbook", "document", "encrypted-package", "other"

#: streams of compound files that are never a list, and what to call them
_NOT_A_LIST = (
    ("PowerPoint Document", "a PowerPoint presentation (.ppt)"),
    ("__properties_version1.0", "an Outlook message (.msg)"),
    ("VisioDocument", "a Visio drawing (.vsd)"),
    ("Equation Native", "an equation object"),
    ("CONTENTS", "a Microsoft Works or Publisher file"),
)

# BIFF records (Excel 97–2003)
BOF, EOF, FILEPASS = 0x0809, 0x000A, 0x002F
# the Word 97–2003 file information block: its signature, and the fEncrypted bit of the
# flags word at offset 10 (set for RC4 encryption and for XOR obfuscation alike)
_FIB_IDENT = 0xA5EC
_F_ENCRYPTED = 0x0100


def is_compound(head: bytes) -> bool:
    return head.startswith(OLE2_MAGIC)


@dataclass(frozen=True)
class Compound:
    """What a compound file holds."""

    kind: str                          # WORKBOOK, DOCUMENT, ENCRYPTED_PACKAGE, OTHER
    encrypted: bool = False
    streams: tuple[str, ...] = field(default=())
    description: str | None = None     # for OTHER: what it is ("a PowerPoint presentation (.ppt)")


class DamagedError(Exception):
    """The compound file's directory cannot be read."""


def _open(path: Path) -> olefile.OleFileIO:
    import olefile

    try:
        return olefile.OleFileIO(str(path))
    except Exception as e:
        raise DamagedError(" ".join(f"{type(e).__name__}: {e}".split())) from None


def _read(ole: olefile.OleFileIO, stream: str, limit: int | None = None) -> bytes:
    try:
        with ole.openstream(stream) as f:
            return f.read(limit) if limit is not None else f.read()
    except Exception as e:
        raise DamagedError(f"stream {stream!r}: " + " ".join(f"{type(e).__name__}: {e}".split())) from None


def biff_encrypted(data: bytes) -> bool:
    """True when the first substream of a BIFF workbook stream has a ``FILEPASS`` record
    (the workbook is encrypted). Only the records before the substream's ``EOF`` are walked."""
    pos = 0
    while pos + 4 <= len(data):
        rtype, length = struct.unpack_from("<HH", data, pos)
        if rtype == FILEPASS:
            return True
        if rtype == EOF or (pos and rtype == BOF):
            return False
        pos += 4 + length
    return False


def word_encrypted(fib: bytes) -> bool:
    """True when a Word 97–2003 file information block says the document is encrypted
    (or XOR-obfuscated, which needs a password just the same)."""
    if len(fib) < 12:
        return False
    ident, flags = struct.unpack_from("<H", fib, 0)[0], struct.unpack_from("<H", fib, 10)[0]
    return ident == _FIB_IDENT and bool(flags & _F_ENCRYPTED)


def inspect(path: str | Path, *, encryption: bool = True) -> Compound:
    """What the compound file at ``path`` holds; :class:`DamagedError` when its directory or a
    stream it needs cannot be read. ``encryption=False``: only the directory is read, and
    a workbook's or document's ``encrypted`` is left False."""
    ole = _open(Path(path))
    try:
        try:
            names = tuple("/".join(parts) for parts in ole.listdir(streams=True, storages=False))
        except Exception as e:      # olefile walks the tree recursively: one that loops never ends
            raise DamagedError(" ".join(f"{type(e).__name__}: {e}".split())[:200]) from None
        top = {n for n in names if "/" not in n}
        if "EncryptedPackage" in top and "EncryptionInfo" in top:
            return Compound(ENCRYPTED_PACKAGE, True, names)
        for stream in ("Workbook", "Book", "WORKBOOK", "BOOK"):
            if stream in top:
                return Compound(WORKBOOK, encryption and biff_encrypted(_read(ole, stream)), names)
        if "WordDocument" in top:
            return Compound(DOCUMENT, encryption and word_encrypted(_read(ole, "WordDocument", 64)), names)
        for stream, what in _NOT_A_LIST:
            if stream in top:
                return Compound(OTHER, False, names, what)
        return Compound(OTHER, False, names, None)
    finally:
        ole.close()


def _what(kind: str, path: Path) -> str:
    if kind == WORKBOOK:
        return "workbook"
    if kind == DOCUMENT:
        return "Word document"
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm", ".xls", ".et"):
        return "workbook"
    if suffix in (".docx", ".docm", ".doc", ".wps"):
        return "Word document"
    return "Office file"


def check(name: str, path: str | Path) -> Compound:
    """Inspect a compound file, refusing one too large, damaged or encrypted
    (:class:`InputError` naming ``name``); what it holds otherwise."""
    p = Path(path)
    try:
        size = p.stat().st_size
    except OSError as e:
        raise InputError(name, f"cannot read the file: {e.strerror or e}") from None
    if size > MAX_COMPOUND_BYTES:
        raise too_big(name, size, MAX_COMPOUND_BYTES)
    try:
        found = inspect(p)
    except DamagedError as e:
        raise InputError(name, f"the legacy Office file (.xls/.doc/.et/.wps) is damaged or truncated: "
                               f"its compound-file directory cannot be read ({e})") from None
    if found.encrypted:
        raise InputError(name, f"the {_what(found.kind, p)} is encrypted: save it without a password "
                               "(a file protected by a password to open it cannot be read without it)")
    return found


#: what a reader expects, and what another kind of compound file is called, by kind
_EXPECTED = {DOCUMENT: ("a Word 97–2003 document", "an Excel workbook", "not a document"),
             WORKBOOK: ("an Excel 97–2003 workbook", "a Word document", "not a workbook")}


def require(name: str, path: Path, kind: str) -> Compound:
    """Check that a file is a compound file of ``kind`` (DOCUMENT or WORKBOOK), neither too large,
    damaged nor encrypted (:func:`check`); :class:`InputError` naming ``name`` saying what it is
    otherwise (empty, not a compound file, the other kind, an MSI installer …)."""
    expected, other, neither = _EXPECTED[kind]
    try:
        with open(path, "rb") as f:
            head = f.read(len(OLE2_MAGIC))
    except OSError as e:
        raise InputError(name, f"cannot read the file: {e.strerror or e}") from None
    if not head:
        raise InputError(name, "the file is empty")
    if not is_compound(head):
        raise InputError(name, f"not {expected}: the content is not a compound (OLE2) file")
    found = check(name, path)
    if found.kind != kind:
        what = found.description or (other if found.kind in _EXPECTED else neither)
        raise InputError(name, f"not {expected}: the content is {what}")
    return found


def describe(path: Path | None) -> str | None:
    """What a compound file is when it is not a readable workbook or document (for
    ``signatures.describe``); None for a workbook, a document, or a file that cannot be
    inspected (the readers say why)."""
    if path is None:
        return "a legacy Office file (.xls/.doc/.et/.wps, or a password-protected file)"
    try:
        found = inspect(path, encryption=False)
    except (DamagedError, OSError):
        return None
    if found.kind in (WORKBOOK, DOCUMENT, ENCRYPTED_PACKAGE):
        return None
    if found.description:
        return found.description
    names = ["".join(ch for ch in n if ch >= " ") for n in found.streams]
    shown = ", ".join(names[:6]) + (" …" if len(names) > 6 else "")
    return ("a legacy Office file that is neither an Excel workbook nor a Word document "
            f"(its streams: {shown or 'none'})")
