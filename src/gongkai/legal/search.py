"""Find legal sources by what people type: a title, an alias, a document number, a part
of a title, an English title or alias (``Budget Law``), or pinyin initials (``zfxxgktl``
→ 政府信息公开条例).

``search`` returns works (the oldest version of each chain, one entry per work), best
match first. ``target`` says what a person asked to trace: a document number or a
version's IRI names that version only; a title or alias names the work.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

from pypinyin import Style, lazy_pinyin

from gongkai.errors import QueryError
from gongkai.legal.keys import doc_number_key, parse_doc_number_text, title_key
from gongkai.legal.registry import LegalSource, Registry

_NATIONAL = "中华人民共和国"


@functools.lru_cache(maxsize=4096)
def initials(text: str) -> str:
    """Pinyin initials of the Han characters in ``text``: 政府信息公开条例 → zfxxgktl."""
    return "".join(s[0] for s in lazy_pinyin(re.sub(r"[^\u4e00-\u9fff]", "", text), style=Style.FIRST_LETTER) if s)


def _variants(title: str) -> list[str]:
    out = [title]
    if title.startswith(_NATIONAL):
        out.append(title[len(_NATIONAL):])
    return out


def _english_key(text: str) -> str:
    """Lower-case words of an English title, single-spaced (``Budget  law`` → ``budget law``)."""
    return " ".join(re.findall(r"[a-z0-9]+", text.lower())) if text.isascii() else ""


def search(registry: Registry, query: str, limit: int = 20) -> list[tuple[LegalSource, str]]:
    """Works matching ``query`` with how they matched, best first:
    document number, exact title/alias, title containing the text, pinyin initials."""
    q = query.strip()
    if not q:
        return []
    hits: dict[str, tuple[int, LegalSource, str]] = {}

    def add(src: LegalSource, rank: int, how: str) -> None:
        work = registry.versions(src)[0]
        if work.id not in hits or hits[work.id][0] > rank:
            hits[work.id] = (rank, work, how)

    if parse_doc_number_text(q) is not None:
        src = registry.by_doc_number(q)
        if src is not None:
            add(src, 0, "doc-number")
    for src in registry.by_title(q):
        add(src, 1, "title")
    for src in registry.by_alias(q):
        add(src, 2, "alias")
    key = title_key(q)
    low = q.lower()
    english = _english_key(q)
    for src in registry:
        titles = [src.title, *src.aliases]
        en = [_english_key(t) for t in (src.title_en, *src.aliases) if t and t.isascii()]
        if english and english in en:
            add(src, 1, "English title")
        elif key and any(key in title_key(t) for t in titles):
            add(src, 3, "title contains")
        elif english and len(english) >= 3 and any(english in t for t in en):
            add(src, 3, "English title contains")
        elif re.fullmatch(r"[a-z]+", low) and len(low) >= 2 and any(
                initials(v).startswith(low) for t in titles for v in _variants(t)):
            add(src, 4, "pinyin initials")
        elif src.doc_number and doc_number_key(src.doc_number) and key and key in title_key(src.doc_number):
            add(src, 5, "doc-number contains")
    ranked = sorted(hits.values(), key=lambda h: (h[0], h[1].title))
    return [(src, how) for _, src, how in ranked[:limit]]


@dataclass(frozen=True)
class Target:
    """What a trace or a query parameter names: a work (all its versions) or one version.

    ``work`` is the oldest version of the chain (the work's registry row); ``version`` the
    one version named by a document number or an IRI, None when the work as such is meant;
    ``how`` says how it was found.
    """

    work: LegalSource
    version: LegalSource | None
    how: str


def iri_index(registry: Registry, iris: Any) -> dict[str, LegalSource]:
    """Each version's IRI (as text) → its registry row."""
    return {str(registry.iri(s, iris)): s for s in registry}


def targets(registry: Registry, query: str, iris: Any) -> list[Target]:
    """What ``query`` names, best first: a version's IRI or document number gives that
    version (of its work); a work's IRI that work; anything else the works ``search`` finds."""
    q = query.strip()
    if re.match(r"^https?://", q):
        src = iri_index(registry, iris).get(q)
        if src is not None:
            return [Target(registry.versions(src)[0], src, "IRI")]
        work = next((w for w in registry.works() if str(registry.work_iri(w, iris)) == q), None)
        return [Target(work, None, "IRI")] if work is not None else []
    if parse_doc_number_text(q) is not None:
        src = registry.by_doc_number(q)
        if src is not None:
            return [Target(registry.versions(src)[0], src, "doc-number")]
    return [Target(work, None, how) for work, how in search(registry, q)]


_EXACT = ("IRI", "doc-number", "title", "alias", "English title")


def _short_title(source: LegalSource) -> str:
    key = title_key(source.title)
    return key[len(_NATIONAL):] if key.startswith(_NATIONAL) and len(key) > len(_NATIONAL) else key


def _unambiguous(best: Target, found: list[Target]) -> bool:
    """An exact title, number or IRI match settles it. An alias settles it only when the
    other works found are named after the matched one (预算法 → 预算法实施条例): an alias
    that other titles merely contain (条例, in every regulation's title) names no one law."""
    if best.how != "alias":
        return True
    own = _short_title(best.work)
    return all(t is best or _short_title(t.work).startswith(own) for t in found)


def target_iri(registry: Registry, value: str, iris: Any, *, version: bool = False) -> str:
    """The IRI a person means by ``value`` (a name, alias, document number, English title
    or pinyin initials) for a query parameter naming a legal source: the version a
    document number names, else the work. ``version``: the parameter needs one version,
    so a work with several versions is refused with its versions listed.

    Raises QueryError listing the candidates when ``value`` names several sources, or none.
    """
    found = targets(registry, value, iris)
    exact = [t for t in found if t.how in _EXACT]
    pick = found if len(found) == 1 else exact if len(exact) == 1 and _unambiguous(exact[0], found) else []
    if not pick:
        if not found:
            raise QueryError(f"no legal source matches {value!r}: give a title, an alias, a document number, "
                             "pinyin initials or an IRI (`gongkai legal list` shows them all)")
        names = "; ".join(f"《{t.work.title}》 "
                          f"{registry.iri(t.version, iris) if t.version else registry.work_iri(t.work, iris)}"
                          for t in found[:10])
        more = f" (and {len(found) - 10} more)" if len(found) > 10 else ""
        raise QueryError(f"{value!r} matches {len(found)} legal sources: {names}{more}; "
                         "give a fuller title, a document number or an IRI")
    t = pick[0]
    chain = registry.versions(t.work)
    if t.version is not None:
        return str(registry.iri(t.version, iris))
    if version and len(chain) > 1:
        names = "; ".join(f"{v.year or v.id} {v.doc_number or ''} {registry.iri(v, iris)}".replace("  ", " ")
                          for v in chain)
        raise QueryError(f"{value!r} is 《{t.work.title}》, which has {len(chain)} versions: {names}; "
                         "give a document number or an IRI")
    return str(registry.work_iri(t.work, iris))
