"""The build folder's lifecycle: every build a version published whole, readers on a version
of their own, one writer at a time, nothing left by killed writers, a build that reads
nothing keeps the previous one, a dying worker fails its own file only."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rdflib import URIRef
from typer.testing import CliRunner

import gongkai.ingest as ingest_module
from gongkai.build_folder import BuildFolder, write_atomic
from gongkai.cli.common import app
from gongkai.errors import StoreError
from gongkai.ingest import FileResult, ingest_folder
from gongkai.pipeline.sequence import build_and_publish
from gongkai.query.run import run_query
from gongkai.settings import Settings
from gongkai.store.embedded import EmbeddedStore
from gongkai.store.lifecycle import change_store, open_store, store_is_fresh
from listfolders import raw_lists

ROOT = Path(__file__).resolve().parents[2]
RAW = ROOT / "data" / "raw"
VERSIONS_FIXTURE = ROOT / "tests" / "fixtures" / "versions"
GOOD = ["fengtunzhen-trad.txt", "songming-weijian.xlsx", "county-jiaoyu-lyg138.csv"]


def _folder(tmp_path: Path, names: list[str], name: str = "lists") -> Path:
    return raw_lists(tmp_path / name, names)


def _lists(settings: Settings) -> set[str]:
    store = open_store(settings)
    try:
        return {str(r["list"]) for r in store.select(
            "PREFIX gk: <https://w3id.org/gongkai/ontology#> SELECT ?list WHERE { ?list a gk:DisclosureList }").rows}
    finally:
        store.close()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(root=ROOT, build_dir=tmp_path / "build")


def test_a_build_is_a_version_published_whole_behind_the_public_names(settings: Settings, tmp_path: Path) -> None:
    outcome = build_and_publish(settings, _folder(tmp_path, GOOD[:2]))
    assert outcome.published and not outcome.result.failed
    root = settings.out_dir
    v = outcome.version
    assert os.readlink(root / "current") == f"versions/{v.id}"
    for name in ("kg.trig", "items.csv", "validation.csv", "completeness.csv", "stats.json", "store"):
        assert (root / name).is_symlink() and os.readlink(root / name) == f"current/{name}", name
        assert (v.path / name).exists(), name
    assert json.loads((v.path / "version.json").read_text(encoding="utf-8"))["lists"] == 2
    assert store_is_fresh(settings) and len(_lists(settings)) == 2


def test_a_reader_keeps_its_version_while_a_new_build_is_published(settings: Settings, tmp_path: Path) -> None:
    build_and_publish(settings, _folder(tmp_path, GOOD[:1], "one"))
    reader = open_store(settings)
    assert isinstance(reader, EmbeddedStore) and reader.read_only and reader.lease is not None
    first = reader.path
    before = len(reader)
    outcome = build_and_publish(settings, _folder(tmp_path, GOOD, "three"))
    # the reader still reads its own version, whole; new readers get the new one
    assert first.exists() and len(reader) == before
    assert len(_lists(settings)) == 3
    assert first.parent.name != outcome.version.id
    reader.close()
    del reader
    # the next writer removes the version nobody reads any more
    build_and_publish(settings, _folder(tmp_path, GOOD[:2], "two"))
    assert not first.parent.exists()
    versions = sorted(p.name for p in (settings.out_dir / "versions").iterdir())
    assert versions == [BuildFolder(settings.out_dir).current_id()]


def test_a_store_held_by_a_reader_that_exits_is_not_damaged_by_a_rebuild(settings: Settings, tmp_path: Path) -> None:
    """The app held build/store open writable; a build swapped a new store in; when the app
    exited, RocksDB wrote into the new store's folder, and every later query failed with
    'Corruption'. A reader now holds its version read-only: its exit writes nothing."""
    build_and_publish(settings, _folder(tmp_path, GOOD[:1], "one"))
    holder = subprocess.Popen(
        [sys.executable, "-c",
         ("import sys, time; from pathlib import Path; from gongkai.store.lifecycle import open_store; "
          "from gongkai.settings import Settings; "
          f"s = open_store(Settings(root=Path({str(ROOT)!r}), build_dir=Path({str(settings.out_dir)!r}))); "
          "print(len(s), flush=True); sys.stdin.readline(); print(len(s), flush=True)")],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    first = int(holder.stdout.readline())
    build_and_publish(settings, _folder(tmp_path, GOOD, "three"))
    holder.stdin.write("\n")
    holder.stdin.flush()
    assert int(holder.stdout.readline()) == first  # it read its version to the end
    assert holder.wait(timeout=30) == 0
    res = CliRunner().invoke(app, ["query", "lists", "-f", "csv"], env={"GONGKAI_BUILD": str(settings.out_dir)})
    assert res.exit_code == 0, res.output
    assert len([ln for ln in res.stdout.splitlines() if ln.strip()]) == 1 + 3


def test_a_build_in_which_nothing_is_read_keeps_the_previous_build(settings: Settings, tmp_path: Path) -> None:
    build_and_publish(settings, _folder(tmp_path, GOOD[:2]))
    before = {p.name: p.read_bytes() for p in settings.out_dir.iterdir() if p.is_file() and p.name != ".lock"}
    kg = (settings.out_dir / "kg.trig").read_bytes()
    current = BuildFolder(settings.out_dir).current_id()
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "photo.xlsx").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    (bad / "empty.csv").write_bytes(b"")
    res = CliRunner().invoke(app, ["build", str(bad), "--out", str(settings.out_dir)])
    assert res.exit_code == 2
    assert "nothing was built" in " ".join(res.output.split()) and "previous build" in res.output
    assert BuildFolder(settings.out_dir).current_id() == current
    assert (settings.out_dir / "kg.trig").read_bytes() == kg
    assert {p.name: p.read_bytes() for p in settings.out_dir.iterdir() if p.is_file() and p.name != ".lock"} == before
    assert [p.name for p in (settings.out_dir / "versions").iterdir()] == [current]
    assert len(_lists(settings)) == 2


def test_what_killed_builds_left_is_removed_by_the_next_build(settings: Settings, tmp_path: Path) -> None:
    build_and_publish(settings, _folder(tmp_path, GOOD[:1]))
    root = settings.out_dir
    half = root / "versions" / "20000101T000000-1"   # a version whose writer was killed: no version.json
    (half / "store").mkdir(parents=True)
    (half / "kg.trig").write_text("half", encoding="utf-8")
    for leftover in ("store.new-123", "store.old-77", "oxigraph-server.new-5"):
        (root / leftover).mkdir()
    (root / "kg.trig.tmp").write_text("x", encoding="utf-8")
    build_and_publish(settings, _folder(tmp_path, GOOD[:2], "two"))
    assert not half.exists()
    assert not [p for p in root.iterdir() if ".new-" in p.name or ".old-" in p.name or p.name.endswith(".tmp")]


def test_a_second_writer_waits_for_the_first_and_says_so(settings: Settings) -> None:
    folder = BuildFolder(settings.out_dir)
    said: list[str] = []
    with (folder.writing(), pytest.raises(StoreError, match=r"being written by another gongkai process .*pid"),
          folder.writing(wait=0.5, say=said.append)):
        pass
    assert said and "waiting for another gongkai process" in said[0]
    with folder.writing(wait=0.5):  # free again
        pass


def test_two_concurrent_builds_leave_a_consistent_build(settings: Settings, tmp_path: Path) -> None:
    """Two builds started together on one folder (two processes), several rounds: each time the
    current version is whole — its store holds its kg.trig, its statistics describe it — and
    it is one of the two builds, not a mixture."""
    small, large = _folder(tmp_path, GOOD[:1], "small"), _folder(tmp_path, GOOD, "large")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    cmd = [sys.executable, "-m", "gongkai.cli", "build", "--out", str(settings.out_dir)]
    for _round in range(int(os.environ.get("GONGKAI_BUILD_ROUNDS", "3"))):
        procs = [subprocess.Popen([*cmd, str(f)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                  text=True) for f in (small, large)]
        for p in procs:
            assert p.wait(timeout=300) == 0, p.stderr.read()
        v = BuildFolder(settings.out_dir).current()
        assert v is not None and v.store_is_fresh()
        with open(v.path / "items.csv", encoding="utf-8-sig") as f:
            items = sum(1 for _ in csv.DictReader(f))
        stats = json.loads((v.path / "stats.json").read_text(encoding="utf-8"))
        assert stats["counts"]["items"] == items
        lists = _lists(settings)
        assert len(lists) in (1, 3) and json.loads((v.path / "version.json").read_text(encoding="utf-8"))["lists"] \
            == len(lists)
        assert [p.name for p in (settings.out_dir / "versions").iterdir()] == [v.id]


def test_an_update_and_an_import_are_new_versions(settings: Settings, tmp_path: Path) -> None:
    build_and_publish(settings, _folder(tmp_path, GOOD[:2]))
    reader = open_store(settings)
    graph = next(iter(_lists(settings)))
    _, v = change_store(settings, lambda st, _v: run_query(st, f"DROP GRAPH <{graph}>", allow_update=True))
    assert graph not in _lists(settings) and len(_lists(settings)) == 1
    assert reader.ask(f"ASK {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")  # the reader's version is untouched
    assert json.loads((v.path / "version.json").read_text(encoding="utf-8"))["base"] == reader.path.parent.name
    reader.close()


def test_a_failing_change_publishes_nothing(settings: Settings, tmp_path: Path) -> None:
    build_and_publish(settings, _folder(tmp_path, GOOD[:2]))
    current = BuildFolder(settings.out_dir).current_id()

    def change(store, _version):
        run_query(store, "DROP ALL", allow_update=True)
        raise StoreError("stopped half-way")

    with pytest.raises(StoreError, match="half-way"):
        change_store(settings, change)
    assert BuildFolder(settings.out_dir).current_id() == current and len(_lists(settings)) == 2
    assert [p.name for p in (settings.out_dir / "versions").iterdir()] == [current]


def test_an_older_flat_build_is_taken_in_as_a_version(settings: Settings, tmp_path: Path) -> None:
    from gongkai.pipeline.build import build

    build(settings, _folder(tmp_path, GOOD[:2]), settings.out_dir)  # plain kg.trig and items.csv
    assert (settings.out_dir / "kg.trig").is_file() and not (settings.out_dir / "kg.trig").is_symlink()
    assert len(_lists(settings)) == 2
    assert (settings.out_dir / "kg.trig").is_symlink() and BuildFolder(settings.out_dir).current() is not None


def test_a_damaged_store_is_a_clean_error(tmp_path: Path) -> None:
    (tmp_path / "store").mkdir()
    (tmp_path / "store" / "CURRENT").write_text("MANIFEST-000099\n", encoding="utf-8")
    with pytest.raises(StoreError, match="cannot open the store"):
        EmbeddedStore(tmp_path / "store", read_only=True)
    with pytest.raises(StoreError, match="not an embedded store"):
        EmbeddedStore(tmp_path, read_only=True)


def test_write_atomic_through_a_public_link_replaces_the_current_file(tmp_path: Path) -> None:
    (tmp_path / "v1").mkdir()
    (tmp_path / "v1" / "a.csv").write_text("old", encoding="utf-8")
    os.link(tmp_path / "v1" / "a.csv", tmp_path / "copy.csv")  # another version sharing the file
    os.symlink("v1/a.csv", tmp_path / "a.csv")
    write_atomic(tmp_path / "a.csv", "new")
    assert (tmp_path / "a.csv").is_symlink() and (tmp_path / "a.csv").read_text(encoding="utf-8") == "new"
    assert (tmp_path / "copy.csv").read_text(encoding="utf-8") == "old"
    assert not list(tmp_path.glob("v1/*.tmp-*"))


# --- a worker that dies ---------------------------------------------------------------------

def _dies_on_killer(job):
    """Read the file as the build does, but die (as the out-of-memory killer would make it) on
    a file named killer.txt. Runs in the forked workers, where it replaces ``_ingest_one``."""
    if job[0].name == "killer.txt":
        os.kill(os.getpid(), signal.SIGKILL)
    return _REAL_INGEST_ONE(job)


_REAL_INGEST_ONE = ingest_module._ingest_one


def test_a_killed_worker_fails_only_its_own_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    names = [p.name for p in sorted(RAW.iterdir()) if p.suffix in (".txt", ".csv", ".xlsx", ".html", ".docx")
             and p.name != "sources.csv"][:9]
    folder = _folder(tmp_path, names)
    (folder / "killer.txt").write_text("不是清单", encoding="utf-8")
    monkeypatch.setattr(ingest_module, "_ingest_one", _dies_on_killer)
    seen: list[FileResult] = []
    results = ingest_folder(folder, Settings(root=ROOT), progress=seen.append, workers=2)
    failed = {r.path.name: r.error for r in results if not r.ok}
    assert list(failed) == ["killer.txt"], failed
    assert "the process reading it was killed" in failed["killer.txt"]
    assert sorted(r.path.name for r in results if r.ok) == sorted(names)
    assert len(seen) == len(names) + 1  # each file reported once


def test_time_spent_waiting_is_bounded() -> None:
    """The lock is polled, not busy: a writer that gives up after 0.3 s returns in about that."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        folder = BuildFolder(Path(tmp))
        with folder.writing():
            t0 = time.monotonic()
            with pytest.raises(StoreError), folder.writing(wait=0.3):
                pass
            assert time.monotonic() - t0 < 2.0


