"""`discloser build`: validate, then write the package; print where each file went and its size in pages.

What is printed per file (as its writer counted it): the PDF's page count; for .docx the number of
tables (Word and WPS paginate a .docx themselves, with the fonts of the machine that opens it, so
no page count in the file is reliable); for .xlsx the number of worksheets.
"""
from __future__ import annotations

import argparse
import os
import time
import traceback
from pathlib import Path

from . import Exit, UserError, command
from .validate import summary

FORMAT_NAMES = {"docx": "Word", "xlsx": "Excel", "pdf": "PDF", "json": "JSON"}
STEP_NAMES = {"validate": "校验数据", "document": "生成表格与说明", **{f: f"写出 {n}" for f, n in FORMAT_NAMES.items()}}


COUNTED = {"pdf": "PDF，{} 页", "docx": "Word，{} 张表", "xlsx": "Excel，{} 个工作表"}


def describe(path: Path, count: int | None) -> str:
    """What a written file holds, as its writer counted it: “PDF，34 页”, “Word，19 张表”, “Excel，20 个工作表”. Word's
    tables are counted by their titles — each table printed, a project's form once per project, as the 目录 lists
    them; the 目录's own title (no entry of itself) not counted. Word's own count, in which a form is several tables,
    said 30 for the Shaanxi example; counting every title, 10 for Shanghai's 9 (trialV-s28 D3). Read back from the
    files, the three counts took 0.8 s of Shaanxi's 4-second build (pypdf parses every object of the PDF's
    compressed streams to reach its page tree, and a 20,000-item package's were past its decompression limit)."""
    fmt = path.suffix.lstrip(".")
    return COUNTED[fmt].format(count) if fmt in COUNTED and count is not None else fmt


def _usage_if_unknown_profile(args: argparse.Namespace, loaded) -> None:
    """An unknown --profile is a mistake of the command line (exit 2), not of the data file."""
    if args.profile:
        for p in loaded.problems:
            if p.rule == "profile.unknown":
                raise UserError(p.message)


def parse_formats(text: str) -> tuple[str, ...]:
    from ..build import ALL_FORMATS

    formats = tuple(dict.fromkeys(f.strip().lower() for f in text.split(",") if f.strip()))
    unknown = [f for f in formats if f not in ALL_FORMATS]
    if unknown or not formats:
        raise UserError(f"不支持的格式 {','.join(unknown) or '（空）'}；可用：{','.join(ALL_FORMATS)}")
    return formats


PASSED_OVER_SHOWN = 10      # files a folder holds and the build does not read: each said, up to this many


def run(args: argparse.Namespace) -> int:
    from ..build import inputs_of, output_problem

    found = inputs_of(args.files, args.output)
    files = found.files
    for f, why in found.passed_over[:PASSED_OVER_SHOWN]:
        args.term.warning(f"{f}：未读取（{why}）")
    if len(found.passed_over) > PASSED_OVER_SHOWN:
        args.term.warning(f"另有 {len(found.passed_over) - PASSED_OVER_SHOWN} 个文件未读取（同上）")
    profiles = [f for f in files if _is_profile_file(f)]
    for f in profiles:      # told by its top-level keys, as validate does — not 22 “未知字段” (trialG-s28 D11)
        said = f"{f}：这是版式配置文件，不是预算数据文件（生成时用 --profile {f}）"
        if len(files) == 1 and not any(Path(a).is_dir() for a in args.files):
            raise UserError(said, Exit.PROBLEMS)
        args.term.info(f"{said}，已跳过")
    files = [f for f in files if f not in profiles]
    if not files:
        raise UserError(f"没有找到预算数据文件：{'、'.join(args.files)}", Exit.PROBLEMS)
    unwritable = output_problem(args.output)     # once, before building: not once per department (trialG-s28 D6)
    if unwritable:
        raise UserError(unwritable, Exit.PROBLEMS)
    if len(files) > 1 or any(Path(f).is_dir() for f in args.files):
        return run_many(args, files)
    args.file = str(files[0])
    return run_one(args)


