"""The ontology and vocabularies: every Turtle file parses (rdflib and pyoxigraph), every
own term is labelled in zh and en and commented, and every term the data uses is declared
in the ontology or in a reused vocabulary."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SKOS, TIME, VOID, XSD

ROOT = Path(__file__).resolve().parents[2]
GK = "https://w3id.org/gongkai/ontology#"
FIXTURES = ROOT / "tests" / "fixtures" / "vocabularies"

TTL_FILES = sorted(p for p in ROOT.rglob("*.ttl")
                   if not any(part in {".venv", "build", "node_modules", ".git"} for part in p.parts))


@pytest.mark.parametrize("path", TTL_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_turtle_file_parses_with_rdflib_and_pyoxigraph(path: Path) -> None:
    g = Graph().parse(path, format="turtle")
    store = ox.Store()
    store.load(path=str(path), format=ox.RdfFormat.TURTLE)
    assert len(g) == len(store) > 0


def _ontology() -> Graph:
    return Graph().parse(ROOT / "ontology" / "gongkai.ttl")


def test_every_own_term_has_labels_in_zh_and_en_and_a_comment() -> None:
    g = _ontology()
    own = {s for s in g.subjects() if isinstance(s, URIRef) and str(s).startswith(GK)}
    assert len(own) > 30
    for term in own:
        langs = {lab.language for lab in g.objects(term, RDFS.label)}
        assert {"zh", "en"} <= langs, term
        comments = {c.language for c in g.objects(term, RDFS.comment)}
        assert {"zh", "en"} <= comments, term


def test_every_concept_has_zh_and_en_pref_labels() -> None:
    for path in sorted((ROOT / "ontology" / "vocab").glob("*.ttl")):
        g = Graph().parse(path)
        for c in g.subjects(RDF.type, SKOS.Concept):
            langs = {lab.language for lab in g.objects(c, SKOS.prefLabel)}
            assert {"zh", "en"} <= langs, (path.name, c)
            assert list(g.objects(c, SKOS.inScheme)), (path.name, c)


def _lines(name: str) -> set[str]:
    return {ln.strip() for ln in (FIXTURES / name).read_text(encoding="utf-8").splitlines()
            if ln.strip() and not ln.startswith("#")}


CLOSED = [DCTERMS, SKOS, ORG, PROV, TIME, DCAT, VOID, FOAF, RDF, RDFS, OWL, XSD]
OPEN_LISTS = {
    "http://data.europa.eu/eli/ontology#": _lines("eli-terms.txt"),
    "http://spdx.org/rdf/terms#": _lines("spdx-terms.txt"),
}


def undeclared_terms(data: Graph, ontology: Graph) -> set[URIRef]:
    """Classes and properties used in ``data`` that no vocabulary declares."""
    declared_own = {s for s in ontology.subjects() if str(s).startswith(GK)}
    used = set(data.predicates()) | {o for o in data.objects(None, RDF.type) if isinstance(o, URIRef)}
    missing = set()
    for term in used:
        t = str(term)
        if t.startswith(GK):
            if term not in declared_own:
                missing.add(term)
            continue
        ns_hit = [ns for ns in CLOSED if t.startswith(str(ns))]
        if ns_hit:
            if not any(term in ns for ns in ns_hit):
                missing.add(term)
            continue
        for ns, names in OPEN_LISTS.items():
            if t.startswith(ns):
                if t[len(ns):] not in names:
                    missing.add(term)
                break
        else:
            missing.add(term)  # a namespace we do not reuse
    return missing


def test_the_checker_catches_an_undeclared_term() -> None:
    g = Graph()
    g.add((URIRef("urn:x"), URIRef(GK + "noSuchProperty"), URIRef("urn:y")))
    g.add((URIRef("urn:x"), URIRef(str(DCTERMS) + "noSuchTerm"), URIRef("urn:y")))
    g.add((URIRef("urn:x"), RDF.type, URIRef("http://example.org/Unknown")))
    assert undeclared_terms(g, _ontology()) == {
        URIRef(GK + "noSuchProperty"), URIRef(str(DCTERMS) + "noSuchTerm"),
        URIRef("http://example.org/Unknown")}


def test_ontology_and_vocabularies_use_only_declared_terms() -> None:
    g = _ontology()
    for path in sorted((ROOT / "ontology" / "vocab").glob("*.ttl")):
        g.parse(path)
    assert undeclared_terms(g, _ontology()) == set()


def test_every_class_and_property_used_in_the_data_is_declared() -> None:
    """The mapped lists (original and fixtures) and the authority data use no undeclared term."""
    from gongkai.ingest import ingest_file
    from gongkai.rdf.mapping import map_list
    from gongkai.reference_data import map_context, static_graphs
    from gongkai.settings import Settings

    settings = Settings(root=ROOT)
    ctx = map_context(settings)
    data = Graph()
    for _, g in static_graphs(settings):
        data += g
    sources = [ROOT / "data" / "raw" / "zhongwei-yunjisuan-2021.txt",
               *sorted((ROOT / "tests" / "fixtures" / "text").glob("*.txt"))]
    for src in sources:
        data += map_list(ingest_file(src, settings), ctx)[1]
    assert len(data) > 3000
    assert undeclared_terms(data, _ontology()) == set()
