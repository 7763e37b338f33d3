"""Importing the Ministry of Finance's published catalog workbook into a user catalog.

The Ministry and the provincial budget systems publish 《政府收支分类科目》 as workbooks in a few
layouts, all handled here, sheet by sheet:

- a code column and a name column, the level given by the code's length (201 / 20101 / 2010101);
- split code columns 类 | 款 | 项 (“201 | 01 | 01”), where a row may fill only its own level's
  cell (the 类 and 款 carried down from the rows above);
- short codes (“01”) with the level given by the indentation of the name (leading spaces or the
  cell's indent), the full code built from the enclosing rows.

Which classification a sheet holds (支出功能 2xx / 部门经济 3xx / 政府经济 5xx) is read from its
codes, or forced with `kind`. Every refusal names the cell (`目录.xlsx!Sheet1!A12`); nothing is
written unless the whole workbook is read cleanly.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from . import FIRST_DIGIT, KIND_NAMES, SECTIONS, CatalogError, available_years, diff, load_catalog, user_catalog_path
from .userfile import UserCatalog, code_problem, dump_catalog, read_user_catalog, write_atomically
from ..model import non_ascii_digits
from ..problems import unreadable_because
from ..unpack_limits import unpacked_problem

HEADER_SCAN_ROWS = 30
CODE_HEADERS = ("科目编码", "科目代码", "编码", "代码", "科目编号", "编号")
NAME_HEADERS = ("科目名称", "名称")
SPLIT_HEADERS = ("类", "款", "项")
INDENT_WIDTH = {" ": 1, "\u3000": 2, "\t": 4}


@dataclass
class Cell:
    text: str
    indent: int     # leading blanks of the text plus the cell's own indent (Excel “增加缩进”)
    ref: str        # 目录.xlsx!Sheet1!A12
    formula: str | None = None      # the formula of a formula cell (its text is then ""): refused where it is read


@dataclass
class ImportResult:
    path: Path
    counts: dict[str, int]
    notices: list[str] = field(default_factory=list)


class _Errors:
    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, ref: str, message: str) -> None:
        self.items.append(f"{ref}：{message}")

    def raise_if_any(self) -> None:
        if self.items:
            more = len(self.items) - 20
            raise CatalogError("\n".join(self.items[:20] + ([f"……另有 {more} 处问题"] if more > 0 else []))
                               + "\n未写出任何文件。")


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _leading(text: str) -> int:
    width = 0
    for ch in text:
        if ch not in INDENT_WIDTH:
            break
        width += INDENT_WIDTH[ch]
    return width


def _read_sheets(path: Path) -> dict[str, list[list[Cell]]]:
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    if suffix == ".csv":
        return _read_csv(path)
    if suffix == ".xls":
        raise CatalogError(f"{path.name}：暂不支持旧版 .xls 工作簿，请在 Excel 或 WPS 中“另存为” .xlsx 后再导入")
    raise CatalogError(f"{path.name}：只能导入 .xlsx 或 .csv 文件")


def _read_xlsx(path: Path) -> dict[str, list[list[Cell]]]:
    from zipfile import BadZipFile

    import openpyxl

    if (bomb := unpacked_problem(path)) is not None:
        raise CatalogError(f"{path.name}：{bomb}")
    try:
        book = openpyxl.load_workbook(path, data_only=False)    # formulas seen as formulas: refused at their cell
    except (BadZipFile, KeyError, ValueError, OSError) as e:
        raise CatalogError(f"{path.name}：不是可读的 .xlsx 工作簿（{unreadable_because(e)}），请用 Excel 或 WPS 打开后另存为 .xlsx") from None
    sheets = {}
    for ws in book.worksheets:
        rows = []
        for r, row in enumerate(ws.iter_rows(), start=1):
            cells = []
            for c, cell in enumerate(row):
                ref = f"{path.name}!{ws.title}!{_column_letter(c)}{r}"
                if cell.data_type == "f":
                    cells.append(Cell("", 0, ref, str(getattr(cell.value, "text", cell.value))))
                    continue
                text = _as_text(cell.value)
                indent = _leading(text) + int(2 * (cell.alignment.indent or 0) if cell.alignment else 0)
                cells.append(Cell(text.strip(), indent, ref))
            rows.append(cells)
        sheets[ws.title] = rows
    return sheets


def _read_csv(path: Path) -> dict[str, list[list[Cell]]]:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise CatalogError(f"{path.name}：无法识别文件编码（应为 UTF-8 或 GBK）")
    rows = []
    for r, values in enumerate(csv.reader(text.splitlines()), start=1):
        rows.append([Cell(v.strip(), _leading(v), f"{path.name}!{_column_letter(c)}{r}") for c, v in enumerate(values)])
    return {path.stem: rows}


@dataclass
class _Layout:
    header_row: int                 # index of the last header row
    name: int
    code: int | None = None
    split: tuple[int, int, int | None] | None = None


def _find(cells: list[Cell], names: tuple[str, ...], exact: bool = False) -> int | None:
    for i, cell in enumerate(cells):
        text = cell.text.replace(" ", "").replace("\u3000", "")
        if any(text == n if exact else (n in text) for n in names):
            return i
    return None


def _layout(rows: list[list[Cell]]) -> _Layout | None:
    for i, cells in enumerate(rows[:HEADER_SCAN_ROWS]):
        name = _find(cells, NAME_HEADERS)
        if name is None:
            continue
        split_rows = [(i, cells)] + ([(i + 1, rows[i + 1])] if i + 1 < len(rows) else [])
        for j, row in split_rows:
            lei, kuan = _find(row, ("类",), exact=True), _find(row, ("款",), exact=True)
            if lei is not None and kuan is not None:
                return _Layout(j, name, split=(lei, kuan, _find(row, ("项",), exact=True)))
        code = _find(cells, CODE_HEADERS)
        if code is not None and code != name:
            return _Layout(i, name, code=code)
    return None


def _cell(row: list[Cell], index: int | None) -> Cell | None:
    return row[index] if index is not None and index < len(row) else None


def _two_digits(text: str) -> str:
    return text.zfill(2) if text.isdigit() and len(text) < 2 else text


@dataclass
class _Parsed:
    entries: list[tuple[str, str, str]] = field(default_factory=list)   # (code, name, ref of the code cell)
    skipped: list[str] = field(default_factory=list)


def _refused_cell(cells: list[Cell | None], errors: _Errors) -> bool:
    """A formula where a code or a name belongs, or a code in full-width digits: an error at its own cell
    (trialT-s24 D9 — a formula code read as blank was skipped with a notice at the name's cell; a
    full-width code passed `isdigit` and was reported at another row)."""
    refused = False
    for cell in cells:
        if cell is None:
            continue
        if cell.formula is not None:
            errors.add(cell.ref, f"单元格是公式（{cell.formula[:30]}）：请填写科目编码和名称本身，不要用公式")
            refused = True
        elif (odd := non_ascii_digits(cell.text)) is not None:
            errors.add(cell.ref, odd)
            refused = True
    return refused


def _parse_sheet(rows: list[list[Cell]], layout: _Layout, errors: _Errors) -> _Parsed:
    out = _Parsed()
    stack: list[tuple[int, str]] = []           # indentation layout: (indent, full code) of the enclosing rows
    lei = kuan = ""                             # split layout: carried down
    for row in rows[layout.header_row + 1:]:
        codes = [_cell(row, i) for i in (layout.split or (layout.code,))]
        if _refused_cell(codes, errors) | _refused_cell([_cell(row, layout.name)], errors):
            continue
        name_cell = _cell(row, layout.name)
        name = name_cell.text if name_cell else ""
        if layout.split is not None:
            parts = [_cell(row, i) for i in layout.split]
            texts = [re.sub(r"\s", "", p.text) if p else "" for p in parts]
            ref = next((p.ref for p, t in zip(parts, texts) if t), name_cell.ref if name_cell else "")
            if not any(texts):
                if name:
                    out.skipped.append(name_cell.ref)
                continue
            bad = next((p for p, t in zip(parts, texts) if t and not t.isdigit()), None)
            if bad is not None:
                errors.add(bad.ref, f"“{bad.text}”不是数字编码")
                continue
            if texts[0]:
                lei, kuan = texts[0], ""
            if texts[1]:
                kuan = _two_digits(texts[1])
            if texts[2]:
                code = lei + kuan + _two_digits(texts[2])
                if not (lei and kuan):
                    errors.add(ref, f"项“{texts[2]}”之前没有它所属的类和款")
                    continue
            elif texts[1]:
                if not lei:
                    errors.add(ref, f"款“{texts[1]}”之前没有它所属的类")
                    continue
                code = lei + kuan
            else:
                code = lei
        else:
            code_cell = _cell(row, layout.code)
            code = re.sub(r"[\s.\-]", "", code_cell.text) if code_cell else ""
            ref = code_cell.ref if code_cell else (name_cell.ref if name_cell else "")
            if not code:
                if name:
                    out.skipped.append(name_cell.ref)
                continue
            if not code.isdigit():
                errors.add(ref, f"科目编码“{code_cell.text}”不是数字")
                continue
            if len(code) <= 2:        # short code: the level comes from the indentation of the name
                indent = name_cell.indent if name_cell else 0
                while stack and stack[-1][0] >= indent:
                    stack.pop()
                if not stack:
                    errors.add(ref, f"编码“{code}”只有两位，但它上面没有缩进更少的上级科目")
                    continue
                code = stack[-1][1] + _two_digits(code)
            stack_indent = name_cell.indent if name_cell else 0
            while stack and (stack[-1][0] >= stack_indent or not code.startswith(stack[-1][1])):
                stack.pop()
            stack.append((stack_indent, code))
        if not name:
            errors.add(name_cell.ref if name_cell else ref, f"科目“{code}”没有名称")
            continue
        out.entries.append((code, name, ref))
    return out


def _section_of(entries: list[tuple[str, str, str]], kind: str | None, sheet: str, errors: _Errors) -> str | None:
    if kind is not None:
        for code, _, ref in entries:
            problem = code_problem(code, kind)
            if problem:
                errors.add(ref, problem)
        return kind
    firsts = {code[0] for code, _, _ in entries}
    sections = [s for s in SECTIONS if FIRST_DIGIT[s] in firsts]
    if len(sections) != 1 or len(firsts) != 1:
        found = "、".join(sorted(firsts))
        errors.add(entries[0][2], f"工作表“{sheet}”的编码以 {found} 开头，无法判断是哪一种分类："
                                  f"支出功能分类以 2 开头、部门经济分类以 3 开头、政府经济分类以 5 开头；请用 --kind 指定")
        return None
    for code, _, ref in entries:
        problem = code_problem(code, sections[0])
        if problem:
            errors.add(ref, problem)
    return sections[0]


def _changes_from(year: int, out_dir: str | Path, tables: dict[str, dict[str, str]], partial: bool,
                  kept: dict) -> dict:
    """The year's `changes` (renamed, retired; added when last year's is complete too) for the sections a whole
    workbook brings, against last year's effective catalog (the user's over the shipped): a code the Ministry's
    workbook no longer lists is retired, and nothing else would ever say so (a user catalog only adds entries).
    Only within the 类 the workbook lists: a sheet of some 类 says nothing about the others. A partial workbook
    (--partial) proves nothing about absent codes: no changes from it."""
    if partial or year - 1 < available_years()[0]:
        return dict(kept)
    before = load_catalog(year - 1, out_dir)
    out = {k: v for k, v in (kept or {}).items() if k not in tables}
    for section, table in tables.items():
        classes = {code[:3] for code in table}
        found = diff({c: n for c, n in before.table(section).items() if c[:3] in classes}, table)
        if not before.is_complete(section):
            found["added"] = {}           # last year's extract lacks codes: “new” would be a guess
        out[section] = found
    out["from"] = year - 1
    return out


def import_workbook(path: str | Path, year: int, out_dir: str | Path = "catalog", kind: str | None = None,
                    source: str | None = None, partial: bool = False) -> ImportResult:
    """Read the workbook, check it whole, and write (or update) `out_dir/<year>.yaml`.

    Sections already in the user file and not in this workbook are kept, so the 功能分类 and the
    经济分类 workbooks can be imported one after the other into the same year.
    """
    path = Path(path)
    if not path.is_file():
        raise CatalogError(f"找不到文件 {path}")
    sheets = _read_sheets(path)
    errors = _Errors()
    tables: dict[str, dict[str, str]] = {}
    where: dict[tuple[str, str], str] = {}
    used_sheets: list[str] = []
    notices: list[str] = []
    for sheet, rows in sheets.items():
        layout = _layout(rows)
        if layout is None:
            notices.append(f"工作表“{sheet}”没有“科目编码/科目名称”（或“类/款/项”）表头，已跳过")
            continue
        parsed = _parse_sheet(rows, layout, errors)
        if parsed.skipped:
            notices.append(f"工作表“{sheet}”有 {len(parsed.skipped)} 行没有编码，未作为科目导入（如 {parsed.skipped[0]}）")
        if not parsed.entries:
            continue
        section = _section_of(parsed.entries, kind, sheet, errors)
        if section is None:
            continue
        used_sheets.append(sheet)
        table = tables.setdefault(section, {})
        for code, name, ref in parsed.entries:
            if code in table and table[code] != name:
                errors.add(ref, f"科目“{code}”的名称“{name}”与 {where[(section, code)]} 的“{table[code]}”不同")
                continue
            table[code] = name
            where[(section, code)] = ref
    errors.raise_if_any()
    if not tables:
        raise CatalogError(f"{path.name}：没有找到任何科目（需要“科目编码”“科目名称”两列，或“类/款/项”编码列加“科目名称”列）。未写出任何文件。")
    for section, table in tables.items():
        orphans = [c for c in table if len(c) > 3 and (c[:3] not in table or (len(c) == 7 and c[:5] not in table))]
        if orphans:
            notices.append(f"{KIND_NAMES[section]}有 {len(orphans)} 个科目的上级不在表中（如 {orphans[0]}），上级名称将沿用随包目录")
    target = user_catalog_path(year, out_dir)
    existing = read_user_catalog(target, year) if target.exists() else UserCatalog()
    merged = {**existing.tables, **tables}
    complete = {**existing.complete, **{s: not partial for s in tables}}
    source = source or f"{path.name} 导入（工作表：{'、'.join(used_sheets)}）"
    counts = {s: len(t) for s, t in tables.items()}
    header = (f"{year} 年用户目录，由 discloser catalog import 于 {date.today().isoformat()} 写出。\n"
              f"导入：{path.name}（{'；'.join(f'{KIND_NAMES[s]} {n} 条' for s, n in counts.items())}）。\n"
              "本文件的科目优先于随包目录；未收录的科目沿用随包目录。可以手工增改，格式同随包目录。")
    if existing.source and existing.tables.keys() - tables.keys():
        source = f"{source}；{existing.source}"
    changes = _changes_from(year, out_dir, tables, partial, existing.changes)
    if changes:
        header += (f"\nchanges：与 {year - 1} 年目录（用户目录与随包目录）比对得出的更名、停用"
                   "（上年目录也完整时含新增），rollover 与 validate 据此标出停用的科目。")
    write_atomically(target, dump_catalog(year, source, header, merged, complete, existing.dept_to_gov, changes))
    return ImportResult(target, counts, notices)
