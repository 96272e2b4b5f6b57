"""Errors users see. Each names the file and, where known, the row and the cell."""

from __future__ import annotations

from gongkai.model import readable_name


class GongkaiError(Exception):
    """Base class: an error with a message meant for the user (no traceback needed)."""


class InputError(GongkaiError):
    """A source file that cannot be read or understood.

    ``row`` is 1-based (a line number for text formats, a sheet row for spreadsheets);
    ``cell`` names the column or the cell (``C7``, ``公开时限``).
    """

    def __init__(self, file: str, reason: str, *, row: int | None = None, cell: str | None = None):
        self.file = file
        self.reason = reason
        self.row = row
        self.cell = cell
        where = readable_name(file)  # a name whose bytes are not UTF-8 must not break the message
        if row is not None:
            where += f", row {row}"
        if cell:
            where += f", cell {cell}"
        super().__init__(f"{where}: {reason}")


class StoreError(GongkaiError):
    """A store or endpoint that fails (down, slow, refusing)."""


class QueryError(GongkaiError):
    """A query that cannot be run (unknown name, bad parameter, syntax error, update refused)."""
