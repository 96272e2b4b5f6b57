"""Check that a list reads the same once a publisher has saved it as PDF, XLS or DOC.

    .venv/bin/python data/raw/tools/formats_check.py [--keep DIR] [--first] [--json OUT] [FILE …]

Every list of ``data/raw`` written as XLSX, DOCX or HTML, and every list in those formats
under ``tests/fixtures`` (or the FILEs given), is converted by LibreOffice (headless) to the
three formats publishers also post, with the page setup they use (``tests/pdfmaker.py``):

- **PDF**: a workbook printed with its print options set by openpyxl (landscape A4, one
  page wide, wrapped cells, ruled cells, the header rows repeated as print titles); a Word
  document or a web page printed from Writer (landscape A4, the table as wide as the page,
  its header rows repeated on each page);
- **XLS** (Excel 97–2003): the print-ready workbook saved by Calc; a Word document or a
  web page opened in Calc (its HTML import) first, as a table copied into a spreadsheet;
- **DOC** (Word 97–2003): the print-ready Word document saved by Writer (through ODT,
  see ``tests/office.py``); a workbook's table taken into Writer through Calc's HTML
  export, as a table pasted into Word.

A web page's check boxes (``<input type="checkbox">``) are first written as the ☑ and □
a browser prints: LibreOffice drops form controls when it opens a page, so the marks would
be lost by the conversion, not by a reader.

Each file is converted once per format: the conversions of all lists run in one
LibreOffice process per step. Nothing is kept between runs (``--keep DIR`` keeps this
run's files in DIR to look at them; ``--first`` shows the first difference of each pair
with both values; ``--json OUT`` writes the outcomes for a program).

Each converted file is read as ``gongkai ingest`` reads it (with the same bureau as the
original, legal citations not resolved), and its items compared with the original's:
number, 一级/二级/三级 names, content, every citation's text, the time limit (its text and
what was parsed from it: kind, amount, unit, trigger, annual date), publisher, channels
(label, checked), audience and mode.

**How whitespace is compared.** A PDF keeps where each printed line of a cell ends, not
why; Writer and Calc may turn a line break into a paragraph or a space. So texts are
compared after removing whitespace next to a Chinese character or a full-width sign (where
Chinese text has none of its own, and where the parsers remove it anyway) and folding any
other run of whitespace into one space (so a space between two Latin words or numbers must
still be there): every character, its order and the spaces between Latin words must agree.
This is the comparison of ``tests/unit/test_reader_pdf.py``.

The table printed has one row per list and one column per format: ``same``, ``differs:``
what (field and item numbers), ``refused:`` the reader's one-line error, or ``not made:``
when LibreOffice could not convert the file. ``tests/unit/test_formats_corpus.py`` runs
this check. Exit code 0 when every pair reads the same, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[3]
RAW = ROOT / "data" / "raw"
FIXTURES = ROOT / "tests" / "fixtures"
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))

import pdfmaker  # noqa: E402 - tests/pdfmaker.py, after the sys.path set-up
from gongkai.errors import GongkaiError  # noqa: E402
from gongkai.ingest import ingest_file  # noqa: E402
from gongkai.model import DisclosureItem, DisclosureList  # noqa: E402

#: the formats a list is converted to, in the order of the table's columns
FORMATS = ("pdf", "xls", "doc")
#: the formats of the lists that are converted
SOURCE_SUFFIXES = (".xlsx", ".docx", ".html", ".htm")
#: the bureau given to a list the sources.csv of data/raw does not describe
PLACEHOLDER_BUREAU = "示例县某局"
#: LibreOffice's import filters for a web page: as a Writer document, as a Calc sheet
WRITER_HTML = "HTML (StarWriter)"
CALC_HTML = "HTML (StarCalc)"


# --- the lists ------------------------------------------------------------------------------

def corpus() -> list[Path]:
    """Every XLSX, DOCX and HTML list of data/raw, then those under tests/fixtures."""
    def lists(folder: Path, pattern: str) -> list[Path]:
        return sorted(p for p in folder.glob(pattern) if p.suffix.lower() in SOURCE_SUFFIXES)

    return lists(RAW, "*") + lists(FIXTURES, "**/*")


def label(path: Path) -> str:
    """A list's name in the table: its path from the repository's root."""
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def bureaus() -> dict[str, str]:
    """file name → bureau, as data/raw/sources.csv gives them."""
    import csv

    with open(RAW / "sources.csv", encoding="utf-8") as f:
        return {r["file"]: r["bureau"] for r in csv.DictReader(f) if r["bureau"]}


def bureau_for(path: Path) -> str | None:
    """The bureau a list is read with: sources.csv's for a list of data/raw (None when the
    list names its own), a placeholder for the others, which are made up."""
    if path.resolve().parent == RAW.resolve():
        return bureaus().get(path.name)
    return PLACEHOLDER_BUREAU


# --- what a list says -----------------------------------------------------------------------

_WIDE = r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f\u2000-\u2bff]"


def same_text(text: str | None) -> str | None:
    """``text`` with whitespace next to a Chinese character or a full-width sign removed and
    other whitespace folded to one space (see the module doc)."""
    if text is None:
        return None
    text = re.sub(rf"\s+(?={_WIDE})|(?<={_WIDE})\s+", "", text)
    return re.sub(r"\s+", " ", text).strip() or None


def facts(item: DisclosureItem) -> dict[str, Any]:
    """What is compared of an item, field by field."""
    tl = item.time_limit
    return {
        "number": item.number,
        "level1": same_text(item.level1), "name": same_text(item.level2), "level3": same_text(item.level3),
        "content": same_text(item.content),
        "citations": [same_text(c.raw) for c in item.citations],
        "time limit": same_text(tl.raw) if tl else None,
        "parsed time limit": (tl.kind, tl.amount, tl.unit, tl.trigger, tl.annual_month, tl.annual_day)
        if tl else None,
        "publisher": same_text(item.publisher),
        "channels": [(same_text(o.label), o.checked) for o in item.channels],
        "audience": list(item.audience), "mode": list(item.mode),
    }


def differences(original: DisclosureList, other: DisclosureList) -> list[str]:
    """What differs between two readings of a list, one phrase per field: ``content (items
    3, 5)``; the item counts first when they differ."""
    out: list[str] = []
    if len(original.items) != len(other.items):
        out.append(f"{len(other.items)} items, not {len(original.items)}")
    by_field: dict[str, list[str]] = {}
    for i, (a, b) in enumerate(zip(original.items, other.items, strict=False), start=1):
        fa, fb = facts(a), facts(b)
        for name, value in fa.items():
            if fb[name] != value:
                by_field.setdefault(name, []).append(str(a.number if name != "number" else i))
    for name, where in by_field.items():
        noun = "item" if len(where) == 1 else "items"
        out.append(f"{name} ({noun} {', '.join(where)})")
    return out


def first_difference(original: DisclosureList, other: DisclosureList) -> str:
    """The first field that differs, both values shown (for a close look)."""
    for a, b in zip(original.items, other.items, strict=False):
        fa, fb = facts(a), facts(b)
        for name, value in fa.items():
            if fb[name] != value:
                return f"item {a.number} {name}: {value!r} → {fb[name]!r}"
    return ""


# --- the conversions ------------------------------------------------------------------------

@dataclass
class Outcome:
    """How one list read in one format."""

    source: Path
    format: str
    status: str                   # same, differs, refused, not made
    detail: str = ""
    path: Path | None = None      # the converted file
    first: str = ""               # the first difference, both values (status differs)

    def as_json(self) -> dict[str, str]:
        return {"list": label(self.source), "format": self.format, "status": self.status,
                "detail": self.detail, "first": self.first}

    @property
    def cell(self) -> str:
        return self.status if not self.detail else f"{self.status}: {self.detail}"


@dataclass
class Work:
    """One list on its way through the conversions, in a folder of its own."""

    source: Path
    folder: Path
    stem: str
    kind: str                                     # xlsx, docx, html
    copies: dict[str, Path] = field(default_factory=dict)    # intermediate files by role
    made: dict[str, Path] = field(default_factory=dict)      # format → converted file
    failed: dict[str, str] = field(default_factory=dict)     # format → why it was not made


def _batch(works: list[Work], role: str, new_role: str, outdir: Path, target: str, *,
           writer: bool = False, infilter: str | None = None) -> None:
    """Convert the ``role`` file of each work to ``target`` in one LibreOffice run, kept as
    its ``new_role`` file; a work whose file LibreOffice did not write is left without it."""
    todo = [w for w in works if role in w.copies]
    if not todo:
        return
    try:
        outs = pdfmaker.soffice([w.copies[role] for w in todo], outdir, target, writer=writer, infilter=infilter)
    except RuntimeError:
        outs = [outdir / (w.copies[role].stem + "." + target.split(":")[0]) for w in todo]
    for w, out in zip(todo, outs, strict=True):
        if out.is_file():
            w.copies[new_role] = out


def _ready(works: list[Work], role: str, new_role: str,
           make: Callable[[Path, Path], Path], suffix: str) -> None:
    """Give each work's ``role`` file the page setup of a published list (``make``)."""
    for w in works:
        if role in w.copies:
            out = w.folder / f"{w.stem}-ready{suffix}"
            try:
                w.copies[new_role] = make(w.copies[role], out)
            except Exception as e:
                w.failed.setdefault("setup", f"{type(e).__name__}: {e}")


