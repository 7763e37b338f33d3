"""The written files read back: the .xlsx as grids of cells (checked by the same oracle), the PDF as
text (`pdftotext -layout`) whose figures must be the oracle-checked ones.

The workbook is read without the Document: a sheet's title row, its 单位 line, its header rows
(the header style), its body cells with their merges, money cells by their number style, and the
empty-table line. Only the table *kind* (key) is taken from the profile by the sheet's position,
as the sheet does not print it.
"""
from __future__ import annotations

import re
import subprocess
from collections import Counter
from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook

from .grid import GCell, GridTable
from .report import Finding

MONEY_TOKEN = re.compile(r"(?<![\d.,])\d{1,3}(?:,\d{3})*\.\d{2}(?![\d%])")
PAGE_FOOTER = re.compile(r"^\s*第\s*\d+\s*页\s*共\s*\d+\s*页\s*$")


def _shown(value) -> str:
    """A cell's text as read: the line breaks the writer sets where a text wraps (一般公共服务 / 支出, a head's
    功能科目 / 编码, a title) are layout, not part of the text."""
    return "" if value is None else str(value).replace("\n", "")


def _kind(style: str) -> str:
    if style.startswith("dc_money"):
        return "money"
    if style == "dc_code":
        return "code"
    if style == "dc_label":
        return "label"
    return "text"


def read_workbook(path: str | Path, keys: list[str]) -> tuple[list[GridTable], list[Finding]]:
    """Every table sheet as a GridTable (in order; `keys[i]` is the kind of the i-th table)."""
    wb = load_workbook(path)
    grids: list[GridTable] = []
    findings: list[Finding] = []
    sheets = [ws for ws in wb.worksheets if ws.title != "目录"]
    if len(sheets) != len(keys):
        findings.append(Finding("0", f"xlsx:{Path(path).name}", f"{len(sheets)} 个表格工作表，文档有 {len(keys)} 张表"))
    for index, (ws, key) in enumerate(zip(sheets, keys)):
        grid, bad = _sheet(ws, key, index)
        grids.append(grid)
        findings += bad
    return grids, findings


def _sheet(ws, key: str, index: int) -> tuple[GridTable, list[Finding]]:
    findings: list[Finding] = []
    width = ws.max_column
    spans: dict[tuple[int, int], tuple[int, int]] = {}
    covered: set[tuple[int, int]] = set()
    for rng in ws.merged_cells.ranges:
        spans[(rng.min_row, rng.min_col)] = (rng.max_col - rng.min_col + 1, rng.max_row - rng.min_row + 1)
        for r in range(rng.min_row, rng.max_row + 1):
            for c in range(rng.min_col, rng.max_col + 1):
                if (r, c) != (rng.min_row, rng.min_col):
                    covered.add((r, c))
    caption = _shown(ws.cell(1, 1).value)
    number, _, title = caption.partition(" ")
    unit_label = next((str(ws.cell(2, c).value) for c in range(1, width + 1)
                       if str(ws.cell(2, c).value or "").startswith("单位：")), "")
    rows = list(range(3, ws.max_row + 1))
    header_rows = []
    for r in rows:
        if ws.cell(r, 1).style == "dc_header" or any(ws.cell(r, c).style == "dc_header" for c in range(1, width + 1)
                                                    if (r, c) not in covered):
            header_rows.append(r)
        else:
            break
    header: list[list[GCell]] = []
    body: list[list[GCell]] = []
    notes: list[str] = []
    empty_reason = ""
    top = header_rows[-1] + 1 if header_rows else 3
    for r in header_rows:
        header.append(_row(ws, r, r - header_rows[0], width, spans, covered, findings))
    for r in range(top, ws.max_row + 1):
        first = ws.cell(r, 1)
        if first.style == "dc_note":
            notes.append(_shown(first.value))
            continue
        full = spans.get((r, 1), (1, 1))[0] == width and width > 1
        if full and first.style == "dc_center" and not any(ws.cell(r, c).value for c in range(2, width + 1)):
            empty_reason = _shown(first.value)
            continue
        body.append(_row(ws, r, r - top, width, spans, covered, findings))
    money_columns = [False] * width
    for row in body:
        for cell in row:
            if cell.money and cell.colspan == 1:
                money_columns[cell.c] = True
    grid = GridTable(key=key, number=number if title else "", title=title or caption, unit_label=unit_label,
                     width=width, header=header, body=body, money_columns=money_columns,
                     empty=bool(empty_reason) and not any(c.money and c.text for row in body for c in row),
                     empty_reason=empty_reason, notes=notes, source=f"xlsx:{ws.title}", index=index)
    return grid, findings


