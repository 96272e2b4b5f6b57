"""Time the query library on every backend at 100, 1,000 and 10,000 synthetic bureaus.

    .venv/bin/python bench/query_bench.py                         # all sizes, all backends
    .venv/bin/python bench/query_bench.py --sizes 100 1000 --backends embedded memory
    .venv/bin/python bench/query_bench.py --json bench/query-bench.json --markdown

For each size N: synthetic lists from `synth.py` (one per bureau, 15–25 real items from
data/raw recombined), written once as N-Quads with the ontology, vocabularies and authority
data (kept in --work and reused); then, per backend,

- embedded  pyoxigraph on disk (`EmbeddedStore`, bulk load), the CLI's default;
- oxmem     pyoxigraph in memory (`EmbeddedStore()`): what the on-disk store costs;
- memory    rdflib in memory (`MemoryStore`), in a child process: each query runs in a
            forked grandchild that is killed after --limit seconds (rdflib's engine
            needs minutes for some queries past a few thousand items);
- server    the Oxigraph server from PyPI (`oxigraph load`, then `oxigraph serve-read-only
            --union-default-graph` on 127.0.0.1), queried over HTTP with `RemoteStore`;
- served    the Oxigraph server over the embedded store's folder, as `gongkai serve` runs
            it (its default graph is the set union: no `--union-default-graph`);
- virtuoso  Virtuoso 7 from Debian's packages on 127.0.0.1 (as the integration tests start
            it, with --virtuoso-buffers and --virtuoso-max-cost), loaded by its bulk loader
            (`ld_dir`, `rdf_loader_run`), queried over HTTP at /sparql, whose default graph
            is the bag union of the graphs;

the load time, and each library query's latency: the first run, and the median of 5 warm
runs (fewer when a run takes longer than --warm-budget). Parameters are the queries'
defaults, else a list, item or bureau taken from the data. Lookups (a query with a required
IRI parameter: one item, list, bureau or source) are held to 50 ms warm at 10,000 bureaus on
the embedded store, whole-graph aggregates to 1 s, loading to 60 s.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests"))  # servers: how the tests start Oxigraph and Virtuoso

from gongkai.query.library import Library, LibraryQuery  # noqa: E402
from gongkai.store.embedded import EmbeddedStore  # noqa: E402
from gongkai.store.memory import MemoryStore  # noqa: E402 - after the sys.path set-up
from gongkai.store.remote import Endpoint, RemoteStore  # noqa: E402
from gongkai.store.server import oxigraph_binary  # noqa: E402
from servers import isql, start_oxigraph, start_virtuoso, stop  # noqa: E402

LOOKUP_TARGET = 0.050
AGGREGATE_TARGET = 1.0
LOAD_TARGET = 60.0
GK = "https://w3id.org/gongkai/ontology#"


@dataclass
class Timing:
    first: float | None = None
    warm: list[float] = field(default_factory=list)
    rows: int | None = None
    note: str = ""

    @property
    def p50(self) -> float | None:
        return statistics.median(self.warm) if self.warm else None


def synth_file(n: int, work: Path) -> Path:
    """The N-Quads of N synthetic bureaus (made once, then reused)."""
    import synth

    path = work / f"synth-{n}.nq"
    if path.exists() and path.stat().st_size > 0:
        return path
    work.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    tmp = path.with_suffix(".tmp")
    pool = synth.load_pool()
    synth.write_nquads(synth.synthetic_lists(n, pool), tmp)
    tmp.replace(path)
    print(f"  wrote {path.name}: {path.stat().st_size / 1e6:.0f} MB in {time.perf_counter() - t0:.0f} s", flush=True)
    return path


def sample_params(store) -> dict[tuple[str, str], str]:
    """Parameter values found in the data: the first list's bureau, list and an item."""
    res = store.select(f"""PREFIX gk: <{GK}> PREFIX dcterms: <http://purl.org/dc/terms/>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?list ?org ?name ?item WHERE {{
          ?list a gk:DisclosureList ; dcterms:publisher ?org ; gk:hasItem ?item .
          ?org skos:prefLabel ?name . ?item gk:itemNumber 2 }} LIMIT 1""")
    r = res.rows[0]
    return {("list", "iri"): str(r["list"]), ("bureau", "iri"): str(r["org"]), ("bureau", "literal"): str(r["name"]),
            ("bureau", "lang:zh"): str(r["name"]),
            ("item", "iri"): str(r["item"]), ("number", "xsd:integer"): "2"}


