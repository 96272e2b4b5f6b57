"""Readers and ``ingest_file`` on mutated real lists: a result or a ``GongkaiError``, nothing else.

Seeds are small real files of every format (``data/raw``, ``tests/fixtures``). Each
example applies a few mutations to one — a byte flipped, the file cut short, bytes or a
token (``|``, ``<td colspan=…>``, ``序号`` …) inserted, a chunk duplicated or deleted —
and, for the ZIP formats, to one of the package's XML parts (then packed again), so that
the damage reaches the XML parsers and the readers rather than only the ZIP's checksums.
The mutated file is read as ``gongkai ingest`` reads it, within a time bound.
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path

import pytest
from fuzzing import fuzz, time_bound
from hypothesis import given
from hypothesis import strategies as st

from gongkai.errors import GongkaiError
from gongkai.ingest import ingest_file
from gongkai.readers.detect import detect_format

ROOT = Path(__file__).resolve().parents[2]
RAW, FIXTURES = ROOT / "data" / "raw", ROOT / "tests" / "fixtures"

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
}
ZIP_FORMATS = ("xlsx", "docx")

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
]


@st.composite
def mutation(draw, size: int) -> tuple:
    kind = draw(st.sampled_from(["flip", "truncate", "insert", "token", "duplicate", "delete"]))
    at = draw(st.integers(0, max(size, 1)))
    if kind == "flip":
        return kind, at, draw(st.integers(1, 255))
    if kind == "insert":
        return kind, at, draw(st.binary(min_size=1, max_size=16))
    if kind == "token":
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
def folder():
    with tempfile.TemporaryDirectory(prefix="gongkai-fuzz-") as tmp:
        yield Path(tmp)


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
    if fmt in ZIP_FORMATS and data.draw(st.booleans(), label="mutate a part"):
        part = data.draw(st.sampled_from(xml_parts(seed)), label="part")
        with zipfile.ZipFile(seed) as z:
            size = z.getinfo(part).file_size
        raw = repack(raw, part, data.draw(st.lists(mutation(size), min_size=1, max_size=4), label="mutations"))
    else:
        raw = mutate(raw, data.draw(st.lists(mutation(len(raw)), min_size=1, max_size=4), label="mutations"))
    path = folder / f"mutated{seed.suffix}"
    path.write_bytes(raw)
    read_outcome(path)


@pytest.mark.parametrize("fmt", [f for f in SEEDS if f not in ZIP_FORMATS])
@fuzz(200)
@given(data=st.data())
def test_mutated_text_lists_are_read_or_refused(fmt, folder, data):
    _fuzz_format(fmt, folder, data)


@pytest.mark.parametrize("fmt", ZIP_FORMATS)
@fuzz(300)
@given(data=st.data())
def test_mutated_office_files_are_read_or_refused(fmt, folder, data):
    _fuzz_format(fmt, folder, data)
