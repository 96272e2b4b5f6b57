"""The bureau and the date a list's page or document says outside its table.

A table that names no 责任单位 and no 填表时间 is often posted on a page that does (发布机构,
来源, 发布日期, ``<meta name=PubDate>`` …), or saved in a file whose properties do (company,
title, modified). Those facts are taken only when the table and its heading say nothing,
each with a warning and with where it came from (``DisclosureList.inferred``, and the
graph's provenance); ``--bureau`` / sources.csv win over everything.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, XSD
from test_ontology import _ontology as ontology
from test_ontology import undeclared_terms

from gongkai.fields.metadata import page_bureau, page_date, parse_list_metadata
from gongkai.ingest import ingest_file
from gongkai.model import DisclosureList
from gongkai.rdf.mapping import map_list
from gongkai.readers.docx import read_docx
from gongkai.readers.grid import document_facts
from gongkai.readers.properties import china_day
from gongkai.readers.xlsx import read_xlsx
from gongkai.reference_data import map_context
from gongkai.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "pages"

HEADER = ["序号", "公开事项", "公开内容", "公开依据", "公开时限", "公开渠道和载体"]
ROWS = [["1", "机构信息", "机构职能、内设机构", "《中华人民共和国政府信息公开条例》", "信息形成之日起20个工作日内",
         "政府网站"],
        ["2", "政策文件", "规范性文件", "《中华人民共和国政府信息公开条例》", "信息形成之日起20个工作日内", "政府网站"]]

#: properties as an office suite writes them (Word, Excel, WPS): a person's name as creator
CORE = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        "<dc:title>{title}</dc:title><dc:creator>{creator}</dc:creator><cp:lastModifiedBy>lenovo</cp:lastModifiedBy>"
        '<dcterms:created xsi:type="dcterms:W3CDTF">{created}</dcterms:created>'
        '<dcterms:modified xsi:type="dcterms:W3CDTF">{modified}</dcterms:modified></cp:coreProperties>')
APP = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
       '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
       "<Application>{application}</Application><Company>{company}</Company></Properties>")


def saved_by_office(path: Path, *, title: str = "", creator: str = "Administrator", company: str = "",
                    created: str = "2019-03-01T01:00:00Z", modified: str = "2023-05-10T17:30:00Z",
                    application: str = "Microsoft Office Word") -> Path:
    """The package with the properties an office suite would have written (python-docx and
    openpyxl write their own defaults)."""
    parts = {"docProps/core.xml": CORE.format(title=title, creator=creator, created=created, modified=modified),
             "docProps/app.xml": APP.format(application=application, company=company)}
    out = io.BytesIO()
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename not in parts:
                dst.writestr(info, src.read(info))
        for name, xml in parts.items():
            dst.writestr(name, xml.encode("utf-8"))
    path.write_bytes(out.getvalue())
    return path


def make_docx(path: Path, heading: list[str]) -> Path:
    import docx

    d = docx.Document()
    for line in heading:
        d.add_paragraph(line)
    t = d.add_table(rows=1 + len(ROWS), cols=len(HEADER))
    for i, row in enumerate([HEADER, *ROWS]):
        for j, text in enumerate(row):
            t.cell(i, j).text = text
    d.save(path)
    return path


def make_xlsx(path: Path, heading: list[str]) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    for line in heading:
        ws.append([line])
    for row in [HEADER, *ROWS]:
        ws.append(row)
    wb.save(path)
    return path


# --- the readers: a file's properties as the document's facts -------------------------------------------

def test_word_properties_are_the_documents_facts(tmp_path):
    path = saved_by_office(make_docx(tmp_path / "list.docx", ["机构信息公开目录"]),
                           title="澄溪县交通运输局政府信息公开目录", company="澄溪县交通运输局")
    assert document_facts(read_docx(path).meta) == {
        "title": ("澄溪县交通运输局政府信息公开目录", "properties (title)"),
        "author": ("Administrator", "properties (creator)"),
        "company": ("澄溪县交通运输局", "properties (company)"),
        "modified": ("2023-05-11", "properties (modified)"),       # 17:30 UTC is the next day in China
        "created": ("2019-03-01", "properties (created)"),
    }


def test_excel_properties_are_the_documents_facts(tmp_path):
    path = saved_by_office(make_xlsx(tmp_path / "list.xlsx", []), company="澄溪县卫生健康局",
                           application="Microsoft Excel", modified="2022-08-01T03:00:00+08:00")
    facts = document_facts(read_xlsx(path).meta)
    assert facts["company"] == ("澄溪县卫生健康局", "properties (company)")
    assert facts["modified"] == ("2022-08-01", "properties (modified)")


@pytest.mark.parametrize("make", [make_docx, make_xlsx])
def test_files_written_by_a_program_library_have_no_facts(tmp_path, make):
    """python-docx's template is dated 2013-12-23 and openpyxl stamps the time it ran."""
    suffix = ".docx" if make is make_docx else ".xlsx"
    path = make(tmp_path / f"list{suffix}", [])
    reader = read_docx if make is make_docx else read_xlsx
    assert document_facts(reader(path).meta) == {}


