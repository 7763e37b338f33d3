"""Province profiles: layout differences as data, never as `if province == ...` code.

A profile (``profiles/<name>.yaml``) says which tables the package holds, in which order, with which
numbers, titles and builder options (typed per builder in `options.py`); which narrative sections to
use and what facts they need; the unit (元 / 万元); fonts; wordings; and the default empty-table
reasons. A user may pass a profile file of their own (``--profile path.yaml``) that ``extends`` a
shipped one and overrides parts of it (``table_overrides`` replaces or adds single tables by key).

A profile is read with the same located loader as budget files (YAML anchors and aliases allowed,
capped), merged with what it extends, and validated as one pydantic model: an unknown key, a bad
measure, an unknown placeholder or a missing section template is a `ProfileError` whose problems name
the file, line and column where the mistake stands — in the user's file when it is theirs.
"""
from __future__ import annotations

import difflib
import re
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Callable, Literal, Union

from pydantic import (AfterValidator, BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, create_model, field_validator,
                      model_validator)

from .model import Fund
from .options import OPTIONS, BlockRow, FooterRow, LeftColumn, LeftGroup, Measure, Options, placeholders
from .problems import Location, Problem, SourceError, format_field_path
from .resources import templates_dir
from .source import Source, load_source

_DIR = Path(__file__).resolve().parent / "profiles"
DEFAULT_PROFILE = "national"   # used when the budget file names none: the standard set of 财预〔2016〕143号
PLACEHOLDERS = ("org", "year", "scope")


Text = Annotated[str, AfterValidator(placeholders(PLACEHOLDERS))]
ReasonText = Annotated[str, AfterValidator(placeholders(PLACEHOLDERS + ("subject",)))]
# the cover's date line may name the budget's approval date too
DateText = Annotated[str, AfterValidator(placeholders(PLACEHOLDERS + ("approval_date", "approval_year", "approval_month")))]
# What the clerk attests before publishing, as a profile text may print it: placeholder → (the fact, what prints when
# the file says 是). A line naming one prints only when the file says 是 — else it is left out and validate warns
# (review.pending; `--strict` refuses), so a draft for the review itself can be built and no package attests what its
# file did not say.
ATTESTATIONS = {"secrecy_review": ("review.secrecy", "已审查"), "head_signed": ("review.signed", "已审签")}
# the lines above the 目录 of tables (陕西's “保密审查情况：{secrecy_review}”) may print the attestations
PreambleText = Annotated[str, AfterValidator(placeholders(PLACEHOLDERS + tuple(ATTESTATIONS)))]


def attested(budget: Any) -> dict[str, str]:
    """The attestation placeholders the budget file says 是 to, with their words ({secrecy_review: 已审查});
    one not said (absent, 否) is not filled, and its line is left out (`printed_preamble`)."""
    out = {}
    for name, (path, word) in ATTESTATIONS.items():
        node = budget
        for part in path.split("."):
            node = getattr(node, part, None)
        if node is True:
            out[name] = word
    return out


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SpecBase(Strict):
    key: str = Field(description="表的标识，用于空表理由覆盖等")
    number: str = ""
    title: Text
    empty_reason: ReasonText | None = None
    toc_reason: ReasonText | None = Field(
        None, description="目录“公开空表理由”栏的写法（缺省同 empty_reason）：目录的“是否空表”栏已写“是”，此栏只需说为什么空，"
                          "如“本{scope}无政府性基金预算收支”；数据文件 empty_table_reasons 写了的，目录也照印")
    scopes: list[Literal["部门", "单位"]] = Field(
        default_factory=lambda: ["部门", "单位"],
        description="本表出现在哪类包中（部门预算 / 单位预算）：上海的财务收支预算总表，部门预算只列预算数，单位预算分基本支出与项目支出")


def _spec_model(builder: str, options: type[Options]) -> type[SpecBase]:
    try:
        options()
        field: Any = (options, Field(default_factory=options))
    except ValidationError:
        field = (options, ...)
    name = f"Spec_{builder}"
    if name in globals():
        return globals()[name]
    model = create_model(name, __base__=SpecBase, __module__=__name__, builder=(Literal[builder], ...), options=field)
    globals()[name] = model   # a module attribute, so a profile pickles into the PDF's process
    return model