def params_for(q: LibraryQuery, found: dict) -> dict[str, str] | None:
    """A required parameter takes a value found in the data (a bureau, list or item that
    exists there), else its default; optional parameters are left out."""
    out = {}
    for p in q.params:
        if not p.required:
            continue
        value = found.get((p.name, p.kind))
        if value is not None:
            out[p.name] = value
        elif not p.default:
            return None
    return out


NO_PARAMS = "no example value for a required parameter"


def planned(lib, found: dict, only: set[str] | None):
    """(query, its parameters or None when the data has no value for one) for each query timed."""
    for q in lib:
        if only is None or q.id in only:
            yield q, params_for(q, found)


def is_lookup(q: LibraryQuery) -> bool:
    """A query given one thing: an item, list, bureau or legal source (by IRI, or a bureau
    by its name); the others read the whole graph (searches for a text included)."""
    return any(p.required and (p.kind == "iri" or p.name == "bureau") for p in q.params)


def time_query(run, warm_runs: int, warm_budget: float) -> Timing:
    t = Timing()
    t0 = time.perf_counter()
    t.rows = run()
    t.first = time.perf_counter() - t0
    spent = t.first
    for _ in range(warm_runs):
        if spent > warm_budget:
            t.note = f"{len(t.warm)} warm runs (budget {warm_budget:g} s)"
            break
        t0 = time.perf_counter()
        run()
        d = time.perf_counter() - t0
        t.warm.append(d)
        spent += d
    return t


def bench_store(store, lib: Library, found: dict, args, only: set[str] | None = None) -> dict[str, Timing]:
    out = {}
    for q, params in planned(lib, found, only):
        if params is None:
            out[q.id] = Timing(note=NO_PARAMS)
            continue
        bindings = q.bind(params)
        try:
            out[q.id] = time_query(lambda text=q.text, bindings=bindings: len(store.select(text, bindings).rows),
                                   args.runs, args.warm_budget)
        except Exception as e:
            out[q.id] = Timing(note=f"error: {type(e).__name__}: {str(e)[:120]}")
        print(f"    {q.id:40s} {_fmt(out[q.id].first):>9s} {_fmt(out[q.id].p50):>9s} {out[q.id].note}", flush=True)
    return out


# --- in-memory backends in a child process, each query in a forked grandchild ------------
# A query that runs past --limit is stopped (rdflib's engine needs minutes for some queries
# past a few thousand items); the loaded store is shared with the grandchild by fork (a
# forked process gets its arguments as they are in memory, not pickled).


def _forked_query(conn, store, text: str, bindings, runs: int, warm_budget: float) -> None:
    t0 = time.perf_counter()
    rows = len(store.select(text, bindings).rows)
    first = time.perf_counter() - t0
    conn.send(("first", first, rows))
    t = time_query(lambda: len(store.select(text, bindings).rows), runs, max(0.0, warm_budget - first))
    warm = [t.first, *t.warm][:runs] if t.first is not None and first <= warm_budget else []
    conn.send((first, warm, rows, "" if len(warm) == runs else f"{len(warm)} warm runs (budget {warm_budget:g} s)"))


