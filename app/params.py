"""A form field for each parameter of a library query, built from its header.

The parameter's name and type (grlc/BASIL: ``?_source_iri``, ``?__since_xsd_date``) say
what to offer: a legal source, a list, a bureau or an item is chosen by its label from
the graph or the authority data; a concept from the SKOS vocabularies
(``ontology/vocab``) when the parameter is named after a scheme; a date picker for
``xsd:date``; a number for ``xsd:integer``; a text box otherwise. The header's
``defaults`` pre-select a value. Adding a query needs no code here.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import streamlit as st

from gongkai import IRIs, Vocabularies
from gongkai.query.library import Param
from picker import choose_item, choose_list, narrowed
from ui import lang, rows, settings, tr

ANY = "\u2014"  # the choice meaning "not set" for an optional parameter


def _label(p: Param) -> str:
    """The parameter's name in words (the query header's ``param-labels``), whether it may be left
    out, and how a date or a number is written."""
    notes = [] if p.required else [tr("可选", "optional")]
    if p.kind == "xsd:date":
        notes.append(tr("格式 YYYY-MM-DD", "YYYY-MM-DD"))
    elif p.kind in ("xsd:integer", "xsd:int"):
        notes.append(tr("整数", "a whole number"))
    label = p.label(lang())
    return label + (tr(f"（{'，'.join(notes)}）", f" ({', '.join(notes)})") if notes else "")


@st.cache_resource(show_spinner=False, max_entries=2)
def _vocabularies(folder: str) -> Vocabularies:  # noqa: ARG001 - the cache key
    return Vocabularies.from_dir(settings().ontology_dir / "vocab")


@st.cache_resource(show_spinner=False, max_entries=2)
def _legal_options(folder: str) -> list[tuple[str, str]]:  # noqa: ARG001 - the cache key
    """(IRI, label) of every version in the authority data, works' latest title first."""
    from gongkai import registry

    reg = registry(settings())
    if reg is None:
        return []
    iris = IRIs(settings().base)
    out = []
    for src in reg:
        label = (f"《{src.title}》" + (f"（{src.year}）" if src.year else "")
                 + (f" {src.doc_number}" if src.doc_number else ""))
        out.append((str(reg.iri(src, iris)), label))
    return sorted(out, key=lambda o: o[1])


def _select(p: Param, options: list[tuple[str, str]], key: str) -> str | None:
    """A drop-down of (value, label); the default first when it is one of them."""
    if p.default and p.default not in {v for v, _ in options}:
        options = [(p.default, p.default), *options]
    options = narrowed(options, lambda o: o[1], key)
    if not p.required:
        options = [("", ANY), *options]
    index = next((i for i, (v, _) in enumerate(options) if v == p.default), 0)
    labels = dict(options)
    value = st.selectbox(_label(p), [v for v, _ in options], index=index, key=key, format_func=labels.__getitem__)
    return value or None


def _scheme(p: Param) -> str | None:
    vocab = _vocabularies(str(settings().ontology_dir))
    for name in (p.name, p.name.replace("_", "-")):
        if name in vocab.schemes:
            return name
    return None


def param_value(p: Param, key: str) -> Any:
    """The widget for ``p``; returns its value as text (None or "" when not set)."""
    if p.kind == "iri":
        if p.name == "source":
            return _select(p, _legal_options(str(settings().authorities_dir)), key)
        if p.name == "list":
            return _select(p, [(r["list"], f"{r['bureau']} · {r.get('date') or '—'}") for r in rows("lists")], key)
        if p.name == "bureau":
            return _select(p, [(r["bureauIri"], r["bureau"]) for r in rows("bureaus")], key)
        if p.name == "item":
            st.markdown(f"**{_label(p)}**")
            lst = choose_list(rows("lists"), key=key, default_iri=(p.default or "").rsplit("/item/", 1)[0])
            if lst is None:
                return None
            return choose_item(rows("items_of_list", list=lst["list"]), lst["list"], key=key)
        scheme = _scheme(p)
        if scheme is not None:
            sch = _vocabularies(str(settings().ontology_dir)).schemes[scheme]
            options = sorted(((str(c), labels.get(lang()) or labels.get("zh") or str(c))
                              for c, labels in sch.pref.items()), key=lambda o: o[1])
            return _select(p, options, key)
        return st.text_input(_label(p), value=p.default or "", key=key, placeholder="https://…")
    if p.kind == "literal" and p.name == "bureau":
        return _select(p, [(r["bureau"], r["bureau"]) for r in rows("bureaus", language="zh")], key)
    if p.kind == "xsd:date":
        if not p.required and not st.checkbox(tr(f"指定{p.label('zh')}", f"Give the {p.label('en')}"),
                                               key=f"{key}_on"):
            return None
        default = dt.date.fromisoformat(p.default) if p.default else dt.date.today()
        return st.date_input(_label(p), value=default, key=key, format="YYYY-MM-DD").isoformat()
    if p.kind in ("xsd:integer", "xsd:int"):
        if p.required:
            return str(int(st.number_input(_label(p), value=int(p.default or 1), step=1, key=key)))
        return st.text_input(_label(p), value=p.default or "", key=key).strip()
    return st.text_input(_label(p), value=p.default or "", key=key)
