"""Benchmark: SHACL validation of one list (the import path) and of 100 … 10,000 lists.

    python bench/validate_bench.py                      # one list, then 100, 1000, 10000 lists
    python bench/validate_bench.py --sizes 100 1000     # fewer sizes
    python bench/validate_bench.py --workers 1          # no worker processes

Synthetic lists come from ``bench/synth.py`` (real items recombined) and are written once
as N-Quads under ``--dir`` (default /tmp/gongkai-bench); writing them is timed apart, since
it is the build's work, not validation's. Each size is validated in a fresh process
(``gongkai.validation.inputs.validate_rdf_file``: the file is cut into batches of whole graphs,
worker processes load each batch into pyoxigraph and run the compiled shapes). Reported:
wall seconds, CPU seconds of the process and its workers (which, unlike wall time, do not
depend on what else runs on the machine), the load average, and the peak resident memory
of the process and of its largest worker.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))


def _child(path: Path, workers: int | None) -> None:
    from gongkai.settings import Settings
    from gongkai.validation.inputs import validate_rdf_file

    t0 = time.perf_counter()
    report = validate_rdf_file(path, Settings(root=ROOT), workers=workers)
    seconds = time.perf_counter() - t0
    me, kids_usage = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    own, kids = me.ru_maxrss / 1024, kids_usage.ru_maxrss / 1024
    cpu = me.ru_utime + me.ru_stime + kids_usage.ru_utime + kids_usage.ru_stime
    with open("/proc/loadavg") as f:
        load = float(f.read().split()[0])
    print(json.dumps({"lists": len(report.lists), "seconds": round(seconds, 2), "cpu_seconds": round(cpu, 1),
                      "load_after": load,
                      "results": len(report.results), "violations": report.count("Violation"),
                      "peak_main_mb": round(own), "peak_worker_mb": round(kids)}))


def one_list() -> dict:
    """The import path: read one list file, parse, map and validate it (warm process)."""
    from gongkai.ingest import ingest_file
    from gongkai.settings import Settings
    from gongkai.validation.run import validate_lists

    settings = Settings(root=ROOT)
    path = ROOT / "data" / "raw" / "zhongwei-yunjisuan-2021.txt"
    validate_lists([ingest_file(path, settings)], settings)  # warm caches (shapes, registry)
    runs = []
    for _ in range(5):
        t0 = time.perf_counter()
        dl = ingest_file(path, settings)
        t1 = time.perf_counter()
        report = validate_lists([dl], settings)
        t2 = time.perf_counter()
        runs.append((t1 - t0, t2 - t1))
    best = min(runs, key=lambda r: r[0] + r[1])
    return {"file": path.name, "items": len(dl.items), "ingest_s": round(best[0], 3),
            "validate_s": round(best[1], 3), "violations": report.count("Violation")}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="*", default=[100, 1000, 10000])
    ap.add_argument("--workers", type=int, default=None)
    ap.add_argument("--dir", type=Path, default=Path("/tmp/gongkai-bench"))
    ap.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        _child(args.child, args.workers)
        return

    print("one list (import path):", json.dumps(one_list()), flush=True)
    import synth

    args.dir.mkdir(parents=True, exist_ok=True)
    pool = None
    for n in args.sizes:
        path = args.dir / f"synth-{n}.nq"
        if not path.exists():
            pool = pool or synth.load_pool()
            t0 = time.perf_counter()
            tmp = path.with_suffix(".tmp")
            synth.write_nquads(synth.synthetic_lists(n, pool), tmp)
            tmp.replace(path)
            print(f"{n} lists written in {time.perf_counter() - t0:.1f} s "
                  f"({path.stat().st_size / 1e6:.0f} MB)", flush=True)
        cmd = [sys.executable, __file__, "--child", str(path)]
        if args.workers is not None:
            cmd += ["--workers", str(args.workers)]
        out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1]
        row = json.loads(out)
        row["ms_per_list"] = round(1000 * row["seconds"] / max(row["lists"], 1), 2)
        print(f"{n} lists:", json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
