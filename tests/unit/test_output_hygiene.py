"""What gongkai writes from lists anyone can write stays inert where it is read.

Lists are made here with hostile values: a ``javascript:`` source address (in a text
list's ``# source:`` line, an HTML list's ``<link rel="canonical">``, a build folder's
``sources.csv``), item names that are Markdown (an outside image, a ``javascript:``
link) and item names that are spreadsheet formulas. Then:

- the published site links only to http(s) and to its own pages, and every page
  carries a Content-Security-Policy allowing its inlined style sheet and nothing else,
  the same policy ``deploy/nginx.conf`` (and ``deploy/apache.conf``) send;
- every CSV gongkai writes starts such cells with ``'``;
- the app's screens escape every value of the data they put in Markdown.
"""

from __future__ import annotations

import ast
import base64
import csv
import datetime as dt
import hashlib
import io
import re
import shutil
from pathlib import Path

import pytest

from gongkai.csv_cells import csv_cell
from gongkai.publish.html import content_security_policy, link, safe_href
from gongkai.publish.site import publish_site
from gongkai.publish.source import from_folder
from gongkai.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
FIX = ROOT / "tests" / "fixtures"
APP = ROOT / "app"
SETTINGS = Settings(root=ROOT, fixed_time=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))

IMAGE = "![x](http://evil.example/x.png)"
MD_LINK = "[点击](javascript:alert(1))"
FORMULAS = ['=HYPERLINK("http://evil.example","x")', "+cmd|' /C calc'!A0", "@SUM(1+1)", "-2+3+cmd|' /C calc'!A0"]
JS = "javascript:alert(document.domain)"


def hostile_text_list() -> str:
    """The 安澜 fixture with a javascript: source line and hostile item names."""
    text = (FIX / "text" / "anlan-shengtai-2022.txt").read_text(encoding="utf-8")
    names = ["机构信息", "领导信息", "建设项目环评审批"]
    assert all(n in text for n in names)
    for name, evil in zip(names, [IMAGE, MD_LINK, FORMULAS[0]], strict=True):
        text = text.replace(name, evil, 1)
    return f"# source: {JS}\n" + text


@pytest.fixture(scope="module")
def lists(tmp_path_factory) -> Path:
    """Three lists, each bringing a javascript: address its own way, and hostile names."""
    d = tmp_path_factory.mktemp("hostile")
    (d / "anlan-evil.txt").write_text(hostile_text_list(), encoding="utf-8")
    html = (FIX / "formats" / "layout-rowspan.html").read_text(encoding="utf-8")
    canonical = '<link rel="canonical" href="https://www.example.gov.cn/zwgk/jyj/bzml.html">'
    assert canonical in html
    (d / "shili-canonical.html").write_text(
        html.replace(canonical, '<link rel="canonical" href="JavaScript:alert(2)">'), encoding="utf-8")
    shutil.copy(FIX / "text" / "qinghe-jiaoyu-2023.txt", d / "qinghe.txt")
    (d / "sources.csv").write_text("file,bureau,parent,date,url,note\nqinghe.txt,,,,javascript:alert(3),\n"
                                   "shili-canonical.html,示例县教育局,,,,\n", encoding="utf-8")
    return d


@pytest.fixture(scope="module")
def source(lists):
    src = from_folder(SETTINGS, lists)
    assert not src.failed, src.failed
    return src


# --- links --------------------------------------------------------------------------------

@pytest.mark.parametrize("url", [
    "https://www.gov.cn/zhengce/", "http://127.0.0.1:8000/list/x", "HTTPS://EXAMPLE.ORG",
    "13.ttl", "../../legal/a/b.html#relying", "#citation/2", "./javascript:x.html",
])
def test_http_and_relative_links_are_kept(url) -> None:
    assert safe_href(url) == url
    assert link(url, "x") == f'<a href="{url}">x</a>'


@pytest.mark.parametrize("url", [
    "javascript:alert(1)", "JavaScript:alert(1)", " javascript:alert(1)", "\x01javascript:alert(1)",
    "java\tscript:alert(1)", "java\nscript:alert(1)", "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)", "file:///etc/passwd", "mailto:a@example.org", "//evil.example/x", "\\\\evil.example",
    "/\\evil.example",
])
def test_any_other_link_is_shown_as_text(url) -> None:
    assert safe_href(url) is None
    assert link(url, "x", "ext") == '<span class="ext">x</span>'


