"""MHTML reader: a page saved by a browser as one file reads as the page itself."""

from __future__ import annotations

import base64
import quopri
from pathlib import Path

import pytest

from gongkai.errors import InputError
from gongkai.ingest import ingest_file
from gongkai.readers.detect import detect_format
from gongkai.readers.grid import document_facts
from gongkai.readers.html import read_html
from gongkai.readers.mhtml import looks_like_mhtml, read_mhtml

PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "pages"
SAVED = PAGES / "saved-by-browser.mhtml"
CHROME = PAGES / "chrome-nested-split.html"
URL = "http://www.chengxi.example.gov.cn/zwgk/a.html"


def _archive(parts: list[tuple[str, str, bytes]], *, start: str | None = None,
             headers: str = "From: <Saved by Blink>\r\n") -> bytes:
    """A multipart/related message of (content type, transfer encoding, payload) parts."""
    boundary = "----=_NextPart_000_0000_01D9A1B2.C3D4E5F0"
    head = headers + "MIME-Version: 1.0\r\n"
    head += f'Content-Type: multipart/related;\r\n\ttype="text/html";\r\n\tboundary="{boundary}"'
    head += f';\r\n\tstart="<{start}>"\r\n\r\n' if start else "\r\n\r\n"
    out = [head.encode("ascii")]
    for n, (ctype, encoding, payload) in enumerate(parts):
        body = (quopri.encodestring(payload) if encoding == "quoted-printable"
                else base64.encodebytes(payload)).replace(b"\n", b"\r\n")
        out.append(f"--{boundary}\r\nContent-Type: {ctype}\r\nContent-Transfer-Encoding: {encoding}\r\n"
                   f"Content-ID: <part{n}>\r\nContent-Location: {URL if n == 0 else f'{URL}#{n}'}\r\n\r\n"
                   .encode("ascii") + body + b"\r\n")
    out.append(f"--{boundary}--\r\n".encode("ascii"))
    return b"".join(out)


def _write(tmp_path: Path, data: bytes, name: str = "page.mhtml") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_a_page_saved_by_chrome():
    grid = read_mhtml(SAVED)
    assert grid.format == "mhtml"
    assert grid.texts()[2] == ["1", "最低生活保障", "政策法规", "法规名称、文号", "《社会救助暂行办法》",
                               "信息形成或变更之日起20个工作日内", "县级民政部门", "■政府网站 ■公开查阅点"]
    assert len(grid.rows) == 4
    assert grid.meta["source_url"] == "http://www.chengxi.example.gov.cn/mzj/zwgk/bzml/202211/t20221108_501.html"
    assert ("10", "来源：澄溪县民政局 发布时间：2022-11-08 点击数：356") in [(str(n), t) for n, t in grid.preamble]
    assert document_facts(grid.meta)["title"] == ("社会救助领域基层政务公开标准目录_澄溪县民政局", "<title>")


def test_the_saved_archive_is_recognised_by_content_whatever_its_name(tmp_path):
    assert detect_format(SAVED).format == "mhtml"
    renamed = _write(tmp_path, SAVED.read_bytes(), "list.html")
    assert detect_format(renamed).format == "mhtml"
    dl = ingest_file(renamed, bureau="澄溪县民政局", resolve=False)
    assert [it.level2 for it in dl.items] == ["政策法规", "办事指南"]
    assert dl.source_format == "mhtml"


@pytest.mark.parametrize("encoding, charset, ctype", [
    ("quoted-printable", "utf-8", "text/html"),                     # Chrome, Edge
    ("base64", "gb18030", 'text/html; charset="gb2312"'),           # Internet Explorer, WPS (.mht)
    ("quoted-printable", "gb18030", "text/html; charset=gbk"),
])
def test_an_archive_reads_as_its_page(tmp_path, encoding, charset, ctype):
    page = CHROME.read_text(encoding="utf-8")
    if charset != "utf-8":
        page = page.replace('content="text/html; charset=UTF-8"', 'content="text/html; charset=gb2312"')
    css = ("text/css", "quoted-printable", b"td{border:1px solid}")
    path = _write(tmp_path, _archive([(ctype, encoding, page.encode(charset)), css]), "page.mht")
    grid = read_mhtml(path)
    html = read_html(CHROME)
    assert grid.texts() == html.texts()
    assert [t for _, t in grid.preamble] == [t for _, t in html.preamble]
    assert grid.meta["source_url"] == URL                       # the archive's address wins
    assert document_facts(grid.meta) == document_facts(html.meta)


def test_the_list_in_a_frame_of_the_page(tmp_path):
    outer = b"<html><head><title>t</title></head><body><iframe src='list.html'></iframe></body></html>"
    frame = CHROME.read_bytes()
    grid = read_mhtml(_write(tmp_path, _archive([("text/html", "quoted-printable", outer),
                                                 ("text/html", "base64", frame)])))
    assert grid.texts() == read_html(CHROME).texts()
    assert grid.meta["source_url"] == URL


def test_the_part_named_by_start_is_the_page(tmp_path):
    other = CHROME.read_text(encoding="utf-8").replace("生产许可", "另一页").encode()    # a frame as good as the page
    data = _archive([("text/html", "quoted-printable", other), ("text/html", "quoted-printable", CHROME.read_bytes())],
                    start="part1")
    assert read_mhtml(_write(tmp_path, data)).texts()[2][2] == "生产许可"


def test_subject_is_the_title_when_the_page_has_none(tmp_path):
    page = "<html><body><table><tr><th>序号</th><th>公开内容</th></tr></table></body></html>".encode()
    headers = "Subject: =?utf-8?B?" + base64.b64encode("示例局政府信息公开目录".encode()).decode() + "?=\r\n"
    grid = read_mhtml(_write(tmp_path, _archive([("text/html; charset=utf-8", "base64", page)], headers=headers)))
    assert document_facts(grid.meta)["title"] == ("示例局政府信息公开目录", "archive Subject")


def test_an_archive_without_a_page(tmp_path):
    path = _write(tmp_path, _archive([("image/png", "base64", b"\x89PNG\r\n\x1a\n")]))
    with pytest.raises(InputError, match="holds no page"):
        read_mhtml(path)


def test_an_archive_whose_page_has_no_table(tmp_path):
    path = _write(tmp_path, _archive([("text/html", "quoted-printable", "<p>目录见附件</p>".encode())]))
    with pytest.raises(InputError, match="no table in the page"):
        read_mhtml(path)


@pytest.mark.parametrize("head, expected", [
    (SAVED.read_bytes()[:4096], True),
    (b"MIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<html></html>", True),
    (b"From: a@example.org\r\nContent-Type: text/plain\r\nMIME-Version: 1.0\r\n\r\nhello", False),
    (b"<html><head></head><body>Content-Type: multipart/related</body></html>", False),
    ("序号: 1\n公开事项: 概况\n\n".encode(), False),
    (b"Content-Type: multipart/related; boundary=x\r\n", False),       # no end of the headers
])
def test_looks_like_mhtml(head, expected):
    assert looks_like_mhtml(head) is expected
