"""One store everywhere, in the app: a list imported on the 导入 screen is on the 校验 screen at
once; the publisher's settings (publisher.toml beside the build folder) give the app its title
and the dataset's DCAT description its title, description, licence and contact."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS
from streamlit.testing.v1 import AppTest
from typer.testing import CliRunner

from gongkai.cli import app
from gongkai.errors import InputError
from gongkai.pipeline.sequence import build_and_publish
from gongkai.publish.publisher import PUBLISHER_FILE, Publisher, load_publisher, publisher_path, save_publisher
from gongkai.publish.site import dataset_description
from gongkai.publish.source import from_store
from gongkai.rdf.namespaces import VCARD
from gongkai.settings import Settings
from listfolders import raw_lists

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "app" / "streamlit_app.py"
XLSX = ROOT / "tests" / "fixtures" / "formats" / "two-sheets-merged.xlsx"
IMPORTED = "示例县民政局"
DATASET = URIRef("https://w3id.org/gongkai/dataset")
LICENSE = "https://creativecommons.org/licenses/by/4.0/"
ABOUT = Publisher(title="某市政务公开清单", title_en="Disclosure lists of a city", description="本市各部门的公开清单。",
                  publisher="某市政务公开办公室", license=LICENSE, contact_name="公开办",
                  contact="gongkai@example.gov.cn")


def _build(folder: Path) -> Settings:
    settings = Settings(root=ROOT, build_dir=folder / "build")
    assert build_and_publish(settings, raw_lists(folder / "lists", ["fengtunzhen-trad.txt"])).published
    return settings


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return _build(tmp_path_factory.mktemp("app-onestore"))


def _app(settings: Settings, monkeypatch: pytest.MonkeyPatch, page: str | None = None) -> AppTest:
    monkeypatch.setenv("GONGKAI_BUILD", str(settings.out_dir))
    monkeypatch.delenv("GONGKAI_ENDPOINT", raising=False)
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    if page:
        at.switch_page(f"app_pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_a_list_imported_in_the_app_is_on_the_validation_screen(tmp_path: Path, monkeypatch) -> None:
    settings = _build(tmp_path)
    at = _app(settings, monkeypatch, page="validation")
    assert IMPORTED not in set(at.dataframe[0].value["责任单位"])
    at.switch_page("app_pages/import_list.py").run()
    at.file_uploader(key="import_file").set_value(
        (XLSX.name, XLSX.read_bytes(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")).run()
    at.button(key="import_commit").click().run()
    assert not at.exception and at.success and not at.warning, [w.value for w in at.warning]
    at.switch_page("app_pages/validation.py").run()
    assert not at.exception and not at.error
    problems = at.dataframe[0].value
    mine = problems[problems["责任单位"] == IMPORTED]
    assert len(mine) > 0 and set(mine["日期"]) == {"2024-03-01"}
    assert IMPORTED in at.multiselect(key="val_bureaus").options
    assert not any("还没有校验报告" in i.value for i in at.info)    # current, not "validate now"


def test_publisher_settings_are_read_and_written_next_to_the_build(tmp_path: Path) -> None:
    settings = Settings(root=ROOT, build_dir=tmp_path / "build")
    assert publisher_path(settings) == tmp_path.absolute() / PUBLISHER_FILE
    assert load_publisher(settings) == Publisher() and Publisher().empty
    save_publisher(settings, ABOUT)
    assert load_publisher(settings) == ABOUT
    assert ABOUT.contact_iri == "mailto:gongkai@example.gov.cn"
    with pytest.raises(InputError, match="URL"):
        save_publisher(settings, Publisher(license="CC BY 4.0"))
    publisher_path(settings).write_text('title = "未闭合\n', encoding="utf-8")
    with pytest.raises(InputError, match="not valid TOML"):
        load_publisher(settings)


def test_the_dataset_description_carries_the_publisher_s_settings(built: Settings) -> None:
    src = from_store(built)
    g = Graph().parse(data=dataset_description(src.quads, built, ABOUT).decode("utf-8"), format="turtle")
    assert (DATASET, DCTERMS.title, Literal("某市政务公开清单", lang="zh")) in g
    assert (DATASET, DCTERMS.title, Literal("Disclosure lists of a city", lang="en")) in g
    assert (DATASET, DCTERMS.description, Literal("本市各部门的公开清单。", lang="zh")) in g
    assert (DATASET, DCTERMS.license, URIRef(LICENSE)) in g
    point = g.value(DATASET, DCAT.contactPoint)
    assert g.value(point, VCARD.hasEmail) == URIRef("mailto:gongkai@example.gov.cn")
    assert g.value(point, VCARD.fn) == Literal("公开办", lang="zh")
    assert int(g.value(DATASET, URIRef("http://rdfs.org/ns/void#triples"))) > 1000   # VoID counts the data
    plain = Graph().parse(data=dataset_description(src.quads, built).decode("utf-8"), format="turtle")
    assert (DATASET, DCTERMS.title, Literal("政务公开清单知识图谱", lang="zh")) in plain   # gongkai's own
    assert plain.value(DATASET, DCTERMS.license) is None


def test_publish_reads_the_publisher_s_settings(built: Settings, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("GONGKAI_BUILD", str(built.out_dir))
    save_publisher(built, ABOUT)
    try:
        site = tmp_path / "site"
        r = CliRunner().invoke(app, ["publish", "--out", str(site), "--workers", "1"])
        assert r.exit_code == 0, r.output
        g = Graph().parse(site / "dataset.ttl", format="turtle")
        assert (DATASET, DCTERMS.title, Literal("某市政务公开清单", lang="zh")) in g
        assert (DATASET, DCTERMS.license, URIRef(LICENSE)) in g and g.value(DATASET, DCAT.contactPoint) is not None
        assert "某市政务公开清单" in (site / "index.html").read_text(encoding="utf-8")
    finally:
        publisher_path(built).unlink()


def test_the_app_s_title_is_the_publisher_s_and_the_export_page_edits_it(built: Settings, monkeypatch) -> None:
    at = _app(built, monkeypatch, page="export")
    assert not any("某市" in m.value for m in at.sidebar.markdown)
    at.text_input(key="publisher_title").input("某市政务公开清单")
    at.text_input(key="publisher_license").input(LICENSE)
    at.text_input(key="publisher_contact").input("gongkai@example.gov.cn")
    next(b for b in at.button if "保存" in b.label).click().run()
    try:
        assert not at.exception and not at.error
        saved = load_publisher(built)
        assert (saved.title, saved.license, saved.contact) == ("某市政务公开清单", LICENSE, "gongkai@example.gov.cn")
        assert any("某市政务公开清单" in m.value for m in at.sidebar.markdown)   # the app's title now
        assert at.success and "已保存" in at.success[0].value
        bad = _app(built, monkeypatch, page="export")
        bad.text_input(key="publisher_license").input("CC BY")
        next(b for b in bad.button if "保存" in b.label).click().run()
        assert bad.error and "URL" in bad.error[0].value and load_publisher(built).license == LICENSE
    finally:
        publisher_path(built).unlink(missing_ok=True)


def test_served_beyond_loopback_the_publisher_s_settings_need_the_login(built: Settings, monkeypatch,
                                                                         tmp_path: Path) -> None:
    """Saving the publisher's settings writes beside the build: served beyond 127.0.0.1, not
    without the login the import page asks for; what is set stays readable."""
    monkeypatch.setenv("GONGKAI_ADDRESS", "0.0.0.0")
    monkeypatch.setenv("GONGKAI_ACCESS_FILE", str(tmp_path / "access.toml"))
    at = _app(built, monkeypatch, page="export")
    assert not [t for t in at.text_input if (t.key or "").startswith("publisher_")]
    assert any("登录后可编辑" in c.value for c in at.caption)
    monkeypatch.delenv("GONGKAI_ADDRESS")
    assert [t for t in _app(built, monkeypatch, page="export").text_input if t.key == "publisher_title"]
