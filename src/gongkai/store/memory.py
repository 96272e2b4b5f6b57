"""rdflib in memory: small data and tests."""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import cast

from pyparsing import ParseException
from rdflib import Dataset, Graph, URIRef
from rdflib.query import Result as QueryResult
from rdflib.query import ResultRow
from rdflib.term import Identifier, Node

from gongkai.errors import QueryError, StoreError
from gongkai.store.base import GraphContent, NTriples, Result, _syntax_error
from gongkai.store.subqueries import on_their_own

_RDFLIB_FORMATS = {".trig": "trig", ".nq": "nquads", ".nt": "nt", ".ttl": "turtle",
                   ".jsonld": "json-ld", ".rdf": "xml", ".owl": "xml"}


class MemoryStore:
    """rdflib ``Dataset`` with the default graph as the union of all graphs. Small data only."""

    kind = "memory"

    def __init__(self) -> None:
        self.ds = Dataset(default_union=True)

    def load_file(self, path: Path, graph: URIRef | None = None) -> None:
        fmt = _RDFLIB_FORMATS.get(path.suffix.lower())
        if fmt is None:
            raise StoreError(f"{path}: unknown RDF format {path.suffix or '(no extension)'!r}")
        try:
            if fmt in ("trig", "nquads"):
                self.ds.parse(path, format=fmt)
            else:
                self.ds.graph(graph or URIRef(path.resolve().as_uri())).parse(path, format=fmt)
        except OSError as e:
            raise StoreError(f"{path}: cannot load: {e.strerror or e}") from None
        except Exception as e:  # rdflib's parsers raise many types for bad syntax
            raise StoreError(f"{path}: cannot load: {e}") from None

    def replace_graph(self, name: URIRef, graph: GraphContent) -> None:
        self.ds.remove_graph(self.ds.graph(name))
        target = self.ds.graph(name)
        if isinstance(graph, NTriples):
            target.parse(data=graph.text, format="nt")
            return
        for t in graph:
            target.add(t)

    def drop_graph(self, name: URIRef) -> None:
        self.ds.remove_graph(self.ds.graph(name))

    def graphs(self) -> list[URIRef]:
        return sorted(URIRef(str(g.identifier)) for g in self.ds.graphs()
                      if isinstance(g.identifier, URIRef) and len(g) and str(g.identifier) != "urn:x-rdflib:default")

    def _run(self, sparql: str, bindings: Mapping[str, Node] | None) -> QueryResult:
        # parameters are IRIs and literals (rdflib's Identifier)
        init = cast("dict[str, Identifier]", dict(bindings or {}))
        try:
            return self.ds.query(sparql, initBindings=init)
        except ParseException as e:
            raise _syntax_error(e) from None

    # each query is run and read inside ``on_their_own()``: rdflib evaluates a subquery once,
    # as SPARQL means it, instead of once per row of what it is joined with (gongkai.store.subqueries)

    def select(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> Result:
        t0 = time.perf_counter()
        with on_their_own():
            res = self._run(sparql, bindings)
            if res.type != "SELECT":
                raise QueryError("not a SELECT query")
            vars_ = [str(v) for v in res.vars or []]
            rows: list[dict[str, Node]] = [{v: r[i] for i, v in enumerate(vars_) if r[i] is not None}
                    for r in cast("Iterable[ResultRow]", res)]  # a SELECT's rows
        return Result(vars_, rows, time.perf_counter() - t0)

    def construct(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> Graph:
        g = Graph()
        with on_their_own():
            res = self._run(sparql, bindings)
            if res.type not in ("CONSTRUCT", "DESCRIBE"):
                raise QueryError("not a CONSTRUCT or DESCRIBE query")
            for t in cast("Iterable[tuple[Node, Node, Node]]", res):  # a CONSTRUCT's triples
                g.add(t)
        return g

    def ask(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> bool:
        with on_their_own():
            res = self._run(sparql, bindings)
            if res.type != "ASK":
                raise QueryError("not an ASK query")
            return bool(res.askAnswer)

    def update(self, sparql: str) -> None:
        try:
            self.ds.update(sparql)
        except ParseException as e:
            raise _syntax_error(e) from None

    def count(self, graph: URIRef | None = None) -> int:
        if graph is None:
            return len(self)
        return len(self.ds.graph(graph))

    def close(self) -> None:
        pass

    def __len__(self) -> int:
        return sum(len(g) for g in self.ds.graphs())
