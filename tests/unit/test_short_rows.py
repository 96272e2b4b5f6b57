"""Rows of a text copy that left out their empty or merged cells: each cell in its column."""

from __future__ import annotations

from pathlib import Path

from gongkai.fields.parse import build_list
from gongkai.readers.pipe_text import read_pipe_text
from gongkai.tabulate.table import tabulate


def table(tmp_path: Path, text: str):
    path = tmp_path / "list.txt"
    path.write_text(text, encoding="utf-8")
    return tabulate(read_pipe_text(path))


def items(tmp_path: Path, text: str):
    return build_list(table(tmp_path, text), source_file="list.txt", bureau="示例局").items


def test_an_empty_numbered_row_without_padding_ends_at_the_next_number(tmp_path):
    # 序号 beside a parent header over three levels; rows without their empty cells, one row
    # left empty on the page (`3 |`): the next row is an item of its own, numbered in column 1
    found = items(tmp_path, "序号 | 公开类别及事项 | 公开内容 | 责任科室 |\n"
                            "一级 | 二级 | 三级 |\n"
                            "1 | 机构信息 | 机构职能 | 职能、内设机构 | 办公室 |\n"
                            "2 | 领导信息 | 领导姓名、分工 | 办公室 |\n"
                            "3 |\n"
                            "4 | 政策文件 | 规范性文件 | 本部门制发的规范性文件 | 法规股 |\n"
                            "5 | 工作动态 | 本部门工作动态信息 | 办公室 |\n")
    assert [(it.number, it.level1, it.level2, it.content) for it in found] == [
        (1, "机构信息", "机构职能", "职能、内设机构"),
        (2, "机构信息", "领导信息", "领导姓名、分工"),
        (4, "政策文件", "规范性文件", "本部门制发的规范性文件"),
        (5, "政策文件", "工作动态", "本部门工作动态信息"),
    ]
