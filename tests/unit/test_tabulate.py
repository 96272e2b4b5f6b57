"""The tabulator: cell grid → raw rows (header roles, alignment, continuation, carried values)."""

from __future__ import annotations

from pathlib import Path

import pytest

from gongkai import columns
from gongkai.errors import InputError
from gongkai.readers.grid import Cell, CellGrid
from gongkai.readers.text_table import read_text_table
from gongkai.tabulate.cells import cell_type
from gongkai.tabulate.rows import RawTable
from gongkai.tabulate.table import tabulate
from gongkai.text import clean

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "data" / "raw" / "zhongwei-yunjisuan-2021.txt"
FIXTURES = ROOT / "tests" / "fixtures" / "text"

MARK_ROLES = ("audience_public", "audience_specific", "mode_active", "mode_request")


def load(path: Path) -> RawTable:
    return tabulate(read_text_table(path))


def by_number(table: RawTable) -> dict[int, dict[str, str]]:
    return {int(r.values["number"]): r.values for r in table.rows}


def row(table: RawTable, n: int):
    return next(r for r in table.rows if r.values["number"] == str(n))


def grid(*lines: str, source: str = "mem.txt", fmt: str = "text-table") -> CellGrid:
    """A grid from tab-separated lines (line numbers 1..n), like the text-table reader makes."""
    g = CellGrid(source=source, format=fmt)
    for n, line in enumerate(lines, start=1):
        if "\t" in line:
            r = len(g.rows)
            g.rows.append([Cell(t, r, c, n) for c, t in enumerate(line.split("\t"))])
    return g


def marks(values: dict[str, str]) -> dict[str, bool]:
    return {r: values.get(r, "").strip() == "√" for r in MARK_ROLES}


# --- the seed list ------------------------------------------------------------

@pytest.fixture(scope="module")
def seed() -> RawTable:
    return load(SEED)


def test_seed_has_18_items_numbered_in_order(seed):
    assert [r.values["number"] for r in seed.rows] == [str(n) for n in range(1, 19)]
    assert seed.warnings == []
    assert seed.format == "text-table"
    assert seed.header_lines == [9, 10]


def test_seed_roles_put_the_item_number_between_the_levels(seed):
    # 序号 holds the category ordinal (一、二…); the item number has a column of its own
    assert seed.roles == ["ordinal", "level1", "number", "level2", "content", "legal_basis",
                          "time_limit", "publisher", "channels", "audience_public",
                          "audience_specific", "mode_active", "mode_request", "remark"]


def test_seed_level1_categories(seed):
    groups: dict[str, set[int]] = {}
    for n, v in by_number(seed).items():
        groups.setdefault(clean(v["level1"]), set()).add(n)
    assert groups == {"概况信息": {1, 2}, "基本信息": set(range(3, 13)), "重点领域": {13, 14},
                      "综合管理": {15, 16, 17}, "服务公开": {18}}
    # the category is read on the first row of each group and carried down on the others
    firsts = {1, 3, 13, 15, 18}
    for r in seed.rows:
        n = int(r.values["number"])
        assert ("level1" in r.carried) == (n not in firsts)
        assert ("level1" in r.columns) == (n in firsts)
    assert [clean(by_number(seed)[n]["ordinal"]) for n in (1, 2, 3, 13, 15, 18)] == \
        ["一", "一", "二", "三", "四", "五"]


def test_seed_level2_names(seed):
    v = by_number(seed)
    assert clean(v[1]["level2"]) == "机构信息"
    assert clean(v[6]["level2"]) == "行政规范性文件"   # row starting at the number
    assert clean(v[8]["level2"]) == "部门信息"         # row starting one column in
    assert clean(v[18]["level2"]) == "通知公告"


def test_seed_content_and_publisher_across_page_breaks(seed):
    v = by_number(seed)
    assert "本单位内设科室及其职责" in clean(v[1]["content"])
    assert "行政复议、行政诉讼情况" in clean(v[5]["content"])
    assert v[5]["content"].count("\n") == 1       # two fragments, joined with a newline
    assert v[5]["content"].startswith("本单位政府信息公开内容总体落实情况,主动公开情况、\n依申请公开情况")
    assert clean(v[5]["publisher"]) == "中卫市云计算和大数据发展局"
    assert v[5]["publisher"] == "中卫市云计算\n和大数据 发展局"


