"""The app's charts read as specifications: the coverage heat map labels every standard item
in the language chosen, turned and never dropped or cut; a chart's colours never repeat
(small categories drawn together as “other”); the graphs of the legal tracer are written
large enough to read at the width of the screen."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import pytest

from gongkai import standard_items
from gongkai.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "app"))

import charts  # noqa: E402
import graphview  # noqa: E402

STANDARD = standard_items(Settings(root=ROOT))


def _x_encodings(spec: dict[str, Any]) -> list[dict[str, Any]]:
    layers = spec.get("layer") or [spec]
    return [layer["encoding"]["x"] for layer in layers if "x" in layer.get("encoding", {})]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("n_bureaus", [3, 30])
def test_the_heat_map_labels_every_standard_item_in_the_language_chosen(lang: str, n_bureaus: int) -> None:
    assert len(STANDARD) >= 9
    labels = [it.title(lang) for it in STANDARD]
    other = [it.title("en" if lang == "zh" else "zh") for it in STANDARD]
    bureaus = [f"机构{i}" for i in range(n_bureaus)]
    covered = [[(i + j) % 3 == 0 for j in range(len(labels))] for i in range(n_bureaus)]
    spec = charts.coverage_heatmap(bureaus, labels, covered, present="有", missing="缺").to_dict()
    xs = _x_encodings(spec)
    assert {x["axis"]["orient"] for x in xs} == ({"top", "bottom"} if n_bureaus > 12 else {"top"})
    for x in xs:
        axis = x["axis"]
        assert axis["labelAngle"] == -45            # turned: each label needs a line's height beside the next
        assert axis["labelOverlap"] is False         # none hidden for lack of room
        assert all(charts.text_width(t) <= axis["labelLimit"] for t in labels), axis["labelLimit"]  # none cut
        assert x["sort"] == labels and x["scale"]["domain"] == labels  # every column, in the standard's order
    values = spec["data"]["values"]
    assert {v["item"] for v in values} == set(labels)
    assert not {v["item"] for v in values} & (set(other) - set(labels))  # the other language's titles are not drawn
    assert len(values) == n_bureaus * len(labels)
    assert sum(v["covered"] == "有" for v in values) == sum(map(sum, covered))
    assert spec["usermeta"]["embedOptions"]["renderer"] == "svg"   # labels drawn as text
    layer = (spec.get("layer") or [spec])[0]
    assert layer["encoding"]["y"]["sort"] == bureaus
    assert layer["encoding"]["color"]["scale"]["domain"] == ["有", "缺"]


def test_a_label_is_as_wide_as_its_text_chinese_characters_twice_a_latin_one() -> None:
    assert charts.text_width("政府信息公开指南") > charts.text_width("guide to")
    assert charts.text_width("政府信息公开指南", 12) >= 8 * 12
    assert charts.label_limit(["a" * 500]) == charts.MAX_LABEL
    assert charts.label_limit(["政府信息公开指南"], most=50) == 50


def _stacked(n_categories: int) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    cells = [{"bureau": f"机构{b}", "category": f"类别{c:02d}", "items": c + 1}
             for c in range(n_categories) for b in range(3)]
    chart = charts.stacked_bar(cells, "bureau", "items", "category", order=[f"机构{b}" for b in range(3)],
                               x_title="事项数", other="其他", tooltip=["bureau:N"])
    return chart.to_dict(), cells


@pytest.mark.parametrize("n", [1, 10, 16, len(charts.PALETTE)])
def test_each_category_has_a_colour_of_its_own(n: int) -> None:
    spec, _cells = _stacked(n)
    scale = spec["encoding"]["color"]["scale"]
    assert len(scale["domain"]) == len(scale["range"]) == n
    assert len(set(scale["range"])) == n
    assert charts.OTHER_COLOUR not in scale["range"]
    assert spec["encoding"]["color"]["legend"]["labelLimit"] >= charts.text_width("类别00")


def test_past_the_palette_the_smallest_categories_are_drawn_together_as_other_in_grey() -> None:
    n = len(charts.PALETTE) + 7
    spec, cells = _stacked(n)
    scale = spec["encoding"]["color"]["scale"]
    assert len(scale["domain"]) == len(scale["range"]) == len(charts.PALETTE)
    assert len(set(scale["range"])) == len(scale["range"])
    assert scale["domain"][-1] == "其他" and scale["range"][-1] == charts.OTHER_COLOUR
    kept = {f"类别{c:02d}" for c in range(n - len(charts.PALETTE) + 1, n)}  # the largest keep their name
    assert set(scale["domain"][:-1]) == kept
    values = spec["data"]["values"]
    assert sum(v["items"] for v in values) == sum(c["items"] for c in cells)  # nothing lost in the grouping
    assert len({(v["bureau"], v["category"]) for v in values}) == len(values)


def test_grouping_keeps_every_category_when_they_fit() -> None:
    totals = {f"c{i}": float(i) for i in range(5)}
    assert charts.group_small(totals, "other", colours=5) == {k: k for k in totals}
    grouped = charts.group_small(totals, "other", colours=3)
    assert grouped == {"c4": "c4", "c3": "c3", "c2": "other", "c1": "other", "c0": "other"}
    with pytest.raises(ValueError, match="group the small ones"):
        charts.colour_scale([f"c{i}" for i in range(len(charts.PALETTE) + 1)])


def test_bars_have_no_rows_title_and_show_every_row_label() -> None:
    rows = [{"k": f"第{i}类", "n": i} for i in range(20)]
    spec = charts.bar(rows, "k", "n", "事项数", ["k:N"]).to_dict()
    y = spec["encoding"]["y"]
    assert y["title"] is None and y["axis"]["labelOverlap"] is False
    assert y["axis"]["labelLimit"] <= charts.HALF_LABEL
    assert spec["height"] == {"step": charts.ROW}
    assert spec["encoding"]["x"]["title"] == "事项数"


# --- graphs -----------------------------------------------------------------------------------

def _rows(n_items: int, bureaus: int = 2) -> list[dict[str, str]]:
    return [{"bureau": f"某某市某某区人民政府办公室第{i % bureaus}处", "number": str(i + 1),
             "item": f"政府信息公开指南和政府信息公开制度之第{i}项", "version": "《某某条例》（2019年）",
             "article": "第二十条第一款", "itemIri": f"urn:item:{i}"} for i in range(n_items)]


def _labels(dot: str) -> list[str]:
    return [m.replace("\\n", "\n") for m in re.findall(r'label="((?:[^"\\]|\\.)*)"', dot)]


def _graph_attrs(dot: str) -> dict[str, str]:
    head = dot.splitlines()[1]
    return dict(re.findall(r'(\w+)="?([^";]+)"?;', head))


def test_a_trace_is_written_large_left_to_right_and_as_wide_as_the_screen() -> None:
    dot = graphview.trace_dot("《某某条例》", _rows(3))
    attrs = _graph_attrs(dot)
    assert attrs["rankdir"] == "LR"
    assert attrs["size"] == f"{graphview.WIDTH / 72:.1f},{graphview.MAX_HEIGHT}"
    assert graphview.MIN_RANKSEP <= float(attrs["ranksep"]) <= graphview.MAX_RANKSEP
    assert f"node [fontname=\"{graphview.FONT}\", fontsize={graphview.NODE_FONT}" in dot
    assert graphview.NODE_FONT >= 14 and graphview.EDGE_FONT >= 12
    for label in _labels(dot):
        for line in label.split("\n"):
            assert sum(graphview._cells(c) for c in line) <= graphview.LINE, line
    # a node is as wide as its longest line: Graphviz would draw Chinese text past its border
    for label, width in re.findall(r'label="((?:[^"\\]|\\.)*)", width=([\d.]+)', dot):
        lines = label.split("\\n")
        assert float(width) >= graphview._width(lines) - 0.01
    # the font sizes written are the ones the page draws
    for size in (graphview.NODE_FONT, graphview.EDGE_FONT):
        assert f'text[font-size="{size}.00"]{{font-size:{size}px}}' in graphview.GRAPH_CSS


def test_a_narrow_graph_is_spread_to_the_width_a_wide_one_is_not() -> None:
    narrow = float(_graph_attrs(graphview.trace_dot("《条例》", _rows(1, 1)))["ranksep"])
    wide = float(_graph_attrs(graphview.item_dot("1. 事项", [
        {"source": "《某某条例》（2019年）", "sourceIri": "urn:s", "article": "第二十条", "resolved": "是"}],
        {"urn:s": [f"《某某条例》 ({y}) 国务院令第{y}号" for y in range(2000, 2008)]}))["ranksep"])
    assert narrow > graphview.MIN_RANKSEP
    assert wide == graphview.MIN_RANKSEP


def test_many_items_fold_into_an_edge_per_bureau_and_version() -> None:
    dot = graphview.trace_dot("《某某条例》", _rows(graphview.MAX_ITEMS + 1), more_items="{n} 个事项")
    assert "21 个事项" in dot and "20 个事项" in dot
    assert not re.search(r"\bi\d+ \[", dot)  # no item nodes


def test_the_version_history_names_each_version_by_what_sets_it_apart() -> None:
    chain = ["《中华人民共和国政府信息公开条例》 (2007) 国务院令第492号",
             "《中华人民共和国政府信息公开条例》 (2019) 国务院令第711号"]
    dot = graphview.item_dot("1. 事项", [
        {"source": "《中华人民共和国政府信息公开条例》（2019年）", "sourceIri": "urn:a", "article": "第二十条",
         "resolved": "是"},
        {"source": "《只有一个版本的法》", "sourceIri": "urn:b", "article": "", "resolved": "是"}],
        {"urn:a": chain, "urn:b": ["《只有一个版本的法》 (2010)"]})
    labels = _labels(dot)
    assert "(2007)\n国务院令第492号" in labels and "(2019)\n国务院令第711号" in labels
    assert f'tooltip="{chain[0]}"' in dot              # the whole label on hovering
    assert "s0v0 -> s0v1" in dot and "s1v0" not in dot  # one version: no history drawn beside it
    assert _graph_attrs(dot)["rankdir"] == "LR"


def test_wrapped_labels_are_even_keep_numbers_whole_and_end_in_an_ellipsis_when_cut() -> None:
    assert graphview._wrap("中卫市云计算和大数据发展局") == ["中卫市云计算", "和大数据发展局"]
    assert "印发2021年政务公开" in graphview._wrap("《国务院办公厅关于印发2021年政务公开工作要点的通知》")
    assert graphview._wrap("annual report on government information disclosure")[0] == "annual report on"
    cut = graphview._wrap("很" * 100)
    assert len(cut) == 3 and cut[-1].endswith("…")
    assert graphview._wrap("") == [""]
