"""Hypothesis strategy: valid departments (plain dicts, then YAML), balanced by construction.

A generated department has 1–6 budget units of mixed kinds (行政单位 / 参照公务员法管理事业单位 /
事业单位), line items of every fund source (上年结转结余 and 结转下年 included, 政府性基金 and
国有资本经营 spending), projects with and without codes and with indicators, procurement,
prior-year figures with and without reasons, staffing and assets given, partly given or omitted,
and amounts chosen to stress 万元 rounding (many items ending in …49.99 / …50.00 元, i.e. exactly
on or next to a half cent of 万元).

The department's own `profile` decides the columns of its performance tasks' amounts (财政拨款 | 其他资金,
or one 预算金额 for 江西). A form whose one column is the whole (江西) takes tasks split in any columns;
a form with split columns refuses a task typed as one 预算金额 (rule perf.tasks-total), which is the one
fact-based refusal the tests allow besides a fact a profile needs (needs.missing).

Balance by construction: for every unit and every fund, the revenue is the unit's spending from
that fund plus its 结转下年 (carry_forward) from it; 上年结转结余 is both a revenue source and a fund.
Most 上年结转结余 lines and carry-forwards say whose money it was (`carried_from`: 一般公共预算拨款,
政府性基金预算拨款 or 国有资本经营预算拨款 — 财政拨款结转); the rest are 单位资金 carried in, said or not.

The codes come from the lists below, not from the shipped catalog. A function code the shipped
catalog may lack (205 教育, 229 60 彩票公益金 …) is given with its name (`function_name`), as a
clerk would copy it from the budget system's export. The economic codes are limited to those whose
政府经济分类 mapping by unit kind the oracle knows (`oracle/classes.py`).
"""
from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from typing import Any

import yaml
from hypothesis import strategies as st

GENERAL, GOV, STATE = "一般公共预算拨款", "政府性基金预算拨款", "国有资本经营预算拨款"
SPECIAL, OPS, BUSINESS = "财政专户管理资金", "事业收入", "事业单位经营收入"
HIGHER, SUBSIDIARY, OTHER, CARRY = "上级补助收入", "附属单位上缴收入", "其他收入", "上年结转结余"
NON_GENERAL = [GOV, STATE, SPECIAL, OPS, BUSINESS, HIGHER, SUBSIDIARY, OTHER, CARRY]

ADMIN, CIVIL, INST = "行政单位", "参照公务员法管理事业单位", "事业单位"

# 支出功能分类 项: (code, name or None when the shipped catalogs name it).
FUNCTIONS_BASIC = [
    ("2080501", None), ("2080502", None), ("2080505", None), ("2080506", None), ("2089999", None),
    ("2101101", None), ("2101102", None), ("2101103", None), ("2101199", None), ("2210201", None),
    ("2210202", None),
]
FUNCTIONS_RUNNING = [
    ("2101501", None), ("2101502", None), ("2101504", None), ("2101550", None), ("2101599", None),
    ("2050101", "行政运行"), ("2050201", "学前教育"), ("2050202", "小学教育"), ("2050203", "初中教育"),
    ("2050204", "高中教育"), ("2050801", "教师进修"), ("2010301", "行政运行"),
]
FUNCTIONS_PROJECT = FUNCTIONS_RUNNING + [
    ("2101201", None), ("2101202", None), ("2101301", None), ("2101302", None),
    ("2050999", "其他教育费附加安排的支出"), ("2050299", "其他普通教育支出"),
]
FUNCTIONS_GOV_FUND = [("2296002", "用于社会福利的彩票公益金支出"), ("2296004", "用于教育事业的彩票公益金支出"),
                      ("2296003", "用于体育事业的彩票公益金支出")]
FUNCTIONS_STATE = [("2230101", None), ("2230105", None), ("2230199", None), ("2239901", None)]

# 部门经济分类 款 by kind of spending.
PERSONNEL = ["30101", "30102", "30103", "30107", "30108", "30109", "30110", "30112", "30113", "30199",
             "30302", "30305", "30399"]
PUBLIC = ["30201", "30202", "30205", "30206", "30207", "30211", "30212", "30213", "30215", "30216",
          "30217", "30226", "30228", "30229", "30231", "30239", "30299", "31002", "31007", "31013"]
PROJECT_ANY = PUBLIC + ["30218", "30226", "30227", "31003", "31006", "30905", "30902", "30399", "30305",
                        "30199"]
