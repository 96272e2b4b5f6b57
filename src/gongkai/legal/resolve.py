"""Citation → legal resource: link a parsed citation to one registry version, on evidence.

A wrong link is worse than none: a lawyer asking which items rely on a regulation must
not be shown an item that cites something else. So the rules only ever compare exact
matching keys (``registry.title_key`` / ``doc_number_key``), never similarity scores:

1. **Document number.** A 文号/令号 found in the registry names exactly one version,
   which is taken even if it was not in force at the list's date (validation reports
   that). If the citation also carries a title that does not fit that document (neither
   contains the other, nor does the raw text contain the document's title), the two
   pieces of evidence disagree and nothing is linked.
2. **Title**, then **alias.** The title (中华人民共和国 optional when the registry title
   has it, not the other way round) or a listed alias identifies a *work*; its version is
   the one in force at the list's date. A trailing year qualifier (预算法实施条例
   （2020年）) picks the version of that year instead. Two different works under one
   title, or a cited document number that no version of the work carries: these stay
   unresolved, with the candidates and the reason.

Resolution has two levels. The **work** is linked whenever the title, alias or number
identifies it; the **version** only when the evidence allows. An undated list citing a
work with several versions, or version dates that do not settle which one was in force,
gives the work alone: ``work_id`` set, ``source_id`` None, the version "not determined"
(版本未定) — never a second, minted resource for a law the registry knows.

A title that is a *wrong* name of a real document (《中华人民共和国法律援助条例》 for
《法律援助条例》) links only if the registry lists it as an alias, i.e. a person has
reviewed that variant and said what it means.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal

from gongkai.legal.keys import doc_number_key, title_key
from gongkai.legal.registry import LegalSource, Registry, in_force_at, version_in_force
from gongkai.model import Citation

Method = Literal["doc-number", "title", "alias"]

# 预算法实施条例（2020年） / （2018年修正） / （2019年修订版）: after title_key the
# brackets are half-width.
_YEAR_QUALIFIER = re.compile(r"^(?P<base>.+?)\((?P<year>(?:19|20)\d{2})年?(?:修订|修正|版|修订版|修正版|修订本)?\)$")

# one title key contained in the other counts only from this length on (an attached 方案
# cited by its own title); shorter keys (条例, 预算法) are contained in too many titles.
_MIN_FRAGMENT = 6


@dataclass(frozen=True)
class Resolution:
    """The outcome of resolving one citation.

    ``source_id`` is the registry id of the linked version (None when no version could
    be chosen); ``work_id`` the id of its work (the oldest version of the chain), set
    whenever the work is known, even when the version is not; ``method`` says which
    evidence linked the version (None when no version was linked; the ``reason`` then
    says how the work was found); ``candidates`` lists the registry ids that
    were considered (the versions of the work, or the competing works), so a person can
    pick one when nothing was linked; ``reason`` explains the outcome in a sentence;
    ``in_force`` says whether the linked version was in force at the list's date (None
    when unknown or undated).
    """

    source_id: str | None
    method: Method | None
    candidates: tuple[str, ...] = ()
    reason: str = ""
    in_force: bool | None = None
    work_id: str | None = None

    @property
    def resolved(self) -> bool:
        return self.source_id is not None

    @property
    def version_undetermined(self) -> bool:
        """The work is known, its version is not (版本未定)."""
        return self.source_id is None and self.work_id is not None


def _split_year(key: str) -> tuple[str, int] | None:
    m = _YEAR_QUALIFIER.match(key)
    return (m["base"], int(m["year"])) if m else None


def _texts(citation: Citation) -> list[str]:
    """The texts that may name the document: the parsed title, else the raw text (a
    bare title written without 《》, such as ●中华人民共和国政府信息公开条例)."""
    if citation.title:
        return [citation.title]
    return [citation.raw] if citation.raw else []


def _match_title(citation: Citation, registry: Registry
                 ) -> tuple[list[LegalSource], Method | None, int | None]:
    """Rows named by the citation's title: (rows, method, year qualifier)."""
    for text in _texts(citation):
        key = title_key(text)
        if not key:
            continue
        split = _split_year(key)
        lookups: tuple[tuple[Callable[[str], list[LegalSource]], Method], ...] = (
            (registry.by_title, "title"), (registry.by_alias, "alias"))
        for lookup, method in lookups:
            hits = lookup(key)
            if hits:
                return hits, method, None
            if split:
                hits = lookup(split[0])
                if hits:
                    return hits, method, split[1]
    return [], None, None


