"""Shared by the tests (and the query benchmark) that start a server of their own on
127.0.0.1: the Oxigraph server from PyPI and Virtuoso 7 from Debian's packages, each polled
until it answers. One that does not come up raises ``ServerError`` with the end of its log,
which fails the tests that need it — never a skip."""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from gongkai.store.remote import Endpoint
from gongkai.store.server import serve_command


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(proc: subprocess.Popen, port: int, what: str, *, timeout: float = 15,
                  detail: Callable[[], str] = lambda: "") -> None:
    """Wait until ``port`` accepts connections; kill ``proc`` and fail, saying ``what`` and
    ``detail()``, when it exits first or ``timeout`` passes."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise AssertionError(f"{what} did not start{': ' + detail() if detail() else ''}") from None
            time.sleep(0.1)


class ServerError(RuntimeError):
    """A server did not start, or did not answer."""


READY_TIMEOUT = 120.0  # seconds for a server to answer its first query


@dataclass
class Server:
    name: str
    proc: subprocess.Popen
    log: Path
    endpoint: Endpoint           # query/update/graph-store URLs, no credentials
    base: str                    # http://127.0.0.1:port
    sql_port: int | None = None  # Virtuoso's SQL port, for isql-vt

    def log_tail(self, n: int = 40) -> str:
        try:
            return "\n".join(self.log.read_text(encoding="utf-8", errors="replace").splitlines()[-n:])
        except OSError:
            return "(no log)"


def wait_ready(server: Server, timeout: float = READY_TIMEOUT) -> None:
    """Poll the query endpoint with ASK {} until it answers 200; fail clearly otherwise."""
    url = server.endpoint.query + "?" + urllib.parse.urlencode({"query": "ASK {}"})
    deadline = time.monotonic() + timeout
    last = "no answer"
    while time.monotonic() < deadline:
        if server.proc.poll() is not None:
            raise ServerError(f"{server.name} exited with code {server.proc.returncode} before answering; "
                              f"log:\n{server.log_tail()}")
        try:
            req = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
            with urllib.request.urlopen(req, timeout=5) as resp:
                if resp.status == 200:
                    return
                last = f"HTTP {resp.status}"
        except (urllib.error.URLError, OSError) as e:
            last = str(e)
        time.sleep(0.3)
    raise ServerError(f"{server.name} did not answer {url} within {timeout:.0f} s (last: {last}); "
                      f"log:\n{server.log_tail()}")


def stop(server: Server) -> None:
    if server.proc.poll() is None:
        server.proc.send_signal(signal.SIGTERM)
        try:
            server.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.proc.kill()
            server.proc.wait(timeout=10)


def start_oxigraph(folder: Path, data: Path | None = None, *, writable: bool = True, union: bool = True,
                   timeout_s: int | None = None, client_timeout: float = 60, retries: int | None = None) -> Server:
    """``oxigraph serve`` on a free port over ``data`` (default: a new store in
    ``folder/data``), its log in ``folder``; read-write with the bag union by default, as the
    tests load it; the benchmark serves existing stores read-only."""
    port = free_port()
    log = folder / "oxigraph.log"
    if data is None:
        data = folder / "data"
        data.mkdir(parents=True, exist_ok=True)
    with open(log, "w") as f:
        proc = subprocess.Popen(serve_command(data, "127.0.0.1", port, writable=writable, union=union,
                                              timeout_s=timeout_s),
                                stdout=f, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    options = {"update": f"{base}/update", "graph_store": f"{base}/store"} if writable else {}
    if retries is not None:
        options["retries"] = retries
    server = Server("oxigraph server", proc, log, Endpoint(f"{base}/query", **options, timeout=client_timeout), base)
    try:
        wait_ready(server)
    except BaseException:
        stop(server)
        raise
    return server


VIRTUOSO_INI = """\
[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
DisableTcpSocket = 0
MaxClientConnections = 10
CheckpointInterval = 60
O_DIRECT = 0
CaseMode = 2
MaxStaticCursorRows = 5000
CheckpointAuditTrail = 0
AllowOSCalls = 0
SchedulerInterval = 10
DirsAllowed = ., {d}{dirs}
ThreadCleanupInterval = 0
ThreadThreshold = 10
ResourcesCleanupInterval = 0
FreeTextBatchSize = 100000
SingleCPU = 0
PrefixResultNames = 0
RdfFreeTextRulesSize = 100
IndexTreeMaps = 64
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty_buffers}

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {d}/www
MaxClientConnections = 5
DavRoot = DAV
EnabledDavVSP = 0
HTTPProxyEnabled = 0
TempASPXDir = 0
MaxKeepAlives = 10
KeepAliveTimeout = 10
MaxCachedProxyConnections = 10
ProxyConnectionCacheTimeout = 15
HTTPThreadSize = 280000
HttpPrintWarningsInOutput = 0
Charset = UTF-8
EnabledGzipContent = 0

