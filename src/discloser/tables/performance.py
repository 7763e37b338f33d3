"""绩效目标 tables: per-project forms, the department's whole-budget forms (Shaanxi/Henan/Gansu
variants and the Hubei 申报表), the special-fund form, and the indicator block they share.

These are form tables: labels in the body, no column header. Their amounts are figures of atoms and
side entries like every other table's, so a project's 资金总额 is the same figure as in 项目支出表.
"""
from __future__ import annotations

from ..facts import Atom, Entry, Facts
from ..model import Indicator
from ..profile import Profile, TableSpec
from .common import figure, label, make_table, percent, text
from .model import Cell, Column, Row, RowKind, Table


def indicator_rows(indicators: list[Indicator], lead: str | None, value_columns: str, extra: str | None,
                   width: int | None = None, extra_field: str = "basis") -> list[Row]:
    """The indicator block: 一级/二级 cells span their runs; `lead` (e.g. 年度绩效指标) spans the block.

    value_columns: "joined" (one 指标值 cell, “≥90%”) or "split" (指标值类型 | 指标值 | 度量单位).
    extra: label of a last column or None; `extra_field` says what it holds: the indicator's `note`
    or its `basis`. When the table is wider than the block, the 指标值 cell stretches to fill it."""
    base = (1 if lead else 0) + 3 + (1 if value_columns == "joined" else 3) + (1 if extra else 0)
    stretch = max(0, (width or base) - base)
    rows: list[Row] = []
    head = [label(lead, rowspan=len(indicators) + 1)] if lead else []
    head += [label("一级指标"), label("二级指标"), label("指标内容" if value_columns == "joined" and lead else "三级指标")]
    if value_columns == "joined":
        head.append(label("指标值", colspan=1 + stretch))
    else:
        head += [label("指标值类型"), label("指标值"), label("度量单位", colspan=1 + stretch)]
    if extra:
        head.append(label(extra))
    rows.append(Row(tuple(head), RowKind.section))
    i = 0
    while i < len(indicators):
        j = i
        while j < len(indicators) and indicators[j].level1 == indicators[i].level1:
            j += 1
        k = i
        while k < j:
            m = k
            while m < j and indicators[m].level2 == indicators[k].level2:
                m += 1
            for n in range(k, m):
                ind = indicators[n]
                cells: list[Cell] = []
                if n == i:
                    cells.append(text(ind.level1, rowspan=j - i, align="center"))
                if n == k:
                    cells.append(text(ind.level2, rowspan=m - k, align="center"))
                cells.append(text(ind.name))
                if value_columns == "joined":
                    cells.append(text(indicator_value(ind), align="center", colspan=1 + stretch))
                else:
                    cells += [text(ind.comparator.value if ind.comparator else "", align="center"),
                              text(ind.value, align="center"), text(ind.measure, align="center", colspan=1 + stretch)]
                if extra:
                    cells.append(text(getattr(ind, extra_field) or ""))
                rows.append(Row(tuple(cells)))
            k = m
        i = j
    return rows


def indicator_value(ind: Indicator) -> str:
    """One-cell form “≥90%”; 定性 and comparator-less values print as written."""
    comp = ind.comparator.value if ind.comparator and ind.comparator.value != "定性" else ""
    return f"{comp}{ind.value}{ind.measure}"


def _columns(value_columns: str, extra: bool, lead: bool = True) -> list[Column]:
    cols = ([Column(10)] if lead else []) + [Column(12), Column(16), Column(30)]
    cols += [Column(16)] if value_columns == "joined" else [Column(8), Column(10), Column(8)]
    if extra:
        cols.append(Column(10 if lead else 40))
    return cols


def _span_row(cells: list[tuple[str, int, bool]]) -> Row:
    return Row(tuple((label(t, colspan=s) if is_label else text(t, colspan=s)) for t, s, is_label in cells), RowKind.section)


def _goals(goals: list[str], numbered: bool = True, sep: str = "\n") -> str:
    return sep.join(f"目标{n}：{g}" if numbered else g for n, g in enumerate(goals, 1))


def _parent_name(facts: Facts) -> str:
    return facts.org.parent.name if facts.org.parent else facts.org.name


