"""Fragments of a stream → rows of cells: for text that keeps no sign of where a cell ends.

``cell-lines`` and ``space-text`` give *fragments* (see their module doc): a cell may be
several of them, empty cells leave nothing, and nothing marks a row's end. Once
:mod:`gongkai.tabulate.stream` has read the header, :func:`rows_of_fragments` cuts the
fragments after it into rows and groups them into cells:

- a row starts at the next item number (``1``, ``2`` … as a fragment of its own), and also
  after a check-box cell when what follows has its own check-box cell (items sharing a
  merged number);
- inside a row, fragments are grouped into cells and assigned to columns by one dynamic
  programme (:func:`assign_fragments`): a group scores by how well its content fits the
  column (:data:`gongkai.tabulate.cells._AFF`), joining two fragments costs unless the
  second visibly continues the first (:func:`join_score`: the next number of an
  enumeration, another check box, another 《title》 unless the one before ends its sentence
  with 。, the rest of a time limit, two names written together twice in the row), and
  a column left out costs by how often real tables leave it empty (category levels merged
  from above, the levels of a directory catalogue and mark columns: little; content, legal
  basis, time limit: much);
- a numbered row may hold more rows without a number of their own, under the merged one
  (:func:`assign_rows`): one begins with a name once the row before it has reached its last
  text column, and takes the number, the category and the legal basis merged over it from
  the row above (as copies of merged cells, ``Cell.spanned``);
- a cell of a name column (a category level, the item) made only of short words, one per
  fragment (法规 / 政策), may be one name wrapped in a narrow column: it scores as a visible
  continuation (:data:`WRAPPED_NAME`, once) instead of the joins between its words. That
  is less than a second name cell earns, so two such words stay a category and its item
  unless the rest of the row fits better once they are one (a name, a content, a legal
  basis each where its column is); it is no evidence in another column, nor for a longer
  piece (综合业务 / 政策).

Mark columns keep no position in a stream, so the cells found after the channel column
are written one after the other and the grid says ``collapsed_empty_cells``: the
tabulator then places them only when there is no doubt (see ``tabulate.align._unplaced_marks``).
"""

from __future__ import annotations

import re

from gongkai import columns
from gongkai.errors import InputError
from gongkai.readers.grid import Cell
from gongkai.tabulate.cells import _AFF, cell_type
from gongkai.text import clean, fold

#: the score of a placement that cannot be reached
_NEG = float("-inf")

_BOX = re.compile(r"[■□☐☑☒▣▢þ▄]|<input\b|^口(?=[\u4e00-\u9fff])|\s口(?=[\u4e00-\u9fff])")
_ENUM = re.compile(r"^\s*(?:[(（]?(\d{1,2})[)）.、．]|(\d{1,2})(?=[\u4e00-\u9fff《]))")
_BULLET = re.compile(r"^\s*[●•·◆▪]")
#: words that name a publication channel (domain vocabulary): two plain-text fragments that
#: both name one are probably one channel cell (政府网站 / 交通部门网站 / 入户/现场)
CHANNEL_WORDS: tuple[str, ...] = (
    "网站", "网", "公众号", "微信", "微博", "两微一端", "新媒体", "客户端", "公报", "报纸", "报刊",
    "广播", "电视", "公示栏", "公开栏", "宣传栏", "查阅点", "服务中心", "服务站", "服务大厅", "大厅",
    "入户", "现场", "发布会", "听证会", "平台", "电子屏", "精准推送", "短信", "热线",
)
_NUMBER = re.compile(r"^\d{1,3}[.、．]?$")


def _boxed(text: str) -> bool:
    return bool(_BOX.search(text))


def _channel_words(text: str) -> bool:
    f = fold(text)
    return any(w in f for w in CHANNEL_WORDS)


def _enum_number(text: str) -> int | None:
    m = _ENUM.match(text)
    if not m:
        return None
    return int(m.group(1) or m.group(2))


