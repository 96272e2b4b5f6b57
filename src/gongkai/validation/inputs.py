"""What can be validated: an RDF file (kg.trig, N-Quads, Turtle), list files in any format, a build."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Protocol

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS

from gongkai.errors import InputError
from gongkai.ingest import ingest_file
from gongkai.model import DisclosureList
from gongkai.rdf.iris import IRIs
from gongkai.rdf.legal import authorities_graph_name
from gongkai.rdf.mapping import list_iri
from gongkai.reference_data import ONTOLOGY_GRAPH, VOCAB_GRAPH, map_context
from gongkai.settings import Settings
from gongkai.validation.reports import write_build_reports
from gongkai.validation.results import RDF_SUFFIXES, Report
from gongkai.validation.run import (
    BATCH_BYTES,
    BATCH_LISTS,
    PARALLEL_FROM,
    Batch,
    _chunks,
    _run_batches,
    validate_authorities,
    validate_lists,
)
from gongkai.validation.shapes import _nt, _project_support, load_shapes, support_triples


def _static_names(settings: Settings) -> set[str]:
    return {str(ONTOLOGY_GRAPH), str(VOCAB_GRAPH), str(authorities_graph_name(IRIs(settings.base)))}


def _graph_of(line: bytes) -> bytes | None:
    """The graph term of an N-Quads line (b"" for a triple), None for a blank or comment line."""
    s = line.strip()
    if not s or s.startswith(b"#"):
        return None
    body = s[:-1].rstrip()
    if not body.endswith(b">"):
        return b""
    i = body.rfind(b" <")
    if i < 0:
        return b""
    head = body[:i].rstrip()
    # subject predicate object graph: the object before the graph ends with >, " , ^^<…> or @lang
    return body[i + 1:] if head.count(b" ") >= 2 else b""


def _cut_nquads(path: Path, static: set[str]) -> tuple[bytes, Iterator[Batch]]:
    """Cut an N-Quads file into byte ranges of whole graphs, without parsing it.

    Reads the file in large blocks and looks only at the lines around each cut, so the
    main process costs little while workers parse. A graph's quads must be contiguous
    (as ``build``, ``export`` and ``bench/synth.py`` write them); ``validate_rdf_file``
    detects a list split across two batches and then loads the file whole. Static
    graphs (vocabularies, authority data) at the start of the file are returned apart.
    """
    size = path.stat().st_size
    f = open(path, "rb")  # noqa: SIM115  (read here, then by the batches, which close it)
    static_terms = {f"<{n}>".encode() for n in static}
    prelude: list[bytes] = []
    offset = 0
    for line in f:
        g = _graph_of(line)
        if g is not None and g not in static_terms:
            break
        prelude.append(line)
        offset += len(line)

    def batches() -> Iterator[Batch]:
        start = offset
        try:
            while start < size:
                probe = start + BATCH_BYTES
                if probe >= size:
                    yield Batch(file=str(path), start=start, end=size)
                    return
                f.seek(probe)
                pos = probe + len(f.readline())      # finish the line the probe fell in
                previous = None
                cut = size
                while pos < size:
                    line = f.readline()
                    if not line:
                        break
                    g = _graph_of(line)
                    if g is not None:
                        if previous is not None and g != previous:
                            cut = pos
                            break
                        previous = g
                    pos += len(line)
                yield Batch(file=str(path), start=start, end=cut)
                start = cut
        finally:
            f.close()

    return b"".join(prelude), batches()


def validate_rdf_file(path: Path, settings: Settings | None = None, *, workers: int | None = None,
                      progress: Callable[[int], None] | None = None) -> Report:
    """Validate every list in an RDF file (``build/kg.trig``, N-Quads, Turtle …).

    Vocabularies and authority data in the file are used when present (it is the data
    being validated), else the project's own.
    """
    settings = settings or Settings()
    fmt = RDF_SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        raise InputError(str(path), f"not an RDF file ({' '.join(sorted(RDF_SUFFIXES))})")
    if not path.is_file():
        raise InputError(str(path), "file not found")
    shapes = load_shapes(settings)
    static = _static_names(settings)
    if fmt == ox.RdfFormat.N_QUADS:
        prelude, ranges = _cut_nquads(path, static)
        side = ox.Store()
        if prelude.strip():
            try:
                side.bulk_load(prelude, format=ox.RdfFormat.N_QUADS)
            except (SyntaxError, ValueError) as e:
                raise InputError(str(path), f"cannot read RDF: {e}") from None
        support, auth = _file_support(side, settings)
        try:
            reports = _run_batches(ranges, shapes, support, settings, workers,
                                   path.stat().st_size >= 4 * BATCH_BYTES, progress)
        except (SyntaxError, ValueError) as e:
            raise InputError(str(path), f"cannot read RDF: {e}") from None
        if len({r.list_iri for r in reports}) == len(reports):
            return Report(lists=reports, authority=validate_authorities(auth, shapes), shapes=shapes.infos)
        # a list's quads were not contiguous: fall back to loading the file whole
    side = ox.Store()
    try:
        side.bulk_load(path=str(path), format=fmt)
    except (SyntaxError, ValueError, OSError) as e:
        raise InputError(str(path), f"cannot read RDF: {e}") from None
    graphs = [_ntriples(side, g) for g in side.named_graphs() if g.value not in static]
    default = _ntriples(side, ox.DefaultGraph())
    if default.strip():
        graphs.append(default)
    # the default graph may hold several lists: each batch is found to hold its lists by type
    batches = [Batch(data=b"".join(chunk), fmt="nt") for chunk in _chunks(graphs, BATCH_LISTS)]
    support, auth = _file_support(side, settings)
    reports = _run_batches(batches, shapes, support, settings, workers,
                           len(graphs) >= PARALLEL_FROM, progress)
    return Report(lists=reports, authority=validate_authorities(auth, shapes), shapes=shapes.infos)


def _ntriples(store: ox.Store, graph: ox.NamedNode | ox.BlankNode | ox.DefaultGraph) -> bytes:
    """One graph of ``store`` as N-Triples."""
    data = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph)
    assert data is not None  # given no output, dump returns the bytes
    return data


def _file_support(side: ox.Store, settings: Settings) -> tuple[bytes, bytes]:
    """Support data from the file's own vocabulary and authority graphs, else the project's."""
    project_support, project_auth = _project_support(str(settings.root), settings.base)
    names = {g.value for g in side.named_graphs()}
    vocab_name, auth_name = str(VOCAB_GRAPH), str(authorities_graph_name(IRIs(settings.base)))
    if vocab_name not in names and auth_name not in names:
        return project_support, project_auth

    def triples(name: str) -> list[tuple]:
        return [(_rdflib(q.subject), _rdflib(q.predicate), _rdflib(q.object))
                for q in side.quads_for_pattern(None, None, None, ox.NamedNode(name))]

    vocab = triples(vocab_name) if vocab_name in names else list(Graph().parse(
        data=project_support.decode("utf-8"), format="nt"))
    auth = triples(auth_name) if auth_name in names else list(Graph().parse(
        data=project_auth.decode("utf-8"), format="nt"))
    concepts = [t for t in vocab if t[1] == SKOS.inScheme or t[1] == RDF.type]
    return _nt(support_triples(vocab, auth)), _nt(auth) + _nt(concepts)


def _rdflib(t):
    if isinstance(t, ox.NamedNode):
        return URIRef(t.value)
    if isinstance(t, ox.BlankNode):
        return BNode(t.value)
    if t.language:
        return Literal(t.value, lang=t.language)
    return Literal(t.value, datatype=URIRef(t.datatype.value))


def validate_paths(paths: Sequence[Path], settings: Settings | None = None, *,
                   workers: int | None = None,
                   progress: Callable[[int], None] | None = None) -> Report:
    """Validate files: RDF files as they are, list files (any supported format) ingested first.

    A list file that cannot be read is an error (InputError), as in ``ingest``.
    """
    settings = settings or Settings()
    reports: list[Report] = []
    models: list[DisclosureList] = []
    seen: dict[str, Path] = {}
    ctx = None  # read the vocabularies once, and only when a list file is given
    for p in paths:
        if p.suffix.lower() in RDF_SUFFIXES:
            reports.append(validate_rdf_file(p, settings, workers=workers, progress=progress))
        else:
            dl = ingest_file(p, settings)
            ctx = ctx or map_context(settings)
            iri = str(list_iri(ctx, dl))
            if iri in seen:
                # validated together, the two would be read as one list (one graph)
                raise InputError(str(p), f"describes the same list as {seen[iri]} ({iri}): same bureau "
                                 "and date; validate them one at a time, or give each version its own date")
            seen[iri] = p
            models.append(dl)
    if models:
        reports.append(validate_lists(models, settings, workers=workers, progress=progress))
    return merge(reports)


def merge(reports: Sequence[Report]) -> Report:
    out = Report()
    seen_auth: set[tuple[str, str]] = set()
    for r in reports:
        out.lists.extend(r.lists)
        out.shapes.update(r.shapes)
        out.errors.extend(r.errors)
        for a in r.authority:
            k = (a.shape_id, a.focus)
            if k not in seen_auth:
                seen_auth.add(k)
                out.authority.append(a)
    return out


class Built(Protocol):
    """What a build read and where it wrote (``pipeline.build.BuildResult``)."""

    @property
    def lists(self) -> list[DisclosureList]: ...
    @property
    def out_dir(self) -> Path | None: ...


def validate_build(result: Built, settings: Settings | None = None, out_dir: Path | None = None) -> Report:
    """Validate what ``gongkai build`` built and write the reports into the build folder:
    validation.json, validation.csv, coverage.csv and completeness.csv.

    ``result`` is the ``BuildResult`` (its parsed lists are validated; nothing is re-read).
    """
    settings = settings or Settings()
    report = validate_lists(result.lists, settings)
    write_build_reports(report, out_dir or result.out_dir or settings.out_dir, settings)
    return report
