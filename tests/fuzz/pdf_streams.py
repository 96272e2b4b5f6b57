"""The deflated streams of a PDF, for the fuzz suite: found, mutated inflated, put back.

Most of a PDF printed by LibreOffice is deflated (page contents, fonts, the ToUnicode maps
that say which character each glyph is): a byte flipped there only makes zlib fail. As the
ZIP formats' XML parts are mutated and packed again, a stream here is inflated, mutated,
deflated again and written back with its new ``/Length``, and the cross-reference table is
written again for the new offsets, so that the damage reaches the parsers and the reader.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable

# an object holding a deflated stream: "<n> 0 obj <<…/FlateDecode…>> stream" up to "endstream"
_STREAM = re.compile(rb"(\d+ \d+ obj\s*)(<<(?:(?!endobj).)*?>>)(\s*stream\r?\n)(.*?)(\r?\nendstream)", re.DOTALL)
_LENGTH = re.compile(rb"/Length\s+\d+(?:\s+\d+\s+R)?")
_OBJECT = re.compile(rb"(?m)^(\d+) (\d+) obj\b")


def deflated(data: bytes) -> list[tuple[int, int]]:
    """The (start, end) of every object holding a deflated stream that inflates."""
    out = []
    for m in _STREAM.finditer(data):
        if b"/FlateDecode" not in m.group(2):
            continue
        try:
            zlib.decompress(m.group(4))
        except zlib.error:
            continue
        out.append((m.start(), m.end()))
    return out


def inflated(data: bytes, span: tuple[int, int]) -> bytes:
    """The inflated stream of the object at ``span``."""
    m = _STREAM.match(data, span[0], span[1])
    assert m is not None
    return zlib.decompress(m.group(4))


def restream(data: bytes, span: tuple[int, int], mutate: Callable[[bytes], bytes]) -> bytes:
    """``data`` with the stream of the object at ``span`` inflated, given to ``mutate``
    (bytes → bytes), deflated again, its ``/Length`` and the cross-reference table made
    to fit."""
    m = _STREAM.match(data, span[0], span[1])
    assert m is not None
    inflated = mutate(zlib.decompress(m.group(4)))
    packed = zlib.compress(inflated)
    head = _LENGTH.sub(b"/Length %d" % len(packed), m.group(2), count=1)
    obj = m.group(1) + head + m.group(3) + packed + m.group(5)
    return xref_again(data[:span[0]] + obj + data[span[1]:])


def xref_again(data: bytes) -> bytes:
    """``data`` with its last cross-reference table written again for where its objects
    now are (a file without a table is returned as it is: pdfminer looks for the objects)."""
    at = data.rfind(b"\nxref")
    trailer = data.find(b"trailer", at)
    if at < 0 or trailer < 0:
        return data
    offsets: dict[int, tuple[int, int]] = {}
    for m in _OBJECT.finditer(data, 0, at):
        offsets[int(m.group(1))] = (m.start(), int(m.group(2)))
    size = max(offsets, default=0) + 1
    lines = [b"xref", b"0 %d" % size, b"0000000000 65535 f "]
    for n in range(1, size):
        offset, generation = offsets.get(n, (0, 0))
        lines.append(b"%010d %05d %s" % (offset, generation, b"n" if n in offsets else b"f"))
    end = data.find(b"startxref", trailer)
    tail = data[trailer:end] if end >= 0 else data[trailer:] + b"\n"
    return data[:at + 1] + b"\n".join(lines) + b"\n" + tail + b"startxref\n%d\n%%%%EOF\n" % (at + 1)
