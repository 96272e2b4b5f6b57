"""Settings passed to every stage that needs them. Nothing global."""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from gongkai.errors import GongkaiError

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


@dataclass(frozen=True)
class Settings:
    base: str = DEFAULT_BASE
    root: Path = field(default_factory=_project_root)
    build_dir: Path | None = None
    store_dir: Path | None = None          # embedded Oxigraph folder
    endpoint: str | None = None            # remote SPARQL query endpoint
    lang: str = "zh"
    # a fixed ingest time makes builds reproducible (tests, golden cases); else now.
    fixed_time: dt.datetime | None = None
    # endpoints the app's SPARQL screen may query besides ``endpoint`` above (GONGKAI_ENDPOINTS);
    # none: its remote mode is off
    endpoints: tuple[str, ...] = field(default_factory=lambda: _env_list("GONGKAI_ENDPOINTS"))
    # hosts a query's SERVICE clause may send requests to, "*" for any (GONGKAI_SERVICE_HOSTS)
    service_hosts: tuple[str, ...] = field(default_factory=lambda: _env_list("GONGKAI_SERVICE_HOSTS"))
    # seconds a query may run before it is stopped (GONGKAI_QUERY_TIMEOUT)
    query_timeout: float = field(default_factory=lambda: _env_seconds("GONGKAI_QUERY_TIMEOUT", 30.0))

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
