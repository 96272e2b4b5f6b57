"""The package's errors and reading warnings in both languages: the English the command line
prints (and scripts match) unchanged, the Chinese the app shows beside it, and, in the app,
advice naming the import form's fields instead of command-line options."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from gongkai.columns import header_name
from gongkai.errors import GongkaiError, InputError, QueryError, StoreError, Text, in_lang
from gongkai.fields.parse import FORM_BUREAU
from gongkai.ingest import ingest_file
from gongkai.pipeline.add_list import check_upload, read_upload
from gongkai.query.library import params_of, parse_header
from gongkai.settings import Endpoint, Settings, check_endpoint_url
from gongkai.store.embedded import EmbeddedStore
from gongkai.store.guard import check_query
from gongkai.store.remote import RemoteStore
from gongkai.store.worker import TimedStore

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = Settings()
NO_BUREAU = ROOT / "data" / "raw" / "songming-weijian.xlsx"
CUT_OFF = ROOT / "tests" / "fixtures" / "text" / "chengxi-shichang-2021.txt"


def test_an_error_says_its_message_in_either_language() -> None:
    e = GongkaiError("the query is empty", zh="查询是空的", code="empty")
    assert str(e) == e.message() == e.message("en") == "the query is empty"
    assert e.message("zh") == "查询是空的" and e.code == "empty"
    assert e.message("zh", app=True) == "查询是空的"          # no wording of its own for the app
    plain = StoreError("down")
    assert plain.message("zh") == "down" and plain.code == "store"   # English when there is no Chinese


def test_an_input_error_names_file_row_and_cell_in_both_languages_and_survives_pickling() -> None:
    e = InputError("清单.csv", Text("item number 'x' is not a number", "序号“x”不是数字"), row=7, cell="序号")
    assert str(e) == "清单.csv, row 7, cell 序号: item number 'x' is not a number"
    assert e.message("zh") == "清单.csv，第 7 行，单元格 序号：序号“x”不是数字"
    again = pickle.loads(pickle.dumps(e))
    assert (str(again), again.message("zh"), again.row, again.cell) == (str(e), e.message("zh"), 7, "序号")
    moved = e.at("原名.csv")
    assert moved.message("zh").startswith("原名.csv，第 7 行") and moved.reason is e.reason


def test_a_text_is_an_english_string_that_carries_its_chinese() -> None:
    t = Text("rows not read", "未读取的行", "fill in the form", "请填写表单")
    assert t == "rows not read" and isinstance(t, str)
    assert (in_lang(t, "zh"), in_lang(t, "en"), in_lang(t, "zh", app=True), in_lang(t, "en", app=True)) == \
        ("未读取的行", "rows not read", "请填写表单", "fill in the form")
    assert in_lang("plain", "zh") == "plain"
    assert pickle.loads(pickle.dumps(t)).zh == "未读取的行"


@pytest.mark.parametrize("name, size, zh, code", [
    ("list.txt", 0, "文件是空的", "empty"),
    ("big.csv", 11 * 1024 * 1024, "上限是 10 MB", "too-large"),
    ("scan.png", 10, "不支持.png格式", "format"),
])
def test_an_upload_refused_says_why_in_chinese(name, size, zh, code) -> None:
    with pytest.raises(InputError) as e:
        check_upload(name, size)
    assert zh in e.value.message("zh") and e.value.code == code
    assert e.value.message("zh").startswith(name)


def test_a_file_that_is_no_list_is_refused_in_chinese() -> None:
    with pytest.raises(InputError) as e:
        read_upload("table.txt", "这不是一份清单\n只是几行字\n".encode(), SETTINGS)
    assert e.value.code == "not-a-list" and "不是政务公开清单" in e.value.message("zh")
    assert "not a disclosure list" in str(e.value)                       # the command line's English


def test_an_unnamed_bureau_is_said_with_the_import_form_s_field_in_the_app() -> None:
    dl = read_upload(NO_BUREAU.name, NO_BUREAU.read_bytes(), SETTINGS)
    warning = next(w for w in dl.warnings if "names no bureau" in w)
    assert "--bureau NAME" in warning                                     # the command line keeps its advice
    for lang, field in (("zh", FORM_BUREAU[0]), ("en", FORM_BUREAU[1])):
        app = in_lang(warning, lang, app=True)
        assert f"“{field}”" in app and "--bureau" not in app and "sources.csv" not in app, app
    assert "未注明责任单位" in in_lang(warning, "zh")
    with pytest.raises(InputError) as e:
        ingest_file(NO_BUREAU, SETTINGS, strict=True)
    assert e.value.code == "no-bureau" and "--bureau" in str(e.value)
    app = e.value.message("zh", app=True)
    assert f"“{FORM_BUREAU[0]}”" in app and "--bureau" not in app


def test_a_warning_names_a_column_by_its_header_not_its_internal_role() -> None:
    assert header_name("mode_request") == "依申请" and header_name("audience") == "公开对象"
    assert header_name("level_township_2") == "乡级" and header_name("other:办理时限") == "办理时限"
    dl = ingest_file(CUT_OFF, SETTINGS)
    cut = [w for w in dl.warnings if "ends inside this row" in w]
    assert len(cut) == 1 and "乡级" in cut[0] and "level_township" not in cut[0]
    assert "文件在这一行中间结束" in in_lang(cut[0], "zh") and "“乡级”" in in_lang(cut[0], "zh")


def test_query_errors_in_chinese_and_advice_for_the_app() -> None:
    with pytest.raises(QueryError) as e:
        check_query("   ")
    assert e.value.message("zh") == "查询是空的"
    with pytest.raises(QueryError) as e:
        check_query("SELECT ?s WHERE {\n  ?s ?p \n}")
    assert e.value.code == "syntax" and "error at" in str(e.value)
    assert e.value.message("zh").startswith("SPARQL 语法错误：第 ") and "列" in e.value.message("zh")
    with pytest.raises(QueryError) as e:
        check_query("INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    assert "--allow-update" in str(e.value) and "--allow-update" not in e.value.message("zh", app=True)
    assert "导入" in e.value.message("zh", app=True)


def test_a_library_parameter_has_labels_and_says_a_bad_value_in_chinese() -> None:
    text = ("#+ summary: s | s\n#+ param-labels:\n#+   at: 核对日期 | as of\n"
            "SELECT * WHERE { ?s ?p ?__at_xsd_date . ?s ?q ?_n_xsd_integer }")
    at, n = params_of(text, parse_header(text))
    assert (at.label("zh"), at.label("en"), n.label("zh")) == ("核对日期", "as of", "n")
    with pytest.raises(QueryError) as e:
        at.to_term("2024-13-45")
    assert "expects an xsd:date" in str(e.value)
    assert e.value.message("zh") == "参数“核对日期”需要日期（YYYY-MM-DD），得到的是“2024-13-45”"


def test_endpoint_errors_in_chinese() -> None:
    with pytest.raises(StoreError) as e:
        check_endpoint_url("file:///etc/passwd")
    assert "http:// 或 https://" in e.value.message("zh")
    store = RemoteStore(Endpoint("http://127.0.0.1:9/query", timeout=2, retries=0))
    with pytest.raises(StoreError) as e:
        store.select("SELECT * WHERE { ?s ?p ?o }")
    assert "cannot reach" in str(e.value)
    assert e.value.message("zh").startswith("无法连接 SPARQL 端点 http://127.0.0.1:9/query")
    assert e.value.code == "endpoint-unreachable"


def test_an_error_in_the_query_worker_keeps_its_chinese(tmp_path) -> None:
    path = tmp_path / "store"
    EmbeddedStore(path).close()
    timed = TimedStore(path, timeout=20)
    try:
        with pytest.raises(QueryError) as e:
            timed.select("SELECT ?s WHERE { ?s ?p }")
        assert e.value.code == "syntax" and e.value.message("zh").startswith("SPARQL 语法错误")
    finally:
        timed.close()


def test_reading_warnings_say_columns_by_their_headers_in_both_languages() -> None:
    dl = ingest_file(ROOT / "data" / "raw" / "sanmen-shehuibaoxian.txt", SETTINGS)
    marks = next(w for w in dl.warnings if "mark columns" in w)
    assert "mode_request" in marks                                       # the command line's words, as before
    zh = in_lang(marks, "zh")
    assert "依申请" in zh and "全社会" in zh and "mode_request" not in zh and "audience_public" not in zh
    page = ingest_file(ROOT / "tests" / "fixtures" / "pages" / "chrome-nested-split.html", SETTINGS)
    assert in_lang(page.warnings[0], "zh") == "责任单位取自网页的“发布机构”：澄溪县市场监督管理局（表格中没有注明）"


def test_a_time_limit_not_understood_is_said_in_chinese() -> None:
    from gongkai.fields.timelimits import parse_time_limit, unparsed_reason

    assert in_lang(unparsed_reason(parse_time_limit("看情况")), "zh") == "无法理解的时限：“看情况”"
    impossible = unparsed_reason(parse_time_limit("每年13月1日前"))
    assert in_lang(impossible, "zh") == "日期不存在：“每年13月1日前”（没有13月1日）"


def test_a_bad_calendar_file_is_said_in_chinese_under_the_name_it_was_uploaded_with(tmp_path) -> None:
    from gongkai.deadlines.calendar import read_calendar_file

    path = tmp_path / "copy.csv"
    path.write_text("date,type\n2026-13-01,休\n", encoding="utf-8")
    with pytest.raises(InputError) as e:
        read_calendar_file(path)
    shown = e.value.at("节假日.csv").message("zh")
    assert shown == "节假日.csv，第 2 行，单元格 date：“2026-13-01”不是日期（应为 YYYY-MM-DD）"
    assert str(tmp_path) not in shown
