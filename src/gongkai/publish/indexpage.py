"""The site's front page: lists by bureau, legal sources by use, vocabularies, ontology
and the dataset's description and downloads."""

from __future__ import annotations

from collections import defaultdict

import pyoxigraph as ox

from gongkai.publish.corpus import Corpus, Page
from gongkai.publish.html import bi, document, esc, heading, link
from gongkai.publish.jsonld import natural_key
from gongkai.publish.layout import INDEX
from gongkai.publish.pages import SiteInfo
from gongkai.publish.render import Names, Writer, text_of
from gongkai.rdf.namespaces import DCTERMS, ELI, GK

_DCT = str(DCTERMS)


def legal_works(corpus: Corpus) -> list[tuple[str, list[str], int, int]]:
    """(work, versions oldest first, items relying on the work or any version, bureaus), most
    used first. A source the authority data lacks is its own work and only version."""
    versions: dict[str, list[str]] = defaultdict(list)
    for iri, page in corpus.pages.items():
        if page.kind == "legal":
            work = corpus.fact(iri, str(GK.versionOf))
            if work:
                versions[work].append(iri)
            else:  # a work (its versions come with their own pages) or a source not in the registry
                versions.setdefault(iri, [])
    out = []
    for work, vs in versions.items():
        if not vs:
            vs.append(work)
        vs.sort(key=lambda v: (corpus.fact(v, str(ELI.date_document))
                               or corpus.fact(v, str(ELI.first_date_entry_in_force)) or "", natural_key(v)))
        # the items citing the work itself are those of undated lists (版本未定)
        items = {it for v in {*vs, work} for it in corpus.refs(v, str(GK.reliesOn))}
        bureaus = {corpus.fact(corpus.fact(it, str(GK.inList)) or "", _DCT + "publisher") for it in items}
        out.append((work, vs, len(items), len(bureaus - {None})))
    out.sort(key=lambda w: (-w[2], natural_key(w[0])))
    return out


def render_index(corpus: Corpus, names: Names, info: SiteInfo, downloads: list[tuple[str, str]]) -> str:
    """``downloads``: (label, site-relative file) pairs."""
    page = Page(corpus.layout.base, "index", INDEX)
    w = Writer(names, page)
    kinds: dict[str, list[str]] = defaultdict(list)
    for iri, p in corpus.pages.items():
        kinds[p.kind].append(iri)
    lists = kinds["list"]
    n_items = len(kinds["item"])
    by_bureau: dict[str, list[str]] = defaultdict(list)
    for lst in lists:
        by_bureau[corpus.fact(lst, _DCT + "publisher") or ""].append(lst)
    works = legal_works(corpus)

    out = [f"<h1>{bi(info.title_zh, info.title_en)}</h1>"]
    out.append(f'<p>{len(lists)} 份清单 lists · {n_items} 个事项 items · {len(by_bureau)} 个机构 bureaus · '
               f'{sum(1 for w_ in works if w_[2])} 部被引用的法规文件 legal sources cited</p>')

    out.append(heading(2, "清单", "Disclosure lists", "lists"))
    rows: list[str] = []
    for bureau in sorted(by_bureau, key=lambda b: (names.of(b)[0] if b else "", b)):
        rows.extend(f"<tr><td>{w.ref(ox.NamedNode(bureau)) if bureau else '—'}</td>"
                    f'<td>{link(w.href(lst), esc(corpus.fact(lst, _DCT + "date") or "—"))}</td>'
                    f'<td class="num">{len(corpus.refs(lst, str(GK.inList)))}</td></tr>'
                    for lst in sorted(by_bureau[bureau], key=lambda x: corpus.fact(x, _DCT + "date") or ""))
    out.append("<table><tr><th>机构 Bureau</th><th>清单日期 List date</th>"
               '<th class="num">事项 Items</th></tr>' + "".join(rows) + "</table>")

    out.append(heading(2, "法规与文件", "Legal sources", "legal"))
    cited = [wk for wk in works if wk[2]]
    uncited = [wk for wk in works if not wk[2]]
    out.append(_works_table(corpus, names, w, cited))
    if uncited:
        out.append(f"<details><summary>未被事项引用的法规文件 Legal sources no item cites ({len(uncited)})</summary>"
                   f"{_works_table(corpus, names, w, uncited)}</details>")

    others = sorted((o for o in kinds["org"] if o not in by_bureau), key=lambda o: names.of(o)[0])
    if others:
        out.append(heading(2, "其他机构", "Other organisations", "organisations"))
        out.append('<p>' + " · ".join(w.ref(ox.NamedNode(o), with_en=False) for o in others) + "</p>")

    out.append(heading(2, "本体与词表", "Ontology and vocabularies", "vocabularies"))
    items = [f"<li>{link(w.href(info.ontology_iri), '本体 Ontology')} <code>{esc(info.ontology_iri)}</code></li>"] \
        if w.href(info.ontology_iri) else []
    items += [f"<li>{w.ref(ox.NamedNode(s))}</li>" for s in sorted(kinds["scheme"])]
    out.append("<ul>" + "".join(items) + "</ul>")

    out.append(heading(2, "数据", "Data", "data"))
    data = [f"<li>{link(w.href(info.dataset_iri), '数据集描述 Dataset description (DCAT, VoID)')}</li>"] \
        if w.href(info.dataset_iri) else []
    data += [f"<li>{link(f, esc(label))} <code>{esc(f)}</code></li>" for label, f in downloads]
    data.append(f'<li>{link("context.jsonld", "JSON-LD 上下文 context")} <code>context.jsonld</code></li>')
    out.append("<ul>" + "".join(data) + "</ul>")

    footer = f"gongkai · {esc(info.generated)}"
    return document(title=info.title_zh, crumbs="<span>首页 Home</span>", formats="", body="".join(out),
                    footer=footer)


def _works_table(corpus: Corpus, names: Names, w: Writer, works: list[tuple[str, list[str], int, int]]) -> str:
    rows = []
    for work, versions, items, bureaus in works:
        latest = versions[-1]
        d = corpus.describe(latest)
        title = text_of(d, str(ELI.title)) or names.of(latest)[0]
        if "《" not in title:
            title = f"《{title}》"
        en = text_of(d, str(ELI.title), "en")
        chain = " · ".join(link(w.href(v), esc((corpus.fact(v, str(ELI.date_document)) or "")[:4] or str(i + 1)))
                           for i, v in enumerate(versions)) if len(versions) > 1 else ""
        page = work if work in corpus.pages else latest
        rows.append(f"<tr><td>{link(w.href(page), bi(title, en))}</td><td>{chain}</td>"
                    f'<td class="num">{items}</td><td class="num">{bureaus}</td></tr>')
    return ("<table><tr><th>法规 Source</th><th>版本 Versions</th><th class=\"num\">事项 Items</th>"
            '<th class="num">机构 Bureaus</th></tr>' + "".join(rows) + "</table>")
