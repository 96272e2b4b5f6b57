"""导出 Export — the whole graph or one list, as Turtle, TriG, N-Triples, N-Quads, JSON-LD,
RDF/XML or CSV; and the dataset's description (DCAT/VoID) with the publisher's title,
description, licence and contact, kept in ``publisher.toml`` beside the build folder. The
files are made when a download button is pressed."""

from __future__ import annotations

import streamlit as st

from auth import may_write
from gongkai import EXPORT_FORMATS, export_bytes
from gongkai.query.run import run_query
from gongkai.store.lifecycle import built_graph
from mdtext import md
from picker import choose_list
from ui import (
    download,
    lang,
    publisher,
    query_library,
    require_store,
    root_settings,
    rows,
    screen_title,
    settings,
    tr,
)

st.title(screen_title(__file__))
srv = require_store()
store = srv.local if srv.local is not None else srv.store  # the store in this process: its quads are read here
if not hasattr(store, "ox"):
    st.info(tr("导出读取内嵌数据存储；远程端点请用 `gongkai export` 或端点自己的导出功能。",
               "Export reads the embedded store; for a remote endpoint use `gongkai export` "
               "or the endpoint's own dump."))
    st.stop()


# --- the dataset's description and its publisher -------------------------------------------------

FIELDS = (("title", "数据集标题（中文）", "Title (Chinese)"), ("title_en", "数据集标题（英文）", "Title (English)"),
          ("description", "数据集说明（中文）", "Description (Chinese)"),
          ("description_en", "数据集说明（英文）", "Description (English)"),
          ("publisher", "发布机构", "Publisher"), ("license", "许可（网址）", "Licence (URL)"),
          ("contact_name", "联系人或部门", "Contact (person or office)"),
          ("contact", "联系邮箱或网页", "Contact e-mail or web page"))
LONG = {"description", "description_en"}


def dataset_export() -> None:
    """The DCAT/VoID description of the data served, with the publisher's settings, which
    can be edited here (kept in publisher.toml beside the build folder)."""
    from gongkai import GongkaiError, Publisher, dataset_description, save_publisher

    about = publisher()
    st.caption(tr("数据集说明（DCAT 与 VoID）：标题、说明、发布机构、许可和联系方式，以及数据的统计"
                  "（三元组、实体、类和属性），数据目录平台可以读取。发布网站时也使用这些信息。",
                  "The dataset's description (DCAT and VoID): title, description, publisher, licence and contact, "
                  "and the data's statistics (triples, entities, classes and properties), as data catalogues "
                  "read it. The published site uses the same."))
    s = settings()

    def description(fmt: str):
        def make() -> bytes:
            import pyoxigraph as ox

            quads = [q for q in store.ox.quads_for_pattern(None, None, None, None)
                     if not isinstance(q.graph_name, ox.DefaultGraph)]
            return dataset_description(quads, s, about, fmt)
        return make

    c1, c2 = st.columns(2)
    with c1:
        download(tr("下载数据集说明（Turtle）", "Download the description (Turtle)"), description("ttl"),
                 "dataset.ttl", "text/turtle", key="export_dataset_ttl")
    with c2:
        download(tr("下载数据集说明（RDF/XML）", "Download the description (RDF/XML)"), description("rdfxml"),
                 "dataset.rdf", "application/rdf+xml", key="export_dataset_rdf")

    st.subheader(tr("发布者信息", "The publisher"))
    if about.empty:
        st.info(tr("尚未填写发布者信息：数据集使用默认的标题和说明，没有发布机构、许可和联系方式。",
                   "No publisher's settings yet: the dataset has the default title and description, and no "
                   "publisher, licence or contact."))
    if not srv.writable or not may_write():   # served beyond 127.0.0.1: editing needs the import page's login
        if srv.writable:
            st.caption(tr("在“导入清单”页登录后可编辑发布者信息。",
                          "Log in on the import page to edit the publisher's settings."))
        for key, zh, en in FIELDS:
            value = getattr(about, key)
            if value:
                st.markdown(f"**{md(tr(zh, en))}**{tr('：', ': ')}{md(value)}")
        return
    with st.form("publisher_form"):
        values = {}
        for key, zh, en in FIELDS:
            widget = st.text_area if key in LONG else st.text_input
            values[key] = widget(tr(zh, en), value=getattr(about, key), key=f"publisher_{key}")
        saved = st.form_submit_button(tr("保存发布者信息", "Save the publisher's settings"), type="primary")
    if saved:
        try:
            save_publisher(root_settings(), Publisher(**{k: v.strip() for k, v in values.items()}))
        except (GongkaiError, OSError) as e:
            st.error(tr("未能保存：", "Not saved: ") + md(e))
            return
        st.session_state["publisher_saved"] = True
        st.rerun()
    if st.session_state.pop("publisher_saved", False):
        st.success(tr("发布者信息已保存。", "The publisher's settings are saved."))


with st.expander(tr("数据集说明（DCAT、VoID）与发布者信息", "Dataset description (DCAT/VoID) and the publisher")):
    dataset_export()

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
    st.caption(tr("整个图谱的 CSV 是构建的 items.csv（每个事项一行，含构建后导入的清单）；"
                  "一份清单的 CSV 来自查询 items_of_list。",
                  "The whole graph's CSV is the build's items.csv (one row per item, lists imported since "
                  "included); one list's CSV comes from the items_of_list query."))
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
