"""The canonical budget file, as one validated pydantic model.

A clerk types every fact once here; every table and sentence is derived from it. Derivable
facts (三公经费, 会议费, 培训费, 基本支出, totals, 类/款 subtotals) are *not* fields: they are
computed from the expenditure line items (see `facts.py`).
"""
from __future__ import annotations

from functools import lru_cache

import re
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Annotated, Any, Callable, Iterable, Iterator, Literal, TypeVar

from pydantic_core import PydanticCustomError, PydanticUseDefault
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema, model_validator
from pydantic import Strict as StrictType   # not the models' base class `Strict` below

# ---------------------------------------------------------------------------- money

_CODE_AND_NAME = re.compile(r"^\s*([0-9]{5}|[0-9]{7})[\s\u3000]+(\S.*?)\s*$")
_MONEY_TEXT = re.compile(r"^-?([0-9]{1,3}(,[0-9]{3})+|[0-9]+)(\.[0-9]{1,2})?$")

MAX_MONEY = Decimal("9999999999999.99")
"""The largest amount accepted (元): 15 significant digits, what a spreadsheet number holds exactly
(Excel keeps 15), about 10 万亿元 — far beyond any department; a bigger figure is a typo (a 万元 figure
typed into 元 twice, digits repeated) or hostile input (``1e309``)."""


def half_width_digits(text: str) -> str:
    """`text` with every non-ASCII digit (full-width １２３, Arabic-Indic …) as its 0-9: what to type instead,
    and what `discloser codes` looks up (a lookup may convert; a data file refuses, see `non_ascii_digits`)."""
    return "".join(str(int(ch)) if ch.isdecimal() and not "0" <= ch <= "9" else ch for ch in text)


def non_ascii_digits(text: str) -> str | None:
    """A message when `text` has digits other than 0-9 (full-width １２３ from a Chinese input method,
    Arabic-Indic …): Python and pydantic read them as numbers, a clerk's eye does not see the difference,
    and a code in them matches no catalog entry — refused rather than silently converted."""
    if text.isascii():      # the usual case, in one C call (60,000 codes and amounts in a 20,000-line file)
        return None
    odd = [ch for ch in text if ch.isdigit() and not "0" <= ch <= "9"]
    if not odd:
        return None
    # the suggestion is what to type: full-width punctuation among the digits (，．) made half-width too,
    # a thousands comma dropped — “８７６，５４３．２１” → 876543.21, not “876，543．21”
    ascii_text = half_width_digits(text)
    ascii_text = ascii_text.translate(str.maketrans({"．": ".", "，": ",", "－": "-", "＋": "+", "　": " "}))
    if re.fullmatch(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?", ascii_text.strip()):
        ascii_text = ascii_text.strip().replace(",", "")
    kind = "全角数字" if all("\uff10" <= ch <= "\uff19" for ch in odd) else "非半角数字"
    return f"“{text}”含{kind}：请改用半角数字（{ascii_text}），输入法切换到半角后再输入"


def _check_size(value: Decimal, exponent: int | None = None) -> Decimal:
    if abs(value) > MAX_MONEY:
        shown = f"{value:,f}" if value.adjusted() < 20 else str(value)
        if len(shown) > 40:     # 5,000 digits typed (hostile input): the start and how many digits
            shown = f"{shown[:20]}…（{value.adjusted() + 1:,} 位整数）"
        raise ValueError(f"金额 {shown} 元超过上限 9,999,999,999,999.99 元（约 10 万亿元）："
                         "请核对是否多写了位数，或把万元数当成了元")
    if exponent is None:
        exponent = value.as_tuple().exponent   # type: ignore[assignment]
    if exponent > 0:   # type: ignore[operator]  # 1E+2 → 100
        value = value.quantize(Decimal(1))
    return value


def _parse_money(value: Any) -> Decimal:
    """Accept int, Decimal (exact text from the loader) or a decimal string; never float."""
    if isinstance(value, bool):
        raise ValueError("金额应为数字，不能是 true/false")
    if isinstance(value, float):
        raise ValueError("金额不能是浮点数，请写成整数或最多两位小数")
    if isinstance(value, int):
        return _check_size(Decimal(value), 0)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"金额不能是 {value}")
        exponent = value.as_tuple().exponent
        if exponent < -2:  # type: ignore[operator]
            wan = value * 10000   # 12.932 is 129,320 元 typed in 万元 (a trial's workbook)
            hint = f"；若是按万元填的，应写 {wan.normalize():f}" if value < 100000 and wan == wan.quantize(Decimal("0.01")) else ""
            raise ValueError(f"金额 {value} 超过两位小数（金额以元为单位，最多到分{hint}）")
        return _check_size(value, exponent)   # type: ignore[arg-type]
    if isinstance(value, str):
        text = value.strip()
        odd = non_ascii_digits(text)
        if odd:
            raise ValueError(odd)
        if not _MONEY_TEXT.match(text):
            raise ValueError(f"“{value}”不是合法金额（示例：3488570、1234.50、3,488,570.00）")
        return _check_size(Decimal(text.replace(",", "")))
    raise ValueError("金额应为数字")


