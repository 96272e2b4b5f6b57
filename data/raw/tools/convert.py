"""Write a disclosure list in the file formats publishers use: XLSX, CSV, HTML, DOCX.

    .venv/bin/python data/raw/tools/convert.py SOURCE OUT.xlsx [OUT.html …]

The list is read with the project's own reader and tabulator (``gongkai.readers.detect``,
``gongkai.tabulate``), and its table written out again, cell by cell:

- every cell text is the text the reader read, unchanged (spacing, traditional characters,
  line breaks inside a cell: a line break in XLSX/CSV/DOCX, ``<br>`` in HTML);
- the header keeps its two rows: a parent header (公开事项, 公开对象 …) spans the columns
  of its sub-headers, a header without sub-headers spans both rows;
- a category the source gave once for several items (a merged cell, or a cell left out in
  the rows below it) is written as a merged cell: ``rowspan`` in HTML, merged ranges in
  XLSX and DOCX; CSV has no merged cells, so the rows below hold an empty cell, as Excel
  writes a merged cell to CSV;
- the lines above the table (title, 发布日期 …) are written above it, and the page's
  address as the format allows: ``<link rel="canonical">`` in HTML, a first line
  ``# source: URL`` in CSV (``data/raw/sources.csv`` has it for every file anyway);
- CSV is written in GB18030, the encoding Chinese Excel uses.

Nothing is added or corrected: a last row that the source cut off stays cut off. A list
whose cells the tabulator could not all place (marks of unknown column, a value given as
同上) is refused, because its text could not be written back as it was.

So the conversion is reproducible and its provenance honest: the files in ``data/raw``
made this way say which sample they come from (``data/raw/README.md``), and running this
script on that sample gives them again (byte for byte for HTML and CSV; XLSX and DOCX
hold timestamps of their own).
"""

from __future__ import annotations

import csv
import html
import io
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "src"))

from gongkai import columns  # noqa: E402
from gongkai.errors import InputError  # noqa: E402
from gongkai.readers.detect import read_any  # noqa: E402
from gongkai.tabulate.header import header_rows  # noqa: E402 - after the sys.path set-up
from gongkai.tabulate.rows import UNPLACED_MARKS  # noqa: E402
from gongkai.tabulate.table import tabulate  # noqa: E402 - after the sys.path set-up


@dataclass
class HeaderCell:
    text: str
    col: int
    span: int = 1
    rows: int = 1          # 2 for a top header without sub-headers (when there is a sub row)


@dataclass
class Layout:
    """A list's table as it is to be written: header, cells, merges, and what surrounds it."""

    width: int
    top: list[HeaderCell]
    sub: list[HeaderCell]
    cells: list[list[str]]                   # data rows × columns
    merged: list[list[bool]]                 # True: covered by the cell above (merged)
    preamble: list[str] = field(default_factory=list)
    source_url: str | None = None

    def spans(self) -> dict[tuple[int, int], int]:
        """(row, column) of each merged cell's origin → how many rows it covers."""
        out: dict[tuple[int, int], int] = {}
        for c in range(self.width):
            origin = None
            for r in range(len(self.cells)):
                if self.merged[r][c] and origin is not None:
                    out[origin] += 1
                else:
                    origin = (r, c)
                    out[origin] = 1
        return {k: v for k, v in out.items() if v > 1}


def layout(path: Path) -> Layout:
    """Read a list and lay its table out for writing (see the module doc)."""
    grid = read_any(path)
    table = tabulate(grid)
    top_row, sub_row = header_rows(grid)
    tops = [c for c in top_row if not c.empty and not c.spanned]
    subs = [c for c in (sub_row or []) if not c.empty and not c.spanned]

    # which top header owns which sub-header (the tabulator's own rule: by span, else by role)
    owned: dict[int, list[str]] = {i: [] for i in range(len(tops))}
    for s in subs:
        role = columns.role_for_header(s.text)
        owners = [i for i, t in enumerate(tops)
                  if (p := columns.parent_for_header(t.text)) and role in p.children]
        inside = [i for i in owners if tops[i].col <= s.col < (
            tops[i + 1].col if i + 1 < len(tops) else 10**6)]
        pick = inside or owners
        if not pick:
            raise SystemExit(f"{path}: sub-header {s.text!r} has no parent header")
        owned[pick[0]].append(s.text)
    top: list[HeaderCell] = []
    sub: list[HeaderCell] = []
    col = 0
    for i, t in enumerate(tops):
        kids = owned[i]
        top.append(HeaderCell(t.text, col, max(1, len(kids)), 1 if kids or not subs else 2))
        for k in kids:
            sub.append(HeaderCell(k, col))
            col += 1
        if not kids:
            col += 1
    width = col
    roles = table.roles
    if len(roles) != width:
        raise SystemExit(f"{path}: {len(roles)} data columns ({', '.join(roles)}) under "
                         f"{width} header columns; cannot write the table back as it was")

    cells: list[list[str]] = []
    merged: list[list[bool]] = []
    for row in table.rows:
        if row.values.get(UNPLACED_MARKS):
            raise SystemExit(f"{path}: line {row.lines[0]}: marks of unknown column "
                             f"({row.values[UNPLACED_MARKS]}); cannot write them to a column")
        odd = [r for r in row.carried if r not in columns.LEVEL_ROLES and r != "ordinal"]
        if odd:
            raise SystemExit(f"{path}: line {row.lines[0]}: {', '.join(odd)} copied from the row "
                             "above (同上); its text as written is not kept")
        cells.append([row.values.get(r, "") for r in roles])
        merged.append([r in row.carried for r in roles])
    preamble = [text for _, text in table.preamble]
    return Layout(width, top, sub, cells, merged, preamble, table.meta.get("source_url"))


