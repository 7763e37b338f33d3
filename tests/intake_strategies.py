"""A small hypothesis strategy of schema-valid budgets, for the intake round trips (workbook, YAML writer).

Every field of the model is exercised, with texts that are hard for spreadsheets and YAML: formula
starters (= + - @), line breaks (\\n, \\r, U+2028), tabs, quotes, “#”, leading and trailing spaces,
CJK. What it leaves out is what the workbook documents as one and the same thing (README “填报工作簿”):
an empty optional text is written as absent, an empty 部门整体/专项资金 block or 项目经费情况说明 as none, and
近两年指标值 are at most two (前年、上年) without a blank last one. The text
待填 is the gap marker, never data.
"""
from __future__ import annotations

from decimal import Decimal

from hypothesis import strategies as st

from discloser.model import (Budget, CarriedFrom, Comparator, ExpenseKind, Fund, ProcurementCategory, ProjectAttribute,
                             ProjectType, UnitKind)

_CHARS = st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Co", "Cn")) | st.sampled_from(
    list("\n\t\r=+-@#:'\"\u2028 基本工资，：待填"))


def text(max_size: int = 12):
    """Non-blank text (not the gap marker), possibly with surrounding spaces."""
    return st.text(_CHARS, min_size=1, max_size=max_size).filter(lambda s: bool(s.strip()) and s.strip() != "待填")


def word():
    """A short label without line breaks or surrounding spaces (headers, keys, vehicle kinds)."""
    return st.text(st.characters(codec="utf-8", categories=("L", "N")), min_size=1, max_size=6).filter(
        lambda s: s != "待填" and s.strip() == s)


def optional(strategy):
    return st.none() | strategy


codes = st.from_regex(r"[0-9A-Z]{1,10}", fullmatch=True)
money = st.decimals(min_value=0, max_value=10 ** 12, places=2, allow_nan=False, allow_infinity=False)
counts = st.integers(min_value=0, max_value=100000)


def _drop_none(d: dict) -> dict:
    return {k: v for k, v in d.items() if v is not None}


indicator = st.builds(lambda goal, l1, l2, name, comp, value, measure, basis, note, past: _drop_none({
    "goal": goal, "level1": l1, "level2": l2, "name": name, "comparator": comp, "value": value, "measure": measure,
    "basis": basis, "note": note, "past_values": past}),
    optional(st.integers(1, 20)), text(), text(), text(), optional(st.sampled_from([c.value for c in Comparator])),
    st.just("") | text(), st.just("") | text(6), optional(text()), optional(text()),
    st.lists(text(6), max_size=2))     # 近两年: two values at most (the workbook's 前年、上年 columns)
statement = st.builds(lambda basis, implementer, plan, period, note: _drop_none({
    "basis": basis, "implementer": implementer, "plan": plan, "period": period, "budget_note": note}),
    st.lists(text(40), max_size=2), optional(text()), optional(text()), optional(text()), optional(text())).filter(
    lambda s: s["basis"] or len(s) > 1)   # an empty 项目经费情况说明 is none (README “填报工作簿”)