def _non_negative(value: Decimal) -> Decimal:
    if value < 0:
        raise ValueError(f"金额 {value} 不能为负数")
    return value


def _ascii_code(value: Any) -> Any:
    if isinstance(value, str):
        odd = non_ascii_digits(value)
        if odd:
            raise ValueError(odd)
    return value


MONEY_TEXT_PATTERN = r"^\s*([0-9]{1,3}(,[0-9]{3})+|[0-9]+)(\.[0-9]{1,2})?\s*$"
"""An amount written as text, as `_parse_money` reads it (`_MONEY_TEXT` after strip, never negative): the
schema's pattern, so an editor flags `amount: abc` as the validator would."""

Money = Annotated[
    Decimal,
    BeforeValidator(_parse_money),
    AfterValidator(_non_negative),
    # stated, not generated: pydantic's own schema for a Decimal lost its string pattern in 2.14 (which
    # `pydantic>=2.6,<3` installs), and VS Code then took `amount: abc` (trialH-s28 D5)
    WithJsonSchema({"anyOf": [{"type": "number", "minimum": 0}, {"type": "string", "pattern": MONEY_TEXT_PATTERN}],
                    "description": "金额（元），最多两位小数"}),
]
"""Non-negative amount in 元."""

SignedMoney = Annotated[Decimal, BeforeValidator(_parse_money)]


def _yes_no(value: Any) -> Any:
    """是 / 否 as a clerk types them (the field reference calls these fields 是/否), besides true / false. Nothing
    else is read as either: `1` or “yes” in quotes would otherwise attest a 保密审查 the file never stated (trialW-s27 D5);
    YAML itself reads a bare yes/no as true/false before the model sees it."""
    return {"是": True, "否": False}.get(value.strip(), value) if isinstance(value, str) else value


MAX_COUNT = 9_999_999
"""The largest count accepted (people, vehicles, equipment, a goal's number): a bigger one is a typo or
hostile input (an integer of 5,000 digits, trialT-s24 D8), refused at the value like an amount over its cap."""

Count = Annotated[int, Field(ge=0, le=MAX_COUNT)]
"""A non-negative count: 人数、车辆数、设备台数."""

YesNo = Annotated[bool, StrictType(), BeforeValidator(_yes_no), WithJsonSchema({"anyOf": [{"type": "boolean"}, {"enum": ["是", "否"]}]})]

FunctionCode = Annotated[str, Field(pattern=r"^\d{7}$", description="支出功能分类科目“项”级编码（7位），如 2080505"), BeforeValidator(_ascii_code)]
# A 类, 款 or 项 code (3, 5 or 7 digits): the keys of `Budget.function_names`.
FunctionLevelCode = Annotated[str, Field(pattern=r"^\d{3}(\d{2}){0,2}$"), BeforeValidator(_ascii_code)]
EconomicCode = Annotated[str, Field(pattern=r"^\d{5}$", description="部门预算支出经济分类科目“款”级编码（5位），如 30101"), BeforeValidator(_ascii_code)]


def _filled(value: str) -> str:
    if not value.strip():
        raise PydanticCustomError("blank", "必填，不能为空（只有空格也算空）")
    return value


def _blank_is_absent(value: Any) -> Any:
    if isinstance(value, str) and not value.strip():
        raise PydanticUseDefault()
    return value


def _without_blank_values(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: v for k, v in value.items() if not (isinstance(v, str) and not v.strip())}
    return value


Text = Annotated[str, AfterValidator(_filled), Field(json_schema_extra={"pattern": r"\S"})]
"""A required text (a name, a code, an indicator, an entry of a list): empty or blank — spaces, the full-width
space 　, line breaks — is refused at the value, as the fill-in workbook refuses the blank cell. A department
whose name was typed "" or "　" validated and was published as “2025年单位预算公开” (trialT-s24 D1)."""

OptionalText = Annotated[str | None, BeforeValidator(_blank_is_absent)]
"""An optional text: blank is “not given” (None), as a blank cell of the workbook is."""

DefaultText = Annotated[str, BeforeValidator(_blank_is_absent)]
"""An optional text with a default ("" or a standard wording): blank is the default, as in the workbook."""

