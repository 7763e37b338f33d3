"""The words of budget-system exports: column headers, fund wordings, project categories (data, not code).

A header is normalized (spaces, line breaks, “*”, brackets and the unit in them removed) and matched
against `COLUMNS` in order — the first pattern that matches names the column's field. README
“导入：列名同义词” is written from this table; `--map` names columns for layouts not covered here.
"""
from __future__ import annotations

import re
from typing import TypeVar

from ..model import CarriedFrom, ExpenseKind, Fund, ProjectType

T = TypeVar("T")

# (field, pattern on the normalized header, what it holds — for the README and the report)
COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("procurement", r"政府采购", "是否政府采购（是/否）"),
    ("gov_economic_code", r"政府.*经济.*(编码|代码)", "政府经济分类编码"),
    ("gov_economic_name", r"政府.*经济.*名称", "政府经济分类名称"),
    ("gov_economic", r"政府.*经济", "政府经济分类（编码 名称，或编码）"),
    ("economic_code", r"经济.*(编码|代码)", "部门经济分类编码"),
    ("economic_name", r"经济.*名称", "部门经济分类名称"),
    ("economic", r"经济(分类|科目)", "部门经济分类（编码 名称，或编码）"),
    ("function_code", r"功能.*(编码|代码)", "支出功能分类编码"),
    ("function_name", r"功能.*名称", "支出功能分类名称"),
    ("function", r"功能(分类|科目)", "支出功能分类（编码 名称，或编码）"),
    ("project_code", r"项目.*(编码|代码)", "项目编码"),
    ("project_name", r"项目名称", "项目名称"),
    ("project_category", r"项目(类别|分类|类型)", "项目类别：人员类 / 运转类（公用经费、其他运转类）/ 特定目标类"),
    ("unit_code", r"单位.*(编码|代码)", "预算单位编码"),
    ("unit_name", r"单位名称", "预算单位名称"),
    ("unit", r"^(预算)?单位$|预算单位", "预算单位（编码 名称，或名称）"),
    ("kind", r"支出(类型|类别|性质)|经费(类型|类别)", "支出类型：人员经费 / 公用经费 / 项目支出（或 基本支出）"),
    ("fund", r"资金(性质|来源|类型|类别|渠道)|经费来源|收入来源", "资金性质 / 资金来源"),
    ("amount", r"金额|预算数|预算额|本年预算|年初预算|预算安排|合计|总计|小计", "金额（元或万元）"),
)
# Columns known and deliberately not read (not reported as unknown).
IGNORED = r"^(序号|行号|编号|备注|说明|年度|预算年度|科室|处室|股室|业务处室|指标文号|文号|来源文号|摘要|用途|支付方式|单据号)$"
FIELDS = tuple(dict.fromkeys(f for f, _, _ in COLUMNS))

_BRACKETS = re.compile(r"[（(\[【][^）)\]】]*[）)\]】]")


def normalize_header(text: str) -> str:
    """“支出功能分类\\n科目（编码）*” → “支出功能分类科目编码”; “金额（万元）” → “金额”."""
    text = re.sub(r"[\s\u3000*＊:：]", "", text)
    text = _BRACKETS.sub(lambda m: "" if re.search(r"元|万元|单位", m.group()) else m.group()[1:-1], text)
    return text


# An amount of another year, or not the budget as approved: never this year's 金额 (a 上年预算数 column left of the
# 本年 one was read as this year's figures, trialI-s29 D1).
NOT_THIS_YEAR = r"上年(?!结转)|去年|以前年度|调整|调增|调减|执行|决算|实际|追加"


def not_this_year(header: str) -> bool:
    return bool(re.search(NOT_THIS_YEAR, normalize_header(header)))


def column_field(header: str) -> str | None:
    h = normalize_header(header)
    if not h or re.search(IGNORED, h):
        return None
    for fld, pattern, _ in COLUMNS:
        if re.search(pattern, h):
            return None if fld == "amount" and not_this_year(h) else fld
    return None


def ignored(header: str) -> bool:
    return bool(re.search(IGNORED, normalize_header(header)))


