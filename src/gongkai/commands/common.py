"""Shared by every command module: the Typer app, consoles, error exit.

Exit codes: 0 success, 1 the data has problems (validation violations, a failed file
in a batch), 2 an error (bad input, unreachable endpoint, bad arguments).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import typer
from rich.console import Console

from .. import __version__
from ..settings import DEFAULT_BASE, Settings

app = typer.Typer(
    name="gongkai",
    help=(
        "gongkai (公开): turn government information-disclosure lists (政务公开清单目录) into an RDF "
        "knowledge graph, validate it, query it with SPARQL and publish it.\n\n"
        "Typical use: `gongkai build` (every list in data/raw → build/kg.trig and build/items.csv), "
        "then `gongkai validate`, `gongkai legal trace 预算法`, `gongkai query NAME`."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="markdown",
)
out = Console(width=None if sys.stdout.isatty() else 160)
err = Console(stderr=True)

BaseOpt = typer.Option(DEFAULT_BASE, "--base", help="Base IRI for minted IRIs (organisations, lists, items, legal sources).")


def fail(message: str, code: int = 2) -> "typer.Exit":
    err.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    return typer.Exit(code)


def settings_from(base: str = DEFAULT_BASE, **kw) -> Settings:
    return Settings(base=base, **kw)


def version_callback(value: bool) -> None:
    if value:
        out.print(f"gongkai {__version__}")
        raise typer.Exit()


@app.callback()
def main_callback(
    version: bool = typer.Option(False, "--version", callback=version_callback, is_eager=True,
                                 help="Print the version and exit."),
) -> None:
    pass


@contextmanager
def store_progress() -> Iterator[Callable[[str, int, int], None]]:
    """A ``progress`` for ``service.open_store`` and the like: each stage of loading the
    built graph into the embedded store (once per build: minutes for thousands of lists)
    is named on a line of its own, then followed by a bar on standard error."""
    from rich.filesize import decimal
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    bar = Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.fields[read]}"),
                   TimeElapsedColumn(), console=err, transient=True)
    tasks: dict[str, object] = {}

    def report(stage: str, done: int, total: int) -> None:
        if stage not in tasks:
            err.print(f"{stage} …", highlight=False, soft_wrap=True)
            if not tasks and err.is_terminal:  # in a log, the lines say enough
                bar.start()
            for before in tasks.values():  # its line above says it was done
                bar.update(before, visible=False)
            tasks[stage] = bar.add_task(stage.split(" ", 1)[0], total=None, read="")
        # a total of 0: the stage has begun, and has no figures (compacting)
        read = f"{decimal(done)} of {decimal(total)}" if total > 1 else ""
        bar.update(tasks[stage], completed=done, total=total or None, read=read)

    try:
        yield report
    finally:
        if bar.live.is_started:
            bar.stop()
