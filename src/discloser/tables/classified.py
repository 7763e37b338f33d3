"""Classification tables: 功能分类 类/款/项 or 部门经济分类 类/款 rows × measure columns.

支出总表, 一般公共预算支出表, 基本支出表, 政府性基金 / 国有资本经营预算支出表 and the 经济分类汇总表
are all this one builder with different options. Rows are grouped in one pass over the atoms.
"""
from __future__ import annotations

from ..facts import Atom, Facts
from ..options import LeftColumn, LeftGroup
from ..options import tree as columns_tree
from ..profile import Profile, TableSpec
from .common import (atoms_for, carried_for, code, columns_of, funds_subject, has_money, header_from_tree, leaves,
                     make_table, measure_cells, measure_predicates, text, without_empty)
from .model import Cell, Kind, Row, RowKind, Table

AXES = {
    # axis: (atom attribute, code lengths of 类/款/项, default left columns)
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
    each a string or {key, label, width}, optionally grouped as {label, children: [...]}; returns (tree, leaf
    keys). `width` (relative, in characters) widens a column, e.g. for long 功能分类 names."""
    nodes: list[dict] = []
    keys: list[str] = []
    for item in spec:
        if isinstance(item, LeftGroup):
            sub, sub_keys = _left_tree(item.children, axis, lengths)
            nodes.append({"label": item.label, "children": sub})
            keys += sub_keys
            continue
        key = item.key if isinstance(item, LeftColumn) else item
        label_ = item.label if isinstance(item, LeftColumn) else None
        if key in ("code_split", "gov_split"):
            n = len(lengths) if key == "code_split" else 2
            parts = [{"label": p, "width": 4} for p in SPLIT_PARTS[:n]]
            if label_:
                nodes.append({"label": label_, "children": parts})
            else:
                nodes += parts
            keys += [f"{key}:{k}" for k in range(n)]
        else:
            width = (item.width or LEFT_WIDTHS[key]) if isinstance(item, LeftColumn) else LEFT_WIDTHS[key]
            nodes.append({"label": label_ or LEFT_HEADERS.get((axis, key)) or LEFT_HEADERS[key], "width": width})
            keys.append(key)
    return nodes, keys


def classified(facts: Facts, spec: TableSpec, profile: Profile) -> Table:
    """Classification rows × measure columns.

    Options: axis (function | economic), funds (all | fiscal | general | sources), basic_only, levels
    (which code lengths get rows; default all: 类 and 款 subtotal rows), left (the non-money columns, see
    `_left_tree`), unit_rows (a row per unit, each followed by its own code rows), parent_row, remark,
    columns (measure tree; a ``nonzero`` column is printed only when it has a figure), total_last (the 合计
    row at the bottom, as Shanghai prints it; default on top), carry_forward_row (a revenue table: the
    revenue that funds 结转下年, which has no function, on a row of that label, and in the 合计).

    On the economic axis with 政府经济 columns a 部门经济 款 row is split by the 政府经济 款 its atoms map
    to: the same 30101 maps to 50101 for a 行政单位 and to 50501 for a 事业单位.
    """
    o = spec.options
    axis = o.axis
    attr, lengths, default_left = AXES[axis]
    levels = tuple(o.levels or lengths)
    atoms = [a for a in atoms_for(facts, o.funds) if not o.basic_only or a.basic]
    name_of = facts.function_name if axis == "function" else facts.economic_name
    carried = carried_for(facts, o.funds) if o.carry_forward_row else []
    left, keys = _left_tree(o.left or default_left, axis, lengths)
    tree = left + without_empty(columns_tree(o.columns), atoms + carried) + ([{"label": "备注", "width": 6}] if o.remark else [])
    preds = measure_predicates(leaves(tree)[len(keys):])
    has_code_col = "code" in keys
    with_gov = axis == "economic" and any(k.startswith(("gov_code", "gov_split", "gov_name")) for k in keys)

    splits = sum(1 for k in keys if k.startswith("code_split"))

    def lead(code_: str, name: str, *, unit: str = "", indent: int = 0, bold: bool = False, gov_code: str = "",
             whole: str = "") -> list[Cell]:
        """The row's leading cells; `whole`: a code printed across the split code columns (a unit's, where
        the table has no code or 单位代码 column: the Henan reference's 表7 prints its unit's code there)."""
        cells: list[Cell] = []
        for key in keys:
            kind, _, part = key.partition(":")
            if kind == "code":
                cells.append(code(code_))
            elif kind == "code_split" and whole:
                if part == "0":
                    cells.append(Cell(whole, Kind.code, colspan=splits))
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
                cells.append(text(facts.gov_economic_name(gov_code) if gov_code else ""))
        return cells

    def code_rows(selection: list[Atom]) -> list[Row]:
        groups: dict[tuple[str, str], list[Atom]] = {}
        for a in selection:
            c = getattr(a, attr)
            for n in lengths:
                if n in levels:
                    leaf = n == lengths[-1]
                    groups.setdefault((c[:n], a.gov_economic if leaf and with_gov else ""), []).append(a)
        rows = []
        for (c, gov), group in sorted(groups.items()):
            leaf = len(c) == lengths[-1]
            rows.append(Row((*lead(c, name_of(c), indent=levels.index(len(c)), gov_code=gov),
                             *measure_cells(facts, group, preds)), RowKind.detail if leaf else RowKind.subtotal,
                            levels.index(len(c))))
        return rows

    body = [Row((*lead("", "合计", bold=True), *measure_cells(facts, atoms + carried, preds, True)), RowKind.total)]
    if o.unit_rows:
        org = facts.org
        if o.parent_row and org.units:
            body.append(Row((*lead(org.code if has_code_col and "unit" not in keys else "", org.name, unit=org.code, bold=True),
                             *measure_cells(facts, atoms, preds)), RowKind.subtotal))
        by_unit = facts.by(atoms, lambda a: a.unit)
        for u in facts.units:
            mine = by_unit.get(u.code, [])
            if not has_money(mine):
                continue
            shown = u.code if has_code_col and "unit" not in keys else ""   # no 单位代码 column: the code column carries it
            across = u.code if not has_code_col and "unit" not in keys and splits else ""   # … or the split code columns
            body.append(Row((*lead(shown, u.name, unit=u.code, bold=True, whole=across), *measure_cells(facts, mine, preds)),
                            RowKind.subtotal))
            body += code_rows(mine)
    else:
        body += code_rows(atoms)
    if any(a.fen for a in carried):   # revenue that funds 结转下年 has no function: a row of its own
        body.append(Row((*lead("", o.carry_forward_row), *measure_cells(facts, carried, preds)), RowKind.subtotal))
    if o.total_last:
        body = body[1:] + body[:1]
    subject = funds_subject(o.funds)
    if o.basic_only:
        subject = subject.replace("支出", "基本支出")
    return make_table(spec, facts, columns_of(tree), header_from_tree(tree), body, subject=subject,
                      has_data=bool(atoms) or any(a.fen for a in carried), carried_in=any(a.carry_in and a.fen for a in atoms))
