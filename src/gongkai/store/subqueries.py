"""Subqueries evaluated on their own in rdflib's SPARQL engine, and joined by hashing.

rdflib evaluates ``P OPTIONAL { SELECT … }`` (and a lazy join ``P { SELECT … }``) by
running the subquery again for every row of ``P``, with that row's values bound inside
it. That costs one whole subquery per row (``time_limit_distribution`` over 100 bureaus:
more than 40 s), and it is not SPARQL's meaning: a subquery sees no outer values
(SPARQL 1.1, §18.2.1), so ``VALUES ?x { 1 2 } { SELECT (COUNT(*) AS ?n) WHERE { VALUES ?x
{ 1 2 3 } } }`` gives ``?n = 1`` in rdflib, 3 in Oxigraph and the standard.

``on_their_own()`` makes rdflib run such a subquery once, then joins its rows with the
others through an index on the variables they share. It goes through rdflib's own
extension point (``CUSTOM_EVALS``) and applies only inside the block, so that other users
of rdflib's engine in the process (pyshacl) are untouched. A subquery on the left of a
join keeps rdflib's way: there, passing its few rows into the pattern on the right is
what makes the join fast.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from rdflib.plugins.sparql import CUSTOM_EVALS
from rdflib.plugins.sparql.evaluate import evalPart
from rdflib.plugins.sparql.evalutils import _ebv
from rdflib.plugins.sparql.parserutils import Expr
from rdflib.plugins.sparql.sparql import FrozenBindings

_ACTIVE: ContextVar[bool] = ContextVar("gongkai_subqueries_on_their_own", default=False)


@contextmanager
def on_their_own() -> Iterator[None]:
    """rdflib queries run (and their results read) in this block evaluate a subquery once."""
    token = _ACTIVE.set(True)
    try:
        yield
    finally:
        _ACTIVE.reset(token)


def _is_subquery(part: object) -> bool:
    return getattr(part, "name", None) == "ToMultiSet"


def _joined(left: Iterable[FrozenBindings], right: list[FrozenBindings], expr: Expr | None = None
            ) -> Iterator[tuple[FrozenBindings, list[FrozenBindings]]]:
    """Each left row with the right rows compatible with it (and for which ``expr`` holds)."""
    always: set | None = None  # variables every right row binds: those the index can use
    for r in right:
        bound = {k for k, v in r.items() if v is not None}
        always = bound if always is None else always & bound
    always = always or set()
    indexes: dict[tuple, dict[tuple, list[FrozenBindings]]] = {}
    for a in left:
        keys = tuple(sorted((v for v in always if a.get(v) is not None), key=str))
        index = indexes.get(keys)
        if index is None:
            index = indexes[keys] = {}
            for b in right:
                index.setdefault(tuple(b[v] for v in keys), []).append(b)
        found = []
        for b in index.get(tuple(a[v] for v in keys), ()):
            if a.compatible(b):
                merged = b.merge(a)
                if expr is None or _ebv(expr, merged):
                    found.append(merged)
        yield a, found


def _evaluate(ctx, part):
    if not _ACTIVE.get():
        raise NotImplementedError
    if part.name == "LeftJoin" and _is_subquery(part.p2):
        right = list(evalPart(ctx, part.p2))  # once, with the query's own bindings only
        expr = None if getattr(part.expr, "name", None) == "TrueFilter" else part.expr

        def left_join():
            for a, found in _joined(evalPart(ctx, part.p1), right, expr):
                yield from found or (a,)
        return left_join()
    if part.name == "Join" and _is_subquery(part.p2):
        right = list(evalPart(ctx, part.p2))

        def join():
            for _, found in _joined(evalPart(ctx, part.p1), right):
                yield from found
        return join()
    raise NotImplementedError


CUSTOM_EVALS["gongkai_subqueries_on_their_own"] = _evaluate
