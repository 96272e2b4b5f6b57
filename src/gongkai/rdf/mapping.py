"""Model → RDF. The only module that knows the ontology's terms for lists and items.

One named graph per list, named by the list's IRI. No blank nodes: every node has a
deterministic IRI derived from the list's (so re-ingesting replaces, pushing is
idempotent, and query results compare equal across stores).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, overload

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, PROV, RDF, RDFS, SKOS, TIME, VOID, XSD
from rdflib.term import Node

from gongkai.ingest import FileResult
from gongkai.model import (
    Citation,
    DisclosureItem,
    DisclosureList,
    Organisation,
    SourceRef,
    TimeLimit,
)
from gongkai.rdf.iris import IRIs, slug, vocab
from gongkai.rdf.namespaces import DURATION_UNITS, ELI, GK, SPDX, bind_all
from gongkai.rdf.vocabulary import Vocabularies
from gongkai.settings import DEFAULT_BASE, VERSION
from gongkai.text import key

if TYPE_CHECKING:  # the registry is optional: without it citations stay unresolved
    from gongkai.legal.clauses import ClauseMatch, ClauseRules
    from gongkai.legal.registry import Registry

SOFTWARE = URIRef(f"{DEFAULT_BASE}software/gongkai")


@dataclass
class MapContext:
    iris: IRIs
    vocab: Vocabularies
    registry: Registry | None = None
    lang: str = "zh"
    clauses: ClauseRules | None = None   # without them no item gets a clause of the Regulations
    _legal_iris: dict[str, URIRef] = field(default_factory=dict, repr=False)
    _work_iris: dict[str, URIRef] = field(default_factory=dict, repr=False)

    def legal_iri(self, source_id: str) -> URIRef:
        iri = self._legal_iris.get(source_id)
        if iri is None:
            assert self.registry is not None  # only a source the registry resolved has an IRI
            iri = self._legal_iris[source_id] = URIRef(str(self.registry.iri(source_id, self.iris)))
        return iri

    def work_iri(self, source_id: str) -> URIRef:
        """The IRI of the work the source ``source_id`` is a version of."""
        iri = self._work_iris.get(source_id)
        if iri is None:
            assert self.registry is not None
            iri = self._work_iris[source_id] = URIRef(str(self.registry.work_iri(source_id, self.iris)))
        return iri


def _lit(text: str | None, lang: str) -> Literal | None:
    return Literal(text, lang=lang) if text else None


def org_iri(ctx: MapContext, org: Organisation) -> URIRef:
    return ctx.iris.org(key(org.name))


def map_organisation(g: Triples, ctx: MapContext, org: Organisation, lang: str) -> URIRef:
    iri = org_iri(ctx, org)
    g.add((iri, RDF.type, ORG.Organization))
    g.add((iri, SKOS.prefLabel, Literal(org.name, lang=lang)))
    if org.parent:
        parent = ctx.iris.org(key(org.parent))
        g.add((parent, RDF.type, ORG.Organization))
        g.add((parent, SKOS.prefLabel, Literal(org.parent, lang=lang)))
        g.add((iri, ORG.subOrganizationOf, parent))
    return iri


def _checksum(dl: DisclosureList) -> str:
    """The file's SHA-256, which names a list without a bureau (of its name, when not given)."""
    return dl.source_sha256 or hashlib.sha256(dl.source_file.encode("utf-8", "surrogateescape")).hexdigest()


def list_key(ctx: MapContext, dl: DisclosureList) -> str:
    """``<org-slug>/<date>``, or ``unknown-<sha12>/<date>`` for a list that names no bureau."""
    if not dl.bureau_named:
        return ctx.iris.unnamed_list_key(_checksum(dl), dl.date)
    return ctx.iris.list_key(key(dl.bureau.name), dl.date)


def list_iri(ctx: MapContext, dl: DisclosureList) -> URIRef:
    if not dl.bureau_named:
        return ctx.iris.unnamed_list(_checksum(dl), dl.date)
    return ctx.iris.list(key(dl.bureau.name), dl.date)


