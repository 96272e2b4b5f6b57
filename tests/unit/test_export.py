"""Exports of the whole graph or chosen lists: every format carries the same graph, the
JSON-LD is compacted with the curated context and expands (pyld, offline) to exactly the
triples it was made from, the CSV is the item table, lists are chosen by IRI or name."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from pyld import jsonld
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic
from typer.testing import CliRunner

from gongkai.cli.common import app
from gongkai.publish.export import (
    EXPORT_FORMATS,
    distinct_triples,
    export_bytes,
    items_csv,
    lists_in,
    quads_of_lists,
    select_lists,
)
from gongkai.publish.jsonld import CONTEXT_URL, Context, dumps, triples_document
from gongkai.publish.source import from_folder, from_graph_file
from gongkai.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "data" / "raw" / "zhongwei-yunjisuan-2021.txt"
FIX = ROOT / "tests" / "fixtures" / "text"
CONTEXT = ROOT / "ontology" / "context.jsonld"
GIDR_2019 = "https://w3id.org/gongkai/legal/guowuyuanling/711"
SEED_LIST = "https://w3id.org/gongkai/list/zhongweishiyunjisuanhedashujufazhanju/2021-06-16"
SETTINGS = Settings(root=ROOT, fixed_time=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))


def offline_loader(url, options=None):
    """pyld's document loader: the published context is served from the local copy, and
    any other fetch fails (tests run offline)."""
    if url == CONTEXT_URL:
        return {"contentType": "application/ld+json", "contextUrl": None, "documentUrl": url,
                "document": json.loads(CONTEXT.read_text(encoding="utf-8"))}
    raise RuntimeError(f"offline: refusing to fetch {url}")


def expand_to_dataset(doc: dict) -> Dataset:
    nq = jsonld.to_rdf(doc, {"format": "application/n-quads", "documentLoader": offline_loader})
    ds = Dataset()
    ds.parse(data=nq, format="nquads")
    return ds


def graphs_of(ds: Dataset) -> dict[str, Graph]:
    out: dict[str, Graph] = {}
    for s, p, o, g in ds.quads():
        out.setdefault(str(g), Graph()).add((s, p, o))
    return out


def rdflib_graph(triples) -> Graph:
    g = Graph()
    g.parse(data=ox.serialize(list(triples), format=ox.RdfFormat.N_TRIPLES).decode(), format="nt")
    return g


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    """The original list and two lists from other bureaus."""
    d = tmp_path_factory.mktemp("lists")
    for f in (SEED, FIX / "anlan-shengtai-2022.txt", FIX / "qinghe-jiaoyu-2023.txt"):
        shutil.copy(f, d / f.name)
    return d


@pytest.fixture(scope="module")
def source(folder):
    src = from_folder(SETTINGS, folder)
    assert not src.failed, src.failed
    return src


@pytest.fixture(scope="module")
def context() -> Context:
    return Context.load(CONTEXT)


@pytest.fixture(scope="module")
def merged(source) -> Graph:
    return rdflib_graph(distinct_triples(source.quads))


# --- formats ----------------------------------------------------------------------------

def test_the_formats_of_the_issue_are_offered() -> None:
    assert {"ttl", "trig", "nt", "jsonld", "rdfxml", "csv"} <= set(EXPORT_FORMATS)
    assert EXPORT_FORMATS["ttl"].media_type == "text/turtle"
    assert EXPORT_FORMATS["jsonld"].media_type == "application/ld+json"
    assert EXPORT_FORMATS["rdfxml"].extension == "rdf"


@pytest.mark.parametrize("fmt,parser", [("ttl", "turtle"), ("nt", "nt"), ("rdfxml", "xml")])
def test_triple_formats_carry_the_merged_graph(source, merged, fmt, parser) -> None:
    g = Graph().parse(data=export_bytes(source.quads, fmt).decode("utf-8"), format=parser)
    assert len(g) == len(merged) > 1000
    assert isomorphic(g, merged)


def test_trig_keeps_one_named_graph_per_list(source) -> None:
    ds = Dataset()
    ds.parse(data=export_bytes(source.quads, "trig").decode("utf-8"), format="trig")
    names = set(graphs_of(ds))
    assert SEED_LIST in names
    assert {"https://w3id.org/gongkai/ontology", "https://w3id.org/gongkai/vocab"} <= names
    assert len([n for n in names if "/list/" in n]) == 3


def test_turtle_uses_the_project_prefixes(source) -> None:
    text = export_bytes(source.quads, "ttl").decode("utf-8")
    assert "@prefix gk: <https://w3id.org/gongkai/ontology#> ." in text
    assert "gk:DisclosureItem" in text


def test_export_is_deterministic(source) -> None:
    for fmt in ("ttl", "trig", "nt"):
        assert export_bytes(source.quads, fmt) == export_bytes(list(reversed(source.quads)), fmt)


def test_unknown_format_is_refused(source) -> None:
    with pytest.raises(ValueError, match="unknown export format"):
        export_bytes(source.quads, "yaml")


# --- JSON-LD ----------------------------------------------------------------------------

def test_jsonld_expands_to_the_same_named_graphs(source, context) -> None:
    doc = json.loads(export_bytes(source.quads, "jsonld", context=context))
    assert doc["@context"] == CONTEXT_URL
    got = graphs_of(expand_to_dataset(doc))
    ds = Dataset()
    ds.parse(data=export_bytes(source.quads, "trig").decode("utf-8"), format="trig")
    want = graphs_of(ds)
    assert set(got) == set(want)
    for name in want:
        assert isomorphic(got[name], want[name]), name


def test_jsonld_reads_with_the_curated_keys(source, context) -> None:
    seed = [q for q in source.quads if q.graph_name.value == SEED_LIST]
    doc = triples_document(context, [ox.Triple(q.subject, q.predicate, q.object) for q in seed], root=SEED_LIST)
    lst = doc["@graph"][0]
    assert lst["id"] == SEED_LIST and lst["type"] == "DisclosureList"
    assert lst["title"] == {"zh": "中卫市云计算和大数据发展局政务公开清单目录"}
    item13 = next(i for i in lst["items"] if i["number"] == 13)   # items nest in their list
    for key in ("title", "legalBasis", "citations", "reliesOn", "timeLimit", "channels", "audience",
                "mode", "category", "sourceLines"):
        assert key in item13, key
    assert item13["mode"] == ["gkv:mode/active"]
    assert item13["audience"] == ["gkv:audience/public"]
    assert item13["legalBasis"]["zh"].startswith("《中华人民共和国政府信息公开条例》")
    cit = item13["citations"][1]
    assert cit["id"].endswith("/item/13/citation/2") and cit["type"] == "Citation"
    assert cit["rawText"] == {"zh": "《预算法》"} and cit["resolved"] is True
    assert cit["cites"].endswith("/legal/title/zhonghuarenmingongheguoyusuanfa/2018")
    assert item13["timeLimit"]["rawText"] == {"zh": "财政部门批复后20日内"}
    assert sorted(item13["clauses"]) == [f"{GIDR_2019}/art_20/point_7", f"{GIDR_2019}/art_20/point_9"]
    budget = next(a for a in item13["clauseAssignments"] if a["id"].endswith("/clause/art20-7"))
    assert (budget["type"], budget["rule"], budget["matchedText"], budget["confidence"]) == (
        "ClauseAssignment", "name-budget", {"zh": "决算"}, "0.8")
    assert item13["timeLimit"]["duration"] == {"id": item13["timeLimit"]["id"] + "/duration", "type": "Duration",
                                               "amount": "20.0", "unit": "time:unitDay"}


def test_jsonld_language_maps_hold_both_languages(context) -> None:
    concept = ox.NamedNode("https://w3id.org/gongkai/vocab/mode/active")
    pref = ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")
    doc = triples_document(context, [ox.Triple(concept, pref, ox.Literal("主动公开", language="zh")),
                                      ox.Triple(concept, pref, ox.Literal("proactive", language="en"))])
    assert doc["prefLabel"] == {"zh": "主动公开", "en": "proactive"}
    assert doc["id"] == "gkv:mode/active"


def test_jsonld_inline_context_needs_no_fetch(source, context) -> None:
    doc = json.loads(export_bytes(source.quads, "jsonld", context=context, inline_context=True))
    assert isinstance(doc["@context"], dict) and doc["@context"]["gk"].endswith("ontology#")

    def no_fetch(url, options=None):
        raise AssertionError(f"fetched {url}")

    nq = jsonld.to_rdf(doc, {"format": "application/n-quads", "documentLoader": no_fetch})
    assert nq.count("\n") == len(set(source.quads))


LOCAL_BASE = "http://127.0.0.1:8000/"


def test_jsonld_under_another_base_embeds_its_context(folder, context) -> None:
    """The w3id context IRI describes the default base only: a graph under another base
    carries its context, so it reads offline and no one else's IRI decides its meaning."""
    settings = Settings(root=ROOT, base=LOCAL_BASE, fixed_time=SETTINGS.fixed_time)
    quads = from_folder(settings, folder).quads
    data = export_bytes(quads, "jsonld", context=context, base=LOCAL_BASE)
    assert CONTEXT_URL.encode() not in data
    doc = json.loads(data)
    assert doc["@context"] == context.document["@context"]

    def no_fetch(url, options=None):
        raise RuntimeError(f"offline: refusing to fetch {url}")

    nq = jsonld.to_rdf(doc, {"format": "application/n-quads", "documentLoader": no_fetch})
    got = Dataset()
    got.parse(data=nq, format="nquads")
    want = Dataset()
    want.parse(data=export_bytes(quads, "trig", base=LOCAL_BASE).decode("utf-8"), format="trig")
    assert graphs_of(got).keys() == graphs_of(want).keys()
    for name, g in graphs_of(want).items():
        assert isomorphic(graphs_of(got)[name], g), name


