"""The oracle itself: it computes what a clerk computes by hand, and it finds errors planted in a real
package (a checker that cannot fail proves nothing). Then every example file, built in memory with
every shipped profile, checked by it.
"""
from __future__ import annotations

import copy
import re
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from discloser.package import build_document
from discloser.profile import available_profiles, load_profile
from discloser.tables.model import Kind
from discloser.validate import load
from helpers import QINGSHAN, YONGAN, examples_building_with, refusals_name_the_missing_fact
from oracle import check_document, summarize
from oracle.check import consistency
from oracle.classes import gov_econ
from oracle.figures import allowed, bounds, half_up
from oracle.inputs import read, read_yaml
from oracle.narrative import NarrativeChecker
from oracle.tables import Cond, Ctx

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
PROFILES = available_profiles()

SMALL = {
    "year": 2025, "scope": "部门",
    "organization": {"name": "安平县教育局", "code": "305", "kind": "行政单位", "units": [
        {"code": "305001", "name": "安平县教育局", "kind": "行政单位"},
        {"code": "305002", "name": "安平县实验小学", "kind": "事业单位"}]},
    "revenues": [
        {"source": "一般公共预算拨款", "amount": "150000.00", "unit": "305001"},
        {"source": "一般公共预算拨款", "amount": 100000, "unit": "305002"},
        {"source": "上年结转结余", "amount": "20000.50", "unit": "305002"},
        {"source": "事业收入", "amount": "30000", "unit": "305002"}],
    "expenditures": [
        {"function": "2050101", "economic": "30101", "kind": "人员经费", "amount": "100000", "unit": "305001"},
        {"function": "2050101", "economic": "30217", "kind": "公用经费", "amount": "12345.50", "unit": "305001"},
        {"function": "2050202", "economic": "30101", "kind": "人员经费", "amount": "80000", "unit": "305002"},
        {"function": "2050202", "economic": "31003", "kind": "项目支出", "amount": "20000.50", "unit": "305002",
         "fund": "上年结转结余", "project": "校园安全设施"},
        {"function": "2050202", "economic": "30201", "kind": "公用经费", "amount": "30000", "unit": "305002",
         "fund": "事业收入"}],
    "carry_forward": [{"amount": "37654.50", "unit": "305001"}, {"amount": "20000", "unit": "305002"}],
    "projects": [{"name": "校园安全设施", "unit": "305002", "type": "特定目标类"}],
}


# ------------------------------------------------------------------ the oracle computes by hand

def test_government_classification_follows_the_unit_kind():
    assert gov_econ("30101", "行政单位") == "50101"
    assert gov_econ("30101", "参照公务员法管理事业单位") == "50101"
    assert gov_econ("30101", "事业单位") == "50501"
    assert gov_econ("30201", "事业单位") == "50502"
    assert gov_econ("31003", "事业单位") == "50601" and gov_econ("30905", "事业单位") == "50602"
    assert gov_econ("31003", "行政单位") == "50306" and gov_econ("30905", "行政单位") == "50402"
    assert gov_econ("30305", "事业单位") == gov_econ("30305", "行政单位") == "50901"
    with pytest.raises(KeyError):
        gov_econ("31302", "事业单位")      # not guessed: the 事业单位 side of 313 is not in the oracle's table


def test_figures_by_hand():
    ctx = Ctx(read(SMALL), "henan")
    spend = lambda **kw: ctx.expect(Cond(**kw), "").exact  # noqa: E731
    assert spend() == Decimal("242346.00")
    assert spend(carry=True) == Decimal("300000.50") == ctx.atoms.revenue_exact(None, None)
    assert spend(gecon="505") == Decimal("110000")                 # the school's 工资福利 and 商品和服务
    assert spend(gecon="501") == Decimal("100000")                 # the bureau's 工资福利 only
    assert spend(gecon="506") == Decimal("20000.50")
    assert spend(funds=frozenset({"一般公共预算拨款"}), econs=frozenset({"30217"})) == Decimal("12345.50")
    # a unit's revenue from a fund is the same concept as its spending + 结转下年 from that fund
    rev = ctx.revenue(frozenset({"305002"}), frozenset({"一般公共预算拨款"}), "")
    assert rev.exact == Decimal("100000") and rev.atoms == ctx.expect(
        Cond(units=frozenset({"305002"}), funds=frozenset({"一般公共预算拨款"}), carry=True), "").atoms
    assert {a[0] for a in rev.atoms} == {"L", "C"}


