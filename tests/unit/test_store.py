"""Stores: reading SPARQL text, binding parameters safely, the embedded and rdflib backends,
the remote backend against small local HTTP servers, and the service functions on top
(opening the embedded store under build/, pushing, rendering results)."""

from __future__ import annotations

import json
import re
import sys
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib import namespace as _ns
from rdflib.plugins.sparql import prepareQuery

from gongkai.build_folder import STAMP, BuildFolder
from gongkai.errors import QueryError, StoreError
from gongkai.query.results import display_columns, label_rows, render
from gongkai.query.run import run_query
from gongkai.settings import Settings
from gongkai.store import embedded as store_module
from gongkai.store.base import NTriples, Result
from gongkai.store.embedded import EmbeddedStore
from gongkai.store.lifecycle import built_graph, embedded_store_path, load_embedded, open_store, store_is_fresh
from gongkai.store.memory import MemoryStore
from gongkai.store.push import graphs_of_file, push
from gongkai.store.remote import Endpoint, RemoteStore, term_from_json
from gongkai.store.server import prepare_server_store, server_store_path
from gongkai.store.sparql_text import bind_values, projected_variables, query_form, sparql_term, substitute

EX = "http://example.org/"
NASTY = '"> } ; DROP ALL'


def iri(local: str) -> URIRef:
    return URIRef(EX + local)


# --- reading SPARQL text ------------------------------------------------------------
# (whether a text is a query or an update is decided by a SPARQL parser: test_query_guard.py)

def test_query_form_and_projection() -> None:
    q = ("PREFIX a: <http://a/>\nSELECT ?x (COUNT(?y) AS ?n) (GROUP_CONCAT(?z; separator=\" | \") AS ?zs)\n"
         "WHERE { ?x a:p ?y . { SELECT ?inner WHERE { ?inner ?p ?z } } } GROUP BY ?x")
    assert query_form(q) == "SELECT"
    assert projected_variables(q) == {"x", "n", "zs"}
    assert projected_variables("SELECT * WHERE { ?s ?p ?o }") is None
    assert query_form("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }") == "CONSTRUCT"
    assert query_form("DROP GRAPH <http://g>") == "DROP"


# --- writing terms and binding parameters ----------------------------------------------

def test_sparql_term_escapes_every_way_out_of_a_literal() -> None:
    assert sparql_term(Literal(NASTY)) == '"\\"> } ; DROP ALL"'
    assert sparql_term(Literal('a\\b\n"c"')) == '"a\\\\b\\n\\"c\\""'
    assert sparql_term(Literal("年报", lang="zh")) == '"年报"@zh'
    assert sparql_term(Literal("2021-06-16", datatype=_ns.XSD.date)) == \
        '"2021-06-16"^^<http://www.w3.org/2001/XMLSchema#date>'
    assert sparql_term(URIRef("https://w3id.org/gongkai/legal/caiyu/2016/143")) == \
        "<https://w3id.org/gongkai/legal/caiyu/2016/143>"


@pytest.mark.parametrize("term", [
    URIRef("http://x/a> } ; DROP ALL ; <http://x/b"),
    URIRef("not an iri"),
    URIRef('http://x/"quoted"'),
    BNode("b1"),
    Literal("x", datatype=URIRef("http://x/t> } ; DROP ALL ; <http://x/u")),
])
def test_sparql_term_refuses_what_could_escape(term) -> None:
    with pytest.raises(QueryError):
        sparql_term(term)


def _parses(text: str) -> None:
    prepareQuery(text)                   # rdflib's parser
    ox.Store().query(text)               # and Oxigraph's


def test_values_open_the_where_group_and_the_result_parses() -> None:
    q = "PREFIX a: <http://a/>\nSELECT ?s WHERE { ?s a:title ?t FILTER(CONTAINS(STR(?t), ?_q)) } ORDER BY ?s"
    out = bind_values(q, {"_q": Literal(NASTY)})
    assert out.index("VALUES (?_q)") > out.index("WHERE {")
    assert out.count("VALUES") == 1
    assert '"\\"> } ; DROP ALL"' in out
    _parses(out)


def test_values_reach_groups_evaluated_on_their_own() -> None:
    q = ("SELECT ?l WHERE {\n"
         "  ?l a <http://x/List> .\n"
         "  { SELECT ?l (COUNT(?i) AS ?n) WHERE { ?l <http://x/item> ?i . ?i <http://x/t> ?_q } GROUP BY ?l }\n"
         "  MINUS { ?l <http://x/item> ?j . ?j <http://x/t> ?t FILTER(CONTAINS(?t, ?_q)) }\n"
         "  { ?l <http://x/a> ?_q } UNION { ?l <http://x/b> ?o }\n"
         "  OPTIONAL { ?l <http://x/c> ?c }\n"
         "  FILTER NOT EXISTS { ?l <http://x/d> ?_q }\n"
         "  VALUES ?other { 1 2 }\n"
         "}")
    out = bind_values(q, {"_q": Literal("x")})
    block = 'VALUES (?_q) { ("x") }'
    # the WHERE group, the subquery's own WHERE group, the MINUS and the UNION branch
    # that mentions ?_q; not the EXISTS body, the OPTIONAL without ?_q, nor `{ SELECT`
    assert out.count(block) == 4
    assert "{ SELECT" in out.replace("\n", " ").replace("{  SELECT", "{ SELECT")
    _parses(out)


