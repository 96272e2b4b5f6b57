"""The graph cut into pages, in one pass over the quads.

Every triple goes to exactly one page: the page of its subject. A subject is a page
when its type says so (a list, an item, an organisation, a legal source, a concept, a
scheme, the ontology, the dataset). Any other subject belongs to the page whose IRI is
its longest prefix (``…/item/13/citation/2`` → item 13; ``ontology#cites`` → the
ontology), or, for blank nodes and IRIs outside the site, to the page of the node that
first refers to it. So the pages' Turtle files together are the whole graph, each
triple once, and a page's file is a self-contained description of its resource (a
concise bounded description).

Alongside, the pass collects what pages need to show about *other* resources: labels,
types and inbound links (which items rely on a legal source, which lists a bureau
published) — small indexes, so rendering a page never searches the graph.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox

from gongkai.publish.layout import Layout
from gongkai.publish.terms import Term, value
from gongkai.rdf.namespaces import DCAT, DCTERMS, ELI, FOAF, GK, ORG, OWL, RDF, RDFS, SKOS

RDF_TYPE = str(RDF.type)
_SKOS = str(SKOS)
_RDFS = str(RDFS)
_DCT = str(DCTERMS)

# first type found wins, in this order
PAGE_KINDS: list[tuple[str, str]] = [
    (str(OWL.Ontology), "ontology"),
    (str(DCAT.Dataset), "dataset"),
    (str(GK.DisclosureList), "list"),
    (str(GK.DisclosureItem), "item"),
    (str(GK.LegalWork), "legal"),
    (str(ELI.LegalResource), "legal"),
    (str(ORG.Organization), "org"),
    (_SKOS + "ConceptScheme", "scheme"),
    (_SKOS + "Concept", "concept"),
]
_KIND_OF = dict(PAGE_KINDS)
_KIND_RANK = {k: n for n, (_, k) in enumerate(PAGE_KINDS)}

# predicates that name a resource, best first
LABEL_PREDICATES = [_SKOS + "prefLabel", _RDFS + "label", _DCT + "title", str(ELI.title),
                    str(FOAF.name)]
_LABEL_RANK = {p: n for n, p in enumerate(LABEL_PREDICATES)}

# one-valued facts other pages show about a resource (an item's list and number, a
# list's bureau and date, a legal source's work, document number and dates, an article's
# number and text)
FACT_PREDICATES = frozenset({
    str(GK.inList), str(GK.itemNumber), _DCT + "publisher", _DCT + "date", str(GK.versionOf),
    _SKOS + "inScheme", str(ELI.id_local), str(ELI.date_document), str(ELI.first_date_entry_in_force),
    str(ELI.date_no_longer_in_force), str(GK.timeLimit), str(GK.versionUndetermined),
    str(ELI.number), str(GK.articleText),
})


@dataclass
class Page:
    iri: str
    kind: str
    path: str
    triples: list[ox.Triple] = field(default_factory=list)
    _by_subject: dict[str, dict[str, list]] | None = field(default=None, repr=False)

    def describe(self, iri: str) -> dict[str, list]:
        """Predicate → objects for one subject of this page (the page's own or an owned node)."""
        if self._by_subject is None:
            by: dict[str, dict[str, list]] = {}
            for t in self.triples:
                by.setdefault(_key(t.subject), {}).setdefault(t.predicate.value, []).append(t.object)
            self._by_subject = by
        return self._by_subject.get(iri, {})

    def peek(self, iri: str) -> dict[str, list]:
        """``describe`` without keeping an index: for a glance at another page."""
        if self._by_subject is not None:
            return self._by_subject.get(iri, {})
        out: dict[str, list] = {}
        for t in self.triples:
            if _key(t.subject) == iri:
                out.setdefault(t.predicate.value, []).append(t.object)
        return out

    def forget(self) -> None:
        self._by_subject = None

    def subjects(self) -> list[str]:
        self.describe(self.iri)
        return list(self._by_subject or {})


def _key(term: Term) -> str:
    return term.value if isinstance(term, ox.NamedNode) else "_:" + value(term)


class Corpus:
    """Pages, the owner of every subject, and the indexes pages need."""

    def __init__(self, layout: Layout, fallback: str | None = None):
        self.layout = layout
        self.fallback = fallback          # page for statements that have no other home
        self.pages: dict[str, Page] = {}
        self.owner: dict[str, str] = {}    # subject (IRI or "_:id") -> page IRI
        self.labels: dict[str, dict[str, tuple[int, str]]] = {}
        self.types: dict[str, list[str]] = {}
        self.inbound: dict[str, list[tuple[str, str]]] = {}
        self.facts: dict[str, dict[str, Term]] = {}

    # --- building -------------------------------------------------------------------

    def add(self, quads: Iterable[ox.Quad | ox.Triple]) -> None:
        """Cut quads into pages. Can be called more than once (the dataset description
        is added after the data); a later call's subjects join existing pages."""
        by_subject: dict[str, dict[ox.Triple, None]] = {}
        first_ref: dict[str, str] = {}
        types, labels, inbound, facts = self.types, self.labels, self.inbound, self.facts
        for q in quads:
            s, p, o = q.subject, q.predicate.value, q.object
            sk = s.value if isinstance(s, ox.NamedNode) else "_:" + value(s)
            t = ox.Triple(s, q.predicate, o)
            bucket = by_subject.get(sk)
            if bucket is None:
                bucket = by_subject[sk] = {}
            if t in bucket:
                continue
            bucket[t] = None
            if p == RDF_TYPE:
                types.setdefault(sk, []).append(value(o))
                continue
            if p in FACT_PREDICATES:
                facts.setdefault(sk, {}).setdefault(p, o)
            if isinstance(o, ox.Literal):
                rank = _LABEL_RANK.get(p)
                if rank is not None:
                    lang = o.language or ""
                    have = labels.setdefault(sk, {})
                    old = have.get(lang)
                    if old is None or rank < old[0] or (rank == old[0] and o.value < old[1]):
                        have[lang] = (rank, o.value)
                continue
            ok = o.value if isinstance(o, ox.NamedNode) else "_:" + value(o)
            inbound.setdefault(ok, []).append((sk, p))
            if not isinstance(o, ox.NamedNode) or not self.layout.in_site(ok):
                first_ref.setdefault(ok, sk)
        self._assign(by_subject, first_ref)

    def _assign(self, by_subject: dict[str, dict], first_ref: dict[str, str]) -> None:
        for sk in by_subject:
            kind = self.kind_of(sk)
            if kind is not None and sk not in self.pages:
                path = self.layout.path(sk)
                if path is not None:
                    self.pages[sk] = Page(sk, kind, path)
        orphans: list[str] = []
        for sk in by_subject:
            owner = self.owner.get(sk) or self._owner_by_iri(sk)
            if owner is None:
                orphans.append(sk)
            else:
                self.owner[sk] = owner
        for sk in orphans:
            owner = self._owner_by_reference(sk, first_ref)
            if owner is None and not sk.startswith("_:") and (path := self.layout.path(sk)) is not None:
                self.pages[sk] = Page(sk, "resource", path)
                owner = sk
            if owner is None:
                owner = self.fallback
            if owner is None or owner not in self.pages:
                raise ValueError(f"no page can hold the statements about {sk}")
            self.owner[sk] = owner
        for sk, triples in by_subject.items():
            self.pages[self.owner[sk]].triples.extend(triples)
            self.pages[self.owner[sk]]._by_subject = None

    def kind_of(self, iri: str) -> str | None:
        kinds = [_KIND_OF[t] for t in self.types.get(iri, ()) if t in _KIND_OF]
        return min(kinds, key=_KIND_RANK.__getitem__) if kinds else None

    def _owner_by_iri(self, iri: str) -> str | None:
        if iri in self.pages:
            return iri
        if iri.startswith("_:") or not self.layout.in_site(iri):
            return None
        head = iri.split("#", 1)[0]
        if head in self.pages:
            return head
        while "/" in head:
            head = head.rsplit("/", 1)[0]
            if head in self.pages:
                return head
            if not self.layout.in_site(head + "/"):
                break
        return None

    def _owner_by_reference(self, key: str, first_ref: dict[str, str]) -> str | None:
        seen = {key}
        ref = first_ref.get(key)
        while ref is not None and ref not in seen:
            owner = self.owner.get(ref) or self._owner_by_iri(ref)
            if owner is not None:
                return owner
            seen.add(ref)
            ref = first_ref.get(ref)
        return None

    # --- reading ----------------------------------------------------------------------

    def label(self, iri: str, lang: str = "zh") -> str | None:
        labs = self.labels.get(iri)
        if not labs:
            return None
        hit = labs.get(lang)
        if hit is None and lang == "zh":
            hit = labs.get("") or next(iter(labs.values()))
        return hit[1] if hit else None

    def fact(self, iri: str, predicate: str) -> str | None:
        """The value (an IRI or a literal's text) of a one-valued fact, if known."""
        v = self.facts.get(iri, {}).get(predicate)
        return None if v is None else value(v)

    def page_of(self, iri: str) -> Page | None:
        owner = self.owner.get(iri)
        return self.pages.get(owner) if owner else None

    def describe(self, iri: str) -> dict[str, list]:
        """What another page says about ``iri`` (not cached: pages are rendered one by one)."""
        page = self.page_of(iri)
        return page.peek(iri) if page else {}

    def refs(self, iri: str, predicate: str | None = None) -> list[str]:
        """Subjects that refer to ``iri`` (through ``predicate``, if given)."""
        return [s for s, p in self.inbound.get(iri, ()) if predicate is None or p == predicate]

    def anchor(self, iri: str) -> str:
        """The fragment of a node inside its page ('' for the page itself)."""
        owner = self.owner.get(iri, iri)
        if owner == iri or iri.startswith("_:"):
            return ""
        return iri[len(owner):].lstrip("/#") if iri.startswith(owner) else _safe_id(iri)

    def href(self, from_path: str, iri: str) -> str | None:
        """A relative link to the page (and anchor) describing ``iri``, if the site has one."""
        page = self.page_of(iri)
        if page is None or iri.startswith("_:"):
            return None
        return self.layout.href(from_path, page.path, anchor=self.anchor(iri))


def _safe_id(iri: str) -> str:
    """An anchor for an external IRI described on some page (rare: statements about
    another dataset's resource)."""
    return "ext-" + "".join(c if c.isalnum() else "-" for c in iri)[-60:]
