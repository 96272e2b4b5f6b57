"""Readers and ``ingest_file`` on mutated real lists: a result or a ``GongkaiError``, nothing else.

Seeds are small real files of every format (``data/raw``, ``tests/fixtures``, and the
files LibreOffice saved in ``seeds/``: PDFs with and without ruling lines, an ``.xls``, a
``.doc``). Each example applies a few mutations to one — a byte flipped, the file cut
short, bytes or a token (``|``, ``<td colspan=…>``, ``序号``, ``/Count 99999`` …)
inserted, a chunk duplicated or deleted — and, for the ZIP formats, to one of the
package's XML parts (then packed again), for a PDF to one of its deflated streams (page
contents, fonts, character maps: inflated, mutated, deflated again, ``pdf_streams``), so
that the damage reaches the parsers and the readers rather than only the checksums. The
mutated file is read as ``gongkai ingest`` reads it, within a time bound.

LibreOffice, which converts a ``.doc`` (and an ``.xls`` xlrd cannot open), is stood in for
by a script that "converts" any compound file to the seed's original and refuses anything
else as LibreOffice does (an ``Error:`` line, exit code 0): the suite stays fast, and what
is fuzzed is the project's code — the compound-file checks, the conversion's handling, the
readers — not LibreOffice.
"""

from __future__ import annotations

import io
import stat
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pdf_streams
import pytest
from fuzzing import fuzz, time_bound
from hypothesis import event, given
from hypothesis import strategies as st

from gongkai.errors import GongkaiError
from gongkai.ingest import ingest_file
from gongkai.readers import convert
from gongkai.readers.detect import detect_format

ROOT = Path(__file__).resolve().parents[2]
RAW, FIXTURES = ROOT / "data" / "raw", ROOT / "tests" / "fixtures"
SAVED = Path(__file__).resolve().parent / "seeds"

#: one or two small files of each format the readers know
SEEDS = {
    "csv": [RAW / "county-jiaoyu-lyg138.csv", FIXTURES / "formats" / "gb18030.csv"],
    "pipe-text": [RAW / "fengtunzhen-trad.txt", RAW / "yunyang-yanglao.txt"],
    "cell-lines": [RAW / "jiayin-gonggongfalv.txt"],
    "space-text": [RAW / "nanjiang-ziranziyuan-spacesep.txt"],
    "text-table": [FIXTURES / "text" / "yunling-yingji-2022.txt"],
    "undelimited-text": [FIXTURES / "web_text" / "tianmen-chengguan-nodelim.txt"],
    "html": [RAW / "xingguo-gonggongwenhua.html", FIXTURES / "formats" / "layout-rowspan.html"],
    "xlsx": [RAW / "songming-weijian.xlsx", FIXTURES / "formats" / "two-sheets-merged.xlsx"],
    "docx": [RAW / "xjbz-anquanshengchan.docx"],
    "xls": [SAVED / "two-sheets-merged.xls"],
    "doc": [SAVED / "xjbz-anquanshengchan.doc"],
    "pdf": [SAVED / "ruled.pdf", SAVED / "unruled.pdf"],
}
ZIP_FORMATS = ("xlsx", "docx")
LEGACY_FORMATS = ("xls", "doc")
#: what the stand-in for LibreOffice gives for a compound file: the seed's original
CONVERTED = {"xlsx": FIXTURES / "formats" / "two-sheets-merged.xlsx", "docx": RAW / "xjbz-anquanshengchan.docx"}

