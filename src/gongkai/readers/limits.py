"""How much a reader takes in: the limits on one source file, in one place, with names.

A disclosure list is small: the lists in ``data/raw`` and the shared samples hold 5 to
~60 items in 2–40 KB (a Word list with its styles: 0.8 MB unpacked); a list a hundred
times longer is still a few MB. The limits below leave room for 10,000 rows, which gongkai
reads from file to graph in ~10 s and ~0.4 GB. A file far beyond that is a mistake (a whole database
export, a spreadsheet with a stray cell at XFD1048576) or an attack (a 1 MB ``.xlsx`` that
inflates to gigabytes), and reading it would take the memory of every other user of the
same process. So each reader checks, *before* it spends memory:

- text, CSV and HTML files: their size in bytes (``MAX_TEXT_BYTES``); compound files
  (``.xls``, ``.doc``: ``MAX_COMPOUND_BYTES``), which are read whole, and whose cells
  ``xls.scan_workbook`` counts from the stream before xlrd builds them;
- ZIP packages (``.xlsx``, ``.docx``): the sizes their ZIP directory declares, in total
  and per member, and the compression ratio of each large member
  (``check_package``) — Python's ``zipfile`` never inflates a member past its declared
  size (it stops there and reports a bad CRC), so the declared sizes bound what
  openpyxl and python-docx can read; and any document type declaration in their XML
  parts (OOXML never has one; its entities are how an "XML bomb" multiplies text);
- every table: its rows and cells (``TableBudget``), counted as they are read, so that a
  file of millions of tiny cells is refused after ``MAX_CELLS``, not after millions; and
  its filled columns (``MAX_COLUMNS``, checked by the tabulator, whose alignment of a row
  costs the cube of its width).

Each refusal is an :class:`InputError` naming the file, what was found, the limit, and
what to do about it.
"""

from __future__ import annotations

import lzma
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from gongkai.errors import InputError, Text

MB = 1024 * 1024

#: a text, CSV or HTML list: real ones are at most a few MB (the app's uploads stop at 10 MB)
MAX_TEXT_BYTES = 32 * MB
#: the lines of a text list: one cell per line, blank lines between, 10,000 rows of
#: 30 cells (below) make 600,000
MAX_TEXT_LINES = 1_000_000
#: the rows of one table (sheet rows, text lines holding cells, ``<tr>``): 10,000 is a hundred
#: times the lists at hand; reading that many costs ~0.4 GB from file to graph
MAX_ROWS = 10_000
#: the columns of one table holding text: the widest lists, with a column per channel,
#: audience and mode, have about 30. Aligning a row to the columns costs the cube of
#: their number, so the bound keeps the tabulator's time bounded too
MAX_COLUMNS = 64
#: the cells of one table once merged cells are expanded (rows × columns): 10,000 rows of
#: 30 columns (the widest lists, with one column per mark, have about 20)
MAX_CELLS = 300_000
#: what the parts of a ZIP package (.xlsx, .docx) may inflate to, all together: a
#: 10,000-row workbook is ~15 MB of XML, a long Word list a few MB (its styles ~1 MB)
MAX_PACKAGE_BYTES = 128 * MB
#: a compound file (.xls, .doc, .et, .wps): it is not compressed, so a list of 10,000 rows
#: takes ~15 MB as a workbook; a Word document's pictures can add a few MB more
MAX_COMPOUND_BYTES = 64 * MB
#: the compression ratio beyond which a large part is not XML but a "zip bomb" (XML
#: compresses 5–30:1; deflate can reach 1032:1 on a run of one byte)
MAX_COMPRESSION_RATIO = 200
#: parts smaller than this are not checked for their ratio (a tiny part of blanks may
#: compress far, and cannot hurt)
RATIO_CHECK_FROM = 1 * MB
#: the members of a package (a workbook has ~10, a document ~20; one per image or sheet)
MAX_PACKAGE_MEMBERS = 10_000


def _mb(n: int) -> str:
    return f"{n / MB:.1f} MB" if n < 10 * MB else f"{n / MB:.0f} MB"


