"""The clauses of the 2019 Regulations on Open Government Information (政府信息公开条例) each
item implements: 第十九条, 第二十条 (一)–(十五), 第二十一条 (its city/county and township halves),
and the guide (第十二条) and annual report (第四十九条).

The clauses and the rules are data that legal staff correct (``data/authorities/gidr-clauses.csv``,
``gidr-clause-rules.csv``, ``gidr-bureau-levels.csv``; their README says how). The rules are
applied in tiers, and the first tier that finds a clause decides:

1. ``citation``: the item cites the Regulations with an article pinpoint naming a clause;
2. ``name``, 3. ``category``, 4. ``content``, 5. ``basis`` (the legal-basis cell): a word of the
   rule occurs in that field of the item (traditional characters read as simplified);
6. ``fallback-cited`` (the item cites the Regulations), 7. ``fallback`` (any item): 第十九条,
   the general duty.

Within a tier every rule that fires gives its clause, so an item on 预决算 and 政府采购 gets both.
A clause of one bureau level (第二十一条's halves) is kept only for a bureau of that level.
Every answer says which rule fired, on which words, with the rule's confidence: nothing is scored.
"""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass, field
from pathlib import Path

from gongkai.errors import InputError
from gongkai.legal.keys import title_key, title_keys
from gongkai.legal.registry import Registry
from gongkai.model import Citation, DisclosureItem
from gongkai.settings import Settings
from gongkai.text import key

CLAUSES_FILE = "gidr-clauses.csv"
RULES_FILE = "gidr-clause-rules.csv"
LEVELS_FILE = "gidr-bureau-levels.csv"

#: the tiers in the order they are tried; ``citation`` and the fallbacks carry no words
TIERS = ("citation", "name", "category", "content", "basis", "fallback-cited", "fallback")
_FALLBACKS = ("fallback-cited", "fallback")
LEVELS = ("any", "city-county", "township")
#: the level of a bureau whose name ends with none of the township endings
DEFAULT_LEVEL = "city-county"
#: 第二十条 has one paragraph and fifteen items: lists write 第二十条第二款 for 第（二）项
_ENUMERATING_ARTICLE = 20
#: an alias that names the Regulations only inside the list's own context: not matched alone
_AMBIGUOUS_ALIASES = frozenset({"条例"})

#: the matching key of a field's text, kept: lists repeat their bureaus, contents and legal bases
_key = functools.lru_cache(maxsize=1 << 16)(key)


@dataclass(frozen=True)
class Clause:
    """One clause: ``article`` (and ``point`` for 第二十条's items, ``part`` for 第二十一条's halves);
    ``order`` is its row's place in the table (from 1), the order the clauses are shown in."""

    id: str
    version: str
    article: int
    point: int | None
    part: int | None
    level: str
    label_zh: str
    label_en: str
    text: str
    order: int = 0

    @property
    def path(self) -> str:
        """The clause's path under its version's IRI, as citations' pinpoints are minted:
        ``art_20/point_7``, ``art_19``, ``art_21/part_1``."""
        p = f"art_{self.article}"
        if self.point is not None:
            p += f"/point_{self.point}"
        if self.part is not None:
            p += f"/part_{self.part}"
        return p


@dataclass(frozen=True)
class Rule:
    id: str
    clause: str | None
    field: str
    words: tuple[str, ...]
    confidence: float
    note: str


@dataclass(frozen=True)
class ClauseMatch:
    """An item's clause, the rule that fired, the words it fired on, the rule's confidence."""

    clause: Clause
    rule: Rule
    matched: str

    @property
    def explanation(self) -> str:
        """``第二十条第（七）项 by name-budget (name: 预决算), confidence 0.8``."""
        on = f" ({self.rule.field}: {self.matched})" if self.matched else ""
        return f"{self.clause.label_zh} by {self.rule.id}{on}, confidence {self.rule.confidence}"