def test_substitute_writes_values_where_a_constant_may_stand() -> None:
    q = ("SELECT ?s ?_shown WHERE { ?s <http://x/t> ?t FILTER(CONTAINS(STR(?t), ?_q)) "
         "FILTER(!BOUND(?__opt) || ?s = ?__opt) BIND(?_n AS ?m) VALUES ?_v { 1 } } "
         "GROUP BY ?_g ORDER BY ?_o")
    binds = {"_q": Literal(NASTY), "_shown": Literal("a"), "__opt": iri("a"), "_n": Literal(3),
             "_v": Literal(1), "_g": Literal(2), "_o": Literal(4)}
    out, rest = substitute(q, binds)
    # in a FILTER or as an expression, the value is written as one escaped term
    assert 'CONTAINS(STR(?t), "\\"> } ; DROP ALL")' in out
    assert "BIND(\"3\"^^<http://www.w3.org/2001/XMLSchema#integer> AS ?m)" in out
    # a projection, BOUND(), a VALUES variable, GROUP BY and ORDER BY keep their variable,
    # and those parameters are left for the other ways of binding
    assert set(rest) == {"_shown", "__opt", "_v", "_g", "_o"}
    assert "SELECT ?s ?_shown" in out and "BOUND(?__opt)" in out and "VALUES ?_v" in out
    assert out.endswith("GROUP BY ?_g ORDER BY ?_o")


def test_substitute_leaves_select_star_and_updates_alone() -> None:
    for q in ("SELECT * WHERE { ?s ?p ?_q }", "DELETE WHERE { ?s ?p ?_q }"):
        assert substitute(q, {"_q": Literal("x")}) == (q, {"_q": Literal("x")})


def test_a_substituted_value_the_grammar_refuses_is_bound_another_way() -> None:
    """A literal given for a parameter in subject position cannot be written there: the
    embedded store binds it with VALUES instead, and the query still answers."""
    s = EmbeddedStore()
    s.replace_graph(iri("g"), Graph().add((iri("a"), iri("p"), Literal("v"))))
    q = f"SELECT ?o WHERE {{ ?_s <{EX}p> ?o }}"
    assert s.select(q, {"_s": Literal("not an IRI")}).rows == []
    assert [r["o"] for r in s.select(q, {"_s": iri("a")}).rows] == [Literal("v")]


def test_construct_template_is_not_bound_but_its_pattern_is() -> None:
    out = bind_values("CONSTRUCT { ?s <http://x/p> ?_v } WHERE { ?s <http://x/q> ?_v }", {"_v": Literal(1)})
    template, pattern = out.split("WHERE", 1)
    assert "VALUES" not in template and "VALUES" in pattern
    _parses(out)


def test_binding_the_short_construct_form_is_refused() -> None:
    with pytest.raises(QueryError, match="short form"):
        bind_values("CONSTRUCT WHERE { ?s ?p ?_v }", {"_v": Literal(1)})


# --- the embedded and rdflib backends --------------------------------------------------

def _graph(*triples) -> Graph:
    g = Graph()
    for t in triples:
        g.add(t)
    return g


@pytest.fixture(params=["embedded", "memory"])
def store(request):
    s = EmbeddedStore() if request.param == "embedded" else MemoryStore()
    s.replace_graph(iri("g1"), _graph((iri("a"), iri("title"), Literal("政府信息公开年报", lang="zh")),
                                      (iri("a"), iri("n"), Literal(1)),
                                      (iri("shared"), iri("label"), Literal("共享"))))
    s.replace_graph(iri("g2"), _graph((iri("b"), iri("title"), Literal("财务管理", lang="zh")),
                                      (iri("shared"), iri("label"), Literal("共享"))))
    return s


def test_graphs_and_counts(store) -> None:
    assert store.graphs() == [iri("g1"), iri("g2")]
    assert store.count(iri("g1")) == 3 and store.count(iri("g2")) == 2
    assert store.count() == len(store) == 5


def test_replace_graph_replaces_only_that_graph(store) -> None:
    store.replace_graph(iri("g1"), _graph((iri("c"), iri("title"), Literal("新"))))
    assert store.count(iri("g1")) == 1 and store.count(iri("g2")) == 2
    rows = store.select(f"SELECT ?s WHERE {{ ?s <{EX}title> ?t }} ORDER BY ?s").rows
    assert [r["s"] for r in rows] == [iri("b"), iri("c")]


def test_replace_graph_takes_n_triples_text(store) -> None:
    store.replace_graph(iri("g2"), NTriples(f'<{EX}d> <{EX}title> "乙"@zh .\n'
                                            f'<{EX}d> <{EX}n> "2"^^<{_ns.XSD.integer}> .\n'))
    assert store.count(iri("g2")) == 2
    assert store.ask(f"ASK {{ <{EX}d> <{EX}title> \"乙\"@zh }}")


def test_drop_graph(store) -> None:
    store.drop_graph(iri("g2"))
    store.drop_graph(iri("never-there"))  # silent
    assert store.graphs() == [iri("g1")]