def join_score(prev: str, nxt: str) -> float:
    """How likely fragment ``nxt`` continues the cell whose last fragment is ``prev``.

    Positive with visible evidence of continuation, negative otherwise.
    """
    if _boxed(prev) and _boxed(nxt):
        return 1.5
    n = _enum_number(nxt)
    if n is not None and n > 1:
        prev_nums = [_enum_number(line) for line in prev.split("\n")]
        if n - 1 in prev_nums or _enum_number(prev) == n - 1:
            return 2.0
    if _BULLET.match(nxt) and _BULLET.match(prev):
        # bullets of one list are written alike: a change of style (《title》 → bare title)
        # is where one cell may end and the next begin
        last = prev.split("\n")[-1]
        return 1.5 if ("《" in last) == ("《" in nxt) else 0.5
    if "《" in prev and "《" in nxt:
        # titles after a sentence closed by 。 (《条例》;《办法》。 / 《规定》) may as well begin
        # the next cell: the legal basis after a content that lists titles
        return 0.0 if prev.rstrip().endswith("。") else 1.0
    tp, tn = cell_type(prev), cell_type(nxt)
    if tp == "time" and (tn == "time" or (len(fold(nxt)) <= 4 and not _TIME_END.search(fold(prev)))):
        return 1.0
    if nxt.strip().startswith(("(", "（")):
        return 0.5
    if _channel_words(prev) and _channel_words(nxt) and tp == tn == "text":
        return 1.0
    if _ELEMENT_END.search(prev.split("\n")[-1]) and tp == tn == "text" and not _boxed(nxt):
        # the elements of a content, one per paragraph, each closed by ；(政策依据; / 申请指南:…)
        return 1.0
    return -2.5


#: how an element of an enumerated content ends: a semicolon
_ELEMENT_END = re.compile(r"[;；]\s*$")


#: the columns that name an item or its categories: narrow, so a name may wrap there
_NAME_ROLES = frozenset({"category", *columns.LEVEL_ROLES, "item"})
#: the longest fragment that counts as a piece of a wrapped name: a word (法规, 政策)
_WORD_PIECE = 2
#: the score of a name cell made of several such pieces, in place of the joins between them
WRAPPED_NAME = 1.0


def word_piece(text: str) -> bool:
    """Whether a fragment is one short word of plain text on one line (法规, 政策): what a
    name wrapped in a narrow column leaves on each of its lines."""
    return "\n" not in text.strip() and 0 < len(fold(text)) <= _WORD_PIECE and cell_type(text) == "text"


#: how a whole time limit ends (…20个工作日内, 每年1月31日前): what follows it is no more of it
_TIME_END = re.compile(r"(?:内|前|以前|之前)[。;；]?$")


#: cost of leaving a column of this role out of a row
def _skip_cost(role: str, kind: str, carried: set[str], empty: frozenset[str] = frozenset()) -> float:
    if kind == "mark":
        return 0.0
    if role in empty:
        return 0.1
    if role in carried:
        return 0.5
    if role in ("number", "ordinal"):
        return 1.5
    if role in ("content", "legal_basis", "time_limit", "publisher", "channels", "item") \
            or role in columns.LEVEL_ROLES:
        return 2.5
    if role in ("mode", "audience"):
        return 1.0
    return 0.3


#: how the title of a law or regulation ends when it is written without 《》
_LAW_TITLE = re.compile(r"(?:法|条例|办法|规定|规程|细则|意见|通知|决定|规划|标准)"
                        r"(?:[（(][^（()）]{1,20}[)）])?[;；,，。、]?$")
_BULLETS = "●•·◆▪ \t"


def fragment_type(text: str) -> str:
    """The content type of a fragment (``tabulate.cell_type``), with one addition: a bare
    title of a law (●中华人民共和国政府信息公开条例) counts as a citation."""
    t = cell_type(text)
    if t == "text" and _LAW_TITLE.search(clean(text).lstrip(_BULLETS)) and len(clean(text)) <= 60:
        return "citation"
    return t


_TEXT_IN_MARK = -2.0
_TRAILING_SKIP = 0.3
#: the most fragments one cell may take (a channel list of one option per line has ~15)
_MAX_GROUP = 40


def _type_score(t: str, kind: str, channel_words: bool) -> float | None:
    """Affinity of a group of type ``t`` for a column of ``kind`` (None: impossible)."""
    if kind == "mark" and t != "mark":
        # a text under a mark column (项目单位 under 特定群众 instead of a √): kept apart
        # rather than glued to the cell before it
        return None if t == "channels" else _TEXT_IN_MARK
    a = _AFF[kind].get(t)
    if a is None:
        return None
    if kind == "channels" and t == "text" and channel_words:
        a += 1.0
    return a


def assign_fragments(texts: list[str], roles: list[tuple[str, str]],
                     carried: set[str]) -> list[tuple[int, int, int]] | None:
    """Group consecutive fragments into cells and assign them to columns.

    ``roles`` are (role, kind) of the table's columns in order; ``carried`` the roles a
    row may leave out because they come down from the row above (none for the first row).
    Returns (first fragment, end fragment, column) per cell, or None when no assignment
    exists.
    """
    rows = assign_rows(texts, roles, carried)
    return None if rows is None else rows[0]


