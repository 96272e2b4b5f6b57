"""cell-lines and space-text readers (fragment streams) and the refusal of run-together cells."""

from __future__ import annotations

from pathlib import Path

import pytest

from gongkai.errors import InputError
from gongkai.readers.cell_lines import (
    looks_like_cell_lines,
    looks_like_space_text,
    looks_like_undelimited,
    read_cell_lines,
    read_space_text,
    read_undelimited,
    run_together_headers,
)
from gongkai.readers.detect import detect_format, read_any

ROOT = Path(__file__).resolve().parents[2]
RAW = ROOT / "data" / "raw"
NODELIM = ROOT / "tests" / "fixtures" / "web_text" / "tianmen-chengguan-nodelim.txt"

BLOCKS = """# source: https://example.org/a.html
无障碍浏览

示例县标准目录

序号

公开事项

公开内容

(要素)

1

出生
登记

受理部门、办理条件
"""


def _write(tmp_path: Path, text: str, name: str = "list.txt") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_blocks_are_fragments_with_their_first_line(tmp_path):
    grid = read_cell_lines(_write(tmp_path, BLOCKS))
    assert grid.format == "cell-lines"
    assert grid.meta == {"source_url": "https://example.org/a.html", "stream": "fragments",
                         "collapsed_empty_cells": "possible"}
    pieces = [(r[0].line, r[0].text) for r in grid.rows]
    assert pieces == [(2, "无障碍浏览"), (4, "示例县标准目录"), (6, "序号"), (8, "公开事项"),
                      (10, "公开内容"), (12, "(要素)"), (14, "1"), (16, "出生\n登记"),
                      (19, "受理部门、办理条件")]


def test_blank_separated_cells(tmp_path):
    text = ("发布日期:2022-09-03\n序号 公开事项 公开内容 公开依据\n"
            "1 政策文件 与救灾有关的法律 《条例》(国令第711号) ■政府网站   □政府公报\n□两微一端\n")
    grid = read_space_text(_write(tmp_path, text))
    assert grid.format == "space-text"
    assert grid.preamble == [(1, "发布日期:2022-09-03")]
    assert [r[0].text for r in grid.rows][4:] == ["1", "政策文件", "与救灾有关的法律",
                                                  "《条例》(国令第711号)", "■政府网站", "□政府公报",
                                                  "□两微一端"]
    assert grid.rows[-1][0].line == 4


def test_space_text_without_a_header_line_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="no line of blank-separated column headers"):
        read_space_text(_write(tmp_path, "标题\n一 二 三\n"))


def test_run_together_headers():
    assert run_together_headers("公开事项公开内容(要素)公开依据公开对象") == [
        "公开事项", "公开内容(要素)", "公开依据", "公开对象"]
    assert run_together_headers("公开事项 公开内容 公开依据") == []      # separated: not this
    assert run_together_headers("机关信息机关简介机关职能") == []          # not headers
    assert run_together_headers("公开事项公开依据") == []                  # two are too few to tell


def test_run_together_cells_are_refused_naming_the_line():
    assert detect_format(NODELIM).format == "undelimited-text"
    with pytest.raises(InputError) as e:
        read_any(NODELIM)
    assert e.value.row == 5
    assert e.value.file == str(NODELIM)
    assert "run together without any delimiter" in str(e.value)
    assert "公开事项, 公开内容(要素), 公开依据, 公开对象" in str(e.value)
    with pytest.raises(InputError):
        read_undelimited(NODELIM)


def test_sniffers():
    assert looks_like_cell_lines(BLOCKS.encode())
    assert not looks_like_cell_lines("序号 | 公开事项 |\n公开内容 |\n".encode())
    assert looks_like_space_text("目录\n序号 公开事项 公开内容 公开依据\n".encode())
    assert not looks_like_space_text(BLOCKS.encode())
    assert looks_like_undelimited(NODELIM.read_bytes())
    assert not looks_like_undelimited(BLOCKS.encode())


@pytest.mark.parametrize("name, fmt", [
    ("saihan-zhongdajianshe.txt", "cell-lines"),
    ("tengchong-hehuazhen-shehuijiuzhu.txt", "cell-lines"),
    ("sunitezuoqi-jiaotong.txt", "cell-lines"),
    ("tez-huji.txt", "cell-lines"),
    ("jiayin-gonggongfalv.txt", "cell-lines"),
    ("nanjiang-ziranziyuan-spacesep.txt", "space-text"),
    ("fuliang-sanlong-jiuzai.txt", "space-text"),
])
def test_data_raw_lists_by_content(name, fmt):
    assert detect_format(RAW / name).format == fmt


def test_a_copy_without_extension_is_still_recognised(tmp_path):
    copy = tmp_path / "download"
    copy.write_bytes((RAW / "tez-huji.txt").read_bytes())
    assert detect_format(copy).format == "cell-lines"
