"""“三公”经费（及会议费、培训费，或机关运行经费）表: figures from the economic codes (facts.THREE_PUBLIC),
of the funds the profile counts them from (`three_public_funds`); 机关运行经费 is `facts.running_costs`."""
from __future__ import annotations

from ..facts import Atom, Facts
from ..profile import Profile, TableSpec
from .common import code, columns_of, figure, has_money, header_from_tree, make_table, text
from .model import Cell, Row, RowKind, Table

RUNNING_COSTS = "机关运行经费"
HEADERS = {
    "三公经费": "“三公”经费合计", "因公出国（境）费": "因公出国（境）费", "公务用车购置及运行费": "小计",
    "公务用车购置费": "公务用车购置费", "公务用车运行维护费": "公务用车运行维护费", "公务接待费": "公务接待费",
    "会议费": "会议费", "培训费": "培训费", RUNNING_COSTS: "机关运行经费",
}
CAR_KEYS = ("公务用车购置及运行费", "公务用车购置费", "公务用车运行维护费")


def three_public(facts: Facts, spec: TableSpec, profile: Profile) -> Table:
    """Options: columns (which figures, in order: the keys of facts.THREE_PUBLIC and 机关运行经费; the three
    公务用车 figures group under one header), labels (header overrides), unit_columns (a row per unit with
    code and name, or one bare row), group (a header spanning the “三公” columns, as Shanghai's
    “三公”经费预算数 beside 机关运行经费预算数)."""
    o = spec.options
    keys = o.columns
    labels = {**HEADERS, **o.labels}
    unit_columns = o.unit_columns
    money_tree: list[dict] = []
    for k in keys:
        node = {"label": labels[k], "measure": k, "width": 11}
        if k in CAR_KEYS:
            if not (money_tree and "children" in money_tree[-1]):
                money_tree.append({"label": "公务用车购置及运行费", "children": []})
            money_tree[-1]["children"].append(node)
        else:
            money_tree.append(node)
    if o.group:
        inside = [n for n in money_tree if n.get("measure") != RUNNING_COSTS]
        money_tree = [{"label": o.group, "children": inside}] + [n for n in money_tree if n.get("measure") == RUNNING_COSTS]
    lead: list[dict] = [{"label": "单位编码", "width": 9}, {"label": "单位名称", "width": 20}] if unit_columns else []
    tree = lead + money_tree
    spending = facts.spending
    running = facts.running_costs()

    def columns(atoms: list[Atom]) -> list[list[Atom]]:
        mine = {a.id for a in atoms}
        return [[a for a in running if a.id in mine] if k == RUNNING_COSTS else facts.three_public(k, atoms) for k in keys]

    def cells(atoms: list[Atom], bold: bool = False) -> list[Cell]:
        return [figure(facts, column, bold) for column in columns(atoms)]

    if unit_columns:
        body = [Row((code(""), text("合计", align="center", bold=True), *cells(spending, True)), RowKind.total)]
        by_unit = facts.by(spending, lambda a: a.unit)
        for u in facts.units:
            mine = by_unit.get(u.code, [])
            if has_money([a for column in columns(mine) for a in column]):   # no row of blanks (common.has_money)
                body.append(Row((code(u.code), text(u.name), *cells(mine))))
    else:
        body = [Row(tuple(cells(spending)))]
    what = "“三公”经费及会议费、培训费预算" if "会议费" in keys else "“三公”经费预算"
    if RUNNING_COSTS in keys:
        # the reason names only what there is: a 事业单位's 0.03 元 of 三公 read “三公”经费和机关运行经费预算不足0.01万元
        # beside a 说明 saying it has no 机关运行经费 (trialW2-s30 D4); with neither, 无 both
        parts = columns(spending)
        three = has_money(a for k, column in zip(keys, parts) if k != RUNNING_COSTS for a in column)
        run = has_money(parts[keys.index(RUNNING_COSTS)])
        what = {(True, False): what, (False, True): "机关运行经费预算"}.get((three, run), "“三公”经费和机关运行经费预算")
    # the reason names the money the figures are of: the glossaries define 三公 as paid from 财政拨款
    return make_table(spec, facts, columns_of(tree), header_from_tree(tree), body,
                      subject=f"{facts.three_public_money}安排的{what}")
