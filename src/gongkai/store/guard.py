"""What gongkai lets a query do: read, not write; send no request to another server unless
that server is allowed; stop in time.

- **Read-only, decided by a real parser.** A text is a query when rdflib's SPARQL parser
  (``parseQuery``) reads it as one; an update only when ``parseUpdate`` reads it as one. A
  text that is not a read-only query is refused before it is sent or run, unless updates
  are allowed (and then it must parse as an update). A text neither parser reads is refused
  with the parser's complaint and its line and column. Parsing costs milliseconds (50 ms
  for a library query), so what a text is, is kept by text (``parsed``).
- **SERVICE** makes the server that runs a query send a request to another one (pyoxigraph
  runs it itself), so a query from a user could read internal pages through it. Every
  ``SERVICE`` in the parse tree — at any depth: OPTIONAL, UNION, MINUS, EXISTS, subqueries,
  an update's WHERE — is refused unless its host is allowed (``--allow-service HOST``,
  ``Settings.service_hosts``; ``*`` allows any, and only ``*`` allows ``SERVICE ?var``).
  ``LOAD <url>`` in an allowed update is held to the same list.
- **Endpoint URLs** are ``http(s)://host…`` and nothing else (``check_endpoint_url``): a
  ``file:`` URL would make the client read a local file. The app's remote mode queries only
  the endpoints its settings allow (``endpoint_allowed``).
- **A time limit** on every query: ``time_limit`` for the command line (one short process:
  a watchdog thread that ends it with exit 2), ``gongkai.store.worker.TimedStore`` for the
  app, the endpoint's timeout for remote stores; all say ``timeout_message``.
"""

from __future__ import annotations

import os
import re
import sys
import threading
import urllib.parse
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from functools import lru_cache

from pyparsing import ParseResults
from rdflib import URIRef, Variable
from rdflib.plugins.sparql.algebra import translatePrologue
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.plugins.sparql.sparql import Prologue
from rdflib.term import Node

from gongkai.errors import QueryError

READ_FORMS = ("SELECT", "CONSTRUCT", "ASK", "DESCRIBE")
UPDATE = "UPDATE"
# the parser reads about 40,000 characters a second: a longer text is refused before it is
# read (library queries are under 10,000)
MAX_QUERY_CHARS = 100_000
_FORMS = {"SelectQuery": "SELECT", "ConstructQuery": "CONSTRUCT", "AskQuery": "ASK", "DescribeQuery": "DESCRIBE"}
_PARSE_LOCK = threading.Lock()  # pyparsing keeps state on its grammar objects


class QueryTimeout(QueryError):  # noqa: N818  (a public name: callers and tests catch it by it)
    """A query stopped at its time limit."""


def timeout_message(seconds: float, raise_with: str = "--timeout", *,
                    why: str = "it ran longer than the time limit") -> str:
    """The one message for a query stopped at its time limit, wherever it ran."""
    return (f"the query was stopped after {seconds:g} s: {why}; "
            f"narrow it (LIMIT, a more selective pattern) or raise {raise_with}")


def timeout_message_zh(seconds: float, raise_with: str = "--timeout", *, why: str = "运行时间超过了时限",
                       app: bool = False) -> str:
    """``timeout_message`` in Chinese; ``app``: without the option that raises the limit (the app's
    users cannot)."""
    raise_it = "" if app else f"，或调高 {raise_with}"
    return f"查询在 {seconds:g} 秒后被停止：{why}；请缩小查询范围（加 LIMIT，或用更具体的条件）{raise_it}"


def timeout_error(seconds: float, raise_with: str = "--timeout") -> QueryTimeout:
    """The error of a query stopped at its time limit, in both languages."""
    return QueryTimeout(timeout_message(seconds, raise_with), zh=timeout_message_zh(seconds, raise_with),
                        app_zh=timeout_message_zh(seconds, raise_with, app=True),
                        app_en=f"the query was stopped after {seconds:g} s: it ran longer than the time limit; "
                               "narrow it (LIMIT, a more selective pattern)", code="timeout")


# --- what a text is ------------------------------------------------------------------------

@dataclass(frozen=True)
class Service:
    """A ``SERVICE`` clause: the endpoint's IRI, or the variable naming it."""

    iri: str | None
    var: str | None

    def shown(self) -> str:
        return f"<{self.iri}>" if self.iri is not None else f"?{self.var}"


