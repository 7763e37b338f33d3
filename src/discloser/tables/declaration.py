"""The 基本情况 part of the department performance declaration forms: who the department is and what
its money is, above the goals and indicators.

甘肃 部门整体支出绩效目标表 prints it as labelled blocks (部门（单位）职能, 部门（单位）基本信息,
上年预算情况, 当年预算构成) — `info_blocks`, used by `department_performance` through its `info`
option; 江西 部门整体支出绩效目标设置申报表 prints it as label | value pairs, then 部门职能分解 and
年度主要任务 — `department_performance_declaration`. Every amount is a figure of atoms or side entries
(the prior year's budget and execution are side entries, see `facts.py`); the 执行率 is computed from
元. The printed words are defaults (`LABELS`) that a profile overrides with the builder's `labels:`
option; the 当年预算 rows are profile measures (`current_budget:`).
"""
from __future__ import annotations

from dataclasses import replace
from typing import Any

from ..facts import Atom, Facts
from ..profile import Profile, TableSpec
from .common import figure, fill, label, make_table, percent, text
from ..measures import compile_measure
from .model import Cell, Column, Row, RowKind, Table
from .performance import IndicatorLayout, indicator_rows, spread

LABELS: dict[str, str] = {
    "name": "部门（单位）名称",
    "contact": "联系人", "phone": "联系电话",
    "mandate": "部门（单位）职能", "basis": "依据", "summary": "职能概述",
    "changed": "近三年部门（单位）职能是否出现过重大变化", "change": "变化内容", "yes": "有", "no": "无",
    "top_level": "部门是否为一级预算主管部门", "sector": "所属部门领域",
    "basic_info": "部门（单位）基本信息", "direct_units": "直属单位包括", "divisions": "内设职能部门",
    "authorized": "编制人员数", "actual": "实有在职人数", "admin": "行政编制人数", "institution": "事业编制人数",
    "outside": "编外人数",
    "systems": "部门（单位）基本制度建设",
    "prior_budget": "上年预算情况（{unit}）", "approved": "预算批复数", "adjusted": "预算调整数",
    "actual_spending": "实际支出数", "rate": "执行率", "balance": "年末结转结余",
    "current_budget": "当年预算构成（{unit}）", "revenue": "部门（单位）收入预算", "expenditure": "部门（单位）支出预算",
    "revenue_total": "收入预算合计", "expenditure_total": "支出预算合计", "carry_forward": "结转下年",
    "other_matters": "其他需要说明的事项",
    "division": "部门职能分解", "medium_term": "部门中期目标", "annual": "部门年度绩效目标",
    "task": "年度主要任务名称", "task_content": "工作内容", "task_goal": "对应年度绩效目标和内容",
    "task_amount": "预算金额（{unit}）",
}

# The cells of each block that print a fact of the file as typed, blank when it is not given (label key,
# dotted path): the rule perf.blank names them before a form is published with holes. 变化内容 is asked
# for only when the mandate changed; the 江西 declaration prints 基本信息 only when staffing is given.
FACT_CELLS: dict[str, list[tuple[str, str]]] = {
    "contact": [("contact", "organization.contact.person"), ("phone", "organization.contact.phone")],
    "mandate": [("basis", "organization.mandate_basis"), ("changed", "organization.mandate_changed")],
    "basic_info": [("authorized", "organization.staffing.authorized"), ("actual", "organization.staffing.actual"),
                   ("admin", "organization.staffing.authorized_admin"),
                   ("institution", "organization.staffing.authorized_institution"), ("outside", "organization.staffing.outside")],
    "systems": [("systems", "organization.management_systems")],
    "prior_budget": [("approved", "prior_year.total"), ("adjusted", "prior_year.adjusted"),
                     ("actual_spending", "prior_year.actual"), ("balance", "prior_year.balance")],
    "top_level": [("top_level", "organization.top_level")],
    "sector": [("sector", "organization.sector")],
    "other_matters": [("other_matters", "performance.department.other_matters")],
}
DECLARATION_BLOCKS = ["contact", "mandate", "top_level", "sector", "basic_info", "prior_budget", "other_matters"]


