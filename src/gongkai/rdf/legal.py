"""Authority data → RDF: legal sources as ``eli:LegalResource``, issuing bodies as
``org:Organization``, in the named graph ``<base>authorities``.

Every version is its own resource, ``gk:versionOf`` its work (``gk:LegalWork``,
``legal/work/<slug>``: the law whatever its version, which undated lists cite);
``eli:changes`` links a revision to the version it revises (and ``eli:changed_by`` back),
``eli:repeals`` a new work to the one it replaced.
Where a row's facts come from is kept as ``dcterms:source`` (a URL, or a note such as
"background knowledge, not re-verified").

The articles of the versions whose official text the project holds (data/authorities/laws/) are
``eli:LegalResourceSubdivision`` ``<version>/art_<n>`` (the IRI a citation's pinpoint gets), with
``eli:number`` (第十四条), ``gk:articleText`` in Chinese, ``eli:is_part_of`` the version and
``dcterms:source`` the file the text was taken from.
"""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, RDF, RDFS, SKOS, TIME, XSD

from gongkai.legal.articles import LawText
from gongkai.legal.clauses import ClauseRules
from gongkai.legal.limits import StatutoryLimit, limits_of
from gongkai.legal.registry import LegalSource, Registry
from gongkai.rdf.iris import IRIs, vocab
from gongkai.rdf.namespaces import DURATION_UNITS, ELI, GK, bind_all
from gongkai.text import key


def authorities_graph_name(iris: IRIs) -> URIRef:
    return URIRef(iris.base + "authorities")


def body_iri(iris: IRIs, name: str) -> URIRef:
    return iris.org(key(name))


def _source_literal(text: str) -> Literal | URIRef:
    t = text.strip()
    return URIRef(t) if t.startswith(("http://", "https://")) and " " not in t else Literal(t)


def map_registry(registry: Registry, iris: IRIs) -> Graph:
    g = bind_all(Graph(), iris.base)
    for b in registry.bodies.values():
        node = body_iri(iris, b.name)
        g.add((node, RDF.type, ORG.Organization))
        g.add((node, SKOS.prefLabel, Literal(b.name, lang="zh")))
        if b.name_en:
            g.add((node, SKOS.prefLabel, Literal(b.name_en, lang="en")))
        if b.parent and b.parent in registry.bodies:
            g.add((node, ORG.subOrganizationOf, body_iri(iris, registry.bodies[b.parent].name)))
        if b.source:
            for part in b.source.split(";"):
                if part.strip():
                    g.add((node, DCTERMS.source, _source_literal(part)))
    for s in registry:
        node = URIRef(str(registry.iri(s, iris)))
        g.add((node, RDF.type, ELI.LegalResource))
        g.add((node, DCTERMS.identifier, Literal(s.id)))
        g.add((node, ELI.title, Literal(s.title, lang="zh")))
        year_zh = f"（{s.year}年）" if _needs_year(registry, s) else ""
        g.add((node, RDFS.label, Literal(f"《{s.title}》{year_zh}", lang="zh")))
        if s.title_en:
            g.add((node, ELI.title, Literal(s.title_en, lang="en")))
            year_en = f" ({s.year})" if _needs_year(registry, s) else ""
            g.add((node, RDFS.label, Literal(s.title_en + year_en, lang="en")))
        g.add((node, ELI.type_document, vocab("legal-type", s.type)))
        if s.doc_number:
            g.add((node, ELI.id_local, Literal(s.doc.text if s.doc else s.doc_number)))
        for alias in s.aliases:
            g.add((node, ELI.title_alternative, Literal(alias, lang="zh")))
        for issuer in s.issuers:
            g.add((node, ELI.passed_by, body_iri(iris, registry.bodies[issuer].name)))
        date_doc = s.promulgated or s.adopted
        if date_doc:
            g.add((node, ELI.date_document, Literal(date_doc.isoformat(), datatype=XSD.date)))
        if s.in_force:
            g.add((node, ELI.first_date_entry_in_force, Literal(s.in_force.isoformat(), datatype=XSD.date)))
        if s.no_longer_in_force:
            g.add((node, ELI.date_no_longer_in_force, Literal(s.no_longer_in_force.isoformat(), datatype=XSD.date)))
        if s.replaces:
            old = URIRef(str(registry.iri(s.replaces, iris)))
            g.add((node, ELI.changes, old))
            g.add((old, ELI.changed_by, node))
        if s.superseded_by and s.superseded_by in registry:
            new = URIRef(str(registry.iri(s.superseded_by, iris)))
            g.add((new, ELI.repeals, node))
            g.add((node, ELI.repealed_by, new))
        g.add((node, GK.versionOf, URIRef(str(registry.work_iri(s, iris)))))
        if s.jurisdiction:
            lang = "zh" if not s.jurisdiction.isascii() else None
            g.add((node, DCTERMS.coverage, Literal(s.jurisdiction, lang=lang)))
        if s.source:
            g.add((node, DCTERMS.source, _source_literal(s.source)))
        if s.note:
            g.add((node, SKOS.note, Literal(s.note)))
    for first in registry.works():
        _map_work(g, registry, iris, first)
    counts: dict[str, int] = {}
    for limit in limits_of(registry):
        counts[limit.source_id] = counts.get(limit.source_id, 0) + 1
        _map_limit(g, registry, iris, counts[limit.source_id], limit)
    return g


