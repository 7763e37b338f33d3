"""Budget-system line-item exports (.xlsx / .xls / .csv) → the budget file's data, with its gaps.

How an export is read (`import_exports`):

1. **Header.** Each visible sheet is searched in its first `HEADER_SEARCH` rows for the row that names
   the most known columns (`synonyms.COLUMNS`); the rows under it that hold only labels belong to
   it (a merged group header “支出功能分类科目” over “编码 | 名称” gives “支出功能分类科目编码”). Rows
   above it are read for the year (“2025年…”), the amount unit (“单位：万元”) and the unit name
   (“单位名称：…”). A ``--map`` file names columns (by header text or column letter) and may fix the
   header row, the sheet and the amount unit for layouts not covered by the synonyms.
2. **Amount unit.** 万元 when the amount header or a 单位 line says so, else 元 (“单位：元”, or
   nothing: then a warning says that 元 was assumed). 万元 amounts are multiplied by 10000 exactly;
   an amount that is then not a whole number of 分 (more than six decimals in 万元) is an error at its
   cell — it cannot be a budget figure, and rounding it would be a silent guess. An export in 万元 with
   two decimals is exact but rounded to 100 元: a warning says so.
3. **Rows.** A row with a 7-digit 功能分类 and a 5-digit 部门经济分类 is a line item. Any other row
   with an amount is a total: 合计/总计 (all line items), 小计 (the line items since the previous
   total, or until the next), or a group row (a unit, project, 类/款 code or fund in its cells: the
   line items that match). Each is checked against the line items; one that does not add up is an
   error at its amount cell. A row that is neither (an amount but no codes, no 合计 word and no line
   items to match) is an error. Rows with no amount and no codes (footers, blank rows) are skipped;
   line items whose amount is empty or 0 are skipped and counted in the report. A unit group row
   (`_unit_heading`: “401002 某县水利工程管理站” above its lines) gives its unit to the lines under it that
   name none; its amount, if any, is that unit's total.
4. **Values.** Code and name in one cell (“2080505 机关事业单位基本养老保险缴费支出”, “[30101]基本工资”)
   give both. The expense kind comes from a 支出类型 column, else from 项目类别 (`synonyms.category_of`);
   人员经费 vs 公用经费 of 基本支出 is decided by the economic class (301/303 are 人员经费, as the tables
   count them). Fund wordings map by `synonyms.FUNDS`; “单位资金” without its detail is an error.
   A wide layout — one amount column per fund (“一般公共预算 | 政府性基金 | 事业收入 …”, with a 合计
   column checked against them) — gives one line item per non-zero fund cell.
5. **The budget.** Units from the unit column (one unit: a 单位 budget; several: a 部门 budget, whose
   own name and code come from ``--name``/``--code`` or are left 待填). A unit's kind is read from the
   export's 政府经济分类 where it tells (505/506 only for 事业单位; 501/502 for 机关 — then 行政单位 is
   written with a note to check 参公), else left 待填. Revenues are the line items summed per unit and
   fund (the export has no revenue side: 本年收入 = 本年支出, a comment says to add 结转下年 if any).
   Projects from the 项目支出 lines (code, name, unit, type).

What an export never holds — the 说明's texts, staffing, assets, performance targets, procurement
detail, last year's figures — is written as commented “待填” gaps, each listed by ``validate``.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..catalog import load_catalog
from ..model import CarriedFrom, ExpenseKind, Fund, ProjectType, non_ascii_digits
from ..problems import Location, Problem
from ..profile import DEFAULT_PROFILE, load_profile
from .grid import Grid, GridError, Uncomputed, is_blank, read_grids, text_of
from .shown import lost_digits, lost_digits_message
from .starter import ASSET_COUNTS, starter_assets
from .synonyms import (AMOUNT_UNIT, FIELDS, SUBTOTAL_WORDS, YEAR, carried_of, category_of, column_field, fund_of, ignored, not_this_year,
                       kind_of, normalize_header)
from .yamlout import Notes

HEADER_SEARCH = 30
TEN_THOUSAND = Decimal(10000)
CENT = Decimal("0.01")
_CODE_NAME = re.compile(r"^[\[【(（]?\s*(\d{3,7})\s*[\]】)）]?\s*[-－_:：、.]?\s*(\D.*)?$")
_UNIT_NAME = re.compile(r"^[\[【(（]?\s*([0-9A-Za-z]{2,30})\s*[\]】)）]?\s*[-－_:：、]?\s*(\D.*)$")
# a 单位名称 cell that carries its code anyway: “[420123]某县农业农村局”, “420123 某县农业农村局” (a code of digits,
# bracketed or set apart — a name may itself begin with letters, “ABC科技服务中心”)
_CODED_UNIT_NAME = re.compile(r"^\s*(?:[\[【(（]\s*(\d{3,30})\s*[\]】)）]|(\d{3,30})(?:\s+|\s*[-－_:：、]\s*))\s*(\D.*)$")
_NUMBER = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")
_TITLE_NAME = re.compile(r"\s*([^\s\d:：（(]{2,40}?)\s*20\d\d\s*年度?\s*(?:部门|单位)?(?:综合)?预算")
_NAME_LINE = re.compile(r"(?:单位名称|编制单位|预算单位|部门名称|部门)\s*[:：]\s*(?:\[?([0-9A-Za-z]{2,30})\]?\s*)?([^\s:：]+)")
_SPLIT_CODE = re.compile(r"^\d{3}(\s+\d{2}){1,2}$")
_UNIT_LABEL = re.compile(r"^\s*(?:预算单位|单位名称|编制单位|单位)\s*[:：]\s*")
# columns whose lone text on a row is that column's own group (a project, a fund …), never a unit heading
_NOT_UNIT_COLUMNS = ("project", "project_code", "project_name", "project_category", "kind", "fund", "procurement")


class ExportError(Exception):
    """An export that cannot be imported: carries every located problem (nothing is written)."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(p.format() for p in problems))
        self.problems = problems


@dataclass
class Mapping:
    """A ``--map`` file: header text or column letter → field; optional header row, sheet, unit, constants."""
    columns: dict[str, str] = field(default_factory=dict)
    header_row: int | None = None          # 1-based
    sheet: str | None = None
    unit: str | None = None                # 元 / 万元
    constants: dict[str, str] = field(default_factory=dict)   # field → value for every row (e.g. fund)


@dataclass
class Layout:
    grid: Grid
    header: tuple[int, int]                # first and last header row (0-based)
    columns: dict[str, int]                # field → column
    fund_columns: dict[int, Fund]          # wide layout: amount column per fund
    total_column: int | None               # wide layout: the 合计 column
    factor: Decimal                        # 1 (元) or 10000 (万元)
    unit_word: str
    unit_from: str
    unknown: list[tuple[int, str]]
    year: int | None
    org_name: str | None
    org_code: str | None
    carried_columns: dict[int, CarriedFrom] = field(default_factory=dict)   # wide layout: 上年结转 of a fund


