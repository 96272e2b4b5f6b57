"""Overview statistics of a build, computed once and written to ``build/stats.json``.

The app's overview shows counts and charts over the whole graph: items per category and
bureau, the most cited legal sources, the distribution of time limits, the validation
status of each bureau. Over ten thousand bureaus the queries behind them take seconds,
which a page that must draw in well under two seconds cannot spend on every visit; so
they run when the graph is built (``gongkai build``), and again after the app imports a
list, and the page only reads the file.

The figures are counted on the store (any backend: the embedded one at build time, a
remote endpoint when the app serves one) by a few aggregate queries that stay linear in
the number of lists (see "computing" below); they answer the questions of the library's
``dataset_statistics``, ``items_per_category_per_bureau``, ``sources_by_usage`` and
``time_limit_distribution``, and a test holds them to the same figures. The validation
status comes from the validation report (``validate.Report``, or the ``validation.csv``
and ``completeness.csv`` that ``gongkai build`` writes beside the graph).

Charts cannot show ten thousand bars: the lists kept here are bounded (the ``TOP_*``
limits), with the totals kept beside them so that nothing is silently dropped.
"""

from __future__ import annotations

import csv
import json
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gongkai.build_folder import write_atomic
from gongkai.errors import StoreError
from gongkai.legal.registry import registry
from gongkai.rdf.iris import IRIs
from gongkai.rdf.namespaces import GK, TIME
from gongkai.rdf.namespaces import PREFIXES as PREFIX_NAMESPACES
from gongkai.rdf.vocabulary import Vocabularies
from gongkai.settings import Settings
from gongkai.store.base import Store
from gongkai.store.lifecycle import open_store
from gongkai.validation.results import SEVERITY_WORDS, Report

if TYPE_CHECKING:
    from gongkai.store.lifecycle import Progress

STATS_FILE = "stats.json"
VALIDATION_FILE = "validation.csv"      # written by `gongkai build` with completeness.csv
COMPLETENESS_FILE = "completeness.csv"
SCHEMA = 1

TOP_BUREAUS = 30        # bureaus in the items-per-bureau chart (most items first)
TOP_CATEGORIES = 15     # level-1 categories in the charts (most items first)
TOP_SOURCES = 20        # legal sources in the top-sources chart
TOP_VALIDATION = 40     # bureaus in the validation-status chart (most problems first)



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
    return write_atomic(path, json.dumps(doc, ensure_ascii=False, indent=1) + "\n")


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
# The queries below run once per build over every list, so they are written to stay
# linear in the number of lists: each pattern is read inside one list's named graph
# (``GRAPH ?list``), where everything about the list is, and labels are attached
# afterwards in Python from the vocabularies and the authority data. Joining labels in
# the union of all graphs instead would repeat every item once per list that repeats the
# label (a bureau's or an unresolved source's name is written into each list naming it):
# quadratic, hours at ten thousand lists. They return IRIs and counts, not the labelled
# rows of the query library, which is why they live here and not in ``queries/``.

PREFIXES = "".join(f"PREFIX {p}: <{PREFIX_NAMESPACES[p]}>\n" for p in ("gk", "dcterms", "skos", "eli", "time"))

Q_LISTS = PREFIXES + """SELECT (COUNT(DISTINCT ?list) AS ?lists) WHERE { GRAPH ?list { ?list a gk:DisclosureList } }"""

Q_CATEGORIES = PREFIXES + """SELECT ?org (MIN(?label) AS ?bureau) ?cat (MIN(STR(?text)) AS ?written)
       (COUNT(DISTINCT ?item) AS ?items)
WHERE {
  GRAPH ?list {
    ?list a gk:DisclosureList ; dcterms:publisher ?org ; gk:hasItem ?item .
    OPTIONAL { ?org skos:prefLabel ?label FILTER(LANG(?label) = "zh") }
    OPTIONAL { ?item gk:category ?cat }
    OPTIONAL { ?item gk:categoryText ?text }
  }
}
GROUP BY ?org ?cat"""

