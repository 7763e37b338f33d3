"""Derived facts: the whole layer between the validated budget and what the package prints.

Tables and the 说明 read only this. Every printed amount is a *figure*: the sum of some ledger
entries, rounded once for the whole package (see `rounding.py`). The entries are

- **atoms**: expenditure line items grouped by everything a table can tell apart (unit, 功能 项,
  部门经济 款, 支出类型, 资金来源, 项目) — each atom also knows its unit's kind and therefore its
  政府经济分类 款 — and the 结转下年 amounts (per unit and fund), which are atoms without codes;
- side entries that are not spending: procurement items, the per-task amounts of the 部门整体绩效
  table, projects' total budgets, the history years of the Hubei 申报表, the prior year's budget and
  its execution (批复数, 调整数, 实际支出数, 年末结转结余) of the Gansu and Jiangxi forms.

Because every figure is a sum of rounded entries, every table adds up and one concept (one set of
entries) prints one value everywhere. Because a revenue of a unit from a source equals that unit's
spending from the source plus its 结转下年 (a validation rule), revenue figures are printed as the
sums of those atoms: revenue and spending agree by construction.

Figures are computed in two passes when the display unit needs rounding (万元): the first pass builds
every table and the narrative with exact values while recording which entry sets are printed; the
rounding then chooses, per entry, down or up so that every recorded sum lies within a cent of its
exact value; the second pass prints the rounded sums. Shares and year-on-year changes are computed
from the exact 元 figures and rounded on their own.
"""
from __future__ import annotations

from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Callable, Iterable, Iterator, Sequence

from pydantic import BaseModel

from .catalog import Catalog, load_catalog
from .model import (FISCAL_FUNDS, Budget, CarriedFrom, ExpenseKind, Fund, HistoryYear, PerformanceTask, PriorFigure,
                    Procurement, Project, ProjectType, Unit, UnitKind, money_of)
from .rounding import RoundingProblem, controlled_round, dedupe, half_up

# 三公经费 and friends, by 部门经济分类 款 (DOMAIN.md), 财政拨款 only.
ECON_ABROAD = "30212"
ECON_RECEPTION = "30217"
ECON_CAR_RUNNING = "30231"
ECON_CAR_PURCHASE = "31013"
ECON_MEETING = "30215"
ECON_TRAINING = "30216"
THREE_PUBLIC = {
    "三公经费": (ECON_ABROAD, ECON_RECEPTION, ECON_CAR_RUNNING, ECON_CAR_PURCHASE),
    "因公出国（境）费": (ECON_ABROAD,),
    "公务用车购置及运行费": (ECON_CAR_RUNNING, ECON_CAR_PURCHASE),
    "公务用车购置费": (ECON_CAR_PURCHASE,),
    "公务用车运行维护费": (ECON_CAR_RUNNING,),
    "公务接待费": (ECON_RECEPTION,),
    "会议费": (ECON_MEETING,),
    "培训费": (ECON_TRAINING,),
}
ADMIN_KINDS = (UnitKind.admin, UnitKind.civil_servant_managed)   # 机关运行经费 and the 机关 side of 政府经济分类

UNITS = {"yuan": (1, "元"), "wan": (10000, "万元")}   # 分 per printed cent, label
CENT = Decimal("0.01")


@dataclass(frozen=True, eq=False)
class Entry:
    """One rounded-once amount: an atom of spending or a side amount. `fen` is exact (元 × 100)."""

    id: int
    fen: int


@dataclass(frozen=True, eq=False)
class Atom(Entry):
    """Expenditure line items that every table treats alike, or one 结转下年 amount (kind None)."""

    unit: str = ""
    unit_kind: UnitKind = UnitKind.admin
    function: str = ""
    economic: str = ""
    gov_economic: str = ""
    kind: ExpenseKind | None = None
    fund: Fund = Fund.general         # whose money: for 上年结转结余 the fiscal fund it was carried from, if any
    project: str | None = None
    ptype: ProjectType | None = None
    lines: tuple[int, ...] = ()       # indices into budget.expenditures (or budget.carry_forward)
    carry_in: bool = False            # paid from 上年结转结余 (`fund` says whose money it was)

    @property
    def source(self) -> Fund:
        """The revenue source of this year's 收入 tables: 上年结转结余 for carried money, whatever its fund."""
        return Fund.carryover if self.carry_in else self.fund

    @property
    def money(self) -> tuple[bool, Fund]:
        """(carried in?, fund) — the key `money_of` words select on."""
        return self.carry_in, self.fund

    @property
    def carry(self) -> bool:
        return self.kind is None

    @property
    def basic(self) -> bool:
        return self.kind is ExpenseKind.personnel or self.kind is ExpenseKind.public

    @property
    def fiscal(self) -> bool:
        return self.fund in FISCAL_FUNDS


