"""Validation: the shapes in ``shapes/`` applied to every list, as typed results.

Each list is validated with what the shapes need besides its own graph: the concepts of
the vocabularies (``rdf:type``, ``skos:inScheme``) and a slice of the authority data
(versions, dates in and out of force, aliases). Authority data itself is validated once,
with the authority shapes, not with every list.

How it scales. The shapes are compiled to SPARQL (``shacl_sparql``) and run by
pyoxigraph on a store holding a *batch* of lists; every query is scoped by the list (its
focus node is the list or hangs off it, and no path leaves the list except into the
shared vocabularies and authority data), so a batch gives the same results as validating
each list on its own, and each result is attributed to its list by the focus node's IRI
(``<list>/item/<n>/…``). Batches run in worker processes when there are many lists, so
time grows linearly with their number. pyshacl remains the reference
(``validate_with_pyshacl``): the tests check that both engines agree.

Inputs: disclosure-list models (what ``ingest``/``build`` produce), RDF files
(``build/kg.trig``, N-Quads, Turtle …), or list files in any supported format, which are
ingested first.
"""

from __future__ import annotations

import functools
import gc
import os
import re
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS

from gongkai.errors import InputError
from gongkai.model import DisclosureList
from gongkai.rdf.namespaces import ELI, GK
from gongkai.settings import Settings
from gongkai.shacl_sparql import (
    Check,
    RawResult,
    ShapeInfo,
    compile_shapes,
    message,
    run_checks,
    shape_infos,
    target_query,
)

#: the shapes files applied to each list, and the one applied to the authority data
LIST_CONCERNS = ("completeness", "consistency", "legal", "vocabulary")
AUTHORITY_CONCERN = "authority"
#: declarations shared by the SPARQL-based shapes (sh:prefixes)
PREFIXES_FILE = "prefixes.ttl"
#: the shape-id letter of the completeness shapes: their targets are the required facts
COMPLETENESS_PREFIX = "C"

#: facts of the authority data that the legal shapes read (L02 versions and dates, L03 aliases)
AUTHORITY_SLICE = (GK.versionOf, ELI.title_alternative, ELI.date_no_longer_in_force,
                   ELI.first_date_entry_in_force, ELI.changes, ELI.repeals)

SEVERITY_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}
SEVERITY_WORDS = {"Violation": ("违规", "violation"), "Warning": ("警告", "warning"),
                  "Info": ("提示", "info")}

#: the words a list's reader uses for a property, where they differ from the ontology's label
PATH_WORDS: dict[str, tuple[str, str]] = {
    str(DCTERMS.title): ("二级事项名称", "level-2 name"),
    str(DCTERMS.description): ("公开内容（要素）", "content elements"),
    str(DCTERMS.publisher): ("公开主体", "publisher"),
    str(DCTERMS.audience): ("公开对象", "audience"),
    str(DCTERMS.date): ("日期", "date"),
    str(GK.citation): ("公开依据", "legal basis"),
    str(GK.itemNumber): ("序号", "item number"),
    str(GK.publisherName): ("公开主体", "publisher"),
    str(ELI.title): ("标题", "title"),
    str(ELI.passed_by): ("制定机关", "issuing body"),
    str(ELI.type_document): ("文件类型", "type of document"),
}

PARALLEL_FROM = 200   # below this many lists, worker start-up costs more than it saves
BATCH_LISTS = 100     # lists per batch handed to a worker
BATCH_BYTES = 24 << 20  # N-Quads bytes per batch when reading a file

RDF_SUFFIXES = {".trig": ox.RdfFormat.TRIG, ".nq": ox.RdfFormat.N_QUADS, ".ttl": ox.RdfFormat.TURTLE,
                ".nt": ox.RdfFormat.N_TRIPLES, ".rdf": ox.RdfFormat.RDF_XML,
                ".owl": ox.RdfFormat.RDF_XML, ".n3": ox.RdfFormat.N3}


# --- results ---------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Result:
    """One problem, in words a government office understands."""

    list_iri: str
    bureau: str
    item_number: int | None
    item_name: str | None
    shape_id: str
    severity: str                  # Violation | Warning | Info
    path_zh: str
    path_en: str
    value: str | None
    message_zh: str
    message_en: str
    focus: str = ""
    shape_iri: str = ""
    component: str = ""
    result_path: str | None = None

    def path(self, lang: str = "zh") -> str:
        return self.path_en if lang == "en" else self.path_zh

    def message(self, lang: str = "zh") -> str:
        return self.message_en if lang == "en" else self.message_zh

    def severity_words(self, lang: str = "zh") -> str:
        zh, en = SEVERITY_WORDS.get(self.severity, (self.severity, self.severity))
        return en if lang == "en" else zh

    def sort_key(self) -> tuple:
        return (self.bureau, self.list_iri, self.item_number if self.item_number is not None else -1,
                SEVERITY_ORDER.get(self.severity, 9), self.shape_id, self.value or "")


