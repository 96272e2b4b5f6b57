"""Time `gongkai ingest` on the original list: the whole command (process start-up
included) and the pipeline alone in-process (read → tabulate → parse → resolve → map → CSV).

    .venv/bin/python bench/ingest_bench.py [FILE] [--runs 5]

Prints the median of the runs and every run, in seconds.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("file", nargs="?", type=Path, default=ROOT / "data" / "raw" / "zhongwei-yunjisuan-2021.txt")
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    exe = Path(sys.executable).parent / "gongkai"
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "gongkai.cli"]
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out.csv"
        walls = []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            subprocess.run([*cmd, "ingest", str(args.file), "-o", str(out)], check=True,
                           capture_output=True, env={**os.environ})
            walls.append(time.perf_counter() - t0)
    from gongkai.ingest import ingest_file
    from gongkai.publish.export import items_csv
    from gongkai.rdf.mapping import map_list
    from gongkai.reference_data import map_context
    from gongkai.settings import Settings

    settings = Settings(root=ROOT)
    ctx = map_context(settings)
    ingest_file(args.file, settings)  # warm caches (registry, vocabularies, OpenCC)
    inproc = []
    for _ in range(args.runs):
        t0 = time.perf_counter()
        dl = ingest_file(args.file, settings)
        map_list(dl, ctx)
        items_csv([dl])
        inproc.append(time.perf_counter() - t0)
    fmt = lambda xs: ", ".join(f"{x:.3f}" for x in xs)  # noqa: E731
    print(f"file: {args.file.name} ({len(dl.items)} items)")
    print(f"gongkai ingest (whole command): median {statistics.median(walls):.3f} s  [{fmt(walls)}]")
    print(f"pipeline in-process (warm):     median {statistics.median(inproc) * 1000:.1f} ms  [{fmt(inproc)}]")


if __name__ == "__main__":
    main()