# The facts a table builder prints as the file states them, so the file must state them (`[]` for
# “none”): a missing one would print as “无…” (rule needs.missing names it, as for a 说明 section's `needs`).
TABLE_NEEDS: dict[str, tuple[str, ...]] = {"procurement": ("procurement",)}
# What a fact is where the profile's `about` does not say it (a table has none), and how a file says “none”:
# both go into the needs.missing message (`wording.py` turns the YAML words into the workbook's).
FACT_WORDS = {"procurement": "政府采购预算"}
NONE_WORDS = {"procurement": "没有政府采购写 procurement: []",
              "assets": "没有车辆、设备写 assets: {vehicles: {}, equipment: 0}"}


def _fact_words(path: str, about: str = "") -> str:
    """“政府采购预算；没有政府采购写 procurement: []”: what the fact is, then how to say “none”."""
    return "；".join(w for w in (FACT_WORDS.get(path) or about, NONE_WORDS.get(path, "")) if w)


TableSpec = Annotated[Union[tuple(_spec_model(b, o) for b, o in OPTIONS.items())],  # type: ignore[misc]
                      Field(discriminator="builder")]


class TaskColumn(Strict):
    """A money column of the 部门整体绩效 task table: its label (the key of a task's `amounts`) and the
    spending it stands for (a measure): the column's total must equal that spending."""

    label: str
    measure: Measure

    @property
    def whole(self) -> bool:
        """The column stands for all spending (`total`, as 江西's 预算金额): a task typed with its amount
        split into other columns (陕西's 财政拨款 | 其他资金) prints its whole amount here."""
        return self.measure.strip() == "total"


class NarrativeEntry(Strict):
    """A section template of the 说明 with the facts it needs (dotted paths into the budget file, e.g.
    ``organization.staffing``). A required section whose facts are missing is a validation error;
    an optional one is left out of the package."""

    section: str
    needs: list[str] = Field(default_factory=list)
    required: bool = True
    about: str | None = Field(None, description="the needed facts in words, for the error message")


def _words(*names: str) -> Any:
    return Annotated[str, AfterValidator(placeholders(names))]


class Phrases(Strict):
    """Year-on-year wordings: {amount} and {percent} are filled in; {reason} is the input's reason; {year} the
    prior year. Each wording may name only what `narrative.phrase` fills in it — any other brace would print as typed."""

    up: _words("amount", "year")
    down: _words("amount", "year")
    same: _words("year")
    up_percent: _words("percent")
    down_percent: _words("percent")
    reason: _words("reason")
    nearly: _words("year") = ""   # a change in 元 too small to print (“与上年基本持平”); default: `same` with 持平 as 基本持平
    new: str = "上年未安排"   # a 功能/经济科目 line without a prior-year figure while the others have one (mirrors 本年未安排; “新增科目” read as new to the catalog)


# Wordings the narrative templates choose from (`n.change(..., style=…)`); a profile adds its own
# styles (and may override these) under `phrases:`.
PHRASES: dict[str, dict[str, str]] = {
    "compare": {"up": "较上年增加{amount}", "down": "较上年减少{amount}", "same": "与上年持平",
                "up_percent": "，增长{percent}", "down_percent": "，下降{percent}", "reason": "，主要原因是{reason}"},
    "growth": {"up": "增长{amount}", "down": "减少{amount}", "same": "与上年持平",
               "up_percent": "，增长{percent}", "down_percent": "，下降{percent}", "reason": "，主要原因：{reason}"},
}