TextsByKey = Annotated[dict[str, str], BeforeValidator(_without_blank_values)]
"""Texts by key (notes, empty-table reasons, names of codes): a blank one is “not given”."""


def for_clerks(description: str) -> Callable[[T], T]:
    """A model's (or choice's) description for clerks: what `discloser schema` gives an editor and the README's
    file-format section prints. Docstrings are notes for developers and never shown (`schema.budget_schema`)."""
    def mark(cls: T) -> T:
        cls.__for_clerks__ = description
        return cls
    return mark


class Strict(BaseModel):
    """Base: unknown keys are errors (the loader adds a “did you mean” hint)."""

    model_config = ConfigDict(extra="forbid", frozen=True, coerce_numbers_to_str=True)


# ---------------------------------------------------------------------------- enums

class ExpenseKind(str, Enum):
    personnel = "人员经费"
    public = "公用经费"
    project = "项目支出"


@for_clerks("资金来源 / 收入来源。")
class Fund(str, Enum):
    general = "一般公共预算拨款"
    gov_fund = "政府性基金预算拨款"
    state_capital = "国有资本经营预算拨款"
    special_account = "财政专户管理资金"
    operations = "事业收入"
    business = "事业单位经营收入"
    higher = "上级补助收入"
    subsidiary = "附属单位上缴收入"
    other = "其他收入"
    carryover = "上年结转结余"


FISCAL_FUNDS = (Fund.general, Fund.gov_fund, Fund.state_capital)


FUND_WORDS = frozenset(f.value for f in Fund)
CARRY_IN_WORDS = {"财政拨款": FISCAL_FUNDS, "单位资金": (Fund.carryover,), **{f.value: (f,) for f in FISCAL_FUNDS}}


@lru_cache(maxsize=None)
def money_of(words: str) -> frozenset[tuple[bool, Fund]]:
    """Whose money a revenue row, a column or a 说明 figure means, as (carried in?, fund) keys.

    ``一般公共预算拨款`` (any source but 上年结转结余) is this year's money from it and ``财政拨款`` this
    year's three fiscal funds; ``上年结转结余`` is all carried-in money, ``上年结转（一般公共预算拨款）``
    (or 政府性基金预算拨款, 国有资本经营预算拨款, 财政拨款, 单位资金) the carried-in money of that fund.
    Several words join with ``|``. An unknown word raises ValueError naming the words there are."""
    out: set[tuple[bool, Fund]] = set()
    for word in (w.strip() for w in words.split("|")):
        inner = word[5:-1] if word.startswith("上年结转（") and word.endswith("）") else None
        if word == "财政拨款":
            out.update((False, f) for f in FISCAL_FUNDS)
        elif word == Fund.carryover.value:
            out.update((True, f) for f in (*FISCAL_FUNDS, Fund.carryover))
        elif inner is not None and inner in CARRY_IN_WORDS:
            out.update((True, f) for f in CARRY_IN_WORDS[inner])
        elif word in FUND_WORDS:
            out.add((False, Fund(word)))
        else:
            known = ["财政拨款", *(f.value for f in Fund), *(f"上年结转（{k}）" for k in CARRY_IN_WORDS)]
            raise ValueError(f"未知的资金来源“{word}”（可用：{'、'.join(known)}）")
    return frozenset(out)


@for_clerks("财政拨款上年结转结余原来拨自哪一项财政拨款：它在财政拨款收支总表（上年结转行）、一般公共预算和政府性基金的表"
            "以及说明中仍算财政拨款，收入表中列为上年结转结余。不是财政拨款的结转资金写“单位资金”（不填即是）。")
class CarriedFrom(str, Enum):
    """上年结转结余 of 财政拨款: the fiscal fund the carried money was appropriated from. It stays 财政拨款
    — in the 财政拨款收支总表 (上年结转 rows), the 一般公共预算/政府性基金 tables and the 说明 — while the
    revenue tables list it as 上年结转结余. Carried money of no fiscal fund is 单位资金 (the default)."""

    general = "一般公共预算拨款"
    gov_fund = "政府性基金预算拨款"
    state_capital = "国有资本经营预算拨款"
    unit = "单位资金"


class UnitKind(str, Enum):
    admin = "行政单位"
    civil_servant_managed = "参照公务员法管理事业单位"
    institution = "事业单位"


# ---------------------------------------------------------------------------- identity

class Unit(Strict):
    code: Text = Field(description="单位编码，如 410002")
    name: Text = Field(description="单位名称")
    kind: UnitKind = Field(description="单位性质：行政单位 / 参照公务员法管理事业单位 / 事业单位（决定政府经济分类和机关运行经费口径）")


@for_clerks("主管部门（单位预算时写明）。")
class Parent(Strict):
    code: Text = Field(description="主管部门编码")
    name: Text = Field(description="主管部门名称")


