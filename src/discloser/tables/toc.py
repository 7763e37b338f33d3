"""目录 of tables with 是否空表 / 公开空表理由: one row per table number, each title on one line where the
portrait page holds it (machines read the titles there: 上海 requires them verbatim) — a longer one (甘肃 names
表1 with the department's name) wraps in its column rather than run over the next ones and off the page."""
from __future__ import annotations

from .model import Cell, Column, Row, RowKind, Table


def toc_table(tables: list[Table], notes: list[str], org: str) -> Table:
    rows: list[Row] = []
    seen: set[str] = set()
    for t in tables:
        if t.key in seen:
            continue
        seen.add(t.key)
        reason = (t.toc_reason or t.empty_reason) if t.empty else ""
        rows.append(Row((Cell(t.number, align="center"), Cell(t.title, nowrap=True), Cell("是" if t.empty else "否", align="center"),
                         Cell(reason))))
    header = [Row((Cell("报表", align="center"), Cell("报表名称", align="center"), Cell("是否空表", align="center"),
                   Cell("公开空表理由", align="center")), RowKind.header)]
    return Table(key="toc", number="", title="目录", department=org, unit_label="",
                 columns=[Column(6), Column(62), Column(11), Column(19)], header=header, body=rows,
                 notes=list(notes), anchor="toc", portrait=True)
