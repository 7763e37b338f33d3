"""`discloser workbook`: a budget file as the fill-in Excel workbook, and back (the direction by the suffixes)."""
from __future__ import annotations

import argparse
from pathlib import Path

from . import Exit, UserError, command

YAML = (".yaml", ".yml", ".json")
XLSX = (".xlsx",)


def to_workbook(term, source: Path, target: Path, catalog: str | None, force: bool) -> int:
    from ..intake.output import OutputExists, write_new
    from ..intake.gaps import data_with_gaps
    from ..intake.workbook import WorkbookWriteError, write_workbook

    data, problems = data_with_gaps(str(source))
    if data is None:
        for p in problems:
            term.problem(p)
        term.error(f"{source} 有错误，无法转为工作簿；请先改正（discloser validate {source}）。")
        return Exit.PROBLEMS
    try:
        write_new(target, lambda tmp: write_workbook(data, tmp, catalog), force)
    except OutputExists as e:
        raise UserError(str(e), Exit.PROBLEMS) from e
    except WorkbookWriteError as e:
        term.error(f"discloser：{e}")
        return Exit.PROBLEMS
    term.success(f"已写出 {target}（用 Excel/WPS 填写后，discloser validate {target} 直接检查）")
    return Exit.OK


def to_yaml(term, source: Path, target: Path, force: bool) -> int:
    from ..intake.output import OutputExists, write_text
    from ..intake.workbook import read_workbook
    from ..intake.yamlout import Notes, budget_data, dump, model_ordered
    from ..model import Budget
    from ..problems import SourceError
    from pydantic import ValidationError

    try:
        src = read_workbook(source)
    except SourceError as e:
        for p in e.problems:
            term.problem(p)
        term.error("未写出任何文件。")
        return Exit.PROBLEMS
    try:
        data = budget_data(Budget.model_validate(src.data))
    except ValidationError:
        data = model_ordered(src.data)   # keep what was typed (待填 and mistakes too); validate lists the problems
    notes = Notes(header=[f"由 discloser workbook 从 {source.name} 转换"])
    try:
        write_text(target, dump(data, notes), force)
    except OutputExists as e:
        raise UserError(str(e), Exit.PROBLEMS) from e
    term.success(f"已写出 {target}")
    return Exit.OK


def run(args: argparse.Namespace) -> int:
    source, target = Path(args.file), Path(args.output)
    if source.suffix.lower() in YAML and target.suffix.lower() in XLSX:
        return to_workbook(args.term, source, target, args.catalog, args.force)
    if source.suffix.lower() in XLSX and target.suffix.lower() in YAML[:2]:
        return to_yaml(args.term, source, target, args.force)
    raise UserError("请给出 数据.yaml -o 工作簿.xlsx，或 工作簿.xlsx -o 数据.yaml")


def add_parsers(subparsers) -> None:
    p = command(subparsers, "workbook", help="数据文件与 Excel 填报工作簿互转（validate/build 也可直接读工作簿）", handler=run, examples=[
        ("workbook shaanxi-linyou-2024.yaml -o 填报.xlsx", "写出填报工作簿：每部分一个工作表，带下拉列表与说明"),
        ("workbook 填报.xlsx -o 数据.yaml", "转回 YAML（内容完全一致）"),
    ], description="工作簿的工作表：填表说明、基本情况、单位、收入、结转下年、支出明细、项目、绩效指标、项目说明、绩效任务、"
                   "往年收支、部门职能分解、上年数、说明文字、政府采购、科目名称。资金来源、单位性质、支出类型等有下拉列表，"
                   "编码列表取当年目录。")
    p.add_argument("file", metavar="FILE", help="数据文件（.yaml / .json）或填报工作簿（.xlsx）")
    p.add_argument("-o", "--output", required=True, metavar="OUT", help="写出的工作簿（.xlsx）或数据文件（.yaml）")
    p.add_argument("--catalog", metavar="DIR", help="用户目录所在文件夹（下拉列表中的编码）")
    p.add_argument("--force", action="store_true", help="覆盖已存在的文件")
