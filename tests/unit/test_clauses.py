"""The clauses of the Regulations on Open Government Information (2019) each item implements:
the rules in data/authorities (gidr-clauses.csv, gidr-clause-rules.csv), their application to
the items of data/raw, the graph they make, and the two library queries over it."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from gongkai.errors import InputError
from gongkai.ingest import ingest_file
from gongkai.legal.clauses import ClauseRules, load_clause_rules
from gongkai.legal.registry import registry
from gongkai.model import ArticleRef, Citation, DisclosureItem, DisclosureList, Organisation, SourceRef
from gongkai.query.library import Library
from gongkai.rdf.mapping import map_list
from gongkai.rdf.namespaces import GK
from gongkai.reference_data import map_context, static_graphs
from gongkai.settings import Settings
from gongkai.store.embedded import EmbeddedStore

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = Settings(root=ROOT)
AUTHORITIES = ROOT / "data" / "authorities"
RAW = ROOT / "data" / "raw"
ORIGINAL = "zhongwei-yunjisuan-2021.txt"
GIDR_2019 = "https://w3id.org/gongkai/legal/guowuyuanling/711"


@pytest.fixture(scope="module")
def rules() -> ClauseRules:
    return load_clause_rules(AUTHORITIES, registry(SETTINGS))


@pytest.fixture(scope="module")
def lists() -> dict[str, DisclosureList]:
    return {}


def _list(lists: dict[str, DisclosureList], name: str) -> DisclosureList:
    if name not in lists:
        lists[name] = ingest_file(RAW / name, SETTINGS)
    return lists[name]


# Written by hand from the words of the Regulations (2019): for each item, its category,
# name and content read in the list, the clause(s) that oblige its disclosure. 第十九条 is the
# general duty, for items no enumerated clause names (a bureau's 部门文件, 新闻发布会, 通知公告).
# (file, number, the item's name as read) → clause ids of data/authorities/gidr-clauses.csv
EXPECTED: dict[tuple[str, int, str], set[str]] = {
    # 中卫市云计算和大数据发展局: the original list
    (ORIGINAL, 1, "机构信息"): {"art20-2"},                 # 机关职能、机构设置、办公地址
    (ORIGINAL, 2, "领导信息"): {"art20-2"},                 # 负责人姓名
    (ORIGINAL, 3, "政府信息公开制度及相关规定"): {"art19"},
    (ORIGINAL, 4, "政府信息公开指南"): {"art12"},           # 政府信息公开指南…应当及时更新
    (ORIGINAL, 5, "政府信息公开年报"): {"art49"},           # 年度报告并向社会公布
    (ORIGINAL, 6, "行政规范性文件"): {"art20-1"},
    (ORIGINAL, 7, "部门文件"): {"art19"},
    (ORIGINAL, 9, "政策解读"): {"art19"},
    (ORIGINAL, 10, "新闻发布会"): {"art19"},
    (ORIGINAL, 12, "会议开放"): {"art19"},
    (ORIGINAL, 13, "财务管理"): {"art20-7", "art20-9"},     # 预决算; 政府采购
    (ORIGINAL, 14, "脱贫攻坚"): {"art20-11"},               # 扶贫
    (ORIGINAL, 15, "规划计划工作总结"): {"art19"},          # a work plan, not a 发展规划 of (三)
    (ORIGINAL, 16, "建议提案办理"): {"art19"},
    (ORIGINAL, 17, "回应关切"): {"art19"},                  # 领导信箱 is no 负责人姓名
    (ORIGINAL, 18, "通知公告"): {"art19"},
    # other lists
    ("county-jiaoyu-lyg138.csv", 1, "领导信息"): {"art20-2"},
    ("county-jiaoyu-lyg138.csv", 2, "机构概况"): {"art20-2"},
    ("county-jiaoyu-lyg138.csv", 5, "政策法规"): {"art20-1"},
    ("county-jiaoyu-lyg138.csv", 8, "预算决算"): {"art20-7"},
    ("dongguan-dongcheng-shichangjianguan-trad.txt", 1, "食品生產經營監督檢查"): {"art20-13"},
    ("dongguan-dongcheng-shichangjianguan-trad.txt", 3, "由縣級組織的食品安全抽檢"): {"art20-13"},
    ("dongguan-dongcheng-shichangjianguan-trad.txt", 4, "藥品零售/醫療器械經營監督檢查"): {"art20-13"},
    ("fuliang-sanlong-jiuzai.txt", 1, "政策规范文件"): {"art20-1"},   # 与救灾有关的法律、法规
    ("fuliang-sanlong-jiuzai.txt", 2, "政策规范文件"): {"art20-1"},   # 规章、规范性文件
    # 其他政策文件 (改革方案、发展规划、专项规划): the heading 政策规范文件 names (一), the content 专项规划 (三)
    ("fuliang-sanlong-jiuzai.txt", 3, "政策规范文件"): {"art20-3"},
    # 给予/不予法律援助决定书: the results (办理结果) of an external service, (五), as the rule says
    ("jiayin-gonggongfalv.txt", 4, "法律援助服务"): {"art20-5"},
    ("huangshi-szfgz.txt", 1, "机关简介"): {"art20-2"},     # cites 第二十条第二款: (二)
    ("huangshi-szfgz.txt", 2, "负责人信息"): {"art20-2"},
    ("huangshi-szfgz.txt", 3, "内设机构"): {"art20-2"},
    ("huangshi-szfgz.txt", 4, "直属单位"): {"art20-2"},
    ("huangshi-szfgz.txt", 5, "部门财政预算"): {"art20-7"},
    ("jyx-shengtai.txt", 1, "建设项目环境影响评价文件审批"): {"art20-5"},   # 行政许可
    ("jyx-shengtai.txt", 2, "防治污染设施拆除或闲置审批"): {"art20-5"},
    ("nanjiang-ziranziyuan-spacesep.txt", 3, "自然资源领域专项规划"): {"art20-3"},
    ("penglai-paichusuo-huji.txt", 1, "出生登记"): {"art20-5"},   # 对外管理服务事项的条件、程序
    ("saihan-zhongdajianshe.txt", 2, "办理过程信息"): {"art20-10"},   # 重大建设项目的批准
    ("sanmen-shehuibaoxian.txt", 1, "机关事业养老保险单位参保登记"): {"art20-5", "art20-11"},
    # a hospital's 公共卫生、疾病应急处置服务流程: no supervision of public health (十三); 第五十五条 not in the table
    ("songming-weijian.xlsx", 4, "服务信息"): {"art19"},
    ("sunitezuoqi-jiaotong.txt", 1, "行政法规、规章"): {"art20-1"},
    ("sunitezuoqi-jiaotong.txt", 2, "规范性文件"): {"art20-1"},
    ("tengchong-jiuye-ocr.txt", 2, "1.2岗位信息发布"): {"art20-11"},   # 促进就业
    ("tez-huji.txt", 2, "收养登记"): {"art20-5"},
    # work news (会议, 政务信息、文件) under the heading 行政许可: neither (十三)'s supervision of 环保 nor a licence
    ("wenshan-shengtai.txt", 2, "公开环保工作动态"): {"art19"},
    ("xingguo-gonggongwenhua.html", 1, "公共文化机构免费开放信息"): {"art21-city-county"},   # 公共服务 (county)
    ("xjbz-anquanshengchan.docx", 1, "法律法规"): {"art20-1"},
    ("xjbz-anquanshengchan.docx", 2, "部门和地方规章"): {"art20-1"},
    # 安全生产 national, industry and local standards: not (十三)'s inspection results, not (一)'s normative documents
    ("xjbz-anquanshengchan.docx", 4, "标准"): {"art19"},
    ("xjbz-anquanshengchan.docx", 5, "重大决策草案"): {"art19"},   # 需要公众参与决策
    ("yuanjiang-weijian-trad.txt", 1, "機構信息"): {"art20-2"},
    ("yunyang-yanglao.txt", 2, "养老服务扶持政策措施清单"): {"art20-11"},   # 社会保障的政策、措施
}


def test_at_least_thirty_items_across_the_lists_are_expected_by_hand() -> None:
    assert len(EXPECTED) >= 30
    assert len({f for f, _, _ in EXPECTED}) >= 15


@pytest.mark.parametrize("where", sorted(EXPECTED), ids=lambda w: f"{w[0]}#{w[1]}")
def test_the_rules_give_the_clause_read_in_the_regulations(where, rules, lists) -> None:
    file, number, name = where
    dl = _list(lists, file)
    item = next(it for it in dl.items if it.number == number)
    assert item.level2.startswith(name)
    got = {m.clause.id for m in rules.apply(item, dl.bureau.name if dl.bureau_named else None)}
    assert got == EXPECTED[where]


def test_every_item_of_the_original_list_has_a_clause_and_the_rule_that_fired(rules, lists) -> None:
    dl = _list(lists, ORIGINAL)
    assert len(dl.items) == 18
    for item in dl.items:
        matches = rules.apply(item, dl.bureau.name)
        assert matches, item.level2
        for m in matches:
            assert m.rule.id and 0 < m.rule.confidence <= 1
            assert m.clause.label_zh in m.explanation and m.rule.id in m.explanation
    budget = rules.apply(dl.items[12], dl.bureau.name)
    assert [(m.rule.id, m.matched) for m in budget] == [("name-budget", "决算"), ("name-procurement", "政府采购")]
    # items the enumerated clauses do not name rest on 第十九条, saying that the list cites the Regulations
    assert [m.rule.id for m in rules.apply(dl.items[9], dl.bureau.name)] == ["fallback-cited"]


def _item(name: str, *citations: Citation, content: str | None = None) -> DisclosureItem:
    return DisclosureItem(number=1, level2=name, content=content, citations=list(citations),
                          source=SourceRef(file="t.txt"))


def _gidr(version: str | None, *arts: ArticleRef) -> Citation:
    return Citation(raw="《政府信息公开条例》", title="政府信息公开条例", articles=list(arts), resolved_id=version)


def test_a_pinpoint_decides_before_any_word_and_a_paragraph_of_article_20_is_its_item(rules) -> None:
    item = _item("部门财政预算", _gidr("prc-gov-info-disclosure-regs-2019", ArticleRef("第二十条第八款", 20, 8)))
    [m] = rules.apply(item)
    assert (m.clause.id, m.rule.id, m.rule.confidence, m.matched) == ("art20-8", "pinpoint", 0.95, "第二十条第八款")
    point = _item("x", _gidr(None, ArticleRef("第二十条第（九）项", 20, None, 9)))   # version not determined
    assert [m.clause.id for m in rules.apply(point)] == ["art20-9"]


def test_a_pinpoint_of_the_2007_text_names_no_clause_of_the_2019_one(rules) -> None:
    item = _item("部门财政预算", _gidr("prc-gov-info-disclosure-regs-2007", ArticleRef("第九条", 9)))
    assert [m.rule.id for m in rules.apply(item)] == ["name-budget"]


def test_the_halves_of_article_21_follow_the_bureaus_level(rules) -> None:
    item = _item("社会救助", content="低保对象")
    assert [m.clause.id for m in rules.apply(item, "某某县民政局")] == ["art21-city-county"]
    assert [m.clause.id for m in rules.apply(item, "荷花镇人民政府")] == ["art21-township"]
    assert [m.clause.id for m in rules.apply(_item("宅基地使用情况审核"), "某某县民政局")] == ["art19"]
    assert [m.clause.id for m in rules.apply(_item("宅基地使用情况审核"), "荷花镇")] == ["art21-township"]


def test_without_a_citation_of_the_regulations_the_fallback_says_so(rules) -> None:
    [m] = rules.apply(_item("其他信息"))
    assert (m.clause.id, m.rule.id) == ("art19", "fallback")
    [m] = rules.apply(_item("其他信息", _gidr(None)))
    assert m.rule.id == "fallback-cited"


def _copy(tmp_path: Path) -> Path:
    for name in ("gidr-clauses.csv", "gidr-clause-rules.csv", "gidr-bureau-levels.csv"):
        shutil.copy(AUTHORITIES / name, tmp_path / name)
    return tmp_path


def test_a_rule_naming_no_clause_is_refused_with_its_row(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    with (folder / "gidr-clause-rules.csv").open("a", encoding="utf-8") as f:
        f.write("name-x,art99,name,某某,0.5,\n")
    with pytest.raises(InputError, match=r"no clause 'art99'"):
        load_clause_rules(folder)


def test_a_correction_by_legal_staff_changes_the_answer(tmp_path: Path) -> None:
    """The rules are data: a word added to a rule's row moves an item to its clause."""
    folder = _copy(tmp_path)
    item = _item("政府信息公开制度及相关规定")
    assert [m.clause.id for m in load_clause_rules(folder).apply(item)] == ["art19"]
    path = folder / "gidr-clause-rules.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("name-guide,art12,name,公开指南|",
                                                             "name-guide,art12,name,公开制度|公开指南|"),
                    encoding="utf-8")
    assert [m.rule.id for m in load_clause_rules(folder).apply(item)] == ["name-guide"]


