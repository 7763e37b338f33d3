"""`discloser examples`: the shipped example departments, listed or copied out to start from.

The README and every command's help show calls on `shaanxi-linyou-2024.yaml` and the other examples; an
installed package keeps them inside itself (`resources.examples_dir`), where a clerk neither finds nor should
edit them (trialH-s28 D2). `examples` lists them; `examples NAME… [-o DIR]` copies them out, never over a file,
with the editor schema beside them.
"""
from __future__ import annotations

import argparse
import re
import shutil
from pathlib import Path

from . import Exit, UserError, command

IMPORTS = "imports"
SCHEMA = "budget.schema.json"
MODELINE = "# yaml-language-server: $schema="


def _examples() -> dict[str, Path]:
    from ..resources import examples_dir

    folder = examples_dir()
    found = {p.stem: p for p in sorted(folder.glob("*.yaml"))}
    if (folder / IMPORTS).is_dir():
        found[IMPORTS] = folder / IMPORTS
    return found


def _about(path: Path) -> str:
    """“陕西省麟游县医疗保障经办机构 2024 年（版式 shaanxi）”: the department, its year and profile."""
    import yaml

    if path.is_dir():
        return "预算管理一体化系统导出的样例（.xlsx / .xls / .csv）与列名对照表，供 discloser import 试用"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return f"{data['organization']['name']} {data['year']} 年（版式 {data.get('profile', 'national')}）"


def run(args: argparse.Namespace) -> int:
    shipped = _examples()
    if not args.names:
        for name, path in shipped.items():
            args.term.result(f"{name:<30} {_about(path)}")
        args.term.info("取出一份：discloser examples 名称 [-o 文件夹]，再 discloser build 名称.yaml -o 公开包")
        return Exit.OK
    unknown = [n for n in args.names if n.removesuffix(".yaml") not in shipped]
    if unknown:
        raise UserError(f"没有示例“{'、'.join(unknown)}”（可用：{'、'.join(shipped)}；不带名称运行 discloser examples 列出）",
                        Exit.USAGE)
    out = Path(args.output)
    picked = [shipped[n.removesuffix(".yaml")] for n in args.names]
    targets = [out / p.name for p in picked]
    there = [str(t) for t in targets if t.exists()]
    if there:
        raise UserError(f"{'、'.join(there)} 已存在，未覆盖（改用 -o 另一个文件夹）", Exit.PROBLEMS)
    out.mkdir(parents=True, exist_ok=True)
    for source, target in zip(picked, targets):
        if source.is_dir():
            shutil.copytree(source, target)
        else:
            target.write_text(_as_copied(source.read_text(encoding="utf-8"), out), encoding="utf-8")
        args.term.success(f"已写出 {target}")
    return Exit.OK


def _as_copied(text: str, out: Path) -> str:
    """The example as a copy reads: its first line points VS Code at the schema in the source tree (../schema/…),
    which a copy does not have — it points at budget.schema.json beside the copy, written there unless one is; its
    header names the reference it was transcribed from by a path into the source tree (../shared/reference/…), which
    a copy names as the province's published document (trialV-s28 D6)."""
    text = re.sub(r"按 \.\./shared/reference/(\S+?)\.txt 誊录", r"按该地公开的预算文件誊录（参考文件 \1）", text)
    first, _, rest = text.partition("\n")
    if not first.startswith(MODELINE):
        return text
    if not (out / SCHEMA).exists():
        import json

        from ..schema import budget_schema

        (out / SCHEMA).write_text(json.dumps(budget_schema(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return f"{MODELINE}{SCHEMA}\n{rest}"


def add_parsers(subparsers) -> None:
    p = command(subparsers, "examples", help="列出或取出随包的示例数据文件（各省参考文件转写的部门）", handler=run, examples=[
        ("examples", "列出示例：名称、单位、年度、版式"),
        ("examples shaanxi-linyou-2024", "把陕西麟游的示例复制到当前文件夹：shaanxi-linyou-2024.yaml"),
        ("examples henan-shilong-2023 imports -o 样例", "复制河南石龙的示例和预算系统导出样例到“样例”文件夹"),
    ])
    p.add_argument("names", nargs="*", metavar="NAME", help="要取出的示例名称（不写则列出全部）")
    p.add_argument("-o", "--output", default=".", metavar="DIR", help="复制到哪个文件夹（默认当前文件夹；已有的文件不覆盖）")
