"""Reader for delimited text (CSV and its cousins): path → :class:`CellGrid` (format id ``csv``).

Chinese CSV files come in several encodings: Excel on a Chinese Windows saves GBK (or
GB2312; both are subsets of GB18030), "CSV UTF-8" adds a byte-order mark, other tools
write plain UTF-8, and Excel's "Unicode text" is UTF-16 with a mark and tabs. They are
decoded as every text reader decodes (``textfile.decode``: strictly, UTF-8 before GB18030).

The delimiter is sniffed among ``,`` ``\\t`` ``;`` ``|``: Chinese content often holds
``;`` and ``,`` inside cells, so the choice is checked by parsing the first records and
preferring the delimiter that splits them into the same number of cells.
"""

from __future__ import annotations

import codecs
import csv as _csv
import io
from collections import Counter
from pathlib import Path

from gongkai.errors import InputError
from gongkai.readers import signatures
from gongkai.readers.assemble import Slot, SourceRow, build_grid
from gongkai.readers.grid import CellGrid
from gongkai.readers.limits import TableBudget, read_limited
from gongkai.readers.preamble import source_url
from gongkai.readers.textfile import UTF16_BOMS, decode, decode_head

FORMAT = "csv"
DELIMITERS = ",\t;|"
_SAMPLE_CHARS = 64 * 1024
_SAMPLE_RECORDS = 50


def _records(text: str, delimiter: str, limit: int | None = None) -> list[list[str]]:
    out: list[list[str]] = []
    reader = _csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar='"')
    try:
        for rec in reader:
            out.append(rec)
            if limit is not None and len(out) >= limit:
                break
    except _csv.Error:
        pass
    return out


def _fit(text: str, delimiter: str) -> tuple[int, int]:
    """How well a delimiter splits the first records: (records with the usual cell count, that count).

    The usual count must be at least 2: a delimiter that leaves every record whole is no delimiter.
    """
    counts = Counter(len(r) for r in _records(text, delimiter, _SAMPLE_RECORDS) if any(f.strip() for f in r))
    common = [(n, k) for k, n in counts.items() if k >= 2]
    if not common:
        return (0, 0)
    return max(common)


def sniff_delimiter(sample: str) -> str | None:
    """The delimiter among ``, \\t ; |`` that splits the sample most consistently, or None.

    ``csv.Sniffer`` (restricted to these four) proposes; its choice is kept unless counting
    finds a delimiter that splits more records into one consistent number of cells.
    """
    end = sample.rfind("\n")
    sample = sample[:end + 1] if 0 < end < len(sample) - 1 else sample
    fits = {d: _fit(sample, d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: fits[d])
    if fits[best][0] == 0:
        return None
    try:
        proposed = _csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except _csv.Error:
        proposed = None
    if proposed in fits and fits[proposed][0] >= fits[best][0] and fits[proposed][1] >= 2:
        return proposed
    return best


def looks_like_csv(head: bytes, path: Path | None = None) -> bool:
    """Text (no NUL bytes, not markup, not a known binary) whose first records split into
    the same number (≥ 2) of cells on one of the delimiters, at least two of them into two
    or more non-empty cells (a file of one or two records: each of them).

    Decoding is lenient here on purpose: a file in the wrong encoding still *is* a CSV
    file, and the reader then says what is wrong with it.
    """
    if not head.strip() or signatures.describe(head, path) or signatures.is_zip(head):
        return False
    text = decode_head(head)
    if "\x00" in text:
        return False
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\r\n\f")
    if controls > len(text) / 100:
        return False
    stripped = text.lstrip("\ufeff \t\r\n")
    if stripped.startswith("<"):
        return False
    lines = stripped.split("\n")
    if lines and source_url(lines[0]):
        stripped = "\n".join(lines[1:])
    sample = stripped[:_SAMPLE_CHARS]
    delimiter = sniff_delimiter(sample)
    if delimiter is None:
        return False
    agreeing, _ = _fit(sample, delimiter)
    records = [r for r in _records(sample, delimiter, _SAMPLE_RECORDS) if any(f.strip() for f in r)]
    # records really split: a line that only ends with a delimiter ("序號 |") is one cell
    split = sum(1 for r in records if sum(1 for f in r if f.strip()) >= 2)
    if len(records) <= 2:
        return split == len(records)
    return agreeing >= 2 and split >= 2


def read_csv(path: str | Path) -> CellGrid:
    """Read a delimited text file into a :class:`CellGrid`.

    ``Cell.line`` is the physical line on which the record starts (a quoted cell may span
    lines; line breaks inside it are kept as ``\\n``). A first line ``# source: URL`` goes
    to ``meta["source_url"]``; records above the header row go to the preamble.
    ``meta["encoding"]`` and ``meta["delimiter"]`` say how the file was read.
    """
    name = str(path)
    data = read_limited(path)
    if not data.strip() or data.strip() in (codecs.BOM_UTF8, *UTF16_BOMS):
        raise InputError(name, "the file is empty")
    what = signatures.content_kind(data[:65536], Path(path))
    if what:
        raise InputError(name, f"not a CSV file: the content is {what}")
    text, encoding = decode(name, data)
    if "\x00" in text:
        raise InputError(name, f"not a text file: NUL character at offset {text.index(chr(0))}")
    if not text.strip():
        raise InputError(name, "the file is empty")

    meta = {"encoding": encoding}
    first, nl, rest = text.partition("\n")
    url = source_url(first.rstrip("\r"))
    if url:
        meta["source_url"] = url
        text = nl + rest          # keep the newline so that line numbers stay those of the file

    delimiter = sniff_delimiter(text[:_SAMPLE_CHARS]) or ","
    meta["delimiter"] = delimiter
    rows: list[SourceRow] = []
    budget = TableBudget(name)
    reader = _csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar='"')
    prev = 0
    try:
        for rec in reader:
            budget.add_row(len(rec))
            start, prev = prev + 1, reader.line_num
            rows.append(SourceRow(start, [Slot(f.replace("\r\n", "\n").replace("\r", "\n")) for f in rec]))
    except _csv.Error as e:
        raise InputError(name, f"malformed CSV: {e}", row=prev + 1) from None
    _check_closed(name, text, delimiter)
    return build_grid(name, FORMAT, rows, meta=meta)


def _check_closed(name: str, text: str, delimiter: str) -> None:
    """Refuse a file that ends inside a quoted cell: reading on would swallow the rest of
    the file into one cell."""
    strict = _csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar='"', strict=True)
    prev = 0
    try:
        for _ in strict:
            prev = strict.line_num
    except _csv.Error as e:
        if "end of data" in str(e):
            raise InputError(name, "a quoted cell is never closed: the file ends inside it "
                                   "(a missing '\"')", row=prev + 1) from None