#: the join score of two fragments written one after the other twice in a row
_REPEATED_JOIN = -0.5


def _repeated_pairs(texts: list[str]) -> list[int]:
    """The fragments ``k`` that follow fragment ``k - 1`` in the same way twice among the
    fragments of a row, both of them names (short texts): a cell of two paragraphs written
    again in another column (a directory level repeating the item's name, 国家制度 / 省级制度)
    is more likely one cell in both places than two."""
    seen: dict[tuple[str, str], list[int]] = {}
    for k in range(1, len(texts)):
        a, b = fold(texts[k - 1]), fold(texts[k])
        if all(2 <= len(x) <= _SHORT_NAME and cell_type(x) == "text" for x in (a, b)):
            seen.setdefault((a, b), []).append(k)
    return [k for ks in seen.values() if len(ks) >= 2 for k in ks]


#: the longest fragment read as a name
_SHORT_NAME = 12


#: the cost of beginning another row under the merged item number of the row above
_SUB_ROW = 3.0
#: columns a row under a merged number may leave out at the cost of a carried level: the
#: cells merged over such rows (the category, the levels above the item, its legal basis)
#: what a row under a merged number pays more for each level it leaves out before its first name
_DEEPER = 0.05
_MERGED_OVER_SUB_ROWS = frozenset({"category", *columns.LEVEL_ROLES, "legal_basis", "article_text"})


def _last_text_column(roles: list[tuple[str, str]]) -> int | None:
    """The column after which a row is complete: its last column that is not a mark column,
    when that one holds text (a row ending in a check-box cell is cut after it by
    :func:`_split_after_boxes`)."""
    last = max((j for j, (_, kind) in enumerate(roles) if kind != "mark"), default=None)
    return last if last is not None and roles[last][1] == "text" else None


