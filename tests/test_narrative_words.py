"""The 说明's words where a department is unlike the examples (trial M, s25): a fund it does not have, a count
of nothing, a single project, a share too small for two decimals. Each test reads the 说明 as the JSON export
writes it (`writers.jsondoc`) for a kept trial department (tests/departments/anping-*.yaml), and takes what
it expects from the department's file, not from the program."""
from __future__ import annotations

import json
import re
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import pytest
import yaml

from helpers import built_with

DEPARTMENTS = Path(__file__).parent / "departments"
LAND = DEPARTMENTS / "anping-land-reserve-2025.yaml"            # 参公 unit on 政府性基金 only, one project with targets
TESTING = DEPARTMENTS / "anping-quality-testing-2025.yaml"      # 事业单位 on 事业收入, no projects
MEDIA = DEPARTMENTS / "anping-media-2025.yaml"                  # 部门 of two 事业单位, two projects without targets
SCHOOLS = DEPARTMENTS / "anping-compulsory-education-2025.yaml"  # 2 亿 project beside 0.50 万 基本支出, no targets
YUNXI = DEPARTMENTS / "yunxi-resources-2025.yaml"               # 行政 + 参公 + 事业, many 公用经费 codes


@lru_cache(maxsize=None)
def sections(path: Path, profile: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(title, paragraphs) of the 说明, read back from the JSON export of the built package."""
    from discloser.writers.jsondoc import document_dict

    _, doc = built_with(path, profile)
    exported = json.loads(json.dumps(document_dict(doc), ensure_ascii=False, default=str))
    return tuple((s["title"], tuple(s["paragraphs"])) for s in exported["sections"])


def section(path: Path, profile: str, title: str) -> list[str]:
    [paras] = [list(p) for t, p in sections(path, profile) if t.endswith(title)]
    return paras


def text(path: Path, profile: str) -> str:
    return "\n".join(p for t, ps in sections(path, profile) for p in [t, *ps])


@lru_cache(maxsize=None)
def data(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def lines(path: Path, *, kind: str | None = None, general: bool | None = None) -> list[dict]:
    out = data(path)["expenditures"]
    if kind is not None:
        out = [e for e in out if e["kind"] == kind]
    if general is not None:
        out = [e for e in out if (e.get("fund", "一般公共预算拨款") == "一般公共预算拨款") == general]
    return out


def total(items) -> Decimal:
    return sum((Decimal(str(e["amount"])) for e in items), Decimal(0))


def yuan(amount: Decimal) -> str:
    """An amount as the Shaanxi 说明 prints 元: whole numbers without decimals."""
    return f"{amount:f}" if amount != amount.to_integral_value() else f"{amount.to_integral_value():f}"


# ---------------------------------------------------------------- D2, D11 — Shaanxi's lists

def test_shaanxi_says_once_that_there_is_no_general_budget_spending():
    """Trial M D2: without 一般公共预算 money the 经济科目 section read “（1）本单位当年一般公共预算支出0元，其中：
    （2）本单位当年一般公共预算支出0元，其中：” over nothing. It says there is none, once; the 功能科目 section too,
    and still lists the code gone this year (its change is part of the total's)."""
    assert not lines(LAND, general=True)                          # the case: no 一般公共预算 line
    economic = section(LAND, "shaanxi", "支出按经济科目分类的明细情况")
    assert economic == ["本单位当年无一般公共预算拨款安排的支出。"], economic
    functional = section(LAND, "shaanxi", "支出按功能科目分类的明细情况")
    gone = data(LAND)["prior_year"]["function"]
    assert functional[0] == "本单位当年无一般公共预算拨款安排的支出。", functional
    assert [re.match(r"（\d+）.*（(\d{7})）本年未安排，较上年减少", p).group(1) for p in functional[1:]] == sorted(gone)
    assert not any(p.endswith("其中：") for _, ps in sections(LAND, "shaanxi") for p in ps)


def test_shaanxi_lists_end_with_a_full_stop_only_after_their_last_item():
    """Trial M D11: the 功能科目 list ended “（2）……缴费人数减少。 （3）事业运行（2013850）本年未安排……”: items are
    separated by “；” and only the last — a code gone this year included — ends with “。”; the 经济科目 lists alike."""
    functional = section(TESTING, "shaanxi", "支出按功能科目分类的明细情况")
    items = [p for p in functional if re.match(r"（\d+）", p)]
    gone = [c for c in data(TESTING)["prior_year"]["function"]
            if not any(e["function"].startswith(c) for e in lines(TESTING, general=True))]
    assert gone and items[-1].startswith("（3）") and "本年未安排" in items[-1]   # the case: a vanished code follows
    assert [p[-1] for p in items] == ["；"] * (len(items) - 1) + ["。"], items
    economic = section(TESTING, "shaanxi", "支出按经济科目分类的明细情况")
    heads = [n for n, p in enumerate(economic) if p.endswith("其中：")]
    assert len(heads) == 2
    for start, end in zip(heads, heads[1:] + [len(economic)]):
        listed = economic[start + 1:end]
        assert listed and [p[-1] for p in listed] == ["；"] * (len(listed) - 1) + ["。"], listed
    assert any("本年未安排" in p for p in economic[heads[0] + 1:heads[1]])


# ---------------------------------------------------------------- D3 — Shaanxi's 公用经费

@pytest.mark.parametrize("path", [LAND, TESTING, SCHOOLS], ids=lambda p: p.stem)
def test_shaanxi_names_general_budget_public_funds_truly_when_other_money_pays_some(path):
    """Trial M D3: “本单位当年公用经费预算安排0元” beside 表3's 公用经费支出 89,000.00 — the figure is 一般公共预算's
    公用经费 only; when other money pays some 公用经费 it is called by that name (the reference's plain words stay
    for a unit whose 公用经费 is all 一般公共预算's: test_narrative's Linyou)."""
    general = total(lines(path, kind="公用经费", general=True))
    every = total(lines(path, kind="公用经费"))
    assert general != every                                       # the case
    scope = data(path)["scope"]
    [para] = section(path, "shaanxi", "公用经费情况说明")
    assert para.startswith(f"本{scope}当年一般公共预算拨款安排的公用经费{yuan(general)}元"), para
    assert "公用经费预算安排" not in para


# ---------------------------------------------------------------- D4 — national 机关运行经费

@pytest.mark.parametrize("path", [SCHOOLS, YUNXI], ids=lambda p: p.stem)
def test_national_running_costs_name_what_the_figure_holds(path):
    """Trial M D4: “机关运行经费主要用于……办公费、印刷费、邮电费、差旅费、会议费、培训费、公务用车运行维护费等” was
    fixed text, printed for a unit with 办公费 alone. It names the 款 of the 行政/参公 units' 一般公共预算 公用经费."""
    from discloser.catalog import load_catalog

    raw = data(path)
    units = raw["organization"].get("units") or [{"code": raw["organization"]["code"], "kind": raw["organization"]["kind"]}]
    admin = {u["code"] for u in units if u["kind"] != "事业单位"}
    default = units[0]["code"]
    codes = sorted({e["economic"] for e in lines(path, kind="公用经费", general=True)
                    if str(e.get("unit", default)) in admin and Decimal(str(e["amount"]))})
    catalog = load_catalog(raw["year"])
    names = "、".join(catalog.economic_dept_name(c) for c in codes)
    [para] = section(path, "national", "机关运行经费")
    ending = "" if names.endswith("支出") else "支出"     # “其他商品和服务支出支出” (trial V3 R1)
    assert para.endswith(f"。机关运行经费用于保障机构正常运转所需的{names}{ending}。"), para
    assert "等日常公用经费" not in para and "支出支出" not in para


def test_national_running_costs_ending_in_a_name_that_says_spending(tmp_path):
    """Trial V3 R1: a list ending in 其他商品和服务支出 read “……其他商品和服务支出支出”."""
    text = YUNXI.read_text(encoding="utf-8")
    line = '  - {unit: "318001", function: "2200101 行政运行", economic: "30239", kind: 公用经费, amount: 96000}'
    revenue = '  - {unit: "318001", source: 一般公共预算拨款, amount: 5899335.33}'
    assert line in text and revenue in text
    text = text.replace(line, line + "\n" + line.replace('"30239"', '"30299"').replace("96000", "1000"))
    path = tmp_path / "yunxi-30299.yaml"
    path.write_text(text.replace(revenue, revenue.replace("5899335.33", "5900335.33")), encoding="utf-8")
    [para] = section(path, "national", "机关运行经费")
    assert para.endswith("其他商品和服务支出。") and "支出支出" not in para, para


# ---------------------------------------------------------------- D6 — shares in words

@pytest.mark.parametrize("profile", ["national", "henan"])
def test_a_share_in_words_reads_zhanbi(profile):
    """Trial M D6: “占超过99.99%” / “占不足0.01%” leave “占” without its object: “占比超过99.99%”; a share in figures
    keeps “占85.33%”."""
    said = text(SCHOOLS, profile)
    assert "占比不足0.01%" in said and "占比超过99.99%" in said
    assert not re.search(r"占(?:不足|超过)", said)
    assert not re.search(r"占比\d", said)


# ---------------------------------------------------------------- D7, D9, D12 — counts of nothing and of one

def test_no_count_of_nothing_is_printed_as_a_number():
    """Trial M D7: “项目共0个”, “下属0家机关和2家事业单位”, “本部门0个预算单位开展了……”, “2个项目中0个编制了绩效目标
    （详见……绩效目标表）”: none is said in words."""
    zero = re.compile(r"(?<![\d.])0(?:个|家)")
    for path, profile, titles in [(TESTING, "shanghai", ("绩效目标设置情况", "机关运行经费预算")),
                                  (SCHOOLS, "shanghai", ("绩效目标设置情况",)),
                                  (MEDIA, "shanghai", ("绩效目标设置情况", "机关运行经费预算")),
                                  (MEDIA, "shaanxi", ("绩效目标情况说明",)), (SCHOOLS, "shaanxi", ("绩效目标情况说明",))]:
        said = "".join(p for title in titles for p in section(path, profile, title))
        assert said and not zero.search(said), (path.name, profile, said)
    assert section(TESTING, "shanghai", "绩效目标设置情况") == ["2025年度，本单位无项目支出，未编报项目绩效目标。"]
    assert section(SCHOOLS, "shanghai", "绩效目标设置情况") == ["2025年度，本单位1个项目未编报绩效目标。"]
    assert section(MEDIA, "shanghai", "绩效目标设置情况") == ["2025年度，本部门2个项目均未编报绩效目标。"]
    assert section(MEDIA, "shaanxi", "绩效目标情况说明") == ["本部门2个项目均未编制绩效目标。"]
    assert section(SCHOOLS, "shaanxi", "绩效目标情况说明") == ["本单位1个项目未编制绩效目标。"]
    assert {u["kind"] for u in data(MEDIA)["organization"]["units"]} == {"事业单位"}
    assert section(MEDIA, "shanghai", "机关运行经费预算") == [
        "2025年安平县融媒体中心无机关运行经费预算（机关运行经费只属于行政单位和参照公务员法管理的事业单位）。"]


def test_no_running_costs_either_year_says_none_and_why_in_every_profile():
    """trialY-s29 D4: a department of 事业单位 only, its prior 机关运行经费 typed 0, read in Hubei “机关运行经费支出0.00万元，
    与上年持平。” (and the national 说明 “…预算0.00万元，与上年持平”) — no reason; Henan and Shanghai said none and why.
    None this year and none last reads so in each, with the reason."""
    assert {u["kind"] for u in data(MEDIA)["organization"]["units"]} == {"事业单位"}
    assert data(MEDIA)["prior_year"]["items"]["机关运行经费"] in (0, {"amount": 0})
    why = "（机关运行经费只属于行政单位和参照公务员法管理的事业单位）。"
    for profile, title, said in [("hubei", "机关运行经费安排及增减变化情况说明", "无机关运行经费支出"),
                                 ("national", "机关运行经费", "无机关运行经费预算")]:
        [para] = section(MEDIA, profile, title)
        assert para == f"安平县融媒体中心2025年{said}{why}", (profile, para)


def test_hubei_says_a_unit_without_projects_has_no_project_spending():
    """Trial M D9: “项目支出共0.00万元，各项目均按照预算绩效管理工作的要求，开展绩效目标编制……” for a unit without
    any project."""
    assert not any(e["kind"] == "项目支出" for e in lines(TESTING)) and not data(TESTING).get("projects")
    name = data(TESTING)["organization"]["name"]
    paras = section(TESTING, "hubei", "单位预算绩效情况说明")
    assert paras[0] == f"单位预算绩效开展情况：2025年{name}无项目支出。", paras
    assert "各项目均" not in text(TESTING, "hubei")


def test_henan_keeps_its_performance_section_for_a_unit_without_projects():
    """trialE-s27 D5: Henan's 其他重要事项 lost “绩效目标设置情况” when there was no project (the reference has it,
    表14 is published empty, national says “无项目支出”); the sections after it keep their numbers."""
    assert not any(e["kind"] == "项目支出" for e in lines(TESTING)) and not data(TESTING).get("projects")
    name, year = data(TESTING)["organization"]["name"], data(TESTING)["year"]
    assert section(TESTING, "henan", "绩效目标设置情况") == [f"{name}{year}年无项目支出，未编制项目支出绩效目标。"]
    titles = [t for t, _ in sections(TESTING, "henan")]
    at = titles.index("（三）绩效目标设置情况")
    assert titles[at - 2:at + 2] == ["（一）机关运行经费支出情况", "（二）政府采购支出情况", "（三）绩效目标设置情况",
                                     "（四）国有资产占用情况"]


@pytest.mark.parametrize("path, profile, words", [
    (LAND, "national", "2025年1个项目编制了绩效目标，涉及项目预算资金"),
    (SCHOOLS, "national", "2025年1个项目未编制绩效目标。"),
    (LAND, "henan", "2025年1个预算项目编制了绩效目标。"),
    (SCHOOLS, "henan", "2025年1个预算项目未编制绩效目标。"),
], ids=["with-targets-national", "without-national", "with-targets-henan", "without-henan"])
def test_one_project_is_not_worded_as_several(path, profile, words):
    """Trial M D12: “1个项目均未编制” / “1个项目中全部编制了” / “1个预算项目中均编制了”."""
    assert len(data(path)["projects"]) == 1
    said = text(path, profile)
    assert data(path)["organization"]["name"] + words in said
    assert not re.search(r"1个(?:预算)?项目(?:中|均)", said)


def test_hubei_claims_performance_work_only_for_projects_with_targets():
    """Trial M (not done in its first fix): Hubei said “各项目均按照预算绩效管理工作的要求，开展绩效目标编制及评审……”
    for two projects of which neither has performance targets."""
    projects = data(MEDIA)["projects"]
    assert len(projects) == 2 and not any(p.get("performance") for p in projects)
    name = data(MEDIA)["organization"]["name"]
    [first] = [p for p in section(MEDIA, "hubei", "预算绩效情况说明") if "预算绩效开展情况" in p]
    assert first.startswith(f"部门预算绩效开展情况：2025年{name}项目支出共") and first.endswith("，2个项目均未编制绩效目标。"), first
    assert "各项目均" not in text(MEDIA, "hubei")


def test_several_projects_all_with_targets_read_jun():
    """Trial V3: national printed “5个项目中全部编制了绩效目标”; all of several reads “5个项目均编制了” — Henan's
    too, which read “5个预算项目中均编制了” (trialY-s29 D10)."""
    from helpers import YONGAN

    projects = data(YONGAN)["projects"]
    assert len(projects) > 1 and all(p.get("performance") for p in projects)
    said = text(YONGAN, "national")
    assert f"{data(YONGAN)['organization']['name']}2025年{len(projects)}个项目均编制了绩效目标" in said
    assert "中全部" not in said
    said = text(YONGAN, "henan")
    assert f"{data(YONGAN)['organization']['name']}2025年{len(projects)}个预算项目均编制了绩效目标" in said and "中均" not in said


def test_hubei_claims_the_work_for_its_key_projects_and_nothing_for_the_rest():
    """Some projects with targets and some without: Hubei 七 claims the work for those with them, its 重点项目 (the ones
    its 表15 publishes). It said “其余N个项目未编制绩效目标” — but Hubei publishes only its key projects' targets, so a
    project without them in the file is not one without targets (its 表14 leaves their cells blank): trialY-s29 D3."""
    spent = {e["project"] for e in lines(YUNXI) if e.get("project")}
    projects = [p for p in data(YUNXI)["projects"] if (p.get("code") or p["name"]) in spent]
    targeted = sum(1 for p in projects if p.get("performance"))
    assert 0 < targeted < len(projects)
    [first] = [p for p in section(YUNXI, "hubei", "预算绩效情况说明") if "预算绩效开展情况" in p]
    assert f"，其中{targeted}个重点项目按照预算绩效管理工作的要求" in first, first
    assert first.endswith("形成科学合理、规范完整且可量化、可评价的指标体系。") and "未编制" not in first, first
