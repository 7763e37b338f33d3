"""What every table builder shares: typed cells, column trees, figures of atom sets, the Table itself.

Builders are pure functions of (Facts, TableSpec, Profile). They never compute a figure themselves:
every amount is `facts.value(atoms)` of the atoms it stands for, so rounding, concept identity and
additivity are the facts layer's business (see `facts.py`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Callable, Iterable, Sequence

from ..facts import Atom, Entry, Facts
from ..model import FISCAL_FUNDS, Fund
from ..profile import Profile, TableSpec, attested
from ..measures import compile_measure
from .model import Cell, Column, Kind, Row, RowKind, Table

CN_NUM = "一二三四五六七八九十"


def cn_number(n: int) -> str:
    """1 → 一, 12 → 十二, 24 → 二十四, 31 → 三十一."""
    if n <= 10:
        return CN_NUM[n - 1]
    tens, ones = divmod(n, 10)
    head = "十" if tens == 1 else CN_NUM[tens - 1] + "十"
    return head + (CN_NUM[ones - 1] if ones else "")


def fmt_amount(value: Decimal | None) -> str:
    """Table figure: two decimals with thousands separators; zero prints blank, as in the references."""
    if value is None or value == 0:
        return ""
    return f"{value:,.2f}"


def money(value: Decimal | None, bold: bool = False) -> Cell:
    return Cell(fmt_amount(value), Kind.money, value if value else None, bold=bold)


def figure(facts: Facts, entries: Iterable[Entry], bold: bool = False) -> Cell:
    """The money cell of a set of atoms or side entries; one that prints zero over money in 元 says so (`under_unit`)."""
    entries = tuple(entries)
    value = facts.value(entries)
    if not value and any(e.fen for e in entries):
        return Cell("", Kind.money, None, bold=bold, under_unit=True)
    return money(value, bold)


def has_money(entries: Iterable[Entry]) -> bool:
    """Whether a unit gets its row in a per-unit table: the one rule of every such table (收入总表, the 功能/经济
    分类 tables, 项目支出, “三公”) — a unit with no money in the table's scope has no row, rather than a row of
    blanks (a trial found “419003 安平县体育运动服务中心” with every amount blank in a 三公 table while the 基金
    tables left units without 基金 out). No reference prints a per-unit row without money."""
    return any(e.fen for e in entries)


def blank_money() -> Cell:
    return Cell("", Kind.money)


def text(value: str, **kw: Any) -> Cell:
    return Cell(value, Kind.text, **kw)


def code(value: str) -> Cell:
    return Cell(value, Kind.code)


def label(value: str, **kw: Any) -> Cell:
    return Cell(value, Kind.label, **kw)


def percent(value: Decimal | None) -> Cell:
    return Cell("" if value is None else f"{value:.2f}%", Kind.percent, value)


# ------------------------------------------------------------------ column trees

@dataclass
class Leaf:
    label: str
    measure: str | None   # None: a non-money column (code, name, remark)
    width: float


def leaves(nodes: list[dict]) -> list[Leaf]:
    out: list[Leaf] = []
    for n in nodes:
        if n.get("children"):
            out.extend(leaves(n["children"]))
        else:
            out.append(Leaf(n["label"], n.get("measure"), float(n.get("width", 12 if n.get("measure") else 10))))
    return out


def without_empty(nodes: list[dict], atoms: Sequence[Atom]) -> list[dict]:
    """The column tree without its ``nonzero`` columns whose measure selects no figure among `atoms`
    (and without a group left with no column)."""
    out = []
    for n in nodes:
        if n.get("children"):
            kept = without_empty(n["children"], atoms)
            if kept:
                out.append({**n, "children": kept})
        elif n.get("nonzero") and n.get("measure"):
            pred = compile_measure(n["measure"])
            if any(a.fen for a in atoms if pred(a)):
                out.append(n)
        else:
            out.append(n)
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
                rows[level].append(Cell(n["label"], colspan=len(leaves(n["children"])), align="center"))
                walk(n["children"], level + 1)
            else:
                rows[level].append(Cell(n["label"], rowspan=depth - level, align="center"))

    walk(nodes, 0)
    return [Row(tuple(r), RowKind.header) for r in rows if r]


def columns_of(tree: list[dict]) -> list[Column]:
    return [Column(l.width, Kind.money if l.measure else Kind.text) for l in leaves(tree)]


def measure_predicates(tree_leaves: Sequence[Leaf]) -> list[Callable[[Atom], bool] | None]:
    return [compile_measure(l.measure) if l.measure else None for l in tree_leaves]


def measure_cells(facts: Facts, atoms: Sequence[Atom], preds: Sequence[Callable[[Atom], bool] | None],
                  bold: bool = False) -> list[Cell]:
    """One money cell per measure column: the figure of the atoms the column's measure selects."""
    return [text("") if p is None else figure(facts, [a for a in atoms if p(a)], bold) for p in preds]


def _chosen(funds: Any) -> list[Fund]:
    return list(funds) if isinstance(funds, list) else [Fund(funds)]


def atoms_for(facts: Facts, funds: Any) -> list[Atom]:
    """A table's spending selection: all | fiscal | general | one source or a list of sources."""
    if funds in (None, "all"):
        return list(facts.spending)
    if funds == "fiscal":
        return facts.fiscal()
    if funds == "general":
        return facts.general()
    return facts.select(funds=_chosen(funds))


