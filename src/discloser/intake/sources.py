"""Which reader a budget file needs, by its suffix: the one place `validate.load` asks.

``.yaml`` / ``.yml`` / ``.json`` → `discloser.source.load_source` (positions are line and column);
``.xlsx`` / ``.xlsm`` → the fill-in workbook reader (positions are sheet and cell). A budget-system
export (``.xls``, ``.csv`` or an ``.xlsx`` without the workbook's sheets) is refused with a pointer
to ``discloser import``.
"""
from __future__ import annotations

from pathlib import Path

from ..problems import Location, Problem, SourceError
from ..source import Source, load_source

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
EXPORT_SUFFIXES = (".xls", ".csv")


def read_source(path: str | Path) -> Source:
    suffix = Path(path).suffix.lower()
    if suffix in WORKBOOK_SUFFIXES:
        from .workbook import read_workbook

        return read_workbook(path)
    if suffix in EXPORT_SUFFIXES:
        raise SourceError([Problem("source.format", "error",
                                   f"{suffix} 文件不是预算数据文件：预算系统导出的明细请先用 discloser import 转换"
                                   "（如 discloser import 导出.xls -o 数据.yaml）", (Location(str(path)),))])
    return load_source(path)