# --- the graph and the queries ----------------------------------------------------------

def test_the_graph_holds_the_clause_with_a_qualified_node_saying_rule_and_confidence(lists) -> None:
    ctx = map_context(SETTINGS)
    lst, g = map_list(_list(lists, ORIGINAL), ctx)
    it = URIRef(f"{lst}/item/13")
    clauses = set(g.objects(it, GK.implementsClause))
    assert clauses == {URIRef(f"{GIDR_2019}/art_20/point_7"), URIRef(f"{GIDR_2019}/art_20/point_9")}
    node = URIRef(f"{it}/clause/art20-7")
    assert (it, GK.clauseAssignment, node) in g
    assert g.value(node, GK.clause) == URIRef(f"{GIDR_2019}/art_20/point_7")
    assert g.value(node, GK.ruleId) == Literal("name-budget")
    assert float(g.value(node, GK.confidence)) == 0.8
    for n in range(1, 19):
        assert list(g.objects(URIRef(f"{lst}/item/{n}"), GK.implementsClause)), n


def test_the_clauses_are_in_the_authorities_graph_labelled_with_their_words() -> None:
    from rdflib.namespace import RDF, RDFS

    from gongkai.rdf.namespaces import ELI

    authorities = next(g for name, g in static_graphs(SETTINGS) if str(name).endswith("authorities"))
    clauses = set(authorities.subjects(RDF.type, GK.DisclosureClause))
    assert len(clauses) == 20
    c = URIRef(f"{GIDR_2019}/art_20/point_7")
    assert c in clauses
    assert {str(lab) for lab in authorities.objects(c, RDFS.label)} == {"第二十条第（七）项", "Article 20, item (7)"}
    assert str(authorities.value(c, ELI.description)) == "财政预算、决算信息；"
    assert authorities.value(c, ELI.is_part_of) == URIRef(GIDR_2019)


