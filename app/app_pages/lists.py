"""清单与事项 — the lists in the graph, the items of the chosen one, and one item in full."""

from __future__ import annotations

import streamlit as st

from picker import choose_item, choose_list
from ui import require_store, rows, screen_title, table, tr

st.title(screen_title(__file__))
require_store()

lists = rows("lists")
st.caption(tr(f"共 {len(lists):,} 份清单。", f"{len(lists):,} lists."))
table(lists, [("bureau", "责任单位", "bureau"), ("date", "日期", "date"), ("title", "标题", "title"),
              ("items", "事项数", "items"), ("file", "源文件", "source file")], key="lists_table", height=300)

chosen = choose_list(lists, key="lists")
if chosen is not None:
    st.subheader(tr("公开事项", "Disclosure items"))
    items = rows("items_of_list", list=chosen["list"])
    table(items, [("number", "序号", "no."), ("level1", "一级事项", "level 1"), ("level2", "二级事项", "level 2"),
                  ("content", "公开内容", "content"), ("timeLimit", "公开时限", "time limit"),
                  ("channels", "公开渠道", "channels")], key="items_table")
    item = choose_item(items, chosen["list"], key="lists")
    if item is not None:
        st.subheader(tr("事项详情", "Item in full"))
        table(rows("item_detail", item=item), [("field", "栏目", "field"), ("value", "内容", "value")],
              key="item_detail_table")
