"""Reading within bounds: files too large to read are refused before memory is spent.

A 1 MB workbook whose one cell inflates to 1 GB, a 200,000-row workbook, an "XML bomb", a
page nested 300 levels deep, a time limit of a million working days: each is made here, at
test time, and read the way a user's command or upload reads it. The commands run in
processes of their own, so that their time and peak memory (``ru_maxrss``) are theirs alone.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import struct
import subprocess
import sys
import time
import zipfile
import zlib
from pathlib import Path

import docx
import openpyxl
import pytest

from gongkai.deadlines.due import due_date
from gongkai.errors import InputError
from gongkai.fields.timelimits import MAX_AMOUNTS, parse_time_limit
from gongkai.ingest import ingest_file
from gongkai.model import TimeLimit
from gongkai.readers import limits
from gongkai.readers.docx import read_docx
from gongkai.readers.html import read_html
from gongkai.readers.xlsx import read_xlsx

ROOT = Path(__file__).resolve().parents[2]
MB = 1024 * 1024
HEADER = ["序号", "一级事项", "公开内容", "公开时限", "公开主体", "公开渠道"]
ITEM = ["机构概况", "医院基本信息、科室设置", "形成或者变更之日起20个工作日内", "县卫生健康局", "政府网站"]
SHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


# --- running a command in a process of its own, measured --------------------------------

_MEASURE = """
import resource, subprocess, sys, time
t = time.perf_counter()
r = subprocess.run(sys.argv[1:], capture_output=True)
seconds = time.perf_counter() - t
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
sys.stdout.buffer.write(f"{r.returncode} {seconds:.3f} {peak:.0f}\\n".encode() + r.stderr + r.stdout)
"""


def measured(*cmd: str, timeout: float = 120) -> tuple[int, float, float, str]:
    """Run ``cmd`` in a fresh process: (exit code, seconds, peak RSS in MB, stderr + stdout).

    A wrapper process runs it, so that ``RUSAGE_CHILDREN`` holds that one command only."""
    env = {**os.environ, "COLUMNS": "200", "GONGKAI_HOME": str(ROOT)}
    for var in ("GONGKAI_ENDPOINT", "GONGKAI_BUILD"):
        env.pop(var, None)
    out = subprocess.run([sys.executable, "-c", _MEASURE, *cmd], capture_output=True, timeout=timeout,
                         env=env, cwd=ROOT).stdout
    head, _, rest = out.partition(b"\n")
    code, seconds, peak = head.split()
    return int(code), float(seconds), float(peak), rest.decode("utf-8", "replace")


def gongkai(*args: str | Path) -> tuple[int, float, float, str]:
    return measured(sys.executable, "-m", "gongkai.cli", *map(str, args))


def python(code: str, *args: str | Path) -> tuple[int, float, float, str]:
    return measured(sys.executable, "-c", code, *map(str, args))


# --- writing ZIP packages by hand: a member of raw deflate data, or lying sizes -----------

def _zip(members: list[tuple[str, bytes, int, int]]) -> bytes:
    """A ZIP archive of (name, deflated data, declared size, CRC) members."""
    out, central = io.BytesIO(), io.BytesIO()
    for name, data, size, crc in members:
        offset = out.tell()
        n = name.encode()
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, len(data), size, len(n), 0))
        out.write(n + data)
        central.write(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21, crc, len(data),
                                  size, len(n), 0, 0, 0, 0, 0, offset) + n)
    cd = central.getvalue()
    start = out.tell()
    out.write(cd + struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(cd), start, 0))
    return out.getvalue()


def _deflated(data: bytes) -> tuple[bytes, int, int]:
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush(), len(data), zlib.crc32(data)


def _repeated(prefix: bytes, chunk: bytes, times: int, suffix: bytes) -> tuple[bytes, int, int]:
    """Raw deflate data of prefix + chunk × times + suffix, made without compressing every
    chunk: after a full flush the compressor starts afresh, so each chunk's block is the same."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = c.compress(prefix) + c.flush(zlib.Z_FULL_FLUSH)
    block = c.compress(chunk) + c.flush(zlib.Z_FULL_FLUSH)
    assert c.compress(chunk) + c.flush(zlib.Z_FULL_FLUSH) == block
    tail = c.compress(suffix) + c.flush()
    crc = zlib.crc32(prefix)
    for _ in range(times):
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(suffix, crc)
    return head + block * (times - 1) + tail, len(prefix) + len(chunk) * times + len(suffix), crc


