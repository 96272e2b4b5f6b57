"""The cell grid: what every reader produces, whatever the file format.

A grid is a list of rows, each a list of cells in reading order. Readers know file
formats and nothing about disclosure lists; they keep every cell's position so that
errors and provenance can name it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

#: ``CellGrid.meta`` keys under this prefix hold what a document says about itself outside
#: its table: the page's ``<meta>`` tags, a Word or Excel file's properties, a PDF's
#: information dictionary. Each fact is two keys: ``document.<fact>`` its value as written
#: (a date as the source writes it, or ``YYYY-MM-DD``) and ``document.<fact>.from`` where it was read
#: (``<meta name=PubDate>``, ``properties (modified)``). Set them with :func:`set_document_fact`,
#: read them with :func:`document_facts`.
DOCUMENT = "document."

#: the facts a reader may fill, and what each holds:
#: title — the document's title (``<title>``, ArticleTitle, the properties' title);
#: author — who wrote it (Author, creator); publisher — the body the page names as its source
#: (ContentSource); site — the web site's name (SiteName); company — the organisation of the
#: Office installation that saved it; subject — its subject (a PDF's /Subject); creator —
#: the program that made it (a PDF's /Creator); published / created / modified — dates.
DOCUMENT_FACTS = ("title", "author", "publisher", "site", "company", "subject", "creator",
                  "published", "created", "modified")


def set_document_fact(meta: dict[str, str], fact: str, value: str, where: str) -> None:
    """Keep one fact of the document (the first one given wins); blank values are ignored."""
    if fact not in DOCUMENT_FACTS:
        raise ValueError(f"unknown document fact {fact!r}: one of {', '.join(DOCUMENT_FACTS)}")
    value = " ".join(value.split())
    if value and DOCUMENT + fact not in meta:
        meta[DOCUMENT + fact] = value
        meta[DOCUMENT + fact + ".from"] = where


def document_facts(meta: Mapping[str, str]) -> dict[str, tuple[str, str]]:
    """The document's facts in ``meta``: fact → (value, where it was read)."""
    return {f: (meta[DOCUMENT + f], meta.get(DOCUMENT + f + ".from", f))
            for f in DOCUMENT_FACTS if meta.get(DOCUMENT + f)}


@dataclass(frozen=True)
class Cell:
    text: str                 # as read (no normalisation beyond the format's own decoding)
    row: int                  # 0-based row index in the grid
    col: int                  # 0-based column index in the row
    line: int | None = None   # 1-based line (text) or sheet row (spreadsheets) in the source
    rowspan: int = 1
    colspan: int = 1
    spanned: bool = False     # True for a copy made when expanding a merged / spanned cell

    @property
    def empty(self) -> bool:
        return not self.text.strip()


@dataclass
class CellGrid:
    source: str                              # file path as given
    format: str                              # reader id: text-table, xlsx, csv, html, docx, pipe-text
    rows: list[list[Cell]] = field(default_factory=list)
    preamble: list[tuple[int, str]] = field(default_factory=list)   # (line, text) outside the table
    sheet: str | None = None
    meta: dict[str, str] = field(default_factory=dict)              # e.g. source URL from a header line;
    #                                                                 the document's own facts (DOCUMENT)
    warnings: list[str] = field(default_factory=list)               # what the reader left out, and why

    def texts(self) -> list[list[str]]:
        return [[c.text for c in r] for r in self.rows]
