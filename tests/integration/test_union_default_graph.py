"""An Oxigraph server started without --union-default-graph keeps its default graph apart
from the named graphs, so most of the library's queries find nothing there. `gongkai push`
and `gongkai query --endpoint` say so, naming the option; on a server with it, they say
nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import gongkai, start_oxigraph, stop

pytestmark = pytest.mark.integration

TRIG = """\
@prefix ex: <http://example.org/> .
ex:list1 { ex:org ex:name "示例县民政局"@zh . ex:item1 ex:number 1 . }
ex:list2 { ex:org ex:name "示例县民政局"@zh . ex:item2 ex:number 2 . }
"""


@pytest.mark.parametrize("union", [False, True], ids=["plain oxigraph serve", "with --union-default-graph"])
def test_push_and_query_name_a_default_graph_apart_from_the_named_graphs(union: bool, tmp_path: Path) -> None:
    data = tmp_path / "kg.trig"
    data.write_text(TRIG, encoding="utf-8")
    server = start_oxigraph(tmp_path / "oxigraph", union=union)
    try:
        pushed = gongkai("push", "--endpoint", server.endpoint.query, "--graph-store", server.endpoint.graph_store,
                         "--file", str(data))
        queried = gongkai("query", "lists", "--endpoint", server.endpoint.query, "-f", "csv")
    finally:
        stop(server)
    assert pushed.returncode == 0 and queried.returncode == 0, pushed.stderr + queried.stderr
    assert "pushed 2 graphs" in pushed.stdout
    for r in (pushed, queried):
        if union:
            assert "warning" not in r.stderr, r.stderr
        else:
            assert "warning:" in r.stderr and "--union-default-graph" in r.stderr, r.stderr
            assert server.endpoint.query in r.stderr and "tdb2:unionDefaultGraph true" in r.stderr
