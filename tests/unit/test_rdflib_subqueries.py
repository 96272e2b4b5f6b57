"""rdflib's engine with subqueries evaluated on their own (gongkai.store.subqueries): the
rows SPARQL defines, the same as Oxigraph's, and only inside the memory store's queries."""

from __future__ import annotations

import pytest
from rdflib import Dataset

from gongkai.store.embedded import EmbeddedStore
from gongkai.store.memory import MemoryStore
from gongkai.store.subqueries import on_their_own

OUTER_VALUE_UNSEEN = ("SELECT ?x ?n WHERE { VALUES ?x { 1 2 } "
                      "{ SELECT (COUNT(*) AS ?n) WHERE { VALUES ?x { 1 2 3 } } } }")

QUERIES = [
    OUTER_VALUE_UNSEEN,
    "SELECT ?x ?n WHERE { VALUES ?x { 1 2 } OPTIONAL { SELECT (COUNT(*) AS ?n) WHERE { VALUES ?x { 1 2 3 } } } }",
    # shared variable, some left rows without a match
    ("SELECT ?x ?y WHERE { VALUES ?x { 1 2 5 } OPTIONAL { SELECT ?x ?y WHERE { "
     "VALUES (?x ?y) { (1 10) (1 11) (2 20) (3 30) } } } }"),
    # a filter of the OPTIONAL that reads the outer row
    ("SELECT ?x ?y WHERE { VALUES ?x { 1 2 5 } OPTIONAL { "
     "{ SELECT ?y WHERE { VALUES ?y { 1 2 3 } } } FILTER(?y > ?x) } }"),
    # right rows that leave the shared variable unbound join every left row
    ("SELECT ?x ?y ?z WHERE { VALUES (?x ?z) { (1 7) (2 8) } "
     "{ SELECT ?x ?y WHERE { VALUES (?x ?y) { (1 10) (UNDEF 99) (4 40) } } } }"),
    # left rows that leave it unbound
    ("SELECT ?x ?y ?z WHERE { VALUES (?x ?z) { (1 7) (UNDEF 8) } "
     "{ SELECT ?x ?y WHERE { VALUES (?x ?y) { (1 10) (4 40) } } } }"),
    # two subqueries and an aggregate over their join
    ("SELECT ?k (COUNT(?v) AS ?n) WHERE { { SELECT ?k ?i WHERE { VALUES (?k ?i) { (1 1) (1 2) (2 3) } } } "
     "{ SELECT ?i ?v WHERE { VALUES (?i ?v) { (1 \"a\") (2 \"b\") (2 \"c\") (9 \"z\") } } } } GROUP BY ?k"),
]


def rows(result) -> list[tuple]:
    return sorted(tuple(str(r.get(v)) if r.get(v) is not None else None for v in result.vars) for r in result.rows)


@pytest.mark.parametrize("query", QUERIES)
def test_rdflib_gives_oxigraphs_rows(query) -> None:
    assert rows(MemoryStore().select(query)) == rows(EmbeddedStore().select(query))


def test_a_subquery_sees_no_outer_value() -> None:
    assert {int(r["n"]) for r in MemoryStore().select(OUTER_VALUE_UNSEEN).rows} == {3}


def test_outside_the_memory_store_rdflib_is_left_as_it_is() -> None:
    """pyshacl and others in the same process keep rdflib's own evaluation."""
    ds = Dataset(default_union=True)
    assert {int(r[1]) for r in ds.query(OUTER_VALUE_UNSEEN)} == {1}  # rdflib's own answer
    with on_their_own():
        assert {int(r[1]) for r in ds.query(OUTER_VALUE_UNSEEN)} == {3}