class Profile(Strict):
    name: str
    label: str
    unit: Literal["yuan", "wan"] = "yuan"
    title: Text = "{org}{year}年{scope}预算公开"
    subtitle: Text = "{year}年{scope}预算公开说明"
    date_line: DateText = Field("", description="封面的日期行，如河南“{approval_year}年{approval_month}月”（预算批复日期 approval_date；"
                                          "数据文件没写批复日期时不印）")
    tables_title: Text = "{year}年部门（单位）综合预算公开报表"
    tables_preamble: list[PreambleText] = Field(
        default_factory=list, description="报表目录前的各行，如陕西“部门（单位）名称：{org}”“保密审查情况：{secrecy_review}”；"
                                          "{secrecy_review}（已审查）、{head_signed}（已审签）由数据文件的 review 填写，没写“是”的那一行不印")
    tables_entry: Text = Field("", description="目录中附表部分的写法（缺省同 tables_title）：如河南“附件：{org}{year}年{scope}预算表”")
    table_entry: Annotated[str, AfterValidator(placeholders(("number", "cn", "title")))] = Field(
        "{number} {title}", description="目录中每张表的写法：{number}（表1）、{cn}（其次序的中文数字：一）、{title}（表名）；"
                                        "如河南“{cn}、{title}”")
    toc_notes: list[str] = Field(default_factory=list)
    toc_page: bool = Field(True, description="附表部分的标题下印“目录”表（是否空表、公开空表理由）；河南参考文件没有这一页（空表的理由印在表下和说明中）。"
                                             "Excel 的目录工作表照印（它是工作簿的目录）")
    department_label: Text = "部门（单位）名称"
    scope_words: dict[Literal["部门", "单位"], dict[str, str]] = Field(
        default_factory=dict,
        description="部门预算与单位预算说法不同的词，按包的类型取用：如 {部门: {table_scope: 部门}, 单位: {table_scope: 预算单位}}，"
                    "表名、封面、空表理由、章节标题中写 {table_scope}")
    narrative: list[Union[str, NarrativeEntry]] = Field(description="说明的部分与章节，按顺序：以 .j2 结尾的是 templates/narrative/ 下的章节模板，其余是标题行（如“# {scope}概况”）")
    numbering: dict[Annotated[int, Field(ge=1, le=4)], _words("cn", "n")] = Field(default_factory=lambda: {1: "第{cn}部分 ", 2: "{cn}、", 3: "（{cn}）", 4: "{n}. "},
                                                      description="各级标题的编号格式（{cn} 中文数字，{n} 阿拉伯数字）")
    restart_sections_per_part: bool = Field(True, description="“一、”级编号是否在每个部分重新开始（陕西为连续编号）")
    glossary: list[tuple[str, str]] = Field(default_factory=list, description="名词解释：[[名词, 解释], …]")
    fonts: dict[Literal["title", "heading", "body", "table"], str] = Field(default_factory=dict)
    equipment_threshold: str = Field("单价50万元以上", description="说明中设备台（套）数的价值口径（本省公开口径）；数据文件 assets.equipment_threshold 优先")
    special_equipment_threshold: str = Field("单位价值100万元以上专用", description="说明中专用设备台（套）数（assets.special_equipment）的价值口径（本省公开口径）")
    table_scale_min: float = Field(0.7, ge=0.5, le=1.0, description="表格最小缩放比例：PDF/Word 表格字号与 Excel 打印缩放不低于此值")
    indicator_levels: dict[str, list[str]] = Field(default_factory=dict, description="允许的一级指标 → 二级指标")
    rules_off: list[str] = Field(default_factory=list, description="关闭的校验规则 id")
    task_columns: list[TaskColumn] = Field(default_factory=list, description="部门整体绩效目标表任务的资金栏")
    three_public_funds: list[Fund] = Field(default_factory=lambda: [Fund.general],
                                           description="“三公”经费、会议费、培训费按哪些资金统计（默认一般公共预算拨款，"
                                                       "与“一般公共预算‘三公’经费支出表”一致；写 [一般公共预算拨款, 政府性基金预算拨款, "
                                                       "国有资本经营预算拨款] 即按财政拨款）")
    phrases: dict[str, Phrases] = Field(default_factory=dict, description="较上年增减的措辞，按风格（随包有 compare、growth）")
    tables: list[TableSpec] = Field(min_length=1)   # type: ignore[valid-type]
    catalog: str | None = Field(None, description="用户目录文件夹（相对于本配置文件），内含 <年度>.yaml，优先于随包目录")
    templates: str | None = Field(None, description="省份自己的模板文件夹（相对于本配置文件）：可含 narrative/、html/、"
                                                    "docx/reference.docx、xlsx/template.xlsx，缺少的沿用随包模板")

    @field_validator("narrative")
    @classmethod
    def _headings(cls, entries: list, info: ValidationInfo) -> list:
        for e in entries:
            if isinstance(e, str) and not e.endswith(".j2"):
                placeholders(PLACEHOLDERS)(e, info)   # same check as every other profile text
        return entries

    @field_validator("rules_off")
    @classmethod
    def _known_rules(cls, ids: list[str]) -> list[str]:
        from .rules import RULES

        for rule_id in ids:
            if rule_id not in RULES:
                close = difflib.get_close_matches(rule_id, list(RULES), n=1, cutoff=0.5)
                raise ValueError(f"没有校验规则“{rule_id}”" + (f"，是不是“{close[0]}”？" if close else f"（可用：{'、'.join(RULES)}）"))
        return ids

    @model_validator(mode="after")
    def _complete(self) -> "Profile":
        for style, words in PHRASES.items():
            self.phrases.setdefault(style, Phrases(**words))
        keys = [t.key for t in self.tables]
        dup = sorted({k for k in keys if keys.count(k) > 1})
        if dup:
            raise ValueError(f"表的标识（key）重复：{'、'.join(dup)}")
        return self

    def narrative_entries(self) -> list[NarrativeEntry]:
        """Every entry of `narrative` as a NarrativeEntry (a plain string needs nothing)."""
        return [e if isinstance(e, NarrativeEntry) else NarrativeEntry(section=e, required=False) for e in self.narrative]

    def required_facts(self, scope: str | None = None) -> dict[str, tuple[str, str]]:
        """Each fact the file must state for this profile (dotted path) → (where it is printed, in words:
        the 说明 section or the table; what it is). The 说明's required sections come first, then the
        tables' builders (`TABLE_NEEDS`). `validate` asks for these (needs.missing); init, import and the
        workbook write them or a “待填” for them. With `scope`, only the tables of that kind of package count.
        (The attestations are not among them: `attestations`.)"""
        out: dict[str, tuple[str, str]] = {}
        for entry in self.narrative_entries():
            for path in entry.needs if entry.required else ():
                out.setdefault(path, ("说明", _fact_words(path, entry.about or "")))   # a clerk knows no template names
        for spec in self.tables:
            for path in TABLE_NEEDS.get(spec.builder, ()) if scope is None or scope in spec.scopes else ():
                out.setdefault(path, (f"{spec.number}“{spec.title}”", _fact_words(path)))
        return out

    def attestations(self) -> dict[str, str]:
        """The attestations the lines above the 目录 print (`ATTESTATIONS`): the fact's dotted path → the line's
        words before it (陕西 review.secrecy → 保密审查情况)."""
        out: dict[str, str] = {}
        for line in self.tables_preamble:
            for name, (path, _) in ATTESTATIONS.items():
                if "{" + name + "}" in line:
                    out.setdefault(path, line.split("{" + name + "}")[0].rstrip("：: "))
        return out

    def printed_preamble(self, fill: Callable[[str], str], budget: Any) -> list[str]:
        """The lines above the 目录 as printed: filled by `fill`, without a line whose attestation the file does
        not say 是 to (a draft for the review; validate warns, review.pending)."""
        said = attested(budget)
        return [fill(line) for line in self.tables_preamble
                if all(name in said for name in ATTESTATIONS if "{" + name + "}" in line)]

    def _template_roots(self) -> str:
        return "、".join(str(p) for p in ([Path(self.templates)] if self.templates else []) + [templates_dir()])

    def narrative_folders(self) -> list[Path]:
        """Where 说明 section templates are looked up: the province's narrative/ folder first, then the shipped one."""
        own = self.template_override("narrative")
        return ([own] if own else []) + [templates_dir() / "narrative"]

    def section_problem(self, section: str) -> str | None:
        """What is wrong with a `narrative:` entry, in Chinese; None for a ``#`` heading line or a ``.j2``
        template that exists inside the template folders (symlinks resolved: a template that links out of its
        folder is refused, as the loader refuses it). Not a heading and not ``.j2`` — “shaanxi/duties”,
        “../../etc/passwd” — is a mistake, not a line to print: the section it meant would silently vanish."""
        from .templating import OutsideFolder, TemplateNotFound, confined_file

        text = section.strip()
        if text.startswith("#"):
            return None
        kinds = "说明条目以 # 开头的是标题行，以 .j2 结尾的是章节模板"
        folders = self.narrative_folders()
        try:
            if not text.endswith(".j2"):
                close = text and confined_file(folders, text + ".j2")
                hint = f"是不是要写“{text}.j2”？" if close else kinds
                return f"说明章节“{text}”不是章节模板的文件名（{hint}）"
            if confined_file(folders, text) is None:
                return f"找不到说明章节模板 {text}（查找：{self._template_roots()}）"
        except OutsideFolder as e:
            return f"说明章节模板 {text} 指向模板文件夹以外的文件（{e.target}），已拒绝读取"
        except TemplateNotFound:
            return f"说明章节模板 {text} 不能含“..”：章节模板只能放在模板文件夹的 narrative/ 中（{kinds}）"
        return None

    def find_template(self, relative: str) -> Path | None:
        own = self.template_override(relative)
        if own:
            return own
        shipped = templates_dir() / relative
        return shipped if shipped.exists() else None

    def template_override(self, relative: str) -> Path | None:
        """The province's own version of a shipped template (file or folder), if it has one."""
        if not self.templates:
            return None
        path = Path(self.templates) / relative
        return path if path.exists() else None

    def table(self, key: str):
        return next((t for t in self.tables if t.key == key), None)

    def class_labels(self, kind: str, table: str | None = None) -> dict[str, str]:
        """The name the package's own tables give a classification code (`kind` economic_gov, economic_dept or
        function): a block row of a 收支总表 whose measure is that code alone (``gecon:503``), its label without
        the row's ordinal (“3、机关资本性支出” → 机关资本性支出). The 说明 names a code as the tables do, so one
        class has one name across a package: Shaanxi's form prints 503 as 机关资本性支出 where the catalog
        says 机关资本性支出（一）. The first table that labels a code names it, or only the table `table` (Henan's
        spending sentence names its 类 as 表4 does, “农林水事务支出”, not as 表1's “农林水事务”)."""
        term = {"economic_gov": "gecon", "economic_dept": "econ", "function": "fn"}[kind]
        out: dict[str, str] = {}
        for spec in (t for t in self.tables if table is None or t.key == table):
            for block in getattr(spec.options, "blocks", None) or []:
                for row in (x for r in block.rows for x in (r if isinstance(r, list) else [r])):
                    hit = _ONLY_CODE.fullmatch((row.measure or "").strip())
                    if hit and hit[1] == term and row.label:
                        out.setdefault(hit[2], _ORDINAL.sub("", row.label).strip() or row.label)
        return out

    @property
    def whole_task_column(self) -> str | None:
        """The label of the only task column when it stands for all spending (see `TaskColumn.whole`)."""
        columns = self.task_columns
        return columns[0].label if len(columns) == 1 and columns[0].whole else None