Q_CITATIONS = PREFIXES + """SELECT ?resolved (COUNT(DISTINCT ?c) AS ?n)
WHERE { GRAPH ?list { ?list a gk:DisclosureList . ?item gk:inList ?list ; gk:citation ?c .
                      OPTIONAL { ?c gk:resolved ?r } }
        BIND(COALESCE(?r, false) AS ?resolved) }
GROUP BY ?resolved"""

Q_SOURCES = PREFIXES + """SELECT ?cited ?open (MIN(STR(?own)) AS ?title) (COUNT(DISTINCT ?item) AS ?items)
WHERE {
  GRAPH ?list {
    ?list a gk:DisclosureList .
    ?item gk:inList ?list ; gk:reliesOn ?cited .
    OPTIONAL { ?cited eli:title ?own }
  }
  # the work cited with its version undetermined (an undated list): stated in the authorities
  BIND(EXISTS { ?cited a gk:LegalWork } AS ?open)
}
GROUP BY ?cited ?open"""

Q_SOURCE_BUREAUS = PREFIXES + """SELECT DISTINCT ?cited ?org
WHERE { GRAPH ?list { ?list a gk:DisclosureList ; dcterms:publisher ?org .
                      ?item gk:inList ?list ; gk:reliesOn ?cited } }"""

Q_TIME_LIMITS = PREFIXES + """SELECT ?kind ?amount ?unit ?trigger (COUNT(DISTINCT ?item) AS ?items)
       (COUNT(DISTINCT ?org) AS ?bureaus)
WHERE {
  GRAPH ?list {
    ?list a gk:DisclosureList ; dcterms:publisher ?org .
    ?item gk:inList ?list ; gk:timeLimit ?tl .
    OPTIONAL { ?tl gk:limitKind ?kind }
    OPTIONAL { ?tl gk:duration ?d . ?d time:numericDuration ?amount ; time:unitType ?unit }
    OPTIONAL { ?tl gk:trigger ?trigger }
  }
}
GROUP BY ?kind ?amount ?unit ?trigger"""

#: units of a period (OWL-Time's and the ontology's working day), in words
UNITS = {
    str(GK.WorkingDay): ("个工作日", "working days"),
    str(TIME.unitDay): ("日", "days"),
    str(TIME.unitWeek): ("周", "weeks"),
    str(TIME.unitMonth): ("个月", "months"),
    str(TIME.unitYear): ("年", "years"),
}
_NONE = ("（无）", "(none)")


def _select(store: Store, sparql: str) -> list[dict[str, str]]:
    res = store.select(sparql)
    return [{k: str(v) for k, v in r.items()} for r in res.rows]


def _int(value: str | None) -> int:
    try:
        return int(float(value or 0))
    except ValueError:
        return 0


@dataclass
class Labels:
    """Words for the IRIs the statistics queries return: concepts from the SKOS
    vocabularies, legal works from the authority data."""

    concepts: dict[str, dict[str, str]]
    works: dict[str, tuple[str, str, str]]     # a version's or work's IRI → (work IRI, title zh, title en)

    @classmethod
    def of(cls, settings: Settings) -> Labels:
        vocab = Vocabularies.from_dir(settings.ontology_dir / "vocab")
        concepts = {str(c): dict(labels) for sch in vocab.schemes.values() for c, labels in sch.pref.items()}
        works: dict[str, tuple[str, str, str]] = {}
        reg = registry(settings)
        if reg is not None:
            iris = IRIs(settings.base)
            for src in reg:
                chain = reg.versions(src)
                latest = chain[-1]
                title_en = next((v.title_en for v in reversed(chain) if v.title_en), "") or ""
                work = str(reg.work_iri(src, iris))
                works[str(reg.iri(src, iris))] = works[work] = (work, f"《{latest.title}》", title_en)
        return cls(concepts, works)

    def concept(self, iri: str | None, lang: str) -> str:
        labels = self.concepts.get(iri or "") or {}
        return labels.get(lang) or ""


