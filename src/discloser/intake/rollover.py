"""Next year's budget file from last year's (``discloser rollover LAST.yaml --to YEAR``).

- **Prior-year figures.** Every figure the 说明 compares with last year becomes ``prior_year``, computed
  by the very concepts the validator compares (`discloser.rules.prior_concepts`, `PRIOR_ITEMS`) on last
  year's facts: 收支总计, 财政拨款, 一般公共预算拨款支出, per 功能分类 项, per 部门/政府经济分类 类, and the
  items (三公经费 and each of its parts, 会议费, 培训费, 公用经费, 人员经费, 基本支出, 项目支出, 机关运行经费).
  Last year's reasons are not carried: they explained last year's change.
- **Amounts of the new year are cleared to 待填** — revenues, line items, 结转下年, procurement and
  performance-task amounts keep their structure (unit, codes, kind, fund, project) with ``amount: 待填``
  and last year's amount in a comment. A 待填 is an error for ``validate`` (never a silent 0), so the
  file cannot be built until every amount is typed.
- **公开前的审查 (review) is 否**: last year's 保密审查 and 审签 were of last year's package (a warning until 是).
- **Texts and projects are kept for editing**, each part that is year-specific marked by a “# 待填”
  comment (a warning until the clerk deletes it): 年度工作任务, staffing and assets (last year's counts),
  projects and performance targets, 补充文字. 主要职责 and the unit's identity are kept as they are.
  A workbook has no comment lines: there last year's “none” of 政府采购 and the asset counts are 待填 cells,
  the other reviews cell comments starting with 待填 (`confirm_in_workbook`).
- **Catalog changes** between the years (the catalog files' ``changes:`` sections, year by year): a
  renamed code keeps its code and gets the new name; a retired code is flagged with a “# 待填” comment
  on each line that uses it. Codes the new year's (incomplete) catalog does not know keep last year's
  name, so they stay printable.
- The new year's 近两年收支金额 (Hubei's history) gains last year's figures (its 结转下年 too), keeping the
  two years before the new one; each annual indicator's 近两年指标值 (`past_values`) moves one year: last
  year's 上年 value becomes 前年, and 上年 is 待填 with last year's expected value in its comment.

"Validates" means: once every 待填 amount is filled, ``discloser validate`` exits 0 — no errors; the
remaining warnings are the “# 待填” review comments and the changes that still need a reason.
"""
from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..catalog import load_catalog
from ..model import Budget, Fund, PriorYear
from ..package import derive_for
from ..problems import Problem
from ..rules import PRIOR_ITEMS, prior_concepts
from ..validate import load
from .fields import value_at
from .gaps import MARK
from .yamlout import Notes, budget_data


class RolloverError(Exception):
    def __init__(self, problems: list[Problem], message: str = ""):
        super().__init__(message or "\n".join(p.format() for p in problems))
        self.problems = problems
        self.message = message


def _yuan(v: Decimal) -> str:
    return f"上年 {v:,.2f} 元"


def last_year_figures(budget: Budget, profile, catalog) -> dict:
    """Last year's figures for every prior-year concept, as the validator defines them (`prior_concepts`)."""
    facts = derive_for(budget, profile, catalog)
    general = facts.general()
    probe = PriorYear(total=0, fiscal=0, general=0,
                      function={a.function: 0 for a in general},
                      economic_dept={a.economic[:3]: 0 for a in general},
                      economic_gov={a.gov_economic[:3]: 0 for a in general if a.gov_economic},
                      items={name: 0 for name in PRIOR_ITEMS})
    facts = derive_for(budget.model_copy(update={"prior_year": probe}), profile, catalog)
    out: dict[str, Any] = {}
    for path, _what, atoms, _prior in prior_concepts(facts):
        node = out
        for part in path[1:-1]:
            node = node.setdefault(part, {})
        node[path[-1]] = {"amount": facts.yuan(atoms)}
    for key in ("function", "economic_dept", "economic_gov"):
        if key in out:
            out[key] = dict(sorted(out[key].items()))
    return out


