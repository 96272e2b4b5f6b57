"""The query library: headers, typed parameters, every query run on the example data with
a check of what it should find, and the `gongkai queries` / `gongkai query` commands."""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Literal, URIRef

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "integration"))

from kgdata import EDU, HEALTH, LOCAL_RULE, SETTINGS, ExampleData, example_data, example_params, normal_rows

from gongkai.errors import QueryError
from gongkai.query.library import Library, Param, load_query, parse_header, split_param, with_values
from gongkai.rdf.iris import IRIs
from gongkai.reference_data import map_context
from gongkai.store.base import Result
from gongkai.store.embedded import EmbeddedStore
from gongkai.store.guard import check_query
from gongkai.store.memory import MemoryStore
from gongkai.store.ordering import sort_rows
from gongkai.store.sparql_text import split_order_by
from gongkai.text import key

ROOT = Path(__file__).resolve().parents[2]
LIB = Library(ROOT / "queries")
GIDR_2019 = "https://w3id.org/gongkai/legal/guowuyuanling/711"
BUDGET_LAW = "https://w3id.org/gongkai/legal/title/zhonghuarenmingongheguoyusuanfa/2018"
ORIGINAL_LIST = "https://w3id.org/gongkai/list/zhongweishiyunjisuanhedashujufazhanju/2021-06-16"


# --- the library and its headers -------------------------------------------------------

def test_the_library_has_at_least_fifteen_queries() -> None:
    assert len(LIB) >= 15


@pytest.mark.parametrize("q", list(LIB), ids=lambda q: q.id)
def test_every_query_has_a_bilingual_summary_tags_and_parses(q) -> None:
    assert re.search(r"[\u4e00-\u9fff]", q.summary_zh), "summary needs Chinese before |"
    assert re.search(r"[A-Za-z]", q.summary_en) and q.summary_en != q.summary_zh, "and English after |"
    assert q.tags, "at least one tag (legal, analysts, publishers …)"
    header = parse_header(q.text)
    names = {p.name for p in q.params}
    for d in header.get("defaults") or []:
        assert set(d) <= names, f"default for an unknown parameter: {d}"
    for e in header.get("enumerate") or []:
        assert e in names, f"enumerate names an unknown parameter: {e}"
    ox.Store().query(q.text)  # valid SPARQL 1.1 (Oxigraph's parser)
    # and a read-only query without SERVICE for rdflib's parser, which decides what may run
    assert check_query(q.text).form in ("SELECT", "CONSTRUCT", "ASK", "DESCRIBE")


def test_header_values_with_colons_stay_text() -> None:
    h = parse_header("#+ summary: 时限：每年 | Limits: yearly\n#+ description: a: b — c: d\n#+ tags:\n#+   - legal\n"
                     '#+ defaults:\n#+   - name: "x: y"\nSELECT * { ?s ?p ?_name }')
    assert h == {"summary": "时限：每年 | Limits: yearly", "description": "a: b — c: d",
                 "tags": ["legal"], "defaults": [{"name": "x: y"}]}


@pytest.mark.parametrize("rest, expected", [
    ("source_iri", ("source", "iri")),
    ("since_xsd_date", ("since", "xsd:date")),
    ("article_xsd_integer", ("article", "xsd:integer")),
    ("title_zh", ("title", "lang:zh")),
    ("name", ("name", "literal")),
])
def test_parameter_names_give_their_types(rest, expected) -> None:
    assert split_param(rest) == expected