@dataclass(frozen=True)
class ClauseRules:
    clauses: dict[str, Clause]
    rules: tuple[Rule, ...]
    township_endings: tuple[str, ...]
    #: keys of the titles (and aliases) the Regulations are cited under; ids of their versions
    title_keys: frozenset[str] = frozenset()
    version_ids: frozenset[str] = frozenset()
    by_field: dict[str, tuple[Rule, ...]] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        for tier in TIERS:
            self.by_field[tier] = tuple(r for r in self.rules if r.field == tier)

    def level(self, bureau: str | None) -> str:
        name = _key(bureau or "")
        return "township" if name and name.endswith(self.township_endings) else DEFAULT_LEVEL

    def cites_regulations(self, cit: Citation) -> bool:
        if cit.resolved_id is not None:
            return cit.resolved_id in self.version_ids
        return bool(cit.title) and title_key(cit.title) in self.title_keys

    def _pinpoints(self, item: DisclosureItem) -> list[ClauseMatch]:
        rule = next(iter(self.by_field["citation"]), None)
        if rule is None:
            return []
        found: list[ClauseMatch] = []
        for cit in item.citations:
            if not self.cites_regulations(cit):
                continue
            for art in cit.articles:
                point = art.item
                if point is None and art.article == _ENUMERATING_ARTICLE:
                    point = art.paragraph
                # the 2007 text numbers its articles otherwise: its pinpoints name no clause here
                found.extend(ClauseMatch(c, rule, art.raw) for c in self.clauses.values()
                             if cit.resolved_id in (None, c.version) and c.article == art.article
                             and c.part is None and c.point == point)
        return found

    def _field_text(self, item: DisclosureItem, field: str) -> str:
        return _key({"name": item.level2, "category": item.level1, "content": item.content,
                     "basis": item.legal_basis}.get(field) or "")

    def apply(self, item: DisclosureItem, bureau: str | None = None) -> list[ClauseMatch]:
        """The clauses ``item`` implements, the tier that decided, one match per clause."""
        level = self.level(bureau)
        for tier in TIERS:
            if tier == "citation":
                found = self._pinpoints(item)
            elif tier in _FALLBACKS:
                fires = tier == "fallback" or any(self.cites_regulations(c) for c in item.citations)
                found = [ClauseMatch(self.clauses[r.clause], r, "") for r in self.by_field[tier]
                         if fires and r.clause is not None]
            else:
                text = self._field_text(item, tier)
                found = []
                for r in self.by_field[tier] if text else ():
                    if r.clause is None:
                        continue
                    hit = next((w for w in r.words if w in text), None)
                    if hit is not None:
                        found.append(ClauseMatch(self.clauses[r.clause], r, hit))
            found = [m for m in found if m.clause.level in ("any", level)]
            if found:
                seen: dict[str, ClauseMatch] = {}
                for m in found:
                    seen.setdefault(m.clause.id, m)
                return list(seen.values())
        return []


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(f)]


def _int(path: Path, n: int, column: str, value: str) -> int | None:
    if not value:
        return None
    if not value.isdigit():
        raise InputError(str(path), f"column {column!r} must be a number, got {value!r}", row=n)
    return int(value)


def load_clause_rules(folder: Path, registry: Registry | None = None) -> ClauseRules:
    """Read and check the three tables in ``folder``; ``registry`` gives the titles and
    versions the Regulations are cited under (without it, titles are not recognised)."""
    cpath, rpath, lpath = folder / CLAUSES_FILE, folder / RULES_FILE, folder / LEVELS_FILE
    clauses: dict[str, Clause] = {}
    for n, row in enumerate(_rows(cpath), 2):
        if row["id"] in clauses:
            raise InputError(str(cpath), f"clause {row['id']!r} appears twice", row=n)
        if row["level"] not in LEVELS:
            raise InputError(str(cpath), f"level must be one of {', '.join(LEVELS)}, got {row['level']!r}", row=n)
        article = _int(cpath, n, "article", row["article"])
        if article is None:
            raise InputError(str(cpath), "column 'article' is empty", row=n)
        clauses[row["id"]] = Clause(row["id"], row["version"], article, _int(cpath, n, "point", row["point"]),
                                    _int(cpath, n, "part", row["part"]), row["level"], row["label_zh"],
                                    row["label_en"], row["text"], len(clauses) + 1)
    rules: list[Rule] = []
    for n, row in enumerate(_rows(rpath), 2):
        if row["field"] not in TIERS:
            raise InputError(str(rpath), f"field must be one of {', '.join(TIERS)}, got {row['field']!r}", row=n)
        if row["clause"] and row["clause"] not in clauses:
            raise InputError(str(rpath), f"no clause {row['clause']!r} in {CLAUSES_FILE}", row=n)
        words = tuple(key(w) for w in row["words"].split("|") if w.strip())
        if row["field"] not in ("citation", *_FALLBACKS) and not words:
            raise InputError(str(rpath), "a word rule needs words", row=n)
        try:
            confidence = float(row["confidence"])
        except ValueError:
            raise InputError(str(rpath), f"confidence must be a number, got {row['confidence']!r}", row=n) from None
        if not 0 <= confidence <= 1:
            raise InputError(str(rpath), f"confidence must lie between 0 and 1, got {confidence}", row=n)
        rules.append(Rule(row["id"], row["clause"] or None, row["field"], words, confidence, row["note"]))
    if len({r.id for r in rules}) != len(rules):
        raise InputError(str(rpath), "rule ids must be unique")
    endings = tuple(key(r["name_ends_with"]) for r in _rows(lpath) if r["level"] == "township")
    titles: set[str] = set()
    versions: set[str] = set()
    cited = {c.version for c in clauses.values()}
    if registry is not None:
        for vid in cited & set(registry.sources):
            for v in registry.versions(vid):
                versions.add(v.id)
                for t in (v.title, *v.aliases):
                    if t not in _AMBIGUOUS_ALIASES:
                        titles.update(title_keys(t))
    return ClauseRules(clauses, tuple(rules), endings, frozenset(titles), frozenset(versions))


_LOADED: dict[str, tuple[Registry | None, ClauseRules]] = {}


def clause_rules(settings: Settings, registry: Registry | None = None) -> ClauseRules | None:
    """The project's clause rules, or None when it has none (then no item gets a clause);
    read once per folder and registry."""
    folder = settings.authorities_dir
    if not (folder / CLAUSES_FILE).exists():
        return None
    loaded = _LOADED.get(str(folder))
    if loaded is None or loaded[0] is not registry:
        loaded = _LOADED[str(folder)] = (registry, load_clause_rules(folder, registry))
    return loaded[1]
