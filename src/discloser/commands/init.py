"""`discloser init`: an annotated starter budget file (or workbook) that validates as written."""
from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from . import Exit, UserError, command


def run(args: argparse.Namespace) -> int:
    from ..intake.output import OutputExists, write_new, write_text
    from ..intake.starter import starter
    from ..intake.yamlout import dump
    from ..profile import load_profile

    term = args.term
    default = "预算数据.xlsx" if args.xlsx else "预算数据.yaml"
    out = Path(args.file or default)
    if args.xlsx and out.suffix.lower() != ".xlsx":
        out = out.with_suffix(".xlsx")
    if out.suffix.lower() not in (".yaml", ".yml", ".xlsx"):
        raise UserError("文件名应以 .yaml 结尾（或用 --xlsx 写 Excel 填报工作簿）")
    if args.units < 1 or args.units > 50:
        raise UserError("--units 应为 1–50 的整数")
    try:
        load_profile(args.profile)
    except LookupError as e:
        raise UserError(str(e)) from e
    data, notes = starter(args.year, args.profile, args.units)
    try:
        if out.suffix.lower() == ".xlsx":
            from ..intake.workbook import write_workbook

            write_new(out, lambda p: write_workbook(data, p), args.force)
        else:
            write_text(out, dump(data, notes), args.force)
    except OutputExists as e:
        raise UserError(str(e), Exit.PROBLEMS) from e
    term.success(f"已写出 {out}（{args.year} 年，版式 {args.profile}{f'，{args.units} 个单位' if args.units > 1 else ''}）")
    term.info(f"下一步：把其中的（示例）内容换成本单位的；discloser preview {out} --open 边改边看，"
              f"discloser validate {out} 列出还要改的地方，discloser build {out} -o 公开包 生成。")
    return Exit.OK


def add_parsers(subparsers) -> None:
    from ..profile import DEFAULT_PROFILE

    p = command(subparsers, "init", help="写出一个带中文注释的起始数据文件（可直接校验、预览）", handler=run, examples=[
        ("init 数据.yaml --profile shaanxi", "单位预算的起始文件；每个字段都有注释，要改的地方标“# 待填”"),
        ("init 部门.yaml --profile henan --units 3 --year 2025", "部门预算：本级加两个所属单位"),
        ("init 填报.xlsx --xlsx", "写 Excel 填报工作簿而不是 YAML"),
    ], description="写出的文件是一份完整的小例子：能通过 validate（“# 待填”标记列为警告），preview 可看到每张表；"
                   "把（示例）内容换成本单位的即可。")
    p.add_argument("file", nargs="?", metavar="FILE", help="写到哪里（默认 预算数据.yaml；--xlsx 时 预算数据.xlsx）")
    p.add_argument("--profile", default=DEFAULT_PROFILE, metavar="P", help=f"版式名（默认 {DEFAULT_PROFILE}）")
    p.add_argument("--units", type=int, default=1, metavar="N", help="单位个数：1 为单位预算，大于 1 为部门预算（本级 + 所属单位）")
    p.add_argument("--year", type=int, default=date.today().year, help="预算年度（默认今年）")
    p.add_argument("--xlsx", action="store_true", help="写 Excel 填报工作簿")
    p.add_argument("--force", action="store_true", help="覆盖已存在的文件")