# --- writers ------------------------------------------------------------------------------

def _number(text: str) -> int | str:
    """Item numbers as numbers, as publishers' spreadsheets hold them."""
    return int(text) if text.isdigit() and len(text) < 6 else text


def write_xlsx(t: Layout, out: Path) -> None:
    import openpyxl
    from openpyxl.styles import Alignment

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "公开目录"
    wrap = Alignment(wrap_text=True, vertical="center")
    r = 1
    for line in t.preamble:
        ws.cell(r, 1, line)
        if t.width > 1:
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=t.width)
        r += 1
    for h in t.top:
        ws.cell(r, h.col + 1, h.text).alignment = wrap
        if h.span > 1 or h.rows > 1:
            ws.merge_cells(start_row=r, start_column=h.col + 1,
                           end_row=r + h.rows - 1, end_column=h.col + h.span)
    if t.sub:
        for h in t.sub:
            ws.cell(r + 1, h.col + 1, h.text).alignment = wrap
        r += 1
    r += 1
    spans = t.spans()
    for i, row in enumerate(t.cells):
        for c, text in enumerate(row):
            if t.merged[i][c] and any(i0 < i < i0 + n and c0 == c for (i0, c0), n in spans.items()):
                continue
            if text:
                ws.cell(r + i, c + 1, _number(text) if c == 0 else text).alignment = wrap
    for (i, c), n in spans.items():
        ws.merge_cells(start_row=r + i, start_column=c + 1, end_row=r + i + n - 1, end_column=c + 1)
    wb.save(out)


def _html_text(text: str) -> str:
    return "<br>".join(html.escape(line) for line in text.split("\n"))


def html_text(t: Layout) -> str:
    title = t.preamble[0] if t.preamble else "公开目录"
    out = ["<!DOCTYPE html>", '<html lang="zh-CN">', "<head>", '<meta charset="utf-8">',
           f"<title>{html.escape(title)}</title>"]
    if t.source_url:
        out.append(f'<link rel="canonical" href="{html.escape(t.source_url)}">')
    out += ["</head>", "<body>"]
    out += [f"<p>{_html_text(line)}</p>" for line in t.preamble]
    out.append('<table border="1">')
    out.append("<tr>" + "".join(
        "<th" + (f' colspan="{h.span}"' if h.span > 1 else "")
        + (f' rowspan="{h.rows}"' if h.rows > 1 else "") + f">{_html_text(h.text)}</th>"
        for h in t.top) + "</tr>")
    if t.sub:
        out.append("<tr>" + "".join(f"<th>{_html_text(h.text)}</th>" for h in t.sub) + "</tr>")
    spans = t.spans()
    for i, row in enumerate(t.cells):
        tds = []
        for c, text in enumerate(row):
            if t.merged[i][c] and any(i0 < i < i0 + n and c0 == c for (i0, c0), n in spans.items()):
                continue
            n = spans.get((i, c), 1)
            tds.append("<td" + (f' rowspan="{n}"' if n > 1 else "") + f">{_html_text(text)}</td>")
        out.append("<tr>" + "".join(tds) + "</tr>")
    out += ["</table>", "</body>", "</html>", ""]
    return "\n".join(out)


def write_html(t: Layout, out: Path) -> None:
    out.write_text(html_text(t), encoding="utf-8")


def csv_text(t: Layout) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    if t.source_url:
        buf.write(f"# source: {t.source_url}\r\n")
    for line in t.preamble:
        w.writerow([line] + [""] * (t.width - 1))
    top = [""] * t.width
    for h in t.top:
        top[h.col] = h.text
    w.writerow(top)
    if t.sub:
        sub = [""] * t.width
        for h in t.sub:
            sub[h.col] = h.text
        w.writerow(sub)
    for i, row in enumerate(t.cells):
        w.writerow(["" if t.merged[i][c] else text for c, text in enumerate(row)])
    return buf.getvalue()


def write_csv(t: Layout, out: Path) -> None:
    out.write_bytes(csv_text(t).encode("gb18030"))


def write_docx(t: Layout, out: Path) -> None:
    import docx

    d = docx.Document()
    for line in t.preamble:
        d.add_paragraph(line)
    n_head = 2 if t.sub else 1
    table = d.add_table(rows=n_head + len(t.cells), cols=t.width)
    table.style = "Table Grid"
    for h in t.top:
        table.cell(0, h.col).text = h.text
    for h in t.sub:
        table.cell(1, h.col).text = h.text
    spans = t.spans()
    for i, row in enumerate(t.cells):
        for c, text in enumerate(row):
            if not t.merged[i][c] and text:
                table.cell(n_head + i, c).text = text
    for h in t.top:
        if h.span > 1 or h.rows > 1:
            table.cell(0, h.col).merge(table.cell(h.rows - 1, h.col + h.span - 1))
    for (i, c), n in spans.items():
        table.cell(n_head + i, c).merge(table.cell(n_head + i + n - 1, c))
    d.save(out)


WRITERS = {".xlsx": write_xlsx, ".html": write_html, ".csv": write_csv, ".docx": write_docx}


def convert(source: Path, out: Path) -> None:
    writer = WRITERS.get(out.suffix.lower())
    if writer is None:
        raise SystemExit(f"{out}: unknown format; use one of {' '.join(WRITERS)}")
    writer(layout(source), out)


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    source = Path(argv[0])
    for target in argv[1:]:
        try:
            convert(source, Path(target))
        except InputError as e:
            print(f"error: {e}", file=sys.stderr)
            return 2
        print(f"{source.name} → {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
