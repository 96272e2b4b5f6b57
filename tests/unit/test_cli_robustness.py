"""The command line against what users' systems hand it: output into a pipe or a log,
long paths, file names whose bytes are not UTF-8 (GBK names from a zip made on a Chinese
Windows), arguments that are not UTF-8, and a --base that is not an IRI.

The commands run in processes of their own, as a user's shell runs them: their output
goes into pipes, and ``COLUMNS=80`` says the terminal around them is 80 columns wide.
Arguments that are not UTF-8 are given as bytes, as a GBK terminal would give them.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import typer.main
from typer.testing import CliRunner

from gongkai.cli.common import app
from gongkai.model import readable_name

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "data" / "raw" / "zhongwei-yunjisuan-2021.txt"
GBK_NAME = "中卫市云计算清单.txt"
LIMIT = "形成之日起5个工作日内"


def gongkai(*args: str | bytes | Path) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "COLUMNS": "80", "GONGKAI_HOME": str(ROOT)}
    for var in ("TTY_COMPATIBLE", "FORCE_COLOR", "GONGKAI_ENDPOINT", "GONGKAI_BUILD"):
        env.pop(var, None)
    return subprocess.run([sys.executable, "-m", "gongkai.cli", *args], capture_output=True, timeout=300,
                          env=env, cwd=ROOT)


def lines(stream: bytes) -> list[str]:
    """The lines of an output, which must be UTF-8 (strict: a stray byte fails the test)."""
    return stream.decode("utf-8").splitlines()


# --- output into a pipe: one line per message ---------------------------------------------

@pytest.fixture
def long_dir(tmp_path: Path) -> Path:
    """A folder whose path is 150 characters long."""
    folder = tmp_path / ("long-folder-" + "x" * max(1, 150 - len(str(tmp_path)) - 13))
    assert len(str(folder)) >= 150
    folder.mkdir()
    return folder


def test_messages_naming_a_150_character_path_stay_on_one_line(long_dir: Path) -> None:
    """Into a pipe, rich wrapped every message at 80 columns (a path cut in two in a log)."""
    out = long_dir / "due.txt"
    r = gongkai("deadline", "--time-limit", LIMIT, "--event-date", "2026-09-28", "-o", out)
    assert r.returncode == 0, r.stderr.decode()
    assert lines(r.stderr) == [f"→ {out}"]
    missing = long_dir / "calendar.csv"
    r = gongkai("deadline", "--time-limit", LIMIT, "--event-date", "2026-09-28", "--calendar", missing)
    assert r.returncode == 2
    assert lines(r.stderr) == [f"error: {missing}: cannot read the file (No such file or directory)"]
    csv_out = long_dir / "seed.csv"
    r = gongkai("ingest", SEED, "-o", csv_out)
    assert r.returncode == 0, r.stderr.decode()
    (summary,) = lines(r.stderr)
    assert summary.startswith(f"{SEED.name}: 中卫市云计算和大数据发展局 2021-06-16 — 18 items")
    assert summary.endswith(f"→ {csv_out}")


# --- file names whose bytes are not UTF-8 ---------------------------------------------------

def test_readable_name_decodes_gbk_and_escapes_what_is_not() -> None:
    gbk = os.fsdecode(GBK_NAME.encode("gbk"))
    assert gbk != GBK_NAME and readable_name(gbk) == GBK_NAME
    assert readable_name(f"/tmp/数据/{gbk}: describes the same list as a.txt") == \
        f"/tmp/数据/{GBK_NAME}: describes the same list as a.txt"
    assert readable_name(os.fsdecode(b"list-\xff\xfe.txt")) == "list-\\xff\\xfe.txt"
    assert readable_name("清单.txt") == "清单.txt"


def _gbk_copy(folder: Path, name: bytes = GBK_NAME.encode("gbk"), source: Path = SEED) -> bytes:
    """A copy of ``source`` under a name in bytes (os.fsencode), as unzip leaves it."""
    folder.mkdir(exist_ok=True)
    path = os.path.join(os.fsencode(folder), name)
    shutil.copyfile(source, path)
    return path


def test_ingest_of_a_file_named_in_gbk(tmp_path: Path) -> None:
    """It crashed (UnicodeEncodeError) writing the CSV, whose source_file held the name."""
    path = _gbk_copy(tmp_path / "raw")
    out = tmp_path / "x.csv"
    r = gongkai("ingest", path, "-o", out)
    assert r.returncode == 0, r.stderr.decode(errors="replace")
    assert lines(r.stderr)[0].startswith(f"{GBK_NAME}: 中卫市云计算和大数据发展局 2021-06-16 — 18 items")
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert len(rows) == 18 and {row["source_file"] for row in rows} == {GBK_NAME}
    ttl = tmp_path / "x.ttl"
    assert gongkai("ingest", path, "-o", ttl).returncode == 0
    assert f'"{GBK_NAME}"' in ttl.read_text(encoding="utf-8")          # the source file's dcterms:title


def test_build_of_a_folder_with_names_in_gbk_and_in_no_encoding(tmp_path: Path) -> None:
    """build crashed after kg.trig was written (items.csv); now the graph, the CSV, the
    summary, the failure messages, the validation report and the statistics name the files
    readably: GBK decoded, bytes that are no text as \\xNN."""
    raw = tmp_path / "raw"
    _gbk_copy(raw)
    with open(os.path.join(os.fsencode(raw), b"list-\xff.txt"), "w", encoding="utf-8") as f:
        f.write("hello")
    out = tmp_path / "build"
    r = gongkai("build", raw, "--out", out)
    assert r.returncode == 1, r.stderr.decode(errors="replace")        # one file failed
    stdout, stderr = lines(r.stdout), lines(r.stderr)
    assert any(ln.startswith(GBK_NAME) and "text-table" in ln for ln in stdout), stdout
    assert any(ln.startswith("list-\\xff.txt") and "FAILED" in ln for ln in stdout), stdout
    assert f"failed: {raw}/list-\\xff.txt: not a disclosure list: no table recognised" in "\n".join(stderr)
    assert {row["source_file"] for row in csv.DictReader(io.StringIO(
        (out / "items.csv").read_text(encoding="utf-8-sig")))} == {GBK_NAME}
    assert f'"{GBK_NAME}"' in (out / "kg.trig").read_text(encoding="utf-8")
    for report in ("validation.json", "stats.json"):
        json.loads((out / report).read_text(encoding="utf-8"))
    assert (out / "validation.csv").read_text(encoding="utf-8-sig")


def test_validate_names_a_file_in_gbk_readably(tmp_path: Path) -> None:
    path = _gbk_copy(tmp_path / "raw", "坏清单.txt".encode("gbk"), ROOT / "README.md")
    r = gongkai("validate", path)
    assert r.returncode == 2
    (message,) = lines(r.stderr)
    assert message.startswith(f"error: {tmp_path / 'raw' / '坏清单.txt'}: ")


# --- arguments that are not UTF-8 ----------------------------------------------------------

@pytest.mark.parametrize("args, name", [
    (["ingest", SEED, "--bureau", "中卫市".encode("gbk")], "--bureau"),
    (["deadline", "--time-limit", LIMIT.encode("gbk"), "--event-date", "2026-09-28"], "--time-limit"),
    (["deadline", "--bureau", "中卫".encode("gbk"), "--item", "17", "--event-date", "2026-09-28"], "--bureau"),
    (["query", "items_relying_on_source", "-p", b"source=\xff"], "--param"),
    (["legal", "trace", "预算法".encode("gbk")], "QUERY"),
    (["ingest", SEED, "--base", b"https://example.org/\xd6\xd0/"], "--base"),
], ids=["ingest --bureau", "deadline --time-limit", "deadline --bureau", "query -p", "legal trace", "--base"])
def test_text_that_is_not_utf8_is_one_clear_error(args: list, name: str) -> None:
    """It gave a traceback (UnicodeEncodeError) from deep inside."""
    r = gongkai(*args)
    assert r.returncode == 2, r.stderr.decode(errors="replace")
    (message,) = lines(r.stderr)
    assert message.startswith(f"error: {name}: the text is not UTF-8 (its bytes read as GB18030: ")
    assert r.stdout == b""


# --- --base ----------------------------------------------------------------------------------

def _commands_with_base() -> list[list[str]]:
    found: list[list[str]] = []

    def walk(command, path: list[str]) -> None:
        if any("--base" in p.opts for p in command.params):
            found.append(path)
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, [*path, name])

    walk(typer.main.get_command(app), [])
    return found


COMMANDS_WITH_BASE = _commands_with_base()


def test_every_command_that_mints_iris_takes_base() -> None:
    assert {" ".join(c) for c in COMMANDS_WITH_BASE} >= {
        "ingest", "build", "export", "publish", "queries", "query", "push", "serve", "validate",
        "deadline", "deadline check", "legal list", "legal trace"}


@pytest.mark.parametrize("command", COMMANDS_WITH_BASE, ids=" ".join)
def test_a_base_that_is_no_iri_is_refused_by_every_command(command: list[str]) -> None:
    """`ingest --base 'https://x.org/a"b/'` gave a traceback from rdflib's serializer."""
    r = CliRunner().invoke(app, [*command, "--base", 'https://example.org/a"b/'])
    assert r.exit_code == 2, r.output
    assert r.stderr.splitlines() == [
        ("error: --base: 'https://example.org/a\"b/' has '\"' at position 22, which an IRI cannot hold "
         "(write it %22, or leave it out)")]


