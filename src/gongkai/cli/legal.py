"""`gongkai legal list` and `gongkai legal trace QUERY`: legal sources and the items relying on them."""

from __future__ import annotations

from collections import defaultdict
from contextlib import AbstractContextManager

import typer
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
    """Every legal source in data/authorities with its type, document number, versions, and how
    many items and bureaus (in build/) cite it."""
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
    for col in ("source", "type", "doc number", "versions", "in force", "items", "bureaus"):
        table.add_column(col, overflow="fold")
    seen = set()
    rows = []
    for src in reg:
        chain = reg.versions(src)
        work = chain[0]
        if work.id in seen:
            continue
        seen.add(work.id)
        items, bureaus = counts.get(str(reg.iri(work, iris)), (0, 0))
        if used_only and not items:
            continue
        latest = chain[-1]
        years = ", ".join(str(v.year) for v in chain if v.year) if len(chain) > 1 else ""
        rows.append((-items, latest.title, [f"《{latest.title}》", latest.type_zh, latest.doc_number or "",
                                            years, str(latest.in_force or ""), str(items), str(bureaus)]))
    for _, _, r in sorted(rows):
        table.add_row(*r)
    out.print(table)


@legal_app.command("trace")
def legal_trace(
    query: str = typer.Argument(...,
        help="A title (政府信息公开条例), an alias (预算法), a document number (国办发〔2018〕10号) "
             "or pinyin initials (zfxxgktl)."),
    base: str = BaseOpt,
    all_matches: bool = typer.Option(False, "--all", help="Trace every matching source, not only the best match."),
    timeout: float = TimeoutOpt,
) -> None:
    """The items, across all bureaus, that rely on a legal source — any of its versions — with the
    version cited and the article pinpoint."""
    from gongkai.legal.registry import registry
    from gongkai.legal.search import search
    from gongkai.query.run import run_query
    from gongkai.rdf.iris import IRIs

    settings = settings_from(base)
    reg = registry(settings)
    if reg is None:
        raise fail(f"no authority data in {settings.authorities_dir}")
    found = search(reg, query)
    if not found:
        raise fail(f"no legal source matches {query!r}: try a title, an alias, a document number "
                   "or pinyin initials (`gongkai legal list` shows them all)", code=1)
    if not all_matches:
        found = found[:1]
    try:
        store, lib = _store_and_library(settings)
        q = lib.get("items_relying_on_source")
        iris = IRIs(settings.base)
        for work, how in found:
            chain = reg.versions(work)
            latest = chain[-1]
            with _limited(timeout):
                res = run_query(store, q, {"source": str(reg.iri(work, iris))}, allow_service=settings.service_hosts)
            header = f"《{latest.title}》"
            if latest.doc_number:
                header += f" {latest.doc_number}"
            if len(chain) > 1:
                header += f" — {len(chain)} versions ({', '.join(str(v.year) for v in chain if v.year)})"
            by_bureau: dict[tuple[str, str], list] = defaultdict(list)
            for r in res.rows:
                by_bureau[(str(r["bureau"]), str(r.get("listDate", "")))].append(r)
            n_items = len({str(r["itemIri"]) for r in res.rows})
            n_bureaus = len({b for b, _ in by_bureau})
            out.print(f"[bold]{header}[/] (matched by {how}): {n_items} item{'s' * (n_items != 1)} in "
                      f"{n_bureaus} bureau{'s' * (n_bureaus != 1)}", highlight=False)
            for (bureau, date), rows in sorted(by_bureau.items()):
                out.print(f"  [bold]{bureau}[/] {date or 'undated'}", highlight=False)
                for r in sorted(rows, key=lambda r: int(r["number"])):
                    article = f" {r['article']}" if "article" in r else ""
                    out.print(f"    {r['number']:>3}  {r['item']} — {r['version']}{article}  "
                              f"[dim]({r['citation']})[/]", highlight=False)
    except GongkaiError as e:
        raise fail(str(e)) from e