def test_rounding_bounds():
    assert bounds(Decimal("12345650.00"), True) == (Decimal("1234.56"), Decimal("1234.57"))
    assert bounds(Decimal("12345600.00"), True) == (Decimal("1234.56"), Decimal("1234.56"))
    assert half_up(Decimal("12345650.00"), True) == Decimal("1234.57")
    assert half_up(Decimal("12345649.99"), True) == Decimal("1234.56")
    ctx = Ctx(read(SMALL), "henan")
    grand = ctx.expect(Cond(carry=True), "", grand=True)
    assert grand.grand and allowed(grand, True) == {Decimal("30.00")}
    assert not ctx.expect(Cond(funds=frozenset({"一般公共预算拨款"}), carry=True), "", grand=True).grand


def test_unbalanced_input_is_refused_by_the_oracle():
    bad = copy.deepcopy(SMALL)
    bad["revenues"][0]["amount"] = "150000.01"
    with pytest.raises(ValueError, match="not balanced"):
        read(bad)


def test_the_narrative_is_read_by_concept():
    ctx = Ctx(read({**SMALL, "prior_year": {"total": {"amount": "250000.50", "reason": "学校划入"},
                                            "general": "300000"}}), "henan")
    checker = NarrativeChecker(ctx, wan=True)

    class S:
        title, paragraphs = "测试", [
            "安平县教育局2025年收入总计30.00万元，支出总计30.00万元，与2024年预算相比，收入增长5.00万元，主要原因：学校划入；"
            "支出增长5.00万元，主要原因：学校划入。",
            "安平县教育局2025年一般公共预算支出年初预算为19.23万元。其中：基本支出19.23万元，占100.00%；项目支出0.00万元，占0.00%。",
            "一般公共预算收支预算19.24万元。与2024年相比，一般公共预算收支预算增长1.00万元。",
            "本部门当年预算收入30.00万元。"]
    checker.check([S])
    messages = [f.message for f in checker.findings]
    assert len(messages) == 2, messages
    assert any("增长1.00万元" in m and "减少" in m for m in messages)         # 192345.50 − 300000 is a decrease
    assert any("本年收入（不含上年结转结余）印作 30.00" in m for m in messages)  # 本年收入 excludes 上年结转结余
    # 19.23 and 19.24 are both a right rounding of 19.2346 — but one concept must print one value
    twice = consistency([], checker, wan=True)
    assert len(twice) == 1 and "19.23" in twice[0].message and "19.24" in twice[0].message


# ------------------------------------------------------------------ the oracle finds planted errors

def _doc(path: Path, profile: str):
    result = load(path, profile)
    assert not result.errors, [p.format() for p in result.errors]
    return read_yaml(path), build_document(result.budget, load_profile(profile))


def _new(data, doc, profile, baseline):
    return [f for f in check_document(data, doc, profile) if str(f) not in baseline]


@pytest.fixture(scope="module")
def henan():
    data, doc = _doc(ROOT / "examples" / "henan-shilong-2023.yaml", "henan")
    return data, doc, {str(f) for f in check_document(data, doc, "henan")}


def _money_cell(table, row: int):
    for n, cell in enumerate(table.body[row].cells):
        if cell.kind is Kind.money and cell.value:
            return n, cell
    raise AssertionError("no money cell")


