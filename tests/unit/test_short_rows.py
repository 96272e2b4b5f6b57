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


# 序号 | 公开事项 (一级 | 二级) | 内容 | 依据 | 时限 | 主体 | 渠道 | 公开对象 | 公开方式 | 公开层级 (two each)
WIDE_HEAD = ("序号 | 公开事项 | 公开内容 | 公开依据 | 公开时限 | 公开主体 | 公开渠道和载体 | 公开对象 | 公开方式 "
             "| 公开层级 | ||||\n一级事项 | 二级事项 | 全社会 | 特定群体 | 主动 | 依申请 | 县级 | 乡级 | ||||||\n")
SERVICE = "长期 | 县就业中心 | 政府网站 | √ | √ | √ | √ |"


def test_rows_leaving_out_different_cells_are_aligned_to_the_header_by_content(tmp_path):
    # the first row lacks two mark cells, the second also its number and its merged 一级: no
    # column lines up across the rows, and the citations and marks say where the cells go
    found = items(tmp_path, WIDE_HEAD
                  + f"1 | 就业服务 | 培训信息发布 | 招生指南 | 《职业培训条例》 | {SERVICE} ||\n"
                  f"政策咨询 | 办事指南 | 《就业促进法》 | {SERVICE} ||||\n"
                  f"2 | 职业介绍 | 岗位信息发布 | 招聘单位、岗位要求 | 《就业促进法》 | {SERVICE} ||\n")
    assert [(it.level1, it.level2, it.content, it.legal_basis, it.publisher) for it in found] == [
        ("就业服务", "培训信息发布", "招生指南", "《职业培训条例》", "县就业中心"),
        ("就业服务", "政策咨询", "办事指南", "《就业促进法》", "县就业中心"),
        ("职业介绍", "岗位信息发布", "招聘单位、岗位要求", "《就业促进法》", "县就业中心"),
    ]


def test_rows_without_content_and_basis_keep_their_names_and_their_time_limit(tmp_path):
    # 公开内容 and 公开依据 left empty and left out in every row; the first row has its 一级
    # and 二级, the rows below their 二级 alone (the 一级 merged above)
    head = ("序号 | 公开事项 | 公开内容 | 公开依据 | 公开时限 | 公开主体 | 公开渠道和载体 | 公开对象 | |||\n"
            "一级事项 | 二级事项 | 全社会 | 特定群体 | ||||||||\n")
    rest = "信息形成之日起20个工作日内 | 县交通局 | 政府网站、公示栏 | √ |"
    t = table(tmp_path, head + f"1 | 道路建设 | 建设计划和补助政策 | {rest} ||||\n"
                               f"2 | 道路养护管理 | {rest} |||||\n"
                               f"3 | 交通阻断信息 | {rest} |||||\n")
    assert t.unread == []
    found = build_list(t, source_file="list.txt", bureau="示例局").items
    assert [(it.level1, it.level2, it.content, it.legal_basis) for it in found] == [
        ("道路建设", "建设计划和补助政策", None, None),
        ("道路建设", "道路养护管理", None, None),
        ("道路建设", "交通阻断信息", None, None),
    ]
    assert all(it.time_limit is not None and it.time_limit.amount == 20 for it in found)
    assert [it.publisher for it in found] == ["县交通局"] * 3


def test_one_cell_per_line_rows_under_merged_levels_keep_their_time_limit_in_its_column(tmp_path):
    # three levels, one cell per line; rows 2 and 4 have their 一级 and 二级 merged above and
    # no 公开主体: the time limit goes to its column, the name is the third level
    head = ["序号", "公开事项", "公开内容", "公开时限", "公开主体", "公开渠道和载体", "",
            "一级事项", "二级事项", "三级事项"]
    limit = "信息形成之日起20个工作日内"
    rows = [["1", "机关运转", "综合协调", "机构职能", "机构设置、联系方式", limit, "某街道办", "政府网站"],
            ["2", "规范性文件", "全文公开", limit, "政府网站"],
            ["3", "机关运转", "政务公开", "公开指南", "信息的分类、获取方式", limit, "某街道办", "政府网站"],
            ["4", "公开目录", "信息的索引、名称", limit, "政府网站"]]
    text = "".join(f"{cell} |\n" for cell in head + [c for row in rows for c in row])
    found = items(tmp_path, text)
    assert [(it.level1, it.level3, it.content) for it in found] == [
        ("机关运转", "机构职能", "机构设置、联系方式"),
        ("机关运转", "规范性文件", "全文公开"),
        ("机关运转", "公开指南", "信息的分类、获取方式"),
        ("机关运转", "公开目录", "信息的索引、名称"),
    ]
    assert all(it.time_limit is not None and it.time_limit.amount == 20 for it in found)
