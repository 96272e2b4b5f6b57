"""What a query may do: the read-only check by a real SPARQL parser, SERVICE clauses refused
unless their host is allowed, endpoint URLs that are http(s) only and, in the app, on the
allow-list, the command line's time limit, the union-default-graph warning, and the app
listening on 127.0.0.1.

Where a request could leave, a listener on 127.0.0.1 (a socket server started by the test)
records whatever arrives, and the test checks that nothing did — and, once, that the same
query without the guard does reach it, so that the listener is known to work."""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import subprocess
import sys
import threading
import time
import tomllib
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from rdflib import URIRef

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "integration"))

from kgdata import SETTINGS

from gongkai.errors import QueryError, StoreError
from gongkai.pipeline.build import build
from gongkai.query.library import Library
from gongkai.query.run import run_query
from gongkai.settings import Settings, check_endpoint_url, endpoint_allowed
from gongkai.store.embedded import EmbeddedStore
from gongkai.store.guard import QueryTimeout, check_query, parsed, time_limit
from gongkai.store.remote import Endpoint, RemoteStore

ROOT = Path(__file__).resolve().parents[2]
LIB = Library(ROOT / "queries")
TRICK = 'PREFIX ex:#"""\n<http://example.org/>\nDROP ALL #"""'
CARTESIAN = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
EMPTY_SELECT = json.dumps({"head": {"vars": ["s"]}, "results": {"bindings": []}})


# --- a listener on 127.0.0.1 ------------------------------------------------------------------

Answer = Callable[[bytes], tuple[str, str]]  # request → (content type, body)


class Listener:
    """A socket server on 127.0.0.1 recording every request that reaches it, answering each
    as ``answer`` says (an empty SPARQL JSON result by default)."""

    def __init__(self, answer: Answer | None = None) -> None:
        self.answer = answer or (lambda _req: ("application/sparql-results+json", EMPTY_SELECT))
        self.received: list[bytes] = []
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._one, args=(conn,), daemon=True).start()

    def _one(self, conn: socket.socket) -> None:
        conn.settimeout(5)
        data = b""
        try:
            while b"\r\n\r\n" not in data:
                chunk = conn.recv(65536)
                if not chunk:
                    break
                data += chunk
            head, _, body = data.partition(b"\r\n\r\n")
            length = next((int(line.split(b":", 1)[1]) for line in head.split(b"\r\n")
                           if line.lower().startswith(b"content-length:")), 0)
            while len(body) < length:
                chunk = conn.recv(65536)
                if not chunk:
                    break
                body += chunk
            request = head + b"\r\n\r\n" + body
            self.received.append(request)
            ctype, text = self.answer(request)
            payload = text.encode("utf-8")
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: " + ctype.encode() + b"\r\nContent-Length: "
                         + str(len(payload)).encode() + b"\r\nConnection: close\r\n\r\n" + payload)
        except OSError:
            pass
        finally:
            conn.close()

    def close(self) -> None:
        self.sock.close()


@contextmanager
def listener(answer: Answer | None = None) -> Iterator[Listener]:
    ear = Listener(answer)
    try:
        yield ear
    finally:
        ear.close()


def form_of(request: bytes) -> dict[str, list[str]]:
    return urllib.parse.parse_qs(request.partition(b"\r\n\r\n")[2].decode("utf-8"))


def gongkai(*args: str, env: dict[str, str] | None = None, timeout: float = 180) -> subprocess.CompletedProcess:
    full = {**os.environ, **(env or {})}
    if "GONGKAI_ENDPOINT" not in (env or {}):
        full.pop("GONGKAI_ENDPOINT", None)
    return subprocess.run([sys.executable, "-m", "gongkai.cli", *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=timeout, env=full)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """data/raw built, as `gongkai build` builds it."""
    out = tmp_path_factory.mktemp("guard") / "build"
    build(SETTINGS, SETTINGS.raw_dir, out)
    return out


@pytest.fixture(scope="module")
def store(built) -> EmbeddedStore:
    s = EmbeddedStore()
    s.load_file(built / "kg.trig")
    return s


# --- read-only, by a real parser ----------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "INSERT DATA { <a:b> <a:c> <a:d> }",
    "PREFIX x: <http://x/>\nDELETE WHERE { ?s ?p ?o }",
    "prefix x: <http://x/> with <http://g> delete { ?s ?p ?o } where { ?s ?p ?o }",
    "LOAD <http://example.org/data.ttl>",
    "CLEAR ALL",
    TRICK,                                                    # a comment the tokenizer read as a string
    "PREFIX ex:#'''\n<http://example.org/>\nCLEAR ALL #'''",
    "BASE <http://x/> # SELECT\nDROP ALL",
])
def test_updates_are_recognised_by_the_parser(text: str) -> None:
    assert parsed(text).is_update
    with pytest.raises(QueryError, match=r"read-only.*--allow-update"):
        check_query(text)
    assert check_query(text, allow_update=True, allow_service=["*"]).form == "UPDATE"