def _map_unnamed_bureau(g: Triples, ctx: MapContext, dl: DisclosureList, lang: str) -> URIRef:
    """The bureau of a list that names none: a ``gk:UnnamedBureau`` of its own (one per file),
    labelled as such, which the completeness shape C11 flags."""
    iri = ctx.iris.unnamed_org(_checksum(dl))
    g.add((iri, RDF.type, ORG.Organization))
    g.add((iri, RDF.type, GK.UnnamedBureau))
    g.add((iri, SKOS.prefLabel, Literal(dl.bureau.name, lang=lang)))   # 未注明责任单位 (the class says it in English)
    if dl.bureau.parent:
        parent = ctx.iris.org(key(dl.bureau.parent))
        g.add((parent, RDF.type, ORG.Organization))
        g.add((parent, SKOS.prefLabel, Literal(dl.bureau.parent, lang=lang)))
        g.add((iri, ORG.subOrganizationOf, parent))
    return iri


def _map_unread(g: Triples, ctx: MapContext, dl: DisclosureList, lst: URIRef, src: URIRef) -> None:
    """Each row that could not be read, kept in the list's graph with its text, lines and reason
    (``<list>/unread/<n>``, in the order of the lines), so that nothing on the page is lost."""
    for n, u in enumerate(dl.unread, 1):
        node = ctx.iris.sub(lst, "unread", n)
        g.add((lst, GK.unreadRow, node))
        g.add((node, RDF.type, GK.UnreadRow))
        if u.text:
            g.add((node, GK.rawText, Literal(u.text, lang=ctx.lang)))
        g.add((node, GK.unreadReason, Literal(u.reason, lang="en")))
        g.add((node, PROV.wasDerivedFrom, src))
        for line in sorted(set(u.lines)):
            g.add((node, GK.sourceLine, Literal(line, datatype=XSD.positiveInteger)))
        if u.lines:
            g.add((node, GK.sourceRows, Literal(SourceRef(dl.source_file, rows=u.lines).rows_text())))


def _map_corrections(g: Triples, ctx: MapContext, dl: DisclosureList, lst: URIRef, src: URIRef) -> None:
    """Each correction applied from a corrections file (``<list>/correction/<n>``): its lines,
    action, cells, note and where it was written; the items it made were influenced by it."""
    for n, c in enumerate(dl.corrections, 1):
        node = ctx.iris.sub(lst, "correction", n)
        g.add((lst, GK.correction, node))
        g.add((node, RDF.type, GK.Correction))
        g.add((node, GK.correctionAction, Literal(c.action)))
        g.add((node, DCTERMS.source, Literal(c.where)))
        g.add((node, PROV.used, src))
        if c.cells:
            g.add((node, GK.correctedText, Literal(" | ".join(c.cells), lang=ctx.lang)))
        if c.note:
            g.add((node, RDFS.comment, Literal(c.note, lang=ctx.lang)))
        for line in c.lines:
            g.add((node, GK.sourceLine, Literal(line, datatype=XSD.positiveInteger)))
        for item in dl.items:
            if set(item.source.rows) & set(c.lines):
                g.add((ctx.iris.item(lst, item.number), PROV.wasInfluencedBy, node))


#: the list's statement each inferred fact (``DisclosureList.inferred``) made
_INFERRED_PREDICATES = {"bureau": DCTERMS.publisher, "date": DCTERMS.date}


def _map_inferred(g: Triples, ctx: MapContext, dl: DisclosureList, lst: URIRef, bureau: URIRef,
                  src: URIRef) -> None:
    """A fact taken from around the table (the page's 发布机构, ``<meta name=PubDate>``, a file's
    properties), as provenance of the statement it made: ``<list>/inferred/<fact>`` is that
    statement (``rdf:Statement``: the list, ``dcterms:publisher`` or ``dcterms:date``, the
    value), with ``dcterms:source`` saying where it was read; the list was influenced by it."""
    objects: dict[str, Node | None] = {
        "bureau": bureau,
        "date": Literal(dl.date.isoformat(), datatype=XSD.date) if dl.date else None,
    }
    for fact, where in sorted(dl.inferred.items()):
        obj = objects.get(fact)
        if obj is None:
            continue
        node = ctx.iris.sub(lst, "inferred", fact)
        g.add((lst, PROV.wasInfluencedBy, node))
        g.add((node, RDF.type, RDF.Statement))
        g.add((node, RDF.type, PROV.Entity))
        g.add((node, RDF.subject, lst))
        g.add((node, RDF.predicate, _INFERRED_PREDICATES[fact]))
        g.add((node, RDF.object, obj))
        g.add((node, DCTERMS.source, Literal(where)))
        g.add((node, PROV.wasDerivedFrom, src))


