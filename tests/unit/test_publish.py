"""`gongkai publish`: the static linked-data site.

The site is built once from three lists (the original and two from other bureaus) and
checked as a whole: every .ttl and .jsonld parses, together they are the export, each
page's JSON-LD expands (pyld, offline) to the triples of its Turtle, every internal link
resolves (file and anchor), nothing is loaded from the internet, the pages link item →
citations → legal sources → versions and back across bureaus, and the DCAT/VoID
description is true to the files and passes shapes/dcat-ap.ttl.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
import socket
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pyoxigraph as ox
import pytest
from pyld import jsonld
from pyshacl import validate
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, RDF, SH
from typer.testing import CliRunner

from gongkai.cli.common import app
from gongkai.publish.corpus import Corpus
from gongkai.publish.export import export_bytes
from gongkai.publish.jsonld import CONTEXT_URL
from gongkai.publish.layout import Layout
from gongkai.publish.site import MARKER, SiteError, publish_site
from gongkai.publish.source import from_folder
from gongkai.settings import DEFAULT_BASE, Settings

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "data" / "raw" / "zhongwei-yunjisuan-2021.txt"
FIX = ROOT / "tests" / "fixtures" / "text"
CONTEXT = ROOT / "ontology" / "context.jsonld"
SHAPES = ROOT / "shapes" / "dcat-ap.ttl"
SETTINGS = Settings(root=ROOT, fixed_time=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
SEED_LIST = "list/zhongweishiyunjisuanhedashujufazhanju/2021-06-16"
SHAPE = "https://w3id.org/gongkai/shapes#"
LICENSE = "https://creativecommons.org/licenses/by/4.0/"


def site_loader(site: Path):
    """pyld's document loader for one site: it reads the site's own files and refuses
    anything else (another folder, any network URL)."""
    root = site.resolve()

    def load(url, options=None):
        parts = urlsplit(url)
        path = Path(unquote(parts.path)).resolve() if parts.scheme == "file" else None
        if path is None or root not in path.parents or not path.is_file():
            raise RuntimeError(f"offline: refusing to fetch {url}")
        return {"contentType": "application/ld+json", "contextUrl": None, "documentUrl": url,
                "document": json.loads(path.read_text(encoding="utf-8"))}
    return load


@pytest.fixture
def no_network(monkeypatch):
    """Any connection attempt fails: what reads the site must do it from its files."""
    def refuse(*args, **kwargs):
        raise OSError("offline: no network in this test")
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


@pytest.fixture(scope="module")
def lists(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("lists")
    for f in (SEED, FIX / "anlan-shengtai-2022.txt", FIX / "qinghe-jiaoyu-2023.txt"):
        shutil.copy(f, d / f.name)
    return d


@pytest.fixture(scope="module")
def source(lists):
    return from_folder(SETTINGS, lists)


@pytest.fixture(scope="module")
def site(source, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("pub") / "site"
    stages: list[tuple[str, int, int]] = []
    result = publish_site(source, out, SETTINGS, publisher="某市政务公开办公室", license_url=LICENSE,
                          progress=lambda *a: stages.append(a))
    assert result.pages > 100 and result.files >= 3 * result.pages
    assert ("pages", result.pages, result.pages) in stages
    return out


def _resource_files(site: Path, ext: str) -> list[Path]:
    return sorted(p for p in site.rglob(f"*.{ext}") if "download" not in p.parts)


def _is_dataset(p: Path, site: Path) -> bool:
    return p.relative_to(site).as_posix().split(".")[0] == "dataset"


# --- layout ------------------------------------------------------------------------------

@pytest.mark.parametrize("iri,path", [
    (DEFAULT_BASE + "list/x/2021-06-16/item/13", "list/x/2021-06-16/item/13"),
    (DEFAULT_BASE + "list/x/2021-06-16", "list/x/2021-06-16"),
    (DEFAULT_BASE + "ontology#DisclosureItem", "ontology"),
    (DEFAULT_BASE, "index"),
    ("http://example.org/elsewhere", None),
    (DEFAULT_BASE + "list/../../etc/passwd", None),
    (DEFAULT_BASE + "list/a b", None),
])
def test_iris_under_the_base_map_to_paths(iri, path) -> None:
    assert Layout().path(iri) == path


def test_the_vocabularies_keep_their_paths_under_another_base() -> None:
    layout = Layout("https://data.example.org/kg/")
    assert layout.path("https://data.example.org/kg/org/x") == "org/x"
    assert layout.path(DEFAULT_BASE + "vocab/mode/active") == "vocab/mode/active"


@pytest.mark.parametrize("src,dst,href", [
    ("list/x/d/item/13", "legal/a/b", "../../../../legal/a/b.html"),
    ("list/x/d/item/2", "list/x/d", "../../d.html"),
    ("list/x/d", "list/x/d/item/2", "d/item/2.html"),
    ("index", "org/a", "org/a.html"),
    ("org/a", "org/a", "a.html"),
])
def test_links_between_pages_are_relative(src, dst, href) -> None:
    assert Layout().href(src, dst) == href


# --- every triple on exactly one page -------------------------------------------------------

def test_each_triple_belongs_to_one_page(source) -> None:
    corpus = Corpus(Layout(), fallback=None)
    corpus.add(source.quads)
    on_pages = [t for p in corpus.pages.values() for t in p.triples]
    assert len(on_pages) == len(set(on_pages)) == len({ox.Triple(q.subject, q.predicate, q.object)
                                                        for q in source.quads})
    item = DEFAULT_BASE + SEED_LIST + "/item/13"
    assert corpus.owner[item + "/citation/2"] == item
    assert corpus.owner[item + "/time-limit/duration"] == item
    assert corpus.owner["https://w3id.org/gongkai/ontology#reliesOn"] == "https://w3id.org/gongkai/ontology"
    assert {corpus.pages[o].kind for o in corpus.owner.values()} >= {"list", "item", "org", "legal", "concept",
                                                                       "scheme", "ontology"}
    chain = [k for k in corpus.owner if k.startswith("_:")]
    assert chain and {corpus.owner[k] for k in chain} == {"https://w3id.org/gongkai/ontology"}


# --- the documents -------------------------------------------------------------------------

def test_every_page_has_html_turtle_and_json_ld(site) -> None:
    for ttl in _resource_files(site, "ttl"):
        assert ttl.with_suffix(".html").exists() and ttl.with_suffix(".jsonld").exists(), ttl


def test_turtle_files_together_are_the_export(site, source) -> None:
    union = Graph()
    for ttl in _resource_files(site, "ttl"):
        if not _is_dataset(ttl, site):
            union.parse(ttl, format="turtle")
    export = Graph().parse(data=export_bytes(source.quads, "ttl").decode("utf-8"), format="turtle")
    assert len(union) == len(export)
    assert isomorphic(union, export)
    downloaded = Graph().parse(site / "download" / "kg.ttl", format="turtle")
    assert isomorphic(downloaded, export)


def test_each_json_ld_expands_to_its_turtle(site) -> None:
    """Under the default base too, each document names the site's own context by a
    relative path, so that it reads offline wherever the site is copied."""
    for path in _resource_files(site, "jsonld"):
        if path.name == "context.jsonld":
            continue
        doc = json.loads(path.read_text(encoding="utf-8"))
        assert doc["@context"] == os.path.relpath(site / "context.jsonld", path.parent), path
        nq = jsonld.to_rdf(doc, {"format": "application/n-quads", "documentLoader": site_loader(site),
                                 "base": path.as_uri()})
        got = Graph().parse(data=nq, format="nquads")
        want = Graph().parse(path.with_suffix(".ttl"), format="turtle")
        assert len(want) > 0, path
        assert isomorphic(got, want), path


LOCAL_BASE = "http://127.0.0.1:8000/"


@pytest.fixture(scope="module")
def local_site(lists, tmp_path_factory) -> Path:
    """The site published by the command line under a base of its own (a test server's)."""
    out = tmp_path_factory.mktemp("local") / "site"
    r = CliRunner().invoke(app, ["publish", "--from", str(lists), "--out", str(out), "--workers", "1",
                                 "--base", LOCAL_BASE])
    assert r.exit_code == 0, r.output
    return out


def _pyld_dataset(path: Path, site: Path) -> Dataset:
    doc = json.loads(path.read_text(encoding="utf-8"))
    nq = jsonld.to_rdf(doc, {"format": "application/n-quads", "documentLoader": site_loader(site),
                             "base": path.as_uri()})
    return Dataset().parse(data=nq, format="nquads")


def _graphs(ds: Dataset) -> dict[str, Graph]:
    out: dict[str, Graph] = {}
    for s, p, o, g in ds.quads():
        out.setdefault(str(g), Graph()).add((s, p, o))
    return out


def test_every_json_ld_file_of_a_site_under_another_base_reads_offline(local_site, no_network) -> None:
    """rdflib and pyld, with no network and only the site's files, expand every JSON-LD
    file of the site to the statements of its Turtle (TriG for the whole graph)."""
    files = sorted(local_site.rglob("*.jsonld"))
    pages = _resource_files(local_site, "ttl")
    assert len(files) == len(pages) + 2             # each page, download/kg.jsonld, context.jsonld
    w3id = re.compile(re.escape(CONTEXT_URL))
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert not w3id.search(text), path
        if path == local_site / "context.jsonld":
            assert jsonld.expand(json.loads(text), {"documentLoader": site_loader(local_site)}) == []
            continue
        by_rdflib, by_pyld = Dataset(), _pyld_dataset(path, local_site)
        by_rdflib.parse(path, format="json-ld")
        if path.name == "kg.jsonld":
            want = _graphs(Dataset().parse(path.with_suffix(".trig"), format="trig"))
        else:
            want = {"urn:x-rdflib:default": Graph().parse(path.with_suffix(".ttl"), format="turtle")}
        assert sum(len(g) for g in want.values()) > 0, path
        for read in (_graphs(by_rdflib), _graphs(by_pyld)):
            got = {("urn:x-rdflib:default" if k in ("urn:x-rdflib:default", "") else k): g for k, g in read.items()}
            assert set(got) == set(want), path
            for name in want:
                assert isomorphic(got[name], want[name]), (path, name)
    item = json.loads((local_site / SEED_LIST / "item" / "13.jsonld").read_text(encoding="utf-8"))
    assert item["@context"] == "../../../../context.jsonld" and item["id"] == LOCAL_BASE + SEED_LIST + "/item/13"


def test_the_context_is_shipped_with_the_site(site) -> None:
    assert json.loads((site / "context.jsonld").read_text(encoding="utf-8")) == \
        json.loads(CONTEXT.read_text(encoding="utf-8"))


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self.ids: set[str] = set()
        self.assets: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "a" and "href" in a:
            self.links.append(("a", a["href"]))
        if tag == "link" and "href" in a:
            self.links.append(("link", a["href"]))
            if a.get("rel") == "stylesheet":
                self.assets.append(a["href"])
        if tag in ("script", "img", "iframe", "source", "video", "audio") and a.get("src"):
            self.assets.append(a["src"])


@pytest.fixture(scope="module")
def parsed(site) -> dict[Path, _Links]:
    out = {}
    for html in site.rglob("*.html"):
        p = _Links()
        p.feed(html.read_text(encoding="utf-8"))
        out[html] = p
    return out


def test_every_internal_link_resolves_to_a_file_and_anchor(site, parsed) -> None:
    checked = 0
    for page, p in parsed.items():
        for _, href in p.links:
            parts = urlsplit(href)
            if parts.scheme or href.startswith("//"):
                continue
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            assert target.is_file(), f"{page.relative_to(site)}: broken link {href}"
            assert site.resolve() in target.parents or target.parent == site.resolve(), href
            if parts.fragment and target.suffix == ".html":
                assert unquote(parts.fragment) in parsed[target].ids, f"{page.relative_to(site)}: no anchor {href}"
            checked += 1
    assert checked > 1000


def test_no_asset_comes_from_the_internet(site, parsed) -> None:
    for page, p in parsed.items():
        assert p.assets == [], page
        text = page.read_text(encoding="utf-8")
        assert "@import" not in text and "url(" not in text, page
        assert "<style>" in text


def test_item_page_links_citations_to_legal_sources_and_their_versions(site) -> None:
    html = (site / SEED_LIST / "item" / "13.html").read_text(encoding="utf-8")
    assert "13. 财务管理" in html
    assert 'id="citation/2"' in html and "《预算法》" in html
    yusuanfa = "legal/title/zhonghuarenmingongheguoyusuanfa"
    for year in (1994, 2014, 2018):
        assert f'href="../../../../{yusuanfa}/{year}.html"' in html
    assert "Budget Law of the People" in html                       # the English label beside the Chinese
    assert "60fa6c2c1b5eb2f9bad424eefe82534f77ce1f79804b804a3c71c2c646b24612" in html   # provenance
    assert "zhongwei-yunjisuan-2021.txt" in html and ">32<" in html  # file and line
    assert 'type="text/turtle" href="13.ttl"' in html


def test_legal_source_page_lists_items_relying_on_any_version(site) -> None:
    html = (site / "legal" / "guowuyuanling" / "711.html").read_text(encoding="utf-8")
    assert "版本沿革" in html and "Versions" in html
    for lst in ("zhongweishiyunjisuanhedashujufazhanju/2021-06-16", "anlanshishengtaihuanjingju/2022-03-18",
                "qinghexianjiaoyutiyuju/2023-02-27"):
        assert lst in html, lst
    assert f'href="../../{SEED_LIST}/item/13.html"' in html


def test_bureau_page_lists_its_lists(site) -> None:
    html = (site / "org" / "zhongweishiyunjisuanhedashujufazhanju.html").read_text(encoding="utf-8")
    assert f'href="../{SEED_LIST}.html"' in html and "18 项 items" in html


def test_list_page_lists_its_items(site) -> None:
    html = (site / (SEED_LIST + ".html")).read_text(encoding="utf-8")
    assert html.count('href="2021-06-16/item/') == 18
    assert 'id="source"' in html


def test_concept_pages_show_both_labels_and_their_use(site) -> None:
    html = (site / "vocab" / "mode" / "active.html").read_text(encoding="utf-8")
    assert "主动公开" in html and 'lang="en"' in html
    assert "Used by" in html and "item/13.html" in html
    scheme = (site / "vocab" / "channel.html").read_text(encoding="utf-8")
    assert 'href="channel/government-website.html"' in scheme


def test_ontology_documentation_has_every_term_with_both_labels(site, parsed) -> None:
    onto = Graph().parse(ROOT / "ontology" / "gongkai.ttl")
    page = site / "ontology.html"
    html = page.read_text(encoding="utf-8")
    terms = {str(s) for s in onto.subjects() if str(s).startswith("https://w3id.org/gongkai/ontology#")}
    assert len(terms) > 30
    for term in terms:
        local = term.split("#", 1)[1]
        assert local in parsed[page].ids, local
        for label in onto.objects(URIRef(term), URIRef("http://www.w3.org/2000/01/rdf-schema#label")):
            assert str(label).replace("“", "&ldquo;") in html or str(label) in html, (term, label)
    assert "( " in html   # gk:reliesOn's property chain, shown as a list
    for scheme in ("channel", "mode", "audience", "trigger", "timelimit-kind"):
        assert (site / "vocab" / f"{scheme}.html").exists()


def test_index_links_lists_legal_sources_and_data(site) -> None:
    html = (site / "index.html").read_text(encoding="utf-8")
    assert f'href="{SEED_LIST}.html"' in html
    assert "《中华人民共和国预算法》" in html
    assert 'href="dataset.html"' in html and 'href="download/kg.ttl"' in html and 'href="ontology.html"' in html


# --- the dataset description -------------------------------------------------------------

@pytest.fixture(scope="module")
def description(site) -> Graph:
    return Graph().parse(site / "dataset.ttl", format="turtle")


def _shapes() -> Graph:
    return Graph().parse(SHAPES, format="turtle")


def test_description_conforms_to_the_dcat_ap_shapes(description) -> None:
    conforms, _, text = validate(description, shacl_graph=_shapes(), meta_shacl=True)
    assert conforms, text


def test_distributions_are_true_to_the_files(site, description) -> None:
    ds = URIRef(DEFAULT_BASE + "dataset")
    dists = list(description.objects(ds, DCAT.distribution))
    assert len(dists) == 6
    spdx = "http://spdx.org/rdf/terms#"
    for dist in dists:
        url = str(description.value(dist, DCAT.downloadURL))
        path = site / url[len(DEFAULT_BASE):]
        data = path.read_bytes()
        assert int(description.value(dist, DCAT.byteSize)) == len(data)
        ck = description.value(dist, URIRef(spdx + "checksum"))
        assert str(description.value(ck, URIRef(spdx + "checksumValue"))) == hashlib.sha256(data).hexdigest()
    media = {str(description.value(d, DCAT.mediaType)).rsplit("media-types/", 1)[1] for d in dists}
    assert media == {"text/turtle", "application/trig", "application/n-triples", "application/ld+json",
                     "application/rdf+xml", "text/csv"}


def test_void_statistics_are_counted_from_the_data(site, description) -> None:
    void = "http://rdfs.org/ns/void#"
    ds = URIRef(DEFAULT_BASE + "dataset")
    merged = Graph().parse(site / "download" / "kg.nt", format="nt")
    assert int(description.value(ds, URIRef(void + "triples"))) == len(merged)
    assert int(description.value(ds, URIRef(void + "properties"))) == len(set(merged.predicates()))
    assert int(description.value(ds, URIRef(void + "classes"))) == len(set(merged.objects(None, RDF.type)))
    parts = {description.value(p, URIRef(void + "class")): int(description.value(p, URIRef(void + "entities")))
             for p in description.objects(ds, URIRef(void + "classPartition"))}
    item = URIRef("https://w3id.org/gongkai/ontology#DisclosureItem")
    assert parts[item] == len(set(merged.subjects(RDF.type, item)))
    vocabularies = {str(v) for v in description.objects(ds, URIRef(void + "vocabulary"))}
    assert {"http://data.europa.eu/eli/ontology#", "http://www.w3.org/2006/time#",
            "http://www.w3.org/ns/prov#", "http://www.w3.org/2004/02/skos/core#"} <= vocabularies
    linksets = list(description.subjects(RDF.type, URIRef(void + "Linkset")))
    preds = {str(description.value(ls, URIRef(void + "linkPredicate"))) for ls in linksets}
    assert "http://www.w3.org/2006/time#unitType" in preds


def _results(data: Graph) -> set[tuple[str, str]]:
    _, report, _ = validate(data, shacl_graph=_shapes())
    return {(str(report.value(r, SH.sourceShape)).removeprefix(SHAPE),
             str(report.value(r, SH.resultSeverity)).split("#")[1])
            for r in report.subjects(RDF.type, SH.ValidationResult)}


def _copy(g: Graph) -> Graph:
    out = Graph()
    for t in g:
        out.add(t)
    return out


def test_a_description_without_publisher_or_licence_only_warns(description) -> None:
    g = _copy(description)
    g.remove((None, URIRef("http://purl.org/dc/terms/publisher"), None))
    g.remove((None, URIRef("http://purl.org/dc/terms/license"), None))
    assert _results(g) == {("D04-dataset-has-publisher", "Warning"), ("D05-dataset-has-license", "Warning")}


DS = URIRef(DEFAULT_BASE + "dataset")
DCT = "http://purl.org/dc/terms/"
VOID = "http://rdfs.org/ns/void#"
SPDX = "http://spdx.org/rdf/terms#"


def _dist(g: Graph) -> URIRef:
    return min(g.objects(DS, DCAT.distribution))


def _part(g: Graph, link: str) -> URIRef:
    return min(g.objects(DS, URIRef(VOID + link)))


def _linkset(g: Graph) -> URIRef:
    return min(g.subjects(RDF.type, URIRef(VOID + "Linkset")))


# shape -> (how to break a good description, the severity it must then report)
BREAKERS = {
    "D01-dataset-has-title": (lambda g: g.remove((DS, URIRef(DCT + "title"), None)), "Violation"),
    "D02-dataset-has-description": (lambda g: g.remove((DS, URIRef(DCT + "description"), None)), "Violation"),
    "D03-dataset-has-distribution": (lambda g: g.remove((DS, DCAT.distribution, None)), "Violation"),
    "D04-dataset-has-publisher": (lambda g: g.remove((DS, URIRef(DCT + "publisher"), None)), "Warning"),
    "D05-dataset-has-license": (lambda g: g.remove((DS, URIRef(DCT + "license"), None)), "Warning"),
    "D06-dataset-dates": (lambda g: g.set((DS, URIRef(DCT + "issued"), Literal("yesterday"))), "Warning"),
    "D10-distribution-has-access-url": (lambda g: g.remove((_dist(g), DCAT.accessURL, None)), "Violation"),
    "D11-distribution-has-download-url": (lambda g: g.remove((_dist(g), DCAT.downloadURL, None)), "Violation"),
    "D12-distribution-media-type": (lambda g: g.set((_dist(g), DCAT.mediaType, URIRef("https://example.org/turtle"))),
                                    "Violation"),
    "D13-distribution-byte-size": (lambda g: g.set((_dist(g), DCAT.byteSize, Literal("12 MB"))), "Violation"),
    "D14-distribution-checksum": (lambda g: g.set((g.value(_dist(g), URIRef(SPDX + "checksum")),
                                                   URIRef(SPDX + "checksumValue"), Literal("abc"))), "Violation"),
    "D20-void-triples": (lambda g: g.add((DS, URIRef(VOID + "triples"), Literal(1))), "Violation"),
    "D21-void-entities": (lambda g: g.add((DS, URIRef(VOID + "entities"), Literal(1))), "Violation"),
    "D22-void-classes": (lambda g: g.set((DS, URIRef(VOID + "classes"), Literal("many"))), "Violation"),
    "D23-void-properties": (lambda g: g.set((DS, URIRef(VOID + "properties"), Literal(-1))), "Violation"),
    "D24-published-dataset-has-statistics": (lambda g: g.remove((DS, URIRef(VOID + "triples"), None)), "Violation"),
    "D25-class-partition-names-its-class": (lambda g: g.remove((_part(g, "classPartition"), URIRef(VOID + "class"),
                                                                None)), "Violation"),
    "D26-class-partition-counts-entities": (lambda g: g.remove((_part(g, "classPartition"), URIRef(VOID + "entities"),
                                                                None)), "Violation"),
    "D27-property-partition-names-its-property": (lambda g: g.remove((_part(g, "propertyPartition"),
                                                                      URIRef(VOID + "property"), None)), "Violation"),
    "D28-property-partition-counts-triples": (lambda g: g.set((_part(g, "propertyPartition"), URIRef(VOID + "triples"),
                                                               Literal("x"))), "Violation"),
    "D29-linkset-targets": (lambda g: g.remove((_linkset(g), URIRef(VOID + "objectsTarget"), None)), "Violation"),
    "D30-linkset-subjects": (lambda g: g.remove((_linkset(g), URIRef(VOID + "subjectsTarget"), None)), "Violation"),
    "D31-linkset-predicate-and-count": (lambda g: g.remove((_linkset(g), URIRef(VOID + "linkPredicate"), None)),
                                        "Violation"),
}


def test_every_dataset_shape_is_documented_and_has_a_failing_case() -> None:
    shapes = _shapes()
    ids = {str(s)[len(SHAPE):] for s in shapes.subjects(RDF.type, None) if str(s).startswith(SHAPE)}
    assert ids == set(BREAKERS) | {"D15-sha256-checksum"}   # D15 is checked through D14 (sh:node)
    for shape_id in ids:
        iri = URIRef(SHAPE + shape_id)
        for prop in (SH.message, URIRef("http://www.w3.org/2000/01/rdf-schema#comment")):
            assert {o.language for o in shapes.objects(iri, prop)} >= {"zh", "en"}, (shape_id, prop)


@pytest.mark.parametrize("shape", sorted(BREAKERS))
def test_a_broken_description_fails_with_the_shape_that_says_why(description, shape) -> None:
    break_it, severity = BREAKERS[shape]
    g = _copy(description)
    break_it(g)
    assert (shape, severity) in _results(g)


# --- replacing a site, the command --------------------------------------------------------

def test_publish_replaces_its_own_site_and_refuses_other_folders(source, tmp_path) -> None:
    out = tmp_path / "site"
    publish_site(source.only([SEED_LIST.split("/", 1)[1]]), out, SETTINGS)
    (out / "stale.html").write_text("old", encoding="utf-8")
    publish_site(source.only([SEED_LIST.split("/", 1)[1]]), out, SETTINGS)
    assert (out / MARKER).exists() and not (out / "stale.html").exists()
    other = tmp_path / "documents"
    other.mkdir()
    (other / "thesis.docx").write_text("keep me", encoding="utf-8")
    with pytest.raises(SiteError, match="not a site written by gongkai publish"):
        publish_site(source, other, SETTINGS)
    assert (other / "thesis.docx").read_text(encoding="utf-8") == "keep me"


def test_a_site_under_another_base_maps_its_iris_to_the_same_layout(lists, tmp_path) -> None:
    settings = Settings(root=ROOT, base="https://data.example.org/kg/", fixed_time=SETTINGS.fixed_time)
    out = tmp_path / "site"
    publish_site(from_folder(settings, lists), out, settings)
    ttl = (out / SEED_LIST / "item" / "13.ttl").read_text(encoding="utf-8")
    assert "@prefix data: <https://data.example.org/kg/> ." in ttl
    assert (out / "vocab" / "mode" / "active.html").exists() and (out / "ontology.html").exists()


def test_cli_publish_writes_the_site(lists, tmp_path) -> None:
    out = tmp_path / "site"
    r = CliRunner().invoke(app, ["publish", "--from", str(lists), "--out", str(out), "--workers", "1",
                                 "--publisher", "某市政务公开办公室"])
    assert r.exit_code == 0, r.output
    assert re.search(r"published [\d,]+ pages", r.output)
    assert (out / "index.html").exists() and (out / SEED_LIST / "item" / "13.jsonld").exists()


def test_cli_publish_refuses_a_graph_built_under_another_base(source, tmp_path) -> None:
    path = tmp_path / "kg.trig"
    path.write_bytes(export_bytes(source.quads, "trig"))
    r = CliRunner().invoke(app, ["publish", "--from", str(path), "--out", str(tmp_path / "s"),
                                 "--base", "https://data.example.org/kg/"])
    assert r.exit_code == 2 and "not under --base" in r.output


def test_publish_from_a_built_graph_offers_every_rdf_format_but_no_csv(source, tmp_path) -> None:
    path = tmp_path / "kg.trig"
    path.write_bytes(export_bytes(source.quads, "trig"))
    out = tmp_path / "site"
    r = CliRunner().invoke(app, ["publish", "--from", str(path), "--out", str(out), "--workers", "1"])
    assert r.exit_code == 0, r.output
    assert not (out / "download" / "items.csv").exists() and (out / "download" / "kg.rdf").exists()
    g = Graph().parse(out / "dataset.ttl", format="turtle")
    assert len(list(g.objects(DS, DCAT.distribution))) == 5
    assert (out / SEED_LIST / "item" / "13.html").exists()


def test_items_of_undated_lists_are_not_counted_under_the_earliest_version(tmp_path: Path) -> None:
    """An undated list cites the Regulations without saying which version: the page of the 2007 text
    counts none of its items as relying on it, and lists them marked 版本未定."""
    folder = tmp_path / "lists"
    folder.mkdir()
    shutil.copy(ROOT / "tests" / "fixtures" / "broken" / "no-date.txt", folder / "no-date.txt")
    out = tmp_path / "site"
    publish_site(from_folder(SETTINGS, folder), out, SETTINGS, publisher="某市政务公开办公室", license_url=LICENSE)
    html = (out / "legal" / "guowuyuanling" / "492.html").read_text(encoding="utf-8")
    versions = html[html.index("版本沿革"):html.index("</table>", html.index("版本沿革"))]
    assert re.findall(r'<td class="num">(\d+)</td>', versions) == ["0", "0"]     # 2007, 2019: none certain
    assert "版本未定 version undetermined" in html
    assert "被引用的条款" not in html          # no article of 2007 is cited by them
