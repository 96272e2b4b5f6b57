"""Make PDF lists for the tests, as publishers make them: with LibreOffice, from a workbook
or a Word document, on landscape pages, the table fitted to the page width, its cells
wrapped, and its header row repeated on every page.

- ``xlsx_pdf``: a workbook's print options set with openpyxl (landscape, fit to one page
  wide, title rows, wrapped cells, cell borders, column widths by content), then Calc's
  PDF export;
- ``docx_pdf``: a Word document's sections turned landscape, its table made as wide as
  the page with its header rows marked "repeat on each page" (python-docx), then Writer's
  PDF export; ``html_pdf`` converts a web page to a Word document through Writer first;
- ``standard_layout`` and ``list_docx``: any list of data/raw (a text extraction too) laid
  out with the standard header of its column roles and written as a Word table by
  ``data/raw/tools/convert.py`` (lines above the table, a two-row header, the items
  repeated if asked, lines below);
- ``scanned_pdf``: a PDF whose pages are images of another PDF's pages (no text layer);
  ``joined_pdf`` the pages of several PDFs in one; ``password_pdf`` one that opens only
  with a password;
- ``prose_docx``: a notice, paragraphs and no table.

Every LibreOffice call has its own profile folder and a time limit.
"""

from __future__ import annotations

import copy
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"
SOFFICE_TIMEOUT = 180


def soffice(sources: list[Path], outdir: Path, target: str = "pdf", *, writer: bool = False,
            infilter: str | None = None) -> list[Path]:
    """Convert ``sources`` with LibreOffice (one process for all), into ``outdir``; the
    paths written, in the order of ``sources``. ``infilter`` names the import filter (a web
    page opened by Calc: ``HTML (StarCalc)``)."""
    outdir.mkdir(parents=True, exist_ok=True)
    profile = Path(tempfile.mkdtemp(prefix="pdfmaker-profile-"))
    try:
        cmd = ["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore"]
        if writer:
            cmd.append("--writer")
        if infilter:
            cmd.append(f"--infilter={infilter}")
        cmd += ["--convert-to", target, "--outdir", str(outdir), *map(str, sources)]
        # a session of its own: on a time-out, LibreOffice's own child processes go too
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                start_new_session=True)
        try:
            stdout, stderr = proc.communicate(timeout=SOFFICE_TIMEOUT)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise RuntimeError(f"LibreOffice did not finish in {SOFFICE_TIMEOUT} s: {' '.join(cmd)}") from None
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    ext = "." + target.split(":")[0]
    out = [outdir / (Path(s).stem + ext) for s in sources]
    missing = [p.name for p in out if not p.exists()]
    if missing:
        raise RuntimeError(f"LibreOffice did not write {', '.join(missing)}: {stdout} {stderr}")
    return out


# --- workbooks ------------------------------------------------------------------------------

def _table_rows(ws) -> tuple[int, int, int]:
    """(first header row, header rows, last row) of the sheet's disclosure table, as the
    project's reader finds them."""
    from gongkai.readers.preamble import header_row_index
    from gongkai.readers.xlsx import cell_text

    rows = [[cell_text(c.value) for c in r] for r in ws.iter_rows()]
    first = header_row_index(rows)
    if first is None:
        raise ValueError(f"no header in sheet {ws.title!r}")
    below = rows[first + 1] if first + 1 < len(rows) else []
    sub = header_row_index([below]) is not None or (
        not any(t.strip() for t in below[:1]) and any(t.strip() for t in below))
    return first + 1, 2 if sub else 1, len(rows)


def _units(text: str) -> int:
    """The width of ``text`` in Excel's column units: two for a CJK character, one for others."""
    return sum(1 if ord(ch) < 0x2E80 else 2 for ch in text)


