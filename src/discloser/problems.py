"""Located problems: what every loader, schema check and rule reports (messages in Chinese)."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Location:
    file: str
    line: int | None = None     # 1-based
    column: int | None = None   # 1-based
    field: str = ""             # e.g. "expenditures[12].amount"

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where} {self.field}".rstrip()


@dataclass(frozen=True)
class Problem:
    rule: str          # stable id, e.g. "balance.total", "source.duplicate-key"
    severity: str      # "error" | "warning"
    message: str
    locations: tuple[Location, ...] = ()

    def to_dict(self) -> dict:
        return {
            "rule": self.rule, "severity": self.severity, "message": self.message,
            "locations": [{"file": l.file, "line": l.line, "column": l.column, "field": l.field} for l in self.locations],
        }

    def format(self) -> str:
        word = "错误" if self.severity == "error" else "警告"
        head = f"{self.locations[0]}: " if self.locations else ""
        lines = [f"{head}{word}[{self.rule}] {self.message}"]
        lines += [f"  另见 {loc}" for loc in self.locations[1:]]
        return "\n".join(lines)


class SourceError(Exception):
    """The file could not be read into data; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(p.format() for p in problems))
        self.problems = problems


def format_field_path(path: tuple) -> str:
    """("expenditures", 12, "amount") → "expenditures[12].amount"."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out
