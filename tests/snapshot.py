"""Record what gongkai produces, to show that a change of the code's layout changes none of it.

    .venv/bin/python tests/snapshot.py record /tmp/before     # before the change
    .venv/bin/python tests/snapshot.py record /tmp/after      # after it
    .venv/bin/python tests/snapshot.py compare /tmp/before /tmp/after

``record`` builds data/raw at a fixed time (``SOURCE_DATE_EPOCH``) and keeps the build's files
(kg.trig, items.csv, the validation reports, stats.json), runs every library query with ``-f csv``
(with its default parameters), the commands shown in the README, and every command's ``--help``,
and keeps what each printed (standard output, standard error, exit code) and every file it wrote
(a published site as one hash per file). What changes from run to run by nature — the temporary
folder's path, the build version's id, milliseconds — is replaced by a placeholder. ``compare``
names every file that differs; it exits 0 when none does.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EPOCH = "1767225600"  # 2026-01-01T00:00:00Z
BUILD_FILES = ("kg.trig", "items.csv", "validation.csv", "validation.json", "completeness.csv", "coverage.csv",
               "stats.json")
RAW = "data/raw"
ZHONGWEI = f"{RAW}/zhongwei-yunjisuan-2021.txt"
#: the README's commands (after `gongkai`), with {out} the build folder and {tmp} a scratch folder
COMMANDS: list[list[str]] = [
    ["ingest", ZHONGWEI, "-o", "{tmp}/seed.csv"],
    ["ingest", ZHONGWEI, "-o", "{tmp}/seed.ttl"],
    ["ingest", f"{RAW}/songming-weijian.xlsx", "--bureau", "某县教育局", "-o", "{tmp}/list.ttl"],
    ["legal", "list"],
    ["legal", "trace", "预算法"],
    ["legal", "trace", "国办发〔2018〕10号"],
    ["legal", "trace", "zfxxgktl"],
    ["legal", "trace", "条例", "--all"],
    ["query", "items_relying_on_source", "-p", "source=https://w3id.org/gongkai/legal/guobanfa/2018/10"],
    ["query", "citations_not_in_force", "-p", "at=2021-06-16", "-f", "csv"],
    ["query", "lists"],
    ["query", "standard_item_across_bureaus", "-p", "name=政府信息公开年报", "-f", "csv", "-o", "{tmp}/annual.csv"],
    ["queries"],
    ["queries", "--lang", "en"],
    ["validate"],
    ["validate", ZHONGWEI, "--lang", "en"],
    ["validate", "{out}/kg.trig", "--format", "xlsx", "-o", "{tmp}/report.xlsx"],
    ["validate", "{out}/kg.trig", "--format", "csv", "-o", "{tmp}/report.csv", "--completeness",
     "{tmp}/completeness.csv", "--coverage", "{tmp}/coverage.csv"],
    ["deadline", "--bureau", "中卫市云计算和大数据发展局", "--item", "17", "--event-date", "2026-09-28"],
    ["deadline", "--time-limit", "财政部门批复后20日内", "--event-date", "2026-09-13", "--lang", "en"],
    ["deadline", "--time-limit", "形成之日起5个工作日内", "--event-date", "2026-12-28"],
    ["deadline", "--upcoming", "--from", "2026-01-01", "--to", "2026-12-31", "--format", "csv"],
    ["export", "--format", "jsonld", "--list", "中卫市云计算和大数据发展局", "-o", "{tmp}/zhongwei.jsonld"],
    ["export", "-o", "{tmp}/kg.ttl"],
    ["export", "-o", "{tmp}/items.csv"],
    ["publish", "--from", RAW, "--out", "{tmp}/site", "--base", "http://127.0.0.1:8000/"],
]
HELP: list[list[str]] = [[], ["ingest"], ["build"], ["validate"], ["legal"], ["legal", "list"], ["legal", "trace"],
                         ["queries"], ["query"], ["push"], ["serve"], ["deadline"], ["deadline", "check"],
                         ["export"], ["publish"], ["check-site"]]


def _normalise(text: str, out: Path, tmp: Path) -> str:
    text = text.replace(str(out), "<OUT>").replace(str(tmp), "<TMP>").replace(str(ROOT), "<ROOT>")
    text = re.sub(r"\d{8}T\d{6}-\d+(?:-\d+)?", "<VERSION>", text)
    text = re.sub(r"\b\d+(?:\.\d+)? ms\b", "<ms>", text)
    text = re.sub(r"\b\d+(?:\.\d+)? s\b", "<s>", text)  # durations such as "3.2 s"
    return re.sub(r'"mtime_ns": \d+', '"mtime_ns": <mtime>', text)  # when a file was written


def _run(args: list[str], out: Path, tmp: Path) -> dict[str, object]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "GONGKAI_BUILD": str(out), "COLUMNS": "160",
           "GONGKAI_HOME": str(ROOT)}
    env.pop("GONGKAI_ENDPOINT", None)
    argv = [a.format(out=out, tmp=tmp) for a in args]
    r = subprocess.run([sys.executable, "-m", "gongkai.cli", *argv], cwd=ROOT, env=env, capture_output=True,
                       text=True, timeout=900)
    return {"args": [_normalise(a, out, tmp) for a in argv], "exit": r.returncode,
            "stdout": _normalise(r.stdout, out, tmp), "stderr": _normalise(r.stderr, out, tmp)}


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _keep(path: Path, dest: Path, out: Path, tmp: Path) -> None:
    """A file written by a command: text normalised, binary (xlsx) as the hash of its cells."""
    if path.suffix == ".xlsx":
        import openpyxl

        wb = openpyxl.load_workbook(path)
        cells = [[ws.title, *[[c.value for c in row] for row in ws.iter_rows()]] for ws in wb.worksheets]
        dest.write_text(json.dumps(cells, ensure_ascii=False, default=str, indent=0), encoding="utf-8")
    else:
        dest.write_text(_normalise(path.read_text(encoding="utf-8-sig"), out, tmp), encoding="utf-8")


def record(target: Path) -> None:
    if target.exists():
        shutil.rmtree(target)
    (target / "build").mkdir(parents=True)
    (target / "commands").mkdir()
    (target / "files").mkdir()
    with tempfile.TemporaryDirectory(prefix="gongkai-snapshot-") as scratch:
        out, tmp = Path(scratch) / "build", Path(scratch) / "tmp"
        tmp.mkdir()
        steps = [("build", _run(["build", "--out", str(out)], out, tmp))]
        for name in BUILD_FILES:
            _keep(out / name, target / "build" / name, out, tmp)
        listing = _run(["queries", "--lang", "en"], out, tmp)
        names = sorted(p.stem for p in (ROOT / "queries").glob("*.rq"))
        steps += [(f"query-{n}", _run(["query", n, "-f", "csv"], out, tmp)) for n in names]
        steps += [(f"cmd-{k:02d}", _run(c, out, tmp)) for k, c in enumerate(COMMANDS)]
        steps += [(f"help-{'-'.join(h) or 'gongkai'}", _run([*h, "--help"], out, tmp)) for h in HELP]
        steps.append(("queries-listing", listing))
        for name, step in steps:
            (target / "commands" / f"{name}.json").write_text(json.dumps(step, ensure_ascii=False, indent=1),
                                                              encoding="utf-8")
        for path in sorted(tmp.rglob("*")):
            if not path.is_file():
                continue
            rel = path.relative_to(tmp)
            if rel.parts[0] == "site":
                with open(target / "files" / "site.sha256", "a", encoding="utf-8") as f:
                    f.write(f"{_digest(path)}  {rel}\n")
            else:
                _keep(path, target / "files" / str(rel).replace("/", "__"), out, tmp)


def compare(a: Path, b: Path) -> int:
    names = {p.relative_to(a) for p in a.rglob("*") if p.is_file()} | \
            {p.relative_to(b) for p in b.rglob("*") if p.is_file()}
    differ = [n for n in sorted(names)
              if not (a / n).is_file() or not (b / n).is_file() or (a / n).read_bytes() != (b / n).read_bytes()]
    for n in differ:
        print(f"differs: {n}")
    print(f"{len(names)} files compared, {len(differ)} differ")
    return 1 if differ else 0


def main(argv: list[str]) -> int:
    if len(argv) == 2 and argv[0] == "record":
        record(Path(argv[1]))
        return 0
    if len(argv) == 3 and argv[0] == "compare":
        return compare(Path(argv[1]), Path(argv[2]))
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
