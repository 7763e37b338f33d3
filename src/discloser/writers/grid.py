"""Place spanned cells on a grid (HTML table semantics), for writers that address cells by position.

A cell takes the next column of its row not covered by a rowspan from an earlier row; its
colspan/rowspan then cover the slots right of and below it.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..tables.model import Cell, Row


@dataclass(frozen=True)
class Placed:
    row: int      # 0-based, within the rows given
    col: int      # 0-based
    cell: Cell


def place(rows: list[Row], width: int) -> list[Placed]:
    covered: set[tuple[int, int]] = set()
    out: list[Placed] = []
    for r, row in enumerate(rows):
        c = 0
        for cell in row.cells:
            while (r, c) in covered:
                c += 1
            if c >= width:
                break
            out.append(Placed(r, c, cell))
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    covered.add((r + dr, c + dc))
            c += cell.colspan
    return out


def display_width(text: str) -> int:
    """Width in Latin character units: CJK and full-width characters count double."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)
