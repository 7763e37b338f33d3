"""An exported sheet as a grid of cell values with cell references: .xlsx (openpyxl), .xls (xlrd), .csv.

Merged cells are filled with their top-left value (a merged header “支出功能分类科目” over “编码 | 名称”,
a unit name merged down over its lines). Every value keeps its reference, ``文件!工作表!C12`` (a CSV
has no sheet: ``文件!C12``), for located messages.

CSV: UTF-8 (with or without BOM) or GBK/GB18030 (what Excel on Chinese Windows writes), comma or tab
separated. Formulas in .xlsx exports are read as their last computed values (a cell without one is
empty); .xls files are read with xlrd (its only job: the old binary format).
"""
from __future__ import annotations

import csv
import io
import os
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter

from ..problems import Location, Problem, unreadable_because
from ..source import _looks_utf16
from ..unpack_limits import unpacked_problem
from .shown import shown_digits

MAX_BYTES = 30 * 1024 * 1024
SUFFIXES = (".xlsx", ".xlsm", ".xls", ".csv")


class GridError(Exception):
    def __init__(self, problem: Problem):
        super().__init__(problem.message)
        self.problem = problem


@dataclass
class Grid:
    file: str                   # as the user gave it
    sheet: str | None           # None for CSV
    rows: list[list[Any]]       # str / int / float / date / bool / None

    def ref(self, row: int, col: int) -> str:
        """``文件!工作表!C12`` for 0-based row and column."""
        cell = f"{get_column_letter(col + 1)}{row + 1}"
        return f"{self.file}!{self.sheet}!{cell}" if self.sheet is not None else f"{self.file}!{cell}"

    def at(self, row: int, col: int, fld: str = "") -> Location:
        return Location(self.ref(row, col), None, None, fld)

    def where(self) -> str:
        return f"{self.file}!{self.sheet}" if self.sheet is not None else self.file

    def cell(self, row: int, col: int) -> Any:
        r = self.rows[row] if 0 <= row < len(self.rows) else []
        return r[col] if 0 <= col < len(r) else None


def _refuse(path: str, message: str) -> GridError:
    return GridError(Problem("import.file", "error", message, (Location(path),)))


def _fill(rows: list[list[Any]], merged: list[tuple[int, int, int, int]]) -> list[list[Any]]:
    """Fill each merged range (0-based inclusive r1, c1, r2, c2) with its top-left value."""
    for r1, c1, r2, c2 in merged:
        if r1 >= len(rows):
            continue
        value = rows[r1][c1] if c1 < len(rows[r1]) else None
        for r in range(r1, min(r2, len(rows) - 1) + 1):
            row = rows[r]
            if len(row) <= c2:
                row.extend([None] * (c2 + 1 - len(row)))
            for c in range(c1, c2 + 1):
                row[c] = value
    return rows


def _xlsx(path: str) -> list[Grid]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    if (bomb := unpacked_problem(path)) is not None:
        raise _refuse(path, bomb)
    try:
        wb = load_workbook(path, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as e:
        raise _refuse(path, f"无法作为 Excel 工作簿（.xlsx）读取（{unreadable_because(e)}）") from None
    grids = []
    formulas = _formulas(path)
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            continue
        rows = [[shown_digits(c.value, c.number_format) for c in r] for r in ws.iter_rows()]
        for (r, c), formula in formulas.get(ws.title, {}).items():
            if r < len(rows) and c < len(rows[r]) and rows[r][c] is None:
                rows[r][c] = Uncomputed(formula)
        merged = [(m.min_row - 1, m.min_col - 1, m.max_row - 1, m.max_col - 1) for m in ws.merged_cells.ranges]
        grids.append(Grid(path, ws.title, _fill(rows, merged)))
    wb.close()
    return grids


class Uncomputed(str):
    """A formula cell the file holds no computed value for (written by a program, never opened and saved
    in Excel): read as the formula's text, so the importer can say so at the cell instead of reading blank."""


def _formulas(path: str) -> dict[str, dict[tuple[int, int], str]]:
    """Sheet → (row, column) 0-based → formula text, of every formula cell (a second, read-only pass: the
    values read above are the cached results, where a formula without one reads as blank)."""
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True)
    try:
        return {ws.title: {(c.row - 1, c.column - 1): str(c.value) for row in ws.iter_rows() for c in row
                           if getattr(c, "data_type", None) == "f"}
                for ws in wb.worksheets if hasattr(ws, "iter_rows")}
    finally:
        wb.close()


