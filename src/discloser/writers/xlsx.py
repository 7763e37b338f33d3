"""Excel writer: a 目录 sheet linking to one sheet per table, styled from a template workbook.

Money cells are numbers (the already-rounded Decimal of the table) formatted `#,##0.00`; codes
and text are strings — a text starting with “=” stays text, never a formula. Layout only:
widths fitted to content (CJK counts double), merged headers, frozen header, print setup (A4,
landscape where wide, fit to width, repeated header rows, 第 X 页 共 Y 页 footer).
"""
from __future__ import annotations

import io
import math
import re
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.properties import PageSetupProperties

from ..resources import template as packaged
from ..tables.model import Document, Kind, RowKind, Table
from .grid import display_width, place
from .reproducible import fixed_datetime, normalize_zip

INVALID_SHEET = re.compile(r"[\[\]:*?/\\]")


def _sheet_name(table: Table, used: set[str]) -> str:
    base = INVALID_SHEET.sub("", table.number or table.title)[:28] or "表"
    name, n = base, 1
    while name in used:
        n += 1
        name = f"{base}-{n}"
    used.add(name)
    return name


PERCENT_FORMAT = '0.00"%"'


def _style_for(cell, row_kind: RowKind) -> str:
    if cell.kind is Kind.money or cell.kind is Kind.percent:
        return "dc_money_total" if (cell.bold or row_kind is RowKind.total) else "dc_money"
    if cell.kind is Kind.code:
        return "dc_code"
    if cell.kind is Kind.label:
        return "dc_label"
    if cell.bold or row_kind is RowKind.total:
        return "dc_total"
    return "dc_center" if cell.halign == "center" else "dc_text"


def _put_text(ws_cell, text: str) -> None:
    ws_cell.value = text
    if ws_cell.data_type == "f":     # “=…” typed by a user is text, not a formula
        ws_cell.data_type = "s"


def _write_table(ws, t: Table, department_label: str, start_row: int = 1) -> None:
    width = len(t.columns)
    last = get_column_letter(width)
    r = start_row
    ws.cell(r, 1, f"{t.number} {t.title}".strip() if t.number else t.title).style = "dc_title"
    ws.merge_cells(f"A{r}:{last}{r}")
    ws.row_dimensions[r].height = 28
    r += 1
    ws.cell(r, 1, f"{department_label}：{t.department}").style = "dc_caption"
    if t.unit_label:
        ws.cell(r, width, t.unit_label).style = "dc_caption_right"
    r += 1
    widths = [max(6.0, c.width * 0.9) for c in t.columns]
    header_top = r
    rows = list(t.header)
    body = t.body if not t.empty else []
    for p in place(rows, width):
        c = ws.cell(header_top + p.row, p.col + 1)
        _put_text(c, p.cell.text)
        c.style = "dc_header"
        _merge(ws, header_top + p.row, p.col + 1, p.cell)
    r = header_top + len(rows)
    header_rows = (header_top, r - 1) if rows else None
    body_top = r
    placed: list[tuple[int, object]] = [(header_top + p.row, p) for p in place(rows, width)]
    for p in place(list(body), width):
        row_kind = body[p.row].kind
        c = ws.cell(body_top + p.row, p.col + 1)
        cell = p.cell
        if cell.kind in (Kind.money, Kind.percent) and cell.value is not None:
            c.value = cell.value
        else:
            _put_text(c, cell.text)
        c.style = _style_for(cell, row_kind)
        if cell.kind is Kind.percent:
            c.number_format = PERCENT_FORMAT   # the value is the printed percentage (93.72), shown as 93.72%
        if cell.indent:
            c.alignment = Alignment(horizontal="left", vertical="center", wrap_text=True, indent=cell.indent)
        _merge(ws, body_top + p.row, p.col + 1, cell)
        longest = max((display_width(line) for line in cell.text.splitlines() or [""]), default=0)
        if cell.colspan == 1:
            widths[p.col] = max(widths[p.col], min(50.0, longest + 2 + cell.indent * 2))
        placed.append((body_top + p.row, p))
    r = body_top + len(body)
    if t.empty:
        c = ws.cell(r, 1, t.empty_reason)
        c.style = "dc_center"
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
        for col in range(2, width + 1):
            ws.cell(r, col).style = "dc_center"
        ws.row_dimensions[r].height = 30
        r += 1
    for note in t.notes:
        ws.cell(r, 1, note).style = "dc_note"
        r += 1
    for p in place(rows, width):            # header widths: long header words wrap, but not below content
        if p.cell.colspan == 1:
            widths[p.col] = max(widths[p.col], min(16.0, display_width(p.cell.text) / 2 + 2))
    widths = [round(min(w, 50.0), 1) for w in widths]
    for i, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = w
    heights: dict[int, int] = {}
    for row, p in placed:   # wrapped text needs taller rows (Excel does not grow them by itself)
        text_width = max((display_width(line) for line in p.cell.text.splitlines() or [""]), default=0)
        room = max(sum(widths[p.col:p.col + p.cell.colspan]) - 1, 1)
        lines = math.ceil(text_width / room) if text_width else 1
        heights[row] = max(heights.get(row, 1), math.ceil(lines / p.cell.rowspan))
    for row, lines in heights.items():
        if lines > 1:
            ws.row_dimensions[row].height = min(14 * lines + 2, 300)
    if header_rows:
        ws.freeze_panes = ws.cell(header_rows[1] + 1, 1)
        ws.print_title_rows = f"{header_rows[0]}:{header_rows[1]}"
    _print_setup(ws, t.landscape)


