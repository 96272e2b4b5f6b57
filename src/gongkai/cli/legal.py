"""`gongkai legal list` and `gongkai legal trace QUERY`: legal sources and the items relying on them."""

from __future__ import annotations

import csv
import io
import json
import sys
from collections import defaultdict
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import typer
from rich.markup import escape
from rich.table import Table

from gongkai.cli.common import BaseOpt, app, err, fail, out, settings_from, store_progress
from gongkai.errors import GongkaiError

# The package is imported inside each command, not here: `gongkai --help` and a mistyped
# option answer in 0.2 s instead of 0.8 s (rdflib, pyoxigraph and the readers load only
# for the command that needs them).

legal_app = typer.Typer(help="Legal sources (法规): the registry, and which items rely on which regulation, "
                             "version and article.",
                        no_args_is_help=True)
app.add_typer(legal_app, name="legal")


TimeoutOpt = typer.Option(30.0, "--timeout", envvar="GONGKAI_QUERY_TIMEOUT",
                          help="Seconds a query may run before it is stopped (exit 2).")


def _store_and_library(settings):
    from gongkai.query.library import library
    from gongkai.store.lifecycle import open_store

    with store_progress() as progress:
        return open_store(settings, progress=progress), library(settings)


def _limited(timeout: float) -> AbstractContextManager[None]:
    """The time limit on the queries of a command: past it, the process ends with exit 2."""
    from gongkai.store.guard import time_limit

    if timeout <= 0:
        raise fail("--timeout must be more than 0 seconds")
    return time_limit(timeout, say=lambda m: err.print(f"[bold red]error:[/] {m}", highlight=False))


@legal_app.command("list")
def legal_list(
    base: str = BaseOpt,
    used_only: bool = typer.Option(False, "--used", help="Only sources cited by at least one item."),
    timeout: float = TimeoutOpt,
) -> None:
    """Every legal source in data/authorities with its IRI (what `gongkai query … -p source=` takes), type,
    document number, versions, and how many items and bureaus (in build/) cite it."""
    from gongkai.legal.registry import registry
    from gongkai.query.run import run_query
    from gongkai.rdf.iris import IRIs

    settings = settings_from(base)
    reg = registry(settings)
    if reg is None:
        raise fail(f"no authority data in {settings.authorities_dir}")
    try:
        store, lib = _store_and_library(settings)
        with _limited(timeout):
            usage = run_query(store, lib.get("sources_by_usage"), allow_service=settings.service_hosts)
    except GongkaiError as e:
        raise fail(str(e)) from e
    counts = {str(r["work"]): (int(str(r["items"])), int(str(r["bureaus"]))) for r in usage.rows}
    iris = IRIs(settings.base)
    table = Table(title=f"法规 legal sources ({len(reg)} versions)")
    for col in ("source", "IRI", "type", "doc number", "versions", "in force", "items", "bureaus"):
        table.add_column(col, overflow="fold")
    seen = set()
    rows = []
    for src in reg:
        chain = reg.versions(src)
        work = chain[0]
        if work.id in seen:
            continue
        seen.add(work.id)
        items, bureaus = counts.get(str(reg.work_iri(work, iris)), (0, 0))
        if used_only and not items:
            continue
        latest = chain[-1]
        years = ", ".join(str(v.year) for v in chain if v.year) if len(chain) > 1 else ""
        rows.append((-items, latest.title, [f"《{latest.title}》", str(reg.work_iri(work, iris)), latest.type_zh,
                                            latest.doc_number or "",
                                            years, str(latest.in_force or ""), str(items), str(bureaus)]))
    for _, _, r in sorted(rows):
        table.add_row(*r)
    out.print(table)


@legal_app.command("trace")
def legal_trace(
    query: str = typer.Argument(...,
        help="A title (政府信息公开条例), an alias (预算法), an English title (Budget Law), a document number "
             "(国务院令第492号: that version only), a version's IRI, or pinyin initials (zfxxgktl)."),
    base: str = BaseOpt,
    all_matches: bool = typer.Option(False, "--all", help="Trace every matching source, not only the best match."),
    work: bool = typer.Option(False, "--work", help="Widen a version trace (a document number or IRI) to the "
                                                    "whole work, all versions."),
    fmt: str = typer.Option("table", "--format", "-f", help="table, csv or json (CSV and JSON carry the IRIs)."),
    output: Path | None = typer.Option(None, "-o", "--output", help="Write the trace to this file."),
    timeout: float = TimeoutOpt,
) -> None:
    """The items, across all bureaus, that rely on a legal source, one row per item, with the
    version cited and the article pinpoint. A title or alias traces the work (all versions); a
    document number or a version's IRI that version only, listing the items of undated lists
    as "may rely on this version" (版本未定)."""
    from gongkai.legal.registry import registry
    from gongkai.legal.search import targets
    from gongkai.query.run import run_query
    from gongkai.query.trace import heading, trace_rows
    from gongkai.rdf.iris import IRIs

    if fmt not in ("table", "csv", "json"):
        raise fail(f"--format must be one of table, csv, json, not {fmt!r}")
    settings = settings_from(base)
    reg = registry(settings)
    if reg is None:
        raise fail(f"no authority data in {settings.authorities_dir}")
    iris = IRIs(settings.base)
    found = targets(reg, query, iris)
    if not found:
        raise fail(f"no legal source matches {query!r}: try a title, an alias, a document number "
                   "or pinyin initials (`gongkai legal list` shows them all)", code=1)
    if not all_matches:
        found = found[:1]
    traces = []
    try:
        store, lib = _store_and_library(settings)
        q = lib.get("items_relying_on_source")
        for t in found:
            version = None if work else t.version
            with _limited(timeout):
                res = run_query(store, q, {"source": str(reg.work_iri(t.work, iris))},
                                allow_service=settings.service_hosts)
            rows = trace_rows(res.rows, str(reg.iri(version, iris)) if version is not None else None)
            traces.append((heading(reg, t.work, version, t.how), t, rows))
    except GongkaiError as e:
        raise fail(str(e)) from e
    text = _render_trace(traces, fmt, reg, iris)
    if output is not None:
        try:
            output.parent.mkdir(parents=True, exist_ok=True)
            output.write_text(text, encoding="utf-8-sig" if fmt == "csv" else "utf-8", newline="")
        except OSError as e:
            raise fail(f"{output}: cannot write: {e.strerror or e}") from e
        n = sum(len(rows) for _, _, rows in traces)
        err.print(f"{n} item{'s' * (n != 1)} written to {output}", highlight=False)
    elif fmt == "table":
        quotes = _article_quotes(settings, reg, iris, [t for _, t, _ in traces])
        for title, t, rows in traces:
            _print_trace(title, rows, version=t.version is not None and not work, quotes=quotes)
    else:
        sys.stdout.write(text)


