"""The authority data on legal sources (data/authorities/): issuing bodies, sources and their
versions, read from CSV and checked; which version is in force on a date."""

from __future__ import annotations

import csv
import datetime as dt
import functools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gongkai.errors import InputError
from gongkai.legal.keys import _ID, _ISO_DATE, doc_number_key, parse_doc_number_text, title_key, title_keys
from gongkai.model import DocNumber
from gongkai.settings import Settings
from gongkai.text import clean

SOURCES_FILE = "legal-sources.csv"


ORGANISATIONS_FILE = "organisations.csv"


#: the controlled ``type`` values and their Chinese names (for people reading the CSV).
SOURCE_TYPES: dict[str, str] = {
    "law": "法律",
    "administrative-regulation": "行政法规",
    "departmental-rule": "部门规章",
    "local-regulation": "地方性法规",
    "local-rule": "地方政府规章",
    "state-council-normative": "国务院规范性文件",
    "department-normative": "部门规范性文件",
    "local-normative": "地方规范性文件",
    "party-document": "党内法规/中办国办文件",
    "work-plan": "年度工作要点",
    "standard": "标准",
}


SOURCE_COLUMNS = (
    "id", "type", "title", "title_en", "doc_number", "issuer", "adopted", "promulgated",
    "in_force", "no_longer_in_force", "replaces", "superseded_by", "aliases",
    "jurisdiction", "source", "note",
)


ORGANISATION_COLUMNS = ("id", "name", "name_en", "parent", "source", "note")


_REQUIRED_SOURCE = ("id", "type", "title")


_REQUIRED_ORGANISATION = ("id", "name")


@dataclass(frozen=True)
class IssuingBody:
    """A body that issues legal sources (国务院, 财政部, 中卫市人民政府 …)."""

    id: str
    name: str
    name_en: str | None = None
    parent: str | None = None          # id of the body it belongs to
    source: str | None = None
    note: str | None = None
    row: int = 0                       # line in organisations.csv


@dataclass(frozen=True)
class LegalSource:
    """One version of a legal source, as a row of legal-sources.csv.

    ``in_force`` is the date this version entered into force. Rows that stand for a law
    as a whole (versions not recorded, said in ``note``) give its first entry into force.
    """

    id: str
    type: str
    title: str
    title_en: str | None = None
    doc_number: str | None = None      # as officially written
    doc: DocNumber | None = None       # parsed, for IRIs (None for standards and unknown forms)
    issuers: tuple[str, ...] = ()      # ids in organisations.csv
    adopted: dt.date | None = None
    promulgated: dt.date | None = None
    in_force: dt.date | None = None
    no_longer_in_force: dt.date | None = None
    replaces: str | None = None        # earlier version of the same work
    superseded_by: str | None = None   # a different work that took its place
    aliases: tuple[str, ...] = ()
    jurisdiction: str | None = None
    source: str | None = None
    note: str | None = None
    row: int = 0                       # line in legal-sources.csv

    @property
    def type_zh(self) -> str:
        return SOURCE_TYPES.get(self.type, self.type)

    @property
    def issued(self) -> dt.date | None:
        """The earliest known date of this version (adopted, promulgated or in force)."""
        dates = [d for d in (self.adopted, self.promulgated, self.in_force) if d]
        return min(dates) if dates else None

    @property
    def year(self) -> int | None:
        """The year a version is known by (预算法实施条例（2020年）): adoption, else
        promulgation, else entry into force, else the 文号's year."""
        for d in (self.adopted, self.promulgated, self.in_force):
            if d:
                return d.year
        return self.doc.year if self.doc else None

    @property
    def doc_key(self) -> str:
        return doc_number_key(self.doc or self.doc_number)

    def keys(self) -> tuple[str, ...]:
        """Every title key this row is known under: official title(s) and aliases."""
        out = list(title_keys(self.title))
        out += [title_key(a) for a in self.aliases]
        return tuple(dict.fromkeys(k for k in out if k))


def _status(chain: list[LegalSource], i: int, at: dt.date) -> bool | None:
    """Was ``chain[i]`` in force at ``at``: True, False, or None when the dates do not tell.

    A version is in force from its ``in_force`` until its ``no_longer_in_force`` or,
    failing that, the next version's ``in_force``. An unknown start of the first version
    and an unknown end of the last are open (the row covers all time it is known for);
    any other unknown bound leaves the answer open.
    """
    v = chain[i]
    if v.issued and at < v.issued:
        return False
    start = v.in_force
    nxt = chain[i + 1] if i + 1 < len(chain) else None
    end = v.no_longer_in_force or (nxt.in_force if nxt else None)
    if start and at < start:
        return False
    if end and at >= end:
        return False
    if (start is None and i > 0) or (end is None and nxt is not None):
        return None
    return True