def categories(rows: list[dict[str, str]], labels: Labels) -> tuple[list[dict], list[dict], list[dict], int, int, int]:
    """From ``Q_CATEGORIES`` rows (organisation × category): the categories (most items
    first), the bureaus (most items first), the category × bureau cells of the top ones,
    and how many categories, bureaus and items there are in all."""
    by_cat: dict[str, list] = {}
    by_bureau: Counter[str] = Counter()
    names: dict[str, str] = {}
    cat_bureaus: dict[str, set[str]] = defaultdict(set)
    cells: dict[tuple[str, str], int] = Counter()
    for r in rows:
        org = r.get("org", "")
        name = r.get("bureau") or org
        names[org] = min(names.get(org, name), name)
        cat = labels.concept(r.get("cat"), "zh") or r.get("written") or _NONE[0]
        n = _int(r.get("items"))
        entry = by_cat.setdefault(cat, [0, labels.concept(r.get("cat"), "en") or (_NONE[1] if cat == _NONE[0] else "")])
        entry[0] += n
        by_bureau[org] += n
        cat_bureaus[cat].add(org)
        cells[(org, cat)] += n
    cats = sorted(by_cat.items(), key=lambda kv: (-kv[1][0], kv[0]))
    top_cats = [{"category": c, "category_en": en, "items": n, "bureaus": len(cat_bureaus[c])}
                for c, (n, en) in cats[:TOP_CATEGORIES]]
    bureaus = sorted(by_bureau.items(), key=lambda kv: (-kv[1], names[kv[0]]))
    top_bureaus = [{"bureau": names[b], "items": n} for b, n in bureaus[:TOP_BUREAUS]]
    keep_b = {b for b, _ in bureaus[:TOP_BUREAUS]}
    keep_c = {c["category"] for c in top_cats}
    merged: dict[tuple[str, str], int] = Counter()
    for (b, c), n in cells.items():
        if b in keep_b:  # categories outside the top ones are summed into one cell ("" = other)
            merged[(names[b], c if c in keep_c else "")] += n
    cell_rows = [{"bureau": b, "category": c, "items": n} for (b, c), n in sorted(merged.items())]
    return top_cats, top_bureaus, cell_rows, len(by_cat), len(by_bureau), sum(by_bureau.values())


def top_sources(rows: list[dict[str, str]], pairs: list[dict[str, str]], labels: Labels) -> tuple[list[dict], int]:
    """Legal works (versions merged) by the items citing them, with the bureaus citing
    them: from ``Q_SOURCES`` and ``Q_SOURCE_BUREAUS``. Also how many works are cited."""
    work_of = {r["cited"]: labels.works.get(r["cited"], (r["cited"], "", ""))[0] for r in rows}
    items: Counter[str] = Counter()
    versions: dict[str, set[str]] = defaultdict(set)
    title: dict[str, tuple[str, str]] = {}
    for r in rows:
        work = work_of[r["cited"]]
        items[work] += _int(r.get("items"))   # an item citing two versions of one work counts twice
        if r.get("open") != "true":         # the work cited with its version undetermined is no version
            versions[work].add(r["cited"])
        known = labels.works.get(r["cited"])
        title[work] = (known[1], known[2]) if known else (f"《{r['title']}》" if r.get("title") else work, "")
    bureaus: dict[str, set[str]] = defaultdict(set)
    for p in pairs:
        bureaus[work_of.get(p["cited"], p["cited"])].add(p["org"])
    ranked = sorted(items, key=lambda w: (-items[w], -len(bureaus[w]), title[w][0]))
    return [{"source": title[w][0], "source_en": title[w][1], "work": w, "items": items[w],
             "bureaus": len(bureaus[w]), "versions": len(versions[w])} for w in ranked[:TOP_SOURCES]], len(items)


