"""Format-neutral tables: what the Word, Excel and PDF writers all consume.

A table is built once from the model. Every figure in it is already in the display unit and
already rounded (see `money.apportion`), and every cell carries both its printed text and, for
numbers, its numeric value, so a writer only lays out: it never computes or formats a figure.

Header and body rows use HTML grid semantics: a cell occupies the next free column of its row;
`colspan`/`rowspan` extend it right/down and the covered slots are simply absent from later rows.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import Enum


class Kind(str, Enum):
    text = "text"
    money = "money"      # Decimal in the table's unit, printed with 2 decimals
    code = "code"        # classification or unit code: text, never a number
    percent = "percent"
    label = "label"      # a field label inside a form-like table (performance tables)


class RowKind(str, Enum):
    header = "header"
    total = "total"        # 合计 / 总计
    subtotal = "subtotal"  # 类 / 款 rows, project groups
    detail = "detail"
    section = "section"    # form rows of performance tables


@dataclass(frozen=True)
class Cell:
    text: str = ""
    kind: Kind = Kind.text
    value: Decimal | None = None   # numeric value for money/percent cells (Excel writes this)
    colspan: int = 1
    rowspan: int = 1
    align: str | None = None       # "left" | "center" | "right"; None: by kind
    indent: int = 0                # hierarchy level of a name cell (类 0, 款 1, 项 2)
    bold: bool = False
    nowrap: bool = False           # a text kept on one line where its column can hold it (a table's title in the
    #                                目录); unlike an amount it wraps rather than run off a narrow page
    under_unit: bool = False       # a money cell with money in 元 that prints as zero (0.03 元 in a 万元 table)

    @property
    def halign(self) -> str:
        if self.align:
            return self.align
        return {"money": "right", "percent": "right", "code": "left", "label": "center"}.get(self.kind.value, "left")


@dataclass(frozen=True)
class Row:
    cells: tuple[Cell, ...]
    kind: RowKind = RowKind.detail
    level: int = 0


@dataclass(frozen=True)
class Column:
    width: float                # relative width (CJK character units)
    kind: Kind = Kind.text


@dataclass
class Table:
    key: str                    # stable identifier of the table kind, e.g. "fiscal_summary"
    number: str                 # "表4"
    title: str                  # "部门综合预算财政拨款收支总表"
    department: str             # printed as "部门（单位）名称：…"
    unit_label: str             # "单位：元" ("" for tables without money columns)
    columns: list[Column]
    header: list[Row] = field(default_factory=list)   # repeated on every page
    body: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)   # printed under the table
    empty: bool = False
    empty_reason: str = ""
    toc_reason: str = ""        # the 目录's 公开空表理由 when the profile words it apart (else empty_reason)
    landscape: bool = False
    portrait: bool = False      # laid out portrait only: the 目录 of tables, on a page of the front matter
    form: bool = False          # form-like (performance tables): no column header, label cells in body
    anchor: str = ""            # stable id for bookmarks / links / sheet names
    subject: str = ""           # what this instance is about when a table repeats (the project's name)
    meta: str | None = None     # the line under the title, left of the unit, in place of the department line
    #                             (湖北 表13 “填报日期：…”, 表15 “（2025年度）”); "" for none (a form naming it in its first row)
    meta_centred: bool = False  # that line centred under the title (a period, as 湖北 表15's), the unit still right

    @property
    def caption(self) -> str:
        return f"{self.number} {self.title}".strip()

    def meta_text(self, department_label: str) -> str:
        """What the line under the title says left of the unit: the profile's `meta` when it words one,
        else “部门（单位）名称：…”."""
        if self.meta is not None:
            return self.meta
        return f"{department_label}：{self.department}" if self.department else ""

    def column_count(self) -> int:
        return len(self.columns)


@dataclass
class Section:
    """A narrative heading with its paragraphs (level 1 = 第一部分, 2 = 一、, 3 = （一）, 4 = 1.)."""

    title: str
    level: int
    paragraphs: list[str] = field(default_factory=list)


class OutlineKind(str, Enum):
    chapter = "chapter"     # a heading of the 说明 (第一部分 …, 一、…, （一）…)
    appendix = "appendix"   # the tables part (附件 / 公开报表) with its 目录 of tables
    table = "table"         # one numbered table (a run of same-numbered tables is one entry)
    subject = "subject"     # one instance of a repeated table, e.g. a project's 绩效目标表


@dataclass(frozen=True)
class OutlineEntry:
    """One entry of the package's outline: what the contents page, the bookmarks, the Word TOC and
    the navigation pane list. Computed once (`tables.outline.outline`), never re-derived by a writer."""

    id: str                 # stable anchor: letters, digits and "_" (an HTML id and a Word bookmark name)
    kind: OutlineKind
    level: int              # 1 = top level; chapters keep their heading level, tables are 2, subjects 3
    label: str              # as listed: "第一部分 单位概况", "表4 部门综合预算财政拨款收支总表", a project name
    section: int | None = None   # index into Document.sections (chapters)
    table: int | None = None     # index into Document.tables (tables and subjects)

    @property
    def in_contents(self) -> bool:
        """Listed on the contents page / in the Word TOC (parts, sections, the tables part, tables)."""
        return self.level <= 2


@dataclass
class Document:
    """The whole package, format-neutral: what every writer receives."""

    title: str                  # "麟游县医疗保障经办机构2024年单位预算公开"
    organization: str
    year: int
    subtitle: str               # cover line under the title
    date_line: str
    sections: list[Section]     # the narrative (说明) in order
    tables_title: str           # "2024年部门（单位）综合预算公开报表"
    tables_preamble: list[str]  # lines printed before the 目录 of tables
    toc: Table                  # 目录 with 是否空表 / 公开空表理由
    tables: list[Table]
    keywords: list[str] = field(default_factory=list)
    fonts: dict[str, str] = field(default_factory=dict)   # role -> font family list, from the profile
    filename: str = ""          # base name without extension
    department_label: str = "部门（单位）名称"   # printed before each table's department name
    templates: dict[str, str] = field(default_factory=dict)   # format -> the province's template override
    outline: list[OutlineEntry] = field(default_factory=list)  # filled by tables.outline.outline()
    approval_date: date | None = None   # the budget's approval date: the files' creation date
    source_name: str = ""               # the canonical input's file name (attached to the PDF)
    source_bytes: bytes | None = None   # the canonical input itself, byte for byte
    tables_entry: str = ""      # how the contents list the tables part (河南 “附件：…预算表”); "" = tables_title
    table_entry: str = "{number} {title}"   # how the contents list a table: {number} 表1, {cn} 一 (its place), {title}
    toc_page: bool = True       # the PDF and Word print `toc` (是否空表 / 公开空表理由) after the tables part's title;
    #                             河南's reference has none. The workbook keeps it: its 目录 sheet is its only contents
    warnings: list[str] = field(default_factory=list)   # found while deriving (e.g. a rounding that could not hold)
    # Every figure (in the profile's unit) the 说明 prints as a sum of entries, so the self-check
    # (`lint.check_document`) knows those no table row prints — the 机关运行经费 of 行政/参公 units beside
    # 事业 units, the spending of the projects with targets, 政府采购 where no table lists it.
    stated: list[Decimal] = field(default_factory=list)
    priors: list[str] = field(default_factory=list)   # prior_year paths printed (total, fiscal, items.三公经费, function.2010301 …)
    reasons: list[str] = field(default_factory=list)  # prior_year paths whose reason the 说明 printed
