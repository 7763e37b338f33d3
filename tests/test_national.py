"""The `national` profile (财预〔2016〕143号), the default: every shipped example builds with it, and its
tables and 说明 print the figures an independent computation from the input (tests/oracle.py) gives."""
from __future__ import annotations

import re
import subprocess
import sys
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from pathlib import Path

import pytest
import yaml

from discloser.package import build_document
from discloser.profile import DEFAULT_PROFILE, load_profile
from discloser.validate import load
from helpers import EXAMPLES, ROOT, examples_building_with, refusals_name_the_missing_fact
from simple_oracle import FISCAL, Input, close, projects_with_targets, read, rounded
from test_narrative import narrative_text

EXAMPLE_FILES = examples_building_with("national")


def test_examples_that_do_not_build_lack_only_facts_the_profile_needs():
    assert len(EXAMPLE_FILES) >= 5
    assert refusals_name_the_missing_fact("national") == []
NINE = ["summary", "revenue", "expenditure", "fiscal_summary", "general_by_function", "general_basic_by_economic",
        "three_public", "gov_fund", "state_capital"]


@lru_cache(maxsize=None)
def built(path: Path, profile: str = "national"):
    result = load(path, profile)
    assert not result.errors, "\n".join(p.format() for p in result.errors)
    return build_document(result.budget, result.profile, result.catalog)


def by_key(doc, key: str):
    return [t for t in doc.tables if t.key == key]


def one(doc, key: str):
    (t,) = by_key(doc, key)
    return t


def money(row) -> list[Decimal | None]:
    """The money cells of a row, blank as None."""
    return [c.value for c in row.cells if c.kind.value == "money"]


def code_rows(table) -> dict[str, list[Decimal | None]]:
    """Rows of a classification table by their code (first cell)."""
    return {r.cells[0].text: money(r) for r in table.body if r.cells[0].text.isdigit()}


def labelled(table, column: int = 0) -> dict[str, object]:
    return {r.cells[column].text: r for r in table.body}


@pytest.fixture(params=EXAMPLE_FILES, ids=lambda p: p.stem)
def example(request) -> tuple[Path, Input]:
    return request.param, read(request.param)


def test_default_profile_is_national():
    assert DEFAULT_PROFILE == "national"
    assert load_profile("national").unit == "wan"


def test_every_example_builds_with_national_and_titles_follow_the_scope(example):
    path, inp = example
    doc = built(path)
    s = inp.scope
    expected = {"summary": f"{inp.year}年{s}收支总表", "revenue": f"{inp.year}年{s}收入总表",
                "expenditure": f"{inp.year}年{s}支出总表", "fiscal_summary": f"{inp.year}年财政拨款收支总表",
                "general_by_function": f"{inp.year}年一般公共预算支出表",
                "general_basic_by_economic": f"{inp.year}年一般公共预算基本支出表",
                "three_public": f"{inp.year}年一般公共预算“三公”经费支出表",
                "gov_fund": f"{inp.year}年政府性基金预算支出表", "state_capital": f"{inp.year}年国有资本经营预算支出表"}
    assert {k: one(doc, k).title for k in NINE} == expected
    assert {t.title for t in by_key(doc, "project_performance")} == {f"{inp.year}年项目支出绩效目标表"}
    assert all(t.unit_label == "单位：万元" for t in doc.tables if t.key in NINE)
    assert doc.department_label == f"{s}名称"
    assert " " not in "".join(t.title for t in doc.tables) and "　" not in "".join(t.title for t in doc.tables)


