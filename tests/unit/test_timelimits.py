"""Time-limit cells → TimeLimit. Inputs are cells from the original list and the sample lists."""

from __future__ import annotations

import pytest

from gongkai.fields.timelimits import parse_time_limit

SEED_EXCEPTION = "法律、法规对政府信息公开期限另有规定的，从其规定"


# (cell as written, kind, amount, unit, trigger)
PERIODS = [
    ("形成或变更之日起20个工作日内（法律、法规对政府信息公开期限另有规定的，从其规定）",
     "period", 20, "working_day", "formed-or-changed"),
    # the same cell as the PDF extraction renders it
    ("形成或变 更之日起 20 个工作 日内 (法 律、法规对 政府信息 公开期限 另有规定 的, 从其规 定)",
     "period", 20, "working_day", "formed-or-changed"),
    ("形成之日起5个工作日内", "period", 5, "working_day", "formed"),
    ("文件印发 后 5 个工 作日内", "period", 5, "working_day", "document-issued"),
    ("财政部门 批复后 20 日内", "period", 20, "day", "fiscal-approval"),
    ("信息形成(变更)20个工作日内", "period", 20, "working_day", "formed-or-changed"),
    ("信息形成或变更之日起3个工作日内", "period", 3, "working_day", "formed-or-changed"),
    ("自该信息形成或者变更之日起20个工作日内", "period", 20, "working_day", "formed-or-changed"),
    ("自该信 息形成 或者变 更之日起20个工作日内", "period", 20, "working_day", "formed-or-changed"),
    ("形成或者变更之日起20个工作日内予以公开", "period", 20, "working_day", "formed-or-changed"),
    ("信息形成或变更之日起20个工作日内公开", "period", 20, "working_day", "formed-or-changed"),
    ("信息形成之日起20个工作日内", "period", 20, "working_day", "formed"),
    ("公开事项 信息形成 或变更之 日起20个 工作日内 公开", "period", 20, "working_day", "formed-or-changed"),
    ("信息形成或者变更之日起20个工作日内", "period", 20, "working_day", "formed-or-changed"),
    ("自制作或获取该信息之日起20个工作日内公开", "period", 20, "working_day", "obtained"),
    ("制定或获取信息 之日起10个工作\n\n日 内", "period", 10, "working_day", "obtained"),
    ("制定或获取扶持政策措施之日起10个工作日内", "period", 10, "working_day", "obtained"),
    ("批准后20日内", "period", 20, "day", "approval"),
    ("２０个工作日", "period", 20, "working_day", None),
    ("二十个工作日", "period", 20, "working_day", None),
    ("十五日内", "period", 15, "day", None),
    ("3个月内", "period", 3, "month", None),
    # traditional characters, with the pinyin glosses a mirror site adds
    ("信息形成或變更之日起3個工作日內(nèi)", "period", 3, "working_day", "formed-or-changed"),
    ("自該政府信息形成或者變更之日起20個工作日內。", "period", 20, "working_day", "formed-or-changed"),
]


@pytest.mark.parametrize("text,kind,amount,unit,trigger", PERIODS)
def test_periods(text, kind, amount, unit, trigger):
    tl = parse_time_limit(text)
    assert (tl.kind, tl.amount, tl.unit, tl.trigger) == (kind, amount, unit, trigger)
    assert tl.parts == []


# (cell, kind)
MANNERS = [
    ("实时公开", "immediate"),
    ("及时公开", "timely"),
    ("按进展情况及时公开", "timely"),
    ("与规范性文件同步发布", "synchronous"),
    ("半年至少更新1次", "periodic"),
    ("每季度更新", "periodic"),
    ("永久公开", "permanent"),
    ("长期公开", "permanent"),
]


@pytest.mark.parametrize("text,kind", MANNERS)
def test_kinds_stated_by_a_word(text, kind):
    tl = parse_time_limit(text)
    assert tl.kind == kind
    assert tl.amount is None and tl.unit is None


def test_periodic_keeps_its_frequency():
    assert parse_time_limit("半年至少更新1次").frequency == "半年至少更新1次"
    assert parse_time_limit("实时公开").frequency is None


@pytest.mark.parametrize("text,month,day", [
    ("每年1月31日前公 布", 1, 31),
    ("每年1月31日前", 1, 31),
    ("每年一月三十一日前", 1, 31),
    ("每年３月３１日前公开", 3, 31),
])
def test_annual(text, month, day):
    tl = parse_time_limit(text)
    assert tl.kind == "annual" and tl.unit == "annual"
    assert (tl.annual_month, tl.annual_day) == (month, day)
    assert tl.amount is None
    assert tl.annual_date == f"--{month:02d}-{day:02d}"


