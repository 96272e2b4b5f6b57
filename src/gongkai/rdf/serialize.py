"""Named graphs written as RDF text: TriG (graphs in the order of their names, so that the
same graphs always give the same bytes), N-Quads, or one merged graph (Turtle, N-Triples, RDF/XML)."""

from __future__ import annotations

import io
from collections.abc import Iterable

from rdflib import Dataset, Graph, URIRef
from rdflib.plugins.serializers.trig import TrigSerializer

from gongkai.rdf.namespaces import bind_all


def _sorted_trig(ds: Dataset) -> str:


    serializer = TrigSerializer(ds)
    serializer.contexts.sort(key=lambda g: str(g.identifier))
    buf = io.BytesIO()
    serializer.serialize(buf, encoding="utf-8")
    return buf.getvalue().decode("utf-8")


def dataset_of(graphs: Iterable[tuple[URIRef, Graph]], base: str | None = None) -> Dataset:
    ds = Dataset()
    bind_all(ds, base) if base else bind_all(ds)
    for name, g in graphs:
        target = ds.graph(name)
        for t in g:
            target.add(t)
    return ds


def serialize(graphs: list[tuple[URIRef, Graph]], fmt: str, base: str | None = None) -> str:
    """Serialise named graphs. Triple formats (turtle, nt, xml) merge them into one graph.

    TriG writes the graphs in the order of their names, so that the same graphs always give
    the same bytes (rdflib's own order follows a hash that changes from process to process)."""
    if fmt == "trig":
        return _sorted_trig(dataset_of(graphs, base))
    if fmt == "nquads":
        return dataset_of(graphs, base).serialize(format=fmt)
    merged = bind_all(Graph(), base) if base else bind_all(Graph())
    for _, g in graphs:
        merged += g
    return merged.serialize(format=fmt)
