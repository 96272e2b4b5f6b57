"""Errors users see. Each names the file and, where known, the row and the cell.

An error says what went wrong in English (``str(e)``: the command line's message, the one
tests and scripts match) and, for the errors a user of the app meets, in Chinese too, with
a ``code`` naming the kind of error. ``e.message("zh")`` is the Chinese message (the English
one when the error has none); ``e.message(lang, app=True)`` the message for the app, whose
advice names the fields of its forms instead of command-line options.

Texts that are not errors — a warning while reading, the reason a row was set aside — can
carry both languages the same way: :class:`Text` is an English ``str`` with its Chinese.
"""

from __future__ import annotations

from typing import Any

from gongkai.model import readable_name

LANGS = ("zh", "en")


class Text(str):
    """An English text (``str``, as before) that carries its Chinese, and, where the advice
    differs in the app, the app's wording in either language (``in_lang``)."""

    zh: str
    app_en: str | None
    app_zh: str | None

    def __new__(cls, en: str, zh: str, app_en: str | None = None, app_zh: str | None = None) -> Text:
        self = super().__new__(cls, en)
        self.zh = zh
        self.app_en = app_en
        self.app_zh = app_zh
        return self

    def __reduce__(self) -> tuple[Any, ...]:  # pickled into and out of worker processes whole
        return (Text, (str(self), self.zh, self.app_en, self.app_zh))

    def in_lang(self, lang: str, *, app: bool = False) -> str:
        if app:
            said = self.app_zh if lang == "zh" else self.app_en
            if said:
                return said
        return self.zh if lang == "zh" and self.zh else str(self)


def in_lang(text: object, lang: str, *, app: bool = False) -> str:
    """``text`` in ``lang`` when it carries that language (a :class:`Text`, an error), else as it is."""
    if isinstance(text, (Text, GongkaiError)):
        return text.in_lang(lang, app=app)
    return str(text)


class GongkaiError(Exception):
    """Base class: an error with a message meant for the user (no traceback needed).

    ``zh``: the message in Chinese; ``app_en``/``app_zh``: the message for the app, when its
    advice differs from the command line's (a form's field instead of an option); ``code``:
    the kind of error, stable for the app and tests."""

    code: str = "error"

    def __init__(self, message: str = "", *, zh: str | None = None, code: str | None = None,
                 app_en: str | None = None, app_zh: str | None = None) -> None:
        super().__init__(message)
        self.zh = zh
        self.app_en = app_en
        self.app_zh = app_zh
        if code is not None:
            self.code = code

    def message(self, lang: str = "en", *, app: bool = False) -> str:
        """The message in ``lang`` (English when there is no Chinese one); ``app``: the app's wording."""
        return self.in_lang(lang, app=app)

    def in_lang(self, lang: str, *, app: bool = False) -> str:
        if app:
            said = self.app_zh if lang == "zh" else self.app_en
            if said:
                return said
        return self.zh if lang == "zh" and self.zh else str(self)


def _where(file: str, row: int | None, cell: str | None, lang: str) -> str:
    name = readable_name(file)  # a name whose bytes are not UTF-8 must not break the message
    if lang == "zh":
        return name + (f"，第 {row} 行" if row is not None else "") + (f"，单元格 {cell}" if cell else "")
    return name + (f", row {row}" if row is not None else "") + (f", cell {cell}" if cell else "")


class InputError(GongkaiError):
    """A source file that cannot be read or understood.

    ``row`` is 1-based (a line number for text formats, a sheet row for spreadsheets);
    ``cell`` names the column or the cell (``C7``, ``公开时限``). ``reason`` may be a
    :class:`Text`, which gives the error its Chinese (and app) messages.
    """

    code = "input"

    def __init__(self, file: str, reason: str, *, row: int | None = None, cell: str | None = None,
                 code: str | None = None):
        self.file = file
        self.reason = reason
        self.row = row
        self.cell = cell
        texts: dict[str, str | None] = {"zh": None, "app_en": None, "app_zh": None}
        if isinstance(reason, Text):
            texts["zh"] = f"{_where(file, row, cell, 'zh')}：{reason.zh}"
            if reason.app_en:
                texts["app_en"] = f"{_where(file, row, cell, 'en')}: {reason.app_en}"
            if reason.app_zh:
                texts["app_zh"] = f"{_where(file, row, cell, 'zh')}：{reason.app_zh}"
        super().__init__(f"{_where(file, row, cell, 'en')}: {reason}", code=code, **texts)

    def __reduce__(self) -> tuple[Any, ...]:  # across the processes a build reads files in
        return (_input_error, (type(self), self.file, self.reason, self.row, self.cell, self.code))

    def at(self, file: str) -> InputError:
        """The same error said of another file name (an upload read from a temporary copy)."""
        return InputError(file, self.reason, row=self.row, cell=self.cell, code=self.code)


def _input_error(cls: type[InputError], file: str, reason: str, row: int | None, cell: str | None,
                 code: str) -> InputError:
    return cls(file, reason, row=row, cell=cell, code=code)


class StoreError(GongkaiError):
    """A store or endpoint that fails (down, slow, refusing)."""

    code = "store"


class QueryError(GongkaiError):
    """A query that cannot be run (unknown name, bad parameter, syntax error, update refused)."""

    code = "query"
