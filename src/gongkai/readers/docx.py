"""Reader for Word documents (.docx): path → :class:`CellGrid` (format id ``docx``).

Bureaus also fill the standard list as a Word table. What Word adds over a spreadsheet:

- **Merges.** A category merged down its items' rows is a ``w:vMerge`` run of cells, a
  header over two columns a ``w:gridSpan``. Like python-docx's ``row.cells`` (which
  returns the same cell for every position of a merge) the reader expands them; the
  copies are flagged ``spanned`` and the origin gets its ``rowspan``/``colspan``. The
  expansion is done on the XML (``w:gridBefore``, ``w:gridSpan``, ``w:vMerge``) so that a
  malformed merge cannot stop the reading.
- **Check boxes** that are not characters: a ``w:sym`` element naming a character of a
  symbol font (Wingdings ``F0FE`` is a ticked box, ``F0A8`` an empty one), a check-box
  content control (``w14:checkbox``), or a legacy form field (``FORMCHECKBOX``). All
  become ``■`` (checked) or ``□`` (not checked), as do the characters ☑ ☒ ☐, so that the
  channel parser sees one notation.
- **Tables continued** across several Word tables (a table re-started on each page, its
  header repeated or not): tables right after the chosen one with the same number of
  columns and the same header, or none but item numbers going on
  (``preamble.continues_numbering``), are appended.
- **Layout tables**: a web page saved as a Word document keeps the table the page was
  laid out with (breadcrumb, title, the list's table nested in a cell, footer); a table
  that holds tables and has no header row of its own is read as the paragraphs and tables
  in its cells.

``Cell.line`` is a block number: paragraphs and table rows of the document body counted
from 1 in reading order, so that the preamble and the rows sort in document order and an
error can say "row 37".
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, cast

from gongkai.errors import InputError
from gongkai.readers import signatures
from gongkai.readers.assemble import Slot, SourceRow, build_grid
from gongkai.readers.grid import CellGrid
from gongkai.readers.limits import TableBudget, check_package, check_table, too_many_cells
from gongkai.readers.preamble import continues_numbering, header_row_index, joined, table_score
from gongkai.readers.properties import office_facts
from gongkai.text import key

if TYPE_CHECKING:  # python-docx and lxml are loaded only when a document is read
    from docx.document import Document
    from docx.oxml.table import CT_Row, CT_Tc
    from lxml.etree import _Element

FORMAT = "docx"

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def _w(tag: str) -> str:
    return f"{{{_W}}}{tag}"


P, TBL, TR, TC, SDT, SDT_CONTENT, SDT_PR = (_w(t) for t in ("p", "tbl", "tr", "tc", "sdt", "sdtContent", "sdtPr"))
T, TAB, BR, CR, SYM, FLDCHAR, RPR, RFONTS = (_w(t) for t in ("t", "tab", "br", "cr", "sym", "fldChar", "rPr", "rFonts"))
NO_BREAK_HYPHEN = _w("noBreakHyphen")
W14_CHECKBOX, W14_CHECKED = f"{{{_W14}}}checkbox", f"{{{_W14}}}checked"
MC_FALLBACK = f"{{{_MC}}}Fallback"

CHECKED, UNCHECKED = "■", "□"

#: check-box glyphs of symbol fonts, by (font, code): the code is the low byte of the
#: private-use character (F0FE → FE) Word stores in ``w:sym`` or in the text.
SYMBOL_BOXES: dict[tuple[str, int], str] = {
    ("wingdings", 0xFE): CHECKED,     # ☑
    ("wingdings", 0xFD): CHECKED,     # ☒
    ("wingdings", 0x78): CHECKED,     # ⌧
    ("wingdings", 0x6E): CHECKED,     # ■
    ("wingdings", 0xA8): UNCHECKED,   # ◻
    ("wingdings", 0x6F): UNCHECKED,   # □
    ("wingdings", 0x71): UNCHECKED,   # ❑
    ("wingdings 2", 0x52): CHECKED,   # ☑
    ("wingdings 2", 0x53): CHECKED,   # ☒
    ("wingdings 2", 0x54): CHECKED,   # ☒
    ("wingdings 2", 0xA3): UNCHECKED,  # □
    ("wingdings 2", 0x2A): UNCHECKED,  # □
}
#: Unicode check boxes written as characters, brought to the same notation
UNICODE_BOXES = {"☑": CHECKED, "☒": CHECKED, "☐": UNCHECKED}


def looks_like_docx(head: bytes, path: Path | None = None) -> bool:
    """A ZIP package with a ``word/`` part (an Office Open XML document)."""
    return signatures.is_zip(head) and signatures.zip_has(head, path, "word/")


# --- text ------------------------------------------------------------------------------

def _symbol(font: str | None, code: int) -> str | None:
    low = code & 0xFF if 0xF000 <= code <= 0xF0FF or code <= 0xFF else None
    if low is None:
        return None
    fonts = [font.lower()] if font else []
    fonts += ["wingdings", "wingdings 2"] if not font else []
    for f in fonts:
        if (f, low) in SYMBOL_BOXES:
            return SYMBOL_BOXES[(f, low)]
    return None


def _run_font(el: _Element) -> str | None:
    """The symbol font of the run holding ``el`` (from ``w:rPr/w:rFonts``), if any."""
    run = el.getparent()
    rpr = run.find(RPR) if run is not None else None
    fonts = rpr.find(RFONTS) if rpr is not None else None
    if fonts is None:
        return None
    for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
        v = fonts.get(_w(attr))
        if v:
            return v
    return None


def _text_chars(text: str, font: str | None) -> str:
    out = []
    for ch in text:
        o = ord(ch)
        if 0xF000 <= o <= 0xF0FF:
            out.append(_symbol(font, o) or ch)
        else:
            out.append(UNICODE_BOXES.get(ch, ch))
    return "".join(out)


def _on(el: _Element | None) -> bool:
    """An OOXML on/off element: present and not val="0/false/off"."""
    if el is None:
        return False
    v = (el.get(_w("val")) or el.get(f"{{{_W14}}}val") or "1").lower()
    return v not in ("0", "false", "off")


def _form_checkbox(fldchar: _Element) -> str | None:
    box = fldchar.find(f"{_w('ffData')}/{_w('checkBox')}")
    if box is None:
        return None
    checked = box.find(_w("checked"))
    if checked is not None:
        return CHECKED if _on(checked) else UNCHECKED
    default = box.find(_w("default"))        # the state when never clicked; its val is required
    return CHECKED if default is not None and _on(default) and default.get(_w("val")) else UNCHECKED


def _inline(el: _Element, parts: list[str]) -> None:
    """Append the text of a paragraph's content, in order."""
    for child in el:
        tag = child.tag
        if not isinstance(tag, str) or tag == MC_FALLBACK:
            continue
        if tag == T:
            parts.append(_text_chars(child.text or "", _run_font(child)))
        elif tag == TAB:
            parts.append(" ")
        elif tag in (BR, CR):
            parts.append("\n")
        elif tag == SYM:
            try:
                code = int(child.get(_w("char")) or "0", 16)
            except ValueError:
                code = 0
            if 0 < code < 0x110000:
                parts.append(_symbol(child.get(_w("font")), code) or chr(code))
        elif tag == NO_BREAK_HYPHEN:
            parts.append("-")
        elif tag == FLDCHAR:
            form_box = _form_checkbox(child)
            if form_box:
                parts.append(form_box)
        elif tag == SDT:
            pr = child.find(SDT_PR)
            box = pr.find(W14_CHECKBOX) if pr is not None else None
            if box is not None:
                parts.append(CHECKED if _on(box.find(W14_CHECKED)) else UNCHECKED)
            else:
                content = child.find(SDT_CONTENT)
                if content is not None:
                    _inline(content, parts)
        elif tag == P:
            parts.append("\n")
            _inline(child, parts)
            parts.append("\n")
        elif tag == TBL:
            parts.append("\n" + table_text(child) + "\n")
        else:
            _inline(child, parts)


