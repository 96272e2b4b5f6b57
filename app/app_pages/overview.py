"""概览 Overview — counts and charts of the whole graph, read from build/stats.json."""

from __future__ import annotations

import altair as alt
import streamlit as st

from charts import LABEL_FONT, ROW, SVG, bar, label_limit, stacked_bar
from mdtext import md
from ui import lang, overview_stats, pick, require_store, screen_title, table, tr

st.title(screen_title(__file__))
require_store()
stats = overview_stats()
if not stats:
    st.warning(tr("没有统计数据：请运行 `gongkai build`。", "No statistics: run `gongkai build`."))
    st.stop()

c = stats["counts"]
cols = st.columns(5)
cols[0].metric(tr("机构", "Bureaus"), f"{c['bureaus']:,}")
cols[1].metric(tr("清单", "Lists"), f"{c['lists']:,}")
cols[2].metric(tr("公开事项", "Items"), f"{c['items']:,}")
cols[3].metric(tr("被引用的法规", "Legal sources cited"), f"{c['legal_sources_cited']:,}",
               help=tr(f"权威数据收录 {c['legal_sources_known']:,} 部法规（各版本合并）",
                       f"The authority data knows {c['legal_sources_known']:,} legal sources (versions merged)"))
resolved = 100 * c["resolved_citations"] / c["citations"] if c["citations"] else 100.0
cols[4].metric(tr("已解析的引用", "Citations resolved"), f"{resolved:.0f}%",
               help=tr(f"{c['resolved_citations']:,} / {c['citations']:,} 条依据引用",
                       f"{c['resolved_citations']:,} of {c['citations']:,} citations"))
st.caption(tr(f"统计于 {md(stats['computed_at'][:16].replace('T', ' '))}，{stats['triples']:,} 个三元组。",
              f"Computed at {md(stats['computed_at'][:16].replace('T', ' '))} over {stats['triples']:,} triples."))

OTHER = tr("其他", "other")

left, right = st.columns(2)
with left:
    st.subheader(tr("各一级事项的事项数", "Items per level-1 category"))
    cats = [{"category": pick(r, "category"), "items": r["items"], "bureaus": r["bureaus"]}
            for r in stats["categories"]]
    if cats:
        st.altair_chart(bar(cats, "category", "items", tr("事项数", "items"), [
            alt.Tooltip("category:N", title=tr("一级事项", "category")),
            alt.Tooltip("items:Q", title=tr("事项数", "items")),
            alt.Tooltip("bureaus:Q", title=tr("机构数", "bureaus"))]), width="stretch")
    if c.get("categories", 0) > len(cats):
        st.caption(tr(f"共 {c['categories']:,} 个一级事项，显示事项最多的 {len(cats)} 个。",
                      f"{c['categories']:,} categories in all; the {len(cats)} with most items are shown."))
with right:
    st.subheader(tr("各机构的事项数（按一级事项）", "Items per bureau, by category"))
    names = {r["category"]: pick(r, "category") for r in stats["categories"]}
    cells = [{"bureau": r["bureau"], "category": names.get(r["category"], OTHER) if r["category"] else OTHER,
              "items": r["items"]} for r in stats["category_by_bureau"]]
    if cells:
        order = [b["bureau"] for b in stats["bureaus"]]
        chart = stacked_bar(cells, "bureau", "items", "category", order=order, x_title=tr("事项数", "items"),
                            other=OTHER, tooltip=[alt.Tooltip("bureau:N", title=tr("机构", "bureau")),
                                                  alt.Tooltip("category:N", title=tr("一级事项", "category")),
                                                  alt.Tooltip("items:Q", title=tr("事项数", "items"))])
        st.altair_chart(chart, width="stretch")
        st.caption(tr("每个一级事项一种颜色，互不重复；其余的一级事项合并为“其他”（灰色）。",
                      "One colour per category, none used twice; the remaining categories are drawn together "
                      "as “other” (grey)."))
    if c["bureaus"] > len(stats["bureaus"]):
        st.caption(tr(f"共 {c['bureaus']:,} 个机构，显示事项最多的 {len(stats['bureaus'])} 个。",
                      f"{c['bureaus']:,} bureaus in all; the {len(stats['bureaus'])} with most items are shown."))

