"""Statutory time limits: the table (data/authorities/statutory-limits.csv) and shape L04, which
compares an item's time limit with the limit the law it cites sets."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from gongkai.errors import InputError
from gongkai.legal.limits import LIMITS_FILE, load_limits
from gongkai.legal.registry import load_registry
from gongkai.settings import Settings
from gongkai.validation.inputs import validate_paths

ROOT = Path(__file__).resolve().parents[2]
AUTHORITIES = ROOT / "data" / "authorities"
BASE = ROOT / "tests" / "fixtures" / "broken" / "base.txt"
L04 = "L04-time-limit-within-statutory-limit"

#: the time-limit cells of base.txt, as the PDF-extracted text writes them
GIDR_20_DAYS = "形成或变 更之日起 20 个工作 日内"
BUDGET_20_DAYS = "财政部门 批复后 20 日内"


def test_the_table_holds_the_limits_of_the_regulations_and_the_budget_law() -> None:
    limits = load_limits(AUTHORITIES, load_registry(AUTHORITIES))
    by = {(x.source_id, x.article, x.limit.annual_date or f"{x.limit.amount} {x.limit.unit}") for x in limits}
    assert ("prc-gov-info-disclosure-regs-2019", "第二十六条", "20 working_day") in by
    assert ("prc-gov-info-disclosure-regs-2019", "第四十九条", "--01-31") in by
    assert ("prc-gov-info-disclosure-regs-2019", "第四十九条", "--03-31") in by
    assert ("prc-gov-info-disclosure-regs-2007", "第十八条", "20 working_day") in by
    assert ("prc-budget-law-2018", "第十四条", "20 day") in by
    assert all(x.source.startswith("reference/laws/") for x in limits)


@pytest.mark.parametrize(("cells", "column", "message"), [
    ("no-such-law,第一条,Article 1,period,5,day", "source_id", "no such legal source"),
    ("prc-budget-law-2018,第14条,Article 14,period,20,day", "article", "Chinese numerals"),
    ("prc-budget-law-2018,第十四条,Article 14,period,20,fortnight", "unit", "unit must be"),
    ("prc-budget-law-2018,第十四条,Article 14,annual,,", "annual_date", "--MM-DD"),
])
def test_a_wrong_row_is_refused_naming_its_cell(tmp_path: Path, cells: str, column: str, message: str) -> None:
    for name in ("legal-sources.csv", "organisations.csv"):
        shutil.copy(AUTHORITIES / name, tmp_path / name)
    (tmp_path / LIMITS_FILE).write_text(
        "source_id,article,article_en,kind,amount,unit,wording,source\n" + cells + ",按规定,test\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_limits(tmp_path, load_registry(tmp_path))
    assert err.value.cell == column and message in str(err.value)


def _l04(tmp_path: Path, *changes: tuple[str, str]) -> dict[int, tuple[str, str]]:
    """Validate base.txt with some cells rewritten: {item number: (message zh, message en)} of L04."""
    text = BASE.read_text(encoding="utf-8")
    for old, new in changes:
        assert old in text
        text = text.replace(old, new, 1)
    path = tmp_path / "list.txt"
    path.write_text(text, encoding="utf-8")
    report = validate_paths([path], Settings(root=ROOT))
    return {r.item_number: (r.message_zh, r.message_en) for r in report.results if r.shape_id == L04}


def test_the_base_list_keeps_within_every_statutory_limit(tmp_path: Path) -> None:
    # 20 working days under the Regulations, an annual report by 1月31日 from a department,
    # budgets 20 days after approval under the Budget Law
    assert _l04(tmp_path) == {}


def test_half_yearly_updates_under_the_regulations_name_article_26(tmp_path: Path) -> None:
    found = _l04(tmp_path, (GIDR_20_DAYS, "半年至少更新1次"))
    assert list(found) == [1]
    zh, en = found[1]
    assert "第二十六条" in zh and "无法比较" in zh and "半年至少更新1次" in zh
    assert "Article 26" in en and "not comparable" in en


def test_ten_working_days_under_the_regulations_is_stricter_and_fine(tmp_path: Path) -> None:
    assert _l04(tmp_path, (GIDR_20_DAYS, "10个工作日内")) == {}


def test_thirty_days_for_budget_tables_is_looser_than_article_14(tmp_path: Path) -> None:
    found = _l04(tmp_path, (BUDGET_20_DAYS, "财政部门批复后30日内"))
    assert list(found) == [5]
    zh, en = found[5]
    assert "《中华人民共和国预算法》（2018年）第十四条" in zh and "宽于法定时限" in zh
    assert "Article 14" in en and "looser than the law allows" in en


def test_permanent_disclosure_is_not_comparable(tmp_path: Path) -> None:
    found = _l04(tmp_path, (GIDR_20_DAYS, "长期公开"))
    assert list(found) == [1]
    assert "第二十六条" in found[1][0] and "无法比较" in found[1][0]


def test_thirty_calendar_days_against_working_days_is_not_called_looser(tmp_path: Path) -> None:
    # 20 working days may take more than 30 calendar days around a long holiday: not comparable
    found = _l04(tmp_path, (GIDR_20_DAYS, "30日内"))
    assert list(found) == [1] and "无法比较" in found[1][0]
