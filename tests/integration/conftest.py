"""Real SPARQL servers for the integration tests, started on 127.0.0.1 with free ports and
stopped afterwards: the Oxigraph server from PyPI (`oxigraph serve`) and Virtuoso 7 from
Debian's packages (`virtuoso-t`, `isql-vt`). Each is polled until it answers; one that
does not come up fails the tests that need it with the end of its log — never a skip.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from kgdata import ExampleData, example_data

# the tests import these from here
from servers import Server, free_port, start_oxigraph, start_virtuoso, stop, wait_ready  # noqa: F401


@pytest.fixture(scope="session")
def example(tmp_path_factory) -> ExampleData:
    """data/raw built, plus the lists made in kgdata: the data every backend is given."""
    return example_data(tmp_path_factory.mktemp("example-build"))


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory) -> Iterator[Server]:
    server = start_oxigraph(tmp_path_factory.mktemp("oxigraph"))
    yield server
    stop(server)


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory) -> Iterator[Server]:
    server = start_virtuoso(tmp_path_factory.mktemp("virtuoso"))
    yield server
    stop(server)


def gongkai(*args: str, env: dict[str, str] | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run the CLI as users do."""
    return subprocess.run([sys.executable, "-m", "gongkai.cli", *args], capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, **(env or {})})
