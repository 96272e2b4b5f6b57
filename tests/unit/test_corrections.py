"""A corrections file: a row that could not be read is corrected beside the list, the
publisher's file left as it is, and the correction is kept in the list's graph."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF

from gongkai.errors import InputError
from gongkai.ingest import ingest_file, ingest_folder, sha256_of
from gongkai.rdf.mapping import map_list
from gongkai.rdf.namespaces import GK
from gongkai.reference_data import map_context
from gongkai.settings import Settings
from gongkai.tabulate.corrections import parse_lines, read_corrections

ROOT = Path(__file__).resolve().parents[2]
BAD_ROW = ROOT / "tests" / "fixtures" / "unread" / "one-bad-row.txt"   # row 8 has too many cells
SETTINGS = Settings(root=ROOT)
# row 8 as it should have been written: the 12 columns of the table, in order
CORRECTED = ("3 | 场馆服务 | 开放时间 | 各场馆开放时段和预约方式 | 《公共文化服务保障法》 | 实时公开 | 县文化馆 "
             "| ■政府网站 ■两微一端 ■公示栏 | √ |  | √ | ")


def _folder(tmp_path: Path, rows: list[dict[str, str]]) -> Path:
    folder = tmp_path / "lists"
    folder.mkdir()
    shutil.copy(BAD_ROW, folder / BAD_ROW.name)
    with open(folder / "corrections.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=["sha256", "lines", "action", "cells", "note"])
        w.writeheader()
        w.writerows(rows)
    return folder


def _read(folder: Path):
    [result] = ingest_folder(folder, SETTINGS, workers=1)
    assert result.dl is not None, result.error
    return result.dl


def test_a_replaced_row_becomes_an_item_and_the_file_is_untouched(tmp_path: Path) -> None:
    sha = sha256_of(BAD_ROW)
    folder = _folder(tmp_path, [{"sha256": sha[:16], "lines": "row 8", "action": "replace",
                                 "cells": CORRECTED, "note": "开放时间 的单元格错位"}])
    dl = _read(folder)
    assert not dl.unread
    assert [it.level2 for it in dl.items] == ["文旅法规", "规范性文件", "开放时间", "活动预告", "执法结果"]
    item = dl.items[2]
    assert item.content == "各场馆开放时段和预约方式" and item.publisher == "县文化馆"
    assert [c.title for c in item.citations] == ["公共文化服务保障法"]
    assert sha256_of(folder / BAD_ROW.name) == sha            # the publisher's file is not edited
    [corr] = dl.corrections
    assert corr.where == "corrections.csv row 2" and corr.lines == (8,)

    lst, g = map_list(dl, map_context(SETTINGS))
    node = URIRef(f"{lst}/correction/1")
    assert (lst, GK.correction, node) in g and (node, RDF.type, GK.Correction) in g
    assert (node, DCTERMS.source, Literal("corrections.csv row 2")) in g
    assert (node, GK.correctionAction, Literal("replace")) in g
    assert (URIRef(f"{lst}/item/3"), PROV.wasInfluencedBy, node) in g
    assert not list(g.subjects(RDF.type, GK.UnreadRow))


def test_a_skipped_row_is_neither_item_nor_unread(tmp_path: Path) -> None:
    folder = _folder(tmp_path, [{"sha256": sha256_of(BAD_ROW), "lines": "8", "action": "skip",
                                 "cells": "", "note": "a stray row"}])
    dl = _read(folder)
    assert len(dl.items) == 4 and not dl.unread and dl.corrections[0].action == "skip"


@pytest.mark.parametrize(("row", "warning"), [
    ({"lines": "8", "cells": "3 | 场馆服务 | 开放时间"}, "3 cells given for the 12 columns"),
    ({"lines": "30", "action": "skip"}, "no row of the table is on row 30"),
], ids=["wrong-width", "no-such-line"])
def test_a_correction_that_does_not_fit_is_not_applied_and_says_why(tmp_path: Path, row: dict[str, str],
                                                                     warning: str) -> None:
    folder = _folder(tmp_path, [{"sha256": sha256_of(BAD_ROW), **row}])
    dl = _read(folder)
    assert [u.lines for u in dl.unread] == [(8,)] and not dl.corrections
    assert any(warning in w and "not applied" in w for w in dl.warnings)


def test_a_correction_of_another_file_or_version_is_not_applied(tmp_path: Path) -> None:
    folder = _folder(tmp_path, [{"sha256": "0" * 64, "lines": "8", "action": "skip"}])
    dl = _read(folder)
    assert [u.lines for u in dl.unread] == [(8,)] and not dl.corrections
    # ingest_file without corrections reads the list as it is
    assert len(ingest_file(BAD_ROW, SETTINGS, resolve=False).unread) == 1


@pytest.mark.parametrize(("row", "cell", "message"), [
    ({"sha256": "abc", "lines": "8"}, "sha256", "is not the list file's SHA-256"),
    ({"sha256": "a" * 64, "lines": "eight"}, "lines", "is not a line"),
    ({"sha256": "a" * 64, "lines": "8", "action": "delete"}, "action", "is not one of replace, skip"),
    ({"sha256": "a" * 64, "lines": "8", "action": "replace"}, "cells", "needs the row's corrected cells"),
], ids=["sha", "lines", "action", "cells"])
def test_a_corrections_file_row_that_cannot_be_used_is_named(tmp_path: Path, row: dict[str, str], cell: str,
                                                            message: str) -> None:
    path = tmp_path / "corrections.csv"
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=["sha256", "lines", "action", "cells", "note"])
        w.writeheader()
        w.writerow({"sha256": "b" * 64, "lines": "3", "action": "skip"})
        w.writerow(row)
    with pytest.raises(InputError, match=message) as e:
        read_corrections(path)
    assert e.value.row == 3 and e.value.cell == cell and str(path) in str(e.value)


def test_lines_are_read_as_the_warnings_write_them() -> None:
    assert parse_lines("rows 14–16, 18") == (14, 15, 16, 18)
    assert parse_lines("14-15") == (14, 15)
    with pytest.raises(ValueError, match="from its first line to its last"):
        parse_lines("16-14")


def test_the_template_of_a_list_with_an_unread_row_reads_back_and_skips_it(tmp_path: Path) -> None:
    from gongkai import corrections_template

    dl = ingest_file(BAD_ROW, SETTINGS, resolve=False)
    folder = tmp_path / "lists"
    folder.mkdir()
    shutil.copy(BAD_ROW, folder / BAD_ROW.name)
    (folder / "corrections.csv").write_text(corrections_template(dl), encoding="utf-8")
    [c] = read_corrections(folder / "corrections.csv")
    assert c.lines == (8,) and c.action == "skip" and c.sha256 == dl.source_sha256
    assert not _read(folder).unread


def test_ingest_applies_the_corrections_file_beside_the_list(tmp_path: Path) -> None:
    import subprocess
    import sys

    folder = _folder(tmp_path, [{"sha256": sha256_of(BAD_ROW), "lines": "8", "action": "replace",
                                 "cells": CORRECTED, "note": ""}])
    run = [sys.executable, "-m", "gongkai.cli", "ingest", str(folder / BAD_ROW.name), "-o", str(tmp_path / "x.csv")]
    r = subprocess.run(run, capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    assert "5 items" in r.stderr and "not read" not in r.stderr
    # another corrections file named on the command line, one that is not there
    r = subprocess.run([*run, "--corrections", str(tmp_path / "none.csv")], capture_output=True, text=True,
                       timeout=120, cwd=ROOT)
    assert r.returncode == 2 and "no such corrections file" in r.stderr
