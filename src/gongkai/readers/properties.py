"""The properties of a Word or Excel file (.docx, .xlsx) as the document's facts.

Office writes who saved a file, when, and under which title into the package
(``docProps/core.xml``: ``dc:title``, ``dc:creator``, ``dcterms:created``,
``dcterms:modified``; ``docProps/app.xml``: ``Company``, ``Application``). A list whose
table names no bureau or date may still say them there; the readers keep them in
``CellGrid.meta`` (:data:`~gongkai.readers.grid.DOCUMENT`) and the field parsers decide
what they are worth.

A file written by a program library rather than saved from an office suite carries the
library's defaults (python-docx's template is dated 2013-12-23, openpyxl stamps the time
it ran): its properties say nothing about the list and are not kept. Dates are turned
into China's calendar day (UTC+8) and written ``YYYY-MM-DD``; dates before 1990 (empty
or zero dates some programs write) are not kept. A part that cannot be read is passed
over: properties are never a reason to refuse a file.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

from gongkai.readers.grid import set_document_fact
from gongkai.readers.limits import ZIP_DAMAGE

if TYPE_CHECKING:  # lxml is loaded only when a package is read
    from lxml.etree import _Element

#: words in the creator, description or application of a file a program library wrote
GENERATORS = ("python-docx", "openpyxl", "xlsxwriter", "apache poi", "phpspreadsheet", "phpexcel",
              "docx4j", "aspose", "npoi", "epplus", "closedxml", "unknown creator")

#: a property part larger than this is not a property part
_MAX_PART = 1024 * 1024
_CHINA = dt.timezone(dt.timedelta(hours=8))
_FIRST_YEAR = 1990

#: (element of core.xml, fact, where); elements are matched by their local name (dc:title,
#: dcterms:modified …: no two share one)
_CORE = (("title", "title", "properties (title)"),
         ("creator", "author", "properties (creator)"),
         ("modified", "modified", "properties (modified)"),
         ("created", "created", "properties (created)"))


def _part(z: zipfile.ZipFile, name: str) -> _Element | None:
    import lxml.etree  # lazy: only when a package is read

    try:
        info = z.getinfo(name)
        if info.file_size > _MAX_PART:
            return None
        data = z.read(info)
        parser = lxml.etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
        return lxml.etree.fromstring(data, parser=parser)
    except (KeyError, lxml.etree.XMLSyntaxError, *ZIP_DAMAGE):
        return None


def _text(root: _Element | None, tag: str) -> str:
    """The text of the part's first child element named ``tag`` (its local name), or ''."""
    if root is None:
        return ""
    for el in root:
        if isinstance(el.tag, str) and el.tag.rsplit("}", 1)[-1] == tag:
            return " ".join((el.text or "").split())
    return ""


def china_day(text: str) -> str | None:
    """A W3C date-time (``2023-05-10T20:15:00Z``) as China's calendar day, ``YYYY-MM-DD``.

    >>> china_day("2023-05-10T20:15:00Z")
    '2023-05-11'
    >>> china_day("1601-01-01T00:00:00Z") is None
    True
    """
    try:
        when = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    if when.tzinfo is not None:
        when = when.astimezone(_CHINA)
    return when.date().isoformat() if when.year >= _FIRST_YEAR else None


def office_facts(path: str | Path, meta: dict[str, str]) -> None:
    """Put the package's properties into ``meta`` as the document's facts (see the module docstring)."""
    try:
        with zipfile.ZipFile(path) as z:
            core = _part(z, "docProps/core.xml")
            app = _part(z, "docProps/app.xml")
    except ZIP_DAMAGE:
        return
    made_by = " ".join([_text(core, "creator"), _text(core, "description"), _text(app, "Application")]).lower()
    if any(g in made_by for g in GENERATORS):
        return
    for tag, fact, where in _CORE:
        value = _text(core, tag)
        if fact in ("created", "modified"):
            value = china_day(value) or ""
        set_document_fact(meta, fact, value, where)
    set_document_fact(meta, "company", _text(app, "Company"), "properties (company)")