def test_seed_time_limits(seed):
    v = by_number(seed)
    assert v[2]["time_limit"].endswith("从其规定)")
    assert v[2]["time_limit"].count("\n") == 1
    assert clean(v[5]["time_limit"]) == "每年1月31日前公布"
    assert clean(v[6]["time_limit"]) == "文件印发后5个工作日内"
    assert clean(v[13]["time_limit"]) == "财政部门批复后20日内"


def test_seed_every_item_public_and_active_only(seed):
    for r in seed.rows:
        assert marks(r.values) == {"audience_public": True, "audience_specific": False,
                                   "mode_active": True, "mode_request": False}, r.values["number"]


def test_seed_channels_are_joined_across_pages(seed):
    v = by_number(seed)
    for n in range(1, 19):
        assert "checkbox" in v[n]["channels"] or "■" in v[n]["channels"]
    for n in (2, 5, 7, 12, 17):              # items continued after a page break
        assert v[n]["channels"].count("\n") == 1
        assert v[n]["channels"].rstrip().endswith("其他")
    assert "政务服务中心" in v[2]["channels"].split("\n")[1]


def test_seed_lines_of_each_item(seed):
    lines = {int(r.values["number"]): r.lines for r in seed.rows}
    assert lines == {1: [11], 2: [12, 14], 3: [15], 4: [16], 5: [17, 19], 6: [20], 7: [21, 23],
                     8: [24], 9: [25], 10: [27], 11: [28], 12: [29, 31], 13: [32], 14: [33],
                     15: [35], 16: [36], 17: [37, 39], 18: [40]}


def test_seed_columns_are_positions_in_the_first_row(seed):
    assert row(seed, 1).columns["number"] == 2
    assert row(seed, 6).columns["number"] == 0
    assert row(seed, 8).columns["number"] == 1
    assert row(seed, 1).columns["channels"] == 8
    assert row(seed, 6).columns["mode_active"] == 9


def test_seed_preamble(seed):
    assert [n for n, _ in seed.preamble] == [3, 5, 7]


# --- fixtures: other quirks ---------------------------------------------------

def test_fixture_page_breaks_inside_content_and_legal_basis():
    t = load(FIXTURES / "anlan-shengtai-2022.txt")
    v = by_number(t)
    assert sorted(v) == list(range(1, 9))
    assert t.warnings == []
    assert row(t, 3).lines == [13, 15]
    assert clean(v[3]["content"]) == "建设项目环境影响报告书（表）受理情况、拟批准公示、审批决定及批复文件"
    legal = v[3]["legal_basis"].split("\n")
    assert len(legal) == 2 and "（环办〔2013〕103 号）" in legal[1]
    assert clean(v[7]["content"]).endswith("违法事实、处罚依据及结果")
    assert row(t, 7).lines == [19, 21]
    assert v[7]["channels"].count("\n") == 1 and "信用中国（安澜）" in v[7]["channels"]
    groups: dict[str, set[int]] = {}
    for n, vals in v.items():
        groups.setdefault(clean(vals["level1"]), set()).add(n)
    assert groups == {"机构职能": {1, 2}, "环境管理": {3, 4, 5, 6}, "监督执法": {7, 8}}


def test_fixture_on_request_specific_groups_and_several_channels():
    t = load(FIXTURES / "anlan-shengtai-2022.txt")
    v = by_number(t)
    assert marks(v[4]) == {"audience_public": False, "audience_specific": True,
                           "mode_active": False, "mode_request": True}
    assert marks(v[6]) == {"audience_public": True, "audience_specific": True,
                           "mode_active": True, "mode_request": False}
    assert marks(v[8]) == {"audience_public": False, "audience_specific": True,
                           "mode_active": True, "mode_request": False}
    assert v[5]["channels"].count("■") == 3
    assert v[6]["channels"].count('checked=""') == 2
    assert v[8]["channels"].startswith("<ul")
    assert clean(v[6]["remark"]) == "涉密内容除外"
    assert [clean(v[n]["publisher"]) for n in range(1, 9)] == ["安澜市生态环境局"] * 8


