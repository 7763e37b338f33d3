"""“待填” markers: what a generated file still needs from the clerk, listed by `validate`.

Two kinds, written by ``init``, ``import`` and ``rollover`` and read back here:

- **a value “待填”** (``amount: 待填``, or a workbook cell holding 待填): a fact that must be given
  before anything is built — rollover's cleared amounts, a unit kind an export cannot tell. Each is
  an **error** (`gap.value`) at its own place; the schema's complaint about the same field (“不是合法金额”)
  is replaced by it, so the clerk reads one clear message per blank.
- **a comment starting with “待填”** (``# 待填：主要职责（导出数据中没有）`` in a YAML file; a workbook
  cell's comment, which rollover writes where the YAML has its line): a part the source did not have, or a
  text kept from last year to revise. Each is a **warning** (`gap.todo`) at its line (its cell) — `validate` passes, ``--strict`` does not — until the clerk fills the part and deletes the
  comment (like a linter's list of TODO comments).

Decision: a cleared amount is the text 待填, never 0 — a forgotten 0 would validate and print.
"""
from __future__ import annotations

from typing import Any

from ..problems import Location, Problem, format_field_path
from ..profile import NONE_WORDS
from ..source import Source
from .fields import model_at, short_label

MARK = "待填"


def _walk(data: Any, path: tuple = ()):
    if isinstance(data, dict):
        for k, v in data.items():
            yield from _walk(v, path + (k,))
    elif isinstance(data, list):
        for n, v in enumerate(data):
            yield from _walk(v, path + (n,))
    else:
        yield path, data


def _has_mark(data: Any) -> bool:
    """Whether any value is a 待填 marker, without building paths (most files have none: a 20,000-line file's walk
    with paths took 0.1 s to find nothing)."""
    stack = [data]
    while stack:
        container = stack.pop()
        for value in container.values() if type(container) is dict else container:
            kind = type(value)
            if kind is str:
                if MARK in value and value.strip() == MARK:
                    return True
            elif kind is dict or kind is list:
                stack.append(value)
    return False


def value_gaps(src: Source) -> list[Problem]:
    if not isinstance(src.data, (dict, list)) or not _has_mark(src.data):
        return []
    out = []
    for path, value in _walk(src.data):
        if isinstance(value, str) and value.strip() == MARK and path:
            what = short_label(model_at(path), path[-1]) if not isinstance(path[-1], int) else _item_label(path)
            none = NONE_WORDS.get(".".join(map(str, path)))      # a whole list 待填: how to say “none”
            out.append(Problem("gap.value", "error", f"{what}待填：请填写后再生成" + (f"（{none}）" if none else ""),
                               (src.locate(path),)))
    return out


def _item_label(path: tuple) -> str:
    """An item of a list of values (rollover's 上年 of 近两年指标值): “近两年指标值第2个”, in the field's words."""
    if len(path) > 1 and isinstance(path[-2], str):
        label = short_label(model_at(path[:-1]), path[-2])
        if label != path[-2]:
            return f"{label}第{path[-1] + 1}个"
    return format_field_path(path)


def _comment_start(line: str) -> int:
    """Index of the “#” that starts a YAML comment on `line`, or -1 (a “#” inside quotes is text)."""
    quote = ""
    for i, c in enumerate(line):
        if quote:
            if c == quote and not (quote == '"' and line[i - 1] == "\\"):
                quote = ""
        elif c in "\"'" and (i == 0 or line[i - 1] in " \t[{,:-"):
            quote = c
        elif c == "#" and (i == 0 or line[i - 1] in " \t"):
            return i
    return -1


def comment_gaps(path: str) -> list[Problem]:
    """Every comment of a YAML file that starts with 待填, as a located warning."""
    if not path.lower().endswith((".yaml", ".yml")):
        return []
    try:
        with open(path, encoding="utf-8-sig", errors="replace") as f:
            lines = f.read().split("\n")
    except OSError:
        return []
    out = []
    for n, line in enumerate(lines, 1):
        if MARK not in line:        # most lines: no 待填 at all (a 20,000-item file is scanned in milliseconds)
            continue
        start = _comment_start(line)
        if start < 0:
            continue
        text = line[start + 1:].strip()
        if text.startswith(MARK):
            rest = text[len(MARK):].lstrip("：: ")
            hint = "" if "删去这行注释" in rest else "（填好后删去这行注释）"   # rollover's own line says it already
            out.append(Problem("gap.todo", "warning", f"待填：{rest}{hint}", (Location(path, n, start + 1),)))
    return out


def cell_gaps(src: Source) -> list[Problem]:
    """A workbook's cell comments that start with 待填 (it has no comment lines), as located warnings."""
    return [Problem("gap.todo", "warning", f"待填：{text[len(MARK):].lstrip('：: ')}（填好后删去这条批注）", (where,))
            for where, text in getattr(src, "todos", ())]


def with_gaps(src: Source, problems: list[Problem]) -> list[Problem]:
    """`problems` with the file's 待填 markers listed first, each replacing the schema's complaint about the same field."""
    values = value_gaps(src)
    marked = {p.locations[0] for p in values}    # where each marker stands (a workbook's field is its header)
    kept = [p for p in problems if not (p.rule.startswith("schema.") and p.locations and p.locations[0] in marked)]
    return values + kept + comment_gaps(src.path) + cell_gaps(src)


def _placeholder(path: tuple) -> Any:
    """A value the model accepts where a 待填 stands (the first choice of an enum, an empty list or mapping where
    a whole list or mapping is 待填 — rollover's “none” to confirm, `procurement: 待填` — else 0)."""
    import typing
    from enum import Enum

    from .fields import _inner

    model = model_at(path)
    info = model.model_fields.get(path[-1]) if model is not None and not isinstance(path[-1], int) else None
    origins = {typing.get_origin(a) for a in typing.get_args(info.annotation)} | {typing.get_origin(info.annotation)} \
        if info is not None else set()
    if list in origins or dict in origins:
        return [] if list in origins else {}
    tp = _inner(info.annotation) if info is not None else None
    if isinstance(tp, type) and issubclass(tp, Enum):
        return next(iter(tp)).value
    return 0


def data_with_gaps(path: str) -> tuple[dict | None, list[Problem]]:
    """A budget file's complete, typed data (defaults filled in) with its 待填 values kept as 待填 —
    what converting a file that is still being filled needs. (None, problems) when it has other errors."""
    from ..model import Budget
    from ..validate import load
    from .workbook.write import budget_plain

    loaded = load(path)
    if loaded.budget is not None:
        return budget_plain(loaded.budget), loaded.problems
    others = [p for p in loaded.errors if not p.rule.startswith("gap.") and p.rule != "needs.missing"]   # a part to add
    if others or loaded.source is None:
        return None, loaded.problems
    data, marked = filled_in(loaded.source.data)
    try:
        plain = budget_plain(Budget.model_validate(data))
    except ValueError:
        return None, loaded.problems
    for p in marked:
        _put(plain, p, MARK)
    return plain, loaded.problems


def filled_in(data: Any) -> tuple[Any, list[tuple]]:
    """A copy of a file's data with a placeholder the model accepts where each 待填 value stands, and those places."""
    import copy

    marked = [p for p, v in _walk(data) if isinstance(v, str) and v.strip() == MARK and p]
    data = copy.deepcopy(data)
    for p in marked:
        _put(data, p, _placeholder(p))
    return data, marked


def _put(data: Any, path: tuple, value: Any) -> None:
    for part in path[:-1]:
        data = data[part]
    data[path[-1]] = value
