"""An independent oracle: the figures a package must print, computed straight from the input file in 元.

It reads the YAML with PyYAML (not discloser's loader), sums the line items with Decimal, and knows only
the domain's definitions (DOMAIN.md): 基本支出 = 人员经费 + 公用经费, 财政拨款 = the three fiscal funds,
“三公” by economic code, 机关运行经费 = 一般公共预算 公用经费 of 行政单位 and 参公 units. Tests compare the program's
printed 万元 figures with these: every printed figure lies within a cent of its exact value (controlled
rounding), and grand totals are the conventional rounding of the exact total.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Callable, Iterable

import yaml

FISCAL = ("一般公共预算拨款", "政府性基金预算拨款", "国有资本经营预算拨款")
ADMIN = ("行政单位", "参照公务员法管理事业单位")
THREE_PUBLIC = {"因公出国（境）费": ("30212",), "公务接待费": ("30217",), "公务用车购置费": ("31013",),
                "公务用车运行维护费": ("30231",)}
CENT = Decimal("0.01")
_CODE = re.compile(r"\s*(\d+)")


@dataclass(frozen=True)
class Line:
    unit: str
    unit_kind: str
    function: str
    economic: str
    kind: str
    fund: str                  # the revenue source it is paid from (上年结转结余 for carried-in money)
    amount: Decimal
    project: str | None
    origin: str = ""           # whose money: the fiscal fund a 上年结转结余 came from, else the fund

    def __post_init__(self):
        if not self.origin:
            object.__setattr__(self, "origin", self.fund)

    @property
    def basic(self) -> bool:
        return self.kind in ("人员经费", "公用经费")


@dataclass
class Input:
    year: int
    scope: str
    lines: list[Line]
    revenues: list[tuple[str, str, Decimal]]           # (source, unit, amount)
    carry_forward: list[tuple[str, str, Decimal]]      # (fund, unit, amount)
    projects: list[dict] = field(default_factory=list)
    procurement: list[dict] = field(default_factory=list)

    def total(self, pred: Callable[[Line], bool] = lambda line: True) -> Decimal:
        return sum((line.amount for line in self.lines if pred(line)), Decimal(0))

    def by(self, key: Callable[[Line], str], pred: Callable[[Line], bool] = lambda line: True) -> dict[str, Decimal]:
        out: dict[str, Decimal] = defaultdict(Decimal)
        for line in self.lines:
            if pred(line):
                out[key(line)] += line.amount
        return dict(out)

    def revenue(self, sources: Iterable[str] | None = None) -> Decimal:
        wanted = set(sources) if sources is not None else None
        return sum((a for s, _, a in self.revenues if wanted is None or s in wanted), Decimal(0))

    def three_public(self, name: str) -> Decimal:
        codes = sum(THREE_PUBLIC.values(), ()) if name == "三公经费" else THREE_PUBLIC[name]
        return self.total(lambda line: line.origin in FISCAL and line.economic in codes)

    def running_costs(self) -> Decimal:
        return self.total(lambda line: line.origin == FISCAL[0] and line.kind == "公用经费" and line.unit_kind in ADMIN)


def _code(value) -> str:
    return _CODE.match(str(value)).group(1)


def read(path: Path) -> Input:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    org = data["organization"]
    units = org.get("units") or [{"code": org["code"], "kind": org["kind"]}]
    kinds = {u["code"]: u["kind"] for u in units}
    # a line without `unit` is the 本级's: the unit named as the department (or “…本级”), else the first listed
    named = {org["name"], org["name"] + "本级"}
    first = next((u["code"] for u in units if u.get("name") in named), units[0]["code"])
    lines = [Line(e.get("unit", first), kinds[e.get("unit", first)], _code(e["function"]), _code(e["economic"]),
                  e["kind"], e.get("fund", "一般公共预算拨款"), Decimal(str(e["amount"])), e.get("project"),
                  next((f for f in FISCAL if f == e.get("carried_from")), ""))
             for e in data["expenditures"]]
    revenues = [(r["source"], r.get("unit", first), Decimal(str(r["amount"]))) for r in data["revenues"]]
    carry = data.get("carry_forward") or []
    carry = [{"amount": carry}] if not isinstance(carry, list) else carry
    carried = [(c.get("fund", "一般公共预算拨款"), c.get("unit", first), Decimal(str(c["amount"]))) for c in carry]
    return Input(data["year"], data.get("scope", "部门"), lines, revenues, carried, data.get("projects", []),
                 data.get("procurement", []))


def wan(yuan: Decimal) -> Decimal:
    """Exact 万元."""
    return yuan / 10000


def rounded(yuan: Decimal) -> Decimal:
    """The conventional rounding of an exact 元 amount to 万元 with two decimals."""
    return wan(yuan).quantize(CENT, rounding=ROUND_HALF_UP)


def close(printed: Decimal | None, yuan: Decimal) -> bool:
    """A printed 万元 figure (None for a blank cell) is its exact value rounded down or up to the cent."""
    value = printed if printed is not None else Decimal(0)
    return abs(value - wan(yuan)) < CENT


def projects_with_targets(inp: Input) -> list[str]:
    """Keys of projects with spending this year and performance targets."""
    spent = {line.project for line in inp.lines if line.project}
    return [p.get("code") or p["name"] for p in inp.projects
            if p.get("performance") and (p.get("code") or p["name"]) in spent]