def test_fixture_without_level1_column_and_with_repeated_header():
    t = load(FIXTURES / "qinghe-jiaoyu-2023.txt")
    assert t.roles == ["number", "item", "content", "legal_basis", "time_limit", "publisher",
                       "channels", "audience_public", "audience_specific", "mode_active",
                       "mode_request", "remark"]
    assert t.header_lines == [8, 9, 16, 17]
    assert t.warnings == []
    v = by_number(t)
    assert sorted(v) == list(range(1, 8))
    assert [clean(v[n]["item"]) for n in (1, 5, 6)] == ["招生入学", "教育经费统计", "校园安全事件处置"]
    assert all(not r.carried for r in t.rows)
    # item 5 continues on the second page, after the repeated header
    assert row(t, 5).lines == [14, 18]
    assert clean(v[5]["content"]).endswith("生均公用经费标准")
    assert "公开查阅点" in v[5]["channels"].split("\n")[1]
    assert clean(v[1]["remark"]) == "每学年更新"
    assert clean(v[3]["remark"]) == "涉及个人隐私的不公开身份证号"
    assert clean(v[6]["remark"]) == "仅向当事人提供"
    assert v[2]["remark"] == ""
    assert marks(v[6]) == {"audience_public": False, "audience_specific": True,
                           "mode_active": False, "mode_request": True}
    assert marks(v[3])["audience_specific"] and marks(v[3])["mode_active"]


def test_fixture_same_as_above_tiers_and_cut_off_last_row():
    t = load(FIXTURES / "chengxi-shichang-2021.txt")
    v = by_number(t)
    assert sorted(v) == list(range(1, 10))
    assert t.roles[-2:] == ["level_county", "level_township"]
    # 同上 takes the value of the item above, resolved, and is recorded as carried
    assert v[2]["legal_basis"] == v[1]["legal_basis"]
    assert v[2]["time_limit"] == v[1]["time_limit"]
    assert {"legal_basis", "time_limit"} <= row(t, 2).carried
    assert v[3]["time_limit"] == v[1]["time_limit"]
    assert "legal_basis" not in row(t, 3).carried
    assert clean(v[5]["time_limit"]) == "抽查结束后20个工作日内"
    assert v[8]["legal_basis"] == v[7]["legal_basis"]
    assert not any("同上" in val for r in t.rows for val in r.values.values())
    # 县级 / 乡级 marks keep their columns
    assert [(v[n]["level_county"].strip(), v[n]["level_township"].strip()) for n in (1, 2, 4, 6)] == \
        [("√", "√"), ("√", ""), ("√", "√"), ("√", "√")]
    assert row(t, 5).lines == [13, 15]
    assert [clean(v[n]["level1"]) for n in (3, 6, 9)] == ["行政许可", "监督检查", "行政处罚"]
    # the file ends inside item 9: kept, warned about, nothing invented
    last = row(t, 9)
    assert clean(last.values["legal_basis"]).endswith("《食品安全抽样检验管理办法》")
    assert last.values["time_limit"] == "" and last.values["channels"] == ""
    assert [w for w in last.warnings if "line 19" in w and "ends inside" in w]
    assert t.warnings == []
    assert all(not r.warnings for r in t.rows[:-1])