@dataclass
class Line:
    layout: Layout
    row: int
    amount_col: int
    amount: Decimal
    fund: Fund
    unit: tuple[str | None, str | None]            # (code, name)
    function: str
    function_name: str | None
    economic: str
    economic_name: str | None
    gov: str | None
    kind: ExpenseKind
    project: tuple[str | None, str | None]         # (code, name)
    project_type: ProjectType | None
    texts: dict[str, str]                          # the row's mapped cells as text (for matching totals)
    procurement: bool
    carried: CarriedFrom | None = None             # 上年结转结余 of this fund (“上年结转-一般公共预算”)


@dataclass
class Total:
    layout: Layout
    row: int
    key: dict[str, str]
    amounts: dict[int, Decimal]                    # amount column → value
    word: str                                      # 合计 / 小计 / ""
    function_name: str | None = None               # a 类/款 total's name (“21305 巩固拓展…”): `function_names`


@dataclass
class UnitBlocks:
    """A sheet's unit group rows (“401002 某县水利工程管理站”, “预算单位：401002 …” above its lines, the lines not
    repeating the unit): the unit the lines under the last one belong to, and the lines read before any."""
    current: tuple[str | None, str | None] | None = None
    rows: list[int] = field(default_factory=list)
    orphans: list[int] = field(default_factory=list)     # rows of line items without a unit, above the first heading
    given: int = 0                                       # line items whose unit is the heading's


@dataclass
class Imported:
    data: dict
    notes: Notes
    report: list[str]
    problems: list[Problem]                        # warnings (errors raise ExportError)


# --------------------------------------------------------------------------- reading cells

def split_code(text: str) -> tuple[str | None, str | None]:
    """“2080505 名称” / “[2080505]名称” / “2080505” / “208 05 05” → (code, name)."""
    t = text.strip()
    if _SPLIT_CODE.match(t):
        return t.replace(" ", ""), None
    m = _CODE_NAME.match(t)
    if not m:
        return None, t or None
    return m.group(1), (m.group(2) or "").strip() or None


def unit_of(got: dict[str, str]) -> tuple[str | None, str | None]:
    """(code, name) of a unit from its cells: one “unit” cell holding both, or separate code and name cells; a name
    cell that carries the code too (“[420123]某县农业农村局”) gives the name alone, and the code when no code cell
    does (trialI-s29 D2: the brackets were printed in every table's unit rows)."""
    code, name = split_named(got["unit"]) if got.get("unit") else (None, None)
    if got.get("unit_name"):
        m = _CODED_UNIT_NAME.match(got["unit_name"])
        name = m.group(3).strip() if m else got["unit_name"]
        code = code or (m and (m.group(1) or m.group(2)))
    return got.get("unit_code") or code or None, name or None


def split_named(text: str) -> tuple[str | None, str | None]:
    """A unit or project cell: “410002 麟游县医疗保障经办机构” → (code, name); a bare name → (None, name)."""
    t = text.strip()
    m = _UNIT_NAME.match(t)
    if m and not SUBTOTAL_WORDS.search(m.group(1)):
        return m.group(1), m.group(2).strip()
    if re.fullmatch(r"[0-9A-Za-z]{2,30}", t):
        return t, None
    return None, t or None


class _Problems:
    def __init__(self):
        self.items: list[Problem] = []

    def error(self, where: Location, message: str, rule: str = "import.cell") -> None:
        self.items.append(Problem(rule, "error", message, (where,)))

    def warning(self, where: Location, message: str, rule: str = "import.notice") -> None:
        self.items.append(Problem(rule, "warning", message, (where,)))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "error"]


def _amount(value: Any, layout: Layout, row: int, col: int, probs: _Problems) -> Decimal | None:
    """A money cell in 元 (exact), None when blank; errors are recorded at the cell."""
    where = layout.grid.at(row, col)
    if is_blank(value) or (isinstance(value, str) and value.strip() in ("-", "—", "--", "－")):
        return None
    if isinstance(value, Uncomputed):
        probs.error(where, f"金额是公式（{value[:30]}），文件中没有它的计算结果（由程序写出、未在 Excel 中打开保存过）："
                           "请用 Excel 打开、保存后再导入")
        return None
    if isinstance(value, bool):
        probs.error(where, f"金额应为数字，此格是“{value}”")
        return None
    if isinstance(value, int):
        d = Decimal(value)
    elif isinstance(value, float):
        d = Decimal(repr(value))
    elif isinstance(value, Decimal):
        d = value
    else:
        text = re.sub(r"[,，\s]|元$", "", str(value))
        odd = non_ascii_digits(text)
        if odd:
            probs.error(where, odd)
            return None
        if not _NUMBER.match(text):
            probs.error(where, f"金额“{str(value).strip()}”不是数字")
            return None
        d = Decimal(text)
    if not d.is_finite():
        probs.error(where, f"金额“{value}”不是数字")
        return None
    if d < 0:
        probs.error(where, f"金额 {d} 是负数：预算明细不应有负数，请核对导出")
        return None
    yuan = d * layout.factor
    if yuan != yuan.quantize(CENT):
        probs.error(where, f"金额 {d} {layout.unit_word} = {yuan} 元，不是整分：无法作为预算金额；"
                           f"请以元为单位重新导出（或导出万元时保留 6 位小数）")
        return None
    return yuan.quantize(CENT) if yuan != yuan.to_integral_value() else yuan.quantize(Decimal(1))


# --------------------------------------------------------------------------- the header

def _row_texts(grid: Grid, row: int) -> list[str]:
    return [text_of(v) if isinstance(v, str) else "" for v in (grid.rows[row] if row < len(grid.rows) else [])]


def _header_like(grid: Grid, row: int) -> bool:
    """Labels only, at least two different ones (a title merged across the sheet is one text), none
    with a colon (“单位：元”, “编制部门：…” lines), no codes or numbers."""
    cells = [v for v in (grid.rows[row] if row < len(grid.rows) else []) if not is_blank(v)]
    return len({text_of(v) for v in cells}) >= 2 and all(
        isinstance(v, str) and not re.match(r"^\s*[\[【]?\d{3,}", v) and not re.search(r"[:：]", v)
        and not _NUMBER.match(v.replace(",", "").strip()) for v in cells)


def _compose(parts: list[str]) -> str:
    """Stacked header labels → one: parts repeated or contained in another are dropped."""
    kept: list[str] = []
    for p in parts:
        p = p.strip()
        if not p or any(p in k for k in kept):
            continue
        kept = [k for k in kept if k not in p] + [p]
    return "".join(kept)


