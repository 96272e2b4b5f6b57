"""gongkai — the Streamlit front end. Thin: the package does the work, pages only draw.

Run with `make run` (builds the graph from data/raw first) or
`streamlit run app/streamlit_app.py`.
"""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

sys.path.insert(0, str(Path(__file__).parent))  # app-local helpers (ui.py, app_pages/)

from ui import sidebar, t  # noqa: E402

st.set_page_config(page_title="gongkai 公开", page_icon="📜", layout="wide")
sidebar()

pages = {
    t("section_browse"): [
        st.Page("app_pages/lists.py", title=t("page_lists"), url_path="lists", default=True),
    ],
}
st.navigation(pages).run()
