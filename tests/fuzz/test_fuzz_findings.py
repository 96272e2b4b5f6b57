"""What the fuzz suite found, each kept as an example that runs on every test run.

(Findings about the reading limits are in ``tests/unit/test_reading_limits.py``: a table
thousands of columns wide, a parser's message on two lines.)
"""

from __future__ import annotations

from pathlib import Path

from gongkai.ingest import ingest_file

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "data" / "raw" / "xingguo-gonggongwenhua.html"


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
