"""The Streamlit app, driven with Streamlit's AppTest on the graph built from data/raw:
every screen runs from app/streamlit_app.py without an exception; the legal tracer finds
预算法 and the original list's items relying on it; a library query runs with a parameter
and offers its CSV; an upload is previewed and added; the validation report is filtered;
the language switch reaches every screen."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from appscreens import SCREENS
from gongkai.pipeline.build import build
from gongkai.pipeline.stats import read_stats, write_build_stats
from gongkai.rdf.iris import IRIs
from gongkai.settings import Settings
from gongkai.validation.inputs import validate_build

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "app" / "streamlit_app.py"
FIXTURE_XLSX = ROOT / "tests" / "fixtures" / "formats" / "two-sheets-merged.xlsx"
PAGES = [s.stem for s in SCREENS]
ORIGINAL = "中卫市云计算和大数据发展局"
TIMEOUT = 60


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """data/raw built, validated and summarised, as `gongkai build` leaves it."""
    out = tmp_path_factory.mktemp("app") / "build"
    s = Settings(build_dir=out, fixed_time=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    result = build(s)
    validate_build(result, s)
    write_build_stats(s)
    return out


def _copy_build(src: Path, dst: Path) -> Path:
    """A build folder of its own (without the store, which is loaded again from kg.trig),
    for a test that changes the store."""
    dst.mkdir(parents=True)
    for f in src.iterdir():
        if f.is_file():
            shutil.copy2(f, dst / f.name)
    return dst


def _app(build_dir: Path, monkeypatch, page: str | None = None, lang: str | None = None) -> AppTest:
    monkeypatch.setenv("GONGKAI_BUILD", str(build_dir))
    monkeypatch.delenv("GONGKAI_ENDPOINT", raising=False)
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    if lang:
        at.session_state["lang"] = lang
    at.run()
    if page:
        at.switch_page(f"app_pages/{page}.py").run()
    return at


def _ok(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def _markdown(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_the_app_s_scoped_queries_give_the_library_s_rows(built) -> None:
    """items_citing_version (per version) = items_relying_on_source; time_limits_of_list =
    item_time_limit: the same rows, read inside each list's graph."""
    from gongkai.legal.registry import registry
    from gongkai.query.library import library
    from gongkai.query.results import label_rows
    from gongkai.query.run import run_query
    from gongkai.store.lifecycle import open_store

    s = Settings(build_dir=built)
    store, lib, reg, iris = open_store(s), library(s), registry(s), IRIs()

    def q(name: str, **params: str) -> list[dict[str, str]]:
        return label_rows(run_query(store, lib.get(name), params))

    keys = ("bureau", "listDate", "number", "item", "article", "citation", "itemIri")
    traced = 0
    for src in reg:
        if reg.versions(src)[0] is not src:
            continue
        whole = {tuple(r[k] for k in keys) for r in q("items_relying_on_source", source=str(reg.iri(src, iris)))}
        parts = {tuple(r[k] for k in keys) for v in reg.versions(src)
                 for r in q("items_citing_version", version=str(reg.iri(v, iris)))}
        assert whole == parts, src.id
        traced += bool(whole)
    assert traced >= 10
    original = str(IRIs().list(ORIGINAL, dt.date(2021, 6, 16)))
    per_list = q("time_limits_of_list", list=original)
    for n in (5, 17):
        one = q("item_time_limit", bureau=ORIGINAL, number=str(n))
        drop = ("list", "bureau", "listDate")
        assert [{k: v for k, v in r.items() if k not in drop} for r in one] == \
               [r for r in per_list if r["number"] == str(n)]
    bureaus = {r["bureau"]: r for r in q("bureaus")}
    assert bureaus[ORIGINAL]["items"] == "18" and bureaus[ORIGINAL]["latest"] == "2021-06-16"
    cites = q("item_citations", item=original + "/item/14")
    assert [r["order"] for r in cites] == ["1", "2", "3", "4", "5", "6"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_screen_runs_in_both_languages(built, monkeypatch, lang) -> None:
    at = _app(built, monkeypatch, lang=lang)
    _ok(at)
    for page in PAGES:
        at.switch_page(f"app_pages/{page}.py").run()
        _ok(at)
        assert at.title, page
    sidebar = "\n".join(c.value for c in at.sidebar.caption)
    assert str(built) not in sidebar and "Oxigraph" not in sidebar     # no server paths, no engine names
    assert ("23 lists · built 2" if lang == "en" else "23 份清单 · 构建于 2") in sidebar, sidebar


def test_language_switch_changes_titles_and_navigation(built, monkeypatch) -> None:
    at = _app(built, monkeypatch, page="legal")
    assert at.title[0].value == "法规溯源"
    at.sidebar.radio(key="lang").set_value("en").run()
    _ok(at)
    assert at.title[0].value == "Legal tracer"
    at.switch_page("app_pages/overview.py").run()
    assert at.title[0].value == "Overview"
    assert any(m.label == "Bureaus" for m in at.metric)


def test_overview_counts_come_from_the_build_statistics(built, monkeypatch) -> None:
    stats = read_stats(built / "stats.json")
    assert stats is not None and stats["validation"]["available"]
    at = _app(built, monkeypatch, page="overview")
    _ok(at)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["机构"] == f"{stats['counts']['bureaus']:,}"
    assert metrics["公开事项"] == f"{stats['counts']['items']:,}"
    assert metrics["有违规的机构"] == f"{stats['validation']['status']['violations']:,}"
    assert stats["counts"]["items"] >= 100 and stats["counts"]["bureaus"] >= 20


def test_trace_of_the_budget_law(built, monkeypatch) -> None:
    at = _app(built, monkeypatch, page="legal")
    at.text_input(key="legal_q").input("预算法").run()
    _ok(at)
    assert at.header[0].value == "《中华人民共和国预算法》"
    text = _markdown(at)
    # the original list's items citing the budget law, grouped under its bureau, with the version
    assert f"**{ORIGINAL}** · 2021-06-16" in text
    assert "- 13\\. 财务管理" in text and "《中华人民共和国预算法》（2018年）" in text
    metrics = {m.label: m.value for m in at.metric}
    assert int(metrics["依据它的事项"]) >= 2 and int(metrics["机构"]) >= 2
    # versions 1994, 2014, 2018 of the law in the version table
    versions = at.dataframe[0].value
    assert len(versions) == 3 and versions.iloc[-1, 0].endswith("(2018)")


def test_the_clauses_screen_counts_items_per_clause_and_shows_the_clauses_a_bureau_lacks(built, monkeypatch) -> None:
    at = _app(built, monkeypatch, page="clauses")
    _ok(at)
    per_clause = at.dataframe[0].value
    original = per_clause[per_clause["责任单位"] == ORIGINAL]
    assert dict(zip(original["条款"], original["事项数"], strict=True))["第二十条第（七）项"] == 1
    assert sum(original["事项数"]) == 19        # 18 items, item 13 under two clauses
    clauses = list(original["条款"])              # in the order of the Regulations, not of the clauses' IRIs
    assert clauses.index("第十九条") < clauses.index("第二十条第（二）项") < clauses.index("第二十条第（十一）项")
    at.selectbox(key="clauses_bureau").set_value(ORIGINAL).run()
    _ok(at)
    lacking = at.dataframe[-1].value
    assert "第二十条第（十四）项" in set(lacking["条款"]) and "第二十条第（七）项" not in set(lacking["条款"])
    lacking_order = list(lacking["条款"])
    assert lacking_order.index("第二十条第（三）项") < lacking_order.index("第二十条第（十）项")
    assert "第二十一条（市、县级）" in lacking_order and "第二十一条（乡镇级）" not in lacking_order


def test_trace_shows_the_article_text_beside_its_pinpoint(built, monkeypatch) -> None:
    """A list citing 《中华人民共和国预算法》第十四条: the trace quotes the article under 第14条."""
    at = _app(built, monkeypatch, page="legal")
    at.text_input(key="legal_q").input("预算法").run()
    _ok(at)
    lines = _markdown(at).split("\n")
    pin = next(i for i, ln in enumerate(lines) if "（2018年） 第14条" in ln)
    assert lines[pin + 1].startswith("  > 经本级人民代表大会或者本级人民代表大会常务委员会批准的预算")
    assert any("本条前三款规定的公开事项，涉及国家秘密的除外" in ln for ln in lines[pin + 1:pin + 5])
    table = at.dataframe[1].value  # every citation, with the article's text
    texts = [t for t in table["条文"] if t]
    assert texts and all(t.startswith("经本级人民代表大会") for t in texts)
    # from the item: its citations, the pinpointed one with the article's text
    items = next(sb for sb in at.selectbox if sb.key.startswith("legal_item_"))
    items.set_value(next(i for i, o in enumerate(items.options) if "部门财政预算" in o)).run()
    _ok(at)
    cites = next(df.value for df in at.dataframe if "引用原文" in df.value.columns and "序" in df.value.columns)
    pinned = cites[cites["条款"] == "第14条"]
    assert len(pinned) == 1 and pinned["条文"].iloc[0].startswith("经本级人民代表大会")


def test_trace_by_document_number_and_pinyin_and_from_an_item(built, monkeypatch) -> None:
    at = _app(built, monkeypatch, page="legal")
    at.text_input(key="legal_q").input("国办发〔2018〕10号").run()
    _ok(at)
    assert "- 14\\. 脱贫攻坚" in _markdown(at)
    # from item 14: its citations, the sources they resolve to
    items = next(sb for sb in at.selectbox if sb.key.startswith("legal_item_"))
    items.set_value(next(i for i, o in enumerate(items.options)
                         if o.startswith(ORIGINAL) and "14. 脱贫攻坚" in o)).run()
    _ok(at)
    citations = next(d.value for d in at.dataframe if "已解析" in d.value.columns)
    assert len(citations) == 6
    assert "国办发〔2018〕10号" in set(citations["文号"]) and set(citations["已解析"]) == {"是"}
    at.text_input(key="legal_q").input("zfxxgktl").run()
    _ok(at)
    assert "政府信息公开条例" in at.header[0].value


def test_unknown_source_says_so(built, monkeypatch) -> None:
    at = _app(built, monkeypatch, page="legal")
    at.text_input(key="legal_q").input("没有这部法规的名字").run()
    assert not at.exception
    assert at.warning and "没有" in at.warning[0].value


def test_library_query_with_a_parameter(built, monkeypatch) -> None:
    at = _app(built, monkeypatch, page="sparql")
    at.selectbox(key="sparql_query").set_value("search_items").run()
    at.text_input(key="sparql_p_search_items_text").input("脱贫攻坚").run()
    at.button(key="sparql_run_lib").click().run()
    _ok(at)
    assert at.success and "行" in at.success[0].value and "毫秒" in at.success[0].value
    result = at.dataframe[-1].value
    assert list(result["number"]) == [14] and result["bureau"][0] == ORIGINAL   # a number
    assert at.get("download_button")                            # CSV and JSON offered


def test_library_query_form_offers_the_graph_s_lists(built, monkeypatch) -> None:
    at = _app(built, monkeypatch, page="sparql")
    at.selectbox(key="sparql_query").set_value("items_of_list").run()
    lists = at.selectbox(key="sparql_p_items_of_list_list")
    assert f"{ORIGINAL} · 2021-06-16" in lists.options             # labels, not IRIs
    lists.set_value(str(IRIs().list(ORIGINAL, dt.date(2021, 6, 16)))).run()
    at.button(key="sparql_run_lib").click().run()
    _ok(at)
    result = at.dataframe[-1].value
    assert list(result["number"]) == list(range(1, 19))   # numbers, in numeric order


def test_free_sparql_syntax_error_shows_line_and_column(built, monkeypatch) -> None:
    at = _app(built, monkeypatch, page="sparql")
    at.radio(key="sparql_mode").set_value("free").run()
    at.toggle(key="sparql_plain").set_value(True).run()  # the text box, not the editor
    at.text_area(key="sparql_text").input("SELECT ?s WHERE {\n  ?s ?p \n}").run()
    at.button(key="sparql_run").click().run()
    assert not at.exception
    assert at.error and "第 2 行" in at.error[0].value  # rdflib's parser: where the triple is incomplete
    assert "^" in at.code[-1].value


def test_free_sparql_refuses_updates(built, monkeypatch) -> None:
    at = _app(built, monkeypatch, page="sparql")
    at.radio(key="sparql_mode").set_value("free").run()
    at.toggle(key="sparql_plain").set_value(True).run()  # the text box, not the editor
    at.text_area(key="sparql_text").input("DROP ALL").run()
    at.button(key="sparql_run").click().run()
    assert at.error and "只读" in at.error[0].value
    at.switch_page("app_pages/overview.py").run()
    assert {m.label: m.value for m in at.metric}["清单"] != "0"


def test_free_sparql_is_stopped_at_the_time_limit_and_the_next_query_runs(built, monkeypatch) -> None:
    """A cartesian product runs in the app's query worker, which is stopped at the limit
    (GONGKAI_QUERY_TIMEOUT); the app answers the next query."""
    import time

    monkeypatch.setenv("GONGKAI_QUERY_TIMEOUT", "2")
    at = _app(built, monkeypatch, page="sparql")
    at.radio(key="sparql_mode").set_value("free").run()
    at.toggle(key="sparql_plain").set_value(True).run()  # the text box, not the editor
    at.text_area(key="sparql_text").input("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }").run()
    t0 = time.monotonic()
    at.button(key="sparql_run").click().run()
    assert not at.exception
    assert at.error and "2 秒后被停止" in at.error[0].value.replace("\\", ""), [e.value for e in at.error]
    assert time.monotonic() - t0 < 20
    at.text_area(key="sparql_text").input("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").run()
    at.button(key="sparql_run").click().run()
    _ok(at)
    assert at.success and "1 行" in at.success[0].value


def test_a_configured_endpoint_that_is_no_http_url_is_a_message_on_every_screen(built, monkeypatch) -> None:
    monkeypatch.setenv("GONGKAI_BUILD", str(built))
    monkeypatch.setenv("GONGKAI_ENDPOINT", "file:///etc/passwd")
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.error and "GONGKAI_ENDPOINT" in at.error[0].value and "root:" not in at.error[0].value


def test_a_remote_endpoint_that_does_not_answer_is_an_error_not_a_crash(built, monkeypatch) -> None:
    monkeypatch.setenv("GONGKAI_ENDPOINTS", "http://127.0.0.1:9/query")
    at = _app(built, monkeypatch, page="sparql")
    at.radio(key="sparql_where").set_value("remote").run()
    at.text_input(key="sparql_endpoint").input("http://127.0.0.1:9/query").run()
    at.button(key="sparql_run_lib").click().run()
    assert not at.exception
    assert at.error and "127.0.0.1:9" in at.error[0].value.replace("\\", "")  # Markdown escapes removed


def test_validation_filter_by_bureau_and_severity(built, monkeypatch) -> None:
    at = _app(built, monkeypatch, page="validation")
    _ok(at)
    everything = at.dataframe[0].value
    bureau = everything["责任单位"].iloc[-1]
    at.multiselect(key="val_bureaus").select(bureau).run()
    _ok(at)
    mine = at.dataframe[0].value
    assert 0 < len(mine) < len(everything)
    assert set(mine["责任单位"]) == {bureau}
    assert {m.label: m.value for m in at.metric}["问题"] == str(len(mine))
    at.multiselect(key="val_severity").select("Warning").run()
    warnings = at.dataframe[0].value
    assert set(warnings["严重程度"]) <= {"警告"} and len(warnings) <= len(mine)
    # English: headers, severities and messages translated
    at.sidebar.radio(key="lang").set_value("en").run()
    english = at.dataframe[0].value
    assert "severity" in english.columns and set(english["severity"]) <= {"warning"}
    assert all(m[:1].isascii() for m in english["problem"])     # the shapes' English messages


def test_upload_preview_then_add(built, tmp_path, monkeypatch) -> None:
    own = _copy_build(built, tmp_path / "build")
    at = _app(own, monkeypatch, page="import_list")
    at.file_uploader(key="import_file").set_value(
        (FIXTURE_XLSX.name, FIXTURE_XLSX.read_bytes(),
         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")).run()
    _ok(at)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["责任单位"] == "示例县民政局" and metrics["事项"] == "4"
    preview = at.dataframe[0].value
    assert len(preview) == 4 and list(preview["序号"]) == [1, 2, 3, 4]
    at.button(key="import_commit").click().run()
    _ok(at)
    assert at.success and "已添加" in at.success[0].value
    at.switch_page("app_pages/lists.py").run()
    _ok(at)
    lists = at.dataframe[0].value
    assert "示例县民政局" in set(lists["责任单位"])
    at.switch_page("app_pages/overview.py").run()
    assert {m.label: m.value for m in at.metric}["清单"] == str(read_stats(built / "stats.json")["counts"]["lists"] + 1)


def test_upload_of_a_bad_or_too_large_file_is_refused(built, tmp_path, monkeypatch) -> None:
    own = _copy_build(built, tmp_path / "build")
    at = _app(own, monkeypatch, page="import_list")
    at.file_uploader(key="import_file").set_value(("empty-table.csv", "序号,事项\n".encode(), "text/csv")).run()
    assert not at.exception
    assert at.error and "empty-table.csv" in at.error[0].value
    big = b"a" * (10 * 1024 * 1024 + 1)
    at.file_uploader(key="import_file").set_value(("big.txt", big, "text/plain")).run()
    assert at.error and "10 MB" in at.error[0].value


def test_deadline_of_item_17_across_national_day(built, monkeypatch) -> None:
    at = _app(built, monkeypatch, page="deadlines")
    at.selectbox(key="deadline_bureau").set_value(ORIGINAL).run()
    items = at.selectbox(key="deadline_item")
    items.set_value(next(i for i, o in enumerate(items.options) if o.startswith("17. "))).run()
    at.date_input(key="deadline_event").set_value(dt.date(2026, 9, 28)).run()
    _ok(at)
    due = next(m for m in at.metric if m.label == "截止日期")
    assert due.value.startswith("2026-10-10")                  # five working days across 国庆节
    assert "2026-10-10" in at.code[0].value
    # the yearly calendar of the chosen bureau (made when asked for), with its downloads
    assert not at.get("download_button")
    at.button(key="upcoming_show").click().run()
    _ok(at)
    calendar = next(d.value for d in at.dataframe if "截止日期" in d.value.columns)
    assert len(calendar) >= 1 and set(calendar["机构"]) == {ORIGINAL}
    assert all(d >= dt.date.today().isoformat()[:4] for d in calendar["截止日期"])
    assert len(at.get("download_button")) == 2


def test_export_offers_every_format(built, monkeypatch) -> None:
    at = _app(built, monkeypatch, page="export")
    _ok(at)
    formats = at.radio(key="export_format").options
    assert {"Turtle（合并图）", "TriG（每份清单一个命名图）"} <= set(formats)
    assert len(formats) >= 6


def test_the_language_comes_from_the_address_and_goes_into_it(built, monkeypatch) -> None:
    monkeypatch.setenv("GONGKAI_BUILD", str(built))
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.query_params["lang"] = "en"
    at.run()
    _ok(at)
    assert at.title[0].value == "Overview" and at.sidebar.radio(key="lang").value == "en"
    at.sidebar.radio(key="lang").set_value("zh").run()
    assert at.title[0].value == "概览" and "lang" not in at.query_params
    at.sidebar.radio(key="lang").set_value("en").run()
    assert at.query_params["lang"] in ("en", ["en"])


def test_the_sidebar_names_a_remote_store_by_its_host_only(built, monkeypatch) -> None:
    monkeypatch.setenv("GONGKAI_BUILD", str(built))
    monkeypatch.setenv("GONGKAI_ENDPOINT", "http://127.0.0.1:9/repositories/gongkai")
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.error and at.error[0].value.startswith("无法连接 SPARQL 端点")      # the overview: said in Chinese
    sidebar = "\n".join(c.value for c in at.sidebar.caption).replace("\\", "")   # Markdown escapes taken out
    assert "远程端点 127.0.0.1" in sidebar and "repositories" not in sidebar and str(built) not in sidebar, sidebar
