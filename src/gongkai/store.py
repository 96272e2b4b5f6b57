"""Stores: one protocol, several backends, chosen by one setting.

- ``EmbeddedStore``  pyoxigraph, in memory or persistent on disk (the default: fast joins
  and aggregates, bulk loading).
- ``MemoryStore``    rdflib in memory (small data and tests: its SPARQL engine is slow on
  joins past a few thousand items).
- ``RemoteStore``    any SPARQL 1.1 endpoint (``gongkai.remote``).

Every backend answers the library's queries against the *union* of its named graphs, and
takes parameters as (variable → RDF term) bindings, never pasted into the text: pyoxigraph
``substitutions``, rdflib ``initBindings``, or a ``VALUES`` block written from the terms
(``values_block``/``bind_values``) and placed at the start of the query's WHERE group.
Results come back as rdflib terms so that callers need not know the backend.

One difference between backends shapes how the library's queries are written: the
Oxigraph server and Virtuoso make the union default graph a *bag* (a triple stored in two
graphs matches twice), rdflib makes it a set. Queries that may meet a triple in several
graphs (organisations, categories, article subdivisions and unresolved legal resources
are described again in every list that names them) use ``DISTINCT`` and
``COUNT(DISTINCT …)``, so that every backend gives the same rows.

The embedded store goes further, because a bag costs more than duplicate rows: a label
repeated in 10,000 list graphs multiplies every join through it by 10,000. It keeps the
set union itself, in its default graph — every triple of every named graph, once — and
answers queries against that default graph. Loading mirrors what it loads; replacing or
dropping a list's graph removes from the mirror only the triples no other graph holds,
in the same update (all or nothing). Named graphs stay as they are, so ``GRAPH ?g { … }``
patterns see the lists one by one. A store written before the mirror existed (named
graphs, empty default graph) is read with the bag union, as before.
"""

from __future__ import annotations

import re
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from gongkai.errors import QueryError, StoreError
from gongkai.ordering import OrderKey, sort_rows
from gongkai.rdflib_subqueries import on_their_own

# --- reading SPARQL text -----------------------------------------------------------
# Not a parser: a tokenizer that knows enough (comments, strings, IRIs, braces,
# parentheses, keywords, variables) to find where a query's WHERE group opens and which
# variables it projects, to bind parameters and lift an ORDER BY. Whether a text may run
# (a query, not an update; no SERVICE to a host not allowed) is decided by a real SPARQL
# parser, in ``gongkai.query_guard``: a tokenizer can be fooled (``PREFIX ex:#"""`` reads
# as a prefixed name followed by a string, where SPARQL sees a comment).

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
""", re.X | re.S)

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
    (``gongkai.ordering``)."""
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


# --- writing RDF terms as SPARQL ------------------------------------------------------

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


# --- results and the protocol -----------------------------------------------------------

@dataclass
class Result:
    vars: list[str]
    rows: list[dict[str, Node]] = field(default_factory=list)
    elapsed: float = 0.0

    def table(self) -> list[list[str]]:
        return [[str(r.get(v, "")) if r.get(v) is not None else "" for v in self.vars] for r in self.rows]

    def __len__(self) -> int:
        return len(self.rows)


@dataclass(frozen=True)
class NTriples:
    """A graph's content as N-Triples text: how large graphs travel without rdflib."""

    text: str

    def __len__(self) -> int:
        return sum(1 for ln in self.text.splitlines() if ln.strip() and not ln.lstrip().startswith("#"))


GraphContent = Graph | NTriples


def ntriples_of(graph: GraphContent) -> str:
    if isinstance(graph, NTriples):
        return graph.text
    return "".join(f"{s.n3()} {p.n3()} {o.n3()} .\n" for s, p, o in graph)


