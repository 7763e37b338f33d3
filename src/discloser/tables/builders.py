"""Table builders: pure functions of the derived facts and a profile's table spec.

Each builder returns one `Table` (or a list, for one-table-per-project kinds). Which variant a
package prints — columns, row sets, labels — comes from the spec's options (profile data).
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any, Callable, Iterable

from ..facts import Facts, Item
from ..model import FISCAL_FUNDS, Fund, Indicator
from ..money import ZERO, apportion, fmt_amount, unit_label
from ..profile import Profile, TableSpec
from .measures import predicate
from .model import Cell, Column, Kind, Row, RowKind, Table

CN_NUM = "一二三四五六七八九十"


def cn_number(n: int) -> str:
    """1 → 一, 12 → 十二, 24 → 二十四, 31 → 三十一."""
    if n <= 10:
        return CN_NUM[n - 1]
    tens, ones = divmod(n, 10)
    head = "十" if tens == 1 else CN_NUM[tens - 1] + "十"
    return head + (CN_NUM[ones - 1] if ones else "")


def money(value: Decimal | None, bold: bool = False) -> Cell:
    return Cell(fmt_amount(value), Kind.money, value if value else None, bold=bold)


def text(value: str, **kw: Any) -> Cell:
    return Cell(value, Kind.text, **kw)


def code(value: str) -> Cell:
    return Cell(value, Kind.code)


def label(value: str, **kw: Any) -> Cell:
    return Cell(value, Kind.label, **kw)


# ------------------------------------------------------------------ column trees

@dataclass
class Leaf:
    label: str
    measure: str | None   # None: a non-money column (code, name, remark)
    width: float


def _leaves(nodes: list[dict]) -> list[Leaf]:
    out: list[Leaf] = []
    for n in nodes:
        if n.get("children"):
            out.extend(_leaves(n["children"]))
        else:
            out.append(Leaf(n["label"], n.get("measure"), float(n.get("width", 12 if n.get("measure") else 10))))
    return out


def _depth(nodes: list[dict]) -> int:
    return max((1 + _depth(n["children"]) if n.get("children") else 1) for n in nodes)


def header_from_tree(nodes: list[dict]) -> list[Row]:
    """Multi-row header with spans from a column tree ({label, measure|children})."""
    depth = _depth(nodes)
    rows: list[list[Cell]] = [[] for _ in range(depth)]

    def walk(ns: list[dict], level: int) -> None:
        for n in ns:
            if n.get("children"):
                rows[level].append(Cell(n["label"], colspan=len(_leaves(n["children"])), align="center"))
                walk(n["children"], level + 1)
            else:
                rows[level].append(Cell(n["label"], rowspan=depth - level, align="center"))

    walk(nodes, 0)
    return [Row(tuple(r), RowKind.header) for r in rows if r]


def _fund_filter(facts: Facts, opt: Any) -> list[Item]:
    if opt in (None, "all"):
        return list(facts.items)
    if opt == "fiscal":
        return facts.fiscal()
    if opt == "general":
        return facts.general()
    return facts.select(funds=[Fund(f) for f in (opt if isinstance(opt, list) else [opt])])


def _make(spec: TableSpec, facts: Facts, profile: Profile, columns: list[Column], header: list[Row],
          body: list[Row], *, has_data: bool, landscape: bool | None = None, form: bool = False,
          notes: list[str] | None = None, title: str | None = None, money_unit: bool = True) -> Table:
    org = facts.budget.organization.name
    reason = ""
    if not has_data:
        reason = (facts.budget.empty_table_reasons.get(spec.key) or spec.empty_reason
                  or f"本{facts.budget.scope}无{spec.title}相关数据，故本表为空表。")
    wide = landscape if landscape is not None else bool(spec.options.get("landscape", sum(c.width for c in columns) > 110))
    return Table(
        key=spec.key, number=spec.number, title=(title or spec.title).format(year=facts.budget.year, org=org), department=org,
        unit_label=f"单位：{unit_label(facts.unit)}" if money_unit else "",
        columns=columns, header=header, body=body if has_data else [],
        notes=list(notes if notes is not None else spec.options.get("notes", [])),
        empty=not has_data, empty_reason=reason, landscape=wide, form=form,
        anchor=f"{spec.key}-{spec.number}",
    )


def _measure_cells(items: list[Item], preds: list[Callable[[Item], bool] | None], bold: bool = False) -> list[Cell]:
    cells = []
    for p in preds:
        if p is None:
            cells.append(text(""))
        else:
            cells.append(money(sum((i.amount for i in items if p(i)), ZERO), bold))
    return cells


# ------------------------------------------------------------------ 收支总表 family

def summary(facts: Facts, spec: TableSpec, profile: Profile) -> Table:
    """收支总表 / 财政拨款收支总表: revenue rows beside one or more expenditure blocks.

    Options: fiscal_only; revenue_rows [{label, sources}]; blocks [{header, rows, columns?}] where rows
    are {label, measure} or {auto: function|economic_dept|economic_gov, format, only} and the optional
    columns (a measure tree) split each row's figure, e.g. 合计 | 一般公共预算 | 政府性基金 …;
    footer [[revenue label, expenditure label, revenue figure, expenditure figure], …].
    """
    o = spec.options
    fiscal_only = o.get("fiscal_only", False)
    items = facts.fiscal() if fiscal_only else list(facts.items)
    sources = FISCAL_FUNDS if fiscal_only else None
    amount_header = o.get("amount_header", "预算数")

    rev_rows = [(r["label"], facts.revenue_total([Fund(s_) for s_ in r["sources"]]) if r.get("sources") else None)
                for r in o["revenue_rows"]]
    blocks = o["blocks"]
    block_cols = [b.get("columns") or [{"label": amount_header, "measure": "total"}] for b in blocks]
    block_preds = [[predicate(l.measure, facts) for l in _leaves(cols)] for cols in block_cols]
    block_rows = [_summary_block(facts, items, b) for b in blocks]
    height = max([len(rev_rows)] + [len(b) for b in block_rows])

    body: list[Row] = []
    for r in range(height):
        cells: list[Cell] = []
        lab, val = rev_rows[r] if r < len(rev_rows) else ("", None)
        cells += [text(lab), money(val) if val is not None else Cell("", Kind.money)]
        for rows, preds in zip(block_rows, block_preds):
            lab, sel = rows[r] if r < len(rows) else ("", None)
            cells.append(text(lab))
            cells += [money(sum((i.amount for i in sel if p(i)), ZERO)) if sel is not None else Cell("", Kind.money)
                      for p in preds]
        body.append(Row(tuple(cells)))

    figures = {
        "revenue": facts.revenue_total(sources) - (ZERO if fiscal_only else facts.revenue_total([Fund.carryover])),
        "carry_in": ZERO if fiscal_only else facts.revenue_total([Fund.carryover]),
        "revenue_total": facts.revenue_total(sources),
        "expenditure": facts.sum(items),
        "carry_forward": facts.carry_forward,
        "expenditure_total": facts.sum(items) + facts.carry_forward,
        "none": None,
    }
    footer = o.get("footer", [["本年收入合计", "本年支出合计", "revenue", "expenditure"],
                              ["上年结转", "结转下年", "carry_in", "carry_forward"],
                              ["收入总计", "支出总计", "revenue_total", "expenditure_total"]])
    for rl, el, rk, ek in footer:
        total_row = "计" in rl
        cells = [text(rl, align="center", bold=total_row), money(figures[rk], total_row)]
        for preds in block_preds:
            cells.append(text(el, align="center", bold=total_row))
            if ek == "expenditure" or ek == "expenditure_total":
                cells += [money(sum((i.amount for i in items if p(i)), ZERO) + (facts.carry_forward if ek == "expenditure_total" and n == 0 else ZERO), total_row)
                          for n, p in enumerate(preds)]
            else:
                cells += [money(figures[ek] if n == 0 else None, total_row) for n, _ in enumerate(preds)]
        body.append(Row(tuple(cells), RowKind.total if total_row else RowKind.detail))

    tree = [{"label": o.get("revenue_header", "收 入"), "children": [
                {"label": o.get("revenue_item_header", "项 目"), "width": 18},
                {"label": amount_header, "measure": "total", "width": 11}]},
            {"label": o.get("expenditure_header", "支 出"), "children": [
                node for b, cols in zip(blocks, block_cols)
                for node in [{"label": b["header"], "width": 18}, *cols]]}]
    columns = [Column(l.width, Kind.money if l.measure else Kind.text) for l in _leaves(tree)]
    return _make(spec, facts, profile, columns, header_from_tree(tree), body, has_data=True)


def _summary_block(facts: Facts, items: list[Item], block: dict) -> list[tuple[str, list[Item] | None]]:
    """A block's rows as (label, the items its figure sums — None for a row printed blank)."""
    rows: list[tuple[str, list[Item] | None]] = []
    flat = [x for r in block["rows"] for x in (r if isinstance(r, list) else [r])]  # YAML lists shared via anchors
    for r in flat:
        if "auto" in r:
            rows += _auto_rows(facts, items, r)
        else:
            m = r.get("measure")
            rows.append((r["label"], None if m is None else [i for i in items if predicate(m, facts)(i)]))
    return rows


