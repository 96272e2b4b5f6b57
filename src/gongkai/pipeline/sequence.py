"""The build sequence, whole: read every list → graph and item table → validation reports →
embedded store → overview statistics, written as a new version of the build folder and
published at the end (``gongkai.build_folder``).

Readers see the previous build until the new one is published whole; a second build of the
same folder waits for the first (the folder's lock); a build in which no list could be read
publishes nothing, so the previous build stays. ``gongkai build`` is this function and a
summary table.
"""

from __future__ import annotations

import dataclasses
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from gongkai.build_folder import BuildFolder, Version
from gongkai.errors import GongkaiError
from gongkai.ingest import FileResult
from gongkai.pipeline.build import BuildResult, build
from gongkai.pipeline.stats import write_build_stats
from gongkai.rdf.iris import IRIs
from gongkai.rdf.legal import authorities_graph_name
from gongkai.reference_data import ONTOLOGY_GRAPH, VOCAB_GRAPH
from gongkai.settings import Settings
from gongkai.store.embedded import EmbeddedStore
from gongkai.store.lifecycle import change_store, load_store
from gongkai.validation.inputs import validate_build, validate_rdf_file
from gongkai.validation.reports import write_build_reports
from gongkai.validation.results import Report

Progress = Callable[[str, int, int], None]


@dataclass
class BuildOutcome:
    """What a build did: the files read, and what was published (``version`` is None when
    nothing was, and the previous build, if any, is still current)."""

    result: BuildResult
    version: Version | None = None
    report: Report | None = None
    report_error: str | None = None
    stats: Path | None = None
    stats_error: str | None = None

    @property
    def published(self) -> bool:
        return self.version is not None


def build_and_publish(settings: Settings, folder: Path | None = None, *,
                      on_file: Callable[[FileResult], None] | None = None,
                      progress: Progress | None = None, say: Callable[[str], None] | None = None,
                      wait: float | None = None, strict: bool = False) -> BuildOutcome:
    """Build every list of ``folder`` (default ``data/raw``) into a new version of
    ``settings.out_dir`` and publish it. ``on_file`` hears of each file read, ``progress`` of
    the loading of the store, ``say`` of a wait for another build (``wait`` seconds at most,
    None: as long as it takes); ``strict``: a row that cannot be read fails its file."""
    source = folder or settings.raw_dir
    root = BuildFolder(settings.out_dir)
    with root.writing(wait=wait, say=say) as w:
        v = w.new_version()
        pinned = dataclasses.replace(settings, build_dir=v.path, store_dir=None)
        result = build(pinned, source, v.path, progress=on_file, strict=strict)
        result.out_dir = settings.out_dir
        outcome = BuildOutcome(result)
        if not result.lists:
            return outcome  # nothing read: the version is removed, the previous one stays
        try:
            outcome.report = validate_build(result, pinned, out_dir=v.path)
        except GongkaiError as e:
            outcome.report_error = str(e)

        load_store(v.graph, v.store, progress, shown=(settings.out_dir / v.graph.name, settings.out_dir / v.store.name))
        try:
            store = EmbeddedStore(v.store, read_only=True)
            outcome.stats = write_build_stats(pinned, outcome.report, store=store, progress=progress)
            del store
            outcome.stats = settings.out_dir / outcome.stats.name
        except GongkaiError as e:
            outcome.stats_error = str(e)
        outcome.version = w.publish({"made_by": "gongkai build", "source": str(source),
                                     "lists": len(result.lists), "failed": len(result.failed)})
    return outcome




def validate_into_build(settings: Settings, *, wait: float = 60.0) -> Version:
    """Validate what the current build's store holds — the built lists and those imported
    since — and write the reports and the statistics into a new version of the build (for a
    build whose reports are missing or older than its graph)."""
    def change(store: EmbeddedStore, version: Version) -> None:
        pinned = dataclasses.replace(settings, build_dir=version.path, store_dir=None)
        with tempfile.TemporaryDirectory(prefix="gongkai-validate-") as tmp:
            report = validate_rdf_file(dump_store(store, Path(tmp) / "store.nq", pinned), pinned)
        write_build_reports(report, version.path, pinned)
        write_build_stats(pinned, report=report, store=store)

    _, version = change_store(settings, change, note={"made_by": "validation reports written"}, wait=wait)
    return version


def dump_store(store: EmbeddedStore, path: Path, settings: Settings) -> Path:
    """The store's named graphs as an N-Quads file, each graph whole and the ontology,
    vocabularies and authority data first, as ``validate_rdf_file`` cuts a file best."""
    static = {str(ONTOLOGY_GRAPH), str(VOCAB_GRAPH), str(authorities_graph_name(IRIs(settings.base)))}
    names = sorted(store.ox.named_graphs(), key=lambda g: (g.value not in static, g.value))
    with open(path, "wb") as f:
        for g in names:
            ox.serialize(store.ox.quads_for_pattern(None, None, None, g), f, format=ox.RdfFormat.N_QUADS)
    return path


__all__ = ["BuildOutcome", "build_and_publish", "dump_store", "validate_into_build"]
