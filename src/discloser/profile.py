"""Province profiles: layout differences as data, never as `if province == ...` code.

A profile (``profiles/<name>.yaml``) says which tables the package holds, in which order, with
which numbers, titles and builder options; which narrative template and sections to use; the
unit (元 / 万元); fonts; and the default empty-table reasons. A user may pass a profile file of
their own (``--profile path.yaml``) that ``extends`` a shipped one and overrides parts of it.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field

_DIR = Path(__file__).resolve().parent / "profiles"


class TableSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    key: str = Field(description="表的标识，用于空表理由覆盖等")
    builder: str = Field(description="表的构造器名")
    number: str = ""
    title: str
    empty_reason: str | None = None
    options: dict[str, Any] = Field(default_factory=dict)


# Year-on-year wordings the narrative templates choose from (`n.change(..., style=…)`); a profile
# may add or override entries under `phrases:`.
PHRASES: dict[str, dict[str, str]] = {
    "compare": {"up": "较上年增加{amount}", "down": "较上年减少{amount}", "same": "与上年持平",
                "up_percent": "，增长{percent}", "down_percent": "，下降{percent}", "reason": "，主要原因是{reason}"},
    "growth": {"up": "增长{amount}", "down": "减少{amount}", "same": "与上年持平",
               "up_percent": "，增长{percent}", "down_percent": "，下降{percent}", "reason": "，主要原因：{reason}"},
    "hubei": {"up": "比上年增加{amount}", "down": "比上年减少{amount}", "same": "与上年持平",
              "up_percent": "，增加{percent}", "down_percent": "，减少{percent}", "reason": "，主要原因：{reason}"},
}


class Profile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    label: str
    unit: str = "yuan"
    title: str = "{org}{year}年{scope}预算公开"
    subtitle: str = "{year}年{scope}预算公开说明"
    date_line: str = ""
    tables_title: str = "{year}年部门（单位）综合预算公开报表"
    tables_preamble: list[str] = Field(default_factory=list)
    toc_notes: list[str] = Field(default_factory=list)
    department_label: str = "部门（单位）名称"
    narrative: list[str] = Field(description="说明的部分与章节，按顺序：以 .j2 结尾的是 templates/narrative/ 下的章节模板，其余是标题行（如“# {scope}概况”）")
    numbering: dict[int, str] = Field(default_factory=lambda: {1: "第{cn}部分 ", 2: "{cn}、", 3: "（{cn}）", 4: "{n}. "},
                                      description="各级标题的编号格式")
    restart_sections_per_part: bool = Field(True, description="“一、”级编号是否在每个部分重新开始（陕西为连续编号）")
    glossary: list[list[str]] = Field(default_factory=list, description="名词解释：[[名词, 解释], …]")
    fonts: dict[str, str] = Field(default_factory=dict)
    table_scale_min: float = Field(0.7, ge=0.5, le=1.0, description="表格最小缩放比例：PDF/Word 表格字号与 Excel 打印缩放不低于此值")
    indicator_levels: dict[str, list[str]] = Field(default_factory=dict, description="允许的一级指标 → 二级指标")
    rules_off: list[str] = Field(default_factory=list, description="关闭的校验规则 id")
    task_columns: list[str] = Field(default_factory=lambda: ["财政拨款", "其他资金"])
    phrases: dict[str, dict[str, str]] = Field(default_factory=lambda: {k: dict(v) for k, v in PHRASES.items()},
                                               description="较上年增减的措辞，按风格")
    tables: list[TableSpec]
    templates: str | None = Field(None, description="省份自己的模板文件夹（相对于本配置文件）：可含 narrative/、html/、"
                                                    "docx/reference.docx、xlsx/template.xlsx，缺少的沿用随包模板")

    def template_override(self, relative: str) -> Path | None:
        """The province's own version of a shipped template (file or folder), if it has one."""
        if not self.templates:
            return None
        path = Path(self.templates) / relative
        return path if path.exists() else None


def _merge(base: dict, over: dict) -> dict:
    out = dict(base)
    for k, v in over.items():
        out[k] = _merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


def _read(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    data = {k: v for k, v in data.items() if not k.startswith("_")}  # "_x": YAML anchors only
    if data.get("templates"):
        data["templates"] = str((path.parent / data["templates"]).resolve())
    parent = data.pop("extends", None)
    overrides = data.pop("table_overrides", [])
    if parent:
        data = _merge(_read(_DIR / f"{parent}.yaml"), data)
    if overrides:   # replace the parent's table with the same key in place; append new keys
        tables = list(data.get("tables", []))
        index = {t["key"]: n for n, t in enumerate(tables)}
        for spec in overrides:
            if spec["key"] in index:
                tables[index[spec["key"]]] = spec
            else:
                tables.append(spec)
        data["tables"] = tables
    return data


@lru_cache(maxsize=None)
def load_profile(name_or_path: str) -> Profile:
    path = Path(name_or_path)
    if path.suffix not in (".yaml", ".yml"):
        path = _DIR / f"{name_or_path}.yaml"
    if not path.is_file():
        raise LookupError(f"找不到版式配置“{name_or_path}”（可用：{', '.join(available_profiles())}）")
    return Profile.model_validate(_read(path))


def available_profiles() -> list[str]:
    return sorted(p.stem for p in _DIR.glob("*.yaml") if not p.stem.startswith("_"))
