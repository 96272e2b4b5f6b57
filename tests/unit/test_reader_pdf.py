"""PDF reader: lists printed to PDF by LibreOffice, as publishers print them, read back.

The PDFs are made at test time (``tests/pdfmaker.py``) from the lists in ``data/raw``:
landscape pages, the table fitted to the page width, wrapped cells, the header repeated on
each page. Each is then read as a user's command reads it, and compared with what the
original file gives.

**How texts are compared.** A PDF keeps where each line of a cell ends, not why: the
reader joins a line the PDF wrapped without a space (Chinese) or with one (between Latin
words), and keeps a line break where a line ended before the cell's edge. So a cell read
from the PDF may differ from the original only in whitespace at the places where the PDF
broke a line. ``same_text`` therefore removes whitespace next to a Chinese character or
a full-width sign (where Chinese text has none of its own, and where the parsers remove
it anyway) and folds any other run of whitespace into one space (so that a space between
two Latin words or numbers must still be there): everything else — every character, its
order, the spaces between Latin words — must be equal. The parsed values (time-limit
amount, unit and trigger, channels checked, audience, mode) are compared exactly.
"""

from __future__ import annotations

import itertools
import re
import shutil
import sys
import time
import zlib
from pathlib import Path

import docx
import pdfplumber
import pytest
from pdfplumber.page import Page as PlumberPage
from typer.testing import CliRunner

from gongkai.cli.common import app
from gongkai.errors import InputError
from gongkai.ingest import ingest_file
from gongkai.readers.detect import detect_format
from gongkai.readers.pdf import SCANNED, looks_like_pdf, read_pdf
from gongkai.readers.pdf import chars as pdf_chars
from gongkai.readers.pdf import pages as pdf_pages
from gongkai.readers.pdf import reader as pdf_entry

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import pdfmaker

RAW = pdfmaker.RAW
SEED = RAW / "zhongwei-yunjisuan-2021.txt"
CSV_LIST = RAW / "county-jiaoyu-lyg138.csv"
#: every list of data/raw in a format publishers print to PDF from
RAW_LISTS = sorted(p.name for p in RAW.iterdir() if p.suffix.lower() in (".xlsx", ".docx", ".html", ".htm"))
BELOW = ["备注：本目录自印发之日起施行。", "填表说明：公开渠道请在方框内打√。"]
REPEAT = 3                  # the seed's 18 items three times: 54 items, 40 pages or so
NOTICE = ["关于开展政务公开工作的通知", "各乡镇人民政府，县直各单位：",
          ("为进一步做好政务公开工作，现将有关事项通知如下。一、提高认识，加强领导。二、突出重点，"
           "抓好落实。三、强化监督，务求实效。请各单位于本月底前将工作开展情况报县政务公开办公室。"),
          "县人民政府办公室", "2021年6月16日"]


# --- making the PDFs -----------------------------------------------------------------------

