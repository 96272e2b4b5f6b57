"""Word reader: table choice, merges, check-box notations, continued tables, preamble, bad files."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from gongkai.errors import InputError
from gongkai.readers.docx import looks_like_docx, read_docx

HEADER = ["序号", "公开事项", "公开内容", "公开时限"]


def _fill(table, rows: list[list[str]]) -> None:
    for i, row in enumerate(rows):
        for j, text in enumerate(row):
            if text:
                table.cell(i, j).text = text


def _add_table(document, rows: list[list[str]]):
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    _fill(table, rows)
    return table


def _sym(char: str, font: str = "Wingdings"):
    return parse_xml(f'<w:r {nsdecls("w")}><w:sym w:font="{font}" w:char="{char}"/></w:r>')


def _content_control_box(checked: bool):
    return parse_xml(
        f'<w:sdt {nsdecls("w", "w14")}><w:sdtPr><w14:checkbox>'
        f'<w14:checked w14:val="{1 if checked else 0}"/></w14:checkbox></w:sdtPr>'
        f'<w:sdtContent><w:r><w:t>{"☒" if checked else "☐"}</w:t></w:r></w:sdtContent></w:sdt>')


def _form_field_box(checked: bool) -> list:
    state = "<w:checked/>" if checked else ""
    return [
        parse_xml(f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="begin"><w:ffData><w:checkBox>'
                  f'<w:sizeAuto/><w:default w:val="0"/>{state}</w:checkBox></w:ffData></w:fldChar></w:r>'),
        parse_xml(f'<w:r {nsdecls("w")}><w:instrText xml:space="preserve"> FORMCHECKBOX </w:instrText></w:r>'),
        parse_xml(f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="end"/></w:r>'),
    ]


def _merged_document(path: Path) -> Path:
    d = docx.Document()
    d.add_paragraph("示例县人社局基层政务公开标准目录")
    d.add_paragraph("")
    d.add_paragraph("责任单位：示例县人社局")
    t = d.add_table(rows=5, cols=4)
    _fill(t, [["序号", "公开事项", "公开内容", ""], ["", "一级事项", "", ""], ["1", "就业服务", "招聘信息", "实时"],
              ["2", "", "培训信息", "20日"], ["3", "社会保险", "参保办法", "20日"]])
    t.cell(0, 0).merge(t.cell(1, 0))
    t.cell(0, 2).merge(t.cell(1, 3))         # a 2×2 block
    t.cell(2, 1).merge(t.cell(3, 1))
    d.save(path)
    return path


# --- merges, preamble, lines ---------------------------------------------------------------

def test_merged_cells_expanded_cell_by_cell(tmp_path):
    grid = read_docx(_merged_document(tmp_path / "list.docx"))
    assert grid.format == "docx"
    assert grid.texts() == [
        ["序号", "公开事项", "公开内容", "公开内容"],
        ["序号", "一级事项", "公开内容", "公开内容"],
        ["1", "就业服务", "招聘信息", "实时"],
        ["2", "就业服务", "培训信息", "20日"],
        ["3", "社会保险", "参保办法", "20日"],
    ]
    spans = [[(c.rowspan, c.colspan, c.spanned) for c in row] for row in grid.rows]
    assert spans[0] == [(2, 1, False), (1, 1, False), (2, 2, False), (1, 1, True)]
    assert spans[1] == [(1, 1, True), (1, 1, False), (1, 1, True), (1, 1, True)]
    assert [s[1] for s in spans[2:]] == [(2, 1, False), (1, 1, True), (1, 1, False)]
    for i, row in enumerate(grid.rows):
        assert [(c.row, c.col) for c in row] == [(i, j) for j in range(4)]


def test_paragraphs_before_the_table_are_preamble_and_lines_count_blocks(tmp_path):
    grid = read_docx(_merged_document(tmp_path / "list.docx"))
    assert grid.preamble == [(1, "示例县人社局基层政务公开标准目录"), (3, "责任单位：示例县人社局")]
    assert [r[0].line for r in grid.rows] == [4, 5, 6, 7, 8]


def test_cell_paragraphs_become_lines(tmp_path):
    d = docx.Document()
    t = _add_table(d, [HEADER, ["1", "概况", "", "20日"]])
    cell = t.cell(1, 2)
    cell.text = "机构职能"
    cell.add_paragraph("")
    cell.add_paragraph("办公地址")
    d.save(tmp_path / "a.docx")
    assert read_docx(tmp_path / "a.docx").texts()[1][2] == "机构职能\n办公地址"


# --- check boxes ------------------------------------------------------------------------------

def test_check_box_notations_become_filled_and_empty_squares(tmp_path):
    d = docx.Document()
    t = _add_table(d, [[*HEADER, "公开渠道和载体"], ["1", "概况", "职能", "20日", ""],
                       ["2", "领导", "姓名", "20日", "☑政府网站☐两微一端"],
                       ["3", "机构", "科室", "20日", ""], ["4", "规划", "计划", "20日", ""]])
    p = t.cell(1, 4).paragraphs[0]
    p._p.append(_sym("F0FE"))
    p.add_run("政府网站")
    p._p.append(_sym("F0A8"))
    p.add_run("两微一端")
    p = t.cell(3, 4).paragraphs[0]
    p._p.append(_content_control_box(True))
    p.add_run("政府网站")
    p._p.append(_content_control_box(False))
    p.add_run("公报")
    p = t.cell(4, 4).paragraphs[0]
    for r in _form_field_box(True):
        p._p.append(r)
    p.add_run("政府网站")
    for r in _form_field_box(False):
        p._p.append(r)
    p.add_run("公报")
    sym2 = _sym("F052", "Wingdings 2")
    p._p.append(sym2)
    p.add_run("其他")
    d.save(tmp_path / "boxes.docx")
    grid = read_docx(tmp_path / "boxes.docx")
    assert [r[4].text for r in grid.rows[1:]] == [
        "■政府网站□两微一端",
        "■政府网站□两微一端",
        "■政府网站□公报",
        "■政府网站□公报■其他",
    ]


def test_private_use_symbol_characters_in_text(tmp_path):
    d = docx.Document()
    t = _add_table(d, [HEADER, ["1", "概况", "\uf0fe网站\uf0a8公报", "20日"]])
    run = t.cell(1, 2).paragraphs[0].runs[0]
    run.font.name = "Wingdings"
    d.save(tmp_path / "pua.docx")
    assert read_docx(tmp_path / "pua.docx").texts()[1][2] == "■网站□公报"


# --- choosing and continuing tables --------------------------------------------------------------

def test_best_header_wins_and_earlier_tables_are_preamble(tmp_path):
    d = docx.Document()
    d.add_paragraph("目录")
    _add_table(d, [["填表人", "张三", "审核人", "李四"]])
    _add_table(d, [HEADER, ["1", "概况", "职能", "20日"]])
    d.save(tmp_path / "two.docx")
    grid = read_docx(tmp_path / "two.docx")
    assert grid.texts() == [HEADER, ["1", "概况", "职能", "20日"]]
    assert grid.preamble == [(1, "目录"), (2, "填表人 张三 审核人 李四")]


def test_tables_with_a_repeated_header_are_concatenated(tmp_path):
    d = docx.Document()
    _add_table(d, [HEADER, ["1", "概况", "职能", "20日"]])
    d.add_paragraph("")
    _add_table(d, [HEADER, ["2", "领导", "姓名", "20日"]])
    _add_table(d, [["附", "注", "说", "明"]])
    d.save(tmp_path / "pages.docx")
    grid = read_docx(tmp_path / "pages.docx")
    assert [r[0].text for r in grid.rows] == ["序号", "1", "序号", "2"]
    assert [r[0].line for r in grid.rows] == [1, 2, 4, 5]
    assert [(c.row, c.col) for c in grid.rows[3]] == [(3, j) for j in range(4)]


def test_tables_going_on_without_the_header_are_concatenated_while_the_numbers_go_on(tmp_path):
    d = docx.Document()
    _add_table(d, [HEADER, ["1", "概况", "职能", "20日"], ["2", "领导", "姓名", "20日"]])
    d.add_paragraph("")
    _add_table(d, [["2", "", "分工", ""], ["3", "文件", "规章", "20日"]])   # item 2 goes on
    _add_table(d, [["4", "预算", "决算", "20日"]])
    _add_table(d, [["联系电话", "123", "地址", "某路"]])                   # as wide, not numbered
    d.save(tmp_path / "pages.docx")
    grid = read_docx(tmp_path / "pages.docx")
    assert [r[0].text for r in grid.rows] == ["序号", "1", "2", "2", "3", "4"]
    assert [r[0].line for r in grid.rows] == [1, 2, 3, 5, 6, 7]


def test_table_with_other_columns_is_not_appended(tmp_path):
    d = docx.Document()
    _add_table(d, [HEADER, ["1", "概况", "职能", "20日"]])
    _add_table(d, [[*HEADER, "备注"], ["2", "领导", "姓名", "20日", ""]])
    d.save(tmp_path / "other.docx")
    assert len(read_docx(tmp_path / "other.docx").rows) == 2


# --- bad files --------------------------------------------------------------------------------------

def test_truncated_document(tmp_path):
    whole = _merged_document(tmp_path / "whole.docx").read_bytes()
    path = tmp_path / "half.docx"
    path.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(InputError) as e:
        read_docx(path)
    assert e.value.reason.startswith("the document is damaged or truncated")
    assert str(path) in str(e.value)


def test_workbook_renamed_docx(tmp_path):
    import openpyxl

    path = tmp_path / "list.docx"
    openpyxl.Workbook().save(path)
    with pytest.raises(InputError, match="not a Word document: the content is an Excel workbook"):
        read_docx(path)


def test_png_renamed_docx(tmp_path):
    path = tmp_path / "list.docx"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(InputError, match="not a Word document: the content is a PNG image"):
        read_docx(path)


def test_document_without_a_table(tmp_path):
    d = docx.Document()
    d.add_paragraph("目录见附件")
    d.save(tmp_path / "prose.docx")
    with pytest.raises(InputError) as e:
        read_docx(tmp_path / "prose.docx")
    assert e.value.reason == "no table in the document"


def test_looks_like_docx(tmp_path):
    import openpyxl

    path = _merged_document(tmp_path / "a.docx")
    assert looks_like_docx(path.read_bytes(), path)
    xlsx = tmp_path / "b.xlsx"
    openpyxl.Workbook().save(xlsx)
    assert not looks_like_docx(xlsx.read_bytes(), xlsx)
    assert not looks_like_docx("序号,公开事项\n".encode())


def test_text_renamed_docx(tmp_path):
    path = tmp_path / "list.docx"
    path.write_text("序号\t公开事项\n1\t概况\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"not a Word document: the content is not a \.docx package"):
        read_docx(path)
