"""Cell streams → rows: header width, rows of whole cells, fragments grouped into cells."""

from __future__ import annotations

import pytest

from gongkai.errors import InputError
from gongkai.readers.grid import Cell, CellGrid
from gongkai.tabulate.fragments import assign_fragments, fragment_type, join_score, word_piece
from gongkai.tabulate.stream import unstream
from gongkai.tabulate.table import tabulate


def stream(pieces: list[str | int], kind: str = "cells") -> CellGrid:
    """A stream grid: one piece per line; an int is a run of that many padding pipes."""
    g = CellGrid(source="mem.txt", format="pipe-text" if kind == "cells" else "cell-lines",
                 meta={"stream": kind, "collapsed_empty_cells": "possible"})
    for n, p in enumerate(pieces, start=1):
        cell = Cell("", n - 1, 0, n, colspan=p) if isinstance(p, int) else Cell(p, n - 1, 0, n)
        g.rows.append([cell])
    return g


def texts(grid: CellGrid) -> list[list[tuple[int, str]]]:
    return [[(c.col, c.text) for c in row if c.text] for row in grid.rows]


HEADER = ["序号", "公开事项", "公开内容", "公开对象", "一级事项", "二级事项", "全社会", "特定群众"]


def test_width_from_the_header_leaves_and_rows_of_whole_cells():
    g, warnings = unstream(stream(["标题", *HEADER, "1", "救助", "低保", "条件", "√", "",
                                   "2", "", "特困", "条件", "", "√"]))
    assert warnings == []
    assert g.preamble == [(1, "标题")]
    assert g.meta["rows_from_stream"] == "cells" and "stream" not in g.meta
    # the header at the columns of its leaves: 公开事项 over 一级/二级, 公开对象 over its two
    assert [(c.col, c.text, c.colspan) for c in g.rows[0]] == [
        (0, "序号", 1), (1, "公开事项", 2), (3, "公开内容", 1), (4, "公开对象", 2)]
    assert [(c.col, c.text) for c in g.rows[1]] == [(1, "一级事项"), (2, "二级事项"),
                                                    (4, "全社会"), (5, "特定群众")]
    assert texts(g)[2:] == [[(0, "1"), (1, "救助"), (2, "低保"), (3, "条件"), (4, "√")],
                            [(0, "2"), (2, "特困"), (3, "条件"), (5, "√")]]


def test_width_from_the_padding_after_the_top_row():
    # the padding says 7 columns although the header has only 6 leaves (a nameless column)
    pieces = ["序号", "公开事项", "公开内容", "公开对象", 3, "一级事项", "二级事项", "全社会",
              "特定群众", 3, "1", "救助", "低保", "条件", "√", "", "备考", "2", "x"]
    g, _ = unstream(stream(pieces))
    assert texts(g)[2] == [(0, "1"), (1, "救助"), (2, "低保"), (3, "条件"), (4, "√"), (6, "备考")]
    assert texts(g)[3] == [(0, "2"), (1, "x")]
    assert g.meta["ends_mid_row"] == "18"      # the line where that row starts


def test_a_header_repeated_before_each_item_is_kept_as_header_rows():
    g, _ = unstream(stream([*HEADER, "1", "救助", "低保", "条件", "√", "", *HEADER,
                            "2", "", "特困", "条件", "", "√"]))
    assert [row[0].text for row in g.rows] == ["序号", "一级事项", "1", "序号", "一级事项", "2"]
    table = tabulate(g)
    assert [r.values["number"] for r in table.rows] == ["1", "2"]
    assert table.header_lines == [1, 5, 15, 19]
    assert table.rows[1].values["level1"] == "救助" and "level1" in table.rows[1].carried


def test_header_fragments_are_joined_and_notes_dropped():
    g, _ = unstream(stream(["序号", "公开事项", "公开内容", "(要素)", "公开", "时限",
                            "公开渠道和载体", "(在标注范围内至少选择其一公开)", "一级", "事项",
                            "二级", "事项", "1", "类", "名", "内容", "20个工作日内", "■政府网站"],
                           kind="fragments"))
    assert [c.text for c in g.rows[0]] == ["序号", "公开事项", "公开内容(要素)", "公开时限",
                                           "公开渠道和载体"]
    assert [c.text for c in g.rows[1]] == ["一级事项", "二级事项"]


