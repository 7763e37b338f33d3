"""Validation rules: the identities a published package must satisfy, each with a stable id.

Every rule is a function of a `Context` — the validated model, its source (for locations), the
profile and catalog the package will be built with, and the derived facts (exact, never rendered) —
that yields `Problem`s whose message shows both sides and the difference. A profile may switch rules
off (`rules_off: [id, …]`) and declare its own allowed indicator names (`indicator_levels`). Derived
tables satisfy the table identities by construction; these rules guard the *input*: the facts that are
entered once and must agree with each other. Findings about one code are grouped into one problem
that lists every place (“出现在 12 处：第 40、58、… 行”).
"""
from __future__ import annotations

import difflib
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Callable, Iterable, Iterator, Mapping

from .catalog import Catalog, Introduced, Retired
from .facts import THREE_PUBLIC, Facts, task_amount
from .model import FISCAL_FUNDS, HOME_CHOICES, Budget, CarriedFrom, ExpenseKind, Fund, PriorFigure
from .problems import Location, Problem
from .profile import Profile
from .source import Source
from .measures import compile_measure, describe_measure
from .rounding import half_up


@dataclass
class Context:
    budget: Budget
    src: Source
    profile: Profile
    catalog: Catalog
    facts: Facts

    def at(self, *path) -> Location:
        return self.src.locate(tuple(path))


RuleFn = Callable[[Context], Iterator[Problem]]
RULES: dict[str, tuple[str, str, RuleFn]] = {}   # id -> (severity, summary, fn)


def rule(rule_id: str, severity: str, summary: str) -> Callable[[RuleFn], RuleFn]:
    def register(fn: RuleFn) -> RuleFn:
        RULES[rule_id] = (severity, summary, fn)
        return fn
    return register


def _yuan(v: Decimal) -> str:
    q = v.quantize(Decimal("0.01"))
    return f"{q.to_integral_value():f} 元" if q == q.to_integral_value() else f"{q:f} 元"


def _diff(a: Decimal, b: Decimal) -> str:
    return f"相差 {_yuan(abs(a - b))}"


def _places(locations: list[Location], limit: int = 8) -> str:
    """“；出现在 12 处：第 40、58、… 行” for a grouped finding (“单元格 B2、B9、…” in a workbook)."""
    if len(locations) < 2:
        return ""
    lines = [str(loc.line) for loc in locations if loc.line is not None]
    cells = [loc.file.rsplit("!", 1)[-1] for loc in locations if loc.line is None and "!" in loc.file]
    shown = lines or cells
    listed = "、".join(shown[:limit]) + ("、…" if len(shown) > limit else "")
    where = f"第 {listed} 行" if lines else f"单元格 {listed}" if cells else ""
    return f"；出现在 {len(locations)} 处" + (f"：{where}" if where else "")


def _total(values: Iterable[Decimal]) -> Decimal:
    return sum(values, Decimal(0))


# ------------------------------------------------------------------ balances

@rule("balance.total", "error", "收入总计 = 支出总计（本年收入 + 上年结转 = 本年支出 + 结转下年）")
def balance_total(c: Context) -> Iterator[Problem]:
    b = c.budget
    rev = _total(r.amount for r in b.revenues)
    carry = _total(x.amount for x in b.carry_forward)
    exp = _total(e.amount for e in b.expenditures) + carry
    if rev != exp:
        yield Problem("balance.total", "error",
                      f"收入总计 {_yuan(rev)}（revenues 各项之和）≠ 支出总计 {_yuan(exp)}（expenditures 各行之和"
                      f"{' + 结转下年' if carry else ''}），{_diff(rev, exp)}",
                      (c.at("revenues"), c.at("expenditures")))


@rule("balance.fund", "error", "每个单位、每一资金来源：收入 = 以其安排的支出 + 结转下年")
def balance_fund(c: Context) -> Iterator[Problem]:
    b = c.budget
    units = b.organization.all_units()
    default = b.organization.home_unit().code
    names = {u.code: u.name for u in units}
    rev: dict[tuple[str, Fund], Decimal] = defaultdict(Decimal)
    exp: dict[tuple[str, Fund], Decimal] = defaultdict(Decimal)
    carry: dict[tuple[str, Fund], Decimal] = defaultdict(Decimal)
    where_rev: dict[tuple[str, Fund], list[tuple]] = defaultdict(list)   # paths; located only when reported
    where_exp: dict[tuple[str, Fund], list[tuple]] = defaultdict(list)
    for n, r in enumerate(b.revenues):
        key = (r.unit or default, r.source)
        rev[key] += r.amount
        where_rev[key].append(("revenues", n, "amount"))
    for n, e in enumerate(b.expenditures):
        key = (e.unit or default, e.fund)
        exp[key] += e.amount
        where_exp[key].append(("expenditures", n))
    for n, x in enumerate(b.carry_forward):
        key = (x.unit or default, x.fund)
        carry[key] += x.amount
        where_exp[key].append(("carry_forward", n))
    order = {f: i for i, f in enumerate(Fund)}
    for key in sorted(set(rev) | set(exp) | set(carry), key=lambda k: (k[0], order[k[1]])):
        unit, fund = key
        spent = exp[key] + carry[key]
        if rev[key] == spent:
            continue
        if unit not in names:       # item.unit reports the code itself
            who = f"未登记的单位 {unit} 的"
        else:
            who = f"{names[unit]}（{unit}）" if len(units) > 1 else ""
        side = f"以其安排的支出 {_yuan(exp[key])}" + (f" + 结转下年 {_yuan(carry[key])}" if carry[key] else "")
        hint = "（该单位没有这项收入）" if not where_rev[key] else ""
        where = [c.at(*p) for p in (where_rev[key] or [("revenues",)])[:3] + (where_exp[key] or [("expenditures",)])[:3]]
        # one amount typed in 万元 (89.01 for 890,100): the sides differ by exactly 9,999 times it
        short = where_exp[key] if rev[key] > spent else where_rev[key]
        wan = next((p for p in short if _amount_at(b, p) * 9999 == abs(rev[key] - spent)), None)
        tail = ""
        if wan is not None:
            amount = _amount_at(b, wan)
            where = [c.at(wan[0], wan[1], "amount"), *where]
            tail = f"；{amount} 若是按万元填的（{_yuan(amount * 10000)}），两边正好相等——文件中的金额一律以元为单位"
        yield Problem("balance.fund", "error",
                      f"{who}{fund.value}：收入 {_yuan(rev[key])}{hint} ≠ {side}，{_diff(rev[key], spent)}{tail}", tuple(where))


def _amount_at(b, path: tuple) -> Decimal:
    """The amount of the line at a path (`revenues`/`expenditures`/`carry_forward`, index …)."""
    return getattr(b, path[0])[path[1]].amount


# ------------------------------------------------------------------ line items and projects

@rule("item.project", "error", "项目支出行必须写明项目，且项目在 projects 中；基本支出行不写项目")
def item_project(c: Context) -> Iterator[Problem]:
    names = {p.key for p in c.budget.projects}
    for n, e in enumerate(c.budget.expenditures):
        if e.kind is ExpenseKind.project and not e.project:
            yield Problem("item.project", "error", "项目支出行缺少 project（项目名称）", (c.at("expenditures", n),))
        elif e.kind is ExpenseKind.project and e.project not in names:
            close = difflib.get_close_matches(e.project or "", list(names), n=1, cutoff=0.4)
            hint = f"，是不是“{close[0]}”？" if close else "；请在 projects 中登记该项目"
            yield Problem("item.project", "error", f"项目“{e.project}”不在 projects 中（按项目编码，无编码时按名称）{hint}",
                          (c.at("expenditures", n, "project"),))
        elif e.kind is not ExpenseKind.project and e.project:
            yield Problem("item.project", "error", f"{e.kind.value}行不应填写项目“{e.project}”（项目只属于项目支出）",
                          (c.at("expenditures", n, "project"),))


def _blank_rows(c: Context, rule_id: str, severity: str, blank, what: str, advice: str) -> Iterator[Problem]:
    """The lines whose amount `blank` says prints a detail row with every amount blank, as one finding."""
    where = [c.at("expenditures", n, "amount") for n, e in enumerate(c.budget.expenditures) if blank(e.amount)]
    if where:
        yield Problem(rule_id, severity, f"{'' if len(where) == 1 else f'{len(where)} 个'}支出明细行{what}；{advice}"
                      f"{_places(where)}", tuple(where[:5]))


@rule("item.zero", "warning", "支出明细行的金额不应为 0（会印出一行空白）")
def item_zero(c: Context) -> Iterator[Problem]:
    """A 0 元 line prints a detail row with every amount blank (zero prints blank, as in the references): a
    typo or a leftover. `import` skips such lines; a typed file is told where they are."""
    yield from _blank_rows(c, "item.zero", "warning", lambda amount: not amount,
                           "金额为 0：表中会印出金额全空的一行", "请填写金额，或删去这一行")


@rule("item.tiny", "notice", "以万元印制时，不足 50 元的支出明细行可能印作空白")
def item_tiny(c: Context) -> Iterator[Problem]:
    """In a 万元 package a line under half a 万元 cent (0.01 元, or 128.11 typed as 万元 into a 元 file) may
    print a row with every amount blank — what `item.zero` warns of for 0 元 (trial K: a 0.01 元 邮电费 row
    printed blank, without a word). A notice: the amount may be right."""
    if c.profile.unit == "wan":
        yield from _blank_rows(c, "item.tiny", "notice", lambda amount: 0 < amount < 50,
                               "金额不足 50 元（0.005 万元）：以万元印制时该行可能金额全空", "请核对金额是否以元填写")