_ONLY_CODE = re.compile(r"(gecon|econ|fn):(\d+)")
# A row's own number before its label: 3、 / (1) / （一） / 一、
_ORDINAL = re.compile(r"^\s*(?:[0-9一二三四五六七八九十]+[、.．]|[（(][0-9一二三四五六七八九十]+[)）])")


class ProfileError(ValueError):
    """A profile file that cannot be used; carries located problems (messages in Chinese)."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(p.format() for p in problems))


# ------------------------------------------------------------------ reading and merging

class _Layers:
    """Where each part of a merged profile came from, to locate a validation error in its own file."""

    def __init__(self) -> None:
        self.top: dict[str, tuple[Source, tuple]] = {}
        self.tables: list[tuple[Source, tuple]] = []
        self.last: Source | None = None

    def locate(self, loc: tuple, key: bool = False) -> Location:
        """Where `loc` of the merged profile stands in the file that wrote it (the field path shown is
        the merged one, as the error names it)."""
        if loc and loc[0] == "tables" and len(loc) > 1 and isinstance(loc[1], int) and loc[1] < len(self.tables):
            src, prefix = self.tables[loc[1]]
            where = src.locate(prefix + tuple(loc[2:]), key=key)
        elif loc and loc[0] in self.top:
            src, prefix = self.top[loc[0]]
            where = src.locate(prefix + tuple(loc), key=key)
        else:
            assert self.last is not None
            where = self.last.locate(tuple(loc), key=key)
        return Location(where.file, where.line, where.column, format_field_path(loc))


def _merge(base: dict, over: dict) -> dict:
    out = dict(base)
    for k, v in over.items():
        out[k] = _merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


def _read(path: Path, chain: tuple[Path, ...] = ()) -> tuple[dict, _Layers]:
    if path in chain:
        raise ProfileError([Problem("profile.extends", "error", f"版式配置循环继承：{' → '.join(p.name for p in chain + (path,))}",
                                    (Location(str(path)),))])
    try:
        src = load_source(path, allow_aliases=True)
    except SourceError as e:
        raise ProfileError(list(e.problems)) from None
    if not isinstance(src.data, dict):
        raise ProfileError([Problem("profile.schema", "error", "版式配置的顶层应为键值映射（name、tables、narrative …）",
                                    (src.locate(()),))])
    data = {k: v for k, v in src.data.items() if not str(k).startswith("_")}   # "_x": YAML anchors only
    for key in ("templates", "catalog"):
        if isinstance(data.get(key), str):
            data[key] = str((path.parent / data[key]).resolve())
    parent = data.pop("extends", None)
    overrides = data.pop("table_overrides", None) or []
    layers = _Layers()
    if parent:
        parent_path = _resolve(str(parent), src.locate(("extends",)))
        base, layers = _read(parent_path, chain + (path,))
        merged = _merge(base, data)
    else:
        merged = data
    layers.last = src
    for k in data:
        layers.top[k] = (src, ())
    if "tables" in data:
        layers.tables = [(src, ("tables", n)) for n in range(len(data["tables"] or []))]
    if overrides:   # replace the parent's table with the same key in place; append new keys
        tables = list(merged.get("tables", []))
        index = {t.get("key"): n for n, t in enumerate(tables) if isinstance(t, dict)}
        for n, spec in enumerate(overrides):
            where = (src, ("table_overrides", n))
            if isinstance(spec, dict) and spec.get("key") in index:
                tables[index[spec["key"]]] = spec
                layers.tables[index[spec["key"]]] = where
            else:
                tables.append(spec)
                layers.tables.append(where)
        merged["tables"] = tables
    return merged, layers


def _resolve(name_or_path: str, where: Location | None = None) -> Path:
    path = Path(name_or_path)
    if path.suffix.lower() not in (".yaml", ".yml"):
        path = _DIR / f"{name_or_path}.yaml"
    if not path.is_file():
        message = f"找不到版式配置“{name_or_path}”（可用：{'、'.join(available_profiles())}）"
        if where is not None:
            raise ProfileError([Problem("profile.extends", "error", message, (where,))])   # not the --profile option's mistake
        raise LookupError(message)
    return path


def _clean(loc: tuple) -> tuple:
    """Drop pydantic's union tags (builder names, 'str', 'NarrativeEntry' …) from an error location."""
    keep = []
    for part in loc:
        if isinstance(part, int) or part in ("tables",):
            keep.append(part)
        elif part in OPTIONS or "[" in part or part in ("str", "NarrativeEntry", "list[BlockRow]", "BlockRow",
                                                         "LeftColumn", "LeftGroup", "FooterRow", "function-after",
                                                         "tuple"):
            continue
        else:
            keep.append(part)
    return tuple(keep)


