"""SPARQL — a library query with a form built from its header, or free (read-only) SPARQL,
on the app's store or on a remote endpoint; results as a table of typed, labelled columns in
pages, a chart, and downloads (``results_view``).

What runs is checked first (``query_guard``, through ``run_query``): a SPARQL parser decides
it is a read-only query, and a SERVICE clause may only name a host of
``GONGKAI_SERVICE_HOSTS``. A remote endpoint must be one the settings allow
(``GONGKAI_ENDPOINT``, ``GONGKAI_ENDPOINTS``); with none, remote mode says how to allow one."""

from __future__ import annotations

import json
import time
from dataclasses import replace

import streamlit as st

from gongkai import GongkaiError, check_endpoint_url, endpoint_allowed
from gongkai.query.prefixes import add_missing_prefixes
from gongkai.query.run import run_query
from gongkai.store.guard import parsed
from mdtext import md
from params import param_value
from results_view import show_result
from sparql_editor import (
    editor,
    entry_of,
    kept_queries,
    link_defaults,
    on_screen,
    open_link,
    remember,
    seed,
    show_in_address_bar,
    show_unknown_prefix,
)
from ui import (
    lang,
    query_library,
    remote,
    require_store,
    said,
    screen_title,
    settings,
    show_query_error,
    tr,
)

st.title(screen_title(__file__))
srv = require_store()
lib = query_library()
conf = settings()
allowed = [u for u in (conf.endpoint.query if conf.endpoint else None, *conf.endpoints) if u]

# --- where to run -------------------------------------------------------------------------
where = st.radio(tr("在哪里运行", "Run on"), ["app", "remote"], horizontal=True, key="sparql_where",
                 format_func={"app": tr("本应用的数据存储", "the app's store"),
                              "remote": tr("远程 SPARQL 端点", "a remote SPARQL endpoint")}.__getitem__)
target = srv
if where == "remote":
    if not allowed:
        st.info(tr("远程端点未启用。要启用，请在启动本应用前把允许查询的端点地址写入环境变量 GONGKAI_ENDPOINTS"
                   "（多个地址用逗号分隔），例如 GONGKAI_ENDPOINTS=http://127.0.0.1:7878/query。",
                   "Remote endpoints are off. To allow some, set GONGKAI_ENDPOINTS to the endpoint URLs this app "
                   "may query (separated by commas) before starting it, e.g. "
                   "GONGKAI_ENDPOINTS=http://127.0.0.1:7878/query."))
        st.stop()
    url = st.text_input(tr("端点地址（查询 URL）", "Endpoint (query URL)"), key="sparql_endpoint",
                        placeholder=allowed[0])
    st.caption(tr("允许查询的端点：", "Endpoints this app may query: ") + ", ".join(md(u) for u in allowed))
    if not url.strip():
        st.stop()
    try:  # refused before any request: only http(s) URLs the settings allow
        check_endpoint_url(url.strip())
        if not endpoint_allowed(url.strip(), allowed):
            st.error(tr(f"不允许查询此端点：{md(url.strip())}。允许的端点由 GONGKAI_ENDPOINTS 设定。",
                        f"This app may not query {md(url.strip())}: the endpoints it may query are set by "
                        "GONGKAI_ENDPOINTS."))
            st.stop()
        target = remote(url.strip())
    except GongkaiError as e:
        st.error(said(e))
        st.stop()

# --- what to run --------------------------------------------------------------------------
open_link(lib)  # ?q=<library id>&p.<name>=<value>, or ?text=<SPARQL>: once per address


def _ran_as(entry: dict) -> str:
    """What a result is the answer to: the query, its parameters, where it ran."""
    return json.dumps([entry, target.where], ensure_ascii=False, sort_keys=True)


def _to_free() -> None:
    """"Write your own" starts from the query on screen."""
    if st.session_state.get("sparql_mode") == "free" and st.session_state.get("sparql_on_screen"):
        seed(st.session_state["sparql_on_screen"])


mode = st.radio(tr("查询", "Query"), ["library", "free"], horizontal=True, key="sparql_mode", on_change=_to_free,
                format_func={"library": tr("查询库", "from the library"),
                             "free": tr("自由编写", "write your own")}.__getitem__)
