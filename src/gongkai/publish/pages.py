"""One HTML page per resource: list, item, bureau, legal source, concept, scheme.

Each page shows the resource's own statements, and what a reader follows from it:
an item's citations with the legal sources and their versions, its time limit and
where it came from (file, lines, checksum); a legal source's versions and every item,
in every bureau, relying on any of them; a bureau's lists; a list's items.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

import pyoxigraph as ox

from gongkai.publish.corpus import Corpus, Page
from gongkai.publish.html import bi, document, esc, heading, link
from gongkai.publish.jsonld import Context, natural_key
from gongkai.publish.quotes import Quotes, article_of
from gongkai.publish.render import MAX_LINKS, Names, Writer, first, text_of
from gongkai.publish.terms import value
from gongkai.rdf.namespaces import DCTERMS, ELI, GK, ORG, PROV, SKOS, SPDX

_DCT = str(DCTERMS)
_PROV = str(PROV)
_SKOS = str(SKOS)
_SPDX = str(SPDX)
_ORG = str(ORG)
MAX_RELYING = 1000  # items listed one by one on a legal source's page; beyond, counts per list


def g(local: str) -> str:
    return str(GK) + local


def e(local: str) -> str:
    return str(ELI) + local


@dataclass
class SiteInfo:
    title_zh: str
    title_en: str
    dataset_iri: str
    ontology_iri: str
    generated: str


class PageRenderer:
    def __init__(self, corpus: Corpus, context: Context, info: SiteInfo,
                 extra: dict[str, Callable[[Writer], str]] | None = None):
        self.corpus = corpus
        self.names = Names(corpus, context)
        self.info = info
        self.quotes = Quotes(corpus)
        self.extra = extra or {}   # kind -> callable(writer) -> body html (ontology, dataset)

    # --- the frame ---------------------------------------------------------------------

    def render(self, page: Page) -> str:
        w = Writer(self.names, page)
        body = getattr(self, "_" + page.kind, None)
        main = self.extra[page.kind](w) if page.kind in self.extra else (body or self._resource)(w)
        zh, _en = self.names.of(page.iri)
        c = self.corpus.layout
        ttl, jsonld = c.href(page.path, page.path, "ttl"), c.href(page.path, page.path, "jsonld")
        formats = f'<span>HTML</span>{link(ttl, "Turtle")}{link(jsonld, "JSON-LD")}'
        footer = (f'{link(c.root_href(page.path, "index.html"), "首页 Home")} · '
                  f'{self._link_to(w, self.info.dataset_iri, "数据集描述 Dataset description")} · '
                  f'{self._link_to(w, self.info.ontology_iri, "本体 Ontology")} · '
                  f'gongkai · {esc(self.info.generated)}')
        return document(title=f"{zh} — {self.info.title_zh}", crumbs=self._crumbs(w), formats=formats,
                        body=main, footer=footer,
                        alternates=[("text/turtle", ttl), ("application/ld+json", jsonld)])

    def _link_to(self, w: Writer, iri: str, text: str) -> str:
        href = w.href(iri)
        return link(href, esc(text)) if href else esc(text)

    def _crumbs(self, w: Writer) -> str:
        c, page = self.corpus, w.page
        trail: list[str] = []
        if page.kind == "item":
            lst = c.fact(page.iri, g("inList"))
            if lst:
                pub = c.fact(lst, _DCT + "publisher")
                if pub:
                    trail.append(pub)
                trail.append(lst)
        elif page.kind == "list":
            pub = c.fact(page.iri, _DCT + "publisher")
            if pub:
                trail.append(pub)
        elif page.kind == "concept":
            scheme = c.fact(page.iri, _SKOS + "inScheme")
            if scheme:
                trail.append(scheme)
        elif page.kind == "legal":
            work = c.fact(page.iri, g("versionOf"))
            if work and work != page.iri:
                trail.append(work)
        parts = [link(c.layout.root_href(page.path, "index.html"), "首页 Home")]
        for iri in trail:
            zh, _ = self.names.of(iri)
            parts.append(link(w.href(iri), esc(zh)))
        parts.append(f"<span>{esc(self.names.of(page.iri)[0])}</span>")
        return "".join(parts)

    def _title(self, w: Writer) -> str:
        zh, en = self.names.of(w.page.iri)
        types = " ".join(f'<span class="tag">{bi(*self.names.term(t))}</span>'
                         for t in sorted(self.corpus.types.get(w.page.iri, ())))
        return f'<h1>{bi(zh, en)}</h1><p class="iri"><code>{esc(w.page.iri)}</code> {types}</p>'

    # --- kinds -------------------------------------------------------------------------

    def _resource(self, w: Writer) -> str:
        out = [self._title(w), w.table(w.page.iri)]
        out.append(self._inbound(w, w.page.iri))
        out.append(self._rest(w))
        return "".join(out)

    def _rest(self, w: Writer) -> str:
        """Nodes of the page not reached from the resource itself (rare; never lose a statement)."""
        rest = [k for k in w.page.subjects() if k != w.page.iri and k not in w.shown]
        if not rest:
            return ""
        return (heading(2, "其他陈述", "Other statements")
                + "".join(w.node(k) for k in sorted(rest, key=natural_key) if k not in w.shown))

    def _inbound(self, w: Writer, iri: str, skip: set[str] | None = None) -> str:
        by_pred: dict[str, list[str]] = defaultdict(list)
        for s, p in self.corpus.inbound.get(iri, ()):
            if skip and p in skip:
                continue
            if self.corpus.owner.get(s) != w.page.iri:
                by_pred[p].append(s)
        if not by_pred:
            return ""
        rows = []
        for p in sorted(by_pred, key=self.names.predicate_order):
            subs = sorted(set(by_pred[p]), key=natural_key)
            shown = "<br>".join(w.ref(ox.NamedNode(s)) if not s.startswith("_:") else "" for s in subs[:MAX_LINKS])
            more = f'<br><span class="tag">共 {len(subs)} total</span>' if len(subs) > MAX_LINKS else ""
            rows.append(f"<tr><th>{bi(*self.names.term(p))}</th><td>{shown}{more}</td></tr>")
        return heading(2, "被引用", "Referenced by") + f'<table class="props">{"".join(rows)}</table>'

    def _item(self, w: Writer) -> str:
        iri = w.page.iri
        d = w.page.describe(iri)
        out = [self._title(w)]
        skip = {g("citation"), g("reliesOn"), g("timeLimit"), _PROV + "wasDerivedFrom", g("sourceLine"),
                g("sourceRows"), g("legalBasisText"), g("inList")}
        out.append(w.table(iri, skip=skip))
        out.append(heading(2, "公开依据", "Legal basis"))
        basis = text_of(d, g("legalBasisText"))
        if basis:
            out.append(f'<p class="raw">{esc(basis)}</p>')
        cites = sorted(d.get(g("citation"), ()), key=lambda t: natural_key(t.value))
        if cites:
            out.append('<ol class="cites">' + "".join(self._citation(w, c.value) for c in cites) + "</ol>")
        tl = first(d, g("timeLimit"))
        out.append(heading(2, "公开时限", "Time limit"))
        if tl is not None:
            raw = text_of(w.page.describe(value(tl)), g("rawText"))
            out.append(w.node(value(tl), esc(raw) if raw else None))
        out.append(heading(2, "来源", "Provenance"))
        out.append(self._provenance(w, d))
        out.append(self._rest(w))
        return "".join(out)

    def _citation(self, w: Writer, cit: str) -> str:
        d = w.page.describe(cit)
        w.shown.add(cit)
        raw = text_of(d, g("rawText")) or ""
        parts = [f'<li{w.anchor_attr(cit)}><span class="raw">{esc(raw)}</span> → ']
        target = first(d, g("cites"))
        if target is not None:
            parts.append(w.ref(target))
            resolved = text_of(d, g("resolved"), None)
            if text_of(d, g("versionUndetermined"), None) == "true":  # the law is known, its version not
                parts.append('<span class="tag warn">版本未定 version undetermined</span>')
            elif resolved == "false":
                parts.append('<span class="tag warn">未解析 unresolved</span>')
            method = text_of(d, g("resolutionMethod"), None)
            if method:
                parts.append(f'<span class="tag">{esc(method)}</span>')
        subs = d.get(g("citesSubdivision"), ())
        if subs:
            parts.append(" " + " ".join(w.ref(s) for s in sorted(subs, key=lambda t: natural_key(t.value))))
        for pred, zh, en in ((g("quotedText"), "引文", "quoted"), (g("citedDocumentNumber"), "文号", "number")):
            txt = text_of(d, pred)
            if txt:
                parts.append(f'<br><span class="tag">{zh} {en}</span> {esc(txt)}')
        if target is not None:
            parts.append(self._versions_line(w, value(target)))
            undetermined = self.corpus.fact(cit, g("versionUndetermined")) == "true"
            parts.append(self.quotes.for_citation(w, value(target), [value(s) for s in subs], undetermined))
        parts.append("</li>")
        return "".join(parts)

    def _versions(self, work: str) -> list[str]:
        c = self.corpus
        versions = set(c.refs(work, g("versionOf"))) or {work}  # a source not in the registry: itself
        return sorted(versions, key=lambda v: (self._date(v), natural_key(v)))

    def _date(self, version: str) -> str:
        """The version's date: of the document, else of its entry into force, else empty."""
        c = self.corpus
        return c.fact(version, e("date_document")) or c.fact(version, e("first_date_entry_in_force")) or ""

    def _versions_line(self, w: Writer, version: str) -> str:
        work = self.corpus.fact(version, g("versionOf"))
        if not work:
            return ""
        chain = self._versions(work)
        if len(chain) < 2:
            return ""
        items = []
        for v in chain:
            year = self._date(v)[:4]
            text = esc(year or self.names.of(v)[0])
            items.append(f'<b class="current">{link(w.href(v), text)}</b>' if v == version else link(w.href(v), text))
        return f'<br><span class="tag">版本 versions</span> {" · ".join(items)}'

    def _provenance(self, w: Writer, d: dict) -> str:
        c = self.corpus
        rows = []
        lst = c.fact(w.page.iri, g("inList"))
        if lst:
            rows.append(("清单", "List", w.ref(ox.NamedNode(lst))))
        for src in d.get(_PROV + "wasDerivedFrom", ()):
            sd = c.describe(src.value)
            name = text_of(sd, _DCT + "title", None) or src.value
            rows.append(("源文件", "Source file", link(w.href(src.value), esc(name))))
            fmt = text_of(sd, g("sourceFormat"), None)
            if fmt:
                rows.append(("格式", "Format", esc(fmt)))
            for ck in sd.get(_SPDX + "checksum", ()):
                checksum = text_of(c.describe(ck.value), _SPDX + "checksumValue", None)
                if checksum:
                    rows.append(("SHA-256", "checksum", f'<code>{esc(checksum)}</code>'))
            rows.extend(("原始地址", "Original URL", w.ref(url)) for url in sd.get(_DCT + "source", ()))
        lines = text_of(d, g("sourceRows"), None)
        if lines:
            rows.append(("行", "Lines", esc(lines)))
        if lst:
            ld = c.describe(lst)
            for act in ld.get(_PROV + "wasGeneratedBy", ()):
                ended = text_of(c.describe(act.value), _PROV + "endedAtTime", None)
                if ended:
                    rows.append(("导入时间", "Ingested", esc(ended)))
        return '<table class="props">' + "".join(
            f"<tr><th>{bi(zh, en)}</th><td>{v}</td></tr>" for zh, en, v in rows) + "</table>"

    def _list(self, w: Writer) -> str:
        iri = w.page.iri
        d = w.page.describe(iri)
        out = [self._title(w), w.table(iri, skip={g("hasItem")})]
        items = sorted((t.value for t in d.get(g("hasItem"), ())), key=natural_key)
        out.append(heading(2, f"公开事项（{len(items)}）", "Items"))
        rows = []
        for it in items:
            page = self.corpus.page_of(it)
            p = page.peek(it) if page else {}
            tl = first(p, g("timeLimit"))
            tl_raw = text_of(page.peek(value(tl)), g("rawText")) if page and tl is not None else ""
            modes = " ".join(self.names.of(m.value)[0] for m in p.get(g("mode"), ()))
            rows.append(f'<tr><td class="num">{esc(self.corpus.fact(it, g("itemNumber")) or "")}</td>'
                        f'<td>{esc(text_of(p, g("categoryText")) or "")}</td>'
                        f'<td>{link(w.href(it), esc(text_of(p, _DCT + "title") or it))}</td>'
                        f'<td>{esc(tl_raw or "")}</td><td class="num">{len(p.get(g("citation"), ()))}</td>'
                        f"<td>{esc(modes)}</td></tr>")
        out.append('<table><tr><th class="num">序号 No.</th><th>一级事项 Category</th><th>二级事项 Item</th>'
                   '<th>公开时限 Time limit</th><th class="num">依据 Citations</th><th>公开方式 Mode</th></tr>'
                   + "".join(rows) + "</table>")
        out.append(self._rest(w))
        return "".join(out)

    def _org(self, w: Writer) -> str:
        c, iri = self.corpus, w.page.iri
        out = [self._title(w), w.table(iri)]
        lists = sorted((s for s in c.refs(iri, _DCT + "publisher") if c.kind_of(s) == "list"), key=natural_key)
        if lists:
            out.append(heading(2, "发布的清单", "Lists published"))
            rows = []
            for lst in lists:
                n = len(c.refs(lst, g("inList")))
                rows.append(f'<li>{w.ref(ox.NamedNode(lst))} <span class="tag">{n} 项 items</span></li>')
            out.append(f'<ul>{"".join(rows)}</ul>')
        subs = sorted(set(c.refs(iri, _ORG + "subOrganizationOf")), key=natural_key)
        if subs:
            out.append(heading(2, "下级机构", "Sub-organisations"))
            out.append("<ul>" + "".join(f"<li>{w.ref(ox.NamedNode(s))}</li>" for s in subs) + "</ul>")
        passed = sorted(set(c.refs(iri, e("passed_by"))), key=natural_key)
        if passed:
            out.append(heading(2, "制定的法规文件", "Legal sources passed"))
            out.append("<ul>" + "".join(f"<li>{w.ref(ox.NamedNode(s))}</li>" for s in passed[:MAX_LINKS]) + "</ul>")
        out.append(self._rest(w))
        return "".join(out)

    def _legal(self, w: Writer) -> str:
        c, iri = self.corpus, w.page.iri
        out = [self._title(w), w.table(iri, nest=False)]
        work = c.fact(iri, g("versionOf")) or iri
        chain = self._versions(work)
        if len(chain) > 1:
            out.append(heading(2, "版本沿革", "Versions"))
            rows = []
            for v in chain:
                cls = ' class="current"' if v == iri else ""
                rows.append(f"<tr{cls}><td>{w.ref(ox.NamedNode(v))}</td>"
                            f'<td>{esc(c.fact(v, e("id_local")) or "")}</td>'
                            f'<td>{esc(c.fact(v, e("date_document")) or "")}</td>'
                            f'<td>{esc(c.fact(v, e("first_date_entry_in_force")) or "")}</td>'
                            f'<td>{esc(c.fact(v, e("date_no_longer_in_force")) or "")}</td>'
                            f'<td class="num">{len(set(c.refs(v, g("reliesOn"))))}</td></tr>')
            out.append("<table><tr><th>版本 Version</th><th>文号 Number</th><th>发布 Issued</th>"
                       "<th>施行 In force</th><th>失效 Until</th><th class=\"num\">事项 Items</th></tr>"
                       + "".join(rows) + "</table>")
        out.append(self._relying(w, work, chain))
        subdivisions = sorted((k for k in w.page.subjects() if k != iri and k.startswith(iri + "/")), key=natural_key)
        # the articles items cite: of this version, or of the work where the version is undetermined
        cited = [(sub, citing) for sub in subdivisions
                 if (citing := sorted({c.owner.get(s, s) for s in c.refs(sub, g("citesSubdivision"))},
                                      key=natural_key))]
        if cited:
            out.append(heading(2, "被引用的条款", "Articles cited"))
            for sub, citing in cited:
                w.shown.add(sub)
                links = " · ".join(w.ref(ox.NamedNode(i), with_en=False) for i in citing[:MAX_LINKS])
                zh, en = self.names.of(sub)
                article = article_of(iri, sub)   # a paragraph or point: the article it is in, quoted
                quote = ""
                if article and article != sub:
                    quote = self.quotes.quote(w, article)
                    w.shown.add(article)          # quoted here, not nested again under "part of"
                out.append(f'<div class="node"{w.anchor_attr(sub)}><h3>{bi(zh, en)}</h3>'
                           f'{w.table(sub)}{quote}<p>{links}</p></div>')
        out.append(self._rest(w))
        return "".join(out)

    def _relying(self, w: Writer, work: str, chain: list[str]) -> str:
        """Every item relying on the work (an undated list's citation: 版本未定) or on any of
        its versions, by bureau and list."""
        c = self.corpus
        by_list: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for v in dict.fromkeys([*chain, work]):
            for it in set(c.refs(v, g("reliesOn"))):
                by_list[c.fact(it, g("inList")) or ""].append((it, v))
        total = sum(len(v) for v in by_list.values())
        bureaus = {c.fact(lst, _DCT + "publisher") for lst in by_list}
        out = [heading(2, f"依据此法规的事项（{total} 项，{len(bureaus)} 个机构）",
                       f"Items relying on it ({total} in {len(bureaus)} bureaus)", "relying")]
        if not total:
            out.append("<p>无 None.</p>")
            return "".join(out)

        def list_order(lst: str) -> tuple:
            pub = c.fact(lst, _DCT + "publisher") or ""
            return (c.label(pub) or pub, c.fact(lst, _DCT + "date") or "", lst)

        shown = 0
        for lst in sorted(by_list, key=list_order):
            rows = sorted(by_list[lst], key=lambda iv: natural_key(c.fact(iv[0], g("itemNumber")) or iv[0]))
            title = w.ref(ox.NamedNode(lst)) if lst else "—"
            pub = c.fact(lst, _DCT + "publisher") if lst else None
            head = (w.ref(ox.NamedNode(pub), with_en=False) + " · " if pub else "") + title
            out.append(f'<h3>{head} <span class="tag">{len(rows)} 项 items</span></h3>')
            if shown >= MAX_RELYING:
                continue
            lis = []
            for it, v in rows:
                name = "版本未定 version undetermined" if v not in chain else self.names.of(v)[0]
                version = "" if len(chain) < 2 else f' <span class="tag">{esc(name)}</span>'
                lis.append(f"<li>{w.ref(ox.NamedNode(it), with_en=False)}{version}</li>")
            shown += len(rows)
            out.append(f'<ul class="plain">{"".join(lis)}</ul>')
        return "".join(out)

    def _concept(self, w: Writer) -> str:
        out = [self._title(w), w.table(w.page.iri)]
        out.append(self._used_by(w, w.page.iri))
        out.append(self._rest(w))
        return "".join(out)

    def _used_by(self, w: Writer, iri: str) -> str:
        c = self.corpus
        by_pred: dict[str, list[str]] = defaultdict(list)
        for s, p in c.inbound.get(iri, ()):
            if p not in (_SKOS + "inScheme", _SKOS + "hasTopConcept") and c.owner.get(s) != w.page.iri:
                by_pred[p].append(c.owner.get(s, s))
        if not by_pred:
            return ""
        out = [heading(2, "使用情况", "Used by")]
        for p in sorted(by_pred, key=self.names.predicate_order):
            subs = sorted(set(by_pred[p]), key=natural_key)
            out.append(f'<h3>{bi(*self.names.term(p))} <span class="tag">{len(subs)}</span></h3>')
            out.append('<ul class="plain">' + "".join(
                f"<li>{w.ref(ox.NamedNode(s), with_en=False)}{self._context_of(s)}</li>" for s in subs[:MAX_LINKS])
                + "</ul>")
        return "".join(out)

    def _context_of(self, iri: str) -> str:
        """For an item in a long list of items: which bureau's list it is in."""
        lst = self.corpus.fact(iri, g("inList"))
        if not lst:
            return ""
        return f' <span class="en">{esc(self.names.of(lst)[0])}</span>'

    def _scheme(self, w: Writer) -> str:
        c, iri = self.corpus, w.page.iri
        out = [self._title(w), w.table(iri, skip={_SKOS + "hasTopConcept"})]
        concepts = sorted(set(c.refs(iri, _SKOS + "inScheme")), key=natural_key)
        out.append(heading(2, f"概念（{len(concepts)}）", "Concepts"))
        rows = []
        for k in concepts:
            d = c.describe(k)
            uses = sum(1 for _, p in c.inbound.get(k, ()) if not p.startswith(_SKOS))
            rows.append(f"<tr><td>{w.ref(ox.NamedNode(k))}</td>"
                        f'<td>{esc(text_of(d, _SKOS + "definition") or "")}</td>'
                        f'<td>{esc("、".join(sorted(v.value for v in d.get(_SKOS + "altLabel", ()))))}</td>'
                        f'<td class="num">{uses}</td></tr>')
        out.append("<table><tr><th>概念 Concept</th><th>定义 Definition</th><th>别称 Variants</th>"
                   '<th class="num">使用 Uses</th></tr>' + "".join(rows) + "</table>")
        out.append(self._rest(w))
        return "".join(out)