def test_a_wrong_detail_cell_is_found(henan):
    data, doc, baseline = henan
    doc = copy.deepcopy(doc)
    table = next(t for t in doc.tables if t.key == "general_by_function")
    row = next(r for r, x in enumerate(table.body) if x.cells[0].text == "210")
    n, cell = _money_cell(table, row)
    bumped = cell.value + Decimal("0.01")
    cells = list(table.body[row].cells)
    cells[n] = replace(cell, value=bumped, text=f"{bumped:,.2f}")
    table.body[row] = replace(table.body[row], cells=tuple(cells))
    new = _new(data, doc, "henan", baseline)
    assert any(f.cls == "4" for f in new), summarize(new)       # the row no longer adds up / one concept, two values


def test_a_wrong_narrative_figure_is_found(henan):
    data, doc, baseline = henan
    doc = copy.deepcopy(doc)
    section = next(s for s in doc.sections if "一般公共预算基本支出" in s.title)
    section.paragraphs[0] = section.paragraphs[0].replace("165.42万元", "165.52万元", 1)
    new = _new(data, doc, "henan", baseline)
    assert any("165.52" in f.message for f in new), summarize(new)


def test_a_wrong_empty_flag_is_found(henan):
    data, doc, baseline = henan
    doc = copy.deepcopy(doc)
    table = next(t for t in doc.tables if t.key == "gov_fund")
    table.empty, table.empty_reason = False, ""
    new = _new(data, doc, "henan", baseline)
    assert any(f.cls == "5" for f in new), summarize(new)


def test_a_wrong_government_classification_is_found(henan):
    data, doc, baseline = henan
    data = copy.deepcopy(data)
    data["organization"]["units"][0]["kind"] = "事业单位"   # the same package is now wrong for this unit kind
    new = _new(data, doc, "henan", baseline)
    assert any(f.cls == "1" for f in new), summarize(new)


def test_a_wrong_scope_word_and_doubled_punctuation_are_found(henan):
    data, doc, baseline = henan
    doc = copy.deepcopy(doc)
    doc.sections[1].paragraphs[0] += "本单位另有说明。。"
    new = _new(data, doc, "henan", baseline)
    assert any("本单位" in f.message for f in new) and any("。。" in f.message for f in new), summarize(new)


# ------------------------------------------------------------------ … in the layouts of the newer profiles

def _built(name: str, profile: str):
    data, doc = _doc(ROOT / "examples" / name, profile)
    return data, doc, {str(f) for f in check_document(data, doc, profile)}


def _set_value(table, row: int, n: int, value: Decimal) -> None:
    cells = list(table.body[row].cells)
    cells[n] = replace(cells[n], value=value or None, text=f"{value:,.2f}" if value else "")
    table.body[row] = replace(table.body[row], cells=tuple(cells))


@pytest.fixture(scope="module")
def education_shanghai():
    return _built("anping-education-2025.yaml", "shanghai")


def test_a_summary_without_its_carry_forward_row_is_found(education_shanghai):
    """What the Shanghai layout printed before: no 上年结转结余 | 结转下年 row, totals that do not add up."""
    data, doc, baseline = education_shanghai
    assert not baseline
    doc = copy.deepcopy(doc)
    table = next(t for t in doc.tables if t.key == "summary")
    table.body = [r for r in table.body if r.cells[0].text != "上年结转结余"]
    new = _new(data, doc, "shanghai", baseline)
    assert any(f.cls == "3" and "结转下年" in f.message for f in new), summarize(new)


def test_other_revenue_is_every_source_no_other_row_names(education_shanghai):
    """上海's 四、其他收入 holds 财政专户管理资金 too (no row of its own): its 其他收入 alone is wrong."""
    data, doc, baseline = education_shanghai
    doc = copy.deepcopy(doc)
    table = next(t for t in doc.tables if t.key == "summary")
    row = next(r for r, x in enumerate(table.body) if x.cells[0].text == "四、其他收入")
    _set_value(table, row, 1, Decimal("4.50"))                       # the 其他收入 source alone
    new = _new(data, doc, "shanghai", baseline)
    assert any("四、其他收入" in f.where and "172.50" in f.message for f in new), summarize(new)