def _auto_rows(facts: Facts, items: list[Item], r: dict) -> list[tuple[str, list[Item]]]:
    """Rows for every 类 of a classification, numbered: {n}、{name} / （{cn}）{name}."""
    cat = facts.catalog
    kind = r["auto"]
    classes = {"function": cat.function_classes, "economic_dept": cat.economic_dept_classes,
               "economic_gov": cat.economic_gov_classes}[kind]()
    only = r.get("only")
    if only:
        classes = [(c, n) for c, n in classes if c in only]
    term = {"function": "fn", "economic_dept": "econ", "economic_gov": "gecon"}[kind]
    extra = r.get("measure")
    out = []
    for n, (c, name) in enumerate(classes, 1):
        p = predicate(f"{term}:{c}" + (f"&{extra}" if extra else ""), facts)
        out.append((r.get("format", "{n}、{name}").format(n=n, cn=cn_number(n), name=name, code=c), [i for i in items if p(i)]))
    return out


# ------------------------------------------------------------------ 收入总表

def revenue_by_unit(facts: Facts, spec: TableSpec, profile: Profile) -> Table:
    o = spec.options
    tree = [{"label": "单位编码", "width": 9}, {"label": "单位名称", "width": 22}] + o["columns"]
    leaves = _leaves(tree)
    units = facts.budget.organization.all_units()

    def cells_for(unit_code: str | None, bold: bool = False) -> list[Cell]:
        out = []
        for leaf in leaves[2:]:
            srcs = None if leaf.measure == "total" else [Fund(s) for s in leaf.measure.split("|")] if leaf.measure else []
            val = sum((a for u, s, a in facts.revenues if (unit_code is None or u == unit_code)
                       and (srcs is None or s in srcs)), ZERO)
            out.append(money(val, bold))
        return out

    body = [Row((code(""), text("合计", align="center", bold=True), *cells_for(None, True)), RowKind.total)]
    org = facts.budget.organization
    if o.get("parent_row") and org.units:
        body.append(Row((code(org.code), text(org.name, bold=True), *cells_for(None)), RowKind.subtotal))
    body += [Row((code(u.code), text(u.name, indent=1 if o.get("parent_row") else 0), *cells_for(u.code))) for u in units]
    columns = [Column(l.width, Kind.money if l.measure else Kind.text) for l in leaves]
    return _make(spec, facts, profile, columns, header_from_tree(tree), body, has_data=bool(facts.revenues))


