"""Text from the data, made safe to put in Streamlit's Markdown.

``st.markdown``, ``st.caption``, ``st.info`` and the other messages, titles, expander
and tab labels, metric labels and values all read their text as Markdown. A list is
written by anyone: an item named ``![x](http://evil.example/x.png)`` would load an
outside image, one named ``[点击](javascript:alert(1))`` would be a link, ``**`` or
``:red[…]`` would restyle the screen. Every value from the data (names, titles,
bureaus, headers, messages quoting them, file names) goes through ``md`` before it is
put in such a text; the screen then shows exactly the characters of the data.
"""

from __future__ import annotations

import re

# CommonMark shows a backslash-escaped ASCII punctuation character as itself. Escaped
# wherever they are: what opens links and images ([ ]), code (`), emphasis (* _ ~), raw
# HTML and autolinks (< & : @ and the dot of www.), tables (|), formulas ($), Streamlit's
# icons and colours (:material/…:, :red[…]) and the backslash itself. Escaped at the start
# of a line only, where they open a block: headings (#), quotes (>), lists (- + 1. 1)),
# rules and underlines (- =). Dates, file names and sentences keep their text as it is.
_ANYWHERE = re.compile(r"[\\`*_~\[\]<|$&:@]")
_WWW = re.compile(r"(?i)(?<=www)\.")
_LINE_START = re.compile(r"(^|[\r\n])([ \t]*)([-+=#>]|\d+[.)])")


def md(text: object) -> str:
    r"""``text`` with the Markdown in it escaped: it shows as written, never as a link, an
    image, emphasis, a heading, a list or a Streamlit directive.

    >>> print(md("![x](http://evil.example/x.png)"))
    !\[x\](http\://evil.example/x.png)
    >>> print(md("1. [点击](javascript:alert(1))"))
    1\. \[点击\](javascript\:alert(1))
    >>> md("中卫市云计算和大数据发展局 2021-06-16")
    '中卫市云计算和大数据发展局 2021-06-16'
    """
    escaped = _WWW.sub(r"\\.", _ANYWHERE.sub(r"\\\g<0>", str(text)))
    return _LINE_START.sub(lambda m: f"{m[1]}{m[2]}{m[3][:-1]}\\{m[3][-1]}", escaped)