def form_blocks(spec: TableSpec) -> list[str]:
    """The 基本情况 blocks a form of this spec prints (甘肃: its `info` option; 江西's declaration: all of them, 基本信息
    when the staffing is given) — what `perf.blank` asks to be filled and what the package prints of the file."""
    if spec.builder == "department_performance":
        return list(spec.options.model_dump(exclude_unset=True).get("info", []))
    if spec.builder == "department_performance_declaration":
        return list(DECLARATION_BLOCKS)
    return []


# Facts a block prints besides its cells that must be filled (FACT_CELLS): the 职能概述 from the typed summary, the
# 变化内容 when the mandate changed.
BLOCK_ALSO_PRINTS = {"mandate": ("organization.functions_summary", "organization.mandate_change")}


def form_facts(profile: Profile) -> frozenset[str]:
    """The facts of the file (dotted paths) the profile's declaration forms print."""
    return frozenset(path for spec in profile.tables for block in form_blocks(spec)
                     for path in [p for _, p in FACT_CELLS.get(block, [])] + list(BLOCK_ALSO_PRINTS.get(block, ())))

# 当年预算构成 when the profile names no rows: revenue by where it comes from, spending by its kind.
CURRENT_BUDGET: dict[str, list[dict[str, str]]] = {
    "revenue": [{"label": "上级财政拨款", "measure": "fund:上级补助收入"},
                {"label": "本级财政安排", "measure": "fund:财政拨款"},
                {"label": "其他资金", "measure": "fund:财政专户管理资金|事业收入|事业单位经营收入|附属单位上缴收入|其他收入|上年结转结余"}],
    "expenditure": [{"label": "人员经费", "measure": "personnel"}, {"label": "公用经费", "measure": "public"},
                    {"label": "项目经费", "measure": "project"}],
}


def labels_of(facts: Facts, options: dict[str, Any]) -> dict[str, str]:
    """The form's words: the defaults, overridden by the profile's `labels`, with {unit} filled in."""
    return {k: fill(v, facts, unit=facts.unit_label) for k, v in {**LABELS, **options.get("labels", {})}.items()}


def _row(cells: list[Cell]) -> Row:
    return Row(tuple(cells), RowKind.section)


def _count(value: int | None) -> str:
    return "" if value is None else str(value)


def _direct_units(facts: Facts, none: str) -> str:
    """直属单位: the budget units of a department of several units, else the form's word for none."""
    units = facts.units
    return "、".join(u.name for u in units) if len(units) > 1 else none


def _summary(facts: Facts) -> str:
    """部门职能简述: as typed, else the functions joined with “；” (each one's own closing 。；; dropped, so
    the joint never doubles) and closed with “。”."""
    org = facts.org
    if org.functions_summary:
        return org.functions_summary
    parts = [f.strip().rstrip("。；;.") for f in org.functions]
    return "；".join(p for p in parts if p) + "。" if any(parts) else ""


# A 职能简述 longer than this gets a row of its own across the form (`_changed_and_summary`).
SUMMARY_BESIDE_CHARS = 40


def _changed_and_summary(changed: str, boxes: list[Cell], summary_label: str, summary: str, width: int) -> list[Row]:
    """近三年职能是否变化 □是 □否 | 部门职能简述 | the summary, as the reference prints its one-line summary in the
    form's last column. A longer one — the 主要职责 joined, when no summary is typed — was set in that column, nine
    characters wide, and ran over six pages (trialC-s26 D7): it gets its own row across the form instead."""
    if len(summary) <= SUMMARY_BESIDE_CHARS:
        return [_row([label(changed, colspan=2), *boxes, label(summary_label, colspan=2), text(summary)])]
    return [_row([label(changed, colspan=2), *boxes, text("", colspan=width - 4)]),
            _row([label(summary_label, colspan=2), text(summary, colspan=width - 2)])]


