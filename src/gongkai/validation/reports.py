"""Validation reports for people: text, JSON, CSV, XLSX and SHACL Turtle; completeness
scores and the bureau × standard-item coverage matrix.

Problems are grouped the way an office works through them: by bureau, then list, then
item (in item order), most severe first. Every renderer is a pure function of the
``Report`` (and the language), so the same report reads the same in every format.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH, XSD

from gongkai.build_folder import write_atomic
from gongkai.csv_cells import csv_row, text_not_formulas
from gongkai.errors import InputError
from gongkai.settings import Settings
from gongkai.text import key
from gongkai.validation.results import Report, Result

if TYPE_CHECKING:  # openpyxl is loaded only for .xlsx reports
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

FORMATS = ("text", "json", "csv", "xlsx", "ttl")
STANDARD_ITEMS_FILE = "standard-items.csv"

#: column headers of the one-row-per-problem tables
PROBLEM_COLUMNS: dict[str, tuple[str, ...]] = {
    "zh": ("责任单位", "清单", "日期", "序号", "事项名称", "规则", "严重程度", "栏目", "值", "问题说明"),
    "en": ("bureau", "list", "date", "item number", "item name", "rule", "severity", "field", "value", "problem"),
}
COMPLETENESS_COLUMNS: dict[str, tuple[str, ...]] = {
    "zh": ("层级", "责任单位", "清单", "日期", "事项数", "已有要素", "应有要素", "完整度"),
    "en": ("level", "bureau", "list", "date", "items", "facts present", "facts required", "completeness"),
}
_LEVEL = {"zh": ("清单", "责任单位"), "en": ("list", "bureau")}
_AUTHORITY = {"zh": "权威数据（法律法规）", "en": "authority data (legal sources)"}


def n_of(n: int, word: str) -> str:
    """``1 warning``, ``2 warnings``: English counts for reports."""
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _lang(lang: str) -> str:
    return "en" if lang == "en" else "zh"


def _problem_row(r: Result, dates: dict[str, str | None], lang: str) -> list:
    return [r.bureau or _AUTHORITY[lang], r.list_iri, dates.get(r.list_iri) or "",
            r.item_number if r.item_number is not None else "", r.item_name or "", r.shape_id,
            r.severity_words(lang), r.path(lang), r.value or "", r.message(lang)]


def problem_rows(report: Report, lang: str = "zh") -> list[list]:
    """One row per problem, bureau → list → item → problem order."""
    lang = _lang(lang)
    dates = {lr.list_iri: lr.date for lr in report.lists}
    return [_problem_row(r, dates, lang) for r in report.results]


# --- text ------------------------------------------------------------------

def render_text(report: Report, lang: str = "zh") -> str:
    lang = _lang(lang)
    zh = lang == "zh"
    out: list[str] = []
    v, w, i = report.count("Violation"), report.count("Warning"), report.count("Info")
    if zh:
        out.append(f"校验 {len(report.lists)} 份清单：违规 {v} 项，警告 {w} 项，提示 {i} 项 — "
                   + ("符合" if report.conforms else "不符合"))
    else:
        out.append(f"Validated {n_of(len(report.lists), 'list')}: {n_of(v, 'violation')}, "
                   f"{n_of(w, 'warning')}, {n_of(i, 'info')} — "
                   + ("conforms" if report.conforms else "does not conform"))
    scores = report.bureau_scores()
    for bureau, lists in report.by_bureau().items():
        present, required = scores[bureau]
        pct = 100 * present / required if required else 100.0
        out.append("")
        out.append(f"■ {bureau}  " + (f"完整度 {pct:.1f}%" if zh else f"completeness {pct:.1f}%"))
        for lr in lists:
            out.append(f"  {lr.title or lr.list_iri}  {lr.date or ''}  "
                       + (f"{lr.items} 项，完整度 {100 * lr.score:.1f}%" if zh
                          else f"{lr.items} items, completeness {100 * lr.score:.1f}%"))
            if not lr.results:
                out.append("    " + ("无问题" if zh else "no problems"))
                continue
            current: object = object()
            for r in lr.results:
                if r.item_number != current:
                    current = r.item_number
                    if r.item_number is None:
                        out.append("    " + ("清单整体" if zh else "the list as a whole"))
                    else:
                        out.append(f"    {r.item_number}. {r.item_name or ''}")
                out.append("      " + _line(r, lang))
    if report.authority:
        out.append("")
        out.append(f"■ {_AUTHORITY[lang]}")
        for r in report.authority:
            out.append(f"    {r.item_name or r.focus}")
            out.append("      " + _line(r, lang))
    return "\n".join(out) + "\n"


def _line(r: Result, lang: str) -> str:
    value = f" [{r.value}]" if r.value and r.value != r.item_name else ""
    return f"[{r.severity_words(lang)}] {r.shape_id} {r.path(lang)}：{r.message(lang)}{value}" if lang == "zh" \
        else f"[{r.severity_words(lang)}] {r.shape_id} {r.path(lang)}: {r.message(lang)}{value}"


# --- JSON ------------------------------------------------------------------

def _result_json(r: Result, lang: str) -> dict:
    return {"shape": r.shape_id, "severity": r.severity, "item_number": r.item_number,
            "item_name": r.item_name, "path": r.path(lang), "value": r.value,
            "message": r.message(lang), "focus": r.focus, "component": r.component}


def render_json(report: Report, lang: str = "zh") -> str:
    lang = _lang(lang)
    scores = report.bureau_scores()
    doc = {
        "conforms": report.conforms,
        "counts": {s: report.count(s) for s in ("Violation", "Warning", "Info")},
        "bureaus": [{"bureau": b, "present": p, "required": r, "completeness": round(p / r, 4) if r else 1.0}
                    for b, (p, r) in sorted(scores.items())],
        "lists": [{"list": lr.list_iri, "bureau": lr.bureau, "date": lr.date, "title": lr.title,
                   "items": lr.items, "present": lr.present, "required": lr.required,
                   "completeness": round(lr.score, 4),
                   "results": [_result_json(r, lang) for r in lr.results]}
                  for lrs in report.by_bureau().values() for lr in lrs],
        "authority": [_result_json(r, lang) for r in report.authority],
        "shapes": {info.id: {"severity": info.severity, "message": info.messages.get(lang, ""),
                             "why": info.comments.get(lang, "")}
                   for info in sorted(report.shapes.values(), key=lambda x: x.id)},
    }
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


# --- CSV / XLSX --------------------------------------------------------------

def _csv(header: tuple[str, ...], rows: list[list]) -> str:
    """The header and rows; cells a spreadsheet would read as formulas get a leading ``'``."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(csv_row(header))
    w.writerows(csv_row(r) for r in rows)
    return buf.getvalue()


