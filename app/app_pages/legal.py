"""法规溯源 Legal tracer — find a legal source, the items relying on it in every bureau, and
from an item its citations, the sources they cite and their versions."""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict, defaultdict

import streamlit as st

from gongkai import IRIs, LegalSource, Registry, in_force_at, law_texts, pinpoint_article, registry
from gongkai import search_sources as search
from graphview import item_dot, show, trace_dot
from mdtext import md
from ui import lang, require_store, rows, screen_title, settings, table, tr

GROUPED_UP_TO = 30   # bureaus listed one by one; beyond, a summary table and a filter
HOW = {"doc-number": ("文号", "document number"), "title": ("标题", "title"), "alias": ("简称", "alias"),
       "title contains": ("标题包含", "title contains"), "pinyin initials": ("拼音首字母", "pinyin initials"),
       "doc-number contains": ("文号包含", "document number contains")}

st.title(screen_title(__file__))
require_store()


@st.cache_resource(show_spinner=False, max_entries=2)
def _registry(folder: str) -> tuple[Registry | None, dict[str, LegalSource]]:  # noqa: ARG001 - the cache key
    """The authority data, and each version's IRI → the version (to read a graph's IRIs back)."""
    reg = registry(settings())
    if reg is None:
        return None, {}
    iris = IRIs(settings().base)
    return reg, {str(reg.iri(src, iris)): src for src in reg}


reg, by_iri = _registry(str(settings().authorities_dir))
if reg is None:
    where = md(settings().authorities_dir)
    st.warning(tr(f"没有权威数据（{where}）。", f"No authority data ({where})."))
    st.stop()
iris = IRIs(settings().base)


def title_of(src: LegalSource) -> str:
    if lang() == "en" and src.title_en:
        return src.title_en
    return f"《{src.title}》"


def version_label(src: LegalSource) -> str:
    parts = [title_of(src)]
    if src.year:
        parts.append(f"({src.year})")
    if src.doc_number:
        parts.append(src.doc_number)
    return " ".join(parts)


def versions_table(chain: list[LegalSource], key: str) -> None:
    today = dt.date.today()
    yes_no = {True: tr("有效", "in force"), False: tr("已失效", "no longer in force"), None: tr("不详", "unknown")}
    data = [{"version": version_label(v), "type": v.type_zh if lang() == "zh" else v.type,
             "promulgated": str(v.promulgated or v.adopted or ""), "in_force": str(v.in_force or ""),
             "ended": str(v.no_longer_in_force or ""), "status": yes_no[in_force_at(chain, v, today)]}
            for v in chain]
    table(data, [("version", "版本", "version"), ("type", "类型", "type"), ("promulgated", "公布/通过", "issued"),
                 ("in_force", "施行", "in force from"), ("ended", "失效", "until"), ("status", "今日状态", "today")],
          key=key)


query = st.text_input(tr("查找法规：标题、简称、文号或拼音首字母",
                         "Find a legal source: title, alias, document number or pinyin initials"),
                      key="legal_q", placeholder="预算法 · 国办发〔2018〕10号 · zfxxgktl")
if not query.strip():
    st.info(tr("例如输入“预算法”、“国办发〔2018〕10号”或“zfxxgktl”（政府信息公开条例）。",
               "For example 预算法, 国办发〔2018〕10号, or zfxxgktl (政府信息公开条例)."))
    st.stop()
found = search(reg, query)
if not found:
    st.warning(tr(f"没有与“{md(query)}”匹配的法规。", f"No legal source matches “{md(query)}”."))
    st.stop()

labels = [f"{version_label(reg.versions(w)[-1])} — {tr(*HOW.get(how, (how, how)))}" for w, how in found]
k = st.selectbox(tr(f"找到 {len(found)} 部法规", f"{len(found)} legal source(s) found"), range(len(found)),
                 format_func=labels.__getitem__, key=f"legal_pick_{query}")
work, _how = found[k]
chain = reg.versions(work)
latest = chain[-1]
work_iri = str(reg.work_iri(work, iris))

st.header(f"《{md(latest.title)}》")
facts = [latest.type_zh if lang() == "zh" else latest.type]
if latest.doc_number:
    facts.append(latest.doc_number)
if latest.title_en and lang() == "en":   # in Chinese, the Chinese title above says it
    facts.append(latest.title_en)
issuers = [reg.body(b) for b in latest.issuers if b in reg.bodies]
if issuers:
    facts.append("、".join((b.name_en or b.name) if lang() == "en" else b.name for b in issuers))
st.caption(" · ".join(md(f) for f in facts))
with st.expander(tr(f"版本沿革（{len(chain)} 个版本）", f"Versions ({len(chain)})"), expanded=len(chain) > 1):
    versions_table(chain, key="legal_versions")



def cited_as(v: LegalSource) -> str:
    """A version as the rows name it: its title, and its year when the work has several."""
    if len(chain) < 2 or not v.year:
        return title_of(v)
    return f"{title_of(v)}（{v.year}年）" if lang() == "zh" else f"{title_of(v)} ({v.year})"


texts = law_texts(settings())


def article_text(v: LegalSource, pinpoint: str | None) -> str:
    """The official text of the article a pinpoint (第14条, 第20条第2款) names in version ``v``,
    or "" when the project holds no text of that version."""
    number = pinpoint_article(pinpoint or "")
    law = texts.get(v.id)
    art = law.article(number) if law is not None and number is not None else None
    return art.text if art is not None else ""


