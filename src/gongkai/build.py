"""Batch build: every list in a folder → ``build/kg.trig`` and ``build/items.csv``.

Per-file isolation: a file that fails is reported and the others are built. Files are
ingested in parallel worker processes when there are many. A folder may hold
``sources.csv`` describing files whose content does not say who published them
(columns ``file, bureau, parent, date, url``, and a free ``note``): its values win over
what the file says, so a wrong or missing 责任单位 can be corrected without editing the
source file.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef

from gongkai.build_folder import GRAPH, write_atomic
from gongkai.errors import GongkaiError, InputError
from gongkai.export import items_csv, serialize
from gongkai.ingest import ingest_file
from gongkai.kg import map_context, static_graphs
from gongkai.model import DisclosureList
from gongkai.rdf.mapping import map_list
from gongkai.settings import Settings

SIDE_CAR = "sources.csv"
SKIP_SUFFIXES = {".md", ".json", ".yaml", ".yml", ".toml"}
PARALLEL_FROM = 8  # below this many files, worker start-up costs more than it saves


@dataclass
class FileResult:
    path: Path
    dl: DisclosureList | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.dl is not None


@dataclass
class BuildResult:
    files: list[FileResult] = field(default_factory=list)
    graphs: list[tuple[URIRef, Graph]] = field(default_factory=list)
    out_dir: Path | None = None

    @property
    def lists(self) -> list[DisclosureList]:
        return [f.dl for f in self.files if f.dl is not None]

    @property
    def failed(self) -> list[FileResult]:
        return [f for f in self.files if not f.ok]


def read_side_car(folder: Path) -> dict[str, dict[str, str]]:
    """The rows of the folder's ``sources.csv`` by file name ({} without one).

    Raises :class:`InputError` naming the row for a row without a file name, a file named
    twice, or a date that is not ``YYYY-MM-DD``.
    """
    path = folder / SIDE_CAR
    if not path.exists():
        return {}
    out: dict[str, dict[str, str]] = {}
    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            rows = list(csv.DictReader(f))
    except (OSError, UnicodeDecodeError, csv.Error) as e:
        raise InputError(str(path), f"cannot read it as UTF-8 CSV: {e}") from None
    for n, row in enumerate(rows, 2):
        name = (row.get("file") or "").strip()
        if not name:
            raise InputError(str(path), "a row has no file name", row=n, cell="file")
        if name in out:
            raise InputError(str(path), f"{name} is described twice", row=n, cell="file")
        desc = {k: (v or "").strip() for k, v in row.items() if k}
        if desc.get("date"):
            try:
                dt.date.fromisoformat(desc["date"])
            except ValueError:
                raise InputError(str(path), f"date {desc['date']!r} is not YYYY-MM-DD",
                                 row=n, cell="date") from None
        out[name] = desc
    return out


def list_sources(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir()
                  if p.is_file() and not p.name.startswith(".") and p.name != SIDE_CAR
                  and p.suffix.lower() not in SKIP_SUFFIXES)


def _ingest_one(args: tuple[Path, Settings, dict[str, str]]) -> FileResult:
    path, settings, desc = args
    try:
        date = dt.date.fromisoformat(desc["date"]) if desc.get("date") else None
        dl = ingest_file(path, settings, bureau=desc.get("bureau") or None,
                         parent=desc.get("parent") or None, date=date,
                         source_url=desc.get("url") or None)
        return FileResult(path, dl=dl)
    except GongkaiError as e:
        return FileResult(path, error=str(e))
    except Exception as e:  # a bug must not stop the other files; report it as such
        return FileResult(path, error=f"{path}: internal error while reading: {type(e).__name__}: {e}")


def ingest_folder(folder: Path, settings: Settings,
                  progress: Callable[[FileResult], None] | None = None,
                  workers: int | None = None) -> list[FileResult]:
    if not folder.is_dir():
        raise InputError(str(folder), "not a folder")
    desc = read_side_car(folder)
    files = list_sources(folder)
    jobs = [(p, settings, desc.get(p.name, {})) for p in files]
    n_workers = workers if workers is not None else min(os.cpu_count() or 1, 8)
    if len(jobs) >= PARALLEL_FROM and n_workers > 1:
        return _ingest_in_workers(jobs, n_workers, progress)
    results: list[FileResult] = []
    for job in jobs:
        r = _ingest_one(job)
        results.append(r)
        if progress:
            progress(r)
    return results


Job = tuple[Path, Settings, dict[str, str]]


def _ingest_in_workers(jobs: list[Job], n_workers: int,
                       progress: Callable[[FileResult], None] | None) -> list[FileResult]:
    """Read the files in worker processes; results are reported as they come (the progress
    bar moves with the work) and kept in the folder's order (the output does not depend on
    scheduling).

    A worker that dies (killed, out of memory) breaks the whole pool: every file not yet
    read fails with it. Those files are read again in a new pool, and if that breaks too,
    each in a process of its own, so that only the file whose reading kills its process
    fails, named as such."""
    done: dict[int, FileResult] = {}
    todo = list(range(len(jobs)))
    for _round in range(2):
        todo = _pool_round(jobs, todo, n_workers, done, progress)
        if not todo:
            break
    for k in todo:
        done[k] = _ingest_alone(jobs[k])
        if progress:
            progress(done[k])
    return [done[k] for k in range(len(jobs))]


def _pool_round(jobs: list[Job], todo: list[int], n_workers: int, done: dict[int, FileResult],
                progress: Callable[[FileResult], None] | None) -> list[int]:
    """Read the files ``todo`` in one pool; returns those lost when a worker died."""
    broken: list[int] = []
    with ProcessPoolExecutor(max_workers=n_workers) as pool:
        futures = {pool.submit(_ingest_one, jobs[k]): k for k in todo}
        for fut in as_completed(futures):
            k = futures[fut]
            try:
                r = fut.result()
            except BrokenProcessPool:
                broken.append(k)
                continue
            except Exception as e:  # noqa: BLE001 - the result could not be sent back: report the file
                r = FileResult(jobs[k][0], error=f"{jobs[k][0]}: the worker reading it failed: "
                                                 f"{type(e).__name__}: {e}")
            done[k] = r
            if progress:
                progress(r)
    return sorted(broken)


def _ingest_alone(job: Job) -> FileResult:
    """Read one file in a process of its own; a process that dies fails this file only."""
    path = job[0]
    with ProcessPoolExecutor(max_workers=1) as pool:
        try:
            return pool.submit(_ingest_one, job).result()
        except BrokenProcessPool:
            return FileResult(path, error=f"{path}: the process reading it was killed (out of memory? the "
                                          "file may be far larger inside than on disk); the other files were read")
        except Exception as e:  # noqa: BLE001
            return FileResult(path, error=f"{path}: the worker reading it failed: {type(e).__name__}: {e}")


def check_unique(results: list[FileResult], ctx) -> None:
    """Two files describing the same bureau on the same date would overwrite each other."""
    seen: dict[str, Path] = {}
    for r in results:
        if r.dl is None:
            continue
        from gongkai.rdf.mapping import list_iri

        iri = str(list_iri(ctx, r.dl))
        if iri in seen:
            r.error = (f"{r.path}: describes the same list as {seen[iri].name} ({iri}); "
                       "give each version its own date")
            r.dl = None
        else:
            seen[iri] = r.path


def build(settings: Settings, folder: Path | None = None, out_dir: Path | None = None,
          progress: Callable[[FileResult], None] | None = None) -> BuildResult:
    folder = folder or settings.raw_dir
    out = out_dir or settings.out_dir
    ctx = map_context(settings)
    results = ingest_folder(folder, settings, progress)
    check_unique(results, ctx)
    graphs = static_graphs(settings)
    for r in results:
        if r.dl is not None:
            graphs.append(map_list(r.dl, ctx))
    out.mkdir(parents=True, exist_ok=True)
    lists = [r.dl for r in results if r.dl is not None]
    write_atomic(out / GRAPH, serialize(graphs, "trig"))
    write_atomic(out / "items.csv", items_csv(lists))
    return BuildResult(files=results, graphs=graphs, out_dir=out)