def test_the_default_graph_is_the_union_of_the_named_graphs(store) -> None:
    rows = store.select(f"SELECT DISTINCT ?l WHERE {{ <{EX}shared> <{EX}label> ?l }}").rows
    assert [str(r["l"]) for r in rows] == ["共享"]
    titles = store.select(f"SELECT ?t WHERE {{ ?s <{EX}title> ?t }}").rows
    assert sorted(str(r["t"]) for r in titles) == ["政府信息公开年报", "财务管理"]


def test_a_triple_held_by_several_graphs_is_matched_once(store) -> None:
    """A set union, not a bag: without DISTINCT, the label shared by g1 and g2 is one row
    (the embedded store keeps the union in its default graph; rdflib's union is a set)."""
    rows = store.select(f"SELECT ?l WHERE {{ <{EX}shared> <{EX}label> ?l }}").rows
    assert [str(r["l"]) for r in rows] == ["共享"]
    # GRAPH patterns still see each list on its own
    rows = store.select(f"SELECT ?g WHERE {{ GRAPH ?g {{ <{EX}shared> <{EX}label> ?l }} }} ORDER BY ?g").rows
    assert [r["g"] for r in rows] == [iri("g1"), iri("g2")]


def test_dropping_or_replacing_a_graph_keeps_what_other_graphs_hold(store) -> None:
    shared = f"ASK {{ <{EX}shared> <{EX}label> ?l }}"
    store.drop_graph(iri("g2"))
    assert store.ask(shared)  # still in g1
    assert not store.ask(f"ASK {{ <{EX}b> ?p ?o }}")  # only in g2: gone from the union
    store.replace_graph(iri("g1"), _graph((iri("c"), iri("title"), Literal("新"))))
    assert not store.ask(shared) and store.ask(f"ASK {{ <{EX}c> ?p ?o }}")
    assert store.count() == len(store) == 1


def test_embedded_mirror_holds_blank_nodes_and_follows_updates() -> None:
    s = EmbeddedStore()
    s.replace_graph(iri("g"), NTriples(f'_:x <{EX}label> "甲" .\n<{EX}a> <{EX}ref> _:x .\n'))
    rows = s.select(f"SELECT ?l WHERE {{ <{EX}a> <{EX}ref> ?x . ?x <{EX}label> ?l }}").rows
    assert [str(r["l"]) for r in rows] == ["甲"]  # the same blank node in the graph and the union
    s.update(f"DELETE DATA {{ GRAPH <{EX}g> {{ <{EX}a> <{EX}ref> <{EX}z> }} }} ; "
             f"INSERT DATA {{ GRAPH <{EX}h> {{ <{EX}b> <{EX}label> \"乙\" }} }}")
    assert s.ask(f"ASK {{ <{EX}b> <{EX}label> \"乙\" }}")
    s.update(f"DROP GRAPH <{EX}h>")
    assert not s.ask(f"ASK {{ <{EX}b> ?p ?o }}")
    assert s.count() == 2


def test_embedded_store_without_the_mirror_reads_the_bag_union(tmp_path: Path) -> None:
    """A store folder from before the mirror (named graphs only) still answers."""
    import pyoxigraph as ox

    raw = ox.Store(str(tmp_path / "old"))
    raw.add(ox.Quad(ox.NamedNode(f"{EX}a"), ox.NamedNode(f"{EX}title"), ox.Literal("旧"), ox.NamedNode(f"{EX}g")))
    raw.flush()
    del raw
    s = EmbeddedStore(tmp_path / "old", read_only=True)
    assert not s.mirrored
    assert [str(r["t"]) for r in s.select(f"SELECT ?t WHERE {{ ?s <{EX}title> ?t }}").rows] == ["旧"]
    assert s.count() == 1


def test_select_ask_construct_with_bindings(store) -> None:
    b = {"_s": iri("a")}
    res = store.select(f"SELECT ?t WHERE {{ ?_s <{EX}title> ?t }}", b)
    assert res.vars == ["t"] and [r["t"] for r in res.rows] == [Literal("政府信息公开年报", lang="zh")]
    assert store.ask(f"ASK {{ ?_s <{EX}n> 1 }}", b)
    assert not store.ask(f"ASK {{ ?_s <{EX}n> 1 }}", {"_s": iri("b")})
    g = store.construct(f"CONSTRUCT {{ ?_s <{EX}copy> ?t }} WHERE {{ ?_s <{EX}title> ?t }}", b)
    assert set(g) == {(iri("a"), iri("copy"), Literal("政府信息公开年报", lang="zh"))}


def test_projected_and_unprojected_parameters_bind_alike(store) -> None:
    """Embedded: pyoxigraph substitutions when the parameter is projected, VALUES otherwise."""
    for projection in ("?s", "?s ?_q"):
        text = f"SELECT {projection} WHERE {{ ?s <{EX}title> ?t FILTER(CONTAINS(STR(?t), ?_q)) }}"
        rows = store.select(text, {"_q": Literal("年报")}).rows
        assert [r["s"] for r in rows] == [iri("a")], projection


def test_a_nasty_parameter_is_a_literal_and_changes_nothing(store) -> None:
    before = len(store)
    echo = store.select("SELECT ?echo WHERE { BIND(?_q AS ?echo) }", {"_q": Literal(NASTY)})
    assert [str(r["echo"]) for r in echo.rows] == [NASTY]
    found = store.select(f"SELECT ?s WHERE {{ ?s <{EX}title> ?t FILTER(CONTAINS(STR(?t), ?_q)) }}",
                         {"_q": Literal(NASTY)})
    assert found.rows == []
    assert len(store) == before and store.graphs() == [iri("g1"), iri("g2")]