def _labels(grid: Grid, first: int, last: int) -> list[str]:
    width = max((len(grid.rows[r]) for r in range(first, last + 1)), default=0)
    return [_compose([text_of(grid.cell(r, c)) for r in range(first, last + 1)]) for c in range(width)]


def _score(labels: list[str]) -> int:
    found = {column_field(h) for h in labels if h}
    found.discard(None)
    if not ({"function", "function_code"} & found and {"economic", "economic_code"} & found):
        return 0
    return len(found) + (1 if "amount" in found or any(fund_of(h) for h in labels if h) else 0)


def _find_header(grid: Grid, mapping: Mapping) -> tuple[int, int] | None:
    if mapping.header_row:
        first = mapping.header_row - 1
        last = first
        while last + 1 < len(grid.rows) and last - first < 2 and _header_like(grid, last + 1):
            last += 1
        return first, last
    best: tuple[int, int, int] | None = None
    for r in range(min(HEADER_SEARCH, len(grid.rows))):
        if not _header_like(grid, r):
            continue
        last = r
        while last + 1 < len(grid.rows) and last - r < 2 and _header_like(grid, last + 1):
            last += 1
        for end in range(r, last + 1):
            score = _score(_labels(grid, r, end))
            if score and (best is None or score > best[0]):
                best = (score, r, end)
        if mapping.columns and best is None:
            labels = _labels(grid, r, last)
            if any(normalize_header(h) in mapping.columns or h in mapping.columns for h in labels if h):
                best = (1, r, last)
    return (best[1], best[2]) if best else None


def _layout(grid: Grid, mapping: Mapping, unit_option: str | None, probs: _Problems) -> Layout | None:
    header = _find_header(grid, mapping)
    if header is None:
        return None
    first, last = header
    labels = _labels(grid, first, last)
    columns: dict[str, int] = {}
    fund_columns: dict[int, Fund] = {}
    carried_columns: dict[int, CarriedFrom] = {}
    total_column = None
    unknown = []
    mapped = {k if re.fullmatch(r"[A-Z]{1,2}", k) else normalize_header(k): v for k, v in mapping.columns.items()}
    from openpyxl.utils import get_column_letter
    amount_headers = []
    for c, label in enumerate(labels):
        if not label:
            continue
        fld = mapped.get(get_column_letter(c + 1)) or mapped.get(normalize_header(label))
        if fld == "ignore":
            continue
        fld = fld or column_field(label)
        fund = fund_of(normalize_header(label)) if fld in (None, "amount") else None
        if fund is not None and (fld is None or not re.search(r"合计|总计|小计", label)):
            fund_columns[c] = fund
            if (origin := carried_of(label)) is not None:
                carried_columns[c] = origin
            amount_headers.append(label)
        elif fld == "amount":
            if "amount" in columns:
                total_column = columns["amount"] if re.search(r"合计|总计", labels[columns["amount"]]) else c
                if total_column == columns["amount"]:
                    columns["amount"] = c
            else:
                columns["amount"] = c
            amount_headers.append(label)
        elif fld is not None and fld not in columns:
            columns[fld] = c
        elif fld is None and not ignored(label):
            unknown.append((c, label))
    if fund_columns and "amount" in columns and "fund" not in columns:
        total_column = columns.pop("amount")   # wide layout: the single 合计 column is the total of the fund columns
    # the amount unit: the amount header, else a 单位 line above the header, else the option, else 元
    above = [t for r in range(first) for t in _row_texts(grid, r) if t]
    unit_word, unit_from = None, ""
    if mapping.unit:
        unit_word, unit_from = mapping.unit, "映射文件"
    elif unit_option:
        unit_word, unit_from = unit_option, "--unit"
    for h in amount_headers:
        if unit_word is None and "万元" in h:
            unit_word, unit_from = "万元", f"表头“{h}”"
        elif unit_word is None and re.search(r"[（(]元[）)]", h):
            unit_word, unit_from = "元", f"表头“{h}”"
    for t in above:
        m = AMOUNT_UNIT.search(t)
        if unit_word is None and m:
            unit_word, unit_from = m.group(1), f"“{t}”"
    if unit_word is None:
        unit_word, unit_from = "元", ""
        probs.warning(grid.at(first, 0), "导出中没有写金额单位（“单位：元”或“万元”），按元读取；如是万元请加 --unit 万元",
                      "import.unit")
    years = {int(m.group(1)) for t in above for m in [YEAR.search(t)] if m}
    year = years.pop() if len(years) == 1 else None
    org_code = org_name = None
    for t in above:
        m = _NAME_LINE.search(t)
        if m:
            org_code, org_name = m.group(1), m.group(2)
            break
    else:   # the title names it: “某县农业农村局2025年部门预算支出明细表”
        org_name = next((m.group(1) for t in above for m in [_TITLE_NAME.match(t)] if m), None)
    return Layout(grid, (first, last), columns, fund_columns, total_column,
                  TEN_THOUSAND if unit_word == "万元" else Decimal(1), unit_word, unit_from, unknown, year,
                  org_name, org_code, carried_columns)


# --------------------------------------------------------------------------- rows

def _cell_text(layout: Layout, row: int, fld: str, constants: dict[str, str]) -> str:
    c = layout.columns.get(fld)
    if c is None:
        return constants.get(fld, "")
    return text_of(layout.grid.cell(row, c))


def _code_and_name(layout: Layout, row: int, base: str, constants: dict[str, str]) -> tuple[str | None, str | None]:
    code_text = _cell_text(layout, row, f"{base}_code", constants)
    name_text = _cell_text(layout, row, f"{base}_name", constants)
    whole = _cell_text(layout, row, base, constants)
    code, name = split_code(code_text) if code_text else split_code(whole) if whole else (None, None)
    return code, name_text or name


def _unit_heading(layout: Layout, row: int, amount_cols: list[int]) -> tuple[tuple[str | None, str | None], str] | None:
    """(unit, the text naming it) when the row is a unit group row, else None.

    Such a row's only texts are in the unit columns, or it has one text (merged across, or in the first
    column) that is a unit: “预算单位：401002 某县水利工程管理站”, or a code and a name whose code is not
    shaped like a 功能/经济 code (3, 5 or 7 digits: “213 农林水支出” is a 类 row) — as `split_named` reads
    a unit cell. The export's lines do not repeat the unit: they belong to the heading above them."""
    g = layout.grid
    cells = {c: text_of(v) for c, v in enumerate(g.rows[row]) if c not in amount_cols and not is_blank(v)}
    if not cells or any(SUBTOTAL_WORDS.search(t) or AMOUNT_UNIT.match(t) for t in cells.values()):
        return None
    labelled = any(_UNIT_LABEL.match(t) for t in cells.values())
    cells = {c: _UNIT_LABEL.sub("", t, count=1) for c, t in cells.items()}
    by_col = {c: f for f, c in layout.columns.items()}
    if all(by_col.get(c) in ("unit", "unit_code", "unit_name") for c in cells):
        got = {by_col[c]: t for c, t in cells.items()}
        return unit_of(got), " ".join(dict.fromkeys(cells.values()))
    if len(set(cells.values())) != 1 or any(by_col.get(c) in _NOT_UNIT_COLUMNS for c in cells):
        return None
    text = next(iter(cells.values()))
    code, name = split_named(text)
    if labelled:
        return ((code, name), text) if code or name else None
    if code and name and not (code.isdigit() and len(code) in (3, 5, 7)):
        return (code, name), text
    return None