def render_csv(report: Report, lang: str = "zh") -> str:
    """One row per problem (write it with a BOM, ``utf-8-sig``, for spreadsheet programs)."""
    lang = _lang(lang)
    return _csv(PROBLEM_COLUMNS[lang], problem_rows(report, lang))


def completeness_rows(report: Report, lang: str = "zh") -> list[list]:
    """Per list, then per bureau: facts present, facts required, share present."""
    lang = _lang(lang)
    rows: list[list] = [[_LEVEL[lang][0], lr.bureau, lr.list_iri, lr.date or "", lr.items,
                         lr.present, lr.required, round(lr.score, 4)]
                        for lrs in report.by_bureau().values() for lr in lrs]
    for bureau, (p, r) in sorted(report.bureau_scores().items()):
        items = sum(lr.items for lr in report.lists if lr.bureau == bureau)
        rows.append([_LEVEL[lang][1], bureau, "", "", items, p, r, round(p / r, 4) if r else 1.0])
    return rows


def render_completeness_csv(report: Report, lang: str = "zh") -> str:
    lang = _lang(lang)
    return _csv(COMPLETENESS_COLUMNS[lang], completeness_rows(report, lang))


@dataclass(frozen=True)
class StandardItem:
    id: str
    title_zh: str
    title_en: str
    match: re.Pattern

    def title(self, lang: str) -> str:
        return self.title_en if lang == "en" else self.title_zh

    def matches(self, item_title: str) -> bool:
        return bool(self.match.search(key(item_title)))


