"""The terms of the published graph as pyoxigraph gives them, and their text."""

from __future__ import annotations

import pyoxigraph as ox

#: a term of a statement read by pyoxigraph (a triple term only in RDF-star data)
Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


def value(term: Term) -> str:
    """The text of an IRI, a blank node or a literal. A triple term (RDF-star, which gongkai
    neither writes nor publishes) has none: ``AttributeError``, as reading ``.value`` gives."""
    if isinstance(term, ox.Triple):
        raise AttributeError(f"a triple term has no value: {term}")
    return term.value
