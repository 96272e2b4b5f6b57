"""CSV reader: encodings (strict, in order), delimiters, quoted line breaks, line numbers, bad files."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from gongkai.errors import InputError
from gongkai.readers.csv import looks_like_csv, read_csv, sniff_delimiter

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "formats"
GB_CSV = FIXTURES / "gb18030.csv"

HEADER = ["序号", "公开事项", "公开内容", "公开依据", "公开时限"]


def _write(tmp_path: Path, data: bytes, name: str = "list.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# --- the committed fixture -----------------------------------------------------------------

def test_fixture_gb18030_grid_cell_by_cell():
    grid = read_csv(GB_CSV)
    assert grid.format == "csv"
    assert grid.meta["encoding"] == "gb18030"
    assert grid.meta["delimiter"] == ","
    assert grid.preamble == [(1, "示例县民政局基层政务公开标准目录")]
    assert grid.texts() == [
        HEADER,
        ["1", "低保对象认定", "申请条件\n办理流程",
         "《社会救助暂行办法》,《最低生活保障审核确认办法》", "20个工作日内"],
        ["2", "特困人员认定", "申请条件;办理流程", "《社会救助暂行办法》", "实时公开"],
    ]


def test_fixture_line_is_where_the_record_starts():
    grid = read_csv(GB_CSV)
    # the quoted cell of record 3 spans lines 3-4, so the next record starts on line 5
    assert [r[0].line for r in grid.rows] == [2, 3, 5]
    assert all(c.line == 3 for c in grid.rows[1])
    assert [(c.row, c.col) for c in grid.rows[2]] == [(2, j) for j in range(5)]


# --- encodings ------------------------------------------------------------------------------

TEXT = "序号,公开事项,公开内容\n1,概况信息,机构职能\n"


@pytest.mark.parametrize("data, encoding", [
    (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
    (TEXT.encode("utf-8"), "utf-8"),
    (TEXT.encode("gbk"), "gb18030"),
    (TEXT.encode("gb2312"), "gb18030"),
    (TEXT.replace(",", "\t").encode("utf-16"), "utf-16"),    # Excel's "Unicode text"
])
def test_encodings(tmp_path, data, encoding):
    grid = read_csv(_write(tmp_path, data))
    assert grid.meta["encoding"] == encoding
    assert grid.texts() == [["序号", "公开事项", "公开内容"], ["1", "概况信息", "机构职能"]]


def test_gb18030_only_characters(tmp_path):
    text = "序号,公开事项,公开内容\n1,𠀀字,䶮\n"     # outside GBK, inside GB18030
    grid = read_csv(_write(tmp_path, text.encode("gb18030")))
    assert grid.texts()[1] == ["1", "𠀀字", "䶮"]


def test_gbk_bytes_behind_a_utf8_mark_are_refused(tmp_path):
    data = codecs.BOM_UTF8 + TEXT.encode("gbk")
    path = _write(tmp_path, data, "mislabelled.csv")
    with pytest.raises(InputError) as e:
        read_csv(path)
    first_bad = 3 + TEXT.encode("gbk").index("序".encode("gbk"))
    assert f"offset {first_bad}" in e.value.reason
    assert "declares UTF-8" in e.value.reason
    assert str(path) in str(e.value)


def test_bytes_valid_in_no_encoding(tmp_path):
    data = "序号,公开事项\n".encode() + b"1,\x80\xff\n"
    path = _write(tmp_path, data, "broken.csv")
    with pytest.raises(InputError) as e:
        read_csv(path)
    bad = len("序号,公开事项\n".encode()) + 2
    assert e.value.reason.startswith(f"not valid text in UTF-8 (first bad byte at offset {bad}, 0x80)")
    assert str(path) in str(e.value)


@pytest.mark.parametrize("data", [b"", b"  \r\n\n", codecs.BOM_UTF8])
def test_empty_file(tmp_path, data):
    path = _write(tmp_path, data, "empty.csv")
    with pytest.raises(InputError) as e:
        read_csv(path)
    assert e.value.reason == "the file is empty"
    assert str(path) in str(e.value)


def test_png_renamed_csv(tmp_path):
    path = _write(tmp_path, b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "list.csv")
    with pytest.raises(InputError, match="not a CSV file: the content is a PNG image"):
        read_csv(path)


def test_file_ending_inside_a_quoted_cell(tmp_path):
    path = _write(tmp_path, "序号,公开事项,公开内容\n1,概况,职能\n2,领导,\"姓名\n职务\n".encode(), "cut.csv")
    with pytest.raises(InputError) as e:
        read_csv(path)
    assert e.value.row == 3
    assert "never closed" in e.value.reason


# --- delimiters ----------------------------------------------------------------------------

@pytest.mark.parametrize("delimiter", [",", "\t", ";", "|"])
def test_delimiters(tmp_path, delimiter):
    other = ";" if delimiter == "," else ","
    rows = [HEADER, ["1", "概况信息", f"职能{other} 地址", "《条例》", "20个工作日内"],
            ["2", "领导信息", "姓名", f"《条例》{other}《办法》", "实时"]]
    text = "\n".join(delimiter.join(r) for r in rows) + "\n"
    grid = read_csv(_write(tmp_path, text.encode()))
    assert grid.meta["delimiter"] == delimiter
    assert grid.texts() == rows


def test_semicolons_inside_cells_do_not_fool_the_sniffer():
    sample = ("序号,公开事项,公开内容\n"
              "1,概况信息,职能;地址;电话;邮箱\n"
              "2,领导信息,姓名;职务;分工;简历\n"
              "3,机构信息,科室;职责\n")
    assert sniff_delimiter(sample) == ","


def test_sniff_delimiter_none_for_prose():
    assert sniff_delimiter("这是一段说明文字。\n没有分隔符。\n") is None


def test_source_line_and_crlf_and_quoted_crlf(tmp_path):
    text = ("# source: https://www.example.gov.cn/list.csv\r\n"
            "标题\r\n"
            "序号,公开事项,公开内容\r\n"
            '1,概况信息,"职能\r\n地址"\r\n'
            "2,领导信息,姓名\r\n")
    grid = read_csv(_write(tmp_path, text.encode()))
    assert grid.meta["source_url"] == "https://www.example.gov.cn/list.csv"
    assert grid.preamble == [(2, "标题")]
    assert grid.texts()[1] == ["1", "概况信息", "职能\n地址"]
    assert [r[0].line for r in grid.rows] == [3, 4, 6]


def test_without_a_header_every_record_is_a_row(tmp_path):
    grid = read_csv(_write(tmp_path, b"a,b\nc,d\n"))
    assert grid.preamble == []
    assert grid.texts() == [["a", "b"], ["c", "d"]]


# --- detection -----------------------------------------------------------------------------

def test_looks_like_csv():
    assert looks_like_csv(GB_CSV.read_bytes(), GB_CSV)
    assert looks_like_csv(codecs.BOM_UTF8 + TEXT.encode("gbk"))      # so the reader can say what is wrong
    assert looks_like_csv("序号|公开事项|公开内容\n1|概况|职能\n2|领导|姓名\n".encode())


@pytest.mark.parametrize("data", [
    b"\x89PNG\r\n\x1a\n\x00\x00",
    b"<!DOCTYPE html><html><body><table><tr><td>a,b</td></tr></table></body></html>",
    "这是一段说明文字。\n没有分隔符。\n".encode(),
    "序號 |\n公開事項 |\n公開內容 |\n1 |\n".encode(),        # one cell per line, a trailing bar
    b"a,b\x00c,d\n",
    b"",
])
def test_looks_like_csv_refuses(data):
    assert not looks_like_csv(data)


def test_workbook_renamed_csv(tmp_path):
    import openpyxl

    path = tmp_path / "list.csv"
    openpyxl.Workbook().save(path)
    with pytest.raises(InputError, match="not a CSV file: the content is an Excel workbook"):
        read_csv(path)