queries = sorted(lib, key=lambda q: (q.tags[:1], q.id))
text: str
params: dict[str, str] = {}
chosen = None
if mode == "library":
    ids = [q.id for q in queries]
    qid = st.selectbox(tr("库中的查询", "Library query"), ids, key="sparql_query",
                       format_func={q.id: f"{q.summary_en if lang() == 'en' else q.summary_zh}  ·  {q.id}"
                                    for q in queries}.__getitem__)
    chosen = lib.get(qid)
    desc = chosen.description.split("|")
    if chosen.description:
        st.caption(md((desc[1] if lang() == "en" and len(desc) > 1 else desc[0]).strip()))
    given = link_defaults(qid)  # values a link or a reopened query gave
    for p in chosen.params:
        value = param_value(replace(p, default=given[p.name]) if p.name in given else p,
                            key=f"sparql_p_{qid}_{p.name}")
        if value not in (None, ""):
            params[p.name] = value
    submitted = st.button(tr("运行", "Run"), type="primary", icon=":material/play_arrow:", key="sparql_run_lib")
    text = chosen.text
    st.session_state["sparql_on_screen"] = on_screen(chosen, params)
    with st.expander(tr("查询文本", "Query text")):
        st.code(text, language="sparql")
else:
    start = st.session_state.get("sparql_on_screen") or "SELECT * WHERE { ?s ?p ?o } LIMIT 10"
    text, submitted = editor(start)
    if submitted:
        fix = add_missing_prefixes(text)
        if fix.unknown:  # said until the text changes (an event of the editor may come after Ctrl+Enter)
            st.session_state["sparql_bad_prefix"] = (text, fix.unknown[0])
            submitted = False
        elif fix.added:  # the editor shows the declarations added, and the query runs from there
            seed(fix.text)
            st.session_state["sparql_prefix_note"] = (fix.text, fix.added)
            st.session_state["sparql_run_next"] = (_ran_as(entry_of(mode, None, {}, fix.text)), 0)
            st.rerun()
    bad = st.session_state.get("sparql_bad_prefix")
    if bad and bad[0] == text:
        show_unknown_prefix(bad[1], text)
    note = st.session_state.get("sparql_prefix_note")
    if note and note[0] == text:
        added_zh = md("、".join(f"{p}:" for p in note[1]))
        added_en = md(", ".join(f"{p}:" for p in note[1]))
        st.info(tr(f"已自动添加前缀 {added_zh}", f"Prefixes added: {added_en}"),
                icon=":material/auto_fix_high:")

current = entry_of(mode, chosen, params, text)
ran_as = _ran_as(current)
# a run asked for (prefixes added), or cut short by a rerun (an event while it ran): taken up
# again, twice at most
pending = st.session_state.pop("sparql_run_next", None)
attempt = 1
if pending is not None and not submitted and pending[0] == ran_as and pending[1] < 2 and not (
        st.session_state.get("sparql_result") is not None and st.session_state.get("sparql_result_of") == ran_as):
    submitted, attempt = True, pending[1] + 1
if submitted:
    st.session_state["sparql_run_next"] = (ran_as, attempt)
    st.session_state["sparql_result_of"] = ran_as
    remember(current)
    show_in_address_bar(current)
elif st.session_state.get("sparql_result_of") != ran_as:  # another text, query or parameter: not its result
    st.session_state.pop("sparql_result", None)
kept_queries(current, lib)

# --- running ------------------------------------------------------------------------------
if submitted:
    st.session_state.pop("sparql_result", None)
    try:
        if chosen is None and parsed(text).is_update:  # decided by a SPARQL parser
            st.error(tr("这是 SPARQL Update：本页只读，不会修改数据。",
                        "This is a SPARQL Update: this screen is read-only and changes nothing."))
            st.stop()
        t0 = time.perf_counter()
        result = run_query(target.store, chosen if chosen is not None else text, params,
                           allow_service=conf.service_hosts)
        elapsed = time.perf_counter() - t0
        # an endpoint whose default graph is not the union of its graphs answers most queries with nothing
        note = target.store.union_warning() if hasattr(target.store, "union_warning") else None
    except GongkaiError as e:
        show_query_error(e, text)
        st.stop()
    st.session_state["sparql_result"] = {"result": result, "elapsed": elapsed, "note": note,
                                         "name": chosen.id if chosen else "query", "where": target.where,
                                         "text": text}

done = st.session_state.get("sparql_result")
if done:
    result = done["result"]
    ran_on = md(done["where"]) if "://" in done["where"] else tr("本应用的数据存储", "the app's store")  # no paths
    st.success(tr(f"{len(result):,} 行 · 用时 {done['elapsed'] * 1000:.0f} 毫秒 · {ran_on}",
                  f"{len(result):,} rows · {done['elapsed'] * 1000:.0f} ms · {ran_on}"))
    if getattr(result, "truncated", False):
        st.warning(tr(f"结果太大，只取了前 {len(result):,} 行：请缩小查询（LIMIT、更具体的条件）。",
                      f"The answer was too large: only its first {len(result):,} rows were kept. Narrow the query "
                      "(LIMIT, a more selective pattern)."))
    if done.get("note"):
        st.warning(md(done["note"]))
    show_result(done)   # typed, labelled columns in pages, a chart, downloads (results_view.py)