def _small_store(tmp_path: Path) -> tuple[EmbeddedStore, str, str, str]:
    """Three bureaus: a county's with budget items, a 扶贫 item and an annual report, a county's with
    its organisation only, a township's with its organisation only."""
    def made(bureau: str, *items: DisclosureItem) -> DisclosureList:
        return DisclosureList(title=None, bureau=Organisation(bureau), items=list(items),
                              date=dt.date(2024, 1, 1), source_file=f"{bureau}.txt", source_sha256="3" * 64)

    def item(n: int, name: str) -> DisclosureItem:
        return DisclosureItem(number=n, level2=name, source=SourceRef(file="t.txt", rows=(n,)))

    ctx = map_context(SETTINGS)
    store = EmbeddedStore()
    for name, g in static_graphs(SETTINGS):
        store.replace_graph(name, g)
    a = made("甲县财政局", item(1, "部门预算"), item(2, "部门决算"), item(3, "政府信息公开年报"), item(4, "扶贫资金"))
    b = made("乙县民政局", item(1, "机构职能"))
    c = made("丙镇人民政府", item(1, "机构职能"))
    for dl in (a, b, c):
        lst, g = map_list(dl, ctx)
        store.replace_graph(lst, g)
    return store, *(str(ctx.iris.org(name)) for name in ("甲县财政局", "乙县民政局", "丙镇人民政府"))


