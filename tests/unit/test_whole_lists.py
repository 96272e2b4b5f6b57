"""Whole lists, each in the shape a publisher's page has, read item by item.

The fixtures in ``tests/fixtures/whole`` are real page beginnings completed into whole
lists (the README there says which rows are real, which were completed and which were
invented); next to each list its expected items, written by hand (``<list>.json``). Every
field an expected item gives is compared: ``number``, ``level1``, ``level2``, ``name`` (the
item's own name: the deepest level the row gives, 三级 when it has one), ``content``, the
texts of its ``citations`` and its ``time_limit`` as written. Texts are compared as the
corpus check compares them (``data/raw/tools/formats_check.py``: whitespace next to a
Chinese character ignored, other runs of whitespace folded to one space). The ``number`` is the
序号 as written: items sharing a merged 序号 all have it (their IRIs need numbers of their
own, so they are renumbered and the written number is kept as ``source_number``).

A list that does not read correctly yet is an expected failure naming the capability it
waits for (strict: when it reads correctly, the mark must go).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from gongkai.ingest import ingest_file
from gongkai.model import DisclosureItem

ROOT = Path(__file__).resolve().parents[2]
WHOLE = ROOT / "tests" / "fixtures" / "whole"
sys.path.insert(0, str(ROOT / "data" / "raw" / "tools"))
from formats_check import same_text  # noqa: E402  (data/raw/tools/formats_check.py)

LISTS = sorted(p.name for p in WHOLE.glob("*.txt"))
#: the fields an expected item may give, besides where its row comes from (``row``)
FIELDS = ("number", "level1", "level2", "name", "content", "citations", "time_limit")
#: lists that do not read correctly yet, and the capability each waits for
WAITING = {
}


def _expected(name: str) -> dict[str, Any]:
    return json.loads((WHOLE / name).with_suffix(".json").read_text(encoding="utf-8"))


def _norm(field: str, value: Any) -> Any:
    if field == "citations":
        return [same_text(v) for v in value]
    return same_text(value) if isinstance(value, str) else value


def _name(item: DisclosureItem) -> str | None:
    """The item's own name: the deepest level it gives."""
    return next((n for n in (item.level4, item.level3, item.level2) if n), None)


def _read(item: DisclosureItem) -> dict[str, Any]:
    tl = item.time_limit
    # the 序号 as written: items under a merged 序号 are renumbered, the number kept as data
    written = item.extra.get("source_number")
    return {"number": int(written) if written else item.number, "level1": item.level1, "level2": item.level2,
            "name": _name(item),
            "content": item.content, "citations": [c.raw for c in item.citations],
            "time_limit": tl.raw if tl else None}


def _params() -> list:
    return [pytest.param(n, marks=[pytest.mark.xfail(strict=True, reason=WAITING[n])] if n in WAITING else [])
            for n in LISTS]


@pytest.mark.parametrize("name", _params())
def test_a_whole_list_reads_item_by_item(name: str) -> None:
    want = _expected(name)
    dl = ingest_file(WHOLE / name, bureau=want["bureau"], resolve=False)
    expected = [{f: _norm(f, it[f]) for f in FIELDS if f in it} for it in want["items"]]
    read = [_read(it) for it in dl.items]
    got = [{f: _norm(f, r[f]) for f in e} for r, e in zip(read, expected, strict=False)]
    assert len(read) == len(expected), f"{len(read)} items read, {len(expected)} expected"
    assert got == expected


# --- the fixtures themselves ----------------------------------------------------------------

def test_at_least_five_whole_lists_each_with_its_expected_items_and_its_story() -> None:
    readme = (WHOLE / "README.md").read_text(encoding="utf-8")
    assert len(LISTS) >= 5
    assert set(WAITING) <= set(LISTS)
    for name in LISTS:
        want = _expected(name)
        assert want["file"] == name and want["bureau"]
        assert f"`{name}`" in readme, f"{name} is not described in the README"
        first = (WHOLE / name).read_text(encoding="utf-8").split("\n", 1)[0]
        assert first.startswith("# source: http"), f"{name}: the page's address is not its first line"
        assert first.removeprefix("# source: ") in readme, f"{name}: the README does not name its source"
        rows = [it["row"] for it in want["items"]]
        assert set(rows) <= {"real", "completed", "invented"} and rows[0] == "real"
        assert "invented" in rows, f"{name}: a whole list completes a page that was cut"
        for it in want["items"]:
            assert set(it) - {"row"} <= set(FIELDS) and {"number", "name"} <= set(it)
