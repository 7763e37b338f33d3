"""`discloser validate`: every problem of one or more budget files, located."""
from __future__ import annotations

import argparse
import json

from . import Exit, command


def summary(errors: int, warnings: int) -> str:
    return f"{errors} 个错误，{warnings} 个警告"


def run(args: argparse.Namespace) -> int:
    from ..validate import load

    term = args.term
    worst = Exit.OK
    report = []
    for path in args.files:
        if _is_profile(path):
            problems = _profile_problems(path)
            report.append({"file": path, "problems": [p.to_dict() for p in problems]})
            if args.format != "json":
                for p in problems:
                    term.problem(p)
                term.info(f"{path}：版式配置{'未通过' if problems else '通过'}（{summary(len(problems), 0)}）", to_out=True)
            worst = Exit.PROBLEMS if problems else worst
            continue
        loaded = load(path, args.profile, args.catalog)
        from .build import _usage_if_unknown_profile
        _usage_if_unknown_profile(args, loaded)
        loaded.problems.extend(_rendering_problems(loaded))
        report.append({"file": path, "problems": [p.to_dict() for p in loaded.problems]})
        bad = loaded.errors + (loaded.warnings if args.strict else [])
        if args.format != "json":
            for p in loaded.problems:
                term.problem(p)
            status = "未通过" if bad else "通过"
            term.info(f"{path}：{status}（{summary(len(loaded.errors), len(loaded.warnings))}）", to_out=True)
        if bad:
            worst = Exit.PROBLEMS
    if args.format == "json":
        term.result(json.dumps(report, ensure_ascii=False, indent=2))
    return worst


def _rendering_problems(loaded) -> list:
    """A province's own templates rendered with this file: an unknown name or a sandbox refusal shows only when a
    template runs, and `validate` passed a file whose `build` then failed (trialV2-s24). The shipped templates are
    tested; only a profile with its own folder pays for the rendering."""
    if loaded.errors or loaded.budget is None or loaded.profile is None or not loaded.profile.templates:
        return []
    from ..package import build_document
    from ..templating import TemplateFailure

    try:
        build_document(loaded.budget, loaded.profile, loaded.catalog)
    except TemplateFailure as e:
        return list(e.problems)
    return []


def _is_profile(path: str) -> bool:
    """A profile file (tables / extends / narrative at the top, no organization) is checked as a profile."""
    from ..profile import is_profile_file
    from ..source import top_level_keys

    keys = top_level_keys(path, stop=frozenset({"organization"}))
    return keys is not None and is_profile_file(dict.fromkeys(keys))


def _profile_problems(path: str) -> list:
    """The profile's own problems, then its templates' (syntax, includes: `templating.profile_template_problems`),
    then what its 说明 templates raise when they run on a sample department (`templating.sample_problems`)."""
    from ..profile import ProfileError, load_profile
    from ..templating import profile_template_problems, sample_problems

    load_profile.cache_clear()
    try:
        profile = load_profile(path)
    except ProfileError as e:
        return e.problems
    return profile_template_problems(profile) or sample_problems(profile, path)


def add_parsers(subparsers) -> None:
    p = command(subparsers, "validate", help="校验预算数据文件，列出全部问题（文件:行:列 字段）", handler=run, examples=[
        ("validate shaanxi-linyou-2024.yaml", "校验一个文件；有错误时退出码为 1"),
        ("validate --strict 甲.yaml 乙.yaml", "警告也算未通过（例如较上年变化未写原因）"),
        ("validate --format json 数据.yaml > 问题.json", "机器可读的问题清单"),
        ("validate 我县.yaml", "检查一份版式配置（profile new 写出的那种）"),
    ])
    p.add_argument("files", nargs="+", metavar="FILE", help="预算数据文件（.yaml / .json，或填报工作簿 .xlsx）或版式配置文件，可以多个")
    p.add_argument("--format", choices=["text", "json"], default="text", help="问题的输出格式（默认 text）")
    p.add_argument("--strict", action="store_true", help="警告也视为错误（提示不算）")
    p.add_argument("--profile", metavar="P", help="按这个版式校验：名称（shaanxi、henan …）或 .yaml 文件")
    p.add_argument("--catalog", metavar="DIR", help="用户目录所在文件夹（DIR/<年度>.yaml，catalog import 写出），优先于随包目录")