def test_a_damaged_property_part_is_passed_over(tmp_path):
    path = saved_by_office(make_docx(tmp_path / "list.docx", []), company="某局")
    data = io.BytesIO()
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(data, "w") as dst:
        for info in src.infolist():
            dst.writestr(info, b"<Properties><Company>" if info.filename == "docProps/app.xml" else src.read(info))
    path.write_bytes(data.getvalue())
    grid = read_docx(path)
    assert "company" not in document_facts(grid.meta)
    assert document_facts(grid.meta)["modified"] == ("2023-05-11", "properties (modified)")
    assert grid.texts()[1][0] == "1"


@pytest.mark.parametrize("text, day", [
    ("2023-05-10T15:59:59Z", "2023-05-10"), ("2023-05-10T16:00:00Z", "2023-05-11"),
    ("2023-05-10T08:00:00", "2023-05-10"), ("1601-01-01T00:00:00Z", None), ("", None), ("yesterday", None),
])
def test_china_day(text, day):
    assert china_day(text) == day


# --- the list: facts taken only where the table and its heading are silent ---------------------------

def ingest(path: Path, **kw: object) -> DisclosureList:
    return ingest_file(path, Settings(root=ROOT), resolve=False, **kw)  # type: ignore[arg-type]


def _page(tmp_path: Path, head: str, above: str, name: str = "page.html") -> Path:
    table = ("<table border=1><tr><th>序号</th><th>公开事项</th><th>公开内容</th><th>公开时限</th></tr>"
             "<tr><td>1</td><td>机构信息</td><td>机构职能</td><td>信息形成之日起20个工作日内</td></tr></table>")
    path = tmp_path / name
    path.write_text(f"<!DOCTYPE html><html><head><meta charset='utf-8'>{head}</head><body>{above}{table}"
                    "</body></html>", encoding="utf-8")
    return path


def test_a_saved_page_names_its_bureau_and_date_in_its_index_table():
    dl = ingest(PAGES / "chrome-nested-split.html")
    assert dl.bureau.name == "澄溪县市场监督管理局" and dl.bureau_named
    assert dl.date == dt.date(2023, 5, 10)
    assert dl.inferred == {"bureau": "page 发布机构", "date": "page 成文日期"}
    assert dl.warnings[:2] == [
        "bureau taken from the page's 发布机构: 澄溪县市场监督管理局 (not named in the table)",
        "date taken from the page's 成文日期: 2023-05-10 (not named in the table)"]
    assert [it.level2 for it in dl.items] == ["生产许可", "监督检查", "零售许可"]


def test_a_saved_archive_names_its_bureau_in_the_line_under_its_title():
    dl = ingest(PAGES / "saved-by-browser.mhtml")
    assert (dl.bureau.name, dl.date) == ("澄溪县民政局", dt.date(2022, 11, 8))
    assert dl.inferred == {"bureau": "page 来源", "date": "page 发布时间"}


