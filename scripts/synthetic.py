#!/usr/bin/env python3
"""A synthetic department of N line items, for the benchmark (scripts/bench): one unit per 200 items
(行政 / 参公 / 事业 in turn), every fiscal fund and 事业收入, one project per 20 project items with three
indicators, balanced per unit and fund, amounts in 元 with cents (so 万元 rounding has work to do).

    scripts/synthetic.py N [--profile henan] > dept.yaml
"""
from __future__ import annotations

import argparse
import random
import sys
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

KINDS = ("行政单位", "参照公务员法管理事业单位", "事业单位")
FUNDS = ("一般公共预算拨款", "一般公共预算拨款", "一般公共预算拨款", "政府性基金预算拨款", "国有资本经营预算拨款", "事业收入")
PERSONNEL = ("30101", "30102", "30103", "30108", "30109", "30112", "30113", "30302", "30305")
PUBLIC = ("30201", "30202", "30205", "30206", "30207", "30211", "30215", "30216", "30217", "30228", "30231", "30299", "31002")
PROJECT = ("30201", "30226", "30227", "30299", "31002", "31003", "30399")


def department(n: int, profile: str, seed: int = 1) -> str:
    import yaml

    from discloser.catalog import load_catalog

    rnd = random.Random(seed)
    year = 2025
    functions = [c for c in load_catalog(year).function if len(c) == 7]
    units = [{"code": f"901{u:03d}", "name": f"第{u + 1}所属单位", "kind": KINDS[u % 3]} for u in range(max(1, n // 200))]
    lines, projects = [], []
    totals: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for i in range(n):
        unit = units[i * len(units) // n]["code"]
        kind = rnd.choice(("人员经费", "公用经费", "项目支出"))
        economic = rnd.choice({"人员经费": PERSONNEL, "公用经费": PUBLIC, "项目支出": PROJECT}[kind])
        fund = rnd.choice(FUNDS) if kind == "项目支出" else "一般公共预算拨款"
        amount = Decimal(rnd.randrange(100_00, 50_000_000_00)) / 100
        line = {"function": rnd.choice(functions), "economic": economic, "kind": kind, "amount": str(amount),
                "fund": fund, "unit": unit}
        if kind == "项目支出":
            if not projects or len([x for x in lines if x.get("project") == projects[-1]["code"]]) >= 20 \
                    or projects[-1]["unit"] != unit:
                code = f"P{len(projects) + 1:06d}"
                projects.append({"name": f"专项工作{len(projects) + 1}", "code": code, "unit": unit,
                                 "type": rnd.choice(("其他运转类", "特定目标类")), "description": "用于专项工作。",
                                 "performance": {"goal": "按期完成专项工作。", "indicators": [
                                     {"level1": "产出指标", "level2": "数量指标", "name": "完成事项数", "comparator": "≥", "value": "10", "measure": "项"},
                                     {"level1": "效益指标", "level2": "社会效益指标", "name": "服务保障水平", "comparator": "定性", "value": "提高"},
                                     {"level1": "满意度指标", "level2": "服务对象满意度指标", "name": "服务对象满意度", "comparator": "≥", "value": "90", "measure": "%"}]}})
            line["project"] = projects[-1]["code"]
        lines.append(line)
        totals[(unit, fund)] += amount
    data = {
        "profile": profile, "year": year, "scope": "部门",
        "organization": {"name": "合成县示例局", "code": "901", "kind": "行政单位", "units": units,
                         "functions": ["负责本系统的各项工作。"], "tasks": ["完成年度工作任务。"]},
        "revenues": [{"source": fund, "amount": str(a), "unit": unit} for (unit, fund), a in sorted(totals.items())],
        "expenditures": lines, "projects": projects,
        "assets": {"vehicles": {"一般公务用车": 2}, "equipment": 1},
        "procurement": [],      # stated none (a missing one is refused): what these departments always printed
    }
    return "# yaml-language-server: $schema=../schema/budget.schema.json\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=200)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("n", type=int)
    ap.add_argument("--profile", default="henan")
    args = ap.parse_args()
    sys.stdout.write(department(args.n, args.profile))


if __name__ == "__main__":
    main()