def test_fixture_without_number_column():
    t = load(FIXTURES / "yunling-yingji-2022.txt")
    assert "number" not in t.roles
    assert t.roles == ["level1", "level2", "content", "legal_basis", "time_limit", "publisher",
                       "channels", "audience", "remark"]   # 公开方式 holding check boxes = channels
    assert [r.values["number"] for r in t.rows] == ["1", "2", "3", "4", "5", "6"]
    assert any("no item-number column" in w for w in t.warnings)
    v = by_number(t)
    assert [clean(v[n]["level2"]) for n in range(1, 7)] == [
        "应急预案", "预警信息", "避险转移安置", "救灾资金物资发放", "因灾倒损住房恢复重建", "捐赠款物管理"]
    assert [clean(v[n]["level1"]) for n in range(1, 7)] == ["应急管理"] * 3 + ["救灾救助"] * 3
    assert [("level1" in r.carried) for r in t.rows] == [False, True, True, False, True, True]
    assert v[3]["legal_basis"] == "《自然灾害救助条例》\n《国家自然灾害救助应急预案》"
    assert row(t, 3).lines == [12, 14]
    assert clean(v[3]["audience"]) == "特定群体（受灾群众）"
    assert clean(v[2]["remark"]) == "通过应急广播同步播发"


# --- behaviour on small grids -------------------------------------------------

HEAD = "序号\t公开事项\t公开内容\t公开依据\t公开时限\t公开渠道\t公开对象\t公开方式"


def test_plain_grid_aligned_by_position_with_text_mode_and_audience():
    t = tabulate(grid(
        "某局政务公开目录",
        HEAD,
        "1\t机构信息\t职能\t《条例》\t20个工作日内\t政府网站\t全社会\t主动公开",
        "2\t领导信息\t姓名\t《条例》\t20个工作日内\t政府网站\t特定群体\t依申请公开",
    ))
    assert t.roles == ["number", "item", "content", "legal_basis", "time_limit", "channels",
                       "audience", "mode"]
    assert [r.values["mode"] for r in t.rows] == ["主动公开", "依申请公开"]
    assert [r.lines for r in t.rows] == [[3], [4]]
    assert t.header_lines == [2]


def test_same_as_above_without_a_row_above_is_a_warning_and_no_value():
    # not a legal source named 同上: the item has no legal basis, which validation reports
    t = tabulate(grid(HEAD, "1\t机构信息\t职能\t同上\t20个工作日内\t政府网站\t全社会\t主动公开"))
    assert t.rows[0].values["legal_basis"] == ""
    assert "legal_basis" not in t.rows[0].carried
    assert any("同上" in w for w in t.rows[0].warnings)


def test_category_heading_rows_and_mixed_number_column():
    t = tabulate(grid(
        "序号\t公开事项\t\t公开内容\t公开依据\t公开时限",
        "\t一级事项\t二级事项\t\t\t",
        "一\t概况信息\t\t\t\t",
        "1\t\t机构信息\t职能\t《条例》\t20个工作日内",
        "2\t\t领导信息\t姓名\t《条例》\t20个工作日内",
        "二\t基本信息\t\t\t\t",
        "3\t\t政策文件\t文件\t《条例》\t20个工作日内",
    ))
    assert [r.values["number"] for r in t.rows] == ["1", "2", "3"]
    assert [r.values["level1"] for r in t.rows] == ["概况信息", "概况信息", "基本信息"]
    assert all("level1" in r.carried for r in t.rows)
    assert [r.values.get("ordinal") for r in t.rows] == ["一", "一", "二"]


def test_fragments_above_the_first_item_are_joined_to_it():
    t = tabulate(grid(
        "序号\t公开事项\t公开内容\t公开渠道和载体",
        "\t\t\t■ 政府网站",
        "\t\t\t□ 政府公报",
        "1\t机构信息\t职能\t□ 两微一端",
    ))
    assert len(t.rows) == 1
    r = t.rows[0]
    assert r.lines == [2, 3, 4]
    assert r.values["channels"] == "■ 政府网站\n□ 政府公报\n□ 两微一端"
    assert r.values["item"] == "机构信息"
    assert r.warnings


def test_traditional_header_with_pinyin_artefacts_is_recognised():
    t = tabulate(grid(
        "序號\t公開事項\t公開內(nèi)容\t公開依據(jù)\t公開時限",
        "1\t機構信息\t職能\t《條例》\t20個工作日內",
    ))
    assert t.roles == ["number", "item", "content", "legal_basis", "time_limit"]


