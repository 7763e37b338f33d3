"""Excel writer: a 目录 sheet linking to one sheet per table, styled from a template workbook.

Money cells are numbers (the already-rounded Decimal of the table) formatted `#,##0.00`; percentages
are Excel's fractions under its percent format (79.44% is 0.7944 shown `0.00%`, `_percent`); codes
and text are strings — a text starting with = + - @ is stored as text with Excel's quote prefix, never
a formula (`_text_stays_text`). Layout only:

- Column widths from content (`layout.fit`, the same measure as Word and the PDF: amounts and codes
  never wrap, names wrap at characters), wrapped text given the row height it needs (Excel does not
  grow rows by itself); line breaks in the cell where a head or a form's label wraps, as the PDF breaks it
  (`layout.explicit_breaks`), and in a title that wraps — never in a body cell, whose value is copied and searched.
- Every sheet fits its paper across at a print scale of at least the profile's minimum (70 %):
  `layout.fit` picks portrait or landscape and the scale, written as an explicit scale (not “fit to
  page”, whose result Excel decides when printing), so the scale is known and tested.
- The title is merged across the table's width and wraps when it is longer; the print area is the
  table; its header rows repeat on every printed page; A4, centred, “第 X 页 共 Y 页” footer.
- A form table (performance 申报表) gets manual page breaks before a row group that would otherwise
  be cut by a page (rows bound by a row span stay on one page); a block's label (年度绩效指标) is one
  merged cell over its head and rows, one per page where a break cuts the block (`_merge_label`).
- A list table longer than a page gets a manual break where the page would leave its last row alone (with
  its notes) or end on a subtotal row: the pages counted from the rows' heights, paper, margins and scale
  (`_keep_rows_together`).
"""
from __future__ import annotations

import io
import math
import re
from copy import copy
from dataclasses import replace
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.styles import Alignment, Border, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.properties import PageSetupProperties

from ..resources import template as packaged
from ..tables.model import Cell, Document, Kind, Row, RowKind, Table
from . import WriteOptions, Written, layout, write_atomically
from .reproducible import fixed_datetime, normalize_zip, utc

INVALID_SHEET = re.compile(r"[\[\]:*?/\\]")
MARGIN_IN = 0.5                       # left/right (and top/bottom 0.75) page margins, inches
A4_PT = (595.3, 841.9)
MDW_PX = 7                            # maximum digit width of the workbook's default font (Calibri 11), pixels
CELL_PT = 10.0                        # type size of the table cells (template: dc_text … 10 pt)
MEASURE_PT = CELL_PT * 1.1            # … measured 10 % wider: a program without 宋体 substitutes a wider font
TITLE_PT = 16.0
LINE_PT = 14.5                        # one line of 10 pt text in a row: Noto CJK sets 1.448 em (LibreOffice, WPS without 宋体)
MAX_ROW_PT = 409                      # Excel's tallest row: a cell needing more is clipped at both ends
ROW_LINES = 26                        # lines a split cell's piece holds: 26 × 14.5 + 3 = 380 pt, room for a wider font
NOTE_PT = 9.0                         # type size of a note under a table (template: dc_note)
NOTE_LINE_PT = 13.5                   # … of 9 pt (13.0 and a little)


def _row_pt(lines: float, line_pt: float = LINE_PT) -> float:
    """The height of a row holding `lines` lines (a fraction counts as a line), padding included."""
    return line_pt * math.ceil(lines) + 3


PRINTABLE_HEIGHT_PT = {False: A4_PT[1] - 2 * 0.75 * 72 - 40, True: A4_PT[0] - 2 * 0.75 * 72 - 40}


SAFETY = 0.94                         # spreadsheet programs measure the default font a little differently


def excel_page(min_scale: float) -> layout.Page:
    return layout.Page(portrait_pt=(A4_PT[0] - 2 * MARGIN_IN * 72) * SAFETY,
                       landscape_pt=(A4_PT[1] - 2 * MARGIN_IN * 72) * SAFETY,
                       base_pt=MEASURE_PT, padding_pt=6.0, min_scale=min_scale)


def chars(width_pt: float) -> float:
    """Excel column width (characters of the default font) of a column `width_pt` wide on screen."""
    return max(1.0, round((width_pt / 0.75 - 5) / MDW_PX, 2))


