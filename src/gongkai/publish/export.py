"""Serialisations: RDF in the usual formats, and the flat CSV for spreadsheet users.

Two paths. ``serialize``/``write_output`` take rdflib graphs (one list at a time:
``gongkai ingest``, whose JSON-LD is still made by ``export_bytes``, with the context
embedded). ``export_bytes`` takes pyoxigraph quads and is the one for whole knowledge
graphs (``gongkai export``, ``gongkai publish``): pyoxigraph writes Turtle,
TriG, N-Triples, N-Quads and RDF/XML ~50× faster than rdflib, and JSON-LD is written
compacted with the curated context (``ontology/context.jsonld``, see
``publish.jsonld``).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef

from gongkai.csv_cells import csv_record
from gongkai.model import DisclosureItem, DisclosureList, SourceRef
from gongkai.publish.jsonld import CONTEXT_URL, Context, dumps, natural_key, quads_document
from gongkai.publish.terms import value
from gongkai.rdf.namespaces import DCTERMS, GK, PREFIXES, RDF, RDFS, SKOS
from gongkai.rdf.ntriples import nt_object
from gongkai.rdf.serialize import serialize
from gongkai.settings import DEFAULT_BASE, Settings
from gongkai.text import key

ITEM_COLUMNS = [
    "bureau", "list_date", "number", "level1", "level2", "content", "legal_basis",
    "legal_source_count", "time_limit", "tl_amount", "tl_unit", "tl_trigger", "channels_checked",
    "audience", "mode", "remark", "source_file", "source_rows",
]

_AUDIENCE_ZH = {"public": "全社会", "specific-groups": "特定群体"}
_MODE_ZH = {"active": "主动公开", "on-request": "依申请公开"}

# output extension -> rdflib format name
RDF_FORMATS = {
    ".ttl": "turtle", ".trig": "trig", ".nt": "nt", ".nq": "nquads",
    ".jsonld": "json-ld", ".rdf": "xml", ".xml": "xml",
}
SUPPORTED_EXTENSIONS = sorted([*RDF_FORMATS, ".csv"])


def citation_texts(item: DisclosureItem) -> list[str]:
    """Each citation as written; citations sharing one phrase (国家、自治区、中卫市2021年…要点)
    are shown by their own title instead, so the CSV cell does not repeat the phrase."""
    raws = [c.raw for c in item.citations]
    return [c.title if raws.count(c.raw) > 1 and c.title else c.raw for c in item.citations]


def item_rows(lists: Iterable[DisclosureList]) -> Iterable[dict[str, str]]:
    for dl in lists:
        for it in dl.items:
            tl = it.time_limit
            sources = {c.resolved_id or c.label for c in it.citations}
            yield {
                "bureau": dl.bureau.name,
                "list_date": dl.date.isoformat() if dl.date else "",
                "number": str(it.number),
                "level1": it.level1 or "",
                "level2": it.level2,
                "content": it.content or "",
                "legal_basis": " | ".join(citation_texts(it)) or (it.legal_basis or ""),
                "legal_source_count": str(len(sources)),
                "time_limit": tl.raw if tl else "",
                "tl_amount": str(tl.amount) if tl and tl.amount is not None else "",
                "tl_unit": (tl.unit or "") if tl and tl.unit in ("working_day", "day", "annual") else "",
                "tl_trigger": (tl.trigger or "") if tl else "",
                "channels_checked": " | ".join(it.channels_checked) if it.channels
                else (it.channels_text or ""),
                "audience": " | ".join(_AUDIENCE_ZH[a] for a in it.audience),
                "mode": " | ".join(_MODE_ZH[m] for m in it.mode),
                "remark": it.remark or "",
                "source_file": it.source.file or dl.source_file,
                "source_rows": it.source.rows_text(),
            }


def items_csv(lists: Iterable[DisclosureList]) -> str:
    """The flat item table: one row per item, columns ``ITEM_COLUMNS``, with a UTF-8 BOM;
    cells a spreadsheet would read as formulas get a leading ``'`` (``csv_cells``)."""
    buf = io.StringIO()
    buf.write("\ufeff")
    w = csv.DictWriter(buf, fieldnames=ITEM_COLUMNS, lineterminator="\r\n")
    w.writeheader()
    for row in item_rows(lists):
        w.writerow(csv_record(row))
    return buf.getvalue()


def _item_records(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline="")))