def assign_rows(texts: list[str], roles: list[tuple[str, str]], carried: set[str], sub_rows: bool = False,
                cut: bool = True, empty: frozenset[str] = frozenset()) -> list[list[tuple[int, int, int]]] | None:
    """Group the fragments of one numbered row into cells and columns (as
    :func:`assign_fragments`), and, with ``sub_rows``, into several rows: rows without an
    item number of their own under a merged one.

    Such a row begins once the row before it has reached its last column that is not a mark
    column (a text column: see :func:`_last_text_column`), and begins with a name (a level
    or the item), the columns before it merged from above; it may leave out the cells
    commonly merged over it (``_MERGED_OVER_SUB_ROWS``) at little cost, and must reach the
    last column too, except when it is the last row of the stream and ``cut`` (the text may
    stop in it). ``empty``: roles most rows leave empty (the levels of a directory catalogue),
    left out at almost no cost. Returns the rows' cells, or None when no assignment exists."""
    n, m = len(texts), len(roles)
    if n == 0:
        return [[]]
    end_col = _last_text_column(roles) if sub_rows else None
    names = [r in columns.LEVEL_ROLES or r == "item" for r, _ in roles]
    types = [fragment_type(t) for t in texts]
    boxed = [_boxed(t) or types[k] == "channels" for k, t in enumerate(texts)]
    words = [_channel_words(t) for t in texts]
    joins = [0.0] + [join_score(texts[k - 1], texts[k]) for k in range(1, n)]
    for k in _repeated_pairs(texts):
        joins[k] = max(joins[k], _REPEATED_JOIN)
    prefix = [0.0]
    for v in joins[1:]:
        prefix.append(prefix[-1] + v)           # prefix[k]: joins inside fragments [0, k+1)
    pieces = [word_piece(t) for t in texts]
    named = [role in _NAME_ROLES for role, _ in roles]
    skip = [_skip_cost(r, k, carried, empty) for r, k in roles]
    sub_skip = [min(c, 0.5) if r in _MERGED_OVER_SUB_ROWS else c for c, (r, _) in zip(skip, roles, strict=True)]
    layers = 2 if end_col is not None else 1
    # best[L][i][j]: fragments [0, i) placed, the last cell in column j - 1 (j = 0: none yet)
    # of the first row (L = 0) or of a row under its merged number (L = 1: j = 0, one begins)
    best = [[[_NEG] * (m + 1) for _ in range(n + 1)] for _ in range(layers)]
    back: list[list[list[tuple[int, int, int] | None]]] = [
        [[None] * (m + 1) for _ in range(n + 1)] for _ in range(layers)]
    best[0][0][0] = 0.0
    for i in range(n):
        if end_col is not None and i > 0:
            for layer in range(layers):
                for j in range(end_col + 1, m + 1):
                    v = best[layer][i][j] - _SUB_ROW
                    if v > best[1][i][0]:
                        best[1][i][0], back[1][i][0] = v, (layer, i, j)
        # the groups starting at fragment i: (end, type, joined score inside, the same in a
        # name column, channel words)
        groups: list[tuple[int, str, float, float, bool]] = []
        any_box, all_words, all_pieces = False, True, True
        for k in range(i + 1, min(n, i + _MAX_GROUP) + 1):
            any_box = any_box or boxed[k - 1]
            all_words = all_words and words[k - 1]
            all_pieces = all_pieces and pieces[k - 1]
            t = "channels" if any_box else types[i]
            inner = prefix[k - 1] - prefix[i]
            wrapped = max(inner, WRAPPED_NAME) if all_pieces and k > i + 1 else inner
            groups.append((k, t, inner, wrapped, all_words))
        for layer in range(layers):
            costs = sub_skip if layer else skip
            for j in range(m + 1):
                base = best[layer][i][j]
                if base == _NEG:
                    continue
                fresh = layer == 1 and j == 0       # a row under a merged number begins
                skipped = 0.0
                for j2 in range(j, m):
                    _role, kind = roles[j2]
                    if fresh and not names[j2]:
                        continue                    # its columns before its name are merged
                    single = kind in ("mark", "number", "ordinal")
                    for k, t, inner, wrapped, cw in groups:
                        if single and k > i + 1:
                            break
                        a = _type_score(t, kind, cw)
                        if a is None:
                            continue
                        if layer and kind == "citation" and t != "citation":
                            a = min(a, 0.0)         # under a merged number, the basis is merged too
                        v = base - skipped + a + (wrapped if named[j2] else inner)
                        if v > best[layer][k][j2 + 1]:
                            best[layer][k][j2 + 1], back[layer][k][j2 + 1] = v, (layer, i, j)
                    if not fresh:
                        skipped += costs[j2]
                    elif names[j2]:
                        # a level left out before the row's first name: merged from above, but
                        # rows name their upper levels rather than their deeper ones
                        skipped += costs[j2] + _DEEPER
    # columns after the last cell are left out too, at a lower price: a row cut off by the
    # end of the file stops early without anything being merged or empty
    rest = [0.0] * (m + 1)
    for jj in range(m - 1, -1, -1):
        rest[jj] = rest[jj + 1] + _TRAILING_SKIP * skip[jj]
    ends = [(best[0][n][jj] - rest[jj], 0, jj) for jj in range(m + 1)]
    if layers == 2:
        ends += [(best[1][n][jj] - (rest[jj] if cut else 0.0), 1, jj) for jj in range(1, m + 1)
                 if cut or jj > (end_col or 0)]
    score, layer, j = max(ends, key=lambda e: e[0])
    if score == _NEG:
        return None
    rows: list[list[tuple[int, int, int]]] = [[]]
    i = n
    while i > 0 or layer == 1:
        prev = back[layer][i][j]
        assert prev is not None
        if layer == 1 and j == 0:
            rows.append([])                     # the row just read began under a merged number
        else:
            rows[-1].append((prev[1], i, j - 1))
        layer, i, j = prev
    return [list(reversed(r)) for r in reversed(rows) if r]


def _split_fragments(tokens: list[Cell], numbered: bool) -> list[list[Cell]]:
    """Cut fragments into rows at item numbers and after check-box cells (see module doc)."""
    rows: list[list[Cell]] = []
    cur: list[Cell] = []
    expected: int | None = None
    for t in tokens:
        f = fold(t.text)
        if numbered and _NUMBER.match(f) and (digits := re.match(r"\d+", f)):
            n = int(digits.group())
            if (expected is None and n <= 2) or n == expected:
                if cur:
                    rows.append(cur)
                cur = [t]
                expected = n + 1
                continue
        cur.append(t)
    if cur:
        rows.append(cur)
    out: list[list[Cell]] = []
    for row in rows:
        out.extend(_split_after_boxes(row))
    return out


