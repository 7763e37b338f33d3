"""The Hubei example (通城县医疗保障局 2024) against its reference: the 说明's titles and figures, the
部门整体绩效目标申报表 and the two 项目支出绩效目标表, every expected value read from the reference text
(tests/reference/hubei-tongcheng-2024-department-budget.txt); where the reference contradicts itself the
example follows its 说明, and each difference is pinned here with the reference's own arithmetic."""
from __future__ import annotations

import re
import subprocess
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

from helpers import EXAMPLES, built_with, document, loaded
from reference_forms import build_files, norm, number, pdf_lines, reference, sheet_rows, texts
from test_narrative import narrative_text

HUBEI = EXAMPLES / "hubei-tongcheng-2024.yaml"
REF = reference("hubei-tongcheng-2024-department-budget.txt")
LINES = REF.splitlines()
BASIS = re.compile(r"^(计划标准|计划指标|计划数据|历史数据|问卷调查|行业标准|《)")


def wan(x: Decimal) -> str:
    """A 万元 figure as our 说明 prints it."""
    return f"{x:.2f}"


def grab(pattern: str) -> list[Decimal]:
    m = re.search(pattern, REF)
    assert m, pattern
    return [Decimal(g) for g in m.groups()]


def cells_between(start: str, stop: str | None, after: int = 0) -> list[str]:
    """The reference's cells (one per line, stripped) from the first line reading `start` (at or after
    line `after`) to the next line reading `stop`."""
    i = next(k for k in range(after, len(LINES)) if LINES[k].strip() == start)
    j = next((k for k in range(i + 1, len(LINES)) if stop and LINES[k].strip() == stop), len(LINES))
    return [line.strip().strip("　") for line in LINES[i:j] if line.strip().strip("　")]


def doc():
    return document(HUBEI)


def text():
    return narrative_text(doc())


def test_example_validates_with_the_hubei_profile():
    result = loaded(HUBEI)
    assert result.budget.profile == "hubei" and not result.errors and not result.warnings


def test_part_and_section_titles_are_the_references():
    d = doc()
    parts = [re.sub(r"\s+", " ", line.strip()) for line in LINES if re.match(r"^\s*第[一二三四]部分", line)]
    assert [s.title for s in d.sections if s.level == 1] == parts[:3]        # 第四部分 is the tables (另附)
    ref_sections = [line.strip() for line in LINES[:LINES.index("2.2024年度部门整体绩效目标申报表")] if re.match(r"^[一二三四五六七]、", line)]
    assert [s.title for s in d.sections if s.level == 2] == ref_sections
    glossary = [line for line in LINES[LINES.index("第三部分 名词解释") + 1:] if line.startswith("（")]
    ours = next(s for s in d.sections if s.title == "第三部分 名词解释").paragraphs
    assert [norm(p) for p in ours] == [norm(line) for line in glossary]


def test_overview_units_staffing_tasks():
    t = text()
    units = [line.strip() for line in LINES if re.match(r"^\d\.通城县医疗保障", line)]
    assert len(units) == 4 and all(u in t for u in units)
    actual, admin, inst, in_post, retired = grab(r"单位实有人数(\d+)人，编办核定行政编制(\d+)人，事业编制(\d+)人，其中：在编人数(\d+)人、离退休人员(\d+)人")
    # 在编人数 has no field of its own: it is not printed.
    assert f"单位实有人数{actual}人，编办核定行政编制{admin}人，事业编制{inst}人，离退休人员{retired}人。" in t
    assert f"在编人数{in_post}" not in t
    tasks = [re.sub(r"^\d、", "", line.strip()).rstrip("；。") for line in LINES if re.match(r"^\d、", line)]
    assert len(tasks) == 7 and all(task in t for task in tasks)


def test_revenue_and_spending_figures():
    t = text()
    total, down, grant, nontax, higher, other = grab(
        r"收入预算总额([\d.]+)万元，比上年减少([\d.]+)万元，其中：经费拨款（补助）([\d.]+)万元，纳入一般公共预算管理的非税收入([\d.]+)万元，"
        r"上级补助收入([\d.]+)万元，其他收入([\d.]+)万元")
    assert grant + nontax + higher + other == total
    # 经费拨款 and 纳入一般公共预算管理的非税收入 are both 一般公共预算: one source, one figure.
    assert (f"收入预算总额{wan(total)}万元，其中：一般公共预算{wan(grant + nontax)}万元，上级补助收入{wan(higher)}万元，"
            f"其他收入{wan(other)}万元。收入比上年减少{wan(down)}万元，主要原因：人员经费和特殊人群保费资助资金的减少。") in t
    total2, basic, personnel, public, family, capital, other_spent, projects = grab(
        r"支出预算总额([\d.]+)万元，基本保障支出([\d.]+)万元，其中人员经费支出([\d.]+)万元，公用经费支出([\d.]+)万元，"
        r"对个人和家庭的补助([\d.]+)万元，资本性支出办公设备购置([\d.]+)万元；其他收入([\d.]+)万元；本级支出项目([\d.]+)万元")
    assert total2 == total and personnel + public + family + capital == basic
    # The reference lists 其他收入 12 万元 beside 基本支出 and 项目支出, and 916.73 + 10295.7 misses the total by
    # exactly that 12: spending is 基本支出 + 项目支出, so the 12 万元 is counted with the projects.
    assert basic + projects + other_spent == total
    # The reference's “人员经费支出” and “公用经费支出” are the classes 工资福利支出 and 商品和服务支出 (their
    # figures add up to 基本支出 with 对个人和家庭的补助 and 资本性支出); our tables' 人员经费 / 公用经费 are wider
    # (with 303 / 310), so the 说明 names the classes by their own names: one word, one figure.
    assert (f"支出预算总额{wan(total)}万元，基本支出{wan(basic)}万元，其中工资福利支出{wan(personnel)}万元，商品和服务支出{wan(public)}万元，"
            f"对个人和家庭的补助{wan(family)}万元，资本性支出{wan(capital)}万元；项目支出{wan(projects + other_spent)}万元。") in t
    (performance_projects,) = grab(r"项目支出共([\d.]+)万元")
    assert performance_projects == projects and f"项目支出共{wan(projects + other_spent)}万元" in t
    (gov_fund,) = grab(r"政府性基金预算支出为([\d.]+)万元")
    assert f"政府性基金预算支出为{wan(gov_fund)}万元" in t