# ------------------------------------------------------------------ function / economic hierarchies

AXES = {
    # axis: (item attribute, code lengths of 类/款/项, default left columns)
    "function": ("function", (3, 5, 7), ["code", "name"]),
    "economic": ("economic", (3, 5), ["code", "name", "gov_code", "gov_name"]),
}
LEFT_HEADERS = {
    ("function", "code"): "功能科目编码", ("function", "name"): "功能科目名称",
    ("economic", "code"): "部门经济科目编码", ("economic", "name"): "部门经济科目名称",
    "gov_code": "政府经济科目编码", "gov_name": "政府经济科目名称", "unit": "单位代码",
}
LEFT_WIDTHS = {"code": 9, "name": 22, "unit": 7, "gov_code": 8, "gov_name": 14}
SPLIT_PARTS = ("类", "款", "项")


def _left_tree(spec: list, axis: str, lengths: tuple[int, ...]) -> tuple[list[dict], list[str]]:
    """Left (non-money) columns from keys: code | code_split | unit | name | gov_code | gov_split | gov_name,
    each a string or {key, label}, optionally grouped as {label, children: [...]}; returns (tree, leaf keys)."""
    nodes: list[dict] = []
    keys: list[str] = []
    for item in spec:
        if isinstance(item, dict) and "children" in item:
            sub, sub_keys = _left_tree(item["children"], axis, lengths)
            nodes.append({"label": item["label"], "children": sub})
            keys += sub_keys
            continue
        key = item["key"] if isinstance(item, dict) else item
        label_ = item.get("label") if isinstance(item, dict) else None
        if key in ("code_split", "gov_split"):
            n = len(lengths) if key == "code_split" else 2
            leaves = [{"label": p, "width": 4} for p in SPLIT_PARTS[:n]]
            if label_:
                nodes.append({"label": label_, "children": leaves})
            else:
                nodes += leaves
            keys += [f"{key}:{k}" for k in range(n)]
        else:
            nodes.append({"label": label_ or LEFT_HEADERS.get((axis, key)) or LEFT_HEADERS[key], "width": LEFT_WIDTHS[key]})
            keys.append(key)
    return nodes, keys


def classified(facts: Facts, spec: TableSpec, profile: Profile) -> Table:
    """Classification rows (功能 类/款/项 or 部门经济 类/款) × measure columns.

    Options: axis (function | economic), funds, basic_only, levels (which code lengths get rows;
    default all, i.e. with 类 and 款 subtotal rows), left (the non-money columns, see `_left_tree`),
    unit_rows, remark, columns (measure tree).
    """
    o = spec.options
    axis = o.get("axis", "function")
    attr, lengths, default_left = AXES[axis]
    levels = tuple(o.get("levels", lengths))
    items = [i for i in _fund_filter(facts, o.get("funds", "general")) if not o.get("basic_only") or i.basic]
    cat = facts.catalog
    name_of = cat.function_name if axis == "function" else cat.economic_dept_name
    left, keys = _left_tree(o.get("left", default_left), axis, lengths)
    tree = left + o["columns"] + ([{"label": "备注", "width": 6}] if o.get("remark") else [])
    leaves = _leaves(tree)[len(keys):]
    preds = [predicate(l.measure, facts) if l.measure else None for l in leaves]
    has_code_col = "code" in keys

    def lead(code_: str, name: str, *, unit: str = "", indent: int = 0, bold: bool = False, gov_code: str = "") -> list[Cell]:
        cells: list[Cell] = []
        for key in keys:
            kind, _, part = key.partition(":")
            if kind == "code":
                cells.append(code(code_))
            elif kind in ("code_split", "gov_split"):
                c = code_ if kind == "code_split" else gov_code
                k = int(part)
                bounds = (0,) + lengths if kind == "code_split" else (0, 3, 5)
                cells.append(code(c[bounds[k]:bounds[k + 1]] if c.isdigit() else ""))
            elif kind == "unit":
                cells.append(code(unit))
            elif kind == "name":
                cells.append(text(name, indent=indent, bold=bold, align="center" if name == "合计" else None))
            elif kind == "gov_code":
                cells.append(code(gov_code))
            elif kind == "gov_name":
                cells.append(text((cat.economic_gov_name(gov_code) or "") if gov_code else ""))
        return cells

    body = [Row((*lead("", "合计", bold=True), *_measure_cells(items, preds, True)), RowKind.total)]
    if o.get("unit_rows"):
        org = facts.budget.organization
        units = org.all_units()
        if o.get("parent_row") and org.units:
            body.append(Row((*lead(org.code if has_code_col and "unit" not in keys else "", org.name, unit=org.code, bold=True),
                             *_measure_cells(items, preds)), RowKind.subtotal))
        for u in units:
            ui = [i for i in items if i.unit == u.code]
            shown = u.code if has_code_col and "unit" not in keys else ""   # no 单位代码 column: the code column carries it
            body.append(Row((*lead(shown, u.name, unit=u.code, bold=True), *_measure_cells(ui, preds)), RowKind.subtotal))
    for lvl, c in _hierarchy(sorted({getattr(i, attr) for i in items}), lengths):
        if len(c) not in levels:
            continue
        sub = [i for i in items if getattr(i, attr).startswith(c)]
        leaf = len(c) == lengths[-1]
        gov_code = (cat.gov_code_for(c) or "") if axis == "economic" and leaf else ""
        indent = levels.index(len(c))
        body.append(Row((*lead(c, name_of(c) or "（目录中无此科目）", indent=indent, gov_code=gov_code),
                         *_measure_cells(sub, preds)), RowKind.detail if leaf else RowKind.subtotal, indent))
    columns = [Column(l.width, Kind.money if l.measure else Kind.text) for l in _leaves(tree)]
    return _make(spec, facts, profile, columns, header_from_tree(tree), body, has_data=bool(items))


