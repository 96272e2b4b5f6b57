"""The app's screens, written once: the navigation (streamlit_app.py), each screen's title
(``ui.screen_title``) and the tests (tests/unit/test_app.py, tests/e2e/test_app_browser.py)
read this list. A new screen is a file in app_pages/ and a line here."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Screen:
    file: str          # in app_pages/
    url: str           # its address: http://localhost:8501/<url>
    nav_zh: str        # its name in the navigation
    nav_en: str
    title_zh: str      # the title it shows
    title_en: str
    icon: str
    section_zh: str    # the navigation's heading above it
    section_en: str
    default: bool = False

    @property
    def stem(self) -> str:
        return self.file.removesuffix(".py")


SCREENS: tuple[Screen, ...] = (
    Screen("overview.py", "overview", "概览", "Overview", "概览", "Overview", ":material/dashboard:",
           "总览", "Overview", default=True),
    Screen("lists.py", "lists", "清单与事项", "Lists and items", "清单与事项", "Lists and items", ":material/list_alt:",
           "总览", "Overview"),
    Screen("legal.py", "legal", "法规溯源", "Legal tracer", "法规溯源", "Legal tracer", ":material/gavel:",
           "法规与查询", "Legal sources and queries"),
    Screen("clauses.py", "clauses", "条例条款", "Clauses", "《政府信息公开条例》条款落实", "Clauses of the Regulations",
           ":material/checklist:", "法规与查询", "Legal sources and queries"),
    Screen("sparql.py", "sparql", "SPARQL 查询", "SPARQL", "SPARQL 查询", "SPARQL", ":material/manage_search:",
           "法规与查询", "Legal sources and queries"),
    Screen("validation.py", "validation", "校验", "Validation", "校验", "Validation", ":material/rule:",
           "质量与时限", "Quality and deadlines"),
    Screen("deadlines.py", "deadlines", "时限", "Deadlines", "时限", "Deadlines", ":material/event:",
           "质量与时限", "Quality and deadlines"),
    Screen("import_list.py", "import", "导入", "Import", "导入清单", "Import a list", ":material/upload_file:",
           "数据", "Data"),
    Screen("export.py", "export", "导出", "Export", "导出", "Export", ":material/download:", "数据", "Data"),
)


def screen(file: str) -> Screen:
    """The screen drawn by ``app_pages/<file>``."""
    return next(s for s in SCREENS if s.file == file)
