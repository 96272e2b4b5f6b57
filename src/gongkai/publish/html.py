"""Small HTML helpers and the page skeleton (templates/page.html, templates/style.css).

No template engine: pages are a few tables and lists, and tens of thousands of them are
written per run, so plain string building keeps ``publish`` fast and adds no
dependency. The stylesheet is inlined in every page: the site needs no asset from
anywhere, and a page saved on its own still looks right.

Every page carries a Content-Security-Policy that allows that one stylesheet (by its
hash) and nothing else: no script, image, frame, font or form, so that a value of the
data can never make a page run or fetch anything. Every ``href`` goes through
``safe_href``: links to other pages of the site (relative) and ``http(s)`` links out;
a ``javascript:``, ``data:`` or any other URL from a list is shown as text.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import re
from collections.abc import Sequence
from html import escape
from importlib import resources
from string import Template


def esc(text: object) -> str:
    return escape(str(text), quote=True)


@functools.lru_cache(maxsize=1)
def css() -> str:
    text = resources.files(__package__).joinpath("templates/style.css").read_text(encoding="utf-8")
    return re.sub(r"\s*\n\s*", "", text)


@functools.lru_cache(maxsize=1)
def content_security_policy() -> str:
    """The policy of every page: the inlined stylesheet (by its SHA-256), nothing else.

    ``deploy/nginx.conf`` sends the same policy as a header (a test keeps the two equal).
    ``frame-ancestors`` is not in it: browsers ignore it in a ``<meta>`` element.
    """
    digest = base64.b64encode(hashlib.sha256(css().encode("utf-8")).digest()).decode("ascii")
    return f"default-src 'none'; style-src 'sha256-{digest}'; base-uri 'none'; form-action 'none'"


@functools.lru_cache(maxsize=1)
def skeleton() -> Template:
    return Template(resources.files(__package__).joinpath("templates/page.html").read_text(encoding="utf-8"))


def bi(zh: str | None, en: str | None) -> str:
    """A label in Chinese with its English beside it (either may be missing)."""
    if zh and en and zh != en:
        return f'{esc(zh)}<span class="en" lang="en">{esc(en)}</span>'
    if zh:
        return esc(zh)
    return f'<span lang="en">{esc(en)}</span>' if en else ""


_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_IGNORED_BY_BROWSERS = re.compile(r"[\t\n\r]")
_LINK_SCHEMES = ("http", "https")


def safe_href(url: str | None) -> str | None:
    """``url`` if following it can only fetch a page over http(s): an ``http(s)`` URL, or
    a relative reference (the site's own links); None for anything else (``javascript:``,
    ``data:``, ``vbscript:``, ``file:``, a protocol-relative ``//host``).

    The scheme is read as a browser reads it: tabs and line breaks anywhere, and control
    characters and spaces around the URL, do not count (``java<TAB>script:`` is ``javascript:``).
    """
    if url is None:
        return None
    seen = _IGNORED_BY_BROWSERS.sub("", url).strip("".join(map(chr, range(0x21))))
    m = _SCHEME.match(seen)
    if m is None:
        return None if seen.startswith(("/", "\\")) else url
    return url if m.group(1).lower() in _LINK_SCHEMES else None


def link(href: str | None, inner_html: str, cls: str = "") -> str:
    """An ``<a>`` to ``href``, or a ``<span>`` when there is no link or ``safe_href`` refuses it."""
    c = f' class="{cls}"' if cls else ""
    href = safe_href(href)
    if href is None:
        return f"<span{c}>{inner_html}</span>"
    return f'<a href="{esc(href)}"{c}>{inner_html}</a>'


def heading(level: int, zh: str, en: str, anchor: str = "") -> str:
    a = f' id="{esc(anchor)}"' if anchor else ""
    return f"<h{level}{a}>{bi(zh, en)}</h{level}>"


def document(*, title: str, crumbs: str, formats: str, body: str, footer: str,
             alternates: Sequence[tuple[str, str]] = ()) -> str:
    alt = "".join(f'<link rel="alternate" type="{esc(t)}" href="{esc(h)}">\n'
                  for t, h in alternates if safe_href(h) is not None)
    csp = escape(content_security_policy(), quote=False).replace('"', "&quot;")  # its quotes stay readable
    return skeleton().substitute(title=esc(title), csp=csp, alternates=alt, css=css(), crumbs=crumbs,
                                 formats=formats, body=body, footer=footer)
