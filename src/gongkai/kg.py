"""The knowledge graph's fixed parts: ontology, vocabularies (and authority data).

Each is its own named graph, so that a store can replace a list's graph without
touching them:
- ``https://w3id.org/gongkai/ontology``  the OWL ontology
- ``https://w3id.org/gongkai/vocab``     every SKOS scheme in ontology/vocab/
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, URIRef

from .rdf.iris import IRIs
from .rdf.mapping import MapContext
from .rdf.namespaces import bind_all
from .rdf.vocabulary import Vocabularies
from .settings import DEFAULT_BASE, Settings

ONTOLOGY_GRAPH = URIRef(DEFAULT_BASE + "ontology")
VOCAB_GRAPH = URIRef(DEFAULT_BASE + "vocab")


def _parse_all(files: list[Path]) -> Graph:
    g = bind_all(Graph())
    for f in files:
        g.parse(f, format="turtle")
    return g


def ontology_graph(settings: Settings) -> Graph:
    return _parse_all([settings.ontology_dir / "gongkai.ttl"])


def vocab_graph(settings: Settings) -> Graph:
    return _parse_all(sorted((settings.ontology_dir / "vocab").glob("*.ttl")))


def static_graphs(settings: Settings) -> list[tuple[URIRef, Graph]]:
    return [(ONTOLOGY_GRAPH, ontology_graph(settings)), (VOCAB_GRAPH, vocab_graph(settings))]


def map_context(settings: Settings) -> MapContext:
    return MapContext(iris=IRIs(settings.base),
                      vocab=Vocabularies.from_dir(settings.ontology_dir / "vocab"),
                      lang="zh")
