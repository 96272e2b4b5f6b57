"""pipe-text reader: cells, padding, rows cut by pipe count, lines broken inside rows, streams."""

from __future__ import annotations

from pathlib import Path

import pytest

from gongkai.errors import InputError
from gongkai.readers.detect import detect_format
from gongkai.readers.pipe_text import looks_like_pipe_text, read_pipe_text, tokenize

RAW = Path(__file__).resolve().parents[2] / "data" / "raw"


def _write(tmp_path: Path, text: str, name: str = "list.txt") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _texts(grid):
    return [[c.text for c in row] for row in grid.rows]


# --- hand-made layouts -----------------------------------------------------------------------

ROWS = """# source: https://example.org/list.html
示例县民政局基层政务公开标准目录
序号 | 公开事项 | 公开内容 | 公开对象 | ||
一级事项 | 二级事项 | 全社会 | 特定群众 | ||
1 | 社会救助 | 低保 | 条件 | √ | |
2 | 特困 | 条件 | √ | ||
"""


def test_rows_padding_and_explicit_empty_cells(tmp_path):
    grid = read_pipe_text(_write(tmp_path, ROWS))
    assert grid.format == "pipe-text"
    assert grid.meta["source_url"] == "https://example.org/list.html"
    assert grid.meta["collapsed_empty_cells"] == "possible"
    assert "stream" not in grid.meta and "ends_mid_row" not in grid.meta
    assert grid.preamble == [(2, "示例县民政局基层政务公开标准目录")]
    assert _texts(grid) == [
        ["序号", "公开事项", "公开内容", "公开对象", ""],
        ["一级事项", "二级事项", "全社会", "特定群众", ""],
        ["1", "社会救助", "低保", "条件", "√", ""],
        ["2", "特困", "条件", "√", ""],
    ]
    # the padding at a row's end is one empty cell spanning the rest of the row
    assert [(c.col, c.colspan) for c in grid.rows[0]] == [(0, 1), (1, 1), (2, 1), (3, 1), (4, 2)]
    assert [(c.col, c.colspan) for c in grid.rows[1]] == [(0, 1), (1, 1), (2, 1), (3, 1), (4, 2)]
    assert [(c.col, c.colspan) for c in grid.rows[3]] == [(0, 1), (1, 1), (2, 1), (3, 1), (4, 2)]
    # "| |" before the end: an empty cell of the row, not padding
    assert [(c.col, c.colspan) for c in grid.rows[2]][-1] == (5, 1)
    assert [r[0].line for r in grid.rows] == [3, 4, 5, 6]


def test_a_row_spread_over_lines_and_a_cell_broken_across_lines(tmp_path):
    text = ("标题 | |||\n"
            "序号 | 公开事项 |\n公开内容 | 公开依据 |\n"
            "1 | 事项一 | 1.名称\n2.简述 | 《条例》 |\n"
            "2 | 事项二 |\n内容 | 《条例》 |\n")
    grid = read_pipe_text(_write(tmp_path, text))
    assert _texts(grid) == [
        ["标题", ""],
        ["序号", "公开事项", "公开内容", "公开依据"],
        ["1", "事项一", "1.名称\n2.简述", "《条例》"],
        ["2", "事项二", "内容", "《条例》"],
    ]
    assert [[c.line for c in row] for row in grid.rows[1:]] == [[2, 2, 3, 3], [4, 4, 4, 5], [6, 6, 7, 7]]


def test_leading_pipe_style_and_a_header_cell_on_the_next_line(tmp_path):
    text = ("| 沅江市示例局目录 | |||\n"
            "| 序號 | 事項名稱 | 公開內容 |\n公開時限 |\n"
            "| 1 | 機構信息 | 職能 | 20個工作日內 |\n")
    grid = read_pipe_text(_write(tmp_path, text))
    assert _texts(grid) == [["沅江市示例局目录", ""], ["序號", "事項名稱", "公開內容", "公開時限"],
                            ["1", "機構信息", "職能", "20個工作日內"]]