def _fits(source: LegalSource, citation: Citation) -> bool:
    """Does the citation's wording fit ``source`` (used when a document number found it)?

    True when there is no title to contradict it, or when one key contains the other:
    the raw text contains the document's title, or the citation's title is the document's
    title, an alias, or a long enough part of it (lists cite an attached 方案 or 办法
    by its own title and the covering notice's 文号).
    """
    if not citation.title:
        return True
    own = source.keys()
    cited = title_key(citation.title)
    split = _split_year(cited)
    cited_keys = {cited, split[0]} if split else {cited}
    raw = title_key(citation.raw)
    for k in own:
        if k in cited_keys:
            return True
        long_enough = len(k) >= _MIN_FRAGMENT
        if long_enough and ((raw and k in raw) or any(k in c for c in cited_keys)):
            return True
        if any(len(c) >= _MIN_FRAGMENT and c in k for c in cited_keys):
            return True
    return False


def _ids(rows: Iterable[LegalSource]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(r.id for r in rows))


def resolve(citation: Citation, registry: Registry, at: dt.date | None = None) -> Resolution:
    """Link ``citation`` to one version in ``registry``; ``at`` is the list's date."""
    number = citation.doc_number
    hits, method, year = _match_title(citation, registry)

    # 1. document number
    if number is not None:
        found = registry.by_doc_number(number)
        if found is not None:
            chain = registry.versions(found)
            if not _fits(found, citation):
                others = [v for h in hits for v in registry.versions(h)]
                return Resolution(
                    None, None, _ids([found, *others]),
                    f"document number {doc_number_key(number)} is {found.id} "
                    f"({found.title}), but the title 《{citation.title}》 names something else")
            status = in_force_at(chain, found, at)
            reason = f"document number {doc_number_key(number)}"
            if status is False:
                reason += f"; this version was not in force on {at}"
            return Resolution(found.id, "doc-number", (found.id,), reason, status, chain[0].id)

    # 2. title, then alias
    if not hits:
        if number is not None:
            return Resolution(None, None, (), f"document number {doc_number_key(number)} "
                                              "is not in the registry and the title matches no entry")
        if not _texts(citation):
            return Resolution(None, None, (), "the citation has neither a title nor a document number")
        return Resolution(None, None, (), "no registry title or alias matches")

    works: dict[str, list[LegalSource]] = {}
    for h in hits:
        works.setdefault(registry.work_id(h), registry.versions(h))
    if len(works) > 1:
        cands = _ids(v for chain in works.values() for v in chain)
        return Resolution(None, None, cands, f"{len(works)} different documents carry this title")
    chain = next(iter(works.values()))
    cands = _ids(chain)
    work = chain[0].id
    assert method is not None

    if number is not None:
        numbered = [v for v in chain if v.doc_key]
        if numbered:
            return Resolution(None, None, cands,
                              f"document number {doc_number_key(number)} is not recorded for any "
                              f"version of {chain[0].title} "
                              f"({', '.join(v.doc_key for v in numbered)})")

    if year is not None:
        same_year = [v for v in chain if v.year == year]
        if len(same_year) != 1:
            return Resolution(None, None, cands,
                              f"{len(same_year)} recorded versions of {chain[0].title} are of {year}: "
                              "version not determined", work_id=work)
        v = same_year[0]
        return Resolution(v.id, method, cands, f"{method} with the year {year}",
                          in_force_at(chain, v, at), work)

    if at is None:
        if len(chain) == 1:
            return Resolution(chain[0].id, method, cands, f"{method}; the only recorded version",
                              work_id=work)
        return Resolution(None, None, cands,
                          f"the list's date is unknown, so none of the {len(chain)} versions "
                          "can be chosen: version not determined (give the list its date); the work by "
                          f"{method}", work_id=work)

    current = version_in_force(chain, at)
    if current is not None:
        why = f"{method}; the version in force on {at}" if len(chain) > 1 else method
        return Resolution(current.id, method, cands, why, in_force_at(chain, current, at), work)

    statuses = [in_force_at(chain, v, at) for v in chain]
    if None in statuses:
        return Resolution(None, None, cands,
                          f"the recorded dates do not tell which version was in force on {at}: "
                          "version not determined", work_id=work)
    # nothing in force: the citation may name a repealed text or one not yet in force;
    # take the latest version issued by then, if its issue date is known.
    issued = [v for v in chain if v.issued and v.issued <= at]
    if issued:
        v = issued[-1]
        return Resolution(v.id, method, cands,
                          f"{method}; no version was in force on {at}, this is the latest issued by then",
                          False, work)
    return Resolution(None, None, cands, f"the list's date {at} is before any recorded version: "
                                          "version not determined", work_id=work)


def resolve_all(citations: Iterable[Citation], registry: Registry,
                at: dt.date | None = None) -> list[Resolution]:
    """Resolve each citation and record the outcome on it (``resolved_id``, ``resolution``)."""
    out = []
    for c in citations:
        r = resolve(c, registry, at)
        c.resolved_id = r.source_id
        c.work_id = r.work_id
        c.resolution = r.method
        out.append(r)
    return out


__all__ = ["Method", "Resolution", "resolve", "resolve_all"]