def test_parameters_become_typed_terms_or_are_refused() -> None:
    assert Param("s", "_s_iri", "iri", True).to_term(" https://w3id.org/x ") == URIRef("https://w3id.org/x")
    assert Param("d", "_d_xsd_date", "xsd:date", True).to_term("2021-06-16") == Literal("2021-06-16", datatype=URIRef(
        "http://www.w3.org/2001/XMLSchema#date"))
    assert Param("t", "_t_zh", "lang:zh", True).to_term("年报") == Literal("年报", lang="zh")
    assert Param("q", "_q", "literal", True).to_term('"> } ; DROP ALL') == Literal('"> } ; DROP ALL')
    for kind, bad in (("iri", "not an iri"), ("iri", "http://x/> } ; DROP ALL"), ("xsd:date", "2021-13-45"),
                      ("xsd:integer", "十")):
        with pytest.raises(QueryError):
            Param("p", "_p", kind, True).to_term(bad)


def test_bind_checks_names_and_required_parameters() -> None:
    q = LIB.get("items_by_article")
    assert q.bind({}) == {"_source_iri": URIRef(GIDR_2019)}  # the default
    assert q.bind({"article": "20"})["__article_xsd_integer"] == Literal("20", datatype=URIRef(
        "http://www.w3.org/2001/XMLSchema#integer"))
    with pytest.raises(QueryError, match="no parameter nope"):
        q.bind({"nope": "1"})
    with pytest.raises(QueryError, match="needs --param item"):
        LIB.get("item_detail").bind({})


def test_library_get_by_name_by_file_and_with_a_hint(tmp_path: Path) -> None:
    assert LIB.get("lists").id == "lists"
    f = tmp_path / "mine.rq"
    f.write_text("#+ summary: 我的 | Mine\nSELECT ?s WHERE { ?s ?p ?_x_iri }", encoding="utf-8")
    assert [p.kind for p in LIB.get(str(f)).params] == ["iri"]
    with pytest.raises(QueryError, match="did you mean items_of_list"):
        LIB.get("items_of_lis")


def test_with_values_is_the_stores_binding() -> None:
    out = with_values("SELECT ?s WHERE { ?s ?p ?_v }", {"_v": Literal('"> }')})
    assert 'VALUES (?_v) { ("\\"> }") }' in out


def test_a_query_file_that_cannot_be_read_is_named(tmp_path: Path) -> None:
    with pytest.raises(QueryError, match=r"missing\.rq"):
        load_query(tmp_path / "missing.rq")


# --- every query on the example data ------------------------------------------------------

@pytest.fixture(scope="module")
def data(tmp_path_factory) -> ExampleData:
    return example_data(tmp_path_factory.mktemp("example"))


@pytest.fixture(scope="module")
def embedded(data) -> EmbeddedStore:
    s = EmbeddedStore()
    s.load_file(data.trig)
    return s


@pytest.fixture(scope="module")
def memory(data) -> MemoryStore:
    s = MemoryStore()
    s.load_file(data.trig)
    return s


def run(store, name: str, **params: str) -> Result:
    q = LIB.get(name)
    return store.select(q.text, q.bind(params))


def col(res: Result, name: str) -> list[str]:
    return [str(r[name]) if name in r else "" for r in res.rows]


def made_list(data, name):
    return next(dl for dl in data.made if dl.bureau.name == name)


def org(name: str) -> str:
    return str(IRIs(SETTINGS.base).org(key(name)))


def item_iri(data, dl, n: int) -> str:
    return f"{data.list_iri(dl)}/item/{n}"


def check_lists(data, s):
    res = run(s, "lists")
    items = {str(r["list"]): int(r["items"]) for r in res.rows}
    assert len(res.rows) == len(data.lists)
    for dl in data.lists:
        assert items[str(data.list_iri(dl))] == len(dl.items)


def check_items_of_list(data, s):
    res = run(s, "items_of_list", list=str(data.list_iri(made_list(data, EDU))))
    assert [int(n) for n in col(res, "number")] == [1, 2, 3]
    assert sorted(col(res, "channels")[0].split(" | ")) == ["两微一端", "政府网站"]
    assert col(res, "timeLimit")[0] == "每年1月31日前"


