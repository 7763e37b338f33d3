"""Read a YAML or JSON budget file into plain data, remembering where every value stands.

Decisions (documented in the README):
- Money must stay exact: numbers with a fraction become `Decimal` built from their source
  text, never float. Integers stay `int`. Codes written with a leading zero stay text.
- Only ``true``/``false`` are booleans (YAML 1.1's yes/no/on/off stay text); dates stay text.
- A UTF-8 BOM (Windows Notepad writes one) is accepted; any other encoding is refused with the
  position of the first bad byte (a GBK file is the usual case).
- Anchors and aliases are refused: a budget file never needs them, and refusing them rules out
  alias bombs. Nesting deeper than `MAX_DEPTH` and files over `MAX_BYTES` are refused before
  any parsing, so hostile input is answered within milliseconds.
- Integer mapping keys (``2080505:``) are taken as text; other non-text keys are errors.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from .problems import Location, Problem, SourceError, format_field_path

MAX_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 40
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_INT = re.compile(r"^[-+]?(0|[1-9][0-9_]*)$")
_FLOAT = re.compile(r"^[-+]?(\d[\d_]*)?\.\d*([eE][-+]?\d+)?$|^[-+]?\d[\d_]*[eE][-+]?\d+$")
_SPECIAL_FLOAT = re.compile(r"^[-+]?\.(inf|Inf|INF)$|^\.(nan|NaN|NAN)$")
_NULL = {"", "~", "null", "Null", "NULL"}


@dataclass
class Source:
    path: str
    data: Any
    positions: dict[tuple, tuple[int, int]] = field(default_factory=dict)       # value positions
    key_positions: dict[tuple, tuple[int, int]] = field(default_factory=dict)   # mapping key positions

    def locate(self, path: tuple, *, key: bool = False) -> Location:
        """Where `path` stands; the nearest known ancestor when the path itself is absent."""
        table = self.key_positions if key else self.positions
        probe = tuple(path)
        while probe:
            pos = table.get(probe) or self.positions.get(probe)
            if pos:
                return Location(self.path, pos[0], pos[1], format_field_path(tuple(path)))
            probe = probe[:-1]
        pos = self.positions.get(())
        return Location(self.path, pos[0] if pos else None, pos[1] if pos else None, format_field_path(tuple(path)))


def _problem(path: str, rule: str, message: str, line: int | None = None, column: int | None = None, fld: str = "") -> Problem:
    return Problem(rule, "error", message, (Location(path, line, column, fld),))


def _read_text(path: str) -> str:
    p = Path(path)
    if not p.exists():
        raise SourceError([_problem(path, "source.missing", "找不到文件")])
    if p.is_dir():
        raise SourceError([_problem(path, "source.missing", "这是一个文件夹，不是预算数据文件")])
    if p.suffix.lower() not in (".yaml", ".yml", ".json"):
        raise SourceError([_problem(path, "source.format", "只支持 .yaml / .yml / .json 文件")])
    try:
        size = p.stat().st_size
        if size > MAX_BYTES:
            raise SourceError([_problem(path, "source.too-large",
                                        f"文件有 {size / 1024 / 1024:.1f} MB，超过上限 {MAX_BYTES // 1024 // 1024} MB；预算数据文件不应这么大")])
        raw = p.read_bytes()
    except OSError as e:
        raise SourceError([_problem(path, "source.unreadable", f"无法读取文件：{e.strerror}")]) from None
    if b"\x00" in raw:
        raise SourceError([_problem(path, "source.binary", "不是文本文件（含有二进制内容）")])
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        before = raw[:e.start]
        line = before.count(b"\n") + 1
        col = len(before[before.rfind(b"\n") + 1:].decode("utf-8", "replace")) + 1
        raise SourceError([_problem(path, "source.encoding", "文件不是 UTF-8 编码（可能是 GBK），请在编辑器中另存为 UTF-8", line, col)]) from None
    if not text.strip():
        raise SourceError([_problem(path, "source.empty", "文件为空")])
    return text


def _check_yaml_events(path: str, text: str) -> list[Problem]:
    """Tabs in indentation, anchors/aliases and excessive depth — before composing anything."""
    problems = []
    for n, line in enumerate(text.splitlines(), 1):
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in indent and line.strip():
            problems.append(_problem(path, "source.tab", f"第 {n} 行使用了制表符（Tab）缩进，YAML 只允许空格缩进，请改用空格",
                                     n, indent.index("\t") + 1))
    if problems:
        return problems
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.AliasEvent):
                m = event.start_mark
                problems.append(_problem(path, "source.alias", "不支持 YAML 别名（*名称）：请把内容直接写出来", m.line + 1, m.column + 1))
            elif getattr(event, "anchor", None):
                m = event.start_mark
                problems.append(_problem(path, "source.alias", "不支持 YAML 锚点（&名称）：请把内容直接写出来", m.line + 1, m.column + 1))
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    m = event.start_mark
                    problems.append(_problem(path, "source.too-deep", f"嵌套超过 {MAX_DEPTH} 层，不像预算数据文件", m.line + 1, m.column + 1))
                    return problems
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
            if len(problems) >= 50:
                break
    except yaml.MarkedYAMLError as e:
        problems.append(_syntax_problem(path, e))
    return problems


def _syntax_problem(path: str, e: yaml.MarkedYAMLError) -> Problem:
    mark = e.problem_mark or e.context_mark
    detail = " ".join(x for x in (e.context, e.problem) if x)
    hint = ""
    if "mapping values are not allowed" in detail:
        hint = "（常见原因：冒号后缺少空格，或缩进不对齐）"
    elif "could not find expected ':'" in detail:
        hint = "（常见原因：缺少冒号，或引号没有配对）"
    elif "found character '\\t'" in detail:
        hint = "（请把制表符改为空格）"
    line, col = (mark.line + 1, mark.column + 1) if mark else (None, None)
    return _problem(path, "source.syntax", f"YAML 语法错误{hint}：{detail}", line, col)


class _Builder:
    """Turns composed YAML nodes into plain data with positions; reports duplicate keys."""

    def __init__(self, path: str):
        self.path = path
        self.positions: dict[tuple, tuple[int, int]] = {}
        self.key_positions: dict[tuple, tuple[int, int]] = {}
        self.problems: list[Problem] = []

    def build(self, node: Any, at: tuple = ()) -> Any:
        self.positions[at] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, MappingNode):
            out: dict[str, Any] = {}
            first: dict[str, int] = {}
            for key_node, value_node in node.value:
                key = self.key(key_node, at)
                if key is None:
                    continue
                line, col = key_node.start_mark.line + 1, key_node.start_mark.column + 1
                if key in first:
                    self.problems.append(_problem(self.path, "source.duplicate-key",
                                                  f"键“{key}”重复（第 {first[key]} 行已出现）；同一层不能写两次", line, col,
                                                  format_field_path(at + (key,))))
                    continue
                first[key] = line
                self.key_positions[at + (key,)] = (line, col)
                out[key] = self.build(value_node, at + (key,))
                if isinstance(value_node, (MappingNode, SequenceNode)) and value_node.flow_style is not True:
                    self.positions[at + (key,)] = (line, col)   # a block list/mapping is where its key stands
            return out
        if isinstance(node, SequenceNode):
            return [self.build(item, at + (n,)) for n, item in enumerate(node.value)]
        return self.scalar(node)

    def key(self, node: Any, at: tuple) -> str | None:
        if isinstance(node, ScalarNode):
            value = self.scalar(node)
            if isinstance(value, str):
                return value
            if isinstance(value, int) and not isinstance(value, bool):
                return node.value   # 2080505: → "2080505"
        m = node.start_mark
        self.problems.append(_problem(self.path, "source.key", "键必须是文本（名称）", m.line + 1, m.column + 1, format_field_path(at)))
        return None

    @staticmethod
    def scalar(node: ScalarNode) -> Any:
        text = node.value
        if node.style is not None and node.style != "":   # quoted or block scalar: always text
            return text
        if text in _NULL:
            return None
        if text.lower() in ("true", "false"):
            return text.lower() == "true"
        if _INT.match(text):
            return int(text.replace("_", ""))
        if _FLOAT.match(text):
            try:
                return Decimal(text.replace("_", ""))
            except InvalidOperation:
                return text
        if _SPECIAL_FLOAT.match(text):
            if "nan" in text.lower():
                return Decimal("NaN")
            return Decimal("-Infinity" if text.startswith("-") else "Infinity")   # rejected by the money check
        return text


def _json_depth_ok(path: str, text: str) -> Problem | None:
    depth = 0
    in_string = escaped = False
    line = 1
    col = 0
    for ch in text:
        col += 1
        if ch == "\n":
            line += 1
            col = 0
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return _problem(path, "source.too-deep", f"嵌套超过 {MAX_DEPTH} 层，不像预算数据文件", line, col)
        elif ch in "]}":
            depth -= 1
    return None


def _load_json(path: str, text: str) -> Source:
    deep = _json_depth_ok(path, text)
    if deep:
        raise SourceError([deep])

    def no_constants(name: str) -> Any:
        raise ValueError(f"JSON 中不能使用 {name}")

    try:
        data = json.loads(text, parse_float=Decimal, parse_constant=no_constants)
    except json.JSONDecodeError as e:
        raise SourceError([_problem(path, "source.syntax", f"JSON 语法错误：{e.msg}", e.lineno, e.colno)]) from None
    except ValueError as e:
        raise SourceError([_problem(path, "source.syntax", str(e))]) from None
    # Positions (and duplicate keys) come from composing the same text as YAML, which JSON nearly is.
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError:
        return Source(path, data)
    builder = _Builder(path)
    rebuilt = builder.build(node) if node is not None else None
    if builder.problems:
        raise SourceError(builder.problems)
    return Source(path, rebuilt if rebuilt is not None else data, builder.positions, builder.key_positions)


def load_source(path: str | Path) -> Source:
    """Read and parse `path`; raise `SourceError` with every problem found."""
    p = str(path)
    text = _read_text(p)
    if p.lower().endswith(".json"):
        return _load_json(p, text)
    problems = _check_yaml_events(p, text)
    if problems:
        raise SourceError(problems)
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as e:
        raise SourceError([_syntax_problem(p, e)]) from None
    except yaml.YAMLError as e:
        raise SourceError([_problem(p, "source.syntax", f"YAML 语法错误：{e}")]) from None
    if node is None:
        raise SourceError([_problem(p, "source.empty", "文件为空")])
    builder = _Builder(p)
    data = builder.build(node)
    if builder.problems:
        raise SourceError(builder.problems)
    return Source(p, data, builder.positions, builder.key_positions)