@dataclass
class ListReport:
    """One list: who, when, how complete, and its problems."""

    list_iri: str
    bureau: str
    date: str | None = None
    title: str | None = None
    items: int = 0
    required: int = 0              # required facts (completeness shapes × their targets)
    present: int = 0
    results: list[Result] = field(default_factory=list)
    item_titles: dict[int, str] = field(default_factory=dict)

    @property
    def score(self) -> float:
        return self.present / self.required if self.required else 1.0

    def count(self, severity: str) -> int:
        return sum(1 for r in self.results if r.severity == severity)


@dataclass
class Report:
    lists: list[ListReport] = field(default_factory=list)
    authority: list[Result] = field(default_factory=list)
    shapes: dict[str, ShapeInfo] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)     # inputs that could not be read

    @property
    def results(self) -> list[Result]:
        """Every problem: the lists' by bureau → list → item, then the authority data's."""
        out = sorted((r for lr in self.lists for r in lr.results), key=Result.sort_key)
        return out + list(self.authority)

    def count(self, severity: str) -> int:
        return sum(lr.count(severity) for lr in self.lists) + sum(
            1 for r in self.authority if r.severity == severity)

    @property
    def conforms(self) -> bool:
        return self.count("Violation") == 0

    @property
    def exit_code(self) -> int:
        """0 conforms, 1 violations (SHACL's sense: warnings and infos do not fail)."""
        return 0 if self.conforms else 1

    def by_bureau(self) -> dict[str, list[ListReport]]:
        out: dict[str, list[ListReport]] = defaultdict(list)
        for lr in sorted(self.lists, key=lambda x: (x.bureau, x.date or "", x.list_iri)):
            out[lr.bureau].append(lr)
        return dict(out)

    def bureau_scores(self) -> dict[str, tuple[int, int]]:
        """bureau → (present, required) over all its lists."""
        out: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for lr in self.lists:
            out[lr.bureau][0] += lr.present
            out[lr.bureau][1] += lr.required
        return {b: (p, r) for b, (p, r) in out.items()}


# --- shapes ----------------------------------------------------------------

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


# --- support data: what the shapes need besides the list ---------------------

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
    return "".join(f"{s.n3()} {p.n3()} {o.n3()} .\n" for s, p, o in triples).encode("utf-8")


@functools.lru_cache(maxsize=4)
def _project_support(root: str, base: str) -> tuple[bytes, bytes]:
    """(support N-Triples, authority data N-Triples) from the project's own files."""
    from gongkai.kg import registry, vocab_graph
    from gongkai.rdf.iris import IRIs
    from gongkai.rdf.legal import map_registry

    settings = Settings(root=Path(root), base=base)
    vocab = vocab_graph(settings)
    reg = registry(settings)
    auth = map_registry(reg, IRIs(base)) if reg is not None else Graph()
    return _nt(support_triples(vocab, auth)), _nt(auth) + _nt(
        t for t in vocab if t[1] == SKOS.inScheme or t[1] == RDF.type)


# --- the batch worker ------------------------------------------------------

@dataclass(frozen=True)
class Batch:
    """Lists to validate together: N-Quads/N-Triples bytes, or a byte range of a file."""

    data: bytes = b""
    fmt: str = "nq"                       # nq | nt
    file: str | None = None
    start: int = 0
    end: int = 0
    models: tuple[DisclosureList, ...] = ()


_WORKER: dict = {}


def _init_worker(shapes: Shapes, support: bytes, base: str, root: str) -> None:
    _WORKER.update(shapes=shapes, support=support, base=base, root=root)