def check_items_relying_on_source(data, s):
    """The issue's acceptance: the Budget Law gives item 13 of the original list."""
    res = run(s, "items_relying_on_source", source=BUDGET_LAW)
    got = {(str(r["itemIri"]), str(r["citation"])) for r in res.rows}
    assert (f"{ORIGINAL_LIST}/item/13", "《预算法》") in got


def check_items_by_article(data, s):
    edu = made_list(data, EDU)
    res = run(s, "items_by_article")  # default: the 2019 GIDR, every pinpointed article
    got = {(str(r["itemIri"]), str(r["article"])) for r in res.rows}
    assert {(item_iri(data, edu, 1), "第50条"), (item_iri(data, edu, 2), "第20条")} <= got
    only_20 = run(s, "items_by_article", article="20")
    assert item_iri(data, edu, 2) in col(only_20, "itemIri")
    assert all(a.startswith("第20条") for a in col(only_20, "article"))
    # a source the authority data lacks, cited by both made lists: one row per item
    rule = run(s, "items_by_article", source=f"{SETTINGS.base}legal/title/{_slug(LOCAL_RULE)}", article="3")
    assert sorted((str(r["bureau"]), str(r["article"]), str(r["version"])) for r in rule.rows) == sorted([
        (EDU, "第3条", LOCAL_RULE), (HEALTH, "第3条", LOCAL_RULE)])


def _slug(title: str) -> str:
    from gongkai.rdf.iris import slug

    return slug(key(title))


def check_items_per_category_per_bureau(data, s):
    res = run(s, "items_per_category_per_bureau")
    per_bureau = Counter()
    for r in res.rows:
        per_bureau[str(r["bureau"])] += int(r["items"])
    expected = Counter()
    for dl in data.lists:
        expected[dl.bureau.name] += len(dl.items)
    assert per_bureau == expected
    edu = {str(r["category"]): int(r["items"]) for r in res.rows if str(r["bureau"]) == EDU}
    assert edu == {"基本信息": 1, "校园安全": 2}
    basic = next(r for r in res.rows if str(r["bureau"]) == EDU and str(r["category"]) == "基本信息")
    assert str(basic["category_en"]) == "basic information"


def check_standard_item_across_bureaus(data, s):
    res = run(s, "standard_item_across_bureaus")
    expected = {(dl.bureau.name, it.number) for dl in data.lists for it in dl.items if "政府信息公开年报" in it.level2}
    assert {(str(r["bureau"]), int(r["number"])) for r in res.rows} == expected
    edu = next(r for r in res.rows if str(r["bureau"]) == EDU)
    assert (str(edu["timeLimit"]), str(edu["kind"]), str(edu["kind_en"])) == (
        "每年1月31日前", "每年固定日期", "fixed annual date")


def check_bureaus_lacking_item(data, s):
    res = run(s, "bureaus_lacking_item")
    lacking = {str(data.list_iri(dl)) for dl in data.lists
               if not any("政府信息公开年报" in it.level2 for it in dl.items)}
    assert set(col(res, "list")) == lacking
    assert str(data.list_iri(made_list(data, HEALTH))) in lacking
    assert str(data.list_iri(made_list(data, EDU))) not in lacking


def check_channel_coverage(data, s):
    vocab = map_context(SETTINGS).vocab
    items, offered = Counter(), Counter()
    for dl in data.lists:
        for it in dl.items:
            for c in {vocab.lookup("channel", ch.label) for ch in it.channels if ch.checked} - {None}:
                items[str(c)] += 1
        for c in {vocab.lookup("channel", label) for label in dl.channels_offered} - {None}:
            offered[str(c)] += 1
    res = run(s, "channel_coverage")
    assert len(res.rows) == 13  # the 13 options of the standard form, used or not
    labels = {str(r["channel_en"]): (int(r["items"]), int(r["listsOffering"])) for r in res.rows}
    assert labels["government new media"][0] == items[f"{SETTINGS.base}vocab/channel/new-media"] >= 1
    assert labels["government website"][1] == offered[f"{SETTINGS.base}vocab/channel/government-website"]
    assert sum(int(r["items"]) for r in res.rows) == sum(items.values())


