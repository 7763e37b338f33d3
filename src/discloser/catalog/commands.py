"""The catalog commands: `discloser codes` (look a code up) and `discloser catalog import` (update without a release).

`add_parsers(subparsers)` registers both on the main parser's subparsers; each handler takes the
parsed arguments and returns the exit code (0 ok, 1 bad input, 2 usage), printing Chinese messages.
"""
from __future__ import annotations

import argparse
import json
import sys

from . import KIND_ALIASES, KIND_NAMES, MAPPING_KINDS, SECTIONS, Catalog, CatalogError, available_years, load_catalog
from .lookup import Query, find, parse_query, year_span

KIND_CHOICES = ("function", "econ", "gov")
_KIND_TO_SECTION = {"function": "function", "econ": "economic_dept", "gov": "economic_gov"}
_SECTION_TO_KIND = {s: k for k, s in _KIND_TO_SECTION.items()}


def cmd_codes(args: argparse.Namespace) -> int:
    q = parse_query(args.query)
    if not q.text:
        print("discloser：请给出要查的编码或词语，如 2050201 或 学前（查看帮助：discloser codes --help）", file=sys.stderr)
        return 2
    try:
        found = find(args.query, year=args.year, kind=args.kind, user_dir=args.catalog)
        catalog = load_catalog(args.year or available_years()[-1], args.catalog)
    except CatalogError as e:
        print(f"discloser：{e}", file=sys.stderr)
        return 1
    if q.converted:
        print(f"提示：“{args.query.strip()}”含全角数字，已按半角“{q.text}”查找；数据文件中的编码要写半角数字", file=sys.stderr)
    if catalog.borrowed_from is not None:     # say whose codes these are, not the asked year's (trialE-s27 D3)
        print(f"提示：按{catalog.label}查找", file=sys.stderr)
    if q.name and found and found[0].entry.name != q.name:
        print(f"提示：{q.text} 在{catalog.label}中名为“{found[0].entry.name}”，输入写作“{q.name}”："
              f"数据文件这样写会得到警告，表中印目录名称", file=sys.stderr)
    if args.format == "json":
        print(json.dumps([f.to_dict() for f in found], ensure_ascii=False, indent=2))
        return 0 if found else 1
    if not found:
        print(_not_found(q, args, catalog), file=sys.stderr)
        return 1
    for f in found:
        e = f.entry
        chain = "，".join(f"{c} {n}（{'类' if len(c) == 3 else '款'}）" for c, n in e.parents)
        line = f"{e.code}  {e.name}（{e.level}）  {KIND_NAMES[e.kind]}"
        if chain:
            line += f"  上级：{chain}"
        print(f"{line}  年度：{year_span(f.years)}")
    return 0


def _not_found(q: Query, args: argparse.Namespace, catalog: Catalog) -> str:
    """The catalog searched, by name, and where the code or words are instead: 30217 under --kind gov is a
    部门经济分类 code — its 政府经济分类 by the mapping is what was meant (trialE-s27 D4). The advice about
    the extract only where an incomplete section was searched and nothing was found elsewhere."""
    sections = [KIND_ALIASES[args.kind]] if args.kind else list(SECTIONS)
    what = f"{q.text} {q.name}" if q.name else q.text
    text = f"{catalog.label}的{'、'.join(KIND_NAMES[s] for s in sections)}中没有找到“{what}”。"
    elsewhere = []
    for other in (s for s in SECTIONS if s not in sections):
        hits = find(args.query, year=args.year, kind=other, user_dir=args.catalog)
        if hits:
            shown = "、".join(f"{f.entry.code} {f.entry.name}" for f in hits[:3]) + (f" 等 {len(hits)} 个" if len(hits) > 3 else "")
            mapped = _mapped(hits[0].entry.code, other, sections[0], catalog) if q.is_code and hits[0].entry.code == q.text else ""
            elsewhere.append(f"{KIND_NAMES[other]}中有：{shown}{mapped}（用 --kind {_SECTION_TO_KIND[other]} 查）")
    if elsewhere:
        return text + "；".join(elsewhere) + "。"
    incomplete = [s for s in sections if not catalog.is_complete(s)]
    if "function" in incomplete:
        return text + ("随包的支出功能分类目录只是摘录，常用科目也可能缺：数据文件中把名称写在编码后"
                       "（如“2080101 行政运行”）即可照常校验和生成；要完整目录，请用 discloser catalog import 导入财政部当年的科目工作簿。")
    if incomplete:
        return text + (f"随包的{'、'.join(KIND_NAMES[s] for s in incomplete)}目录只是摘录，也可能缺；"
                       "要完整目录，请用 discloser catalog import 导入财政部当年的科目工作簿。")
    return text + "请核对编码或词语。"


def _mapped(code: str, section: str, searched: str, catalog: Catalog) -> str:
    """“，对应政府预算支出经济分类：机关 50206 公务接待费，事业 50502 商品和服务支出” for a 部门经济分类 款 looked
    up as 政府经济分类 (the dept_to_gov mapping by unit kind); the 部门 codes that map to a 政府 款 the other way."""
    if section == "economic_dept" and searched == "economic_gov":
        pairs = [(k, catalog.dept_to_gov.get(k, {}).get(code)) for k in MAPPING_KINDS]
        pairs = [(k, g) for k, g in pairs if g]
        if not pairs:
            return ""
        if len({g for _, g in pairs}) == 1:
            g = pairs[0][1]
            return f"，对应{KIND_NAMES[searched]} {g} {catalog.economic_gov.get(g, '')}"
        return f"，对应{KIND_NAMES[searched]}：" + "，".join(f"{k} {g} {catalog.economic_gov.get(g, '')}" for k, g in pairs)
    if section == "economic_gov" and searched == "economic_dept":
        depts = sorted({d for k in MAPPING_KINDS for d, g in catalog.dept_to_gov.get(k, {}).items() if g == code})
        if not depts:
            return ""
        shown = "、".join(f"{d} {catalog.economic_dept.get(d, '')}" for d in depts[:5])
        return f"，由{KIND_NAMES[searched]} {shown}{f' 等 {len(depts)} 个' if len(depts) > 5 else ''}对应而来"
    return ""


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
        ('codes "2080505 机关事业单位基本养老保险缴费支出"', "数据文件中的写法：按编码查，名称与目录不同时提示"),
    ], description="按编码或词语查支出功能分类、部门经济分类、政府经济分类科目。")
    c.add_argument("query", metavar="编码或词语", help="编码（可只写开头几位，如 20805）、名称中的词（如 养老），或数据文件中的“编码 名称”（如 \"2080505 机关事业单位基本养老保险缴费支出\"）")
    c.add_argument("--year", type=int, help="预算年度（默认：随包最新的年度；没有该年目录时按最近的随包目录查，并提示是哪一年）")
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
