"""The 说明 (explanatory narrative), written from the data.

The province's Jinja2 template only chooses words and order; every figure, share and
year-on-year change it prints comes from `NarrativeFacts`, which reads the same `Facts` as the
tables. Templates run in Jinja's sandbox with autoescape off (the output is plain text that
the writers escape for their own format).

The profile lists the narrative's parts and sections in order (`narrative:`): an entry ending
in ``.j2`` is a section template under ``templates/narrative/``; any other entry is a literal
heading line such as ``# {scope}概况``. Inside templates a line ``# 标题`` is a level-1 heading,
``##`` level 2, ``###`` level 3, ``####`` level 4; every other non-blank line is a paragraph.
Headings are written without numbers: “第一部分”, “一、”, “（一）”, “1.” are added from the
profile's `numbering`, so a profile can drop or reorder sections and the numbers stay right.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from jinja2 import FileSystemLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from .facts import Facts
from .model import FISCAL_FUNDS, ExpenseKind, Fund, PriorFigure
from .money import ZERO, apportion, fmt_plain, round_half_up, unit_label
from .profile import Profile
from .resources import templates_dir
from .tables.model import Section, Table


@dataclass(frozen=True)
class Line:
    """One classified figure of the narrative: code, name, amount and its change sentence."""

    code: str
    name: str
    amount: Decimal
    change: str
    share: str = ""


class NarrativeFacts:
    """Figures and phrases for the narrative template. Nothing here is typed by hand."""

    def __init__(self, facts: Facts, profile: Profile, tables: list[Table]):
        self.f = facts
        self.b = facts.budget
        self.profile = profile
        self.unit = unit_label(facts.unit)
        self.org = self.b.organization
        self.scope = self.b.scope
        self.year = self.b.year
        self._tables = {t.key: t for t in tables}
        self.missing_reasons: list[str] = []

    # ------------------------------------------------------------ formatting
    def amt(self, value: Decimal) -> str:
        """A figure in the profile's unit: 元 as integers where whole (3488570), 万元 with 2 decimals."""
        if self.f.unit == "yuan":
            return fmt_plain(value)
        return f"{round_half_up(value):.2f}"

    def money(self, value: Decimal) -> str:
        return f"{self.amt(value)}{self.unit}"

    def shares(self, parts: list[Decimal], whole: Decimal) -> list[str]:
        """Percent shares that add up to 100.00% as printed (largest remainder)."""
        if not whole:
            return ["0.00%" for _ in parts]
        pct = apportion([p * 100 for p in parts], whole)
        return [f"{p:.2f}%" for p in pct]

    def change(self, current: Decimal, prior: PriorFigure | None, what: str = "", *, with_percent: bool = False,
               style: str = "compare") -> str:
        """The year-on-year phrase, from the prior-year figure and its reason, in the wording of
        `style` (a `phrases` entry of the profile: “较上年增加 X 元，主要原因是……”, “增长 X 万元，增长 P%，
        主要原因：……” …). No change prints the style's `same` (“与上年持平”); a percentage is never
        computed on a zero base; a missing reason is recorded for the validator, never invented."""
        if prior is None:
            return ""
        words = self.profile.phrases[style]
        before = self.f.convert(prior.amount)
        diff = current - before
        if diff == 0:
            return words["same"]
        key = "up" if diff > 0 else "down"
        text = words[key].format(amount=f"{self.amt(abs(diff))}{self.unit}")
        if with_percent and before > 0:
            text += words[f"{key}_percent"].format(percent=f"{round_half_up(abs(diff) * 100 / before):.2f}%")
        if prior.reason:
            text += words["reason"].format(reason=prior.reason)
        else:
            self.missing_reasons.append(what or "上年比较")
        return text

    @property
    def vehicle_count(self) -> int:
        return sum(self.b.assets.vehicles.values())

    @property
    def division_count(self) -> int:
        return len(self.org.divisions)

    @property
    def subordinate_count(self) -> int:
        """Budget units besides the department itself (本级)."""
        return max(len(self.units) - 1, 0)

    @staticmethod
    def cn(number: int) -> str:
        from .tables.builders import cn_number

        return cn_number(number)

    @property
    def units(self):
        return self.org.all_units()

    def revenue_breakdown(self) -> list[tuple[str, Decimal]]:
        """Non-zero revenue sources, in the standard order."""
        return [(f.value.removesuffix("拨款") if f is Fund.general else f.value, self.f.revenue_total([f]))
                for f in Fund if self.f.revenue_total([f])]

    def share(self, part: Decimal, whole: Decimal) -> str:
        return f"{round_half_up(part * 100 / whole):.2f}%" if whole else "0.00%"

    def spending_structure(self) -> dict[str, Decimal]:
        items = self.f.items
        return {"人员经费": self.f.sum(i for i in items if i.kind is ExpenseKind.personnel),
                "公用经费": self.f.sum(i for i in items if i.kind is ExpenseKind.public)}

    def running_cost_items(self) -> list[tuple[str, Decimal]]:
        """机关运行经费 itemized by 部门经济分类 款, in code order (its items add up to the total)."""
        kinds = {u.code: u.kind for u in self.org.all_units()}
        from .model import UnitKind
        admin = {UnitKind.admin, UnitKind.civil_servant_managed}
        items = [i for i in self.f.fiscal(kind=ExpenseKind.public) if kinds.get(i.unit, UnitKind.admin) in admin]
        by = self.f.by(items, lambda i: i.economic)
        cat = self.f.catalog
        return [(cat.economic_dept_name(c) or c, a) for c, a in sorted(by.items())]

    @property
    def basic_all(self) -> Decimal:
        return self.f.sum(i for i in self.f.items if i.basic)

    @property
    def project_all(self) -> Decimal:
        return self.f.sum(i for i in self.f.items if not i.basic)

    # ------------------------------------------------------------ totals
    @property
    def revenue_total(self) -> Decimal:
        return self.f.revenue_total()

    @property
    def expenditure_total(self) -> Decimal:
        return self.f.expenditure_total()

    def revenue(self, source: str) -> Decimal:
        return self.f.revenue_total([Fund(source)])

    @property
    def fiscal_revenue(self) -> Decimal:
        return self.f.revenue_total(FISCAL_FUNDS)

    def spending(self, source: str) -> Decimal:
        return self.f.sum(self.f.select(funds=[Fund(source)]))

    @property
    def fiscal_spending(self) -> Decimal:
        return self.f.sum(self.f.fiscal())

    @property
    def general(self) -> Decimal:
        return self.f.sum(self.f.general())

    @property
    def basic(self) -> Decimal:
        return self.f.sum(self.f.general(basic_only=True))

    @property
    def project(self) -> Decimal:
        return self.f.sum(self.f.general(kind=ExpenseKind.project))

    @property
    def personnel(self) -> Decimal:
        return self.f.sum(self.f.general(kind=ExpenseKind.personnel))

    @property
    def public(self) -> Decimal:
        return self.f.public_funds()

    @property
    def running_costs(self) -> Decimal:
        return self.f.running_costs()

    @property
    def three_public(self) -> dict[str, Decimal]:
        return self.f.three_public()

    def prior(self, key: str) -> PriorFigure | None:
        """Prior-year figure: total / fiscal / general, or an item (三公经费, 培训费, 公用经费 …)."""
        py = self.b.prior_year
        return getattr(py, key, None) if key in ("total", "fiscal", "general") else py.items.get(key)

    # ------------------------------------------------------------ breakdowns
    def function_lines(self) -> list[Line]:
        """一般公共预算支出 by 功能分类 项, with each line's change."""
        by = self.f.by(self.f.general(), lambda i: i.function)
        cat = self.f.catalog
        return [Line(c, cat.function_name(c) or c, a,
                     self.change(a, self.b.prior_year.function.get(c), f"功能科目 {c}"))
                for c, a in sorted(by.items())]

    def function_classes(self) -> list[Line]:
        by = self.f.by(self.f.general(), lambda i: i.function[:3])
        total = sum(by.values(), ZERO)
        codes = sorted(by)
        shares = self.shares([by[c] for c in codes], total)
        return [Line(c, self.f.catalog.function_name(c) or c, by[c], "", s) for c, s in zip(codes, shares)]

    def economic_dept_lines(self) -> list[Line]:
        by = self.f.by(self.f.general(), lambda i: i.economic[:3])
        cat = self.f.catalog
        return [Line(c, cat.economic_dept_name(c) or c, a,
                     self.change(a, self.b.prior_year.economic_dept.get(c), f"部门经济科目 {c}"))
                for c, a in sorted(by.items())]

    def economic_gov_lines(self) -> list[Line]:
        cat = self.f.catalog
        by = self.f.by(self.f.general(), lambda i: (cat.gov_code_for(i.economic) or "599")[:3])
        return [Line(c, cat.economic_gov_name(c) or c, a,
                     self.change(a, self.b.prior_year.economic_gov.get(c), f"政府经济科目 {c}"))
                for c, a in sorted(by.items())]

    def procurement(self) -> dict[str, Decimal]:
        out = {"货物": ZERO, "工程": ZERO, "服务": ZERO}
        for p in self.b.procurement:
            out[p.category.value] += self.f.convert(p.amount)
        out["合计"] = sum(out.values(), ZERO)
        return out

    def empty(self, key: str) -> bool:
        t = self._tables.get(key)
        return t is None or t.empty

    @property
    def glossary(self) -> list[list[str]]:
        return self.profile.glossary


