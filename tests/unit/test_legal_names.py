"""People's words for legal sources and parameters: English titles, names for IRIs, the work
reached when the version cannot be chosen, and parameters that say what they need."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gongkai.cli.common import app
from gongkai.errors import QueryError
from gongkai.legal.registry import registry
from gongkai.legal.resolve import resolve
from gongkai.legal.search import search, target_iri, targets
from gongkai.model import Citation
from gongkai.query.library import library
from gongkai.rdf.iris import IRIs
from gongkai.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = Settings(root=ROOT)
REG = registry(SETTINGS)
IRI = IRIs(SETTINGS.base)


def test_english_title_finds_the_budget_law() -> None:
    assert REG is not None
    (work, how), *_ = search(REG, "Budget Law")
    assert work.id == "prc-budget-law-1994" and how.startswith("English")
    assert search(REG, "budget  law")[0][0].id == "prc-budget-law-1994"


def test_undated_citation_reaches_the_work_not_a_version() -> None:
    assert REG is not None
    r = resolve(Citation(raw="《中华人民共和国预算法》第十四条", title="中华人民共和国预算法"), REG, None)
    assert r.source_id is None and r.work_id == "prc-budget-law-1994" and r.version_undetermined
    assert "date" in r.reason
    dated = resolve(Citation(raw="《中华人民共和国预算法》第十四条", title="中华人民共和国预算法"), REG,
                    dt.date(2022, 3, 1))
    assert dated.source_id == "prc-budget-law-2018" and dated.work_id == "prc-budget-law-1994"


def test_an_unknown_title_reaches_no_work() -> None:
    assert REG is not None
    r = resolve(Citation(raw="《不存在的办法》", title="不存在的办法"), REG, None)
    assert r.source_id is None and r.work_id is None and not r.version_undetermined


def test_document_number_names_a_version_title_names_the_work() -> None:
    assert REG is not None
    (t,) = targets(REG, "国务院令第492号", IRI)
    assert t.version is not None and t.version.id == "prc-gov-info-disclosure-regs-2007"
    t = targets(REG, "政府信息公开条例", IRI)[0]
    assert t.version is None and t.work.id == "prc-gov-info-disclosure-regs-2007"


def test_parameter_by_name_alias_number_initials() -> None:
    assert REG is not None
    budget = str(REG.work_iri("prc-budget-law-2018", IRI))   # a name means the work, its own IRI
    assert budget.endswith("/legal/work/zhonghuarenmingongheguoyusuanfa")
    assert budget != str(REG.iri("prc-budget-law-1994", IRI))
    assert target_iri(REG, "预算法", IRI) == budget
    assert target_iri(REG, "Budget Law", IRI) == budget
    assert target_iri(REG, "国务院令第711号", IRI).endswith("/guowuyuanling/711")
    assert target_iri(REG, "zfxxgktl", IRI).endswith("/legal/work/zhonghuarenmingongheguozhengfuxinxigongkaitiaoli")
    # the work's IRI names the work again
    t = targets(REG, budget, IRI)
    assert len(t) == 1 and t[0].version is None and t[0].work.id == "prc-budget-law-1994"


def test_ambiguous_parameter_lists_the_candidates() -> None:
    assert REG is not None
    with pytest.raises(QueryError, match="户口登记条例") as e:
        target_iri(REG, "条例", IRI)
    assert "政府信息公开条例" in str(e.value)
    with pytest.raises(QueryError, match="3 versions"):
        target_iri(REG, "预算法", IRI, version=True)
    with pytest.raises(QueryError, match="no legal source matches"):
        target_iri(REG, "不存在的办法", IRI)


def test_a_refused_date_says_its_format() -> None:
    q = next(q for q in library(SETTINGS) if any(p.kind == "xsd:date" for p in q.params))
    p = next(p for p in q.params if p.kind == "xsd:date")
    with pytest.raises(QueryError, match="YYYY-MM-DD"):
        p.to_term("2021/6/16")


def test_query_without_its_required_parameter_says_which(tmp_path: Path) -> None:
    r = CliRunner().invoke(app, ["query", "items_relying_on_source"], env={"GONGKAI_BUILD": str(tmp_path)})
    assert r.exit_code == 2
    assert "--param source=" in r.output and "e.g." in r.output


BUREAUS = [("中卫市云计算和大数据发展局", "https://example.org/org/a"), ("鳳屯鎮人民政府", "https://example.org/org/b"),
           ("嘉荫县人民政府", "https://example.org/org/c")]


def test_bureau_by_name_part_traditional_or_initials() -> None:
    from gongkai.query.names import bureau_iri

    assert bureau_iri("中卫市云计算", BUREAUS) == "https://example.org/org/a"
    assert bureau_iri("凤屯镇人民政府", BUREAUS) == "https://example.org/org/b"
    assert bureau_iri("zwsyjs", BUREAUS) == "https://example.org/org/a"
    with pytest.raises(QueryError, match="2 bureaus"):
        bureau_iri("人民政府", BUREAUS)