def _problems(e: ValidationError, layers: _Layers) -> list[Problem]:
    from .validate import _message

    out: list[Problem] = []
    seen: set[tuple] = set()
    errors = e.errors(include_url=False)
    deeper = [_clean(tuple(err["loc"])) for err in errors]
    kinds: dict[tuple, list[dict]] = {}   # the members of a union that each refused the value's type, by location
    for err in errors:
        if err["type"] in _KIND_WORDS:
            kinds.setdefault(_clean(tuple(err["loc"])), []).append(err)
    for err in errors:
        loc = _clean(tuple(err["loc"]))
        if err["type"] in ("list_type", "model_type", "dict_type", "model_attributes_type", "tuple_type") and \
                any(len(d) > len(loc) and d[:len(loc)] == loc for d in deeper):
            continue   # the other member of a union failed deeper down: that is the real mistake
        if err["type"] in _KIND_WORDS and isinstance(err.get("input"), (dict, list)) and \
                any(len(d) > len(loc) and d[:len(loc)] == loc for d in deeper):
            continue   # a mapping is no 文本 / choice: the union's mapping member says what is wrong inside it
        if err["type"] == "union_tag_not_found":
            msg = _no_builder_message(err.get("input"))
        elif err["type"] == "union_tag_invalid":
            builder = err.get("input", {}).get("builder") if isinstance(err.get("input"), dict) else None
            close = difflib.get_close_matches(str(builder), list(OPTIONS), n=1) if builder else []
            if builder is None or str(builder).strip() == "":
                msg = f"builder（表构造器）是空的（“:”后没有写值），应为其中之一：{'、'.join(OPTIONS)}"
            else:
                msg = f"未知的表构造器“{builder}”" + (f"，是不是“{close[0]}”？" if close else f"（可用：{'、'.join(OPTIONS)}）")
            loc = loc + ("builder",)
        elif err["type"] == "extra_forbidden":
            msg = _extra_message(e, err, loc)
        elif err["type"] in _KIND_WORDS and len(kinds.get(loc, ())) > 1:
            msg = _kinds_message(kinds[loc])
        elif err["type"] == "tuple_type" and loc[:1] == ("glossary",):
            msg = "名词解释的每一项应写作 [名词, 解释]"
        elif err["type"] == "missing" and loc and isinstance(loc[-1], int):
            msg = f"缺少第 {loc[-1] + 1} 项" + ("（名词解释的每一项应写作 [名词, 解释]）" if loc[:1] == ("glossary",) else "")
        else:
            msg = _message(err, loc)
        key = (loc, msg)
        if key in seen:
            continue
        seen.add(key)
        out.append(Problem("profile.schema", "error", msg, (layers.locate(loc, key=err["type"] == "extra_forbidden"),)))
    return out


