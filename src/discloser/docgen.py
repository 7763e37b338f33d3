"""Generate the README's file-format reference from the JSON Schema (run: python -m discloser.docgen).

The README section between the markers is replaced in place; a test fails when it is stale.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

from .schema import budget_schema

_CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”‘’]")
START, END = "<!-- format:start -->", "<!-- format:end -->"


def _type(prop: dict, defs: dict) -> str:
    if "$ref" in prop:
        return prop["$ref"].rsplit("/", 1)[-1]
    if "anyOf" in prop:
        return " 或 ".join(dict.fromkeys(_type(p, defs) for p in prop["anyOf"] if p.get("type") != "null"))
    if "enum" in prop:
        return " / ".join(str(v) for v in prop["enum"])
    t = prop.get("type")
    if t == "array":
        return f"[{_type(prop.get('items', {}), defs)}]"
    if t == "object":
        extra = prop.get("additionalProperties")
        return f"{{键: {_type(extra, defs)}}}" if isinstance(extra, dict) else "映射"
    if isinstance(t, list):
        return "金额" if set(t) >= {"integer", "string"} else "/".join(t)
    return {"string": "文本", "integer": "整数", "number": "数字", "boolean": "是 / 否"}.get(t or "", t or "任意")


def _one_line(text: str) -> str:
    """A description whole, on one line (its first line only cut `Review` mid-sentence, trialH-s28 D9): lines
    joined without a space between Chinese, with one elsewhere."""
    out = ""
    for line in (part.strip() for part in text.strip().splitlines()):
        if out and line:
            out += "" if _CJK.match(out[-1]) and _CJK.match(line[0]) else " "
        out += line
    return out


def _section(name: str, schema: dict, defs: dict) -> list[str]:
    desc = _one_line(schema.get("description", ""))
    lines = [f"#### `{name}`", ""]
    if desc:
        lines += [desc, ""]
    if "enum" in schema:
        return lines + ["取值：" + "、".join(str(v) for v in schema["enum"]), ""]
    required = set(schema.get("required", []))
    lines += ["| 字段 | 类型 | 必填 | 说明 |", "|---|---|---|---|"]
    for key, prop in schema.get("properties", {}).items():
        d = _one_line(prop.get("description") or "").replace("|", "\\|")
        t = _type(prop, defs).replace("|", "\\|")
        lines.append(f"| `{key}` | {t} | {'是' if key in required else ''} | {d} |")
    return lines + [""]


def format_reference() -> str:
    schema = budget_schema()
    defs = schema.get("$defs", {})
    out = _section("Budget（文件顶层）", schema, defs)
    for name in sorted(defs):
        out += _section(name, defs[name], defs)
    return "\n".join(out).rstrip() + "\n"


def update_readme(path: Path) -> bool:
    text = path.read_text(encoding="utf-8")
    new = re.sub(re.escape(START) + ".*?" + re.escape(END), lambda m: f"{START}\n{format_reference()}{END}", text, flags=re.S)
    if new != text:
        path.write_text(new, encoding="utf-8")
        return True
    return False


if __name__ == "__main__":
    readme = Path(sys.argv[1] if len(sys.argv) > 1 else "README.md")
    print("README 已更新" if update_readme(readme) else "README 已是最新")
