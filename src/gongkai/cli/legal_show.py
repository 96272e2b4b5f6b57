"""`gongkai legal show LAW ARTICLE`: the text of one article of a legal source."""

from __future__ import annotations

import typer

from gongkai.cli.common import BaseOpt, fail, out, settings_from
from gongkai.cli.legal import legal_app


@legal_app.command("show")
def legal_show(
    law: str = typer.Argument(..., help="A title (政府信息公开条例), an alias (预算法), a document number "
                                        "(国务院令第711号) or pinyin initials (ysf)."),
    article: str = typer.Argument(..., help="The article: 第十四条, 第14条 or 14."),
    at: str | None = typer.Option(None, "--at", help="Show the version in force on this date, YYYY-MM-DD "
                                                     "(default: the latest version)."),
    base: str = BaseOpt,
) -> None:
    """The official text of an article, saying which version of the law it comes from and where
    the text was taken from (data/authorities/laws/)."""
    from gongkai.deadlines.catalogue import parse_date
    from gongkai.legal.articles import ArticleLookupError, find_article, law_texts
    from gongkai.legal.registry import registry
    from gongkai.rdf.iris import IRIs

    settings = settings_from(base)
    reg = registry(settings)
    if reg is None:
        raise fail(f"no authority data in {settings.authorities_dir}")
    day = None
    if at is not None:
        day = parse_date(at)
        if day is None:
            raise fail(f"--at: not a date: {at!r} (expected YYYY-MM-DD)")
    try:
        found = find_article(reg, law_texts(settings), law, article, day)
    except ArticleLookupError as e:
        raise fail(str(e)) from e
    v = found.version
    year = f"（{v.year}年）" if found.versions > 1 and v.year else ""
    number = f" {v.doc_number}" if v.doc_number else ""
    why = (f"the version in force on {found.at.isoformat()}" if found.at
           else "the latest version" if found.versions > 1 else "the only version")
    out.print(f"[bold]《{v.title}》{year}{number} {found.article.label}[/]", highlight=False)
    out.print(f"[dim]{why}: {v.id}, in force from {v.in_force or 'date not recorded'}[/]", highlight=False)
    out.print("")
    out.print(found.article.text, highlight=False, markup=False)
    out.print("")
    out.print(f"[dim]{reg.iri(v, IRIs(settings.base))}/art_{found.article.number}[/]", highlight=False)
    out.print(f"[dim]text: {found.law.origin}[/]", highlight=False, soft_wrap=True)
