"""The texts of legal sources, article by article (data/authorities/laws/ and law-texts.csv).

``law-texts.csv`` links a version of the registry (its ``id``) to the Markdown file holding its
official text and says where that file was taken from. An article is a paragraph beginning
``第X条`` followed by a space; the paragraphs after it, up to the next article or heading, are its
text. Chapter and section headings (``## 第一章 总则``, ``### 第一节 …``) are skipped; the header
before the first heading (title, adoption and promulgation lines, ``<!-- … -->`` metadata) is not
part of any article.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import re
from dataclasses import dataclass
from pathlib import Path

from gongkai.errors import GongkaiError, InputError
from gongkai.legal.registry import LegalSource, Registry
from gongkai.legal.search import search
from gongkai.settings import Settings
from gongkai.text import cn_number, halfwidth

TEXTS_FILE = "law-texts.csv"


TEXTS_FOLDER = "laws"


TEXT_COLUMNS = ("source_id", "file", "title", "version_date", "repo", "path", "commit")


_NUMERAL = "0-9０-９零〇一二两三四五六七八九十百千"


_ARTICLE = re.compile(rf"^(?:\*\*)?(第([{_NUMERAL}]+)条)(?:\*\*)?(?:[ \u3000\t]+|$)(.*)$")


_REFERENCE = re.compile(rf"^\s*(?:第\s*)?([{_NUMERAL}]+)\s*(?:条)?\s*$")


_PINPOINT = re.compile(r"^第(\d+)条")


_HEADING = re.compile(r"^#+\s")


@dataclass(frozen=True)
class Article:
    """One article: its number, its designation as the text writes it (第十四条), its paragraphs."""

    number: int
    label: str
    text: str

    @property
    def short_label(self) -> str:
        """第14条, the form the lists and the graph's pinpoints use."""
        return f"第{self.number}条"


@dataclass(frozen=True)
class LawText:
    """The text of one version of a legal source and where it was taken from."""

    source_id: str
    file: str
    title: str
    repo: str
    path: str
    commit: str
    articles: tuple[Article, ...]

    def article(self, number: int) -> Article | None:
        return next((a for a in self.articles if a.number == number), None)

    @property
    def origin(self) -> str:
        """Where the text comes from, as one line: repository, path and commit."""
        return f"https://github.com/{self.repo}/blob/{self.commit}/{self.path}"


class ArticleLookupError(GongkaiError):
    """A law, a version or an article that the registry or the texts do not hold."""


@dataclass(frozen=True)
class Found:
    """An article found for a law and an article reference: the version it belongs to and why
    that version was chosen (``at`` the date asked for, or None for the latest version)."""

    version: LegalSource
    law: LawText
    article: Article
    at: dt.date | None
    versions: int


def find_article(registry: Registry, texts: dict[str, LawText], law: str, reference: str,
                 at: dt.date | None = None) -> Found:
    """The article ``reference`` (第十四条, 第14条, 14) of the law ``law`` (a title, alias, document
    number or pinyin initials, as ``legal.search`` takes them), in the version in force on ``at``
    or, without a date, the latest version. Raises ArticleLookupError saying what is missing."""
    number = article_number(reference)
    if number is None:
        raise ArticleLookupError(f"not an article number: {reference!r} (write 第十四条, 第14条 or 14)")
    hits = search(registry, law)
    if not hits:
        raise ArticleLookupError(f"no legal source matches {law!r} (`gongkai legal list` shows them all)")
    work = hits[0][0]
    chain = registry.versions(work)
    name = f"《{chain[-1].title}》"
    if at is None:
        version = chain[-1]
    else:
        found = registry.version_in_force(chain, at)
        if found is None:
            raise ArticleLookupError(f"{name}: no version is known to be in force on {at.isoformat()} "
                                  f"(versions: {_years(chain)})")
        version = found
    text = texts.get(version.id)
    if text is None:
        held = [v for v in chain if v.id in texts]
        also = f"; texts are held for {_years(held)} (choose one with --at)" if held else ""
        raise ArticleLookupError(f"{name}{_year(version, chain)}: the project holds no text of this version{also}")
    article = text.article(number)
    if article is None:
        raise ArticleLookupError(f"{name}{_year(version, chain)} has no 第{number}条: its articles run "
                              f"from 第1条 to 第{len(text.articles)}条")
    return Found(version=version, law=text, article=article, at=at, versions=len(chain))