def check_time_limit_distribution(data, s):
    res = run(s, "time_limit_distribution")
    with_limit = [it for dl in data.lists for it in dl.items if it.time_limit is not None]
    assert sum(int(r) for r in col(res, "items")) == len(with_limit)
    annual = sum(int(r["items"]) for r in res.rows if str(r["kind_en"]) == "fixed annual date")
    assert annual == sum(1 for it in with_limit if it.time_limit.kind == "annual")
    seven = [r for r in res.rows if str(r.get("amount", "")).startswith("7") and str(r["unit"]) == "工作日"]
    assert seven and str(seven[0]["trigger_en"]) and str(seven[0]["unit_en"]) == "working day"


def check_items_on_request_or_special_audience(data, s):
    res = run(s, "items_on_request_or_special_audience")
    expected = {(dl.bureau.name, it.number) for dl in data.lists for it in dl.items
                if "on-request" in it.mode or any(a != "public" for a in it.audience)}
    assert {(str(r["bureau"]), int(r["number"])) for r in res.rows} == expected
    row = next(r for r in res.rows if str(r["bureau"]) == EDU)
    assert (str(row["mode"]), str(row["audience"]), str(row["audience_en"])) == (
        "依申请公开", "特定群体", "specific groups")


def check_dataset_statistics(data, s):
    stats = {str(r["statistic_en"]): int(r["value"]) for r in run(s, "dataset_statistics").rows}
    items = [it for dl in data.lists for it in dl.items]
    assert stats["lists"] == len(data.lists)
    assert stats["bureaus"] == len({key(dl.bureau.name) for dl in data.lists})
    assert stats["items"] == len(items)
    assert stats["citations"] == sum(len(it.citations) for it in items)
    assert stats["time limits"] == sum(1 for it in items if it.time_limit)
    # each list's graph states its size: the sum is what the graphs hold
    graphs = {URIRef(str(r["list"])) for r in run(s, "lists").rows}
    assert len(graphs) == len(data.lists)
    assert stats["triples in the lists' graphs"] == sum(s.count(g) for g in graphs) > stats["items"] * 10


def test_dataset_statistics_counts_a_graph_that_does_not_state_its_size(data, embedded) -> None:
    """A list's graph written before graphs stated their size is counted statement by statement."""
    s = EmbeddedStore()
    s.load_file(data.trig)
    before = {str(r["statistic_en"]): int(r["value"]) for r in run(s, "dataset_statistics").rows}
    one = URIRef(str(run(s, "lists").rows[0]["list"]))
    s.update(f"DELETE WHERE {{ GRAPH <{one}> {{ <{one}> <http://rdfs.org/ns/void#triples> ?n }} }}")
    after = {str(r["statistic_en"]): int(r["value"]) for r in run(s, "dataset_statistics").rows}
    assert after["triples in the lists' graphs"] == before["triples in the lists' graphs"] - 1


def check_list_class_partitions(data, s):
    res = run(s, "list_class_partitions")
    by_class = {str(r["class_en"]): int(r["entities"]) for r in res.rows if "class_en" in r}
    assert by_class["disclosure list"] == len(data.lists)
    assert by_class["disclosure item"] == sum(len(dl.items) for dl in data.lists)


def check_item_detail(data, s):
    res = run(s, "item_detail", item=item_iri(data, made_list(data, EDU), 2))
    fields = Counter(str(r["field_en"]) for r in res.rows)
    values = {str(r["field_en"]): str(r["value"]) for r in res.rows}
    assert fields["legal basis"] == 2
    assert (values["bureau"], values["number"], values["mode"], values["audience"]) == (
        EDU, "2", "依申请公开", "特定群体")
    assert [int(o) for o in col(res, "order")] == sorted(int(o) for o in col(res, "order"))


