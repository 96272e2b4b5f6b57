"""Known prefixes added to a query that uses them undeclared; unknown ones named with their
line and column; the editor's words from the ontology."""

from __future__ import annotations

import pytest
from rdflib.plugins.sparql.parser import parseQuery

from gongkai.query.completion import completion_words, prefixed_name
from gongkai.query.prefixes import PrefixUse, add_missing_prefixes, scan_prefixes, unknown_prefix_message
from gongkai.rdf.namespaces import GK, PREFIXES
from gongkai.reference_data import ontology_graph
from gongkai.settings import Settings


def test_a_missing_gk_prefix_is_declared_first_and_the_query_parses() -> None:
    text = "SELECT ?i WHERE { ?i a gk:DisclosureItem ; gk:itemNumber 14 }"
    fix = add_missing_prefixes(text)
    assert fix.added == ("gk",) and fix.unknown == ()
    assert fix.text == f"PREFIX gk: <{GK}>\n{text}"
    parseQuery(fix.text)  # raises on a syntax error


def test_every_known_prefix_used_is_added_once_in_the_graph_s_order() -> None:
    text = ('SELECT * { ?s dcterms:title ?t ; gk:inList ?l . ?l dcterms:issued ?d '
            'FILTER(?d > "2020-01-01"^^xsd:date) ?s skos:note ?n }')
    fix = add_missing_prefixes(text)
    order = list(PREFIXES)
    assert fix.added == tuple(sorted(("dcterms", "gk", "xsd", "skos"), key=order.index))
    assert fix.text.count("PREFIX dcterms:") == 1
    parseQuery(fix.text)


def test_a_declared_prefix_is_left_alone_even_with_another_iri() -> None:
    text = "PREFIX gk: <http://example.org/mine#>\nSELECT * { ?s a gk:Thing }"
    fix = add_missing_prefixes(text)
    assert fix.added == () and fix.unknown == () and fix.text == text


def test_a_prefix_declared_in_lower_case_without_a_space_counts() -> None:
    text = ("prefix gk:<http://example.org/mine#>\nprefix dcterms:   <http://purl.org/dc/terms/>\n"
            "SELECT * { ?s dcterms:title ?t ; a gk:X }")
    assert add_missing_prefixes(text).added == ()


@pytest.mark.parametrize("text", [
    'SELECT * { ?s ?p "gk:DisclosureItem" }',                        # in a string
    "SELECT * { ?s ?p 'skos:x' }",
    'SELECT * { ?s ?p """a\ndcterms:title\n""" }',                    # in a long string
    "SELECT * { ?s ?p <http://example.org/gk:x> }",                    # in an IRI
    "SELECT * { ?s ?p <urn:isbn:12> }",
    "# gk:DisclosureItem in a comment\nSELECT * { ?s ?p ?o } # xsd:date",
    "SELECT * { ?s ?p _:b0 }",                                        # a blank node
])
def test_prefixes_inside_strings_iris_comments_do_not_count(text) -> None:
    fix = add_missing_prefixes(text)
    assert fix.added == () and fix.unknown == () and fix.text == text


def test_an_escaped_quote_does_not_end_a_string() -> None:
    text = r'SELECT * { ?s ?p "say \" gk:x" . ?s a gk:Y }'
    declared, uses = scan_prefixes(text)
    assert declared == set() and [u.prefix for u in uses] == ["gk"]
    assert uses[0].column == text.index("gk:Y") + 1


def test_an_unknown_prefix_is_named_with_its_line_and_column_and_nothing_is_added() -> None:
    text = "SELECT * WHERE {\n  ?s a gk:DisclosureItem ;\n     xx:size ?n .\n  ?s xx:other ?o }"
    fix = add_missing_prefixes(text)
    assert fix.unknown == (PrefixUse("xx", 3, 6),)
    assert fix.added == () and fix.text == text
    assert unknown_prefix_message(fix.unknown[0]) == (
        "unknown prefix xx: at line 3, column 6: declare it with PREFIX xx: <…>")


