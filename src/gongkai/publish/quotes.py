"""The text of the articles citations pin, quoted beside the pinpoints on item and law pages.

The graph holds the official text of an article (``gk:articleText``) on ``<version>/art_<n>``
for each version whose text the project keeps. A citation's pinpoint may go deeper than the
article (``…/art_20/para_2``, ``…/art_20/point_7``); the whole article it belongs to is quoted.
A citation whose version is undetermined (``gk:versionUndetermined``: an undated list citing a
law with several versions) gets no quote, since which version's article it cites is not known,
but a note saying so when a version of the law has that article's text. Where no text is held,
nothing is added.
"""

from __future__ import annotations

import re

from gongkai.publish.corpus import Corpus
from gongkai.publish.html import bi, esc, link
from gongkai.publish.jsonld import natural_key
from gongkai.publish.render import Writer
from gongkai.rdf.namespaces import ELI, GK

ARTICLE_TEXT = str(GK.articleText)
_NUMBER = str(ELI.number)
_VERSION_OF = str(GK.versionOf)
_ARTICLE = re.compile(r"art_\d+")


def article_of(resource: str, pinpoint: str) -> str | None:
    """The article ``<resource>/art_<n>`` a pinpoint of ``resource`` belongs to
    (``…/art_20/point_7`` → ``…/art_20``); None for anything else."""
    prefix = resource + "/"
    if not pinpoint.startswith(prefix):
        return None
    head = pinpoint[len(prefix):].split("/", 1)[0]
    return prefix + head if _ARTICLE.fullmatch(head) else None


class Quotes:
    """Quotes of article texts for the pages of one corpus."""

    def __init__(self, corpus: Corpus):
        self.corpus = corpus

    def text(self, article: str) -> str | None:
        return self.corpus.fact(article, ARTICLE_TEXT)

    def quote(self, w: Writer, article: str) -> str:
        """The article's number (linked to it) and its text, or '' when no text is held."""
        text = self.text(article)
        if text is None:
            return ""
        number = self.corpus.fact(article, _NUMBER) or self.corpus.label(article) or article.rsplit("/", 1)[-1]
        summary = f'{link(w.href(article), esc(number))} {bi("条文", "text of the article")}'
        return (f'<details class="article" open><summary>{summary}</summary>'
                f'<blockquote class="raw" lang="zh">{esc(text)}</blockquote></details>')

    def for_citation(self, w: Writer, resource: str, pinpoints: list[str], undetermined: bool) -> str:
        """Below a citation of ``resource``: the text of each article its pinpoints belong to,
        once each, in their order; for an undetermined version, a note instead of any text."""
        articles = list(dict.fromkeys(a for p in sorted(pinpoints, key=natural_key)
                                      if (a := article_of(resource, p)) is not None))
        if not articles:
            return ""
        if undetermined:
            return self._undetermined(resource, articles)
        return "".join(self.quote(w, a) for a in articles)

    def _undetermined(self, resource: str, articles: list[str]) -> str:
        """A note, when any version of the cited law holds the text of a pinned article: the
        cited resource is the work (or its earliest version), so look at every version of it."""
        versions = {resource, *self.corpus.refs(resource, _VERSION_OF)}
        suffixes = [a[len(resource):] for a in articles]
        if not any(self.text(v + s) is not None for v in versions for s in suffixes):
            return ""
        return ('<p class="article"><span class="tag warn">版本未定 version undetermined</span> '
                + bi("无法确定所引为哪一版本，故不引用条文。",
                     "Which version is cited is not determined, so the article's text cannot be chosen.")
                + "</p>")
