"""Mark cells and audience / mode text cells."""

from __future__ import annotations

import pytest

from gongkai.fields.marks import audience_from, mark_value, mode_from


@pytest.mark.parametrize("text", ["√", "✓", "✔", "■", "☑", "是", "●", "Y", "y",
                                  " √ ", "\n√\n", "Ｙ", "√√", "þ"])
def test_marked(text):
    assert mark_value(text) is True


@pytest.mark.parametrize("text", ["", " ", "\n", None, "□", "☐", "否", "×", " □ ", "口"])
def test_unmarked(text):
    assert mark_value(text) is False


@pytest.mark.parametrize("text", ["县级", "见附件", "全社会", "主动公开", "2", "√县级"])
def test_text_that_is_not_a_mark(text):
    assert mark_value(text) is None


@pytest.mark.parametrize("text,expected", [
    ("全社会", ["public"]),
    ("面向全社会", ["public"]),
    ("全社會", ["public"]),
    ("全社 会", ["public"]),
    ("特定群体", ["specific-groups"]),
    ("特定群众", ["specific-groups"]),
    ("特定群眾", ["specific-groups"]),
    ("全社会、特定群体", ["public", "specific-groups"]),
    ("特定群体 全社会", ["public", "specific-groups"]),
    ("", []),
    ("县级", []),
])
def test_audience_from(text, expected):
    assert audience_from(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("主动公开", ["active"]),
    ("主动", ["active"]),
    ("依申请公开", ["on-request"]),
    ("依申请", ["on-request"]),
    ("依申請公開", ["on-request"]),
    ("主动公开、依申请公开", ["active", "on-request"]),
    ("依申请公开/主动公开", ["active", "on-request"]),
    ("", []),
    ("政府网站", []),
])
def test_mode_from(text, expected):
    assert mode_from(text) == expected