def _hierarchy(codes: Iterable[str], lengths: tuple[int, ...]) -> list[tuple[int, str]]:
    """Leaf codes → [(level, code)] with every ancestor prefix once, in code order."""
    seen: set[str] = set()
    out: list[tuple[int, str]] = []
    for c in sorted(codes):
        for lvl, n in enumerate(lengths):
            p = c[:n]
            if p not in seen:
                seen.add(p)
                out.append((lvl, p))
    return out


# ------------------------------------------------------------------ 项目支出表

def projects(facts: Facts, spec: TableSpec, profile: Profile) -> Table:
    """项目支出表: 主管部门 → 单位 → 类别 → 项目组 → 项目, with descriptions."""
    o = spec.options
    items = _fund_filter(facts, o.get("funds", "all"))
    b = facts.budget
    amount = lambda name: sum((i.amount for i in items if i.project == name), ZERO)  # noqa: E731
    body = [Row((code(""), text("合计", align="center", bold=True), money(sum((i.amount for i in items if i.project), ZERO), True), text("")), RowKind.total)]
    parent = b.organization.parent
    for unit in b.organization.all_units():
        projs = [p for p in b.projects if (p.unit or unit.code) == unit.code and amount(p.key)]
        if not projs:
            continue
        unit_total = sum((amount(p.key) for p in projs), ZERO)
        if parent:
            body.append(Row((code(parent.code), text(parent.name, bold=True), money(unit_total), text("")), RowKind.subtotal, 0))
        body.append(Row((code(unit.code), text(unit.name, indent=1, bold=True), money(unit_total), text("")), RowKind.subtotal, 1))
        for cat_name in dict.fromkeys(p.category for p in projs):
            in_cat = [p for p in projs if p.category == cat_name]
            if cat_name:
                body.append(Row((code(""), text(cat_name, indent=2), money(sum((amount(p.key) for p in in_cat), ZERO)), text("")), RowKind.subtotal, 2))
            for group in dict.fromkeys(p.group for p in in_cat):
                in_group = [p for p in in_cat if p.group == group]
                if group:
                    body.append(Row((code(""), text(group, indent=3), money(sum((amount(p.key) for p in in_group), ZERO)), text("")), RowKind.subtotal, 3))
                for p in in_group:
                    body.append(Row((code(""), text(p.name, indent=4), money(amount(p.key)), text(p.description)), RowKind.detail, 4))
    tree = [{"label": "单位编码", "width": 9}, {"label": "单位（项目）名称", "width": 24},
            {"label": "项目金额", "measure": "project", "width": 12}, {"label": "项目简介", "width": 40}]
    columns = [Column(9, Kind.code), Column(24), Column(12, Kind.money), Column(40)]
    return _make(spec, facts, profile, columns, header_from_tree(tree), body,
                 has_data=any(i.project for i in items), landscape=False)


def project_list(facts: Facts, spec: TableSpec, profile: Profile) -> Table:
    """项目支出表 as a flat list by funding source: 类型 | 项目名称 | 项目单位 | measure columns."""
    o = spec.options
    b = facts.budget
    tree = [{"label": "类型", "width": 9}, {"label": "项目名称", "width": 22}, {"label": "项目单位", "width": 16}] + o["columns"]
    preds = [predicate(l.measure, facts) for l in _leaves(tree)[3:]]
    proj_items = [i for i in facts.items if i.project]
    units = {u.code: u.name for u in b.organization.all_units()}
    body = [Row((text(""), text("合计", align="center", bold=True), text(""), *_measure_cells(proj_items, preds, True)), RowKind.total)]
    for u in b.organization.all_units():
        in_unit = [i for i in proj_items if i.unit == u.code]
        if not in_unit:
            continue
        body.append(Row((code(u.code), text(u.name, bold=True), text(""), *_measure_cells(in_unit, preds)), RowKind.subtotal))
        for p in b.projects:
            items = [i for i in in_unit if i.project == p.key]
            if items:
                body.append(Row((text(p.type.value), text(p.name, indent=1), text(units.get(u.code, "")), *_measure_cells(items, preds))))
    columns = [Column(l.width, Kind.money if l.measure else Kind.text) for l in _leaves(tree)]
    return _make(spec, facts, profile, columns, header_from_tree(tree), body, has_data=bool(proj_items))