def _row(layout: Layout, row: int, mapping: Mapping, probs: _Problems, lines: list[Line], totals: list[Total],
         skipped: list[int], blocks: UnitBlocks) -> None:
    g = layout.grid
    const = mapping.constants
    amount_cols = list(layout.fund_columns) if layout.fund_columns else ([layout.columns["amount"]] if "amount" in layout.columns else [])
    if layout.total_column is not None:
        amount_cols.append(layout.total_column)
    before = len(probs.errors)
    amounts = {c: _amount(g.cell(row, c), layout, row, c, probs) for c in amount_cols}
    for f, c in layout.columns.items():     # a code typed as a number of 16 digits or more: Excel kept 15
        if f != "amount" and lost_digits(g.cell(row, c)):
            probs.error(g.at(row, c), lost_digits_message(g.cell(row, c)), "import.digits")
    if len(probs.errors) > before:
        return
    function, function_name = _code_and_name(layout, row, "function", const)
    economic, economic_name = _code_and_name(layout, row, "economic", const)
    texts = {f: _cell_text(layout, row, f, const) for f in FIELDS if f != "amount"}
    words = [t for t in texts.values() if SUBTOTAL_WORDS.search(t)] + \
            [text_of(v) for v in g.rows[row] if isinstance(v, str) and SUBTOTAL_WORDS.fullmatch(v.strip())]
    has_amount = any(v is not None for v in amounts.values())
    detail = bool(function and len(function) == 7 and economic and len(economic) == 5 and not words)
    if not detail:
        heading = _unit_heading(layout, row, amount_cols)
        if heading is not None:
            blocks.current = heading[0]
            blocks.rows.append(row)
            if has_amount:      # the unit's total: checked against the lines under it
                totals.append(Total(layout, row, {"unit": heading[1]}, {c: v or Decimal(0) for c, v in amounts.items()}, ""))
            return
        if not has_amount:
            return   # a blank, note or footer row
        key = {}
        for f in ("unit", "unit_code", "unit_name", "project_code", "project_name", "project", "project_category", "kind", "fund"):
            t = texts.get(f, "")
            if t and not SUBTOTAL_WORDS.search(t):
                key[f] = t
        for base in ("function", "economic", "gov_economic"):
            code, _ = _code_and_name(layout, row, base, const)
            if code:
                key[base] = code
        word = "合计" if any(re.search(r"合\s*计|总\s*计|共\s*计", w) for w in words) else "小计" if words else ""
        totals.append(Total(layout, row, key, {c: v or Decimal(0) for c, v in amounts.items()}, word,
                            function_name if function and len(function) in (3, 5) else None))
        return
    # a line item
    if layout.total_column is not None and layout.fund_columns:
        parts = sum((v or Decimal(0) for c, v in amounts.items() if c != layout.total_column), Decimal(0))
        total = amounts[layout.total_column] or Decimal(0)
        if parts != total:
            probs.error(g.at(row, layout.total_column),
                        f"本行合计 {_yuan(total)} ≠ 各资金来源之和 {_yuan(parts)}，相差 {_yuan(abs(total - parts))}", "import.subtotal")
            return
    unit = unit_of(texts)
    if unit == (None, None):
        if blocks.current is not None:
            unit = blocks.current
            blocks.given += 1
        else:
            blocks.orphans.append(row)
    project = split_named(texts["project"]) if texts.get("project") else (None, None)
    project = (texts.get("project_code") or project[0], texts.get("project_name") or project[1])
    gov, _ = _code_and_name(layout, row, "gov_economic", const)
    kind, ptype = _kind(layout, row, texts, economic, project, probs)
    if kind is None:
        return
    procurement = texts.get("procurement", "").strip() in ("是", "Y", "y", "√", "1", "TRUE", "True", "true")
    funds: list[tuple[int, Fund, Decimal | None]]
    carried: dict[int, CarriedFrom] = layout.carried_columns
    if layout.fund_columns:
        funds = [(c, f, amounts[c]) for c, f in layout.fund_columns.items()]
    else:
        fund_text = texts.get("fund", "")
        fund = fund_of(fund_text) if fund_text else None
        col = layout.columns.get("fund", layout.columns.get("amount", 0))
        if fund is None:
            probs.error(g.at(row, col), f"资金来源“{fund_text}”无法识别（应能看出是一般公共预算、政府性基金、"
                                        f"财政专户、事业收入、经营收入、上级补助、附属单位上缴、其他收入或上年结转）"
                        if fund_text else "资金来源为空：请在导出中保留资金性质/资金来源，或在映射文件的 constants 中写明",
                        "import.fund")
            return
        amount_col = layout.columns["amount"]
        funds = [(amount_col, fund, amounts[amount_col])]
        carried = {amount_col: origin} if (origin := carried_of(fund_text)) is not None else {}
    if not any(amount for _, _, amount in funds):
        skipped.append(row)
    for col, fund, amount in funds:
        if not amount:
            continue
        lines.append(Line(layout, row, col, amount, fund, unit, function, function_name, economic, economic_name,
                          gov, kind, project, ptype, texts, procurement, carried.get(col)))


def _kind(layout: Layout, row: int, texts: dict[str, str], economic: str, project, probs: _Problems):
    basic = ExpenseKind.personnel if economic[:3] in ("301", "303") else ExpenseKind.public
    if texts.get("kind"):
        ok, kind = kind_of(texts["kind"])
        if ok:
            if kind is ExpenseKind.project:
                ok2, _, ptype = category_of(texts.get("project_category", ""))
                return kind, ptype if ok2 else None
            return basic if kind is None else kind, None
        probs.error(layout.grid.at(row, layout.columns["kind"]),
                    f"支出类型“{texts['kind']}”无法识别（应为人员经费、公用经费、项目支出或基本支出）", "import.kind")
        return None, None
    if texts.get("project_category"):
        ok, kind, ptype = category_of(texts["project_category"], project[1] or "")
        if ok:
            return (basic if kind is None else kind), ptype
        probs.error(layout.grid.at(row, layout.columns["project_category"]),
                    f"项目类别“{texts['project_category']}”无法识别（应为人员类、运转类或特定目标类项目）", "import.kind")
        return None, None
    col = layout.columns.get("function", layout.columns.get("function_code", 0))
    probs.error(layout.grid.at(row, col), "导出中没有“支出类型”或“项目类别”列，无法区分人员经费、公用经费和项目支出；"
                                           "请在导出中保留其中一列，或用 --map 指明", "import.column")
    return None, None


