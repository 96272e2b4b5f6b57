"""Running a library query or a free one: checked first (gongkai.store.guard), parameters bound."""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import Literal

from gongkai.errors import QueryError
from gongkai.query.library import LibraryQuery
from gongkai.store.base import Result, Store
from gongkai.store.guard import check_query
from gongkai.store.worker import CutResult


def run_query(store: Store, query: LibraryQuery | str, params: dict[str, str] | None = None,
              *, allow_update: bool = False, allow_service: Iterable[str] = ()) -> Result:
    """Run a library query (bound parameters) or a free query; updates need ``allow_update``.

    What the text is, is decided by a SPARQL parser before anything is sent or run
    (``query_guard.check_query``): an update is refused unless allowed, and so is a SERVICE
    clause whose host is not in ``allow_service`` (``*``: any host)."""
    if isinstance(query, LibraryQuery):
        text, bindings = query.text, query.bind(params or {})
    else:
        if params:
            raise QueryError("parameters need a library query (a .rq file with ?_name variables)")
        text, bindings = query, {}
    form = check_query(text, allow_update=allow_update, allow_service=allow_service, bindings=bindings).form
    if form == "UPDATE":
        store.update(text)
        return Result(vars=[], rows=[])
    if form == "ASK":
        return Result(vars=["answer"], rows=[{"answer": Literal(store.ask(text, bindings))}])
    if form in ("CONSTRUCT", "DESCRIBE"):
        g = store.construct(text, bindings)
        rows = [{"subject": s, "predicate": p, "object": o} for s, p, o in sorted(g)]
        if getattr(g, "truncated", False):  # cut at the store's row limit (query_worker.TimedStore)

            return CutResult(vars=["subject", "predicate", "object"], rows=rows)
        return Result(vars=["subject", "predicate", "object"], rows=rows)
    return store.select(text, bindings)
