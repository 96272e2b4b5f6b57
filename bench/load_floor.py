"""What loading a graph of N synthetic bureaus costs on this machine, step by step: from
the least any Oxigraph store of those statements can cost up to what `gongkai build` does.

    .venv/bin/python bench/load_floor.py --size 1000
    .venv/bin/python bench/load_floor.py --size 10000 --markdown

Each step starts from an empty store folder (removed afterwards) and reads the same
N-Quads file (`query_bench.py` makes it, and keeps it in --work):

1. **parse only**: Oxigraph's N-Quads parser counting the statements, nothing stored;
2. **triples, default graph**: the statements without their graph names, bulk-loaded by
   Oxigraph's own loader into the default graph (three indexes). Nothing can load these
   statements into an Oxigraph store for less: no named graphs, no second copy;
3. **quads, named graphs**: the file as it is, by Oxigraph's own loader (six indexes and the
   graph index): a store that keeps one graph per list, but whose union default graph is a
   bag (see `gongkai.store`);
4. **gongkai**: `store.lifecycle.load_embedded`, as `gongkai build` runs it: the named graphs and
   their set union in the default graph in one pass, then compaction.

The triples file of step 2 is written before it is timed (not counted).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from gongkai.settings import Settings  # noqa: E402
from gongkai.store.lifecycle import load_embedded  # noqa: E402
from query_bench import synth_file  # noqa: E402


def triples_copy(nq: Path) -> Path:
    """The statements of ``nq`` as N-Triples (graph names dropped), written once beside it."""
    nt = nq.with_suffix(".nt")
    if not nt.exists() or nt.stat().st_mtime < nq.stat().st_mtime:
        part = nt.with_name(nt.name + ".part")
        quads = ox.parse(path=str(nq), format=ox.RdfFormat.N_QUADS)
        ox.serialize((ox.Triple(q.subject, q.predicate, q.object) for q in quads), output=str(part),
                     format=ox.RdfFormat.N_TRIPLES)
        part.replace(nt)
    return nt


def timed(label: str, load, folder: Path | None) -> tuple[str, float, int]:
    """Time ``load``; then count what it stored in ``folder`` (not timed) and remove it."""
    t0 = time.perf_counter()
    n = load()
    s = time.perf_counter() - t0
    if folder is not None:
        store = ox.Store.read_only(str(folder))
        n = len(store)
        del store
        shutil.rmtree(folder, ignore_errors=True)
    print(f"  {label:32s} {s:8.1f} s   {n:,} statements", flush=True)
    return label, s, n


def fresh(folder: Path) -> Path:
    shutil.rmtree(folder, ignore_errors=True)
    return folder


def bulk(folder: Path, path: Path, fmt: ox.RdfFormat) -> None:
    store = ox.Store(str(fresh(folder)))
    store.bulk_load(path=str(path), format=fmt)
    store.flush()
    del store


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", type=int, default=1000, help="synthetic bureaus, as query_bench.py makes them")
    ap.add_argument("--work", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "gongkai-query-bench")
    ap.add_argument("--markdown", action="store_true", help="print the table for bench/README.md")
    args = ap.parse_args()

    nq = synth_file(args.size, args.work)
    nt = triples_copy(nq)
    print(f"{nq} ({nq.stat().st_size / 1e6:,.0f} MB), {os.cpu_count()} cores", flush=True)
    folder = args.work / f"load-floor-{args.size}"
    steps = [
        timed("parse only", lambda: sum(1 for _ in ox.parse(path=str(nq), format=ox.RdfFormat.N_QUADS)), None),
        timed("triples, default graph", lambda: bulk(folder, nt, ox.RdfFormat.N_TRIPLES), folder),
        timed("quads, named graphs", lambda: bulk(folder, nq, ox.RdfFormat.N_QUADS), folder),
        timed("gongkai (named graphs + union)",
              lambda: load_embedded(Settings(), source=nq, target=fresh(folder)), folder),
    ]
    if args.markdown:
        print(f"\n| step ({args.size:,} bureaus) | seconds | statements in the store |")
        print("|---|---:|---:|")
        for label, s, n in steps:
            print(f"| {label} | {s:.1f} | {n:,} |")


if __name__ == "__main__":
    main()
