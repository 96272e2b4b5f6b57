"""Where a table starts: the header row, what precedes it, and a ``# source:`` line.

Readers know file formats, not disclosure lists, but a workbook with several sheets or a
web page with several tables forces them to choose, and the only sign of the data table
is its header. So the readers share this one measure: how many cells of a row are known
column headers. The header wording itself lives in :mod:`gongkai.columns` (the tabulator's
vocabulary), so that the reader and the tabulator can never disagree about what a header
looks like, and a new wording added there is recognised here too.

Rows above the header (a title, the 责任单位 / 填表人 line, declared counts) are moved to
the grid's preamble as ``(line, text)`` so that the metadata parser sees them in the same
form whatever the file format.

Some lists give a column's value once for all their items, in the heading rather than in
the table (the Guangdong 基本目录: ``【公开时限】政府信息形成或变更之日起20个工作日内``,
``(三)公开方式：本局网站``): :func:`list_wide_values` finds them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from gongkai.columns import MODE_WORDS, is_header_text, item_number, role_for_header
from gongkai.text import clean, fold, key, simplify

#: how far down a sheet or a table the header is looked for
HEADER_SEARCH_ROWS = 15

# "# source: URL" on a line of its own: where a saved copy came from
_SOURCE_LINE = re.compile(r"^\s*#\s*source\s*:\s*(\S+)\s*$", re.IGNORECASE)


def _is_header_text(text: str) -> bool:
    return is_header_text(text)


def header_score(texts: Sequence[str]) -> int:
    """The number of distinct known column headers among a row's cell texts.

    Distinct, because an expanded merged header (公开事项 over two columns) is one header.

    >>> header_score(["序号", "公开事项", "公开事项", "公开 内容", "说明文字"])
    3
    """
    seen: set[str] = set()
    for t in texts:
        k = key(t)
        if k and k not in seen and _is_header_text(t):
            seen.add(k)
    return len(seen)


def _is_header_row(texts: Sequence[str]) -> bool:
    """At least two known headers making up at least half of the row's distinct texts.

    The second condition keeps a preamble row such as ``责任单位 | X局 | 填表人 | 张三``
    (责任单位 is also a column header) from being taken for the header.
    """
    distinct = {key(t) for t in texts if t and t.strip()}
    score = header_score(texts)
    return score >= 2 and 2 * score >= len(distinct)


def header_row_index(rows: Sequence[Sequence[str]], limit: int = HEADER_SEARCH_ROWS) -> int | None:
    """Index of the first row among the first ``limit`` that looks like a header, or None."""
    for i, texts in enumerate(rows[:limit]):
        if _is_header_row(texts):
            return i
    return None


def continues_numbering(rows: Sequence[Sequence[str]], header: int | None,
                        more: Sequence[Sequence[str]]) -> bool:
    """True when ``more``, a table without a header, goes on with the item numbers of
    ``rows`` (whose header row is ``rows[header]``): the first number in its 序号 column is
    the last one of ``rows`` (an item going on over the break) or the next one. A table
    re-started on each page without its header is taken for the rest of the list only then:
    a layout or contact table of as many columns is not.

    >>> continues_numbering([["序号", "公开内容"], ["1", "a"], ["2", "b"]], 0, [["3", "c"]])
    True
    >>> continues_numbering([["序号", "公开内容"], ["1", "a"]], 0, [["联系电话", "123"]])
    False
    """
    if header is None:
        return False
    col = next((j for j, t in enumerate(rows[header]) if role_for_header(t) == "number"), None)
    if col is None:
        return False
    numbers = [item_number(r[col]) for r in rows[header + 1:] if col < len(r)]
    last = next((n for n in reversed(numbers) if n is not None), None)
    first = next((r[col] for r in more if col < len(r) and r[col].strip()), "")
    return last is not None and item_number(first) in (last, last + 1)


def table_score(rows: Sequence[Sequence[str]], limit: int = HEADER_SEARCH_ROWS) -> int:
    """How much a table looks like a disclosure table: its best header score near the top."""
    return max((header_score(r) for r in rows[:limit]), default=0)


def joined(texts: Sequence[str]) -> str:
    """A preamble line made of a row's non-empty cells, in order, each once.

    Merged title cells expanded across a row would otherwise repeat the title.
    """
    out: list[str] = []
    for text in texts:
        t = " ".join(text.split())
        if t and (not out or out[-1] != t):
            out.append(t)
    return " ".join(out)


def source_url(line: str) -> str | None:
    """The URL of a ``# source: URL`` line, or None.

    >>> source_url("# source: https://example.org/list.html")
    'https://example.org/list.html'
    """
    m = _SOURCE_LINE.match(line)
    return m.group(1) if m else None


#: the labels under which a heading gives a value for every item of its list, by column role
LIST_WIDE_LABELS: dict[str, tuple[str, ...]] = {
    "time_limit": ("公开时限", "公开时间", "更新时限"),
    "channels": ("公开方式", "公开渠道", "公开渠道和载体", "公开途径", "公开载体", "发布渠道"),
}
_WIDE_LABEL = "|".join(sorted((re.escape(w) for ws in LIST_WIDE_LABELS.values() for w in ws),
                              key=len, reverse=True))
# 【公开时限】…, (二)公开时限：…, 2.公开方式: … — a label that opens its line
_WIDE_LINE = re.compile(r"^\s*(?:[(（][一二三四五六七八九十\d]{1,3}[)）]|[一二三四五六七八九十]{1,3}、"
                        r"|\d{1,2}[.、．])?\s*"
                        rf"(?:【\s*(?P<b>{_WIDE_LABEL})\s*】|(?P<c>{_WIDE_LABEL})\s*[:：])\s*(?P<value>.+)$")


def list_wide_values(lines: Sequence[tuple[int, str]]) -> dict[str, tuple[int, str]]:
    """Column values a list's heading gives once for all its items: role → (line, value as
    written). A 公开方式 that names the mode (主动公开) is no channel.

    >>> list_wide_values([(3, "【公開時限】政府信息形成或變更之日起20個工作日內"), (4, "(三)公开方式：本局网站。")])
    {'time_limit': (3, '政府信息形成或變更之日起20個工作日內'), 'channels': (4, '本局网站')}
    >>> list_wide_values([(2, "二、责任主体、公开时限、方式和监督渠道"), (5, "公开方式：主动公开")])
    {}
    """
    roles = {w: role for role, words in LIST_WIDE_LABELS.items() for w in words}
    out: dict[str, tuple[int, str]] = {}
    for line, text in lines:
        t = clean(text)
        s = simplify(t)
        m = _WIDE_LINE.match(s if len(s) == len(t) else t)
        if not m:
            continue
        role = roles.get(m.group("b") or m.group("c") or "")
        value = t[m.start("value"):].strip(" 。.;；")
        if role is None or role in out or not value:
            continue
        if role == "channels" and fold(simplify(value)).startswith(MODE_WORDS):
            continue
        out[role] = (line, value)
    return out
