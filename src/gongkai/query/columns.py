"""The columns of a result as people read them: each column's kind (number, date, yes/no …,
from the datatypes of its literals), its values as Python values of that kind, and its
header in a language.

A column's header comes from the query's column contract (``#+ returns:`` entries written
``- count: 事项数 | Items``, see ``gongkai.query.library``), else from the ``rdfs:label`` of
the gongkai property whose local name is the variable's (``?timeLimit`` → gk:timeLimit's
label), else it is the variable's name. Rows and files for scripts (CSV, TSV, JSON) keep the
variable names; tables and spreadsheets for people show the headers.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any

from rdflib import Literal, URIRef

from gongkai.rdf.namespaces import GK, RDFS, XSD
from gongkai.store.base import Result

#: variable → (Chinese header, English header)
Labels = Mapping[str, tuple[str, str]]

_XSD = str(XSD)
_INTEGERS = {"integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
             "negativeInteger", "nonPositiveInteger", "unsignedLong", "unsignedInt", "unsignedShort",
             "unsignedByte"}
_DECIMALS = {"decimal", "double", "float"}
#: the kinds of column, by the datatype of every value in it
KINDS = ("integer", "number", "boolean", "date", "datetime", "year", "text", "iri")
_YEAR = re.compile(r"-?\d{4,}")


def term_kind(term: Any) -> str:
    """The kind of one RDF term: a typed literal's (``integer``, ``number`` …), ``iri`` or ``text``."""
    if isinstance(term, URIRef):
        return "iri"
    if not isinstance(term, Literal) or term.datatype is None:
        return "text"
    datatype = str(term.datatype)
    if not datatype.startswith(_XSD):
        return "text"
    local = datatype[len(_XSD):]
    if local in _INTEGERS:
        return "integer"
    if local in _DECIMALS:
        return "number"
    if local == "boolean":
        return "boolean"
    if local == "date":
        return "date"
    if local == "dateTime":
        return "datetime"
    if local == "gYear":
        return "year"
    return "text"


def convert(term: Any, kind: str) -> Any:
    """``term`` as a Python value of ``kind`` (int, float, bool, date, datetime), or None when its
    text is not of that kind (an ill-typed literal)."""
    text = str(term).strip()
    try:
        if kind in ("integer", "year"):
            return int(text) if kind == "integer" or _YEAR.fullmatch(text) else None
        if kind == "number":
            d = Decimal(text.replace("INF", "Infinity"))
            if not d.is_finite():
                return None
            return int(d) if d == d.to_integral_value() and "e" not in text.lower() else float(d)
        if kind == "boolean":
            return {"true": True, "1": True, "false": False, "0": False}.get(text)
        if kind == "date":
            return dt.date.fromisoformat(text[:10])
        if kind == "datetime":
            return dt.datetime.fromisoformat(text)  # Python 3.11+ reads a final Z
    except (ValueError, InvalidOperation):
        return None
    return text


@dataclass(frozen=True)
class Column:
    """One column shown: ``name`` is its key in rows, CSV and JSON (the variable; for a pair
    ``x``/``x_en`` it is ``x``), read from ``source`` (``x_en`` in English) or ``fallback``."""

    name: str
    source: str
    fallback: str | None
    kind: str
    label_zh: str
    label_en: str

    def label(self, lang: str | None) -> str:
        return self.label_en if lang == "en" else self.label_zh

    @property
    def numeric(self) -> bool:
        return self.kind in ("integer", "number")


def shown_columns(columns: list[str], lang: str | None) -> list[tuple[str, str, str | None]]:
    """(name, column, fallback column) for each column shown in ``lang`` (the ``x_en`` of an
    ``x`` is shown as ``x`` in English and hidden in Chinese)."""
    if lang is None:
        return [(c, c, None) for c in columns]
    have = set(columns)
    out: list[tuple[str, str, str | None]] = []
    for c in columns:
        if c.endswith("_en") and c[:-3] in have:
            continue
        out.append((c, f"{c}_en", c) if lang == "en" and f"{c}_en" in have else (c, c, None))
    return out


def _cell(row: Mapping[str, Any], source: str, fallback: str | None) -> Any:
    term = row.get(source)
    return row.get(fallback) if term is None and fallback is not None else term


