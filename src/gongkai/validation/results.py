"""Validation results and reports: one result per problem, grouped by list, with their words in
Chinese and English."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib.namespace import DCTERMS, RDFS, TIME

from gongkai.rdf.namespaces import ELI, GK
from gongkai.validation.compile import ShapeInfo

#: the shapes files applied to each list, and the one applied to the authority data
LIST_CONCERNS = ("completeness", "consistency", "legal", "vocabulary")


AUTHORITY_CONCERN = "authority"


#: declarations shared by the SPARQL-based shapes (sh:prefixes)
PREFIXES_FILE = "prefixes.ttl"


#: the shape-id letter of the completeness shapes: their targets are the required facts
COMPLETENESS_PREFIX = "C"


#: facts of the authority data that the legal shapes read (L02 versions and dates, L03 aliases,
#: L04 the statutory time limits with their labels)
AUTHORITY_SLICE = (GK.versionOf, ELI.title_alternative, ELI.date_no_longer_in_force,
                   ELI.first_date_entry_in_force, ELI.changes, ELI.repeals,
                   GK.setBy, RDFS.label, GK.rawText, GK.limitKind, GK.duration, TIME.numericDuration,
                   TIME.unitType, GK.annualDate, GK.appliesToPattern, GK.exceptPattern, GK.bureauPattern,
                   GK.bureauExceptPattern)


SEVERITY_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}


SEVERITY_WORDS = {"Violation": ("违规", "violation"), "Warning": ("警告", "warning"),
                  "Info": ("提示", "info")}


#: the words a list's reader uses for a property, where they differ from the ontology's label
PATH_WORDS: dict[str, tuple[str, str]] = {
    str(DCTERMS.title): ("二级事项名称", "level-2 name"),
    str(DCTERMS.description): ("公开内容（要素）", "content elements"),
    str(DCTERMS.publisher): ("公开主体", "publisher"),
    str(DCTERMS.audience): ("公开对象", "audience"),
    str(DCTERMS.date): ("日期", "date"),
    str(GK.citation): ("公开依据", "legal basis"),
    str(GK.resolved): ("公开依据", "legal basis"),   # L01: whether a citation reached its law, said of the basis
    str(GK.itemNumber): ("序号", "item number"),
    str(GK.publisherName): ("公开主体", "publisher"),
    str(ELI.title): ("标题", "title"),
    str(ELI.passed_by): ("制定机关", "issuing body"),
    str(ELI.type_document): ("文件类型", "type of document"),
}




RDF_SUFFIXES = {".trig": ox.RdfFormat.TRIG, ".nq": ox.RdfFormat.N_QUADS, ".ttl": ox.RdfFormat.TURTLE,
                ".nt": ox.RdfFormat.N_TRIPLES, ".rdf": ox.RdfFormat.RDF_XML,
                ".owl": ox.RdfFormat.RDF_XML, ".n3": ox.RdfFormat.N3}


@dataclass(frozen=True, slots=True)
class Result:
    """One problem, in words a government office understands."""

    list_iri: str
    bureau: str
    item_number: int | None
    item_name: str | None
    shape_id: str
    severity: str                  # Violation | Warning | Info
    path_zh: str
    path_en: str
    value: str | None
    message_zh: str
    message_en: str
    focus: str = ""
    shape_iri: str = ""
    component: str = ""
    result_path: str | None = None

    def path(self, lang: str = "zh") -> str:
        return self.path_en if lang == "en" else self.path_zh

    def message(self, lang: str = "zh") -> str:
        return self.message_en if lang == "en" else self.message_zh

    def severity_words(self, lang: str = "zh") -> str:
        zh, en = SEVERITY_WORDS.get(self.severity, (self.severity, self.severity))
        return en if lang == "en" else zh

    def sort_key(self) -> tuple:
        return (self.bureau, self.list_iri, self.item_number if self.item_number is not None else -1,
                SEVERITY_ORDER.get(self.severity, 9), self.shape_id, self.value or "")


@dataclass
class ListReport:
    """One list: who, when, how complete, and its problems."""

    list_iri: str
    bureau: str
    date: str | None = None
    title: str | None = None
    items: int = 0
    required: int = 0              # required facts (completeness shapes × their targets)
    present: int = 0
    results: list[Result] = field(default_factory=list)
    item_titles: dict[int, str] = field(default_factory=dict)

    @property
    def score(self) -> float:
        return self.present / self.required if self.required else 1.0

    def count(self, severity: str) -> int:
        return sum(1 for r in self.results if r.severity == severity)


@dataclass
class Report:
    lists: list[ListReport] = field(default_factory=list)
    authority: list[Result] = field(default_factory=list)
    shapes: dict[str, ShapeInfo] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)     # inputs that could not be read

    @property
    def results(self) -> list[Result]:
        """Every problem: the lists' by bureau → list → item, then the authority data's."""
        out = sorted((r for lr in self.lists for r in lr.results), key=Result.sort_key)
        return out + list(self.authority)

    def count(self, severity: str) -> int:
        return sum(lr.count(severity) for lr in self.lists) + sum(
            1 for r in self.authority if r.severity == severity)

    @property
    def conforms(self) -> bool:
        return self.count("Violation") == 0

    @property
    def exit_code(self) -> int:
        """0 conforms, 1 violations (SHACL's sense: warnings and infos do not fail)."""
        return 0 if self.conforms else 1

    def by_bureau(self) -> dict[str, list[ListReport]]:
        out: dict[str, list[ListReport]] = defaultdict(list)
        for lr in sorted(self.lists, key=lambda x: (x.bureau, x.date or "", x.list_iri)):
            out[lr.bureau].append(lr)
        return dict(out)

    def bureau_scores(self) -> dict[str, tuple[int, int]]:
        """bureau → (present, required) over all its lists."""
        out: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for lr in self.lists:
            out[lr.bureau][0] += lr.present
            out[lr.bureau][1] += lr.required
        return {b: (p, r) for b, (p, r) in out.items()}
