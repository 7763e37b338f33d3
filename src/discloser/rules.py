"""Validation rules: the identities a published package must satisfy, each with a stable id.

Every rule is a function of the validated model (and the source, for locations) that yields
`Problem`s whose message shows both sides and the difference. A profile may switch rules off
(`rules_off: [id, …]`) and declare its own allowed indicator names (`indicator_levels`).
Derived tables satisfy the table identities by construction; these rules guard the *input*:
the facts that are entered once and must agree with each other.
"""
from __future__ import annotations

from collections import defaultdict
from decimal import Decimal, InvalidOperation
from typing import Callable, Iterator

from .catalog import load_catalog
from .model import Budget, ExpenseKind, Fund
from .money import ZERO, fmt_plain, total
from .problems import Problem
from .profile import Profile, load_profile
from .source import Source

RuleFn = Callable[[Budget, Source, Profile], Iterator[Problem]]
RULES: dict[str, tuple[str, str, RuleFn]] = {}   # id -> (severity, summary, fn)


def rule(rule_id: str, severity: str, summary: str) -> Callable[[RuleFn], RuleFn]:
    def register(fn: RuleFn) -> RuleFn:
        RULES[rule_id] = (severity, summary, fn)
        return fn
    return register


def _yuan(v: Decimal) -> str:
    return f"{fmt_plain(v)} 元"


def _diff(a: Decimal, b: Decimal) -> str:
    return f"相差 {_yuan(abs(a - b))}"


# ------------------------------------------------------------------ balances

@rule("balance.total", "error", "收入总计 = 支出总计（本年收入 + 上年结转 = 本年支出 + 结转下年）")
def balance_total(b: Budget, src: Source, profile: Profile) -> Iterator[Problem]:
    rev = total(r.amount for r in b.revenues)
    exp = total(e.amount for e in b.expenditures) + total(c.amount for c in b.carry_forward)
    if rev != exp:
        yield Problem("balance.total", "error",
                      f"收入总计 {_yuan(rev)}（revenues 各项之和）≠ 支出总计 {_yuan(exp)}（expenditures 各行之和"
                      f"{' + 结转下年' if b.carry_forward else ''}），{_diff(rev, exp)}",
                      (src.locate(("revenues",)), src.locate(("expenditures",))))


@rule("balance.fund", "error", "每一资金来源的收入 = 该来源安排的支出")
def balance_fund(b: Budget, src: Source, profile: Profile) -> Iterator[Problem]:
    if b.carry_forward or any(r.source is Fund.carryover for r in b.revenues):
        return  # carry-overs may fund any source's spending; only the total must balance
    rev: dict[Fund, Decimal] = defaultdict(lambda: ZERO)
    exp: dict[Fund, Decimal] = defaultdict(lambda: ZERO)
    first_rev: dict[Fund, int] = {}
    for n, r in enumerate(b.revenues):
        rev[r.source] += r.amount
        first_rev.setdefault(r.source, n)
    for e in b.expenditures:
        exp[e.fund] += e.amount
    for fund in sorted(set(rev) | set(exp), key=lambda f: list(Fund).index(f)):
        if rev[fund] != exp[fund]:
            where = [src.locate(("revenues", first_rev[fund], "amount"))] if fund in first_rev else [src.locate(("revenues",))]
            where.append(src.locate(("expenditures",)))
            yield Problem("balance.fund", "error",
                          f"{fund.value}：收入 {_yuan(rev[fund])} ≠ 以其安排的支出 {_yuan(exp[fund])}，{_diff(rev[fund], exp[fund])}",
                          tuple(where))


# ------------------------------------------------------------------ line items and projects

@rule("item.project", "error", "项目支出行必须写明项目，且项目在 projects 中；基本支出行不写项目")
def item_project(b: Budget, src: Source, profile: Profile) -> Iterator[Problem]:
    names = {p.key for p in b.projects}
    for n, e in enumerate(b.expenditures):
        if e.kind is ExpenseKind.project and not e.project:
            yield Problem("item.project", "error", "项目支出行缺少 project（项目名称）", (src.locate(("expenditures", n)),))
        elif e.kind is ExpenseKind.project and e.project not in names:
            import difflib
            close = difflib.get_close_matches(e.project or "", list(names), n=1, cutoff=0.4)
            hint = f"，是不是“{close[0]}”？" if close else "；请在 projects 中登记该项目"
            yield Problem("item.project", "error", f"项目“{e.project}”不在 projects 中（按项目编码，无编码时按名称）{hint}",
                          (src.locate(("expenditures", n, "project")),))
        elif e.kind is not ExpenseKind.project and e.project:
            yield Problem("item.project", "error", f"{e.kind.value}行不应填写项目“{e.project}”（项目只属于项目支出）",
                          (src.locate(("expenditures", n, "project")),))