def _batch_data(batch: Batch) -> tuple[bytes, ox.RdfFormat]:
    if batch.models:
        from gongkai.kg import map_context
        from gongkai.rdf.mapping import TripleSink, map_list

        ctx = map_context(Settings(base=_WORKER["base"], root=Path(_WORKER["root"])))
        parts = []
        for dl in batch.models:
            name, sink = map_list(dl, ctx, TripleSink())
            parts.append(sink.nquads(name))
        return "".join(parts).encode("utf-8"), ox.RdfFormat.N_QUADS
    if batch.file is not None:
        with open(batch.file, "rb") as f:
            f.seek(batch.start)
            return f.read(batch.end - batch.start), ox.RdfFormat.N_QUADS
    return batch.data, (ox.RdfFormat.N_QUADS if batch.fmt == "nq" else ox.RdfFormat.N_TRIPLES)


def _run_batch(batch: Batch) -> list[ListReport]:
    gc.disable()  # in a worker: see _run_batches
    data, fmt = _batch_data(batch)
    store = ox.Store()
    # everything in the default graph: fewer indexes to fill than named graphs, and the
    # lists are found by their type, not by their graph
    store.bulk_load(_WORKER["support"], format=ox.RdfFormat.N_TRIPLES)
    store.bulk_load(data, format=fmt, to_graph=ox.DefaultGraph())
    return validate_store(store, _WORKER["shapes"])


def _run_batches(batches: Iterable[Batch], shapes: Shapes, support: bytes, settings: Settings,
                 workers: int | None, parallel: bool,
                 progress: Callable[[int], None] | None = None) -> list[ListReport]:
    """Run batches, in worker processes when ``parallel``; batches may be produced lazily
    (a file being cut) and at most a few per worker are in flight, which bounds memory."""
    n_workers = workers if workers is not None else min(os.cpu_count() or 1, 8)
    args = (shapes, support, settings.base, str(settings.root))
    out: list[ListReport] = []

    def done(reports: list[ListReport]) -> None:
        out.extend(reports)
        if progress:
            progress(len(reports))

    gc_was_enabled = gc.isenabled()
    gc.disable()  # results are many small objects that never form cycles: skip the collector's passes
    try:
        _run(batches, n_workers, args, parallel, done)
    finally:
        if gc_was_enabled:
            gc.enable()
    return out


def _run(batches: Iterable[Batch], n_workers: int, args: tuple, parallel: bool,
         done: Callable[[list[ListReport]], None]) -> None:
    if parallel and n_workers > 1:
        with ProcessPoolExecutor(max_workers=n_workers, initializer=_init_worker, initargs=args) as pool:
            pending: deque = deque()
            for b in batches:
                pending.append(pool.submit(_run_batch, b))
                while len(pending) >= 2 * n_workers:
                    done(pending.popleft().result())
            while pending:
                done(pending.popleft().result())
    else:
        _init_worker(*args)
        for b in batches:
            done(_run_batch(b))


# --- validating a store ----------------------------------------------------

_ITEM_TAIL = re.compile(r"^/item/(\d+)(?:/|$)")


def _text(t) -> str:
    return t.value if t is not None else ""


def validate_store(store: ox.Store, shapes: Shapes) -> list[ListReport]:
    """Validate every list in ``store`` (lists, plus the support data); one report per list."""
    lists: dict[str, ListReport] = {}
    q = f"""SELECT ?list ?label ?date ?title WHERE {{
        ?list a <{GK.DisclosureList}> .
        OPTIONAL {{ ?list <{DCTERMS.publisher}> ?b . ?b <{SKOS.prefLabel}> ?label }}
        OPTIONAL {{ ?list <{DCTERMS.date}> ?date }}
        OPTIONAL {{ ?list <{DCTERMS.title}> ?title }} }}"""
    for row in store.query(q, use_default_graph_as_union=True):
        iri = row["list"].value
        if iri not in lists:
            lists[iri] = ListReport(iri, _text(row["label"]) or iri, _text(row["date"]) or None,
                                    _text(row["title"]) or None)
    q = f"""SELECT ?list ?n ?title WHERE {{ ?list <{GK.hasItem}> ?item . ?item <{GK.itemNumber}> ?n .
        OPTIONAL {{ ?item <{DCTERMS.title}> ?title }} }}"""
    for row in store.query(q, use_default_graph_as_union=True):
        lr = lists.get(row["list"].value)
        if lr is None:
            continue
        try:
            n = int(row["n"].value)
        except ValueError:
            continue
        if n not in lr.item_titles or (row["title"] is not None and row["title"].value < lr.item_titles[n]):
            lr.item_titles[n] = _text(row["title"])
    for lr in lists.values():
        lr.items = len(lr.item_titles)

    def owner(iri: str) -> str | None:
        i = iri.find("/item/")
        if i > 0 and iri[:i] in lists:
            return iri[:i]
        cut = iri
        while cut:
            if cut in lists:
                return cut
            i = cut.rfind("/")
            if i <= 0:
                return None
            cut = cut[:i]
        return None

    # required facts: the targets of the completeness shapes, per list
    for _sid, tq in shapes.completeness_targets:
        for row in store.query(tq, use_default_graph_as_union=True):
            o = owner(row["this"].value)
            if o is not None:
                lists[o].required += 1

    raw = list(run_checks(store, shapes.list_checks))
    raw_text = _raw_texts(store, [r.focus for r in raw if r.value is None])
    missing: Counter[str] = Counter()
    seen_missing: set[tuple[str, str]] = set()
    for r in raw:
        o = owner(r.focus)
        if o is None and isinstance(r.value, ox.NamedNode):
            o = owner(r.value.value)
        if o is None:
            continue
        lr = lists[o]
        res = _result(r, lr, shapes, raw_text)
        lr.results.append(res)
        if res.shape_id.startswith(COMPLETENESS_PREFIX) and (r.shape.id, r.focus) not in seen_missing:
            seen_missing.add((r.shape.id, r.focus))
            missing[o] += 1
    for iri, lr in lists.items():
        lr.present = max(lr.required - missing[iri], 0)
        lr.results.sort(key=Result.sort_key)
    return list(lists.values())


