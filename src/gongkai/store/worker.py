"""Queries on the embedded store with a time limit, for a long-lived process (the app).

pyoxigraph's ``Store.query`` has no time limit, and a running query ignores signals: the only
way to stop one is to end the process running it. ``TimedStore`` therefore sends each query
to a worker process that holds the store open (``EmbeddedStore(path, read_only=True)``); when
a query passes its limit, the worker is killed — the query with it — and ``QueryTimeout`` is
raised. The next query starts a new worker (about a second). A worker answers many queries,
so a small lookup costs a round trip through a pipe (a fraction of a millisecond), not a
process.

Rows travel as plain tuples of ``(kind, value, language or datatype)`` and become rdflib
terms in the caller, each distinct term once per result (as ``EmbeddedStore._rows`` does).
A result is cut at ``max_rows`` rows (triples for CONSTRUCT), read from the engine only that
far, so a huge answer cannot fill the caller's memory: a cut result is a ``CutResult``
(``truncated``), a cut graph has ``truncated = True``.

Streamlit runs each session in a thread: one worker answers one query at a time, and
``workers`` of them (default 1) serve queries side by side.

Use::

    store = TimedStore(version_store_path, timeout=settings.query_timeout, max_rows=100_000)
    run_query(store, text)          # as with any Store; store.close() ends the workers
"""

from __future__ import annotations

import multiprocessing
import queue
import signal
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from gongkai.errors import GongkaiError, QueryError, StoreError
from gongkai.rdf.namespaces import XSD
from gongkai.settings import DEFAULT_TIMEOUT
from gongkai.store.base import GraphContent, OxResult, OxTerm, Result, from_ox
from gongkai.store.embedded import EmbeddedStore
from gongkai.store.guard import timeout_error
from gongkai.store.ordering import sort_rows
from gongkai.store.sparql_text import split_order_by

START_TIMEOUT = 120.0  # seconds for a worker to start and open the store
APP_MAX_ROWS = 100_000

# (kind, value, extra): "u" IRI, "b" blank node, "l" literal with a language (extra: the tag),
# "t" literal with a datatype (extra: its IRI; None for xsd:string)
Encoded = tuple[str, str, str | None]
_XSD_STRING = str(XSD.string)


@dataclass
class CutResult(Result):
    """A result cut at the store's row limit: the first ``max_rows`` rows only."""

    truncated: bool = True


# --- terms as tuples ---------------------------------------------------------------------------

def encode(term: Node) -> Encoded:
    """An rdflib term as a tuple."""
    if isinstance(term, URIRef):
        return ("u", str(term), None)
    if isinstance(term, BNode):
        return ("b", str(term), None)
    if isinstance(term, Literal):
        if term.language:
            return ("l", str(term), term.language)
        dt = str(term.datatype) if term.datatype is not None else None
        return ("t", str(term), None if dt == _XSD_STRING else dt)
    raise QueryError(f"cannot send {term!r} to the query worker")


def decode(t: Encoded) -> Node:
    """A tuple as an rdflib term."""
    kind, value, extra = t
    if kind == "u":
        return URIRef(value)
    if kind == "b":
        return BNode(value)
    if kind == "l":
        return Literal(value, lang=extra)
    return Literal(value, datatype=URIRef(extra)) if extra else Literal(value)


def _encode_ox(term: Any) -> Encoded:
    import pyoxigraph as ox  # lazy: in the worker process, which holds the store

    if isinstance(term, ox.NamedNode):
        return ("u", term.value, None)
    if isinstance(term, ox.BlankNode):
        return ("b", term.value, None)
    if isinstance(term, ox.Literal):
        if term.language:
            return ("l", term.value, term.language)
        dt = term.datatype.value
        return ("t", term.value, None if dt == _XSD_STRING else dt)
    raise QueryError(f"cannot send {term!r} from the query worker")


def _once(cache: dict, key: Any, convert: Any) -> Any:
    """``convert(key)``, computed once per ``cache``: labels, dates and numbers repeat."""
    value = cache.get(key)
    if value is None:
        value = cache[key] = convert(key)
    return value


# --- the worker process ---------------------------------------------------------------------

def _texts(e: GongkaiError) -> dict[str, str | None]:
    """What an error says besides its English, to be said again on the app's side of the pipe."""
    return {"zh": e.zh, "app_en": e.app_en, "app_zh": e.app_zh, "code": e.code}


def _serve(conn: Connection, path: str, max_rows: int) -> None:
    """The worker: open the store, say so, then answer requests until the pipe closes."""

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the app, which ends its workers
    try:
        store = EmbeddedStore(Path(path), read_only=True)
    except GongkaiError as e:
        conn.send(("error", "store", str(e)))
        return
    conn.send(("ready", None))
    while True:
        try:
            op, args = conn.recv()
        except (EOFError, OSError):
            return
        try:
            reply: tuple = ("ok", _answer(store, op, args, max_rows))
        except QueryError as e:
            reply = ("error", "query", str(e), _texts(e))
        except GongkaiError as e:
            reply = ("error", "store", str(e), _texts(e))
        except Exception as e:
            reply = ("error", "store", f"{type(e).__name__}: {e}")
        conn.send(reply)