left, right = st.columns(2)
with left:
    st.subheader(tr("被引用最多的法规", "Most cited legal sources"))
    src = [{"source": (r["source_en"] if lang() == "en" and r.get("source_en") else r["source"]),
            "items": r["items"], "bureaus": r["bureaus"]} for r in stats["top_sources"]]
    if src:
        st.altair_chart(bar(src, "source", "items", tr("引用它的事项数", "items citing it"), [
            alt.Tooltip("source:N", title=tr("法规", "legal source")),
            alt.Tooltip("items:Q", title=tr("事项数", "items")),
            alt.Tooltip("bureaus:Q", title=tr("机构数", "bureaus"))]), width="stretch")
with right:
    st.subheader(tr("公开时限分布", "Time limits"))
    kinds = [{"kind": pick(r, "kind"), "items": r["items"]} for r in stats["time_limit_kinds"]]
    if kinds:
        st.altair_chart(bar(kinds, "kind", "items", tr("事项数", "items"), [
            alt.Tooltip("kind:N", title=tr("时限类型", "kind of time limit")),
            alt.Tooltip("items:Q", title=tr("事项数", "items"))]), width="stretch")
    table(stats["time_limits"], [("kind", "类型", "kind"), ("length", "期间", "length"),
                                 ("trigger", "起算事件", "trigger"), ("items", "事项数", "items"),
                                 ("bureaus", "机构数", "bureaus")], key="tl_table", height=220)

st.subheader(tr("各机构的校验状态", "Validation status per bureau"))
v = stats.get("validation") or {}
if not v.get("available"):
    st.info(tr("此构建尚未校验：在“校验”页运行校验，或运行 `gongkai validate`。",
               "This build has not been validated yet: run it from the Validation screen or with `gongkai validate`."))
else:
    s = v["status"]
    cols = st.columns(4)
    cols[0].metric(tr("无问题的机构", "Bureaus conforming"), f"{s['conforms']:,}")
    cols[1].metric(tr("仅有警告的机构", "Bureaus with warnings only"), f"{s['warnings']:,}")
    cols[2].metric(tr("有违规的机构", "Bureaus with violations"), f"{s['violations']:,}")
    cols[3].metric(tr("违规 / 警告 / 提示", "Violations / warnings / infos"),
                   f"{v['counts']['Violation']:,} / {v['counts']['Warning']:,} / {v['counts']['Info']:,}")
    sev = {"violations": tr("违规", "violations"), "warnings": tr("警告", "warnings"), "infos": tr("提示", "infos")}
    cells = [{"bureau": b["bureau"], "severity": sev[k], "count": b[k]} for b in v["bureaus"] for k in sev if b[k]]
    if cells:
        order = [b["bureau"] for b in v["bureaus"]]
        chart = alt.Chart(alt.Data(values=cells)).mark_bar().encode(
            y=alt.Y("bureau:N", sort=order, title=None,
                    axis=alt.Axis(labelLimit=label_limit(order), labelOverlap=False, labelFontSize=LABEL_FONT)),
            x=alt.X("sum(count):Q", title=tr("问题数", "problems")),
            color=alt.Color("severity:N", title=None, sort=list(sev.values()),
                            scale=alt.Scale(domain=list(sev.values()), range=["#c0392b", "#e67e22", "#7f8c8d"]),
                            legend=alt.Legend(orient="bottom")),
            tooltip=[alt.Tooltip("bureau:N", title=tr("机构", "bureau")),
                     alt.Tooltip("severity:N", title=tr("严重程度", "severity")),
                     alt.Tooltip("count:Q", title=tr("问题数", "problems"))],
        ).properties(height=alt.Step(ROW), usermeta=SVG)
        st.altair_chart(chart, width="stretch")
    if v["bureaus_total"] > len(v["bureaus"]):
        st.caption(tr(f"显示问题最多的 {len(v['bureaus'])} 个机构（共 {v['bureaus_total']:,} 个）。",
                      f"The {len(v['bureaus'])} bureaus with most problems are shown ({v['bureaus_total']:,} in all)."))
