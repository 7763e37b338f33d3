"""The options of each table builder, typed: what a profile may say about a table, checked at load.

Every model forbids unknown keys (a typo in a profile is an error with its file position and a “did
you mean”), every measure is parsed when the profile loads (`measures.compile_measure`), and the
builders read these objects, never raw dictionaries.
"""
from __future__ import annotations

import string
from typing import Annotated, Callable, Literal, Union

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationInfo, model_validator

from .facts import THREE_PUBLIC
from .measures import compile_measure
from .model import Fund, money_of


def placeholders(allowed: tuple[str, ...]) -> Callable[[str, ValidationInfo], str]:
    """A text's {placeholders} must be known: `allowed`, plus the profile's own `scope_words` (passed in
    the validation context by `load_profile`), and bare: a format spec or conversion ({year:d}) is an error."""
    def check(text: str, info: ValidationInfo) -> str:
        known = allowed + tuple((info.context or {}).get("words", ()) if info is not None else ())
        usable, own = ('、'.join('{' + a + '}' for a in names) for names in (known, allowed))
        try:
            parsed = list(string.Formatter().parse(text))
            fields = [(f, spec, conv) for _, f, spec, conv in parsed if f is not None]
        except ValueError:
            raise ValueError(f"“{text}”中的花括号不成对（占位符写作 {own}）") from None
        if any("{" in literal or "}" in literal for literal, *_ in parsed):   # {{year}}: the templates' way, printed “{2023}”
            raise ValueError(f"“{text}”中有双层花括号：版式文字中的占位符只用一层，写作 {own}"
                             "（{{ }} 是说明模板的写法）")
        for name, spec, conv in fields:
            if name not in known:
                raise ValueError(f"未知的占位符 {{{name}}}（可用：{usable}）")
            # {year:d}, {org!r}: printed as typed by the fill (and by str.format a width like {year:>999999999}
            # would be a billion spaces) — only the bare name is a placeholder
            if spec or conv:
                typed = "{" + name + ("!" + conv if conv else "") + (":" + spec if spec else "") + "}"
                raise ValueError(f"占位符 {typed} 带了格式说明：占位符只能写作 {{{name}}}，不能带“:”或“!”及其后的内容（可用：{usable}）")
        return text
    return check