def test_cli_export_under_another_base_embeds_the_context(folder, tmp_path) -> None:
    out = tmp_path / "kg.jsonld"
    r = CliRunner().invoke(app, ["export", "--from", str(folder), "--base", LOCAL_BASE, "-o", str(out)])
    assert r.exit_code == 0, r.output
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert isinstance(doc["@context"], dict)
    assert len(Dataset().parse(out, format="json-ld")) > 1000      # rdflib, with nothing to fetch


def _roundtrip(context: Context, triples: list[ox.Triple]) -> tuple[dict, bool]:
    doc = json.loads(dumps(triples_document(context, triples)))
    nq = jsonld.to_rdf(doc, {"format": "application/n-quads", "documentLoader": offline_loader})
    got = Graph().parse(data=nq, format="nquads") if nq.strip() else Graph()
    return doc, isomorphic(got, rdflib_graph(triples))


S = ox.NamedNode("https://w3id.org/gongkai/list/x/2021-01-01/item/1")


def _p(curie: str) -> ox.NamedNode:
    prefix, local = curie.split(":")
    ns = {"dct": "http://purl.org/dc/terms/", "gk": "https://w3id.org/gongkai/ontology#",
          "xsd": "http://www.w3.org/2001/XMLSchema#", "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
          "ex": "http://example.org/ns#", "owl": "http://www.w3.org/2002/07/owl#"}[prefix]
    return ox.NamedNode(ns + local)


