"""导出 Export — the whole graph or one list, as Turtle, TriG, N-Triples, N-Quads, JSON-LD,
RDF/XML or CSV. The file is made when the download button is pressed."""

from __future__ import annotations

import streamlit as st

from gongkai import EXPORT_FORMATS, export_bytes
from gongkai.query.run import run_query
from gongkai.store.lifecycle import built_graph
from mdtext import md
from picker import choose_list
from ui import download, lang, query_library, require_store, rows, screen_title, settings, tr

st.title(screen_title(__file__))
srv = require_store()
store = srv.local if srv.local is not None else srv.store  # the store in this process: its quads are read here
if not hasattr(store, "ox"):
    st.info(tr("导出读取内嵌数据存储；远程端点请用 `gongkai export` 或端点自己的导出功能。",
               "Export reads the embedded store; for a remote endpoint use `gongkai export` "
               "or the endpoint's own dump."))
    st.stop()

scope = st.radio(tr("范围", "What"), ["all", "list"], horizontal=True, key="export_scope",
                 format_func={"all": tr("整个知识图谱", "the whole graph"),
                              "list": tr("一份清单", "one list")}.__getitem__)
lst = None
if scope == "list":
    lst = choose_list(rows("lists"), key="export")
    if lst is None:
        st.stop()
fmt = st.radio(tr("格式", "Format"), list(EXPORT_FORMATS), horizontal=True, key="export_format",
               format_func={k: f.label_en if lang() == "en" else f.label_zh
                            for k, f in EXPORT_FORMATS.items()}.__getitem__)
f = EXPORT_FORMATS[fmt]
inline = False
if fmt == "jsonld":
    inline = st.checkbox(tr("内嵌 JSON-LD 上下文（离线可读）", "Embed the JSON-LD context (readable offline)"),
                         value=True, key="export_inline")

s = settings()
graph_iri = lst["list"] if lst else None
language = lang()
stem = "kg" if lst is None else "-".join(graph_iri.rstrip("/").split("/")[-2:])


def quads():
    import pyoxigraph as ox

    name = ox.NamedNode(graph_iri) if graph_iri else None
    # the store's default graph only mirrors the named graphs (see gongkai.store)
    return [q for q in store.ox.quads_for_pattern(None, None, None, name)
            if not isinstance(q.graph_name, ox.DefaultGraph)]


def make() -> bytes:
    """The file, made on demand (no Streamlit call in here)."""
    if fmt == "csv":
        if graph_iri is None:
            return built_graph(s).with_name("items.csv").read_bytes()
        result = run_query(store, query_library().get("items_of_list"), {"list": graph_iri})
        from gongkai.query.results import render

        return render(result, "csv", language).encode("utf-8-sig")
    context = None
    if fmt == "jsonld":
        from gongkai import JsonLdContext as Context

        context = Context.load(s.ontology_dir / "context.jsonld")
    return export_bytes(quads(), fmt, context=context, base=s.base, inline_context=inline)


if fmt == "csv":
    st.caption(tr("整个图谱的 CSV 是构建时从源文件生成的 items.csv（每个事项一行，不含构建后导入的清单）；"
                  "一份清单的 CSV 来自查询 items_of_list。",
                  "The whole graph's CSV is the items.csv made from the source files at build time (one row per item; "
                  "lists imported since are not in it); one list's CSV comes from the items_of_list query."))
elif f.datasets:
    st.caption(tr("保留命名图：每份清单一个图，另有本体、词表和权威数据的图。",
                  "Named graphs kept: one per list, plus the ontology, vocabularies and authority data."))
else:
    st.caption(tr("合并图：所有命名图合为一个图，重复的三元组只写一次。",
                  "Merged graph: every named graph in one, each triple once."))
if fmt == "csv" and graph_iri is None and not built_graph(s).with_name("items.csv").exists():
    st.warning(tr("构建中没有 items.csv。", "The build has no items.csv."))
    st.stop()

name = f"{stem}.{f.extension}"
download(tr(f"下载 {md(name)}", f"Download {md(name)}"), make, name, f.media_type, key=f"export_{fmt}_{stem}")