class Triples(Protocol):
    """Where mapped triples go: an rdflib ``Graph``, or a ``TripleSink``."""

    def add(self, triple: tuple[Node, Node, Node]) -> object: ...
    def __len__(self) -> int: ...


class TripleSink(list[tuple[Node, Node, Node]]):
    """A plain list of triples with ``Graph.add``'s signature.

    Mapping into it skips rdflib's indexes: ~5× faster when the triples only go on to be
    serialised (benchmarks, bulk loads of thousands of lists).
    """

    def __init__(self) -> None:
        super().__init__()
        self._seen: set[tuple[Node, Node, Node]] = set()

    def add(self, triple: tuple[Node, Node, Node]) -> TripleSink:
        """Keep each triple once, as a Graph would (two labels may map to one concept)."""
        if triple not in self._seen:
            self._seen.add(triple)
            self.append(triple)
        return self

    def nquads(self, graph: URIRef) -> str:
        g = graph.n3()
        return "".join(f"{s.n3()} {p.n3()} {o.n3()} {g} .\n" for s, p, o in self)


@overload
def map_list(dl: DisclosureList, ctx: MapContext, sink: None = None) -> tuple[URIRef, Graph]: ...
@overload
def map_list(dl: DisclosureList, ctx: MapContext, sink: TripleSink) -> tuple[URIRef, TripleSink]: ...
def map_list(dl: DisclosureList, ctx: MapContext, sink: TripleSink | None = None) -> tuple[URIRef, Graph | TripleSink]:
    """Map one list. Returns (graph name, graph); the graph name is the list's IRI.

    With ``sink``, triples go into it instead of a new rdflib Graph (and it is returned).
    """
    lang = ctx.lang
    g: Graph | TripleSink = sink if sink is not None else bind_all(Graph(), ctx.iris.base)
    lst = list_iri(ctx, dl)
    bureau = (map_organisation(g, ctx, dl.bureau, lang) if dl.bureau_named
              else _map_unnamed_bureau(g, ctx, dl, lang))
    if ctx.clauses is not None and ctx.registry is not None:
        # the level the clause rules read from the bureau's name (第二十一条's halves), where the bureau is written
        level = ctx.clauses.level(dl.bureau.name if dl.bureau_named else None)
        g.add((bureau, GK.bureauLevel, vocab("bureau-level", level)))

    g.add((lst, RDF.type, GK.DisclosureList))
    g.add((lst, DCTERMS.publisher, bureau))
    g.add((lst, DCTERMS.identifier, Literal(list_key(ctx, dl))))
    if dl.title:
        g.add((lst, DCTERMS.title, Literal(dl.title, lang=lang)))
    if dl.date:
        g.add((lst, DCTERMS.date, Literal(dl.date.isoformat(), datatype=XSD.date)))
    if dl.declared:
        d = dl.declared
        g.add((lst, GK.declaredCountsText, Literal(d.raw, lang=lang)))
        for prop, val in ((GK.declaredLevel1Count, d.level1_active),
                          (GK.declaredLevel2Count, d.level2_active),
                          (GK.declaredOnRequestCount, d.level2_on_request)):
            if val is not None:
                g.add((lst, prop, Literal(val, datatype=XSD.nonNegativeInteger)))
    for label in dl.channels_offered:
        concept = ctx.vocab.lookup("channel", label)
        if concept is not None:
            g.add((lst, GK.offeredChannel, concept))
    for person in dl.people:
        att = ctx.iris.sub(lst, "attribution", person.role)
        agent = ctx.iris.sub(lst, "person", person.role)
        g.add((lst, PROV.qualifiedAttribution, att))
        g.add((lst, PROV.wasAttributedTo, agent))
        g.add((att, RDF.type, PROV.Attribution))
        g.add((att, PROV.agent, agent))
        g.add((att, PROV.hadRole, vocab("role", person.role)))
        g.add((agent, RDF.type, PROV.Person))
        g.add((agent, FOAF.name, Literal(person.name, lang=lang)))

    src = _map_source(g, ctx, dl, lst)
    for item in dl.items:
        map_item(g, ctx, dl, lst, bureau, src, item)
    _map_unread(g, ctx, dl, lst, src)
    _map_corrections(g, ctx, dl, lst, src)
    _map_inferred(g, ctx, dl, lst, bureau, src)
    # the graph's own size, this statement included (VoID): statistics over every list read
    # one figure per list instead of counting millions of statements
    g.add((lst, VOID.triples, Literal(len(g) + 1, datatype=XSD.integer)))
    return lst, g