def paragraph_text(p: _Element) -> str:
    parts: list[str] = []
    _inline(p, parts)
    return "".join(parts)


def _lines(text: str) -> str:
    return "\n".join(line.strip() for line in text.split("\n") if line.strip())


def cell_text(tc: _Element) -> str:
    """A table cell's text: its paragraphs one per line (empty ones dropped), nested tables flattened."""
    parts: list[str] = []
    _inline(tc, parts)
    return _lines("".join(parts))


def table_text(tbl: _Element) -> str:
    rows = [" ".join(t for t in (cell_text(tc) for tc in tr.iterchildren(TC)) if t) for tr in tbl.iterchildren(TR)]
    return "\n".join(r for r in rows if r)


# --- tables ------------------------------------------------------------------------------

#: the most grid columns one cell or a row's lead-in may span (Word's tables have at most
#: 63 columns; a larger value in the XML is damage, not a layout)
_MAX_SPAN = 1000


def _number(read: Callable[[], object], default: int) -> int:
    """A number python-docx reads from the XML (``w:gridSpan`` …), within ``0.._MAX_SPAN``;
    ``default`` when the attribute is missing or malformed."""
    try:
        value = read()
    except Exception:
        return default
    return default if not isinstance(value, int) else max(0, min(value, _MAX_SPAN))


