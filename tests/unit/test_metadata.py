"""Lines outside the table → ListMetadata."""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai.fields.metadata import ListMetadata, parse_date, parse_list_metadata
from gongkai.model import DeclaredCounts, Person

SEED_PREAMBLE = [
    (1, ""),
    (3, "中卫市云计算和大数据发展局政务公开清单目录"),
    (5, "责任单位: 中卫市云计算和大数据发展局 填表人: 王晓芹 复核人: 孟凡振 审签人: 徐志鹏 填表时间: 2021.6.16"),
    (7, "政府信息: 主动公开一级事项 5 项, 二级事项 18 项; 依申请公开二级事项 0 项"),
]
SEED_PEOPLE = [Person("王晓芹", "filler"), Person("孟凡振", "reviewer"), Person("徐志鹏", "approver")]


def test_seed_heading():
    meta = parse_list_metadata(SEED_PREAMBLE)
    assert meta == ListMetadata(
        title="中卫市云计算和大数据发展局政务公开清单目录",
        bureau_name="中卫市云计算和大数据发展局",
        people=SEED_PEOPLE,
        date=dt.date(2021, 6, 16),
        date_raw="2021.6.16",
        declared=DeclaredCounts(raw="政府信息:主动公开一级事项5项,二级事项18项;依申请公开二级事项0项",
                                level1_active=5, level2_active=18, level2_on_request=0),
        published_date=None,
    )


@pytest.mark.parametrize("lines", [
    # full-width colons, no blanks
    [(1, "责任单位：中卫市云计算和大数据发展局填表人：王晓芹复核人：孟凡振审签人：徐志鹏填表时间：2021.6.16")],
    # one label per line
    [(1, "责任单位：中卫市云计算和大数据发展局"), (2, "填表人：王晓芹"), (3, "复核人：孟凡振"),
     (4, "审签人：徐志鹏"), (5, "填表时间：2021.6.16")],
    # the extraction's spacing artefacts
    [(1, ("责任单位: 中卫 市云 计算 和 大 数 据 发 展 局  "
          "填表人 : 王晓芹 复核人:孟凡振 审签人:徐志鹏 填表时间:2021.6.16"))],
])
def test_label_layouts(lines):
    meta = parse_list_metadata(lines)
    assert meta.bureau_name == "中卫市云计算和大数据发展局"
    assert meta.people == SEED_PEOPLE
    assert meta.date == dt.date(2021, 6, 16)


@pytest.mark.parametrize("text,expected", [
    ("2021.6.16", dt.date(2021, 6, 16)),
    ("2021年6月16日", dt.date(2021, 6, 16)),
    ("2021-06-16", dt.date(2021, 6, 16)),
    ("2021/6/16", dt.date(2021, 6, 16)),
    ("２０２１年６月１６日", dt.date(2021, 6, 16)),
    ("二〇二一年六月十六日", dt.date(2021, 6, 16)),
    ("2021-01-09 14:44", dt.date(2021, 1, 9)),
    ("2021.13.40", None),
    ("不详", None),
    ("", None),
])
def test_parse_date(text, expected):
    assert parse_date(text) == expected


def test_fill_date_keeps_its_raw_text():
    meta = parse_list_metadata([(1, "填表时间：2021年6月16日")])
    assert (meta.date, meta.date_raw) == (dt.date(2021, 6, 16), "2021年6月16日")


@pytest.mark.parametrize("line,expected", [
    ("发布日期:2026-03-07 浏览: 作者: 来源: 打印正文", dt.date(2026, 3, 7)),
    ("发布时间:2021-01-09 14:44来源:政府办访问量:", dt.date(2021, 1, 9)),
    ("作者: 来自: 时间:2023-06-28", dt.date(2023, 6, 28)),
    ("发布日期:2022-09-27 17:26信息来源:政 浏览量: 字号:", dt.date(2022, 9, 27)),
])
def test_published_date_of_web_pages(line, expected):
    meta = parse_list_metadata([(1, line)])
    assert meta.published_date == expected
    assert meta.date is None and meta.title is None


def test_web_page_heading_with_navigation_noise():
    lines = [(2, "打开适老化模式 无障碍浏览 x"), (3, "当前位置: 首 页 >> 荷花镇 >> 正文"),
             (5, "社会救助领域基层政务公开标准目录"), (7, "发布日期:2026-03-07 浏览: 作者: 来源: 打印正文")]
    meta = parse_list_metadata(lines)
    assert meta.title == "社会救助领域基层政务公开标准目录"
    assert meta.published_date == dt.date(2026, 3, 7)
    assert meta.bureau_name is None and meta.people == [] and meta.declared is None


def test_navigation_path_ending_in_a_title_word_is_not_the_title():
    lines = [(1, "当前位置:首页 > 专题专栏 > 三龙镇基层政务公开 > 政务公开标准目录"),
             (2, "公开方式: 主动公开 有效期: 长期有效 公开时限: 长期公开 公开范围: 面向全社会"),
             (3, "救灾领域基层政务公开标准目录")]
    assert parse_list_metadata(lines).title == "救灾领域基层政务公开标准目录"


