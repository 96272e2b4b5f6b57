"""TimedStore: the embedded store's queries in one long-lived worker process, each with a
time limit. The same rows as the store itself for every library query; a cartesian product
stopped at its limit and the next query answered; answers cut at max_rows; sessions in
threads; the cost of a small lookup and of starting the worker, measured."""

from __future__ import annotations

import statistics
import sys
import threading
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "integration"))

from kgdata import ExampleData, example_data, example_params

from gongkai.errors import QueryError, StoreError
from gongkai.query.library import Library
from gongkai.query.run import run_query
from gongkai.store.base import Store
from gongkai.store.embedded import EmbeddedStore
from gongkai.store.guard import QueryTimeout
from gongkai.store.worker import CutResult, TimedStore, decode, encode

ROOT = Path(__file__).resolve().parents[2]
LIB = Library(ROOT / "queries")
CARTESIAN = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
LOOKUP = "SELECT ?label WHERE { ?s <http://www.w3.org/2004/02/skos/core#prefLabel> ?label } LIMIT 1"


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> ExampleData:
    return example_data(tmp_path_factory.mktemp("worker"))


@pytest.fixture(scope="module")
def store_path(data) -> Path:
    """data/raw (and the made lists) in an embedded store on disk, as `gongkai build` makes it."""
    path = data.trig.parent / "store"
    s = EmbeddedStore(path)
    s.load_file(data.trig)
    s.close()
    del s
    return path


@pytest.fixture(scope="module")
def direct(store_path) -> EmbeddedStore:
    return EmbeddedStore(store_path, read_only=True)


@pytest.fixture(scope="module")
def timed(store_path):
    ts = TimedStore(store_path, timeout=2)
    yield ts
    ts.close()


def test_terms_travel_as_tuples_and_come_back_the_same() -> None:
    from rdflib import BNode, Literal, URIRef
    from rdflib.namespace import XSD

    for term in (URIRef("https://w3id.org/gongkai/x"), BNode("b1"), Literal("年报", lang="zh"), Literal("plain"),
                 Literal("20", datatype=XSD.integer), Literal("2021-06-16", datatype=XSD.date)):
        assert decode(encode(term)) == term
        assert all(isinstance(part, (str, type(None))) for part in encode(term))
    # an xsd:string is a plain literal (one term in SPARQL 1.1), as the embedded store gives it
    assert decode(encode(Literal("x", datatype=XSD.string))) == Literal("x")


def test_it_is_a_read_only_store(timed) -> None:
    assert isinstance(timed, Store) and timed.kind == "embedded" and timed.read_only
    for write in (lambda: timed.update("DROP ALL"), lambda: timed.drop_graph("http://x/g")):
        with pytest.raises(StoreError, match="read-only"):
            write()


@pytest.mark.parametrize("q", list(LIB), ids=lambda q: q.id)
def test_every_library_query_gives_the_store_s_rows(q, data, direct, timed) -> None:
    params = example_params(q, data)
    expected = run_query(direct, q, params)
    got = run_query(timed, q, params)
    assert got.vars == expected.vars
    assert got.rows == expected.rows  # the same rows in the same order (ORDER BY lifted alike)
    assert not getattr(got, "truncated", False)


def test_the_counts_and_graphs_are_the_store_s(direct, timed) -> None:
    assert len(timed) == len(direct) > 0
    assert timed.graphs() == direct.graphs()
    g = direct.graphs()[0]
    assert timed.count(g) == direct.count(g) and timed.count() == direct.count()
    assert timed.ask("ASK { ?s ?p ?o }") is True


def test_a_cartesian_product_is_stopped_at_the_limit_and_the_next_query_answered(timed, direct) -> None:
    timed.select(LOOKUP)  # a worker running
    first = timed._workers[0].proc.pid
    t0 = time.monotonic()
    with pytest.raises(QueryTimeout) as e:
        timed.select(CARTESIAN)
    took = time.monotonic() - t0
    assert str(e.value) == ("the query was stopped after 2 s: it ran longer than the time limit; narrow it "
                            "(LIMIT, a more selective pattern) or raise GONGKAI_QUERY_TIMEOUT")
    assert 2 <= took < 4, took
    t0 = time.monotonic()
    again = timed.select(LOOKUP)
    restart = time.monotonic() - t0
    assert again.rows == direct.select(LOOKUP).rows
    assert timed._workers[0].proc.pid != first  # the stopped worker was killed; a new one answers
    print(f"\ncartesian product stopped after {took:.2f} s; the next query answered {restart:.2f} s later "
          f"(worker start {timed.started_in:.2f} s)")


def test_a_count_over_the_cartesian_product_is_stopped_too(store_path) -> None:
    """An aggregate yields nothing until it is done: only killing the worker stops it."""
    ts = TimedStore(store_path, timeout=1)
    try:
        with pytest.raises(QueryTimeout, match="stopped after 1 s"):
            run_query(ts, "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }")
        assert run_query(ts, "ASK { ?s ?p ?o }").rows[0]["answer"].toPython() is True
    finally:
        ts.close()


