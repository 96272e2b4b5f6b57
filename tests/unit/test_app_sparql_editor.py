"""The SPARQL screen's "what to run", driven with Streamlit's AppTest (its plain text box: AppTest
cannot type into the editor component, tests/e2e/test_sparql_editor_browser.py does): writing
one's own starts from the query on screen; a missing known prefix is added and said, an unknown
one is named with its line and column; a result goes when the text changes; a link, the history
and saved queries reopen a query with its parameters."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from gongkai.pipeline.build import build
from gongkai.pipeline.stats import write_build_stats
from gongkai.settings import Settings
from gongkai.validation.inputs import validate_build

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "app" / "streamlit_app.py"
ORIGINAL = "中卫市云计算和大数据发展局"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("app-editor") / "build"
    s = Settings(build_dir=out, fixed_time=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    validate_build(build(s), s)
    write_build_stats(s)
    return out


def _sparql(build_dir: Path, monkeypatch, *, lang: str | None = None, query: dict[str, str] | None = None) -> AppTest:
    monkeypatch.setenv("GONGKAI_BUILD", str(build_dir))
    monkeypatch.delenv("GONGKAI_ENDPOINT", raising=False)
    at = AppTest.from_file(str(APP), default_timeout=60)
    if lang:
        at.session_state["lang"] = lang
    at.run()
    for k, v in (query or {}).items():
        at.query_params[k] = v
    return at.switch_page("app_pages/sparql.py").run()


def _free(at: AppTest) -> AppTest:
    at.radio(key="sparql_mode").set_value("free").run()
    return at.toggle(key="sparql_plain").set_value(True).run()


def _run_text(at: AppTest, text: str) -> AppTest:
    at.text_area(key="sparql_text").input(text).run()
    return at.button(key="sparql_run").click().run()


def _ok(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def test_write_your_own_starts_from_the_library_query_on_screen_with_its_values(built, monkeypatch) -> None:
    at = _sparql(built, monkeypatch)
    at.selectbox(key="sparql_query").set_value("search_items").run()
    at.text_input(key="sparql_p_search_items_text").input("脱贫攻坚").run()
    at = _free(at)
    text = at.text_area(key="sparql_text").value
    assert '"脱贫攻坚"' in text and "?_text" not in text      # the value written in
    assert "#+" not in text                                  # the header left out
    at.button(key="sparql_run").click().run()
    _ok(at)
    assert at.success and at.success[0].value.startswith("1 行")


def test_a_missing_gk_prefix_is_added_said_and_the_query_runs(built, monkeypatch) -> None:
    at = _run_text(_free(_sparql(built, monkeypatch)),
                   "SELECT ?i WHERE { ?i a gk:DisclosureItem } LIMIT 3")
    _ok(at)
    # Markdown-escaped (gk\\: shows as gk:)
    assert [i.value.replace("\\", "") for i in at.info if "已自动添加前缀" in i.value] == ["已自动添加前缀 gk:"]
    assert at.text_area(key="sparql_text").value.startswith("PREFIX gk: <https://w3id.org/gongkai/ontology#>\n")
    assert at.success and at.success[0].value.startswith("3 行")


def test_the_note_in_english(built, monkeypatch) -> None:
    at = _run_text(_free(_sparql(built, monkeypatch, lang="en")),
                   'SELECT ?t WHERE { ?i dcterms:title ?t FILTER(?t = "x"^^xsd:string) } LIMIT 1')
    _ok(at)
    assert any(i.value.replace("\\", "") == "Prefixes added: dcterms:, xsd:" for i in at.info)


def test_an_unknown_prefix_is_named_with_line_and_column_not_the_parser_s_dump(built, monkeypatch) -> None:
    at = _run_text(_free(_sparql(built, monkeypatch)), "SELECT * WHERE {\n  ?s a xx:Thing }")
    assert not at.exception
    assert len(at.error) == 1
    message = at.error[0].value.replace("\\", "")  # Markdown escapes taken out
    assert "未知前缀 xx:（第 2 行，第 8 列），请添加 `PREFIX xx: <…>`" in message
    assert "Expected" not in message and len(message) < 120   # no parser dump
    assert any(c.value.endswith("\n     |        ^^^") for c in at.code)
    assert not at.success


def test_the_result_goes_when_the_text_changes(built, monkeypatch) -> None:
    at = _run_text(_free(_sparql(built, monkeypatch)), "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    _ok(at)
    assert at.success
    at.text_area(key="sparql_text").input("SELECT (COUNT(*) AS ?n) WHERE { ?s a ?o }").run()
    assert not at.success and not at.get("download_button")


def test_a_link_reopens_a_library_query_with_its_parameter(built, monkeypatch) -> None:
    at = _sparql(built, monkeypatch, query={"q": "search_items", "p.text": "脱贫攻坚"})
    _ok(at)
    assert at.radio(key="sparql_mode").value == "library"
    assert at.selectbox(key="sparql_query").value == "search_items"
    assert at.text_input(key="sparql_p_search_items_text").value == "脱贫攻坚"
    at.button(key="sparql_run_lib").click().run()
    _ok(at)
    assert at.success and at.success[0].value.startswith("1 行")
    assert at.query_params["q"] == "search_items" and at.query_params["p.text"] == "脱贫攻坚"


def test_a_link_reopens_a_query_of_one_s_own(built, monkeypatch) -> None:
    text = "SELECT ?n WHERE { ?i gk:itemNumber ?n } LIMIT 2"
    at = _sparql(built, monkeypatch, query={"text": text})
    at.toggle(key="sparql_plain").set_value(True).run()
    assert at.radio(key="sparql_mode").value == "free"
    assert at.text_area(key="sparql_text").value == text
    at.button(key="sparql_run").click().run()
    _ok(at)
    # the address bar now holds the text that ran, its prefix declared
    assert at.query_params["text"].startswith("PREFIX gk:") and at.query_params["text"].endswith(text)


def test_history_and_saved_queries_are_kept_beside_the_build_and_reopen(built, monkeypatch) -> None:
    state = built / "app-state" / "sparql-queries.json"
    state.unlink(missing_ok=True)
    at = _sparql(built, monkeypatch)
    at.selectbox(key="sparql_query").set_value("search_items").run()
    at.text_input(key="sparql_p_search_items_text").input("脱贫攻坚").run()
    at.button(key="sparql_run_lib").click().run()
    _ok(at)
    at.text_input(key="sparql_save_name").input("脱贫事项").run()
    at.button(key="sparql_save").click().run()
    _ok(at)
    doc = json.loads(state.read_text(encoding="utf-8"))
    assert doc["history"][0]["query"] == "search_items" and doc["history"][0]["params"] == {"text": "脱贫攻坚"}
    assert [s["name"] for s in doc["saved"]] == ["脱贫事项"]
    # another session, another query on screen: the saved one comes back with its value
    at = _sparql(built, monkeypatch)
    at.selectbox(key="sparql_query").set_value("lists").run()
    at.button(key="sparql_saved_open_0").click().run()
    _ok(at)
    assert at.selectbox(key="sparql_query").value == "search_items"
    assert at.text_input(key="sparql_p_search_items_text").value == "脱贫攻坚"
