"""The query library: one SPARQL question per ``queries/*.rq`` file, with a grlc header.

Header (YAML inside ``#+`` comment lines, grlc's decorator syntax)::

    #+ summary: 依赖某一法规的公开事项 | Items relying on a legal source
    #+ tags:
    #+   - legal
    #+ defaults:
    #+   - source: https://w3id.org/gongkai/legal/...
    #+ enumerate:
    #+   - bureau
    #+ returns:
    #+   - bureau: 部门 | Bureau
    #+   - bureau_en
    #+   - items: 事项数 | Items

``returns`` is the query's column contract: the variables it answers with, in order, each
with its header in Chinese and English (``zh | en``; an ``x_en`` column, the English label
of ``x``, is shown under ``x``'s header and needs none). The short form ``returns: [a, b]``
names the columns without headers.

Parameters follow grlc/BASIL names: ``?_name`` is required, ``?__name`` optional, and a
suffix gives the type: ``?_source_iri`` (an IRI), ``?__since_xsd_date`` (typed literal),
``?_q`` (plain string literal), ``?_lang`` … They are bound as RDF terms, never as raw
text: every backend gets the same (variable → term) bindings, and writes a term into a
query only through ``store.sparql_term``.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from gongkai.errors import QueryError
from gongkai.query.columns import split_label
from gongkai.settings import Settings
from gongkai.store.sparql_text import bind_values

_PARAM = re.compile(r"\?(__?)([A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)*)")
_XSD_TYPES = {"date", "integer", "decimal", "boolean", "string", "dateTime", "gYear", "double", "int"}


#: how a person writes a value of these types
_FORMS = {"date": "YYYY-MM-DD", "dateTime": "YYYY-MM-DDThh:mm:ss", "gYear": "YYYY", "gMonthDay": "--MM-DD",
          "integer": "a whole number", "decimal": "a number", "boolean": "true or false"}
_FORMS_ZH = {"date": "日期（YYYY-MM-DD）", "dateTime": "日期和时间（YYYY-MM-DDThh:mm:ss）", "gYear": "年份（YYYY）",
             "gMonthDay": "月日（--MM-DD）", "integer": "整数", "decimal": "数字", "boolean": "true 或 false"}


@dataclass(frozen=True)
class Param:
    name: str            # the user-facing name: ``source`` for ``?_source_iri``
    variable: str        # the SPARQL variable without ``?``: ``_source_iri``
    kind: str            # "iri", "literal", "xsd:<type>" or "lang:<tag>"
    required: bool
    default: str | None = None
    enumerate: bool = False
    label_zh: str = ""   # how a form names it (the header's ``param-labels``: ``at: 核对日期 | as of``)
    label_en: str = ""

    def label(self, lang: str) -> str:
        """The parameter's label in ``lang`` (the other language's, then its name, when not given)."""
        first, second = (self.label_en, self.label_zh) if lang == "en" else (self.label_zh, self.label_en)
        return first or second or self.name

    def to_term(self, value: str) -> URIRef | Literal:
        """Turn a user's value into a typed RDF term; reject values that are not of the type."""
        if self.kind == "iri":
            v = value.strip()
            if not re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]*", v):
                raise QueryError(f"parameter {self.name!r} expects an IRI, got {value!r}",
                                 zh=f"参数“{self.label('zh')}”需要一个 IRI，得到的是“{value}”", code="param")
            return URIRef(v)
        if self.kind.startswith("xsd:"):
            dt: URIRef = XSD[self.kind[4:]]
            # rdflib logs a traceback when it cannot convert a lexical form: not for users
            logging.getLogger("rdflib.term").disabled = True
            try:
                lit = Literal(value, datatype=dt)
            finally:
                logging.getLogger("rdflib.term").disabled = False
            if lit.ill_typed:
                form = _FORMS.get(self.kind[4:])
                form_zh = _FORMS_ZH.get(self.kind[4:], self.kind)
                raise QueryError(f"parameter {self.name!r} expects an xsd:{self.kind[4:]}"
                                 f"{f' ({form})' if form else ''}, got {value!r}",
                                 zh=f"参数“{self.label('zh')}”需要{form_zh}，得到的是“{value}”", code="param")
            return lit
        if self.kind.startswith("lang:"):
            return Literal(value, lang=self.kind[5:])
        return Literal(value)


