"""SPARQL everywhere, on real servers: the Oxigraph server and Virtuoso 7, started by the
fixtures in conftest.py. Every library query gives the same rows on the embedded store,
rdflib in memory, the Oxigraph server and Virtuoso; `gongkai push` then `gongkai query
--endpoint` gives what the embedded store gives; failures of an endpoint exit 2 with a
clear message; `gongkai serve` serves the build."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from kgdata import ExampleData, example_params, normal_rows
from rdflib import Literal

from conftest import Server, free_port, gongkai, stop, wait_ready
from gongkai.query.library import Library
from gongkai.store.embedded import EmbeddedStore
from gongkai.store.memory import MemoryStore
from gongkai.store.push import push
from gongkai.store.remote import Endpoint, RemoteStore

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
LIB = Library(ROOT / "queries")
BUDGET_LAW = "https://w3id.org/gongkai/legal/title/zhonghuarenmingongheguoyusuanfa/2018"
ITEM_13 = "https://w3id.org/gongkai/list/zhongweishiyunjisuanhedashujufazhanju/2021-06-16/item/13"
NASTY = '"> } ; DROP ALL'


@pytest.fixture(scope="module")
def stores(example: ExampleData, oxigraph_server: Server, virtuoso_server: Server) -> dict:
    """The four backends holding the same data: the servers loaded by `push` (Oxigraph
    through the Graph Store Protocol, Virtuoso through SPARQL Update)."""
    embedded = EmbeddedStore()
    embedded.load_file(example.trig)
    memory = MemoryStore()
    memory.load_file(example.trig)
    oxi = RemoteStore(oxigraph_server.endpoint)
    virt = RemoteStore(virtuoso_server.endpoint)
    push(oxi, example.trig)
    push(virt, example.trig)
    return {"embedded": embedded, "memory": memory, "oxigraph server": oxi, "virtuoso": virt}


@pytest.mark.parametrize("q", list(LIB), ids=lambda q: q.id)
def test_every_library_query_gives_the_same_rows_on_every_store(q, example, stores) -> None:
    """Compared as multisets of rows, after the normalisation explained in kgdata.normal."""
    bindings = q.bind(example_params(q, example))
    expected = normal_rows(stores["embedded"].select(q.text, bindings))
    differ = {}
    for name in ("memory", "oxigraph server", "virtuoso"):
        got = normal_rows(stores[name].select(q.text, bindings))
        if got != expected:
            differ[name] = (len(got), [r for r in got if r not in expected][:2]
                            or [r for r in expected if r not in got][:2])
    assert not differ, f"{q.id}: {len(expected)} rows on the embedded store; differing: {differ}"


@pytest.mark.parametrize("name", ["embedded", "memory", "oxigraph server", "virtuoso"])
def test_a_nasty_parameter_is_bound_as_a_literal_everywhere(name, stores) -> None:
    store = stores[name]
    before = store.count()
    echo = store.select("SELECT ?echo WHERE { BIND(?_q AS ?echo) }", {"_q": Literal(NASTY)})
    assert [str(r["echo"]) for r in echo.rows] == [NASTY]
    q = LIB.get("search_items")
    assert store.select(q.text, q.bind({"text": NASTY})).rows == []
    assert store.count() == before


# --- the CLI against the servers --------------------------------------------------------------

def _rows(stdout: str) -> list:
    return sorted(json.dumps(r, sort_keys=True, ensure_ascii=False) for r in json.loads(stdout))


@pytest.mark.parametrize("server_name, how", [
    ("oxigraph", "update"),
    ("oxigraph", "graph-store"),
    ("virtuoso", "update"),
    ("virtuoso", "graph-store-digest"),
])
def test_push_then_query_the_endpoint_gives_the_embedded_rows(server_name, how, example, request) -> None:
    server: Server = request.getfixturevalue(f"{server_name}_server")
    build = {"GONGKAI_BUILD": str(example.trig.parent)}
    ep = server.endpoint
    args = ["push", "--endpoint", ep.query, "--file", str(example.trig)]
    if how == "update" and ep.update:
        args += ["--update-endpoint", ep.update]
    elif how == "graph-store":
        args += ["--graph-store", ep.graph_store]
    elif how == "graph-store-digest":  # Virtuoso's authenticated Graph Store, digest auth
        args += ["--graph-store", f"{server.base}/sparql-graph-crud-auth", "--user", "dba",
                 "--password", "dba", "--auth", "digest"]
    first, second = gongkai(*args, env=build), gongkai(*args, env=build)
    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    counts = [int(r.stdout.split(" triples in named graphs")[0].rsplit(" ", 1)[1]) for r in (first, second)]
    assert counts[0] == counts[1], "pushing twice must leave the same triples"
    assert f"(before: {counts[0]})" in second.stdout
    for name in ("lists", "items_per_category_per_bureau", "channel_coverage"):
        local = gongkai("query", name, "-f", "json", env=build)
        remote = gongkai("query", name, "-f", "json", "--endpoint", ep.query, env=build)
        assert local.returncode == 0 and remote.returncode == 0, local.stderr + remote.stderr
        assert _rows(remote.stdout) == _rows(local.stdout), name


def test_budget_law_items_through_the_oxigraph_endpoint(example, oxigraph_server, stores) -> None:
    """The issue's acceptance: item 13 of the original list, the same through --endpoint."""
    build = {"GONGKAI_BUILD": str(example.trig.parent)}
    args = ["query", "items_relying_on_source", "--param", f"source={BUDGET_LAW}", "-f", "csv"]
    local = gongkai(*args, env=build)
    remote = gongkai(*args, "--endpoint", oxigraph_server.endpoint.query, env=build)
    assert local.returncode == remote.returncode == 0, local.stderr + remote.stderr
    assert ITEM_13 in local.stdout
    assert sorted(remote.stdout.splitlines()) == sorted(local.stdout.splitlines())


