"""Serving the build with the Oxigraph server (gongkai serve)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from gongkai.build_folder import GRAPH, STAMP, BuildFolder, Lease, fingerprint
from gongkai.errors import StoreError
from gongkai.settings import Settings
from gongkai.store.embedded import EmbeddedStore
from gongkai.store.lifecycle import Progress, _removed_on_failure, _stamp, built_graph, open_store


def oxigraph_binary() -> Path:
    """The ``oxigraph`` server from PyPI: beside this Python (a virtualenv), else on PATH."""
    here = Path(sys.executable).parent / "oxigraph"
    if here.exists():
        return here
    found = shutil.which("oxigraph")
    if found:
        return Path(found)
    raise StoreError("the `oxigraph` server is not installed: pip install 'gongkai[server]' (or pip install oxigraph)")


def server_store_path(settings: Settings) -> Path:
    return settings.out_dir / "oxigraph-server"


@dataclass
class ServerStore:
    """What ``oxigraph serve`` is given: the store folder, whether the server must make its
    default graph the union of the named graphs, and the build version it holds (with the
    lease that keeps that version from being removed while it is served)."""

    location: Path
    union: bool
    version: str | None = None
    lease: Lease | None = None


def prepare_server_store(settings: Settings, *, writable: bool = False,
                         progress: Progress | None = None) -> ServerStore:
    """The store for ``oxigraph serve`` (see ``ServerStore``).

    Read-only, it is the current version's embedded store itself: its default graph already
    holds the *set* union of the lists' graphs, so the server answers as the embedded store
    does — a bureau's name written in 10,000 lists matches once, not 10,000 times as in
    Oxigraph's bag union — and nothing is loaded twice. A later build publishes a new
    version beside it; the one served stays while its lease is held. Read-write
    (``--allow-update``), an update sent to the server would not keep that union in step, so
    the version's graph is loaded with ``oxigraph load`` into a store of the server's own,
    and the server makes the union itself (loaded again only when the build changed)."""
    store = open_store(settings, progress=progress)
    if not isinstance(store, EmbeddedStore) or store.path is None:
        raise StoreError(f"{settings.out_dir} has no embedded store that can be served: run `gongkai build` first")
    location, lease, union = store.path, store.lease, not store.mirrored
    store.lease = None
    version = location.parent.name if location.parent.parent.name == "versions" else None
    del store
    if not writable:
        return ServerStore(location, union, version, lease)
    source = location.parent / GRAPH if version else built_graph(settings)
    target = server_store_path(settings)
    stamp = {**fingerprint(source.resolve()), "server": "writable", "version": version}
    if _stamp(target) == stamp:
        return ServerStore(target, True, version, lease)
    fresh = target.with_name(f"{target.name}.new-{os.getpid()}")
    shutil.rmtree(fresh, ignore_errors=True)
    with _removed_on_failure(fresh, f"cannot write the store at {fresh}"):
        fresh.mkdir(parents=True)
        r = subprocess.run([str(oxigraph_binary()), "load", "--location", str(fresh), "--file", str(source)],
                           capture_output=True, text=True, check=False)
        if r.returncode != 0:
            raise StoreError(f"oxigraph load {source} failed: {r.stderr.strip()[-500:]}")
    (fresh / STAMP).write_text(json.dumps(stamp), encoding="utf-8")
    shutil.rmtree(target, ignore_errors=True)
    fresh.rename(target)
    return ServerStore(target, True, version, lease)


def serve_command(location: Path, bind: str, port: int, *, writable: bool = False,
                  timeout_s: int | None = None, union: bool = True) -> list[str]:
    """The ``oxigraph serve`` command line; ``union``: the server makes its default graph
    the union of the named graphs (not needed over a copy of the embedded store, whose
    default graph holds that union already)."""
    cmd = [str(oxigraph_binary()), "serve" if writable else "serve-read-only",
           "--location", str(location), "--bind", f"{bind}:{port}"]
    if union:
        cmd.append("--union-default-graph")
    if timeout_s:
        cmd += ["--timeout-s", str(timeout_s)]
    return cmd


def endpoints_of_server(bind: str, port: int) -> dict[str, str]:
    host = f"[{bind}]" if ":" in bind else bind
    base = f"http://{host}:{port}"
    return {"query": f"{base}/query", "update": f"{base}/update", "graph_store": f"{base}/store"}


WATCH_EVERY = 2.0  # seconds between two looks at the build folder while serving


def serve(settings: Settings, bind: str, port: int, *, writable: bool = False, timeout_s: int | None = None,
          watch: bool = False, say: Callable[[str], None] = print, progress: Progress | None = None,
          started: Callable[[ServerStore], None] | None = None) -> int:
    """Run the Oxigraph server over the build until it stops or this process is told to
    (SIGINT, SIGTERM); returns the exit code.

    The server answers from the build version it was started on. When a newer build is
    published, ``say`` tells so once; with ``watch`` the server is restarted on the new
    version instead (a few seconds without answers)."""
    folder = BuildFolder(settings.out_dir)
    stopping: list[int] = []

    def start() -> tuple[ServerStore, subprocess.Popen]:
        srv = prepare_server_store(settings, writable=writable, progress=progress)
        cmd = serve_command(srv.location, bind, port, writable=writable, timeout_s=timeout_s, union=srv.union)
        try:
            proc = subprocess.Popen(cmd)
        except OSError as e:
            raise StoreError(f"cannot start {cmd[0]}: {e.strerror or e}") from None
        if started is not None:
            started(srv)
        return srv, proc

    def stop(signum: int, _frame: object) -> None:
        stopping.append(signum)
        proc.terminate()

    srv, proc = start()
    previous = {s: signal.signal(s, stop) for s in (signal.SIGINT, signal.SIGTERM)}
    told = False
    try:
        while True:
            try:
                code = proc.wait(timeout=WATCH_EVERY)
                return 0 if stopping else code
            except subprocess.TimeoutExpired:
                pass
            now = folder.current_id()
            if srv.version is None or now is None or now == srv.version:
                continue
            if watch:
                say(f"a new build was published ({now}): restarting the server on it")
                proc.terminate()
                proc.wait()
                if srv.lease is not None:
                    srv.lease.release()
                srv, proc = start()
            elif not told:
                say(f"a new build was published ({now}); this server still answers from the build it "
                    f"started on ({srv.version}): restart `gongkai serve`, or run it with --watch to follow "
                    "new builds")
                told = True
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
        if proc.poll() is None:
            proc.terminate()
            proc.wait()
        if srv.lease is not None:
            srv.lease.release()