@rule("item.unit", "error", "明细行的单位编码必须是本部门的单位")
def item_unit(c: Context) -> Iterator[Problem]:
    b = c.budget
    codes = {u.code for u in b.organization.all_units()}
    groups: dict[str, list[Location]] = defaultdict(list)
    for field_name in ("expenditures", "revenues", "projects", "carry_forward", "procurement"):
        for n, e in enumerate(getattr(b, field_name) or []):
            if e.unit and e.unit not in codes:
                groups[e.unit].append(c.at(field_name, n, "unit"))
    if len(codes) == 1:
        # one budget unit (a 单位预算, or a 部门 without units): the unit code is optional, and “不在本部门的
        # 单位中” told a clerk who typed his own unit's code (706001 of 部门 706) nothing he could act on
        [own] = codes
        scope = b.scope
        hint = ("单位预算的各行不必填单位编码（不填即本单位）" if scope == "单位" else
                "只有一个预算单位时各行不必填单位编码（不填即本部门）；若有所属单位，请在 organization.units 中列出")
        for code, where in groups.items():
            yield Problem("item.unit", "error", f"单位编码“{code}”不是本{scope}的编码（{own}）：{hint}{_places(where)}",
                          tuple(where[:5]))
        return
    for code, where in groups.items():
        yield Problem("item.unit", "error", f"单位编码“{code}”不在本部门的单位中（{'、'.join(sorted(codes))}）{_places(where)}",
                      tuple(where[:5]))


@rule("item.unit-missing", "error", "多单位部门：明细写了本级以外的单位时，每个收入、支出明细和结转下年行都要写单位编码（unit）")
def item_unit_missing(c: Context) -> Iterator[Problem]:
    """A line without its unit belongs to the 本级 (`Organization.home_unit`) — unambiguous while every line
    is that unit's (a 部门 whose money is all its 本级's). Once lines name other units, one left without is a
    line whose unit was forgotten: it went to the 本级 silently (a trial's 事业 unit's 公用经费 counted as the 机关's
    机关运行经费, the per-unit tables wrong, no message)."""
    units = c.budget.organization.units
    if len(units) < 2:
        return
    home = c.budget.organization.home_unit()
    lines = [(f, n, e) for f in ("expenditures", "revenues", "carry_forward") for n, e in enumerate(getattr(c.budget, f))]
    named = sorted({e.unit for _, _, e in lines if e.unit and e.unit != home.code})
    if not named:
        return
    what = {"expenditures": "支出明细", "revenues": "收入", "carry_forward": "结转下年"}
    for field_name, label in what.items():
        where = [c.at(f, n) for f, n, e in lines if f == field_name and not e.unit]
        if where:
            yield Problem("item.unit-missing", "error",
                          f"本部门的行写了多个单位（{home.code}、{'、'.join(named)}），这 {len(where)} 个{label}行没写单位编码"
                          f"（unit）：请写明是哪个单位的（只有各行都属本级 {home.code} {home.name} 时才可以不写）"
                          f"{_places(where)}", tuple(where[:5]))


@rule("organization.parent", "warning", "主管部门（parent）只写在单位预算中：部门预算的主管部门就是本部门")
def organization_parent(c: Context) -> Iterator[Problem]:
    """A 部门 is the 主管部门 of its units: its tables print itself there (表10's first row, the forms'
    主管部门). A `parent` in a 部门 file is printed nowhere — a trial's 柳湾镇 wrote its 县政府 and got the
    county government three times in 表10 and as every project's 主管部门 — so the clerk hears it is unused."""
    parent = c.budget.organization.parent
    if c.budget.scope != "部门" or parent is None:
        return
    org = c.budget.organization
    same = "（它与本部门编码相同）" if parent.code == org.code else ""
    yield Problem("organization.parent", "warning",
                  f"部门预算（scope: 部门）不印 parent“{parent.code} {parent.name}”{same}：部门预算的主管部门就是本部门"
                  f"“{org.code} {org.name}”，项目支出表和绩效目标表都这样印；parent 只用于单位预算（scope: 单位），"
                  f"写单位所属的主管部门。请删去 parent（或把 scope 改为 单位）", (c.at("organization", "parent"),))


@rule("item.carried-from", "error", "carried_from（结转的是哪项资金）只用于资金来源为上年结转结余的行")
def item_carried_from(c: Context) -> Iterator[Problem]:
    for field_name in ("expenditures", "carry_forward"):
        for n, e in enumerate(getattr(c.budget, field_name)):
            if e.carried_from is not None and e.fund is not Fund.carryover:
                yield Problem("item.carried-from", "error",
                              f"资金来源为{e.fund.value}的行不应填写 carried_from（“{e.carried_from.value}”）：它只说明"
                              f"上年结转结余原是哪项资金；若这笔钱是上年结转，请把 fund 写成上年结转结余",
                              (c.at(field_name, n, "carried_from"),))


@rule("item.carry-in-fund", "notice", "上年结转结余未写明是哪项资金的结转时，按单位资金结转印制")
def item_carry_in_fund(c: Context) -> Iterator[Problem]:
    where = [c.at(field_name, n, "fund") for field_name in ("expenditures", "carry_forward")
             for n, e in enumerate(getattr(c.budget, field_name))
             if e.fund is Fund.carryover and e.carried_from is None]
    if where:
        yield Problem("item.carry-in-fund", "notice",
                      f"以上年结转结余安排的支出（或结转下年）未写 carried_from，按单位资金（非财政拨款）结转印制；若是财政拨款结转，"
                      f"请写 carried_from: 一般公共预算拨款（或政府性基金预算拨款、国有资本经营预算拨款），它便列入"
                      f"财政拨款收支总表的上年结转；确是单位资金，写 carried_from: 单位资金{_places(where)}", tuple(where[:5]))


@rule("project.duplicate", "error", "每个项目只登记一次：项目编码（无编码时项目名称）不能重复；单位编码也不能重复")
def project_duplicate(c: Context) -> Iterator[Problem]:
    """Expenditure lines name a project by its key: two projects with one key would both take its lines,
    and every project table would count them twice (a trial's 表10 printed a unit's row above its 合计)."""
    projects = [(p.key, "code" if p.code else "name") for p in c.budget.projects]
    units = [(u.code, "code") for u in c.budget.organization.units]
    for what, path, keyed in (("项目", ("projects",), projects), ("单位", ("organization", "units"), units)):
        seen: dict[str, int] = {}
        for n, (key, field) in enumerate(keyed):
            if key not in seen:
                seen[key] = n
                continue
            words = {"项目code": "项目编码", "项目name": "项目名称"}.get(what + field, "单位编码")
            yield Problem("project.duplicate", "error",
                          f"{words}“{key}”登记了两次（第 {seen[key] + 1} 个和第 {n + 1} 个{what}）：支出明细行按它归属，"
                          f"重复会让表中的{what}重复计算；请合并，或给其中一个改{'编码' if field == 'code' else '名称'}",
                          (c.at(*path, n, field), c.at(*path, seen[key], field)))


_STAFF_PARTS = (("authorized", "编制人数合计", (("authorized_admin", "行政编制"), ("authorized_institution", "事业编制"))),
                ("actual", "实有人员合计", (("actual_admin", "实有行政人员"), ("actual_institution", "实有事业人员"))))


@rule("staffing.parts", "error", "编制、实有人员的分项之和不能超过合计")
def staffing_parts(c: Context) -> Iterator[Problem]:
    """The 说明 says “编制N人，其中行政a人、事业b人”: parts above their total would print a contradiction."""
    staff = c.budget.organization.staffing
    for total_key, total_words, parts in _STAFF_PARTS if staff is not None else ():
        total = getattr(staff, total_key)
        given = [(k, w, getattr(staff, k)) for k, w in parts if getattr(staff, k) is not None]
        if total is not None and sum(v for _, _, v in given) > total:
            yield Problem("staffing.parts", "error",
                          f"{'、'.join(f'{w} {v} 人' for _, w, v in given)}之和大于{total_words} {total} 人："
                          "说明会印出自相矛盾的“其中”，请核对", tuple(c.at("organization", "staffing", k) for k, _, _ in given))


@rule("unit.same-name", "warning", "两个单位不应同名：表中和说明里分不清")
def unit_same_name(c: Context) -> Iterator[Problem]:
    """Two units of one name are two rows a reader cannot tell apart, and the 说明's list of units names it twice
    (trial A D9: “2. 安平县文化馆（事业单位）… 4. 安平县文化馆（事业单位）”). A warning: the codes do differ."""
    seen: dict[str, int] = {}
    for n, u in enumerate(c.budget.organization.units):
        name = u.name.strip()
        if name in seen:
            first = c.budget.organization.units[seen[name]]
            yield Problem("unit.same-name", "warning",
                          f"单位“{name}”登记了两次（编码 {first.code} 和 {u.code}）：表中两行、说明中两处同名，读者分不清；"
                          "请核对是否重复登记，或写全名称", (c.at("organization", "units", n, "name"),
                                                     c.at("organization", "units", seen[name], "name")))
        else:
            seen[name] = n


@rule("unit.home-guessed", "warning", "本级单位应与部门同名（或名为“部门名称本级”）：否则本级是推定的")
def unit_home_guessed(c: Context) -> Iterator[Problem]:
    """The 本级 is printed as such in the 说明, takes every line without `unit`, and its code is Jiangxi's
    主管部门及代码. Found by anything but its name (or code), it is a guess (`Organization.home_unit_choice`):
    a trial's department named without its county got its 事业 center as 本级, without a word (trialE-s27 D6)."""
    org = c.budget.organization
    if len(org.units) < 2:
        return
    home, how = org.home_unit_choice()
    if how in ("name", "code"):
        return
    n = next(i for i, u in enumerate(org.units) if u is home)
    yield Problem("unit.home-guessed", "warning",
                  f"没有与部门“{org.name}”同名的单位，本级（说明中的本级、不写 unit 的行所属、江西表中的主管部门代码）"
                  f"推定为{HOME_CHOICES[how]}“{home.code} {home.name}”（{home.kind.value}）；请把部门名称（organization.name）"
                  f"写成本级单位的名称，或把本级单位命名为“{org.name}本级”，以明确指定",
                  (c.at("organization", "name"), c.at("organization", "units", n, "name")))