def test_running_costs_itemized():
    t = text()
    m = re.search(r"公用经费支出([\d.]+)万元，其中(.+?)，占预算总额的([\d.]+)%，比上年减少([\d.]+)万元，减少(\d+)%", REF)
    total, down = Decimal(m.group(1)), Decimal(m.group(4))
    items = [(name, Decimal(v)) for name, v in re.findall(r"([^，\d]+?)([\d.]+)万?元?(?:，|$)", m.group(2))]
    assert len(items) == 19
    (budget,) = grab(r"收入预算总额([\d.]+)万元")
    ours = re.search(r"机关运行经费支出([\d.]+)万元，其中(.+?)，占预算总额的([\d.]+)%，比上年减少([\d.]+)万元，减少([\d.]+)%", t)
    assert Decimal(ours.group(1)) == total
    our_items = [Decimal(v) for v in re.findall(r"([\d.]+)万元", ours.group(2))]
    # Rounded one by one, the reference's items add up to 231.89 under its total of 231.88; ours add up to the
    # total, so one item (福利费) prints a cent lower.
    assert sum(v for _, v in items) == total + Decimal("0.01") and sum(our_items) == total
    pinned = {"福利费": (Decimal("9.8"), Decimal("9.79"))}
    for (name, want), got in zip(items, our_items):
        assert (want, got) == pinned[name] if name in pinned else want == got, name
    # The reference prints the share and the decrease to one and no decimals; ours are computed to two.
    assert m.group(3) == "2.1" and m.group(5) == "10"
    share = (total * 100 / budget).quantize(Decimal("0.01"), ROUND_HALF_UP)
    fall = (down * 100 / (total + down)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    assert (ours.group(3), Decimal(ours.group(4)), ours.group(5)) == (str(share), down, str(fall)) == ("2.07", down, "10.09")


def test_three_public_and_procurement():
    t = text()
    three, reception, car, running, purchase, abroad, training, training_down, meeting, meeting_down = grab(
        r"“三公”经费预算([\d.]+)万元，其中公务接待费([\d.]+)万元，与上年持平；公务用车购置和运行费([\d.]+)万元，其中：公务用车运行维护费"
        r"([\d.]+)万元，公务用车购置费([\d.]+)万元，与上年持平。因公出国（境）费用([\d.]+)万元，与上年持平；培训费([\d.]+)万元，比去年减少"
        r"([\d.]+)万元，.+?；会议费([\d.]+)万元，比去年减少([\d.]+)万元")
    assert (f"“三公”经费预算{wan(three)}万元，其中公务接待费{wan(reception)}万元，与上年持平；公务用车购置和运行费{wan(car)}万元，"
            f"其中：公务用车运行维护费{wan(running)}万元，公务用车购置费{wan(purchase)}万元，与上年持平。因公出国（境）费用{wan(abroad)}万元，"
            f"与上年持平；培训费{wan(training)}万元，比上年减少{wan(training_down)}万元") in t
    assert f"会议费{wan(meeting)}万元，比上年减少{wan(meeting_down)}万元" in t
    total, goods, works, services = grab(r"政府采购预算([\d.]+)万元，其中货物类采购预算([\d.]+)万元，工程类采购预算([\d.]+)万元，服务类采购预算([\d.]+)万元")
    assert (f"政府采购预算{wan(total)}万元，其中货物类采购预算{wan(goods)}万元，工程类采购预算{wan(works)}万元，"
            f"服务类采购预算{wan(services)}万元") in t
    assert "保有车辆共有1辆" in t and "一般公务用车1辆" in t and "单位价值50万元以上通用设备0台（套）" in t


def overview():
    return next(t for t in doc().tables if t.key == "department_performance")


def test_overview_funding_block():
    cells = cells_between("2024部门整体绩效目标申报表", "部门职能概述")
    t = overview()
    assert norm(t.title) == norm(cells[0]).replace("2024部门", "2024年部门")   # the reference's title leaves out 年
    rows = texts(t)
    assert rows[1] == ["填报人", cells[cells.index("填报人") + 1], "联系电话", cells[cells.index("联系电话") + 1]]

    def ref_row(name: str, nth: int = 0) -> list[str]:
        k = [i for i, c in enumerate(cells) if c == name][nth]
        return cells[k + 1:k + 5]

    def our_row(name: str, nth: int = 0) -> list[str]:
        return [r for r in rows if name in r][nth][-4:]

    # The two prior years are the reference's.
    for name, nth in (("财政拨款", 0), ("合计", 0), ("基本支出", 0), ("项目支出", 0), ("合计", 1)):
        assert [number(x) for x in our_row(name, nth)[2:]] == [number(x) for x in ref_row(name, nth)[2:]], name
    # This year's: the reference's form counts 8728.43 万元, all 财政拨款 — its 说明's 11224.43 without the 上级补助收入
    # 2296 and the 非税收入 200, and with the 其他收入 12 as 财政拨款. Ours is the one budget of the 说明.
    total, grant, nontax, higher, other = grab(r"收入预算总额([\d.]+)万元，.+?经费拨款（补助）([\d.]+)万元，纳入一般公共预算管理的非税收入([\d.]+)万元，"
                                               r"上级补助收入([\d.]+)万元，其他收入([\d.]+)万元")
    assert number(ref_row("财政拨款")[0]) == total - higher - nontax == grant + other
    fiscal, other_funds = grant + nontax, higher + other
    assert our_row("财政拨款")[:2] == [f"{fiscal:,.2f}", "79.44%"] and our_row("其他资金")[:2] == [f"{other_funds:,.2f}", "20.56%"]
    assert ref_row("财政拨款")[1].strip() == "100%" and ref_row("基本支出")[1] == "8.35%"
    assert our_row("合计")[:2] == [f"{total:,.2f}", "100.00%"]
    basic = grab(r"基本保障支出([\d.]+)万元")[0]
    assert number(ref_row("基本支出")[0]) == basic - nontax + other          # 916.73 − 200 + 12 = 728.73
    assert our_row("基本支出")[:2] == [f"{basic:,.2f}", "8.17%"]


def test_overview_projects_and_goals():
    cells = cells_between("项目主要支出方向和用途", "整体绩效")
    rows = texts(overview())
    start = next(i for i, r in enumerate(rows) if "项目主要支出方向和用途" in r)
    ours = rows[start + 1:start + 11]
    ref = [cells[1 + 5 * k:6 + 5 * k] for k in range(10)]
    assert [r[0] for r in ours] == [r[0] for r in ref]
    assert [r[-1] for r in ours] == [r[4] for r in ref]                     # 项目主要支出方向和用途
    assert [number(r[2]) for r in ours] == [number(r[2]) for r in ref]      # 项目总预算
    # 城乡居民医疗保险征缴工作经费: 本年度 36 in the reference, but its own 项目支出 total 7999.7 counts 200.
    this_year = [number(r[3]) for r in ref]
    funding = cells_between("2024部门整体绩效目标申报表", "部门职能概述")
    ref_projects = number(funding[funding.index("项目支出") + 1])
    assert this_year[5] == 36 and sum(this_year) == number(cells[cells.index("合计") + 2]) == Decimal("7835.7")
    assert sum(number(r[2]) for r in ref) == number(cells[cells.index("合计") + 1]) == ref_projects == Decimal("7999.7")
    assert [number(r[3]) for r in ours] == this_year[:5] + [Decimal(200)] + this_year[6:]
    goals = cells_between("整体绩效", "长期目标1：")
    long_ref = [norm(g) for g in re.findall(r"目标\d：\S+", " ".join(goals[goals.index("年度目标") + 1:]))]
    ours_goals = next(r for r in rows if any(c.startswith("目标1：") for c in r))
    assert [norm(x) for x in ours_goals[0].split("\n") + ours_goals[1].split("\n")] == long_ref


def _blocks(kind: str) -> list[tuple[int, list[str]]]:
    """The reference's goal blocks of the 申报表: (goal number, its cells), for 长期目标 or 年度目标."""
    starts = [i for i, line in enumerate(LINES) if re.fullmatch(rf"{kind}\d：", line.strip())]
    out = []
    for i in starts:
        j = next((k for k in range(i + 1, len(LINES)) if re.fullmatch(r"(长期|年度)目标\d：", LINES[k].strip())
                  or LINES[k].startswith("3.2024")), len(LINES))
        out.append((int(LINES[i].strip()[4]), [line.strip().strip("　") for line in LINES[i:j] if line.strip().strip("　")]))
    return out


@pytest.mark.parametrize("kind,field", [("长期目标", "long_term_indicators"), ("年度目标", "indicators")])
def test_overview_indicators_goal_by_goal(kind, field):
    dept = loaded(HUBEI).budget.performance.department
    rows = texts(overview())
    for goal, cells in _blocks(kind):
        block = norm("".join(cells))
        mine = [i for i in getattr(dept, field) if i.goal == goal]
        assert len(mine) == sum(1 for c in cells if BASIS.match(c)), (kind, goal)     # one 指标值确定依据 per indicator
        for ind in mine:
            for piece in [ind.name, *ind.past_values, ind.basis]:
                assert norm(piece) in block, (kind, goal, piece)
            value = f"{ind.comparator.value if ind.comparator and ind.comparator.value != '定性' else ''}{ind.value}{ind.measure}"
            assert norm(value) in block, (kind, goal, value)
        heading = next(r for r in rows if r and r[0] == f"{kind}{goal}：")
        title = cells[1]
        if (kind, goal) == ("年度目标", 1):       # the goal is 医保业务网络建设 in the 总目标 cell, 医疗保险… here
            assert (heading[1], title) == ("医保业务网络建设", "医疗保险业务网络建设")
        else:
            assert heading[1] == title
    if kind == "年度目标":
        header = [r for r in rows if "近两年指标值" in r]
        assert len(header) == 4 and all("预期当年实现值" in r for r in header)
        assert sum(1 for r in rows if r == ["2022年", "2023年"]) == 5          # the funding block's and 4 blocks'


def project_forms():
    return [t for t in doc().tables if t.key == "project_performance"]


@pytest.mark.parametrize("n", range(2))
def test_project_forms(n):
    start = [i for i, line in enumerate(LINES) if line.strip() == "项目支出绩效目标表"][n]
    stop = ([i for i, line in enumerate(LINES) if line.strip() == "项目支出绩效目标表"] + [LINES.index("第三部分 名词解释")])[n + 1]
    cells = [line.strip().strip("　") for line in LINES[start:stop] if line.strip().strip("　")]
    total = number(cells[cells.index("资金总额：") + 1])
    t = next(t for t in project_forms() if any(c.value == total for r in t.body for c in r.cells))   # forms in the example's order
    rows = texts(t)
    assert norm(t.title) == norm(cells[0]) and t.unit_label == "单位：万元"
    name = cells[cells.index("项目名称") + 1]
    ours_name = rows[0][1]
    if n == 0:      # the same project is 城乡居民基本医疗保险县级配套资金 in the 申报表's project list
        assert (name, ours_name) == ("城乡居民基本医疗保险补助", "城乡居民基本医疗保险县级配套资金")
        assert ours_name in cells_between("项目主要支出方向和用途", "整体绩效")
    else:
        assert ours_name == name
    assert rows[1] == ["主管部门", cells[cells.index("主管部门") + 1], "项目实施单位", cells[cells.index("项目实施单位") + 1]]
    attribute = cells[cells.index("项目属性") + 1]
    assert norm(rows[2][1]) == norm(attribute.replace("（从", "（从").replace("年）", "年）"))
    flat = [c for r in rows for c in r]
    for label, ours_label in (("资金总额：", "资金总额："), ("其中：财政拨款", "其中：财政拨款")):
        assert number(flat[flat.index(ours_label) + 1]) == number(cells[cells.index(label) + 1])
    assert number(cells[cells.index("其他资金") + 1]) == 0 and flat[flat.index("其他资金") + 1] == ""
    goals = cells[cells.index("长期绩效目标") + 1:cells.index("长期绩效目标") + 3]
    assert [norm(g) for g in flat[flat.index("年度绩效目标") + 2:flat.index("年度绩效目标") + 4]] == [norm(g) for g in goals]
    perf = next(p for p in loaded(HUBEI).budget.projects if p.name == ours_name).performance
    annual_at = cells.index("年度绩效目标表")
    for part, inds in ((cells[:annual_at], perf.long_term_indicators), (cells[annual_at:], perf.indicators)):
        block = norm("".join(part))
        assert len(inds) == sum(1 for c in part if BASIS.match(c))
        for ind in inds:
            for piece in [ind.name, *ind.past_values, ind.basis]:
                assert norm(piece.rstrip("，")) in block, piece
    assert ["目标名称", "一级指标", "二级指标", "三级指标", "指标值", "指标值确定依据"] in rows
    assert ["前年", "上年", "预计当年实现"] in rows


def test_each_indicator_grid_repeats_its_own_heads():
    """表15's annual grid (指标值 as 前年 | 上年 | 预计当年实现) was taken for rows of the long-term grid, whose head
    (one 指标值 column) then repeated over the annual indicators on every page they ran to, and its title
    年度绩效目标表 could end a page alone. Each grid is a block of its own, headed by its title and its column heads."""
    from discloser.writers.layout import blocks

    for t in project_forms():
        grids = [b for b in blocks(t) if b.head and b.head[0].cells[0].text in ("长期绩效目标", "年度绩效目标表")]
        assert [b.head[0].cells[0].text for b in grids] == ["长期绩效目标", "年度绩效目标表"], t.title
        long_term, annual = grids
        assert [c.text for c in long_term.head[1].cells][-2:] == ["指标值", "指标值确定依据"] and len(long_term.head) == 2
        assert [c.text for c in annual.head[2].cells] == ["前年", "上年", "预计当年实现"] and len(annual.head) == 3
        heads = {c.text for b in grids for r in b.rows for c in r.cells} & {"目标名称", "前年", "年度绩效目标表"}
        assert not heads, heads                                  # no head is a body row of a grid
        values = {len(r.cells) - sum(c.rowspan > 1 for c in r.cells) for r in annual.rows}
        assert max(c.colspan for r in annual.rows for c in r.cells) == 1 and 5 in values   # 三级指标, 3 values, 依据


def test_files_read_back(tmp_path):
    files = build_files(HUBEI, tmp_path / "out")
    lines = pdf_lines(files["pdf"])
    flat = "".join(re.sub(r"\s+", "", line) for line in lines)
    for piece in ("2024年部门整体绩效目标申报表", "近两年指标值", "☑延续项目（从2024年至2026年）",
                  "机关党建廉政管理事务", "年度绩效目标表", "11,224.43", "674.07", "4,078.00"):
        assert piece in flat, piece
    rows = sheet_rows(files["xlsx"], "表13")
    values = [x for r in rows for x in r if x is not None]
    assert 674.07 in values and 871.07 in values and "长期目标1：" in values and 11224.43 in values
    assert any(r[0] == "项目名称" and "医疗救助本级配套资金" in r for r in sheet_rows(files["xlsx"], "表15"))
    # trialR-s32 D1/D2: 长期目标1's 产出指标 was cut at a page foot, its 时效指标 and 成本指标 opening the next page
    # under a blank 一级指标, and “长期目标3：” could end a page alone. A grid's naming row and its first group are on
    # one page
    from discloser.writers.pdf import table_page, table_view

    text = subprocess.run(["pdftotext", "-raw", str(files["pdf"]), "-"], capture_output=True, text=True, check=True).stdout
    pages = [re.sub(r"\s+", "", page) for page in text.split("\f")]
    page = table_page(loaded(HUBEI).profile.table_scale_min)
    named = 0
    for t in (t for t in doc().tables if t.key in ("department_performance", "project_performance")):
        views = table_view(t, "t", page).blocks
        for before, grid in zip(views, views[1:]):
            if not grid.named:
                continue
            assert grid.bound, (t.title, grid.block.head)
            first, end = grid.block.groups[0]
            rows = grid.block.rows[first:end]
            names = [re.sub(r"\s+", "", c.text) for r in rows for c in r.cells if c.kind.value == "text" and c.text]
            naming = re.sub(r"\s+", "", "".join(c.text for c in before.block.rows[0].cells))
            assert any(naming in p and all(n in p for n in names) for p in pages), (t.title, naming)
            named += 1
    assert named >= 8
    # … and in Excel no page ends on it (LibreOffice's pages 26, 28 and 29 did)
    import openpyxl

    ws = openpyxl.load_workbook(files["xlsx"])["表13"]
    naming = [r for r in range(1, ws.max_row + 1) if re.fullmatch(r"(长期|年度)目标\d+：", str(ws.cell(r, 1).value or ""))]
    assert len(naming) >= 8 and ws.row_breaks.brk
    assert not {b.id for b in ws.row_breaks.brk} & set(naming), naming


def test_a_row_naming_a_grid_is_kept_with_it_in_word(tmp_path):
    """Word: the one-row table “长期目标3：…” is kept with the grid under it (keepNext on its paragraphs and on the
    hairline paragraph between the two tables) — it ended a page alone."""
    import zipfile

    from discloser.writers import docx
    from helpers import profile

    out = tmp_path / "hubei.docx"
    docx.write(doc(), profile("hubei"), out)
    xml = zipfile.ZipFile(out).read("word/document.xml").decode("utf-8")
    tables = re.findall(r"<w:tbl>.*?</w:tbl>(?:<w:p>.*?</w:p>)?", xml, flags=re.S)
    named = [t for t in tables if re.search(r">(长期|年度)目标\d+：<", t)]
    assert len(named) >= 8
    for t in named:
        rows = t.split("</w:tbl>")[0]
        hairline = t.split("</w:tbl>")[1]
        assert rows.count("<w:p>") == rows.count("<w:keepNext/>") and "<w:keepNext/>" in hairline, t[:300]
    others = [t for t in tables if t not in named and "</w:tbl><w:p>" in t]
    assert others and not any("<w:keepNext/>" in t.split("</w:tbl>")[1] for t in others)


def test_car_cost_change_is_said_of_the_pair_not_of_the_purchase():
    """“公务用车购置和运行费X，其中：运行维护费A，购置费B，比上年增加C”: C is the change of the pair (A + B),
    so it says so — a trial read 17.50 as the change of 购置费 alone (which rose by 18.00)."""
    import yaml

    from helpers import YONGAN, built_with

    data = yaml.safe_load(YONGAN.read_text(encoding="utf-8"))
    car = sum(Decimal(str(e["amount"])) for e in data["expenditures"]
              if e["economic"].split()[0] in ("30231", "31013") and e.get("fund", "一般公共预算拨款") == "一般公共预算拨款")
    prior = Decimal(str(data["prior_year"]["items"]["公务用车购置及运行费"]["amount"]))
    change = ((car - prior) / 10000).quantize(Decimal("0.01"))
    text = narrative_text(built_with(YONGAN, "hubei")[1])
    assert re.search(rf"公务用车购置费\d+\.\d\d万元，两项合计比上年增加{change}万元", text), change


def test_an_institution_without_running_costs_says_so(tmp_path):
    """A package of 事业单位 only has no 机关运行经费: the 说明 says why (as the national one does) rather
    than “机关运行经费支出0.00万元，占预算总额的0.00%” (a trial's 测绘院)."""
    from helpers import built_with

    text = HUBEI.read_text(encoding="utf-8").replace("kind: 行政单位", "kind: 事业单位")
    text = re.sub(r"\n    机关运行经费: \{[^}]*\}[^\n]*", "", text)      # and no prior-year figure to compare with
    (tmp_path / "inst.yaml").write_text(text, encoding="utf-8")
    _, d = built_with(tmp_path / "inst.yaml", "hubei")
    [para] = [p for s in d.sections if "机关运行经费" in s.title for p in s.paragraphs]
    assert para == "通城县医疗保障局2024年无机关运行经费支出（机关运行经费只属于行政单位和参照公务员法管理的事业单位）。"
    [before] = [p for s in doc().sections if "机关运行经费" in s.title for p in s.paragraphs]
    assert before.startswith("机关运行经费支出") and "占预算总额的" in before     # with 行政单位: as in the reference


def test_projects_without_targets_leave_the_summary_cells_blank():
    """Hubei publishes only its key projects' targets (参考文件：“重点项目绩效目标申报表”), so a project without
    targets in the file is not one without targets: Henan's “未编制绩效目标” would say what the input did not."""
    d = document(HUBEI)
    t14 = next(t for t in d.tables if t.number == "表14")
    untargeted = {p.name for p in loaded(HUBEI).budget.projects if p.performance is None}
    rows = [r for r in t14.body if r.cells[1].text in untargeted]
    assert rows and all(c.text == "" for r in rows for c in r.cells[-8:])
    assert not any("未编制" in c.text for r in t14.body for c in r.cells)


def test_a_unit_named_as_the_budget_system_names_it_is_not_called_benji_twice(tmp_path):
    """“某县农业农村局本级（本级）”: the 一体化 system names the first unit “…本级”; the list adds “（本级）” only
    where the name does not say it."""
    import yaml

    source = Path(__file__).parent / "departments" / "yunxi-resources-2025.yaml"
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    data["organization"]["units"][0]["name"] += "本级"
    path = tmp_path / "benji.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    _, d = built_with(path, "hubei")
    listed = [p for s in d.sections for p in s.paragraphs if p.startswith("1.")]
    assert listed == ["1." + data["organization"]["units"][0]["name"]]
    _, d = built_with(source, "hubei")
    assert [p for s in d.sections for p in s.paragraphs if p.startswith("1.")] == [f"1.{data['organization']['units'][0]['name'][:-2]}（本级）"]


def test_the_declaration_prints_the_typed_functions_summary(tmp_path):
    """The schema says 部门职能概述 uses `functions_summary` when given; Hubei's 表13 printed the list of duties
    anyway (a trial)."""
    import yaml

    source = Path(__file__).parent / "departments" / "yunxi-resources-2025.yaml"
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    data["organization"]["functions_summary"] = "负责全县自然资源统一管理和国土空间规划。"
    path = tmp_path / "summary.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    _, d = built_with(path, "hubei")
    t13 = next(t for t in d.tables if t.number == "表13")
    texts_ = [c.text for r in t13.body for c in r.cells]
    assert "负责全县自然资源统一管理和国土空间规划。" in texts_
    assert not any(t.startswith("1." + data["organization"]["functions"][0][:6]) for t in texts_)


# ------------------------------------------------------------------ 项目类型, 填报日期, （年度）, 说明 七

BUDGET_OF_FUND = {"一般公共预算拨款": "一般公共预算", "政府性基金预算拨款": "政府性基金预算", "国有资本经营预算拨款": "国有资本经营预算"}
TYPE_BOXES = ["一般公共预算", "政府性基金预算", "社保基金预算", "国有资本经营预算"]   # the reference's row, its “政府性性基金预算预算” mended


def _two_budgets(tmp_path: Path) -> Path:
    """永安 under the Hubei profile, with one project (卫生监督执法专项) paid from two budgets: its equipment
    line moves to 政府性基金预算拨款 (and 85000 of the unit's revenue with it)."""
    from helpers import YONGAN

    text = YONGAN.read_text(encoding="utf-8").replace("profile: national", "profile: hubei")
    line = '  - {unit: "310002", function: "2100402 卫生监督机构", economic: "31003", kind: 项目支出, project: "YA2025006", amount: 85000}'
    revenue = '  - {unit: "310002", source: 一般公共预算拨款, amount: 1030171.93}'
    assert line in text and revenue in text
    text = text.replace(line, line.replace("2100402 卫生监督机构", "2296002 用于社会福利的彩票公益金支出")[:-1] + ", fund: 政府性基金预算拨款}")
    text = text.replace(revenue, revenue.replace("1030171.93", "945171.93") + '\n  - {unit: "310002", source: 政府性基金预算拨款, amount: 85000}')
    path = tmp_path / "yongan-hubei.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _expected_types(path: Path) -> dict[str, set[str]]:
    """Project name → the budgets its lines spend, read from the YAML (a carried-in line counts as the fund
    it was carried from; 单位资金 is no budget of the row)."""
    import yaml

    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    names = {p["code"]: p["name"] for p in data["projects"]}
    out: dict[str, set[str]] = {}
    for e in data["expenditures"]:
        if e.get("project"):
            fund = e.get("fund", "一般公共预算拨款")
            fund = e.get("carried_from", "单位资金") if fund == "上年结转结余" else fund
            out.setdefault(names[e["project"]], set()).update({BUDGET_OF_FUND[fund]} if fund in BUDGET_OF_FUND else set())
    return out


def test_reference_project_forms_have_the_type_row():
    rows = [i for i, line in enumerate(LINES) if line.strip() == "项目类型" and LINES[i - 3].strip() == "项目属性"]
    assert len(rows) == 2      # l.1139 and l.1376, the two forms (l.168 is 表13's 项目类型 column)
    for i in rows:
        boxes = norm("".join(LINES[i + 1:i + 4])).replace("政府性性基金预算预算", "政府性基金预算")
        assert boxes == "□一般公共预算□政府性基金预算☑社保基金预算□国有资本经营预算"


def test_project_type_row_ticks_each_budget_the_project_spends(tmp_path):
    """项目类型 (reference: “□一般公共预算 □政府性基金预算 ☑社保基金预算 □国有资本经营预算”, under 项目属性)
    ticks the budgets of the project's lines — both for a project paid from two, none for one paid from
    单位资金 only, and never 社保基金预算, which no fund of the file is."""
    path = _two_budgets(tmp_path)
    expected = _expected_types(path)
    assert expected["卫生监督执法专项"] == {"一般公共预算", "政府性基金预算"}
    assert expected["免疫规划疫苗接种服务"] == set()
    _, d = built_with(path, "hubei")
    forms = [t for t in d.tables if t.key == "project_performance"]
    assert len(forms) == len(expected)              # every project has targets
    for t in forms:
        rows = texts(t)
        name = rows[0][1]
        at = next(i for i, r in enumerate(rows) if r[0] == "项目类型")
        assert rows[at - 1][0] in ("项目属性", "主管部门")
        assert rows[at][1] == "　".join(("☑" if b in expected[name] else "□") + b for b in TYPE_BOXES), name
    files = build_files(path, tmp_path / "out")
    flat = "".join(re.sub(r"\s+", "", line) for line in pdf_lines(files["pdf"]))
    assert "项目类型☑一般公共预算☑政府性基金预算□社保基金预算□国有资本经营预算" in flat
    assert "项目类型□一般公共预算□政府性基金预算□社保基金预算☑国有资本经营预算" in flat
    from openpyxl import load_workbook

    book = load_workbook(files["xlsx"])
    cells = [c.value for ws in book.worksheets if ws.title.startswith("表15") for r in ws.iter_rows() for c in r]
    assert "☑一般公共预算　☑政府性基金预算　□社保基金预算　□国有资本经营预算" in cells
    assert cells.count("项目类型") == len(forms)


def test_form_lines_under_the_titles(tmp_path):
    """The reference puts “填报日期; 2024 年 01月 11 日 … 单位：万元” under 表13's title and “（2024年度） 单位：万元”
    under each 表15's — not the department's name, which both forms' first rows give. The date is the file's
    approval_date; a file without one prints no date (`facts.missing` says so: test_rules)."""
    assert re.search(r"^填报日期; 2024 年 01月 11 日\s+单位：万元$", REF, re.M)
    assert sum(1 for line in LINES if re.fullmatch(r"\s*（2024年度）\s+单位：万元", line)) == 2
    path = _two_budgets(tmp_path)
    _, d = built_with(path, "hubei")
    t13 = next(t for t in d.tables if t.number == "表13")
    assert t13.meta == "填报日期：2025年2月12日" and texts(t13)[0][0] == "部门（单位）名称"
    assert {t.meta for t in d.tables if t.number == "表15"} == {"（2025年度）"}
    assert next(t for t in doc().tables if t.number == "表13").meta == "填报日期：2024年1月11日"   # the example's, the reference's date
    files = build_files(path, tmp_path / "out", "docx,xlsx,pdf")
    lines = [re.sub(r"\s+", " ", line.strip()) for line in pdf_lines(files["pdf"])]
    assert "填报日期：2025年2月12日 单位：万元" in lines
    forms = [t for t in d.tables if t.number == "表15"]
    assert lines.count("（2025年度） 单位：万元") == len(forms)
    at = lines.index("填报日期：2025年2月12日 单位：万元")
    assert not any(line.startswith("部门名称：") for line in lines[at - 3:at + 3])
    assert sheet_rows(files["xlsx"], "表13")[1][0] == "填报日期：2025年2月12日"
    assert sheet_rows(files["xlsx"], "表15")[1][1] == "（2025年度）"
    # The period is set under 表15's title, the unit at the right: the reference's text extraction indents the
    # line, where a left-set line starts at the margin. Centred in every format, not left-set.
    assert all(re.fullmatch(r" {10,}（2024年度）\s+单位：万元", line) for line in LINES if "（2024年度）" in line)
    bbox = subprocess.run(["pdftotext", "-bbox", str(files["pdf"]), "-"], capture_output=True, text=True).stdout
    centres = [(float(xmin) + float(xmax)) / 2 / float(width)
               for width, page in re.findall(r'<page width="([\d.]+)"(.*?)</page>', bbox, re.S)
               for xmin, xmax in re.findall(r'xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">（2025年度）<', page)]
    assert len(centres) == len(forms) and all(abs(c - 0.5) < 0.03 for c in centres), centres
    # the forms' ☑ is set in the shipped marks font (Noto CJK has □, not ☑): no font of the machine's is used,
    # so a server without LibreOffice's OpenSymbol or DejaVu prints no tofu (trial C D13)
    assert "☑" in "\n".join(lines)
    fonts = subprocess.run(["pdffonts", str(files["pdf"])], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    names = {line.split()[0].split("+")[-1] for line in fonts}
    assert "Discloser-Marks" in names and all(n.startswith("Noto-") or n == "Discloser-Marks" for n in names), names
    from docx import Document as Word

    lines = [p for p in Word(files["docx"]).paragraphs if "（2025年度）" in p.text]
    assert len(lines) == len(forms) and all(p.text == "\t（2025年度）\t单位：万元" for p in lines)
    assert all('w:val="center"' in p._p.xml for p in lines)
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    for ws in (ws for ws in load_workbook(files["xlsx"]).worksheets if ws.title.startswith("表15")):
        [unit] = [c for c in ws[2] if c.value == "单位：万元"]   # in the last column, or merged over the last it needs
        spans = {str(r) for r in ws.merged_cells.ranges}
        assert unit.column == ws.max_column or f"{unit.coordinate}:{get_column_letter(ws.max_column)}2" in spans
        assert ws.cell(2, 2).alignment.horizontal == "center" and f"B2:{get_column_letter(unit.column - 1)}2" in spans


def _performance_items(d) -> list[str]:
    start = next(i for i, s in enumerate(d.sections) if s.level == 2 and "预算绩效情况说明" in s.title)
    end = next(i for i in range(start + 1, len(d.sections)) if d.sections[i].level <= 2)
    return [s.title for s in d.sections[start + 1:end]]


def test_performance_section_refers_to_the_forms(tmp_path):
    """说明 七 goes on, as the reference does, with the 申报表: “2.2024年度部门整体绩效目标申报表”,
    “3.2024年度重点项目绩效目标申报表”, saying where they are; “1.预算绩效管理工作开展情况” (一是…四是) is the
    clerk's own words (notes.performance_management), printed only when typed — a notice says so otherwise."""
    ref = [re.sub(r"^\d\.", "", line.strip()) for line in LINES if re.match(r"^\d\.(预算绩效|2024年度)", line.strip())]
    assert ref == ["预算绩效管理工作开展情况", "2024年度部门整体绩效目标申报表", "2024年度重点项目绩效目标申报表"]
    d = doc()
    ours = [re.sub(r"^\d\.\s*", "", t) for t in _performance_items(d)]
    assert ours == ref[1:]
    paragraphs = [p for s in d.sections for p in s.paragraphs]
    assert "通城县医疗保障局2024年度部门整体绩效目标申报表见表13。" in paragraphs
    forms = len([t for t in d.tables if t.number == "表15"])
    assert f"通城县医疗保障局2024年对{forms}个重点项目编制了项目支出绩效目标申报表，见表15。" in paragraphs
    notices = [p for p in loaded(HUBEI).problems if p.rule == "notes.missing"]
    assert any("notes.performance_management" in p.message for p in notices)

    said = LINES[LINES.index("1.预算绩效管理工作开展情况") + 2].strip()
    assert said.startswith("根据预算绩效管理的要求，一是")
    text = HUBEI.read_text(encoding="utf-8")
    (tmp_path / "noted.yaml").write_text(text + f"\nnotes:\n  performance_management: \"{said}\"\n", encoding="utf-8")
    result, noted = built_with(tmp_path / "noted.yaml", "hubei")
    assert [re.sub(r"^\d\.\s*", "", t) for t in _performance_items(noted)] == ref
    assert said in [p for s in noted.sections for p in s.paragraphs]
    assert not any(p.rule == "notes.missing" for p in result.problems)


def test_contents_keep_the_table_numbers_the_henan_layout_drops():
    """Hubei takes Henan's tables but not its 目录 (“附件：…” / “一、…表”, no 是否空表 page): its reference has no
    目录 of tables to follow (they are “另附”), and its 说明 七 points at them by number (“见表13”)."""
    d = doc()
    listed = [e.label for e in d.outline if e.kind.value == "table"]
    assert listed and all(label.startswith(f"{t.number} ") for label, t in zip(listed, dict((t.key, t) for t in d.tables).values()))
    assert d.toc_page and not next(e for e in d.outline if e.kind.value == "appendix").label.startswith("附件")


def test_department_form_names_each_projects_budgets_not_its_income_sources(tmp_path):
    """表13's 项目支出情况 has a 项目类型 column (reference l.168–175: “一般财政公共预算”). A trial's form printed the
    income sources there — “上年结转结余”, “事业收入” — while the same projects' 表15 ticked 政府性基金预算 and
    一般公共预算. Now the column names the budgets the project's lines spend (carried-in money as the budget it
    came from), then 其他资金 for the unit's own money, read here from the file."""
    import yaml

    path = _two_budgets(tmp_path)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    expected = _expected_types(path)
    others = {p["name"] for p in data["projects"] for e in data["expenditures"] if e.get("project") == p["code"]
              and (e.get("fund", "一般公共预算拨款") if e.get("fund") != "上年结转结余" else e.get("carried_from", "单位资金"))
              not in BUDGET_OF_FUND}
    assert "卫生监督执法专项" in expected and "免疫规划疫苗接种服务" in others
    _, d = built_with(path, "hubei")
    t13 = next(t for t in d.tables if t.number == "表13")
    rows = [[c.text for c in r.cells] for r in t13.body]
    at = next(i for i, r in enumerate(rows) if "项目类型" in r)
    listed = {r[0]: r[1] for r in rows[at + 1:] if r[0] in expected}
    assert set(listed) == set(expected)
    order = [b for b in TYPE_BOXES if b != "社保基金预算"]
    for name, words in listed.items():
        want = [b for b in order if b in expected[name]] + (["其他资金"] if name in others else [])
        assert words == "、".join(want), (name, words)
        assert "上年结转结余" not in words and "事业收入" not in words


def test_a_part_without_money_has_no_share():
    """Hubei 表13 printed “0.00%” beside the blank 其他资金 of a department whose only revenue is 一般公共预算拨款
    (trial C D12): a blank amount and a share of it read as a figure left out. Both are blank; the shares
    of the parts with money still add up to 100.00%."""
    import yaml

    from helpers import EXAMPLES

    path = EXAMPLES / "anping-gazetteer-office-2025.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert {r["source"] for r in data["revenues"]} == {"一般公共预算拨款"}
    assert not any(e.get("kind") == "项目支出" for e in data["expenditures"])     # no project spending either
    _, d = built_with(path, "hubei")
    rows = texts(next(t for t in d.tables if t.number == "表13"))
    other = next(r for r in rows if "其他资金" in r)
    project = next(r for r in rows if "项目支出" in r and len(r) >= 4)
    for row in (other, project):
        label = row.index("其他资金" if row is other else "项目支出")
        assert row[label + 1:label + 3] == ["", ""], row                 # amount and share both blank
    fiscal = next(r for r in rows if "财政拨款" in r)
    assert "100.00%" in fiscal


def test_a_past_years_carry_forward_has_its_row_and_counts_in_its_total(tmp_path):
    """A past year's income is its spending plus what it carried on (结转下年): the row is printed for it even
    when this year carries nothing, and that year's 支出合计 is its 收入合计."""
    text = HUBEI.read_text(encoding="utf-8").replace(
        "{year: 2023, fiscal: 8710700, other: 0, basic: 7343700, project: 1367000}",
        "{year: 2023, fiscal: 8710700, other: 0, basic: 7343700, project: 1267000, carry_forward: 100000}")
    path = tmp_path / "tongcheng.yaml"
    path.write_text(text, encoding="utf-8")
    result, built = built_with(path, "hubei")
    assert not result.budget.carry_forward
    rows = texts(next(t for t in built.tables if t.key == "department_performance"))
    carry = next(r for r in rows if "结转下年" in r)
    assert carry[-4:] == ["", "", "", "10.00"]                   # none this year (nor its share) and 2022; 2023 100,000 元
    assert [r for r in rows if "项目支出" in r][0][-1] == "126.70"
    totals = [r[-1] for r in rows if "合计" in r][:2]
    assert totals == ["871.07", "871.07"]                        # 收入合计 = 支出合计 (8,710,700 元)


def test_running_costs_share_is_of_the_spending_total_printed_above():
    """“占预算总额的P%” was a share of 收入预算总额 (197.37) while the paragraph before gives 支出预算总额 194.37 — they
    differ by the 结转下年 — so a reader dividing got another figure (trialE-s27). It is a share of the 支出预算总额."""
    from helpers import QINGSHAN, built_with

    _, doc = built_with(QINGSHAN, "hubei")
    text = "\n".join(p for s in doc.sections for p in s.paragraphs)
    revenue = Decimal(re.search(r"收入预算总额([\d.]+)万元", text).group(1))
    spending = Decimal(re.search(r"支出预算总额([\d.]+)万元", text).group(1))
    running, share = re.search(r"机关运行经费支出([\d.]+)万元[^。]*?占预算总额的([\d.]+)%", text).groups()
    assert revenue - spending >= 1                              # a department with 结转下年: the two totals differ
    assert abs(Decimal(share) - Decimal(running) * 100 / spending) <= Decimal("0.01"), (share, running, spending)


def test_training_and_meeting_costs_say_their_scope_when_other_appropriations_pay_them():
    """Under “三、“三公”经费、培训费、会议费财政拨款预算情况” the 说明 printed “会议费0.00万元” for a 土地储备中心 whose
    会议费 (30215) is paid from 政府性基金预算拨款 — also 财政拨款, and in its own 经济分类 table (trialF-s28 O1). The
    figure counts 一般公共预算 as the 三公 do, and the sentence now says so; a cost no other appropriation pays keeps
    the reference's words. Amounts read from the file in 元."""
    import yaml

    from helpers import ROOT

    source = ROOT / "tests" / "departments" / "anping-land-reserve-2025.yaml"
    lines = yaml.safe_load(source.read_text(encoding="utf-8"))["expenditures"]

    def paid(code: str, general: bool) -> Decimal:
        return sum((Decimal(str(x["amount"])) for x in lines if str(x["economic"]) == code
                    and (x.get("fund", "一般公共预算拨款") == "一般公共预算拨款") == general), Decimal(0))

    assert paid("30215", general=False) > 0 and paid("30216", general=False) == 0     # 会议费 from 政府性基金, no 培训费
    _, doc = built_with(source, "hubei")
    text = "".join(p for s in doc.sections for p in s.paragraphs)
    meeting = re.search(r"；(\S{0,12}?)会议费([\d.]+)万元", text)
    assert meeting.group(1) == "一般公共预算安排的", meeting.group(0)
    assert Decimal(meeting.group(2)) == (paid("30215", general=True) / 10000).quantize(Decimal("0.01"), ROUND_HALF_UP)
    assert re.search(r"；培训费[\d.]+万元", text)                 # nothing else pays 培训费: the reference's words
