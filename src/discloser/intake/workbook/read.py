"""Read the fill-in workbook back into budget data, every value located as ``文件!工作表!单元格``.

`read_workbook(path)` returns a `WorkbookSource`: the same plain data a YAML file gives (so the
model and the rules check it exactly as they check YAML), and a position per data path that is a
sheet and a cell. Blank cells of a row are located too, so “缺少必填字段” points at the empty cell.

Decisions:
- Cells are read as typed: a text cell stays text (including one starting with “=”), a number in a
  code column becomes its digits, a money number becomes an exact Decimal (``repr`` of the float,
  which is the shortest text that reads back as the same float: 1234.56, never 1234.5599999…).
  A date where text belongs reads as Excel displays it (2025年12月 under ``yyyy"年"m"月"``; `..shown`).
- A formula (a cell whose content starts with “=” and that Excel computes) is refused, located:
  the file must hold the figures themselves.
- Blank and whitespace-only cells are “not given”: optional texts read back as absent, so an empty
  optional text and an absent one are the same; an all-blank group (主管部门, 人员编制, 资产, 部门整体 or
  专项资金绩效) is “not given”.
- Columns are matched by their header text, so they may be moved; a column with an unknown header
  is ignored; a sheet without a required column is an error at its header row.
"""
from __future__ import annotations

import os
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from ...problems import Location, Problem, SourceError, format_field_path, unreadable_because
from ...source import Source
from ...unpack_limits import unpacked_problem
from ..shown import (cell_date, excel_digits, format_id, lost_digits, lost_digits_message, shown_date,
                     shown_digits, shown_percent)
from ..gaps import MARK
from .wording import in_workbook_terms
from .layout import (HELP_SHEET, LISTS_SHEET, OPTIONAL_SHEETS, PARTS, FACTS, INDICATOR_COLUMNS, INDICATOR_LISTS,
                     INDICATOR_OWNER_COLUMNS, OWNERS, PRIOR, RECORD_SHEETS, SHEET_ORDER, STATEMENT, TASK_AMOUNT, TASK_COLUMNS,
                     NONE, TERMS, TEXTS, Col)

MAX_BYTES = 20 * 1024 * 1024
_CODE_AND_NAME = re.compile(r"^\s*(\d{3,7})[\s\u3000]+(\S.*?)\s*$")
_VEHICLE = re.compile(r"^\s*(.+?)\s*[:：]\s*(\d+)\s*$")


@dataclass
class WorkbookSource(Source):
    """A `Source` whose positions are (sheet, cell): `locate` answers ``文件!工作表!单元格``, and names the
    field by what the clerk sees there — the column's header or the row's label (“金额”, “批复日期”) — rather
    than by its path in the data file, when the cell is the field's own."""

    positions: dict[tuple, tuple[str, str]] = field(default_factory=dict)
    labels: dict[tuple, str] = field(default_factory=dict)
    todos: list[tuple[Location, str]] = field(default_factory=list)    # comments starting with 待填, at their cells

    def locate(self, path: tuple, *, key: bool = False) -> Location:
        probe = tuple(path)
        while probe and probe not in self.positions:
            probe = probe[:-1]
        where = self.positions.get(probe)
        file = f"{self.path}!{where[0]}!{where[1]}" if where else self.path
        return Location(file, None, None, self.labels.get(tuple(path)) or format_field_path(tuple(path)))

    def in_own_terms(self, problems: list) -> list:
        """Problems in the workbook's words: its sheets and headers, not the data file's field paths."""
        return in_workbook_terms(problems)


def cell_location(path: str, sheet: str, ref: str, fld: str = "") -> Location:
    return Location(f"{path}!{sheet}!{ref}", None, None, fld)