@dataclass
class LibraryQuery:
    id: str
    path: Path
    text: str
    summary: str = ""
    description: str = ""
    tags: list[str] = field(default_factory=list)
    params: list[Param] = field(default_factory=list)
    method: str = "GET"
    # the columns code relies on, in order (``#+ returns:``): the query's contract with its callers
    returns: list[str] = field(default_factory=list)
    # each returned column's header (``- count: 事项数 | Items``): variable → (zh, en)
    labels: dict[str, tuple[str, str]] = field(default_factory=dict)

    @property
    def summary_zh(self) -> str:
        return self.summary.split("|")[0].strip()

    @property
    def summary_en(self) -> str:
        parts = self.summary.split("|")
        return (parts[1] if len(parts) > 1 else parts[0]).strip()

    @property
    def query_type(self) -> str:
        body = re.sub(r"(?m)^\s*(#.*|PREFIX\s.*|BASE\s.*)$", "", self.text)
        m = re.search(r"\b(SELECT|CONSTRUCT|ASK|DESCRIBE|INSERT|DELETE|LOAD|CLEAR|DROP|CREATE)\b", body, re.IGNORECASE)
        return m.group(1).upper() if m else "SELECT"

    def bind(self, values: dict[str, str]) -> dict[str, URIRef | Literal]:
        """Check and type the user's values: {variable (no ``?``): RDF term}."""
        known = {p.name: p for p in self.params}
        unknown = set(values) - set(known)
        if unknown:
            raise QueryError(f"query {self.id!r} has no parameter {', '.join(sorted(unknown))}; "
                             f"its parameters: {', '.join(known) or 'none'}")
        out: dict[str, URIRef | Literal] = {}
        for p in self.params:
            v = values.get(p.name, p.default)
            if v is None or v == "":
                if p.required:
                    raise QueryError(f"query {self.id!r} needs --param {p.name}=… ({p.kind})",
                                     zh=f"查询 {self.id} 需要参数 --param {p.name}=…（{p.kind}）",
                                     app_en=f"fill in “{p.label('en')}”: the query needs it",
                                     app_zh=f"请填写“{p.label('zh')}”：这个查询需要它", code="param-missing")
                continue
            out[p.variable] = p.to_term(v)
        return out

    def missing(self, values: dict[str, str]) -> list[Param]:
        """The required parameters ``values`` does not give (their defaults are examples,
        not answers to a question nobody asked)."""
        return [p for p in self.params if p.required and not values.get(p.name, "").strip()]


_LANGS = {"zh", "en"}


def split_param(rest: str) -> tuple[str, str]:
    """``source_iri`` → (source, iri); ``since_xsd_date`` → (since, xsd:date); ``q`` → (q, literal)."""
    m = re.fullmatch(r"(.+?)_xsd_([A-Za-z]+)", rest)
    if m and m.group(2) in _XSD_TYPES:
        return m.group(1), f"xsd:{m.group(2)}"
    if rest.endswith("_iri") and len(rest) > 4:
        return rest[:-4], "iri"
    m = re.fullmatch(r"(.+)_([a-z]{2})", rest)
    if m and m.group(2) in _LANGS:
        return m.group(1), f"lang:{m.group(2)}"
    return rest, "literal"


_SCALAR_KEYS = ("summary", "description", "title", "method", "endpoint")
_SCALAR_LINE = re.compile(rf"^({'|'.join(_SCALAR_KEYS)}):[ \t]+(.*\S)[ \t]*$")


def _quote_scalar(line: str) -> str:
    """Quote a one-line summary or description, so that a ``: `` or `` #`` inside its text
    (``例如: …``, ``— bureau: …``) stays text instead of breaking the YAML."""
    m = _SCALAR_LINE.match(line)
    if not m or m.group(2)[0] in "\"'|>":
        return line
    return f"{m.group(1)}: {json.dumps(m.group(2), ensure_ascii=False)}"


def parse_header(text: str) -> dict:
    lines = [ln[2:] for ln in text.splitlines() if ln.startswith("#+")]
    if not lines:
        return {}
    # grlc writes "#+ key: value": drop the one space after "#+" on every line consistently
    body = "\n".join(_quote_scalar(ln.removeprefix(" ")) for ln in lines)
    try:
        data = yaml.safe_load(body) or {}
    except yaml.YAMLError as e:
        raise QueryError(f"bad query header: {e}") from None
    return data if isinstance(data, dict) else {}


