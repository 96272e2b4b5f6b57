"""Format detection: content decides, the extension breaks ties, non-list files are named."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest

from gongkai.errors import InputError
from gongkai.readers.detect import READERS, detect_format, read_any

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "formats"

TSV = "某局政务公开清单\n序号\t公开事项\t公开内容\t公开依据\n1\t概况信息\t职能\t《条例》\n"


def _xlsx(path: Path) -> Path:
    wb = openpyxl.Workbook()
    wb.active.append(["序号", "公开事项", "公开内容", "公开依据"])
    wb.active.append([1, "概况信息", "职能", "《条例》"])
    wb.save(path)
    return path


def _docx(path: Path) -> Path:
    d = docx.Document()
    t = d.add_table(rows=2, cols=4)
    for j, text in enumerate(["序号", "公开事项", "公开内容", "公开依据"]):
        t.cell(0, j).text = text
    for j, text in enumerate(["1", "概况信息", "职能", "《条例》"]):
        t.cell(1, j).text = text
    d.save(path)
    return path


def test_readers_table_keeps_the_text_table_entry():
    formats = [r.format for r in READERS]
    assert formats == ["xlsx", "docx", "html", "mhtml", "text-table", "csv", "xls", "doc", "pdf"]
    assert [r.extensions for r in READERS if r.format == "text-table"] == [(".txt", ".tsv")]


@pytest.mark.parametrize("make, name, expected", [
    (_xlsx, "download.dat", "xlsx"),
    (_xlsx, "list.docx", "xlsx"),            # content beats a wrong extension
    (_docx, "list", "docx"),
    (_docx, "list.xlsx", "docx"),
])
def test_office_files_by_content(tmp_path, make, name, expected):
    path = make(tmp_path / name)
    assert detect_format(path).format == expected
    assert read_any(path).texts()[1] == ["1", "概况信息", "职能", "《条例》"]


@pytest.mark.parametrize("fixture, name, expected", [
    ("layout-rowspan.html", "page.txt", "html"),
    ("layout-rowspan.html", "page", "html"),
    ("gb18030.csv", "export.txt", "csv"),     # commas: not a tab-separated extraction
    ("two-sheets-merged.xlsx", "book.bin", "xlsx"),
    ("two-sheets-merged.xlsx", "book.txt", "xlsx"),  # compressed bytes are never a text table
    ("two-sheets-merged.xlsx", "book.csv", "xlsx"),
])
def test_fixtures_by_content(tmp_path, fixture, name, expected):
    path = tmp_path / name
    path.write_bytes((FIXTURES / fixture).read_bytes())
    assert detect_format(path).format == expected
    assert read_any(path).format == expected


@pytest.mark.parametrize("name, expected", [
    ("extract.txt", "text-table"),
    ("extract.tsv", "text-table"),
    ("export.csv", "csv"),
    ("export", "text-table"),                 # no tie-breaker: the table's order decides
])
def test_tab_separated_text_is_both_and_the_extension_breaks_the_tie(tmp_path, name, expected):
    path = tmp_path / name
    path.write_text(TSV, encoding="utf-8")
    assert detect_format(path).format == expected


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"


def _zip_without_office() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("photos/a.txt", "hello")
    return buf.getvalue()


@pytest.mark.parametrize("data, name, what", [
    (PNG, "list.xlsx", "a PNG image"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "scan.txt", "a JPEG image"),
    (b"GIF89a\x01\x00\x01\x00", "list.html", "a GIF image"),
    (_zip_without_office(), "list.xlsx", "a ZIP archive that is neither an Excel workbook nor a Word document"),
])
def test_non_list_content_is_named(tmp_path, data, name, what):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(InputError) as e:
        detect_format(path)
    assert str(e.value) == f"{path}: not a disclosure list: the content is {what}"


def test_truncated_legacy_office_file_is_named_damaged(tmp_path):
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64)
    with pytest.raises(InputError) as e:
        detect_format(path)
    assert str(e.value) == (f"{path}: the legacy Office file (.xls/.doc/.et/.wps) is damaged or truncated: its "
                            "compound-file directory cannot be read (NotOleFileError: not an OLE2 structured "
                            "storage file)")


@pytest.mark.parametrize("name", ["list.csv", "list.txt", "list.pdf", "list"])
def test_a_pdf_goes_to_the_pdf_reader_whatever_its_name(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    assert detect_format(path).format == "pdf"


def test_empty_file(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    with pytest.raises(InputError, match="the file is empty") as e:
        detect_format(path)
    assert e.value.file == str(path)


def test_unrecognised_text(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("这是一份说明。\n没有表格。\n", encoding="utf-8")
    with pytest.raises(InputError, match="no table recognised in its content") as e:
        detect_format(path)
    assert e.value.file == str(path)


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="cannot read the file"):
        detect_format(tmp_path / "absent.xlsx")


def test_mislabelled_csv_reaches_the_reader_and_its_specific_error(tmp_path):
    path = tmp_path / "list.csv"
    path.write_bytes(b"\xef\xbb\xbf" + "序号,公开事项\n1,概况\n".encode("gbk"))
    with pytest.raises(InputError, match="declares UTF-8"):
        read_any(path)
