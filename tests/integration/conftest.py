"""Real SPARQL servers for the integration tests, started on 127.0.0.1 with free ports and
stopped afterwards: the Oxigraph server from PyPI (`oxigraph serve`) and Virtuoso 7 from
Debian's packages (`virtuoso-t`, `isql-vt`). Each is polled until it answers; one that
does not come up fails the tests that need it with the end of its log — never a skip.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from kgdata import ExampleData, example_data  # noqa: E402
from servers import free_port  # noqa: E402,F401 (the tests import it from here)

from gongkai.remote import Endpoint  # noqa: E402
from gongkai.service import oxigraph_binary  # noqa: E402

READY_TIMEOUT = 120.0  # seconds for a server to answer its first query


@dataclass
class Server:
    name: str
    proc: subprocess.Popen
    log: Path
    endpoint: Endpoint           # query/update/graph-store URLs, no credentials
    base: str                    # http://127.0.0.1:port

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
            pytest.fail(f"{server.name} exited with code {server.proc.returncode} before answering; "
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
    pytest.fail(f"{server.name} did not answer {url} within {timeout:.0f} s (last: {last}); "
                f"log:\n{server.log_tail()}")


def stop(server: Server) -> None:
    if server.proc.poll() is None:
        server.proc.send_signal(signal.SIGTERM)
        try:
            server.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.proc.kill()
            server.proc.wait(timeout=10)


@pytest.fixture(scope="session")
def example(tmp_path_factory) -> ExampleData:
    """data/raw built, plus the lists made in kgdata: the data every backend is given."""
    return example_data(tmp_path_factory.mktemp("example-build"))


def start_oxigraph(folder: Path) -> Server:
    port = free_port()
    log = folder / "oxigraph.log"
    data = folder / "data"
    data.mkdir(parents=True, exist_ok=True)
    with open(log, "w") as f:
        proc = subprocess.Popen(
            [str(oxigraph_binary()), "serve", "--location", str(data), "--bind", f"127.0.0.1:{port}",
             "--union-default-graph"], stdout=f, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    server = Server("oxigraph server", proc, log,
                    Endpoint(f"{base}/query", update=f"{base}/update", graph_store=f"{base}/store",
                             timeout=60), base)
    try:
        wait_ready(server)
    except BaseException:
        stop(server)
        raise
    return server


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory) -> Iterator[Server]:
    server = start_oxigraph(tmp_path_factory.mktemp("oxigraph"))
    yield server
    stop(server)


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
DirsAllowed = ., {d}
ThreadCleanupInterval = 0
ThreadThreshold = 10
ResourcesCleanupInterval = 0
FreeTextBatchSize = 100000
SingleCPU = 0
PrefixResultNames = 0
RdfFreeTextRulesSize = 100
IndexTreeMaps = 64
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000

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
MaxQueryCostEstimationTime = 400
MaxQueryExecutionTime = 120
DeferInferenceRulesInit = 0
"""

# The anonymous SPARQL user may update, and may write through the Graph Store Protocol.
VIRTUOSO_GRANTS = """\
grant SPARQL_UPDATE to "SPARQL";
DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 7);
"""


def start_virtuoso(folder: Path) -> Server:
    for tool in ("virtuoso-t", "isql-vt"):
        if shutil.which(tool) is None:
            pytest.fail(f"{tool} is not installed: `make test` installs the Debian package "
                        "virtuoso-opensource-7-bin (see the Makefile's TEST_DEBS)")
    (folder / "www").mkdir(parents=True, exist_ok=True)
    sql_port, http_port = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(VIRTUOSO_INI.format(d=folder, sql_port=sql_port, http_port=http_port), encoding="utf-8")
    log = folder / "virtuoso.out"
    with open(log, "w") as f:
        proc = subprocess.Popen(["virtuoso-t", "+foreground", "+configfile", str(ini)],
                                stdout=f, stderr=subprocess.STDOUT, cwd=folder)
    base = f"http://127.0.0.1:{http_port}"
    server = Server("virtuoso", proc, log,
                    Endpoint(f"{base}/sparql", graph_store=None, timeout=120), base)
    try:
        wait_ready(server)
        grants = folder / "grants.sql"
        grants.write_text(VIRTUOSO_GRANTS, encoding="utf-8")
        r = subprocess.run(["isql-vt", f"127.0.0.1:{sql_port}", "dba", "dba", str(grants)],
                           capture_output=True, text=True, timeout=60)
        if r.returncode != 0 or "Error" in r.stdout + r.stderr:
            pytest.fail(f"isql-vt could not grant SPARQL update: {r.stdout}{r.stderr}")
    except BaseException:
        stop(server)
        raise
    return server


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory) -> Iterator[Server]:
    server = start_virtuoso(tmp_path_factory.mktemp("virtuoso"))
    yield server
    stop(server)


def gongkai(*args: str, env: dict[str, str] | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run the CLI as users do."""
    return subprocess.run([sys.executable, "-m", "gongkai.cli", *args], capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, **(env or {})})