def _memory_worker(conn, kind: str, nq: str, lib_dir: str, found: dict, runs: int, warm_budget: float,
                   limit: float, only) -> None:
    t0 = time.perf_counter()
    store = MemoryStore() if kind == "memory" else EmbeddedStore()
    store.load_file(Path(nq))
    conn.send(("loaded", time.perf_counter() - t0))
    ctx = mp.get_context("fork")
    for q, params in planned(Library(Path(lib_dir)), found, only):
        if params is None:
            conn.send((q.id, None, [], None, NO_PARAMS))
            continue
        parent, child = ctx.Pipe()
        p = ctx.Process(target=_forked_query, args=(child, store, q.text, q.bind(params), runs, warm_budget))
        p.start()
        if not parent.poll(limit):
            conn.send((q.id, None, [], None, f"> {limit:g} s, stopped"))
        else:
            _, first, rows = parent.recv()
            if parent.poll(warm_budget + limit):
                _, warm, rows, note = parent.recv()
            else:
                warm, note = [], "warm runs stopped"
            conn.send((q.id, first, warm, rows, note))
        p.kill()
        p.join()
    conn.send(("done", None))


def bench_in_memory(kind: str, nq: Path, lib: Library, found: dict, args,
                    only) -> tuple[float | None, dict[str, Timing]]:
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe()
    p = ctx.Process(target=_memory_worker, args=(child, kind, str(nq), str(lib.folder), found, args.runs,
                                                 args.warm_budget, args.limit, only))
    p.start()
    out: dict[str, Timing] = {}
    try:
        if not parent.poll(args.memory_load_limit):
            print(f"    did not load within {args.memory_load_limit:g} s: skipped", flush=True)
            return None, {}
        _, load = parent.recv()
        print(f"    load {load:.1f} s", flush=True)
        while parent.poll(args.limit + args.warm_budget + 120):
            msg = parent.recv()
            if msg[0] == "done":
                break
            qid, first, warm, rows, note = msg
            out[qid] = Timing(first, warm, rows, note)
            print(f"    {qid:40s} {_fmt(first):>9s} {_fmt(out[qid].p50):>9s} {note}", flush=True)
    finally:
        p.kill()
        p.join()
    return load, out


# --- the on-disk embedded store: each query in a fresh process (killed past the limit) -------

def _disk_worker(folder: str, qid: str, params: str, runs: int, warm_budget: float) -> None:
    store = EmbeddedStore(Path(folder), read_only=True)
    q = Library(ROOT / "queries").get(qid)
    bindings = q.bind(json.loads(params))
    t = time_query(lambda: len(store.select(q.text, bindings).rows), runs, warm_budget)
    print(json.dumps({"first": t.first, "warm": t.warm, "rows": t.rows, "note": t.note}))


def bench_disk(folder: Path, lib: Library, found: dict, args, only) -> dict[str, Timing]:
    out: dict[str, Timing] = {}
    for q, params in planned(lib, found, only):
        if params is None:
            out[q.id] = Timing(note=NO_PARAMS)
            continue
        try:
            r = subprocess.run([sys.executable, __file__, "--worker", str(folder), q.id, json.dumps(params),
                                str(args.runs), str(args.warm_budget)],
                               capture_output=True, text=True, timeout=args.limit + args.warm_budget + 15,
                               check=False)  # the exit code is read below
            if r.returncode != 0:
                why = r.stderr.strip().splitlines()[-1][:120] if r.stderr.strip() else r.returncode
                out[q.id] = Timing(note=f"error: {why}")
            else:
                d = json.loads(r.stdout.strip().splitlines()[-1])
                out[q.id] = Timing(d["first"], d["warm"], d["rows"], d["note"])
                if out[q.id].first is not None and out[q.id].first > args.limit:
                    out[q.id] = Timing(note=f"> {args.limit:g} s")
        except subprocess.TimeoutExpired:
            out[q.id] = Timing(note=f"> {args.limit:g} s, stopped")
        t = out[q.id]
        print(f"    {q.id:40s} {_fmt(t.first):>9s} {_fmt(t.p50):>9s} {t.note}", flush=True)
    return out


# --- the Oxigraph server ------------------------------------------------------------------

