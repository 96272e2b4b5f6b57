"""Query results as people and scripts read them: typed columns (numbers, dates, yes/no) in
JSON and XLSX, CSV with a byte order mark, headers from the query's column contract or the
ontology, and every library query's columns labelled in both languages."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from gongkai.errors import QueryError
from gongkai.query.columns import columns_of, header_labels, property_labels, typed_rows
from gongkai.query.library import Library, load_query, parse_header, returns_of
from gongkai.query.results import export_bytes, render, table_headers
from gongkai.store.base import Result

ROOT = Path(__file__).resolve().parents[2]
LIB = Library(ROOT / "queries")
ONTOLOGY = ROOT / "ontology" / "gongkai.ttl"


def _int(n: int) -> Literal:
    return Literal(str(n), datatype=XSD.integer)


RESULT = Result(vars=["bureau", "bureau_en", "items", "share", "latest", "current", "list"], rows=[
    {"bureau": Literal("甲局", lang="zh"), "bureau_en": Literal("Bureau A", lang="en"), "items": _int(13),
     "share": Literal("0.5", datatype=XSD.decimal), "latest": Literal("2021-06-16", datatype=XSD.date),
     "current": Literal("true", datatype=XSD.boolean), "list": URIRef("https://w3id.org/gongkai/list/a")},
    {"bureau": Literal("乙局", lang="zh"), "items": _int(2), "share": Literal("1.0", datatype=XSD.decimal),
     "latest": Literal("2020-01-02", datatype=XSD.date), "current": Literal("false", datatype=XSD.boolean)},
    {"bureau": Literal("=HYPERLINK(\"x\")"), "items": _int(1)},
])
LABELS = {"bureau": ("部门", "Bureau"), "items": ("事项数", "Items"), "share": ("占比", "Share"),
          "latest": ("最新日期", "Latest"), "current": ("现行", "Current"), "list": ("清单 IRI", "List IRI")}


# --- kinds and values ----------------------------------------------------------------------

def test_columns_take_their_kind_from_the_literals_datatypes() -> None:
    cols = {c.name: c for c in columns_of(RESULT, "zh", LABELS)}
    assert list(cols) == ["bureau", "items", "share", "latest", "current", "list"]   # bureau_en hidden in Chinese
    assert {n: c.kind for n, c in cols.items()} == {"bureau": "text", "items": "integer", "share": "number",
                                                   "latest": "date", "current": "boolean", "list": "iri"}
    rows = typed_rows(RESULT, list(cols.values()))
    assert [r["items"] for r in rows] == [13, 2, 1]
    assert sorted(r["items"] for r in rows) == [1, 2, 13]                          # not "1", "13", "2"
    assert [r["share"] for r in rows] == [0.5, 1, None] and isinstance(rows[0]["share"], float)
    assert rows[0]["latest"] == dt.date(2021, 6, 16) and rows[0]["current"] is True and rows[1]["current"] is False
    assert rows[2]["latest"] is None and rows[1]["list"] == ""                   # missing: None, or "" for text


def test_a_column_of_mixed_or_ill_typed_values_is_text() -> None:
    mixed = Result(vars=["value"], rows=[{"value": _int(3)}, {"value": Literal("三")}])
    bad = Result(vars=["n"], rows=[{"n": _int(3)}, {"n": Literal("十七", datatype=XSD.integer)}])
    both = Result(vars=["n"], rows=[{"n": _int(3)}, {"n": Literal("2.5", datatype=XSD.decimal)}])
    assert [c.kind for c in columns_of(mixed)] == ["text"]
    assert [c.kind for c in columns_of(bad)] == ["text"]
    assert typed_rows(bad, columns_of(bad)) == [{"n": "3"}, {"n": "十七"}]
    assert [c.kind for c in columns_of(both)] == ["number"]                     # integers and decimals: numbers


def test_english_takes_the_en_column_under_the_same_name_and_header() -> None:
    cols = columns_of(RESULT, "en", LABELS)
    assert [c.label("en") for c in cols][:2] == ["Bureau", "Items"]
    assert [r["bureau"] for r in typed_rows(RESULT, cols)] == ["Bureau A", "乙局", "=HYPERLINK(\"x\")"]


# --- files -------------------------------------------------------------------------------

def test_json_has_numbers_booleans_and_iso_dates_under_the_variable_names() -> None:
    rows = json.loads(render(RESULT, "json", "zh"))
    assert rows[0] == {"bureau": "甲局", "items": 13, "share": 0.5, "latest": "2021-06-16", "current": True,
                       "list": "https://w3id.org/gongkai/list/a"}
    assert rows[2]["share"] is None and rows[2]["current"] is None


def test_csv_download_has_a_byte_order_mark_and_the_variable_names_tsv_and_json_do_not() -> None:
    data = export_bytes(RESULT, "csv", "zh", LABELS)
    assert data.startswith(b"\xef\xbb\xbf")
    header = data.decode("utf-8-sig").splitlines()[0]
    assert header == "bureau,items,share,latest,current,list"                    # what scripts read
    assert "'=HYPERLINK" in data.decode("utf-8-sig")                             # no formula in a spreadsheet
    assert export_bytes(RESULT, "tsv", "zh").decode("utf-8").startswith("bureau\titems")
    assert not export_bytes(RESULT, "json", "zh").startswith(b"\xef\xbb\xbf")


def test_xlsx_keeps_numbers_dates_and_booleans_and_shows_the_headers() -> None:
    ws = load_workbook(io.BytesIO(export_bytes(RESULT, "xlsx", "zh", LABELS, title="test"))).active
    assert ws.title == "test" and ws.freeze_panes == "A2" and ws["B1"].font.b                # the header row stays
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == ("部门", "事项数", "占比", "最新日期", "现行", "清单 IRI")
    assert [r[1] for r in rows[1:]] == [13, 2, 1] and all(type(r[1]) is int for r in rows[1:])
    assert rows[1][2] == 0.5 and rows[2][2] == 1
    assert rows[1][3] == dt.datetime(2021, 6, 16) and rows[1][4] is True        # a date cell, a boolean cell
    assert rows[3][0] == "=HYPERLINK(\"x\")" and rows[3][3] is None              # text, not a formula
    english = load_workbook(io.BytesIO(export_bytes(RESULT, "xlsx", "en", LABELS))).active
    assert [c.value for c in english[1]][:2] == ["Bureau", "Items"] and english["A2"].value == "Bureau A"
    assert english["A4"].data_type == "s"


# --- headers -------------------------------------------------------------------------------

def test_returns_entries_give_headers_in_both_languages() -> None:
    header = parse_header("#+ returns:\n#+   - bureau: 部门 | Bureau\n#+   - bureau_en\n#+   - n: 数量\n"
                          "#+   - count: 事项数 | Items (all)\n")
    assert returns_of(header) == (["bureau", "bureau_en", "n", "count"],
                                  {"bureau": ("部门", "Bureau"), "n": ("数量", "数量"),
                                   "count": ("事项数", "Items (all)")})
    assert returns_of(parse_header("#+ returns: [a, b]")) == (["a", "b"], {})
    with pytest.raises(QueryError, match="one column per entry"):
        returns_of({"returns": [{"a": "甲 | A", "b": "乙 | B"}]})
    with pytest.raises(QueryError, match="a list of columns"):
        returns_of({"returns": "a, b"})


def test_a_bad_returns_header_names_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.rq"
    bad.write_text("#+ returns: a\nSELECT ?a WHERE {}\n", encoding="utf-8")
    with pytest.raises(QueryError, match=r"bad\.rq: returns"):
        load_query(bad)


def test_headers_fall_back_to_the_ontology_then_to_the_variable() -> None:
    props = property_labels(ONTOLOGY)
    assert props["timeLimit"] == ("公开时限", "time limit")
    labels = header_labels({"n": ("数量", "Count")}, ["n", "timeLimit", "mystery", "mode", "mode_en"], ONTOLOGY)
    assert labels["n"] == ("数量", "Count") and labels["timeLimit"] == ("公开时限", "time limit")
    assert "mystery" not in labels and labels["mode_en"] == labels["mode"] == props["mode"]
    assert header_labels({}, ["subject", "predicate", "object"], ONTOLOGY)["predicate"] == ("谓语", "Predicate")
    result = Result(vars=["n", "timeLimit", "mystery"], rows=[])
    assert table_headers(result, "zh", labels) == ["数量", "公开时限", "mystery"]
    assert table_headers(result, "en", labels) == ["Count", "time limit", "mystery"]


@pytest.mark.parametrize("q", list(LIB), ids=lambda q: q.id)
def test_every_library_query_labels_every_column_in_chinese_and_english(q) -> None:
    """Each query states its columns (the tests hold it to them), and each shown column has a
    Chinese and an English header of its own; an ``x_en`` column is shown under ``x``'s."""
    assert q.returns, "#+ returns: the columns, each with its headers"
    for v in q.returns:
        if v.endswith("_en") and v[:-3] in q.returns:
            assert v not in q.labels or q.labels[v] == q.labels[v[:-3]]
            continue
        assert v in q.labels, f"{v} has no header"
        zh, en = q.labels[v]
        assert zh and en and zh != en, (v, zh, en)
        assert not zh.isascii() and en.isascii(), (v, zh, en)   # Chinese in the first, English in the second


