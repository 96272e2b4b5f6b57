"""Time and size of ``gongkai publish``: the lists in data/raw, and N synthetic lists.

    python bench/publish_bench.py                # data/raw, then 1,000 synthetic lists
    python bench/publish_bench.py --synthetic 200 --keep /tmp/site-200

Each run reports the time to get the quads (reading data/raw, or generating and mapping
the synthetic lists) and the time of ``publish_site`` split into its stages: the
downloads (the whole graph in every format), the statistics, DCAT description and the
cut into pages, and the pages themselves; with the site's pages, files and bytes, and
the peak resident memory of the process. Figures are in bench/README.md.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from gongkai.publish.site import publish_site  # noqa: E402
from gongkai.publish.source import from_folder, from_lists  # noqa: E402
from gongkai.settings import Settings  # noqa: E402
from synth import load_pool, synthetic_lists  # noqa: E402


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _du(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def run(name: str, make_source, settings: Settings, keep: Path | None) -> dict:
    t0 = time.perf_counter()
    source = make_source()
    t1 = time.perf_counter()
    out = keep or Path(tempfile.mkdtemp(prefix="gongkai-bench-")) / "site"
    marks: dict[str, float] = {}

    def progress(stage: str, done: int, total: int) -> None:
        marks.setdefault(stage + "_start", time.perf_counter())
        if done == total:
            marks[stage + "_end"] = time.perf_counter()

    result = publish_site(source, out, settings, progress=progress)
    t2 = time.perf_counter()
    files, size = _du(out)
    download = sum(d.size for d in result.downloads)
    row = {
        "run": name, "lists": len(source.lists or []), "quads": len(source.quads),
        "triples": result.stats.triples if result.stats else 0, "pages": result.pages,
        "files": files, "site_mb": size / 1e6, "downloads_mb": download / 1e6,
        "source_s": t1 - t0, "publish_s": t2 - t1,
        "downloads_s": marks["downloads_end"] - t1,                        # every format, measured
        "index_s": marks["pages_start"] - marks["downloads_end"],          # statistics, DCAT, pages cut
        "pages_s": t2 - marks["pages_start"],                              # HTML, Turtle, JSON-LD, index
        "peak_mb": _peak_mb(),
    }
    if keep is None:
        shutil.rmtree(out.parent, ignore_errors=True)
    return row


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--synthetic", type=int, default=1000, help="number of synthetic lists (0: skip)")
    ap.add_argument("--skip-raw", action="store_true", help="do not publish data/raw")
    ap.add_argument("--keep", type=Path, help="write the synthetic site here and keep it")
    args = ap.parse_args()
    settings = Settings(root=ROOT)
    rows = []
    if not args.skip_raw:
        rows.append(run("data/raw", lambda: from_folder(settings), settings, None))
    if args.synthetic:
        pool = load_pool(settings)
        rows.append(run(f"synthetic {args.synthetic}",
                        lambda: from_lists(synthetic_lists(args.synthetic, pool), settings), settings, args.keep))
    cols = ["run", "lists", "triples", "pages", "files", "site_mb", "downloads_mb", "source_s", "publish_s",
            "downloads_s", "index_s", "pages_s", "peak_mb"]
    print("| " + " | ".join(cols) + " |")
    print("|" + "---|" * len(cols))
    for r in rows:
        print("| " + " | ".join(f"{r[c]:.1f}" if isinstance(r[c], float) else str(r[c]) for c in cols) + " |")


if __name__ == "__main__":
    main()
