"""The corpus check: every XLSX, DOCX and HTML list, saved as PDF, XLS and DOC, reads the same.

``data/raw/tools/formats_check.py`` converts each list of data/raw and of tests/fixtures in
those formats with LibreOffice, with the page setup publishers use, reads every converted
file and compares its items, citations and time limits with the original's (whitespace
compared as its module doc says). It runs here once, as a user runs it; each list × format
pair is then one test. A pair that does not read the same for a reason known and not yet
fixed is an expected failure naming it (strict: when it reads the same, the mark must go).
"""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path

import pytest

from gongkai.ingest import ingest_file

ROOT = Path(__file__).resolve().parents[2]
TOOLS = ROOT / "data" / "raw" / "tools"
sys.path.insert(0, str(TOOLS))
import formats_check  # noqa: E402  (data/raw/tools/formats_check.py)

PAIRS = [(formats_check.label(p), fmt) for p in formats_check.corpus() for fmt in formats_check.FORMATS]

#: pairs that do not read the same yet, and why
KNOWN: dict[tuple[str, str], str] = {
    ("tests/fixtures/formats/layout-rowspan.html", "xls"):
        "conversion: Calc's HTML import spreads a table nested in a page's layout table over the layout "
        "table's cells (序号 merged with the title above it, 一级事项 over four columns): the sheet is "
        "garbled before any reader sees it",
    ("tests/fixtures/pages/chrome-nested-split.html", "xls"):
        "conversion: as layout-rowspan.html, Calc's HTML import spreads the list's table, nested in the "
        "page's layout table beside the site's navigation, over the layout table's cells: no header row "
        "is left in the sheet",
    ("tests/fixtures/pages/chrome-nested-split.html", "pdf"):
        "conversion: Writer prints the whole page, its navigation and the index table beside the list's "
        "table, so the words of the side columns share the table's lines and the third item (in a table "
        "continued under the side column) is lost; publishers print the list, not the page around it",
}


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, str, dict[tuple[str, str], dict]]:
    """The check run once on the whole corpus, as its command line runs it."""
    out = tmp_path_factory.mktemp("formats") / "outcomes.json"
    proc = subprocess.run([sys.executable, str(TOOLS / "formats_check.py"), "--json", str(out)],
                          capture_output=True, text=True, timeout=900, cwd=ROOT)
    assert proc.returncode in (0, 1), proc.stderr
    outcomes = {(o["list"], o["format"]): o for o in json.loads(out.read_text(encoding="utf-8"))}
    return proc.returncode, proc.stdout, outcomes


def _marks() -> list:
    return [pytest.param(lst, fmt, id=f"{Path(lst).name}-{fmt}",
                         marks=[pytest.mark.xfail(strict=True, reason=KNOWN[lst, fmt])] if (lst, fmt) in KNOWN else [])
            for lst, fmt in PAIRS]


# --- the corpus -----------------------------------------------------------------------------

def test_the_corpus_holds_lists_of_every_source_format_from_data_raw_and_the_fixtures() -> None:
    lists = formats_check.corpus()
    assert {p.suffix for p in lists} >= {".xlsx", ".docx", ".html"}
    assert any(p.parent.name == "raw" for p in lists) and any("fixtures" in p.parts for p in lists)
    assert set(KNOWN) <= set(PAIRS), "a known difference of a pair that is no longer checked"


@pytest.mark.parametrize(("lst", "fmt"), _marks())
def test_a_list_reads_the_same_in_each_format(run, lst: str, fmt: str) -> None:
    outcome = run[2][lst, fmt]
    assert outcome["status"] == "same", f"{outcome['status']}: {outcome['detail']} {outcome['first']}"


def test_the_table_has_a_row_per_list_and_counts_the_pairs_that_read_the_same(run) -> None:
    code, stdout, outcomes = run
    assert set(outcomes) == set(PAIRS)
    same = sum(o["status"] == "same" for o in outcomes.values())
    assert f"{same} of {len(PAIRS)} list × format pairs read the same." in stdout
    rows = [line for line in stdout.splitlines() if line.startswith("| `")]
    assert len(rows) == len(formats_check.corpus())
    assert stdout.splitlines()[0] == "| list | PDF | XLS | DOC |"
    assert code == (0 if same == len(PAIRS) else 1)


# --- how two readings are compared ----------------------------------------------------------

