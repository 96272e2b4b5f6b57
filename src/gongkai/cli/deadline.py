"""`gongkai deadline`: due dates of items, the yearly deadlines ahead, and the overdue check.

    gongkai deadline --bureau NAME --item N --event-date YYYY-MM-DD   an item's due date, explained
    gongkai deadline --time-limit TEXT --event-date YYYY-MM-DD        a time limit typed in
    gongkai deadline --upcoming --from DATE [--to DATE]               fixed yearly due dates ahead
    gongkai deadline check RECORDS.csv                                publication records: late or missing?

Thin: the answers come from ``gongkai.deadlines.catalogue`` and ``gongkai.deadlines``; this module
reads options, prints, and turns errors into a message and exit code 2.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from gongkai.cli.common import BaseOpt, app, err, fail, settings_from, store_progress
from gongkai.errors import GongkaiError
from gongkai.settings import Settings

if TYPE_CHECKING:
    from gongkai.deadlines.calendar import WorkCalendar
    from gongkai.deadlines.catalogue import Catalogue
    from gongkai.store.base import Result

# The package is imported inside each command, not here: `gongkai --help` and a mistyped
# option answer in 0.2 s instead of 0.8 s (rdflib, pyoxigraph and the readers load only
# for the command that needs them).

deadline_app = typer.Typer(
    help=(
        "时限 Deadlines: when an item's time limit falls due on the Chinese working-day calendar "
        "(holidays and 调休 make-up working days), explained day by day.\n\n"
        "`gongkai deadline --bureau NAME --item N --event-date 2026-09-28` — an item's due date "
        "(the bureau's latest list unless --list).\n\n"
        "`gongkai deadline --time-limit 形成之日起5个工作日内 --event-date 2026-09-28` — a time limit typed in.\n\n"
        "`gongkai deadline --upcoming --from 2026-01-01 [--to 2026-12-31]` — every fixed yearly due date "
        "(每年1月31日前 …), sorted by date.\n\n"
        "`gongkai deadline check RECORDS.csv` — publication records: on time, late or missing.\n\n"
        "Years with no published holiday arrangement keep the statutory holidays of the law "
        "(《全国年节及纪念日放假办法》, 2024 revision) and are otherwise counted Monday–Friday, without the "
        "unknown 调休 make-up days, and marked PROVISIONAL; give the arrangement with --calendar FILE "
        "(CSV date,type[,name] or .ics)."
    ),
    invoke_without_command=True,
)
app.add_typer(deadline_app, name="deadline")

FORMATS = ("text", "json", "ics", "csv")
LANGS = ("zh", "en")

CalendarOpt = typer.Option(None, "--calendar", help="A calendar file (CSV date,type[,name] or iCalendar .ics) "
                           "with holidays and working days; it takes precedence. Repeat for several files.")
LangOpt = typer.Option("zh", "--lang", help="Language of the output: zh or en.")
TodayOpt = typer.Option(None, "--today", help="The date taken as today (default: today in China), "
                        "for reproducible answers.")


# --- helpers --------------------------------------------------------------------

def _date(value: str | None, option: str) -> dt.date | None:
    from gongkai.deadlines.catalogue import parse_date

    if value is None:
        return None
    d = parse_date(value)
    if d is None:
        raise fail(f"{option}: not a date: {value!r} (expected YYYY-MM-DD)")
    return d


def _choice(value: str, allowed: tuple[str, ...], option: str) -> str:
    v = value.strip().lower()
    if v not in allowed:
        raise fail(f"{option}: {value!r} is not one of {', '.join(allowed)}")
    return v


def _calendar(paths: list[Path] | None) -> WorkCalendar:
    from gongkai.deadlines.calendar import official_calendar

    try:
        return official_calendar(settings_from().data_dir, paths or [])
    except GongkaiError as e:
        raise fail(str(e)) from e


def _catalogue(base: str) -> tuple[Catalogue, Settings]:
    """The catalogue of the build's time limits; each of its queries is stopped at the time
    limit (GONGKAI_QUERY_TIMEOUT, 30 s) with the one timeout message and exit 2."""
    from gongkai.deadlines.catalogue import Catalogue
    from gongkai.query.library import library
    from gongkai.store.guard import time_limit
    from gongkai.store.lifecycle import open_store

    settings = settings_from(base)
    try:
        with store_progress() as progress:
            store = open_store(settings, progress=progress)
        catalogue = Catalogue(store, library(settings))
    except GongkaiError as e:
        raise fail(str(e)) from e
    untimed = catalogue._run

    def timed(query: str, params: dict[str, str] | None = None) -> Result:
        with time_limit(settings.query_timeout, raise_with="GONGKAI_QUERY_TIMEOUT",
                        say=lambda m: err.print(f"[bold red]error:[/] {m}", highlight=False, soft_wrap=True)):
            return untimed(query, params)

    catalogue._run = timed  # type: ignore[method-assign]  # every query of this catalogue, timed
    return catalogue, settings


def _emit(data: str | bytes, output: Path | None) -> None:
    """Write to ``output``, or to standard output."""
    if output is None:
        if isinstance(data, bytes):
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
        else:
            typer.echo(data)
        return
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            output.write_bytes(data)
        else:
            output.write_text(data if data.endswith("\n") else data + "\n", encoding="utf-8")
    except OSError as e:
        raise fail(f"{output}: cannot write: {e.strerror or e}") from e
    err.print(f"→ {output}", highlight=False)


def _given(ctx: typer.Context, *names: str) -> list[str]:
    """The options of ``names`` the user gave (not left at their defaults)."""
    given = []
    for n in names:
        source = ctx.get_parameter_source(n)
        if source is not None and source.name not in ("DEFAULT", "DEFAULT_MAP"):
            given.append(n)
    return given


# --- gongkai deadline -------------------------------------------------------------

@deadline_app.callback()
def deadline(
    ctx: typer.Context,
    bureau: str | None = typer.Option(None, "--bureau", help="The bureau (责任单位) whose list holds the item."),
    item: int | None = typer.Option(None, "--item", help="The item's number (序号) in the list."),
    event_date: str | None = typer.Option(None, "--event-date",
        help="The date of the trigger event (形成、印发、批复…), YYYY-MM-DD. Not counted itself."),
    time_limit: str | None = typer.Option(None, "--time-limit",
        help="A time limit typed in (形成之日起5个工作日内), instead of --bureau and --item."),
    list_ref: str | None = typer.Option(None, "--list",
        help="The list: its IRI, or its date (default: the bureau's latest list)."),
    calendar: list[Path] | None = CalendarOpt,
    show_upcoming: bool = typer.Option(False, "--upcoming",
        help="List every fixed yearly due date (每年1月31日前 …) from --from."),
    from_date: str | None = typer.Option(None, "--from", help="With --upcoming: the first day (default: today)."),
    to_date: str | None = typer.Option(None, "--to",
        help="With --upcoming: the last day; without it, each item's next due date."),
    today: str | None = TodayOpt,
    lang: str = LangOpt,
    fmt: str = typer.Option("text", "--format", help="text, json, ics (iCalendar) or csv."),
    output: Path | None = typer.Option(None, "-o", "--output", help="Write to this file instead of the screen."),
    base: str = BaseOpt,
) -> None:
    """An item's due date, explained; or the yearly due dates ahead (--upcoming)."""
    own = ("bureau", "item", "event_date", "time_limit", "list_ref", "calendar", "show_upcoming", "from_date",
           "to_date", "today", "lang", "fmt", "output", "base")
    if ctx.invoked_subcommand is not None:
        given = _given(ctx, *own)
        if given:
            raise fail(f"`gongkai deadline {ctx.invoked_subcommand}` takes its own options, after its name "
                       f"(see `gongkai deadline {ctx.invoked_subcommand} --help`)")
        return
    if not _given(ctx, "bureau", "item", "event_date", "time_limit", "list_ref", "show_upcoming"):
        typer.echo(ctx.get_help())
        raise typer.Exit(0)
    lang = _choice(lang, LANGS, "--lang")
    fmt = _choice(fmt, FORMATS, "--format")
    today_d = _date(today, "--today")
    event = _date(event_date, "--event-date")
    if show_upcoming:
        extra = _given(ctx, "item", "event_date", "time_limit", "list_ref")
        if extra:
            raise fail("--upcoming lists every item's yearly due date: it takes --from, --to and --bureau, "
                       f"not {', '.join('--' + e.replace('_ref', '').replace('_', '-') for e in extra)}")
        _upcoming(bureau, _date(from_date, "--from"), _date(to_date, "--to"), today_d, calendar, lang, fmt,
                  output, base)
        return
    if _given(ctx, "from_date", "to_date"):
        raise fail("--from and --to go with --upcoming")
    from gongkai.deadlines.catalogue import item_due, limit_due

    cal = _calendar(calendar)
    if time_limit is not None:
        if _given(ctx, "bureau", "item", "list_ref"):
            raise fail("give either --time-limit, or --bureau and --item, not both")
        answer = limit_due(time_limit, event, calendar=cal, today=today_d)
        if answer.due.reason == "unparsed":
            raise fail(f"--time-limit: not understood: {time_limit!r} (e.g. 形成之日起5个工作日内, "
                       "财政部门批复后20日内, 每年1月31日前)")
    else:
        if item is None or (bureau is None and list_ref is None):
            raise fail("name the item: --bureau NAME --item N (or --time-limit TEXT); "
                       "see `gongkai deadline --help`")
        catalogue, _ = _catalogue(base)
        try:
            answer = item_due(catalogue, bureau, item, event, list_ref=list_ref, calendar=cal, today=today_d)
        except GongkaiError as e:
            raise fail(str(e)) from e
    if answer.due.reason in ("missing-event", "missing-year"):
        raise fail(f"--event-date is needed: {answer.due.reason_text('en')} ({answer.limit.raw})")
    if fmt == "text":
        _emit(answer.text(lang), output)
    elif fmt == "json":
        import json

        _emit(json.dumps(answer.as_dict(lang), ensure_ascii=False, indent=2), output)
    else:
        from gongkai.deadlines.catalogue import export_entries

        if fmt == "ics" and answer.due.date is None:
            err.print(f"[yellow]note:[/] no due date ({answer.due.reason_text('en')}): the calendar has no event",
                      highlight=False)
        _emit(export_entries([answer], "ics" if fmt == "ics" else "csv", lang), output)


