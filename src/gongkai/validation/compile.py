"""SHACL shapes compiled to SPARQL SELECT queries, run on a pyoxigraph store.

Why not run pyshacl on every list: pyshacl evaluates each constraint node by node
through rdflib, about 50–80 ms per list for our shapes before any SPARQL-based
constraint, and a SPARQL-based constraint runs one rdflib query per focus node (seconds
per list once joins are involved). Validating thousands of lists that way does not fit
any reasonable budget. Here every shape becomes one query that finds *all* its failing
focus nodes at once, and pyoxigraph evaluates it; pyshacl stays the reference engine
(``validate.validate_with_pyshacl``) and the tests check that both give the same results.

What is compiled (the subset the project's shapes use; anything else raises
``UnsupportedShape`` naming the shape and the term, so a new shape cannot be silently
ignored):
- targets: ``sh:targetClass`` (with ``rdfs:subClassOf*``), ``sh:targetSubjectsOf``,
  ``sh:targetObjectsOf``, ``sh:targetNode``;
- property shapes with a predicate, sequence, inverse or alternative path and
  ``sh:minCount``, ``sh:maxCount``, ``sh:hasValue``, ``sh:in``, ``sh:class``,
  ``sh:datatype``, ``sh:pattern`` (+ ``sh:flags``), ``sh:minLength``, ``sh:maxLength``,
  ``sh:node``, ``sh:not``, ``sh:qualifiedValueShape`` with ``sh:qualifiedMinCount`` /
  ``sh:qualifiedMaxCount``; nested node shapes may use ``sh:class``, ``sh:hasValue``,
  ``sh:in`` and property shapes with ``sh:hasValue`` or ``sh:minCount``;
- node shapes with ``sh:sparql`` SELECT constraints. The query runs once with ``$this``
  unbound and its solutions are joined with the shape's targets. This equals SHACL's
  pre-binding when ``$this`` is bound by the query's own triple patterns (as in every
  query in ``shapes/``), which is the rule to follow when writing one.

Result rows mirror a ``sh:ValidationResult``: source shape, constraint component,
focus node, path, value, and the query's other variables for ``{?var}`` messages.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import cast

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, XSD
from rdflib.term import Node

SEVERITIES = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}

#: datatypes whose lexical form SPARQL can check by casting (an ill-formed literal fails)
_CASTABLE = {XSD.date, XSD.dateTime, XSD.integer, XSD.decimal, XSD.double, XSD.float,
             XSD.boolean, XSD.string}

_PROPERTY_KEYS = {
    SH.path, SH.minCount, SH.maxCount, SH.hasValue, SH["in"], SH["class"], SH.datatype,
    SH.pattern, SH.flags, SH.minLength, SH.maxLength, SH.node, SH["not"],
    SH.qualifiedValueShape, SH.qualifiedMinCount, SH.qualifiedMaxCount,
}
_ANNOTATIONS = {
    RDF.type, SH.severity, SH.message, SH.name, SH.description, SH.order, SH.group,
    RDFS.comment, RDFS.label, SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf,
    SH.targetNode, SH.deactivated, SH.defaultValue, RDFS.seeAlso,
}


class UnsupportedShape(ValueError):  # noqa: N818  (a public name: callers and tests catch it by it)
    """A shape uses SHACL the compiler does not translate."""


@dataclass(frozen=True)
class ShapeInfo:
    """What a report needs to know about a shape, independent of any data."""

    iri: str
    id: str                      # local name: C01-item-has-legal-basis
    severity: str                # Violation | Warning | Info
    messages: dict[str, str]     # lang -> sh:message
    names: dict[str, str]        # lang -> sh:name (the property in words), may be empty
    comments: dict[str, str]     # lang -> rdfs:comment (why the rule exists)
    path: str | None = None      # the property shape's path as SPARQL, None for node shapes
    path_iris: tuple[str, ...] = ()  # the IRIs along the path, in order
    labels: dict[str, str] = field(default_factory=dict)  # lang -> rdfs:label (the rule's short name)


@dataclass(frozen=True)
class Check:
    """One compiled query: its solutions are the failing focus nodes (and values)."""

    shape: ShapeInfo
    component: str               # sh:…ConstraintComponent local name
    query: str


@dataclass(frozen=True)
class RawResult:
    shape: ShapeInfo
    component: str
    focus: str                   # IRI of the focus node
    path: str | None             # IRI of the result path when it is one property
    value: ox.NamedNode | ox.Literal | ox.BlankNode | None
    bindings: dict[str, str] = field(default_factory=dict, compare=False)


def _lang_map(g: Graph, node: Node, prop: URIRef) -> dict[str, str]:
    out: dict[str, str] = {}
    for o in g.objects(node, prop):
        if isinstance(o, Literal):
            out.setdefault(o.language or "", str(o))
    return out


def _int(term: Node) -> int:
    """A count a shape gives (sh:minCount 1): the number its literal writes."""
    return int(str(term))


def _n3(term: Node) -> str:
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, Literal):
        return term.n3()
    raise UnsupportedShape(f"blank node {term} cannot be used as a constant in a query")


class _Compiler:
    def __init__(self, g: Graph):
        self.g = g
        self._n = 0

    def var(self, stem: str = "v") -> str:
        self._n += 1
        return f"?_{stem}{self._n}"

    # --- paths --------------------------------------------------------------
    def path(self, node: Node | None) -> tuple[str, tuple[str, ...]]:
        g = self.g
        if isinstance(node, URIRef):
            return f"<{node}>", (str(node),)
        if (node, RDF.first, None) in g:
            # (node is None only for a nested property shape without sh:path, which SHACL forbids)
            parts = [self.path(p) for p in Collection(g, cast(Node, node))]
            return "(" + "/".join(p for p, _ in parts) + ")", tuple(i for _, ii in parts for i in ii)
        inv = g.value(node, SH.inversePath)
        if inv is not None:
            p, iris = self.path(inv)
            return f"(^{p})", iris
        alt = g.value(node, SH.alternativePath)
        if alt is not None:
            parts = [self.path(p) for p in Collection(g, alt)]
            return "(" + "|".join(p for p, _ in parts) + ")", tuple(i for _, ii in parts for i in ii)
        for prop, op in ((SH.zeroOrMorePath, "*"), (SH.oneOrMorePath, "+"), (SH.zeroOrOnePath, "?")):
            inner = g.value(node, prop)
            if inner is not None:
                p, iris = self.path(inner)
                return f"({p}){op}", iris
        raise UnsupportedShape(f"unsupported path {node}")

    # --- targets ------------------------------------------------------------
    def target(self, shape: Node) -> str | None:
        g = self.g
        parts = [f"?this a/<{RDFS.subClassOf}>* {_n3(c)} ." for c in g.objects(shape, SH.targetClass)]
        parts.extend(f"?this {_n3(p)} [] ." for p in g.objects(shape, SH.targetSubjectsOf))
        parts.extend(f"[] {_n3(p)} ?this ." for p in g.objects(shape, SH.targetObjectsOf))
        parts.extend(f"VALUES ?this {{ {_n3(n)} }}" for n in g.objects(shape, SH.targetNode))
        if not parts:
            return None
        union = " UNION ".join("{ " + p + " }" for p in parts)
        return f"{{ SELECT DISTINCT ?this WHERE {{ {union} }} }}"

    # --- nested node shapes as a boolean expression -------------------------
    def conforms(self, shape: Node, var: str) -> str:
        """A SPARQL expression true when ``var`` conforms to the (nested) node shape."""
        g = self.g
        terms: list[str] = []
        for p, o in g.predicate_objects(shape):
            if p in (RDF.type, RDFS.comment, RDFS.label, SH.name, SH.message):
                continue
            if p == SH["class"]:
                terms.append(f"EXISTS {{ {var} a/<{RDFS.subClassOf}>* {_n3(o)} }}")
            elif p == SH.hasValue:
                terms.append(f"sameTerm({var}, {_n3(o)})")
            elif p == SH["in"]:
                terms.append(f"{var} IN ({', '.join(_n3(x) for x in Collection(g, o))})")
            elif p == SH.property:
                terms.append(self._nested_property(o, var))
            else:
                raise UnsupportedShape(f"nested shape {shape}: {p} is not supported")
        return "(" + " && ".join(terms or ["true"]) + ")"

    def _nested_property(self, ps: Node, var: str) -> str:
        g = self.g
        path, _ = self.path(g.value(ps, SH.path))
        terms: list[str] = []
        for p, o in g.predicate_objects(ps):
            if p in (SH.path, RDF.type, SH.name, SH.message, RDFS.comment):
                continue
            if p == SH.hasValue:
                terms.append(f"EXISTS {{ {var} {path} {_n3(o)} }}")
            elif p == SH.minCount and _int(o) <= 1:
                terms.append(f"EXISTS {{ {var} {path} [] }}" if _int(o) == 1 else "true")
            else:
                raise UnsupportedShape(f"nested property shape {ps}: {p} {o} is not supported")
        return "(" + " && ".join(terms or ["true"]) + ")"

    # --- top-level property shapes ------------------------------------------
    def property_checks(self, shape: Node, info: ShapeInfo, target: str) -> list[Check]:
        g = self.g
        for p in set(g.predicates(shape)):
            if p not in _PROPERTY_KEYS and p not in _ANNOTATIONS:
                raise UnsupportedShape(f"{info.id}: {p} is not supported")
        path = info.path
        checks: list[Check] = []

        def per_value(component: str, ok: str) -> None:
            q = (f"SELECT DISTINCT ?this ?value WHERE {{ {target} ?this {path} ?value . "
                 f"FILTER (!COALESCE({ok}, false)) }}")
            checks.append(Check(info, component, q))

        mn = g.value(shape, SH.minCount)
        if mn is not None:
            checks.append(Check(info, "MinCountConstraintComponent",
                                f"SELECT ?this WHERE {{ {target} OPTIONAL {{ ?this {path} ?value }} }} "
                                f"GROUP BY ?this HAVING (COUNT(DISTINCT ?value) < {_int(mn)})"))
        mx = g.value(shape, SH.maxCount)
        if mx is not None:
            checks.append(Check(info, "MaxCountConstraintComponent",
                                f"SELECT ?this WHERE {{ {target} ?this {path} ?value }} "
                                f"GROUP BY ?this HAVING (COUNT(DISTINCT ?value) > {_int(mx)})"))
        checks.extend(Check(info, "HasValueConstraintComponent",
                            f"SELECT ?this WHERE {{ {target} FILTER NOT EXISTS {{ ?this {path} {_n3(hv)} }} }}")
                      for hv in g.objects(shape, SH.hasValue))
        for lst in g.objects(shape, SH["in"]):
            per_value("InConstraintComponent", f"?value IN ({', '.join(_n3(x) for x in Collection(g, lst))})")
        for c in g.objects(shape, SH["class"]):
            per_value("ClassConstraintComponent", f"EXISTS {{ ?value a/<{RDFS.subClassOf}>* {_n3(c)} }}")
        for dt in g.objects(shape, SH.datatype):
            ok = f"(isLiteral(?value) && datatype(?value) = {_n3(dt)}"
            if dt in _CASTABLE:
                ok += f" && bound(?value) && (<{dt}>(STR(?value)) = <{dt}>(STR(?value)))"
            per_value("DatatypeConstraintComponent", ok + ")")
        for pat in g.objects(shape, SH.pattern):
            flags = g.value(shape, SH.flags)
            fl = f", {Literal(str(flags)).n3()}" if flags else ""
            per_value("PatternConstraintComponent",
                      f"(!isBlank(?value) && REGEX(STR(?value), {Literal(str(pat)).n3()}{fl}))")
        ml = g.value(shape, SH.minLength)
        if ml is not None:
            per_value("MinLengthConstraintComponent", f"(!isBlank(?value) && STRLEN(STR(?value)) >= {_int(ml)})")
        xl = g.value(shape, SH.maxLength)
        if xl is not None:
            per_value("MaxLengthConstraintComponent", f"(!isBlank(?value) && STRLEN(STR(?value)) <= {_int(xl)})")
        for n in g.objects(shape, SH.node):
            per_value("NodeConstraintComponent", self.conforms(n, "?value"))
        for n in g.objects(shape, SH["not"]):
            per_value("NotConstraintComponent", "!" + self.conforms(n, "?value"))
        qv = g.value(shape, SH.qualifiedValueShape)
        if qv is not None:
            cond = self.conforms(qv, "?value")
            qmin = g.value(shape, SH.qualifiedMinCount)
            qmax = g.value(shape, SH.qualifiedMaxCount)
            base = (f"SELECT ?this WHERE {{ {target} OPTIONAL {{ ?this {path} ?value . FILTER ({cond}) }} }} "
                    "GROUP BY ?this HAVING (COUNT(DISTINCT ?value) ")
            if qmin is not None:
                checks.append(Check(info, "QualifiedMinCountConstraintComponent", base + f"< {_int(qmin)})"))
            if qmax is not None:
                checks.append(Check(info, "QualifiedMaxCountConstraintComponent", base + f"> {_int(qmax)})"))
        return checks

    # --- SPARQL-based constraints -------------------------------------------
    def prefixes(self, node: Node) -> str:
        g = self.g
        lines = [f"PREFIX {g.value(d, SH.prefix)}: <{g.value(d, SH.namespace)}>"
                 for decl_owner in g.objects(node, SH.prefixes) for d in g.objects(decl_owner, SH.declare)]
        return "\n".join(lines)

    def sparql_checks(self, shape: Node, info: ShapeInfo, target: str) -> list[Check]:
        g = self.g
        checks = []
        for c in g.objects(shape, SH.sparql):
            if (c, SH.deactivated, Literal(True)) in g:
                continue
            select = g.value(c, SH.select)
            if select is None:
                raise UnsupportedShape(f"{info.id}: a SPARQL constraint without sh:select")
            body = str(select).strip()
            query = f"{self.prefixes(c)}\nSELECT * WHERE {{ {target} {{ {body} }} }}"
            checks.append(Check(info, "SPARQLConstraintComponent", query))
        return checks


def shape_infos(g: Graph) -> dict[str, ShapeInfo]:
    """Every top-level shape (one with a target), keyed by IRI."""
    comp = _Compiler(g)
    out: dict[str, ShapeInfo] = {}
    for shape in _top_level_shapes(g):
        out[str(shape)] = _info(comp, shape)
    return out


def _top_level_shapes(g: Graph) -> list[URIRef]:
    targets = (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode)
    found = {s for t in targets for s in g.subjects(t, None)}
    return sorted((s for s in found if isinstance(s, URIRef)), key=str)


def _info(comp: _Compiler, shape: URIRef) -> ShapeInfo:
    g = comp.g
    sev = g.value(shape, SH.severity, default=SH.Violation)
    path_node = g.value(shape, SH.path)
    path, iris = comp.path(path_node) if path_node is not None else (None, ())
    local = re.split(r"[#/]", str(shape))[-1]
    severity = SEVERITIES.get(sev, "Violation") if isinstance(sev, URIRef) else "Violation"
    return ShapeInfo(iri=str(shape), id=local, severity=severity,
                     messages=_lang_map(g, shape, SH.message), names=_lang_map(g, shape, SH.name),
                     comments=_lang_map(g, shape, RDFS.comment), path=path, path_iris=iris,
                     labels=_lang_map(g, shape, RDFS.label))


def compile_shapes(g: Graph, only: Iterable[str] | None = None) -> list[Check]:
    """Compile every top-level shape of ``g`` (or those whose id or IRI is in ``only``)."""
    comp = _Compiler(g)
    wanted = set(only) if only is not None else None
    checks: list[Check] = []
    for shape in _top_level_shapes(g):
        if (shape, SH.deactivated, Literal(True)) in g:
            continue
        info = _info(comp, shape)
        if wanted is not None and info.id not in wanted and info.iri not in wanted:
            continue
        target = comp.target(shape)
        assert target is not None
        if isinstance(g.value(shape, SH.path), (URIRef, BNode)):
            checks.extend(comp.property_checks(shape, info, target))
        elif (shape, SH.sparql, None) in g:
            for p in set(g.predicates(shape)):
                if p not in _ANNOTATIONS and p != SH.sparql:
                    raise UnsupportedShape(f"{info.id}: {p} next to sh:sparql is not supported")
            checks.extend(comp.sparql_checks(shape, info, target))
        else:
            raise UnsupportedShape(f"{info.id}: a node shape without sh:sparql is not supported")
    return checks


def target_query(g: Graph, shape: str) -> str:
    """A query for the focus nodes of a shape's targets (``?this``)."""
    target = _Compiler(g).target(URIRef(shape))
    if target is None:
        raise UnsupportedShape(f"{shape} has no target")
    return f"SELECT ?this WHERE {{ {target} }}"


