"""What gets exported or published: the quads of the knowledge graph and, when they
were read from source files, the parsed lists (for the CSV, which is made from the model).

Four ways in: the build's store (the default: what was built and every list imported since,
the one store the app, ``gongkai query`` and ``gongkai serve`` read), a folder of source lists
(``--from data/raw``), a graph file (``build/kg.trig``, an N-Quads dump) or lists already in
memory (benchmarks, tests).
Mapping goes through ``TripleSink`` and one N-Quads parse by pyoxigraph, which is how
1,000 lists stay fast: no rdflib graph is built for them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from gongkai.build_folder import GRAPH
from gongkai.errors import InputError
from gongkai.ingest import ingest_folder
from gongkai.model import DisclosureList
from gongkai.publish.export import ListRef, items_of_lists, lists_in, quads_of_graphs, quads_of_lists, select_lists
from gongkai.rdf.mapping import TripleSink, check_unique, list_iri, map_list
from gongkai.reference_data import map_context, static_graphs
from gongkai.settings import Settings
from gongkai.store.embedded import EmbeddedStore
from gongkai.store.lifecycle import Progress, open_store

GRAPH_SUFFIXES = {".trig": ox.RdfFormat.TRIG, ".nq": ox.RdfFormat.N_QUADS, ".ttl": ox.RdfFormat.TURTLE,
                  ".nt": ox.RdfFormat.N_TRIPLES, ".rdf": ox.RdfFormat.RDF_XML, ".jsonld": ox.RdfFormat.JSON_LD}


@dataclass
class Source:
    quads: list[ox.Quad]
    lists: list[DisclosureList] | None = None     # None when read from a graph file
    failed: list[str] = field(default_factory=list)  # files that could not be read, with why
    list_iris: dict[str, DisclosureList] = field(default_factory=dict)
    items_table: str | None = None   # the build's items.csv, when read from the build's store

    def only(self, selectors: Iterable[str]) -> Source:
        """The chosen lists' named graphs (and their parsed lists), nothing else."""
        refs: list[ListRef] = select_lists(lists_in(self.quads), selectors)
        lists = None
        if self.lists is not None:
            lists = [self.list_iris[r.iri] for r in refs if r.iri in self.list_iris]
        return Source(quads_of_lists(self.quads, refs), lists, self.failed,
                      {r.iri: self.list_iris[r.iri] for r in refs if r.iri in self.list_iris},
                      items_of_lists(self.items_table, refs) if self.items_table is not None else None)


def from_lists(lists: Iterable[DisclosureList], settings: Settings, with_static: bool = True) -> Source:
    """Map lists (and, by default, the ontology, vocabularies and authority data) to quads."""
    ctx = map_context(settings)
    chunks: list[str] = []
    kept: list[DisclosureList] = []
    by_iri: dict[str, DisclosureList] = {}
    for dl in lists:
        name, sink = map_list(dl, ctx, TripleSink())
        chunks.append(sink.nquads(name))
        kept.append(dl)
        by_iri[str(list_iri(ctx, dl))] = dl
    quads = quads_of_graphs(static_graphs(settings)) if with_static else []
    if chunks:
        quads += ox.parse("".join(chunks).encode("utf-8"), format=ox.RdfFormat.N_QUADS)
    # the mapper's sink keeps a triple it was given twice (two labels of one channel)
    return Source(list(dict.fromkeys(quads)), kept, [], by_iri)


def from_folder(settings: Settings, folder: Path | None = None,
                progress: Callable[[object], None] | None = None) -> Source:
    """Read every list in a folder as ``gongkai build`` does; failed files are reported, not fatal."""
    folder = folder or settings.raw_dir
    results = ingest_folder(folder, settings, progress)
    check_unique(results, map_context(settings))
    src = from_lists((r.dl for r in results if r.dl is not None), settings)
    src.failed = [r.error or str(r.path) for r in results if r.dl is None]
    return src


def from_graph_file(path: Path) -> Source:
    """A graph already built: ``build/kg.trig`` or a dump in any RDF format pyoxigraph reads."""
    fmt = GRAPH_SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        raise InputError(str(path), f"not a graph file; use one of {' '.join(sorted(GRAPH_SUFFIXES))}")
    try:
        quads = list(ox.parse(path=str(path), format=fmt))
    except SyntaxError as e:
        raise InputError(str(path), f"cannot parse: {e}") from e
    except OSError as e:
        raise InputError(str(path), f"cannot read: {e.strerror or e}") from e
    return Source(quads)


def from_store(settings: Settings, progress: Progress | None = None) -> Source:
    """The build's embedded store (``open_store``: the current version, read with a lease), so
    the lists imported since the build are in; and the build's ``items.csv``, which imports
    keep up to date, for the CSV. ``progress`` hears of a store being loaded first (a build
    whose store is missing or older than its graph)."""
    store = open_store(settings, progress=progress)
    try:
        if not isinstance(store, EmbeddedStore):
            raise InputError(str(settings.out_dir), "the build's store is not an embedded store")
        # the store's default graph only mirrors its named graphs (see gongkai.store.embedded)
        quads = [q for q in store.ox.quads_for_pattern(None, None, None, None)
                 if not isinstance(q.graph_name, ox.DefaultGraph)]
        items = None
        if store.path is not None and (store.path.parent / GRAPH).exists():
            table = store.path.parent / "items.csv"   # the version's own, beside its store
            items = table.read_text(encoding="utf-8") if table.is_file() else None
    finally:
        store.close()
    return Source(quads, items_table=items)


def load(settings: Settings, path: Path | None = None,
         progress: Callable[[object], None] | None = None,
         store_progress: Progress | None = None) -> Source:
    """The build's store when ``path`` is None (``from_store``), else a folder of lists or a
    graph file, by what ``path`` is."""
    if path is None:
        return from_store(settings, store_progress)
    if path.is_file():
        return from_graph_file(path)
    if not path.is_dir():
        raise InputError(str(path), "no such folder or graph file")
    return from_folder(settings, path, progress)