@pytest.mark.parametrize("text, form", [
    ('SELECT ?s WHERE { ?s ?p "DROP ALL" }', "SELECT"),
    ("# INSERT DATA { <a:b> <a:c> <a:d> }\nSELECT * { ?s ?p ?o }", "SELECT"),
    ("SELECT ?s WHERE { ?s <http://example.org/DELETE> ?o }", "SELECT"),
    ('SELECT (GROUP_CONCAT(?o; separator=" ; ") AS ?all) WHERE { ?s ?p ?o }', "SELECT"),
    ("ASK { ?s ?p ?o }", "ASK"),
    ("CONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT"),
    ("DESCRIBE <http://example.org/x>", "DESCRIBE"),
    ('PREFIX ex: <http://example.org/>\nSELECT * { ?s ex:p """DROP ALL""" }', "SELECT"),
])
def test_queries_are_read_only(text: str, form: str) -> None:
    assert check_query(text).form == form


@pytest.mark.parametrize("text, where", [
    ("SELECT * WHERE { ?s ?p ?o } ; DROP ALL", "1:29"),     # neither a query nor an update: refused
    ("SELECT ?s WHERE {\n  ?s ?p \n}", "2:3"),
    ("SELECT * WHERE { SERVICE zz:x { ?s ?p ?o } }", None),  # an undeclared prefix where it matters
])
def test_text_the_parser_cannot_read_is_refused_with_its_complaint(text: str, where: str | None) -> None:
    with pytest.raises(QueryError, match="SPARQL syntax error") as e:
        check_query(text, allow_update=True)
    if where:
        assert f"error at {where}:" in str(e.value)
    else:
        assert "Unknown namespace prefix : zz" in str(e.value)


def test_a_text_too_long_or_too_deep_to_check_is_refused_clearly() -> None:
    """The parser reads about 40,000 characters a second, and recurses for each group."""
    values = " ".join(f'"v{i}"' for i in range(20_000))
    with pytest.raises(QueryError, match=r"is 168,9\d\d characters long: gongkai runs queries of at most 100,000"):
        check_query(f"SELECT * WHERE {{ VALUES ?x {{ {values} }} ?s ?p ?x }}")
    deep = "SELECT * WHERE " + "{ " * 200 + "?s ?p ?o" + " }" * 200
    with pytest.raises(QueryError, match="nests its groups too deeply"):
        check_query(deep)
    assert check_query("SELECT * WHERE " + "{ " * 10 + "?s ?p ?o" + " }" * 10).form == "SELECT"


def test_the_empty_text_is_refused() -> None:
    for text in ("", "  \n", "# only a comment\n", "PREFIX ex: <http://x/>"):
        with pytest.raises(QueryError):
            check_query(text, allow_update=True)


def test_what_a_text_is_is_parsed_once(store) -> None:
    """Library queries do not pay for the parser on every run (50 ms each)."""
    parsed.cache_clear()
    q = LIB.get("lists")
    first = time.perf_counter()
    run_query(store, q)
    first = time.perf_counter() - first
    again = time.perf_counter()
    for _ in range(20):
        run_query(store, q)
    again = (time.perf_counter() - again) / 20
    info = parsed.cache_info()
    assert info.misses == 1 and info.hits == 20
    print(f"\nlists: first run {first * 1000:.1f} ms (parsing included), then {again * 1000:.1f} ms")


def test_the_trick_text_is_refused_on_the_embedded_store(store) -> None:
    before = len(store)
    with pytest.raises(QueryError, match="read-only"):
        run_query(store, TRICK)
    assert len(store) == before


