"""Namespaces: the reused vocabularies and our own, bound to a configurable base."""

from __future__ import annotations

from rdflib import Graph, Namespace
from rdflib.namespace import (
    DCAT,
    DCTERMS,
    FOAF,
    ORG,
    OWL,
    PROV,
    RDF,
    RDFS,
    SKOS,
    TIME,
    VOID,
    XSD,
    DefinedNamespace,
)

from gongkai.settings import DEFAULT_BASE

ELI = Namespace("http://data.europa.eu/eli/ontology#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
SH = Namespace("http://www.w3.org/ns/shacl#")
#: vCard, for the published dataset's contact point (dcat:contactPoint); not one of the graph's prefixes
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")

# Our own terms live under the default base whatever base the data uses: the ontology
# is one published vocabulary, data IRIs are the publisher's.
GK = Namespace(DEFAULT_BASE + "ontology#")
VOCAB = Namespace(DEFAULT_BASE + "vocab/")
SHAPE = Namespace(DEFAULT_BASE + "shapes#")

#: the time:unitType of a period's duration, by the model's unit (OWL-Time has no working day)
DURATION_UNITS = {"working_day": GK.WorkingDay, "day": TIME.unitDay, "month": TIME.unitMonth,
                  "year": TIME.unitYear}

PREFIXES: dict[str, Namespace | type[DefinedNamespace]] = {
    "gk": GK,
    "gkv": VOCAB,
    "shape": SHAPE,
    "dcterms": DCTERMS,
    "skos": SKOS,
    "org": ORG,
    "prov": PROV,
    "eli": ELI,
    "time": TIME,
    "dcat": DCAT,
    "void": VOID,
    "foaf": FOAF,
    "owl": OWL,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "spdx": SPDX,
    "sh": SH,
}


def bind_all(g: Graph, base: str = DEFAULT_BASE) -> Graph:
    for p, ns in PREFIXES.items():
        g.bind(p, ns, override=True, replace=True)
    if base != DEFAULT_BASE:
        g.bind("data", Namespace(base), override=True)
    return g


def sparql_prefixes() -> str:
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