def _row(ws, r: int, rel: int, width: int, spans, covered, findings) -> list[GCell]:
    out = []
    for c in range(1, width + 1):
        if (r, c) in covered:
            continue
        cell = ws.cell(r, c)
        colspan, rowspan = spans.get((r, c), (1, 1))
        kind = _kind(cell.style)
        value = cell.value
        if "%" in (cell.number_format or "") and value is None:   # a percentage cell left blank
            out.append(GCell(rel, c - 1, "", None, "percent", colspan, rowspan))
        elif "%" in (cell.number_format or "") and isinstance(value, (int, float)):   # shown as a percentage
            num = Decimal(str(value))
            scaled = (cell.number_format or "").rstrip().endswith("0%")    # 0.00% scales; 0.00"%" does not
            shown = (num * 100 if scaled else num).quantize(Decimal("0.01"))
            out.append(GCell(rel, c - 1, f"{shown:.2f}%", shown, "percent", colspan, rowspan))
        elif kind == "money":
            if isinstance(value, str):
                findings.append(Finding("0", f"xlsx:{ws.title} {cell.coordinate}", f"金额格为文本“{value}”"))
                num = Decimal(value.replace(",", "").rstrip("%") or "0")
            else:
                num = Decimal(str(value)).quantize(Decimal("0.01")) if value is not None else None
            if num is not None and cell.data_type != "n":
                findings.append(Finding("0", f"xlsx:{ws.title} {cell.coordinate}", "金额格不是数字"))
            out.append(GCell(rel, c - 1, "" if not num else f"{num:,.2f}", num, "money", colspan, rowspan))
        else:
            out.append(GCell(rel, c - 1, _shown(value), None, kind, colspan, rowspan))
    return out


def read_toc(path: str | Path) -> list[list[str]]:
    """The 目录 sheet's rows (报表 | 报表名称 | 是否空表 | 公开空表理由) as texts."""
    ws = load_workbook(path)["目录"]
    rows = []
    for row in ws.iter_rows(values_only=True):
        cells = [_shown(v) for v in row]
        if len(cells) >= 4 and cells[2] in ("是", "否"):
            rows.append(cells[:4])
    return rows


# ------------------------------------------------------------------ PDF

def pdf_text(path: str | Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def pdf_sections(text: str, numbers: set[str] | None = None) -> tuple[str, dict[str, str]]:
    """(text before the first table, {table number: the text of its pages}). A table's pages start at the
    line that holds its number alone (“表3”, or 上海's “3.”) — `numbers` are the package's table numbers."""
    lines = [ln for ln in text.splitlines() if not PAGE_FOOTER.match(ln)]
    parts: dict[str, list[str]] = {}
    current = None
    before: list[str] = []
    for ln in lines:
        m = re.fullmatch(r"\s*(表\d+)\s*", ln)
        number = m.group(1) if m else ln.strip() if numbers and ln.strip() in numbers else None
        if number:
            current = number
            parts.setdefault(current, [])
            continue
        (parts[current] if current else before).append(ln)
    return "\n".join(before), {k: "\n".join(v) for k, v in parts.items()}


def check_pdf(text: str, doc, grids: list[GridTable]) -> list[Finding]:
    """Every figure the oracle checked is printed in the PDF — the same multiset per table — and every
    paragraph of the 说明 is there word for word (whitespace and page breaks aside)."""
    out: list[Finding] = []
    narrative, sections = pdf_sections(text, {g.number for g in grids})
    flat = re.sub(r"\s+", "", narrative)
    for s in doc.sections:
        for p in s.paragraphs:
            if re.sub(r"\s+", "", p) not in flat:
                out.append(Finding("0", "pdf 说明", f"段落不在 PDF 中（或被拆开）：{p[:40]}…"))
    want: dict[str, Counter] = {}
    for g in grids:
        tokens = want.setdefault(g.number, Counter())
        for row in [*g.header, *g.body]:
            for cell in row:
                tokens.update(MONEY_TOKEN.findall(cell.text))
    for number, tokens in want.items():
        got = Counter(MONEY_TOKEN.findall(sections.get(number, "")))
        if got != tokens:
            missing = tokens - got
            extra = got - tokens
            out.append(Finding("0", f"pdf {number}", f"金额与检查过的表不同：缺 {sorted(missing.elements())[:6]}，"
                                                      f"多 {sorted(extra.elements())[:6]}"))
    return out