def _marks_docx(path: Path) -> Path:
    """A small list whose cells hold check boxes and marks in every notation Word lists
    use, a symbol-font run (Wingdings þ ¨), a Latin text and a number that wrap, and a
    line break typed inside a cell."""
    d = docx.Document()
    d.add_paragraph("示例县某局政务公开目录")
    t = d.add_table(rows=4, cols=6)
    t.style = "Table Grid"
    head = ["序号", "公开事项", "公开内容", "公开渠道和载体", "全社会", "备注"]
    rows = [["1", "机构信息", "申请条件\n办理流程", "☑政府网站 □两微一端 ■政府公报", "√",
             "Open government data portal of the county"],
            ["2", "领导信息", "领导姓名", None, "√", "文号2016143"],
            ["3", "规划信息", "规划文本", "✓政府网站 ☐两微一端", "■", ""]]
    for j, h in enumerate(head):
        t.cell(0, j).text = h
    for i, row in enumerate(rows, start=1):
        for j, v in enumerate(row):
            if v is not None:
                t.cell(i, j).text = v
    p = t.cell(2, 3).paragraphs[0]
    for text, font in (("þ", "Wingdings"), ("政府网站 ", None), ("¨", "Wingdings"), ("两微一端", None)):
        run = p.add_run(text)
        if font:
            run.font.name = font
    d.save(str(path))
    return path


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every PDF of this module, made with three LibreOffice runs."""
    w = tmp_path_factory.mktemp("pdf")
    ready: dict[str, Path] = {}
    # the data/raw lists, as their publishers would print them (web pages through Writer)
    pages = [RAW / n for n in RAW_LISTS if n.lower().endswith((".html", ".htm"))]
    as_docx = dict(zip(pages, pdfmaker.soffice(pages, w / "from-html", "docx:MS Word 2007 XML", writer=True),
                       strict=True))
    for name in RAW_LISTS:
        src = RAW / name
        if src.suffix.lower() == ".xlsx":
            ready[name] = pdfmaker.print_ready_xlsx(src, w / name)
        else:
            ready[name] = pdfmaker.print_ready_docx(as_docx.get(src, src), w / f"{src.stem}.docx")
    ready["xjbz-no-repeat"] = pdfmaker.print_ready_docx(RAW / "xjbz-anquanshengchan.docx", w / "xjbz-no-repeat.docx",
                                                        repeat_header=False)
    # the seed list (a text extraction) laid out in Word with its heading and notes below
    seed = pdfmaker.list_docx(pdfmaker.standard_layout(SEED), w / "seed-source.docx", below=BELOW)
    ready["seed-lattice"] = pdfmaker.print_ready_docx(seed, w / "seed-lattice.docx", borders=True,
                                                      footer="第 1 页")
    ready["seed-stream"] = pdfmaker.print_ready_docx(seed, w / "seed-stream.docx", borders=False)
    csv_list = pdfmaker.list_docx(pdfmaker.standard_layout(CSV_LIST), w / "csv-source.docx")
    ready["csv-stream"] = pdfmaker.print_ready_docx(csv_list, w / "csv-stream.docx", borders=False)
    long = pdfmaker.list_docx(pdfmaker.standard_layout(SEED), w / "long-source.docx", repeat=REPEAT)
    ready["long"] = pdfmaker.print_ready_docx(long, w / "long.docx", borders=True)
    ready["marks"] = _marks_docx(w / "marks.docx")
    ready["notice"] = pdfmaker.prose_docx(w / "notice.docx", NOTICE)
    names = list(ready)
    pdfs = dict(zip(names, pdfmaker.soffice([ready[n] for n in names], w / "pdf"), strict=True))
    pdfs["password"] = pdfmaker.password_pdf(ready["marks"], w / "password")
    return pdfs


# --- comparing what two files give -----------------------------------------------------------

_WIDE = r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f\u2000-\u2bff]"


def same_text(text: str | None) -> str | None:
    """``text`` with whitespace next to a Chinese character or a full-width sign removed and
    other whitespace folded to one space (see the module doc)."""
    if text is None:
        return None
    text = re.sub(rf"\s+(?={_WIDE})|(?<={_WIDE})\s+", "", text)
    return re.sub(r"\s+", " ", text).strip()


def facts(path: Path, bureau: str | None = "某局") -> tuple[dict, list[dict]]:
    dl = ingest_file(path, bureau=bureau, resolve=False)
    heading = {"bureau": dl.bureau.name, "date": dl.date, "title": same_text(dl.title),
               "people": sorted((p.role, p.name) for p in dl.people),
               "declared": dl.declared and same_text(dl.declared.raw)}
    items = []
    for it in dl.items:
        tl = it.time_limit
        items.append({
            "number": it.number, "level1": same_text(it.level1), "name": same_text(it.level2),
            "content": same_text(it.content), "citations": [same_text(c.raw) for c in it.citations],
            "time_limit": same_text(tl.raw) if tl else None,
            "parsed_time_limit": ((tl.kind, tl.amount, tl.unit, tl.trigger, tl.annual_month, tl.annual_day)
                                  if tl else None),
            "publisher": same_text(it.publisher), "channels": [(o.label, o.checked) for o in it.channels],
            "audience": it.audience, "mode": it.mode, "remark": same_text(it.remark)})
    return heading, items


# --- the lists of data/raw ----------------------------------------------------------------

def test_the_raw_lists_of_every_printed_format_are_there() -> None:
    assert {Path(n).suffix for n in RAW_LISTS} == {".xlsx", ".docx", ".html"}


@pytest.mark.parametrize("name", RAW_LISTS)
def test_a_list_printed_to_pdf_reads_as_the_original(made: dict[str, Path], name: str) -> None:
    pdf = made[name]
    assert detect_format(pdf).format == "pdf"
    heading, items = facts(pdf)
    want_heading, want_items = facts(RAW / name)
    assert items == want_items
    assert heading == want_heading
    assert len(items) >= 5 and sum(len(i["citations"]) for i in items) == sum(
        len(i["citations"]) for i in want_items)


def test_the_repeated_header_is_dropped_and_a_row_cut_by_the_page_break_is_joined(made: dict[str, Path]) -> None:
    """The web list's PDF runs over two pages, its header repeated on the second, and the
    page break cuts item 4 in two: one header, one row per item."""
    pdf = made["xingguo-gonggongwenhua.html"]
    with pdfplumber.open(pdf) as doc:
        assert len(doc.pages) >= 2
        second = doc.pages[1].find_tables()[0].extract()
    assert second[0][0] == "序号"                              # the header, repeated
    assert second[2][0] == "" and any(second[2][1:])          # the rest of a row, no number
    grid = read_pdf(pdf)
    assert [r[0].text for r in grid.rows] == ["序号", "序号", "1", "2", "3", "4", "5"]
    original = ingest_file(RAW / "xingguo-gonggongwenhua.html", bureau="某局", resolve=False)
    item4 = next(r for r in grid.rows if r[0].text == "4")
    assert same_text(item4[2].text) == same_text(original.items[3].level2)
    assert "\n" not in item4[4].text                          # its citations, wrapped over two pages


def test_a_table_going_on_without_its_header_keeps_the_columns(made: dict[str, Path]) -> None:
    pdf = made["xjbz-no-repeat"]
    with pdfplumber.open(pdf) as doc:
        assert len(doc.pages) >= 2 and "公开依据" not in (doc.pages[1].extract_text() or "")
    assert facts(pdf)[1] == facts(RAW / "xjbz-anquanshengchan.docx")[1]


# --- the heading, the notes below, tables without lines ------------------------------------

@pytest.mark.parametrize("variant", ["seed-lattice", "seed-stream"])
def test_heading_and_items_read_as_from_the_text_extraction(made: dict[str, Path], variant: str) -> None:
    """The seed list, written in Word with its heading (责任单位, 填表人 …, 填表时间) and two
    notes below, with ruling lines and without: the bureau, the people, the date, the
    declared counts and every item as the text extraction gives them."""
    pdf = made[variant]
    heading, items = facts(pdf, bureau=None)
    want_heading, want_items = facts(SEED, bureau=None)
    assert heading == want_heading
    assert heading["bureau"] == "中卫市云计算和大数据发展局" and str(heading["date"]) == "2021-06-16"
    assert len(heading["people"]) == 3
    assert items == want_items and len(items) == 18
    grid = read_pdf(pdf)
    texts = [t for _, t in grid.preamble]
    assert texts[-2:] == BELOW                                # the notes below the table, in order
    assert not any("第 1 页" in t for t in texts)             # the page footer is not text of the list
    lines = [r[0].line for r in grid.rows]
    assert lines == sorted(set(lines))
    assert any(b - a > 1 for a, b in itertools.pairwise(lines))    # a page break between two rows


def test_the_seed_pdfs_have_lines_or_none(made: dict[str, Path]) -> None:
    """What the two tests above read: one PDF with ruling lines, one without any."""
    with pdfplumber.open(made["seed-lattice"]) as doc:
        assert doc.pages[0].find_tables()
    for name in ("seed-stream", "csv-stream"):
        with pdfplumber.open(made[name]) as doc:
            assert all(not p.lines and not p.rects for p in doc.pages)


def test_a_csv_list_printed_without_ruling_lines(made: dict[str, Path]) -> None:
    pdf = made["csv-stream"]
    grid = read_pdf(pdf)
    assert grid.texts()[0] == ["公开事项", "公开内容(要素)", "公开主体", "公开渠道和载体", "公开时限"]
    assert facts(pdf)[1] == facts(CSV_LIST)[1]


# --- cells ------------------------------------------------------------------------------------

def test_marks_check_boxes_and_symbol_glyphs_are_kept_as_printed(made: dict[str, Path]) -> None:
    grid = read_pdf(made["marks"])
    assert grid.preamble == [(1, "示例县某局政务公开目录")]
    assert grid.texts() == [
        ["序号", "公开事项", "公开内容", "公开渠道和载体", "全社会", "备注"],
        ["1", "机构信息", "申请条件\n办理流程", "☑政府网站 □两微一端 ■政府公报", "√",
         "Open government data portal of the county"],
        ["2", "领导信息", "领导姓名", "þ政府网站 ¨两微一端", "√", "文号2016143"],
        ["3", "规划信息", "规划文本", "✓政府网站 ☐两微一端", "■", ""],
    ]
    # the cells were printed on several lines each: the joins above are the reader's
    with pdfplumber.open(made["marks"]) as doc:
        printed = doc.pages[0].find_tables()[0].extract()
    assert "\n" in printed[1][3] and "\n" in printed[1][5]


# --- what is refused ------------------------------------------------------------------------

def _ingest(path: Path) -> tuple[int, str]:
    r = CliRunner().invoke(app, ["ingest", str(path), "--bureau", "某局", "-o", str(path.with_suffix(".csv"))])
    return r.exit_code, r.output


def test_a_scanned_list_is_refused_and_not_read_as_empty(made: dict[str, Path], tmp_path: Path) -> None:
    scan = pdfmaker.scanned_pdf(made["songming-weijian.xlsx"], tmp_path / "scan.pdf")
    with pdfplumber.open(scan) as doc:
        assert doc.pages[0].images and not doc.pages[0].chars
    with pytest.raises(InputError) as e:
        read_pdf(scan)
    assert str(e.value) == f"{scan}: the PDF is {SCANNED}"
    code, out = _ingest(scan)
    assert code == 2 and "a scanned image without text: no table can be read; OCR it first" in out
    assert len(out.strip().splitlines()) == 1 and not scan.with_suffix(".csv").exists()


def test_scanned_pages_behind_a_text_page_are_named(made: dict[str, Path], tmp_path: Path) -> None:
    scan = pdfmaker.scanned_pdf(made["xjbz-anquanshengchan.docx"], tmp_path / "scan.pdf")
    both = pdfmaker.joined_pdf([made["notice"], scan], tmp_path / "cover-and-scan.pdf")
    with pdfplumber.open(both) as doc:
        pages = len(doc.pages)
    assert pages >= 3
    with pytest.raises(InputError, match="no table recognised") as e:
        read_pdf(both)
    assert f"pages 2–{pages} are a scanned image without text: no table can be read; OCR it first" in str(e.value)


def test_a_notice_is_no_list(made: dict[str, Path]) -> None:
    code, out = _ingest(made["notice"])
    assert code == 2 and "no table recognised" in out


@pytest.mark.parametrize("content, message", [
    (b"", "the file is empty"),
    (b"%PDF-1.4\n1 0 obj\n<<", "the PDF is damaged or truncated"),
])
def test_empty_and_damaged_files(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "list.pdf"
    path.write_bytes(content)
    with pytest.raises(InputError, match=message):
        read_pdf(path)


def test_a_truncated_pdf_is_named_so(made: dict[str, Path], tmp_path: Path) -> None:
    path = tmp_path / "cut.pdf"
    path.write_bytes(made["marks"].read_bytes()[:4000])
    code, out = _ingest(path)
    assert code == 2 and "the PDF is damaged or truncated" in out and len(out.strip().splitlines()) == 1


def test_a_password_protected_pdf(made: dict[str, Path]) -> None:
    with pytest.raises(InputError, match="the PDF is protected by a password; save it again without protection"):
        read_pdf(made["password"])


def test_content_that_is_not_a_pdf_is_named(tmp_path: Path) -> None:
    path = tmp_path / "list.pdf"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64)
    with pytest.raises(InputError, match="not a PDF document: the content is a PNG image"):
        read_pdf(path)


def test_a_pdf_is_recognised_by_its_content_whatever_its_name(made: dict[str, Path], tmp_path: Path) -> None:
    for name in ("list.csv", "list.txt", "list"):
        path = tmp_path / name
        shutil.copy(made["marks"], path)
        assert detect_format(path).format == "pdf"
    assert looks_like_pdf(b"\r\n\x00junk%PDF-1.7\n")
    assert not looks_like_pdf("序号,公开事项\n1,%PDF- in a cell\n".encode())


# --- bounds and speed -------------------------------------------------------------------------

def test_a_long_list_reads_in_ten_seconds(made: dict[str, Path]) -> None:
    pdf = made["long"]
    with pdfplumber.open(pdf) as doc:
        pages = len(doc.pages)
    assert pages >= 30
    start = time.perf_counter()
    dl = ingest_file(pdf, resolve=False)
    took = time.perf_counter() - start
    assert took <= 10, f"{pages} pages read in {took:.1f} s"
    assert [it.number for it in dl.items] == list(range(1, 18 * REPEAT + 1))
    seed = facts(SEED, bureau=None)[1]
    got = facts(pdf, bureau=None)[1]
    for i, item in enumerate(got):
        assert {**item, "number": 0} == {**seed[i % 18], "number": 0}


@pytest.mark.parametrize("limit, value, message", [
    ("MAX_PAGES", 2, "the PDF has 3 pages, more than the 2 a list can have"),
    ("MAX_CHARS", 500, "the PDF holds more than 500 characters by page 1"),
    ("MAX_PAGE_CHARS", 100, "page 1 holds"),
])
def test_limits(made: dict[str, Path], monkeypatch: pytest.MonkeyPatch, limit: str, value: int, message: str) -> None:
    three = _first_pages(made["long"], 3)
    read_pdf(three)                                       # within the limits
    monkeypatch.setattr(pdf_pages, limit, value)
    with pytest.raises(InputError, match=message):
        read_pdf(three)


def _first_pages(pdf: Path, n: int) -> Path:
    import pypdfium2

    out = pdf.with_name(f"first-{n}.pdf")
    src = pypdfium2.PdfDocument(str(pdf))
    new = pypdfium2.PdfDocument.new()
    new.import_pages(src, list(range(n)))
    new.save(str(out))
    new.close()
    src.close()
    return out


def _pdf_with_content(content: bytes, compressed: bool = True) -> bytes:
    """A one-page PDF whose page draws ``content`` (deflated when ``compressed``)."""
    data = zlib.compress(content, 9) if compressed else content
    filters = b"/Filter /FlateDecode " if compressed else b""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << >> >>",
               b"<< /Length %d %s>>\nstream\n" % (len(data), filters) + data + b"\nendstream"]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def test_a_page_whose_drawing_inflates_beyond_the_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "bomb.pdf"
    path.write_bytes(_pdf_with_content(b" " * (pdf_pages.MAX_PAGE_CONTENT_BYTES + 1024)))
    assert path.stat().st_size < 100_000
    start = time.perf_counter()
    with pytest.raises(InputError, match="page 1's drawing inflates to more than 32 MB"):
        read_pdf(path)
    assert time.perf_counter() - start < 5


def test_a_pdf_without_text_or_images(tmp_path: Path) -> None:
    path = tmp_path / "blank.pdf"
    path.write_bytes(_pdf_with_content(b"0 0 m 100 100 l S", compressed=False))
    with pytest.raises(InputError, match="the PDF has no text and no images"):
        read_pdf(path)


# --- how lines are joined (positions as a PDF gives them) -----------------------------------

def _chars(lines: list[str], size: float = 10.0, x: float = 0.0) -> list[pdf_chars.Char]:
    """Characters of ``lines`` set left-aligned at ``x``: Chinese characters one em wide,
    others half an em, the lines one and a half em apart."""
    out = []
    for k, line in enumerate(lines):
        pos = x
        for ch in line:
            w = size if pdf_chars.is_cjk(ch) else size / 2
            out.append(pdf_chars.Char(ch, pos, pos + w, k * 1.5 * size, k * 1.5 * size + size, size))
            pos += w
    return out


@pytest.mark.parametrize("lines, limit, text", [
    (["政府信息公开", "条例"], 60, "政府信息公开条例"),             # full: wrapped
    (["申请条件", "办理流程"], 60, "申请条件\n办理流程"),           # two em left, next word one em: a line break
    (["Open data", "portal"], 50, "Open data portal"),            # Latin words: the space comes back
    (["2016143", "8"], 40, "20161438"),                           # a number cut: no space
    (["governme", "nt data"], 40, "government data"),             # a word longer than the cell
    (["国办发", "〔2017〕47号"], 60, "国办发〔2017〕47号"),          # 〔2017〕47 could not have followed 国办发
    (["（中办发", "〔", "2016〕8号）"], 40, "（中办发〔2016〕8号）"),  # a bracket alone on a line
    # 个 would have fitted after 20, but not with the narrow space set between Latin and Chinese
    (["之日起20", "个工作日内"], 52, "之日起20个工作日内"),
    (["变更之日起", "20个工作日内"], 61, "变更之日起20个工作日内"),
    (["变更之日起", "20个工作日内"], 63, "变更之日起\n20个工作日内"),   # there was room for both: a line break
], ids=["full-line", "line-break", "latin-words", "number-cut", "word-cut", "bracket-and-number", "bracket-alone",
        "latin-then-chinese", "chinese-then-latin", "chinese-then-latin-break"])
def test_wrapped_lines_join(lines: list[str], limit: float, text: str) -> None:
    assert pdf_chars.cell_text(_chars(lines), limit).text == text


def test_spacing_within_a_line() -> None:
    """LibreOffice sets a fifth of an em between Chinese and Latin characters (起 20 个):
    no space; a word space is one."""
    size = 10.0
    chars = []
    pos = 0.0
    for ch, gap in (("起", 0), ("2", 2.0), ("0", 0), ("个", 2.0), ("工", 0), ("作", 0), ("日", 3.3)):
        pos += gap
        w = size if pdf_chars.is_cjk(ch) else size / 2
        chars.append(pdf_chars.Char(ch, pos, pos + w, 0, size, size))
        pos += w
    assert pdf_chars.chars_text(chars) == "起20个工作 日"


def test_a_heading_row_across_a_table_without_lines(tmp_path: Path) -> None:
    """A category written across the columns of a table without lines (a merged row) is a
    row of its own, spanning the columns it covers, as a merged cell is read; the note
    under the table is text below it, not a row."""
    d = docx.Document()
    d.add_paragraph("示例县民政局政务公开标准目录")
    rows = [["序号", "事项名称", "公开内容", "公开依据", "公开时限"],
            ["一、社会救助类事项（含最低生活保障、特困人员供养、临时救助）"],
            ["1", "低保对象认定", "申请条件、办理流程、认定结果", "《社会救助暂行办法》", "20个工作日内"],
            ["2", "特困人员认定", "申请条件", "《社会救助暂行办法》", "实时公开"],
            ["二、养老服务"],
            ["3", "养老机构", "机构名单、收费标准", "《养老机构管理办法》", "20个工作日内"]]
    t = d.add_table(rows=len(rows), cols=5)
    for i, row in enumerate(rows):
        if len(row) == 1:
            t.cell(i, 0).merge(t.cell(i, 4))
        for j, v in enumerate(row):
            t.cell(i, j).text = v
    d.add_paragraph("审核人：李四")
    d.save(str(tmp_path / "list.docx"))
    pdf = pdfmaker.docx_pdf(tmp_path / "list.docx", tmp_path / "out", borders=False)
    grid = read_pdf(pdf)
    heading = rows[1][0]
    assert grid.texts() == [rows[0], [heading] * 3 + ["", ""], rows[2], rows[3],
                            ["二、养老服务", "", "", "", ""], rows[5]]
    assert [(c.colspan, c.spanned) for c in grid.rows[1][:3]] == [(3, False), (1, True), (1, True)]
    assert [t for _, t in grid.preamble] == ["示例县民政局政务公开标准目录", "审核人：李四"]


def test_pdfminer_complaints_become_one_warning_not_output(made: dict[str, Path], monkeypatch: pytest.MonkeyPatch,
                                                           capfd: pytest.CaptureFixture[str]) -> None:
    """A damaged stream makes pdfminer log "Data-loss while decompressing corrupted data"
    and go on: the reader names it in the grid's warnings, and nothing is printed."""
    import logging

    load = pdf_entry.load

    def damaged_load(name: str, path: Path) -> pdf_pages.Loaded:
        for _ in range(2):
            logging.getLogger("pdfminer.pdftypes").warning("Data-loss while decompressing corrupted data")
        return load(name, path)

    monkeypatch.setattr(pdf_entry, "load", damaged_load)
    grid = read_pdf(made["marks"])
    assert grid.warnings == [("the PDF is damaged in places, some of its text may be missing "
                              "(Data-loss while decompressing corrupted data)")]
    assert len(grid.rows) == 4
    out, err = capfd.readouterr()
    assert out == "" and err == ""