def bench_server(nq: Path, work: Path, lib: Library, found: dict, args, only) -> tuple[float, dict[str, Timing]]:
    """An Oxigraph server as an analyst would set one up: `oxigraph load` of the N-Quads,
    then `serve-read-only --union-default-graph` (Oxigraph's bag union of the graphs)."""
    location = work / f"server-{nq.stem}"
    shutil.rmtree(location, ignore_errors=True)
    location.mkdir(parents=True)
    t0 = time.perf_counter()
    subprocess.run([str(oxigraph_binary()), "load", "--location", str(location), "--file", str(nq)],
                   check=True, capture_output=True)
    load = time.perf_counter() - t0
    print(f"    load {load:.1f} s (oxigraph load)", flush=True)
    try:
        return load, _serve_and_bench(location, True, lib, found, args, only)
    finally:
        shutil.rmtree(location, ignore_errors=True)


def bench_served(folder: Path, lib: Library, found: dict, args, only) -> dict[str, Timing]:
    """`gongkai serve`'s way: the Oxigraph server over the embedded store's own folder,
    whose default graph holds the set union of the graphs (no `--union-default-graph`)."""
    return _serve_and_bench(folder, False, lib, found, args, only)


def _serve_and_bench(location: Path, union: bool, lib: Library, found: dict, args, only) -> dict[str, Timing]:
    logs = location.with_name(f"{location.name}-log")
    shutil.rmtree(logs, ignore_errors=True)
    logs.mkdir(parents=True)
    server = start_oxigraph(logs, location, writable=False, union=union, timeout_s=int(args.limit),
                            client_timeout=args.limit + 10, retries=0)
    try:
        return bench_store(RemoteStore(server.endpoint), lib, found, args, only)
    finally:
        stop(server)
        shutil.rmtree(logs, ignore_errors=True)


# --- Virtuoso ----------------------------------------------------------------------------

def bench_virtuoso(nq: Path, work: Path, lib: Library, found: dict, args, only) -> tuple[float, dict[str, Timing]]:
    """Virtuoso as an analyst would set one up: its bulk loader reads the N-Quads file (each
    quad into its graph), then the queries go to /sparql. Virtuoso stops a query only after
    the client has given up (it would otherwise answer with the rows found so far)."""
    folder = work / f"virtuoso-{nq.stem}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    server = start_virtuoso(folder, buffers=args.virtuoso_buffers, max_seconds=int(args.limit) + 60,
                            max_cost=args.virtuoso_max_cost, readable=(nq.parent.resolve(),))
    try:
        t0 = time.perf_counter()
        isql(server, f"ld_dir('{nq.parent.resolve()}', '{nq.name}', 'urn:gongkai:bench:default');\n"
                     "rdf_loader_run();\ncheckpoint;\n", "bulk-load the N-Quads", timeout=7200)
        load = time.perf_counter() - t0
        errors = isql(server, "SELECT ll_file, ll_error FROM DB.DBA.load_list WHERE ll_error IS NOT NULL;\n",
                      "read the bulk loader's errors")
        if "0 Rows." not in errors:
            raise RuntimeError(f"Virtuoso's bulk loader failed: {errors}")
        store = RemoteStore(Endpoint(server.endpoint.query, timeout=args.limit + 10, retries=0))
        print(f"    load {load:.1f} s (ld_dir, rdf_loader_run, checkpoint), "
              f"{store.count():,} quads in named graphs", flush=True)
        return load, bench_store(store, lib, found, args, only)
    finally:
        stop(server)
        shutil.rmtree(folder, ignore_errors=True)


# --- report -----------------------------------------------------------------------------------

def _fmt(s: float | None) -> str:
    if s is None:
        return "–"
    return f"{s * 1000:.0f} ms" if s < 10 else f"{s:.1f} s"


