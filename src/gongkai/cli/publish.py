"""`gongkai export` and `gongkai publish`: the graph as files, and as a static linked-data site."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from gongkai.cli.common import BaseOpt, app, err, fail, out, settings_from, store_progress
from gongkai.errors import GongkaiError
from gongkai.settings import Settings

if TYPE_CHECKING:
    from gongkai.publish.source import Source

# The package is imported inside each command, not here: `gongkai --help` and a mistyped
# option answer in 0.2 s instead of 0.8 s (rdflib, pyoxigraph and the readers load only
# for the command that needs them).

FromOpt = typer.Option(None, "--from",
                       help="Build from files instead of the build's store: a folder of lists (e.g. data/raw) or a "
                            "graph file (build/kg.trig, .nq, .ttl). Default: the build's store (GONGKAI_BUILD, else "
                            "build/), with the lists imported in the app since the build.")


def _load(settings: Settings, source: Path | None, label: str) -> Source:
    from gongkai.publish.source import load

    if source is None:
        from gongkai.errors import StoreError

        try:
            with store_progress() as progress:
                return load(settings, None, store_progress=progress)
        except StoreError as e:
            raise StoreError(f"{e} (or build from the files: --from {settings.raw_dir})") from None
    folder = source if source.is_dir() else None
    total = sum(1 for _ in folder.iterdir()) if folder is not None else None
    with Progress(console=err, transient=True) as progress:
        task = progress.add_task(label, total=total)
        src = load(settings, source, progress=lambda _: progress.advance(task))
    for failure in src.failed:
        err.print(f"[bold red]failed:[/] {failure}", highlight=False, soft_wrap=True)
    return src


def _check_base(src: Source, base: str, source: Path | None) -> None:
    """A graph file built under another base would publish no page for its lists."""
    from gongkai.publish.export import lists_in
    from gongkai.publish.layout import Layout

    if source is not None and not source.is_file():
        return
    lists = lists_in(src.quads)
    layout = Layout(base)
    if lists and not any(r.iri.startswith(layout.base) for r in lists):
        raise fail(f"{source or 'the build'}: its lists' IRIs ({lists[0].iri} …) are not under --base {layout.base}; "
                   "pass the base the graph was built with, or build from the lists with --from data/raw")


@app.command()
def export(
    fmt: str | None = typer.Option(None, "--format", "-f",
        help="ttl, trig, nt, nq, jsonld, rdfxml or csv (default: the output's extension, else ttl). "
             "jsonld is compacted with the curated context: named https://w3id.org/gongkai/context.jsonld "
             "under the default base, embedded under another."),
    chosen: list[str] = typer.Option([], "--list",
        help="Only this list (repeatable): its IRI, `<org-slug>/<date>`, or the bureau's name or IRI."),
    output: Path | None = typer.Option(None, "-o", "--output", help="File to write (default: standard output)."),
    source: Path | None = FromOpt,
    inline_context: bool = typer.Option(False, "--inline-context",
        help="JSON-LD: embed the context under the default base too (for readers offline)."),
    base: str = BaseOpt,
) -> None:
    """Export the whole knowledge graph, or chosen lists, in one format."""
    from gongkai.publish.export import EXPORT_FORMATS
    from gongkai.publish.jsonld import Context

    by_ext = {f.extension: f.name for f in EXPORT_FORMATS.values()}
    name = fmt or (by_ext.get(output.suffix.lower().lstrip(".")) if output is not None else None) or "ttl"
    if name not in EXPORT_FORMATS:
        raise fail(f"unknown format {name!r}; use one of {', '.join(EXPORT_FORMATS)}")
    settings = settings_from(base)
    try:
        src = _load(settings, source, "reading lists")
        if chosen:
            src = src.only(chosen)
        from gongkai.publish.export import export_bytes

        context = Context.load(settings.ontology_dir / "context.jsonld") if name == "jsonld" else None
        data = export_bytes(src.quads, name, lists=src.lists, base=settings.base, inline_context=inline_context,
                            context=context, items_table=src.items_table)
        if output is None:
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
        else:
            output.parent.mkdir(parents=True, exist_ok=True)
            tmp = output.with_name(output.name + ".tmp")
            tmp.write_bytes(data)
            tmp.replace(output)
            err.print(f"{name}: {len(data):,} bytes → {output}", highlight=False)
    except (GongkaiError, ValueError) as e:
        raise fail(str(e)) from e
    except OSError as e:
        raise fail(f"{output}: cannot write: {e.strerror or e}") from e
    if src.failed:
        raise typer.Exit(1)


@app.command()
def publish(
    out_dir: Path = typer.Option(Path("site"), "--out",
        help="Folder for the site (replaced if it holds a site published before)."),
    base: str = BaseOpt,
    source: Path | None = FromOpt,
    publisher: str | None = typer.Option(None, "--publisher",
        help="Who publishes the dataset (its DCAT dcterms:publisher). Default: publisher.toml's, beside the "
             "build folder (the dataset's title, description, licence and contact are also read there)."),
    license_url: str | None = typer.Option(None, "--license",
        help="The data's licence, as a URL (DCAT dcterms:license). Default: publisher.toml's."),
    workers: int | None = typer.Option(None, "--workers", help="Processes rendering pages (default: one per CPU)."),
) -> None:
    """Publish the graph as a static linked-data site: a page per list, item, bureau, legal
    source and concept (HTML, Turtle, JSON-LD side by side), ontology documentation, the
    DCAT/VoID description and downloads. Serve it with deploy/nginx.conf or deploy/apache.conf."""
    from gongkai.publish.publisher import load_publisher
    from gongkai.publish.site import publish_site

    settings = settings_from(base)
    try:
        about = load_publisher(settings)
        src = _load(settings, source, "reading lists")
        _check_base(src, settings.base, source)
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      console=err, transient=True) as progress:
            tasks: dict[str, TaskID] = {}

            def report(stage: str, done: int, total: int) -> None:
                if stage not in tasks:
                    tasks[stage] = progress.add_task(f"writing {stage}", total=total)
                progress.update(tasks[stage], completed=done, total=total)

            result = publish_site(src, out_dir, settings, publisher=publisher, license_url=license_url,
                                  progress=report, workers=workers, about=about)
    except GongkaiError as e:
        raise fail(str(e)) from e
    except OSError as e:
        raise fail(f"{out_dir}: cannot write: {e.strerror or e}") from e
    st = result.stats
    out.print(f"published {result.pages:,} pages ({result.files:,} files, {result.bytes / 1e6:.1f} MB) "
              f"→ {result.out} in {result.seconds:.1f} s; {st.triples:,} triples, "
              f"{len(src.lists or [])} lists", highlight=False)
    out.print(f"open {result.out / 'index.html'} or serve it: python -m http.server -d {result.out}", highlight=False)
    if src.failed:
        raise typer.Exit(1)