def _print_boxes(page: Path) -> None:
    """Write a web page's check boxes as the glyphs a browser prints (LibreOffice drops
    form controls: the marks would be lost by the conversion, not by a reader)."""
    try:
        text = page.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return
    page.write_text(pdfmaker.boxes_as_glyphs(text), encoding="utf-8")


def convert_all(sources: Iterable[Path], workdir: Path) -> list[Work]:
    """Every source converted to PDF, XLS and DOC (see the module doc) in ``workdir``."""
    works: list[Work] = []
    for n, src in enumerate(sources, start=1):
        stem = f"{n:02d}-{src.stem}"
        folder = workdir / stem
        folder.mkdir(parents=True)
        kind = "html" if src.suffix.lower() in (".html", ".htm") else src.suffix.lower().lstrip(".")
        copy = folder / f"{stem}{src.suffix.lower()}"
        shutil.copyfile(src, copy)
        if kind == "html":
            _print_boxes(copy)
        works.append(Work(src, folder, stem, kind, {kind: copy}))
    step = workdir / "steps"
    # a workbook's table as a web page (Calc), a Word document's table as a web page (Writer)
    _batch(works, "xlsx", "html", step / "xlsx-html", "html")
    _batch([w for w in works if w.kind == "docx"], "docx", "html", step / "docx-html", "html")
    # a web page opened by Writer (as a Word document) and by Calc (as a sheet)
    _batch([w for w in works if w.kind != "docx"], "html", "docx", step / "html-docx",
           "docx:MS Word 2007 XML", infilter=WRITER_HTML)
    _batch([w for w in works if w.kind != "xlsx"], "html", "xlsx", step / "html-xlsx",
           "xlsx:Calc MS Excel 2007 XML", infilter=CALC_HTML)
    # the page setup of a published list
    _ready(works, "xlsx", "ready-xlsx", pdfmaker.print_ready_xlsx, ".xlsx")
    _ready(works, "docx", "ready-docx", pdfmaker.print_ready_docx, ".docx")
    # PDF: printed from the application the list was written in
    for w in works:
        ready = "ready-xlsx" if w.kind == "xlsx" else "ready-docx"
        if ready in w.copies:
            w.copies["print"] = w.copies[ready]
    _batch(works, "print", "pdf", step / "pdf", "pdf")
    _batch(works, "ready-xlsx", "xls", step / "xls", "xls:MS Excel 97")
    _batch(works, "ready-docx", "odt", step / "odt", "odt:writer8")
    _batch(works, "odt", "doc", step / "doc", "doc:MS Word 97")
    for w in works:
        for fmt in FORMATS:
            if fmt in w.copies:
                final = w.folder / f"{w.stem}.{fmt}"
                shutil.move(w.copies[fmt], final)
                w.made[fmt] = final
            else:
                w.failed.setdefault(fmt, w.failed.get("setup", "LibreOffice wrote no file"))
    return works