def _workbook_parts(tmp_path: Path, rows: list[list[object]]) -> dict[str, bytes]:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "目录"
    for row in rows:
        ws.append(row)
    path = tmp_path / "parts.xlsx"
    wb.save(path)
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


def _package(path: Path, parts: dict[str, bytes], raw: dict[str, tuple[bytes, int, int]] | None = None) -> Path:
    """Write ``parts`` (deflated here) and ``raw`` (already deflated) as a ZIP package."""
    members = [(n, *_deflated(data)) for n, data in parts.items() if n not in (raw or {})]
    members += [(n, *packed) for n, packed in (raw or {}).items()]
    path.write_bytes(_zip(members))
    return path


SHEET = "xl/worksheets/sheet1.xml"
SHEET_HEAD = (f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{SHEET_NS}"><sheetData>'
              '<row r="1"><c r="A1" t="inlineStr"><is><t>').encode()
SHEET_TAIL = b"</t></is></c></row></sheetData></worksheet>"


@pytest.fixture
def bomb_xlsx(tmp_path: Path) -> Path:
    """A 1 MB workbook whose one cell is 1 GB of text."""
    parts = _workbook_parts(tmp_path, [HEADER, [1, *ITEM]])
    sheet = _repeated(SHEET_HEAD, b"A" * MB, 1024, SHEET_TAIL)
    path = _package(tmp_path / "bomb.xlsx", parts, {SHEET: sheet})
    assert path.stat().st_size < 1.2 * MB and sheet[1] == 1024 * MB + len(SHEET_HEAD) + len(SHEET_TAIL)
    return path