def _raw_texts(store: ox.Store, nodes: list[str]) -> dict[str, str]:
    """gk:rawText of result focus nodes that are parts of an item (a citation, a time limit)."""
    wanted = sorted({n for n in nodes if "/item/" in n and not _ITEM_TAIL.fullmatch(n[n.rfind("/item/"):])})
    out: dict[str, str] = {}
    for i in range(0, len(wanted), 500):
        values = " ".join(f"<{n}>" for n in wanted[i:i + 500])
        q = f"SELECT ?n ?t WHERE {{ VALUES ?n {{ {values} }} ?n <{GK.rawText}> ?t }}"
        for row in store.query(q, use_default_graph_as_union=True):
            out.setdefault(row["n"].value, row["t"].value)
    return out


def _words(path: str | None, shape: ShapeInfo, labels: dict[str, tuple[str, str]]) -> tuple[str, str]:
    if shape.names and (path is None or (len(shape.path_iris) >= 1 and path in shape.path_iris)):
        zh = shape.names.get("zh") or shape.names.get("", "")
        return zh, shape.names.get("en") or zh
    if path and path in labels:
        return labels[path]
    if path:
        local = re.split(r"[#/]", path)[-1]
        return local, local
    return "", ""


def _value_text(r: RawResult, raw_text: dict[str, str]) -> str | None:
    v = r.value
    if v is None:
        return raw_text.get(r.focus)
    if isinstance(v, ox.Literal):
        return v.value
    return v.value


def _result(r: RawResult, lr: ListReport, shapes: Shapes, raw_text: dict[str, str]) -> Result:
    number = None
    anchor = r.focus
    if isinstance(r.value, ox.NamedNode) and r.value.value.startswith(lr.list_iri + "/item/"):
        anchor = r.value.value
    if anchor.startswith(lr.list_iri + "/item/"):
        m = _ITEM_TAIL.match(anchor[len(lr.list_iri):])
        if m:
            number = int(m.group(1))
    if number is None and "item" in r.bindings:
        m = _ITEM_TAIL.match(r.bindings["item"][len(lr.list_iri):])
        if m and r.bindings["item"].startswith(lr.list_iri):
            number = int(m.group(1))
    zh, en = _words(r.path, r.shape, shapes.labels)
    msgs = r.shape.messages
    mzh = msgs.get("zh") or msgs.get("", "")
    men = msgs.get("en") or mzh
    return Result(
        list_iri=lr.list_iri, bureau=lr.bureau, item_number=number,
        item_name=lr.item_titles.get(number) if number is not None else None,
        shape_id=r.shape.id, severity=r.shape.severity, path_zh=zh, path_en=en,
        value=_value_text(r, raw_text), message_zh=message(mzh, r.bindings),
        message_en=message(men, r.bindings), focus=r.focus, shape_iri=r.shape.iri,
        component=r.component, result_path=r.path,
    )


