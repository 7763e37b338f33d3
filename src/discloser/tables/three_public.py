"""“三公”经费（及会议费、培训费）表: figures from the economic codes (facts.THREE_PUBLIC), of the funds the
profile counts them from (`three_public_funds`)."""
from __future__ import annotations

from ..facts import THREE_PUBLIC, Facts
from ..profile import Profile, TableSpec
from .common import code, columns_of, figure, header_from_tree, make_table, text
from .model import Row, RowKind, Table

HEADERS = {
    "三公经费": "“三公”经费合计", "因公出国（境）费": "因公出国（境）费", "公务用车购置及运行费": "小计",
    "公务用车购置费": "公务用车购置费", "公务用车运行维护费": "公务用车运行维护费", "公务接待费": "公务接待费",
    "会议费": "会议费", "培训费": "培训费",
}
CAR_KEYS = ("公务用车购置及运行费", "公务用车购置费", "公务用车运行维护费")


def three_public(facts: Facts, spec: TableSpec, profile: Profile) -> Table:
    """Options: columns (which figures, in order; the three 公务用车 figures group under one header),
    labels (header overrides), unit_columns (a row per unit with code and name, or one bare row)."""
    o = spec.options
    keys = o.columns
    labels = {**HEADERS, **o.labels}
    unit_columns = o.unit_columns
    tree: list[dict] = [{"label": "单位编码", "width": 9}, {"label": "单位名称", "width": 20}] if unit_columns else []
    for k in keys:
        node = {"label": labels[k], "measure": k, "width": 11}
        if k in CAR_KEYS:
            if not (tree and "children" in tree[-1]):
                tree.append({"label": "公务用车购置及运行费", "children": []})
            tree[-1]["children"].append(node)
        else:
            tree.append(node)
    counted = facts.three_public("三公经费") + facts.three_public("会议费") + facts.three_public("培训费")
    if unit_columns:
        body = [Row((code(""), text("合计", align="center", bold=True),
                     *[figure(facts, facts.three_public(k), True) for k in keys]), RowKind.total)]
        by_unit = facts.by(counted, lambda a: a.unit)
        for u in facts.units:
            mine = by_unit.get(u.code, [])
            body.append(Row((code(u.code), text(u.name), *[figure(facts, facts.three_public(k, mine)) for k in keys])))
    else:
        body = [Row(tuple(figure(facts, facts.three_public(k)) for k in keys))]
    subject = "“三公”经费及会议费、培训费预算" if "会议费" in keys else "“三公”经费预算"
    return make_table(spec, facts, columns_of(tree), header_from_tree(tree), body, subject=subject)