@pytest.mark.parametrize("base, message", [
    ("https://example.org/a b/", "has a space at position 22"),
    ("https://example.org/<a>/", "has '<' at position 21"),
    ("https://example.org/a|b/", "has '|' at position 22"),
    ("https://example.org/a\tb/", "has '\\t' at position 22"),
    ("example.org/gongkai/", "is not an absolute http:// or https:// IRI"),
    ("urn:gongkai:", "is not an absolute http:// or https:// IRI"),
    ("https:///gongkai/", "is not an absolute http:// or https:// IRI"),
    ("https://example.org/?base=", "has '?' (a query)"),
    ("https://example.org/a#b/", "has '#' (a fragment)"),
    ("https://example.org/%zz/", "is not a valid IRI"),
])
def test_a_base_that_is_no_iri_gets_a_message_naming_what_is_wrong(base: str, message: str) -> None:
    r = CliRunner().invoke(app, ["ingest", str(SEED), "--base", base])
    assert r.exit_code == 2, r.output
    (line,) = r.stderr.splitlines()
    assert line.startswith(f"error: --base: {base!r} ") and message in line, line


@pytest.mark.parametrize("base", ["https://example.org/kg/", "https://example.org/kg#", "http://example.org/kg",
                                  "https://例子.中国/数据/"])
def test_a_good_base_is_used(base: str, tmp_path: Path) -> None:
    out = tmp_path / "seed.nt"
    r = CliRunner().invoke(app, ["ingest", str(SEED), "-o", str(out), "--base", base])
    assert r.exit_code == 0, r.output
    minted = base if base.endswith(("/", "#")) else base + "/"
    assert f"<{minted}list/" in out.read_text(encoding="utf-8")