def test_wrong_query_form_and_bad_syntax(store) -> None:
    with pytest.raises(QueryError, match="not a SELECT"):
        store.select("ASK { ?s ?p ?o }")
    with pytest.raises(QueryError, match="not an ASK"):
        store.ask("SELECT * WHERE { ?s ?p ?o }")
    with pytest.raises(QueryError, match="syntax"):
        store.select("SELECT ?s WHERE { ?s ?p ")


def test_load_file_trig_and_unknown_format(store, tmp_path: Path) -> None:
    f = tmp_path / "d.trig"
    f.write_text(f"<{EX}g3> {{ <{EX}x> <{EX}p> \"v\" . }}\n", encoding="utf-8")
    store.load_file(f)
    assert iri("g3") in store.graphs()
    bad = tmp_path / "d.xyz"
    bad.write_text("", encoding="utf-8")
    with pytest.raises(StoreError, match="unknown RDF format"):
        store.load_file(bad)


def test_loading_a_file_reports_the_bytes_read_then_the_indexing(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(store_module, "PROGRESS_EVERY", 10)
    f = tmp_path / "d.nq"
    f.write_text("".join(f'<{EX}s{k}> <{EX}p> "{k}" <{EX}g{k % 3}> .\n' for k in range(45)), encoding="utf-8")
    calls: list[tuple[str, int, int]] = []
    s = EmbeddedStore(tmp_path / "store")
    s.load_file(f, progress=lambda *call: calls.append(call))
    size = f.stat().st_size
    reading = [c for c in calls if c[0] == "reading"]
    # at the start, then after 10, 20, 30 and 40 statements
    assert len(reading) == 5 and all(total == size for _, _, total in reading)
    assert [done for _, done, _ in reading] == sorted(done for _, done, _ in reading) and reading[-1][1] <= size
    assert calls[-1] == ("indexing", 0, 0) and calls[:-1] == reading
    assert len(s) == 45 and len(s.graphs()) == 3


def test_a_file_that_fails_to_parse_midway_names_the_file(tmp_path: Path) -> None:
    f = tmp_path / "d.nq"
    f.write_text(f'<{EX}s> <{EX}p> "ok" <{EX}g> .\n<{EX}s> <{EX}p> "cut off\n', encoding="utf-8")
    with pytest.raises(StoreError, match=re.escape(str(f)) + ": cannot load"):
        EmbeddedStore(tmp_path / "store").load_file(f, progress=lambda *_: None)


def test_persistent_embedded_store_reopens_read_only(tmp_path: Path) -> None:
    s = EmbeddedStore(tmp_path / "store")
    s.replace_graph(iri("g"), _graph((iri("a"), iri("p"), Literal("v"))))
    s.close()
    del s
    a = EmbeddedStore(tmp_path / "store", read_only=True)
    b = EmbeddedStore(tmp_path / "store", read_only=True)  # several readers at once
    assert len(a) == len(b) == 1
    a.close()


# --- the service: embedded store under build/, running, rendering, pushing ---------------

TRIG = f"""@prefix ex: <{EX}> .
ex:list1 {{ ex:i1 ex:title "一"@zh ; ex:n 1 . }}
ex:list2 {{ ex:i2 ex:title "二"@zh ; ex:n 2 . _:b ex:p ex:i2 . }}
"""


@pytest.fixture
def build_dir(tmp_path: Path) -> Settings:
    (tmp_path / "build").mkdir()
    (tmp_path / "build" / "kg.trig").write_text(TRIG, encoding="utf-8")
    return Settings(root=tmp_path, build_dir=tmp_path / "build")


def test_open_store_builds_the_embedded_store_and_refreshes_it(build_dir: Settings) -> None:
    """A build folder with a kg.trig and no store (an older gongkai's, or written by hand)
    is taken in as a version with its store; a kg.trig changed after its store was loaded
    gets a new version whose store holds it. The store is opened read-only."""
    assert not store_is_fresh(build_dir)
    s = open_store(build_dir)
    assert isinstance(s, EmbeddedStore) and s.read_only and len(s) == 5
    assert s.path == embedded_store_path(build_dir).resolve()
    assert store_is_fresh(build_dir)
    first = s.path
    s.close()
    del s
    time.sleep(0.01)
    built_graph(build_dir).write_text(TRIG.replace('"二"@zh', '"贰"@zh'), encoding="utf-8")
    assert not store_is_fresh(build_dir)
    s = open_store(build_dir)
    assert s.ask(f'ASK {{ <{EX}i2> <{EX}title> "贰"@zh }}') and s.path != first


def test_a_store_folder_gongkai_did_not_make_is_used_as_it_is(build_dir: Settings, tmp_path: Path) -> None:
    own = tmp_path / "mine"
    s = EmbeddedStore(own)
    s.replace_graph(iri("g"), _graph((iri("a"), iri("p"), Literal("v"))))
    s.close()
    del s
    settings = Settings(root=build_dir.root, build_dir=build_dir.build_dir, store_dir=own)
    assert len(open_store(settings)) == 1


def test_open_store_without_a_build_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="gongkai build"):
        open_store(Settings(root=tmp_path, build_dir=tmp_path / "nothing"))


