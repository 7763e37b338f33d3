"""Read a YAML or JSON budget file into plain data, remembering where every value stands.

`load_source(path)` returns a `Source`: the data as plain Python (dict / list / str / int /
Decimal / bool / None) and, for every mapping value and sequence item, its 1-based
(line, column), so that later checks can point at ``文件:行:列 字段``. Every user mistake
becomes a `SourceError` carrying located Chinese `Problem`s — all of them when the parser
can go on, never a traceback.

Decisions:
- Only ``.yaml`` / ``.yml`` / ``.json`` files are read; anything else is refused.
- Money must stay exact: a number with a fraction or an exponent becomes `Decimal` built from
  its source text (``1234.50`` → ``Decimal("1234.50")``), never float; JSON the same
  (``parse_float=Decimal``). Integers stay `int`. Integers written with a leading zero
  (``0101``), hexadecimal / octal / sexagesimal forms and dates (``2024-12-31``) stay text.
- YAML ``.nan`` / ``.inf`` / ``-.inf`` become ``Decimal("NaN")`` / ``Decimal("Infinity")`` /
  ``Decimal("-Infinity")``: they are legal YAML, and the money validator rejects them with the
  field's own location and wording. JSON ``NaN`` / ``Infinity`` are not JSON: refused here.
- Only ``true`` / ``false`` (any letter case) are booleans; YAML 1.1's yes/no/on/off stay text
  (clerks write 是/否 anyway). ``~``, ``null`` and an empty value are None.
- Quoted and block (``|``, ``>``) scalars are always text; so is a scalar tagged ``!!str``.
  Any other explicit tag (``!!python/object`` …) is refused.
- A UTF-8 BOM (Windows Notepad writes one) is accepted and stripped. Any other encoding is
  refused with the line and column of the first bad byte (a GBK file is the usual case);
  UTF-16 (Notepad's “Unicode”) gets its own message; NUL bytes or many control bytes mean
  “not a text file”. Invisible control characters in YAML are reported where they stand.
- Anchors, aliases and merge keys (``&a``, ``*a``, ``<<``) are refused: a budget file never
  needs them, and refusing them rules out alias bombs. A second YAML document (``---``) is
  refused.
- Files over `MAX_BYTES` are refused before reading; nesting deeper than `MAX_DEPTH` is
  refused while streaming (YAML events / a JSON token scan), before anything recursive runs.
  Hostile input (50 MB, alias bomb, 10000-deep brackets) is answered in milliseconds.
- Tabs: YAML forbids them for indentation. When the parser stops on one, every tab-indented
  line is reported (“第 N 行使用了制表符（Tab）缩进”), not the parser's cryptic message.
  Tabs inside text (block scalars, quoted strings, JSON whitespace) are fine.
- Mapping keys are text. A plain integer key (``2080505:``, a function code) is taken as its
  text; other non-text keys (null, true, 1.5, lists …) are errors. Duplicate keys are errors
  at the second key, naming the first key's line.
- Positions: a value's (line, column) is where the value starts, except that a block list or
  block mapping under a key stands where its key stands (``expenditures:`` rather than the first
  item's line). `Source.key_positions` also records where each key stands.
- Reporting: at most `MAX_PROBLEMS` problems (the last one says when more were left out). A
  syntax error stops the parser; problems found before it are reported with it.
- YAML is streamed with libyaml (CSafeLoader's parser) when available, else PyYAML's pure-Python
  parser; data is built from the event stream directly (no composer, no constructor), which is
  what gives every value its position, and is non-recursive.
"""
from __future__ import annotations

import json
import os
import re
import stat
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Iterable

import yaml
from yaml.events import (AliasEvent, DocumentStartEvent, MappingEndEvent, MappingStartEvent, ScalarEvent,
                         SequenceEndEvent, SequenceStartEvent)

from .problems import Location, Problem, SourceError, format_field_path

MAX_BYTES = 16 * 1024 * 1024   # ≈ 100,000 line items in block style: well past the 20,000-item target
MAX_DEPTH = 40
MAX_PROBLEMS = 50
MAX_ALIAS_NODES = 20000   # profiles may share column lists through aliases; budget files may not
SUFFIXES = (".yaml", ".yml", ".json")

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_INT = re.compile(r"[-+]?(?:0|[1-9][0-9_]*)")
_FLOAT = re.compile(r"[-+]?(?:[0-9][0-9_]*\.[0-9_]*|\.[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)?|[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+")
_SPECIAL_FLOAT = re.compile(r"[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)")
_NULL = frozenset(("", "~", "null", "Null", "NULL"))
_MAYBE_NOT_TEXT = frozenset("0123456789+-.~nNtTfF")
_STR_TAG = "tag:yaml.org,2002:str"
# Characters YAML does not allow in a stream (YAML 1.1 “printable” set, complemented).
_BAD_YAML_CHAR = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_CONTROL_BYTES = bytes(b for b in range(32) if b not in b"\t\n\r\x0c\x1a") + b"\x7f"
_NO_SPACE_AFTER_COLON = re.compile(r"\s*(?:- )?[^\s:#'\"{\[][^\s:]*:[^\s/:]")
_FULLWIDTH = "，：“”‘’｛｝［］、；"
_JSON_TOKEN = re.compile(r'"[^"\\\n]*(?:\\.[^"\\\n]*)*"?|[{}\[\]:,]|[^\s{}\[\]:,"]+')


