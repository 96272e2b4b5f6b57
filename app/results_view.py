"""A query's answer on screen: a table with typed, labelled columns, in pages; a chart chosen
from the columns' kinds; downloads as XLSX, CSV, TSV and JSON.

Columns keep their kind (``gongkai.query.columns``): a count sorts 1, 2, 13 and a date as a
date. Headers are the query's labels (its ``#+ returns:`` contract, else the ontology's
label of the property named like the variable); the data keeps the variable names, which
CSV and JSON downloads use too."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from gongkai import QueryError
from gongkai.query.columns import Column, columns_of, header_labels, typed_rows
from gongkai.query.library import parse_header, returns_of
from gongkai.query.results import export_bytes
from gongkai.store.base import Result
from ui import download, lang, query_library, settings, tr

PAGE_SIZES = (50, 100, 500, 1000)
#: categories drawn in a bar chart (the rest summed as 其他) and in a pie
MOST_BARS, MOST_SLICES = 25, 8
#: a pie is the first choice for this many categories or fewer
PIE_AT_MOST = 6
_ROWS = "\u0000rows"   # the chart's measure "number of rows": no variable is named so
#: (file extension, button in Chinese, in English, media type)
DOWNLOADS = (("xlsx", "下载 XLSX", "Download XLSX",
              "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
             ("csv", "下载 CSV", "Download CSV", "text/csv"),
             ("tsv", "下载 TSV", "Download TSV", "text/tab-separated-values"),
             ("json", "下载 JSON", "Download JSON", "application/json"))


def labels_for(name: str, text: str | None, variables: list[str]) -> dict[str, tuple[str, str]]:
    """Each column's (zh, en) header: the library query's labels (or those of the ``#+ returns:``
    header in the text run), else the ontology's label of the property named like the column."""
    q = query_library().queries.get(name)
    declared = q.labels if q is not None else {}
    if not declared and text:
        try:
            declared = returns_of(parse_header(text))[1]
        except QueryError:   # a header that does not parse gives no labels, and is no error here
            declared = {}
    return header_labels(declared, variables, settings().ontology_dir / "gongkai.ttl")


def _typed(done: dict, labels: dict[str, tuple[str, str]]) -> tuple[list[Column], list[dict[str, Any]]]:
    """The columns and typed rows of the answer in the current language, worked out once."""
    key = f"typed_{lang()}"
    if key not in done:
        cols = columns_of(done["result"], lang(), labels)
        done[key] = (cols, typed_rows(done["result"], cols))
    return done[key]


def _config(c: Column) -> Any:
    label = c.label(lang())
    if c.kind == "integer":
        return st.column_config.NumberColumn(label, format="%d")
    if c.kind == "number":
        return st.column_config.NumberColumn(label)
    if c.kind == "year":
        return st.column_config.NumberColumn(label, format="%d")
    if c.kind == "date":
        return st.column_config.DateColumn(label, format="YYYY-MM-DD")
    if c.kind == "datetime":
        return st.column_config.DatetimeColumn(label, format="YYYY-MM-DD HH:mm:ss")
    if c.kind == "boolean":
        return st.column_config.CheckboxColumn(label)
    return st.column_config.TextColumn(label)


def _frame(rows: list[dict[str, Any]], cols: list[Column]) -> pd.DataFrame:
    """The rows as a table whose columns have their kinds' types (whole numbers stay whole
    where a value is missing)."""
    df = pd.DataFrame(rows, columns=[c.name for c in cols])
    for c in cols:
        if c.kind in ("integer", "year"):
            df[c.name] = df[c.name].astype("Int64")
        elif c.kind == "number":
            df[c.name] = df[c.name].astype("Float64")
    return df


def _sort_key(value: Any) -> tuple[int, Any]:
    return (1, "") if value is None or value == "" else (0, value)


