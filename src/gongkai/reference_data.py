"""The knowledge graph's fixed parts: ontology, vocabularies (and authority data).

Each is its own named graph, so that a store can replace a list's graph without
touching them:
- ``https://w3id.org/gongkai/ontology``  the OWL ontology
- ``https://w3id.org/gongkai/vocab``     every SKOS scheme in ontology/vocab/
- ``<base>authorities``                   legal sources, their articles' texts and issuing bodies
                                          (data/authorities/)
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.compare import to_canonical_graph

from gongkai.legal.articles import law_texts
from gongkai.legal.clauses import clause_rules
from gongkai.legal.registry import registry
from gongkai.rdf.iris import IRIs
from gongkai.rdf.legal import authorities_graph_name, map_articles, map_clauses, map_registry
from gongkai.rdf.mapping import MapContext
from gongkai.rdf.namespaces import bind_all
from gongkai.rdf.vocabulary import Vocabularies
from gongkai.settings import DEFAULT_BASE, Settings

ONTOLOGY_GRAPH = URIRef(DEFAULT_BASE + "ontology")
VOCAB_GRAPH = URIRef(DEFAULT_BASE + "vocab")


def _parse_all(files: list[Path]) -> Graph:
    """The files' triples in one graph. Blank nodes (the ontology's property chains) get labels
    made from what they hold, not the parser's random ones, so that a build writes the same
    bytes every time."""
    parsed = Graph()
    for f in files:
        parsed.parse(f, format="turtle")
    g = bind_all(Graph())
    for t in to_canonical_graph(parsed):
        g.add(t)
    return g


def ontology_graph(settings: Settings) -> Graph:
    return _parse_all([settings.ontology_dir / "gongkai.ttl"])


def vocab_graph(settings: Settings) -> Graph:
    return _parse_all(sorted((settings.ontology_dir / "vocab").glob("*.ttl")))




def static_graphs(settings: Settings) -> list[tuple[URIRef, Graph]]:
    graphs = [(ONTOLOGY_GRAPH, ontology_graph(settings)), (VOCAB_GRAPH, vocab_graph(settings))]
    reg = registry(settings)
    if reg is not None:
        iris = IRIs(settings.base)
        authorities = map_registry(reg, iris)
        rules = clause_rules(settings, reg)
        if rules is not None:
            authorities += map_clauses(rules, reg, iris)
        authorities += map_articles(reg, law_texts(settings), iris)
        graphs.append((authorities_graph_name(iris), authorities))
    return graphs


def map_context(settings: Settings) -> MapContext:
    reg = registry(settings)
    return MapContext(iris=IRIs(settings.base),
                      vocab=Vocabularies.from_dir(settings.ontology_dir / "vocab"),
                      registry=reg,
                      lang="zh",
                      clauses=clause_rules(settings, reg))
