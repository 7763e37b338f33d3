"""The budget file read straight from its dict, in 元 — independently of `discloser.model`.

Only the few normalizations the file format documents are repeated here: a missing `fund` is
一般公共预算拨款, a missing `unit` is the 本级 (`benji`: the unit named as the department, else coded as
it, else the first listed; the organization itself when no units are listed), a bare `carry_forward` amount is one 一般公共预算拨款 carry-forward, “2050201 学前教育”
in one field is a code and its name. Amounts become `Decimal` from their text, never via float.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

GENERAL, GOV, STATE = "一般公共预算拨款", "政府性基金预算拨款", "国有资本经营预算拨款"
SPECIAL, OPS, BUSINESS = "财政专户管理资金", "事业收入", "事业单位经营收入"
HIGHER, SUBSIDIARY, OTHER, CARRY = "上级补助收入", "附属单位上缴收入", "其他收入", "上年结转结余"
# 上年结转结余 that the input says was a fiscal fund's (carried_from) is a fund key of its own here:
# 财政拨款 money (in the 一般公共预算/财政拨款 figures) and carried-in revenue (上年结转) at once.
CARRIED = {f: f"上年结转（{f}）" for f in (GENERAL, GOV, STATE)}
C_GENERAL, C_GOV, C_STATE = CARRIED[GENERAL], CARRIED[GOV], CARRIED[STATE]
C_FISCAL = frozenset(CARRIED.values())
CARRIED_IN = C_FISCAL | {CARRY}                        # every 上年结转结余 (revenue)
FUNDS = (GENERAL, GOV, STATE, SPECIAL, OPS, BUSINESS, HIGHER, SUBSIDIARY, OTHER, CARRY, C_GENERAL, C_GOV, C_STATE)
FISCAL_NOW = frozenset({GENERAL, GOV, STATE})          # this year's 财政拨款 (revenue)
FISCAL = FISCAL_NOW | C_FISCAL                         # 财政拨款 money, this year's or carried in (spending)
GENERAL_ANY, GOV_ANY, STATE_ANY = (frozenset({f, CARRIED[f]}) for f in (GENERAL, GOV, STATE))
UNIT_FUNDS = frozenset({OPS, BUSINESS, HIGHER, SUBSIDIARY, OTHER, CARRY})   # 单位资金


def fund_key(item: dict) -> str:
    """An expenditure line's or 结转下年's fund key: its fund, or the fiscal fund its 上年结转结余 came from."""
    fund = item.get("fund") or GENERAL
    origin = item.get("carried_from")
    return CARRIED[origin] if fund == CARRY and origin in CARRIED else fund   # or 单位资金


def revenue_source(fund: str) -> str:
    """The revenue source a fund key balances against (carried-in money of any fund: 上年结转结余)."""
    return CARRY if fund in CARRIED_IN else fund
PERSONNEL, PUBLIC, PROJECT = "人员经费", "公用经费", "项目支出"
ADMIN, CIVIL, INST = "行政单位", "参照公务员法管理事业单位", "事业单位"

_CODE_AND_NAME = re.compile(r"^\s*(\d{5}|\d{7})[\s\u3000]+(\S.*?)\s*$")


def money(value: Any) -> Decimal:
    if isinstance(value, bool) or isinstance(value, float):
        raise TypeError(f"oracle: amount {value!r} is not exact")
    return Decimal(str(value).replace(",", "").strip())


@dataclass(frozen=True)
class Line:
    idx: int
    unit: str
    function: str
    economic: str
    kind: str
    fund: str
    project: str | None
    amount: Decimal
    function_name: str | None = None
    economic_name: str | None = None

    @property
    def basic(self) -> bool:
        return self.kind != PROJECT


@dataclass(frozen=True)
class Revenue:
    idx: int
    unit: str
    source: str
    amount: Decimal


@dataclass(frozen=True)
class CarryForward:
    idx: int
    unit: str
    fund: str
    amount: Decimal


@dataclass(frozen=True)
class Unit:
    code: str
    name: str
    kind: str


@dataclass
class Dept:
    raw: dict
    year: int
    scope: str
    name: str
    code: str
    parent: dict | None
    units: list[Unit]
    lines: list[Line]
    revenues: list[Revenue]
    carry: list[CarryForward]
    projects: list[dict]
    procurement: list[dict]
    prior: dict
    performance: dict
    staffing: dict | None
    assets: dict | None
    listed_units: bool = False
    unit_of: dict[str, Unit] = field(default_factory=dict)
    benji: str = ""                    # the department's own unit's code (a line without `unit` is its)

    def kind_of(self, unit_code: str) -> str:
        return self.unit_of[unit_code].kind

    def project_key(self, p: dict) -> str:
        return p.get("code") or p["name"]


def read_yaml(path: str | Path) -> dict:
    """Every scalar as text (BaseLoader): codes keep leading zeros and amounts never pass through float."""
    return yaml.load(Path(path).read_text(encoding="utf-8-sig"), Loader=yaml.BaseLoader)


def benji(org: dict, units: list[Unit]) -> str:
    """The code of the department's own unit, as the README's field table says: the unit whose name is the
    department's (bare, or followed by 本级 / （本级） / (本级) / 本部), else the one whose code is the
    department's, else the first the file lists."""
    name, code = str(org["name"]), str(org["code"])
    for u in units:
        if u.name in (name, name + "本级", name + "（本级）", name + "(本级)", name + "本部"):
            return u.code
    return next((u.code for u in units if u.code == code), units[0].code)


