"""The tabulator on web-table extractions: marks of unknown column, padding, levels, numbering."""

from __future__ import annotations

from pathlib import Path

import pytest

from gongkai.fields.parse import build_list, bureau_from_title
from gongkai.readers.pipe_text import read_pipe_text
from gongkai.tabulate.rows import UNPLACED_MARKS
from gongkai.tabulate.table import tabulate

MARKS = ("audience_public", "audience_specific", "mode_active", "mode_request")
# nine columns: every row holds nine pipes (cells, then bare pipes padding the row)
HEAD = ("序号 | 公开事项 | 公开内容 | 公开渠道和载体 | 公开对象 | 公开方式 | |||\n"
        "一级事项 | 二级事项 | 全社会 | 特定群众 | 主动 | 依申请公开 | |||\n")


def table(tmp_path: Path, body: str, head: str = HEAD):
    path = tmp_path / "list.txt"
    path.write_text(head + body, encoding="utf-8")
    return tabulate(read_pipe_text(path))


def test_marks_whose_columns_were_dropped_are_reported_not_guessed(tmp_path):
    t = table(tmp_path, "1 | 规划 | 计划 | 任务量 | ■政府网站 | √ | √ | ||\n")
    row = t.rows[0]
    assert all(row.values[m] == "" for m in MARKS)
    assert row.values[UNPLACED_MARKS] == "√ √"
    assert any("which columns they belong to cannot be known" in w for w in row.warnings)
    dl = build_list(t, source_file="list.txt", bureau="示例局")
    assert dl.items[0].audience == [] and dl.items[0].mode == []
    assert dl.items[0].extra[UNPLACED_MARKS] == "√√"


def test_every_mark_column_ticked_leaves_no_doubt(tmp_path):
    t = table(tmp_path, "1 | 规划 | 计划 | 任务量 | ■政府网站 | √ | √ | √ | √ |\n")
    assert [t.rows[0].values[m] for m in MARKS] == ["√"] * 4
    assert UNPLACED_MARKS not in t.rows[0].values


def test_empty_cells_kept_give_the_marks_their_columns(tmp_path):
    t = table(tmp_path, "1 | 规划 | 计划 | 任务量 | ■政府网站 | √ | | √ | |\n")
    assert [t.rows[0].values[m] for m in MARKS] == ["√", "", "√", ""]
    assert t.rows[0].warnings == []


def test_padding_is_not_a_cut_off_row_but_the_file_ending_inside_one_is(tmp_path):
    t = table(tmp_path, "1 | 规划 | 计划 | 任务量 | ■政府网站 | √ | | √ | |\n"
                        "2 | 计划二 | 任务 | ■政府网站 | √ | | √ | | |\n"
                        "3 | 计划三 | 任务量、开工")
    assert [r.values["number"] for r in t.rows] == ["1", "2", "3"]
    assert t.rows[1].values["level1"] == "规划" and "level1" in t.rows[1].carried
    assert not any("ends inside" in w for r in t.rows[:2] for w in r.warnings)
    assert any("the file ends inside this row" in w for w in t.rows[2].warnings)


def test_rows_spread_over_lines_are_no_page_breaks(tmp_path):
    # a row's second line follows its first: the next row is a new item, not a continuation
    t = table(tmp_path, "1 | 规划 | 计划 |\n任务量 | ■政府网站 | √ | | √ | |\n"
                        "| 计划二 | 任务 | ■政府网站 | √ | | √ | | |\n")
    assert len(t.rows) == 2
    assert t.rows[1].values["number"] == "2"


def test_a_level_named_twice_is_the_next_level(tmp_path):
    head = "序号 | 公开事项 | 公开内容 | |\n一级事项 | 一级事项 | ||\n"
    t = table(tmp_path, "1 | 机构信息 | 机构 | 名称 |\n", head)
    assert t.roles == ["number", "level1", "level2", "content"]
    assert t.rows[0].values["level2"] == "机构"
    assert any("names level1 twice" in w for w in t.warnings)


def test_a_single_category_column_comes_down_to_numbered_rows_without_it(tmp_path):
    head = "序号 | 一级事项 | 公开内容 | 公开时限 |\n"
    t = table(tmp_path, "1 | 服务信息 | 医保 | 20个工作日内 |\n2 | 科室分布 | 20个工作日内 | |\n", head)
    assert t.rows[1].values["level1"] == "服务信息"
    assert "level1" in t.rows[1].carried
    assert t.rows[1].values["content"] == "科室分布"
    dl = build_list(t, source_file="list.txt", bureau="示例局")
    assert dl.warnings == []          # no level-2 column: the category names the item


def test_a_first_row_without_category_takes_its_first_name_as_the_category(tmp_path):
    head = ("序号 | 公开事项 | 公开内容 | 公开渠道和载体 | ||\n"
            "一级事项 | 二级事项 | 三级事项 | |||\n")
    t = table(tmp_path, "1 | 社会保险登记 | 单位参保登记 | 名称 | ■政府网站 | |\n"
                        "2 | 工伤参保登记 | 名称 | ■政府网站 | ||\n", head)
    assert [(r.values["level1"], r.values["level2"], r.values["level3"]) for r in t.rows] == [
        ("社会保险登记", "", "单位参保登记"), ("社会保险登记", "", "工伤参保登记")]
    dl = build_list(t, source_file="list.txt", bureau="示例局")
    assert [it.level2 for it in dl.items] == ["单位参保登记", "工伤参保登记"]
    assert [it.level1 for it in dl.items] == ["社会保险登记", "社会保险登记"]


def test_a_text_under_a_mark_column_is_kept(tmp_path):
    t = table(tmp_path, "1 | 规划 | 计划 | 任务量 | ■政府网站 | 项目单位 | |||\n")
    assert t.rows[0].values[UNPLACED_MARKS] == "项目单位"


def test_marks_written_as_words_or_ocr_boxes(tmp_path):
    t = table(tmp_path, "1 | 规划 | 计划 | 任务量 | ■政府网站 | 是 | 否 | þ | 口 |\n")
    assert [t.rows[0].values[m] for m in MARKS] == ["是", "否", "þ", "口"]
    dl = build_list(t, source_file="list.txt", bureau="示例局")
    assert dl.items[0].audience == ["public"] and dl.items[0].mode == ["active"]


@pytest.mark.parametrize(("title", "bureau"), [
    ("示例縣民政局政府信息主動公開目錄", "示例縣民政局"),
    ("示例县民政局政府信息主动公开目录", "示例县民政局"),
    # a domain's standard directory names a field, not a body: in either script
    ("凤屯镇政府文件信息领域基层政务公开标准目录", None),
    ("鳳屯鎮政府文件信息領域基層政務公開標準目錄", None),
])
def test_bureau_from_title_in_simplified_and_traditional(title, bureau):
    assert bureau_from_title(title) == bureau