# What each kind of value is, for a value a union refused in every form (“应为文本或键值映射”); validate's own
# messages say one kind at a time.
_KIND_WORDS = {"string_type": "文本", "model_type": "键值映射（“名称: 值”）", "model_attributes_type": "键值映射（“名称: 值”）",
               "dict_type": "键值映射（“名称: 值”）", "list_type": "列表（每项以“- ”开头）", "tuple_type": "方括号中的一组值（[甲, 乙]）",
               "int_type": "整数", "float_type": "数字", "bool_type": "是 或 否（true / false）", "literal_error": "", "enum": ""}


def _kinds_message(errs: list[dict]) -> str:
    """One message for a value every member of a union refused (a number where a 说明 entry is a heading text or a
    mapping): pydantic gives one error per member, which told the clerk two contradicting things at one line."""
    from .validate import _choices, _shown

    words: list[str] = []
    choices = "、".join(_choices(err.get("ctx", {}).get("expected", "")) for err in errs if not _KIND_WORDS[err["type"]])
    for err in errs:
        word = _KIND_WORDS[err["type"]] or f"其中之一：{choices}"
        if word not in words:
            words.append(word)
    value = errs[0].get("input")
    said = "，实际是空的（“:”后没有写值）" if value is None else f"，实际为“{_shown(value)}”"
    return "应为" + "，或".join(words) + said