class _Reader:
    def __init__(self, path: str, wb):
        self.path = path
        self.wb = wb
        self.data: dict[str, Any] = {"organization": {}, "revenues": [], "expenditures": []}
        self.positions: dict[tuple, tuple[str, str]] = {(): ("基本情况", "A1")}
        self.labels: dict[tuple, str] = {}     # data path → the header or row label of its cell
        self.problems: list[Problem] = []

    def error(self, sheet: str, ref: str, message: str, rule: str = "workbook.cell") -> None:
        self.problems.append(Problem(rule, "error", message, (cell_location(self.path, sheet, ref),)))

    # ------------------------------------------------------------------ cells
    def value(self, ws, row: int, col: int, kind: str) -> Any:
        cell = ws.cell(row, col)
        v = cell_date(cell, self.wb.epoch)     # a number under a Chinese built-in date format: the date shown
        if v is None:
            return None
        if cell.data_type == "f" or not isinstance(v, (str, int, float, Decimal, datetime, date, time, bool)):
            self.error(ws.title, cell.coordinate, f"单元格是公式（{str(v)[:30]}）：请填写数值或文字本身，不要用公式", "workbook.formula")
            return None
        if isinstance(v, str):
            if not v.strip():
                return None
            return v if kind == "text" else v.strip()
        if isinstance(v, bool):
            return v if kind in ("money", "int") else ("是" if v else "否")
        if kind == "date" and isinstance(v, date):
            return v.date() if isinstance(v, datetime) else v
        if isinstance(v, (date, time)):      # “2025年12月” typed where text belongs: Excel made it a date
            return shown_date(v, cell.number_format, format_id(cell))
        percent = shown_percent(v, cell.number_format)     # “100%” typed: Excel stores 1 under 0%
        if percent is not None and kind in ("money", "int"):
            what = "金额以元为单位" if kind == "money" else "这里填人数、个数或年度"
            self.error(ws.title, cell.coordinate, f"此格是百分比格式（Excel 显示为 {percent}%）：{what}，不会是百分比。"
                       "请把单元格格式改为“数值”或“常规”，再填写数字", "workbook.percent")
            return None
        if percent is not None:
            return f"{percent}%"
        if kind == "money":
            return Decimal(repr(v)) if isinstance(v, float) else v
        if kind == "int":
            return int(v) if isinstance(v, float) and v.is_integer() else v
        if lost_digits(v):      # a long code typed as a number: Excel kept 15 digits of it; the file is refused,
            self.error(ws.title, cell.coordinate, lost_digits_message(v), "workbook.digits")
            return excel_digits(v)   # but the rows naming the same code still match it (no second message there)
        shown = shown_digits(v, cell.number_format)   # a code typed as a number shown as 011001
        if isinstance(shown, str):
            return shown
        if isinstance(v, float):
            return str(int(v)) if v.is_integer() else repr(v)
        return str(v)

    def headers(self, ws) -> dict[str, int]:
        out = {}
        for col in range(1, (ws.max_column or 0) + 1):
            v = ws.cell(1, col).value
            if isinstance(v, str) and v.strip():
                out.setdefault(v.strip(), col)
        return out

    def rows(self, ws):
        """Data rows (from row 2) that have anything in them, in any column. One pass over the sheet: the
        sheet's extent is measured once (openpyxl's ``ws[row]`` measures the whole sheet for every row, which
        made a 20,000-line 支出明细 take minutes)."""
        for row, values in enumerate(ws.iter_rows(min_row=2, values_only=True), start=2):
            if any(v is not None and not (isinstance(v, str) and not v.strip()) for v in values):
                yield row

    def sheet(self, name: str):
        return self.wb[name] if name in self.wb.sheetnames else None

    def columns(self, ws, cols) -> dict[str, int] | None:
        found = self.headers(ws)
        missing = [c.header for c in cols if c.required and c.header not in found]
        if missing:
            self.error(ws.title, "A1", f"工作表“{ws.title}”缺少列：{'、'.join(missing)}（第 1 行是表头，请不要修改表头文字）",
                       "workbook.header")
            return None
        return {c.key: found[c.header] for c in cols if c.header in found}

    # ------------------------------------------------------------------ parts
    def record(self, ws, row: int, cols: tuple[Col, ...], where: dict[str, int], path: tuple) -> dict:
        """One row as a record; every column's cell (blank too) is located."""
        item: dict[str, Any] = {}
        self.positions[path] = (ws.title, f"A{row}")
        for c in cols:
            col = where.get(c.key)
            if col is None:
                continue
            self.positions[path + c.keys] = (ws.title, f"{get_column_letter(col)}{row}")
            self.labels[path + c.keys] = c.header
            value = self.value(ws, row, col, c.kind)
            if value is not None:
                _set(item, c.keys, value)
        for key, value in item.items():     # 前年/上年指标值 → past_values; a blank before a filled one is ""
            if isinstance(value, dict) and value and all(isinstance(k, int) for k in value):
                item[key] = [value.get(n, "") for n in range(max(value) + 1)]
        return item

    def all_records(self) -> None:
        for spec in RECORD_SHEETS:
            self.records(spec)
        self.zeros_dropped()

    def records(self, spec) -> None:
        ws = self.sheet(spec.name)
        if ws is None:
            return
        where = self.columns(ws, spec.columns)
        if where is None:
            return
        self.positions[spec.path] = (ws.title, "A1")
        merged = [r for r in ws.merged_cells.ranges if r.max_row >= 2]
        for r in merged:    # only the first cell of a merge holds the value: the rows under it would read blank
            self.error(ws.title, r.coord.split(":")[0], f"单元格 {r.coord} 是合并单元格：每行要各自填写，请取消合并，"
                       "把内容填到每一行", "workbook.merged")
        if merged:
            return
        items, rows = [], []
        for row in self.rows(ws):
            item = self.record(ws, row, spec.columns, where, spec.path + (len(items),))
            if spec.name == "支出明细":
                _split_code_names(item)
            items.append(item)
            rows.append(row)
        if spec.none_in and self.none_alone(ws, spec, where, items, rows):
            return
        if spec.mapping:    # 科目名称: code → name, each located at its row
            for n, item in enumerate(items):
                if "code" in item:
                    self.positions[spec.path + (item["code"],)] = self.positions[spec.path + (n,)]
            items = {item.get("code"): item.get("name") for item in items} if items else []
        if items or spec.path in (("revenues",), ("expenditures",)):
            _set(self.data, spec.path, items)

    def zeros_dropped(self) -> None:
        """A unit code typed into a cell of format “常规” (General) is stored as a number: Excel drops a leading 0
        the moment it is typed (090100 → 90100), and nothing can give it back (trialI-s29 D5). Where the
        department's code begins with 0 and the number only matches it with the 0 put back, the cell is refused
        and the code it should be is said — the tables would print 90100 as the unit's code."""
        org = self.data.get("organization", {}).get("code") if isinstance(self.data.get("organization"), dict) else None
        units = self.data.get("organization", {}).get("units") if isinstance(org, str) else None
        if not isinstance(org, str) or not org.startswith("0") or not isinstance(units, list):
            return
        for n, unit in enumerate(units):
            sheet, ref = self.positions.get(("organization", "units", n, "code"), (None, None))
            code = unit.get("code") if isinstance(unit, dict) else None
            if sheet is None or not isinstance(code, str) or self.wb[sheet][ref].data_type != "n":
                continue
            lost = org[:len(org) - len(org.lstrip("0"))]      # the department code's leading zeros
            if not code.startswith(org) and (lost + code).startswith(org):
                self.error(sheet, ref, f"单位编码 {code} 是以数字保存的（单元格格式“常规”），Excel 已去掉开头的 0："
                           f"本部门编码是 {org}，此单位编码应是 {lost + code}。请把此格设为“文本”格式后重新输入 {lost + code}",
                           "workbook.digits")

    def none_alone(self, ws, spec, where: dict[str, int], items: list[dict], rows: list[int]) -> bool:
        """A sheet that says “none” (`spec.none_in` is “无”, the list is `[]`; an empty sheet says nothing) or that
        still has to say it (“待填” there alone: the whole list is 待填, located at that cell). A “无” row with
        anything else on it, or beside other rows, is refused at its cell: it would read as an item named 无.
        True when the list is settled here."""
        col = next(c for c in spec.columns if c.key == spec.none_in)
        ref = f"{get_column_letter(where[spec.none_in])}{{}}"
        said = [(n, item) for n, item in enumerate(items) if str(item.get(spec.none_in, "")).strip() == NONE]
        for n, item in said:
            others = [c.header for c in spec.columns if c.key != spec.none_in and _has(item, c.keys)]
            why = (f"这一行的“{'”“'.join(others)}”也有内容" if others else f"表中还有其他 {len(items) - 1} 行")
            if others or len(items) > 1:
                self.error(ws.title, ref.format(rows[n]),
                           f"“{col.header}”写“无”表示没有{ws.title}，这一行其余各格应空着、表中不应有其他行，但{why}："
                           f"没有{ws.title}请只留这一个“无”；有的请在“{col.header}”写名称", "workbook.none")
        if said:
            _set(self.data, spec.path, [])    # the sheet says “none” (an error above when it says more)
            return True
        if len(items) == 1 and [*items[0]] == [spec.none_in] and str(items[0][spec.none_in]).strip() == MARK:
            self.positions[spec.path] = (ws.title, ref.format(rows[0]))
            self.labels[spec.path] = col.header
            _set(self.data, spec.path, MARK)
            return True
        return False

    def facts(self) -> None:
        ws = self.sheet("基本情况")
        by_label = {label: (path, kind) for label, path, kind, _ in FACTS}
        for row in range(2, (ws.max_row or 1) + 1):
            label = ws.cell(row, 1).value
            if not isinstance(label, str) or label.strip() not in by_label:
                continue
            path, kind = by_label[label.strip()]
            self.positions[path] = ("基本情况", f"B{row}")
            self.labels[path] = label.strip()
            self.positions.setdefault(path[:-1], ("基本情况", f"B{row}"))
            value = self.value(ws, row, 2, {"vehicles": "text", "yesno": "choice"}.get(kind, kind))
            if kind == "vehicles" and value is not None and value != MARK:
                value = self.vehicles(value, f"B{row}")
            elif kind == "yesno" and value is not None and value != MARK:
                value = {"是": True, "否": False}.get(value, value)
                if not isinstance(value, bool):
                    self.error("基本情况", f"B{row}", f"“{label.strip()}”应从下拉列表选“是”或“否”，不是“{value}”")
                    value = None
            if value is not None:
                _set(self.data, path, value)

    def vehicles(self, text: str, ref: str) -> dict[str, int] | None:
        if text.strip() == "无":
            return {}
        out: dict[str, int] = {}
        for part in re.split(r"[；;，,\n]", text):
            if not part.strip():
                continue
            m = _VEHICLE.match(part)
            if not m:
                self.error("基本情况", ref, f"车辆写法“{part.strip()}”无法识别：应写成“一般公务用车:1；执法执勤用车:2”，没有车辆写“无”")
                return None
            out[m.group(1)] = int(m.group(2))
        return out

    def indicators(self) -> None:
        ws = self.sheet("绩效指标")
        if ws is None:
            return
        where = self.columns(ws, INDICATOR_OWNER_COLUMNS + INDICATOR_COLUMNS)
        if where is None:
            return
        projects = self.data.get("projects") or []
        keys = _project_index(projects)
        for row in self.rows(ws):
            owner = self.value(ws, row, where["_owner"], "choice")
            ref = f"{get_column_letter(where['_owner'])}{row}"
            term = (self.value(ws, row, where["_term"], "choice") if "_term" in where else None) or TERMS[0]
            if owner not in OWNERS:
                self.error(ws.title, ref, f"归属应为：{'、'.join(OWNERS)}" + (f"，不是“{owner}”" if owner else ""))
                continue
            if (owner, term) not in INDICATOR_LISTS:
                tref = f"{get_column_letter(where['_term'])}{row}"
                self.error(ws.title, tref, f"“年度或长期”应为：{'、'.join(TERMS)}，不是“{term}”" if term not in TERMS
                           else f"{owner}没有{term}指标：请选年度，或不填")
                continue
            path = INDICATOR_LISTS[(owner, term)]
            if owner == "项目":
                key = self.value(ws, row, where["_project"], "code") if "_project" in where else None
                pref = f"{get_column_letter(where.get('_project', where['_owner']))}{row}"
                if key is None or key not in keys:
                    shown = f"“{key}”不在“项目”表中" if key else "没有填写项目"
                    self.error(ws.title, pref, f"绩效指标归属于项目，但{shown}（填项目编码，无编码时填项目名称）")
                    continue
                n = keys[key]
                items = _get_or_set(projects[n], path[2:], [])
                base = ("projects", n) + path[2:]
                self.positions.setdefault(("projects", n, "performance"), (ws.title, pref))
            else:
                items = _get_or_set(self.data, path, [])
                base = path
            self.positions.setdefault(base, (ws.title, "A1"))
            item = self.record(ws, row, INDICATOR_COLUMNS, where, base + (len(items),))
            if "value" in where:
                self.percent_value(ws.cell(row, where["value"]), item)
            items.append(item)

    def percent_value(self, cell, item: dict) -> None:
        """“100%” typed as an indicator's value: Excel stores 1 under 0% and shows 100% — the value is the
        number shown (100) and its unit %, so the tables print “=100%” as the clerk saw it, never “=1%”."""
        percent = shown_percent(cell.value, cell.number_format)
        if percent is None:
            return
        item["value"] = str(percent)
        measure = item.get("measure")
        if measure is None:
            item["measure"] = "%"
        elif measure.strip() != "%":
            self.error(cell.parent.title, cell.coordinate,
                       f"指标值显示为 {percent}%，度量单位却是“{measure.strip()}”：请把度量单位改为 %，"
                       "或把指标值的单元格格式改为“常规”后重新填写", "workbook.percent")

    def tasks(self) -> None:
        ws = self.sheet("绩效任务")
        if ws is None:
            return
        found = self.headers(ws)
        if not any(self.rows(ws)):
            return
        where = self.columns(ws, TASK_COLUMNS)
        if where is None:
            return
        money = {h[len(TASK_AMOUNT):].strip(): c for h, c in found.items() if h.startswith(TASK_AMOUNT)}
        first = get_column_letter(min(money.values(), default=max(where.values()) + 1))
        base = ("performance", "department", "tasks")
        tasks = []
        for row in self.rows(ws):
            path = base + (len(tasks),)
            task = self.record(ws, row, TASK_COLUMNS, where, path)
            amounts = {}
            self.positions[path + ("amounts",)] = (ws.title, f"{first}{row}")
            for label, col in money.items():
                self.positions[path + ("amounts", label)] = (ws.title, f"{get_column_letter(col)}{row}")
                self.labels[path + ("amounts", label)] = TASK_AMOUNT + label
                v = self.value(ws, row, col, "money")
                if v is not None:
                    amounts[label] = v
            task["amounts"] = amounts
            tasks.append(task)
        self.positions[base] = (ws.title, "A1")
        _set(self.data, base, tasks)

    def prior(self) -> None:
        ws = self.sheet("上年数")
        if ws is None:
            return
        cols = (Col("类别", "_kind", "choice", required=True), Col("编码或项目", "_key", "code"),
                Col("金额", "amount", "money", required=True), Col("增减原因", "reason", "text"))
        where = self.columns(ws, cols)
        if where is None:
            return
        kinds = {label: (key, shape) for label, key, shape in PRIOR}
        py: dict[str, Any] = {}
        self.positions[("prior_year",)] = (ws.title, "A1")
        for row in self.rows(ws):
            label = self.value(ws, row, where["_kind"], "choice")
            if label not in kinds:
                self.error(ws.title, f"{get_column_letter(where['_kind'])}{row}",
                           f"类别应为：{'、'.join(kinds)}" + (f"，不是“{label}”" if label else ""))
                continue
            key, shape = kinds[label]
            path: tuple = ("prior_year", key)
            if shape == "keyed":
                code = self.value(ws, row, where["_key"], "code") if "_key" in where else None
                kref = f"{get_column_letter(where.get('_key', 2))}{row}"
                if code is None:
                    self.error(ws.title, kref, f"“{label}”的上年数要写明编码或项目")
                    continue
                if code in py.get(key, {}):
                    self.error(ws.title, kref, f"“{label} {code}”的上年数重复：同一编码只能写一行")
                    continue
                path += (code,)
            elif key in py:
                self.error(ws.title, f"A{row}", f"“{label}”的上年数重复：只能写一行")
                continue
            if shape == "amount":       # 调整后预算, 实际支出, 年末结转结余: an amount alone
                self.amount_alone(ws, row, where, path, label, py)
                continue
            figure = self.record(ws, row, cols[2:], where, path)
            _set(py, path[1:], figure)
        if py:
            self.data["prior_year"] = py

    def amount_alone(self, ws, row: int, where: dict[str, int], path: tuple, label: str, py: dict) -> None:
        aref = f"{get_column_letter(where['amount'])}{row}"
        self.positions[path] = (ws.title, aref)
        self.labels[path] = "金额"
        if "reason" in where and self.value(ws, row, where["reason"], "text") is not None:
            self.error(ws.title, f"{get_column_letter(where['reason'])}{row}",
                       f"“{label}”只填金额（绩效目标表的上年预算情况不写增减原因），请清空增减原因")
        amount = self.value(ws, row, where["amount"], "money")
        if amount is None:
            self.error(ws.title, aref, f"“{label}”这一行没有金额")
        else:
            py[path[-1]] = amount

    def texts(self) -> None:
        ws = self.sheet("说明文字")
        if ws is None:
            return
        cols = (Col("类别", "_kind", "choice", required=True), Col("键", "_key", "code"),
                Col("内容", "_text", "text", required=True))
        where = self.columns(ws, cols)
        if where is None:
            return
        kinds = {label: (path, shape) for label, path, shape in TEXTS}
        for row in self.rows(ws):
            label = self.value(ws, row, where["_kind"], "choice")
            kref = f"{get_column_letter(where['_kind'])}{row}"
            tref = f"{get_column_letter(where['_text'])}{row}"
            if label not in kinds:
                self.error(ws.title, kref, f"类别应为：{'、'.join(kinds)}" + (f"，不是“{label}”" if label else ""))
                continue
            path, shape = kinds[label]
            text = self.value(ws, row, where["_text"], "text")
            if text is None:
                self.error(ws.title, tref, f"“{label}”这一行没有内容")
                continue
            if shape == "dict":
                key = self.value(ws, row, where["_key"], "code") if "_key" in where else None
                if key is None:
                    self.error(ws.title, f"{get_column_letter(where.get('_key', 2))}{row}", f"“{label}”要在“键”列写段落或表的标识")
                    continue
                entries = _get_or_set(self.data, path, {})
                if key in entries:
                    self.error(ws.title, f"{get_column_letter(where['_key'])}{row}", f"“{label} {key}”重复：同一个键只能写一行")
                    continue
                self.positions[path + (key,)] = (ws.title, tref)
                self.labels[path + (key,)] = f"{label} {key}"
                entries[key] = text
            else:
                self.place_text(self.data, path, path, shape, label, text, ws, kref, tref)

    def place_text(self, root: dict, path: tuple, at: tuple, shape: str, label: str, text: str, ws, kref: str,
                   tref: str) -> None:
        """A row of 说明文字 or 项目说明 into `root` at `path` (the data path `at`): the next item of a list
        (the rows in order), or a text that has one row only."""
        if shape == "list":
            items = _get_or_set(root, path, [])
            self.positions.setdefault(at, (ws.title, kref))
            self.positions[at + (len(items),)] = (ws.title, tref)
            self.labels[at + (len(items),)] = label
            items.append(text)
        elif _get_or_set(root, path, None) is not None:
            self.error(ws.title, kref, f"“{label}”只能写一行")
        else:
            self.positions[at] = (ws.title, tref)
            self.labels[at] = label
            _set(root, path, text)

    def statements(self) -> None:
        ws = self.sheet("项目说明")
        if ws is None:
            return
        cols = (Col("项目", "_project", "code", required=True), Col("类别", "_kind", "choice", required=True),
                Col("内容", "_text", "text", required=True))
        where = self.columns(ws, cols)
        if where is None:
            return
        projects = self.data.get("projects") or []
        keys = _project_index(projects)
        kinds = {label: (key, shape) for label, key, shape in STATEMENT}
        for row in self.rows(ws):
            ref = {c.key: f"{get_column_letter(where[c.key])}{row}" for c in cols}
            key = self.value(ws, row, where["_project"], "code")
            label = self.value(ws, row, where["_kind"], "choice")
            text = self.value(ws, row, where["_text"], "text")
            if key is None or key not in keys:
                shown = f"“{key}”不在“项目”表中" if key else "没有填写项目"
                self.error(ws.title, ref["_project"], f"项目说明的{shown}（填项目编码，无编码时填项目名称）")
            elif label not in kinds:
                self.error(ws.title, ref["_kind"], f"类别应为：{'、'.join(kinds)}" + (f"，不是“{label}”" if label else ""))
            elif text is None:
                self.error(ws.title, ref["_text"], f"“{label}”这一行没有内容")
            else:
                n, (field, shape) = keys[key], kinds[label]
                self.positions.setdefault(("projects", n, "statement"), (ws.title, ref["_project"]))
                self.place_text(projects[n], ("statement", field), ("projects", n, "statement", field), shape, label,
                                text, ws, ref["_kind"], ref["_text"])

    def sheets_present(self) -> None:
        """Every sheet the writer makes is there: a renamed or deleted one would be read as empty — lines
        missing without a word (a trial renamed 支出明细 and got seven balance errors instead)."""
        missing = [s for s in SHEET_ORDER if s not in (HELP_SHEET, *OPTIONAL_SHEETS) and s not in self.wb.sheetnames]
        if not missing:
            return
        strange = [s for s in self.wb.sheetnames if s not in SHEET_ORDER and s != LISTS_SHEET]
        hint = f"（工作簿中有不认识的工作表“{'”“'.join(strange)}”）" if strange else ""
        for name in missing:
            self.error(strange[0] if strange else "基本情况", "A1",
                       f"缺少工作表“{name}”，可能被改名或删除了{hint}。请把工作表名改回“{name}”；{_when_empty(name)}",
                       "workbook.sheet")

    def read(self) -> dict:
        if "基本情况" not in self.wb.sheetnames:
            raise SourceError([Problem("workbook.sheet", "error",
                                       "不是 discloser 填报工作簿（没有“基本情况”工作表）；预算系统导出的明细表请用 "
                                       "discloser import 转换为数据文件", (Location(self.path),))])
        self.sheets_present()
        for part in PARTS:
            getattr(self, part)()
        return self.data


