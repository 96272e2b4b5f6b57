"""What every screen shares: the language, the store being served, cached query results,
the build's statistics, and a few ways of drawing tables, downloads and errors.

Pages only draw. The store comes from one ``st.cache_resource`` function calling the
package (``service.open_store``: the current version of the build, read-only); results
come from bounded ``st.cache_data`` wrappers keyed by the build version served, so that a
page never shows rows of an older build: a new build, or an import, is a new version, and
the app turns to it on the next page it draws, without a restart.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import urllib.parse
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import streamlit as st

from gongkai import VERSIONS, BuildFolder, Endpoint, GongkaiError, QueryError, Settings
from gongkai.query.library import Library, library
from gongkai.query.results import label_rows
from gongkai.query.run import run_query
from gongkai.store.base import Result, Store
from gongkai.store.lifecycle import built_graph, embedded_store_path, open_store, store_is_fresh
from gongkai.store.remote import RemoteStore
from gongkai.store.worker import APP_MAX_ROWS, TimedStore
from mdtext import md
from screens import screen

LANGS = ("zh", "en")
QUERY_ROWS_SHOWN = 1000  # rows drawn in a table; downloads carry every row


# --- language ---------------------------------------------------------------------------

def lang() -> str:
    """The chosen language: the sidebar's switch, which starts from the address (``?lang=en``),
    so that a reload or a new tab keeps it."""
    if "lang" not in st.session_state:
        wanted = st.query_params.get("lang")
        st.session_state["lang"] = wanted if wanted in LANGS else "zh"
    value = st.session_state.get("lang", "zh")
    return value if value in LANGS else "zh"


def keep_lang_in_url() -> None:
    """Write the chosen language into the address (``?lang=en``; none for Chinese, the default)."""
    if lang() == "en":
        if st.query_params.get("lang") != "en":
            st.query_params["lang"] = "en"
    elif "lang" in st.query_params:
        del st.query_params["lang"]


def said(e: BaseException) -> str:
    """An error's message in the chosen language, worded for the app (its advice names the
    form's fields, not command-line options), Markdown-escaped."""
    from gongkai import in_lang

    return md(in_lang(e, lang(), app=True))


def screen_title(page_file: str) -> str:
    """The title of the screen drawn by ``page_file`` (its ``__file__``), from ``screens.SCREENS``."""
    s = screen(Path(page_file).name)
    return tr(s.title_zh, s.title_en)


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

def root_settings() -> Settings:
    """The build folder from ``GONGKAI_BUILD`` (else ``build/``), and a remote endpoint from
    ``GONGKAI_ENDPOINT`` when the app is to serve one instead of the embedded store."""
    return Settings(endpoint=_configured_endpoint()[0])


def _configured_endpoint() -> tuple[Endpoint | None, str | None]:
    """The endpoint the environment configures (``GONGKAI_ENDPOINT`` …), or why it cannot be used."""
    try:
        return Endpoint.from_env(), None
    except GongkaiError as e:
        return None, e.message(lang(), app=True)


def settings() -> Settings:
    """The settings every page reads files with: the build folder is the version of the
    build being served, so that the reports, the statistics and the item table a page reads
    belong to the build its queries answer from, even while a new build is published."""
    s = root_settings()
    srv = served()
    if srv is not None and srv.folder:
        return replace(s, build_dir=Path(srv.folder))
    return s


@dataclass
class Served:
    """The store the app serves, and what it is."""

    store: Store
    kind: str            # embedded | memory | remote
    where: str           # the store's folder or the endpoint's URL
    writable: bool       # lists can be imported
    note: str = ""
    build: str = ""      # the build version served (a new build or an import is a new one)
    folder: str | None = None   # that version's folder
    changes: int = 0     # imports into a remote endpoint: part of every cached query's key
    lease: Any = None    # keeps the version served from being removed while it is read
    local: Store | None = None  # the same store in this process, for the app's own figures

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.where}:{self.build}"

    @property
    def version(self) -> str:
        """What cached results of this store depend on."""
        return f"{self.build}:{self.changes}"


