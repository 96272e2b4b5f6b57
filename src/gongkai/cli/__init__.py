"""The ``gongkai`` command. Thin: every command calls the package and prints.

Each command group lives in its own module of this package; importing it registers
its commands on the one Typer app.

Exit codes: 0 success, 1 the data has problems (validation violations, a failed file
in a batch), 2 an error (bad input, unreachable endpoint, bad arguments).
"""

from __future__ import annotations

import sys

from gongkai.cli import access as _access  # noqa: F401  (registers app-password)
from gongkai.cli import build as _build  # noqa: F401  (registers ingest, build)
from gongkai.cli import deadline as _deadline  # noqa: F401  (registers deadline, deadline check)
from gongkai.cli import legal as _legal  # noqa: F401  (registers legal list, legal trace)
from gongkai.cli import legal_show as _legal_show  # noqa: F401  (registers legal show)
from gongkai.cli import publish as _publish  # noqa: F401  (registers export, publish)
from gongkai.cli import query as _query  # noqa: F401  (registers queries, query, push, serve)
from gongkai.cli import validate as _validate  # noqa: F401  (registers validate)
from gongkai.cli.common import app, err
from gongkai.errors import GongkaiError


def main() -> None:
    try:
        app()
    except GongkaiError as e:  # a command that forgot to catch: still no traceback
        err.print(f"[bold red]error:[/] {e}", highlight=False)
        sys.exit(2)


if __name__ == "__main__":
    main()
