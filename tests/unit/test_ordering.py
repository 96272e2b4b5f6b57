"""ORDER BY applied in Python by the embedded store: the same order as Oxigraph's own
sort, and Oxigraph's sort wherever Python could not be sure to give it."""

from __future__ import annotations

import pytest

from gongkai.store.embedded import EmbeddedStore
from gongkai.store.ordering import OrderKey, sort_rows
from gongkai.store.sparql_text import split_order_by

XSD = "http://www.w3.org/2001/XMLSchema#"

# one column per kind of value; each cell a SPARQL term or UNDEF
COLUMNS = {
    "zh": ['"中卫市教育局"@zh', '"黄石市人民政府"@zh', '"𠀀局"@zh', '"Ｚ局"@zh', '"中卫市"@zh', "UNDEF",
           '"a"@en', '"中卫市教育局"@zh', '"abc"@zh', '"中"@zh'],
    "text": ['"b"', '"a"', '"é"', '"中"', '"Z"', "UNDEF", '"！"', '"a"', '"10"', '"2"'],
    "num": ["10", "2", "1.5", f'"1e1"^^<{XSD}double>', f'"3"^^<{XSD}nonNegativeInteger>', "UNDEF",
            "-4", "2", "0.25", f'"7"^^<{XSD}int>'],
    "date": [f'"2024-12-31"^^<{XSD}date>', f'"2021-06-16"^^<{XSD}date>', "UNDEF",
             f'"2021-06-16"^^<{XSD}date>', f'"1999-01-01"^^<{XSD}date>', f'"2030-02-28"^^<{XSD}date>',
             f'"2021-06-15"^^<{XSD}date>', "UNDEF", f'"2024-01-01"^^<{XSD}date>', f'"2000-10-10"^^<{XSD}date>'],
    "iri": ["<https://x/b>", '"lit"', "<https://x/a>", "UNDEF", '"a lit"', "<https://x/a/10>",
            "<https://x/a/2>", '"z"', "<https://x/c>", "<https://x/a>"],
    "flag": ["true", "false", "UNDEF", "true", "false", "false", "true", "UNDEF", "true", "false"],
    "day": [f'"--{m:02d}-{d:02d}"^^<{XSD}gMonthDay>' for m, d in
            ((12, 31), (1, 31), (3, 1), (1, 31), (10, 10), (2, 28), (6, 30), (1, 1), (11, 9), (9, 11))],
}
MIXED = ['"10"', "2", '"abc"', "1.5", "<http://x/a>", "UNDEF", f'"2020-01-01"^^<{XSD}date>', '"b"@zh',
         '"b"', "3"]


def table(columns: dict[str, list[str]], order: str) -> str:
    names = list(columns)
    rows = " ".join("(" + " ".join(columns[n][i] for n in names) + ")"
                    for i in range(len(next(iter(columns.values())))))
    return (f"SELECT {' '.join('?' + n for n in names)} WHERE {{ VALUES ({' '.join('?' + n for n in names)}) "
            f"{{ {rows} }} }}\n{order}")


def keys_of(rows, keys) -> list[tuple]:
    return [tuple(r.get(k) for k in keys) for r in rows]


def oxigraph_order(store: EmbeddedStore, sparql: str, keys) -> list[tuple]:
    """The rows as Oxigraph's own ORDER BY gives them."""
    return keys_of(store._rows(store._run(sparql, None))[1], keys)


@pytest.mark.parametrize("order", [
    "ORDER BY ?zh", "ORDER BY DESC(?zh)", "ORDER BY ?text", "ORDER BY DESC(?text)", "ORDER BY ?num",
    "ORDER BY DESC(?num) ?text", "ORDER BY ?date ?zh", "ORDER BY DESC(?date) DESC(?text)",
    "ORDER BY ?iri", "ORDER BY DESC(?iri)", "ORDER BY ?flag ASC(?num)", "ORDER BY ?flag DESC(?zh) ?text",
    "ORDER BY ?day ?text", "ORDER BY DESC(?day) ?num",
])
def test_python_orders_rows_as_oxigraph_does(order) -> None:
    store = EmbeddedStore()
    q = table(COLUMNS, order)
    lift = split_order_by(q)
    assert lift is not None
    _, rows = store._rows(store._run(lift.text, None))
    ordered = sort_rows(rows, lift.keys)
    assert ordered is not None
    names = [k.var for k in lift.keys]
    assert keys_of(ordered, names) == oxigraph_order(store, q, names)
    assert keys_of(store.select(q).rows, names) == oxigraph_order(store, q, names)