def project_performance_summary(facts: Facts, spec: TableSpec, profile: Profile) -> Table:
    """项目绩效目标汇总表: one block per project, its amounts, and (三级指标, 指标值) per 一级指标 side by side."""
    o = spec.options
    b = facts.budget
    groups: list[str] = o.get("level1", ["成本指标", "产出指标", "效益指标", "满意度指标"])
    amount_tree = o.get("columns", [{"label": "资金总额", "measure": "total"}])
    tree = [{"label": "单位编码（项目编码）", "width": 12}, {"label": "项目单位（项目名称）", "width": 18},
            {"label": f"项目金额（{unit_label(facts.unit)}）", "children": amount_tree},
            {"label": "绩效目标", "children": [{"label": g, "children": [{"label": "三级指标", "width": 14}, {"label": "指标值", "width": 8}]}
                                               for g in groups]}]
    preds = [predicate(l.measure, facts) for l in _leaves(amount_tree)]
    proj_items = [i for i in facts.items if i.project]
    blank_pairs = [text("")] * (2 * len(groups))
    body = [Row((code(b.organization.code if b.organization.units else ""), text("合计", align="center", bold=True),
                 *_measure_cells(proj_items, preds, True), *blank_pairs), RowKind.total)]
    for u in b.organization.all_units():
        in_unit = [i for i in proj_items if i.unit == u.code]
        if not in_unit:
            continue
        body.append(Row((code(u.code), text(u.name, bold=True), *_measure_cells(in_unit, preds), *blank_pairs), RowKind.subtotal))
        for p in b.projects:
            items = [i for i in in_unit if i.project == p.key]
            if not items:
                continue
            inds = p.performance.indicators if p.performance else []
            by_group = [[ind for ind in inds if ind.level1 == g] for g in groups]
            height = max([1] + [len(g) for g in by_group])
            for r in range(height):
                cells: list[Cell] = []
                if r == 0:   # the project's code, name and amounts span its indicator rows
                    lead = [code(p.code or ""), text(p.name), *_measure_cells(items, preds)]
                    cells += [replace(c, rowspan=height) for c in lead]
                for g in by_group:
                    ind = g[r] if r < len(g) else None
                    cells += [text(ind.name if ind else ""), text(indicator_value(ind) if ind else "", align="center")]
                body.append(Row(tuple(cells)))
    columns = [Column(l.width, Kind.money if l.measure else Kind.text) for l in _leaves(tree)]
    return _make(spec, facts, profile, columns, header_from_tree(tree), body, has_data=bool(proj_items), landscape=True)


# ------------------------------------------------------------------ 政府采购

def procurement(facts: Facts, spec: TableSpec, profile: Profile) -> Table:
    b = facts.budget
    amounts = [facts.convert(p.amount) for p in b.procurement]
    body: list[Row] = []
    if b.procurement:
        body.append(Row((text("合计", align="center", bold=True), text(""), text(""), text(""), money(sum(amounts, ZERO), True)), RowKind.total))
        units = {u.code: u.name for u in b.organization.all_units()}
        for p, a in zip(b.procurement, amounts):
            body.append(Row((text(units.get(p.unit or "", b.organization.name)), text(p.category.value), text(p.item),
                             text(p.quantity or ""), money(a))))
    tree = [{"label": "单位名称", "width": 20}, {"label": "采购类别", "width": 8}, {"label": "采购品目", "width": 24},
            {"label": "数量", "width": 8}, {"label": "预算金额", "measure": "total", "width": 12}]
    columns = [Column(20), Column(8), Column(24), Column(8), Column(12, Kind.money)]
    return _make(spec, facts, profile, columns, header_from_tree(tree), body, has_data=bool(b.procurement))


# ------------------------------------------------------------------ 三公经费

THREE_PUBLIC_LABELS = {
    "三公经费": "“三公”经费合计", "因公出国（境）费": "因公出国（境）费", "公务用车购置及运行费": "小计",
    "公务用车购置费": "公务用车购置费", "公务用车运行维护费": "公务用车运行维护费", "公务接待费": "公务接待费",
    "会议费": "会议费", "培训费": "培训费",
}
CAR_KEYS = ("公务用车购置及运行费", "公务用车购置费", "公务用车运行维护费")


def three_public(facts: Facts, spec: TableSpec, profile: Profile) -> Table:
    """“三公”经费（及会议费、培训费）: figures derived from the economic codes, 财政拨款 only.

    Options: columns (which figures, in order; the three 公务用车 figures group under one header),
    labels (header overrides), unit_columns (a row per unit with code and name, or one bare row)."""
    o = spec.options
    keys = o.get("columns", list(THREE_PUBLIC_LABELS))
    labels = {**THREE_PUBLIC_LABELS, **o.get("labels", {})}
    unit_columns = o.get("unit_columns", True)
    tree: list[dict] = [{"label": "单位编码", "width": 9}, {"label": "单位名称", "width": 20}] if unit_columns else []
    for k in keys:
        node = {"label": labels[k], "measure": k, "width": 11}
        if k in CAR_KEYS:
            if not (tree and "children" in tree[-1]):
                tree.append({"label": "公务用车购置及运行费", "children": []})
            tree[-1]["children"].append(node)
        else:
            tree.append(node)

    def figures_for(items: list[Item]) -> dict[str, Decimal]:
        return Facts(facts.budget, facts.catalog, facts.unit, items, facts.revenues, ZERO).three_public()

    totals = facts.three_public()
    if unit_columns:
        body = [Row((code(""), text("合计", align="center", bold=True), *[money(totals[k], True) for k in keys]), RowKind.total)]
        units = facts.budget.organization.all_units()
        for u in units:
            fig = figures_for([i for i in facts.items if i.unit == u.code]) if len(units) > 1 else totals
            body.append(Row((code(u.code), text(u.name), *[money(fig[k]) for k in keys])))
    else:
        body = [Row(tuple(money(totals[k]) for k in keys))]
    columns = [Column(l.width, Kind.money if l.measure else Kind.text) for l in _leaves(tree)]
    return _make(spec, facts, profile, columns, header_from_tree(tree), body, has_data=True)