def test_load_embedded_names_each_stage_of_the_load(build_dir: Settings) -> None:
    calls: list[tuple[str, int, int]] = []
    path = load_embedded(build_dir, progress=lambda *call: calls.append(call))
    assert path == embedded_store_path(build_dir).resolve()  # the new version's store
    shown = embedded_store_path(build_dir)  # named by its public name, build/store
    stages = list(dict.fromkeys(stage for stage, _, _ in calls))
    assert stages == [(f"loading {built_graph(build_dir)} ({built_graph(build_dir).stat().st_size} bytes) "
                       f"into the embedded store {shown}"),
                      f"writing the indexes of the embedded store {shown}",
                      f"compacting the embedded store {shown}"]
    assert calls[-2:] == [(stages[2], 0, 0), (stages[2], 1, 1)]


def test_load_embedded_swaps_in_a_new_store(build_dir: Settings) -> None:
    path = load_embedded(build_dir)
    reader = EmbeddedStore(path, read_only=True)
    assert len(reader) == 5
    load_embedded(build_dir)  # rebuilt beside it and swapped while a reader has it open
    assert len(EmbeddedStore(path, read_only=True)) == 5
    assert not list(path.parent.glob("store.new-*")) and not list(path.parent.glob("store.old-*"))


def test_the_server_serves_the_embedded_store_with_its_set_union(build_dir: Settings) -> None:
    """`gongkai serve` serves the current version's embedded store: its default graph holds
    each statement of the lists' graphs once, so the server needs no bag union of its own;
    the served version is leased, so a new build does not remove it."""
    shared = f"<{EX}org> <{EX}name> \"局\"@zh ."
    built_graph(build_dir).write_text(TRIG.replace("ex:n 1 .", f"ex:n 1 . {shared}")
                                      .replace("ex:n 2 .", f"ex:n 2 . {shared}"), encoding="utf-8")
    srv = prepare_server_store(build_dir)
    assert not srv.union and srv.location == embedded_store_path(build_dir).resolve() and store_is_fresh(build_dir)
    assert srv.version == BuildFolder(build_dir.out_dir).current_id() and srv.lease is not None
    served = EmbeddedStore(srv.location, read_only=True)
    assert served.mirrored and len(served) == 7  # statements in the named graphs: the shared one twice
    assert int(served.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows[0]["n"]) == 6
    del served
    # read-write: loaded by `oxigraph load` into a store of the server's own, which makes the union itself
    rw = prepare_server_store(build_dir, writable=True)
    assert rw.union and rw.location == server_store_path(build_dir)
    stamp = (rw.location / STAMP).stat().st_mtime_ns
    assert prepare_server_store(build_dir, writable=True).location == rw.location
    assert (rw.location / STAMP).stat().st_mtime_ns == stamp  # not loaded again for the same build
    assert not list(rw.location.parent.glob("oxigraph-server.new-*"))


def test_run_query_refuses_updates_unless_allowed(build_dir: Settings) -> None:
    s = EmbeddedStore()
    s.load_file(built_graph(build_dir))
    with pytest.raises(QueryError, match=r"read-only.*--allow-update"):
        run_query(s, "DROP ALL")
    assert len(s) == 5
    run_query(s, f"DROP GRAPH <{EX}list1>", allow_update=True)
    assert len(s) == 3


def test_run_query_answers_ask_and_construct_as_rows() -> None:
    s = MemoryStore()
    s.replace_graph(iri("g"), _graph((iri("a"), iri("p"), Literal("v"))))
    assert [str(r["answer"]) for r in run_query(s, "ASK { ?s ?p ?o }").rows] == ["true"]
    rows = run_query(s, "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }").rows
    assert rows == [{"subject": iri("a"), "predicate": iri("p"), "object": Literal("v")}]


def test_push_replaces_every_graph_and_is_idempotent(build_dir: Settings) -> None:
    graphs = graphs_of_file(built_graph(build_dir))
    assert [str(n) for n, _ in graphs] == [EX + "list1", EX + "list2"]
    target = MemoryStore()
    first = push(target, built_graph(build_dir))
    second = push(target, built_graph(build_dir))
    assert (first.graphs, first.triples, first.count_before, first.count_after) == (2, 5, 0, 5)
    assert (second.count_before, second.count_after) == (5, 5)


RESULT = Result(vars=["bureau", "category", "category_en", "items"], rows=[
    {"bureau": Literal("测试局", lang="zh"), "category": Literal("基本信息", lang="zh"),
     "category_en": Literal("basic information", lang="en"), "items": Literal(3)},
    {"bureau": Literal("测试局", lang="zh"), "category": Literal("校园安全", lang="zh"), "items": Literal(2)},
])


def test_english_columns_replace_chinese_ones_in_english_only() -> None:
    assert [c[0] for c in display_columns(RESULT.vars, "zh")] == ["bureau", "category", "items"]
    assert label_rows(RESULT, "en") == [
        {"bureau": "测试局", "category": "basic information", "items": "3"},
        {"bureau": "测试局", "category": "校园安全", "items": "2"},  # no English label: the Chinese one
    ]
    assert list(label_rows(RESULT)[0]) == RESULT.vars  # no language: every column


