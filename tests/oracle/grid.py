"""A printed table as a grid of cells — read from the in-memory `Document` or from the .xlsx.

The oracle checks a `GridTable`, so the very same checks run on the format-neutral Document (fast
path) and on the cells of the written workbook. Spanned cells are placed as in HTML: a cell takes
the next free column of its row; its colspan/rowspan cover the slots right of and below it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

_SPACES = re.compile(r"[\s\u3000]+")


def norm(text: str) -> str:
    """A label without spaces (“合 计” → “合计”) and without a trailing colon."""
    return _SPACES.sub("", text or "").rstrip("：:")


@dataclass
class GCell:
    r: int
    c: int
    text: str
    value: Decimal | None = None   # the number a money / percent cell holds
    kind: str = "text"             # money | percent | text | code | label
    colspan: int = 1
    rowspan: int = 1

    @property
    def money(self) -> bool:
        return self.kind == "money"


@dataclass
class GridTable:
    key: str
    number: str
    title: str
    unit_label: str
    width: int
    header: list[list[GCell]]
    body: list[list[GCell]]
    money_columns: list[bool]
    empty: bool = False
    empty_reason: str = ""
    notes: list[str] = field(default_factory=list)
    source: str = "document"
    index: int = 0                 # position among the package's tables

    @property
    def wan(self) -> bool:
        return "万元" in self.unit_label

    @property
    def name(self) -> str:
        return f"{self.number} {self.title}".strip()

    def col_paths(self) -> list[tuple[str, ...]]:
        """For every grid column, the header labels above it, top to bottom."""
        paths: list[list[str]] = [[] for _ in range(self.width)]
        for row in self.header:
            for cell in row:
                for c in range(cell.c, min(cell.c + cell.colspan, self.width)):
                    if not paths[c] or paths[c][-1] != cell.text:
                        paths[c].append(cell.text)
        return [tuple(norm(x) for x in p) for p in paths]

    def row_text(self, r: int) -> list[GCell]:
        return [c for c in self.body[r] if not c.money and c.kind != "percent"]


def place(rows: list[list[tuple]], width: int) -> list[list[GCell]]:
    """rows of (text, value, kind, colspan, rowspan) → placed cells per row."""
    covered: set[tuple[int, int]] = set()
    out: list[list[GCell]] = []
    for r, row in enumerate(rows):
        c = 0
        placed = []
        for text, value, kind, colspan, rowspan in row:
            while (r, c) in covered:
                c += 1
            if c >= width:
                break
            placed.append(GCell(r, c, text, value, kind, colspan, rowspan))
            for dr in range(rowspan):
                for dc in range(colspan):
                    covered.add((r + dr, c + dc))
            c += colspan
        out.append(placed)
    return out


def from_table(table, index: int = 0) -> GridTable:
    """A `discloser.tables.model.Table` (read through its public attributes only)."""
    width = len(table.columns)

    def rows(rs):
        return [[(c.text, c.value, c.kind.value, c.colspan, c.rowspan) for c in r.cells] for r in rs]

    return GridTable(key=table.key, number=table.number, title=table.title, unit_label=table.unit_label,
                     width=width, header=place(rows(table.header), width), body=place(rows(table.body), width),
                     money_columns=[col.kind.value == "money" for col in table.columns], empty=table.empty,
                     empty_reason=table.empty_reason, notes=list(table.notes), source="document", index=index)
