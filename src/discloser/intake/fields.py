"""The model's fields as a clerk reads them: Chinese descriptions and the model class at a data path.

The descriptions come from the model itself (the JSON Schema's ``description``, as the README's
format reference); the few fields the model leaves undescribed get theirs here, so that every field
a starter or an import writes carries a Chinese comment.
"""
from __future__ import annotations

import re
import typing
from functools import lru_cache
from typing import Any

from pydantic import BaseModel

from ..model import Budget

# Fields the model leaves without a description (class name, field) → description.
EXTRA = {
    ("Budget", "projects"): "项目支出的项目：名称、编码、类型、简介与绩效目标",
    ("Budget", "procurement"): "政府采购预算：品目、类别（货物/工程/服务）、金额",
    ("Budget", "prior_year"): "上年预算数与增减原因（说明中的“较上年增加/减少”由此计算）",
    ("Budget", "performance"): "绩效目标：部门整体与专项资金",
    ("Organization", "contact"): "联系人与电话",
    ("Performance", "department"): "部门整体支出绩效目标",
    ("Performance", "special_fund"): "专项资金绩效目标",
    ("DepartmentPerformance", "indicators"): "部门整体绩效指标",
    ("SpecialFundPerformance", "long_term_goals"): "专项资金中长期目标",
    ("SpecialFundPerformance", "goals"): "专项资金年度目标",
    ("SpecialFundPerformance", "indicators"): "专项资金绩效指标（不填则沿用部门整体绩效指标）",
    ("ProjectPerformance", "indicators"): "项目绩效指标",
    ("Procurement", "category"): "采购类别：货物 / 工程 / 服务",
    ("Procurement", "unit"): "单位编码（多单位部门填写）",
    ("Assets", "as_of"): "统计时点的说法",
    ("HistoryYear", "year"): "年度",
}


@lru_cache(maxsize=None)
def _schema_descriptions() -> dict[tuple[str, str], str]:
    schema = Budget.model_json_schema(mode="validation")
    out = {}
    for name, definition in [("Budget", schema), *schema.get("$defs", {}).items()]:
        for key, prop in definition.get("properties", {}).items():
            if prop.get("description"):
                out[(name, key)] = prop["description"]
    return out


def value_at(data: Any, path: tuple) -> Any:
    """The value at `path` (keys and list indices) in plain data; None where the path leads nowhere."""
    for part in path:
        if isinstance(data, dict):
            data = data.get(part)
        elif isinstance(data, list) and isinstance(part, int) and part < len(data):
            data = data[part]
        else:
            return None
    return data


def description(model: type[BaseModel] | None, key: str) -> str:
    """The Chinese description of `model.key` ('' when unknown)."""
    if model is None:
        return ""
    return _schema_descriptions().get((model.__name__, key)) or EXTRA.get((model.__name__, key), "")


def short_label(model: type[BaseModel] | None, key: str) -> str:
    """The first words of the description (“单位性质（…）” → “单位性质”), for messages."""
    text = description(model, key)
    start = text.find("（")
    if start > 0:
        depth, end = 0, len(text)
        for i in range(start, len(text)):
            depth += {"（": 1, "）": -1}.get(text[i], 0)
            if depth == 0:
                end = i + 1
                break
        if end >= len(text) or text[end] in "，；：。":
            text = text[:start]      # “单位性质（……）” / “金额（元），……” → the words before the note
    return re.split(r"[，；：。 ]", text)[0] or key


def _inner(tp: Any) -> Any:
    """list[X] / dict[str, X] / X | None / Annotated[X, …] → X (the model class when there is one)."""
    for _ in range(6):
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            return tp
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if not args:
            return tp
        models = [a for a in args if isinstance(a, type) and issubclass(a, BaseModel)]
        tp = models[0] if models else args[-1] if typing.get_origin(tp) is not typing.Annotated else args[0]
    return tp


def _is_dict(tp: Any) -> bool:
    for _ in range(6):
        if typing.get_origin(tp) is dict:
            return True
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if not args or typing.get_origin(tp) is list:
            return False
        tp = args[0]
    return False


def model_at(path: tuple) -> type[BaseModel] | None:
    """The model class whose field the last key of `path` is (None inside free-form dicts and lists)."""
    model: Any = Budget
    free_key = False            # the next key is a key of a dict field (a code, a note's name …)
    for part in path[:-1]:
        if isinstance(part, int) or free_key:
            free_key = False
            continue
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            return None
        info = model.model_fields.get(part)
        if info is None:
            return None
        free_key = _is_dict(info.annotation)
        model = _inner(info.annotation)
    if free_key:
        return None
    return model if isinstance(model, type) and issubclass(model, BaseModel) else None