def test_the_text_of_a_page_with_bracketed_labels():
    dl = ingest(PAGES / "index-brackets.txt")
    assert (dl.bureau.name, dl.date) == ("澄溪县城乡建委", dt.date(2024, 3, 5))
    assert dl.inferred == {"bureau": "page 发布机构", "date": "page 成文日期"}
    assert len(dl.items) == 2


def test_a_page_that_says_it_only_in_its_meta_tags():
    dl = ingest(PAGES / "meta-tags-only.html")
    assert (dl.bureau.name, dl.date) == ("澄溪县自然资源局", dt.date(2024, 1, 18))
    assert dl.inferred == {"bureau": "page <meta name=ContentSource>", "date": "page <meta name=PubDate>"}
    assert dl.warnings[0] == ("bureau taken from the page's <meta name=ContentSource>: 澄溪县自然资源局 "
                              "(not named in the table)")


def test_the_table_and_its_heading_win(tmp_path):
    above = "<p>责任单位：澄溪县教育局 填表时间：2023年3月1日</p><p>发布机构：澄溪县人民政府办公室</p>"
    dl = ingest(_page(tmp_path, '<meta name="PubDate" content="2024-01-01">', above))
    assert (dl.bureau.name, dl.date) == ("澄溪县教育局", dt.date(2023, 3, 1))
    assert dl.inferred == {}
    assert not any("taken from" in w for w in dl.warnings)


def test_the_title_names_the_bureau_before_the_pages_source(tmp_path):
    dl = ingest(_page(tmp_path, "", "<h2>澄溪县水利局政府信息公开目录</h2><p>来源：县政府办</p>"))
    assert dl.bureau.name == "澄溪县水利局" and dl.inferred == {}


def test_bureau_and_sources_csv_win_over_the_page():
    dl = ingest(PAGES / "chrome-nested-split.html", bureau="某局", date=dt.date(2024, 1, 1))
    assert (dl.bureau.name, dl.date, dl.inferred) == ("某局", dt.date(2024, 1, 1), {})
    assert not any("taken from" in w for w in dl.warnings)


def test_a_site_name_is_taken_only_when_it_names_a_body_and_said_to_be_weak(tmp_path):
    dl = ingest(_page(tmp_path, '<meta name="SiteName" content="澄溪县人民政府">', "", "a.html"))
    assert dl.bureau.name == "澄溪县人民政府"
    assert dl.inferred == {"bureau": "page <meta name=SiteName>"}
    assert dl.warnings[0].endswith("(not named in the table; the name of the site, check it)")
    dl = ingest(_page(tmp_path, '<meta name="SiteName" content="澄溪县人民政府门户网站">', "", "b.html"))
    assert not dl.bureau_named and dl.inferred == {}


@pytest.mark.parametrize("line", ["来源：建德市", "来源：本网", "信息来源：澄溪县人民政府网", "作者：admin",
                                  "来源：365bet官方网站教育厅办公室"])
def test_a_source_that_names_a_place_a_portal_or_a_person_is_not_a_bureau(tmp_path, line):
    dl = ingest(_page(tmp_path, "", f"<p>{line} 发布时间：2023-06-28</p>"))
    assert not dl.bureau_named
    assert dl.inferred == {"date": "page 发布时间"}


def test_a_word_document_names_its_bureau_and_date_in_its_properties(tmp_path):
    path = saved_by_office(make_docx(tmp_path / "list.docx", ["政务公开标准目录"]), company="澄溪县交通运输局")
    dl = ingest(path)
    assert (dl.bureau.name, dl.date) == ("澄溪县交通运输局", dt.date(2023, 5, 11))
    assert dl.inferred == {"bureau": "document properties (company)", "date": "document properties (modified)"}
    assert dl.warnings[:2] == [
        "bureau taken from the document's properties (company): 澄溪县交通运输局 (not named in the table)",
        "date taken from the document's properties (modified): 2023-05-11 (not named in the table)"]


def test_a_workbook_whose_title_property_names_the_bureau(tmp_path):
    path = saved_by_office(make_xlsx(tmp_path / "list.xlsx", []), title="澄溪县卫生健康局政府信息公开目录",
                           creator="王五", company="微软中国", application="Microsoft Excel")
    dl = ingest(path)
    assert dl.bureau.name == "澄溪县卫生健康局"
    assert dl.inferred["bureau"] == "document properties (title)"


