"""`gongkai queries`, `gongkai query`, `gongkai push` and `gongkai serve`: SPARQL on the
embedded store, on any SPARQL 1.1 endpoint, and as a local Oxigraph server."""

from __future__ import annotations

import dataclasses
import re
import sys
from contextlib import AbstractContextManager
from ipaddress import ip_address
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.table import Table

from gongkai.cli.common import BaseOpt, app, err, fail, out, settings_from, store_progress
from gongkai.errors import GongkaiError

if TYPE_CHECKING:
    from gongkai.query.library import LibraryQuery
    from gongkai.settings import Settings
    from gongkai.store.base import Result, Store
    from gongkai.store.remote import Endpoint
    from gongkai.store.server import ServerStore

# The package is imported inside each command, not here: `gongkai --help` and a mistyped
# option answer in 0.2 s instead of 0.8 s (rdflib, pyoxigraph and the readers load only
# for the command that needs them).

LangOpt = typer.Option("zh", "--lang", help="Language of summaries and labels: zh or en.")
EndpointOpt = typer.Option(None, "--endpoint", envvar="GONGKAI_ENDPOINT",
                           help="A SPARQL 1.1 query endpoint (default: the embedded store built under build/).")
UserOpt = typer.Option(None, "--user", help="User name for the endpoint (HTTP basic or digest auth).")
PasswordOpt = typer.Option(None, "--password", envvar="GONGKAI_PASSWORD",
                           help="Password for the endpoint (or set GONGKAI_PASSWORD).")
AuthOpt = typer.Option("basic", "--auth", help="HTTP authentication: basic or digest.")
TimeoutOpt = typer.Option(30.0, "--timeout", envvar="GONGKAI_QUERY_TIMEOUT",
                          help="Seconds a query may run (or the endpoint take to answer) before it is stopped.")
AllowServiceOpt = typer.Option([], "--allow-service", metavar="HOST",
                               help="A host SERVICE clauses may send requests to (repeatable; * for any; "
                                    "also GONGKAI_SERVICE_HOSTS). Refused otherwise.")
RetriesOpt = typer.Option(2, "--retries", help="Retries (with back-off) when the endpoint answers 5xx.")


def _check_choice(value: str, choices: tuple[str, ...], option: str) -> str:
    if value not in choices:
        raise fail(f"{option} must be one of {', '.join(choices)}, not {value!r}")
    return value


def _endpoint(url: str, *, update: str | None = None, graph_store: str | None = None,
              user: str | None, password: str | None, auth: str, timeout: float, retries: int) -> Endpoint:
    from gongkai.settings import check_endpoint_url
    from gongkai.store.remote import Endpoint

    _check_choice(auth, ("basic", "digest"), "--auth")
    if timeout <= 0:
        raise fail("--timeout must be more than 0 seconds")
    for value, option in ((url, "--endpoint"), (update, "--update-endpoint"), (graph_store, "--graph-store")):
        if value is not None:
            check_endpoint_url(value, option)  # a file: URL would be read and shown: refused before any request
    return Endpoint(url, update=update, graph_store=graph_store, user=user, password=password,
                    auth="digest" if auth == "digest" else "basic", timeout=timeout, retries=max(0, retries))


@app.command("queries")
def queries_cmd(
    lang: str = LangOpt,
    tag: str | None = typer.Option(None, "--tag", help="Only queries with this tag (legal, analysts, publishers …)."),
    base: str = BaseOpt,
) -> None:
    """The query library (queries/*.rq): each query's name, summary, parameters and tags."""
    from gongkai.query.library import library

    _check_choice(lang, ("zh", "en"), "--lang")
    try:
        lib = library(settings_from(base))
    except GongkaiError as e:
        raise fail(str(e)) from e
    title = f"{len(lib)} queries in {lib.folder}" if lang == "en" else f"查询库：{len(lib)} 个查询（{lib.folder}）"
    table = Table(title=title)
    for col in (("name", "名称"), ("summary", "说明"), ("parameters", "参数"), ("tags", "标签")):
        table.add_column(col[0] if lang == "en" else col[1], overflow="fold")
    shown = 0
    for q in lib:
        if tag and tag not in q.tags:
            continue
        params = ", ".join(
            f"{p.name}{'' if p.required else '?'}:{p.kind}" + (f" = {p.default}" if p.default else "")
            for p in q.params)
        table.add_row(q.id, q.summary_en if lang == "en" else q.summary_zh, params, " ".join(q.tags))
        shown += 1
    out.print(table)
    if tag and not shown:
        raise fail(f"no query has the tag {tag!r}", code=1)


