"""What the CLI and the app share: open the configured store, run a library query, push
the built graph to an endpoint, serve it.

The store is chosen by one setting: a remote endpoint when ``Settings.endpoint`` is set
(or an ``Endpoint`` is given); else the persistent embedded store (``Settings.store_dir``,
by default ``build/store``), rebuilt from ``build/kg.trig`` when the build is newer; else
``build/kg.trig`` loaded into an in-memory embedded store when the folder cannot be written.
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

import pyoxigraph as ox
from rdflib import Literal, URIRef
from rich.filesize import decimal

from .errors import QueryError, StoreError
from .queries import Library, LibraryQuery
from .remote import Endpoint, RemoteStore
from .settings import Settings
from .store import EmbeddedStore, NTriples, Result, Store

STAMP = "gongkai-source.json"  # in the store folder: which build file it was loaded from
# told how far a long piece of work has got: (what is being done, done, total); a total of
# 0 means the figures are not known (the stage has begun)
Progress = Callable[[str, int, int], None]


def built_graph(settings: Settings) -> Path:
    return settings.out_dir / "kg.trig"


# --- the embedded store under build/ ------------------------------------------------------

def embedded_store_path(settings: Settings) -> Path:
    return settings.store_dir or settings.out_dir / "store"


def _fingerprint(source: Path) -> dict[str, object]:
    st = source.stat()
    # "layout" 2: the store keeps the set union of its graphs in its default graph
    return {"source": source.name, "size": st.st_size, "mtime_ns": st.st_mtime_ns, "layout": 2}


def _stamp(store_dir: Path) -> dict | None:
    try:
        return json.loads((store_dir / STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def store_is_fresh(settings: Settings) -> bool:
    """True when the embedded store holds exactly the current ``build/kg.trig``."""
    path, source = embedded_store_path(settings), built_graph(settings)
    return source.exists() and _stamp(path) == _fingerprint(source)


def load_embedded(settings: Settings, source: Path | None = None, target: Path | None = None,
                  progress: Progress | None = None) -> Path:
    """(Re)build the persistent embedded store from the built graph; returns its folder.

    Bulk-loads into a new folder beside the store and swaps it in, so a reader that has
    the old store open (the app, a running query) is never given a half-written one.
    ``progress`` hears of each stage: loading (bytes of the built graph read), writing the
    indexes, compacting (these two without figures until they are done).
    """
    source = source or built_graph(settings)
    target = target or embedded_store_path(settings)
    if not source.exists():
        raise StoreError(f"{source} does not exist: run `gongkai build` first")
    fresh = target.with_name(f"{target.name}.new-{os.getpid()}")
    old = target.with_name(f"{target.name}.old-{os.getpid()}")
    shutil.rmtree(fresh, ignore_errors=True)
    with _removed_on_failure(fresh, f"cannot write the store at {target}"):
        store = EmbeddedStore(fresh)
        stages = {"reading": f"loading {source} ({decimal(source.stat().st_size)}) into the embedded store {target}",
                  "indexing": f"writing the indexes of the embedded store {target}"}
        store.load_file(source, progress=(lambda stage, done, total: progress(stages[stage], done, total))
                        if progress else None)
        compacting = f"compacting the embedded store {target}"
        if progress:
            progress(compacting, 0, 0)
        store.optimize()
        if progress:
            progress(compacting, 1, 1)
        store.close()
        del store
        (fresh / STAMP).write_text(json.dumps(_fingerprint(source)), encoding="utf-8")
        if target.exists():
            target.rename(old)
        fresh.rename(target)
    shutil.rmtree(old, ignore_errors=True)
    return target


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


def open_store(settings: Settings, endpoint: Endpoint | None = None, *, writable: bool = False,
               progress: Progress | None = None) -> Store:
    """The store the settings name (see the module docstring). ``progress`` hears of the
    loading when the embedded store is (re)built from the build first."""
    if endpoint is not None:
        return RemoteStore(endpoint)
    if settings.endpoint:
        return RemoteStore(Endpoint(settings.endpoint))
    path, source = embedded_store_path(settings), built_graph(settings)
    if source.exists() and not store_is_fresh(settings) and (not path.exists() or _stamp(path) is not None):
        # a store gongkai made from an older build (or none yet): refresh it; a folder
        # without our stamp was made by someone else, and is used as it is
        try:
            load_embedded(settings, progress=progress)
        except StoreError:
            store = EmbeddedStore()
            loading = f"loading {source} into memory"
            store.load_file(source, progress=(lambda stage, done, total: progress(f"{loading} ({stage})", done, total))
                            if progress else None)
            return store
    if path.exists():
        return EmbeddedStore(path, read_only=not writable)
    raise StoreError(f"{source} does not exist: run `gongkai build` first")


def library(settings: Settings) -> Library:
    return Library(settings.queries_dir)


# --- running queries ---------------------------------------------------------------------

def run_query(store: Store, query: LibraryQuery | str, params: dict[str, str] | None = None,
              *, allow_update: bool = False, allow_service: Iterable[str] = ()) -> Result:
    """Run a library query (bound parameters) or a free query; updates need ``allow_update``.

    What the text is, is decided by a SPARQL parser before anything is sent or run
    (``query_guard.check_query``): an update is refused unless allowed, and so is a SERVICE
    clause whose host is not in ``allow_service`` (``*``: any host)."""
    from .query_guard import check_query

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
            from .query_worker import CutResult

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
        from .csv_cells import csv_record

        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n")
        w.writeheader()
        w.writerows(csv_record(r) for r in rows)   # no cell read as a formula by a spreadsheet
        return buf.getvalue()
    if fmt == "tsv":
        def clean(v: str) -> str:
            return " ".join(v.replace("\t", " ").splitlines())
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


def prepare_server_store(settings: Settings, source: Path | None = None, *,
                         writable: bool = False, progress: Progress | None = None) -> tuple[Path, bool]:
    """A store folder for ``oxigraph serve``; returns it and whether the server must make
    its default graph the union of the named graphs (``--union-default-graph``).

    Read-only, the folder is a copy of the embedded store (refreshed first if the build
    changed): its default graph already holds the *set* union of the lists' graphs, so
    the server answers as the embedded store does — a bureau's name written in 10,000
    lists matches once, not 10,000 times as in Oxigraph's bag union — and nothing is
    loaded twice. The copy hard-links the store's table files (never rewritten) and copies
    the rest, so a later build, which swaps a new store in, does not pull files from under
    the running server. Read-write (``--allow-update``), an update sent to the server would
    not keep that union in step, so the build is loaded with ``oxigraph load`` and the
    server makes the union itself (again only when the build changed)."""
    source = source or built_graph(settings)
    target = server_store_path(settings)
    if not source.exists():
        raise StoreError(f"{source} does not exist: run `gongkai build` first")
    stamp = {**_fingerprint(source), "server": "writable" if writable else "copy of the embedded store"}
    found = _stamp(target) or {}
    if {k: v for k, v in found.items() if k != "union"} == stamp:
        return target, bool(found.get("union", True))
    fresh = target.with_name(f"{target.name}.new-{os.getpid()}")
    shutil.rmtree(fresh, ignore_errors=True)
    if writable:
        with _removed_on_failure(fresh, f"cannot write the store at {fresh}"):
            fresh.mkdir(parents=True)
            r = subprocess.run([str(oxigraph_binary()), "load", "--location", str(fresh), "--file", str(source)],
                               capture_output=True, text=True)
            if r.returncode != 0:
                raise StoreError(f"oxigraph load {source} failed: {r.stderr.strip()[-500:]}")
        union = True
    else:
        embedded = embedded_store_path(settings)
        if not store_is_fresh(settings) and (not embedded.exists() or _stamp(embedded) is not None):
            load_embedded(settings, source, progress=progress)  # a folder without our stamp is served as it is
        with _removed_on_failure(fresh, f"cannot copy the store to {fresh}"):
            shutil.copytree(embedded, fresh, copy_function=_link_or_copy)
            copy = EmbeddedStore(fresh, read_only=True)
            union = not copy.mirrored  # an older store, without the union in its default graph
            del copy
    (fresh / STAMP).write_text(json.dumps({**stamp, "union": union}), encoding="utf-8")
    shutil.rmtree(target, ignore_errors=True)
    fresh.rename(target)
    return target, union


def _link_or_copy(src: str, dst: str) -> None:
    """RocksDB table files (``*.sst``) are written once and never changed: a hard link is
    a safe copy of them. The others (manifest, options, logs) are copied."""
    if src.endswith(".sst"):
        try:
            os.link(src, dst)
            return
        except OSError:
            pass  # another file system: copy
    shutil.copy2(src, dst)


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
