"""The build's first stage: every list of a folder read, mapped to its graph, and written as
kg.trig and items.csv (the rest of the sequence: gongkai.pipeline.sequence)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef

from gongkai.build_folder import GRAPH, write_atomic
from gongkai.ingest import FileResult, ingest_folder
from gongkai.model import DisclosureList
from gongkai.publish.export import items_csv, unread_csv
from gongkai.rdf.mapping import check_unique, map_list
from gongkai.rdf.serialize import serialize
from gongkai.reference_data import map_context, static_graphs
from gongkai.settings import Settings


@dataclass
class BuildResult:
    files: list[FileResult] = field(default_factory=list)
    graphs: list[tuple[URIRef, Graph]] = field(default_factory=list)
    out_dir: Path | None = None

    @property
    def lists(self) -> list[DisclosureList]:
        return [f.dl for f in self.files if f.dl is not None]

    @property
    def failed(self) -> list[FileResult]:
        return [f for f in self.files if not f.ok]




def build(settings: Settings, folder: Path | None = None, out_dir: Path | None = None,
          progress: Callable[[FileResult], None] | None = None, *, strict: bool = False) -> BuildResult:
    """Read every list of ``folder`` (``ingest_folder``; ``strict``: a row that cannot be read
    fails its file) and write kg.trig, items.csv and unread.csv (the rows set aside) into
    ``out_dir``."""
    folder = folder or settings.raw_dir
    out = out_dir or settings.out_dir
    ctx = map_context(settings)
    results = ingest_folder(folder, settings, progress, strict=strict)
    check_unique(results, ctx)
    graphs = static_graphs(settings)
    for r in results:
        if r.dl is not None:
            graphs.append(map_list(r.dl, ctx))
    out.mkdir(parents=True, exist_ok=True)
    lists = [r.dl for r in results if r.dl is not None]
    write_atomic(out / GRAPH, serialize(graphs, "trig"))
    write_atomic(out / "items.csv", items_csv(lists))
    write_atomic(out / "unread.csv", unread_csv(lists))
    return BuildResult(files=results, graphs=graphs, out_dir=out)