def _merge(ws, row: int, col: int, cell) -> None:
    if cell.colspan > 1 or cell.rowspan > 1:
        ws.merge_cells(start_row=row, start_column=col, end_row=row + cell.rowspan - 1, end_column=col + cell.colspan - 1)
        style = ws.cell(row, col).style
        for r in range(row, row + cell.rowspan):
            for c in range(col, col + cell.colspan):
                if (r, c) != (row, col):
                    ws.cell(r, c).style = style   # borders on every merged slot


def _print_setup(ws, landscape: bool) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_options.horizontalCentered = True
    ws.oddFooter.center.text = "第 &P 页 共 &N 页"
    ws.page_margins.left = ws.page_margins.right = 0.5


def _toc_sheet(ws, doc: Document, names: list[tuple[Table, str]]) -> None:
    ws.cell(1, 1, doc.tables_title).style = "dc_title"
    ws.merge_cells("A1:D1")
    r = 2
    for line in doc.tables_preamble:
        ws.cell(r, 1, line).style = "dc_caption"
        r += 1
    first_sheet = {}
    for t, name in names:
        first_sheet.setdefault(t.key, name)
    for col, text in enumerate(["报表", "报表名称", "是否空表", "公开空表理由"], 1):
        ws.cell(r, col, text).style = "dc_header"
    head = r
    r += 1
    keys = list(dict.fromkeys(t.key for t, _ in names))
    for row, key in zip(doc.toc.body, keys):
        for col, cell in enumerate(row.cells, 1):
            c = ws.cell(r, col)
            _put_text(c, cell.text)
            c.style = "dc_center" if col in (1, 3) else "dc_text"
        link = ws.cell(r, 2)
        link.hyperlink = Hyperlink(ref=link.coordinate, location=f"'{first_sheet[key]}'!A1")   # internal link
        link.font = Font(name="宋体", size=10, color="0563C1", underline="single")
        r += 1
    for note in doc.toc.notes:
        ws.cell(r, 1, note).style = "dc_note"
        r += 1
    for col, w in zip("ABCD", (8, 60, 10, 30)):
        ws.column_dimensions[col].width = w
    ws.freeze_panes = ws.cell(head + 1, 1)
    ws.print_title_rows = f"{head}:{head}"
    _print_setup(ws, False)


def write(doc: Document, path: Path, *, template: Path | None = None) -> None:
    wb = load_workbook(template or packaged("xlsx/template.xlsx"))
    for ws in list(wb.worksheets):
        wb.remove(ws)
    toc = wb.create_sheet("目录")
    used = {"目录"}
    names = [(t, _sheet_name(t, used)) for t in doc.tables]
    for t, name in names:
        _write_table(wb.create_sheet(name), t, doc.department_label)
    _toc_sheet(toc, doc, names)
    stamp = fixed_datetime().replace(tzinfo=None)
    props = wb.properties
    props.title, props.creator, props.lastModifiedBy = doc.title, doc.organization, doc.organization
    props.subject, props.keywords = doc.subtitle, ", ".join(doc.keywords)
    props.created = props.modified = stamp
    buffer = io.BytesIO()
    wb.save(buffer)
    Path(path).write_bytes(normalize_zip(buffer.getvalue()))