@st.composite
def budgets(draw) -> Budget:
    year = draw(st.integers(2020, 2030))
    unit_codes = draw(st.lists(codes, max_size=3, unique=True))
    units = [{"code": c, "name": draw(text()), "kind": draw(st.sampled_from([k.value for k in UnitKind]))}
             for c in unit_codes]
    unit = optional(st.sampled_from(unit_codes)) if unit_codes else st.none()
    funds = st.sampled_from([f.value for f in Fund])
    carried_from = optional(st.sampled_from([c.value for c in CarriedFrom]))

    project_keys = draw(st.lists(codes, max_size=3, unique=True))
    projects = []
    for n, key in enumerate(project_keys):
        has_code = draw(st.booleans())
        name = draw(text()) if has_code else f"项目{key}"
        perf = draw(optional(st.builds(lambda goal, ltg, period, inds, long_inds: _drop_none({
            "goal": goal, "long_term_goal": ltg, "period": period, "indicators": inds, "long_term_indicators": long_inds}),
            text(), optional(text()), optional(text()), st.lists(indicator, max_size=2), st.lists(indicator, max_size=2))))
        projects.append(_drop_none({
            "name": name, "code": key if has_code else None, "unit": draw(unit), "group": draw(optional(text())),
            "category": draw(optional(text())), "type": draw(st.sampled_from([t.value for t in ProjectType])),
            "attribute": draw(optional(st.sampled_from([a.value for a in ProjectAttribute]))),
            "description": draw(st.just("") | text()), "total_budget": draw(optional(money)), "performance": perf,
            "statement": draw(optional(statement))}))
    keys = [p.get("code") or p["name"] for p in projects]

    def expenditure(draw_):
        kind = draw_(st.sampled_from([k.value for k in ExpenseKind]))
        return _drop_none({
            "function": draw_(st.from_regex(r"2[0-9]{6}", fullmatch=True)),
            "function_name": draw_(optional(text())),
            "economic": draw_(st.from_regex(r"3[0-9]{4}", fullmatch=True)),
            "economic_name": draw_(optional(text())),
            "kind": kind, "amount": draw_(money), "fund": draw_(funds), "carried_from": draw_(carried_from), "unit": draw_(unit),
            "project": draw_(st.sampled_from(keys)) if keys and kind == "项目支出" else None})

    history = []
    for _ in range(draw(st.integers(0, 2))):
        fiscal, other = draw(money), draw(money)
        basic = draw(st.decimals(min_value=0, max_value=fiscal + other, places=2))
        carry = draw(st.sampled_from([None, Decimal(0), (fiscal + other - basic) / 2]))   # 结转下年: absent, 0, some
        carry = carry if carry is None else carry.quantize(Decimal("0.01"), rounding="ROUND_DOWN")
        history.append(_drop_none({"year": draw(st.integers(2000, 2100)), "fiscal": fiscal, "other": other,
                                   "basic": basic, "project": fiscal + other - basic - (carry or 0),
                                   "carry_forward": carry}))
    department = _drop_none({
        "goals": draw(st.lists(text(), max_size=2)) or None,
        "long_term_goals": draw(st.lists(text(), max_size=2)) or None,
        "long_term_until": draw(optional(st.from_regex(r"20[0-9]{2}", fullmatch=True))),
        "history": history or None,
        "division_goals": draw(st.lists(st.builds(lambda division, medium, annual: {
            "division": division, "medium_term": medium, "annual": annual}, text(), st.just("") | text(40),
            st.just("") | text(40)), max_size=2)) or None,
        "tasks": draw(st.lists(st.builds(lambda name, content, goal, amounts: _drop_none({
            "name": name, "content": content, "goal": goal, "amounts": amounts}),
            text(), text(), optional(text()), st.dictionaries(word(), money, max_size=2)), max_size=2)) or None,
        "indicators": draw(st.lists(indicator, max_size=2)) or None,
        "long_term_indicators": draw(st.lists(indicator, max_size=2)) or None,
        "other_matters": draw(optional(text(40)))})
    special = _drop_none({"name": draw(optional(text())), "period": draw(optional(text())),
                          "long_term_goals": draw(st.lists(text(), max_size=2)) or None,
                          "goals": draw(st.lists(text(), max_size=2)) or None,
                          "indicators": draw(st.lists(indicator, max_size=2)) or None})
    prior_figure = st.builds(lambda amount, reason: _drop_none({"amount": amount, "reason": reason}), money, optional(text()))
    prior = _drop_none({
        "total": draw(optional(prior_figure)), "fiscal": draw(optional(prior_figure)), "general": draw(optional(prior_figure)),
        "function": draw(st.dictionaries(st.from_regex(r"2[0-9]{6}", fullmatch=True), prior_figure, max_size=2)),
        "economic_dept": draw(st.dictionaries(st.sampled_from(["301", "302", "303", "310"]), prior_figure, max_size=2)),
        "economic_gov": draw(st.dictionaries(st.sampled_from(["501", "502", "505", "509"]), prior_figure, max_size=2)),
        "items": draw(st.dictionaries(st.sampled_from(["三公经费", "公务接待费", "公用经费", "机关运行经费"]), prior_figure, max_size=2)),
        "adjusted": draw(optional(money)), "actual": draw(optional(money)), "balance": draw(optional(money)),
    })
    staffing = draw(optional(st.builds(lambda vals, as_of: _drop_none({**vals, "as_of": as_of}), st.fixed_dictionaries(
        {}, optional={k: counts for k in ("authorized", "authorized_admin", "authorized_institution", "actual",
                                          "actual_admin", "actual_institution", "retired", "outside")}), optional(text()))))
    assets = draw(optional(st.builds(lambda vehicles, threshold, equipment, pv, pe, as_of: _drop_none({
        "vehicles": vehicles, "equipment_threshold": threshold, "equipment": equipment, "planned_vehicles": pv,
        "planned_equipment": pe, "as_of": as_of}),
        optional(st.dictionaries(word(), counts, max_size=2)), optional(text()), optional(counts), optional(counts),
        optional(counts), optional(text()))))
    data = _drop_none({
        "profile": draw(optional(st.sampled_from(["shaanxi", "henan", "hubei", "gansu", "jiangxi", "shanghai"]))),
        "year": year,
        "scope": draw(st.sampled_from(["单位", "部门"])),
        "organization": _drop_none({
            "name": draw(text()), "code": draw(codes), "kind": draw(st.sampled_from([k.value for k in UnitKind])),
            "parent": draw(optional(st.builds(lambda c, n: {"code": c, "name": n}, codes, text()))),
            "units": units,
            "contact": _drop_none({"person": draw(optional(text())), "phone": draw(optional(st.from_regex(r"0[0-9]{3}-[0-9]{7}", fullmatch=True)))}),
            "divisions": draw(st.lists(text(), max_size=2)), "functions_intro": draw(optional(text(40))),
            "functions": draw(st.lists(text(40), max_size=3)), "tasks": draw(st.lists(text(40), max_size=2)),
            "staffing": staffing, "mandate_basis": draw(optional(text())), "mandate_changed": draw(optional(st.booleans())),
            "mandate_change": draw(optional(text(40))), "functions_summary": draw(optional(text(40))),
            "top_level": draw(optional(st.booleans())), "sector": draw(optional(text())),
            "management_systems": draw(optional(text(40)))}),
        "revenues": draw(st.lists(st.builds(lambda s, a, u: _drop_none({"source": s, "amount": a, "unit": u}), funds, money, unit), max_size=3)),
        "expenditures": [expenditure(draw) for _ in range(draw(st.integers(0, 4)))],
        "carry_forward": draw(st.lists(st.builds(lambda a, f, c, u: _drop_none({"amount": a, "fund": f, "carried_from": c, "unit": u}),
                                                 money, funds, carried_from, unit), max_size=2)),
        "approval_date": draw(optional(st.dates())),
        "review": draw(optional(st.fixed_dictionaries({}, optional={"secrecy": st.booleans(), "signed": st.booleans()}).filter(bool))),
        "projects": projects,
        "procurement": draw(optional(st.lists(st.builds(lambda c, i, a, q, p, u: _drop_none({   # absent, [] (none) or items
            "category": c, "item": i, "amount": a, "quantity": q, "project": p, "unit": u}),
            st.sampled_from([c.value for c in ProcurementCategory]), text(), money, optional(text(6)),
            optional(st.sampled_from(keys)) if keys else st.none(), unit), max_size=2))),
        "assets": assets,
        "prior_year": prior,
        "performance": _drop_none({"department": department or None, "special_fund": special or None}),
        "empty_table_reasons": draw(st.dictionaries(st.from_regex(r"[a-z_]{1,10}", fullmatch=True), text(), max_size=2)),
        "special_transfer": draw(optional(text(40))),
        "notes": draw(st.dictionaries(st.from_regex(r"[a-z_]{1,10}", fullmatch=True), text(40), max_size=2)),
    })
    return Budget.model_validate(data)


__all__ = ["budgets", "text", "money", "Decimal"]