def test_mixed_kinds_of_literal_are_left_to_oxigraph() -> None:
    store = EmbeddedStore()
    q = table({"m": MIXED, "text": COLUMNS["text"]}, "ORDER BY ?m ?text")
    lift = split_order_by(q)
    _, rows = store._rows(store._run(lift.text, None))
    assert sort_rows(rows, lift.keys) is None  # a number and a string: no order SPARQL defines
    assert keys_of(store.select(q).rows, ["m", "text"]) == oxigraph_order(store, q, ["m", "text"])


def test_kinds_mixed_across_groups_but_not_within_one_are_sorted_in_python() -> None:
    """A column may hold strings in some rows and numbers in others, as long as an earlier
    condition already separates them (item_detail: field, then its value)."""
    store = EmbeddedStore()
    q = table({"field": ["1", "2", "2", "3", "1", "4"],
               "value": ['"b"', "5", "3", '"x"@zh', '"a"', f'"2024-01-01"^^<{XSD}date>']},
              "ORDER BY ?field DESC(?value)")
    lift = split_order_by(q)
    _, rows = store._rows(store._run(lift.text, None))
    ordered = sort_rows(rows, lift.keys)
    assert ordered is not None
    assert keys_of(ordered, ["field", "value"]) == oxigraph_order(store, q, ["field", "value"])


def test_a_column_unbound_in_every_row_orders_nothing() -> None:
    store = EmbeddedStore()
    q = table({"none": ["UNDEF", "UNDEF", "UNDEF"], "num": ["3", "1", "2"]}, "ORDER BY ?none DESC(?num)")
    assert [int(r["num"]) for r in store.select(q).rows] == [3, 2, 1]
    assert keys_of(store.select(q).rows, ["none", "num"]) == oxigraph_order(store, q, ["none", "num"])


def test_limit_and_offset_are_left_to_oxigraph() -> None:
    """With LIMIT or OFFSET, Oxigraph sorts and keeps only the rows asked for (Python would
    have to read them all first)."""
    store = EmbeddedStore()
    for tail in ("LIMIT 3", "OFFSET 4", "LIMIT 3 OFFSET 2"):
        q = table(COLUMNS, f"ORDER BY ?num DESC(?text) {tail}")
        assert split_order_by(q) is None
        assert keys_of(store.select(q).rows, ["num", "text"]) == oxigraph_order(store, q, ["num", "text"]), tail


@pytest.mark.parametrize("query", [
    "SELECT ?x WHERE { ?x ?p ?o } ORDER BY STR(?x)",                  # an expression
    "SELECT ?x WHERE { ?x ?p ?o } ORDER BY ?o",                       # not projected
    "SELECT ?x WHERE { { SELECT ?x WHERE { ?x ?p ?o } ORDER BY ?x LIMIT 2 } }",  # a subquery's
    "SELECT ?x WHERE { ?x ?p ?o } ORDER BY ?x VALUES ?x { <http://x/a> }",       # a trailing VALUES
    "SELECT ?x WHERE { ?x ?p ?o } ORDER BY DESC(?x + 1)",
    "CONSTRUCT { ?x ?p ?o } WHERE { ?x ?p ?o } ORDER BY ?x",
    "SELECT ?x WHERE { ?x ?p ?o }",
])
def test_what_is_not_lifted(query) -> None:
    assert split_order_by(query) is None


def test_what_is_lifted() -> None:
    lift = split_order_by("SELECT * WHERE { ?x ?p ?o } # ORDER BY ?p\norder by desc(?o) ?x ASC(?p)\n")
    assert lift is not None
    assert lift.keys == (OrderKey("o", True), OrderKey("x"), OrderKey("p"))
    assert lift.text == "SELECT * WHERE { ?x ?p ?o } # ORDER BY ?p\n"  # the comment stays, ending its line
    grouped = split_order_by("SELECT ?s (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?s ORDER BY DESC(?n) ?s")
    assert grouped is not None and grouped.keys == (OrderKey("n", True), OrderKey("s"))
    assert grouped.text.rstrip().endswith("GROUP BY ?s")
