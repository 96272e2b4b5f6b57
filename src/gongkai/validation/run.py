"""Running the compiled shapes over lists' graphs, in batches and worker processes."""

from __future__ import annotations

import gc
import os
import re
from collections import Counter, deque
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, SKOS

from gongkai.model import DisclosureList
from gongkai.rdf.mapping import TripleSink, map_list
from gongkai.rdf.namespaces import ELI, GK
from gongkai.reference_data import map_context
from gongkai.settings import Settings
from gongkai.validation.compile import RawResult, ShapeInfo, message, run_checks
from gongkai.validation.results import COMPLETENESS_PREFIX, SEVERITY_ORDER, ListReport, Report, Result
from gongkai.validation.shapes import Shapes, _nt, _project_support, load_shapes

PARALLEL_FROM = 200   # below this many lists, worker start-up costs more than it saves
BATCH_LISTS = 100     # lists per batch handed to a worker
BATCH_BYTES = 24 << 20  # N-Quads bytes per batch when reading a file


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


def _run(batches: Iterable[Batch], n_workers: int, args: tuple[Shapes, bytes, str, str], parallel: bool,
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


_ITEM_TAIL = re.compile(r"^/item/(\d+)(?:/|$)")


def _text(t: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> str:
    return t.value if t is not None else ""


def _select(store: ox.Store, query: str, union: bool = True) -> ox.QuerySolutions:
    """The solutions of a SELECT on ``store`` (with ``union``, its default graph is the union of all)."""
    res = store.query(query, use_default_graph_as_union=union)
    assert isinstance(res, ox.QuerySolutions)  # a SELECT
    return res


def validate_store(store: ox.Store, shapes: Shapes) -> list[ListReport]:
    """Validate every list in ``store`` (lists, plus the support data); one report per list."""
    lists: dict[str, ListReport] = {}
    q = f"""SELECT ?list ?label ?date ?title WHERE {{
        ?list a <{GK.DisclosureList}> .
        OPTIONAL {{ ?list <{DCTERMS.publisher}> ?b . ?b <{SKOS.prefLabel}> ?label }}
        OPTIONAL {{ ?list <{DCTERMS.date}> ?date }}
        OPTIONAL {{ ?list <{DCTERMS.title}> ?title }} }}"""
    for row in _select(store, q):
        iri = row["list"].value
        if iri not in lists:
            lists[iri] = ListReport(iri, _text(row["label"]) or iri, _text(row["date"]) or None,
                                    _text(row["title"]) or None)
    q = f"""SELECT ?list ?n ?title WHERE {{ ?list <{GK.hasItem}> ?item . ?item <{GK.itemNumber}> ?n .
        OPTIONAL {{ ?item <{DCTERMS.title}> ?title }} }}"""
    for row in _select(store, q):
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
        for row in _select(store, tq):
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
        for row in _select(store, q):
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
    q = f"SELECT ?s ?t WHERE {{ ?s <{ELI.title}> ?t FILTER(lang(?t) = 'zh' || lang(?t) = '') }}"
    titles = {row["s"].value: row["t"].value for row in _select(store, q, union=False)}
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


def validate_nquads(data: bytes, settings: Settings | None = None, *, authorities: bool = False) -> Report:
    """Validate lists given as N-Quads (their named graphs, as a store holds them: an import's
    bureau, read back from the build's store), with the project's support data."""
    settings = settings or Settings()
    shapes = load_shapes(settings)
    support, auth = _project_support(str(settings.root), settings.base)
    reports = _run_batches([Batch(data=data, fmt="nq")], shapes, support, settings, 1, False)
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
