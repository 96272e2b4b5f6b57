"""Reader for catalogues written as numbered text, without a table: ``numbered-text``.

Older catalogues (the 政府信息公开目录 of 2008–2012) and some 主动公开基本目录 are no table
but numbered entries, one per paragraph::

    一、主动公开重点领域信息
    (一)机构职能。主动公开本部门机构职能、机构设置、下属单位、权责清单等。
    (二)法规文件。现行有效的由市卫生健康委发布的规范性文件。

or run together on one line, as a web page's text keeps them::

    01机构设置、主要职能、办事程序； 02地方性法规、政府规章和规范性文件； … 14、社会公益事业建设情况；

Every numbered entry is an item: its name runs to the first 。, ；or ：(when that is short
enough to be a name), the rest is its content. The entries of an outer numbering (一、) are the
first level of those under them. Such a catalogue has no legal basis, time limit or channel
columns: its items are read without them, and validation says what is missing.

A catalogue may number both levels alike (``01 机构职能 01 机构领导 02 机构设置 02 规范性文件``):
a zero-padded 01 right after an entry starts the numbering under it, and a number that does
not go on with that numbering goes back to the outer one.

Recognised only when the page's title names a catalogue (…目录, …清单, a bracketed 试行 or
edition after it; or a title naming one in passing, 关于报备…目录的报告, when the entries are
numbered 01, 02 … as catalogues are) and at least five entries of one numbering follow each
other from 1, and
no table header is in the text (a table whose cells are run together is refused as such, not
read as numbered text). The reader returns a grid of 序号 | 一级事项 | 二级事项 | 公开内容
(or 序号 | 信息名称 | 公开内容 for a single numbering) for the tabulator.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from gongkai.errors import InputError
from gongkai.readers.cell_lines import looks_like_undelimited
from gongkai.readers.grid import Cell, CellGrid
from gongkai.readers.limits import MAX_CELLS
from gongkai.readers.preamble import header_score
from gongkai.readers.textfile import decode_head, numbered_lines, read_text
from gongkai.text import clean, cn_number, simplify

FORMAT = "numbered-text"

#: how many entries of one numbering, from 1 on, make a catalogue
MIN_ENTRIES = 5
#: how far down the page the catalogue's title is looked for
TITLE_LINES = 40
#: the longest name an entry's text is cut to at its first 。 ；or ：
NAME_MAX = 40
#: the longest title that names a catalogue in passing (a report or notice sending it)
WEAK_TITLE_MAX = 120

_CN = "一二三四五六七八九十"
# the numberings, outermost first as lists usually nest them: 一、 (一) 1、 / 01 / 1.
_MARKER = re.compile(
    rf"(?:(?<=^)|(?<=[\s；;。，,：:]))"
    rf"(?:(?P<cn>[{_CN}]{{1,3}})、|[(（](?P<paren>[{_CN}]{{1,3}})[)）]"
    r"|(?P<digits>\d{1,2})(?:[、.．](?!\d)|\s?(?=[\u4e00-\u9fff])))"
)
_MARKS = ("cn", "paren", "digits")
#: the numberings; ``sub`` is a second numbering written like ``digits`` (01 机构职能 01 机构领导
#: 02 机构设置 02 规范性文件: 01 again right after an entry numbers the entries under it)
_KINDS = (*_MARKS, "sub")
# a catalogue's title: …目录 or …清单, perhaps a bracketed 试行 / edition after it
_TITLE = re.compile(r"(目录|清单)(?:\s*[(（][^()（）]{0,12}[)）])*$")
_TITLE_LABEL = re.compile(r"^\s*(?:标题|题目)\s*[:：]\s*")
# where an entry's name ends
_NAME_END = re.compile(r"[。；;：:]")
# a page's furniture after the last entry
_FURNITURE = re.compile(r"\s+(?:附件下载|附件|相关附件|打印本页|【打印】|打印|关闭窗口|【关闭】|返回顶部)(?:\s.*)?$")


@dataclass(frozen=True)
class _Marker:
    kind: str
    number: int
    line: int
    start: int      # where the marker begins in its line
    end: int        # where the entry's text begins
    padded: bool = False    # written with a leading zero (01): a catalogue's numbering


def _title_line(lines: list[tuple[int, str]]) -> tuple[int, bool] | None:
    """Index in ``lines`` of the first line that is a catalogue's title, and whether it names
    the catalogue only in passing (关于报备…目录…的报告: True), or None."""
    weak: int | None = None
    for i, (_, text) in enumerate(lines[:TITLE_LINES]):
        t = simplify(clean(_TITLE_LABEL.sub("", text))).strip()
        if t and len(t) <= 80 and _TITLE.search(t):
            return i, False
        if weak is None and t and len(t) <= WEAK_TITLE_MAX and "目录" in t:
            weak = i
    return (weak, True) if weak is not None else None


#: how far a numbering may jump (items 26–29 left out of the page) where the entry before
#: ends with ；or ; — anywhere else a jump means the number is text
MAX_JUMP = 9
_ENTRY_END = re.compile(r"[；;]\s*$")


def _follows(mk: _Marker, last: dict[str, int], outer_before: bool, before: str) -> bool:
    """True when a marker goes on from the last one of its kind: the next number; 1 again
    under an entry of another numbering; or a jump of a few numbers after an entry's ；."""
    previous = last.get(mk.kind, 0)
    if mk.number == previous + 1 or (mk.number == 1 and previous and outer_before):
        return True
    return previous > 0 and previous + 1 < mk.number <= previous + MAX_JUMP and bool(_ENTRY_END.search(before))


