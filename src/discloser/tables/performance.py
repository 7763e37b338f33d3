"""绩效目标 tables: per-project forms, the department's whole-budget forms (Shaanxi/Henan/Gansu
variants and the Hubei 申报表), the special-fund form, and the indicator block they share.

These are form tables: labels in the body, no column header. Their amounts are figures of atoms and
side entries like every other table's, so a project's 资金总额 is the same figure as in 项目支出表.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from ..facts import Atom, Entry, Facts
from ..model import FISCAL_FUNDS, Fund, Indicator, Project, ProjectAttribute
from ..options import TypeBox
from ..profile import Profile, TableSpec
from .common import figure, fill, label, make_table, percent, text
from .model import Cell, Column, Row, RowKind, Table

NOT_GIVEN = "—"   # a figure the file does not give (a multi-year project's 实施期 split without total_budget_fiscal)


@dataclass(frozen=True)
class IndicatorLayout:
    """How a form prints its indicator block (every field is a profile option of the form's builder).

    lead: label spanning the block (年度绩效指标), or None for no lead column; lead_header: a header over
    the lead column (湖北 目标名称; then the lead spans the data rows only); value_columns: "joined" (one
    指标值 cell, “≥90%”) or "split" (指标值类型 | 指标值 | 度量单位); past / current / past_group: the
    columns of past values (湖北 前年 | 上年 | 预计当年实现, or 近两年指标值 over 2022年 | 2023年 beside
    预期当年实现值), joined values only; extra / extra_field: a last column and what it holds (`basis` or
    `note`); note: a further 备注 column holding the note; stretch: which cell takes the width the table
    has beyond the block's own columns (“value” or “name”)."""

    lead: str | None = "年度绩效指标"
    value_columns: str = "joined"
    extra: str | None = None
    extra_field: str = "basis"
    note: str | None = None
    lead_header: str | None = None
    past: tuple[str, ...] = ()
    current: str = "指标值"
    past_group: str | None = None
    name_label: str | None = None
    stretch: str = "value"

    @property
    def value_count(self) -> int:
        return len(self.past) + 1 if self.past else (1 if self.value_columns == "joined" else 3)

    @property
    def base(self) -> int:
        return (1 if self.lead else 0) + 3 + self.value_count + (1 if self.extra else 0) + (1 if self.note else 0)


def layout_of(o: dict, **defaults) -> IndicatorLayout:
    """The indicator layout a form's options ask for (`defaults` are the form's own)."""
    given = {"lead": o.get("indicator_lead", defaults.get("lead", "年度绩效指标")),
             "value_columns": o.get("value_columns", "joined"),
             "extra": o.get("extra_column", defaults.get("extra")),
             "extra_field": o.get("extra_field", defaults.get("extra_field", "basis")),
             "note": o.get("note_column"), "lead_header": o.get("lead_header"), "name_label": o.get("name_label"),
             "stretch": o.get("indicator_stretch", "value")}
    return IndicatorLayout(**given)


def grouped(indicators: list[Indicator]) -> list[Indicator]:
    """The indicators with each 一级指标's together, and within it each 二级指标's, in the order each first
    appears (otherwise the file's order): a 效益指标 typed after the 满意度指标 printed as a second 效益指标
    group (trial C D11); the references' forms give each 一级指标 one span."""
    first1: dict[str, int] = {}
    first2: dict[tuple[str, str], int] = {}
    for n, ind in enumerate(indicators):
        first1.setdefault(ind.level1, n)
        first2.setdefault((ind.level1, ind.level2), n)
    return sorted(indicators, key=lambda ind: (first1[ind.level1], first2[(ind.level1, ind.level2)]))


def indicator_rows(indicators: list[Indicator], layout: IndicatorLayout, width: int | None = None,
                   lead: str | None = None) -> list[Row]:
    """The indicator block: header rows, then one row per indicator, grouped (`grouped`); 一级/二级 cells
    span their runs.

    `lead` overrides the layout's lead label (a block per goal: 长期绩效指标 …). When the table is wider
    than the block, the 指标值 (or 三级指标) cell stretches to fill it."""
    lo = layout
    indicators = grouped(indicators)
    lead = lead if lead is not None else lo.lead
    stretch = max(0, (width or lo.base) - lo.base)
    value_span, name_span = (1 + stretch, 1) if lo.stretch == "value" else (1, 1 + stretch)
    header_rows = 1 + (1 if lo.past else 0) + (1 if lo.past and lo.past_group else 0)
    rows: list[list[Cell]] = [[] for _ in range(header_rows)]
    top = rows[0]
    if lead and lo.lead_header:
        top.append(label(lo.lead_header, rowspan=header_rows))
    elif lead:
        top.append(label(lead, rowspan=len(indicators) + header_rows))
    name_label = lo.name_label or ("指标内容" if lo.value_columns == "joined" and lead and not lo.lead_header else "三级指标")
    top += [label("一级指标", rowspan=header_rows), label("二级指标", rowspan=header_rows),
            label(name_label, rowspan=header_rows, colspan=name_span)]
    if lo.past:
        top.append(label("指标值", colspan=lo.value_count - 1 + value_span))
        if lo.past_group:
            rows[1] += [label(lo.past_group, colspan=len(lo.past)), label(lo.current, rowspan=2, colspan=value_span)]
            rows[2] += [label(p) for p in lo.past]
        else:
            rows[1] += [label(p) for p in lo.past] + [label(lo.current, colspan=value_span)]
    elif lo.value_columns == "joined":
        top.append(label("指标值", colspan=value_span))
    else:
        top += [label("指标值类型"), label("指标值"), label("度量单位", colspan=value_span)]
    if lo.extra:
        top.append(label(lo.extra, rowspan=header_rows))
    if lo.note:
        top.append(label(lo.note, rowspan=header_rows))
    out = [Row(tuple(r), RowKind.section) for r in rows]
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
                if n == 0 and lead and lo.lead_header:
                    cells.append(label(lead, rowspan=len(indicators)))
                if n == i:
                    cells.append(text(ind.level1, rowspan=j - i, align="center"))
                if n == k:
                    cells.append(text(ind.level2, rowspan=m - k, align="center"))
                cells.append(text(ind.name, colspan=name_span))
                if lo.past:
                    past = (list(ind.past_values) + [""] * len(lo.past))[:len(lo.past)]
                    cells += [text(v, align="center") for v in past]
                    cells.append(text(indicator_value(ind), align="center", colspan=value_span))
                elif lo.value_columns == "joined":
                    cells.append(text(indicator_value(ind), align="center", colspan=value_span))
                else:
                    cells += [text(ind.comparator.value if ind.comparator else "", align="center"),
                              text(ind.value, align="center"), text(ind.measure, align="center", colspan=value_span)]
                if lo.extra:
                    cells.append(text(getattr(ind, lo.extra_field) or ""))
                if lo.note:
                    cells.append(text(ind.note or ""))
                out.append(Row(tuple(cells)))
            k = m
        i = j
    return out


def indicator_value(ind: Indicator) -> str:
    """One-cell form “≥90%”; 定性 and comparator-less values print as written."""
    comp = ind.comparator.value if ind.comparator and ind.comparator.value != "定性" else ""
    return f"{comp}{ind.value}{ind.measure}"


def indicator_columns(layout: IndicatorLayout) -> list[Column]:
    """Column widths of a form whose widest part is its indicator block."""
    cols = ([Column(10)] if layout.lead else []) + [Column(12), Column(16), Column(30)]
    if layout.past:
        cols += [Column(10)] * layout.value_count
    else:
        cols += [Column(16)] if layout.value_columns == "joined" else [Column(8), Column(10), Column(8)]
    if layout.extra:
        cols.append(Column(10 if layout.lead else 40))
    if layout.note:
        cols.append(Column(8))
    return cols


def _project_layout(o: dict) -> IndicatorLayout:
    """项目支出绩效目标表's widest indicator block: the annual one, with its past-value columns."""
    annual = o.get("annual_block") or {}
    return replace(layout_of(o, extra="备注", extra_field="note"), past=tuple(annual.get("past", ())),
                   current=annual.get("current", "指标值"), past_group=annual.get("past_group"))


# The builders whose `widths` option lays out the form: the indicator block the widths must hold.
WIDTHS_LAYOUT = {"project_performance": _project_layout, "department_performance": lambda o: layout_of(o, extra=None)}


def widths_problem(builder: str, options) -> str | None:
    """What is wrong with a form's `widths`, in Chinese: fewer columns than its indicator block has. It
    depends on the options alone, so the profile's load reports it at the line of `widths` (validate
    PROFILE.yaml finds it) instead of every build failing."""
    o = options.model_dump(exclude_unset=True)
    if builder not in WIDTHS_LAYOUT or "widths" not in o:
        return None
    base = WIDTHS_LAYOUT[builder](o).base
    n = len(o["widths"])
    if n < base:
        return (f"widths 只写了 {n} 栏，而本表的绩效指标部分有 {base} 栏（由 indicator_lead、value_columns、extra_column、"
                f"note_column 等决定）：请写 {base} 个或更多宽度，或删去 widths 用默认栏宽")
    return None


def widths_option(o: dict, default: list[Column], layout: IndicatorLayout) -> list[Column]:
    """The form's columns: the profile's `widths` when given (at least the indicator block's columns —
    `widths_problem` refused fewer when the profile loaded; the indicator cells stretch over the rest),
    else the default."""
    if "widths" not in o:
        return default
    widths = [Column(float(x)) for x in o["widths"]]
    assert len(widths) >= layout.base, "widths_problem checks this when the profile loads"
    return widths


def _span_row(cells: list[tuple[str, int, bool]]) -> Row:
    return Row(tuple((label(t, colspan=s) if is_label else text(t, colspan=s)) for t, s, is_label in cells), RowKind.section)


def _goals(goals: list[str], numbered: bool = True, sep: str = "\n") -> str:
    return sep.join(f"目标{n}：{g}" if numbered else g for n, g in enumerate(goals, 1))


def _parent_name(facts: Facts) -> str:
    """主管部门: the department itself in a 部门 package, a 单位's `parent` (else the unit's own name)."""
    return (facts.supervisor or facts.org).name


def _parent_code(facts: Facts) -> str:
    """The supervising department's code: a 单位's parent's, else the department's own (本级) unit code
    (江西 prints 柴桑区医疗保障局327001) — the 本级 by `Organization.home_unit`, not the file's first unit."""
    parent = facts.supervisor if facts.scope == "单位" else None
    return parent.code if parent else facts.org.home_unit().code


def _unit_name(facts: Facts, project: Project) -> str:
    """The unit carrying out a project: its own unit, else the unit of its spending, else the department."""
    names = {u.code: u.name for u in facts.units}
    codes = {a.unit for a in facts.project_atoms(project.key)}
    code_ = project.unit or (codes.pop() if len(codes) == 1 else None)
    return names.get(code_ or "", facts.org.name)


def spread(widths: list[float], cells: int, weights: tuple[float, ...] | None = None) -> list[int]:
    """Colspans of `cells` cells side by side over consecutive columns of these widths: the split whose
    most crowded cell (its width over its weight) has the most room — labels and values that share a
    row each get a fair part of it, whatever the form's column widths."""
    from itertools import combinations

    weights = weights or (1.0,) * cells
    if len(widths) < cells:
        return [len(widths)] + [0] * (cells - 1)
    best: tuple[float, list[int]] | None = None
    for cuts in combinations(range(1, len(widths)), cells - 1):
        bounds = [0, *cuts, len(widths)]
        room = min(sum(widths[a:b]) / wt for (a, b), wt in zip(zip(bounds, bounds[1:]), weights))
        if best is None or room > best[0]:
            best = (room, [b - a for a, b in zip(bounds, bounds[1:])])
    assert best is not None
    return best[1]


def _attribute(project: Project, period: str | None, checkboxes: bool) -> str:
    """项目属性 as written (延续项目) or as the form's checkboxes (□新增项目 □一次性项目 ☑延续项目（…）)."""
    if not checkboxes:
        return project.attribute.value if project.attribute else ""
    marks = []
    for a in ProjectAttribute:
        chosen = a is project.attribute
        marks.append(("☑" if chosen else "□") + a.value + (f"（{period}）" if chosen and period else ""))
    return "　".join(marks)


def _budget_kinds(atoms: list[Atom], boxes: list[TypeBox]) -> str:
    """项目类型 as the form's boxes (□一般公共预算 ☑政府性基金预算 …): a box is ticked when one of the
    project's lines this year spends its fund (money carried in counts as the fund it came from), so
    a project paid from two budgets ticks both and one paid from 单位资金 alone ticks none."""
    funds = {a.fund for a in atoms}
    return "　".join(("☑" if b.fund in funds else "□") + b.label for b in boxes)


def _budget_names(atoms: list[Atom]) -> str:
    """项目类型 in words (Hubei 表13's 项目支出情况, the reference's “一般财政公共预算”): the budgets whose money the
    project spends this year — money carried in counts as the budget it came from, as 表15's boxes tick — then
    财政专户管理资金, then 其他资金 for the unit's own (事业收入, 单位资金 …). A trial's form read “上年结转结余”
    and “事业收入” there: sources of income, not types of project."""
    order = [*FISCAL_FUNDS, Fund.special_account]
    funds = {a.fund for a in atoms}
    names = [f.value.removesuffix("拨款") for f in order if f in funds]
    if funds - set(order):
        names.append("其他资金")
    return "、".join(names)


def project_performance(facts: Facts, spec: TableSpec, profile: Profile) -> list[Table]:
    """One 项目支出绩效目标表 per project that has spending and performance targets.

    The money block shows the project's 实施期资金总额 — its total budget, or this year's amount for a
    one-year project — with 其中：财政拨款 / 其他资金. A multi-year project prints two blocks, each adding up:
    the 实施期 total with its split (`total_budget_fiscal` and the rest; left out, with a warning from
    project.total-budget-split, when the file does not give it), then 年度资金总额 with this year's split.

    Options — the indicator block: value_columns, extra_column / extra_field, note_column, indicator_lead
    (null: no lead column), lead_header; the rows above it: department_label, department_code (the
    department's code after its name, 主管部门及代码), unit_label (the implementing unit beside the
    department, 项目实施单位), attribute_label (a 项目属性 row; attribute_checkboxes prints all three as
    □/☑), type_row (项目类型: a box per budget, ticked by the funds the project spends), period_label (实施期限 / 项目日期范围: beside the attribute, or its own row with period_row),
    money_label, amount_label (实施期资金总额 or 年度资金总额) with amount_figure (period: the 实施期 total,
    year: this year's amount only, for forms whose only line is 年度资金总额), fiscal_label, other_label, goal_label,
    long_term_goal (split 总体目标 into 实施期 / 年度 columns; goal_labels names them, annual_first puts
    the annual one first); long_term_block {title, lead} (湖北: the project's long-term indicators in a
    titled block of their own) and annual_block {title, lead, past, current, past_group} (the annual
    block's title row and its past-value columns: 前年 | 上年 | 预计当年实现); unit_line (print
    “单位：万元” above the form); widths and indicator_stretch (the columns' relative widths, and which
    indicator cell — value or name — spans the columns beyond the block's own)."""
    o = spec.options.model_dump(exclude_unset=True)   # the typed options as written (the forms keep their own defaults)
    layout = layout_of(o, extra="备注", extra_field="note")
    annual = o.get("annual_block") or {}
    annual_layout = _project_layout(o)
    cols = widths_option(o, indicator_columns(annual_layout), annual_layout)
    width = len(cols)
    lab = 2 if layout.lead else 1
    tables = []
    for p in facts.projects_with_spending():
        perf = p.performance
        if perf is None:
            continue
        atoms = facts.project_atoms(p.key)
        fiscal = [a for a in atoms if a.fiscal]
        other = [a for a in atoms if not a.fiscal]
        whole = facts.project_whole(p.key) if o.get("amount_figure", "period") == "period" else list(atoms)
        fiscal_label, other_label = o.get("fiscal_label", "其中：财政拨款"), o.get("other_label", "其他资金")
        lines: list[tuple[str, list[Entry]]] = [(o.get("amount_label", "实施期资金总额："), whole)]
        if whole != atoms:   # multi-year: the 实施期 total with its own split when typed, then this year's with its split
            split = facts.project_whole_split(p.key)
            if split:
                lines += [(fiscal_label, split[0]), (other_label, split[1])]
            lines.append(("年度资金总额：", atoms))
        lines += [(fiscal_label, fiscal), (other_label, other)]
        dept = _parent_name(facts) + (_parent_code(facts) if o.get("department_code") else "")
        body = [_span_row([("项目名称", lab, True), (p.name, width - lab, False)])]
        widths = [c.width for c in cols[lab:]]
        first, mid, last = spread(widths, 3, (2, 1, 2))
        if o.get("unit_label") and mid:
            body.append(_span_row([(o.get("department_label", "主管部门"), lab, True), (dept, first, False),
                                   (o["unit_label"], mid, True), (_unit_name(facts, p), last, False)]))
        else:
            body.append(_span_row([(o.get("department_label", "主管部门"), lab, True), (dept, width - lab, False)]))
        period_label = o.get("period_label", "实施期限")
        if o.get("attribute_label"):
            attr = _attribute(p, perf.period, bool(o.get("attribute_checkboxes")))
            if o.get("period_label") and mid and not o.get("attribute_checkboxes"):
                body.append(_span_row([(o["attribute_label"], lab, True), (attr, first, False),
                                       (period_label, mid, True), (perf.period or "", last, False)]))
            else:
                body.append(_span_row([(o["attribute_label"], lab, True), (attr, width - lab, False)]))
        elif o.get("period_row") and perf.period:
            body.append(_span_row([(period_label, lab, True), (perf.period, width - lab, False)]))
        type_row = spec.options.type_row   # typed: its label has a default a profile need not write
        if type_row:
            body.append(_span_row([(type_row.label, lab, True), (_budget_kinds(atoms, type_row.boxes), width - lab, False)]))
        money_label = fill(o.get("money_label", "资金金额（{unit}）"), facts, unit=facts.unit_label)
        line_span, fig_span, pad = spread(widths, 3, (2, 1, 1))
        for n, (line, entries) in enumerate(lines):
            lead = [label(money_label, colspan=lab, rowspan=len(lines))] if n == 0 else []
            tail = [text("", colspan=pad)] if pad else []
            body.append(Row((*lead, text(line, colspan=line_span), replace(figure(facts, entries), colspan=fig_span), *tail),
                            RowKind.section))
        goal_label = o.get("goal_label", "总体目标")
        if o.get("long_term_goal") and perf.long_term_goal:
            names = o.get("goal_labels", ["实施期目标", "年度目标"])
            texts_ = [perf.long_term_goal, perf.goal]
            if o.get("annual_first"):
                names, texts_ = names[::-1], texts_[::-1]
            half, rest = spread(widths, 2)
            body.append(Row((label(goal_label, colspan=lab, rowspan=2), label(names[0], colspan=half),
                             label(names[1], colspan=rest)), RowKind.section))
            body.append(Row((text(texts_[0], colspan=half), text(texts_[1], colspan=rest)), RowKind.section))
        else:
            body.append(_span_row([(goal_label, lab, True), (perf.goal, width - lab, False)]))
        long_term = o.get("long_term_block")
        if long_term and perf.long_term_indicators:
            if long_term.get("title"):
                body.append(_span_row([(long_term["title"], width, True)]))
            body += indicator_rows(perf.long_term_indicators, layout, width, lead=long_term.get("lead"))
        if annual.get("title"):
            body.append(_span_row([(annual["title"], width, True)]))
        body += indicator_rows(perf.indicators, annual_layout, width, lead=annual.get("lead"))
        tables.append(make_table(spec, facts, cols, [], body, subject="项目支出绩效目标", form=True, landscape=False,
                                 money_unit=bool(o.get("unit_line"))))
        tables[-1].subject = p.name   # names the instance in bookmarks and the Word TOC
    if not tables:   # {subject} of the empty reason: no projects at all, or projects none of which has targets
        word = o.get("projects_word", "项目支出")
        subject = f"编制绩效目标的{word}" if facts.projects_with_spending() else word
        tables.append(make_table(spec, facts, cols, [], [], subject=subject, has_data=False, form=True,
                                 landscape=False, money_unit=False))
    return tables


def department_performance(facts: Facts, spec: TableSpec, profile: Profile) -> Table:
    """部门（单位）整体支出绩效目标表.

    Options: value_columns (joined | split); info (the 基本情况 blocks after the name, in order — contact,
    mandate, basic_info, systems, prior_budget, current_budget, see `declaration.py` — with labels and
    current_budget); tasks (false: no 年度主要任务 rows, as in Gansu); task_amounts (tasks carry 预算金额
    columns — the profile's task_columns — as in Shaanxi); goal_label and goal_first (年度履职目标
    before the tasks, as in Henan); number_goals; goal_separator (" ": the goals in one paragraph, as in
    Shaanxi; "\n": one paragraph each, as in Henan); budget_block (预算情况 rows derived from the facts);
    indicator_lead (the label spanning the indicators, or null); extra_column / extra_field;
    note_column (a further 备注 column); widths (the columns' relative widths, replacing the defaults)."""
    from .declaration import info_blocks

    o = spec.options.model_dump(exclude_unset=True)   # the typed options as written (the forms keep their own defaults)
    perf = facts.performance.department
    layout = WIDTHS_LAYOUT["department_performance"](o)
    show_tasks = o.get("tasks", True)
    task_amounts = show_tasks and o.get("task_amounts", True) and bool(facts.task_columns)
    names = [name for name, _ in facts.task_columns]
    n_money = 1 + len(names) if task_amounts else 0
    cols = indicator_columns(layout)
    cols = widths_option(o, cols + [Column(10)] * max(0, 3 + n_money - len(cols)), layout)
    width = len(cols)
    if perf is None:
        return make_table(spec, facts, cols, [], [], subject="部门整体支出绩效目标", has_data=False, form=True,
                          landscape=False, money_unit=False)
    body = [_span_row([("部门（单位）名称", 2, True), (facts.org.name, width - 2, False)])]
    body += info_blocks(facts, o, cols)
    goal_row = _span_row([(o.get("goal_label", "年度总体目标"), 2, True),
                          (_goals(perf.goals, o.get("number_goals", True), o.get("goal_separator", " ")), width - 2, False)])
    if o.get("goal_first"):
        body.append(goal_row)
    name_span = width - 2 - n_money
    rows = facts.task_rows
    if task_amounts and rows:   # no tasks typed: no task block (never an empty heading)
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
    elif show_tasks and perf.tasks and not task_amounts:
        body.append(Row((label("年度主要任务", rowspan=len(perf.tasks) + 1), label("任务名称"), label("主要内容", colspan=name_span)),
                        RowKind.section))
        for t in perf.tasks:
            body.append(Row((text(t.name), text(t.content, colspan=name_span)), RowKind.section))
    if o.get("budget_block"):
        body += _budget_block(facts, width)
    if not o.get("goal_first"):
        body.append(goal_row)
    body += indicator_rows(perf.indicators, layout, width)
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
    职能概述, 年度工作任务, 项目支出情况, long-term and annual goals, then the indicators goal by goal:
    each long-term goal's 长期绩效指标 and each annual goal's 年度绩效指标 with the two prior years'
    values beside the expected one (indicators name their goal by number, `goal`; indicators without
    one follow in a block of their own).

    Options: long_term_block / annual_block {heading (“长期目标{n}：”), lead, past_group, current}."""
    o = spec.options.model_dump(exclude_unset=True)   # the typed options as written (the forms keep their own defaults)
    perf = facts.performance.department
    cols = [Column(8), Column(7), Column(9), Column(22), Column(9), Column(9), Column(10), Column(12)]
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

    carried = list(facts.carried)             # 结转下年: a row of 支出构成 when there is some, so both 合计 agree
    # … this year's or a shown past year's: a past year's income is its spending and what it carried on
    carry_row = bool(carried) or any(by_year[y]["carry_forward"].fen for y in years if y in by_year)
    outgo = [*spending, *carried]
    inc_shares = facts.shares([fiscal, other], income)
    out_shares = facts.shares([basic, project, carried], outgo)
    whole_share = facts.shares([outgo], outgo)[0]
    org = facts.org
    contact = org.contact
    w = spec.options.labels.model_dump()
    W = lambda key: w[key]   # noqa: E731 — every word of the form is the profile's (OverviewLabels)
    body = [
        _span_row([(W("name"), 2, True), (org.name, width - 2, False)]),
        Row((label(W("filler"), colspan=2), text(contact.person or "", colspan=2), label(W("phone")),
             text(contact.phone or "", colspan=3)), RowKind.section),
        Row((label(W("funds"), rowspan=9 if carry_row else 8), label(W("funds_overall"), colspan=3, rowspan=2), label(W("this_year"), rowspan=2),
             label(W("share"), rowspan=2), label(W("past_years"), colspan=2)), RowKind.section),
        Row((label(f"{years[0]}年"), label(f"{years[1]}年")), RowKind.section),
        Row((label(W("income"), rowspan=3), text(W("fiscal"), colspan=2), figure(facts, fiscal), percent(inc_shares[0]),
             past(years[0], "fiscal"), past(years[1], "fiscal")), RowKind.section),
        Row((text(W("other"), colspan=2), figure(facts, other), percent(inc_shares[1]), past(years[0], "other"),
             past(years[1], "other")), RowKind.section),
        Row((text(W("total"), colspan=2), figure(facts, income, True), percent(whole_share), past(years[0], "fiscal", "other"),
             past(years[1], "fiscal", "other")), RowKind.total),
        Row((label(W("spending"), rowspan=4 if carry_row else 3), text(W("basic"), colspan=2), figure(facts, basic),
             percent(out_shares[0]), past(years[0], "basic"), past(years[1], "basic")), RowKind.section),
        Row((text(W("project"), colspan=2), figure(facts, project), percent(out_shares[1]), past(years[0], "project"),
             past(years[1], "project")), RowKind.section),
        *([Row((text(W("carry_forward"), colspan=2), figure(facts, carried), percent(out_shares[2] if carried else None),
                past(years[0], "carry_forward"), past(years[1], "carry_forward")), RowKind.section)] if carry_row else []),
        Row((text(W("total"), colspan=2), figure(facts, outgo, True), percent(whole_share),
             past(years[0], "basic", "project", "carry_forward"), past(years[1], "basic", "project", "carry_forward")),
            RowKind.total),
        _span_row([(W("duties"), 2, True), (org.functions_summary or "\n".join(f"{n}.{f}" for n, f in enumerate(org.functions, 1)),
                                             width - 2, False)]),   # 职能概述: the typed summary, else the duties
        _span_row([(W("tasks"), 2, True), ("\n".join(org.tasks or [t.content for t in perf.tasks]), width - 2, False)]),
    ]
    projects = facts.projects_with_spending()
    body.append(Row((label(W("projects"), rowspan=len(projects) + 2), label(W("project_name"), colspan=3), label(W("project_type")),
                     label(W("project_total")), label(W("project_this_year")), label(W("project_use"))), RowKind.section))
    all_wholes: list[Entry] = []
    all_years: list[Atom] = []
    for p in projects:
        atoms = facts.project_atoms(p.key)
        whole = facts.project_whole(p.key)
        all_wholes += whole
        all_years += atoms
        funds = _budget_names(atoms)
        body.append(Row((text(p.name, colspan=3), text(funds), figure(facts, whole), figure(facts, atoms), text(p.description)),
                        RowKind.section))
    body.append(Row((label(W("total"), colspan=4), figure(facts, all_wholes, True), figure(facts, all_years, True), text("")), RowKind.total))
    until = W("long_term_until").replace("{until}", perf.long_term_until) if perf.long_term_until else ""
    half = (width - 1) // 2
    body.append(Row((label(W("goals"), rowspan=2), label(f"{W('long_term')}{until}", colspan=half), label(W("annual"), colspan=width - 1 - half)),
                    RowKind.section))
    body.append(Row((text(_goals(perf.long_term_goals), colspan=half), text(_goals(perf.goals), colspan=width - 1 - half)),
                    RowKind.section))
    long_term = {"heading": "长期目标{n}：", "lead": "长期绩效指标", **o.get("long_term_block", {})}
    annual = {"heading": "年度目标{n}：", "lead": "年度绩效指标", "past_group": "近两年指标值", "current": "预期当年实现值",
              **o.get("annual_block", {})}
    flat = IndicatorLayout(lead=W("indicators"), extra=W("basis"), name_label="三级指标")
    with_past = replace(flat, past=tuple(f"{y}年" for y in years), past_group=annual["past_group"], current=annual["current"])
    body += _goal_blocks(perf.long_term_goals, perf.long_term_indicators, long_term, flat, width)
    body += _goal_blocks(perf.goals, perf.indicators, annual, with_past if any(i.past_values for i in perf.indicators) else flat, width)
    return make_table(spec, facts, cols, [], body, subject="部门整体绩效目标", form=True, landscape=False)


def _goal_blocks(goals: list[str], indicators: list[Indicator], block: dict, layout: IndicatorLayout, width: int) -> list[Row]:
    """One block per goal: a heading row (长期目标1： | the goal) and the indicators that name it; the
    indicators naming no goal follow under the layout's own lead."""
    rows: list[Row] = []
    for n, goal in enumerate(goals, 1):
        mine = [i for i in indicators if i.goal == n]
        if not mine:
            continue
        rows.append(_span_row([(block["heading"].replace("{n}", str(n)), 1, True), (goal, width - 1, False)]))
        rows += indicator_rows(mine, layout, width, lead=block["lead"])
    rest = [i for i in indicators if i.goal is None or i.goal > len(goals)]
    if rest:
        rows += indicator_rows(rest, layout, width)
    return rows


def special_fund_performance(facts: Facts, spec: TableSpec, profile: Profile) -> Table:
    """专项资金总体绩效目标表: all project spending as one special fund, 实施期 (projects' total budgets)
    beside 年度 (this year's amounts)."""
    o = spec.options.model_dump(exclude_unset=True)   # the typed options as written (the forms keep their own defaults)
    sf = facts.performance.special_fund
    layout = layout_of(o, extra="备注", extra_field="note")
    cols = indicator_columns(layout)
    width = len(cols)
    body: list[Row] = []
    if sf:
        dept = facts.performance.department
        indicators = sf.indicators or (dept.indicators if dept else [])
        atoms = [a for a in facts.spending if a.project]
        fiscal = [a for a in atoms if a.fiscal]
        other = [a for a in atoms if not a.fiscal]
        period: list[Entry] = []
        period_fiscal: list[Entry] | None = []
        period_other: list[Entry] = []
        for p in facts.projects_with_spending():
            period += facts.project_whole(p.key)
            split = facts.project_whole_split(p.key)
            if split is None or period_fiscal is None:
                period_fiscal = None   # a multi-year project whose split the file does not give: no split printed
            else:
                period_fiscal += split[0]
                period_other += split[1]
        u = f"（{facts.unit_label}）"
        left = (width - 2) // 2
        right = width - 2 - left

        def pair(l_text: str, l_val: Cell, r_text: str, r_val: Cell) -> tuple[Cell, ...]:
            return (text(l_text, colspan=left - 1), l_val, text(r_text, colspan=right - 1), r_val)

        # a multi-year project's 实施期 split the file does not give (validate warns: project.total-budget-split):
        # its 其中 rows print their labels over “—” (not given), as 年度 beside them prints its own — never blank
        # boxes that read as missing data, nor a 0 under a total it does not add up to
        untold = text(NOT_GIVEN, align="center")
        body = [
            _span_row([("项目名称", 2, True), (sf.name or facts.org.name, width - 2, False)]),
            Row((label("主管部门", colspan=2), text(_parent_name(facts), colspan=left), label("实施期限", colspan=right - 1),
                 text(sf.period or "")), RowKind.section),
            Row((label(f"资金金额{u}", colspan=2, rowspan=3), *pair("实施期资金总额：", figure(facts, period), "年度资金总额：",
                                                                 figure(facts, atoms))), RowKind.section),
            Row(pair("其中：财政拨款", figure(facts, period_fiscal) if period_fiscal is not None else untold,
                     "其中：财政拨款", figure(facts, fiscal)), RowKind.section),
            Row(pair("其他资金", figure(facts, period_other) if period_fiscal is not None else untold,
                     "其他资金", figure(facts, other)), RowKind.section),
            Row((label("总体目标", colspan=2, rowspan=2), label("实施期总目标", colspan=left), label("年度目标", colspan=right)),
                RowKind.section),
            Row((text(_goals(sf.long_term_goals, sep=" "), colspan=left), text(_goals(sf.goals, sep=" "), colspan=right)),
                RowKind.section),
        ]
        body += indicator_rows(indicators, layout, width, lead="绩效指标")
    return make_table(spec, facts, cols, [], body, subject="本级专项资金", has_data=sf is not None, form=True,
                      landscape=False, money_unit=False)


__all__ = ["project_performance", "department_performance", "department_performance_overview",
           "special_fund_performance", "indicator_rows", "indicator_value"]