def _is_profile_file(path: Path) -> bool:
    from .validate import _is_profile

    return path.suffix.lower() in (".yaml", ".yml", ".json") and path.is_file() and _is_profile(str(path))


def run_many(args: argparse.Namespace, files: list[Path]) -> int:
    """Many departments: each into OUT/<file name>/ (two of one name: OUT/<folder>-<name>/), in -j worker processes; a failure does not stop the
    others; a summary lists each failure with its located problems; exit 1 if any failed."""
    from ..build import MAX_JOBS, build_many, earlier_folders

    term = args.term
    formats = parse_formats(args.formats)
    options = dict(strict=args.strict, profile=args.profile, catalog_dir=args.catalog, font_dirs=tuple(args.font_dir or ()))
    started = time.perf_counter()
    with term.steps(total=len(files)) as steps:
        steps.start(f"生成 {len(files)} 个部门（{min(args.jobs, len(files), MAX_JOBS)} 个进程）")

        warned: dict[str, int] = {}
        said: set[str] = set()

        def done(outcome) -> None:     # each package said as it is finished: a stopped batch has told its finished ones
            if outcome.ok:             # with its warnings, as a single build shows them (trialG-s28 D3)
                steps.say(f"{outcome.path} → {', '.join(str(p) for p in outcome.written)}")
                warnings = [p for p in outcome.problems if p.severity == "warning"]
                for p in warnings:
                    term.problem(p)
                notices = sum(p.severity == "notice" for p in outcome.problems)
                if notices:
                    term.info(f"{outcome.path}：另有 {notices} 条提示（discloser validate {outcome.path} 列出）")
                for w in outcome.warnings:      # a font's fallback is the same for every department: said once
                    if w not in said:
                        said.add(w)
                        term.warning(f"警告：{w}")
                if warnings:
                    warned[outcome.path] = len(warnings)
            steps.done(f"{outcome.path}：{'完成' if outcome.ok else '未生成'}")

        outcomes = build_many(files, Path(args.output), formats, jobs=max(1, args.jobs), done=done, **options)
    failed = [o for o in outcomes if not o.ok]
    for o in failed:
        errors = [p for p in o.problems if p.severity == "error" or (args.strict and p.severity == "warning")]
        kept = f"；{o.kept}{os.sep} 中仍是以前生成的文件，未更新" if o.kept else ""
        term.error(f"{o.path}：未生成（{o.failure or summary(len([p for p in o.problems if p.severity == 'error']), len([p for p in o.problems if p.severity == 'warning']))}）{kept}")
        for p in errors:
            term.problem(p)
    if warned:
        term.warning(f"已生成但有警告的 {len(warned)} 个部门（共 {sum(warned.values())} 个警告，见上；请核对）："
                     + "、".join(f"{path}（{n} 个）" for path, n in warned.items()))
    earlier = earlier_folders(Path(args.output), files)
    if earlier:
        term.warning(f"{'、'.join(f'{f}{os.sep}' for f in earlier)} 是以前生成的，本次没有对应的输入文件（改了文件名？），"
                     "未更新；不再公开的请删去，免得同一部门公开两份")
    ok = len(outcomes) - len(failed)
    line = f"已生成 {ok} 个部门，{len(failed)} 个未生成，用时 {time.perf_counter() - started:.1f} 秒。"
    (term.error if failed else term.success)(line)
    return Exit.PROBLEMS if failed else Exit.OK