@dataclass(frozen=True)
class Change:
    """A year-on-year change: the printed figures subtracted (see `Facts.change`), the rate from 元."""

    direction: str              # "up" | "down" | "same" | "nearly" (differs in 元, prints no change: “基本持平”)
    amount: Decimal             # absolute, display unit: this year printed − last year rounded half up
    percent: Decimal | None     # absolute, rounded half-up; None on a zero base
    reason: str | None


@dataclass
class TaskRow:
    task: PerformanceTask
    cells: list[Entry]          # one per profile task column


@dataclass
class Facts:
    budget: Budget
    catalog: Catalog
    unit: str                                   # "yuan" | "wan"
    atoms: list[Atom]
    procurement_items: list[tuple[Procurement, Entry]]
    task_columns: list[tuple[str, Callable[[Atom], bool]]]
    task_rows: list[TaskRow]
    project_totals: dict[str, tuple[Entry, ...]]   # project key → its total budget, when given: (total,) or (财政拨款, 其他资金)
    history: list[tuple[HistoryYear, dict[str, Entry]]]
    prior_budget: dict[str, Entry] = field(default_factory=dict)   # approved / adjusted / actual / balance, when given
    links: list[tuple[tuple[Entry, ...], tuple[Entry, ...]]] = field(default_factory=list)
    rounding_note: str = ""                     # set when no rounding within a cent exists
    three_public_funds: frozenset = frozenset({Fund.general})
    words: dict[str, str] = field(default_factory=dict)   # the profile's scope_words for this package's scope
    _fen: list[int] = field(default_factory=list)
    _printed: list[int] | None = None           # rounded entries, printed cents (None: exact)
    _project_order: list[tuple[str, Project]] | None = None   # computed once (project_order)
    _fiscal_carried_in: bool = False
    _recording: list[tuple[int, ...]] | None = None
    _compared: list[tuple[int, ...]] = field(default_factory=list)   # entry sets printed beside last year's (first pass)
    tables_priors: set[str] = field(default_factory=set)   # prior_year paths a table printed (a form's 上年预算批复数)

    # ------------------------------------------------------------------ descriptive facts
    @property
    def year(self) -> int:
        return self.budget.year

    @property
    def scope(self) -> str:
        return self.budget.scope

    @property
    def org(self):
        return self.budget.organization

    @property
    def units(self) -> list[Unit]:
        return self.budget.organization.all_units()

    @property
    def supervisor(self):
        """The 主管部门 the tables print above the units (表10's first row, the forms' 主管部门): a 部门 is its
        own — `parent` belongs to a 单位 package (rule organization.parent says so when a 部门 has one) —
        and a 单位 package's is its `parent` when given, else none is known (None)."""
        org = self.budget.organization
        if self.scope == "部门":
            return org
        return org.parent

    @property
    def projects(self) -> list[Project]:
        return list(self.budget.projects)

    @property
    def performance(self):
        return self.budget.performance

    @property
    def prior_year(self):
        return self.budget.prior_year

    @property
    def assets(self):
        return self.budget.assets

    @property
    def notes(self) -> dict[str, str]:
        return self.budget.notes

    @property
    def special_transfer(self) -> str | None:
        return self.budget.special_transfer

    @property
    def unit_label(self) -> str:
        return UNITS[self.unit][1]

    @property
    def divisor(self) -> int:
        return UNITS[self.unit][0]

    def given(self, path: str) -> bool:
        """Whether the input states a fact (a dotted path such as ``organization.staffing``). An empty list
        or mapping states one only where the model tells it from absence (a field left out is None):
        ``procurement: []`` says “no 政府采购”, ``assets.vehicles: {}`` “no cars”; an empty
        ``organization.tasks`` (absent is [] too) says nothing; nor does a block with nothing in it
        (``assets: {}``: a trial's 说明 dropped its 国有资产 section without a word)."""
        node, owner, name = self.budget, None, ""
        for part in path.split("."):
            owner, name, node = node, part, getattr(node, part, None)
            if node is None:
                return False
        if isinstance(node, BaseModel) and not node.model_fields_set:
            return False
        if node in ([], {}):
            field = type(owner).model_fields.get(name)
            return field is not None and field.default is None and field.default_factory is None
        return node != ""

    def empty_reason_override(self, key: str) -> str | None:
        return self.budget.empty_table_reasons.get(key)

    def function_name(self, code: str) -> str:
        """A 功能分类 name: the catalog's, else the name the input gave with the code."""
        return self.catalog.function_name(code) or self._input_names["function"].get(code, "")

    def economic_name(self, code: str) -> str:
        return self.catalog.economic_dept_name(code) or self._input_names["economic"].get(code, "")

    def gov_economic_name(self, code: str) -> str:
        return self.catalog.economic_gov_name(code) or ""

    def project_by_key(self, key: str) -> Project | None:
        return self._projects.get(key)

    # ------------------------------------------------------------------ selections
    @property
    def spending(self) -> list[Atom]:
        """Expenditure atoms (this year's spending, no 结转下年)."""
        return self._spending

    @property
    def carried(self) -> list[Atom]:
        """结转下年 atoms."""
        return self._carried

    def select(self, atoms: Iterable[Atom] | None = None, *, funds: Iterable[Fund] | None = None,
               kinds: Iterable[ExpenseKind] | None = None, basic: bool | None = None,
               econ: Iterable[str] | None = None, unit: str | None = None,
               where: Callable[[Atom], bool] | None = None) -> list[Atom]:
        fs = frozenset(funds) if funds is not None else None
        ks = frozenset(kinds) if kinds is not None else None
        es = tuple(econ) if econ is not None else None
        return [a for a in (self._spending if atoms is None else atoms)
                if (fs is None or a.fund in fs) and (ks is None or a.kind in ks)
                and (basic is None or a.basic == basic) and (es is None or a.economic.startswith(es))
                and (unit is None or a.unit == unit) and (where is None or where(a))]

    def fiscal(self, **kw) -> list[Atom]:
        return self.select(funds=FISCAL_FUNDS, **kw)

    def general(self, **kw) -> list[Atom]:
        return self.select(funds=(Fund.general,), **kw)

    def by(self, atoms: Iterable[Atom], key: Callable[[Atom], str]) -> dict[str, list[Atom]]:
        out: dict[str, list[Atom]] = defaultdict(list)
        for a in atoms:
            out[key(a)].append(a)
        return dict(out)

    def revenue(self, sources: str | None = None, unit: str | None = None) -> list[Atom]:
        """The atoms a revenue figure sums: spending and 结转下年 of those sources (they balance) — `sources`
        in the words of `money_of` (“事业收入|其他收入”, “上年结转结余”, “上年结转（财政拨款）” …)."""
        atoms = self.atoms if unit is None else [a for a in self.atoms if a.unit == unit]
        return atoms if sources is None else with_money(atoms, sources)

    @property
    def fiscal_carried_in(self) -> bool:
        """Is any 财政拨款 carried in from last year (the fiscal tables then hold 上年结转 too)?"""
        return self._fiscal_carried_in

    @property
    def three_public_money(self) -> str:
        """The funds 三公经费 are counted from, in words (“一般公共预算拨款”, or “财政拨款” for all three): what
        a table or reason says it covers, since the glossaries define 三公 as paid from 财政拨款 and a
        department may pay some from 政府性基金 (a trial read “无“三公”经费” beside such lines)."""
        if set(FISCAL_FUNDS) <= self.three_public_funds:
            return "财政拨款"
        return "、".join(f.value for f in FISCAL_FUNDS if f in self.three_public_funds)

    def three_public(self, name: str, atoms: Iterable[Atom] | None = None) -> list[Atom]:
        """三公经费 and 会议费/培训费 by their economic codes (see THREE_PUBLIC), of the funds the profile
        says they are counted from (`three_public_funds`: 一般公共预算拨款, as the standard tables are
        titled, or all 财政拨款) — one concept for the table, the 说明 and the prior-year comparison."""
        codes = THREE_PUBLIC[name]
        return [a for a in (self.spending if atoms is None else atoms)
                if a.fund in self.three_public_funds and a.economic in codes]

    def running_costs(self) -> list[Atom]:
        """机关运行经费 = 行政单位和参公事业单位由一般公共预算拨款安排的公用经费 — the Ministry's definition,
        as the national and Shanghai 名词解释 print it (“用一般公共预算财政拨款安排的基本支出中的日常公用经费”);
        the other provinces' glossaries (“各部门的公用经费”) do not name a fund and agree with it."""
        return self.general(kinds=(ExpenseKind.public,), where=lambda a: a.unit_kind in ADMIN_KINDS)

    def project_atoms(self, key: str) -> list[Atom]:
        return self._by_project.get(key, [])

    def project_whole(self, key: str) -> list[Entry]:
        """A project's total budget (实施期): its `total_budget` entries when that differs from this year's
        amount, else this year's atoms — so one figure prints one value wherever the total appears."""
        atoms = self.project_atoms(key)
        whole = self.project_totals.get(key)
        return list(whole) if whole is not None and sum(e.fen for e in whole) != sum(a.fen for a in atoms) else list(atoms)

    def project_whole_split(self, key: str) -> tuple[list[Entry], list[Entry]] | None:
        """(财政拨款, 其他资金) of a project's 实施期 total: this year's for a one-year project, the typed
        `total_budget_fiscal` and the rest for a multi-year one; None when the file does not say (never a guess)."""
        atoms = self.project_atoms(key)
        whole = self.project_whole(key)
        if whole == atoms:
            return [a for a in atoms if a.fiscal], [a for a in atoms if not a.fiscal]
        if len(whole) == 2:
            return [whole[0]], [whole[1]]
        return None

    def project_order(self) -> list[tuple[str, Project]]:
        """(unit code, project) for each unit a project spends in, in the order the 项目支出表 prints them:
        units in code order; within a unit, projects by 类别 and then 项目组 (each where its first project of
        the unit stands in `projects:`), then in `projects:` order. Every table and form that lists projects
        follows it, so a package has one order (a trial's forms followed `projects:` while 表10 grouped them
        by unit)."""
        if self._project_order is None:
            units_of = {p.key: {a.unit for a in self._by_project.get(p.key, ())} for p in self.budget.projects}
            order: list[tuple[str, Project]] = []
            for unit in self.units:
                mine = [p for p in self.budget.projects if unit.code in units_of[p.key]]
                for category in dict.fromkeys(p.category for p in mine):
                    in_category = [p for p in mine if p.category == category]
                    for group in dict.fromkeys(p.group for p in in_category):
                        order += [(unit.code, p) for p in in_category if p.group == group]
            self._project_order = order
        return list(self._project_order)

    def projects_with_spending(self) -> list[Project]:
        """The projects with spending this year, each once, where it first stands in `project_order`."""
        seen: set[str] = set()
        return [p for _, p in self.project_order() if not (p.key in seen or seen.add(p.key))]

    def project_has_fund_breakdown(self) -> bool:
        return any(a.project for a in self._spending)

    # ------------------------------------------------------------------ figures
    def value(self, entries: Iterable[Entry]) -> Decimal:
        """The printed figure of a set of entries, in the display unit."""
        ids = [e.id for e in entries]
        if self._recording is not None and ids:
            self._recording.append(tuple(ids))
        if self._printed is None:   # 元 (exact to the 分), or the first pass of a 万元 package
            exact = self._exact(ids)
            return exact.quantize(CENT) if self.divisor == 1 else exact
        return Decimal(sum(self._printed[i] for i in ids)) * CENT

    def exact(self, entries: Iterable[Entry]) -> Decimal:
        """Exact value in the display unit (for shares and changes, never printed as an amount)."""
        return self._exact([e.id for e in entries])

    def _exact(self, ids: Sequence[int]) -> Decimal:
        return Decimal(sum(self._fen[i] for i in ids)) / (100 * self.divisor)

    def yuan(self, entries: Iterable[Entry]) -> Decimal:
        return Decimal(sum(self._fen[e.id] for e in entries)) / 100

    def shares(self, parts: Sequence[Iterable[Entry]], whole: Iterable[Entry]) -> list[Decimal | None]:
        """Percent shares of a whole from exact amounts, apportioned so that they add up to 100.00%. A part
        with no money has no share (None): its amount prints blank, and “0.00%” beside a blank read as a
        figure left out (trial C D12, Hubei 表13's 其他资金)."""
        part_fen = [sum(self._fen[e.id] for e in p) for p in parts]
        whole_fen = sum(self._fen[e.id] for e in whole)
        if not whole_fen:
            return [None for _ in parts]
        return [share if fen else None for fen, share in zip(part_fen, percent_shares(part_fen, whole_fen))]

    def execution_rate(self) -> Decimal | None:
        """上年预算执行率 in %: 实际支出数 / 调整后预算数 (the 批复数 when there was no adjustment), from 元."""
        actual = self.prior_budget.get("actual")
        base = self.prior_budget.get("adjusted") or self.prior_budget.get("approved")
        if actual is None or base is None or not base.fen:
            return None
        return (Decimal(actual.fen) * 100 / base.fen).quantize(CENT, rounding=ROUND_HALF_UP)

    def change(self, current: Iterable[Entry], prior: PriorFigure | None) -> Change | None:
        """Change against a prior-year figure; None when no prior figure was given.

        Computed from the figures as printed — this year's as the package prints it (controlled
        rounding may move a 万元 figure by 0.01 so that its table adds up), last year's rounded half up —
        so that a reader who subtracts the two printed amounts gets the printed change, in the direction
        the printed amounts show. The percentage is the exact one, from 元 (a rate is not re-derivable
        from rounded figures anyway); when the exact amounts differ but the printed ones do not, the
        change is “nearly” (“与上年基本持平”: a trial's “较上年减少0.00万元” told a reader of a decrease of nothing).
        In 元 all of these are the exact amounts."""
        if prior is None:
            return None
        current = list(current)
        if self._recording is not None:       # printed beside last year's: its conventional rounding comes first
            self._compared.append(tuple(e.id for e in current))
        now_fen = sum(self._fen[e.id] for e in current)
        before_fen = int(prior.amount * 100)
        diff_fen = now_fen - before_fen
        if diff_fen == 0:
            return Change("same", Decimal(0), None, prior.reason)
        printed = self.value(current) - Decimal(half_up(before_fen, self.divisor)) * CENT
        percent = None
        if before_fen > 0:
            percent = (Decimal(abs(diff_fen)) * 100 / before_fen).quantize(CENT, rounding=ROUND_HALF_UP)
        if not printed:
            return Change("nearly", Decimal(0), None, prior.reason)
        return Change("up" if printed > 0 else "down", abs(printed).quantize(CENT), percent, prior.reason)

    # ------------------------------------------------------------------ rounding
    @property
    def needs_rounding(self) -> bool:
        return self.divisor > 1 and any(f % self.divisor for f in self._fen)

    @contextmanager
    def recording(self) -> Iterator[None]:
        """Record the entry sets printed while the block runs (the first pass)."""
        self._recording = []
        self._compared = []
        try:
            yield
        finally:
            recorded, self._recording = self._recording, None
            self._recorded = recorded

    def round(self) -> None:
        """Choose the printed value of every entry (see `rounding.py`) from the recorded sums."""
        printed = list(getattr(self, "_recorded", []))
        recorded = [ids for ids in printed if len(ids) > 1]
        alone = sorted({ids[0] for ids in printed if len(ids) == 1})
        for a, b in self.links:
            recorded += [tuple(e.id for e in a), tuple(e.id for e in b)]
        groups = [tuple(a.id for a in self.atoms), tuple(e.id for _, e in self.procurement_items)]
        aggs, index = dedupe(recorded + [g for g in groups if g])
        fixed = {index[tuple(sorted(g))]: half_up(sum(self._fen[i] for i in g), self.divisor) for g in groups if g}
        equal = [(index[tuple(sorted({e.id for e in a}))], index[tuple(sorted({e.id for e in b}))])
                 for a, b in self.links if a and b]
        units = {u: n for n, u in enumerate(sorted({a.unit for a in self.atoms}))}
        groups = [len(units)] * len(self._fen)          # side entries (procurement, tasks …) together
        for a in self.atoms:
            groups[a.id] = units[a.unit]
        compared = [ids for ids in self._compared if ids]
        result = controlled_round(RoundingProblem(self._fen, self.divisor, aggs, fixed, equal, groups, alone, compared))
        self._printed = result.values
        self.rounding_method = result.method
        self.rounding_seconds = result.seconds
        if result.deviation:
            why = ("这些金额不存在使每个印出的数都在精确值上下一分之内的舍入（各表的合计交叉牵制）" if result.impossible else
                   f"在 {result.seconds:.0f} 秒内未找到使每个印出的数都在精确值上下一分之内的舍入")
            self.rounding_note = (f"万元舍入：{why}，已取最好的方案：{result.beyond} 个印出的合计与精确值相差"
                                  f"{result.deviation + 1} 分以内，其余都在一分之内，各表仍然加总一致")


