"""清单与事项 — the lists in the graph and the items of the chosen one."""

import streamlit as st

from ui import get_store, query, t

st.title(t("lists_title"))
if get_store() is None:
    st.warning(t("no_build"))
    st.stop()

lists = query("lists")
st.dataframe(
    [{t("col_bureau"): r["bureau"], t("col_date"): r["date"], t("col_title"): r["title"],
      t("col_items"): r["items"], t("col_file"): r["file"]} for r in lists],
    hide_index=True, use_container_width=True,
)
if lists:
    labels = [f"{r['bureau']} · {r['date'] or '—'}" for r in lists]
    idx = st.selectbox(t("pick_list"), range(len(lists)), format_func=lambda i: labels[i])
    st.subheader(t("items_title"))
    items = query("items_of_list", list=lists[idx]["list"])
    st.dataframe(
        [{t("col_" + k): v for k, v in r.items()} for r in items],
        hide_index=True, use_container_width=True,
    )
