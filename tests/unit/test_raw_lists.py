"""Every list in data/raw: its items, categories and some cell values, as the source files say.

The expected values were read off the source files (the text samples in data/raw, and for
the converted files the sample named in data/raw/README.md), not taken from the parser.
"""

from __future__ import annotations

import csv
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, ORG, PROV, RDF, VOID, XSD

from gongkai.ingest import ingest_file, ingest_folder, read_side_car
from gongkai.model import DisclosureList
from gongkai.rdf.mapping import map_list, org_iri
from gongkai.rdf.namespaces import GK, SPDX
from gongkai.reference_data import map_context
from gongkai.settings import Settings
from gongkai.text import clean, key

ROOT = Path(__file__).resolve().parents[2]
RAW = ROOT / "data" / "raw"
sys.path.insert(0, str(RAW / "tools"))
import convert  # noqa: E402  (data/raw/tools/convert.py)


@dataclass
class Expected:
    fmt: str
    items: int
    level1: list[str]
    basis: tuple[int, list[str] | str | None]    # item number, titles of its citations, or the
                                                 # cell as written when it cites no title (None: no cell)
    time: tuple[int, str, int | None]            # item number, time limit as written (cleaned), amount
    channels: tuple[int, list[str]]              # item number, channels checked (or listed)
    bureau: str
    parent: str | None = None
    extra: dict[int, dict[str, str]] = field(default_factory=dict)


GOV_INFO = "中华人民共和国政府信息公开条例"
GOV_INFO_T = "中華人民共和國政府信息公開條例"