def catalog_changes(first: int, last: int, catalog_dir=None) -> dict[str, dict[str, tuple[str, str, int]]]:
    """Renames and retirements from year `first` to `last` (each catalog's ``changes`` against the year before,
    a user catalog's where it has them — `load_catalog`): {"renamed"/"retired": {code: (old name, new name or "",
    year)}} over 功能分类 and 部门经济分类."""
    out: dict[str, dict[str, tuple[str, str, int]]] = {"renamed": {}, "retired": {}}
    for year in range(first + 1, last + 1):
        changes = load_catalog(year, catalog_dir).changes or {}
        if changes.get("from") != year - 1:
            continue
        for section in ("function", "economic_dept"):
            part = changes.get(section) or {}
            for code, names in (part.get("renamed") or {}).items():
                out["renamed"][str(code)] = (names[0], names[1], year)
            for code, name in (part.get("retired") or {}).items():
                out["retired"][str(code)] = (name, "", year)
    return out


def rollover(path: str | Path, year: int, catalog_dir=None) -> tuple[dict, Notes, list[str]]:
    """(data, notes, report lines) of the new year's file; raises `RolloverError` when last year's file has errors."""
    loaded = load(path, catalog_dir=catalog_dir)
    if loaded.budget is None or loaded.errors:
        raise RolloverError(loaded.errors, f"{path} 有错误，先改正再滚动到下一年（discloser validate {path}）")
    last = loaded.budget
    if year <= last.year:
        raise RolloverError([], f"--to {year} 应晚于上年文件的年度 {last.year}")
    if year != last.year + 1:
        raise RolloverError([], f"--to {year} 不是 {last.year} 年的下一年：新文件的上年数（prior_year）将是 {last.year} 年的预算数，"
                                f"说明却会称它为“上年”（{year - 1} 年）。请用 {year - 1} 年的数据文件滚动到 {year} 年，"
                                f"或先滚动到 {last.year + 1} 年（--to {last.year + 1}）")
    figures = last_year_figures(last, loaded.profile, loaded.catalog)
    facts = derive_for(last, loaded.profile, loaded.catalog)
    new_catalog = load_catalog(year, catalog_dir)
    changes = catalog_changes(last.year, year, catalog_dir)
    data = budget_data(last)
    notes = Notes()
    report: list[str] = []
    data["year"] = year
    data.pop("approval_date", None)
    if data.get("review"):      # last year's review and signature were of last year's package: not yet made
        data["review"] = {key: "否" for key in data["review"]}
        notes.before[("review",)] = [f"{year} 年的公开包要重新保密审查、由主要负责人审签（{last.year} 年的不沿用）："
                                     "完成后把“否”改为“是”"]

    def clear(items: list, path: tuple, key: str = "amount") -> None:
        for n, item in enumerate(items):
            notes.after[path + (n,)] = _yuan(item[key])
            item[key] = MARK

    clear(data["revenues"], ("revenues",))
    _carry_hints(last, data, notes)
    planned = [dict(c) for c in data.get("carry_forward") or []]    # before its amounts become 待填
    clear(data.get("carry_forward") or [], ("carry_forward",))
    clear(data.get("procurement") or [], ("procurement",))
    for n, e in enumerate(data["expenditures"]):
        amount = e["amount"]
        e["amount"] = MARK
        comment = [_yuan(amount)]
        for key, table in (("function", new_catalog.function), ("economic", new_catalog.economic_dept)):
            code = e[key]
            if code in changes["renamed"]:
                old, new, when = changes["renamed"][code]
                e[f"{key}_name"] = new
                comment.append(f"{code} 于 {when} 年由“{old}”更名为“{new}”")
                report.append(f"科目 {code} 更名：{old} → {new}（{when} 年目录）")
            elif code in changes["retired"]:
                old, _, when = changes["retired"][code]
                notes.before.setdefault(("expenditures", n), []).append(
                    f"待填：科目 {code} {old} 在 {when} 年目录中已停用，请改用新科目")
                report.append(f"科目 {code} {old} 在 {when} 年停用：已在文件中标出")
                e.setdefault(f"{key}_name", old)
            elif code not in table and not e.get(f"{key}_name"):
                name = facts.function_name(code) if key == "function" else facts.economic_name(code)
                if name:
                    e[f"{key}_name"] = name
        notes.after[("expenditures", n)] = "；".join(comment)
    perf = data.get("performance") or {}
    dept = perf.get("department")
    if dept:
        for n, task in enumerate(dept.get("tasks") or []):
            last_amounts = "、".join(f"{k} {v:,.2f} 元" for k, v in task["amounts"].items())
            task["amounts"] = {k: MARK for k in task["amounts"]}
            notes.after[("performance", "department", "tasks", n)] = f"上年 {last_amounts}" if last_amounts else ""
        history = _history(last, facts, year, dept.get("history") or [])
        if history is not None:
            dept["history"] = history
    _past_values(data, notes, last.year)
    # prior-year figures (last year's reasons explained last year's change: not carried)
    data["prior_year"] = figures
    # what last year planned to carry on: this year's 上年结转结余 is checked against it (`prior.carry`)
    figures["carry_forward"] = planned
    _prior_names(data, figures, facts, new_catalog)
    notes.before[("prior_year",)] = [f"上年（{last.year} 年）预算数，由 {Path(path).name} 计算；本年数有增减时请写 reason（增减原因）"]
    _review_notes(data, notes, year, last.year)
    count = sum(len(v) if isinstance(v, dict) and "amount" not in v else 1 for v in figures.values())
    report.append(f"上年数 {count} 项由 {last.year} 年数据计算（prior_year）；本年金额已清空为“待填”，注释中是上年数")
    ordered = {k: data[k] for k in type(last).model_fields if k in data}
    _approval_note(ordered, notes, last, year)
    notes.header = [f"{year} 年预算数据（由 discloser rollover 从 {Path(path).name} 生成）。",
                    "金额写着“待填”的地方请填本年数（注释中是上年数）；以“# 待填”开头的注释是要按本年情况核对修改的内容，"
                    "改好后删去该注释。discloser validate 会逐条列出。"]
    return ordered, notes, list(dict.fromkeys(report))   # a retired code's line once, not once per line item


