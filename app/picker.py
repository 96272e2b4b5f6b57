"""Choosing a bureau, a list or an item, at any scale.

A drop-down sends every option to the browser: fine for twenty bureaus, not for ten
thousand. Past ``FILTER_FROM`` options a text box narrows them first (spacing, widths and
traditional characters ignored, as everywhere in gongkai), and at most ``SHOWN`` matches
are offered.
"""

from __future__ import annotations

from typing import Any

import streamlit as st
from rdflib import URIRef

from gongkai import IRIs, match_key
from ui import settings, tr

FILTER_FROM = 200
SHOWN = 300


def narrowed(options: list[Any], label_of, key: str, *, placeholder: str | None = None) -> list[Any]:
    """The options whose label contains the filter text (all of them when there are few)."""
    if len(options) <= FILTER_FROM:
        return options
    text = st.text_input(tr("筛选（输入名称的一部分）", "Filter (part of the name)"), key=f"{key}_filter",
                         placeholder=placeholder)
    want = match_key(text)
    hits = [o for o in options if want in match_key(label_of(o))] if want else options
    if len(hits) > SHOWN:
        st.caption(tr(f"{len(hits):,} 项匹配，显示前 {SHOWN} 项；请输入更多文字。",
                      f"{len(hits):,} match; the first {SHOWN} are offered — type more to narrow them."))
    return hits[:SHOWN]


def list_label(r: dict[str, str]) -> str:
    return f"{r['bureau']} · {r.get('date') or r.get('listDate') or tr('未注明日期', 'undated')}"


def choose_list(lists: list[dict[str, str]], key: str, *, label: str | None = None,
                default_iri: str | None = None) -> dict[str, str] | None:
    """One list (a row of the ``lists`` query), or None when there is none."""
    options = narrowed(lists, list_label, key)
    if not options:
        st.info(tr("没有匹配的清单。", "No list matches."))
        return None
    index = next((i for i, r in enumerate(options) if r["list"] == default_iri), 0)
    labels = [list_label(r) for r in options]  # made now: a format function must not read the session
    i = st.selectbox(label or tr("选择清单", "Choose a list"), range(len(options)), index=index,
                     format_func=labels.__getitem__, key=f"{key}_list")
    return options[i] if i is not None else None


def item_iri(list_iri: str, number: int | str) -> str:
    return str(IRIs(settings().base).item(URIRef(list_iri), int(number)))


def choose_item(items: list[dict[str, str]], list_iri: str, key: str, *, label: str | None = None) -> str | None:
    """The IRI of one item of a list (rows of ``items_of_list``), or None."""
    if not items:
        return None
    labels = [f"{r['number']}. {r.get('level2') or r.get('item') or ''}" for r in items]
    i = st.selectbox(label or tr("选择事项", "Choose an item"), range(len(items)), format_func=labels.__getitem__,
                     key=f"{key}_item")
    return item_iri(list_iri, items[i]["number"]) if i is not None else None


def choose_bureau(bureaus: list[dict[str, str]], key: str, *, label: str | None = None,
                  default: str | None = None) -> dict[str, str] | None:
    """One bureau (a row of the ``bureaus`` query), or None."""
    options = narrowed(bureaus, lambda r: r["bureau"], key)
    if not options:
        st.info(tr("没有匹配的机构。", "No bureau matches."))
        return None
    index = next((i for i, r in enumerate(options) if default in (r["bureau"], r.get("bureauIri"))), 0)
    i = st.selectbox(label or tr("选择机构", "Choose a bureau"), range(len(options)), index=index,
                     format_func=[r["bureau"] for r in options].__getitem__, key=f"{key}_bureau")
    return options[i] if i is not None else None