def _yuan(v: Decimal) -> str:
    return f"{v:,.2f} 元"


# --------------------------------------------------------------------------- totals

def _matches(line: Line, key: dict[str, str]) -> bool:
    for f, value in key.items():
        if f in ("function", "economic", "gov_economic"):
            code = {"function": line.function, "economic": line.economic, "gov_economic": line.gov or ""}[f]
            if not code.startswith(value):
                return False
        elif f in ("unit", "unit_code", "unit_name"):
            code, name = unit_of({f: value})
            if not ((code and code == line.unit[0]) or (name and name == line.unit[1]) or value == line.texts.get(f)):
                return False
        elif f in ("project", "project_code", "project_name"):
            code, name = split_named(value) if f == "project" else ((value, None) if f == "project_code" else (None, value))
            if not ((code and code == line.project[0]) or (name and name == line.project[1]) or value == line.texts.get(f)):
                return False
        elif f == "fund":
            if fund_of(value) is not line.fund:
                return False
        elif line.texts.get(f) != value:
            return False
    return True


def _column_sum(layout: Layout, col: int, items: list[Line]) -> Decimal:
    """What a total's amount column stands for: the items' amounts (in a wide layout, those of its fund column)."""
    if layout.fund_columns and col != layout.total_column:
        items = [ln for ln in items if ln.amount_col == col]
    return sum((ln.amount for ln in items), Decimal(0))


def _check_totals(layout: Layout, lines: list[Line], totals: list[Total], probs: _Problems) -> int:
    """Every total row against the line items it sums; returns how many were checked."""
    mine = [ln for ln in lines if ln.layout is layout]
    checked = 0
    for n, t in enumerate(totals):
        if t.word == "小计" and not t.key:
            prev = max((o.row for o in totals[:n]), default=-1)
            nxt = min((o.row for o in totals[n + 1:]), default=10 ** 9)
            candidates = [[ln for ln in mine if prev < ln.row < t.row], [ln for ln in mine if t.row < ln.row < nxt]]
        else:
            candidates = [[ln for ln in mine if _matches(ln, t.key)]]
            if not any(k in t.key for k in ("unit", "unit_code", "unit_name")):
                # a tree export (unit → 类 → 款 → lines) does not repeat the unit on its 类/款 rows: such a
                # row sums the lines of the unit block it stands in — the unit of the line next to it
                near = [ln for ln in mine if ln.row > t.row][:1] + [ln for ln in mine if ln.row < t.row][-1:]
                candidates += [[ln for ln in mine if ln.unit == n.unit and _matches(ln, t.key)] for n in near]
        if not any(candidates) and not t.word:
            where = layout.grid.at(t.row, next(iter(t.amounts)))
            probs.error(where, "无法识别此行：有金额，却没有完整的功能分类（7 位）和经济分类（5 位）编码，"
                               "也不是合计/小计行，且没有与之对应的明细", "import.row")
            continue
        for col, value in t.amounts.items():
            sums = [_column_sum(layout, col, c) for c in candidates]
            if value in sums:
                continue
            label = t.word or "分组合计"
            if t.key:
                scope = "、".join(t.key.values())
            elif t.word == "小计":
                scope = "上一个合计/小计行以来的明细"
            else:
                scope = "本表全部明细"
            # a line whose 经济分类 stops at its 类 (302 for 30201) reads as a 类 total: say what it lacks
            short = len(t.key.get("function", "")) == 7 and len(t.key.get("economic", "")) == 3 and not t.word
            probs.error(layout.grid.at(t.row, col),
                        f"{label}行金额 {_yuan(value)} ≠ 对应明细之和 {_yuan(sums[0])}，相差 {_yuan(abs(value - sums[0]))}"
                        f"（对应明细：{scope}）" + (f"。此行功能分类是 7 位的项，经济分类“{t.key['economic']}”却只有 3 位："
                                                  "若是明细行，经济分类要写到 5 位的款（如 30201）" if short else ""),
                        "import.subtotal")
        checked += 1
    return checked


# --------------------------------------------------------------------------- the budget

def _unit_kinds(lines: list[Line], catalog) -> dict[str, tuple[str | None, str]]:
    """Per unit: (事业单位 / 行政单位 when the export's 政府经济分类 tells, else None; why it cannot tell).

    The reason names what the export actually holds — no 政府经济分类 column, none on the unit's lines, a
    line whose pair (部门 30226 → 政府 50299) is off both standard mappings, lines that say 机关 beside lines
    that say 事业, or pairs the two mappings share — so the clerk can check the line rather than the export."""
    fits: dict[str, set[str]] = {}
    by_kind: dict[str, dict[str, Line]] = defaultdict(dict)    # unit → kind → a line that fits it alone
    off: dict[str, Line] = {}                                  # unit → its first line off both mappings
    units = dict.fromkeys(ln.unit[0] or ln.unit[1] or "" for ln in lines)
    for ln in lines:
        if not ln.gov:
            continue
        key = ln.unit[0] or ln.unit[1] or ""
        ok = _kinds_fitting(ln, catalog)
        fits[key] = fits.get(key, {"机关", "事业"}) & ok
        if not ok:
            off.setdefault(key, ln)
        elif len(ok) == 1:
            by_kind[key].setdefault(next(iter(ok)), ln)
    out: dict[str, tuple[str | None, str]] = {}
    has_column = any({"gov_economic", "gov_economic_code"} & set(ly.columns) for ly in {id(ln.layout): ln.layout for ln in lines}.values())
    for key in units:
        v = fits.get(key)
        if v == {"事业"}:
            out[key] = ("事业单位", "")
        elif v == {"机关"}:
            out[key] = ("行政单位", "")
        elif v is None:
            out[key] = (None, "导出中的政府经济分类为空，无法判断" if has_column else "导出中没有政府经济分类，无法判断")
        elif key in off:
            ln = off[key]
            out[key] = (None, f"{_gov_ref(ln)} 部门经济分类 {ln.economic} 对应政府经济分类 {ln.gov}，不合标准对应，"
                              f"无法判断；请核对此行。{_printed_instead(ln, catalog)}")
        elif v:
            out[key] = (None, "各行的政府经济分类对机关和事业单位相同，无法判断")
        else:
            a, b = by_kind[key]["机关"], by_kind[key]["事业"]
            out[key] = (None, f"{_gov_ref(a)}（{a.economic} → {a.gov}）按机关对应，{_gov_ref(b)}（{b.economic} → {b.gov}）"
                              "按事业单位对应，无法判断；请核对")
    return out