# ------------------------------------------------------------------ performance tables

def _indicator_rows(indicators: list[Indicator], lead: str | None, value_columns: str, extra: str | None,
                    width: int | None = None) -> list[Row]:
    """The indicator block: 一级/二级 cells span their runs; `lead` (e.g. 年度绩效指标) spans the block.

    value_columns: "joined" (one 指标值 cell, “≥90%”) or "split" (指标值类型 | 指标值 | 度量单位).
    extra: label of a last column — 备注 (the indicator's note) or 指标值说明 (its basis) — or None.
    When the table is wider than the block, the 指标值 cell stretches to fill it."""
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
                    cells.append(text((ind.note if extra == "备注" else ind.basis) or ""))
                rows.append(Row(tuple(cells)))
            k = m
        i = j
    return rows


def indicator_value(ind: Indicator) -> str:
    """One-cell form “≥90%”; 定性 and comparator-less values print as written."""
    comp = ind.comparator.value if ind.comparator and ind.comparator.value != "定性" else ""
    return f"{comp}{ind.value}{ind.measure}"


def _perf_columns(value_columns: str, extra: bool, lead: bool = True) -> list[Column]:
    cols = ([Column(10)] if lead else []) + [Column(12), Column(16), Column(30)]
    cols += [Column(16)] if value_columns == "joined" else [Column(8), Column(10), Column(8)]
    if extra:
        cols.append(Column(10 if lead else 40))
    return cols


def _span_row(cells: list[tuple[str, int, bool]]) -> Row:
    return Row(tuple((label(t, colspan=s) if is_label else text(t, colspan=s)) for t, s, is_label in cells), RowKind.section)


def project_performance(facts: Facts, spec: TableSpec, profile: Profile) -> list[Table]:
    """One 项目支出绩效目标表 per project with performance targets."""
    o = spec.options
    vc = o.get("value_columns", "joined")
    extra = o.get("extra_column", "备注")
    cols = _perf_columns(vc, bool(extra))
    width = len(cols)
    b = facts.budget
    parent = b.organization.parent.name if b.organization.parent else b.organization.name
    tables = []
    projs = [p for p in b.projects if p.performance and facts.project_amount(p.key)]
    for p in projs:
        amt = facts.project_amount(p.key)
        fiscal = facts.sum(i for i in facts.fiscal() if i.project == p.key)
        u = f"（{unit_label(facts.unit)}）"
        body = [
            _span_row([("项目名称", 2, True), (p.name, width - 2, False)]),
            _span_row([(o.get("department_label", "主管部门"), 2, True), (parent, width - 2, False)]),
            Row((label(f"资金金额{u}", colspan=2, rowspan=3), text("实施期资金总额：", colspan=2), money(amt), text("", colspan=width - 5)), RowKind.section),
            Row((text("其中：财政拨款", colspan=2), money(fiscal), text("", colspan=width - 5)), RowKind.section),
            Row((text("其他资金", colspan=2), money(amt - fiscal), text("", colspan=width - 5)), RowKind.section),
            _span_row([("总体目标", 2, True), (p.performance.goal, width - 2, False)]),
        ]
        body += _indicator_rows(p.performance.indicators, "年度绩效指标", vc, extra, width)
        tables.append(_make(spec, facts, profile, cols, [], body, has_data=True, form=True, landscape=False, money_unit=False))
        tables[-1].subject = p.name   # names the instance in bookmarks and the Word TOC
    if not tables:
        tables.append(_make(spec, facts, profile, cols, [], [], has_data=False, form=True, landscape=False, money_unit=False))
    return tables


