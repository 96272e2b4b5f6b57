"""HTML reader: table choice, span expansion, check boxes, preamble, encodings, source URL, bad pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from gongkai.errors import InputError
from gongkai.readers.assemble import expand
from gongkai.readers.grid import document_facts
from gongkai.readers.html import element_text, looks_like_html, read_html

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "formats"
LAYOUT = FIXTURES / "layout-rowspan.html"

HEADER_ROW = "<tr><th>序号</th><th>公开事项</th><th>公开内容</th><th>公开时限</th></tr>"


def _page(body: str, head: str = '<meta charset="utf-8">') -> str:
    return f"<!DOCTYPE html>\n<html><head>{head}</head>\n<body>\n{body}\n</body></html>\n"


def _write(tmp_path: Path, text: str, name: str = "page.html", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


# --- the committed fixture ----------------------------------------------------------------

def test_fixture_chooses_the_data_table_inside_the_layout_table():
    grid = read_html(LAYOUT)
    assert grid.format == "html"
    assert grid.texts() == [
        ["序号", "公开事项", "公开事项", "公开内容(要素)", "公开时限", "公开渠道和载体"],
        ["序号", "一级事项", "二级事项", "公开内容(要素)", "公开时限", "公开渠道和载体"],
        ["1", "政策文件", "规范性文件", "文件名称\n文号\n全文", "信息形成或变更之日起20个工作日内",
         "■ 政府网站 □ 两微一端"],
        ["2", "政策文件", "政策解读", "解读材料", "同上", "■政府网站□公开查阅点"],
    ]


def test_fixture_spans():
    grid = read_html(LAYOUT)
    spans = [[(c.rowspan, c.colspan, c.spanned) for c in row] for row in grid.rows]
    assert spans[0] == [(2, 1, False), (1, 2, False), (1, 1, True), (2, 1, False), (2, 1, False), (2, 1, False)]
    assert spans[1] == [(1, 1, True), (1, 1, False), (1, 1, False), (1, 1, True), (1, 1, True), (1, 1, True)]
    assert spans[2][1] == (2, 1, False)
    assert spans[3][1] == (1, 1, True)
    assert all(not c.spanned for c in grid.rows[3] if c.col != 1)
    for i, row in enumerate(grid.rows):
        assert [(c.row, c.col) for c in row] == [(i, j) for j in range(6)]


def test_fixture_lines_are_those_of_the_tr():
    grid = read_html(LAYOUT)
    assert [r[0].line for r in grid.rows] == [15, 19, 20, 26]


def test_fixture_preamble_and_meta():
    grid = read_html(LAYOUT)
    assert grid.preamble == [(10, "首页 > 政务公开"), (12, "示例县教育局基层政务公开标准目录"),
                             (13, "发布日期：2024-03-01 来源：示例县教育局")]
    assert grid.meta["source_url"] == "https://www.example.gov.cn/zwgk/jyj/bzml.html"
    assert grid.meta["title"] == "示例县教育局基层政务公开标准目录_示例县人民政府"
    assert grid.meta["encoding"] == "utf-8"


def test_fixture_is_recognised_by_content():
    assert looks_like_html(LAYOUT.read_bytes(), LAYOUT)


# --- span expansion --------------------------------------------------------------------------

def test_expand_rowspan_zero_and_short_rows():
    slots = expand([[("a", 0, 1), ("b", 1, 2)], [("c", 1, 1)], [("d", 1, 1), ("e", 1, 1)]])
    assert [[s.text for s in row] for row in slots] == [["a", "b", "b"], ["a", "c", ""], ["a", "d", "e"]]
    assert [[s.spanned for s in row] for row in slots] == [
        [False, False, True], [True, False, False], [True, False, False]]
    assert (slots[0][0].rowspan, slots[0][1].colspan) == (3, 2)


def test_expand_places_cells_after_a_rowspan_and_pads_to_the_widest_row():
    slots = expand([[("x", 2, 1), ("y", 1, 1)], [("z", 1, 1), ("w", 1, 1)]])
    assert [[s.text for s in row] for row in slots] == [["x", "y", ""], ["x", "z", "w"]]


def test_spans_beyond_the_table_are_clipped(tmp_path):
    body = f"<table>{HEADER_ROW}<tr><td rowspan='9'>1</td><td colspan='2'>概况</td><td>x</td></tr></table>"
    grid = read_html(_write(tmp_path, _page(body)))
    assert grid.texts()[1] == ["1", "概况", "概况", "x"]
    assert (grid.rows[1][0].rowspan, grid.rows[1][1].colspan) == (1, 2)


# --- text of cells ------------------------------------------------------------------------------

def test_element_text():
    import lxml.html

    cell = lxml.html.fragment_fromstring(
        "<td>  第一行<br>第二\n  行<p>段落</p><span style='display:none'>隐藏</span>"
        "<script>x()</script><input type='radio' checked>是 <input type='radio'>否</td>")
    assert element_text(cell) == "第一行\n第二 行\n段落\n■是 □否"


def test_nested_table_stays_in_its_cell(tmp_path):
    body = (f"<table>{HEADER_ROW}<tr><td>1</td><td>概况</td>"
            "<td><table><tr><td>职能</td><td>地址</td></tr><tr><td>电话</td></tr></table></td>"
            "<td>20日</td></tr></table>")
    grid = read_html(_write(tmp_path, _page(body)))
    assert grid.texts() == [["序号", "公开事项", "公开内容", "公开时限"], ["1", "概况", "职能 地址\n电话", "20日"]]


# --- choosing and continuing tables ---------------------------------------------------------------

def test_navigation_table_with_more_rows_loses_to_the_header(tmp_path):
    nav = "<table>" + "".join(f"<tr><td>栏目{i}</td><td>链接{i}</td></tr>" for i in range(30)) + "</table>"
    data = f"<table>{HEADER_ROW}<tr><td>1</td><td>概况</td><td>职能</td><td>20日</td></tr></table>"
    grid = read_html(_write(tmp_path, _page(nav + data)))
    assert grid.texts()[0] == ["序号", "公开事项", "公开内容", "公开时限"]
    assert len(grid.rows) == 2
    # the navigation precedes the table: it is preamble, one line per cell
    assert grid.preamble[0][1] == "栏目0"


def test_tables_repeating_the_header_are_concatenated(tmp_path):
    body = (f"<table>{HEADER_ROW}<tr><td>1</td><td>a</td><td>b</td><td>c</td></tr></table>"
            "<p>第 1 页</p>"
            f"<table>{HEADER_ROW}<tr><td>2</td><td>d</td><td>e</td><td>f</td></tr></table>"
            "<table><tr><td>版权所有</td></tr></table>")
    grid = read_html(_write(tmp_path, _page(body)))
    assert [r[0].text for r in grid.rows] == ["序号", "1", "序号", "2"]
    assert [(c.row, c.col) for c in grid.rows[3]] == [(3, j) for j in range(4)]


def test_header_in_a_table_of_its_own(tmp_path):
    body = (f"<table class='thead'>{HEADER_ROW}</table>"
            "<table class='tbody'><tr><td>1</td><td>a</td><td>b</td><td>c</td></tr>"
            "<tr><td>2</td><td>d</td><td>e</td><td>f</td></tr></table>")
    grid = read_html(_write(tmp_path, _page(body)))
    assert [r[0].text for r in grid.rows] == ["序号", "1", "2"]


def test_tables_going_on_without_the_header_are_concatenated_while_the_numbers_go_on(tmp_path):
    body = (f"<table>{HEADER_ROW}<tr><td>1</td><td>a</td><td>b</td><td>c</td></tr></table>"
            "<p>第 1 页</p>"
            "<table><tr><td>2</td><td>d</td><td>e</td><td>f</td></tr></table>"
            "<table><tr><td>3</td><td>g</td><td>h</td><td>i</td></tr></table>"
            "<table><tr><td>7</td><td>x</td><td>y</td><td>z</td></tr></table>")   # not the next number
    grid = read_html(_write(tmp_path, _page(body)))
    assert [r[0].text for r in grid.rows] == ["序号", "1", "2", "3"]


def test_a_different_table_after_it_is_not_appended(tmp_path):
    body = (f"<table>{HEADER_ROW}<tr><td>1</td><td>a</td><td>b</td><td>c</td></tr></table>"
            "<table><tr><td>联系电话</td><td>123</td><td>地址</td><td>某路</td></tr></table>")
    grid = read_html(_write(tmp_path, _page(body)))
    assert len(grid.rows) == 2


# --- encodings and source ------------------------------------------------------------------------

def test_declared_gbk_is_read_as_gb18030(tmp_path):
    body = f"<table>{HEADER_ROW}<tr><td>1</td><td>概况</td><td>职能</td><td>20日</td></tr></table>"
    page = _page(body, head='<meta http-equiv="Content-Type" content="text/html; charset=gb2312">')
    grid = read_html(_write(tmp_path, page, encoding="gb18030"))
    assert grid.meta["encoding"] == "gb18030"
    assert grid.texts()[1] == ["1", "概况", "职能", "20日"]


def test_undeclared_gbk_falls_back_to_gb18030(tmp_path):
    body = f"<table>{HEADER_ROW}<tr><td>1</td><td>概况</td><td>职能</td><td>20日</td></tr></table>"
    grid = read_html(_write(tmp_path, _page(body, head=""), encoding="gbk"))
    assert grid.meta["encoding"] == "gb18030"
    assert grid.texts()[0][1] == "公开事项"


def test_wrong_declaration_is_noticed(tmp_path):
    body = f"<table>{HEADER_ROW}</table>"
    grid = read_html(_write(tmp_path, _page(body, head='<meta charset="utf-8">'), encoding="gbk"))
    assert grid.meta["encoding"] == "gb18030"
    assert grid.texts()[0][0] == "序号"


def test_source_line_wins_and_keeps_line_numbers(tmp_path):
    page = ("# source: https://a.example/list\n"
            + _page(f"<table>\n{HEADER_ROW}\n</table>",
                    head='<meta name="source" content="https://b.example/x">'))
    grid = read_html(_write(tmp_path, page))
    assert grid.meta["source_url"] == "https://a.example/list"
    assert grid.rows[0][0].line == 6


def test_meta_source_and_saved_from_mark(tmp_path):
    page = _page(f"<table>{HEADER_ROW}</table>", head='<meta name="source" content="https://b.example/x">')
    assert read_html(_write(tmp_path, page, "a.html")).meta["source_url"] == "https://b.example/x"
    saved = "<!-- saved from url=(0026)https://c.example/list.htm -->\n" + _page(f"<table>{HEADER_ROW}</table>")
    assert read_html(_write(tmp_path, saved, "b.html")).meta["source_url"] == "https://c.example/list.htm"


# --- bad pages -------------------------------------------------------------------------------------

def test_no_table_in_the_page(tmp_path):
    path = _write(tmp_path, _page("<h1>政务公开</h1><p>目录见附件。</p>"), "notable.html")
    with pytest.raises(InputError) as e:
        read_html(path)
    assert e.value.reason == "no table in the page"
    assert str(path) in str(e.value)


def test_png_renamed_html(tmp_path):
    path = tmp_path / "page.html"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(InputError, match="not a web page: the content is a PNG image"):
        read_html(path)


def test_empty_page(tmp_path):
    path = _write(tmp_path, " \n", "empty.html")
    with pytest.raises(InputError, match="the file is empty"):
        read_html(path)


def test_undecodable_page(tmp_path):
    path = tmp_path / "bad.html"
    path.write_bytes(_page("<table><tr><td>x</td></tr></table>", head="").encode() + b"\x80\xff")
    with pytest.raises(InputError, match="not valid text"):
        read_html(path)


# --- detection --------------------------------------------------------------------------------------

@pytest.mark.parametrize("data, expected", [
    (b"<!DOCTYPE html><html><body></body></html>", True),
    (b"\xef\xbb\xbf\n  <html><body><table></table></body></html>", True),
    ("# source: https://a.example/\n<table><tr><td>序号</td></tr></table>".encode(), True),
    (b'<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml"></html>', True),
    ("序号\t公开事项\t公开内容\n1\t<input checked type=\"checkbox\"/> 网站\tx\n".encode(), False),
    ("序号,公开事项\n1,概况\n".encode(), False),
    (b"\x89PNG\r\n\x1a\n<html>", False),
])
def test_looks_like_html(data, expected):
    assert looks_like_html(data) is expected


def test_word_document_renamed_html(tmp_path):
    import docx

    path = tmp_path / "page.html"
    docx.Document().save(path)
    with pytest.raises(InputError, match="not a web page: the content is a Word document"):
        read_html(path)


def test_gbk_bytes_behind_a_utf8_mark(tmp_path):
    page = _page(f"<table>{HEADER_ROW}</table>", head="")
    path = tmp_path / "mark.html"
    data = b"\xef\xbb\xbf" + page.encode("gbk")
    path.write_bytes(data)
    with pytest.raises(InputError) as e:
        read_html(path)
    assert f"offset {3 + page.encode('gbk').index('序'.encode('gbk'))}" in e.value.reason
    assert str(path) in str(e.value)


def test_source_comment_beats_canonical_link(tmp_path):
    page = ("<!-- source: https://d.example/list -->\n"
            + _page(f"<table>{HEADER_ROW}</table>", head='<link rel="canonical" href="https://e.example/">'))
    assert read_html(_write(tmp_path, page)).meta["source_url"] == "https://d.example/list"


# --- saved pages with a site's navigation around the table (tests/fixtures/pages) ----------------

PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "pages"
CHROME = PAGES / "chrome-nested-split.html"
CHROME_HEADER = ["序号", "公开事项", "公开事项", "公开内容（要素）", "公开依据", "公开时限", "公开主体",
                 "公开渠道和载体", "公开对象", "公开对象", "公开方式", "公开方式"]


def test_saved_page_reads_the_list_among_menus_breadcrumb_index_and_footer_tables():
    grid = read_html(CHROME)
    texts = grid.texts()
    assert texts[0] == CHROME_HEADER
    assert [r[0] for r in texts[2:]] == ["1", "2", "3"]          # the list goes on in a second table
    assert texts[4][1:3] == ["药品经营", "零售许可"]
    assert grid.warnings == []
    lines = [t for _, t in grid.preamble]
    assert "当前位置：首页 > 政务公开 > 基层政务公开 > 食品药品监管" in lines
    assert "食品药品监管领域基层政务公开标准目录" in lines
    assert not any("主办单位" in t or "网站标识码" in t for t in lines)     # the footer is after the list
    assert grid.meta["source_url"] == "http://www.chengxi.example.gov.cn/zwgk/jczwgk/spyp/202305/t20230512_88.html"


def test_saved_page_in_gbk_reads_the_same(tmp_path):
    text = CHROME.read_text(encoding="utf-8").replace("charset=UTF-8", "charset=gb2312")
    grid = read_html(_write(tmp_path, text, "gbk.html", encoding="gb18030"))
    assert grid.meta["encoding"] == "gb18030"
    assert grid.texts() == read_html(CHROME).texts()


def test_meta_tags_of_government_sites_are_the_documents_facts():
    meta = read_html(CHROME).meta
    assert document_facts(meta) == {
        "title": ("食品药品监管领域基层政务公开标准目录", "<meta name=ArticleTitle>"),
        "published": ("2023-05-12 09:30", "<meta name=PubDate>"),
        "publisher": ("澄溪县市场监督管理局", "<meta name=ContentSource>"),
        "author": ("澄溪县市场监督管理局", "<meta name=Author>"),
        "site": ("澄溪县人民政府", "<meta name=SiteName>"),
    }


def test_other_meta_names_and_the_title(tmp_path):
    head = ('<meta charset="utf-8"><title>目录_某站</title><meta property="og:site_name" content="示例站">'
            '<meta name="firstpublishedtime" content="2021-02-03-10:00:00"><meta name="author" content="">')
    meta = read_html(_write(tmp_path, _page(f"<table>{HEADER_ROW}</table>", head=head))).meta
    assert document_facts(meta) == {"title": ("目录_某站", "<title>"), "site": ("示例站", "<meta name=og:site_name>"),
                                    "published": ("2021-02-03-10:00:00", "<meta name=firstpublishedtime>")}


ROW = "<tr><td>{n}</td><td>概况</td><td>职能</td><td>20日</td>{extra}</tr>"


def test_a_continuation_pasted_with_an_empty_column_at_its_end_is_appended(tmp_path):
    body = (f"<table>{HEADER_ROW}{ROW.format(n=1, extra='')}{ROW.format(n=2, extra='')}</table>"
            f"<p>（续表）</p><table>{ROW.format(n=3, extra='<td></td>')}</table>")
    grid = read_html(_write(tmp_path, _page(body)))
    assert [r[0].text for r in grid.rows] == ["序号", "1", "2", "3"]
    assert {len(r) for r in grid.rows} == {4}
    assert grid.warnings == []


def test_a_header_repeated_with_an_empty_column_at_its_end_is_the_same_header(tmp_path):
    wide_header = HEADER_ROW.replace("</tr>", "<th></th></tr>")
    body = (f"<table>{HEADER_ROW}{ROW.format(n=1, extra='')}</table>"
            f"<table>{wide_header}{ROW.format(n=2, extra='<td></td>')}</table>")
    grid = read_html(_write(tmp_path, _page(body)))
    assert [r[0].text for r in grid.rows] == ["序号", "1", "序号", "2"]


def test_a_continuation_with_other_columns_is_not_appended_and_said(tmp_path):
    body = (f"<table>{HEADER_ROW}{ROW.format(n=1, extra='')}</table>\n"
            f"<table>{ROW.format(n=2, extra='<td>另一列</td>')}</table>")
    grid = read_html(_write(tmp_path, _page(body)))
    assert [r[0].text for r in grid.rows] == ["序号", "1"]
    assert grid.warnings == [("a table after the list (line 5) goes on with it but has 5 columns instead "
                              "of 4: its 1 row was not read")]
