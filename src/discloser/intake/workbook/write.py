"""Write a budget as the fill-in workbook (see `layout`): headers in Chinese with the model's
descriptions as cell comments, drop-downs, number formats, frozen headers, a 填表说明 sheet.

Safety: every text is written as a string cell, never a formula — a text starting with = + - @ is
stored as text with Excel's quote prefix, so editing the cell does not turn it into a formula either.
Money is written as a number only when the float keeps it exact (≤ 15 significant digits), else as
text; the reader reads both back exactly.
"""
from __future__ import annotations

import math
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.properties import PageSetupProperties

from ...catalog import load_catalog
from ...model import Budget
from ...writers.layout import display_width
from ..fields import description, model_at, value_at
from ..gaps import MARK
from ..yamlout import _plain
from .layout import (PARTS, FACTS, FACTS_HELP, HELP_SHEET, INDICATOR_COLUMNS, INDICATOR_LISTS, INDICATOR_OWNER_COLUMNS,
                     INDICATORS_HELP, LISTS_SHEET, PAST_VALUES, PRIOR, PRIOR_HELP, RECORD_SHEETS, SHEET_ORDER, STATEMENT,
                     NONE, STATEMENT_HELP, VEHICLES_NOTE, TASK_AMOUNT, TASK_COLUMNS, TASKS_HELP, TEXTS, TEXTS_HELP, Col,
                     fixed_lists)

MONEY_FORMAT = "#,##0.00"
FORMULA_START = ("=", "+", "-", "@")
VALIDATED_ROWS = 2000        # drop-downs reach this row, so rows a clerk adds get them too
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_HEADER_FONT = Font(bold=True)


class WorkbookWriteError(ValueError):
    """Data that cannot go into a workbook (message in Chinese)."""


def budget_plain(budget: Budget) -> dict:
    """Every field of a validated budget (defaults included) as plain data for the writer."""
    return _plain(budget.model_dump(mode="python"))



def put(cell, value: Any, kind: str = "text") -> None:
    """One value into one cell, typed by `kind`; text never becomes a formula."""
    if value is None or value == "":
        return
    if kind == "money" and isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        d = Decimal(value)
        if len(d.normalize().as_tuple().digits) <= 15:
            cell.value = int(d) if d == d.to_integral_value() else float(d)
            cell.number_format = MONEY_FORMAT
            return
        value = format(d, "f")
    if kind == "int" and isinstance(value, int) and not isinstance(value, bool):
        cell.value = value
        return
    if kind == "date" and isinstance(value, date) and value.year > 1900:   # Excel has no dates before 1900
        cell.value = value
        cell.number_format = "yyyy-mm-dd"
        return
    text = value.value if hasattr(value, "value") and isinstance(value.value, str) else \
        value.isoformat() if isinstance(value, date) else str(value)
    if any(ch in text for ch in _ILLEGAL):
        raise WorkbookWriteError(f"文字“{text[:20]}…”含有 Excel 不能保存的控制字符，请先删除")
    cell.value = text
    cell.data_type = "s"
    if text.startswith(FORMULA_START):
        cell.quotePrefix = True
    if kind in ("code", "choice"):
        cell.number_format = "@"
    elif "\n" in text:
        cell.alignment = Alignment(wrap_text=True, vertical="top")


_ILLEGAL = {chr(c) for c in range(32) if c not in (9, 10, 13)}


def wrap(ws, row: int, columns) -> None:
    """Long texts wrap within their column; the row is made tall enough (spreadsheet apps do not grow it)."""
    lines = 1
    for n, c in enumerate(columns, 1):
        cell = ws.cell(row, n)
        if c.kind == "text" and isinstance(cell.value, str):
            needed = max(math.ceil(display_width(part) / max(c.width - 2, 4)) for part in cell.value.split("\n"))
            needed += cell.value.count("\n")
            if needed > 1:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
                lines = max(lines, needed)
    if lines > 1:
        ws.row_dimensions[row].height = 15 * min(lines, 20)
        for n in range(1, len(columns) + 1):
            cell = ws.cell(row, n)
            cell.alignment = Alignment(wrap_text=cell.alignment.wrap_text, vertical="top")