def time_limits(rows: list[dict[str, str]], labels: Labels) -> tuple[list[dict], list[dict], int]:
    """From ``Q_TIME_LIMITS`` rows: per kind of limit, per (kind, length, trigger), and the
    number of items with a time limit."""
    detail: list[dict[str, Any]] = []
    by_kind: dict[str, list] = {}
    for r in rows:
        n = _int(r.get("items"))
        kind = labels.concept(r.get("kind"), "zh") or _NONE[0]
        kind_en = labels.concept(r.get("kind"), "en") or _NONE[1]
        unit = UNITS.get(r.get("unit", ""), ("", ""))
        amount = r.get("amount", "")
        amount = str(_int(amount)) if amount else ""
        detail.append({"kind": kind, "kind_en": kind_en,
                       "length": f"{amount}{unit[0]}" if amount else "",
                       "length_en": f"{amount} {unit[1]}" if amount else "",
                       "trigger": labels.concept(r.get("trigger"), "zh"),
                       "trigger_en": labels.concept(r.get("trigger"), "en"),
                       "items": n, "bureaus": _int(r.get("bureaus"))})
        entry = by_kind.setdefault(kind, [0, kind_en])
        entry[0] += n
    kinds = [{"kind": k, "kind_en": en, "items": n}
             for k, (n, en) in sorted(by_kind.items(), key=lambda kv: (-kv[1][0], kv[0]))]
    detail.sort(key=lambda d: (-d["items"], d["kind"], d["length"]))
    return kinds, detail, sum(d["items"] for d in detail)


# --- validation ----------------------------------------------------------------------

def _status(violations: int, warnings: int) -> str:
    return "violations" if violations else "warnings" if warnings else "conforms"


