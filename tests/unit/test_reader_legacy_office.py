"""Legacy Office files: .xls (xlrd, or LibreOffice when xlrd cannot) and .doc/.wps (LibreOffice → .docx).

The .xls and .doc files are made here, by LibreOffice (``tests/office.py``), from the
lists in data/raw and the format fixtures, and must read to the same list as their
originals. The failures — LibreOffice missing, hanging or failing, an encrypted file —
are simulated with fake ``soffice`` commands on PATH, or made with real tools
(msoffcrypto-tool encrypts an .xlsx/.docx with a password).
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import hashlib
import os
import stat
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import olefile
import openpyxl
import pytest

import office
from gongkai.errors import InputError
from gongkai.ingest import ingest_file
from gongkai.readers import compound, convert, detect, xls
from gongkai.readers.doc import read_doc
from gongkai.readers.xls import read_xls, scan_workbook
from gongkai.readers.xlsx import read_xlsx

ROOT = Path(__file__).resolve().parents[2]
RAW = ROOT / "data" / "raw"
FIXTURES = ROOT / "tests" / "fixtures" / "formats"

#: every list written as a workbook, and every one written as a Word document or a web page
#: (the fixture layout-rowspan.html is not among them: its list table sits inside a layout
#: table, which in Word becomes a table nested in a cell, and the .docx reader reads the
#: tables of the document body)
WORKBOOKS = sorted(RAW.glob("*.xlsx")) + sorted(FIXTURES.glob("*.xlsx"))
DOCUMENTS = sorted(RAW.glob("*.docx")) + sorted(RAW.glob("*.html"))

HEADER = ["序号", "公开事项", "公开内容", "公开依据", "公开时限", "填表时间"]


def _bureaus() -> dict[str, str]:
    with open(RAW / "sources.csv", encoding="utf-8") as f:
        return {r["file"]: r["bureau"] for r in csv.DictReader(f)}


def _bureau(original: Path) -> str | None:
    """The bureau sources.csv gives a data/raw list (None: the file names its own)."""
    return _bureaus().get(original.name) or None


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> dict[str, Path]:
    """original file name → its .xls or .doc made by LibreOffice."""
    out = tmp_path_factory.mktemp("legacy")
    files = {p.name: office.to_xls(p, out / "xls") for p in WORKBOOKS}
    files |= {p.name: office.to_doc(p, out / "doc") for p in DOCUMENTS}
    return files


def _without_file(dl) -> dict:
    """A list as data, without what names its file (name, checksum, format, ingest time)."""
    d = dataclasses.asdict(dl)
    for k in ("source_file", "source_sha256", "source_format", "ingested_at"):
        d.pop(k)
    for item in d["items"]:
        item["source"].pop("file")
    return d


def _without_rows(d: dict) -> dict:
    for item in d["items"]:
        item.pop("source")
    return d


# --- the same list as the original ------------------------------------------------------------

@pytest.mark.parametrize("original", WORKBOOKS, ids=lambda p: p.name)
def test_xls_reads_to_the_same_list_as_its_xlsx(made, original):
    legacy = made[original.name]
    a = ingest_file(original, bureau=_bureau(original))
    b = ingest_file(legacy, bureau=_bureau(original))
    assert b.source_format == "xls"
    assert a.items, "the original must have items for the comparison to mean anything"
    assert _without_file(b) == _without_file(a)      # items, citations, time limits, sheet rows


@pytest.mark.parametrize("original", DOCUMENTS, ids=lambda p: p.name)
def test_doc_reads_to_the_same_list_as_its_original(made, original):
    legacy = made[original.name]
    a = ingest_file(original, bureau=_bureau(original))
    b = ingest_file(legacy, bureau=_bureau(original))
    assert b.source_format == "doc"
    assert a.items and sum(len(i.citations) for i in a.items) and any(i.time_limit for i in a.items)
    # a Word document's rows are numbered by blocks, a page's by lines: the rows differ;
    # and a page gives its own address (<link rel="canonical">), which a document does not hold
    expected = _without_rows(_without_file(a))
    if original.suffix == ".html":
        expected["source_url"] = None
    assert _without_rows(_without_file(b)) == expected
    assert [(i.number, i.level2, [c.raw for c in i.citations], i.time_limit) for i in b.items] == \
           [(i.number, i.level2, [c.raw for c in i.citations], i.time_limit) for i in a.items]


def test_provenance_keeps_the_original_file_not_the_conversion(made):
    legacy = made["xjbz-anquanshengchan.docx"]
    dl = ingest_file(legacy, bureau="巴音郭楞蒙古自治州人民政府")
    assert (dl.source_file, dl.source_format) == (legacy.name, "doc")
    assert dl.source_sha256 == hashlib.sha256(legacy.read_bytes()).hexdigest()
    assert {it.source.file for it in dl.items} == {legacy.name}
    assert all(it.source.rows for it in dl.items)


def test_ingest_command_writes_the_doc_format_and_checksum(made, tmp_path):
    legacy = made["xingguo-gonggongwenhua.html"]
    out = tmp_path / "list.ttl"
    r = subprocess.run([sys.executable, "-m", "gongkai.cli", "ingest", str(legacy), "--bureau",
                        "兴国县文广新旅局", "-o", str(out)], capture_output=True, text=True, cwd=ROOT, timeout=180)
    assert r.returncode == 0, r.stderr
    assert "兴国县文广新旅局" in r.stdout + r.stderr and "5 items" in r.stdout + r.stderr
    ttl = out.read_text(encoding="utf-8")
    assert '"doc"' in ttl and hashlib.sha256(legacy.read_bytes()).hexdigest() in ttl
    assert "gongkai-convert" not in ttl and "source.docx" not in ttl


#: a list without item numbers whose category is written in its first row only (an Excel
#: table whose merge was undone), and one item's content going on in a row of its own
BLANK_CATEGORY = [
    ["一级事项", "公开内容", "公开时限", "公开主体", "公开渠道"],
    ["机构概况", "科室设置", "20个工作日内", "各医院", "政府网站"],
    ["服务信息", "医保、价格", "20个工作日内", "各医院", "现场"],
    ["", "科室分布", "20个工作日内", "各医院", "现场"],
    ["", "（续）收费标准", "", "", ""],
]


def test_xls_and_doc_rows_are_table_rows_as_in_xlsx_and_docx(tmp_path):
    """A spreadsheet's or Word table's rows are the table's own rows (not lines of a text
    extraction): a row with a blank category but cells of its own is an item of its own."""
    import docx

    wb = openpyxl.Workbook()
    for row in BLANK_CATEGORY:
        wb.active.append([v or None for v in row])
    wb.save(tmp_path / "blank.xlsx")
    document = docx.Document()
    table = document.add_table(rows=len(BLANK_CATEGORY), cols=len(BLANK_CATEGORY[0]))
    for i, row in enumerate(BLANK_CATEGORY):
        for j, text in enumerate(row):
            table.cell(i, j).text = text
    document.save(tmp_path / "blank.docx")
    for original, legacy in ((tmp_path / "blank.xlsx", office.to_xls(tmp_path / "blank.xlsx", tmp_path / "xls")),
                             (tmp_path / "blank.docx", office.to_doc(tmp_path / "blank.docx", tmp_path / "doc"))):
        a, b = ingest_file(original, bureau="某县卫生健康局"), ingest_file(legacy, bureau="某县卫生健康局")
        assert [(i.level1, i.content) for i in a.items] == [
            ("机构概况", "科室设置"), ("服务信息", "医保、价格"), ("服务信息", "科室分布（续）收费标准")]
        assert [(i.level1, i.content) for i in b.items] == [(i.level1, i.content) for i in a.items], legacy.name


# --- what an .xls holds: sheets, merges, hidden rows, values ----------------------------------

def _workbook(path: Path) -> Path:
    """A list on a second sheet after a sheet of notes, a third sheet holding another
    list, a merged title and category, a hidden item row, and values of every kind."""
    wb = openpyxl.Workbook()
    notes = wb.active
    notes.title = "说明"
    notes.append(["本表说明"])
    notes.append(["公开事项 一栏填写事项名称"])
    ws = wb.create_sheet("目录")
    ws.append(["某县民政局政务公开目录"])
    ws.merge_cells("A1:F1")
    ws.append(HEADER)
    ws.append([1.0, "社会救助", "申请条件\n办理流程", "《社会救助暂行办法》", "20个工作日内", dt.datetime(2021, 6, 16)])
    ws.append([2.0, None, "救助标准", "《社会救助暂行办法》", "实时", True])
    ws.append([3, "养老服务", "机构名单", "《养老机构管理办法》", 0.5, dt.datetime(2021, 6, 16, 9, 30)])
    ws.append([4.0, "隐藏事项", "不应读到", "《条例》", "即时", None])
    ws.merge_cells("B3:B4")
    ws.row_dimensions[6].hidden = True
    other = wb.create_sheet("附表")
    other.append(HEADER)
    other.append([1, "其他事项", "内容", "《条例》", "即时", None])
    wb.save(path)
    return path


@pytest.fixture(scope="module")
def workbook(tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("book")
    xlsx = _workbook(folder / "book.xlsx")
    return xlsx, office.to_xls(xlsx, folder)


def test_xls_sheet_merges_hidden_rows_and_values(workbook):
    _, path = workbook
    grid = read_xls(path)
    assert (grid.format, grid.source, grid.sheet) == ("xls", str(path), "目录")
    assert grid.preamble == [(1, "某县民政局政务公开目录")]
    assert grid.texts() == [
        HEADER,
        ["1", "社会救助", "申请条件\n办理流程", "《社会救助暂行办法》", "20个工作日内", "2021-06-16"],
        ["2", "社会救助", "救助标准", "《社会救助暂行办法》", "实时", "TRUE"],
        ["3", "养老服务", "机构名单", "《养老机构管理办法》", "0.5", "2021-06-16T09:30:00"],
    ]
    assert [r[0].line for r in grid.rows] == [2, 3, 4, 5]
    category = [grid.rows[1][1], grid.rows[2][1]]
    assert [(c.rowspan, c.spanned) for c in category] == [(2, False), (1, True)]
    assert grid.warnings == [
        ("sheet '附表' also holds a disclosure table; only sheet '目录' is read "
         "(save each list in a workbook of its own)"),
        "sheet '目录': hidden row 6 not read (hidden in the workbook)",
    ]


def test_xls_grid_is_the_xlsx_grid(workbook):
    xlsx, path = workbook
    a, b = read_xlsx(xlsx), read_xls(path)
    assert (b.rows, b.preamble, b.sheet, b.warnings) == (a.rows, a.preamble, a.sheet, a.warnings)


def test_xls_hidden_sheet_is_read_only_when_no_visible_sheet_has_a_list(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "隐藏"
    ws.append(HEADER)
    ws.append([1, "隐藏表事项", "内容", "《条例》", "即时", None])
    ws.sheet_state = "hidden"
    shown = wb.create_sheet("目录")
    shown.append(HEADER)
    shown.append([1, "目录事项", "内容", "《条例》", "即时", None])
    wb.save(tmp_path / "hidden.xlsx")
    grid = read_xls(office.to_xls(tmp_path / "hidden.xlsx", tmp_path))
    assert grid.sheet == "目录"
    assert grid.texts()[1][1] == "目录事项"


def test_xls_without_a_list_header_names_the_file(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.append(["姓名", "电话"])
    wb.active.append(["张三", "123"])
    wb.save(tmp_path / "contacts.xlsx")
    path = office.to_xls(tmp_path / "contacts.xlsx", tmp_path)
    with pytest.raises(InputError, match="no sheet has a disclosure-list header") as e:
        read_xls(path)
    assert e.value.file == str(path)


# --- an .xls that xlrd cannot open: LibreOffice, then the .xlsx reader ----------------------------

def _xlrd_fails(monkeypatch) -> None:
    import xlrd

    def refuse(*args, **kwargs):
        raise xlrd.XLRDError("Unsupported format, or corrupt file")

    monkeypatch.setattr(xlrd, "open_workbook", refuse)


def test_xls_xlrd_cannot_open_is_converted_by_libreoffice(workbook, monkeypatch):
    _, path = workbook
    expected = read_xls(path)
    _xlrd_fails(monkeypatch)
    grid = read_xls(path)
    assert (grid.format, grid.source) == ("xls", str(path))
    assert (grid.rows, grid.preamble, grid.sheet, grid.warnings) == \
           (expected.rows, expected.preamble, expected.sheet, expected.warnings)


# --- LibreOffice missing, hanging, failing ----------------------------------------------------------

def _fake_soffice(folder: Path, script: str) -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / "soffice"
    path.write_text("#!/bin/sh\n" + script, encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return folder


def test_doc_without_libreoffice_names_the_package(made, tmp_path, monkeypatch):
    legacy = made["xjbz-anquanshengchan.docx"]
    monkeypatch.setenv("PATH", str(tmp_path))          # an empty folder: no soffice, no libreoffice
    with pytest.raises(InputError) as e:
        detect.read_any(legacy)
    assert str(e.value) == (
        f"{legacy}: reading a .doc Word document needs LibreOffice, which is not installed: install the "
        "Debian package libreoffice-writer-nogui (apt-get install libreoffice-writer-nogui), or save "
        "the file as .docx and read that")


def test_xls_xlrd_cannot_open_without_libreoffice_names_the_package(workbook, tmp_path, monkeypatch):
    _, path = workbook
    _xlrd_fails(monkeypatch)
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(InputError) as e:
        read_xls(path)
    assert str(e.value).startswith(f"{path}: xlrd cannot read this workbook (XLRDError: Unsupported format, "
                                   "or corrupt file); reading a .xls workbook needs LibreOffice")
    assert "install the Debian package libreoffice-calc-nogui" in str(e.value)


def _gone(pid: int) -> bool:
    """No such process, or only its exit status left (a zombie)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as f:
            return f.read().rsplit(")", 1)[1].split()[0] == "Z"
    except FileNotFoundError:
        return True


