"""One source file → one DisclosureList: pick a reader by content, tabulate, parse.

A file that cannot be read as a list (no table, no header, not a list) raises before
anything is written anywhere. A row that cannot be read is set aside (``DisclosureList.unread``,
with a warning) and the rest of the list is read; ``strict=True`` refuses the whole file for
it instead, as the first unread row's :class:`InputError`. A list none of whose rows can be
read is refused.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

from gongkai.errors import GongkaiError, InputError, Text
from gongkai.fields.missing import is_missing_warning
from gongkai.fields.parse import build_list
from gongkai.legal.registry import registry
from gongkai.legal.resolve import resolve_all
from gongkai.model import Correction, DisclosureList, readable_name
from gongkai.readers import detect
from gongkai.settings import Settings
from gongkai.tabulate.corrections import CORRECTIONS_FILE, apply_corrections, for_file, read_corrections
from gongkai.tabulate.table import tabulate


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 16), b""):
            h.update(chunk)
    return h.hexdigest()


def ingest_file(path: str | Path, settings: Settings | None = None, *,
                bureau: str | None = None, parent: str | None = None,
                date: dt.date | None = None, source_url: str | None = None, resolve: bool = True,
                strict: bool = False, corrections: Sequence[Correction] = ()) -> DisclosureList:
    """Read one list (see the module docstring). ``strict``: the first row that cannot be read,
    or a list that names no bureau, refuses the file (:class:`InputError`). ``corrections``:
    those of a corrections file (:mod:`gongkai.tabulate.corrections`); the ones naming this
    file's SHA-256 are applied to its rows before they are read as items."""
    settings = settings or Settings()
    p = Path(path)
    if not p.exists():
        raise InputError(str(path), Text("file not found", "找不到文件"), code="not-found")
    if not p.is_file():
        raise InputError(str(path), Text("not a file", "不是文件"), code="not-found")
    grid = detect.read_any(p)
    table = tabulate(grid, strict=strict)
    sha256 = sha256_of(p)
    applied = apply_corrections(table, for_file(corrections, sha256))
    dl = build_list(table, source_file=readable_name(p.name), sha256=sha256,
                    bureau=bureau, parent=parent, date_override=date, strict=strict)
    dl.corrections = applied
    if source_url and not dl.source_url:
        dl.source_url = source_url
    if not dl.items and dl.unread:
        first = dl.unread[0]
        zh_first = first.reason.zh if isinstance(first.reason, Text) else first.reason
        raise InputError(str(path), Text(f"none of the table's rows could be read ({len(dl.unread)} set aside); "
                                         f"the first: {first.reason}",
                                         f"表格中没有一行能读取（{len(dl.unread)} 行被搁置）；第一行：{zh_first}"),
                         row=min(first.lines, default=None), code="no-items")
    if not dl.items:
        raise InputError(str(path), Text("the table has a header but no item rows", "表格有表头，但没有事项行"),
                         code="no-items")
    reg = registry(settings) if resolve else None
    if reg is not None:
        at = dl.date
        for it in dl.items:
            resolve_all(it.citations, reg, at)
    dl.ingested_at = settings.now()
    return dl


def incomplete(dl: DisclosureList) -> list[str]:
    """What a list read leaves out, in words (empty when it was read whole): rows not read, a
    bureau not named, items its heading or numbering shows to be missing. ``gongkai ingest``
    exits 1 for such a list."""
    out: list[str] = []
    if dl.unread:
        out.append(f"{len(dl.unread)} row{'s' if len(dl.unread) != 1 else ''} not read")
    if not dl.bureau_named:
        out.append("no bureau named")
    if any(is_missing_warning(w) for w in dl.warnings):
        out.append("items missing")
    return out


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
                  if p.is_file() and not p.name.startswith(".") and p.name not in (SIDE_CAR, CORRECTIONS_FILE)
                  and p.suffix.lower() not in SKIP_SUFFIXES)


#: one file to read: its path, the settings, its row of sources.csv, whether to read strictly,
#: and the folder's corrections
Job = tuple[Path, Settings, dict[str, str], bool, tuple[Correction, ...]]


def _ingest_one(args: Job) -> FileResult:
    path, settings, desc, strict, corrections = args
    try:
        date = dt.date.fromisoformat(desc["date"]) if desc.get("date") else None
        dl = ingest_file(path, settings, bureau=desc.get("bureau") or None,
                         parent=desc.get("parent") or None, date=date,
                         source_url=desc.get("url") or None, strict=strict, corrections=corrections)
        return FileResult(path, dl=dl)
    except GongkaiError as e:
        return FileResult(path, error=str(e))
    except Exception as e:  # a bug must not stop the other files; report it as such
        return FileResult(path, error=f"{path}: internal error while reading: {type(e).__name__}: {e}")


def ingest_folder(folder: Path, settings: Settings,
                  progress: Callable[[FileResult], None] | None = None,
                  workers: int | None = None, *, strict: bool = False) -> list[FileResult]:
    """Read every list of ``folder`` (``ingest_file`` with its row of ``sources.csv`` and the
    folder's ``corrections.csv``); a file that cannot be read is a failed :class:`FileResult`,
    the others are read."""
    if not folder.is_dir():
        raise InputError(str(folder), "not a folder")
    desc = read_side_car(folder)
    corrections = tuple(read_corrections(folder / CORRECTIONS_FILE))
    files = list_sources(folder)
    jobs: list[Job] = [(p, settings, desc.get(p.name, {}), strict, corrections) for p in files]
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
            except Exception as e:
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
        except Exception as e:
            return FileResult(path, error=f"{path}: the worker reading it failed: {type(e).__name__}: {e}")
