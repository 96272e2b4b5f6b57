"""`gongkai app-password`: the password the app asks for before writing when it is served
beyond this machine, kept as a salted hash in the access settings file."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from gongkai.cli.common import app, err, fail
from gongkai.errors import GongkaiError


def _typed_password(from_stdin: bool) -> str:
    if from_stdin:  # a script: the first line of standard input
        return sys.stdin.readline().rstrip("\r\n")
    if not sys.stdin.isatty():
        raise fail("no terminal to type the password in: give it on standard input with --password-stdin")
    first = typer.prompt("New password for the app", hide_input=True)
    if typer.prompt("Again", hide_input=True) != first:
        raise fail("the two passwords differ; nothing was changed")
    return str(first)


@app.command("app-password")
def app_password(
    read: str | None = typer.Option(None, "--read",
        help="open: anyone who reaches the app may read (the default); login: reading needs the login too."),
    remove: bool = typer.Option(False, "--remove", help="Remove the password: the app then refuses every write "
                                "when it is served beyond 127.0.0.1."),
    password_stdin: bool = typer.Option(False, "--password-stdin",
        help="Read the password from the first line of standard input instead of asking for it."),
    file: Path | None = typer.Option(None, "--file",
        help="The access settings file (default: GONGKAI_ACCESS_FILE, else .streamlit/access.toml)."),
) -> None:
    """Set the password the app asks for before importing or replacing a list when it is
    served beyond this machine (`make run HOST=0.0.0.0`). Only a salted scrypt hash is
    written, into a file readable by its owner only (0600); the app reads it at each login,
    so no restart is needed."""
    from gongkai.auth import access_file, set_password

    if read is not None and read not in ("open", "login"):
        raise fail(f"--read must be open or login, not {read!r}")
    path = file or access_file()
    try:
        password = None if remove else _typed_password(password_stdin)
        written = set_password(password, path, read=read)
    except GongkaiError as e:
        raise fail(str(e)) from e
    except OSError as e:
        raise fail(f"{e.filename or path}: {e.strerror or e}") from e
    what = "password removed" if remove else "password set (a salted scrypt hash)"
    err.print(f"{what} → {written} (readable by its owner only)", highlight=False)