def _markers(lines: list[tuple[int, str]], kinds: tuple[str, ...] = _KINDS) -> list[_Marker]:
    """Every numbering marker of ``kinds`` that goes on from the one before it of its kind
    (:func:`_follows`): a number in the text is no marker. A zero-padded 01 right after an
    entry of ``digits`` starts the numbering ``sub`` under it; a number that goes on from
    ``sub`` stays there, one that goes on from ``digits`` ends it."""
    found: list[_Marker] = []
    last: dict[str, int] = {}
    for n, text in lines:
        for m in _MARKER.finditer(text):
            kind = next(k for k in _MARKS if m.group(k))
            value = int(m.group(kind)) if kind == "digits" else cn_number(m.group(kind))
            if value is None:
                continue
            if kind == "digits":
                kind = _digits_kind(m.group(kind), value, last, found)
            if kind not in kinds:
                continue
            mk = _Marker(kind, value, n, m.start(), m.end(), padded=(m.group("digits") or "").startswith("0"))
            outer_before = bool(found) and found[-1].kind != kind
            if _follows(mk, last, outer_before, text[:m.start()]):
                last[kind] = value
                if kind == "digits":
                    last.pop("sub", None)       # the entries under the one before are over
                found.append(mk)
    return found


def _digits_kind(written: str, value: int, last: dict[str, int], found: list[_Marker]) -> str:
    """``sub`` for a number that starts (a zero-padded 01 right after an entry of ``digits``)
    or goes on with the numbering under an entry of ``digits``; else ``digits``."""
    if "sub" in last and value == last["sub"] + 1:
        return "sub"
    if written == "01" and found and found[-1].kind == "digits":
        return "sub"
    return "digits"


def _levels(markers: list[_Marker]) -> list[str]:
    """The numberings that make the catalogue's levels, outermost first: those with entries
    numbered on from 1 to at least two, in the order they first appear, at most two, the
    innermost with at least ``MIN_ENTRIES`` entries."""
    counts: dict[str, int] = {}
    for mk in markers:
        counts[mk.kind] = counts.get(mk.kind, 0) + 1
    order = list(dict.fromkeys(mk.kind for mk in markers if counts[mk.kind] >= 2))
    for k in range(len(order)):
        chosen = order[k:k + 2] if len(order) > k + 1 and counts[order[k + 1]] >= MIN_ENTRIES else order[k:k + 1]
        if counts[chosen[-1]] >= MIN_ENTRIES:
            return chosen
    return []


def _entries(lines: list[tuple[int, str]], markers: list[_Marker]) -> list[tuple[_Marker, str]]:
    """Each marker with its entry's text: to the next marker on its line, else to the end of
    its line and the lines after it up to a blank line or the next marker's line."""
    text_of = dict(lines)
    index = {n: i for i, (n, _) in enumerate(lines)}
    out: list[tuple[_Marker, str]] = []
    for k, mk in enumerate(markers):
        nxt = markers[k + 1] if k + 1 < len(markers) else None
        if nxt is not None and nxt.line == mk.line:
            out.append((mk, text_of[mk.line][mk.end:nxt.start]))
            continue
        parts = [text_of[mk.line][mk.end:]]
        for n, text in lines[index[mk.line] + 1:]:
            if not text.strip() or (nxt is not None and n >= nxt.line):
                break
            parts.append(text)
        out.append((mk, "".join(p.strip() for p in parts)))
    if out:
        last_marker, last_text = out[-1]
        last_text = _FURNITURE.sub("", last_text)
        # entries that are bare names written one after the other on a line (01 机构职能 02 …):
        # the last one ends at its first blank, the page going on after it
        same_line = [text for mk, text in out[:-1] if mk.line == last_marker.line]
        if len(same_line) >= 2 and not any(_NAME_END.search(x) or len(x.split()) > 1 for x in same_line):
            last_text = last_text.split()[0] if last_text.split() else last_text
        out[-1] = (last_marker, last_text)
    return out