def read_limited(path: str | Path, limit: int = MAX_TEXT_BYTES) -> bytes:
    """The bytes of a text, CSV or HTML file, refused when there are more than ``limit``.

    The size is checked before reading, and no more than ``limit + 1`` bytes are ever
    read (a file that grows, or a device, cannot make it read more).
    """
    name = str(path)
    try:
        with open(path, "rb") as f:
            try:
                size = Path(path).stat().st_size
            except OSError:
                size = 0
            if size > limit:
                raise too_big(name, size, limit)
            data = f.read(limit + 1)
    except OSError as e:
        why = e.strerror or str(e)
        raise InputError(name, Text(f"cannot read the file: {why}", f"无法读取文件：{why}"), code="io") from None
    if len(data) > limit:
        raise too_big(name, len(data), limit)
    return data


def too_big(name: str, size: int, limit: int) -> InputError:
    return InputError(name, Text(f"the file is {_mb(size)}, more than the {_mb(limit)} a list can be "
                                 f"(real lists are at most a few MB): is it the right file? Split a "
                                 f"list that long into one file per bureau",
                                 f"文件大小为 {_mb(size)}，超过清单的上限 {_mb(limit)}（真实的清单最多几 MB）："
                                 "是不是选错了文件？请把这么长的清单拆成每个机构一个文件"), code="too-large")


@dataclass
class TableBudget:
    """Counts the rows and cells a reader has made so far; refuses past the limits.

    >>> b = TableBudget("list.csv", max_rows=2)
    >>> b.add_row(3); b.add_row(3)
    >>> b.add_row(3)
    Traceback (most recent call last):
    ...
    gongkai.errors.InputError: list.csv: the table has more than 2 rows, the most a list can have ...
    """

    name: str
    max_rows: int = MAX_ROWS
    max_cells: int = MAX_CELLS
    rows: int = 0
    cells: int = 0

    def add_row(self, cells: int) -> None:
        """One more row of ``cells`` cells."""
        self.rows += 1
        self.cells += cells
        if self.rows > self.max_rows:
            raise too_many_rows(self.name, self.rows, self.max_rows, at_least=True)
        if self.cells > self.max_cells:
            raise too_many_cells(self.name, self.cells, self.max_cells, at_least=True)

    def add_cells(self, cells: int) -> None:
        """More cells not counted as rows (the pieces of a text without cell delimiters)."""
        self.cells += cells
        if self.cells > self.max_cells:
            raise too_many_cells(self.name, self.cells, self.max_cells, at_least=True)


def too_many_rows(name: str, rows: int, limit: int = MAX_ROWS, *, at_least: bool = False) -> InputError:
    what = f"more than {limit:,}" if at_least else f"{rows:,}"
    zh = f"超过 {limit:,}" if at_least else f"{rows:,}"
    return InputError(name, Text(f"the table has {what} rows, the most a list can have is {limit:,} "
                                 "(real lists have at most a few thousand): is it the right file? "
                                 "Split a list that long into one file per bureau",
                                 f"表格有 {zh} 行，清单最多 {limit:,} 行（真实的清单最多几千行）："
                                 "是不是选错了文件？请把这么长的清单拆成每个机构一个文件"), code="too-large")


def too_many_cells(name: str, cells: int, limit: int = MAX_CELLS, *, at_least: bool = False,
                   where: str = "") -> InputError:
    what = f"more than {limit:,}" if at_least else f"{cells:,}"
    zh = f"超过 {limit:,}" if at_least else f"{cells:,}"
    return InputError(name, Text(f"the table has {what} cells{where}, the most a list can have is {limit:,}: "
                                 "is it the right file? Delete stray cells far to the right or below the "
                                 "table, or split the list into one file per bureau",
                                 f"表格有 {zh} 个单元格{where}，清单最多 {limit:,} 个：是不是选错了文件？"
                                 "请删除表格右侧或下方多余的单元格，或把清单拆成每个机构一个文件"), code="too-large")