@rule("project.unit", "error", "一个项目属于一个单位：项目的支出明细都写在它登记的单位（unit）下")
def project_unit(c: Context) -> Iterator[Problem]:
    """表10/表14 list a project under each unit its lines lie in, the 项目支出绩效目标表 prints it once with
    all of them: a project split over two units would show three figures for one project (a trial's
    广播电视村村通运维: 129.28 and 71.20 in 表10, 200.48 in Hubei 表15, each row with the full targets). A project
    is one unit's (the 预算管理一体化 system registers it so): lines elsewhere are a slip or a second project."""
    names = {u.code: u.name for u in c.budget.organization.all_units()}
    for n, p in enumerate(c.budget.projects):
        by_unit: dict[str, list] = defaultdict(list)
        for a in c.facts.project_atoms(p.key):
            by_unit[a.unit].append(a)
        own = p.unit if p.unit in names else None
        if not by_unit or (len(by_unit) == 1 and own in (None, *by_unit)):
            continue
        parts = "、".join(f"{u} {names.get(u, '')} {_yuan(c.facts.yuan(atoms))}" for u, atoms in sorted(by_unit.items()))
        stray = [u for u in sorted(by_unit) if u != own] if own else sorted(by_unit)[1:]
        where = [c.at("expenditures", line) for u in stray for a in by_unit[u] for line in a.lines]
        registered = f"登记在单位 {own} {names[own]}，" if own else ""
        fix = (f"请改正写错单位的行，或为 {'、'.join(stray)} 另登记一个项目（另一个编码或名称）" if own else
               f"请在项目下写明 unit，并改正写错单位的行，或为其他单位另登记项目")
        yield Problem("project.unit", "error",
                      f"项目“{p.name}”{registered}支出明细却"
                      f"{f'分在 {len(by_unit)} 个单位' if len(by_unit) > 1 else '写在另一个单位'}：{parts}。"
                      f"一个项目属于一个单位：项目支出表按单位列项目，绩效目标表按项目印资金总额，分在两处就对不上；"
                      f"{fix}{_places(where)}",
                      (c.at("projects", n, "unit" if p.unit else "name"), *where[:4]))


@rule("procurement.project", "warning", "政府采购写了所属项目时：该项目的采购合计不超过项目本年支出；所属项目应已登记")
def procurement_project(c: Context) -> Iterator[Problem]:
    """A purchase is paid from its project's spending: 1,500,000 元 of 政府采购 under a project of 170,000 元 (a
    trial's slip, typed one digit long or under the wrong project) prints without complaint otherwise."""
    keys = {p.key for p in c.budget.projects}
    bought: dict[str, list[int]] = defaultdict(list)
    bought_items = c.budget.procurement or []
    for n, item in enumerate(bought_items):
        if item.project is None:
            continue
        if item.project not in keys:
            yield Problem("procurement.project", "warning", f"政府采购“{item.item}”的所属项目“{item.project}”不在 projects 中"
                          f"（按项目编码，无编码时按名称）", (c.at("procurement", n, "project"),))
            continue
        bought[item.project].append(n)
    for key, rows in bought.items():
        total = _total(bought_items[n].amount for n in rows)
        spent = c.facts.yuan(c.facts.project_atoms(key))
        if total > spent:
            yield Problem("procurement.project", "warning",
                          f"项目“{key}”的政府采购合计 {_yuan(total)} 超过该项目本年支出 {_yuan(spent)}，{_diff(total, spent)}：请核对采购金额或所属项目",
                          tuple(c.at("procurement", n, "amount") for n in rows[:5]))


@rule("project.type", "warning", "版式印项目类型（河南、湖北的项目支出表）时，每个项目都要写项目类型（其他运转类 / 特定目标类）")
def project_type(c: Context) -> Iterator[Problem]:
    """The type has a default (其他运转类) the tables would print as if typed — an export without the
    column made every project 其他运转类 in a trial's Hubei 表3/表5/表10. Asked only where it is printed."""
    spec_text = c.profile.model_dump_json()
    if not (any(t.builder == "project_list" for t in c.profile.tables) or "ptype:" in spec_text):
        return
    untyped = [n for n, p in enumerate(c.budget.projects) if "type" not in p.model_fields_set]
    if untyped:
        where = [c.at("projects", n) for n in untyped]
        names = "、".join(f"“{c.budget.projects[n].name}”" for n in untyped[:3]) + ("等" if len(untyped) > 3 else "")
        yield Problem("project.type", "warning",
                      f"{names} {len(untyped)} 个项目没写项目类型（type：其他运转类 / 特定目标类），此版式的表中会印作"
                      f"“其他运转类”：请写明{_places(where)}", tuple(where[:5]))


@rule("project.items", "warning", "登记的项目应有支出明细行")
def project_items(c: Context) -> Iterator[Problem]:
    used = {e.project for e in c.budget.expenditures if e.project}
    for n, p in enumerate(c.budget.projects):
        if p.key not in used:
            yield Problem("project.items", "warning", f"项目“{p.name}”没有任何支出明细行，不会出现在项目支出表中",
                          (c.at("projects", n, "name"),))


def _names_rule(c: Context, attr: str, rule_id: str, what: str, lookup: Callable[[str], str | None],
                named: Mapping[str, str] | None = None, skip: frozenset[str] = frozenset()) -> Iterator[Problem]:
    """Codes against the year's catalog, names given in the input against the catalog's (issue 10):
    known code + same name: fine; known code + other name: warning naming both; unknown code + name:
    a notice (printed with the input's name); unknown code without a name: an error saying what to add.
    `named` holds the names typed once for a code (`function_names`, which has its own notice): they
    serve every line of that code, as the tables print them (a trial's 7-digit entry was acknowledged
    and its lines refused); a line naming the code otherwise is a warning, the entry being what prints."""
    by_code: dict[str, list[int]] = defaultdict(list)
    for n, e in enumerate(c.budget.expenditures):
        by_code[getattr(e, attr)].append(n)
    cat = c.catalog
    for code, lines in sorted(by_code.items()):
        if code in skip:
            continue
        official = lookup(code)
        given = {getattr(c.budget.expenditures[n], f"{attr}_name") for n in lines} - {None}
        if official is not None and given <= {official}:
            continue
        where = [c.at("expenditures", n, attr) for n in lines]
        if official is None and named and code in named:
            other = sorted(g for g in given if g != named[code])
            if other:
                yield Problem(rule_id, "warning",
                              f"{what}“{code}”function_names 写作“{named[code]}”，明细行写作“{'”“'.join(other)}”；"
                              f"表中印前者，请核对{_places(where)}", tuple(where[:5]))
            continue
        if official is not None:
            other = sorted(g for g in given if g != official)
            if other:
                yield Problem(rule_id, "warning",
                              f"{what}“{code}”在{cat.label}中名为“{official}”，输入写作“{'”“'.join(other)}”；"
                              f"表中印目录名称，请核对编码{_places(where)}", tuple(where[:5]))
        elif given and cat.is_complete("function" if attr == "function" else "economic_dept"):
            # the year's whole published catalog (an imported workbook) lacks it: not an extract's gap, a wrong code
            yield Problem(rule_id, "warning", f"{what}“{code} {sorted(given)[0]}”不在{cat.year}年完整目录（{cat.source}）中："
                          f"请核对编码{_places(where)}", tuple(where[:5]))
        elif given:
            yield Problem(rule_id, "notice", f"{what}“{code} {sorted(given)[0]}”{cat.label}未收录，按输入名称印制"
                          f"{_places(where)}", tuple(where[:5]))
        else:
            yield Problem(rule_id, "error",
                          f"{what}“{code}”不在{cat.label}中，也没有写名称：请核对编码，或把名称写在编码后"
                          f"（如“{code} 科目名称”，或填 {attr}_name），或用 discloser catalog import 导入当年完整目录"
                          f"{_places(where)}", tuple(where[:5]))


def _introduced_later(c: Context) -> dict[str, Introduced]:
    """The 功能分类 codes of the file (lines and function_names) that a later year's revision added — the
    code, its 款 or its 类 — and this year's catalog (a user's included) does not have."""
    from .catalog import introduced_after

    codes = {e.function for e in c.budget.expenditures} | set(c.budget.function_names)
    out = {}
    for code in codes:
        if c.catalog.function_name(code) is None:
            found = introduced_after(code, c.budget.year)
            if found is not None:
                out[code] = found
    return out


@rule("catalog.added", "error", "功能分类科目不能早于它设立的年度：后一年目录的修订（changes）新增的科目，不在此前年度")
def catalog_added(c: Context) -> Iterator[Problem]:
    """A code a revision added in year Y (22006 by 财预〔2024〕22号) in an earlier year's file: no name typed for it
    makes it a code of that year — the catalog said otherwise (a trial was told to add its name, and passed)."""
    late = _introduced_later(c)
    if not late:
        return                          # (locating every line of a 20,000-item file cost a tenth of a second)
    by_code: dict[str, list[Location]] = defaultdict(list)
    for n, e in enumerate(c.budget.expenditures):
        if e.function in late:
            by_code[e.function].append(c.at("expenditures", n, "function"))
    for code in c.budget.function_names:
        by_code[code].append(c.src.locate(("function_names", code), key=True))
    for code, found in sorted(late.items()):
        where = by_code[code]
        part = "" if found.code == code else f"所属的{LEVEL_WORDS[len(found.code)]}“{found.code} {found.name}”"
        yield Problem("catalog.added", "error",
                      f"功能分类科目“{code}”{part}于{found.year}年新增"
                      + (f"（{found.document}）" if found.document else "")
                      + f"，{c.budget.year}年没有这一科目：请核对编码和预算年度（{c.budget.year}年的支出用当年的科目）"
                      + _places(where), tuple(where[:5]))


LEVEL_WORDS = {3: "类", 5: "款", 7: "项"}


