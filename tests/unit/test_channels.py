"""Channel cells → ChannelOption list, for every box style seen in real lists."""

from __future__ import annotations

import pytest

from gongkai.fields.channels import parse_channels

FORM = ["中卫市人民政府门户网站", "两微一端", "政府公报", "发布会/听证会", "广播电视", "报刊", "公开查阅点",
        "政务服务中心", "便民服务站", "入户/现场", "社区(村)/企事业单位公示栏", "精准推送(注明)", "其他"]

SEED_HTML = (
    '<input checked="" type="checkbox"/> 中卫市人民政府门 户网站 <input type="checkbox"/> 两微一端 '
    '<input type="checkbox"/> 政府公报 <input type="checkbox"/> 发布会/听证会 <input type="checkbox"/> 广播电视 '
    '<input type="checkbox"/> 报刊 <input type="checkbox"/> 公开查阅点 <input type="checkbox"/> 政务服务中心 '
    '<input type="checkbox"/> 便民服务站 <input type="checkbox"/> 入户/ 现场 <input type="checkbox"/> 社区(村)/ '
    '企事业单位公示栏 <input type="checkbox"/> 精准推送(注明) <input type="checkbox"/> 其他'
)
SEED_GLYPHS = (
    '<ul style="list-style-type: none"> ■中卫市人民政府门户网站 □两微一端□政府公报 □发布会/听证会 □广播电视 '
    '□报刊 □公开查阅点 □政务服务中心 □便民服务站 □入户/现场 □社区（村）/企事业单位公示栏 □精准推送（注明） □其他 '
)
SEED_MIXED = (
    '■中卫市人民政府门户网站 <input type="checkbox"/> 两微一端 <input type="checkbox"/> 政府公报 '
    '<input type="checkbox"/> 发布会/听证会 <input type="checkbox"/> 入户/ 现场 <input type="checkbox"/> 社区（村）/ '
    '企事业单位公示栏 <input type="checkbox"/> 精准推送（注明） <input type="checkbox"/> 其他'
)