def test_fragments_grouped_into_cells_and_rows_cut_at_item_numbers():
    pieces = ["序号", "公开事项", "公开内容", "公开依据", "公开时限", "公开渠道和载体", "公开对象",
              "一级事项", "二级事项", "全社会", "特定群众",
              "1", "综合", "政策", "1.名称;", "2.文号", "《条例》", "《办法》", "制定之日起10个工作",
              "日 内", "■政府网站 □政府公报", "□两微一端",
              "2", "监督", "地址", "《条例》", "20个工作日内", "■政府网站", "申请人"]
    g, warnings = unstream(stream(pieces, kind="fragments"))
    assert warnings == []
    rows = texts(g)[2:]
    assert rows[0] == [(0, "1"), (1, "综合"), (2, "政策"), (3, "1.名称;\n2.文号"),
                       (4, "《条例》\n《办法》"), (5, "制定之日起10个工作\n日 内"),
                       (6, "■政府网站 □政府公报\n□两微一端")]
    # the second item's category comes from above: its one name is the second level; the
    # text after its channel cell is packed after it (its mark column cannot be known)
    assert rows[1] == [(0, "2"), (2, "监督"), (3, "地址"), (4, "《条例》"), (5, "20个工作日内"),
                       (6, "■政府网站"), (7, "申请人")]
    # a complete row is padded to the width; the last row is left as the file ends it
    assert g.rows[2][-1].colspan == 2 and g.rows[3][-1].text == "申请人"


def test_items_sharing_a_merged_number_are_cut_after_the_check_box_cell():
    pieces = ["序号", "公开事项", "公开内容", "公开依据", "公开渠道和载体",
              "一级事项", "二级事项",
              "1", "普法", "咨询服务", "1.咨询", "《规划》", "■公众号",
              "文化服务", "1.阵地", "《规划》", "■公众号",
              "2", "援助", "援助服务", "1.决定书", "《条例》", "■精准推送"]
    g, _ = unstream(stream(pieces, kind="fragments"))
    table = tabulate(g)
    assert [(r.values["number"], r.values["level1"], r.values["level2"]) for r in table.rows] == [
        ("1", "普法", "咨询服务"), ("2", "普法", "文化服务"), ("3", "援助", "援助服务")]
    assert [r.values.get("source_number") for r in table.rows] == ["1", None, "2"]
    assert any("item numbers repeat" in w for w in table.warnings)


def test_join_score():
    assert join_score("■政府网站", "□两微一端") > 0
    assert join_score("1.名称;", "2.文号") > 0
    assert join_score("● 《条例》", "● 《办法》") > join_score("● 《条例》", "●政府信息公开条例") > 0
    assert join_score("《条例》", "《办法》") > 0
    assert join_score("制定之日起10个工作", "日 内") > 0
    assert join_score("政府网站", "交通部门网站") > 0
    # a list of titles closed by 。 shows no continuation in the next title
    assert join_score("《条例》;《办法》。", "《规定》") < join_score("《条例》;《办法》", "《规定》")
    assert join_score("相关审批部门", "项目单位") < 0
    assert join_score("■投资项目在线审批监管平台", "项目单位") < 0
    # the elements of a content closed by ；go on in the next paragraph; a title or a box does not
    assert join_score("政策依据;", "申请指南：包括补贴对象、补贴标准") > 0
    assert join_score("政策依据;", "《农业生产发展资金管理办法》") < 0
    assert join_score("补贴结果；", "■政府网站") < 0


def test_fragment_type_takes_bare_law_titles_for_citations():
    assert fragment_type("●中华人民共和国政 府信息公开条例") == "citation"
    assert fragment_type("《社会救助暂行办法》") == "citation"
    assert fragment_type("社会救助投诉举报电话") == "text"


def test_assign_fragments_leaves_carried_levels_out_before_content():
    roles = [("number", "number"), ("level1", "text"), ("level2", "text"), ("content", "text"),
             ("legal_basis", "citation"), ("channels", "channels"), ("audience_public", "mark")]
    texts_ = ["4", "服现役注销", "受理部门", "《条例》", "政府网站", "入户/现场"]
    cells = assign_fragments(texts_, roles, carried={"level1"})
    assert [(a, b, roles[j][0]) for a, b, j in cells] == [
        (0, 1, "number"), (1, 2, "level2"), (2, 3, "content"), (3, 4, "legal_basis"),
        (4, 6, "channels")]
    # the first row has nothing above it to carry: its first name is the category
    cells = assign_fragments(["1", "综合", "政策", "内容", "《条例》", "■网站"], roles, carried=set())
    assert [roles[j][0] for _, _, j in cells] == ["number", "level1", "level2", "content",
                                                  "legal_basis", "channels"]