def _prior_names(data: dict, figures: dict, facts, catalog) -> None:
    """The names of last year's 功能科目 the new year's catalog lacks, once in `function_names`: a line of such a
    code carries its name, but once the clerk deletes the line (a project ended) only the prior-year figure is
    left, and a 说明 that lists the codes gone must name it (`prior.name` refused a name the tool had — a trial)."""
    names = dict(data.get("function_names") or {})
    for code in figures.get("function") or {}:
        name = facts.function_name(code)
        if code not in catalog.function and code not in names and name:
            names[code] = name
    if names:
        data["function_names"] = names


APPROVAL_TODO = f"{MARK}：预算批复日期"


def _approval_note(ordered: dict, notes: Notes, last: Budget, year: int) -> None:
    """Last year's 批复日期 is not this year's: the field is left out (the files would be dated 2000-01-01 until it
    is typed) and a “# 待填” comment stands where it goes, so `validate` lists it until the clerk types it."""
    fields = list(type(last).model_fields)
    later = [k for k in fields[fields.index("approval_date") + 1:] if k in ordered]
    was = f"；{last.year} 年为 {last.approval_date.isoformat()}" if last.approval_date else ""
    line = (f"{APPROVAL_TODO} approval_date（{year} 年预算批复后加一行，如 approval_date: {year}-01-15，用作各文件的"
            f"创建日期；不写则记为 2000-01-01{was}），写好后删去这行注释")
    if later:
        notes.before[(later[0],)] = [line, *notes.before.get((later[0],), [])]
    else:
        notes.gaps.setdefault((), []).append(line)


