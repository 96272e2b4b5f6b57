"""Reader for PDF documents: path → :class:`CellGrid` (format id ``pdf``).

A disclosure list is most often published as a PDF printed from Word or Excel. The PDF
keeps no table, only characters and lines at positions on pages; the reader puts the table
back together (pdfplumber gives the characters, the ruling lines and the cells they draw):

- **Tables with ruling lines** (*lattice*): the cells are the rectangles the lines draw
  (pdfplumber's table finder on lines). A cell spanning several rows or columns (a
  category merged over its items, a parent header) is expanded as the Word and Excel
  readers expand merges: its text in the first position, copies flagged ``spanned``.
- **Tables without lines** (*stream*): the header is found as a band of text lines whose
  blocks are known column headers (:mod:`.preamble`); the column boundaries are the
  vertical strips of white between the header's blocks that no character of the body
  crosses, and any wide strip of white the body leaves inside a header's span. Rows start
  at an item number in the 序号 column, at a vertical gap wider than the spacing of the
  lines inside a cell, or at a horizontal rule.
- **Lines wrapped inside a cell** are joined: without a space where the line was full (the
  next line's first word would not have fitted: the PDF wrapped it), with a line break
  where the line ended before the cell's edge (the author's own line break). Latin words
  wrapped at a space get their space back.
- **Pages.** The table found on the first page that has one fixes the columns. The
  following pages continue it: a lattice table with the same column edges, or, in a
  stream table, the lines that fit the columns; a repeated header row is dropped. A row
  that the page break cut in two (its second part has no item number) is joined again.
- **Text outside the table** (the title, the 责任单位 / 填表人 / 填表时间 line, the declared
  counts, the notes or signatures below the table) goes to the preamble, one text line
  each, as the text-table reader reads them from a text extraction; lines that are only a
  page number are left out.
- **Characters are kept as the PDF gives them**: check boxes ☑ □ ■, marks √, and the
  glyphs of symbol fonts (Wingdings þ ¨ ý) are the field parsers' to read.

``Cell.line`` is a block number: the text lines outside the table and the table's rows
numbered from 1 in reading order, a number skipped at every page break (as a text
extraction leaves a blank line), so that the tabulator sees where a page ended.

Refused with one clear line: a file that is not a PDF, a damaged or password-protected
one, a PDF beyond the limits (:mod:`.pages`), a scan (pages of images and no text: "a scanned image
without text: no table can be read; OCR it first"), and a PDF whose text holds no table
("no table recognised").

The modules, from the ground up: :mod:`.chars` (characters, text lines, a cell's text
from its lines), :mod:`.lattice` (a page's tables drawn with lines), :mod:`.pages` (the
file opened within the limits, its pages loaded), :mod:`.info` (the document's own title,
author and dates), :mod:`.document` (rows and lines in reading order over the pages),
:mod:`.ruled` and :mod:`.stream_columns` / :mod:`.stream` (the table read with lines, and
without), :mod:`.reader` (the entry, ``read_pdf``).
"""

from __future__ import annotations

from gongkai.readers.pdf.pages import (
    MAX_CHARS,
    MAX_PAGE_CHARS,
    MAX_PAGE_CONTENT_BYTES,
    MAX_PAGES,
    MAX_PDF_BYTES,
    looks_like_pdf,
)
from gongkai.readers.pdf.reader import FORMAT, NO_TABLE, SCANNED, UNDECODED, read_pdf

__all__ = ["FORMAT", "MAX_CHARS", "MAX_PAGES", "MAX_PAGE_CHARS", "MAX_PAGE_CONTENT_BYTES", "MAX_PDF_BYTES",
           "NO_TABLE", "SCANNED", "UNDECODED", "looks_like_pdf", "read_pdf"]