def _items_table(records: Iterable[dict[str, str]]) -> str:
    buf = io.StringIO()
    buf.write("\ufeff")
    w = csv.DictWriter(buf, fieldnames=ITEM_COLUMNS, lineterminator="\r\n", extrasaction="ignore")
    w.writeheader()
    for row in records:
        w.writerow(csv_record(row))
    return buf.getvalue()


def _same_list(row: dict[str, str], dl: DisclosureList) -> bool:
    """A row of ``dl``'s list (same bureau and date: same IRI); of a list naming no bureau, of its file."""
    date = dl.date.isoformat() if dl.date else ""
    if row.get("bureau") != dl.bureau.name or row.get("list_date") != date:
        return False
    return dl.bureau_named or row.get("source_file") == dl.source_file


def replace_list_items(table: str, dl: DisclosureList) -> str:
    """``items.csv`` (as ``items_csv`` writes it) with the rows of ``dl``'s list replaced by its
    items now, at the end (a list imported after the build, or again)."""
    kept = [r for r in _item_records(table) if not _same_list(r, dl)]
    return _items_table([*kept, *item_rows([dl])])


def items_of_lists(table: str, refs: Iterable[ListRef]) -> str:
    """The rows of ``items.csv`` that belong to the chosen lists: their bureau (by any of its
    names) and their date (the last segment of the list's IRI, ``undated`` for none)."""
    wanted: set[tuple[str, str]] = set()
    for r in refs:
        date = r.iri.rstrip("/").rsplit("/", 1)[-1]
        wanted.update((key(n), "" if date == "undated" else date) for n in r.bureau_names)
    return _items_table(r for r in _item_records(table) if (key(r.get("bureau") or ""), r.get("list_date")) in wanted)


UNREAD_COLUMNS = ["source_file", "bureau", "list_date", "lines", "text", "reason", "sha256"]


def unread_csv(lists: Iterable[DisclosureList]) -> str:
    """The rows that could not be read, one per row set aside (``DisclosureList.unread``):
    the file, its bureau and date, the row's lines (``14-15`` as in ``source_rows``), its text as
    written, why it was not read, and the file's SHA-256 (what a corrections file names it by:
    :mod:`gongkai.tabulate.corrections`). UTF-8 with a BOM, cells safe as in ``items_csv``; only the
    header when every row was read."""
    buf = io.StringIO()
    buf.write("\ufeff")
    w = csv.DictWriter(buf, fieldnames=UNREAD_COLUMNS, lineterminator="\r\n")
    w.writeheader()
    for dl in lists:
        for u in dl.unread:
            w.writerow(csv_record({
                "source_file": dl.source_file, "bureau": dl.bureau.name,
                "list_date": dl.date.isoformat() if dl.date else "",
                "lines": SourceRef(dl.source_file, rows=u.lines).rows_text(), "text": u.text, "reason": u.reason,
                "sha256": dl.source_sha256,
            }))
    return buf.getvalue()








def write_output(path: Path, lists: list[DisclosureList], graphs: list[tuple[URIRef, Graph]],
                 base: str | None = None) -> None:
    """Write to ``path`` in the format its extension names (.ttl .trig .nt .nq .jsonld .rdf .csv)."""
    ext = path.suffix.lower()
    if ext == ".csv":
        data = items_csv(lists)
    elif ext == ".jsonld":
        # compacted with the curated context as `gongkai export` writes it (readable keys,
        # language maps), the context embedded so that the single file reads offline; the
        # graphs merged into the default graph, like the other triple formats of this path

        context = Context.load(Settings().ontology_dir / "context.jsonld")
        merged = [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph())
                  for t in distinct_triples(quads_of_graphs(graphs))]
        data = export_bytes(merged, "jsonld", context=context, base=base or DEFAULT_BASE,
                            inline_context=True).decode("utf-8")
    elif ext in RDF_FORMATS:
        data = serialize(graphs, RDF_FORMATS[ext], base)
    else:
        raise ValueError(f"unknown output format {ext!r}; use one of {', '.join(SUPPORTED_EXTENSIONS)}")
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(data, encoding="utf-8", newline="")
    tmp.replace(path)


# --- whole-graph exports (pyoxigraph) -------------------------------------------


@dataclass(frozen=True)
class ExportFormat:
    """One format of ``gongkai export`` and one distribution of the published dataset."""

    name: str
    extension: str
    media_type: str
    label_zh: str
    label_en: str
    rdf_format: ox.RdfFormat | None = None   # None: written by our own code (JSON-LD, CSV)
    datasets: bool = False                   # keeps named graphs
    in_site: bool = True                     # offered as a download by `gongkai publish`

    @property
    def file_name(self) -> str:
        return ("items" if self.name == "csv" else "kg") + "." + self.extension