def version_in_force(chain: list[LegalSource], at: dt.date) -> LegalSource | None:
    """The one version of ``chain`` (oldest first) in force on ``at``; None when no
    version was, or when unknown dates leave more than one possible."""
    statuses = [_status(chain, i, at) for i in range(len(chain))]
    if None in statuses or statuses.count(True) != 1:
        return None
    return chain[statuses.index(True)]


def in_force_at(chain: list[LegalSource], source: LegalSource, at: dt.date | None) -> bool | None:
    """Whether ``source`` (a member of ``chain``) was in force on ``at``; None if unknown.

    Stricter than ``version_in_force``: a row without any date of entry into or exit from
    force is not *known* to be in force, even where it is the only version recorded."""
    if at is None:
        return None
    status = _status(chain, chain.index(source), at)
    if status and source.in_force is None and source.no_longer_in_force is None:
        return None
    return status


@dataclass
class Registry:
    """Legal sources and issuing bodies, indexed for lookups. Build with ``load_registry``."""

    sources: dict[str, LegalSource]
    bodies: dict[str, IssuingBody]
    directory: str = ""
    _by_doc: dict[str, LegalSource] = field(default_factory=dict, init=False, repr=False)
    _by_title: dict[str, list[LegalSource]] = field(default_factory=dict, init=False, repr=False)
    _by_alias: dict[str, list[LegalSource]] = field(default_factory=dict, init=False, repr=False)
    _next: dict[str, str] = field(default_factory=dict, init=False, repr=False)
    _work_titles: dict[str, int] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        for s in self.sources.values():
            if s.doc_key:
                self._by_doc[s.doc_key] = s
            for k in title_keys(s.title):
                self._by_title.setdefault(k, []).append(s)
            for a in s.aliases:
                k = title_key(a)
                if k:
                    self._by_alias.setdefault(k, []).append(s)
            if s.replaces:
                self._next[s.replaces] = s.id
            else:  # the oldest version of a work: how many works share its title
                k = title_key(s.title)
                self._work_titles[k] = self._work_titles.get(k, 0) + 1

    def __len__(self) -> int:
        return len(self.sources)

    def __iter__(self) -> Iterator[LegalSource]:
        return iter(self.sources.values())

    def __contains__(self, source_id: object) -> bool:
        return source_id in self.sources

    def get(self, source_id: str) -> LegalSource:
        """The source with this id (KeyError if there is none)."""
        return self.sources[source_id]

    def body(self, body_id: str) -> IssuingBody:
        return self.bodies[body_id]

    def issuers_of(self, source: LegalSource | str) -> list[IssuingBody]:
        s = self._source(source)
        return [self.bodies[i] for i in s.issuers]

    def by_doc_number(self, number: DocNumber | str) -> LegalSource | None:
        """The version carrying this document number, matched on ``doc_number_key``."""
        key = doc_number_key(number)
        return self._by_doc.get(key) if key else None

    def by_title(self, title: str) -> list[LegalSource]:
        """Rows whose official title matches (every version of a work, in file order)."""
        return list(self._by_title.get(title_key(title), ()))

    def by_alias(self, title: str) -> list[LegalSource]:
        """Rows listing this text among their aliases."""
        return list(self._by_alias.get(title_key(title), ()))

    def versions(self, source: LegalSource | str) -> list[LegalSource]:
        """The whole chain of versions ``source`` belongs to, oldest first."""
        s = self._source(source)
        while s.replaces:
            s = self.sources[s.replaces]
        chain = [s]
        while s.id in self._next:
            s = self.sources[self._next[s.id]]
            chain.append(s)
        return chain

    def work_id(self, source: LegalSource | str) -> str:
        """The id of the oldest version: one key per work, whatever version is cited."""
        return self.versions(source)[0].id

    def works(self) -> list[LegalSource]:
        """The oldest version of every work, in file order."""
        return [s for s in self if not s.replaces]

    version_in_force = staticmethod(version_in_force)

    def work_iri(self, source: LegalSource | str, iris: Any) -> Any:
        """The IRI of the work ``source`` is a version of (the law as such, whatever version):
        ``legal/work/<slug of the oldest version's title>``, with the oldest version's id as a
        last segment where two works share that title (provincial rules of the same name)."""
        first = self.versions(source)[0]
        base = iris.legal_work(first.title)
        key = title_key(first.title)
        if self._work_titles.get(key, 0) > 1:
            return iris.sub(base, first.id)
        return base

    def iri(self, source: LegalSource | str, iris: Any) -> Any:
        """The IRI of a version, minted by ``iris`` (an ``rdf.iris.IRIs``) so that this
        module needs no rdflib: ``legal/<issuer-code>/<year>/<serial>`` from the document
        number, else ``legal/title/<slug>``. Versions sharing a title without document
        numbers (预算法 1994, 2014, 2018) get their year, or their id, as a last segment."""
        s = self._source(source)
        if s.doc is not None:
            return iris.legal(issuer_code=s.doc.issuer_code, year=s.doc.year, serial=s.doc.serial)
        base = iris.legal(title=s.title)
        key = title_key(s.title)
        same = [o for o in self._by_title.get(key, ()) if o.doc is None and title_key(o.title) == key]
        if len(same) < 2:
            return base
        years = [o.year for o in same]
        if s.year is not None and years.count(s.year) == 1:
            return iris.sub(base, s.year)
        return iris.sub(base, s.id)

    def _source(self, source: LegalSource | str) -> LegalSource:
        return self.sources[source] if isinstance(source, str) else source


