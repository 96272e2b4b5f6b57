"""One source file → one DisclosureList: pick a reader by content, tabulate, parse.

All-or-nothing: any error raises before anything is written anywhere.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from gongkai.errors import InputError
from gongkai.kg import registry
from gongkai.legal.resolve import resolve_all
from gongkai.model import DisclosureList, readable_name
from gongkai.parse import build_list
from gongkai.readers import detect
from gongkai.settings import Settings
from gongkai.tabulate import tabulate


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 16), b""):
            h.update(chunk)
    return h.hexdigest()


def ingest_file(path: str | Path, settings: Settings | None = None, *,
                bureau: str | None = None, parent: str | None = None,
                date=None, source_url: str | None = None, resolve: bool = True) -> DisclosureList:
    settings = settings or Settings()
    p = Path(path)
    if not p.exists():
        raise InputError(str(path), "file not found")
    if not p.is_file():
        raise InputError(str(path), "not a file")
    grid = detect.read_any(p)
    table = tabulate(grid)
    dl = build_list(table, source_file=readable_name(p.name), sha256=sha256_of(p),
                    bureau=bureau, parent=parent, date_override=date)
    if source_url and not dl.source_url:
        dl.source_url = source_url
    if not dl.items:
        raise InputError(str(path), "the table has a header but no item rows")
    reg = registry(settings) if resolve else None
    if reg is not None:
        at = dl.date
        for it in dl.items:
            resolve_all(it.citations, reg, at)
    dl.ingested_at = settings.now()
    return dl