@dataclass(frozen=True)
class Parsed:
    """What the parser found: the form (SELECT, CONSTRUCT, ASK, DESCRIBE or UPDATE), every
    SERVICE clause, and the IRIs an update LOADs."""

    form: str
    services: tuple[Service, ...] = ()
    loads: tuple[str, ...] = ()

    @property
    def is_update(self) -> bool:
        return self.form == UPDATE


_AT = re.compile(r"\s*\(at char \d+\),\s*\(line:\d+, col:\d+\)\s*$")


def _complaint(e: Exception) -> str:
    """A pyparsing error as ``error at LINE:COLUMN: what``, as Oxigraph words its own."""
    line, col = getattr(e, "lineno", None), getattr(e, "col", None)
    what = _AT.sub("", str(e)).strip() or type(e).__name__
    return f"SPARQL syntax error: error at {line}:{col}: {what}" if line and col else f"SPARQL syntax error: {what}"


def syntax_error(message: str, line: int | None = None, col: int | None = None) -> QueryError:
    """A SPARQL syntax error (``message``: the parser's English, ``error at LINE:COLUMN: …``)."""
    where = f"第 {line} 行第 {col} 列：" if line and col else ""
    detail = message.removeprefix("SPARQL syntax error: ")
    return QueryError(message, zh=f"SPARQL 语法错误：{where}{detail}", code="syntax")


@lru_cache(maxsize=512)
def parsed(text: str) -> Parsed:
    """What ``text`` is, by rdflib's SPARQL parser (kept by text: library queries are
    parsed once). ``QueryError`` when it is neither a query nor an update."""
    if not text.strip():
        raise QueryError("the query is empty", zh="查询是空的", code="empty")
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(f"the query is {len(text):,} characters long: gongkai runs queries of at most "
                         f"{MAX_QUERY_CHARS:,} (put long lists of values in the data, or split the query)",
                         zh=f"查询有 {len(text):,} 个字符：gongkai 只运行不超过 {MAX_QUERY_CHARS:,} 个字符的查询"
                            "（请把很长的取值列表放进数据，或拆分查询）", code="too-long")
    with _PARSE_LOCK:
        try:
            tree = parseQuery(text)
        except RecursionError:
            raise QueryError("the query nests its groups too deeply for gongkai to check it",
                             zh="查询的分组嵌套太深，gongkai 无法检查", code="too-deep") from None
        except Exception as as_query:
            try:
                update = parseUpdate(text)
            except RecursionError:
                raise QueryError("the query nests its groups too deeply for gongkai to check it",
                             zh="查询的分组嵌套太深，gongkai 无法检查", code="too-deep") from None
            except Exception as as_update:
                # the parser that read further says best what is wrong
                further = as_update if getattr(as_update, "loc", -1) > getattr(as_query, "loc", -1) else as_query
                raise syntax_error(_complaint(further), getattr(further, "lineno", None),
                                   getattr(further, "col", None)) from None
            return _of_update(update)
    return _of_query(tree)


def _of_query(tree: ParseResults) -> Parsed:
    prologue = _prologue(tree[0], None)
    body = tree[1]
    return Parsed(_FORMS.get(body.name, body.name), tuple(_services(body, prologue)))


def _of_update(tree: CompValue) -> Parsed:
    requests = list(dict.get(tree, "request") or [])
    if not requests:
        raise QueryError("the text holds no query (only a prologue or comments)",
                         zh="文本中没有查询（只有前言或注释）", code="empty")
    services: list[Service] = []
    loads: list[str] = []
    prologue = None
    # a prologue before each request, and one more when the text ends with a prologue
    for decls, request in zip(dict.get(tree, "prologue") or [], requests, strict=False):
        prologue = _prologue(decls, prologue)
        services += _services(request, prologue)
        if request.name == "Load":
            loads.append(str(_absolute(dict.get(request, "iri"), prologue)))
    return Parsed(UPDATE, tuple(services), tuple(loads))


def _prologue(decls: ParseResults, previous: Prologue | None) -> Prologue:
    return translatePrologue(decls, None, prologue=previous)


def _absolute(term: CompValue | str | None, prologue: Prologue) -> CompValue | str | None:
    try:
        return prologue.absolutize(term)
    except Exception as e:
        raise syntax_error(f"SPARQL syntax error: {e}") from None


def _services(node: object, prologue: Prologue) -> Iterator[Service]:
    """Every SERVICE clause under ``node``, however deep."""
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, CompValue):
            if n.name == "ServiceGraphPattern":
                term = dict.get(n, "term")
                if isinstance(term, Variable):
                    yield Service(None, str(term))
                else:
                    yield Service(str(_absolute(term, prologue)), None)
            stack.extend(dict.values(n))
        elif isinstance(n, (ParseResults, list, tuple)):
            stack.extend(n)