def _split_after_boxes(row: list[Cell]) -> list[list[Cell]]:
    """Items sharing a merged number: a new row after a check-box cell when the fragments
    that follow hold check boxes of their own (a second channel cell)."""
    parts: list[list[Cell]] = []
    start = 0
    k = 0
    while k < len(row):
        if _boxed(row[k].text):
            e = k
            while e + 1 < len(row) and _boxed(row[e + 1].text):
                e += 1
            rest = row[e + 1:]
            nxt = next((x for x, c in enumerate(rest) if _boxed(c.text)), None)
            if rest and nxt is not None and nxt >= 3 and cell_type(rest[0].text) not in ("mark", "empty"):
                parts.append(row[start:e + 1])
                start = e + 1
            k = e + 1
            continue
        k += 1
    parts.append(row[start:])
    return [p for p in parts if p]


def _merged_from_above(row: list[Cell], above: list[Cell], roles: list[tuple[str, str]]) -> list[Cell]:
    """A row read under the merged number of the row ``above``: with copies (``Cell.spanned``)
    of the number and of the cells merged over it that it leaves out (the columns before its
    first cell, its category and legal basis; the levels come down as in any table)."""
    have = {c.col for c in row}
    start = min(have)
    copies = [Cell(c.text, 0, c.col, row[0].line, spanned=True) for c in above
              if c.col not in have and c.col < len(roles) and roles[c.col][1] != "mark"
              and roles[c.col][0] not in columns.LEVEL_ROLES
              and (c.col < start or roles[c.col][0] in _MERGED_OVER_SUB_ROWS)]
    return sorted([*copies, *row], key=lambda c: c.col)


def rows_of_fragments(data: list[Cell], roles: list[tuple[str, str]], width: int,
                      warnings: list[str], source: str) -> list[list[Cell]]:
    """The fragments after a stream's header (empty ones left out) as rows of cells.

    ``roles`` are (role, kind) of the table's columns and ``width`` their number.
    Raises :class:`InputError` when nothing tells the rows apart."""
    levels = [r for r in columns.LEVEL_ROLES if r in {role for role, _ in roles}]
    carried = set(levels[:-1])
    # a directory catalogue (分类 | 一级目录 … 四级目录 | 公开事项): most rows leave its levels empty
    empty = frozenset(levels if columns.directory_catalogue([r for r, _ in roles]) else ())
    numbered = any(r == "number" for r, _ in roles)
    first_mark = next((j for j, (_, k) in enumerate(roles) if k == "mark"), len(roles))
    rows: list[list[Cell]] = []
    parts = _split_fragments(data, numbered)
    if len(parts) == 1 and len(parts[0]) > 3 * len(roles):
        # read as one row, the other rows' text would be lost in its cells
        raise InputError(source, "nothing tells this table's rows apart (no item numbers, no "
                         f"check-box cells; {len(parts[0])} text fragments for {len(roles)} columns): "
                         "where one row ends and the next begins cannot be known without guessing, "
                         "so nothing is read. Extract the table again with '|' after each cell "
                         "and one row per line, or save the page as HTML", row=parts[0][0].line)
    under: list[int] = []           # lines of the rows read under the merged number above them
    for p, frags in enumerate(parts):
        texts = [f.text for f in frags]
        found = assign_rows(texts, roles, carried if rows else set(), sub_rows=numbered,
                            cut=p == len(parts) - 1, empty=empty)
        line = frags[0].line
        if found is None:
            warnings.append(f"line {line}: {len(frags)} text fragments could not be assigned to "
                            f"the {len(roles)} columns; kept as one cell")
            found = [[(0, len(frags), 0)]]
        first: list[Cell] = []
        for r, cells in enumerate(found):
            out: list[Cell] = []
            tail = first_mark
            for a, b, j in cells:
                text = "\n".join(texts[a:b])
                if j >= first_mark:                 # mark columns keep no position: pack them
                    col, tail = tail, tail + 1
                else:
                    col = j
                out.append(Cell(text, 0, col, frags[a].line))
            if r == 0:
                first = out
            else:
                under.append(out[0].line or 0)
                out = _merged_from_above(out, first, roles)
            rows.append(out)
    if under:
        warnings.append(f"{len(under)} row(s) without an item number under a merged one (lines "
                        + ", ".join(map(str, under[:8])) + (", …" if len(under) > 8 else "")
                        + "): read as items of their own, the number and the cells merged over them "
                        "(category, legal basis) taken from the row above")
    # the rest of a row is empty, except in the last row: nothing says where the text
    # stopped in it (pages are often saved in part), so the tabulator reports it as cut
    for row in rows[:-1]:
        used = max(c.col for c in row) + 1
        if used < width:
            row.append(Cell("", 0, used, row[-1].line, colspan=width - used))
    return rows
