"""`discloser profiles` (the shipped layouts) and `discloser profile new` (an editable copy).

A clerk customizes by copying: `profile new` writes NAME.yaml that `extends` the chosen profile —
with every part of it written out, commented, ready to change — and copies the section templates the
profile uses into NAME-templates/, which the copy names as its `templates:` folder, so a changed
sentence takes effect without touching the installed package.
"""
from __future__ import annotations

import argparse
import os
import shutil
import tempfile
from pathlib import Path

from . import Exit, UserError, command


def run_list(args: argparse.Namespace) -> int:
    from ..profile import available_profiles, load_profile

    for name in available_profiles():
        p = load_profile(name)
        unit = {"yuan": "元", "wan": "万元"}[p.unit]
        args.term.result(f"{name:<10} {p.label}：{published(p)}，{unit}")
    return Exit.OK


def published(profile) -> str:
    """The tables one package publishes — a profile's tables are per scope (Shanghai's 1. has one form for a
    部门 and one for a 单位: a package prints one of them, so 9 tables, not 10, trialH-s28 D8)."""
    def tables(scope: str) -> str:
        numbers = [t.number for t in profile.tables if scope in t.scopes and t.number]
        span = f"{numbers[0]}–{numbers[-1]}" if len(numbers) > 1 else "".join(numbers)
        return f"{len([t for t in profile.tables if scope in t.scopes])} 张表" + (f"（{span}）" if span else "")

    each = {scope: tables(scope) for scope in ("部门", "单位")}
    if each["部门"] == each["单位"]:
        return each["部门"]
    return "；".join(f"{scope}预算 {text}" for scope, text in each.items())


HEADER = """# {label}（复制自随包版式“{source}”，可以直接修改）
#
# 本文件“继承”（extends）随包的 {source} 版式，下面写出的各项会覆盖它：
# - 改表名、表号：改 tables 中对应表的 title / number；不要的表整段删除（连同它前面的“- key:”）。
# - 换单位：unit 改为 yuan（元）或 wan（万元）。
# - 调整说明章节的顺序或删去某一节：改 narrative 列表；章节模板在 {templates}/narrative/ 下，可以直接改措辞。
# - 换 Word 样式：把自己的 reference.docx 放到 {templates}/docx/reference.docx。
# 检查本文件：discloser validate {file}；用它生成：discloser build 数据.yaml -o 输出 --profile {file}
# 详见 {guide}（随包文档：版式定制说明）。
"""


def run_new(args: argparse.Namespace) -> int:
    from ..profile import load_profile

    try:
        source = load_profile(args.source)
    except LookupError as e:
        raise UserError(str(e)) from e
    out = Path(args.output)
    target = out / f"{args.name}.yaml"
    folder = out / f"{args.name}-templates"
    if target.exists() or folder.exists():
        raise UserError(f"{target} 或 {folder} 已存在，未覆盖；请换一个名称或文件夹", Exit.PROBLEMS)
    out.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=".discloser-", dir=out))
    try:
        used = _write_copy(source, args, stage)
        load_profile.cache_clear()
        load_profile(str(stage / target.name))   # the copy loads as written
        os.replace(stage / folder.name, folder)
        os.replace(stage / target.name, target)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    args.term.result(f"已写出 {target} 和 {folder}/（{used} 个说明章节模板）")
    args.term.info(f"下一步：修改后运行 discloser validate {target}，再用 --profile {target} 生成。")
    return Exit.OK


def _write_copy(source, args: argparse.Namespace, out: Path) -> int:
    import yaml

    from ..resources import docs_dir, templates_dir

    target = out / f"{args.name}.yaml"
    folder = out / f"{args.name}-templates"
    # what the shipped profile (with what it extends) wrote, no more, no less: the table builders read their
    # options as written (`exclude_unset`: a form keeps its own defaults), so a value equal to the model's
    # default (湖北 type_row.label) or a null (甘肃 indicator_lead) must be written out, and nothing unwritten added
    data = source.model_dump(mode="json", exclude={"templates", "catalog", "phrases"}, exclude_unset=True)
    data = {"extends": args.source, **data, "name": args.name, "label": f"{source.label}（{args.name}）"}
    used = {e.section for e in source.narrative_entries() if e.section.endswith(".j2")}
    for section in sorted(used):
        found = source.find_template(f"narrative/{section}") or templates_dir() / "narrative" / section
        dest = folder / "narrative" / section
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(found, dest)
    data["templates"] = folder.name
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=120)
    target.write_text(HEADER.format(label=data["label"], source=args.source, templates=folder.name, file=target.name,
                                     guide=docs_dir() / "customizing.md") + text,
                      encoding="utf-8")
    return len(used)


def add_parsers(subparsers) -> None:
    command(subparsers, "profiles", help="列出随包的版式（省份）配置", handler=run_list, examples=[
        ("profiles", "每个版式一行：名称、表的数量、单位"),
    ])
    p = command(subparsers, "profile", help="版式配置：复制一份随包版式来修改", handler=_usage, examples=[
        ("profile new 我县 --from henan", "写出 我县.yaml 和 我县-templates/"),
    ])
    sub = p.add_subparsers(dest="profile_command", parser_class=type(p))
    n = command(sub, "new", help="复制随包版式为可编辑的配置（含说明章节模板）", handler=run_new, examples=[
        ("profile new 我县 --from henan", "以河南版式为底，写出 我县.yaml 和 我县-templates/"),
        ("profile new 本省 --from shaanxi -o 版式", "写到 版式/ 文件夹"),
    ])
    n.add_argument("name", metavar="NAME", help="新版式的名称（也是文件名）")
    n.add_argument("--from", dest="source", required=True, metavar="P", help="复制哪个随包版式（discloser profiles 列出）")
    n.add_argument("-o", "--output", default=".", metavar="DIR", help="写到哪个文件夹（默认当前文件夹）")


def _usage(args: argparse.Namespace) -> int:
    raise UserError("请写出 profile 的子命令，如：discloser profile new 我县 --from henan")
