"""Names that are Markdown, in a real browser: a list whose items are named
``![x](http://evil.example/x.png)`` and ``[点击](javascript:alert(1))`` is built with the
command line, the app serves it (`streamlit run` on 127.0.0.1) and Debian's chromium shows
the legal tracer: the names read as written, no image is drawn or fetched, no link made."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect, sync_playwright

from browserkit import CHROMIUM_ARGS
from servers import start_app, stop_app

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
IMAGE = "![x](http://evil.example/x.png)"
MD_LINK = "[点击](javascript:alert(1))"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The 安澜 list with two items renamed, built by `gongkai build`."""
    work = tmp_path_factory.mktemp("e2e-markdown")
    lists = work / "lists"
    lists.mkdir()
    text = (ROOT / "tests" / "fixtures" / "text" / "anlan-shengtai-2022.txt").read_text(encoding="utf-8")
    assert "机构信息" in text and "领导信息" in text
    (lists / "anlan.txt").write_text(text.replace("机构信息", IMAGE, 1).replace("领导信息", MD_LINK, 1),
                                     encoding="utf-8")
    out = work / "build"
    r = subprocess.run([sys.executable, "-m", "gongkai.cli", "build", str(lists), "--out", str(out)],
                       cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert r.returncode in (0, 1) and (out / "kg.trig").exists(), r.stdout + r.stderr
    return out


@pytest.fixture(scope="module")
def app_url(built):
    proc, url = start_app(built, ROOT)
    try:
        yield url
    finally:
        stop_app(proc)


def test_markdown_names_show_as_text_in_the_legal_tracer(app_url) -> None:
    hosts: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
            page.on("request", lambda req: hosts.append(urlsplit(req.url).hostname or req.url))
            page.goto(app_url + "legal")
            expect(page.locator("h1").first).to_have_text("法规溯源", timeout=30_000)
            search = page.get_by_label("查找法规：标题、简称、文号或拼音首字母")
            search.fill("政府信息公开条例")
            search.press("Enter")
            page.wait_for_selector(IDLE, timeout=30_000)
            panel = page.get_by_role("tabpanel").first
            for name in (IMAGE, MD_LINK):
                expect(panel.locator("li", has_text=name)).to_be_visible()   # the characters, as written
            main = page.locator("section.main, [data-testid='stMain']").first
            expect(main.locator('img[src*="evil.example"]')).to_have_count(0)
            expect(page.locator('a[href^="javascript"]')).to_have_count(0)
            expect(panel.locator("a", has_text="点击")).to_have_count(0)
        finally:
            browser.close()
    assert "evil.example" not in hosts
    assert not sorted({h for h in hosts if h not in ("127.0.0.1", "localhost")})
