"""`gongkai ingest` and `gongkai build`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich import box
from rich.cells import cell_len
from rich.markup import escape
from rich.progress import Progress
from rich.table import Table

from gongkai.cli.common import BaseOpt, app, err, fail, out, readable_name, settings_from, store_progress
from gongkai.errors import GongkaiError
from gongkai.text import key

if TYPE_CHECKING:
    from rich.console import JustifyMethod

    from gongkai.model import DisclosureList
    from gongkai.pipeline.build import BuildResult

# The package is imported inside each command, not here: `gongkai --help` and a mistyped
# option answer in 0.2 s instead of 0.8 s (rdflib, pyoxigraph and the readers load only
# for the command that needs them).


@app.command()
def ingest(
    file: Path = typer.Argument(...,
        help="A disclosure list: .xlsx, .xls, .csv, .html, .docx, .doc, .pdf, or .txt (a table extracted "
             "from a PDF or a web page); the format is recognised by content."),
    output: Path | None = typer.Option(None, "-o", "--output",
        help="Where to write the list. The extension picks the format: .ttl .trig .nt .nq .jsonld .rdf (RDF) "
             "or .csv (one row per item, UTF-8 with BOM)."),
    bureau: str | None = typer.Option(None, help="The publishing bureau, when the file does not name it (责任单位)."),
    strict: bool = typer.Option(False, "--strict",
        help="All or nothing: a row that cannot be read, or a list that names no bureau, refuses the "
             "whole file (exit 2) instead of being set aside with a warning (exit 1)."),
    corrections: Path | None = typer.Option(None, "--corrections", metavar="CSV",
        help="A corrections file (sha256,lines,action,cells,note) whose rows for this file are applied "
             "(default: corrections.csv beside the file, if there is one)."),
    base: str = BaseOpt,
) -> None:
    """Read ONE list, parse it, and write it as RDF or CSV.

    A row that cannot be read is set aside (a warning names its lines and text; it is kept in the
    graph as a gk:UnreadRow, not in the CSV) and the rest is read. Correct such a row without
    editing the file in a corrections.csv beside it (build/unread.csv and the app's import give
    one to fill in). Exit 0 when the list was read whole; 1 when rows were not read, no bureau is
    named, or the list shows items to be missing; 2 when nothing could be read (nothing is written
    then)."""
    from gongkai.ingest import incomplete, ingest_file
    from gongkai.publish.export import SUPPORTED_EXTENSIONS, write_output
    from gongkai.rdf.mapping import map_list
    from gongkai.reference_data import map_context
    from gongkai.tabulate.corrections import CORRECTIONS_FILE, read_corrections

    settings = settings_from(base)
    if output is not None and output.suffix.lower() not in SUPPORTED_EXTENSIONS:
        raise fail(f"{output}: unknown output format {output.suffix or '(no extension)'!r}; "
                   f"use one of {' '.join(SUPPORTED_EXTENSIONS)}")
    try:
        if corrections is not None and not corrections.is_file():
            raise fail(f"{corrections}: no such corrections file")
        fixes = read_corrections(corrections or file.parent / CORRECTIONS_FILE)
        dl = ingest_file(file, settings, bureau=bureau, strict=strict, corrections=fixes)
        graph = map_list(dl, map_context(settings))
        if output is not None:
            output.parent.mkdir(parents=True, exist_ok=True)
            write_output(output, [dl], [graph], base)
    except GongkaiError as e:
        raise fail(str(e)) from e
    except OSError as e:
        raise fail(f"{output}: cannot write: {e.strerror or e}") from e
    parsed = sum(1 for it in dl.items if it.time_limit and it.time_limit.parsed)
    unread = f", {len(dl.unread)} row{'s' if len(dl.unread) > 1 else ''} not read" if dl.unread else ""
    err.print(f"{file.name}: {dl.bureau.name} {dl.date or 'undated'} — {len(dl.items)} items, "
              f"{sum(len(it.citations) for it in dl.items)} citations, {parsed} time limits parsed, "
              f"{len(dl.warnings)} warnings{unread}" + (f" → {output}" if output else ""), highlight=False)
    for w in dl.warnings:
        err.print(f"  [yellow]warning:[/] {escape(w)}", highlight=False)
    missing = incomplete(dl)
    if missing:
        err.print(f"read in part: {', '.join(missing)} (see the warnings above)", highlight=False)
        raise typer.Exit(1)


#: the columns that must always show, and their widths
_FIXED: tuple[tuple[str, int, JustifyMethod], ...] = (
    ("format", 10, "left"), ("items", 5, "right"), ("cites", 5, "right"), ("limits", 7, "right"),
    ("unread", 6, "right"), ("warn", 4, "right"))
_GAP = 2   # blanks between two columns
_BUREAU_MIN = 5   # the least width left to the bureau · date column


def summary_table(result: BuildResult, width: int = 80) -> Table:
    """One row per file: format detected, items, citations, time limits parsed, rows not read,
    warnings, bureau and date; a failed file says FAILED (its error is printed below the table).

    Made for a terminal ``width`` columns wide (80 and more): the numbers keep their
    columns, the file and bureau names share the rest and end in an ellipsis when they do
    not fit, so that every file stays on one line.
    """
    totals = f"{len(result.lists)} lists, {len(result.failed)} failed"
    names = [readable_name(r.path.name) for r in result.files] + [totals]
    rest = max(24, width - sum(w for _, w, _ in _FIXED) - _GAP * (len(_FIXED) + 1))
    # the file names first (a user finds a file by its name), the bureau and date in what is left
    file_w = min(max(cell_len(n) for n in names), max(18, rest - _BUREAU_MIN))  # 中 takes 2 columns
    table = Table(title=f"gongkai build → {result.out_dir}", box=box.SIMPLE_HEAD, padding=(0, 1),
                  collapse_padding=True, pad_edge=False, show_edge=False, title_justify="left")
    table.add_column("file", no_wrap=True, overflow="ellipsis", width=file_w)
    for name, w, justify in _FIXED:
        table.add_column(name, no_wrap=True, width=w, justify=justify)
    table.add_column("bureau · date", no_wrap=True, overflow="ellipsis", width=rest - file_w)
    for r in result.files:
        if r.dl is None:
            table.add_row(readable_name(r.path.name), "[red]FAILED[/]", "", "", "", "", "", "[red]see below[/]")
            continue
        dl = r.dl
        parsed = sum(1 for it in dl.items if it.time_limit and it.time_limit.parsed)
        table.add_row(readable_name(r.path.name), dl.source_format, str(len(dl.items)),
                      str(sum(len(it.citations) for it in dl.items)), f"{parsed}/{len(dl.items)}",
                      f"[yellow]{len(dl.unread)}[/]" if dl.unread else "0",
                      str(len(dl.warnings)), escape(f"{dl.bureau.name} · {dl.date or 'undated'}"))
    lists = result.lists
    table.add_section()
    n_items = sum(len(dl.items) for dl in lists)
    parsed = sum(1 for dl in lists for it in dl.items if it.time_limit and it.time_limit.parsed)
    table.add_row(totals,
                  f"{len({dl.source_format for dl in lists})} formats", str(n_items),
                  str(sum(len(it.citations) for dl in lists for it in dl.items)),
                  f"{parsed}/{n_items}", str(sum(len(dl.unread) for dl in lists)),
                  str(sum(len(dl.warnings) for dl in lists)),
                  f"{len({_bureau_key(dl) for dl in lists})} bureaus")
    return table


def _bureau_key(dl: DisclosureList) -> str:
    """One bureau per name; each list that names none is a bureau of its own (not one bureau
    called 「未注明责任单位」)."""
    return key(dl.bureau.name) if dl.bureau_named else f"unnamed:{dl.source_sha256 or dl.source_file}"


@app.command()
def build(
    folder: Path | None = typer.Argument(None, help="Folder of lists (default: data/raw)."),
    out_dir: Path | None = typer.Option(None, "--out", help="Output folder (default: build/)."),
    wait: float | None = typer.Option(None, "--wait", min=0,
        help="When another build is writing the same output folder, wait at most this many seconds "
             "(default: until it has finished)."),
    strict: bool = typer.Option(False, "--strict",
        help="All or nothing per file: a row that cannot be read, or a list that names no bureau, "
             "fails the whole file instead of being set aside with a warning."),
    base: str = BaseOpt,
) -> None:
    """Ingest every list in a folder into build/: kg.trig (ontology, vocabularies and one
    named graph per list), items.csv, unread.csv (the rows set aside), the validation
    reports, the embedded store and the overview statistics; print a summary per file.

    A row that cannot be read is set aside (counted in the summary, named below it, listed in
    unread.csv) and the rest of its list is built; the folder's corrections.csv (sha256,lines,
    action,cells,note) corrects rows without editing the files. A file that fails is reported and the others
    are built; exit 1 if any file failed. The new build is written beside the previous one and
    replaces it at the end, whole: the app and queries running meanwhile keep reading the
    previous build. When no list can be read, nothing is replaced (exit 2)."""
    from gongkai.ingest import list_sources
    from gongkai.model import UNNAMED_BUREAU
    from gongkai.pipeline.sequence import build_and_publish
    from gongkai.validation.reports import n_of

    settings = settings_from(base, build_dir=out_dir)
    folder = folder or settings.raw_dir
    try:
        n_files = len(list_sources(folder)) if folder.is_dir() else 0
        with store_progress() as loading, Progress(console=err, transient=True) as progress:
            task = progress.add_task("reading lists", total=n_files)
            outcome = build_and_publish(settings, folder, on_file=lambda _: progress.advance(task),
                                        progress=loading, wait=wait, strict=strict,
                                        say=lambda m: err.print(m, highlight=False, soft_wrap=True))
    except GongkaiError as e:
        raise fail(str(e)) from e
    result = outcome.result
    out.print(summary_table(result, width=min(out.width, 160)))
    for dl in result.lists:
        for u in dl.unread:
            err.print(f"[yellow]warning:[/] {escape(dl.source_file)}: {escape(u.warning())}",
                      highlight=False, soft_wrap=True)
        if not dl.bureau_named:
            err.print(f"[yellow]warning:[/] {escape(dl.source_file)}: no bureau named, read as "
                      f"「{UNNAMED_BUREAU}」: name it in a row of the folder's sources.csv "
                      "(file,bureau,parent,date,url,note)",
                      highlight=False, soft_wrap=True)
    for r in result.failed:
        err.print(f"[bold red]failed:[/] {r.error}", highlight=False, soft_wrap=True)
    if outcome.version is None:  # not published
        why = "no list could be read" if result.files else "it holds no list files"
        raise fail(f"nothing was built from {folder}: {why}; the previous build in {settings.out_dir} is kept")
    # problems in the data do not change build's exit code (`gongkai validate` does)
    report = outcome.report
    if report is not None:
        err.print(f"validation → {settings.out_dir / 'validation.json'}: "
                  f"{n_of(report.count('Violation'), 'violation')}, {n_of(report.count('Warning'), 'warning')}, "
                  f"{n_of(report.count('Info'), 'hint')} in {n_of(len(report.lists), 'list')}", highlight=False)
    else:
        err.print(f"[yellow]warning:[/] validation report not written: {outcome.report_error}", highlight=False)
    if outcome.stats is not None:
        err.print(f"overview statistics → {outcome.stats}", highlight=False)
    else:
        err.print(f"[yellow]warning:[/] overview statistics not written: {outcome.stats_error}", highlight=False)
    err.print(f"published as version {outcome.version.id} of {settings.out_dir}", highlight=False)
    if result.failed:
        raise typer.Exit(1)
