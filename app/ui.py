"""Shared UI helpers: the language switch, the cached store, labels in zh and en."""

from __future__ import annotations

import os
from pathlib import Path

import streamlit as st

from gongkai.service import built_graph, library, open_store, run_query, label_rows
from gongkai.settings import Settings

TEXT = {
    "section_browse": ("浏览", "Browse"),
    "page_lists": ("清单与事项", "Lists and items"),
    "lang": ("语言 / Language", "Language / 语言"),
    "store": ("数据存储", "Store"),
    "build": ("构建文件", "Build"),
    "lists_title": ("政务公开清单", "Disclosure lists"),
    "no_build": ("尚未构建知识图谱：请先运行 `gongkai build`。", "No knowledge graph yet: run `gongkai build` first."),
    "pick_list": ("选择清单", "Choose a list"),
    "items_title": ("公开事项", "Disclosure items"),
    "col_bureau": ("责任单位", "Bureau"),
    "col_date": ("日期", "Date"),
    "col_title": ("标题", "Title"),
    "col_items": ("事项数", "Items"),
    "col_file": ("源文件", "Source file"),
    "col_number": ("序号", "No."),
    "col_level1": ("一级事项", "Level 1"),
    "col_level2": ("二级事项", "Level 2"),
    "col_content": ("公开内容", "Content"),
    "col_timeLimit": ("公开时限", "Time limit"),
    "col_channels": ("公开渠道", "Channels"),
}


def lang() -> str:
    return st.session_state.get("lang", "zh")


def t(key: str) -> str:
    zh, en = TEXT[key]
    return zh if lang() == "zh" else en


def settings() -> Settings:
    build_dir = os.environ.get("GONGKAI_BUILD")
    return Settings(build_dir=Path(build_dir) if build_dir else None)


@st.cache_resource(show_spinner=False)
def store_for(build_path: str, mtime: float):
    """One store per build file version (reloaded when the build changes)."""
    return open_store(settings())


def get_store():
    path = built_graph(settings())
    if not path.exists():
        return None
    return store_for(str(path), path.stat().st_mtime)


@st.cache_data(max_entries=256, show_spinner=False)
def cached_query(build_path: str, mtime: float, name: str, params: tuple[tuple[str, str], ...]) -> list[dict[str, str]]:
    q = library(settings()).get(name)
    return label_rows(run_query(get_store(), q, dict(params)))


def query(name: str, **params: str) -> list[dict[str, str]]:
    path = built_graph(settings())
    return cached_query(str(path), path.stat().st_mtime, name, tuple(sorted(params.items())))


def sidebar() -> None:
    with st.sidebar:
        choice = st.radio(TEXT["lang"][0], ["中文", "English"], index=0 if lang() == "zh" else 1,
                          horizontal=True, key="lang_radio")
        st.session_state["lang"] = "zh" if choice == "中文" else "en"
        path = built_graph(settings())
        st.caption(f"{t('store')}: embedded (pyoxigraph)")
        st.caption(f"{t('build')}: `{path}`" + (f" · {len(get_store())} triples" if path.exists() else ""))
