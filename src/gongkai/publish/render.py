"""Shared by every page renderer: names, links and the statement tables.

A value that is a resource of the site links to its page (or its anchor in a page);
one outside the site links out under its compact name; a node that belongs to the page
(a citation, a time limit, a blank node) is shown nested below the table that refers
to it, with its anchor as ``id`` so that links from other pages land on it.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

from gongkai.publish.corpus import RDF_TYPE, Corpus, Page
from gongkai.publish.html import bi, esc, link
from gongkai.publish.jsonld import Context, natural_key
from gongkai.publish.labels import term_label
from gongkai.publish.terms import Term, value
from gongkai.rdf.namespaces import DCTERMS, GK, RDF, XSD

_XSD = str(XSD)
_PLAIN_TYPES = {_XSD + "string", _XSD + "integer", _XSD + "date", _XSD + "boolean",
                _XSD + "decimal", _XSD + "nonNegativeInteger", _XSD + "positiveInteger", _XSD + "dateTime"}
_RDF = str(RDF)
_RDF_FIRST, _RDF_REST, _RDF_NIL = _RDF + "first", _RDF + "rest", _RDF + "nil"
MAX_LINKS = 200  # inbound lists longer than this show a count and the first ones


class Names:
    """How resources and terms are named on pages."""

    def __init__(self, corpus: Corpus, context: Context):
        self.corpus = corpus
        self.context = context
        self._order: dict[str, int] = {}

    def term(self, iri: str) -> tuple[str, str | None]:
        zh, en = term_label(iri, self.corpus.labels)
        if zh is None and en is None:
            return self.context.compact_iri(iri), None
        return zh or en or iri, en

    def of(self, iri: str) -> tuple[str, str | None]:
        """(zh, en) display names of a resource; items get their number, lists their date."""
        c = self.corpus
        kind = c.kind_of(iri)
        zh = c.label(iri, "zh")
        en = c.label(iri, "en")
        if kind == "item":
            n = c.fact(iri, str(GK.itemNumber))
            if n and zh:
                zh = f"{n}. {zh}"
        elif kind == "list":
            date = c.fact(iri, str(DCTERMS.date))
            if not zh:
                pub = c.fact(iri, str(DCTERMS.publisher))
                zh = (c.label(pub) if pub else None) or iri.rsplit("/", 2)[-2]
            if date:
                zh = f"{zh}（{date}）"
        if zh is None and en is None:
            zh, en = term_label(iri, None)      # a reused vocabulary's term
        if zh is None and en is None:
            # a node inside a page is named by its anchor (citation/2), a page by its path
            owner = c.owner.get(iri)
            if owner is not None and owner != iri and iri.startswith(owner):
                # a node inside a page: its type and number ("依据引用 2", "期间")
                kinds = sorted(c.types.get(iri, ()))
                if kinds:
                    tzh, ten = self.term(kinds[0])
                    n = iri.rsplit("/", 1)[-1]
                    suffix = f" {n}" if n.isdigit() else ""
                    return tzh + suffix, (ten + suffix if ten else None)
                return c.anchor(iri), None
            return c.layout.path(iri) or self.context.compact_iri(iri), None
        return zh or en or iri, en if zh else None

    def predicate_order(self, iri: str) -> tuple:
        """The curated context lists terms in reading order; the rest follow by name."""
        if iri == RDF_TYPE:
            return (-1,)
        term = self.context.by_iri.get(iri)
        if term is not None:
            return (0, self.context.order.get(term.name, 0))
        return (1, self.term(iri)[0])


class Writer:
    """Renders values and statement tables for one page."""

    def __init__(self, names: Names, page: Page):
        self.names = names
        self.corpus = names.corpus
        self.page = page
        self.ids: set[str] = set()
        self.shown: set[str] = set()

    def href(self, iri: str) -> str | None:
        return self.corpus.href(self.page.path, iri)

    def ref(self, term: Term, with_en: bool = True) -> str:
        """A link to a resource, named."""
        if isinstance(term, ox.Literal):
            return self.literal(term)
        iri = term.value if isinstance(term, ox.NamedNode) else "_:" + value(term)
        if iri.startswith("_:"):
            return '<span class="tag">（空白节点 blank node）</span>'
        zh, en = self.names.of(iri)
        text = bi(zh, en if with_en else None)
        href = self.href(iri)
        if href is not None:
            return link(href, text)
        if self.corpus.layout.in_site(iri):
            return f'<span title="{esc(iri)}">{text}</span>'
        return link(iri, text, "ext")

    def literal(self, lit: ox.Literal) -> str:
        text = esc(lit.value)
        if lit.language:
            if lit.language == "zh":
                return text
            return f'<span lang="{esc(lit.language)}">{text}</span>'
        dt = lit.datatype.value
        if dt in _PLAIN_TYPES:
            return text
        return f'{text}<span class="tag">{esc(self.names.context.compact_iri(dt))}</span>'

    def values(self, objs: Iterable, sep: str = "<br>") -> str:
        return sep.join(self.ref(o) for o in sorted(objs, key=_value_order))

    def owned(self, term: Term) -> str | None:
        """The key of a node to show nested in this page, if ``term`` is one."""
        if isinstance(term, ox.Literal):
            return None
        k = term.value if isinstance(term, ox.NamedNode) else "_:" + value(term)
        if k == self.page.iri or self.corpus.owner.get(k) != self.page.iri:
            return None
        return k

    def table(self, subject: str, skip: Iterable[str] = (), nest: bool = True) -> str:
        """The statements about one subject, nested nodes below the table."""
        props = self.page.describe(subject)
        skip = set(skip)
        rows, nested = [], []
        for pred in sorted(props, key=self.names.predicate_order):
            if pred in skip:
                continue
            objs = props[pred]
            cells = []
            for o in sorted(objs, key=_value_order):
                k = self.owned(o) if nest else None
                if k is not None and k.startswith("_:"):
                    items = self.rdf_list(k)
                    if items is not None:
                        cells.append(items)
                        continue
                if k is not None and k not in self.shown:
                    nested.append(k)
                    self.shown.add(k)
                if k is not None and k.startswith("_:"):
                    cells.append("（见下 below）")
                else:
                    cells.append(self.ref(o))
            zh, en = self.names.term(pred)
            rows.append(f'<tr><th title="{esc(pred)}">{bi(zh, en)}</th><td>{"<br>".join(cells)}</td></tr>')
        out = [f'<table class="props">{"".join(rows)}</table>'] if rows else []
        out.extend(self.node(k) for k in nested)
        return "".join(out)

    def rdf_list(self, key: str) -> str | None:
        """An RDF collection of blank nodes (an OWL property chain) shown as ( a · b )."""
        members, seen, k = [], [], key
        while True:
            if k in seen:
                return None
            seen.append(k)
            d = self.page.describe(k)
            if _RDF_FIRST not in d or len(d.get(_RDF_REST, ())) != 1:
                return None
            members.extend(d[_RDF_FIRST])
            rest = d[_RDF_REST][0]
            if isinstance(rest, ox.NamedNode) and rest.value == _RDF_NIL:
                break
            if not isinstance(rest, ox.BlankNode):
                return None
            k = "_:" + rest.value
        self.shown.update(seen)
        return "( " + " · ".join(self.ref(m) for m in members) + " )"

    def node(self, key: str, title_html: str | None = None) -> str:
        anchor = self.corpus.anchor(key)
        attr = ""
        if anchor and anchor not in self.ids:
            self.ids.add(anchor)
            attr = f' id="{esc(anchor)}"'
        if title_html is None:
            zh, en = self.names.of(key) if not key.startswith("_:") else ("", None)
            title_html = bi(zh, en) if zh or en else ""
        self.shown.add(key)
        head = f"<h3>{title_html}</h3>" if title_html else ""
        return f'<div class="node"{attr}>{head}{self.table(key)}</div>'

    def anchor_attr(self, iri: str) -> str:
        a = self.corpus.anchor(iri)
        if not a or a in self.ids:
            return ""
        self.ids.add(a)
        return f' id="{esc(a)}"'


def _value_order(term: Term) -> tuple:
    if isinstance(term, ox.Literal):
        return (1, term.language != "zh", natural_key(term.value))
    return (0, False, natural_key(value(term)))


def first(props: dict[str, list], predicate: str) -> Term | None:
    vals = props.get(predicate)
    if not vals:
        return None
    return min(vals, key=_value_order)


def text_of(props: dict[str, list], predicate: str, lang: str | None = "zh") -> str | None:
    """The text of a literal value: in ``lang`` if there is one, for "zh" else any
    (a plain string), for another language only that language."""
    vals = sorted((v for v in props.get(predicate, ()) if isinstance(v, ox.Literal)), key=_value_order)
    for v in vals:
        if lang is None or v.language == lang:
            return v.value
    return vals[0].value if vals and lang in (None, "zh") else None
