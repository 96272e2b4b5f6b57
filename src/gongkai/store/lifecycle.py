"""The embedded store of a build folder: opened read-only on the current version (with a lease),
made or refreshed as a new version, changed as a new version (gongkai.build_folder)."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from rich.filesize import decimal

from gongkai.build_folder import GRAPH, STAMP, STORE, BuildFolder, Version, fingerprint
from gongkai.errors import StoreError
from gongkai.settings import Settings
from gongkai.store.base import Store
from gongkai.store.embedded import EmbeddedStore
from gongkai.store.remote import RemoteStore

T = TypeVar("T")


# told how far a long piece of work has got: (what is being done, done, total); a total of
# 0 means the figures are not known (the stage has begun)
Progress = Callable[[str, int, int], None]


def built_graph(settings: Settings) -> Path:
    return settings.out_dir / GRAPH


def embedded_store_path(settings: Settings) -> Path:
    return settings.store_dir or settings.out_dir / STORE


def _stamp(store_dir: Path) -> dict | None:
    try:
        return json.loads((store_dir / STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def store_is_fresh(settings: Settings) -> bool:
    """True when the embedded store holds exactly the current ``build/kg.trig``."""
    folder = BuildFolder(settings.out_dir)
    if settings.store_dir is None and not folder.is_flat():
        v = folder.current()
        return v is not None and v.store_is_fresh()
    path, source = embedded_store_path(settings), built_graph(settings)
    return source.exists() and _stamp(path) == fingerprint(source)


def load_store(source: Path, target: Path, progress: Progress | None = None, *,
               shown: tuple[Path, Path] | None = None) -> Path:
    """Bulk-load the graph file ``source`` into a new embedded store at ``target``.

    Loads into a new folder beside it and renames it into place, so a half-written store is
    never found at ``target`` (a folder already there is replaced). ``progress`` hears of
    each stage: loading (bytes of the file read), writing the indexes, compacting (these two
    without figures until they are done), naming the file and the store as ``shown`` (the
    build folder's public names, where they differ from the version's own paths).
    """
    name, where = shown or (source, target)
    if not source.exists():
        raise StoreError(f"{source} does not exist: run `gongkai build` first")
    fresh = target.with_name(f"{target.name}.new-{os.getpid()}")
    old = target.with_name(f"{target.name}.old-{os.getpid()}")
    shutil.rmtree(fresh, ignore_errors=True)
    with _removed_on_failure(fresh, f"cannot write the store at {target}"):
        store = EmbeddedStore(fresh)
        stages = {"reading": f"loading {name} ({decimal(source.stat().st_size)}) into the embedded store {where}",
                  "indexing": f"writing the indexes of the embedded store {where}"}
        store.load_file(source, progress=(lambda stage, done, total: progress(stages[stage], done, total))
                        if progress else None)
        compacting = f"compacting the embedded store {where}"
        if progress:
            progress(compacting, 0, 0)
        store.optimize()
        if progress:
            progress(compacting, 1, 1)
        store.close()
        del store
        (fresh / STAMP).write_text(json.dumps(fingerprint(source)), encoding="utf-8")
        if target.exists():
            target.rename(old)
        fresh.rename(target)
    shutil.rmtree(old, ignore_errors=True)
    return target


def load_embedded(settings: Settings, source: Path | None = None, target: Path | None = None,
                  progress: Progress | None = None) -> Path:
    """(Re)build an embedded store from a graph file; returns its folder.

    With neither ``source`` nor ``target`` (and no ``Settings.store_dir``), the build's store:
    a new version of the build folder is published whose store holds the build's graph.
    Otherwise ``load_store(source or build/kg.trig, target or the store folder)``.
    """
    if source is None and target is None and settings.store_dir is None:
        return refresh_build(settings, progress=progress).store
    return load_store(source or built_graph(settings), target or embedded_store_path(settings), progress)


def refresh_build(settings: Settings, *, progress: Progress | None = None,
                  say: Callable[[str], None] | None = None) -> Version:
    """Publish a version of the build folder whose store holds its graph: an older gongkai's
    build (plain files) is taken in, and a version whose ``kg.trig`` was changed after its
    store was loaded gets a new version with a new store. Returns the current version."""
    folder = BuildFolder(settings.out_dir)
    with folder.writing(say=say) as w:
        cur = folder.current()
        if folder.is_flat() and (cur is None or _newer(folder.root / GRAPH, cur.graph)):
            v = w.adopt_flat()
            note = {"made_by": "an older build taken in"}
        elif cur is None:
            raise StoreError(f"{built_graph(settings)} does not exist: run `gongkai build` first")
        elif cur.store_is_fresh():
            return cur  # another process refreshed it while this one waited
        else:
            v = w.copy_of(cur, store=False)
            note = {"made_by": "the store reloaded from kg.trig", "base": cur.id}
        if not v.graph.exists():
            raise StoreError(f"{built_graph(settings)} does not exist: run `gongkai build` first")
        if not (v.store.is_dir() and _stamp(v.store) == fingerprint(v.graph)):
            load_store(v.graph, v.store, progress, shown=(built_graph(settings), embedded_store_path(settings)))
        return w.publish(note)


def _newer(a: Path, b: Path) -> bool:
    try:
        return a.stat().st_mtime_ns > b.stat().st_mtime_ns
    except OSError:
        return True


@contextmanager
def _removed_on_failure(folder: Path, what: str) -> Iterator[None]:
    """Remove the half-made ``folder`` if the block fails; an OSError is reported as
    ``what: reason``."""
    try:
        yield
    except OSError as e:
        shutil.rmtree(folder, ignore_errors=True)
        raise StoreError(f"{what}: {e.strerror or e}") from None
    except StoreError:
        shutil.rmtree(folder, ignore_errors=True)
        raise


def open_store(settings: Settings, *, progress: Progress | None = None) -> Store:
    """The store the settings name, to read: their remote endpoint (``Settings.endpoint``, the
    one endpoint object the command line and the app both fill), else the embedded store.

    The embedded store is the current version's, opened read-only with a lease on the
    version (``EmbeddedStore.lease``), so a build published meanwhile neither changes nor
    removes what this reader sees. A build without a fresh store (an older gongkai's, or a
    ``kg.trig`` changed by hand) gets one first, as a new version (``refresh_build``:
    ``progress`` hears of the loading); when the build folder cannot be written, the graph
    is loaded into memory instead. To change the store, use ``change_store``."""
    if settings.endpoint is not None:
        return RemoteStore(settings.endpoint)
    if settings.store_dir is not None:
        if settings.store_dir.exists():
            return EmbeddedStore(settings.store_dir, read_only=True)
        raise StoreError(f"{settings.store_dir} does not exist: run `gongkai build` first")
    folder = BuildFolder(settings.out_dir)
    opened = folder.open_current()
    if opened is not None and (folder.is_flat() and _newer(folder.root / GRAPH, opened[0].graph)):
        opened = None
    if opened is None or not opened[0].store_is_fresh():
        source = built_graph(settings)
        if not source.exists():
            raise StoreError(f"{source} does not exist: run `gongkai build` first")
        try:
            refresh_build(settings, progress=progress)
        except (StoreError, OSError):
            return _in_memory(source.resolve(), progress)
        opened = folder.open_current()
        if opened is None:
            raise StoreError(f"{source} does not exist: run `gongkai build` first")
    version, lease = opened
    store = EmbeddedStore(version.store, read_only=True)
    store.lease = lease
    return store


def _in_memory(source: Path, progress: Progress | None) -> EmbeddedStore:
    store = EmbeddedStore()
    loading = f"loading {source} into memory"
    store.load_file(source, progress=(lambda stage, done, total: progress(f"{loading} ({stage})", done, total))
                    if progress else None)
    return store


def change_store(settings: Settings, change: Callable[[EmbeddedStore, Version], T], *,
                 note: dict | None = None, wait: float | None = None,
                 say: Callable[[str], None] | None = None) -> tuple[T, Version]:
    """Change the build, as one new version of the build folder: the current version is copied
    (its files hard-linked, its store backed up by Oxigraph: milliseconds), ``change`` is run
    on the copy's store (writable) and may write files into the copy's folder (through
    ``build_folder.write_atomic``, which replaces a linked file rather than changing it), and
    the copy is published. Readers see the old version until then, and nothing of it if
    ``change`` fails. Returns what ``change`` returned and the new version."""
    folder = BuildFolder(settings.out_dir)
    current = folder.current()
    if current is None or not current.store_is_fresh():
        refresh_build(settings, say=say)
    with folder.writing(wait=wait, say=say) as w:
        base = folder.current()
        if base is None:
            raise StoreError(f"{built_graph(settings)} does not exist: run `gongkai build` first")
        v = w.copy_of(base)
        store = EmbeddedStore(v.store)
        try:
            answer = change(store, v)
            store.close()
        finally:
            del store
        return answer, w.publish({"base": base.id, **(note or {})})
