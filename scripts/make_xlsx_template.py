#!/usr/bin/env python3
"""Generate templates/xlsx/template.xlsx: the named cell styles the Excel writer applies.

A province restyles its workbooks by editing this file (in Excel or LibreOffice: Styles) and
shipping it as its own template; the writer only refers to the style names below.
"""
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side

OUT = Path(__file__).resolve().parent.parent / "templates" / "xlsx" / "template.xlsx"
FONT = "宋体"
thin = Side(style="thin", color="000000")
box = Border(left=thin, right=thin, top=thin, bottom=thin)


def style(name, *, size=10, bold=False, h="left", wrap=True, border=True, fill=None, fmt=None):
    s = NamedStyle(name=name)
    s.font = Font(name=FONT, size=size, bold=bold)
    s.alignment = Alignment(horizontal=h, vertical="center", wrap_text=wrap)
    if border:
        s.border = box
    if fill:
        s.fill = PatternFill("solid", fgColor=fill)
    if fmt:
        s.number_format = fmt
    return s


def main() -> None:
    wb = Workbook()
    for s in (
        style("dc_title", size=16, bold=True, h="center", border=False, wrap=False),
        style("dc_caption", size=10, border=False, wrap=False),
        style("dc_caption_right", size=10, h="right", border=False, wrap=False),
        style("dc_header", bold=True, h="center", fill="F2F2F2"),
        style("dc_text"),
        style("dc_center", h="center"),
        style("dc_code", h="left", fmt="@"),
        style("dc_money", h="right", wrap=False, fmt="#,##0.00"),
        style("dc_money_total", h="right", bold=True, wrap=False, fmt="#,##0.00"),
        style("dc_total", bold=True),
        style("dc_label", bold=True, h="center", fill="F7F7F7"),
        style("dc_note", size=9, border=False, wrap=False),
        style("dc_link", h="left"),
    ):
        wb.add_named_style(s)
    wb.active.title = "styles"
    OUT.parent.mkdir(parents=True, exist_ok=True)
    wb.save(OUT)
    print(OUT)


if __name__ == "__main__":
    main()
