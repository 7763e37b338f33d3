#!/usr/bin/env python3
"""Merge the harvested 支出功能分类 code–name pairs into the shipped year catalogs.

Evidence lives in src/discloser/catalog/sources/function_pairs.tsv (code, name, year, source): one row
per pair as a published document prints it — the name beside its code in a table of a 部门预算/决算,
a template of a finance bureau, or a 财政部 revision notice — with the year of that document. Pairs
found but not mergeable (a 项 whose 款 name has no source, or a pair that contradicts an entry we
cannot yet check) are kept in function_pairs_held.tsv with the reason, and are never merged.

The rule, for every year file Y (data/<Y>.yaml):

* a code seen in year S enters S and, by default, every other shipped year too — codes rarely change,
  and the published 《政府收支分类科目》 is the same catalog year to year except where a revision says
  otherwise. The exceptions are the documented revisions, i.e. the files' own `changes:` sections:
  a code (or its 类/款) listed as *added* in year A does not enter years before A; a code listed as
  *retired* in year R does not enter R or later years (nor, if seen at or after R, years before R);
  a code *renamed* in year R takes the evidence name only on the side of R where it was seen.
* the name used for year Y is the one printed by the source closest in time to Y; on a tie, an
  official document (gov.cn, a 财预 notice) wins, then the name printed by more sources. Sources
  that disagree are printed as a notice.
* a 项 enters only where its 款 and 类 are present (from the file or from the evidence); a 款 only
  where its 类 is. A missing parent is an error: such a pair belongs in the held file.
* existing entries are kept. A pair whose name differs from the shipped one stops the merge, unless
  the code is listed in CORRECTIONS below with the reason (an entry of the originally shipped,
  unsourced list contradicted by a published document).
* after merging, each file's `changes:` (added/renamed/retired per section) is recomputed from the
  data, so it keeps saying exactly how the year differs from the one before.

Run from the repository root: `python3 scripts/catalog_harvest_merge.py` (add `--check` to only
report what would change; the exit status is 1 when a file would change or the evidence conflicts).
"""
from __future__ import annotations

import argparse
import csv
import sys
from collections import defaultdict
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
from discloser.catalog import SECTIONS, diff  # noqa: E402  (this tree's package, not an installed one)

CATALOG = ROOT / "src" / "discloser" / "catalog"
DATA = CATALOG / "data"
PAIRS = CATALOG / "sources" / "function_pairs.tsv"
HELD = CATALOG / "sources" / "function_pairs_held.tsv"

# Shipped names contradicted by a published document: code → (name in the document, why we follow it).
CORRECTIONS = {
    "20825": ("其他生活救助",
              "上海市普陀区 2023、2024、2025 年区级部门预算（万里街道办事处）表内印“208 25 其他生活救助”及其下"
              "“208 25 01 其他城市生活救助”；原随包名称“财政对基本养老保险基金的补助”无来源"),
}


class MergeError(Exception):
    pass


def read_pairs(path: Path = PAIRS) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    for i, row in enumerate(rows, start=2):
        if set(row) != {"code", "name", "year", "source"} or not all(row.values()):
            raise MergeError(f"{path.name} 第 {i} 行：应有 code、name、year、source 四列且都不为空")
        row["year"] = int(row["year"])
    return rows


def split_header(text: str) -> tuple[str, str]:
    lines = text.splitlines(keepends=True)
    i = 0
    while i < len(lines) and lines[i].startswith("#"):
        i += 1
    return "".join(lines[:i]), "".join(lines[i:])


def load_years() -> dict[int, tuple[str, dict]]:
    years = {}
    for path in sorted(DATA.glob("*.yaml")):
        header, body = split_header(path.read_text(encoding="utf-8"))
        years[int(path.stem)] = (header, yaml.safe_load(body))
    return years


def _official(source: str) -> bool:
    return "gov.cn" in source or "财预" in source


def choose_name(rows: list[dict], year: int) -> str:
    """The name printed closest in time to `year`; then official sources; then the most sources."""
    counts: dict[str, int] = defaultdict(int)
    for r in rows:
        counts[r["name"]] += 1
    best = min(rows, key=lambda r: (abs(r["year"] - year), not _official(r["source"]), -counts[r["name"]], r["name"]))
    return best["name"]