def test_the_trick_text_sends_nothing_to_an_endpoint(tmp_path) -> None:
    rq = tmp_path / "trick.rq"
    rq.write_text(TRICK + "\n", encoding="utf-8")
    with listener() as ear:
        with pytest.raises(QueryError, match="read-only"):
            run_query(RemoteStore(Endpoint(ear.url + "/query")), TRICK)
        r = gongkai("query", str(rq), "--endpoint", ear.url + "/query")
        time.sleep(0.2)
    assert r.returncode == 2 and "read-only" in r.stderr, r.stderr
    assert ear.received == []


def test_a_read_is_never_sent_as_an_update() -> None:
    """SPARQLWrapper takes the trick text for an update and would send it as ``update=``; the
    remote store sends every read as ``query=``, which no endpoint runs as an update."""
    with listener() as ear:
        RemoteStore(Endpoint(ear.url + "/query")).select(TRICK)
    sent = form_of(ear.received[0])
    assert list(sent) == ["query"] and sent["query"][0] == TRICK


# --- SERVICE ----------------------------------------------------------------------------------

@pytest.mark.parametrize("where", [
    "{ SERVICE <URL> { ?s ?p ?o } }",
    "{ ?s ?p ?o OPTIONAL { SERVICE SILENT <URL> { ?s ?q ?x } } }",
    "{ { ?s ?p ?o } UNION { SERVICE <URL> { ?s ?p ?o } } }",
    "{ ?s ?p ?o MINUS { SERVICE <URL> { ?s ?p ?o } } }",
    "{ ?s ?p ?o FILTER EXISTS { SERVICE <URL> { ?s ?p ?o } } }",
    "{ ?s ?p ?o FILTER (NOT EXISTS { SERVICE <URL> { ?s ?p ?o } } && true) }",
    "{ { SELECT ?s WHERE { { SELECT ?s WHERE { SERVICE <URL> { ?s ?p ?o } } } } } }",
    "{ GRAPH ?g { { SERVICE <URL> { ?s ?p ?o } } } }",
    "{ ?s ?p ?o BIND(EXISTS { SERVICE <URL> { ?s ?p ?o } } AS ?b) }",
])
def test_service_is_found_at_every_depth_and_refused(where: str) -> None:
    url = "http://127.0.0.1:8765/x"
    text = "SELECT * WHERE " + where.replace("URL", url)
    with pytest.raises(QueryError) as e:
        check_query(text)
    assert str(e.value) == (f"SERVICE <{url}> is not allowed: this query would make the server send a request to "
                            "127.0.0.1; allow the host with --allow-service 127.0.0.1 (or GONGKAI_SERVICE_HOSTS)")
    assert check_query(text, allow_service=["127.0.0.1"]).form == "SELECT"
    assert check_query(text, allow_service=["*"]).form == "SELECT"
    with pytest.raises(QueryError, match=r"127\.0\.0\.1"):
        check_query(text, allow_service=["example.org"])


def test_service_written_with_a_prefix_or_a_base_is_resolved() -> None:
    with pytest.raises(QueryError, match=r"SERVICE <http://10\.0\.0\.5/sparql> .* request to 10\.0\.0\.5"):
        check_query("PREFIX in: <http://10.0.0.5/>\nSELECT * { SERVICE in:sparql { ?s ?p ?o } }")
    with pytest.raises(QueryError, match=r"request to intranet\.example"):
        check_query("BASE <http://intranet.example/>\nSELECT * { SERVICE <sparql> { ?s ?p ?o } }")
    assert check_query("BASE <http://Intranet.Example/>\nSELECT * { SERVICE <sparql> { ?s ?p ?o } }",
                       allow_service=["intranet.example"]).services


def test_service_with_a_variable_needs_any_host() -> None:
    text = "SELECT * { VALUES ?e { <http://127.0.0.1:1/> } SERVICE ?e { ?s ?p ?o } }"
    for hosts in ([], ["127.0.0.1"]):
        with pytest.raises(QueryError, match=r"SERVICE \?e is not allowed: the endpoint is a variable.*'\*'"):
            check_query(text, allow_service=hosts)
    assert check_query(text, allow_service=["*"])
    # a library query's parameter: held to the host of its value
    param = "SELECT * { SERVICE ?_ep_iri { ?s ?p ?o } }"
    assert check_query(param, allow_service=["example.org"], bindings={"_ep_iri": URIRef("http://example.org/q")})
    with pytest.raises(QueryError, match="is not allowed"):
        check_query(param, allow_service=["example.org"], bindings={"_ep_iri": URIRef("http://127.0.0.1/q")})


