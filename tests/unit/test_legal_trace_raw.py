"""The legal trace on the whole of data/raw: every item citing the Regulations on Open Government
Information reaches the work, undated lists included (compared with a hand-made list), version traces
keep to their version, and the overview counts each law once."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXPECTED = ROOT / "tests" / "fixtures" / "legal" / "gidr-citing-items.csv"
GIDR = "中华人民共和国政府信息公开条例"


def _cli(build: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gongkai.cli", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=600, env={**os.environ, "GONGKAI_BUILD": str(build),
                                            "SOURCE_DATE_EPOCH": "1767225600"})


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("build")
    r = _cli(out, "build", str(ROOT / "data" / "raw"), "--out", str(out))
    assert r.returncode == 0, r.stderr
    return out


def _trace_csv(built: Path, *args: str) -> list[dict[str, str]]:
    r = _cli(built, "legal", "trace", *args, "-f", "csv")
    assert r.returncode == 0, r.stderr
    return list(csv.DictReader(io.StringIO(r.stdout)))


def _key(row: dict[str, str]) -> tuple[str, str, int]:
    return row["bureau"], row["list_date"], int(row["number"])


def test_trace_of_the_regulations_is_the_hand_made_list(built) -> None:
    with EXPECTED.open(encoding="utf-8") as f:
        expected = [_key(r) for r in csv.DictReader(f)]
    rows = _trace_csv(built, "政府信息公开条例")
    got = [_key(r) for r in rows]
    assert len(got) == len(set(got))                       # one row per item
    assert sorted(got) == sorted(expected)
    assert len(expected) == 73 and len({b for b, _, _ in expected}) == 18
    # undated lists citing the work without a document number: the version is not determined
    undated = [r for r in rows if not r["list_date"] and r["relation"] == "may rely"]
    assert undated and all(r["version"] == "版本未定" and not r["version_iri"] for r in undated)
    assert all(r["item_iri"].startswith("https://") and r["list_iri"].startswith("https://") for r in rows)


def test_traditional_characters_reach_the_regulations(built) -> None:
    rows = _trace_csv(built, "政府信息公開條例")
    assert {r["bureau"] for r in rows} >= {"东莞市市场监督管理局东城分局", "鳳屯鎮人民政府"}


def test_a_document_number_traces_that_version_only(built) -> None:
    old = _trace_csv(built, "国务院令第492号")
    # nothing rests certainly on the 2007 text; the undated lists may, and say so
    assert not [r for r in old if r["relation"] == "relies"]
    assert old and all(r["version"] == "版本未定" for r in old)
    assert not [r for r in old if r["list_date"].startswith("2021")]
    new = _trace_csv(built, "国务院令第711号")
    assert any(r["list_date"] == "2021-06-16" and r["relation"] == "relies" for r in new)
    assert all(r["version_iri"].endswith("/guowuyuanling/711") for r in new if r["relation"] == "relies")
    work = _trace_csv(built, "国务院令第711号", "--work")
    assert len(work) == 73


def test_the_heading_names_what_is_traced(built) -> None:
    r = _cli(built, "legal", "trace", "国务院令第492号")
    first = r.stdout.splitlines()[0]
    assert "（2007年）" in first and "国务院令第492号" in first and "this version only" in first
    assert "711" not in first
    r = _cli(built, "legal", "trace", "国务院令第711号", "--work")
    assert "the work, all 2 versions (2007, 2019)" in r.stdout.splitlines()[0]


def test_trace_json_to_a_file_carries_iris(built, tmp_path) -> None:
    target = tmp_path / "trace.json"
    r = _cli(built, "legal", "trace", "Budget Law", "-f", "json", "-o", str(target))
    assert r.returncode == 0, r.stderr
    (trace,) = json.loads(target.read_text(encoding="utf-8"))
    assert trace["work_iri"].endswith("/legal/work/zhonghuarenmingongheguoyusuanfa")
    assert trace["items"] and all(i["item_iri"].startswith("https://") for i in trace["items"])


def test_the_overview_and_sources_by_usage_show_each_law_once(built) -> None:
    stats = json.loads((built / "stats.json").read_text(encoding="utf-8"))
    top = [s["source"] for s in stats["top_sources"]]
    assert len([s for s in top if "政府信息公开条例" in s or "政府信息公開條例" in s]) == 1
    gidr = next(s for s in stats["top_sources"] if GIDR in s["source"])
    assert gidr["items"] == 73 and gidr["bureaus"] == 18
    r = _cli(built, "query", "sources_by_usage", "-f", "csv")
    rows = list(csv.DictReader(io.StringIO(r.stdout.lstrip("\ufeff"))))
    gidr_rows = [x for x in rows if "信息公开条例" in x["source"] or "信息公開條例" in x["source"]]
    assert len(gidr_rows) == 1 and gidr_rows[0]["items"] == "73"


def test_query_parameter_takes_a_name_and_lists_candidates(built) -> None:
    r = _cli(built, "query", "items_relying_on_source", "-p", "source=预算法", "-f", "csv")
    assert r.returncode == 0, r.stderr
    assert "zhonghuarenmingongheguoyusuanfa" in r.stdout
    r = _cli(built, "query", "items_relying_on_source", "-p", "source=条例")
    assert r.returncode == 2
    assert "matches" in r.stderr and "户口登记条例" in r.stderr and "政府信息公开条例" in r.stderr


def test_legal_list_shows_iris(built) -> None:
    r = _cli(built, "legal", "list", "--used")
    assert r.returncode == 0, r.stderr
    rows: list[list[str]] = []   # the table's cells, a row folded over several lines joined again
    for line in r.stdout.splitlines():
        if line.startswith("│"):
            cells = [c.strip() for c in line.strip("│").split("│")]
            if cells[0].startswith("《") or not rows:
                rows.append(cells)
            else:
                rows[-1] = [a + b for a, b in zip(rows[-1], cells, strict=True)]
    gidr = next(row for row in rows if "政府信息公开条例" in row[0])
    assert gidr[1] == "https://w3id.org/gongkai/legal/work/zhonghuarenmingongheguozhengfuxinxigongkaitiaoli"


def test_an_undated_citation_cites_the_work_not_a_version(built) -> None:
    """The work has its own IRI: an undated list's citation points to it (never to the earliest
    version), every version is gk:versionOf it, and each citation of a known law names its work."""
    q = built / "work.rq"
    q.write_text("""PREFIX gk: <https://w3id.org/gongkai/ontology#>
