"""The shipped catalogs against their sources: hand-checked samples, the five reference documents, the mapping.

The expected names here were read off the source documents named in each comment, not off our
own data files.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from discloser.catalog import SECTIONS, available_years, diff, load_catalog
from discloser.catalog.userfile import code_problem

REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "reference"
if not REFERENCE.is_dir():
    REFERENCE = Path("/work/shared/reference")
YEARS = (2023, 2024, 2025, 2026)

# (section, code, name) — each read in a source document:
SAMPLES = [
    # 支出功能分类
    ("function", "205", "教育支出"),                                   # 教育局预算公开表（economicdaily 转载）“五、教育支出”
    ("function", "2050201", "学前教育"),                                # 新会区财政局 2021-07-13：“学前教育”(科目编码:2050201)
    ("function", "208", "社会保障和就业支出"),                          # 麟游 2024 支出表
    ("function", "20805", "行政事业单位养老支出"),                      # 麟游 2024；上海 2024 预算公开文本
    ("function", "2080502", "事业单位离退休"),                          # 石龙 2023 支出表
    ("function", "2080505", "机关事业单位基本养老保险缴费支出"),        # 麟游、石龙
    ("function", "2080506", "机关事业单位职业年金缴费支出"),            # 麟游 2024
    ("function", "2089999", "其他社会保障和就业支出"),                  # 麟游 2024
    ("function", "210", "卫生健康支出"),                                # 麟游 2024
    ("function", "2101101", "行政单位医疗"),                            # 麟游、石龙
    ("function", "2101102", "事业单位医疗"),                            # 石龙 2023
    ("function", "2101103", "公务员医疗补助"),                          # 麟游 2024
    ("function", "2101501", "行政运行"),                                # 石龙 2023
    ("function", "2101506", "医疗保障经办事务"),                        # 麟游 2024
    ("function", "2101599", "其他医疗保障管理事务支出"),                # 麟游、石龙
    ("function", "2100717", "计划生育服务"),                            # 上海 2024 预算公开文本（tianbaoxitong 测试数据）
    ("function", "2120102", "一般行政管理事务"),                        # 同上，城乡社区管理事务款
    ("function", "2012902", "一般行政管理事务"),                        # 同上，群众团体事务款
    ("function", "221", "住房保障支出"),                                # 麟游 2024
    ("function", "2210201", "住房公积金"),                              # 麟游、石龙
    ("function", "2230102", "“三供一业”移交补助支出"),                  # 石龙 2023 国有资本经营预算表
    ("function", "2230203", "前瞻性战略性新兴产业发展支出"),            # 石龙 2023
    ("function", "2230499", "其他金融国有资本经营预算支出"),            # 石龙 2023
    ("function", "220", "自然资源海洋气象等支出"),                      # 省级一般公共预算支出科目表（公开仓库）
    ("function", "224", "灾害防治及应急管理支出"),                      # 同上
    # 部门预算支出经济分类
    ("economic_dept", "30106", "伙食补助费"),                           # 决算录入页面“小计301 …”顺序表；取数声明 30106
    ("economic_dept", "30107", "绩效工资"),
    ("economic_dept", "30231", "公务用车运行维护费"),
    ("economic_dept", "30240", "税金及附加费用"),
    ("economic_dept", "31011", "地上附着物和青苗补偿"),                 # 取数声明 31011
    ("economic_dept", "31203", "政府投资基金股权投资"),                 # “小计312 资本金注入 政府投资基金股权投资 …”
    ("economic_dept", "31303", "补充全国社会保障基金"),
    # 政府预算支出经济分类
    ("economic_gov", "50101", "工资奖金津补贴"),                        # 两套支出经济分类科目对照表；麟游、石龙
    ("economic_gov", "50199", "其他工资福利支出"),                      # 对照表
    ("economic_gov", "50204", "专用材料购置费"),                        # 对照表
    ("economic_gov", "50205", "委托业务费"),                            # 石龙 2023
    ("economic_gov", "50306", "设备购置"),                              # 石龙 2023
    ("economic_gov", "50502", "商品和服务支出"),                        # 石龙 2023（事业单位 30299 → 505 02）
    ("economic_gov", "50905", "离退休费"),                              # 石龙 2023
]


def test_every_year_is_shipped():
    assert set(YEARS) <= set(available_years())


@pytest.mark.parametrize("year", YEARS)
def test_samples_in_every_year(year):
    cat = load_catalog(year)
    assert cat.year == year and str(year - (year == 2026)) in cat.source
    wrong = [(s, c, n, cat.table(s).get(c)) for s, c, n in SAMPLES if cat.table(s).get(c) != n]
    assert wrong == []


@pytest.mark.parametrize("year", YEARS)
def test_codes_well_formed_and_parents_present(year):
    cat = load_catalog(year)
    for section in SECTIONS:
        table = cat.table(section)
        assert [c for c in table if code_problem(c, section)] == []
        assert [c for c in table if len(c) > 3 and (c[:3] not in table or (len(c) == 7 and c[:5] not in table))] == []


def _reference_pairs() -> set[tuple[str, str]]:
    """(code, name) as the five reference documents print them in their tables."""
    pairs = set()
    for path in sorted(REFERENCE.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            cells = [re.sub(r"\s+", "", c) for c in line.split("\t")]
            if len(cells) >= 2 and re.fullmatch(r"[235]\d{2}(\d{2}){0,2}", cells[0]) and re.match(r"[\u4e00-\u9fff“]", cells[1]):
                pairs.add((cells[0], cells[1]))
            if len(cells) >= 5 and re.fullmatch(r"2\d{2}", cells[0]) and all(re.fullmatch(r"\d{2}", c) for c in cells[1:3]):
                pairs.add((cells[0] + cells[1] + cells[2], cells[4]))
            if len(cells) >= 4 and re.fullmatch(r"3\d{4}", cells[0]) and re.fullmatch(r"5\d{4}", cells[2]):
                pairs.add((cells[2], cells[3]))
    return pairs


# Where a reference document itself is wrong, and why we do not follow it:
REFERENCE_SLIPS = {
    ("2230104", "国有企业办公务服务机构移交补助支出"),   # 石龙：“公务”应为“公共”（同表其余科目与财政部名称一致）
    ("20804", "国有资本经营预算补充社保基金支出"),       # 石龙：款行印了其下 2080451 项的名称；款名为“补充全国社会保障基金”
    ("308", "平顶山市石龙区医疗保障局"),                 # 石龙：单位编码 308001 被表格拆行，不是科目
}


def test_reference_codes_present_with_their_names():
    pairs = _reference_pairs()
    assert len(pairs) > 80      # the extraction itself works
    cat = load_catalog(2025)
    problems = []
    for code, name in sorted(pairs - REFERENCE_SLIPS):
        name = re.sub(r"\((款|项)\)$", "", name)     # 石龙 marks 22303/22399 rows “(款)”/“(项)”
        section = {"2": "function", "3": "economic_dept", "5": "economic_gov"}[code[0]]
        if cat.table(section).get(code) != name:
            problems.append((code, name, cat.table(section).get(code)))
    assert problems == []


def test_reference_mapping_rows_agree():
    """Every 部门→政府 row printed in 麟游 and 石龙 (行政单位 tables) is our 机关 mapping."""
    rows = set()
    for path in REFERENCE.glob("*.txt"):
        for line in path.read_text(encoding="utf-8").splitlines():
            cells = [c.strip() for c in line.split("\t")]
            if len(cells) >= 4 and re.fullmatch(r"3\d{4}", cells[0]) and re.fullmatch(r"5\d{4}", cells[2]):
                rows.add((cells[0], cells[2]))
    assert len(rows) >= 20
    cat = load_catalog(2024)
    assert [(d, g, cat.gov_code_for(d, "行政单位")) for d, g in sorted(rows) if cat.gov_code_for(d, "行政单位") != g] == []


# 财政部《两套支出经济分类科目对照表》（附表1）机关栏，as far as the copy found shows it:
MOF_TABLE_机关 = {
    "50101": ["30101", "30102", "30103"],
    "50102": ["30108", "30109", "30110", "30111", "30112"],
    "50103": ["30113"],
    "50199": ["30106", "30114", "30199"],
    "50201": ["30201", "30202", "30204", "30205", "30206", "30207", "30208", "30209", "30211", "30214",
              "30228", "30229", "30239", "30240"],
    "50202": ["30215"], "50203": ["30216"], "50204": ["30218", "30224", "30225"],
}


@pytest.mark.parametrize("year", YEARS)
def test_mapping_follows_the_mof_table(year):
    cat = load_catalog(year)
    for gov, depts in MOF_TABLE_机关.items():
        for unit_kind in ("行政单位", "参照公务员法管理事业单位"):
            assert {d: cat.gov_code_for(d, unit_kind) for d in depts} == {d: gov for d in depts}


@pytest.mark.parametrize("year", YEARS)
def test_every_dept_kuan_maps_for_both_kinds(year):
    cat = load_catalog(year)
    kuan = [c for c in cat.economic_dept if len(c) == 5]
    for unit_kind in ("行政单位", "参照公务员法管理事业单位", "事业单位"):
        targets = {d: cat.gov_code_for(d, unit_kind) for d in kuan}
        assert [d for d, g in targets.items() if g is None or g not in cat.economic_gov] == []
    # 机关 spend lands in 501–504, 事业单位 in 505/506, whatever the kind for the rest
    for d in kuan:
        g_admin, g_inst = cat.gov_code_for(d, "行政单位"), cat.gov_code_for(d, "事业单位")
        expected_inst = {"301": "50501", "302": "50502", "310": "50601", "309": "50602"}.get(d[:3], g_admin)
        assert g_inst == expected_inst, d
        if d[:3] in ("301", "302", "309", "310"):
            assert g_admin[:3] in ("501", "502", "503", "504")
    assert cat.gov_code_for("30305", "事业单位") == "50901" and cat.gov_code_for("30701", "事业单位") == "51101"
    assert cat.gov_code_for("31204", "事业单位") == "50701" and cat.gov_code_for("31302", "事业单位") == "51002"


@pytest.mark.parametrize("year", YEARS[1:])
def test_changes_are_what_the_data_says(year):
    """Each file's `changes:` equals the difference from the year before, computed from the files."""
    old, new = load_catalog(year - 1), load_catalog(year)
    assert new.changes["from"] == year - 1
    for section in SECTIONS:
        assert new.changes[section] == diff(old.table(section), new.table(section))


