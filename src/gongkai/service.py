"""What the CLI and the app share: open the configured store, run a library query.

The store is chosen by one setting: a remote endpoint when ``Settings.endpoint`` is set,
else the persistent embedded store under ``Settings.store_dir`` when it exists, else the
built graph ``build/kg.trig`` loaded into an in-memory embedded store.
"""

from __future__ import annotations

from pathlib import Path

from rdflib.term import Node

from .errors import QueryError, StoreError
from .queries import Library, LibraryQuery
from .settings import Settings
from .store import EmbeddedStore, Result, Store, is_update


def built_graph(settings: Settings) -> Path:
    return settings.out_dir / "kg.trig"


def open_store(settings: Settings) -> Store:
    if settings.store_dir is not None and settings.store_dir.exists():
        return EmbeddedStore(settings.store_dir)
    path = built_graph(settings)
    if not path.exists():
        raise StoreError(f"{path} does not exist: run `gongkai build` first")
    store = EmbeddedStore()
    store.load_file(path)
    return store


def library(settings: Settings) -> Library:
    return Library(settings.queries_dir)


def run_query(store: Store, query: LibraryQuery | str, params: dict[str, str] | None = None,
              *, allow_update: bool = False) -> Result:
    """Run a library query (bound parameters) or a free SELECT; updates need ``allow_update``."""
    if isinstance(query, LibraryQuery):
        text, bindings = query.text, query.bind(params or {})
    else:
        text, bindings = query, {}
    if is_update(text):
        if not allow_update:
            raise QueryError("this is a SPARQL Update; gongkai is read-only unless you pass --allow-update")
        store.update(text)
        return Result(vars=[], rows=[])
    return store.select(text, bindings)


def label_rows(result: Result) -> list[dict[str, str]]:
    """Rows as plain strings (labels already selected by the queries)."""
    out = []
    for r in result.rows:
        out.append({v: (_plain(r[v]) if v in r else "") for v in result.vars})
    return out


def _plain(term: Node) -> str:
    return str(term)