def _kinds_fitting(ln: Line, catalog) -> set[str]:
    """The unit kinds (机关, 事业) whose standard mapping takes the line's 部门经济分类 to its 政府经济分类."""
    return {k for k in ("机关", "事业") if catalog.dept_to_gov.get(k, {}).get(ln.economic) == ln.gov}


def _printed_instead(ln: Line, catalog) -> str:
    """What the package prints for a line whose 政府经济分类 is off both standard mappings: the model derives the
    pair from the unit's kind by the catalog (a line has no override, so tables agree with the kind), and the
    clerk who typed the kind must not expect the export's code (trialD-s26 D2)."""
    std = "、".join(f"{'机关' if k == '机关' else '事业单位'} {catalog.dept_to_gov[k][ln.economic]}" for k in ("机关", "事业")
                   if catalog.dept_to_gov.get(k, {}).get(ln.economic))
    return (f"表中按单位性质的标准对应印制{'：' + std if std else ''}；导出中的 {ln.gov} 不采用")


def _off_mapping(lines: list[Line], catalog) -> tuple[dict[int, str], list[str]]:
    """The lines whose 部门 → 政府经济分类 pair is off both standard mappings: a comment for each written line (by
    index) and one report line per pair, said whether or not the kind was given (--kind, or typed later)."""
    notes: dict[int, str] = {}
    pairs: dict[tuple[str, str], list[Line]] = {}
    for n, ln in enumerate(lines):
        if ln.gov and not _kinds_fitting(ln, catalog):
            notes[n] = f"导出中政府经济分类为 {ln.gov}，不合标准对应；{_printed_instead(ln, catalog)}"
            pairs.setdefault((ln.economic, ln.gov), []).append(ln)
    report = [f"{_gov_ref(found[0])}{f' 等 {len(found)} 行' if len(found) > 1 else ''}：部门经济分类 {economic} 对应政府经济分类 "
              f"{gov}，不合标准对应；{_printed_instead(found[0], catalog)}" for (economic, gov), found in pairs.items()]
    return notes, report


def _gov_ref(ln: Line) -> str:
    """The cell of a line's 政府经济分类 (else its row), for a note in the written file."""
    col = ln.layout.columns.get("gov_economic", ln.layout.columns.get("gov_economic_code"))
    return ln.layout.grid.ref(ln.row, col) if col is not None else f"{ln.layout.grid.where()} 第 {ln.row + 1} 行"


def import_exports(paths: list[str | Path], *, mapping: Mapping | None = None, year: int | None = None,
                   profile: str | None = None, name: str | None = None, code: str | None = None,
                   kind: str | None = None, unit: str | None = None, catalog_dir=None) -> Imported:
    """Read exports into budget data; raises `ExportError` (every problem located) when anything is wrong."""
    mapping = mapping or Mapping()
    probs = _Problems()
    report: list[str] = []
    lines: list[Line] = []
    layouts: list[Layout] = []
    class_names: dict[str, str] = {}     # 类/款 names the export's total rows print
    for path in paths:
        try:
            grids = read_grids(path)
        except GridError as e:
            probs.items.append(e.problem)
            continue
        found = False
        for grid in grids:
            if mapping.sheet and grid.sheet not in (None, mapping.sheet):
                continue
            layout = _layout(grid, mapping, unit, probs)
            if layout is None:
                continue
            found = True
            layouts.append(layout)
            missing = _missing_columns(layout, mapping)
            if missing:
                labels = "、".join(f"{h}" for h in _labels(grid, *layout.header) if h)
                probs.error(grid.at(layout.header[0], 0),
                            f"找不到{'、'.join(missing)}列（表头在第 {layout.header[0] + 1}"
                            f"{'–' + str(layout.header[1] + 1) if layout.header[1] > layout.header[0] else ''} 行：{labels}）；"
                            "请用 --map 映射文件指明哪一列是它", "import.column")
                continue
            totals: list[Total] = []
            skipped: list[int] = []
            start = len(lines)
            before = len(probs.errors)
            blocks = UnitBlocks()
            for r in range(layout.header[1] + 1, len(grid.rows)):
                _row(layout, r, mapping, probs, lines, totals, skipped, blocks)
            if blocks.given and blocks.orphans:     # (a footer “编制单位：…” under unit-less lines places none)
                first = blocks.orphans[0]
                probs.error(grid.at(first, layout.columns.get("unit", 0)),
                            f"明细行没有预算单位：本表的单位写在分组行上（第 {'、'.join(str(r + 1) for r in blocks.rows[:5])}"
                            f"{' 等' if len(blocks.rows) > 5 else ''} 行），而第 {first + 1} 行等 {len(blocks.orphans)} 行明细"
                            f"在第一个单位分组行之上，不知属于哪个单位；请导出时保留“预算单位”列，"
                            "或让每个单位的分组行在其明细之上", "import.unit")
            # totals over a refused line cannot add up: they are checked once the lines are right
            checked = _check_totals(layout, lines, totals, probs) if len(probs.errors) == before else 0
            for tot in totals:
                if tot.function_name:
                    class_names.setdefault(tot.key["function"], tot.function_name)
            for c, label in layout.unknown:
                said = (f"列“{label}”是上年、调整或执行的数，不是本年预算，未读取" if not_this_year(label)
                        else f"未识别的列“{label}”，已忽略（如需读取，请用 --map 指明）")
                probs.warning(grid.at(layout.header[0], c), said, "import.unknown-column")
            if layout.factor == TEN_THOUSAND and lines[start:] and all(ln.amount % 100 == 0 for ln in lines[start:]):
                probs.warning(grid.at(layout.header[0], 0), "金额以万元导出且只有两位小数（精确到百元）：与批复数可能差几十元；"
                                                             "能导出为元时请以元导出", "import.rounded")
            report.append(f"{grid.where()}：表头第 {layout.header[0] + 1}"
                          f"{'–' + str(layout.header[1] + 1) if layout.header[1] > layout.header[0] else ''} 行，"
                          f"金额单位 {layout.unit_word}{'（据' + layout.unit_from + '）' if layout.unit_from else '（未写明，按元）'}，"
                          f"明细 {len(lines) - start} 行，合计/小计 {checked} 行已核对"
                          + (f"，{blocks.given} 行明细的预算单位据其上的单位分组行（{len(blocks.rows)} 行）" if blocks.given else "")
                          + (f"，金额为空或 0 的 {len(skipped)} 行已跳过" if skipped else ""))
        if not found:
            probs.error(Location(str(path)), "没有找到支出明细的表头（需要有功能分类、经济分类和金额等列）；"
                                             "如果列名不同，请用 --map 映射文件指明", "import.header")
    if probs.errors:
        raise ExportError(probs.errors + [p for p in probs.items if p.severity != "error"])
    if not lines:
        raise ExportError([Problem("import.empty", "error", "导出中没有任何金额不为 0 的支出明细行",
                                    tuple(Location(str(p)) for p in paths))])
    years = {ly.year for ly in layouts if ly.year} if year is None else {year}
    if len(years) != 1:
        raise ExportError([Problem("import.year", "error",
                                    "导出中找不到预算年度（标题中的“20XX年”），请加 --year 指明" if not years else
                                    f"各导出的年度不一致（{'、'.join(map(str, sorted(years)))}），请分别导入或加 --year 指明",
                                    tuple(Location(str(p)) for p in paths))])
    data, notes = _budget(lines, layouts, years.pop(), profile, name, code, kind, catalog_dir, report, class_names)
    return Imported(data, notes, report, [p for p in probs.items if p.severity != "error"])