@pytest.mark.parametrize("name,triples,check", [
    ("plain string under a language map goes to @none",
     [ox.Triple(S, _p("dct:title"), ox.Literal("file.txt"))], lambda d: d["title"] == {"@none": "file.txt"}),
    ("literal under an @id term becomes a value object",
     [ox.Triple(S, _p("gk:inList"), ox.Literal("not an IRI"))], lambda d: d["list"] == {"@value": "not an IRI"}),
    ("literal of another datatype keeps its type",
     [ox.Triple(S, _p("gk:itemNumber"), ox.Literal("1.5", datatype=_p("xsd:decimal")))],
     lambda d: d["number"] == {"@value": "1.5", "@type": "xsd:decimal"}),
    ("non-canonical integer stays a string",
     [ox.Triple(S, _p("gk:itemNumber"), ox.Literal("013", datatype=_p("xsd:integer")))],
     lambda d: d["number"] == "013"),
    ("a property without a term keeps its compact IRI",
     [ox.Triple(S, _p("ex:colour"), ox.Literal("red"))], lambda d: d["http://example.org/ns#colour"] == "red"),
    ("an IRI value of a term without coercion is a node reference",
     [ox.Triple(S, _p("dct:source"), ox.NamedNode("http://example.org/page"))],
     lambda d: d["source"] == {"id": "http://example.org/page"}),
    ("a sub-node referenced once is nested",
     [ox.Triple(S, _p("gk:timeLimit"), ox.NamedNode(S.value + "/time-limit")),
      ox.Triple(ox.NamedNode(S.value + "/time-limit"), _p("gk:rawText"), ox.Literal("20日内", language="zh"))],
     lambda d: d["timeLimit"]["rawText"] == {"zh": "20日内"}),
    ("a node referenced twice is not nested",
     [ox.Triple(S, _p("gk:timeLimit"), ox.NamedNode(S.value + "/tl")),
      ox.Triple(S, _p("gk:duration"), ox.NamedNode(S.value + "/tl")),
      ox.Triple(ox.NamedNode(S.value + "/tl"), _p("gk:rawText"), ox.Literal("x", language="zh"))],
     lambda d: d["@graph"][0]["timeLimit"] == S.value + "/tl"),
    ("an RDF list of blank nodes survives",
     [ox.Triple(S, _p("owl:propertyChainAxiom"), ox.BlankNode("l1")),
      ox.Triple(ox.BlankNode("l1"), _p("rdf:first"), _p("gk:citation")),
      ox.Triple(ox.BlankNode("l1"), _p("rdf:rest"), ox.BlankNode("l2")),
      ox.Triple(ox.BlankNode("l2"), _p("rdf:first"), _p("gk:cites")),
      ox.Triple(ox.BlankNode("l2"), _p("rdf:rest"), _p("rdf:nil"))],
     lambda d: "owl:propertyChainAxiom" in d),
])
def test_jsonld_values_that_do_not_fit_their_term_still_round_trip(context, name, triples, check) -> None:
    doc, same = _roundtrip(context, triples)
    assert same, name
    assert check(doc), (name, doc)


