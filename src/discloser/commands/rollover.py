"""`discloser rollover`: next year's budget file from last year's (see `discloser.intake.rollover`)."""
from __future__ import annotations

import argparse
from pathlib import Path

from . import Exit, UserError, command


def run(args: argparse.Namespace) -> int:
    from ..intake.output import OutputExists, write_new, write_text
    from ..intake.rollover import RolloverError, rollover
    from ..intake.yamlout import dump, json_text
    from .importing import next_steps

    term = args.term
    out = Path(args.output or f"{Path(args.file).stem}-{args.to}.yaml")
    if out.suffix.lower() not in (".yaml", ".yml", ".json", ".xlsx"):
        raise UserError("-o 应为 .yaml / .json 数据文件或 .xlsx 填报工作簿")
    try:
        data, notes, report = rollover(args.file, args.to, args.catalog)
    except RolloverError as e:
        for p in e.problems:
            term.problem(p)
        term.error(f"discloser：{e.message or '上年文件有错误'}；未写出任何文件。")
        return Exit.PROBLEMS
    try:
        if out.suffix.lower() == ".xlsx":
            from ..intake.gaps import data_with_gaps
            from ..intake.rollover import confirm_in_workbook
            from ..intake.workbook import write_workbook

            remarks = confirm_in_workbook(data, notes)  # what the YAML's “# 待填” comments ask: 待填 cells and comments
            text_file = out.with_suffix(".rollover.yaml")
            tmp = write_text(text_file, dump(data, notes), force=True)
            full, _ = data_with_gaps(str(tmp))
            tmp.unlink()
            write_new(out, lambda p: write_workbook(full, p, args.catalog, remarks), args.force)
        elif out.suffix.lower() == ".json":   # JSON holds no comments: last year's figures stay in prior_year only
            write_text(out, json_text(data), args.force)
            term.warning("JSON 文件不能带注释：上年的各项金额只在 prior_year 中，“# 待填”的核对提示没有写入；"
                         "金额写着“待填”的地方 discloser validate 会逐条列出")
        else:
            write_text(out, dump(data, notes), args.force)
    except OutputExists as e:
        raise UserError(str(e), Exit.PROBLEMS) from e
    for line in report:
        term.info(line)
    term.success(f"已写出 {out}")
    next_steps(term, out)
    return Exit.OK


def add_parsers(subparsers) -> None:
    p = command(subparsers, "rollover", help="由上年的数据文件生成下一年的：上年数自动算好，本年金额待填", handler=run, examples=[
        ("rollover shaanxi-linyou-2024.yaml --to 2025 -o 2025.yaml", "上年各项数字成为 prior_year，本年金额写成“待填”"),
        ("rollover 2024.yaml --to 2025 -o 2025.xlsx", "直接得到 2025 年的填报工作簿"),
    ], description="上年的收支总计、财政拨款、一般公共预算支出、各功能分类项、各经济分类类、三公经费、公用经费、机关运行经费等"
                   "成为新文件的上年数（与说明中比较的口径相同）；文字与项目保留供修改（以“# 待填”注释标出）；"
                   "两年间目录更名的科目改用新名称，停用的科目标出。")
    p.add_argument("file", metavar="LAST", help="上年的数据文件（.yaml / .json / .xlsx），须没有错误")
    p.add_argument("--to", type=int, required=True, metavar="YEAR", help="新的预算年度")
    p.add_argument("-o", "--output", metavar="NEW", help="写出的文件（.yaml、.json 或 .xlsx；默认 上年文件名-年度.yaml）")
    p.add_argument("--catalog", metavar="DIR", help="用户目录所在文件夹")
    p.add_argument("--force", action="store_true", help="覆盖已存在的文件")