def read(data: dict) -> Dept:
    org = data["organization"]
    listed = bool(org.get("units"))
    units = [Unit(str(u["code"]), u["name"], u["kind"]) for u in org.get("units") or []] or \
            [Unit(str(org["code"]), org["name"], org["kind"])]
    default = benji(org, units)

    def split(value: Any, name: Any) -> tuple[str, str | None]:
        text = str(value)
        m = _CODE_AND_NAME.match(text)
        if m and not name:
            return m.group(1), m.group(2)
        return text.strip(), name

    lines = []
    for n, e in enumerate(data.get("expenditures") or []):
        fn, fn_name = split(e["function"], e.get("function_name"))
        ec, ec_name = split(e["economic"], e.get("economic_name"))
        lines.append(Line(n, str(e.get("unit") or default), fn, ec, e["kind"], fund_key(e),
                          str(e["project"]) if e.get("project") else None, money(e["amount"]), fn_name, ec_name))
    revenues = [Revenue(n, str(r.get("unit") or default), r["source"], money(r["amount"]))
                for n, r in enumerate(data.get("revenues") or [])]
    cf_raw = data.get("carry_forward")
    if cf_raw in (None, "", []):
        cf_list: list = []
    elif isinstance(cf_raw, list):
        cf_list = cf_raw
    else:
        cf_list = [{"amount": cf_raw}]
    carry = [CarryForward(n, str(c.get("unit") or default), fund_key(c), money(c["amount"]))
             for n, c in enumerate(cf_list)]
    projects = []
    for p in data.get("projects") or []:
        q = dict(p)
        q["code"] = str(p["code"]) if p.get("code") else None
        q["unit"] = str(p.get("unit") or default)
        q["type"] = p.get("type") or "其他运转类"
        q["total_budget"] = money(p["total_budget"]) if p.get("total_budget") not in (None, "") else None
        q["total_budget_fiscal"] = money(p["total_budget_fiscal"]) if p.get("total_budget_fiscal") not in (None, "") else None
        projects.append(q)
    procurement = []
    for p in data.get("procurement") or []:
        q = dict(p)
        q["amount"] = money(p["amount"])
        q["unit"] = str(p["unit"]) if p.get("unit") else None
        procurement.append(q)
    dept = Dept(raw=data, year=int(data["year"]), scope=data.get("scope") or "部门", name=org["name"],
                code=str(org["code"]), parent=org.get("parent"), units=units, lines=lines, revenues=revenues,
                carry=carry, projects=projects, procurement=procurement, prior=data.get("prior_year") or {},
                performance=data.get("performance") or {}, staffing=org.get("staffing"), assets=data.get("assets"),
                listed_units=listed, benji=default)
    dept.unit_of = {u.code: u for u in units}
    _check_balanced(dept)
    return dept


def _check_balanced(dept: Dept) -> None:
    """The oracle links a unit's revenue from a fund to its spending from it: the input must balance."""
    sums: dict[tuple[str, str], Decimal] = {}
    for r in dept.revenues:
        sums[(r.unit, r.source)] = sums.get((r.unit, r.source), Decimal(0)) + r.amount
    for x in [*dept.lines, *dept.carry]:
        key = (x.unit, revenue_source(x.fund))
        sums[key] = sums.get(key, Decimal(0)) - x.amount
    bad = {k: v for k, v in sums.items() if v}
    if bad:
        raise ValueError(f"oracle: input not balanced per unit and fund (revenue − spending − 结转下年): {bad}")


def prior_amount(value: Any) -> tuple[Decimal, str | None] | None:
    """A prior-year figure: bare amount or {amount, reason}."""
    if value in (None, ""):
        return None
    if isinstance(value, dict):
        return money(value["amount"]), value.get("reason") or None
    return money(value), None