def _retired(c: Context) -> dict[tuple[str, str], Retired]:
    """The file's codes (lines and function_names) that a catalog revision up to this year retired — the code,
    its 款 or its 类 — and this year's catalog (a user's included) does not have: {(section, code): Retired}."""
    from .catalog import retired_by

    codes = {("function", e.function) for e in c.budget.expenditures} | {("function", k) for k in c.budget.function_names}
    codes |= {("economic_dept", e.economic) for e in c.budget.expenditures}
    out = {}
    for section, code in codes:
        if c.catalog.table(section).get(code) is None:
            found = retired_by(code, c.budget.year, section, c.catalog.user_dir)
            if found is not None:
                out[(section, code)] = found
    return out


@rule("catalog.retired", "error", "已停用的科目不能再用：目录的修订（changes，随包目录或导入的用户目录）停用的科目，此后年度没有")
def catalog_retired(c: Context) -> Iterator[Problem]:
    """A code a revision retired (a renamed-away 项, a merged 款) typed in a later year's file: its name typed
    beside it must not make it printable (a trial's retired 2200199 printed with no flag once its rollover
    comment was deleted)."""
    for (section, code), found in sorted(_retired(c).items()):
        attr = "function" if section == "function" else "economic"
        where = [c.at("expenditures", n, attr) for n, e in enumerate(c.budget.expenditures) if getattr(e, attr) == code]
        if section == "function" and code in c.budget.function_names:
            where.append(c.src.locate(("function_names", code), key=True))
        what = "功能分类科目" if section == "function" else "部门经济分类科目"
        part = "" if found.code == code else f"所属的{LEVEL_WORDS[len(found.code)]}“{found.code} {found.name}”"
        yield Problem("catalog.retired", "error",
                      f"{what}“{code}”{part}于{found.year}年停用" + (f"（{found.document}）" if found.document else "")
                      + f"，{c.budget.year}年没有这一科目：请按{c.budget.year}年目录改用新科目" + _places(where),
                      tuple(where[:5]))


@rule("catalog.function", "error", "功能分类科目编码应在当年目录中，或写明名称；其类、款的名称也要有")
def catalog_function(c: Context) -> Iterator[Problem]:
    late = frozenset(_introduced_later(c))   # said by catalog.added: no name would make them this year's codes
    late |= {code for (section, code) in _retired(c) if section == "function"}   # and by catalog.retired
    yield from _names_rule(c, "function", "catalog.function", "功能分类科目", c.catalog.function_name,
                           c.budget.function_names, late)
    # The tables print a row for the 类 and the 款 of every 项: their names come from the catalog (or from
    # a line typed at that level with its name). A name nobody gave would print as a blank row label.
    given = {e.function for e in c.budget.expenditures if e.function_name} | set(c.budget.function_names)
    for code, name in sorted(c.budget.function_names.items()):
        if code in late:
            continue
        official = c.catalog.function_name(code)
        where = c.src.locate(("function_names", code), key=True)
        if official is None and c.catalog.is_complete("function"):
            yield Problem("catalog.function", "warning", f"功能分类科目“{code} {name}”不在{c.catalog.year}年完整目录"
                          f"（{c.catalog.source}）中：请核对编码", (where,))
        elif official is None:
            yield Problem("catalog.function", "notice", f"功能分类科目“{code} {name}”{c.catalog.label}未收录，按输入名称印制",
                          (where,))
        elif official != name:
            yield Problem("catalog.function", "warning", f"功能分类科目“{code}”在{c.catalog.label}中名为“{official}”，"
                          f"function_names 写作“{name}”；表中印目录名称，请核对编码", (where,))
    missing: dict[str, list[int]] = defaultdict(list)
    for n, e in enumerate(c.budget.expenditures):
        if e.function in late:
            continue
        for parent in (e.function[:3], e.function[:5]):
            if len(parent) < len(e.function) and not c.catalog.function_name(parent) and parent not in given:
                missing[parent].append(n)
    # a mistyped code (2103009 for 2130309) whose typed name is another code's — the catalog's, or the file's
    # own other lines' — where that name is one code's (行政运行 is a dozen 款's) or one is the same digits
    named: dict[str, set[str]] = defaultdict(set)
    for code, name in c.catalog.table("function").items():
        named[name].add(code)
    for e in c.budget.expenditures:
        if e.function_name and not named.get(e.function_name) and not any(e.function.startswith(m) for m in missing):
            named[e.function_name].add(e.function)
    by_name: dict[str, tuple[str, str]] = {}
    for e in c.budget.expenditures:
        codes = named.get(e.function_name or "", set())
        near = [k for k in codes if sorted(k) == sorted(e.function)]
        pick = [*codes] if len(codes) == 1 else near if len(near) == 1 else []
        if pick and e.function_name:
            by_name[e.function_name] = (pick[0], "目录中" if c.catalog.function_name(pick[0]) else "本文件其他行")
    json_file = str(c.src.path).lower().endswith(".json")
    for code, lines in sorted(missing.items()):
        where = [c.at("expenditures", n, "function") for n in lines]
        level = "类" if len(code) == 3 else "款"
        typos = sorted({f"“{e.function} {e.function_name}”{by_name[e.function_name][1]}的编码是 {by_name[e.function_name][0]}"
                        for e in (c.budget.expenditures[n] for n in lines)
                        if e.function_name in by_name and by_name[e.function_name][0] != e.function})
        entry = f'"{code}": "名称"' if json_file else f"'{code}': 名称"
        yield Problem("catalog.function", "error",
                      f"功能分类{level}“{code}”不在{c.catalog.label}中，表中这一{level}的名称无处可取："
                      + (f"{'；'.join(typos)}——请先核对编码；确是新科目时，" if typos else "请先核对编码；确是目录未收录的科目时，")
                      + f"在数据文件的 function_names 下写一行“{entry}”（填报工作簿：“科目名称”表），或用 discloser "
                      f"catalog import 导入当年完整目录{_places(where)}", tuple(where[:5]))


@rule("catalog.economic", "error", "经济分类科目编码应在当年目录中，或写明名称；每个款都要有对应的政府经济分类")
def catalog_economic(c: Context) -> Iterator[Problem]:
    yield from _names_rule(c, "economic", "catalog.economic", "部门经济分类科目", c.catalog.economic_dept_name,
                           skip=frozenset(code for (section, code) in _retired(c) if section == "economic_dept"))
    unmapped: dict[tuple[str, str], list[Location]] = defaultdict(list)
    unusual: dict[str, list[Location]] = defaultdict(list)
    for a in c.facts.spending:
        if not a.gov_economic and c.facts.economic_name(a.economic):   # an unknown, unnamed code: reported above
            unmapped[(a.economic, a.unit_kind.value)] += [c.at("expenditures", n, "economic") for n in a.lines]
        if a.basic and a.economic[:3] not in ("301", "302", "303", "310", "399", "307"):
            unusual[a.economic] += [c.at("expenditures", n, "economic") for n in a.lines]
    for (code, kind), where in sorted(unmapped.items()):
        yield Problem("catalog.economic", "error",
                      f"部门经济分类“{code}”（{kind}）在{c.catalog.label}中没有对应的政府经济分类科目；"
                      f"请在用户目录（--catalog）的 dept_to_gov 中补充{_places(where)}", tuple(where[:5]))
    for code, where in sorted(unusual.items()):
        yield Problem("catalog.economic", "warning",
                      f"基本支出不常用经济分类“{code} {c.facts.economic_name(code)}”（通常用于项目支出），请核对{_places(where)}",
                      tuple(where[:5]))


@rule("item.kind", "error", "人员经费用 301/303 类，公用经费用 302/310 等类")
def item_kind(c: Context) -> Iterator[Problem]:
    for n, e in enumerate(c.budget.expenditures):
        cls = e.economic[:3]
        if e.kind is ExpenseKind.personnel and cls not in ("301", "303"):
            yield Problem("item.kind", "error", f"人员经费应为工资福利支出(301)或对个人和家庭的补助(303)，此行经济分类为 {e.economic}",
                          (c.at("expenditures", n, "kind"), c.at("expenditures", n, "economic")))
        elif e.kind is ExpenseKind.public and cls in ("301", "303"):
            yield Problem("item.kind", "error", f"公用经费不应使用经济分类 {e.economic}（301/303 属人员经费）",
                          (c.at("expenditures", n, "kind"), c.at("expenditures", n, "economic")))


# ------------------------------------------------------------------ performance

@rule("perf.tasks-total", "error", "部门整体绩效目标表：每个资金栏的任务金额合计 = 该栏代表的支出；任务合计 = 支出合计")
def perf_tasks_total(c: Context) -> Iterator[Problem]:
    dept = c.budget.performance.department
    columns = c.profile.task_columns
    if not dept or not dept.tasks or not columns:
        return   # a profile without task amount columns prints tasks as text only
    labels = [col.label for col in columns]
    whole = c.profile.whole_task_column
    for n, t in enumerate(dept.tasks):
        unknown = [k for k in t.amounts if k not in labels]
        if unknown and not whole:   # a form with one whole column takes a task split in any columns
            yield Problem("perf.tasks-total", "error",
                          f"任务“{t.name}”的资金栏“{'、'.join(unknown)}”不在版式的资金栏中（{'、'.join(labels)}）",
                          (c.at("performance", "department", "tasks", n, "amounts"),))
    spending = c.facts.spending
    tasks = _total(a for t in dept.tasks for a in t.amounts.values())
    spend = c.facts.yuan(spending)
    if tasks != spend:
        yield Problem("perf.tasks-total", "error",
                      f"部门整体绩效目标的任务金额合计 {_yuan(tasks)} ≠ 支出合计 {_yuan(spend)}，{_diff(tasks, spend)}",
                      (c.at("performance", "department", "tasks"), c.at("expenditures")))
    for col in columns:
        pred = compile_measure(col.measure)
        column = _total(task_amount(t, col.label, whole) for t in dept.tasks)
        target = c.facts.yuan(a for a in spending if pred(a))
        if column != target:
            yield Problem("perf.tasks-total", "error",
                          f"任务的“{col.label}”栏合计 {_yuan(column)} ≠ 该栏代表的支出（{describe_measure(col.measure)}）{_yuan(target)}，"
                          f"{_diff(column, target)}", (c.at("performance", "department", "tasks"), c.at("expenditures")))


