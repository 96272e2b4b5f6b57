"""Shared by the tests that start a server of their own on 127.0.0.1."""

from __future__ import annotations

import socket
import subprocess
import time
from collections.abc import Callable


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