def _year(version: LegalSource, chain: list[LegalSource]) -> str:
    return f"（{version.year}年）" if len(chain) > 1 and version.year else ""


def _years(chain: list[LegalSource]) -> str:
    return ", ".join(str(v.year or v.id) for v in chain)


def article_number(reference: str) -> int | None:
    """The article number in what people type: 第十四条, 第14条, 14, 十四 → 14; None otherwise."""
    m = _REFERENCE.match(halfwidth(reference or ""))
    if not m:
        return None
    n = cn_number(m.group(1))
    return n or None


def pinpoint_article(pinpoint: str) -> int | None:
    """The article of a citation's pinpoint label as the graph writes it (第14条, 第20条第2款 → 20)."""
    m = _PINPOINT.match(pinpoint.strip())
    return int(m.group(1)) if m else None


def parse_articles(markdown: str, file: str = "<text>") -> list[Article]:
    """The articles of a Markdown law text, in order. Raises InputError when the numbers do not
    run 1, 2, 3 … (a misread text, or an article the pattern does not know such as 第X条之一)."""
    articles: list[tuple[int, str, list[str]]] = []
    current: list[str] | None = None
    in_comment = False
    for line_no, raw in enumerate(markdown.splitlines(), 1):
        line = raw.strip().strip("\u200b\ufeff")
        if in_comment or line.startswith("<!--"):
            in_comment = "-->" not in line
            continue
        if not line:
            continue
        if _HEADING.match(line):
            # a heading (第一章 总则, 第一节 …, or 附件) ends the article before it
            current = None
            continue
        m = _ARTICLE.match(line)
        if m:
            number = cn_number(m.group(2))
            expected = len(articles) + 1
            if number != expected:
                raise InputError(file, f"article {m.group(1)} where 第{expected}条 was expected", row=line_no)
            current = [m.group(3).strip()] if m.group(3).strip() else []
            articles.append((expected, m.group(1), current))
        elif current is not None:
            current.append(line)
    return [Article(number=n, label=label, text="\n".join(paras)) for n, label, paras in articles]


def _read_index(path: Path) -> list[tuple[int, dict[str, str]]]:
    file = str(path)
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in TEXT_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise InputError(file, f"required column {missing[0]!r} is missing", row=1, cell=missing[0])
        rows = []
        for r in reader:
            values = {k: (v or "").strip() for k, v in r.items() if k}
            if not values.get("source_id") or not values.get("file"):
                raise InputError(file, "source_id and file are required", row=reader.line_num)
            rows.append((reader.line_num, values))
        return rows


def load_texts(directory: str | Path) -> dict[str, LawText]:
    """Every text listed in ``directory``/law-texts.csv, by registry id; {} when there is no index."""
    d = Path(directory)
    index = d / TEXTS_FILE
    if not index.is_file():
        return {}
    out: dict[str, LawText] = {}
    for line, r in _read_index(index):
        if r["source_id"] in out:
            raise InputError(str(index), f"{r['source_id']!r} is given a text twice", row=line, cell="source_id")
        md = d / TEXTS_FOLDER / r["file"]
        if not md.is_file():
            raise InputError(str(index), f"no file {md}", row=line, cell="file")
        arts = parse_articles(md.read_text(encoding="utf-8"), str(md))
        if not arts:
            raise InputError(str(md), "no article (第一条 …) found")
        out[r["source_id"]] = LawText(source_id=r["source_id"], file=r["file"], title=r["title"],
                                      repo=r["repo"], path=r["path"], commit=r["commit"], articles=tuple(arts))
    return out


def law_texts(settings: Settings) -> dict[str, LawText]:
    """The project's article texts (cached per folder)."""
    return _texts(str(settings.authorities_dir))


@functools.lru_cache(maxsize=4)
def _texts(folder: str) -> dict[str, LawText]:
    return load_texts(folder)