@rule("perf.blank", "notice", "部门整体绩效目标表中按文件印出的格子（职能依据、编制、上年预算情况……），文件没写时留空，表中没有位置的不印：事先列出")
def perf_blank(c: Context) -> Iterator[Problem]:
    """A form cell that prints a fact as typed is blank when the file leaves it out — never a made-up 0 —
    and the clerk hears of it before publishing (a trial's Gansu form had nine such holes, unannounced)."""
    from .tables.common import fill
    from .tables.declaration import FACT_CELLS, form_blocks, labels_of

    if c.budget.performance.department is None:
        return
    for spec in c.profile.tables:
        options = spec.options.model_dump(exclude_unset=True)   # as the builders read them
        blocks = [b for b in form_blocks(spec) if spec.builder != "department_performance_declaration"
                  or b != "basic_info" or c.facts.given("organization.staffing")]
        if not blocks:
            continue
        if c.facts.scope not in spec.scopes:
            continue
        words = labels_of(c.facts, options)
        cells = [cell for block in blocks for cell in FACT_CELLS.get(block, [])]
        if "mandate" in blocks and c.budget.organization.mandate_changed:
            cells.append(("change", "organization.mandate_change"))
        blank = [f"{words[key]}（{path}）" for key, path in cells if not c.facts.given(path)]
        if blank:
            yield Problem("perf.blank", "notice",
                          f"{spec.number}“{fill(spec.title, c.facts)}”中这些格子文件没有写，将留空印出：{'、'.join(blank)}；"
                          f"有的请补上，确实没有的可不填", (c.at("performance", "department"),))
        if spec.builder == "department_performance_declaration" and c.budget.organization.mandate_change:
            # 江西's form ticks 是 for a change of duties but has no cell for what changed (a trial's text vanished)
            yield Problem("perf.blank", "notice",
                          f"{spec.number}“{fill(spec.title, c.facts)}”只勾选职能是否有重大变化，没有写变化内容的格子："
                          f"职能变化内容（organization.mandate_change）不会印出", (c.at("organization", "mandate_change"),))


def _all_indicators(b: Budget):
    for n, p in enumerate(b.projects):
        if p.performance:
            for field in ("long_term_indicators", "indicators"):
                for k, ind in enumerate(getattr(p.performance, field)):
                    yield ("projects", n, "performance", field, k), ind
    if b.performance.department:
        for field in ("long_term_indicators", "indicators"):
            for k, ind in enumerate(getattr(b.performance.department, field)):
                yield ("performance", "department", field, k), ind
    if b.performance.special_fund:
        for k, ind in enumerate(b.performance.special_fund.indicators):
            yield ("performance", "special_fund", "indicators", k), ind


@rule("perf.indicator-level", "warning", "一级/二级指标应属于版式声明的指标体系（各省不同：不符时提醒，不阻止生成）")
def perf_indicator_level(c: Context) -> Iterator[Problem]:
    levels = c.profile.indicator_levels
    if not levels:
        return
    for path, ind in _all_indicators(c.budget):
        if ind.level1 not in levels:
            yield Problem("perf.indicator-level", "warning",
                          f"一级指标“{ind.level1}”不在版式“{c.profile.label}”的指标体系中（{'、'.join(levels)}）", (c.at(*path, "level1"),))
        elif ind.level2 not in levels[ind.level1]:
            yield Problem("perf.indicator-level", "warning",
                          f"“{ind.level1}”下没有二级指标“{ind.level2}”（可用：{'、'.join(levels[ind.level1])}）",
                          (c.at(*path, "level2"),))


@rule("perf.indicator-column", "error", "按一级指标分栏的表（河南、湖北的项目绩效目标汇总表）中，每个项目指标都要有它的一栏")
def perf_indicator_column(c: Context) -> Iterator[Problem]:
    """A summary table puts each indicator in its 一级指标's column (`project_performance_summary`): one of
    another 一级指标 has no column and would silently be left out — a trial's typo “产出指” dropped
    “印制宣传册数量 ≥5000册” from Henan's 表14 while the build succeeded on a warning."""
    from .tables.common import fill

    for spec in c.profile.tables:
        if spec.builder != "project_performance_summary":
            continue
        columns = spec.options.level1
        for n, project in enumerate(c.budget.projects):
            for k, ind in enumerate(project.performance.indicators if project.performance else []):
                group = spec.options.by_level2.get(ind.level2, ind.level1)
                if group not in columns:
                    yield Problem("perf.indicator-column", "error",
                                  f"{spec.number}“{fill(spec.title, c.facts)}”按一级指标分栏（{'、'.join(columns)}），"
                                  f"项目“{project.name}”的指标“{ind.name}”的一级指标“{ind.level1}”没有一栏，表中会漏掉它："
                                  "请改为其中之一", (c.at("projects", n, "performance", "indicators", k, "level1"),))


NO_INDICATOR = ("无", "—", "/", "／")    # an indicator row that says there is none under its 二级指标


@rule("perf.indicator-value", "error", "每个指标都要有指标值；数值型比较符（≥ ≤ = > <）的指标值必须是数字")
def perf_indicator_value(c: Context) -> Iterator[Problem]:
    """A 定性 indicator without a value validated and printed an empty 指标值 (trialV2-s24): never print what the
    input did not say. A row named “无” is the references' way to say a 二级指标 has no indicator (Shaanxi prints
    “经济效益指标 | 无 |” with nothing after): it has no value by design."""
    for path, ind in _all_indicators(c.budget):
        if not ind.value.strip() and ind.name.strip() not in NO_INDICATOR:
            yield Problem("perf.indicator-value", "error",
                          f"指标“{ind.name}”没有指标值（value）：表中这一格会是空的。请写明指标值"
                          f"（定性指标写文字，如“明显提升”）", (c.at(*path, "value") if "value" in ind.model_fields_set else c.at(*path),))
            continue
        if ind.comparator is None or ind.comparator.value == "定性" or not ind.value.strip():
            continue
        try:
            Decimal(ind.value.strip())
        except (InvalidOperation, AttributeError):
            yield Problem("perf.indicator-value", "error",
                          f"指标“{ind.name}”的比较符为“{ind.comparator.value}”，指标值“{ind.value}”却不是数字"
                          f"（数字写在 value，单位写在 measure；文字性指标用 comparator: 定性）",
                          (c.at(*path, "value"),))


@rule("perf.indicator-goal", "error", "部门整体绩效指标所属目标的序号（goal）要在目标清单之内")
def perf_indicator_goal(c: Context) -> Iterator[Problem]:
    """An indicator under goal 5 of two printed in a block with no goal heading (a trial's Hubei 表13)."""
    dept = c.budget.performance.department
    if dept is None:
        return
    for field, goals, what in (("indicators", dept.goals, "年度目标"), ("long_term_indicators", dept.long_term_goals, "长期目标")):
        for k, ind in enumerate(getattr(dept, field)):
            if ind.goal is not None and ind.goal > len(goals):
                yield Problem("perf.indicator-goal", "error",
                              f"指标“{ind.name}”属于第 {ind.goal} 个{what}，但{what}只有 {len(goals)} 个：请核对序号（goal）",
                              (c.at("performance", "department", field, k, "goal"),))


@rule("perf.past-values", "error", "近两年指标值（past_values）最多两个：前年、上年")
def perf_past_values(c: Context) -> Iterator[Problem]:
    """Three values for two columns: the last year's was dropped without a word (a trial's Hubei 表13)."""
    for path, ind in _all_indicators(c.budget):
        if len(ind.past_values) > 2:
            yield Problem("perf.past-values", "error",
                          f"指标“{ind.name}”写了 {len(ind.past_values)} 个近两年指标值，表中只有前年、上年两栏：请只留这两年的",
                          (c.at(*path, "past_values"),))


@rule("project.total-budget", "error", "项目总预算（total_budget，实施期资金总额）不小于项目本年的支出")
def project_total_budget(c: Context) -> Iterator[Problem]:
    """A form printed 资金总额 500.00 above 年度资金总额 650.00 (a trial's Hubei 表15)."""
    for n, p in enumerate(c.budget.projects):
        spent = c.facts.yuan(c.facts.project_atoms(p.key))
        if p.total_budget is not None and spent > p.total_budget:
            yield Problem("project.total-budget", "error",
                          f"项目“{p.name}”的总预算 {_yuan(p.total_budget)} 小于它本年的支出 {_yuan(spent)}，"
                          f"{_diff(p.total_budget, spent)}：总预算是整个实施期的资金，请核对",
                          (c.at("projects", n, "total_budget"),))


@rule("project.total-budget-split", "warning",
      "跨年项目的总预算要写其中的财政拨款（total_budget_fiscal），绩效目标表的实施期资金总额才印得出其中：财政拨款 / 其他资金；"
      "写了就不小于本年的财政拨款，其余不小于本年的其他资金（否则为错误）")