def _parse_params(values: list[str]) -> dict[str, str]:
    params: dict[str, str] = {}
    for v in values:
        name, sep, value = v.partition("=")
        if not sep or not name.strip():
            raise fail(f"--param takes name=value, not {v!r}")
        params[name.strip()] = value
    return params


def _with_known_prefixes(q: LibraryQuery) -> LibraryQuery:
    """A query file of one's own with the graph's prefixes it uses undeclared declared first
    (said on stderr); an undeclared prefix gongkai does not know is an error, with its place."""
    from gongkai.query.prefixes import add_missing_prefixes, unknown_prefix_message

    fix = add_missing_prefixes(q.text)
    if fix.unknown:
        raise fail(f"{q.path}: {unknown_prefix_message(fix.unknown[0])}")
    if not fix.added:
        return q
    err.print(f"{q.path}: prefixes added: " + ", ".join(f"{p}:" for p in fix.added)
              + f" (declared on {len(fix.added)} new first line(s))", highlight=False, markup=False)
    return dataclasses.replace(q, text=fix.text)


@app.command("query")
def query_cmd(
    name: str = typer.Argument(..., help="A library query's name (see `gongkai queries`) or a .rq file."),
    param: list[str] = typer.Option([], "--param", "-p", help="A parameter as name=value (repeatable)."),
    endpoint: str | None = EndpointOpt,
    fmt: str = typer.Option("table", "--format", "-f",
                            help="table, csv, tsv, json or xlsx (with -o: headers in --lang, numbers typed)."),
    allow_update: bool = typer.Option(False, "--allow-update",
                                      help="Allow a SPARQL Update to change the store (refused otherwise)."),
    lang: str = LangOpt,
    output: Path | None = typer.Option(None, "-o", "--output", help="Write the results to this file."),
    user: str | None = UserOpt,
    password: str | None = PasswordOpt,
    auth: str = AuthOpt,
    timeout: float = TimeoutOpt,
    retries: int = RetriesOpt,
    allow_service: list[str] = AllowServiceOpt,
    base: str = BaseOpt,
) -> None:
    """Run a library query (or a .rq file) on the embedded store or a SPARQL endpoint.

    Parameters are bound as typed RDF terms, never pasted into the query. Read-only unless
    --allow-update (decided by a SPARQL parser before anything runs); SERVICE clauses only
    to the hosts --allow-service names; stopped after --timeout seconds (30). Exit 2 on any
    error (unknown query, bad parameter, endpoint down, slow or failing, time limit)."""
    from gongkai.query.library import library
    from gongkai.query.results import render
    from gongkai.query.run import run_query
    from gongkai.store.guard import check_query
    from gongkai.store.lifecycle import open_store

    _check_choice(fmt, ("table", "csv", "tsv", "json", "xlsx"), "--format")
    _check_choice(lang, ("zh", "en"), "--lang")
    if fmt == "xlsx" and output is None:
        raise fail("--format xlsx writes a file: give it with -o FILE.xlsx")
    params = _parse_params(param)
    settings = settings_from(base)
    try:
        q = library(settings).get(name)
        if name.endswith(".rq"):
            q = _with_known_prefixes(q)
        missing = q.missing(params)
        if missing:
            raise fail(f"{q.id} needs " + ", ".join(
                f"--param {p.name}=… ({p.kind}{f', e.g. {p.default}' if p.default else ''})" for p in missing))
        params = _legal_names(q, params, settings)
        q.bind(params)  # check the parameters before opening any store
        if endpoint:  # the one endpoint object, as the app's settings hold it
            settings = dataclasses.replace(settings, endpoint=_endpoint(
                endpoint, user=user, password=password, auth=auth, timeout=timeout, retries=retries))
        services = (*settings.service_hosts, *allow_service)
        warning = None
        try:  # refused before any store is opened or any request sent
            check_query(q.text, allow_update=allow_update, allow_service=services, bindings=q.bind(params))
        except GongkaiError as e:
            raise fail(f"{name if name.endswith('.rq') else q.id}: {e}") from e
        if allow_update and settings.endpoint is None:
            # the embedded store is changed as a new version of the build, published whole
            from gongkai.store.lifecycle import change_store

            result, _ = change_store(settings, lambda st, _v: run_query(st, q, params, allow_update=True,
                                                                        allow_service=services),
                                     note={"made_by": f"gongkai query {q.id} --allow-update"},
                                     say=lambda m: err.print(m, highlight=False, soft_wrap=True))
        else:
            with store_progress() as progress:
                store = open_store(settings, progress=progress)
            try:
                with _limited(store, timeout):
                    result = run_query(store, q, params, allow_update=allow_update, allow_service=services)
                warning = store.union_warning() if hasattr(store, "union_warning") else None
            finally:
                store.close()
    except GongkaiError as e:
        raise fail(str(e)) from e
    if not result.vars and allow_update:
        err.print(f"{q.id}: update done", highlight=False)
        return
    if fmt == "table":
        text = None
        table = _table(result, lang, title=q.summary_en if lang == "en" else q.summary_zh,
                       labels=_labels(q, result, settings))
    elif fmt == "xlsx" and output is not None:
        from gongkai.query.results import xlsx

        try:
            output.parent.mkdir(parents=True, exist_ok=True)
            output.write_bytes(xlsx(result, lang, _labels(q, result, settings), title=q.id))
        except OSError as e:
            raise fail(f"{output}: cannot write: {e.strerror or e}") from e
        err.print(f"{len(result.rows)} rows, {result.elapsed * 1000:.0f} ms → {output}", highlight=False)
        if warning:
            err.print(f"[yellow]warning:[/] {warning}", highlight=False)
        return
    else:
        text = render(result, fmt, lang)
    if output is not None:
        try:
            output.parent.mkdir(parents=True, exist_ok=True)
            if text is None:
                from rich.console import Console

                with open(output, "w", encoding="utf-8") as f:
                    Console(file=f, width=200).print(table)
            else:
                output.write_text(text, encoding="utf-8-sig" if fmt == "csv" else "utf-8", newline="")
        except OSError as e:
            raise fail(f"{output}: cannot write: {e.strerror or e}") from e
    elif text is None:
        out.print(table)
    else:
        sys.stdout.write(text)
    err.print(f"{len(result.rows)} rows, {result.elapsed * 1000:.0f} ms", highlight=False)
    if warning:  # an endpoint whose default graph does not see the lists: why there are no rows
        err.print(f"[yellow]warning:[/] {warning}", highlight=False)