def columns_of(result: Result, lang: str | None = None, labels: Labels | None = None) -> list[Column]:
    """The columns shown in ``lang``, each with its kind and headers. A column is of a kind when
    every value in it is (an integer column with a decimal in it is a number column); anything
    mixed, or with a value not of its datatype, is text."""
    labels = labels or {}
    out = []
    for name, source, fallback in shown_columns(result.vars, lang):
        kinds = set()
        for row in result.rows:
            term = _cell(row, source, fallback)
            if term is not None:
                k = term_kind(term)
                kinds.add(k if k in ("text", "iri") or convert(term, k) is not None else "text")
        if kinds == {"integer", "number"}:
            kinds = {"number"}
        kind = kinds.pop() if len(kinds) == 1 else "text"
        zh, en = labels.get(name) or labels.get(source) or (name, name)
        out.append(Column(name, source, fallback, kind, zh, en))
    return out


def typed_rows(result: Result, columns: list[Column]) -> list[dict[str, Any]]:
    """Rows keyed by column name, each value of its column's kind: numbers, yes/no, dates as
    Python values (None where the row has none), text and IRIs as strings ("" where none)."""
    out = []
    for row in result.rows:
        values: dict[str, Any] = {}
        for c in columns:
            term = _cell(row, c.source, c.fallback)
            if c.kind in ("text", "iri"):
                values[c.name] = "" if term is None else str(term)
            else:
                values[c.name] = None if term is None else convert(term, c.kind)
        out.append(values)
    return out


def json_value(value: Any) -> Any:
    """A typed value as JSON writes it: dates as ISO 8601 text, numbers and yes/no as they are."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


# --- headers ---------------------------------------------------------------------------------

def split_label(text: str) -> tuple[str, str]:
    """``事项数 | Items`` → (事项数, Items); one language only: the same in both."""
    zh, _, en = str(text).partition("|")
    return zh.strip(), (en.strip() or zh.strip())


@lru_cache(maxsize=4)
def _property_labels(path: str, stamp: float) -> dict[str, tuple[str, str]]:  # noqa: ARG001 - the cache key
    from rdflib import Graph

    g = Graph()
    g.parse(path, format="turtle")
    found: dict[str, dict[str, str]] = {}
    ns = str(GK)
    for s, label in g.subject_objects(RDFS.label):
        if isinstance(s, URIRef) and str(s).startswith(ns) and isinstance(label, Literal):
            found.setdefault(str(s)[len(ns):], {}).setdefault(label.language or "", str(label))
    out = {}
    for local, by_lang in found.items():
        zh = by_lang.get("zh") or by_lang.get("") or by_lang.get("en")
        en = by_lang.get("en") or by_lang.get("") or zh
        if zh and en:
            out[local] = (zh, en)
    return out


def property_labels(ontology: Path) -> dict[str, tuple[str, str]]:
    """The zh/en ``rdfs:label`` of each term of the gongkai ontology (``ontology/gongkai.ttl``),
    by local name; none when the file cannot be read."""
    try:
        return _property_labels(str(ontology), ontology.stat().st_mtime)
    except (OSError, ValueError, SyntaxError):
        return {}


#: the columns ``run_query`` gives the answer of an ASK, CONSTRUCT or DESCRIBE query
FORM_COLUMNS = {"answer": ("答案", "Answer"), "subject": ("主语", "Subject"), "predicate": ("谓语", "Predicate"),
                "object": ("宾语", "Object")}


def header_labels(declared: Labels | None, variables: list[str], ontology: Path | None) -> dict[str, tuple[str, str]]:
    """Each variable's (zh, en) header: the query's own, else the ontology's label of the
    property named like it (the English ``x_en`` of an ``x`` takes ``x``'s), else for the
    columns of an ASK, CONSTRUCT or DESCRIBE answer, theirs."""
    props = {**FORM_COLUMNS, **(property_labels(ontology) if ontology is not None else {})}
    declared = declared or {}
    out = {}
    for v in variables:
        base = v[:-3] if v.endswith("_en") and v[:-3] in variables else v
        label = declared.get(v) or declared.get(base) or props.get(base)
        if label is not None:
            out[v] = label
    return out