def check_items_of_bureau(data, s):
    res = run(s, "items_of_bureau", bureau=org(EDU))
    assert [int(n) for n in col(res, "number")] == [1, 2, 3]
    assert [int(n) for n in col(res, "sources")] == [1, 2, 1]


def check_legal_sources_of_bureau(data, s):
    res = run(s, "legal_sources_of_bureau", bureau=org(EDU))
    rows = {(str(r["source"]), int(r["items"]), str(r["resolved_en"])) for r in res.rows}
    assert ("《中华人民共和国政府信息公开条例》（2019年）", 2, "yes") in rows
    assert (LOCAL_RULE, 2, "no") in rows and len(rows) == 2


def check_search_items(data, s):
    res = run(s, "search_items", text="校车")
    expected = {(dl.bureau.name, it.number) for dl in data.lists for it in dl.items
                if "校车" in it.level2 or "校车" in (it.content or "")}
    assert {(str(r["bureau"]), int(r["number"])) for r in res.rows} == expected
    assert (EDU, 3) in expected
    assert run(s, "search_items", text='"> } ; DROP ALL').rows == []


def check_declared_vs_parsed_counts(data, s):
    res = {str(r["list"]): r for r in run(s, "declared_vs_parsed_counts").rows}
    assert set(res) == {str(data.list_iri(dl)) for dl in data.lists}
    edu, health = (res[str(data.list_iri(made_list(data, name)))] for name in (EDU, HEALTH))
    assert (int(edu["declaredLevel2"]), int(edu["parsedLevel2"]), str(edu["agrees"])) == (4, 3, "不一致")
    assert (int(health["parsedLevel1"]), str(health["agrees_en"])) == (2, "agrees")
    assert str(res[ORIGINAL_LIST]["agrees"]) == "一致"


def check_unresolved_citations(data, s):
    res = run(s, "unresolved_citations")
    made = [str(r["citation"]) for r in res.rows if str(r["bureau"]) in (EDU, HEALTH)]
    assert sorted(made) == sorted([f"《{LOCAL_RULE}》第3条", f"《{LOCAL_RULE}》第5条", f"《{LOCAL_RULE}》第3条"])


def check_sources_by_usage(data, s):
    res = run(s, "sources_by_usage")
    assert str(res.rows[0]["source"]).startswith("中华人民共和国政府信息公开条例")
    assert int(res.rows[0]["items"]) == max(int(i) for i in col(res, "items"))


def check_annual_deadlines(data, s):
    res = run(s, "annual_deadlines")
    assert (EDU, "1") in {(str(r["bureau"]), str(r["number"])) for r in res.rows}


def check_items_per_clause_per_bureau(data, s):
    """Every item of the original list has a clause; item 13 implements 第二十条（七）and（九）."""
    res = run(s, "items_per_clause_per_bureau")
    original = {str(r["clause"]): (int(r["items"]), str(r["rules"])) for r in res.rows
                if str(r["bureau"]) == "中卫市云计算和大数据发展局"}
    assert original["第二十条第（七）项"] == (1, "name-budget")
    assert original["第二十条第（九）项"] == (1, "name-procurement")
    assert original["第二十条第（二）项"][0] == 2
    health = {str(r["clause"]) for r in res.rows if str(r["bureau"]) == HEALTH}
    assert "第二十条第（二）项" in health


def check_clauses_not_covered_by_bureau(data, s):
    res = run(s, "clauses_not_covered_by_bureau", bureau=org(HEALTH))
    lacking = set(col(res, "clause"))
    assert "第二十条第（七）项" in lacking and "第二十条第（二）项" not in lacking
    assert set(col(res, "bureau")) == {HEALTH}
    # a county bureau: the township half of 第二十一条 is none of its business
    assert "第二十一条（乡镇级）" not in lacking
    # in the order of the Regulations: 第二十条第（三）项 before 第（十）项, 第二十一条 before 第四十九条
    order = list(col(res, "clause"))
    assert order.index("第二十条第（三）项") < order.index("第二十条第（十）项") < order.index("第四十九条")


