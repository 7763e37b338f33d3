"""Problems of a fill-in workbook in the workbook's own words.

The rules speak of the data file (“不在 projects 中”, “请写 carried_from: 单位资金”): a clerk filling the
workbook sees sheets and column headers instead. Each phrase below is one a rule writes, with what
stands for it in the workbook (`layout.py` names the sheets and headers); a message with none of them is
left as it is. The cell the problem points at is already the workbook's (`WorkbookSource.locate`).
"""
from __future__ import annotations

import re
from dataclasses import replace

from ...problems import Problem
from .layout import PRIOR

# (the rules' phrase, the workbook's) — longest first where one contains another
PHRASES: list[tuple[str, str]] = [
    ("（revenues 各项之和）", "（“收入”表各行之和）"),
    ("（expenditures 各行之和", "（“支出明细”表各行之和"),
    ("且项目在 projects 中", "且项目在“项目”表中"),
    ("请在 projects 中登记该项目", "请在“项目”表中登记该项目"),
    ("不在 projects 中", "不在“项目”表中"),
    ("项目支出行缺少 project（项目名称）", "项目支出行的“项目”列没有填"),
    ("不应填写 carried_from", "不应填写“结转的资金”"),
    ("未写 carried_from", "未填“结转的资金”"),
    ("请写 carried_from: ", "请在“结转的资金”列选 "),
    ("写 carried_from: ", "在“结转的资金”列选 "),
    ("请把 fund 写成上年结转结余", "请把“资金来源”选为上年结转结余"),
    ("单位编码（unit）", "单位编码"),
    ("请在 organization.units 中列出", "请在“单位”表中列出"),
    ("（type：其他运转类 / 特定目标类）", "（“项目”表的“项目类型”列：其他运转类 / 特定目标类）"),
    ("function_names 写作", "“科目名称”表写作"),
    ("没有写原因（reason）", "没有填“增减原因”"),
    ("请核对序号（goal）", "请核对“目标序号”"),
    ("职能变化内容（organization.mandate_change）", "职能变化内容（“说明文字”表）"),
    ("（数字写在 value，单位写在 measure；文字性指标用 comparator: 定性）",
     "（数字写在“指标值”，单位写在“度量单位”；文字性指标的“指标值类型”选 定性）"),
    ("上年一般公共预算支出（prior_year.general）", "上年一般公共预算支出（“上年数”表）"),
    ("需要 procurement（政府采购预算；没有政府采购写 procurement: []）",
     "需要政府采购预算（“政府采购”表；没有政府采购时只填一行，“采购品目”写“无”）"),
    ("没有政府采购写 procurement: []", "没有政府采购时这一行的“采购品目”写“无”，其余空着"),
    # the attestations (`profile.ATTESTATIONS`): rows of 基本情况
    ("（review.secrecy: 否）", "（“基本情况”表的“是否已保密审查”选的是“否”）"),
    ("（review.signed: 否）", "（“基本情况”表的“主要负责人是否已审签”选的是“否”）"),
    ("（review.secrecy）", "（“基本情况”表的“是否已保密审查”）"),
    ("（review.signed）", "（“基本情况”表的“主要负责人是否已审签”）"),
    ("写 review.secrecy: 是", "在“是否已保密审查”选“是”"),
    ("写 review.signed: 是", "在“主要负责人是否已审签”选“是”"),
]
# 需要 assets（国有资产占用情况；没有车辆、设备写 assets: {…}）: the profile names the section its own way
_ASSETS = re.compile(r"需要 assets（([^；）]*)；没有车辆、设备写 assets: \{[^）]*\}）")
_ASSETS_THERE = (r"需要\1（“基本情况”表的车辆、设备各行；没有车辆写“无”，没有超过口径的设备写 0）")
# 在数据文件的 function_names 下写一行“'21030': 名称”（填报工作簿：“科目名称”表）
_FUNCTION_NAMES = re.compile(r"在数据文件的 function_names 下写一行“['\"]?(\d+)['\"]?: ['\"]?名称['\"]?”（填报工作簿：“科目名称”表）")

# （prior_year.total）, （prior_year.items.公务接待费）: a row of the 上年数 sheet, by its 类别 (and 编码或项目)
_PRIOR_PATH = re.compile(r"（prior_year\.([a-z_]+)(?:\.([^）]+))?）")
_PRIOR_LABEL = {key: label for label, key, _ in PRIOR}
# 会印补充文字 notes.performance_management …。需要时在 notes 下写 performance_management: ……
_NOTE_PRINTED = re.compile(r"补充文字 notes\.([A-Za-z_]+)")
_NOTE_WRITE = re.compile(r"需要时在 notes 下写 ([A-Za-z_]+): ……")


def _prior_there(m: re.Match) -> str:
    label = _PRIOR_LABEL.get(m.group(1))
    if label is None:
        return m.group()
    return f"（“上年数”表，类别“{label}”" + (f"，编码或项目“{m.group(2)}”）" if m.group(2) else "）")


def in_workbook_terms(problems: list[Problem]) -> list[Problem]:
    """Each problem reworded, and a location's data path (“expenditures[0]”, left where no header names the
    cell: a whole row or sheet) dropped — the sheet and cell say where."""
    return [replace(p, message=_reword(p.message) if _touches(p.message) else p.message,
                    locations=tuple(replace(loc, field="") if _DATA_PATH.fullmatch(loc.field) else loc for loc in p.locations))
            for p in problems]


_DATA_PATH = re.compile(r"[a-z_]+(\[\d+\]|\.[A-Za-z_0-9]+)*")


def _touches(message: str) -> bool:
    return bool(re.search(r"[a-z_]{4,}", message))


def _reword(message: str) -> str:
    message = _FUNCTION_NAMES.sub(lambda m: f"在“科目名称”表加一行：科目编码 {m.group(1)}，科目名称照预算系统写", message)
    message = _ASSETS.sub(_ASSETS_THERE, message)
    for ours, theirs in PHRASES:
        message = message.replace(ours, theirs)
    message = _PRIOR_PATH.sub(_prior_there, message)
    message = _NOTE_PRINTED.sub(r"补充文字“\1”（“说明文字”表）", message)
    return _NOTE_WRITE.sub(r"需要时在“说明文字”表加一行：类别选“补充文字”，键写 \1，内容写这一段", message)
