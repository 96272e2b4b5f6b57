"""Shared by the golden-case test and its regeneration script."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from rdflib import Graph

from gongkai.ingest import ingest_file
from gongkai.rdf.mapping import map_list
from gongkai.reference_data import map_context
from gongkai.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
CASES = sorted(p for p in (ROOT / "tests" / "cases").iterdir() if p.is_dir() and any(p.glob("input.*")))
FIXED_TIME = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def map_case(case: Path) -> Graph:
    settings = Settings(root=ROOT, fixed_time=FIXED_TIME)
    src = next(case.glob("input.*"))
    dl = ingest_file(src, settings)
    ctx = map_context(settings)
    _, g = map_list(dl, ctx)
    return g