def print_ready_xlsx(src: Path, out: Path) -> Path:
    """The workbook ``src`` with the print setup of a published list, saved as ``out``."""
    import openpyxl
    from openpyxl.styles import Alignment, Border, Side
    from openpyxl.utils import get_column_letter

    wb = openpyxl.load_workbook(src)
    thin = Side(style="thin")
    for ws in wb.worksheets:
        try:
            first, n_head, last = _table_rows(ws)
        except ValueError:
            continue
        width = ws.max_column
        merged_inner: set[str] = set()
        merged_cols: dict[str, range] = {}
        for rng in ws.merged_cells.ranges:
            cells = [f"{get_column_letter(c)}{r}" for r in range(rng.min_row, rng.max_row + 1)
                     for c in range(rng.min_col, rng.max_col + 1)]
            merged_inner.update(cells[1:])
            merged_cols[cells[0]] = range(rng.min_col, rng.max_col + 1)
        longest = [4] * (width + 1)
        for row in ws.iter_rows(min_row=first, max_row=last):
            for c in row:
                a = copy.copy(c.alignment)
                c.alignment = Alignment(horizontal=a.horizontal, vertical=a.vertical or "center", wrap_text=True)
                c.border = Border(left=thin, right=thin, top=thin, bottom=thin)
                if c.value is not None and c.coordinate not in merged_cols:
                    chars = max(len(line) for line in str(c.value).split("\n"))
                    longest[c.column] = max(longest[c.column], chars)
        widths = {}
        for col in range(1, width + 1):     # CJK characters are two columns wide
            widths[col] = min(2 * longest[col] + 2, 40)
            ws.column_dimensions[get_column_letter(col)].width = widths[col]
        # Calc does not compute the heights of wrapped rows it opens: give each row room
        # for its wrapped lines, as Excel does when the list is typed
        for row in ws.iter_rows(min_row=first, max_row=last):
            lines = 1
            for c in row:
                if c.value is not None and c.coordinate not in merged_inner:
                    span = sum(widths.get(col, 10) for col in merged_cols.get(c.coordinate, [c.column]))
                    lines = max(lines, sum(-(-_units(part) // max(span - 2, 1)) or 1
                                           for part in str(c.value).split("\n")))
            ws.row_dimensions[row[0].row].height = 16 * lines + 4
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_title_rows = f"{first}:{first + n_head - 1}"
    wb.save(out)
    return out


def xlsx_pdf(src: Path, workdir: Path) -> Path:
    """``src`` printed to PDF as a publisher prints a list (see the module doc)."""
    workdir.mkdir(parents=True, exist_ok=True)
    ready = print_ready_xlsx(src, workdir / src.name)
    return soffice([ready], workdir / "pdf")[0]


# --- Word documents ---------------------------------------------------------------------------

def _header_rows(table) -> int:
    """How many of the table's first rows are its header (one, or two with sub-headers)."""
    from gongkai.readers.preamble import header_row_index

    texts = []
    for tr in table.rows:
        try:
            texts.append([c.text for c in tr.cells])
        except Exception:
            break
        if len(texts) > 15:
            break
    first = header_row_index(texts)
    if first is None:
        return 0
    below = texts[first + 1] if first + 1 < len(texts) else []
    above = texts[first]
    # a sub-header row: its cells under a parent spanning two columns differ, the others repeat it
    sub = any(b.strip() and b != a for a, b in zip(above, below, strict=False)) and \
        header_row_index([below]) is not None
    return first + (2 if sub else 1)


def print_ready_docx(src: Path, out: Path, *, borders: bool | None = None, repeat_header: bool = True,
                     footer: str | None = None) -> Path:
    """The Word document ``src`` on landscape A4 pages, each table as wide as the page,
    its header rows repeated on every page (unless ``repeat_header`` is False);
    ``borders`` True/False draws or removes the table's ruling lines (None keeps them as
    they are); ``footer`` a line printed at the foot of every page."""
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm

    d = docx.Document(str(src))
    for s in d.sections:
        s.orientation = WD_ORIENT.LANDSCAPE
        s.page_width, s.page_height = Cm(29.7), Cm(21.0)
        s.left_margin = s.right_margin = Cm(1.5)
        s.top_margin = s.bottom_margin = Cm(1.5)
        if footer:
            s.footer.paragraphs[0].text = footer
    for table in d.tables:
        tbl_pr = table._tbl.tblPr
        for old in tbl_pr.findall(qn("w:tblW")):
            tbl_pr.remove(old)
        w = OxmlElement("w:tblW")
        w.set(qn("w:w"), "5000")
        w.set(qn("w:type"), "pct")
        tbl_pr.append(w)
        if borders is not None:
            for old in tbl_pr.findall(qn("w:tblBorders")):
                tbl_pr.remove(old)
            b = OxmlElement("w:tblBorders")
            for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
                e = OxmlElement(f"w:{edge}")
                e.set(qn("w:val"), "single" if borders else "nil")
                if borders:
                    e.set(qn("w:sz"), "4")
                    e.set(qn("w:color"), "000000")
                b.append(e)
            tbl_pr.append(b)
            if not borders:
                table.style = None
                for tc in table._tbl.iter(qn("w:tc")):
                    tc_pr = tc.tcPr
                    if tc_pr is not None:
                        for old in tc_pr.findall(qn("w:tcBorders")):
                            tc_pr.remove(old)
        for tr in table.rows[:_header_rows(table) if repeat_header else 0]:
            tr_pr = tr._tr.get_or_add_trPr()
            if tr_pr.find(qn("w:tblHeader")) is None:
                tr_pr.append(OxmlElement("w:tblHeader"))
    d.save(str(out))
    return out


def docx_pdf(src: Path, workdir: Path, **options) -> Path:
    """``src`` printed to PDF as a publisher prints a list (see the module doc)."""
    workdir.mkdir(parents=True, exist_ok=True)
    ready = print_ready_docx(src, workdir / (src.stem + ".docx"), **options)
    return soffice([ready], workdir / "pdf")[0]


def html_pdf(src: Path, workdir: Path) -> Path:
    """A web page printed to PDF: through Writer to a Word document, then as ``docx_pdf``."""
    workdir.mkdir(parents=True, exist_ok=True)
    as_docx = soffice([src], workdir / "from-html", 'docx:MS Word 2007 XML', writer=True)[0]
    return docx_pdf(as_docx, workdir)


def raw_pdf(name: str, workdir: Path) -> Path:
    """The PDF of the data/raw list ``name`` (xlsx, docx or html)."""
    src = RAW / name
    make = {".xlsx": xlsx_pdf, ".docx": docx_pdf, ".html": html_pdf, ".htm": html_pdf}[src.suffix.lower()]
    return make(src, workdir)


# --- documents made here ----------------------------------------------------------------------

def convert_tool():
    """The project's tool that lays a list out for writing (``layout``) and writes it."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("gongkai_raw_convert", RAW / "tools" / "convert.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(spec.name, module)
    spec.loader.exec_module(module)
    return module


def list_docx(layout, out: Path, *, above: list[str] | None = None, below: list[str] | None = None,
              repeat: int = 1) -> Path:
    """A Word document of ``layout`` (``convert.Layout``): ``above`` (else the layout's
    preamble) as paragraphs, the table (its items ``repeat`` times), ``below`` after it."""
    import docx

    t = copy.copy(layout)
    t.preamble = list(above if above is not None else layout.preamble)
    t.cells = [list(r) for _ in range(repeat) for r in layout.cells]
    t.merged = [list(r) for _ in range(repeat) for r in layout.merged]
    if repeat > 1 and layout.top and layout.top[0].text == "序号":     # numbered on
        for i, row in enumerate(t.cells, start=1):
            row[0] = str(i)
    tool = convert_tool()
    tool.write_docx(t, out)
    if below:
        d = docx.Document(str(out))
        for line in below:
            d.add_paragraph(line)
        d.save(str(out))
    return out


def prose_docx(out: Path, paragraphs: list[str]) -> Path:
    import docx

    d = docx.Document()
    for p in paragraphs:
        d.add_paragraph(p)
    d.save(str(out))
    return out


def scanned_pdf(src: Path, out: Path, dpi: int = 100) -> Path:
    """A PDF of images of ``src``'s pages, with no text: what a scanner makes."""
    import pypdfium2

    pdf = pypdfium2.PdfDocument(str(src))
    try:
        images = [page.render(scale=dpi / 72).to_pil().convert("RGB") for page in pdf]
    finally:
        pdf.close()
    images[0].save(out, "PDF", resolution=dpi, save_all=True, append_images=images[1:])
    return out


_BOXES = (
    (re.compile(r"<input\b[^>]*\bchecked\b[^>]*>\s*", re.IGNORECASE), "☑"),
    (re.compile(r"<input\b[^>]*>\s*", re.IGNORECASE), "□"),
)


def boxes_as_glyphs(html: str) -> str:
    """A web page's check boxes (``<input type="checkbox">``) written as the ☑ and □ a
    browser prints: LibreOffice drops form controls when it opens a page."""
    for pattern, box in _BOXES:
        html = pattern.sub(box, html)
    return html


def standard_layout(path: Path):
    """Any list laid out for writing with the standard header of its column roles (the
    first header text of each role in ``gongkai.columns``, parents over their sub-headers),
    the items' cells as the tabulator read them, HTML check boxes written as ☑ and □, a
    category given once for several items merged over them; the item number first, the
    ordinal column (一、二 …) left out (the category names the group)."""
    from gongkai import columns
    from gongkai.readers.detect import read_any
    from gongkai.tabulate.table import tabulate

    tool = convert_tool()
    table = tabulate(read_any(path))
    roles = [r for r in table.roles if r != "ordinal"]
    if "number" in roles:
        roles.remove("number")
        roles.insert(0, "number")
    names = {r: p.synonyms[0] for p in columns.PARENTS for r in p.alone}
    names.update({r.role: r.synonyms[0] for r in columns.ROLES if r.synonyms})
    parent_of = {child: p for p in columns.PARENTS for child in p.children}
    top: list = []
    sub: list = []
    for col, role in enumerate(roles):
        p = parent_of.get(role)
        if p is not None:
            if top and top[-1].text == p.synonyms[0] and top[-1].col + top[-1].span == col:
                top[-1].span += 1
            else:
                top.append(tool.HeaderCell(p.synonyms[0], col))
            sub.append(tool.HeaderCell(names.get(role, role), col))
        else:
            top.append(tool.HeaderCell(names.get(role, role), col, 1, 2))
    if not sub:
        for h in top:
            h.rows = 1
    cells, merged = [], []
    for row in table.rows:
        texts = []
        for r in roles:
            t = row.values.get(r, "")
            for pattern, box in _BOXES:
                t = pattern.sub(box, t)
            texts.append(t)
        cells.append(texts)
        merged.append([r in row.carried and r in columns.LEVEL_ROLES for r in roles])
    return tool.Layout(len(roles), top, sub, cells, merged, [t for _, t in table.preamble])


def joined_pdf(parts: list[Path], out: Path) -> Path:
    """One PDF of the pages of ``parts``, in order."""
    import pypdfium2

    pdf = pypdfium2.PdfDocument.new()
    try:
        for part in parts:
            src = pypdfium2.PdfDocument(str(part))
            try:
                pdf.import_pages(src)
            finally:
                src.close()
        pdf.save(str(out))
    finally:
        pdf.close()
    return out


def password_pdf(src: Path, outdir: Path, password: str = "secret") -> Path:
    """``src`` (a Word document) exported to a PDF that opens only with ``password``."""
    options = ('{"EncryptFile":{"type":"boolean","value":"true"},'
               f'"DocumentOpenPassword":{{"type":"string","value":"{password}"}}}}')
    return soffice([src], outdir, f"pdf:writer_pdf_Export:{options}")[0]