def _missing_columns(layout: Layout, mapping: Mapping) -> list[str]:
    have = set(layout.columns) | set(mapping.constants)
    missing = []
    if not {"function", "function_code"} & have:
        missing.append("支出功能分类")
    if not {"economic", "economic_code"} & have:
        missing.append("部门经济分类")
    if "amount" not in have and not layout.fund_columns:
        missing.append("金额")
    if "fund" not in have and not layout.fund_columns:
        missing.append("资金性质/资金来源")
    if not {"kind", "project_category"} & have:
        missing.append("支出类型或项目类别")
    return missing


def _budget(lines: list[Line], layouts: list[Layout], year: int, profile: str | None, name: str | None,
            code: str | None, kind: str | None, catalog_dir, report: list[str],
            class_names: dict[str, str]) -> tuple[dict, Notes]:
    catalog = load_catalog(year, catalog_dir)
    notes = Notes()
    units: dict[str, dict] = {}
    for ln in lines:
        key = ln.unit[0] or ln.unit[1] or ""
        units.setdefault(key, {"code": ln.unit[0], "name": ln.unit[1]})
    kinds = _unit_kinds(lines, catalog)
    multi = len(units) > 1
    org: dict[str, Any] = {}
    header_name = next((ly.org_name for ly in layouts if ly.org_name), None)
    header_code = next((ly.org_code for ly in layouts if ly.org_code), None)
    if multi:
        org["name"] = name or header_name or "待填"
        org["code"] = code or "待填"
        if not name and header_name:
            notes.after[("organization", "name")] = "据导出的标题或“部门名称”行；请核对"
        if not (name or header_name) or not code:
            notes.after[("organization", "name" if not (name or header_name) else "code")] = \
                "部门的全称和编码（各单位之上的主管部门；可用 --name/--code 给出）"
    else:
        only = next(iter(units.values()))
        org["name"] = name or only["name"] or header_name or "待填"
        org["code"] = code or only["code"] or header_code or "待填"
    unit_kinds = {}
    for key, u in units.items():
        k = kind or kinds[key][0]
        unit_kinds[key] = k or "待填"
    if multi:
        org["kind"] = kind or unit_kinds.get(next(iter(units))) or "待填"
        org["units"] = [{"code": u["code"] or key, "name": u["name"] or u["code"] or "待填", "kind": unit_kinds[key]}
                        for key, u in units.items()]
        if any(not u["code"] for u in units.values()):
            notes.before[("organization", "units")] = ["待填：导出中没有单位编码，暂以单位名称代替；请改为各单位的编码"
                                                       "（支出明细、收入、项目中的 unit 一并改）"]
        for n, (key, u) in enumerate(units.items()):
            if not kind and kinds[key][0] == "行政单位":
                notes.after[("organization", "units", n)] = "据政府经济分类判断为机关类；如为参照公务员法管理事业单位请改"
            elif unit_kinds[key] == "待填":
                notes.after[("organization", "units", n)] = f"单位性质：行政单位 / 参照公务员法管理事业单位 / 事业单位（{kinds[key][1]}）"
    else:
        org["kind"] = unit_kinds[next(iter(units))]
        if not kind and org["kind"] == "行政单位":
            notes.after[("organization", "kind")] = "据导出的政府经济分类判断为机关类；如为参照公务员法管理事业单位请改"
        elif org["kind"] == "待填":
            notes.after[("organization", "kind")] = f"单位性质：行政单位 / 参照公务员法管理事业单位 / 事业单位（{kinds[next(iter(units))][1]}）"
    unit_code = {key: u["code"] or key for key, u in units.items()}

    projects: dict[str, dict] = {}
    expenditures = []
    for ln in lines:
        item: dict[str, Any] = {"function": ln.function}
        if ln.function_name:
            item["function_name"] = ln.function_name
        item["economic"] = ln.economic
        if ln.economic_name:
            item["economic_name"] = ln.economic_name
        item["kind"] = ln.kind.value
        item["amount"] = ln.amount
        if ln.fund is not Fund.general:
            item["fund"] = ln.fund.value
        if ln.carried is not None:
            item["carried_from"] = ln.carried.value
        if multi:
            item["unit"] = unit_code[ln.unit[0] or ln.unit[1] or ""]
        if ln.kind is ExpenseKind.project:
            pcode, pname = ln.project
            if not pcode and not pname:
                pname = "待填"
            key = pcode or pname
            item["project"] = key
            p = projects.setdefault(key, {"name": pname or pcode, **({"code": pcode} if pcode else {})})
            if multi:
                p.setdefault("unit", item["unit"])
            if ln.project_type is not None:
                p.setdefault("type", ln.project_type.value)
        expenditures.append(item)
    off_notes, off_report = _off_mapping(lines, catalog)
    for n, note in off_notes.items():
        notes.after[("expenditures", n)] = note
    report += off_report
    revenues: dict[tuple, Decimal] = defaultdict(Decimal)
    for ln, item in zip(lines, expenditures):
        revenues[(item.get("unit"), ln.fund)] += ln.amount
    data: dict[str, Any] = {}
    if profile:
        data["profile"] = profile
    data["year"] = year
    data["scope"] = "部门" if multi else "单位"
    data["organization"] = org
    data["revenues"] = [{"source": f.value, "amount": a, **({"unit": u} if u else {})}
                        for (u, f), a in revenues.items()]
    data["expenditures"] = expenditures
    if projects:
        data["projects"] = list(projects.values())
    unnamed = {c: n for c, n in sorted(class_names.items()) if catalog.function_name(c) is None}
    if unnamed:     # the 类/款 the year's catalog lacks, named as the export prints them
        data["function_names"] = unnamed
    total = sum((ln.amount for ln in lines), Decimal(0))
    files = "、".join(dict.fromkeys(Path(ly.grid.file).name for ly in layouts))
    notes.header = [
        f"由 discloser import 从预算系统导出生成：{files}",
        f"支出明细 {len(lines)} 行，{len(units)} 个单位，合计 {total:,.2f} 元（金额以元为单位）。",
        "以“# 待填”开头的注释是导出中没有、需要补充的内容：discloser validate 会逐条列出；填好后删去该注释。",
    ]
    notes.before[("revenues",)] = ["按支出明细汇总（本年收入 = 本年支出）；如有结转下年，请加 carry_forward 并相应调整收入"]
    _gaps(data, notes, profile, procurement=[ln for ln in lines if ln.procurement])
    report.append(f"共 {len(lines)} 行明细，{len(units)} 个单位，{len(projects)} 个项目，合计 {total:,.2f} 元")
    return data, notes