def _name_and_content(text: str) -> tuple[str, str]:
    """An entry's name (to its first 。 ；or ：, when that is short enough) and content."""
    t = text.strip(" 、.．\u3000").rstrip("；;，,")
    m = _NAME_END.search(t)
    if m and 0 < m.start() <= NAME_MAX:
        return t[:m.start()].strip(), t[m.end():].strip(" 。；;")
    return t.rstrip("。"), ""


def _read(lines: list[tuple[int, str]]) -> tuple[int, list[str], list[tuple[_Marker, str]]] | None:
    """(the title's index, the levels, the entries) of a numbered catalogue, or None."""
    if header_score([s.strip() for _, s in lines[:600]]) >= 3:
        return None             # a table's header in the text: not a catalogue without a table
    title = _title_line(lines)
    if title is None:
        return None
    t, weak = title
    body = lines[t + 1:]
    levels = _levels(_markers(body))
    if not levels:
        return None
    markers = _markers(body, tuple(levels))
    # a title naming a catalogue in passing: only a catalogue's own numbering (01, 02 …) counts
    if weak and not (markers and markers[0].padded and levels[0] == "digits"):
        return None
    return t, levels, _entries(body, markers)


def looks_like_numbered_text(head: bytes, path: Path | None = None) -> bool:  # noqa: ARG001  (the sniffer protocol: ReaderSpec.sniff(head, path))
    """A catalogue's title, then at least five numbered entries, and no table header."""
    if looks_like_undelimited(head):
        return False
    text = decode_head(head)
    if "\x00" in text or text.lstrip("\ufeff \r\n").lower().startswith(("<!doctype", "<html", "<?xml")):
        return False
    lines, _ = numbered_lines(text)
    return _read(lines) is not None


def read_numbered_text(path: str | Path) -> CellGrid:
    """Read a catalogue of numbered entries into a grid of 序号 | levels | 公开内容."""
    name = str(path)
    lines, meta = numbered_lines(read_text(path))
    found = _read(lines)
    if found is None:
        raise InputError(name, "no table recognised, and no catalogue of numbered entries under a title")
    t, levels, entries = found
    if len(entries) > MAX_CELLS:
        raise InputError(name, f"more than {MAX_CELLS:,} numbered entries: not read")
    first = entries[0][0].line
    grid = CellGrid(source=name, format=FORMAT, meta=meta,
                    preamble=[(n, s.strip()) for n, s in lines if n < first and s.strip()])
    names = ["一级事项", "二级事项"] if len(levels) == 2 else ["信息名称"]
    grid.rows.append([Cell(h, 0, c, line=lines[t][0]) for c, h in enumerate(["序号", *names, "公开内容"])])
    outer: tuple[str, int] | None = None        # the outer entry's name and line, until its first child
    count = 0

    def add(line: int, values: list[str], number: int | None = None) -> None:
        """One item; its number as written when the list has one numbering, else counted."""
        nonlocal count
        count += 1
        r = len(grid.rows)
        written = str(number if number is not None else count)
        grid.rows.append([Cell(v, r, c, line=line) for c, v in enumerate([written, *values])])

    for mk, text in entries:
        item, content = _name_and_content(text)
        if len(levels) == 2 and mk.kind == levels[0]:
            if outer is not None and outer[1] >= 0:     # an outer entry with no entries under it
                add(outer[1], [outer[0], outer[0], ""])
            outer = (item, mk.line)
            continue
        if len(levels) == 2:
            parent = outer[0] if outer is not None else ""
            add(mk.line, [parent, item, content])
            outer = (parent, -1) if outer is not None else None
        else:
            add(mk.line, [item, content], mk.number)
    if outer is not None and outer[1] >= 0:
        add(outer[1], [outer[0], outer[0], ""])
    grid.warnings.append(
        f"read as a catalogue of numbered entries without a table ({count} entries under the title on "
        f"line {lines[t][0]}): its items have no legal basis, time limit, publisher or channels")
    return grid