def test_documented_revisions():
    """财预〔2024〕22号 (2024-03-29) and 财预〔2025〕41号 (2025-05-23) added these spending codes (23004, under which
    the 2024 notice adds 2300412, existed before it: it is in 2023 too), and each year's `changes` names its notice."""
    assert load_catalog(2024).changes["function"]["added"] == {
        "22006": "耕地保护考核奖惩基金支出", "2300412": "自然资源海洋气象等"}
    assert "财预〔2024〕22号" in load_catalog(2024).changes["document"]
    assert "财预〔2025〕41号" in load_catalog(2025).changes["document"]
    assert load_catalog(2025).changes["function"] == {
        "added": {"22911": "中央金融机构注资特别国债财务基金支出", "23107": "中央金融机构注资特别国债还本支出"},
        "renamed": {}, "retired": {}}
    assert "财预〔2025〕41号" in load_catalog(2025).source and "财预〔2024〕22号" in load_catalog(2024).source
    assert load_catalog(2023).function_name("22006") is None and load_catalog(2024).function_name("22911") is None
    assert load_catalog(2026).function_name("23107") == "中央金融机构注资特别国债还本支出"
    assert load_catalog(2026).changes["function"] == {"added": {}, "renamed": {}, "retired": {}}


def test_diff_reports_added_renamed_retired():
    old = {"201": "一般公共服务支出", "20101": "人大事务", "234": "抗疫特别国债安排的支出"}
    new = {"201": "一般公共服务支出", "20101": "人大事务（新）", "235": "新类"}
    assert diff(old, new) == {"added": {"235": "新类"}, "renamed": {"20101": ["人大事务", "人大事务（新）"]},
                              "retired": {"234": "抗疫特别国债安排的支出"}}


def test_2026_says_it_follows_2025_and_a_later_year_borrows():
    assert "2025" in load_catalog(2026).source and "2026" in load_catalog(2026).source
    later = load_catalog(2031)
    assert later.year == 2031 and "无2031年目录，沿用2026年" in later.source
    assert later.function_name("2050201") == "学前教育"
    assert later.is_complete("function") is False          # a borrowed year claims nothing


def test_completeness_flags():
    cat = load_catalog(2025)
    assert cat.is_complete("econ") and not cat.is_complete("function") and not cat.is_complete("gov")
