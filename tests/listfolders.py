"""Folders of real lists for the tests that build: files of data/raw copied, with their rows
of data/raw/sources.csv (the bureau, date and parent the files do not say themselves)."""

from __future__ import annotations

import csv
import shutil
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"


def raw_lists(folder: Path, names: Iterable[str]) -> Path:
    """``folder`` (made) holding the data/raw files ``names`` and their sources.csv rows."""
    names = list(names)
    folder.mkdir(parents=True)
    for name in names:
        shutil.copy(RAW / name, folder / name)
    with open(RAW / "sources.csv", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        fields = list(reader.fieldnames or [])
        rows = [r for r in reader if r["file"] in names]
    if rows:
        with open(folder / "sources.csv", "w", encoding="utf-8", newline="") as f:
            w = csv.DictWriter(f, fieldnames=fields)
            w.writeheader()
            w.writerows(rows)
    return folder