def run_one(args: argparse.Namespace) -> int:
    from ..build import build

    term = args.term
    formats = parse_formats(args.formats)
    started = time.perf_counter()
    with term.steps(total=2 + len(formats)) as steps:
        pending = ["validate", "document", *formats]

        def progress(step: str) -> None:
            steps.done(STEP_NAMES[step])
            pending.remove(step)
            steps.start("、".join(STEP_NAMES[s] for s in pending[:1] + [s for s in pending[1:] if s in FORMAT_NAMES]))

        steps.start(STEP_NAMES["validate"])
        try:
            result = build(args.file, args.output, formats, strict=args.strict, profile=args.profile,
                           catalog_dir=args.catalog, font_dirs=tuple(args.font_dir or ()), progress=progress)
        except LookupError as e:   # unknown --profile
            raise UserError(str(e)) from e
        except Exception as e:     # a writer failed: nothing was written (build stages in a temporary folder)
            if args.debug:
                traceback.print_exc()
            from ..build import os_reason

            why = f"无法写入 {args.output}（{os_reason(e)}）" if isinstance(e, OSError) else f"{type(e).__name__}: {e}"
            term.error(f"discloser：生成失败（{why}），未写出任何文件。")
            return Exit.PROBLEMS
    _usage_if_unknown_profile(args, result.loaded)
    for p in result.loaded.problems:
        term.problem(p)
    if result.refused:
        term.error(f"{args.file}：有 {summary(len(result.loaded.errors), len(result.loaded.warnings))}，未生成任何文件。")
        return Exit.PROBLEMS
    for w in result.warnings:
        term.warning(f"警告：{w}")
    for f in result.written:
        term.info(f"{f}（{describe(f, result.counts.get(f))}）", to_out=True)
    term.success(f"已生成 {len(result.written)} 个文件，用时 {time.perf_counter() - started:.1f} 秒。")
    return Exit.OK


def jobs(value: str) -> int:
    """argparse type of -j: a whole number of processes, at least 1 (-j 0 ran as -j 1, silently — trialG-s28 D9)."""
    try:
        n = int(value)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"应为不小于 1 的整数（同时生成几个部门），不是“{value}”")
    return n


def add_parsers(subparsers) -> None:
    from ..build import FORMATS, font_dir

    p = command(subparsers, "build", help="校验并生成公开包（.docx / .xlsx / .pdf）", handler=run, examples=[
        ("build shaanxi-linyou-2024.yaml -o 公开包", "生成三种格式；文件名为“单位名称+年度+预算公开”（示例文件用 discloser examples shaanxi-linyou-2024 取出）"),
        ("build 数据.yaml -o 公开包 --formats pdf", "只生成 PDF"),
        ("build 数据.yaml -o 公开包 --profile 我省.yaml --strict", "用自己的版式配置；有警告也不生成"),
        ("build 全县各部门/ -o 公开包 -j 2", "一次生成文件夹里的每个部门（各自一个子文件夹），两个进程"),
    ], description="先校验；有错误时不写出任何文件（退出码 1）。全部格式都写成功后才移入输出文件夹。")
    p.add_argument("files", nargs="+", metavar="FILE", help="预算数据文件（.yaml / .json，或填报工作簿 .xlsx）；多个文件或文件夹时每个部门写到 DIR/<文件名>/")
    p.add_argument("-j", "--jobs", type=jobs, default=os.cpu_count() or 1, metavar="N",
                   help="同时生成几个部门（多个文件时；默认为处理器核数）")
    p.add_argument("-o", "--output", required=True, metavar="DIR", help="输出文件夹（不存在时创建）")
    p.add_argument("--formats", default=",".join(FORMATS), help=f"要生成的格式，逗号分隔（默认 {','.join(FORMATS)}；另有 json：文档结构本身）")
    p.add_argument("--strict", action="store_true", help="有警告也不生成")
    p.add_argument("--profile", metavar="P", help="覆盖数据文件中的版式：名称（shaanxi、henan …）或 .yaml 文件")
    p.add_argument("--catalog", metavar="DIR", help="用户目录所在文件夹（DIR/<年度>.yaml，catalog import 写出），优先于随包目录")
    p.add_argument("--font-dir", action="append", type=font_dir, metavar="DIR",
                   help="再加一个字体文件夹（如含仿宋_GB2312、方正小标宋的文件夹），供 PDF 使用；可重复")
