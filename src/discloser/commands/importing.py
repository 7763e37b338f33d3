"""`discloser import`: budget-system line-item exports → a budget file with its gaps marked 待填."""
from __future__ import annotations

import argparse
from pathlib import Path

from . import Exit, UserError, command


def next_steps(term, path: Path) -> None:
    """What the written file still needs, read back through validate (the same list the clerk will see)."""
    from ..validate import load

    loaded = load(path)
    gaps = [p for p in loaded.problems if p.rule.startswith("gap.")]
    errors = [p for p in loaded.errors if not p.rule.startswith("gap.")]
    term.info(f"还有 {len(gaps)} 处待填" + (f"、{len(errors)} 个其他错误" if errors else "")
              + f"：discloser validate {path} 逐条列出；填好后 discloser preview {path} --open 预览，"
              f"discloser build {path} -o 公开包 生成。")


def run(args: argparse.Namespace) -> int:
    from ..intake.importer import ExportError, import_exports, read_mapping
    from ..intake.output import OutputExists, write_text
    from ..intake.yamlout import dump

    term = args.term
    if Path(args.output).suffix.lower() not in (".yaml", ".yml"):
        raise UserError("-o 应为 .yaml 数据文件（要得到填报工作簿，导入后再运行 discloser workbook 数据.yaml -o 数据.xlsx）")
    try:
        mapping = read_mapping(args.map) if args.map else None
        result = import_exports(args.exports, mapping=mapping, year=args.year, profile=args.profile, name=args.name,
                                code=args.code, kind=args.kind, unit=args.unit, catalog_dir=args.catalog)
    except ExportError as e:
        for p in e.problems:
            term.problem(p)
        term.error(f"导出有 {sum(p.severity == 'error' for p in e.problems)} 个错误，未写出任何文件。")
        return Exit.PROBLEMS
    for p in result.problems:
        term.problem(p)
    for line in result.report:
        term.info(line)
    try:
        written = write_text(args.output, dump(result.data, result.notes), args.force)
    except OutputExists as e:
        raise UserError(str(e), Exit.PROBLEMS) from e
    term.success(f"已写出 {written}")
    next_steps(term, written)
    return Exit.OK


def add_parsers(subparsers) -> None:
    from ..model import UnitKind

    p = command(subparsers, "import", help="把预算管理一体化系统导出的支出明细（.xlsx/.xls/.csv）转为数据文件", handler=run, examples=[
        ("import 支出明细.xlsx -o 数据.yaml --profile shaanxi", "读一个导出；缺的内容写成“# 待填”注释"),
        ("import 本级.xls 二级单位.xls -o 部门.yaml --name 某某局 --code 308", "部门预算：多个导出合成一个文件"),
        ("import 明细.csv --map 映射.yaml --year 2025 -o 数据.yaml", "系统的列名不认识时，用映射文件指明各列"),
    ], description="按列名同义词识别列（预算单位、项目编码/名称/类别、支出功能分类、部门/政府经济分类、资金性质/来源、金额、"
                   "是否政府采购），表头可在前几行的任意位置、可有合并单元格；金额单位（元/万元）从表头或“单位：”行识别；"
                   "合计/小计行逐一核对，不符即报错（工作表!单元格）。有错误时不写出文件。")
    p.add_argument("exports", nargs="+", metavar="EXPORT", help="导出文件（.xlsx / .xls / .csv，GBK 或 UTF-8）")
    p.add_argument("-o", "--output", required=True, metavar="FILE", help="写出的数据文件（.yaml）")
    p.add_argument("--map", metavar="MAP", help="映射文件（YAML）：列名或列字母 → 字段，见 README")
    p.add_argument("--year", type=int, help="预算年度（默认从导出标题中的“20XX年”读取）")
    p.add_argument("--profile", metavar="P", help="版式名（shaanxi、henan …）：写入文件，并据此标出说明需要的内容")
    p.add_argument("--name", help="部门（单位）全称（多单位的部门预算需要）")
    p.add_argument("--code", help="部门（单位）编码")
    p.add_argument("--kind", choices=[k.value for k in UnitKind], help="单位性质（导出没有政府经济分类时需要）")
    p.add_argument("--unit", choices=["元", "万元"], help="金额单位（导出中没有写明时）")
    p.add_argument("--catalog", metavar="DIR", help="用户目录所在文件夹（判断单位性质所用的经济分类对应关系）")
    p.add_argument("--force", action="store_true", help="覆盖已存在的文件")