def test_summary_tables_follow_the_input(example):
    path, inp = example
    doc = built(path)
    t1 = labelled(one(doc, "summary"))
    for label, source in [("一、一般公共预算拨款收入", "一般公共预算拨款"), ("二、政府性基金预算拨款收入", "政府性基金预算拨款"),
                          ("五、事业收入", "事业收入"), ("九、其他收入", "其他收入")]:
        assert close(money(t1[label])[0], inp.revenue([source])), label
    assert money(t1["收入总计"]) == [rounded(inp.revenue()), rounded(inp.total() + sum(a for _, _, a in inp.carry_forward))]
    assert money(t1["本年收入合计"])[1] == rounded(inp.total())
    # expenditure side: one row per 类 that has spending, in code order
    classes = sorted(inp.by(lambda line: line.function[:3]).items())
    rows = [r for r in one(doc, "summary").body if re.match(r"[一二三四五六七八九十]+、", r.cells[2].text)]
    assert len(rows) == len(classes)
    for row, (code, amount) in zip(rows, classes):
        assert close(money(row)[1], amount), (row.cells[2].text, code)

    t2 = one(doc, "revenue")
    per_unit: dict[str, Decimal] = {}
    for _, unit, amount in inp.revenues:
        per_unit[unit] = per_unit.get(unit, Decimal(0)) + amount
    rows2 = {r.cells[0].text: money(r)[0] for r in t2.body if r.cells[0].text}
    for unit, amount in per_unit.items():
        assert close(rows2[unit], amount), unit
    assert money(t2.body[0])[0] == rounded(inp.revenue())

    t4 = labelled(one(doc, "fiscal_summary"))
    fiscal_revenue = inp.revenue(FISCAL)
    assert close(money(t4["一、本年收入"])[0], fiscal_revenue)
    spent = next(r for r in one(doc, "fiscal_summary").body if r.cells[2].text == "一、本年支出")
    assert close(money(spent)[1], inp.total(lambda line: line.origin in FISCAL))
    assert close(money(spent)[2], inp.total(lambda line: line.origin == "一般公共预算拨款"))


def test_classification_tables_follow_the_input(example):
    path, inp = example
    doc = built(path)
    t3 = code_rows(one(doc, "expenditure"))
    for n in (3, 5, 7):
        for code, amount in inp.by(lambda line: line.function[:n]).items():
            total, basic, project = t3[code]
            assert close(total, amount) and close(basic, inp.total(lambda l: l.function.startswith(code) and l.basic))
            assert close(project, inp.total(lambda l: l.function.startswith(code) and l.kind == "项目支出"))
    general = lambda line: line.origin == "一般公共预算拨款"   # noqa: E731
    t5 = code_rows(one(doc, "general_by_function"))
    assert set(t5) == {line.function[:n] for line in inp.lines if general(line) for n in (3, 5, 7)}
    for code, (total, basic, personnel, public, project) in t5.items():
        mine = lambda line, kind=None: general(line) and line.function.startswith(code) and (kind is None or line.kind == kind)  # noqa: E731
        assert close(total, inp.total(mine))
        assert close(personnel, inp.total(lambda l: mine(l, "人员经费")))
        assert close(public, inp.total(lambda l: mine(l, "公用经费")))
        assert close(project, inp.total(lambda l: mine(l, "项目支出")))
    t6 = code_rows(one(doc, "general_basic_by_economic"))
    for n in (3, 5):
        for code, amount in inp.by(lambda line: line.economic[:n], lambda l: general(l) and l.basic).items():
            assert close(t6[code][0], amount), code
    assert money(one(doc, "general_basic_by_economic").body[0])[0] == rounded(inp.total(lambda l: general(l) and l.basic))


def test_three_public_and_fund_tables_follow_the_input(example):
    path, inp = example
    doc = built(path)
    total = money(one(doc, "three_public").body[0])
    want = [inp.three_public("三公经费"), inp.three_public("因公出国（境）费"),
            inp.three_public("公务用车购置费") + inp.three_public("公务用车运行维护费"),
            inp.three_public("公务用车购置费"), inp.three_public("公务用车运行维护费"), inp.three_public("公务接待费")]
    assert all(close(v, w) for v, w in zip(total, want)), (total, want)
    for key, fund in (("gov_fund", "政府性基金预算拨款"), ("state_capital", "国有资本经营预算拨款")):
        t = one(doc, key)
        amount = inp.total(lambda line: line.origin == fund)
        assert t.empty == (amount == 0)
        if t.empty:
            assert t.empty_reason == f"本{inp.scope}{inp.year}年无{fund}安排的支出，故本表为空表。"
        else:
            assert money(t.body[0])[0] == rounded(amount)
    performance = by_key(doc, "project_performance")
    targets = projects_with_targets(inp)
    assert len(performance) == max(1, len(targets))
    assert all(t.empty for t in performance) == (not targets)


