"""What Excel shows in a cell, where that differs from what it stores: the workbook reader and the
export reader (`grid`) read a cell as the clerk saw it, or refuse it when what was typed is lost.

- A code typed as a number under a format of zeros (``000000``): Excel stores 11001, shows 011001 —
  read as shown (`shown_digits`).
- A number of 16 digits or more (`lost_digits`): Excel keeps 15 significant digits, so a long code typed
  as a number (421122250000000016) was stored as 421122250000000000 the moment it was typed — nothing
  can give the digits back; the reader refuses the cell and says to make the column 文本 and retype.
- A date where text belongs (“2025年12月” typed into 实施期限 becomes a date): read as Excel displays it
  through the cell's number format (`shown_date`): ``yyyy"年"m"月"`` → 2025年12月, ``yyyy/m/d`` → 2025/12/1.
  Excel's built-in date formats whose text depends on the language are taken as Chinese Excel and WPS show
  them (14 → 2025/12/1; 27–36 and 50–58, which openpyxl reads as plain numbers, → 2025年12月 …); a format
  with no date in it gives the Chinese long form, 2025年12月1日.
- A number under a percent format (“100%” typed: Excel stores 1 under ``0%``): `shown_percent` gives the
  number Excel shows before its “%” (1 → 100, 0.955 under ``0.0%`` → 95.5), rounded as Excel rounds it.
"""
from __future__ import annotations

import math
import re
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal
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


_LITERALS = re.compile(r'"[^"]*"?|\\.|\[[^\]]*\]?|_.|\*.')


def shown_percent(value: Any, number_format: str | None) -> Decimal | None:
    """The number Excel shows under a percent format, before its “%” (None for any other value or format)."""
    if not isinstance(value, (int, float)) or isinstance(value, bool) or not math.isfinite(value):
        return None
    section = _LITERALS.sub("", number_format or "").split(";")[0]      # the format for a positive number
    if "%" not in section:
        return None
    decimals = re.search(r"\.([0#?]+)", section)
    exact = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    return (exact * 100 ** section.count("%")).quantize(Decimal(1).scaleb(-len(decimals.group(1)) if decimals else 0),
                                                       ROUND_HALF_UP)


# Built-in formats (numFmtId) as Chinese (zh-CN) Excel shows them (ECMA-376 Part 1, 18.8.30): openpyxl knows the
# en-US text of 14 and 22 (mm-dd-yy …) and none of the others, whose cells it reads as plain numbers.
CHINESE_BUILTIN_DATES = {
    14: "yyyy/m/d", 22: "yyyy/m/d h:mm",
    27: 'yyyy"年"m"月"', 28: 'm"月"d"日"', 29: 'm"月"d"日"', 30: "m-d-yy", 31: 'yyyy"年"m"月"d"日"',
    32: 'h"时"mm"分"', 33: 'h"时"mm"分"ss"秒"', 34: '上午/下午h"时"mm"分"', 35: '上午/下午h"时"mm"分"ss"秒"',
    36: 'yyyy"年"m"月"', 50: 'yyyy"年"m"月"', 51: 'm"月"d"日"', 52: 'yyyy"年"m"月"', 53: 'm"月"d"日"',
    54: 'm"月"d"日"', 55: '上午/下午h"时"mm"分"', 56: '上午/下午h"时"mm"分"ss"秒"', 57: 'yyyy"年"m"月"', 58: 'm"月"d"日"',
}
_TOKEN = re.compile(_LITERALS.pattern + r'|;|AM/PM|A/P|上午/下午|y+|e+|m+|d+|a{3,4}|h+|s+|.', re.I | re.S)
_WEEKDAYS = "一二三四五六日"


def format_id(cell) -> int:
    """The cell's number format id (built-in ids are below 164)."""
    return getattr(getattr(cell, "_style", None), "numFmtId", 0) or 0