def _rows_xlsx(tmp_path: Path, n: int) -> Path:
    """A workbook of a title, a header and ``n`` items, as Excel writes it (shared strings),
    streamed into the ZIP."""
    strings = ["卫生健康领域公共事业单位信息主动公开基本目录", *HEADER, *ITEM]
    sst = (f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{SHEET_NS}" count="{len(strings)}" '
           f'uniqueCount="{len(strings)}">' + "".join(f"<si><t>{s}</t></si>" for s in strings) + "</sst>").encode()
    parts = _workbook_parts(tmp_path, [["x"]])
    parts["xl/sharedStrings.xml"] = sst
    types = parts["[Content_Types].xml"].decode()
    parts["[Content_Types].xml"] = types.replace("</Types>", (
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.sharedStrings+xml"/></Types>')).encode()
    rels = parts["xl/_rels/workbook.xml.rels"].decode()
    parts["xl/_rels/workbook.xml.rels"] = rels.replace("</Relationships>", (
        '<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'sharedStrings" Target="sharedStrings.xml"/></Relationships>')).encode()
    path = tmp_path / f"rows{n}.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        for name, data in parts.items():
            if name != SHEET:
                z.writestr(name, data)
        with z.open(SHEET, "w") as f:
            f.write(f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{SHEET_NS}"><sheetData>'
                    '<row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="2">'.encode()
                    + "".join(f'<c r="{chr(65 + j)}2" t="s"><v>{1 + j}</v></c>' for j in range(6)).encode()
                    + b"</row>")
            for i in range(3, n + 3):
                cells = f'<c r="A{i}"><v>{i - 2}</v></c>' + "".join(
                    f'<c r="{chr(66 + j)}{i}" t="s"><v>{7 + j}</v></c>' for j in range(5))
                f.write(f'<row r="{i}">{cells}</row>'.encode())
            f.write(b"</sheetData></worksheet>")
    return path


# --- the zip bomb ---------------------------------------------------------------------------

def test_a_1mb_workbook_inflating_to_1gb_is_refused_by_ingest_quickly_and_in_little_memory(bomb_xlsx):
    """It took over 7 GB (and minutes) before: openpyxl inflated the cell."""
    code, seconds, peak, out = gongkai("ingest", bomb_xlsx)
    assert code == 2, out
    assert "bomb.xlsx: the workbook's part xl/worksheets/sheet1.xml inflates from 1.0 MB to 1024 MB" in out
    assert "'zip bomb'" in out and "Traceback" not in out
    assert seconds <= 5 and peak <= 500, (seconds, peak)


def test_the_zip_bomb_uploaded_to_the_app_is_refused_in_little_memory(bomb_xlsx):
    """The app reads an upload in the one process every user shares: it took 4 GB before."""
    code, seconds, peak, out = python(
        "import sys\n"
        "from gongkai.pipeline.add_list import read_upload\n"
        "from gongkai.errors import InputError\n"
        "from gongkai.settings import Settings\n"
        "try:\n"
        "    read_upload('名单.xlsx', open(sys.argv[1], 'rb').read(), Settings())\n"
        "except InputError as e:\n"
        "    print(e)\n", bomb_xlsx)
    assert code == 0, out
    assert "名单.xlsx: the workbook's part xl/worksheets/sheet1.xml inflates" in out and "'zip bomb'" in out
    assert seconds <= 5 and peak <= 500, (seconds, peak)


def test_the_declared_size_bounds_what_zipfile_inflates(tmp_path):
    """A member whose ZIP directory understates its size (100 bytes, for 64 MB of data) is
    never inflated past what it declares: ``zipfile`` stops there and finds the CRC wrong.
    That is why the declared sizes are a safe bound for openpyxl and python-docx."""
    data, _, crc = _repeated(b"<t>", b"A" * MB, 64, b"</t>")
    first = b"<t>" + b"A" * 97
    path = tmp_path / "liar.zip"
    path.write_bytes(_zip([("whole-crc.xml", data, 100, crc), ("first-crc.xml", data, 100, zlib.crc32(first))]))
    with zipfile.ZipFile(path) as z:
        with z.open("first-crc.xml") as f:
            assert f.read() == first          # 100 bytes, not 64 MB
        with z.open("whole-crc.xml") as f, pytest.raises(zipfile.BadZipFile, match="CRC"):
            f.read()


def test_a_workbook_understating_its_sizes_is_damaged_not_inflated(tmp_path):
    parts = _workbook_parts(tmp_path, [HEADER, [1, *ITEM]])
    data, _size, crc = _repeated(SHEET_HEAD, b"A" * MB, 512, SHEET_TAIL)
    path = _package(tmp_path / "liar.xlsx", parts, {SHEET: (data, 2000, crc)})
    t = time.perf_counter()
    with pytest.raises(InputError, match="damaged or truncated"):
        read_xlsx(path)
    assert time.perf_counter() - t < 5


def test_a_package_inflating_beyond_the_limit_is_refused_naming_sizes_and_limit(tmp_path):
    parts = _workbook_parts(tmp_path, [HEADER, [1, *ITEM]])
    # 150 MB of ordinary-looking XML (ratio below the bomb's), more than any list
    filler = b"".join(b'<c r="A%d"><v>%d</v></c>' % (i, i) for i in range(20000))
    sheet = _repeated(SHEET_HEAD.replace(b"<is><t>", b"<is><t>x</t></is></c>"), filler,
                      150 * MB // len(filler), b"</row></sheetData></worksheet>")
    path = _package(tmp_path / "big.xlsx", parts, {SHEET: sheet})
    with pytest.raises(InputError) as e:
        read_xlsx(path)
    assert "the workbook's parts inflate to 150 MB" in str(e.value) and "more than the 128 MB" in str(e.value)


# --- rows and cells -------------------------------------------------------------------

def test_a_200000_row_workbook_is_refused_before_openpyxl_loads_it(tmp_path):
    """Reading it passed 8 GB before; it is refused after a streamed count of 10,001 rows."""
    path = _rows_xlsx(tmp_path, 200_000)
    code, seconds, peak, out = gongkai("ingest", path)
    assert code == 2, out
    assert (f"{path.name}: the table has more than 10,000 rows, the most a list can have is 10,000" in out)
    assert seconds <= 10 and peak <= 300, (seconds, peak)


def test_a_workbook_within_the_limits_is_read_whole(tmp_path):
    path = _rows_xlsx(tmp_path, 2000)
    grid = read_xlsx(path)
    assert len(grid.rows) == 2001 and grid.rows[-1][0].text == "2000"
    assert [c.text for c in grid.rows[0]] == HEADER


def test_a_stray_styled_cell_at_the_sheets_end_does_not_make_a_grid_of_it(tmp_path):
    """openpyxl's max_row/max_column count a cell that only has a style: one at XFD1048576
    asked for a grid of 17 billion cells."""
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in [HEADER, [1, *ITEM]]:
        ws.append(row)
    ws["XFD1048576"].font = openpyxl.styles.Font(bold=True)
    path = tmp_path / "stray.xlsx"
    wb.save(path)
    code, _seconds, peak, out = python(
        "import sys\nfrom gongkai.readers.xlsx import read_xlsx\n"
        "g = read_xlsx(sys.argv[1])\nprint(len(g.rows), len(g.rows[0]))\n", path, )
    assert (code, out.strip()) == (0, "2 6"), out
    assert peak < 300


def test_a_sheet_with_a_value_far_out_is_refused_naming_its_extent(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in [HEADER, [1, *ITEM]]:
        ws.append(row)
    ws["ZZ5000"] = "x"
    path = tmp_path / "far.xlsx"
    wb.save(path)
    with pytest.raises(InputError) as e:
        read_xlsx(path)
    assert "3,510,000 cells (up to row 5,000, column 702" in str(e.value)
    assert "Delete stray cells far to the right or below the table" in str(e.value)


@pytest.mark.parametrize("name, head, fill", [
    ("huge.csv", "序号,公开事项,公开内容\n", "1,机构概况,职能职责\n"),
    ("huge.html", "<html><body><table><tr><td>序号</td><td>公开事项</td></tr>", "<tr><td>1</td><td>a</td></tr>"),
    ("huge.txt", "序号 | 公开事项 | 公开内容 |\n", "1 | a | b |\n"),
    ("zeros.csv", "", "\0"),
])
def test_a_text_file_beyond_the_byte_limit_is_refused_before_it_is_read(tmp_path, name, head, fill):
    path = tmp_path / name
    data = (head + fill * (limits.MAX_TEXT_BYTES // len(fill.encode()) + 1)).encode()
    path.write_bytes(data[:limits.MAX_TEXT_BYTES + 1])
    t = time.perf_counter()
    with pytest.raises(InputError) as e:
        ingest_file(path, bureau="X")
    assert time.perf_counter() - t < 2
    assert f"{name}: the file is 32 MB, more than the 32 MB a list can be" in str(e.value)


@pytest.mark.parametrize("name, body", [
    ("rows.csv", "序号,公开事项,公开内容\n" + "1,a,b\n" * 10_001),
    ("rows.txt", "序号\t公开事项\t公开内容\n" + "1\ta\tb\n" * 10_001),
])
def test_a_text_table_beyond_the_row_limit_is_refused(tmp_path, name, body):
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    with pytest.raises(InputError, match=f"{name}: the table has more than 10,000 rows"):
        ingest_file(path, bureau="X")


def test_a_line_of_a_million_tabs_is_refused_not_made_into_cells(tmp_path):
    path = tmp_path / "wide.txt"
    path.write_text("序号\t公开事项\t公开内容\n1\ta\tb\n" + "\t" * 1_000_000 + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="more than 300,000 cells"):
        ingest_file(path, bureau="X")


def test_html_spans_asking_for_millions_of_cells_are_refused(tmp_path):
    """150 KB of ``<td colspan=1000>`` asked for 5 million positions."""
    rows = "".join(f"<tr><td>{i}</td><td colspan=1000>a</td></tr>" for i in range(5_000))
    path = tmp_path / "spans.html"
    path.write_text(f"<html><body><table><tr><th>序号</th><th>公开事项</th></tr>{rows}</table></body></html>",
                    encoding="utf-8")
    t = time.perf_counter()
    with pytest.raises(InputError, match=r"spans\.html: the table has more than 300,000 cells"):
        read_html(path)
    assert time.perf_counter() - t < 10


def test_a_table_thousands_of_columns_wide_is_refused_not_aligned_for_hours(tmp_path):
    """Found by the fuzz suite: a few ``<td rowspan=65534 colspan=1000>`` in a real page made
    a table of 4,019 columns, and aligning its rows (cubic in the width) never ended."""
    page = (ROOT / "data" / "raw" / "xingguo-gonggongwenhua.html").read_text(encoding="utf-8")
    at = page.index("<td", page.index("<tr", page.index("<table")) + 3)
    path = tmp_path / "wide.html"
    path.write_text(page[:at] + "<td rowspan=65534 colspan=1000>x</td>" + page[at:], encoding="utf-8")
    t = time.perf_counter()
    with pytest.raises(InputError, match=r"wide\.html, row .*: the table has 1,0.. columns, more than the 64"):
        ingest_file(path, bureau="X")
    assert time.perf_counter() - t < 5


def test_a_damaged_part_is_named_on_one_line(tmp_path):
    """Found by the fuzz suite: lxml's message ended the error line and began another."""
    parts = _workbook_parts(tmp_path, [HEADER, [1, *ITEM]])
    parts["xl/workbook.xml"] = b"<\x00" + parts["xl/workbook.xml"]
    with pytest.raises(InputError) as e:
        read_xlsx(_package(tmp_path / "nul.xlsx", parts))
    assert "the workbook is damaged or truncated (XMLSyntaxError: " in str(e.value) and "\n" not in str(e.value)


def test_word_spans_asking_for_millions_of_columns_are_capped(tmp_path):
    document = docx.Document()
    table = document.add_table(rows=2, cols=2)
    for j, text in enumerate(["序号", "公开事项"]):
        table.cell(0, j).text = text
    table.cell(1, 0).text = "1"
    table.cell(1, 1).text = "事项"
    table.rows[1].cells[1]._tc.get_or_add_tcPr().grid_span = 2_000_000_000
    path = tmp_path / "span.docx"
    document.save(path)
    grid = read_docx(path)
    assert len(grid.rows) == 2 and len(grid.rows[1]) <= 1001


# --- XML bombs ------------------------------------------------------------------------

LAUGHS = ('<!DOCTYPE lolz [<!ENTITY lol "lol">'
          + "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";" if i > 1 else "&lol;") * 10}">'
                    for i in range(1, 10)) + "]>")


def _laughing(xml: bytes, pad: int = 0) -> bytes:
    """The part with a billion-laughs DTD after its XML declaration and ``&lol9;`` in its first text."""
    decl_end = xml.index(b"?>") + 2 if xml.startswith(b"<?xml") else 0
    xml = xml[:decl_end] + b"\n" * pad + LAUGHS.encode() + xml[decl_end:]
    at = next((xml.index(end) for end in (b"</t>", b"</w:t>") if end in xml), None)
    return xml if at is None else xml[:at] + b"&lol9;" + xml[at:]


def _bomb_docx(tmp_path: Path, pad: int = 0) -> Path:
    document = docx.Document()
    table = document.add_table(rows=2, cols=2)
    for j, text in enumerate(["序号", "公开事项"]):
        table.cell(0, j).text = text
    table.cell(1, 0).text = "1"
    table.cell(1, 1).text = "事项"
    plain = tmp_path / "plain.docx"
    document.save(plain)
    with zipfile.ZipFile(plain) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    parts["word/document.xml"] = _laughing(parts["word/document.xml"], pad)
    return _package(tmp_path / "laughs.docx", parts)


@pytest.mark.parametrize("pad", [0, 200_000])
def test_a_billion_laughs_document_is_refused_saying_what_it_is(tmp_path, pad):
    path = _bomb_docx(tmp_path, pad)
    t = time.perf_counter()
    with pytest.raises(InputError) as e:
        read_docx(path)
    assert time.perf_counter() - t < 2
    assert "laughs.docx: the document's part word/document.xml declares a document type with entities" in str(e.value)
    assert "'XML bomb'" in str(e.value)


@pytest.mark.parametrize("part", [SHEET, "xl/workbook.xml"])
def test_a_billion_laughs_workbook_is_refused_saying_what_it_is(tmp_path, part):
    parts = _workbook_parts(tmp_path, [HEADER, [1, *ITEM]])
    parts[part] = _laughing(parts[part])
    path = _package(tmp_path / "laughs.xlsx", parts)
    t = time.perf_counter()
    code, seconds, peak, out = gongkai("ingest", path)
    assert code == 2 and f"the workbook's part {part} declares a document type" in out, out
    assert seconds < 10 and peak < 300 and time.perf_counter() - t < 15


DECLARING = (b'<!DOCTYPE p [<!ENTITY e "EXPANDED">]>'
             b'<w:p xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:t>&e;</w:t></w:p>')


def test_python_docx_does_not_resolve_entities():
    """Behind the declaration check: python-docx's parser leaves an entity unexpanded."""
    from docx.oxml.parser import parse_xml

    assert b"EXPANDED" not in b"".join(t.encode() for t in parse_xml(DECLARING).itertext())


def test_openpyxl_parses_with_defusedxml():
    """defusedxml is installed, so openpyxl's streamed parsing (sheets, shared strings)
    refuses entities rather than expanding them."""
    import defusedxml
    from openpyxl.xml.functions import iterparse

    with pytest.raises(defusedxml.EntitiesForbidden):
        list(iterparse(io.BytesIO(DECLARING)))


# --- HTML nested deeply ---------------------------------------------------------------------

def _nested_page(depth: int, items: int = 5) -> str:
    rows = "".join(f"<tr><td>{i}</td><td>事项{i}</td><td>内容{i}</td><td>20个工作日内</td></tr>"
                   for i in range(1, items + 1))
    table = f"<table><tr><td>序号</td><td>公开事项</td><td>公开内容</td><td>公开时限</td></tr>{rows}</table>"
    return f"<html><body><p>示例局政务公开目录</p>{'<div>' * depth}{table}{'</div>' * depth}</body></html>"


def test_five_items_inside_300_nested_divs_are_five_items(tmp_path):
    """libxml2 stopped at 256 levels and dropped the rest: 'no table in the page', or 1 item of 5."""
    path = tmp_path / "deep.html"
    path.write_text(_nested_page(300), encoding="utf-8")
    dl = ingest_file(path, bureau="示例局", resolve=False)
    assert [it.number for it in dl.items] == [1, 2, 3, 4, 5]


def test_a_page_nested_deeper_than_the_parser_reads_is_refused_not_cut(tmp_path):
    path = tmp_path / "deeper.html"
    path.write_text(_nested_page(2100), encoding="utf-8")
    with pytest.raises(InputError) as e:
        read_html(path)
    assert "deeper.html: the page nests its elements deeper than the HTML parser reads (2,048 levels" in str(e.value)
    assert "nothing was read" in str(e.value)


def test_tables_nested_too_deep_are_refused(tmp_path):
    path = tmp_path / "tables.html"
    path.write_text("<html><body>" + "<table><tr><td>" * 40 + _nested_page(0)[12:-14]
                    + "</td></tr></table>" * 40 + "</body></html>", encoding="utf-8")
    with pytest.raises(InputError, match="tables are nested more than 16 deep"):
        read_html(path)


# --- time limits --------------------------------------------------------------------------

@pytest.mark.parametrize("text, amount, unit", [
    ("形成之日起3650个工作日内", 3650, "working_day"),
    ("形成之日起3650日内", 3650, "day"),
    ("形成之日起521周内", 3647, "day"),
    ("形成之日起120个月内", 120, "month"),
    ("形成之日起10年内", 10, "year"),
])
def test_time_limits_up_to_ten_years_are_read(text, amount, unit):
    tl = parse_time_limit(text)
    assert (tl.kind, tl.amount, tl.unit) == ("period", amount, unit)


@pytest.mark.parametrize("text", ["形成之日起1000000个工作日内", "形成之日起3651个工作日内", "3651天内",
                                  "形成之日起522周内", "121个月内", "形成之日起十一年内",
                                  "形成之日起" + "9" * 5000 + "个工作日内"])
def test_time_limits_beyond_ten_years_are_kept_raw_and_unparsed(text):
    tl = parse_time_limit(text)
    assert (tl.kind, tl.amount, tl.unit, tl.raw) == ("unparsed", None, None, text)


def test_the_bounds_are_ten_years_in_every_unit():
    assert MAX_AMOUNTS == {"working_day": 3650, "day": 3650, "month": 120, "year": 10}


def test_an_implausible_time_limit_is_an_item_warning(tmp_path):
    path = tmp_path / "list.csv"
    path.write_text("序号,公开事项,公开内容,公开时限\n1,机构概况,职能职责,形成之日起1000000个工作日内\n"
                    "2,机构概况,领导信息,看情况\n", encoding="utf-8")
    dl = ingest_file(path, bureau="示例局", resolve=False)
    assert dl.items[0].time_limit.raw == "形成之日起1000000个工作日内"
    assert ("item 1: not a plausible time limit: '形成之日起1000000个工作日内' "
            "(1000000个工作日 is more than ten years)") in dl.items[0].warnings
    assert "item 2: time limit not understood: '看情况'" in dl.items[1].warnings


@pytest.mark.parametrize("amount, unit", [(1_000_000, "working_day"), (10**9, "day"), (10**6, "month"),
                                          (10**6, "year"), (3651, "working_day"), (121, "month")])
def test_due_date_refuses_a_time_limit_built_beyond_the_bound(amount, unit):
    """It counted a million working days one by one: minutes and 3 GB."""
    t = time.perf_counter()
    due = due_date(TimeLimit(raw=f"{amount}{unit}", kind="period", amount=amount, unit=unit),
                   dt.date(2026, 1, 5))
    assert time.perf_counter() - t < 0.5
    assert (due.date, due.reason) == (None, "implausible")
    assert due.reason_text("en").startswith(f"not a plausible time limit: {amount}{unit}")


def test_due_date_at_the_bound_is_counted():
    due = due_date(TimeLimit(raw="3650个工作日", kind="period", amount=3650, unit="working_day"),
                   dt.date(2026, 1, 5))
    assert due.date is not None and due.date.year >= 2040


def test_the_deadline_command_answers_a_million_working_days_at_once():
    code, seconds, peak, out = gongkai("deadline", "--time-limit", "形成之日起1000000个工作日内",
                                       "--event-date", "2026-01-05", "--lang", "en")
    assert code == 0, out
    assert "not a plausible time limit: 形成之日起1000000个工作日内" in out
    assert seconds < 5 and peak < 200, (seconds, peak)


def test_the_limits_are_named_in_one_place():
    assert (limits.MAX_TEXT_BYTES, limits.MAX_ROWS, limits.MAX_COLUMNS, limits.MAX_CELLS,
            limits.MAX_PACKAGE_BYTES, limits.MAX_COMPRESSION_RATIO) == (32 * MB, 10_000, 64, 300_000, 128 * MB, 200)
    assert json.dumps(limits.MAX_TEXT_LINES) == "1000000"