def test_cut_off_last_row_without_its_channel_cell():
    t = tabulate(grid(
        HEAD,
        "1\t机构信息\t职能\t《条例》\t20个工作日内\t政府网站\t全社会\t主动公开",
        "2\t领导信息\t姓名",
    ))
    assert t.rows[-1].values["content"] == "姓名"
    assert t.rows[-1].values["time_limit"] == ""
    assert any("line 3" in w for w in t.rows[-1].warnings)
    assert not t.rows[0].warnings


def test_no_header_is_an_input_error():
    with pytest.raises(InputError) as e:
        tabulate(grid("标题\t\t", "1\t机构信息\t职能", source="x.txt"))
    assert e.value.file == "x.txt"
    assert "no disclosure-table header found" in e.value.reason


def test_text_without_header_file_is_an_input_error(tmp_path):
    p = tmp_path / "plain.txt"
    p.write_text("某局工作总结\n一、\t基本情况\t良好\n二、\t存在问题\t无\n", encoding="utf-8")
    with pytest.raises(InputError) as e:
        tabulate(read_text_table(p))
    assert e.value.file == str(p)
    assert "公开事项" in e.value.reason


@pytest.mark.parametrize("bad", [
    "2\t领导信息\t■政府网站\t√\t√\t√\t√\t√\t√",     # more cells than columns
    "√\t领导信息\t■政府网站\t√\t\t√\t",                 # a tick before the channel cell
    "2\t■政府网站\t领导信息\t■政府公报\t\t√\t",          # two check-box cells
])
def test_row_that_cannot_be_aligned_names_its_line(bad):
    rows = (
        "序号\t公开事项\t公开渠道和载体\t公开对象\t\t公开方式\t",
        "\t\t\t全社会\t特定群体\t主动\t依申请",
        "1\t机构信息\t■政府网站\t√\t\t√\t",
        bad,
    )
    with pytest.raises(InputError) as e:
        tabulate(grid(*rows, source="bad.txt"), strict=True)
    assert e.value.row == 4
    assert e.value.file == "bad.txt"
    assert "cannot align" in e.value.reason
    # read as it comes: the row is set aside with its line, text and the same reason
    table = tabulate(grid(*rows, source="bad.txt"))
    assert [r.values["item"] for r in table.rows] == ["机构信息"]
    assert [(u.lines, u.reason) for u in table.unread] == [((4,), e.value.reason)]
    assert "领导信息" in table.unread[0].text


def test_cell_types():
    assert cell_type("12") == "number"
    assert cell_type("三") == "ordinal"
    assert cell_type(" √ ") == "mark"
    assert cell_type('<input type="checkbox"/> 其他') == "channels"
    assert cell_type("■政府网站 □其他") == "channels"
    assert cell_type("（国办发〔2017〕47号）") == "citation"
    assert cell_type("《中华人民共和国政 府信息公开条例》") == "citation"
    assert cell_type("形成或变 更之日起 20 个工作 日内") == "time"
    assert cell_type("http://www.example.gov.cn/") == "url"
    assert cell_type("机构信息") == "text"
    assert cell_type("  ") == "empty"


def test_column_table_matches_header_variants():
    assert columns.role_for_header("序 号") == "number"
    assert columns.role_for_header("公开内容 (要素)") == "content"
    assert columns.role_for_header("公开内容（要素）") == "content"
    assert columns.role_for_header("全社 会") == "audience_public"
    assert columns.role_for_header("特定群众") == "audience_specific"
    assert columns.role_for_header("依申 请") == "mode_request"
    assert columns.role_for_header("责任单位") == "publisher"
    assert columns.role_for_header("公开主體") == "publisher"
    assert columns.role_for_header("机构信息") is None
    parent = columns.parent_for_header("公开 对象")
    assert parent is not None and parent.children == ("audience_public", "audience_specific")
    assert columns.parent_for_header("公开方式").alone == ("mode", "channels")
    # every synonym names exactly one role
    seen: dict[str, str] = {}
    for r in columns.ROLES:
        for s in r.synonyms:
            key = columns.header_key(s)
            assert seen.setdefault(key, r.role) == r.role, s