NAMED_HEADER = ["序号", "公开事项", "公开内容(要素)", "公开依据", "公开时限", "公开主体", "公开渠道和载体",
                "一级事项", "二级事项"]


def test_a_category_wrapped_into_two_short_paragraphs_is_one_cell():
    # a narrow 一级 cell breaks 财政资金 into two words; read as 一级 and 二级, the item's name
    # would go into the content and its content be glued to its legal basis
    pieces = [*NAMED_HEADER,
              "1", "财政", "资金", "省级资金分配情况", "《预算法》;《预算法实施条例》。", "《信息公开条例》",
              "信息形成之日起20个工作日内", "县财政局", "■政府网站",
              "2", "县级资金分配情况", "分配方案;分配结果。", "《信息公开条例》",
              "信息形成之日起20个工作日内", "县财政局", "■政府网站",
              # two short words starting a later row are a new category and its item
              "3", "预算", "决算", "决算报告。", "《预算法》", "20个工作日内", "县财政局", "■政府网站"]
    g, warnings = unstream(stream(pieces, kind="fragments"))
    assert warnings == []
    rows = texts(g)[2:]
    assert rows[0][:5] == [(0, "1"), (1, "财政\n资金"), (2, "省级资金分配情况"),
                           (3, "《预算法》;《预算法实施条例》。"), (4, "《信息公开条例》")]
    assert rows[1][:4] == [(0, "2"), (2, "县级资金分配情况"), (3, "分配方案;分配结果。"), (4, "《信息公开条例》")]
    assert rows[2][:4] == [(0, "3"), (1, "预算"), (2, "决算"), (3, "决算报告。")]
    table = tabulate(g)
    assert [(r.values["level1"], r.values["level2"]) for r in table.rows] == [
        ("财政\n资金", "省级资金分配情况"), ("财政\n资金", "县级资金分配情况"), ("预算", "决算")]


def test_only_short_words_of_a_name_column_make_a_wrapped_name():
    roles = [("number", "number"), ("level1", "text"), ("level2", "text"), ("content", "text"),
             ("legal_basis", "citation"), ("channels", "channels")]
    assert word_piece("法规") and word_piece("政策 ")
    assert not word_piece("综合业务") and not word_piece("法\n规") and not word_piece("《法》") and not word_piece("5")
    # a longer first line is a category of its own, even with a surplus fragment after it
    cells = assign_fragments(["1", "综合业务", "政策", "名称说明", "《条例》;《办法》。", "《规定》", "■网站"],
                             roles, carried=set())
    assert [(a, b, roles[j][0]) for a, b, j in cells][1:3] == [(1, 2, "level1"), (2, 3, "level2")]
    # the same row with two short words: one category, and the rest of the row in its columns
    cells = assign_fragments(["1", "综合", "政策", "名称说明", "《条例》;《办法》。", "《规定》", "■网站"],
                             roles, carried=set())
    assert [(a, b, roles[j][0]) for a, b, j in cells] == [
        (0, 1, "number"), (1, 3, "level1"), (3, 4, "level2"), (4, 5, "content"), (5, 6, "legal_basis"),
        (6, 7, "channels")]


def test_a_stream_without_header_is_returned_unchanged():
    g = stream(["一", "二", "三"])
    out, warnings = unstream(g)
    assert out is g and warnings == []


@pytest.mark.parametrize("kind", ["cells", "fragments"])
def test_tabulate_accepts_streams_directly(kind):
    pieces = [*HEADER, "1", "救助", "低保", "条件", "√", ""]
    if kind == "fragments":
        pieces = [*HEADER, "1", "救助", "低保", "条件"]
    table = tabulate(stream(pieces, kind))
    assert table.rows[0].values["level2"] == "低保"


def test_fragments_without_numbers_or_boxes_are_refused_not_read_as_one_row():
    # read as one row, the text of the other rows would be lost in its cells
    pieces = ["公开事项", "公开内容", "公开依据"] + ["低保", "申请条件", "《条例》"] * 4
    with pytest.raises(InputError, match="nothing tells this table's rows apart") as e:
        unstream(stream(pieces, kind="fragments"))
    assert e.value.row is not None and "12 text fragments for 3 columns" in e.value.reason
    # a row's worth of fragments is one row, as before
    g, _ = unstream(stream(["公开事项", "公开内容", "公开依据", "低保", "申请条件", "《条例》"],
                           kind="fragments"))
    assert len(g.rows) == 2