def test_seed_cell_keeps_exception_clause_as_written_without_brackets():
    tl = parse_time_limit(
        "形成或变更之日起20个工作日内（法律、法规对政府信息公开期限另有规定的，从其规定）")
    assert tl.exception_clause == SEED_EXCEPTION
    assert tl.raw == "形成或变更之日起20个工作日内（法律、法规对政府信息公开期限另有规定的，从其规定）"


def test_exception_clause_with_half_width_punctuation_and_artefact_spaces():
    tl = parse_time_limit("形成或变 更之日起 20 个工作 日内 (法 律、法规对 政府信息 公开期限 另有规定 的, 从其规 定)")
    assert tl.exception_clause == "法律、法规对政府信息公开期限另有规定的,从其规定"
    assert tl.raw == "形成或变更之日起20个工作日内(法律、法规对政府信息公开期限另有规定的,从其规定)"


def test_long_sentence_with_typo_and_trailing_exception():
    text = ("主动公开信息内容发生变化的,医疗卫生机构应当自该信息形式或者变更之日起20个工作日内予以调整。"
            "法律、法规、规章对更新期限另有规定的,从其规定。")
    tl = parse_time_limit(text)
    assert (tl.kind, tl.amount, tl.unit, tl.trigger) == ("period", 20, "working_day", "formed-or-changed")
    assert tl.exception_clause == "法律、法规、规章对更新期限另有规定的,从其规定"
    assert tl.parts == []
    assert tl.raw == text


def test_no_exception_clause_when_none_written():
    assert parse_time_limit("形成之日起5个工作日内").exception_clause is None


@pytest.mark.parametrize("text,first,second", [
    ("受理后在窗口公示5个工作日；审批结果20个工作日内公开",
     (5, "working_day", "received"), (20, "working_day", "approval")),
    ("受理后公示5个工作日，审批结果作出后20个工作日内公开",
     (5, "working_day", "received"), (20, "working_day", "approval")),
])
def test_two_part_limits(text, first, second):
    tl = parse_time_limit(text)
    assert tl.kind == "period"
    assert (tl.amount, tl.unit, tl.trigger) == first
    assert len(tl.parts) == 2
    assert [(p.amount, p.unit, p.trigger) for p in tl.parts] == [first, second]
    assert tl.parts[0].raw.startswith("受理后") and tl.parts[1].raw.endswith("公开")


def test_two_part_limit_of_different_kinds_takes_the_kind_of_the_first():
    tl = parse_time_limit("实时公开；办结后10个工作日内公开结果")
    assert tl.kind == "immediate"
    assert [p.kind for p in tl.parts] == ["immediate", "period"]
    assert tl.parts[1].amount == 10


@pytest.mark.parametrize("text", ["同上", "见备注", "6月30日前", "2021年底前", "———", "xyz"])
def test_unknown_text_is_unparsed_and_kept(text):
    tl = parse_time_limit(text)
    assert tl.kind == "unparsed"
    assert not tl.parsed
    assert tl.raw == text
    assert tl.amount is None


@pytest.mark.parametrize("text", ["", "   ", "\n", None])
def test_empty_is_unparsed_with_empty_raw(text):
    tl = parse_time_limit(text)
    assert tl.kind == "unparsed" and tl.raw == ""


def test_calendar_year_is_not_a_duration():
    tl = parse_time_limit("2021年1月起每季度更新")
    assert tl.kind == "periodic"
    assert tl.amount is None


def test_an_amount_and_a_yearly_date_after_a_comma_are_two_parts() -> None:
    """形成之日起20个工作日内，每年1月31日前更新: the comma separates two deadlines; neither is lost."""
    from gongkai.fields.timelimits import parse_time_limit

    r = parse_time_limit("形成之日起20个工作日内，每年1月31日前更新")
    assert [(p.kind, p.amount, p.unit, p.annual_date) for p in r.parts] == [
        ("period", 20, "working_day", None), ("annual", None, "annual", "--01-31")]
    assert (r.kind, r.amount, r.trigger) == ("period", 20, "formed")
    # a yearly date alone, or with a clause that states no deadline, is one deadline
    assert parse_time_limit("每年1月31日前公布").parts == []
