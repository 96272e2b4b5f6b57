"""Tracing items to the regulation, version and article they rely on: the original list's
citations resolved in the graph, the legal queries, and `gongkai legal trace` / `legal list`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from gongkai.ingest import ingest_file
from gongkai.legal.registry import registry
from gongkai.legal.search import initials, search
from gongkai.query.library import Library
from gongkai.rdf.iris import IRIs
from gongkai.rdf.mapping import map_list
from gongkai.reference_data import map_context, static_graphs
from gongkai.settings import Settings
from gongkai.store.embedded import EmbeddedStore
from gongkai.store.memory import MemoryStore

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "data" / "raw" / "zhongwei-yunjisuan-2021.txt"
SETTINGS = Settings(root=ROOT)
GK = "https://w3id.org/gongkai/ontology#"


@pytest.fixture(scope="module")
def seed_graph() -> Graph:
    _, g = map_list(ingest_file(SEED, SETTINGS), map_context(SETTINGS))
    return g


@pytest.fixture(scope="module", params=[EmbeddedStore, MemoryStore], ids=["embedded", "memory"])
def store(request):
    s = request.param()
    for name, g in [*static_graphs(SETTINGS), map_list(ingest_file(SEED, SETTINGS), map_context(SETTINGS))]:
        s.replace_graph(name, g)
    return s


def _iri(source_id: str) -> URIRef:
    reg = registry(SETTINGS)
    return URIRef(str(reg.iri(source_id, IRIs(SETTINGS.base))))


def _cited(g: Graph, number: int) -> set[URIRef]:
    rows = g.query(f"""PREFIX gk: <{GK}>
        SELECT ?src WHERE {{ ?i gk:itemNumber {number} ; gk:citation/gk:cites ?src }}""")
    return {r[0] for r in rows}


def test_all_18_items_rely_on_the_2019_revision_of_the_gidr(seed_graph) -> None:
    gidr_2019 = _iri("prc-gov-info-disclosure-regs-2019")
    assert str(gidr_2019).endswith("/legal/guowuyuanling/711")
    for n in range(1, 19):
        assert gidr_2019 in _cited(seed_graph, n), n
    assert _iri("prc-gov-info-disclosure-regs-2007") not in set(seed_graph.objects())


def test_item_13_has_four_distinct_sources_including_the_budget_law(seed_graph) -> None:
    cited = _cited(seed_graph, 13)
    reg = registry(SETTINGS)
    ids = {s.id for s in reg if _iri(s.id) in cited}
    assert len(cited) == 4 == len(ids)
    assert any(reg.work_id(i) == "prc-budget-law-1994" for i in ids)
    assert any(reg.get(i).doc_number == "财预〔2016〕143号" for i in ids)


def test_item_14_links_its_documents_and_the_three_2021_work_plans(seed_graph) -> None:
    reg = registry(SETTINGS)
    cited = {s for s in reg if _iri(s.id) in _cited(seed_graph, 14)}
    numbers = {s.doc_number for s in cited}
    assert {"国办发〔2018〕10号", "宁政办规发〔2019〕3号"} <= numbers
    plans = [s for s in cited if s.type == "work-plan"]
    assert len(plans) == 3
    assert all("2021" in s.title for s in plans)
    assert len(cited) == 6


def test_nothing_on_the_original_list_is_unresolved(seed_graph) -> None:
    unresolved = list(seed_graph.query(f"""PREFIX gk: <{GK}>
        SELECT ?c WHERE {{ ?c gk:resolved false }}"""))
    assert unresolved == []
    assert len(list(seed_graph.query(f"PREFIX gk: <{GK}> SELECT ?c WHERE {{ ?c gk:resolved true }}"))) == 26


def _run(store, name: str, **params: str):
    q = Library(ROOT / "queries").get(name)
    return store.select(q.text, q.bind(params))


def test_query_items_relying_on_the_budget_law_from_any_version(store) -> None:
    for version in ("prc-budget-law-1994", "prc-budget-law-2014", "prc-budget-law-2018"):
        res = _run(store, "items_relying_on_source", source=str(_iri(version)))
        assert [int(r["number"]) for r in res.rows] == [13], version
        assert str(res.rows[0]["version"]) == "《中华人民共和国预算法》（2018年）"
        assert str(res.rows[0]["citation"]) == "《预算法》"


def test_query_items_relying_on_a_document_number(store) -> None:
    res = _run(store, "items_relying_on_source", source=str(_iri(
        next(s.id for s in registry(SETTINGS) if s.doc_number == "国办发〔2018〕10号"))))
    assert [int(r["number"]) for r in res.rows] == [14]


def test_query_sources_by_usage_ranks_the_gidr_first(store) -> None:
    res = _run(store, "sources_by_usage")
    top = res.rows[0]
    assert str(top["source"]) == "中华人民共和国政府信息公开条例"
    assert (int(top["items"]), int(top["bureaus"])) == (18, 1)
    assert len(res.rows) == 9


def test_query_citations_not_in_force_is_empty_on_the_original_list(store) -> None:
    assert _run(store, "citations_not_in_force").rows == []


def test_query_citations_not_in_force_finds_a_repealed_law(tmp_path) -> None:
    """The original list with 《预算法》 replaced by 《收养法》 (repealed 2021-01-01 by the Civil
    Code): on the list's date, 2021-06-16, item 13 cites a law no longer in force."""
    text = SEED.read_text(encoding="utf-8").replace("《预算法》", "《收养法》")
    changed = tmp_path / "changed.txt"
    changed.write_text(text, encoding="utf-8")
    s = EmbeddedStore()
    for name, g in [*static_graphs(SETTINGS), map_list(ingest_file(changed, SETTINGS), map_context(SETTINGS))]:
        s.replace_graph(name, g)
    rows = _run(s, "citations_not_in_force").rows
    assert [(int(r["number"]), str(r["citation"]), str(r["endedOn"])) for r in rows] == [
        (13, "《收养法》", "2021-01-01")]
    assert "民法典" in str(rows[0]["replacedBy"])
    # asked about a date before the repeal, nothing is out of force
    assert _run(s, "citations_not_in_force", at="2020-06-01").rows == []


