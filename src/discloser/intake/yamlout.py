"""Write budget data as YAML a clerk can read and edit: model order, Chinese comments, gaps as comments.

One writer for everything that produces a budget file (init, import, rollover, workbook → YAML), so
that they look alike and read back exactly:

- money stays exact (a `Decimal` is written as its plain digits, never through float);
- text is written plain when both our loader (`discloser.source`) and any YAML reader read it back
  as the same text, else double-quoted (codes such as ``"2080505"`` are always quoted, so they stay text);
- a list of small records (every value a scalar or a mapping of scalars: line items, revenues,
  indicators, units) is written one record per line in flow style, as the examples are; other lists
  in block style;
- `Notes` adds comments: a header, lines before a field, a comment at the end of a field's line,
  commented-out gap blocks at the end of a mapping (the “待填” markers `gaps` lists), and — with
  ``describe`` — every field's Chinese description from the model.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

import yaml

from ..source import _resolve_plain
from .fields import description, model_at

_FLOW_UNSAFE = re.compile(r"[,\[\]{}:]")    # PyYAML refuses any “:” in a plain scalar inside {…} (“0:?”)
_LINE_BREAKS = {"\u2028": "\\L", "\u2029": "\\P", "\x85": "\\N"}


@dataclass
class Notes:
    """Comments to write beside the data; paths are tuples of keys and list indices."""

    header: list[str] = field(default_factory=list)                 # comment lines at the top
    before: dict[tuple, list[str]] = field(default_factory=dict)    # lines above a field or list item
    after: dict[tuple, str] = field(default_factory=dict)           # at the end of a field's (or flow item's) line
    gaps: dict[tuple, list[str]] = field(default_factory=dict)      # lines at the end of the mapping at a path
    describe: bool = False                                          # every field's description as a comment


def scalar(value: Any, *, in_flow: bool = False) -> str:
    """One YAML scalar that reads back as `value` (money exact, codes text)."""
    if value is None:
        return "null"
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "value") and isinstance(value.value, str):   # a str Enum
        value = value.value
    text = str(value)
    if _plain_ok(text, in_flow):
        return text
    quoted = json.dumps(text, ensure_ascii=False)
    for char, escape in _LINE_BREAKS.items():
        quoted = quoted.replace(char, escape)
    return quoted


def _plain_ok(text: str, in_flow: bool) -> bool:
    if not text or text != text.strip() or any(c in text for c in "\n\t\r\"'\\") or text[0] in "-?:!&*|>%@`#":
        return False
    if in_flow and _FLOW_UNSAFE.search(text):
        return False
    if ": " in text or " #" in text or text.endswith(":") or any(c in text for c in _LINE_BREAKS):
        return False
    if _resolve_plain(text) != text:
        return False
    try:
        return yaml.safe_load(text) == text
    except yaml.YAMLError:
        return False


def _is_record(value: Any) -> bool:
    """A mapping small enough for one flow line: scalars, or mappings of scalars."""
    return isinstance(value, dict) and all(
        not isinstance(v, (list, dict)) or (isinstance(v, dict) and not any(isinstance(x, (list, dict)) for x in v.values()))
        for v in value.values())


def _is_scalars(value: dict) -> bool:
    return not any(isinstance(v, (list, dict)) for v in value.values())


def _flow(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{scalar(k, in_flow=True)}: {_flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    return scalar(value, in_flow=True)


class _Writer:
    def __init__(self, notes: Notes):
        self.notes = notes
        self.lines: list[str] = []

    def comment(self, indent: int, lines: list[str]) -> None:
        for line in lines:
            self.lines.append(f"{' ' * indent}# {line}".rstrip() if line else f"{' ' * indent}#")

    def trailing(self, path: tuple, described: str = "") -> str:
        text = self.notes.after.get(path) or described
        return f"  # {text}" if text else ""

    def described(self, path: tuple) -> str:
        return description(model_at(path), path[-1]) if self.notes.describe and not isinstance(path[-1], int) else ""

    def annotated(self, path: tuple) -> bool:
        """Whether any note is attached inside `path` (then it is written in block style, to hold them)."""
        n = len(path)
        return any(len(p) > n and p[:n] == path for notes in (self.notes.before, self.notes.after) for p in notes) \
            or path in self.notes.gaps

    def record_fields(self, items: list, path: tuple) -> list[str]:
        """One comment line per field of flow-style records (they cannot carry comments themselves)."""
        keys = list(dict.fromkeys(k for item in items for k in item))
        model = model_at(path + (0, "_"))
        return [f"  {k}：{description(model, k)}" for k in keys if description(model, k)]

    def mapping(self, data: dict, path: tuple, indent: int, first_prefix: str | None = None) -> None:
        """Write a mapping; `first_prefix` replaces the indentation of its first line (“- ” of a list item)."""
        start = len(self.lines)
        first_line: int | None = None
        for key, value in data.items():
            sub = path + (key,)
            self.comment(indent, self.notes.before.get(sub, []))
            desc = self.described(sub)
            head = f"{' ' * indent}{scalar(key)}:"
            if isinstance(value, dict) and value and not self.notes.describe and _is_scalars(value) and len(value) <= 3 \
                    and not self.annotated(sub):
                if first_line is None:
                    first_line = len(self.lines)
                self.lines.append(f"{head} {_flow(value)}{self.trailing(sub)}")
            elif isinstance(value, (dict, list)) and value:
                if desc:
                    self.comment(indent, [desc])
                if isinstance(value, list) and self.notes.describe and all(_is_record(v) for v in value):
                    self.comment(indent, self.record_fields(value, sub))
                if first_line is None:
                    first_line = len(self.lines)
                self.lines.append(head + self.trailing(sub))
                if isinstance(value, dict):
                    self.mapping(value, sub, indent + 2)
                else:
                    self.sequence(value, sub, indent + 2)
            else:
                if first_line is None:
                    first_line = len(self.lines)
                shown = "[]" if value == [] else "{}" if value == {} else scalar(value)
                self.lines.append(f"{head} {shown}{self.trailing(sub, desc)}")
        self.comment(indent, self.notes.gaps.get(path, []))
        if first_prefix is not None:
            if first_line is None:   # an empty mapping as a list item
                self.lines.insert(start, f"{first_prefix}{{}}")
                return
            # comments written above the first key go above the “- ”
            self.lines[first_line] = first_prefix + self.lines[first_line][indent:]

    def sequence(self, items: list, path: tuple, indent: int) -> None:
        records = all(_is_record(v) for v in items)
        for n, item in enumerate(items):
            sub = path + (n,)
            self.comment(indent, self.notes.before.get(sub, []))
            prefix = f"{' ' * indent}- "
            if isinstance(item, dict) and records:
                self.lines.append(prefix + _flow(item) + self.trailing(sub))
            elif isinstance(item, dict):
                self.mapping(item, sub, indent + 2, first_prefix=prefix)
            elif isinstance(item, list):
                self.lines.append(prefix + _flow(item) + self.trailing(sub))
            else:
                self.lines.append(prefix + scalar(item) + self.trailing(sub))


def dump(data: dict, notes: Notes | None = None) -> str:
    """The YAML text of `data` (plain Python: dict/list/str/int/Decimal/date/bool/None) with `notes`."""
    notes = notes or Notes()
    w = _Writer(notes)
    w.comment(0, notes.header)
    w.mapping(data, (), 0)
    return "\n".join(w.lines) + "\n"


def json_text(data: dict) -> str:
    """`data` as JSON: amounts as exact JSON numbers (a Decimal is never a float on the way), dates as text."""
    import json
    from datetime import date

    marks: dict[str, str] = {}

    def plain(value: Any) -> Any:
        if isinstance(value, Decimal):
            key = f"\u0000{len(marks)}\u0000"
            marks[key] = format(value, "f")
            return key
        if isinstance(value, date):
            return value.isoformat()
        raise TypeError(type(value).__name__)

    text = json.dumps(data, ensure_ascii=False, indent=2, default=plain)
    for key, number in marks.items():
        text = text.replace(json.dumps(key), number)
    return text + "\n"


def budget_data(budget) -> dict:
    """A validated `Budget` as plain data to write: fields its source did not give left out (as a clerk
    would write them; reading back gives the same model), those it gave kept even where they equal the
    default (a project's type typed 其他运转类 is a fact the rules ask for: `project.type`), `scope` always
    written, enums as their text."""
    data = _plain(budget.model_dump(mode="python", exclude_unset=True))
    ordered = {}
    for key in type(budget).model_fields:
        if key == "scope":
            ordered[key] = budget.scope
        elif key in data:
            ordered[key] = data[key]
    return ordered


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if hasattr(value, "value") and isinstance(getattr(value, "value"), str):
        return value.value
    return value


def model_ordered(data: Any, path: tuple = ()) -> Any:
    """Unvalidated model-shaped data (a workbook with mistakes) with its keys in the model's field order."""
    if isinstance(data, list):
        return [model_ordered(v, path + (n,)) for n, v in enumerate(data)]
    if not isinstance(data, dict):
        return data
    model = model_at(path + ("_",))
    order = {k: n for n, k in enumerate(model.model_fields)} if model is not None else {}
    keys = sorted(data, key=lambda k: order.get(k, len(order))) if order else list(data)
    return {k: model_ordered(data[k], path + (k,)) for k in keys}
