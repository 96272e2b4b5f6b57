"""What every screen shares: the language, the store being served, cached query results,
the build's statistics, and a few ways of drawing tables, downloads and errors.

Pages only draw. The store comes from one ``st.cache_resource`` function calling the
package (``service.open_store``); results come from bounded ``st.cache_data`` wrappers,
keyed by the store, the build and a data version that an import increments, so that a
page never shows rows from before an import.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import streamlit as st

from gongkai.errors import GongkaiError, QueryError, StoreError
from gongkai.queries import Library
from gongkai.remote import Endpoint, RemoteStore
from gongkai.service import built_graph, label_rows, library, open_store, run_query, store_is_fresh
from gongkai.settings import Settings
from gongkai.store import Result, Store

LANGS = ("zh", "en")
QUERY_ROWS_SHOWN = 1000  # rows drawn in a table; downloads carry every row


# --- language ---------------------------------------------------------------------------

def lang() -> str:
    value = st.session_state.get("lang", "zh")
    return value if value in LANGS else "zh"


def tr(zh: str, en: str) -> str:
    """The text in the chosen language. Both are written where the text is used, so that a
    screen reads the same in either language and neither is forgotten."""
    return en if lang() == "en" else zh


def pick(row: dict[str, Any], key: str) -> str:
    """``row[key]`` in the chosen language: ``key_en`` in English when it is there."""
    if lang() == "en":
        value = row.get(f"{key}_en")
        if value:
            return str(value)
    return str(row.get(key) or "")


# --- settings, store, library ---------------------------------------------------------------

def settings() -> Settings:
    """The build folder from ``GONGKAI_BUILD`` (else ``build/``), and a remote endpoint from
    ``GONGKAI_ENDPOINT`` when the app is to serve one instead of the embedded store."""
    return Settings(endpoint=os.environ.get("GONGKAI_ENDPOINT") or None)


@dataclass
class Served:
    """The store the app serves, and what it is."""

    store: Store
    kind: str            # embedded | memory | remote
    where: str           # the store's folder or the endpoint's URL
    writable: bool
    note: str = ""
    version: int = 0     # incremented by every import: part of every cached query's key
    imports: list[dict[str, Any]] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.where}"


def _fingerprint(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_size, stat.st_mtime_ns


@st.cache_resource(show_spinner=False, max_entries=4)
def _embedded(graph: str, fingerprint: tuple[int, int]) -> Served:
    """One store per version of the build (a new build opens a new one).

    Writable when it can be, so that the import screen can add a list; a store another
    process holds for writing is opened read-only, and importing is then disabled.
    """
    s = settings()
    try:
        store = open_store(s, writable=True)
        writable, note = True, ""
    except StoreError as e:
        store = open_store(s)
        writable, note = False, str(e)
    path = getattr(store, "path", None)
    if path is None:
        return Served(store, "memory", graph, writable, note or "in-memory copy of the build")
    return Served(store, "embedded", str(path), writable, note)


@st.cache_resource(show_spinner=False, max_entries=8)
def remote(url: str) -> Served:
    """An endpoint the settings allow (``GONGKAI_ENDPOINT``, ``GONGKAI_ENDPOINTS``); any
    other URL is refused (``StoreError``) before a request is sent."""
    from gongkai.errors import StoreError
    from gongkai.query_guard import check_endpoint_url, endpoint_allowed

    s = settings()
    check_endpoint_url(url)
    if not endpoint_allowed(url, (s.endpoint, *s.endpoints)):
        raise StoreError(f"the SPARQL endpoint {url} is not one this app may query (GONGKAI_ENDPOINTS)")
    return Served(RemoteStore(Endpoint(url, timeout=s.query_timeout, retries=1)), "remote", url, True)


def served() -> Served | None:
    """The store every screen reads: the endpoint if one is configured, else the embedded
    store of the build; None when there is no build yet."""
    s = settings()
    if s.endpoint:
        return remote(s.endpoint)
    graph = built_graph(s)
    if not graph.exists():
        return None
    if store_is_fresh(s):
        return _embedded(str(graph), _fingerprint(graph))
    # the build is newer than the store (built by hand, not by `make run`): it is loaded
    # first, once per build, which takes minutes for thousands of lists
    with st.spinner(tr(f"正在把 {graph} 载入嵌入式存储（每次构建后一次；上万份清单需要几分钟）…",
                       f"Loading {graph} into the embedded store (once per build; minutes for 10,000 lists)…")):
        return _embedded(str(graph), _fingerprint(graph))


def require_store() -> Served:
    """The served store, or a message saying how to build one (and the page stops)."""
    srv = served()
    if srv is None:
        st.warning(tr(f"尚未构建知识图谱（{built_graph(settings())} 不存在）：请先运行 `gongkai build` 或 `make run`。",
                      f"No knowledge graph yet ({built_graph(settings())} does not exist): run `gongkai build` "
                      "or `make run` first."))
        st.stop()
    return srv


@st.cache_resource(show_spinner=False, max_entries=2)
def _library(folder: str) -> Library:
    return library(settings())


def query_library() -> Library:
    return _library(str(settings().queries_dir))


@st.cache_data(max_entries=512, show_spinner=False)
def _rows(store_key: str, version: int, name: str, params: tuple[tuple[str, str], ...],
          language: str | None) -> list[dict[str, str]]:
    srv = served()
    assert srv is not None and srv.key == store_key
    return label_rows(run_query(srv.store, query_library().get(name), dict(params)), language)


def rows(name: str, language: str | None = "current", **params: str) -> list[dict[str, str]]:
    """A library query's rows as strings, labels in the chosen language (cached)."""
    srv = require_store()
    language = lang() if language == "current" else language
    return _rows(srv.key, srv.version, name, tuple(sorted(params.items())), language)


