"""A query's answer in a real browser: `gongkai build` over data/raw, `streamlit run` on
127.0.0.1, Debian's chromium driven by Playwright.

Runs the library query ``bureaus`` on the SPARQL screen: its headers are the query's labels,
not variable names; a click on the 事项数 header sorts the counts as numbers; the XLSX
download opens in openpyxl with numbers as numbers; the chart view draws a chart. A larger
answer comes in pages. Screenshots go to build/screenshots/app-results-*.png."""

from __future__ import annotations

import contextlib
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from browserkit import IDLE
from gongkai.pipeline.stats import write_build_stats
from gongkai.settings import Settings
from gongkai.validation.inputs import validate_rdf_file
from gongkai.validation.reports import write_build_reports
from servers import start_app, stop_app

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "build" / "screenshots"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """data/raw built by the command line, with its validation reports and statistics."""
    out = tmp_path_factory.mktemp("e2e-results") / "build"
    r = subprocess.run([sys.executable, "-m", "gongkai.cli", "build", "--out", str(out)],
                       cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert r.returncode in (0, 1), r.stderr
    assert (out / "kg.trig").exists(), r.stderr
    if not (out / "validation.json").exists():
        s = Settings(build_dir=out)
        report = validate_rdf_file(out / "kg.trig", s)
        write_build_reports(report, out, s)
        write_build_stats(s, report=report)
    return out


@pytest.fixture(scope="module")
def app_url(built):
    proc, url = start_app(built, ROOT)
    try:
        yield url
    finally:
        stop_app(proc)


@pytest.fixture
def page(browser, app_url):
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN", accept_downloads=True)
    hosts: list[str] = []
    ctx.on("request", lambda req: hosts.append(urlsplit(req.url).hostname or req.url))
    try:
        yield ctx.new_page()
    finally:
        ctx.close()
    outside = sorted({h for h in hosts if h not in ("127.0.0.1", "localhost")})
    assert not outside, f"the app loaded something from elsewhere: {outside}"


def _idle(page: Page, timeout: float = 30_000) -> None:
    page.wait_for_selector(IDLE, timeout=timeout)


def _shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(PlaywrightTimeoutError):
        page.wait_for_function("() => !document.querySelector('[data-testid=\"stSkeleton\"]')", timeout=10_000)
    page.screenshot(path=str(SHOTS / f"app-results-{name}.png"), full_page=True)


def _run_library_query(page: Page, url: str, query_id: str) -> None:
    page.goto(url + "sparql")
    expect(page.locator("h1").first).to_have_text("SPARQL 查询", timeout=30_000)
    _idle(page)
    box = page.get_by_role("combobox", name="库中的查询")
    box.click()
    box.fill(query_id)
    page.get_by_role("option", name=re.compile(re.escape(query_id))).first.click()
    _idle(page)
    page.get_by_role("button", name="运行").click()
    _idle(page)
    expect(page.get_by_text(re.compile(r"^\d+ 行 · 用时 \d+ 毫秒"))).to_be_visible()


def _headers(page: Page) -> list[str]:
    grid = page.locator('[data-testid="stDataFrame"]:visible')
    heads = grid.locator('[role="columnheader"]')
    heads.first.wait_for(state="attached", timeout=15_000)
    return [h.strip() for h in heads.all_inner_texts()]


def _column(page: Page, index: int) -> list[str]:
    """The cells of one column in the rows drawn (the grid keeps an accessible copy of them)."""
    page.wait_for_timeout(500)
    rows = page.locator('[data-testid="stDataFrame"]:visible [role="row"]')
    out = []
    for row in rows.all():
        cells = row.locator('[role="gridcell"]').all_inner_texts()
        if len(cells) > index:
            out.append(cells[index].strip())
    return out


def _click_header(page: Page, index: int, arrow: str, at: float | None = None) -> float:
    """Click the header of column ``index`` (drawn on a canvas: found by clicking along the header
    row until that column's header shows ``arrow``, ↑ or ↓); returns where it was clicked."""
    box = page.locator('[data-testid="stDataFrame"]:visible').first.bounding_box()
    assert box is not None
    head = page.locator('[data-testid="stDataFrame"]:visible [role="columnheader"]').nth(index)
    for x in [at] * 3 if at is not None else range(int(box["x"]) + 10, int(box["x"] + box["width"]), 20):
        page.mouse.move(x, box["y"] + 18)
        page.wait_for_timeout(100)
        page.mouse.click(x, box["y"] + 18)
        page.wait_for_timeout(400)
        if head.inner_text().strip().startswith(arrow):
            return float(x)
    raise AssertionError(f"no click sorted column {index} ({arrow}): {head.inner_text()!r}")


def test_counts_sort_as_numbers_download_as_numbers_and_chart(page, app_url, tmp_path) -> None:
    _run_library_query(page, app_url, "bureaus")
    headers = _headers(page)
    assert {"部门", "清单数", "事项数", "最新清单日期"} <= set(headers), headers
    assert not {"bureau", "items", "lists", "latest", "bureauIri"} & set(headers)   # no variable names
    items = headers.index("事项数")
    where = _click_header(page, items, "↑")
    ascending = [int(v) for v in _column(page, items) if v]
    assert len(ascending) >= 5 and ascending == sorted(ascending), ascending
    _click_header(page, items, "↓", at=where)
    descending = [int(v) for v in _column(page, items) if v]
    assert descending == sorted(descending, reverse=True) and descending[0] > ascending[0], descending
    assert len(str(descending[0])) > len(str(ascending[0])), "the data should mix one- and two-digit counts"
    _shot(page, "sorted")

    with page.expect_download() as dl:
        page.get_by_role("button", name="下载 XLSX").click()
    assert re.fullmatch(r"bureaus-\d{4}-\d{2}-\d{2}\.xlsx", dl.value.suggested_filename)
    path = tmp_path / "bureaus.xlsx"
    dl.value.save_as(path)
    rows = list(load_workbook(path, read_only=True).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("部门", "清单数", "事项数")
    counts = [r[2] for r in rows[1:]]
    assert counts and all(type(n) is int for n in counts), counts[:5]
    assert max(counts) == descending[0]

    with page.expect_download() as dl:
        page.get_by_role("button", name="下载 CSV").click()
    assert dl.value.suggested_filename.endswith(".csv")
    csv_path = tmp_path / "bureaus.csv"
    dl.value.save_as(csv_path)
    raw = csv_path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and raw.decode("utf-8-sig").startswith("bureau,lists,items,latest")

    page.get_by_role("tab", name="图表").click()
    chart = page.locator('[data-testid="stVegaLiteChart"]:visible').first
    expect(chart).to_be_visible(timeout=15_000)
    expect(chart.locator("canvas, svg").first).to_be_attached(timeout=15_000)
    expect(page.get_by_text("条形图")).to_be_visible()                                # chosen from the columns
    _shot(page, "chart")


def test_a_large_answer_comes_in_pages(page, app_url) -> None:
    _run_library_query(page, app_url, "clauses_not_covered_by_bureau")   # every bureau: hundreds of rows
    caption = page.get_by_text(re.compile(r"^第 1–100 行，共 [\d,]+ 行$"))
    expect(caption).to_be_visible()
    total = int(re.search(r"共 ([\d,]+) 行", caption.inner_text()).group(1).replace(",", ""))
    assert total > 100
    page.get_by_label(re.compile(r"页（共 \d+ 页）")).fill("2")
    page.get_by_label(re.compile(r"页（共 \d+ 页）")).press("Enter")
    _idle(page)
    expect(page.get_by_text(re.compile(rf"^第 101–{min(200, total)} 行，共 {total:,} 行$"))).to_be_visible()
    _shot(page, "pages")