#: what the readers split, count and expand on, to insert
TOKENS = [
    b"|", b"||||", b"\t", b"\t\t\t", b"\n", b"\n\n", b"\r", b"\r\n", b",", b";", b'"', b'"\n"', b" ",
    b"\x00", b"\xff", b"\xef\xbb\xbf", b"\xff\xfe", b"\x0c", b"#", b"# source: http://example.org/\n",
    "序号".encode(), "公开事项".encode(), "公开内容".encode(), "公开时限".encode(), "公开依据".encode(),
    "一级事项".encode(), "二级事项".encode(), "责任单位：".encode(), "■".encode(), "□".encode(), "√".encode(),
    "第99999999999999999999条".encode(), "1000000个工作日".encode(), "〔2016〕".encode(), "《".encode(),
    "²".encode(), "١".encode(),
    b"<table>", b"</table>", b"<tr>", b"</tr>", b"<td>", b"</td>", b"<th>", b"<td rowspan=0>",
    b"<td colspan=99999>", b"<td rowspan=65534 colspan=1000>", b"<td rowspan=-3>", b"<br>", b"<div>" * 40,
    b"<input type=checkbox checked>", b'<meta charset="gbk">', b'<meta charset="x-nonsense">', b"<!--", b"-->",
    b"&#0;", b"&#xD800;", b"&amp;", b"<![CDATA[", b"<?xml version='1.0'?>", b"<", b">",
    b'<w:gridSpan w:val="x"/>', b'<w:gridSpan w:val="99999"/>', b'<w:vMerge w:val="continue"/>',
    b'<w:vMerge/>', b'<w:gridBefore w:val="5"/>', b"<w:tc>", b"</w:tc>", b"<w:tr>", b"</w:tr>",
    b'<w:sym w:font="Wingdings" w:char="F0FE"/>', b'<w:sym w:char="zz"/>', b'<w:sym w:char="FFFFFFF"/>',
    b'<c r="XFD1048576"><v>1</v></c>', b'<c r="A0"><v>1</v></c>', b'<c r="ZZZZ9"><v>x</v></c>',
    b'<c r="B2" t="s"><v>999</v></c>', b'<c r="B2" t="n"><v>nan</v></c>', b'<c r="B2" t="d"><v>x</v></c>',
    b'<mergeCell ref="A1:XFD1048576"/>', b'<mergeCell ref="B3:A1"/>', b'<row r="0">', b'<row r="99999999999">',
    b'<row hidden="1">', b'<sheetState="hidden">',
    # a PDF's structure, and the operators of its pages' contents
    b"/Count 99999", b"/Count -1", b"/Kids [1 0 R]", b"/Length 999999999", b"/Encrypt 1 0 R", b"/Type /Page",
    b"/MediaBox [0 0 0 0]", b"/MediaBox [0 0 1e308 1e308]", b"/Rotate 90", b"/Filter /LZWDecode",
    b"/Filter /DCTDecode", b"xref\n0 1\n", b"trailer", b"startxref\n0\n", b"%%EOF", b"endobj", b"endstream",
    b"stream\n", b" 0 R", b"<<" * 50, b"[" * 200, b"%PDF-1.7\n",
    b" BT ", b" ET ", b" Tj ", b" TJ ", b" q ", b" Q ", b" Do ", b" /F1 99999 Tf ", b" /F1 0 Tf ", b" /Nope 12 Tf ",
    b" 0 0 0 0 0 0 cm ", b" 1e38 0 0 1e38 0 0 cm ", b" -1 0 0 -1 0 0 cm ", b" 0 1 -1 0 0 0 Tm ",
    b" 99999999 99999 Td ", b" [(\x01\x02) -99999 (\xff)] TJ ", b" <FFFE0000> Tj ", b" (\\) Tj ",
    b" 0 0 842 595 re f ", b" 0 0 m 1e30 0 l S ", b" 1 w ", b" 10 0 0 10 0 0 cm ", b" 3 Tr ",
    b"beginbfchar\n<0001> <D800>\nendbfchar", b"beginbfrange\n<0000> <FFFF> <0000>\nendbfrange",
    b"/W [0 [99999]]", b"/W [0 65535 0]",
]


KINDS = ("flip", "truncate", "insert", "token", "duplicate", "delete")
#: a compound file (.xls, .doc) is a file system of 512-byte sectors: bytes inserted or
#: deleted anywhere break its directory, so most mutations keep its size (bytes or a token
#: written over what was there) and reach the workbook's records
IN_PLACE = ("flip", "overwrite", "overwrite-token", "flip", "overwrite", "overwrite-token", *KINDS)