@dataclass
class Source:
    path: str                                                                   # as the user gave it
    data: Any
    positions: dict[tuple, tuple[int, int]] = field(default_factory=dict)       # value positions, () = root
    key_positions: dict[tuple, tuple[int, int]] = field(default_factory=dict)   # where each mapping key stands

    def locate(self, path: tuple, *, key: bool = False) -> Location:
        """Where `path` stands (its key with ``key=True``); the nearest known ancestor when the path
        itself is absent (e.g. a missing field is located at its parent)."""
        path = tuple(path)
        table = self.key_positions if key else self.positions
        probe = path
        while True:
            pos = table.get(probe) or self.positions.get(probe)
            if pos or not probe:
                break
            probe = probe[:-1]
        line, column = pos if pos else (None, None)
        return Location(self.path, line, column, format_field_path(path))

    def in_own_terms(self, problems: list) -> list:
        """`problems` worded as this kind of file shows its fields (a data file's field paths as they are)."""
        return problems


# --------------------------------------------------------------------------- reading bytes

def _error(path: str, rule: str, message: str, line: int | None = None, column: int | None = None,
           fld: str = "", *more: Location) -> Problem:
    return Problem(rule, "error", message, (Location(path, line, column, fld), *more))


def _capped(problems: list[Problem]) -> list[Problem]:
    """At most `MAX_PROBLEMS`; when some were left out, the last one listed says so."""
    if len(problems) <= MAX_PROBLEMS:
        return problems
    last = problems[MAX_PROBLEMS - 1]
    note = f"（问题太多，只列出了前 {MAX_PROBLEMS} 个；请先改正这些再重试）"
    return problems[:MAX_PROBLEMS - 1] + [replace(last, message=last.message + note)]


def _refuse(path: str, rule: str, message: str, line: int | None = None, column: int | None = None) -> SourceError:
    return SourceError([_error(path, rule, message, line, column)])


def _read_bytes(path: str) -> bytes:
    try:
        st = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        raise _refuse(path, "source.missing", "找不到文件，请检查文件名和所在文件夹") from None
    except PermissionError:
        raise _refuse(path, "source.unreadable", "没有权限读取该文件") from None
    except (OSError, ValueError) as e:
        raise _refuse(path, "source.unreadable", f"无法读取文件（{getattr(e, 'strerror', None) or e}）") from None
    if stat.S_ISDIR(st.st_mode):
        raise _refuse(path, "source.missing", "这是一个文件夹，不是预算数据文件")
    if Path(path).suffix.lower() not in SUFFIXES:
        raise _refuse(path, "source.format", "只支持 .yaml / .yml / .json 格式的预算数据文件")
    if not stat.S_ISREG(st.st_mode):
        raise _refuse(path, "source.unreadable", "不是普通文件，无法作为预算数据文件读取")
    if st.st_size > MAX_BYTES:
        raise _too_large(path, st.st_size)
    try:
        with open(path, "rb") as f:
            raw = f.read(MAX_BYTES + 1)
    except PermissionError:
        raise _refuse(path, "source.unreadable", "没有权限读取该文件") from None
    except OSError as e:
        raise _refuse(path, "source.unreadable", f"无法读取文件（{e.strerror or e}）") from None
    if len(raw) > MAX_BYTES:   # grew since stat
        raise _too_large(path, len(raw))
    return raw


def _too_large(path: str, size: int) -> SourceError:
    mb = 1024 * 1024
    return _refuse(path, "source.too-large",
                   f"文件有 {size / mb:.1f} MB（{size} 字节），超过上限 {MAX_BYTES // mb} MB（{MAX_BYTES} 字节）；"
                   "预算数据文件不应这么大，请确认选对了文件")


def _line_col(text: str | bytes, index: int) -> tuple[int, int]:
    """1-based line and column (in characters) of `index`; lines end at "\\n" only, as in editors."""
    nl = "\n" if isinstance(text, str) else b"\n"
    line = text.count(nl, 0, index) + 1
    start = text.rfind(nl, 0, index) + 1
    if isinstance(text, bytes):
        return line, len(text[start:index].decode("utf-8", "replace")) + 1
    return line, index - start + 1