def points(width_chars: float) -> float:
    """The on-screen width in points of an Excel column width (inverse of `chars`)."""
    return (width_chars * MDW_PX + 5) * 0.75


def _sheet_name(table: Table, used: set[str]) -> str:
    base = INVALID_SHEET.sub("", table.number or table.title)[:28].strip("'") or "表"   # no ' at either end
    name, n = base, 1
    while name in used:
        n += 1
        name = f"{base}-{n}"
    used.add(name)
    return name


def _quoted(sheet: str) -> str:
    """A sheet name inside '…' of a reference: an apostrophe is doubled."""
    return sheet.replace("'", "''")


BLANK_PERCENT_FORMAT = "0.00%"


def _percent(text: str, value) -> tuple[object, str]:
    """A percentage as Excel keeps one: the fraction (93.72% → 0.9372, the printed figure moved two places,
    nothing computed) with Excel's percent format at the printed text's decimals, so that the cell shows the
    same text as the PDF and a clerk's formula or a change to another percent style reads 93.72%, not 9372%."""
    number = text.strip().removesuffix("%")
    decimals = len(number.partition(".")[2])
    return value.scaleb(-2), "0" + ("." + "0" * decimals if decimals else "") + "%"


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


FORMULA_START = ("=", "+", "-", "@")


def _text_stays_text(wb) -> None:
    """Every text cell of the workbook is a string cell, and one starting with = + - @ also carries
    Excel's quote prefix (the hidden “'”): Excel and LibreOffice show the clerk's text as typed, and
    editing the cell (F2, Enter) keeps it text instead of turning “=HYPERLINK(…)”, “+cmd|…”, “@SUM(…)”
    or “-1+1” into a formula. Run once over the finished workbook, after every style is set (a named
    style resets the prefix), so no path that writes text can miss it."""
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                value = cell.value
                if isinstance(value, str) and value.startswith(FORMULA_START):
                    cell.data_type = "s"
                    cell.quotePrefix = True


def _merge(ws, row: int, col: int, cell) -> None:
    if cell.colspan > 1 or cell.rowspan > 1:
        ws.merge_cells(start_row=row, start_column=col, end_row=row + cell.rowspan - 1, end_column=col + cell.colspan - 1)
        style = ws.cell(row, col).style
        for r in range(row, row + cell.rowspan):
            for c in range(col, col + cell.colspan):
                if (r, c) != (row, col):
                    ws.cell(r, c).style = style   # borders on every merged slot


def _title(ws, text: str, row: int, width: int, widths_pt: list[float]) -> None:
    """The title merged across the table, wrapped (and the row made taller) when it is longer."""
    room_em = (sum(widths_pt) - 6) / TITLE_PT    # a title within a hair of the width may wrap in Excel: count it
    text = layout.broken(text, room_em, bold=True)   # where it wraps, at explicit breaks: no “科 / 目）” line
    c = ws.cell(row, 1, text)
    c.style = "dc_title"
    c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    lines = max(layout.line_count(text, room_em, bold=True), math.ceil(layout.text_em(text, bold=True) / room_em))
    ws.row_dimensions[row].height = 8 + 22 * lines


def _meta(ws, t: Table, text: str, width: int, widths_pt: list[float], unit: int) -> None:
    """The line under the title: at its left, or centred over the columns between the first and the unit's
    (湖北 表15 “（2025年度）”), which keeps it under the title's middle. One at the left longer than the columns
    before the unit's can hold is merged over them and wrapped: a department's name of 75 characters ran under
    “单位：元” and was cut there (trialW2-s30 D2). `unit`: the last columns the unit label takes (`_unit_columns`)."""
    if not (t.meta_centred and width >= 2 + max(unit, 1)):
        cell = ws.cell(2, 1, text)
        cell.style = "dc_caption"
        last = width - unit
        room_em = (sum(widths_pt[:last]) - 6) / MEASURE_PT
        if last > 1 and layout.text_em(text) > room_em:
            ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=last)
            cell.alignment = Alignment(horizontal="left", vertical="center", wrap_text=True)
            ws.row_dimensions[2].height = _row_pt(layout.line_count(text, room_em))
        return
    cell = ws.cell(2, 2, text)
    cell.style = "dc_caption"
    cell.alignment = Alignment(horizontal="center", vertical=cell.alignment.vertical)
    ws.merge_cells(start_row=2, start_column=2, end_row=2, end_column=width - max(unit, 1))


