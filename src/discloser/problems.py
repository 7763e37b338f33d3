"""Located problems: what every loader, schema check and rule reports (messages in Chinese).

A `Problem` names a stable rule id (``source.syntax``, ``balance.total`` …), a severity, a
Chinese message and where it stands: one or more `Location`s (file, 1-based line and column,
field path). The first location is the main one; further ones are printed as “另见”.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

SEVERITIES = ("error", "warning", "notice")   # a notice informs and never blocks, not even with --strict


@dataclass(frozen=True)
class Location:
    file: str                   # the path as the user gave it
    line: int | None = None     # 1-based
    column: int | None = None   # 1-based
    field: str = ""             # e.g. "expenditures[12].amount"

    def __str__(self) -> str:
        """``linyou-2024.yaml:57:15 expenditures[12].amount``; missing parts are left out."""
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        where = where.lstrip(":") if not self.file else where
        return " ".join(part for part in (where, self.field) if part)

    def to_dict(self) -> dict:
        return {"file": self.file, "line": self.line, "column": self.column, "field": self.field}


@dataclass(frozen=True)
class Problem:
    rule: str          # stable id, e.g. "source.syntax", "source.duplicate-key", "balance.total"
    severity: str      # "error" | "warning" | "notice"
    message: str       # Chinese
    locations: tuple[Location, ...] = ()

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"severity must be one of {SEVERITIES}, not {self.severity!r}")
        if not isinstance(self.locations, tuple):   # a list would make the frozen dataclass unhashable
            object.__setattr__(self, "locations", tuple(self.locations))

    def to_dict(self) -> dict:
        """JSON-friendly form (for ``--format json``)."""
        return {"rule": self.rule, "severity": self.severity, "message": self.message,
                "locations": [loc.to_dict() for loc in self.locations]}

    def format(self) -> str:
        """``文件:行:列 字段: 错误[rule] message``, then ``  另见 文件:行:列 字段`` per further location."""
        word = {"error": "错误", "warning": "警告", "notice": "提示"}[self.severity]
        head = f"{self.locations[0]}: " if self.locations and str(self.locations[0]) else ""
        lines = [f"{head}{word}[{self.rule}] {self.message}"]
        lines += [f"  另见 {loc}" for loc in self.locations[1:]]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.format()


class SourceError(Exception):
    """The file could not be read into data; carries every problem found (never empty). `partial`: what was read
    all the same (a workbook whose cells were read but for a formula), so `validate` checks the form of the rest."""

    def __init__(self, problems: list[Problem], partial: Any = None):
        self.problems = list(problems)
        self.partial = partial
        super().__init__("\n".join(p.format() for p in self.problems))


def format_field_path(path: tuple[str | int, ...]) -> str:
    """``("expenditures", 12, "amount")`` → ``"expenditures[12].amount"``."""
    out = ""
    for part in path:
        if isinstance(part, int) and not isinstance(part, bool):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


__all__ = ["Location", "Problem", "SourceError", "format_field_path", "SEVERITIES"]


def unreadable_because(e: BaseException) -> str:
    """Why an office file could not be opened, in words a clerk can act on (not the library's exception name,
    “BadZipFile”, that a trial found at the end of the message)."""
    name = type(e).__name__
    if isinstance(e, OSError) and not name.endswith("ZipFile"):
        return f"无法读取：{e.strerror or '读写出错'}"
    if "Zip" in name or "InvalidFile" in name:
        return "内容不是这种格式：可能是改了扩展名的其他文件，或下载、复制不完整"
    if isinstance(e, KeyError):
        return "缺少这种文件必需的组成部分，可能已损坏"
    return "文件已损坏，或由不兼容的软件生成"