class Contact(Strict):
    person: OptionalText = Field(None, description="联系人")
    phone: OptionalText = Field(None, description="联系电话")


@for_clerks("编制与人员。每个人数都可以不填：没填的人数不印（不印成 0）。")
class Staffing(Strict):
    """编制与人员。Every count is optional: a count that was not given is never printed (not as 0)."""

    authorized: Count | None = Field(None, description="编制人数合计")
    authorized_admin: Count | None = Field(None, description="行政编制")
    authorized_institution: Count | None = Field(None, description="事业编制")
    actual: Count | None = Field(None, description="实有人员合计")
    actual_admin: Count | None = Field(None, description="实有行政人员")
    actual_institution: Count | None = Field(None, description="实有事业人员")
    retired: Count | None = Field(None, description="单位管理的离退休人员")
    outside: Count | None = Field(None, description="编外人员数（甘肃、江西绩效目标表的“编外人数”）")
    as_of: DefaultText = Field("截至上年底", description="统计时点的说法")


HOME_SUFFIXES = ("", "本级", "（本级）", "(本级)", "本部")   # how a 部门's own unit is named after the 部门 (Organization.home_unit)


class Organization(Strict):
    name: Text = Field(description="部门（单位）全称")
    code: Text = Field(description="部门（单位）编码")
    kind: UnitKind = Field(description="单位性质（单一单位时决定政府经济分类和机关运行经费口径；多单位时各单位另填）")
    parent: Parent | None = Field(None, description="主管部门（单位预算时填写）")
    units: list[Unit] = Field(default_factory=list, description="所属预算单位（部门预算 = 本级 + 所属单位；表中按单位编码排列；本级是与部门同名或名为“部门名称本级”的单位，没有时按名称相合、行政单位、列在第一个的顺序推定并警告）；单位预算可不填")
    contact: Contact = Field(default_factory=Contact, description="联系人与联系电话（甘肃、江西绩效目标表）")
    divisions: list[Text] = Field(default_factory=list, description="内设机构")
    functions_intro: OptionalText = Field(None, description="主要职责前的引言")
    functions: list[Text] = Field(default_factory=list, description="主要职责，每条一项")
    tasks: list[Text] = Field(default_factory=list, description="年度工作任务，每条一项")
    staffing: Staffing | None = Field(None, description="人员编制与实有人数（不填则说明中不写人员情况）")
    mandate_basis: OptionalText = Field(None, description="部门职能依据：三定方案批文号或文件名（绩效目标表）")
    mandate_changed: YesNo | None = Field(None, description="近三年部门职能是否出现过重大变化（绩效目标表）")
    mandate_change: OptionalText = Field(None, description="职能变化内容（有变化时填写）")
    functions_summary: OptionalText = Field(None, description="部门职能简述 / 职能概述（绩效目标表；不填则用主要职责）")
    top_level: YesNo | None = Field(None, description="是否一级预算主管部门（江西绩效目标申报表）")
    sector: OptionalText = Field(None, description="所属部门领域，如 区政府工作部门（江西绩效目标申报表）")
    management_systems: OptionalText = Field(None, description="部门（单位）基本制度建设，如 会计法、财务内部控制制度……（甘肃绩效目标表）")

    def all_units(self) -> list[Unit]:
        """The package's budget units in code order — the order every table prints them in, as every
        reference does (石龙 308001…, 麟游 410001, 410002…); the file's order says nothing (a trial listed
        419001, 419003, 419002 and got that order in some tables and code order in others). A package of
        one unit that lists none is the organization itself."""
        return sorted(self.units, key=lambda u: u.code) or [Unit(code=self.code, name=self.name, kind=self.kind)]

    def home_unit(self) -> Unit:
        """The department's own unit (本级): the one the 说明 calls 本级/本部, whose code Jiangxi's forms print
        as 主管部门及代码 (柴桑区医疗保障局327001), and to which a line without `unit` belongs — chosen by
        `home_unit_choice`."""
        return self.home_unit_choice()[0]

    def home_unit_choice(self) -> tuple[Unit, str]:
        """The 本级 and how it was found (`HOME_CHOICES`). It is

        1. the unit named as the department — its very name, or that name followed by 本级, （本级）, (本级)
           or 本部 (the 一体化 system's “某某局本级”);
        2. else the unit whose code is the department's own;
        3. else a unit whose name ends with the department's (清河县桃源镇人民政府 for 桃源镇人民政府) or whose
           name the department's ends with, then one whose name contains the department's — a 行政单位 first;
        4. else the first 行政单位 listed; else the first unit listed.

        Never “the smallest code”: 本级 is usually 001, but a code says nothing about whose unit it is, and
        the tables' code order must not move the 本级 (a trial's file listing 419003 first got 419003 printed
        as the department's code). Steps 3–4 guess (trialE-s27 D6: a department named without its county
        got the 事业 center listed first as 本级 and its code on every Jiangxi form): validate says so
        (`unit.home-guessed`)."""
        if not self.units:
            return self.all_units()[0], "name"
        named = {self.name + suffix for suffix in HOME_SUFFIXES}
        exact = next((u for u in self.units if u.name in named), None)
        if exact:
            return exact, "name"
        coded = next((u for u in self.units if u.code == self.code), None)
        if coded:
            return coded, "code"
        dept = _bare(self.name)
        admin_first = sorted(self.units, key=lambda u: u.kind is not UnitKind.admin)   # stable: file order within
        for how, fits in (("name-end", lambda n: n.endswith(dept) or dept.endswith(n)), ("name-part", lambda n: dept in n)):
            found = next((u for u in admin_first if fits(_bare(u.name))), None)
            if found:
                return found, how
        return admin_first[0], "admin" if admin_first[0].kind is UnitKind.admin else "first"


