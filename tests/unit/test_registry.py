"""The legal-source registry: the authority data in data/authorities, its validation,
matching keys, lookups and version chains."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from gongkai.errors import InputError
from gongkai.legal.keys import doc_number_key, parse_doc_number_text, title_key
from gongkai.legal.registry import SOURCE_COLUMNS, SOURCE_TYPES, Registry, in_force_at, load_registry, version_in_force
from gongkai.model import DocNumber
from gongkai.rdf.iris import IRIs

ROOT = Path(__file__).resolve().parents[2]
AUTHORITIES = ROOT / "data" / "authorities"
D = dt.date


@pytest.fixture(scope="module")
def reg() -> Registry:
    return load_registry(AUTHORITIES)


# --- the authority data itself -------------------------------------------------

def test_loads_the_project_data(reg: Registry) -> None:
    assert len(reg) >= 30
    assert {"state-council", "npcsc", "mof", "mca", "cpc-general-office",
            "ningxia-gov-office", "zhongwei-gov"} <= set(reg.bodies)
    for s in reg:
        assert s.type in SOURCE_TYPES
        assert "《" not in s.title and "》" not in s.title
        assert all(i in reg.bodies for i in s.issuers)
        assert s.source, f"{s.id} says nowhere where its facts come from"


def test_default_directory_is_the_projects(reg: Registry) -> None:
    assert len(load_registry()) == len(reg)


def test_header_is_the_documented_one() -> None:
    header = (AUTHORITIES / "legal-sources.csv").read_text(encoding="utf-8").splitlines()[0]
    assert tuple(header.split(",")) == SOURCE_COLUMNS


# (canonical title, document number) of every source in the project's reference facts
# on legal sources, and of every source the original list cites.
REFERENCE_SOURCES = [
    ("中华人民共和国政府信息公开条例", "国务院令第711号"),
    ("关于全面推进政务公开工作的意见", "中办发〔2016〕8号"),
    ("国务院办公厅关于推进重大建设项目批准和实施领域政府信息公开的意见", "国办发〔2017〕94号"),
    ("国务院办公厅关于印发政府网站发展指引的通知", "国办发〔2017〕47号"),
    ("中华人民共和国立法法", None),
    ("国务院办公厅关于印发2016年政务公开工作要点的通知", "国办发〔2016〕19号"),
    ("住房城乡建设部办公厅关于做好2012年住房保障信息公开工作的通知", None),
    ("住房城乡建设部办公厅关于进一步加强住房保障信息公开工作的通知", None),
    ("公共租赁住房管理办法", "住房和城乡建设部令第11号"),
    ("国务院办公厅关于推进公共资源配置领域政府信息公开的意见", "国办发〔2017〕97号"),
    ("经济适用住房管理办法", "建住房〔2007〕258号"),
    ("湖南省事业单位公开招聘人员办法", "湘人社规〔2025〕1号"),
    ("国务院关于鼓励社会力量兴办教育促进民办教育健康发展的若干意见", "国发〔2016〕81号"),
    ("教育部关于推进中小学信息公开工作的意见", None),
    ("教育部关于进一步做好小学升入初中免试就近入学工作的实施意见", "教基一〔2014〕1号"),
    ("中华人民共和国民办教育促进法", None),
    ("上海市政府信息公开规定", None),
    ("财政部关于印发〈地方政府债务信息公开办法(试行)〉的通知", "财预〔2018〕209号"),
    ("财政部关于印发〈地方预决算公开操作规程〉的通知", "财预〔2016〕143号"),
    ("中华人民共和国预算法", None),
    ("中华人民共和国放射性污染防治法", None),
    ("中华人民共和国海洋环境保护法", None),
    ("中华人民共和国环境影响评价法", None),
    ("中华人民共和国固体废物污染环境防治法", None),
    ("国务院办公厅关于印发开展基层政务公开标准化规范化试点工作方案的通知", "国办发〔2017〕42号"),
    ("中华人民共和国环境噪声污染防治法", None),
    ("中华人民共和国行政许可法", None),
    ("中华人民共和国环境保护法", None),
    ("中华人民共和国土地管理法", None),
    ("中华人民共和国城乡规划法", None),
    ("国务院关于进一步加强和改进最低生活保障工作的意见", "国发〔2012〕45号"),
    ("中共中央 国务院关于推进安全生产领域改革发展的意见", "中发〔2016〕32号"),
    ("交通运输部关于推进农村公路建设“七公开”制度的意见", None),
    ("关于引导农村土地经营权有序流转发展农业适度规模经营的意见", "中办发〔2014〕61号"),
    ("中华人民共和国农业机械化促进法", "中华人民共和国主席令第16号"),
    ("农业生产发展资金管理办法", "财农〔2017〕41号"),
    ("2018—2020年农机购置补贴实施指导意见", None),
    ("财政部 农业部关于全面推开农业“三项补贴”改革工作的通知", "财农〔2016〕26号"),
    ("中国公民收养子女登记办法", "民政部令第14号"),
    ("中华人民共和国国籍法", None),
    ("中华人民共和国户口登记条例", None),
    ("中华人民共和国收养法", None),
    ("四川省公安机关户政管理工作规程", None),
    ("关于加快构建现代公共文化服务体系的意见", "中办发〔2015〕2号"),
    ("中华人民共和国公共文化服务保障法", None),
    ("文化部 财政部关于做好城市社区(街道)文化中心免费开放工作的通知", "文财务函〔2016〕171号"),
    ("文化部 财政部关于推进全国美术馆、公共图书馆、文化馆(站)免费开放工作的意见", "文财务发〔2011〕5号"),
    ("文化馆服务标准", "GB/T 32939-2016"),
    ("中华人民共和国残疾人保障法", None),
    ("中共中央宣传部、教育部、财政部、文化部关于戏曲进校园的实施意见", None),
    ("中华人民共和国公共图书馆法", None),
    ("江西省基本公共文化服务保障实施标准", None),
    ("中华人民共和国食品安全法", None),
    ("食品生产经营监督检查管理办法", None),
    ("食品药品安全监管信息公开管理办法", None),
    ("中华人民共和国社会保险法", None),
    ("社会保险登记管理暂行办法", "劳动和社会保障部令第1号"),
    ("国务院关于机关事业单位工作人员养老保险制度改革的决定", "国发〔2015〕2号"),
    (("中共中央、国务院转发〈中央宣传部、司法部关于在公民中开展法治宣传教育的第七个五年规划"
     "(2016—2020年)〉的通知"), None),
    ("中华人民共和国律师法", None),
    ("法律援助条例", "国务院令第385号"),
    ("基层法律服务工作者管理办法", "司法部令第138号"),
    ("国务院对确需保留的行政审批项目设定行政许可的决定", "国务院令第412号"),
    ("国务院关于第六批取消和调整行政审批项目的决定", "国发〔2012〕52号"),
    ("国务院办公厅关于全面推行行政执法公示制度执法全过程记录制度重大执法决定法制审核制度的指导意见",
     "国办发〔2018〕118号"),
    ("城市绿化条例", "国务院令第100号"),
    ("村庄和集镇规划建设管理条例", "国务院令第116号"),
    ("建制镇规划建设管理办法", "建设部令第44号"),
    ("中华人民共和国就业促进法", None),
    ("人力资源市场暂行条例", "国务院令第700号"),
    ("广东省实施〈中华人民共和国就业促进法〉办法", None),
    ("就业服务与就业管理规定", "劳动和社会保障部令第28号"),
    ("国务院关于进一步做好新形势下就业创业工作的意见", "国发〔2015〕23号"),
    ("重庆市就业促进条例", None),
    ("关于推行地方各级政府工作部门权力清单制度的指导意见", "中办发〔2015〕21号"),
    ("自然资源规范性文件管理规定", "自然资源部令第2号"),
    ("中华人民共和国测绘法", None),
    ("矿产资源规划编制实施办法", "国土资源部令第55号"),
    ("国务院办公厅印发〈关于全面推进政务公开工作的意见〉实施细则的通知", "国办发〔2016〕80号"),
    ("危险废物经营许可证管理办法", "国务院令第408号"),
    ("国务院关于取消和下放一批行政审批项目的决定", None),
    ("中华人民共和国法律援助法", None),
    ("中华人民共和国刑事诉讼法", None),
    ("重庆市法律援助条例", None),
    ("财政预决算领域基层政务公开标准指引", "财办发〔2019〕77号"),
    ("社会救助暂行办法", "国务院令第649号"),
    ("最低生活保障审核审批办法(试行)", "民发〔2012〕220号"),
    ("国务院关于进一步健全特困人员救助供养制度的意见", "国发〔2016〕14号"),
    ("特困人员认定办法", "民发〔2016〕178号"),
    ("民政部关于贯彻落实〈国务院关于进一步健全特困人员救助供养制度的意见〉的通知", "民发〔2016〕115号"),
    ("国务院关于全面建立临时救助制度的通知", "国发〔2014〕47号"),
    ("民政部 财政部关于进一步加强和改进临时救助工作的意见", "民发〔2018〕23号"),
    ("中华人民共和国安全生产法", None),
    ("中华人民共和国矿山安全法", None),
    ("中华人民共和国突发事件应对法", None),
    ("生产安全事故报告和调查处理条例", "国务院令第493号"),
    ("云南省安全生产条例", None),
    ("危险化学品安全管理条例", "国务院令第591号"),
    ("危险化学品建设项目安全监督管理办法", "国家安全生产监督管理总局令第45号"),
    ("危险化学品经营许可证管理办法", "国家安全生产监督管理总局令第55号"),
    ("建设项目安全设施“三同时”监督管理办法", "国家安全生产监督管理总局令第36号"),
    ("非煤矿矿山企业安全生产许可证实施办法", "国家安全生产监督管理总局令第20号"),
    ("国家自然灾害救助应急预案", None),
    ("内蒙古自治区自然灾害救助应急预案", None),
    ("自然灾害救助条例", "国务院令第577号"),
    ("中央救灾物资储备管理办法", None),
    # cited by the original list
    ("中华人民共和国预算法实施条例", "国务院令第729号"),
    ("国务院办公厅关于推进社会公益事业建设领域政府信息公开的意见", "国办发〔2018〕10号"),
    (("自治区人民政府办公厅关于印发〈推进社会公益事业建设领域政府信息公开的实施意见〉"
     "〈推进公共资源配置领域政府信息公开的实施意见〉的通知"), "宁政办规发〔2019〕3号"),
    ("国务院办公厅关于印发2021年政务公开工作要点的通知", "国办发〔2021〕12号"),
    ("宁夏回族自治区2021年政务公开工作要点", None),
    ("中卫市2021年政务公开工作要点", None),
]


@pytest.mark.parametrize("title,number", REFERENCE_SOURCES, ids=[t[:16] for t, _ in REFERENCE_SOURCES])
def test_every_reference_source_is_in_the_registry(reg: Registry, title: str, number: str | None) -> None:
    by_title = reg.by_title(title) + reg.by_alias(title)
    assert by_title, f"no registry row for 《{title}》"
    if number:
        found = reg.by_doc_number(number)
        assert found is not None, number
        assert found in by_title


def test_gidr_chain(reg: Registry) -> None:
    chain = reg.versions("prc-gov-info-disclosure-regs-2019")
    assert [v.id for v in chain] == ["prc-gov-info-disclosure-regs-2007", "prc-gov-info-disclosure-regs-2019"]
    old, new = chain
    assert (old.doc_number, old.in_force, old.no_longer_in_force) == ("国务院令第492号", D(2008, 5, 1), D(2019, 5, 15))
    assert (new.doc_number, new.promulgated, new.in_force) == ("国务院令第711号", D(2019, 4, 3), D(2019, 5, 15))
    assert new.replaces == old.id
    assert "条例" in new.aliases and "政府信息公开条例" in new.aliases
    assert new.title_en == "Regulations of the People's Republic of China on Government Information Disclosure"


def test_only_the_gidr_is_called_条例(reg: Registry) -> None:  # noqa: N802 - 条例 is Chinese, which has no case
    assert {reg.work_id(s) for s in reg.by_alias("条例")} == {"prc-gov-info-disclosure-regs-2007"}


def test_budget_law_chain(reg: Registry) -> None:
    chain = reg.versions("prc-budget-law-1994")
    assert [v.in_force for v in chain] == [D(1995, 1, 1), D(2015, 1, 1), D(2018, 12, 29)]
    assert chain[-1].title_en == "Budget Law of the People's Republic of China"
    assert reg.versions(chain[1]) == chain  # from the middle too


def test_budget_law_implementing_regulations_chain(reg: Registry) -> None:
    chain = reg.versions("prc-budget-law-implementing-regs-2020")
    assert [v.doc_number for v in chain] == ["国务院令第186号", "国务院令第729号"]
    assert chain[-1].in_force == D(2020, 10, 1)


def test_2021_work_plans(reg: Registry) -> None:
    national = reg.by_doc_number("国办发〔2021〕12号")
    assert national is not None and national.type == "work-plan"
    assert national.issuers == ("state-council-general-office",)
    regional = reg.get("ningxia-gov-openness-key-points-2021")
    city = reg.get("zhongwei-gov-openness-key-points-2021")
    assert (regional.jurisdiction, city.jurisdiction) == ("宁夏回族自治区", "中卫市")
    # not known, so not given
    assert regional.doc_number is None and city.doc_number is None
    assert "not verified" in (regional.note or "") and "not verified" in (city.note or "")


def test_repealed_laws(reg: Registry) -> None:
    noise = reg.get("prc-environmental-noise-law")
    assert noise.no_longer_in_force == D(2022, 6, 5)
    assert reg.get(noise.superseded_by or "").in_force == D(2022, 6, 5)
    adoption = reg.by_title("收养法")[0]
    assert adoption.no_longer_in_force == D(2021, 1, 1)
    assert adoption.superseded_by == "prc-civil-code"
    # a successor work is not a version: the old law's chain is only itself
    assert reg.versions(noise) == [noise]


def test_issuers_and_parents(reg: Registry) -> None:
    assert [b.name for b in reg.issuers_of("cpc-sc-offices-gov-openness-opinion-2016")] == \
        ["中共中央办公厅", "国务院办公厅"]
    assert reg.body("state-council-general-office").parent == "state-council"


def test_iris_are_unique_and_follow_the_policy(reg: Registry) -> None:
    iris = IRIs("https://example.org/")
    minted = {s.id: str(reg.iri(s, iris)) for s in reg}
    assert len(set(minted.values())) == len(minted)
    assert minted["prc-gov-info-disclosure-regs-2019"] == "https://example.org/legal/guowuyuanling/711"
    assert minted["mof-local-budget-disclosure-procedures-2016"] == "https://example.org/legal/caiyu/2016/143"
    assert minted["prc-budget-law-2014"].endswith("/2014")
    assert minted["prc-civil-code"].startswith("https://example.org/legal/title/")


def test_each_work_has_its_own_iri(reg: Registry) -> None:
    """One IRI a work, shared by its versions, distinct from every version's and every other work's."""
    iris = IRIs("https://example.org/")
    works = {w.id: str(reg.work_iri(w, iris)) for w in reg.works()}
    assert len(set(works.values())) == len(works)
    assert not set(works.values()) & {str(reg.iri(s, iris)) for s in reg}
    gidr = "https://example.org/legal/work/zhonghuarenmingongheguozhengfuxinxigongkaitiaoli"
    assert works["prc-gov-info-disclosure-regs-2007"] == gidr
    assert str(reg.work_iri("prc-gov-info-disclosure-regs-2019", iris)) == gidr
    assert {str(reg.work_iri(v, iris)) for v in reg.versions("prc-budget-law-2018")} == {
        "https://example.org/legal/work/zhonghuarenmingongheguoyusuanfa"}


def test_works_sharing_a_title_are_told_apart(reg: Registry) -> None:
    import dataclasses

    first = reg.get("prc-household-registration-regs")
    twin = dataclasses.replace(first, id="twin-household-registration-regs", doc=None, doc_number=None,
                               jurisdiction="somewhere")
    two = Registry({first.id: first, twin.id: twin}, reg.bodies)
    iris = IRIs("https://example.org/")
    a, b = str(two.work_iri(first, iris)), str(two.work_iri(twin, iris))
    assert a != b and a.endswith("/prc-household-registration-regs") and b.endswith("/twin-household-registration-regs")


# --- matching keys -----------------------------------------------------------

@pytest.mark.parametrize("a,b", [
    ("《中華人民共和國政府信息公開條例》", "中华人民共和国政府信息公开条例"),
    ("湖南省事業(yè)單位公開招聘人員辦法", "湖南省事业单位公开招聘人员办法"),
    ("财政部关于印发〈地方预决算公开操作规程的通知〉", "财政部关于印发〈地方预决算公开操作规程〉的通知"),
    ("第七个五年规划(2016-2020年)>", "第七个五年规划（2016—2020年）〉"),
    ("●中华人民共和国政 府信息公开条例", "中华人民共和国政府信息公开条例"),
    ("民政部财政部关于进一步加强", "民政部 财政部关于进一步加强"),
    ("农村公路建设\"七公开\"制度", "农村公路建设“七公开”制度"),
])
def test_title_key_unifies(a: str, b: str) -> None:
    assert title_key(a) == title_key(b)


@pytest.mark.parametrize("a,b", [
    ("关于全面推进政务公开工作的意见", "国务院办公厅印发〈关于全面推进政务公开工作的意见〉实施细则的通知"),
    ("最低生活保障审核审批办法（试行）", "最低生活保障审核审批办法"),
    ("中华人民共和国法律援助条例", "法律援助条例"),
])
def test_title_key_keeps_different_titles_apart(a: str, b: str) -> None:
    assert title_key(a) != title_key(b)


@pytest.mark.parametrize("written,canonical", [
    ("国务院令第711号", "国务院令第711号"),
    ("国令第711号", "国务院令第711号"),
    ("中华人民共和国国务院令第711号", "国务院令第711号"),
    ("中华人民共和国国务院 令第711号", "国务院令第711号"),
    ("國務(wù)院令第711號", "国务院令第711号"),
    ("国务院令第七百一十一号", "国务院令第711号"),
    ("国发﹝2015﹞2号", "国发〔2015〕2号"),
    ("中办发[2015]2号", "中办发〔2015〕2号"),
    ("财预（２０１６）１４３号", "财预〔2016〕143号"),
    ("中办发 〔2016〕8 号", "中办发〔2016〕8号"),
    ("民发〔2016 )115号", "民发〔2016〕115号"),
    ("民发〔2018)23号〕", "民发〔2018〕23号"),
    ("司法部令2017年第138号", "司法部令第138号"),
    ("主席令第十六号", "主席令第16号"),
    ("GB T 32939—2016", "GB/T 32939-2016"),
])
def test_doc_number_key(written: str, canonical: str) -> None:
    assert doc_number_key(written) == canonical


def test_doc_number_key_of_docnumber_objects() -> None:
    order = DocNumber(raw="国令第711号", issuer_code="国令", serial=711, kind="order")
    assert doc_number_key(order) == "国务院令第711号"
    notice = DocNumber(raw="财预〔2016〕143号", issuer_code="财预", serial=143, year=2016)
    assert doc_number_key(notice) == "财预〔2016〕143号"
    assert doc_number_key(None) == ""


def test_parse_doc_number_text() -> None:
    d = parse_doc_number_text("财预〔2016〕143号")
    assert d is not None and (d.issuer_code, d.year, d.serial, d.kind) == ("财预", 2016, 143, "bracket")
    d = parse_doc_number_text("中华人民共和国主席令第16号")
    assert d is not None and (d.issuer_code, d.serial, d.kind) == ("主席令", 16, "order")
    assert parse_doc_number_text("GB/T 32939-2016") is None
    assert parse_doc_number_text("") is None


# --- lookups ---------------------------------------------------------------

def test_by_doc_number(reg: Registry) -> None:
    assert reg.by_doc_number("国令第711号").id == "prc-gov-info-disclosure-regs-2019"  # type: ignore[union-attr]
    assert reg.by_doc_number("国务院令第492号").id == "prc-gov-info-disclosure-regs-2007"  # type: ignore[union-attr]
    assert reg.by_doc_number("国发﹝2015﹞2号").id == "sc-institution-pension-reform-decision-2015"  # type: ignore[union-attr]
    assert reg.by_doc_number("GB T 32939—2016").id == "gb-t-32939-2016"  # type: ignore[union-attr]
    assert reg.by_doc_number("国务院令第617号") is None
    assert reg.by_doc_number("") is None


def test_by_title(reg: Registry) -> None:
    ids = {s.id for s in reg.by_title("《中華人民共和國政府信息公開條例》")}
    assert ids == {"prc-gov-info-disclosure-regs-2007", "prc-gov-info-disclosure-regs-2019"}
    assert {s.id for s in reg.by_title("政府信息公开条例")} == ids       # prefix optional
    assert reg.by_title("中华人民共和国法律援助条例") == []             # …but not addable
    assert reg.by_title("政府信息公开") == []                           # no prefix matching
    assert [s.id for s in reg.by_alias("中华人民共和国法律援助条例")] == ["prc-legal-aid-regs-2003"]


def test_version_in_force(reg: Registry) -> None:
    gidr = reg.versions("prc-gov-info-disclosure-regs-2019")
    assert version_in_force(gidr, D(2021, 6, 16)).id == "prc-gov-info-disclosure-regs-2019"  # type: ignore[union-attr]
    assert version_in_force(gidr, D(2019, 5, 14)).id == "prc-gov-info-disclosure-regs-2007"  # type: ignore[union-attr]
    assert version_in_force(gidr, D(2019, 5, 15)).id == "prc-gov-info-disclosure-regs-2019"  # type: ignore[union-attr]
    assert version_in_force(gidr, D(2007, 10, 1)) is None        # promulgated, not yet in force
    budget = reg.versions("prc-budget-law-2018")
    assert version_in_force(budget, D(2016, 3, 1)).id == "prc-budget-law-2014"  # type: ignore[union-attr]
    assert version_in_force(budget, D(1994, 6, 1)) is None
    noise = reg.versions("prc-environmental-noise-law")
    assert version_in_force(noise, D(2023, 1, 1)) is None
    assert in_force_at(noise, noise[0], D(2023, 1, 1)) is False
    assert in_force_at(noise, noise[0], D(2020, 1, 1)) is True
    assert in_force_at(noise, noise[0], None) is None


def test_version_in_force_with_unknown_dates(reg: Registry) -> None:
    # 2004 text dated, the 2009 and 2016 revisions not: after 2004 the dates do not tell
    chain = reg.versions("sc-admin-approval-retained-items-decision-2016")
    assert len(chain) == 3
    assert version_in_force(chain, D(2020, 1, 1)) is None
    assert version_in_force(chain, D(2004, 1, 1)) is None   # before the first: nothing
    # a row without any date stands for its work at any time
    single = reg.versions("prc-lawyers-law")
    assert version_in_force(single, D(2020, 1, 1)) == single[0]


# --- validation --------------------------------------------------------------

ORGS = "id,name,name_en,parent,source,note\nstate-council,国务院,,,x,\nmof,财政部,,state-council,x,\n"
HEADER = ",".join(SOURCE_COLUMNS)


def _row(id: str, *, type: str = "administrative-regulation", title: str = "某条例", doc: str = "",
         issuer: str = "state-council", in_force: str = "", no_longer: str = "", replaces: str = "",
         superseded_by: str = "", aliases: str = "", promulgated: str = "") -> str:
    cells = {"id": id, "type": type, "title": title, "doc_number": doc, "issuer": issuer,
             "promulgated": promulgated, "in_force": in_force, "no_longer_in_force": no_longer,
             "replaces": replaces, "superseded_by": superseded_by, "aliases": aliases}
    return ",".join(cells.get(c, "") for c in SOURCE_COLUMNS)


def _write(tmp: Path, rows: list[str], *, orgs: str = ORGS, header: str = HEADER) -> Path:
    (tmp / "organisations.csv").write_text(orgs, encoding="utf-8")
    (tmp / "legal-sources.csv").write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return tmp


def _error(tmp: Path, rows: list[str], **kw: str) -> InputError:
    with pytest.raises(InputError) as exc:
        load_registry(_write(tmp, rows, **kw))
    return exc.value


def test_a_small_valid_registry(tmp_path: Path) -> None:
    reg = load_registry(_write(tmp_path, [
        _row("a-2000", doc="国务院令第1号", in_force="2000-01-01"),
        _row("a-2010", doc="国务院令第2号", in_force="2010-01-01", replaces="a-2000", aliases="条例甲|某"),
    ]))
    assert [s.id for s in reg.versions("a-2000")] == ["a-2000", "a-2010"]
    assert reg.get("a-2010").aliases == ("条例甲", "某")
    assert reg.get("a-2010").row == 3


def test_a_bom_from_a_spreadsheet_is_accepted(tmp_path: Path) -> None:
    _write(tmp_path, [_row("a")])
    p = tmp_path / "legal-sources.csv"
    p.write_bytes(b"\xef\xbb\xbf" + p.read_bytes())
    assert "a" in load_registry(tmp_path)


def test_unknown_issuer(tmp_path: Path) -> None:
    e = _error(tmp_path, [_row("a"), _row("b", issuer="mof|nobody")])
    assert (Path(e.file).name, e.row, e.cell) == ("legal-sources.csv", 3, "issuer")
    assert "nobody" in str(e) and "legal-sources.csv, row 3, cell issuer" in str(e)


@pytest.mark.parametrize("value", ["2019/4/3", "2019-4-3", "2019-02-30", "3 April 2019"])
def test_bad_date(tmp_path: Path, value: str) -> None:
    e = _error(tmp_path, [_row("a", in_force=value)])
    assert (e.row, e.cell) == (2, "in_force")


def test_end_before_start(tmp_path: Path) -> None:
    e = _error(tmp_path, [_row("a", in_force="2020-01-01", no_longer="2019-01-01")])
    assert (e.row, e.cell) == (2, "no_longer_in_force")


def test_duplicate_id(tmp_path: Path) -> None:
    e = _error(tmp_path, [_row("a"), _row("b"), _row("a")])
    assert (e.row, e.cell) == (4, "id") and "row 2" in e.reason


def test_duplicate_doc_number_in_another_spelling(tmp_path: Path) -> None:
    e = _error(tmp_path, [_row("a", doc="国务院令第711号"), _row("b", doc="国令第711号")])
    assert (e.row, e.cell) == (3, "doc_number") and "'a'" in e.reason


def test_replaces_loop(tmp_path: Path) -> None:
    e = _error(tmp_path, [_row("a", replaces="c"), _row("b", replaces="a"), _row("c", replaces="b")])
    assert e.cell == "replaces" and "loops" in e.reason and e.row in (2, 3, 4)


def test_replaces_itself(tmp_path: Path) -> None:
    e = _error(tmp_path, [_row("a", replaces="a")])
    assert (e.row, e.cell) == (2, "replaces")


def test_replaces_unknown(tmp_path: Path) -> None:
    e = _error(tmp_path, [_row("a"), _row("b", superseded_by="zzz")])
    assert (e.row, e.cell) == (3, "superseded_by")


def test_chain_cannot_fork(tmp_path: Path) -> None:
    e = _error(tmp_path, [_row("a"), _row("b", replaces="a"), _row("c", replaces="a")])
    assert (e.row, e.cell) == (4, "replaces") and "fork" in e.reason


def test_chain_out_of_order(tmp_path: Path) -> None:
    e = _error(tmp_path, [_row("a", in_force="2010-01-01"), _row("b", in_force="2000-01-01", replaces="a")])
    assert (e.row, e.cell) == (3, "in_force")


@pytest.mark.parametrize("kw,cell", [
    ({"type": "statute"}, "type"),
    ({"type": ""}, "type"),
    ({"title": "《某条例》"}, "title"),
    ({"title": ""}, "title"),
])
def test_bad_cells(tmp_path: Path, kw: dict[str, str], cell: str) -> None:
    e = _error(tmp_path, [_row("a", **kw)])
    assert (e.row, e.cell) == (2, cell)


def test_bad_id(tmp_path: Path) -> None:
    e = _error(tmp_path, [_row("GIDR 2019")])
    assert (e.row, e.cell) == (2, "id")


def test_unknown_or_missing_column(tmp_path: Path) -> None:
    e = _error(tmp_path, [], header=HEADER + ",remarks")
    assert (e.row, e.cell) == (1, "remarks")
    e = _error(tmp_path, [], header=HEADER.replace("title,", ""))
    assert (e.row, e.cell) == (1, "title")


def test_too_many_cells(tmp_path: Path) -> None:
    e = _error(tmp_path, [_row("a") + ",extra"])
    assert e.row == 2


def test_organisation_errors(tmp_path: Path) -> None:
    e = _error(tmp_path, [], orgs="id,name,name_en,parent,source,note\na,甲,,b,,\n")
    assert (Path(e.file).name, e.row, e.cell) == ("organisations.csv", 2, "parent")
    e = _error(tmp_path, [], orgs="id,name,name_en,parent,source,note\na,甲,,b,,\nb,乙,,a,,\n")
    assert e.cell == "parent" and "loops" in e.reason
    e = _error(tmp_path, [], orgs="id,name,name_en,parent,source,note\na,甲,,,,\na,乙,,,,\n")
    assert (e.row, e.cell) == (3, "id")


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError) as exc:
        load_registry(tmp_path)
    assert "organisations.csv" in exc.value.file


def test_not_utf8(tmp_path: Path) -> None:
    _write(tmp_path, [])
    (tmp_path / "legal-sources.csv").write_bytes((HEADER + "\n" + _row("a")).encode("gb18030"))
    e = _error_loaded(tmp_path)
    assert "UTF-8" in e.reason


def _error_loaded(tmp: Path) -> InputError:
    with pytest.raises(InputError) as exc:
        load_registry(tmp)
    return exc.value


def test_in_force_is_unknown_without_dates(reg: Registry) -> None:
    # the 1992 text of 城市绿化条例 is the only version recorded, without dates: it is
    # the version a citation links to, but nothing says it is still in force
    chain = reg.versions("urban-greening-regs-1992")
    assert version_in_force(chain, D(2022, 1, 1)) == chain[0]
    assert in_force_at(chain, chain[0], D(2022, 1, 1)) is None
    # a law whose first entry into force is known is in force after it
    epl = reg.versions("prc-environmental-protection-law")
    assert in_force_at(epl, epl[0], D(2022, 1, 1)) is True
    assert in_force_at(epl, epl[0], D(1980, 1, 1)) is False