EXPECTED: dict[str, Expected] = {
    "zhongwei-yunjisuan-2021.txt": Expected(
        "text-table", 18, ["概况信息", "基本信息", "重点领域", "综合管理", "服务公开"],
        (1, [GOV_INFO]), (1, "形成或变更之日起20个工作日内(法律、法规对政府信息公开期限另有规定的,从其规定)", 20),
        (1, ["中卫市人民政府门户网站"]), "中卫市云计算和大数据发展局", "中卫市人民政府"),
    "saihan-zhongdajianshe.txt": Expected(
        "cell-lines", 3, ["批准服务信息", "招标投标信息"],
        (1, [GOV_INFO, "关于全面推进政务公开工作的意见", "关于推进重大建设项目批准和实施领域政府信息公开的意见"]),
        (1, "实时公开", None),
        (1, ["政府网站", "两微一端", "纸质媒体", "公开查阅点", "政务服务中心", "便民服务站",
             "投资项目在线审批监管平台"]),
        "赛罕区人民政府", "呼和浩特市人民政府", {2: {"unplaced_marks": "项目单位"}}),
    "fengtunzhen-trad.txt": Expected(
        "pipe-text", 3, ["政府文件", "概況信息", "政府工作報告"],
        (1, [GOV_INFO_T]), (1, "信息形成或變更之日起3個工作日內", 3),
        (3, ["政府網站", "會議"]), "鳳屯鎮人民政府", None, {1: {"level_township": "√"}}),
    "huangshi-szfgz.txt": Expected(
        "pipe-text", 5, ["机关信息"],
        (2, ["国务院办公厅关于印发政府网站发展指引的通知"]), (1, "信息形成之日起20个工作日内", 20),
        (1, ["政府网站"]), "黄石市人民政府", None, {1: {"duration": "长期,最新有效"}}),
    "dongguan-dongcheng-bzxzf.txt": Expected(
        "pipe-text", 3, ["规划计划", "建设管理"],
        (1, ["经济适用住房管理办法", "住房城乡建设部办公厅关于做好2012年住房保障信息公开工作的通知",
             "住房城乡建设部办公厅关于进一步加强住房保障信息公开工作的通知",
             "国务院办公厅关于推进公共资源配置领域政府信息公开的意见"]),
        (1, "信息形成(变更)20个工作日内", 20), (2, ["政府网站", "两微一端"]),
        "东莞市东城街道办事处", "东莞市人民政府",
        {1: {"site_column": "东城街道政府网http://www.dg.gov.cn/dongcheng/", "unplaced_marks": "√√"}}),
    "yuanjiang-weijian-trad.txt": Expected(
        "pipe-text", 2, [],
        (1, [GOV_INFO_T]), (1, "自該政府信息形成或者變更之日起20個工作日內。", 20),
        (1, ["政府網站"]), "沅江市衛生健康局", "沅江市人民政府",
        {1: {"url": "http://www.71498.cn/21126/23237/39065/content_1633826.html"}}),
    "songming-weijian.xlsx": Expected(
        "xlsx", 6, ["机构概况", "服务信息", "项目建设"],
        (1, None), (2, ("主动公开信息内容发生变化的,医疗卫生机构应当自该信息形式或者变更之日起20个工作日内"
                        "予以调整。法律、法规、规章对更新期限另有规定的,从其规定。"), 20),
        (6, ["政府门户网站", "政府采购网"]), "嵩明县卫生健康局", "嵩明县人民政府"),
    "county-jiaoyu-lyg138.csv": Expected(
        "csv", 8, ["领导信息", "机构概况", "人事信息", "工作动态", "政策法规", "政策解读", "通知公告", "预算决算"],
        (1, None), (6, "与规范性文件同步发布", None), (1, ["县人民政府网站的县教育局栏目"]), "县教育局"),
    "jyx-shengtai.txt": Expected(
        "pipe-text", 2, ["行政许可"],
        (1, ["中华人民共和国环境影响评价法", "中华人民共和国海洋环境保护法", "中华人民共和国放射性污染防治法",
             GOV_INFO]),
        (1, "自该信息形成或者变更之日起20个工作日内", 20), (1, ["政府网站"]), "嘉荫县人民政府"),
    "wenshan-shengtai.txt": Expected(
        "pipe-text", 3, ["行政许可"],
        (1, ["中华人民共和国环境影响评价法", "中华人民共和国海洋环境保护法", "中华人民共和国放射性污染防治法",
             GOV_INFO]),
        (2, "自该信息形成或者变更之日起20个工作日内", 20),
        (1, ["政府网站", "两微一端", "政务服务中心", "便民服务站"]), "文山市人民政府"),
    "tengchong-hehuazhen-shehuijiuzhu.txt": Expected(
        "cell-lines", 2, ["综合业务"],
        (2, [GOV_INFO]), (1, "制定或获取信息之日起10个工作日内", 10),
        (1, ["政府网站", "社区/企事业单位/村公示栏(电子屏)"]), "腾冲市荷花镇人民政府", "腾冲市人民政府"),
    "xjbz-anquanshengchan.docx": Expected(
        "docx", 6, ["政策文件", "政策"],
        (5, [GOV_INFO, "关于全面推进政务公开工作的意见"]), (5, "按进展情况及时公开", None),
        (1, ["政府网站", "两微一端", "公开查阅点"]), "巴音郭楞蒙古自治州人民政府", None,
        {4: {"level_county": "√"}}),
    "sunitezuoqi-jiaotong.txt": Expected(
        "cell-lines", 6, ["政策法规", "公路建设"],
        (4, [GOV_INFO, "交通运输部关于推进农村公路建设“七公开”制度的意见"]),
        (1, "信息形成(变更)20个工作日内", 20), (1, ["政府网站", "交通部门网站"]),
        "苏尼特左旗交通运输局", "苏尼特左旗人民政府"),
    "tez-huji.txt": Expected(
        "cell-lines", 6, ["出生登记", "收养、入籍等登记", "注销登记", "迁移登记"],
        (2, ["户口登记条例", "收养法", "中国公民收养子女登记办法", "国籍法", "政府信息公开条例"]),
        (1, "形成或者变更之日起20个工作日内予以公开", 20), (1, ["政府网站", "山东政务服务网", "入户/现场"]),
        "台儿庄区人民政府"),
    "penglai-paichusuo-huji.txt": Expected(
        "pipe-text", 5, ["户籍管理"],
        (1, ["四川省公安机关户政管理工作规程", "中华人民共和国户口登记条例", GOV_INFO]),
        (1, "形成或者变更之日起20个工作日内予以公开", 20), (1, ["政府网站", "入户/现场"]), "蓬莱派出所",
        None, {1: {"unplaced_marks": "√√"}}),
    "xingguo-gonggongwenhua.html": Expected(
        "html", 5, ["公共", "举办各类展览、讲"],
        (2, ["中华人民共和国残疾人保障法", GOV_INFO,
             "中共中央办公厅国务院办公厅印发关于加快构建现代公共文化服务体系的意见"]),
        (1, "信息形成或变更之日起20个工作日内公开", 20), (1, ["政府网站"]), "兴国县文广新旅局",
        "兴国县人民政府", {1: {"level_township": "√"}}),
    "dongguan-dongcheng-shichangjianguan-trad.txt": Expected(
        "pipe-text", 4, ["監督檢查"],
        (1, ["中華人民共和國食品安全法", "政府信息公開條例", "關于全面推進政務公開工作的意見",
             "食品生產經營監督檢查管理辦法", "食品藥品安全監管信息公開管理辦法"]),
        (1, "信息形成或變更之日起20個工作日內", 20), (1, ["政府網站", "社區/企事業單位/村公示欄(電子屏)"]),
        "东莞市市场监督管理局东城分局", "东莞市市场监督管理局",
        {1: {"site_column": "http://www.sangco.com.cn/dongcheng/bmzl/scjg/index.html"}}),
    "sanmen-shehuibaoxian.txt": Expected(
        "pipe-text", 2, ["社会保险登记"],
        (1, [GOV_INFO, "中华人民共和国社会保险法", "国务院关于机关事业单位工作人员养老保险制度改革的决定"]),
        (1, "公开事项信息形成或变更之日起20个工作日内公开", 20), (1, ["政府网站", "政务服务中心", "其他"]),
        "三门县人力资源和社会保障局", "三门县人民政府"),
    "jiayin-gonggongfalv.txt": Expected(
        "cell-lines", 4, ["法治宣传教育", "法律援助"],
        (4, ["中华人民共和国法律援助条例"]), (4, "自制作或获取该信息之日起20个工作日内公开", 20),
        (1, ["嘉荫县司法局公众号"]), "嘉荫县司法局", "嘉荫县人民政府"),
    "tengchong-jiuye-ocr.txt": Expected(
        "pipe-text", 2, ["1.就业信息服务"],
        (1, [GOV_INFO, "中华人民共和国就业促进法", "人力资源市场暂行条例"]),
        (1, "公开事项信息形成或变更之日起20个工作日内公开", 20), (1, ["政府网站", "政务服务中心", "其他"]),
        "腾冲市荷花镇人民政府", "腾冲市人民政府"),
    "yunyang-yanglao.txt": Expected(     # the page ends after '4 |': row 4 is set aside, unread
        "pipe-text", 3, ["养老服务通用政策"],
        (1, "信息公开规定"), (1, "制定或获取文件之日起10个工作日内", 10), (1, ["政府网站", "两微一端", "政府服务中心"]),
        "云阳县民政局", "云阳县人民政府"),
    "nanjiang-ziranziyuan-spacesep.txt": Expected(
        "space-text", 3, ["机构信息", "公共服务"],
        (2, ["政府信息公开条例", "自然资源规范性文件管理规定"]), (1, "信息形成或者变更之日起20个工作日内", 20),
        (1, ["政府网站", "政府服务中心"]), "南江县自然资源局", "南江县人民政府"),
    "fuliang-sanlong-jiuzai.txt": Expected(
        "space-text", 3, ["政策文件"],
        (1, [GOV_INFO]), (1, "信息形成或变更之日起20个工作日内", 20), (1, ["政府网站", "公开查阅点", "政务服务中心"]),
        "浮梁县三龙镇人民政府", "浮梁县人民政府"),
}