def test_a_listed_item_of_another_function_is_found():
    data, doc, baseline = _built("anping-education-2025.yaml", "national")
    assert not baseline
    doc = copy.deepcopy(doc)
    section = next(s for s in doc.sections if "一般公共预算支出预算情况" in s.title)
    n = next(i for i, p in enumerate(section.paragraphs) if p.startswith("1. "))
    section.paragraphs[n] = section.paragraphs[n].replace("教育支出（类）", "卫生健康支出（类）")
    section.paragraphs[n + 1] = re.sub(r"[\d.]+万元", "27.70万元", section.paragraphs[n + 1])
    new = _new(data, doc, "national", baseline)
    assert any("第1项" in f.message and "卫生健康支出" in f.message for f in new), summarize(new)
    assert any("27.70" in f.message for f in new), summarize(new)


def test_a_change_of_another_concept_is_found():
    """本年支出 (without 结转下年) beside the change of last year's 收支总计 (with it): two concepts."""
    ctx = Ctx(read({**SMALL, "prior_year": {"total": "250000.50"}}), "henan")
    checker = NarrativeChecker(ctx, wan=True)

    class S:
        title, paragraphs = "测试", ["本年支出合计24.23万元，较上年增加0.00万元。",
                                     "收入总计30.00万元，较上年增加5.00万元。"]
    checker.check([S])
    messages = [f.message for f in checker.findings]
    assert len(messages) == 1 and "不是同一概念" in messages[0] and "本年支出" in messages[0], messages


def test_a_wrong_figure_of_a_performance_form_is_found():
    data, doc, baseline = _built("jiangxi-chaisang-2025.yaml", "jiangxi")
    assert not baseline
    doc = copy.deepcopy(doc)
    table = doc.tables[0]
    row = next(r for r, x in enumerate(table.body) if any(c.text == "本级财政安排" for c in x.cells))
    n, cell = _money_cell(table, row)
    _set_value(table, row, n, cell.value + Decimal("1"))
    rate = next(r for r, x in enumerate(table.body) if any(c.text == "执行率" for c in x.cells))
    m = next(i for i, c in enumerate(table.body[rate].cells) if c.kind is Kind.percent)
    cells = list(table.body[rate].cells)
    cells[m] = replace(cells[m], text="100.00%", value=Decimal("100.00"))
    table.body[rate] = replace(table.body[rate], cells=tuple(cells))
    new = _new(data, doc, "jiangxi", baseline)
    assert any("本级财政安排" in f.where for f in new) and any("执行率" in f.message for f in new), summarize(new)


def test_a_fund_list_that_leaves_out_a_fund_is_found():
    """“财政拨款收入 X，其中：一般公共预算拨款 Y，政府性基金预算拨款 Z” while 国有资本经营预算拨款 has money:
    the parts no longer add up to the total (the slip a trial found in the Henan and Shaanxi 说明)."""
    data, doc = _doc(YONGAN, "national")
    baseline = {str(f) for f in check_document(data, doc, "national")}
    doc = copy.deepcopy(doc)
    section = next(s for s in doc.sections if s.title.endswith("财政拨款收支预算情况"))
    shown = re.search(r"，国有资本经营预算拨款([\d.]+)万元", section.paragraphs[0])
    assert shown and Decimal(shown.group(1)) > 0
    section.paragraphs[0] = section.paragraphs[0].replace(shown.group(0), "", 1)
    new = _new(data, doc, "national", baseline)
    assert any("漏列" in f.message and "财政拨款收入" in f.message for f in new), summarize(new)



