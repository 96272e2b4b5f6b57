"""校验 Validation — the build's validation report filtered by bureau, severity and rule;
completeness scores; the bureau × standard-item coverage matrix; downloads."""

from __future__ import annotations

import io
from pathlib import Path

import altair as alt
import pandas as pd
import streamlit as st

from charts import coverage_heatmap
from gongkai import (
    COMPLETENESS_COLUMNS,
    PROBLEM_COLUMNS,
    SEVERITY_WORDS,
    GongkaiError,
    csv_cell,
    standard_items,
    text_not_formulas,
)
from gongkai.store.lifecycle import built_graph
from mdtext import md
from messages import shape_texts, translate
from ui import download, lang, require_store, root_settings, said, screen_title, select_all, settings, tr

FILES = ("validation.csv", "completeness.csv", "coverage.csv")
SHOWN = 1000          # problem rows drawn; downloads have every filtered row
HEAT_BUREAUS = 60     # bureaus drawn in the coverage heat map
SEVERITIES = ("Violation", "Warning", "Info")
_SEV_OF_WORD = {zh: sev for sev, (zh, _en) in SEVERITY_WORDS.items()}

st.title(screen_title(__file__))
srv = require_store()
s = settings()
out = s.out_dir
graph = built_graph(s)


def fresh() -> bool:
    try:
        return all((out / f).stat().st_mtime_ns >= graph.stat().st_mtime_ns for f in FILES)
    except OSError:
        return False


def run_validation() -> None:
    """Validate the built graph and write the reports (and the statistics) into the build:
    a new version of it, which every page then reads."""
    from gongkai import validate_into_build

    validate_into_build(root_settings())


if not fresh():
    st.info(tr("此构建还没有校验报告（或报告比图谱旧）。",
               "This build has no validation report yet (or it is older than the graph)."))
    if st.button(tr("立即校验", "Validate now"), type="primary", key="validate_now"):
        with st.spinner(tr("正在校验…", "Validating…")):
            try:
                run_validation()
            except (GongkaiError, OSError) as e:
                st.error(said(e))
                st.stop()
        st.rerun()
    st.stop()


def _fp(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_size, stat.st_mtime_ns


# cache_resource, not cache_data: a report of hundreds of thousands of rows is kept once
# and shared (never changed in place), instead of being copied on every run
@st.cache_resource(max_entries=6, show_spinner=False)
def load(path: str, fingerprint: tuple[int, int]) -> pd.DataFrame:  # noqa: ARG001 - the fingerprint keys the cache
    return pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)


@st.cache_resource(max_entries=2, show_spinner=False)
def load_problems(path: str, fingerprint: tuple[int, int]) -> tuple[pd.DataFrame, list[str], list[str]]:
    """The problems with their severity as a key (Violation …), the bureaus and the rules."""
    frame = load(path, fingerprint)
    severity = frame.iloc[:, 6]
    frame = frame.assign(_severity=severity.map(_SEV_OF_WORD).fillna(severity))
    return frame, sorted(set(frame.iloc[:, 0])), sorted(set(frame.iloc[:, 5]))


@st.cache_resource(show_spinner=False, max_entries=2)
def shapes(folder: str):  # noqa: ARG001 - the cache key
    return shape_texts(settings())


@st.cache_resource(show_spinner=False, max_entries=2)
def standard(folder: str):  # noqa: ARG001 - the cache key
    return standard_items(settings())


problems, problem_bureaus, rules = load_problems(str(out / "validation.csv"), _fp(out / "validation.csv"))
completeness = load(str(out / "completeness.csv"), _fp(out / "completeness.csv"))
coverage = load(str(out / "coverage.csv"), _fp(out / "coverage.csv"))
texts = shapes(str(s.shapes_dir))
zh_cols, en_cols = PROBLEM_COLUMNS["zh"], PROBLEM_COLUMNS["en"]
BUREAU, LIST, DATE, NUMBER, NAME, RULE, SEVERITY, FIELD, VALUE, MESSAGE = zh_cols



def rule_name(rule: str) -> str:
    """A rule's short name in the chosen language (its id when the shapes do not know it)."""
    return texts[rule].title(lang()) if rule in texts else rule


# --- filters --------------------------------------------------------------------------------
st.caption(tr(f"校验报告共有 {len(problems):,} 个问题。", f"The validation report has {len(problems):,} problems."))
c1, c2, c3 = st.columns([2, 1, 2])
bureaus = sorted(set(problem_bureaus) | set(completeness[COMPLETENESS_COLUMNS["zh"][1]]))
with c1:
    chosen_bureaus = st.multiselect(tr("机构", "Bureau"), bureaus, key="val_bureaus", select_all=select_all(),
                                    placeholder=tr("全部机构", "all bureaus"))
