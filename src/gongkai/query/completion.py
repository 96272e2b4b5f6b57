"""The words a SPARQL editor can complete: the graph's prefixes, and the classes and
properties of the ontology (``ontology/gongkai.ttl``) with the reused vocabularies' terms it
uses (``dcterms:title``, ``prov:Entity``, ``time:Duration`` …), written as prefixed names
with their labels."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rdflib import RDF, RDFS, BNode, Graph, URIRef
from rdflib.namespace import OWL, XSD

from gongkai.query.prefixes import known_prefixes
from gongkai.reference_data import ontology_graph
from gongkai.settings import Settings

_LOCAL = re.compile(r"[A-Za-z_][A-Za-z0-9_\-]*")
_CLASS_TYPES = {OWL.Class, RDFS.Class, RDFS.Datatype}
_PROPERTY_TYPES = {OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDF.Property,
                   OWL.FunctionalProperty, OWL.InverseFunctionalProperty, OWL.TransitiveProperty,
                   OWL.SymmetricProperty}
# a term in the object of these is a class (or a datatype) …
_CLASS_POSITIONS = {RDFS.subClassOf, RDFS.domain, RDFS.range, OWL.equivalentClass, OWL.disjointWith,
                    OWL.someValuesFrom, OWL.allValuesFrom, OWL.onClass}
# … and of these a property
_PROPERTY_POSITIONS = {RDFS.subPropertyOf, OWL.inverseOf, OWL.equivalentProperty, OWL.onProperty}


@dataclass(frozen=True)
class Word:
    """A word to complete: ``gk:DisclosureItem``; its kind (prefix, class, property, datatype
    or term) and its label in Chinese and English when the ontology gives one."""

    name: str
    kind: str
    label_zh: str = ""
    label_en: str = ""

    def label(self, lang: str) -> str:
        return (self.label_en if lang == "en" else self.label_zh) or self.label_zh or self.label_en


def prefixed_name(iri: str, prefixes: dict[str, str] | None = None) -> str | None:
    """``iri`` as ``prefix:local`` with the longest known namespace; None when none fits."""
    prefixes = known_prefixes() if prefixes is None else prefixes
    best: tuple[str, str] | None = None
    for p, ns in prefixes.items():
        if iri.startswith(ns) and (best is None or len(ns) > len(prefixes[best[0]])):
            best = (p, iri[len(ns):])
    if best is None or not _LOCAL.fullmatch(best[1]):
        return None
    return f"{best[0]}:{best[1]}"


def _used_as(g: Graph, term: URIRef, predicates: set[URIRef]) -> bool:
    return any((None, p, term) in g for p in predicates)


def _kind(g: Graph, term: URIRef) -> str:
    types = set(g.objects(term, RDF.type))
    if str(term).startswith(str(XSD)) or RDFS.Datatype in types or term in (RDFS.Literal, RDF.langString):
        return "datatype"
    if types & _PROPERTY_TYPES or _used_as(g, term, _PROPERTY_POSITIONS) or (None, term, None) in g:
        return "property"
    if types & _CLASS_TYPES or _used_as(g, term, _CLASS_POSITIONS):
        return "class"
    return "term"


def _labels(g: Graph, term: URIRef) -> tuple[str, str]:
    by_lang = {getattr(o, "language", None): str(o) for o in g.objects(term, RDFS.label)}
    return by_lang.get("zh", ""), by_lang.get("en", "")


def completion_words(ontology: Graph) -> list[Word]:
    """The prefixes, then every term of the ontology graph that a known prefix can write
    (subjects, predicates, objects, property chains), sorted by name."""
    prefixes = known_prefixes()
    words = [Word(f"{p}:", "prefix", ns, ns) for p, ns in prefixes.items()]
    seen: dict[str, Word] = {}
    for triple in ontology:
        for term in triple:
            if not isinstance(term, URIRef) or isinstance(term, BNode):
                continue
            name = prefixed_name(str(term), prefixes)
            if name is None or name in seen:
                continue
            seen[name] = Word(name, _kind(ontology, term), *_labels(ontology, term))
    return words + [seen[n] for n in sorted(seen, key=str.lower)]


def ontology_words(settings: Settings) -> list[Word]:
    """``completion_words`` of the ontology the settings name (``ontology/gongkai.ttl``)."""
    return completion_words(ontology_graph(settings))