def test_a_carried_fund_printed_wrong_or_left_out_is_found():
    """“财政拨款上年结转 X，其中：一般公共预算拨款上年结转 Y，政府性基金预算拨款上年结转 Z”: each part is that
    fund's carried money, and the parts must add up to X."""
    data, doc = _doc(QINGSHAN, "national")
    baseline = {str(f) for f in check_document(data, doc, "national")}
    section = next(s for s in doc.sections if s.title.endswith("财政拨款收支预算情况"))
    shown = re.search(r"，政府性基金预算拨款上年结转([\d.]+)万元", section.paragraphs[0])
    assert shown and Decimal(shown.group(1)) > 0
    wrong, dropped = copy.deepcopy(doc), copy.deepcopy(doc)
    for d, text in ((wrong, shown.group(0).replace(shown.group(1), f"{Decimal(shown.group(1)) - 1:.2f}")), (dropped, "")):
        s = next(s for s in d.sections if s.title == section.title)
        s.paragraphs[0] = s.paragraphs[0].replace(shown.group(0), text, 1)
    assert any("政府性基金预算拨款上年结转" in f.message for f in _new(data, wrong, "national", baseline))
    assert any("漏列" in f.message and "财政拨款上年结转" in f.message for f in _new(data, dropped, "national", baseline))



NO_CENT = ROOT / "tests" / "departments" / "generated-no-rounding-within-a-cent-2024.yaml"


def test_a_rounding_beyond_a_cent_is_believed_only_when_proved_and_counted():
    """The kept department admits no 万元 rounding within a cent: the package says so, the oracle proves it
    from the input and lets a figure lie one cent further — but not without the warning, not for a
    department that has a rounding within a cent, and not for more figures than the warning counts."""
    data, doc = _doc(NO_CENT, "national")
    [note] = [w for w in doc.warnings if w.startswith("万元舍入")]
    assert "不存在" in note and "1 个印出的合计" in note
    assert check_document(data, doc, "national") == []
    silent = copy.deepcopy(doc)
    silent.warnings = []
    assert any("应为" in f.message for f in check_document(data, silent, "national"))
    undercounted = copy.deepcopy(doc)
    undercounted.warnings = [note.replace("1 个印出的合计", "0 个印出的合计")]
    assert any("包中只说 0 个" in f.message for f in check_document(data, undercounted, "national"))
    data, doc = _doc(YONGAN, "national")
    doc.warnings = [note]
    assert any("存在使每个印出的数都在一分之内的舍入" in f.message for f in check_document(data, doc, "national"))


# ------------------------------------------------------------------ every example × every profile (in memory)

# Every example with every profile that has the facts it asks for; the other pairs are refused by
# validation for exactly those facts (tests/helpers.py), which the next test holds.
PAIRS = [(example, profile) for profile in PROFILES for example in examples_building_with(profile)]


def test_every_profile_builds_most_examples_and_refuses_the_rest_for_a_fact_it_needs():
    for profile in PROFILES:
        assert refusals_name_the_missing_fact(profile) == [], profile
        assert len([e for e, p in PAIRS if p == profile]) >= 4, profile
    # the two examples written for the oracle have every fact: every profile builds them (江西's one
    # 预算金额 per task takes their tasks typed as 财政拨款 | 其他资金, the whole of each)
    for profile in PROFILES:
        for example in (ROOT / "examples").glob("anping-*.yaml"):
            assert not load(example, profile).errors, (example.name, profile)


DEPARTMENTS = sorted((ROOT / "tests" / "departments").glob("*.yaml"))


@pytest.mark.parametrize("department", DEPARTMENTS, ids=lambda p: p.stem)
@pytest.mark.parametrize("profile", PROFILES)
def test_kept_departments_agree_with_the_oracle(department, profile):
    """Departments kept for what they caught, in every profile (each gives every fact a profile asks for):
    the trial department a new user wrote (four units, every fund, carry-over, projects, prior year; coded
    310 like the class 310 资本性支出), and generated ones that found a rule at fault (see their headers)."""
    data, doc = _doc(department, profile)
    findings = check_document(data, doc, profile)
    assert not findings, f"{department.name} × {profile}: " + summarize(findings, 12)


@pytest.mark.parametrize("example,profile", PAIRS, ids=lambda x: x.stem if isinstance(x, Path) else x)
def test_examples_agree_with_the_oracle(example, profile):
    data, doc = _doc(example, profile)
    findings = check_document(data, doc, profile)
    assert not findings, f"{example.name} × {profile}: " + summarize(findings, 12)
