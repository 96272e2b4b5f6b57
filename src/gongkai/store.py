"""Stores: one protocol, several backends, chosen by one setting.

- ``EmbeddedStore``  pyoxigraph, in memory or persistent on disk (the default: fast joins
  and aggregates, bulk loading).
- ``MemoryStore``    rdflib in memory (small data and tests).
- ``RemoteStore``    any SPARQL 1.1 endpoint (``gongkai.remote``).

Every backend answers the library's queries against the *union* of its named graphs, and
takes parameters as (variable → RDF term) bindings, never pasted into the text.
Results come back as rdflib terms so that callers need not know the backend.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from .errors import QueryError, StoreError
from .queries import with_values

_UPDATE = re.compile(r"^\s*(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b", re.I | re.M)


def is_update(sparql: str) -> bool:
    """True for SPARQL Update requests (checked on the text without comments, prefixes and strings)."""
    body = re.sub(r"(?m)#.*$", "", sparql)
    body = re.sub(r'"""(?:.|\n)*?"""|\'\'\'(?:.|\n)*?\'\'\'|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'', '""', body)
    body = re.sub(r"(?im)^\s*(PREFIX|BASE)\s+\S*\s*<[^>]*>", "", body)
    return bool(_UPDATE.search(body))


@dataclass
class Result:
    vars: list[str]
    rows: list[dict[str, Node]] = field(default_factory=list)
    elapsed: float = 0.0

    def table(self) -> list[list[str]]:
        return [[str(r.get(v, "")) if r.get(v) is not None else "" for v in self.vars] for r in self.rows]


class Store(Protocol):
    kind: str

    def replace_graph(self, name: URIRef, graph: Graph) -> None: ...
    def drop_graph(self, name: URIRef) -> None: ...
    def graphs(self) -> list[URIRef]: ...
    def select(self, sparql: str, bindings: dict[str, Node] | None = None) -> Result: ...
    def construct(self, sparql: str, bindings: dict[str, Node] | None = None) -> Graph: ...
    def ask(self, sparql: str, bindings: dict[str, Node] | None = None) -> bool: ...
    def update(self, sparql: str) -> None: ...
    def __len__(self) -> int: ...


# --- term conversion ----------------------------------------------------------

def to_ox(term: Node):
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"cannot convert {term!r}")


def from_ox(term) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        dt = term.datatype.value
        if dt == "http://www.w3.org/2001/XMLSchema#string":
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(dt))
    raise TypeError(f"cannot convert {term!r}")


def _syntax_error(e: Exception) -> QueryError:
    return QueryError(f"SPARQL syntax error: {e}")


# --- embedded Oxigraph -----------------------------------------------------------

class EmbeddedStore:
    """pyoxigraph ``Store``: persistent under ``path``, or in memory when ``path`` is None."""

    kind = "embedded"

    def __init__(self, path: Path | None = None, *, read_only: bool = False):
        self.path = path
        try:
            if path is None:
                self.ox = ox.Store()
            elif read_only:
                self.ox = ox.Store.read_only(str(path))
            else:
                path.mkdir(parents=True, exist_ok=True)
                self.ox = ox.Store(str(path))
        except OSError as e:
            raise StoreError(f"cannot open the store at {path}: {e}") from None

    def load_file(self, path: Path, graph: URIRef | None = None) -> None:
        fmt = ox.RdfFormat.from_extension(path.suffix.lstrip(".")) or ox.RdfFormat.TURTLE
        kw = {"to_graph": ox.NamedNode(str(graph))} if graph is not None and not fmt.supports_datasets else {}
        self.ox.bulk_load(path=str(path), format=fmt, **kw)

    def load_nquads(self, data: bytes) -> None:
        self.ox.bulk_load(data, format=ox.RdfFormat.N_QUADS)

    def replace_graph(self, name: URIRef, graph: Graph) -> None:
        """Drop and refill one named graph in a single update: all or nothing."""
        body = "\n".join(f"{s.n3()} {p.n3()} {o.n3()} ." for s, p, o in graph)
        try:
            self.ox.update(f"DROP SILENT GRAPH <{name}> ;\nINSERT DATA {{ GRAPH <{name}> {{\n{body}\n}} }}")
        except (SyntaxError, OSError) as e:
            raise StoreError(f"cannot replace graph <{name}>: {e}") from None

    def drop_graph(self, name: URIRef) -> None:
        try:
            self.ox.remove_graph(ox.NamedNode(str(name)))
        except Exception:
            pass

    def graphs(self) -> list[URIRef]:
        return sorted(URIRef(g.value) for g in self.ox.named_graphs() if isinstance(g, ox.NamedNode))

    def _run(self, sparql: str, bindings: dict[str, Node] | None):
        # pyoxigraph's ``substitutions`` only bind projected variables: bind by VALUES instead
        try:
            return self.ox.query(with_values(sparql, bindings or {}), use_default_graph_as_union=True)
        except SyntaxError as e:
            raise _syntax_error(e) from None
        except OSError as e:
            raise StoreError(f"store error: {e}") from None

    def select(self, sparql: str, bindings: dict[str, Node] | None = None) -> Result:
        t0 = time.perf_counter()
        res = self._run(sparql, bindings)
        if not isinstance(res, ox.QuerySolutions):
            raise QueryError("not a SELECT query")
        vars_ = [v.value for v in res.variables]
        rows = []
        for sol in res:
            row = {}
            for v in vars_:
                t = sol[v]
                if t is not None:
                    row[v] = from_ox(t)
            rows.append(row)
        return Result(vars_, rows, time.perf_counter() - t0)

    def construct(self, sparql: str, bindings: dict[str, Node] | None = None) -> Graph:
        res = self._run(sparql, bindings)
        g = Graph()
        for t in res:
            g.add((from_ox(t.subject), from_ox(t.predicate), from_ox(t.object)))
        return g

    def ask(self, sparql: str, bindings: dict[str, Node] | None = None) -> bool:
        return bool(self._run(sparql, bindings))

    def update(self, sparql: str) -> None:
        try:
            self.ox.update(sparql)
        except SyntaxError as e:
            raise _syntax_error(e) from None

    def __len__(self) -> int:
        return len(self.ox)


# --- rdflib in memory ---------------------------------------------------------------

class MemoryStore:
    """rdflib ``Dataset`` with the default graph as the union of all graphs. Small data only."""

    kind = "memory"

    def __init__(self):
        self.ds = Dataset(default_union=True)

    def load_file(self, path: Path, graph: URIRef | None = None) -> None:
        fmt = {".trig": "trig", ".nq": "nquads", ".nt": "nt", ".ttl": "turtle"}.get(path.suffix, "turtle")
        if fmt in ("trig", "nquads"):
            self.ds.parse(path, format=fmt)
        else:
            self.ds.graph(graph or URIRef(path.resolve().as_uri())).parse(path, format=fmt)

    def replace_graph(self, name: URIRef, graph: Graph) -> None:
        self.ds.remove_graph(self.ds.graph(name))
        target = self.ds.graph(name)
        for t in graph:
            target.add(t)

    def drop_graph(self, name: URIRef) -> None:
        self.ds.remove_graph(self.ds.graph(name))

    def graphs(self) -> list[URIRef]:
        return sorted(URIRef(str(g.identifier)) for g in self.ds.graphs()
                      if isinstance(g.identifier, URIRef) and len(g) and str(g.identifier) != "urn:x-rdflib:default")

    def _run(self, sparql: str, bindings):
        from pyparsing import ParseException

        try:
            return self.ds.query(sparql, initBindings=bindings or {})
        except ParseException as e:
            raise _syntax_error(e) from None

    def select(self, sparql: str, bindings: dict[str, Node] | None = None) -> Result:
        t0 = time.perf_counter()
        res = self._run(sparql, bindings)
        vars_ = [str(v) for v in res.vars]
        rows = [{v: r[i] for i, v in enumerate(vars_) if r[i] is not None} for r in res]
        return Result(vars_, rows, time.perf_counter() - t0)

    def construct(self, sparql: str, bindings: dict[str, Node] | None = None) -> Graph:
        res = self._run(sparql, bindings)
        g = Graph()
        for t in res:
            g.add(t)
        return g

    def ask(self, sparql: str, bindings: dict[str, Node] | None = None) -> bool:
        return bool(self._run(sparql, bindings).askAnswer)

    def update(self, sparql: str) -> None:
        self.ds.update(sparql)

    def __len__(self) -> int:
        return len(self.ds)
