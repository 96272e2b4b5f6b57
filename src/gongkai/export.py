"""Serialisations: RDF in the usual formats, and the flat CSV for spreadsheet users."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from pathlib import Path

from rdflib import Dataset, Graph, URIRef

from .model import DisclosureList
from .rdf.namespaces import bind_all

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


def citation_texts(item) -> list[str]:
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
    """The flat item table: one row per item, columns ``ITEM_COLUMNS``, with a UTF-8 BOM."""
    buf = io.StringIO()
    buf.write("\ufeff")
    w = csv.DictWriter(buf, fieldnames=ITEM_COLUMNS, lineterminator="\r\n")
    w.writeheader()
    for row in item_rows(lists):
        w.writerow(row)
    return buf.getvalue()


def dataset_of(graphs: Iterable[tuple[URIRef, Graph]], base: str | None = None) -> Dataset:
    ds = Dataset()
    bind_all(ds, base) if base else bind_all(ds)
    for name, g in graphs:
        target = ds.graph(name)
        for t in g:
            target.add(t)
    return ds


def serialize(graphs: list[tuple[URIRef, Graph]], fmt: str, base: str | None = None) -> str:
    """Serialise named graphs. Triple formats (turtle, nt, xml) merge them into one graph."""
    if fmt in ("trig", "nquads"):
        return dataset_of(graphs, base).serialize(format=fmt)
    merged = bind_all(Graph(), base) if base else bind_all(Graph())
    for _, g in graphs:
        merged += g
    return merged.serialize(format=fmt)


def write_output(path: Path, lists: list[DisclosureList], graphs: list[tuple[URIRef, Graph]],
                 base: str | None = None) -> None:
    """Write to ``path`` in the format its extension names (.ttl .trig .nt .nq .jsonld .rdf .csv)."""
    ext = path.suffix.lower()
    if ext == ".csv":
        data = items_csv(lists)
    elif ext in RDF_FORMATS:
        data = serialize(graphs, RDF_FORMATS[ext], base)
    else:
        raise ValueError(f"unknown output format {ext!r}; use one of {', '.join(SUPPORTED_EXTENSIONS)}")
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(data, encoding="utf-8", newline="")
    tmp.replace(path)