# --- the command line ------------------------------------------------------------------------

TRIG = """@prefix gk: <https://w3id.org/gongkai/ontology#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://example.org/g> { <https://example.org/a> gk:itemNumber 2 , 13 , 1 . }
"""


def test_cli_table_shows_headers_not_variable_names(tmp_path: Path) -> None:
    build = tmp_path / "build"
    build.mkdir()
    (build / "kg.trig").write_text(TRIG, encoding="utf-8")
    rq = tmp_path / "numbers.rq"
    rq.write_text("#+ summary: 序号 | Numbers\n#+ returns:\n#+   - itemNo: 事项序号 | Item number\n#+   - order\n"
                  "PREFIX gk: <https://w3id.org/gongkai/ontology#>\n"
                  "SELECT ?itemNo ?order WHERE { ?s gk:itemNumber ?itemNo BIND(?itemNo AS ?order) } "
                  "ORDER BY ?itemNo\n", encoding="utf-8")
    env = {**os.environ, "GONGKAI_BUILD": str(build)}
    env.pop("GONGKAI_ENDPOINT", None)

    def run(*args: str) -> str:
        r = subprocess.run([sys.executable, "-m", "gongkai.cli", "query", str(rq), *args], capture_output=True,
                           text=True, cwd=ROOT, timeout=180, env={**env, "COLUMNS": "120"})
        assert r.returncode == 0, r.stderr
        return r.stdout

    zh, en = run(), run("--lang", "en")
    assert "事项序号" in zh and "次序" in zh and "itemNo" not in zh                # gk:order's label: 次序
    assert "Item number" in en and "order" in en and "itemNo" not in en
    cells = [ln.split() for ln in zh.splitlines()]
    assert [c[1] for c in cells if len(c) > 1 and c[1].isdigit()] == ["1", "2", "13"]
    assert run("-f", "csv").splitlines()[0] == "itemNo,order"                     # scripts keep the names
    assert json.loads(run("-f", "json"))[2] == {"itemNo": 13, "order": 13}
    run("-f", "xlsx", "--lang", "en", "-o", str(tmp_path / "n.xlsx"))
    sheet = list(load_workbook(tmp_path / "n.xlsx").active.iter_rows(values_only=True))
    assert sheet == [("Item number", "order"), (1, 1), (2, 2), (13, 13)]
