"""收支总表, 财政拨款收支总表 and 收入总表: revenue beside spending.

Revenue figures are the figures of the atoms they fund: a unit's revenue from a source equals its
spending from that source plus its 结转下年 (validated), so both sides print the same numbers.
"""
from __future__ import annotations

from ..facts import Atom, Facts, with_money
from ..profile import Profile, TableSpec
from .common import (blank_money, cn_number, code, columns_of, figure, has_money, header_from_tree, leaves,
                     make_table, measure_cells, measure_predicates, text, without_empty)
from ..measures import compile_measure
from ..options import Block, BlockRow, FooterRow
from ..options import tree as columns_tree
from .model import Cell, Row, RowKind, Table

# Footer rows: (revenue label, expenditure label, revenue figure, expenditure figure) — the figures:
#   revenue         本年收入 (without 上年结转结余)      carry_in          上年结转结余
#   revenue_total   收入总计                            expenditure       本年支出
#   carry_forward   结转下年                            expenditure_total 支出总计
#   none            printed blank
DEFAULT_FOOTER = [["本年收入合计", "本年支出合计", "revenue", "expenditure"],
                  ["上年结转", "结转下年", "carry_in", "carry_forward"],
                  ["收入总计", "支出总计", "revenue_total", "expenditure_total"]]
TOTAL_FIGURES = ("revenue", "revenue_total", "expenditure", "expenditure_total")


def summary(facts: Facts, spec: TableSpec, profile: Profile) -> Table:
    """收支总表 / 财政拨款收支总表: revenue rows beside one or more expenditure blocks.

    Options: fiscal_only; revenue_rows [{label, sources}]; blocks [{header, rows, columns?}] where rows
    are {label, measure} or {auto: function|economic_dept|economic_gov, format, only, nonzero} and the optional
    columns (a measure tree) split each row's figure (合计 | 一般公共预算 | 政府性基金 …); footer
    [[revenue label, expenditure label, revenue figure, expenditure figure], …] (see DEFAULT_FOOTER), or
    a row written out ({revenue, expenditure, revenue_figure, expenditure_figure, nonzero}) that with
    ``nonzero: true`` is printed only when one of its figures is not zero (上海's 上年结转结余 / 结转下年), with
    ``with_carry: true`` only when the table has such carry rows (上海's 本年收入合计 above them);
    a footer row whose figures are totals is printed bold.
    """
    o = spec.options
    fiscal_only = o.fiscal_only
    pool = [a for a in facts.atoms if a.fiscal] if fiscal_only else list(facts.atoms)
    spending = [a for a in pool if not a.carry]
    carried = [a for a in pool if a.carry]
    amount_header = o.amount_header

    rev_rows = [(r.label, with_money(pool, "|".join(r.sources)) if r.sources else None) for r in o.revenue_rows]
    blocks = o.blocks
    block_cols = [without_empty(columns_tree(b.columns), pool) or [{"label": amount_header, "measure": "total"}] for b in blocks]
    block_preds = [measure_predicates(leaves(cols)) for cols in block_cols]
    block_rows = [_block_rows(facts, spending, carried, b) for b in blocks]
    height = max([len(rev_rows)] + [len(b) for b in block_rows])

    body: list[Row] = []
    for r in range(height):
        cells: list[Cell] = []
        lab, sel = rev_rows[r] if r < len(rev_rows) else ("", None)
        cells += [text(lab), figure(facts, sel) if sel is not None else blank_money()]
        for rows, preds in zip(block_rows, block_preds):
            lab, sel = rows[r] if r < len(rows) else ("", None)
            cells.append(text(lab))
            cells += measure_cells(facts, sel, preds) if sel is not None else [blank_money() for _ in preds]
        body.append(Row(tuple(cells)))

    revenue_side = {
        "revenue": [a for a in pool if not a.carry_in],
        "carry_in": [a for a in pool if a.carry_in],
        "revenue_total": pool,
    }
    spending_side = {"expenditure": spending, "carry_forward": carried, "expenditure_total": pool}
    for row in o.footer or DEFAULT_FOOTER:
        rl, el, rk, ek, nonzero, with_carry = (
            (row.revenue, row.expenditure, row.revenue_figure, row.expenditure_figure, row.nonzero, row.with_carry)
            if isinstance(row, FooterRow) else (*row, False, False))
        if nonzero and not any(a.fen for a in revenue_side.get(rk, []) + spending_side.get(ek, [])):
            continue
        if with_carry and not any(a.fen for a in revenue_side["carry_in"] + spending_side["carry_forward"]):
            continue
        bold = rk in TOTAL_FIGURES or ek in TOTAL_FIGURES
        cells = [text(rl, align="center", bold=bold),
                 figure(facts, revenue_side[rk], bold) if rk in revenue_side else blank_money()]
        for preds in block_preds:
            cells.append(text(el, align="center", bold=bold))
            chosen = spending_side.get(ek)
            cells += (measure_cells(facts, chosen, preds, bold) if chosen is not None else [blank_money() for _ in preds])
        body.append(Row(tuple(cells), RowKind.total if bold else RowKind.detail))

    tree = [{"label": o.revenue_header, "children": [
                {"label": o.revenue_item_header, "width": 18},
                {"label": amount_header, "measure": "total", "width": 11}]},
            {"label": o.expenditure_header, "children": [
                node for b, cols in zip(blocks, block_cols)
                for node in [{"label": b.header, "width": 18}, *cols]]}]
    subject = "财政拨款收支" if fiscal_only else "收支预算"
    return make_table(spec, facts, columns_of(tree), header_from_tree(tree), body, subject=subject)