def carried_for(facts: Facts, funds: Any) -> list[Atom]:
    """The 结转下年 of a table's fund selection (all | fiscal | general | one source or a list of sources)."""
    if funds in (None, "all"):
        return list(facts.carried)
    chosen = set(FISCAL_FUNDS) if funds == "fiscal" else {Fund.general} if funds == "general" else set(_chosen(funds))
    return [a for a in facts.carried if a.fund in chosen]


def funds_subject(funds: Any) -> str:
    """What a table's spending is, in words, for its empty-table reason."""
    if funds in (None, "all"):
        return "支出预算"
    if funds == "fiscal":
        return "财政拨款安排的支出"
    if funds == "general":
        return "一般公共预算拨款安排的支出"
    return "、".join(f.value for f in _chosen(funds)) + "安排的支出"


# ------------------------------------------------------------------ the table

def fill(template: str, facts: Facts, **extra: str) -> str:
    """Put the year, organization, scope (部门/单位), the profile's words for this scope (`scope_words`,
    e.g. {table_scope}), {fiscal_years} (当年, or 当年及上年结转 when 财政拨款 is carried in) and extras
    into a profile text, and the attestations the file says 是 to ({secrecy_review} → 已审查, `profile.attested`);
    other braces stay."""
    values = {**facts.words, "year": str(facts.year), "org": facts.org.name, "scope": facts.scope,
              "fiscal_years": "当年及上年结转" if facts.fiscal_carried_in else "当年", **attested(facts.budget), **extra}
    # One pass: a value is never searched again, so an organization named “{year}局” prints as typed.
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), template)


_PLACEHOLDER = re.compile(r"\{(\w+)\}")

def fill_dated(template: str, facts: Facts) -> str:
    """`fill` with the budget's approval date: {approval_date} (2025年2月12日), {approval_year},
    {approval_month}. A text that names the date prints nothing when the file gives none — never a date
    the file did not give (河南's cover line “2023年2月”, 湖北 表13's “填报日期：…”)."""
    day = facts.budget.approval_date
    if day is None:
        return "" if "{approval_" in template else fill(template, facts)
    return fill(template, facts, approval_date=f"{day.year}年{day.month}月{day.day}日",
                approval_year=str(day.year), approval_month=str(day.month))


def empty_reason(facts: Facts, spec: TableSpec, subject: str, under_unit: bool = False) -> str:
    """The input's own reason, else the profile's, else “本{scope}{year}年无{subject}，故本表为空表。”. A table whose
    money is all under half a cent of its unit (`under_unit`: 0.06 元 in 万元) has the money, so no “无…” is said of it
    — a profile's reason says 无 (trialW-s30 D1) — but that it prints as zero: `UNDER_UNIT`."""
    own = facts.empty_reason_override(spec.key)
    if own:
        return own
    if under_unit:
        return fill(UNDER_UNIT + "，故本表为空表。", facts, subject=subject, unit=facts.unit_label)
    return fill(spec.empty_reason or "本{scope}{year}年无{subject}，故本表为空表。", facts, subject=subject)


UNDER_UNIT = "本{scope}{year}年{subject}不足0.01{unit}，按{unit}列示均为零"


def toc_reason(facts: Facts, spec: TableSpec, subject: str, under_unit: bool = False) -> str:
    """The 目录's 公开空表理由: the input's own reason, else the profile's `toc_reason` (only the why: the
    目录's 是否空表 already says 是, so Shaanxi's column needs no “故本表为空表”), else the table's reason."""
    if facts.empty_reason_override(spec.key) or not spec.toc_reason:
        return empty_reason(facts, spec, subject, under_unit)
    if under_unit:
        return fill(UNDER_UNIT, facts, subject=subject, unit=facts.unit_label)
    return fill(spec.toc_reason, facts, subject=subject)


def make_table(spec: TableSpec, facts: Facts, columns: list[Column], header: list[Row], body: list[Row], *,
               subject: str, has_data: bool = True, landscape: bool | None = None, form: bool = False,
               notes: list[str] | None = None, money_unit: bool = True, carried_in: bool | None = None) -> Table:
    """The Table of a spec. A table of figures whose every figure is zero is empty, whatever the
    builder says; a form table (performance targets) is empty when the builder has no data for it.
    `carried_in`: whether the table's own money includes 上年结转 (its notes' {fiscal_years}); None: the
    package's 财政拨款 (a trial's Henan 表5, 一般公共预算 only, said “当年及上年结转” for 基金 carried in)."""
    under_unit = False
    if has_data and not form:
        money_cells = [c for r in body for c in r.cells if c.kind is Kind.money]
        has_data = any(c.value for c in money_cells)
        under_unit = not has_data and any(c.under_unit for c in money_cells)
    auto = spec.options.landscape if spec.options.landscape is not None else sum(c.width for c in columns) > 110
    wide = landscape if landscape is not None else auto
    return Table(
        key=spec.key, number=spec.number, title=fill(spec.title, facts), department=facts.org.name,
        unit_label=f"单位：{facts.unit_label}" if money_unit else "",
        columns=columns, header=header, body=body if has_data else [],
        notes=[fill(n, facts, **({} if carried_in is None else {"fiscal_years": "当年及上年结转" if carried_in else "当年"}))
               for n in (notes if notes is not None else spec.options.notes or [])],
        empty=not has_data, empty_reason="" if has_data else empty_reason(facts, spec, subject, under_unit),
        toc_reason="" if has_data else toc_reason(facts, spec, subject, under_unit),
        landscape=wide, form=form, anchor=f"{spec.key}-{spec.number}",
        meta=None if spec.options.meta is None else fill_dated(spec.options.meta, facts),
        meta_centred=spec.options.meta_centred,
    )


Builder = Callable[[Facts, TableSpec, Profile], "Table | list[Table]"]
