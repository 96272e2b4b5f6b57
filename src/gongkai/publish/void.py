"""VoID statistics of the merged graph, computed in one pass over its triples.

Counts follow the VoID guide: ``void:triples`` distinct triples; ``void:entities``
distinct IRI subjects; ``void:classes``/``void:properties`` distinct classes used as
``rdf:type`` objects and distinct predicates; one class partition per class (its
entities) and one property partition per property (its triples). Links into reused
vocabularies (an item's ``time:unitType time:unitDay``, a legal source's type
``eli:LegalResource``) are counted per predicate and vocabulary: each pair becomes a
``void:Linkset``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox

from gongkai.publish.terms import value
from gongkai.rdf.namespaces import PREFIXES, RDF

RDF_TYPE = str(RDF.type)

# reused vocabularies: prefix -> (namespace, title, home page)
VOCABULARIES: dict[str, tuple[str, str, str]] = {
    "dcterms": (str(PREFIXES["dcterms"]), "DCMI Metadata Terms", "https://www.dublincore.org/specifications/dublin-core/dcmi-terms/"),
    "skos": (str(PREFIXES["skos"]), "SKOS", "https://www.w3.org/TR/skos-reference/"),
    "org": (str(PREFIXES["org"]), "W3C Organization Ontology", "https://www.w3.org/TR/vocab-org/"),
    "prov": (str(PREFIXES["prov"]), "PROV-O", "https://www.w3.org/TR/prov-o/"),
    "eli": (str(PREFIXES["eli"]), "European Legislation Identifier ontology", "https://op.europa.eu/en/web/eu-vocabularies/eli"),
    "time": (str(PREFIXES["time"]), "OWL-Time", "https://www.w3.org/TR/owl-time/"),
    "foaf": (str(PREFIXES["foaf"]), "FOAF", "http://xmlns.com/foaf/spec/"),
    "spdx": (str(PREFIXES["spdx"]), "SPDX", "https://spdx.org/rdf/terms/"),
    "owl": (str(PREFIXES["owl"]), "OWL 2", "https://www.w3.org/TR/owl2-overview/"),
    "rdfs": (str(PREFIXES["rdfs"]), "RDF Schema", "https://www.w3.org/TR/rdf-schema/"),
    "rdf": (str(PREFIXES["rdf"]), "RDF", "https://www.w3.org/TR/rdf11-concepts/"),
    "xsd": (str(PREFIXES["xsd"]), "XML Schema datatypes", "https://www.w3.org/TR/xmlschema11-2/"),
    "dcat": (str(PREFIXES["dcat"]), "DCAT", "https://www.w3.org/TR/vocab-dcat-3/"),
    "void": (str(PREFIXES["void"]), "VoID", "https://www.w3.org/TR/void/"),
}
OWN = {"gk": str(PREFIXES["gk"]), "gkv": str(PREFIXES["gkv"])}


def vocabulary_of(iri: str) -> str | None:
    """The prefix of the reused or own vocabulary an IRI belongs to, if any."""
    for prefix, (ns, _, _) in VOCABULARIES.items():
        if iri.startswith(ns):
            return prefix
    for prefix, ns in OWN.items():
        if iri.startswith(ns):
            return prefix
    return None


@dataclass
class Statistics:
    triples: int = 0
    entities: int = 0
    distinct_subjects: int = 0
    distinct_objects: int = 0
    classes: Counter = field(default_factory=Counter)      # class IRI -> entities
    properties: Counter = field(default_factory=Counter)   # property IRI -> triples
    linksets: Counter = field(default_factory=Counter)     # (predicate, vocabulary prefix) -> triples
    vocabularies: set[str] = field(default_factory=set)    # namespaces of terms used

    @property
    def n_classes(self) -> int:
        return len(self.classes)

    @property
    def n_properties(self) -> int:
        return len(self.properties)


def statistics(triples: Iterable[ox.Triple | ox.Quad]) -> Statistics:
    """Counts over distinct triples (a triple held by two named graphs counts once)."""
    st = Statistics()
    seen: set[ox.Triple] = set()
    subjects: set = set()
    objects: set = set()
    typed: dict[str, set] = {}
    for t in triples:
        triple = t if isinstance(t, ox.Triple) else ox.Triple(t.subject, t.predicate, t.object)
        if triple in seen:
            continue
        seen.add(triple)
        s, p, o = triple.subject, triple.predicate.value, triple.object
        subjects.add(s)
        objects.add(o)
        st.properties[p] += 1
        pv = vocabulary_of(p)
        if pv:
            st.vocabularies.add(pv)
        if p == RDF_TYPE:
            typed.setdefault(value(o), set()).add(s)
            ov = vocabulary_of(value(o))
            if ov:
                st.vocabularies.add(ov)
        if isinstance(o, ox.NamedNode):
            ov = vocabulary_of(o.value)
            if ov in VOCABULARIES:
                st.linksets[(p, ov)] += 1
    st.triples = len(seen)
    st.distinct_subjects = len(subjects)
    st.distinct_objects = len(objects)
    st.entities = sum(1 for s in subjects if isinstance(s, ox.NamedNode))
    st.classes = Counter({c: len(members) for c, members in typed.items()})
    return st