def _paged(rows: list[dict[str, Any]], cols: list[Column], key: str) -> list[dict[str, Any]]:
    """The rows of the page chosen (all of them when they fit on one), sorted first by the
    column chosen when there are several pages (a click on a header sorts the page shown)."""
    n = len(rows)
    if n <= PAGE_SIZES[0]:
        return rows
    by_name = {c.name: c for c in cols}
    left, mid, right, last = st.columns([2, 2, 1, 1])
    size = left.selectbox(tr("每页行数", "Rows per page"), PAGE_SIZES, index=1, key=f"{key}_size")
    pages = max(1, math.ceil(n / size))
    order = mid.selectbox(tr("全部行按此列排序", "Sort every row by"), ["", *by_name], key=f"{key}_sort",
                          format_func=lambda v: by_name[v].label(lang()) if v else tr("（查询给出的顺序）",
                                                                                      "(the query's order)"))
    descending = right.toggle(tr("降序", "Descending"), key=f"{key}_desc") if order else False
    page = last.number_input(tr(f"页（共 {pages:,} 页）", f"Page (of {pages:,})"), min_value=1, max_value=pages,
                             value=1, step=1, key=f"{key}_page_{size}")
    if order:
        present = [r for r in rows if r[order] not in (None, "")]
        missing = [r for r in rows if r[order] in (None, "")]
        rows = sorted(present, key=lambda r: r[order], reverse=descending) + missing   # empty cells last
    start = (min(int(page), pages) - 1) * size
    shown = rows[start:start + size]
    st.caption(tr(f"第 {start + 1:,}–{start + len(shown):,} 行，共 {n:,} 行",
                  f"Rows {start + 1:,}–{start + len(shown):,} of {n:,}"))
    return shown


# --- charts --------------------------------------------------------------------------------

_KINDS = {"bar": ("条形图", "Bar chart"), "line": ("折线图", "Line chart"), "pie": ("饼图", "Pie chart")}


def chart_plan(cols: list[Column], rows: list[dict[str, Any]]) -> tuple[str, str, str] | None:
    """The chart the columns suggest: (kind, column across, measure). A label column and a
    number → bars (a pie for a few categories); a date or year and a number, with no label
    column → a line. The measure is the first number column, else the number of rows."""
    numbers = [c for c in cols if c.numeric]
    texts = [c for c in cols if c.kind == "text"]
    times = [c for c in cols if c.kind in ("date", "datetime", "year")]
    measure = numbers[0].name if numbers else _ROWS
    if texts:
        across = texts[0].name
        distinct = len({r[across] for r in rows})
        return ("pie" if distinct <= PIE_AT_MOST else "bar"), across, measure
    if times:
        return "line", times[0].name, measure
    return None


def _totals(rows: list[dict[str, Any]], across: str, measure: str) -> dict[Any, float]:
    out: dict[Any, float] = {}
    for r in rows:
        k = r[across]
        if k is None or k == "":
            continue
        v = 1 if measure == _ROWS else r[measure]
        if v is not None:
            out[k] = out.get(k, 0) + v
    return out


def chart(cols: list[Column], rows: list[dict[str, Any]], key: str) -> None:
    """Bars, a line or a pie of one measure across one column, summed over equal values."""
    plan = chart_plan(cols, rows)
    if plan is None or not rows:
        st.info(tr("这个结果没有可作图的列（需要一个名称、日期或年份列）。",
                   "This answer has no column to chart across (a name, date or year column is needed)."))
        return
    kind, across, measure = plan
    by_name = {c.name: c for c in cols}
    acrossable = [c.name for c in cols if c.kind in ("text", "date", "datetime", "year")]
    measures = [c.name for c in cols if c.numeric] + [_ROWS]
    a, b, c = st.columns(3)
    kinds = list(_KINDS)
    kind = a.radio(tr("图形", "Chart"), kinds, index=kinds.index(kind), horizontal=True, key=f"{key}_kind",
                   format_func=lambda k: tr(*_KINDS[k]))
    across = b.selectbox(tr("分类", "Category"), acrossable, index=acrossable.index(across),
                         key=f"{key}_across", format_func=lambda v: by_name[v].label(lang()))
    measure = c.selectbox(tr("数值", "Value"), measures, index=measures.index(measure), key=f"{key}_measure",
                          format_func=lambda v: tr("行数", "Rows") if v == _ROWS else by_name[v].label(lang()))
    x_title = by_name[across].label(lang())
    y_title = tr("行数", "Rows") if measure == _ROWS else by_name[measure].label(lang())
    totals = _totals(rows, across, measure)
    st.altair_chart(_spec(kind, totals, x_title, y_title, timed=by_name[across].kind), width="stretch",
                    key=f"{key}_chart")


