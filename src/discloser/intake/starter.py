"""``discloser init``: an annotated starter file that validates as written.

The starter is a small but complete example of the chosen profile's package — one unit (or N units of
a 部门), a few line items of each kind, one project with its performance targets, the department's
targets, staffing and assets (those the profile prints) — so that ``validate`` passes and ``preview`` shows every table at once.
Every field carries its Chinese description as a comment (from the model), and every example value
the clerk must replace is marked by a “# 待填” comment, which ``validate`` lists (as warnings, so the
starter validates, and ``--strict`` refuses it until every mark is gone). The performance-task
amounts are computed from the example line items, so the identities hold by construction.
"""
from __future__ import annotations

from decimal import Decimal

from ..catalog import load_catalog
from ..model import Budget
from ..narrative import fact_keys, prints_fact
from ..package import derive_for
from ..profile import load_profile
from ..measures import compile_measure
from .yamlout import Notes, budget_data

ASSET_COUNTS = {"vehicles": {}, "equipment": 0, "special_equipment": 0, "planned_vehicles": 0, "planned_equipment": 0}


def starter_assets(profile) -> dict:
    """The asset counts the profile's 说明 prints, each 0 (no vehicles: {}): a count it never reads would only
    draw a `facts.unused` notice in a file that “validates as written”."""
    read = fact_keys(profile)
    return {k: v for k, v in ASSET_COUNTS.items() if f"assets.{k}" in read}

# The organization's facts only some profiles print (`narrative.SOME_PROFILES_PRINT`), written where the profile's
# package prints them: the national starter asked for a 年度工作任务 and staffing it never published (trialH-s28 D4).
STARTER_ORGANIZATION = {"contact": {"person": "（示例）张三", "phone": "0000-0000000"},
                        "tasks": ["（示例）做好……工作"],
                        "staffing": {"authorized": 10, "authorized_admin": 10, "actual": 10, "actual_admin": 10, "retired": 2}}
WORDS = {"contact": "联系人", "tasks": "年度工作任务", "staffing": "人员编制"}

# (function, economic, kind, amount 元) per unit; the project line is added with the project.
LINES = [
    ("2101501", "30101", "人员经费", 360000),
    ("2101501", "30102", "人员经费", 180000),
    ("2080505", "30108", "人员经费", 86400),
    ("2101101", "30110", "人员经费", 32400),
    ("2210201", "30113", "人员经费", 64800),
    ("2101501", "30201", "公用经费", 30000),
    ("2101501", "30211", "公用经费", 12000),
    ("2101501", "30217", "公用经费", 2000),
]
PROJECT_LINE = ("2101502", "30227", "项目支出", 100000)
# One 政府采购 item where the profile prints them (the file must say; `[]` is “none”): bought with the office costs.
STARTER_PROCUREMENT = {"category": "货物", "item": "（示例）办公设备", "amount": 10000}
PROFILE_LEVELS_FALLBACK = {"产出指标": ["数量指标", "质量指标", "时效指标"], "效益指标": ["社会效益指标"],
                           "满意度指标": ["服务对象满意度指标"]}


def _indicators(profile) -> list[dict]:
    levels = profile.indicator_levels or PROFILE_LEVELS_FALLBACK
    out = []
    if "数量指标" in levels.get("产出指标", []):
        out.append({"level1": "产出指标", "level2": "数量指标", "name": "（示例）完成事项数", "comparator": "≥", "value": "10", "measure": "项"})
    if "时效指标" in levels.get("产出指标", []):
        out.append({"level1": "产出指标", "level2": "时效指标", "name": "（示例）按时完成", "comparator": "定性", "value": "年底前完成"})
    if "服务对象满意度指标" in levels.get("满意度指标", []):
        out.append({"level1": "满意度指标", "level2": "服务对象满意度指标", "name": "（示例）服务对象满意度",
                    "comparator": "≥", "value": "90", "measure": "%"})
    return out


