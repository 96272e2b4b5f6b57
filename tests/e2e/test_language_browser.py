"""Chinese all the way, in a real browser: with Chinese chosen, every screen of the app (the
list in app/screens.py), in its first state and after the steps a user takes first, shows no
English word outside an allow-list of names (SPARQL, CSV, IRI …), no file path and no
Streamlit English ("Upload", "Drag and drop"); the language chosen is kept in the address
(``?lang=en``), through a reload, a new tab and the navigation. Screenshots of each screen
in Chinese go to build/screenshots/app-zh-*.png.

What is read is the text a user sees: text nodes that are drawn, outside code blocks and
text boxes (a SPARQL query, a query's id shown as code), icons (Material icon names are
text) and canvases (tables and charts draw their cells there: their headers and values are
tested elsewhere)."""

from __future__ import annotations

import contextlib
import re
import subprocess
import sys
from pathlib import Path

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
ONE_BAD_ROW = ROOT / "tests" / "fixtures" / "unread" / "one-bad-row.txt"      # a row set aside
NO_BUREAU = ROOT / "data" / "raw" / "songming-weijian.xlsx"                   # names no bureau
CUT_OFF = ROOT / "tests" / "fixtures" / "text" / "chengxi-shichang-2021.txt"  # ends inside its last row

#: names that stay as they are in a Chinese screen: formats, standards, the product's name, the
#: language switch's own "English", a date's format, units
ALLOWED = frozenset({
    "SPARQL", "CSV", "TSV", "JSON", "JSON-LD", "XLSX", "IRI", "URL", "DCAT", "VoID", "RDF", "RDF/XML", "Turtle",
    "TriG", "N-Triples", "N-Quads", "SHACL", "gongkai", "Language", "English", "YYYY-MM-DD", "yyyy", "mm", "dd",
    "MB", "KB", "XLS", "DOC", "DOCX", "HTML", "MHTML", "PDF",
    "SELECT", "ASK", "CONSTRUCT", "DESCRIBE",   # SPARQL's query forms
    "zfxxgktl",   # the tracer's example of a search by pinyin initials (政府信息公开条例)
})
#: a word: letters, digits and the marks that join a name (JSON-LD, RDF/XML, kg.ttl), with its dot
#: when it is a file suffix (.xlsx)
WORD = re.compile(r"\.?[A-Za-z][A-Za-z0-9_'’.+/:-]*[A-Za-z0-9]|\.?[A-Za-z]")
#: a file a download is named (kg.ttl, validation.xlsx): a name, not a path
DOWNLOAD_NAME = re.compile(r"[\w-]+\.(ttl|trig|nt|nq|jsonld|rdf|csv|tsv|xlsx|json|zip)")

#: the text nodes a user sees (see the module's docstring)
VISIBLE_TEXT = """() => {
  const SKIP = 'code, pre, textarea, script, style, svg, canvas, [data-testid="stIconMaterial"], '
             + '[data-testid="stCode"]';
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let n;
  while ((n = walker.nextNode())) {
    const text = n.nodeValue.trim();
    const el = n.parentElement;
    if (!text || !el || el.closest(SKIP)) continue;
    if (!el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true})) continue;
    const r = el.getBoundingClientRect();
    if (r.width < 2 || r.height < 2 || r.right < 0 || r.bottom < 0) continue;
    out.push(text);
  }
  return out;
}"""


def english_words(text: str) -> list[str]:
    """The words of ``text`` a Chinese screen should not show."""
    out = []
    for w in WORD.findall(text):
        if w in ALLOWED or w.startswith(".") or "://" in w or DOWNLOAD_NAME.fullmatch(w):
            continue
        out.append(w)
    return out


