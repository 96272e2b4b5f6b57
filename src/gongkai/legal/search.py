"""Find legal sources by what people type: a title, an alias, a document number, a part
of a title, or pinyin initials (``zfxxgktl`` → 政府信息公开条例).

Returns works (the oldest version of each chain, one entry per work), best match first.
"""

from __future__ import annotations

import functools
import re

from pypinyin import Style, lazy_pinyin

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
    for src in registry:
        titles = [src.title, *src.aliases]
        if key and any(key in title_key(t) for t in titles):
            add(src, 3, "title contains")
        elif re.fullmatch(r"[a-z]+", low) and len(low) >= 2 and any(
                initials(v).startswith(low) for t in titles for v in _variants(t)):
            add(src, 4, "pinyin initials")
        elif src.doc_number and doc_number_key(src.doc_number) and key and key in title_key(src.doc_number):
            add(src, 5, "doc-number contains")
    ranked = sorted(hits.values(), key=lambda h: (h[0], h[1].title))
    return [(src, how) for _, src, how in ranked[:limit]]