def test_the_file_ending_inside_a_row_is_noted_not_completed(tmp_path):
    grid = read_pipe_text(_write(tmp_path, ROWS + "3 | 救灾 | 物资发放名单、数"))
    assert _texts(grid)[-1] == ["3", "救灾", "物资发放名单、数"]
    assert grid.meta["ends_mid_row"] == "7"


def test_one_cell_per_line_is_a_stream_for_the_tabulator(tmp_path):
    text = "目录\n序号 |\n公开事项 |\n公开内容 |\n||\n1 |\n事项 |\n|\n"
    grid = read_pipe_text(_write(tmp_path, text))
    assert grid.meta["stream"] == "cells"
    assert [r[0].text for r in grid.rows] == ["序号", "公开事项", "公开内容", "", "1", "事项", ""]
    # bare pipes: one is an empty cell, more are padding (one cell spanning them)
    assert [r[0].colspan for r in grid.rows] == [1, 1, 1, 2, 1, 1, 1]
    assert grid.preamble == [(1, "目录")]


def test_rows_not_padded_to_one_width_are_a_stream_for_the_tabulator(tmp_path):
    # the header line holds 4 pipes, the row 5 cells over three lines: cut every 4 pipes,
    # a row would begin in the middle of a line
    text = ("序号 | 公开事项 | 公开内容 | 公开对象 |\n"
            "1 | 事项 | 内容 | √ |\n| √ |\n"
            "2 | 事项二 | 内容二 | √ |\n| √ |\n")
    grid = read_pipe_text(_write(tmp_path, text))
    assert grid.meta["stream"] == "cells"
    assert [r[0].text for r in grid.rows][4:9] == ["1", "事项", "内容", "√", ""]
    assert [r[0].line for r in grid.rows][4:10] == [2, 2, 2, 2, 3, 3]


def test_tokens_say_whether_they_begin_a_line():
    tokens, _ = tokenize([(1, "a | b"), (2, "c | d |"), (3, "| e |")], leading_pipe=False)
    assert [(t.text, t.starts_line) for t in tokens] == [
        ("a", True), ("b\nc", False), ("d", False), ("", True), ("e", False)]


def test_a_repeated_header_starts_a_row_even_after_a_short_row(tmp_path):
    text = ("序号 | 公开事项 | 公开内容 | ||\n"
            "1 | 事项 | 内容 | ||\n"
            "| | 续 |\n"
            "序号 | 公开事项 | 公开内容 | ||\n"
            "2 | 事项二 | 内容二 | ||\n")
    grid = read_pipe_text(_write(tmp_path, text))
    assert [r[0].line for r in grid.rows] == [1, 2, 3, 4, 5]
    assert _texts(grid)[2] == ["", "", "续"]


@pytest.mark.parametrize("sub", ["一级事项 | 二级事项 |", "一级事项 | 二级事项 | |", "一级事项 | 二级事项 | ||"])
def test_a_sub_header_row_with_any_padding_is_a_row_of_its_own(tmp_path, sub):
    text = ("公开事项 | 公开内容 | 公开时限 | |\n" + sub + "\n"
            "机关信息 | 机关简介 | 职能 | 20个工作日内 |\n"
            "机关信息 | 负责人 | 姓名 | 20个工作日内 |\n")
    grid = read_pipe_text(_write(tmp_path, text))
    rows = [[c.text for c in row if c.text] for row in grid.rows]
    assert rows[1] == ["一级事项", "二级事项"]
    assert rows[2:] == [["机关信息", "机关简介", "职能", "20个工作日内"],
                        ["机关信息", "负责人", "姓名", "20个工作日内"]]


def test_tokenize_keeps_blank_cells_and_padding_apart():
    tokens, cut = tokenize([(1, "a | | b | |||"), (2, "c")], leading_pipe=False)
    assert [(t.text, t.pad) for t in tokens] == [("a", 0), ("", 0), ("b", 0), ("", 3), ("c", 0)]
    assert cut == 2