#: the clauses in the order of the Regulations (and of data/authorities/gidr-clauses.csv)
_POINTS = ("一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三", "十四", "十五")
IN_ORDER = ["第十九条", *(f"第二十条第（{n}）项" for n in _POINTS),
            "第二十一条（市、县级）", "第二十一条（乡镇级）", "第十二条", "第四十九条"]


def test_the_queries_count_items_per_clause_and_list_the_clauses_a_bureau_lacks(tmp_path: Path) -> None:
    lib = Library(ROOT / "queries")
    store, jia, yi, bing = _small_store(tmp_path)
    q = lib.get("items_per_clause_per_bureau")
    found = store.select(q.text, q.bind({})).rows
    rows = {(str(r["bureau"]), str(r["clause"])): (int(r["items"]), str(r["rules"])) for r in found}
    assert rows == {("甲县财政局", "第二十条第（七）项"): (2, "name-budget"),
                    ("甲县财政局", "第二十条第（十一）项"): (1, "name-social-policy"),
                    ("甲县财政局", "第四十九条"): (1, "name-annual-report"),
                    ("丙镇人民政府", "第二十条第（二）项"): (1, "name-organisation"),
                    ("乙县民政局", "第二十条第（二）项"): (1, "name-organisation")}
    # in the order of the Regulations, not of the clauses' IRIs (point_11 < point_7)
    assert [str(r["clause"]) for r in found if str(r["bureau"]) == "甲县财政局"] == \
        ["第二十条第（七）项", "第二十条第（十一）项", "第四十九条"]
    q = lib.get("clauses_not_covered_by_bureau")
    lacking = store.select(q.text, q.bind({"bureau": yi})).rows
    assert {str(r["bureau"]) for r in lacking} == {"乙县民政局"}
    clauses = [str(r["clause"]) for r in lacking]
    # a county bureau lacks the city/county half of 第二十一条, never the township half
    assert clauses == [c for c in IN_ORDER if c not in ("第二十条第（二）项", "第二十一条（乡镇级）")]
    assert [int(r["order"]) for r in lacking] == sorted(int(r["order"]) for r in lacking)
    seven = next(r for r in lacking if str(r["clause"]) == "第二十条第（七）项")
    assert str(seven["text"]) == "财政预算、决算信息；" and str(seven["clause_en"]) == "Article 20, item (7)"
    every = store.select(q.text, q.bind({})).rows
    assert len([r for r in every if str(r["org"]) == jia]) == 16
    # a township lacks the township half, never the city/county one
    township = [str(r["clause"]) for r in every if str(r["org"]) == bing]
    assert township == [c for c in IN_ORDER if c not in ("第二十条第（二）项", "第二十一条（市、县级）")]