def project_total_budget_split(c: Context) -> Iterator[Problem]:
    """表13 and 表15 split 实施期资金总额 into 财政拨款 / 其他资金, as the Shaanxi reference does: for a project
    whose total budget is this year's amount the split is this year's; for a multi-year one only the file can
    say it. A missing one is a warning where a form would print the 实施期 split (a project's form leaves it out,
    表15 prints “—” in it — never a blank under the total: trialE-s23 saw 5,270,900.75 over two empty cells); a typed one that cannot hold
    this year's money is an error."""
    printed = any(t.builder == "project_performance" and getattr(t.options, "amount_figure", "period") == "period"
                  and c.facts.scope in t.scopes for t in c.profile.tables)
    special = c.budget.performance.special_fund is not None and any(
        t.builder == "special_fund_performance" and c.facts.scope in t.scopes for t in c.profile.tables)
    for n, p in enumerate(c.budget.projects):
        atoms = c.facts.project_atoms(p.key)
        fiscal = c.facts.yuan([a for a in atoms if a.fiscal])
        other = c.facts.yuan([a for a in atoms if not a.fiscal])
        if p.total_budget_fiscal is not None:
            at = (c.at("projects", n, "total_budget_fiscal"),)
            if p.total_budget is None:
                yield Problem("project.total-budget-split", "error",
                              f"项目“{p.name}”写了总预算中的财政拨款 {_yuan(p.total_budget_fiscal)}，却没写总预算（total_budget）："
                              f"请写上总预算，或删去 total_budget_fiscal", at)
            elif p.total_budget_fiscal > p.total_budget:
                yield Problem("project.total-budget-split", "error",
                              f"项目“{p.name}”总预算中的财政拨款 {_yuan(p.total_budget_fiscal)} 大于总预算 {_yuan(p.total_budget)}，"
                              f"{_diff(p.total_budget_fiscal, p.total_budget)}", at)
            elif p.total_budget_fiscal < fiscal or p.total_budget - p.total_budget_fiscal < other:
                rest = p.total_budget - p.total_budget_fiscal
                yield Problem("project.total-budget-split", "error",
                              f"项目“{p.name}”总预算 {_yuan(p.total_budget)} 中财政拨款 {_yuan(p.total_budget_fiscal)}、其他资金 "
                              f"{_yuan(rest)}，容不下它本年的财政拨款 {_yuan(fiscal)}、其他资金 {_yuan(other)}：实施期包含本年，请核对", at)
        elif (p.total_budget is not None and p.total_budget != fiscal + other and atoms
              and (special or (printed and p.performance is not None))):
            yield Problem("project.total-budget-split", "warning",
                          f"跨年项目“{p.name}”的总预算 {_yuan(p.total_budget)} 没写其中的财政拨款（total_budget_fiscal）："
                          f"绩效目标表的实施期资金总额无从分列“其中：财政拨款 / 其他资金”（项目绩效目标表不印这两行，专项资金绩效目标表印“—”；"
                          f"本年的 {_yuan(fiscal)} / {_yuan(other)} 照印）；"
                          f"请写明总预算中财政拨款多少，其余按其他资金印", (c.at("projects", n, "total_budget"),))


# ------------------------------------------------------------------ prior year

@rule("prior.consistency", "error", "上年功能分类各项之和 = 上年经济分类各类之和 = 上年一般公共预算支出")
def prior_consistency(c: Context) -> Iterator[Problem]:
    py = c.budget.prior_year
    sums = []
    if py.general:
        sums.append(("上年一般公共预算支出（prior_year.general）", py.general.amount, ("prior_year", "general")))
    for key, label in (("function", "上年功能分类各项之和"), ("economic_dept", "上年部门经济分类各类之和"),
                       ("economic_gov", "上年政府经济分类各类之和")):
        d = getattr(py, key)
        if d:
            sums.append((label, _total(f.amount for f in d.values()), ("prior_year", key)))
    for (la, a, pa), (lb, bb, pb) in zip(sums, sums[1:]):
        if a != bb:
            yield Problem("prior.consistency", "error", f"{la} {_yuan(a)} ≠ {lb} {_yuan(bb)}，{_diff(a, bb)}",
                          (c.at(*pa), c.at(*pb)))


@rule("prior.history", "notice", "近两年收支金额（湖北）中上年的收入合计、财政拨款与上年收支总计、上年财政拨款收支不同")
def prior_history(c: Context) -> Iterator[Problem]:
    """Last year typed twice — in `prior_year` (the 说明's changes) and in the history the form prints —
    is usually one figure, and a slip prints both (a trial's 表13 printed 1,370.00 for 2024 while the
    说明 said “减少80.47万元” from 1,430). Only a notice: the Tongcheng reference's own history (871.07万元
    for 2023) covers less than its 上年收支总计 (12,329.48万元), so the two may differ on purpose."""
    py, dept = c.budget.prior_year, c.budget.performance.department
    for n, h in enumerate(dept.history if dept else []):
        if h.year != c.budget.year - 1:
            continue
        for prior, key, mine, label in ((py.total, "total", h.fiscal + h.other, "收入合计（财政拨款 + 其他资金）"),
                                        (py.fiscal, "fiscal", h.fiscal, "财政拨款")):
            if prior is not None and prior.amount != mine:
                yield Problem("prior.history", "notice",
                              f"近两年收支金额中 {h.year} 年的{label} {_yuan(mine)} ≠ prior_year.{key} {_yuan(prior.amount)}，"
                              f"{_diff(mine, prior.amount)}：表中印前者，说明的增减按后者算；若两处是同一个数，请改成一致"
                              f"（近两年收支只含部分资金时可不改）",
                              (c.at("performance", "department", "history", n, "fiscal"), c.at("prior_year", key)))


# The concept each prior-year figure is compared with (the same atoms the 说明 prints beside it).
PRIOR_ITEMS: dict[str, Callable[[Facts], list]] = {
    **{name: (lambda f, name=name: f.three_public(name)) for name in THREE_PUBLIC},
    "公用经费": lambda f: f.general(kinds=[ExpenseKind.public]),
    "人员经费": lambda f: f.general(kinds=[ExpenseKind.personnel]),
    "基本支出": lambda f: f.general(basic=True),
    "项目支出": lambda f: f.general(basic=False),
    "机关运行经费": lambda f: f.running_costs(),
    "政府性基金预算拨款支出": lambda f: f.select(funds=[Fund.gov_fund]),
    "国有资本经营预算拨款支出": lambda f: f.select(funds=[Fund.state_capital]),
}


GENERAL_ITEMS = ("公用经费", "人员经费", "基本支出", "项目支出")   # PRIOR_ITEMS measured on 一般公共预算 only


def prior_figures(py) -> Iterator[tuple[tuple, str, PriorFigure]]:
    """(path in prior_year, what, the figure) for every prior-year figure the input gives (items of a known name)."""
    for key, what in (("total", "收支总计"), ("fiscal", "财政拨款收支"), ("general", "一般公共预算拨款支出")):
        if getattr(py, key) is not None:
            yield ("prior_year", key), what, getattr(py, key)
    for field_name, what in (("function", "功能科目"), ("economic_dept", "部门经济科目"), ("economic_gov", "政府经济科目")):
        for code, fig in getattr(py, field_name).items():
            yield ("prior_year", field_name, code), f"{what} {code}", fig
    for name, fig in py.items.items():
        if name in PRIOR_ITEMS:   # 人员/公用经费, 基本/项目支出 are 一般公共预算's (a trial typed the whole budget's)
            yield ("prior_year", "items", name), name + ("（一般公共预算）" if name in GENERAL_ITEMS else ""), fig


def prior_concepts(facts: Facts) -> Iterator[tuple[tuple, str, list, PriorFigure]]:
    """(path in prior_year, what, current atoms, the prior figure) for every prior-year figure the input gives."""
    general = facts.general()
    current: dict[str, Callable[[str], list]] = {
        "total": lambda _: facts.atoms, "fiscal": lambda _: [a for a in facts.atoms if a.fiscal], "general": lambda _: general,
        "function": lambda code: [a for a in general if a.function == code],
        "economic_dept": lambda code: [a for a in general if a.economic[:3] == code],
        "economic_gov": lambda code: [a for a in general if a.gov_economic[:3] == code],
        "items": lambda name: PRIOR_ITEMS[name](facts)}
    for path, what, fig in prior_figures(facts.prior_year):
        yield path, what, current[path[1]](path[-1]), fig


def _prints_no_change(c: Context, now: Decimal, before: Decimal) -> bool:
    """The two years print alike in the package's unit (万元): the 说明 says “与上年基本持平” and prints no
    reason, so none is asked (a trial typed one for a 3 元 change and saw it dropped). Judged on each year
    rounded half up; the tables' controlled rounding may still move this year's figure by 0.01."""
    d = c.facts.divisor
    return d > 1 and half_up(int(now * 100), d) == half_up(int(before * 100), d)


@rule("prior.reason", "warning", "说明中要写的增减变化应有原因")
def prior_reason(c: Context) -> Iterator[Problem]:
    py = c.budget.prior_year
    for name in py.items:
        if name not in PRIOR_ITEMS:
            close = difflib.get_close_matches(name, list(PRIOR_ITEMS), n=1, cutoff=0.4)
            hint = f"，是不是“{close[0]}”？" if close else f"（可用：{'、'.join(PRIOR_ITEMS)}）"
            yield Problem("prior.reason", "warning", f"未知的上年数项目“{name}”{hint}", (c.src.locate(("prior_year", "items", name), key=True),))
    for path, what, atoms, node in prior_concepts(c.facts):
        now = c.facts.yuan(atoms)
        if node.reason or now == node.amount or _prints_no_change(c, now, node.amount) or not _stated(c, path, atoms):
            continue
        yield Problem("prior.reason", "warning", f"“{what}”较上年有变化（上年 {_yuan(node.amount)}，本年 {_yuan(c.facts.yuan(atoms))}），"
                      f"但没有写原因（reason），说明中将只写增减额", (c.at(*path),))


FAR = 100     # this year at least 100 times last year's: the 说明 would say “增长9,900%” or more


