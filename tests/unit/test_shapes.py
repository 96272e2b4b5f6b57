"""The shapes themselves: well-formed SHACL, documented, and each proven by a valid and an
invalid case (tests/shapes/<shape id>.trig), under pyshacl and under the compiled engine."""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from pyshacl import validate as pyshacl_validate
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH

from gongkai.settings import Settings
from gongkai.validation.compile import UnsupportedShape, compile_shapes, run_checks, shape_infos
from gongkai.validation.results import AUTHORITY_CONCERN, LIST_CONCERNS
from gongkai.validation.shapes import shapes_graph

ROOT = Path(__file__).resolve().parents[2]
CASES = ROOT / "tests" / "shapes"
SHAPES_NS = "https://w3id.org/gongkai/shapes#"
CASE_NS = "https://example.org/case/"


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return shapes_graph(Settings(root=ROOT).shapes_dir)


def _shape_iris(g: Graph) -> list[URIRef]:
    return sorted(URIRef(i) for i in shape_infos(g))


def test_shapes_graph_passes_meta_shacl(shapes: Graph) -> None:
    conforms, _graph, text = pyshacl_validate(Graph(), shacl_graph=shapes, meta_shacl=True)
    assert conforms, text


def test_every_shape_has_id_messages_comment_and_deliberate_severity(shapes: Graph) -> None:
    iris = _shape_iris(shapes)
    assert len(iris) == 36
    for iri in iris:
        assert iri.startswith(SHAPES_NS)
        assert re.fullmatch(r"[CKLVA]\d\d-[a-z0-9]+(-[a-z0-9]+)*", iri[len(SHAPES_NS):]), iri
        assert shapes.value(iri, SH.severity) in (SH.Violation, SH.Warning, SH.Info), iri
        for prop in (SH.message, RDFS.comment):
            langs = {o.language for o in shapes.objects(iri, prop) if isinstance(o, Literal)}
            assert {"zh", "en"} <= langs, (iri, prop)


def test_severities_follow_the_design(shapes: Graph) -> None:
    sev = {i.id: i.severity for i in shape_infos(shapes).values()}
    # unusable items are violations, what a person must look at is a warning
    assert sev["C01-item-has-legal-basis"] == sev["C02-item-has-time-limit"] == "Violation"
    assert sev["L01-citation-resolved"] == sev["K06-publisher-is-bureau-or-unit"] == "Warning"
    assert sev["L02-cited-version-in-force"] == "Violation"
    assert sev["A03-legal-source-has-issuer"] == "Warning"
    # a list without a bureau is unusable; rows set aside are for a person to look at
    assert sev["C11-list-has-bureau"] == "Violation" and sev["C16-list-has-no-unread-rows"] == "Warning"
    assert "Info" in sev.values()


def test_every_shape_has_a_case_file(shapes: Graph) -> None:
    ids = {iri[len(SHAPES_NS):] for iri in _shape_iris(shapes)}
    assert ids == {p.stem for p in CASES.glob("*.trig")}


def test_all_shapes_compile(shapes: Graph) -> None:
    checks = compile_shapes(shapes)
    assert {c.shape.id for c in checks} == {i[len(SHAPES_NS):] for i in _shape_iris(shapes)}


def test_compiler_refuses_what_it_cannot_translate() -> None:
    g = Graph().parse(data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <https://example.org/> .
        ex:S a sh:PropertyShape ; sh:targetClass ex:C ; sh:path ex:p ;
            sh:or ( [ sh:minCount 1 ] [ sh:maxCount 0 ] ) .""", format="turtle")
    with pytest.raises(UnsupportedShape, match="or"):
        compile_shapes(g)


def _case(path: Path) -> tuple[Graph, Graph]:
    ds = Dataset()
    ds.parse(path, format="trig")
    valid = Graph()
    invalid = Graph()
    for t in ds.graph(URIRef(CASE_NS + "valid")):
        valid.add(t)
    for t in ds.graph(URIRef(CASE_NS + "invalid")):
        invalid.add(t)
    assert len(valid) and len(invalid), path
    return valid, invalid


def _pyshacl(data: Graph, shapes: Graph, iri: str) -> set[tuple]:
    _c, rg, _t = pyshacl_validate(data, shacl_graph=shapes, inference="none", use_shapes=[iri])
    out = set()
    for res in rg.subjects(RDF.type, SH.ValidationResult):
        value = rg.value(res, SH.value)
        path = rg.value(res, SH.resultPath)
        out.add((str(rg.value(res, SH.sourceShape)), str(rg.value(res, SH.focusNode)),
                 str(path) if isinstance(path, URIRef) else None,
                 str(value) if value is not None else None))
    return out


def _fast(data: Graph, shapes: Graph, sid: str) -> set[tuple]:
    store = ox.Store()
    nt = "".join(f"{s.n3()} {p.n3()} {o.n3()} .\n" for s, p, o in data)
    store.load(nt.encode(), format=ox.RdfFormat.N_TRIPLES)
    out = set()
    for r in run_checks(store, compile_shapes(shapes, only=[sid])):
        out.add((r.shape.iri, r.focus, r.path, r.value.value if r.value is not None else None))
    return out


@pytest.mark.parametrize("case", sorted(CASES.glob("*.trig")), ids=lambda p: p.stem)
def test_shape_case(case: Path, shapes: Graph) -> None:
    sid = case.stem
    iri = SHAPES_NS + sid
    valid, invalid = _case(case)
    assert _pyshacl(valid, shapes, iri) == set()
    assert _fast(valid, shapes, sid) == set()
    found = _pyshacl(invalid, shapes, iri)
    # sh:sourceShape is the shape itself (pyshacl may add results of a nested anonymous
    # shape, whose source is a blank node: those are not the rule's results)
    reference = {r for r in found if r[0] == iri}
    assert reference, f"{sid}: the invalid case raised nothing"
    assert {r[0] for r in found if r[0].startswith("http")} == {iri}
    fast = _fast(invalid, shapes, sid)
    # both engines find the same focus nodes, paths and values
    assert {(f, p, v) for _s, f, p, v in fast} == {(f, p, v) for _s, f, p, v in reference}


def test_concern_files_are_what_validation_loads() -> None:
    files = {p.stem for p in (ROOT / "shapes").glob("*.ttl")}
    assert set(LIST_CONCERNS) | {AUTHORITY_CONCERN, "prefixes"} <= files
