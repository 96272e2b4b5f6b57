"""The SPARQL screen's editor, and what brings a query back: a link, the history, saved queries.

- **The editor** is ``streamlit-code-editor`` (Ace, its JavaScript in the installed package:
  nothing is loaded from elsewhere): SPARQL highlighting, line numbers, completion of the
  graph's prefixes and of the ontology's classes and properties (``gongkai.query.completion``),
  Ctrl+Enter (or its Run button) runs the query. A plain text box stands in for it on request
  (``sparql_plain``), and where the component is not installed.
- **What the editor shows** is a *seed*: the text put into it (the library query on screen, a
  query reopened, the text once prefixes were added). A new seed is a new editor (its key has
  a counter), so that it shows exactly that text; what the person then types comes back as the
  editor's value.
- **A link** reopens a query: ``?q=<library id>&p.<name>=<value>`` for a library query with its
  parameters, ``?text=<SPARQL>`` for a query of one's own. The address bar shows the link of
  the query last run.
- **History and saved queries** are kept in ``<build folder>/app-state/sparql-queries.json``
  (outside the build's versions: a rebuild keeps them), for everyone who uses this app; when
  that folder cannot be written they last as long as the browser's session.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import streamlit as st

from gongkai import GongkaiError
from gongkai.query.completion import ontology_words
from gongkai.query.library import Library, LibraryQuery
from gongkai.query.prefixes import PrefixUse
from gongkai.store.sparql_text import bind_values, substitute
from mdtext import md
from ui import lang, root_settings, settings, tr

try:  # the editor component (gongkai[app]); a text box without it
    from code_editor import code_editor
except ImportError:  # pragma: no cover - installed with the app's extras
    code_editor = None

HISTORY_KEPT = 30
_PROLOGUE = re.compile(r"\s*(#|PREFIX\s|BASE\s)", re.IGNORECASE)
STATE_FILE = Path("app-state") / "sparql-queries.json"
Entry = dict[str, Any]   # {"mode": "library"|"free", "query": id, "params": {name: value}, "text": str}


# --- the editor ------------------------------------------------------------------------------

@st.cache_resource(show_spinner=False, max_entries=2)
def _words(folder: str) -> list[Any]:  # noqa: ARG001 - the cache key
    return ontology_words(settings())


def completions(language: str) -> list[dict[str, Any]]:
    """Ace's completion items: the prefixes (their namespace shown beside them), then classes
    and properties with their label."""
    kinds = {"prefix": tr("前缀", "prefix"), "class": tr("类", "class"), "property": tr("属性", "property"),
             "datatype": tr("数据类型", "datatype"), "term": tr("术语", "term")}
    out = []
    for w in _words(str(settings().ontology_dir)):
        label = w.label(language)
        meta = kinds[w.kind] if w.kind == "prefix" or not label else f"{label} · {kinds[w.kind]}"
        out.append({"caption": w.name, "value": w.name, "meta": meta, "name": w.name,
                    "score": 1000 if w.kind == "prefix" else 500})
    return out


# Ace completes the word before the cursor, and to Ace a word has no colon: with "gk:DisclosureL"
# typed it would put "gk:DisclosureList" in place of "DisclosureL" alone. This script (in the
# page: the editor's frame comes from the same server) makes the completers read prefixed
# names as one word. Without it completion still works from the prefix's first letter on.
_PREFIXED_NAMES_COMPLETE = """<script>
if (!window.gongkaiPrefixedNames) {
  window.gongkaiPrefixedNames = setInterval(function () {
    var word = /[A-Za-z0-9_:$\\-\\u00A2-\\u2000\\u2070-\\uFFFF]/;
    document.querySelectorAll('iframe[title="code_editor.code_editor"]').forEach(function (frame) {
      try {
        var el = frame.contentDocument && frame.contentDocument.getElementById("REACT_ACE_EDITOR");
        var completers = el && el.env && el.env.editor && el.env.editor.completers;
        (completers || []).forEach(function (c) { if (!c.identifierRegexps) { c.identifierRegexps = [word]; } });
      } catch (e) { /* not this frame */ }
    });
  }, 500);
}
</script>"""


def seed(text: str) -> None:
    """Put ``text`` into the editor (and the plain text box) the next time they are drawn."""
    st.session_state["sparql_seed"] = text
    st.session_state["sparql_seed_n"] = st.session_state.get("sparql_seed_n", 0) + 1
    st.session_state["sparql_text_next"] = text


def _plain_changed() -> None:
    """Switching between the editor and the text box keeps the text."""
    if st.session_state.get("sparql_plain"):
        st.session_state["sparql_text_next"] = st.session_state.get("sparql_current", "")
    else:
        seed(st.session_state.get("sparql_text", ""))


def editor(default: str) -> tuple[str, bool]:
    """The query text being written, and whether it is to run now (Ctrl+Enter, Run)."""
    if "sparql_seed" not in st.session_state:
        seed(default)
    if "sparql_text_next" in st.session_state:  # the text box's value can only be set before it is drawn
        st.session_state["sparql_text"] = st.session_state.pop("sparql_text_next")
    plain = code_editor is None or st.toggle(
        tr("纯文本框（无高亮、补全）", "Plain text box (no highlighting, no completion)"), key="sparql_plain",
        on_change=_plain_changed)
    if plain:
        text = st.text_area(tr("SPARQL（只读：SELECT、ASK、CONSTRUCT、DESCRIBE）",
                               "SPARQL (read-only: SELECT, ASK, CONSTRUCT, DESCRIBE)"), height=260, key="sparql_text")
        run = st.button(tr("运行", "Run"), type="primary", icon=":material/play_arrow:", key="sparql_run")
        st.session_state["sparql_current"] = text
        return text, run
    st.caption(tr("SPARQL（只读：SELECT、ASK、CONSTRUCT、DESCRIBE）。输入时提示前缀、类和属性；Ctrl+Enter 运行。"
                  "漏写的常用前缀（gk:、dcterms: …）会自动补上。",
                  "SPARQL (read-only: SELECT, ASK, CONSTRUCT, DESCRIBE). Prefixes, classes and properties are "
                  "offered as you type; Ctrl+Enter runs the query. Common prefixes left out (gk:, dcterms: …) are "
                  "added."))
    start = st.session_state["sparql_seed"]
    button = {"name": tr("运行 (Ctrl+Enter)", "Run (Ctrl+Enter)"), "feather": "Play", "primary": True,
              "hasText": True, "showWithIcon": True, "alwaysOn": True, "commands": ["submit"],
              "style": {"bottom": "0.5rem", "right": "0.5rem"}}
    resp = code_editor(
        start, lang="sparql", height=[14, 30], key=f"sparql_editor_{st.session_state['sparql_seed_n']}",
        response_mode="debounce", completions=completions(lang()), buttons=[button],
        # an Ace theme from the package: the component's own themes fetch a web font from elsewhere
        props={"theme": "chrome", "debounceChangePeriod": 400, "placeholder": "SELECT …"},
        options={"showLineNumbers": True, "fontFamily": "monospace", "wrap": True, "tabSize": 2},
    )
    st.html(_PREFIXED_NAMES_COMPLETE, unsafe_allow_javascript=True)
    text = resp["text"] if resp and resp.get("id") else start
    run = bool(resp and resp.get("type") == "submit" and resp.get("id") != st.session_state.get("sparql_ran_id"))
    if run:
        st.session_state["sparql_ran_id"] = resp["id"]
    st.session_state["sparql_current"] = text
    return text, run


def on_screen(q: LibraryQuery, params: dict[str, str]) -> str:
    """A library query as it runs, to write one's own from: its parameters' values written in
    (a VALUES block where a constant cannot stand), its header left out."""
    text = "".join(line for line in q.text.splitlines(keepends=True) if not line.startswith("#+")).lstrip("\n")
    try:
        bindings = q.bind(params)
        if bindings:
            text, rest = substitute(text, bindings)
            text = bind_values(text, rest)
    except GongkaiError:
        pass  # a value that does not fit: the text with its parameters unbound
    return text


def show_unknown_prefix(use: PrefixUse, text: str) -> None:
    """An undeclared prefix gongkai does not know: where it is, and what to add."""
    name, code = md(use.shown), use.shown  # a prefix has no backquote: as it is in code
    st.error(tr(f"未知前缀 {name}（第 {use.line} 行，第 {use.column} 列），请添加 `PREFIX {code} <…>`",
                f"Unknown prefix {name} (line {use.line}, column {use.column}): add `PREFIX {code} <…>`"))
    lines = text.splitlines() or [""]
    if 1 <= use.line <= len(lines):
        shown = [f"{n:>4} | {lines[n - 1]}" for n in range(max(1, use.line - 2), use.line + 1)]
        shown.append("     | " + " " * (use.column - 1) + "^" * max(1, len(use.shown)))
        st.code("\n".join(shown), language=None)


# --- links -----------------------------------------------------------------------------------

def entry_of(mode: str, chosen: LibraryQuery | None, params: dict[str, str], text: str) -> Entry:
    if mode == "library" and chosen is not None:
        return {"mode": "library", "query": chosen.id, "params": dict(params), "text": ""}
    return {"mode": "free", "query": None, "params": {}, "text": text}


def _link_params(entry: Entry) -> dict[str, str]:
    if entry["mode"] == "library":
        return {"q": entry["query"], **{f"p.{k}": str(v) for k, v in entry["params"].items()}}
    return {"text": entry["text"]}


def _mine(key: str) -> bool:
    return key in ("q", "text") or key.startswith("p.")


def link_url(entry: Entry) -> str:
    """The address that reopens ``entry`` on this screen."""
    base = (st.context.url or "").split("?", 1)[0]
    return f"{base}?{urlencode(_link_params(entry))}"


def show_in_address_bar(entry: Entry) -> None:
    """The address bar shows the link of ``entry`` (other parameters, such as the language, kept)."""
    wanted = _link_params(entry)
    for k in [k for k in st.query_params if _mine(k) and k not in wanted]:
        del st.query_params[k]
    for k, v in wanted.items():
        if st.query_params.get(k) != v:
            st.query_params[k] = v
    st.session_state["sparql_link_seen"] = _signature(wanted)


def _signature(params: dict[str, str]) -> str:
    return json.dumps(sorted(params.items()), ensure_ascii=False)


def open_link(lib: Library) -> None:
    """The query the address names, once per address: a library query with its parameters
    chosen, or a text in the editor."""
    mine = {k: st.query_params[k] for k in st.query_params if _mine(k)}
    if not mine or st.session_state.get("sparql_link_seen") == _signature(mine):
        return
    st.session_state["sparql_link_seen"] = _signature(mine)
    if mine.get("q") in lib.queries:
        open_entry({"mode": "library", "query": mine["q"], "text": "",
                    "params": {k[2:]: v for k, v in mine.items() if k.startswith("p.")}}, lib)
    elif mine.get("text"):
        open_entry({"mode": "free", "query": None, "params": {}, "text": mine["text"]}, lib)


def open_entry(entry: Entry, lib: Library) -> None:
    """Show ``entry`` on the screen: call before its widgets are drawn (or from a callback)."""
    st.session_state.pop("sparql_result", None)
    if entry["mode"] == "library" and entry.get("query") in lib.queries:
        qid = entry["query"]
        st.session_state["sparql_mode"] = "library"
        st.session_state["sparql_query"] = qid
        st.session_state["sparql_link_params"] = {qid: dict(entry.get("params") or {})}
        for p in lib.get(qid).params:  # the widgets start again from the link's values
            key = f"sparql_p_{qid}_{p.name}"
            for k in (key, f"{key}_on", f"{key}_filter"):
                st.session_state.pop(k, None)
            if p.name in (entry.get("params") or {}) and p.kind == "xsd:date" and not p.required:
                st.session_state[f"{key}_on"] = True
    else:
        st.session_state["sparql_mode"] = "free"
        seed(entry.get("text") or "")


def link_defaults(qid: str) -> dict[str, str]:
    """The parameter values a link or a reopened query gave this library query."""
    return (st.session_state.get("sparql_link_params") or {}).get(qid, {})


# --- history and saved queries -----------------------------------------------------------------

def _state_path() -> Path:
    return root_settings().out_dir / STATE_FILE


def _read() -> dict[str, list[Entry]]:
    kept = st.session_state.get("sparql_kept")
    if kept is not None:
        return kept
    try:
        doc = json.loads(_state_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        doc = {}
    kept = {"saved": list(doc.get("saved") or []), "history": list(doc.get("history") or [])}
    st.session_state["sparql_kept"] = kept
    return kept


def _write(kept: dict[str, list[Entry]]) -> bool:
    st.session_state["sparql_kept"] = kept
    try:
        path = _state_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(kept, ensure_ascii=False, indent=1), encoding="utf-8")
        tmp.replace(path)  # whole or not at all, for a reader at the same time
        return True
    except OSError:
        return False  # a read-only build folder: kept for this session only


def _same(a: Entry, b: Entry) -> bool:
    return all(a.get(k) == b.get(k) for k in ("mode", "query", "params", "text"))


def remember(entry: Entry) -> None:
    """A query run goes first in the history (once)."""
    kept = _read()
    when = dt.datetime.now().isoformat(timespec="seconds")
    history = [{**entry, "at": when}, *(h for h in kept["history"] if not _same(h, entry))]
    _write({**kept, "history": history[:HISTORY_KEPT]})


def _title(entry: Entry, lib: Library) -> str:
    if entry.get("name"):
        return str(entry["name"])
    if entry["mode"] == "library" and entry.get("query") in lib.queries:
        q = lib.get(entry["query"])
        values = "，".join(f"{k}={v}" for k, v in (entry.get("params") or {}).items())
        return f"{q.summary_en if lang() == 'en' else q.summary_zh}" + (f"（{values}）" if values else "")
    body = [line for line in (entry.get("text") or "").splitlines()  # without its prologue and comments
            if line.strip() and not _PROLOGUE.match(line)]
    first = " ".join(" ".join(body).split())
    return first[:80] + ("…" if len(first) > 80 else "")


def _reopen(entry: Entry, lib: Library) -> None:
    open_entry(entry, lib)
    show_in_address_bar(entry)


def _save(entry: Entry) -> None:
    name = (st.session_state.get("sparql_save_name") or "").strip()
    if not name:
        st.session_state["sparql_save_note"] = ("warning", tr("请先填写名称。", "Give it a name first."))
        return
    kept = _read()
    saved = [{**entry, "name": name, "at": dt.datetime.now().isoformat(timespec="seconds")},
             *(s for s in kept["saved"] if s.get("name") != name)]
    ok = _write({**kept, "saved": saved})
    st.session_state["sparql_save_name"] = ""
    st.session_state["sparql_save_note"] = (
        "success", tr(f"已保存：{name}", f"Saved: {name}") if ok else
        tr(f"已保存：{name}（数据文件夹不可写，只在本次会话中保留）",
           f"Saved: {name} (the data folder cannot be written: kept for this session only)"))


def _forget(name: str) -> None:
    kept = _read()
    _write({**kept, "saved": [s for s in kept["saved"] if s.get("name") != name]})


def kept_queries(current: Entry, lib: Library) -> None:
    """The link to the query on screen, the saved queries and the history."""
    with st.expander(tr("链接、已保存的查询与历史", "Link, saved queries and history")):
        st.caption(tr("打开此链接即可重新打开当前查询（含参数）：", "This link reopens the query on screen, "
                      "with its parameters:"))
        st.code(link_url(current), language=None, wrap_lines=True)
        cols = st.columns([3, 1])
        cols[0].text_input(tr("名称", "Name"), key="sparql_save_name", label_visibility="collapsed",
                           placeholder=tr("给当前查询起个名字", "A name for the query on screen"))
        cols[1].button(tr("保存", "Save"), key="sparql_save", icon=":material/bookmark_add:", on_click=_save,
                       args=(current,), width="stretch")
        note = st.session_state.pop("sparql_save_note", None)
        if note:
            getattr(st, note[0])(md(note[1]))
        kept = _read()
        for title, items, kind in ((tr("已保存", "Saved"), kept["saved"], "saved"),
                                   (tr("最近运行", "Recently run"), kept["history"], "history")):
            if not items:
                continue
            st.markdown(f"**{title}**")
            for i, e in enumerate(items):
                row = st.columns([6, 1, 1] if kind == "saved" else [7, 1])
                if e.get("mode") == "free" and not e.get("name"):
                    row[0].text(_title(e, lib))  # SPARQL as written: no Markdown, no links
                else:
                    row[0].markdown(md(_title(e, lib)))
                if e.get("at"):
                    row[0].caption(str(e["at"]).replace("T", " ")[:16])
                row[1].button(tr("打开", "Open"), key=f"sparql_{kind}_open_{i}", on_click=_reopen, args=(e, lib))
                if kind == "saved":
                    row[2].button(tr("删除", "Delete"), key=f"sparql_saved_del_{i}", on_click=_forget,
                                  args=(e.get("name"),))
