"""What the CLI and the app share: open the configured store, run a library query, push
the built graph to an endpoint, serve it.

The store is chosen by one setting: a remote endpoint when ``Settings.endpoint`` is set
(or an ``Endpoint`` is given); else the persistent embedded store of the build's current
version (``build/store``; ``Settings.store_dir`` names another folder), opened read-only;
else ``build/kg.trig`` loaded into an in-memory embedded store when the build folder has no
store and cannot be written.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import pyoxigraph as ox
from rdflib import Literal, URIRef
from rich.filesize import decimal

from gongkai.build_folder import GRAPH, STAMP, STORE, BuildFolder, Lease, Version, fingerprint
from gongkai.errors import QueryError, StoreError
from gongkai.queries import Library, LibraryQuery
from gongkai.remote import Endpoint, RemoteStore
from gongkai.settings import Settings
from gongkai.store import EmbeddedStore, NTriples, Result, Store

T = TypeVar("T")

# told how far a long piece of work has got: (what is being done, done, total); a total of
# 0 means the figures are not known (the stage has begun)
Progress = Callable[[str, int, int], None]


def built_graph(settings: Settings) -> Path:
    return settings.out_dir / GRAPH


# --- the embedded store under build/ ------------------------------------------------------
# Every build is a version of the build folder (``gongkai.build_folder``): readers open the
# current version's store read-only, holding a lease on it; whoever changes the store (a
# build, an import, an update) writes a new version and publishes it whole.

def embedded_store_path(settings: Settings) -> Path:
    return settings.store_dir or settings.out_dir / STORE


def _stamp(store_dir: Path) -> dict | None:
    try:
        return json.loads((store_dir / STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def store_is_fresh(settings: Settings) -> bool:
    """True when the embedded store holds exactly the current ``build/kg.trig``."""
    folder = BuildFolder(settings.out_dir)
    if settings.store_dir is None and not folder.is_flat():
        v = folder.current()
        return v is not None and v.store_is_fresh()
    path, source = embedded_store_path(settings), built_graph(settings)
    return source.exists() and _stamp(path) == fingerprint(source)


def load_store(source: Path, target: Path, progress: Progress | None = None, *,
               shown: tuple[Path, Path] | None = None) -> Path:
    """Bulk-load the graph file ``source`` into a new embedded store at ``target``.

    Loads into a new folder beside it and renames it into place, so a half-written store is
    never found at ``target`` (a folder already there is replaced). ``progress`` hears of
    each stage: loading (bytes of the file read), writing the indexes, compacting (these two
    without figures until they are done), naming the file and the store as ``shown`` (the
    build folder's public names, where they differ from the version's own paths).
    """
    name, where = shown or (source, target)
    if not source.exists():
        raise StoreError(f"{source} does not exist: run `gongkai build` first")
    fresh = target.with_name(f"{target.name}.new-{os.getpid()}")
    old = target.with_name(f"{target.name}.old-{os.getpid()}")
    shutil.rmtree(fresh, ignore_errors=True)
    with _removed_on_failure(fresh, f"cannot write the store at {target}"):
        store = EmbeddedStore(fresh)
        stages = {"reading": f"loading {name} ({decimal(source.stat().st_size)}) into the embedded store {where}",
                  "indexing": f"writing the indexes of the embedded store {where}"}
        store.load_file(source, progress=(lambda stage, done, total: progress(stages[stage], done, total))
                        if progress else None)
        compacting = f"compacting the embedded store {where}"
        if progress:
            progress(compacting, 0, 0)
        store.optimize()
        if progress:
            progress(compacting, 1, 1)
        store.close()
        del store
        (fresh / STAMP).write_text(json.dumps(fingerprint(source)), encoding="utf-8")
        if target.exists():
            target.rename(old)
        fresh.rename(target)
    shutil.rmtree(old, ignore_errors=True)
    return target


def load_embedded(settings: Settings, source: Path | None = None, target: Path | None = None,
                  progress: Progress | None = None) -> Path:
    """(Re)build an embedded store from a graph file; returns its folder.

    With neither ``source`` nor ``target`` (and no ``Settings.store_dir``), the build's store:
    a new version of the build folder is published whose store holds the build's graph.
    Otherwise ``load_store(source or build/kg.trig, target or the store folder)``.
    """
    if source is None and target is None and settings.store_dir is None:
        return refresh_build(settings, progress=progress).store
    return load_store(source or built_graph(settings), target or embedded_store_path(settings), progress)


def refresh_build(settings: Settings, *, progress: Progress | None = None,
                  say: Callable[[str], None] | None = None) -> Version:
    """Publish a version of the build folder whose store holds its graph: an older gongkai's
    build (plain files) is taken in, and a version whose ``kg.trig`` was changed after its
    store was loaded gets a new version with a new store. Returns the current version."""
    folder = BuildFolder(settings.out_dir)
    with folder.writing(say=say) as w:
        cur = folder.current()
        if folder.is_flat() and (cur is None or _newer(folder.root / GRAPH, cur.graph)):
            v = w.adopt_flat()
            note = {"made_by": "an older build taken in"}
        elif cur is None:
            raise StoreError(f"{built_graph(settings)} does not exist: run `gongkai build` first")
        elif cur.store_is_fresh():
            return cur  # another process refreshed it while this one waited
        else:
            v = w.copy_of(cur, store=False)
            note = {"made_by": "the store reloaded from kg.trig", "base": cur.id}
        if not v.graph.exists():
            raise StoreError(f"{built_graph(settings)} does not exist: run `gongkai build` first")
        if not (v.store.is_dir() and _stamp(v.store) == fingerprint(v.graph)):
            load_store(v.graph, v.store, progress, shown=(built_graph(settings), embedded_store_path(settings)))
        return w.publish(note)


def _newer(a: Path, b: Path) -> bool:
    try:
        return a.stat().st_mtime_ns > b.stat().st_mtime_ns
    except OSError:
        return True


@contextmanager
def _removed_on_failure(folder: Path, what: str) -> Iterator[None]:
    """Remove the half-made ``folder`` if the block fails; an OSError is reported as
    ``what: reason``."""
    try:
        yield
    except OSError as e:
        shutil.rmtree(folder, ignore_errors=True)
        raise StoreError(f"{what}: {e.strerror or e}") from None
    except StoreError:
        shutil.rmtree(folder, ignore_errors=True)
        raise


def open_store(settings: Settings, endpoint: Endpoint | None = None, *,
               progress: Progress | None = None) -> Store:
    """The store the settings name, to read (see the module docstring).

    The embedded store is the current version's, opened read-only with a lease on the
    version (``EmbeddedStore.lease``), so a build published meanwhile neither changes nor
    removes what this reader sees. A build without a fresh store (an older gongkai's, or a
    ``kg.trig`` changed by hand) gets one first, as a new version (``refresh_build``:
    ``progress`` hears of the loading); when the build folder cannot be written, the graph
    is loaded into memory instead. To change the store, use ``change_store``."""
    if endpoint is not None:
        return RemoteStore(endpoint)
    if settings.endpoint:
        return RemoteStore(Endpoint(settings.endpoint))
    if settings.store_dir is not None:
        if settings.store_dir.exists():
            return EmbeddedStore(settings.store_dir, read_only=True)
        raise StoreError(f"{settings.store_dir} does not exist: run `gongkai build` first")
    folder = BuildFolder(settings.out_dir)
    opened = folder.open_current()
    if opened is not None and (folder.is_flat() and _newer(folder.root / GRAPH, opened[0].graph)):
        opened = None
    if opened is None or not opened[0].store_is_fresh():
        source = built_graph(settings)
        if not source.exists():
            raise StoreError(f"{source} does not exist: run `gongkai build` first")
        try:
            refresh_build(settings, progress=progress)
        except (StoreError, OSError):
            return _in_memory(source.resolve(), progress)
        opened = folder.open_current()
        if opened is None:
            raise StoreError(f"{source} does not exist: run `gongkai build` first")
    version, lease = opened
    store = EmbeddedStore(version.store, read_only=True)
    store.lease = lease
    return store


def _in_memory(source: Path, progress: Progress | None) -> EmbeddedStore:
    store = EmbeddedStore()
    loading = f"loading {source} into memory"
    store.load_file(source, progress=(lambda stage, done, total: progress(f"{loading} ({stage})", done, total))
                    if progress else None)
    return store


def change_store(settings: Settings, change: Callable[[EmbeddedStore, Version], T], *,
                 note: dict | None = None, wait: float | None = None,
                 say: Callable[[str], None] | None = None) -> tuple[T, Version]:
    """Change the build, as one new version of the build folder: the current version is copied
    (its files hard-linked, its store backed up by Oxigraph: milliseconds), ``change`` is run
    on the copy's store (writable) and may write files into the copy's folder (through
    ``build_folder.write_atomic``, which replaces a linked file rather than changing it), and
    the copy is published. Readers see the old version until then, and nothing of it if
    ``change`` fails. Returns what ``change`` returned and the new version."""
    folder = BuildFolder(settings.out_dir)
    if folder.current() is None or not folder.current().store_is_fresh():  # type: ignore[union-attr]
        refresh_build(settings, say=say)
    with folder.writing(wait=wait, say=say) as w:
        base = folder.current()
        if base is None:
            raise StoreError(f"{built_graph(settings)} does not exist: run `gongkai build` first")
        v = w.copy_of(base)
        store = EmbeddedStore(v.store)
        try:
            answer = change(store, v)
            store.close()
        finally:
            del store
        return answer, w.publish({"base": base.id, **(note or {})})


def library(settings: Settings) -> Library:
    return Library(settings.queries_dir)


# --- running queries ---------------------------------------------------------------------

def run_query(store: Store, query: LibraryQuery | str, params: dict[str, str] | None = None,
              *, allow_update: bool = False, allow_service: Iterable[str] = ()) -> Result:
    """Run a library query (bound parameters) or a free query; updates need ``allow_update``.

    What the text is, is decided by a SPARQL parser before anything is sent or run
    (``query_guard.check_query``): an update is refused unless allowed, and so is a SERVICE
    clause whose host is not in ``allow_service`` (``*``: any host)."""
    from gongkai.query_guard import check_query

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
            from gongkai.query_worker import CutResult

            return CutResult(vars=["subject", "predicate", "object"], rows=rows)
        return Result(vars=["subject", "predicate", "object"], rows=rows)
    return store.select(text, bindings)


# --- showing results -----------------------------------------------------------------------
# Library queries select labels, not IRIs. A column ``x_en`` is the English label of
# column ``x``: in English the value of ``x_en`` is shown as ``x`` (falling back to ``x``
# where there is no English label); in Chinese ``x_en`` is hidden.

def display_columns(columns: list[str], lang: str | None) -> list[tuple[str, str, str | None]]:
    """(shown name, column, fallback column) for each column to show."""
    if lang is None:
        return [(c, c, None) for c in columns]
    have = set(columns)
    out = []
    for c in columns:
        if c.endswith("_en") and c[:-3] in have:
            continue
        if lang == "en" and f"{c}_en" in have:
            out.append((c, f"{c}_en", c))
        else:
            out.append((c, c, None))
    return out


def label_rows(result: Result, lang: str | None = None) -> list[dict[str, str]]:
    """Rows as plain strings (labels already selected by the queries), in ``lang`` if given."""
    cols = display_columns(result.vars, lang)
    out = []
    for r in result.rows:
        row = {}
        for shown, col, fallback in cols:
            term = r.get(col)
            if term is None and fallback is not None:
                term = r.get(fallback)
            row[shown] = "" if term is None else str(term)
        out.append(row)
    return out


def render(result: Result, fmt: str, lang: str | None = None) -> str:
    """``csv`` (UTF-8, header row), ``tsv`` (tabs and newlines in values become spaces) or
    ``json`` (an array of objects, column → string)."""
    rows = label_rows(result, lang)
    columns = [shown for shown, _, _ in display_columns(result.vars, lang)]
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=1) + "\n"
    if fmt == "csv":
        from gongkai.csv_cells import csv_record

        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n")
        w.writeheader()
        w.writerows(csv_record(r) for r in rows)   # no cell read as a formula by a spreadsheet
        return buf.getvalue()
    if fmt == "tsv":
        from gongkai.csv_cells import csv_cell

        def clean(v: str) -> str:  # a spreadsheet opens TSV too: no formulas
            return csv_cell(" ".join(v.replace("\t", " ").splitlines()))
        lines = ["\t".join(columns)] + ["\t".join(clean(r[c]) for c in columns) for r in rows]
        return "\n".join(lines) + "\n"
    raise QueryError(f"unknown format {fmt!r}: use table, csv, tsv or json")


# --- pushing the build to an endpoint --------------------------------------------------------

def graphs_of_file(path: Path, graph: URIRef | None = None) -> list[tuple[URIRef, NTriples]]:
    """Each named graph of a dataset file (TriG, N-Quads) as N-Triples, read with pyoxigraph
    (rdflib's parsers are ~50× slower on large builds). A graph file (Turtle, N-Triples)
    is one graph, named ``graph``. Triples in a dataset's default graph are not returned:
    the build puts everything in named graphs."""
    fmt = ox.RdfFormat.from_extension(path.suffix.lstrip(".").lower())
    if fmt is None:
        raise StoreError(f"{path}: unknown RDF format {path.suffix or '(no extension)'!r}")
    if not fmt.supports_datasets and graph is None:
        raise StoreError(f"{path}: a graph file needs a graph name")
    tmp = ox.Store()
    try:
        kw = {"to_graph": ox.NamedNode(str(graph))} if not fmt.supports_datasets else {}
        tmp.bulk_load(path=str(path), format=fmt, **kw)
    except (SyntaxError, ValueError, OSError) as e:
        raise StoreError(f"{path}: cannot read: {e}") from None
    out = []
    for g in sorted(tmp.named_graphs(), key=lambda n: n.value):
        if not isinstance(g, ox.NamedNode):
            continue
        triples = (q.triple for q in tmp.quads_for_pattern(None, None, None, g))
        text = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
        out.append((URIRef(g.value), NTriples(text.decode("utf-8"))))
    return out


@dataclass
class PushReport:
    graphs: int
    triples: int
    count_before: int
    count_after: int


def push(store: Store, source: Path, progress=None) -> PushReport:
    """Replace, on the store, each named graph of ``source`` (default ``build/kg.trig``).

    Idempotent: every graph is replaced whole, so pushing twice leaves the same triples.
    """
    graphs = graphs_of_file(source)
    before = store.count()
    sent = 0
    for name, content in graphs:
        store.replace_graph(name, content)
        sent += len(content)
        if progress:
            progress(name)
    return PushReport(graphs=len(graphs), triples=sent, count_before=before, count_after=store.count())


# --- serving over HTTP ---------------------------------------------------------------------

def oxigraph_binary() -> Path:
    """The ``oxigraph`` server from PyPI: beside this Python (a virtualenv), else on PATH."""
    here = Path(sys.executable).parent / "oxigraph"
    if here.exists():
        return here
    found = shutil.which("oxigraph")
    if found:
        return Path(found)
    raise StoreError("the `oxigraph` server is not installed: pip install oxigraph")


def server_store_path(settings: Settings) -> Path:
    return settings.out_dir / "oxigraph-server"


@dataclass
class ServerStore:
    """What ``oxigraph serve`` is given: the store folder, whether the server must make its
    default graph the union of the named graphs, and the build version it holds (with the
    lease that keeps that version from being removed while it is served)."""

    location: Path
    union: bool
    version: str | None = None
    lease: Lease | None = None


def prepare_server_store(settings: Settings, *, writable: bool = False,
                         progress: Progress | None = None) -> ServerStore:
    """The store for ``oxigraph serve`` (see ``ServerStore``).

    Read-only, it is the current version's embedded store itself: its default graph already
    holds the *set* union of the lists' graphs, so the server answers as the embedded store
    does — a bureau's name written in 10,000 lists matches once, not 10,000 times as in
    Oxigraph's bag union — and nothing is loaded twice. A later build publishes a new
    version beside it; the one served stays while its lease is held. Read-write
    (``--allow-update``), an update sent to the server would not keep that union in step, so
    the version's graph is loaded with ``oxigraph load`` into a store of the server's own,
    and the server makes the union itself (loaded again only when the build changed)."""
    store = open_store(settings, progress=progress)
    if not isinstance(store, EmbeddedStore) or store.path is None:
        raise StoreError(f"{settings.out_dir} has no embedded store that can be served: run `gongkai build` first")
    location, lease, union = store.path, store.lease, not store.mirrored
    store.lease = None
    version = location.parent.name if location.parent.parent.name == "versions" else None
    del store
    if not writable:
        return ServerStore(location, union, version, lease)
    source = location.parent / GRAPH if version else built_graph(settings)
    target = server_store_path(settings)
    stamp = {**fingerprint(source.resolve()), "server": "writable", "version": version}
    if _stamp(target) == stamp:
        return ServerStore(target, True, version, lease)
    fresh = target.with_name(f"{target.name}.new-{os.getpid()}")
    shutil.rmtree(fresh, ignore_errors=True)
    with _removed_on_failure(fresh, f"cannot write the store at {fresh}"):
        fresh.mkdir(parents=True)
        r = subprocess.run([str(oxigraph_binary()), "load", "--location", str(fresh), "--file", str(source)],
                           capture_output=True, text=True)
        if r.returncode != 0:
            raise StoreError(f"oxigraph load {source} failed: {r.stderr.strip()[-500:]}")
    (fresh / STAMP).write_text(json.dumps(stamp), encoding="utf-8")
    shutil.rmtree(target, ignore_errors=True)
    fresh.rename(target)
    return ServerStore(target, True, version, lease)


def serve_command(location: Path, bind: str, port: int, *, writable: bool = False,
                  timeout_s: int | None = None, union: bool = True) -> list[str]:
    """The ``oxigraph serve`` command line; ``union``: the server makes its default graph
    the union of the named graphs (not needed over a copy of the embedded store, whose
    default graph holds that union already)."""
    cmd = [str(oxigraph_binary()), "serve" if writable else "serve-read-only",
           "--location", str(location), "--bind", f"{bind}:{port}"]
    if union:
        cmd.append("--union-default-graph")
    if timeout_s:
        cmd += ["--timeout-s", str(timeout_s)]
    return cmd


def endpoints_of_server(bind: str, port: int) -> dict[str, str]:
    host = f"[{bind}]" if ":" in bind else bind
    base = f"http://{host}:{port}"
    return {"query": f"{base}/query", "update": f"{base}/update", "graph_store": f"{base}/store"}


WATCH_EVERY = 2.0  # seconds between two looks at the build folder while serving


def serve(settings: Settings, bind: str, port: int, *, writable: bool = False, timeout_s: int | None = None,
          watch: bool = False, say: Callable[[str], None] = print, progress: Progress | None = None,
          started: Callable[[ServerStore], None] | None = None) -> int:
    """Run the Oxigraph server over the build until it stops or this process is told to
    (SIGINT, SIGTERM); returns the exit code.

    The server answers from the build version it was started on. When a newer build is
    published, ``say`` tells so once; with ``watch`` the server is restarted on the new
    version instead (a few seconds without answers)."""
    import signal

    folder = BuildFolder(settings.out_dir)
    stopping: list[int] = []

    def start() -> tuple[ServerStore, subprocess.Popen]:
        srv = prepare_server_store(settings, writable=writable, progress=progress)
        cmd = serve_command(srv.location, bind, port, writable=writable, timeout_s=timeout_s, union=srv.union)
        try:
            proc = subprocess.Popen(cmd)
        except OSError as e:
            raise StoreError(f"cannot start {cmd[0]}: {e.strerror or e}") from None
        if started is not None:
            started(srv)
        return srv, proc

    def stop(signum: int, _frame: object) -> None:
        stopping.append(signum)
        proc.terminate()

    srv, proc = start()
    previous = {s: signal.signal(s, stop) for s in (signal.SIGINT, signal.SIGTERM)}
    told = False
    try:
        while True:
            try:
                code = proc.wait(timeout=WATCH_EVERY)
                return 0 if stopping else code
            except subprocess.TimeoutExpired:
                pass
            now = folder.current_id()
            if srv.version is None or now is None or now == srv.version:
                continue
            if watch:
                say(f"a new build was published ({now}): restarting the server on it")
                proc.terminate()
                proc.wait()
                if srv.lease is not None:
                    srv.lease.release()
                srv, proc = start()
            elif not told:
                say(f"a new build was published ({now}); this server still answers from the build it "
                    f"started on ({srv.version}): restart `gongkai serve`, or run it with --watch to follow "
                    "new builds")
                told = True
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
        if proc.poll() is None:
            proc.terminate()
            proc.wait()
        if srv.lease is not None:
            srv.lease.release()
