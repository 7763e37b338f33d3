"""The harvested 支出功能分类 pairs (catalog/sources/*.tsv) against the shipped year files, and the merge rule.

The evidence file is what published documents print; these tests check that the year files carry it
(and nothing the evidence holds back), that the tree stays whole, that names are clean, and that
scripts/catalog_harvest_merge.py applies the documented rule on small made-up catalogs.
"""
from __future__ import annotations

import csv
import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

from discloser.catalog import load_catalog

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "src" / "discloser" / "catalog" / "sources"
SCRIPT = ROOT / "scripts" / "catalog_harvest_merge.py"
YEARS = (2023, 2024, 2025, 2026)


def _rows(name: str) -> list[dict]:
    with (SOURCES / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


PAIRS = _rows("function_pairs.tsv")
HELD = _rows("function_pairs_held.tsv")


def _merge_module():
    spec = importlib.util.spec_from_file_location("catalog_harvest_merge", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# ---- the evidence file -------------------------------------------------------------------------

def test_evidence_rows_are_well_formed():
    assert len(PAIRS) > 300 and len({r["code"] for r in PAIRS}) > 100
    for r in PAIRS:
        assert list(r) == ["code", "name", "year", "source"]
        assert re.fullmatch(r"2\d{2}(\d{2}){0,2}", r["code"]), r
        assert re.fullmatch(r"20\d\d", r["year"]) and r["source"].strip() == r["source"] and r["source"], r
    keys = [(r["code"], int(r["year"]), r["source"]) for r in PAIRS]
    assert len(set(keys)) == len(keys)                  # one row per pair and document
    assert keys == sorted(keys)


def test_every_pair_is_in_its_year_with_that_name():
    wrong = [(r["code"], r["name"], r["year"], load_catalog(int(r["year"])).function_name(r["code"]))
             for r in PAIRS if load_catalog(int(r["year"])).function_name(r["code"]) != r["name"]]
    assert wrong == []


def _added_year(code: str) -> int:
    """The year a documented revision (a file's changes.function.added) introduced the code or its 类/款."""
    years = [y for y in YEARS[1:] for c in (code[:3], code[:5], code)
             if c in (load_catalog(y).changes.get("function", {}).get("added") or {})]
    return max(years, default=YEARS[0])


def test_seen_codes_reach_the_neighbouring_years():
    """No retirements or renames are documented, so a seen code is in every year from its introduction on."""
    missing = [(r["code"], y) for r in PAIRS for y in YEARS
               if y >= _added_year(r["code"]) and load_catalog(y).function_name(r["code"]) is None]
    assert missing == []
    # and not before a documented introduction: 22006 (财预〔2024〕22号) is absent from 2023
    assert _added_year("22006") == 2024 and load_catalog(2023).function_name("22006") is None


def test_held_pairs_are_not_merged_and_say_why():
    assert {r["code"] for r in HELD} >= {"2050302", "2082601", "2170404"}
    for r in HELD:
        assert list(r) == ["code", "name", "year", "source", "reason"] and r["reason"] and r["source"]
        assert [y for y in YEARS if load_catalog(y).function_name(r["code"]) is not None] == [], r["code"]
    assert not {r["code"] for r in HELD} & {r["code"] for r in PAIRS}


# ---- the year files ----------------------------------------------------------------------------

@pytest.mark.parametrize("year", YEARS)
def test_every_xiang_has_its_kuan_and_lei(year):
    fn = load_catalog(year).function
    orphans = [c for c in fn if (len(c) >= 5 and not fn.get(c[:3])) or (len(c) == 7 and not fn.get(c[:5]))]
    assert orphans == []
    assert all(len(c) in (3, 5, 7) for c in fn)


@pytest.mark.parametrize("year", YEARS)
def test_names_are_clean(year):
    debris = re.compile(r"\s|[(（](类|款|项)[)）]|合计|小计|^[\d.]|[\d,.]+$|^[（(]|[（(]$")
    assert [(c, n) for c, n in load_catalog(year).function.items() if not n or debris.search(n)] == []


@pytest.mark.parametrize("year", YEARS)
def test_harvested_codes_across_classes(year):
    """A hand-read sample from the source tables (see function_pairs.tsv for the documents)."""
    cat = load_catalog(year)
    e = cat.entry("2040601", "function")                 # 普陀区司法局 2026 预算：204 06 01 行政运行
    assert e.path == "公共安全支出 › 司法 › 行政运行"
    assert cat.entry("2013999", "function").path == "一般公共服务支出 › 社会工作事务 › 其他社会工作事务支出"
    assert cat.function_name("2010608") == "财政委托业务支出"        # 普陀区财政局 2024 决算、2025 预算
    assert cat.function_name("2081005") == "社会福利事业单位"        # 普陀区社会福利院 2024 预算
    assert cat.function_name("2120104") == "城管执法"                 # 万里街道 2023–2025 预算
    assert cat.function_name("2200150") == "事业运行" and cat.function_name("22001") == "自然资源事务"
    assert cat.function_name("2230105") == "国有企业退休人员社会化管理补助支出"
    # the correction: 208 25 is 其他生活救助 (万里街道 2023–2025), with 208 25 01 under it
    assert cat.function_name("20825") == "其他生活救助" and cat.function_name("2082501") == "其他城市生活救助"


def test_merge_script_finds_nothing_left_to_merge():
    r = subprocess.run([sys.executable, str(SCRIPT), "--check"], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "条" not in r.stdout            # no year file would change


# ---- the merge rule on made-up catalogs ------------------------------------------------------------

def _years(**changes_by_year):
    base = {"201": "一般公共服务支出", "20101": "人大事务", "229": "其他支出"}
    out = {}
    for y in YEARS:
        fn = dict(base)
        ch = changes_by_year.get(str(y), {})
        for code, name in (ch.get("retired") or {}).items():
            fn.pop(code, None)
        out[y] = ("# header\n", {"year": y, "function": fn, "economic_dept": {}, "economic_gov": {},
                                 "changes": {"from": y - 1, "function": ch} if y > YEARS[0] else {}})
    return out


def _row(code, name, year, source="github.com/x/y:z.pdf"):
    return {"code": code, "name": name, "year": year, "source": source}


def test_rule_spreads_a_code_to_every_year():
    m = _merge_module()
    merged, _ = m.merge(_years(), [_row("2010101", "行政运行", 2024)])
    assert [y for y in YEARS if merged[y]["function"].get("2010101") == "行政运行"] == list(YEARS)
    assert merged[2025]["changes"]["function"] == {"added": {}, "renamed": {}, "retired": {}}


def test_rule_respects_a_documented_introduction_and_retirement():
    m = _merge_module()
    years = _years(**{"2024": {"added": {"22960": "彩票公益金安排的支出"}}, "2026": {"retired": {"20101": "人大事务"}}})
    for y in (2024, 2025, 2026):
        years[y][1]["function"]["22960"] = "彩票公益金安排的支出"
    merged, _ = m.merge(years, [_row("2296003", "用于体育事业的彩票公益金支出", 2025), _row("2010101", "行政运行", 2023)])
    assert [y for y in YEARS if "2296003" in merged[y]["function"]] == [2024, 2025, 2026]
    assert [y for y in YEARS if "2010101" in merged[y]["function"]] == [2023, 2024, 2025]
    assert merged[2024]["changes"]["function"]["added"] == {"22960": "彩票公益金安排的支出",
                                                             "2296003": "用于体育事业的彩票公益金支出"}


def test_rule_takes_the_name_of_the_closest_year_and_prefers_official():
    m = _merge_module()
    rows = [_row("2010101", "行政运行", 2023), _row("2010101", "行政运行（新）", 2026),
            _row("2010102", "一般行政管理事务", 2025, "http://czj.example.gov.cn/a.html"),
            _row("2010102", "一般行政管理", 2025)]
    merged, notices = m.merge(_years(), rows)
    assert [merged[y]["function"]["2010101"] for y in YEARS] == ["行政运行", "行政运行", "行政运行（新）", "行政运行（新）"]
    assert {merged[y]["function"]["2010102"] for y in YEARS} == {"一般行政管理事务"}
    assert any("2010102" in n and "来源不一致" in n for n in notices)


def test_rule_refuses_orphans_and_unreviewed_conflicts():
    m = _merge_module()
    with pytest.raises(m.MergeError, match="缺少上级科目"):
        m.merge(_years(), [_row("2050201", "学前教育", 2024)])
    with pytest.raises(m.MergeError, match="目录为“人大事务”"):
        m.merge(_years(), [_row("20101", "人大", 2024)])
