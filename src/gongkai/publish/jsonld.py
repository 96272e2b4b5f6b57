"""Compacted JSON-LD written straight from triples, with the hand-curated context.

Why not rdflib's or a JSON-LD processor's compaction: both are slow on large graphs
(compaction is quadratic in places) and neither knows which nodes a reader expects to
find nested. We own the context (``ontology/context.jsonld``), so compaction is a
table lookup per predicate: the term that names the IRI, its coercion (``@id``, a
datatype) and its container (``@language`` map, ``@set``). Values that do not fit the
term (a plain string under a language map goes to ``@none``; a literal under an
``@id`` term becomes a value object) are written in expanded form, so the document
always expands to exactly the triples it was made from — the tests check that with
pyld.

Nodes that belong to one other node (a citation or a time limit of an item, whose IRI
extends the item's and which nothing else references) are nested inside it.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from gongkai.publish.terms import Term as RdfTerm
from gongkai.publish.terms import value as term_value
from gongkai.rdf.namespaces import RDF, XSD

CONTEXT_URL = "https://w3id.org/gongkai/context.jsonld"

RDF_TYPE = str(RDF.type)
_XSD = str(XSD)
XSD_STRING = _XSD + "string"
RDF_LANGSTRING = str(RDF.langString)
_INTEGERS = {_XSD + t for t in ("integer", "nonNegativeInteger", "positiveInteger", "int", "long")}
_CANONICAL_INT = re.compile(r"^(0|-?[1-9][0-9]{0,14})$")  # small enough to stay exact in JSON


@dataclass(frozen=True)
class Term:
    name: str
    iri: str
    coerce: str | None = None       # "@id", a datatype IRI, or None
    language_map: bool = False
    is_set: bool = False


@dataclass
class Context:
    """The parts of a JSON-LD context that compaction needs."""

    document: dict
    prefixes: list[tuple[str, str]] = field(default_factory=list)  # (prefix, namespace), longest first
    by_iri: dict[str, Term] = field(default_factory=dict)
    order: dict[str, int] = field(default_factory=dict)            # term name -> position

    @classmethod
    def load(cls, path: Path) -> Context:
        return cls.from_document(json.loads(path.read_text(encoding="utf-8")))

    @classmethod
    def from_document(cls, doc: dict) -> Context:
        ctx = cls(document=doc)
        defs = doc["@context"]
        ns = {k: v for k, v in defs.items()
              if isinstance(v, str) and not k.startswith("@") and v.endswith(("/", "#"))}
        ctx.prefixes = sorted(ns.items(), key=lambda kv: -len(kv[1]))

        def expand(value: str) -> str:
            if value.startswith("@"):
                return value
            prefix, sep, rest = value.partition(":")
            if sep and prefix in ns and not rest.startswith("//"):
                return ns[prefix] + rest
            return value

        for n, (name, d) in enumerate(defs.items()):
            if name.startswith("@") or name in ns:
                continue
            if isinstance(d, str):
                if d.startswith("@"):
                    continue  # keyword aliases (id, type)
                term = Term(name, expand(d))
            else:
                containers = d.get("@container", [])
                containers = [containers] if isinstance(containers, str) else containers
                coerce = d.get("@type")
                term = Term(name, expand(d["@id"]), expand(coerce) if coerce else None,
                            "@language" in containers, "@set" in containers)
            ctx.by_iri.setdefault(term.iri, term)
            ctx.order[name] = n
        return ctx

    def compact_iri(self, iri: str) -> str:
        """``prefix:local`` when a prefix of the context covers the IRI, else the IRI."""
        for prefix, ns in self.prefixes:
            if iri.startswith(ns) and len(iri) > len(ns) and not iri[len(ns):].startswith("//"):
                return f"{prefix}:{iri[len(ns):]}"
        return iri

    def vocab_name(self, iri: str) -> str:
        """A class or property name: its term if the context defines one, else a compact IRI."""
        term = self.by_iri.get(iri)
        return term.name if term is not None else self.compact_iri(iri)


def load_context(path: Path) -> Context:
    return Context.load(path)


_DIGITS = re.compile(r"(\d+)")


@functools.lru_cache(maxsize=1 << 18)
def natural_key(text: str) -> tuple:
    """Sort ``item/2`` before ``item/10``."""
    return tuple(int(p) if p.isdigit() else p for p in _DIGITS.split(text))


def _node_key(term: RdfTerm) -> tuple[str, str]:
    if isinstance(term, ox.NamedNode):
        return ("i", term.value)
    return ("b", term_value(term))


class _Doc:
    """One document: subjects with their properties, nesting decided once."""

    def __init__(self, ctx: Context, triples: Iterable[ox.Triple]):
        self.ctx = ctx
        self.nodes: dict[tuple[str, str], dict[str, list]] = {}
        refs: dict[tuple[str, str], list[tuple[str, str]]] = {}
        for t in triples:
            s = _node_key(t.subject)
            self.nodes.setdefault(s, {}).setdefault(t.predicate.value, []).append(t.object)
            o = t.object
            if not isinstance(o, ox.Literal) and t.predicate.value != RDF_TYPE:
                refs.setdefault(_node_key(o), []).append(s)
        self.bnode_ids: dict[str, str] = {}
        self.parent: dict[tuple[str, str], tuple[str, str]] = {}
        for child, parents in refs.items():
            if child not in self.nodes or len(parents) != 1 or parents[0] == child:
                continue
            parent = parents[0]
            if child[0] == "b" or (child[1].startswith((parent[1] + "/", parent[1] + "#")) and parent[0] == "i"):
                self.parent[child] = parent
        # a cycle of single references (possible between blank nodes) is cut at its start
        for child in list(self.parent):
            seen = {child}
            p = self.parent.get(child)
            while p is not None:
                if p in seen:
                    del self.parent[child]
                    break
                seen.add(p)
                p = self.parent.get(p)

    def bnode(self, value: str) -> str:
        label = self.bnode_ids.get(value)
        if label is None:
            label = self.bnode_ids[value] = f"_:b{len(self.bnode_ids)}"
        return label

    def ref(self, term: RdfTerm) -> str:
        if isinstance(term, ox.NamedNode):
            return self.ctx.compact_iri(term.value)
        return self.bnode(term_value(term))

    def top_level(self, root: str | None = None) -> list[dict]:
        keys = [k for k in self.nodes if k not in self.parent]
        keys.sort(key=lambda k: (k != ("i", root), k[0], natural_key(k[1])))
        return [self.node(k, top=True) for k in keys]

    def node(self, key: tuple[str, str], top: bool) -> dict:
        props = self.nodes[key]
        out: dict = {}
        if key[0] == "i":
            out["id"] = self.ctx.compact_iri(key[1])
        elif top:
            out["id"] = self.bnode(key[1])
        types = props.get(RDF_TYPE)
        if types:
            names = sorted(self.ctx.vocab_name(t.value) if isinstance(t, ox.NamedNode) else self.bnode(t.value)
                           for t in types)
            out["type"] = names[0] if len(names) == 1 else names
        fitted: dict[str, object] = {}
        loose: dict[str, list] = {}
        for pred, values in props.items():
            if pred == RDF_TYPE:
                continue
            term = self.ctx.by_iri.get(pred)
            rest = values
            if term is not None:
                value, rest = self._fit(key, term, values)
                if value is not None:
                    fitted[term.name] = value
            if rest:
                loose[self.ctx.compact_iri(pred)] = [self._expanded(key, v) for v in rest]
        for name in sorted(fitted, key=lambda n: self.ctx.order.get(n, 1 << 30)):
            out[name] = fitted[name]
        for name in sorted(loose):
            vals = loose[name]
            out[name] = vals[0] if len(vals) == 1 else vals
        return out

    def _embedded(self, parent: tuple[str, str], term: RdfTerm) -> dict | None:
        k = _node_key(term)
        if self.parent.get(k) == parent:
            return self.node(k, top=False)
        return None

    def _fit(self, key: tuple[str, str], term: Term, values: list) -> tuple[object | None, list]:
        """The compact value for the term, and the values that do not fit it."""
        rest: list = []
        if term.language_map:
            by_lang: dict[str, list[str]] = {}
            for v in values:
                if isinstance(v, ox.Literal) and v.language:
                    by_lang.setdefault(v.language, []).append(v.value)
                elif isinstance(v, ox.Literal) and v.datatype.value == XSD_STRING:
                    by_lang.setdefault("@none", []).append(v.value)
                else:
                    rest.append(v)
            if not by_lang:
                return None, rest
            value = {lang: (vs[0] if len(vs) == 1 and not term.is_set else sorted(vs))
                     for lang, vs in sorted(by_lang.items(), key=lambda kv: (kv[0] == "@none", kv[0] != "zh", kv[0]))}
            return value, rest
        items: list = []
        for v in values:
            if isinstance(v, ox.Literal):
                items.append(self._literal(v, term.coerce))
            else:
                nested = self._embedded(key, v)
                if nested is not None:
                    items.append(nested)
                elif term.coerce == "@id":
                    items.append(self.ref(v))
                else:
                    items.append({"id": self.ref(v)})
        items.sort(key=_sort_value)
        if len(items) == 1 and not term.is_set:
            return items[0], rest
        return items, rest

    def _literal(self, lit: ox.Literal, coerce: str | None) -> str | int | bool | dict[str, str]:
        dt = lit.datatype.value
        if lit.language:
            return {"@value": lit.value, "@language": lit.language}
        if coerce is not None and coerce != "@id":
            if dt == coerce:
                if dt in _INTEGERS and _CANONICAL_INT.match(lit.value):
                    return int(lit.value)
                if dt == _XSD + "boolean" and lit.value in ("true", "false"):
                    return lit.value == "true"
                return lit.value
            if dt == XSD_STRING:
                return {"@value": lit.value}
            return {"@value": lit.value, "@type": self.ctx.compact_iri(dt)}
        if dt == XSD_STRING:
            return lit.value if coerce is None else {"@value": lit.value}
        if coerce is None and dt == _XSD + "integer" and _CANONICAL_INT.match(lit.value):
            return int(lit.value)
        if coerce is None and dt == _XSD + "boolean" and lit.value in ("true", "false"):
            return lit.value == "true"
        return {"@value": lit.value, "@type": self.ctx.compact_iri(dt)}

    def _expanded(self, key: tuple[str, str], v: RdfTerm) -> object:
        if isinstance(v, ox.Literal):
            return self._literal(v, coerce=None)  # a compact-IRI key: no term, no coercion
        nested = self._embedded(key, v)
        return nested if nested is not None else {"id": self.ref(v)}


def _sort_value(v: object) -> tuple:
    if isinstance(v, dict):
        return (1, natural_key(str(v.get("id", v.get("@value", "")))))
    return (0, natural_key(str(v)))


def _context_value(ctx: Context, inline: bool, url: str) -> object:
    return ctx.document["@context"] if inline else url


def triples_document(ctx: Context, triples: Iterable[ox.Triple], root: str | None = None,
                     inline_context: bool = False, context_url: str = CONTEXT_URL) -> dict:
    """A JSON-LD document for a set of triples; ``root`` (an IRI) comes first.

    One top-level node gives a plain node object, several a ``@graph``. The context is
    referred to by ``context_url`` (the site passes a relative one, ``../context.jsonld``,
    so that its files read offline), or embedded with ``inline_context``.
    """
    nodes = _Doc(ctx, triples).top_level(root)
    context = _context_value(ctx, inline_context, context_url)
    if len(nodes) == 1:
        return {"@context": context, **nodes[0]}
    return {"@context": context, "@graph": nodes}


def quads_document(ctx: Context, quads: Iterable[ox.Quad], inline_context: bool = False,
                   context_url: str = CONTEXT_URL) -> dict:
    """A JSON-LD document keeping named graphs: one graph object per graph name (the
    context as in ``triples_document``)."""
    by_graph: dict[str, list[ox.Triple]] = {}
    default: list[ox.Triple] = []
    for q in quads:
        t = ox.Triple(q.subject, q.predicate, q.object)
        if isinstance(q.graph_name, ox.DefaultGraph):
            default.append(t)
        else:
            by_graph.setdefault(q.graph_name.value, []).append(t)
    out: list[dict] = _Doc(ctx, default).top_level() if default else []
    out.extend({"id": name, "@graph": _Doc(ctx, by_graph[name]).top_level(name)}
               for name in sorted(by_graph, key=natural_key))
    return {"@context": _context_value(ctx, inline_context, context_url), "@graph": out}


def dumps(doc: dict, pretty: bool = True) -> str:
    """Indented for a resource's document; for a whole graph one node per line, which
    reads as well in a pager and is written by the C encoder (10× faster)."""
    if pretty:
        return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"
    enc = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    head = f'{{"@context":{enc(doc["@context"])},\n"@graph":[\n'
    parts = []
    for node in doc.get("@graph", ()):
        if "@graph" in node and len(node) == 2 and "id" in node:
            inner = ",\n".join(enc(n) for n in node["@graph"])
            parts.append(f'{{"id":{enc(node["id"])},"@graph":[\n{inner}\n]}}')
        else:
            parts.append(enc(node))
    return head + ",\n".join(parts) + "\n]}\n"
