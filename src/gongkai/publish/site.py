"""``gongkai publish``: the static linked-data site.

::

    site/
      index.html                      front page
      context.jsonld                  the JSON-LD context (every .jsonld refers to it relatively)
      dataset.html .ttl .jsonld       DCAT + VoID description of the dataset
      download/kg.ttl kg.trig …       the whole graph in every format, items.csv
      ontology.html .ttl .jsonld      the ontology and its documentation
      vocab/<scheme>.html …  vocab/<scheme>/<concept>.html …
      org/<slug>.html …  legal/…/<id>.html …
      list/<org>/<date>.html …  list/<org>/<date>/item/<n>.html …
      .gongkai-site                   marks the folder as ours (it may be replaced)

Each page's ``.ttl`` and ``.jsonld`` hold the statements about its resource and the
nodes that belong to it (see ``corpus``); together they are the whole graph. Each
``.jsonld`` names its context by a relative path (``../../context.jsonld``), so that a
JSON-LD processor reads the site offline, wherever it is copied. The site
is built in a sibling folder and moved into place when complete, so a failed run
leaves the previous site as it was.
"""

from __future__ import annotations

import json
import multiprocessing as mp
import os
import shutil
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

import pyoxigraph as ox

from gongkai.errors import GongkaiError
from gongkai.publish import dcat
from gongkai.publish.corpus import Corpus, Page
from gongkai.publish.datasetdoc import render_dataset
from gongkai.publish.export import EXPORT_FORMATS, distinct_triples, export_bytes, sort_triples, turtle_prefixes
from gongkai.publish.indexpage import render_index
from gongkai.publish.jsonld import Context, dumps, triples_document
from gongkai.publish.layout import Layout
from gongkai.publish.ontodoc import render_ontology
from gongkai.publish.pages import PageRenderer, SiteInfo
from gongkai.publish.publisher import Publisher
from gongkai.publish.source import Source
from gongkai.publish.terms import value
from gongkai.publish.void import Statistics, statistics
from gongkai.rdf.namespaces import GK, RDF, VCARD
from gongkai.settings import Settings

MARKER = ".gongkai-site"
CONTEXT_FILE = "context.jsonld"   # at the site's root; every JSON-LD file refers to it relatively
ONTOLOGY_IRI = "https://w3id.org/gongkai/ontology"
Progress = Callable[[str, int, int], None]


class SiteError(GongkaiError):
    """The output folder cannot be used."""


@dataclass
class PublishResult:
    out: Path
    pages: int = 0
    files: int = 0
    bytes: int = 0
    seconds: float = 0.0
    stats: Statistics = field(default_factory=Statistics)   # the graph's, measured once its downloads are written
    downloads: list[dcat.Download] = field(default_factory=list)


def _check_out(out: Path) -> None:
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / MARKER).exists())):
        raise SiteError(f"{out}: exists and is not a site written by gongkai publish; "
                        "choose an empty or new folder")