def _fingerprint(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_size, stat.st_mtime_ns


def _release(srv: Served) -> None:
    """A version no longer served: its query workers end, its lease is released."""
    for store in (srv.store, srv.local):
        if store is not None:
            store.close()


@st.cache_resource(show_spinner=False, max_entries=2, on_release=_release)
def _embedded(root: str, build: str, timeout: float) -> Served:  # noqa: ARG001 - root: part of the cache key
    """One store per version of the build: a new build or an import is a new version,
    opened as the app notices it (every page looks). Read-only, with a lease on the version;
    an import writes a new version (``app_import.commit_to_build``).

    Queries run in worker processes (``query_worker.TimedStore``) that are killed when a
    query passes the time limit (``GONGKAI_QUERY_TIMEOUT``, 30 s) and cut at 100,000 rows;
    the figures the app computes itself (statistics, deadlines) use the store in this
    process (``Served.local``)."""
    s = root_settings()
    local = open_store(s)
    path = getattr(local, "path", None)
    writable = os.access(s.out_dir, os.W_OK)
    note = "" if writable else f"{s.out_dir} cannot be written"
    if path is None:
        return Served(local, "memory", str(built_graph(s)), False, note or "in-memory copy of the build", local=local)
    folder = path.parent if path.parent.parent.name == VERSIONS else None
    timed = TimedStore(path, timeout=timeout, max_rows=APP_MAX_ROWS, workers=2)
    shown = embedded_store_path(s) if folder is not None else path  # the public name: build/store
    return Served(timed, "embedded", str(shown), writable, note, build=folder.name if folder else build,
                  folder=str(folder) if folder else None, lease=getattr(local, "lease", None), local=local)


@st.cache_resource(show_spinner=False, max_entries=8)
def remote(url: str) -> Served:
    """An endpoint the settings allow (``GONGKAI_ENDPOINT``, ``GONGKAI_ENDPOINTS``); any
    other URL is refused (``StoreError``) before a request is sent."""
    return Served(RemoteStore(root_settings().endpoint_for(url)), "remote", url, True)


def served() -> Served | None:
    """The store every screen reads: the endpoint if one is configured, else the embedded
    store of the build's current version; None when there is no build yet."""
    s = root_settings()
    _, wrong = _configured_endpoint()
    if wrong is not None:
        st.error(tr("无法使用配置的 SPARQL 端点（GONGKAI_ENDPOINT）：", "The configured SPARQL endpoint "
                    "(GONGKAI_ENDPOINT) cannot be used: ") + md(wrong))
        st.stop()
    if s.endpoint:
        try:
            return remote(s.endpoint.query)
        except GongkaiError as e:
            st.error(tr("无法使用配置的 SPARQL 端点（GONGKAI_ENDPOINT）：", "The configured SPARQL endpoint "
                        "(GONGKAI_ENDPOINT) cannot be used: ") + said(e))
            st.stop()
    folder = BuildFolder(s.out_dir)
    build = folder.current_id()
    if build is None and not built_graph(s).exists():
        return None
    if build is not None and store_is_fresh(s):
        return _embedded(str(s.out_dir), build, s.query_timeout)
    # a build without its store (written by an older gongkai, or kg.trig changed by hand): the
    # store is loaded first, once per build, which takes minutes for thousands of lists
    with st.spinner(tr("正在载入知识图谱（每次构建后一次；上万份清单需要几分钟）…",
                       "Loading the knowledge graph (once per build; minutes for 10,000 lists)…")):
        return _embedded(str(s.out_dir), build or "", s.query_timeout)


def require_store() -> Served:
    """The served store, or a message saying how to build one (and the page stops)."""
    srv = served()
    if srv is None:
        st.warning(tr("尚未构建知识图谱：请先运行 `gongkai build` 或 `make run`。",
                      "No knowledge graph yet: run `gongkai build` or `make run` first."))
        st.stop()
    return srv


@st.cache_resource(show_spinner=False, max_entries=2)
def _library(folder: str) -> Library:  # noqa: ARG001 - the cache key
    return library(settings())


def query_library() -> Library:
    return _library(str(settings().queries_dir))


@st.cache_data(max_entries=512, show_spinner=False)
def _rows(store_key: str, version: str, name: str, params: tuple[tuple[str, str], ...],  # noqa: ARG001 - cache key
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
    """After an import into a remote endpoint: every cached result of it is stale (an import
    into the embedded store is a new version of the build, served under a key of its own)."""
    srv.changes += 1


# --- statistics of the build ------------------------------------------------------------------

@st.cache_data(max_entries=4, show_spinner=False)
def _stats_file(path: str, fingerprint: tuple[int, int]) -> dict | None:  # noqa: ARG001 - the cache key
    from gongkai import read_stats

    return read_stats(Path(path))


@st.cache_data(max_entries=4, show_spinner=False, ttl=600)
def _remote_stats(url: str, version: str) -> dict:  # noqa: ARG001 - version: part of the cache key
    from gongkai import compute_stats as compute

    srv = remote(url)
    return compute(srv.store, settings())


def overview_stats() -> dict | None:
    """``build/stats.json`` (computed by ``gongkai build``); recomputed here only when it is
    missing or older than the graph or its validation report — a build made by an older
    version, or one made without the CLI. A remote endpoint's figures are computed from it."""
    from gongkai import is_current, stats_path, write_build_stats

    srv = require_store()
    s = settings()
    if srv.kind == "remote":
        with st.spinner(tr("正在统计远程端点的数据…", "Computing statistics on the endpoint…")):
            try:
                return _remote_stats(srv.where, srv.version)
            except GongkaiError as e:   # the endpoint down, slow or refusing: said, not a traceback
                st.error(said(e))
                st.stop()
    path = stats_path(s)
    doc = _stats_file(str(path), _fingerprint(path)) if path.exists() else None
    if not is_current(doc, s):
        with st.spinner(tr("正在计算统计数据（构建后只需一次）…", "Computing the statistics (once per build)…")):
            try:
                write_build_stats(s, store=srv.local or srv.store)
            except (GongkaiError, OSError) as e:
                st.error(said(e))
                return doc
        doc = _stats_file(str(path), _fingerprint(path))
    return doc


# --- sidebar ----------------------------------------------------------------------------

def _when(ns: int) -> str:
    return dt.datetime.fromtimestamp(ns / 1e9).strftime("%Y-%m-%d %H:%M")


def sidebar() -> None:
    """The language switch (kept in the address), and where the data comes from: how many
    lists, built when — no server paths; for a remote store, the endpoint's host."""
    lang()  # the choice in the address, before the switch is drawn
    with st.sidebar:
        st.radio("语言 · Language", LANGS, key="lang", horizontal=True,
                 format_func=lambda v: "中文" if v == "zh" else "English")
        keep_lang_in_url()
        st.markdown(f"**{tr('数据来源', 'Data source')}**")
        st.caption(data_source_line(served()))


def data_source_line(srv: Served | None) -> str:
    """``23 份清单 · 构建于 2026-12-07 10:31`` (``远程端点 host · …`` for a remote store)."""
    if srv is None:
        return tr("尚未构建", "not built yet")
    parts = []
    if srv.kind == "remote":
        host = urllib.parse.urlsplit(srv.where).hostname or srv.where
        parts.append(tr(f"远程端点 {md(host)}", f"remote endpoint {md(host)}"))
    n = _list_count(srv)
    if n is not None:
        parts.append(tr(f"{n:,} 份清单", f"{n:,} lists"))
    graph = Path(srv.folder) / built_graph(root_settings()).name if srv.folder else built_graph(root_settings())
    if srv.kind != "remote" and graph.exists():
        parts.append(tr(f"构建于 {_when(_fingerprint(graph)[1])}", f"built {_when(_fingerprint(graph)[1])}"))
    imports = _imports(srv)
    if imports:
        parts.append(tr(f"其中 {imports} 份为构建后导入", f"{imports} imported since the build"))
    if not srv.writable:
        parts.append(tr("只读", "read-only"))
    return " · ".join(parts)


def _list_count(srv: Served) -> int | None:
    """Lists served: the build's statistics (kept up to date by imports), else a query."""
    if srv.folder is not None:
        n = _served_stats(srv)[0]
        if n is not None:
            return n
    try:
        return len(rows("lists", language="zh"))
    except GongkaiError:
        return None


def _imports(srv: Served | None) -> int:
    """Lists imported into the served version since it was built (its statistics keep them)."""
    if srv is None or srv.folder is None:
        return 0
    return _served_stats(srv)[1]


def _served_stats(srv: Served) -> tuple[int | None, int]:
    """Lists served and lists imported, from the statistics of the version served."""
    path = Path(srv.folder or "") / "stats.json"
    try:
        return _list_facts(str(path), _fingerprint(path))
    except OSError:
        return None, 0


@st.cache_data(max_entries=8, show_spinner=False)
def _list_facts(path: str, fingerprint: tuple[int, int]) -> tuple[int | None, int]:  # noqa: ARG001 - the cache key
    """(lists, lists imported since the build) of a statistics file: read once per version, kept small."""
    from gongkai import read_stats

    doc = read_stats(Path(path)) or {}
    n = (doc.get("counts") or {}).get("lists")
    return (n if isinstance(n, int) else None), len(doc.get("imports") or [])


# --- drawing -----------------------------------------------------------------------------

Column = tuple[str, str, str]   # (key in the row, header in Chinese, header in English)


def table(data: Sequence[dict[str, Any]], columns: Iterable[Column], *, key: str | None = None,
          height: int | str = "auto", limit: int = QUERY_ROWS_SHOWN, **kw: Any) -> None:
    """Rows as a sortable table with headers in the chosen language (keys not named are
    left out; ``key_en`` values are used in English). A column whose every value is a whole
    number (``"13"`` as the queries' rows give it) or a decimal is shown as numbers, so that
    it sorts 1, 2, 13 and not 1, 13, 2."""
    import pandas as pd

    if not data:
        st.info(tr("没有结果。", "No results."))
        return
    shown = {}
    for k, zh, en in columns:
        values = numbers([r.get(k) if isinstance(r.get(k), (int, float)) else pick(r, k) for r in data[:limit]])
        whole = all(v is None or (isinstance(v, int) and not isinstance(v, bool)) for v in values)
        shown[en if lang() == "en" else zh] = pd.array(values, dtype="Int64") if whole else values
    st.dataframe(pd.DataFrame(shown), hide_index=True, width="stretch", height=height, key=key, **kw)
    if len(data) > limit:
        st.caption(tr(f"只显示前 {limit:,} 行，共 {len(data):,} 行；下载可得全部。",
                      f"Showing the first {limit:,} of {len(data):,} rows; downloads have them all."))


_WHOLE = re.compile(r"-?(?:0|[1-9][0-9]*)")
_DECIMAL = re.compile(r"-?(?:0|[1-9][0-9]*)\.[0-9]+")


def _number_kind(value: Any) -> type | None:
    """int or float when ``value`` is, or is written as, such a number (not a yes/no)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return type(value)
    if isinstance(value, str):
        return int if _WHOLE.fullmatch(value) else float if _DECIMAL.fullmatch(value) else None
    return None


def numbers(column: list[Any]) -> list[Any]:
    """The values of a column as numbers when every one that is not empty is written as one
    (``"13"``, ``"-2"``, ``"1.5"``; not ``"007"``): empty ones become None. Otherwise as they are."""
    kinds = {_number_kind(v) for v in column if v not in (None, "")}
    if not kinds or None in kinds:
        return column
    kind = int if kinds == {int} else float
    return [None if v in (None, "") else kind(v) for v in column]


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
        st.error(said(e))
        return
    line, col = where
    st.error(tr(f"SPARQL 语法错误：第 {line} 行，第 {col} 列。", f"SPARQL syntax error: line {line}, column {col}.")
             + f"\n\n{said(e)}")
    lines = text.splitlines() or [""]
    if 1 <= line <= len(lines):
        start = max(1, line - 2)
        shown = [f"{n:>4} | {lines[n - 1]}" for n in range(start, line + 1)]
        shown.append("     | " + " " * max(0, col - 1) + "^")
        st.code("\n".join(shown), language=None)


def problem(e: Exception) -> None:
    """A user-facing error (the package's errors say which file, row and cell), in the chosen language."""
    st.error(said(e))


# --- Streamlit's own words --------------------------------------------------------------------

def select_all() -> bool | int:
    """A multiselect's ``select_all``: its "Select all" entry cannot be translated, so in Chinese
    there is none (Streamlit's default, up to 1,000 options, in English)."""
    return 1000 if lang() == "en" else False


def file_uploader_in_chinese(limit_mb: int) -> None:
    """Streamlit's file uploader says "Upload" (or "Browse files"), "Drag and drop file here" and
    "… per file • XLSX, …" in English, and has no option to change them: in Chinese, its words
    are hidden and Chinese ones drawn in their place (CSS), the label and help above it saying
    the rest."""
    if lang() != "zh":
        return
    st.html("""<style>
[data-testid="stFileUploaderDropzoneInstructions"] > div > span,
[data-testid="stFileUploaderDropzoneInstructions"] > div > small { display: none; }
[data-testid="stFileUploaderDropzoneInstructions"] > div::after {
  content: "把文件拖放到这里 · 每个文件不超过 LIMIT MB"; font-size: 0.85em; opacity: 0.7; }
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p { display: none; }
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"]::after { content: "选择文件"; }
</style>""".replace("LIMIT", str(int(limit_mb))))


# --- the publisher (publisher.toml beside the build folder) -------------------------------------

DEFAULT_TITLE = "gongkai 公开"


@st.cache_data(max_entries=4, show_spinner=False)
def _publisher(path: str, fingerprint: tuple[int, int] | None) -> Any:  # noqa: ARG001 - the cache key
    from gongkai import load_publisher

    return load_publisher(root_settings())


def publisher() -> Any:
    """The publisher's settings (``gongkai.publish.publisher.Publisher``: title, description,
    licence, contact), read again when the file changes; empty when there is none or it
    cannot be read (the export page, which edits it, says why)."""
    from gongkai import Publisher, publisher_path

    path = publisher_path(root_settings())
    try:
        return _publisher(str(path), _fingerprint(path) if path.exists() else None)
    except (GongkaiError, OSError):
        return Publisher()


def app_title() -> str:
    """The publisher's title in the chosen language when one is set, else the app's own."""
    return publisher().title_in(lang(), DEFAULT_TITLE)
