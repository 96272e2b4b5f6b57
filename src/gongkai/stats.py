"""Overview statistics of a build, computed once and written to ``build/stats.json``.

The app's overview shows counts and charts over the whole graph: items per category and
bureau, the most cited legal sources, the distribution of time limits, the validation
status of each bureau. Over ten thousand bureaus the queries behind them take seconds,
which a page that must draw in well under two seconds cannot spend on every visit; so
they run when the graph is built (``gongkai build``), and again after the app imports a
list, and the page only reads the file.

The figures come from the library's queries run on the store (``dataset_statistics``,
``items_per_category_per_bureau``, ``sources_by_usage``, ``time_limit_distribution``), so
they are the same figures a user gets by running those queries, on any backend; the
validation status comes from the validation report (``validate.Report``, or the
``validation.json`` that ``gongkai build`` writes beside the graph).

Charts cannot show ten thousand bars: the lists kept here are bounded (the ``TOP_*``
limits), with the totals kept beside them so that nothing is silently dropped.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .errors import StoreError
from .queries import Library
from .settings import Settings
from .store import Store

STATS_FILE = "stats.json"
VALIDATION_FILE = "validation.json"
SCHEMA = 1

TOP_BUREAUS = 30        # bureaus in the items-per-bureau chart (most items first)
TOP_CATEGORIES = 15     # level-1 categories in the charts (most items first)
TOP_SOURCES = 20        # legal sources in the top-sources chart
TOP_VALIDATION = 40     # bureaus in the validation-status chart (most problems first)

#: what ``dataset_statistics`` calls each figure (its English column) → our key
_COUNT_KEYS = {
    "lists": "lists", "bureaus": "bureaus", "items": "items", "citations": "citations",
    "resolved citations": "resolved_citations", "legal sources cited": "legal_versions_cited",
    "time limits": "time_limits",
}
_NONE = "（无）"


# --- the file ------------------------------------------------------------------

def stats_path(settings: Settings) -> Path:
    return settings.out_dir / STATS_FILE


def fingerprint(path: Path) -> dict[str, Any] | None:
    """Which file a figure was computed from (name, size, modification time), or None."""
    try:
        st = path.stat()
    except OSError:
        return None
    return {"file": path.name, "size": st.st_size, "mtime_ns": st.st_mtime_ns}


def read_stats(path: Path) -> dict[str, Any] | None:
    """The statistics file, or None when there is none or it is not ours (wrong schema)."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return doc if isinstance(doc, dict) and doc.get("schema") == SCHEMA else None