# (cell as written, [(label, checked), ...])
CASES = [
    (SEED_HTML, [(label, label == FORM[0]) for label in FORM]),
    (SEED_GLYPHS, [(label.replace("(", "（").replace(")", "）"), label == FORM[0]) for label in FORM]),
    (SEED_MIXED, [("中卫市人民政府门户网站", True), ("两微一端", False), ("政府公报", False),
                  ("发布会/听证会", False), ("入户/现场", False), ("社区（村）/企事业单位公示栏", False),
                  ("精准推送（注明）", False), ("其他", False)]),
    ("☑政府网站 ☐两微一端", [("政府网站", True), ("两微一端", False)]),
    ("■政府网站    ■两微一端    ■纸质媒体    ■公开查阅点  ■政务服务中心■便民服务站   \n\n■投资项目在线审批监管平台",
     [("政府网站", True), ("两微一端", True), ("纸质媒体", True), ("公开查阅点", True),
      ("政务服务中心", True), ("便民服务站", True), ("投资项目在线审批监管平台", True)]),
    ("■ 政府网站", [("政府网站", True)]),
    ("√政府网站 □两微一端", [("政府网站", True), ("两微一端", False)]),
    ("●政府网站 ○两微一端", [("政府网站", True), ("两微一端", False)]),
    ("■政府網(wǎng)站 ■單位/村委會公示欄(電子屏)", [("政府網站", True), ("單位/村委會公示欄(電子屏)", True)]),
    # OCR stand-ins: þ and ▄ for a ticked box, 口 for an empty one, glued or spaced
    ("þ政府网站 口两微一端 ▄便民服务站", [("政府网站", True), ("两微一端", False), ("便民服务站", True)]),
    (("■政府网站 口政府公报\n口两微一端 □发布会/听证会□广播电视 口纸质载体\n□公开查阅点■政府服务中心\n"
      "口便民服务站口入户/现场\n口社区/企事业单位/村公示栏\n口精准推送 口其他"),
     [("政府网站", True), ("政府公报", False), ("两微一端", False), ("发布会/听证会", False),
      ("广播电视", False), ("纸质载体", False), ("公开查阅点", False), ("政府服务中心", True),
      ("便民服务站", False), ("入户/现场", False), ("社区/企事业单位/村公示栏", False),
      ("精准推送", False), ("其他", False)]),
    ("口政府网站 口两微一端", [("政府网站", False), ("两微一端", False)]),
    # 口 inside words is a character, not a box
    ("■政务服务窗口 □出入口公示栏", [("政务服务窗口", True), ("出入口公示栏", False)]),
    ("□口头告知 ■政府网站", [("口头告知", False), ("政府网站", True)]),
    ("政务服务窗口、出入口公示栏", [("政务服务窗口", True), ("出入口公示栏", True)]),
    ("口头告知", [("口头告知", True)]),
    # numbered options: no boxes, every option listed is used
    ("1.政府网站 2.两微一端 3.政务服务中心 4.便民服务站",
     [("政府网站", True), ("两微一端", True), ("政务服务中心", True), ("便民服务站", True)]),
    ("1、政府网站；2、两微一端", [("政府网站", True), ("两微一端", True)]),
    # plain text
    ("政府网站", [("政府网站", True)]),
    ("政府 网站", [("政府网站", True)]),
    ("嵩明政府网站、政务新媒体", [("嵩明政府网站", True), ("政务新媒体", True)]),
    ("政府门户网站、政府采购网", [("政府门户网站", True), ("政府采购网", True)]),
    ("县人民政府网站的县教育局栏目", [("县人民政府网站的县教育局栏目", True)]),
    ("政府网站\n山东政务服务网\n入户/现场", [("政府网站", True), ("山东政务服务网", True), ("入户/现场", True)]),
    ("发布会/听证会，入户/ 现场", [("发布会/听证会", True), ("入户/现场", True)]),
    ("社区（村）/企事业单位公示栏", [("社区（村）/企事业单位公示栏", True)]),
    ("政府网站 / 政务新媒体", [("政府网站", True), ("政务新媒体", True)]),
]


@pytest.mark.parametrize("text,expected", CASES)
def test_options_and_ticks(text, expected):
    assert [(o.label, o.checked) for o in parse_channels(text)] == expected


@pytest.mark.parametrize("text", ["", "   ", "\n", None])
def test_empty_cell_has_no_options(text):
    assert parse_channels(text) == []


@pytest.mark.parametrize("text,label,note", [
    ("■政府网站 □政府公报 ■其他 基层公共服务平台", "其他", "基层公共服务平台"),
    ("■政务服务中心 ■其他基层公共服务平台", "其他", "基层公共服务平台"),
    ("□政府网站 ■精准推送（注明） 短信推送", "精准推送（注明）", "短信推送"),
    ("■其他（注明）：村务微信群", "其他（注明）", "村务微信群"),
])
def test_text_after_an_option_that_takes_a_note_goes_to_note(text, label, note):
    last = parse_channels(text)[-1]
    assert (last.label, last.note, last.checked) == (label, note, True)


def test_options_without_note_have_none():
    assert all(o.note is None for o in parse_channels(SEED_HTML))


def test_raw_keeps_the_fragment_with_its_box():
    options = parse_channels(SEED_MIXED)
    assert options[0].raw == "■中卫市人民政府门户网站"
    assert options[1].raw == '<input type="checkbox"/> 两微一端'
    assert [o.raw for o in parse_channels("□两微一端□政府公报")] == ["□两微一端", "□政府公报"]


def test_box_without_label_is_dropped():
    assert [(o.label, o.checked) for o in parse_channels("■政府网站 □")] == [("政府网站", True)]


def test_text_before_the_first_box_is_kept_unticked():
    options = parse_channels("东城街道政府网 ■政府网站")
    assert [(o.label, o.checked) for o in options] == [("东城街道政府网", False), ("政府网站", True)]
