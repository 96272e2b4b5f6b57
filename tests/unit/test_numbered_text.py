"""Catalogues without a table (numbered entries under a 目录 title): read as items, and
pages that only look like one refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from gongkai.errors import InputError
from gongkai.ingest import ingest_file
from gongkai.readers.detect import detect_format

# the shapes of real pages (a 2012 政府信息公开目录 run together on one line; a 基本目录 of
# paragraphs under 一、/（一）), the words invented
ONE_LINE = (
    "# source: https://example.gov.cn/zwgk/mulu.htm\n"
    "标题: 示例乡人民政府政府信息公开目录（试行）\n"
    "发布时间: 2013-05-02 10:00\n"
    "发布机构: 示例乡人民政府\n"
    "当前位置： 首页 政务公开 示例乡人民政府政府信息公开目录（试行） 来源：示例乡人民政府 --> "
    "01机构设置、职能； 02规范性文件； 03发展规划及相关政策； 04统计信息； 05财政预算、决算报告； "
    "06、收费项目、依据、标准； 07、乡村道路建设情况，含30日内的进度； 10、其他应主动公开的信息。 附件下载\n"
)

PARAGRAPHS = """示例市农业农村局政府信息主动公开基本目录(2024版)
发文日期: 2024-03-01 发布机构: 示例市农业农村局

一、机构信息

（一）机构职能。本局职能、内设机构、下属单位。

（二）领导信息。局领导姓名、分工。

二、业务信息

（一）政策文件。本局发布的规范性文件。

（二）项目信息。农业项目的申报、评审和资金安排。

（三）统计数据。主要农产品产量，每年更新。

三、工作年报
"""


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_one_line_catalogue_reads_every_entry_with_its_number(tmp_path: Path) -> None:
    dl = ingest_file(_write(tmp_path, "mulu.txt", ONE_LINE), resolve=False)
    assert dl.source_format == "numbered-text"
    assert [it.number for it in dl.items] == [1, 2, 3, 4, 5, 6, 7, 10]
    names = [it.level2 for it in dl.items]
    assert names[0] == "机构设置、职能"
    assert names[6] == "乡村道路建设情况，含30日内的进度"      # 30 in the text is no entry
    assert names[7] == "其他应主动公开的信息"                   # page furniture after it left out
    assert dl.bureau.name == "示例乡人民政府"
    assert str(dl.date) == "2013-05-02"
    assert any("items 8–9 not found" in w for w in dl.warnings)
    assert any("numbered entries without a table" in w for w in dl.warnings)


def test_paragraph_catalogue_reads_two_levels_and_contents(tmp_path: Path) -> None:
    dl = ingest_file(_write(tmp_path, "jibenmulu.txt", PARAGRAPHS), resolve=False)
    got = [(it.level1, it.level2, it.content) for it in dl.items]
    assert got == [
        ("机构信息", "机构职能", "本局职能、内设机构、下属单位"),
        ("机构信息", "领导信息", "局领导姓名、分工"),
        ("业务信息", "政策文件", "本局发布的规范性文件"),
        ("业务信息", "项目信息", "农业项目的申报、评审和资金安排"),
        ("业务信息", "统计数据", "主要农产品产量，每年更新"),
        ("工作年报", "工作年报", None),        # an entry of the outer numbering with none under it
    ]
    assert dl.bureau.name == "示例市农业农村局"


@pytest.mark.parametrize("text", [
    # a notice: numbered paragraphs, but its title names no catalogue
    "关于做好政务公开工作的通知\n一、提高认识。\n二、明确责任。\n三、突出重点。\n四、加强培训。\n五、强化考核。\n",
    # a guide with a catalogue's word in its title but four entries of each numbering
    ("示例局政府信息公开指南和目录\n（一）受理机构；\n（二）提出申请；\n1、填写申请表；\n2、递交申请表；\n"
     "（三）申请处理；\n（四）收费标准。\n"),
    # numbered entries, but not in sequence (dates and amounts)
    "示例局政府信息公开目录\n2 家庭 15 位 3 人 30 日 8 项 11 次\n",
], ids=["notice", "guide", "numbers-in-text"])
def test_text_that_is_no_catalogue_is_refused(tmp_path: Path, text: str) -> None:
    path = _write(tmp_path, "page.txt", text)
    with pytest.raises(InputError, match="no table recognised"):
        ingest_file(path, resolve=False)


def test_table_with_cells_run_together_is_refused_as_such_not_read_as_numbered_text(tmp_path: Path) -> None:
    text = ("示例县保障性住房领域基层政务公开标准目录\n"
            "序号公开事项公开内容(要素)公开依据公开时限公开主体公开渠道和载体公开对象\n"
            "1法规政策法律法规文件名称;\n2规划计划年度计划;\n3保障标准标准;\n4分配结果名单;\n5退出信息名单;\n")
    path = _write(tmp_path, "nodelim.txt", text)
    assert detect_format(path).format == "undelimited-text"
    with pytest.raises(InputError, match="run together without any delimiter"):
        ingest_file(path, resolve=False)


def test_a_catalogue_numbered_01_twice_over_sent_with_a_report_reads_two_levels(tmp_path: Path) -> None:
    text = ("标题: 关于报备示例县林业局政府信息公开指南和政府信息公开目录的报告\n"
            "发布机构: 示例县林业局\n"
            "正文 --> 县政府办公室：现将我局目录报备如下。 01 机构信息 01 领导分工 02 内设机构 02 政策文件 "
            "03 业务工作 01 造林计划 02 林木采伐许可 03 森林防火 04 林业统计 04 其他信息 示例县林业局政府信息公开指南 "
            "为方便公民获取信息，特编制本指南。一、公开范围 二、公开方式\n")
    dl = ingest_file(_write(tmp_path, "baobei.txt", text), resolve=False)
    assert [(it.level1, it.level2) for it in dl.items] == [
        ("机构信息", "领导分工"), ("机构信息", "内设机构"), ("政策文件", "政策文件"),
        ("业务工作", "造林计划"), ("业务工作", "林木采伐许可"), ("业务工作", "森林防火"),
        ("业务工作", "林业统计"),
        ("其他信息", "其他信息"),          # 04 again: the outer numbering's; the guide after it not the entry's
    ]


def test_a_report_with_numbered_paragraphs_that_mentions_a_catalogue_is_refused(tmp_path: Path) -> None:
    text = ("关于报送政府信息公开目录的报告\n一、高度重视。\n二、认真编制。\n三、及时更新。\n"
            "四、加强监督。\n五、做好培训。\n六、下步打算。\n")
    with pytest.raises(InputError, match="no table recognised"):
        ingest_file(_write(tmp_path, "report.txt", text), resolve=False)
