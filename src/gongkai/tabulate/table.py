"""Cell grid → raw table: the header found, every row aligned to its columns, rows grouped into items."""

from __future__ import annotations

from gongkai import columns
from gongkai.model import UnreadRow
from gongkai.readers.grid import CellGrid
from gongkai.tabulate.align import _align_rows, _check_width, _infer_layout
from gongkai.tabulate.cells import _nonempty
from gongkai.tabulate.header import _find_header, _header_columns, _is_header_row, _is_subheader_of, _row_line
from gongkai.tabulate.rows import _RECORD_FORMATS, TIME_LIMIT_UNIT, RawTable, _group
from gongkai.tabulate.stream import unstream


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
    header = [grid.rows[top_i]] + ([grid.rows[sub_i]] if sub_i is not None else [])
    _check_width(grid.source, header + data)

    hcols = _header_columns(grid.rows[top_i], grid.rows[sub_i] if sub_i is not None else None,
                            data, warnings)
    collapsed = grid.meta.get("collapsed_empty_cells") == "possible"
    slots, anchored = _infer_layout(hcols, data, warnings, lenient_marks=collapsed)
    _check_width(grid.source, [], len(slots))
    roles = [s.role for s in slots]

    preamble = list(grid.preamble)
    for row in grid.rows[:top_i]:
        texts = [c.text.strip() for c in row if not c.empty]
        if texts:
            preamble.append((_row_line(row), " ".join(texts)))
    preamble.sort()
    header_lines = [_row_line(grid.rows[i]) for i in (top_i, sub_i) if i is not None]
    skipped_lines = {_row_line(body[k]) for k in skip}
    header_lines += sorted(skipped_lines)

    unread: list[UnreadRow] | None = None if strict else []
    aligned = _align_rows(grid.source, data, slots, anchored, max(header_lines[:2]), skipped_lines,
                          collapsed, page_breaks=not grid.meta.get("rows_from_stream"), unread=unread)
    if grid.meta.get("ends_mid_row") and aligned:
        aligned[-1].cut_off = True      # the reader saw the file end inside the last row
    items = _group(aligned, slots, warnings, records=grid.format in _RECORD_FORMATS)

    meta = dict(grid.meta)
    if grid.sheet:
        meta.setdefault("sheet", grid.sheet)
    # the unit a 时限 header gives its bare numbers: 公开时限（工作日） over 20, 15 …
    for c in grid.rows[top_i] + (grid.rows[sub_i] if sub_i is not None else []):
        if columns.role_for_header(c.text) == "time_limit" and (note := columns.header_note(c.text)):
            meta.setdefault(TIME_LIMIT_UNIT, note)
    return RawTable(source=grid.source, format=grid.format, roles=roles, header_lines=header_lines,
                    rows=items, preamble=preamble, meta=meta, warnings=warnings, unread=unread or [])
