"""Derived facts: the line items in the display unit, and the figures computed from them.

`Facts` is what tables and the narrative read. Amounts are converted to the profile's unit once,
here, by largest-remainder apportionment over the line items (see `money.apportion`); every
aggregate is then an exact sum of those rounded items, so all printed figures add up and the
same aggregate prints the same in every table and sentence.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Callable, Iterable

from .catalog import Catalog, load_catalog
from .model import FISCAL_FUNDS, Budget, ExpenseKind, Fund, UnitKind
from .money import UNITS, ZERO, apportion, total

# 三公经费 and friends, by 部门经济分类 款 (DOMAIN.md).
ECON_ABROAD = "30212"
ECON_RECEPTION = "30217"
ECON_CAR_RUNNING = "30231"
ECON_CAR_PURCHASE = "31013"
ECON_MEETING = "30215"
ECON_TRAINING = "30216"
PERSONNEL_CLASSES = ("301", "303")


@dataclass(frozen=True)
class Item:
    """One expenditure line item with its amount in the display unit."""

    index: int           # position in budget.expenditures (for error locations)
    unit: str
    function: str
    economic: str
    kind: ExpenseKind
    fund: Fund
    project: str | None
    amount: Decimal      # display unit, rounded
    exact: Decimal       # 元, as entered

    @property
    def basic(self) -> bool:
        return self.kind is not ExpenseKind.project


@dataclass
class Facts:
    budget: Budget
    catalog: Catalog
    unit: str                    # "yuan" | "wan"
    items: list[Item]
    revenues: list[tuple[str, Fund, Decimal]]   # (unit code, source, display amount)
    carry_forward: Decimal
    prior: dict[str, Decimal] = field(default_factory=dict)

    # --------------------------------------------------------------- selections
    def select(self, *, funds: Iterable[Fund] | None = None, basic_only: bool = False,
               kind: ExpenseKind | None = None, where: Callable[[Item], bool] | None = None) -> list[Item]:
        fs = set(funds) if funds is not None else None
        return [i for i in self.items
                if (fs is None or i.fund in fs) and (not basic_only or i.basic)
                and (kind is None or i.kind is kind) and (where is None or where(i))]

    def general(self, **kw) -> list[Item]:
        return self.select(funds=[Fund.general], **kw)

    def fiscal(self, **kw) -> list[Item]:
        return self.select(funds=FISCAL_FUNDS, **kw)

    # --------------------------------------------------------------- figures
    @staticmethod
    def sum(items: Iterable[Item]) -> Decimal:
        return total(i.amount for i in items)

    def revenue_total(self, sources: Iterable[Fund] | None = None) -> Decimal:
        ss = set(sources) if sources is not None else None
        return total(a for _, s, a in self.revenues if ss is None or s in ss)

    def expenditure_total(self) -> Decimal:
        return self.sum(self.items)

    def econ_sum(self, codes: Iterable[str], items: list[Item] | None = None) -> Decimal:
        cs = set(codes)
        return self.sum(i for i in (self.fiscal() if items is None else items) if i.economic in cs)

    def three_public(self) -> dict[str, Decimal]:
        """三公经费 and 会议费/培训费 from the economic codes, 财政拨款 only."""
        abroad = self.econ_sum([ECON_ABROAD])
        reception = self.econ_sum([ECON_RECEPTION])
        car_running = self.econ_sum([ECON_CAR_RUNNING])
        car_purchase = self.econ_sum([ECON_CAR_PURCHASE])
        return {
            "三公经费": abroad + reception + car_running + car_purchase,
            "因公出国（境）费": abroad,
            "公务用车购置及运行费": car_running + car_purchase,
            "公务用车购置费": car_purchase,
            "公务用车运行维护费": car_running,
            "公务接待费": reception,
            "会议费": self.econ_sum([ECON_MEETING]),
            "培训费": self.econ_sum([ECON_TRAINING]),
        }

    def public_funds(self) -> Decimal:
        """公用经费（一般公共预算基本支出中的公用经费）。"""
        return self.sum(self.general(kind=ExpenseKind.public))

    def running_costs(self) -> Decimal:
        """机关运行经费 = 行政单位和参公事业单位的公用经费（财政拨款）。"""
        kinds = {u.code: u.kind for u in self.budget.organization.all_units()}
        admin = {UnitKind.admin, UnitKind.civil_servant_managed}
        return self.sum(i for i in self.fiscal(kind=ExpenseKind.public) if kinds.get(i.unit, UnitKind.admin) in admin)

    def project_amount(self, name: str) -> Decimal:
        return self.sum(i for i in self.items if i.project == name)

    def by(self, items: Iterable[Item], key: Callable[[Item], str]) -> dict[str, Decimal]:
        out: dict[str, Decimal] = defaultdict(lambda: ZERO)
        for i in items:
            out[key(i)] += i.amount
        return dict(out)

    def convert(self, amount: Decimal) -> Decimal:
        """A single figure that is not an aggregate of line items (prior-year figures, task amounts)."""
        return apportion([amount], UNITS[self.unit][0])[0]


def derive(budget: Budget, unit: str) -> Facts:
    catalog = load_catalog(budget.year)
    divisor = UNITS[unit][0]
    default_unit = budget.organization.all_units()[0].code
    exp = budget.expenditures
    # Each side is apportioned as a whole so that 收入总计 and 支出总计 round to the same figure.
    rounded = apportion([e.amount for e in exp] + [total(c.amount for c in budget.carry_forward)], divisor)
    items = [Item(n, e.unit or default_unit, e.function, e.economic, e.kind, e.fund, e.project, a, e.amount)
             for n, (e, a) in enumerate(zip(exp, rounded))]
    rev_rounded = apportion([r.amount for r in budget.revenues], divisor)
    revenues = [(r.unit or default_unit, r.source, a) for r, a in zip(budget.revenues, rev_rounded)]
    return Facts(budget, catalog, unit, items, revenues, rounded[-1])