def test_service_in_an_update_and_load_are_held_to_the_hosts() -> None:
    with pytest.raises(QueryError, match=r"SERVICE <http://127\.0\.0\.1/q> is not allowed"):
        check_query("INSERT { ?s ?p ?o } WHERE { SERVICE <http://127.0.0.1/q> { ?s ?p ?o } }", allow_update=True)
    with pytest.raises(QueryError, match=r"LOAD <http://127.0.0.1/data.ttl> is not allowed: this update"):
        check_query("LOAD <http://127.0.0.1/data.ttl>", allow_update=True)
    assert check_query("LOAD <http://127.0.0.1/data.ttl>", allow_update=True, allow_service=["127.0.0.1"])


def test_service_in_strings_and_comments_is_not_a_service() -> None:
    text = 'SELECT * { ?s ?p "SERVICE <http://127.0.0.1/>" } # SERVICE <http://127.0.0.1/> { }'
    assert check_query(text).services == ()


def test_service_on_the_embedded_store_reaches_nobody(store) -> None:
    with listener() as ear:
        text = f"SELECT * WHERE {{ SERVICE <{ear.url}/x> {{ ?s ?p ?o }} }}"
        with pytest.raises(QueryError, match=r"request to 127\.0\.0\.1; allow the host with --allow-service"):
            run_query(store, text)
        time.sleep(0.2)
        assert ear.received == []
        # allowed, the same query does reach it: pyoxigraph runs SERVICE itself
        run_query(store, text, allow_service=["127.0.0.1"])
        assert len(ear.received) == 1 and ear.received[0].startswith(b"POST /x ")


def test_service_through_an_endpoint_sends_nothing(tmp_path) -> None:
    with listener() as endpoint, listener() as target:
        text = f"SELECT * WHERE {{ SERVICE <{target.url}/x> {{ ?s ?p ?o }} }}"
        with pytest.raises(QueryError, match="is not allowed"):
            run_query(RemoteStore(Endpoint(endpoint.url + "/query")), text)
        rq = tmp_path / "service.rq"
        rq.write_text(text, encoding="utf-8")
        r = gongkai("query", str(rq), "--endpoint", endpoint.url + "/query")
        assert r.returncode == 2 and "--allow-service 127.0.0.1" in r.stderr, r.stderr
        allowed = gongkai("query", str(rq), "--endpoint", endpoint.url + "/query", "--allow-service", "127.0.0.1",
                          "-f", "csv")
        assert allowed.returncode == 0, allowed.stderr
        time.sleep(0.2)
    assert target.received == []
    assert len(endpoint.received) >= 1 and f"{target.url}/x" in form_of(endpoint.received[0])["query"][0]


def test_cli_service_on_the_embedded_store_is_refused_unless_allowed(built, tmp_path) -> None:
    with listener() as ear:
        rq = tmp_path / "service.rq"
        rq.write_text(f"SELECT * WHERE {{ SERVICE <{ear.url}/x> {{ ?s ?p ?o }} }}\n", encoding="utf-8")
        r = gongkai("query", str(rq), env={"GONGKAI_BUILD": str(built)})
        time.sleep(0.2)
        assert r.returncode == 2 and ear.received == []
        assert f"SERVICE <{ear.url}/x> is not allowed" in r.stderr
        by_env = gongkai("query", str(rq), "-f", "csv", env={"GONGKAI_BUILD": str(built),
                                                            "GONGKAI_SERVICE_HOSTS": "example.org, 127.0.0.1"})
        assert by_env.returncode == 0, by_env.stderr
        assert len(ear.received) == 1


# --- endpoint URLs ---------------------------------------------------------------------------------

@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://127.0.0.1/x", "/etc/passwd", "http://",
                                 "http:///etc/passwd", "gopher://127.0.0.1:70/", "http://h:port/q",
                                 "http://127.0.0.1/q\nHost: x"])
def test_only_http_urls_are_endpoints(url: str) -> None:
    with pytest.raises(StoreError, match="must be an http:// or https:// URL"):
        check_endpoint_url(url)
    with pytest.raises(StoreError):
        Endpoint(url)
    with pytest.raises(StoreError):
        Endpoint("http://127.0.0.1/query", update=url)
    with pytest.raises(StoreError):
        Endpoint("http://127.0.0.1/query", graph_store=url)
    assert check_endpoint_url(" https://example.org:8890/sparql ") == "https://example.org:8890/sparql"