#: the IRI parameters that name a legal source: a work (any version) or one version
_LEGAL_PARAMS = {"source": False, "version": True}


def _legal_names(q: LibraryQuery, params: dict[str, str], settings: Settings) -> dict[str, str]:
    """A legal-source parameter given as a name, alias, document number, English title or
    pinyin initials (``-p source=预算法``) → its IRI, through the registry; a bureau's
    (``-p bureau=中卫市云计算``) through the bureaus in the store. Several matches are
    refused with the candidates listed (QueryError)."""
    from gongkai.legal.registry import registry
    from gongkai.legal.search import target_iri
    from gongkai.rdf.iris import IRIs

    out = dict(params)
    for p in q.params:
        value = params.get(p.name, "").strip()
        if p.kind != "iri" or not value or re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", value):
            continue
        if p.name == "bureau":
            out[p.name] = _bureau(value, settings)
            continue
        if p.name not in _LEGAL_PARAMS:
            continue
        reg = registry(settings)
        if reg is None:
            continue
        out[p.name] = target_iri(reg, value, IRIs(settings.base), version=_LEGAL_PARAMS[p.name])
    return out


def _bureau(value: str, settings: Settings) -> str:
    """A bureau's name, part of it or pinyin initials → its IRI, from the bureaus of the store."""
    from gongkai.query.library import library
    from gongkai.query.names import bureau_iri
    from gongkai.query.run import run_query
    from gongkai.store.lifecycle import open_store

    with store_progress() as progress:
        store = open_store(settings, progress=progress)
    try:
        res = run_query(store, library(settings).get("bureaus"), allow_service=settings.service_hosts)
    finally:
        store.close()
    return bureau_iri(value, [(str(r["bureau"]), str(r["bureauIri"])) for r in res.rows if "bureau" in r])