def _set(data: dict, path: tuple, value: Any) -> None:
    for part in path[:-1]:
        data = data.setdefault(part, {})
    data[path[-1]] = value


def _get_or_set(data: dict, path: tuple, default: Any) -> Any:
    for part in path[:-1]:
        data = data.setdefault(part, {})
    if default is None:
        return data.get(path[-1])
    return data.setdefault(path[-1], default)


def _when_empty(sheet: str) -> str:
    """What a sheet holds when there is nothing to list: only its header, or — where an empty sheet says nothing
    (`none_in`) — the one “无” row that says “none”."""
    spec = next((s for s in RECORD_SHEETS if s.name == sheet and s.none_in), None)
    if spec is None:
        return "没有内容时保留只有表头的空表"
    header = next(c.header for c in spec.columns if c.key == spec.none_in)
    return f"没有{sheet}时保留表头，只填一行：“{header}”写“无”，其余空着（只有表头的空表是没有说明）"


def _has(item: dict, keys: tuple) -> bool:
    for k in keys:
        if not isinstance(item, dict) or k not in item:
            return False
        item = item[k]
    return True


def _project_index(projects: list) -> dict:
    """A project's key (its code, else its name) → its place in the list, the first when two share one
    (a duplicate is `project.duplicate` later): one lookup per row of 绩效指标 or 项目说明, not a scan."""
    index: dict = {}
    for n, p in enumerate(projects):
        index.setdefault(p.get("code") or p.get("name"), n)
    return index


