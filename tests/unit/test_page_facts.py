"""The bureau and the date a list's page or document says outside its table.

A table that names no 责任单位 and no 填表时间 is often posted on a page that does (发布机构,
来源, 发布日期, ``<meta name=PubDate>`` …), or saved in a file whose properties do (company,
title, modified). Those facts are taken only when the table and its heading say nothing,
each with a warning and with where it came from (``DisclosureList.inferred``, and the
graph's provenance); ``--bureau`` / sources.csv win over everything.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from gongkai.readers.docx import read_docx
from gongkai.readers.grid import document_facts
from gongkai.readers.properties import china_day
from gongkai.readers.xlsx import read_xlsx

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