def starter(year: int, profile_name: str, units: int = 1) -> tuple[dict, Notes]:
    """(data, notes) of the starter file for `year` and `profile_name` with `units` budget units."""
    profile = load_profile(profile_name)
    many = units > 1
    unit_list = [{"code": f"000{n:03d}", "name": "（示例）本级" if n == 1 else f"（示例）所属单位{n - 1}",
                  "kind": "行政单位" if n == 1 else "事业单位"} for n in range(1, units + 1)]
    expenditures, revenues = [], []
    for u in unit_list if many else [None]:
        total = Decimal(0)
        for function, economic, kind, amount in LINES + [PROJECT_LINE]:
            line = {"function": function, "economic": economic, "kind": kind, "amount": amount}
            if kind == "项目支出":
                line["project"] = "（示例）业务工作经费" if not many else f"（示例）业务工作经费{u['code']}"
            if u:
                line["unit"] = u["code"]
            expenditures.append(line)
            total += amount
        revenues.append({"source": "一般公共预算拨款", "amount": total, **({"unit": u["code"]} if u else {})})
    projects = [{"name": e["project"], **({"unit": e["unit"]} if many else {}), "type": "其他运转类",
                 "description": "（示例）用于开展业务工作", "performance": {
                     "goal": "（示例）保障业务工作正常开展", "indicators": _indicators(profile)}}
                for e in expenditures if e["kind"] == "项目支出"]
    data = {
        "profile": profile_name, "year": year, "scope": "部门" if many else "单位",
        "organization": {
            "name": "（示例）某某单位", "code": "000" if many else "000001", "kind": "行政单位",
            **({"units": unit_list} if many else {}),
            "divisions": ["（示例）办公室", "（示例）业务股"],
            "functions": ["（示例）负责……", "（示例）负责……"],
            **{name: value for name, value in STARTER_ORGANIZATION.items() if prints_fact(profile, f"organization.{name}")},
        },
        "revenues": revenues,
        "expenditures": expenditures,
        "projects": projects,
        **({"assets": assets} if (assets := starter_assets(profile)) else {}),
        **({"procurement": [STARTER_PROCUREMENT]} if "procurement" in profile.required_facts() else {}),
        "performance": {"department": {"goals": ["（示例）保障单位正常运转，完成年度工作任务"],
                                       "indicators": _indicators(profile)}},
    }
    budget = Budget.model_validate(data)
    if profile.task_columns:   # the task amounts equal the spending each column stands for (rule perf.tasks-total)
        facts = derive_for(budget, profile, load_catalog(year))
        amounts = {c.label: facts.yuan(a for a in facts.spending if compile_measure(c.measure)(a)) for c in profile.task_columns}
        data["performance"]["department"]["tasks"] = [{"name": "任务1", "content": "（示例）保障单位正常运转，完成年度工作任务",
                                                        "amounts": amounts}]
        budget = Budget.model_validate(data)
    return with_attestations(budget_data(budget), profile), _notes(profile, year, many)


def with_attestations(data: dict, profile) -> dict:
    """`data` with “否” for each attestation the profile prints (review.secrecy …), never an example “是”: a starter
    that said 是 would publish “已审查” for a review nobody made. 否 builds a draft without those lines and is a
    warning until the clerk, after the review, writes 是 (review.pending)."""
    paths = list(profile.attestations())
    if not paths:
        return data
    review = data.setdefault("review", {})
    for path in paths:
        review.setdefault(path.split(".", 1)[1], "否")
    return {k: data[k] for k in Budget.model_fields if k in data}


def _notes(profile, year: int, many: bool) -> Notes:
    todo = "待填：（示例）的内容与数字都要换成本单位的"
    notes = Notes(describe=True)
    notes.header = [
        f"{year} 年部门（单位）预算公开数据文件 —— discloser init 生成的起始文件（版式：{profile.label}）。",
        "",
        "每个字段后面的注释说明它的含义；金额以元为单位，最多两位小数。",
        "以“# 待填”开头的注释标出需要换成本单位内容的地方：discloser validate 会逐条列出，改好后删去该注释。",
        "下一步：discloser preview 本文件 --open 边改边看；discloser validate 本文件 检查；discloser build 本文件 -o 公开包 生成。",
        "也可以用 Excel 填：discloser workbook 本文件 -o 填报.xlsx；或从预算系统导出：discloser import 导出.xlsx -o 数据.yaml。",
    ]
    asked = "".join(f"、{w}" for name, w in WORDS.items() if prints_fact(profile, f"organization.{name}"))
    notes.before[("organization",)] = [f"{todo}：单位名称、编码、性质{'、所属单位' if many else ''}、内设机构、主要职责{asked}"]
    notes.before[("revenues",)] = [f"{todo}：收入（每个单位、每个来源一行；收入 = 支出 + 结转下年）"]
    notes.before[("expenditures",)] = [f"{todo}：支出明细（每行：功能分类“项”编码、部门经济分类“款”编码、支出类型、金额；"
                                       "目录未收录的编码把名称写在编码后，如 \"2050201 学前教育\"）"]
    notes.before[("projects",)] = [f"{todo}：项目及其绩效目标"]
    notes.before[("assets",)] = [f"{todo}：资产情况"]
    notes.before[("review",)] = ["公开前的审查：保密审查、主要负责人审签完成后，把“否”改为“是”（“否”时报表目录前这两行不印，validate 警告）"]
    notes.before[("procurement",)] = [f"{todo}：政府采购预算（每个品目一行，类别为货物/工程/服务）；没有政府采购写 procurement: []"]
    notes.before[("performance",)] = [f"{todo}：部门整体绩效目标" + ("与任务金额（任务金额合计 = 各资金栏的支出）" if profile.task_columns else "")]
    notes.gaps[()] = [
        "可选：结转下年（本年收入中留到以后年度用的部分），如",
        "carry_forward: [{amount: 0, fund: 一般公共预算拨款}]",
        "可选：上年预算数与增减原因（说明中的“较上年增加/减少”由此计算；明年可用 discloser rollover 自动生成），如",
        "prior_year:",
        "  total: {amount: 0, reason: 增减的主要原因}",
        *([] if "procurement" in profile.required_facts() else [
            "可选：政府采购预算，如", "procurement:", "  - {category: 货物, item: 办公设备, amount: 0}"]),
        "可选：批复日期",
        f"approval_date: {year}-01-15",
    ]
    return notes