[Client]
SQL_PREFETCH_ROWS = 100
SQL_PREFETCH_BYTES = 16000
SQL_QUERY_TIMEOUT = 0
SQL_TXN_TIMEOUT = 0

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryCostEstimationTime = {max_cost}
MaxQueryExecutionTime = {max_seconds}
DeferInferenceRulesInit = 0
"""

# The anonymous SPARQL user may update, and may write through the Graph Store Protocol.
VIRTUOSO_GRANTS = """\
grant SPARQL_UPDATE to "SPARQL";
DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 7);
"""


def start_virtuoso(folder: Path, *, buffers: int = 10000, max_seconds: int = 120, max_cost: int = 400,
                   readable: tuple[Path, ...] = ()) -> Server:
    """Virtuoso with ``buffers`` pages of 8 KiB in memory (the tests' data needs few;
    Virtuoso's own advice is 340,000 for 4 GB), queries stopped after ``max_seconds``,
    refused when Virtuoso estimates they would take more than ``max_cost`` seconds (its
    default, 400), and the bulk loader allowed to read the folders ``readable``."""
    for tool in ("virtuoso-t", "isql-vt"):
        if shutil.which(tool) is None:
            raise ServerError(f"{tool} is not installed: `make test` installs the Debian package "
                              "virtuoso-opensource-7-bin (see the Makefile's TEST_DEBS)")
    (folder / "www").mkdir(parents=True, exist_ok=True)
    sql_port, http_port = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(VIRTUOSO_INI.format(d=folder, sql_port=sql_port, http_port=http_port, buffers=buffers,
                                       dirty_buffers=buffers * 3 // 4, max_seconds=max_seconds, max_cost=max_cost,
                                       dirs="".join(f", {p}" for p in readable)), encoding="utf-8")
    log = folder / "virtuoso.out"
    with open(log, "w") as f:
        proc = subprocess.Popen(["virtuoso-t", "+foreground", "+configfile", str(ini)],
                                stdout=f, stderr=subprocess.STDOUT, cwd=folder)
    base = f"http://127.0.0.1:{http_port}"
    server = Server("virtuoso", proc, log,
                    Endpoint(f"{base}/sparql", graph_store=None, timeout=120), base, sql_port)
    try:
        wait_ready(server)
        isql(server, VIRTUOSO_GRANTS, "grant SPARQL update")
    except BaseException:
        stop(server)
        raise
    return server


def isql(server: Server, script: str, what: str, timeout: float = 60) -> str:
    """Run an SQL ``script`` on Virtuoso as dba through isql-vt; its output, or
    ``ServerError`` saying it could not ``what``."""
    path = server.log.with_name(f"isql-{time.monotonic_ns()}.sql")
    path.write_text(script, encoding="utf-8")
    r = subprocess.run(["isql-vt", f"127.0.0.1:{server.sql_port}", "dba", "dba", str(path)],
                       capture_output=True, text=True, timeout=timeout)
    if r.returncode != 0 or "Error" in r.stdout + r.stderr:
        raise ServerError(f"isql-vt could not {what}: {r.stdout}{r.stderr}")
    return r.stdout


def start_app(build: Path, root: Path, *, env: dict[str, str] | None = None,
              timeout: float = 60) -> tuple[subprocess.Popen, str]:
    """`streamlit run app/streamlit_app.py` on a free port of 127.0.0.1, serving the build
    folder ``build`` (``GONGKAI_BUILD``; ``GONGKAI_ENDPOINT`` removed); returns the process
    and the app's URL once its health check answers."""
    import os
    import sys

    port = free_port()
    environ = {**os.environ, "GONGKAI_BUILD": str(build), **(env or {})}
    environ.pop("GONGKAI_ENDPOINT", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app/streamlit_app.py", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none"],
        cwd=root, env=environ, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url + "_stcore/health", timeout=1) as resp:
                if resp.read().strip() == b"ok":
                    return proc, url
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise AssertionError(f"streamlit did not start: {proc.stderr.read().decode()[-2000:]}")
        time.sleep(0.2)


def stop_app(proc: subprocess.Popen, sig: int = signal.SIGTERM) -> None:
    """End the app as a user would (SIGTERM: a normal exit), killing it if it hangs."""
    proc.send_signal(sig)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
