"""政府采购预算表: one row per procurement item under their total."""
from __future__ import annotations

from ..facts import Facts
from ..profile import Profile, TableSpec
from .common import figure, header_from_tree, make_table, text
from .model import Column, Kind, Row, RowKind, Table


def procurement(facts: Facts, spec: TableSpec, profile: Profile) -> Table:
    items = facts.procurement_items
    body: list[Row] = []
    if items:
        body.append(Row((text("合计", align="center", bold=True), text(""), text(""), text(""),
                         figure(facts, [e for _, e in items], True)), RowKind.total))
        names = {u.code: u.name for u in facts.units}
        home = facts.org.home_unit().code   # an item without `unit` is the 本级's
        # by unit in code order, as every per-unit table (Python's sort keeps each unit's items in file order)
        for p, e in sorted(items, key=lambda item: item[0].unit or home):
            body.append(Row((text(names.get(p.unit or "", facts.org.name)), text(p.category.value), text(p.item),
                             text(p.quantity or ""), figure(facts, [e]))))
    tree = [{"label": "单位名称", "width": 20}, {"label": "采购类别", "width": 8}, {"label": "采购品目", "width": 24},
            {"label": "数量", "width": 8}, {"label": "预算金额", "measure": "total", "width": 12}]
    columns = [Column(20), Column(8), Column(24), Column(8), Column(12, Kind.money)]
    return make_table(spec, facts, columns, header_from_tree(tree), body, subject="政府采购预算", has_data=bool(items))