@pytest.mark.parametrize("lines,title", [
    ([(1, "无障碍浏览"), (2, "赛罕区基层政务公开平台"), (3, "标准目录"), (4, "重大建设项目领域基层政务公开标准目录")],
     "重大建设项目领域基层政务公开标准目录"),
    ([(1, "(二)鳳屯鎮(zhèn)政府文件信息領域基層政務公開標準目錄")], "鳳屯鎮政府文件信息領域基層政務公開標準目錄"),
    ([(1, "| 沅江市衛(wèi)生健康局政府信息主動公開事項目錄 | ||||||||")], "沅江市衛生健康局政府信息主動公開事項目錄"),
    ([(1, "社会保险领域基层政务公开标准目录(试行) | ||||||||||||||")], "社会保险领域基层政务公开标准目录(试行)"),
    ([(1, "市城市管理执法局政府信息主动公开基本目录")], "市城市管理执法局政府信息主动公开基本目录"),
    ([(1, "某局政务公开事项清单")], "某局政务公开事项清单"),
    ([(1, "卫生健康领域公共事业单位信息主动公开基本目录")], "卫生健康领域公共事业单位信息主动公开基本目录"),
])
def test_titles(lines, title):
    assert parse_list_metadata(lines).title == title


def test_bureau_from_a_publisher_line():
    meta = parse_list_metadata([(2, "| 公開主體:沅江市衛(wèi)生健康局 | ||||||||")])
    assert meta.bureau_name == "沅江市衛生健康局"


def test_several_people_in_one_role():
    meta = parse_list_metadata([(1, "填表人：张三、李四 复核人：王五")])
    assert meta.people == [Person("张三", "filler"), Person("李四", "filler"), Person("王五", "reviewer")]


@pytest.mark.parametrize("line,counts", [
    ("政府信息: 主动公开一级事项 5 项, 二级事项 18 项; 依申请公开二级事项 0 项", (5, 18, 0)),
    ("政府信息：主动公开一级事项５项，二级事项１８项；依申请公开二级事项２项", (5, 18, 2)),
    ("主动公开一级事项五项，二级事项十八项", (5, 18, None)),
])
def test_declared_counts(line, counts):
    d = parse_list_metadata([(1, line)]).declared
    assert (d.level1_active, d.level2_active, d.level2_on_request) == counts


def test_nothing_known_gives_empty_metadata():
    assert parse_list_metadata([(1, "序号说明见附件"), (2, "")]) == ListMetadata()
    assert parse_list_metadata([]) == ListMetadata()


def test_a_heading_line_that_is_only_a_date_dates_the_list() -> None:
    meta = parse_list_metadata([(2, "示例区教育局义务教育领域基层政务公开标准目录(2023年)"), (3, "主动公开"),
                                (4, "2023.07.01")])
    assert meta.published_date == dt.date(2023, 7, 1) and meta.published_label == "date line"
    assert meta.title == "示例区教育局义务教育领域基层政务公开标准目录(2023年)"
    # a date inside a sentence is no date line
    assert parse_list_metadata([(2, "本目录自2023.07.01起施行")]).published_date is None


def test_labels_and_values_in_the_cells_of_a_pipe_line_before_the_header_read_together(tmp_path) -> None:
    from gongkai.ingest import ingest_file

    page = tmp_path / "page.txt"
    page.write_text(
        "| 索引号: | 0000/2025-01 | 分类: | |\n"
        "| 发布机构: | 示例县自然资源局 | 成文日期: | 2025-12-02 |\n"
        "| 序号 | 公开事项 | 公开内容 | 公开依据 | 公开时限 | 公开主体 |\n"
        "| 1 | 规划文件 | 规划文本 | 《城乡规划法》 | 批准后20个工作日内 | 县自然资源局 |\n"
        "| 2 | 规划许可 | 许可证号 | 《城乡规划法》 | 作出决定之日起7个工作日内 | 县自然资源局 |\n",
        encoding="utf-8")
    dl = ingest_file(page, resolve=False)
    assert dl.bureau.name == "示例县自然资源局" and dl.date == dt.date(2025, 12, 2)
    assert dl.inferred == {"bureau": "page 发布机构", "date": "page 成文日期"}


def test_a_bracketed_responsible_body_in_the_overview_names_the_bureau() -> None:
    meta = parse_list_metadata([(5, "(二)責任主體、公開時限、方式和監督渠道"), (6, "【責任主體】示例區財政局"),
                                (7, "【公開時限】政府信息形成或者變更之日起20個工作日內")])
    assert meta.bureau_name == "示例區財政局"


def test_a_page_line_beginning_with_a_date_and_time_dates_the_list() -> None:
    meta = parse_list_metadata([(2, "示例市政府信息公开事项清单(2017版)"),
                                (4, "2017-09-20 10:30 来源:示例镇 作者:示例镇")])
    assert meta.published_date == dt.date(2017, 9, 20) and meta.page == {"来源": "示例镇", "作者": "示例镇"}
    # a date before words that are not a page's labelled facts is no date line
    assert parse_list_metadata([(3, "2017-09-20 召开会议研究部署")]).published_date is None
