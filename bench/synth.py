"""Synthetic disclosure lists made by recombining real items from data/raw.

Every synthetic bureau gets one list of 15–25 items drawn (with a fixed seed) from the
pool of real items — their names, contents, citations, time limits and channels as
parsed — renumbered 1..k, with declared counts that match. Bureau names and dates are
made up and deterministic, so runs are repeatable.

    python bench/synth.py 1000 -o /tmp/synth-1000.nq     # N-Quads, one named graph per list

Used by the benchmarks (bench/*.py); importable as ``synth``.
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import random
import sys
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from gongkai.ingest import ingest_folder  # noqa: E402
from gongkai.model import DeclaredCounts, DisclosureList, Organisation, Person  # noqa: E402
from gongkai.rdf.mapping import TripleSink, map_list  # noqa: E402
from gongkai.rdf.serialize import serialize  # noqa: E402
from gongkai.reference_data import map_context, static_graphs  # noqa: E402
from gongkai.settings import Settings  # noqa: E402

_PLACES = "东西南北中上下前后左右新老大小"
_DEPTS = ["教育局", "民政局", "财政局", "交通运输局", "卫生健康局", "生态环境局", "应急管理局",
          "市场监督管理局", "司法局", "自然资源局", "文化广电旅游局", "人力资源和社会保障局"]


def load_pool(settings: Settings | None = None) -> list[DisclosureList]:
    """The real lists in data/raw, parsed (failed files are skipped)."""
    settings = settings or Settings(root=ROOT)
    return [r.dl for r in ingest_folder(settings.raw_dir, settings, workers=1) if r.dl is not None]


def bureau_name(i: int) -> str:
    a, b = divmod(i, len(_DEPTS))
    place = "".join(_PLACES[int(d)] for d in f"{a:05d}")
    return f"合成{place}县{_DEPTS[b]}"


def synthetic_lists(n: int, pool: list[DisclosureList], seed: int = 20260101,
                    items: tuple[int, int] = (15, 25)) -> Iterator[DisclosureList]:
    rng = random.Random(seed)
    all_items = [it for dl in pool for it in dl.items]
    if not all_items:
        raise SystemExit("no real items to recombine: data/raw is empty or unreadable")
    day0 = dt.date(2021, 1, 1)
    for i in range(n):
        k = rng.randint(*items)
        chosen = [copy.deepcopy(rng.choice(all_items)) for _ in range(k)]
        chosen.sort(key=lambda it: (it.level1 or "", it.number))
        for num, it in enumerate(chosen, 1):
            it.number = num
            it.source = type(it.source)(file=f"synthetic-{i:05d}.txt", rows=(num,))
        name = bureau_name(i)
        level1 = {it.level1 for it in chosen if it.level1}
        yield DisclosureList(
            title=f"{name}政务公开清单目录",
            bureau=Organisation(name=name, parent=f"合成县{i // len(_DEPTS)}人民政府"),
            items=chosen,
            date=day0 + dt.timedelta(days=i % 1000),
            people=[Person("张三", "filler"), Person("李四", "reviewer"), Person("王五", "approver")],
            declared=DeclaredCounts(raw=f"主动公开一级事项 {len(level1)} 项, 二级事项 {k} 项; 依申请公开二级事项 0 项",
                                    level1_active=len(level1), level2_active=k, level2_on_request=0),
            source_file=f"synthetic-{i:05d}.txt",
            source_sha256="0" * 64,
            source_format="synthetic",
            ingested_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
        )


def write_nquads(lists, path: Path, settings: Settings | None = None, with_static: bool = True) -> int:
    """Map and write lists as N-Quads; returns the number of lists written."""
    settings = settings or Settings(root=ROOT)
    ctx = map_context(settings)
    n = 0
    with open(path, "w", encoding="utf-8") as f:
        if with_static:
            f.write(serialize(static_graphs(settings), "nquads"))
        for dl in lists:
            name, sink = map_list(dl, ctx, TripleSink())
            f.write(sink.nquads(name))
            n += 1
    return n


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("n", type=int, help="number of synthetic bureaus (one list each)")
    ap.add_argument("-o", "--output", type=Path, required=True, help="N-Quads file to write")
    ap.add_argument("--seed", type=int, default=20260101)
    args = ap.parse_args()
    t0 = time.perf_counter()
    pool = load_pool()
    n = write_nquads(synthetic_lists(args.n, pool, args.seed), args.output)
    print(f"{n} synthetic lists from {sum(len(d.items) for d in pool)} real items → {args.output} "
          f"({args.output.stat().st_size / 1e6:.1f} MB, {time.perf_counter() - t0:.1f} s)")


if __name__ == "__main__":
    main()