def test_a_category_merged_over_a_page_break_names_the_rows_on_both_pages(tmp_path: Path) -> None:
    """A category merged over 40 items is drawn on two pages as two cells, its text in the
    first; the rows of the second page get it too, as the Word reader gives it to them."""
    from gongkai.readers.docx import read_docx

    d = docx.Document()
    rows = [["一级事项", "二级事项", "公开内容", "公开时限"]] + [
        ["社会救助" if i == 0 else "", f"救助事项{i + 1}", "申请条件、办理流程、认定结果", "20个工作日内"]
        for i in range(40)] + [["养老服务", "养老机构", "机构名单", "实时公开"]]
    t = d.add_table(rows=len(rows), cols=4)
    t.style = "Table Grid"
    for i, row in enumerate(rows):
        for j, v in enumerate(row):
            if v:
                t.cell(i, j).text = v
    t.cell(1, 0).merge(t.cell(40, 0))
    d.save(str(tmp_path / "list.docx"))
    pdf = pdfmaker.docx_pdf(tmp_path / "list.docx", tmp_path / "out")
    with pdfplumber.open(pdf) as doc:
        assert len(doc.pages) >= 2
        assert doc.pages[1].find_tables()[0].extract()[1][0] in ("", None)    # not printed again
    want = [r[0].text for r in read_docx(tmp_path / "list.docx").rows]
    assert [r[0].text for r in read_pdf(pdf).rows] == want == ["一级事项"] + ["社会救助"] * 40 + ["养老服务"]