def _read_csv(path: Path, columns: tuple[str, ...], required: tuple[str, ...]
              ) -> list[tuple[int, dict[str, str]]]:
    """Rows as (line, {column: stripped text}); the header must hold exactly ``columns``."""
    file = str(path)
    if not path.is_file():
        raise InputError(file, "file not found")
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.reader(fh)
            try:
                header = [h.strip() for h in next(reader)]
            except StopIteration:
                raise InputError(file, "empty file: a header row is needed", row=1) from None
            for h in header:
                if h not in columns:
                    raise InputError(file, f"unknown column {h!r} (expected {', '.join(columns)})",
                                     row=1, cell=h or "(empty)")
            if len(set(header)) != len(header):
                dup = next(h for h in header if header.count(h) > 1)
                raise InputError(file, "column given twice", row=1, cell=dup)
            for c in required:
                if c not in header:
                    raise InputError(file, f"required column {c!r} is missing", row=1, cell=c)
            rows = []
            for cells in reader:
                line = reader.line_num
                if not any(c.strip() for c in cells):
                    continue
                if len(cells) > len(header):
                    raise InputError(file, f"{len(cells)} cells but the header has {len(header)}",
                                     row=line)
                values = dict.fromkeys(columns, "")
                for h, v in zip(header, cells, strict=False):  # a short row leaves the last columns empty
                    values[h] = v.strip()
                for c in required:
                    if not values[c]:
                        raise InputError(file, "value required", row=line, cell=c)
                rows.append((line, values))
            return rows
    except UnicodeDecodeError as exc:
        raise InputError(file, f"not UTF-8 text ({exc.reason})") from None
    except csv.Error as exc:
        raise InputError(file, f"malformed CSV: {exc}") from None


def _opt(v: str) -> str | None:
    return v or None


def _split(v: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in v.split("|") if p.strip())


def _date(file: str, line: int, column: str, v: str) -> dt.date | None:
    if not v:
        return None
    if not _ISO_DATE.fullmatch(v):
        raise InputError(file, f"not an ISO date (YYYY-MM-DD): {v!r}", row=line, cell=column)
    try:
        return dt.date.fromisoformat(v)
    except ValueError:
        raise InputError(file, f"no such date: {v!r}", row=line, cell=column) from None


def _check_id(file: str, line: int, column: str, v: str) -> None:
    if not _ID.fullmatch(v):
        raise InputError(file, f"ids are lower-case ASCII words joined by '-': {v!r}",
                         row=line, cell=column)


def _load_bodies(path: Path) -> dict[str, IssuingBody]:
    file = str(path)
    bodies: dict[str, IssuingBody] = {}
    for line, r in _read_csv(path, ORGANISATION_COLUMNS, _REQUIRED_ORGANISATION):
        _check_id(file, line, "id", r["id"])
        if r["id"] in bodies:
            raise InputError(file, f"duplicate id {r['id']!r} (first on row {bodies[r['id']].row})",
                             row=line, cell="id")
        bodies[r["id"]] = IssuingBody(id=r["id"], name=clean(r["name"]), name_en=_opt(r["name_en"]),
                                      parent=_opt(r["parent"]), source=_opt(r["source"]),
                                      note=_opt(r["note"]), row=line)
    for b in bodies.values():
        if b.parent and b.parent not in bodies:
            raise InputError(file, f"unknown parent {b.parent!r}", row=b.row, cell="parent")
        seen = {b.id}
        p = b.parent
        while p:
            if p in seen:
                raise InputError(file, f"parent chain loops back to {p!r}", row=b.row, cell="parent")
            seen.add(p)
            p = bodies[p].parent
    return bodies


