"""`gongkai ingest` end to end: the original list and the text-table fixtures through the
whole pipeline (read → tabulate → parse → map), the output formats, and the errors."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from gongkai.ingest import ingest_file
from gongkai.publish.export import ITEM_COLUMNS
from gongkai.rdf.mapping import map_list
from gongkai.reference_data import map_context
from gongkai.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "data" / "raw" / "zhongwei-yunjisuan-2021.txt"
FIX = ROOT / "tests" / "fixtures" / "text"


def run_cli(*args: str) -> subprocess.CompletedProcess:
    # a fixed ingest time (prov:endedAtTime) so that outputs of two runs compare equal
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1767225600"}
    return subprocess.run([sys.executable, "-m", "gongkai.cli", *args], capture_output=True,
                          text=True, cwd=ROOT, timeout=120, env=env)


@pytest.fixture(scope="module")
def seed_rows(tmp_path_factory) -> list[dict[str, str]]:
    out = tmp_path_factory.mktemp("seed") / "seed.csv"
    r = run_cli("ingest", str(SEED), "-o", str(out))
    assert r.returncode == 0, r.stderr
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "items CSV must start with a UTF-8 BOM"
    reader = csv.DictReader(io.StringIO(raw.decode("utf-8-sig")))
    assert reader.fieldnames == ITEM_COLUMNS
    return list(reader)


def test_seed_has_18_items_numbered_1_to_18(seed_rows) -> None:
    assert [int(r["number"]) for r in seed_rows] == list(range(1, 19))


def test_seed_level1_categories_carried_down(seed_rows) -> None:
    by_cat: dict[str, set[int]] = {}
    for r in seed_rows:
        by_cat.setdefault(r["level1"], set()).add(int(r["number"]))
    assert by_cat == {"概况信息": {1, 2}, "基本信息": set(range(3, 13)), "重点领域": {13, 14},
                      "综合管理": {15, 16, 17}, "服务公开": {18}}


def test_seed_content_has_no_stray_spaces(seed_rows) -> None:
    assert "本单位内设科室及其职责" in seed_rows[0]["content"]
    assert "行政复议、行政诉讼情况" in seed_rows[4]["content"]
    for r in seed_rows:
        for col in ("level1", "level2", "content", "time_limit", "legal_basis"):
            assert " " not in r[col].replace(" | ", ""), (r["number"], col, r[col])


def test_seed_citations_of_items_13_and_14(seed_rows) -> None:
    c13 = seed_rows[12]["legal_basis"].split(" | ")
    assert len(c13) == 4 and seed_rows[12]["legal_source_count"] == "4"
    assert "《预算法》" in c13
    assert any("财预〔2016〕143号" in c for c in c13)
    c14 = seed_rows[13]["legal_basis"]
    assert "国办发〔2018〕10号" in c14 and "宁政办规发〔2019〕3号" in c14
    for plan in ("国家2021年政务公开工作要点", "自治区2021年政务公开工作要点", "中卫市2021年政务公开工作要点"):
        assert plan in c14.split(" | ")


@pytest.mark.parametrize("numbers, amount, unit, trigger", [
    ({1, 2, 3, 4, 7, 8, 10, 11, 12, 14, 15, 16, 18}, "20", "working_day", "formed-or-changed"),
    ({6, 9}, "5", "working_day", "document-issued"),
    ({17}, "5", "working_day", "formed"),
    ({13}, "20", "day", "fiscal-approval"),
    ({5}, "", "annual", ""),
])
def test_seed_time_limits(seed_rows, numbers, amount, unit, trigger) -> None:
    for r in seed_rows:
        if int(r["number"]) in numbers:
            assert (r["tl_amount"], r["tl_unit"], r["tl_trigger"]) == (amount, unit, trigger), r["number"]


def test_seed_annual_deadline_is_january_31() -> None:
    dl = ingest_file(SEED, Settings(root=ROOT))
    tl = dl.items[4].time_limit
    assert tl.kind == "annual" and tl.annual_date == "--01-31"


def test_seed_channel_audience_mode_bureau_date(seed_rows) -> None:
    for r in seed_rows:
        assert r["channels_checked"] == "中卫市人民政府门户网站"
        assert r["audience"] == "全社会"
        assert r["mode"] == "主动公开"
        assert r["bureau"] == "中卫市云计算和大数据发展局"
        assert r["list_date"] == "2021-06-16"
        assert r["source_file"] == "zhongwei-yunjisuan-2021.txt"
    assert seed_rows[4]["source_rows"] == "17,19"


def _graph_of(path: Path) -> Graph:
    settings = Settings(root=ROOT)
    _, g = map_list(ingest_file(path, settings), map_context(settings))
    return g


DECLARED = """
PREFIX gk: <https://w3id.org/gongkai/ontology#>
PREFIX md: <https://w3id.org/gongkai/vocab/mode/>
SELECT ?l1 ?l2 ?req ?cats ?active ?onreq WHERE {
  ?list a gk:DisclosureList ; gk:declaredLevel1Count ?l1 ; gk:declaredLevel2Count ?l2 ;
        gk:declaredOnRequestCount ?req .
  { SELECT (COUNT(DISTINCT ?c) AS ?cats) WHERE { ?i a gk:DisclosureItem ; gk:category ?c } }
  { SELECT (COUNT(DISTINCT ?a) AS ?active) WHERE { ?a a gk:DisclosureItem ; gk:mode md:active } }
  { SELECT (COUNT(DISTINCT ?o) AS ?onreq) WHERE { OPTIONAL { ?o a gk:DisclosureItem ; gk:mode md:on-request } } }
}"""


def test_declared_counts_are_in_the_graph_and_match_the_parsed_items() -> None:
    rows = list(_graph_of(SEED).query(DECLARED))
    assert len(rows) == 1
    l1, l2, req, cats, active, onreq = (int(v) for v in rows[0])
    assert (l1, l2, req) == (5, 18, 0)
    assert (cats, active, onreq) == (l1, l2, req)


def test_output_formats_carry_the_same_graph(tmp_path) -> None:
    graphs = {}
    for ext in ("ttl", "nt", "jsonld", "trig", "rdf"):
        out = tmp_path / f"seed.{ext}"
        r = run_cli("ingest", str(SEED), "-o", str(out))
        assert r.returncode == 0, r.stderr
        fmt = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld", "trig": "trig", "rdf": "xml"}[ext]
        if ext == "trig":
            ds = Dataset()
            ds.parse(out, format=fmt)
            g = Graph()
            for s, p, o, _ in ds.quads():
                g.add((s, p, o))
        else:
            g = Graph().parse(out, format=fmt)
        graphs[ext] = g
    assert len(graphs["ttl"]) > 700
    for ext, g in graphs.items():
        assert isomorphic(g, graphs["ttl"]), ext


# --- fixtures: each shows other quirks of the same format ----------------------------

FIXTURES = {
    # file: (bureau, date, items, {level1: numbers}, {number: (amount, unit, trigger)},
    #        {number: channels}, {number: (audience, mode)}, {number: remark})
    "anlan-shengtai-2022.txt": (
        "安澜市生态环境局", "2022-03-18", 8,
        {"机构职能": {1, 2}, "环境管理": {3, 4, 5, 6}, "监督执法": {7, 8}},
        {3: ("7", "working_day", "received"), 4: ("20", "working_day", "decided"),
         8: ("15", "day", "concluded")},
        {3: "安澜市人民政府门户网站 | 两微一端", 5: "安澜市人民政府门户网站 | 两微一端 | 公开查阅点",
         7: "安澜市人民政府门户网站 | 信用中国（安澜）"},
        {4: ("特定群体", "依申请公开"), 6: ("全社会 | 特定群体", "主动公开"), 8: ("特定群体", "主动公开")},
        {6: "涉密内容除外"},
    ),
    "chengxi-shichang-2021.txt": (
        "澄溪县市场监督管理局", "2021-09-30", 9,
        {"行政许可": {1, 2, 3}, "监督检查": {4, 5, 6}, "行政处罚": {7, 8, 9}},
        # items 2 and 3 say 同上: the time limit of the row above
        {1: ("7", "working_day", "decided"), 2: ("7", "working_day", "decided"),
         3: ("7", "working_day", "decided"), 6: ("20", "working_day", "formed")},
        {1: "澄溪县人民政府门户网站 | 市场监管所公示栏", 4: "澄溪县人民政府门户网站 | 两微一端"},
        {1: ("全社会", "主动公开")},
        {},
    ),
    "qinghe-jiaoyu-2023.txt": (
        "青禾县教育体育局", "2023-02-27", 7,
        {"": set(range(1, 8))},  # no level-1 column at all
        {2: ("20", "working_day", "formed-or-changed"), 3: ("5", "working_day", "concluded"),
         6: ("20", "working_day", "received")},
        {3: "青禾县人民政府门户网站 | 公开查阅点"},
        {3: ("特定群体", "主动公开"), 6: ("特定群体", "依申请公开")},
        {1: "每学年更新", 6: "仅向当事人提供"},
    ),
    "yunling-yingji-2022.txt": (
        "云岭镇人民政府", "2022-05-10", 6,
        {"应急管理": {1, 2, 3}, "救灾救助": {4, 5, 6}},
        {1: ("20", "working_day", "formed-or-changed"), 4: ("10", "working_day", "concluded")},
        {2: "镇政府信息公开专栏 | 村务公开栏 | 两微一端"},
        {3: ("特定群体", "")},  # 公开方式 holds channels in this list: no mode column
        {2: "通过应急广播同步播发"},
    ),
}


@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_fixture_lists_parse_with_their_expected_values(name, tmp_path) -> None:
    bureau, date, n, cats, limits, channels, aud_mode, remarks = FIXTURES[name]
    out = tmp_path / "f.csv"
    r = run_cli("ingest", str(FIX / name), "-o", str(out))
    assert r.returncode == 0, r.stderr
    rows = {int(x["number"]): x for x in csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig")))}
    assert sorted(rows) == list(range(1, n + 1))
    assert {x["bureau"] for x in rows.values()} == {bureau}
    assert {x["list_date"] for x in rows.values()} == {date}
    got_cats: dict[str, set[int]] = {}
    for num, x in rows.items():
        got_cats.setdefault(x["level1"], set()).add(num)
    assert got_cats == cats
    for num, (amount, unit, trig) in limits.items():
        assert (rows[num]["tl_amount"], rows[num]["tl_unit"], rows[num]["tl_trigger"]) == (amount, unit, trig), num
    for num, ch in channels.items():
        assert rows[num]["channels_checked"] == ch, num
    for num, (aud, mode) in aud_mode.items():
        assert (rows[num]["audience"], rows[num]["mode"]) == (aud, mode), num
    for num, remark in remarks.items():
        assert rows[num]["remark"] == remark, num


def test_a_list_cut_off_mid_row_is_reported_not_completed() -> None:
    dl = ingest_file(FIX / "chengxi-shichang-2021.txt", Settings(root=ROOT))
    last = dl.items[-1]
    assert last.number == 9 and last.time_limit is None and not last.channels
    assert any("ends inside this row" in w for w in dl.warnings)


# --- errors ----------------------------------------------------------------------------

def _assert_clean_error(r: subprocess.CompletedProcess, *needles: str) -> None:
    assert r.returncode == 2, (r.returncode, r.stdout, r.stderr)
    assert "Traceback" not in r.stderr
    for n in needles:
        assert n in r.stderr, (n, r.stderr)


def test_missing_file_is_named_with_exit_code_2(tmp_path) -> None:
    _assert_clean_error(run_cli("ingest", str(tmp_path / "nope.txt"), "-o", str(tmp_path / "x.csv")),
                        "nope.txt", "not found")


def test_unrecognisable_file_is_named_with_its_reason(tmp_path) -> None:
    png = tmp_path / "list.txt"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    _assert_clean_error(run_cli("ingest", str(png), "-o", str(tmp_path / "x.csv")), "list.txt")
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    _assert_clean_error(run_cli("ingest", str(empty)), "empty.txt", "empty")
    prose = tmp_path / "prose.txt"
    prose.write_text("这是一段普通的文字。\n没有表格。\n", encoding="utf-8")
    _assert_clean_error(run_cli("ingest", str(prose)), "prose.txt")


def test_a_list_naming_no_bureau_says_how_to_give_it_and_then_reads(tmp_path) -> None:
    src = ROOT / "data" / "raw" / "tez-huji.txt"            # its page names no bureau
    _assert_clean_error(run_cli("ingest", str(src), "--strict", "-o", str(tmp_path / "x.csv")),
                        "tez-huji.txt", "--bureau NAME")
    r = run_cli("ingest", str(src), "--bureau", "台儿庄区人民政府", "-o", str(tmp_path / "x.csv"))
    assert r.returncode == 0, r.stderr
    assert "台儿庄区人民政府" in (tmp_path / "x.csv").read_text(encoding="utf-8-sig")


def test_unknown_output_extension_is_refused(tmp_path) -> None:
    _assert_clean_error(run_cli("ingest", str(SEED), "-o", str(tmp_path / "x.xyz")), "x.xyz", ".ttl")


def test_strictly_a_row_that_cannot_be_parsed_names_its_line_and_nothing_is_written(tmp_path) -> None:
    lines = SEED.read_text(encoding="utf-8").splitlines()
    # line 28 (item 11) gets a second check-box cell: a row no layout can hold
    cells = lines[27].split("\t")
    cells.insert(3, cells[8])
    lines[27] = "\t".join(cells)
    bad = tmp_path / "bad.txt"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    out.write_text("previous content\n", encoding="utf-8")
    _assert_clean_error(run_cli("ingest", str(bad), "--strict", "-o", str(out)), "bad.txt", "row 28")
    assert out.read_text(encoding="utf-8") == "previous content\n"
