"""Importing one list into a running store: read like `gongkai ingest`, refuse what cannot
be a list, add or replace the list's named graph all or nothing."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from gongkai.errors import InputError, StoreError
from gongkai.pipeline.add_list import (
    MAX_NAME_BYTES,
    MAX_UPLOAD_BYTES,
    Upload,
    already_there,
    check_upload,
    commit,
    item_rows,
    prepare,
    read_upload,
    safe_name,
)
from gongkai.settings import Settings
from gongkai.store.embedded import EmbeddedStore

ROOT = Path(__file__).resolve().parents[2]
XLSX = ROOT / "tests" / "fixtures" / "formats" / "two-sheets-merged.xlsx"
NO_BUREAU = ROOT / "data" / "raw" / "songming-weijian.xlsx"
SEED = ROOT / "data" / "raw" / "zhongwei-yunjisuan-2021.txt"
SETTINGS = Settings()


@pytest.fixture(scope="module")
def upload() -> Upload:
    dl = read_upload(XLSX.name, XLSX.read_bytes(), SETTINGS)
    return prepare(dl, SETTINGS)


def test_an_upload_is_read_as_ingest_reads_the_file(upload) -> None:
    dl = upload.dl
    assert dl.bureau.name == "示例县民政局" and len(dl.items) == 4
    assert dl.source_file == XLSX.name and dl.source_format == "xlsx"
    assert str(upload.graph_name).endswith("/2024-03-01") and upload.triples > 50
    rows = item_rows(dl)
    assert [r["number"] for r in rows] == ["1", "2", "3", "4"]
    assert rows[0]["level1"] == "社会救助" and rows[0]["level2"] == "低保对象认定"
    assert rows[0]["time_limit"] == "20个工作日内" and rows[1]["time_limit_kind"] == "immediate"
    assert upload.problems and all(p.startswith(("[违规]", "[警告]", "[提示]")) for p in upload.problems)
    assert not any(re.search(r"\b[ACKLV]\d\d-", p) for p in upload.problems)     # rules by name, not by id
    english = prepare(dl, SETTINGS, lang="en").problems
    assert len(english) == len(upload.problems) and english[0].startswith(("[violation]", "[warning]", "[info]"))


def test_a_bureau_can_be_given_when_the_file_names_none() -> None:
    unnamed = read_upload(NO_BUREAU.name, NO_BUREAU.read_bytes(), SETTINGS)
    assert not unnamed.bureau_named and unnamed.bureau.name == "未注明责任单位" and unnamed.items
    assert any("names no bureau" in w and "import form" in w for w in unnamed.warnings)
    dl = read_upload(NO_BUREAU.name, NO_BUREAU.read_bytes(), SETTINGS, bureau="嵩明县卫生健康局")
    assert dl.bureau.name == "嵩明县卫生健康局" and dl.items


@pytest.mark.parametrize("name, data, message", [
    ("scan.png", b"\x89PNG\r\n\x1a\n", "not a supported format"),
    ("list.pdf", b"%PDF-1.4 ...", "the PDF is damaged or truncated"),
    ("list.txt", b"", "empty"),
    ("big.csv", b"x" * (MAX_UPLOAD_BYTES + 1), "the limit is 10 MB"),
    ("table.csv", "序号,事项名称\n".encode(), "table.csv"),
])
def test_what_cannot_be_a_list_is_refused_with_its_name(name, data, message) -> None:
    with pytest.raises(InputError, match=message) as e:
        read_upload(name, data, SETTINGS)
    assert e.value.file == name                                # the user's name, not a temporary path
    assert "gongkai-upload" not in str(e.value)


def test_check_upload_before_reading() -> None:
    check_upload("清单.xlsx", 1024)
    with pytest.raises(InputError, match=r"10\.0 MB; the limit is 10 MB"):
        check_upload("清单.xlsx", MAX_UPLOAD_BYTES + 1)


def test_safe_name_keeps_only_the_file_name() -> None:
    assert safe_name("C:\\Users\\me\\清单.xlsx") == "清单.xlsx"
    assert safe_name("../../etc/passwd") == "passwd"
    assert safe_name(".hidden.csv") == "hidden.csv"
    assert safe_name("/") == "upload"


LONG = "中卫市云计算和大数据发展局政务公开清单目录" * 5 + ".txt"      # 319 bytes in UTF-8


def test_safe_name_shortens_a_name_over_255_bytes_keeping_its_extension() -> None:
    assert len(LONG.encode()) > MAX_NAME_BYTES
    short = safe_name(f"C:\\下载\\{LONG}")
    assert short.endswith(".txt") and len(short.encode()) <= MAX_NAME_BYTES and LONG.startswith(short[:-4])
    assert len(safe_name("a" * 300).encode()) == MAX_NAME_BYTES       # no extension to keep
    assert safe_name("清单.xlsx") == "清单.xlsx"


def test_an_upload_with_a_name_over_255_bytes_is_read_and_keeps_its_name() -> None:
    """Writing the temporary copy under the full name failed (OSError: File name too long),
    a traceback on the import page."""
    dl = read_upload(LONG, SEED.read_bytes(), SETTINGS)
    assert dl.source_file == LONG and {it.source.file for it in dl.items} == {LONG}
    bad = "坏" * 90 + ".txt"
    with pytest.raises(InputError, match="not a disclosure list") as e:
        read_upload(bad, b"hello", SETTINGS)
    assert e.value.file == bad and str(e.value).startswith(f"{bad}: ")


def test_commit_adds_then_replaces_the_same_list(upload) -> None:
    store = EmbeddedStore()
    other = URIRef("https://example.org/other")
    store.replace_graph(other, upload.graph)                   # something else in the store
    assert not already_there(store, upload.graph_name)
    first = commit(store, upload)
    assert not first.replaced and first.triples == upload.triples
    assert first.after == first.before + upload.triples
    again = commit(store, upload)
    assert again.replaced and again.triples == upload.triples   # replaced, not doubled
    assert again.after == first.after
    assert store.count(other) == upload.triples                # other graphs untouched


def test_a_failed_commit_leaves_the_store_as_it_was(upload) -> None:
    store = EmbeddedStore()
    commit(store, upload)
    before = store.count(upload.graph_name)
    broken = Upload(upload.dl, upload.graph_name, upload.graph.__class__())
    for t in upload.graph:
        broken.graph.add(t)
    broken.graph.add((URIRef("relative/iri"), URIRef("https://example.org/p"), Literal("x")))  # the store refuses it
    with pytest.raises(StoreError):
        commit(store, broken)
    assert store.count(upload.graph_name) == before            # the old list is still whole


def test_a_date_given_at_import_chooses_the_version_of_the_cited_laws() -> None:
    undated = ROOT / "tests" / "fixtures" / "broken" / "no-date.txt"
    dl = read_upload(undated.name, undated.read_bytes(), SETTINGS)
    assert dl.date is None
    budget = [c for it in dl.items for c in it.citations if "预算法" in c.raw]
    assert budget and all(c.resolved_id is None and c.work_id for c in budget)   # the law, not its version
    dated = read_upload(undated.name, undated.read_bytes(), SETTINGS, date=dt.date(2022, 3, 1))
    assert dated.date == dt.date(2022, 3, 1)
    assert {c.resolved_id for it in dated.items for c in it.citations if "预算法" in c.raw} == {"prc-budget-law-2018"}