def _carry_hints(last: Budget, data: dict, notes: Notes) -> None:
    """What last year's file planned to carry on (结转下年) is what this year may receive as 上年结转结余:
    said beside each 上年结转结余 revenue of the unit, or above the revenues when last year had none."""
    default = last.organization.home_unit().code
    planned: dict[str, list[str]] = defaultdict(list)
    for c in last.carry_forward:
        whose = c.carried_from.value if c.carried_from else c.fund.value
        planned[c.unit or default].append(f"{whose} {c.amount:,.2f} 元")
    if not planned:
        return
    said = set()
    for n, r in enumerate(data["revenues"]):
        unit = r.get("unit") or default
        if r["source"] == Fund.carryover.value and unit in planned:
            notes.after[("revenues", n)] += f"；{last.year} 年预算的结转下年：{'、'.join(planned[unit])}"
            said.add(unit)
    rest = [f"{u} {'、'.join(v)}" if len(planned) > 1 else "、".join(v) for u, v in planned.items() if u not in said]
    if rest:
        notes.before[("revenues",)] = [f"待填：{last.year} 年预算的结转下年（{'；'.join(rest)}）是今年可能的上年结转结余："
                                       "如有，加一行 source: 上年结转结余（写明 carried_from）"]


# The annual indicators' lists (the ones with 近两年指标值): a project's are under projects[n].
ANNUAL_INDICATORS = (("performance", "department", "indicators"), ("performance", "special_fund", "indicators"))


def _past_values(data: dict, notes: Notes, last: int) -> None:
    """近两年指标值 [前年, 上年] one year on: last year's 上年 value is the new 前年; the new 上年 (last year's
    actual value) is 待填, an error until typed — kept, the form would print last year's values under the
    wrong years (a trial: 2024's “3个” printed as 2025's). Last year's expected value is in the comment."""
    lists = [(path, value_at(data, path)) for path in ANNUAL_INDICATORS]
    lists += [(("projects", n, "performance", "indicators"), (p.get("performance") or {}).get("indicators"))
              for n, p in enumerate(data.get("projects") or [])]
    for path, indicators in lists:
        for n, ind in enumerate(indicators or []):
            past = ind.get("past_values")
            if not past:
                continue
            ind["past_values"] = [past[1] if len(past) > 1 else "", MARK]   # one value is 前年's: 上年 was blank
            comp = ind.get("comparator") or ""
            expected = f"{'' if comp == '定性' else comp}{ind.get('value', '')}{ind.get('measure', '')}"
            notes.after[path + (n, "past_values", 1)] = f"{last} 年的值；{last} 年预期值 {expected or '—'}"


def _history(last: Budget, facts, year: int, history: list[dict]) -> list[dict] | None:
    """Hubei's 近两年收支金额 for the new year: the years before it, last year's figures added from last year's
    facts — the cells its own form printed for 本年, 结转下年 included, so the year always balances (income =
    spending + 结转下年; a trial's 结转下年 once dropped the year and left the 上年 column blank)."""
    if not history:
        return None
    fiscal = facts.yuan([a for a in facts.atoms if a.fiscal])
    other = facts.yuan([a for a in facts.atoms if not a.fiscal])
    basic = facts.yuan([a for a in facts.spending if a.basic])
    project = facts.yuan([a for a in facts.spending if not a.basic])
    carried = facts.yuan(list(facts.carried))
    years = {h["year"]: h for h in history}
    years[last.year] = {"year": last.year, "fiscal": fiscal, "other": other, "basic": basic, "project": project,
                        **({"carry_forward": carried} if carried else {})}
    kept = sorted(y for y in years if y < year)[-2:]
    return [years[y] for y in kept]


# Last year's asset counts: this year's are asked in a workbook (each cell 待填, last year's in its comment).
ASSET_COUNTS = ("vehicles", "equipment", "special_equipment", "planned_vehicles", "planned_equipment")


