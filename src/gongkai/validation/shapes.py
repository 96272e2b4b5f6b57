"""The SHACL shapes (shapes/*.ttl), loaded and compiled once, and the triples they need besides a
list's own graph."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import RDF, RDFS, SKOS

from gongkai.errors import InputError
from gongkai.legal.registry import registry
from gongkai.rdf.iris import IRIs
from gongkai.rdf.legal import map_registry
from gongkai.rdf.ntriples import nt_object
from gongkai.reference_data import vocab_graph
from gongkai.settings import Settings
from gongkai.validation.compile import Check, ShapeInfo, compile_shapes, shape_infos, target_query
from gongkai.validation.results import (
    AUTHORITY_CONCERN,
    AUTHORITY_SLICE,
    COMPLETENESS_PREFIX,
    LIST_CONCERNS,
    PATH_WORDS,
    PREFIXES_FILE,
)


@dataclass(frozen=True)
class Shapes:
    """The compiled shapes, picklable so worker processes receive them once."""

    list_checks: tuple[Check, ...]
    authority_checks: tuple[Check, ...]
    infos: dict[str, ShapeInfo]
    completeness_targets: tuple[tuple[str, str], ...]   # (shape id, target query)
    labels: dict[str, tuple[str, str]]                  # property IRI -> (zh, en) words

    @property
    def ids(self) -> list[str]:
        return sorted(i.id for i in self.infos.values())


def shapes_graph(shapes_dir: Path, concerns: Sequence[str] = (*LIST_CONCERNS, AUTHORITY_CONCERN)) -> Graph:
    """The shapes of the given concerns (one file each) with the shared prefixes."""
    g = Graph()
    for name in (*concerns, PREFIXES_FILE.removesuffix(".ttl")):
        path = shapes_dir / f"{name}.ttl"
        if not path.exists():
            raise InputError(str(path), "shapes file missing")
        g.parse(path, format="turtle")
    return g


@functools.lru_cache(maxsize=4)
def _load_shapes(shapes_dir: str, ontology_file: str) -> Shapes:
    folder = Path(shapes_dir)
    lg = shapes_graph(folder, LIST_CONCERNS)
    ag = shapes_graph(folder, (AUTHORITY_CONCERN,))
    infos = {**shape_infos(lg), **shape_infos(ag)}
    # the required facts: the focus nodes of the completeness shapes
    targets = [(info.id, target_query(lg, iri)) for iri, info in sorted(shape_infos(lg).items())
               if info.id.startswith(COMPLETENESS_PREFIX)]
    labels: dict[str, tuple[str, str]] = {}
    if Path(ontology_file).exists():
        og = Graph().parse(ontology_file, format="turtle")
        for s in set(og.subjects(RDFS.label, None)):
            zh = next((str(o) for o in og.objects(s, RDFS.label) if getattr(o, "language", None) == "zh"), None)
            en = next((str(o) for o in og.objects(s, RDFS.label) if getattr(o, "language", None) == "en"), None)
            if zh or en:
                labels[str(s)] = (zh or en or "", en or zh or "")
    labels.update(PATH_WORDS)
    return Shapes(tuple(compile_shapes(lg)), tuple(compile_shapes(ag)), infos, tuple(targets), labels)


def load_shapes(settings: Settings | None = None) -> Shapes:
    settings = settings or Settings()
    return _load_shapes(str(settings.shapes_dir), str(settings.ontology_dir / "gongkai.ttl"))


def support_triples(vocab: Iterable, authorities: Iterable) -> list[tuple]:
    """The vocabulary concepts and the authority-data facts the list shapes read."""
    out = []
    for s, p, o in vocab:
        if p == SKOS.inScheme or (p == RDF.type and o == SKOS.Concept):
            out.append((s, p, o))
    wanted = set(AUTHORITY_SLICE)
    for s, p, o in authorities:
        if p in wanted:
            out.append((s, p, o))
    return out


def _nt(triples: Iterable[tuple]) -> bytes:
    return "".join(f"{s.n3()} {p.n3()} {nt_object(o)} .\n" for s, p, o in triples).encode("utf-8")


@functools.lru_cache(maxsize=4)
def _project_support(root: str, base: str) -> tuple[bytes, bytes]:
    """(support N-Triples, authority data N-Triples) from the project's own files."""
    settings = Settings(root=Path(root), base=base)
    vocab = vocab_graph(settings)
    reg = registry(settings)
    auth = map_registry(reg, IRIs(base)) if reg is not None else Graph()
    return _nt(support_triples(vocab, auth)), _nt(auth) + _nt(
        t for t in vocab if t[1] == SKOS.inScheme or t[1] == RDF.type)