def test_the_graph_says_the_level_of_each_bureau_and_clause(tmp_path: Path) -> None:
    """The level the rules read from a bureau's name is on the bureau, where the list writes it;
    each clause says the level it binds and its place in the table."""
    from rdflib.namespace import RDF

    ctx = map_context(SETTINGS)
    level = "https://w3id.org/gongkai/vocab/bureau-level/"
    for bureau, expected in (("丙镇人民政府", "township"), ("乙县民政局", "city-county")):
        dl = DisclosureList(title=None, bureau=Organisation(bureau), date=dt.date(2024, 1, 1),
                            items=[DisclosureItem(number=1, level2="机构职能", source=SourceRef(file="t.txt"))],
                            source_file="t.txt", source_sha256="4" * 64)
        _, g = map_list(dl, ctx)
        assert set(g.objects(ctx.iris.org(bureau), GK.bureauLevel)) == {URIRef(level + expected)}
    authorities = next(g for name, g in static_graphs(SETTINGS) if str(name).endswith("authorities"))
    clauses = set(authorities.subjects(RDF.type, GK.DisclosureClause))
    levels = {str(c).removeprefix(GIDR_2019): str(authorities.value(c, GK.clauseLevel)).removeprefix(level)
              for c in clauses}
    assert levels["/art_21/part_1"] == "city-county" and levels["/art_21/part_2"] == "township"
    assert levels["/art_19"] == levels["/art_20/point_7"] == "any"
    orders = {str(c).removeprefix(GIDR_2019): int(authorities.value(c, GK.order)) for c in clauses}
    assert sorted(orders, key=orders.__getitem__) == [
        "/art_19", *(f"/art_20/point_{n}" for n in range(1, 16)), "/art_21/part_1", "/art_21/part_2",
        "/art_12", "/art_49"]