def _unit_columns(t: Table, widths_pt: list[float]) -> int:
    """How many of the last columns the unit label (单位：元) needs: a narrow 备注 beside a name merged over the
    columns before it printed “位：元” (trialR-s32 D5); it is merged over them."""
    need, n = layout.text_em(t.unit_label), 1
    while n < len(widths_pt) - 1 and (sum(widths_pt[-n:]) - 6) / MEASURE_PT < need:
        n += 1
    return n


def _piece_lines(fit: layout.TableFit) -> int:
    """The most lines a cell holds before it is cut into pieces that long (`_spread_tall`): a third of a page.
    Rows do not break across pages in Excel or LibreOffice: a 职能 of 365 pt moved whole to the next page and left
    the one it was due on holding the title and four rows (甘肃 表1, trialW-s27 D3), and a project's 绩效目标 of three
    pieces of 293 pt left Hubei 表14's 合计 alone on its page (trialV-s28 D1). In pieces of a third of a page it starts
    where it falls and the page fills to within a piece, as the PDF breaks a row that tall."""
    return max(4, min(ROW_LINES, int((PRINTABLE_HEIGHT_PT[fit.landscape] / fit.scale / 3 - 3) // LINE_PT)))


def _whole_lines(fit: layout.TableFit) -> int:
    """The most lines a cell holds whole (half a page, as the PDF holds a row whole, `layout.paginate`; never past
    Excel's tallest row): a unit's name of 75 characters, 13 lines in its column, was cut into a piece of 12 lines and
    one of “大队）”, a gap inside the name where LibreOffice set it in fewer lines (trialW-s30 D3)."""
    return max(_piece_lines(fit), min(ROW_LINES, int((PRINTABLE_HEIGHT_PT[fit.landscape] / fit.scale / 2 - 3) // LINE_PT)))


def _spread_tall(block: layout.Block, widths_pt: list[float], most_lines: int, whole_lines: int) -> tuple[layout.Block, list[tuple[int, int, int]], list[tuple[int, int]]]:
    """The block with every body cell taller than `whole_lines` lines (`_whole_lines`: half a page, and never past
    Excel's tallest row, 409 pt — a taller cell is clipped) cut into pieces of `most_lines` (`_piece_lines`: a third
    of a page) over consecutive rows
    (`layout.pieces`: between paragraphs where it can), the other cells of its row — and a label spanning it from above (甘肃's 部门（单位）职能) — spanning
    those rows too: one merged label beside the whole text, every character printed (trial C, D2). Also the
    pieces after the first as (row, column, columns), whose rule above is left out so the text reads as one cell,
    and the (row, column) of the cells made to span the pieces, set at the top of their span: beside the text's
    start (and on each page a break cuts them, `_cut_at_pages`) — centred, a label printed beside the middle rows."""
    rows = block.rows
    split: dict[int, dict[int, list[str]]] = {}
    for r, col, cell in layout.placed(rows):
        if cell.rowspan != 1 or not cell.text or layout.one_line(cell) or col >= len(widths_pt):
            continue
        room = max((sum(widths_pt[col:col + cell.colspan]) - 6) / MEASURE_PT - cell.indent, 1.0)
        bold = layout.is_bold(cell, rows[r])
        if layout.line_count(cell.text, room, bold) > whole_lines:
            parts = layout.pieces(cell.text, room, most_lines, bold)
            if len(parts) > 1:
                split.setdefault(r, {})[col] = parts
    if not split:
        return block, [], []
    extra = [max(map(len, split[r].values())) - 1 if r in split else 0 for r in range(len(rows))]
    start = [sum(1 + e for e in extra[:r]) for r in range(len(rows))]
    grid: dict[int, list[tuple[int, Cell]]] = {}
    continued, stretched = [], []
    for r, col, cell in layout.placed(rows):
        parts = split.get(r, {}).get(col)
        if parts is None:
            span = cell.rowspan + sum(extra[r:r + cell.rowspan])
            grid.setdefault(start[r], []).append((col, replace(cell, rowspan=span)))
            if span != cell.rowspan:
                stretched.append((start[r], col))
            continue
        for j, part in enumerate(parts):     # the last piece spans what is left when another cell took more rows
            span = extra[r] + 1 - j if j == len(parts) - 1 else 1
            grid.setdefault(start[r] + j, []).append((col, replace(cell, text=part, rowspan=span)))
            if j:
                continued.append((start[r] + j, col, cell.colspan))
    new_rows = tuple(Row(tuple(c for _, c in sorted(grid.get(start[r] + j, []), key=lambda x: x[0])), row.kind, row.level)
                     for r, row in enumerate(rows) for j in range(extra[r] + 1))
    groups = tuple((start[s], start[e - 1] + extra[e - 1] + 1) for s, e in block.groups)
    return replace(block, rows=new_rows, groups=groups), continued, stretched


def _aligned(alignment, vertical: str) -> Alignment:
    return Alignment(horizontal=alignment.horizontal, vertical=vertical, wrap_text=alignment.wrap_text,
                     indent=alignment.indent)


def _join_pieces(ws, top: int, continued: list[tuple[int, int, int]]) -> None:
    """No rule between the pieces of a text `_spread_tall` cut, each set at the top of its row: the text starts
    beside its label, and where a program sets it in fewer lines than we count the room left falls at a cut —
    between sentences — not above the text. One cell to a reader."""
    for row, col, span in continued:
        for c in range(col + 1, col + span + 1):
            above, below = ws.cell(top + row - 1, c), ws.cell(top + row, c)
            above.border = Border(left=above.border.left, right=above.border.right, top=above.border.top)
            below.border = Border(left=below.border.left, right=below.border.right, bottom=below.border.bottom)
            above.alignment, below.alignment = _aligned(above.alignment, "top"), _aligned(below.alignment, "top")


def _notes(ws, notes: list[str], row: int, widths_pt: list[float]) -> int:
    """Each note under the table merged across its width, wrapped, its row as tall as its lines: a 注 of 242
    characters in one unwrapped cell ran past the print edge and lost its end (trial C, D3). The next free row."""
    room = max((sum(widths_pt) - 6) / (NOTE_PT * 1.1), 1.0)     # measured 10 % wide, as the cells are
    for note in notes:
        c = ws.cell(row, 1, note)
        c.style = "dc_note"
        c.alignment = Alignment(horizontal="left", vertical="top", wrap_text=True)
        if len(widths_pt) > 1:
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(widths_pt))
        lines = layout.line_count(note, room)
        ws.row_dimensions[row].height = min(_row_pt(lines, NOTE_LINE_PT), MAX_ROW_PT)
        row += 1
    return row


def _write_table(ws, t: Table, department_label: str, page: layout.Page) -> None:
    fit = layout.fit(t, page)
    widths_pt = [w / fit.scale for w in fit.widths_pt]       # on screen at 100 %; printed at fit.scale
    width = len(t.columns)
    _title(ws, f"{t.number} {t.title}".strip() if t.number else t.title, 1, width, widths_pt)
    unit = _unit_columns(t, widths_pt) if t.unit_label else 0
    _meta(ws, t, t.meta_text(department_label), width, widths_pt, unit)
    if unit:
        first = width - unit + 1
        ws.cell(2, first, t.unit_label).style = "dc_caption_right"
        if first < width:
            ws.merge_cells(start_row=2, start_column=first, end_row=2, end_column=width)
    r = 3
    heights: dict[int, float] = {}
    title_rows: tuple[int, int] | None = None
    groups: list[tuple[int, int]] = []
    blocks = [_spread_tall(layout.explicit_breaks(b, fit, page), widths_pt, _piece_lines(fit), _whole_lines(fit)) for b in layout.blocks(t)]
    labels: list[tuple[int, int, int, str]] = []    # (first row, last row, columns, text) of each block's label
    keep_next: set[int] = set()                      # rows that must not be the last of a printed page
    body_first: int | None = None                    # the first row under the repeated head (a list table)
    for (b, continued, stretched), named in zip(blocks, layout.named([b for b, _, _ in blocks])):
        head_top = r
        rows = list(b.head) + list(b.rows)
        if b.label and b.head:
            lead = b.head[0].cells[0]
            labels.append((head_top, head_top + len(rows) - 1, lead.colspan, lead.text))
        for p_r, p_c, cell in layout.placed(rows):
            is_head = p_r < len(b.head)
            row = rows[p_r]
            c = ws.cell(r + p_r, p_c + 1)
            percent = not is_head and cell.kind is Kind.percent and cell.value is not None
            if percent:
                c.value, number_format = _percent(cell.text, cell.value)
            elif not is_head and cell.kind is Kind.money and cell.value is not None:
                c.value = cell.value
            else:
                _put_text(c, cell.text)
            c.style = "dc_header" if is_head else _style_for(cell, row.kind)
            if percent:
                c.number_format = number_format
            elif not is_head and cell.kind is Kind.percent:   # a percentage left blank is still a % cell to type in
                c.number_format = BLANK_PERCENT_FORMAT
            if cell.indent and not is_head:
                c.alignment = Alignment(horizontal="left", vertical="center", wrap_text=True, indent=cell.indent)
            if not (b.label and p_c == 0):     # the label column is merged over the whole block (`_merge_label`)
                _merge(ws, r + p_r, p_c + 1, cell)
            if cell.text:
                room = (sum(widths_pt[p_c:p_c + cell.colspan]) - 6) / MEASURE_PT - cell.indent
                lines = layout.line_count(cell.text, max(room, 1.0), layout.is_bold(cell, row, is_head))
                per_row = lines / cell.rowspan
                heights[r + p_r] = max(heights.get(r + p_r, 1.0), per_row)
        if b.head and title_rows is None and not t.form:
            title_rows = (head_top, head_top + len(b.head) - 1)
        body_top = r + len(b.head)
        _join_pieces(ws, body_top, continued)
        for row, col in stretched:
            c = ws.cell(body_top + row, col + 1)
            c.alignment = _aligned(c.alignment, "top")
        mine = [(head_top if i == 0 else body_top + s, body_top + e - 1) for i, (s, e) in enumerate(b.groups)]
        if named and mine and groups:                # the one-row block naming this grid (湖北 表13's “长期目标1：”)
            mine[0] = (groups.pop()[0], mine[0][1])  # goes with its head and first group: it ended a page alone
        groups += mine
        if title_rows and head_top > title_rows[0]:     # a later block's head opens its rows, never ends a page
            keep_next.update(range(head_top, body_top))
        keep_next.update(body_top + i for i, row in enumerate(b.rows) if row.kind is RowKind.subtotal)
        body_first = body_first or (body_top if not t.form else None)
        r += len(rows)
    if t.empty:
        ws.cell(r, 1, t.empty_reason)
        for col in range(1, width + 1):
            ws.cell(r, col).style = "dc_center"
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
        heights[r] = 2.0
        r += 1
    last = r - 1
    r = _notes(ws, t.notes, r, widths_pt)
    for i, w in enumerate(widths_pt, 1):
        ws.column_dimensions[get_column_letter(i)].width = chars(w)
    for row, lines in heights.items():
        if lines > 1:
            ws.row_dimensions[row].height = min(_row_pt(lines), MAX_ROW_PT)
    if title_rows:
        ws.freeze_panes = ws.cell(title_rows[1] + 1, 1)
        ws.print_title_rows = f"{title_rows[0]}:{title_rows[1]}"
    ws.print_area = f"A1:{get_column_letter(width)}{max(last, r - 1)}"
    _print_setup(ws, fit.landscape, fit.scale)
    breaks = _keep_groups_on_a_page(ws, groups, fit, r - 1) if t.form else []
    for label in labels:
        _merge_label(ws, *label)
    _cut_at_pages(ws, breaks, width)
    if title_rows and body_first and not t.empty:
        _cut_at_pages(ws, _keep_rows_together(ws, body_first, last, r - 1, keep_next, title_rows), width)


def _row_height(ws, row: int) -> float:
    return ws.row_dimensions[row].height or 15.0


def _keep_groups_on_a_page(ws, groups: list[tuple[int, int]], fit: layout.TableFit, end: int) -> list[int]:
    """Manual page breaks for a form: no row group is cut by a page when it fits on one; a group taller than a
    page fills the page it starts on and continues (rows do not break: a 职能 pieced by `_spread_tall` breaks
    between its pieces); the last group takes the notes under it (rows up to `end`) along, and when it is one
    row alone on the last page the group before it comes too (Hubei 表13's 服务对象满意度 row printed alone,
    trialW-s27 D4). Returns the rows that start a page."""
    room = PRINTABLE_HEIGHT_PT[fit.landscape] / fit.scale
    used = sum(_row_height(ws, r) for r in range(1, 3))
    starts: list[int] = []
    last_group = len(groups) - 1
    for i, (first, last) in enumerate(groups):
        rows = range(first, (end if i == last_group else last) + 1)
        height = sum(_row_height(ws, r) for r in rows)
        if used + height <= room or used == 0:
            used += height
        elif height <= room:
            starts.append(first)
            used = height
        else:
            for row in rows:
                if used + _row_height(ws, row) > room and used > 0:
                    starts.append(row)
                    used = 0.0
                used += _row_height(ws, row)
    if len(groups) > 1 and starts and starts[-1] == groups[-1][0] == groups[-1][1]:
        before = groups[-2][0]
        if before not in starts and sum(_row_height(ws, r) for r in range(before, end + 1)) <= room:
            starts[-1] = before
    for row in starts:
        ws.row_breaks.append(Break(id=row - 1))
    return starts


def _cut_at_pages(ws, starts: list[int], width: int) -> None:
    """Close what a manual page break cuts: a merged cell running across it becomes one merged cell on each page —
    a label on each (Excel cannot repeat rows mid-sheet; one cell cut by the page printed “部门（单位）” on one page
    and “职能” on the next, trialW-s27 D3), a figure on the first only (printed once: a column's sum stays true),
    and a program draws the rule under each (a project's 资金总额 ran open at the cut, trialV-s28 D1); the pieces of
    a text (`_join_pieces`, no rule between them) get their rules back at the cut."""
    for span in list(ws.merged_cells.ranges):
        cuts = [row for row in starts if span.min_row < row <= span.max_row]
        if not cuts:
            continue
        top = ws.cell(span.min_row, span.min_col)
        label = isinstance(top.value, str)
        value, style, alignment, number_format = top.value, top.style, copy(top.alignment), top.number_format
        bounds = (span.min_row, span.max_row, span.min_col, span.max_col)
        ws.unmerge_cells(str(span))
        for first, last in zip([bounds[0], *cuts], [row - 1 for row in cuts] + [bounds[1]]):
            c = ws.cell(first, bounds[2])
            if label:
                _put_text(c, value)
            elif first != bounds[0]:
                c.value = None
            c.style, c.alignment, c.number_format = style, alignment, number_format
            _merge(ws, first, bounds[2], Cell("", colspan=bounds[3] - bounds[2] + 1, rowspan=last - first + 1))
    for row in starts:
        for col in range(1, width + 1):
            above, below = ws.cell(row - 1, col), ws.cell(row, col)
            rule = next((side for side in (above.border.left, below.border.left) if _drawn(side)), None)
            if rule and not _drawn(above.border.bottom):
                above.border = Border(left=above.border.left, right=above.border.right, top=above.border.top, bottom=rule)
            if rule and not _drawn(below.border.top):
                below.border = Border(left=below.border.left, right=below.border.right, top=rule, bottom=below.border.bottom)


def _drawn(side) -> bool:
    return side is not None and side.style is not None


PAPER_PT = {9: A4_PT}                 # the sheets' paper sizes (openpyxl's PAPERSIZE_* numbers), portrait (w, h)


def _page_room(ws) -> float:
    """The height a printed page holds for rows, in the sheet's points: the paper's height (its width when
    landscape) less the top and bottom margins, at the sheet's print scale. The 页码 footer and any header are
    printed inside the margins (the template's 0.5 in header/footer within its 1 in margins), by Excel and
    LibreOffice alike."""
    width, height = PAPER_PT[int(ws.page_setup.paperSize)]
    tall = width if ws.page_setup.orientation == "landscape" else height
    return (tall - (ws.page_margins.top + ws.page_margins.bottom) * 72) / (ws.page_setup.scale / 100)


def _keep_rows_together(ws, first: int, last: int, end: int, keep_next: set[int], head: tuple[int, int]) -> list[int]:
    """Manual page breaks for a list table longer than a page, as the PDF keeps its rows (package.css): the
    last page holds at least the table's last two rows with its notes — not 2240106 安全监管 alone under the
    repeated head (trialC-s26 D10), nor a note alone — and no page ends on a subtotal row, a later block's head
    or inside a merged cell. Rows `first`..`last` are the table's, `last`+1..`end` its notes; each page after the
    first repeats the `head` rows. The pages are counted from the heights the writer gave every row (and the
    sheet's default height, then written to every row of a sheet that gets a break), the paper, margins and
    print scale written to the sheet — what Excel and LibreOffice paginate by; a break is written only where it
    moves up from where the page fills, so the programs' own breaks stay theirs. A page that cannot keep two
    rows (rows near a page tall) breaks where it fills, and so does a merged cell taller than a page: the break is
    then written, the cell merged again on each page by the caller (`_cut_at_pages`). The rows that start a page at
    a written break."""
    room = _page_room(ws)
    default = ws.sheet_format.defaultRowHeight or 15.0

    def tall(row: int) -> float:
        return ws.row_dimensions[row].height or default

    head_pt = sum(tall(row) for row in range(head[0], head[1] + 1))
    bound, spanned = set(keep_next), set()
    for span in ws.merged_cells.ranges:          # rows a merged cell spans stay on one page — when they fit on one
        if span.min_row >= first and span.max_row > span.min_row:
            rows = range(span.min_row, span.max_row)
            spanned.update(rows)
            if sum(tall(row) for row in range(span.min_row, span.max_row + 1)) <= room - head_pt:
                bound.update(rows)

    def kept(row: int) -> bool:                   # may `row` end a page?
        return row < last - 1 and row not in bound

    used, start, starts = sum(tall(row) for row in range(1, first)), first, []
    while True:
        end_of_page = start
        used += tall(start)                      # a page holds at least one row
        while end_of_page < end and used + tall(end_of_page + 1) <= room:
            end_of_page += 1
            used += tall(end_of_page)
        if end_of_page >= end:
            return starts
        cut = end_of_page
        while cut > start and not kept(cut):
            cut -= 1
        if not kept(cut):                        # no row of the page may end it: break where it fills
            cut = end_of_page
        # where the page fills, the programs break by themselves — but inside a merged cell the break is written,
        # so that the cell is merged again on each page (`_cut_at_pages`): cut by the program, its text printed once
        # on a middle page and its cut left open (trialV-s28 D1)
        if cut < end_of_page or cut in spanned:
            ws.row_breaks.append(Break(id=cut))
            starts.append(cut + 1)
            for row in range(1, end + 1):       # the counted heights, not each program's idea of a default row
                ws.row_dimensions[row].height = tall(row)
        start, used = cut + 1, head_pt


def _merge_label(ws, first: int, last: int, columns: int, text: str) -> None:
    """A block's label (年度绩效指标, 部门总体资金情况 …) as one merged cell over its head and body rows, as the
    PDF prints it — it was cut at the head, over an empty box read as an empty column (trial I). Where the
    manual page breaks cut the block, `_cut_at_pages` makes it one merged cell per page, each with the label."""
    c = ws.cell(first, 1)
    _put_text(c, text)
    c.style = "dc_header"
    _merge(ws, first, 1, Cell(text, colspan=columns, rowspan=last - first + 1))


def _print_setup(ws, landscape: bool, scale: float) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=False)
    ws.page_setup.scale = max(10, min(100, math.floor(scale * 100 + 1e-6)))
    ws.print_options.horizontalCentered = True
    ws.oddFooter.center.text = "第 &P 页 共 &N 页"
    ws.page_margins.left = ws.page_margins.right = MARGIN_IN


def _toc_sheet(ws, doc: Document, names: list[tuple[Table, str]], page: layout.Page) -> None:
    toc = doc.toc
    fit = layout.fit(toc, page)
    widths_pt = [w / fit.scale for w in fit.widths_pt]
    width = len(toc.columns)
    _title(ws, doc.tables_title, 1, width, widths_pt)
    r = 2
    for line in doc.tables_preamble:
        ws.cell(r, 1, line).style = "dc_caption"
        r += 1
    first_sheet: dict[str, str] = {}
    for t, name in names:
        first_sheet.setdefault(t.key, name)
    head = r
    [block] = [layout.explicit_breaks(b, fit, page) for b in layout.blocks(toc)]
    head_lines: dict[int, float] = {}
    for p_r, p_c, cell in layout.placed(block.head):
        c = ws.cell(r + p_r, p_c + 1)
        _put_text(c, cell.text)
        c.style = "dc_header"
        _merge(ws, r + p_r, p_c + 1, cell)
        room = max((sum(widths_pt[p_c:p_c + cell.colspan]) - 6) / MEASURE_PT, 1.0)
        head_lines[r + p_r] = max(head_lines.get(r + p_r, 1), layout.line_count(cell.text, room, bold=True) / cell.rowspan)
    for row, lines in head_lines.items():     # “是否\n空表” in two lines: a row of default height showed one (D4)
        if lines > 1:
            ws.row_dimensions[row].height = _row_pt(lines)
    r += len(toc.header)
    keys = list(dict.fromkeys(t.key for t, _ in names))
    for row, key in zip(block.rows, keys):
        for col, cell in enumerate(row.cells, 1):
            c = ws.cell(r, col)
            _put_text(c, cell.text)
            c.style = "dc_center" if cell.halign == "center" else "dc_text"
        # the link on the number (表4), not the title: LibreOffice does not wrap a cell holding a link, and a long
        # title (甘肃 names 表1 with the department's name) showed its first line only (trial V N2)
        link = ws.cell(r, 1) if ws.cell(r, 1).value else ws.cell(r, 2)
        link.hyperlink = Hyperlink(ref=link.coordinate, location=f"'{_quoted(first_sheet[key])}'!A1")   # internal link
        link.font = Font(name="宋体", size=10, color="0563C1", underline="single")
        lines = max(layout.line_count(cell.text, max((widths_pt[i] - 6) / MEASURE_PT, 1.0))
                    for i, cell in enumerate(row.cells[:width]))
        if lines > 1:
            ws.row_dimensions[r].height = _row_pt(lines)
        r += 1
    last = r - 1
    r = _notes(ws, toc.notes, r, widths_pt)
    for i, w in enumerate(widths_pt, 1):
        ws.column_dimensions[get_column_letter(i)].width = chars(w)
    ws.freeze_panes = ws.cell(head + len(toc.header), 1)
    ws.print_title_rows = f"{head}:{head + len(toc.header) - 1}"
    ws.print_area = f"A1:{get_column_letter(width)}{max(last, r - 1)}"
    _print_setup(ws, fit.landscape, fit.scale)


def _styles_only(wb):
    """A template workbook reduced to its looks (named styles, theme): a province's template.xlsx may hold sheets,
    workbook-level names (a formula such as ``HYPERLINK("http://…")``), links to other workbooks (dropped on
    loading: keep_links=False) and custom properties — none of it may reach the published workbook."""
    for name in list(wb.sheetnames):   # worksheets and chart sheets
        wb.remove(wb[name])
    wb.defined_names.clear()
    wb.custom_doc_props.props.clear()
    return wb


def write(doc: Document, profile, path: Path, options: WriteOptions | None = None) -> Written:
    override = doc.templates.get("xlsx")
    page = excel_page(profile.table_scale_min if profile is not None else 0.7)
    wb = _styles_only(load_workbook(Path(override) if override else packaged("xlsx/template.xlsx"), keep_links=False))
    toc = wb.create_sheet("目录")
    used = {"目录"}
    names = [(t, _sheet_name(t, used)) for t in layout.as_siblings(doc.tables, page)]
    for t, name in names:
        _write_table(wb.create_sheet(name), t, doc.department_label, page)
    _toc_sheet(toc, doc, names, page)
    _text_stays_text(wb)
    stamp = utc(fixed_datetime(doc.approval_date)).replace(tzinfo=None)
    props = wb.properties
    props.title, props.creator, props.lastModifiedBy = doc.title, doc.organization, doc.organization
    props.subject, props.keywords, props.language = doc.subtitle, ", ".join(doc.keywords), "zh-CN"
    props.created = props.modified = stamp
    buffer = io.BytesIO()
    wb.save(buffer)
    write_atomically(path, normalize_zip(buffer.getvalue(), doc.approval_date))
    return Written(count=len(wb.sheetnames))


__all__ = ["write", "chars", "points", "excel_page"]
