"""Hostile or broken text in the input: what is refused, and the file names made from it.

Every text of the budget file is printed in published documents, and the organization's name also
becomes the output files' name. These rules (registered like those of `rules.py`) refuse what no
printed text should hold, located at its field:

- ``text.control`` (error): control characters (C0/C1, except tab and line breaks in texts), lone
  surrogates and noncharacters (U+FFFE, U+FFFF …: no document format can hold them), and the
  bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069, U+200E/U+200F, U+061C) that make
  a text display other than it reads (“Trojan Source”). In a *name* (the organization, its parent, units,
  projects — what becomes a title, a table row label or a file name) line breaks, tabs and every other
  invisible format character (zero-width space, soft hyphen, BOM) are refused too; in other texts those
  are a warning (they are invisible in print, but checkers flag them).
- ``text.length`` (error): a name longer than `MAX_NAME` characters. Real names are under 40; a
  10,000-character name is a paste accident or an attack on titles, contents and file names.

What is *not* refused, by decision: text that looks like a formula (``=HYPERLINK(…)``, ``+cmd|…``,
``@SUM(…)``, ``-1+1``), markup (``<script>``), template syntax (``{{ … }}``, ``{% … %}``, ``{org}``) or
a path (``../``, ``/``, ``\\``). These are legal text: every writer prints them literally (see
docs/security.md for how each format is kept from interpreting them), and `safe_filename` keeps them
out of file names.
"""
from __future__ import annotations

import functools
import re
import types
import typing
import unicodedata
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Any, Iterator

from pydantic import BaseModel

from .model import Budget, per_budget
from .problems import Problem
from .rules import Context, rule

MAX_NAME = 100
FILENAME_BYTES = 200   # a path component may hold 255 bytes (ext4, NTFS: 255 UTF-16 units); room for “.docx”

BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
LINE_BREAKS = frozenset("\t\n\r")

# The fields whose text is a name: printed as a title, a row label or a file name, never as running text.
NAME_FIELDS = {("organization", "name"), ("organization", "parent", "name"), ("organization", "units", "*", "name"),
               ("projects", "*", "name"), ("performance", "special_fund", "name")}


@per_budget
def texts(budget: Budget) -> Iterator[tuple[tuple, str, bool]]:
    """Every text of the budget — field values, and the keys of text-keyed maps such as vehicle kinds —
    as (path in the data, text, whether it is a key): what a clerk typed and the package may print."""
    return _walk(budget)


def _may_hold_text(tp: Any) -> bool:
    """Whether a field of this annotation can hold a text: not a money amount, a number, a date, a yes/no or a
    choice (an Enum is a choice, never the clerk's words)."""
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        return _may_hold_text(typing.get_args(tp)[0])
    if origin is typing.Union or origin is types.UnionType:
        return any(_may_hold_text(a) for a in typing.get_args(tp))
    if tp is type(None) or (isinstance(tp, type) and issubclass(tp, (Enum, Decimal, int, float, date))):
        return False     # bool is an int, datetime a date
    return True


@functools.cache
def _text_fields(cls: type[BaseModel]) -> tuple[str, ...]:
    """A model's fields that can hold a text, last first (the walk's stack gives them back in order): a 20,000-line
    budget's amounts, funds and kinds are ~100,000 values the walk need not visit."""
    return tuple(reversed([name for name, f in cls.model_fields.items() if _may_hold_text(f.annotation)]))


def _walk(budget: Budget) -> Iterator[tuple[tuple, str, bool]]:
    stack: list[tuple[tuple, Any]] = [((), budget)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, Enum):
            continue
        if isinstance(value, str):
            yield path, value, False
        elif isinstance(value, BaseModel):
            for name in _text_fields(type(value)):
                item = getattr(value, name)
                if item is not None:
                    stack.append((path + (name,), item))
        elif isinstance(value, dict):
            for key, item in reversed(list(value.items())):
                if isinstance(key, str):
                    yield path + (key,), key, True
                stack.append((path + (key,), item))
        elif isinstance(value, (list, tuple)):
            for i, item in reversed(list(enumerate(value))):
                stack.append((path + (i,), item))


def is_name(path: tuple) -> bool:
    pattern = tuple("*" if isinstance(p, int) else p for p in path)
    return pattern in NAME_FIELDS


def _describe(ch: str) -> str:
    name = unicodedata.name(ch, "")
    return f"U+{ord(ch):04X}{'（' + name + '）' if name else ''}"