def project_performance(facts: Facts, spec: TableSpec, profile: Profile) -> list[Table]:
    """One 项目支出绩效目标表 per project that has spending and performance targets.

    The money block shows the project's 实施期资金总额 — its total budget, or this year's amount for a
    one-year project — with 其中：财政拨款 / 其他资金 of this year; a multi-year project adds its 年度资金总额
    line so that no split is printed under a figure it does not belong to. Options: value_columns,
    extra_column / extra_field, department_label, amount_label (实施期资金总额 or 年度资金总额),
    period_row (a 实施期限 row from the project's period), long_term_goal (split 总体目标 into
    实施期目标 / 年度目标)."""
    o = spec.options
    vc = o.value_columns
    extra = o.extra_column
    cols = _columns(vc, bool(extra))
    width = len(cols)
    tables = []
    for p in facts.projects_with_spending():
        perf = p.performance
        if perf is None:
            continue
        atoms = facts.project_atoms(p.key)
        fiscal = [a for a in atoms if a.fiscal]
        other = [a for a in atoms if not a.fiscal]
        whole = facts.project_whole(p.key)
        multi_year = whole != atoms
        u = f"（{facts.unit_label}）"
        pad = text("", colspan=width - 5)
        lines: list[tuple[str, list[Entry]]] = [(o.amount_label + "：", whole)]
        if multi_year:   # the split below belongs to this year's amount: say so with its own line
            lines.append(("年度资金总额：", atoms))
        lines += [("其中：财政拨款", fiscal), ("其他资金", other)]
        body = [_span_row([("项目名称", 2, True), (p.name, width - 2, False)]),
                _span_row([(o.department_label, 2, True), (_parent_name(facts), width - 2, False)])]
        if o.period_row and perf.period:
            body.append(_span_row([("实施期限", 2, True), (perf.period, width - 2, False)]))
        for n, (lab, entries) in enumerate(lines):
            lead = [label(f"资金金额{u}", colspan=2, rowspan=len(lines))] if n == 0 else []
            body.append(Row((*lead, text(lab, colspan=2), figure(facts, entries), pad), RowKind.section))
        if o.long_term_goal and perf.long_term_goal:
            half = (width - 2) // 2
            body.append(Row((label("总体目标", colspan=2, rowspan=2), label("实施期目标", colspan=half),
                             label("年度目标", colspan=width - 2 - half)), RowKind.section))
            body.append(Row((text(perf.long_term_goal, colspan=half), text(perf.goal, colspan=width - 2 - half)), RowKind.section))
        else:
            body.append(_span_row([("总体目标", 2, True), (perf.goal, width - 2, False)]))
        body += indicator_rows(perf.indicators, "年度绩效指标", vc, extra, width, o.extra_field)
        tables.append(make_table(spec, facts, cols, [], body, subject="项目支出绩效目标", form=True, landscape=False,
                                 money_unit=False))
        tables[-1].subject = p.name   # names the instance in bookmarks and the Word TOC
    if not tables:
        tables.append(make_table(spec, facts, cols, [], [], subject="项目支出绩效目标", has_data=False, form=True,
                                 landscape=False, money_unit=False))
    return tables


def department_performance(facts: Facts, spec: TableSpec, profile: Profile) -> Table:
    """部门（单位）整体支出绩效目标表.

    Options: value_columns (joined | split); task_amounts (tasks carry 预算金额 columns — the profile's
    task_columns — as in Shaanxi); goal_label and goal_first (年度履职目标 before the tasks, as in Henan);
    number_goals; budget_block (预算情况 rows derived from the facts); indicator_lead (the label spanning
    the indicators, or null); extra_column / extra_field."""
    o = spec.options
    vc = o.value_columns
    perf = facts.performance.department
    lead = o.indicator_lead
    extra = o.extra_column
    task_amounts = o.task_amounts and bool(facts.task_columns)
    names = [name for name, _ in facts.task_columns]
    n_money = 1 + len(names) if task_amounts else 0
    cols = _columns(vc, bool(extra), bool(lead))
    cols += [Column(10)] * max(0, 3 + n_money - len(cols))
    width = len(cols)
    if perf is None:
        return make_table(spec, facts, cols, [], [], subject="部门整体支出绩效目标", has_data=False, form=True,
                          landscape=False, money_unit=False)
    body = [_span_row([("部门（单位）名称", 2, True), (facts.org.name, width - 2, False)])]
    goal_row = _span_row([(o.goal_label, 2, True),
                          (_goals(perf.goals, o.number_goals, " "), width - 2, False)])
    if o.goal_first:
        body.append(goal_row)
    name_span = width - 2 - n_money
    rows = facts.task_rows
    if task_amounts:
        body.append(Row((label("年度主要任务", rowspan=len(rows) + 2), label("任务名称", rowspan=2),
                         label("主要内容", colspan=name_span, rowspan=2), label(f"预算金额（{facts.unit_label}）", colspan=n_money)),
                        RowKind.section))
        body.append(Row((label("总额"), *[label(c) for c in names]), RowKind.section))
        for r in rows:
            body.append(Row((text(r.task.name), text(r.task.content, colspan=name_span), figure(facts, r.cells),
                             *[figure(facts, [e]) for e in r.cells]), RowKind.section))
        columns = [[r.cells[c] for r in rows] for c in range(len(names))]
        body.append(Row((label("金额合计", colspan=width - n_money), figure(facts, [e for col in columns for e in col], True),
                         *[figure(facts, col, True) for col in columns]), RowKind.total))
    else:
        body.append(Row((label("年度主要任务", rowspan=len(perf.tasks) + 1), label("任务名称"), label("主要内容", colspan=name_span)),
                        RowKind.section))
        for t in perf.tasks:
            body.append(Row((text(t.name), text(t.content, colspan=name_span)), RowKind.section))
    if o.budget_block:
        body += _budget_block(facts, width)
    if not o.goal_first:
        body.append(goal_row)
    body += indicator_rows(perf.indicators, lead, vc, extra, width, o.extra_field)
    return make_table(spec, facts, cols, [], body, subject="部门整体支出绩效目标", form=True, landscape=False, money_unit=False)


