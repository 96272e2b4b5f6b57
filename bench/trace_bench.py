"""How long a trace of one legal source takes, by how many items cite it.

    .venv/bin/python bench/trace_bench.py --size 10000              # builds the store once, in --work
    .venv/bin/python bench/trace_bench.py --store build/store       # any embedded store
    .venv/bin/python bench/trace_bench.py --size 1000 --markdown

The three traces of the query library (`items_relying_on_source`, `items_citing_version`,
`items_by_article`) answer one row per citing item, so their time grows with the source:
at 10,000 synthetic bureaus the Budget Law is cited by thousands of items, most sources by
a few. This times them on the embedded store (warm median of 5, after one first run) for
the most-cited resource, the median one, the least-cited one and those cited by about
1,000, 300, 100, 30 and 10 items, and reports the time per row answered.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from gongkai.query.library import Library  # noqa: E402
from gongkai.settings import Settings  # noqa: E402
from gongkai.store.embedded import EmbeddedStore  # noqa: E402
from gongkai.store.lifecycle import load_embedded  # noqa: E402
from query_bench import GK, _fmt, synth_file, time_query  # noqa: E402

TRACES = {"items_relying_on_source": "source", "items_citing_version": "version", "items_by_article": "source"}
AIMS = (1000, 300, 100, 30, 10)  # items citing, besides the most-cited version


def citing_counts(store: EmbeddedStore) -> list[tuple[str, int]]:
    """Every cited legal resource with the number of items citing it, most-cited first."""
    res = store.select(f"""PREFIX gk: <{GK}>
        SELECT ?cited (COUNT(DISTINCT ?item) AS ?n)
        WHERE {{ ?c gk:cites ?cited . ?item gk:citation ?c }} GROUP BY ?cited""")
    return sorted(((str(r["cited"]), int(r["n"])) for r in res.rows), key=lambda x: (-x[1], x[0]))


def chosen(counts: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """The most-cited resource, the median one, the least-cited one, and the one nearest each
    of AIMS (each once)."""
    if not counts:
        return []
    picks = [counts[0], counts[len(counts) // 2], counts[-1]]
    picks.extend(min(counts, key=lambda x: (abs(x[1] - aim), x[0])) for aim in AIMS)
    return sorted(dict.fromkeys(picks), key=lambda x: (-x[1], x[0]))


def store_for(args) -> Path:
    if args.store:
        return args.store
    nq = synth_file(args.size, args.work)
    folder = args.work / f"embedded-trace-{args.size}"
    if not (folder / "CURRENT").exists():
        t0 = time.perf_counter()
        load_embedded(Settings(), source=nq, target=folder)  # as `gongkai build` does
        print(f"  loaded {nq.name} into {folder} in {time.perf_counter() - t0:.0f} s", flush=True)
    return folder


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--store", type=Path, help="an embedded store folder to time (read only)")
    ap.add_argument("--size", type=int, default=10000, help="else: synthetic bureaus, as query_bench.py makes them")
    ap.add_argument("--work", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "gongkai-query-bench")
    ap.add_argument("--runs", type=int, default=5, help="warm runs per query (median reported)")
    ap.add_argument("--warm-budget", type=float, default=10.0)
    ap.add_argument("--markdown", action="store_true", help="print the table for bench/README.md")
    args = ap.parse_args()

    store = EmbeddedStore(store_for(args), read_only=True)
    lib = Library(ROOT / "queries")
    picks = chosen(citing_counts(store))
    rows_out = []
    for cited, n in picks:
        print(f"{cited}  cited by {n} items", flush=True)
        for qid, param in TRACES.items():
            q = lib.get(qid)
            bindings = q.bind({param: cited})
            t = time_query(lambda text=q.text, bindings=bindings: len(store.select(text, bindings).rows),
                           args.runs, args.warm_budget)
            p50 = t.p50 if t.p50 is not None else t.first
            per_row = f"{p50 / t.rows * 1e6:.0f} µs" if t.rows else "–"
            print(f"    {qid:28s} rows {t.rows:6d}  first {_fmt(t.first):>8s}  warm {_fmt(p50):>8s}  {per_row} a row",
                  flush=True)
            rows_out.append((cited, n, qid, t.rows, t.first, p50, per_row))
    if args.markdown:
        print("\n| cited resource | items citing | query | rows | first | warm p50 | per row |")
        print("|---|---:|---|---:|---:|---:|---:|")
        for cited, n, qid, rows, first, p50, per_row in rows_out:
            name = cited.rsplit("/legal/", 1)[-1]
            print(f"| `{name}` | {n:,} | `{qid}` | {rows:,} | {_fmt(first)} | {_fmt(p50)} | {per_row} |")


if __name__ == "__main__":
    main()
