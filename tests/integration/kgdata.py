"""The example data the query tests run on, shared by tests/unit and tests/integration.

Every real list in data/raw, built as `gongkai build` builds it, plus two small lists
made here through the model (the contract the parsers fill), so that each library query
has something to find whatever data/raw holds: an item on request for specific groups,
citations pinpointing articles, a category the vocabulary lacks, a source the authority
data lacks (cited by both lists, so its triples sit in two graphs — the case where a
bag-union store and a set-union store differ unless the query is written for it), a
list without an annual report, and declared counts that do not match.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from gongkai.model import (
    ArticleRef,
    ChannelOption,
    Citation,
    DeclaredCounts,
    DisclosureItem,
    DisclosureList,
    Organisation,
    SourceRef,
    TimeLimit,
)
from gongkai.pipeline.build import build
from gongkai.rdf.mapping import map_list
from gongkai.reference_data import map_context
from gongkai.settings import Settings
from gongkai.store.base import NTriples

ROOT = Path(__file__).resolve().parents[2]
FIXED_TIME = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
SETTINGS = Settings(root=ROOT, fixed_time=FIXED_TIME)

EDU = "测试县教育局"
HEALTH = "测试县卫生健康局"
LOCAL_RULE = "测试县政务公开管理办法"


def _item(n: int, level1: str, level2: str, **kw) -> DisclosureItem:
    return DisclosureItem(number=n, level1=level1, level2=level2,
                          source=SourceRef(file="made-in-tests.txt", rows=(n,)), **kw)


def _gidr(article: int | None = None) -> Citation:
    arts = [ArticleRef(f"第{article}条", article)] if article else []
    return Citation(raw="《中华人民共和国政府信息公开条例》" + (f"第{article}条" if article else ""),
                    title="中华人民共和国政府信息公开条例", articles=arts,
                    resolved_id="prc-gov-info-disclosure-regs-2019", resolution="title")


def _local_rule(article: int) -> Citation:
    return Citation(raw=f"《{LOCAL_RULE}》第{article}条", title=LOCAL_RULE,
                    articles=[ArticleRef(f"第{article}条", article)])


def _channels(*checked: str) -> list[ChannelOption]:
    offered = ["政府网站", "两微一端", "政务服务中心"]
    return [ChannelOption(label=c, checked=c in checked) for c in offered]


def made_lists() -> list[DisclosureList]:
    edu = DisclosureList(
        title=f"{EDU}政务公开标准目录", bureau=Organisation(EDU, parent="测试县人民政府"),
        date=dt.date(2024, 3, 1), source_file="made-in-tests.txt", source_format="text-table",
        source_sha256="1" * 64, ingested_at=FIXED_TIME,
        declared=DeclaredCounts(raw="主动公开一级事项2项，二级事项4项", level1_active=2, level2_active=4),
        channels_offered=["政府网站", "两微一端", "政务服务中心"],
        items=[
            _item(1, "基本信息", "政府信息公开年报", content="年度报告", publisher=EDU,
                  citations=[_gidr(50)],
                  time_limit=TimeLimit(raw="每年1月31日前", kind="annual", annual_month=1, annual_day=31),
                  channels=_channels("政府网站", "两微一端"), audience=["public"], mode=["active"]),
            _item(2, "校园安全", "学校安全检查结果", content="检查结果和整改情况", publisher=EDU,
                  citations=[_gidr(20), _local_rule(3)],
                  time_limit=TimeLimit(raw="检查结束后7个工作日内", kind="period", amount=7,
                                       unit="working_day", trigger="concluded"),
                  channels=_channels("政府网站"), audience=["specific-groups"], mode=["on-request"]),
            _item(3, "校园安全", "校车安全管理", content="校车线路",
                  citations=[_local_rule(5)],
                  time_limit=TimeLimit(raw="形成之日起20日内", kind="period", amount=20, unit="day",
                                       trigger="formed"),
                  channels=_channels("政务服务中心"), audience=["public"], mode=["active"]),
        ])
    health = DisclosureList(
        title=f"{HEALTH}政务公开标准目录", bureau=Organisation(HEALTH, parent="测试县人民政府"),
        date=dt.date(2024, 5, 20), source_file="made-in-tests-2.txt", source_format="text-table",
        source_sha256="2" * 64, ingested_at=FIXED_TIME,
        declared=DeclaredCounts(raw="主动公开二级事项2项", level2_active=2),
        channels_offered=["政府网站"],
        items=[
            _item(1, "校园安全", "学校卫生监督", content="监督结果", publisher=HEALTH,
                  citations=[_local_rule(3)],
                  time_limit=TimeLimit(raw="形成之日起20日内", kind="period", amount=20, unit="day",
                                       trigger="formed"),
                  channels=_channels("政府网站"), audience=["public"], mode=["active"]),
            _item(2, "基本信息", "机构职能", content="职能、内设机构", publisher=HEALTH,
                  citations=[_gidr()],
                  time_limit=TimeLimit(raw="形成或变更之日起20个工作日内", kind="period", amount=20,
                                       unit="working_day", trigger="formed-or-changed"),
                  channels=_channels("政府网站"), audience=["public"], mode=["active"]),
        ])
    return [edu, health]


@dataclass
class ExampleData:
    """The built example: the TriG file, its graphs as N-Triples, the lists as parsed."""

    trig: Path
    graphs: list[tuple[URIRef, NTriples]]
    lists: list[DisclosureList]          # every list: data/raw's and the made ones
    made: list[DisclosureList]

    def list_iri(self, dl: DisclosureList) -> URIRef:
        from gongkai.rdf.mapping import list_iri

        return list_iri(map_context(SETTINGS), dl)


def example_data(out: Path) -> ExampleData:
    """Build data/raw into ``out`` and add the made lists as graphs of their own."""
    from gongkai.store.push import graphs_of_file

    result = build(SETTINGS, SETTINGS.raw_dir, out)
    ctx = map_context(SETTINGS)
    made = made_lists()
    extra = [map_list(dl, ctx) for dl in made]
    trig = out / "kg.trig"
    # append the made lists to the built dataset (TriG allows several graph blocks)
    with open(trig, "a", encoding="utf-8") as f:
        for name, g in extra:
            f.write("\n" + f"<{name}> {{\n")
            f.write(g.serialize(format="nt"))
            f.write("}\n")
    return ExampleData(trig=trig, graphs=graphs_of_file(trig), lists=result.lists + made, made=made)


# --- comparing results across stores ------------------------------------------------------
# Servers print the same values differently. Before rows are compared, each value is
# normalised as follows, and only so:
# - numbers (any XSD numeric type) compare by value: Oxigraph prints the decimal 20.0 as
#   "20", rdflib keeps "20.0", Virtuoso stores numbers natively and answers "20"^^xsd:decimal
#   or an xsd:int for a count;
# - booleans compare by value: Virtuoso answers "1"^^xsd:boolean for true;
# - xsd:dateTime compares as an instant: Virtuoso writes +00:00 as Z;
# - a plain literal equals the same xsd:string literal (SPARQL 1.0 vs 1.1 result forms), and
#   language tags compare case-insensitively (BCP 47);
# - a value made by GROUP_CONCAT with the library's " | " separator compares as the sorted
#   list of its parts, without language tag: GROUP_CONCAT has no defined order, each store
#   picks its own, and Oxigraph keeps a shared language tag where Virtuoso drops it.
# IRIs, strings, language-tagged strings and other typed literals must be identical.

_NUMERIC = {str(XSD[t]) for t in (
    "integer", "decimal", "double", "float", "int", "long", "short", "byte", "nonNegativeInteger",
    "positiveInteger", "negativeInteger", "nonPositiveInteger", "unsignedInt", "unsignedLong",
    "unsignedShort", "unsignedByte")}


def normal(term) -> tuple:
    if term is None:
        return ("unbound",)
    if not isinstance(term, Literal):
        return (type(term).__name__, str(term))
    dt_ = str(term.datatype) if term.datatype else None
    text = str(term)
    if dt_ in _NUMERIC:
        try:
            return ("number", Decimal(text).normalize())
        except InvalidOperation:
            return ("number?", text)
    if dt_ == str(XSD.boolean):
        return ("boolean", text.strip().lower() in ("true", "1"))
    if dt_ == str(XSD.dateTime):
        try:
            return ("dateTime", dt.datetime.fromisoformat(text))
        except ValueError:
            return ("dateTime?", text)
    if " | " in text and (term.language or dt_ in (None, str(XSD.string))):
        return ("string-list", tuple(sorted(text.split(" | "))))
    if term.language:
        return ("lang", text, term.language.lower())
    if dt_ in (None, str(XSD.string)):
        return ("string", text)
    return ("typed", text, dt_)


def normal_rows(result) -> list[tuple]:
    """The rows as a sorted list (a multiset) of normalised tuples, in the result's column order."""
    return sorted((tuple(normal(r.get(v)) for v in result.vars) for r in result.rows), key=repr)


# --- parameters for every library query -------------------------------------------------

def example_params(query, data: ExampleData) -> dict[str, str]:
    """Values for a query's required parameters that have no default, taken from the made
    lists (so they exist whatever data/raw holds). A new kind of parameter must be added
    here: the cross-store tests run every query."""
    from gongkai.rdf.iris import IRIs
    from gongkai.text import key

    edu = data.made[0]
    lst = str(data.list_iri(edu))
    examples = {
        ("item", "iri"): f"{lst}/item/2",
        ("list", "iri"): lst,
        ("bureau", "iri"): str(IRIs(SETTINGS.base).org(key(edu.bureau.name))),
        ("bureau", "literal"): edu.bureau.name,
        ("number", "xsd:integer"): "2",
    }
    out: dict[str, str] = {}
    for p in query.params:
        if not p.required or p.default:
            continue
        value = examples.get((p.name, p.kind))
        if value is None:
            raise AssertionError(f"{query.id}: no example value for parameter {p.name} ({p.kind}); "
                                 "add one to tests/integration/kgdata.py")
        out[p.name] = value
    return out