PROJECT_ADMIN_ONLY = ["31302", "39999"]   # mapped for 机关 side only in the oracle's table
THREE_PUBLIC = ["30212", "30217", "30231", "31013", "30215", "30216"]

UNIT_NAMES = ["机关", "第一中学", "实验小学", "幼儿园", "教师进修学校", "事务服务中心", "执法大队", "信息中心",
              "培训中心", "检测站"]
DEPARTMENTS = ["教育局", "医疗保障局", "卫生健康局", "人力资源和社会保障局", "财政局", "民政局"]
COUNTIES = ["青川县", "平安县", "石门县", "临泉县", "东乡区", "和顺县"]
INDICATORS = [
    ("产出指标", "数量指标", "覆盖人数", "≥", "1200", "人"),
    ("产出指标", "质量指标", "验收合格率", "=", "100", "%"),
    ("产出指标", "时效指标", "完成时间", "定性", "年底前完成", ""),
    ("产出指标", "成本指标", "成本控制", "≤", "100", "%"),
    ("效益指标", "社会效益指标", "服务水平", "定性", "明显提升", ""),
    ("效益指标", "经济效益指标", "节约资金", "≥", "5", "万元"),
    ("满意度指标", "服务对象满意度指标", "群众满意度", "≥", "90", "%"),
]
PRIOR_ITEMS = ["三公经费", "因公出国（境）费", "公务接待费", "公务用车购置及运行费", "会议费", "培训费", "公用经费",
               "机关运行经费"]
REASONS = ["人员增加", "按照过紧日子要求压减一般性支出", "项目调整", "机构改革职能划转"]

CENT = Decimal("0.01")


def money_text(value: Decimal) -> str | int:
    """Amounts as a clerk types them: whole 元 as integers, others as text with cents."""
    return int(value) if value == value.to_integral_value() else f"{value:.2f}"