def _split_code_names(item: dict) -> None:
    """“2080505 名称” in a code cell: the code, and the name when the name cell is blank."""
    for key in ("function", "economic"):
        value = item.get(key)
        if isinstance(value, str) and (m := _CODE_AND_NAME.match(value)):
            item[key] = m.group(1)
            item.setdefault(f"{key}_name", m.group(2))


def read_workbook(path: str | os.PathLike) -> WorkbookSource:
    """Read a fill-in workbook; raises `SourceError` with located Chinese problems."""
    p = str(path)

    def refuse(message: str, rule: str = "source.unreadable") -> SourceError:
        return SourceError([Problem(rule, "error", message, (Location(p),))])

    try:
        size = os.path.getsize(p)
    except FileNotFoundError:
        raise refuse("找不到文件，请检查文件名和所在文件夹") from None
    except OSError as e:
        raise refuse(f"无法读取文件（{e.strerror or e}）") from None
    if os.path.isdir(p):
        raise refuse("这是一个文件夹，不是预算数据文件")
    if size > MAX_BYTES:
        raise refuse(f"文件有 {size / 1048576:.1f} MB，超过上限 {MAX_BYTES // 1048576} MB；填报工作簿不应这么大，请确认选对了文件")
    if (bomb := unpacked_problem(p)) is not None:
        raise refuse(bomb, "source.too-large")
    try:
        wb = load_workbook(p, data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as e:
        raise refuse(f"无法作为 Excel 工作簿（.xlsx）读取（{unreadable_because(e)}）") from None
    reader = _Reader(p, wb)
    try:
        data = reader.read()
        todos = _todo_comments(p, wb)
    finally:
        wb.close()
    source = WorkbookSource(p, data, reader.positions, labels=reader.labels, todos=todos)
    if reader.problems:     # what was read goes along: validate checks the other cells' form in the same run
        raise SourceError(reader.problems, partial=source)
    return source


def _todo_comments(path: str, wb) -> list[tuple[Location, str]]:
    """The lines of cell comments that start with 待填 (rollover's “待填：项目沿用 2024 年…”), in sheet and cell
    order: a workbook's “# 待填” lines. openpyxl keeps a comment only on its cell, so the sheet's cells are
    walked (`_cells`: the cells the file holds, not the empty grid `iter_rows` would make)."""
    out = []
    for ws in wb.worksheets:
        for (row, col), cell in sorted(ws._cells.items()):
            if cell.comment is None or MARK not in (cell.comment.text or ""):
                continue
            where = cell_location(path, ws.title, f"{get_column_letter(col)}{row}")
            out += [(where, line.strip()) for line in cell.comment.text.splitlines() if line.strip().startswith(MARK)]
    return out


__all__ = ["WorkbookSource", "read_workbook", "cell_location"]