@pytest.fixture(scope="module")
def lists() -> dict[str, DisclosureList]:
    results = ingest_folder(RAW, Settings(root=ROOT), workers=1)
    failed = [r.error for r in results if r.dl is None]
    assert failed == []
    return {r.path.name: r.dl for r in results if r.dl is not None}


def item(dl: DisclosureList, n: int):
    return next(it for it in dl.items if it.number == n)


def test_every_file_of_data_raw_is_expected_here(lists):
    assert sorted(lists) == sorted(EXPECTED)


def test_at_least_ten_bureaus_and_five_formats(lists):
    assert len({key(dl.bureau.name) for dl in lists.values()}) >= 10
    assert len({dl.source_format for dl in lists.values()}) >= 5


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_items_and_categories(lists, name):
    dl, exp = lists[name], EXPECTED[name]
    assert dl.source_format == exp.fmt
    assert len(dl.items) == exp.items
    assert [it.number for it in dl.items] == list(range(1, exp.items + 1))
    assert [clean(c) for c in dl.level1_categories] == exp.level1


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_legal_basis(lists, name):
    n, titles = EXPECTED[name].basis
    it = item(lists[name], n)
    if titles is None:
        assert it.legal_basis is None and it.citations == []
    elif isinstance(titles, str):
        assert it.legal_basis == titles
    else:
        assert [c.title for c in it.citations] == titles


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_time_limit(lists, name):
    n, raw, amount = EXPECTED[name].time
    tl = item(lists[name], n).time_limit
    assert tl is not None and tl.raw == raw
    assert tl.parsed
    assert tl.amount == amount


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_channel_cell(lists, name):
    n, labels = EXPECTED[name].channels
    assert item(lists[name], n).channels_checked == labels


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bureau_and_parent(lists, name):
    dl, exp = lists[name], EXPECTED[name]
    assert dl.bureau.name == exp.bureau
    assert dl.bureau.parent == exp.parent
    for n, extra in exp.extra.items():
        got = item(dl, n).extra
        assert {k: got.get(k) for k in extra} == extra