def test_context_file_is_valid_json_ld_and_names_every_mapped_predicate(source, context) -> None:
    """Every predicate the mapper writes has a readable key (no compact IRIs in list data)."""
    seed = {q.predicate.value for q in source.quads if "/list/" in getattr(q.graph_name, "value", "")}
    missing = sorted(p for p in seed if p not in context.by_iri and not p.endswith("#type"))
    assert missing == []
    jsonld.expand({"@context": CONTEXT_URL, "title": {"zh": "x"}}, {"documentLoader": offline_loader})


# --- CSV and choosing lists ------------------------------------------------------------

def test_csv_is_the_item_table(source) -> None:
    assert export_bytes(source.quads, "csv", lists=source.lists).decode("utf-8") == items_csv(source.lists)


def test_csv_needs_the_parsed_lists(source) -> None:
    with pytest.raises(ValueError, match="parsed lists"):
        export_bytes(source.quads, "csv")


def test_lists_are_found_with_their_bureau(source) -> None:
    refs = {r.iri: r for r in lists_in(source.quads)}
    assert len(refs) == 3
    assert refs[SEED_LIST].bureau_names == ("中卫市云计算和大数据发展局",)
    assert refs[SEED_LIST].key == "zhongweishiyunjisuanhedashujufazhanju/2021-06-16"


@pytest.mark.parametrize("selector", [
    SEED_LIST, "zhongweishiyunjisuanhedashujufazhanju/2021-06-16", "中卫市云计算和大数据发展局",
    "中卫市 云计算和大数据发展局", "https://w3id.org/gongkai/org/zhongweishiyunjisuanhedashujufazhanju",
    "zhongweishiyunjisuanhedashujufazhanju",
])
def test_a_list_is_chosen_by_iri_key_or_bureau(source, selector) -> None:
    chosen = select_lists(lists_in(source.quads), [selector])
    assert [r.iri for r in chosen] == [SEED_LIST]
    quads = quads_of_lists(source.quads, chosen)
    assert quads and {q.graph_name.value for q in quads} == {SEED_LIST}


def test_an_unknown_list_is_an_error_naming_the_lists(source) -> None:
    with pytest.raises(ValueError, match=r"no list matches 'nowhere'.*中卫市云计算和大数据发展局"):
        select_lists(lists_in(source.quads), ["nowhere"])