SELECT ?cited ?undetermined (COUNT(DISTINCT ?c) AS ?n) (SAMPLE(?isWork) AS ?work) (SAMPLE(?w) AS ?citesWork)
WHERE { ?c gk:cites ?cited ; gk:citesWork ?w .
        OPTIONAL { ?c gk:versionUndetermined ?u }
        BIND(COALESCE(?u, false) AS ?undetermined)
        BIND(EXISTS { ?cited a gk:LegalWork } AS ?isWork)
        FILTER(CONTAINS(STR(?w), "zhengfuxinxigongkaitiaoli")) }
GROUP BY ?cited ?undetermined ORDER BY ?cited
""", encoding="utf-8")
    r = _cli(built, "query", str(q), "-f", "csv")
    assert r.returncode == 0, r.stderr
    rows = list(csv.DictReader(io.StringIO(r.stdout.lstrip("\ufeff"))))
    work = "https://w3id.org/gongkai/legal/work/zhonghuarenmingongheguozhengfuxinxigongkaitiaoli"
    undetermined = [x for x in rows if x["undetermined"] == "true"]
    assert [x["cited"] for x in undetermined] == [work] and undetermined[0]["work"] == "true"
    certain = [x for x in rows if x["undetermined"] == "false"]
    assert certain and all(x["work"] == "false" and x["citesWork"] == work for x in certain)
    assert {x["cited"].rsplit("/", 1)[-1] for x in certain} == {"711"}
    # the work's own IRI traces the work; a version's answer includes the work's open citations
    by_iri = _trace_csv(built, work)
    assert len(by_iri) == 73
    r = _cli(built, "query", "items_citing_version", "-p", "version=国务院令第492号", "-f", "csv")
    assert r.returncode == 0, r.stderr
    old = list(csv.DictReader(io.StringIO(r.stdout.lstrip("\ufeff"))))
    assert old and all(x["undetermined"] == "true" for x in old)


def test_the_trace_quotes_the_article_a_dated_item_pins(built) -> None:
    """The dated list citing 《中华人民共和国预算法》第十四条: the trace prints the article's text
    under the item (an item whose version is undetermined gets none)."""
    r = _cli(built, "legal", "trace", "预算法")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    pin = next(i for i, ln in enumerate(lines) if "第14条" in ln)
    assert lines[pin + 1].strip().startswith("> 第十四条")
    assert "经本级人民代表大会或者本级人民代表大会常务委员会批准的预算" in "".join(lines[pin + 1:pin + 4])