def _merge(tc: CT_Tc) -> str | None:
    try:
        return tc.vMerge
    except Exception:
        return None


def _expand(tbl: _Element, budget: TableBudget | None = None) -> list[list[Slot]]:
    """A table's rows with merges expanded: positions of the same ``w:tc`` (a horizontal
    span) or of a ``w:vMerge="continue"`` run share the origin's text, flagged ``spanned``.

    Rows and cells are counted in ``budget`` (the document's so far): :class:`InputError`
    beyond the limits (``limits``)."""
    origin_at: list[list[object | None]] = []    # per row, per grid column: the origin w:tc
    texts: dict[int, str] = {}
    budget = budget if budget is not None else TableBudget("")
    # python-docx parses w:tr and w:tc into its own element classes
    for tr in cast("Iterator[CT_Row]", tbl.iterchildren(TR)):
        row: list[object | None] = [None] * _number(lambda: tr.grid_before, 0)  # noqa: B023  (called at once)
        above = origin_at[-1] if origin_at else []
        for tc in cast("Iterator[CT_Tc]", tr.iterchildren(TC)):
            col = len(row)
            span = max(1, _number(lambda: tc.grid_span, 1))  # noqa: B023  (called at once)
            if _merge(tc) == "continue" and col < len(above) and above[col] is not None:
                origin = above[col]
            else:
                origin = tc
                texts[id(tc)] = cell_text(tc)
            row.extend([origin] * span)
            if budget.cells + len(row) > budget.max_cells:
                raise too_many_cells(budget.name, budget.cells + len(row), at_least=True)
        row.extend([None] * _number(lambda: tr.grid_after, 0))  # noqa: B023  (called at once)
        budget.add_row(len(row))
        origin_at.append(row)
    width = max((len(r) for r in origin_at), default=0)
    check_table(budget.name, len(origin_at), width)
    seen: set[int] = set()
    out: list[list[Slot]] = []
    for i, row in enumerate(origin_at):
        slots = []
        for j in range(width):
            origin = row[j] if j < len(row) else None
            if origin is None:
                slots.append(Slot(""))
            elif id(origin) in seen:
                slots.append(Slot(texts[id(origin)], spanned=True))
            else:
                seen.add(id(origin))
                colspan = 1
                while j + colspan < len(row) and row[j + colspan] is origin:
                    colspan += 1
                rowspan = 1
                while (i + rowspan < len(origin_at) and j < len(origin_at[i + rowspan])
                       and origin_at[i + rowspan][j] is origin):
                    rowspan += 1
                slots.append(Slot(texts[id(origin)], rowspan, colspan))
        out.append(slots)
    return out


@dataclass
class _Table:
    order: int
    rows: list[SourceRow]

    def __post_init__(self) -> None:
        self.texts = [r.texts() for r in self.rows if any(not s.empty for s in r.slots)]
        self.width = max((len(r.slots) for r in self.rows), default=0)
        self.header = header_row_index(self.texts)

    def rank(self) -> tuple[bool, int, int]:
        return (self.header is not None, table_score(self.texts), len(self.texts))

    def header_key(self) -> list[str] | None:
        return None if self.header is None else [key(t) for t in self.texts[self.header]]