def percent_shares(parts: Sequence[int], whole: int) -> list[Decimal]:
    """Shares (in %, two decimals) of integer parts, largest remainder so they add to 100.00 exactly."""
    scaled = [p * 10000 for p in parts]            # hundredths of a percent × whole
    floors = [s // whole for s in scaled]
    target = half_up(sum(scaled), whole)
    missing = target - sum(floors)
    order = sorted(range(len(parts)), key=lambda k: (-(scaled[k] - floors[k] * whole), k))
    for k in order[:max(missing, 0)]:
        floors[k] += 1
    return [Decimal(f) * CENT for f in floors]


def _fen(amount: Decimal) -> int:
    return int(amount * 100)


def task_amount(task, label: str, whole: str | None) -> Decimal:
    """A task's amount in the column `label`: as typed; or, in a form whose only column is the whole
    (`whole`, the label of that column), the sum of the columns the task was typed in."""
    if label in task.amounts:
        return task.amounts[label]
    if label == whole:
        return sum(task.amounts.values(), Decimal(0))
    return Decimal(0)


def with_money(atoms: Iterable[Atom], words: str) -> list[Atom]:
    """The atoms whose money `words` name (`model.money_of`: “一般公共预算拨款”, “上年结转结余” …)."""
    keys = money_of(words)
    return [a for a in atoms if a.money in keys]


def _money(fund: Fund, carried_from: CarriedFrom | None) -> tuple[bool, Fund]:
    """(carried in?, whose money) of an input line: 上年结转结余 of a fiscal fund stays that fund's money."""
    if fund is Fund.carryover:
        fiscal = carried_from is not None and carried_from is not CarriedFrom.unit
        return True, Fund(carried_from.value) if fiscal else Fund.carryover
    return False, fund


def derive(budget: Budget, unit: str, catalog: Catalog | None = None,
           task_columns: Sequence[tuple[str, Callable[[Atom], bool]]] = (),
           three_public_funds: Iterable[Fund] = (Fund.general,), whole_task_column: str | None = None) -> Facts:
    """The atoms and side entries of a budget (exact, not yet rounded)."""
    catalog = catalog or load_catalog(budget.year)
    units = budget.organization.all_units()
    kinds = {u.code: u.kind for u in units}
    default_unit = budget.organization.home_unit().code   # a line without `unit` is the 本级's
    ptypes = {p.key: p.type for p in budget.projects}
    fen: list[int] = []

    def entry(amount: Decimal) -> Entry:
        fen.append(_fen(amount))
        return Entry(len(fen) - 1, fen[-1])

    groups: dict[tuple, list[int]] = {}
    for n, e in enumerate(budget.expenditures):
        u = e.unit or default_unit
        groups.setdefault((u, e.function, e.economic, e.kind, *_money(e.fund, e.carried_from), e.project), []).append(n)
    atoms: list[Atom] = []
    for (u, fn, econ, kind, carry_in, fund, project), lines in groups.items():
        amount = sum(_fen(budget.expenditures[n].amount) for n in lines)
        uk = kinds.get(u, UnitKind.admin)
        fen.append(amount)
        atoms.append(Atom(len(fen) - 1, amount, u, uk, fn, econ, catalog.gov_code_for(econ, uk.value) or "",
                          kind, fund, project, ptypes.get(project) if project else None, tuple(lines), carry_in))
    carry_groups: dict[tuple, list[int]] = {}
    for n, c in enumerate(budget.carry_forward):
        carry_groups.setdefault((c.unit or default_unit, *_money(c.fund, c.carried_from)), []).append(n)
    for (u, carry_in, fund), lines in carry_groups.items():
        amount = sum(_fen(budget.carry_forward[n].amount) for n in lines)
        fen.append(amount)
        atoms.append(Atom(len(fen) - 1, amount, u, kinds.get(u, UnitKind.admin), fund=fund, lines=tuple(lines),
                          carry_in=carry_in))

    procurement_items = [(p, entry(p.amount)) for p in budget.procurement or []]
    dept = budget.performance.department
    task_rows = [TaskRow(t, [entry(task_amount(t, label, whole_task_column)) for label, _ in task_columns])
                 for t in (dept.tasks if dept else [])]
    project_totals = {p.key: (entry(p.total_budget),) if p.total_budget_fiscal is None or p.total_budget_fiscal > p.total_budget
                      else (entry(p.total_budget_fiscal), entry(p.total_budget - p.total_budget_fiscal))
                      for p in budget.projects if p.total_budget is not None}
    history = [(h, {k: entry(getattr(h, k)) for k in ("fiscal", "other", "basic", "project", "carry_forward")})
               for h in (dept.history if dept else [])]
    py = budget.prior_year
    prior_budget = {key: entry(amount) for key, amount in (("approved", py.total.amount if py.total else None),
                    ("adjusted", py.adjusted), ("actual", py.actual), ("balance", py.balance)) if amount is not None}

    spending = [a for a in atoms if not a.carry]
    links: list[tuple[tuple[Entry, ...], tuple[Entry, ...]]] = []
    for h, cells in history:   # 收入合计 and 支出合计 of a past year are one figure
        links.append(((cells["fiscal"], cells["other"]), (cells["basic"], cells["project"], cells["carry_forward"])))
    for c, (_, pred) in enumerate(task_columns):   # a task column's total is the spending it stands for
        column = tuple(r.cells[c] for r in task_rows)
        target = tuple(a for a in spending if pred(a))
        if column and sum(e.fen for e in column) == sum(a.fen for a in target):
            links.append((column, target))
        # A task typed as exactly the column's 基本支出 or 项目支出 (保障运转 = 基本支出 …) is that figure:
        # it prints as the tables print it, not 0.01 apart.
        parts = [p for p in (tuple(a for a in target if not a.project), tuple(a for a in target if a.project)) if p]
        for cell in column:
            same = next((p for p in parts if cell.fen and cell.fen == sum(a.fen for a in p)), None)
            if same is not None:
                links.append(((cell,), same))
    if task_rows and task_columns:
        cells = tuple(e for r in task_rows for e in r.cells)
        if sum(e.fen for e in cells) == sum(a.fen for a in spending):
            links.append((cells, tuple(spending)))

    by_project: dict[str, list[Atom]] = defaultdict(list)
    for a in spending:
        if a.project:
            by_project[a.project].append(a)
    names: dict[str, dict[str, str]] = {"function": dict(budget.function_names), "economic": {}}
    for e in budget.expenditures:
        if e.function_name:
            names["function"].setdefault(e.function, e.function_name)
        if e.economic_name:
            names["economic"].setdefault(e.economic, e.economic_name)

    facts = Facts(budget, catalog, unit, atoms, procurement_items, list(task_columns), task_rows, project_totals,
                  history, prior_budget, links, three_public_funds=frozenset(three_public_funds), _fen=fen)
    facts._spending = spending
    facts._carried = [a for a in atoms if a.carry]
    facts._fiscal_carried_in = any(a.carry_in and a.fiscal for a in atoms)
    facts._by_project = dict(by_project)
    facts._projects = {p.key: p for p in budget.projects}
    facts._input_names = names
    return facts


__all__ = ["Facts", "Atom", "Entry", "Change", "derive", "percent_shares", "THREE_PUBLIC", "UNITS"]