@rule("item.unit", "error", "明细行的单位编码必须是本部门的单位")
def item_unit(b: Budget, src: Source, profile: Profile) -> Iterator[Problem]:
    codes = {u.code for u in b.organization.all_units()}
    for field_name, rows in (("expenditures", b.expenditures), ("revenues", b.revenues), ("projects", b.projects)):
        for n, e in enumerate(rows):
            if e.unit and e.unit not in codes:
                yield Problem("item.unit", "error", f"单位编码“{e.unit}”不在本部门的单位中（{'、'.join(sorted(codes))}）",
                              (src.locate((field_name, n, "unit")),))


@rule("project.items", "warning", "登记的项目应有支出明细行")
def project_items(b: Budget, src: Source, profile: Profile) -> Iterator[Problem]:
    used = {e.project for e in b.expenditures if e.project}
    for n, p in enumerate(b.projects):
        if p.key not in used:
            yield Problem("project.items", "warning", f"项目“{p.name}”没有任何支出明细行，不会出现在项目支出表中",
                          (src.locate(("projects", n, "name")),))


@rule("catalog.function", "warning", "功能分类科目编码应在当年目录中")
def catalog_function(b: Budget, src: Source, profile: Profile) -> Iterator[Problem]:
    cat = load_catalog(b.year)
    for n, e in enumerate(b.expenditures):
        if cat.function_name(e.function) is None:
            yield Problem("catalog.function", "warning", f"功能分类科目“{e.function}”不在{cat.year}年目录中（{cat.source}）",
                          (src.locate(("expenditures", n, "function")),))


@rule("catalog.economic", "warning", "经济分类科目编码应在当年目录中")
def catalog_economic(b: Budget, src: Source, profile: Profile) -> Iterator[Problem]:
    cat = load_catalog(b.year)
    for n, e in enumerate(b.expenditures):
        if cat.economic_dept_name(e.economic) is None:
            yield Problem("catalog.economic", "warning", f"部门经济分类科目“{e.economic}”不在{cat.year}年目录中（{cat.source}）",
                          (src.locate(("expenditures", n, "economic")),))
        elif e.kind is not ExpenseKind.project and e.economic[:3] not in ("301", "302", "303", "310", "399", "307"):
            yield Problem("catalog.economic", "warning",
                          f"基本支出不常用经济分类“{e.economic} {cat.economic_dept_name(e.economic)}”（通常用于项目支出），请核对",
                          (src.locate(("expenditures", n, "economic")),))


@rule("item.kind", "error", "人员经费用 301/303 类，公用经费用 302/310 等类")
def item_kind(b: Budget, src: Source, profile: Profile) -> Iterator[Problem]:
    for n, e in enumerate(b.expenditures):
        cls = e.economic[:3]
        if e.kind is ExpenseKind.personnel and cls not in ("301", "303"):
            yield Problem("item.kind", "error", f"人员经费应为工资福利支出(301)或对个人和家庭的补助(303)，此行经济分类为 {e.economic}",
                          (src.locate(("expenditures", n, "kind")), src.locate(("expenditures", n, "economic"))))
        elif e.kind is ExpenseKind.public and cls in ("301", "303"):
            yield Problem("item.kind", "error", f"公用经费不应使用经济分类 {e.economic}（301/303 属人员经费）",
                          (src.locate(("expenditures", n, "kind")), src.locate(("expenditures", n, "economic"))))


# ------------------------------------------------------------------ performance

@rule("perf.tasks-total", "error", "部门整体绩效目标表的任务金额合计 = 支出总计；各资金栏之和 = 总额")
def perf_tasks_total(b: Budget, src: Source, profile: Profile) -> Iterator[Problem]:
    dept = b.performance.department
    if not dept or not dept.tasks or not profile.task_columns:
        return   # a profile without task amount columns prints tasks as text only
    for n, t in enumerate(dept.tasks):
        unknown = [k for k in t.amounts if k not in profile.task_columns]
        if unknown:
            yield Problem("perf.tasks-total", "error",
                          f"任务“{t.name}”的资金栏“{'、'.join(unknown)}”不在版式的资金栏中（{'、'.join(profile.task_columns)}）",
                          (src.locate(("performance", "department", "tasks", n, "amounts")),))
    tasks = total(a for t in dept.tasks for a in t.amounts.values())
    spend = total(e.amount for e in b.expenditures)
    if tasks != spend:
        yield Problem("perf.tasks-total", "error",
                      f"部门整体绩效目标的任务金额合计 {_yuan(tasks)} ≠ 支出合计 {_yuan(spend)}，{_diff(tasks, spend)}",
                      (src.locate(("performance", "department", "tasks")), src.locate(("expenditures",))))
    fiscal_cols = [c for c in profile.task_columns if "财政" in c]
    if fiscal_cols:
        fiscal_tasks = total(t.amounts.get(c, ZERO) for t in dept.tasks for c in fiscal_cols)
        fiscal_spend = total(e.amount for e in b.expenditures if e.fund in (Fund.general, Fund.gov_fund, Fund.state_capital))
        if fiscal_tasks != fiscal_spend:
            yield Problem("perf.tasks-total", "error",
                          f"任务的“{fiscal_cols[0]}”栏合计 {_yuan(fiscal_tasks)} ≠ 财政拨款支出 {_yuan(fiscal_spend)}，{_diff(fiscal_tasks, fiscal_spend)}",
                          (src.locate(("performance", "department", "tasks")), src.locate(("expenditures",))))