@st.composite
def mutation(draw, size: int, kinds: tuple[str, ...] = KINDS) -> tuple:
    kind = draw(st.sampled_from(kinds))
    at = draw(st.integers(0, max(size, 1)))
    if kind == "flip":
        return kind, at, draw(st.integers(1, 255))
    if kind in ("insert", "overwrite"):
        return kind, at, draw(st.binary(min_size=1, max_size=16))
    if kind in ("token", "overwrite-token"):
        return kind, at, draw(st.sampled_from(TOKENS)) * draw(st.integers(1, 3))
    if kind in ("duplicate", "delete"):
        return kind, at, draw(st.integers(1, max(1, size // 4)))
    return kind, at, None


def mutate(data: bytes, mutations: list[tuple]) -> bytes:
    for kind, drawn_at, arg in mutations:
        at = min(drawn_at, len(data))
        if kind == "flip" and at < len(data):
            data = data[:at] + bytes([data[at] ^ arg]) + data[at + 1:]
        elif kind == "truncate":
            data = data[:at]
        elif kind in ("insert", "token"):
            data = data[:at] + arg + data[at:]
        elif kind in ("overwrite", "overwrite-token"):
            data = (data[:at] + arg + data[at + len(arg):])[:len(data)]
        elif kind == "duplicate":
            data = data[:at + arg] + data[at:at + arg] + data[at + arg:]
        elif kind == "delete":
            data = data[:at] + data[at + arg:]
    return data


def repack(data: bytes, part: str, mutations: list[tuple]) -> bytes:
    """The ZIP package with one part mutated (``mutate``), packed again."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info)
            dst.writestr(info.filename, mutate(content, mutations) if info.filename == part else content)
    return out.getvalue()


def xml_parts(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as z:
        return [n for n in z.namelist() if n.endswith((".xml", ".rels"))]


@pytest.fixture(scope="module")
def folder() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="gongkai-fuzz-") as tmp:
        yield Path(tmp)


_FAKE_SOFFICE = """#!/bin/sh
# stands in for LibreOffice: a compound file "converts" to the seed's original, anything else fails
while [ $# -gt 1 ]; do
  case "$1" in
    --convert-to) target="${2%%:*}"; shift ;;
    --outdir) outdir="$2"; shift ;;
  esac
  shift
done
magic=$(head -c 8 "$1" | od -An -tx1 | tr -d ' \\n')
if [ "$magic" != "d0cf11e0a1b11ae1" ]; then echo "Error: source file could not be loaded"; exit 0; fi
name=$(basename "$1")
mkdir -p "$outdir" && cp "$(dirname "$0")/original.$target" "$outdir/${name%.*}.$target"
"""


@pytest.fixture(scope="module", autouse=True)
def fake_libreoffice(folder: Path) -> Iterator[Path]:
    """``convert`` runs the stand-in for LibreOffice (see the module doc) in this module."""
    bin_dir = folder / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "soffice"
    fake.write_text(_FAKE_SOFFICE)
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    for target, original in CONVERTED.items():
        (bin_dir / f"original.{target}").write_bytes(original.read_bytes())
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(convert, "soffice", lambda: str(fake))
        yield fake


def read_outcome(path: Path) -> str:
    """Read a file as ``gongkai ingest`` does: "ok" or "error"; any other exception fails."""
    with time_bound():
        try:
            dl = ingest_file(path, bureau="示例局")
        except GongkaiError as e:
            assert str(e).strip() and "\n" not in str(e).strip(), repr(str(e))
            return "error"
    assert dl.items
    return "ok"


def test_every_seed_is_read_and_of_its_format():
    for fmt, paths in SEEDS.items():
        for path in paths:
            assert detect_format(path).format == fmt, path
            assert read_outcome(path) == ("error" if fmt == "undelimited-text" else "ok"), path


def _fuzz_format(fmt: str, folder: Path, data) -> None:
    seed = data.draw(st.sampled_from(SEEDS[fmt]), label="seed")
    raw = seed.read_bytes()
    if fmt == "pdf" and data.draw(st.booleans(), label="mutate a stream"):
        span = data.draw(st.sampled_from(pdf_streams.deflated(raw)), label="stream")
        size = len(pdf_streams.inflated(raw, span))
        mutations = data.draw(st.lists(mutation(size), min_size=1, max_size=4), label="mutations")
        raw = pdf_streams.restream(raw, span, lambda inflated: mutate(inflated, mutations))
    elif fmt in ZIP_FORMATS and data.draw(st.booleans(), label="mutate a part"):
        part = data.draw(st.sampled_from(xml_parts(seed)), label="part")
        with zipfile.ZipFile(seed) as z:
            size = z.getinfo(part).file_size
        raw = repack(raw, part, data.draw(st.lists(mutation(size), min_size=1, max_size=4), label="mutations"))
    else:
        kinds = IN_PLACE if fmt in LEGACY_FORMATS else KINDS
        raw = mutate(raw, data.draw(st.lists(mutation(len(raw), kinds), min_size=1, max_size=4), label="mutations"))
    path = folder / f"mutated{seed.suffix}"
    path.write_bytes(raw)
    event(read_outcome(path))        # how many are read and how many refused: --hypothesis-show-statistics


@pytest.mark.parametrize("fmt", [f for f in SEEDS if f not in (*ZIP_FORMATS, *LEGACY_FORMATS, "pdf")])
@fuzz(200)
@given(data=st.data())
def test_mutated_text_lists_are_read_or_refused(fmt, folder, data):
    _fuzz_format(fmt, folder, data)


@pytest.mark.parametrize("fmt", ZIP_FORMATS)
@fuzz(300)
@given(data=st.data())
def test_mutated_office_files_are_read_or_refused(fmt, folder, data):
    _fuzz_format(fmt, folder, data)


@pytest.mark.parametrize("fmt", LEGACY_FORMATS)
@fuzz(150)
@given(data=st.data())
def test_mutated_legacy_office_files_are_read_or_refused(fmt, folder, data):
    _fuzz_format(fmt, folder, data)


@fuzz(60)
@given(data=st.data())
def test_mutated_pdfs_are_read_or_refused(folder, data):
    _fuzz_format("pdf", folder, data)