def _load_sources(path: Path, bodies: dict[str, IssuingBody]) -> dict[str, LegalSource]:
    file = str(path)
    sources: dict[str, LegalSource] = {}
    docs: dict[str, LegalSource] = {}
    for line, r in _read_csv(path, SOURCE_COLUMNS, _REQUIRED_SOURCE):
        _check_id(file, line, "id", r["id"])
        if r["id"] in sources:
            raise InputError(file, f"duplicate id {r['id']!r} (first on row {sources[r['id']].row})",
                             row=line, cell="id")
        if r["type"] not in SOURCE_TYPES:
            raise InputError(file, f"unknown type {r['type']!r} (one of {', '.join(SOURCE_TYPES)})",
                             row=line, cell="type")
        title = clean(r["title"])
        if "《" in title or "》" in title:
            raise InputError(file, "write the title without 《》 (inner titles in 〈〉)",
                             row=line, cell="title")
        issuers = _split(r["issuer"])
        for i in issuers:
            if i not in bodies:
                raise InputError(file, f"unknown issuer {i!r} (not an id in {ORGANISATIONS_FILE})",
                                 row=line, cell="issuer")
        for col in ("replaces", "superseded_by"):
            if r[col]:
                _check_id(file, line, col, r[col])
        dates = {c: _date(file, line, c, r[c])
                 for c in ("adopted", "promulgated", "in_force", "no_longer_in_force")}
        if dates["in_force"] and dates["no_longer_in_force"] and \
                dates["no_longer_in_force"] <= dates["in_force"]:
            raise InputError(file, "no_longer_in_force must come after in_force",
                             row=line, cell="no_longer_in_force")
        doc_number = clean(r["doc_number"]) or None
        s = LegalSource(
            id=r["id"], type=r["type"], title=title, title_en=_opt(r["title_en"]),
            doc_number=doc_number, doc=parse_doc_number_text(doc_number), issuers=issuers,
            replaces=_opt(r["replaces"]), superseded_by=_opt(r["superseded_by"]),
            aliases=tuple(clean(a) for a in _split(r["aliases"])),
            jurisdiction=_opt(r["jurisdiction"]), source=_opt(r["source"]), note=_opt(r["note"]),
            row=line, **dates,
        )
        if s.doc_key:
            if s.doc_key in docs:
                other = docs[s.doc_key]
                raise InputError(file, f"document number {s.doc_key} is already given to "
                                       f"{other.id!r} (row {other.row})", row=line, cell="doc_number")
            docs[s.doc_key] = s
        sources[s.id] = s
    _check_links(file, sources)
    return sources


def _check_links(file: str, sources: dict[str, LegalSource]) -> None:
    replaced_by: dict[str, LegalSource] = {}
    for s in sources.values():
        for col in ("replaces", "superseded_by"):
            target = getattr(s, col)
            if target is None:
                continue
            if target not in sources:
                raise InputError(file, f"unknown id {target!r}", row=s.row, cell=col)
            if target == s.id:
                raise InputError(file, "a row cannot point to itself", row=s.row, cell=col)
        if s.replaces:
            if s.replaces in replaced_by:
                other = replaced_by[s.replaces]
                raise InputError(file, f"{s.replaces!r} is already replaced by {other.id!r} "
                                       f"(row {other.row}): a version chain cannot fork",
                                 row=s.row, cell="replaces")
            replaced_by[s.replaces] = s
    for s in sources.values():
        seen = {s.id}
        cur = s
        while cur.replaces:
            if cur.replaces in seen:
                raise InputError(file, f"the replaces chain loops back to {cur.replaces!r}",
                                 row=s.row, cell="replaces")
            seen.add(cur.replaces)
            prev = sources[cur.replaces]
            if prev.in_force and cur.in_force and cur.in_force < prev.in_force:
                raise InputError(file, f"enters into force before the version it replaces "
                                       f"({prev.id!r}, {prev.in_force})", row=cur.row, cell="in_force")
            cur = prev


def load_registry(directory: str | Path | None = None) -> Registry:
    """Load and validate ``organisations.csv`` and ``legal-sources.csv`` from ``directory``
    (default: the project's ``data/authorities``). Raises InputError naming file, row, column."""
    if directory is None:
        directory = Settings().authorities_dir
    d = Path(directory)
    bodies = _load_bodies(d / ORGANISATIONS_FILE)
    sources = _load_sources(d / SOURCES_FILE, bodies)
    return Registry(sources=sources, bodies=bodies, directory=str(d))


def chains(registry: Registry) -> Iterable[list[LegalSource]]:
    """Every version chain once, oldest version first (for exports and reports)."""
    for s in registry:
        if not s.replaces:
            yield registry.versions(s)


def registry(settings: Settings) -> Registry | None:
    """The authority data, or None when the project has none (then nothing resolves)."""
    folder = settings.authorities_dir
    if not (folder / "legal-sources.csv").exists():
        return None
    return _registry(str(folder))


@functools.lru_cache(maxsize=4)
def _registry(folder: str) -> Registry:
    return load_registry(folder)

