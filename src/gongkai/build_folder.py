"""The build folder: every build is a version, written beside the others and published whole.

::

    build/
      .lock                  held (``flock``, exclusive) while a version is written: a build, an import,
                             an update; a second writer waits for it
      versions/<id>/         one complete build: kg.trig, items.csv, the validation reports, stats.json,
                             store/ (the embedded Oxigraph store), version.json (written last: the mark
                             that the version is whole)
      current -> versions/<id>
                             the version readers see, switched by renaming a new link over it (atomic)
      kg.trig -> current/kg.trig, items.csv -> current/items.csv, store -> current/store, …
                             the public names, links through ``current``: they all change at once

A version is never changed once published. A reader resolves ``current`` once and reads that
version's files only, so it always sees one build whole, whatever a writer does meanwhile; it
holds a shared lock on the version (``Lease``) for as long as it reads, and a writer removes
old versions only when nobody holds them. A writer that is killed leaves an unpublished folder
without ``version.json``, removed by the next writer; a build in which nothing could be read
publishes nothing, so the previous build stays.

A folder written by an older gongkai (``kg.trig``, ``store/`` … as plain files) is taken in as
a version the first time it is read (``adopt``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import fcntl
import json
import os
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from gongkai.errors import StoreError

VERSIONS = "versions"
CURRENT = "current"
LOCK = ".lock"
MANIFEST = "version.json"
READERS = ".readers"
STORE = "store"
GRAPH = "kg.trig"
STAMP = "gongkai-source.json"  # in a store folder: which graph file it was loaded from
#: what a build writes, by name (the public links are made for every name a version holds)
ARTEFACTS = (GRAPH, "items.csv", "unread.csv", "validation.json", "validation.csv", "coverage.csv", "completeness.csv",
             "stats.json", STORE)
#: left behind in the folder by builds of older gongkai versions that were killed
_LEFTOVERS = ("store.new-*", "store.old-*", "*.tmp", "*.tmp-*", "oxigraph-server.new-*")
WAIT_MESSAGE_EVERY = 10.0  # seconds between two "still waiting" messages


def write_atomic(path: Path, data: str | bytes, *, encoding: str = "utf-8") -> Path:
    """Write a file so that a reader sees the old content or the new, never half of it: into a
    temporary file beside it (named for this process), then renamed over it. A public link of
    the build folder is followed, so the file in the current version is replaced, not the link."""
    if path.is_symlink():
        path = path.resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.tmp-{os.getpid()}")
    try:
        if isinstance(data, bytes):
            tmp.write_bytes(data)
        else:
            tmp.write_text(data, encoding=encoding, newline="")
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def fingerprint(path: Path) -> dict[str, Any]:
    """Which file a store was loaded from: name, size, modification time (and the store's layout:
    2 = the set union of its graphs kept in its default graph)."""
    st = path.stat()
    return {"source": path.name, "size": st.st_size, "mtime_ns": st.st_mtime_ns, "layout": 2}


# --- locks --------------------------------------------------------------------------------

class Lease:
    """A shared lock on a version: while one is held, no writer removes the version."""

    def __init__(self, handle: IO[bytes]):
        self._handle: IO[bytes] | None = handle

    def release(self) -> None:
        if self._handle is not None:
            self._handle.close()  # closing the file releases the lock
            self._handle = None

    def __del__(self) -> None:
        self.release()


def _try_lock(handle: IO[bytes], mode: int) -> bool:
    try:
        fcntl.flock(handle.fileno(), mode | fcntl.LOCK_NB)
        return True
    except OSError as e:
        if e.errno in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
            return False
        raise


@dataclass(frozen=True)
class Version:
    """One published (or being written) build: a folder of artefacts."""

    path: Path

    @property
    def id(self) -> str:
        return self.path.name

    @property
    def graph(self) -> Path:
        return self.path / GRAPH

    @property
    def store(self) -> Path:
        return self.path / STORE

    @property
    def manifest(self) -> dict[str, Any]:
        try:
            return json.loads((self.path / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    @property
    def complete(self) -> bool:
        return (self.path / MANIFEST).is_file()

    def lease(self) -> Lease:
        """A shared lock held while the version is read (see ``BuildFolder.collect``)."""
        handle = open(self.path / READERS, "ab")  # noqa: SIM115  (the lease holds it open: the lock lasts as long)
        fcntl.flock(handle.fileno(), fcntl.LOCK_SH)
        return Lease(handle)

    def store_stamp(self) -> dict[str, Any] | None:
        try:
            return json.loads((self.store / STAMP).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def store_is_fresh(self) -> bool:
        """The version's store holds its own kg.trig (an import or an update adds to it, keeping the stamp)."""
        try:
            return self.store_stamp() == fingerprint(self.graph)
        except OSError:
            return False


