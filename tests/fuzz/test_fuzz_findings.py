"""What the fuzz suite found, each kept as an example that runs on every test run.

(Findings about the reading limits are in ``tests/unit/test_reading_limits.py``: a table
thousands of columns wide, a parser's message on two lines.)
"""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from gongkai.errors import InputError
from gongkai.ingest import ingest_file

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "data" / "raw" / "xingguo-gonggongwenhua.html"
SEEDS = Path(__file__).resolve().parent / "seeds"


def test_a_charset_naming_no_codec_with_a_nul_in_it_is_not_a_crash(tmp_path):
    """``<meta charset="\\0utf-8">``: looking the codec up raised ValueError, not LookupError."""
    page = PAGE.read_bytes()
    assert b"<head>" in page
    path = tmp_path / "nul-charset.html"
    path.write_bytes(page.replace(b"<head>", b'<head><meta charset="\x00utf-8">', 1))
    dl = ingest_file(path, bureau="示例局", resolve=False)
    assert len(dl.items) == len(ingest_file(PAGE, bureau="示例局", resolve=False).items)


def test_digits_int_refuses_are_not_a_number():
    """``str.isdigit`` holds for ² and ①, which ``int()`` refuses, and Python refuses to
    convert more than 4,300 digits: cn_number raised ValueError on such a cell."""
    from gongkai.text import cn_number

    assert [cn_number(t) for t in ("²", "①", "9" * 5000, "٣", "２０")] == [None, None, None, 3, 20]


def test_a_compound_file_whose_directory_loops_is_damaged(tmp_path):
    """A storage of the compound file holding the root storage: olefile's walk of the
    directory recursed until Python's recursion limit (RecursionError, not an InputError)."""
    raw = bytearray((SEEDS / "two-sheets-merged.xls").read_bytes())
    sector = 1 << struct.unpack_from("<H", raw, 0x1E)[0]
    directory = (struct.unpack_from("<I", raw, 0x30)[0] + 1) * sector
    raw[directory + 0x42] = 1                              # the root entry made a plain storage
    raw[directory + 128 + 0x42] = 1                        # the Workbook stream made a storage …
    struct.pack_into("<I", raw, directory + 128 + 0x4C, 0)  # … whose child is the root
    path = tmp_path / "loop.xls"
    path.write_bytes(bytes(raw))
    with pytest.raises(InputError, match="damaged or truncated: its compound-file directory cannot be read"):
        ingest_file(path, bureau="示例局", resolve=False)
