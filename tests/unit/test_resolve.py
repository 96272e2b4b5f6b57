"""Citation resolution against the project's registry.

The core test resolves real citations, as written in real disclosure lists (the original
list, the sample lists and the project's reference citations), each with the source it
truly names (None where no registry entry is right). Precision must be 100 %: no
citation may link to anything but its true source. Recall is printed: a citation left
unresolved for lack of evidence (an undated list citing a work with two versions) costs
recall, never precision.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from gongkai.fields.citations import split_citations
from gongkai.legal.keys import title_key
from gongkai.legal.registry import Registry, load_registry
from gongkai.legal.resolve import Resolution, resolve, resolve_all
from gongkai.model import Citation, DocNumber

ROOT = Path(__file__).resolve().parents[2]
D = dt.date


@pytest.fixture(scope="module")
def reg() -> Registry:
    return load_registry(ROOT / "data" / "authorities")


def dn(code: str, serial: int, year: int | None = None, raw: str = "") -> DocNumber:
    kind = "order" if year is None else "bracket"
    return DocNumber(raw=raw or code, issuer_code=code, serial=serial, year=year, kind=kind)  # type: ignore[arg-type]


def cit(raw: str, title: str | None = None, doc: DocNumber | None = None) -> Citation:
    return Citation(raw=raw, title=title, doc_number=doc)


# the list dates (填表时间 or the page's publication date); None where the page gives none
SEED = D(2021, 6, 16)
S04, S22, S31, S37 = D(2024, 12, 31), D(2026, 3, 7), D(2023, 6, 28), D(2021, 6, 1)
S46, S49, S55, S58, S61 = D(2021, 1, 9), D(2025, 5, 24), D(2024, 1, 18), D(2022, 9, 27), D(2022, 9, 3)

GIDR = "prc-gov-info-disclosure-regs-2019"
OPINION = "cpc-sc-offices-gov-openness-opinion-2016"
GIDR_711 = dn("国务院令", 711)

# (citation, list date, the source it truly names or None)
CASES: list[tuple[Citation, dt.date | None, str | None]] = [
    # the original list
    (cit("《中华人民共和国政 府信息公开条例》", "中华人民共和国政府信息公开条例"), SEED, GIDR),
    (cit("《预算法》", "预算法"), SEED, "prc-budget-law-2018"),
    (cit("《预算法实施条例（2020年）》", "预算法实施条例（2020年）"), SEED, "prc-budget-law-implementing-regs-2020"),
    (cit("《财政部关于印发〈地方预决算公开操作规程的通知〉》（财预〔2016〕143号）",
         "财政部关于印发〈地方预决算公开操作规程的通知〉", dn("财预", 143, 2016)),
     SEED, "mof-local-budget-disclosure-procedures-2016"),
    (cit("国家、自治区、中卫市2021年政务公开工作要点", "国家2021年政务公开工作要点"), SEED,
     "sc-office-gov-openness-key-points-2021"),
    (cit("国家、自治区、中卫市2021年政务公开工作要点", "自治区2021年政务公开工作要点"), SEED,
     "ningxia-gov-openness-key-points-2021"),
    (cit("国家、自治区、中卫市2021年政务公开工作要点", "中卫市2021年政务公开工作要点"), SEED,
     "zhongwei-gov-openness-key-points-2021"),
    (cit("《国务院办公厅关于推进社会公益事业建设领域政府信息公开的意见》（国办发〔2018〕10号）",
         "国务院办公厅关于推进社会公益事业建设领域政府信息公开的意见", dn("国办发", 10, 2018)),
     SEED, "sc-office-public-welfare-disclosure-opinion-2018"),
    (cit("《自治区人民政府办公厅关于印发〈推进社会公益事业建设领域政府信息公开的实施意见〉〈推进公共资源配置"
         "领域政府信息公开的实施意见〉的通知》（宁政办规发〔2019〕3号）",
         "自治区人民政府办公厅关于印发〈推进社会公益事业建设领域政府信息公开的实施意见〉〈推进公共资源配置"
         "领域政府信息公开的实施意见〉的通知", dn("宁政办规发", 3, 2019)),
     SEED, "ningxia-office-public-welfare-resources-disclosure-2019"),
    # 01 赛罕区 (undated)
    (cit("《中华人民共和国政府信息公开条例》", "中华人民共和国政府信息公开条例"), None, GIDR),
    (cit("《关于全面推进政务公开工作的意见》", "关于全面推进政务公开工作的意见"), None, OPINION),
    (cit("《关于推进重大建设项目批准和实施领域政府信息公开的意见》",
         "关于推进重大建设项目批准和实施领域政府信息公开的意见"), None,
     "sc-office-major-projects-disclosure-opinion-2017"),
    # 02 鳳屯鎮 (undated, traditional)
    (cit("《中華人民共和國政府信息公開條例》(國務院令第711號)", "中華人民共和國政府信息公開條例",
         dn("國務院令", 711, raw="國務院令第711號")), None, GIDR),
    # 04 黄石 (2024-12)
    (cit("《中华人民共和国政府信息公开条例》国务院令第711号,第二十条第二款:机关职能、机构设置、办公地址、"
         "办公时间、联系方式、负责人姓名", "中华人民共和国政府信息公开条例", GIDR_711), S04, GIDR),
    (cit("《国务院办公厅关于印发政府网站发展指引的通知》国办发〔2017〕47号:发布本地区、本部门、本机构的"
         "负责人信息", "国务院办公厅关于印发政府网站发展指引的通知", dn("国办发", 47, 2017)), S04,
     "sc-office-gov-website-guidelines-2017"),
    (cit("《中华人民共和国预算法》第十四条:经本级政府财政", "中华人民共和国预算法"), S04, "prc-budget-law-2018"),
    # 07 东城街道 住房保障 (undated)
    (cit("《经济适用住房管理办法》", "经济适用住房管理办法"), None, "moc-affordable-housing-measures-2007"),
    (cit("《住房城乡建设部办公厅关于做好2012年住房保障信息公开工作的通知》",
         "住房城乡建设部办公厅关于做好2012年住房保障信息公开工作的通知"), None,
     "mohurd-office-housing-security-disclosure-2012"),
    (cit("《住房城乡建设部办公厅关于进一步加强住房保障信息公开工作的通知》",
         "住房城乡建设部办公厅关于进一步加强住房保障信息公开工作的通知"), None,
     "mohurd-office-housing-security-disclosure-strengthening"),
    (cit("《国务院办公厅关于推进公共资源配置领域政府信息公开的意见》",
         "国务院办公厅关于推进公共资源配置领域政府信息公开的意见"), None,
     "sc-office-public-resources-disclosure-opinion-2017"),
    (cit("《公共租赁住房管理办法》", "公共租赁住房管理办法"), None, "mohurd-public-rental-housing-measures-2012"),
    # 08 沅江 (undated, traditional, mirror-site pinyin)
    (cit("《中華人民共和國政府信息公開條例》(國務(wù)院令第711號)", "中華人民共和國政府信息公開條例",
         dn("国务院令", 711, raw="國務(wù)院令第711號")), None, GIDR),
    (cit("《湖南省事業(yè)單位公開招聘人員辦法》(湘人社規(guī)〔2025〕1號)", "湖南省事業單位公開招聘人員辦法",
         dn("湘人社規", 1, 2025)), None, "hunan-public-institution-recruitment-measures-2025"),
    (cit("《中華人民共和國政府信息公開條例》(國務(wù)院令第711號)第二十條:行政機關(guān)應(yīng)當(dāng)依照本條例",
         "中華人民共和國政府信息公開條例", dn("国务院令", 711)), None, GIDR),
    # 16 嘉鱼县 生态环境 (undated)
    (cit("《中华人民共和国环境影响评价法》", "中华人民共和国环境影响评价法"), None,
     "prc-environmental-impact-assessment-law"),
    (cit("《中华人民共和国海洋环境保护法》", "中华人民共和国海洋环境保护法"), None,
     "prc-marine-environment-protection-law"),
    (cit("《中华人民共和国放射性污染防 治法》", "中华人民共和国放射性污染防治法"), None,
     "prc-radioactive-pollution-law"),
    (cit("《中华人民共和国固体废 、物污染环境防治法》", "中华人民共和国固体废、物污染环境防治法"), None,
     "prc-solid-waste-law"),
    (cit("《中华人民共和国环境噪声污染防治法》", "中华人民共和国环境噪声污染防治法"), None,
     "prc-environmental-noise-law"),
    (cit("《关于全面推进政务公开工作的意见》(中办发 〔2016〕8 号)", "关于全面推进政务公开工作的意见",
         dn("中办发", 8, 2016)), None, OPINION),
    (cit("《开展基", "开展基"), None, None),  # cell cut off mid-title
    # 19 文山 (undated)
    (cit("《开展基层政务公开标准化规范化试点工作方案》(国办发〔2017〕42 号)",
         "开展基层政务公开标准化规范化试点工作方案", dn("国办发", 42, 2017)), None,
     "sc-office-grassroots-openness-pilot-plan-2017"),
    # 22 荷花镇 社会救助 (2026-03)
    (cit("● 《社会救助暂行办法》(国务院令第649号)", "社会救助暂行办法", dn("国务院令", 649)), S22,
     "social-assistance-interim-measures-2014"),
    (cit("● 《国务院关于进一步加强和改进最低生活保障工 作的意见》(国发〔2012〕45号)",
         "国务院关于进一步加强和改进最低生活保障工作的意见", dn("国发", 45, 2012)), S22,
     "sc-minimum-living-security-opinion-2012"),
    (cit("● 《最低生活保障审核审批办法(试行)》(民发 〔2012〕220号)", "最低生活保障审核审批办法(试行)",
         dn("民发", 220, 2012)), S22, "mca-minimum-living-security-review-measures-2012"),
    (cit("● 《国务院关于进一步健全特困人员救助供养制度 的意见》(国发〔2016〕14号)",
         "国务院关于进一步健全特困人员救助供养制度的意见", dn("国发", 14, 2016)), S22,
     "sc-destitute-persons-support-opinion-2016"),
    (cit("●民政部关于印发《特困人员认定办法》的通知 (民发〔2016〕178号)",
         "民政部关于印发〈特困人员认定办法〉的通知", dn("民发", 178, 2016)), S22,
     "mca-destitute-persons-identification-measures-2016"),
    (cit("●民政部关于贯彻落实《国务院关于进一步健全特 困人员救助供养制度的意见》的通知(民发〔2016 )115号)",
         "民政部关于贯彻落实〈国务院关于进一步健全特困人员救助供养制度的意见〉的通知", dn("民发", 115, 2016)),
     S22, "mca-destitute-persons-support-implementation-notice-2016"),
    (cit("● 《国务院关于全面建立临时救助制度的通知》 (国发〔2014〕47号)", "国务院关于全面建立临时救助制度的通知",
         dn("国发", 47, 2014)), S22, "sc-temporary-assistance-notice-2014"),
    (cit("● 《民政部财政部关于进一步加强和改进临时救助 工作的意见》(民发〔2018)23号〕",
         "民政部财政部关于进一步加强和改进临时救助工作的意见", dn("民发", 23, 2018)), S22,
     "mca-mof-temporary-assistance-opinion-2018"),
    (cit("●中华人民共和国政 府信息公开条例"), S22, GIDR),  # a bare title, no 《》
    # 25 新疆 安全生产 (undated)
    (cit("《关于全面推进政务公开工作的意见》(中办发﹝2016﹞8号)", "关于全面推进政务公开工作的意见",
         dn("中办发", 8, 2016, raw="中办发﹝2016﹞8号")), None, OPINION),
    # 28 苏尼特左旗 交通运输 (undated)
    (cit("《交通运输部关于推进农村公路建设“七公开”制度的意见》", "交通运输部关于推进农村公路建设“七公开”制度的意见"),
     None, "mot-rural-road-seven-disclosures-opinion"),
    # 31 户籍管理 (2023-06)
    (cit("《户口登记条例》", "户口登记条例"), S31, "prc-household-registration-regs"),
    (cit("《收养法》", "收养法"), S31, "prc-adoption-law"),  # repealed: the list still names it
    (cit("《中国公民收养子女登记办法》", "中国公民收养子女登记办法"), S31, "mca-adoption-registration-measures-1999"),
    (cit("《国籍法》", "国籍法"), S31, "prc-nationality-law"),
    (cit("《政府信息公开条例》", "政府信息公开条例"), S31, GIDR),
    # 34 蓬莱派出所 (undated)
    (cit("《四川省公安机关户政管理工作规程》", "四川省公安机关户政管理工作规程"), None,
     "sichuan-police-household-admin-work-rules"),
    (cit("《中华人民共和国户口登记条例》", "中华人民共和国户口登记条例"), None, "prc-household-registration-regs"),
    # 37 兴国 公共文化 (2021-06)
    (cit("《中华人民共和国公共文化服务保障法》", "中华人民共和国公共文化服务保障法"), S37,
     "prc-public-cultural-services-law"),
    (cit("《文化部 财政部关于推进全国美术馆、公共图书馆、文化馆(站)免费开放工作的意见》",
         "文化部 财政部关于推进全国美术馆、公共图书馆、文化馆(站)免费开放工作的意见"), S37,
     "moc-mof-free-admission-opinion-2011"),
    (cit("《文化部 财政部关于做好城市社区(街道)文化中心免费开放工作的通知》",
         "文化部 财政部关于做好城市社区(街道)文化中心免费开放工作的通知"), S37,
     "moc-mof-community-cultural-centres-notice-2016"),
    (cit("《中华人民共和国残疾人保障法》", "中华人民共和国残疾人保障法"), S37, "prc-disabled-persons-protection-law"),
    (cit("《中共中央办公厅 国务院办公厅印发关于加快构建现代公共文化服务体系的意见》",
         "中共中央办公厅 国务院办公厅印发关于加快构建现代公共文化服务体系的意见"), S37,
     "cpc-sc-offices-public-cultural-services-opinion-2015"),
    (cit("《江西省基本公共文化服务保障实施标准》", "江西省基本公共文化服务保障实施标准"), S37,
     "jiangxi-basic-public-cultural-services-standard"),
    (cit("《中华人民共和国政府信息公开条例》", "中华人民共和国政府信息公开条例"), S37, GIDR),
    # 40 东城 市场监管 (undated, traditional)
    (cit("《中華人民共和國食品安全法》", "中華人民共和國食品安全法"), None, "prc-food-safety-law"),
    (cit("《關于全面推進政務公開工作的意見》", "關于全面推進政務公開工作的意見"), None, OPINION),
    # which of the 2016 and 2021 measures: the list gives no date, so no one can tell
    (cit("《食品生產經營監督檢查管理辦法》", "食品生產經營監督檢查管理辦法"), None, None),
    (cit("《食品藥品安全監管信息公開管理辦法》", "食品藥品安全監管信息公開管理辦法"), None,
     "cfda-food-drug-regulatory-info-disclosure-measures"),
    (cit("《政府信息公開條例》", "政府信息公開條例"), None, GIDR),
    # 43 三门 社会保险 (undated)
    (cit("1.《中华人民共和国政府信息公开条例》(中华人民共和国国务院令第711号)", "中华人民共和国政府信息公开条例",
         dn("国务院令", 711, raw="中华人民共和国国务院令第711号")), None, GIDR),
    (cit("2.《中华人民共和国社会保险法》(2010年10月28日第十一届全国人民代表大会常务委员会第十七次会议通过,"
         "根据2018年12月29日第十三届全国人民代表大会常务委员会第七次会议《关于修改〈中华人民共和国社会保险法〉"
         "的决定》修正)", "中华人民共和国社会保险法"), None, "prc-social-insurance-law"),
    (cit("3.《国务院关于机关事业单位工作人员养老保险制度改革的决定》(国发﹝2015﹞2号)",
         "国务院关于机关事业单位工作人员养老保险制度改革的决定", dn("国发", 2, 2015)), None,
     "sc-institution-pension-reform-decision-2015"),
    # 46 嘉荫 公共法律服务 (2021-01)
    (cit("《中共中央、国务院转发<中央宣传部、司法部关于在公民中开展法治宣传教育的第七个五年规划(2016-2020年)>》",
         "中共中央、国务院转发〈中央宣传部、司法部关于在公民中开展法治宣传教育的第七个五年规划(2016-2020年)〉"),
     S46, "cpc-sc-seventh-legal-education-plan-notice-2016"),
    (cit("《黑龙江省“七五”普法规划》", "黑龙江省“七五”普法规划"), S46, None),
    # a wrong title, linked only because the registry lists it as a reviewed variant
    (cit("《中华人民共和国法律援助条例》", "中华人民共和国法律援助条例"), S46, "prc-legal-aid-regs-2003"),
    # 49 天门 城管 (2025-05)
    (cit("《中华人民共和国政府信息公开条例》国务院令第711号,第二十条第七款:财政预算、决算信息。",
         "中华人民共和国政府信息公开条例", GIDR_711), S49, GIDR),
    (cit("《财政部关于印发财政预决算领域基层政务公开标准指引的通知》财办发〔2019〕77号:收支总体情况表",
         "财政部关于印发财政预决算领域基层政务公开标准指引的通知", dn("财办发", 77, 2019)), S49,
     "mof-grassroots-budget-disclosure-guideline-2019"),
    # 52 腾冲 就业 (undated)
    (cit("1. 《中华人民共和国政府信息公开条例》(中华人民共和国国务院 令第711号)", "中华人民共和国政府信息公开条例",
         GIDR_711), None, GIDR),
    (cit("2《中华人民共和国就业促进法》(2007年8月30日第十届全国人民 代表大会常务委员会第二十九次会议通过根据"
         "2015年4月24日第十 二届全国人民代表大会常务委员会第十四次《关于修改〈中华人民 共和国电力法〉等六部"
         "法律的决定》修正)", "中华人民共和国就业促进法"), None, "prc-employment-promotion-law"),
    (cit("3《人力资源市场暂行条例》(中华人民共和国国务院令第700号)", "人力资源市场暂行条例", dn("国务院令", 700)),
     None, "hr-market-interim-regs-2018"),
    # 55 云阳 养老服务 (2024-01): too vague to name any document
    (cit("信息公开规定"), S55, None),
    # 58 南江 自然资源 (2022-09)
    (cit("《政府信息公开条例》", "政府信息公开条例"), S58, GIDR),
    (cit("《关于推行地方各级政府工作部门权力清单制度的指导意见》(中办发〔2015〕21号)",
         "关于推行地方各级政府工作部门权力清单制度的指导意见", dn("中办发", 21, 2015)), S58,
     "cpc-sc-offices-power-list-opinion-2015"),
    (cit("《自然资源规范性文件管理规定》(自然资源部令第2号)", "自然资源规范性文件管理规定", dn("自然资源部令", 2)),
     S58, "mnr-normative-documents-provisions-2018"),
    (cit("《测绘法》", "测绘法"), S58, "prc-surveying-mapping-law"),
    (cit("《矿产资源规划编制实施办法》", "矿产资源规划编制实施办法"), S58, "mlr-mineral-resources-planning-measures"),
    # 61 三龙镇 救灾 (2022-09)
    (cit("《中华人民共和国政府信息公开条例》(国令第711号)", "中华人民共和国政府信息公开条例",
         dn("国令", 711, raw="国令第711号")), S61, GIDR),
]


def _precision_recall(results: list[tuple[str | None, str | None]]) -> tuple[list[str], float]:
    wrong = [f"{got} for {exp}" for got, exp in results if got is not None and got != exp]
    expected = [(g, e) for g, e in results if e is not None]
    recall = sum(g == e for g, e in expected) / len(expected)
    return wrong, recall


def test_enough_real_citations() -> None:
    assert len(CASES) >= 60


def test_real_citations_precision_and_recall(reg: Registry) -> None:
    results = [(resolve(c, reg, at).source_id, exp) for c, at, exp in CASES]
    wrong, recall = _precision_recall(results)
    print(f"\nresolution of {len(CASES)} real citations: precision 100 %, recall {recall:.0%}")
    assert not wrong, wrong
    assert recall >= 0.85


@pytest.mark.parametrize("case", CASES, ids=[f"{i:02d}" for i in range(len(CASES))])
def test_each_real_citation(reg: Registry, case: tuple[Citation, dt.date | None, str | None]) -> None:
    c, at, expected = case
    r = resolve(c, reg, at)
    assert r.source_id in (expected, None), r
    if r.source_id is None:
        assert r.method is None and r.reason
    else:
        assert r.method in ("doc-number", "title", "alias")
        assert r.source_id in r.candidates


# the same citations as legal-basis cells, through the citation parser: (cell, list date,
# [(a fragment naming one citation, the source it truly names)])
CELLS: list[tuple[str, dt.date | None, list[tuple[str, str | None]]]] = [
    (("《中华人民共和国政 府信息公开条例》； 《预算法》； 《预算法实施条例（2020年）》； "
      "《财政部关于印发〈地方预决算公开操作规程的通知〉》（财预〔2016〕143号）"), SEED,
     [("政府信息公开条例", GIDR), ("预算法", "prc-budget-law-2018"),
      ("预算法实施条例", "prc-budget-law-implementing-regs-2020"),
      ("地方预决算公开操作规程", "mof-local-budget-disclosure-procedures-2016")]),
    (("《中华人民共和国政府信息公开条例》， 国家、自治区、中卫市2021年政务公开工作要点； 《国务院办公厅关于推进社会"
     "公益事业建设领域政府信息公开的意见》（国办发〔2018〕10号）； 《自治区人民政府办公厅关于印发〈推进社会公益事业"
     "建设领域政府信息公开的实施意见〉〈推进公共资源配置领域政府信息公开的实施意见〉的通知》（宁政办规发〔2019〕3号）"),
     SEED,
     [("政府信息公开条例", GIDR), ("国家2021年", "sc-office-gov-openness-key-points-2021"),
      ("自治区2021年", "ningxia-gov-openness-key-points-2021"),
      ("中卫市2021年", "zhongwei-gov-openness-key-points-2021"),
      ("国务院办公厅关于推进社会公益事业", "sc-office-public-welfare-disclosure-opinion-2018"),
      ("自治区人民政府办公厅关于印发", "ningxia-office-public-welfare-resources-disclosure-2019")]),
    (("《中华人民共和国政府信息公开条例》、《关于全面推进政务公开工作的意见》、《关于推进重大建设项目批准和实施领域政府"
     "信息公开的意见》"), None,
     [("政府信息公开条例", GIDR), ("关于全面推进政务公开工作的意见", OPINION),
      ("重大建设项目", "sc-office-major-projects-disclosure-opinion-2017")]),
    ("《中華人民共和國政府信息公開條例》(國務(wù)院令第711號)", None, [("政府信息公開條例", GIDR)]),
    ("《湖南省事業(yè)單位公開招聘人員辦法》(湘人社規(guī)〔2025〕1號)", None,
     [("湖南省", "hunan-public-institution-recruitment-measures-2025")]),
    (("《中华人民共和国政府信息公开条例》国务院令第711号,第二十条第二款:机关职能、机构设置、办公地址、办公时间、"
     "联系方式、负责人姓名"), S04, [("政府信息公开条例", GIDR)]),
    ("《中华人民共和国预算法》第十四条:经本级政府财政", S04, [("预算法", "prc-budget-law-2018")]),
    (("《中华人民共和国固体废 、物污染环境防治法》《中华人民共和国环境噪声污染防治法》《中华人民共和国海洋环境保护法》"
     "《中华人民共和国政府信息公开条例》《关于全面推进政务公开工作的意见》(中办发 〔2016〕8 号)、《开展基"), None,
     [("固体废", "prc-solid-waste-law"), ("环境噪声", "prc-environmental-noise-law"),
      ("海洋环境", "prc-marine-environment-protection-law"), ("政府信息公开条例", GIDR),
      ("关于全面推进政务公开工作的意见", OPINION), ("开展基", None)]),
    (("《中华人民共和国固体废物污染环境防治法》《中华人民共和国环境噪声污染防治法》《中华人民共和国海洋环境保护法》"
     "《中华人民共和国政府信息公开条例》《关于全面推进政务公开工作的意见》(中办发〔2016〕8 号)、《开展基层政务公开"
     "标准化规范化试点工作方案》(国办发〔2017〕42 号)"), None,
     [("固体废", "prc-solid-waste-law"), ("环境噪声", "prc-environmental-noise-law"),
      ("海洋环境", "prc-marine-environment-protection-law"), ("政府信息公开条例", GIDR),
      ("关于全面推进政务公开工作的意见", OPINION),
      ("开展基层政务公开", "sc-office-grassroots-openness-pilot-plan-2017")]),
    (("● 《社会救助暂行办法》(国务院令第649号)\n● 《国务院关于进一步加强和改进最低生活保障工 作的意见》(国发〔2012〕"
     "45号)\n● 《最低生活保障审核审批办法(试行)》(民发 〔2012〕220号)\n●民政部关于印发《特困人员认定办法》的通知 "
     "(民发〔2016〕178号)\n●民政部关于贯彻落实《国务院关于进一步健全特 困人员救助供养制度的意见》的通知(民发〔2016 )"
     "115号)\n● 《民政部财政部关于进一步加强和改进临时救助 工作的意见》(民发〔2018)23号〕\n●中华人民共和国政 府信息"
     "公开条例"), S22,
     [("社会救助暂行办法", "social-assistance-interim-measures-2014"),
      ("最低生活保障工作", "sc-minimum-living-security-opinion-2012"),
      ("最低生活保障审核审批办法", "mca-minimum-living-security-review-measures-2012"),
      ("特困人员认定办法", "mca-destitute-persons-identification-measures-2016"),
      ("民政部关于贯彻落实", "mca-destitute-persons-support-implementation-notice-2016"),
      ("临时救助", "mca-mof-temporary-assistance-opinion-2018"), ("政府信息公开条例", GIDR)]),
    ("《户口登记条例》、《收养法》、《中国公民收养子女登记办法》、《国籍法》、《政府信息公开条例》", S31,
     [("户口登记条例", "prc-household-registration-regs"), ("收养法", "prc-adoption-law"),
      ("收养子女登记办法", "mca-adoption-registration-measures-1999"), ("国籍法", "prc-nationality-law"),
      ("政府信息公开条例", GIDR)]),
    (("《中华人民共和国残疾人保障法》、《中华人民共和国政府信息公开条例》、"
      "《中共中央办公厅 国务院办公厅印发关于加快构建现代公共文化服务体系的意见》"), S37,
     [("残疾人保障法", "prc-disabled-persons-protection-law"), ("政府信息公开条例", GIDR),
      ("现代公共文化服务体系", "cpc-sc-offices-public-cultural-services-opinion-2015")]),
    (("《中華人民共和國食品安全法》《政府信息公開條例》《關于全面推進政務公開工作的意見》《食品生產經營監督檢查管理辦法》"
     "《食品藥品安全監管信息公開管理辦法》"), None,
     [("食品安全法", "prc-food-safety-law"), ("政府信息公開條例", GIDR), ("關于全面推進政務公開", OPINION),
      ("食品生產經營監督檢查管理辦法", None),
      ("食品藥品安全監管信息公開管理辦法", "cfda-food-drug-regulatory-info-disclosure-measures")]),
    (("1.《中华人民共和国政府信息公开条例》(中华人民共和国国务院令第711号)\n2.《中华人民共和国社会保险法》(2010年10月"
     "28日第十一届全国人民代表大会常务委员会第十七次会议通过,根据2018年12月29日第十三届全国人民代表大会常务委员会第七次"
     "会议《关于修改〈中华人民共和国社会保险法〉的决定》修正) "
     "3.《国务院关于机关事业单位工作人员养老保险制度改革的决定》(国发﹝2015﹞2号)"), None,
     [("政府信息公开条例", GIDR), ("社会保险法", "prc-social-insurance-law"),
      ("养老保险制度改革", "sc-institution-pension-reform-decision-2015")]),
    (("《中共中央、国务院转发<中央宣传部、司法部关于在公民中开展法治宣传教育的第七个五年规划(2016-2020年)>》"
     "《黑龙江省“七五”普法规划》"), S46,
     [("第七个五年规划", "cpc-sc-seventh-legal-education-plan-notice-2016"), ("黑龙江省", None)]),
    ("《中华人民共和国法律援助条例》", S46, [("法律援助条例", "prc-legal-aid-regs-2003")]),
    ("《财政部关于印发财政预决算领域基层政务公开标准指引的通知》财办发〔2019〕77号:收支总体情况表:部门收支总体情况表",
     S49, [("财政预决算领域", "mof-grassroots-budget-disclosure-guideline-2019")]),
    (("1. 《中华人民共和国政府信息公开条例》(中华人民共和国国务院 令第711号) 2《中华人民共和国就业促进法》(2007年8月"
     "30日第十届全国人民 代表大会常务委员会第二十九次会议通过根据2015年4月24日第十 二届全国人民代表大会常务委员会第"
     "十四次《关于修改〈中华人民 共和国电力法〉等六部法律的决定》修正) 3《人力资源市场暂行条例》(中华人民共和国国务院"
     "令第700号)"), None,
     [("政府信息公开条例", GIDR), ("就业促进法", "prc-employment-promotion-law"),
      ("人力资源市场暂行条例", "hr-market-interim-regs-2018")]),
    ("信息公开规定", S55, [("信息公开规定", None)]),
    ("《政府信息公开条例》《测绘法》《矿产资源规划编制实施办法》", S58,
     [("政府信息公开条例", GIDR), ("测绘法", "prc-surveying-mapping-law"),
      ("矿产资源规划编制实施办法", "mlr-mineral-resources-planning-measures")]),
    ("《政府信息公开条例》《自然资源规范性文件管理规定》(自然资源部令第2号)", S58,
     [("政府信息公开条例", GIDR), ("自然资源规范性文件管理规定", "mnr-normative-documents-provisions-2018")]),
    ("《中华人民共和国政府信息公开条例》(国令第711号)", S61, [("政府信息公开条例", GIDR)]),
]


def test_real_cells_through_the_citation_parser(reg: Registry) -> None:
    results: list[tuple[str | None, str | None]] = []
    for cell, at, expected in CELLS:
        citations = split_citations(cell)
        assert citations, cell
        for c, r in zip(citations, resolve_all(citations, reg, at), strict=True):
            text = title_key(c.title or c.raw)
            named = [(len(title_key(f)), exp) for f, exp in expected if title_key(f) in text]
            truth = max(named)[1] if named else None
            results.append((r.source_id, truth))
            assert c.resolved_id == r.source_id and c.resolution == r.method
    wrong, recall = _precision_recall(results)
    print(f"\n{len(results)} citations parsed from {len(CELLS)} real cells: precision 100 %, "
          f"recall {recall:.0%}")
    assert not wrong, wrong
    assert recall >= 0.85


# --- the rules, one by one ------------------------------------------------------

def test_a_dated_list_gets_the_version_in_force(reg: Registry) -> None:
    c = cit("《政府信息公开条例》", "政府信息公开条例")
    r = resolve(c, reg, D(2021, 6, 16))
    assert (r.source_id, r.method, r.in_force) == (GIDR, "title", True)
    assert set(r.candidates) == {"prc-gov-info-disclosure-regs-2007", GIDR}
    assert resolve(c, reg, D(2015, 3, 1)).source_id == "prc-gov-info-disclosure-regs-2007"
    assert resolve(c, reg, D(2019, 5, 15)).source_id == GIDR
    assert resolve(cit("《预算法》", "预算法"), reg, D(2016, 1, 1)).source_id == "prc-budget-law-2014"


def test_a_document_number_names_its_version_even_out_of_force(reg: Registry) -> None:
    c = cit("《中华人民共和国政府信息公开条例》(国务院令第492号)", "中华人民共和国政府信息公开条例",
            dn("国务院令", 492))
    r = resolve(c, reg, D(2021, 6, 16))
    assert (r.source_id, r.method, r.in_force) == ("prc-gov-info-disclosure-regs-2007", "doc-number", False)
    assert "not in force" in r.reason


@pytest.mark.parametrize("cell", [
    "《中华人民共和国政府信息公开条例》（国务院令第492号公布，国务院令第711号修订）",
    ("《中华人民共和国政府信息公开条例》（2007年4月5日中华人民共和国国务院令第492号公布　"
     "2019年4月3日中华人民共和国国务院令第711号修订）"),
    "中华人民共和国政府信息公开条例（国务院令第492号公布，国务院令第711号修订）第九条",
])
def test_a_history_note_names_the_version_of_its_last_amendment(reg: Registry, cell: str) -> None:
    c, = split_citations(cell)
    assert (c.doc_number.issuer_code, c.doc_number.serial) == ("国务院令", 711)
    r = resolve(c, reg, D(2021, 6, 16))
    assert (r.source_id, r.method) == (GIDR, "doc-number")
    # without amendments the first number stands: the version as published
    first, = split_citations("《中华人民共和国政府信息公开条例》（国务院令第492号公布）")
    assert first.doc_number.serial == 492


def test_a_document_number_alone_is_enough(reg: Registry) -> None:
    r = resolve(cit("财预〔2016〕143号", None, dn("财预", 143, 2016)), reg, None)
    assert (r.source_id, r.method) == ("mof-local-budget-disclosure-procedures-2016", "doc-number")


def test_title_and_document_number_that_disagree_link_nothing(reg: Registry) -> None:
    r = resolve(cit("《中华人民共和国预算法》(国务院令第711号)", "中华人民共和国预算法", GIDR_711), reg, SEED)
    assert r.source_id is None and GIDR in r.candidates and "prc-budget-law-2018" in r.candidates
    # a short title is no evidence for a long one, even as a fragment
    r = resolve(cit("《某条例》(国务院令第711号)", "某条例", GIDR_711), reg, SEED)
    assert r.source_id is None


def test_a_document_number_no_version_carries_links_nothing(reg: Registry) -> None:
    # a list cites 国务院令2016年第617号: probably 671 with digits transposed, but a guess is no link
    c = cit("《国务院对确需保留的行政审批项目设定行政许可的决定》(国务院令2016年第617号)",
            "国务院对确需保留的行政审批项目设定行政许可的决定", dn("国务院令", 617))
    r = resolve(c, reg, D(2020, 1, 1))
    assert r.source_id is None and len(r.candidates) == 3 and "617" in r.reason
    # the amending order's number for a work recorded only in its first version
    c = cit("《就业服务与就业管理规定》(人社部令第23号)", "就业服务与就业管理规定", dn("人社部令", 23))
    assert resolve(c, reg, D(2020, 1, 1)).source_id is None


def test_a_document_number_outside_the_registry_for_a_work_without_numbers(reg: Registry) -> None:
    c = cit("《交通运输部关于推进农村公路建设“七公开”制度的意见》(某发〔2000〕1号)",
            "交通运输部关于推进农村公路建设“七公开”制度的意见", dn("某发", 1, 2000))
    r = resolve(c, reg, None)
    assert (r.source_id, r.method) == ("mot-rural-road-seven-disclosures-opinion", "title")
    assert resolve(cit("某发〔2000〕1号", None, dn("某发", 1, 2000)), reg, None).source_id is None


def test_two_works_with_one_title_stay_unresolved(reg: Registry) -> None:
    c = cit("《国务院关于取消和下放一批行政审批项目的决定》", "国务院关于取消和下放一批行政审批项目的决定")
    r = resolve(c, reg, D(2015, 1, 1))
    assert r.source_id is None and len(r.candidates) == 2 and "different documents" in r.reason


@pytest.mark.parametrize("title", [
    "政府信息公开",                                 # a prefix of a title
    "中华人民共和国政府信息公开条例实施办法",           # a title extending a known one
    "政府信息公开规定",
    "关于全面推进政务公开工作的意见实施细则",
    "中华人民共和国",
])
def test_similar_titles_are_not_linked(reg: Registry, title: str) -> None:
    assert resolve(cit(f"《{title}》", title), reg, SEED).source_id is None


def test_a_wrong_title_links_only_through_a_reviewed_alias(reg: Registry) -> None:
    c = cit("《中华人民共和国法律援助条例》", "中华人民共和国法律援助条例")
    r = resolve(c, reg, S46)
    assert (r.source_id, r.method) == ("prc-legal-aid-regs-2003", "alias")
    row = reg.get("prc-legal-aid-regs-2003")
    assert "中华人民共和国法律援助条例" in row.aliases and "wrong title" in (row.note or "")
    # the same registry without that variant: the prefix is never added silently
    bare = Registry(sources={**reg.sources, row.id: dataclasses.replace(row, aliases=())}, bodies=reg.bodies)
    r = resolve(c, bare, S46)
    assert r.source_id is None and r.method is None
    assert resolve(cit("《法律援助条例》", "法律援助条例"), bare, S46).source_id == "prc-legal-aid-regs-2003"


def test_an_undated_list_and_several_versions(reg: Registry) -> None:
    r = resolve(cit("《政府信息公开条例》", "政府信息公开条例"), reg, None)
    assert r.source_id is None and len(r.candidates) == 2 and "date" in r.reason
    # one version only: the date does not matter
    r = resolve(cit("《国籍法》", "国籍法"), reg, None)
    assert (r.source_id, r.in_force) == ("prc-nationality-law", None)


def test_a_year_qualifier_picks_that_version(reg: Registry) -> None:
    r = resolve(cit("《预算法实施条例（1995年）》", "预算法实施条例（1995年）"), reg, SEED)
    assert (r.source_id, r.in_force) == ("prc-budget-law-implementing-regs-1995", False)
    r = resolve(cit("《中华人民共和国预算法(2014年修正)》", "中华人民共和国预算法(2014年修正)"), reg, None)
    assert r.source_id == "prc-budget-law-2014"
    assert resolve(cit("《预算法实施条例（2003年）》", "预算法实施条例（2003年）"), reg, SEED).source_id is None


def test_a_repealed_law_still_links_to_itself(reg: Registry) -> None:
    r = resolve(cit("《中华人民共和国环境噪声污染防治法》", "中华人民共和国环境噪声污染防治法"), reg, D(2023, 1, 1))
    assert (r.source_id, r.in_force) == ("prc-environmental-noise-law", False)
    r = resolve(cit("《收养法》", "收养法"), reg, D(2020, 1, 1))
    assert (r.source_id, r.in_force) == ("prc-adoption-law", True)


def test_a_list_older_than_the_source(reg: Registry) -> None:
    r = resolve(cit("《中华人民共和国噪声污染防治法》", "中华人民共和国噪声污染防治法"), reg, D(2020, 1, 1))
    assert r.source_id is None and "before" in r.reason


def test_unknown_version_dates_leave_it_open(reg: Registry) -> None:
    c = cit("《国务院对确需保留的行政审批项目设定行政许可的决定》", "国务院对确需保留的行政审批项目设定行政许可的决定")
    assert resolve(c, reg, D(2020, 1, 1)).source_id is None
    assert resolve(c, reg, D(2005, 1, 1)).source_id is None   # the 2009 revision's date is unknown


def test_nothing_to_go_on(reg: Registry) -> None:
    for c in (Citation(raw=""), cit("无"), cit("国务院令第99999号", None, dn("国务院令", 99999))):
        r = resolve(c, reg, SEED)
        assert r == Resolution(None, None, (), r.reason) and r.reason


def test_resolve_all_records_the_outcome(reg: Registry) -> None:
    cs = [cit("《政府信息公开条例》", "政府信息公开条例"), cit("信息公开规定"),
          cit("(国办发〔2017〕47号)", None, dn("国办发", 47, 2017))]
    rs = resolve_all(cs, reg, SEED)
    assert [c.resolved_id for c in cs] == [GIDR, None, "sc-office-gov-website-guidelines-2017"]
    assert [c.resolution for c in cs] == ["title", None, "doc-number"]
    assert [r.source_id for r in rs] == [c.resolved_id for c in cs]
    assert rs[0].resolved and not rs[1].resolved
