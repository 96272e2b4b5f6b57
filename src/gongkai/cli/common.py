"""Shared by every command module: the Typer app, consoles, error exit.

Exit codes: 0 success, 1 the data has problems (validation violations, a failed file
in a batch), 2 an error (bad input, unreachable endpoint, bad arguments).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

import typer
from rich.console import Console, ConsoleDimensions
from rich.filesize import decimal
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from gongkai.model import readable_name
from gongkai.settings import DEFAULT_BASE, VERSION, Settings

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
#: the width of tables written into a pipe or a file, whatever the terminal around it
PIPE_WIDTH = 160


class _Stream:
    """Standard output or error as a console writes to it: looked up at each write (a test
    runner swaps it), and text that holds bytes a UTF-8 decoder escaped (a file name in
    GBK) made readable (``model.readable_name``) instead of raising UnicodeEncodeError."""

    def __init__(self, name: str) -> None:
        self._name = name

    def _stream(self) -> TextIO:
        return getattr(sys, self._name)

    def write(self, text: str) -> int:
        return self._stream().write(readable_name(text))

    def __getattr__(self, attr: str) -> object:
        return getattr(self._stream(), attr)


class CliConsole(Console):
    """A console for the command line. On a terminal it is rich's own. Into a pipe or a
    file (a log, a test runner's capture) it writes each message on one line however long
    (soft wrap), and tables ``PIPE_WIDTH`` columns wide, whatever the terminal it runs in
    or the length of the paths it names. Decided at each print, from the stream then."""

    def __init__(self, stream: str) -> None:
        super().__init__(file=_Stream(stream))  # type: ignore[arg-type]  # a stand-in for a TextIO: write() and the rest

    @property
    def soft_wrap(self) -> bool:
        return not self.is_terminal

    @soft_wrap.setter
    def soft_wrap(self, value: bool) -> None:
        pass  # decided by the stream

    @property
    def size(self) -> ConsoleDimensions:
        size = super().size
        return size if self.is_terminal else ConsoleDimensions(PIPE_WIDTH, size.height)

    @size.setter
    def size(self, new_size: tuple[int, int]) -> None:
        Console.size.fset(self, new_size)  # type: ignore[attr-defined]  # rich's own setter: mypy sees no fset


out = CliConsole("stdout")
err = CliConsole("stderr")


def fail(message: str, code: int = 2) -> typer.Exit:
    err.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    return typer.Exit(code)


# --- arguments ------------------------------------------------------------------------

def _not_utf8(name: str, value: str) -> typer.Exit:
    return fail(f"{name}: the text is not UTF-8 (its bytes read as GB18030: {readable_name(value)}); "
                "give it in UTF-8 (check the encoding of the terminal or the script)")


def _has_escaped_bytes(value: str) -> bool:
    return any("\ud800" <= c <= "\udfff" for c in value)


def _check_text_params(ctx: typer.Context) -> None:
    """One clear error for a text option or argument whose bytes were not UTF-8: Python
    keeps them as surrogate escapes, which would fail far inside. Paths are let through
    (a file may have such a name: ``model.readable_name`` shows it)."""
    for param in ctx.command.params:
        value = ctx.params.get(param.name or "")
        for v in value if isinstance(value, (list, tuple)) else [value]:
            if isinstance(v, str) and _has_escaped_bytes(v):
                name = param.opts[0] if param.param_type_name == "option" else (param.name or "").upper()
                raise _not_utf8(name, v)


def _guard_text_params(command: Any) -> None:  # a Click command, as Typer builds it
    """Run ``_check_text_params`` before ``command`` and each of its subcommands."""
    if getattr(command, "_text_checked", False):
        return
    invoke = command.invoke

    def checked(ctx: typer.Context) -> object:
        _check_text_params(ctx)
        return invoke(ctx)

    command.invoke = checked
    command._text_checked = True
    for sub in getattr(command, "commands", {}).values():
        _guard_text_params(sub)


#: characters RFC 3987 allows nowhere in an IRI (besides controls and the space)
_NOT_IN_IRI = '<>"{}|\\^`'


def check_base(value: str) -> str:
    """``--base``: an absolute http(s) IRI that every minted IRI can start with
    (``IRIs`` adds a final ``/`` when it ends in neither ``/`` nor ``#``). Anything else
    is an error (exit 2) naming the option and the character, before any work is done."""
    from pyoxigraph import NamedNode  # lazy: the command line starts without Oxigraph

    if _has_escaped_bytes(value):
        raise _not_utf8("--base", value)
    for i, c in enumerate(value):
        if c <= " " or c == "\x7f" or c in _NOT_IN_IRI:
            what = "a space" if c == " " else repr(c)
            raise fail(f"--base: {value!r} has {what} at position {i + 1}, which an IRI cannot hold "
                       f"(write it %{ord(c):02X}, or leave it out)")
    if not value.lower().startswith(("http://", "https://")) or len(value.split("/")) < 3 \
            or not value.split("/")[2]:
        raise fail(f"--base: {value!r} is not an absolute http:// or https:// IRI "
                   f"(the default is {DEFAULT_BASE})")
    for c, what in (("?", "a query"), ("#", "a fragment")):
        if c in value.rstrip("#"):
            raise fail(f"--base: {value!r} has {c!r} ({what}): minted IRIs go after the base's path, "
                       "which may end in / or # only")
    try:
        NamedNode(value + "x")
    except ValueError as e:
        raise fail(f"--base: {value!r} is not a valid IRI ({e})") from None
    return value


BaseOpt = typer.Option(DEFAULT_BASE, "--base", callback=check_base,
                       help="Base IRI for minted IRIs (organisations, lists, items, legal sources): "
                            "an absolute http(s) IRI.")


def settings_from(base: str = DEFAULT_BASE, *, build_dir: Path | None = None) -> Settings:
    return Settings(base=base, build_dir=build_dir)


def version_callback(value: bool) -> None:
    if value:
        out.print(f"gongkai {VERSION}")
        raise typer.Exit()


@app.callback()
def main_callback(
    ctx: typer.Context,
    version: bool = typer.Option(False, "--version", callback=version_callback, is_eager=True,  # noqa: ARG001  (declares the option; its callback acts)
                                 help="Print the version and exit."),
) -> None:
    # before any command parses its arguments: text that is not UTF-8 is refused in each
    _guard_text_params(ctx.command)


@contextmanager
def store_progress() -> Iterator[Callable[[str, int, int], None]]:
    """A ``progress`` for ``service.open_store`` and the like: each stage of loading the
    built graph into the embedded store (once per build: minutes for thousands of lists)
    is named on a line of its own, then followed by a bar on standard error."""
    bar = Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.fields[read]}"),
                   TimeElapsedColumn(), console=err, transient=True)
    tasks: dict[str, TaskID] = {}

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
