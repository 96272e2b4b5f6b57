"""条例条款 Clauses — the clauses of the Regulations on Open Government Information (2019) each
bureau's items implement (given by the rules in data/authorities/gidr-clause-rules.csv, each
answer naming its rule), and the clauses a bureau covers with no item."""

from __future__ import annotations

import streamlit as st

from ui import require_store, rows, screen_title, table, tr

st.title(screen_title(__file__))
require_store()

st.caption(tr("每个事项落实《政府信息公开条例》（2019年）哪一条款，由权威数据中可由法律人员修改的规则表给出；"
              "“规则”一栏是给出判断的规则编号。",
              "Which clause of the Regulations on Open Government Information (2019) each item implements is "
              "given by the rules in data/authorities/gidr-clause-rules.csv, which legal staff correct; the "
              "“rules” column names the rules that gave it."))

per_clause = [{**r, "items": int(r["items"])} for r in rows("items_per_clause_per_bureau")]   # sorted as numbers
st.subheader(tr("各机构各条款的事项数", "Items per clause per bureau"))
table(per_clause, [("bureau", "责任单位", "bureau"), ("clause", "条款", "clause"), ("items", "事项数", "items"),
                   ("rules", "规则", "rules")], key="clauses_per_bureau_table", height=320)

lacking = rows("clauses_not_covered_by_bureau")
bureaus = sorted({r["bureau"] for r in per_clause} | {r["bureau"] for r in lacking})
st.subheader(tr("机构没有任何事项落实的条款", "Clauses a bureau covers with no item"))
chosen = st.selectbox(tr("责任单位", "Bureau"), bureaus, key="clauses_bureau") if bureaus else None
if chosen is not None:
    st.caption(tr("条款按条文次序排列。第二十一条分市县级和乡镇级两部分，只与相应层级的机构有关：这里只列出与该机构层级"
                  "（按名称结尾判断，依据权威数据中的机构层级表）相符的一半。",
                  "Clauses in the order of the Regulations. Article 21 has a city/county half and a township half; "
                  "each concerns bodies of that level only, so only the half of the bureau's level (read from the "
                  "ending of its name, see data/authorities/gidr-bureau-levels.csv) is listed."))
    table([r for r in lacking if r["bureau"] == chosen],
          [("clause", "条款", "clause"), ("text", "条文", "words")], key="clauses_lacking_table")