def _own_text(tc: _Element) -> str:
    """A cell's own paragraphs, the tables nested in it left out."""
    return _lines("\n".join(paragraph_text(p) for p in tc.iterchildren(P)))


def _layout_table(tbl: _Element) -> bool:
    """A table laid out around others, as a web page saved as a Word document has it (the
    breadcrumb, the title, the list's table and the footer in the cells of one big table):
    one of its cells holds a table, and its own cells hold no header row."""
    cells = [list(tr.iterchildren(TC)) for tr in tbl.iterchildren(TR)]
    if not any(tc.find(TBL) is not None for row in cells for tc in row):
        return False
    return header_row_index([[_own_text(tc) for tc in row] for row in cells]) is None


def _blocks(body: _Element) -> Iterator[_Element]:
    """Body-level paragraphs and tables in reading order (content controls opened, and the
    cells of a layout table read as the blocks they hold)."""
    for child in body.iterchildren():
        if child.tag == TBL and _layout_table(child):
            for tr in child.iterchildren(TR):
                for tc in tr.iterchildren(TC):
                    yield from _blocks(tc)
        elif child.tag in (P, TBL):
            yield child
        elif child.tag == SDT:
            content = child.find(SDT_CONTENT)
            if content is not None:
                yield from _blocks(content)


# --- the reader ---------------------------------------------------------------------------

def _open(path: Path) -> Document:
    name = str(path)
    try:
        with open(path, "rb") as f:
            head = f.read(64 * 1024)
    except OSError as e:
        raise InputError(name, f"cannot read the file: {e.strerror or e}") from None
    if not head:
        raise InputError(name, "the file is empty")
    if not looks_like_docx(head, path):
        what = signatures.content_kind(head, path) or (
            "not a .docx package" if not signatures.is_zip(head) else "a ZIP archive without a document")
        raise InputError(name, f"not a Word document: the content is {what}")

    check_package(name, path, "document")

    import docx  # lazy: only when a Word file is read

    try:
        return docx.Document(str(path))
    except Exception as e:
        detail = " ".join(f"{type(e).__name__}: {e}".split())     # one line: lxml's messages hold a line break
        raise InputError(name, f"the document is damaged or truncated ({detail})") from None


def read_docx(path: str | Path) -> CellGrid:
    """Read the disclosure table of a Word document into a :class:`CellGrid` (see the module docstring).

    Paragraphs (and the rows of other tables) before the chosen table go to the preamble.
    Raises :class:`InputError` for a file that is not a Word document, a damaged one, and a
    document without a table.
    """
    p = Path(path)
    name = str(path)
    document = _open(p)
    budget = TableBudget(name)
    line = 0
    paragraphs: list[tuple[int, str]] = []
    tables: list[_Table] = []
    for block in _blocks(document.element.body):
        if block.tag == P:
            line += 1
            text = _lines(paragraph_text(block))
            if text:
                paragraphs.append((line, " ".join(text.split("\n"))))
        else:
            rows = []
            for slots in _expand(block, budget):
                line += 1
                rows.append(SourceRow(line, slots))
            tables.append(_Table(len(tables), rows))
    tables = [t for t in tables if t.texts]
    if not tables:
        raise InputError(name, "no table in the document")
    chosen = max(tables, key=lambda t: (t.rank(), -t.order))
    rows = list(chosen.rows)
    header = chosen.header_key()
    so_far = list(chosen.texts)
    for t in tables:
        if t.order <= chosen.order:
            continue
        if header is None or t.width != chosen.width or (t.header_key() != header and (
                t.header is not None or not continues_numbering(so_far, chosen.header, t.texts))):
            break
        rows.extend(t.rows)
        so_far += t.texts

    first_line = chosen.rows[0].line or 0
    preamble = [(ln, text) for ln, text in paragraphs if ln < first_line]
    for t in tables:
        if t.order < chosen.order:
            preamble += [(r.line or 0, joined(r.texts())) for r in t.rows if joined(r.texts())]
    preamble.sort(key=lambda entry: entry[0])      # by line; a line's cells in their order
    meta: dict[str, str] = {}
    office_facts(p, meta)        # the document's properties: title, creator, dates (readers.properties)
    return build_grid(name, FORMAT, rows, preamble=preamble, meta=meta)
