"""Adding one list to a running store: read an uploaded file, show what it holds, then add
it — or replace the list already there — in one step.

Reading is ``ingest_file`` (the same readers, parser and legal resolution as ``gongkai
build``), so an upload is understood exactly as a file in ``data/raw`` would be, and a bad
file fails with the same ``InputError`` naming its row and cell. Nothing reaches the store
until ``commit``, and ``commit`` replaces the list's named graph in one operation
(``Store.replace_graph``: one SPARQL update on Oxigraph, one Graph Store ``PUT`` on a
remote endpoint), so the store holds either the old list or the new one, never a mixture.
A list's graph holds everything about it — items, citations, the bureau's and the legal
sources' labels — which is why replacing that one graph is enough.

Added to the build (``commit_to_build``), the list is also validated into the build's
reports — the files the 校验 screen and the overview read — with the other lists of its
bureau, replacing their part of the reports (``validation.merge``): an imported list's
problems are on the 校验 screen at once, and a list imported again replaces its own.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef

from gongkai.build_folder import GRAPH, Version, write_atomic
from gongkai.errors import GongkaiError, InputError, Text, in_lang
from gongkai.ingest import ingest_file
from gongkai.model import DisclosureList
from gongkai.pipeline.stats import STATS_FILE, compute, read_stats, validation_of_build, write_stats
from gongkai.publish.export import replace_list_items
from gongkai.rdf.mapping import map_list
from gongkai.rdf.namespaces import DCTERMS, GK, SKOS
from gongkai.readers.detect import READERS, WEB_TEXT_READERS
from gongkai.reference_data import map_context
from gongkai.settings import Settings
from gongkai.store.base import Store
from gongkai.store.embedded import EmbeddedStore
from gongkai.store.lifecycle import change_store
from gongkai.tabulate.corrections import CORRECTIONS_FILE, read_corrections
from gongkai.validation.merge import REPORT_FILES, has_reports, merge_build_reports
from gongkai.validation.results import SEVERITY_ORDER
from gongkai.validation.run import validate_lists, validate_nquads

ITEMS_FILE = "items.csv"
MAX_UPLOAD_MB = 10
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1024 * 1024
#: the suffixes the readers know (``readers.detect``); the content decides how a file is
#: read, the suffix only keeps out what is certainly not a list
SUFFIXES = tuple(dict.fromkeys(e for r in READERS + WEB_TEXT_READERS for e in r.extensions))


@dataclass
class Upload:
    """A parsed list ready to be added: the model, its named graph and what is already there."""

    dl: DisclosureList
    graph_name: URIRef
    graph: Graph
    problems: list[str] = field(default_factory=list)   # validation messages, most severe first

    @property
    def triples(self) -> int:
        return len(self.graph)


@dataclass(frozen=True)
class Committed:
    graph_name: URIRef
    replaced: bool          # a list with this IRI was there and has been replaced
    triples: int            # triples in the list's graph now
    before: int             # triples in the store before
    after: int              # and after


def check_upload(name: str, size: int, limit: int = MAX_UPLOAD_BYTES) -> None:
    """Refuse a file that is too large or certainly not a list, before reading it."""
    if size > limit:
        mb, most = f"{size / 1024 / 1024:.1f}", f"{limit / 1024 / 1024:.0f}"
        raise InputError(name, Text(
            f"the file is {mb} MB; the limit is {most} MB (split the list, or add it with `gongkai build`)",
            f"文件大小为 {mb} MB，上限是 {most} MB（请拆分清单，或用 `gongkai build` 添加）",
            f"the file is {mb} MB; the limit is {most} MB: split the list into one file per bureau",
            f"文件大小为 {mb} MB，上限是 {most} MB：请把清单拆成每个机构一个文件"), code="too-large")
    if size == 0:
        raise InputError(name, Text("the file is empty", "文件是空的"), code="empty")
    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIXES:
        raise InputError(name, Text(f"{suffix or 'no extension'} is not a supported format; use one of "
                                    f"{' '.join(SUFFIXES)}",
                                    f"不支持{suffix or '无扩展名的文件'}格式；请使用以下格式：{' '.join(SUFFIXES)}"),
                         code="format")


#: the longest file name, in bytes, most file systems take (ext4, tmpfs, NTFS in UTF-16 units)
MAX_NAME_BYTES = 255


def own_name(name: str) -> str:
    """The file's own name, without any folder a browser may send or control characters."""
    base = re.split(r"[\\/]", name)[-1].strip() or "upload"
    return re.sub(r"[\x00-\x1f]", "", base).lstrip(".") or "upload"


