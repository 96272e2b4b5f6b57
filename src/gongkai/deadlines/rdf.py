"""The overdue check's results as RDF (PROV), in a named graph of their own.

A check of the records file ``records.csv`` becomes the graph ``<base>checks/records``:

- the check itself, the graph's IRI, a ``gk:PublicationCheck`` (a ``prov:Activity``)
  with ``gk:asOf`` (the day taken as today) that ``prov:used`` the records file (a
  ``prov:Entity`` with its name and SHA-256, as lists record their source file);
- each checked record ``<check>/record/<row>``, a ``gk:Publication`` (a
  ``prov:Activity``) that ``prov:used`` the item and is ``dcterms:isPartOf`` the check,
  with ``gk:eventDate``, ``gk:dueDate``, ``gk:publishedOn`` (and ``prov:endedAtTime``
  when the record gives a time of day: PROV's time needs one, a date alone is not a
  time), ``gk:publicationStatus`` (``gkv:publication-status``), the working and calendar
  days late, whether the due date is provisional and which calendar it came from,
  ``foaf:page`` (the published page) and ``gk:sourceLine`` (the row).

Rows that could not be checked are not in the graph. IRIs are derived from the file
name and the row, so checking the same file again replaces the same graph.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, PROV, RDF, XSD

from gongkai.deadlines.overdue import CheckReport
from gongkai.rdf.iris import IRIs, slug, vocab
from gongkai.rdf.namespaces import GK, SPDX, bind_all
from gongkai.rdf.serialize import serialize


def check_graph_name(iris: IRIs, file: str | Path) -> URIRef:
    """``<base>checks/<slug of the file name without extension>``."""
    return URIRef(f"{iris.base}checks/{slug(Path(file).stem)}")


def map_check(report: CheckReport, iris: IRIs, *, name: URIRef | None = None) -> tuple[URIRef, Graph]:
    """(graph name, graph) for a check report."""
    check = name if name is not None else check_graph_name(iris, report.file)
    g = bind_all(Graph(), iris.base)
    g.add((check, RDF.type, GK.PublicationCheck))
    g.add((check, GK.asOf, Literal(report.as_of.isoformat(), datatype=XSD.date)))
    source = iris.sub(check, "records")
    g.add((source, RDF.type, PROV.Entity))
    g.add((source, DCTERMS.title, Literal(Path(report.file).name)))
    if report.sha256:
        ck = iris.sub(source, "checksum")
        g.add((source, SPDX.checksum, ck))
        g.add((ck, RDF.type, SPDX.Checksum))
        g.add((ck, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
        g.add((ck, SPDX.checksumValue, Literal(report.sha256, datatype=XSD.hexBinary)))
    g.add((check, PROV.used, source))
    for r in report.results:
        rec = r.record
        pub = iris.sub(check, "record", rec.row)
        g.add((pub, RDF.type, GK.Publication))
        g.add((pub, DCTERMS.isPartOf, check))
        g.add((pub, PROV.used, URIRef(r.item.iri)))
        g.add((pub, GK.sourceLine, Literal(rec.row, datatype=XSD.positiveInteger)))
        g.add((pub, GK.eventDate, Literal(rec.event.isoformat(), datatype=XSD.date)))
        if r.due.date is not None:
            g.add((pub, GK.dueDate, Literal(r.due.date.isoformat(), datatype=XSD.date)))
            g.add((pub, GK.provisionalDueDate, Literal(r.due.provisional)))
        if r.due.calendar_source:
            g.add((pub, GK.calendarSource, Literal(r.due.calendar_source)))
        if rec.published is not None:
            g.add((pub, GK.publishedOn, Literal(rec.published.isoformat(), datatype=XSD.date)))
        if rec.published_at is not None:
            g.add((pub, PROV.endedAtTime, Literal(rec.published_at.isoformat(), datatype=XSD.dateTime)))
        g.add((pub, GK.publicationStatus, vocab("publication-status", r.status)))
        if r.working_days_late is not None:
            g.add((pub, GK.workingDaysLate, Literal(r.working_days_late, datatype=XSD.nonNegativeInteger)))
        if r.calendar_days_late is not None:
            g.add((pub, GK.calendarDaysLate, Literal(r.calendar_days_late, datatype=XSD.nonNegativeInteger)))
        if rec.url:
            g.add((pub, FOAF.page, URIRef(rec.url)))
    return check, g


def write_check(path: Path, report: CheckReport, iris: IRIs) -> URIRef:
    """Write the check's graph as TriG (one named graph), atomically; returns its name."""
    name, graph = map_check(report, iris)
    data = serialize([(name, graph)], "trig", iris.base)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(data, encoding="utf-8", newline="")
    tmp.replace(path)
    return name
