"""IRI minting: deterministic, ASCII, stable across re-ingest.

Policy (DESIGN.md): under a configurable base,
- organisations  ``org/<pinyin-slug>``
- lists          ``list/<org-slug>/<date>`` (``undated`` when the list states no date)
- a list that names no bureau: ``list/unknown-<sha12>/<date>``, its bureau ``org/unknown-<sha12>``,
                 ``<sha12>`` the first 12 hex digits of the source file's SHA-256
- rows not read  ``list/<org-slug>/<date>/unread/<n>`` (in the order of their lines)
- items          ``list/<org-slug>/<date>/item/<n>``
- legal sources  ``legal/<issuer-code-slug>/<year>/<serial>`` with a document number,
                 ``legal/<issuer-code-slug>/<serial>`` for an order number without year
                 (国务院令第711号 → ``legal/guowuyuanling/711``), else ``legal/title/<slug>``
- legal works    ``legal/work/<slug of the oldest version's title>``: the law whatever its version
- vocabulary     ``vocab/<scheme>/<concept>`` (fixed base: the vocabularies are published once)

Never a random or counter-based IRI: every segment is derived from the data.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
import unicodedata

from pypinyin import Style, lazy_pinyin
from rdflib import URIRef

from gongkai.settings import DEFAULT_BASE
from gongkai.text import fold

_NON_SLUG = re.compile(r"[^a-z0-9]+")
_MAX_SLUG = 80


@functools.lru_cache(maxsize=1 << 16)
def slug(text: str, *, max_len: int = _MAX_SLUG) -> str:
    """ASCII slug of any text; Chinese becomes toneless pinyin without separators.

    Pinyin runs and ASCII runs are separated by a hyphen: ``OA平台`` → ``oa-pingtai``.
    A slug longer than ``max_len`` is cut and given a short hash of the full text so two
    long titles sharing a prefix do not collide.

    >>> slug("中卫市云计算和大数据发展局")
    'zhongweishiyunjisuanhedashujufazhanju'
    >>> slug("财预")
    'caiyu'
    """
    key = fold(text)
    parts: list[str] = []
    buf = ""
    for syl in lazy_pinyin(key, style=Style.NORMAL, errors="default", v_to_u=False):
        # lazy_pinyin yields one syllable per Han character and runs of other text as is
        if re.fullmatch(r"[a-z]+", syl) and any("\u4e00" <= c <= "\u9fff" for c in key):
            buf += syl
        else:
            if buf:
                parts.append(buf)
                buf = ""
            parts.append(syl)
    if buf:
        parts.append(buf)
    s = unicodedata.normalize("NFKD", "-".join(parts)).encode("ascii", "ignore").decode().lower()
    s = _NON_SLUG.sub("-", s).strip("-")
    if not s:
        s = "x" + hashlib.sha256(key.encode()).hexdigest()[:10]
    if len(s) > max_len:
        s = s[: max_len - 11].rstrip("-") + "-" + hashlib.sha256(key.encode()).hexdigest()[:10]
    return s


class IRIs:
    """Mints IRIs under one base. Pass it around; nothing global."""

    def __init__(self, base: str = DEFAULT_BASE):
        self.base = base if base.endswith(("/", "#")) else base + "/"

    def _iri(self, path: str) -> URIRef:
        return URIRef(self.base + path)

    def org(self, name: str) -> URIRef:
        return self._iri(f"org/{slug(name)}")

    def list_key(self, org_name: str, date: dt.date | None) -> str:
        return f"{slug(org_name)}/{date.isoformat() if date else 'undated'}"

    def list(self, org_name: str, date: dt.date | None) -> URIRef:
        return self._iri(f"list/{self.list_key(org_name, date)}")

    def unnamed_list_key(self, sha256: str, date: dt.date | None) -> str:
        """The key of a list that names no bureau: ``unknown-<first 12 hex of the file's SHA-256>/<date>``."""
        return f"unknown-{sha256[:12].lower()}/{date.isoformat() if date else 'undated'}"

    def unnamed_list(self, sha256: str, date: dt.date | None) -> URIRef:
        return self._iri(f"list/{self.unnamed_list_key(sha256, date)}")

    def unnamed_org(self, sha256: str) -> URIRef:
        """The bureau of a list that names none: one per file, never shared with another list."""
        return self._iri(f"org/unknown-{sha256[:12].lower()}")

    def list_graph(self, org_name: str, date: dt.date | None) -> URIRef:
        """The named graph holding one list: the list's own IRI (one graph per list)."""
        return self.list(org_name, date)

    def item(self, list_iri: URIRef, number: int) -> URIRef:
        return URIRef(f"{list_iri}/item/{number}")

    def sub(self, parent: URIRef, *segments: str | int) -> URIRef:
        """A node that belongs to ``parent``: ``<item>/citation/2``, ``<list>/source``."""
        return URIRef(str(parent) + "".join(f"/{s}" for s in segments))

    def legal(self, *, issuer_code: str | None = None, year: int | None = None,
              serial: int | None = None, title: str | None = None) -> URIRef:
        if issuer_code and serial is not None:
            if year is not None:
                return self._iri(f"legal/{slug(issuer_code)}/{year}/{serial}")
            return self._iri(f"legal/{slug(issuer_code)}/{serial}")
        if title:
            return self._iri(f"legal/title/{slug(title)}")
        raise ValueError("a legal source needs a document number or a title")

    def legal_work(self, title: str) -> URIRef:
        """A legal work, the law as such whatever its version: ``legal/work/<slug>``."""
        return self._iri(f"legal/work/{slug(title)}")

    def dataset(self) -> URIRef:
        return self._iri("dataset")


def vocab(scheme: str, concept: str | None = None) -> URIRef:
    """A vocabulary IRI: ``vocab/<scheme>`` (the scheme) or ``vocab/<scheme>/<concept>``."""
    tail = f"{scheme}/{concept}" if concept else scheme
    return URIRef(f"{DEFAULT_BASE}vocab/{tail}")