def _xls(path: str) -> list[Grid]:
    import xlrd

    try:
        book = xlrd.open_workbook(path, formatting_info=True, on_demand=True)
    except (xlrd.XLRDError, OSError, ValueError, AssertionError, IndexError) as e:
        raise _refuse(path, f"无法作为 Excel 97-2003 工作簿（.xls）读取（{unreadable_because(e)}）") from None
    grids = []
    try:
        for sheet in book.sheets():
            if sheet.visibility != 0:
                continue
            rows = []
            for r in range(sheet.nrows):
                row = []
                for c in range(sheet.ncols):
                    cell = sheet.cell(r, c)
                    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
                        row.append(None)
                    elif cell.ctype == xlrd.XL_CELL_DATE:
                        row.append(xlrd.xldate.xldate_as_datetime(cell.value, book.datemode).date())
                    elif cell.ctype == xlrd.XL_CELL_BOOLEAN:
                        row.append(bool(cell.value))
                    elif cell.ctype == xlrd.XL_CELL_NUMBER:
                        xf = book.xf_list[cell.xf_index]
                        fmt = book.format_map.get(xf.format_key)
                        row.append(shown_digits(cell.value, fmt.format_str if fmt else ""))
                    else:
                        row.append(cell.value)
                rows.append(row)
            merged = [(r1, c1, r2 - 1, c2 - 1) for r1, r2, c1, c2 in sheet.merged_cells]
            grids.append(Grid(path, sheet.name, _fill(rows, merged)))
    finally:
        book.release_resources()
    return grids


def decode_text(path: str, raw: bytes) -> str:
    """UTF-8 (BOM or not), else GB18030 (a superset of GBK); anything else is refused."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _refuse(path, "文件是 UTF-16 编码，请另存为 UTF-8 或 GBK 的 CSV")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError as e:
        line = raw.count(b"\n", 0, e.start) + 1
        raise _refuse(path, f"文件既不是 UTF-8 也不是 GBK 编码（第 {line} 行有无法识别的字节），请另存为 UTF-8 的 CSV") from None


def _csv(path: str) -> list[Grid]:
    with open(path, "rb") as f:
        raw = f.read(MAX_BYTES + 1)
    if b"\x00" in raw[:4096] and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        if _looks_utf16(raw):   # UTF-16 without its byte-order mark: every other byte of ASCII text is 0
            raise _refuse(path, "文件是 UTF-16 编码（没有字节顺序标记），请另存为 UTF-8 或 GBK 的 CSV")
        raise _refuse(path, "不是文本文件（含有二进制内容）；若是 Excel 文件，请保持 .xls / .xlsx 扩展名")
    text = decode_text(path, raw)
    sample = text[:4096]
    delimiter = "\t" if sample.count("\t") > sample.count(",") else ","
    rows = [list(r) for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    return [Grid(path, None, [[v if v.strip() else None for v in r] for r in rows])]


def read_grids(path: str | os.PathLike) -> list[Grid]:
    """Every visible sheet of an export file as a `Grid`; raises `GridError` (Chinese, located)."""
    p = str(path)
    if not os.path.exists(p):
        raise _refuse(p, "找不到文件，请检查文件名和所在文件夹")
    if os.path.isdir(p):
        raise _refuse(p, "这是一个文件夹，不是导出文件")
    suffix = Path(p).suffix.lower()
    if suffix not in SUFFIXES:
        raise _refuse(p, f"不支持 {suffix or '无扩展名'} 文件：请导出为 .xlsx、.xls 或 .csv")
    if os.path.getsize(p) > MAX_BYTES:
        raise _refuse(p, f"文件超过 {MAX_BYTES // 1048576} MB，不像预算明细导出，请确认选对了文件")
    if suffix == ".csv":
        return _csv(p)
    if suffix == ".xls":
        return _xls(p)
    return _xlsx(p)


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def text_of(value: Any) -> str:
    """A cell as text: numbers without a spurious “.0”, dates as ISO."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (datetime, date)):
        return value.isoformat()[:10]
    return str(value).strip()