def test_an_update_through_the_endpoint_is_refused_without_allow_update(example, oxigraph_server, stores,
                                                                         tmp_path) -> None:
    drop = tmp_path / "drop.rq"
    drop.write_text("DROP ALL\n", encoding="utf-8")
    before = stores["oxigraph server"].count()
    r = gongkai("query", str(drop), "--endpoint", oxigraph_server.endpoint.query)
    assert r.returncode == 2 and "read-only" in r.stderr
    assert stores["oxigraph server"].count() == before > 0


# --- endpoints that fail ---------------------------------------------------------------------

class _Tiny(BaseHTTPRequestHandler):
    mode = "500"

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.mode == "slow":
            time.sleep(4)
        body = b"Internal Server Error: the database is on fire"
        self.send_response(500)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST  # noqa: N815 - the name http.server calls

    def log_message(self, *args) -> None:
        pass


def _tiny_server(mode: str) -> ThreadingHTTPServer:
    handler = type(f"Tiny{mode}", (_Tiny,), {"mode": mode})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    return server


@pytest.mark.parametrize("mode, extra, message", [
    ("down", [], "connection refused"),
    ("slow", ["--timeout", "1"], "did not answer within 1 s"),
    ("500", ["--retries", "1"], "failed with HTTP 500 after 2 attempts"),
])
def test_an_endpoint_that_fails_gives_a_clear_error_and_exit_2(mode, extra, message, example) -> None:
    server = None
    if mode == "down":
        url = f"http://127.0.0.1:{free_port()}/sparql"
    else:
        server = _tiny_server(mode)
        url = f"http://127.0.0.1:{server.server_address[1]}/sparql"
    try:
        for args in (["query", "lists", "--endpoint", url, *extra],
                     ["push", "--endpoint", url, "--file", str(example.trig), *extra]):
            t0 = time.monotonic()
            r = gongkai(*args)
            assert r.returncode == 2, (args, r.stdout, r.stderr)
            assert message in r.stderr and url in r.stderr and "Traceback" not in r.stderr, r.stderr
            assert time.monotonic() - t0 < 30
    finally:
        if server is not None:
            server.shutdown()
            server.server_close()


# --- gongkai serve ---------------------------------------------------------------------------

def test_serve_answers_the_library_queries_over_the_build(example, stores, tmp_path) -> None:
    port = free_port()
    log = tmp_path / "serve.log"
    with open(log, "w") as f:
        proc = subprocess.Popen([sys.executable, "-m", "gongkai.cli", "serve", "--port", str(port)],
                                stdout=f, stderr=subprocess.STDOUT,
                                env={**os.environ, "GONGKAI_BUILD": str(example.trig.parent)})
    base = f"http://127.0.0.1:{port}"
    server = Server("gongkai serve", proc, log, Endpoint(f"{base}/query"), base)
    try:
        wait_ready(server)
        served = RemoteStore(server.endpoint)
        for name in ("lists", "time_limit_distribution"):
            q = LIB.get(name)
            assert normal_rows(served.select(q.text)) == normal_rows(stores["embedded"].select(q.text)), name
        # a copy of the embedded store: the default graph holds each statement of the
        # graphs once (a bureau's name written in several lists counts once)
        every, in_graphs = ("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
                            "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        n = {q: int(served.select(q).rows[0]["n"]) for q in (every, in_graphs)}
        assert n[every] == int(stores["embedded"].select(every).rows[0]["n"]) < n[in_graphs]
        # read-only: an update is refused by the server itself
        req = urllib.request.Request(f"{base}/update", data=b"DROP ALL", method="POST",
                                     headers={"Content-Type": "application/sparql-update"})
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(req, timeout=10)
        assert served.count() == stores["embedded"].count()
    finally:
        stop(server)