def params_of(text: str, header: dict) -> list[Param]:
    defaults: dict[str, str] = {}
    for d in header.get("defaults") or []:
        if isinstance(d, dict):
            defaults.update({str(k): str(v) for k, v in d.items()})
    enum = {str(e) for e in header.get("enumerate") or []}
    given = header.get("param-labels")
    labels: dict = given if isinstance(given, dict) else {}
    body = "\n".join(ln for ln in text.splitlines() if not ln.lstrip().startswith("#"))
    seen: dict[str, Param] = {}
    for m in _PARAM.finditer(body):
        underscores, rest = m.groups()
        var = underscores + rest
        if var in seen:
            continue
        name, kind = split_param(rest)
        zh, _, en = str(labels.get(name) or "").partition(" | ")
        seen[var] = Param(name=name, variable=var, kind=kind, required=underscores == "_",
                          default=defaults.get(name), enumerate=name in enum, label_zh=zh.strip(), label_en=en.strip())
    return list(seen.values())


def returns_of(header: dict) -> tuple[list[str], dict[str, tuple[str, str]]]:
    """The columns ``#+ returns:`` names, in order, and the headers it gives them."""
    entries = header.get("returns") or []
    if not isinstance(entries, list):
        raise QueryError("returns: a list of columns (- name or - name: 中文 | English)")
    columns: list[str] = []
    labels: dict[str, tuple[str, str]] = {}
    for entry in entries:
        if isinstance(entry, dict):
            if len(entry) != 1:
                raise QueryError(f"returns: one column per entry (- name: 中文 | English), not {entry!r}")
            ((name, label),) = entry.items()
            if label is not None:
                labels[str(name)] = split_label(str(label))
            columns.append(str(name))
        else:
            columns.append(str(entry))
    return columns, labels


def load_query(path: Path) -> LibraryQuery:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise QueryError(f"{path}: cannot read: {e.strerror or e}") from None
    try:
        header = parse_header(text)
    except QueryError as e:
        raise QueryError(f"{path}: {e}") from None
    tags = header.get("tags") or []
    try:
        returns, labels = returns_of(header)
    except QueryError as e:
        raise QueryError(f"{path}: {e}") from None
    return LibraryQuery(
        id=path.stem, path=path, text=text,
        summary=str(header.get("summary", "")), description=str(header.get("description", "")),
        tags=[str(t) for t in tags] if isinstance(tags, list) else [str(tags)],
        params=params_of(text, header), method=str(header.get("method", "GET")),
        returns=returns, labels=labels,
    )


class Library:
    def __init__(self, folder: Path):
        self.folder = folder
        self.queries = {p.stem: load_query(p) for p in sorted(folder.glob("*.rq"))}

    def __iter__(self):
        return iter(self.queries.values())

    def __len__(self) -> int:
        return len(self.queries)

    def get(self, name_or_path: str) -> LibraryQuery:
        if name_or_path in self.queries:
            return self.queries[name_or_path]
        p = Path(name_or_path)
        if p.suffix == ".rq" and p.exists():
            return load_query(p)
        close = [q for q in self.queries if name_or_path.lower() in q.lower()]
        hint = f"; did you mean {', '.join(close[:5])}?" if close else "; `gongkai queries` lists them"
        raise QueryError(f"no query named {name_or_path!r} in {self.folder}{hint}")


# --- binding by a VALUES block -------------------------------------------------------

def with_values(text: str, bindings: dict) -> str:
    """The query with its parameters bound by a ``VALUES`` block at the start of WHERE.

    Each value is written as its RDF term (``store.sparql_term``: the ``term.n3()`` form,
    checked): a string is a quoted, escaped literal, so ``"> } ; DROP ALL`` stays a
    literal. Joining a one-row VALUES block at the top of the WHERE group binds the
    variables for the whole group, like rdflib's ``initBindings`` — and, unlike pyoxigraph's
    substitutions, works for variables that are not projected (aggregate queries) and on
    any SPARQL 1.1 endpoint.
    """
    return bind_values(text, bindings)


def library(settings: Settings) -> Library:
    return Library(settings.queries_dir)