def _map_source(g: Triples, ctx: MapContext, dl: DisclosureList, lst: URIRef) -> URIRef:
    src = ctx.iris.sub(lst, "source")
    g.add((src, RDF.type, GK.SourceFile))
    g.add((src, DCTERMS.title, Literal(dl.source_file)))
    if dl.source_format:
        g.add((src, GK.sourceFormat, Literal(dl.source_format)))
    if dl.source_url:
        g.add((src, DCTERMS.source, URIRef(dl.source_url)))
    if dl.source_sha256:
        ck = ctx.iris.sub(lst, "source", "checksum")
        g.add((src, SPDX.checksum, ck))
        g.add((ck, RDF.type, SPDX.Checksum))
        g.add((ck, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
        g.add((ck, SPDX.checksumValue, Literal(dl.source_sha256, datatype=XSD.hexBinary)))
    g.add((lst, PROV.wasDerivedFrom, src))
    act = ctx.iris.sub(lst, "ingest")
    g.add((act, RDF.type, GK.Ingest))
    g.add((act, PROV.used, src))
    g.add((act, PROV.wasAssociatedWith, SOFTWARE))
    g.add((SOFTWARE, RDF.type, PROV.SoftwareAgent))
    g.add((SOFTWARE, RDFS.label, Literal(f"gongkai {VERSION}")))
    if dl.ingested_at:
        g.add((act, PROV.endedAtTime, Literal(dl.ingested_at.isoformat(), datatype=XSD.dateTime)))
    g.add((lst, PROV.wasGeneratedBy, act))
    return src


def category_concept(g: Triples, ctx: MapContext, label: str, lang: str) -> URIRef:
    """The level-1 concept for a label: the vocabulary's if known, else minted from the label."""
    found = ctx.vocab.lookup("category", label)
    if found is not None:
        return found
    concept = vocab("category", slug(key(label)))
    g.add((concept, RDF.type, SKOS.Concept))
    g.add((concept, SKOS.inScheme, vocab("category")))
    g.add((concept, SKOS.prefLabel, Literal(label, lang=lang)))
    return concept


def map_item(g: Triples, ctx: MapContext, dl: DisclosureList, lst: URIRef, bureau: URIRef,
             src: URIRef, item: DisclosureItem) -> URIRef:
    lang = ctx.lang
    it = ctx.iris.item(lst, item.number)
    g.add((lst, GK.hasItem, it))
    g.add((it, RDF.type, GK.DisclosureItem))
    g.add((it, GK.inList, lst))
    g.add((it, GK.itemNumber, Literal(item.number, datatype=XSD.integer)))
    g.add((it, DCTERMS.title, Literal(item.level2, lang=lang)))
    if item.level1:
        g.add((it, GK.category, category_concept(g, ctx, item.level1, lang)))
        g.add((it, GK.categoryText, Literal(item.level1, lang=lang)))
    for prop, val in ((GK.level3Name, item.level3), (GK.level4Name, item.level4),
                      (DCTERMS.description, item.content), (GK.legalBasisText, item.legal_basis),
                      (GK.remark, item.remark)):
        if val:
            g.add((it, prop, Literal(val, lang=lang)))
    for name, val in sorted(item.extra.items()):
        g.add((it, GK.extraColumn, Literal(f"{name}：{val}", lang=lang)))

    for n, cit in enumerate(item.citations, 1):
        _map_citation(g, ctx, it, n, cit)
    if item.time_limit is not None:
        _map_time_limit(g, ctx, ctx.iris.sub(it, "time-limit"), item.time_limit, it)
    if ctx.clauses is not None and ctx.registry is not None:
        _map_clauses(g, ctx, it, ctx.clauses.apply(item, dl.bureau.name if dl.bureau_named else None))

    if item.publisher:
        g.add((it, GK.publisherName, Literal(item.publisher, lang=lang)))
        if dl.bureau_named and key(item.publisher) == key(dl.bureau.name):
            g.add((it, DCTERMS.publisher, bureau))
    for ch in item.channels:
        if not ch.checked:
            continue
        g.add((it, GK.channelLabel, Literal(ch.label if not ch.note else f"{ch.label} {ch.note}", lang=lang)))
        concept = ctx.vocab.lookup("channel", ch.label)
        if concept is not None:
            g.add((it, GK.channel, concept))
    if item.channels_text and not item.channels:
        g.add((it, GK.channelLabel, Literal(item.channels_text, lang=lang)))
    for a in item.audience:
        g.add((it, DCTERMS.audience, vocab("audience", a)))
    for m in item.mode:
        g.add((it, GK.mode, vocab("mode", m)))

    g.add((it, PROV.wasDerivedFrom, src))
    for line in sorted(set(item.source.rows)):
        g.add((it, GK.sourceLine, Literal(line, datatype=XSD.positiveInteger)))
    if item.source.rows:
        g.add((it, GK.sourceRows, Literal(item.source.rows_text())))
    return it


def _map_citation(g: Triples, ctx: MapContext, it: URIRef, n: int, cit: Citation) -> None:
    lang = ctx.lang
    node = ctx.iris.sub(it, "citation", n)
    g.add((it, GK.citation, node))
    g.add((node, RDF.type, GK.Citation))
    g.add((node, GK.order, Literal(n, datatype=XSD.integer)))
    g.add((node, GK.rawText, Literal(cit.raw, lang=lang)))
    if cit.title:
        g.add((node, GK.citedTitle, Literal(cit.title, lang=lang)))
    if cit.doc_number:
        g.add((node, GK.citedDocumentNumber, Literal(cit.doc_number.text)))
    if cit.quoted_text:
        g.add((node, GK.quotedText, Literal(cit.quoted_text, lang=lang)))

    resource = None
    if cit.resolved_id and ctx.registry is not None:
        resource = ctx.legal_iri(cit.resolved_id)
    if resource is not None:
        g.add((node, GK.resolved, Literal(True)))
        g.add((node, GK.citesWork, ctx.work_iri(cit.resolved_id or "")))
        if cit.resolution:
            g.add((node, GK.resolutionMethod, Literal(cit.resolution)))
    elif cit.work_id and ctx.registry is not None:
        # the law is known, its version is not (an undated list): the work, never a minted twin
        resource = ctx.work_iri(cit.work_id)
        g.add((node, GK.resolved, Literal(False)))
        g.add((node, GK.versionUndetermined, Literal(True)))
        g.add((node, GK.citesWork, resource))
        if cit.resolution:
            g.add((node, GK.resolutionMethod, Literal(cit.resolution)))
    else:
        resource = _unresolved_resource(g, ctx, cit)
        g.add((node, GK.resolved, Literal(False)))
    g.add((node, GK.cites, resource))
    g.add((it, GK.reliesOn, resource))
    for art in cit.articles:
        g.add((node, GK.citesSubdivision, _pinpoint(g, resource, art.article, art.paragraph, art.item)))


def _pinpoint(g: Triples, resource: URIRef, article: int, paragraph: int | None, point: int | None) -> URIRef:
    """The subdivision a pinpoint names, each level part of the one above (``<resource>/art_20/para_2``
    is a part of ``<resource>/art_20``, the node holding the article's text, a part of the
    resource), the one cited labelled as lists write it (第20条第2款)."""
    parent, sub, label = resource, URIRef(f"{resource}/art_{article}"), f"第{article}条"
    levels = [(sub, parent, label)]
    for segment, n, word in (("para", paragraph, "款"), ("point", point, "项")):
        if n:
            parent, sub, label = sub, URIRef(f"{sub}/{segment}_{n}"), f"{label}第{n}{word}"
            levels.append((sub, parent, label))
    for node, part_of, text in levels:
        g.add((node, RDF.type, ELI.LegalResourceSubdivision))
        g.add((node, ELI.is_part_of, part_of))
        if node == sub:  # the article above a cited paragraph keeps its own name (eli:number)
            g.add((node, RDFS.label, Literal(text, lang="zh")))
    return sub


def _map_clauses(g: Triples, ctx: MapContext, it: URIRef, matches: list[ClauseMatch]) -> None:
    """The clauses of the Regulations the item implements (``gk:implementsClause``), each with a
    qualified ``<item>/clause/<clause id>`` saying the rule that fired, its words and confidence."""
    for m in matches:
        if ctx.registry is None or m.clause.version not in ctx.registry:
            continue
        clause = URIRef(f"{ctx.legal_iri(m.clause.version)}/{m.clause.path}")
        node = ctx.iris.sub(it, "clause", m.clause.id)
        g.add((it, GK.implementsClause, clause))
        g.add((it, GK.clauseAssignment, node))
        g.add((node, RDF.type, GK.ClauseAssignment))
        g.add((node, GK.clause, clause))
        g.add((node, GK.ruleId, Literal(m.rule.id)))
        g.add((node, GK.confidence, Literal(f"{m.rule.confidence}", datatype=XSD.decimal)))
        if m.matched:
            g.add((node, GK.matchedText, Literal(m.matched, lang=ctx.lang)))


def _unresolved_resource(g: Triples, ctx: MapContext, cit: Citation) -> URIRef:
    """A resource minted from the citation's own text, for citations the registry lacks."""
    dn = cit.doc_number
    if dn is not None:
        iri = ctx.iris.legal(issuer_code=dn.issuer_code, year=dn.year, serial=dn.serial)
        g.add((iri, ELI.id_local, Literal(dn.text)))
    else:
        iri = ctx.iris.legal(title=key(cit.title or cit.raw))
    g.add((iri, RDF.type, ELI.LegalResource))
    title = cit.title or (None if dn else cit.raw)
    if title:
        g.add((iri, ELI.title, Literal(title, lang=ctx.lang)))
    return iri


def _map_time_limit(g: Triples, ctx: MapContext, node: URIRef, tl: TimeLimit, it: URIRef) -> None:
    lang = ctx.lang
    if it is not None and node == ctx.iris.sub(it, "time-limit"):
        g.add((it, GK.timeLimit, node))
    g.add((node, RDF.type, GK.TimeLimit))
    g.add((node, GK.rawText, Literal(tl.raw, lang=lang)))
    g.add((node, GK.limitKind, vocab("timelimit-kind", tl.kind)))
    if tl.amount is not None and tl.unit in DURATION_UNITS:
        dur = ctx.iris.sub(node, "duration")
        unit = DURATION_UNITS[tl.unit]
        g.add((node, GK.duration, dur))
        g.add((dur, RDF.type, TIME.Duration))
        g.add((dur, TIME.numericDuration, Literal(f"{tl.amount}.0", datatype=XSD.decimal)))
        g.add((dur, TIME.unitType, unit))
    if tl.trigger:
        g.add((node, GK.trigger, vocab("trigger", tl.trigger)))
    if tl.annual_date:
        g.add((node, GK.annualDate, Literal(tl.annual_date, datatype=XSD.gMonthDay)))
    if tl.exception_clause:
        g.add((node, GK.exceptionClause, Literal(tl.exception_clause, lang=lang)))
    if tl.frequency:
        g.add((node, GK.frequencyText, Literal(tl.frequency, lang=lang)))
    for n, part in enumerate(tl.parts, 1):
        pnode = ctx.iris.sub(node, "part", n)
        g.add((node, GK.part, pnode))
        g.add((pnode, GK.order, Literal(n, datatype=XSD.integer)))
        _map_time_limit(g, ctx, pnode, part, it)


def check_unique(results: list[FileResult], ctx: MapContext) -> None:
    """Two files describing the same bureau on the same date would overwrite each other."""
    seen: dict[str, Path] = {}
    for r in results:
        if r.dl is None:
            continue
        iri = str(list_iri(ctx, r.dl))
        if iri in seen:
            r.error = (f"{r.path}: describes the same list as {seen[iri].name} ({iri}); "
                       "give each version its own date")
            r.dl = None
        else:
            seen[iri] = r.path