@st.composite
def amounts(draw, low: int = 100, high: int = 3_000_000) -> Decimal:
    """An amount in 元; most end in …49.99 / …50.00 / …50.01 元 (a half cent of 万元 or next to it)."""
    base = draw(st.integers(low // 100, high // 100)) * 100
    tail = draw(st.sampled_from(["49.99", "50.00", "50.01", "0.00", "99.99", "cents", "cents"]))
    if tail == "cents":
        return Decimal(base) + Decimal(draw(st.integers(1, 9999))) / 100
    return Decimal(base) + Decimal(tail)


def _split(draw, total: Decimal, parts: int) -> list[Decimal]:
    """`total` in `parts` positive pieces (in cents), the last taking the remainder."""
    cents = int(total * 100)
    if parts <= 1 or cents < parts:
        return [total]
    cuts = sorted(draw(st.lists(st.integers(1, cents - 1), min_size=parts - 1, max_size=parts - 1, unique=True)))
    edges = [0, *cuts, cents]
    return [Decimal(b - a) / 100 for a, b in zip(edges, edges[1:])]


def _indicators(draw) -> list[dict]:
    chosen = draw(st.lists(st.sampled_from(INDICATORS), min_size=1, max_size=5, unique=True))
    chosen.sort(key=INDICATORS.index)   # grouped by 一级/二级 as a clerk writes them
    return [{"level1": a, "level2": b, "name": c, "comparator": d, "value": e, **({"measure": f} if f else {})}
            for a, b, c, d, e, f in chosen]


@st.composite
def departments(draw, profiles: list[str] | None = None) -> dict[str, Any]:
    """One valid budget file as a dict (see the module docstring)."""
    year = draw(st.sampled_from([2023, 2024, 2025]))
    scope = draw(st.sampled_from(["部门", "部门", "单位"]))
    county = draw(st.sampled_from(COUNTIES))
    dept = draw(st.sampled_from(DEPARTMENTS))
    org_name = f"{county}{dept}"
    org_code = str(draw(st.integers(601, 689)))
    n_units = 1 if scope == "单位" else draw(st.integers(1, 6))
    first_kind = draw(st.sampled_from([ADMIN, ADMIN, CIVIL, INST] if scope == "单位" else [ADMIN, ADMIN, CIVIL]))
    kinds = [first_kind] + [draw(st.sampled_from([ADMIN, CIVIL, INST, INST])) for _ in range(n_units - 1)]
    suffixes = draw(st.lists(st.sampled_from(UNIT_NAMES[1:]), min_size=n_units - 1, max_size=n_units - 1, unique=True))
    units = [{"code": f"{org_code}{n + 1:03d}", "name": org_name if n == 0 else f"{county}{suffixes[n - 1]}", "kind": k}
             for n, k in enumerate(kinds)]
    listed_units = scope == "部门" and (n_units > 1 or draw(st.booleans()))
    default_unit = units[0]["code"] if listed_units else org_code

    organization: dict[str, Any] = {"name": org_name, "code": org_code, "kind": first_kind}
    if scope == "单位" and draw(st.booleans()):
        organization["parent"] = {"code": str(draw(st.integers(500, 599))), "name": f"{county}{draw(st.sampled_from(DEPARTMENTS))}"}
    if listed_units:
        organization["units"] = units
    organization["functions"] = [f"负责全{county[-1]}{dept[:-1]}工作的统筹规划和组织实施。", "完成上级交办的其他任务。"]
    organization["tasks"] = ["落实年度重点工作任务。"]
    if draw(st.booleans()):
        organization["divisions"] = ["办公室", "业务股"]
    if draw(st.booleans()):   # what the 甘肃 / 江西 forms print about the department
        organization["contact"] = {"person": "王敏", "phone": "0551-62314025"}
        organization["mandate_basis"] = f"{county}编办〔{year - 5}〕12号"
        organization["mandate_changed"] = draw(st.booleans())
    staffing_fields = ["authorized", "authorized_admin", "authorized_institution", "actual", "actual_admin",
                       "actual_institution", "retired"]
    staffing_mode = draw(st.sampled_from(["none", "full", "partial"]))
    if staffing_mode != "none":
        given = staffing_fields if staffing_mode == "full" else draw(
            st.lists(st.sampled_from(staffing_fields), min_size=1, max_size=4, unique=True))
        admin, inst = draw(st.integers(0, 120)), draw(st.integers(0, 300))
        actual_admin, actual_inst = draw(st.integers(0, admin)), draw(st.integers(0, inst))
        counts = {"authorized": admin + inst, "authorized_admin": admin, "authorized_institution": inst,
                  "actual": actual_admin + actual_inst, "actual_admin": actual_admin, "actual_institution": actual_inst,
                  "retired": draw(st.integers(0, 80))}
        organization["staffing"] = {f: counts[f] for f in staffing_fields if f in given}
    unit_codes = [u["code"] for u in units] if listed_units else [org_code]
    unit_kind = dict(zip(unit_codes, kinds))

    expenditures: list[dict] = []
    projects: list[dict] = []
    carry_forward: list[dict] = []
    spend: dict[tuple[str, str], Decimal] = {}

    def add_line(unit: str, fn: tuple[str, str | None], econ: str, kind: str, fund: str, amount: Decimal,
                 project: str | None = None) -> None:
        origin = carried_from() if fund == CARRY else None
        if origin in (GOV, STATE):      # carried 基金/国资 money pays for their functions
            fn = draw(st.sampled_from(FUNCTIONS_GOV_FUND if origin == GOV else FUNCTIONS_STATE))
        line: dict[str, Any] = {"function": fn[0], "economic": econ, "kind": kind, "amount": money_text(amount)}
        if origin:
            line["carried_from"] = origin
        if fn[1]:
            line["function_name"] = fn[1]
        if fund != GENERAL or draw(st.booleans()):
            line["fund"] = fund
        # a line may leave out its unit only where every line is the first unit's (rule item.unit-missing)
        if unit != default_unit or (listed_units and (len(unit_codes) > 1 or draw(st.booleans()))):
            line["unit"] = unit
        if project:
            line["project"] = project
        expenditures.append(line)
        spend[(unit, fund)] = spend.get((unit, fund), Decimal(0)) + amount

    def carried_from() -> str | None:
        """Whose money a 上年结转结余 line is: mostly a fiscal fund's (财政拨款结转), else 单位资金."""
        return draw(st.sampled_from([None, "单位资金", GENERAL, GENERAL, GOV, STATE]))

    project_serial = 0
    for unit in unit_codes:
        ukind = unit_kind[unit]
        funds = [GENERAL] + draw(st.lists(st.sampled_from(NON_GENERAL), max_size=3, unique=True))
        for _ in range(draw(st.integers(1, 5))):                      # 人员经费
            add_line(unit, draw(st.sampled_from(FUNCTIONS_BASIC + FUNCTIONS_RUNNING[:5])), draw(st.sampled_from(PERSONNEL)),
                     "人员经费", draw(st.sampled_from(funds[:1] * 3 + funds)), draw(amounts(1000, 2_000_000)))
        for _ in range(draw(st.integers(0, 5))):                      # 公用经费
            add_line(unit, draw(st.sampled_from(FUNCTIONS_RUNNING)), draw(st.sampled_from(PUBLIC)),
                     "公用经费", draw(st.sampled_from(funds[:1] * 3 + funds)), draw(amounts(100, 300_000)))
        for _ in range(draw(st.integers(0, 3))):                      # 项目
            project_serial += 1
            name = draw(st.sampled_from(["业务运行经费", "设备购置", "信息化建设", "专项工作经费", "校舍维修改造"]))
            project: dict[str, Any] = {"name": f"{name}{project_serial}" if draw(st.integers(0, 5)) else "专项工作经费",
                                       "unit": unit, "type": draw(st.sampled_from(["其他运转类", "特定目标类"]))}
            coded = draw(st.booleans()) or project["name"] == "专项工作经费"
            if coded:
                project["code"] = f"{unit}{year % 100}{project_serial:06d}"
            key = project.get("code") or project["name"]
            if any((p.get("code") or p["name"]) == key for p in projects):
                project["name"] += f"（{project_serial}）"
                key = project.get("code") or project["name"]
            if draw(st.booleans()):
                project["description"] = f"用于{name}。"
            if draw(st.booleans()):
                project["group"] = draw(st.sampled_from(["业务费", "专项经费"]))
                project["category"] = "专用项目"
            project_funds = draw(st.lists(st.sampled_from(funds + [GOV, STATE]), min_size=1, max_size=2, unique=True))
            amount_total = Decimal(0)
            econ_pool = PROJECT_ANY + (PROJECT_ADMIN_ONLY if ukind != INST else [])
            for _ in range(draw(st.integers(1, 4))):
                fund = draw(st.sampled_from(project_funds))
                fn_pool = FUNCTIONS_GOV_FUND if fund == GOV else FUNCTIONS_STATE if fund == STATE else FUNCTIONS_PROJECT
                amount = draw(amounts(500, 3_000_000))
                add_line(unit, draw(st.sampled_from(fn_pool)), draw(st.sampled_from(econ_pool)), "项目支出", fund, amount, key)
                amount_total += amount
            if draw(st.booleans()):
                extra = draw(st.sampled_from([Decimal(0), Decimal("150000.00"), Decimal("2345678.91")]))
                project["total_budget"] = money_text(amount_total + extra)
                if extra and draw(st.booleans()):   # a multi-year project's 实施期 split, as a clerk types it
                    fiscal = sum((Decimal(e["amount"]) for e in expenditures if e.get("project") == key
                                  and (e.get("carried_from") or e.get("fund", GENERAL)) in (GENERAL, GOV, STATE)), Decimal(0))
                    project["total_budget_fiscal"] = money_text(fiscal + (extra / 2).quantize(Decimal("0.01")))
            if draw(st.integers(0, 3)):
                project["performance"] = {"goal": f"按期完成{name}，提升服务保障能力。", "indicators": _indicators(draw)}
                if draw(st.booleans()):
                    project["performance"]["period"] = f"{year}年1月-{year + 1}年12月"
                    project["performance"]["long_term_goal"] = "形成长效机制。"
            projects.append(project)
        for fund in sorted({f for (u, f) in spend if u == unit} | set(funds)):   # 结转下年
            if draw(st.integers(0, 4)) == 0:
                amount = draw(amounts(100, 500_000))
                carry_forward.append({"amount": money_text(amount), "fund": fund, "unit": unit})
                if fund == CARRY and (origin := carried_from()):
                    carry_forward[-1]["carried_from"] = origin

    # 三公 and 会议/培训 codes appear in most departments (often 0 in a table otherwise)
    if draw(st.integers(0, 4)):
        for econ in draw(st.lists(st.sampled_from(THREE_PUBLIC), min_size=1, max_size=6, unique=True)):
            unit = draw(st.sampled_from(unit_codes))
            add_line(unit, draw(st.sampled_from(FUNCTIONS_RUNNING[:5])), econ, "公用经费", GENERAL, draw(amounts(100, 90_000)))

    revenues: list[dict] = []
    cf_by: dict[tuple[str, str], Decimal] = {}
    for c in carry_forward:
        key = (c["unit"], c["fund"])
        cf_by[key] = cf_by.get(key, Decimal(0)) + Decimal(str(c["amount"]))
    for unit in unit_codes:
        for fund in [GENERAL] + NON_GENERAL:
            total = spend.get((unit, fund), Decimal(0)) + cf_by.get((unit, fund), Decimal(0))
            if not total:
                continue
            pieces = _split(draw, total, draw(st.sampled_from([1, 1, 1, 2])))
            for piece in pieces:
                rev: dict[str, Any] = {"source": fund, "amount": money_text(piece)}
                if unit != default_unit or listed_units:
                    rev["unit"] = unit
                revenues.append(rev)
    if not listed_units:   # single unit: the unit field is optional everywhere
        for c in carry_forward:
            if draw(st.booleans()):
                del c["unit"]

    data: dict[str, Any] = {
        "profile": draw(st.sampled_from(profiles or ["shaanxi"])),
        "year": year,
        "scope": scope,
        "organization": organization,
        "revenues": revenues,
        "expenditures": expenditures,
    }
    if len(carry_forward) == 1 and not listed_units and carry_forward[0]["fund"] == GENERAL and draw(st.booleans()):
        data["carry_forward"] = carry_forward[0]["amount"]      # the bare-amount form
    elif carry_forward:
        data["carry_forward"] = carry_forward
    # reviewed and signed before publishing: Shaanxi prints both and refuses a file silent on them (needs.missing)
    data["review"] = {"secrecy": True, "signed": True}
    if projects:
        data["projects"] = projects
    # always stated, [] for “none”: the profiles printing 政府采购 refuse a file without it (needs.missing)
    data["procurement"] = [{"category": draw(st.sampled_from(["货物", "工程", "服务"])),
                            "item": draw(st.sampled_from(["台式计算机", "复印机", "校舍维修", "物业管理服务", "课桌椅"])),
                            "amount": money_text(draw(amounts(1000, 900_000))),
                            **({"quantity": f"{draw(st.integers(1, 50))}台"} if draw(st.booleans()) else {}),
                            **({"unit": draw(st.sampled_from(unit_codes))} if listed_units else {})}
                           for _ in range(draw(st.integers(0, 4)))]
    data["prior_year"] = _prior_year(draw, data)
    # every shipped profile requires the 国有资产占有使用 facts (the national rules ask for them; a file
    # without them is refused: tests/test_rules.py::test_needs_missing); their parts may still be missing
    data["assets"] = _assets(draw)
    performance: dict[str, Any] = {}
    if draw(st.integers(0, 3)):
        performance["department"] = _department_performance(draw, data, year)
    if draw(st.booleans()):
        performance["special_fund"] = {"name": f"{org_name}专项资金", "period": f"{year}年", "goals": ["资金按时拨付到位。"],
                                       "long_term_goals": ["建立规范的专项资金管理制度。"], "indicators": _indicators(draw)}
    if performance:
        data["performance"] = performance
    return data


def _prior_year(draw, data: dict) -> dict:
    """上年数: totals, per 项 and per 类 of 一般公共预算 (all adding up to `general`), items; some without reasons."""
    def fig(amount: Decimal) -> Any:
        if draw(st.integers(0, 2)):
            return {"amount": money_text(amount), "reason": draw(st.sampled_from(REASONS))}
        return {"amount": money_text(amount)} if draw(st.booleans()) else money_text(amount)

    prior: dict[str, Any] = {}
    if not draw(st.integers(0, 4)):
        return prior
    for key in ("total", "fiscal"):
        if draw(st.booleans()):
            prior[key] = fig(draw(amounts(10_000, 20_000_000)))
    general_lines = [e for e in data["expenditures"] if e.get("fund", GENERAL) == GENERAL]
    if general_lines and draw(st.booleans()):   # 上年 by 项 and 类 of this year's 一般公共预算
        general = draw(amounts(10_000, 20_000_000))
        prior["general"] = fig(general)
        current = sorted({e["function"] for e in general_lines})
        codes = draw(st.lists(st.sampled_from(current), min_size=1, max_size=3, unique=True))
        if draw(st.booleans()):   # a line that drops to zero: a code this year's 一般公共预算 does not have
            codes.append(next(c for c in ("2101504", "2101550", "2101599", "2080599") if c not in current))
        pieces = _split(draw, general, len(codes))
        prior["function"] = {c: fig(p) for c, p in zip(codes, pieces)}
        classes = sorted({e["economic"][:3] for e in general_lines})
        pieces = _split(draw, general, len(classes))
        prior["economic_dept"] = {c: fig(p) for c, p in zip(classes, pieces)}
    if draw(st.booleans()):   # 上年预算执行 (甘肃 / 江西 forms): 调整数, 实际支出数, 年末结转结余 — each may be missing
        for key in ("adjusted", "actual", "balance"):
            if draw(st.booleans()):
                prior[key] = money_text(draw(amounts(0, 20_000_000)))
    items = draw(st.lists(st.sampled_from(PRIOR_ITEMS), max_size=4, unique=True))
    if items:
        prior["items"] = {k: fig(draw(st.sampled_from([Decimal(0), Decimal("12000.00"), Decimal("34567.89")]))) for k in items}
    return prior


def _assets(draw) -> dict:
    assets: dict[str, Any] = {}
    if draw(st.booleans()):
        assets["vehicles"] = draw(st.sampled_from([{}, {"一般公务用车": 2}, {"一般公务用车": 1, "执法执勤用车": 3}]))
    for key in ("equipment", "planned_vehicles", "planned_equipment"):
        if draw(st.booleans()):
            assets[key] = draw(st.integers(0, 5))
    if not assets:          # an empty block states nothing (it is refused like no block): say at least one count
        assets["equipment"] = draw(st.integers(0, 5))
    return assets


@lru_cache(maxsize=None)
def _task_columns(profile: str) -> tuple[str, ...]:
    """The task amount columns the department's own profile prints (its `task_columns`, profile data): one
    column for the whole amount (江西 预算金额), or 财政拨款 | 其他资金 (陕西, and the default)."""
    from discloser.profile import load_profile

    labels = tuple(c.label for c in load_profile(profile).task_columns or [])
    return labels if len(labels) in (1, 2) else ("财政拨款", "其他资金")


def _department_performance(draw, data: dict, year: int) -> dict:
    """Goals, indicators, two history years, and tasks whose amounts add up to the spending, in the columns of
    the department's profile (财政拨款 | 其他资金, or one 预算金额: another profile refuses them by rule)."""
    fiscal = sum((Decimal(str(e["amount"])) for e in data["expenditures"]       # 财政拨款, its 上年结转 included
                  if e.get("fund", GENERAL) in (GENERAL, GOV, STATE) or e.get("carried_from") in (GENERAL, GOV, STATE)),
                 Decimal(0))
    other = sum((Decimal(str(e["amount"])) for e in data["expenditures"]), Decimal(0)) - fiscal
    columns = _task_columns(data["profile"])
    if len(columns) == 1:
        fiscal, other = fiscal + other, Decimal(0)
    n = draw(st.integers(1, 3))
    fiscal_parts = _split(draw, fiscal, n) if fiscal else [Decimal(0)] * n
    other_parts = _split(draw, other, n) if other else [Decimal(0)] * n
    fiscal_parts += [Decimal(0)] * (n - len(fiscal_parts))
    other_parts += [Decimal(0)] * (n - len(other_parts))
    tasks = [{"name": f"任务{k + 1}", "content": f"完成第{k + 1}项重点工作。",
              "amounts": dict(zip(columns, (money_text(f), money_text(o))))}
             for k, (f, o) in enumerate(zip(fiscal_parts, other_parts))]
    history = []
    for y in (year - 2, year - 1):
        fiscal_h, other_h = draw(amounts(10_000, 9_000_000)), draw(amounts(0, 900_000))
        project_h = min(draw(amounts(0, 900_000)), fiscal_h + other_h)
        basic_h = fiscal_h + other_h - project_h
        history.append({"year": y, "fiscal": money_text(fiscal_h), "other": money_text(other_h),
                        "basic": money_text(basic_h), "project": money_text(project_h)})
    perf: dict[str, Any] = {"goals": ["保障机构正常运转。", "完成年度重点任务。"], "tasks": tasks,
                            "indicators": _indicators(draw), "history": history}
    if draw(st.booleans()):
        perf["long_term_goals"] = ["建成规范高效的服务体系。"]
        perf["long_term_until"] = str(year + 2)
    return perf


def to_yaml(data: dict) -> str:
    """The dict as a budget file (with the schema modeline, as the examples have)."""
    return "# yaml-language-server: $schema=../schema/budget.schema.json\n" + yaml.safe_dump(
        data, allow_unicode=True, sort_keys=False, width=1000)