EXPORT_FORMATS: dict[str, ExportFormat] = {f.name: f for f in (
    ExportFormat("ttl", "ttl", "text/turtle", "Turtle（合并图）", "Turtle (merged graph)", ox.RdfFormat.TURTLE),
    ExportFormat("trig", "trig", "application/trig", "TriG（每份清单一个命名图）",
                 "TriG (one named graph per list)", ox.RdfFormat.TRIG, datasets=True),
    ExportFormat("nt", "nt", "application/n-triples", "N-Triples（合并图）", "N-Triples (merged graph)",
                 ox.RdfFormat.N_TRIPLES),
    ExportFormat("nq", "nq", "application/n-quads", "N-Quads（每份清单一个命名图）",
                 "N-Quads (one named graph per list)", ox.RdfFormat.N_QUADS, datasets=True, in_site=False),
    ExportFormat("jsonld", "jsonld", "application/ld+json", "JSON-LD（命名图，精编上下文）",
                 "JSON-LD (named graphs, curated context)", datasets=True),
    ExportFormat("rdfxml", "rdf", "application/rdf+xml", "RDF/XML（合并图）", "RDF/XML (merged graph)",
                 ox.RdfFormat.RDF_XML),
    ExportFormat("csv", "csv", "text/csv", "CSV（每个事项一行）", "CSV (one row per item)"),
)}


def turtle_prefixes(base: str = DEFAULT_BASE) -> dict[str, str]:
    """The prefixes written in Turtle and TriG: the project's, plus ``data:`` for another base."""
    prefixes = {p: str(ns) for p, ns in PREFIXES.items() if p not in ("shape", "sh")}
    if base != DEFAULT_BASE:
        prefixes["data"] = base
    return prefixes


def quads_of_graphs(graphs: Iterable[tuple[URIRef, Graph]]) -> list[ox.Quad]:
    """rdflib named graphs as pyoxigraph quads (through N-Quads text: one parse, no per-term calls)."""
    text = "".join(f"{s.n3()} {p.n3()} {nt_object(o)} {name.n3()} .\n" for name, g in graphs for s, p, o in g)
    return list(ox.parse(text.encode("utf-8"), format=ox.RdfFormat.N_QUADS))


def distinct_triples(quads: Iterable[ox.Quad]) -> list[ox.Triple]:
    """The merged graph: each triple once, whatever graphs hold it, in a stable order."""
    seen = dict.fromkeys(ox.Triple(q.subject, q.predicate, q.object) for q in quads)
    return sort_triples(seen)


def sort_triples(triples: Iterable[ox.Triple]) -> list[ox.Triple]:
    """Subjects in natural order (``item/2`` before ``item/10``), so Turtle groups them and diffs stay small."""
    keys: dict[str, tuple] = {}

    def order(t: ox.Triple) -> tuple:
        s = value(t.subject)
        k = keys.get(s)
        if k is None:
            k = keys[s] = (isinstance(t.subject, ox.BlankNode), natural_key(s))
        return (k, t.predicate.value, str(t.object))

    return sorted(triples, key=order)


def sort_quads(quads: Iterable[ox.Quad]) -> list[ox.Quad]:
    keys: dict[str, tuple] = {}

    def nat(term: object) -> tuple:
        v = getattr(term, "value", "")
        k = keys.get(v)
        if k is None:
            k = keys[v] = natural_key(v)
        return k

    return sorted(dict.fromkeys(quads),
                  key=lambda q: (nat(q.graph_name), nat(q.subject), q.predicate.value, str(q.object)))