def _parse(text: str, profile: Profile) -> list[Section]:
    """Split rendered text into headed sections, numbering headings per the profile."""
    from .tables.builders import cn_number

    fmt = profile.numbering
    counters = [0, 0, 0, 0, 0]
    sections: list[Section] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            level = min(len(line) - len(line.lstrip("#")), 4)
            counters[level] += 1
            for deeper in range(level + 1, 5):
                if not (deeper == 2 and level == 1 and not profile.restart_sections_per_part):
                    counters[deeper] = 0
            pattern = fmt.get(level, "")
            prefix = pattern.format(cn=cn_number(counters[level]), n=counters[level]) if pattern else ""
            sections.append(Section(prefix + line.lstrip("#").strip(), level))
        elif sections:
            sections[-1].paragraphs.append(line)
        else:
            sections.append(Section("", 0, [line]))
    return sections


def environment(profile: Profile | None = None) -> SandboxedEnvironment:
    """Sandboxed: a province's own section templates can read the facts but not reach Python."""
    folders = [str(templates_dir() / "narrative")]
    own = profile.template_override("narrative") if profile else None
    if own:
        folders.insert(0, str(own))
    return SandboxedEnvironment(loader=FileSystemLoader(folders), autoescape=False, undefined=StrictUndefined,
                                trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=False)


def narrative_facts(facts: Facts, profile: Profile, tables: list[Table]) -> NarrativeFacts:
    return NarrativeFacts(facts, profile, tables)


def render_text(facts: Facts, profile: Profile, tables: list[Table]) -> tuple[str, NarrativeFacts]:
    n = NarrativeFacts(facts, profile, tables)
    env = environment(profile)
    b = facts.budget
    parts = []
    for entry in profile.narrative:
        if entry.endswith(".j2"):
            parts.append(env.get_template(entry).render(n=n))
        else:
            parts.append(entry.format(org=b.organization.name, year=b.year, scope=b.scope))
    return "\n".join(parts), n


def render_narrative(facts: Facts, profile: Profile, tables: list[Table]) -> list[Section]:
    text, _ = render_text(facts, profile, tables)
    return _parse(text, profile)


def missing_reasons(facts: Facts, profile: Profile, tables: list[Table]) -> list[str]:
    """Changes the narrative mentions without a reason from the input (a validation warning)."""
    _, n = render_text(facts, profile, tables)
    return n.missing_reasons


__all__ = ["render_narrative", "missing_reasons", "NarrativeFacts", "Any"]