def _upcoming(bureau: str | None, start: dt.date | None, end: dt.date | None, today: dt.date | None,
              calendar: list[Path] | None, lang: str, fmt: str, output: Path | None, base: str) -> None:
    from gongkai.deadlines.catalogue import export_entries, today_in_china, upcoming, upcoming_text

    start = start or today or today_in_china()
    cal = _calendar(calendar)
    catalogue, _ = _catalogue(base)
    try:
        entries = upcoming(catalogue, start, end, calendar=cal, bureau=bureau)
    except (GongkaiError, ValueError) as e:
        raise fail(str(e)) from e
    if fmt == "text":
        _emit(upcoming_text(entries, lang), output)
    elif fmt == "json":
        import json

        _emit(json.dumps([e.as_dict(lang) for e in entries], ensure_ascii=False, indent=2), output)
    else:
        _emit(export_entries(entries, "ics" if fmt == "ics" else "csv", lang), output)


# --- gongkai deadline check -------------------------------------------------------

@deadline_app.command("check")
def check(
    records: Path = typer.Argument(..., help="CSV of publication records: list (IRI, or bureau name and "
                                   "list date), item, event_date, published_date (empty = not published), url."),
    calendar: list[Path] | None = CalendarOpt,
    fmt: str = typer.Option("text", "--format", help="text, json or csv."),
    lang: str = LangOpt,
    into_graph: Path | None = typer.Option(None, "--into-graph",
        help="Also write the results as RDF (PROV) to this TriG file, in the named graph BASE + "
             "checks/FILE-NAME; load it with the rest, then `gongkai query overdue_items`."),
    today: str | None = TodayOpt,
    output: Path | None = typer.Option(None, "-o", "--output", help="Write the report to this file."),
    base: str = BaseOpt,
) -> None:
    """Check publication records against the items' time limits: on time, late by N working days,
    missing, or not yet due. Exit 0 nothing late or missing, 1 some late or missing, 2 errors."""
    from gongkai.deadlines.catalogue import today_in_china
    from gongkai.deadlines.overdue import check_file
    from gongkai.deadlines.rdf import write_check
    from gongkai.rdf.iris import IRIs

    lang = _choice(lang, LANGS, "--lang")
    fmt = _choice(fmt, ("text", "json", "csv"), "--format")
    as_of = _date(today, "--today") or today_in_china()
    if into_graph is not None and into_graph.suffix.lower() != ".trig":
        raise fail(f"--into-graph writes TriG (one named graph): give a .trig file, not {into_graph.name!r}")
    cal = _calendar(calendar)
    catalogue, settings = _catalogue(base)
    try:
        report = check_file(records, catalogue, today=as_of, calendar=cal)
    except GongkaiError as e:
        raise fail(str(e)) from e
    if fmt == "text":
        _emit(report.text(lang), output)
    elif fmt == "json":
        _emit(report.json(lang), output)
    else:
        _emit(report.csv(lang), output)
    if into_graph is not None:
        if report.errors:
            err.print(f"[bold red]not written:[/] {into_graph} — {len(report.errors)} record(s) could not be "
                      "checked; correct them and check again", highlight=False)
        else:
            try:
                name = write_check(into_graph, report, IRIs(settings.base))
            except OSError as e:
                raise fail(f"{into_graph}: cannot write: {e.strerror or e}") from e
            err.print(f"→ {into_graph} (graph <{name}>)", highlight=False)
    raise typer.Exit(report.exit_code)
