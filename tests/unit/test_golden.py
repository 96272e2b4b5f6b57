"""Golden mapping cases: input list → exactly the expected graph (up to blank-node naming)."""

from __future__ import annotations

import pytest
from rdflib import Graph
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from golden import CASES, map_case


def test_there_is_at_least_one_golden_case() -> None:
    assert CASES, "tests/cases/ holds no case"


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_mapping_matches_expected_graph(case) -> None:
    got = map_case(case)
    expected = Graph().parse(case / "expected.ttl", format="turtle")
    if not isomorphic(got, expected):
        _, only_got, only_expected = graph_diff(to_isomorphic(got), to_isomorphic(expected))
        lines = [f"+ {t}" for t in sorted(only_got)[:20]] + [f"- {t}" for t in sorted(only_expected)[:20]]
        pytest.fail(f"{case.name}: mapping differs from expected.ttl\n" + "\n".join(lines))