def test_one_worker_answers_many_queries_in_milliseconds(timed, direct) -> None:
    timed.select(LOOKUP)
    pid = timed._workers[0].proc.pid
    for store in (direct, timed):
        for _ in range(10):
            store.select(LOOKUP)
    times = {}
    for name, store in (("direct", direct), ("worker", timed)):
        laps = []
        for _ in range(200):
            t0 = time.perf_counter()
            store.select(LOOKUP)
            laps.append(time.perf_counter() - t0)
        times[name] = statistics.median(laps) * 1000
    assert timed._workers[0].proc.pid == pid  # not a process per query
    overhead = times["worker"] - times["direct"]
    assert times["worker"] < 5, times  # milliseconds, not the start of a process
    print(f"\nsmall lookup: {times['direct']:.3f} ms on the store, {times['worker']:.3f} ms through the worker "
          f"(+{overhead:.3f} ms)")


def test_the_worker_starts_in_about_a_second(store_path) -> None:
    ts = TimedStore(store_path, timeout=5)
    try:
        t0 = time.perf_counter()
        ts.ask("ASK { ?s ?p ?o }")
        first = time.perf_counter() - t0
        assert ts.started_in is not None and ts.started_in < 30
        print(f"\nworker start: {ts.started_in:.2f} s (first query, start included: {first:.2f} s)")
    finally:
        ts.close()


def test_a_huge_answer_is_cut_at_max_rows(store_path, direct) -> None:
    ts = TimedStore(store_path, timeout=10, max_rows=1000)
    try:
        res = run_query(ts, "SELECT * WHERE { ?s ?p ?o . ?x ?y ?z }")
        assert isinstance(res, CutResult) and res.truncated and len(res.rows) == 1000
        # (ordered by the text of ?o: Oxigraph's ORDER BY of terms of many datatypes is no total order, and
        # Rust's sort aborts on that)
        ordered = run_query(ts, "SELECT ?s ?o WHERE { ?s ?p ?o } ORDER BY STR(?o) ?s")
        assert ordered.truncated and len(ordered.rows) == 1000
        assert ordered.rows == direct.select("SELECT ?s ?o WHERE { ?s ?p ?o } ORDER BY STR(?o) ?s").rows[:1000]
        graph = run_query(ts, "CONSTRUCT WHERE { ?s ?p ?o }")
        assert graph.truncated and len(graph.rows) == 1000
        small = run_query(ts, "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1000")
        assert not getattr(small, "truncated", False) and len(small.rows) == 1000
    finally:
        ts.close()


def test_errors_come_back_as_errors_and_the_worker_stays(timed) -> None:
    timed.select(LOOKUP)
    pid = timed._workers[0].proc.pid
    with pytest.raises(QueryError, match="SPARQL syntax error"):
        timed.select("SELECT ?x WHERE { ?x }")
    with pytest.raises(QueryError, match="not a SELECT query"):
        timed.select("ASK { ?s ?p ?o }")
    assert timed._workers[0].proc.pid == pid


def test_ctrl_c_is_left_to_the_app(timed, direct) -> None:
    """Ctrl-C reaches the whole process group: the worker goes on (the app ends it)."""
    import os
    import signal

    timed.select(LOOKUP)
    pid = timed._workers[0].proc.pid
    os.kill(pid, signal.SIGINT)
    time.sleep(0.3)
    assert timed.select(LOOKUP).rows == direct.select(LOOKUP).rows
    assert timed._workers[0].proc.pid == pid


def test_a_store_that_is_not_there_is_a_clear_error(tmp_path) -> None:
    ts = TimedStore(tmp_path / "nothing-here", timeout=5)
    with pytest.raises(StoreError, match=r"cannot start the query worker for the store at .*nothing-here"):
        ts.select(LOOKUP)
    with pytest.raises(StoreError, match="timeout above 0"):
        TimedStore(tmp_path, timeout=0)


def test_sessions_in_threads_each_get_their_own_answer(store_path, direct) -> None:
    """Streamlit runs sessions in threads: queries from several threads at once are answered
    one at a time per worker, each with its own rows."""
    queries = [f"SELECT ?s WHERE {{ ?s ?p ?o }} ORDER BY ?s LIMIT {n}" for n in range(1, 9)]
    expected = {q: direct.select(q).rows for q in queries}
    for workers in (1, 2):
        ts = TimedStore(store_path, timeout=20, workers=workers)
        got: dict[str, list] = {}
        errors: list[BaseException] = []

        def ask(q: str, ts: TimedStore = ts, got: dict[str, list] = got, errors: list[BaseException] = errors) -> None:
            try:
                for _ in range(5):
                    got[q] = ts.select(q).rows
            except BaseException as e:
                errors.append(e)
        try:
            threads = [threading.Thread(target=ask, args=(q,)) for q in queries]
            for t in threads:
                t.start()
            for t in threads:
                t.join(60)
        finally:
            ts.close()
        assert not errors and got == expected