with c2:
    sev_words = {v: SEVERITY_WORDS[v][1 if lang() == "en" else 0] for v in SEVERITIES}
    chosen_sev = st.multiselect(tr("严重程度", "Severity"), SEVERITIES, key="val_severity", select_all=select_all(),
                                format_func=sev_words.__getitem__,
                                placeholder=tr("全部", "all"))
with c3:
    chosen_rules = st.multiselect(tr("规则", "Rule"), rules, key="val_rules", select_all=select_all(),
                                  placeholder=tr("全部规则", "all rules"), format_func=rule_name,
                                  help=tr("每条规则的编号和说明见表格下方的“规则说明”。",
                                          "Each rule's id and why it exists: “About the rules” below the table."))

view = problems
if chosen_bureaus:
    view = view[view[BUREAU].isin(chosen_bureaus)]
if chosen_sev:
    view = view[view["_severity"].isin(chosen_sev)]
if chosen_rules:
    view = view[view[RULE].isin(chosen_rules)]


def localised(frame: pd.DataFrame, language: str) -> pd.DataFrame:
    """The problem rows with headers, severities, fields and messages in ``language``."""
    frame = frame.drop(columns=["_severity"])
    if language == "zh":
        return frame
    frame = frame.copy()
    frame[SEVERITY] = frame[SEVERITY].map(lambda w: SEVERITY_WORDS.get(_SEV_OF_WORD.get(w, ""), (w, w))[1])
    frame[FIELD] = [texts[r].names.get("en") or f if r in texts else f
                    for r, f in zip(frame[RULE], frame[FIELD], strict=True)]
    frame[MESSAGE] = [translate(m, texts.get(r), "en", v)
                      for m, r, v in zip(frame[MESSAGE], frame[RULE], frame[VALUE], strict=True)]
    return frame.rename(columns=dict(zip(zh_cols, en_cols, strict=True)))


counts = view["_severity"].value_counts()
m1, m2, m3, m4 = st.columns(4)
m1.metric(tr("问题", "Problems"), f"{len(view):,}")
m2.metric(tr("违规", "Violations"), f"{int(counts.get('Violation', 0)):,}")
m3.metric(tr("警告", "Warnings"), f"{int(counts.get('Warning', 0)):,}")
m4.metric(tr("提示", "Infos"), f"{int(counts.get('Info', 0)):,}")

shown = localised(view.head(SHOWN), lang())
rule_col = shown.columns[5]
shown = shown.assign(**{rule_col: shown[rule_col].map(rule_name)})   # short names; the ids in the downloads
order = [c for c in shown.columns if c not in (LIST, en_cols[1])] + [shown.columns[1]]  # the list's IRI last
st.dataframe(shown, hide_index=True, width="stretch", key="val_table", height=360, column_order=order,
             column_config={rule_col: st.column_config.TextColumn(
                 help=tr("规则的简称；编号和说明见下方“规则说明”（鼠标悬停在规则名称上可见编号）。",
                         "The rule's short name; its id and why it exists under “About the rules” (hover a name "
                         "for its id)."))})
if len(view) > SHOWN:
    st.caption(tr(f"只显示前 {SHOWN:,} 行，共 {len(view):,} 行；下载可得全部。",
                  f"Showing the first {SHOWN:,} of {len(view):,} rows; downloads have them all."))

with st.expander(tr(f"规则说明（{len(rules)} 条）", f"About the rules ({len(rules)})")):
    # the id in a tooltip: a civil servant reads the name, a developer hovers for the id
    for r in rules:
        why = (texts[r].comments.get(lang()) or texts[r].comments.get("zh", "")) if r in texts else ""
        st.markdown(f"**{md(rule_name(r))}**" + (tr("：", ": ") + md(why) if why else ""), help=md(r))

# --- completeness -----------------------------------------------------------------------------
st.subheader(tr("完整度", "Completeness"))
LEVEL, CB, CLIST, CDATE, CITEMS, CPRESENT, CREQ, CSCORE = COMPLETENESS_COLUMNS["zh"]
per_bureau = completeness[completeness[LEVEL] == "责任单位"].copy()
per_bureau[CSCORE] = per_bureau[CSCORE].astype(float)
if chosen_bureaus:
    per_bureau = per_bureau[per_bureau[CB].isin(chosen_bureaus)]