class BuildFolder:
    """The versions of one build folder (``Settings.out_dir``)."""

    def __init__(self, root: Path):
        self.root = root

    @property
    def versions(self) -> Path:
        return self.root / VERSIONS

    # --- reading ---------------------------------------------------------------------------

    def current_id(self) -> str | None:
        """The id of the published version (a link read: cheap enough to call on every page)."""
        try:
            target = os.readlink(self.root / CURRENT)
        except OSError:
            return None
        return Path(target).name

    def current(self) -> Version | None:
        vid = self.current_id()
        if vid is None:
            return None
        v = Version(self.versions / vid)
        return v if v.complete else None

    def open_current(self, attempts: int = 5) -> tuple[Version, Lease] | None:
        """The current version with a lease on it. A version replaced and removed between reading
        the link and taking the lease is noticed (its manifest is gone) and the link read again."""
        for _ in range(attempts):
            v = self.current()
            if v is None:
                return None
            try:
                lease = v.lease()
            except FileNotFoundError:
                continue
            if v.complete:
                return v, lease
            lease.release()
        raise StoreError(f"{self.root}: the build changed {attempts} times while it was being opened; try again",
                         zh=f"数据在打开时变化了 {attempts} 次（正在构建或导入）：请稍后再试", code="busy")

    def is_flat(self) -> bool:
        """A build written by an older gongkai: ``kg.trig`` as a plain file, not a link."""
        g = self.root / GRAPH
        return g.is_file() and not g.is_symlink()

    # --- writing -----------------------------------------------------------------------------

    @contextlib.contextmanager
    def writing(self, *, wait: float | None = None, say: Callable[[str], None] | None = None) -> Iterator[Writer]:
        """Hold the folder's lock for writing one version (waiting for another writer, telling
        ``say`` what is awaited; ``wait`` seconds at most, None for as long as it takes), clear
        what killed writers left, and give a ``Writer``. A version not published when the block
        ends is removed."""
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / LOCK, "a+b") as handle:
            self._acquire(handle, wait, say)
            handle.seek(0)
            handle.truncate()
            handle.write(json.dumps({"pid": os.getpid(), "since": dt.datetime.now().isoformat(timespec="seconds")})
                         .encode("utf-8"))
            handle.flush()
            self.clear_leftovers()
            w = Writer(self)
            try:
                yield w
            finally:
                if not w.published and w.version is not None:
                    shutil.rmtree(w.version.path, ignore_errors=True)
            self.collect()

    def _acquire(self, handle: IO[bytes], wait: float | None, say: Callable[[str], None] | None) -> None:
        if _try_lock(handle, fcntl.LOCK_EX):
            return
        start = time.monotonic()
        told = -WAIT_MESSAGE_EVERY
        while True:
            waited = time.monotonic() - start
            if wait is not None and waited >= wait:
                raise StoreError(f"{self.root} is being written by {self._holder()} and is still busy after "
                                 f"{waited:.0f} s; try again when it has finished",
                                 zh=f"数据正被另一项工作（构建或导入）写入，等了 {waited:.0f} 秒仍未完成：请稍后再试",
                                 app_en=f"the data is being written by another task (a build or an import), still "
                                        f"busy after {waited:.0f} s: try again when it has finished", code="busy")
            if say is not None and waited - told >= WAIT_MESSAGE_EVERY:
                say(f"waiting for {self._holder()} to finish writing {self.root} …")
                told = waited
            time.sleep(0.2)
            if _try_lock(handle, fcntl.LOCK_EX):
                return

    def _holder(self) -> str:
        try:
            info = json.loads((self.root / LOCK).read_text(encoding="utf-8"))
            return f"another gongkai process (pid {info['pid']}, since {info['since']})"
        except (OSError, ValueError, KeyError, TypeError):
            return "another gongkai process"

    def clear_leftovers(self) -> None:
        """Remove what killed writers left: unpublished versions, and temporary files and
        folders of older gongkai versions. Called with the lock held."""
        cur = self.current_id()
        if self.versions.is_dir():
            for p in self.versions.iterdir():
                if p.name != cur and not (p / MANIFEST).exists():
                    shutil.rmtree(p, ignore_errors=True)
        for pattern in _LEFTOVERS:
            for p in self.root.glob(pattern):
                if p.is_dir() and not p.is_symlink():
                    shutil.rmtree(p, ignore_errors=True)
                else:
                    p.unlink(missing_ok=True)

    def collect(self) -> list[str]:
        """Remove the versions that are neither current nor read by anyone (no lease held);
        returns their ids. Called with the lock held."""
        cur = self.current_id()
        removed: list[str] = []
        if not self.versions.is_dir():
            return removed
        for p in sorted(self.versions.iterdir()):
            if p.name == cur or not (p / MANIFEST).exists():
                continue
            try:
                handle = open(p / READERS, "ab")  # noqa: SIM115  (closed in the finally below)
            except OSError:
                continue
            try:
                if not _try_lock(handle, fcntl.LOCK_EX):
                    continue  # somebody still reads it
                (p / MANIFEST).unlink(missing_ok=True)  # no longer a version, even if removing stops half-way
                shutil.rmtree(p, ignore_errors=True)
                removed.append(p.name)
            finally:
                handle.close()
        return removed

    def link_public_names(self, version: Version) -> None:
        """``kg.trig -> current/kg.trig`` and so on for every artefact the version holds. A
        plain file or folder of that name (an older gongkai's build) is replaced."""
        for name in sorted({*ARTEFACTS, *(p.name for p in version.path.iterdir())} - {MANIFEST, READERS}):
            if not (version.path / name).exists():
                continue
            public = self.root / name
            want = f"{CURRENT}/{name}"
            if public.is_symlink() and os.readlink(public) == want:
                continue
            tmp = self.root / f".{name}.link-{os.getpid()}"
            tmp.unlink(missing_ok=True)
            os.symlink(want, tmp)
            if public.is_dir() and not public.is_symlink():
                shutil.rmtree(public)
            os.replace(tmp, public)