def check_table(name: str, rows: int, cols: int, *, where: str = "") -> None:
    """Refuse a table of ``rows`` × ``cols`` cells (merged cells expanded) beyond the limits."""
    if rows > MAX_ROWS:
        raise too_many_rows(name, rows)
    if rows * cols > MAX_CELLS:
        raise too_many_cells(name, rows * cols, where=where or f" ({rows:,} rows × {cols:,} columns)")


# --- ZIP packages ------------------------------------------------------------------

#: what starts a document type or entity declaration, in UTF-8 and in both UTF-16s (an
#: XML part may declare either)
_DECLARATIONS = tuple(word.encode(enc) for word in ("<!DOCTYPE", "<!ENTITY")
                      for enc in ("utf-8", "utf-16-le", "utf-16-be"))
_CHUNK = 1 * MB
#: what reading a damaged ZIP package raises (a bad header, a bad CRC, broken compressed
#: data, an encrypted or unknown method)
ZIP_DAMAGE = (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError,
              zlib.error, lzma.LZMAError)


def check_package(name: str, path: str | Path, kind: str) -> None:
    """Refuse an Office package (``kind``: "workbook", "document") whose parts would inflate
    beyond the limits, or whose XML declares a document type (entities: an "XML bomb").

    The sizes are those the ZIP's central directory declares: ``zipfile`` (which openpyxl
    and python-docx read with) stops at a member's declared size, and reports a bad CRC
    when there is more. XML parts are then read once, a chunk at a time, for declarations.
    A package ``zipfile`` cannot open is left to the format's reader, which says it is
    damaged.
    """
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
            _check_sizes(name, kind, infos)
            for info in infos:
                if info.filename.lower().endswith((".xml", ".rels", ".vml")):
                    _check_declarations(name, kind, z, info)
    except ZIP_DAMAGE:
        return


def _check_sizes(name: str, kind: str, infos: list[zipfile.ZipInfo]) -> None:
    if len(infos) > MAX_PACKAGE_MEMBERS:
        raise InputError(name, f"the {kind} holds {len(infos):,} parts, more than the "
                               f"{MAX_PACKAGE_MEMBERS:,} an Office file has: is it the right file?")
    total = sum(i.file_size for i in infos)
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size >= RATIO_CHECK_FROM and ratio > MAX_COMPRESSION_RATIO:
            raise InputError(name, f"the {kind}'s part {info.filename} inflates from "
                                   f"{_mb(info.compress_size)} to {_mb(info.file_size)} ({ratio:,.0f}:1; XML "
                                   f"compresses at most ~{MAX_COMPRESSION_RATIO}:1): this is a 'zip bomb', "
                                   "not a list; nothing was read")
    if total > MAX_PACKAGE_BYTES:
        biggest = max(infos, key=lambda i: i.file_size)
        raise InputError(name, f"the {kind}'s parts inflate to {_mb(total)} ({biggest.filename}: "
                               f"{_mb(biggest.file_size)}), more than the {_mb(MAX_PACKAGE_BYTES)} a list "
                               "can take (real lists are a few MB): is it the right file? Split a list "
                               "that long into one file per bureau; nothing was read")


def _check_declarations(name: str, kind: str, z: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Refuse a part holding ``<!DOCTYPE`` or ``<!ENTITY``. Office writes text with ``<``
    escaped and no CDATA, so the words cannot be a cell's text."""
    overlap = max(len(d) for d in _DECLARATIONS) - 1
    tail = b""
    try:
        with z.open(info) as f:
            while chunk := f.read(_CHUNK):
                window = tail + chunk
                if any(d in window for d in _DECLARATIONS):
                    raise bomb(name, kind, info.filename)
                tail = window[-overlap:]
    except ZIP_DAMAGE:
        return        # a damaged part: the format's reader says so


def bomb(name: str, kind: str, part: str | None = None) -> InputError:
    """The refusal of a package whose XML declares entities."""
    where = f"part {part}" if part else "XML"
    return InputError(name, f"the {kind}'s {where} declares a document type with entities, which "
                            "Office files never do: entities are how an 'XML bomb' (\"billion laughs\") "
                            "multiplies a few bytes into gigabytes. Nothing was read; save the list "
                            "again from Excel or Word")
