"""The fill-in workbook's sheets: which part of the model each holds, its columns, drop-downs and help.

One place says where every field of the model stands in the workbook; the writer and the reader
both follow it, which is what makes YAML → xlsx → YAML lossless.

Kinds of cells: ``text`` (free text, kept as typed), ``code`` (a code or a short word, kept as text
so leading zeros survive), ``money`` (元, a number formatted ``#,##0.00``), ``int`` (a count),
``choice`` (one of a drop-down list), ``yesno`` (是 / 否 from a drop-down: a true/false field), ``date``.

`placed_fields()` lists every model field the workbook has a place for; `tests/test_workbook.py` walks the
model and fails on a field that has none (a field the workbook would silently drop).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from ...model import (CarriedFrom, Comparator, ExpenseKind, Fund, ProcurementCategory, ProjectAttribute, ProjectType,
                      UnitKind)

HELP_SHEET = "填表说明"
LISTS_SHEET = "代码表"          # hidden: the drop-down lists and the year's codes


@dataclass(frozen=True)
class Col:
    header: str                  # what the reader matches (columns may be moved)
    key: str                     # dotted field path inside the record
    kind: str = "text"
    width: float = 14
    choices: str | None = None   # a list of LISTS
    required: bool = False       # a record must have it (the header is required on reading)
    warn_only: bool = False      # the drop-down only warns (catalog code lists: the shipped 功能分类 is incomplete)
    note: str = ""               # header comment when the model has no description

    @cached_property
    def keys(self) -> tuple:
        """The field's path inside the record; a digit is a list index (past_values.0 → the first). Kept:
        the reader asks it for every cell of every row."""
        return tuple(int(k) if k.isdigit() else k for k in self.key.split("."))


@dataclass(frozen=True)
class RecordSheet:
    """A sheet with one record per row: a list of the model."""
    name: str
    path: tuple                  # where the list stands in the budget data
    columns: tuple[Col, ...]
    help: str
    mapping: bool = False        # the data is a mapping of the first column's value to the second's (not a list)
    none_in: str = ""            # the column whose “无”, alone on the sheet, says “none” (`[]`, which the model tells
                                 # from absence: an empty sheet is a list not given)


NONE = "无"


UNIT = Col("单位编码", "unit", "code", 12, choices="单位编码", warn_only=True)
# a 结转: this year's 结转下年 and, in 上年数, last year's plan of it (`prior_year.carry_forward`)
CARRY_COLUMNS = (
    UNIT,
    Col("资金来源", "fund", "choice", 22, choices="资金来源"),
    Col("结转的资金", "carried_from", "choice", 18, choices="结转的资金"),
    Col("金额", "amount", "money", 16, required=True),
)

RECORD_SHEETS = (
    RecordSheet("单位", ("organization", "units"), (
        Col("单位编码", "code", "code", 14, required=True),
        Col("单位名称", "name", "text", 36, required=True),
        Col("单位性质", "kind", "choice", 26, choices="单位性质", required=True),
    ), "部门预算：本级与所属各单位，每行一个（单位预算可不填，单位即“基本情况”中的单位）。"),
    RecordSheet("收入", ("revenues",), (
        UNIT,
        Col("收入来源", "source", "choice", 22, choices="资金来源", required=True),
        Col("金额", "amount", "money", 16, required=True),
    ), "每个单位、每个收入来源一行，金额以元为单位。收入 = 以其安排的支出 + 结转下年。"),
    RecordSheet("结转下年", ("carry_forward",), CARRY_COLUMNS, "本年收入中留待以后年度使用的部分；没有就空着。资金来源不填为一般公共预算拨款。"
       "资金来源为上年结转结余时，“结转的资金”写它原是哪项资金（一般公共预算拨款等；不填按单位资金）。"),
    RecordSheet("支出明细", ("expenditures",), (
        UNIT,
        Col("功能分类编码", "function", "code", 14, choices="功能分类", required=True, warn_only=True),
        Col("功能分类名称", "function_name", "text", 28),
        Col("经济分类编码", "economic", "code", 14, choices="部门经济分类", required=True, warn_only=True),
        Col("经济分类名称", "economic_name", "text", 22),
        Col("支出类型", "kind", "choice", 12, choices="支出类型", required=True),
        Col("资金来源", "fund", "choice", 22, choices="资金来源"),
        Col("结转的资金", "carried_from", "choice", 18, choices="结转的资金"),
        Col("项目", "project", "text", 28),
        Col("金额", "amount", "money", 16, required=True),
    ), "每行一条支出明细（单位 × 功能分类“项” × 部门经济分类“款” × 支出类型 × 资金来源），几乎每张表都由这些行汇总。"
       "编码可从下拉列表选（列表是当年目录；目录未收录的编码可直接输入，并填写名称）；也可把“2080505 名称”写在编码格。"
       "项目支出行在“项目”列填项目编码（无编码时填项目名称）。资金来源为上年结转结余时，“结转的资金”写它原是哪项"
       "资金：一般公共预算拨款等财政拨款的结转列入财政拨款收支总表的上年结转；不填按单位资金。"),
    RecordSheet("项目", ("projects",), (
        Col("项目编码", "code", "code", 24),
        Col("项目名称", "name", "text", 30, required=True),
        UNIT,
        Col("所属类别", "group", "text", 18),
        Col("项目类别", "category", "text", 14),
        Col("项目类型", "type", "choice", 14, choices="项目类型"),
        Col("项目属性", "attribute", "choice", 12, choices="项目属性"),
        Col("项目简介", "description", "text", 40),
        Col("项目总预算", "total_budget", "money", 16),
        Col("总预算中财政拨款", "total_budget_fiscal", "money", 16),
        Col("绩效总体目标", "performance.goal", "text", 40),
        Col("实施期目标", "performance.long_term_goal", "text", 30),
        Col("实施期限", "performance.period", "text", 14),
    ), "每个项目一行；项目的绩效指标填在“绩效指标”表（归属选“项目”，并填项目编码或名称），"
       "项目经费情况说明（上海）填在“项目说明”表。"),
    RecordSheet("往年收支", ("performance", "department", "history"), (
        Col("年度", "year", "int", 10, required=True),
        Col("财政拨款", "fiscal", "money", 16, required=True),
        Col("其他资金", "other", "money", 16, required=True),
        Col("基本支出", "basic", "money", 16, required=True),
        Col("项目支出", "project", "money", 16, required=True),
        Col("结转下年", "carry_forward", "money", 16),
    ), "部门整体绩效申报表的“近两年收支金额”（湖北等）；其他省份不填。收入合计 = 基本支出 + 项目支出 + 结转下年"
       "（没有结转下年的空着）。"),
    RecordSheet("部门职能分解", ("performance", "department", "division_goals"), (
        Col("内设机构", "division", "text", 18, required=True),
        Col("部门中期目标", "medium_term", "text", 50),
        Col("部门年度绩效目标", "annual", "text", 50),
    ), "部门整体绩效目标表的“部门职能分解”（江西）：每个内设机构（职能）一行；其他省份不填。"),
    RecordSheet("政府采购", ("procurement",), (
        Col("采购类别", "category", "choice", 10, choices="采购类别", required=True),
        Col("采购品目", "item", "text", 30, required=True),
        Col("金额", "amount", "money", 16, required=True),
        Col("数量", "quantity", "text", 10),
        Col("所属项目", "project", "text", 28),
        UNIT,
    ), "政府采购预算，每个品目一行。没有政府采购时只填一行：“采购品目”写“无”，其余空着（说明写“无政府采购预算”）；"
       "整张表空着是没有说明，印政府采购的版式不能生成。", none_in="item"),
    RecordSheet("科目名称", ("function_names",), (
        Col("科目编码", "code", "code", 14, required=True, note="功能分类类（3位）、款（5位）或项（7位）编码"),
        Col("科目名称", "name", "text", 40, required=True, note="名称，按预算系统导出的写"),
    ), "当年目录未收录的功能分类类、款的名称（支出明细中项的名称写在其行内即可）：表中为每个项印出其类、款的合计行，"
       "需要它们的名称。目录已收录的不用填。", mapping=True),
    RecordSheet("上年计划结转", ("prior_year", "carry_forward"), CARRY_COLUMNS, "上年预算计划的结转下年（discloser rollover 由上年文件写入）：本年“收入”中的上年结转结余与之不同时，validate "
       "提示核对。不印出；没有就空着（空表不作比较）。"),
)
# Added after the first workbooks went out: an older workbook without them still reads.
OPTIONAL_SHEETS = ("科目名称", "部门职能分解", "项目说明", "上年计划结转")

# 基本情况: one fact per row (label, data path, kind, choices).
# The 车辆 row in the workbook's words (the model's description speaks YAML: “{}”); `_Reader.vehicles` reads it.
VEHICLES_NOTE = "车辆按种类写成“一般公务用车:1；执法执勤用车:2”（种类:辆数，分号隔开），没有车辆写“无”"
FACTS = (
    ("版式", ("profile",), "code", "版式"),
    ("预算年度", ("year",), "int", None),
    ("预算范围", ("scope",), "choice", "预算范围"),
    ("批复日期", ("approval_date",), "date", None),
    ("单位名称", ("organization", "name"), "text", None),
    ("单位编码", ("organization", "code"), "code", None),
    ("单位性质", ("organization", "kind"), "choice", "单位性质"),
    ("主管部门编码", ("organization", "parent", "code"), "code", None),
    ("主管部门名称", ("organization", "parent", "name"), "text", None),
    ("是否一级预算主管部门", ("organization", "top_level"), "yesno", "是否"),
    ("所属部门领域", ("organization", "sector"), "text", None),
    ("部门职能依据（三定方案批文号）", ("organization", "mandate_basis"), "text", None),
    ("近三年职能是否有重大变化", ("organization", "mandate_changed"), "yesno", "是否"),
    ("联系人", ("organization", "contact", "person"), "text", None),
    ("联系电话", ("organization", "contact", "phone"), "code", None),
    ("编制人数合计", ("organization", "staffing", "authorized"), "int", None),
    ("行政编制", ("organization", "staffing", "authorized_admin"), "int", None),
    ("事业编制", ("organization", "staffing", "authorized_institution"), "int", None),
    ("实有人员合计", ("organization", "staffing", "actual"), "int", None),
    ("实有行政人员", ("organization", "staffing", "actual_admin"), "int", None),
    ("实有事业人员", ("organization", "staffing", "actual_institution"), "int", None),
    ("离退休人员", ("organization", "staffing", "retired"), "int", None),
    ("编外人员数", ("organization", "staffing", "outside"), "int", None),
    ("人员统计时点", ("organization", "staffing", "as_of"), "text", None),
    ("车辆（种类:辆数）", ("assets", "vehicles"), "vehicles", None),
    ("设备价值口径", ("assets", "equipment_threshold"), "text", None),
    ("超过口径的设备数", ("assets", "equipment"), "int", None),
    ("超过口径的专用设备数", ("assets", "special_equipment"), "int", None),
    ("计划购置车辆数", ("assets", "planned_vehicles"), "int", None),
    ("计划购置设备数", ("assets", "planned_equipment"), "int", None),
    ("资产统计时点", ("assets", "as_of"), "text", None),
    ("长期目标截止年份", ("performance", "department", "long_term_until"), "code", None),
    ("专项资金名称", ("performance", "special_fund", "name"), "text", None),
    ("专项资金实施期限", ("performance", "special_fund", "period"), "text", None),
    # last: what the clerk attests once the package is ready, before publishing
    ("是否已保密审查", ("review", "secrecy"), "yesno", "是否"),
    ("主要负责人是否已审签", ("review", "signed"), "yesno", "是否"),
)
FACTS_HELP = ("单位（部门）的基本情况，每行一项，在“内容”列填写。人员编制各项不填则说明中不写。"
              "资产各项：说明有国有资产占用情况一节的版式必须填写（全部空着不能生成，validate 指出），"
              "没有超过口径的设备写 0；其他版式不印资产，可不填。"
              f"{VEHICLES_NOTE}。是否类的项从下拉列表选“是”或“否”。"
              "部门职能依据、职能变化等是绩效目标表（甘肃、江西等）印的，其他省份可不填。"
              "是否已保密审查、主要负责人是否已审签：公开前审查、审签后选“是”（陕西在报表目录前印“已审查”“已审签”；"
              "空着或选“否”时那两行不印，validate 警告）。")
# Groups that exist only when one of their rows is filled (an all-blank group is “not given”).
OPTIONAL_GROUPS = (("organization", "parent"), ("organization", "staffing"), ("assets",), ("review",),
                   ("performance", "department"), ("performance", "special_fund"))

# 说明文字: (类别, data path, shape) — shape "list" (one row per item), "dict" (键 + 内容), "text" (one row).
TEXTS = (
    ("主要职责引言", ("organization", "functions_intro"), "text"),
    ("主要职责", ("organization", "functions"), "list"),
    ("内设机构", ("organization", "divisions"), "list"),
    ("年度工作任务", ("organization", "tasks"), "list"),
    ("部门职能简述", ("organization", "functions_summary"), "text"),
    ("职能变化内容", ("organization", "mandate_change"), "text"),
    ("部门基本制度建设", ("organization", "management_systems"), "text"),
    ("部门整体年度目标", ("performance", "department", "goals"), "list"),
    ("部门整体中长期目标", ("performance", "department", "long_term_goals"), "list"),
    ("部门整体其他说明事项", ("performance", "department", "other_matters"), "text"),
    ("专项资金年度目标", ("performance", "special_fund", "goals"), "list"),
    ("专项资金中长期目标", ("performance", "special_fund", "long_term_goals"), "list"),
    ("专项转移支付", ("special_transfer",), "text"),
    ("补充文字", ("notes",), "dict"),
    ("空表理由", ("empty_table_reasons",), "dict"),
)
TEXTS_HELP = ("说明中的文字：每行一条，“类别”从下拉列表选；同一类别的多条按行的先后排列。"
              "“补充文字”和“空表理由”在“键”列写段落或表的标识（如 gov_fund）。")

# 上年数: (类别, prior_year key, shape) — "figure": an amount and its reason; "keyed": the same, per code or
# item named in 编码或项目; "amount": an amount alone (the performance forms' 上年预算情况, no reason).
PRIOR = (
    ("收支总计", "total", "figure"),
    ("财政拨款收支", "fiscal", "figure"),
    ("一般公共预算拨款支出", "general", "figure"),
    ("功能分类", "function", "keyed"),
    ("部门经济分类", "economic_dept", "keyed"),
    ("政府经济分类", "economic_gov", "keyed"),
    ("其他", "items", "keyed"),
    ("调整后预算", "adjusted", "amount"),
    ("实际支出", "actual", "amount"),
    ("年末结转结余", "balance", "amount"),
)
PRIOR_HELP = ("上年预算数与增减原因（说明中的“较上年增加/减少”由此计算）。功能分类填“项”编码，经济分类填“类”编码，"
              "“其他”填三公经费、公务接待费、公用经费、机关运行经费等名称。调整后预算、实际支出、年末结转结余是绩效目标表"
              "（甘肃、江西等）的“上年预算情况”，只填金额。")

INDICATOR_COLUMNS = (
    Col("目标序号", "goal", "int", 8),
    Col("一级指标", "level1", "text", 12, required=True),
    Col("二级指标", "level2", "text", 16, required=True),
    Col("三级指标", "name", "text", 30, required=True),
    Col("指标值类型", "comparator", "choice", 10, choices="比较符"),
    Col("指标值", "value", "text", 16),
    Col("度量单位", "measure", "text", 10),
    Col("前年指标值", "past_values.0", "text", 12, note="近两年指标值的前一年（湖北年度绩效指标）"),
    Col("上年指标值", "past_values.1", "text", 12, note="近两年指标值的后一年，即上年（湖北年度绩效指标）"),
    Col("指标值依据", "basis", "text", 24),
    Col("备注", "note", "text", 16),
)
PAST_VALUES = 2      # 前年指标值, 上年指标值
OWNERS = ("部门整体", "专项资金", "项目")
TERMS = ("年度", "长期")
# 绩效指标's rows by (归属, 年度或长期): the list of the model they go to ("[]": the project the row names).
INDICATOR_LISTS = {
    ("部门整体", "年度"): ("performance", "department", "indicators"),
    ("部门整体", "长期"): ("performance", "department", "long_term_indicators"),
    ("专项资金", "年度"): ("performance", "special_fund", "indicators"),
    ("项目", "年度"): ("projects", "[]", "performance", "indicators"),
    ("项目", "长期"): ("projects", "[]", "performance", "long_term_indicators"),
}
INDICATOR_OWNER_COLUMNS = (
    Col("归属", "_owner", "choice", 10, choices="归属", required=True),
    Col("项目", "_project", "code", 28),
    Col("年度或长期", "_term", "choice", 10, choices="年度或长期",
        note="年度指标，还是长期（实施期）指标（湖北申报表）；不填为年度"),
)
INDICATORS_HELP = ("绩效指标，每行一条：“归属”选部门整体、专项资金或项目（项目还要在“项目”列填项目编码，无编码时填名称）；"
                   "“年度或长期”选年度或长期（实施期）指标，不填为年度。"
                   "指标值类型为 ≥ ≤ = > < 时指标值写数字，单位写在“度量单位”；文字性指标选“定性”。"
                   "目标序号、前年指标值、上年指标值是湖北申报表的（按目标分组、近两年指标值），其他省份不填。")
TASK_COLUMNS = (
    Col("任务名称", "name", "text", 14, required=True),
    Col("主要内容", "content", "text", 48, required=True),
    Col("对应年度绩效目标", "goal", "text", 30),
)
TASKS_HELP = ("部门整体绩效目标表的年度主要任务，每个任务一行；金额列的标题写成“金额：资金栏名”（如“金额：财政拨款”），"
              "资金栏名与版式一致。“对应年度绩效目标”是江西申报表的，其他省份不填。")
TASK_AMOUNT = "金额："

# 项目说明: (类别, field of the project's statement, shape) — the 项目经费情况说明 of Shanghai's 部门预算.
STATEMENT = (
    ("立项依据", "basis", "list"),
    ("实施主体", "implementer", "text"),
    ("实施方案", "plan", "text"),
    ("实施周期", "period", "text"),
    ("年度预算安排说明", "budget_note", "text"),
)
STATEMENT_HELP = ("项目经费情况说明（上海部门预算逐项说明的项目）：每行一条，“项目”填项目编码（无编码时填名称），“类别”从"
                  "下拉列表选；立项依据可写多行，按行的先后排列。项目概述即“项目”表的项目简介；其他省份不填。")

# The parts in the order both the writer and the reader handle them (a method of each per part): the
# 项目 records come before the 绩效指标 that name them.
PARTS = ("facts", "all_records", "indicators", "statements", "tasks", "prior", "texts")

SHEET_ORDER = (HELP_SHEET, "基本情况", "单位", "收入", "结转下年", "支出明细", "项目", "绩效指标", "项目说明", "绩效任务",
               "往年收支", "部门职能分解", "上年数", "上年计划结转", "说明文字", "政府采购", "科目名称")


def fixed_lists() -> dict[str, list[str]]:
    """The drop-down lists that do not depend on the year (the catalog's codes are added by the writer)."""
    from ...profile import available_profiles

    return {
        "资金来源": [f.value for f in Fund],
        "结转的资金": [c.value for c in CarriedFrom],
        "单位性质": [k.value for k in UnitKind],
        "支出类型": [k.value for k in ExpenseKind],
        "项目类型": [t.value for t in ProjectType],
        "项目属性": [a.value for a in ProjectAttribute],
        "是否": ["是", "否"],
        "比较符": [c.value for c in Comparator],
        "采购类别": [c.value for c in ProcurementCategory],
        "预算范围": ["单位", "部门"],
        "归属": list(OWNERS),
        "年度或长期": list(TERMS),
        "上年数类别": [label for label, _, _ in PRIOR],
        "说明类别": [label for label, _, _ in TEXTS],
        "项目说明类别": [label for label, _, _ in STATEMENT],
        "版式": available_profiles(),
    }


def placed_fields() -> set[tuple[str, ...]]:
    """Every field of the model the workbook has a cell for, as its path of field names: ``[]`` stands for a
    list's items and ``{}`` for a mapping's values (a list of texts or a mapping of plain values is one field)."""
    def names(c: Col) -> tuple:      # past_values.0 → past_values (the list is one field)
        return tuple(k for k in c.keys if isinstance(k, str))

    out: set[tuple[str, ...]] = set()
    for spec in RECORD_SHEETS:
        out |= {spec.path} if spec.mapping else {spec.path + ("[]",) + names(c) for c in spec.columns}
    out |= {path for _, path, _, _ in FACTS}
    out |= {path for _, path, _ in TEXTS}
    for _, key, shape in PRIOR:
        base = ("prior_year", key) + (("{}",) if shape == "keyed" else ())
        out |= {base} if shape == "amount" else {base + ("amount",), base + ("reason",)}
    for path in INDICATOR_LISTS.values():
        out |= {path + ("[]",) + names(c) for c in INDICATOR_COLUMNS}
    tasks = ("performance", "department", "tasks", "[]")
    out |= {tasks + (c.key,) for c in TASK_COLUMNS} | {tasks + ("amounts",)}
    out |= {("projects", "[]", "statement", key) for _, key, _ in STATEMENT}
    return out