def _answer(store: EmbeddedStore, op: str, args: tuple, max_rows: int) -> Any:
    if op in ("select", "construct", "ask"):
        text, encoded = args
        bindings = {k: decode(v) for k, v in encoded.items()} if encoded else None
        if op == "select":
            return _select(store, text, bindings, max_rows)
        if op == "construct":
            return _construct(store, text, bindings, max_rows)
        return store.ask(text, bindings)
    if op == "graphs":
        return [str(g) for g in store.graphs()]
    if op == "count":
        return store.count(URIRef(args[0]) if args[0] else None)
    if op == "len":
        return len(store)
    raise StoreError(f"the query worker does not know {op!r}")


def _collect(res: OxResult, max_rows: int) -> tuple[list[str], list[tuple[OxTerm | None, ...]], bool]:
    """Rows of a pyoxigraph result as tuples of pyoxigraph terms (None: unbound), at most
    ``max_rows``; and whether there were more."""
    import pyoxigraph as ox  # lazy: in the worker process, which holds the store

    if not isinstance(res, ox.QuerySolutions):
        raise QueryError("not a SELECT query")
    vars_ = [v.value for v in res.variables]
    rows: list[tuple[OxTerm | None, ...]] = []
    for sol in res:
        if len(rows) >= max_rows:
            return vars_, rows, True
        rows.append(tuple(sol[v] for v in vars_))
    return vars_, rows, False


def _select(store: EmbeddedStore, text: str, bindings: Mapping[str, Node] | None,
            max_rows: int) -> tuple[list[str], list[tuple[Encoded | None, ...]], bool]:
    """(variables, rows of encoded terms, cut). An ORDER BY of variables is applied to the
    rows here, as ``EmbeddedStore.select`` does, when they are not cut; else Oxigraph sorts."""
    lift = split_order_by(text)
    if lift is not None:
        try:
            vars_, rows, cut = _collect(store._run(lift.text, bindings), max_rows)
        except QueryError:
            cut, rows = True, []  # the query as written says what is wrong with it
        if not cut:
            terms: dict = {}
            as_dicts = [{v: _once(terms, t, from_ox) for v, t in zip(vars_, r, strict=True) if t is not None}
                        for r in rows]
            ordered = sort_rows(as_dicts, lift.keys)
            if ordered is not None:
                codes: dict = {}
                return vars_, [tuple(None if r.get(v) is None else _once(codes, r[v], encode) for v in vars_)
                               for r in ordered], False
    vars_, rows, cut = _collect(store._run(text, bindings), max_rows)
    codes = {}
    return vars_, [tuple(None if t is None else _once(codes, t, _encode_ox) for t in r) for r in rows], cut


def _construct(store: EmbeddedStore, text: str, bindings: Mapping[str, Node] | None,
               max_rows: int) -> tuple[list[tuple[Encoded, ...]], bool]:
    import pyoxigraph as ox  # lazy: in the worker process, which holds the store

    res = store._run(text, bindings)
    if not isinstance(res, ox.QueryTriples):
        raise QueryError("not a CONSTRUCT or DESCRIBE query")
    codes: dict = {}
    triples: list[tuple[Encoded, ...]] = []
    for t in res:
        if len(triples) >= max_rows:
            return triples, True
        triples.append(tuple(_once(codes, x, _encode_ox) for x in (t.subject, t.predicate, t.object)))
    return triples, False


# --- the caller's side ----------------------------------------------------------------------

