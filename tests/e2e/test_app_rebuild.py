"""The app and a rebuild: the app serving a build, `gongkai build` publishing a new one under
it, the app turning to it without a restart, and the app's exit leaving the new build
intact for the command line (it once opened the store writable, and its exit wrote into
the new store: every later query failed with "Corruption")."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from listfolders import raw_lists
from servers import start_app, stop_app

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
FIRST = ["fengtunzhen-trad.txt", "songming-weijian.xlsx"]
SECOND = [*FIRST, "county-jiaoyu-lyg138.csv"]


def _gongkai(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gongkai.cli", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=600, env={**os.environ, **(env or {})})


def test_a_rebuild_under_the_running_app(tmp_path: Path) -> None:
    out = tmp_path / "build"
    r = _gongkai("build", str(raw_lists(tmp_path / "first", FIRST)), "--out", str(out))
    assert r.returncode == 0, r.stderr
    app, url = start_app(out, ROOT)
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
            page.goto(url + "lists")
            expect(page.locator("h1").first).to_have_text("清单与事项", timeout=30_000)
            expect(page.get_by_text("共 2 份清单。")).to_be_visible(timeout=30_000)
            # the store is held by the app while a new build is published under it
            r = _gongkai("build", str(raw_lists(tmp_path / "second", SECOND)), "--out", str(out))
            assert r.returncode == 0, r.stderr
            page.goto(url + "lists")
            expect(page.get_by_text("共 3 份清单。")).to_be_visible(timeout=30_000)
            page.wait_for_selector(IDLE, timeout=30_000)
            # the overview reads the new build's statistics file: 3 lists there too
            page.goto(url)
            metric = page.locator('[data-testid="stMetric"]').filter(has_text="清单").first
            expect(metric.locator('[data-testid="stMetricValue"]')).to_have_text("3", timeout=30_000)
            browser.close()
    finally:
        stop_app(app)  # SIGTERM, a normal exit: the app's stores are closed
    for args in (["query", "lists", "-f", "csv"], ["legal", "list"]):
        r = _gongkai(*args, env={"GONGKAI_BUILD": str(out)})
        assert r.returncode == 0, (args, r.stderr)
        assert "Corruption" not in r.stderr and "Traceback" not in r.stderr
    rows = list(csv.DictReader(_gongkai("query", "lists", "-f", "csv", env={"GONGKAI_BUILD": str(out)})
                               .stdout.splitlines()))
    assert len(rows) == 3