def test_render_csv_tsv_json() -> None:
    assert render(RESULT, "csv", "zh").splitlines() == ["bureau,category,items", "测试局,基本信息,3",
                                                         "测试局,校园安全,2"]
    assert render(RESULT, "tsv", "en").splitlines()[1] == "测试局\tbasic information\t3"
    assert json.loads(render(RESULT, "json", "zh"))[1] == {"bureau": "测试局", "category": "校园安全", "items": 2}
    with pytest.raises(QueryError):
        render(RESULT, "xml")


# --- the remote backend, against small local HTTP servers --------------------------------

class Recorder:
    def __init__(self) -> None:
        self.requests: list[dict] = []


@contextmanager
def http_server(respond: Callable[[BaseHTTPRequestHandler, dict], None]) -> Iterator[tuple[str, Recorder]]:
    """A local HTTP server on a free port; ``respond(handler, request)`` answers each request."""
    rec = Recorder()

    class Handler(BaseHTTPRequestHandler):
        def _handle(self) -> None:
            n = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(n).decode("utf-8") if n else ""
            req = {"method": self.command, "path": self.path, "headers": dict(self.headers), "body": body,
                   "form": urllib.parse.parse_qs(body) if "urlencoded" in self.headers.get("Content-Type", "") else {}}
            rec.requests.append(req)
            respond(self, req)

        do_GET = do_POST = do_PUT = _handle  # noqa: N815 - the names http.server calls

        def log_message(self, *args) -> None:
            pass

    class Server(ThreadingHTTPServer):
        daemon_threads = True

        def handle_error(self, request, client_address) -> None:
            # a client that gave up waiting (the timeout tests) leaves the handler writing to
            # a closed socket: not a failure of the server, and no traceback on stderr
            if not isinstance(sys.exc_info()[1], ConnectionError):
                super().handle_error(request, client_address)

    server = Server(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", rec
    finally:
        server.shutdown()
        server.server_close()


def reply(handler: BaseHTTPRequestHandler, status: int, body: str | bytes = b"",
          ctype: str = "application/sparql-results+json") -> None:
    data = body.encode("utf-8") if isinstance(body, str) else body
    handler.send_response(status)
    handler.send_header("Content-Type", ctype)
    handler.send_header("Content-Length", str(len(data)))
    handler.end_headers()
    handler.wfile.write(data)


SELECT_JSON = json.dumps({"head": {"vars": ["s", "label", "n", "b"]}, "results": {"bindings": [
    {"s": {"type": "uri", "value": EX + "a"}, "label": {"type": "literal", "xml:lang": "zh", "value": "年报"},
     "n": {"type": "typed-literal", "datatype": str(_ns.XSD.integer), "value": "20"},
     "b": {"type": "bnode", "value": "x1"}},
    {"s": {"type": "uri", "value": EX + "b"}, "label": {"type": "literal", "value": "plain"}},
]}})


def _remote(url: str, **kw) -> RemoteStore:
    store = RemoteStore(Endpoint(url + "/sparql", **kw))
    store.slept = []  # type: ignore[attr-defined]
    store.sleep = store.slept.append  # type: ignore[attr-defined]
    return store


def test_remote_select_reads_sparql_json_and_writes_the_value_as_one_term() -> None:
    with http_server(lambda h, _r: reply(h, 200, SELECT_JSON)) as (url, rec):
        res = _remote(url).select("SELECT ?s ?label ?n ?b WHERE { ?s <http://x/t> ?label FILTER(?label = ?_q) }",
                                  {"_q": Literal(NASTY)})
    assert res.vars == ["s", "label", "n", "b"]
    assert res.rows[0] == {"s": iri("a"), "label": Literal("年报", lang="zh"),
                           "n": Literal("20", datatype=_ns.XSD.integer), "b": BNode("x1")}
    assert res.rows[1] == {"s": iri("b"), "label": Literal("plain")}
    assert len(rec.requests) == 1
    sent = rec.requests[0]
    assert sent["method"] == "POST" and "sparql-results+json" in sent["headers"]["Accept"]
    query = sent["form"]["query"][0]
    # the hostile value is one escaped literal, in place of the variable (servers plan with it)
    assert query == 'SELECT ?s ?label ?n ?b WHERE { ?s <http://x/t> ?label FILTER(?label = "\\"> } ; DROP ALL") }'


def test_remote_parameter_where_a_constant_may_not_stand_is_bound_by_values() -> None:
    with http_server(lambda h, _r: reply(h, 200, SELECT_JSON)) as (url, rec):
        _remote(url).select("SELECT ?_q ?s WHERE { ?s <http://x/t> ?_q }", {"_q": Literal(NASTY)})
    query = rec.requests[0]["form"]["query"][0]
    assert 'VALUES (?_q) { ("\\"> } ; DROP ALL") }' in query and "?s <http://x/t> ?_q" in query


def test_remote_text_rejected_as_malformed_is_sent_again_with_values() -> None:
    """A constant where the grammar wants a variable or an IRI (here a literal as a graph
    name) makes the server answer 400: the query is sent again with a VALUES block."""
    def respond(h, r):
        if "VALUES" in r["form"]["query"][0]:
            reply(h, 200, SELECT_JSON)
        else:
            reply(h, 400, "Parse error: a literal cannot name a graph", "text/plain")
    with http_server(respond) as (url, rec):
        res = _remote(url).select("SELECT ?s WHERE { GRAPH ?_g { ?s ?p ?o } }", {"_g": Literal("x")})
    assert len(res.rows) == 2 and len(rec.requests) == 2
    assert 'GRAPH "x"' in rec.requests[0]["form"]["query"][0]
    assert 'VALUES (?_g) { ("x") }' in rec.requests[1]["form"]["query"][0]


def test_remote_malformed_query_is_a_query_error_either_way() -> None:
    with (http_server(lambda h, _r: reply(h, 400, "Parse error at line 1", "text/plain")) as (url, rec),
          pytest.raises(QueryError, match=r"rejected the request as malformed \(HTTP 400\).*Parse error")):
        _remote(url).select("SELECT ?s WHERE { ?s ?p ?_v", {"_v": Literal(1)})
    assert len(rec.requests) == 2  # the written text, then the VALUES form


def test_remote_ask_and_construct() -> None:
    def respond(h, r):
        q = r["form"]["query"][0]
        if q.startswith("ASK"):
            reply(h, 200, json.dumps({"head": {}, "boolean": True}))
        else:
            reply(h, 200, f'<{EX}a> <{EX}p> "值"@zh .\n', "application/n-triples")
    with http_server(respond) as (url, _):
        store = _remote(url)
        assert store.ask("ASK { ?s ?p ?o }")
        assert set(store.construct("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")) == {
            (iri("a"), iri("p"), Literal("值", lang="zh"))}


def test_remote_retries_5xx_with_back_off_then_succeeds() -> None:
    answers = [500, 503, 200]

    def respond(h, r):
        status = answers.pop(0)
        reply(h, status, SELECT_JSON if status == 200 else "busy", "application/sparql-results+json"
              if status == 200 else "text/plain")
    with http_server(respond) as (url, rec):
        store = _remote(url, retries=2, backoff=0.25)
        assert len(store.select("SELECT * WHERE { ?s ?p ?o }").rows) == 2
    assert len(rec.requests) == 3 and store.slept == [0.25, 0.5]


def test_remote_http_500_gives_a_clear_error_naming_the_endpoint() -> None:
    with http_server(lambda h, _r: reply(h, 500, "Internal Server Error: boom", "text/plain")) as (url, rec):
        store = _remote(url, retries=1)
        with pytest.raises(StoreError, match=r"sparql failed with HTTP 500 after 2 attempts.*boom") as e:
            store.select("SELECT * WHERE { ?s ?p ?o }")
    assert url in str(e.value) and len(rec.requests) == 2


@pytest.mark.parametrize("estimate, said", [("601", "601 s"),
                                             ("-2052550656", r"more than it can count \(-2052550656 s")])
def test_remote_virtuoso_refusing_a_query_by_its_cost_estimate_is_named_and_not_retried(estimate, said) -> None:
    # Virtuoso 7's answer when a query's estimated cost passes MaxQueryCostEstimationTime
    # (at 10,000 bureaus it gave both: a figure, and one that had overflowed)
    body = (f"Virtuoso 42000 Error The estimated execution time {estimate} (sec) exceeds the limit of 400 (sec).\n\n"
            "SPARQL query:\nSELECT * WHERE { ?s ?p ?o }")
    with http_server(lambda h, _r: reply(h, 500, body, "text/plain")) as (url, rec):
        store = _remote(url, retries=2)
        with pytest.raises(StoreError, match=r"refused the query while running a query: it estimated that the "
                                              rf"query would run {said}.*over its limit of 400 s.*"
                                              r"MaxQueryCostEstimationTime.*-1 turns the check off") as e:
            store.select("SELECT * WHERE { ?s ?p ?o }")
    assert url in str(e.value) and len(rec.requests) == 1


def test_remote_slow_endpoint_times_out_clearly() -> None:
    def respond(h, r):
        time.sleep(1.5)
        reply(h, 200, SELECT_JSON)
    with http_server(respond) as (url, _):
        store = _remote(url, timeout=0.3)
        t0 = time.monotonic()
        with pytest.raises(QueryError, match=r"^the query was stopped after 0.3 s: .* did not answer within 0.3 s"):
            store.select("SELECT * WHERE { ?s ?p ?o }")
    assert time.monotonic() - t0 < 1.4  # not retried


def test_remote_endpoint_down_is_connection_refused() -> None:
    with http_server(lambda _h, _r: None) as (url, _):
        pass  # the port is free again
    with pytest.raises(StoreError, match=r"cannot reach the SPARQL endpoint .*connection refused"):
        _remote(url).select("SELECT * WHERE { ?s ?p ?o }")


@pytest.mark.parametrize("status, error, message", [
    (400, QueryError, "malformed"),
    (401, StoreError, "credentials"),
    (404, StoreError, "does not exist"),
    (403, StoreError, "HTTP 403"),
])
def test_remote_client_errors_are_not_retried(status, error, message) -> None:
    with (http_server(lambda h, _r: reply(h, status, "no", "text/plain")) as (url, rec),
          pytest.raises(error, match=message)):
        _remote(url).select("SELECT * WHERE { ?s ?p ?o }")
    assert len(rec.requests) == 1


def test_remote_basic_auth_is_sent() -> None:
    with http_server(lambda h, _r: reply(h, 200, SELECT_JSON)) as (url, rec):
        store = _remote(url, user="reader", password="秘密")
        store.replace_graph(iri("g"), NTriples(f"<{EX}a> <{EX}p> <{EX}b> .\n"))
    assert rec.requests[0]["headers"]["Authorization"].startswith("Basic ")


def test_remote_replace_graph_through_the_graph_store_protocol() -> None:
    with http_server(lambda h, _r: reply(h, 201, "")) as (url, rec):
        store = RemoteStore(Endpoint(url + "/query", graph_store=url + "/store"))
        store.replace_graph(URIRef("https://w3id.org/gongkai/list/x/2021-01-01"),
                            NTriples(f'<{EX}a> <{EX}p> "值" .\n'))
    put = rec.requests[0]
    assert put["method"] == "PUT" and put["headers"]["Content-Type"].startswith("application/n-triples")
    assert urllib.parse.parse_qs(urllib.parse.urlparse(put["path"]).query) == {
        "graph": ["https://w3id.org/gongkai/list/x/2021-01-01"]}
    assert put["body"] == f'<{EX}a> <{EX}p> "值" .\n'


def test_remote_replace_graph_through_updates_in_chunks_blank_nodes_together() -> None:
    lines = [f'<{EX}s{i}> <{EX}p> "{i}" .' for i in range(5)] + \
            [f"_:b1 <{EX}first> <{EX}x> .", f"<{EX}s0> <{EX}list> _:b1 ."]
    with http_server(lambda h, _r: reply(h, 200, "")) as (url, rec):
        store = RemoteStore(Endpoint(url + "/query", update=url + "/update", chunk=2))
        store.replace_graph(iri("g"), NTriples("\n".join(lines) + "\n"))
    updates = [r["form"]["update"][0] for r in rec.requests]
    assert all(r["path"] == "/update" for r in rec.requests)
    assert updates[0] == f"DROP SILENT GRAPH <{EX}g>"
    assert updates[1].startswith(f"INSERT {{ GRAPH <{EX}g>") and updates[1].endswith("WHERE {}")
    assert "_:b1 <" in updates[1] and "> _:b1 ." in updates[1]
    assert [u.count(" .") for u in updates[2:]] == [2, 2, 1]
    assert all(u.startswith("INSERT DATA") for u in updates[2:])


def test_remote_small_graph_is_replaced_in_one_request() -> None:
    with http_server(lambda h, _r: reply(h, 200, "")) as (url, rec):
        RemoteStore(Endpoint(url + "/sparql")).replace_graph(iri("g"), NTriples(f"<{EX}a> <{EX}p> <{EX}b> .\n"))
    assert len(rec.requests) == 1
    assert rec.requests[0]["form"]["update"][0].startswith(f"DROP SILENT GRAPH <{EX}g> ;\nINSERT DATA")


def test_remote_answer_that_is_not_json_is_reported() -> None:
    with (http_server(lambda h, _r: reply(h, 200, "<html>login</html>", "text/html")) as (url, _),
          pytest.raises(StoreError, match="did not send SPARQL JSON")):
        _remote(url).select("SELECT * WHERE { ?s ?p ?o }")


def test_remote_answer_cut_off_midway_says_so() -> None:
    """A server that stops streaming its results (a time limit on its side) sends JSON that
    breaks off; the message says the answer was cut off, not that it is not JSON."""
    whole = json.dumps({"head": {"vars": ["s"]}, "results": {"bindings": [
        {"s": {"type": "literal", "value": "中卫市" * 50}} for _ in range(200)]}}, ensure_ascii=False).encode("utf-8")
    cancelled = b"The SPARQL operation has been cancelled"  # what the Oxigraph server writes
    for body, then in ((whole[:len(whole) // 2], "then nothing"), (whole[:len(whole) - 1], "then nothing"),
                       (whole[:whole.index("中".encode()) + 1], "then nothing"),
                       (whole[:whole.index(b"[") + 1] + cancelled, "then: 'The SPARQL operation has been cancelled'")):
        with (http_server(lambda h, _r, body=body: reply(h, 200, body, "application/sparql-results+json")) as (url, _),
              pytest.raises(StoreError, match=r"stopped in the middle of its answer \(\d[\d,]* bytes of "
                                              rf"SPARQL JSON, {re.escape(then)}\)")):
            _remote(url).select("SELECT * WHERE { ?s ?p ?o }")


def test_term_from_json_reads_virtuoso_typed_literals() -> None:
    assert term_from_json({"type": "typed-literal", "datatype": str(_ns.XSD.boolean), "value": "1"}) == \
        Literal("1", datatype=_ns.XSD.boolean)
    assert term_from_json({"type": "literal", "datatype": str(_ns.XSD.string), "value": "x"}) == Literal("x")
    with pytest.raises(StoreError):
        term_from_json({"type": "triple", "value": "?"})


def test_the_update_url_follows_the_query_url() -> None:
    assert Endpoint("http://h:7878/query").update_url == "http://h:7878/update"
    assert Endpoint("http://h:3030/ds/query").update_url == "http://h:3030/ds/update"
    assert Endpoint("http://h:8890/sparql").update_url == "http://h:8890/sparql"
    assert Endpoint("http://h/query", update="http://h/u").update_url == "http://h/u"