def test_narrative_figures_follow_the_input(example):
    path, inp = example
    doc = built(path)
    text = narrative_text(doc)
    heads = [s.title for s in doc.sections if s.level == 1]
    assert heads[:3] == [f"第一部分 {inp.scope}概况", f"第二部分 {inp.year}年{inp.scope}预算情况说明", "第三部分 名词解释"]

    def figure(pattern: str) -> Decimal:
        m = re.search(pattern + r"(\d+\.\d{2})万元", text)
        assert m, pattern
        return Decimal(m.group(1))

    assert figure("收入总计") == rounded(inp.revenue())
    assert close(figure("一般公共预算拨款支出"), inp.total(lambda line: line.origin == "一般公共预算拨款"))
    assert close(figure("“三公”经费预算"), inp.three_public("三公经费"))
    if inp.running_costs():
        assert close(figure("机关运行经费预算"), inp.running_costs())
    targets = projects_with_targets(inp)
    if targets:
        assert close(figure("涉及项目预算资金"), inp.total(lambda line: line.project in targets))
        count = len({line.project for line in inp.lines if line.project})
        assert f"{count}个项目均编制了" in text if len(targets) == count else f"{count}个项目中{len(targets)}个" in text
    procurement = sum((Decimal(str(p["amount"])) for p in inp.procurement), Decimal(0))
    if procurement:
        assert close(figure("政府采购预算"), procurement)
    else:
        assert "年无政府采购预算。" in text
    # 空表说明 lists exactly the tables published empty, with the reason each prints (no part when none is)
    empty = [t for t in doc.tables if t.empty]
    parts = [s for s in doc.sections if s.title == "第四部分 空表说明"]
    assert len(parts) == (1 if empty else 0) and heads[-1] == (parts[0].title if empty else "第三部分 名词解释")
    if empty:
        assert parts[0].paragraphs == [f"{n}. {t.caption}：{t.empty_reason}" for n, t in enumerate(empty, 1)]


def test_changes_are_computed_from_the_prior_year():
    """The Shaanxi example gives prior-year figures with reasons: the 增减变化 section states each change,
    computed here from the input's 元 (current − prior)."""
    path = EXAMPLES / "shaanxi-linyou-2024.yaml"
    inp = read(path)
    prior = yaml.safe_load(path.read_text(encoding="utf-8"))["prior_year"]
    doc = built(path)
    section = next(s for s in doc.sections if s.title.endswith("预算收支增减变化情况"))
    first = section.paragraphs[0]
    now, before = inp.revenue(), Decimal(str(prior["total"]["amount"]))
    m = re.search(r"收支预算总计(\d+\.\d{2})万元，较上年(增加|减少)(\d+\.\d{2})万元，(增长|下降)(\d+\.\d{2})%，主要原因是(.+)。", first)
    assert m, first
    diff = now - before
    assert Decimal(m.group(3)) == rounded(abs(diff)) and m.group(2) == ("增加" if diff > 0 else "减少")
    assert Decimal(m.group(5)) == (abs(diff) * 100 / before).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    assert m.group(6) == prior["total"]["reason"].rstrip("。")
    lines = [p for p in section.paragraphs if re.search(r"（\d{7}）", p)]
    assert len(lines) == len(prior["function"])


def test_a_file_without_profile_builds_with_national(tmp_path):
    """The default: the Henan example with its `profile:` line removed builds the national set from the command line."""
    text = (EXAMPLES / "henan-shilong-2023.yaml").read_text(encoding="utf-8")
    assert "\nprofile: henan\n" in text
    bare = tmp_path / "无版式.yaml"
    bare.write_text(text.replace("\nprofile: henan\n", "\n"), encoding="utf-8")
    assert load(bare).profile.name == "national"
    r = subprocess.run([sys.executable, "-m", "discloser.cli", "build", str(bare), "-o", str(tmp_path / "out"),
                        "--formats", "xlsx"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    from openpyxl import load_workbook
    wb = load_workbook(next((tmp_path / "out").glob("*.xlsx")))
    titles = [ws.cell(1, 1).value for ws in wb.worksheets]
    assert "表1 2023年部门收支总表" in titles and "表7 2023年一般公共预算“三公”经费支出表" in titles


def test_every_national_table_names_its_source():
    """Each table of national.yaml is preceded by a comment saying where it comes from (143号 or common practice)."""
    lines = (ROOT / "src" / "discloser" / "profiles" / "national.yaml").read_text(encoding="utf-8").splitlines()
    starts = [i for i, line in enumerate(lines) if line.startswith("  - key: ")]
    assert len(starts) == 10
    for i in starts:
        j = i
        while lines[j - 1].strip().startswith("#"):
            j -= 1
        comment = " ".join(line.strip() for line in lines[j:i])
        assert comment and ("143号" in comment or "常见" in comment), lines[i]