CHECKS = {name[6:]: fn for name, fn in globals().items() if name.startswith("check_")}


@pytest.mark.parametrize("q", list(LIB), ids=lambda q: q.id)
def test_every_query_on_the_example_data(q, data, embedded, memory) -> None:
    """Each query on the embedded store finds what the data holds (where a check is written
    for it), and rdflib's engine gives the same rows."""
    params = example_params(q, data)
    on_embedded = embedded.select(q.text, q.bind(params))
    assert on_embedded.vars, "a query must name its columns"
    check = CHECKS.get(q.id)
    if check is not None:
        check(data, embedded)
    assert normal_rows(memory.select(q.text, q.bind(params))) == normal_rows(on_embedded)
    if q.returns:  # the columns code relies on, in order: the query's contract
        assert on_embedded.vars == q.returns


def _called_by_name() -> dict[str, set[str]]:
    """Library queries the code runs by name (a string literal naming a query, given to a call
    such as ``library.get``, ``rows``, ``_run``): query id → the files calling it."""
    names = {q.id for q in LIB}
    calls = {"get", "rows", "_run", "_rows", "result_of", "run"}
    found: dict[str, set[str]] = {}
    root = Path(__file__).resolve().parents[2]
    for path in [*root.joinpath("src").rglob("*.py"), *root.joinpath("app").rglob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant)):
                continue
            func = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if func in calls and node.args[0].value in names:
                found.setdefault(node.args[0].value, set()).add(path.name)
    return found


def test_every_query_code_runs_by_name_declares_its_columns() -> None:
    """A query that code runs by name says which columns it returns (``#+ returns: [a, b]``),
    so that changing its projection is seen as changing a contract (the test above holds the
    query to it)."""
    called = _called_by_name()
    assert {"lists", "items_of_list", "item_time_limit", "items_relying_on_source"} <= set(called)
    missing = {name: sorted(files) for name, files in called.items() if not LIB.get(name).returns}
    assert not missing, missing


@pytest.mark.parametrize("q", list(LIB), ids=lambda q: q.id)
def test_every_query_is_ordered_in_python_as_oxigraph_orders_it(q, data, embedded) -> None:
    """The library orders by variables only, so that the embedded store sorts the rows in
    Python (``gongkai.store.ordering``) without falling back to Oxigraph; the rows come in the
    order Oxigraph's ORDER BY gives."""
    lift = split_order_by(q.text)
    assert lift is not None, "ORDER BY ?variable / DESC(?variable) only: an expression is sorted by Oxigraph, slowly"
    bindings = q.bind(example_params(q, data))
    ours = embedded.select(q.text, bindings)
    vars_, oxigraphs = embedded._rows(embedded._run(q.text, bindings))
    _, unsorted = embedded._rows(embedded._run(lift.text, bindings))
    assert sort_rows(unsorted, lift.keys) is not None, "sorted by Oxigraph: two rows differ only by kinds of literal"
    names = [k.var for k in lift.keys]
    assert [tuple(r.get(n) for n in names) for r in ours.rows] == [tuple(r.get(n) for n in names) for r in oxigraphs]
    assert normal_rows(ours) == normal_rows(Result(vars_, oxigraphs))


def test_there_is_a_check_for_each_query_written_with_the_stores() -> None:
    ours = {"lists", "items_of_list", "items_by_article", "items_per_category_per_bureau",
            "standard_item_across_bureaus", "bureaus_lacking_item", "channel_coverage",
            "time_limit_distribution", "items_on_request_or_special_audience", "dataset_statistics",
            "list_class_partitions", "item_detail", "items_of_bureau", "legal_sources_of_bureau",
            "search_items", "declared_vs_parsed_counts"}
    assert ours <= set(CHECKS) and ours <= set(LIB.queries)


# --- the commands -----------------------------------------------------------------------