# 资金性质 / 资金来源 wordings → fund; matched on the normalized text, the first that matches wins.
# “单位资金” alone does not say which income it is: refused (the export must name 事业收入 / 其他收入 …).
FUNDS: tuple[tuple[str, Fund], ...] = (
    (r"上年结转|结转结余|上年结余|结转资金", Fund.carryover),
    (r"政府性基金", Fund.gov_fund),
    (r"国有资本经营", Fund.state_capital),
    (r"财政专户|专户管理|教育收费", Fund.special_account),
    (r"经营收入", Fund.business),
    (r"事业收入", Fund.operations),
    (r"上级补助", Fund.higher),
    (r"附属单位", Fund.subsidiary),
    (r"其他收入|其他资金", Fund.other),
    (r"一般公共预算|公共财政预算|一般预算|财政拨款|财政补助|财力安排", Fund.general),
)


def _first(table: tuple[tuple[str, T], ...], text: str) -> T | None:
    """The value of the first pattern of `table` found in `text` (spaces ignored)."""
    t = re.sub(r"\s", "", text)
    return next((value for pattern, value in table if re.search(pattern, t)), None)


def fund_of(text: str) -> Fund | None:
    return _first(FUNDS, text)


# Whose money a 上年结转 wording names (“上年结转-一般公共预算”, “政府性基金上年结转”): the input's carried_from.
CARRIED: tuple[tuple[str, CarriedFrom], ...] = (
    (r"政府性基金", CarriedFrom.gov_fund),
    (r"国有资本经营", CarriedFrom.state_capital),
    (r"单位资金|自有资金", CarriedFrom.unit),
    (r"一般公共预算|公共财政预算|一般预算|财政拨款|财政补助", CarriedFrom.general),
)


def carried_of(text: str) -> CarriedFrom | None:
    """The fund a 上年结转结余 wording says the money came from; None when it names none (or is no 结转)."""
    return _first(CARRIED, text) if fund_of(text) is Fund.carryover else None


# 支出类型 column wordings.
KINDS: tuple[tuple[str, ExpenseKind | None], ...] = (
    (r"人员", ExpenseKind.personnel),
    (r"公用", ExpenseKind.public),
    (r"项目", ExpenseKind.project),
    (r"基本支出|基本", None),            # 基本支出 without detail: 人员/公用 by economic class
)


def kind_of(text: str) -> tuple[bool, ExpenseKind | None]:
    """(recognized, kind); a recognized None means 基本支出 — decided by the economic class."""
    t = re.sub(r"\s", "", text)
    for pattern, kind in KINDS:
        if re.search(pattern, t):
            return True, kind
    return False, None


def category_of(category: str, project_name: str = "") -> tuple[bool, ExpenseKind | None, ProjectType | None]:
    """项目类别 (人员类项目 / 运转类项目 / 特定目标类项目) → (recognized, kind, project type).

    人员类 → 基本支出 (人员/公用 by economic class); 运转类 whose category or project name says 公用经费
    → 基本支出 (公用经费); other 运转类 → 项目支出 (其他运转类); 特定目标类 → 项目支出 (特定目标类)."""
    t = re.sub(r"\s", "", category)
    if "人员" in t:
        return True, None, None
    if "运转" in t or "公用经费" in t:
        if "公用经费" in t or "公用经费" in project_name:
            return True, ExpenseKind.public, None
        return True, ExpenseKind.project, ProjectType.running
    if "特定目标" in t or "专项" in t:
        return True, ExpenseKind.project, ProjectType.specific
    return False, None, None


SUBTOTAL_WORDS = re.compile(r"合\s*计|总\s*计|小\s*计|共\s*计")
YEAR = re.compile(r"(20\d\d)\s*年")
AMOUNT_UNIT = re.compile(r"(?:金额)?单位\s*[:：]\s*(万元|元)")


def synonyms_markdown() -> str:
    """The README's table of column synonyms (a test keeps the README equal to it)."""
    rows = ["| 字段（--map 用的名字） | 列名（规整后，正则） | 含义 |", "|---|---|---|"]
    rows += [f"| `{f}` | `{p.replace('|', chr(92) + '|')}` | {what} |" for f, p, what in COLUMNS]
    rows.append(f"| `ignore` | `{IGNORED.replace('|', chr(92) + '|')}` | 已知而不读的列（不报告为未识别） |")
    funds = "；".join(f"{fund.value} ← `{p.replace('|', ' / ')}`" for p, fund in FUNDS)
    return "\n".join(rows) + f"\n\n资金性质 / 资金来源的写法（先匹配者为准）：{funds}。\n"
