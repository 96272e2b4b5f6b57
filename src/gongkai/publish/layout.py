"""Where each IRI lives in the static site.

An IRI under the base maps to a path by dropping the base, and the resource's three
documents sit side by side under that path::

    https://w3id.org/gongkai/list/x/2021-06-16/item/13
      → list/x/2021-06-16/item/13.html   (people)
      → list/x/2021-06-16/item/13.ttl    (text/turtle)
      → list/x/2021-06-16/item/13.jsonld (application/ld+json)

so a web server answers the extension-less IRI path by appending the extension the
``Accept`` header asks for (deploy/nginx.conf, deploy/apache.conf). A list's page
``list/x/2021-06-16.html`` and the folder of its items ``list/x/2021-06-16/`` do not
collide because pages always carry an extension.

Hash IRIs (``ontology#DisclosureItem``) and nodes that belong to a page (an item's
``…/item/13/citation/2``) are anchors in their page: ``ontology.html#DisclosureItem``,
``item/13.html#citation/2``. The ontology and the vocabularies keep the default base
(``https://w3id.org/gongkai/``) whatever base the data uses; they are published in the
same site, under the same paths.
"""

from __future__ import annotations

import re

from gongkai.settings import DEFAULT_BASE

INDEX = "index"
_SAFE_PATH = re.compile(r"^[A-Za-z0-9._~!$&'()*+,;=:@%-]+(/[A-Za-z0-9._~!$&'()*+,;=:@%-]+)*$")
EXTENSIONS = ("html", "ttl", "jsonld")


class Layout:
    def __init__(self, base: str = DEFAULT_BASE):
        self.base = base if base.endswith(("/", "#")) else base + "/"
        self.prefixes = list(dict.fromkeys([self.base, DEFAULT_BASE]))

    def path(self, iri: str) -> str | None:
        """The site path (no extension) of a page IRI, or None when the IRI is not under
        the base: the base itself is the index page."""
        iri = iri.split("#", 1)[0]
        for prefix in self.prefixes:
            if iri == prefix or iri + "/" == prefix:
                return INDEX
            if iri.startswith(prefix):
                rest = iri[len(prefix):]
                if _SAFE_PATH.match(rest) and not any(seg in (".", "..") for seg in rest.split("/")):
                    return rest
                return None
        return None

    def in_site(self, iri: str) -> bool:
        return any(iri.startswith(p) for p in self.prefixes)

    def file(self, path: str, ext: str = "html") -> str:
        return f"{path}.{ext}"

    def href(self, from_path: str, to_path: str, ext: str = "html", anchor: str = "") -> str:
        """A relative link between pages, so the site works from any folder or sub-path."""
        src = from_path.split("/")[:-1]
        dst = to_path.split("/")
        n = 0
        while n < len(src) and n < len(dst) - 1 and src[n] == dst[n]:
            n += 1
        rel = "../" * (len(src) - n) + "/".join(dst[n:])
        return _relative(f"{rel}.{ext}" + (f"#{anchor}" if anchor else ""))

    def root_href(self, from_path: str, file: str) -> str:
        """A link to a file at the site root (``context.jsonld``, ``download/kg.ttl``)."""
        depth = from_path.count("/")
        return _relative("../" * depth + file)


def _relative(href: str) -> str:
    """A path whose first segment holds a colon (``a:b.html``) would be read as a URL with
    the scheme ``a``: ``./`` keeps it a path."""
    first = href.split("/", 1)[0]
    return "./" + href if ":" in first else href