def test_query_unresolved_citations_is_empty_for_the_original_list(store) -> None:
    assert _run(store, "unresolved_citations").rows == []


@pytest.mark.parametrize("text, expected", [
    ("国办发〔2018〕10号", "国务院办公厅关于推进社会公益事业建设领域政府信息公开的意见"),
    ("国办发[2018]10号", "国务院办公厅关于推进社会公益事业建设领域政府信息公开的意见"),
    ("预算法", "中华人民共和国预算法"),
    ("《中华人民共和国政府信息公开条例》", "中华人民共和国政府信息公开条例"),
    ("zfxxgktl", "中华人民共和国政府信息公开条例"),
    ("财预〔2016〕143号", "财政部关于印发〈地方预决算公开操作规程〉的通知"),
])
def test_search_finds_a_source_by_title_alias_number_or_initials(text, expected) -> None:
    found = search(registry(SETTINGS), text)
    assert found and found[0][0].title == expected


def test_pinyin_initials() -> None:
    assert initials("政府信息公开条例") == "zfxxgktl"


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gongkai.cli", *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=180, env={**os.environ, "SOURCE_DATE_EPOCH": "1767225600"})


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """A build of the original list alone, so the CLI has a graph to trace."""
    raw = tmp_path_factory.mktemp("raw")
    (raw / SEED.name).write_bytes(SEED.read_bytes())
    out = tmp_path_factory.mktemp("build")
    r = _cli("build", str(raw), "--out", str(out))
    assert r.returncode == 0, r.stderr
    return out


def test_cli_trace_document_number_prints_item_14(built) -> None:
    r = subprocess.run([sys.executable, "-m", "gongkai.cli", "legal", "trace", "国办发〔2018〕10号"],
                       capture_output=True, text=True, cwd=ROOT, timeout=180,
                       env={**os.environ, "GONGKAI_BUILD": str(built)})
    assert r.returncode == 0, r.stderr
    assert "1 item in 1 bureau" in r.stdout
    assert "14  脱贫攻坚" in r.stdout


def test_cli_trace_budget_law_prints_item_13_with_its_version(built) -> None:
    r = subprocess.run([sys.executable, "-m", "gongkai.cli", "legal", "trace", "预算法"],
                       capture_output=True, text=True, cwd=ROOT, timeout=180,
                       env={**os.environ, "GONGKAI_BUILD": str(built)})
    assert r.returncode == 0, r.stderr
    assert "3 versions (1994, 2014, 2018)" in r.stdout
    assert "13  财务管理" in r.stdout and "《中华人民共和国预算法》（2018年）" in r.stdout


def test_cli_trace_of_an_unknown_source_says_so() -> None:
    r = _cli("legal", "trace", "不存在的办法")
    assert r.returncode == 1 and "no legal source matches" in r.stderr
