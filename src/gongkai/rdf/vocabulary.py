"""The SKOS vocabularies in ``ontology/vocab/`` as lookup tables for the mapper.

Labels written in many ways in real lists map to one concept: exact matches on
``skos:prefLabel``/``altLabel``/``hiddenLabel`` (compared with ``text.key``: spacing,
widths and traditional characters ignored), then the concept's ``gk:labelPattern``
regular expressions, the longest pattern first so that a specific pattern wins over a
catch-all. The vocabularies stay the single source of truth: adding a variant is an
edit to a ``.ttl`` file, not to code.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS

from gongkai.rdf.namespaces import GK
from gongkai.text import key


@dataclass
class Scheme:
    iri: URIRef
    labels: dict[str, URIRef] = field(default_factory=dict)       # key(label) -> concept
    patterns: list[tuple[re.Pattern[str], URIRef]] = field(default_factory=list)
    pref: dict[URIRef, dict[str, str]] = field(default_factory=dict)  # concept -> {lang: label}

    def lookup(self, label: str) -> URIRef | None:
        k = key(label)
        if not k:
            return None
        hit = self.labels.get(k)
        if hit is not None:
            return hit
        for pat, concept in self.patterns:
            if pat.search(k):
                return concept
        return None


class Vocabularies:
    """All schemes found in a folder of SKOS Turtle files."""

    def __init__(self, graph: Graph):
        self.graph = graph
        self.schemes: dict[str, Scheme] = {}
        for scheme in graph.subjects(RDF.type, SKOS.ConceptScheme):
            name = str(scheme).rstrip("/").rsplit("/", 1)[-1]
            self.schemes[name] = Scheme(iri=URIRef(str(scheme)))
        for concept in graph.subjects(RDF.type, SKOS.Concept):
            for scheme in graph.objects(concept, SKOS.inScheme):
                name = str(scheme).rstrip("/").rsplit("/", 1)[-1]
                sch = self.schemes.get(name)
                if sch is None:
                    continue
                c = URIRef(str(concept))
                for prop in (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel):
                    for lab in graph.objects(concept, prop):
                        sch.labels.setdefault(key(str(lab)), c)
                        if prop == SKOS.prefLabel:
                            label = cast("Literal", lab)  # a prefLabel is a literal
                            sch.pref.setdefault(c, {})[label.language or ""] = str(lab)
                for pat in graph.objects(concept, GK.labelPattern):
                    sch.patterns.append((re.compile(str(pat)), c))
        for sch in self.schemes.values():
            sch.patterns.sort(key=lambda pc: (-len(pc[0].pattern), str(pc[1]), pc[0].pattern))

    @classmethod
    def from_dir(cls, folder: Path) -> Vocabularies:
        return _load(str(folder))

    def lookup(self, scheme: str, label: str) -> URIRef | None:
        sch = self.schemes.get(scheme)
        return sch.lookup(label) if sch else None

    def label(self, concept: URIRef, lang: str = "zh") -> str | None:
        for sch in self.schemes.values():
            labs = sch.pref.get(concept)
            if labs:
                return labs.get(lang) or labs.get("zh") or next(iter(labs.values()))
        return None


@functools.lru_cache(maxsize=4)
def _load(folder: str) -> Vocabularies:
    g = Graph()
    for f in sorted(Path(folder).glob("*.ttl")):
        g.parse(f, format="turtle")
    return Vocabularies(g)