def _all_indicators(b: Budget):
    for n, p in enumerate(b.projects):
        if p.performance:
            for k, ind in enumerate(p.performance.indicators):
                yield ("projects", n, "performance", "indicators", k), ind
    if b.performance.department:
        for k, ind in enumerate(b.performance.department.indicators):
            yield ("performance", "department", "indicators", k), ind
    if b.performance.special_fund:
        for k, ind in enumerate(b.performance.special_fund.indicators):
            yield ("performance", "special_fund", "indicators", k), ind


@rule("perf.indicator-level", "error", "一级/二级指标应属于标准指标体系或版式声明的指标集")
def perf_indicator_level(b: Budget, src: Source, profile: Profile) -> Iterator[Problem]:
    levels = profile.indicator_levels
    if not levels:
        return
    for path, ind in _all_indicators(b):
        if ind.level1 not in levels:
            yield Problem("perf.indicator-level", "error",
                          f"一级指标“{ind.level1}”不在允许的指标集中（{'、'.join(levels)}）", (src.locate(path + ("level1",)),))
        elif ind.level2 not in levels[ind.level1]:
            yield Problem("perf.indicator-level", "error",
                          f"“{ind.level1}”下没有二级指标“{ind.level2}”（可用：{'、'.join(levels[ind.level1])}）",
                          (src.locate(path + ("level2",)),))


@rule("perf.indicator-value", "error", "数值型比较符（≥ ≤ = > <）的指标值必须是数字")
def perf_indicator_value(b: Budget, src: Source, profile: Profile) -> Iterator[Problem]:
    for path, ind in _all_indicators(b):
        if ind.comparator is None or ind.comparator.value == "定性":
            continue
        try:
            Decimal(ind.value.strip())
        except (InvalidOperation, AttributeError):
            yield Problem("perf.indicator-value", "error",
                          f"指标“{ind.name}”的比较符为“{ind.comparator.value}”，指标值“{ind.value}”却不是数字"
                          f"（数字写在 value，单位写在 measure；文字性指标用 comparator: 定性）",
                          (src.locate(path + ("value",)),))


# ------------------------------------------------------------------ prior year

@rule("prior.consistency", "error", "上年功能分类各项之和 = 上年经济分类各类之和 = 上年一般公共预算支出")
def prior_consistency(b: Budget, src: Source, profile: Profile) -> Iterator[Problem]:
    py = b.prior_year
    sums = []
    if py.general:
        sums.append(("上年一般公共预算支出（prior_year.general）", py.general.amount, ("prior_year", "general")))
    for key, label in (("function", "上年功能分类各项之和"), ("economic_dept", "上年部门经济分类各类之和"),
                       ("economic_gov", "上年政府经济分类各类之和")):
        d = getattr(py, key)
        if d:
            sums.append((label, total(f.amount for f in d.values()), ("prior_year", key)))
    for (la, a, pa), (lb, bb, pb) in zip(sums, sums[1:]):
        if a != bb:
            yield Problem("prior.consistency", "error", f"{la} {_yuan(a)} ≠ {lb} {_yuan(bb)}，{_diff(a, bb)}",
                          (src.locate(pa), src.locate(pb)))


@rule("prior.reason", "warning", "说明中要写的增减变化应有原因")
def prior_reason(b: Budget, src: Source, profile: Profile) -> Iterator[Problem]:
    from .package import build_tables
    from .facts import derive
    from .narrative import missing_reasons

    facts = derive(b, profile.unit)
    for what in missing_reasons(facts, profile, build_tables(facts, profile)):
        yield Problem("prior.reason", "warning", f"“{what}”较上年有变化，但 prior_year 中没有写原因（reason），说明中将只写增减额",
                      (src.locate(("prior_year",)),))


def check(budget: Budget, src: Source) -> list[Problem]:
    try:
        profile = load_profile(budget.profile)
    except LookupError as e:
        return [Problem("profile.unknown", "error", str(e), (src.locate(("profile",)),))]
    problems: list[Problem] = []
    for rule_id, (_, _, fn) in RULES.items():
        if rule_id in profile.rules_off:
            continue
        problems.extend(fn(budget, src, profile))
    return problems