def load_standard_items(path: Path) -> list[StandardItem]:
    """The standard items every bureau's list is expected to have (shapes/standard-items.csv)."""
    if not path.exists():
        raise InputError(str(path), "file not found")
    out = []
    with open(path, encoding="utf-8-sig", newline="") as f:
        for n, row in enumerate(csv.DictReader(f), 2):
            for col in ("id", "title_zh", "match"):
                if not (row.get(col) or "").strip():
                    raise InputError(str(path), f"column {col} is empty", row=n, cell=col)
            try:
                pattern = re.compile(row["match"].strip())
            except re.error as e:
                raise InputError(str(path), f"bad pattern: {e}", row=n, cell="match") from None
            out.append(StandardItem(row["id"].strip(), row["title_zh"].strip(),
                                    (row.get("title_en") or row["title_zh"]).strip(), pattern))
    return out


def coverage(report: Report, standard: list[StandardItem]) -> dict[str, dict[str, bool]]:
    """bureau → standard item id → whether any of the bureau's lists has such an item."""
    out: dict[str, dict[str, bool]] = {}
    for bureau, lists in report.by_bureau().items():
        titles = [t for lr in lists for t in lr.item_titles.values()]
        out[bureau] = {s.id: any(s.matches(t) for t in titles) for s in standard}
    return out


def coverage_rows(report: Report, standard: list[StandardItem], lang: str = "zh") -> tuple[tuple[str, ...], list[list]]:
    lang = _lang(lang)
    header = (("责任单位",) if lang == "zh" else ("bureau",)) + tuple(s.title(lang) for s in standard) + (
        ("缺少",) if lang == "zh" else ("missing",))
    rows = []
    for bureau, cov in sorted(coverage(report, standard).items()):
        missing = [s.title(lang) for s in standard if not cov[s.id]]
        rows.append([bureau] + [1 if cov[s.id] else 0 for s in standard] + ["、".join(missing) if lang == "zh"
                                                                             else "; ".join(missing)])
    return header, rows


def render_coverage_csv(report: Report, standard: list[StandardItem], lang: str = "zh") -> str:
    header, rows = coverage_rows(report, standard, lang)
    return _csv(header, rows)


def _first_sheet(wb: Workbook) -> Worksheet:
    """The one sheet of a new workbook."""
    from openpyxl.worksheet.worksheet import Worksheet  # lazy: only for .xlsx reports

    ws = wb.active
    assert isinstance(ws, Worksheet)  # a new workbook starts with a worksheet
    return ws


def write_xlsx(report: Report, path: Path, lang: str = "zh",
               standard: list[StandardItem] | None = None) -> None:
    """A workbook: one row per problem, then completeness, then coverage (when given)."""
    from openpyxl import Workbook  # lazy: only for .xlsx reports
    from openpyxl.styles import Font  # lazy: only for .xlsx reports

    lang = _lang(lang)
    wb = Workbook()
    sheets = [("问题" if lang == "zh" else "problems", PROBLEM_COLUMNS[lang], problem_rows(report, lang)),
              ("完整度" if lang == "zh" else "completeness", COMPLETENESS_COLUMNS[lang],
               completeness_rows(report, lang))]
    if standard:
        header, rows = coverage_rows(report, standard, lang)
        sheets.append(("覆盖" if lang == "zh" else "coverage", header, rows))
    for n, (title, header, rows) in enumerate(sheets):
        ws = _first_sheet(wb) if n == 0 else wb.create_sheet()
        ws.title = title
        ws.append(list(header))
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in rows:
            ws.append(row)
        ws.freeze_panes = "A2"
    path.parent.mkdir(parents=True, exist_ok=True)
    text_not_formulas(wb).save(path)