def safe_name(name: str) -> str:
    """``own_name``, safe to write in a temp folder: a name over ``MAX_NAME_BYTES`` bytes
    (UTF-8) is shortened, keeping its extension, which tells the readers the format."""
    base = own_name(name)
    if len(base.encode("utf-8", "surrogateescape")) <= MAX_NAME_BYTES:
        return base
    stem, suffix = Path(base).stem, Path(base).suffix
    if len(suffix.encode("utf-8", "surrogateescape")) > 16:  # not an extension: a long name with a dot
        stem, suffix = base, ""
    room = MAX_NAME_BYTES - len(suffix.encode("utf-8", "surrogateescape"))
    short = stem.encode("utf-8", "surrogateescape")[:room].decode("utf-8", "ignore")
    return (short or "upload") + suffix


def read_upload(name: str, data: bytes, settings: Settings, *, bureau: str | None = None,
                date: dt.date | None = None, limit: int = MAX_UPLOAD_BYTES) -> DisclosureList:
    """Parse an uploaded list (bytes) as ``gongkai ingest`` would; InputError if it cannot be.

    The list's provenance and every message name the file as the user knows it
    (``own_name``), not the temporary copy, whose name may have been shortened. The corrections
    of the data folder's ``corrections.csv`` that name this file's SHA-256 are applied, as
    ``gongkai build`` applies them. ``date``: the list's date when the file gives none (it
    chooses the version of each cited law), as ``sources.csv`` gives it to a build."""
    check_upload(name, len(data), limit)
    corrections = read_corrections(settings.raw_dir / CORRECTIONS_FILE)
    original = own_name(name)
    with tempfile.TemporaryDirectory(prefix="gongkai-upload-") as tmp:
        path = Path(tmp) / safe_name(name)
        try:
            path.write_bytes(data)
            dl = ingest_file(path, settings, bureau=bureau or None, date=date, corrections=corrections)
        except InputError as e:
            raise e.at(original) from None
        except OSError as e:
            why = e.strerror or str(e)
            raise InputError(original, Text(f"cannot be copied for reading ({why})",
                                            f"无法复制以读取（{why}）"), code="io") from None
    if dl.source_file != original:
        dl.source_file = original
        for it in dl.items:
            it.source = dataclasses.replace(it.source, file=original)
    return dl


def prepare(dl: DisclosureList, settings: Settings, *, validate: bool = True, lang: str = "zh") -> Upload:
    """Map the list to its named graph, and validate it (problems as short lines in ``lang``,
    most severe first, each rule by its short name: its ``rdfs:label``, else its id)."""
    name, graph = map_list(dl, map_context(settings))
    problems: list[str] = []
    if validate:
        report = validate_lists([dl], settings)
        names = {info.id: info.labels.get(lang) or info.labels.get("zh") for info in report.shapes.values()}
        colon = "：" if lang == "zh" else ": "
        for r in sorted(report.results, key=lambda r: (SEVERITY_ORDER.get(r.severity, 9), r.item_number or 0)):
            where = f"{r.item_number}. " if r.item_number is not None else ""
            rule = names.get(r.shape_id) or f"{r.shape_id} {r.path(lang)}"
            problems.append(f"[{r.severity_words(lang)}] {where}{rule}{colon}{r.message(lang)}")
    return Upload(dl, URIRef(str(name)), graph, problems)


def already_there(store: Store, graph_name: URIRef) -> bool:
    """Whether the store has a list graph of that name (an import then replaces it)."""
    return store.count(graph_name) > 0


def commit(store: Store, upload: Upload) -> Committed:
    """Add the list to the store, replacing a list with the same IRI: all or nothing."""
    before = store.count()
    replaced = already_there(store, upload.graph_name)
    store.replace_graph(upload.graph_name, upload.graph)
    return Committed(upload.graph_name, replaced, store.count(upload.graph_name), before, store.count())


