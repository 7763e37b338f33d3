"""项目支出 tables: the Shaanxi hierarchy with descriptions, the Henan flat list by funding source,
and the Henan 项目绩效目标汇总表."""
from __future__ import annotations

from dataclasses import replace

from ..facts import Atom, Facts
from ..model import Project
from ..options import tree as columns_tree
from ..profile import Profile, TableSpec
from .common import (atoms_for, code, columns_of, figure, has_money, header_from_tree, leaves, make_table,
                     measure_cells, measure_predicates, text, without_empty)
from .model import Cell, Column, Kind, Row, RowKind, Table


def _project_atoms(facts: Facts, funds) -> list[Atom]:
    return [a for a in atoms_for(facts, funds) if a.project]


def _unit_projects(facts: Facts, unit: str) -> list[Project]:
    """A unit's projects in the package's one order (`Facts.project_order`)."""
    return [p for u, p in facts.project_order() if u == unit]


def projects(facts: Facts, spec: TableSpec, profile: Profile) -> Table:
    """项目支出表: 主管部门 → 单位 → 类别 → 项目组 → 项目, with descriptions."""
    o = spec.options
    atoms = _project_atoms(facts, o.funds)
    by_unit_project: dict[tuple[str, str], list[Atom]] = {}
    for a in atoms:
        by_unit_project.setdefault((a.unit, a.project), []).append(a)
    body = [Row((code(""), text("合计", align="center", bold=True), figure(facts, atoms, True), text("")), RowKind.total)]
    # The 主管部门 once, carrying every unit under it (the reference: 410 麟游县医疗保障局 above 410002 …): a 部门
    # that lists its units, or a 单位 with its `parent`. A 部门 of one unspelt unit is that unit's own row.
    head = facts.supervisor
    if head is not None and (facts.scope == "单位" or facts.org.units) and atoms:
        body.append(Row((code(head.code), text(head.name, bold=True), figure(facts, atoms), text("")), RowKind.subtotal, 0))
    for unit in facts.units:
        projs = [(p, by_unit_project[(unit.code, p.key)]) for p in _unit_projects(facts, unit.code)
                 if (unit.code, p.key) in by_unit_project]
        unit_atoms = [a for _, group in projs for a in group]
        if not has_money(unit_atoms):
            continue
        body.append(Row((code(unit.code), text(unit.name, indent=1, bold=True), figure(facts, unit_atoms), text("")), RowKind.subtotal, 1))
        for cat_name in dict.fromkeys(p.category for p, _ in projs):
            in_cat = [(p, g) for p, g in projs if p.category == cat_name]
            if cat_name:
                body.append(Row((code(""), text(cat_name, indent=2), figure(facts, [a for _, g in in_cat for a in g]), text("")),
                                RowKind.subtotal, 2))
            for group in dict.fromkeys(p.group for p, _ in in_cat):
                in_group = [(p, g) for p, g in in_cat if p.group == group]
                if group:
                    body.append(Row((code(""), text(group, indent=3), figure(facts, [a for _, g in in_group for a in g]), text("")),
                                    RowKind.subtotal, 3))
                for p, g in in_group:
                    body.append(Row((code(""), text(p.name, indent=4), figure(facts, g), text(p.description)), RowKind.detail, 4))
    tree = [{"label": "单位编码", "width": 9}, {"label": "单位（项目）名称", "width": 24},
            {"label": "项目金额", "measure": "project", "width": 12}, {"label": "项目简介", "width": 40}]
    columns = [Column(9, Kind.code), Column(24), Column(12, Kind.money), Column(40)]
    return make_table(spec, facts, columns, header_from_tree(tree), body, subject="项目支出", has_data=bool(atoms),
                      landscape=False)