def _unprintable(ch: str) -> bool:
    """A lone surrogate (only JSON escapes can carry one) or a noncharacter (U+FFFE, U+FFFF, U+FDD0–U+FDEF …):
    no document format can hold them (UTF-8 and XML refuse them)."""
    code = ord(ch)
    return 0xD800 <= code <= 0xDFFF or 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE


def invisible(ch: str, *, name: bool) -> str | None:
    """“error” / “warning” when `ch` must not be in a name (`name`) or a running text, else None."""
    if ch in BIDI or _unprintable(ch):
        return "error"
    category = unicodedata.category(ch)
    if category == "Cc":
        return "error" if name or ch not in LINE_BREAKS else None
    if category in ("Cf", "Zl", "Zp"):
        return "error" if name else "warning"
    return None


@rule("text.control", "error", "文字中不能有控制字符和双向文字控制符；名称中不能有换行、制表符和其他不可见字符")
def text_control(c: Context) -> Iterator[Problem]:
    for path, text, is_key in texts(c.budget):
        if text.isprintable():   # every character invisible() flags is unprintable to Python too
            continue
        name = is_name(path)
        found: dict[str, list[tuple[int, str]]] = {}
        for i, ch in enumerate(text):
            severity = invisible(ch, name=name)
            if severity:
                found.setdefault(severity, []).append((i, ch))
        for severity, chars in sorted(found.items()):
            shown = "；".join(f"第 {i + 1} 个字符是 {_describe(ch)}" for i, ch in chars[:3]) + ("……" if len(chars) > 3 else "")
            yield Problem("text.control", severity,
                          f"{'名称' if name else '文字'}中有不可见字符（{shown}）：{_why({ch for _, ch in chars})}，请删除",
                          (c.src.locate(path, key=is_key),))


def _why(chars: set[str]) -> str:
    reasons = []
    if chars & BIDI:
        reasons.append("双向文字控制符会让文字显示得与实际内容不同")
    if chars & LINE_BREAKS:
        reasons.append("名称印在标题、表格和文件名中，不能换行或含制表符")
    if any(unicodedata.category(ch) == "Cc" and ch not in LINE_BREAKS for ch in chars):
        reasons.append("控制字符无法打印")
    if any(_unprintable(ch) for ch in chars):
        reasons.append("代理项和非字符（U+FFFE、U+FFFF 等）不是文字，任何文件格式都无法保存")
    if not reasons:
        reasons.append("这些字符看不见（常由网页复制带入），公开文件中不应保留")
    return "；".join(reasons)


@rule("text.length", "error", f"名称不能超过 {MAX_NAME} 个字符")
def text_length(c: Context) -> Iterator[Problem]:
    for path, text, is_key in texts(c.budget):
        if len(text) > MAX_NAME and not is_key and is_name(path):
            yield Problem("text.length", "error",
                          f"名称有 {len(text)} 个字符，超过 {MAX_NAME} 个字符的上限（名称会印在标题、表头和文件名中）："
                          f"请只写全称，说明性文字写在其他字段", (c.at(*path),))


# ------------------------------------------------------------------ file names

_NOT_IN_FILENAMES = re.compile(r'[/\\:*?"<>|]')
_WINDOWS_RESERVED = re.compile(r"(CON|PRN|AUX|NUL|COM[0-9]|LPT[0-9])(\..*)?", re.IGNORECASE)


def safe_filename(title: str, limit: int = FILENAME_BYTES) -> str:
    """A file name (without extension) made from a title: path separators, characters Windows refuses
    (``\\ / : * ? " < > |``), control and invisible characters become “_”; leading dots and spaces (a
    hidden file, “..”) and trailing ones (Windows drops them) are removed; a Windows device name gets a
    “_” in front; longer than `limit` bytes of UTF-8, the middle gives way to “…” so that the year and
    “预算公开” at the end stay. Never empty."""
    name = "".join("_" if _NOT_IN_FILENAMES.match(ch) or invisible(ch, name=True) else ch for ch in title)
    name = name.strip(" .\u3000")
    if _WINDOWS_RESERVED.fullmatch(name):
        name = "_" + name
    if len(name.encode("utf-8")) > limit:
        tail = name[-12:]
        room = limit - len(("…" + tail).encode("utf-8"))
        head = name[:-12]
        while len(head.encode("utf-8")) > room:
            head = head[:-1]
        name = head.rstrip(" .") + "…" + tail
    return name or "预算公开"


__all__ = ["texts", "is_name", "safe_filename", "MAX_NAME", "NAME_FIELDS"]