HOME_CHOICES = {"name": "与部门同名的单位", "code": "编码与部门相同的单位", "name-end": "名称与部门名称相合的单位",
                "name-part": "名称含部门名称的单位", "admin": "列出的第一个行政单位", "first": "列在第一个的单位"}


def _bare(name: str) -> str:
    """A unit's name without its 本级/本部 suffix (`HOME_SUFFIXES`), for comparing with the department's."""
    name = name.strip()
    for suffix in HOME_SUFFIXES[1:]:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[:-len(suffix)]
    return name


# ---------------------------------------------------------------------------- money facts

class Revenue(Strict):
    source: Fund = Field(description="收入来源")
    amount: Money
    unit: OptionalText = Field(None, description="单位编码（多单位部门填写）")


class Expenditure(Strict):
    """One expenditure line item; almost every table is a pivot of these."""

    function: FunctionCode
    function_name: OptionalText = Field(None, description="功能分类科目名称（可不填，按当年目录印制；也可写在编码后：“2050201 学前教育”）")
    economic: EconomicCode
    economic_name: OptionalText = Field(None, description="经济分类科目名称（可不填，按当年目录印制；也可写在编码后：“30101 基本工资”）")
    kind: ExpenseKind = Field(description="支出类型：人员经费 / 公用经费 / 项目支出")
    amount: Money
    fund: Fund = Field(Fund.general, description="资金来源，默认一般公共预算拨款")
    carried_from: CarriedFrom | None = Field(None, description="资金来源为上年结转结余时：结转的是哪项资金（一般公共预算拨款 / 政府性基金预算拨款 / 国有资本经营预算拨款 / 单位资金）；不填按单位资金")
    unit: OptionalText = Field(None, description="单位编码（多单位部门填写）")
    project: OptionalText = Field(None, description="项目（项目支出必填）：projects 中的项目编码，无编码时为项目名称")

    @model_validator(mode="before")
    @classmethod
    def _split_code_and_name(cls, data: Any) -> Any:
        """Budget-system exports write “2050201 学前教育” in one cell: take the code and the name apart."""
        if isinstance(data, dict):
            for key in ("function", "economic"):
                value = data.get(key)     # a bare code (the usual case) is all digits: no copy, no pattern
                if isinstance(value, str) and not value.isdecimal() and (m := _CODE_AND_NAME.match(value)) \
                        and not data.get(f"{key}_name"):
                    data = dict(data)
                    data[key], data[f"{key}_name"] = m.group(1), m.group(2)
        return data


@for_clerks("结转下年：本年收入中留待以后年度使用的部分（按单位、资金来源）。")
class CarryForward(Strict):
    amount: Money
    fund: Fund = Field(Fund.general, description="资金来源，默认一般公共预算拨款")
    carried_from: CarriedFrom | None = Field(None, description="资金来源为上年结转结余时：结转的是哪项资金（同 expenditures 的 carried_from）；不填按单位资金")
    unit: OptionalText = Field(None, description="单位编码（多单位部门填写）")


def _carry_forward_list(value: Any) -> Any:
    """A bare amount (the common one-unit case) is one 一般公共预算拨款 carry-forward of the 本级 unit
    (`Organization.home_unit`: a line without `unit` is its)."""
    if value is None:
        return []
    return [{"amount": value}] if not isinstance(value, list) else value


class ProjectType(str, Enum):
    running = "其他运转类"
    specific = "特定目标类"


class Comparator(str, Enum):
    ge = "≥"
    le = "≤"
    eq = "="
    gt = ">"
    lt = "<"
    qualitative = "定性"