def validate_authorities(authority_nt: bytes, shapes: Shapes) -> list[Result]:
    """The authority shapes on the authority data (with the legal-type vocabulary)."""
    store = ox.Store()
    store.load(authority_nt, format=ox.RdfFormat.N_TRIPLES)
    titles = {row["s"].value: row["t"].value for row in store.query(
        f"SELECT ?s ?t WHERE {{ ?s <{ELI.title}> ?t FILTER(lang(?t) = 'zh' || lang(?t) = '') }}")}
    out = []
    for r in run_checks(store, shapes.authority_checks):
        zh, en = _words(r.path, r.shape, shapes.labels)
        msgs = r.shape.messages
        mzh = msgs.get("zh") or msgs.get("", "")
        out.append(Result(
            list_iri="", bureau="", item_number=None, item_name=titles.get(r.focus, r.focus),
            shape_id=r.shape.id, severity=r.shape.severity, path_zh=zh, path_en=en,
            value=r.focus, message_zh=message(mzh, r.bindings),
            message_en=message(msgs.get("en") or mzh, r.bindings), focus=r.focus,
            shape_iri=r.shape.iri, component=r.component, result_path=r.path))
    return sorted(out, key=lambda x: (SEVERITY_ORDER[x.severity], x.shape_id, x.focus))


# --- entry points ----------------------------------------------------------

def _chunks(seq: Sequence, n: int) -> list[Sequence]:
    return [seq[i:i + n] for i in range(0, len(seq), n)]


def validate_lists(lists: Sequence[DisclosureList], settings: Settings | None = None, *,
                   workers: int | None = None, authorities: bool = True,
                   progress: Callable[[int], None] | None = None) -> Report:
    """Validate lists as parsed (the import path and ``gongkai build``)."""
    settings = settings or Settings()
    shapes = load_shapes(settings)
    support, auth = _project_support(str(settings.root), settings.base)
    if len(lists) >= PARALLEL_FROM:
        batches = [Batch(models=tuple(c)) for c in _chunks(list(lists), BATCH_LISTS)]
    else:
        from gongkai.kg import map_context
        from gongkai.rdf.mapping import TripleSink, map_list

        ctx = map_context(settings)
        parts = []
        for dl in lists:
            name, sink = map_list(dl, ctx, TripleSink())
            parts.append(sink.nquads(name))
        batches = [Batch(data="".join(parts).encode("utf-8"))]
    reports = _run_batches(batches, shapes, support, settings, workers,
                           len(lists) >= PARALLEL_FROM, progress)
    return Report(lists=reports, authority=validate_authorities(auth, shapes) if authorities else [],
                  shapes=shapes.infos)


def validate_graphs(graphs: Iterable[tuple[URIRef, Graph]], settings: Settings | None = None,
                    authorities: bool = True) -> Report:
    """Validate rdflib graphs (graph name, graph) — small data and tests."""
    settings = settings or Settings()
    shapes = load_shapes(settings)
    support, auth = _project_support(str(settings.root), settings.base)
    store = ox.Store()
    store.load(support, format=ox.RdfFormat.N_TRIPLES)
    for _name, g in graphs:
        store.load(_nt(g), format=ox.RdfFormat.N_TRIPLES)
    return Report(lists=validate_store(store, shapes),
                  authority=validate_authorities(auth, shapes) if authorities else [],
                  shapes=shapes.infos)


def _static_names(settings: Settings) -> set[str]:
    from gongkai.kg import ONTOLOGY_GRAPH, VOCAB_GRAPH
    from gongkai.rdf.iris import IRIs
    from gongkai.rdf.legal import authorities_graph_name

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
    f = open(path, "rb")
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
        prelude, batches = _cut_nquads(path, static)
        side = ox.Store()
        if prelude.strip():
            try:
                side.bulk_load(prelude, format=ox.RdfFormat.N_QUADS)
            except (SyntaxError, ValueError) as e:
                raise InputError(str(path), f"cannot read RDF: {e}") from None
        support, auth = _file_support(side, settings)
        try:
            reports = _run_batches(batches, shapes, support, settings, workers,
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
    graphs = [side.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=g)
              for g in side.named_graphs() if g.value not in static]
    default = side.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    if default.strip():
        graphs.append(default)
    # the default graph may hold several lists: each batch is found to hold its lists by type
    batches = [Batch(data=b"".join(chunk), fmt="nt") for chunk in _chunks(graphs, BATCH_LISTS)]
    support, auth = _file_support(side, settings)
    reports = _run_batches(batches, shapes, support, settings, workers,
                           len(graphs) >= PARALLEL_FROM, progress)
    return Report(lists=reports, authority=validate_authorities(auth, shapes), shapes=shapes.infos)