def markdown(results: dict, lib: Library) -> str:
    lines = []
    for n, r in results.items():
        stats = r.get("stats", {})
        lines.append(f"### {int(n):,} bureaus ({stats.get('lists', '?')} lists, {stats.get('items', '?')} items, "
                     f"{stats.get('quads', '?')} quads)\n")
        loads = ", ".join(f"{b} {_fmt(v['load'])}" for b, v in r["backends"].items() if v.get("load") is not None)
        lines.append(f"Load: {loads}.\n")
        backends = list(r["backends"])
        head = ["query", "kind"] + [f"{b} first / warm p50" for b in backends]
        if "embedded" in backends and "memory" in backends:
            head.append("rdflib ÷ embedded (warm)")
        lines.append("| " + " | ".join(head) + " |")
        lines.append("|" + "|".join("---" for _ in head) + "|")
        for q in lib:
            cells = [f"`{q.id}`", "lookup" if is_lookup(q) else "aggregate"]
            for b in backends:
                t = r["backends"][b]["queries"].get(q.id)
                if t is None:
                    cells.append("–")
                    continue
                cell = f"{_fmt(t['first'])} / {_fmt(statistics.median(t['warm']) if t['warm'] else None)}"
                if t["note"] and t["first"] is None:
                    cell = t["note"]
                same = r["backends"].get("embedded", {}).get("queries", {}).get(q.id)
                if same and t["rows"] is not None and same["rows"] is not None and t["rows"] != same["rows"]:
                    cell += f" ({t['rows']:,} rows, embedded {same['rows']:,})"
                cells.append(cell)
            if "embedded" in backends and "memory" in backends:
                e = r["backends"]["embedded"]["queries"].get(q.id)
                m = r["backends"]["memory"]["queries"].get(q.id)
                if e and m and e["warm"] and m["warm"]:
                    cells.append(f"{statistics.median(m['warm']) / max(statistics.median(e['warm']), 1e-6):.0f}×")
                elif m and m["first"] is None and m["note"]:
                    cells.append("rdflib did not finish")
                else:
                    cells.append("–")
            lines.append("| " + " | ".join(cells) + " |")
        lines.append("")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    ap.add_argument("--backends", nargs="+", default=["embedded", "oxmem", "memory", "server", "served", "virtuoso"],
                    choices=["embedded", "oxmem", "memory", "server", "served", "virtuoso"])
    ap.add_argument("--runs", type=int, default=5, help="warm runs per query (median reported)")
    ap.add_argument("--limit", type=float, default=60.0, help="seconds before an rdflib query is stopped")
    ap.add_argument("--warm-budget", type=float, default=20.0,
                    help="no more warm runs once a query has used this many seconds")
    ap.add_argument("--memory-max", type=int, default=1000, help="largest size tried on rdflib")
    ap.add_argument("--memory-load-limit", type=float, default=600.0)
    ap.add_argument("--virtuoso-buffers", type=int, default=340000,
                    help="Virtuoso's NumberOfBuffers (8 KiB pages; 340,000 is its advice for 4 GB)")
    ap.add_argument("--virtuoso-max-cost", type=int, default=-1,
                    help="Virtuoso's MaxQueryCostEstimationTime: it refuses a query it estimates would "
                         "take longer (seconds; -1, the default here, turns the check off: Virtuoso's "
                         "own default of 400 refuses 7 of the 27 queries at 10,000 bureaus)")
    ap.add_argument("--work", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "gongkai-query-bench")
    ap.add_argument("--json", type=Path, help="write the figures here")
    ap.add_argument("--markdown", action="store_true", help="print the tables for bench/README.md")
    ap.add_argument("--only", nargs="+", help="only these queries")
    args = ap.parse_args()

    lib = Library(ROOT / "queries")
    only = set(args.only) if args.only else None
    results: dict = {}
    print(f"{platform.platform()}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}", flush=True)
    for n in args.sizes:
        print(f"\n{n} bureaus", flush=True)
        nq = synth_file(n, args.work)
        r = results[str(n)] = {"backends": {}, "stats": {}}
        folder = args.work / f"embedded-{n}"
        shutil.rmtree(folder, ignore_errors=True)
        t0 = time.perf_counter()
        store = EmbeddedStore(folder)
        store.load_file(nq)
        bulk = time.perf_counter() - t0
        store.optimize()  # as `gongkai build` does (store.lifecycle.load_store)
        load = time.perf_counter() - t0
        found = sample_params(store)
        stats = store.select(f"PREFIX gk: <{GK}> SELECT (COUNT(DISTINCT ?l) AS ?lists) (COUNT(DISTINCT ?i) AS ?items) "
                             "WHERE { ?l a gk:DisclosureList ; gk:hasItem ?i }").rows[0]
        r["stats"] = {"lists": int(stats["lists"]), "items": int(stats["items"]), "quads": len(store)}
        quads = len(store)
        store.close()
        del store
        if "embedded" in args.backends:
            print(f"  embedded: load {load:.1f} s ({bulk:.1f} s bulk load, {load - bulk:.1f} s compaction), "
                  f"{quads:,} quads", flush=True)
            r["backends"]["embedded"] = {"load": load, "queries": _as_json(bench_disk(folder, lib, found, args, only))}
        if "served" in args.backends:
            print("  oxigraph server over the embedded store (gongkai serve):", flush=True)
            r["backends"]["served"] = {"load": None, "queries": _as_json(bench_served(folder, lib, found, args, only))}
        shutil.rmtree(folder, ignore_errors=True)
        if "oxmem" in args.backends:
            print("  pyoxigraph in memory:", flush=True)
            mload, timings = bench_in_memory("oxmem", nq, lib, found, args, only)
            r["backends"]["oxmem"] = {"load": mload, "queries": _as_json(timings)}
        if "memory" in args.backends and n <= args.memory_max:
            print("  rdflib in memory:", flush=True)
            rload, timings = bench_in_memory("memory", nq, lib, found, args, only)
            r["backends"]["memory"] = {"load": rload, "queries": _as_json(timings)}
        if "server" in args.backends:
            print("  oxigraph server:", flush=True)
            sload, timings = bench_server(nq, args.work, lib, found, args, only)
            r["backends"]["server"] = {"load": sload, "queries": _as_json(timings)}
        if "virtuoso" in args.backends:
            print("  virtuoso:", flush=True)
            vload, timings = bench_virtuoso(nq, args.work, lib, found, args, only)
            r["backends"]["virtuoso"] = {"load": vload, "queries": _as_json(timings)}
        if args.json:
            args.json.write_text(json.dumps(results, indent=1, ensure_ascii=False), encoding="utf-8")
    print(f"\nload average at the end {os.getloadavg()[0]:.1f}")
    if args.markdown:
        print("\n" + markdown(results, lib))
    _check_targets(results, lib)


def _as_json(timings: dict[str, Timing]) -> dict:
    return {k: {"first": t.first, "warm": t.warm, "rows": t.rows, "note": t.note} for k, t in timings.items()}


def _check_targets(results: dict, lib: Library) -> None:
    big = results.get("10000", {}).get("backends", {}).get("embedded")
    if not big:
        return
    print("\nTargets at 10,000 bureaus, embedded store, warm p50:")
    print(f"  load {big['load']:.1f} s (target {LOAD_TARGET:g} s): {'ok' if big['load'] <= LOAD_TARGET else 'MISSED'}")
    for q in lib:
        t = big["queries"].get(q.id)
        if not t or t["first"] is None:
            continue
        target = LOOKUP_TARGET if is_lookup(q) else AGGREGATE_TARGET
        # no warm run when the first passed the warm budget: the first run is the figure
        p50 = statistics.median(t["warm"]) if t["warm"] else t["first"]
        which = "" if t["warm"] else " (first run)"
        print(f"  {q.id:40s} {_fmt(p50):>9s}{which} (target {_fmt(target)}): {'ok' if p50 <= target else 'MISSED'}")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        _disk_worker(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]), float(sys.argv[6]))
    else:
        main()
