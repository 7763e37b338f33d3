"""Command line: `discloser validate`, `discloser build`, `discloser schema`.

Exit codes: 0 no error (warnings allowed), 1 errors in the input (or warnings with --strict),
2 usage errors.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .build import ALL_FORMATS, FORMATS, build, font_dir
from .problems import Problem


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # usage errors in Chinese, exit 2
        self.print_usage(sys.stderr)
        print(f"discloser：命令用法错误：{message}", file=sys.stderr)
        sys.exit(2)


def _print_problems(problems: list[Problem], fmt: str, path: str) -> None:
    if fmt == "json":
        return
    for p in problems:
        print(p.format(), file=sys.stderr)


def _summary(errors: int, warnings: int) -> str:
    return f"{errors} 个错误，{warnings} 个警告"


def cmd_validate(args: argparse.Namespace) -> int:
    from .validate import load

    worst = 0
    report = []
    for path in args.files:
        loaded = load(path)
        report.append({"file": path, "problems": [p.to_dict() for p in loaded.problems]})
        _print_problems(loaded.problems, args.format, path)
        bad = loaded.errors + (loaded.warnings if args.strict else [])
        if args.format != "json":
            status = "未通过" if bad else "通过"
            print(f"{path}：{status}（{_summary(len(loaded.errors), len(loaded.warnings))}）")
        worst = max(worst, 1 if bad else 0)
    if args.format == "json":
        print(json.dumps(report, ensure_ascii=False, indent=2))
    return worst


def cmd_build(args: argparse.Namespace) -> int:
    formats = tuple(f.strip() for f in args.formats.split(",") if f.strip())
    unknown = [f for f in formats if f not in ALL_FORMATS]
    if unknown or not formats:
        print(f"discloser：不支持的格式 {','.join(unknown) or '（空）'}；可用：{','.join(ALL_FORMATS)}", file=sys.stderr)
        return 2
    try:
        result = build(args.file, args.output, formats, strict=args.strict, profile=args.profile,
                       font_dirs=tuple(args.font_dir or ()))
    except LookupError as e:   # unknown --profile
        print(f"discloser：{e}", file=sys.stderr)
        return 2
    except Exception as e:  # a writer failed: nothing was written (build stages in a temporary folder)
        print(f"discloser：生成失败（{type(e).__name__}: {e}），未写出任何文件。", file=sys.stderr)
        return 1
    _print_problems(result.loaded.problems, "text", args.file)
    if result.refused:
        print(f"{args.file}：有{_summary(len(result.loaded.errors), len(result.loaded.warnings))}，未生成任何文件。",
              file=sys.stderr)
        return 1
    for w in result.warnings:
        print(f"discloser：警告：{w}", file=sys.stderr)
    for f in result.written:
        print(f)
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from .schema import budget_schema

    print(json.dumps(budget_schema(), ensure_ascii=False, indent=2))
    return 0


def parser() -> argparse.ArgumentParser:
    p = _Parser(prog="discloser", description="部门预算公开包生成器：一份预算数据文件 → 说明与公开报表（Word / Excel / PDF）")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)
    v = sub.add_parser("validate", help="校验预算数据文件，列出全部问题")
    v.add_argument("files", nargs="+", metavar="FILE")
    v.add_argument("--format", choices=["text", "json"], default="text", help="问题的输出格式")
    v.add_argument("--strict", action="store_true", help="警告也视为错误")
    v.set_defaults(func=cmd_validate)
    b = sub.add_parser("build", help="校验并生成公开包（.docx / .xlsx / .pdf）")
    b.add_argument("file", metavar="FILE")
    b.add_argument("-o", "--output", required=True, metavar="DIR", help="输出文件夹")
    b.add_argument("--formats", default=",".join(FORMATS), help="要生成的格式，逗号分隔（docx,xlsx,pdf；另有 json：文档结构本身）")
    b.add_argument("--strict", action="store_true", help="有警告也不生成")
    b.add_argument("--profile", help="覆盖数据文件中的版式（名称或 .yaml 文件）")
    b.add_argument("--font-dir", action="append", type=font_dir, metavar="DIR",
                   help="再加一个字体文件夹（如含仿宋_GB2312、方正小标宋的文件夹），供 PDF 使用；可重复")
    b.set_defaults(func=cmd_build)
    s = sub.add_parser("schema", help="输出数据文件的 JSON Schema（含中文说明）")
    s.set_defaults(func=cmd_schema)
    from .extract import add_parsers
    add_parsers(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
