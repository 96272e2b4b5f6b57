"""Cell grid → raw table: the header found, every row aligned to its columns, rows grouped into items."""

from __future__ import annotations

import re

from gongkai import columns
from gongkai.model import UnreadRow
from gongkai.readers.grid import Cell, CellGrid
from gongkai.tabulate.align import _align_rows, _check_width, _infer_layout
from gongkai.tabulate.cells import _nonempty
from gongkai.tabulate.header import _find_header, _header_columns, _is_header_row, _is_subheader_of, _row_line
from gongkai.tabulate.levels import place_levels
from gongkai.tabulate.listwide import fill_list_wide
from gongkai.tabulate.rows import _RECORD_FORMATS, TIME_LIMIT_UNIT, RawTable, _group
from gongkai.tabulate.stream import unstream

# the lines a web site prints under every page (主办：…, 网站标识码, 备案号, 版权所有, 联系电话):
# a sheet or document made from a saved page has them as rows under the table
_PAGE_FOOTER = re.compile(
    r"^(?:主办|承办|协办|主办单位|承办单位|维护单位|技术支持|网站标识码|网站识别码|备案号|[京沪津渝冀晋辽吉黑苏浙皖闽赣鲁豫鄂湘粤琼川贵云陕甘青蒙桂藏宁新]?ICP"
    r"|公网安备|版权所有|copyright|©|联系电话|联系我们|地址|邮编|网站地图|隐私声明|打印本页|关闭窗口|【打印|【关闭)",
    re.IGNORECASE)


def _without_page_footer(data: list[list[Cell]]) -> tuple[list[list[Cell]], list[tuple[int, str]]]:
    """The table's rows without the web page's footer printed under it (rows at the end
    holding one cell of 主办：…, 网站标识码：… or the like), and those lines for the preamble."""
    end = len(data)
    while end > 0:
        cells = _nonempty(data[end - 1])
        texts = {c.text.strip() for c in cells}
        if len(texts) != 1 or not _PAGE_FOOTER.match(next(iter(texts))):
            break
        end -= 1
    footer = [(_row_line(row), " ".join(sorted({c.text.strip() for c in _nonempty(row)}))) for row in data[end:]]
    return data[:end], footer


def tabulate(grid: CellGrid, *, strict: bool = False) -> RawTable:
    """Turn a cell grid into raw rows, one per disclosure item (see the module docstring).

    Raises :class:`InputError` when no header is found. A row that cannot be aligned to the
    columns is set aside in ``RawTable.unread`` and the others are read; ``strict``: it
    raises :class:`InputError` naming its line instead.
    """
    warnings: list[str] = list(grid.warnings)
    if grid.meta.get("stream"):
        grid, stream_warnings = unstream(grid)
        warnings.extend(stream_warnings)
    top_i, sub_i = _find_header(grid)
    body_start = (sub_i if sub_i is not None else top_i) + 1
    body = grid.rows[body_start:]

    # headers repeated on later pages
    skip: set[int] = set()
    for k, row in enumerate(body):
        if _is_header_row(row):
            skip.add(k)
            if k + 1 < len(body) and _is_subheader_of(row, body[k + 1]):
                skip.add(k + 1)
    data = [row for k, row in enumerate(body) if k not in skip and _nonempty(row)]
    data, footer = _without_page_footer(data)
    header = [grid.rows[top_i]] + ([grid.rows[sub_i]] if sub_i is not None else [])
    _check_width(grid.source, header + data)

    hcols = _header_columns(grid.rows[top_i], grid.rows[sub_i] if sub_i is not None else None,
                            data, warnings)
    collapsed = grid.meta.get("collapsed_empty_cells") == "possible"
    slots, anchored, by_content = _infer_layout(hcols, data, warnings, lenient_marks=collapsed)
    _check_width(grid.source, [], len(slots))
    roles = [s.role for s in slots]

    preamble = list(grid.preamble)
    for row in grid.rows[:top_i]:
        texts = [c.text.strip() for c in row if not c.empty]
        if texts:
            preamble.append((_row_line(row), " ".join(texts)))
    preamble += footer
    preamble.sort(key=lambda entry: entry[0])     # by line; within a line, the reader's order (cells of a row)
    header_lines = [_row_line(grid.rows[i]) for i in (top_i, sub_i) if i is not None]
    skipped_lines = {_row_line(body[k]) for k in skip}
    header_lines += sorted(skipped_lines)

    unread: list[UnreadRow] | None = None if strict else []
    # rows cut from a stream of whole cells may have left out any empty cell: without a check-box cell
    # to measure from, their cells are placed by what they hold, as rows that do not line up
    by_content = by_content or (not anchored and grid.meta.get("rows_from_stream") == "cells")
    aligned = _align_rows(grid.source, data, slots, anchored, max(header_lines[:2]), skipped_lines,
                          collapsed, page_breaks=not grid.meta.get("rows_from_stream"), unread=unread,
                          by_content=by_content)
    if grid.meta.get("ends_mid_row") and aligned:
        aligned[-1].cut_off = True      # the reader saw the file end inside the last row
    place_levels(aligned, slots, data, grid.meta, warnings)
    items = _group(aligned, slots, warnings, records=grid.format in _RECORD_FORMATS)
    fill_list_wide(items, roles, preamble, warnings)

    meta = dict(grid.meta)
    if grid.sheet:
        meta.setdefault("sheet", grid.sheet)
    # the unit a 时限 header gives its bare numbers: 公开时限（工作日） over 20, 15 …
    for c in grid.rows[top_i] + (grid.rows[sub_i] if sub_i is not None else []):
        if columns.role_for_header(c.text) == "time_limit" and (note := columns.header_note(c.text)):
            meta.setdefault(TIME_LIMIT_UNIT, note)
    return RawTable(source=grid.source, format=grid.format, roles=roles, header_lines=header_lines,
                    rows=items, preamble=preamble, meta=meta, warnings=warnings, unread=unread or [])