@runtime_checkable
class Store(Protocol):
    """What every backend offers. Graph names are IRIs; bindings map variable names
    (without ``?``) to RDF terms."""

    kind: str

    def load_file(self, path: Path, graph: URIRef | None = None) -> None: ...
    def replace_graph(self, name: URIRef, graph: GraphContent) -> None: ...
    def drop_graph(self, name: URIRef) -> None: ...
    def graphs(self) -> list[URIRef]: ...
    def select(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> Result: ...
    def construct(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> Graph: ...
    def ask(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> bool: ...
    def update(self, sparql: str) -> None: ...
    def count(self, graph: URIRef | None = None) -> int: ...
    def close(self) -> None: ...
    def __len__(self) -> int: ...


# --- term conversion ----------------------------------------------------------

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def to_ox(term: Node):
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"cannot convert {term!r}")


def from_ox(term) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        dt = term.datatype.value
        if dt == _XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(dt))
    raise TypeError(f"cannot convert {term!r}")


def _syntax_error(e: Exception) -> QueryError:
    return QueryError(f"SPARQL syntax error: {e}")


def _rdf_format(path: Path) -> ox.RdfFormat:
    fmt = ox.RdfFormat.from_extension(path.suffix.lstrip(".").lower())
    if fmt is None:
        raise StoreError(f"{path}: unknown RDF format {path.suffix or '(no extension)'!r}")
    return fmt


# --- embedded Oxigraph -----------------------------------------------------------

# (stage, done, total): "reading" with the bytes of the file read and in all, then
# "indexing" (0, 0) once the file is read and the store writes the rest of its indexes
LoadProgress = Callable[[str, int, int], None]
PROGRESS_EVERY = 100_000  # statements between two progress reports while loading


class EmbeddedStore:
    """pyoxigraph ``Store``: persistent under ``path``, or in memory when ``path`` is None.

    ``read_only`` lets several processes (the CLI, the app, ``gongkai serve``) read one
    store at the same time; a store that is read is never written: a change is made in a
    copy published as a new version of the build folder (``service.change_store``).
    ``lease`` holds the version read (``build_folder.Lease``), released by ``close``.
    """

    kind = "embedded"

    def __init__(self, path: Path | None = None, *, read_only: bool = False):
        self.path = path
        self.read_only = read_only
        self.lease: Any = None
        try:
            if path is None:
                self.ox = ox.Store()
            elif read_only:
                if not (path / "CURRENT").is_file():
                    raise StoreError(f"{path} is not an embedded store (no Oxigraph database there): "
                                     "run `gongkai build`")
                self.ox = ox.Store.read_only(str(path))
            else:
                path.mkdir(parents=True, exist_ok=True)
                self.ox = ox.Store(str(path))
        except (OSError, RuntimeError, ValueError) as e:
            # RocksDB reports a damaged or foreign folder as a RuntimeError ("Corruption: …")
            raise StoreError(f"cannot open the store at {path}: {e}; rebuild it with `gongkai build`") from None
        # the mirror is in use unless named graphs exist without it (an older store)
        self.mirrored = self._has_default_triples() or not any(True for _ in self.ox.named_graphs())

    def _has_default_triples(self) -> bool:
        return any(True for _ in self.ox.quads_for_pattern(None, None, None, ox.DefaultGraph()))

    def _mirror_all(self) -> None:
        """Copy every named graph's triples into the default graph (a set: once each).
        CONSTRUCT streams them as N-Triples into a temporary file that is bulk-loaded,
        so nothing passes through Python term by term."""
        if not self.mirrored:
            return
        res = self.ox.query("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
        with tempfile.NamedTemporaryFile(suffix=".nt", delete=False) as f:
            tmp = Path(f.name)
        try:
            res.serialize(str(tmp), format=ox.RdfFormat.N_TRIPLES)
            self.ox.bulk_load(path=str(tmp), format=ox.RdfFormat.N_TRIPLES)
        finally:
            tmp.unlink(missing_ok=True)

    def _unmirror(self, name: URIRef) -> str:
        """Update text removing from the mirror the triples of ``name`` that no other named
        graph holds (run before the graph itself is dropped)."""
        if not self.mirrored:
            return ""
        g = _iri_text(str(name))
        return (f"DELETE {{ ?s ?p ?o }} WHERE {{ GRAPH {g} {{ ?s ?p ?o }} "
                f"FILTER NOT EXISTS {{ GRAPH ?other {{ ?s ?p ?o }} FILTER(?other != {g}) }} }} ;\n")

    def load_file(self, path: Path, graph: URIRef | None = None, progress: LoadProgress | None = None) -> None:
        """Bulk-load a file: a dataset (TriG, N-Quads) keeps its graphs; a graph file goes
        into ``graph``. Adds to what is there (use ``replace_graph`` to replace).

        ``progress`` (``LoadProgress``) hears how many bytes of the file are read, at the
        start and every ``PROGRESS_EVERY`` statements, then that the rest is being indexed
        (10,000 lists take minutes). A store written before the mirror existed is loaded by
        Oxigraph's own bulk loader in one step, which reports nothing."""
        fmt = _rdf_format(path)
        target = ox.NamedNode(str(graph)) if graph is not None and not fmt.supports_datasets else None
        try:
            total = path.stat().st_size
            if self.mirrored:
                with path.open("rb", buffering=1 << 20) as f:  # how far the parser has read: f.tell()
                    self._bulk_mirrored(ox.parse(f, format=fmt), target, (lambda end: progress(
                        "indexing" if end else "reading", 0 if end else f.tell(), 0 if end else total))
                        if progress else None)
            else:
                self.ox.bulk_load(path=str(path), format=fmt, **({"to_graph": target} if target else {}))
        except (SyntaxError, ValueError) as e:
            raise StoreError(f"{path}: cannot load: {e}") from None
        except OSError as e:
            raise StoreError(f"{path}: cannot load: {e}") from None

    def load_nquads(self, data: bytes) -> None:
        if self.mirrored:
            self._bulk_mirrored(ox.parse(data, format=ox.RdfFormat.N_QUADS), None)
        else:
            self.ox.bulk_load(data, format=ox.RdfFormat.N_QUADS)

    def _bulk_mirrored(self, parsed, target, tick: Callable[[bool], None] | None = None) -> None:
        """One pass over the parsed statements, each written to its graph and to the mirror
        (a second parse or a CONSTRUCT of everything costs twice as much on disk).
        ``tick(False)`` is called first and every ``PROGRESS_EVERY`` statements,
        ``tick(True)`` after the last one (the loader then writes what it holds)."""
        default = ox.DefaultGraph()
        every = PROGRESS_EVERY

        def both():
            if tick is not None:
                tick(False)
            for n, q in enumerate(parsed, 1):
                g = target if target is not None else getattr(q, "graph_name", default)
                yield ox.Quad(q.subject, q.predicate, q.object, g)
                if not isinstance(g, ox.DefaultGraph):
                    yield ox.Quad(q.subject, q.predicate, q.object, default)
                if tick is not None and n % every == 0:
                    tick(False)
            if tick is not None:
                tick(True)

        self.ox.bulk_extend(both())

    def replace_graph(self, name: URIRef, graph: GraphContent) -> None:
        """Drop and refill one named graph (and the mirror) in a single update: all or nothing."""
        body = ntriples_of(graph)
        g = _iri_text(str(name))
        # copied from the graph just written, so that its blank nodes are the same terms
        mirror = f" ;\nINSERT {{ ?s ?p ?o }} WHERE {{ GRAPH {g} {{ ?s ?p ?o }} }}" if self.mirrored else ""
        try:
            self.ox.update(f"{self._unmirror(name)}DROP SILENT GRAPH {g} ;\n"
                           f"INSERT DATA {{ GRAPH {g} {{\n{body}\n}} }}{mirror}")
        except (SyntaxError, OSError) as e:
            raise StoreError(f"cannot replace graph <{name}>: {e}") from None

    def drop_graph(self, name: URIRef) -> None:
        try:
            self.ox.update(f"{self._unmirror(name)}DROP SILENT GRAPH {_iri_text(str(name))}")
        except OSError as e:
            raise StoreError(f"cannot drop graph <{name}>: {e}") from None

    def graphs(self) -> list[URIRef]:
        return sorted(URIRef(g.value) for g in self.ox.named_graphs() if isinstance(g, ox.NamedNode))

    def _run(self, sparql: str, bindings: Mapping[str, Node] | None):
        """Parameters are written into the text as constants where the grammar allows
        (``substitute``: Oxigraph plans better with them), the others bound by
        ``_query``."""
        if bindings:
            text, rest = substitute(sparql, bindings)
            if text != sparql:
                try:
                    return self._query(text, rest)
                except QueryError:
                    pass  # a value where the grammar wants a variable: bind it the other way
        return self._query(sparql, bindings)

    def _query(self, sparql: str, bindings: Mapping[str, Node] | None):
        """pyoxigraph's ``substitutions`` follow SPARQL-dev SEP-0007, which allows only
        variables the SELECT projects; other parameters go in a VALUES block."""
        subs = None
        if bindings:
            projected = projected_variables(sparql) if query_form(sparql) == "SELECT" else None
            if projected is not None and set(bindings) <= projected:
                subs = {ox.Variable(k): to_ox(v) for k, v in bindings.items()}
            else:
                sparql = bind_values(sparql, bindings)
        try:
            return self.ox.query(sparql, use_default_graph_as_union=not self.mirrored, substitutions=subs)
        except SyntaxError as e:
            raise _syntax_error(e) from None
        except (OSError, RuntimeError) as e:
            raise StoreError(f"store error at {self.path or 'the in-memory store'}: {e}") from None

    def select(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> Result:
        """Rows as rdflib terms. An ORDER BY on variables is applied here, to the rows
        (``split_order_by``, ``gongkai.ordering``): Oxigraph's own sort re-reads each
        compared string from disk (12 s, against 0.4 s here, for 145,000 rows)."""
        t0 = time.perf_counter()
        lift = split_order_by(sparql)
        if lift is not None:
            try:
                vars_, rows = self._rows(self._run(lift.text, bindings))
            except QueryError:
                rows = None  # the query as written says what is wrong with it
            ordered = sort_rows(rows, lift.keys) if rows is not None else None
            if ordered is not None:
                return Result(vars_, ordered, time.perf_counter() - t0)
        vars_, rows = self._rows(self._run(sparql, bindings))  # Oxigraph orders them
        return Result(vars_, rows, time.perf_counter() - t0)

    @staticmethod
    def _rows(res) -> tuple[list[str], list[dict[str, Node]]]:
        if not isinstance(res, ox.QuerySolutions):
            raise QueryError("not a SELECT query")
        vars_ = [v.value for v in res.variables]
        rows = []
        # each term converted once per result: rdflib parses a typed literal's value (≈13 µs),
        # and labels, dates and numbers repeat from row to row
        terms: dict = {}
        for sol in res:
            row = {}
            for v in vars_:
                t = sol[v]
                if t is not None:
                    term = terms.get(t)
                    if term is None:
                        term = terms[t] = from_ox(t)
                    row[v] = term
            rows.append(row)
        return vars_, rows

    def construct(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> Graph:
        res = self._run(sparql, bindings)
        if not isinstance(res, ox.QueryTriples):
            raise QueryError("not a CONSTRUCT or DESCRIBE query")
        g = Graph()
        for t in res:
            g.add((from_ox(t.subject), from_ox(t.predicate), from_ox(t.object)))
        return g

    def ask(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> bool:
        res = self._run(sparql, bindings)
        if not isinstance(res, ox.QueryBoolean):
            raise QueryError("not an ASK query")
        return bool(res)

    def update(self, sparql: str) -> None:
        """Run a SPARQL Update, then bring the mirror back in line with the named graphs.

        Data lives in named graphs; the default graph is the store's union of them, so
        triples an update writes to the default graph itself do not stay there."""
        try:
            self.ox.update(sparql)
            if self.mirrored:
                self.ox.update("DELETE { ?s ?p ?o } WHERE { ?s ?p ?o "
                               "FILTER NOT EXISTS { GRAPH ?g { ?s ?p ?o } } }")
                self._mirror_all()
        except SyntaxError as e:
            raise _syntax_error(e) from None
        except OSError as e:
            raise StoreError(f"store error: {e}") from None

    def count(self, graph: URIRef | None = None) -> int:
        """Quads in the named graphs (the mirror is not counted), or in one graph."""
        if graph is None:
            return len(self)
        return self._count_in(f"GRAPH {_iri_text(str(graph))} {{ ?s ?p ?o }}")

    def _count_in(self, pattern: str) -> int:
        res = self.ox.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}")
        return int(next(iter(res))["n"].value)

    def optimize(self) -> None:
        """Compact the on-disk store after a bulk load: reads are 30–40 % faster at 1,000
        bureaus (the bulk loader leaves many unmerged files)."""
        if self.path is not None and not self.read_only:
            try:
                self.ox.optimize()
            except OSError as e:
                raise StoreError(f"cannot optimise the store at {self.path}: {e}") from None

    def close(self) -> None:
        if self.path is not None and not self.read_only:
            try:
                self.ox.flush()
            except (OSError, RuntimeError) as e:
                raise StoreError(f"cannot write the store at {self.path}: {e}") from None
        if self.lease is not None:
            self.lease.release()
            self.lease = None

    def __len__(self) -> int:
        if not self.mirrored:
            return len(self.ox)
        return self._count_in("GRAPH ?g { ?s ?p ?o }")


# --- rdflib in memory ---------------------------------------------------------------

_RDFLIB_FORMATS = {".trig": "trig", ".nq": "nquads", ".nt": "nt", ".ttl": "turtle",
                   ".jsonld": "json-ld", ".rdf": "xml", ".owl": "xml"}


class MemoryStore:
    """rdflib ``Dataset`` with the default graph as the union of all graphs. Small data only."""

    kind = "memory"

    def __init__(self) -> None:
        self.ds = Dataset(default_union=True)

    def load_file(self, path: Path, graph: URIRef | None = None) -> None:
        fmt = _RDFLIB_FORMATS.get(path.suffix.lower())
        if fmt is None:
            raise StoreError(f"{path}: unknown RDF format {path.suffix or '(no extension)'!r}")
        try:
            if fmt in ("trig", "nquads"):
                self.ds.parse(path, format=fmt)
            else:
                self.ds.graph(graph or URIRef(path.resolve().as_uri())).parse(path, format=fmt)
        except OSError as e:
            raise StoreError(f"{path}: cannot load: {e.strerror or e}") from None
        except Exception as e:  # rdflib's parsers raise many types for bad syntax
            raise StoreError(f"{path}: cannot load: {e}") from None

    def replace_graph(self, name: URIRef, graph: GraphContent) -> None:
        self.ds.remove_graph(self.ds.graph(name))
        target = self.ds.graph(name)
        if isinstance(graph, NTriples):
            target.parse(data=graph.text, format="nt")
            return
        for t in graph:
            target.add(t)

    def drop_graph(self, name: URIRef) -> None:
        self.ds.remove_graph(self.ds.graph(name))

    def graphs(self) -> list[URIRef]:
        return sorted(URIRef(str(g.identifier)) for g in self.ds.graphs()
                      if isinstance(g.identifier, URIRef) and len(g) and str(g.identifier) != "urn:x-rdflib:default")

    def _run(self, sparql: str, bindings: Mapping[str, Node] | None):
        from pyparsing import ParseException

        try:
            return self.ds.query(sparql, initBindings=dict(bindings or {}))
        except ParseException as e:
            raise _syntax_error(e) from None

    # each query is run and read inside ``on_their_own()``: rdflib evaluates a subquery once,
    # as SPARQL means it, instead of once per row of what it is joined with (gongkai.rdflib_subqueries)

    def select(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> Result:
        t0 = time.perf_counter()
        with on_their_own():
            res = self._run(sparql, bindings)
            if res.type != "SELECT":
                raise QueryError("not a SELECT query")
            vars_ = [str(v) for v in res.vars or []]
            rows = [{v: r[i] for i, v in enumerate(vars_) if r[i] is not None} for r in res]
        return Result(vars_, rows, time.perf_counter() - t0)

    def construct(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> Graph:
        g = Graph()
        with on_their_own():
            res = self._run(sparql, bindings)
            if res.type not in ("CONSTRUCT", "DESCRIBE"):
                raise QueryError("not a CONSTRUCT or DESCRIBE query")
            for t in res:
                g.add(t)
        return g

    def ask(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> bool:
        with on_their_own():
            res = self._run(sparql, bindings)
            if res.type != "ASK":
                raise QueryError("not an ASK query")
            return bool(res.askAnswer)

    def update(self, sparql: str) -> None:
        from pyparsing import ParseException

        try:
            self.ds.update(sparql)
        except ParseException as e:
            raise _syntax_error(e) from None

    def count(self, graph: URIRef | None = None) -> int:
        if graph is None:
            return len(self)
        return len(self.ds.graph(graph))

    def close(self) -> None:
        pass

    def __len__(self) -> int:
        return sum(len(g) for g in self.ds.graphs())


def load_graphs(store: Store, graphs: Iterable[tuple[URIRef, GraphContent]]) -> int:
    """Replace each (name, graph) in the store; returns how many graphs were loaded."""
    n = 0
    for name, g in graphs:
        store.replace_graph(name, g)
        n += 1
    return n