def test_glyphs_without_characters_are_named(made: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """A PDF whose fonts do not map their glyphs to characters gives pdfminer ``(cid:N)``
    for each: a list written so is refused, a few such glyphs in a list are warned about."""
    chars = pdf_pages.page_chars

    def undecoded(page: PlumberPage, name: str, number: int) -> list[pdf_chars.Char]:
        return [pdf_chars.Char(f"(cid:{ord(c.text[0]) % 500})", c.x0, c.x1, c.top, c.bottom, c.size)
                for c in chars(page, name, number)]

    grid = read_pdf(made["marks"])
    assert grid.warnings == []
    monkeypatch.setattr(pdf_pages, "page_chars", undecoded)
    with pytest.raises(InputError, match=r"no table recognised .*: the PDF's fonts do not say which characters"):
        read_pdf(made["marks"])

    def some(page: PlumberPage, name: str, number: int) -> list[pdf_chars.Char]:
        return [pdf_chars.Char("(cid:7)", c.x0, c.x1, c.top, c.bottom, c.size) if c.text == "规" else c
                for c in chars(page, name, number)]

    monkeypatch.setattr(pdf_pages, "page_chars", some)
    grid = read_pdf(made["marks"])
    assert grid.rows[3][1].text == "(cid:7)划信息" and grid.rows[3][2].text == "(cid:7)划文本"
    assert grid.warnings == ["2 characters of the table are written (cid:N): " + pdf_entry.UNDECODED]
