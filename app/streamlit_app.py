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

from auth import require_login  # noqa: E402
from mdtext import md  # noqa: E402
from screens import SCREENS  # noqa: E402
from ui import DEFAULT_TITLE, app_title, sidebar, tr  # noqa: E402

title = app_title()   # the publisher's (publisher.toml beside the build folder), when set
st.set_page_config(page_title=title, page_icon=str(HERE / "static" / "icon.png"), layout="wide")
if title != DEFAULT_TITLE:
    st.sidebar.markdown(f"### {md(title)}")
sidebar()
require_login("read")   # served beyond 127.0.0.1 with read = "login" in the access settings: every page


pages: dict[str, list[st.Page]] = {}
for s in SCREENS:
    pages.setdefault(tr(s.section_zh, s.section_en), []).append(
        st.Page(str(HERE / "app_pages" / s.file), title=tr(s.nav_zh, s.nav_en), icon=s.icon, url_path=s.url,
                default=s.default))
st.navigation(pages).run()
