"""Text copies of web tables in the shapes publishers' pages give: each fixture under
tests/fixtures/web_text/ keeps the shape of a real page with invented content."""

from __future__ import annotations

from pathlib import Path

from gongkai.readers.detect import read_any
from gongkai.tabulate.rows import RawTable
from gongkai.tabulate.table import tabulate

WEB_TEXT = Path(__file__).resolve().parents[1] / "fixtures" / "web_text"
NAMES = ("number", "level1", "level2", "content", "legal_basis", "time_limit", "publisher", "channels")


def table(name: str) -> RawTable:
    return tabulate(read_any(WEB_TEXT / name))


def fields(t: RawTable, *roles: str) -> list[tuple[str, ...]]:
    return [tuple(r.values.get(role, "") for role in roles) for r in t.rows]


# --- pipe text ------------------------------------------------------------------------------

def test_pipe_rows_whose_last_cells_go_on_on_the_lines_below():
    """A row written on one line up to its first mark, its other mark cells on lines of
    their own ('| √ |'), under a header line that is shorter than a row."""
    t = table("pipe-row-over-lines.txt")
    assert fields(t, *NAMES)[:2] == [
        ("1", "场馆开放", "开放时间", "场馆名称、开放时段、闭馆安排",
         "《公共文化服务保障法》、《政府信息公开条例》", "信息形成或者变更之日起20个工作日内",
         "县文化馆", "■政府网站 ■公示栏"),
        ("2", "活动信息", "讲座预告", "讲座主题、主讲人、举办时间和地点", "《公共图书馆法》",
         "活动举办前5个工作日", "县图书馆", "■政府网站 ■两微一端"),
    ]
    # the mark cells keep their columns: the empty cells before them are kept by the copy
    assert fields(t, "audience_public", "audience_specific", "mode_active", "mode_request",
                  "level_county", "level_township")[:2] == [("√", "", "√", "", "√", "")] * 2
    # the page ends inside row 3: kept as it is, said to be cut
    assert fields(t, "number", "level1", "level2", "content")[2] == ("3", "活动信息", "展览预告",
                                                                    "展览名称、展期、")
    assert any("ends inside" in w for w in t.rows[2].warnings)


def test_pipe_rows_one_a_line_some_lacking_the_cell_merged_from_above():
    """Whole rows on one line each, ending with ' |', empty mark cells kept; row 2 lacks
    the 一级事项 cell merged from row 1, so rows differ in width."""
    t = table("pipe-rows-lacking-merged-cells.txt")
    assert fields(t, *NAMES) == [
        ("1", "政策文件", "地方性法规", "本县涉及文旅领域的地方性法规", "《政府信息公开条例》",
         "信息形成(变更)20个工作日内", "县文旅局", "■政府网站 ■公示栏"),
        ("2", "政策文件", "规范性文件", "本县涉及文旅领域的规范性文件", "《政府信息公开条例》",
         "信息形成(变更)20个工作日内", "县文旅局", "■政府网站"),
        ("3", "场馆服务", "开放时间", "各场馆开放时段和预约方式", "《公共文化服务保障法》",
         "实时公开", "县文化馆", "■政府网站 ■两微一端"),
    ]
    assert "level1" in t.rows[1].carried
    assert fields(t, "audience_public", "audience_specific", "mode_active", "mode_request") == [
        ("√", "", "√", "")] * 3


def test_a_cell_stream_with_rows_of_any_length_is_cut_at_the_item_numbers():
    """One cell per line ending ' |': a header of two rows with a sub-header the vocabulary
    does not know (片区级), a row lacking its merged cell, a cell without its bar, an empty
    numbered row written as one line of bars, and the page ending inside a row."""
    t = table("cell-stream-rows-of-any-length.txt")
    assert fields(t, *NAMES) == [
        ("1", "政策文件", "地方规章", "涉及养老服务的地方规章", "《政府信息公开条例》",
         "信息形成(变更)20个工作日内", "镇人民政府", "■政府网站 ■公示栏"),
        ("2", "政策文件", "规范性文件", "涉及养老服务的规范性文件", "《政府信息公开条例》",
         "信息形成(变更)20个工作日内", "镇人民政府", "■政府网站"),
        ("4", "服务机构", "机构名录", "养老机构名称、地址、床位数", "《养老机构管理办法》",
         "信息形成之日起20个工作日内", "镇民政办", "■政府网站 ■公示栏"),
        ("5", "补贴发放", "高龄补贴", "补贴对象、标准、发放结果", "", "", "", ""),
    ]
    # the sub-header not known is a column of the header (the last but one), not the first row
    assert len(t.roles) == 14
    assert fields(t, *t.roles[-2:])[:2] == [("√", "√"), ("√", "")]
    assert any("row 3 holds nothing but its number" in w for w in t.warnings)
    assert any("ends inside" in w for w in t.rows[-1].warnings)