def commit_to_build(settings: Settings, upload: Upload, *, wait: float = 60.0) -> tuple[Committed, list[str]]:
    """Add the list to the build's embedded store as a new version of the build folder
    (``service.change_store``): the store is copied, the list added to the copy, its bureau
    validated into the copy's reports (``revalidate_bureau``), its items put in the copy's
    ``items.csv`` and its statistics counted again, and the copy published whole, so readers
    (the app's other sessions, a running query, ``gongkai serve``) keep the version they read.
    Waits ``wait`` seconds at most for a build writing the same folder. Returns what was
    committed and warnings (reports or statistics that could not be brought up to date)."""

    warnings: list[str] = []
    entry = {"list": str(upload.graph_name), "bureau": upload.dl.bureau.name, "items": len(upload.dl.items)}

    def change(store: EmbeddedStore, version: Version) -> Committed:
        done = commit(store, upload)
        pinned = dataclasses.replace(settings, build_dir=version.path, store_dir=None)
        table = version.path / ITEMS_FILE
        if table.is_file():   # the item table (the CSV export) has the list's items now
            write_atomic(table, replace_list_items(table.read_text(encoding="utf-8"), upload.dl))
        path = version.path / STATS_FILE
        old = read_stats(path) or {}
        validation = old.get("validation")
        try:
            if revalidate_bureau(store, upload.graph_name, pinned):
                validation = validation_of_build(pinned)
        except (GongkaiError, OSError, ValueError) as e:
            warnings.append(f"validation reports not updated: {e}")
        try:
            doc = compute(store, pinned, validation=validation)
            doc["imports"] = [*old.get("imports", []), entry]
            write_stats(doc, path)
        except (GongkaiError, OSError) as e:
            warnings.append(Text(f"statistics not updated: {e}", f"统计数据未更新：{in_lang(e, 'zh')}"))
        return done

    done, _version = change_store(settings, change, note={"made_by": "import", "imported": entry}, wait=wait)
    return done, warnings


def reports_current(folder: Path) -> bool:
    """The version at ``folder`` has its validation reports, as new as its graph (a build
    validated, not one whose reports are missing or older than its ``kg.trig``)."""
    if not has_reports(folder):
        return False
    try:
        graph = (folder / GRAPH).stat().st_mtime_ns
        return all((folder / name).stat().st_mtime_ns >= graph for name in REPORT_FILES)
    except OSError:
        return False


def bureau_nquads(store: EmbeddedStore, graph_name: URIRef) -> bytes:
    """The named graphs of every list whose bureau bears a name of the bureau of the list
    ``graph_name`` (it included), as N-Quads, each graph whole. By name, as the reports group
    lists (lists naming no bureau are each of a bureau of their own, all called 未注明责任单位)."""
    res = store.select(f"""SELECT DISTINCT ?g WHERE {{
        GRAPH <{graph_name}> {{ <{graph_name}> <{DCTERMS.publisher}> ?mine . ?mine <{SKOS.prefLabel}> ?name }}
        GRAPH ?g {{ ?g a <{GK.DisclosureList}> ; <{DCTERMS.publisher}> ?org . ?org <{SKOS.prefLabel}> ?name }} }}""")
    names = sorted({str(r["g"]) for r in res.rows} | {str(graph_name)})
    parts = []
    for name in names:
        data = ox.serialize(store.ox.quads_for_pattern(None, None, None, ox.NamedNode(name)),
                            format=ox.RdfFormat.N_QUADS)
        parts.append(data or b"")
    return b"".join(parts)


def revalidate_bureau(store: EmbeddedStore, graph_name: URIRef, settings: Settings) -> bool:
    """Validate the lists of the bureau of ``graph_name`` as the store holds them and put them
    in place of their rows in the reports of the build version ``settings.out_dir``
    (``validation.merge``). Done only when that version's reports are current: merged into a
    missing or outdated report, one bureau's rows would pass for the whole build's (the 校验
    screen then offers to validate the whole store). Returns whether the reports were written."""
    folder = settings.out_dir
    if not reports_current(folder):
        return False
    part = validate_nquads(bureau_nquads(store, graph_name), settings)
    bureau = next((lr.bureau for lr in part.lists if lr.list_iri == str(graph_name)), None)
    # a list found through another of its bureau's names is left as the reports have it
    part.lists = [lr for lr in part.lists if lr.bureau == bureau]
    merge_build_reports(part, folder, settings)
    return True


def item_rows(dl: DisclosureList) -> list[dict[str, str]]:
    """One row per parsed item, for a preview table: what each cell was read as."""
    out = []
    for it in dl.items:
        tl = it.time_limit
        out.append({
            "number": str(it.number),
            "level1": it.level1 or "",
            "level2": it.level2,
            "content": it.content or "",
            "citations": "；".join(c.label for c in it.citations),
            "resolved": f"{sum(1 for c in it.citations if c.resolved_id)}/{len(it.citations)}",
            "time_limit": tl.raw if tl else "",
            "time_limit_kind": tl.kind if tl else "",
            "channels": "、".join(it.channels_checked) or (it.channels_text or ""),
            "warnings": "；".join(it.warnings),
        })
    return out


__all__ = [
    "MAX_UPLOAD_BYTES",
    "MAX_UPLOAD_MB",
    "SUFFIXES",
    "Committed",
    "Upload",
    "already_there",
    "check_upload",
    "commit",
    "commit_to_build",
    "item_rows",
    "prepare",
    "read_upload",
    "reports_current",
    "revalidate_bureau",
    "safe_name",
]
