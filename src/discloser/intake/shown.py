"""What Excel shows in a cell, where that differs from what it stores: the workbook reader and the
export reader (`grid`) read a cell as the clerk saw it, or refuse it when what was typed is lost.

- A code typed as a number under a format of zeros (``000000``): Excel stores 11001, shows 011001 —
  read as shown (`shown_digits`).
- A number of 16 digits or more (`lost_digits`): Excel keeps 15 significant digits, so a long code typed
  as a number (421122250000000016) was stored as 421122250000000000 the moment it was typed — nothing
  can give the digits back; the reader refuses the cell and says to make the column 文本 and retype.
"""
from __future__ import annotations

import math
import re
from decimal import Decimal
from typing import Any

EXCEL_DIGITS = 15
_ZEROS = re.compile(r"0{2,}")


def lost_digits(value: Any) -> bool:
    """A number of more than 15 digits: what Excel keeps of it is not what was typed."""
    return (isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
            and abs(value) >= 10 ** EXCEL_DIGITS)


def excel_digits(value: Any) -> str:
    """A long number as Excel keeps it: its first 15 digits, then zeros."""
    return format(Decimal(f"{abs(float(value)):.{EXCEL_DIGITS}g}"), "f")


def lost_digits_message(value: Any) -> str:
    digits = excel_digits(value)
    return (f"此格是数字 {digits}（{len(digits)} 位）：Excel 只保留 15 位有效数字，以数字输入的长编码在输入时后几位已变成 0，"
            "原来的编码无法从此格恢复。请把这一列的单元格格式设为“文本”，再重新输入完整编码")


def shown_digits(value: Any, number_format: str | None) -> Any:
    """A whole number shown through a format of zeros (“000000”: a unit code 011001 typed as a number) is
    read as the digits Excel shows, leading zeros included; any other value as it is (a number of more
    than 15 digits too: see `lost_digits`)."""
    if (isinstance(value, (int, float)) and not isinstance(value, bool) and number_format
            and _ZEROS.fullmatch(number_format) and float(value).is_integer() and value >= 0
            and not lost_digits(value)):
        return str(int(value)).zfill(len(number_format))
    return value


__all__ = ["shown_digits", "lost_digits", "lost_digits_message", "excel_digits", "EXCEL_DIGITS"]