def write_coverage(report: Report, standard: list[StandardItem], path: Path, lang: str = "zh") -> None:
    if path.suffix.lower() == ".xlsx":
        from openpyxl import Workbook  # lazy: only for .xlsx reports

        header, rows = coverage_rows(report, standard, lang)
        wb = Workbook()
        ws = _first_sheet(wb)
        ws.title = "覆盖" if _lang(lang) == "zh" else "coverage"
        ws.append(list(header))
        for row in rows:
            ws.append(row)
        text_not_formulas(wb).save(path)
    else:
        path.write_text(render_coverage_csv(report, standard, lang), encoding="utf-8-sig")


def write_completeness(report: Report, path: Path, lang: str = "zh") -> None:
    if path.suffix.lower() == ".xlsx":
        from openpyxl import Workbook  # lazy: only for .xlsx reports

        wb = Workbook()
        ws = _first_sheet(wb)
        ws.title = "完整度" if _lang(lang) == "zh" else "completeness"
        ws.append(list(COMPLETENESS_COLUMNS[_lang(lang)]))
        for row in completeness_rows(report, lang):
            ws.append(row)
        text_not_formulas(wb).save(path)
    else:
        path.write_text(render_completeness_csv(report, lang), encoding="utf-8-sig")


# --- SHACL Turtle ------------------------------------------------------------

def render_ttl(report: Report) -> str:
    """The report as a standard ``sh:ValidationReport`` (messages in both languages)."""
    g = Graph()
    g.bind("sh", SH)
    g.bind("shape", "https://w3id.org/gongkai/shapes#")
    rep = BNode("report")
    g.add((rep, RDF.type, SH.ValidationReport))
    g.add((rep, SH.conforms, Literal(report.conforms, datatype=XSD.boolean)))
    for n, r in enumerate(report.results):
        node = BNode(f"r{n}")
        g.add((rep, SH.result, node))
        g.add((node, RDF.type, SH.ValidationResult))
        g.add((node, SH.focusNode, URIRef(r.focus)))
        g.add((node, SH.sourceShape, URIRef(r.shape_iri)))
        g.add((node, SH.resultSeverity, SH[r.severity]))
        if r.component:
            g.add((node, SH.sourceConstraintComponent, SH[r.component]))
        if r.result_path:
            g.add((node, SH.resultPath, URIRef(r.result_path)))
        if r.value is not None:
            g.add((node, SH.value, URIRef(r.value) if re.match(r"^https?://\S+$", r.value) else Literal(r.value)))
        g.add((node, SH.resultMessage, Literal(r.message_zh, lang="zh")))
        g.add((node, SH.resultMessage, Literal(r.message_en, lang="en")))
    return g.serialize(format="turtle")


# --- one call for each output ---------------------------------------------------

def render(report: Report, fmt: str, lang: str = "zh") -> str:
    if fmt == "text":
        return render_text(report, lang)
    if fmt == "json":
        return render_json(report, lang)
    if fmt == "csv":
        return render_csv(report, lang)
    if fmt == "ttl":
        return render_ttl(report)
    raise ValueError(f"unknown report format {fmt!r}; use one of {', '.join(FORMATS)}")


def standard_items(settings: Settings) -> list[StandardItem]:
    return load_standard_items(settings.shapes_dir / STANDARD_ITEMS_FILE)


def write_build_reports(report: Report, out_dir: Path, settings: Settings, lang: str = "zh") -> list[Path]:
    """build/validation.json, validation.csv, coverage.csv, completeness.csv."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in (("validation.json", render_json(report, lang)),
                       ("validation.csv", render_csv(report, lang)),
                       ("coverage.csv", render_coverage_csv(report, standard_items(settings), lang)),
                       ("completeness.csv", render_completeness_csv(report, lang))):
        written.append(write_atomic(out_dir / name, text, encoding="utf-8-sig" if name.endswith(".csv") else "utf-8"))
    return written


__all__ = [
    "FORMATS",
    "StandardItem",
    "completeness_rows",
    "coverage",
    "coverage_rows",
    "load_standard_items",
    "problem_rows",
    "render",
    "render_csv",
    "render_json",
    "render_text",
    "render_ttl",
    "standard_items",
    "write_build_reports",
    "write_completeness",
    "write_coverage",
    "write_xlsx",
]
