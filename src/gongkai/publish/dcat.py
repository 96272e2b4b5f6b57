"""The published dataset described in DCAT (what it is, its downloads) and VoID (what is in it).

Generated from the data and from the files actually written: each distribution's size
and SHA-256 are measured, the statistics counted (``void.statistics``). Every node has
an IRI under ``<base>dataset`` (no blank nodes), so the description is stable and each
part can be linked to. ``shapes/dcat-ap.ttl`` checks it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from gongkai.publish.export import ExportFormat
from gongkai.publish.void import VOCABULARIES, Statistics
from gongkai.rdf.namespaces import PREFIXES, VCARD

_NS = {p: str(ns) for p, ns in PREFIXES.items()} | {"vcard": str(VCARD)}
IANA = "http://www.iana.org/assignments/media-types/"
FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
LANGUAGE = "http://publications.europa.eu/resource/authority/language/"
ONTOLOGY = "https://w3id.org/gongkai/ontology"
EU_FILE_TYPES = {"ttl": "RDF_TURTLE", "trig": "RDF_TRIG", "nt": "RDF_N_TRIPLES", "nq": "RDF_N_QUADS",
                 "jsonld": "JSON_LD", "rdfxml": "RDF_XML", "csv": "CSV"}

TITLE = ("政务公开清单知识图谱", "Knowledge graph of government information-disclosure lists")
DESCRIPTION = (
    ("各机关政务公开清单目录（标准目录）中的公开事项，及其公开依据（法律、法规和文件的具体版本与条款）、"
     "公开时限、公开主体、渠道、对象和方式，并保留每个事项的原文与来源（文件、行号、校验和）。"),
    ("The items government bodies must disclose, from their disclosure lists (政务公开清单目录), with "
     "their legal basis (the version and article of each law, regulation or document), time limit, "
     "publisher, channels, audience and mode, keeping each item's raw text and provenance (file, lines, checksum)."),
)
KEYWORDS = (("政务公开", "zh"), ("政府信息公开", "zh"), ("公开清单", "zh"),
            ("government information disclosure", "en"), ("legal basis", "en"), ("linked data", "en"))


@dataclass(frozen=True)
class Download:
    """A file of the site offered as a distribution."""

    fmt: ExportFormat
    file: str           # path in the site, e.g. download/kg.ttl
    size: int
    sha256: str

    @classmethod
    def measure(cls, fmt: ExportFormat, site: Path, file: str) -> Download:
        h = hashlib.sha256()
        path = site / file
        with open(path, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                h.update(chunk)
        return cls(fmt, file, path.stat().st_size, h.hexdigest())


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-") or "x"


def _curie_slug(iri: str) -> str:
    for prefix, ns in _NS.items():
        if iri.startswith(ns) and len(iri) > len(ns):
            return _slug(f"{prefix}-{iri[len(ns):]}")
    return _slug(iri.split("://", 1)[-1])[-60:] + "-" + hashlib.sha1(iri.encode()).hexdigest()[:8]


class _Triples(list[ox.Triple]):
    def add(self, s: str, p: str, o: ox.NamedNode | ox.BlankNode | ox.Literal) -> None:
        prefix, _, local = p.partition(":")
        self.append(ox.Triple(ox.NamedNode(s), ox.NamedNode(_NS[prefix] + local), o))


def iri(value: str) -> ox.NamedNode:
    return ox.NamedNode(value)


def lit(value: object, datatype: str | None = None, lang: str | None = None) -> ox.Literal:
    if lang:
        return ox.Literal(str(value), language=lang)
    if datatype:
        prefix, _, local = datatype.partition(":")
        return ox.Literal(str(value), datatype=ox.NamedNode(_NS[prefix] + local))
    return ox.Literal(str(value))


def dataset_iri(base: str) -> str:
    return base + "dataset"


def _texts(given: tuple[str, str] | None, default: tuple[str, str]) -> list[tuple[str, str]]:
    """A title or description in zh and en: the publisher's where given, else gongkai's own
    (a Chinese text alone is not made up an English one)."""
    if given is None or not (given[0] or given[1]):
        return list(zip(default, ("zh", "en"), strict=True))
    return [(text, lang) for text, lang in zip(given, ("zh", "en"), strict=True) if text]


def describe(base: str, stats: Statistics, downloads: list[Download], *, issued: dt.datetime,
             publisher: str | None = None, license_url: str | None = None,
             examples: Sequence[str] = (), title: tuple[str, str] | None = None,
             description: tuple[str, str] | None = None,
             contact: tuple[str, str | None] | None = None) -> list[ox.Triple]:
    """The DCAT and VoID description of the dataset at ``<base>dataset``. ``title`` and
    ``description`` (zh, en) replace gongkai's own; ``contact`` is a name and an IRI
    (``mailto:`` or a web page): a ``dcat:contactPoint``."""
    ds = dataset_iri(base)
    t = _Triples()
    t.add(ds, "rdf:type", iri(_NS["dcat"] + "Dataset"))
    t.add(ds, "rdf:type", iri(_NS["void"] + "Dataset"))
    for text, lang in _texts(title, TITLE):
        t.add(ds, "dcterms:title", lit(text, lang=lang))
    for text, lang in _texts(description, DESCRIPTION):
        t.add(ds, "dcterms:description", lit(text, lang=lang))
    if contact is not None and (contact[0] or contact[1]):
        point = ds + "/contact"
        t.add(ds, "dcat:contactPoint", iri(point))
        t.add(point, "rdf:type", iri(_NS["vcard"] + "Kind"))
        name = contact[0] or (contact[1] or "").removeprefix("mailto:")
        t.add(point, "vcard:fn", lit(name, lang="zh" if not name.isascii() else None))
        if contact[1]:
            t.add(point, "vcard:hasEmail" if contact[1].startswith("mailto:") else "vcard:hasURL", iri(contact[1]))
    for word, lang in KEYWORDS:
        t.add(ds, "dcat:keyword", lit(word, lang=lang))
    stamp = lit(issued.isoformat(), "xsd:dateTime")
    t.add(ds, "dcterms:issued", stamp)
    t.add(ds, "dcterms:modified", stamp)
    for code in ("ZHO", "ENG"):
        t.add(ds, "dcterms:language", iri(LANGUAGE + code))
    t.add(ds, "dcterms:conformsTo", iri(ONTOLOGY))
    t.add(ds, "dcat:landingPage", iri(base))
    t.add(ds, "void:uriSpace", lit(base))
    if publisher:
        agent = ds + "/publisher"
        t.add(ds, "dcterms:publisher", iri(agent))
        t.add(agent, "rdf:type", iri(_NS["foaf"] + "Agent"))
        t.add(agent, "foaf:name", lit(publisher, lang="zh" if not publisher.isascii() else None))
    if license_url:
        t.add(ds, "dcterms:license", iri(license_url))
    for ex in examples:
        t.add(ds, "void:exampleResource", iri(ex))

    for d in downloads:
        dist = f"{ds}/distribution/{d.fmt.name}"
        url = iri(base + d.file)
        t.add(ds, "dcat:distribution", iri(dist))
        if d.fmt.rdf_format is not None or d.fmt.name == "jsonld":
            t.add(ds, "void:dataDump", url)
        t.add(dist, "rdf:type", iri(_NS["dcat"] + "Distribution"))
        t.add(dist, "dcterms:title", lit(d.fmt.label_zh, lang="zh"))
        t.add(dist, "dcterms:title", lit(d.fmt.label_en, lang="en"))
        t.add(dist, "dcat:downloadURL", url)
        t.add(dist, "dcat:accessURL", url)
        t.add(dist, "dcat:mediaType", iri(IANA + d.fmt.media_type))
        t.add(dist, "dcterms:format", iri(FILE_TYPE + EU_FILE_TYPES[d.fmt.name]))
        t.add(dist, "dcat:byteSize", lit(d.size, "xsd:nonNegativeInteger"))
        t.add(dist, "dcterms:issued", stamp)
        if license_url:
            t.add(dist, "dcterms:license", iri(license_url))
        if d.fmt.name == "jsonld":
            t.add(dist, "dcterms:conformsTo", iri(base + "context.jsonld"))
        ck = dist + "/checksum"
        t.add(dist, "spdx:checksum", iri(ck))
        t.add(ck, "rdf:type", iri(_NS["spdx"] + "Checksum"))
        t.add(ck, "spdx:algorithm", iri(_NS["spdx"] + "checksumAlgorithm_sha256"))
        t.add(ck, "spdx:checksumValue", lit(d.sha256, "xsd:hexBinary"))

    _void(t, ds, stats)
    return list(t)


def _void(t: _Triples, ds: str, st: Statistics) -> None:
    t.add(ds, "void:triples", lit(st.triples, "xsd:integer"))
    t.add(ds, "void:entities", lit(st.entities, "xsd:integer"))
    t.add(ds, "void:classes", lit(st.n_classes, "xsd:integer"))
    t.add(ds, "void:properties", lit(st.n_properties, "xsd:integer"))
    t.add(ds, "void:distinctSubjects", lit(st.distinct_subjects, "xsd:integer"))
    t.add(ds, "void:distinctObjects", lit(st.distinct_objects, "xsd:integer"))
    for prefix in sorted(st.vocabularies):
        ns = VOCABULARIES[prefix][0] if prefix in VOCABULARIES else _NS[prefix]
        t.add(ds, "void:vocabulary", iri(ns))
    for cls, n in sorted(st.classes.items()):
        part = f"{ds}/class/{_curie_slug(cls)}"
        t.add(ds, "void:classPartition", iri(part))
        t.add(part, "void:class", iri(cls))
        t.add(part, "void:entities", lit(n, "xsd:integer"))
    for prop, n in sorted(st.properties.items()):
        part = f"{ds}/property/{_curie_slug(prop)}"
        t.add(ds, "void:propertyPartition", iri(part))
        t.add(part, "void:property", iri(prop))
        t.add(part, "void:triples", lit(n, "xsd:integer"))
    targets = set()
    for (pred, vocab), n in sorted(st.linksets.items()):
        target = f"{ds}/vocabulary/{vocab}"
        targets.add(vocab)
        ls = f"{ds}/linkset/{_curie_slug(pred)}--{vocab}"
        t.add(ds, "void:subset", iri(ls))
        t.add(ls, "rdf:type", iri(_NS["void"] + "Linkset"))
        t.add(ls, "void:subjectsTarget", iri(ds))
        t.add(ls, "void:objectsTarget", iri(target))
        t.add(ls, "void:linkPredicate", iri(pred))
        t.add(ls, "void:triples", lit(n, "xsd:integer"))
    for vocab in sorted(targets):
        ns, title, home = VOCABULARIES[vocab]
        target = f"{ds}/vocabulary/{vocab}"
        t.add(target, "rdf:type", iri(_NS["void"] + "Dataset"))
        t.add(target, "dcterms:title", lit(title, lang="en"))
        t.add(target, "void:uriSpace", lit(ns))
        t.add(target, "foaf:homepage", iri(home))
