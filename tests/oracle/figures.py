"""What a printed figure should be: a set of *atoms* of the input, their exact sum in 元, and the
rounding a printed figure of it may have.

Atoms are the input's own amounts: expenditure lines (``L3``), 结转下年 entries (``C0``),
procurement items (``P1``), project total budgets (``TB:key``), performance-task amounts
(``T0:财政拨款``), history years (``H2023:fiscal``) and prior-year figures (``Y:total``). A
revenue figure is the atoms it balances: a unit's revenue from a fund is its spending from that
fund plus its 结转下年 from it (the input identity), so revenue and spending of the same scope are
the *same concept* and must print the same.

Two printed figures with the same set of non-zero atoms are one concept: they must print one value.
Under controlled rounding every printed figure is the exact figure rounded down or up to the cent
of the display unit, and every printed aggregate is the sum of its printed parts.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import Callable, Iterable

from .inputs import CARRY, Dept, Line, prior_amount

CENT = Decimal("0.01")
ZERO = Decimal(0)


@dataclass(frozen=True)
class Expect:
    atoms: frozenset[str]
    exact: Decimal            # 元
    what: str                 # human description, for messages
    grand: bool = False       # the package's 收入总计 / 支出总计: conventional rounding
    blank: bool = False       # a figure the model cannot have (printed blank)
    cls: str = ""             # defect class this figure belongs to when wrong (see report.py)

    @property
    def concept(self) -> frozenset[str]:
        return self.atoms


class Atoms:
    """Amounts of every atom of one department, and the selections the tables print."""

    def __init__(self, dept: Dept):
        self.dept = dept
        self.amount: dict[str, Decimal] = {}
        for x in dept.lines:
            self.amount[f"L{x.idx}"] = x.amount
        for c in dept.carry:
            self.amount[f"C{c.idx}"] = c.amount
        for n, p in enumerate(dept.procurement):
            self.amount[f"P{n}"] = p["amount"]
        for p in dept.projects:
            if p["total_budget"] is not None:
                self.amount[f"TB:{dept.project_key(p)}"] = p["total_budget"]
            if p.get("total_budget_fiscal") is not None and p["total_budget"] is not None:   # the 实施期 split
                self.amount[f"TBF:{dept.project_key(p)}"] = p["total_budget_fiscal"]
                self.amount[f"TBO:{dept.project_key(p)}"] = p["total_budget"] - p["total_budget_fiscal"]
        perf = (dept.performance or {}).get("department") or {}
        for n, t in enumerate(perf.get("tasks") or []):
            for col, v in (t.get("amounts") or {}).items():
                self.amount[f"T{n}:{col}"] = Decimal(str(v))
        for h in perf.get("history") or []:
            for k in ("fiscal", "other", "basic", "project", "carry_forward"):
                self.amount[f"H{h['year']}:{k}"] = Decimal(str(h.get(k, 0)))   # 结转下年 may be left out (none)
        py = dept.prior or {}
        for key, raw in (("approved", (prior_amount(py.get("total")) or (None,))[0]), ("adjusted", py.get("adjusted")),
                         ("actual", py.get("actual")), ("balance", py.get("balance"))):
            if raw not in (None, ""):
                self.amount[f"PB:{key}"] = Decimal(str(raw))   # 上年预算 批复 / 调整 / 实际支出 / 年末结转结余
        self.all_lines = [x for x in dept.lines]

    def prior_budget(self, key: str) -> Decimal | None:
        """上年预算: approved (= prior_year.total), adjusted, actual, balance — None when not given."""
        return self.amount.get(f"PB:{key}")

    # ------------------------------------------------------------------ building expectations
    def expect(self, atoms: Iterable[str], what: str, **kw) -> Expect:
        nonzero = frozenset(a for a in atoms if self.amount[a])
        return Expect(nonzero, sum((self.amount[a] for a in nonzero), ZERO), what, **kw)

    def lines(self, pred: Callable[[Line], bool]) -> list[str]:
        return [f"L{x.idx}" for x in self.dept.lines if pred(x)]

    def carry(self, units: set[str] | None, funds: set[str] | frozenset[str] | None) -> list[str]:
        return [f"C{c.idx}" for c in self.dept.carry
                if (units is None or c.unit in units) and (funds is None or c.fund in funds)]

    def revenue(self, units: set[str] | None, sources: set[str] | frozenset[str] | None) -> list[str]:
        """A revenue figure as the atoms it balances (spending + 结转下年 of the same units and funds)."""
        return (self.lines(lambda x: (units is None or x.unit in units) and (sources is None or x.fund in sources))
                + self.carry(units, sources))

    def revenue_exact(self, units: set[str] | None, sources: set[str] | frozenset[str] | None) -> Decimal:
        """The revenue as typed (for the identity check of the oracle itself)."""
        return sum((r.amount for r in self.dept.revenues
                    if (units is None or r.unit in units) and (sources is None or r.source in sources)), ZERO)

    @property
    def grand_atoms(self) -> frozenset[str]:
        return frozenset(a for a in self.amount if a[0] in "LC" and self.amount[a])

    def _prior(self, key: str) -> tuple[Decimal, str | None] | None:
        p = self.dept.prior
        if ":" in key:
            group, _, sub = key.partition(":")
            return prior_amount((p.get(group) or {}).get(sub))
        return prior_amount(p.get(key))

    def prior(self, key: str) -> Decimal | None:
        """上年数 by key: total / fiscal / general / function:CODE / economic_dept:CLS / economic_gov:CLS / items:NAME."""
        got = self._prior(key)
        return got[0] if got else None

    def prior_reason(self, key: str) -> str | None:
        got = self._prior(key)
        return got[1] if got else None


def to_unit(exact: Decimal, wan: bool) -> Decimal:
    return exact / Decimal(10000) if wan else exact


def bounds(exact: Decimal, wan: bool) -> tuple[Decimal, Decimal]:
    """Floor and ceiling to the cent of the display unit."""
    v = to_unit(exact, wan)
    return v.quantize(CENT, rounding=ROUND_FLOOR), v.quantize(CENT, rounding=ROUND_CEILING)


def half_up(exact: Decimal, wan: bool) -> Decimal:
    return to_unit(exact, wan).quantize(CENT, rounding=ROUND_HALF_UP)


def allowed(e: Expect, wan: bool, slack: int = 0) -> set[Decimal]:
    """The values a printed figure of `e` may have: `slack` cents further out where the package says no
    rounding within a cent exists and the oracle proves it (`check.check_document`)."""
    if e.blank:
        return {ZERO}
    if e.grand:
        return {half_up(e.exact, wan)}
    lo, hi = bounds(e.exact, wan)
    return {lo, hi} | {v for k in range(1, slack + 1) for v in (lo - k * CENT, hi + k * CENT)}


def fmt_table(value: Decimal) -> str:
    """How a money cell prints: two decimals with thousands separators, zero blank."""
    return "" if value == 0 else f"{value:,.2f}"


def is_carry_in(source: str) -> bool:
    return source == CARRY
