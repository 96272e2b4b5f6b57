"""`gongkai serve` and new builds: without --watch it keeps answering from the build it
started on and says that a newer one was published; with --watch it restarts on it. It
listens on 127.0.0.1 and stops queries at its time limit."""

from __future__ import annotations

import csv
import io
import os
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from listfolders import raw_lists
from servers import free_port, wait_for_port

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
FIRST = ["fengtunzhen-trad.txt", "songming-weijian.xlsx"]
SECOND = [*FIRST, "county-jiaoyu-lyg138.csv"]
COUNT_LISTS = ("PREFIX gk: <https://w3id.org/gongkai/ontology#> "
               "SELECT (COUNT(DISTINCT ?l) AS ?n) WHERE { ?l a gk:DisclosureList }")


def _build(folder: Path, out: Path) -> None:
    r = subprocess.run([sys.executable, "-m", "gongkai.cli", "build", str(folder), "--out", str(out)],
                       cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr


def _count(port: int) -> int:
    req = urllib.request.Request(f"http://127.0.0.1:{port}/query",
                                 data=urllib.parse.urlencode({"query": COUNT_LISTS}).encode(),
                                 headers={"Accept": "text/csv"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        return int(list(csv.reader(io.StringIO(resp.read().decode())))[1][0])


def _serve(out: Path, port: int, *extra: str) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-m", "gongkai.cli", "serve", "--port", str(port), *extra],
                            cwd=ROOT, env={**os.environ, "GONGKAI_BUILD": str(out)},
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wait_for_port(proc, port, "gongkai serve", timeout=60)
    return proc


def _stop(proc: subprocess.Popen) -> str:
    proc.send_signal(signal.SIGINT)
    try:
        _, err = proc.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        _, err = proc.communicate()
    return err


def listening_addresses(port: int) -> set[str]:
    """The IPv4 and IPv6 addresses a socket listens on at ``port`` (from /proc/net/tcp*)."""
    found: set[str] = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table, encoding="ascii") as f:
            for line in f.readlines()[1:]:
                local, state = line.split()[1], line.split()[3]
                address, hex_port = local.split(":")
                if state != "0A" or int(hex_port, 16) != port:
                    continue
                if len(address) == 8:
                    found.add(".".join(str(b) for b in reversed(bytes.fromhex(address))))
                else:
                    found.add("::1" if address == "00000000000000000000000001000000" else f"ipv6:{address}")
    return found


def _until(check, timeout: float = 30.0):
    deadline = time.monotonic() + timeout
    while True:
        try:
            value = check()
            if value:
                return value
        except OSError:
            pass  # restarting
        if time.monotonic() > deadline:
            return check()
        time.sleep(0.3)


def test_serve_says_when_a_newer_build_is_published_and_keeps_its_own(tmp_path: Path) -> None:
    out = tmp_path / "build"
    _build(raw_lists(tmp_path / "first", FIRST), out)
    port = free_port()
    proc = _serve(out, port)
    try:
        assert _count(port) == 2
        _build(raw_lists(tmp_path / "second", SECOND), out)
        time.sleep(5)  # the server looks at the build folder every 2 s
        assert _count(port) == 2   # still the build it started on, whole
    finally:
        err = _stop(proc)
    text = " ".join(err.split())
    assert "a new build was published" in text and "--watch" in text
    assert "Traceback" not in err
    assert proc.returncode == 0


def test_serve_watch_restarts_on_a_new_build(tmp_path: Path) -> None:
    out = tmp_path / "build"
    _build(raw_lists(tmp_path / "first", FIRST), out)
    port = free_port()
    proc = _serve(out, port, "--watch")
    try:
        assert _count(port) == 2
        _build(raw_lists(tmp_path / "second", SECOND), out)
        assert _until(lambda: _count(port) == 3)
    finally:
        err = _stop(proc)
    assert "restarting the server" in " ".join(err.split())
    # the version served first is removed by the next writer once the server has left it
    _build(raw_lists(tmp_path / "third", FIRST), out)
    assert len(list((out / "versions").iterdir())) == 1


def test_serve_listens_on_loopback_with_a_time_limit(tmp_path: Path) -> None:
    out = tmp_path / "build"
    _build(raw_lists(tmp_path / "first", FIRST), out)
    port = free_port()
    proc = _serve(out, port, "--timeout-s", "1")
    try:
        assert listening_addresses(port) == {"127.0.0.1"}
        cartesian = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
        req = urllib.request.Request(f"http://127.0.0.1:{port}/query",
                                     data=urllib.parse.urlencode({"query": cartesian}).encode(),
                                     headers={"Accept": "text/csv"})
        t0 = time.monotonic()
        with urllib.request.urlopen(req, timeout=60) as resp:
            body = resp.read().decode()
        # the server has answered 200 and then breaks off the results when the limit passes
        assert "cancelled" in body and time.monotonic() - t0 < 30, body
    finally:
        _stop(proc)
