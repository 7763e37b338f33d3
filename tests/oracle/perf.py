"""Performance-target forms (绩效目标表): money cells found by the label beside or above them.

- 项目支出绩效目标表: 实施期资金总额 is the project's total budget (`total_budget`, or this year's
  amount when none is given); 年度资金总额 this year's amount; 其中：财政拨款 its 财政拨款 part;
  其他资金 the rest (of this year's amount, or of the total budget beside a 实施期资金总额).
- 部门整体支出绩效目标表: task amounts as typed (总额 = the sum of the task's columns), 金额合计,
  and the 预算情况 block (预算总额, 政府预算资金, 财政专户管理资金, 单位资金, 基本支出, 项目支出).
- 部门整体绩效目标申报表 (Hubei): 收入构成 (revenue: 财政拨款 / 其他资金 / 合计), 支出构成 (基本 /
  项目 / 合计) with their shares, the two history years as typed, and the project list.
- 专项资金总体绩效目标表: the department's project spending (实施期: total budgets).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from .figures import Expect
from .grid import GCell, GridTable, norm
from .inputs import FISCAL, FUNDS, HIGHER, PERSONNEL, PROJECT, PUBLIC, SPECIAL, UNIT_FUNDS
from .report import Finding
from .tables import CellCheck, Cond, Ctx, _Projects, label_key, where

_K = lambda *k: frozenset(k)  # noqa: E731


@dataclass
class AltCheck(CellCheck):
    """A money cell with more than one defensible reading (each is checked like a CellCheck)."""

    alts: tuple[Expect, ...] = ()


def _left_label(row: list[GCell], cell: GCell) -> str:
    best = ""
    for c in row:
        if c.c < cell.c and c.kind not in ("money", "percent") and c.text.strip():
            best = c.text
    return label_key(best)


def _first_text(row: list[GCell]) -> str:
    return next((c.text.strip() for c in row if c.kind not in ("money", "percent") and c.text.strip()), "")


def _project_expectations(ctx: Ctx, keys: frozenset[str], what: str) -> dict[str, Expect | tuple]:
    projs = [p for p in ctx.dept.projects if ctx.dept.project_key(p) in keys]
    year = ctx.expect(Cond(projects=keys), f"{what}年度资金")
    fiscal = ctx.expect(Cond(projects=keys, funds=FISCAL), f"{what}财政拨款")
    other = ctx.expect(Cond(projects=keys, funds=frozenset(FUNDS) - FISCAL), f"{what}其他资金")
    tb_atoms: list[str] = []
    for p in projs:
        key = ctx.dept.project_key(p)
        if p["total_budget"] is not None:
            tb_atoms.append(f"TB:{key}")
        else:
            tb_atoms += sorted(ctx.expect(Cond(projects=frozenset({key})), "").atoms)
    whole = ctx.atoms.expect(tb_atoms, f"{what}实施期资金总额", cls="7")
    # the 实施期 total's split: a one-year project's is this year's; a multi-year one's the typed total_budget_fiscal
    # and the rest; where a multi-year project types none, the 实施期 split is not printed (blank)
    split_fiscal: list[str] | None = []
    split_other: list[str] = []
    for p in projs:
        key = ctx.dept.project_key(p)
        mine = ctx.expect(Cond(projects=frozenset({key})), "")
        if p["total_budget"] is None or p["total_budget"] == mine.exact:
            if split_fiscal is not None:
                split_fiscal += ctx.expect(Cond(projects=frozenset({key}), funds=FISCAL), "").atoms
            split_other += ctx.expect(Cond(projects=frozenset({key}), funds=frozenset(FUNDS) - FISCAL), "").atoms
        elif p.get("total_budget_fiscal") is not None and split_fiscal is not None:
            split_fiscal.append(f"TBF:{key}")
            split_other.append(f"TBO:{key}")
        else:
            split_fiscal = None
    if split_fiscal is None:
        whole_fiscal = whole_other = Expect(frozenset(), Decimal(0), f"{what}实施期（未写其中的财政拨款，不印）", blank=True)
    else:
        whole_fiscal = ctx.atoms.expect(sorted(split_fiscal), f"{what}实施期财政拨款", cls="7")
        whole_other = ctx.atoms.expect(sorted(split_other), f"{what}实施期其他资金", cls="7")
    # a bare “资金总额” (湖北) reads either way: the 实施期 total (then a 年度资金总额 line follows) or this year's
    return {"实施期资金总额": whole, "年度资金总额": year, "资金总额": (whole, year), "其中：财政拨款": fiscal,
            "其中：财政资金": fiscal, "财政拨款": fiscal, "其他资金": other,
            "实施期:财政拨款": whole_fiscal, "实施期:其他资金": whole_other}


def _labels(t: GridTable) -> set[str]:
    return {_left_label(row, c) for row in t.body for c in row if c.kind == "money"}


def _spent(ctx: Ctx, p: dict) -> bool:
    return bool(ctx.expect(Cond(projects=frozenset({ctx.dept.project_key(p)})), "").atoms)


def _money_checks(t: GridTable, ctx: Ctx, exp: dict, findings: list[Finding], has_whole: bool) -> list[CellCheck]:
    checks: list[CellCheck] = []
    # the rows under 实施期资金总额 split it, until 年度资金总额 — below it (a project's form) or beside it, in
    # its own column (专项资金总体绩效目标表): the block is the column's last total label
    block: dict[int, str] = {}
    two_blocks = "年度资金总额" in _labels(t)
    for r, row in enumerate(t.body):
        for cell in row:
            if cell.kind != "money":
                continue
            lab = _left_label(row, cell)
            if lab in ("实施期资金总额", "资金总额", "年度资金总额"):
                block[cell.c] = "实施期资金总额" if lab == "资金总额" else lab   # a bare 资金总额 heads the 实施期 block (湖北)
            split = {"其中：财政拨款": "实施期:财政拨款", "财政拨款": "实施期:财政拨款", "其他资金": "实施期:其他资金"}.get(lab)
            if two_blocks and split and block.get(cell.c) == "实施期资金总额":
                lab = split
            e = exp.get(lab)
            if e is None:
                findings.append(Finding("0", where(t, r), f"未识别的金额“{lab}”"))
                continue
            if isinstance(e, tuple):
                alts = e[1:] if has_whole or lab == "资金总额" else ()
                checks.append(AltCheck(t, cell, e[0], lab, lab, alts=alts))
            else:
                checks.append(CellCheck(t, cell, e, lab, lab))
    return checks


def check_project_performance(t: GridTable, ctx: Ctx) -> tuple[list[CellCheck], list[Finding]]:
    findings: list[Finding] = []
    if t.empty:
        return [], findings
    if "perf_matcher" not in ctx.state:   # the projects that have targets and spending, in input order
        ctx.state["perf_matcher"] = _Projects(ctx.dept, lambda p: bool(p.get("performance")) and _spent(ctx, p))
    matcher: _Projects = ctx.state["perf_matcher"]
    name = ""
    for row in t.body:
        texts = [c.text.strip() for c in row if c.kind not in ("money", "percent")]
        if texts and norm(texts[0]) == "项目名称" and len(texts) > 1:
            name = texts[1]
            break
    p = matcher.take(name=name)
    if p is None:
        return [], [Finding("0", where(t), f"未识别的项目“{name}”")]
    key = ctx.dept.project_key(p)
    ctx.state.setdefault("perf_projects", []).append(key)
    exp = _project_expectations(ctx, frozenset({key}), f"项目 {p['name']} ")
    has_whole = any(_left_label(row, c) == "实施期资金总额" for row in t.body for c in row if c.kind == "money")
    checks = _money_checks(t, ctx, exp, findings, has_whole)
    perf = p.get("performance") or {}
    for r, row in enumerate(t.body):
        texts = [c.text.strip() for c in row if c.kind not in ("money", "percent")]
        for i, txt in enumerate(texts[:-1]):
            lab = norm(txt)
            want = {"实施期限": perf.get("period"), "实施期目标": perf.get("long_term_goal"),
                    "长期目标": perf.get("long_term_goal")}.get(lab)
            if want and want not in texts[i + 1]:
                findings.append(Finding("7", where(t, r), f"{lab}应为“{want}”，印作“{texts[i + 1]}”"))
    return checks, findings


def project_performance_done(ctx: Ctx, tables: list[GridTable]) -> list[Finding]:
    """One 项目支出绩效目标表 per project with targets and spending, none for the others."""
    if not tables:
        return []
    want = sorted(ctx.dept.project_key(p) for p in ctx.dept.projects if p.get("performance")
                  and ctx.expect(Cond(projects=frozenset({ctx.dept.project_key(p)})), "").exact)
    got = sorted(ctx.state.get("perf_projects", []))
    if want != got:
        return [Finding("0", where(tables[0]), f"项目绩效目标表：应有 {want}，印了 {got}")]
    return []


def check_special_fund(t: GridTable, ctx: Ctx) -> tuple[list[CellCheck], list[Finding]]:
    findings: list[Finding] = []
    keys = frozenset(ctx.dept.project_key(p) for p in ctx.dept.projects)
    exp = _project_expectations(ctx, keys, "专项资金 ")
    has_whole = any(_left_label(row, c) == "实施期资金总额" for row in t.body for c in row if c.kind == "money")
    return _money_checks(t, ctx, exp, findings, has_whole), findings


_BUDGET_BLOCK = [("预算总额", Cond()), ("政府预算资金", Cond(funds=FISCAL)), ("财政专户管理资金", Cond(funds=_K(SPECIAL))),
                 ("单位资金", Cond(funds=UNIT_FUNDS)), ("基本支出", Cond(kinds=_K(PERSONNEL, PUBLIC))),
                 ("项目支出", Cond(kinds=_K(PROJECT)))]
# 当年预算（构成）of the 甘肃 / 江西 forms: revenue by where it comes from (上级财政拨款 is the 上级补助收入,
# 本级财政安排 the 财政拨款, 其他 the rest, as the profiles define them), spending by kind (every fund).
_REVENUE_LINES = {"上级财政拨款": _K(HIGHER), "本级财政安排": FISCAL}
_OTHER_LINES = ("其他资金", "其他")
_TOTAL_LINES = {"收入预算合计": "revenue", "收入合计": "revenue", "支出预算合计": "spending", "支出合计": "spending"}
_SPENDING_LINES = {"人员经费": Cond(kinds=_K(PERSONNEL)), "公用经费": Cond(kinds=_K(PUBLIC)), "项目经费": Cond(kinds=_K(PROJECT)),
                   "结转下年": Cond(carry=True, lines=False)}
# The spending side's total is all the spending side lists — this year's spending and 结转下年 — and so the
# same figure as the revenue side's (a form whose two totals differ would leave the reader to guess why).
# 上年预算（情况）: as typed (prior_year.total is the 批复数).
_PRIOR_LINES = {"预算批复数": "approved", "批复数": "approved", "预算调整数": "adjusted", "调整数": "adjusted",
                "实际支出数": "actual", "年末结转结余": "balance", "年末结转结余数": "balance"}


def _above_label(t: GridTable, r: int, cell: GCell) -> str:
    """The label over a cell in the row above (甘肃 上年预算情况: heads in one row, figures under them)."""
    if r == 0:
        return ""
    for c in t.body[r - 1]:
        if c.c <= cell.c < c.c + c.colspan and c.kind not in ("money", "percent"):
            return label_key(c.text)
    return ""


def check_department_performance(t: GridTable, ctx: Ctx) -> tuple[list[CellCheck], list[Finding]]:
    findings: list[Finding] = []
    checks: list[CellCheck] = []
    perf = (ctx.dept.performance or {}).get("department") or {}
    tasks = perf.get("tasks") or []
    task_index = {t_["name"]: n for n, t_ in enumerate(tasks)}
    columns: dict[int, str] = {}
    atoms = ctx.atoms
    other_revenue = frozenset(FUNDS) - FISCAL - {HIGHER}
    for r, row in enumerate(t.body):
        texts = {c.c: norm(c.text) for c in row if c.kind not in ("money", "percent")}
        if "总额" in texts.values():
            columns = {c: txt for c, txt in texts.items()}
        for cell in (c for c in row if c.kind in ("money", "percent")):
            lab = _left_label(row, cell) or _above_label(t, r, cell)
            bare = re.sub(r"^其中：", "", lab)
            first = _first_text(row)
            if cell.kind == "percent":
                if bare != "执行率":
                    findings.append(Finding("0", where(t, r), f"未识别的百分比“{lab}”"))
                    continue
                base = atoms.prior_budget("adjusted") or atoms.prior_budget("approved")
                actual = atoms.prior_budget("actual")
                if base is None or actual is None:
                    if cell.text:
                        findings.append(Finding("6", where(t, r), f"执行率印作 {cell.text}，但输入没有上年实际支出数或预算数"))
                    continue
                ctx.state.setdefault("percents", []).append((t, r, cell, actual, base, "上年预算执行率"))
            elif first in task_index and (cell.c in columns or sum(c.kind == "money" for c in row) == 1):
                n = task_index[first]
                col = columns.get(cell.c, "总额")   # a task row with one figure: the task's whole amount
                ids = [a for a in atoms.amount if a.startswith(f"T{n}:") and (col in ("总额", "") or a == f"T{n}:{col}")]
                checks.append(CellCheck(t, cell, atoms.expect(ids, f"{first} {col}"), first, col))
            elif lab == "金额合计" or (norm(first) == "金额合计" and cell.c in columns):
                col = columns.get(cell.c, "总额")
                ids = [a for a in atoms.amount if re.match(r"T\d+:", a) and (col == "总额" or a.endswith(f":{col}"))]
                checks.append(CellCheck(t, cell, atoms.expect(ids, f"任务合计 {col}"), "金额合计", col))
            elif bare in _PRIOR_LINES:
                key = _PRIOR_LINES[bare]
                if atoms.prior_budget(key) is None:
                    if cell.text:
                        findings.append(Finding("6", where(t, r), f"上年{bare}印作 {cell.text}，输入没有"))
                    continue
                checks.append(CellCheck(t, cell, atoms.expect([f"PB:{key}"], f"上年{bare}"), lab, lab))
            elif bare in _REVENUE_LINES or bare in _OTHER_LINES:
                funds = _REVENUE_LINES.get(bare, other_revenue)
                checks.append(CellCheck(t, cell, ctx.revenue(None, funds, f"当年预算 {lab}"), lab, lab))
            elif bare in _TOTAL_LINES:
                e = (ctx.revenue(None, frozenset(FUNDS), lab, grand=True) if _TOTAL_LINES[bare] == "revenue"
                     else ctx.expect(Cond(carry=True), f"当年预算 {lab}"))
                checks.append(CellCheck(t, cell, e, lab, lab))
            elif bare in _SPENDING_LINES:
                checks.append(CellCheck(t, cell, ctx.expect(_SPENDING_LINES[bare], f"当年预算 {lab}"), lab, lab))
            else:
                cond = next((c_ for k, c_ in _BUDGET_BLOCK if k in lab), None)
                if cond is None:
                    findings.append(Finding("0", where(t, r), f"未识别的金额“{lab}”"))
                    continue
                checks.append(CellCheck(t, cell, ctx.expect(cond, f"预算情况 {lab}"), lab, lab))
    return checks, findings


def check_department_overview(t: GridTable, ctx: Ctx) -> tuple[list[CellCheck], list[Finding]]:
    """Hubei 部门整体绩效目标申报表."""
    findings: list[Finding] = []
    checks: list[CellCheck] = []
    perf = (ctx.dept.performance or {}).get("department") or {}
    history = {int(h["year"]): h for h in perf.get("history") or []}
    atoms = ctx.atoms
    colmap: dict[int, str] = {}
    section = ""
    in_projects = False
    matcher = _Projects(ctx.dept, lambda p: _spent(ctx, p))
    revenue = {"财政拨款": ctx.revenue(None, FISCAL, "收入 财政拨款"),
               "其他资金": ctx.revenue(None, frozenset(FUNDS) - FISCAL, "收入 其他资金"),
               "合计": ctx.revenue(None, frozenset(FUNDS), "收入 合计", grand=True)}
    spending = {"基本支出": ctx.expect(Cond(kinds=_K(PERSONNEL, PUBLIC)), "基本支出"),
                "项目支出": ctx.expect(Cond(kinds=_K(PROJECT)), "项目支出"),
                "结转下年": ctx.expect(Cond(carry=True, lines=False), "结转下年"),
                "合计": ctx.expect(Cond(carry=True), "支出合计（含结转下年，与收入合计相等）")}
    hist_key = {"收入构成": {"财政拨款": ["fiscal"], "其他资金": ["other"], "合计": ["fiscal", "other"]},
                "支出构成": {"基本支出": ["basic"], "项目支出": ["project"], "结转下年": ["carry_forward"],
                             "合计": ["basic", "project", "carry_forward"]}}   # a past year's income = spending + 结转下年
    proj_cols: dict[int, str] = {}
    proj_whole: list[str] = []
    proj_year: list[str] = []
    for r, row in enumerate(t.body):
        texts = {c.c: norm(c.text) for c in row if c.kind not in ("money", "percent")}
        vals = set(texts.values())
        if "当年金额" in vals:
            colmap.update(texts)
        elif any(v.endswith("年") and v[:-1].isdigit() for v in vals) and colmap and not in_projects:
            colmap.update({c: v for c, v in texts.items() if v.endswith("年")})
        if "收入构成" in vals:
            section = "收入构成"
        if "支出构成" in vals:
            section = "支出构成"
        if "项目总预算" in vals:
            in_projects = True
            proj_cols = dict(texts)
            continue
        money_cells = [c for c in row if c.kind in ("money", "percent")]
        if not money_cells:
            continue
        if in_projects:
            name = _first_text(row)
            if norm(name) == "合计":
                for cell in money_cells:
                    col = proj_cols.get(cell.c, "")
                    ids = proj_whole if col == "项目总预算" else proj_year
                    checks.append(CellCheck(t, cell, atoms.expect(ids, f"项目合计 {col}", cls="7" if col == "项目总预算" else ""), "合计", col))
                continue
            p = matcher.take(name=name)
            if p is None:
                findings.append(Finding("0", where(t, r), f"未识别的项目“{name}”"))
                continue
            key = ctx.dept.project_key(p)
            exp = _project_expectations(ctx, frozenset({key}), f"项目 {p['name']} ")
            proj_whole += sorted(exp["实施期资金总额"].atoms)
            proj_year += sorted(exp["年度资金总额"].atoms)
            for cell in money_cells:
                col = proj_cols.get(cell.c, "")
                e = exp["实施期资金总额"] if col == "项目总预算" else exp["年度资金总额"] if col == "项目本年度预算" else None
                if e is None:
                    findings.append(Finding("0", where(t, r), f"未识别的项目金额列“{col}”"))
                    continue
                checks.append(CellCheck(t, cell, e, p["name"], col))
            continue
        lab = _left_label(row, money_cells[0])
        table = revenue if section == "收入构成" else spending
        for cell in money_cells:
            col = colmap.get(cell.c, "")
            if lab not in table:
                findings.append(Finding("0", where(t, r), f"未识别的行“{lab}”"))
                break
            if cell.kind == "percent" or col == "占比":
                whole = table["合计"]
                if not cell.text.endswith("%") and cell.text:
                    findings.append(Finding("0", where(t, r), f"占比印作“{cell.text}”，没有百分号"))
                ctx.state.setdefault("percents", []).append((t, r, cell, table[lab].exact, whole.exact, f"{section}{lab}占比"))
                continue
                continue
            if col == "当年金额":
                checks.append(CellCheck(t, cell, table[lab], f"{section}{lab}", col))
            elif col.endswith("年") and col[:-1].isdigit():
                y = int(col[:-1])
                if y not in history:
                    findings.append(Finding("6", where(t, r), f"{y}年没有输入，却印了 {cell.text}"))
                    continue
                ids = [f"H{y}:{k}" for k in hist_key[section][lab]]
                checks.append(CellCheck(t, cell, atoms.expect(ids, f"{y}年 {section}{lab}"), f"{section}{lab}", col))
            else:
                findings.append(Finding("0", where(t, r), f"未识别的列“{col}”"))
    return checks, findings


def percent_ok(printed: Decimal, part: Decimal, whole: Decimal) -> bool:
    """A share printed from 元, rounded down or up to 0.01%."""
    if not whole:
        return printed == 0
    exact = part * 100 / whole
    return printed in (exact.quantize(Decimal("0.01"), ROUND_FLOOR), exact.quantize(Decimal("0.01"), ROUND_CEILING))