def _budget_block(facts: Facts, width: int) -> list[Row]:
    """预算情况: total, by source and by structure — all figures of the spending atoms."""
    from ..model import Fund

    spending = facts.spending
    special = [a for a in spending if a.fund is Fund.special_account]
    lines = [
        (f"部门预算总额（{facts.unit_label}）", spending),
        ("1、资金来源：（1）政府预算资金", [a for a in spending if a.fiscal]),
        ("（2）财政专户管理资金", special),
        ("（3）单位资金", [a for a in spending if not a.fiscal and a.fund is not Fund.special_account]),
        ("2、资金结构：（1）基本支出", [a for a in spending if a.basic]),
        ("（2）项目支出", [a for a in spending if not a.basic]),
    ]
    rows = []
    for n, (lab, atoms) in enumerate(lines):
        cells = [label("预算情况", rowspan=len(lines))] if n == 0 else []
        cells += [text(lab, colspan=width - 3), figure(facts, atoms), text("")]
        rows.append(Row(tuple(cells), RowKind.section))
    return rows


def department_performance_overview(facts: Facts, spec: TableSpec, profile: Profile) -> Table:
    """部门整体绩效目标申报表 (Hubei): contact, 总体资金情况 with shares and the two prior years,
    职能概述, 年度工作任务, 项目支出情况, long-term and annual goals, indicators with their basis.
    Every word of the form is the profile's (`labels`)."""
    w = spec.options.labels
    perf = facts.performance.department
    cols = [Column(9), Column(11), Column(20), Column(11), Column(9), Column(11), Column(16)]
    width = len(cols)
    if perf is None:
        return make_table(spec, facts, cols, [], [], subject="部门整体绩效目标", has_data=False, form=True, landscape=False)
    spending = facts.spending
    income = facts.atoms                      # revenue: spending and 结转下年 (they balance per source)
    fiscal = [a for a in income if a.fiscal]
    other = [a for a in income if not a.fiscal]
    basic = [a for a in spending if a.basic]
    project = [a for a in spending if not a.basic]
    year = facts.year
    years = [year - 2, year - 1]
    by_year = {h.year: cells for h, cells in facts.history}

    def past(y: int, *keys: str) -> Cell:
        cells = by_year.get(y)
        return text("") if cells is None else figure(facts, [cells[k] for k in keys])

    inc_shares = facts.shares([fiscal, other], income)
    out_shares = facts.shares([basic, project], spending)
    whole_share = facts.shares([spending], spending)[0]
    org = facts.org
    contact = org.contact
    body = [
        _span_row([(w.name, 2, True), (org.name, width - 2, False)]),
        Row((label(w.filler, colspan=2), text(contact.person or "", colspan=2), label(w.phone),
             text(contact.phone or "", colspan=2)), RowKind.section),
        Row((label(w.funds, rowspan=8), label(w.funds_overall, colspan=2, rowspan=2), label(w.this_year, rowspan=2),
             label(w.share, rowspan=2), label(w.past_years, colspan=2)), RowKind.section),
        Row((label(f"{years[0]}年"), label(f"{years[1]}年")), RowKind.section),
        Row((label(w.income, rowspan=3), text(w.fiscal), figure(facts, fiscal), percent(inc_shares[0]),
             past(years[0], "fiscal"), past(years[1], "fiscal")), RowKind.section),
        Row((text(w.other), figure(facts, other), percent(inc_shares[1]), past(years[0], "other"), past(years[1], "other")),
            RowKind.section),
        Row((text(w.total), figure(facts, income, True), percent(whole_share), past(years[0], "fiscal", "other"),
             past(years[1], "fiscal", "other")), RowKind.total),
        Row((label(w.spending, rowspan=3), text(w.basic), figure(facts, basic), percent(out_shares[0]),
             past(years[0], "basic"), past(years[1], "basic")), RowKind.section),
        Row((text(w.project), figure(facts, project), percent(out_shares[1]), past(years[0], "project"),
             past(years[1], "project")), RowKind.section),
        Row((text(w.total), figure(facts, spending, True), percent(whole_share), past(years[0], "basic", "project"),
             past(years[1], "basic", "project")), RowKind.total),
        _span_row([(w.duties, 2, True), ("\n".join(f"{n}.{f}" for n, f in enumerate(org.functions, 1)), width - 2, False)]),
        _span_row([(w.tasks, 2, True), ("\n".join(org.tasks or [t.content for t in perf.tasks]), width - 2, False)]),
    ]
    projects = facts.projects_with_spending()
    body.append(Row((label(w.projects, rowspan=len(projects) + 2), label(w.project_name, colspan=2), label(w.project_type),
                     label(w.project_total), label(w.project_this_year), label(w.project_use)), RowKind.section))
    all_wholes: list[Entry] = []
    all_years: list[Atom] = []
    for p in projects:
        atoms = facts.project_atoms(p.key)
        whole = facts.project_whole(p.key)
        all_wholes += whole
        all_years += atoms
        funds = "、".join(dict.fromkeys(a.fund.value for a in atoms))
        body.append(Row((text(p.name, colspan=2), text(funds), figure(facts, whole), figure(facts, atoms), text(p.description)),
                        RowKind.section))
    body.append(Row((label(w.total, colspan=3), figure(facts, all_wholes, True), figure(facts, all_years, True), text("")), RowKind.total))
    until = w.long_term_until.replace("{until}", perf.long_term_until) if perf.long_term_until else ""
    half = (width - 1) // 2
    body.append(Row((label(w.goals, rowspan=2), label(f"{w.long_term}{until}", colspan=half), label(w.annual, colspan=width - 1 - half)),
                    RowKind.section))
    body.append(Row((text(_goals(perf.long_term_goals), colspan=half), text(_goals(perf.goals), colspan=width - 1 - half)),
                    RowKind.section))
    body += indicator_rows(perf.indicators, w.indicators, "joined", w.basis, width, "basis")
    return make_table(spec, facts, cols, [], body, subject="部门整体绩效目标", form=True, landscape=False)