def export_bytes(quads: list[ox.Quad], fmt: str, *, lists: list[DisclosureList] | None = None,
                 context: Context | None = None, base: str = DEFAULT_BASE, inline_context: bool = False,
                 triples: list[ox.Triple] | None = None, context_url: str | None = None,
                 items_table: str | None = None) -> bytes:
    """The graph (or the lists, for CSV) in one of ``EXPORT_FORMATS``.

    ``context`` is the curated JSON-LD context (``publish.jsonld.Context``), needed for
    ``jsonld``; ``lists`` the parsed lists, needed for ``csv`` (the item table is made
    from the model, where each cell's raw text is at hand), else ``items_table``, an
    ``items.csv`` already made (the build's, kept up to date by imports). ``triples``, if given, is
    ``distinct_triples(quads)`` computed once for several formats.

    JSON-LD names its context by ``context_url`` when given (the site's relative
    ``../context.jsonld``); otherwise by ``https://w3id.org/gongkai/context.jsonld`` under
    the default base only: a graph under another base is not described by that IRI, and
    gets the context embedded (as ``inline_context`` asks), so it reads offline.
    """
    f = EXPORT_FORMATS.get(fmt)
    if f is None:
        raise ValueError(f"unknown export format {fmt!r}; use one of {', '.join(EXPORT_FORMATS)}")
    if f.name == "csv":
        if lists is not None:
            return items_csv(lists).encode("utf-8")
        if items_table is not None:
            return items_table.encode("utf-8")
        raise ValueError("CSV is made from the parsed lists: export it from a folder of lists or from the build, "
                         "not from a graph file")
    if f.name == "jsonld":
        if context is None:
            raise ValueError("JSON-LD needs the curated context (ontology/context.jsonld)")
        inline = inline_context or (context_url is None and base.rstrip("/") + "/" != DEFAULT_BASE)
        doc = quads_document(context, quads, inline_context=inline, context_url=context_url or CONTEXT_URL)
        return dumps(doc, pretty=False).encode("utf-8")
    if f.datasets:
        data = ox.serialize(sort_quads(quads), format=f.rdf_format, prefixes=turtle_prefixes(base))
    else:
        prefixes = turtle_prefixes(base) if f.rdf_format in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML) else None
        data = ox.serialize(triples if triples is not None else distinct_triples(quads), format=f.rdf_format,
                            prefixes=prefixes)
    assert data is not None  # given no output, serialize returns the bytes
    return data


# --- choosing lists ---------------------------------------------------------------

_TYPE = str(RDF.type)
_PUBLISHER = str(DCTERMS.publisher)
_LABELS = (str(SKOS.prefLabel), str(RDFS.label))


@dataclass(frozen=True)
class ListRef:
    """A list in a graph: its IRI (also its graph's name), its bureau's IRI and names."""

    iri: str
    bureau: str | None
    bureau_names: tuple[str, ...]

    @property
    def key(self) -> str:
        """``<org-slug>/<date>``: the IRI's last two segments."""
        return "/".join(self.iri.rstrip("/").split("/")[-2:])


def lists_in(quads: Iterable[ox.Quad]) -> list[ListRef]:
    """Every disclosure list in the quads (one pass), with its bureau's names."""
    is_list: set[str] = set()
    publisher: dict[str, str] = {}
    names: dict[str, list[str]] = {}
    for q in quads:
        p = q.predicate.value
        if p == _TYPE:
            if value(q.object) == str(GK.DisclosureList):
                is_list.add(value(q.subject))
        elif p == _PUBLISHER:
            publisher.setdefault(value(q.subject), value(q.object))
        elif p in _LABELS and isinstance(q.object, ox.Literal):
            names.setdefault(value(q.subject), []).append(q.object.value)
    out = []
    for iri in sorted(is_list):
        bureau = publisher.get(iri)
        out.append(ListRef(iri, bureau, tuple(dict.fromkeys(names.get(bureau, ()))) if bureau else ()))
    return out


def select_lists(refs: list[ListRef], selectors: Iterable[str]) -> list[ListRef]:
    """The lists named by any selector: a list IRI, ``<org-slug>/<date>``, a bureau's IRI,
    its name (spacing, widths and traditional characters ignored) or its IRI slug.

    A selector that names no list is an error that shows what there is to choose from.
    """
    chosen: dict[str, ListRef] = {}
    for sel in selectors:
        want = sel.strip()
        k = key(want)
        hits = [r for r in refs
                if want in (r.iri, r.key, r.bureau) or (r.bureau and want == r.bureau.rsplit("/", 1)[-1])
                or any(key(n) == k for n in r.bureau_names)]
        if not hits:
            known = "; ".join(f"{r.bureau_names[0] if r.bureau_names else r.bureau} ({r.key})" for r in refs[:20])
            raise ValueError(f"no list matches {sel!r}. Lists: {known or 'none'}"
                             + (f" … and {len(refs) - 20} more" if len(refs) > 20 else ""))
        for r in hits:
            chosen.setdefault(r.iri, r)
    return list(chosen.values())


def quads_of_lists(quads: Iterable[ox.Quad], refs: Iterable[ListRef]) -> list[ox.Quad]:
    """Only the named graphs of the chosen lists (each list's graph is named by its IRI)."""
    names = {r.iri for r in refs}
    return [q for q in quads if not isinstance(q.graph_name, ox.DefaultGraph) and q.graph_name.value in names]