def _file_support(side: ox.Store, settings: Settings) -> tuple[bytes, bytes]:
    """Support data from the file's own vocabulary and authority graphs, else the project's."""
    from gongkai.kg import VOCAB_GRAPH
    from gongkai.rdf.iris import IRIs
    from gongkai.rdf.legal import authorities_graph_name

    project_support, project_auth = _project_support(str(settings.root), settings.base)
    names = {g.value for g in side.named_graphs()}
    vocab_name, auth_name = str(VOCAB_GRAPH), str(authorities_graph_name(IRIs(settings.base)))
    if vocab_name not in names and auth_name not in names:
        return project_support, project_auth

    def triples(name: str) -> list[tuple]:
        out = []
        for q in side.quads_for_pattern(None, None, None, ox.NamedNode(name)):
            out.append((_rdflib(q.subject), _rdflib(q.predicate), _rdflib(q.object)))
        return out

    vocab = triples(vocab_name) if vocab_name in names else list(Graph().parse(
        data=project_support.decode("utf-8"), format="nt"))
    auth = triples(auth_name) if auth_name in names else list(Graph().parse(
        data=project_auth.decode("utf-8"), format="nt"))
    concepts = [t for t in vocab if t[1] == SKOS.inScheme or t[1] == RDF.type]
    return _nt(support_triples(vocab, auth)), _nt(auth) + _nt(concepts)


def _rdflib(t):
    from rdflib import BNode

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
    from gongkai.ingest import ingest_file
    from gongkai.kg import map_context
    from gongkai.rdf.mapping import list_iri

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


def validate_build(result, settings: Settings | None = None, out_dir: Path | None = None) -> Report:
    """Validate what ``gongkai build`` built and write the reports into the build folder:
    validation.json, validation.csv, coverage.csv and completeness.csv.

    ``result`` is the ``BuildResult`` (its parsed lists are validated; nothing is re-read).
    """
    from gongkai.validation_report import write_build_reports

    settings = settings or Settings()
    report = validate_lists(result.lists, settings)
    write_build_reports(report, out_dir or result.out_dir or settings.out_dir, settings)
    return report


# --- the reference engine --------------------------------------------------

def validate_with_pyshacl(data: Graph, settings: Settings | None = None,
                          concerns: Sequence[str] = LIST_CONCERNS) -> set[tuple[str, str, str | None, str | None]]:
    """pyshacl on ``data`` with the given concerns' shapes: the set of
    (shape id, focus node, result path, value) — to compare with the fast engine."""
    from pyshacl import validate as pyshacl_validate

    settings = settings or Settings()
    sg = shapes_graph(settings.shapes_dir, concerns)
    _conforms, rg, _ = pyshacl_validate(data, shacl_graph=sg, inference="none", advanced=False)
    SH = "http://www.w3.org/ns/shacl#"
    out = set()
    for res in rg.subjects(RDF.type, URIRef(SH + "ValidationResult")):
        shape = rg.value(res, URIRef(SH + "sourceShape"))
        focus = rg.value(res, URIRef(SH + "focusNode"))
        path = rg.value(res, URIRef(SH + "resultPath"))
        value = rg.value(res, URIRef(SH + "value"))
        if not isinstance(shape, URIRef):
            continue  # a nested anonymous shape's own result; its rule reports it too
        out.add((re.split(r"[#/]", str(shape))[-1], str(focus),
                 str(path) if isinstance(path, URIRef) else None,
                 str(value) if value is not None else None))
    return out


def fast_result_keys(report: Report) -> set[tuple[str, str, str | None, str | None]]:
    """The same key set from a fast-engine report (for comparison with pyshacl)."""
    out = set()
    for r in report.results:
        if not r.list_iri:
            continue
        out.add((r.shape_id, r.focus, r.result_path, _raw_value(r)))
    return out


def _raw_value(r: Result) -> str | None:
    return r.value if r.component not in _NO_VALUE else None


_NO_VALUE = {"MinCountConstraintComponent", "MaxCountConstraintComponent", "HasValueConstraintComponent",
             "QualifiedMinCountConstraintComponent", "QualifiedMaxCountConstraintComponent"}


__all__ = [
    "Report", "ListReport", "Result", "Shapes", "load_shapes", "shapes_graph", "validate_lists",
    "validate_graphs", "validate_rdf_file", "validate_paths", "validate_build", "validate_store",
    "validate_authorities", "validate_with_pyshacl", "fast_result_keys", "merge",
]