def _gaps(data: dict, notes: Notes, profile: str | None, procurement: list[Line]) -> None:
    """The commented 待填 blocks for what an export never holds; the profile says which its 说明 needs."""
    try:
        prof = load_profile(profile or DEFAULT_PROFILE)
        needed = set(prof.required_facts())
        label = prof.label
        assets = starter_assets(prof)       # as init: only the counts the 说明 prints (none: no block to fill)
        attest = [path.split(".", 1)[1] for path in prof.attestations()]
    except (LookupError, ValueError):
        needed, label, assets, attest = set(), "", dict(ASSET_COUNTS), []

    def need(path: str) -> str:
        return f"——版式“{label}”的说明需要，不填不能生成" if path in needed else ""

    org_gaps = [
        f"待填：主要职责（导出中没有）{need('organization.functions')}",
        "functions:",
        "  - 负责……",
        f"待填：年度工作任务（导出中没有）{need('organization.tasks')}",
        "tasks:",
        "  - ……",
        f"待填：人员编制与实有人数（导出中没有）{need('organization.staffing')}",
        "staffing: {authorized: 0, authorized_admin: 0, actual: 0, actual_admin: 0, retired: 0}",
        "待填：内设机构（导出中没有；不填则说明中不写）",
        "divisions: [办公室]",
    ]
    notes.gaps[("organization",)] = org_gaps
    top = []
    if data.get("projects"):
        notes.before[("projects",)] = ["待填：各项目的简介（description）、所属类别（group）和绩效目标（performance：goal 与 indicators）——导出中没有"]
    if procurement:
        total = sum((ln.amount for ln in procurement), Decimal(0))
        top += [f"待填：政府采购——导出中有 {len(procurement)} 行标为政府采购，合计 {total:,.2f} 元；请按品目登记（类别为货物/工程/服务）"
                f"{need('procurement')}",
                "procurement:", "  - {category: 货物, item: 办公设备, amount: 0}"]
    elif "procurement" in needed:     # “none” is said by the clerk, not read from an export without such lines
        top += [f"待填：政府采购预算（导出中没有）{need('procurement')}；没有政府采购写 procurement: []",
                "procurement:", "  - {category: 货物, item: 办公设备, amount: 0}"]
    if assets or "assets" in needed:
        top += [f"待填：国有资产占有使用情况（导出中没有）{need('assets')}",
                "assets: {" + ", ".join(f"{k}: {'{}' if v == {} else v}" for k, v in (assets or ASSET_COUNTS).items()) + "}"]
    if attest:      # what the clerk attests before publishing: never in an export, never assumed
        top += [f"待填：公开前的审查（导出中没有）——版式“{label}”在报表目录前印出，没写“是”时那两行不印；"
                "保密审查、主要负责人审签完成后写",
                "review: {" + ", ".join(f"{k}: 是" for k in attest) + "}"]
    top += [
        "待填：上年预算数与增减原因（导出中没有；说明中的“较上年增加/减少”由此计算。可用 discloser rollover 从上年的数据文件得到）",
        "prior_year:",
        "  total: {amount: 0, reason: ……}",
        "待填：部门整体绩效目标（导出中没有）",
        "performance:",
        "  department:",
        "    goals: [……]",
        "    indicators:",
        "      - {level1: 产出指标, level2: 数量指标, name: ……, comparator: ≥, value: \"0\", measure: 个}",
    ]
    notes.gaps[()] = top


def read_mapping(path: str | Path) -> Mapping:
    """A ``--map`` file (YAML); raises `ExportError` with located problems."""
    from ..source import load_source
    from ..problems import SourceError

    p = str(path)
    try:
        src = load_source(p)
    except SourceError as e:
        raise ExportError(e.problems) from None
    problems = []
    data = src.data if isinstance(src.data, dict) else {}
    if not isinstance(src.data, dict):
        problems.append(Problem("import.map", "error", "映射文件顶层应为键值映射（columns、header_row、unit、sheet、constants）",
                                (src.locate(()),)))
    allowed = {"columns", "header_row", "sheet", "unit", "constants"}
    for key in data:
        if key not in allowed:
            problems.append(Problem("import.map", "error", f"未知的键“{key}”（可用：{'、'.join(sorted(allowed))}）",
                                    (src.locate((key,), key=True),)))
    fields = set(FIELDS) | {"ignore"}
    columns = data.get("columns") or {}
    if not isinstance(columns, dict):
        problems.append(Problem("import.map", "error", "columns 应为“列名: 字段”的映射", (src.locate(("columns",)),)))
        columns = {}
    for header, fld in columns.items():
        if fld not in fields:
            problems.append(Problem("import.map", "error", f"列“{header}”的字段“{fld}”未知（可用：{'、'.join(sorted(fields))}）",
                                    (src.locate(("columns", header)),)))
    constants = data.get("constants") or {}
    for fld in constants if isinstance(constants, dict) else []:
        if fld not in fields:
            problems.append(Problem("import.map", "error", f"constants 的字段“{fld}”未知", (src.locate(("constants", fld), key=True),)))
    unit = data.get("unit")
    if unit not in (None, "元", "万元"):
        problems.append(Problem("import.map", "error", f"unit 应为 元 或 万元，不是“{unit}”", (src.locate(("unit",)),)))
    header_row = data.get("header_row")
    if header_row is not None and (not isinstance(header_row, int) or header_row < 1):
        problems.append(Problem("import.map", "error", "header_row 应为表头所在的行号（从 1 起）", (src.locate(("header_row",)),)))
    if problems:
        raise ExportError(problems)
    return Mapping({str(k): str(v) for k, v in columns.items()}, header_row, data.get("sheet"), unit,
                   {str(k): str(v) for k, v in (constants or {}).items()})
