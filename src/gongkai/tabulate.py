"""From a cell grid to raw rows: one row per disclosure item, each cell under its column role.

The tabulator knows the layout of a disclosure table and nothing about RDF or field
syntax: it returns the cell texts as read, grouped per item and labelled with roles
(:mod:`gongkai.columns`). Four things make this more than a lookup by column index:

1. **Headers.** One or two header rows; parent headers (公开事项, 公开对象, 公开方式,
   公开层级) own the sub-headers below them. Headers may repeat on later pages.

2. **Shifted rows.** A PDF extraction does not keep cells under their headers: a row
   whose leading cells were merged (category, ordinal) starts further left, a row
   continued after a page break is shifted too, and a header cell may span more data
   columns than it has sub-headers (the seed list puts the item number in a column of
   its own under 二级事项). So cells are aligned by *content* and *anchors*:

   - every cell gets a type (number, ordinal 一二三, √ mark, check-box list, citation,
     time limit, URL, text);
   - the table layout (the data columns and their roles) is inferred once by aligning
     the header roles to column profiles measured relative to the check-box cell, the
     one cell every row of a disclosure table has and nothing else looks like;
   - each row is then aligned to that layout by a scored monotonic assignment: a cell
     scores by how well its type fits the role, and pays for every change of shift
     between neighbouring cells, so the cells before an anchor right-align to the
     roles before it and √ marks keep their offset after the channel cell.

3. **Continuation rows.** A row without an item number (in a numbered list) or without
   an item name (in an unnumbered one) continues the item above: its fragments are
   appended, joined with a newline, and its line is recorded. A copy of a merged cell
   (``Cell.spanned``, from spreadsheets and web pages) names the item above, not a new
   one. Fragments found above the first item's main row (vertically centred cells) are
   put before its text.

4. **Carried values.** The category (level 1, and any level above the deepest) is carried
   down from the last row that had one; ``同上`` means the value of the item above; a
   merged cell's copy was not read in its row either. All are recorded in
   ``RawRow.carried`` so that nothing looks as if it had been read there.

5. **Web-table extractions.** A grid that is a *stream* of cells (text that does not say
   where a row ends) is cut into rows first, by :mod:`gongkai.stream`. Extractions that
   drop empty cells (``grid.meta["collapsed_empty_cells"]``) leave marks whose column
   cannot be known (``| √ | √ |`` under four mark columns): they are kept apart under
   ``unplaced_marks`` with a warning, never guessed. Text written in a mark column instead
   of a √ (项目单位 under 特定群众) is expected there, not pushed to a column of its own.

6. **Numbers and levels.** Items whose 序号 repeat (the number of a category, merged over
   its items) are renumbered in reading order, the 序号 kept as ``source_number``; a
   numbered table whose only level is the category carries it down; a first row with two
   deeper names but no category takes the first as the category; a level named twice
   in the header (一级事项 | 一级事项) is read as the next level.

A row that no assignment fits (more cells than columns, a check-box list or a √ where
no such column is left) is an :class:`InputError` naming its line; so is a grid without
a recognisable header. A last row that stops before the last column (the file ends
mid-row) is kept as it is, with a warning; so is one the reader saw cut off
(``grid.meta["ends_mid_row"]``). An empty cell spanning the end of a row is the row's
padding, not a missing cell.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Literal

from gongkai import columns as C
from gongkai.errors import InputError
from gongkai.fields.text import clean as clean_text
from gongkai.fields.text import fold
from gongkai.readers.grid import Cell, CellGrid
from gongkai.readers.limits import MAX_COLUMNS


@dataclass
class RawRow:
    """One disclosure item as read: role → text, with where it came from.

    ``values`` has every column role of the table (``""`` when the item has no cell
    there), plus ``number`` when the table has no number column (items numbered in
    reading order) and ``ordinal`` when category ordinals come from heading rows.
    """

    values: dict[str, str]        # role -> cell text as read; continuation fragments joined with "\n"
    lines: list[int]              # 1-based source lines this item was built from (in order)
    columns: dict[str, int]       # role -> column index of the role's first fragment (the item's first row)
    carried: set[str]             # roles whose value was carried down from an earlier row
    warnings: list[str]


@dataclass
class RawTable:
    """The rows of one disclosure table, with its header and what surrounds it."""

    source: str
    format: str
    roles: list[str]              # column roles in header order (data-column order)
    header_lines: list[int]       # lines of the header rows, repeated headers included
    rows: list[RawRow]
    preamble: list[tuple[int, str]]
    meta: dict[str, str]
    warnings: list[str]


# --- cell types ---------------------------------------------------------------

CellType = Literal["empty", "number", "ordinal", "mark", "channels", "url", "citation", "time", "text"]

_BOX_CHARS = "■□☐☑☒▣▢þ▄"
#: a cell that is nothing but one of these is a mark (ticked or not); þ ▄ 口 are OCR
#: readings of boxes, 是 / 否 how some lists answer a mark column in words
_TICKS = frozenset({"√", "✓", "✔", "☑", "●", "■", "□", "☐", "☒", "þ", "▄", "口", "是", "否"})
_CHECKBOX = re.compile(r"<input\b[^>]*checkbox|<ul\b|[" + _BOX_CHARS + "]", re.IGNORECASE)
# 1, 2. or 3、 — and 4.0, as a spreadsheet exported through a float column writes it
_NUMBER = re.compile(r"^\d{1,4}(?:\.0+|[.、．])?$")
_ORDINAL = re.compile(r"^[(（]?[一二三四五六七八九十百零〇]{1,4}[)）]?[、.．]?$")
_URL = re.compile(r"https?://|www\.", re.IGNORECASE)
_CITATION = re.compile(
    r"[《》]|[〔﹝【\[]\s*(?:19|20)\d\d\s*[〕﹞】\]]|令第?\s*\d+\s*号|第[一二三四五六七八九十百零〇\d]+条")
#: wording that marks a time limit (domain vocabulary, not any one list's text)
TIME_CUES: tuple[str, ...] = (
    "工作日", "日内", "日前", "天内", "个月内", "之日起", "实时", "及时", "每年", "每季度", "每月",
    "每半年", "半年", "长期公开", "常态", "定期", "永久", "同步公开", "同步发布", "批复后", "印发后",
)
_TIME = re.compile("|".join(re.escape(c) for c in TIME_CUES) + r"|后\s*\d+\s*(?:个)?(?:工作)?日")


def cell_type(text: str) -> CellType:
    """Classify a cell by its content, for alignment (not for parsing)."""
    f = fold(text)
    if not f:
        return "empty"
    if f in _TICKS:
        return "mark"
    if _CHECKBOX.search(text):
        return "channels"
    if _NUMBER.match(f):
        return "number"
    if _ORDINAL.match(f):
        return "ordinal"
    if _URL.search(f):
        return "url"
    if _CITATION.search(f):
        return "citation"
    if _TIME.search(f):
        return "time"
    return "text"


# affinity of a cell type for a role kind; None = impossible (see _affinity for when)
_AFF: dict[str, dict[str, float | None]] = {
    "number":   {"number": 6, "ordinal": 2, "text": -4, "citation": -4, "time": -4, "url": -4,
                 "mark": None, "channels": None},
    "ordinal":  {"ordinal": 5, "number": -2, "text": -4, "citation": -4, "time": -4, "url": -4,
                 "mark": None, "channels": None},
    "text":     {"text": 1, "citation": 0.5, "time": 0.5, "url": 0.5, "number": -3, "ordinal": -2,
                 "mark": None, "channels": None},
    "citation": {"citation": 3, "text": 1, "time": 0.3, "url": 0.3, "number": -3, "ordinal": -2,
                 "mark": None, "channels": None},
    "time":     {"time": 3, "text": 1, "citation": 0, "url": 0, "number": -3, "ordinal": -2,
                 "mark": None, "channels": None},
    "channels": {"channels": 10, "text": 0.5, "url": 0.5, "citation": -1, "time": -1, "number": -3,
                 "ordinal": -3, "mark": None},
    "mark":     {"mark": 4, "text": -4, "citation": -4, "time": -4, "url": -4, "number": -4,
                 "ordinal": -4, "channels": None},
    "url":      {"url": 3, "text": 0.5, "citation": 0, "time": 0, "number": -3, "ordinal": -3,
                 "mark": None, "channels": None},
}
_SOFT_MISFIT = -6.0     # a mark or check-box cell where the layout has no column for it
_PROFILE_MISFIT = -20.0  # an impossible pair when scoring whole columns

_SHIFT_COST = 2.0       # per unit of shift change between neighbouring cells of a row
_PRIOR_COST = 0.5       # per unit of distance from the previous row's shift (first cell)
_RIGHT_BIAS = 0.01      # tie-breaker: prefer later roles (cells right-align to anchors)
_LAYOUT_SHIFT_COST = 1.0
_LAYOUT_SKIP_COL = -1.5
_LAYOUT_SKIP_ROLE = -0.5


def _affinity(ctype: str, kind: str, *, strict_channels: bool, strict_marks: bool) -> float | None:
    a = _AFF[kind].get(ctype)
    if a is not None:
        return a
    # a check-box list outside the channels column, a √ outside a mark column: impossible
    # when the layout has such a column, merely unlikely when it has none
    if ctype == "channels" and not strict_channels:
        return _SOFT_MISFIT
    if ctype == "mark" and not strict_marks:
        return _SOFT_MISFIT
    return None


# --- header -------------------------------------------------------------------

@dataclass(frozen=True)
class _HeaderCol:
    pos: int
    role: str
    kind: str = "text"


def _nonempty(row: list[Cell]) -> list[Cell]:
    return [c for c in row if not c.empty]


def _is_header_row(row: list[Cell]) -> bool:
    """A top header row: mostly known header texts, at least one naming a core column."""
    cells = _nonempty(row)
    known = [c for c in cells if C.is_header_text(c.text)]
    if len(known) < 2 or len(known) < 0.6 * len(cells):
        return False
    for c in known:
        p = C.parent_for_header(c.text)
        if (p and p.key in C.CORE_PARENTS) or C.role_for_header(c.text) in C.CORE_ROLES:
            return True
    return False


def _is_subheader_row(row: list[Cell]) -> bool:
    cells = _nonempty(row)
    known = [c for c in cells if C.role_for_header(c.text)]
    return bool(known) and len(known) >= 0.6 * len(cells)


def _is_subheader_of(top: list[Cell], row: list[Cell]) -> bool:
    """A sub-header row: known role names, at least one owned by a parent header of ``top``."""
    if not _is_subheader_row(row):
        return False
    kids = {k for c in _nonempty(top) if (p := C.parent_for_header(c.text)) for k in p.children}
    return any(C.role_for_header(c.text) in kids for c in _nonempty(row))


def _line(cell: Cell) -> int:
    return cell.line if cell.line is not None else cell.row + 1


def _row_line(row: list[Cell]) -> int:
    return _line(row[0]) if row else 0


def _pick_alone(parent: C.ParentHeader, pos: int, taken: set[str], data: list[list[Cell]]) -> str:
    """Role of a parent header without sub-headers; several candidates are told apart by content."""
    candidates = [r for r in parent.alone if r not in taken] or list(parent.alone)
    if len(candidates) == 1:
        return candidates[0]
    texts = [row[pos].text for row in data if pos < len(row) and not row[pos].empty]
    types = Counter(cell_type(t) for t in texts)
    if "channels" in candidates and types["channels"]:
        return "channels"
    modal = sum(1 for t in texts if fold(t).startswith(C.MODE_WORDS))
    if "mode" in candidates and texts and modal * 2 >= len(texts):
        return "mode"
    # no check boxes and no mode words: a table without another channels column names
    # its channels here (县人民政府网站的…栏目)
    return "channels" if "channels" in candidates else candidates[0]


def _header_columns(top: list[Cell], sub: list[Cell] | None,
                    data: list[list[Cell]], warnings: list[str]) -> list[_HeaderCol]:
    """Column roles from the header row(s), with positions.

    Sub-headers are given to the parent whose span holds them; a sub-header outside its
    parent's span (header rows whose empty cells were collapsed) is given to the parent
    that can own it, and then positions are counted column by column instead. Copies of
    merged header cells (``Cell.spanned``) are not headers of their own: a 公开事项 merged
    over two columns spans both, a 序号 merged over both header rows is no sub-header.
    """
    tops = [c for c in _nonempty(top) if not c.spanned]
    for c in tops + [s for s in _nonempty(sub or []) if not s.spanned]:
        if (near := C.misread(c.text)) is not None:
            warnings.append(f"line {_line(c)}: column header {c.text.strip()!r} read as {near!r} "
                            "(one character differs: misread?)")
    spans: list[tuple[Cell, int]] = []
    for i, c in enumerate(tops):
        end = tops[i + 1].col if i + 1 < len(tops) else 10**6
        spans.append((c, end))

    children: dict[int, list[tuple[int, str]]] = {c.col: [] for c in tops}
    other_kinds: dict[str, str] = {}     # unknown sub-headers: the kind of their cells
    aligned = True
    for s in _nonempty(sub or []):
        if s.spanned:
            continue
        role = C.role_for_header(s.text)
        if role is None:
            # under a parent header (县级政府 under 公开层级) it keeps its column, so that
            # the columns beside it keep theirs; its cells are kept, not read
            parent = next((c for c, end in spans if c.col <= s.col < end and C.parent_for_header(c.text)), None)
            if parent is not None:
                role = f"other:{fold(s.text)}"
                children[parent.col].append((s.col, role))
                # holding what its siblings hold (√ marks under 公开层级), for the alignment
                sibling_kinds = {C.kind_of(r) for r in C.parent_for_header(parent.text).children}
                if len(sibling_kinds) == 1:
                    other_kinds[role] = sibling_kinds.pop()
                warnings.append(f"line {_line(s)}: sub-header {s.text.strip()!r} not understood; "
                                f"its cells are kept under role {role!r}")
            else:
                warnings.append(f"line {_line(s)}: sub-header {s.text.strip()!r} not understood; ignored")
            continue
        owners = [(c, end) for c, end in spans
                  if (p := C.parent_for_header(c.text)) and role in p.children]
        inside = [(c, end) for c, end in owners if c.col <= s.col < end]
        if inside:
            children[inside[0][0].col].append((s.col, role))
        elif owners:
            aligned = False
            children[owners[0][0].col].append((s.col, role))
        else:
            warnings.append(f"line {_line(s)}: sub-header {s.text.strip()!r} has no parent header; ignored")

    taken: set[str] = {r for c in tops if (r := C.role_for_header(c.text))}
    cols: list[_HeaderCol] = []
    seq = 0
    for c in tops:
        parent = C.parent_for_header(c.text)
        kids = sorted(children[c.col])
        if parent and kids:
            for kpos, krole in kids:
                cols.append(_HeaderCol(kpos if aligned else seq, krole, other_kinds.get(krole, "text")))
                seq += 1
            continue
        if parent:
            role = _pick_alone(parent, c.col, taken, data)
        else:
            role = C.role_for_header(c.text) or f"other:{fold(c.text)}"
            if role.startswith("other:"):
                warnings.append(f"line {_line(c)}: column header {c.text.strip()!r} not known; "
                                f"its cells are kept under role {role!r}")
        taken.add(role)
        cols.append(_HeaderCol(c.col if aligned else seq, role))
        seq += 1
    return _unique_roles(cols, warnings)


def _unique_roles(cols: list[_HeaderCol], warnings: list[str] | None = None) -> list[_HeaderCol]:
    """A second column with the same role becomes ``role_2`` (values are keyed by role).

    Except a level named twice: 一级事项 | 一级事项 (a slip of the publisher's), or 类别 |
    一级事项 | 二级事项 (a category above the first level; 类别 alone is the first level).
    The second is the next level, and the levels after it move down one, as long as there
    is a level left for each.
    """
    levels = [h.role for h in cols if h.role in C.LEVEL_ROLES]
    shift = 0
    fixed: list[_HeaderCol] = []
    used: set[str] = set()
    for h in cols:
        role = h.role
        if role in C.LEVEL_ROLES:
            k = C.LEVEL_ROLES.index(role) + shift
            if k < len(C.LEVEL_ROLES) and C.LEVEL_ROLES[k] in used:
                deepest = max(C.LEVEL_ROLES.index(r) for r in levels) + shift + 1
                if deepest < len(C.LEVEL_ROLES):
                    shift += 1
                    k += 1
                    if warnings is not None:
                        warnings.append(f"the header names {role} twice: the second is taken as "
                                        f"{C.LEVEL_ROLES[k]}, and the levels after it move down one")
            if k < len(C.LEVEL_ROLES):
                role = C.LEVEL_ROLES[k]
        used.add(role)
        fixed.append(_HeaderCol(h.pos, role, h.kind))
    cols = fixed
    seen: Counter[str] = Counter()
    out = []
    for h in cols:
        seen[h.role] += 1
        name = h.role if seen[h.role] == 1 else f"{h.role}_{seen[h.role]}"
        out.append(_HeaderCol(h.pos, name, h.kind if h.role.startswith("other:") else C.kind_of(h.role)))
    return out


# --- layout -------------------------------------------------------------------

@dataclass(frozen=True)
class Slot:
    """A data column of the table: its role and its position (relative to the anchor column)."""

    role: str
    pos: int
    kind: str


def _anchor(row: list[Cell]) -> int | None:
    """Column of the row's single check-box cell, or None."""
    hits = [c.col for c in row if cell_type(c.text) == "channels"]
    return hits[0] if len(hits) == 1 else None


#: affinity of a text for a mark column when the extraction dropped empty cells: a note
#: written instead of a √ (项目单位 under 特定群众) is common there, and its column unknown
_LENIENT_TEXT_IN_MARK = -1.0


def _profile_affinity(profile: Counter[str], kind: str, lenient_marks: bool = False) -> float:
    n = sum(profile.values())
    total = 0.0
    for t, k in profile.items():
        a = _AFF[kind].get(t)
        if lenient_marks and kind == "mark" and t == "text":
            a = _LENIENT_TEXT_IN_MARK
        total += k * (a if a is not None else _PROFILE_MISFIT)
    return total / n if n else 0.0


def _dominant(profile: Counter[str], ctype: str, share: float = 0.6) -> bool:
    n = sum(profile.values())
    return n > 0 and profile[ctype] >= share * n


def _align_columns(roles: list[tuple[int, str, str]],
                   dcols: list[tuple[int, Counter[str]]],
                   lenient_marks: bool = False) -> list[tuple[int, int]]:
    """Sequence alignment of header roles (i) to data columns (k): the matched (i, k) pairs.

    A match scores the column's mean type affinity for the role and pays for a change of
    shift (data position minus header position) since the previous match; a data column
    left unmatched costs more than a role left without data, because cells under no
    header are the stronger sign of a wrong alignment.
    """
    R, D = len(roles), len(dcols)
    NEG = float("-inf")
    best = [[NEG] * D for _ in range(R)]
    back: list[list[tuple[int, int] | None]] = [[None] * D for _ in range(R)]
    for i, (hp, _, kind) in enumerate(roles):
        for k, (dp, prof) in enumerate(dcols):
            m = _profile_affinity(prof, kind, lenient_marks)
            cand = m + _LAYOUT_SKIP_COL * k + _LAYOUT_SKIP_ROLE * i
            ptr: tuple[int, int] | None = None
            for i2 in range(i):
                for k2 in range(k):
                    if best[i2][k2] == NEG:
                        continue
                    s_prev = dcols[k2][0] - roles[i2][0]
                    v = (best[i2][k2] + m + _LAYOUT_SKIP_COL * (k - k2 - 1)
                         + _LAYOUT_SKIP_ROLE * (i - i2 - 1)
                         - _LAYOUT_SHIFT_COST * abs((dp - hp) - s_prev))
                    if v > cand:
                        cand, ptr = v, (i2, k2)
            best[i][k], back[i][k] = cand, ptr
    end: tuple[int, int] | None = None
    end_score = _LAYOUT_SKIP_COL * D + _LAYOUT_SKIP_ROLE * R
    for i in range(R):
        for k in range(D):
            if best[i][k] == NEG:
                continue
            v = best[i][k] + _LAYOUT_SKIP_COL * (D - k - 1) + _LAYOUT_SKIP_ROLE * (R - i - 1)
            if v > end_score:
                end, end_score = (i, k), v
    pairs: list[tuple[int, int]] = []
    node = end
    while node is not None:
        pairs.append(node)
        node = back[node[0]][node[1]]
    pairs.reverse()
    return pairs


def _infer_layout(hcols: list[_HeaderCol], data: list[list[Cell]],
                  warnings: list[str], lenient_marks: bool = False) -> tuple[list[Slot], bool]:
    """The table's data columns and their roles; returns (slots, anchored).

    Positions are measured from the check-box cell of each row when the table has a
    channels column (``anchored``), from the row start otherwise. The item-number
    column is found first, by content (a column of Arabic numbers), because it need not
    sit under 序号: when it does not, 序号 holds the category ordinals (一、二…). The
    other roles are then aligned to the remaining columns (:func:`_align_columns`).
    """
    h_anchor = next((h.pos for h in hcols if h.role == "channels"), None)
    profiles: dict[int, Counter[str]] = {}
    anchored = False
    if h_anchor is not None:
        for row in data:
            a = _anchor(row)
            if a is None:
                continue
            anchored = True
            for c in row:
                t = cell_type(c.text)
                if t != "empty":
                    profiles.setdefault(c.col - a, Counter())[t] += 1
    if not anchored:
        h_anchor = 0
        for row in data:
            for c in row:
                t = cell_type(c.text)
                if t != "empty":
                    profiles.setdefault(c.col, Counter())[t] += 1
    assert h_anchor is not None
    roles = [(h.pos - h_anchor, h.role, h.kind) for h in hcols]
    dcols = sorted(profiles.items())

    # the item-number column: the column with most Arabic numbers, nearest to 序号
    number_h = next((hp for hp, r, _ in roles if r == "number"), None)
    digit_cols = [k for k, (_, prof) in enumerate(dcols) if _dominant(prof, "number")]
    number_k = None
    if digit_cols:
        ref = number_h if number_h is not None else dcols[0][0]
        number_k = max(digit_cols, key=lambda k: (dcols[k][1]["number"], -abs(dcols[k][0] - ref)))
    dp_roles = [x for x in roles if not (number_k is not None and x[1] == "number")]
    dp_cols = [(k, col) for k, col in enumerate(dcols) if k != number_k]
    pairs = [(i, dp_cols[k][0]) for i, k in _align_columns(dp_roles, [c for _, c in dp_cols],
                                                           lenient_marks)]

    # (position, order, role, kind): roles keep header order, other columns go first on a tie
    entries: list[tuple[int, int, str, str]] = []
    matched_cols = {k for _, k in pairs}
    shifts = {i: dcols[k][0] - dp_roles[i][0] for i, k in pairs}
    if number_k is not None:
        entries.append((dcols[number_k][0], -1, "number", "number"))
        matched_cols.add(number_k)

    # roles without data sit where the header puts them, shifted like their nearest
    # neighbour, and never outside the positions of the roles around them
    def shift_near(i: int) -> int:
        for d in range(1, len(dp_roles) + 1):
            if i - d in shifts:
                return shifts[i - d]
            if i + d in shifts:
                return shifts[i + d]
        return 0

    role_pos = {i: dcols[k][0] for i, k in pairs}
    lo: int | None = None
    for i, (hp, role, kind) in enumerate(dp_roles):
        if i in role_pos:
            pos = role_pos[i]
        else:
            pos = hp + shift_near(i)
            later = [role_pos[j] for j in role_pos if j > i]
            if later:
                pos = min(pos, min(later))
            if lo is not None:
                pos = max(pos, lo)
        lo = pos
        entries.append((pos, i, role, kind))

    # columns the header does not explain: category ordinals, or cells under no header
    rows_profiled = max(1, len(data))
    for k, (dp, prof) in enumerate(dcols):
        if k in matched_cols:
            continue
        n = sum(prof.values())
        if _dominant(prof, "ordinal"):
            entries.append((dp, -1, "ordinal", "ordinal"))
        elif n >= 2 and n >= 0.1 * rows_profiled:
            name = f"extra_{len(entries)}"
            entries.append((dp, -1, name, "text"))
            warnings.append(f"a data column ({dp:+d} from the "
                            f"{'check-box cell' if anchored else 'row start'}) has no header; "
                            f"its {n} cells are kept under role {name!r}")
    entries.sort(key=lambda e: (e[0], e[1]))

    slots: list[Slot] = []
    last: int | None = None
    seen: Counter[str] = Counter()
    for pos, _, role, kind in entries:
        p = pos if last is None else max(pos, last)
        last = p
        seen[role] += 1
        slots.append(Slot(role if seen[role] == 1 else f"{role}_{seen[role]}", p, kind))
    return slots, anchored


# --- row alignment ------------------------------------------------------------

def _align_row(cells: list[Cell], slots: list[Slot], offset: int,
               prior: int | None) -> list[int] | None:
    """Best monotonic assignment of the row's non-empty cells to slots (slot index per cell).

    ``offset`` converts a cell's column to layout coordinates (minus the anchor column);
    the shift of a cell is ``slot.pos - (col - offset)``. None when no assignment exists.
    """
    strict_channels = any(s.kind == "channels" for s in slots)
    strict_marks = any(s.kind == "mark" for s in slots)
    n, m = len(cells), len(slots)
    if n > m:
        return None
    NEG = float("-inf")
    types = [cell_type(c.text) for c in cells]
    aff = [[_affinity(types[i], slots[j].kind, strict_channels=strict_channels,
                      strict_marks=strict_marks) for j in range(m)] for i in range(n)]
    shift = [[slots[j].pos - (cells[i].col - offset) for j in range(m)] for i in range(n)]
    f = [[NEG] * m for _ in range(n)]
    back = [[-1] * m for _ in range(n)]
    for j in range(m):
        a = aff[0][j]
        if a is not None:
            drift = abs(shift[0][j] - prior) if prior is not None else 0
            f[0][j] = a + _RIGHT_BIAS * j - _PRIOR_COST * drift
    for i in range(1, n):
        for j in range(i, m):
            a = aff[i][j]
            if a is None:
                continue
            for j2 in range(i - 1, j):
                if f[i - 1][j2] == NEG:
                    continue
                v = f[i - 1][j2] + a + _RIGHT_BIAS * j - _SHIFT_COST * abs(shift[i][j] - shift[i - 1][j2])
                if v > f[i][j]:
                    f[i][j], back[i][j] = v, j2
    j = max(range(m), key=lambda jj: f[n - 1][jj])
    if f[n - 1][j] == NEG:
        return None
    out = [0] * n
    for i in range(n - 1, -1, -1):
        out[i] = j
        j = back[i][j]
    return out


# --- assembly -----------------------------------------------------------------

_SAME_AS_ABOVE = frozenset({"同上", "同上。"})
_HEADER_SEARCH_ROWS = 60


def header_rows(grid: CellGrid) -> tuple[list[Cell], list[Cell] | None]:
    """The header of a grid as found by :func:`tabulate`: its top row and its sub-header row.

    A stream grid is cut into rows first (:func:`gongkai.stream.unstream`). Raises
    :class:`InputError` when no header is found.
    """
    if grid.meta.get("stream"):
        from .stream import unstream

        grid, _ = unstream(grid)
    top_i, sub_i = _find_header(grid)
    return grid.rows[top_i], grid.rows[sub_i] if sub_i is not None else None


def _find_header(grid: CellGrid) -> tuple[int, int | None]:
    for r, row in enumerate(grid.rows[:_HEADER_SEARCH_ROWS]):
        if _is_header_row(row):
            nxt = grid.rows[r + 1] if r + 1 < len(grid.rows) else None
            if nxt is not None and _is_subheader_of(row, nxt):
                return r, r + 1
            return r, None
    raise InputError(grid.source,
                     "no disclosure-table header found (looked for 公开事项/公开内容/公开依据…)")


def _cut_off(row: list[Cell], slots: list[Slot], offset: int, placed: list[tuple[Cell, int]]) -> bool:
    """True when the row ends before the last column of the layout (the file ends mid-row).

    A row one *empty* cell short is not cut: extractions drop a trailing empty cell now
    and then (the seed list has such rows), whereas a file that ends mid-row ends in text.
    """
    if not placed or not slots:
        return False
    cell, j = placed[-1]
    row_shift = slots[j].pos - (cell.col - offset)
    # a trailing empty cell spanning several columns is the row's padding (pipe-text)
    last_pos = (row[-1].col + row[-1].colspan - 1 - offset) + row_shift
    missing = slots[-1].pos - last_pos
    return missing > 1 or (missing == 1 and not row[-1].empty)


@dataclass
class _Aligned:
    """One data row after alignment: role -> (text, column) for its non-empty cells."""

    line: int
    vals: dict[str, tuple[str, int]]
    page_break: bool      # blank lines or a repeated header between this row and the one above
    cut_off: bool         # the row stops before the last column
    copied: set[str]      # roles whose cell is a copy of a merged cell (Cell.spanned)
    unplaced: list[str] = field(default_factory=list)   # mark-column texts whose column is unknown


def _is_padding(cell: Cell, row: list[Cell]) -> bool:
    """The empty cell that pads a row to the table's width (one cell spanning the rest)."""
    return cell is row[-1] and cell.empty and cell.colspan > 1


def _unplaced_marks(row: list[Cell], placed: list[tuple[Cell, int]],
                    slots: list[Slot]) -> tuple[list[tuple[Cell, int]], list[Cell]]:
    """Take back the cells in mark columns when their columns cannot be known.

    Extractions that drop empty cells (``collapsed_empty_cells``) leave a row like
    ``■政府网站 | √ | √`` under four mark columns (全社会, 特定群众, 主动, 依申请公开): which two
    are ticked is lost. Positions are trusted only when the row still has a cell for every
    column from the first mark column on, or when every mark column is ticked. Otherwise the
    cells placed in mark columns are returned apart, to be reported, never guessed.
    """
    marks = [j for j, s in enumerate(slots) if s.kind == "mark"]
    if not marks:
        return placed, []
    first = marks[0]
    in_marks = [(c, j) for c, j in placed if slots[j].kind == "mark"]
    if not in_marks:
        return placed, []
    head = [c for c, j in placed if j < first]
    after = head[-1].col if head else -1
    explicit = [c for c in row if c.col > after and not _is_padding(c, row)]
    if len(explicit) >= len(slots) - first:
        return placed, []
    if len(in_marks) == len(marks) and all(cell_type(c.text) == "mark" for c, _ in in_marks):
        return placed, []
    taken = {id(c) for c, _ in in_marks}
    return [(c, j) for c, j in placed if id(c) not in taken], [c for c, _ in in_marks]


def _align_rows(source: str, data: list[list[Cell]], slots: list[Slot], anchored: bool,
                header_end: int, skipped_lines: set[int], collapsed: bool = False,
                page_breaks: bool = True) -> list[_Aligned]:
    """Align every data row to the slots (see the module doc).

    A row is after a page break when blank lines or a repeated header separate it from the
    row above (its last line: a row of a web-table extraction may span several). Rows cut
    from a stream (:mod:`gongkai.stream`) have no page breaks: their blank lines only
    separate cells (``page_breaks=False``).
    """
    roles = [s.role for s in slots]
    out: list[_Aligned] = []
    prior: int | None = None
    last_offset = 0
    prev_line = header_end
    for row in data:
        line = _row_line(row)
        # positions are measured from the row's check-box cell; a row without one (a
        # continuation fragment) is measured like the row above and aligned by content
        a = _anchor(row) if anchored else None
        offset = (a if a is not None else last_offset) if anchored else 0
        cells = _nonempty(row)
        assigned = _align_row(cells, slots, offset, prior)
        if assigned is None:
            raise InputError(source, f"cannot align this row's {len(cells)} non-empty cells to the "
                                     f"{len(slots)} columns ({', '.join(roles)})", row=line)
        placed = list(zip(cells, assigned, strict=True))
        prior = slots[assigned[-1]].pos - (cells[-1].col - offset)
        last_offset = offset
        cut = _cut_off(row, slots, offset, placed)
        unplaced: list[Cell] = []
        if collapsed:
            placed, unplaced = _unplaced_marks(row, placed, slots)
        vals = {slots[j].role: (cell.text, cell.col) for cell, j in placed}
        copied = {slots[j].role for cell, j in placed if cell.spanned}
        page_break = page_breaks and (line - prev_line > 1
                                      or any(prev_line < s < line for s in skipped_lines))
        prev_line = max((_line(c) for c in row), default=line)
        out.append(_Aligned(line, vals, page_break, cut, copied, [c.text for c in unplaced]))
    return out


def _check_width(source: str, rows: list[list[Cell]], columns: int = 0) -> None:
    """Refuse a table with more filled columns (in a row, or as inferred ``columns``) than a
    list has: aligning a row costs the cube of its width (``_align_row``)."""
    widest = max(rows, key=lambda r: len(_nonempty(r)), default=[])
    width = max(len(_nonempty(widest)), columns)
    if width > MAX_COLUMNS:
        raise InputError(source, f"the table has {width:,} columns, more than the {MAX_COLUMNS} a list can "
                                 "have (real lists have at most about 30): is it the right file, or are "
                                 "merged cells spanning far beyond the table?",
                         row=_row_line(widest) if len(_nonempty(widest)) == width else None)


def tabulate(grid: CellGrid) -> RawTable:
    """Turn a cell grid into raw rows, one per disclosure item (see the module docstring).

    Raises :class:`InputError` when no header is found or a row cannot be aligned to
    the columns.
    """
    warnings: list[str] = list(grid.warnings)
    if grid.meta.get("stream"):
        from .stream import unstream

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

    aligned = _align_rows(grid.source, data, slots, anchored, max(header_lines[:2]), skipped_lines,
                          collapsed, page_breaks=not grid.meta.get("rows_from_stream"))
    if grid.meta.get("ends_mid_row") and aligned:
        aligned[-1].cut_off = True      # the reader saw the file end inside the last row
    items = _group(aligned, slots, warnings, records=grid.format in _RECORD_FORMATS)

    meta = dict(grid.meta)
    if grid.sheet:
        meta.setdefault("sheet", grid.sheet)
    # the unit a 时限 header gives its bare numbers: 公开时限（工作日） over 20, 15 …
    for c in grid.rows[top_i] + (grid.rows[sub_i] if sub_i is not None else []):
        if C.role_for_header(c.text) == "time_limit" and (note := C.header_note(c.text)):
            meta.setdefault(TIME_LIMIT_UNIT, note)
    return RawTable(source=grid.source, format=grid.format, roles=roles, header_lines=header_lines,
                    rows=items, preamble=preamble, meta=meta, warnings=warnings)


#: roles that describe an item rather than name it
_DESCRIBING = ("content", "legal_basis", "time_limit", "publisher", "channels")


def _own_item_under_merged_name(a: _Aligned, present: set[str], identity: list[str]) -> bool:
    """A row of an unnumbered table whose name cells are all copies of a merged cell (a
    category merged over several items) but with cells of its own in two or more of the
    columns that describe an item: an item of its own in that category. The lines of one
    item spread over several sheet rows have their describing cells merged too, all but
    one or so (the content going on)."""
    if not any(r in a.copied and r in present for r in identity):
        return False
    return sum(1 for r in _DESCRIBING if r in present and r not in a.copied) >= 2


#: formats whose rows are the table's own rows (not lines of a text extraction, where a
#: row may be broken across lines and pages)
_RECORD_FORMATS = frozenset({"csv", "xlsx", "html", "docx", "xls", "doc"})


def _own_item_under_blank_name(a: _Aligned, present: set[str], identity: list[str]) -> bool:
    """A row of a spreadsheet, Word or web table (``_RECORD_FORMATS``) without a number
    column whose name cells are empty — a category merged over several items, saved
    without its merge (Excel's CSV export keeps the text in the first row only) — but with
    cells of its own in three or more of the columns that describe an item: an item of its
    own under the name above, not more lines of the item above."""
    if a.page_break or any(r in present for r in identity):
        return False
    return sum(1 for r in _DESCRIBING if r in present) >= 3


def _group(aligned: list[_Aligned], slots: list[Slot], warnings: list[str],
           records: bool = False) -> list[RawRow]:
    """Group aligned rows into items: new items, continuation rows, category headings.
    ``records``: the grid's rows are the table's rows (``_RECORD_FORMATS``)."""
    roles = [s.role for s in slots]
    kinds = {s.role: s.kind for s in slots}
    numbered = "number" in roles
    levels = [r for r in C.LEVEL_ROLES if r in roles]
    carry_levels = levels[:-1] if len(levels) > 1 else []
    # a numbered table whose only level is the category (序号 | 一级事项 | 公开内容 …): a
    # numbered row without it sits under a merged category cell, which comes down
    fill_levels = carry_levels or (levels if numbered and levels == ["level1"] else [])
    heading_roles = set(carry_levels) | {"ordinal"}
    identity = [r for r in roles if r in C.IDENTITY_ROLES]

    items: list[RawRow] = []
    context: dict[str, str] = {}
    leading: list[_Aligned] = []      # fragments above the first item's main row
    for a in aligned:
        vals = dict(a.vals)
        # a 序号 column that holds both item numbers and category ordinals
        if "ordinal" not in roles and cell_type(vals.get("number", ("", 0))[0]) == "ordinal":
            vals["ordinal"] = vals.pop("number")
        present = {r for r, (t, _) in vals.items() if t.strip()}
        # copies of merged cells name the item above, not a new one
        has_number = "number" in present and "number" not in a.copied
        has_identity = any(r in present and r not in a.copied for r in identity)

        # a category heading: only an ordinal and/or upper levels, nothing of an item
        if present and present <= heading_roles and (numbered or carry_levels) and (
                "ordinal" in present or not a.page_break):
            _update_context(context, vals, carry_levels)
            continue

        unnamed = False
        if not items:
            if not has_identity:
                leading.append(a)
                continue
            starts = True
        elif numbered:
            starts = has_number or (has_identity and not a.page_break)
        else:
            unnamed = records and _own_item_under_blank_name(a, present, identity)
            starts = has_identity or _own_item_under_merged_name(a, present, identity) or unnamed
        if not starts:
            _append(items[-1], {r: v for r, v in vals.items() if r not in a.copied}, a.line, kinds)
            _note_unplaced(items[-1], a, slots)
            continue

        # a merged cell's copy was not read in this row either: it counts as carried
        item = RawRow(values={r: "" for r in roles}, lines=[a.line], columns={},
                      carried=set(a.copied), warnings=[])
        for r, (t, col) in vals.items():
            item.values[r] = t
            if t.strip():
                item.columns[r] = col
        if leading:
            _prepend(item, leading, kinds)
            leading = []
        _same_as_above(item, items[-1] if items else None)
        _top_level_first(item, context, levels, a.line)
        _carry_down(item, context, fill_levels)
        if unnamed:
            for r in identity:
                if not item.values.get(r, "").strip() and items[-1].values.get(r, "").strip():
                    item.values[r] = items[-1].values[r]
                    item.carried.add(r)
        if numbered and not item.values.get("number", "").strip():
            prev_n = _int(items[-1].values.get("number", "")) if items else 0
            n = (prev_n or len(items)) + 1
            item.values["number"] = str(n)
            item.warnings.append(f"line {a.line}: row has no item number; numbered {n} after the item above")
        elif numbered and not _NUMBER.match(fold(item.values["number"])):
            item.warnings.append(f"line {a.line}: item number {item.values['number'].strip()!r} "
                                 "is not an Arabic number")
        _note_unplaced(item, a, slots)
        items.append(item)

    if leading:   # nothing but fragments: keep them as one item rather than lose them
        item = RawRow(values={r: "" for r in roles}, lines=[], columns={}, carried=set(),
                      warnings=[f"line {leading[0].line}: no row names an item; fragments kept as one item"])
        _prepend(item, leading, kinds)
        items.append(item)

    if aligned and aligned[-1].cut_off and items:
        # on the item it concerns (not repeated in the table's warnings)
        items[-1].warnings.append(f"line {aligned[-1].line}: the file ends inside this row "
                                  f"(it stops before column {roles[-1]!r}); its end is missing")

    if not numbered:
        for n, item in enumerate(items, start=1):
            item.values["number"] = str(n)
        if items:
            warnings.append(f"no item-number column: items numbered 1..{len(items)} in reading order")
    else:
        _renumber_repeats(items, warnings)
    return items


#: key of ``RawRow.values`` keeping the 序号 as written when items had to be renumbered
SOURCE_NUMBER = "source_number"

#: key of ``RawTable.meta``: the note of the 时限 header (公开时限（工作日） → 工作日), the unit
#: of the column's bare numbers
TIME_LIMIT_UNIT = "time_limit_unit"


def _renumber_repeats(items: list[RawRow], warnings: list[str]) -> None:
    """Items whose numbers repeat are renumbered in reading order.

    Some lists number their categories, not their items: the 序号 cell is merged over the
    items of a category, so items after the first have none and the next category's number
    repeats one already given to an item. Item IRIs are minted from the numbers, which must
    therefore be unique; the 序号 as written is kept (``source_number``).
    """
    nums = [_int(it.values.get("number", "")) for it in items]
    if len(set(nums)) == len(nums):
        return
    for n, item in enumerate(items, start=1):
        written = item.values.get("number", "")
        if written.strip() and "number" not in item.carried and not any(
                "row has no item number" in w for w in item.warnings):
            item.values[SOURCE_NUMBER] = written
        item.warnings = [w for w in item.warnings if "row has no item number" not in w]
        item.values["number"] = str(n)
    warnings.append(f"item numbers repeat (序号 numbers the categories, merged over their items): "
                    f"items renumbered 1..{len(items)} in reading order, 序号 kept as {SOURCE_NUMBER!r}")


def _top_level_first(item: RawRow, context: dict[str, str], levels: list[str], line: int) -> None:
    """A row with two deeper levels but no category, and no category above to carry down.

    Its first name spans the category columns (a cell merged across 一级 and 二级事项): it is
    the category, and the name below it the item's.
    """
    if len(levels) < 3 or levels[0] != "level1" or context.get("level1"):
        return
    v = item.values
    if v.get("level1", "").strip():
        return
    filled = [r for r in levels[1:] if v.get(r, "").strip()]
    if len(filled) < 2:
        return
    v["level1"], v[filled[0]] = v[filled[0]], ""
    item.warnings.append(f"line {line}: no 一级事项 cell and no category above it; the first name "
                         f"{clean_text(v['level1'])!r} is taken as the category")


#: key of ``RawRow.values`` holding mark-column texts whose column could not be known
UNPLACED_MARKS = "unplaced_marks"


def _note_unplaced(item: RawRow, a: _Aligned, slots: list[Slot]) -> None:
    if not a.unplaced:
        return
    names = [s.role for s in slots if s.kind == "mark"]
    texts = " ".join(t.strip() for t in a.unplaced)
    have = item.values.get(UNPLACED_MARKS, "")
    item.values[UNPLACED_MARKS] = f"{have} {texts}".strip()
    item.warnings.append(
        f"line {a.line}: {len(a.unplaced)} cell(s) ({texts}) under the {len(names)} mark columns "
        f"({', '.join(names)}), but this extraction dropped empty cells, so which columns they "
        "belong to cannot be known; left unset")


def _prepend(item: RawRow, leading: list[_Aligned], kinds: dict[str, str]) -> None:
    """Put fragments found above an item's main row (vertically centred cells) before its text."""
    head = RawRow(values={r: "" for r in item.values}, lines=[], columns={}, carried=set(), warnings=[])
    for a in leading:
        _append(head, a.vals, a.line, kinds)
    for role, text in head.values.items():
        if text.strip():
            mine = item.values.get(role, "")
            item.values[role] = text + ("\n" + mine if mine.strip() else "")
            item.columns[role] = head.columns[role]
    first = item.lines[0] if item.lines else None
    item.lines[:0] = head.lines
    item.warnings.append(
        f"lines {', '.join(str(n) for n in head.lines)} precede the item's first row"
        + (f" (line {first})" if first is not None else "") + "; their cells are joined to it")


def _int(text: str) -> int | None:
    m = re.match(r"\d+", fold(text))
    return int(m.group()) if m else None


def _append(item: RawRow, vals: dict[str, tuple[str, int]], line: int, kinds: dict[str, str]) -> None:
    """Append a continuation row's fragments to the item they continue."""
    item.lines.append(line)
    for role, (text, col) in vals.items():
        if not text.strip():
            continue
        have = item.values.get(role, "")
        if not have.strip():
            item.values[role] = text
            item.columns.setdefault(role, col)
        elif kinds.get(role) == "mark":
            if fold(text) != fold(have):
                item.values[role] = have + "\n" + text
        else:
            item.values[role] = have + "\n" + text


def _same_as_above(item: RawRow, above: RawRow | None) -> None:
    for role, text in list(item.values.items()):
        if fold(text) in _SAME_AS_ABOVE:
            if above is None or not above.values.get(role, "").strip():
                # 同上 is no value of its own (no legal source, no time limit named 同上)
                item.values[role] = ""
                item.warnings.append(f"line {item.lines[0]}: {role} says 同上 but the row above has no "
                                     "value; left empty")
                continue
            item.values[role] = above.values[role]
            item.carried.add(role)


def _update_context(context: dict[str, str], vals: dict[str, tuple[str, int]],
                    carry_levels: list[str]) -> None:
    for k, level in enumerate(carry_levels):
        text = vals.get(level, ("", 0))[0]
        if text.strip():
            context[level] = text
            for deeper in carry_levels[k + 1:]:
                context.pop(deeper, None)
            if level == carry_levels[0]:
                context.pop("ordinal", None)
    ordinal = vals.get("ordinal", ("", 0))[0]
    if ordinal.strip():
        context["ordinal"] = ordinal


def _carry_down(item: RawRow, context: dict[str, str], carry_levels: list[str]) -> None:
    """Fill the upper levels (and the category ordinal) from the last row that had them."""
    v = item.values
    _update_context(context, {r: (v.get(r, ""), 0) for r in [*carry_levels, "ordinal"]}, carry_levels)
    for level in carry_levels:
        if not v.get(level, "").strip() and context.get(level):
            v[level] = context[level]
            item.carried.add(level)
    # the ordinal belongs to the category: it comes down with it (also from heading rows
    # when the table has no ordinal column)
    if not v.get("ordinal", "").strip() and context.get("ordinal") and (
            carry_levels and carry_levels[0] in item.carried):
        v["ordinal"] = context["ordinal"]
        item.carried.add("ordinal")
