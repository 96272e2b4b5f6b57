"""Terms written as N-Triples / N-Quads text.

rdflib's ``term.n3()`` is N-Triples for IRIs and one-line literals, but writes a literal holding a
line break in Turtle's long-string form (``\"\"\"…\"\"\"``), which N-Triples and N-Quads parsers refuse.
Articles' texts (paragraphs separated by line breaks) are such literals: ``nt_object`` escapes them.
"""

from __future__ import annotations

from rdflib import Literal
from rdflib.term import Node

_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"}


def nt_object(term: Node) -> str:
    """The object of a triple as N-Triples text."""
    if isinstance(term, Literal) and ("\n" in term or "\r" in term):
        text = '"' + "".join(_ESCAPES.get(ch, ch) for ch in str(term)) + '"'
        if term.language:
            return f"{text}@{term.language}"
        if term.datatype is not None:
            return f"{text}^^<{term.datatype}>"
        return text
    return term.n3()