def _one_project(key: str, keys: list[str], what: str) -> None:
    """A project's rows on another sheet name it by its key: two projects of one name and no code cannot be told apart."""
    if keys.count(key) > 1:
        raise WorkbookWriteError(f"项目“{key}”重名且没有项目编码，工作簿无法区分它们的{what}；请先给项目编码")


class _Book:
    def __init__(self, data: dict, catalog_dir: str | Path | None, remarks: dict[tuple, str] | None = None):
        self.data = data
        self.remarks = remarks or {}
        self.first: dict[tuple, Any] = {}       # data path → the first cell written under it (where its remark goes)
        self.wb = Workbook()
        self.wb.remove(self.wb.active)
        self.sheets = {name: self.wb.create_sheet(name) for name in SHEET_ORDER}
        self.lists_ws = self.wb.create_sheet(LISTS_SHEET)
        self.lists_ws.sheet_state = "hidden"
        self.ranges: dict[str, str] = {}
        self._lists(catalog_dir)

    # ------------------------------------------------------------------ drop-down lists
    def _lists(self, catalog_dir) -> None:
        lists = fixed_lists()
        year = self.data.get("year")
        if isinstance(year, int):
            catalog = load_catalog(year, catalog_dir)
            lists["功能分类"] = sorted(c for c in catalog.function if len(c) == 7)
            lists["部门经济分类"] = sorted(c for c in catalog.economic_dept if len(c) == 5)
            names = {"功能分类名称": [catalog.function[c] for c in lists["功能分类"]],
                     "部门经济分类名称": [catalog.economic_dept[c] for c in lists["部门经济分类"]]}
        else:
            names = {}
        ws = self.lists_ws
        col = 1
        for name, values in lists.items():
            put(ws.cell(1, col), name)
            for r, v in enumerate(values, 2):
                put(ws.cell(r, col), v, "code")
            letter = get_column_letter(col)
            self.ranges[name] = f"'{LISTS_SHEET}'!${letter}$2:${letter}${max(2, len(values) + 1)}"
            col += 1
            if name + "名称" in names:   # the names beside the codes, for a clerk who unhides the sheet
                put(ws.cell(1, col), name + "名称")
                for r, v in enumerate(names[name + "名称"], 2):
                    put(ws.cell(r, col), v)
                col += 1
        self.ranges["单位编码"] = f"'单位'!$A$2:$A${VALIDATED_ROWS}"

    def validate(self, ws, col: int, choices: str, warn_only: bool, first_row: int = 2) -> None:
        letter = get_column_letter(col)
        dv = DataValidation(type="list", formula1=self.ranges[choices], allow_blank=True,
                            showErrorMessage=True, errorStyle="warning" if warn_only else "stop",
                            errorTitle="不在列表中",
                            error=("不在当年目录（或单位表）中；目录未收录的编码可以保留，请同时填写名称" if warn_only
                                   else f"请从下拉列表中选择{choices}"))
        dv.add(f"{letter}{first_row}:{letter}{VALIDATED_ROWS}")
        ws.add_data_validation(dv)

    # ------------------------------------------------------------------ sheets
    def header(self, ws, columns: list[tuple[str, float, str]]) -> None:
        """Row 1: headers (bold, filled, with the field's description as a comment); frozen."""
        for n, (text, width, note) in enumerate(columns, 1):
            cell = ws.cell(1, n)
            put(cell, text)
            cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            if note:
                cell.comment = Comment(note, "discloser", width=300, height=120)
            ws.column_dimensions[get_column_letter(n)].width = width
        ws.freeze_panes = "A2"

    def formats(self, ws, col: int, kind: str) -> None:
        """Column formats, so rows a clerk adds get them too: codes and choices as text (a typed 0101
        keeps its zero), money as #,##0.00."""
        fmt = "@" if kind in ("code", "choice") else MONEY_FORMAT if kind == "money" else None
        if fmt:
            ws.column_dimensions[get_column_letter(col)].number_format = fmt

    def at(self, cell, path: tuple) -> None:
        """`cell` holds `path` (a field, a list's item or its “无” row): the first such cell under each of the
        path's parts is where a remark on that part goes (rollover's “待填：项目沿用 2024 年…” on ("projects",))."""
        for n in range(1, len(path) + 1):
            self.first.setdefault(path[:n], cell)

    def place_remarks(self) -> None:
        """Each remark as the comment of the first cell under its path (several on one cell, one under the other);
        a remark whose part the workbook leaves empty has no cell and is dropped."""
        for path, text in self.remarks.items():
            cell = self.first.get(path)
            if cell is None:
                continue
            said = cell.comment.text + "\n" if cell.comment else ""
            cell.comment = Comment(said + text, "discloser", width=320, height=110)

    def column_setup(self, ws, n: int, col: Col) -> None:
        self.formats(ws, n, col.kind)
        if col.choices:
            self.validate(ws, n, col.choices, col.warn_only)

    def all_records(self) -> None:
        for spec in RECORD_SHEETS:
            self.records(spec)

    def records(self, spec) -> None:
        ws = self.sheets[spec.name]
        items = value_at(self.data, spec.path)
        if spec.none_in and (items == [] or items == MARK):   # “none” is said, not left blank; or is to be said
            items = [{spec.none_in: NONE if items == [] else MARK}]
            self.at(ws.cell(2, 1 + [c.key for c in spec.columns].index(spec.none_in)), spec.path)
        items = items or []
        if spec.mapping:
            items = [{"code": k, "name": v} for k, v in dict(items or {}).items()]
            self.header(ws, [(c.header, c.width, c.note) for c in spec.columns])
        else:
            self.header(ws, [(c.header, c.width, description(model_at(spec.path + (0,) + c.keys), c.keys[-1]) or c.note)
                             for c in spec.columns])
        for r, item in enumerate(items, 2):
            self.at(ws.cell(r, 1), spec.path + ((r - 2,) if not spec.mapping else ()))
            for n, c in enumerate(spec.columns, 1):
                put(ws.cell(r, n), value_at(item, c.keys), c.kind)
            wrap(ws, r, spec.columns)
        for n, c in enumerate(spec.columns, 1):
            self.column_setup(ws, n, c)

    def facts(self) -> None:
        ws = self.sheets["基本情况"]
        self.header(ws, [("项目", 22, ""), ("内容", 48, ""), ("说明", 60, "")])
        for r, (label, path, kind, choices) in enumerate(FACTS, 2):
            put(ws.cell(r, 1), label)
            ws.cell(r, 1).font = _HEADER_FONT
            value = value_at(self.data, path)
            note = description(model_at(path), path[-1])
            if kind == "vehicles":
                if isinstance(value, dict):
                    value = "；".join(f"{k}:{v}" for k, v in value.items()) or NONE
                kind, note = "text", VEHICLES_NOTE
            elif kind == "yesno":
                value = {True: "是", False: "否"}.get(value, value) if isinstance(value, bool) else value
                kind = "choice"
            put(ws.cell(r, 2), value, kind)
            if kind in ("code", "choice"):
                ws.cell(r, 2).number_format = "@"
            put(ws.cell(r, 3), note)
            if value not in (None, ""):
                self.at(ws.cell(r, 2), path)
            else:       # the row is there to be filled (批复日期): a remark on the field itself goes here
                self.first.setdefault(path, ws.cell(r, 2))
            if choices:
                dv = DataValidation(type="list", formula1=self.ranges[choices], allow_blank=True, showErrorMessage=True,
                                    errorStyle="stop", errorTitle="不在列表中", error=f"请从下拉列表中选择{label}")
                dv.add(f"B{r}")
                ws.add_data_validation(dv)

    def indicators(self) -> None:
        ws = self.sheets["绩效指标"]
        cols = [*INDICATOR_OWNER_COLUMNS, *INDICATOR_COLUMNS]
        self.header(ws, [(c.header, c.width, c.note or description(model_at(("projects", 0, "performance", "indicators", 0, c.key)), c.key))
                         for c in cols])
        projects = self.data.get("projects") or []
        keys = [p.get("code") or p.get("name") for p in projects]
        rows = [(owner, None, term, ind) for (owner, term), path in INDICATOR_LISTS.items() if path[0] != "projects"
                for ind in value_at(self.data, path) or []]
        for p, key in zip(projects, keys):      # each project's rows together: its annual, then its long-term ones
            mine = [(owner, key, term, ind) for (owner, term), path in INDICATOR_LISTS.items() if path[0] == "projects"
                    for ind in value_at(p, path[2:]) or []]
            if mine:
                _one_project(key, keys, "绩效指标")
            rows += mine
        for r, (owner, key, term, ind) in enumerate(rows, 2):
            if len(ind.get("past_values") or []) > PAST_VALUES:
                raise WorkbookWriteError(f"指标“{ind.get('name')}”有 {len(ind['past_values'])} 个近两年指标值：工作簿只有"
                                         "前年、上年两列，请只保留两个")
            for n, (c, value) in enumerate(zip(cols, (owner, key, term)), 1):
                put(ws.cell(r, n), value, c.kind)
            for n, c in enumerate(INDICATOR_COLUMNS, len(INDICATOR_OWNER_COLUMNS) + 1):
                put(ws.cell(r, n), value_at(ind, c.keys), c.kind)
            wrap(ws, r, cols)
        for n, c in enumerate(cols, 1):
            self.column_setup(ws, n, c)

    def statements(self) -> None:
        ws = self.sheets["项目说明"]
        self.header(ws, [("项目", 28, "项目编码，无编码时填项目名称"),
                         ("类别", 18, "、".join(label for label, _, _ in STATEMENT) + "：从下拉列表选"), ("内容", 90, "")])
        r = 2
        projects = self.data.get("projects") or []
        keys = [p.get("code") or p.get("name") for p in projects]
        for p, project in zip(projects, keys):
            statement = p.get("statement") or {}
            if statement:
                _one_project(project, keys, "项目经费情况说明")
            for label, key, shape in STATEMENT:
                value = statement.get(key)
                for text in (value or []) if shape == "list" else [value] if value not in (None, "") else []:
                    put(ws.cell(r, 1), project, "code")
                    put(ws.cell(r, 2), label, "choice")
                    put(ws.cell(r, 3), text)
                    ws.cell(r, 3).alignment = Alignment(wrap_text=True, vertical="top")
                    r += 1
        self.formats(ws, 1, "code")
        self.validate(ws, 2, "项目说明类别", False)

    def tasks(self) -> None:
        ws = self.sheets["绩效任务"]
        tasks = value_at(self.data, ("performance", "department", "tasks")) or []
        labels = list(dict.fromkeys(k for t in tasks for k in t.get("amounts") or {}))
        if not labels:
            from ...profile import load_profile
            try:
                labels = [c.label for c in load_profile(self.data.get("profile") or "shaanxi").task_columns]
            except (LookupError, ValueError):
                labels = []
        model = model_at(("performance", "department", "tasks", 0, "name"))
        self.header(ws, [(c.header, c.width, description(model, c.key)) for c in TASK_COLUMNS]
                    + [(TASK_AMOUNT + label, 16, description(model, "amounts")) for label in labels])
        first = len(TASK_COLUMNS) + 1
        for r, t in enumerate(tasks, 2):
            for n, c in enumerate(TASK_COLUMNS, 1):
                put(ws.cell(r, n), t.get(c.key), c.kind)
            for n, label in enumerate(labels, first):
                put(ws.cell(r, n), (t.get("amounts") or {}).get(label), "money")
            wrap(ws, r, TASK_COLUMNS)
        for n in range(first, first + len(labels)):
            self.formats(ws, n, "money")

    def prior(self) -> None:
        ws = self.sheets["上年数"]
        model = model_at(("prior_year", "total", "amount"))
        self.header(ws, [("类别", 20, ""), ("编码或项目", 22, "功能分类填“项”编码，经济分类填“类”编码，“其他”填项目名称"),
                         ("金额", 16, description(model, "amount")), ("增减原因", 48, description(model, "reason"))])
        py = self.data.get("prior_year") or {}
        r = 2
        for label, key, shape in PRIOR:
            figures = (py.get(key) or {}).items() if shape == "keyed" else [(None, py.get(key))]
            for code, fig in figures:
                if fig is None:
                    continue
                put(ws.cell(r, 1), label, "choice")
                put(ws.cell(r, 2), code, "code")
                put(ws.cell(r, 3), fig if shape == "amount" else fig.get("amount"), "money")
                put(ws.cell(r, 4), None if shape == "amount" else fig.get("reason"))
                r += 1
        self.validate(ws, 1, "上年数类别", False)
        self.formats(ws, 2, "code")
        self.formats(ws, 3, "money")

    def texts(self) -> None:
        ws = self.sheets["说明文字"]
        self.header(ws, [("类别", 18, ""), ("键", 16, "“补充文字”“空表理由”的段落或表标识；其他类别不填"), ("内容", 90, "")])
        r = 2
        for label, path, shape in TEXTS:
            value = value_at(self.data, path)
            if shape == "text":
                entries = [(None, value)] if value not in (None, "") else []
            elif shape == "list":
                entries = [(None, v) for v in value or []]
            else:
                entries = list((value or {}).items())
            for key, text in entries:
                self.at(ws.cell(r, 1), path)
                put(ws.cell(r, 1), label, "choice")
                put(ws.cell(r, 2), key, "code")
                put(ws.cell(r, 3), text)
                ws.cell(r, 3).alignment = Alignment(wrap_text=True, vertical="top")
                r += 1
        self.validate(ws, 1, "说明类别", False)

    def help(self) -> None:
        ws = self.sheets[HELP_SHEET]
        ws.column_dimensions["A"].width = 16
        ws.column_dimensions["B"].width = 90
        lines = [
            ("填报工作簿", "本工作簿就是预算数据文件：discloser validate / build / preview 可以直接读取它，问题按“文件!工作表!单元格”标出。"),
            ("怎么填", "各工作表第一行是表头（鼠标停在表头上可看说明），从第二行起每行一条；带下拉箭头的格从列表中选。"
                      "金额以元为单位，最多两位小数。不要改表头文字，可以调整列的顺序。不要输入公式（=…），请填数值。"),
            ("待填", "写着“待填”的格还没有填写，validate 会逐个列出；全部填好后才能生成公开包。"
                     "批注以“待填”开头的格（如沿用上年的工作任务、项目）请核对修改，改好后删去批注；"
                     "写着“（示例）”的是示例，请换成本单位的内容或删去。留着的 validate 都会提醒。"),
            ("转为 YAML", "discloser workbook 本工作簿.xlsx -o 数据.yaml 可转回 YAML 数据文件（内容完全一致）。"),
            ("基本情况", FACTS_HELP), *[(s.name, s.help) for s in RECORD_SHEETS],
            ("绩效指标", INDICATORS_HELP), ("项目说明", STATEMENT_HELP), ("绩效任务", TASKS_HELP), ("上年数", PRIOR_HELP), ("说明文字", TEXTS_HELP),
        ]
        put(ws.cell(1, 1), "discloser 预算数据填报工作簿")
        ws.cell(1, 1).font = Font(bold=True, size=14)
        ws.merge_cells("A1:B1")
        for r, (title, text) in enumerate(lines, 3):
            put(ws.cell(r, 1), title)
            ws.cell(r, 1).font = _HEADER_FONT
            ws.cell(r, 1).alignment = Alignment(vertical="top")
            put(ws.cell(r, 2), text)
            ws.cell(r, 2).alignment = Alignment(wrap_text=True, vertical="top")
            ws.row_dimensions[r].height = 15 * math.ceil(display_width(text) / 88)   # spreadsheet apps do not grow it

    def print_setup(self) -> None:
        """Printed (or converted to PDF), each sheet is landscape and one page wide, headers repeated."""
        for ws in self.sheets.values():
            ws.page_setup.orientation = "landscape"
            ws.page_setup.paperSize = ws.PAPERSIZE_A4
            ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
            ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
            if ws.title != HELP_SHEET:
                ws.print_title_rows = "1:1"

    def build(self):
        self.print_setup()
        self.help()
        for part in PARTS:
            getattr(self, part)()
        self.place_remarks()
        return self.wb


def write_workbook(data: dict | Budget, path: str | Path, catalog_dir: str | Path | None = None,
                   remarks: dict[tuple, str] | None = None) -> Path:
    """Write `data` (a Budget, or model-shaped plain data, e.g. with “待填” amounts) as the fill-in workbook;
    `remarks` (data path → text) become comments: on the cell holding the path (a 基本情况 row's value, the
    “无” cell of a sheet's whole list), or for a part (("projects",)) on the first cell under it. A remark
    starting with 待填 is a warning for `validate` until the clerk deletes it, as a YAML “# 待填” comment is."""
    if isinstance(data, Budget):
        data = budget_plain(data)
    wb = _Book(data, catalog_dir, remarks).build()
    path = Path(path)
    wb.save(path)
    return path