def test_no_pipes_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="no '\\|'-separated cells"):
        read_pipe_text(_write(tmp_path, "序号 公开事项\n1 事项\n"))


def test_binary_or_empty_files_are_input_errors(tmp_path):
    with pytest.raises(InputError, match="empty"):
        read_pipe_text(_write(tmp_path, "\n\n"))
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"1 | a |\n2 | \x80\x80 |\n")  # 0x80 starts nothing in UTF-8 or GB18030
    with pytest.raises(InputError, match="nor in GB18030"):
        read_pipe_text(bad)


def test_a_gbk_file_is_read_like_its_utf8_twin(tmp_path):
    """Windows tools on a Chinese system save text as GBK: the same cells come back."""
    utf8, gbk = tmp_path / "utf8.txt", tmp_path / "gbk.txt"
    utf8.write_text(ROWS, encoding="utf-8")
    gbk.write_bytes(ROWS.encode("gb18030"))
    cells = [[[c.text for c in row] for row in read_pipe_text(p).rows] for p in (utf8, gbk)]
    assert cells[0] == cells[1]
    assert any("公开" in t for row in cells[1] for t in row)


# --- recognising the format -------------------------------------------------------------------

def test_looks_like_pipe_text():
    assert looks_like_pipe_text(ROWS.encode())
    assert looks_like_pipe_text("序號 |\n公開事項 |\n公開內容 |\n".encode())
    assert not looks_like_pipe_text("序号\t公开事项\t内容\n1\t事项\t内容\n".encode())
    assert not looks_like_pipe_text(b"<html><body><table><tr><td>a | b</td></tr></table></body></html>")
    assert not looks_like_pipe_text("序号 公开事项\n1 事项\n".encode())


@pytest.mark.parametrize("name", [
    "huangshi-szfgz.txt", "dongguan-dongcheng-bzxzf.txt", "yuanjiang-weijian-trad.txt",
    "jyx-shengtai.txt", "penglai-paichusuo-huji.txt", "sanmen-shehuibaoxian.txt",
    "tengchong-jiuye-ocr.txt", "yunyang-yanglao.txt", "fengtunzhen-trad.txt", "wenshan-shengtai.txt",
    "dongguan-dongcheng-shichangjianguan-trad.txt",
])
def test_the_pipe_lists_of_data_raw_are_detected_as_pipe_text(name):
    assert detect_format(RAW / name).format == "pipe-text"


# --- the real lists ---------------------------------------------------------------------------

def test_sanmen_rows_span_lines_and_cells_hold_line_breaks():
    grid = read_pipe_text(RAW / "sanmen-shehuibaoxian.txt")
    first = next(r for r in grid.rows if r[0].text == "1")
    # 15 pipes a row: 12 cells and padding of 3 (two √ columns were dropped by the extraction)
    assert sum(c.colspan for c in first) == 15
    assert first[3].text.startswith("1.事项名称\n2.事项简述")
    assert first[7].text.startswith("■政府网站 □政府公报\n□两微一端")
    assert [c.text for c in first[8:12]] == ["√"] * 4
    assert grid.meta["ends_mid_row"] == "10"


def test_yunyang_rows_of_four_lines_each():
    grid = read_pipe_text(RAW / "yunyang-yanglao.txt")
    header = grid.rows[1]
    assert [c.text for c in header][:4] == ["序 号", "公开事项", "公开内容 (要素)", "公开依据"]
    assert {c.line for c in header} == {3, 4}
    item2 = next(r for r in grid.rows if r[0].text == "2")
    assert {c.line for c in item2} == {12, 13, 14, 15}


def test_fengtunzhen_one_cell_per_line_keeps_traditional_text():
    grid = read_pipe_text(RAW / "fengtunzhen-trad.txt")
    assert grid.meta["stream"] == "cells"
    assert grid.rows[0][0].text == "序號"
    assert any(r[0].text == "公開內(nèi)容(要素)" for r in grid.rows)