def test_graph_names_of_a_version_match_its_store(settings: Settings, tmp_path: Path) -> None:
    from gongkai.store.push import graphs_of_file

    v = build_and_publish(settings, _folder(tmp_path, GOOD[:2])).version
    store = EmbeddedStore(v.store, read_only=True)
    assert {n for n, _ in graphs_of_file(v.graph)} == set(store.graphs())
    assert all(isinstance(g, URIRef) for g in store.graphs())


def test_queries_during_builds_always_see_a_whole_build(settings: Settings, tmp_path: Path) -> None:
    """Queries run while builds publish new versions (they once failed now and then with a
    'Corruption' traceback, meeting a store half swapped): each sees one build, whole."""
    import threading

    small, large = _folder(tmp_path, GOOD[:1], "small"), _folder(tmp_path, GOOD, "large")
    build_and_publish(settings, small)
    seen: list[int] = []
    errors: list[BaseException] = []
    stop = threading.Event()

    def query() -> None:
        while not stop.is_set():
            try:
                seen.append(len(_lists(settings)))
            except BaseException as e:
                errors.append(e)

    reader = threading.Thread(target=query)
    reader.start()
    try:
        for folder in (large, small, large):
            build_and_publish(settings, folder)
    finally:
        stop.set()
        reader.join()
    assert not errors, errors[:3]
    assert seen and set(seen) <= {1, 3}