# --- the checks ----------------------------------------------------------------------------

def check_query(text: str, *, allow_update: bool = False, allow_service: Iterable[str] = (),
                bindings: Mapping[str, Node] | None = None) -> Parsed:
    """``text`` parsed, if gongkai may run it: a read-only query, or an update when
    ``allow_update``; every SERVICE (and LOAD) to an allowed host. ``QueryError`` otherwise,
    before anything is sent or run. ``bindings``: a ``SERVICE ?var`` whose variable is a
    bound parameter is held to the host of its value."""
    p = parsed(text)
    if p.is_update and not allow_update:
        raise QueryError("this is a SPARQL Update, and gongkai is read-only by default: "
                         "pass --allow-update to change the store",
                         zh="这是 SPARQL 更新（Update）语句，而 gongkai 默认只读：用 --allow-update 才能修改数据存储",
                         app_en="this is a SPARQL Update: the app only reads; add lists on the Import screen",
                         app_zh="这是 SPARQL 更新（Update）语句：应用只读取数据；添加清单请用“导入”页面",
                         code="update-refused")
    hosts = allowed_hosts(allow_service)
    for s in p.services:
        iri = s.iri
        if iri is None and bindings and isinstance(bindings.get(s.var or ""), URIRef):
            iri = str(bindings[s.var or ""])
        _check_target(f"SERVICE {s.shown()}", iri, hosts, "query")
    for iri in p.loads:
        _check_target(f"LOAD <{iri}>", iri, hosts, "update")
    return p


def allowed_hosts(values: Iterable[str]) -> frozenset[str]:
    """Host names (lower case) from ``--allow-service`` values or a settings list; ``*``
    stays ``*``; a URL given instead of a host counts as its host."""
    out = set()
    for value in values:
        v = value.strip()
        if not v:
            continue
        if "://" in v:
            with suppress(ValueError):
                v = urllib.parse.urlsplit(v).hostname or v
        out.add(v.strip("[]").lower())
    return frozenset(out)


def _check_target(clause: str, iri: str | None, hosts: frozenset[str], what: str) -> None:
    if "*" in hosts:
        return
    if iri is None:
        raise QueryError(f"{clause} is not allowed: the endpoint is a variable, so this {what} could make the "
                         "server send a request anywhere; allow it with --allow-service '*' "
                         "(or GONGKAI_SERVICE_HOSTS=*)",
                         zh=f"不允许 {clause}：端点是变量，可能让服务器向任何地方发送请求；如需允许，请管理员把 "
                            "GONGKAI_SERVICE_HOSTS 设为 *", code="service-refused")
    host = _host(iri)
    if host is not None and host in hosts:
        return
    target = host or iri
    allow = host or "HOST"
    raise QueryError(f"{clause} is not allowed: this {what} would make the server send a request to {target}; "
                     f"allow the host with --allow-service {allow} (or GONGKAI_SERVICE_HOSTS)",
                     zh=f"不允许 {clause}：它会让服务器向 {target} 发送请求；如需允许，请管理员在 "
                        "GONGKAI_SERVICE_HOSTS 中加入该主机", code="service-refused")


def _host(url: str) -> str | None:
    try:
        host = urllib.parse.urlsplit(url).hostname
    except ValueError:
        return None
    return host.lower() if host else None


# --- the command line's time limit -----------------------------------------------------------

def _say_on_stderr(message: str) -> None:
    sys.stderr.write(f"error: {message}\n")


@contextmanager
def time_limit(seconds: float | None, *, raise_with: str = "--timeout", why: str | None = None,
               say: Callable[[str], None] = _say_on_stderr) -> Iterator[None]:
    """For a short-lived process (the command line): when the block has not ended after
    ``seconds``, ``say`` the timeout message (with ``why``, if given) and end the process
    with exit code 2.

    A running pyoxigraph query ignores signals, but it lets other threads run: a timer thread
    can end the process. The timer costs nothing while the query runs; ``None`` or 0: no limit.
    """
    if not seconds or seconds <= 0:
        yield
        return

    def stop() -> None:
        try:
            say(timeout_message(seconds, raise_with, **({"why": why} if why else {})))
            sys.stderr.flush()
        finally:
            os._exit(2)

    timer = threading.Timer(seconds, stop)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
