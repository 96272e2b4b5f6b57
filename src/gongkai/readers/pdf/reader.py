"""The PDF reader's entry: path → :class:`CellGrid`, the table read with its ruling lines
or, without any, from the text's columns; what cannot be read refused saying why."""

from __future__ import annotations

import re
from pathlib import Path

from gongkai.errors import InputError
from gongkai.readers.assemble import build_grid
from gongkai.readers.grid import CellGrid
from gongkai.readers.limits import MAX_ROWS, too_many_rows
from gongkai.readers.pdf.document import Doc
from gongkai.readers.pdf.pages import Complaints, Page, load, quiet_pdfminer
from gongkai.readers.pdf.ruled import read_lattice
from gongkai.readers.pdf.stream import read_stream

FORMAT = "pdf"

SCANNED = "a scanned image without text: no table can be read; OCR it first"
UNDECODED = ("the PDF's fonts do not say which characters their glyphs are, so that text cannot be "
             "read (save the list to PDF again with its fonts embedded, or OCR it)")
NO_TABLE = ("not a disclosure list: no table recognised in its content (no row of column headers "
            "such as 序号, 公开事项, 公开内容, 公开依据 on its pages)")
# a glyph pdfminer could not map to a character
_CID = re.compile(r"\(cid:\d+\)")


def read_pdf(path: str | Path) -> CellGrid:
    """Read the disclosure table of a PDF into a :class:`CellGrid` (see the package docstring).

    Raises :class:`InputError` for a file that is not a PDF, a damaged or protected one, one
    beyond the limits, a scan without text, and a PDF whose text holds no table.
    """
    name = str(path)
    quiet_pdfminer()
    caught: list[str] = []
    Complaints.local.caught = caught
    try:
        loaded = load(name, Path(path))
    finally:
        Complaints.local.caught = None
    doc = _table(name, loaded.pages)
    if len(doc.rows) > MAX_ROWS:
        raise too_many_rows(name, len(doc.rows))
    return build_grid(name, FORMAT, doc.rows, preamble=doc.preamble, warnings=_warnings(doc, caught))


def _table(name: str, pages: list[Page]) -> Doc:
    """The document's table, read with its ruling lines or else from its text's columns;
    refused saying why when there is none (a scan, glyphs without characters, no header)."""
    if not any(page.chars for page in pages):
        if any(page.images for page in pages):
            raise InputError(name, f"the PDF is {SCANNED}")
        raise InputError(name, "the PDF has no text and no images: nothing can be read from it")
    doc = Doc(name)
    if read_lattice(doc, pages):
        return doc
    doc = Doc(name)
    if read_stream(doc, pages):
        return doc
    scanned = [page.number for page in pages if page.images and not page.chars]
    if scanned:
        raise InputError(name, f"{NO_TABLE}; page{'s' if len(scanned) > 1 else ''} "
                               f"{_ranges(scanned)} {'are' if len(scanned) > 1 else 'is'} {SCANNED}")
    undecoded = sum(1 for page in pages for c in page.chars if _CID.match(c.text))
    if undecoded * 3 > sum(len(page.chars) for page in pages):
        raise InputError(name, f"{NO_TABLE}: {UNDECODED}")
    raise InputError(name, NO_TABLE)


def _warnings(doc: Doc, caught: list[str]) -> list[str]:
    """What the reading leaves uncertain: glyphs without characters in the table, and the
    damage pdfminer met (``caught``)."""
    warnings = []
    undecoded = sum(1 for row in doc.rows for s in row.slots if not s.spanned for _ in _CID.finditer(s.text))
    if undecoded:
        warnings.append(f"{undecoded:,} character{'s' if undecoded > 1 else ''} of the table "
                        f"{'are' if undecoded > 1 else 'is'} written (cid:N): {UNDECODED}")
    if caught:
        seen = list(dict.fromkeys(caught))
        warnings.append(f"the PDF is damaged in places, some of its text may be missing "
                        f"({'; '.join(seen[:3])}{' …' if len(seen) > 3 else ''})")
    return warnings


def _ranges(numbers: list[int]) -> str:
    """``[2, 3, 4, 7]`` → ``2–4, 7``."""
    out: list[list[int]] = []
    for n in numbers:
        if out and out[-1][-1] == n - 1:
            out[-1].append(n)
        else:
            out.append([n])
    return ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]}–{r[-1]}" for r in out)
