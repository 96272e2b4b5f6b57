"""The published site quotes the text of the articles a citation pins.

Two copies of one list (data/raw/huangshi-szfgz.txt) are published: the list as dated by
sources.csv, whose citations name a version (the Regulations of 2019 by its number, the Budget
Law by the list's date), and an undated copy whose citations leave the version undetermined.
An item of the dated list shows the whole article beside its pinpoint (第二十条 for 第二十条第二款);
an item of the undated one shows no article text but says that the version is not determined.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path

import pyoxigraph as ox
import pytest

from gongkai.legal.articles import law_texts
from gongkai.publish.quotes import article_of
from gongkai.publish.site import publish_site
from gongkai.publish.source import Source, from_folder
from gongkai.rdf.namespaces import GK
from gongkai.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
LIST = ROOT / "data" / "raw" / "huangshi-szfgz.txt"
SETTINGS = Settings(root=ROOT, fixed_time=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
LICENSE = "https://creativecommons.org/licenses/by/4.0/"
DATED = Path("list/huangshishirenminzhengfu/2024-12-31/item")
UNDATED = Path("list/huangshishirenminzhengfubangongshi/undated/item")
REGS_2019 = "legal/guowuyuanling/711"
BUDGET_2018 = "legal/title/zhonghuarenmingongheguoyusuanfa/2018"
HOSTILE = '<script>alert("x")</script> & <b>粗</b>'


def _text(source_id: str, article: int) -> str:
    law = law_texts(SETTINGS)[source_id]
    art = law.article(article)
    assert art is not None
    return art.text


REGS_20 = {year: _text(f"prc-gov-info-disclosure-regs-{year}", 20) for year in (2007, 2019)}
BUDGET_14 = {year: _text(f"prc-budget-law-{year}", 14) for year in (1994, 2014, 2018)}


@pytest.fixture(scope="module")
def source(tmp_path_factory) -> Source:
    folder = tmp_path_factory.mktemp("lists")
    text = LIST.read_text(encoding="utf-8")
    (folder / LIST.name).write_text(text, encoding="utf-8")
    # without the order's number and a date, which version of the Regulations is cited is not known
    assert "国务院令第711号," in text
    (folder / "huangshi-undated.txt").write_text(text.replace("国务院令第711号,", ""), encoding="utf-8")
    (folder / "sources.csv").write_text("file,bureau,parent,date,url,note\n"
                                        f"{LIST.name},黄石市人民政府,,2024-12-31,,\n"
                                        "huangshi-undated.txt,黄石市人民政府办公室,,,,\n", encoding="utf-8")
    src = from_folder(SETTINGS, folder)
    assert not src.failed
    return src


@pytest.fixture(scope="module")
def site(source, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("pub") / "site"
    publish_site(source, out, SETTINGS, publisher="某市政务公开办公室", license_url=LICENSE)
    return out


def _citations(site: Path, page: Path) -> str:
    text = (site / page).read_text(encoding="utf-8")
    start = text.index('<ol class="cites">')
    return text[start:text.index("</ol>", start)]


def test_a_pinpoint_deeper_than_the_article_quotes_the_whole_article(site) -> None:
    cites = _citations(site, DATED / "1.html")
    assert 'href="../../../../legal/guowuyuanling/711.html#art_20/para_2">第20条第2款' in cites
    quote = re.search(r'<summary><a href="([^"]+)">([^<]+)</a>.*?<blockquote[^>]*>(.*?)</blockquote>', cites,
                      re.DOTALL)
    assert quote is not None
    assert quote.groups() == ("../../../../legal/guowuyuanling/711.html#art_20", "第二十条", html.escape(REGS_20[2019]))
    assert REGS_20[2007] not in cites


def test_a_dated_list_quotes_the_article_of_the_version_its_date_chooses(site) -> None:
    cites = _citations(site, DATED / "5.html")
    assert f"{BUDGET_2018}.html#art_14" in cites
    assert html.escape(BUDGET_14[2018]) in cites
    assert not any(html.escape(BUDGET_14[y]) in cites for y in (1994, 2014) if BUDGET_14[y] != BUDGET_14[2018])


def test_a_citation_without_a_pinpoint_or_a_text_quotes_nothing(site) -> None:
    cites = _citations(site, DATED / "2.html")      # a notice of the State Council's General Office
    assert "<blockquote" not in cites and "版本未定" not in cites


@pytest.mark.parametrize("number", ["1", "5"])
def test_an_undetermined_version_quotes_no_text_and_says_why(site, number) -> None:
    cites = _citations(site, UNDATED / f"{number}.html")
    assert ".html#art_" in cites                     # the pinpoint is there
    assert "<blockquote" not in cites
    for text in (*REGS_20.values(), *BUDGET_14.values()):
        assert html.escape(text) not in cites
    assert "版本未定 version undetermined" in cites
    assert "无法确定所引为哪一版本" in cites and "cannot be chosen" in cites


def test_the_law_page_quotes_the_article_a_cited_paragraph_is_in(site) -> None:
    page = (site / f"{REGS_2019}.html").read_text(encoding="utf-8")
    cited = page[page.index("被引用的条款"):]
    node = cited[cited.index('id="art_20/para_2"'):]
    node = node[:node.index("</div>")]
    assert '<a href="711.html#art_20">第二十条</a>' in node
    assert html.escape(REGS_20[2019]) in node


def test_article_text_is_escaped_and_a_missing_text_adds_nothing(source, tmp_path) -> None:
    """The text is data: markup in it is shown, never run; an article without text gets no quote."""
    text = str(GK.articleText)
    quads = []
    for q in source.quads:
        s = q.subject.value if isinstance(q.subject, ox.NamedNode) else ""
        if q.predicate.value == text and s.endswith("/guowuyuanling/711/art_20"):
            quads.append(ox.Quad(q.subject, q.predicate, ox.Literal(HOSTILE, language="zh"), q.graph_name))
        elif q.predicate.value != text or not s.endswith("/zhonghuarenmingongheguoyusuanfa/2018/art_14"):
            quads.append(q)
    out = tmp_path / "site"
    publish_site(Source(quads), out, SETTINGS, publisher="某市政务公开办公室", license_url=LICENSE)
    page = (out / DATED / "1.html").read_text(encoding="utf-8")
    assert html.escape(HOSTILE) in page
    assert "<script" not in page and "<b>粗" not in page
    budget = _citations(out, DATED / "5.html")
    assert "#art_14" in budget and "<details" not in budget and "<blockquote" not in budget


@pytest.mark.parametrize("pinpoint,article", [
    ("https://x/v/art_20", "https://x/v/art_20"),
    ("https://x/v/art_20/para_2", "https://x/v/art_20"),
    ("https://x/v/art_20/para_2/point_7", "https://x/v/art_20"),
    ("https://x/v/art_20/point_7", "https://x/v/art_20"),
    ("https://x/v2/art_20", None),                  # another resource's article
    ("https://x/v/annex", None),
    ("https://x/v/art_x", None),
])
def test_a_pinpoint_belongs_to_its_article(pinpoint, article) -> None:
    assert article_of("https://x/v", pinpoint) == article