class _Worker:
    """One worker process and the pipe to it; started when first needed, killed when a
    query passes its limit."""

    def __init__(self, path: Path, max_rows: int) -> None:
        self.path = path
        self.max_rows = max_rows
        self.proc: Any = None
        self.conn: Connection | None = None
        self.started_in: float | None = None  # seconds the last start took

    def _start(self) -> Connection:
        ctx = multiprocessing.get_context("spawn")  # the app has threads: no fork
        t0 = time.perf_counter()
        ours, theirs = ctx.Pipe()
        proc = ctx.Process(target=_serve, args=(theirs, str(self.path), self.max_rows), daemon=True,
                           name="gongkai-query-worker")
        proc.start()
        theirs.close()
        self.proc, self.conn = proc, ours
        try:
            ready = ours.recv() if ours.poll(START_TIMEOUT) else ("error", "store", "it did not start in time")
        except (EOFError, OSError):
            ready = ("error", "store", f"it ended with exit code {proc.exitcode}")
        if ready[0] != "ready":
            self.kill()
            raise StoreError(f"cannot start the query worker for the store at {self.path}: {ready[2]}")
        self.started_in = time.perf_counter() - t0
        return ours

    def request(self, op: str, args: tuple, timeout: float, raise_with: str) -> Any:
        conn = self.conn if self.conn is not None and self.proc is not None and self.proc.is_alive() else self._start()
        try:
            conn.send((op, args))
            if not conn.poll(timeout):
                self.kill()  # the only way to stop a running pyoxigraph query
                raise timeout_error(timeout, raise_with)
            reply = conn.recv()
        except (EOFError, OSError, BrokenPipeError):
            code = self.proc.exitcode if self.proc is not None else None
            self.kill()
            raise StoreError(f"the query worker for the store at {self.path} ended while answering "
                             f"(exit code {code}; out of memory?); the next query starts a new one") from None
        if reply[0] == "ok":
            return reply[1]
        raise (QueryError if reply[1] == "query" else StoreError)(reply[2], **(reply[3] if len(reply) > 3 else {}))

    def kill(self) -> None:
        proc, conn = self.proc, self.conn
        self.proc = self.conn = None
        if proc is not None:
            if proc.is_alive():
                proc.kill()
            proc.join(timeout=10)
        if conn is not None:
            conn.close()


class TimedStore:
    """The read side of the ``Store`` protocol on an embedded store, each query with a time
    limit (see the module docstring). ``raise_with`` names, in the timeout message, how to
    raise the limit."""

    kind = "embedded"
    read_only = True

    def __init__(self, path: Path, *, timeout: float = DEFAULT_TIMEOUT, max_rows: int = APP_MAX_ROWS,
                 workers: int = 1, raise_with: str = "GONGKAI_QUERY_TIMEOUT") -> None:
        if timeout <= 0 or max_rows < 1 or workers < 1:
            raise StoreError("TimedStore needs a timeout above 0 s, max_rows and workers of at least 1")
        self.path = Path(path)
        self.timeout = timeout
        self.max_rows = max_rows
        self.raise_with = raise_with
        self._workers = [_Worker(self.path, max_rows) for _ in range(workers)]
        self._idle: queue.Queue[_Worker] = queue.Queue()
        for w in self._workers:
            self._idle.put(w)
        self._closing = threading.Lock()

    def _request(self, op: str, *args: Any) -> Any:
        worker = self._idle.get()  # waits while every worker is answering someone else
        try:
            return worker.request(op, args, self.timeout, self.raise_with)
        finally:
            self._idle.put(worker)

    @property
    def started_in(self) -> float | None:
        """Seconds the last worker start took (None before any)."""
        times = [w.started_in for w in self._workers if w.started_in is not None]
        return max(times) if times else None

    # --- reading ---

    def select(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> Result:
        t0 = time.perf_counter()
        vars_, rows, cut = self._request("select", sparql, _encoded(bindings))
        terms: dict[Encoded, Node] = {}
        out = [{v: _once(terms, t, decode) for v, t in zip(vars_, r, strict=True) if t is not None} for r in rows]
        elapsed = time.perf_counter() - t0
        return CutResult(vars_, out, elapsed) if cut else Result(vars_, out, elapsed)

    def construct(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> Graph:
        triples, cut = self._request("construct", sparql, _encoded(bindings))
        terms: dict[Encoded, Node] = {}
        g = Graph()
        for t in triples:
            g.add(tuple(_once(terms, x, decode) for x in t))
        g.truncated = cut  # type: ignore[attr-defined]  # a mark for the caller: the graph was cut at max_rows
        return g

    def ask(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> bool:
        return bool(self._request("ask", sparql, _encoded(bindings)))

    def graphs(self) -> list[URIRef]:
        return [URIRef(g) for g in self._request("graphs")]

    def count(self, graph: URIRef | None = None) -> int:
        return int(self._request("count", str(graph) if graph is not None else None))

    def __len__(self) -> int:
        return int(self._request("len"))

    def close(self) -> None:
        """End the workers (a later query starts one again)."""
        with self._closing:
            for w in self._workers:
                w.kill()

    # --- writing: not here ---

    def _read_only(self, *_: Any, **__: Any) -> None:
        raise StoreError(f"the store at {self.path} is opened read-only here, for queries with a time limit")

    def load_file(self, path: Path, graph: URIRef | None = None) -> None:  # noqa: ARG002  (the Store protocol's signature)
        self._read_only()

    def replace_graph(self, name: URIRef, graph: GraphContent) -> None:  # noqa: ARG002  (the Store protocol's signature)
        self._read_only()

    def drop_graph(self, name: URIRef) -> None:  # noqa: ARG002  (the Store protocol's signature)
        self._read_only()

    def update(self, sparql: str) -> None:  # noqa: ARG002  (the Store protocol's signature)
        self._read_only()


def _encoded(bindings: Mapping[str, Node] | None) -> dict[str, Encoded] | None:
    return {k: encode(v) for k, v in bindings.items()} if bindings else None