def confirm_in_workbook(data: dict, notes: Notes) -> dict[tuple, str]:
    """A workbook has no “# 待填” comment lines. A cell holding 待填 is how it asks for a value: last year's
    “none” of 政府采购 (its “无” row) and last year's asset counts, which the YAML keeps under a “# 待填” to
    confirm, become 待填 cells here — an error for `validate` until typed, so 2026's cars are never published
    as 2027's unasked. The other “# 待填” lines (年度工作任务, 人员编制, 项目 … kept to revise; the 批复日期 to
    type) become cell comments starting with 待填 — a warning for `validate` until the clerk deletes the
    comment. Changes `data` (a rolled file's, typed); returns each cell's comment (data path → text)."""
    year = data["year"]
    remarks: dict[tuple, str] = {}
    if data.get("procurement") == []:
        data["procurement"] = MARK
        remarks[("procurement",)] = (f"{year - 1} 年无政府采购预算。{year} 年没有的，把“待填”改为“无”（其余空着）；"
                                     "有的从这一行起按品目逐行填写")
    assets = data.get("assets") or {}
    for key in ASSET_COUNTS:
        value = assets.get(key)
        if value is None:
            continue
        if key == "vehicles":
            shown = "；".join(f"{k}:{v}" for k, v in value.items()) or "无"
            remarks[("assets", key)] = f"{year - 1} 年：{shown}。请填 {year} 年的（写法见“说明”列；没有车辆写“无”）"
        else:
            remarks[("assets", key)] = f"{year - 1} 年：{value}。请填 {year} 年的数（没有写 0）"
        assets[key] = MARK
    for path, lines in notes.before.items():
        said = [line for line in lines if line.startswith(MARK) and not line.startswith(APPROVAL_TODO)]
        if said and path not in remarks:        # (a 待填 cell already asks for 政府采购's “none”)
            remarks[path] = "\n".join(said)
    if "approval_date" not in data:
        remarks[("approval_date",)] = (f"{APPROVAL_TODO}（{year} 年预算批复后填写（用作各文件的创建日期；"
                                       "不填则记为 2000-01-01）")
    return remarks


def _review_notes(data: dict, notes: Notes, year: int, last: int) -> None:
    org = data["organization"]
    if org.get("tasks"):
        notes.before[("organization", "tasks")] = [f"待填：年度工作任务沿用 {last} 年，请按 {year} 年修改"]
    if org.get("staffing"):
        notes.before[("organization", "staffing")] = [f"待填：人员编制与实有人数为 {last} 年的数，请更新"]
    if data.get("assets"):
        notes.before[("assets",)] = [f"待填：资产情况为 {last} 年的数，请更新（计划购置为 {year} 年的计划）"]
    if data.get("projects"):
        notes.before[("projects",)] = [f"待填：项目沿用 {last} 年：{year} 年不再安排的项目连同其支出行删去，新项目加上；"
                                       "简介与绩效目标按本年修改"]
    if data.get("performance"):
        notes.before[("performance",)] = [f"待填：绩效目标沿用 {last} 年，请按 {year} 年修改"]
    if data.get("procurement"):
        notes.before[("procurement",)] = [f"待填：政府采购品目沿用 {last} 年，请按 {year} 年核对"]
    elif data.get("procurement") == []:     # last year's “none” is not this year's until the clerk says so
        notes.before[("procurement",)] = [f"待填：{last} 年无政府采购预算；{year} 年有的按品目列出（类别为货物/工程/服务），"
                                          "没有则保留 []"]
    if data.get("notes"):
        notes.before[("notes",)] = [f"待填：补充文字沿用 {last} 年，请按 {year} 年修改"]
    if data.get("special_transfer"):
        notes.before[("special_transfer",)] = [f"待填：专项转移支付情况沿用 {last} 年，请按 {year} 年修改"]
