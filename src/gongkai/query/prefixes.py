"""Prefixes a query uses without declaring them: the known ones added, the others named.

A person who writes ``?x a gk:DisclosureItem`` without ``PREFIX gk: <…>`` means the
prefix the graph uses; SPARQL parsers answer with a complaint about characters.
``add_missing_prefixes`` finds every prefixed name (``gk:DisclosureItem``, ``xsd:date``)
outside strings, IRIs and comments whose prefix no ``PREFIX`` line declares, prepends the
declaration of each known one (``gongkai.rdf.namespaces.PREFIXES``: gk, dcterms, skos …)
and names the unknown ones with their line and column, so that a screen can say
"unknown prefix xx:" instead of the parser's complaint.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from gongkai.rdf.namespaces import PREFIXES

# the characters of a prefix (SPARQL's PN_PREFIX, close enough: a letter first, no dot last)
_PN = r"[A-Za-z\u00C0-\uFFFF](?:[\w.\-\u00B7\u00C0-\uFFFF]*[\w\-\u00B7\u00C0-\uFFFF])?"
# a local name: letters, digits, _ - : %xx, backslash escapes, inner dots
_LOCAL = r"(?:[\w\-:%\u00B7\u00C0-\uFFFF]|\\.|\.(?=[\w\-:%\u00B7\u00C0-\uFFFF]))*"

_SCAN = re.compile(rf"""
    (?P<comment>\#[^\n]*)
  | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*(?:\"\"\"|$)|'''(?:[^'\\]|\\.|'(?!''))*(?:'''|$)
               |"(?:[^"\\\n]|\\.)*"?|'(?:[^'\\\n]|\\.)*'?)
  | (?P<iri><[^<>"{{}}|^`\\\s]*>)
  | (?P<var>[?$][\w\u00B7\u00C0-\uFFFF]+)
  | (?P<bnode>_:{_LOCAL})
  | (?P<pname>(?P<prefix>{_PN})?:{_LOCAL})
  | (?P<word>\w+)
  | (?P<space>\s+)
  | (?P<other>.)
""", re.VERBOSE | re.DOTALL)


@dataclass(frozen=True)
class PrefixUse:
    """A prefixed name in a query: its prefix (without the colon), line and column (from 1)."""

    prefix: str
    line: int
    column: int

    @property
    def shown(self) -> str:
        return f"{self.prefix}:"


@dataclass(frozen=True)
class PrefixFix:
    """The query with the known prefixes it lacked declared first; what was added; and the
    first use of each prefix that is neither declared nor known."""

    text: str
    added: tuple[str, ...]
    unknown: tuple[PrefixUse, ...]


def known_prefixes() -> dict[str, str]:
    """The prefixes the graph uses: name → namespace IRI."""
    return {p: str(ns) for p, ns in PREFIXES.items()}


def _declaration(prefix: str, iri: str) -> str:
    return f"PREFIX {prefix}: <{iri}>\n"


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def scan_prefixes(text: str) -> tuple[set[str], list[PrefixUse]]:
    """The prefixes ``text`` declares (``PREFIX x: <…>``), and every prefixed name it uses
    outside comments, strings and IRIs, in order."""
    declared: set[str] = set()
    uses: list[PrefixUse] = []
    after_prefix_keyword = False
    for m in _SCAN.finditer(text):
        kind = m.lastgroup
        if kind in ("space", "comment"):
            continue
        if kind == "pname":
            prefix = m.group("prefix") or ""
            if after_prefix_keyword:
                declared.add(prefix)
            else:
                uses.append(PrefixUse(prefix, *_position(text, m.start())))
        after_prefix_keyword = kind == "word" and m.group().upper() == "PREFIX"
    return declared, uses


def add_missing_prefixes(text: str, known: Mapping[str, str] | None = None) -> PrefixFix:
    """``text`` with a ``PREFIX`` line first for every known prefix it uses without declaring
    (in the order of ``known``, the graph's prefixes by default); a declared prefix is left
    alone, whatever IRI it names. Prefixes neither declared nor known come back in
    ``unknown``, at their first use; the text is then unchanged."""
    known = known_prefixes() if known is None else known
    declared, uses = scan_prefixes(text)
    missing: dict[str, PrefixUse] = {}
    for use in uses:
        if use.prefix not in declared:
            missing.setdefault(use.prefix, use)
    unknown = tuple(u for p, u in missing.items() if p not in known)
    if unknown:
        return PrefixFix(text, (), unknown)
    added = tuple(p for p in known if p in missing)
    if not added:
        return PrefixFix(text, (), ())
    return PrefixFix("".join(_declaration(p, known[p]) for p in added) + text, added, ())


def unknown_prefix_message(use: PrefixUse) -> str:
    """The error for an undeclared prefix gongkai does not know, in English."""
    return (f"unknown prefix {use.shown} at line {use.line}, column {use.column}: "
            f"declare it with PREFIX {use.shown} <…>")
