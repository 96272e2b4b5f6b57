"""The published site in a real browser: `gongkai publish` over data/raw, served by
`python -m http.server`, read in Debian's chromium — from the front page to the page of
《中华人民共和国预算法》 and on to item 13 of the original list (中卫市云计算和大数据发展局,
2021-06-16). Every page keeps to its Content-Security-Policy (its inlined style sheet
applies, the console reports no violation). Screenshots go to build/screenshots/."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from browserkit import CHROMIUM_ARGS
from servers import free_port, wait_for_port

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "build" / "screenshots"
ITEM_13 = "list/zhongweishiyunjisuanhedashujufazhanju/2021-06-16/item/13.html"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("e2e") / "site"
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1767225600"}
    r = subprocess.run([sys.executable, "-m", "gongkai.cli", "publish", "--from", str(ROOT / "data" / "raw"),
                        "--out", str(out)],
                       cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    # a list another bureau published that cannot be read makes the run exit 1 but is still
    # reported and the rest published; the original list must be there either way
    assert r.returncode in (0, 1), r.stderr
    assert (out / ITEM_13).exists(), r.stdout + r.stderr
    return out


@pytest.fixture(scope="module")
def base_url(site):
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
                             "--directory", str(site)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for_port(proc, port, "http.server")
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_from_the_budget_law_to_item_13_of_the_original_list(base_url) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    outside: list[str] = []
    console: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
            page.on("request", lambda req: None if req.url.startswith(base_url) else outside.append(req.url))
            page.on("console", lambda msg: console.append(f"{msg.type}: {msg.text}"))
            page.goto(base_url + "index.html")
            expect(page.locator("h1")).to_contain_text("政务公开清单知识图谱")
            assert "Content-Security-Policy" in page.content()
            # the inlined style sheet is allowed by the policy: the header has its red rule
            expect(page.locator("header.top")).to_have_css("border-bottom-color", "rgb(164, 22, 26)")

            page.locator("#legal ~ table").first.get_by_role(
                "link", name=re.compile(r"^《中华人民共和国预算法》")).first.click()
            expect(page).to_have_url(re.compile(r"/legal/.*yusuanfa.*\.html$"))
            expect(page.locator("h1")).to_contain_text("中华人民共和国预算法")
            expect(page.locator("h1")).to_contain_text("Budget Law")
            page.screenshot(path=str(SHOTS / "site-budget-law.png"), full_page=True)

            link = page.locator(f'a[href$="{ITEM_13}"]')
            expect(link).to_have_count(1)
            expect(link).to_contain_text("13. 财务管理")
            link.click()
            expect(page).to_have_url(re.compile(re.escape(ITEM_13) + "$"))
            expect(page.locator("h1")).to_contain_text("13. 财务管理")
            expect(page.locator("nav.crumbs")).to_contain_text("中卫市云计算和大数据发展局")
            expect(page.locator('[id="citation/2"]')).to_contain_text("《预算法》")
            expect(page.get_by_text("60fa6c2c1b5eb2f9bad424eefe82534f77ce1f79804b804a3c71c2c646b24612")).to_be_visible()
            page.screenshot(path=str(SHOTS / "site-item-13.png"), full_page=True)

            page.get_by_role("link", name="Turtle").click()
            assert "gk:itemNumber 13" in page.content()
        finally:
            browser.close()
    assert outside == [], f"the site loaded something from elsewhere: {outside}"
    assert not [m for m in console if "Content Security Policy" in m or "Content-Security-Policy" in m], console
    assert (SHOTS / "site-item-13.png").stat().st_size > 10_000
