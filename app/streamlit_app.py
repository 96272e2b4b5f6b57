"""gongkai — the Streamlit front end. Thin: the package does the work, pages only draw.

Run with `make run` (builds the graph from data/raw first) or, from the project root,
`streamlit run app/streamlit_app.py`. ``GONGKAI_BUILD`` names another build folder;
``GONGKAI_ENDPOINT`` a SPARQL endpoint to serve instead of the embedded store.
"""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))  # app-local helpers (ui.py …) for the pages

from ui import sidebar, tr  # noqa: E402

st.set_page_config(page_title="gongkai 公开", page_icon=str(HERE / "static" / "icon.png"), layout="wide")
sidebar()


def page(file: str, zh: str, en: str, icon: str, url: str, **kw) -> st.Page:
    return st.Page(str(HERE / "app_pages" / file), title=tr(zh, en), icon=icon, url_path=url, **kw)


pages = {
    tr("总览", "Overview"): [
        page("overview.py", "概览", "Overview", ":material/dashboard:", "overview", default=True),
        page("lists.py", "清单与事项", "Lists and items", ":material/list_alt:", "lists"),
    ],
    tr("法规与查询", "Legal sources and queries"): [
        page("legal.py", "法规溯源", "Legal tracer", ":material/gavel:", "legal"),
        page("sparql.py", "SPARQL 查询", "SPARQL", ":material/manage_search:", "sparql"),
    ],
    tr("质量与时限", "Quality and deadlines"): [
        page("validation.py", "校验", "Validation", ":material/rule:", "validation"),
        page("deadlines.py", "时限", "Deadlines", ":material/event:", "deadlines"),
    ],
    tr("数据", "Data"): [
        page("import_list.py", "导入", "Import", ":material/upload_file:", "import"),
        page("export.py", "导出", "Export", ":material/download:", "export"),
    ],
}
st.navigation(pages).run()
