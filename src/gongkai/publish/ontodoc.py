"""HTML documentation of the ontology (``ontology.html``), generated from the graph.

Why our own generator and not pyLODE: pyLODE 3.4.1, the current release, fails on import
when installed from its wheel (it reads a ``pyproject.toml`` that the wheel does not
ship); 3.3.4 runs offline but shows one label per term (Chinese or English, whichever
comes first), would add five dependencies (httpx, dominate, markdown, html5lib, tqdm),
documents one vocabulary per page where we need every SKOS scheme and concept at its
own IRI path, and its anchors and styling differ from the rest of the site. The
ontology is small and regular; a page listing each term with both labels, both
comments, its axioms and its use in the data takes a hundred lines and keeps every
link in the site resolvable.
"""

from __future__ import annotations

from collections import defaultdict

import pyoxigraph as ox

from gongkai.publish.html import bi, esc, heading, link
from gongkai.publish.render import Writer, text_of
from gongkai.rdf.namespaces import DCTERMS, OWL, RDF, RDFS, SKOS

_RDFS = str(RDFS)
_OWL = str(OWL)
_RDF_TYPE = str(RDF.type)
_DCT = str(DCTERMS)
_SKOS = str(SKOS)

GROUPS = [
    (_OWL + "Class", "类", "Classes", "classes"),
    (_OWL + "ObjectProperty", "对象属性", "Object properties", "object-properties"),
    (_OWL + "DatatypeProperty", "数据属性", "Datatype properties", "datatype-properties"),
    (_OWL + "AnnotationProperty", "注释属性", "Annotation properties", "annotation-properties"),
    ("", "个体及其他", "Individuals and other terms", "individuals"),
]
_SHOWN_APART = {_RDFS + "label", _RDFS + "comment", _RDF_TYPE}


def render_ontology(w: Writer, usage: dict[str, int] | None = None) -> str:
    """The ontology page: header, contents, one section per term; ``usage`` maps a
    class or property IRI to how often the data uses it (from the VoID statistics)."""
    c, iri = w.corpus, w.page.iri
    d = w.page.describe(iri)
    zh, en = text_of(d, _DCT + "title", "zh"), text_of(d, _DCT + "title", "en")
    out = [(f'<h1>{bi(zh, en)}</h1><p class="iri"><code>{esc(iri)}</code> · 命名空间 namespace '
            f'<code>{esc(iri)}#</code></p>')]
    for lang in ("zh", "en"):
        text = text_of(d, _DCT + "description", lang)
        if text:
            out.append(f'<p lang="{lang}">{esc(text)}</p>')
    out.append(w.table(iri, skip={_DCT + "title", _DCT + "description"}))

    terms = [k for k in w.page.subjects() if k.startswith(iri + "#")]
    grouped: dict[str, list[str]] = defaultdict(list)
    for t in terms:
        types = set(c.types.get(t, ()))
        group = next((gi for gi, *_ in GROUPS if gi and gi in types), "")
        grouped[group].append(t)
    toc = []
    for gi, gzh, gen, anchor in GROUPS:
        members = sorted(grouped.get(gi, ()), key=lambda t: t.rsplit("#", 1)[-1].lower())
        grouped[gi] = members
        if members:
            entries = "".join(f'<li>{link("#" + esc(c.anchor(t)), bi(*w.names.of(t)))}</li>' for t in members)
            toc.append(f'<li><a href="#{anchor}">{bi(gzh, gen)}</a><ul>{entries}</ul></li>')
    out.append(heading(2, "目录", "Contents") + f'<ul class="toc">{"".join(toc)}</ul>')

    domains: dict[str, list[str]] = defaultdict(list)
    ranges: dict[str, list[str]] = defaultdict(list)
    for t in terms:
        props = w.page.describe(t)
        for v in props.get(_RDFS + "domain", ()):
            domains[v.value].append(t)
        for v in props.get(_RDFS + "range", ()):
            ranges[v.value].append(t)

    for gi, gzh, gen, anchor in GROUPS:
        if not grouped[gi]:
            continue
        out.append(heading(2, gzh, gen, anchor))
        out.extend(_term(w, t, domains.get(t, []), ranges.get(t, []), usage) for t in grouped[gi])
    schemes = sorted(k for k, p in c.pages.items() if p.kind == "scheme")
    if schemes:
        out.append(heading(2, "受控词表", "Controlled vocabularies (SKOS)", "vocabularies"))
        out.append("<ul>" + "".join(f"<li>{w.ref(ox.NamedNode(s))}</li>" for s in schemes) + "</ul>")
    return "".join(out)


def _refs(w: Writer, iris: list[str]) -> list[str]:
    """Links to the terms ``iris``, in the order of their IRIs."""
    return [w.ref(ox.NamedNode(x), with_en=False) for x in sorted(iris)]


def _term(w: Writer, term: str, in_domain: list[str], in_range: list[str],
          usage: dict[str, int] | None) -> str:
    props = w.page.describe(term)
    w.shown.add(term)
    zh, en = w.names.of(term)
    types = " ".join(f'<span class="tag">{bi(*w.names.term(t.value))}</span>'
                     for t in sorted(props.get(_RDF_TYPE, ()), key=lambda t: t.value))
    parts = [(f'<section class="term"{w.anchor_attr(term)}><h3>{bi(zh, en)}</h3>'
              f'<p class="iri"><code>{esc(w.names.context.compact_iri(term))}</code> {types}</p>')]
    for lang in ("zh", "en"):
        parts.extend(f'<p lang="{lang}">{esc(v.value)}</p>' for v in props.get(_RDFS + "comment", ())
                     if isinstance(v, ox.Literal) and v.language == lang)
    parts.append(w.table(term, skip=_SHOWN_APART))
    rows = []
    if in_domain:
        rows.append(("定义域包含", "In domain of", in_domain))
    if in_range:
        rows.append(("值域包含", "In range of", in_range))
    if rows:
        parts.append('<table class="props">' + "".join(
            f'<tr><th>{bi(rz, re_)}</th><td>{" · ".join(_refs(w, xs))}</td></tr>' for rz, re_, xs in rows)
            + "</table>")
    if usage is not None and term in usage:
        parts.append(f'<p><span class="tag">数据中使用 used in the data: {usage[term]}</span></p>')
    parts.append("</section>")
    return "".join(parts)
