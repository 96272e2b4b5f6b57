"""Files/s and items/s of ``gongkai build`` over the whole of data/raw (median of N runs).

    .venv/bin/python bench/build_bench.py            # 5 runs, the default workers
    .venv/bin/python bench/build_bench.py --runs 9 --workers 1

Each run is a complete build as the command does it (read every file, map, write
build/kg.trig and build/items.csv) into a fresh temporary folder. The first run pays
for loading the ontology, the vocabularies and the legal registry like every later
one does: nothing is shared between runs but the Python process. Reading alone
(``ingest_folder``) is timed too, sequentially and in worker processes, because
that is the part that grows with the number of files.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from gongkai.ingest import ingest_folder, list_sources  # noqa: E402 - after the sys.path set-up
from gongkai.pipeline.build import build  # noqa: E402
from gongkai.settings import Settings  # noqa: E402


def _median_time(fn, runs: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--workers", type=int, default=None,
                    help="worker processes for reading (default: as gongkai build chooses)")
    ap.add_argument("--folder", type=Path, default=ROOT / "data" / "raw")
    args = ap.parse_args(argv)
    settings = Settings(root=ROOT)
    n_files = len(list_sources(args.folder))

    def whole() -> object:
        with tempfile.TemporaryDirectory() as out:
            return build(settings, args.folder, Path(out))

    t_build, result = _median_time(whole, args.runs)
    failed = [r for r in result.files if not r.ok]
    n_items = sum(len(dl.items) for dl in result.lists)
    rows = [("gongkai build (read, map, write)", t_build)]
    for workers in (1, args.workers or 2):
        t, _ = _median_time(lambda w=workers: ingest_folder(args.folder, settings, workers=w), args.runs)
        rows.append((f"reading only, {workers} worker{'s' if workers > 1 else ''}", t))

    print(f"{args.folder}: {n_files} files, {len(result.lists)} lists, {n_items} items, "
          f"{len(failed)} failed; median of {args.runs} runs")
    print(f"{'':34} {'seconds':>8} {'files/s':>8} {'items/s':>8}")
    for label, t in rows:
        print(f"{label:34} {t:8.2f} {n_files / t:8.1f} {n_items / t:8.0f}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