def _no_builder_message(entry: Any) -> str:
    """A table entry without `builder:` (pydantic's union_tag_not_found): which field is missing and what it may be."""
    key = entry.get("key") if isinstance(entry, dict) else None
    which = f"表“{key}”" if key else "这张表"
    return (f"{which}缺少字段“builder”（表构造器：决定这张表怎么排）；应为其中之一：{'、'.join(OPTIONS)}")


def _extra_message(e: ValidationError, err: dict, loc: tuple) -> str:
    """“未知字段 x，是不是 y？” with the fields of the model where the key stands."""
    key = str(loc[-1])
    fields = _fields_at(tuple(err["loc"])[:-1])
    close = difflib.get_close_matches(key, fields, n=1, cutoff=0.5) if fields else []
    if close:
        return f"未知字段“{key}”，是不是要写“{close[0]}”？"
    return f"未知字段“{key}”" + (f"。可用字段：{'、'.join(fields)}" if fields else "")


def _fields_at(loc: tuple) -> list[str]:
    """The field names of the model that the (raw pydantic) location `loc` points into."""
    model: Any = Profile
    for part in loc:
        if isinstance(part, int):
            continue
        if part in OPTIONS:
            model = _spec_model(part, OPTIONS[part])
            continue
        if part in _UNION_MODELS:   # pydantic names the union member it tried
            model = _UNION_MODELS[part]
            continue
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            return []
        info = model.model_fields.get(part)
        if info is None:
            return []
        model = _inner_model(info.annotation)
    return list(model.model_fields) if isinstance(model, type) and issubclass(model, BaseModel) else []


_UNION_MODELS = {m.__name__: m for m in (BlockRow, LeftColumn, LeftGroup, FooterRow)}


def _inner_model(tp: Any) -> Any:
    import typing

    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return tp
    for arg in typing.get_args(tp):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


@lru_cache(maxsize=None)
def load_profile(name_or_path: str) -> Profile:
    """A shipped profile by name, or a profile file; LookupError for an unknown name, ProfileError
    (located problems) for a profile that cannot be used."""
    path = _resolve(name_or_path)
    data, layers = _read(path)
    words = sorted({w for scope in (data.get("scope_words") or {}).values() if isinstance(scope, dict) for w in scope})
    try:
        profile = Profile.model_validate(data, context={"words": words})
    except ValidationError as e:
        raise ProfileError(_problems(e, layers)) from None
    problems = (_folder_problems(profile, layers) + _section_problems(profile, layers) + _number_problems(profile, layers) + _option_problems(profile, layers)
                + _attestation_problems(profile, layers))
    if problems:
        raise ProfileError(problems)
    return profile


