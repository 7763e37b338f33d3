"""JSON Schema of the budget file, with the Chinese field descriptions, for editors (VS Code)."""
from __future__ import annotations

from typing import Any

from .model import Budget


def budget_schema() -> dict[str, Any]:
    schema = Budget.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "部门预算公开数据文件"
    return schema
