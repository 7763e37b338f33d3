"""The catalog commands: `discloser codes` (look a code up) and `discloser catalog import` (update without a release).

`add_parsers(subparsers)` registers both on the main parser's subparsers; each handler takes the
parsed arguments and returns the exit code (0 ok, 1 bad input, 2 usage), printing Chinese messages.
"""
from __future__ import annotations

import argparse
import json
import sys

from . import KIND_NAMES, CatalogError, available_years, load_catalog
from .lookup import find, year_span

KIND_CHOICES = ("function", "econ", "gov")
_KIND_TO_SECTION = {"function": "function", "econ": "economic_dept", "gov": "economic_gov"}


def cmd_codes(args: argparse.Namespace) -> int:
    query = args.query.strip()
    if not query:
        print("discloser：请给出要查的编码或词语，如 2050201 或 学前", file=sys.stderr)
        return 2
    try:
        found = find(query, year=args.year, kind=args.kind, user_dir=args.catalog)
        catalog = load_catalog(args.year or available_years()[-1], args.catalog)
    except CatalogError as e:
        print(f"discloser：{e}", file=sys.stderr)
        return 1
    if catalog.borrowed_from is not None:     # say whose codes these are, not the asked year's (trialE-s27 D3)
        print(f"提示：按{catalog.label}查找", file=sys.stderr)
    if args.format == "json":
        print(json.dumps([f.to_dict() for f in found], ensure_ascii=False, indent=2))
        return 0 if found else 1
    if not found:
        print(f"{catalog.label}中没有找到“{query}”。随包的支出功能分类目录只是摘录，常用科目也可能缺：数据文件中把名称写在编码后"
              f"（如“2080101 行政运行”）即可照常校验和生成；要完整目录，请用 discloser catalog import 导入财政部当年的科目工作簿。",
              file=sys.stderr)
        return 1
    for f in found:
        e = f.entry
        chain = "，".join(f"{c} {n}（{'类' if len(c) == 3 else '款'}）" for c, n in e.parents)
        line = f"{e.code}  {e.name}（{e.level}）  {KIND_NAMES[e.kind]}"
        if chain:
            line += f"  上级：{chain}"
        print(f"{line}  年度：{year_span(f.years)}")
    return 0


def cmd_catalog_import(args: argparse.Namespace) -> int:
    from .workbook import import_workbook

    try:
        result = import_workbook(args.file, args.year, args.output, kind=args.kind and _KIND_TO_SECTION[args.kind],
                                 source=args.source, partial=args.partial)
    except CatalogError as e:
        print(f"discloser：{e}", file=sys.stderr)
        return 1
    for notice in result.notices:
        print(f"提示：{notice}", file=sys.stderr)
    counts = "，".join(f"{KIND_NAMES[s]} {n} 条" for s, n in result.counts.items())
    print(f"已写出 {result.path}（{counts}）")
    return 0


def add_parsers(subparsers) -> None:
    """Register `codes` and `catalog import` on the main parser's subparsers."""
    from ..commands import command

    c = command(subparsers, "codes", help="按编码或词语查分类科目（名称、级次、上级、所在年度）", handler=cmd_codes, examples=[
        ("codes 2050201", "学前教育，及其款（普通教育）、类（教育支出）"),
        ("codes 养老 --kind function --year 2025", "名称含“养老”的功能分类科目"),
        ("codes 301 --kind econ --format json", "机器可读"),
    ], description="按编码或词语查支出功能分类、部门经济分类、政府经济分类科目。")
    c.add_argument("query", metavar="编码或词语", help="编码（可只写开头几位，如 20805）或名称中的词（如 养老）")
    c.add_argument("--year", type=int, help="预算年度（默认：随包最新的年度）")
    c.add_argument("--kind", choices=KIND_CHOICES, help="只查一种：function 支出功能分类 / econ 部门经济分类 / gov 政府经济分类")
    c.add_argument("--format", choices=["text", "json"], default="text", help="输出格式")
    c.add_argument("--catalog", metavar="DIR", help="用户目录所在文件夹（DIR/<年度>.yaml 优先于随包目录）")

    cat = command(subparsers, "catalog", help="管理分类科目目录（导入财政部发布的目录工作簿）", handler=_catalog_usage, examples=[
        ("catalog import 2026年政府收支分类科目.xlsx --year 2026", "导入为用户目录 ./catalog/2026.yaml"),
    ])
    cat_sub = cat.add_subparsers(dest="catalog_command", parser_class=type(cat))
    i = command(cat_sub, "import", help="把财政部《政府收支分类科目》工作簿导入为用户目录", handler=cmd_catalog_import, examples=[
        ("catalog import 2026年政府收支分类科目.xlsx --year 2026", "写出 ./catalog/2026.yaml"),
        ("catalog import 经济分类.xlsx --year 2026 --kind econ -o 我的目录", "只导入部门经济分类，写到 我的目录/"),
    ], description="读取目录工作簿（.xlsx 或 .csv）：“科目编码/科目名称”两列（级次按编码位数），"
                   "或“类/款/项”编码列加“科目名称”列，或两位编码加名称缩进；写出 DIR/<年度>.yaml。"
                   "validate 与 build 用 --catalog DIR 时优先使用它，未收录的科目沿用随包目录。")
    i.add_argument("file", metavar="FILE", help="目录工作簿（.xlsx / .csv）")
    i.add_argument("--year", type=int, required=True, help="目录所属年度")
    i.add_argument("-o", "--output", default="catalog", metavar="DIR", help="写到哪个文件夹（默认 ./catalog）")
    i.add_argument("--kind", choices=KIND_CHOICES, help="工作簿是哪一种分类（默认按编码首位判断：2 功能、3 部门经济、5 政府经济）")
    i.add_argument("--source", help="写进目录文件的来源说明（默认：文件名与工作表名）")
    i.add_argument("--partial", action="store_true", help="工作簿只是目录的一部分（不标记为完整目录）")


def _catalog_usage(args: argparse.Namespace) -> int:
    from ..commands import UserError

    raise UserError("请写出 catalog 的子命令，如：discloser catalog import 目录.xlsx --year 2026")