def _limited(store: Store, timeout: float) -> AbstractContextManager[None]:
    """The time limit on a query: on the embedded store, ``timeout`` seconds; on an endpoint, a
    second more, as a backstop to the client's own timeout (whose message names the endpoint)."""
    from gongkai.store.guard import time_limit
    from gongkai.store.remote import RemoteStore

    say = lambda m: err.print(f"[bold red]error:[/] {m}", highlight=False)  # noqa: E731  (one line, said twice below)
    if not isinstance(store, RemoteStore):
        return time_limit(timeout, say=say)
    return time_limit(timeout + 1, say=say, why=f"the SPARQL endpoint {store.describe()} did not finish its answer")


def _labels(q: LibraryQuery, result: Result, settings: Settings) -> dict[str, tuple[str, str]]:
    """Each column's header: the query's (``#+ returns:``), else its property's label in the ontology."""
    from gongkai.query.columns import header_labels

    return header_labels(q.labels, result.vars, settings.ontology_dir / "gongkai.ttl")


def _table(result: Result, lang: str, title: str, labels: dict[str, tuple[str, str]] | None = None) -> Table:
    """The rows under headers in ``lang`` (the variables' names only where there is no label);
    numbers right-aligned."""
    from gongkai.query.columns import columns_of
    from gongkai.query.results import label_rows

    table = Table(title=title, show_lines=False)
    cols = columns_of(result, lang, labels)
    for c in cols:
        table.add_column(c.label(lang), overflow="fold", justify="right" if c.numeric else "left")
    for row in label_rows(result, lang):
        table.add_row(*(row[c.name] for c in cols))
    return table


@app.command("push")
def push_cmd(
    endpoint: str = typer.Option(..., "--endpoint", envvar="GONGKAI_ENDPOINT",
                                 help="The SPARQL query endpoint (used to count triples)."),
    update_endpoint: str | None = typer.Option(None, "--update-endpoint",
                                                  help="The SPARQL Update endpoint (default: --endpoint, "
                                                       "with a final /query changed to /update)."),
    graph_store: str | None = typer.Option(None, "--graph-store",
                                              help="A Graph Store Protocol URL: each graph is replaced by one PUT."),
    source: Path | None = typer.Option(None, "--file", help="The dataset to push (default: build/kg.trig)."),
    user: str | None = UserOpt,
    password: str | None = PasswordOpt,
    auth: str = AuthOpt,
    timeout: float = TimeoutOpt,
    retries: int = RetriesOpt,
    base: str = BaseOpt,
) -> None:
    """Load the built graph into a SPARQL endpoint, replacing each named graph (ontology,
    vocabularies, authorities, one per list). Idempotent: pushing twice leaves the same triples."""
    from gongkai.store.lifecycle import built_graph, open_store
    from gongkai.store.push import push

    settings = settings_from(base)
    path = source or built_graph(settings)
    if not path.exists():
        raise fail(f"{path} does not exist: run `gongkai build` first")
    try:
        ep = _endpoint(endpoint, update=update_endpoint, graph_store=graph_store, user=user,
                       password=password, auth=auth, timeout=timeout, retries=retries)
        store = open_store(dataclasses.replace(settings, endpoint=ep))
        report = push(store, path, progress=lambda name: err.print(f"  replaced <{name}>", highlight=False))
        warning = store.union_warning() if hasattr(store, "union_warning") else None
    except GongkaiError as e:
        raise fail(str(e)) from e
    how = f"Graph Store {graph_store}" if graph_store else f"SPARQL Update {ep.update_url}"
    out.print(f"pushed {report.graphs} graphs ({report.triples} triples) from {path} through {how}; "
              f"the endpoint holds {report.count_after} triples in named graphs (before: {report.count_before})",
              highlight=False, soft_wrap=True)
    if warning:
        sys.stdout.flush()
        err.print(f"[yellow]warning:[/] {warning}", highlight=False)