@rule("prior.far", "notice", f"说明要写的增减中，本年是上年 {FAR} 倍以上的，请核对上年数（常见：上年数按万元填了，或少写了位数）")
def prior_far(c: Context) -> Iterator[Problem]:
    """The arithmetic of “增长95825079.00%” is right, and its cause is almost always a typo in the 上年数 — 万元 typed
    for 元, digits left off (a trial's 机关运行经费 of 1 元 last year, trialW-s30 D6). Said, not refused: a new duty
    can grow a figure a hundredfold."""
    for path, what, atoms, node in prior_concepts(c.facts):
        now = c.facts.yuan(atoms)
        if node.amount > 0 and now >= node.amount * FAR and _stated(c, path, atoms):
            yield Problem("prior.far", "notice",
                          f"“{what}”本年是上年的 {now / node.amount:,.0f} 倍（上年 {_yuan(node.amount)}，本年 {_yuan(now)}），"
                          f"说明将写增长 {(now - node.amount) / node.amount * 100:,.0f}%：请核对上年数是否以元填写、有没有少写位数",
                          (c.at(*path),))


def _whose(fund: Fund, carried_from: CarriedFrom | None = None) -> str:
    """Whose money a 结转 is, as next year's 上年结转结余 names it: a fiscal fund's, or 单位资金."""
    if fund is Fund.carryover:
        return (carried_from or CarriedFrom.unit).value
    return fund.value if fund in FISCAL_FUNDS else CarriedFrom.unit.value


@rule("prior.carry", "notice", "本年的上年结转结余应与上年预算计划的结转下年（prior_year.carry_forward）相符，不符时核对")
def prior_carry(c: Context) -> Iterator[Problem]:
    """What last year's budget planned to carry on is what this year may receive as 上年结转结余 (trial F: a
    unit planned 24,000 元 of 事业收入 and its next year typed 30,000 with no word; money carried from a fund
    that planned none passed too). A plan is not the outcome — so a notice, per unit, naming each fund's both
    figures. Only with `prior_year.carry_forward` typed (rollover writes it; [] when none was planned)."""
    planned_list = c.budget.prior_year.carry_forward
    if planned_list is None:
        return
    units = c.budget.organization.all_units()
    default = c.budget.organization.home_unit().code
    names = {u.code: u.name for u in units}
    planned: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for p in planned_list:
        planned[p.unit or default][_whose(p.fund, p.carried_from)] += p.amount
    carried: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for a in c.facts.atoms:
        if a.carry_in:
            carried[a.unit][_whose(a.fund)].append(a)   # a carried atom's fund is whose money it was
    revenue_lines = defaultdict(list)
    for n, r in enumerate(c.budget.revenues):
        if r.source is Fund.carryover:
            revenue_lines[r.unit or default].append(c.at("revenues", n, "amount"))
    for unit in sorted(planned.keys() | carried.keys()):
        parts = []
        for whose in sorted(planned[unit].keys() | carried[unit].keys()):
            plan, now = planned[unit][whose], c.facts.yuan(carried[unit][whose])
            if plan != now:
                parts.append(f"{whose}：上年计划 {_yuan(plan)}，本年 {_yuan(now)}")
        if parts:
            who = f"单位“{unit} {names.get(unit, '')}”" if len(units) > 1 else ""
            where = tuple(revenue_lines[unit][:4]) + (c.at("prior_year", "carry_forward"),)
            yield Problem("prior.carry", "notice",
                          f"{who}本年的上年结转结余与{c.budget.year - 1}年预算计划的结转下年不同——{'；'.join(parts)}。"
                          "计划与执行可以不同，请核对本年的上年结转结余（按 carried_from 分资金）", where)


@rule("prior.name", "error", "说明要写出本年未安排的上年科目时，科目要有名称（目录、本文件的行或 function_names）")
def prior_name(c: Context) -> Iterator[Problem]:
    """A 功能科目 with a prior-year figure and no spending this year is stated by name in the profiles that
    list the codes gone (“其他教育费附加安排的支出（2050999）本年未安排”). No line names it this year, so
    where the catalog lacks it too the 说明 would print a bare code — issue 10: never a code where a name belongs."""
    for path, _what, atoms, node in prior_concepts(c.facts):
        if path[1] != "function" or atoms or node.amount == 0 or c.facts.function_name(path[-1]):
            continue
        if _stated(c, path, atoms):
            code = path[-1]
            yield Problem("prior.name", "error",
                          f"上年功能科目 {code} 本年未安排，说明要写出它的名称，但{c.catalog.label}中没有、本文件也没有写：在数据文件的 "
                          f"function_names 下写一行“'{code}': 名称”（按《政府收支分类科目》）", (c.at(*path),))


def _stated(c: Context, path: tuple, atoms: list) -> bool:
    """Whether the profile's 说明 can state the change of this prior-year figure (a reason it would never
    print is not asked for: a trial's 基本支出 drew a warning in every profile, and prior.unused the same run).
    A 功能/经济科目 with no spending this year is stated only by a 说明 that lists the codes gone
    (`NarrativeFacts.vanished`): the lines of the others are this year's codes only."""
    from .narrative import prior_keys

    keys = prior_keys(c.profile)
    if path[1] in ("function", "economic_dept", "economic_gov") and not atoms:
        return f"{path[1]}.gone" in keys
    return ".".join(path[1:]) in keys or f"{path[1]}.*" in keys


_WHOLE_WORDS = {"total": "上年收支总计", "fiscal": "上年财政拨款收支", "general": "上年一般公共预算拨款支出",
                "function.*": "各功能分类项的上年数", "economic_dept.*": "各部门经济分类类的上年数",
                "economic_gov.*": "各政府经济分类类的上年数"}


@rule("prior.missing", "notice", "版式的说明要写较上年增减的上年数文件中没有写时，列出它们（说明不写这些增减，也不编造）")
def prior_missing(c: Context) -> Iterator[Problem]:
    """A file without `prior_year` (or without some of its figures) loses the 说明's year-on-year sentences
    silently: a trial's national 说明 dropped its whole 增减变化 section, its Henan one every 与上年相比, and the
    三公 sentence its change when 三公经费 alone was left out. Nothing is invented; the clerk is told what the
    profile's 说明 would state (read from its templates, `narrative.prior_keys`), as `perf.blank` tells a form's cells.
    Not named: an item with no money this year, and the code lists while some prior-year figure is given — the
    Linyou reference itself states no change of its 0-元 因公出国 or of any 政府经济分类 类."""
    from .narrative import prior_keys

    py = c.budget.prior_year
    keys = prior_keys(c.profile)
    none_given = not any(True for _ in prior_figures(py))
    # the 功能/经济科目 lists are named when no figure at all is given (a file may leave a list out on purpose,
    # as the references do); an item only when it has money this year (0 both years is the usual blank)
    missing = [f"{words}（prior_year.{key.removesuffix('.*')}）" for key, words in _WHOLE_WORDS.items()
               if key in keys and not getattr(py, key.removesuffix(".*")) and (none_given or not key.endswith("*"))]
    missing += [f"{name}（prior_year.items.{name}）" for name in PRIOR_ITEMS
                if f"items.{name}" in keys and name not in py.items and c.facts.yuan(PRIOR_ITEMS[name](c.facts))]
    if missing:
        where = c.at("prior_year") if "prior_year" in c.budget.model_fields_set else c.at()
        yield Problem("prior.missing", "notice",
                      f"版式“{c.profile.label}”的说明会写这些数较上年的增减，文件没有写上年数：{'、'.join(missing)}；"
                      f"说明中不写这些增减（不会编造）。有上年预算数的请补上（discloser rollover 由上年的文件生成时会算好），"
                      f"确实没有的可不填", (where,))


@rule("prior.unused", "notice", "上年数中此版式不印的数（及说明不写的增减原因）：生成时列出（在 build 中运行）")
def prior_unused(c: Context) -> Iterator[Problem]:
    """Registered for its id; which prior-year figures the 说明 asks for is known once it is rendered
    (`lint.check_document`)."""
    return iter(())


def _what(model, field: str) -> str:
    """A field's description up to its first aside: “专项转移支付项目情况”, not the whole schema text — an aside, not
    the （单位） of “部门（单位）基本制度建设” (it read “部门”, trialV-s28 D4), nor the （套） of “设备台（套）数”."""
    return re.split(r"（(?!单位）|套）)|[(，]", model.model_fields[field].description or field)[0]


@rule("facts.unused", "notice", "文件写了、此版式的说明不印的事实（如河南不印计划购置车辆、只有河南印专项转移支付）：事先列出")
def facts_unused(c: Context) -> Iterator[Problem]:
    """Some typed facts only the 说明 prints (`narrative.NARRATIVE_ONLY`: assets, special_transfer); a profile
    whose templates never read one drops it. So for the staffing and 年度工作任务, which only some profiles print
    (`narrative.SOME_PROFILES_PRINT`): typed for the national 说明 they vanished (trialH-s28 D4). A trial's ``planned_vehicles: 1`` vanished from its Henan and Hubei
    packages without a word. Which the 说明 reads is known from its templates' source (`narrative.fact_keys`),
    as `prior.missing` knows which changes it states; a notice, as ``prior.unused`` is: another province's 说明
    may print them."""
    from .narrative import NARRATIVE_ONLY, SOME_PROFILES_PRINT, fact_keys, prints_fact

    read = fact_keys(c.profile)
    unused: list[tuple[str, tuple]] = []
    for path in SOME_PROFILES_PRINT:       # 人员编制, 年度工作任务: the 说明 of 陕西 and 湖北 only, 甘肃 and 江西's forms
        owner, name = path.split(".")
        if c.facts.given(path) and not prints_fact(c.profile, path, forms=c.budget.performance.department is not None):
            unused.append((f"{path}（{_what(type(getattr(c.budget, owner)), name)}）", (owner, name)))
    for name in NARRATIVE_ONLY:
        value = getattr(c.budget, name)
        if value is None:
            continue
        if isinstance(value, dict):   # notes, by key
            unused += [(f"{name}.{k}（补充文字）", (name, k)) for k in value
                       if f"{name}.{k}" not in read and f"{name}.*" not in read]
            continue
        if name not in read or not hasattr(value, "model_fields_set"):
            if name not in read:
                unused.append((f"{name}（{_what(type(c.budget), name)}）", (name,)))
            continue
        unused += [(f"{name}.{f}（{_what(type(value), f)}）", (name, f))
                   for f in type(value).model_fields if f in value.model_fields_set
                   and getattr(value, f) is not None and f"{name}.{f}" not in read]
    if unused:
        yield Problem("facts.unused", "notice",
                      f"版式“{c.profile.label}”的说明不印文件中的：{'、'.join(what for what, _ in unused)}；"
                      f"它们不会出现在公开包中（别的版式可能印出）。确实不需公开的可删去", tuple(c.at(*path) for _, path in unused))