def _map_work(g: Graph, registry: Registry, iris: IRIs, first: LegalSource) -> None:
    """The work (``gk:LegalWork``): the law whatever its version, titled and labelled as its
    latest version without a year, with every alias, type and issuer of its versions."""
    chain = registry.versions(first)
    latest = chain[-1]
    node = URIRef(str(registry.work_iri(first, iris)))
    g.add((node, RDF.type, GK.LegalWork))
    g.add((node, ELI.title, Literal(latest.title, lang="zh")))
    g.add((node, RDFS.label, Literal(f"《{latest.title}》", lang="zh")))
    if latest.title_en:
        g.add((node, ELI.title, Literal(latest.title_en, lang="en")))
        g.add((node, RDFS.label, Literal(latest.title_en, lang="en")))
    for v in chain:
        g.add((node, ELI.type_document, vocab("legal-type", v.type)))
        if v.title != latest.title:
            g.add((node, ELI.title_alternative, Literal(v.title, lang="zh")))
        for alias in v.aliases:
            g.add((node, ELI.title_alternative, Literal(alias, lang="zh")))
        for issuer in v.issuers:
            g.add((node, ELI.passed_by, body_iri(iris, registry.bodies[issuer].name)))


#: the pattern properties of a statutory limit, by the field holding their regex
_PATTERNS = (("applies_to", GK.appliesToPattern), ("except_", GK.exceptPattern),
             ("bureau", GK.bureauPattern), ("bureau_except", GK.bureauExceptPattern))


def _map_limit(g: Graph, registry: Registry, iris: IRIs, n: int, limit: StatutoryLimit) -> None:
    """A ``gk:StatutoryTimeLimit`` set by its version (``<version>/statutory-limit/<n>``, the n-th row
    of that version in the table), labelled
    with the source and the article, with the kind, duration or date of an item's time limit."""
    s = registry.get(limit.source_id)
    version = URIRef(str(registry.iri(s, iris)))
    node = iris.sub(version, "statutory-limit", n)
    tl = limit.limit
    g.add((node, RDF.type, GK.StatutoryTimeLimit))
    g.add((node, GK.setBy, version))
    year = f"（{s.year}年）" if _needs_year(registry, s) else ""
    g.add((node, RDFS.label, Literal(f"《{s.title}》{year}{limit.article}", lang="zh")))
    en_year = f" ({s.year})" if _needs_year(registry, s) else ""
    g.add((node, RDFS.label, Literal(f"{s.title_en or s.title}{en_year}, {limit.article_en}", lang="en")))
    g.add((node, GK.rawText, Literal(limit.wording, lang="zh")))
    g.add((node, GK.limitKind, vocab("timelimit-kind", tl.kind)))
    if tl.amount is not None and tl.unit in DURATION_UNITS:
        dur = iris.sub(node, "duration")
        g.add((node, GK.duration, dur))
        g.add((dur, RDF.type, TIME.Duration))
        g.add((dur, TIME.numericDuration, Literal(f"{tl.amount}.0", datatype=XSD.decimal)))
        g.add((dur, TIME.unitType, DURATION_UNITS[tl.unit]))
    if tl.trigger:
        g.add((node, GK.trigger, vocab("trigger", tl.trigger)))
    if tl.annual_date:
        g.add((node, GK.annualDate, Literal(tl.annual_date, datatype=XSD.gMonthDay)))
    for attr, prop in _PATTERNS:
        pattern = getattr(limit, attr)
        if pattern:
            g.add((node, prop, Literal(pattern)))
    g.add((node, DCTERMS.source, Literal(limit.source)))


def map_articles(registry: Registry, texts: dict[str, LawText], iris: IRIs) -> Graph:
    """The articles of every text linked to a version the registry holds."""
    g = bind_all(Graph(), iris.base)
    for source_id, law in sorted(texts.items()):
        if source_id not in registry:
            continue
        version = URIRef(str(registry.iri(source_id, iris)))
        origin = URIRef(law.origin)
        for art in law.articles:
            node = URIRef(f"{version}/art_{art.number}")
            g.add((node, RDF.type, ELI.LegalResourceSubdivision))
            g.add((node, ELI.is_part_of, version))
            g.add((version, ELI.has_part, node))
            g.add((node, ELI.number, Literal(art.label)))
            g.add((node, GK.articleText, Literal(art.text, lang="zh")))
            g.add((node, DCTERMS.source, origin))
    return g


def _needs_year(registry: Registry, s: LegalSource) -> bool:
    return len(registry.versions(s)) > 1 and s.year is not None


def clause_iri(registry: Registry, iris: IRIs, version: str, path: str) -> URIRef:
    """A clause of a version: ``<version IRI>/art_20/point_7``, as citations' pinpoints are minted."""
    return URIRef(f"{registry.iri(version, iris)}/{path}")


def map_clauses(rules: ClauseRules, registry: Registry, iris: IRIs) -> Graph:
    """The clauses of the Regulations items are assigned to (``gk:DisclosureClause``), for the
    authorities graph: each labelled in zh and en, with its words and the version it belongs to."""
    g = bind_all(Graph(), iris.base)
    for c in rules.clauses.values():
        if c.version not in registry:
            continue
        node = clause_iri(registry, iris, c.version, c.path)
        g.add((node, RDF.type, ELI.LegalResourceSubdivision))
        g.add((node, RDF.type, GK.DisclosureClause))
        g.add((node, DCTERMS.identifier, Literal(c.id)))
        g.add((node, ELI.is_part_of, URIRef(str(registry.iri(c.version, iris)))))
        g.add((node, RDFS.label, Literal(c.label_zh, lang="zh")))
        g.add((node, RDFS.label, Literal(c.label_en, lang="en")))
        if c.text:
            g.add((node, ELI.description, Literal(c.text, lang="zh")))
        g.add((node, GK.clauseLevel, vocab("bureau-level", c.level)))
        g.add((node, GK.order, Literal(c.order, datatype=XSD.integer)))
    return g