# one query per version (a work has a handful): each reads only the lists citing it, and
# the citations of the work whose version an undated list leaves undetermined, which every
# version's answer repeats: they are kept once (from the first), labelled so, not as a
# version, and no article text is quoted for them (which version's article it is, is not known)
relying = [{**r, "version": tr("版本未定", "version undetermined"), "articleText": ""}
           if r.get("undetermined") == "true"
           else {**r, "version": cited_as(v), "articleText": article_text(v, r.get("article"))}
           for v in chain for r in rows("items_citing_version", version=str(reg.iri(v, iris)))
           if r.get("undetermined") != "true" or v is chain[0]]
relying.sort(key=lambda r: (r["bureau"], r.get("listDate", ""), int(r["number"]), r["citation"], r.get("article", "")))
items = OrderedDict((r["itemIri"], r) for r in relying)
by_bureau: dict[tuple[str, str], list[dict[str, str]]] = defaultdict(list)
for r in relying:
    by_bureau[(r["bureau"], r.get("listDate", ""))].append(r)
n_bureaus = len({b for b, _ in by_bureau})
cols = st.columns(3)
cols[0].metric(tr("依据它的事项", "Items relying on it"), f"{len(items):,}")
cols[1].metric(tr("机构", "Bureaus"), f"{n_bureaus:,}")
cols[2].metric(tr("清单", "Lists"), f"{len({r['list'] for r in relying}):,}")
if not relying:
    st.info(tr("图谱中没有事项引用此法规。", "No item in the graph cites this legal source."))
    st.stop()

tab_items, tab_graph, tab_item = st.tabs([tr("按机构分组的事项", "Items by bureau"), tr("关系图", "Graph"),
                                          tr("从事项看依据", "From an item")])
with tab_items:
    if n_bureaus <= GROUPED_UP_TO:
        for (bureau, date), group in sorted(by_bureau.items()):
            st.markdown(f"**{md(bureau)}** · {md(date) if date else tr('未注明日期', 'undated')}")
            lines = []
            seen = set()
            for r in sorted(group, key=lambda r: (int(r["number"]), r.get("citation", ""))):
                pin = f" {md(r['article'])}" if r.get("article") else ""
                # "14\." keeps Markdown from reading "- 14. …" as a list numbered from 14
                line = f"- {md(r['number'])}\\. {md(r['item'])} — {md(r['version'])}{pin}"
                if r.get("articleText"):
                    # the article's official text under its pinpoint, one quoted line per paragraph
                    line += "\n" + "\n".join(f"  > {md(p)}  " for p in r["articleText"].split("\n"))
                if line not in seen:
                    seen.add(line)
                    lines.append(line)
            st.markdown("\n".join(lines))
    else:
        summary = [{"bureau": b, "date": d, "items": len({r["itemIri"] for r in g}),
                    "articles": "、".join(sorted({r["article"] for r in g if r.get("article")}))}
                   for (b, d), g in sorted(by_bureau.items())]
        table(summary, [("bureau", "机构", "bureau"), ("date", "清单日期", "list date"), ("items", "事项数", "items"),
                        ("articles", "引用的条款", "articles cited")], key="legal_summary", height=300)
    with st.expander(tr("全部引用（表格）", "Every citation (table)")):
        table(relying, [("bureau", "机构", "bureau"), ("listDate", "清单日期", "list date"), ("number", "序号", "no."),
                        ("item", "事项", "item"), ("version", "引用的版本", "version cited"),
                        ("article", "条款", "article"), ("articleText", "条文", "article text"),
                        ("citation", "引用原文", "citation as written")],
              key="legal_relying")

with tab_graph:
    show(trace_dot(f"《{latest.title}》", relying, more_items=tr("{n} 个事项", "{n} items")))
    if len(items) > 40:
        st.caption(tr("事项较多：按机构和版本汇总显示。", "Many items: drawn per bureau and version."))

with tab_item:
    options = list(items.values())
    shown = options[:500]
    j = st.selectbox(tr("选择事项", "Choose an item"), range(len(shown)), key=f"legal_item_{work_iri}",
                     format_func=[f"{r['bureau']} · {r.get('listDate') or '—'} · {r['number']}. {r['item']}"
                                  for r in shown].__getitem__)
    item = shown[j]
    citations = [{**c, "articleText": article_text(by_iri[c["sourceIri"]], c.get("article"))
                  if c.get("sourceIri") in by_iri else ""} for c in rows("item_citations", item=item["itemIri"])]
    st.markdown(f"**{md(item['number'])}. {md(item['item'])}** — {md(item['bureau'])}")
    table(citations, [("order", "序", "#"), ("citation", "引用原文", "citation as written"),
                      ("article", "条款", "article"), ("articleText", "条文", "article text"),
                      ("source", "所引法规（版本）", "source (version) cited"),
                      ("documentNumber", "文号", "document number"), ("resolved", "已解析", "resolved")],
          key="legal_item_citations")
    chains: dict[str, list[str]] = {}
    for c in citations:
        src = by_iri.get(c.get("sourceIri", ""))
        if src is None or c["sourceIri"] in chains:
            continue
        chains[c["sourceIri"]] = [version_label(v) for v in reg.versions(src)]
    show(item_dot(f"{item['number']}. {item['item']}", citations, chains))
    for c_iri in chains:
        src = by_iri[c_iri]
        with st.expander(tr(f"{md(title_of(src))} 的版本沿革", f"Versions of {md(title_of(src))}")):
            versions_table(reg.versions(src), key=f"legal_chain_{c_iri}")