@rule("facts.missing", "notice", "版式会印、文件没有写的可选事实（封面的批复日期、说明的设备台（套）数）：事先列出，公开包中不印")
def facts_missing(c: Context) -> Iterator[Problem]:
    """The reverse of `facts.unused`: an optional fact the profile prints, left out of the file, drops its line or
    clause without a word — Henan's cover lost its “2023年2月”, its 国有资产 sentence “单价50万元以上通用设备0台（套），
    …专用设备0台（套）”, Hubei 表13 its 填报日期 (trialY-s29 D1, D2). Nothing is invented; the clerk is told, as
    `prior.missing` tells the year-on-year sentences. The date where a profile's text names it (`fill_dated`);
    the assets' counts its 说明 reads (`narrative.fact_keys`) when the file gives its assets (without them at all,
    `schema` asks for them where the 说明 needs them)."""
    from .narrative import fact_keys

    missing: list[tuple[str, tuple]] = []
    if c.budget.approval_date is None:
        from .tables.common import fill

        dated = (["封面的日期行"] if "{approval_" in c.profile.date_line else []) + \
            [f"{fill(spec.title, c.facts)}的{spec.options.meta.split('{')[0].rstrip('：: ') or '日期'}"
             for spec in c.profile.tables if spec.options.meta and "{approval_" in spec.options.meta]
        if dated:
            missing.append((f"approval_date（预算批复日期：{'、'.join(dated)}）", ()))
    assets = c.budget.assets
    if assets is not None:
        read = fact_keys(c.profile)
        missing += [(f"assets.{f}（{_what(type(assets), f)}）", ("assets",)) for f in type(assets).model_fields
                    if f"assets.{f}" in read and getattr(assets, f) is None and f != "equipment_threshold"]
    if missing:
        yield Problem("facts.missing", "notice",
                      f"版式“{c.profile.label}”会印这些、文件没有写：{'、'.join(what for what, _ in missing)}；"
                      f"公开包中不印（不会编造）。有的请补上（台、套、辆没有的写 0）",
                      tuple(dict.fromkeys(c.at(*path) for _, path in missing)))    # assets once, not once per count


# What the 说明 prints in place of a paragraph of notes a profile reads by key, when the file leaves it out.
NOTE_FALLBACK = {"performance": "绩效目标设置情况只印编制了目标的项目数，不写目标从产出、效益、满意度等方面的描述",
                 "performance_management": "预算绩效情况说明不印“预算绩效管理工作开展情况”一段（参考文件写一是、二是……各项工作）"}


@rule("notes.missing", "notice", "版式的说明读取的补充文字（如河南的 notes.performance）文件中没有写时，说明印什么：事先说明")
def notes_missing(c: Context) -> Iterator[Problem]:
    """Henan's 绩效目标设置情况 prints the file's ``notes.performance`` (the reference describes what the targets
    cover); without it, only a count (“9个预算项目中有8个编制了绩效目标”) — a trial's package said so silently.
    Which notes a profile reads is known from its templates (`narrative.fact_keys`)."""
    from .narrative import fact_keys

    for key in sorted(k.removeprefix("notes.") for k in fact_keys(c.profile) if k.startswith("notes.") and k != "notes.*"):
        if not c.budget.notes.get(key):
            yield Problem("notes.missing", "notice",
                          f"版式“{c.profile.label}”的说明会印补充文字 notes.{key}，文件没有写："
                          f"{NOTE_FALLBACK.get(key, '说明中这一段从简')}。需要时在 notes 下写 {key}: ……",
                          (c.at("notes") if "notes" in c.budget.model_fields_set else c.at(),))


# Words a reason uses for a rise and for a fall (压减 / 减少 … beside an increase is a slip).
_UP_WORDS = ("增加", "新增", "增长", "提高", "上涨", "调增", "扩大", "增设", "上升")
_DOWN_WORDS = ("减少", "压减", "压缩", "下降", "降低", "缩减", "调减", "核减", "取消", "减支", "节约")


@rule("prior.reason-direction", "warning", "增减原因的措辞应与增减方向一致（增加的原因不应只说压减、减少）")
def prior_reason_direction(c: Context) -> Iterator[Problem]:
    """The 说明 prints “较上年增加 X，主要原因是压减一般性支出” as typed: a reason that speaks only of the
    opposite direction is worth a second look (a trial wrote two such). A reason naming both (增人减支)
    passes."""
    for path, what, atoms, node in prior_concepts(c.facts):
        now = c.facts.yuan(atoms)
        if not node.reason or now == node.amount or not _stated(c, path, atoms):
            continue
        up = now > node.amount
        same = any(w in node.reason for w in (_UP_WORDS if up else _DOWN_WORDS))
        opposite = [w for w in (_DOWN_WORDS if up else _UP_WORDS) if w in node.reason]
        if opposite and not same:
            yield Problem("prior.reason-direction", "warning",
                          f"“{what}”较上年{'增加' if up else '减少'}（上年 {_yuan(node.amount)}，本年 {_yuan(now)}），"
                          f"原因却只说“{opposite[0]}”：“{node.reason}”——请核对原因或上年数", (c.at(*path, "reason"),))


# ------------------------------------------------------------------ what the profile's 说明 needs

@rule("needs.missing", "error", "版式的说明章节和表需要的事实必须写在文件中（“没有”也要写明，如 procurement: []）")
def needs_missing(c: Context) -> Iterator[Problem]:
    """A fact the package prints as stated (an asset count, the 政府采购 items) is never guessed from its
    absence: left out, it would print as “无政府采购预算” or drop a section the rules require."""
    for path, (where, about) in c.profile.required_facts(c.facts.scope).items():
        if not c.facts.given(path):     # located where it would stand (its parent; a workbook's sheet)
            yield Problem("needs.missing", "error",
                          f"版式“{c.profile.label}”的{where}需要 {path}{'（' + about + '）' if about else ''}，文件中没有",
                          (c.at(*path.split(".")),))


@rule("review.pending", "warning", "公开前须保密审查、主要负责人审签：文件没写“是”时，版式印审查情况的那一行不印")
def review_pending(c: Context) -> Iterator[Problem]:
    """The attestations are the clerk's, made on the finished package: a draft must build (the head signs what was
    printed), so one not yet said — absent, or “否” — is a warning (`--strict`, the publishing check, refuses it)
    and the profile's line that would print it is left out (`Profile.printed_preamble`), never “已审查” assumed nor
    “未审查” printed into a package meant for the public. “否” warns in every profile: the file says the package is
    not ready to publish."""
    review = c.budget.review
    printed = c.profile.attestations()
    for name, what in (("secrecy", "保密审查"), ("signed", "部门（单位）主要负责人审签")):
        said = getattr(review, name) if review is not None else None
        lead = printed.get(f"review.{name}")
        if said is True or (said is None and lead is None):
            continue
        line = f"报表目录前“{lead}”一行不印；" if lead is not None else ""
        state = f"文件写明尚未{what}（review.{name}: 否）" if said is False else f"文件没写是否已{what}（review.{name}）"
        yield Problem("review.pending", "warning",
                      f"{state}：{line}公开前须完成{what}，之后写 review.{name}: 是 再生成公开包（--strict 不通过）",
                      (c.at("review", name),))


# ------------------------------------------------------------------ the year

YEARS_AHEAD = 1     # a budget is drawn up in the autumn for the next year
YEARS_BACK = 10     # re-publishing an old package is possible, but worth a second look


@rule("scope.missing", "warning", "预算范围（scope：部门 / 单位）应写明：不写按部门预算印制")
def scope_missing(c: Context) -> Iterator[Problem]:
    """The title and every sentence say 部门预算 or 单位预算: left out, the file printed “…部门预算公开” for a 单位
    without a word (trial A D11, a merged cell emptied the workbook's 预算范围)."""
    if "scope" not in c.budget.model_fields_set:
        yield Problem("scope.missing", "warning",
                      "没有写预算范围（scope）：标题和说明将按部门预算印制（“……部门预算公开”）；"
                      "单位预算写“单位”，部门预算写“部门”", (c.at("scope"),))


@rule("year.far", "error", f"预算年度不能晚于明年；早于 {YEARS_BACK} 年前时提示核对")
def year_far(c: Context) -> Iterator[Problem]:
    """Against today's date: a year past next year is a typo (2062 for 2026), never a budget; a year more
    than `YEARS_BACK` years ago is only a notice (an old package re-published), never blocking."""
    this_year = date.today().year
    year = c.budget.year
    if year > this_year + YEARS_AHEAD:
        yield Problem("year.far", "error", f"预算年度 {year} 比今年（{this_year} 年）晚 {year - this_year} 年："
                      f"预算最多提前编制到明年（{this_year + YEARS_AHEAD} 年），请核对年度", (c.at("year"),))
    elif year < this_year - YEARS_BACK:
        yield Problem("year.far", "notice", f"预算年度 {year} 距今（{this_year} 年）已有 {this_year - year} 年，请确认年度无误",
                      (c.at("year"),))


def check(budget: Budget, src: Source, profile: Profile, catalog: Catalog, facts: Facts) -> list[Problem]:
    c = Context(budget, src, profile, catalog, facts)
    problems: list[Problem] = []
    for rule_id, (_, _, fn) in RULES.items():
        if rule_id in profile.rules_off:
            continue
        problems.extend(fn(c))
    return problems


from . import lint, safety  # noqa: E402,F401  (their rules register themselves in RULES)

__all__ = ["RULES", "check", "Context", "prior_concepts"]
