"""The Streamlit app in a real browser: `gongkai build` over data/raw, `streamlit run` on a
free port of 127.0.0.1, Debian's chromium driven by Playwright.

Traces 国办发〔2018〕10号 to item 14 of the original list, runs a library query and
downloads its CSV, uploads an XLSX list and sees its items, switches to English, and
times every screen (median of five visits, each at most two seconds). Every request the
browser makes is recorded: none may leave 127.0.0.1. Screenshots of each screen go to
build/screenshots/app-*.png."""

from __future__ import annotations

import contextlib
import json
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from appscreens import SCREENS as APP_SCREENS
from browserkit import IDLE
from gongkai.pipeline.stats import write_build_stats
from gongkai.settings import Settings
from gongkai.validation.inputs import validate_rdf_file
from gongkai.validation.reports import write_build_reports
from servers import start_app, stop_app

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "build" / "screenshots"
FIXTURE_XLSX = ROOT / "tests" / "fixtures" / "formats" / "two-sheets-merged.xlsx"
ONE_BAD_ROW = ROOT / "tests" / "fixtures" / "unread" / "one-bad-row.txt"     # row 8 cannot be aligned
ORIGINAL = "中卫市云计算和大数据发展局"
#: (url path, title in Chinese, title in English, name of the screenshot): the app's screens
SCREENS = [("" if s.default else s.url, s.title_zh, s.title_en, s.url) for s in APP_SCREENS]
#: url path → the screen's name in the navigation
NAV = {("" if s.default else s.url): s.nav_zh for s in APP_SCREENS}
RENDER_LIMIT_S = 2.0


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """data/raw built by the command line, with its validation reports and statistics."""
    out = tmp_path_factory.mktemp("e2e-app") / "build"
    r = subprocess.run([sys.executable, "-m", "gongkai.cli", "build", "--out", str(out)],
                       cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert r.returncode in (0, 1), r.stderr      # 1: a file failed, the others are built
    assert (out / "kg.trig").exists() and (out / "stats.json").exists(), r.stderr
    if not (out / "validation.json").exists():   # a build that does not validate: do it here
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
    """A fresh browser context recording every request; the test ends by checking none left 127.0.0.1."""
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN", accept_downloads=True)
    hosts: list[str] = []
    ctx.on("request", lambda req: hosts.append(urlsplit(req.url).hostname or req.url))
    pg = ctx.new_page()
    pg.requested_hosts = hosts  # type: ignore[attr-defined]
    try:
        yield pg
    finally:
        ctx.close()
    outside = sorted({h for h in hosts if h not in ("127.0.0.1", "localhost")})
    assert not outside, f"the app loaded something from elsewhere: {outside}"


def _idle(page: Page, title: str | None = None, timeout: float = 30_000) -> None:
    """Wait until the script has run and, if given, the page's title is shown."""
    if title is not None:
        expect(page.locator("h1").first).to_have_text(title, timeout=timeout)
    page.wait_for_selector(IDLE, timeout=timeout)


def _open(page: Page, url: str, path: str, title: str) -> None:
    page.goto(url + path)
    _idle(page, title)


def _shot(page: Page, name: str) -> None:
    """A screenshot once every element is drawn: a widget whose code the browser has not
    loaded yet (metrics, select boxes on their first use) shows a grey placeholder."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(PlaywrightTimeoutError):  # a screenshot with a placeholder is still a screenshot
        page.wait_for_function("() => !document.querySelector('[data-testid=\"stSkeleton\"]')", timeout=10_000)
    page.screenshot(path=str(SHOTS / f"app-{name}.png"), full_page=True)


def _cells(page: Page) -> list[str]:
    """The text of every cell drawn in the visible tables (Streamlit's data grid draws on a
    canvas and keeps an accessible copy of the rows and columns in view)."""
    cells = page.locator('[data-testid="stDataFrame"]:visible [role="gridcell"]')
    cells.first.wait_for(state="attached", timeout=15_000)  # filled in after the canvas is drawn
    page.wait_for_timeout(300)
    return cells.all_inner_texts()


def _cells_showing(page: Page, expected: set[str], timeout: float = 15.0) -> set[str]:
    """The visible cells once they include ``expected``, or as they are after ``timeout``
    seconds: after a widget changes, the script reruns and the old table stays drawn until
    the new one replaces it (the app may look idle for a moment before the rerun starts)."""
    deadline = time.monotonic() + timeout
    while True:
        cells = set(_cells(page))
        if expected <= cells or time.monotonic() > deadline:
            return cells
        page.wait_for_timeout(300)


def _select(page: Page, label: str, option: str) -> None:
    """Pick an option of a Streamlit select box by typing it."""
    box = page.get_by_role("combobox", name=label)
    box.click()
    box.fill(option)
    page.get_by_role("option", name=re.compile(re.escape(option))).first.click()
    _idle(page)


def test_trace_gbf_2018_10_to_item_14_of_the_original_list(page, app_url) -> None:
    _open(page, app_url, "legal", "法规溯源")
    search = page.get_by_label("查找法规：标题、简称、文号或拼音首字母")
    search.fill("国办发〔2018〕10号")
    search.press("Enter")
    _idle(page)
    expect(page.locator("h2").first).to_contain_text("国务院办公厅关于推进社会公益事业建设领域政府信息公开的意见")
    panel = page.get_by_role("tabpanel").first
    expect(panel.get_by_text(ORIGINAL)).to_be_visible()
    expect(panel.locator("li", has_text="14. 脱贫攻坚")).to_be_visible()
    _shot(page, "legal-trace")
    page.get_by_role("tab", name="关系图").click()
    graph = page.locator('[data-testid="stGraphVizChart"] svg').first
    expect(graph).to_be_visible()
    expect(graph).to_contain_text("14. 脱贫攻坚")
    _shot(page, "legal-graph")
    page.get_by_role("tab", name="从事项看依据").click()
    expect(page.get_by_role("combobox", name="选择事项")).to_have_value(re.compile("14. 脱贫攻坚"))
    assert any("（国办发〔2018〕10号）" in c for c in _cells(page))
    _shot(page, "legal-item")


def test_library_query_with_a_parameter_and_its_csv(page, app_url, tmp_path) -> None:
    _open(page, app_url, "sparql", "SPARQL 查询")
    _select(page, "库中的查询", "search_items")
    field = page.get_by_label("要查找的文字")
    field.fill("脱贫攻坚")
    field.press("Enter")
    _idle(page)
    page.get_by_role("button", name="运行").click()
    _idle(page)
    expect(page.get_by_text(re.compile(r"^1 行 · 用时 \d+ 毫秒"))).to_be_visible()
    assert {ORIGINAL, "14", "脱贫攻坚"} <= _cells_showing(page, {ORIGINAL, "14", "脱贫攻坚"})
    _shot(page, "sparql-result")
    with page.expect_download() as dl:
        page.get_by_role("button", name="下载 CSV").click()
    path = tmp_path / "result.csv"
    dl.value.save_as(path)
    text = path.read_text(encoding="utf-8-sig")
    header, *lines = text.splitlines()
    assert header.startswith("bureau,listDate,number,item")
    assert len(lines) == 1 and lines[0].startswith(f"{ORIGINAL},2021-06-16,14,脱贫攻坚")


def test_upload_an_xlsx_list_and_see_its_items(page, app_url) -> None:
    _open(page, app_url, "import", "导入清单")
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(FIXTURE_XLSX))
    _idle(page)
    expect(page.get_by_text("示例县民政局").first).to_be_visible(timeout=30_000)
    assert {"低保对象认定", "特困人员认定", "临时救助", "养老机构"} <= set(_cells(page))
    _shot(page, "import-preview")
    page.get_by_role("button", name=re.compile("添加到数据存储|替换数据存储中的清单")).click()
    _idle(page)
    expect(page.get_by_text(re.compile(r"^已(添加|替换)：示例县民政局的清单（4 个事项"))).to_be_visible()
    _shot(page, "import-done")
    # the list is in the store: its items, read back with the library's queries
    page.locator('[data-testid="stSidebarNav"]').get_by_text("清单与事项", exact=True).click()
    _idle(page, "清单与事项")
    _select(page, "选择清单", "示例县民政局 · 2024-03-01")
    items = {"低保对象认定", "特困人员认定", "临时救助", "养老机构"}
    assert items <= _cells_showing(page, items)
    _shot(page, "import-in-store")


def test_an_upload_with_a_row_that_cannot_be_read_shows_it_and_offers_a_corrections_file(page, app_url,
                                                                                       tmp_path) -> None:
    _open(page, app_url, "import", "导入清单")
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(ONE_BAD_ROW))
    _idle(page)
    expect(page.get_by_text("未读取的行（1）")).to_be_visible(timeout=30_000)
    expect(page.get_by_text("填表时间（文件中没有写明时填写）")).to_be_visible()      # the date box of the form
    assert {"文旅法规", "规范性文件", "活动预告", "执法结果"} <= set(_cells(page))
    _shot(page, "import-unread-row")
    with page.expect_download() as dl:
        page.get_by_role("button", name=re.compile("下载更正文件")).click()
    path = tmp_path / "corrections.csv"
    dl.value.save_as(path)
    rows = path.read_text(encoding="utf-8-sig").splitlines()
    assert rows[0] == "sha256,lines,action,cells,note" and len(rows) == 2
    assert ",row 8,skip," in rows[1] and "场馆服务" in rows[1]


def test_switch_to_english(page, app_url) -> None:
    _open(page, app_url, "", "概览")
    page.locator('[data-testid="stSidebar"]').get_by_text("English", exact=True).click()
    _idle(page, "Overview")
    nav = page.locator('[data-testid="stSidebarNav"]')
    for label in ("Legal tracer", "Validation", "Deadlines", "Import", "Export"):
        expect(nav.get_by_text(label, exact=True)).to_be_visible()
    expect(page.get_by_text("Bureaus", exact=True).first).to_be_visible()
    _shot(page, "english-overview")
    nav.get_by_text("Legal tracer", exact=True).click()
    _idle(page, "Legal tracer")
    search = page.get_by_label("Find a legal source: title, alias, document number or pinyin initials")
    search.fill("zfxxgktl")
    search.press("Enter")
    _idle(page)
    expect(page.locator("h2").first).to_contain_text("政府信息公开条例")
    expect(page.get_by_text("Items relying on it")).to_be_visible()
    _shot(page, "english-legal")


def test_every_screen_renders_within_two_seconds(page, app_url) -> None:
    """Each screen reached from the navigation, five rounds; the median time from the click
    to the script's end with the screen's title shown. A screenshot of each."""
    _open(page, app_url, "", "概览")
    times: dict[str, list[float]] = {name: [] for _, _, _, name in SCREENS}
    nav = page.locator('[data-testid="stSidebarNav"]')
    for round_ in range(5):
        for path, title, _en, name in SCREENS:
            t0 = time.perf_counter()
            nav.get_by_text(NAV[path], exact=True).click()
            _idle(page, title)
            times[name].append(time.perf_counter() - t0)
            if round_ == 0:
                _shot(page, name)
    medians = {name: round(statistics.median(ts), 3) for name, ts in times.items()}
    SHOTS.mkdir(parents=True, exist_ok=True)
    (SHOTS / "app-render-times.json").write_text(json.dumps({"median_s": medians, "runs_s": times}, indent=1))
    slow = {name: m for name, m in medians.items() if m > RENDER_LIMIT_S}
    assert not slow, f"screens slower than {RENDER_LIMIT_S} s (median of 5): {slow}; all: {medians}"
    for _, _, _, name in SCREENS:
        assert (SHOTS / f"app-{name}.png").stat().st_size > 10_000