def department_performance(facts: Facts, spec: TableSpec, profile: Profile) -> Table:
    """部门（单位）整体支出绩效目标表.

    Options: value_columns (joined | split); task_amounts (tasks carry 预算金额 columns, as in Shaanxi);
    goal_label and goal_first (年度履职目标 before the tasks, as in Henan); budget_block (预算情况 rows
    derived from the facts); indicator_lead (the label spanning the indicators, or null); extra_column."""
    o = spec.options
    vc = o.get("value_columns", "joined")
    perf = facts.budget.performance.department
    lead = o.get("indicator_lead", "年度绩效指标")
    extra = o.get("extra_column")
    task_amounts = o.get("task_amounts", True)
    task_cols = profile.task_columns
    n_money = 1 + len(task_cols) if task_amounts else 0
    cols = _perf_columns(vc, bool(extra), bool(lead))
    cols += [Column(10)] * max(0, 3 + n_money - len(cols))
    width = len(cols)
    u = unit_label(facts.unit)
    body = [_span_row([("部门（单位）名称", 2, True), (facts.budget.organization.name, width - 2, False)])]
    if perf is None:
        return _make(spec, facts, profile, cols, [], [], has_data=False, form=True, landscape=False, money_unit=False)
    goal_row = _span_row([(o.get("goal_label", "年度总体目标"), 2, True),
                          (" ".join(f"目标{n}：{g}" if o.get("number_goals", True) else g for n, g in enumerate(perf.goals, 1)), width - 2, False)])
    if o.get("goal_first"):
        body.append(goal_row)
    name_span = width - 2 - n_money
    if task_amounts:
        body.append(Row((label("年度主要任务", rowspan=len(perf.tasks) + 2), label("任务名称", rowspan=2),
                         label("主要内容", colspan=name_span, rowspan=2), label(f"预算金额（{u}）", colspan=n_money)), RowKind.section))
        body.append(Row((label("总额"), *[label(c) for c in task_cols]), RowKind.section))
    else:
        body.append(Row((label("年度主要任务", rowspan=len(perf.tasks) + 1), label("任务名称"), label("主要内容", colspan=name_span)), RowKind.section))
    sums = [ZERO] * len(task_cols)
    for t in perf.tasks:
        if task_amounts:
            vals = [facts.convert(t.amounts.get(c, ZERO)) for c in task_cols]
            sums = [a + v for a, v in zip(sums, vals)]
            body.append(Row((text(t.name), text(t.content, colspan=name_span), money(sum(vals, ZERO)), *[money(v) for v in vals]), RowKind.section))
        else:
            body.append(Row((text(t.name), text(t.content, colspan=name_span)), RowKind.section))
    if task_amounts:
        body.append(Row((label("金额合计", colspan=width - n_money), money(sum(sums, ZERO), True), *[money(s_, True) for s_ in sums]), RowKind.total))
    if o.get("budget_block"):
        body += _budget_block(facts, width)
    if not o.get("goal_first"):
        body.append(goal_row)
    body += _indicator_rows(perf.indicators, lead, vc, extra, width)
    return _make(spec, facts, profile, cols, [], body, has_data=True, form=True, landscape=False, money_unit=False)


def department_performance_overview(facts: Facts, spec: TableSpec, profile: Profile) -> Table:
    """部门整体绩效目标申报表 (Hubei): contact, 总体资金情况 with shares and the two prior years,
    职能概述, 年度工作任务, 项目支出情况, long-term and annual goals, indicators with their basis."""
    b = facts.budget
    perf = b.performance.department
    cols = [Column(9), Column(11), Column(20), Column(11), Column(9), Column(11), Column(16)]
    width = len(cols)
    if perf is None:
        return _make(spec, facts, profile, cols, [], [], has_data=False, form=True, landscape=False)
    items = facts.items
    fiscal = facts.sum(facts.fiscal())
    total = facts.sum(items)
    basic = facts.sum(i for i in items if i.basic)
    history = sorted(perf.history, key=lambda h: h.year)[-2:]
    years = [b.year - 2, b.year - 1]
    by_year = {h.year: h for h in history}

    def past(year: int, attr: str) -> Cell:
        h = by_year.get(year)
        if h is None:
            return text("")
        value = getattr(h, attr) if attr != "in_total" else h.fiscal + h.other
        return money(facts.convert(value))

    inc_shares = _percent_cells([fiscal, total - fiscal], total)
    out_shares = _percent_cells([basic, total - basic], total)
    org = b.organization
    body = [
        _span_row([("部门（单位）名称", 2, True), (org.name, width - 2, False)]),
        Row((label("填报人", colspan=2), text(org.contact.person or "", colspan=2), label("联系电话"),
             text(org.contact.phone or "", colspan=2)), RowKind.section),
        Row((label("部门总体资金情况", rowspan=8), label("总体资金情况", colspan=2, rowspan=2), label("当年金额", rowspan=2),
             label("占比", rowspan=2), label("近两年收支金额", colspan=2)), RowKind.section),
        Row((label(f"{years[0]}年"), label(f"{years[1]}年")), RowKind.section),
        Row((label("收入构成", rowspan=3), text("财政拨款"), money(fiscal), inc_shares[0], past(years[0], "fiscal"), past(years[1], "fiscal")), RowKind.section),
        Row((text("其他资金"), money(total - fiscal), inc_shares[1], past(years[0], "other"), past(years[1], "other")), RowKind.section),
        Row((text("合计"), money(total, True), Cell("100.00%", Kind.percent, Decimal(100)), past(years[0], "in_total"), past(years[1], "in_total")), RowKind.total),
        Row((label("支出构成", rowspan=3), text("基本支出"), money(basic), out_shares[0], past(years[0], "basic"), past(years[1], "basic")), RowKind.section),
        Row((text("项目支出"), money(total - basic), out_shares[1], past(years[0], "project"), past(years[1], "project")), RowKind.section),
        Row((text("合计"), money(total, True), Cell("100.00%", Kind.percent, Decimal(100)), past(years[0], "in_total"), past(years[1], "in_total")), RowKind.total),
        _span_row([("部门职能概述", 2, True), ("\n".join(f"{n}.{f}" for n, f in enumerate(org.functions, 1)), width - 2, False)]),
        _span_row([("年度工作任务", 2, True), ("\n".join(org.tasks or [t.content for t in perf.tasks]), width - 2, False)]),
    ]
    projects = [p for p in b.projects if facts.project_amount(p.key)]
    body.append(Row((label("项目支出情况", rowspan=len(projects) + 2), label("项目名称", colspan=2), label("项目类型"),
                     label("项目总预算"), label("项目本年度预算"), label("项目主要支出方向和用途")), RowKind.section))
    grand = ZERO
    grand_total = ZERO
    for p in projects:
        amount = facts.project_amount(p.key)
        funds = "、".join(dict.fromkeys(i.fund.value for i in items if i.project == p.key))
        whole = facts.convert(p.total_budget) if p.total_budget is not None else amount
        grand += amount
        grand_total += whole
        body.append(Row((text(p.name, colspan=2), text(funds), money(whole), money(amount), text(p.description)), RowKind.section))
    body.append(Row((label("合计", colspan=3), money(grand_total, True), money(grand, True), text("")), RowKind.total))
    until = f"（截止 {perf.long_term_until} 年）" if perf.long_term_until else ""
    half = (width - 1) // 2
    body.append(Row((label("整体绩效总目标", rowspan=2), label(f"长期目标{until}", colspan=half), label("年度目标", colspan=width - 1 - half)), RowKind.section))
    body.append(Row((text("\n".join(f"目标{n}：{g}" for n, g in enumerate(perf.long_term_goals, 1)), colspan=half),
                     text("\n".join(f"目标{n}：{g}" for n, g in enumerate(perf.goals, 1)), colspan=width - 1 - half)), RowKind.section))
    body += _indicator_rows(perf.indicators, "绩效指标", "joined", "指标值确定依据", width)
    return _make(spec, facts, profile, cols, [], body, has_data=True, form=True, landscape=False)


