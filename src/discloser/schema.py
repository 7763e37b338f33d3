"""JSON Schema of the budget file, with the Chinese field descriptions, for editors (VS Code)."""
from __future__ import annotations

import re
from typing import Any

from . import model
from .model import Budget

_CJK = re.compile(r"[\u4e00-\u9fff]")


def _for_clerks(node: Any) -> Any:
    """What an editor shows a clerk: the Chinese descriptions. pydantic's generated titles (“Carry
    Forward”) and the models' English docstrings (notes for developers) are left out."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "title" and isinstance(value, str):
                continue
            if key == "description" and isinstance(value, str) and not _CJK.search(value):
                continue
            out[key] = _for_clerks(value) if key not in ("default", "examples", "const", "enum") else value
        return out
    if isinstance(node, list):
        return [_for_clerks(v) for v in node]
    return node


def _described(schema: dict[str, Any], cls: Any) -> None:
    """A model's description is the one written for clerks (`model.for_clerks`), whole; a docstring, which
    pydantic would use, is a developer's note (“编制与人员。Every count is optional…” was shown to clerks)."""
    schema.pop("description", None)
    text = getattr(cls, "__for_clerks__", None)
    if text:
        schema["description"] = text


def budget_schema() -> dict[str, Any]:
    schema = Budget.model_json_schema(mode="validation")
    _described(schema, Budget)
    for name, definition in schema.get("$defs", {}).items():
        _described(definition, getattr(model, name))
    schema = _for_clerks(schema)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "部门预算公开数据文件"
    return schema
