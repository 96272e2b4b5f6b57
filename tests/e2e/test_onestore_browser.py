"""One store everywhere, in a real browser: a build of one list served by `streamlit run` with a
publisher.toml beside it. The tab bears the publisher's title; a list uploaded on 导入 is on 校验
right after it is added; 导出 downloads the dataset's DCAT description with the publisher's
words. Every request must stay on 127.0.0.1."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from browserkit import IDLE
from gongkai.pipeline.sequence import build_and_publish
from gongkai.publish.publisher import Publisher, save_publisher
from gongkai.settings import Settings
from listfolders import raw_lists
from servers import start_app, stop_app

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "build" / "screenshots"
XLSX = ROOT / "tests" / "fixtures" / "formats" / "two-sheets-merged.xlsx"
TITLE = "某市政务公开清单"
LICENSE = "https://creativecommons.org/licenses/by/4.0/"


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("e2e-onestore")
    settings = Settings(root=ROOT, build_dir=tmp / "build")
    assert build_and_publish(settings, raw_lists(tmp / "lists", ["fengtunzhen-trad.txt"])).published
    save_publisher(settings, Publisher(title=TITLE, license=LICENSE, contact="gongkai@example.gov.cn"))
    proc, url = start_app(settings.out_dir, ROOT)
    try:
        yield url
    finally:
        stop_app(proc)


@pytest.fixture
def page(browser):
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN", accept_downloads=True)
    hosts: list[str] = []
    ctx.on("request", lambda req: hosts.append(urlsplit(req.url).hostname or req.url))
    try:
        yield ctx.new_page()
    finally:
        ctx.close()
    outside = sorted({h for h in hosts if h not in ("127.0.0.1", "localhost")})
    assert not outside, f"the app loaded something from elsewhere: {outside}"


def _idle(page: Page, title: str | None = None) -> None:
    if title is not None:
        expect(page.locator("h1").first).to_have_text(title, timeout=30_000)
    page.wait_for_selector(IDLE, timeout=30_000)


def _cells(page: Page) -> list[str]:
    cells = page.locator('[data-testid="stDataFrame"]:visible [role="gridcell"]')
    cells.first.wait_for(state="attached", timeout=15_000)
    page.wait_for_timeout(300)
    return cells.all_inner_texts()


def test_an_imported_list_is_on_the_validation_screen_under_the_publisher_s_title(page, app_url) -> None:
    page.goto(app_url + "validation")
    _idle(page, "校验")
    expect(page).to_have_title(TITLE)
    assert "示例县民政局" not in _cells(page)
    page.goto(app_url + "import")
    _idle(page, "导入清单")
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(XLSX))
    _idle(page)
    expect(page.get_by_text("示例县民政局").first).to_be_visible(timeout=30_000)
    page.get_by_role("button", name=re.compile("添加到数据存储")).click()
    _idle(page)
    expect(page.get_by_text(re.compile(r"^已添加：示例县民政局的清单"))).to_be_visible(timeout=30_000)
    page.get_by_role("link", name=re.compile("它的校验结果已在“校验”页")).click()
    _idle(page, "校验")
    assert "示例县民政局" in _cells(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "app-onestore-validation.png"))


def test_the_export_screen_downloads_the_dataset_description(page, app_url, tmp_path) -> None:
    page.goto(app_url + "export")
    _idle(page, "导出")
    page.get_by_text("数据集说明（DCAT、VoID）与发布者信息").click()
    expect(page.get_by_label("数据集标题（中文）")).to_have_value(TITLE)
    with page.expect_download() as dl:
        page.get_by_role("button", name=re.compile(r"下载数据集说明（Turtle）")).click()
    path = tmp_path / "dataset.ttl"
    dl.value.save_as(path)
    text = path.read_text(encoding="utf-8")
    assert TITLE in text and LICENSE in text and "mailto:gongkai@example.gov.cn" in text and "void:triples" in text
    page.screenshot(path=str(SHOTS / "app-onestore-dataset.png"))