class Indicator(Strict):
    goal: int | None = Field(None, ge=1, le=MAX_COUNT, description="所属目标的序号（按目标分组的表，如湖北申报表：长期目标1、年度目标2……）")
    level1: Text = Field(description="一级指标，如 产出指标")
    level2: Text = Field(description="二级指标，如 数量指标")
    name: Text = Field(description="三级指标（指标内容）")
    comparator: Comparator | None = Field(None, description="指标值类型：≥ ≤ = > < 或 定性；不填则按原样印指标值")
    value: DefaultText = Field("", description="指标值")
    measure: DefaultText = Field("", description="度量单位，如 %、人次")
    basis: OptionalText = Field(None, description="指标值确定依据 / 指标值内容")
    note: OptionalText = Field(None, description="备注")
    past_values: list[str] = Field(default_factory=list, description="近两年指标值，前年在先（湖北年度绩效指标），如 [\"12次\", \"12次\"]")


class PerformanceTask(Strict):
    name: Text = Field(description="任务名称，如 任务1")
    content: Text = Field(description="主要内容")
    goal: OptionalText = Field(None, description="对应年度绩效目标和内容（江西申报表）")
    amounts: dict[str, Money] = Field(description="各资金栏金额（元），如 {财政拨款: 1546410, 其他资金: 0}")


class ProjectPerformance(Strict):
    goal: Text = Field(description="总体目标 / 年度目标")
    long_term_goal: OptionalText = Field(None, description="实施期目标（如与年度目标不同）")
    period: OptionalText = Field(None, description="实施期限")
    indicators: list[Indicator] = Field(default_factory=list)
    long_term_indicators: list[Indicator] = Field(default_factory=list, description="长期（实施期）绩效指标（湖北）")


class ProjectAttribute(str, Enum):
    new = "新增项目"
    one_off = "一次性项目"
    continuing = "延续项目"


@for_clerks("项目经费情况说明（上海部门预算）：项目概述是项目的 description，年度预算金额由支出明细汇总，这里只写文字。")
class ProjectStatement(Strict):
    basis: list[Text] = Field(default_factory=list, description="立项依据，每条一项")
    implementer: OptionalText = Field(None, description="实施主体")
    plan: OptionalText = Field(None, description="实施方案")
    period: OptionalText = Field(None, description="实施周期，如 2025全年度")
    budget_note: OptionalText = Field(None, description="年度预算安排的文字说明（金额由明细行计算，不在此填写）")


class Project(Strict):
    name: Text = Field(description="项目名称")
    code: OptionalText = Field(None, description="项目编码")
    unit: OptionalText = Field(None, description="单位编码")
    group: OptionalText = Field(None, description="项目所属类别（如“公务员医疗补助”），表中作为上级行")
    category: OptionalText = Field(None, description="项目类别（如“专用项目”）")
    type: ProjectType = Field(ProjectType.running, description="项目类型")
    attribute: ProjectAttribute | None = Field(None, description="项目属性：新增项目 / 延续项目 / 一次性项目（绩效目标表）")
    description: DefaultText = Field("", description="项目简介")
    total_budget: Money | None = Field(None, description="项目总预算（跨年项目；默认等于本年度预算）")
    total_budget_fiscal: Money | None = Field(
        None, description="项目总预算中的财政拨款（跨年项目：绩效目标表实施期资金总额的“其中：财政拨款”；其他资金 = 总预算 − 此数）")
    performance: ProjectPerformance | None = Field(None, description="项目绩效目标")
    statement: ProjectStatement | None = Field(None, description="项目经费情况说明（上海部门预算逐项说明的项目）")

    @property
    def key(self) -> str:
        """What expenditure lines name in `project`: the code when the project has one, else its name."""
        return self.code or self.name


@for_clerks("往年收支（湖北“近两年收支金额”）：收入构成与支出构成。")
class HistoryYear(Strict):
    year: int = Field(ge=2000, le=2100)
    fiscal: Money = Field(description="财政拨款（元）")
    other: Money = Field(description="其他资金（元）")
    basic: Money = Field(description="基本支出（元）")
    project: Money = Field(description="项目支出（元）")
    carry_forward: Money = Field(Decimal(0), description="结转下年（元）：收入中留待以后年度使用的部分，没有不填")

    @model_validator(mode="after")
    def _balanced(self) -> "HistoryYear":
        """A year's income is its spending plus what it carried on (结转下年), as this year's form prints it."""
        spent = self.basic + self.project + self.carry_forward
        if self.fiscal + self.other != spent:
            extra = "（基本支出 + 项目支出 + 结转下年）" if self.carry_forward else ""
            raise ValueError(f"{self.year}年：收入合计 {self.fiscal + self.other} 元 ≠ 支出合计{extra} {spent} 元")
        return self