def _block_rows(facts: Facts, spending: list[Atom], carried: list[Atom], block: Block) -> list[tuple[str, list[Atom] | None]]:
    """A block's rows as (label, the atoms its figure sums — None for a row printed blank). A row
    {label, measure} sums this year's spending; {label, carry_forward: true} is the 结转下年."""
    rows: list[tuple[str, list[Atom] | None]] = []
    flat = [x for r in block.rows for x in (r if isinstance(r, list) else [r])]  # YAML lists shared via anchors
    for r in flat:
        if r.auto:
            rows += _auto_rows(facts, spending, r)
        elif r.carry_forward:
            rows.append((r.label, carried))
        else:
            pred = compile_measure(r.measure) if r.measure else None
            rows.append((r.label, None if pred is None else [a for a in spending if pred(a)]))
    return rows


def _auto_rows(facts: Facts, spending: list[Atom], r: BlockRow) -> list[tuple[str, list[Atom]]]:
    """Rows for every 类 of a classification, numbered: {n}、{name} / （{cn}）{name} in turn, or by the class's
    own ordinal, the last two digits of its code ({ordinal}: 213 → 十三, 221 → 二十一, as Henan's 表1 and 表4 both
    number them); with ``nonzero: true`` only the 类 that have spending (Shanghai lists only those)."""
    cat = facts.catalog
    kind = r.auto
    classes = {"function": cat.function_classes, "economic_dept": cat.economic_dept_classes,
               "economic_gov": cat.economic_gov_classes}[kind]()
    only = r.only
    if only:
        classes = [(c, n) for c, n in classes if c in only]
    attr = {"function": "function", "economic_dept": "economic", "economic_gov": "gov_economic"}[kind]
    extra = compile_measure(r.measure) if r.measure else None
    by_class: dict[str, list[Atom]] = {}
    for a in spending:
        if extra is None or extra(a):
            by_class.setdefault(getattr(a, attr)[:3], []).append(a)
    if r.nonzero:
        classes = [(c, name) for c, name in classes if any(a.fen for a in by_class.get(c, []))]
    fmt = r.format or "{n}、{name}"
    return [(fmt.format(n=n, cn=cn_number(n), ordinal=cn_number(int(c[1:])), name=name, code=c), by_class.get(c, []))
            for n, (c, name) in enumerate(classes, 1)]


def revenue_by_unit(facts: Facts, spec: TableSpec, profile: Profile) -> Table:
    """收入总表: one row per unit (and the department's), one column per revenue measure (``total`` or
    ``fund:来源|来源``) over the atoms the revenue funds."""
    o = spec.options
    tree = [{"label": o.code_label, "width": 9}, {"label": o.name_label, "width": 22}] + without_empty(columns_tree(o.columns), facts.atoms)
    preds = measure_predicates(leaves(tree)[2:])

    def cells_for(unit_code: str | None, bold: bool = False) -> list[Cell]:
        return measure_cells(facts, facts.revenue(unit=unit_code), preds, bold)

    body = [Row((code(""), text("合计", align="center", bold=True), *cells_for(None, True)), RowKind.total)]
    org = facts.org
    if o.parent_row and org.units:
        body.append(Row((code(org.code), text(org.name, bold=True), *cells_for(None)), RowKind.subtotal))
    body += [Row((code(u.code), text(u.name, indent=1 if o.parent_row else 0), *cells_for(u.code)))
             for u in facts.units if has_money(facts.revenue(unit=u.code))]
    return make_table(spec, facts, columns_of(tree), header_from_tree(tree), body, subject="收入预算")