def _term_text(t: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> str:
    return t.value if isinstance(t, (ox.NamedNode, ox.Literal, ox.BlankNode)) else str(t)


def run_checks(store: ox.Store, checks: Iterable[Check]) -> Iterator[RawResult]:
    """Run compiled checks on everything in ``store`` (the default graph is the union)."""
    for check in checks:
        solutions = store.query(check.query, use_default_graph_as_union=True)
        assert isinstance(solutions, ox.QuerySolutions)  # every check is a SELECT
        names = [v.value for v in solutions.variables]
        shape_path = check.shape.path_iris[0] if len(check.shape.path_iris) == 1 else None
        sparql = check.component == "SPARQLConstraintComponent"
        for row in solutions:
            focus = row["this"]
            if focus is None:
                continue
            if not sparql:  # core constraints bind ?this and ?value only
                yield RawResult(check.shape, check.component, focus.value, shape_path, row["value"]
                                if "value" in names else None)
                continue
            b = {n: row[n] for n in names if row[n] is not None}
            path = b.get("path")
            yield RawResult(
                shape=check.shape,
                component=check.component,
                focus=focus.value,
                path=path.value if isinstance(path, ox.NamedNode) else shape_path,
                value=b.get("value"),
                bindings={k: _term_text(v) for k, v in b.items()},
            )


_MSG_VAR = re.compile(r"\{[?$]([A-Za-z_][A-Za-z0-9_]*)\}")


def message(template: str, bindings: dict[str, str]) -> str:
    """Fill ``{?var}`` / ``{$var}`` placeholders the way SHACL-SPARQL messages do."""
    if "{" not in template:
        return template
    return _MSG_VAR.sub(lambda m: bindings.get(m.group(1), m.group(0)), template)