class Options(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _measure(text: str) -> str:
    compile_measure(text)   # raises MeasureError (a ValueError): reported with the profile's position
    return text


Measure = Annotated[str, AfterValidator(_measure)]


def _sources(text: str) -> str:
    money_of(text)          # raises ValueError naming the words there are
    return text


Sources = Annotated[str, AfterValidator(_sources)]
FundSelection = Union[Literal["all", "fiscal", "general"], Fund, list[Fund]]


class ColumnNode(Options):
    """A column of a table header: a leaf with a measure (a money column) or a label over children."""

    label: str
    measure: Measure | None = None
    width: float | None = Field(None, gt=0)
    children: list["ColumnNode"] | None = None
    nonzero: bool = Field(False, description="只在这一栏在本表的数据中有数时印出（上海收入预算总表的上年结转结余：上海的预算本没有结转）")

    @model_validator(mode="after")
    def _leaf_or_group(self) -> "ColumnNode":
        if self.children is not None and self.measure is not None:
            raise ValueError(f"栏目“{self.label}”不能同时有 measure 和 children")
        if self.children is not None and not self.children:
            raise ValueError(f"栏目“{self.label}”的 children 不能为空")
        return self


def tree(nodes: list[ColumnNode] | None) -> list[dict]:
    """Column nodes as the plain trees `tables.common` lays out (`nonzero` only where it is set)."""
    return [n.model_dump(exclude_none=True, exclude_defaults=True) for n in nodes or []]


class Common(Options):
    landscape: bool | None = Field(None, description="横排（默认按栏宽自动）")
    notes: list[str] | None = Field(None, description="表下注释")
    meta: Annotated[str, AfterValidator(placeholders(("org", "year", "scope", "approval_date", "approval_year", "approval_month")))] | None = Field(
        None, description="表名下一行（单位左边）的文字，代替“部门（单位）名称：…”：如湖北表13“填报日期：{approval_date}”、"
                          "表15“（{year}年度）”；写空串则不印（表的第一行已有部门名称时）。用到批复日期而数据文件没写时不印")
    meta_centred: bool = Field(False, description="表名下一行的文字居中（如湖北表15“（2025年度）”印在表名正下方），单位仍靠右")


# ------------------------------------------------------------------ 收支总表 family

class RevenueRow(Options):
    label: str
    sources: list[Sources] | None = Field(None, description="这一行的收入来源（如 一般公共预算拨款、上年结转结余、上年结转（一般公共预算拨款））；不写则印空白")


class BlockRow(Options):
    """A row of an expenditure block: {label, measure} (this year's spending), {label, carry_forward:
    true} (结转下年), {label} (printed blank), or {auto: function | economic_dept | economic_gov} (one row
    per 类 of the classification)."""

    label: str | None = None
    measure: Measure | None = None
    carry_forward: bool = False
    auto: Literal["function", "economic_dept", "economic_gov"] | None = None
    format: Annotated[str, AfterValidator(placeholders(("n", "cn", "ordinal", "name", "code")))] | None = Field(
        None, description="auto 行的格式：{n}（依次编号）、{cn}（其中文数字）、{ordinal}（类自身的序号，编码后两位的中文数字："
                          "213 → 十三）、{name}、{code}")
    only: list[str] | None = Field(None, description="auto 行只列这些类")
    nonzero: bool = Field(False, description="auto 行只列有支出的类，依次编号（上海）")

    @model_validator(mode="after")
    def _label_or_auto(self) -> "BlockRow":
        if (self.auto is None) == (self.label is None):
            raise ValueError("每一行要么写 label，要么写 auto（按分类自动列出各类）")
        return self


class Block(Options):
    header: str
    rows: list[Union[BlockRow, list[BlockRow]]]
    columns: list[ColumnNode] | None = None


FooterFigure = Literal["revenue", "carry_in", "revenue_total", "expenditure", "carry_forward", "expenditure_total", "none"]


class FooterRow(Options):
    """A footer row of a 收支总表 written out, for what the short form [revenue, expenditure, figure, figure]
    cannot say: a row printed only when it has a figure."""

    revenue: str = Field(description="收入栏的文字")
    expenditure: str = Field(description="支出栏的文字")
    revenue_figure: FooterFigure
    expenditure_figure: FooterFigure
    nonzero: bool = Field(False, description="两边都是零时不印这一行（上海：上年结转结余、结转下年，上海的预算本没有结转）")
    with_carry: bool = Field(False, description="只在本表印出上年结转或结转下年时印这一行（上海：本年收入合计 / 本年支出合计，"
                                                "使说明的本年收入在表中有数可查）")


class SummaryOptions(Common):
    fiscal_only: bool = False
    amount_header: str = "预算数"
    revenue_header: str = "收入"
    expenditure_header: str = "支出"
    revenue_item_header: str = "项目"
    revenue_rows: list[RevenueRow]
    blocks: list[Block] = Field(min_length=1)
    footer: list[Union[tuple[str, str, FooterFigure, FooterFigure], FooterRow]] | None = Field(
        None, description="表尾行：[收入文字, 支出文字, 收入数, 支出数]，或写全的 FooterRow（可只在有数时印出）")


class RevenueByUnitOptions(Common):
    columns: list[ColumnNode] = Field(description="收入栏：measure 为 total 或 fund:来源|来源")
    code_label: str = Field("单位编码", description="编码栏的栏名（河南参考文件：部门（单位）代码）")
    name_label: str = Field("单位名称", description="名称栏的栏名（河南参考文件：部门（单位）名称）")
    parent_row: bool = False


# ------------------------------------------------------------------ classification tables

LeftKey = Literal["code", "code_split", "unit", "name", "gov_code", "gov_split", "gov_name"]


class LeftColumn(Options):
    key: LeftKey
    label: str | None = None
    width: float | None = Field(None, gt=0)


class LeftGroup(Options):
    label: str
    children: list[Union[LeftKey, LeftColumn]]


class ClassifiedOptions(Common):
    axis: Literal["function", "economic"] = "function"
    funds: FundSelection = "general"
    basic_only: bool = False
    levels: list[Literal[3, 5, 7]] | None = None
    left: list[Union[LeftKey, LeftColumn, LeftGroup]] | None = None
    unit_rows: bool = False
    parent_row: bool = False
    remark: bool = False
    total_last: bool = Field(False, description="合计行放在最后（上海）")
    carry_forward_row: str | None = Field(
        None, description="收入表：结转下年的收入（没有功能分类）另列一行，文字为此，只在有结转下年时印出；"
                          "合计随之是全部收入（上海收入预算总表）")
    columns: list[ColumnNode]

    @model_validator(mode="after")
    def _levels_fit_axis(self) -> "ClassifiedOptions":
        allowed = (3, 5, 7) if self.axis == "function" else (3, 5)
        bad = [n for n in self.levels or [] if n not in allowed]
        if bad:
            raise ValueError(f"{self.axis} 分类没有 {bad} 位的级次（可用：{list(allowed)}）")
        return self


# ------------------------------------------------------------------ projects, procurement, 三公

class ProjectsOptions(Common):
    funds: FundSelection = "all"


class ProjectListOptions(Common):
    columns: list[ColumnNode]


class ProjectPerformanceSummaryOptions(Common):
    level1: list[str] = Field(default_factory=lambda: ["成本指标", "产出指标", "效益指标", "满意度指标"])
    by_level2: dict[str, str] = Field(default_factory=lambda: {"成本指标": "成本指标"},
                                      description="二级指标 → 一级指标栏：二级指标为键的指标印在该栏，不论其一级指标（湖北和 DOMAIN 把成本指标"
                                                  "写在产出指标下：level1 产出指标、level2 成本指标；河南表14有单独的成本指标栏）")
    columns: list[ColumnNode] | None = None
    untargeted: str = Field("未编制绩效目标", description="无绩效目标的项目在指标栏印的文字（河南：未编制绩效目标）；"
                            "空字符串：指标栏留空（湖北只公开重点项目的目标，未写目标不等于未编制）")


class ProcurementOptions(Common):
    pass


ThreePublicKey = Literal[tuple(THREE_PUBLIC) + ("机关运行经费",)]  # type: ignore[valid-type]


class ThreePublicOptions(Common):
    columns: list[ThreePublicKey] = Field(default_factory=lambda: list(THREE_PUBLIC))
    labels: dict[ThreePublicKey, str] = Field(default_factory=dict)
    unit_columns: bool = True
    group: str | None = Field(None, description="跨“三公”各栏的表头（上海：“三公”经费预算数，旁列机关运行经费）")


# ------------------------------------------------------------------ performance forms

ValueColumns = Literal["joined", "split"]
ExtraField = Literal["note", "basis"]


class IndicatorOptions(Common):
    """How a form prints its indicator block (see tables.performance.IndicatorLayout)."""

    value_columns: ValueColumns = "joined"
    extra_column: str | None = None
    extra_field: ExtraField = "basis"
    note_column: str | None = Field(None, description="再加一栏备注（指标的 note）")
    indicator_lead: str | None = Field("年度绩效指标", description="跨指标块的标签；null 表示没有这一栏")
    lead_header: str | None = None
    name_label: str | None = None
    indicator_stretch: Literal["value", "name"] = "value"
    widths: list[float] | None = Field(None, description="各栏相对宽度")


class IndicatorBlock(Options):
    """A titled block of indicators (湖北): title row, lead label, past-value columns."""

    title: str | None = None
    heading: str | None = None
    lead: str | None = None
    past: list[str] = Field(default_factory=list)
    current: str | None = None
    past_group: str | None = None


class TypeBox(Options):
    """One box of the 项目类型 row: its words and the fund whose money ticks it (none: never ticked —
    湖北's 社保基金预算, which no fund of the data file is)."""

    label: str
    fund: Fund | None = None


class TypeRow(Options):
    """项目类型 (湖北): a row of boxes, each ticked when the project's lines of this year spend its fund."""

    label: str = "项目类型"
    boxes: list[TypeBox] = Field(min_length=1)


class ProjectPerformanceOptions(IndicatorOptions):
    extra_column: str | None = "备注"
    extra_field: ExtraField = "note"
    department_label: str = "主管部门"
    department_code: bool = False
    unit_label: str | None = None
    attribute_label: str | None = None
    attribute_checkboxes: bool = False
    type_row: TypeRow | None = Field(None, description="项目属性下的“项目类型”一行：各预算的方框，项目本年支出用到哪项资金就勾哪项（可勾多项）")
    period_label: str | None = None
    period_row: bool = False
    money_label: str | None = None
    amount_label: str = "实施期资金总额："
    amount_figure: Literal["period", "year"] = Field(
        "period", description="资金栏第一行的数：period 实施期资金总额（跨年项目另加一行年度资金总额）；"
                              "year 本年的年度资金总额（甘肃、江西的表只有年度资金总额）")
    fiscal_label: str = "其中：财政拨款"
    other_label: str = "其他资金"
    goal_label: str = "总体目标"
    goal_labels: list[str] | None = None
    annual_first: bool = False
    long_term_goal: bool = False
    long_term_block: IndicatorBlock | None = None
    annual_block: IndicatorBlock | None = None
    unit_line: bool = False
    projects_word: str = Field("项目支出", description="空表理由的 {subject}：没有项目时是“{projects_word}”，有项目而都没有"
                                                      "绩效目标时是“编制绩效目标的{projects_word}”（陕西：专项业务经费）")


class BudgetLine(Options):
    label: str
    measure: Measure


class CurrentBudget(Options):
    revenue_total: str | None = None
    expenditure_total: str | None = None
    revenue: list[BudgetLine] = Field(default_factory=list)
    expenditure: list[BudgetLine] = Field(default_factory=list)


InfoBlock = Literal["contact", "mandate", "basic_info", "systems", "prior_budget", "current_budget"]


class DepartmentPerformanceOptions(IndicatorOptions):
    task_amounts: bool = True
    tasks: bool = True
    goal_label: str = "年度总体目标"
    goal_first: bool = False
    number_goals: bool = True
    goal_separator: str = Field(" ", description="年度目标之间的分隔：空格（陕西“目标1: … 目标2: …”一段）或换行（河南参考文件每个目标一段）")
    budget_block: bool = False
    info: list[InfoBlock] = Field(default_factory=list, description="表头的信息块，按顺序（甘肃）")
    labels: dict[str, str] = Field(default_factory=dict)
    current_budget: CurrentBudget | None = None


class DepartmentPerformanceDeclarationOptions(Common):
    labels: dict[str, str] = Field(default_factory=dict)
    current_budget: CurrentBudget | None = None
    indicator_lead: str | None = None


class OverviewLabels(Options):
    """The words of the 部门整体绩效目标申报表 (Hubei) — province words, so profile data."""

    name: str
    filler: str
    phone: str
    funds: str
    funds_overall: str
    this_year: str
    share: str
    past_years: str
    income: str
    fiscal: str
    other: str
    total: str
    spending: str
    basic: str
    project: str
    carry_forward: str = "结转下年"    # a row of 支出构成 only when there is some (so both 合计 agree)
    duties: str
    tasks: str
    projects: str
    project_name: str
    project_type: str
    project_total: str
    project_this_year: str
    project_use: str
    goals: str
    long_term: str
    long_term_until: str
    annual: str
    indicators: str
    basis: str


class DepartmentPerformanceOverviewOptions(Common):
    labels: OverviewLabels
    long_term_block: IndicatorBlock | None = None
    annual_block: IndicatorBlock | None = None


class SpecialFundPerformanceOptions(IndicatorOptions):
    pass


OPTIONS: dict[str, type[Options]] = {
    "summary": SummaryOptions,
    "revenue_by_unit": RevenueByUnitOptions,
    "classified": ClassifiedOptions,
    "projects": ProjectsOptions,
    "project_list": ProjectListOptions,
    "project_performance_summary": ProjectPerformanceSummaryOptions,
    "procurement": ProcurementOptions,
    "three_public": ThreePublicOptions,
    "project_performance": ProjectPerformanceOptions,
    "department_performance": DepartmentPerformanceOptions,
    "department_performance_overview": DepartmentPerformanceOverviewOptions,
    "department_performance_declaration": DepartmentPerformanceDeclarationOptions,
    "special_fund_performance": SpecialFundPerformanceOptions,
}
