"""pyshacl, the reference engine, to compare the fast engine's results with."""

from __future__ import annotations

import re
from collections.abc import Sequence

from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from gongkai.rdf.namespaces import SH
from gongkai.settings import Settings
from gongkai.validation.results import LIST_CONCERNS, Report, Result
from gongkai.validation.shapes import shapes_graph

_SH = str(SH)


def validate_with_pyshacl(data: Graph, settings: Settings | None = None,
                          concerns: Sequence[str] = LIST_CONCERNS) -> set[tuple[str, str, str | None, str | None]]:
    """pyshacl on ``data`` with the given concerns' shapes: the set of
    (shape id, focus node, result path, value) — to compare with the fast engine."""
    from pyshacl import validate as pyshacl_validate  # lazy: the reference engine, for comparisons only

    settings = settings or Settings()
    sg = shapes_graph(settings.shapes_dir, concerns)
    _conforms, rg, _ = pyshacl_validate(data, shacl_graph=sg, inference="none", advanced=False)
    out = set()
    for res in rg.subjects(RDF.type, URIRef(_SH + "ValidationResult")):
        shape = rg.value(res, URIRef(_SH + "sourceShape"))
        focus = rg.value(res, URIRef(_SH + "focusNode"))
        path = rg.value(res, URIRef(_SH + "resultPath"))
        value = rg.value(res, URIRef(_SH + "value"))
        if not isinstance(shape, URIRef):
            continue  # a nested anonymous shape's own result; its rule reports it too
        out.add((re.split(r"[#/]", str(shape))[-1], str(focus),
                 str(path) if isinstance(path, URIRef) else None,
                 str(value) if value is not None else None))
    return out


def fast_result_keys(report: Report) -> set[tuple[str, str, str | None, str | None]]:
    """The same key set from a fast-engine report (for comparison with pyshacl)."""
    out = set()
    for r in report.results:
        if not r.list_iri:
            continue
        out.add((r.shape_id, r.focus, r.result_path, _raw_value(r)))
    return out


def _raw_value(r: Result) -> str | None:
    return r.value if r.component not in _NO_VALUE else None


_NO_VALUE = {"MinCountConstraintComponent", "MaxCountConstraintComponent", "HasValueConstraintComponent",
             "QualifiedMinCountConstraintComponent", "QualifiedMaxCountConstraintComponent"}
