"""Validation of whole lists: the original list, broken lists, engines, reports, CLI."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from rdflib import Graph
from typer.testing import CliRunner

from gongkai.cli.common import app
from gongkai.ingest import ingest_file
from gongkai.rdf.mapping import map_list
from gongkai.reference_data import map_context
from gongkai.settings import Settings
from gongkai.validation.inputs import validate_build, validate_paths, validate_rdf_file
from gongkai.validation.reference import fast_result_keys, validate_with_pyshacl
from gongkai.validation.reports import (
    PROBLEM_COLUMNS,
    coverage,
    load_standard_items,
    render,
    render_completeness_csv,
    write_xlsx,
)
from gongkai.validation.results import Report
from gongkai.validation.run import validate_graphs, validate_lists

ROOT = Path(__file__).resolve().parents[2]
ORIGINAL = ROOT / "data" / "raw" / "zhongwei-yunjisuan-2021.txt"
BROKEN = ROOT / "tests" / "fixtures" / "broken"
SETTINGS = Settings(root=ROOT)

#: every broken list and exactly the results it must give: (shape id, item number or None)
EXPECTED: dict[str, set[tuple[str, int | None]]] = {
    "no-legal-basis": {("C01-item-has-legal-basis", 2)},
    "no-time-limit": {("C02-item-has-time-limit", 2)},
    "unparsed-time-limit": {("C03-time-limit-is-parsed", 2)},
    "no-content": {("C06-item-has-content", 1)},
    "no-publisher": {("C07-item-has-publisher", 1)},
    "no-channel-checked": {("C08-item-has-checked-channel", 1)},
    "two-audiences": {("C09-item-has-one-audience", 1)},
    "no-mode": {("C10-item-has-one-mode", 3)},
    # without a date no version of a revised law can be chosen: the citations of the
    # 政府信息公开条例 and the 预算法 reach the work only (版本未定), so L01 asks for the date,
    # and item 5 still relies on the Budget Law (no L03)
    "no-date": {("C12-list-has-date", None)}
    | {("L01-citation-resolved", n) for n in range(1, 6)},
    "no-reviewer": {("C14-list-has-reviewer", None)},
    "no-approver": {("C15-list-has-approver", None)},
    "level1-count-mismatch": {("K01-declared-level1-count-matches", None)},
    "level2-count-mismatch": {("K02-declared-level2-count-matches", None)},
    "on-request-count-mismatch": {("K03-declared-on-request-count-matches", None)},
    "numbering-gap": {("K04-item-numbers-without-gaps", 6)},
    "foreign-publisher": {("K06-publisher-is-bureau-or-unit", 3)},
    # the department's annual report by 2月30日: no such date, and later than 第四十九条's 1月31日
    "impossible-annual-date": {("K07-annual-date-is-real", 3), ("L04-time-limit-within-statutory-limit", 3)},
    "unresolved-citation": {("L01-citation-resolved", 2)},
    "repealed-version-cited": {("L02-cited-version-in-force", 1)},
    "budget-without-budget-law": {("L03-budget-item-cites-budget-law", 5)},
    "unrecognised-channel": {("V06-checked-channel-recognised", 1)},
}


def _list_results(report: Report) -> list:
    return [r for r in report.results if r.list_iri]


@pytest.fixture(scope="module")
def original() -> Report:
    return validate_paths([ORIGINAL], SETTINGS)


@pytest.fixture(scope="module")
def broken_reports() -> dict[str, Report]:
    return {p.stem: validate_paths([p], SETTINGS) for p in sorted(BROKEN.glob("*.txt"))}


# --- the original list ------------------------------------------------------

def test_original_list_has_no_violations(original: Report) -> None:
    assert original.count("Violation") == 0
    assert original.conforms and original.exit_code == 0
    (lr,) = original.lists
    assert lr.bureau == "中卫市云计算和大数据发展局" and lr.items == 18


def test_original_list_declared_counts_check_passes(original: Report) -> None:
    ids = {r.shape_id for r in original.results}
    assert not ids & {"K01-declared-level1-count-matches", "K02-declared-level2-count-matches",
                      "K03-declared-on-request-count-matches"}
    # and the checks did run: change the declared count and K02 fails
    dl = ingest_file(ORIGINAL, SETTINGS)
    dl.declared.level2_active = 17
    changed = validate_lists([dl], SETTINGS, authorities=False)
    (k02,) = [r for r in changed.results if r.shape_id.startswith("K02")]
    assert k02.value == "17" and "18" in k02.message_zh and k02.severity == "Violation"


def test_original_list_is_complete(original: Report) -> None:
    (lr,) = original.lists
    assert lr.required > 18 * 10 and lr.present == lr.required and lr.score == 1.0


# --- broken lists ---------------------------------------------------------------

def test_there_are_enough_broken_lists() -> None:
    files = {p.stem for p in BROKEN.glob("*.txt")} - {"base"}
    assert files == set(EXPECTED) and len(files) >= 15


def test_base_list_gives_no_result(broken_reports: dict[str, Report]) -> None:
    assert _list_results(broken_reports["base"]) == []


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_broken_list_gives_exactly_the_expected_results(name: str, broken_reports: dict[str, Report]) -> None:
    got = [(r.shape_id, r.item_number) for r in _list_results(broken_reports[name])]
    assert len(got) == len(set(got)), got          # no result twice
    assert set(got) == EXPECTED[name]


def test_results_speak_the_lists_language(broken_reports: dict[str, Report]) -> None:
    (r,) = _list_results(broken_reports["foreign-publisher"])
    assert r.bureau == "白水县民政局" and r.item_name == "政府信息公开年报"
    assert r.path_zh == "公开主体" and r.path_en == "publisher"
    assert r.value == "白水县财政局" and "白水县财政局" in r.message_zh and r.severity == "Warning"
    (r,) = _list_results(broken_reports["unresolved-citation"])
    assert r.value == "《白水县政务公开管理办法》"          # the citation as written, not a node
    (r,) = _list_results(broken_reports["numbering-gap"])
    assert r.message_zh == "序号不连续：序号6之前缺少序号5。"


def test_completeness_score_counts_missing_facts(broken_reports: dict[str, Report]) -> None:
    base = broken_reports["base"].lists[0]
    lacking = broken_reports["no-content"].lists[0]
    assert base.score == 1.0 and lacking.required == base.required
    assert lacking.present == base.required - 1
    # consistency problems are not missing facts
    assert broken_reports["numbering-gap"].lists[0].score == 1.0


# --- engines and batching ---------------------------------------------------------

def _graph(path: Path) -> Graph:
    dl = ingest_file(path, SETTINGS)
    from gongkai.reference_data import static_graphs

    g = Graph()
    for t in map_list(dl, map_context(SETTINGS))[1]:
        g.add(t)
    for _name, sg in static_graphs(SETTINGS)[1:]:     # vocabularies and authority data
        for t in sg:
            g.add(t)
    return g


@pytest.mark.parametrize("name", ["foreign-publisher", "repealed-version-cited", "numbering-gap", "no-date",
                                  "two-audiences"])
def test_compiled_engine_agrees_with_pyshacl(name: str) -> None:
    path = BROKEN / f"{name}.txt"
    reference = validate_with_pyshacl(_graph(path), SETTINGS)
    fast = fast_result_keys(validate_paths([path], SETTINGS))
    assert fast == reference


def _distinct_bureaus() -> list:
    dls = [ingest_file(BROKEN / f"{n}.txt", SETTINGS) for n in sorted(EXPECTED)]
    for i, dl in enumerate(dls):               # distinct bureaus, so the lists do not share one IRI
        dl.bureau.name = f"白水县民政局{i}"
        for it in dl.items:
            if it.publisher == "白水县民政局":
                it.publisher = dl.bureau.name
    return dls


def _keys(rep: Report) -> list[tuple]:
    return sorted((r.list_iri, r.shape_id, r.item_number or 0, r.value or "") for r in rep.results)


def test_lists_validated_together_give_what_each_gives_alone() -> None:
    dls = _distinct_bureaus()
    together = validate_lists(dls, SETTINGS, workers=1, authorities=False)
    alone: list[tuple] = []
    for dl in dls:
        alone += _keys(validate_lists([dl], SETTINGS, authorities=False))
    assert _keys(together) == sorted(alone) and len(together.lists) == len(dls)


def test_parallel_workers_give_the_same_report() -> None:
    dls = _distinct_bureaus()
    import gongkai.validation.run as v

    serial = validate_lists(dls, SETTINGS, workers=1, authorities=False)
    old = (v.PARALLEL_FROM, v.BATCH_LISTS)
    v.PARALLEL_FROM, v.BATCH_LISTS = 2, 5
    try:
        parallel = validate_lists(dls, SETTINGS, workers=2, authorities=False)
    finally:
        v.PARALLEL_FROM, v.BATCH_LISTS = old
    assert _keys(serial) == _keys(parallel) and len(parallel.lists) == len(dls)


def test_rdf_file_input(tmp_path: Path) -> None:
    from gongkai.rdf.serialize import serialize
    from gongkai.reference_data import static_graphs

    dl = ingest_file(BROKEN / "foreign-publisher.txt", SETTINGS)
    graphs = [*static_graphs(SETTINGS), map_list(dl, map_context(SETTINGS))]
    for fmt, suffix in (("trig", ".trig"), ("nquads", ".nq")):
        path = tmp_path / f"kg{suffix}"
        path.write_text(serialize(graphs, fmt), encoding="utf-8")
        rep = validate_rdf_file(path, SETTINGS)
        assert [(r.shape_id, r.item_number) for r in _list_results(rep)] == [
            ("K06-publisher-is-bureau-or-unit", 3)]
        assert {r.shape_id for r in rep.authority} == {"A03-legal-source-has-issuer"}


def test_validate_graphs_and_authority_warnings() -> None:
    dl = ingest_file(BROKEN / "base.txt", SETTINGS)
    rep = validate_graphs([map_list(dl, map_context(SETTINGS))], SETTINGS)
    assert _list_results(rep) == []
    # the registry leaves some issuers empty on purpose: warnings, never violations
    assert rep.authority and all(r.severity == "Warning" for r in rep.authority)
    assert rep.exit_code == 0


# --- reports ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def mixed() -> Report:
    return validate_paths([BROKEN / "no-legal-basis.txt", ORIGINAL], SETTINGS)


def test_text_report_groups_by_bureau_then_item(mixed: Report) -> None:
    text = render(mixed, "text", "zh")
    assert "违规 1 项" in text
    b = text.index("■ 白水县民政局")
    assert text.index("2. 政府信息公开指南", b) < text.index("C01-item-has-legal-basis", b)
    assert "■ 中卫市云计算和大数据发展局" in text
    en = render(mixed, "text", "en")
    assert "1 violation," in en and "The item states no legal basis" in en


def test_json_report(mixed: Report) -> None:
    doc = json.loads(render(mixed, "json", "en"))
    assert doc["conforms"] is False and doc["counts"]["Violation"] == 1
    lst = next(x for x in doc["lists"] if x["bureau"] == "白水县民政局")
    (res,) = [r for r in lst["results"] if r["severity"] == "Violation"]
    assert res["shape"] == "C01-item-has-legal-basis" and res["item_number"] == 2
    assert doc["shapes"]["C01-item-has-legal-basis"]["why"]


def test_csv_report_has_one_row_per_problem(mixed: Report) -> None:
    rows = list(csv.reader(io.StringIO(render(mixed, "csv", "zh"))))
    assert tuple(rows[0]) == PROBLEM_COLUMNS["zh"]
    assert len(rows) - 1 == len(mixed.results)


def test_ttl_report_is_a_shacl_report(mixed: Report) -> None:
    from rdflib.namespace import RDF, SH

    g = Graph().parse(data=render(mixed, "ttl"), format="turtle")
    assert len(set(g.subjects(RDF.type, SH.ValidationResult))) == len(mixed.results)
    assert any(str(o).endswith("C01-item-has-legal-basis") for o in g.objects(None, SH.sourceShape))


def test_xlsx_opens_with_one_row_per_problem_and_zh_headers(mixed: Report, tmp_path: Path) -> None:
    path = tmp_path / "v.xlsx"
    write_xlsx(mixed, path, "zh", load_standard_items(ROOT / "shapes" / "standard-items.csv"))
    wb = load_workbook(path)
    ws = wb.worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == PROBLEM_COLUMNS["zh"]
    assert len(rows) - 1 == len(mixed.results)
    assert [s.title for s in wb.worksheets] == ["问题", "完整度", "覆盖"]


def test_coverage_matrix_and_completeness(mixed: Report) -> None:
    standard = load_standard_items(ROOT / "shapes" / "standard-items.csv")
    cov = coverage(mixed, standard)
    zw = cov["中卫市云计算和大数据发展局"]
    assert zw["annual-report"] and zw["guide"] and zw["rules"] and zw["organisation"] and zw["budget"]
    assert zw["leadership"]                     # 领导信息, item 2 of the original
    bs = cov["白水县民政局"]
    assert bs["guide"] and not bs["rules"]
    rows = list(csv.reader(io.StringIO(render_completeness_csv(mixed, "zh"))))
    assert rows[0][0] == "层级" and {r[0] for r in rows[1:]} == {"清单", "责任单位"}


def test_standard_items_file_errors_name_the_row(tmp_path: Path) -> None:
    from gongkai.errors import InputError

    bad = tmp_path / "s.csv"
    bad.write_text("id,title_zh,title_en,match\nx,年报,,(\n", encoding="utf-8")
    with pytest.raises(InputError, match="row 2"):
        load_standard_items(bad)


def test_validate_build_writes_reports(tmp_path: Path) -> None:
    from gongkai.ingest import FileResult
    from gongkai.pipeline.build import BuildResult

    dl = ingest_file(BROKEN / "base.txt", SETTINGS)
    result = BuildResult(files=[FileResult(BROKEN / "base.txt", dl=dl)], out_dir=tmp_path)
    report = validate_build(result, SETTINGS)
    assert report.conforms
    for name in ("validation.json", "validation.csv", "coverage.csv", "completeness.csv"):
        assert (tmp_path / name).stat().st_size > 0
    assert json.loads((tmp_path / "validation.json").read_text(encoding="utf-8"))["conforms"] is True


# --- the command ---------------------------------------------------------------------

runner = CliRunner()


def test_cli_exit_0_when_conforming() -> None:
    res = runner.invoke(app, ["validate", str(BROKEN / "base.txt"), "--format", "json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["conforms"] is True


def test_cli_exit_1_on_violations_and_warnings_do_not_fail() -> None:
    assert runner.invoke(app, ["validate", str(BROKEN / "no-time-limit.txt")]).exit_code == 1
    assert runner.invoke(app, ["validate", str(BROKEN / "foreign-publisher.txt")]).exit_code == 0


def test_cli_exit_2_on_errors(tmp_path: Path) -> None:
    res = runner.invoke(app, ["validate", str(tmp_path / "missing.txt")])
    assert res.exit_code == 2 and "file not found" in res.output and "Traceback" not in res.output
    bad = tmp_path / "bad.ttl"
    bad.write_text("<a> <b> .", encoding="utf-8")
    res = runner.invoke(app, ["validate", str(bad)])
    assert res.exit_code == 2 and "cannot read RDF" in res.output
    assert runner.invoke(app, ["validate", str(BROKEN / "base.txt"), "--format", "pdf"]).exit_code == 2
    assert runner.invoke(app, ["validate", str(BROKEN / "base.txt"), "--format", "xlsx"]).exit_code == 2


def test_cli_writes_xlsx_coverage_and_completeness(tmp_path: Path) -> None:
    out = tmp_path / "report.xlsx"
    res = runner.invoke(app, ["validate", str(BROKEN / "no-legal-basis.txt"), "--format", "xlsx",
                              "--output", str(out), "--coverage", str(tmp_path / "cov.csv"),
                              "--completeness", str(tmp_path / "comp.xlsx")])
    assert res.exit_code == 1, res.output
    rows = list(load_workbook(out).worksheets[0].iter_rows(values_only=True))
    assert rows[0][0] == "责任单位" and rows[1][5] == "C01-item-has-legal-basis"
    cov = (tmp_path / "cov.csv").read_text(encoding="utf-8-sig").splitlines()
    assert cov[0].startswith("责任单位,政府信息公开年报") and cov[1].startswith("白水县民政局,")
    assert load_workbook(tmp_path / "comp.xlsx").worksheets[0]["A1"].value == "层级"


def test_cli_english_text() -> None:
    res = runner.invoke(app, ["validate", str(BROKEN / "no-approver.txt"), "--lang", "en"])
    assert res.exit_code == 0
    assert "The list does not say who approved it." in res.stdout


def test_two_files_of_the_same_list_are_refused_not_merged() -> None:
    """Same bureau, same date: one list IRI. Validated together they would be read as one
    list with wrong counts; the command names both files instead (exit 2)."""
    a, b = BROKEN / "no-legal-basis.txt", BROKEN / "numbering-gap.txt"
    r = CliRunner().invoke(app, ["validate", str(a), str(b)])
    assert r.exit_code == 2
    assert f"{b}: describes the same list as {a}" in r.output
    assert "Traceback" not in r.output


# --- an undated list citing a revised law: the date is what is missing ------------

def _undated_budget_list(tmp_path: Path, dated: bool) -> Path:
    text = (BROKEN / "no-date.txt").read_text(encoding="utf-8")
    text = text.replace("《中华人民共和国预算法》", "《中华人民共和国预算法》第十四条")
    if dated:
        text = text.replace("审签人: 宋建国 ", "审签人: 宋建国 填表时间: 2022.3.1")
    path = tmp_path / ("dated.txt" if dated else "undated.txt")
    path.write_text(text, encoding="utf-8")
    return path


def test_undated_list_is_told_to_add_its_date_not_to_check_the_title(tmp_path: Path) -> None:
    report = validate_paths([_undated_budget_list(tmp_path, dated=False)], SETTINGS)
    results = _list_results(report)
    assert not [r for r in results if r.shape_id.startswith("L03")]
    (l01,) = [r for r in results if r.shape_id == "L01-citation-resolved" and r.item_number == 5]
    assert "填表时间" in l01.message_zh and "核对标题" not in l01.message_zh
    assert (l01.path_zh, l01.path_en) == ("公开依据", "legal basis")   # not 已解析 ("resolved") before "not determined"
    assert "date" in l01.message_en and "check its title" not in l01.message_en


def test_unknown_document_is_still_told_to_check_the_title(broken_reports: dict[str, Report]) -> None:
    (r,) = _list_results(broken_reports["unresolved-citation"])
    assert "核对标题和文号" in r.message_zh and "填表时间" not in r.message_zh


def test_with_its_date_the_budget_law_citation_resolves_to_2018(tmp_path: Path) -> None:
    dl = ingest_file(_undated_budget_list(tmp_path, dated=True), SETTINGS)
    (cit,) = [c for it in dl.items if it.number == 5 for c in it.citations]
    assert cit.resolved_id == "prc-budget-law-2018"
    report = validate_paths([_undated_budget_list(tmp_path, dated=True)], SETTINGS)
    assert not [r for r in _list_results(report) if r.shape_id.startswith(("L01", "L03"))]