def _spec(kind: str, totals: dict[Any, float], x_title: str, y_title: str, timed: str) -> alt.Chart:
    other = tr("其他", "Other")
    if kind == "line":
        points = sorted(totals.items(), key=lambda kv: _sort_key(kv[0]))
        data = pd.DataFrame({"x": [_as_time(k, timed) for k, _ in points], "y": [v for _, v in points]})
        x_type = "T" if timed in ("date", "datetime") else ("O" if timed == "year" else "N")
        return alt.Chart(data).mark_line(point=True).encode(
            x=alt.X(f"x:{x_type}", title=x_title, sort=None),
            y=alt.Y("y:Q", title=y_title),
            tooltip=[alt.Tooltip(f"x:{x_type}", title=x_title), alt.Tooltip("y:Q", title=y_title)])
    most = MOST_SLICES if kind == "pie" else MOST_BARS
    ranked = sorted(totals.items(), key=lambda kv: -kv[1])
    if len(ranked) > most:   # the rest as one category, so that the chart stays readable
        ranked = [*ranked[:most - 1], (other, sum(v for _, v in ranked[most - 1:]))]
    data = pd.DataFrame({"x": [str(k) for k, _ in ranked], "y": [v for _, v in ranked]})
    tooltip = [alt.Tooltip("x:N", title=x_title), alt.Tooltip("y:Q", title=y_title)]
    if kind == "pie":
        return alt.Chart(data).mark_arc().encode(
            theta=alt.Theta("y:Q", title=y_title),
            color=alt.Color("x:N", title=x_title, sort=list(data["x"]),
                            scale=alt.Scale(scheme="tableau10" if len(data) <= 10 else "tableau20")),
            tooltip=tooltip)
    return alt.Chart(data).mark_bar().encode(
        y=alt.Y("x:N", title=x_title, sort=list(data["x"]), axis=alt.Axis(labelLimit=320)),
        x=alt.X("y:Q", title=y_title), tooltip=tooltip).properties(height=max(160, 24 * len(data)))


def _as_time(value: Any, kind: str) -> Any:
    if kind in ("date", "datetime") and isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


# --- the whole view ------------------------------------------------------------------------

def show_result(done: dict, key: str = "sparql") -> None:
    """The answer in ``done`` (``result``, ``name`` of the query, and ``text`` run) as a table
    in pages and a chart, with its downloads."""
    result: Result = done["result"]
    if "labels" not in done:
        done["labels"] = labels_for(done.get("name", ""), done.get("text"), result.vars)
    labels = done["labels"]
    cols, rows = _typed(done, labels)
    if rows:
        table_tab, chart_tab = st.tabs([tr("表格", "Table"), tr("图表", "Chart")])
        with table_tab:
            shown = _paged(rows, cols, key)
            st.dataframe(_frame(shown, cols), hide_index=True, width="stretch", key=f"{key}_table",
                         column_config={c.name: _config(c) for c in cols}, placeholder="")
        with chart_tab:
            chart(cols, rows, key)
    downloads(result, done.get("name") or "query", labels, key)


def downloads(result: Result, name: str, labels: dict[str, tuple[str, str]], key: str) -> None:
    """One labelled button per format; files named ``<query>-<YYYY-MM-DD>.<ext>``; made when clicked."""
    day = dt.date.today().isoformat()
    language = lang()

    def make(fmt: str) -> Callable[[], bytes]:
        return lambda: export_bytes(result, fmt, language, labels, title=name)

    for col, (ext, zh, en, mime) in zip(st.columns(len(DOWNLOADS)), DOWNLOADS, strict=True):
        with col:
            download(tr(zh, en), make(ext), f"{name}-{day}.{ext}", mime, key=f"{key}_{ext}")