class Writer:
    """One version being written under the folder's lock."""

    def __init__(self, folder: BuildFolder):
        self.folder = folder
        self.version: Version | None = None
        self.published = False

    def new_version(self) -> Version:
        stamp = dt.datetime.now().strftime("%Y%m%dT%H%M%S")
        n = 0
        while True:
            path = self.folder.versions / f"{stamp}-{os.getpid()}" if n == 0 else \
                self.folder.versions / f"{stamp}-{os.getpid()}-{n}"
            if not path.exists():
                break
            n += 1
        path.mkdir(parents=True)
        self.version = Version(path)
        return self.version

    def copy_of(self, base: Version, *, store: bool = True) -> Version:
        """A new version holding the files of ``base`` (hard links: published files are never
        changed in place) and, with ``store``, a copy of its store made by Oxigraph's backup
        (hard-linked table files: milliseconds), ready to be changed."""
        import pyoxigraph as ox  # lazy: the build folder is read by every command; Oxigraph only for a copy

        v = self.new_version()
        for p in base.path.iterdir():
            if p.name in (MANIFEST, READERS, STORE):
                continue
            if p.is_file():
                _link_or_copy(p, v.path / p.name)
        if store and base.store.is_dir():
            try:
                ox.Store.read_only(str(base.store)).backup(str(v.store))
            except (OSError, RuntimeError, ValueError) as e:
                raise StoreError(f"cannot copy the store {base.store}: {e}") from None
            if (base.store / STAMP).exists():
                shutil.copy2(base.store / STAMP, v.store / STAMP)
        return v

    def adopt_flat(self) -> Version:
        """Move an older gongkai's build (plain files in the folder) into a new version."""
        v = self.new_version()
        for name in ARTEFACTS:
            p = self.folder.root / name
            if p.exists() and not p.is_symlink():
                p.rename(v.path / name)
        return v

    def publish(self, note: dict[str, Any] | None = None) -> Version:
        """Mark the version whole (its manifest) and make it current: one rename."""
        assert self.version is not None, "nothing to publish"
        v = self.version
        manifest = {"id": v.id, "created": dt.datetime.now().isoformat(timespec="seconds"),
                    "files": sorted(p.name for p in v.path.iterdir() if p.name != READERS), **(note or {})}
        with open(v.path / MANIFEST, "w", encoding="utf-8") as f:
            json.dump(manifest, f, ensure_ascii=False, indent=1)
            f.flush()
            os.fsync(f.fileno())
        root = self.folder.root
        tmp = root / f".{CURRENT}.link-{os.getpid()}"
        tmp.unlink(missing_ok=True)
        os.symlink(f"{VERSIONS}/{v.id}", tmp)
        os.replace(tmp, root / CURRENT)
        self.published = True
        self.folder.link_public_names(v)
        return v


def _link_or_copy(src: Path, dst: Path) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


__all__ = ["ARTEFACTS", "STAMP", "BuildFolder", "Lease", "Version", "Writer", "fingerprint", "write_atomic"]
