"""Settings passed to every stage that needs them. Nothing global."""

from __future__ import annotations

import datetime as dt
import os
import re
import urllib.parse
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from gongkai.errors import GongkaiError, StoreError

VERSION = "0.1.0"  # the package's version (gongkai.__version__)
DEFAULT_BASE = "https://w3id.org/gongkai/"


def _project_root() -> Path:
    """The folder holding ontology/, shapes/, queries/ and data/.

    An installed package finds it through ``GONGKAI_HOME``; an editable install (the
    normal case: ``make run``) finds it two levels above the package.
    """
    env = os.environ.get("GONGKAI_HOME")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2]


def _env_list(name: str) -> tuple[str, ...]:
    """A list in an environment variable: values separated by commas or spaces."""
    return tuple(v for v in re.split(r"[\s,]+", os.environ.get(name, "")) if v)


def _env_seconds(name: str, default: float) -> float:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        seconds = float(value)
    except ValueError:
        seconds = 0.0
    if not seconds > 0:
        raise GongkaiError(f"{name} must be a number of seconds above 0, not {value!r}")
    return seconds


AuthKind = Literal["basic", "digest"]
DEFAULT_TIMEOUT = 30.0  # seconds a query may run before it is stopped


def check_endpoint_url(url: str, option: str = "the SPARQL endpoint") -> str:
    """``url`` without surrounding spaces, when it is an ``http://`` or ``https://`` URL with
    a host; ``StoreError`` naming ``option`` otherwise (nothing is fetched)."""
    u = (url or "").strip()
    try:
        parts = urllib.parse.urlsplit(u)
        ok = parts.scheme.lower() in ("http", "https") and bool(parts.hostname)
        parts.port  # noqa: B018  (raises ValueError for a port that is not a number)
    except ValueError:
        ok = False
    if not ok or any(ch.isspace() or ord(ch) < 0x20 for ch in u):
        shown = u if len(u) <= 200 else u[:200] + "…"
        raise StoreError(f"{option} must be an http:// or https:// URL (http://host:port/path), not {shown!r}",
                         zh=f"端点地址必须是 http:// 或 https:// 开头的 URL（http://主机:端口/路径），而不是“{shown}”",
                         code="endpoint-url")
    return u


def _normal(url: str) -> str:
    parts = urllib.parse.urlsplit(url.strip())
    return urllib.parse.urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path.rstrip("/"),
                                    parts.query, ""))


def endpoint_allowed(url: str, allowed: Iterable[str | None]) -> bool:
    """True when ``url`` is one of ``allowed`` (scheme and host in any case, a final ``/``
    or not)."""
    try:
        wanted = _normal(url)
        return any(a and _normal(a) == wanted for a in allowed)
    except ValueError:
        return False


@dataclass(frozen=True)
class Endpoint:
    """Where and how to reach a SPARQL service.

    ``update`` defaults to the query URL with ``/query`` at its end changed to ``/update``
    (Oxigraph, Fuseki), else to the query URL itself (Virtuoso takes both on ``/sparql``).
    ``graph_store`` is the Graph Store Protocol URL (Oxigraph ``/store``, Virtuoso
    ``/sparql-graph-crud``, or ``/sparql-graph-crud-auth`` with digest authentication).
    Every URL must be ``http(s)://host…``: a ``file:`` URL would have the client read a
    local file (and show it in its error), so it is refused before any request.
    ``timeout``: seconds to wait for an answer; a query not answered by then is stopped.
    """

    query: str
    update: str | None = None
    graph_store: str | None = None
    user: str | None = None
    password: str | None = None
    auth: AuthKind = "basic"
    timeout: float = DEFAULT_TIMEOUT
    retries: int = 2
    backoff: float = 0.5
    chunk: int = 500  # triples per INSERT DATA request (Virtuoso's limit is near 800)

    def __post_init__(self) -> None:
        check_endpoint_url(self.query, "the SPARQL endpoint")
        if self.update is not None:
            check_endpoint_url(self.update, "the SPARQL Update endpoint")
        if self.graph_store is not None:
            check_endpoint_url(self.graph_store, "the Graph Store endpoint")

    @property
    def update_url(self) -> str:
        if self.update:
            return self.update
        if self.query.rstrip("/").endswith("/query"):
            return self.query.rstrip("/")[: -len("query")] + "update"
        return self.query

    @classmethod
    def from_env(cls) -> Endpoint | None:
        """The endpoint the environment names (``GONGKAI_ENDPOINT``, with ``GONGKAI_UPDATE_ENDPOINT``,
        ``GONGKAI_GRAPH_STORE``, ``GONGKAI_USER``, ``GONGKAI_PASSWORD``, ``GONGKAI_AUTH`` and the time
        limit ``GONGKAI_QUERY_TIMEOUT``), or None: what the app serves and the command line's
        options default to."""
        query = os.environ.get("GONGKAI_ENDPOINT", "").strip()
        if not query:
            return None
        given = os.environ.get("GONGKAI_AUTH", "basic").strip() or "basic"
        if given not in ("basic", "digest"):
            raise GongkaiError(f"GONGKAI_AUTH must be basic or digest, not {given!r}")
        auth: AuthKind = "digest" if given == "digest" else "basic"
        return cls(query, update=os.environ.get("GONGKAI_UPDATE_ENDPOINT") or None,
                   graph_store=os.environ.get("GONGKAI_GRAPH_STORE") or None,
                   user=os.environ.get("GONGKAI_USER") or None, password=os.environ.get("GONGKAI_PASSWORD") or None,
                   auth=auth,
                   timeout=_env_seconds("GONGKAI_QUERY_TIMEOUT", DEFAULT_TIMEOUT))