def test_sub_headers_not_known_before_item_one_are_header_cells():
    # 片区级 is no header word: between the last header cell and item 1 it is a sub-header
    # of 公开层级, a column of its own, not the start of a row
    pieces = ["序号", "公开事项", "公开内容", "公开层级", "一级事项", "二级事项", "县级", "片区级",
              "1", "救助", "低保", "条件", "√", "√"]
    g, _ = unstream(stream(pieces, kind="fragments"))
    assert [c.text for c in g.rows[1]] == ["一级事项", "二级事项", "县级", "片区级"]
    assert texts(g)[2][:4] == [(0, "1"), (1, "救助"), (2, "低保"), (3, "条件")]
    table = tabulate(g)
    assert (table.rows[0].values["level2"], table.rows[0].values["content"]) == ("低保", "条件")


def test_a_header_word_not_known_between_known_ones_is_a_column():
    pieces = ["序号", "事项名称", "内容细目", "公开主体", "公开时限", "1", "登记", "名称、地址",
              "县民政局", "20个工作日内"]
    g, _ = unstream(stream(pieces))
    assert [c.text for c in g.rows[0]] == ["序号", "事项名称", "内容细目", "公开主体", "公开时限"]
    assert texts(g)[1] == [(0, "1"), (1, "登记"), (2, "名称、地址"), (3, "县民政局"), (4, "20个工作日内")]


def test_a_header_note_broken_over_two_fragments_is_dropped():
    pieces = ["序号", "公开事项", "公开渠道和载体(“■”表示必选", "项,“□”表示可选项)", "公开对象",
              "一级事项", "二级事项", "1", "救助", "低保", "■政府网站", "全社会"]
    g, _ = unstream(stream(pieces, kind="fragments"))
    assert [c.text for c in g.rows[0]][1:] == ["公开事项", "公开渠道和载体", "公开对象"]
    assert texts(g)[2][:3] == [(0, "1"), (1, "救助"), (2, "低保")]


def test_headers_mixed_with_other_text_are_refused():
    # a page kept in its printed layout: the header's words are spread among the cells
    pieces = ["公开事项", "公开对象", "公开层级", "类", "公开内容", "垃圾在", "公开依据", "公开时限",
              "中转站", "1.基本信息"]
    with pytest.raises(InputError, match="column headers are mixed with other text") as e:
        unstream(stream(pieces, kind="fragments"))
    assert e.value.row == 5


def test_a_directory_catalogue_with_rows_under_a_merged_number():
    """A 清单目录 one cell per paragraph: a 分类, four directory levels that most rows leave
    empty (nothing is left of them), the item named in its 公开事项 column, and a row without a
    序号 under a merged one (its 序号, 分类 and 公开依据 merged from the row above)."""
    from gongkai.fields.parse import build_list

    pieces = ["序号", "分类", "一级目录", "二级目录", "三级目录", "四级目录", "公开依据", "公开事项",
              "事项内容", "公开时限", "公开主体",
              "1", "财政信息", "《预算法》", "部门预算", "本部门年度预算报表及说明", "批准后20日内", "财政科",
              "2", "人事信息", "招录公告", "《公务员法》", "招录公告", "招录职位、人数、条件",
              "发布前5个工作日内", "人事科",
              "录用公示", "录用公示", "拟录用人员名单、考察情况", "录用前7日内", "人事科",
              "3", "规划信息", "发展规划", "五年规划", "《城乡规划法》", "五年规划纲要", "规划纲要全文及图件",
              "批准后20个工作日内", "规划科"]
    g, warnings = unstream(stream(pieces, kind="fragments"))
    assert any("without an item number under a merged one" in w for w in warnings)
    table = tabulate(g)
    dl = build_list(table, source_file="mem.txt", bureau="示例局")
    assert [(it.number, it.extra.get("source_number"), it.level2) for it in dl.items] == [
        (1, "1", "部门预算"), (2, "2", "招录公告"), (3, "2", "录用公示"), (4, "3", "五年规划纲要")]
    under = dl.items[2]
    assert (under.extra["category"], under.legal_basis, under.content, under.publisher) == (
        "人事信息", "《公务员法》", "拟录用人员名单、考察情况", "人事科")
    assert under.time_limit is not None and under.time_limit.raw == "录用前7日内"
    # a category of its own starts the levels anew; a deeper directory level is kept as data
    last = dl.items[3]
    assert (last.level1, last.extra["category"], last.extra["directory_level2"]) == ("发展规划", "规划信息", "五年规划")
    assert dl.items[0].level1 is None and dl.items[0].content == "本部门年度预算报表及说明"