def gongkai(*args: str, build: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "GONGKAI_BUILD": str(build)} if build else dict(os.environ)
    env.pop("GONGKAI_ENDPOINT", None)
    return subprocess.run([sys.executable, "-m", "gongkai.cli", *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=180, env=env)


def test_cli_queries_lists_the_library_in_both_languages() -> None:
    zh = gongkai("queries")
    en = gongkai("queries", "--lang", "en", "--tag", "legal")
    assert zh.returncode == 0 and en.returncode == 0, zh.stderr + en.stderr
    for q in LIB:
        assert q.id in zh.stdout.replace("\n", "")
    assert "Items citing an article of a legal source" in en.stdout
    assert "channel_coverage" not in en.stdout  # tagged analysts


def test_cli_query_says_it_is_loading_the_build_into_the_store_once(data, tmp_path: Path) -> None:
    build = tmp_path / "build"
    build.mkdir()
    (build / "kg.trig").write_bytes(data.trig.read_bytes())
    first = gongkai("query", "lists", "-f", "csv", build=build)
    assert first.returncode == 0, first.stderr
    lines = first.stderr.splitlines()
    assert f"loading {build / 'kg.trig'} (" in lines[0]
    assert lines[0].endswith(f"into the embedded store {build / 'store'} …")
    assert lines[1:3] == [f"writing the indexes of the embedded store {build / 'store'} …",
                          f"compacting the embedded store {build / 'store'} …"]
    again = gongkai("query", "lists", "-f", "csv", build=build)
    assert again.returncode == 0 and "loading" not in again.stderr and again.stdout == first.stdout


def test_cli_query_formats_and_languages(data) -> None:
    build = data.trig.parent
    csv_ = gongkai("query", "items_per_category_per_bureau", "--format", "csv", build=build)
    assert csv_.returncode == 0, csv_.stderr
    lines = csv_.stdout.splitlines()
    assert lines[0] == "bureau,category,items" and f"{EDU},校园安全,2" in lines
    en = gongkai("query", "items_per_category_per_bureau", "-f", "tsv", "--lang", "en", build=build)
    assert f"{EDU}\tbasic information\t1" in en.stdout.splitlines()
    js = gongkai("query", "item_detail", "-p", f"item={item_iri(data, made_list(data, EDU), 2)}", "-f", "json",
                 build=build)
    assert {"field": "公开方式", "value": "依申请公开", "order": 11} in json.loads(js.stdout)   # a number
    table = gongkai("query", "items_relying_on_source", "--param", f"source={BUDGET_LAW}", build=build)
    assert table.returncode == 0 and "财务管理" in table.stdout and "rows" in table.stderr


@pytest.mark.parametrize("args, message", [
    (("query", "no_such_query"), "no query named"),
    (("query", "item_detail"), "needs --param item"),
    (("query", "lists", "--param", "nope"), "name=value"),
    (("query", "lists", "--param", "x=1"), "has no parameter x"),
    (("query", "item_detail", "-p", "item=not an iri"), "expects an IRI"),
    (("query", "lists", "--format", "xml"), "--format must be one of"),
])
def test_cli_query_errors_exit_2(args, message, data) -> None:
    r = gongkai(*args, build=data.trig.parent)
    assert r.returncode == 2 and message in r.stderr, r.stderr


def test_cli_refuses_an_update_without_allow_update(data, tmp_path: Path) -> None:
    drop = tmp_path / "drop_everything.rq"
    drop.write_text("#+ summary: 删除 | Drop\nDROP ALL\n", encoding="utf-8")
    build = data.trig.parent
    before = gongkai("query", "dataset_statistics", "-f", "json", build=build).stdout
    r = gongkai("query", str(drop), build=build)
    assert r.returncode == 2 and "read-only" in r.stderr and "--allow-update" in r.stderr
    assert gongkai("query", "dataset_statistics", "-f", "json", build=build).stdout == before
