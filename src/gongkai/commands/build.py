"""`gongkai ingest` and `gongkai build`."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.table import Table

from ..errors import GongkaiError
from .common import BaseOpt, app, err, fail, out, settings_from


@app.command()
def ingest(
    file: Path = typer.Argument(..., help="A disclosure list: PDF-extracted text table (.txt), and more formats as readers are added."),
    output: Optional[Path] = typer.Option(None, "-o", "--output",
        help="Where to write the list. The extension picks the format: .ttl .trig .nt .nq .jsonld .rdf (RDF) or .csv (one row per item, UTF-8 with BOM)."),
    bureau: Optional[str] = typer.Option(None, help="The publishing bureau, when the file does not name it (责任单位)."),
    base: str = BaseOpt,
) -> None:
    """Read ONE list, parse it, and write it as RDF or CSV (nothing is written if any row fails)."""
    from ..export import SUPPORTED_EXTENSIONS, write_output
    from ..ingest import ingest_file
    from ..kg import map_context
    from ..rdf.mapping import map_list

    settings = settings_from(base)
    if output is not None and output.suffix.lower() not in SUPPORTED_EXTENSIONS:
        raise fail(f"{output}: unknown output format {output.suffix or '(no extension)'!r}; "
                   f"use one of {' '.join(SUPPORTED_EXTENSIONS)}")
    try:
        dl = ingest_file(file, settings, bureau=bureau)
        graph = map_list(dl, map_context(settings))
        if output is not None:
            output.parent.mkdir(parents=True, exist_ok=True)
            write_output(output, [dl], [graph], base)
    except GongkaiError as e:
        raise fail(str(e))
    except OSError as e:
        raise fail(f"{output}: cannot write: {e.strerror or e}")
    parsed = sum(1 for it in dl.items if it.time_limit and it.time_limit.parsed)
    err.print(f"{file.name}: {dl.bureau.name} {dl.date or 'undated'} — {len(dl.items)} items, "
              f"{sum(len(it.citations) for it in dl.items)} citations, {parsed} time limits parsed, "
              f"{len(dl.warnings)} warnings" + (f" → {output}" if output else ""), highlight=False)
    for w in dl.warnings:
        err.print(f"  [yellow]warning:[/] {w}", highlight=False)


@app.command()
def build(
    folder: Optional[Path] = typer.Argument(None, help="Folder of lists (default: data/raw)."),
    out_dir: Optional[Path] = typer.Option(None, "--out", help="Output folder (default: build/)."),
    base: str = BaseOpt,
) -> None:
    """Ingest every list in data/raw into build/: kg.trig (ontology, vocabularies and one named
    graph per list) and items.csv; print a summary per file. Exit 1 if any file failed."""
    from rich.progress import Progress

    from ..build import build as run_build

    settings = settings_from(base, build_dir=out_dir)
    folder = folder or settings.raw_dir
    try:
        n_files = sum(1 for _ in folder.iterdir()) if folder.is_dir() else 0
        with Progress(console=err, transient=True) as progress:
            task = progress.add_task("reading lists", total=n_files)
            result = run_build(settings, folder, out_dir,
                               progress=lambda r: progress.advance(task))
    except GongkaiError as e:
        raise fail(str(e))
    table = Table(title=f"gongkai build → {result.out_dir}", show_lines=False)
    for col in ("file", "format", "bureau", "date", "items", "citations", "time limits parsed", "warnings"):
        table.add_column(col, overflow="fold")
    for r in result.files:
        if r.dl is None:
            table.add_row(r.path.name, "", "[red]FAILED[/]", "", "", "", "", "")
            continue
        dl = r.dl
        parsed = sum(1 for it in dl.items if it.time_limit and it.time_limit.parsed)
        table.add_row(r.path.name, dl.source_format, dl.bureau.name, str(dl.date or "undated"),
                      str(len(dl.items)), str(sum(len(it.citations) for it in dl.items)),
                      f"{parsed}/{len(dl.items)}", str(len(dl.warnings)))
    lists = result.lists
    table.add_section()
    table.add_row(f"{len(lists)} lists", "", f"{len({dl.bureau.name for dl in lists})} bureaus", "",
                  str(sum(len(dl.items) for dl in lists)),
                  str(sum(len(it.citations) for dl in lists for it in dl.items)),
                  str(sum(1 for dl in lists for it in dl.items if it.time_limit and it.time_limit.parsed)),
                  str(sum(len(dl.warnings) for dl in lists)))
    out.print(table)
    for r in result.failed:
        err.print(f"[bold red]failed:[/] {r.error}", highlight=False, soft_wrap=True)
    if result.failed:
        raise typer.Exit(1)