def cell_date(cell, epoch) -> Any:
    """A number under one of Chinese Excel's built-in date formats that openpyxl does not know, as the
    datetime Excel shows; any other value as it is."""
    v = cell.value
    if (isinstance(v, (int, float)) and not isinstance(v, bool) and format_id(cell) in CHINESE_BUILTIN_DATES
            and 0 <= v < 2958466):
        from openpyxl.utils.datetime import from_excel

        return from_excel(v, epoch)
    return v


def shown_date(value: date | time, number_format: str | None, fmt_id: int = 0) -> str:
    """A date (or time) as Excel displays it through `number_format` (see the module's notes)."""
    fmt = re.sub("general", "", CHINESE_BUILTIN_DATES.get(fmt_id) or number_format or "", flags=re.I)
    tokens = []
    for token in _TOKEN.findall(fmt):
        if token == ";":                    # the first section is the one for a date (a positive number)
            break
        tokens.append(token)
    kinds = [t[0].lower() if t.isascii() and t.isalpha() else "" for t in tokens]
    if not any(k in ("y", "e", "m", "d", "a", "h", "s") for k in kinds):
        return _chinese(value)
    twelve = any(t.upper() in ("AM/PM", "A/P") or t == "上午/下午" for t in tokens)
    out = []
    for n, (t, k) in enumerate(zip(tokens, kinds)):
        if t.upper() in ("AM/PM", "A/P") or t == "上午/下午":
            pm = getattr(value, "hour", 0) >= 12
            out.append({"AM/PM": ("AM", "PM"), "A/P": ("A", "P")}.get(t.upper(), ("上午", "下午"))[pm])
        elif t.startswith('"'):
            out.append(t[1:].rstrip('"'))
        elif t.startswith("\\"):
            out.append(t[1:])
        elif t.startswith("_"):
            out.append(" ")
        elif t.startswith(("[", "*")) or t == "@":
            continue
        elif k in ("y", "e") and isinstance(value, date):
            out.append(f"{value.year % 100:02d}" if k == "y" and len(t) <= 2 else f"{value.year:04d}")
        elif k == "m" and _minute(kinds, n) and hasattr(value, "minute"):
            out.append(f"{value.minute:0{min(len(t), 2)}d}")
        elif k == "m" and isinstance(value, date):
            out.append(f"{value.month:0{len(t)}d}" if len(t) <= 2 else f"{value.month}月")
        elif k == "d" and isinstance(value, date):
            out.append(f"{value.day:0{len(t)}d}" if len(t) <= 2 else
                       ("周" if len(t) == 3 else "星期") + _WEEKDAYS[value.weekday()])
        elif k == "a" and isinstance(value, date):
            out.append(("" if len(t) == 3 else "星期") + _WEEKDAYS[value.weekday()])
        elif k == "h" and hasattr(value, "hour"):
            out.append(f"{(value.hour % 12 or 12) if twelve else value.hour:0{min(len(t), 2)}d}")
        elif k == "s" and hasattr(value, "second"):
            out.append(f"{value.second:0{min(len(t), 2)}d}")
        else:
            out.append(t)
    return "".join(out).strip()


def _minute(kinds: list[str], n: int) -> bool:
    """An m right after an h, or right before an s, is minutes (Excel's rule)."""
    units = ("y", "e", "m", "d", "a", "h", "s")
    before = next((k for k in reversed(kinds[:n]) if k in units), "")
    after = next((k for k in kinds[n + 1:] if k in units), "")
    return before == "h" or after == "s"


def _chinese(value: date | time) -> str:
    if isinstance(value, datetime):
        day = f"{value.year}年{value.month}月{value.day}日"
        return day if value.time() == time(0) else f"{day} {value.hour}:{value.minute:02d}"
    if isinstance(value, date):
        return f"{value.year}年{value.month}月{value.day}日"
    return f"{value.hour}:{value.minute:02d}"


__all__ = ["shown_digits", "lost_digits", "lost_digits_message", "excel_digits", "EXCEL_DIGITS", "shown_date", "cell_date", "format_id", "shown_percent"]