def _render_trace(traces: list, fmt: str, reg: Any, iris: Any) -> str:
    """The trace as CSV (one row per item, the source in its first columns) or JSON, or as
    plain text for a file when ``fmt`` is table."""
    from gongkai.query.trace import COLUMNS

    if fmt == "json":
        return json.dumps([{"heading": title, "work_iri": str(reg.work_iri(t.work, iris)),
                            "version_iri": str(reg.iri(t.version, iris)) if t.version else None,
                            "items": [r.record() for r in rows]} for title, t, rows in traces],
                          ensure_ascii=False, indent=2) + "\n"
    buf = io.StringIO()
    if fmt == "csv":
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(("source", *COLUMNS))
        for _title, t, rows in traces:
            source = f"《{reg.versions(t.work)[-1].title}》"
            for r in rows:
                rec = r.record()
                writer.writerow((source, *(rec[c] for c in COLUMNS)))
        return buf.getvalue()
    for title, _t, rows in traces:
        buf.write(title + "\n")
        for r in rows:
            rec = r.record()
            buf.write("\t".join(str(rec[c]) for c in COLUMNS) + "\n")
    return buf.getvalue()


def _article_quotes(settings: Any, reg: Any, iris: Any, found: list) -> Callable[[Any], list[str]]:
    """For a trace row: the text of each article it pins, when it relies on one version whose
    text the project holds (an item whose version is undetermined gets none: which version's
    article it cites is not known)."""
    from gongkai.legal.articles import law_texts, pinpoint_article
    from gongkai.query.trace import RELIES

    texts = law_texts(settings)
    by_iri = {str(reg.iri(v, iris)): v.id for t in found for v in reg.versions(t.work)}

    def quotes(row: Any) -> list[str]:
        if row.relation != RELIES or len(row.version_iris) != 1:
            return []
        law = texts.get(by_iri.get(row.version_iris[0], ""))
        if law is None:
            return []
        arts = [law.article(n) for a in row.articles if (n := pinpoint_article(a)) is not None]
        return [f"{a.label}　{a.text}" for a in arts if a is not None]

    return quotes


def _print_trace(title: str, rows: list, *, version: bool,
                 quotes: Callable[[Any], list[str]] | None = None) -> None:
    from gongkai.query.trace import MAY_RELY, RELATION_WORDS

    n_items = len(rows)
    n_bureaus = len({r.bureau for r in rows})
    maybe = sum(1 for r in rows if r.relation == MAY_RELY)
    words = RELATION_WORDS[MAY_RELY][1] if version else "with the version undetermined (版本未定, undated lists)"
    extra = f", {maybe} of them {words}" if maybe else ""
    out.print(f"[bold]{title}[/]: {n_items} item{'s' * (n_items != 1)} in "
              f"{n_bureaus} bureau{'s' * (n_bureaus != 1)}{extra}", highlight=False)
    by_bureau: dict[tuple[str, str], list] = defaultdict(list)
    for r in rows:
        by_bureau[(r.bureau, r.list_date)].append(r)
    for (bureau, date), group in sorted(by_bureau.items()):
        out.print(f"  [bold]{bureau}[/] {date or 'undated'}", highlight=False)
        for r in group:
            article = f" {', '.join(r.articles)}" if r.articles else ""
            may = f" [yellow]({RELATION_WORDS[MAY_RELY][0]})[/]" if r.relation == MAY_RELY else ""
            out.print(f"    {r.number:>3}  {r.item} — {'; '.join(r.versions)}{article}{may}  "
                      f"[dim]({'; '.join(r.citations)})[/]", highlight=False)
            for quote in quotes(r) if quotes else []:
                out.print(f"         [italic]> {escape(quote)}[/]", highlight=False)
