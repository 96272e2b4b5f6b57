"""The SPARQL editor in a real browser (the app started as in test_app_browser.py, Debian's
chromium driven by Playwright): a query typed without ``PREFIX gk:`` runs with the prefix
added and a note saying so; Ctrl+Enter runs; completion offers the ontology's classes; an
unknown prefix is named with its line and column; the link of the query run reopens it, and
so does the link of a library query with its parameter. Every request the browser makes is
recorded: none may leave 127.0.0.1 (the editor's JavaScript comes with the package). A
screenshot goes to build/screenshots/app-sparql-editor.png."""

from __future__ import annotations

import contextlib
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
from playwright.sync_api import FrameLocator, Locator, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from browserkit import IDLE
from servers import start_app, stop_app

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "build" / "screenshots"
EDITOR_FRAME = 'iframe[title="code_editor.code_editor"]'
ORIGINAL = "中卫市云计算和大数据发展局"
GK = "PREFIX gk: <https://w3id.org/gongkai/ontology#>"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("e2e-editor") / "build"
    r = subprocess.run([sys.executable, "-m", "gongkai.cli", "build", "--out", str(out)],
                       cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert r.returncode in (0, 1), r.stderr      # 1: a file failed, the others are built
    assert (out / "kg.trig").exists(), r.stderr
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
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    hosts: list[str] = []
    ctx.on("request", lambda req: hosts.append(urlsplit(req.url).hostname or req.url))
    pg = ctx.new_page()
    try:
        yield pg
    finally:
        ctx.close()
    outside = sorted({h for h in hosts if h not in ("127.0.0.1", "localhost")})
    assert not outside, f"the app loaded something from elsewhere: {outside}"


def _idle(page: Page, timeout: float = 30_000) -> None:
    page.wait_for_selector(IDLE, timeout=timeout)


def _frame(page: Page) -> FrameLocator:
    return page.frame_locator(EDITOR_FRAME)


def _editor(page: Page) -> Locator:
    """The Ace editor (its completion pop-up is an Ace editor too: not that one)."""
    ed = _frame(page).locator("#REACT_ACE_EDITOR")
    ed.wait_for(timeout=30_000)
    return ed


def _editor_text(page: Page) -> str:
    return _editor(page).evaluate("el => el.env.editor.getValue()")


def _type_fresh(page: Page, text: str) -> None:
    """Empty the editor and type ``text`` as a person would, key by key."""
    ed = _editor(page)
    ed.click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.type(text, delay=15)
    page.keyboard.press("Escape")  # a completion pop-up still open is closed


def _free(page: Page, app_url: str) -> None:
    page.goto(app_url + "sparql")
    expect(page.locator("h1").first).to_have_text("SPARQL 查询", timeout=60_000)
    _idle(page)
    page.get_by_text("自由编写").click()
    _idle(page)


def _shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(PlaywrightTimeoutError):
        page.wait_for_function("() => !document.querySelector('[data-testid=\"stSkeleton\"]')", timeout=10_000)
    page.screenshot(path=str(SHOTS / f"app-{name}.png"), full_page=True)


def test_a_query_without_its_gk_prefix_runs_on_ctrl_enter_with_a_note_and_its_link_reopens_it(page, app_url,
                                                                                            browser) -> None:
    _free(page, app_url)
    # "write your own" opens with the library query on screen, not an empty box
    assert "SELECT" in _editor_text(page)
    query = "SELECT ?i WHERE { ?i a gk:DisclosureItem } LIMIT 3"
    _type_fresh(page, query)
    assert _editor_text(page) == query
    page.keyboard.press("Control+Enter")
    expect(page.get_by_text("已自动添加前缀 gk:")).to_be_visible(timeout=60_000)
    expect(page.get_by_text(re.compile(r"^3 行 · 用时 \d+ 毫秒"))).to_be_visible(timeout=60_000)
    _idle(page)
    shown = _editor_text(page)
    assert shown == f"{GK}\n{query}"            # the editor shows the declaration added
    _shot(page, "sparql-editor")
    # the address bar holds the link of the query run; a new tab opened on it shows it, and runs it
    link = page.url
    assert "text=" in link
    other = page.context.new_page()
    other.goto(link)
    expect(other.locator("h1").first).to_have_text("SPARQL 查询", timeout=60_000)
    _idle(other)
    assert _editor_text(other) == shown
    _editor(other).click()
    other.keyboard.press("Control+Enter")
    expect(other.get_by_text(re.compile(r"^3 行 · 用时 \d+ 毫秒"))).to_be_visible(timeout=60_000)
    other.close()


def test_completion_offers_the_ontology_s_classes_after_their_prefix(page, app_url) -> None:
    _free(page, app_url)
    _type_fresh(page, "SELECT ?l WHERE { ?l a gk:DisclosureLi")
    # the page's script has made every completer read "gk:DisclosureLi" as one word
    page.wait_for_function(
        """() => [...document.querySelectorAll('iframe[title="code_editor.code_editor"]')].some(f => {
             const el = f.contentDocument && f.contentDocument.getElementById("REACT_ACE_EDITOR");
             const cs = el && el.env && el.env.editor.completers;
             return cs && cs.length > 0 && cs.every(c => c.identifierRegexps);
           })""", timeout=10_000)
    page.keyboard.type("s", delay=15)            # the pop-up opens as one types
    popup = _frame(page).locator(".ace_autocomplete")
    expect(popup).to_contain_text("gk:DisclosureList", timeout=10_000)
    expect(popup).to_contain_text("政务公开清单目录")  # its label, from the ontology
    page.keyboard.press("Enter")
    assert _editor_text(page) == "SELECT ?l WHERE { ?l a gk:DisclosureList"


def test_an_unknown_prefix_is_named_with_line_and_column(page, app_url) -> None:
    _free(page, app_url)
    _type_fresh(page, "SELECT * WHERE { ?s a xx:Thing }")
    assert _editor_text(page) == "SELECT * WHERE { ?s a xx:Thing }"
    page.keyboard.press("Control+Enter")
    alert = page.get_by_text(re.compile(r"未知前缀 xx:（第 1 行，第 23 列），请添加"))
    expect(alert).to_be_visible(timeout=30_000)
    expect(page.get_by_text(re.compile(r"^\d+ 行 · 用时"))).to_have_count(0)


def test_a_link_reopens_a_library_query_with_its_parameter(page, app_url) -> None:
    page.goto(app_url + "sparql?" + urlencode({"q": "search_items", "p.text": "脱贫攻坚"}))
    expect(page.locator("h1").first).to_have_text("SPARQL 查询", timeout=60_000)
    _idle(page)
    expect(page.get_by_label("要查找的文字")).to_have_value("脱贫攻坚")
    page.get_by_role("button", name="运行").click()
    expect(page.get_by_text(re.compile(r"^1 行 · 用时 \d+ 毫秒"))).to_be_visible(timeout=60_000)
    expect(page.get_by_text(ORIGINAL).first).to_be_attached()
