"""A query's answer on the SPARQL screen, driven with Streamlit's AppTest on the graph built
from data/raw: headers from the query's labels in the language chosen, counts as numbers,
a chart chosen from the columns' kinds with titles in the language, four downloads."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from gongkai.pipeline.build import build
from gongkai.pipeline.stats import write_build_stats
from gongkai.query.columns import Column
from gongkai.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "app" / "streamlit_app.py"
sys.path.insert(0, str(ROOT / "app"))


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("results-app") / "build"
    s = Settings(build_dir=out, fixed_time=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    build(s)
    write_build_stats(s)
    return out


def _bureaus(built: Path, monkeypatch, lang: str) -> AppTest:
    monkeypatch.setenv("GONGKAI_BUILD", str(built))
    monkeypatch.delenv("GONGKAI_ENDPOINT", raising=False)
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.session_state["lang"] = lang
    at.run()
    at.switch_page("app_pages/sparql.py").run()
    at.selectbox(key="sparql_query").set_value("bureaus").run()
    at.button(key="sparql_run_lib").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _headers(at: AppTest) -> dict[str, str]:
    config = json.loads(at.dataframe[-1].proto.columns)
    return {name: c["label"] for name, c in config.items() if "label" in c}


def _chart(at: AppTest) -> dict:
    return json.loads(at.get("vega_lite_chart")[-1].proto.spec)


def _chart_rows(at: AppTest) -> list[dict]:
    """The rows the chart draws (sent beside its spec, as Arrow data)."""
    from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df

    proto = at.get("vega_lite_chart")[-1].proto
    data = proto.datasets[0].data.data if proto.datasets else proto.data.data
    return convert_arrow_bytes_to_pandas_df(data).to_dict("records")


def test_headers_are_labels_counts_are_numbers_and_the_chart_speaks_english(built, monkeypatch) -> None:
    at = _bureaus(built, monkeypatch, "en")
    assert _headers(at) == {"bureau": "Bureau", "lists": "Lists", "items": "Items", "latest": "Latest list date",
                            "bureauIri": "Bureau IRI"}
    table = at.dataframe[-1].value
    assert str(table["items"].dtype) == "Int64" and sorted(table["items"])[:2] != sorted(map(str, table["items"]))[:2]
    spec = _chart(at)
    assert spec["mark"]["type"] == "bar"                                  # a label column and numbers: bars
    assert spec["encoding"]["y"]["title"] == "Bureau" and spec["encoding"]["x"]["title"] == "Lists"
    assert [b.label for b in at.get("download_button")] == ["Download XLSX", "Download CSV", "Download TSV",
                                                             "Download JSON"]


def test_the_chart_can_be_a_pie_of_another_measure_in_chinese(built, monkeypatch) -> None:
    at = _bureaus(built, monkeypatch, "zh")
    assert _headers(at)["items"] == "事项数"
    at.radio(key="sparql_kind").set_value("pie").run()
    at.selectbox(key="sparql_measure").set_value("items").run()
    spec = _chart(at)
    assert spec["mark"]["type"] == "arc"
    assert spec["encoding"]["theta"]["title"] == "事项数" and spec["encoding"]["color"]["title"] == "部门"
    values = _chart_rows(at)
    assert len(values) <= 8 and values[-1]["x"] == "其他"                 # the smallest bureaus as one slice
    assert sum(v["y"] for v in values) == sum(at.dataframe[-1].value["items"])


def test_the_chart_is_chosen_from_the_columns_kinds() -> None:
    from results_view import chart_plan

    def col(name: str, kind: str) -> Column:
        return Column(name, name, None, kind, name, name)

    label, count, day = col("bureau", "text"), col("n", "integer"), col("date", "date")
    many = [{"bureau": f"局{i}", "n": i, "date": dt.date(2020, 1, i)} for i in range(1, 10)]
    assert chart_plan([label, count], many) == ("bar", "bureau", "n")
    assert chart_plan([label, count], many[:3]) == ("pie", "bureau", "n")        # few categories
    assert chart_plan([day, count], many) == ("line", "date", "n")                # a date and a number
    assert chart_plan([label], many)[2] != "n"                                    # no number: the rows counted
    assert chart_plan([count], many) is None                                      # nothing to chart across


def test_tables_elsewhere_show_columns_of_written_numbers_as_numbers() -> None:
    from ui import numbers

    assert sorted(numbers(["1", "13", "2"])) == [1, 2, 13]
    assert numbers(["1", "", "13"]) == [1, None, 13]
    assert numbers(["1.5", "2"]) == [1.5, 2.0]
    assert numbers(["007", "1"]) == ["007", "1"]                 # a code, not a number
    assert numbers(["14", "第十四条"]) == ["14", "第十四条"]
    assert numbers([True, False]) == [True, False]
