"""Field parsers on arbitrary text: every cell text gives a value, never an exception.

The field parsers are pure functions from a cell's text to model values; a list with one
odd cell must still load. Hypothesis draws texts from two sources: any Unicode text, and
text built from the pieces the parsers look for (numerals, units, brackets, document
numbers, check boxes, labels, pinyin glosses), which reaches far deeper into them.
"""

from __future__ import annotations

import datetime as dt

from fuzzing import fuzz, time_bound
from hypothesis import given
from hypothesis import strategies as st

from gongkai.deadlines.due import due_date
from gongkai.fields.channels import parse_channels
from gongkai.fields.citations import find_articles, parse_doc_number, split_citations
from gongkai.fields.marks import audience_from, mark_value, mode_from
from gongkai.fields.metadata import parse_date, parse_list_metadata
from gongkai.fields.timelimits import MAX_AMOUNTS, parse_time_limit, plausible, unparsed_reason
from gongkai.text import clean, cn_number, fold, halfwidth, key, simplify, strip_pinyin_glosses

#: pieces of what real cells hold, for the parsers to bite on
PIECES = [
    "形成或变更之日起", "自", "信息形成之日起", "文件印发后", "财政部门批复后", "受理后", "作出决定之日起",
    "20", "２０", "5", "0", "1000000", "99999999999999999999", "二十", "十五", "一百零三", "两", "千百十",
    "个", "個", "工作日", "日", "天", "周", "星期", "个月", "月", "年", "年度", "内", "前", "每年", "次年",
    "1月31日", "6月30日", "13月32日", "二月三十日", "实时", "及时", "同步", "永久", "长期", "每季度", "半年",
    "（法律、法规对政府信息公开期限另有规定的，从其规定）", "另有规定的，从其规定", "；", "。", "，", "、",
    "《", "》", "〈", "〉", "〔", "〕", "[", "]", "（", "）", "(", ")", "【", "】", "“", "”", "\"",
    "《中华人民共和国政府信息公开条例》", "第十九条", "第二十条第二款", "第3条", "第一百零一条第（三）项",
    "国务院令第711号", "财预〔2016〕143号", "国办发〔2019〕54号", "令第", "号", "公布", "修订", "中华人民共和国",
    "■", "□", "☑", "☐", "√", "✓", "×", "口", "þ", "▄", "政府网站", "两微一端", "政务新媒体", "其他",
    "1.", "2、", "①", "⑵", "<br>", "<input type=checkbox checked>", "</", ">",
    "全社会", "特定群体", "主动", "依申请", "社会公众",
    "责任单位：", "填表人：", "审核人：", "发布日期：", "2021年6月16日", "2024.3.1", "2026-01-05",
    "一级事项", "二级事项", "共", "项", "目录", "清单", "示例县民政局",
    "網(wǎng)站", "鎮(zhèn)", "(试行)", "ü", "ǎ",
    " ", "  ", "\u3000", "\u00a0", "\u200b", "\n", "\t", "\r", "\ufeff", "\x00", "\x0c",
    "²", "①", "٣", "𝟙", "﹝", "﹞",
]

texts = st.one_of(
    st.text(max_size=200),
    st.lists(st.sampled_from(PIECES) | st.text(max_size=3), max_size=40).map("".join),
)


@fuzz(400)
@given(texts)
def test_time_limits_parse_any_text_and_stay_within_the_bounds(text):
    with time_bound():
        tl = parse_time_limit(text)
        for limit in (tl, *tl.parts):
            if limit.kind == "period":
                assert plausible(limit.amount, limit.unit), limit
                assert limit.amount <= max(MAX_AMOUNTS.values())
        if not tl.parsed:
            assert unparsed_reason(tl)
        due = due_date(tl, dt.date(2026, 1, 5))
        assert due.date is not None or due.reason


@fuzz(300)
@given(texts)
def test_citations_parse_any_text(text):
    with time_bound():
        split_citations(text)
        parse_doc_number(text)
        parse_doc_number(text, last=True)
        find_articles(text)


@fuzz(300)
@given(texts)
def test_channels_and_marks_parse_any_text(text):
    with time_bound():
        parse_channels(text)
        assert mark_value(text) in (True, False, None)
        audience_from(text)
        mode_from(text)


@fuzz(200)
@given(st.lists(texts, max_size=8))
def test_list_metadata_parses_any_lines(lines):
    with time_bound():
        parse_list_metadata(list(enumerate(lines, 1)))
        for line in lines:
            parse_date(line)


@fuzz(300)
@given(texts)
def test_text_cleaning_takes_any_text(text):
    with time_bound():
        cleaned = clean(text)
        assert cleaned == cleaned.strip()
        fold(text)
        key(text)
        halfwidth(text)
        simplify(text)
        strip_pinyin_glosses(text)
        n = cn_number(text)
        assert n is None or n >= 0
