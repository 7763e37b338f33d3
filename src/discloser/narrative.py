"""The 说明 (explanatory narrative), written from the facts.

The province's Jinja2 templates only choose words and order; every figure, share and year-on-year
change they print comes from `NarrativeFacts`, which reads the same `Facts` as the tables: a figure
here is the same set of atoms, rounded the same way, as the table cell of the same concept. Templates
run in Jinja's sandbox with autoescape off (the output is plain text that the writers escape).

The profile lists the narrative's parts and sections in order (`narrative:`): an entry ending in
``.j2`` is a section template under ``templates/narrative/``; any other entry is a literal heading
line such as ``# {scope}概况``. Inside templates a line ``# 标题`` is a level-1 heading, ``##`` level
2, ``###`` level 3, ``####`` level 4; every other non-blank line is a paragraph. Headings are written
without numbers: “第一部分”, “一、”, “（一）”, “1.” come from the profile's `numbering`, so a profile
can drop or reorder sections and the numbers stay right. A heading with nothing under it is dropped
(a section whose facts were not given prints nothing, not an empty heading).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from decimal import Decimal
from typing import Iterable, Sequence

from jinja2 import StrictUndefined, TemplateRuntimeError
from jinja2.sandbox import SandboxedEnvironment

from .facts import Change, Entry, Facts
from .model import FISCAL_FUNDS, Fund, PriorFigure, UnitKind
from .profile import Phrases, Profile
from .resources import templates_dir
from .tables.common import cn_number, fill
from .tables.model import Section, Table
from .templating import BoundedSandbox, ConfinedLoader, template_errors


@dataclass(frozen=True)
class Figure:
    """A printed amount and the entries it sums (so a change or a share can be computed from 元)."""

    entries: tuple[Entry, ...]
    value: Decimal

    def __bool__(self) -> bool:
        """Whether there is any money, from 元: 0.06 元 prints 0.00 万元 but exists — a template's “无一般公共预算基本
        支出” under its truth test contradicted the “基本支出0.00万元，占0.12%” beside it (trialW-s30 D1)."""
        return self.value != 0 or any(e.fen for e in self.entries)


class Said(str):
    """A phrase with a reason in it: printing it (``{{ … }}`` in a template) records that the reason was
    stated, so a reason a template computes but never prints (Shanghai's 功能科目 lines) can be named."""

    def __new__(cls, text: str, on_print):
        obj = super().__new__(cls, text)
        obj.on_print = on_print
        return obj

    def __str__(self) -> str:
        self.on_print()
        return str.__str__(self)


@dataclass(frozen=True)
class Line:
    """One classified figure of the narrative: code, name, amount and its change phrase."""

    code: str
    name: str
    amount: Figure
    change: str
    share: str = ""

    @property
    def named(self) -> str:
        """“行政运行（2010301）”; a code no catalog or line names (one gone this year) as “科目2200104”."""
        return f"{self.name}（{self.code}）" if self.name and self.name != self.code else f"科目{self.code}"


class NarrativeFacts:
    """Figures and phrases for the narrative templates. Nothing here is typed by hand."""

    def __init__(self, facts: Facts, profile: Profile, tables: list[Table]):
        self.f = facts
        self.profile = profile
        self.unit = facts.unit_label
        self.org = facts.org
        self.scope = facts.scope
        self.year = facts.year
        self.assets = facts.assets
        self.notes = facts.notes
        self.special_transfer = facts.special_transfer
        self._tables = {t.key: t for t in tables}
        self.stated: list[Decimal] = []   # every Figure printed (see `Document.stated`)
        self.priors: set[str] = set()      # the prior-year figures asked for, as paths in prior_year (see `Rendered`)
        self.reasons: set[str] = set()     # the prior-year figures whose reason a phrase printed (see `Rendered`)
        self._labels: dict[str, dict[str, str]] = {}   # kind → code → the name the tables print (`_name`)

    # ------------------------------------------------------------ formatting
    def fig(self, entries: Iterable[Entry]) -> Figure:
        entries = tuple(entries)
        return Figure(entries, self.f.value(entries))

    def amt(self, value: Figure | Decimal) -> str:
        """A figure in the profile's unit: 元 as integers where whole (3488570), else two decimals."""
        if isinstance(value, Figure):
            self.stated.append(value.value)
        v = value.value if isinstance(value, Figure) else value
        if self.f.unit == "yuan" and v == v.to_integral_value():
            return f"{v.to_integral_value():f}"
        return f"{v:.2f}"

    def arranged(self, value: Figure) -> bool:
        """Whether a figure has any money at all, from 元 (one of 40 元 prints 0.00 万元 but is arranged): a
        template explains what an item is “主要用于” only then, and says “本年未安排” otherwise."""
        return bool(self.f.yuan(value.entries))

    def money(self, value: Figure | Decimal) -> str:
        return f"{self.amt(value)}{self.unit}"

    def shares(self, parts: Sequence[Figure], whole: Figure) -> list[str]:
        """Percent shares of a whole, from 元, that add up to 100.00% as printed — in words where two decimals
        would belie the amount beside them (`percent_words`)."""
        printed = self.f.shares([p.entries for p in parts], whole.entries)
        whole_yuan = self.f.yuan(whole.entries)
        return ["0.00%" if s is None else percent_words(s, self.f.yuan(p.entries), whole_yuan) for p, s in zip(parts, printed)]

    @staticmethod
    def occupies(share: str) -> str:
        """“占” and a share (`shares`): “占85.33%”; a share in words takes “占比” (“占比不足0.01%”, “占比超过99.99%”
        — “占不足0.01%” leaves “占” without its object)."""
        return f"占{share}" if share[:1].isdigit() else f"占比{share}"

    def share(self, part: Figure, whole: Figure) -> str:
        """One share of a whole, from 元, rounded half up."""
        return self.shares([part], whole)[0] if part.entries else "0.00%"

    def change(self, current: Figure, prior: PriorFigure | None, what: str = "", *, with_percent: bool = False,
               style: str = "compare") -> str:
        """The year-on-year phrase in the wording of `style` (a `phrases` entry of the profile): “较上年增加
        X 元，主要原因是……”, “增长 X 万元，增长 P%，主要原因：……” … The amount and percentage are computed
        from 元; no change prints the style's `same` (“与上年持平”); a percentage is never computed on a
        zero base; a change without a reason prints the amount only (the validator warns)."""
        ch = self.f.change(current.entries, prior)
        if not ch:
            return ""
        words = self.profile.phrases[style]
        text = phrase(ch, words, self.unit, self.amt, with_percent, self.year - 1)
        if words.reason and ch.reason and ch.direction in ("up", "down"):
            return Said(text, lambda: self._said(prior))
        return text

    def trend(self, current: Figure, prior: PriorFigure | None) -> Change | None:
        """The change itself (direction “up” / “down” / “same”, amount, percent, reason), for templates that
        write the reason in a sentence of its own (“财政拨款收入支出减少的主要原因是……”): its reason counts as
        printed when there is a change to give it for."""
        ch = self.f.change(current.entries, prior)
        if ch and ch.reason and ch.direction in ("up", "down"):
            self._said(prior)
        return ch

    def _said(self, prior: PriorFigure) -> None:
        """Record the path of the prior-year figure whose reason is printed (by identity: two figures may
        share a reason's words, a trial's 一般公共预算 reason was a part of 财政拨款's)."""
        from .rules import prior_figures

        self.reasons |= {".".join(path[1:]) for path, _, fig in prior_figures(self.f.prior_year) if fig is prior}

    @staticmethod
    def cn(number: int) -> str:
        return cn_number(number)

    # ------------------------------------------------------------ organisation
    @property
    def home_unit(self):
        """The department's own unit (本级/本部): `Organization.home_unit`, whatever the file's order."""
        return self.org.home_unit()

    @property
    def units(self):
        """The units as the 说明 lists them: the 本级 first (“由本级预算和N个所属单位预算组成”), then the others in
        code order, as the tables print them — one order with the tables whenever 本级 has the smallest code."""
        home = self.home_unit
        return [home] + [u for u in self.f.units if u.code != home.code]

    @property
    def vehicle_count(self) -> int | None:
        a = self.f.assets
        return sum(a.vehicles.values()) if a and a.vehicles is not None else None

    @property
    def equipment_threshold(self) -> str:
        """The value above which equipment is counted: the data file's, else the province's publication rule."""
        a = self.f.assets
        return a.equipment_threshold if a and a.equipment_threshold else self.profile.equipment_threshold

    @property
    def special_equipment_threshold(self) -> str:
        """The province's value above which 专用设备 are counted (Henan's “单位价值100万元以上专用”)."""
        return self.profile.special_equipment_threshold

    @property
    def division_count(self) -> int:
        return len(self.org.divisions)

    @property
    def division_word(self) -> str:
        """What the typed 内设机构 are, in one word true of all of them: 股室 when each is a 股 or a 室 and at
        least one a 股 (办公室、参保股…, the county unit of the Shaanxi reference), 科室 likewise for 科, else
        机构 (a 镇政府's 党政综合办公室、经济发展办公室… are not 股室; the sentence already says 内设)."""
        names = [d.strip() for d in self.org.divisions]
        for word, head in (("股室", "股"), ("科室", "科")):
            if names and all(d.endswith((head, "室")) for d in names) and any(d.endswith(head) for d in names):
                return word
        return "机构"

    @property
    def subordinate_count(self) -> int:
        """Budget units besides the department itself (本级)."""
        return max(len(self.units) - 1, 0)

    @property
    def staffing(self):
        return self.org.staffing

    @property
    def project_count(self) -> int:
        """Projects with spending this year."""
        return len(self.f.projects_with_spending())

    @property
    def projects_with_targets(self) -> int:
        return sum(1 for p in self.f.projects_with_spending() if p.performance)

    @property
    def department_targets(self) -> bool:
        """The department's own targets (部门整体支出绩效目标) are given."""
        return self.f.budget.performance.department is not None

    @property
    def targeted_projects(self) -> Figure:
        """This year's spending of the projects that have performance targets (“涉及项目预算资金”)."""
        return self.fig(a for p in self.f.projects_with_spending() if p.performance for a in self.f.project_atoms(p.key))

    @property
    def units_with_targets(self) -> int:
        """Budget units with at least one project that has performance targets."""
        return len({a.unit for p in self.f.projects_with_spending() if p.performance for a in self.f.project_atoms(p.key)})

    def projects_with_statement(self) -> list:
        """Projects with spending this year whose 项目经费情况说明 (`statement`) the input gives."""
        return [p for p in self.f.projects_with_spending() if p.statement]

    def project_amount(self, project) -> Figure:
        """A project's spending this year (the figure of its line items)."""
        return self.fig(self.f.project_atoms(project.key))

    @property
    def budgeted_units(self):
        """Units with spending or 结转 of their own; a unit without any (“不单列预算”) is merged into another."""
        with_atoms = {a.unit for a in self.f.atoms}
        return [u for u in self.units if u.code in with_atoms]

    # ------------------------------------------------------------ totals
    @property
    def revenue_total(self) -> Figure:
        """收入总计 (本年收入 + 上年结转结余)."""
        return self.fig(self.f.atoms)

    @property
    def revenue_this_year(self) -> Figure:
        """本年收入: every source but 上年结转结余."""
        return self.fig(a for a in self.f.atoms if not a.carry_in)

    @property
    def carry_in(self) -> Figure:
        """上年结转结余 (of every fund)."""
        return self.fig(a for a in self.f.atoms if a.carry_in)

    @property
    def expenditure_total(self) -> Figure:
        """支出总计 (本年支出 + 结转下年)."""
        return self.fig(self.f.atoms)

    @property
    def spending_total(self) -> Figure:
        """本年支出合计 (= 基本支出 + 项目支出)."""
        return self.fig(self.f.spending)

    @property
    def carry_forward(self) -> Figure:
        """结转下年."""
        return self.fig(self.f.carried)

    def revenue(self, source: str) -> Figure:
        """Revenue from one source, or several joined by “|” (their spending and 结转下年)."""
        return self.fig(self.f.revenue(source))

    @property
    def fiscal_revenue(self) -> Figure:
        """财政拨款收入: this year's three fiscal funds (their 上年结转 is `fiscal_carry_in`)."""
        return self.fig(a for a in self.f.atoms if a.fiscal and not a.carry_in)

    @property
    def fiscal_carry_in(self) -> Figure:
        """财政拨款上年结转: carried-in money of the three fiscal funds, spent or carried on."""
        return self.fig(a for a in self.f.atoms if a.fiscal and a.carry_in)

    @property
    def fiscal_carry_in_by_fund(self) -> list[tuple[str, Figure]]:
        """财政拨款上年结转 by whose money it was (“一般公共预算拨款”, figure), the funds with some only: so a
        reader sees why 政府性基金 spending can exceed its revenue this year."""
        from .model import FISCAL_FUNDS
        figures = ((f.value, self.fig(a for a in self.f.atoms if a.carry_in and a.fund is f)) for f in FISCAL_FUNDS)
        return [(name, fig) for name, fig in figures if fig]

    @property
    def fiscal_total(self) -> Figure:
        """财政拨款收支总计: 财政拨款收入 + 上年结转 = 财政拨款支出 + 结转下年."""
        return self.fig(a for a in self.f.atoms if a.fiscal)

    def spending(self, source: str) -> Figure:
        return self.fig(self.f.select(funds=[Fund(source)]))

    @property
    def fiscal_spending(self) -> Figure:
        return self.fig(self.f.fiscal())

    @property
    def fiscal_is_general(self) -> bool:
        """财政拨款 is 一般公共预算拨款 alone, spent in full (no other fund, no 结转下年): then one figure
        is both its revenue and its spending, as the Henan reference states it."""
        from .model import Fund
        return all(a.fund is Fund.general and not a.carry and not a.carry_in for a in self.f.atoms if a.fiscal)

    @property
    def fiscal_carry_forward(self) -> Figure:
        """结转下年 of 财政拨款 (财政拨款收入 = 财政拨款支出 + this)."""
        return self.fig(a for a in self.f.carried if a.fiscal)

    @property
    def general(self) -> Figure:
        """一般公共预算拨款支出."""
        return self.fig(self.f.general())

    @property
    def basic(self) -> Figure:
        """一般公共预算基本支出."""
        return self.fig(self.f.general(basic=True))

    @property
    def project(self) -> Figure:
        """一般公共预算项目支出."""
        return self.fig(self.f.general(basic=False))

    @property
    def personnel(self) -> Figure:
        from .model import ExpenseKind
        return self.fig(self.f.general(kinds=[ExpenseKind.personnel]))

    @property
    def public(self) -> Figure:
        """公用经费（一般公共预算基本支出中的公用经费）."""
        from .model import ExpenseKind
        return self.fig(self.f.general(kinds=[ExpenseKind.public]))

    @property
    def public_is_general(self) -> bool:
        """Whether 一般公共预算 pays all the 公用经费 (表3's 公用经费支出 合计): only then may a 说明 call the
        一般公共预算 figure plain “公用经费” — a trial's fund-paid unit read “公用经费预算安排0元” beside 表3's
        89,000.00. Read from the atoms, not a printed figure (nothing to round)."""
        from .model import ExpenseKind
        return all(a.fund is Fund.general or not a.fen for a in self.f.select(kinds=[ExpenseKind.public]))

    @property
    def basic_all(self) -> Figure:
        """基本支出, every fund."""
        return self.fig(self.f.select(basic=True))

    @property
    def project_all(self) -> Figure:
        """项目支出, every fund."""
        return self.fig(self.f.select(basic=False))

    def classes_of(self, kind: str) -> str:
        """The 部门经济分类 类 that 一般公共预算 人员经费 or 公用经费 (`kind`) consists of, in words and code
        order (“工资福利支出、对个人和家庭的补助”): only those it has."""
        from .model import ExpenseKind
        atoms = self.f.general(kinds=[ExpenseKind(kind)])
        codes = sorted({a.economic[:3] for a in atoms if a.fen})
        return "、".join(self.f.economic_name(c) or c for c in codes)

    def basic_by_class(self) -> list[Line]:
        """基本支出 (every fund) by 部门经济分类 类, in code order: 工资福利支出, 商品和服务支出 … (湖北)."""
        by = self.f.by(self.f.select(basic=True), lambda a: a.economic[:3])
        return [Line(c, self.f.economic_name(c) or c, self.fig(atoms), "") for c, atoms in sorted(by.items())]

    def spending_structure(self) -> dict[str, Figure]:
        from .model import ExpenseKind
        return {"人员经费": self.fig(self.f.select(kinds=[ExpenseKind.personnel])),
                "公用经费": self.fig(self.f.select(kinds=[ExpenseKind.public]))}

    @property
    def running_costs(self) -> Figure:
        """机关运行经费: 行政单位和参公事业单位由一般公共预算拨款安排的公用经费."""
        return self.fig(self.f.running_costs())

    def running_cost_items(self) -> list[tuple[str, Figure]]:
        """机关运行经费 itemized by 部门经济分类 款, in code order (its items add up to the total)."""
        by = self.f.by(self.f.running_costs(), lambda a: a.economic)
        return [(self.f.economic_name(c) or c, self.fig(atoms)) for c, atoms in sorted(by.items())]

    def running_cost_names(self) -> list[str]:
        """The 部门经济分类 款 that 机关运行经费 holds money in, by name in code order: what a 说明 may say it is
        used for (a fixed “办公费、印刷费……会议费、培训费、公务用车运行维护费等” named items a trial's
        department did not have). Names only, no figures (nothing is printed to round); unnamed codes left out."""
        codes = sorted({a.economic for a in self.f.running_costs() if a.fen})
        return [name for name in (self.f.economic_name(c) for c in codes) if name]

    @property
    def running_cost_units(self) -> dict[str, int]:
        """The units whose money 机关运行经费 holds, counted by kind (行政单位, 参照公务员法管理事业单位, 事业单位;
        kinds with none left out): a unit counts when the unit its lines are in — its own, or the 本部 it is
        merged into when it has none (“不单列预算，并入本部”) — is a 行政 or 参公 unit. So a 事业单位 with a
        budget of its own is never counted (its 公用经费 is no 机关运行经费: a trial's “1家机关……和6家事业单位”),
        and one merged into an administrative 本部 is (the Putuo reference's “1家机关和1家事业单位”)."""
        budgeted = {u.code for u in self.budgeted_units}
        home = self.home_unit
        counts: dict[str, int] = {}
        for u in self.units:
            booked = u if u.code in budgeted else home
            if booked.kind is not UnitKind.institution:
                counts[u.kind.value] = counts.get(u.kind.value, 0) + 1
        return {k.value: counts[k.value] for k in UnitKind if k.value in counts}

    @property
    def has_institutions(self) -> bool:
        return any(u.kind is UnitKind.institution for u in self.units)

    @property
    def has_admin_units(self) -> bool:
        """A 行政单位 or 参公 unit in the package: the units 机关运行经费 can belong to. Without one, “只属于行政
        单位和参公单位” explains a 机关运行经费 of 0; with one, only the fund does (a trial's 参公 unit paid its
        公用经费 from 政府性基金 and read that it had no 机关运行经费 because of its kind)."""
        return any(u.kind is not UnitKind.institution for u in self.units)

    @property
    def why_no_running_costs(self) -> str:
        """The bracketed reason after “无机关运行经费预算”, the one true of the package (`has_admin_units`) —
        one wording for every profile that states a 机关运行经费 of nothing."""
        if self.has_admin_units:
            return ("（机关运行经费是行政单位和参照公务员法管理的事业单位用一般公共预算拨款安排的公用经费，"
                    f"本{self.scope}未安排此类经费）")
        return "（机关运行经费只属于行政单位和参照公务员法管理的事业单位）"

    @property
    def three_public_scope(self) -> str:
        """The funds 三公经费 are counted from, as a sentence names them: 一般公共预算 or 财政拨款 (the facts'
        `three_public_money`, which the tables' reasons print, without each fund's 拨款)."""
        money = self.f.three_public_money
        return money if money == "财政拨款" else "、".join(w.removesuffix("拨款") for w in money.split("、"))

    def paid_beyond_scope(self, name: str) -> bool:
        """Does the package pay `name` (培训费, 会议费 …) from 财政拨款 the 三公 figures do not count (a unit's 培训费
        from 政府性基金, when they count 一般公共预算)? Then a sentence under “…财政拨款预算情况” names its scope:
        “培训费0.00万元” read as no 财政拨款 培训费 beside a 30216 of 5.68 in the package's own tables (trialF-s28 O1)."""
        from .facts import THREE_PUBLIC
        funds = self.f.three_public_funds
        return any(a.fiscal and a.fund not in funds and a.economic in THREE_PUBLIC[name] and a.fen for a in self.f.spending)

    @property
    def three_public(self) -> dict[str, Figure]:
        from .facts import THREE_PUBLIC
        return {name: self.fig(self.f.three_public(name)) for name in THREE_PUBLIC}

    def revenue_breakdown(self) -> list[tuple[str, Figure]]:
        """本年收入 by non-zero source, in the standard order (上年结转结余 is reported on its own)."""
        out = []
        for f in Fund:
            if f is Fund.carryover:
                continue
            fig = self.revenue(f.value)
            if fig.entries and any(e.fen for e in fig.entries):
                out.append((f.value.removesuffix("拨款") if f is Fund.general else f.value, fig))
        return out

    def other_spending_breakdown(self) -> list[tuple[str, Figure]]:
        """本年支出 from the non-fiscal sources, by source with money (上年结转的单位资金 last): with the three
        fiscal funds they make up the whole — a trial's 说明 listed only the fiscal ones under “其中”."""
        out = []
        for f in Fund:
            fig = self.spending(f.value)
            if f not in FISCAL_FUNDS and any(e.fen for e in fig.entries):
                out.append(("单位资金上年结转" if f is Fund.carryover else f.value, fig))
        return out

    def prior(self, key: str) -> PriorFigure | None:
        """Prior-year figure: total / fiscal / general, or an item (三公经费, 培训费, 公用经费 …)."""
        py = self.f.prior_year
        self.priors.add(prior_path(key))
        return getattr(py, key, None) if key in WHOLE_PRIORS else py.items.get(key)

    # ------------------------------------------------------------ breakdowns
    def function_name(self, code: str) -> str:
        """The 功能分类 name of a 类, 款 or 项 code (for “类-款-项” paths)."""
        return self.f.function_name(code) or code

    def function_lines(self, fiscal: bool = False) -> list[Line]:
        """一般公共预算支出 (or, with `fiscal`, 财政拨款支出) by 功能分类 项, with each line's change
        (the prior-year figures are those of 一般公共预算)."""
        return self._classified(self.f.fiscal() if fiscal else self.f.general(), "function")

    def function_classes(self, named_as: str | None = None) -> list[Line]:
        """一般公共预算支出 by 功能分类 类 with its share, each 类 named by the catalog, or as the table `named_as`
        (a table key) labels it where it does — so a sentence and its table give one class one name."""
        by = self.f.by(self.f.general(), lambda a: a.function[:3])
        codes = sorted(by)
        figs = [self.fig(by[c]) for c in codes]
        shares = self.shares(figs, self.general)
        labels = self.profile.class_labels("function", named_as) if named_as else {}
        return [Line(c, labels.get(c) or self.f.function_name(c) or c, fig, "", s) for c, fig, s in zip(codes, figs, shares)]

    def economic_dept_lines(self) -> list[Line]:
        return self._classified(self.f.general(), "economic_dept")

    def economic_gov_lines(self) -> list[Line]:
        """一般公共预算支出 by 政府经济分类 类 — each atom by its unit's kind (事业单位 → 505/506)."""
        return self._classified(self.f.general(), "economic_gov")

    def _classified(self, atoms, kind: str) -> list[Line]:
        """Lines by code of `kind` (function 项 / economic_dept 类 / economic_gov 类), each with its change. A
        code the prior-year figures of that kind leave out while they give others had nothing last year: its
        change is the profile's `new` wording (“上年未安排”), so the listed changes add up to the total's."""
        by = self.f.by(atoms, _CODE_OF[kind])
        typed = getattr(self.f.prior_year, kind)
        words = self.profile.phrases["compare"]
        out = []
        for c, group in sorted(by.items()):
            fig = self.fig(group)
            self.priors.add(f"{kind}.{c}")
            prior = typed.get(c)
            change = words.new if prior is None and typed and fig else self.change(fig, prior)
            out.append(Line(c, self._name(kind, c), fig, change))
        return out

    def _name(self, kind: str, code: str) -> str:
        """A code's name as the package's tables print it (`Profile.class_labels`), else the catalog's."""
        if kind not in self._labels:
            self._labels[kind] = self.profile.class_labels(kind)
        return self._labels[kind].get(code) or _NAME_OF[kind](self.f, code) or code

    def vanished(self, kind: str = "function") -> list[Line]:
        """Codes of `kind` with a prior-year figure but no 一般公共预算 spending this year (“……本年未安排，较上年
        减少 X”): without them a 说明 that lists the changes code by code would not add up to the total's
        change. Each line's amount is nothing (the template prints only its change)."""
        present = {_CODE_OF[kind](a) for a in self.f.general()}
        none = Figure((), Decimal(0))
        out = []
        for c, prior in sorted(getattr(self.f.prior_year, kind).items()):
            if c in present or prior.amount == 0:
                continue
            self.priors.add(f"{kind}.{c}")
            out.append(Line(c, self._name(kind, c), none, self.change(none, prior)))
        return out

    def procurement(self) -> dict[str, Figure]:
        items = self.f.procurement_items
        out = {cat: self.fig(e for p, e in items if p.category.value == cat) for cat in ("货物", "工程", "服务")}
        out["合计"] = self.fig(e for _, e in items)
        return out

    def published(self, key: str) -> bool:
        """Is there a table `key` in this package? A profile may drop one (customizing.md): “并已公开空表”, “见表N” only
        of a table that is."""
        return key in self._tables

    def empty(self, key: str) -> bool:
        """Is the table `key` published empty? A key the package has no table for is the template's mistake, said at its
        line: read as empty, a misspelt “gov_fnd” or a dropped 政府采购表 printed “无……，并已公开空表” beside the money
        the file has (trialZ-s29 D3). Where a profile may drop the table, ask `published` first."""
        t = self._tables.get(key)
        if t is None:
            raise TemplateRuntimeError(f"n.empty(\"{key}\")：本包没有键为“{key}”的表（有：{'、'.join(self._tables)}）；"
                                       f"版式可能去掉的表先用 n.published(\"{key}\") 判断")
        return t.empty

    def empty_tables(self) -> list[tuple[str, str]]:
        """(caption, reason) of every table published empty, in package order (one entry per table key)."""
        return [(t.caption, t.empty_reason) for t in self._tables.values() if t.empty]

    def number(self, key: str) -> str:
        """The number a table is published under (表2), for “见表2”; empty when the profile has no such table."""
        t = self._tables.get(key)
        return t.number if t else ""

    @property
    def glossary(self) -> list[list[str]]:
        return self.profile.glossary


def percent_words(printed: Decimal, part: Decimal, whole: Decimal) -> str:
    """A share as the 说明 prints it: two decimals (“占85.33%”), except where they would contradict the amounts
    printed beside them — a part that is not nothing never reads 0.00% but “不足0.01%” (a trial's 机关运行经费
    62.31 万元 “占预算总额的0.00%”), a part short of the whole never 100.00% but “超过99.99%”. The words are true
    of the exact share: a part apportioned 0.00 is below 0.01%, one apportioned 100.00 is at least 99.99%."""
    if printed == 0 and part:
        return "不足0.01%"
    if printed == 100 and part != whole:
        return "超过99.99%" if part * 10000 > whole * 9999 else "99.99%"
    return f"{printed:.2f}%"


def phrase(ch: Change, words: Phrases, unit: str, amt, with_percent: bool, prior_year: int | None = None) -> str:
    """A change in words: “较上年增加 X 万元，增长 P%，主要原因是……”; a wording may name the prior
    year as {year} (“比{year}年预算减少{amount}”)."""
    year = str(prior_year) if prior_year is not None else ""
    if ch.direction == "same":
        return words.same.replace("{year}", year)
    if ch.direction == "nearly":
        return (words.nearly or words.same.replace("持平", "基本持平")).replace("{year}", year)
    text = getattr(words, ch.direction).replace("{amount}", f"{amt(ch.amount)}{unit}").replace("{year}", year)
    if with_percent and ch.percent is not None:
        percent = "不足0.01%" if ch.percent == 0 else f"{ch.percent:.2f}%"   # a change is never “增长0.00%”
        text += getattr(words, f"{ch.direction}_percent").replace("{percent}", percent)
    if ch.reason:
        text += words.reason.replace("{reason}", ch.reason.rstrip("。；;，,"))
    return text


_DOUBLED = re.compile(r"([。；，、：])[。；，、]+")


def tidy(line: str) -> str:
    """No doubled or mixed punctuation (a reason ending in “。” before the template's “。”)."""
    return _DOUBLED.sub(r"\1", line)


def _parse(text: str, profile: Profile) -> list[Section]:
    """Split rendered text into headed sections, numbering headings per the profile; a heading with
    nothing under it (no paragraph, no deeper heading with content) is dropped."""
    raw: list[tuple[int, str]] = []   # (level, text); level 0: paragraph
    for line, may_head in _lines(text):
        line = line.strip()
        if not line:
            continue
        if may_head and line.startswith("#"):
            raw.append((min(len(line) - len(line.lstrip("#")), 4), line.lstrip("#").strip()))
        else:
            raw.append((0, tidy(line)))
    keep = [not level or any(raw[k][0] == 0 for k in range(i + 1, _next_same_or_higher(raw, i)))
            for i, (level, _) in enumerate(raw)]
    fmt = profile.numbering
    counters = [0, 0, 0, 0, 0]
    sections: list[Section] = []
    for (level, line), kept in zip(raw, keep):
        if level == 0:
            if sections:
                sections[-1].paragraphs.append(line)
            else:
                sections.append(Section("", 0, [line]))
            continue
        if not kept:
            continue
        counters[level] += 1
        for deeper in range(level + 1, 5):
            if not (deeper == 2 and level == 1 and not profile.restart_sections_per_part):
                counters[deeper] = 0
        pattern = fmt.get(level, "")
        prefix = pattern.format(cn=cn_number(counters[level]), n=counters[level]) if pattern else ""
        sections.append(Section(prefix + line, level))
    return sections


def _next_same_or_higher(raw: list[tuple[int, str]], i: int) -> int:
    level = raw[i][0]
    for k in range(i + 1, len(raw)):
        if raw[k][0] and raw[k][0] <= level:
            return k
    return len(raw)


def environment(profile: Profile | None = None) -> SandboxedEnvironment:
    """Sandboxed: a province's own section templates can read the facts but not reach Python. (Not the
    immutable sandbox: the shipped templates build their own lists with ``append``.)"""
    folders = [str(templates_dir() / "narrative")]
    own = profile.template_override("narrative") if profile else None
    if own:
        folders.insert(0, str(own))
    return _environment(tuple(folders))


@lru_cache(maxsize=32)
def _environment(folders: tuple[str, ...]) -> SandboxedEnvironment:
    """One environment per template search path, so each template is compiled once, not on every build
    (compiling was four fifths of a build's time). Jinja checks each template file's time stamp before
    using its compiled form (auto_reload), so a clerk's edited template is read again (the preview). The
    loader reads only files that, symlinks resolved, lie inside their folder (`templating.ConfinedLoader`)."""
    return BoundedSandbox(loader=ConfinedLoader(list(folders)), autoescape=False, undefined=StrictUndefined,
                                trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=False, auto_reload=True,
                                finalize=_mark)


# What a template prints through {{ … }} (the data's texts, figures) is marked, so that a text typed as
# “# 标题” or with line breaks can never become a heading of the 说明: only the template's own text can.
TEXT_START, TEXT_END = "\x02", "\x03"


def _mark(value) -> str:
    text = str(value).replace(TEXT_START, "").replace(TEXT_END, "")
    return f"{TEXT_START}{text}{TEXT_END}"


def _lines(text: str) -> Iterable[tuple[str, bool]]:
    """The lines of marked text without their marks, each with whether it may be a heading: its first
    visible character is the template's own (outside every printed value)."""
    inside = False
    for line in text.splitlines():
        may_head, seen = False, False
        for ch in line:
            if ch == TEXT_START:
                inside = True
            elif ch == TEXT_END:
                inside = False
            elif not seen and not ch.isspace():
                seen, may_head = True, not inside
        yield line.replace(TEXT_START, "").replace(TEXT_END, ""), may_head


WHOLE_PRIORS = ("total", "fiscal", "general")


def prior_path(key: str) -> str:
    """`NarrativeFacts.prior`'s key as a path in prior_year: total / fiscal / general, else items.<key>."""
    return key if key in WHOLE_PRIORS else f"items.{key}"


_LINES = {"function_lines": "function", "economic_dept_lines": "economic_dept", "economic_gov_lines": "economic_gov"}
_CODE_OF = {"function": lambda a: a.function, "economic_dept": lambda a: a.economic[:3],
            "economic_gov": lambda a: a.gov_economic[:3]}
_NAME_OF = {"function": Facts.function_name, "economic_dept": Facts.economic_name, "economic_gov": Facts.gov_economic_name}


def prior_keys(profile: Profile) -> frozenset[str]:
    """The prior-year figures the profile's 说明 can state a change of, read from its templates' source
    (rendering would cost a build): ``n.prior("三公经费")`` → items.三公经费 (total / fiscal / general as they
    are), the 功能/经济科目 lines → function.* / economic_dept.* / economic_gov.*, the codes gone this year
    (``n.vanished("function")``) → function.gone …. So a missing reason is asked
    only where the 说明 would print the change (`rules.prior_reason`); what a build printed is `Rendered.priors`."""
    env = environment(profile)
    names = [e.section for e in profile.narrative_entries() if e.section.endswith(".j2")]
    return _prior_keys(env, tuple(names))


@lru_cache(maxsize=64)
def _trees(env: SandboxedEnvironment, names: tuple[str, ...]) -> tuple:
    """The parsed source of the profile's section templates and of every template they include or import."""
    from jinja2 import TemplateNotFound, nodes

    trees, todo, seen = [], list(names), set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            tree = env.parse(env.loader.get_source(env, name)[0])
        except TemplateNotFound:
            continue
        trees.append(tree)
        todo += [t.template.value for t in tree.find_all((nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends))
                 if isinstance(t.template, nodes.Const)]
    return tuple(trees)


@lru_cache(maxsize=64)
def _prior_keys(env: SandboxedEnvironment, names: tuple[str, ...]) -> frozenset[str]:
    from jinja2 import nodes

    keys: set[str] = set()
    for tree in _trees(env, names):
        for call in tree.find_all(nodes.Call):
            if isinstance(call.node, nodes.Getattr) and call.node.attr == "prior" and call.args \
                    and isinstance(call.args[0], nodes.Const):
                keys.add(prior_path(call.args[0].value))
        keys |= {f"{_LINES[g.attr]}.*" for g in tree.find_all(nodes.Getattr) if g.attr in _LINES}
        for call in tree.find_all(nodes.Call):   # n.vanished("function"): the codes gone this year are stated too
            if isinstance(call.node, nodes.Getattr) and call.node.attr == "vanished":
                kind = call.args[0].value if call.args and isinstance(call.args[0], nodes.Const) else "function"
                keys.add(f"{kind}.gone")
    return frozenset(keys)


# Typed facts that only the 说明 prints (no table has a cell for them): a profile whose templates never read
# one drops it, and `rules.facts_unused` names it. A model-typed one (assets) is read field by field.
NARRATIVE_ONLY = ("assets", "special_transfer", "notes")
# NarrativeFacts properties that read such a fact for the template
_READS_FACT = {"vehicle_count": "assets.vehicles", "equipment_threshold": "assets.equipment_threshold"}


# Typed facts of the organization that only some profiles print — the staffing and 年度工作任务 (陕西 and 湖北's 说明,
# 甘肃 and 江西's forms), the 基本情况 of the department performance forms (甘肃, 江西): typed for another, they
# would vanish from the package without a word (trialH-s28 D4).
SOME_PROFILES_PRINT = ("organization.staffing", "organization.tasks", "organization.contact", "organization.mandate_basis",
                       "organization.mandate_changed", "organization.mandate_change", "organization.functions_summary",
                       "organization.top_level", "organization.sector", "organization.management_systems")


def prints_fact(profile: Profile, path: str, forms: bool = True) -> bool:
    """Does a package of this profile print `path`: a 说明 section that reads it (its `needs`) or — `forms`, the file
    has the department's targets those forms are filled from — a cell of a department performance form?"""
    from .tables.declaration import form_facts

    printed = {p for e in profile.narrative_entries() for p in e.needs} | (form_facts(profile) if forms else set())
    return any(p == path or p.startswith(path + ".") for p in printed)


def fact_keys(profile: Profile) -> frozenset[str]:
    """The `NARRATIVE_ONLY` facts the profile's 说明 reads, as paths (assets.planned_vehicles, special_transfer),
    from its templates' source as `prior_keys` does: ``n.assets.equipment``, ``n.special_transfer``, a field of an
    alias (``{% set a = n.assets %}`` … ``a.planned_vehicles``) and the properties that read one (`n.vehicle_count`)."""
    env = environment(profile)
    names = [e.section for e in profile.narrative_entries() if e.section.endswith(".j2")]
    return _fact_keys(env, tuple(names))


@lru_cache(maxsize=64)
def _fact_keys(env: SandboxedEnvironment, names: tuple[str, ...]) -> frozenset[str]:
    from jinja2 import nodes

    def fact(node) -> str | None:
        """The fact a `n.<fact>` expression names."""
        if isinstance(node, nodes.Getattr) and isinstance(node.node, nodes.Name) and node.node.name == "n" \
                and node.attr in NARRATIVE_ONLY:
            return node.attr
        return None

    keys: set[str] = set()
    for tree in _trees(env, names):
        aliases = {a.target.name: fact(a.node) for a in tree.find_all(nodes.Assign)
                   if isinstance(a.target, nodes.Name) and fact(a.node)}
        for g in tree.find_all(nodes.Getattr):
            if fact(g):
                keys.add(fact(g))
            if isinstance(g.node, nodes.Name) and g.node.name == "n" and g.attr in _READS_FACT:
                keys.add(_READS_FACT[g.attr])
            owner = fact(g.node) or (aliases.get(g.node.name) if isinstance(g.node, nodes.Name) else None)
            if owner and owner != "notes":
                keys.add(f"{owner}.{g.attr}")
        # notes are read by key: n.notes.get("performance") / n.notes["performance"]; by a computed key
        # (Shanghai's n.notes.get(l.code)) any of them → notes.*
        for call in tree.find_all(nodes.Call):
            if isinstance(call.node, nodes.Getattr) and call.node.attr == "get" and fact(call.node.node) == "notes" and call.args:
                keys.add(f"notes.{call.args[0].value}" if isinstance(call.args[0], nodes.Const) else "notes.*")
        for item in tree.find_all(nodes.Getitem):
            if fact(item.node) == "notes":
                keys.add(f"notes.{item.arg.value}" if isinstance(item.arg, nodes.Const) else "notes.*")
    return frozenset(keys)


@dataclass(frozen=True)
class Rendered:
    """The 说明's sections, every figure they print as a `Figure` (a sum of entries under the one
    rounding, hence a figure of the package even where no table row prints it), the prior-year
    figures the templates asked for (so a typed one no section uses can be named) and those whose reason
    they printed (so a reason left out can be named)."""

    sections: list[Section]
    stated: list[Decimal]
    priors: frozenset[str]
    reasons: frozenset[str] = frozenset()


def _render_marked(facts: Facts, profile: Profile, tables: list[Table]) -> tuple[str, NarrativeFacts]:
    n = NarrativeFacts(facts, profile, tables)
    env = environment(profile)
    parts = []
    for entry in profile.narrative_entries():
        if not all(facts.given(path) for path in entry.needs):
            continue   # an optional section without its facts (a required one fails validation first)
        if entry.section.endswith(".j2"):
            with template_errors(env.loader.searchpath, entry.section):   # a template's mistake, located in it
                parts.append(env.get_template(entry.section).render(n=n))
        else:
            parts.append(fill(entry.section, facts))
    return "\n".join(parts), n


def render_narrative(facts: Facts, profile: Profile, tables: list[Table]) -> Rendered:
    text, n = _render_marked(facts, profile, tables)
    return Rendered(_parse(text, profile), n.stated, frozenset(n.priors), frozenset(n.reasons))


__all__ = ["render_narrative", "Rendered", "NarrativeFacts", "Figure", "phrase", "percent_words", "tidy"]
