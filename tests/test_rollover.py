"""discloser rollover: the Shaanxi 2024 example rolled to 2025 — amounts 待填 (errors, never 0), prior-year
figures equal to the 2024 figures (an oracle computed here straight from the 2024 line items), and
once the clerk fills the amounts, validate exits 0; catalog renames mapped, retirements flagged."""
from __future__ import annotations

import dataclasses
import re
import subprocess
import sys
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest

from discloser.catalog import load_catalog
from discloser.intake import rollover as rollover_module
from discloser.intake.yamlout import dump
from discloser.model import ExpenseKind, Fund
from discloser.package import build_document
from discloser.source import load_source
from discloser.validate import load
from helpers import ROOT, SHAANXI

FISCAL = (Fund.general, Fund.gov_fund, Fund.state_capital)


def cli(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "discloser.cli", *map(str, args)], capture_output=True, text=True,
                          env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin", "NO_COLOR": "1"})


@pytest.fixture(scope="module")
def rolled(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("roll") / "2025.yaml"
    r = cli("rollover", SHAANXI, "--to", "2025", "-o", out)
    assert r.returncode == 0, r.stderr
    return out


def oracle_2024() -> dict:
    """The 2024 figures the 2025 说明 compares with, from the 2024 line items in 元 (independent of facts.py)."""
    b = load(SHAANXI).budget
    cat = load_catalog(2024)
    kind = b.organization.kind.value
    lines = b.expenditures
    general = [e for e in lines if e.fund is Fund.general]
    by = defaultdict(lambda: defaultdict(Decimal))
    for e in general:
        by["function"][e.function] += e.amount
        by["economic_dept"][e.economic[:3]] += e.amount
        by["economic_gov"][cat.gov_code_for(e.economic, kind)[:3]] += e.amount
    fiscal = [e for e in lines if e.fund in FISCAL]

    def econ(*codes):   # 三公 are counted from 一般公共预算拨款 (the shipped profiles' three_public_funds)
        return sum((e.amount for e in general if e.economic in codes), Decimal(0))

    carry = sum((c.amount for c in b.carry_forward), Decimal(0))
    items = {
        "三公经费": econ("30212", "30217", "30231", "31013"), "因公出国（境）费": econ("30212"),
        "公务用车购置及运行费": econ("30231", "31013"), "公务用车购置费": econ("31013"), "公务用车运行维护费": econ("30231"),
        "公务接待费": econ("30217"), "会议费": econ("30215"), "培训费": econ("30216"),
        "公用经费": sum((e.amount for e in general if e.kind is ExpenseKind.public), Decimal(0)),
        "人员经费": sum((e.amount for e in general if e.kind is ExpenseKind.personnel), Decimal(0)),
        "基本支出": sum((e.amount for e in general if e.kind is not ExpenseKind.project), Decimal(0)),
        "项目支出": sum((e.amount for e in general if e.kind is ExpenseKind.project), Decimal(0)),
        "机关运行经费": sum((e.amount for e in fiscal if e.kind is ExpenseKind.public), Decimal(0)),   # a 行政单位
        "政府性基金预算拨款支出": sum((e.amount for e in lines if e.fund is Fund.gov_fund), Decimal(0)),
        "国有资本经营预算拨款支出": sum((e.amount for e in lines if e.fund is Fund.state_capital), Decimal(0)),
    }
    return {"total": sum((e.amount for e in lines), Decimal(0)) + carry,
            "fiscal": sum((e.amount for e in fiscal), Decimal(0)),
            "general": sum((e.amount for e in general), Decimal(0)),
            **{k: dict(v) for k, v in by.items()}, "items": items}


def fill_amounts(path: Path, scale: Decimal = Decimal("1.1"), dropped: int | None = None) -> None:
    """What the clerk does: type the new year's amounts where 待填 stands (here: last year's × 1.1, balanced);
    `dropped`: the index of a line the clerk deleted."""
    data = load_source(path).data
    last = [e for n, e in enumerate(load(SHAANXI).budget.expenditures) if n != dropped]
    for item, before in zip(data["expenditures"], last):
        assert item["amount"] == "待填"
        item["amount"] = (before.amount * scale).quantize(Decimal(1))
    total = sum(e["amount"] for e in data["expenditures"])
    data["revenues"][0]["amount"] = total
    tasks = data["performance"]["department"]["tasks"]
    tasks[0]["amounts"]["财政拨款"] = total
    for t in tasks[1:]:
        t["amounts"]["财政拨款"] = 0
    path.write_text(dump(data), encoding="utf-8")


def test_amounts_are_cleared_to_marked_errors_never_zero(rolled):
    loaded = load(rolled)
    assert {p.rule for p in loaded.errors} == {"gap.value"}
    gaps = [p for p in loaded.errors]
    assert len(gaps) == 1 + 18 + 3          # revenues, line items, 部门整体 task amounts
    assert all(p.locations[0].line for p in gaps)
    data = load_source(rolled).data
    assert {e["amount"] for e in data["expenditures"] + data["revenues"]} == {"待填"}
    text = rolled.read_text(encoding="utf-8")
    assert '- {function: "2080505", economic: "30108", kind: 人员经费, amount: 待填}  # 上年 129,320.00 元' in text
    r = cli("validate", rolled)
    assert r.returncode == 1 and "金额待填：请填写后再生成" in r.stderr


def test_prior_year_figures_equal_the_2024_figures(rolled):
    py = load_source(rolled).data["prior_year"]
    expected = oracle_2024()
    for key in ("total", "fiscal", "general"):
        assert py[key] == {"amount": expected[key]}, key
    for key in ("function", "economic_dept", "economic_gov", "items"):
        assert {k: v["amount"] for k, v in py[key].items()} == expected[key], key
    assert not any("reason" in v for v in py["function"].values())      # last year's reasons are not carried


def test_filled_rollover_validates_and_prints_the_changes(rolled, tmp_path):
    path = tmp_path / "2025.yaml"
    path.write_text(rolled.read_text(encoding="utf-8"), encoding="utf-8")
    fill_amounts(path)
    loaded = load(path)
    assert loaded.errors == []
    # changes without a reason yet; this year's 保密审查 and 审签 not yet made (rollover writes 否)
    assert {p.rule for p in loaded.warnings} == {"prior.reason", "review.pending"}
    assert load_source(path).data["review"] == {"secrecy": "否", "signed": "否"}
    r = cli("validate", path)
    assert r.returncode == 0, r.stderr
    doc = build_document(loaded.budget, loaded.profile, loaded.catalog)
    text = "".join(p for s in doc.sections for p in s.paragraphs)
    assert "较上年增加348857" in text.replace(",", "").replace(" ", "").replace("元", "")   # 3837427 − 3488570


def test_review_comments_are_listed_until_removed(rolled):
    todo = {p.locations[0].line: p.message for p in load(rolled).warnings if p.rule == "gap.todo"}
    lines = rolled.read_text(encoding="utf-8").splitlines()
    assert any("年度工作任务沿用 2024 年" in m for m in todo.values())
    assert any("绩效目标沿用 2024 年" in m for m in todo.values())
    for line, message in todo.items():
        assert "# 待填" in lines[line - 1]


def test_catalog_renames_are_mapped_and_retirements_flagged(monkeypatch, tmp_path):
    real = load_catalog

    def with_changes(year, user_dir=None):
        cat = real(year, user_dir)
        if year != 2025:
            return cat
        changes = {"from": 2024, "function": {"renamed": {"2101506": ["医疗保障经办事务", "医疗保障经办服务"]},
                                              "retired": {"2089999": "其他社会保障和就业支出"}}}
        function = {**cat.function, "2101506": "医疗保障经办服务"}
        function.pop("2089999")
        return dataclasses.replace(cat, changes=changes, function=function)

    monkeypatch.setattr(rollover_module, "load_catalog", with_changes)
    data, notes, report = rollover_module.rollover(SHAANXI, 2025)
    items = data["expenditures"]
    renamed = [n for n, e in enumerate(items) if e["function"] == "2101506"]
    assert renamed and all(items[n]["function_name"] == "医疗保障经办服务" for n in renamed)
    assert "更名为“医疗保障经办服务”" in notes.after[("expenditures", renamed[0])]
    retired = next(n for n, e in enumerate(items) if e["function"] == "2089999")
    assert notes.before[("expenditures", retired)] == ["待填：科目 2089999 其他社会保障和就业支出 在 2025 年目录中已停用，请改用新科目"]
    assert items[retired]["function_name"] == "其他社会保障和就业支出"   # kept printable meanwhile
    assert any("2101506 更名" in line for line in report) and any("2089999" in line for line in report)


def test_rollover_to_a_workbook(tmp_path):
    out = tmp_path / "2025.xlsx"
    r = cli("rollover", SHAANXI, "--to", "2025", "-o", out)
    assert r.returncode == 0, r.stderr
    errors = load(out).errors
    assert {p.rule for p in errors} == {"gap.value"}
    # 22 amounts, and what the YAML keeps under a “# 待填” comment (a workbook cannot carry it): last year's
    # asset counts and its “none” of 政府采购
    confirm = [str(p.locations[0]).split("!", 1)[1] for p in errors if "!基本情况!" in p.locations[0].file
               or "!政府采购!" in p.locations[0].file]
    assert len(errors) - len(confirm) == 22
    assert confirm == ["基本情况!B26 车辆（种类:辆数）", "基本情况!B28 超过口径的设备数", "基本情况!B30 计划购置车辆数",
                       "基本情况!B31 计划购置设备数", "政府采购!B2 采购品目"]
    assert errors[0].locations[0].file.startswith(f"{out}!")


def test_a_rolled_workbook_asks_to_revise_what_the_yaml_asks(rolled, tmp_path):
    """The rolled YAML's “# 待填” lines (年度工作任务, 人员编制, 项目, 资产 kept from last year to revise; the 批复日期
    to type) were lost in a rolled workbook: it validated with no word about last year's texts. Each is now a
    cell comment starting with 待填 — a warning at its cell until the clerk deletes the comment."""
    out = tmp_path / "2025.xlsx"
    assert cli("rollover", SHAANXI, "--to", "2025", "-o", out).returncode == 0
    suffix = re.compile(r"（填好后删去这(行注释|条批注)）$")
    said = {suffix.sub("", p.message) for p in load(rolled).warnings if p.rule == "gap.todo"}
    todos = [p for p in load(out).warnings if p.rule == "gap.todo"]
    asked = {suffix.sub("", p.message): p.locations[0].file.split("!", 1)[1] for p in todos}
    approval = next(m for m in said if "预算批复日期" in m)      # worded for the workbook's row
    none = next(m for m in said if "无政府采购预算" in m)         # asked by a 待填 cell there (an error)
    assert said - {approval, none} and said - {approval, none} <= set(asked), said - set(asked)
    assert asked[next(m for m in asked if "预算批复日期" in m)] == "基本情况!B5"     # the 批复日期 row
    assert asked[next(m for m in asked if "年度工作任务" in m)].startswith("说明文字!A")
    assert asked[next(m for m in asked if m.startswith("待填：项目沿用"))] == "项目!A2"
    from openpyxl import load_workbook

    wb = load_workbook(out)          # the clerk revises the tasks and deletes that comment: its warning goes
    sheet, ref = asked[next(m for m in asked if "年度工作任务" in m)].split("!")
    wb[sheet][ref].comment = None
    wb.save(out)
    left = [p for p in load(out).warnings if p.rule == "gap.todo"]
    assert len(left) == len(todos) - 1 and not any("年度工作任务" in p.message for p in left)


def test_rollover_refuses_a_file_with_errors_and_a_year_not_later(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(SHAANXI.read_text(encoding="utf-8").replace("amount: 3488570", "amount: 3488571"), encoding="utf-8")
    r = cli("rollover", bad, "--to", "2025", "-o", tmp_path / "n.yaml")
    assert r.returncode == 1 and "balance.total" in r.stderr and not (tmp_path / "n.yaml").exists()
    r = cli("rollover", SHAANXI, "--to", "2024", "-o", tmp_path / "n.yaml")
    assert r.returncode == 1 and "应晚于" in r.stderr


@pytest.mark.parametrize("year", [2026, 2028])
def test_rollover_refuses_a_year_that_skips_one(tmp_path, year):
    """A trial rolled 2024 to 2026: the 2026 说明 then called 2024's figures 上年 (“较上年减少56.29万元”), and
    --to 2028 wrote a file too. Only the next year is accepted; nothing is written otherwise."""
    out = tmp_path / "n.yaml"
    r = cli("rollover", SHAANXI, "--to", str(year), "-o", out)
    assert r.returncode == 1 and not out.exists()
    assert f"--to {year} 不是 2024 年的下一年" in r.stderr and "--to 2025" in r.stderr and "未写出任何文件" in r.stderr
    assert "Traceback" not in r.stderr


def test_approval_date_is_marked_to_fill(rolled, tmp_path):
    """Rollover drops last year's 批复日期 (it is not this year's): the trial's build then dated every file
    2000-01-01 without a word. The rolled file says where it goes, and validate lists it until it is typed."""
    text = rolled.read_text(encoding="utf-8")
    lines = text.splitlines()
    [n] = [n for n, line in enumerate(lines, 1) if line.startswith("# 待填：预算批复日期 approval_date")]
    assert not any(line.startswith("approval_date:") for line in lines)
    todo = [p for p in load(rolled).warnings if p.rule == "gap.todo" and p.locations[0].line == n]
    assert len(todo) == 1 and "预算批复日期" in todo[0].message and "2000-01-01" in todo[0].message
    assert todo[0].message.count("删去这行注释") == 1      # the line says it; validate did not say it twice (trialI-s29 D4)
    typed = tmp_path / "dated.yaml"   # typing the date where the comment stands reads back
    typed.write_text(text.replace(lines[n - 1], "approval_date: 2025-01-20"), encoding="utf-8")
    import yaml
    from datetime import date
    assert yaml.safe_load(typed.read_text(encoding="utf-8"))["approval_date"] == date(2025, 1, 20)   # a top-level key
    assert not [p for p in load(typed).warnings if "预算批复日期" in p.message]


def test_a_user_catalogs_changes_rename_and_retire_codes(tmp_path):
    """A trial's user catalog for 2025 renamed 2101101 and retired 2200199 in its `changes:`; rollover --catalog
    read only the shipped changes, so neither was marked."""
    data = load(SHAANXI).budget
    code = next(e.function for e in data.expenditures if e.function.startswith("2101"))
    gone = next(e.function for e in data.expenditures if e.function.startswith("2089"))
    folder = tmp_path / "catalog"
    folder.mkdir()
    (folder / "2025.yaml").write_text(
        "year: 2025\nsource: 试用目录\nchanges:\n  from: 2024\n  function:\n"
        f"    renamed: {{'{code}': [旧名称, 新名称甲]}}\n    retired: {{'{gone}': 旧科目乙}}\n"
        f"function:\n  '{code}': 新名称甲\n", encoding="utf-8")
    out = tmp_path / "2025.yaml"
    r = cli("rollover", SHAANXI, "--to", "2025", "--catalog", folder, "-o", out)
    assert r.returncode == 0, r.stderr
    lines = out.read_text(encoding="utf-8").splitlines()
    renamed = [line for line in lines if f'function: "{code}"' in line]
    assert renamed and all("function_name: 新名称甲" in line and "更名为“新名称甲”" in line for line in renamed)
    flagged = [n for n, line in enumerate(lines) if f'function: "{gone}"' in line]
    assert flagged and all(lines[n - 1].strip() == f"# 待填：科目 {gone} 旧科目乙 在 2025 年目录中已停用，请改用新科目" for n in flagged)
    assert (r.stdout + r.stderr).count(f"科目 {gone} 旧科目乙 在 2025 年停用") == 1   # once, not once per line


def test_last_years_carry_forward_is_named_beside_this_years_carry_in(tmp_path):
    """A trial's 2027 file said “# 上年 589,321.45 元” beside 上年结转结余 — the carry-in of 2026 — though what
    may come in is 2026's 结转下年: each unit's planned 结转下年 is now named beside its 上年结转结余."""
    source = Path(__file__).parent / "departments" / "yunxi-resources-2025.yaml"
    out = tmp_path / "2026.yaml"
    r = cli("rollover", str(source), "--to", "2026", "-o", str(out))
    assert r.returncode == 0, r.stderr
    rows = [line for line in out.read_text(encoding="utf-8").splitlines() if "source: 上年结转结余" in line]
    assert any('unit: "318001"' in row and "2025 年预算的结转下年：一般公共预算拨款 50,000.00 元" in row for row in rows)
    assert any('unit: "318003"' in row and "2025 年预算的结转下年：事业收入 20,000.00 元" in row for row in rows)


def test_last_years_plan_is_kept_as_a_fact(tmp_path):
    """Trial F: the planned 结转下年 lived only in a comment — deleted, nothing recorded it. Rollover now keeps it
    in `prior_year.carry_forward`, as typed last year, for `prior.carry` to compare."""
    import yaml

    source = Path(__file__).parent / "departments" / "yunxi-resources-2025.yaml"
    out = tmp_path / "2026.yaml"
    assert cli("rollover", str(source), "--to", "2026", "-o", str(out)).returncode == 0
    last = yaml.safe_load(source.read_text(encoding="utf-8"))["carry_forward"]
    assert yaml.safe_load(out.read_text(encoding="utf-8"))["prior_year"]["carry_forward"] == last


def test_rollover_writes_json_with_exact_amounts(tmp_path):
    """A clerk who keeps the file in JSON was told “-o 应为 .yaml …”. JSON holds no comments, so the output
    says where last year's figures are; amounts are exact JSON numbers, and the file reads back."""
    import json

    out = tmp_path / "2025.json"
    r = cli("rollover", str(SHAANXI), "--to", "2025", "-o", str(out))
    assert r.returncode == 0, r.stderr
    assert "JSON 文件不能带注释" in r.stderr
    assert '"amount": 129320' in out.read_text(encoding="utf-8")      # a number, not text
    json.loads(out.read_text(encoding="utf-8"))
    yaml_out = tmp_path / "2025.yaml"
    assert cli("rollover", str(SHAANXI), "--to", "2025", "-o", str(yaml_out)).returncode == 0
    assert load_source(out).data == load_source(yaml_out).data       # the same data as the YAML file, exactly
    assert {p.rule for p in load(out).errors} == {p.rule for p in load(yaml_out).errors} == {"gap.value"}


def test_last_years_codes_keep_their_names_when_their_lines_go(tmp_path):
    """A code the catalog lacks is named on its line (“2089998 试点支出”); roll the year over and delete that line
    (the project ended): the prior-year figure stays and the national/Shaanxi 说明 lists it as gone, by name — a
    trial's rolled file was refused by prior.name although last year's file had the name."""
    text = SHAANXI.read_text(encoding="utf-8")
    line = '  - {function: "2089999", economic: "30112", kind: 人员经费, amount: 1780}'
    assert line in text
    src = tmp_path / "2024.yaml"
    src.write_text(text.replace(line, line.replace('"2089999"', '"2089998 试点支出"')), encoding="utf-8")
    out = tmp_path / "2025.yaml"
    r = cli("rollover", src, "--to", "2025", "-o", out)
    assert r.returncode == 0, r.stderr
    data = load_source(out).data
    assert data["function_names"]["2089998"] == "试点支出"
    gone = [n for n, e in enumerate(data["expenditures"]) if e["function"] == "2089998"]
    assert len(gone) == 1
    del data["expenditures"][gone[0]]
    out.write_text(dump(data), encoding="utf-8")
    fill_amounts(out, Decimal(1), dropped=gone[0])
    loaded = load(out)
    assert "prior.name" not in {p.rule for p in loaded.problems} and loaded.errors == [], [p.format() for p in loaded.errors]
    doc = build_document(loaded.budget, loaded.profile, loaded.catalog)
    assert "试点支出（2089998）本年未安排" in "".join(p for s in doc.sections for p in s.paragraphs)



YUNXI = Path(__file__).parent / "departments" / "yunxi-resources-2025.yaml"   # Hubei, with 结转下年


def _fill_like_last_year(new, old):
    """What the clerk does, here mechanically: each 待填 amount gets last year's (the structure is last year's),
    each 待填 上年 indicator value the text “实2025”."""
    items = new.items() if isinstance(new, dict) else enumerate(new) if isinstance(new, list) else ()
    for k, v in list(items):
        if v == "待填":
            new[k] = "实2025" if isinstance(k, int) else old[k]
        else:
            _fill_like_last_year(v, old[k] if isinstance(old, dict) and k in old
                                 or isinstance(old, list) and isinstance(k, int) and k < len(old) else None)


@pytest.fixture(scope="module")
def yunxi_2026(tmp_path_factory):
    """(rolled text, Loaded, Document with profile hubei) of Yunxi 2025 rolled to 2026 and filled."""
    from helpers import built_with

    data, notes, _ = rollover_module.rollover(YUNXI, 2026)
    rolled = dump(data, notes)
    _fill_like_last_year(data, load_source(YUNXI).data)
    path = tmp_path_factory.mktemp("yunxi") / "2026.yaml"
    path.write_text(dump(data, notes), encoding="utf-8")
    return (rolled, *built_with(path, "hubei"))


def _overview_rows(doc) -> list[list[str]]:
    t = next(t for t in doc.tables if t.key == "department_performance")
    return [[c.text for c in r.cells] for r in t.body]


def test_history_gains_last_year_with_its_carry_forward(yunxi_2026):
    """近两年收支金额: 2025's column of the 2026 form is 2025's budget (a trial: blank, because 结转下年 kept the
    year from “balancing”), 结转下年 in its own row and in 支出合计; computed here from the 2025 lines in 元."""
    _, loaded, doc = yunxi_2026
    last = load(YUNXI).budget
    fiscal_funds = {Fund.general, Fund.gov_fund, Fund.state_capital}
    whose = [(e.carried_from.value if e.fund is Fund.carryover and e.carried_from else e.fund.value, e.amount)
             for e in last.expenditures]
    whose += [(c.carried_from.value if c.fund is Fund.carryover and c.carried_from else c.fund.value, c.amount)
              for c in last.carry_forward]
    fiscal = sum((a for f, a in whose if f in {x.value for x in fiscal_funds}), Decimal(0))
    income = sum((r.amount for r in last.revenues), Decimal(0))
    basic = sum((e.amount for e in last.expenditures if e.kind is not ExpenseKind.project), Decimal(0))
    project = sum((e.amount for e in last.expenditures if e.kind is ExpenseKind.project), Decimal(0))
    carry = sum((c.amount for c in last.carry_forward), Decimal(0))
    assert carry > 0 and income == basic + project + carry

    def wan(yuan: Decimal) -> str:
        return f"{(yuan / 10000).quantize(Decimal('0.01'), rounding='ROUND_HALF_UP'):,.2f}"

    rows = _overview_rows(doc)
    assert ["2024年", "2025年"] in rows

    def last_col(label: str, nth: int = 0) -> str:
        return [r for r in rows if label in r][nth][-1]

    assert [last_col("财政拨款"), last_col("其他资金"), last_col("合计")] == [wan(fiscal), wan(income - fiscal), wan(income)]
    assert [last_col("基本支出"), last_col("项目支出"), last_col("结转下年"), last_col("合计", 1)] == \
        [wan(basic), wan(project), wan(carry), wan(income)]
    assert not [p for p in loaded.problems if p.rule == "prior.history"]   # the same 2025 as prior_year's


def test_past_indicator_values_move_one_year(yunxi_2026):
    """近两年指标值 [前年, 上年] one year on: 2025's 上年 value is 2026's 前年, and 2026's 上年 is 待填 (an error until
    typed; a trial's 2026 form printed 2024's values under 2025), 2025's expected value beside it."""
    rolled, _, doc = yunxi_2026
    last = load(YUNXI).budget
    rows = _overview_rows(doc)
    annual = [i for i in last.performance.department.indicators if i.past_values]
    assert annual
    for ind in annual:
        row = next(r for r in rows if ind.name in r)
        i = row.index(ind.name)
        assert row[i + 1:i + 3] == [ind.past_values[1], "实2025"], ind.name
    comp = annual[0].comparator.value
    assert f"- 待填  # 2025 年的值；2025 年预期值 {comp}{annual[0].value}{annual[0].measure}" in rolled


def test_past_indicator_value_to_fill_is_an_error_in_yaml_and_workbook(tmp_path):
    last = load(YUNXI).budget
    count = sum(1 for i in [*last.performance.department.indicators,
                            *(i for p in last.projects if p.performance for i in p.performance.indicators)] if i.past_values)
    out = tmp_path / "2026.yaml"
    out.write_text(dump(*rollover_module.rollover(YUNXI, 2026)[:2]), encoding="utf-8")
    book = tmp_path / "2026.xlsx"
    r = cli("rollover", YUNXI, "--to", "2026", "-o", book)
    assert r.returncode == 0, r.stderr
    for path in (out, book):
        gaps = [p for p in load(path).errors if p.rule == "gap.value" and "近两年指标值" in p.message]
        assert len(gaps) == count, path
    import openpyxl
    ws = openpyxl.load_workbook(book)["绩效指标"]
    head = [c.value for c in ws[1]]
    pairs = [(r[head.index("三级指标")], r[head.index("前年指标值")], r[head.index("上年指标值")])
             for r in ws.iter_rows(min_row=2, values_only=True)]
    for ind in last.performance.department.indicators:
        assert (ind.name, ind.past_values[1], "待填") in pairs
    history = list(openpyxl.load_workbook(book)["往年收支"].iter_rows(values_only=True))
    assert history[0][-1] == "结转下年" and history[-1][0] == 2025
    assert Decimal(str(history[-1][-1])) == sum((c.amount for c in last.carry_forward), Decimal(0))