@app.command("serve")
def serve_cmd(
    port: int = typer.Option(7878, "--port", help="TCP port."),
    bind: str = typer.Option("127.0.0.1", "--bind",
                             help="Address to listen on (127.0.0.1: this machine only; anything else opens the "
                                  "server, SERVICE clauses included, to the network)."),
    allow_update: bool = typer.Option(False, "--allow-update",
                                      help="Serve read-write (SPARQL Update and Graph Store writes accepted)."),
    timeout_s: int = typer.Option(30, "--timeout-s", min=1,
                                  help="Stop any query that runs longer than this many seconds."),
    watch: bool = typer.Option(False, "--watch",
                               help="Restart the server on each new build (without it, the server keeps answering "
                                    "from the build it started on, and says so when a newer one is published)."),
    base: str = BaseOpt,
) -> None:
    """Start an Oxigraph SPARQL server over the built graph, so other SPARQL tools can connect.

    Serves the embedded store of the current build (build/store) with `oxigraph
    serve-read-only`: its default graph is the union of all lists' graphs, each statement
    once, and a GRAPH pattern on a list's IRI reads that list, so the library's queries give
    the embedded store's rows, mostly about as fast (see bench/README.md). With
    --allow-update, loads build/kg.trig with `oxigraph load` into a store of its own and runs
    `oxigraph serve` with the union of the named graphs as default graph. Every query is
    stopped after --timeout-s seconds. The Oxigraph server runs whatever SPARQL it is sent,
    SERVICE clauses included (it then sends requests to the hosts they name): keep it on
    127.0.0.1 unless a proxy in front of it checks the queries. Stop it with Ctrl-C."""
    from gongkai.store.lifecycle import open_store
    from gongkai.store.server import endpoints_of_server, serve

    if not 0 < port < 65536:
        raise fail(f"--port must be between 1 and 65535, not {port}")
    try:
        loopback = bind == "localhost" or ip_address(bind).is_loopback
    except ValueError:
        raise fail(f"--bind must be an IP address (127.0.0.1, ::1, 0.0.0.0 …) or localhost, not {bind!r}") from None
    if not loopback:
        err.print(f"[yellow]warning:[/] listening on {bind}: other machines can query this server, and make it "
                  "send requests with SERVICE clauses", highlight=False, soft_wrap=True)
    settings = settings_from(base)
    eps = endpoints_of_server(bind, port)

    def started(srv: ServerStore) -> None:
        what = f"build version {srv.version}" if srv.version else str(srv.location)
        err.print(f"SPARQL endpoint {eps['query']}" + (f"  update {eps['update']}  graph store {eps['graph_store']}"
                                                       if allow_update else "  (read-only)")
                  + f"  serving {what}; queries stopped after {timeout_s} s", highlight=False, soft_wrap=True)

    try:
        with store_progress() as progress:  # the store made first if the build has none yet
            open_store(settings, progress=progress).close()
        code = serve(settings, bind, port, writable=allow_update, timeout_s=timeout_s, watch=watch,
                     say=lambda m: err.print(m, highlight=False, soft_wrap=True), started=started)
    except GongkaiError as e:
        raise fail(str(e)) from e
    if code:
        raise fail(f"the Oxigraph server stopped with exit code {code}", code=2)