def test_source_only_keeps_the_chosen_lists_and_their_models(source) -> None:
    only = source.only(["中卫市云计算和大数据发展局"])
    assert [dl.bureau.name for dl in only.lists] == ["中卫市云计算和大数据发展局"]
    assert items_csv(only.lists).count("\r\n") == 19   # header + 18 items


def test_a_graph_file_is_a_source_without_lists(source, tmp_path) -> None:
    path = tmp_path / "kg.trig"
    path.write_bytes(export_bytes(source.quads, "trig"))
    again = from_graph_file(path)
    assert again.lists is None
    assert set(again.quads) == set(source.quads)


# --- the command ------------------------------------------------------------------------

def test_cli_exports_a_chosen_list_as_json_ld(folder, tmp_path) -> None:
    out = tmp_path / "seed.jsonld"
    r = CliRunner().invoke(app, ["export", "--from", str(folder), "--format", "jsonld",
                                 "--list", "中卫市云计算和大数据发展局", "-o", str(out)])
    assert r.exit_code == 0, r.output
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert [g["id"] for g in doc["@graph"]] == [SEED_LIST]
    ds = expand_to_dataset(doc)
    assert len(ds) > 700


def test_cli_picks_the_format_from_the_extension(folder, tmp_path) -> None:
    out = tmp_path / "items.csv"
    r = CliRunner().invoke(app, ["export", "--from", str(folder), "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert out.read_bytes().startswith(b"\xef\xbb\xbfbureau,")


def test_cli_rejects_an_unknown_list_with_exit_2(folder) -> None:
    r = CliRunner().invoke(app, ["export", "--from", str(folder), "--list", "nowhere"])
    assert r.exit_code == 2
    assert "no list matches" in r.output


def test_cli_csv_from_a_graph_file_is_an_error(source, tmp_path) -> None:
    path = tmp_path / "kg.nq"
    path.write_bytes(export_bytes(source.quads, "nq"))
    r = CliRunner().invoke(app, ["export", "--from", str(path), "--format", "csv"])
    assert r.exit_code == 2 and "parsed lists" in r.output


def test_ingest_outputs_still_work(tmp_path) -> None:
    """The older path (one list, rdflib graphs) keeps working for `gongkai ingest`."""
    from gongkai.ingest import ingest_file
    from gongkai.publish.export import write_output
    from gongkai.rdf.mapping import map_list
    from gongkai.reference_data import map_context

    dl = ingest_file(SEED, SETTINGS)
    graph = map_list(dl, map_context(SETTINGS))
    write_output(tmp_path / "seed.ttl", [dl], [graph])
    assert len(Graph().parse(tmp_path / "seed.ttl")) == len(graph[1])


def test_ingest_json_ld_uses_the_curated_context_and_reads_offline(tmp_path) -> None:
    """`gongkai ingest -o x.jsonld`: the curated keys and language maps, the context
    embedded (no fetch), the same triples as the Turtle for rdflib and for pyld."""
    from gongkai.ingest import ingest_file
    from gongkai.publish.export import write_output
    from gongkai.rdf.mapping import map_list
    from gongkai.reference_data import map_context

    dl = ingest_file(SEED, SETTINGS)
    graph = map_list(dl, map_context(SETTINGS))
    write_output(tmp_path / "seed.jsonld", [dl], [graph])
    doc = json.loads((tmp_path / "seed.jsonld").read_text(encoding="utf-8"))
    assert doc["@context"] == json.loads(CONTEXT.read_text(encoding="utf-8"))["@context"]
    the_list = next(n for n in doc["@graph"] if n.get("id") == SEED_LIST)
    assert the_list["type"] == "DisclosureList" and len(the_list["items"]) == 18
    assert the_list["items"][0]["title"] == {"zh": "机构信息"}
    want = graph[1]
    assert isomorphic(Graph().parse(tmp_path / "seed.jsonld", format="json-ld"), want)

    def no_fetch(url, options=None):
        raise RuntimeError(f"offline: refusing to fetch {url}")

    nq = jsonld.to_rdf(doc, {"format": "application/n-quads", "documentLoader": no_fetch})
    assert isomorphic(Graph().parse(data=nq, format="nt"), want)