@pytest.mark.parametrize("args, env", [
    (("query", "lists", "--endpoint", "file:///etc/passwd"), {}),
    (("query", "lists"), {"GONGKAI_ENDPOINT": "file:///etc/passwd"}),
    (("push", "--endpoint", "http://127.0.0.1:9/query", "--graph-store", "file:///etc/passwd"), {}),
    (("push", "--endpoint", "http://127.0.0.1:9/query", "--update-endpoint", "file:///etc/passwd"), {}),
    (("push", "--endpoint", "file:///etc/passwd"), {}),
])
def test_cli_refuses_a_file_url_as_endpoint_and_prints_nothing_of_it(args, env, built) -> None:
    r = gongkai(*args, env={"GONGKAI_BUILD": str(built), **env})
    assert r.returncode == 2, r.stderr
    assert "http:// or https://" in r.stderr
    assert "root:" not in r.stdout + r.stderr


def test_endpoint_allowed_compares_urls_not_text() -> None:
    allowed = ["http://127.0.0.1:7878/query", None]
    assert endpoint_allowed("HTTP://127.0.0.1:7878/query/", allowed)
    assert not endpoint_allowed("http://127.0.0.1:7878/query?x=1", allowed)
    assert not endpoint_allowed("http://127.0.0.1:7879/query", allowed)
    assert not endpoint_allowed("file:///etc/passwd", allowed)


def test_settings_read_the_allow_lists(monkeypatch) -> None:
    monkeypatch.setenv("GONGKAI_ENDPOINTS", "http://a/query, http://b/sparql")
    monkeypatch.setenv("GONGKAI_SERVICE_HOSTS", "example.org 127.0.0.1")
    monkeypatch.setenv("GONGKAI_QUERY_TIMEOUT", "12.5")
    s = Settings()
    assert s.endpoints == ("http://a/query", "http://b/sparql")
    assert s.service_hosts == ("example.org", "127.0.0.1") and s.query_timeout == 12.5
    monkeypatch.delenv("GONGKAI_ENDPOINTS")
    monkeypatch.delenv("GONGKAI_SERVICE_HOSTS")
    monkeypatch.delenv("GONGKAI_QUERY_TIMEOUT")
    assert Settings().endpoints == () and Settings().service_hosts == () and Settings().query_timeout == 30


# --- time limits ---------------------------------------------------------------------------------

def test_cli_query_is_stopped_at_its_time_limit(built, tmp_path) -> None:
    rq = tmp_path / "cartesian.rq"
    rq.write_text(CARTESIAN + "\n", encoding="utf-8")
    env = {"GONGKAI_BUILD": str(built)}
    assert gongkai("query", "lists", "-f", "csv", env=env).returncode == 0  # the store loaded first
    t0 = time.monotonic()
    r = gongkai("query", str(rq), "--timeout", "2", "-f", "csv", env=env, timeout=60)
    took = time.monotonic() - t0
    assert r.returncode == 2, r.stderr
    assert ("the query was stopped after 2 s: it ran longer than the time limit; narrow it (LIMIT, a more "
            "selective pattern) or raise --timeout") in r.stderr
    assert 2 <= took < 15, took
    print(f"\ncartesian product stopped: the command ended after {took:.1f} s")


def test_cli_legal_commands_have_the_time_limit(built) -> None:
    """A limit shorter than parsing the query itself: the command is stopped, exit 2."""
    env = {"GONGKAI_BUILD": str(built)}
    for args in (("legal", "list"), ("legal", "trace", "预算法")):
        r = gongkai(*args, "--timeout", "0.001", env=env)
        assert r.returncode == 2 and "the query was stopped after 0.001 s" in r.stderr, r.stderr
    assert gongkai("legal", "trace", "预算法", env=env).returncode == 0


def test_the_time_limit_costs_nothing_when_the_block_ends_in_time() -> None:
    with time_limit(5):
        pass
    with time_limit(None):
        pass
    with time_limit(0):
        pass


