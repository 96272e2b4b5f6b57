"""The dataset's own page (``dataset.html``): its DCAT description and VoID statistics
in tables a person can read, every partition and linkset with its anchor."""

from __future__ import annotations

import pyoxigraph as ox

from gongkai.publish.html import bi, esc, heading, link
from gongkai.publish.render import Writer, first, text_of
from gongkai.publish.terms import value
from gongkai.rdf.namespaces import DCAT, DCTERMS, FOAF, SPDX, VOID

_DCAT = str(DCAT)
_VOID = str(VOID)
_DCT = str(DCTERMS)
_SPDX = str(SPDX)


def _size(n: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return str(n)


def _int(d: dict, pred: str) -> int:
    v = first(d, pred)
    return int(v.value) if isinstance(v, ox.Literal) else 0


def render_dataset(w: Writer) -> str:
    c, ds = w.corpus, w.page.iri
    d = w.page.describe(ds)
    out = [(f'<h1>{bi(text_of(d, _DCT + "title", "zh"), text_of(d, _DCT + "title", "en"))}</h1>'
            f'<p class="iri"><code>{esc(ds)}</code> <span class="tag">dcat:Dataset</span>'
            f'<span class="tag">void:Dataset</span></p>')]
    for lang in ("zh", "en"):
        text = text_of(d, _DCT + "description", lang)
        if text:
            out.append(f'<p lang="{lang}">{esc(text)}</p>')

    out.append(heading(2, "下载", "Downloads", "downloads"))
    rows = []
    for dist in sorted(d.get(_DCAT + "distribution", ()), key=lambda t: t.value):
        dd = w.page.describe(dist.value)
        w.shown.add(dist.value)
        url = first(dd, _DCAT + "downloadURL")
        file = value(url)[len(c.layout.base):] if url is not None and value(url).startswith(c.layout.base) else None
        href = c.layout.root_href(w.page.path, file) if file else (value(url) if url is not None else None)
        ck = first(dd, _SPDX + "checksum")
        sha = text_of(w.page.describe(value(ck)), _SPDX + "checksumValue", None) if ck is not None else ""
        if ck is not None:
            w.shown.add(value(ck))
        media = first(dd, _DCAT + "mediaType")
        title = bi(text_of(dd, _DCT + "title", "zh"), text_of(dd, _DCT + "title", "en"))
        media_type = value(media).rsplit("/media-types/", 1)[-1] if media is not None else ""
        rows.append(f'<tr{w.anchor_attr(dist.value)}><td>{title}</td>'
                    f'<td>{link(href, esc(file or (value(url) if url is not None else "")))}</td>'
                    f'<td><code>{esc(media_type)}</code></td>'
                    f'<td class="num">{_size(_int(dd, _DCAT + "byteSize"))}</td>'
                    f'<td><code title="SHA-256">{esc((sha or "")[:16])}…</code></td></tr>')
    out.append("<table><tr><th>格式 Format</th><th>文件 File</th><th>媒体类型 Media type</th>"
               '<th class="num">大小 Size</th><th>SHA-256</th></tr>' + "".join(rows) + "</table>")
    ctx = c.layout.root_href(w.page.path, "context.jsonld")
    out.append(f'<p>JSON-LD 上下文 context: {link(ctx, "context.jsonld")} '
               f'(<code>{esc(c.layout.base + "context.jsonld")}</code>)</p>')

    out.append(heading(2, "统计", "Statistics (VoID)", "statistics"))
    stats = [("三元组", "triples", "triples"), ("实体", "entities", "entities"), ("类", "classes", "classes"),
             ("属性", "properties", "properties"), ("不同主语", "distinct subjects", "distinctSubjects"),
             ("不同宾语", "distinct objects", "distinctObjects")]
    out.append('<table class="props">' + "".join(
        f'<tr><th>{bi(zh, en)}</th><td class="num">{_int(d, _VOID + p):,}</td></tr>' for zh, en, p in stats)
        + "</table>")

    out.append(_partitions(w, d, _VOID + "classPartition", _VOID + "class", _VOID + "entities",
                           ("类分区", "Class partitions", "class-partitions"), ("类", "Class"), ("实体", "entities")))
    out.append(_partitions(w, d, _VOID + "propertyPartition", _VOID + "property", _VOID + "triples",
                           ("属性分区", "Property partitions", "property-partitions"), ("属性", "Property"),
                           ("三元组", "triples")))

    out.append(heading(2, "链接集", "Linksets to reused vocabularies", "linksets"))
    rows = []
    for ls in sorted(d.get(_VOID + "subset", ()), key=lambda t: t.value):
        ld = w.page.describe(ls.value)
        w.shown.add(ls.value)
        target = first(ld, _VOID + "objectsTarget")
        if target is not None:
            w.shown.add(value(target))
        pred = first(ld, _VOID + "linkPredicate")
        rows.append(f'<tr{w.anchor_attr(ls.value)}><td>{w.ref(pred) if pred is not None else ""}</td>'
                    f'<td>{_target(w, value(target)) if target is not None else ""}</td>'
                    f'<td class="num">{_int(ld, _VOID + "triples"):,}</td></tr>')
    out.append("<table><tr><th>谓词 Predicate</th><th>词汇 Vocabulary</th>"
               '<th class="num">三元组 Triples</th></tr>' + "".join(rows) + "</table>")
    out.append(heading(2, "全部陈述", "All statements"))
    skip = {_DCAT + "distribution", _VOID + "classPartition", _VOID + "propertyPartition", _VOID + "subset"}
    out.append(w.table(ds, skip=skip))
    rest = [k for k in w.page.subjects() if k != ds and k not in w.shown]
    out.extend(w.node(k) for k in sorted(rest) if k not in w.shown)
    return "".join(out)


def _target(w: Writer, target: str) -> str:
    td = w.page.describe(target)
    title = text_of(td, _DCT + "title", None) or target
    home = first(td, str(FOAF.homepage))
    space = text_of(td, _VOID + "uriSpace", None) or ""
    anchor = w.anchor_attr(target)
    inner = link(value(home), esc(title), "ext") if home is not None else esc(title)
    return f'<span{anchor}>{inner}</span> <code>{esc(space)}</code>'


def _partitions(w: Writer, d: dict, link_pred: str, what_pred: str, count_pred: str,
                title: tuple[str, str, str], what: tuple[str, str], count: tuple[str, str]) -> str:
    rows = []
    parts = []
    for part in d.get(link_pred, ()):
        pd = w.page.describe(part.value)
        term = first(pd, what_pred)
        parts.append((-_int(pd, count_pred), value(term) if term is not None else "", value(part), term))
    for neg, _, part, term in sorted(parts, key=lambda x: x[:3]):
        w.shown.add(part)
        rows.append(f'<tr{w.anchor_attr(part)}><td>{w.ref(term) if term is not None else ""}</td>'
                    f'<td><code>{esc(w.names.context.compact_iri(value(term))) if term is not None else ""}</code></td>'
                    f'<td class="num">{-neg:,}</td></tr>')
    return (heading(2, title[0], title[1], title[2])
            + f'<table><tr><th>{bi(*what)}</th><th>IRI</th>'
              f'<th class="num">{bi(*count)}</th></tr>' + "".join(rows) + "</table>")