def test_traditional_citations_resolve_like_simplified_ones(lists):
    trad = item(lists["fengtunzhen-trad.txt"], 1).citations[0]
    simp = item(lists["fuliang-sanlong-jiuzai.txt"], 1).citations[0]
    assert trad.raw.startswith("《中華人民共和國") and simp.raw.startswith("《中华人民共和国")
    assert trad.resolved_id is not None and trad.resolved_id == simp.resolved_id


def test_text_is_kept_as_written(lists):
    dl = lists["fengtunzhen-trad.txt"]
    # traditional characters as on the page; the mirror site's pinyin glosses (鄉(xiāng)) are
    # artefacts, removed as extraction spaces are
    assert item(dl, 2).level2 == "鄉鎮簡介"
    assert item(dl, 1).publisher == "鎮人民政府"
    assert "(zh" not in " ".join(i.content or "" for i in dl.items)
    assert item(lists["penglai-paichusuo-huji.txt"], 3).level3 == "服现役注销"
    assert item(lists["penglai-paichusuo-huji.txt"], 3).level2 == "注销登记"  # merged above


def test_the_last_row_cut_off_by_the_file_end_is_reported(lists):
    # read as an item with a warning, or set aside as an unread row when the file ends before
    # the row's name (yunyang-yanglao: ``5 | 行政执``)
    for name in ("huangshi-szfgz.txt", "tez-huji.txt", "yunyang-yanglao.txt", "fuliang-sanlong-jiuzai.txt"):
        dl = lists[name]
        last = dl.items[-1]
        assert (any("the file ends inside this row" in w for w in last.warnings)
                or any("the file ends inside this row" in u.reason for u in dl.unread)), name


def test_sources_csv_describes_only_files_that_exist_and_dates_what_it_says():
    desc = read_side_car(RAW)
    assert set(desc) <= set(EXPECTED)
    rows = list(csv.DictReader((RAW / "sources.csv").open(encoding="utf-8")))
    assert [r["file"] for r in rows] == list(desc)
    for r in rows:
        assert r["note"], r["file"]
        if r["url"]:
            assert re.match(r"https?://", r["url"])


