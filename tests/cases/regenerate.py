"""Rewrite every tests/cases/*/expected.ttl from its input (review the diff afterwards)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from golden import CASES, map_case

if __name__ == "__main__":
    for case in CASES:
        g = map_case(case)
        (case / "expected.ttl").write_text(g.serialize(format="turtle"), encoding="utf-8")
        print(f"{case.name}: {len(g)} triples")