def _percent_cells(parts: list[Decimal], whole: Decimal) -> list[Cell]:
    """Shares of a whole, apportioned so the printed percentages add up to 100.00%."""
    if not whole:
        return [Cell("", Kind.percent) for _ in parts]
    shares = apportion([p * 100 for p in parts], whole)
    return [Cell(f"{s:.2f}%", Kind.percent, s) for s in shares]


def _budget_block(facts: Facts, width: int) -> list[Row]:
    """预算情况: total, by source and by structure — all derived from the line items."""
    items = facts.items
    gov = facts.sum(facts.fiscal())
    special = facts.sum(facts.select(funds=[Fund.special_account]))
    lines = [
        (f"部门预算总额（{unit_label(facts.unit)}）", facts.sum(items)),
        ("1、资金来源：（1）政府预算资金", gov),
        ("（2）财政专户管理资金", special),
        ("（3）单位资金", facts.sum(items) - gov - special),
        ("2、资金结构：（1）基本支出", facts.sum(i for i in items if i.basic)),
        ("（2）项目支出", facts.sum(i for i in items if not i.basic)),
    ]
    rows = []
    for n, (lab, val) in enumerate(lines):
        cells = [label("预算情况", rowspan=len(lines))] if n == 0 else []
        cells += [text(lab, colspan=width - 3), money(val), text("")]
        rows.append(Row(tuple(cells), RowKind.section))
    return rows


def special_fund_performance(facts: Facts, spec: TableSpec, profile: Profile) -> Table:
    o = spec.options
    vc = o.get("value_columns", "joined")
    b = facts.budget
    sf = b.performance.special_fund
    cols = _perf_columns(vc, True)
    width = len(cols)
    body: list[Row] = []
    if sf:
        dept = b.performance.department
        indicators = sf.indicators or (dept.indicators if dept else [])
        amt = facts.sum(i for i in facts.items if i.project)
        fiscal = facts.sum(i for i in facts.fiscal() if i.project)
        u = f"（{unit_label(facts.unit)}）"
        parent = b.organization.parent.name if b.organization.parent else b.organization.name
        left = (width - 2) // 2
        right = width - 2 - left

        def pair(l_text: str, l_val: Cell, r_text: str, r_val: Cell) -> tuple[Cell, ...]:
            return (text(l_text, colspan=left - 1), l_val, text(r_text, colspan=right - 1), r_val)

        body = [
            _span_row([("项目名称", 2, True), (sf.name or b.organization.name, width - 2, False)]),
            Row((label("主管部门", colspan=2), text(parent, colspan=left), label("实施期限", colspan=right - 1),
                 text(sf.period or "")), RowKind.section),
            Row((label(f"资金金额{u}", colspan=2, rowspan=3), *pair("实施期资金总额：", money(amt), "年度资金总额：", money(amt))), RowKind.section),
            Row(pair("其中：财政拨款", money(fiscal), "其中：财政拨款", money(fiscal)), RowKind.section),
            Row(pair("其他资金", money(amt - fiscal), "其他资金", money(amt - fiscal)), RowKind.section),
            Row((label("总体目标", colspan=2, rowspan=2), label("实施期总目标", colspan=left), label("年度目标", colspan=right)), RowKind.section),
            Row((text(" ".join(f"目标{n}：{g}" for n, g in enumerate(sf.long_term_goals, 1)), colspan=left),
                 text(" ".join(f"目标{n}：{g}" for n, g in enumerate(sf.goals, 1)), colspan=right)), RowKind.section),
        ]
        body += _indicator_rows(indicators, "绩效指标", vc, "备注", width)
    return _make(spec, facts, profile, cols, [], body, has_data=sf is not None, form=True, landscape=False, money_unit=False,
                 notes=spec.options.get("notes", []))


BUILDERS: dict[str, Callable[[Facts, TableSpec, Profile], Table | list[Table]]] = {
    "summary": summary,
    "revenue_by_unit": revenue_by_unit,
    "classified": classified,
    "projects": projects,
    "procurement": procurement,
    "three_public": three_public,
    "project_list": project_list,
    "project_performance_summary": project_performance_summary,
    "project_performance": project_performance,
    "department_performance": department_performance,
    "department_performance_overview": department_performance_overview,
    "special_fund_performance": special_fund_performance,
}
