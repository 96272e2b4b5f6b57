"""Small HTML helpers and the page skeleton (templates/page.html, templates/style.css).

No template engine: pages are a few tables and lists, and tens of thousands of them are
written per run, so plain string building keeps ``publish`` fast and adds no
dependency. The stylesheet is inlined in every page: the site needs no asset from
anywhere, and a page saved on its own still looks right.
"""

from __future__ import annotations

import functools
import re
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
def skeleton() -> Template:
    return Template(resources.files(__package__).joinpath("templates/page.html").read_text(encoding="utf-8"))


def bi(zh: str | None, en: str | None) -> str:
    """A label in Chinese with its English beside it (either may be missing)."""
    if zh and en and zh != en:
        return f'{esc(zh)}<span class="en" lang="en">{esc(en)}</span>'
    if zh:
        return esc(zh)
    return f'<span lang="en">{esc(en)}</span>' if en else ""


def link(href: str | None, inner_html: str, cls: str = "") -> str:
    c = f' class="{cls}"' if cls else ""
    if href is None:
        return f"<span{c}>{inner_html}</span>"
    return f'<a href="{esc(href)}"{c}>{inner_html}</a>'


def heading(level: int, zh: str, en: str, anchor: str = "") -> str:
    a = f' id="{esc(anchor)}"' if anchor else ""
    return f"<h{level}{a}>{bi(zh, en)}</h{level}>"


def document(*, title: str, crumbs: str, formats: str, body: str, footer: str,
             alternates: list[tuple[str, str]] = ()) -> str:
    alt = "".join(f'<link rel="alternate" type="{esc(t)}" href="{esc(h)}">\n' for t, h in alternates)
    return skeleton().substitute(title=esc(title), alternates=alt, css=css(), crumbs=crumbs,
                                 formats=formats, body=body, footer=footer)