def _prior_cells(facts: Facts) -> list[Cell]:
    """批复数, 调整数, 实际支出数, 执行率, 年末结转结余 — blank where the input gives none."""
    pb = facts.prior_budget
    if "approved" in pb:
        facts.tables_priors.add("total")    # its 预算批复数 is the prior year's 收支总计

    def fig(key: str) -> Cell:
        return figure(facts, [pb[key]]) if key in pb else text("")

    return [fig("approved"), fig("adjusted"), fig("actual"), percent(facts.execution_rate()), fig("balance")]


def current_budget(facts: Facts, options: dict[str, Any], words: dict[str, str]) -> tuple[list[tuple[str, list[Atom]]], list[tuple[str, list[Atom]]]]:
    """当年预算: (revenue lines, spending lines), each ending with its total. Revenue is income by source
    (spending and 结转下年 of the source); spending is this year's spending by the row's measure, then
    结转下年 when there is some — so the two totals are one figure, as on a 收支总表, and a form never
    shows 收入 above 支出 with nothing to say where the difference went."""
    spec = {**CURRENT_BUDGET, **options.get("current_budget", {})}
    revenue = [(r["label"], [a for a in facts.atoms if compile_measure(r["measure"])(a)]) for r in spec["revenue"]]
    spending = [(r["label"], [a for a in facts.spending if compile_measure(r["measure"])(a)]) for r in spec["expenditure"]]
    if facts.carried:
        spending.append((words["carry_forward"], list(facts.carried)))
    revenue.append((spec.get("revenue_total", words["revenue_total"]), list(facts.atoms)))
    spending.append((spec.get("expenditure_total", words["expenditure_total"]), [*facts.spending, *facts.carried]))
    return revenue, spending


# ------------------------------------------------------------------ 甘肃: labelled blocks

def info_blocks(facts: Facts, options: dict[str, Any], columns: list[Column]) -> list[Row]:
    """The blocks named in the `info` option, in its order: contact, mandate, basic_info, systems,
    prior_budget, current_budget. A block's label spans its rows in the first column; the cells beside
    it share the other columns by width (`spread`)."""
    w = labels_of(facts, options)
    width = len(columns)
    widths = [c.width for c in columns[1:]]
    org = facts.org
    st = org.staffing
    rows: list[Row] = []
    for block in options.get("info", []):
        if block == "contact":
            rows.append(_row(_pairs(w["contact"], org.contact.person or "", w["phone"], org.contact.phone or "", widths[1:])))
        elif block == "mandate":
            changed = {None: "", True: w["yes"], False: w["no"]}[org.mandate_changed]
            items = [(w["basis"], org.mandate_basis or ""), (w["summary"], _summary(facts)),
                     (w["changed"], changed), (w["change"], org.mandate_change or "")]
            rows += _labelled(w["mandate"], items, width)
        elif block == "basic_info":
            heads = [w["authorized"], w["actual"], w["admin"], w["institution"], w["outside"]]
            values = [] if st is None else [st.authorized, st.actual, st.authorized_admin, st.authorized_institution, st.outside]
            spans = spread(widths, len(heads))
            rows += _labelled(w["basic_info"], [(w["direct_units"], _direct_units(facts, w["no"])),
                                                (w["divisions"], "、".join(org.divisions))], width, extra=2)
            rows.append(_row([label(h, colspan=s) for h, s in zip(heads, spans)]))
            rows.append(_row([text(_count(v) if values else "", colspan=s, align="center")
                              for v, s in zip(values or [None] * len(heads), spans)]))
        elif block == "systems":
            rows.append(_row([label(w["systems"], colspan=2), text(org.management_systems or "", colspan=width - 2)]))
        elif block == "prior_budget":
            heads = [w["approved"], w["adjusted"], w["actual_spending"], w["rate"], w["balance"]]
            spans = spread(widths, len(heads))
            rows.append(_row([label(w["prior_budget"], rowspan=2), *[label(h, colspan=s) for h, s in zip(heads, spans)]]))
            rows.append(_row([_span(c, s) for c, s in zip(_prior_cells(facts), spans)]))
        elif block == "current_budget":
            revenue, spending = current_budget(facts, options, w)
            spans = spread(widths, 4)   # revenue label | figure | spending label | figure
            height = max(len(revenue), len(spending))
            rows.append(_row([label(w["current_budget"], rowspan=height + 1), label(w["revenue"], colspan=spans[0] + spans[1]),
                              label(w["expenditure"], colspan=spans[2] + spans[3])]))
            for n in range(height):
                cells: list[Cell] = []
                for lines, (lab_span, fig_span) in ((revenue, spans[:2]), (spending, spans[2:])):
                    line = lines[n] if n < len(lines) else ("", [])
                    total = n == len(lines) - 1
                    cells += [text(line[0], colspan=lab_span, bold=total),
                              _span(figure(facts, line[1], total) if line[0] else text(""), fig_span)]
                rows.append(_row(cells))
        else:
            raise ValueError(f"未知的信息块“{block}”（可用：contact、mandate、basic_info、systems、prior_budget、current_budget）")
    return rows