def result_of(store: Store, name: str, params: dict[str, str]) -> Result:
    """A library query's full result (not cached: the SPARQL screen times it)."""
    return run_query(store, query_library().get(name), params)


def data_changed(srv: Served) -> None:
    """After an import: every cached result of this store is stale."""
    srv.version += 1


# --- statistics of the build ------------------------------------------------------------------

@st.cache_data(max_entries=4, show_spinner=False)
def _stats_file(path: str, fingerprint: tuple[int, int]) -> dict | None:
    from gongkai.stats import read_stats

    return read_stats(Path(path))


@st.cache_data(max_entries=4, show_spinner=False, ttl=600)
def _remote_stats(url: str, version: int) -> dict:
    from gongkai.stats import compute

    srv = remote(url)
    return compute(srv.store, settings())


def overview_stats() -> dict | None:
    """``build/stats.json`` (computed by ``gongkai build``); recomputed here only when it is
    missing or older than the graph or its validation report — a build made by an older
    version, or one made without the CLI. A remote endpoint's figures are computed from it."""
    from gongkai.stats import is_current, stats_path, write_build_stats

    srv = require_store()
    s = settings()
    if srv.kind == "remote":
        with st.spinner(tr("正在统计远程端点的数据…", "Computing statistics on the endpoint…")):
            return _remote_stats(srv.where, srv.version)
    path = stats_path(s)
    doc = _stats_file(str(path), _fingerprint(path)) if path.exists() else None
    if not is_current(doc, s):
        with st.spinner(tr("正在计算统计数据（构建后只需一次）…", "Computing the statistics (once per build)…")):
            try:
                write_build_stats(s, store=srv.store)
            except (GongkaiError, OSError) as e:
                st.error(str(e))
                return doc
        doc = _stats_file(str(path), _fingerprint(path))
    return doc


# --- sidebar ----------------------------------------------------------------------------

def _when(ns: int) -> str:
    return dt.datetime.fromtimestamp(ns / 1e9).strftime("%Y-%m-%d %H:%M")


@st.cache_data(max_entries=8, show_spinner=False, ttl=600)
def _triples(store_key: str, version: int) -> int | None:
    srv = served()
    try:
        return len(srv.store) if srv is not None else None
    except GongkaiError:
        return None