def test_whitespace_is_ignored_next_to_chinese_and_folded_between_latin_words() -> None:
    same = formats_check.same_text
    assert same("文件 名称\n文号") == same("文件名称文号") == "文件名称文号"
    assert same("《条例》 第十条") == same("《条例》第十条")
    assert same("Open  data\nportal") == "Open data portal" != same("Opendata portal")
    assert same("20 个工作日") == same("20个工作日")
    assert same("  ") is None


def test_a_difference_in_content_citations_or_time_limit_is_named_with_its_items() -> None:
    original = ingest_file(ROOT / "data" / "raw" / "xjbz-anquanshengchan.docx", bureau="某局", resolve=False)
    assert formats_check.differences(original, copy.deepcopy(original)) == []
    other = copy.deepcopy(original)
    other.items[1].content = (other.items[1].content or "") + "增补"
    other.items[2].citations = other.items[2].citations[1:]
    assert original.items[2].citations
    tl = other.items[3].time_limit
    assert tl is not None
    tl.amount = (tl.amount or 0) + 1
    assert formats_check.differences(original, other) == [
        f"content (item {original.items[1].number})",
        f"citations (item {original.items[2].number})",
        f"parsed time limit (item {original.items[3].number})"]
    other.items.pop()
    assert formats_check.differences(original, other)[0] == \
        f"{len(original.items) - 1} items, not {len(original.items)}"


# --- what the check found -------------------------------------------------------------------

def _layout_docx(path: Path) -> Path:
    """A web page saved as a Word document: a one-column layout table whose cells hold the
    breadcrumb, the title with the list's table nested below it, and the footer."""
    import docx

    d = docx.Document()
    outer = d.add_table(rows=3, cols=1)
    outer.cell(0, 0).text = "首页 > 政务公开"
    cell = outer.cell(1, 0)
    cell.paragraphs[0].text = "示例县某局政务公开标准目录"
    cell.add_paragraph("发布日期：2024-03-01")
    inner = cell.add_table(rows=3, cols=4)
    for i, row in enumerate([["序号", "公开事项", "公开内容", "公开时限"],
                             ["1", "机构职能", "机构名称、职能", "信息形成之日起20个工作日内"],
                             ["2", "领导信息", "领导姓名、分工", "信息形成之日起20个工作日内"]]):
        for j, text in enumerate(row):
            inner.cell(i, j).text = text
    outer.cell(2, 0).text = "版权所有：示例县人民政府"
    d.save(str(path))
    return path


def test_a_list_table_nested_in_a_layout_table_of_a_word_document_is_read(tmp_path: Path) -> None:
    """A web page saved as DOC (the corpus check's layout-rowspan.html → DOC): its list
    table sits in a cell of the page's layout table."""
    from gongkai.readers.docx import read_docx

    grid = read_docx(_layout_docx(tmp_path / "page.docx"))
    assert [t for _, t in grid.preamble] == ["首页 > 政务公开", "示例县某局政务公开标准目录", "发布日期：2024-03-01"]
    assert [[c.text for c in r] for r in grid.rows][1:] == [
        ["1", "机构职能", "机构名称、职能", "信息形成之日起20个工作日内"],
        ["2", "领导信息", "领导姓名、分工", "信息形成之日起20个工作日内"]]
    dl = ingest_file(tmp_path / "page.docx", bureau="某局", resolve=False)
    assert [(i.number, i.level2) for i in dl.items] == [(1, "机构职能"), (2, "领导信息")]


def test_a_list_table_with_a_table_in_one_cell_is_still_the_list(tmp_path: Path) -> None:
    """A table with a header row of its own is the list even when a cell holds a small table."""
    import docx

    from gongkai.readers.docx import read_docx

    d = docx.Document()
    t = d.add_table(rows=2, cols=3)
    for j, text in enumerate(["序号", "公开事项", "公开渠道和载体"]):
        t.cell(0, j).text = text
    t.cell(1, 0).text = "1"
    t.cell(1, 1).text = "机构职能"
    t.cell(1, 2).add_table(rows=1, cols=2).cell(0, 0).text = "■政府网站"
    d.save(str(tmp_path / "list.docx"))
    grid = read_docx(tmp_path / "list.docx")
    assert [c.text for c in grid.rows[0]] == ["序号", "公开事项", "公开渠道和载体"]
    assert [c.text for c in grid.rows[1]][:2] == ["1", "机构职能"] and "■政府网站" in grid.rows[1][2].text
