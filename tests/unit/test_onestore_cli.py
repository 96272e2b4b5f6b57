"""`gongkai export` and `gongkai publish` read the build's store by default: a list imported in
the app is exported (alone with `--list`, and in the CSV) and published; `--from FOLDER` builds
from the files as before."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gongkai.cli import app
from gongkai.pipeline.add_list import commit_to_build, prepare, read_upload
from gongkai.pipeline.sequence import build_and_publish
from gongkai.settings import Settings
from listfolders import raw_lists

ROOT = Path(__file__).resolve().parents[2]
XLSX = ROOT / "tests" / "fixtures" / "formats" / "two-sheets-merged.xlsx"
BUILT = ["fengtunzhen-trad.txt"]
IMPORTED = "示例县民政局"
IRI = "https://w3id.org/gongkai/list/shilixianminzhengju/2024-03-01"


@pytest.fixture(scope="module")
def build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A build of one list, and a list imported into it as the app imports it."""
    tmp = tmp_path_factory.mktemp("onestore")
    settings = Settings(root=ROOT, build_dir=tmp / "build")
    lists = raw_lists(tmp / "lists", BUILT)
    assert build_and_publish(settings, lists).published
    upload = prepare(read_upload(XLSX.name, XLSX.read_bytes(), settings), settings)
    assert str(upload.graph_name) == IRI
    commit_to_build(settings, upload)
    return settings.out_dir, lists


@pytest.fixture
def cli(build: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("GONGKAI_BUILD", str(build[0]))

    def run(*args: str):
        return CliRunner().invoke(app, list(args))

    return run


def _items(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def test_export_of_the_imported_list_alone(cli) -> None:
    r = cli("export", "--list", IMPORTED, "-f", "nq")
    assert r.exit_code == 0, r.output
    graphs = {line.rsplit(" ", 2)[-2] for line in r.stdout.splitlines() if line.strip()}
    assert graphs == {f"<{IRI}>"}                                   # the list's graph, nothing else
    r = cli("export", "--list", IRI, "-f", "csv")
    assert r.exit_code == 0, r.output
    rows = _items(r.stdout)
    assert len(rows) == 4 and {row["bureau"] for row in rows} == {IMPORTED}


def test_export_of_the_whole_store_has_the_built_and_the_imported_lists(cli, tmp_path: Path) -> None:
    out = tmp_path / "kg.trig"
    r = cli("export", "-o", str(out))
    assert r.exit_code == 0, r.output
    text = out.read_text(encoding="utf-8")
    assert IRI in text and "fengtun" in text
    r = cli("export", "-f", "csv")
    bureaus = {row["bureau"] for row in _items(r.stdout)}
    assert IMPORTED in bureaus and len(bureaus) == 2


def test_from_a_folder_builds_from_the_files_as_before(cli, build: tuple[Path, Path]) -> None:
    r = cli("export", "--from", str(build[1]), "-f", "nq")
    assert r.exit_code == 0, r.output
    assert IRI not in r.stdout and "fengtun" in r.stdout
    r = cli("export", "--from", str(build[1]), "--list", IMPORTED)
    assert r.exit_code == 2 and "no list matches" in r.output


def test_publish_includes_the_imported_list(cli, tmp_path: Path) -> None:
    site = tmp_path / "site"
    r = cli("publish", "--out", str(site), "--workers", "1")
    assert r.exit_code == 0, r.output
    page = site / "list" / "shilixianminzhengju" / "2024-03-01.html"
    assert page.is_file() and IMPORTED in page.read_text(encoding="utf-8")
    assert (site / "list" / "shilixianminzhengju" / "2024-03-01" / "item" / "4.html").is_file()
    assert IMPORTED in {row["bureau"] for row in _items((site / "download" / "items.csv").read_text("utf-8"))}
    assert IRI in (site / "download" / "kg.ttl").read_text(encoding="utf-8")


def test_without_a_build_the_commands_say_how_to_build_from_the_files(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GONGKAI_BUILD", str(tmp_path / "none"))
    r = CliRunner().invoke(app, ["export"])
    assert r.exit_code == 2 and "gongkai build" in r.output and "--from" in r.output
