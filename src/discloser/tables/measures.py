"""Column measures: which line items a figure sums, written as data in the profile.

A measure is one or more terms joined by ``&``; a line item counts when every term holds:

- ``total``                         every item of the table's selection
- ``basic`` / ``project``           基本支出 / 项目支出
- ``personnel`` / ``public``        人员经费 / 公用经费
- ``econ:301`` ``econ:30216``       部门经济分类 code prefix
- ``gecon:501``                     政府经济分类 code prefix (via the catalog's 部门→政府 mapping)
- ``fn:208``                        功能分类 code prefix
- ``fund:政府性基金预算拨款``          资金来源 (several: ``fund:事业收入|其他收入``)
- ``ptype:特定目标类``                项目类型
- ``none``                          never (a column or row printed blank, e.g. 上缴上级支出)
"""
from __future__ import annotations

from typing import Callable

from ..facts import Facts, Item
from ..model import ExpenseKind, Fund

Predicate = Callable[[Item], bool]


class MeasureError(ValueError):
    pass


def predicate(measure: str, facts: Facts) -> Predicate:
    terms = [t.strip() for t in measure.split("&") if t.strip()]
    preds = [_term(t, facts) for t in terms] or [lambda i: True]
    return lambda item: all(p(item) for p in preds)


def _term(term: str, facts: Facts) -> Predicate:
    name, _, arg = term.partition(":")
    if name in ("total", "all"):
        return lambda i: True
    if name == "none":
        return lambda i: False
    if name == "basic":
        return lambda i: i.basic
    if name == "project":
        return lambda i: i.kind is ExpenseKind.project
    if name == "personnel":
        return lambda i: i.kind is ExpenseKind.personnel
    if name == "public":
        return lambda i: i.kind is ExpenseKind.public
    if name == "econ":
        return lambda i: i.economic.startswith(arg)
    if name == "gecon":
        gov = facts.catalog.gov_code_for
        return lambda i: (gov(i.economic) or "").startswith(arg)
    if name == "fn":
        return lambda i: i.function.startswith(arg)
    if name == "fund":
        funds = {Fund(a) for a in arg.split("|")}
        return lambda i: i.fund in funds
    if name == "ptype":
        types = {p.key: p.type.value for p in facts.budget.projects}
        return lambda i: i.project is not None and types.get(i.project) == arg
    raise MeasureError(f"未知的度量“{term}”")