@pytest.fixture(scope="module")
def site(source, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("hostile-site") / "site"
    publish_site(source, out, SETTINGS, workers=1)
    return out


@pytest.fixture(scope="module")
def pages(site) -> dict[Path, str]:
    return {p: p.read_text(encoding="utf-8") for p in sorted(site.rglob("*.html"))}


def test_a_javascript_source_address_is_text_not_a_link(site, pages) -> None:
    hrefs = [h for text in pages.values() for h in re.findall(r'(?:href|src)="([^"]*)"', text)]
    assert len(hrefs) > 1000
    assert [h for h in hrefs if safe_href(h) is None] == []
    assert not [h for h in hrefs if h.lower().lstrip().startswith(("javascript", "data:", "vbscript"))]
    shown = {u: [p for p, text in pages.items() if f'<span class="ext">{u}</span>' in text]
             for u in (JS, "JavaScript:alert(2)", "javascript:alert(3)")}
    assert all(shown.values()), {u: len(ps) for u, ps in shown.items()}   # each address is still there, as text


def test_every_page_carries_the_policy_and_keeps_to_it(pages) -> None:
    policy = content_security_policy()
    assert policy.startswith("default-src 'none'; ") and "unsafe-inline" not in policy
    for page, text in pages.items():
        head = text.split("<style>", 1)[0]
        assert f'<meta http-equiv="Content-Security-Policy" content="{policy}">' in head, page
        styles = re.findall(r"<style>(.*?)</style>", text, re.DOTALL)
        assert len(styles) == 1, page
        digest = base64.b64encode(hashlib.sha256(styles[0].encode("utf-8")).digest()).decode()
        assert f"'sha256-{digest}'" in policy, page
        # what the policy forbids, the pages do not use
        forbidden = r"<(script|img|iframe|object|embed|form|link rel=\"stylesheet\")\b|\sstyle=|\son\w+="
        assert not re.search(forbidden, text), page


def _headers(conf: str, directive: str) -> list[str]:
    return re.findall(directive + r'\s+Content-Security-Policy\s+"([^"]*)"', conf)


def test_the_web_server_configurations_send_the_same_policy() -> None:
    nginx = (ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    sent = _headers(nginx, "add_header")
    # a location with add_header of its own does not inherit the server's: each repeats it
    assert len(sent) == nginx.count("add_header Vary") + nginx.count("add_header Access-Control") + 1
    assert set(sent) == {content_security_policy()}
    apache = (ROOT / "deploy" / "apache.conf").read_text(encoding="utf-8")
    assert _headers(apache, "Header always set") == [content_security_policy()]


# --- CSV ----------------------------------------------------------------------------------

@pytest.mark.parametrize("value,written", [
    *[(f, "'" + f) for f in FORMULAS],
    ("\t=1+1", "'\t=1+1"), ("\r=1+1", "'\r=1+1"), ("-", "'-"), ("=", "'="),
    ("-5", "-5"), ("+3", "+3"), ("-0.5", "-0.5"), ("1e3", "1e3"), ("-5+3", "'-5+3"),
    ("主动公开", "主动公开"), ("", ""), ("'=x", "'=x"), (3, 3), (0.25, 0.25), (None, None),
])
def test_csv_cells_that_start_a_formula_are_neutralised(value, written) -> None:
    assert csv_cell(value) == written
    assert csv_cell(csv_cell(value)) == written     # written twice (a report read and written again): once


def _cells(text: str) -> list[str]:
    return [c for row in csv.reader(io.StringIO(text.lstrip("\ufeff"), newline="")) for c in row]


def _no_formula(text: str) -> list[str]:
    """The cells a spreadsheet would read as formulas."""
    return [c for c in _cells(text) if c[:1] in ("=", "+", "-", "@", "\t", "\r") and csv_cell(c) != c]


def test_the_item_csv_neutralises_formulas(source) -> None:
    from gongkai.publish.export import export_bytes, items_csv

    text = items_csv(source.lists)
    assert "'" + FORMULAS[0] in _cells(text)
    assert _no_formula(text) == []
    assert export_bytes(source.quads, "csv", lists=source.lists).decode("utf-8") == text


def test_query_csv_neutralises_formulas() -> None:
    from rdflib import Literal, URIRef
    from rdflib.namespace import XSD

    from gongkai.query.results import render
    from gongkai.store.base import Result

    item = URIRef("https://w3id.org/gongkai/list/x/2021-01-01/item/1")
    rows = [{"item": item, "name": Literal(f), "n": Literal(-5, datatype=XSD.integer)} for f in FORMULAS]
    text = render(Result(["item", "name", "n"], rows), "csv", "zh")
    assert [c for c in _cells(text) if c.startswith("'")] == ["'" + f for f in FORMULAS]
    assert _no_formula(text) == [] and "-5" in _cells(text)


def test_validation_reports_neutralise_formulas(source) -> None:
    from gongkai.validation.reports import render_completeness_csv, render_coverage_csv, render_csv, standard_items
    from gongkai.validation.run import validate_lists

    report = validate_lists(source.lists, SETTINGS)
    problems = render_csv(report)
    assert "'" + FORMULAS[0] in _cells(problems)          # the item's name, in its problems' rows
    for text in (problems, render_completeness_csv(report), render_coverage_csv(report, standard_items(SETTINGS))):
        assert _no_formula(text) == [], text[:300]


def test_query_tsv_neutralises_formulas() -> None:
    """A TSV answer opens in a spreadsheet as readily as a CSV one."""
    from rdflib import Literal

    from gongkai.query.results import render
    from gongkai.store.base import Result

    text = render(Result(["name"], [{"name": Literal(f)} for f in FORMULAS]), "tsv", "zh")
    assert text.splitlines()[1:] == ["'" + f for f in FORMULAS]


def test_validation_workbooks_hold_text_not_formulas(source, tmp_path) -> None:
    """openpyxl writes a string starting with = as a formula; the workbooks gongkai writes
    keep such a string as text (the problems, completeness and coverage sheets)."""
    import openpyxl

    from gongkai.validation.reports import standard_items, write_completeness, write_coverage, write_xlsx
    from gongkai.validation.run import validate_lists

    report = validate_lists(source.lists, SETTINGS)
    paths = [tmp_path / "all.xlsx", tmp_path / "completeness.xlsx", tmp_path / "coverage.xlsx"]
    write_xlsx(report, paths[0], "zh", standard_items(SETTINGS))
    write_completeness(report, paths[1])
    write_coverage(report, standard_items(SETTINGS), paths[2])
    texts = []
    for path in paths:
        for ws in openpyxl.load_workbook(path).worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", (path.name, cell.coordinate, cell.value)
                    texts.append(cell.value)
    assert FORMULAS[0] in texts  # the item's name, kept whole, as text


def test_deadline_csvs_neutralise_formulas() -> None:
    from gongkai.deadlines.due import due_date
    from gongkai.deadlines.export import export_csv
    from gongkai.deadlines.overdue import CheckReport
    from gongkai.errors import InputError
    from gongkai.fields.timelimits import parse_time_limit

    due = due_date(parse_time_limit("形成或变更之日起20个工作日内"), dt.date(2025, 3, 3))
    text = export_csv([(f, due, "") for f in FORMULAS])
    assert [c for c in _cells(text) if c.startswith("'")] == ["'" + f for f in FORMULAS]
    check = CheckReport("records.csv", dt.date(2026, 1, 1), errors=[InputError(FORMULAS[1], "cannot read", row=2)])
    assert "'" + str(check.errors[0]) in _cells(check.csv("zh"))


def test_the_app_s_validation_download_neutralises_formulas() -> None:
    """The validation screen's CSV download (pandas) goes through the same function."""
    tree = ast.parse((APP / "app_pages" / "validation.py").read_text(encoding="utf-8"))
    to_csv = [n for n in ast.walk(tree) if isinstance(n, ast.Attribute) and n.attr == "to_csv"]
    assert to_csv and all(isinstance(n.value, ast.Call) and isinstance(n.value.func, ast.Attribute)
                          and n.value.func.attr == "map" and ast.unparse(n.value.args[0]) == "csv_cell"
                          for n in to_csv)


# --- the app: Markdown ----------------------------------------------------------------------

def _md():
    import importlib.util

    spec = importlib.util.spec_from_file_location("mdtext", APP / "mdtext.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.md


def _rendered(markdown: str) -> str:
    """What a CommonMark reader shows for the escapes md writes: the character itself."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown)


@pytest.mark.parametrize("text", [
    IMAGE, MD_LINK, "**粗体** _斜体_ ~~删除~~ `代码`", ":red[红色] :material/home: $x^2$", "<b>粗</b> &amp; <http://x.org>",
    "# 标题", "> 引用", "- 列表", "+ 列表", "1. 列表", "12) 列表", "第一行\n---", "第一行\r\n=== ",
    "| a | b |\n|---|---|",
    "见 www.evil.example 或 a@evil.example", "http://evil.example", "反斜杠 \\ 结尾\\",
])
def test_markdown_in_the_data_is_escaped_and_shows_as_written(text) -> None:
    md = _md()
    escaped = md(text)
    assert _rendered(escaped) == text
    for opener in ("![", "](", "[点击]", "**", "`", ":red[", ":material", "$x", "<b>", "&amp;", "<http", "://", "www.",
                   "@evil"):
        assert not re.search(r"(?<!\\)" + re.escape(opener), escaped), opener     # each opener is escaped
    for line in escaped.replace("\r", "\n").split("\n"):
        assert not re.match(r"\s*([-+=#>*]|\d+[.)])", line), line


def test_plain_text_is_left_as_it_is() -> None:
    md = _md()
    for text in ("中卫市云计算和大数据发展局", "2021-06-16", "empty-table.csv", "形成或变更之日起20个工作日内（暂定）",
                 "a - b + c = d. (e)", "13"):
        assert md(text) == text


MARKDOWN_SINKS = {"markdown", "caption", "info", "warning", "error", "success", "write", "title", "header",
                  "subheader", "expander", "metric", "tabs", "toast", "button", "download_button", "download",
                  "popover", "status", "radio", "checkbox", "selectbox", "multiselect", "text_input", "text_area",
                  "number_input", "date_input", "file_uploader", "toggle"}


def _bindings(tree: ast.AST) -> dict[str, list[ast.expr]]:
    """What each name of a module is ever given: assignments, and ``x.append(…)`` to lists."""
    out: dict[str, list[ast.expr]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            for t in node.targets:
                if isinstance(t, ast.Name):
                    out.setdefault(t.id, []).append(node.value)
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "append"
              and isinstance(node.func.value, ast.Name) and node.args):
            out.setdefault(node.func.value.id, []).append(ast.List(elts=[node.args[0]]))
    return out


def _safe(e: ast.expr, names: dict[str, list[ast.expr]], seen: frozenset = frozenset()) -> bool:
    """Whether Markdown text built by ``e`` can hold no unescaped value: literals, numbers
    formatted with a format spec, ``md(…)``, ``len(…)``, ``tr(…)`` of such, ``.isoformat()``,
    constants (NAMES IN CAPITALS), and names only ever given such values."""
    if isinstance(e, ast.Constant):
        return True
    if isinstance(e, ast.JoinedStr):
        return all(isinstance(v, ast.Constant) or v.format_spec is not None or _safe(v.value, names, seen)
                   for v in e.values)
    if isinstance(e, (ast.List, ast.Tuple)):
        return all(_safe(x, names, seen) for x in e.elts)
    if isinstance(e, (ast.GeneratorExp, ast.ListComp)):
        return _safe(e.elt, names, seen)
    if isinstance(e, ast.BinOp) and isinstance(e.op, ast.Add):
        return _safe(e.left, names, seen) and _safe(e.right, names, seen)
    if isinstance(e, ast.IfExp):
        return _safe(e.body, names, seen) and _safe(e.orelse, names, seen)
    if isinstance(e, ast.BoolOp):
        return all(_safe(v, names, seen) for v in e.values)
    if isinstance(e, ast.Call):
        f = e.func
        # screen_title: app/screens.py's literals; said: an error's message through md (app/ui.py)
        if isinstance(f, ast.Name) and f.id in ("md", "len", "screen_title", "said"):
            return True
        if isinstance(f, ast.Name) and f.id == "tr":
            return all(_safe(a, names, seen) for a in e.args)
        if isinstance(f, ast.Attribute) and f.attr == "isoformat":
            return True
        if isinstance(f, ast.Attribute) and f.attr == "join" and isinstance(f.value, ast.Constant):
            return all(_safe(a, names, seen) for a in e.args)
        return False
    if isinstance(e, ast.Name):
        if e.id.isupper():
            return True
        if e.id in seen or e.id not in names:
            return False
        return all(_safe(v, names, seen | {e.id}) for v in names[e.id])
    return False


def _markdown_calls(tree: ast.AST):
    """Each call that shows its text as Markdown (st.markdown, st.error, a column's metric,
    an expander's or a widget's label …), with the arguments holding that text."""
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        f = node.func
        name = f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else None
        if name not in MARKDOWN_SINKS or (name in ("title", "header") and ast.unparse(f.value) != "st"):
            continue
        if isinstance(f, ast.Name) and name != "download":
            continue
        texts = list(node.args[:2] if name == "metric" else node.args[:1])
        texts += [k.value for k in node.keywords if k.arg in ("body", "label", "help", "delta")]
        yield node, texts


@pytest.mark.parametrize("page", sorted(p.name for p in (APP / "app_pages").glob("*.py")))
def test_every_markdown_text_of_the_screens_escapes_the_data(page) -> None:
    """Each value a screen puts into Markdown is escaped with md (or is a number, a date,
    a count, a constant or a translated fixed text)."""
    tree = ast.parse((APP / "app_pages" / page).read_text(encoding="utf-8"))
    names = _bindings(tree)
    unescaped = [f"{page}:{node.lineno}: {ast.unparse(t)[:100]}"
                 for node, texts in _markdown_calls(tree) for t in texts if not _safe(t, names)]
    assert unescaped == []


@pytest.fixture(scope="module")
def built(lists, tmp_path_factory) -> Path:
    """The hostile lists built, validated and summarised, as `gongkai build` leaves them."""
    from gongkai.pipeline.build import build
    from gongkai.pipeline.stats import write_build_stats
    from gongkai.validation.inputs import validate_build

    out = tmp_path_factory.mktemp("hostile-app") / "build"
    s = Settings(build_dir=out, fixed_time=SETTINGS.fixed_time)
    validate_build(build(s, folder=lists), s)
    write_build_stats(s)
    return out


def _screen(built: Path, monkeypatch, page: str):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("GONGKAI_BUILD", str(built))
    monkeypatch.delenv("GONGKAI_ENDPOINT", raising=False)
    at = AppTest.from_file(str(APP / "streamlit_app.py"), default_timeout=60)
    at.run()
    at.switch_page(f"app_pages/{page}.py").run()
    return at


def _markdown_shown(at) -> list[str]:
    """Every text of the screen that Streamlit reads as Markdown."""
    out = [e.value for kind in ("markdown", "caption", "header", "subheader", "title", "info", "warning", "error",
                                "success") for e in getattr(at, kind)]
    out += [t for m in at.metric for t in (m.label, m.value)]
    out += [e.label for e in at.expander] + [t.label for t in at.tabs]
    assert not at.exception, [e.value for e in at.exception]
    return out


def test_the_legal_tracer_shows_markdown_names_as_text(built, monkeypatch) -> None:
    md = _md()
    at = _screen(built, monkeypatch, "legal")
    at.text_input(key="legal_q").input("政府信息公开条例").run()
    items = next(sb for sb in at.selectbox if sb.key.startswith("legal_item_"))
    items.set_value(next(i for i, o in enumerate(items.options) if IMAGE in o)).run()   # a drop-down shows text
    shown = "\n".join(_markdown_shown(at))
    for name in (IMAGE, MD_LINK):
        assert md(name) in shown and name not in shown, name
    assert f"**1. {md(IMAGE)}**" in shown                     # the chosen item, under its bold heading


def test_the_import_screen_shows_markdown_names_as_text(built, monkeypatch) -> None:
    md = _md()
    bureau, title = "安澜市生态环境局" + MD_LINK, "安澜市生态环境局**政务公开**清单目录"
    text = hostile_text_list().replace("责任单位: 安澜市生态环境局", "责任单位: " + bureau, 1)
    text = text.replace("安澜市生态环境局政务公开清单目录", title, 1)
    at = _screen(built, monkeypatch, "import_list")
    at.file_uploader(key="import_file").set_value(("anlan-evil.txt", text.encode("utf-8"), "text/plain")).run()
    shown = _markdown_shown(at)
    assert md(bureau) in shown                                  # the metric naming the bureau
    assert any(t.startswith(md(title) + " · ") for t in shown)  # the caption naming the list's title
    assert not [t for t in shown if MD_LINK in t or title in t]
    preview = at.dataframe[0].value
    assert {IMAGE, MD_LINK} <= set(preview.iloc[:, 2])          # the table shows the names as they are