def publish_site(source: Source, out: Path, settings: Settings, *, publisher: str | None = None,
                 license_url: str | None = None, progress: Progress | None = None,
                 workers: int | None = None, about: Publisher | None = None) -> PublishResult:
    """Write the site for ``source`` to ``out``, replacing a site published there before.

    ``about`` is the publisher's settings (``publisher.toml``: the dataset's title,
    description, licence and contact); ``publisher`` and ``license_url``, when given, replace
    its publisher and licence.

    ``progress(stage, done, total)`` is called as downloads and pages are written;
    ``workers`` forked processes render pages when there are many (default: one per CPU).
    """
    t0 = time.perf_counter()
    _check_out(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.parent / f".{out.name}.tmp-{os.getpid()}"
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir()
    try:
        pub = about or Publisher()
        pub = replace(pub, publisher=publisher or pub.publisher, license=license_url or pub.license)
        result = _write(source, tmp, settings, pub, progress or (lambda *_: None), workers)
        (tmp / MARKER).write_text(json.dumps({"base": settings.base, "generated": settings.now().isoformat()}) + "\n",
                                  encoding="utf-8")
        if out.exists():
            old = out.parent / f".{out.name}.old-{os.getpid()}"
            out.rename(old)
            tmp.rename(out)
            shutil.rmtree(old)
        else:
            tmp.rename(out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    result.out = out
    result.seconds = time.perf_counter() - t0
    return result


def _write(source: Source, root: Path, settings: Settings, pub: Publisher, progress: Progress,
           workers: int | None) -> PublishResult:
    result = PublishResult(out=root)
    base = Layout(settings.base).base
    context = Context.load(settings.ontology_dir / CONTEXT_FILE)
    shutil.copyfile(settings.ontology_dir / CONTEXT_FILE, root / CONTEXT_FILE)

    # 1. the whole graph in every format, measured for DCAT
    (root / "download").mkdir()
    has_table = source.lists is not None or source.items_table is not None
    formats = [f for f in EXPORT_FORMATS.values() if f.in_site and (f.name != "csv" or has_table)]
    merged = distinct_triples(source.quads)
    for n, fmt in enumerate(formats):
        progress("downloads", n, len(formats))
        file = f"download/{fmt.file_name}"
        (root / file).write_bytes(export_bytes(source.quads, fmt.name, lists=source.lists, context=context,
                                               base=base, triples=merged, context_url="../" + CONTEXT_FILE,
                                               items_table=source.items_table))
        result.downloads.append(dcat.Download.measure(fmt, root, file))
    progress("downloads", len(formats), len(formats))

    # 2. statistics and the dataset description
    result.stats = statistics(merged)
    del merged
    layout = Layout(base)
    examples = _examples(source.quads)
    description = dcat.describe(base, result.stats, result.downloads, issued=settings.now(),
                                examples=examples, **pub.dcat_args())

    # 3. one pass: the graph cut into pages
    corpus = Corpus(layout, fallback=dcat.dataset_iri(base))
    corpus.add([*description, *source.quads])

    info = SiteInfo(title_zh=pub.title_in("zh", dcat.TITLE[0]), title_en=pub.title_in("en", dcat.TITLE[1]),
                    dataset_iri=dcat.dataset_iri(base),
                    ontology_iri=ONTOLOGY_IRI, generated=settings.now().date().isoformat())
    usage = dict(result.stats.classes) | dict(result.stats.properties)
    renderer = PageRenderer(corpus, context, info, extra={
        "ontology": lambda w: render_ontology(w, usage),
        "dataset": render_dataset,
    })
    pages = sorted(corpus.pages.values(), key=lambda p: p.path)
    for folder in sorted({(root / p.path).parent for p in pages}):
        folder.mkdir(parents=True, exist_ok=True)
    files, size = _write_pages(pages, renderer, context, turtle_prefixes(base), root, progress, workers)
    result.pages, result.files, result.bytes = len(pages), files, size

    downloads = [(f"{d.fmt.label_zh} {d.fmt.label_en}", d.file) for d in result.downloads]
    index = render_index(corpus, renderer.names, info, downloads).encode("utf-8")
    (root / "index.html").write_bytes(index)
    result.files += 2 + len(result.downloads)
    result.bytes += len(index) + sum(d.size for d in result.downloads) + (root / CONTEXT_FILE).stat().st_size
    return result


# --- writing pages: in forked workers when there are many -------------------------

#: what forked workers inherit: (pages, renderer, context, prefixes, root)
_STATE: tuple[list[Page], PageRenderer, Context, dict[str, str], Path] | None = None
CHUNK = 200
PARALLEL_FROM = 2000          # pages; below this, starting workers costs more than it saves


def _write_pages(pages: list[Page], renderer: PageRenderer, context: Context, prefixes: dict[str, str],
                 root: Path, progress: Progress, workers: int | None) -> tuple[int, int]:
    global _STATE  # noqa: PLW0603  (forked workers inherit the pages through it instead of receiving them pickled)
    n_workers = workers if workers is not None else min(os.cpu_count() or 1, 8)
    chunks = [(i, min(i + CHUNK, len(pages))) for i in range(0, len(pages), CHUNK)]
    files = size = done = 0
    progress("pages", 0, len(pages))
    _STATE = (pages, renderer, context, prefixes, root)
    try:
        if n_workers > 1 and len(pages) >= PARALLEL_FROM and "fork" in mp.get_all_start_methods():
            with mp.get_context("fork").Pool(n_workers) as pool:
                for (a, b), (f, n) in zip(chunks, pool.imap(_write_chunk, chunks), strict=True):
                    files, size, done = files + f, size + n, done + (b - a)
                    progress("pages", done, len(pages))
        else:
            for a, b in chunks:
                f, n = _write_chunk((a, b))
                files, size, done = files + f, size + n, done + (b - a)
                progress("pages", done, len(pages))
    finally:
        _STATE = None
    return files, size


def _write_chunk(span: tuple[int, int]) -> tuple[int, int]:
    assert _STATE is not None  # set by _write_pages, before any chunk is written
    pages, renderer, context, prefixes, root = _STATE
    files = size = 0
    with ThreadPoolExecutor(4) as io:   # creating files is slow on some file systems; overlap it
        pending = []
        for page in pages[span[0]:span[1]]:
            folder = root / page.path
            stem = folder.name
            for ext, data in _documents(page, renderer, context, prefixes):
                pending.append(io.submit((folder.parent / f"{stem}.{ext}").write_bytes, data))
                files += 1
                size += len(data)
            page.forget()
        for job in pending:
            job.result()   # a write that failed fails the run
    return files, size


def _documents(page: Page, renderer: PageRenderer, context: Context,
               prefixes: dict[str, str]) -> Iterator[tuple[str, bytes]]:
    triples = sort_triples(page.triples)
    used = _used_prefixes(triples, prefixes)
    ttl = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=used)
    assert ttl is not None  # given no output, serialize returns the bytes
    yield "ttl", ttl
    context_url = renderer.corpus.layout.root_href(page.path, CONTEXT_FILE)
    yield "jsonld", dumps(triples_document(context, triples, root=page.iri, context_url=context_url)).encode("utf-8")
    yield "html", renderer.render(page).encode("utf-8")


def _used_prefixes(triples: list[ox.Triple], prefixes: dict[str, str]) -> dict[str, str]:
    """Only the prefixes a page uses, so each small file does not start with twenty lines."""
    seen: set[str] = set()
    for t in triples:
        seen.add(value(t.subject))
        seen.add(t.predicate.value)
        o = t.object
        seen.add(o.datatype.value if isinstance(o, ox.Literal) else value(o))
    return {p: ns for p, ns in prefixes.items() if any(v.startswith(ns) for v in seen)}


_LIST = str(GK.DisclosureList)
_ITEM = str(GK.DisclosureItem)
_TYPE = str(RDF.type)


def _examples(quads: list[ox.Quad]) -> list[str]:
    """One list and one item, as VoID example resources."""
    found: dict[str, str] = {}
    for q in quads:
        if q.predicate.value == _TYPE and (kind := value(q.object)) in (_LIST, _ITEM):
            v = value(q.subject)
            if kind not in found or (len(v), v) < (len(found[kind]), found[kind]):
                found[kind] = v
    return [found[k] for k in (_LIST, _ITEM) if k in found]


#: the formats of the dataset description on its own (``dataset_description``)
DESCRIPTION_FORMATS = {"ttl": ox.RdfFormat.TURTLE, "rdfxml": ox.RdfFormat.RDF_XML}


def dataset_description(quads: list[ox.Quad], settings: Settings, about: Publisher | None = None,
                        fmt: str = "ttl") -> bytes:
    """The DCAT and VoID description of a graph, without a site around it: what ``publish``
    writes as ``dataset.ttl`` but for its distributions (no files are written, so none is
    measured). For the app's export page, and any catalogue that harvests descriptions."""
    if fmt not in DESCRIPTION_FORMATS:
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(DESCRIPTION_FORMATS)}")
    base = Layout(settings.base).base
    triples = dcat.describe(base, statistics(quads), [], issued=settings.now(), examples=_examples(quads),
                            **(about or Publisher()).dcat_args())
    prefixes = {**turtle_prefixes(base), "vcard": str(VCARD)}
    data = ox.serialize(sort_triples(triples), format=DESCRIPTION_FORMATS[fmt], prefixes=prefixes)
    assert data is not None  # given no output, serialize returns the bytes
    return data


__all__ = ["DESCRIPTION_FORMATS", "MARKER", "PublishResult", "SiteError", "dataset_description", "publish_site"]
