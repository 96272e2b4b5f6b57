"""Article texts (gongkai.legal.articles): parsing the official texts in data/authorities/laws/, the
link to the registry's versions, the RDF and `gongkai legal show`."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF
from typer.testing import CliRunner

from gongkai.cli import app
from gongkai.errors import InputError
from gongkai.legal.articles import (
    TEXTS_FILE,
    ArticleLookupError,
    LawText,
    article_number,
    find_article,
    load_texts,
    parse_articles,
    pinpoint_article,
)
from gongkai.legal.registry import Registry, load_registry
from gongkai.rdf.iris import IRIs
from gongkai.rdf.namespaces import ELI, GK

ROOT = Path(__file__).resolve().parents[2]
AUTHORITIES = ROOT / "data" / "authorities"


@pytest.fixture(scope="module")
def reg() -> Registry:
    return load_registry(AUTHORITIES)


@pytest.fixture(scope="module")
def texts() -> dict[str, LawText]:
    return load_texts(AUTHORITIES)


# --- parsing the real texts -------------------------------------------------------------

@pytest.mark.parametrize(("source_id", "count"), [
    ("prc-gov-info-disclosure-regs-2007", 38),
    ("prc-gov-info-disclosure-regs-2019", 56),
    ("prc-budget-law-1994", 79),
    ("prc-budget-law-2014", 101),
    ("prc-budget-law-2018", 101),
    ("prc-budget-law-implementing-regs-1995", 79),
    ("prc-budget-law-implementing-regs-2020", 97),
    ("prc-household-registration-regs", 24),
])
def test_every_article_of_the_official_texts_is_read(texts: dict[str, LawText], source_id: str, count: int) -> None:
    arts = texts[source_id].articles
    assert len(arts) == count
    assert [a.number for a in arts] == list(range(1, count + 1))
    assert all(a.text for a in arts)


def test_budget_law_2018_article_14_is_the_official_text(texts: dict[str, LawText]) -> None:
    art = texts["prc-budget-law-2018"].article(14)
    assert art is not None
    assert art.label == "第十四条"
    assert art.short_label == "第14条"
    paras = art.text.split("\n")
    assert paras[0].startswith("经本级人民代表大会或者本级人民代表大会常务委员会批准的预算、预算调整、决算")
    assert "应当在批准后二十日内由本级政府财政部门向社会公开" in paras[0]
    assert paras[-1] == "本条前三款规定的公开事项，涉及国家秘密的除外。"
    assert len(paras) == 4


def test_an_article_keeps_its_enumerated_items_and_not_the_next_chapter_heading(texts: dict[str, LawText]) -> None:
    gidr = texts["prc-gov-info-disclosure-regs-2019"]
    art20 = gidr.article(20)
    assert art20 is not None
    paras = art20.text.split("\n")  # the source writes the items' brackets half-width: kept as written
    assert paras[1] == "(一)行政法规、规章和规范性文件；"
    assert paras[-1].startswith("(十五)") and len(paras) == 16
    # 第十八条 closes 第二章; the heading of 第三章 is not part of it
    art18 = gidr.article(18)
    assert art18 is not None and "\n" not in art18.text and "第三章" not in art18.text
    last = texts["prc-gov-info-disclosure-regs-2007"].articles[-1]
    assert last.text == "本条例自2008年5月1日起施行。"


def test_the_header_comments_and_headings_are_skipped() -> None:
    md = ("# 某某条例\n\n2020年1月1日 国务院令第1号公布\n\n<!-- SOURCE: x\n第九条 不是条文 -->\n\n"
          "## 第一章 总则\n\n第一条　第一款。\n\n第二款。\n\n### 第一节 一般规定\n\n第二条 只有一款。\n\n"
          "## 附件\n\n附表文字\n")
    arts = parse_articles(md)
    assert [(a.number, a.label, a.text) for a in arts] == [
        (1, "第一条", "第一款。\n第二款。"), (2, "第二条", "只有一款。")]


def test_a_reference_inside_a_paragraph_is_not_an_article() -> None:
    arts = parse_articles("第一条 甲。\n\n第二十条规定的事项，依照本法。\n\n第二条 乙。\n")
    assert [a.text for a in arts] == ["甲。\n第二十条规定的事项，依照本法。", "乙。"]


def test_numbers_out_of_order_are_refused() -> None:
    with pytest.raises(InputError, match="第三条 where 第2条 was expected"):
        parse_articles("第一条 甲。\n\n第三条 丙。\n", "x.md")


@pytest.mark.parametrize(("text", "number"), [
    ("第十四条", 14), ("第14条", 14), ("14", 14), ("十四", 14), ("第１４条", 14), (" 第一百零一条 ", 101),
    ("abc", None), ("第条", None), ("0", None), ("", None), ("第十四条第二款", None),
])
def test_article_number(text: str, number: int | None) -> None:
    assert article_number(text) == number


@pytest.mark.parametrize(("label", "number"), [("第14条", 14), ("第20条第2款", 20), ("第20条第2款第3项", 20),
                                               ("第十四条", None), ("", None)])
def test_pinpoint_article_reads_the_graph_s_labels(label: str, number: int | None) -> None:
    assert pinpoint_article(label) == number


# --- the link to the registry ---------------------------------------------------------------

def test_every_text_belongs_to_a_version_of_the_registry_and_says_where_it_comes_from(
        reg: Registry, texts: dict[str, LawText]) -> None:
    with (AUTHORITIES / TEXTS_FILE).open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert {r["source_id"] for r in rows} == set(texts)
    for r in rows:
        source = reg.get(r["source_id"])
        assert r["title"] == source.title
        assert r["repo"] and r["path"] and len(r["commit"]) == 40
        assert (AUTHORITIES / "laws" / r["file"]).is_file()
    # the versions the lists cite with an article pinpoint, and the Budget Law's regulations
    for needed in ("prc-gov-info-disclosure-regs-2007", "prc-gov-info-disclosure-regs-2019", "prc-budget-law-2014",
                   "prc-budget-law-2018", "prc-budget-law-implementing-regs-2020"):
        assert needed in texts


def test_find_article_picks_the_latest_version_or_the_one_in_force(reg: Registry, texts: dict[str, LawText]) -> None:
    latest = find_article(reg, texts, "预算法", "第十四条")
    assert (latest.version.id, latest.at) == ("prc-budget-law-2018", None)
    older = find_article(reg, texts, "预算法", "14", dt.date(2016, 1, 1))
    assert older.version.id == "prc-budget-law-2014"
    gidr = find_article(reg, texts, "国务院令第492号", "第19条")
    assert gidr.version.id == "prc-gov-info-disclosure-regs-2019"  # the work's latest version, not only the number's
    assert find_article(reg, texts, "政府信息公开条例", "9", dt.date(2010, 1, 1)).version.id == \
        "prc-gov-info-disclosure-regs-2007"


@pytest.mark.parametrize(("law", "ref", "at", "message"), [
    ("预算法", "第一千条", None, "has no 第1000条"),
    ("没有这部法", "1", None, "no legal source matches"),
    ("预算法", "十四款", None, "not an article number"),
    ("预算法", "1", dt.date(1990, 1, 1), "no version is known to be in force on 1990-01-01"),
    ("食品安全法", "1", None, "holds no text"),
])
def test_find_article_says_what_is_missing(reg: Registry, texts: dict[str, LawText], law: str, ref: str,
                                           at: dt.date | None, message: str) -> None:
    with pytest.raises(ArticleLookupError, match=message):
        find_article(reg, texts, law, ref, at)


# --- RDF --------------------------------------------------------------------------------------

def test_articles_are_subdivisions_of_their_version_in_the_authorities_graph() -> None:
    from gongkai.reference_data import static_graphs
    from gongkai.settings import Settings

    settings = Settings(root=ROOT)
    graphs = dict(static_graphs(settings))
    auth = graphs[URIRef(settings.base + "authorities")]
    reg = load_registry(AUTHORITIES)
    version = URIRef(str(reg.iri("prc-budget-law-2018", IRIs(settings.base))))
    art = URIRef(f"{version}/art_14")
    assert (art, RDF.type, ELI.LegalResourceSubdivision) in auth
    assert (art, ELI.is_part_of, version) in auth
    assert (art, ELI.number, Literal("第十四条")) in auth
    text = auth.value(art, GK.articleText)
    assert isinstance(text, Literal) and text.language == "zh"
    assert str(text).startswith("经本级人民代表大会或者本级人民代表大会常务委员会批准的预算")
    assert str(auth.value(art, DCTERMS.source)).startswith("https://github.com/LawRefBook/Laws/blob/")
    gidr = URIRef(str(reg.iri("prc-gov-info-disclosure-regs-2019", IRIs(settings.base))))
    # its 56 articles (the clauses of the Regulations items are assigned to are parts of it too)
    assert len({a for a in auth.subjects(ELI.is_part_of, gidr) if (a, GK.articleText, None) in auth}) == 56


def test_a_citation_pinpoint_reaches_the_article_text() -> None:
    """The dated list citing 《中华人民共和国预算法》第十四条: its pinpoint is the article that holds the text."""
    from gongkai.ingest import ingest_file
    from gongkai.rdf.mapping import map_list
    from gongkai.reference_data import map_context, static_graphs
    from gongkai.settings import Settings

    settings = Settings(root=ROOT)
    auth = dict(static_graphs(settings))[URIRef(settings.base + "authorities")]
    # the date data/raw/sources.csv gives the list (as the build reads it): the 2018 version is cited
    dl = ingest_file(ROOT / "data" / "raw" / "huangshi-szfgz.txt", settings, date=dt.date(2024, 12, 31))
    data = map_list(dl, map_context(settings))[1]
    pinpoints = set(data.objects(None, GK.citesSubdivision))
    texts = {str(auth.value(p, GK.articleText) or "") for p in pinpoints}
    assert any(t.startswith("经本级人民代表大会或者本级人民代表大会常务委员会批准的预算") for t in texts), pinpoints


# --- CLI ---------------------------------------------------------------------------------------

def _show(*args: str):
    result = CliRunner().invoke(app, ["legal", "show", *args], env={"GONGKAI_HOME": str(ROOT)})
    assert "Traceback" not in result.output, result.output
    return result


@pytest.mark.parametrize("ref", ["第十四条", "第14条", "14"])
def test_legal_show_prints_the_article_of_the_latest_version(ref: str) -> None:
    result = _show("预算法", ref)
    assert result.exit_code == 0, result.output
    assert "《中华人民共和国预算法》（2018年） 第十四条" in result.output
    assert "the latest version: prc-budget-law-2018" in result.output
    assert "应当在批准后二十日内由本级政府财政部门向社会公开" in result.output
    assert "/2018/art_14" in result.output


def test_legal_show_at_a_date_prints_the_version_in_force_then() -> None:
    result = _show("政府信息公开条例", "第九条", "--at", "2015-06-01")
    assert result.exit_code == 0, result.output
    assert "the version in force on 2015-06-01: prc-gov-info-disclosure-regs-2007" in result.output
    assert "国务院令第492号 第九条" in result.output


@pytest.mark.parametrize(("args", "message"), [
    (("预算法", "第一千条"), "has no 第1000条"),
    (("没有这部法", "1"), "no legal source matches"),
    (("预算法", "1", "--at", "2020-13-01"), "expected YYYY-MM-DD"),
])
def test_legal_show_refuses_what_it_cannot_find_with_exit_2(args: tuple[str, ...], message: str) -> None:
    result = _show(*args)
    assert result.exit_code == 2
    assert message in result.output


def test_an_article_text_with_line_breaks_is_written_as_one_n_triples_line() -> None:
    import pyoxigraph as ox

    from gongkai.rdf.ntriples import nt_object

    text = Literal('第一款 "甲"。\n第二款 \\ 乙。\r', lang="zh")
    line = f"<urn:a> <urn:p> {nt_object(text)} .\n"
    assert line.count("\n") == 1
    [triple] = list(ox.parse(line.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES))
    assert triple.object == ox.Literal(str(text), language="zh")
    assert nt_object(Literal("一行")) == Literal("一行").n3()