def test_a_remote_query_past_its_timeout_says_the_same() -> None:
    def slow(req: bytes) -> tuple[str, str]:
        time.sleep(1.5)
        return "application/sparql-results+json", EMPTY_SELECT

    with (listener(slow) as ear,
          pytest.raises(QueryTimeout, match=r"^the query was stopped after 0.5 s: the SPARQL endpoint "
                                            r".* did not answer within 0.5 s; narrow it")):
        RemoteStore(Endpoint(ear.url + "/query", timeout=0.5, retries=0)).select("SELECT * { ?s ?p ?o }")
    assert Endpoint("http://127.0.0.1/query").timeout == 30


# --- the union default graph ----------------------------------------------------------------------

def _endpoint_with_union(union: bool) -> Answer:
    row = json.dumps({"head": {"vars": ["s", "p", "o"]}, "results": {"bindings": [
        {"s": {"type": "uri", "value": "http://example.org/a"}, "p": {"type": "uri", "value": "http://example.org/p"},
         "o": {"type": "literal", "value": "值", "xml:lang": "zh"}}]}})

    def answer(req: bytes) -> tuple[str, str]:
        q = form_of(req)["query"][0]
        if q.startswith("ASK"):
            return "application/sparql-results+json", json.dumps({"head": {}, "boolean": union})
        return "application/sparql-results+json", row
    return answer


def test_an_endpoint_without_the_union_default_graph_is_named_once() -> None:
    with listener(_endpoint_with_union(False)) as ear:
        store = RemoteStore(Endpoint(ear.url + "/query"))
        warning = store.union_warning()
        assert warning is not None and "--union-default-graph" in warning and "tdb2:unionDefaultGraph true" in warning
        assert "GraphDB and Virtuoso" in warning and ear.url in warning
        assert store.union_warning() == warning and len(ear.received) == 2  # asked once
        asked = form_of(ear.received[1])["query"][0]
        assert asked == 'ASK { <http://example.org/a> <http://example.org/p> "值"@zh }'
    with listener(_endpoint_with_union(True)) as ear:
        assert RemoteStore(Endpoint(ear.url + "/query")).union_warning() is None


def test_cli_query_on_an_endpoint_without_the_union_warns() -> None:
    with listener(_endpoint_with_union(False)) as ear:
        r = gongkai("query", "lists", "--endpoint", ear.url + "/query", "-f", "csv")
    assert r.returncode == 0, r.stderr
    assert "warning:" in r.stderr and "--union-default-graph" in r.stderr


# --- the app ---------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def app_build(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("guard-app") / "build"
    build(Settings(build_dir=out, fixed_time=dt.datetime(2026, 1, 1, tzinfo=dt.UTC)))
    return out