def test_a_bracketed_note_after_a_header_still_names_its_column():
    assert columns.role_for_header("公开时限（工作日）") == "time_limit"
    assert columns.role_for_header("公开依据(文件名称及文号)") == "legal_basis"
    assert columns.role_for_header("全社会（√）") == "audience_public"
    assert columns.role_for_header("公开内容（要素）") == "content"   # a synonym with its note
    assert columns.role_for_header("（备注）") is None                  # a note alone names nothing
    assert columns.role_for_header("机构信息（二级）") is None
    t = tabulate(grid("序号\t事项\t公开时限（工作日）\t公开方式及渠道",
                      "1\t机构信息\t20个工作日内\t政府网站、公开栏"))
    assert t.roles == ["number", "item", "time_limit", "channels"]
    assert t.rows[0].values["time_limit"] == "20个工作日内"


def test_gongkai_shixiang_mingcheng_is_the_item_column_alone_or_over_its_levels():
    alone = tabulate(grid("序号\t公开事项名称\t公开内容\t公开时限",
                          "1\t领导信息\t姓名、分工\t20个工作日内",
                          "2\t机构概况\t职责\t20个工作日内"))
    assert alone.roles == ["number", "item", "content", "time_limit"]
    assert [r.values["item"] for r in alone.rows] == ["领导信息", "机构概况"]
    over = tabulate(grid("序号\t公开事项名称\t\t公开内容",
                         "\t一级事项\t二级事项\t",
                         "1\t机关信息\t机关简介\t职能",
                         "2\t机关信息\t负责人信息\t姓名"))
    assert over.roles == ["number", "level1", "level2", "content"]
    assert [r.values["level2"] for r in over.rows] == ["机关简介", "负责人信息"]


def test_an_unknown_sub_header_keeps_its_column_and_its_neighbours_theirs():
    t = tabulate(grid("序号\t公开事项\t公开对象\t\t公开层级\t",
                      "\t\t全社会\t特定群体\t县级政府\t乡级",
                      "1\t机构信息\t√\t\t√\t√",
                      "2\t领导信息\t\t√\t√\t"))
    assert t.roles == ["number", "item", "audience_public", "audience_specific", "other:县级政府",
                       "level_township"]
    assert [(r.values["audience_public"], r.values["audience_specific"]) for r in t.rows] == [
        ("√", ""), ("", "√")]
    assert [(r.values["other:县级政府"], r.values["level_township"]) for r in t.rows] == [
        ("√", "√"), ("√", "")]
    assert any("县级政府" in w and "kept" in w for w in t.warnings)


def test_a_category_column_above_the_first_level_is_a_category_not_a_level():
    t = tabulate(grid("序号\t类别\t一级事项\t二级事项\t公开内容",
                      "1\t基础信息\t机关信息\t机关简介\t职能",
                      "2\t基础信息\t机关信息\t负责人信息\t姓名"))
    assert t.roles == ["number", "category", "level1", "level2", "content"]
    assert [(r.values["category"], r.values["level1"], r.values["level2"]) for r in t.rows] == [
        ("基础信息", "机关信息", "机关简介"), ("基础信息", "机关信息", "负责人信息")]
    assert any("names level1 twice" in w and "category" in w for w in t.warnings)


def test_a_header_with_one_character_misread_names_its_column_and_says_so():
    t = tabulate(grid("序号\t公开事项\t公开内窖\t公开依椐\t公开主休\t公开渠道和载休",
                      "1\t机构信息\t职能\t《中华人民共和国政府信息公开条例》\t本局\t政府网站"))
    assert t.roles == ["number", "item", "content", "legal_basis", "publisher", "channels"]
    assert t.rows[0].values["legal_basis"] == "《中华人民共和国政府信息公开条例》"
    assert sum("misread" in w for w in t.warnings) == 4
    assert columns.misread("被动公开") is None          # not its first character
    assert columns.misread("公开时隈") is None          # 公开时限 or 公开时长: not guessed