def documented(years: dict[int, tuple[str, dict]]) -> dict[str, dict[str, list[int]]]:
    """kind (added/renamed/retired) → code → years, from every file's `changes.function`."""
    out: dict[str, dict[str, list[int]]] = {"added": defaultdict(list), "renamed": defaultdict(list),
                                             "retired": defaultdict(list)}
    for y, (_, data) in years.items():
        fn = ((data.get("changes") or {}).get("function") or {})
        for kind in out:
            for code in (fn.get(kind) or {}):
                out[kind][str(code)].append(y)
    return out


def allowed_years(code: str, seen: list[int], all_years: list[int], doc) -> list[int]:
    """The years a code seen in `seen` enters, by the rule in the module docstring."""
    chain = [code[:n] for n in (3, 5, 7) if n <= len(code)]
    start = max([a for c in chain for a in doc["added"].get(c, [])], default=min(all_years))
    out = []
    for y in all_years:
        if y < start:
            continue
        retired = [r for c in chain for r in doc["retired"].get(c, [])]
        if any((y >= r) != (s >= r) for r in retired for s in seen):
            continue
        renamed = doc["renamed"].get(code, [])
        if any((y >= r) != (s >= r) for r in renamed for s in seen):
            continue
        out.append(y)
    return out


def merge(years: dict[int, tuple[str, dict]], rows: list[dict]) -> tuple[dict[int, dict], list[str]]:
    """New `function` tables and recomputed `changes` per year; notices for the reader."""
    notices = []
    by_code: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        by_code[r["code"]].append(r)
    for code, rs in sorted(by_code.items()):
        names = sorted({r["name"] for r in rs})
        if len(names) > 1:
            notices.append(f"{code}：来源不一致 {names}，按年份最近、官方优先取名")
    all_years = sorted(years)
    doc = documented(years)
    tables = {y: dict(data["function"]) for y, (_, data) in years.items()}
    errors = []
    for code, rs in sorted(by_code.items()):
        seen = sorted({r["year"] for r in rs})
        for y in allowed_years(code, seen, all_years, doc):
            name = choose_name(rs, y)
            current = tables[y].get(code)
            if current is not None and current != name:
                fix = CORRECTIONS.get(code)
                if fix is None or fix[0] != name:
                    errors.append(f"{y} 年 {code}：目录为“{current}”，来源印“{name}”（须先核对；确认后写入 CORRECTIONS）")
                    continue
                notices.append(f"{y} 年 {code}：“{current}” → “{name}”（{fix[1]}）")
            tables[y][code] = name
    for y, table in tables.items():
        for code in table:
            parents = [code[:n] for n in (3, 5) if n < len(code)]
            missing = [p for p in parents if p not in table]
            if missing:
                errors.append(f"{y} 年 {code}“{table[code]}”缺少上级科目 {missing}（无来源的上级不补，此对应移入 {HELD.name}）")
    if errors:
        raise MergeError("\n".join(errors))
    out = {}
    previous = None
    for y in all_years:
        data = dict(years[y][1])
        data["function"] = dict(sorted(tables[y].items()))
        if previous is not None and data.get("changes", {}).get("from") == previous[0]:
            changes = dict(data["changes"])
            for section in SECTIONS:
                changes[section] = diff(previous[1][section], data[section])
            data["changes"] = _ordered(changes)
        out[y] = data
        previous = (y, data)
    return out, notices


def _ordered(changes: dict) -> dict:
    keys = ["from", "document", *SECTIONS, "note"]   # document: the revision notice that made the changes
    return {k: changes[k] for k in keys if k in changes} | {k: v for k, v in changes.items() if k not in keys}


def dump(header: str, data: dict) -> str:
    return header + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10000, default_flow_style=False)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="只报告将有的改动，不写文件")
    args = ap.parse_args(argv)
    years = load_years()
    try:
        merged, notices = merge(years, read_pairs())
    except MergeError as e:
        print(f"未合并：\n{e}", file=sys.stderr)
        return 2
    for n in notices:
        print(n)
    changed = 0
    for y, data in merged.items():
        header, old = years[y]
        before = len(old["function"])
        text = dump(header, data)
        path = DATA / f"{y}.yaml"
        if text != path.read_text(encoding="utf-8"):
            changed += 1
            print(f"{y}：支出功能分类 {before} → {len(data['function'])} 条")
            if not args.check:
                path.write_text(text, encoding="utf-8")
    return 1 if (args.check and changed) else 0


if __name__ == "__main__":
    sys.exit(main())