def test_a_documents_heading_wins_over_its_properties(tmp_path):
    path = saved_by_office(make_docx(tmp_path / "list.docx", ["责任单位：澄溪县民政局 填表时间：2021.6.16"]),
                           company="澄溪县交通运输局")
    dl = ingest(path)
    assert (dl.bureau.name, dl.date, dl.inferred) == ("澄溪县民政局", dt.date(2021, 6, 16), {})


def test_the_graph_keeps_where_each_inferred_fact_came_from():
    dl = ingest(PAGES / "meta-tags-only.html")
    ctx = map_context(Settings(root=ROOT))
    lst, g = map_list(dl, ctx)
    bureau = next(g.objects(lst, DCTERMS.publisher))
    node = URIRef(f"{lst}/inferred/bureau")
    assert (lst, PROV.wasInfluencedBy, node) in g
    assert (node, RDF.type, RDF.Statement) in g
    assert (node, RDF.predicate, DCTERMS.publisher) in g and (node, RDF.object, bureau) in g
    assert (node, DCTERMS.source, Literal("page <meta name=ContentSource>")) in g
    date = URIRef(f"{lst}/inferred/date")
    assert (date, RDF.object, Literal("2024-01-18", datatype=XSD.date)) in g
    assert (date, DCTERMS.source, Literal("page <meta name=PubDate>")) in g
    assert undeclared_terms(g, ontology()) == set()


def test_a_list_that_says_it_all_has_no_inferred_statement():
    dl = ingest(ROOT / "data" / "raw" / "zhongwei-yunjisuan-2021.txt")
    _, g = map_list(dl, map_context(Settings(root=ROOT)))
    assert dl.inferred == {}
    assert not list(g.subjects(RDF.type, RDF.Statement))


# --- the words of a page ---------------------------------------------------------------------

@pytest.mark.parametrize("lines, bureau, where", [
    (["发布时间：2025-05-24 11:20 来源：澄溪县城市管理执法局"], "澄溪县城市管理执法局", "来源"),
    (["作者: | 來源:澄溪縣自然資源局 | 時間:2023-12-21 16:43:37 點擊數:-"], "澄溪縣自然資源局", "来源"),
    (["责任编辑:澄溪县政府办  文章来源:澄溪县政府办   发布日期:2020-07-18"], "澄溪县政府办", "文章来源"),
    (["索引号：", "0000/2023-001", "发布机构：", "澄溪县统计局", "成文日期：", "2023-05-10"],
     "澄溪县统计局", "发布机构"),
    (["发布机构", "澄溪县统计局"], "澄溪县统计局", "发布机构"),
    (["来源:澄溪县审计局 作者:澄溪县财政局"], "澄溪县审计局", "来源"),
    (["作者:澄溪县财政局", "[ 发布机构 ] 澄溪县审计局"], "澄溪县审计局", "发布机构"),
    (["来源: 澄溪县税务局 浏览次数"], "澄溪县税务局", "来源"),
])
def test_page_bureau_from_the_pages_lines(lines, bureau, where):
    found = page_bureau(parse_list_metadata(list(enumerate(lines, 1))), {})
    assert found is not None and (found.value, found.label, found.source) == (bureau, where, f"page {where}")


@pytest.mark.parametrize("lines", [["来源：", "首页"], ["来源:政 浏览量:"], ["来源:本网字体: [大 中 小]"],
                                   ["信息来源:凌源市"], ["作者:admin"]])
def test_page_bureau_none(lines):
    assert page_bureau(parse_list_metadata(list(enumerate(lines, 1))), {}) is None


def test_page_date_keeps_its_label():
    meta = parse_list_metadata([(1, "[ 成文日期 ] 2024-03-05 [ 发布日期 ] 2024-03-06")])
    found = page_date(meta, {})
    assert found is not None and found[0] == dt.date(2024, 3, 5) and found[1].source == "page 成文日期"