def write_stats(doc: dict[str, Any], path: Path) -> Path:
    """Write atomically: a reader (the app) never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.tmp-{os.getpid()}")
    tmp.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    tmp.replace(path)
    return path


def is_current(doc: dict[str, Any] | None, settings: Settings) -> bool:
    """True when ``doc`` describes the current ``build/kg.trig`` and the current validation
    report (a report written after the statistics makes them stale)."""
    if doc is None:
        return False
    graph = settings.out_dir / "kg.trig"
    if doc.get("graph") != fingerprint(graph):
        return False
    report = fingerprint(settings.out_dir / VALIDATION_FILE)
    if report is None:
        return True
    seen = (doc.get("validation") or {}).get("report")
    return seen == report or not _fresh(settings.out_dir / VALIDATION_FILE, graph)


# --- computing --------------------------------------------------------------------

def _rows(store: Store, library: Library, name: str) -> list[dict[str, str]]:
    from .service import label_rows, run_query

    return label_rows(run_query(store, library.get(name), {}))


def _int(value: str | None) -> int:
    try:
        return int(float(value or 0))
    except ValueError:
        return 0


def counts(store: Store, library: Library) -> dict[str, int]:
    """lists, bureaus, items, citations, resolved_citations, legal_versions_cited, time_limits."""
    out = {k: 0 for k in _COUNT_KEYS.values()}
    for r in _rows(store, library, "dataset_statistics"):
        k = _COUNT_KEYS.get(r.get("statistic_en", ""))
        if k:
            out[k] = _int(r.get("value"))
    return out


def categories(rows: list[dict[str, str]]) -> tuple[list[dict], list[dict], list[dict], int]:
    """From ``items_per_category_per_bureau`` rows: the categories (most items first), the
    bureaus (most items first), the category × bureau cells of the top ones, and how many
    categories there are in all."""
    by_cat: dict[str, list] = {}
    by_bureau: Counter[str] = Counter()
    cat_bureaus: dict[str, set[str]] = defaultdict(set)
    cells: dict[tuple[str, str], int] = Counter()
    for r in rows:
        cat = r.get("category") or _NONE
        n = _int(r.get("items"))
        entry = by_cat.setdefault(cat, [0, r.get("category_en") or ""])
        entry[0] += n
        if not entry[1] and r.get("category_en"):
            entry[1] = r["category_en"]
        by_bureau[r.get("bureau", "")] += n
        cat_bureaus[cat].add(r.get("bureau", ""))
        cells[(r.get("bureau", ""), cat)] += n
    cats = sorted(by_cat.items(), key=lambda kv: (-kv[1][0], kv[0]))
    top_cats = [{"category": c, "category_en": en, "items": n, "bureaus": len(cat_bureaus[c])}
                for c, (n, en) in cats[:TOP_CATEGORIES]]
    bureaus = sorted(by_bureau.items(), key=lambda kv: (-kv[1], kv[0]))
    top_bureaus = [{"bureau": b, "items": n} for b, n in bureaus[:TOP_BUREAUS]]
    keep_b = {b["bureau"] for b in top_bureaus}
    keep_c = {c["category"] for c in top_cats}
    matrix = [{"bureau": b, "category": c if c in keep_c else "", "items": n}
              for (b, c), n in sorted(cells.items()) if b in keep_b]
    # categories outside the top ones are summed into one cell per bureau ("" = other)
    merged: dict[tuple[str, str], int] = Counter()
    for m in matrix:
        merged[(m["bureau"], m["category"])] += m["items"]
    cell_rows = [{"bureau": b, "category": c, "items": n} for (b, c), n in sorted(merged.items())]
    return top_cats, top_bureaus, cell_rows, len(by_cat)


def top_sources(rows: list[dict[str, str]], titles_en: dict[str, str] | None = None) -> list[dict]:
    """From ``sources_by_usage`` rows (already most-cited first): the top ones, with English titles."""
    titles_en = titles_en or {}
    out = []
    for r in rows[:TOP_SOURCES]:
        work = r.get("work", "")
        out.append({"source": r.get("source", ""), "source_en": titles_en.get(work, ""), "work": work,
                    "items": _int(r.get("items")), "bureaus": _int(r.get("bureaus")),
                    "versions": _int(r.get("versionsCited"))})
    return out


def time_limits(rows: list[dict[str, str]]) -> tuple[list[dict], list[dict]]:
    """From ``time_limit_distribution`` rows: per kind of limit, and per (kind, length, unit, trigger)."""
    detail = []
    by_kind: dict[str, list] = {}
    for r in rows:
        n = _int(r.get("items"))
        label = r.get("kind", "")
        amount = r.get("amount", "")
        length = f"{amount}{r.get('unit', '')}" if amount else ""
        length_en = f"{amount} {r.get('unit_en', '')}".strip() if amount else ""
        detail.append({"kind": label, "kind_en": r.get("kind_en", ""), "length": length, "length_en": length_en,
                       "trigger": r.get("trigger", ""), "trigger_en": r.get("trigger_en", ""),
                       "items": n, "bureaus": _int(r.get("bureaus"))})
        entry = by_kind.setdefault(label, [0, r.get("kind_en", "")])
        entry[0] += n
    kinds = [{"kind": k, "kind_en": en, "items": n}
             for k, (n, en) in sorted(by_kind.items(), key=lambda kv: (-kv[1][0], kv[0]))]
    detail.sort(key=lambda d: (-d["items"], d["kind"], d["length"]))
    return kinds, detail


# --- validation ----------------------------------------------------------------------

def _status(violations: int, warnings: int) -> str:
    return "violations" if violations else "warnings" if warnings else "conforms"


def validation_summary(lists: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """Per bureau: lists, violations, warnings, infos, completeness and a status.

    ``lists`` are dicts with ``bureau``, ``present``, ``required`` and ``severities`` (one
    entry per problem: Violation, Warning or Info) — what ``summary_of_report`` and
    ``summary_of_json`` extract from a report or its JSON.
    """
    per: dict[str, dict[str, Any]] = {}
    for lr in lists:
        b = per.setdefault(lr["bureau"], {"bureau": lr["bureau"], "lists": 0, "violations": 0, "warnings": 0,
                                          "infos": 0, "present": 0, "required": 0})
        b["lists"] += 1
        b["present"] += int(lr.get("present") or 0)
        b["required"] += int(lr.get("required") or 0)
        sev = Counter(lr.get("severities") or ())
        b["violations"] += sev["Violation"]
        b["warnings"] += sev["Warning"]
        b["infos"] += sev["Info"]
    rows = []
    for b in per.values():
        b["completeness"] = round(b["present"] / b["required"], 4) if b["required"] else 1.0
        b["status"] = _status(b["violations"], b["warnings"])
        del b["present"], b["required"]
        rows.append(b)
    rows.sort(key=lambda b: (-b["violations"], -b["warnings"], -b["infos"], b["bureau"]))
    status = Counter(b["status"] for b in rows)
    return {
        "available": True,
        "bureaus_total": len(rows),
        "status": {k: status.get(k, 0) for k in ("conforms", "warnings", "violations")},
        "counts": {"Violation": sum(b["violations"] for b in rows), "Warning": sum(b["warnings"] for b in rows),
                   "Info": sum(b["infos"] for b in rows)},
        "bureaus": rows[:TOP_VALIDATION],
    }


def summary_of_report(report) -> dict[str, Any]:  # noqa: ANN001 - validate.Report
    return validation_summary({"bureau": lr.bureau, "present": lr.present, "required": lr.required,
                               "severities": [r.severity for r in lr.results]} for lr in report.lists)


def summary_of_json(doc: dict[str, Any]) -> dict[str, Any]:
    """The same summary from ``validation.json`` (``validation_report.render_json``)."""
    return validation_summary({"bureau": lr.get("bureau", ""), "present": lr.get("present"),
                               "required": lr.get("required"),
                               "severities": [r.get("severity") for r in lr.get("results") or ()]}
                              for lr in doc.get("lists") or ())


def _fresh(report: Path, graph: Path) -> bool:
    try:
        return report.stat().st_mtime_ns >= graph.stat().st_mtime_ns
    except OSError:
        return False


NOT_VALIDATED: dict[str, Any] = {"available": False}


def validation_of_build(settings: Settings) -> dict[str, Any]:
    """The summary of ``build/validation.json`` when it is at least as new as the graph."""
    path = settings.out_dir / VALIDATION_FILE
    if not _fresh(path, settings.out_dir / "kg.trig"):
        return dict(NOT_VALIDATED)
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return dict(NOT_VALIDATED)
    out = summary_of_json(doc)
    out["report"] = fingerprint(path)
    return out


# --- all together --------------------------------------------------------------------

def work_titles_en(settings: Settings) -> dict[str, str]:
    """Work IRI → English title, from the authority data (the graph's own titles are in Chinese)."""
    from .kg import registry
    from .rdf.iris import IRIs

    reg = registry(settings)
    if reg is None:
        return {}
    iris = IRIs(settings.base)
    out: dict[str, str] = {}
    for src in reg:
        chain = reg.versions(src)
        title = next((v.title_en for v in reversed(chain) if v.title_en), None)
        if title:
            out[str(reg.iri(chain[0], iris))] = title
    return out


def authority_works(settings: Settings) -> int:
    """How many legal works (version chains) the authority data describes."""
    from .kg import registry

    reg = registry(settings)
    return 0 if reg is None else len({reg.versions(s)[0].id for s in reg})


def compute(store: Store, library: Library, settings: Settings, *,
            validation: dict[str, Any] | None = None) -> dict[str, Any]:
    """Every figure of the overview, from the store (and a validation summary, if any)."""
    c = counts(store, library)
    cats, bureaus, cells, n_cats = categories(_rows(store, library, "items_per_category_per_bureau"))
    usage = _rows(store, library, "sources_by_usage")
    kinds, detail = time_limits(_rows(store, library, "time_limit_distribution"))
    c["legal_sources_cited"] = len(usage)
    c["legal_sources_known"] = authority_works(settings)
    c["categories"] = n_cats
    return {
        "schema": SCHEMA,
        "computed_at": settings.now().isoformat(),
        "graph": fingerprint(settings.out_dir / "kg.trig"),
        "triples": len(store),
        "counts": c,
        "categories": cats,
        "bureaus": bureaus,
        "category_by_bureau": cells,
        "top_sources": top_sources(usage, work_titles_en(settings)),
        "time_limit_kinds": kinds,
        "time_limits": detail,
        "validation": validation if validation is not None else dict(NOT_VALIDATED),
    }


def write_build_stats(settings: Settings, report=None, store: Store | None = None) -> Path:  # noqa: ANN001
    """Compute the statistics of the build in ``settings.out_dir`` and write ``stats.json``.

    The store is the embedded one (loaded from ``kg.trig`` if it is older than the build);
    the validation status is taken from ``report`` if given, else from ``validation.json``
    if it is as new as the graph. Raises ``StoreError`` when there is no built graph.
    """
    from .service import library, open_store

    if not (settings.out_dir / "kg.trig").exists():
        raise StoreError(f"{settings.out_dir / 'kg.trig'} does not exist: run `gongkai build` first")
    # a store opened here is read-only: nothing to flush, it closes when dropped
    store = store if store is not None else open_store(settings)
    if report is not None:
        validation = summary_of_report(report)
        validation["report"] = fingerprint(settings.out_dir / VALIDATION_FILE)
    else:
        validation = validation_of_build(settings)
    doc = compute(store, library(settings), settings, validation=validation)
    return write_stats(doc, stats_path(settings))


__all__ = ["STATS_FILE", "SCHEMA", "stats_path", "read_stats", "write_stats", "is_current", "compute",
           "counts", "categories", "top_sources", "time_limits", "validation_summary", "summary_of_report",
           "summary_of_json", "validation_of_build", "write_build_stats", "fingerprint"]
