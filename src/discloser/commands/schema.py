"""`discloser schema`: the JSON Schema of the budget file (Chinese descriptions), for editors."""
from __future__ import annotations

import argparse
import json

from . import command


def run(args: argparse.Namespace) -> int:
    from ..schema import budget_schema

    args.term.result(json.dumps(budget_schema(), ensure_ascii=False, indent=2))
    return 0


def add_parsers(subparsers) -> None:
    command(subparsers, "schema", help="输出数据文件的 JSON Schema（含中文说明），供编辑器补全与检查", handler=run, examples=[
        ("schema > schema/budget.schema.json", "写入文件；数据文件首行写 # yaml-language-server: $schema=… 即可在 VS Code 中补全"),
    ])