lowest = per_bureau.sort_values([CSCORE, CB]).head(HEAT_BUREAUS)
if len(lowest):
    scores = [{"bureau": b, "score": float(v)} for b, v in zip(lowest[CB], lowest[CSCORE], strict=True)]
    chart = alt.Chart(alt.Data(values=scores)).mark_bar().encode(
        y=alt.Y("bureau:N", sort=None, title=tr("机构", "bureau"), axis=alt.Axis(labelLimit=320)),
        x=alt.X("score:Q", title=tr("完整度", "completeness"), scale=alt.Scale(domain=[0, 1]),
                axis=alt.Axis(format="%")),
        tooltip=["bureau:N", alt.Tooltip("score:Q", format=".1%")],
    ).properties(height=alt.Step(24))
    st.altair_chart(chart, width="stretch")
    if len(per_bureau) > len(lowest):
        st.caption(tr(f"显示完整度最低的 {len(lowest)} 个机构（共 {len(per_bureau):,} 个）。",
                      f"The {len(lowest)} least complete bureaus are shown ({len(per_bureau):,} in all)."))
comp_view = completeness if not chosen_bureaus else completeness[completeness[CB].isin(chosen_bureaus)]
if lang() == "en":
    comp_view = comp_view.replace({LEVEL: {"清单": "list", "责任单位": "bureau"}}).rename(
        columns=dict(zip(COMPLETENESS_COLUMNS["zh"], COMPLETENESS_COLUMNS["en"], strict=True)))
with st.expander(tr("各清单和机构的完整度（表格）", "Completeness of each list and bureau (table)")):
    st.dataframe(comp_view.head(SHOWN), hide_index=True, width="stretch", key="val_completeness")

# --- coverage ---------------------------------------------------------------------------------
st.subheader(tr("标准事项覆盖情况", "Coverage of the standard items"))
std = standard(str(s.shapes_dir))
cov_bureau, cov_missing = coverage.columns[0], coverage.columns[-1]
item_cols = list(coverage.columns[1:-1])
# a report written against another list of standard items: the columns past it keep their header
title_of = {zh: (it.title(lang()) if i < len(std) else zh)
            for i, (zh, it) in enumerate(zip(item_cols, std, strict=False))}
cov = coverage if not chosen_bureaus else coverage[coverage[cov_bureau].isin(chosen_bureaus)]
missing = (cov[item_cols] != "1").sum(axis=1)
cov = cov.assign(_missing=missing).sort_values(["_missing", cov_bureau], ascending=[False, True]).head(HEAT_BUREAUS)
if len(cov) and item_cols:
    heat = coverage_heatmap(list(cov[cov_bureau]), [title_of.get(c, c) for c in item_cols],
                            [[v == "1" for v in row] for row in cov[item_cols].itertuples(index=False)],
                            present=tr("有", "present"), missing=tr("缺", "missing"))
    st.altair_chart(heat, width="stretch")
    if len(coverage) > len(cov) and not chosen_bureaus:
        st.caption(tr(f"显示缺项最多的 {len(cov)} 个机构（共 {len(coverage):,} 个）；可按机构筛选。",
                      f"The {len(cov)} bureaus missing most items are shown ({len(coverage):,} in all); "
                      "filter by bureau for others."))

# --- downloads ----------------------------------------------------------------------------------
# made when the button is clicked (no Streamlit call inside: the language is fixed now)
language = lang()
sheets = (tr("问题", "problems"), tr("完整度", "completeness"), tr("覆盖", "coverage"))


def csv_bytes() -> bytes:
    return localised(view, language).map(csv_cell).to_csv(index=False).encode("utf-8-sig")


def xlsx_bytes() -> bytes:
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xl:
        localised(view, language).to_excel(xl, sheet_name=sheets[0], index=False)
        comp_view.to_excel(xl, sheet_name=sheets[1], index=False)
        coverage.rename(columns=title_of).to_excel(xl, sheet_name=sheets[2], index=False)
        text_not_formulas(xl.book)
    return buf.getvalue()


d1, d2 = st.columns(2)
with d1:
    download(tr("下载 CSV（筛选后的问题）", "Download CSV (filtered problems)"), csv_bytes, "validation.csv",
             "text/csv", key="val_csv")
with d2:
    download(tr("下载 XLSX（问题、完整度、覆盖）", "Download XLSX (problems, completeness, coverage)"), xlsx_bytes,
             "validation.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="val_xlsx")
