"""Reader for Word 97–2003 documents (.doc, and WPS's .wps): path → :class:`CellGrid` (format ``doc``).

Old Word attachments are still what many bureaus post. No Python library reads their
tables well, so the document is converted to ``.docx`` by LibreOffice (:mod:`.convert`)
and read by the ``.docx`` reader (:mod:`.docx`): merges, check boxes and tables continued
over pages are read as in any Word document. The grid names the original file and the
format ``doc``; the converted copy is temporary, and never named in a message.

An encrypted document is refused before the conversion (:mod:`.compound`): LibreOffice
would stop at its password prompt.
"""

from __future__ import annotations

from pathlib import Path

from gongkai.errors import InputError
from gongkai.readers import compound, convert
from gongkai.readers.docx import read_docx
from gongkai.readers.grid import CellGrid

FORMAT = "doc"


def looks_like_doc(head: bytes, path: Path | None = None) -> bool:
    """A compound file holding a ``WordDocument`` stream (Word 97–2003, WPS Writer)."""
    if not compound.is_compound(head) or path is None:
        return False
    try:
        return compound.inspect(path, encryption=False).kind == compound.DOCUMENT
    except (compound.DamagedError, OSError):
        return False


def read_doc(path: str | Path) -> CellGrid:
    """Read the disclosure table of a Word 97–2003 document into a :class:`CellGrid`.

    ``Cell.line`` is a block number of the converted document (see :mod:`.docx`). Raises
    :class:`InputError` for a file that is not a Word document, an encrypted, damaged or
    too large one, LibreOffice missing, failing or too slow, and a document without a table.
    """
    p = Path(path)
    name = str(path)
    compound.require(name, p, compound.DOCUMENT)
    with convert.converted(p, "docx", name=name) as docx:
        try:
            grid = read_docx(docx)
        except InputError as e:        # named after the converted copy: name the original
            raise InputError(name, e.reason, row=e.row, cell=e.cell) from None
    grid.source, grid.format = name, FORMAT
    return grid