def special_fund_performance(facts: Facts, spec: TableSpec, profile: Profile) -> Table:
    """专项资金总体绩效目标表: all project spending as one special fund, 实施期 (projects' total budgets)
    beside 年度 (this year's amounts)."""
    o = spec.options
    vc = o.value_columns
    sf = facts.performance.special_fund
    cols = _columns(vc, True)
    width = len(cols)
    body: list[Row] = []
    if sf:
        dept = facts.performance.department
        indicators = sf.indicators or (dept.indicators if dept else [])
        atoms = [a for a in facts.spending if a.project]
        fiscal = [a for a in atoms if a.fiscal]
        other = [a for a in atoms if not a.fiscal]
        period: list[Entry] = []
        for p in facts.projects_with_spending():
            period += facts.project_whole(p.key)
        multi_year = sum(e.fen for e in period) != sum(a.fen for a in atoms)
        u = f"（{facts.unit_label}）"
        left = (width - 2) // 2
        right = width - 2 - left

        def pair(l_text: str, l_val: Cell, r_text: str, r_val: Cell) -> tuple[Cell, ...]:
            return (text(l_text, colspan=left - 1), l_val, text(r_text, colspan=right - 1), r_val)

        blank = text("")
        body = [
            _span_row([("项目名称", 2, True), (sf.name or facts.org.name, width - 2, False)]),
            Row((label("主管部门", colspan=2), text(_parent_name(facts), colspan=left), label("实施期限", colspan=right - 1),
                 text(sf.period or "")), RowKind.section),
            Row((label(f"资金金额{u}", colspan=2, rowspan=3), *pair("实施期资金总额：", figure(facts, period), "年度资金总额：",
                                                                 figure(facts, atoms))), RowKind.section),
            Row(pair("其中：财政拨款", blank if multi_year else figure(facts, fiscal), "其中：财政拨款", figure(facts, fiscal)),
                RowKind.section),
            Row(pair("其他资金", blank if multi_year else figure(facts, other), "其他资金", figure(facts, other)), RowKind.section),
            Row((label("总体目标", colspan=2, rowspan=2), label("实施期总目标", colspan=left), label("年度目标", colspan=right)),
                RowKind.section),
            Row((text(_goals(sf.long_term_goals, sep=" "), colspan=left), text(_goals(sf.goals, sep=" "), colspan=right)),
                RowKind.section),
        ]
        body += indicator_rows(indicators, "绩效指标", vc, "备注", width, "note")
    return make_table(spec, facts, cols, [], body, subject="本级专项资金", has_data=sf is not None, form=True,
                      landscape=False, money_unit=False)


__all__ = ["project_performance", "department_performance", "department_performance_overview",
           "special_fund_performance", "indicator_rows", "indicator_value"]