@for_clerks("部门职能分解：一个内设机构的中期目标与年度绩效目标（江西申报表）。")
class DivisionGoal(Strict):
    division: Text = Field(description="内设机构（职能）名称，如 办公室")
    medium_term: DefaultText = Field("", description="部门中期目标")
    annual: DefaultText = Field("", description="部门年度绩效目标")


class DepartmentPerformance(Strict):
    goals: list[Text] = Field(default_factory=list, description="年度总体目标")
    long_term_goals: list[Text] = Field(default_factory=list, description="中长期目标（湖北等）")
    long_term_until: OptionalText = Field(None, description="长期目标的截止年份，如 2026")
    history: list[HistoryYear] = Field(default_factory=list, description="近两年收支金额（湖北）")
    division_goals: list[DivisionGoal] = Field(default_factory=list, description="部门职能分解：各内设机构的中期与年度目标（江西）")
    tasks: list[PerformanceTask] = Field(default_factory=list, description="年度主要任务")
    indicators: list[Indicator] = Field(default_factory=list)
    long_term_indicators: list[Indicator] = Field(default_factory=list, description="长期绩效指标（湖北申报表，按长期目标分组）")
    other_matters: OptionalText = Field(None, description="其他需要说明的事项（江西申报表）")


class SpecialFundPerformance(Strict):
    name: OptionalText = Field(None, description="专项资金名称（默认单位名称）")
    period: OptionalText = Field(None, description="实施期限")
    long_term_goals: list[Text] = Field(default_factory=list)
    goals: list[Text] = Field(default_factory=list)
    indicators: list[Indicator] = Field(default_factory=list)


class Performance(Strict):
    department: DepartmentPerformance | None = None
    special_fund: SpecialFundPerformance | None = None


class ProcurementCategory(str, Enum):
    goods = "货物"
    works = "工程"
    services = "服务"


class Procurement(Strict):
    category: ProcurementCategory
    item: Text = Field(description="采购品目")
    amount: Money
    quantity: OptionalText = Field(None, description="数量")
    project: OptionalText = Field(None, description="所属项目")
    unit: OptionalText = None


@for_clerks("国有资产占有使用情况。没填的数不印。")
class Assets(Strict):
    """国有资产占有使用情况。Counts not given are not printed."""

    vehicles: dict[str, Count] | None = Field(None, description="车辆数，按种类，如 {一般公务用车: 1}；没有车辆写 {}")
    equipment_threshold: OptionalText = Field(None, description="设备价值口径（不写则用版式的公开口径，如陕西“单价20万元以上”）")
    equipment: Count | None = Field(None, description="单价超过口径的设备台（套）数")
    special_equipment: Count | None = Field(None, description="超过专用设备口径的专用设备数（台、套；河南、湖北印出，如“单位价值100万元以上专用设备0台（套）”；口径是版式的 special_equipment_threshold）")
    planned_vehicles: Count | None = Field(None, description="当年计划购置车辆数")
    planned_equipment: Count | None = Field(None, description="当年计划购置超过口径的设备数")
    as_of: DefaultText = Field("截至上年底")


class PriorFigure(Strict):
    amount: Money = Field(description="上年预算数（元）")
    reason: OptionalText = Field(None, description="增减变化的主要原因")


def _prior(value: Any) -> Any:
    return {"amount": value} if not isinstance(value, dict) else value


Prior = Annotated[PriorFigure, BeforeValidator(_prior)]


@for_clerks("上年预算数及增减原因：叙述中“较上年增加/减少 X 元，主要原因是……”全由此计算。")
class PriorYear(Strict):
    total: Prior | None = Field(None, description="上年收支总计")
    fiscal: Prior | None = Field(None, description="上年财政拨款收支")
    general: Prior | None = Field(None, description="上年一般公共预算拨款支出")
    function: dict[str, Prior] = Field(default_factory=dict, description="按功能分类“项”的上年一般公共预算支出")
    economic_dept: dict[str, Prior] = Field(default_factory=dict, description="按部门经济分类“类”的上年一般公共预算支出")
    economic_gov: dict[str, Prior] = Field(default_factory=dict, description="按政府经济分类“类”的上年一般公共预算支出")
    items: dict[str, Prior] = Field(default_factory=dict, description="其他上年数：三公经费、因公出国（境）费、公务接待费、公务用车购置及运行费、公务用车购置费、公务用车运行维护费、会议费、培训费、公用经费、人员经费、基本支出、项目支出（这四项是一般公共预算的）、机关运行经费、政府性基金预算拨款支出、国有资本经营预算拨款支出")
    adjusted: Money | None = Field(None, description="上年调整后预算数（元；绩效目标表“上年预算情况”，批复数为 total）")
    actual: Money | None = Field(None, description="上年实际支出数（元；执行率 = 实际支出 / 调整后预算，未调整时 / 批复数）")
    balance: Money | None = Field(None, description="上年年末结转结余（元）")
    carry_forward: list[CarryForward] | None = Field(
        None, description="上年预算计划的结转下年（按单位、资金来源；discloser rollover 由上年文件写入，[] 为上年未计划结转）："
                          "本年的上年结转结余与之不同时提示核对，不印出")