def test_conversion_time_limit_stops_libreoffice_and_its_children(made, tmp_path, monkeypatch):
    legacy = made["xjbz-anquanshengchan.docx"]
    pids = tmp_path / "pids"
    # a launcher that starts a worker and waits for it, as soffice does with soffice.bin
    fake = _fake_soffice(tmp_path / "bin", f'sleep 300 &\necho $$ $! > "{pids}"\nwait\n')
    monkeypatch.setenv("PATH", f"{fake}:{os.environ['PATH']}")
    monkeypatch.setattr(convert, "TIMEOUT", 2.0)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    started = time.monotonic()
    with pytest.raises(InputError) as e:
        read_doc(legacy)
    assert time.monotonic() - started < 30
    assert str(e.value) == (f"{legacy}: LibreOffice took more than 2 s to convert it to a .docx Word document "
                            "and was stopped: open the file in Word or WPS and save it as .docx")
    launcher, worker = map(int, pids.read_text().split())
    deadline = time.monotonic() + 10
    while not (_gone(launcher) and _gone(worker)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _gone(launcher) and _gone(worker)
    assert list(scratch.iterdir()) == []               # the temporary folder is removed


def test_conversion_that_produces_nothing_says_what_libreoffice_said(made, tmp_path, monkeypatch):
    legacy = made["xjbz-anquanshengchan.docx"]
    # LibreOffice's own behaviour on a file it cannot load: a message, exit code 0, no output
    fake = _fake_soffice(tmp_path / "bin", 'echo "Error: source file could not be loaded"\nexit 0\n')
    monkeypatch.setenv("PATH", f"{fake}:{os.environ['PATH']}")
    with pytest.raises(InputError) as e:
        read_doc(legacy)
    assert str(e.value) == (f"{legacy}: LibreOffice could not convert it to a .docx Word document (Error: source "
                            "file could not be loaded): is the file damaged? Open it in Word or WPS and save it again")


def test_damaged_doc_that_libreoffice_cannot_load(made, tmp_path):
    damaged = tmp_path / "damaged.doc"
    damaged.write_bytes(made["xjbz-anquanshengchan.docx"].read_bytes())
    with olefile.OleFileIO(str(damaged), write_mode=True) as ole:
        size = len(ole.openstream("WordDocument").read())
        ole.write_stream("WordDocument", b"\x00" * size)     # the directory intact, the text gone
    with pytest.raises(InputError, match=r"LibreOffice could not convert it to a \.docx Word document") as e:
        detect.read_any(damaged)
    assert e.value.file == str(damaged)


def test_truncated_compound_file_is_damaged(made, tmp_path):
    cut = tmp_path / "cut.xls"
    cut.write_bytes(made["songming-weijian.xlsx"].read_bytes()[:3000])
    with pytest.raises(InputError, match=r"is damaged or truncated: its compound-file directory cannot be read"):
        detect.read_any(cut)


# --- encrypted files: refused before any reading or conversion ----------------------------------------

ENCRYPTED = ("encrypted: save it without a password (a file protected by a password to open it "
             "cannot be read without it)")


@pytest.fixture()
def no_conversion(tmp_path, monkeypatch) -> Path:
    """A fake soffice on PATH that records being run: encrypted files must never reach it."""
    ran = tmp_path / "soffice-ran"
    fake = _fake_soffice(tmp_path / "bin", f'touch "{ran}"\nexit 1\n')
    monkeypatch.setenv("PATH", f"{fake}:{os.environ['PATH']}")
    return ran


@pytest.mark.parametrize("original, name, what", [
    (RAW / "songming-weijian.xlsx", "list.xlsx", "workbook"),
    (RAW / "xjbz-anquanshengchan.docx", "list.docx", "Word document"),
    (RAW / "xjbz-anquanshengchan.docx", "list.doc", "Word document"),
    (RAW / "songming-weijian.xlsx", "download", "Office file"),
])
def test_password_protected_office_file_is_refused(original, name, what, tmp_path, no_conversion):
    import msoffcrypto.format.ooxml

    path = tmp_path / name
    with open(original, "rb") as src, open(path, "wb") as out:
        msoffcrypto.format.ooxml.OOXMLFile(src).encrypt("secret", out)
    with pytest.raises(InputError) as e:
        detect.read_any(path)
    assert str(e.value) == f"{path}: the {what} is {ENCRYPTED}"
    assert not no_conversion.exists()


def _patch_stream(path: Path, stream: str, patch) -> None:
    with olefile.OleFileIO(str(path), write_mode=True) as ole:
        data = bytearray(ole.openstream(stream).read())
        patch(data)
        ole.write_stream(stream, bytes(data))


def test_encrypted_xls_is_refused(made, tmp_path, no_conversion):
    """An .xls whose workbook globals start with a FILEPASS record, as Excel writes an
    encrypted workbook (made here by turning the record after BOF into one)."""
    path = tmp_path / "encrypted.xls"
    path.write_bytes(made["songming-weijian.xlsx"].read_bytes())

    def filepass(data: bytearray) -> None:
        _, bof_length = struct.unpack_from("<HH", data, 0)
        struct.pack_into("<H", data, 4 + bof_length, compound.FILEPASS)

    _patch_stream(path, "Workbook", filepass)
    for read in (detect.read_any, read_xls):
        with pytest.raises(InputError) as e:
            read(path)
        assert str(e.value) == f"{path}: the workbook is {ENCRYPTED}"
    assert not no_conversion.exists()


def test_encrypted_doc_is_refused(made, tmp_path, no_conversion):
    """A .doc whose file information block has the fEncrypted flag, as Word writes an
    encrypted document."""
    path = tmp_path / "encrypted.wps"
    path.write_bytes(made["xjbz-anquanshengchan.docx"].read_bytes())

    def encrypted(data: bytearray) -> None:
        flags = struct.unpack_from("<H", data, 10)[0]
        struct.pack_into("<H", data, 10, flags | 0x0100)

    _patch_stream(path, "WordDocument", encrypted)
    for read in (detect.read_any, read_doc):
        with pytest.raises(InputError) as e:
            read(path)
        assert str(e.value) == f"{path}: the Word document is {ENCRYPTED}"
    assert not no_conversion.exists()


# --- recognised by content; the upload suffixes ---------------------------------------------------------

@pytest.mark.parametrize("source, name, expected", [
    ("songming-weijian.xlsx", "list.xls", "xls"),
    ("songming-weijian.xlsx", "list.et", "xls"),
    ("songming-weijian.xlsx", "list.doc", "xls"),      # content beats a wrong extension
    ("songming-weijian.xlsx", "download", "xls"),
    ("xjbz-anquanshengchan.docx", "list.doc", "doc"),
    ("xjbz-anquanshengchan.docx", "list.wps", "doc"),
    ("xjbz-anquanshengchan.docx", "list.xls", "doc"),
])
def test_legacy_files_by_content(made, tmp_path, source, name, expected):
    path = tmp_path / name
    path.write_bytes(made[source].read_bytes())
    assert detect.detect_format(path).format == expected


def test_wps_document_reads_as_its_doc(made, tmp_path):
    """WPS Writer saves Word 97–2003 documents under .wps: the same conversion reads them."""
    doc = made["xjbz-anquanshengchan.docx"]
    wps = tmp_path / "list.wps"
    wps.write_bytes(doc.read_bytes())
    a, b = detect.read_any(doc), detect.read_any(wps)
    assert (b.format, b.source) == ("doc", str(wps))
    assert (b.texts(), b.preamble) == (a.texts(), a.preamble)


def test_xlsx_reader_names_a_legacy_workbook(made, tmp_path):
    path = tmp_path / "list.xlsx"
    path.write_bytes(made["songming-weijian.xlsx"].read_bytes())
    with pytest.raises(InputError, match=r"not an Excel workbook: the content is an Excel 97–2003 workbook \(\.xls\)"):
        read_xlsx(path)


def test_upload_suffixes_include_the_legacy_formats():
    from gongkai.pipeline.add_list import SUFFIXES

    assert {".xls", ".et", ".doc", ".wps"} <= set(SUFFIXES)


# --- limits ------------------------------------------------------------------------------------------

def _records(*records: tuple[int, bytes]) -> bytes:
    return b"".join(struct.pack("<HH", t, len(body)) + body for t, body in records)


def _bof() -> tuple[int, bytes]:
    return (compound.BOF, b"\x00" * 16)


def test_scan_counts_cells_of_every_kind(monkeypatch):
    monkeypatch.setattr(xls, "MAX_CELLS", 5)
    number = lambda r, c: (0x0203, struct.pack("<HHH", r, c, 0) + b"\x00" * 8)  # noqa: E731
    # 4 cells: fine
    scan_workbook("b.xls", _records(_bof(), _bof(), number(0, 0), number(0, 1),
                                    (0x00BE, struct.pack("<HH", 1, 0) + b"\x00\x00" * 2 + struct.pack("<H", 1))))
    # a MULBLANK of 3 styled blanks brings it to 6
    with pytest.raises(InputError, match=r"b\.xls: the table has more than 5 cells \(sheet 1\)"):
        scan_workbook("b.xls", _records(_bof(), _bof(), number(0, 0), number(0, 1),
                                        (0x00BE, struct.pack("<HH", 1, 0) + b"\x00\x00" * 3 + struct.pack("<H", 2)),
                                        number(2, 0)))


def test_scan_refuses_a_value_far_away(monkeypatch):
    far = (0x0203, struct.pack("<HHH", 9_999, 200, 0) + b"\x00" * 8)     # a number at row 10,000, column 201
    with pytest.raises(InputError, match=r"the table has 2,010,000 cells \(up to row 10,000, column 201"):
        scan_workbook("b.xls", _records(_bof(), _bof(), far))


def test_xls_beyond_the_cell_limit_is_refused_before_xlrd(workbook, monkeypatch):
    _, path = workbook
    monkeypatch.setattr(xls, "MAX_CELLS", 10)
    import xlrd

    monkeypatch.setattr(xlrd, "open_workbook", lambda *_a, **_k: pytest.fail("xlrd must not be reached"))
    with pytest.raises(InputError, match=r"the table has more than 10 cells"):
        read_xls(path)


def test_compound_file_beyond_the_size_limit_is_refused(made, monkeypatch):
    legacy = made["xjbz-anquanshengchan.docx"]
    monkeypatch.setattr(compound, "MAX_COMPOUND_BYTES", 1024)
    with pytest.raises(InputError, match=r"the file is 0\.\d MB, more than the 0\.0 MB a list can be"):
        read_doc(legacy)