# --- the check ------------------------------------------------------------------------------

def _read(path: Path, bureau: str | None) -> DisclosureList | str:
    """The list a file gives, or the reader's one-line error."""
    try:
        return ingest_file(path, bureau=bureau, resolve=False)
    except GongkaiError as e:
        return str(e).replace(str(path.parent) + "/", "")


def compare(work: Work) -> list[Outcome]:
    """How the list of ``work`` read in each format, against its original."""
    bureau = bureau_for(work.source)
    original = _read(work.source, bureau)
    out: list[Outcome] = []
    for fmt in FORMATS:
        if fmt not in work.made:
            out.append(Outcome(work.source, fmt, "not made", work.failed.get(fmt, "")))
            continue
        path = work.made[fmt]
        if isinstance(original, str):
            out.append(Outcome(work.source, fmt, "not made", f"the original is refused: {original}", path))
            continue
        got = _read(path, bureau)
        if isinstance(got, str):
            out.append(Outcome(work.source, fmt, "refused", got, path))
            continue
        diff = differences(original, got)
        if diff:
            out.append(Outcome(work.source, fmt, "differs", "; ".join(diff), path, first_difference(original, got)))
        else:
            out.append(Outcome(work.source, fmt, "same", "", path))
    return out


def check(sources: Iterable[Path], workdir: Path) -> list[Outcome]:
    """Convert every source in ``workdir`` and compare: one outcome per list and format."""
    return [o for w in convert_all(sources, workdir) for o in compare(w)]


