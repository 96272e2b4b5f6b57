"""A row that cannot be read never refuses its list: it is set aside as an unread row (its
lines, its text, why), the rest is read, and the row is reported everywhere — in `ingest`'s
warnings and exit code, in `build`'s summary and build/unread.csv, in the list's graph
(gk:UnreadRow, shape C16) and in the app's import preview. `--strict` keeps the
all-or-nothing reading. A list that names no bureau is read under an unnamed bureau. Clear
reasons for what cannot be read: time limits, text encodings, items shown to be missing.

The fixtures (tests/fixtures/unread/) have the shapes of real pages with invented content."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Literal
from rdflib.namespace import DCTERMS, RDF, XSD

from gongkai.errors import InputError
from gongkai.fields.parse import build_list
from gongkai.fields.timelimits import parse_time_limit, unparsed_reason
from gongkai.ingest import incomplete, ingest_file
from gongkai.model import UNNAMED_BUREAU, UnreadRow
from gongkai.rdf.mapping import map_list
from gongkai.rdf.namespaces import GK
from gongkai.readers.detect import detect_format
from gongkai.reference_data import map_context
from gongkai.settings import Settings
from gongkai.tabulate.rows import RawRow, RawTable
from gongkai.validation.run import validate_lists

ROOT = Path(__file__).resolve().parents[2]
FIX = ROOT / "tests" / "fixtures" / "unread"
BAD_ROW = FIX / "one-bad-row.txt"          # pipe text; row 8 has more cells than the table has columns
CUT = FIX / "last-row-cut-off.txt"         # tab text; the file ends inside row 11, in its first name
NO_NAME = FIX / "row-without-name.txt"     # pipe text; row 8 has neither name nor content
NO_BUREAU = FIX / "no-bureau.txt"          # a domain's standard directory copied without its bureau
SEED = ROOT / "data" / "raw" / "zhongwei-yunjisuan-2021.txt"
SETTINGS = Settings(root=ROOT, fixed_time=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))


def run_cli(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1767225600"}
    return subprocess.run([sys.executable, "-m", "gongkai.cli", *args], capture_output=True,
                          text=True, cwd=ROOT, timeout=300, env=env)


def _csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))


# --- ingest -------------------------------------------------------------------------------

def test_a_row_that_cannot_be_aligned_is_set_aside_and_the_rest_is_read(tmp_path: Path) -> None:
    out = tmp_path / "list.csv"
    r = run_cli("ingest", str(BAD_ROW), "-o", str(out))
    assert r.returncode == 1, r.stderr
    assert "Traceback" not in r.stderr
    assert [row["number"] for row in _csv(out)] == ["1", "2", "4", "5"]
    assert "4 items" in r.stderr and "1 row not read" in r.stderr
    warning = next(line for line in r.stderr.splitlines() if "not read:" in line)
    assert "row 8 not read: cannot align this row's 15 non-empty cells to the 12 columns" in warning
    assert "«3 | 场馆服务 | 开放时间 | ■政府网站 |" in warning


def test_strictly_the_same_row_refuses_the_list_with_today_s_message(tmp_path: Path) -> None:
    out = tmp_path / "list.csv"
    out.write_text("previous\n", encoding="utf-8")
    r = run_cli("ingest", str(BAD_ROW), "--strict", "-o", str(out))
    assert r.returncode == 2
    assert ("one-bad-row.txt, row 8: cannot align this row's 15 non-empty cells to the 12 columns "
            "(number, level1, level2, content,") in r.stderr
    assert out.read_text(encoding="utf-8") == "previous\n"


def test_an_unread_row_is_in_the_graph_and_flagged_by_shape_c16() -> None:
    dl = ingest_file(BAD_ROW, SETTINGS)
    assert [(u.lines, u.text.split(" | ")[:3]) for u in dl.unread] == [((8,), ["3", "场馆服务", "开放时间"])]
    lst, g = map_list(dl, map_context(SETTINGS))
    node = next(g.objects(lst, GK.unreadRow))
    assert str(node) == f"{lst}/unread/1"
    assert (node, RDF.type, GK.UnreadRow) in g
    assert (node, GK.sourceLine, Literal(8, datatype=XSD.positiveInteger)) in g
    assert str(g.value(node, GK.rawText)).startswith("3 | 场馆服务 | 开放时间")
    assert str(g.value(node, GK.unreadReason)).startswith("cannot align this row's 15 non-empty cells")
    assert not list(g.subjects(GK.itemNumber, Literal(3, datatype=XSD.integer)))
    report = validate_lists([dl], SETTINGS)
    flagged = [r for r in report.results if r.shape_id == "C16-list-has-no-unread-rows"]
    assert len(flagged) == 1 and flagged[0].severity == "Warning"


def test_rows_without_a_name_or_a_number_are_set_aside_with_the_same_reasons() -> None:
    rows = [RawRow({"number": "1", "level2": "机构信息", "content": "职责"}, [5], {}, set(), []),
            RawRow({"number": "√", "level2": "领导信息", "content": ""}, [6, 7], {}, set(), []),
            RawRow({"number": "3", "level2": "", "content": ""}, [8], {}, set(), []),
            RawRow({"number": "4", "level2": "政策解读", "content": "解读材料"}, [9], {}, set(), [])]
    table = RawTable("t.txt", "pipe-text", ["number", "level2", "content"], [4], rows,
                     [(1, "责任单位：示例局")], {}, [])
    dl = build_list(table, source_file="t.txt")
    assert [it.number for it in dl.items] == [1, 4]
    assert dl.unread == [UnreadRow((6, 7), "√ | 领导信息", "item number '√' is not a number (cell 序号)"),
                         UnreadRow((8,), "3", "item 3 has no name (二级事项/事项名称 empty) (cell 二级事项)")]
    with pytest.raises(InputError, match="item number '√' is not a number") as e:
        build_list(table, source_file="t.txt", strict=True)
    assert e.value.row == 6


def test_a_row_with_no_name_in_a_pipe_list(tmp_path: Path) -> None:
    r = run_cli("ingest", str(NO_NAME), "-o", str(tmp_path / "x.csv"))
    assert r.returncode == 1
    assert "row 8 not read: item 3 has no name" in r.stderr and "«3 | 《水法》" in r.stderr
    assert [row["level2"] for row in _csv(tmp_path / "x.csv")] == ["水利工程建设项目", "防汛抗旱信息", "取水许可",
                                                               "河道采砂许可"]


def test_a_list_none_of_whose_rows_can_be_read_is_refused(tmp_path: Path) -> None:
    lines = BAD_ROW.read_text(encoding="utf-8").splitlines()
    only_bad = tmp_path / "bad.txt"
    only_bad.write_text("\n".join([*lines[:5], lines[7]]) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"none of the table's rows could be read \(1 set aside\); "
                                         r"the first: cannot align") as e:
        ingest_file(only_bad, SETTINGS)
    assert e.value.row == 6


def test_a_list_read_whole_exits_0() -> None:
    r = run_cli("ingest", str(SEED))
    assert r.returncode == 0, r.stderr
    assert "not read" not in r.stderr and "read in part" not in r.stderr


# --- a last row cut off -------------------------------------------------------------------

def test_a_last_row_cut_off_before_its_name_is_set_aside() -> None:
    dl = ingest_file(CUT, SETTINGS)
    assert [it.level2 for it in dl.items] == ["体育法规", "开放时间", "赛事预告", "赛事结果"]
    assert dl.unread == [UnreadRow((11,), "5 | 行政执", "the file ends inside this row, before its item "
                                   "name: too little of it is there to read as an item (cell 二级事项)")]
    # strictly, as it always was read: an item named by the fragment of its category
    strict = ingest_file(CUT, SETTINGS, strict=True)
    assert [it.level2 for it in strict.items][-1] == "行政执" and not strict.unread


def test_the_cut_off_last_row_of_a_list_of_data_raw_is_unread() -> None:
    dl = ingest_file(ROOT / "data" / "raw" / "yunyang-yanglao.txt", SETTINGS, bureau="云阳县民政局")
    assert len(dl.items) == 3 and [u.lines for u in dl.unread] == [(20,)]


def test_build_of_a_folder_with_unread_rows_exits_0_and_writes_unread_csv(tmp_path: Path) -> None:
    folder = tmp_path / "lists"
    folder.mkdir()
    for f in (BAD_ROW, CUT, SEED):
        (folder / f.name).write_bytes(f.read_bytes())
    r = run_cli("build", str(folder), "--out", str(tmp_path / "out"))
    assert r.returncode == 0, r.stderr
    summary = next(line for line in r.stdout.splitlines() if "lists," in line)
    assert "3 lists, 0 failed" in summary
    header = next(line for line in r.stdout.splitlines() if "unread" in line and "items" in line)
    assert header.index("unread") < header.index("warn")
    assert "warning: one-bad-row.txt: row 8 not read: cannot align" in r.stderr
    assert "warning: last-row-cut-off.txt: row 11 not read: the file ends inside this row" in r.stderr
    rows = _csv(tmp_path / "out" / "unread.csv")
    assert [(x["source_file"], x["lines"], x["text"][:12]) for x in rows] == [
        ("last-row-cut-off.txt", "11", "5 | 行政执"), ("one-bad-row.txt", "8", "3 | 场馆服务 | 开")]
    assert all(x["reason"] for x in rows)
    items = _csv(tmp_path / "out" / "items.csv")
    assert len(items) == 4 + 4 + 18
    assert not any(x["level2"] == "开放时间" and x["bureau"] == "示例县文化和旅游局" for x in items)  # the unread row
    trig = (tmp_path / "out" / "kg.trig").read_text(encoding="utf-8")
    assert trig.count("a gk:UnreadRow") == 2        # the two rows (the ontology names the class too)
    # --strict: the file with the unalignable row fails; the cut-off row is read as it always
    # was under the all-or-nothing reading (named by what is there, with the warning)
    r = run_cli("build", str(folder), "--out", str(tmp_path / "strict"), "--strict")
    assert r.returncode == 1
    assert "2 lists, 1 failed" in r.stdout
    assert "one-bad-row.txt, row 8: cannot align" in r.stderr


def test_summary_counts_unread_rows_at_80_columns(tmp_path: Path) -> None:
    from rich.console import Console

    from gongkai.cli.build import summary_table
    from gongkai.pipeline.build import build

    folder = tmp_path / "lists"
    folder.mkdir()
    for f in (BAD_ROW, NO_BUREAU):
        (folder / f.name).write_bytes(f.read_bytes())
    result = build(SETTINGS, folder, tmp_path / "out")
    console = Console(width=80, record=True, color_system=None)
    console.print(summary_table(result))
    lines = console.export_text().splitlines()
    assert max(len(line) for line in lines) <= 80
    row = next(line for line in lines if line.startswith("one-bad-row.txt"))
    assert row.split()[5] == "1"            # format, items, cites, limits, unread
    total = next(line for line in lines if "lists," in line)
    assert "2 lists, 0 failed" in total and "2 bureaus" in total


# --- a list that names no bureau ----------------------------------------------------------

def test_a_list_that_names_no_bureau_is_read_under_an_unnamed_bureau(tmp_path: Path) -> None:
    r = run_cli("ingest", str(NO_BUREAU), "-o", str(tmp_path / "x.ttl"))
    assert r.returncode == 1, r.stderr
    assert f"read as 「{UNNAMED_BUREAU}」" in r.stderr and "--bureau NAME" in r.stderr and "sources.csv" in r.stderr
    dl = ingest_file(NO_BUREAU, SETTINGS)
    assert not dl.bureau_named and dl.bureau.name == UNNAMED_BUREAU and len(dl.items) == 3
    assert incomplete(dl) == ["no bureau named"]
    lst, g = map_list(dl, map_context(SETTINGS))
    sha12 = dl.source_sha256[:12]
    assert str(lst) == f"{SETTINGS.base}list/unknown-{sha12}/undated"
    bureau = g.value(lst, DCTERMS.publisher)
    assert str(bureau) == f"{SETTINGS.base}org/unknown-{sha12}" and (bureau, RDF.type, GK.UnnamedBureau) in g
    report = validate_lists([dl], SETTINGS)
    assert [r.severity for r in report.results if r.shape_id == "C11-list-has-bureau"] == ["Violation"]
    # the same file again: the same IRIs
    assert map_list(ingest_file(NO_BUREAU, SETTINGS), map_context(SETTINGS))[0] == lst
    # named: the bureau's IRIs, no violation of C11
    named = ingest_file(NO_BUREAU, SETTINGS, bureau="示例县教育局")
    assert named.bureau_named and not incomplete(named)
    assert not [r for r in validate_lists([named], SETTINGS).results if r.shape_id == "C11-list-has-bureau"]
    # strictly, refused as it always was
    with pytest.raises(InputError, match="cannot tell which bureau published this list"):
        ingest_file(NO_BUREAU, SETTINGS, strict=True)


def test_two_unnamed_lists_are_two_bureaus(tmp_path: Path) -> None:
    other = tmp_path / "other.txt"
    other.write_text(NO_BUREAU.read_text(encoding="utf-8").replace("招生政策", "招生计划"), encoding="utf-8")
    a, b = ingest_file(NO_BUREAU, SETTINGS), ingest_file(other, SETTINGS)
    ctx = map_context(SETTINGS)
    ga, gb = map_list(a, ctx)[1], map_list(b, ctx)[1]
    assert set(ga.subjects(RDF.type, GK.UnnamedBureau)).isdisjoint(set(gb.subjects(RDF.type, GK.UnnamedBureau)))


# --- items shown to be missing ------------------------------------------------------------

def _deletions(n: int, seed: int = 19) -> list[tuple[int, int]]:
    lines = SEED.read_text(encoding="utf-8").split("\n")
    runs = [(start, size) for size in (1, 2, 3) for start in range(len(lines) - size + 1)]
    return random.Random(seed).sample(runs, n)


def test_a_list_that_lost_lines_says_items_are_missing(tmp_path: Path) -> None:
    """Lines deleted from the original list: every deletion that drops items is refused, or
    warns that items are missing (the declared counts, gaps in the numbering), or sets rows
    aside. (Before, most dropped items with no warning at all.)"""
    lines = SEED.read_text(encoding="utf-8").split("\n")
    whole = len(ingest_file(SEED, SETTINGS, resolve=False).items)
    dropped = 0
    for start, size in _deletions(60):
        p = tmp_path / "cut.txt"
        p.write_text("\n".join(lines[:start] + lines[start + size:]), encoding="utf-8")
        try:
            dl = ingest_file(p, SETTINGS, resolve=False)
        except InputError:
            continue
        if len(dl.items) < whole:
            dropped += 1
            assert incomplete(dl), (start, size, dl.warnings)
            assert any(w.startswith("items may be missing") for w in dl.warnings) or dl.unread, (start, size)
    assert dropped >= 20


def test_a_gap_in_the_numbers_and_a_shortfall_of_declared_items_are_named(tmp_path: Path) -> None:
    lines = SEED.read_text(encoding="utf-8").split("\n")
    item_7 = next(i for i, line in enumerate(lines) if line.split("\t")[:1] == ["7"])
    p = tmp_path / "no-7.txt"
    p.write_text("\n".join(lines[:item_7] + lines[item_7 + 2:]), encoding="utf-8")
    dl = ingest_file(p, SETTINGS, resolve=False)
    missing = [w for w in dl.warnings if w.startswith("items may be missing")]
    assert any("declares 18 items" in w and "17 items" in w for w in missing), missing
    assert any("jump from 6" in w and "to 8" in w and "item 7 not found" in w for w in missing), missing
    assert incomplete(dl) == ["items missing"]


# --- clear reasons ------------------------------------------------------------------------

@pytest.mark.parametrize("text, reason", [
    ("每年13月1日前", "not a real date: '每年13月1日前' (there is no 13月1日)"),
    ("每年1月32日前公布", "not a real date: '每年1月32日前公布' (there is no 1月32日)"),
    ("-5个工作日内", "a time limit cannot be negative: '-5个工作日内'"),
    ("形成之日起－5个工作日内", "a time limit cannot be negative: '形成之日起－5个工作日内'"),
])
def test_impossible_time_limits_are_unparsed_with_their_reason(text: str, reason: str) -> None:
    tl = parse_time_limit(text)
    assert tl.kind == "unparsed" and tl.amount is None and tl.frequency is None
    assert unparsed_reason(tl) == reason


@pytest.mark.parametrize("text, kind, amount", [
    ("每年1月31日前", "annual", None), ("5-10个工作日内", "period", 10), ("每半年更新1次", "periodic", None),
])
def test_possible_time_limits_are_still_read(text: str, kind: str, amount: int | None) -> None:
    tl = parse_time_limit(text)
    assert (tl.kind, tl.amount) == (kind, amount)


@pytest.mark.parametrize("name, data, says", [
    ("le.txt", "序号|公开事项|公开内容\n1|机构信息|职责\n".encode("utf-16-le"),
     "UTF-16 text (little-endian) without a byte-order mark"),
    ("be.csv", "序号,公开事项,公开内容\n1,机构信息,职责\n".encode("utf-16-be"),
     "UTF-16 text (big-endian) without a byte-order mark"),
    ("nul.txt", "序号|公开事项\n".encode() + b"\x00\x01\x02binary\x00", "not a text file: it holds NUL bytes"),
], ids=["utf-16-le", "utf-16-be", "nul"])
def test_text_that_cannot_be_read_says_why(tmp_path: Path, name: str, data: bytes, says: str) -> None:
    p = tmp_path / name
    p.write_bytes(data)
    with pytest.raises(InputError, match=re.escape(says)) as e:
        detect_format(p)
    assert "no table recognised" not in e.value.reason


# --- the model ----------------------------------------------------------------------------

def test_unread_row_warning_names_lines_and_text() -> None:
    u = UnreadRow((14, 15, 16, 18), "1 | 机构信息\n| " + "很长的内容" * 20, "cannot align")
    assert u.lines_text == "rows 14–16, 18"
    assert u.warning().startswith("rows 14–16, 18 not read: cannot align: «1 | 机构信息 | 很长")
    assert u.warning().endswith("…»") and len(u.shown_text) == 60
    assert UnreadRow((7,), "x", "r").warning() == "row 7 not read: r: «x»"


# --- the app's import preview -------------------------------------------------------------

def test_the_import_preview_lists_the_unread_rows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from streamlit.testing.v1 import AppTest

    from gongkai.pipeline.sequence import build_and_publish

    folder = tmp_path / "lists"
    folder.mkdir()
    (folder / SEED.name).write_bytes(SEED.read_bytes())
    settings = Settings(root=ROOT, build_dir=tmp_path / "build", fixed_time=SETTINGS.fixed_time)
    assert build_and_publish(settings, folder).published
    monkeypatch.setenv("GONGKAI_BUILD", str(tmp_path / "build"))
    monkeypatch.delenv("GONGKAI_ENDPOINT", raising=False)
    at = AppTest.from_file(str(ROOT / "app" / "streamlit_app.py"), default_timeout=60)
    at.run()
    at.switch_page("app_pages/import_list.py").run()
    at.file_uploader(key="import_file").set_value((BAD_ROW.name, BAD_ROW.read_bytes(), "text/plain")).run()
    assert not at.exception and not at.error, [e.value for e in at.exception]
    assert {m.label: m.value for m in at.metric}["事项"] == "4"
    assert any(e.label == "未读取的行（1）" for e in at.expander)
    unread = next(d.value for d in at.dataframe if "原因" in d.value.columns)
    assert list(unread["行"]) == [8] and unread["原文"].iloc[0].startswith("3 | 场馆服务")
