"""Excel reader: sheet choice, merged cells, values as shown, preamble, bad workbooks."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from gongkai.errors import InputError
from gongkai.readers.xlsx import cell_text, looks_like_xlsx, read_xlsx

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "formats"
TWO_SHEETS = FIXTURES / "two-sheets-merged.xlsx"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"

HEADER = ["序号", "公开事项", "公开内容", "公开依据", "公开时限"]


def _save(tmp_path: Path, rows_by_sheet: dict[str, list[list[object]]], name: str = "list.xlsx",
          merges: dict[str, list[str]] | None = None, hidden: tuple[str, ...] = ()) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in rows_by_sheet.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
        for rng in (merges or {}).get(title, []):
            ws.merge_cells(rng)
        if title in hidden:
            ws.sheet_state = "hidden"
    path = tmp_path / name
    wb.save(path)
    return path


# --- the committed fixture -----------------------------------------------------------

def test_fixture_picks_the_sheet_with_the_header_and_names_it():
    grid = read_xlsx(TWO_SHEETS)
    assert grid.format == "xlsx"
    assert grid.sheet == "目录"
    assert grid.source == str(TWO_SHEETS)


def test_fixture_rows_above_the_header_go_to_the_preamble_with_sheet_rows():
    grid = read_xlsx(TWO_SHEETS)
    assert grid.preamble == [(1, "示例县民政局基层政务公开标准目录"),
                             (2, "责任单位：示例县民政局 填表时间：2024.3.1")]


def test_fixture_grid_cell_by_cell():
    grid = read_xlsx(TWO_SHEETS)
    assert grid.texts() == [
        ["序号", "公开事项", "公开事项", "公开内容", "公开依据", "公开时限"],
        ["", "一级事项", "二级事项", "", "", ""],
        ["1", "社会救助", "低保对象认定", "申请条件\n办理流程", "《社会救助暂行办法》", "20个工作日内"],
        ["2", "社会救助", "特困人员认定", "申请条件", "《社会救助暂行办法》", "实时公开"],
        ["3", "社会救助", "临时救助", "救助标准", "《社会救助暂行办法》", "实时公开"],
        ["4", "养老服务", "养老机构", "机构名单", "《养老机构管理办法》", "20个工作日内"],
    ]
    assert [r[0].line for r in grid.rows] == [3, 4, 5, 6, 7, 8]
    for i, row in enumerate(grid.rows):
        assert [(c.row, c.col) for c in row] == [(i, j) for j in range(6)]


def test_fixture_merged_cells_origin_has_span_and_copies_are_flagged():
    grid = read_xlsx(TWO_SHEETS)
    header_origin, header_copy = grid.rows[0][1], grid.rows[0][2]
    assert (header_origin.colspan, header_origin.rowspan, header_origin.spanned) == (2, 1, False)
    assert (header_copy.text, header_copy.spanned) == ("公开事项", True)
    category = [grid.rows[i][1] for i in (2, 3, 4, 5)]
    assert [(c.text, c.rowspan, c.spanned) for c in category] == [
        ("社会救助", 3, False), ("社会救助", 1, True), ("社会救助", 1, True), ("养老服务", 1, False)]
    assert not any(c.spanned for c in grid.rows[2] if c.col != 1)


def test_fixture_is_recognised_by_content():
    assert looks_like_xlsx(TWO_SHEETS.read_bytes()[:65536], TWO_SHEETS)


# --- values ------------------------------------------------------------------------------

@pytest.mark.parametrize("value, text", [
    (12.0, "12"),
    (12, "12"),
    (0.5, "0.5"),
    (None, ""),
    (dt.datetime(2021, 6, 16), "2021-06-16"),
    (dt.datetime(2021, 6, 16, 9, 30), "2021-06-16T09:30:00"),
    (dt.date(2024, 3, 1), "2024-03-01"),
    ("第一行\r\n第二行", "第一行\n第二行"),
    (True, "TRUE"),
])
def test_cell_text(value, text):
    assert cell_text(value) == text


def test_values_as_shown_in_the_sheet(tmp_path):
    path = _save(tmp_path, {"表": [
        HEADER,
        [1.0, "概况信息", "职能\n地址", "《条例》", dt.datetime(2021, 6, 16)],
        [2, "领导信息", 3.25, "《条例》", "20个工作日内"],
    ]})
    assert read_xlsx(path).texts()[1:] == [
        ["1", "概况信息", "职能\n地址", "《条例》", "2021-06-16"],
        ["2", "领导信息", "3.25", "《条例》", "20个工作日内"],
    ]


def test_table_away_from_the_corner_blank_rows_dropped_lines_kept(tmp_path):
    path = _save(tmp_path, {"表": [
        [],
        [None, None, "某局公开目录"],
        [None, None, *HEADER],
        [None, None, 1, "概况信息", "职能", "《条例》", "20日"],
        [],
        [None, None, 2, "领导信息", "姓名", "《条例》", "20日"],
    ]})
    grid = read_xlsx(path)
    assert grid.preamble == [(2, "某局公开目录")]
    assert grid.texts() == [HEADER, ["1", "概况信息", "职能", "《条例》", "20日"],
                            ["2", "领导信息", "姓名", "《条例》", "20日"]]
    assert [r[0].line for r in grid.rows] == [3, 4, 6]
    assert [c.col for c in grid.rows[2]] == [0, 1, 2, 3, 4]


def test_sheet_with_the_most_header_words_wins(tmp_path):
    path = _save(tmp_path, {
        "汇总": [["序号", "公开事项", "数量"], [1, "概况信息", 3]],
        "清单": [HEADER, [1, "概况信息", "职能", "《条例》", "20日"]],
    })
    grid = read_xlsx(path)
    assert grid.sheet == "清单"
    assert grid.texts()[0] == HEADER


def test_visible_sheet_preferred_to_a_hidden_copy(tmp_path):
    rows = [HEADER, [1, "概况信息", "职能", "《条例》", "20日"]]
    path = _save(tmp_path, {"旧版": [*rows, [2, "x", "y", "z", "w"]], "新版": rows}, hidden=("旧版",))
    assert read_xlsx(path).sheet == "新版"


def test_a_second_list_sheet_and_hidden_rows_are_named_not_dropped_silently(tmp_path):
    path = _save(tmp_path, {
        "说明": [["本目录分主动公开和依申请公开两部分"]],
        "主动公开": [HEADER, [1, "概况信息", "职能", "《条例》", "20日"],
                     [2, "已废止", "旧文件", "《条例》", "20日"], [3, "政策文件", "规章", "《条例》", "20日"]],
        "依申请公开": [HEADER, [1, "行政许可", "结果", "《条例》", "20日"]],
        "汇总": [["序号", "公开事项", "数量"], [1, "概况信息", 3]],
    })
    wb = openpyxl.load_workbook(path)
    wb["主动公开"].row_dimensions[3].hidden = True
    wb.save(path)
    grid = read_xlsx(path)
    assert grid.sheet == "主动公开"
    assert [r[0].text for r in grid.rows] == ["序号", "1", "3"]
    assert [r[0].line for r in grid.rows] == [1, 2, 4]
    assert grid.warnings == [
        ("sheet '依申请公开' also holds a disclosure table; only sheet '主动公开' is read "
         "(save each list in a workbook of its own)"),
        "sheet '主动公开': hidden row 3 not read (hidden in the workbook)"]


def test_header_found_below_a_long_title_block(tmp_path):
    title = [[f"说明第{i}行"] for i in range(1, 11)]
    path = _save(tmp_path, {"表": [*title, HEADER, [1, "a", "b", "c", "d"]]})
    grid = read_xlsx(path)
    assert len(grid.preamble) == 10
    assert grid.rows[0][0].line == 11


# --- bad workbooks ------------------------------------------------------------------------

def test_png_renamed_xlsx(tmp_path):
    path = tmp_path / "清单.xlsx"
    path.write_bytes(PNG)
    with pytest.raises(InputError) as e:
        read_xlsx(path)
    assert e.value.reason == "not an Excel workbook: the content is a PNG image"
    assert str(path) in str(e.value)


def test_truncated_workbook(tmp_path):
    data = TWO_SHEETS.read_bytes()
    path = tmp_path / "half.xlsx"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(InputError) as e:
        read_xlsx(path)
    assert e.value.reason.startswith("the workbook is damaged or truncated")
    assert str(path) in str(e.value)
    # the first half still *looks* like a workbook: the reader, not detection, reports it
    assert looks_like_xlsx(path.read_bytes(), path)


def test_workbook_without_a_recognisable_header(tmp_path):
    path = _save(tmp_path, {"Sheet1": [["姓名", "电话"], ["张三", "123"]], "Sheet2": [["序号", "金额"]]})
    with pytest.raises(InputError) as e:
        read_xlsx(path)
    assert e.value.reason.startswith("no sheet has a disclosure-list header (公开事项/公开内容/公开依据…)")
    assert str(path) in str(e.value)


def test_word_document_renamed_xlsx(tmp_path):
    import docx

    path = tmp_path / "清单.xlsx"
    docx.Document().save(path)
    with pytest.raises(InputError, match="not an Excel workbook: the content is a Word document"):
        read_xlsx(path)


def test_text_renamed_xlsx(tmp_path):
    path = tmp_path / "清单.xlsx"
    path.write_text("序号,公开事项\n1,概况信息\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"not an Excel workbook: the content is not an \.xlsx package"):
        read_xlsx(path)


def test_empty_file(tmp_path):
    path = tmp_path / "empty.xlsx"
    path.write_bytes(b"")
    with pytest.raises(InputError, match="the file is empty"):
        read_xlsx(path)


def test_looks_like_xlsx_refuses_other_content(tmp_path):
    import docx

    docx_path = tmp_path / "a.docx"
    docx.Document().save(docx_path)
    assert not looks_like_xlsx(docx_path.read_bytes(), docx_path)
    assert not looks_like_xlsx(PNG, None)
    assert not looks_like_xlsx("序号,公开事项\n".encode(), None)
