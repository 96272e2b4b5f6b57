"""Pushing the build's graphs to a SPARQL endpoint, each replaced whole."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import URIRef

from gongkai.errors import StoreError
from gongkai.store.base import NTriples, Store


def graphs_of_file(path: Path, graph: URIRef | None = None) -> list[tuple[URIRef, NTriples]]:
    """Each named graph of a dataset file (TriG, N-Quads) as N-Triples, read with pyoxigraph
    (rdflib's parsers are ~50× slower on large builds). A graph file (Turtle, N-Triples)
    is one graph, named ``graph``. Triples in a dataset's default graph are not returned:
    the build puts everything in named graphs."""
    fmt = ox.RdfFormat.from_extension(path.suffix.lstrip(".").lower())
    if fmt is None:
        raise StoreError(f"{path}: unknown RDF format {path.suffix or '(no extension)'!r}")
    if not fmt.supports_datasets and graph is None:
        raise StoreError(f"{path}: a graph file needs a graph name")
    tmp = ox.Store()
    try:
        to_graph = ox.NamedNode(str(graph)) if not fmt.supports_datasets else None
        tmp.bulk_load(path=str(path), format=fmt, to_graph=to_graph)
    except (SyntaxError, ValueError, OSError) as e:
        raise StoreError(f"{path}: cannot read: {e}") from None
    out = []
    for g in sorted(tmp.named_graphs(), key=lambda n: n.value):
        if not isinstance(g, ox.NamedNode):
            continue
        triples = (q.triple for q in tmp.quads_for_pattern(None, None, None, g))
        text = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
        out.append((URIRef(g.value), NTriples(text.decode("utf-8"))))
    return out


@dataclass
class PushReport:
    graphs: int
    triples: int
    count_before: int
    count_after: int


def push(store: Store, source: Path, progress: Callable[[URIRef], None] | None = None) -> PushReport:
    """Replace, on the store, each named graph of ``source`` (default ``build/kg.trig``).

    Idempotent: every graph is replaced whole, so pushing twice leaves the same triples.
    """
    graphs = graphs_of_file(source)
    before = store.count()
    sent = 0
    for name, content in graphs:
        store.replace_graph(name, content)
        sent += len(content)
        if progress:
            progress(name)
    return PushReport(graphs=len(graphs), triples=sent, count_before=before, count_after=store.count())