@dataclass(frozen=True)
class Settings:
    base: str = DEFAULT_BASE
    root: Path = field(default_factory=_project_root)
    build_dir: Path | None = None
    store_dir: Path | None = None          # embedded Oxigraph folder
    endpoint: Endpoint | None = None       # a remote SPARQL endpoint to use instead of the embedded store
    lang: str = "zh"
    # a fixed ingest time makes builds reproducible (tests, golden cases); else now.
    fixed_time: dt.datetime | None = None
    # endpoints the app's SPARQL screen may query besides ``endpoint`` above (GONGKAI_ENDPOINTS);
    # none: its remote mode is off
    endpoints: tuple[str, ...] = field(default_factory=lambda: _env_list("GONGKAI_ENDPOINTS"))
    # hosts a query's SERVICE clause may send requests to, "*" for any (GONGKAI_SERVICE_HOSTS)
    service_hosts: tuple[str, ...] = field(default_factory=lambda: _env_list("GONGKAI_SERVICE_HOSTS"))
    # seconds a query may run before it is stopped (GONGKAI_QUERY_TIMEOUT)
    query_timeout: float = field(default_factory=lambda: _env_seconds("GONGKAI_QUERY_TIMEOUT", DEFAULT_TIMEOUT))

    def endpoint_for(self, url: str) -> Endpoint:
        """The endpoint at ``url`` when the settings allow it (the configured endpoint, or one of
        ``endpoints``), with this time limit; ``StoreError`` before any request otherwise."""
        url = check_endpoint_url(url)
        if self.endpoint is not None and endpoint_allowed(url, (self.endpoint.query,)):
            return self.endpoint
        if not endpoint_allowed(url, self.endpoints):
            raise StoreError(f"the SPARQL endpoint {url} is not one gongkai may query here (GONGKAI_ENDPOINTS)",
                             zh=f"不允许查询 SPARQL 端点 {url}（允许的端点由 GONGKAI_ENDPOINTS 设定）",
                             code="endpoint-not-allowed")
        return Endpoint(url, timeout=self.query_timeout, retries=1)

    @property
    def ontology_dir(self) -> Path:
        return self.root / "ontology"

    @property
    def shapes_dir(self) -> Path:
        return self.root / "shapes"

    @property
    def queries_dir(self) -> Path:
        return self.root / "queries"

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def raw_dir(self) -> Path:
        return self.data_dir / "raw"

    @property
    def authorities_dir(self) -> Path:
        return self.data_dir / "authorities"

    @property
    def out_dir(self) -> Path:
        """The build folder: the setting, else ``GONGKAI_BUILD``, else ``build/`` in the project."""
        if self.build_dir:
            return self.build_dir
        env = os.environ.get("GONGKAI_BUILD")
        return Path(env) if env else self.root / "build"

    def now(self) -> dt.datetime:
        if self.fixed_time:
            return self.fixed_time
        epoch = os.environ.get("SOURCE_DATE_EPOCH")
        if epoch:
            return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
        return dt.datetime.now(tz=dt.UTC).replace(microsecond=0)