def test_dates_from_the_files_and_from_sources_csv(lists):
    assert str(lists["tengchong-hehuazhen-shehuijiuzhu.txt"].date) == "2026-03-07"   # 发布日期
    assert str(lists["tez-huji.txt"].date) == "2023-06-28"                            # 时间
    assert str(lists["yunyang-yanglao.txt"].date) == "2024-01-18"                     # sources.csv
    assert lists["penglai-paichusuo-huji.txt"].date is None


def test_each_lists_graph_states_its_own_size(lists):
    """void:triples on the list, in its graph: every statement of the graph, that one included."""
    ctx = map_context(Settings(root=ROOT))
    for name, dl in lists.items():
        lst, g = map_list(dl, ctx)
        assert list(g.objects(lst, VOID.triples)) == [Literal(len(g), datatype=XSD.integer)], name


# --- the same list in two formats ---------------------------------------------------------

def _without_provenance(g: Graph, lst: URIRef) -> Graph:
    """The list's graph minus what depends on the file: its source node, checksum, format,
    lines, and so the graph's size."""
    drop_subjects = {lst + "/source", lst + "/source/checksum", lst + "/ingest"}
    out = Graph()
    for s, p, o in g:
        if s in drop_subjects or o in drop_subjects:
            continue
        if p in (GK.sourceLine, GK.sourceRows, PROV.endedAtTime, VOID.triples):
            continue
        out.add((s, p, o))
    return out


@pytest.mark.parametrize("sample, fmts", [
    ("xingguo-gonggongwenhua.html", (".xlsx", ".html", ".docx", ".csv")),
    ("songming-weijian.xlsx", (".html", ".csv")),
])
def test_the_same_list_in_other_formats_gives_an_isomorphic_graph(tmp_path, sample, fmts):
    settings = Settings(root=ROOT)
    ctx = map_context(settings)
    graphs = []
    for ext in fmts:
        out = tmp_path / (Path(sample).stem + ext)
        convert.convert(RAW / sample, out)
        dl = ingest_file(out, settings, bureau="兴国县文广新旅局", parent="兴国县人民政府")
        lst, g = map_list(dl, ctx)
        assert (lst + "/source", GK.sourceFormat, Literal(ext[1:])) in g
        graphs.append(_without_provenance(g, lst))
    for g in graphs[1:]:
        assert isomorphic(graphs[0], g)
    assert len(graphs[0]) > 100


# --- bureaus ------------------------------------------------------------------------------

def test_one_organisation_per_bureau_with_its_parent(lists):
    ctx = map_context(Settings(root=ROOT))
    hehua = [lists["tengchong-hehuazhen-shehuijiuzhu.txt"], lists["tengchong-jiuye-ocr.txt"]]
    iris = {org_iri(ctx, dl.bureau) for dl in hehua}
    assert len(iris) == 1
    names = {map_list(dl, ctx)[0] for dl in hehua}
    assert len(names) == 2                                   # two lists, two named graphs
    _, g = map_list(hehua[0], ctx)
    org = iris.pop()
    assert (org, RDF.type, ORG.Organization) in g
    parent = next(g.objects(org, ORG.subOrganizationOf))
    assert (parent, RDF.type, ORG.Organization) in g
    assert str(parent).endswith("/org/tengchongshirenminzhengfu")


def test_bureaus_named_in_traditional_characters_get_their_simplified_key(lists):
    ctx = map_context(Settings(root=ROOT))
    dl = lists["yuanjiang-weijian-trad.txt"]
    assert dl.bureau.name == "沅江市衛生健康局"
    assert dl.bureau.name_simplified == "沅江市卫生健康局"
    assert str(org_iri(ctx, dl.bureau)).endswith("/org/yuanjiangshiweishengjiankangju")
    _, g = map_list(dl, ctx)
    assert (org_iri(ctx, dl.bureau), DCTERMS.publisher, None) not in g
    assert next(g.subjects(DCTERMS.publisher, org_iri(ctx, dl.bureau))) is not None
    assert SPDX.checksum in set(g.predicates())
