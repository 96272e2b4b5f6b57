"""Statutory time limits: the disclosure deadlines the law itself sets (``statutory-limits.csv``).

One row per limit an article of a version sets (政府信息公开条例 2019 第二十六条: 20 working days
from formation or change), expressed as the project's ``TimeLimit`` (kind ``period`` or ``annual``).
Which items a limit governs is data too: ``applies_to`` / ``except`` are regular expressions over
the item's name and content, ``bureau`` / ``bureau_except`` over the list's bureau name (第四十九条
gives departments 1月31日 and governments 3月31日). The rows are mapped into the authority graph
(``rdf.legal``) where shape L04 compares each item's time limit with them.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import cast, get_args

from gongkai.errors import InputError
from gongkai.legal.registry import Registry, _read_csv, _registry
from gongkai.model import TimeLimit, TimeUnit, Trigger

LIMITS_FILE = "statutory-limits.csv"

LIMIT_COLUMNS = ("source_id", "article", "article_en", "kind", "amount", "unit", "trigger", "annual_date",
                 "applies_to", "except", "bureau", "bureau_except", "wording", "source")
_REQUIRED = ("source_id", "article", "article_en", "kind", "wording", "source")

_ANNUAL_DATE = re.compile(r"--(\d\d)-(\d\d)")
_ARTICLE = re.compile(r"第[零〇一二三四五六七八九十百]+条")
_PERIOD_UNITS: tuple[TimeUnit, ...] = ("working_day", "day", "month", "year")


@dataclass(frozen=True)
class StatutoryLimit:
    """A time limit set by an article of one version of a legal source."""

    source_id: str                 # the version's id in legal-sources.csv
    article: str                   # 第二十六条
    article_en: str                # Article 26
    limit: TimeLimit               # kind period (amount, unit, trigger) or annual (month, day)
    wording: str                   # the limit in the article's words
    source: str                    # where the fact was read
    applies_to: str | None = None  # regex over the item's name and content; None: every item
    except_: str | None = None     # regex: items it does not govern
    bureau: str | None = None      # regex over the list's bureau name
    bureau_except: str | None = None
    row: int = 0


def load_limits(directory: str | Path, registry: Registry) -> list[StatutoryLimit]:
    """The rows of ``statutory-limits.csv`` in ``directory`` (none when the file is absent).

    Raises InputError naming the file, row and column of an unknown source, kind, unit,
    trigger, date or pattern."""
    path = Path(directory) / LIMITS_FILE
    if not path.is_file():
        return []
    file = str(path)
    out = []
    for line, r in _read_csv(path, LIMIT_COLUMNS, _REQUIRED):
        if r["source_id"] not in registry:
            raise InputError(file, f"no such legal source: {r['source_id']!r}", row=line, cell="source_id")
        if not _ARTICLE.fullmatch(r["article"]):
            raise InputError(file, f"not an article in Chinese numerals (第二十六条): {r['article']!r}",
                             row=line, cell="article")
        for column in ("applies_to", "except", "bureau", "bureau_except"):
            try:
                re.compile(r[column])
            except re.error as exc:
                raise InputError(file, f"not a regular expression: {exc}", row=line, cell=column) from None
        out.append(StatutoryLimit(
            source_id=r["source_id"], article=r["article"], article_en=r["article_en"],
            limit=_limit(file, line, r), wording=r["wording"], source=r["source"],
            applies_to=r["applies_to"] or None, except_=r["except"] or None,
            bureau=r["bureau"] or None, bureau_except=r["bureau_except"] or None, row=line))
    return out


def _limit(file: str, line: int, r: dict[str, str]) -> TimeLimit:
    kind = r["kind"]
    if kind == "annual":
        m = _ANNUAL_DATE.fullmatch(r["annual_date"])
        if not m or not (1 <= int(m.group(1)) <= 12 and 1 <= int(m.group(2)) <= 31):
            raise InputError(file, f"an annual limit needs annual_date --MM-DD: {r['annual_date']!r}",
                             row=line, cell="annual_date")
        return TimeLimit(raw=r["wording"], kind="annual", unit="annual",
                         annual_month=int(m.group(1)), annual_day=int(m.group(2)))
    if kind != "period":
        raise InputError(file, f"kind must be period or annual: {kind!r}", row=line, cell="kind")
    unit = r["unit"]
    if unit not in _PERIOD_UNITS:
        raise InputError(file, f"unit must be one of {', '.join(_PERIOD_UNITS)}: {unit!r}", row=line, cell="unit")
    if not r["amount"].isdigit() or int(r["amount"]) == 0:
        raise InputError(file, f"amount must be a positive whole number: {r['amount']!r}", row=line, cell="amount")
    trigger = r["trigger"] or None
    if trigger is not None and trigger not in get_args(Trigger):
        raise InputError(file, f"unknown trigger {trigger!r} (expected {', '.join(get_args(Trigger))})",
                         row=line, cell="trigger")
    return TimeLimit(raw=r["wording"], kind="period", amount=int(r["amount"]), unit=unit,
                     trigger=cast(Trigger | None, trigger))


def limits_of(registry: Registry) -> list[StatutoryLimit]:
    """The statutory limits kept beside the registry's own files (cached per folder)."""
    if not registry.directory:
        return []
    if registry is not _registry(registry.directory):   # loaded apart from the cache: read afresh
        return load_limits(registry.directory, registry)
    return list(_limits(registry.directory))


@functools.lru_cache(maxsize=4)
def _limits(directory: str) -> tuple[StatutoryLimit, ...]:
    return tuple(load_limits(directory, _registry(directory)))