def _sparql_page(build_dir: Path, monkeypatch, **env: str):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("GONGKAI_BUILD", str(build_dir))
    for name in ("GONGKAI_ENDPOINT", "GONGKAI_ENDPOINTS", "GONGKAI_SERVICE_HOSTS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    at = AppTest.from_file(str(ROOT / "app" / "streamlit_app.py"), default_timeout=60)
    at.run()
    return at.switch_page("app_pages/sparql.py").run()


def test_app_remote_mode_is_off_without_an_allow_list(app_build, monkeypatch) -> None:
    at = _sparql_page(app_build, monkeypatch)
    at.radio(key="sparql_where").set_value("remote").run()
    assert not at.exception and not at.error
    assert any("GONGKAI_ENDPOINTS" in i.value for i in at.info)
    assert not [t for t in at.text_input if t.key == "sparql_endpoint"]  # no URL can be given


@pytest.mark.parametrize("url", ["file:///etc/passwd", "LISTENER/", "LISTENER/query"])
def test_app_refuses_an_endpoint_not_on_the_list_before_any_request(url, app_build, monkeypatch) -> None:
    with listener() as ear:
        at = _sparql_page(app_build, monkeypatch, GONGKAI_ENDPOINTS="http://127.0.0.1:9/query")
        at.radio(key="sparql_where").set_value("remote").run()
        at.text_input(key="sparql_endpoint").input(url.replace("LISTENER", ear.url)).run()
        time.sleep(0.2)
        assert not at.exception
        assert at.error and "root:" not in at.error[0].value
        assert not [b for b in at.button if b.key == "sparql_run_lib"]  # nothing to run it with
        assert ear.received == []


def test_app_queries_an_endpoint_on_the_list_and_shows_the_union_warning(app_build, monkeypatch) -> None:
    with listener(_endpoint_with_union(False)) as ear:
        at = _sparql_page(app_build, monkeypatch, GONGKAI_ENDPOINTS=f"{ear.url}/query")
        at.radio(key="sparql_where").set_value("remote").run()
        at.text_input(key="sparql_endpoint").input(f"{ear.url}/query").run()
        at.radio(key="sparql_mode").set_value("free").run()
        at.toggle(key="sparql_plain").set_value(True).run()  # the text box, not the editor
        at.text_area(key="sparql_text").input("SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 1").run()
        at.button(key="sparql_run").click().run()
        assert not at.exception and not at.error, [e.value for e in at.error]
        assert at.success and any("--union-default-graph" in w.value for w in at.warning)
        assert len(ear.received) == 3  # the query, then the check: one triple, and ASK


def test_app_free_query_with_service_reaches_nobody(app_build, monkeypatch) -> None:
    with listener() as ear:
        at = _sparql_page(app_build, monkeypatch)
        at.radio(key="sparql_mode").set_value("free").run()
        at.toggle(key="sparql_plain").set_value(True).run()  # the text box, not the editor
        at.text_area(key="sparql_text").input(f"SELECT * WHERE {{ SERVICE <{ear.url}/x> {{ ?s ?p ?o }} }}").run()
        at.button(key="sparql_run").click().run()
        time.sleep(0.2)
        assert not at.exception
        shown = at.error[0].value.replace("\\", "") if at.error else ""  # Markdown escapes taken out
        assert "不允许" in shown and "GONGKAI_SERVICE_HOSTS" in shown     # in the app's language
        assert ear.received == []


def test_app_refuses_the_trick_text(app_build, monkeypatch) -> None:
    at = _sparql_page(app_build, monkeypatch)
    at.radio(key="sparql_mode").set_value("free").run()
    at.toggle(key="sparql_plain").set_value(True).run()  # the text box, not the editor
    at.text_area(key="sparql_text").input(TRICK).run()
    at.button(key="sparql_run").click().run()
    assert at.error and "只读" in at.error[0].value


# --- where the app listens ----------------------------------------------------------------------------

def test_make_app_listens_on_127_0_0_1_unless_told_otherwise() -> None:
    default = subprocess.run(["make", "-n", "app"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert default.returncode == 0, default.stderr
    assert "--server.address 127.0.0.1" in default.stdout and "warning" not in default.stdout
    wide = subprocess.run(["make", "-n", "app", "HOST=0.0.0.0"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert "--server.address 0.0.0.0" in wide.stdout
    assert "warning: HOST=0.0.0.0 is not a loopback address" in wide.stdout
    for host in ("localhost", "::1", "127.0.0.2"):
        r = subprocess.run(["make", "-n", "app", f"HOST={host}"], cwd=ROOT, capture_output=True, text=True, timeout=60)
        assert "warning" not in r.stdout, host
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["address"] == "127.0.0.1"


def test_one_endpoint_object_from_the_environment_or_the_options(monkeypatch) -> None:
    """The app's settings and the command line's options make the same Endpoint: the URL checked,
    credentials, authentication and the time limit with it."""
    from gongkai import Endpoint, Settings

    monkeypatch.delenv("GONGKAI_ENDPOINT", raising=False)
    assert Endpoint.from_env() is None
    monkeypatch.setenv("GONGKAI_ENDPOINT", "http://127.0.0.1:7878/query")
    monkeypatch.setenv("GONGKAI_USER", "dba")
    monkeypatch.setenv("GONGKAI_PASSWORD", "secret")
    monkeypatch.setenv("GONGKAI_AUTH", "digest")
    monkeypatch.setenv("GONGKAI_QUERY_TIMEOUT", "7")
    ep = Endpoint.from_env()
    assert ep == Endpoint("http://127.0.0.1:7878/query", user="dba", password="secret", auth="digest", timeout=7.0)
    assert ep.update_url == "http://127.0.0.1:7878/update"
    settings = Settings(endpoint=ep, endpoints=("http://other.example/sparql",))
    assert settings.endpoint_for("http://127.0.0.1:7878/query/") is ep
    assert settings.endpoint_for("http://other.example/sparql").timeout == settings.query_timeout
    with pytest.raises(StoreError, match="not one gongkai may query"):
        settings.endpoint_for("http://127.0.0.1:9/query")
    monkeypatch.setenv("GONGKAI_ENDPOINT", "file:///etc/passwd")
    with pytest.raises(StoreError, match="must be an http:// or https:// URL"):
        Endpoint.from_env()
