"""What every store backend offers (the ``Store`` protocol), results, graph contents, and the
conversion between pyoxigraph and rdflib terms."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, runtime_checkable

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from gongkai.errors import QueryError, StoreError
from gongkai.rdf.namespaces import XSD
from gongkai.rdf.ntriples import nt_object
from gongkai.store.guard import syntax_error


@dataclass
class Result:
    vars: list[str]
    rows: list[dict[str, Node]] = field(default_factory=list)
    elapsed: float = 0.0

    def table(self) -> list[list[str]]:
        return [[str(r.get(v, "")) if r.get(v) is not None else "" for v in self.vars] for r in self.rows]

    def __len__(self) -> int:
        return len(self.rows)


@dataclass(frozen=True)
class NTriples:
    """A graph's content as N-Triples text: how large graphs travel without rdflib."""

    text: str

    def __len__(self) -> int:
        return sum(1 for ln in self.text.splitlines() if ln.strip() and not ln.lstrip().startswith("#"))


GraphContent = Graph | NTriples


def ntriples_of(graph: GraphContent) -> str:
    if isinstance(graph, NTriples):
        return graph.text
    return "".join(f"{s.n3()} {p.n3()} {nt_object(o)} .\n" for s, p, o in graph)


@runtime_checkable
class Store(Protocol):
    """What every backend offers. Graph names are IRIs; bindings map variable names
    (without ``?``) to RDF terms."""

    kind: str

    def load_file(self, path: Path, graph: URIRef | None = None) -> None: ...
    def replace_graph(self, name: URIRef, graph: GraphContent) -> None: ...
    def drop_graph(self, name: URIRef) -> None: ...
    def graphs(self) -> list[URIRef]: ...
    def select(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> Result: ...
    def construct(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> Graph: ...
    def ask(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> bool: ...
    def update(self, sparql: str) -> None: ...
    def count(self, graph: URIRef | None = None) -> int: ...
    def close(self) -> None: ...
    def __len__(self) -> int: ...


_XSD_STRING = str(XSD.string)

#: an RDF term as pyoxigraph gives it
OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
#: what pyoxigraph's ``Store.query`` returns
OxResult = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples


def to_ox(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
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


def from_ox(term: OxTerm) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        dt = term.datatype.value
        if dt == _XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(dt))
    raise TypeError(f"cannot convert {term!r}")


def _syntax_error(e: Exception) -> QueryError:
    m = re.search(r"error at (\d+):(\d+)", str(e))
    return syntax_error(f"SPARQL syntax error: {e}", *(int(g) for g in m.groups()) if m else ())


def _rdf_format(path: Path) -> ox.RdfFormat:
    fmt = ox.RdfFormat.from_extension(path.suffix.lstrip(".").lower())
    if fmt is None:
        raise StoreError(f"{path}: unknown RDF format {path.suffix or '(no extension)'!r}")
    return fmt


def load_graphs(store: Store, graphs: Iterable[tuple[URIRef, GraphContent]]) -> int:
    """Replace each (name, graph) in the store; returns how many graphs were loaded."""
    n = 0
    for name, g in graphs:
        store.replace_graph(name, g)
        n += 1
    return n