def validation_summary(lists: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """Per bureau: lists, violations, warnings, infos, completeness and a status.

    ``lists`` are dicts with ``bureau``, ``present``, ``required`` and ``severities`` (one
    entry per problem: Violation, Warning or Info) — what ``summary_of_report`` and
    ``summary_of_csv`` extract from a report or its CSV files.
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


def summary_of_report(report: Report) -> dict[str, Any]:
    return validation_summary({"bureau": lr.bureau, "present": lr.present, "required": lr.required,
                               "severities": [r.severity for r in lr.results]} for lr in report.lists)


def summary_of_csv(problems: Path, completeness: Path) -> dict[str, Any]:
    """The same summary from the CSV reports ``gongkai build`` writes beside the graph
    (``validation_report.render_csv`` and ``render_completeness_csv``, in either language).

    Read row by row: over ten thousand lists the problems run to hundreds of thousands,
    which the JSON report would have to hold in memory at once. Columns are read by
    position (their headers are in the report's language); problems of the authority data
    have no list and belong to no bureau.
    """
    severity_of = {w: sev for sev, words in SEVERITY_WORDS.items() for w in (sev, *words)}
    lists: dict[str, dict[str, Any]] = {}
    with open(completeness, encoding="utf-8-sig", newline="") as f:
        rows = csv.reader(f)
        next(rows, None)
        for r in rows:
            if len(r) >= 7 and r[2]:                     # a list's row (bureau rows have no list)
                lists[r[2]] = {"bureau": r[1], "present": _int(r[5]), "required": _int(r[6]), "severities": []}
    with open(problems, encoding="utf-8-sig", newline="") as f:
        rows = csv.reader(f)
        next(rows, None)
        for r in rows:
            if len(r) >= 7 and r[1]:
                lr = lists.setdefault(r[1], {"bureau": r[0], "present": 0, "required": 0, "severities": []})
                lr["severities"].append(severity_of.get(r[6], r[6]))
    return validation_summary(lists.values())


def _fresh(report: Path, graph: Path) -> bool:
    try:
        return report.stat().st_mtime_ns >= graph.stat().st_mtime_ns
    except OSError:
        return False


NOT_VALIDATED: dict[str, Any] = {"available": False}


def validation_of_build(settings: Settings) -> dict[str, Any]:
    """The summary of the build's validation reports when they are at least as new as the graph."""
    path = settings.out_dir / VALIDATION_FILE
    completeness = settings.out_dir / COMPLETENESS_FILE
    graph = settings.out_dir / "kg.trig"
    if not (_fresh(path, graph) and _fresh(completeness, graph)):
        return dict(NOT_VALIDATED)
    try:
        out = summary_of_csv(path, completeness)
    except (OSError, UnicodeDecodeError, csv.Error):
        return dict(NOT_VALIDATED)
    out["report"] = fingerprint(path)
    return out


# --- all together --------------------------------------------------------------------

def compute(store: Store, settings: Settings, *, validation: dict[str, Any] | None = None) -> dict[str, Any]:
    """Every figure of the overview, from the store (and a validation summary, if any)."""
    labels = Labels.of(settings)
    cats, bureaus, cells, n_cats, n_bureaus, n_items = categories(_select(store, Q_CATEGORIES), labels)
    sources, n_works = top_sources(_select(store, Q_SOURCES), _select(store, Q_SOURCE_BUREAUS), labels)
    kinds, detail, n_limits = time_limits(_select(store, Q_TIME_LIMITS), labels)
    cited = {r.get("resolved"): _int(r.get("n")) for r in _select(store, Q_CITATIONS)}
    lists = _select(store, Q_LISTS)
    c = {
        "lists": _int(lists[0].get("lists")) if lists else 0,
        "bureaus": n_bureaus,
        "items": n_items,
        "citations": sum(cited.values()),
        "resolved_citations": cited.get("true", 0),
        "time_limits": n_limits,
        "categories": n_cats,
        "legal_sources_cited": n_works,
        "legal_sources_known": len({w for w, _, _ in labels.works.values()}),
    }
    return {
        "schema": SCHEMA,
        "computed_at": settings.now().isoformat(),
        "graph": fingerprint(settings.out_dir / "kg.trig"),
        "triples": len(store),
        "counts": c,
        "categories": cats,
        "bureaus": bureaus,
        "category_by_bureau": cells,
        "top_sources": sources,
        "time_limit_kinds": kinds,
        "time_limits": detail,
        "validation": validation if validation is not None else dict(NOT_VALIDATED),
    }


def write_build_stats(settings: Settings, report: Report | None = None, store: Store | None = None,
                      progress: Progress | None = None) -> Path:
    """Compute the statistics of the build in ``settings.out_dir`` and write ``stats.json``.

    The store is the embedded one (loaded from ``kg.trig`` if it is older than the build,
    telling ``progress`` as ``service.load_embedded`` does);
    the validation status is taken from ``report`` if given, else from ``validation.csv``
    if it is as new as the graph. Raises ``StoreError`` when there is no built graph.
    """
    if not (settings.out_dir / "kg.trig").exists():
        raise StoreError(f"{settings.out_dir / 'kg.trig'} does not exist: run `gongkai build` first")
    # a store opened here is read-only: nothing to flush, it closes when dropped
    store = store if store is not None else open_store(settings, progress=progress)
    if report is not None:
        validation = summary_of_report(report)
        validation["report"] = fingerprint(settings.out_dir / VALIDATION_FILE)
    else:
        validation = validation_of_build(settings)
    doc = compute(store, settings, validation=validation)
    return write_stats(doc, stats_path(settings))


__all__ = [
    "SCHEMA",
    "STATS_FILE",
    "Labels",
    "categories",
    "compute",
    "fingerprint",
    "is_current",
    "read_stats",
    "stats_path",
    "summary_of_csv",
    "summary_of_report",
    "time_limits",
    "top_sources",
    "validation_of_build",
    "validation_summary",
    "write_build_stats",
    "write_stats",
]
