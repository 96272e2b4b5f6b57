"""Time the PDF reader on long lists printed to PDF with LibreOffice.

    .venv/bin/python bench/pdf_bench.py                       # the seed list and the CSV list, 30+ pages each
    .venv/bin/python bench/pdf_bench.py --pages 100 --runs 5
    .venv/bin/python bench/pdf_bench.py --list data/raw/huangshi-szfgz.txt --no-lines

A list of data/raw is laid out in a Word document (``tests/pdfmaker.py``: the standard
header, the items repeated and numbered on until the PDF has at least ``--pages`` pages),
printed by LibreOffice as publishers print lists (landscape A4, the table as wide as the
page, the header repeated on each page), with ruling lines or without (``--no-lines``:
then the reader finds the columns from the text alone). Then, in this process, warm (the
first reading of a file is not counted):

- *read*: ``readers.pdf.read_pdf`` alone: PDF → cell grid;
- *ingest*: ``ingest.ingest_file``: read, tabulate, parse the fields (citations not
  resolved, as that is not the reader's cost).

Prints, per list and kind of table, the pages, characters, rows and items, the median time
of the runs and the pages per second. Needs ``soffice`` (LibreOffice) on the PATH.
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))

#: given to every list: a list that does not name its bureau cannot be ingested without one
BUREAU = "某局"
LISTS = [ROOT / "data" / "raw" / "zhongwei-yunjisuan-2021.txt", ROOT / "data" / "raw" / "county-jiaoyu-lyg138.csv"]


def _pages(pdf: Path) -> tuple[int, int]:
    import pdfplumber

    with pdfplumber.open(str(pdf)) as doc:
        return len(doc.pages), sum(len(p.chars) for p in doc.pages)


def make(source: Path, pages: int, lines: bool, work: Path) -> tuple[Path, float]:
    """The PDF of ``source`` repeated until it has ``pages`` pages or more; and the seconds
    LibreOffice took for it."""
    import pdfmaker

    layout = pdfmaker.standard_layout(source)
    repeat = 1
    while True:
        doc = pdfmaker.list_docx(layout, work / f"{source.stem}-{repeat}.docx", repeat=repeat)
        ready = pdfmaker.print_ready_docx(doc, work / f"{source.stem}-{repeat}-{'lines' if lines else 'text'}.docx",
                                         borders=lines)
        t0 = time.perf_counter()
        pdf = pdfmaker.soffice([ready], work / "pdf")[0]
        took = time.perf_counter() - t0
        n, _ = _pages(pdf)
        if n >= pages:
            return pdf, took
        repeat = max(repeat + 1, math.ceil(repeat * pages * 1.15 / max(n, 1)))


def timed(fn, runs: int) -> list[float]:
    fn()                                   # warm: imports, OpenCC, the header vocabulary
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--list", type=Path, action="append", help="a list of data/raw (repeatable); default: "
                    + ", ".join(p.name for p in LISTS))
    ap.add_argument("--pages", type=int, default=30, help="at least this many pages (default 30)")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--no-lines", action="store_true", help="only tables without ruling lines")
    ap.add_argument("--lines", action="store_true", help="only tables with ruling lines")
    args = ap.parse_args()
    from gongkai.ingest import ingest_file
    from gongkai.readers.pdf import read_pdf

    kinds = [True] if args.lines else [False] if args.no_lines else [True, False]
    print(f"{'list':34} {'table':9} {'pages':>5} {'chars':>7} {'rows':>5} {'items':>5} "
          f"{'read s':>7} {'pages/s':>7} {'ingest s':>8} {'soffice s':>9}")
    with tempfile.TemporaryDirectory() as tmp:
        for source in args.list or LISTS:
            for lines in kinds:
                pdf, made = make(source, args.pages, lines, Path(tmp))
                pages, chars = _pages(pdf)
                grid = read_pdf(pdf)
                items = len(ingest_file(pdf, bureau=BUREAU, resolve=False).items)
                read = statistics.median(timed(lambda pdf=pdf: read_pdf(pdf), args.runs))
                ingest = statistics.median(
                    timed(lambda pdf=pdf: ingest_file(pdf, bureau=BUREAU, resolve=False), args.runs))
                print(f"{source.name:34} {'lines' if lines else 'no lines':9} {pages:5} {chars:7} "
                      f"{len(grid.rows):5} {items:5} {read:7.2f} {pages / read:7.1f} {ingest:8.2f} {made:9.1f}")


if __name__ == "__main__":
    main()