def _decode(path: str, raw: bytes) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")) or (b"\x00" in raw and _looks_utf16(raw)):
        raise _refuse(path, "source.encoding",
                      "文件是 UTF-16 编码（记事本中的“Unicode”），请在编辑器中另存为 UTF-8")
    if b"\x00" in raw:
        raise _refuse(path, "source.binary", "不是文本文件（含有二进制内容），请确认选对了文件")
    controls = len(raw) - len(raw.translate(None, _CONTROL_BYTES))
    if controls > max(8, len(raw) // 100):
        raise _refuse(path, "source.binary", "不是文本文件（含有大量控制字符），请确认选对了文件")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line, col = _line_col(raw, e.start)
        start, end = raw.rfind(b"\n", 0, e.start) + 1, raw.find(b"\n", e.start)
        try:   # the offending line reads as GBK/GB18030 (Chinese Windows' “ANSI”): say so
            raw[start:end if end >= 0 else len(raw)].decode("gb18030")
            guess = "（可能是 GBK）"
        except UnicodeDecodeError:
            guess = ""
        raise _refuse(path, "source.encoding",
                      f"文件不是 UTF-8 编码{guess}，请在编辑器中另存为 UTF-8"
                      f"（第一个无法识别的字节 0x{raw[e.start]:02X} 在第 {line} 行第 {col} 列）", line, col) from None


def _looks_utf16(raw: bytes) -> bool:
    sample = raw[:4096]
    half = len(sample) // 2
    return half > 0 and (sample[0::2].count(0) > half * 0.4 or sample[1::2].count(0) > half * 0.4)


# --------------------------------------------------------------------------- YAML

def _resolve_plain(text: str) -> Any:
    """A plain (unquoted) YAML scalar → None / bool / int / Decimal / str, money kept exact."""
    if text and text[0] not in _MAYBE_NOT_TEXT:
        return text
    if text in _NULL:
        return None
    low = text.lower()
    if low == "true":
        return True
    if low == "false":
        return False
    if _INT.fullmatch(text):
        return _integer(text.replace("_", ""))
    if _FLOAT.fullmatch(text):
        try:
            return Decimal(text.replace("_", ""))
        except InvalidOperation:   # pragma: no cover - the pattern only admits valid numbers
            return text
    if _SPECIAL_FLOAT.fullmatch(text):
        if "nan" in low:
            return Decimal("NaN")
        return Decimal("-Infinity" if text.startswith("-") else "Infinity")
    return text


def _show_tag(tag: str) -> str:
    return "!!" + tag[len("tag:yaml.org,2002:"):] if tag.startswith("tag:yaml.org,2002:") else tag


def _count_nodes(value: Any) -> int:
    stack, n = [value], 0
    while stack:
        v = stack.pop()
        n += 1
        if isinstance(v, dict):
            stack.extend(v.values())
        elif isinstance(v, list):
            stack.extend(v)
    return n


class _Frame:
    __slots__ = ("container", "path", "is_map", "expect_key", "key", "key_pos", "seen", "index", "anchor")

    def __init__(self, container: Any, path: tuple | None, anchor: str | None = None):
        self.anchor = anchor                   # the collection's own anchor (&name), when aliases are allowed
        self.container = container
        self.path = path                       # None: inside a part that is discarded (bad key …)
        self.is_map = isinstance(container, dict)
        self.expect_key = True
        self.key: str | None = None
        self.key_pos: tuple[int, int] = (0, 0)
        self.seen: dict[str, tuple[int, int]] = {}
        self.index = 0


class _Stop(Exception):
    """Enough: too deep, a second document, or too many problems."""


class _YamlBuilder:
    """Builds plain data with positions from a YAML event stream; collects every problem."""

    def __init__(self, path: str, allow_aliases: bool = False):
        self.path = path
        self.allow_aliases = allow_aliases
        self.anchors: dict[str, tuple[Any, tuple | None]] = {}   # name → (value, path)
        self.expanded = 0                      # nodes copied by aliases (capped: no alias bombs)
        self.positions: dict[tuple, tuple[int, int]] = {}
        self.key_positions: dict[tuple, tuple[int, int]] = {}
        self.problems: list[Problem] = []
        self.scalar_lines: list[tuple[int, int]] = []   # (first, last) lines of multi-line scalars
        self.root: Any = None
        self.has_root = False
        self.stack: list[_Frame] = []
        self.documents = 0

    def add(self, rule: str, message: str, mark: Any, fld: str = "", *more: Location) -> None:
        self.problems.append(_error(self.path, rule, message, mark.line + 1, mark.column + 1, fld, *more))
        if len(self.problems) > MAX_PROBLEMS:
            raise _Stop

    def run(self, events: Iterable[Any]) -> None:
        """`event` for each event; the two commonest — a plain or quoted scalar, untagged, as a text key or as a value
        in a mapping or list that is kept — are handled inline (a 20,000-item file is ~320,000 events, and the
        method calls per event were a sixth of reading it). Anything else (tags, anchors, keys that are not plain text, a
        repeated key, the root) takes `event`'s full path, which the inline code mirrors."""
        stack, positions, key_positions, scalar_lines = self.stack, self.positions, self.key_positions, self.scalar_lines
        scalar, str_tag, resolve = ScalarEvent, _STR_TAG, _resolve_plain
        text_keys: set[str] = set()     # plain keys already seen to read as text (“fund”, “name”: not null/true/a number)
        try:
            for event in events:
                if type(event) is not scalar or event.anchor is not None or not stack or \
                        (event.tag is not None and event.tag != str_tag):
                    self.event(event)
                    continue
                top = stack[-1]
                text = event.value
                start = event.start_mark
                line = start.line
                if event.end_mark.line > line:
                    scalar_lines.append((line + 1, event.end_mark.line + 1))
                text_only = bool(event.style) or event.tag is not None
                if top.is_map and top.expect_key:
                    key_path = top.path
                    if key_path is None or text in top.seen or not (text_only or text in text_keys):
                        if key_path is not None and not text_only and text != "<<" and type(resolve(text)) is str:
                            text_keys.add(text)
                        self.key(top, event, text_only)
                        continue
                    pos = (line + 1, start.column + 1)
                    top.seen[text] = pos
                    key_positions[key_path + (text,)] = pos
                    top.key, top.key_pos, top.expect_key = text, pos, False
                    continue
                value = text if text_only else resolve(text)
                if top.path is None:
                    self.place(value, event, False)
                elif top.is_map:
                    if top.key is not None:
                        path = top.path + (top.key,)
                        top.container[top.key] = value
                        positions[path] = (line + 1, start.column + 1)
                    top.key, top.expect_key = None, True
                else:
                    path = top.path + (top.index,)
                    top.container.append(value)
                    positions[path] = (line + 1, start.column + 1)
                    top.index += 1
        except _Stop:
            pass

    def event(self, event: Any) -> None:
        cls = type(event)
        if cls is ScalarEvent:
            self.check_anchor_and_tag(event)
            start, end = event.start_mark, event.end_mark
            if end.line > start.line:
                self.scalar_lines.append((start.line + 1, end.line + 1))
            text_only = bool(event.style) or event.tag == _STR_TAG
            top = self.stack[-1] if self.stack else None
            if top is not None and top.is_map and top.expect_key:
                self.key(top, event, text_only)
            else:
                value = event.value if text_only else _resolve_plain(event.value)
                path = self.place(value, event, False)
                if self.allow_aliases and event.anchor is not None:
                    self.anchors[event.anchor] = (value, path)
        elif cls is MappingStartEvent or cls is SequenceStartEvent:
            self.check_anchor_and_tag(event)
            if len(self.stack) >= MAX_DEPTH:
                self.add("source.too-deep", f"嵌套超过 {MAX_DEPTH} 层，不像预算数据文件", event.start_mark)
                raise _Stop
            container: Any = {} if cls is MappingStartEvent else []
            top = self.stack[-1] if self.stack else None
            if top is not None and top.is_map and top.expect_key:
                m = event.start_mark
                self.add("source.key", "键必须是文本（名称），不能是列表或映射", m, format_field_path(top.path or ()))
                top.key, top.expect_key = None, False
                self.stack.append(_Frame(container, None))
            else:
                path = self.place(container, event, not event.flow_style)
                self.stack.append(_Frame(container, path, event.anchor if self.allow_aliases else None))
        elif cls is MappingEndEvent or cls is SequenceEndEvent:
            frame = self.stack.pop()
            if frame.anchor is not None:
                self.anchors[frame.anchor] = (frame.container, frame.path)
        elif cls is AliasEvent and self.allow_aliases:
            self.alias(event)
        elif cls is AliasEvent:
            self.add("source.alias", f"不支持 YAML 别名（*{event.anchor}）：请把内容直接写出来", event.start_mark)
            top = self.stack[-1] if self.stack else None
            if top is not None and top.is_map and top.expect_key:
                top.key, top.expect_key = None, False
            else:
                self.place(None, event, False)
        elif cls is DocumentStartEvent:
            self.documents += 1
            if self.documents > 1:
                self.add("source.documents", "一个文件只能有一份数据：请不要用“---”分隔出第二个文档", event.start_mark)
                raise _Stop

    def alias(self, event: Any) -> None:
        """A copy of the anchored value where the alias stands (positions copied from the anchor's), at
        most `MAX_ALIAS_NODES` nodes in all, so an alias bomb is refused, not expanded."""
        import copy

        if event.anchor not in self.anchors:
            self.add("source.alias", f"别名 *{event.anchor} 指向的锚点 &{event.anchor} 不在它之前", event.start_mark)
            return
        value, origin = self.anchors[event.anchor]
        self.expanded += _count_nodes(value)
        if self.expanded > MAX_ALIAS_NODES:
            self.add("source.alias", f"别名展开后超过 {MAX_ALIAS_NODES} 个值，不像配置文件", event.start_mark)
            raise _Stop
        top = self.stack[-1] if self.stack else None
        if top is not None and top.is_map and top.expect_key:
            self.add("source.key", "键必须是文本（名称），不能是别名", event.start_mark)
            top.key, top.expect_key = None, False
            return
        path = self.place(copy.deepcopy(value), event, False)
        if path is not None and origin is not None:
            n = len(origin)
            for table in (self.positions, self.key_positions):
                for k, pos in [(k, v) for k, v in table.items() if k[:n] == origin and len(k) > n]:
                    table[path + k[n:]] = pos

    def check_anchor_and_tag(self, event: Any) -> None:
        if event.anchor is not None and not self.allow_aliases:
            self.add("source.alias", f"不支持 YAML 锚点（&{event.anchor}）：请把内容直接写出来", event.start_mark)
        tag = event.tag
        if tag is not None and tag != "!" and not (tag == _STR_TAG and type(event) is ScalarEvent):
            self.add("source.tag", f"不支持 YAML 类型标记“{_show_tag(tag)}”：请直接写值（需要文本时加引号）",
                     event.start_mark)

    def key(self, top: _Frame, event: ScalarEvent, text_only: bool) -> None:
        m = event.start_mark
        pos = (m.line + 1, m.column + 1)
        text = event.value
        key: str | None = text
        if not text_only:
            value = _resolve_plain(text)
            if text == "<<":
                self.add("source.alias", "不支持 YAML 合并键（<<）：请把内容直接写出来", m, format_field_path(top.path or ()))
                key = None
            elif isinstance(value, int) and not isinstance(value, bool):
                key = text                      # 2080505: → "2080505"
            elif not isinstance(value, str):
                shown = "空值" if value is None else f"“{text}”"
                self.add("source.key", f"键必须是文本（名称），此处是{shown}；如确要用它作键，请加引号", m,
                         format_field_path(top.path or ()))
                key = None
        if key is not None and top.path is not None:
            first = top.seen.get(key)
            if first is not None:
                self.add("source.duplicate-key",
                         f"键“{key}”重复（第 {first[0]} 行已出现）；同一层不能写两次，请合并或删除其一", m,
                         format_field_path(top.path + (key,)),
                         Location(self.path, first[0], first[1], format_field_path(top.path + (key,))))
                key = None
            else:
                top.seen[key] = pos
                self.key_positions[top.path + (key,)] = pos
        top.key, top.key_pos, top.expect_key = key, pos, False

    def place(self, value: Any, event: Any, block_collection: bool) -> tuple | None:
        """Put a value where it belongs; return its path (None when discarded)."""
        m = event.start_mark
        pos = (m.line + 1, m.column + 1)
        if not self.stack:
            self.root, self.has_root = value, True
            self.positions[()] = pos
            return ()
        top = self.stack[-1]
        path: tuple | None = None
        if top.is_map:
            if top.path is not None and top.key is not None:
                path = top.path + (top.key,)
                top.container[top.key] = value
                self.positions[path] = top.key_pos if block_collection else pos
            top.key, top.expect_key = None, True
        else:
            if top.path is not None:
                path = top.path + (top.index,)
                top.container.append(value)
                self.positions[path] = pos
            top.index += 1
        return path


_YAML_HINTS = [   # (words in the parser's message, Chinese explanation)
    ("mapping values are not allowed", "这里不能出现“键: 值”（常见原因：值里含有“: ”却没加引号，上一行的冒号后缺少空格，或缩进没对齐）"),
    ("could not find expected ':'", "缺少冒号（常见原因：键后没写英文冒号和空格、用了中文冒号“：”，或引号没有配对）"),
    ("did not find expected key", "缩进没对齐，或这一行不是“键: 值”的格式"),
    ("did not find expected '-' indicator", "列表项没对齐（每一项都应以“- ”开头，并与上一项对齐）"),
    ("did not find expected ',' or ']'", "方括号 [ ] 里缺少逗号，或缺少右方括号 ]"),
    ("did not find expected ',' or '}'", "花括号 { } 里缺少逗号，或缺少右花括号 }"),
    ("found unexpected end of stream", "文件意外结束（常见原因：引号或括号没有配对）"),
    ("found unknown escape character", "双引号里的反斜杠转义无效（含反斜杠的文字请改用单引号）"),
    ("hexdecimal number", "双引号里的反斜杠转义无效（含反斜杠的文字请改用单引号）"),
    ("hexadecimal numbers", "双引号里的反斜杠转义无效（含反斜杠的文字请改用单引号）"),
    ("cannot start any token", "这个字符不能作为值的开头（以 @、`、% 等开头的文字请加引号）"),
    ("did not find expected node content", "这里缺少值"),
    ("expected <block end>", "缩进没对齐"),
    ("while scanning an alias", "“*”开头的文字会被当作别名，请加引号"),
    ("while scanning an anchor", "“&”开头的文字会被当作锚点，请加引号"),
    ("while scanning a block scalar", "“|”或“>”后的多行文字格式不对"),
    ("found undefined tag handle", "“!”开头的文字会被当作类型标记，请加引号"),
]


def _quote_open_at(lines: list[str], upto: int) -> tuple[int, int] | None:
    """(line, column), 0-based, of a quote that opens a scalar and is still open where line `upto` begins:
    a quote left open reads on into the following lines, and the parser stops only later, where the text
    stops making sense (trialT-s24 D11: line 13 for the quote of line 9)."""
    quote, start = "", (0, 0)
    for n, line in enumerate(lines[:upto]):
        i, before = 0, "" if quote else "-"    # a quote opens a scalar only after ": ", "- ", "[", "{", "," or indentation
        while i < len(line):
            ch = line[i]
            if quote == '"' and ch == "\\":
                i += 2
                continue
            if quote:
                if ch == quote:
                    if quote == "'" and line[i + 1:i + 2] == "'":
                        i += 2
                        continue
                    quote, before = "", "x"
            elif ch == "#" and (i == 0 or line[i - 1] in " \t"):
                break
            elif ch in "\"'" and before in "-:[{,":
                quote, start = ch, (n, i)
            elif not ch.isspace():
                before = ch
            i += 1
    return start if quote else None


def _unclosed_flow(path: str, lines: list[str], e: yaml.MarkedYAMLError, builder: "_YamlBuilder | None") -> Problem | None:
    """A [ or { not closed on its line: the parser reads on and stops lines later (trialG-s28 D10: line 23 for the
    [ of line 22) — said at the bracket, with the field it opens (the builder holds it, open), the stop as well."""
    opened, stop = e.context_mark, e.problem_mark
    if e.context not in ("while parsing a flow sequence", "while parsing a flow mapping") or opened is None \
            or stop is None or opened.line >= stop.line:
        return None
    quote = _quote_open_at(lines, stop.line)
    if quote is not None and quote > (opened.line, opened.column):
        return None             # a quote opened inside the brackets is what is open (trialX-s28 N7)
    pair = ("[", "]") if "sequence" in e.context else ("{", "}")
    at = (opened.line + 1, opened.column + 1)
    frames = builder.stack if builder is not None else []
    fld = next((format_field_path(f.path) for f in reversed(frames)
                if f.path is not None and builder.positions.get(f.path) == at), "")
    read = f"第 {stop.line + 1} 行" if any(line.strip() for line in lines[stop.line:]) else "文件末尾"
    message = (f"YAML 语法错误：第 {at[0]} 行的“{pair[0]}”没有配对的“{pair[1]}”（或其中两项之间缺少逗号），"
               f"读到{read}才出错。请在这一项末尾补上“{pair[1]}”")
    return _error(path, "source.syntax", message, at[0], at[1], fld, Location(path, stop.line + 1, stop.column + 1))


def _field_on_line(builder: "_YamlBuilder | None", line: int) -> str:
    """The field whose key stands on `line` (1-based; the outermost, leftmost, where several do): a syntax error is
    said with the field the clerk was writing, as every other problem is (trialX-s28 N7)."""
    if builder is None:
        return ""
    on_line = [(pos[1], path) for path, pos in builder.key_positions.items() if pos[0] == line]
    return format_field_path(min(on_line)[1]) if on_line else ""


def _yaml_syntax_problem(path: str, text_lines: list[str], e: yaml.MarkedYAMLError,
                         builder: "_YamlBuilder | None" = None) -> Problem:
    unclosed = _unclosed_flow(path, text_lines, e, builder)
    if unclosed is not None:
        return unclosed
    detail = " ".join(x for x in (e.context, e.problem) if x)
    explain = next((zh for words, zh in _YAML_HINTS if words in detail), "")
    primary, extra = e.problem_mark, []
    if e.context_mark is not None and e.problem_mark is not None and e.context_mark.line < e.problem_mark.line \
            and e.context in ("while scanning a simple key", "while scanning a quoted scalar"):
        primary, extra = e.context_mark, [Location(path, e.problem_mark.line + 1, e.problem_mark.column + 1)]
    primary = primary or e.context_mark
    opened = _quote_open_at(text_lines, primary.line) if primary is not None else None
    stop = primary
    quoted = e.context_mark if e.context == "while scanning a quoted scalar" else None
    if opened is None and quoted is not None and 0 <= quoted.line < len(text_lines) \
            and text_lines[quoted.line][quoted.column:quoted.column + 1] in ("'", '"'):
        # the parser's mark is the quote itself (a ' left open inside [ ], trialV2-s29 D4); it stopped at problem_mark
        opened, stop = (quoted.line, quoted.column), e.problem_mark or primary
    if opened is not None:
        n, col = opened
        read = f"第 {stop.line + 1} 行" if stop.line < len(text_lines) and text_lines[stop.line].strip() else "文件末尾"
        message = (f"YAML 语法错误：第 {n + 1} 行的引号“{text_lines[n][col]}”没有配对：引号后的文字（包括换行）都读作"
                   f"引号里的内容，读到{read}才出错。请在第 {n + 1} 行补上右引号")
        return _error(path, "source.syntax", message, n + 1, col + 1, _field_on_line(builder, n + 1),
                      Location(path, stop.line + 1, stop.column + 1))
    hint = ""
    closing = text_lines[primary.line][primary.column:primary.column + 1] if primary is not None \
        and 0 <= primary.line < len(text_lines) else ""
    if closing in ("]", "}") and e.context and "block" in e.context:    # libyaml says only “did not find expected key”
        explain = f"多了一个“{closing}”（前面没有与它配对的“{'[' if closing == ']' else '{'}”），请删去"
    elif primary is not None:
        for n in (primary.line, primary.line - 1):   # the culprit is often the line before the mark
            line = text_lines[n] if 0 <= n < len(text_lines) else ""
            if "：" in line and ": " not in line and not line.lstrip().startswith("#"):
                hint = f"；第 {n + 1} 行用了中文冒号“：”，键后应写英文冒号加空格“: ”"
            elif _NO_SPACE_AFTER_COLON.match(line):
                hint = f"；第 {n + 1} 行的冒号后面缺少空格（应写成“键: 值”）"
            elif "，" in line and "缺少逗号" in explain:
                hint = f"；第 {n + 1} 行用了中文逗号“，”，各项之间应写英文逗号加空格“, ”"
            if hint:
                if n != primary.line:
                    extra.append(Location(path, n + 1, None))
                break
    message = f"YAML 语法错误：{explain or '格式不正确（请对照上下行的写法检查缩进、冒号、引号和括号）'}{hint}"
    line_no, col = (primary.line + 1, primary.column + 1) if primary is not None else (None, None)
    return _error(path, "source.syntax", message, line_no, col, _field_on_line(builder, line_no), *extra)


def _tab_problems(path: str, lines: list[str], builder: _YamlBuilder) -> list[Problem]:
    inside = {n for first, last in builder.scalar_lines for n in range(first + 1, last + 1)}   # scalars don't overlap
    out = []
    for n, line in enumerate(lines, 1):
        if "\t" not in line:
            continue
        stripped = line.lstrip(" \t")
        indent = line[: len(line) - len(stripped)]
        if not stripped or "\t" not in indent and not re.match(r"[ \t]*-\t", line):
            continue
        if n in inside:
            continue
        col = (indent.index("\t") if "\t" in indent else line.index("\t")) + 1
        out.append(_error(path, "source.tab", f"第 {n} 行使用了制表符（Tab）缩进，YAML 只能用空格缩进，请改用空格", n, col))
        if len(out) > MAX_PROBLEMS:
            break
    return out


def _tab_caused(e: yaml.MarkedYAMLError, lines: list[str]) -> bool:
    mark = e.problem_mark
    if "tab" in (e.problem or "") or mark is None:
        return "tab" in (e.problem or "")
    if 0 <= mark.line < len(lines):
        line = lines[mark.line]
        if mark.column < len(line) and line[mark.column] == "\t":
            return True
        return "\t" in line[: len(line) - len(line.lstrip(" \t"))]
    return False


def _load_yaml(path: str, text: str, allow_aliases: bool = False) -> Source:
    lines = text.split("\n")
    bad_chars = []
    for m in _BAD_YAML_CHAR.finditer(text):
        line, col = _line_col(text, m.start())
        bad_chars.append(_error(path, "source.control-char",
                                f"第 {line} 行第 {col} 列有不可见的控制字符 U+{ord(m.group()):04X}，YAML 不允许，请删除",
                                line, col))
        if len(bad_chars) > MAX_PROBLEMS:
            break
    if bad_chars:
        raise SourceError(_capped(bad_chars))

    builder = _YamlBuilder(path, allow_aliases)
    try:
        builder.run(yaml.parse(text, Loader=_Loader))
    except yaml.MarkedYAMLError as e:
        if _tab_caused(e, lines):
            tabs = _tab_problems(path, lines, builder)
            if not tabs:
                m = e.problem_mark
                tabs = [_error(path, "source.tab",
                               f"第 {m.line + 1} 行使用了制表符（Tab），YAML 只能用空格缩进，请改用空格", m.line + 1, m.column + 1)]
            raise SourceError(_capped(builder.problems + tabs)) from None
        raise SourceError(_capped(builder.problems + [_yaml_syntax_problem(path, lines, e, builder)])) from None
    except yaml.YAMLError as e:   # reader errors; the character check above normally catches them first
        where = getattr(e, "position", None)
        line, col = _line_col(text, where) if isinstance(where, int) else (None, None)
        raise SourceError(_capped(builder.problems + [_error(path, "source.syntax", "YAML 读取错误：文件中有 YAML 不允许的字符", line, col)])) from None
    if builder.problems:
        raise SourceError(_capped(builder.problems))
    if not builder.has_root or builder.root is None:
        raise _refuse(path, "source.empty", "文件为空（没有任何数据，只有空白或注释）")
    return Source(path, builder.root, builder.positions, builder.key_positions)


# --------------------------------------------------------------------------- JSON

_JSON_HINTS = [
    ("Expecting property name enclosed in double quotes", "这里应是用英文双引号括起来的键名"),
    ("Expecting value", "这里缺少值"),
    ("Expecting ',' delimiter", "缺少逗号"),
    ("Expecting ':' delimiter", "键名后缺少冒号"),
    ("Unterminated string starting at", "字符串缺少结尾的英文双引号"),
    ("Invalid control character at", "字符串里不能直接出现换行、制表符等控制字符（请写成 \\n、\\t）"),
    ("Invalid \\escape", "字符串里的反斜杠转义无效（反斜杠本身要写成 \\\\）"),
    ("Invalid \\uXXXX escape", "字符串里的 \\u 转义无效"),
    ("Extra data", "JSON 内容结束后还有多余的内容"),
]


def _json_syntax_problem(path: str, text: str, e: json.JSONDecodeError) -> Problem:
    explain = next((zh for words, zh in _JSON_HINTS if e.msg.startswith(words)), "格式不正确（请检查这里的引号、逗号和括号）")
    ch = text[e.pos] if e.pos < len(text) else ""
    before = text[:e.pos].rstrip()[-1:]
    hint = ""
    if ch and ch in _FULLWIDTH:
        hint = f"；这里是中文标点“{ch}”，JSON 必须使用英文标点"
    elif ch == "'":
        hint = "；JSON 的键名和文字必须用英文双引号，不能用单引号"
    elif text.startswith(("//", "/*"), e.pos) or ch == "#":
        hint = "；JSON 不支持注释"
    elif before == "," and ch in "]}" and ch:
        hint = "；最后一项后面多了一个逗号"
    return _error(path, "source.syntax", f"JSON 语法错误：{explain}{hint}", e.lineno, e.colno)


def _json_key(token: str) -> str:
    if "\\" not in token:
        return token[1:-1]
    try:
        return json.loads(token)
    except ValueError:
        return token[1:-1]


def _scan_json(path: str, text: str) -> tuple[dict, dict, list[Problem], Problem | None]:
    """One pass over JSON tokens: positions, key positions, duplicate keys and NaN (problems),
    and excessive depth (returned separately, found before any recursive parsing)."""
    positions: dict[tuple, tuple[int, int]] = {}
    key_positions: dict[tuple, tuple[int, int]] = {}
    problems: list[Problem] = []
    stack: list[_Frame] = []
    line, line_start, last = 1, 0, 0
    for m in _JSON_TOKEN.finditer(text):
        tok = m.group()
        c = tok[0]
        start = m.start()
        if c == ",":
            if stack:
                top = stack[-1]
                if top.is_map:
                    top.expect_key = True
                else:
                    top.index += 1
            continue
        if c == ":":
            if stack:
                stack[-1].expect_key = False
            continue
        if c == "}" or c == "]":
            if stack:
                stack.pop()
            continue
        newlines = text.count("\n", last, start)
        if newlines:
            line += newlines
            line_start = text.rfind("\n", last, start) + 1
        last = start
        pos = (line, start - line_start + 1)
        top = stack[-1] if stack else None
        if top is not None and top.is_map and top.expect_key:
            if c == '"':
                key = _json_key(tok)
                if top.path is not None:
                    first = top.seen.get(key)
                    fld = format_field_path(top.path + (key,))
                    if first is not None:
                        problems.append(_error(path, "source.duplicate-key",
                                               f"键“{key}”重复（第 {first[0]} 行已出现）；同一层不能写两次，请合并或删除其一",
                                               pos[0], pos[1], fld, Location(path, first[0], first[1], fld)))
                        key = None
                    else:
                        top.seen[key] = pos
                        key_positions[top.path + (key,)] = pos
                top.key = key
            continue   # anything else where a key belongs is a syntax error json.loads reports
        if top is None:
            value_path: tuple | None = () if () not in positions else None
        elif top.is_map:
            value_path = top.path + (top.key,) if top.path is not None and top.key is not None else None
        else:
            value_path = top.path + (top.index,) if top.path is not None else None
        if value_path is not None:
            positions[value_path] = pos
        if c == "{" or c == "[":
            if len(stack) >= MAX_DEPTH:
                return positions, key_positions, problems, _error(
                    path, "source.too-deep", f"嵌套超过 {MAX_DEPTH} 层，不像预算数据文件", pos[0], pos[1])
            stack.append(_Frame({} if c == "{" else [], value_path))
        elif tok in ("NaN", "Infinity", "-Infinity"):
            problems.append(_error(path, "source.syntax", f"JSON 不允许 {tok}，请写出具体数字", pos[0], pos[1],
                                   format_field_path(value_path or ())))
    return positions, key_positions, problems, None


def _integer(text: str) -> int | Decimal:
    """An integer as typed; over Python's 4,300 digits a Decimal, which the caps refuse at the value (trialT-s24 D8)."""
    try:
        return int(text)
    except ValueError:
        return Decimal(text)


def _load_json(path: str, text: str) -> Source:
    positions, key_positions, problems, too_deep = _scan_json(path, text)
    if too_deep is not None:
        raise SourceError([too_deep])
    try:
        data = json.loads(text, parse_float=Decimal, parse_constant=Decimal)
    except json.JSONDecodeError as e:
        raise SourceError([_json_syntax_problem(path, text, e)]) from None
    except ValueError:   # an integer over Python's 4,300 digits: read again, such integers as Decimals (as YAML)
        data = json.loads(text, parse_float=Decimal, parse_constant=Decimal, parse_int=_integer)
    except RecursionError:   # pragma: no cover - the scan refuses deep nesting first
        raise _refuse(path, "source.too-deep", f"嵌套超过 {MAX_DEPTH} 层，不像预算数据文件") from None
    if problems:
        raise SourceError(_capped(problems))
    if data is None:
        raise _refuse(path, "source.empty", "文件为空（只有 null）")
    return Source(path, data, positions, key_positions)


# --------------------------------------------------------------------------- entry point

def load_source(path: str | Path, *, allow_aliases: bool = False) -> Source:
    """Read and parse a ``.yaml`` / ``.yml`` / ``.json`` budget file.

    `allow_aliases` (for profile files, which share column lists) expands YAML anchors and aliases,
    capped at `MAX_ALIAS_NODES` copied values. Raises `SourceError` carrying every problem found
    (located, in Chinese)."""
    p = str(path)
    text = _decode(p, _read_bytes(p))
    if not text.strip():
        raise _refuse(p, "source.empty", "文件为空")
    if p.lower().endswith(".json"):
        return _load_json(p, text)
    return _load_yaml(p, text, allow_aliases)


def top_level_keys(path: str | Path, stop: frozenset[str] = frozenset()) -> set[str] | None:
    """The keys of a file's top-level mapping, read as parser events only (no values built, no positions
    kept), stopping at the first key in `stop`; None when the file is not a readable mapping (its real
    problems are reported by `load_source`). Telling a profile from a budget file this way costs a
    fraction of parsing a 20,000-item file a second time."""
    p = str(path)
    try:
        text = _decode(p, _read_bytes(p))
        keys: set[str] = set()
        depth, at_key = 0, False
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, (MappingStartEvent, SequenceStartEvent)):
                if depth == 0 and not isinstance(event, MappingStartEvent):
                    return None
                depth += 1
                at_key = depth == 1
            elif isinstance(event, (MappingEndEvent, SequenceEndEvent)):
                depth -= 1
                at_key = depth == 1
            elif isinstance(event, (ScalarEvent, AliasEvent)) and depth <= 1:
                if depth == 0:
                    return None
                if at_key and isinstance(event, ScalarEvent):
                    keys.add(event.value)
                    if event.value in stop:
                        return keys
                at_key = not at_key
        return keys
    except (SourceError, yaml.YAMLError):
        return None


__all__ = ["Source", "SourceError", "load_source", "top_level_keys", "MAX_BYTES", "MAX_DEPTH"]