def project_list(facts: Facts, spec: TableSpec, profile: Profile) -> Table:
    """项目支出表 as a flat list by funding source: 类型 | 项目名称 | 项目单位 | measure columns."""
    o = spec.options
    atoms = _project_atoms(facts, "all")
    tree = [{"label": "类型", "width": 9}, {"label": "项目名称", "width": 22}, {"label": "项目单位", "width": 16}] + \
        without_empty(columns_tree(o.columns), atoms)
    preds = measure_predicates(leaves(tree)[3:])
    body = [Row((text(""), text("合计", align="center", bold=True), text(""), *measure_cells(facts, atoms, preds, True)),
                RowKind.total)]
    by_unit = facts.by(atoms, lambda a: a.unit)
    for u in facts.units:
        in_unit = by_unit.get(u.code, [])
        if not has_money(in_unit):
            continue
        # the unit's row as the Henan reference prints it: no 类型, its code under 项目名称, its name under 项目单位
        body.append(Row((text(""), code(u.code), text(u.name, bold=True), *measure_cells(facts, in_unit, preds)), RowKind.subtotal))
        by_project = facts.by(in_unit, lambda a: a.project or "")
        for p in _unit_projects(facts, u.code):
            if p.key in by_project:
                body.append(Row((text(p.type.value), text(p.name, indent=1), text(u.name),
                                 *measure_cells(facts, by_project[p.key], preds))))
    return make_table(spec, facts, columns_of(tree), header_from_tree(tree), body, subject="项目支出",
                      has_data=bool(atoms))


def project_performance_summary(facts: Facts, spec: TableSpec, profile: Profile) -> Table:
    """项目绩效目标汇总表: one block per project, its amounts, and (三级指标, 指标值) per 一级指标 side by side.
    An indicator goes in its 一级指标's column, or in the one its 二级指标 names (`by_level2`): 成本指标 typed under
    产出指标 the Hubei way fill Henan's 成本指标 column, so one data file is right for both (trial H item 7).
    No “单位：万元” line above it: its header names the unit (项目金额（万元）), as the Henan reference's does."""
    from .performance import indicator_value

    o = spec.options
    groups: list[str] = o.level1
    amount_tree = without_empty(columns_tree(o.columns), _project_atoms(facts, "all")) or [{"label": "资金总额", "measure": "total"}]
    tree = [{"label": "单位编码（项目编码）", "width": 12}, {"label": "项目单位（项目名称）", "width": 18},
            {"label": f"项目金额（{facts.unit_label}）", "children": amount_tree},
            {"label": "绩效目标", "children": [{"label": g, "children": [{"label": "三级指标", "width": 14}, {"label": "指标值", "width": 8}]}
                                               for g in groups]}]
    preds = measure_predicates(leaves(amount_tree))
    atoms = _project_atoms(facts, "all")
    blank_pairs = [text("")] * (2 * len(groups))
    org = facts.org
    body = [Row((code(org.code if org.units else ""), text("合计", align="center", bold=True),
                 *measure_cells(facts, atoms, preds, True), *blank_pairs), RowKind.total)]
    by_unit = facts.by(atoms, lambda a: a.unit)
    for u in facts.units:
        in_unit = by_unit.get(u.code, [])
        if not has_money(in_unit):
            continue
        body.append(Row((code(u.code), text(u.name, bold=True), *measure_cells(facts, in_unit, preds), *blank_pairs), RowKind.subtotal))
        by_project = facts.by(in_unit, lambda a: a.project or "")
        for p in _unit_projects(facts, u.code):
            group_atoms = by_project.get(p.key)
            if not group_atoms:
                continue
            if p.performance is None and o.untargeted:   # listed for its amounts (they add up to 表10's): why no targets
                body.append(Row((code(p.code or ""), text(p.name), *measure_cells(facts, group_atoms, preds),
                                 text(o.untargeted, align="center", colspan=len(blank_pairs)))))
                continue
            inds = p.performance.indicators if p.performance else []
            by_group = [[ind for ind in inds if o.by_level2.get(ind.level2, ind.level1) == g] for g in groups]
            height = max([1] + [len(g) for g in by_group])
            for r in range(height):
                cells: list[Cell] = []
                if r == 0:   # the project's code, name and amounts span its indicator rows
                    lead = [code(p.code or ""), text(p.name), *measure_cells(facts, group_atoms, preds)]
                    cells += [replace(c, rowspan=height) for c in lead]
                for g in by_group:
                    ind = g[r] if r < len(g) else None
                    cells += [text(ind.name if ind else ""), text(indicator_value(ind) if ind else "", align="center")]
                body.append(Row(tuple(cells)))
    # A summary of targets with no target in it is published empty, saying why (the 说明 says the same).
    targeted = any(p.performance for p in facts.projects_with_spending())
    return make_table(spec, facts, columns_of(tree), header_from_tree(tree), body,
                      subject="预算项目" if not atoms or targeted else "编制绩效目标的预算项目",
                      has_data=bool(atoms) and targeted, landscape=True, money_unit=False)