def sidebar() -> None:
    """The language switch, and which store and which build the app serves."""
    with st.sidebar:
        st.radio("语言 · Language", LANGS, key="lang", horizontal=True,
                 format_func=lambda v: "中文" if v == "zh" else "English")
        s = settings()
        graph = built_graph(s)
        srv = served()
        st.markdown(f"**{tr('数据存储', 'Store')}**")
        if srv is None:
            st.caption(tr("无（尚未构建）", "none (not built yet)"))
        else:
            kind = {"embedded": tr("内嵌 Oxigraph", "embedded Oxigraph"),
                    "memory": tr("内存中的 Oxigraph", "in-memory Oxigraph"),
                    "remote": tr("远程 SPARQL 端点", "remote SPARQL endpoint")}[srv.kind]
            st.caption(f"{kind}: `{srv.where}`")
            if not srv.writable:
                st.caption(tr("只读（导入不可用）", "read-only (import disabled)"))
        st.markdown(f"**{tr('构建', 'Build')}**")
        if graph.exists():
            size, mtime = _fingerprint(graph)
            line = f"`{graph}` · {_when(mtime)}"
            if srv is not None and srv.kind != "remote":
                n = _triples(srv.key, srv.version)
                if n is not None:
                    line += " · " + tr(f"{n:,} 个三元组", f"{n:,} triples")
            st.caption(line)
            if srv is not None and srv.imports:
                st.caption(tr(f"构建后导入 {len(srv.imports)} 份清单", f"{len(srv.imports)} list(s) imported since the build"))
        else:
            st.caption(tr(f"`{graph}` 不存在", f"`{graph}` does not exist"))


# --- drawing -----------------------------------------------------------------------------

Column = tuple[str, str, str]   # (key in the row, header in Chinese, header in English)


def table(data: Sequence[dict[str, Any]], columns: Iterable[Column], *, key: str | None = None,
          height: int | str = "auto", limit: int = QUERY_ROWS_SHOWN, **kw: Any) -> None:
    """Rows as a sortable table with headers in the chosen language (keys not named are
    left out; ``key_en`` values are used in English)."""
    cols = list(columns)
    shown = [{(en if lang() == "en" else zh): pick(r, k) if not isinstance(r.get(k), (int, float)) else r.get(k)
              for k, zh, en in cols} for r in data[:limit]]
    if not shown:
        st.info(tr("没有结果。", "No results."))
        return
    st.dataframe(shown, hide_index=True, width="stretch", height=height, key=key, **kw)
    if len(data) > limit:
        st.caption(tr(f"只显示前 {limit:,} 行，共 {len(data):,} 行；下载可得全部。",
                      f"Showing the first {limit:,} of {len(data):,} rows; downloads have them all."))


def download(label: str, data: Callable[[], bytes | str] | bytes | str, file_name: str, mime: str,
             key: str) -> None:
    st.download_button(label, data=data, file_name=file_name, mime=mime, key=key, on_click="ignore",
                       icon=":material/download:")


_AT = re.compile(r"error at (\d+):(\d+)")


def syntax_position(message: str) -> tuple[int, int] | None:
    """(line, column) of a SPARQL syntax error, from the parser's message."""
    m = _AT.search(message)
    return (int(m.group(1)), int(m.group(2))) if m else None


def show_query_error(e: GongkaiError, text: str | None = None) -> None:
    """A query error; for a syntax error, the line and column, and the line with a caret."""
    where = syntax_position(str(e)) if isinstance(e, QueryError) else None
    if where is None or text is None:
        st.error(str(e))
        return
    line, col = where
    st.error(tr(f"SPARQL 语法错误：第 {line} 行，第 {col} 列。", f"SPARQL syntax error: line {line}, column {col}.")
             + f"\n\n{e}")
    lines = text.splitlines() or [""]
    if 1 <= line <= len(lines):
        start = max(1, line - 2)
        shown = [f"{n:>4} | {lines[n - 1]}" for n in range(start, line + 1)]
        shown.append("     | " + " " * max(0, col - 1) + "^")
        st.code("\n".join(shown), language=None)


def problem(e: Exception) -> None:
    """A user-facing error (the package's errors say which file, row and cell)."""
    st.error(str(e))
