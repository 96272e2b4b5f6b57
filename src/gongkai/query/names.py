"""A bureau named as people write it (full name, a part of it, or pinyin initials) → its IRI,
for query parameters that take a bureau's IRI; several matches are refused with the
candidates listed."""

from __future__ import annotations

import re
from collections.abc import Iterable

from gongkai.errors import QueryError
from gongkai.legal.keys import title_key
from gongkai.legal.search import initials


def bureau_iri(value: str, bureaus: Iterable[tuple[str, str]]) -> str:
    """``bureaus``: (name, IRI) pairs, as the ``bureaus`` query returns them. An exact name
    (simplified or traditional characters) wins; else the one bureau whose name contains
    ``value`` or whose pinyin initials start with it."""
    q = value.strip()
    key = title_key(q)
    pairs = list(dict.fromkeys(bureaus))
    exact = [iri for name, iri in pairs if title_key(name) == key]
    if len(set(exact)) == 1:
        return exact[0]
    low = q.lower()
    found = [(name, iri) for name, iri in pairs
             if (key and key in title_key(name))
             or (re.fullmatch(r"[a-z]{2,}", low) and initials(title_key(name)).startswith(low))]
    if len({iri for _, iri in found}) == 1:
        return found[0][1]
    if not found:
        raise QueryError(f"no bureau matches {value!r}: give its name, a part of it, pinyin initials or an IRI "
                         "(`gongkai query bureaus` lists them)")
    names = "; ".join(f"{name} {iri}" for name, iri in found[:10])
    more = f" (and {len(found) - 10} more)" if len(found) > 10 else ""
    raise QueryError(f"{value!r} matches {len(found)} bureaus: {names}{more}; give a fuller name or an IRI")