def test_bare_numbers_under_a_time_limit_header_naming_its_unit_are_that_many_of_the_unit():
    from gongkai.fields.parse import build_list

    t = tabulate(grid("序号\t公开事项\t公开内容\t公开时限（工作日）",
                      "1\t机构信息\t职能\t20",
                      "2\t领导信息\t姓名\t信息形成之日起10个工作日内"))
    dl = build_list(t, source_file="mem.xlsx", bureau="示例县民政局")
    limits = [i.time_limit for i in dl.items]
    assert [(tl.raw, tl.amount, tl.unit) for tl in limits] == [
        ("20", 20, "working_day"), ("信息形成之日起10个工作日内", 10, "working_day")]
    assert not any("not understood" in w for i in dl.items for w in i.warnings)
    # without a unit in the header, a bare number stays not understood
    plain = build_list(tabulate(grid("序号\t公开事项\t公开时限", "1\t机构信息\t20")),
                       source_file="mem.xlsx", bureau="示例县民政局")
    assert any("not understood" in w for w in plain.items[0].warnings)


def test_an_audience_or_mode_in_words_not_understood_is_kept_and_reported():
    from gongkai.fields.parse import build_list

    t = tabulate(grid("序号\t公开事项\t公开内容\t公开对象\t公开方式",
                      "1\t机构信息\t职能\t本辖区群众\t不予公开",
                      "2\t领导信息\t姓名\t全社会\t主动公开"))
    one, two = build_list(t, source_file="mem.csv", bureau="示例县民政局").items
    assert (one.audience, one.mode) == ([], [])
    assert one.extra["audience"] == "本辖区群众" and one.extra["mode"] == "不予公开"
    assert sum("not understood" in w for w in one.warnings) == 2
    assert (two.audience, two.mode, "audience" in two.extra) == (["public"], ["active"], False)


def test_item_numbers_exported_from_a_float_column_are_numbers():
    from gongkai.fields.parse import build_list

    t = tabulate(grid("序号\t公开事项\t公开内容\t公开时限",
                      "1.0\t机构信息\t职能\t20个工作日内",
                      "2.0\t领导信息\t姓名\t20个工作日内"))
    assert t.roles == ["number", "item", "content", "time_limit"]
    assert t.warnings == []
    dl = build_list(t, source_file="mem.csv", bureau="示例县民政局")
    assert [i.number for i in dl.items] == [1, 2]
    assert not any("not" in w for i in dl.items for w in i.warnings)


def test_unknown_and_duplicate_headers_keep_their_cells():
    t = tabulate(grid(
        "序号\t公开事项\t公开内容\t依据效力\t监督电话\t备注\t备注",
        "1\t机构信息\t职能\t现行有效\t12345\t每年更新\t另见附件",
    ))
    assert t.roles == ["number", "item", "content", "legal_force", "other:监督电话", "remark", "remark_2"]
    v = t.rows[0].values
    assert (v["other:监督电话"], v["remark"], v["remark_2"]) == ("12345", "每年更新", "另见附件")
    assert any("监督电话" in w for w in t.warnings)


def test_merged_cells_from_spreadsheets():
    # what the xlsx / html readers make of merged cells: copies flagged ``spanned``
    def cells(r: int, texts: list[str], spanned: set[int] | None = None) -> list[Cell]:
        return [Cell(t, r, c, r + 1, spanned=c in (spanned or set())) for c, t in enumerate(texts)]

    g = CellGrid(source="m.xlsx", format="xlsx", rows=[
        cells(0, ["序号", "公开事项", "公开事项", "公开内容", "公开对象", "公开对象"], {2, 5}),
        cells(1, ["序号", "一级事项", "二级事项", "公开内容", "全社会", "特定群体"], {0, 3}),
        cells(2, ["1", "概况信息", "机构信息", "职能", "√", ""]),
        cells(3, ["2", "概况信息", "领导信息", "姓名", "√", ""], {1}),
        # item 2 goes on over a second sheet row: number and names merged, more content
        cells(4, ["2", "概况信息", "领导信息", "分工", "√", ""], {0, 1, 2, 4}),
        cells(5, ["3", "基本信息", "政策文件", "文件", "", "√"]),
    ])
    t = tabulate(g)
    assert t.roles == ["number", "level1", "level2", "content", "audience_public", "audience_specific"]
    assert t.warnings == []
    assert [r.values["number"] for r in t.rows] == ["1", "2", "3"]
    assert [r.values["level1"] for r in t.rows] == ["概况信息", "概况信息", "基本信息"]
    assert [r.carried for r in t.rows] == [set(), {"level1"}, set()]
    assert [r.lines for r in t.rows] == [[3], [4, 5], [6]]
    assert t.rows[1].values["content"] == "姓名\n分工"
    assert t.rows[1].values["level2"] == "领导信息"
    assert t.rows[1].values["audience_public"] == "√"