def table(outcomes: list[Outcome]) -> str:
    """The outcomes as a Markdown table (list × format), with the count of pairs that read
    the same below it."""
    rows: dict[Path, dict[str, Outcome]] = {}
    for o in outcomes:
        rows.setdefault(o.source, {})[o.format] = o
    lines = ["| list | " + " | ".join(f.upper() for f in FORMATS) + " |",
             "|---|" + "---|" * len(FORMATS)]
    for source, by_format in rows.items():
        cells = [by_format[f].cell.replace("|", "\\|") if f in by_format else "" for f in FORMATS]
        lines.append(f"| `{label(source)}` | " + " | ".join(cells) + " |")
    same = sum(o.status == "same" for o in outcomes)
    lines += ["", f"{same} of {len(outcomes)} list × format pairs read the same."]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="*", type=Path, help="lists to check (default: the corpus)")
    parser.add_argument("--keep", type=Path, help="keep the converted files in this folder")
    parser.add_argument("--first", action="store_true", help="show the first difference of each pair")
    parser.add_argument("--json", type=Path, help="also write the outcomes to this file, one object per pair")
    args = parser.parse_args(argv)
    sources = args.files or corpus()
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        outcomes = check(sources, Path(tempfile.mkdtemp(prefix="formats-check-", dir=args.keep)))
    else:
        with tempfile.TemporaryDirectory(prefix="formats-check-") as tmp:
            outcomes = check(sources, Path(tmp))
    print(table(outcomes))
    if args.json:
        args.json.write_text(json.dumps([o.as_json() for o in outcomes], ensure_ascii=False, indent=1),
                             encoding="utf-8")
    if args.first:
        for o in outcomes:
            if o.first:
                print(f"{label(o.source)} → {o.format}: {o.first}")
    return 0 if all(o.status == "same" for o in outcomes) else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
