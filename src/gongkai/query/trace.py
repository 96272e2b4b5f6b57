"""A legal trace: the items relying on a work, or on one version of it, one row per item.

Built from the rows of ``items_relying_on_source`` (one per citation and article). A work
trace keeps every row; a version trace keeps the citations of that version and, marked
"may rely on this version", those whose version is undetermined (版本未定: an undated list
citing a law with several versions) — it never drops them silently.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from gongkai.legal.registry import LegalSource, Registry

UNDETERMINED = "版本未定"

RELIES = "relies"
MAY_RELY = "may rely"

#: how each relation reads, in Chinese and English
RELATION_WORDS = {RELIES: ("依据", "relies on"),
                  MAY_RELY: ("可能依据（版本未定）", "may rely on this version (version undetermined)")}

COLUMNS = ("bureau", "list_date", "number", "item", "relation", "version", "articles", "citations",
           "item_iri", "list_iri", "version_iri")


@dataclass
class TraceRow:
    """One item relying on the traced source."""

    bureau: str
    list_date: str
    number: int
    item: str
    item_iri: str
    list_iri: str
    relation: str = MAY_RELY
    versions: list[str] = field(default_factory=list)
    version_iris: list[str] = field(default_factory=list)
    articles: list[str] = field(default_factory=list)
    citations: list[str] = field(default_factory=list)

    def record(self) -> dict[str, Any]:
        """The row as plain values (for CSV and JSON), lists joined by ``; ``."""
        return {"bureau": self.bureau, "list_date": self.list_date, "number": self.number, "item": self.item,
                "relation": self.relation, "version": "; ".join(self.versions),
                "articles": "; ".join(self.articles), "citations": "; ".join(self.citations),
                "item_iri": self.item_iri, "list_iri": self.list_iri, "version_iri": "; ".join(self.version_iris)}


def _add(values: list[str], value: str) -> None:
    if value and value not in values:
        values.append(value)


def trace_rows(rows: list[dict[str, Any]], version_iri: str | None = None) -> list[TraceRow]:
    """Rows of ``items_relying_on_source`` → one row per item, ordered by bureau, date and number.

    ``version_iri``: trace that version only (its citations rely on it; citations of the
    work whose version is undetermined may rely on it; other versions' are left out).
    """
    items: dict[str, TraceRow] = {}
    for r in rows:
        undetermined = str(r.get("undetermined", "false")).lower() == "true"
        cited = str(r.get("versionIri", ""))
        if version_iri is not None and not undetermined and cited != version_iri:
            continue
        key = str(r["itemIri"])
        row = items.get(key)
        if row is None:
            row = items[key] = TraceRow(bureau=str(r["bureau"]), list_date=str(r.get("listDate", "") or ""),
                                        number=int(str(r["number"])), item=str(r["item"]), item_iri=key,
                                        list_iri=str(r.get("list", "")))
        if not undetermined:
            row.relation = RELIES
            _add(row.version_iris, cited)
        _add(row.versions, UNDETERMINED if undetermined else str(r.get("version", "")))
        if "article" in r and r["article"] is not None:
            _add(row.articles, str(r["article"]))
        _add(row.citations, str(r.get("citation", "")))
    out = list(items.values())
    for row in out:  # a certain citation makes the item's "undetermined" one redundant
        if row.relation == RELIES and UNDETERMINED in row.versions:
            row.versions.remove(UNDETERMINED)
    return sorted(out, key=lambda t: (t.bureau, t.list_date, t.number))


def heading(registry: Registry, work: LegalSource, version: LegalSource | None, how: str) -> str:
    """What is traced, in words: the work and its versions, or one version only."""
    chain = registry.versions(work)
    latest = chain[-1]
    years = ", ".join(str(v.year) for v in chain if v.year)
    if version is not None:
        year = f"（{version.year}年）" if version.year and len(chain) > 1 else ""
        number = f" {version.doc_number}" if version.doc_number else ""
        text = f"《{version.title}》{year}{number} — this version only"
        if len(chain) > 1:
            text += f" (--work for all {len(chain)} versions: {years})"
    else:
        text = f"《{latest.title}》 — the work"
        if len(chain) > 1:
            text += f", all {len(chain)} versions ({years})"
        elif latest.doc_number:
            text += f" {latest.doc_number}"
    return f"{text} (matched by {how})"
