"""The text-table reader: tab-separated PDF extractions → CellGrid."""

from __future__ import annotations

from pathlib import Path

import pytest

from gongkai.errors import InputError
from gongkai.readers.text_table import looks_like_text_table, read_text_table

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "data" / "raw" / "zhongwei-yunjisuan-2021.txt"
FIXTURES = ROOT / "tests" / "fixtures" / "text"


def test_seed_rows_keep_positions_lines_and_empty_cells():
    grid = read_text_table(SEED)
    assert grid.format == "text-table"
    assert grid.source == str(SEED)
    first = grid.rows[0]
    assert first[0].line == 9
    assert [c.text for c in first][:3] == ["序号", "公开事项", ""]
    assert len(first) == 14
    # every cell knows its grid row, column and source line
    for r, row in enumerate(grid.rows):
        for c, cell in enumerate(row):
            assert (cell.row, cell.col) == (r, c)
            assert cell.line == row[0].line
    # the row after the first page break: line 14, the time-limit fragment at column 5
    row14 = next(row for row in grid.rows if row[0].line == 14)
    assert row14[5].text == "另有规定的,从其规定)"
    assert all(cell.empty for cell in row14[:5])
    # rows keep their own width (13 cells on lines 19-21)
    assert [len(row) for row in grid.rows if row[0].line in (19, 20, 21)] == [13, 13, 13]
    assert len(grid.rows) == 25


def test_seed_preamble_is_the_non_table_lines():
    grid = read_text_table(SEED)
    assert [n for n, _ in grid.preamble] == [3, 5, 7]
    assert grid.preamble[0][1] == "中卫市云计算和大数据发展局政务公开清单目录"
    assert grid.preamble[1][1].startswith("责任单位: 中卫市云计算和大数据发展局 填表人: 王晓芹")
    assert "二级事项 18 项" in grid.preamble[2][1]


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("*.txt")))
def test_fixtures_are_text_tables_with_metadata_preamble(name):
    path = FIXTURES / name
    grid = read_text_table(path)
    assert grid.rows
    preamble = " ".join(t for _, t in grid.preamble)
    for label in ("责任单位", "填表人", "复核人", "审签人", "填表时间", "主动公开一级事项"):
        assert label in preamble
    assert looks_like_text_table(path.read_text(encoding="utf-8"))


def test_bom_crlf_form_feed_and_source_line(tmp_path):
    p = tmp_path / "t.txt"
    p.write_bytes("\ufeff# source: https://example.org/list\r\n标题\r\n\x0c序号\t公开内容\r\n1\t内容\r\n"
                  .encode("utf-8"))
    grid = read_text_table(p)
    assert grid.meta == {"source_url": "https://example.org/list"}
    assert grid.preamble == [(2, "标题")]
    assert [[c.text for c in row] for row in grid.rows] == [["序号", "公开内容"], ["1", "内容"]]
    assert [row[0].line for row in grid.rows] == [3, 4]


def test_a_gbk_table_is_read_like_its_utf8_twin(tmp_path):
    text = "标题\n序号\t公开内容\t公开时限\n1\t机构职能\t20个工作日内\n"
    utf8, gbk = tmp_path / "utf8.txt", tmp_path / "gbk.txt"
    utf8.write_text(text, encoding="utf-8")
    gbk.write_bytes(text.encode("gb18030"))
    grids = [read_text_table(p) for p in (utf8, gbk)]
    assert [[c.text for c in row] for row in grids[1].rows] == [["序号", "公开内容", "公开时限"],
                                                                 ["1", "机构职能", "20个工作日内"]]
    assert [[(c.text, c.line) for c in r] for r in grids[1].rows] == \
        [[(c.text, c.line) for c in r] for r in grids[0].rows]
    assert grids[1].preamble == [(1, "标题")]


@pytest.mark.parametrize(("data", "reason"), [
    (b"", "empty"),
    (b"  \n\n\t\n", "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "not a text file"),
    (b"\xe5\xba\x8f\t\x80\x80\n1\t\x80\n", "nor in GB18030"),
    ("只有标题\n没有表格\n".encode(), "no tab-separated table rows"),
])
def test_bad_files_raise_input_error_naming_the_file(tmp_path, data, reason):
    p = tmp_path / "bad.txt"
    p.write_bytes(data)
    with pytest.raises(InputError) as e:
        read_text_table(p)
    assert e.value.file == str(p)
    assert reason in e.value.reason
    assert str(p) in str(e.value)


def test_missing_file_raises_input_error(tmp_path):
    p = tmp_path / "nope.txt"
    with pytest.raises(InputError) as e:
        read_text_table(p)
    assert "cannot read" in e.value.reason


def test_detection():
    assert looks_like_text_table(SEED.read_text(encoding="utf-8")[:2000])
    pipe = "序号 | 公开事项 | 公开内容\n1 | 机构信息 | 职能\n2 | 领导信息 | 姓名\n"
    assert not looks_like_text_table(pipe)
    html = "<html>\n<table>\n\t\t<tr><td>序号</td></tr>\n\t\t<tr><td>1</td></tr>\n</table>"
    assert not looks_like_text_table(html)
    assert not looks_like_text_table("序号\t公开事项\t公开内容\n")   # one row is not a table
    assert not looks_like_text_table("")
    assert not looks_like_text_table("a\tb\tc\x00\na\tb\tc\n")
