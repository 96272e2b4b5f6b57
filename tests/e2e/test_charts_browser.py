"""The app's charts as a reader sees them, in Debian's chromium: data/raw built by the command
line, `streamlit run` on a free port of 127.0.0.1 (as tests/e2e/test_app_browser.py does).

The charts are drawn as SVG (``charts.SVG``), so their labels are text nodes: the coverage
heat map shows every standard item's title, whole, in the language chosen; no axis title
lies over an axis label; the colours of a chart's legend are all different; the legal
tracer's graph fills the width with its text at the size the DOT gives, inside its boxes.
Screenshots go to build/screenshots/charts-*.png."""

from __future__ import annotations

import contextlib
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from browserkit import IDLE
from gongkai import standard_items
from gongkai.settings import Settings
from servers import start_app, stop_app

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "build" / "screenshots"
CHART = '[data-testid="stVegaLiteChart"]'
STANDARD = standard_items(Settings(root=ROOT))
sys.path.insert(0, str(ROOT / "app"))
import graphview  # noqa: E402

#: every text of a chart's SVG with its role (axis-label, axis-title, legend-label …) and box
TEXTS_JS = """el => [...el.querySelectorAll('svg text')].map(t => {
  const g = t.closest('g[class*="role-"]'); const r = t.getBoundingClientRect();
  return {text: t.textContent, role: g ? [...g.classList].find(c => c.startsWith('role-')) : '',
          left: r.left, right: r.right, top: r.top, bottom: r.bottom,
          opacity: getComputedStyle(t).opacity};
})"""


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """data/raw built by the command line, with its validation reports and statistics."""
    out = tmp_path_factory.mktemp("e2e-charts") / "build"
    r = subprocess.run([sys.executable, "-m", "gongkai.cli", "build", "--out", str(out)],
                       cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert r.returncode in (0, 1), r.stderr
    for name in ("kg.trig", "stats.json", "coverage.csv"):
        assert (out / name).exists(), r.stderr
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
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    pg = ctx.new_page()
    try:
        yield pg
    finally:
        ctx.close()


def _idle(page: Page, title: str | None = None) -> None:
    if title is not None:
        expect(page.locator("h1").first).to_have_text(title, timeout=30_000)
    page.wait_for_selector(IDLE, timeout=30_000)


def _open(page: Page, url: str, path: str, title: str, lang: str) -> None:
    page.goto(url)
    _idle(page, "概览")
    if lang == "en":
        page.locator('[data-testid="stSidebar"]').get_by_text("English", exact=True).click()
        _idle(page, "Overview")
    if path:
        page.locator(f'[data-testid="stSidebarNav"] a[href$="/{path}"]').click()
    _idle(page, title)


def _shot(page: Page, chart: Locator, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    chart.scroll_into_view_if_needed()
    with contextlib.suppress(PlaywrightTimeoutError):
        page.wait_for_function("() => !document.querySelector('[data-testid=\"stSkeleton\"]')", timeout=10_000)
    chart.screenshot(path=str(SHOTS / f"charts-{name}.png"))


def _texts(chart: Locator) -> list[dict[str, Any]]:
    chart.locator("svg text").first.wait_for(state="attached", timeout=20_000)
    return chart.evaluate(TEXTS_JS)


def _overlap(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return a["left"] < b["right"] - 1 and b["left"] < a["right"] - 1 and a["top"] < b["bottom"] - 1 \
        and b["top"] < a["bottom"] - 1


def _no_title_over_a_label(texts: list[dict[str, Any]]) -> None:
    titles = [t for t in texts if t["role"] == "role-axis-title"]
    labels = [t for t in texts if t["role"] == "role-axis-label"]
    clashes = [(t["text"], x["text"]) for t in titles for x in labels if _overlap(t, x)]
    assert not clashes, clashes


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_heat_map_shows_every_standard_item_whole(page, app_url, lang: str) -> None:
    _open(page, app_url, "validation", {"zh": "校验", "en": "Validation"}[lang], lang)
    heading = {"zh": "标准事项覆盖情况", "en": "Coverage of the standard items"}[lang]
    expect(page.get_by_role("heading", name=heading)).to_be_visible()
    heat = page.locator(CHART).filter(has=page.locator("svg text", has_text=STANDARD[0].title(lang))).first
    texts = _texts(heat)
    labels = [t for t in texts if t["role"] == "role-axis-label"]
    shown = [t["text"] for t in labels]
    for it in STANDARD:
        title = it.title(lang)
        assert title in shown, (title, shown)                   # there, whole: not cut with …
        other = it.title("en" if lang == "zh" else "zh")
        assert other == title or other not in shown             # in the language chosen only
    columns = [t for t in labels if t["text"] in {it.title(lang) for it in STANDARD}]
    assert all(t["opacity"] != "0" for t in columns)            # none hidden for lack of room
    top = [t for t in columns if t["bottom"] < min(x["top"] for x in labels if x not in columns)]
    assert sorted(t["text"] for t in top) == sorted(it.title(lang) for it in STANDARD)  # above the first row
    assert not any("…" in t for t in shown)
    _no_title_over_a_label(texts)
    _shot(page, heat, f"heatmap-{lang}")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_overview_charts_have_distinct_colours_and_clear_labels(page, app_url, lang: str) -> None:
    _open(page, app_url, "", {"zh": "概览", "en": "Overview"}[lang], lang)
    charts = page.locator(CHART)
    expect(charts.first).to_be_visible()
    assert charts.count() >= 4
    for i in range(charts.count()):
        texts = _texts(charts.nth(i))
        _no_title_over_a_label(texts)
        assert not [t for t in texts if t["role"] == "role-axis-title" and t["text"] in
                    ("一级事项", "机构", "法规", "category", "bureau", "legal source")]   # the heading says it
    stacked = charts.nth(1)
    fills = stacked.evaluate("el => [...el.querySelectorAll('g.role-legend-symbol path')]"
                             ".map(p => p.getAttribute('fill'))")
    legend = [t["text"] for t in _texts(stacked) if t["role"] == "role-legend-label"]
    assert len(fills) == len(legend) >= 10
    assert len(set(fills)) == len(fills), fills              # a colour names one category
    assert {"zh": "其他", "en": "other"}[lang] in legend
    box = stacked.bounding_box()
    assert box is not None
    assert all(t["right"] <= box["x"] + box["width"] + 1 for t in _texts(stacked))  # nothing runs off the chart
    _shot(page, stacked, f"categories-{lang}")


def test_the_trace_graph_fills_the_width_with_text_that_can_be_read(page, app_url) -> None:
    _open(page, app_url, "legal", "法规溯源", "zh")
    search = page.get_by_label("查找法规：标题、简称、文号或拼音首字母")
    search.fill("国办发〔2018〕10号")
    search.press("Enter")
    _idle(page)
    page.get_by_role("tab", name="从事项看依据").click()
    chart = page.locator('[data-testid="stGraphVizChart"]:visible').first
    svg = chart.locator("svg")
    expect(svg).to_contain_text("脱贫攻坚")
    found = svg.evaluate("""svg => {
      const texts = [...svg.querySelectorAll('g.node')].map(n => {
        const shape = n.querySelector('polygon, ellipse, path').getBoundingClientRect();
        return [...n.querySelectorAll('text')].map(t => { const r = t.getBoundingClientRect();
          return {size: parseFloat(getComputedStyle(t).fontSize), written: parseFloat(t.getAttribute('font-size')),
                  inside: r.left >= shape.left - 1 && r.right <= shape.right + 1}; });
      }).flat();
      return {texts, width: svg.getBoundingClientRect().width,
              room: svg.parentElement.getBoundingClientRect().width};
    }""")
    assert found["width"] >= 0.98 * found["room"]                       # the graph fills the width
    assert found["texts"]
    for t in found["texts"]:
        assert t["size"] == t["written"] >= graphview.EDGE_FONT         # drawn at the size the DOT gives
        assert t["inside"], found["texts"]                               # the text stays in its box
    assert max(t["written"] for t in found["texts"]) == graphview.NODE_FONT
    _shot(page, chart, "version-history")
    page.get_by_role("tab", name="关系图").click()
    trace = page.locator('[data-testid="stGraphVizChart"]:visible').first
    expect(trace.locator("svg")).to_contain_text("脱贫攻坚")
    _shot(page, trace, "trace")