def test_a_category_merged_over_items_of_an_unnumbered_table_names_each_of_them():
    def cells(r: int, texts: list[str], spanned: set[int] | None = None) -> list[Cell]:
        return [Cell(t, r, c, r + 1, spanned=c in (spanned or set())) for c, t in enumerate(texts)]

    g = CellGrid(source="m.xlsx", format="xlsx", rows=[
        cells(0, ["一级事项", "公开内容", "公开时限", "公开渠道"]),
        cells(1, ["机构概况", "科室设置", "20个工作日内", "政府网站"]),
        cells(2, ["服务信息", "医保、价格", "20个工作日内", "现场"]),
        # the category merged over three items, each with cells of its own
        cells(3, ["服务信息", "科室分布", "20个工作日内", "现场"], {0}),
        cells(4, ["服务信息", "服务流程", "10个工作日内", "政府网站"], {0}),
        # one item's content going on over a second sheet row: the rest merged
        cells(5, ["服务信息", "宣传教育", "10个工作日内", "政府网站"], {0, 2, 3}),
    ])
    t = tabulate(g)
    assert [r.values["level1"] for r in t.rows] == ["机构概况", "服务信息", "服务信息", "服务信息"]
    assert [r.values["content"] for r in t.rows] == ["科室设置", "医保、价格", "科室分布", "服务流程\n宣传教育"]
    assert [r.values["time_limit"] for r in t.rows][2:] == ["20个工作日内", "10个工作日内"]
    assert [r.lines for r in t.rows] == [[2], [3], [4], [5, 6]]
    assert [r.carried for r in t.rows][2:] == [{"level1"}, {"level1"}]


def test_a_category_left_blank_over_items_of_a_spreadsheet_names_each_of_them():
    lines = ("一级事项\t公开内容\t公开时限\t公开主体\t公开渠道",
             "机构概况\t科室设置\t20个工作日内\t各医院\t政府网站",
             "服务信息\t医保、价格\t20个工作日内\t各医院\t现场",
             # Excel's CSV export of a merged category: the text in its first row only
             "\t科室分布\t20个工作日内\t各医院\t现场",
             # one item's content going on in a row of its own
             "\t（续）收费标准\t\t\t")
    t = tabulate(grid(*lines, source="list.csv", fmt="csv"))
    assert [r.values["level1"] for r in t.rows] == ["机构概况", "服务信息", "服务信息"]
    assert [r.values["content"] for r in t.rows] == ["科室设置", "医保、价格", "科室分布\n（续）收费标准"]
    assert [r.carried for r in t.rows] == [set(), set(), {"level1"}]
    # a text extraction's rows may be one row broken over lines: not read so
    text = tabulate(grid(*lines))
    assert len(text.rows) == 2


def test_last_row_one_empty_cell_short_is_not_cut_off():
    head = ("序号\t公开事项\t公开内容\t公开渠道和载体\t公开对象\t\t公开方式\t",
            "\t\t\t\t全社会\t特定群体\t主动\t依申请")
    short = tabulate(grid(*head, "1\t机构信息\t职能\t■政府网站\t√\t\t"))       # 7 of 8 cells, ends empty
    assert short.rows[0].warnings == []
    cut = tabulate(grid(*head, "1\t机构信息\t职能\t■政府网站\t√"))           # ends right after a √
    assert any("ends inside" in w for w in cut.rows[0].warnings)
