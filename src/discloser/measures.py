"""Column and row measures: which atoms a figure sums, written as data in the profile.

A measure is one or more terms joined by ``&``; an atom counts when every term holds:

- ``total``                         every atom of the table's selection
- ``basic`` / ``project``           基本支出 / 项目支出
- ``personnel`` / ``public``        人员经费 / 公用经费
- ``econ:301`` ``econ:30216``       部门经济分类 code prefix
- ``gecon:501``                     政府经济分类 code prefix (by the unit's kind, see `facts.Atom`)
- ``fn:208``                        功能分类 code prefix
- ``fund:政府性基金预算拨款``          this year's money of a source (several: ``fund:事业收入|其他收入``);
                                    ``fund:财政拨款`` the three fiscal funds; ``fund:上年结转结余`` all
                                    carried-in money, ``fund:上年结转（一般公共预算拨款）`` (or 财政拨款,
                                    单位资金 …) that of one fund — the words of `model.money_of`
- ``ptype:特定目标类``                项目类型
- ``none``                          never (a column or row printed blank, e.g. 上缴上级支出)

Measures are parsed once into predicates (`compile_measure`); an unknown term is a `MeasureError`
whose message names it (the profile loader reports it with the profile's file position).
"""
from __future__ import annotations

from functools import lru_cache
from typing import Callable

from .facts import Atom
from .model import ExpenseKind, ProjectType, money_of

Predicate = Callable[[Atom], bool]
TERMS = ("total", "none", "basic", "project", "personnel", "public", "econ", "gecon", "fn", "fund", "ptype")


class MeasureError(ValueError):
    pass


@lru_cache(maxsize=None)
def compile_measure(measure: str) -> Predicate:
    terms = [t.strip() for t in measure.split("&") if t.strip()]
    preds = [_term(t) for t in terms]
    if not preds:
        return lambda a: True
    if len(preds) == 1:
        return preds[0]
    return lambda a: all(p(a) for p in preds)


def _term(term: str) -> Predicate:
    name, _, arg = term.partition(":")
    if name in ("total", "all"):
        return lambda a: True
    if name == "none":
        return lambda a: False
    if name == "basic":
        return lambda a: a.basic
    if name == "project":
        return lambda a: a.kind is ExpenseKind.project
    if name == "personnel":
        return lambda a: a.kind is ExpenseKind.personnel
    if name == "public":
        return lambda a: a.kind is ExpenseKind.public
    if name in ("econ", "gecon", "fn") and not arg.isdigit():
        raise MeasureError(f"度量“{term}”的编码应为数字，如 {name}:301")
    if name == "econ":
        return lambda a: a.economic.startswith(arg)
    if name == "gecon":
        return lambda a: a.gov_economic.startswith(arg)
    if name == "fn":
        return lambda a: a.function.startswith(arg)
    if name == "fund":
        try:
            keys = money_of(arg)
        except ValueError as e:
            raise MeasureError(str(e)) from None
        return lambda a: a.money in keys
    if name == "ptype":
        try:
            kind = ProjectType(arg)
        except ValueError:
            raise MeasureError(f"未知的项目类型“{arg}”（可用：{'、'.join(t.value for t in ProjectType)}）") from None
        return lambda a: a.ptype is kind
    raise MeasureError(f"未知的度量“{term}”（可用：{'、'.join(TERMS)}）")


_WORDS = {"total": "全部支出", "all": "全部支出", "none": "无", "basic": "基本支出", "project": "项目支出",
          "personnel": "人员经费", "public": "公用经费"}
_CODE_WORDS = {"econ": "部门经济分类", "gecon": "政府经济分类", "fn": "功能分类"}


def describe_measure(measure: str) -> str:
    """A measure in a clerk's words, for messages: ``fund:事业收入|其他收入&basic`` → 资金来源为事业收入、
    其他收入的基本支出 — never the profile's own syntax."""
    subjects, conditions = [], []
    for term in (t.strip() for t in measure.split("&") if t.strip()):
        name, _, arg = term.partition(":")
        if name in _WORDS:
            subjects.append(_WORDS[name])
        elif name in _CODE_WORDS:
            conditions.append(f"{_CODE_WORDS[name]}{arg}")
        elif name == "fund":
            conditions.append("资金来源为" + "、".join(arg.split("|")))
        elif name == "ptype":
            conditions.append(f"项目类型为{arg}")
        else:
            conditions.append(term)
    subject = "中的".join(subjects) if subjects else "支出"
    return f"{'、'.join(conditions)}的{subject}" if conditions else subject