def _folder_problems(profile: Profile, layers: _Layers) -> list[Problem]:
    """A `templates:` or `catalog:` folder that is not there (a typo, the folder renamed or not copied along): the
    shipped templates filled every gap, so each customization silently vanished from the package (trialZ-s29 D4)."""
    out = []
    for field, what in (("templates", "模板文件夹"), ("catalog", "目录文件夹")):
        folder = getattr(profile, field)
        if folder is None or Path(folder).is_dir():
            continue
        state = "不是文件夹" if Path(folder).exists() else "不存在"
        out.append(Problem("profile.schema", "error",
                           f"{what}“{folder}”{state}（{field} 写的是相对于本配置文件的文件夹）；不用自己的{what[:-3]}就删去这一行",
                           (layers.locate((field,)),)))
    return out


def _section_problems(profile: Profile, layers: _Layers) -> list[Problem]:
    """Each `narrative:` entry that names no usable template (`Profile.section_problem`), at its line."""
    out = []
    for n, (raw, entry) in enumerate(zip(profile.narrative, profile.narrative_entries())):
        message = profile.section_problem(entry.section)
        if message:
            loc = ("narrative", n) if isinstance(raw, str) else ("narrative", n, "section")
            out.append(Problem("profile.schema", "error", message, (layers.locate(loc),)))
    return out


def _number_problems(profile: Profile, layers: _Layers) -> list[Problem]:
    """Two tables with the same number in one package (a copied entry whose number was not changed): the contents
    and the captions would show two 表1 (trialA-s26 D10). Tables for different scopes may share one (Shanghai's
    1. 财务收支预算总表, one for a 部门 and one for a 单位)."""
    out, first = [], {}
    for n, table in enumerate(profile.tables):
        for scope in table.scopes if table.number.strip() else ():
            other = first.setdefault((table.number.strip(), scope), n)
            if other != n:
                was = profile.tables[other]
                out.append(Problem("profile.number", "error",
                                   f"两张表都编号为“{table.number}”：“{was.title}”（{was.key}）和“{table.title}”（{table.key}）；"
                                   "请改其中一张的 number", (layers.locate(("tables", n, "number")),
                                                            layers.locate(("tables", other, "number")))))
                break
    return out


def _attestation_problems(profile: Profile, layers: _Layers) -> list[Problem]:
    """A line above the 目录 that states a review itself (“保密审查情况：已审查”, as a profile copied before the review
    became the file's word did): it would print for every file, reviewed or not (trialW-s27 D5). Its placeholder
    prints what the file says."""
    out = []
    for n, line in enumerate(profile.tables_preamble):
        for name, (path, word) in ATTESTATIONS.items():
            if word in line:
                out.append(Problem("profile.attestation", "error",
                                   f"报表目录前的“{line}”替经办人写了“{word}”：无论数据文件是否写明都会印出；请把“{word}”改为"
                                   f"{{{name}}}，由数据文件的 {path}: 是 印出", (layers.locate(("tables_preamble", n)),)))
    return out


def _option_problems(profile: Profile, layers: _Layers) -> list[Problem]:
    """Table options that pass their model but not their builder (a form's `widths` shorter than its
    indicator block): found here, at the option's line, so validate PROFILE.yaml reports what would
    otherwise fail every build."""
    from .tables.performance import widths_problem

    out = []
    for n, spec in enumerate(profile.tables):
        message = widths_problem(spec.builder, spec.options)
        if message:
            where = layers.locate(("tables", n, "options", "widths"))
            out.append(Problem("profile.schema", "error", f"{spec.number}“{spec.title}”（{spec.key}）：{message}", (where,)))
    return out


def available_profiles() -> list[str]:
    return sorted(p.stem for p in _DIR.glob("*.yaml") if not p.stem.startswith("_"))


def is_profile_file(data: Any) -> bool:
    """A YAML document that is a profile (for `discloser validate PROFILE.yaml`)."""
    return isinstance(data, dict) and "organization" not in data and bool({"tables", "extends", "narrative"} & set(data))


__all__ = ["Profile", "ProfileError", "TableSpec", "NarrativeEntry", "TaskColumn", "load_profile", "available_profiles",
           "DEFAULT_PROFILE", "is_profile_file"]
