"""The app served beyond 127.0.0.1, in a real browser: the import page asks for the password
set with `gongkai app-password`, refuses a wrong one, and shows the import form after the
right one; every other screen stays open without a login.

The app is bound to 127.0.0.1 as in every test, and told it is served beyond it
(``GONGKAI_ADDRESS=0.0.0.0``, as behind a reverse proxy, or as ``make run HOST=0.0.0.0``
would bind it): nothing is reachable from elsewhere while the test runs.

The walk through the screens of the README's "first five minutes" section is made here too:
its screenshots go to build/screenshots/first-*.png, and to docs/screenshots/first-*.png (the
README's pictures, committed) when GONGKAI_DOC_SHOTS=1: so a test run leaves the working tree as
it was, and `GONGKAI_DOC_SHOTS=1 pytest tests/e2e/test_login_browser.py` brings the README's pictures
up to date with the screens."""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from browserkit import IDLE
from gongkai.auth import set_password
from gongkai.pipeline.stats import write_build_stats
from gongkai.settings import Settings
from gongkai.validation.inputs import validate_rdf_file
from gongkai.validation.reports import write_build_reports
from servers import start_app, stop_app

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
DOC_SHOTS = ROOT / ("docs" if os.environ.get("GONGKAI_DOC_SHOTS") == "1" else "build") / "screenshots"
FIXTURE_XLSX = ROOT / "tests" / "fixtures" / "formats" / "two-sheets-merged.xlsx"
PASSWORD = "正确的密码-2026"
UPLOADER = '[data-testid="stFileUploader"]'
PASSWORD_FIELD = 'input[type="password"]'
LOGIN_BUTTON = '[data-testid="stFormSubmitButton"] button'


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """data/raw built by the command line, with its validation reports and statistics."""
    out = tmp_path_factory.mktemp("e2e-login") / "build"
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
def app_url(built, tmp_path_factory):
    """The app told it is served to the network, with a password set as `gongkai app-password` sets it."""
    access = tmp_path_factory.mktemp("e2e-login-access") / "access.toml"
    set_password(PASSWORD, access)
    proc, url = start_app(built, ROOT, env={"GONGKAI_ADDRESS": "0.0.0.0", "GONGKAI_ACCESS_FILE": str(access)})
    try:
        yield url
    finally:
        stop_app(proc)


@pytest.fixture
def page(browser, app_url):
    """A fresh browser context recording every request; the test ends by checking none left 127.0.0.1."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 860}, locale="zh-CN")
    hosts: list[str] = []
    ctx.on("request", lambda req: hosts.append(urlsplit(req.url).hostname or req.url))
    try:
        yield ctx.new_page()
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
    """The README's picture ``first-<name>.png`` (in DOC_SHOTS), once every element is drawn."""
    DOC_SHOTS.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(PlaywrightTimeoutError):  # a screenshot with a placeholder is still a screenshot
        page.wait_for_function("() => !document.querySelector('[data-testid=\"stSkeleton\"]')", timeout=10_000)
    page.wait_for_timeout(500)                           # charts and tables fade in
    page.screenshot(path=str(DOC_SHOTS / f"first-{name}.png"))


def _log_in(page: Page, password: str) -> None:
    page.locator(PASSWORD_FIELD).fill(password)
    page.locator(LOGIN_BUTTON).click()
    _idle(page)


def test_the_import_page_asks_for_a_login_refuses_a_wrong_password_and_opens_with_the_right_one(page, app_url):
    _open(page, app_url, "import", "导入清单")
    expect(page.get_by_text("本应用可从网络访问：导入或替换清单需要先登录。")).to_be_visible()
    expect(page.locator(PASSWORD_FIELD)).to_be_visible()
    expect(page.locator(UPLOADER)).to_have_count(0)

    _log_in(page, "不对的密码-2026")
    expect(page.get_by_text("密码不正确。")).to_be_visible()
    expect(page.locator(UPLOADER)).to_have_count(0)
    expect(page.locator(PASSWORD_FIELD)).to_be_visible()

    _log_in(page, PASSWORD)
    expect(page.locator(UPLOADER)).to_be_visible()
    expect(page.locator(PASSWORD_FIELD)).to_have_count(0)
    expect(page.get_by_text("已登录：密码登录")).to_be_visible()

    # logged in, the form works as on 127.0.0.1: a list is read and can be added
    page.locator(f'{UPLOADER} input[type="file"]').set_input_files(str(FIXTURE_XLSX))
    _idle(page)
    expect(page.get_by_text("示例县民政局").first).to_be_visible(timeout=30_000)
    expect(page.get_by_role("button", name=re.compile("添加到数据存储|替换数据存储中的清单"))).to_be_visible()

    # logging out closes the form again
    page.get_by_role("button", name=re.compile("退出登录")).click()
    _idle(page)
    expect(page.locator(PASSWORD_FIELD)).to_be_visible()
    expect(page.locator(UPLOADER)).to_have_count(0)


def test_a_new_browser_is_asked_again(page, app_url):
    """A login belongs to one browser session: another browser (another person) is asked."""
    _open(page, app_url, "import", "导入清单")
    expect(page.locator(PASSWORD_FIELD)).to_be_visible()
    expect(page.locator(UPLOADER)).to_have_count(0)


def test_first_five_minutes(page, app_url):
    """The README's walk through the screens, reading without a login, importing with one;
    a screenshot of each step."""
    _open(page, app_url, "", "概览")
    expect(page.locator('[data-testid="stMetric"]').first).to_be_visible()
    expect(page.locator(PASSWORD_FIELD)).to_have_count(0)
    _shot(page, "1-overview")

    _open(page, app_url, "lists", "清单与事项")
    expect(page.locator('[data-testid="stDataFrame"]').first).to_be_visible()
    _shot(page, "2-lists")

    _open(page, app_url, "legal", "法规溯源")
    search = page.locator('[data-testid="stTextInput"] input').first
    search.fill("国办发〔2018〕10号")
    search.press("Enter")
    _idle(page)
    expect(page.locator("h2").first).to_contain_text("国务院办公厅关于推进社会公益事业建设领域政府信息公开的意见")
    _shot(page, "3-legal")

    _open(page, app_url, "validation", "校验")
    expect(page.locator(PASSWORD_FIELD)).to_have_count(0)
    _shot(page, "4-validation")

    _open(page, app_url, "import", "导入清单")
    expect(page.locator(PASSWORD_FIELD)).to_be_visible()
    _shot(page, "5-login")
    _log_in(page, PASSWORD)
    page.locator(f'{UPLOADER} input[type="file"]').set_input_files(str(FIXTURE_XLSX))
    _idle(page)
    expect(page.get_by_text("示例县民政局").first).to_be_visible(timeout=30_000)
    _shot(page, "6-import")
    for name in ("1-overview", "2-lists", "3-legal", "4-validation", "5-login", "6-import"):
        assert (DOC_SHOTS / f"first-{name}.png").stat().st_size > 10_000