def test_the_scan_finds_english_words_and_lets_names_pass() -> None:
    assert english_words("SPARQL 查询 · 下载 CSV · 支持的格式：.xlsx .pdf；10 MB · 下载 kg.ttl") == []
    assert english_words("Drag and drop file here") == ["Drag", "and", "drop", "file", "here"]
    assert english_words("报告：/tmp/build/validation.csv") == ["tmp/build/validation.csv"]
    assert english_words("设定 at") == ["at"]
    assert english_words("规则 C02-item-has-time-limit") == ["C02-item-has-time-limit"]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """data/raw built by the command line, with its validation reports and statistics."""
    out = tmp_path_factory.mktemp("e2e-lang") / "build"
    r = subprocess.run([sys.executable, "-m", "gongkai.cli", "build", "--out", str(out)],
                       cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert r.returncode in (0, 1), r.stderr
    assert (out / "kg.trig").exists() and (out / "stats.json").exists(), r.stderr
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
def context(browser):
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    try:
        yield ctx
    finally:
        ctx.close()


def _idle(page: Page, title: str | None = None, timeout: float = 60_000) -> None:
    if title is not None:
        expect(page.locator("h1").first).to_have_text(title, timeout=timeout)
    page.wait_for_selector(IDLE, timeout=timeout)


def _shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(PlaywrightTimeoutError):
        page.wait_for_function("() => !document.querySelector('[data-testid=\"stSkeleton\"]')", timeout=10_000)
    page.screenshot(path=str(SHOTS / f"app-{name}.png"), full_page=True)


def _offenders(page: Page, where: str, found: dict[str, set[str]]) -> None:
    page.wait_for_selector(IDLE, timeout=60_000)
    for text in page.evaluate(VISIBLE_TEXT):
        words = english_words(text)
        if words:
            found.setdefault(f"{where}: {text[:120]}", set()).update(words)


def _first_steps(page: Page, screen: str) -> None:
    """What a user does first on a screen, to show what it draws next."""
    if screen == "legal":
        box = page.get_by_role("textbox").first
        box.fill("预算法")
        box.press("Enter")
    elif screen == "sparql":
        page.get_by_role("button", name="运行").first.click()
    elif screen == "validation":
        page.get_by_text(re.compile(r"^规则说明")).click()
        page.get_by_test_id("stMultiSelect").first.click()     # its list open: no "Select all"
        page.wait_for_selector('[role="listbox"], [role="option"]', timeout=10_000)
    else:
        return
    page.wait_for_timeout(500)
    page.wait_for_selector(IDLE, timeout=60_000)


def test_every_screen_in_chinese_shows_no_english_words(app_url, context) -> None:
    page = context.new_page()
    found: dict[str, set[str]] = {}
    for s in APP_SCREENS:
        page.goto(app_url + ("" if s.default else s.url))
        _idle(page, s.title_zh)
        _offenders(page, s.url, found)
        _first_steps(page, s.url)
        _offenders(page, s.url, found)
        _shot(page, f"zh-{s.url}")
    report = "\n".join(f"{where} → {sorted(words)}" for where, words in sorted(found.items()))
    assert not found, "English on Chinese screens:\n" + report


def test_the_import_form_s_file_box_speaks_chinese(app_url, context) -> None:
    page = context.new_page()
    page.goto(app_url + "import")
    _idle(page, "导入清单")
    box = page.get_by_test_id("stFileUploaderDropzone")
    expect(box.get_by_test_id("stBaseButton-secondary")).to_be_visible()   # the button drawn
    for selector, words in (('button [data-testid="stMarkdownContainer"]', "选择文件"),
                            ('[data-testid="stFileUploaderDropzoneInstructions"] > div', "拖放")):
        page.wait_for_function(   # Streamlit's words drawn again in Chinese …
            "([s, w]) => { const e = document.querySelector('[data-testid=\"stFileUploaderDropzone\"] ' + s);"
            " return e && getComputedStyle(e, '::after').content.includes(w); }", arg=[selector, words],
            timeout=10_000)
    expect(box.get_by_text("Upload", exact=True)).to_be_hidden()        # … and hidden
    expect(box.get_by_text(re.compile("per file"))).to_be_hidden()
    _shot(page, "zh-import-file-box")


@pytest.mark.parametrize("upload", [ONE_BAD_ROW, NO_BUREAU, CUT_OFF], ids=lambda p: p.name)
def test_an_upload_s_warnings_and_rows_not_read_are_said_in_chinese_once(app_url, context, upload) -> None:
    page = context.new_page()
    page.goto(app_url + "import")
    _idle(page, "导入清单")
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(upload))
    expect(page.get_by_role("heading", name="预览")).to_be_visible(timeout=60_000)
    page.wait_for_selector(IDLE, timeout=60_000)
    found: dict[str, set[str]] = {}
    _offenders(page, "import", found)
    own = set(english_words(upload.name))                 # the user's own file name, shortened or not
    found = {where: words for where, words in found.items()
             if not words <= own and not any("..." in w for w in words)}
    assert not found, "English on the Chinese import screen:\n" + "\n".join(
        f"{where} → {sorted(words)}" for where, words in sorted(found.items()))
    shown = page.evaluate(VISIBLE_TEXT)
    if upload == NO_BUREAU:       # the form's field named, not the command line's options
        assert any("请在导入表单的“责任单位”一栏填写" in t for t in shown)
        assert not any("--bureau" in t for t in shown)
    if upload == CUT_OFF:         # an item's warning once, its column by its header
        said = [t for t in shown if "文件在这一行中间结束" in t]
        assert len(said) == 1 and "“乡级”" in said[0], said
    _shot(page, f"zh-import-{upload.stem}")


def test_the_language_is_kept_in_the_address(app_url, context) -> None:
    page = context.new_page()
    page.goto(app_url + "legal")
    _idle(page, "法规溯源")
    page.get_by_text("English", exact=True).click()
    _idle(page, "Legal tracer")
    expect(page).to_have_url(re.compile(r"[?&]lang=en"))
    page.reload()                                       # a reload keeps it
    _idle(page, "Legal tracer")
    page.get_by_role("link", name="Deadlines").click()  # so does the navigation
    _idle(page, "Deadlines")
    expect(page).to_have_url(re.compile(r"/deadlines\?(.*&)?lang=en"))
    other = context.new_page()                          # and a new tab opened at the address
    other.goto(page.url)
    _idle(other, "Deadlines")
    _shot(other, "en-deadlines-new-tab")
    other.get_by_text("中文", exact=True).click()        # Chinese again: the address says nothing
    _idle(other, "时限")
    expect(other).not_to_have_url(re.compile(r"lang="))
    other.reload()
    _idle(other, "时限")


def test_an_address_with_lang_en_opens_in_english(app_url, context) -> None:
    page = context.new_page()
    page.goto(app_url + "?lang=en")
    _idle(page, "Overview")
    expect(page.get_by_text("Data source")).to_be_visible()
