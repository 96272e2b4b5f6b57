"""Values a list gives once, in its heading, for all its items.

A Guangdong 主动公开基本目录 has no 公开时限 or 公开方式 column: its 概述 says once
``【公开时限】政府信息形成或变更之日起20个工作日内`` and ``【公开方式】本局门户网站``, and every item
of the table holds to it. Such a value (read by :func:`gongkai.readers.preamble.list_wide_values`)
is given to every item of a table that has no column for it, and a warning says so.
"""

from __future__ import annotations

from gongkai.readers.preamble import LIST_WIDE_LABELS, list_wide_values
from gongkai.tabulate.rows import RawRow


def fill_list_wide(items: list[RawRow], roles: list[str], preamble: list[tuple[int, str]],
                   warnings: list[str]) -> None:
    """Give the heading's list-wide values to the items of a table without their column, in
    place; the role counts as carried (not read from the item's row)."""
    for role, (line, value) in list_wide_values(preamble).items():
        if role in roles or not items:
            continue
        for item in items:
            item.values[role] = value
            item.carried.add(role)
        warnings.append(f"line {line}: the table has no {LIST_WIDE_LABELS[role][0]} column and the heading "
                        f"gives one for the whole list ({value!r}): applied to its {len(items)} items")