def _span(cell: Cell, colspan: int) -> Cell:
    return replace(cell, colspan=colspan)


def _pairs(label_a: str, value_a: str, label_b: str, value_b: str, widths: list[float], lead: int = 2) -> list[Cell]:
    """label | value | label | value across the table (联系人 … 联系电话 …); `widths` are the columns
    after the `lead` columns of the first label."""
    first, mid, last = spread(widths, 3, (2, 1, 2))
    return [label(label_a, colspan=lead), text(value_a, colspan=first), label(label_b, colspan=mid), text(value_b, colspan=last)]


def _labelled(title: str, items: list[tuple[str, str]], width: int, extra: int = 0) -> list[Row]:
    """A block: its title spans its rows (and `extra` rows that follow) in the first column; one
    sub-label | value row per item."""
    rows = []
    for n, (sub, value) in enumerate(items):
        lead = [label(title, rowspan=len(items) + extra)] if n == 0 else []
        rows.append(_row([*lead, label(sub), text(value, colspan=width - 2)]))
    return rows


# ------------------------------------------------------------------ 江西: label | value pairs

_JX_COLUMNS = [Column(7), Column(10), Column(12), Column(10), Column(10), Column(12), Column(16)]


def department_performance_declaration(facts: Facts, spec: TableSpec, profile: Profile) -> Table:
    """部门整体支出绩效目标设置申报表 (江西): label | value pairs (name, contact, 职能依据, 职能变化 and
    简述, 一级预算主管部门, 所属领域 and 直属单位, 内设机构 and 编制, 人员), 上年预算 and 当年预算 (万元),
    其他需要说明的事项, 部门职能分解 (each division's 中期 and 年度 goals), 年度主要任务 with their 预算金额
    (the profile's task columns, one figure per task) and the indicators (one 指标值 cell).

    Options: labels (override the printed words, see `LABELS`), current_budget (revenue / expenditure
    rows as {label, measure}, revenue_total, expenditure_total), indicator_lead."""
    o = spec.options.model_dump(exclude_unset=True)   # the typed options as written (the forms keep their own defaults)
    w = labels_of(facts, o)
    perf = facts.performance.department
    cols = list(_JX_COLUMNS)
    width = len(cols)
    if perf is None:
        return make_table(spec, facts, cols, [], [], subject="部门整体支出绩效目标", has_data=False, form=True,
                          landscape=False, money_unit=False)
    org = facts.org
    st = org.staffing

    def pair(la: str, va: Cell | str, lb: str = "", vb: Cell | str = "") -> Row:
        a = va if isinstance(va, Cell) else text(va, colspan=2)
        b = vb if isinstance(vb, Cell) else text(vb)
        return _row([label(la, colspan=2), _span(a, 2), label(lb, colspan=2), b])

    def boxes(value: bool | None, yes: str = "是", no: str = "否") -> list[Cell]:
        return [text(("☑" if value is True else "□") + yes, align="center"),
                text(("☑" if value is False else "□") + no, align="center")]

    body = [_row([label(w["name"], colspan=2), text(org.name, colspan=width - 2)]),
            pair(w["contact"], org.contact.person or "", w["phone"], org.contact.phone or ""),
            _row([label(w["basis"], colspan=2), text(org.mandate_basis or "", colspan=width - 2)]),
            *_changed_and_summary(w["changed"], boxes(org.mandate_changed), w["summary"], _summary(facts), width),
            _row([label(w["top_level"], colspan=2), *boxes(org.top_level), text("", colspan=3)]),
            pair(w["sector"], org.sector or "", w["direct_units"], _direct_units(facts, w["no"]))]
    if st is not None:
        body += [pair(w["divisions"], str(len(org.divisions)) if org.divisions else "", w["authorized"], _count(st.authorized)),
                 pair(w["actual"], _count(st.actual), w["admin"], _count(st.authorized_admin)),
                 pair(w["institution"], _count(st.authorized_institution), w["outside"], _count(st.outside))]
    approved, adjusted, actual, rate, balance = _prior_cells(facts)
    body += [_row([label(w["prior_budget"], rowspan=3), label(w["approved"]), _span(approved, 2), label(w["adjusted"], colspan=2), adjusted]),
             _row([label(w["actual_spending"]), _span(actual, 2), label(w["rate"], colspan=2), rate]),
             _row([label(w["balance"]), _span(balance, 2), text("", colspan=3)])]
    revenue, spending = current_budget(facts, o, w)
    lines = [revenue[-1], *revenue[:-1], spending[-1], *spending[:-1]]   # each side's total first: 收入合计, 其中：…
    lines += [("", [])] * (len(lines) % 2)
    for n in range(0, len(lines), 2):
        (la, a), (lb, b) = lines[n], lines[n + 1]
        lead = [label(w["current_budget"], rowspan=len(lines) // 2)] if n == 0 else []
        body.append(_row([*lead, label(la), _span(figure(facts, a), 2), label(lb, colspan=2), figure(facts, b) if lb else text("")]))
    body.append(_row([label(w["other_matters"], colspan=2), text(perf.other_matters or "", colspan=width - 2)]))
    if perf.division_goals:
        body.append(_row([label(w["division"], colspan=2), label(w["medium_term"], colspan=2), label(w["annual"], colspan=3)]))
        body += [_row([text(g.division, colspan=2, align="center"), text(g.medium_term, colspan=2), text(g.annual, colspan=3)])
                 for g in perf.division_goals]
    if facts.task_rows:
        body.append(_row([label(w["task"], colspan=2), label(w["task_content"], colspan=2), label(w["task_goal"], colspan=2),
                          label(w["task_amount"])]))
        body += [_row([text(r.task.name, colspan=2, align="center"), text(r.task.content, colspan=2), text(r.task.goal or "", colspan=2),
                       figure(facts, r.cells)]) for r in facts.task_rows]
    layout = IndicatorLayout(lead=o.get("indicator_lead", "绩效指标"), name_label="三级指标", stretch="name")
    body += indicator_rows(perf.indicators, layout, width)
    return make_table(spec, facts, cols, [], body, subject="部门整体支出绩效目标", form=True, landscape=False, money_unit=False)


__all__ = ["info_blocks", "department_performance_declaration", "LABELS", "labels_of", "current_budget"]