def test_the_empty_prefix_undeclared_is_unknown_and_declared_is_fine() -> None:
    assert add_missing_prefixes("SELECT * { ?s a :Thing }").unknown == (PrefixUse("", 1, 17),)
    assert add_missing_prefixes("PREFIX : <http://e/>\nSELECT * { ?s a :Thing }").unknown == ()


def test_prefixed_names_with_dots_dashes_and_non_ascii_prefixes() -> None:
    declared, uses = scan_prefixes("SELECT * { ?s gk:a.b-c ?o . ?o 数据:条目 ?x . ?x gkv:channel/gk:p ?y }")
    assert declared == set() and [u.prefix for u in uses] == ["gk", "数据", "gkv", "gk"]


def test_a_library_query_needs_nothing_added() -> None:
    from gongkai.query.library import library

    for q in library(Settings()):
        fix = add_missing_prefixes(q.text)
        assert fix.added == () and fix.unknown == (), q.id


def test_prefixed_name_uses_the_longest_namespace_and_refuses_odd_locals() -> None:
    assert prefixed_name(str(GK.DisclosureItem)) == "gk:DisclosureItem"
    assert prefixed_name("http://www.w3.org/2001/XMLSchema#date") == "xsd:date"
    assert prefixed_name("http://example.org/x") is None
    assert prefixed_name(str(GK) + "a/b") is None


def test_the_editor_completes_the_ontology_s_classes_and_properties_with_labels() -> None:
    words = {w.name: w for w in completion_words(ontology_graph(Settings()))}
    assert words["gk:"].kind == "prefix" and words["gk:"].label_zh == str(GK)
    assert words["gk:DisclosureItem"].kind == "class" and words["gk:DisclosureItem"].label_zh == "公开事项"
    assert words["gk:DisclosureItem"].label("en") == "disclosure item"
    assert words["gk:hasItem"].kind == "property"
    assert words["dcterms:title"].kind == "property"   # a reused vocabulary's term the ontology uses
    assert words["prov:Entity"].kind == "class"
    assert words["xsd:date"].kind == "datatype"
    assert not [n for n in words if n.startswith(("http", "<"))]


# --- `gongkai query FILE.rq` ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def built(tmp_path_factory):
    import datetime as dt

    from gongkai.pipeline.build import build

    out = tmp_path_factory.mktemp("prefixes") / "build"
    build(Settings(build_dir=out, fixed_time=dt.datetime(2026, 1, 1, tzinfo=dt.UTC)))
    return out


def _query(built, rq, *args: str):
    from typer.testing import CliRunner

    from gongkai.cli import app

    return CliRunner().invoke(app, ["query", str(rq), "-f", "csv", *args], env={"GONGKAI_BUILD": str(built)})


def test_cli_a_query_file_without_its_gk_prefix_runs_and_says_so(built, tmp_path) -> None:
    rq = tmp_path / "mine.rq"
    rq.write_text("SELECT ?n WHERE { ?i gk:itemNumber ?n } ORDER BY ?n LIMIT 2\n", encoding="utf-8")
    r = _query(built, rq)
    assert r.exit_code == 0, r.output
    assert "prefixes added: gk:" in r.stderr
    header, *rows = r.stdout.splitlines()
    assert header == "n" and len(rows) == 2 and all(row.isdigit() for row in rows)


def test_cli_an_unknown_prefix_in_a_query_file_is_an_error_with_its_place(built, tmp_path) -> None:
    rq = tmp_path / "mine.rq"
    rq.write_text("SELECT * WHERE {\n  ?i xx:size ?n }\n", encoding="utf-8")
    r = _query(built, rq)
    assert r.exit_code == 2
    assert "unknown prefix xx: at line 2, column 6: declare it with PREFIX xx: <…>" in r.stderr