@for_clerks("公开前的审查：保密审查与部门（单位）主要负责人审签。这是经办人对已做之事的声明，不是版式的固定文字：版式在"
            "报表目录前印“保密审查情况：已审查”等（陕西），文件写“是”才印；没写或写“否”时那一行不印（审签用的草稿），"
            "validate 警告、--strict 不通过（review.pending）；每年公开前重新确认（rollover 写成“否”，不沿用上年）。")
class Review(Strict):
    secrecy: YesNo | None = Field(None, description="是否已保密审查：是，印“保密审查情况：已审查”；否或不写，那一行不印（公开前须完成保密审查）")
    signed: YesNo | None = Field(None, description="主要负责人是否已审签：是，印“部门（单位）主要负责人审签情况：已审签”；"
                                                   "否或不写，那一行不印（公开前须经部门（单位）主要负责人审签）")


@for_clerks("一份部门（单位）预算公开的全部事实。")
class Budget(Strict):
    profile: OptionalText = Field(None, description="版式（省份）配置名，如 national、shanghai、shaanxi、henan；不填用 national（全国通用，财预〔2016〕143号）")
    year: int = Field(ge=2000, le=2100, description="预算年度")
    scope: Literal["单位", "部门"] = Field("部门", description="单位预算还是部门预算（不写按部门预算印制，validate 提醒）")
    organization: Organization
    revenues: list[Revenue] = Field(description="收入，按来源")
    expenditures: list[Expenditure] = Field(description="支出明细行")
    carry_forward: Annotated[list[CarryForward], BeforeValidator(_carry_forward_list)] = Field(
        default_factory=list, description="结转下年：金额（一般公共预算拨款、单一单位），或按单位和资金来源的列表")
    approval_date: date | None = Field(None, description="预算批复（公开）日期，如 2024-01-15；用作文件的创建日期")
    review: Review | None = Field(None, description="公开前的审查情况（保密审查、主要负责人审签）：印这两项的版式（陕西）"
                                                    "公开前写“是”，每年重新填写")
    projects: list[Project] = Field(default_factory=list)
    procurement: list[Procurement] | None = Field(
        None, description="政府采购预算，每个品目一行；没有政府采购写 []（不写时印政府采购情况的版式不能生成：不写不等于没有）")
    assets: Assets | None = Field(None, description="国有资产占有使用情况（说明写资产情况的版式必须填；其余版式不印）")
    prior_year: PriorYear = Field(default_factory=PriorYear)
    performance: Performance = Field(default_factory=Performance)
    empty_table_reasons: TextsByKey = Field(default_factory=dict, description="空表理由覆盖，键为表的标识（如 gov_fund）")
    special_transfer: OptionalText = Field(None, description="专项转移支付项目情况（河南版式），如“无专项转移支付项目”：前面印“单位名称+年度”，以单位名称开头的整句照印")
    notes: TextsByKey = Field(default_factory=dict, description="叙述中的补充文字，键为段落标识")
    function_names: Annotated[dict[FunctionLevelCode, str], BeforeValidator(_without_blank_values)] = Field(
        default_factory=dict, description="当年目录未收录的功能分类类、款（或项）的名称，如 '21305': 巩固拓展脱贫攻坚成果同乡村振兴有效衔接"
                                          "（预算系统导出的类、款合计行都带名称）；目录已收录的按目录印制")


T = TypeVar("T")


def per_budget(walk: Callable[[Budget], Iterable[T]]) -> Callable[[Budget], Iterator[T]]:
    """Remember what `walk` found in the last budget it was given: a dozen rules read every text of the
    budget, and walking it each time was most of `validate`'s time on a large department. A validated
    budget is not changed afterwards; a new one (the next save in the preview) is walked again."""
    last: list = [None]     # (budget, what was found): replaced as one value, so threads never mix two budgets

    def walked(budget: Budget) -> Iterator[T]:
        seen = last[0]
        if seen is None or seen[0] is not budget:
            seen = last[0] = (budget, list(walk(budget)))
        return iter(seen[1])

    walked.__doc__ = walk.__doc__
    return walked
