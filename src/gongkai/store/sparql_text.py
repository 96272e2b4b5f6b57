"""Reading and writing SPARQL text without a parser: a tokenizer that knows comments, strings,
IRIs, braces and keywords, to find a query's WHERE group, its projection and ORDER BY, and to
bind parameters as escaped terms (VALUES blocks, constants written in)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from rdflib import Literal, URIRef
from rdflib.term import Node

from gongkai.errors import QueryError
from gongkai.store.ordering import OrderKey

_TOKEN = re.compile(r"""
    (?P<comment>\#[^\n]*)
  | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
               |"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
  | (?P<iri><[^<>"{}|^`\\\s]*>)
  | (?P<var>[?$][A-Za-z0-9_\u00B7\u00C0-\uFFFF]+)
  | (?P<open>\{) | (?P<close>\}) | (?P<lparen>\() | (?P<rparen>\))
  | (?P<word>[A-Za-z_][A-Za-z0-9_-]*(?::[^\s{}()<>"',;]*)?)
  | (?P<semicolon>;)
  | (?P<space>\s+)
  | (?P<other>.)
""", re.VERBOSE | re.DOTALL)


_QUERY_FORMS = {"SELECT", "CONSTRUCT", "ASK", "DESCRIBE"}


_UPDATE_FORMS = {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}


@dataclass(frozen=True)
class _Tok:
    kind: str
    text: str
    start: int
    end: int
    depth: int      # brace depth before the token
    parens: int     # parenthesis depth before the token


def _tokens(sparql: str) -> list[_Tok]:
    out: list[_Tok] = []
    depth = parens = 0
    for m in _TOKEN.finditer(sparql):
        kind = m.lastgroup or "other"
        if kind in ("space", "comment"):
            continue
        out.append(_Tok(kind, m.group(), m.start(), m.end(), depth, parens))
        if kind == "open":
            depth += 1
        elif kind == "close":
            depth = max(0, depth - 1)
        elif kind == "lparen":
            parens += 1
        elif kind == "rparen":
            parens = max(0, parens - 1)
    return out


def _words_at_top(toks: list[_Tok]) -> list[_Tok]:
    return [t for t in toks if t.kind == "word" and t.depth == 0 and ":" not in t.text]


def query_form(sparql: str) -> str | None:
    """SELECT, CONSTRUCT, ASK, DESCRIBE, or the first update keyword; None if neither."""
    return _form_of(_tokens(sparql))


def _form_of(toks: list[_Tok]) -> str | None:
    for t in _words_at_top(toks):
        w = t.text.upper()
        if w in _QUERY_FORMS or w in _UPDATE_FORMS:
            return w
    return None


def projected_variables(sparql: str) -> set[str] | None:
    """Variables a SELECT projects (without ``?``); None for ``SELECT *`` or other forms."""
    return _projected(_tokens(sparql))


def _projected(toks: list[_Tok]) -> set[str] | None:
    try:
        i = next(k for k, t in enumerate(toks)
                 if t.kind == "word" and t.depth == 0 and t.text.upper() == "SELECT")
    except StopIteration:
        return None
    base = toks[i].parens
    out: set[str] = set()
    prev: _Tok | None = None
    for t in toks[i + 1:]:
        if t.depth == 0 and (t.kind == "open" or (t.kind == "word" and t.text.upper() in ("WHERE", "FROM"))):
            break
        if t.kind == "other" and t.text == "*" and t.parens == base:
            return None
        if t.kind == "var" and (t.parens == base or (prev is not None and prev.kind == "word"
                                                      and prev.text.upper() == "AS")):
            out.add(t.text[1:])
        prev = t
    return out


def _where_group_offset(sparql: str) -> int:
    """Offset just after the ``{`` opening the query's (top-level) WHERE group."""
    toks = _tokens(sparql)
    form = None
    opens: list[_Tok] = []
    for k, t in enumerate(toks):
        if t.depth != 0:
            continue
        if t.kind == "word":
            w = t.text.upper()
            if form is None and w in _QUERY_FORMS:
                form = w
            elif form is not None and w == "WHERE":
                nxt = next((u for u in toks[k + 1:] if u.kind == "open" and u.depth == 0), None)
                if nxt is None:
                    break
                if form == "CONSTRUCT" and not opens:
                    raise QueryError("parameters cannot be bound in the CONSTRUCT WHERE short form; "
                                     "write CONSTRUCT { template } WHERE { pattern }")
                return nxt.end
        elif t.kind == "open" and form is not None:
            opens.append(t)
    need = 2 if form == "CONSTRUCT" else 1
    if form is None or len(opens) < need:
        raise QueryError("cannot find the query's WHERE clause to bind parameters")
    return opens[need - 1].end


@dataclass(frozen=True)
class OrderLift:
    """A SELECT whose ORDER BY is taken out, to be applied to the rows in Python
    (``gongkai.store.ordering``)."""
    text: str
    keys: tuple[OrderKey, ...]


def split_order_by(sparql: str) -> OrderLift | None:
    """The query without its top-level ``ORDER BY``, when every condition is a projected
    variable (``?x``, ``ASC(?x)``, ``DESC(?x)``) and nothing follows it; None otherwise.
    An expression to order by stays with the engine, and so does an ORDER BY with LIMIT or
    OFFSET: the engine then keeps only the rows asked for, where Python would have to
    read every row first."""
    toks = _tokens(sparql)
    if _form_of(toks) != "SELECT":
        return None
    at = [k for k, t in enumerate(toks)
          if t.kind == "word" and t.depth == 0 and t.parens == 0 and t.text.upper() == "ORDER"]
    if len(at) != 1 or at[0] + 1 >= len(toks) or toks[at[0] + 1].text.upper() != "BY":
        return None
    keys: list[OrderKey] = []
    j = at[0] + 2
    while j < len(toks):
        t = toks[j]
        if t.kind == "var":
            keys.append(OrderKey(t.text[1:]))
            j += 1
        elif (t.kind == "word" and t.text.upper() in ("ASC", "DESC")
              and [u.kind for u in toks[j + 1:j + 4]] == ["lparen", "var", "rparen"]):
            keys.append(OrderKey(toks[j + 2].text[1:], t.text.upper() == "DESC"))
            j += 4
        else:
            return None  # an expression, LIMIT, OFFSET, a trailing VALUES …
    projected = _projected(toks)
    if not keys or (projected is not None and not {k.var for k in keys} <= projected):
        return None
    return OrderLift(sparql[:toks[at[0]].start].rstrip() + "\n", tuple(keys))


_IRI_OK = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\x00-\x20<>\"{}|^`\\]*")


_LANG_OK = re.compile(r"[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*")


_VAR_OK = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def _iri_text(value: str) -> str:
    if not _IRI_OK.fullmatch(value):
        raise QueryError(f"not an absolute IRI: {value!r}")
    return f"<{value}>"


def _string_text(value: str) -> str:
    out = []
    for ch in value:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def sparql_term(term: Node) -> str:
    """An IRI or literal written as SPARQL, escaped so that no value can end the term.

    The same text as rdflib's ``term.n3()`` for well-formed terms (a quoted, escaped string
    with its language tag or datatype), but checked: an IRI with a space, ``>`` or ``"``, a
    malformed language tag or a blank node is refused instead of written.
    """
    if isinstance(term, URIRef):
        return _iri_text(str(term))
    if isinstance(term, Literal):
        text = _string_text(str(term))
        if term.language:
            if not _LANG_OK.fullmatch(term.language):
                raise QueryError(f"not a language tag: {term.language!r}")
            return f"{text}@{term.language}"
        if term.datatype is not None:
            return f"{text}^^{_iri_text(str(term.datatype))}"
        return text
    raise QueryError(f"only IRIs and literals can be bound, not {term!r}")


def values_block(bindings: Mapping[str, Node]) -> str:
    """``VALUES (?a ?b) { (<iri> "text"@zh) }`` for a single row of bindings."""
    names = list(bindings)
    for n in names:
        if not _VAR_OK.fullmatch(n):
            raise QueryError(f"not a variable name: {n!r}")
    head = " ".join(f"?{n}" for n in names)
    row = " ".join(sparql_term(bindings[n]) for n in names)
    return f"VALUES ({head}) {{ ({row}) }}"


def _group_ends(toks: list[_Tok]) -> dict[int, int]:
    """Token index of each ``{`` → token index of its matching ``}``."""
    ends: dict[int, int] = {}
    stack: list[int] = []
    for k, t in enumerate(toks):
        if t.kind == "open":
            stack.append(k)
        elif t.kind == "close" and stack:
            ends[stack.pop()] = k
    return ends


def bind_values(sparql: str, bindings: Mapping[str, Node] | None) -> str:
    """The query with its parameters bound by one-row VALUES blocks, placed like a substitution.

    A VALUES block opens the WHERE group, and every group inside it that mentions a
    parameter: a subquery's body, a MINUS, a UNION branch, an OPTIONAL. SPARQL evaluates
    such groups on their own (bottom-up), so a parameter used only in an outer VALUES
    would be unbound there — a FILTER in a MINUS would match nothing, a subquery would see
    no value. Bound in each group, every occurrence takes the value, as with rdflib's
    ``initBindings`` or a substitution. Not in EXISTS bodies (they see the outer solution
    already), VALUES data blocks or CONSTRUCT templates.

    The terms go through ``sparql_term``, so a value can only ever be one term:
    ``"> } ; DROP ALL`` stays a literal.
    """
    if not bindings:
        return sparql
    values_block(bindings)  # check the names and terms before touching the text
    at = _where_group_offset(sparql)
    toks = _tokens(sparql)
    ends = _group_ends(toks)
    where = next(k for k, t in enumerate(toks) if t.kind == "open" and t.end == at)
    inserts: list[tuple[int, str]] = [(at, values_block(bindings))]
    names = set(bindings)
    pending_values = False
    for k in range(where + 1, ends.get(where, len(toks))):
        t = toks[k]
        if t.kind == "word" and t.text.upper() == "VALUES":
            pending_values = True
            continue
        if t.kind != "open":
            continue
        prev, nxt = toks[k - 1], toks[k + 1] if k + 1 < len(toks) else None
        if pending_values or (prev.kind == "word" and prev.text.upper() == "EXISTS"):
            pending_values = False
            continue
        if nxt is not None and nxt.kind == "word" and nxt.text.upper() == "SELECT":
            continue  # ``{ SELECT … }`` holds only the subquery: its own WHERE group is bound
        inner = {u.text[1:] for u in toks[k + 1:ends.get(k, len(toks))] if u.kind == "var"} & names
        if inner:
            inserts.append((t.end, values_block({n: bindings[n] for n in bindings if n in inner})))
    out = sparql
    for offset, block in sorted(inserts, reverse=True):
        out = f"{out[:offset]}\n  {block}\n{out[offset:]}"
    return out


def _unsafe_to_substitute(toks: list[_Tok]) -> set[str]:
    """Variables with an occurrence where a constant may not stand: a projection (``SELECT
    ?x``, ``AS ?x``), ``BOUND(?x)``, a ``VALUES`` variable list, ``GROUP BY``/``ORDER BY``."""
    unsafe: set[str] = set()
    zone = None  # "select" (up to the group that follows), "values" (up to its data), "by"
    zone_depth = zone_parens = 0
    for k, t in enumerate(toks):
        word = t.text.upper() if t.kind == "word" else None
        if zone is not None and t.depth == zone_depth and (
                t.kind in ("open", "close") or word in ("WHERE", "FROM", "HAVING", "LIMIT", "OFFSET",
                                                         "VALUES", "GROUP", "ORDER")):
            zone = None
        if word in ("SELECT", "VALUES"):
            zone, zone_depth = word.lower(), t.depth
            continue
        if word == "BY":
            zone, zone_depth, zone_parens = "by", t.depth, t.parens
            continue
        if t.kind != "var":
            continue
        prev = toks[k - 1] if k else None
        before = toks[k - 2] if k > 1 else None
        if (zone in ("select", "values") or (zone == "by" and t.parens == zone_parens)
                or (prev is not None and prev.kind == "word" and prev.text.upper() == "AS")
                or (prev is not None and prev.kind == "lparen" and before is not None
                    and before.kind == "word" and before.text.upper() == "BOUND")):
            unsafe.add(t.text[1:])
    return unsafe


def substitute(sparql: str, bindings: Mapping[str, Node]) -> tuple[str, dict[str, Node]]:
    """Write each parameter's value into the text of a SELECT or ASK query in place of its
    variable, where every occurrence allows a constant; returns the text and the parameters
    left to bind otherwise (``bind_values``, pyoxigraph's substitutions).

    Oxigraph plans a query better with the constant in it than with a VALUES block: a
    FILTER on a title and a parameter is applied as the titles are read only when the value
    is a constant (0.5 s instead of 6 s over 200,000 items). The values are written by
    ``sparql_term``, so that a value is always exactly one term.
    """
    toks = _tokens(sparql)
    form = _form_of(toks)
    if form not in ("SELECT", "ASK") or (form == "SELECT" and _projected(toks) is None):
        return sparql, dict(bindings)
    unsafe = _unsafe_to_substitute(toks)
    texts = {n: sparql_term(v) for n, v in bindings.items() if n not in unsafe}
    rest = {n: v for n, v in bindings.items() if n in unsafe}
    out, last = [], 0
    for t in toks:
        if t.kind == "var" and t.text[1:] in texts:
            out.append(sparql[last:t.start])
            out.append(texts[t.text[1:]])
            last = t.end
    out.append(sparql[last:])
    return "".join(out), rest
