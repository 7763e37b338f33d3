"""The Shaanxi example reproduces the reference's tables 4–8 and 10 wherever its arithmetic holds.

Expected figures are read from the reference document itself (tests/reference/, a copy of
../shared/reference/shaanxi-linyou-2024-unit-budget.txt), never from our own output.
"""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from helpers import REFERENCE, document, reference_block, table, texts

REF = "shaanxi-linyou-2024-unit-budget.txt"
T5 = "部门综合预算一般公共预算支出明细表（按支出功能分类科目）"
T6 = "部门综合预算一般公共预算支出明细表（按支出经济分类科目）"
T7 = "部门综合预算一般公共预算基本支出明细表（按支出功能分类科目）"
T8 = "部门综合预算一般公共预算基本支出明细表（支出经济分类科目）"


def _data_rows(rows: list[list[str]]) -> list[list[str]]:
    """Drop the reference's header row (the one naming the columns)."""
    return [r for r in rows if not r[0].endswith("编码")]


@pytest.mark.parametrize("number, start, stop, width", [
    ("表5", T5, "表6", 6),
    ("表6", T6, "表7", 8),
    ("表7", T7, T8, 5),
    ("表8", T8, "表10", 7),
])
def test_detail_tables_match_reference(number, start, stop, width):
    ref = _data_rows(reference_block(REF, start, stop))
    ours = [texts(r)[:width] for r in table(document(), number).body]
    assert len(ours) == len(ref)
    for mine, theirs in zip(ours, ref):
        theirs = (theirs + [""] * width)[:width]
        assert mine == theirs


def _summary_blocks(rows: list[list[str]]) -> list[list[tuple[str, str]]]:
    """The four label/figure column pairs of a 收支总表, as ordered lists (labels repeat)."""
    blocks: list[list[tuple[str, str]]] = [[], [], [], []]
    for r in rows:
        r = (r + [""] * 8)[:8]
        for b in range(4):
            lab, val = r[2 * b], r[2 * b + 1]
            if lab and not lab.startswith("本年") and lab not in ("上年结转", "结转下年", "收入总计", "支出总计"):
                blocks[b].append((lab, val))
    return blocks


def test_fiscal_summary_matches_reference_where_its_arithmetic_holds():
    ref = reference_block(REF, "部门综合预算财政拨款收支总表", "表5")[2:]
    ours = [texts(r) for r in table(document(), "表4").body]
    ref_blocks, our_blocks = _summary_blocks(ref), _summary_blocks(ours)
    # The reference's 政府经济分类 column puts the 140,000.00 of project 30299 其他商品和服务支出
    # (→ 50299, a 502 机关商品和服务支出 item) under 对社会保障基金补助; its own 表6 maps 30299→50299.
    # We print 502 = 116,700 + 140,000 and 510 = 31302 only.
    assert ref_blocks[3][2] == ("2、机关商品和服务支出", "116,700.00")
    assert our_blocks[3][2] == ("2、机关商品和服务支出", "256,700.00")
    assert ref_blocks[3][10] == ("10、对社会保障基金补助", "2,082,160.00")
    assert our_blocks[3][10] == ("10、对社会保障基金补助", "1,942,160.00")
    for blocks in (ref_blocks, our_blocks):
        del blocks[3][10], blocks[3][2]
    for b in range(4):
        assert our_blocks[b] == ref_blocks[b], f"block {b}"
    totals = {r[0]: r[1] for r in ours if r[0] in ("本年收入合计", "收入总计")}
    assert totals == {"本年收入合计": "3,488,570.00", "收入总计": "3,488,570.00"}


def test_project_table_matches_reference():
    ref = reference_block(REF, "部门综合预算专项业务经费支出表", "表13")[1:]
    ours = [texts(r) for r in table(document(), "表10").body]
    assert len(ours) == len(ref)
    for mine, theirs in zip(ours, ref):
        theirs = (theirs + [""] * 4)[:4]
        if theirs[0] == "410002":
            # The reference names the unit 麟游县医疗保障经办中心 here and 经办机构 everywhere else.
            assert theirs[1] == "麟游县医疗保障经办中心" and mine[1] == "麟游县医疗保障经办机构"
            mine, theirs = mine[:1] + mine[2:], theirs[:1] + theirs[2:]
        assert mine == theirs


def test_project_performance_amounts_match_reference():
    """表13: one table per project, 资金总额 = the project's line items (reference prints bare digits)."""
    doc = document()
    tables = [t for t in doc.tables if t.number == "表13"]
    assert [t.body[0].cells[1].text for t in tables] == [
        "机关事业单位住院医疗补助", "监测户参保县级配套", "经办能力建设经费", "武警、消防战士医疗费", "参保人员管理工作经费"]
    amounts = [t.body[2].cells[2].value for t in tables]
    assert amounts == [Decimal(x) for x in ("1800000", "92160", "80000", "50000", "60000")]


def test_department_performance_tasks_follow_arithmetic():
    t = table(document(), "表14")
    rows = {r.cells[0].text: texts(r) for r in t.body if r.cells and r.cells[0].text.startswith("任务")}
    assert rows["任务1"][2:4] == ["1,546,410.00", "1,546,410.00"]
    # The reference prints 任务3's 财政拨款 as 18550000 — a typo against its own 总额 1850000.
    assert rows["任务3"][2:4] == ["1,850,000.00", "1,850,000.00"]
    total = next(r for r in t.body if r.cells[0].text == "金额合计")
    assert texts(total)[1:3] == ["3,488,570.00", "3,488,570.00"]


def test_department_performance_names_the_department_once(tmp_path):
    """The reference's 部门整体支出绩效目标表 starts with its own “部门(单位)名称” row and has no name line above
    it (trialE-s23 #10): the form names the department once — its first row — in the PDF as in the Document."""
    import subprocess
    import sys

    from helpers import SHAANXI

    ref = (REFERENCE / REF).read_text(encoding="utf-8").splitlines()
    at = ref.index("部门整体支出绩效目标表")
    assert [line.split("\t")[0] for line in ref[at + 1:at + 3] if line.strip()] == ["部门(单位)名称"]
    t = table(document(), "表14")
    assert t.meta == "" and texts(t.body[0])[0] == "部门（单位）名称"
    out = tmp_path / "out"
    r = subprocess.run([sys.executable, "-m", "discloser.cli", "build", str(SHAANXI), "-o", str(out), "--formats", "pdf,xlsx"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    pdf = next(out.glob("*.pdf"))
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    page = next(p for p in text.split("\f") if "部门整体支出绩效目标表" in p and "年度主要" in p)
    assert page.count(t.department) == 1
    from openpyxl import load_workbook

    ws = load_workbook(next(out.glob("*.xlsx")))["表14"]
    assert sum(t.department in str(c.value) for r in ws.iter_rows() for c in r if c.value) == 1


def test_empty_tables_are_explained_in_toc_and_table():
    doc = document()
    toc = {r.cells[0].text: texts(r) for r in doc.toc.body}
    # The reference prints a bare “本单位不涉及” (its lines 202, 204); a reason says why the table is empty
    # (issue 9) — in the 目录, whose 是否空表 already says 是, only the why (toc_reason); under the table the sentence.
    assert toc["表9"][2:] == ["是", "本单位无政府性基金预算收支"]
    assert toc["表11"][2:] == ["是", "本单位无政府采购预算"]
    assert all(v[2] == "否" for k, v in toc.items() if k not in ("表9", "表11"))
    assert table(doc, "表9").empty and table(doc, "表9").empty_reason == "本单位2024年无政府性基金预算收支，故本表为空表。"
    assert len(doc.toc.body) == 15


def test_procurement_table_and_narrative_follow_the_items(tmp_path):
    from discloser.package import build_document
    from discloser.validate import load
    from helpers import SHAANXI

    text = SHAANXI.read_text(encoding="utf-8").replace("\nprocurement: []", """
procurement:
  - {category: 货物, item: 复印纸, quantity: 100箱, amount: 12000}
  - {category: 服务, item: 医保政策宣传印刷, amount: 30000.50}
#""")
    p = tmp_path / "p.yaml"
    p.write_text(text, encoding="utf-8")
    result = load(p)
    assert not result.errors
    doc = build_document(result.budget)
    t = table(doc, "表11")
    assert not t.empty
    assert [texts(r) for r in t.body] == [
        ["合计", "", "", "", "42,000.50"],
        ["麟游县医疗保障经办机构", "货物", "复印纸", "100箱", "12,000.00"],
        ["麟游县医疗保障经办机构", "服务", "医保政策宣传印刷", "", "30,000.50"],
    ]
    toc = {r.cells[0].text: texts(r) for r in doc.toc.body}
    assert toc["表11"][2:] == ["否", ""]
    narrative = "".join(p for s in doc.sections for p in s.paragraphs)
    assert "政府采购预算42000.50元，其中：政府采购货物预算12000元、政府采购工程预算0元、政府采购服务预算30000.50元" in narrative


# A trial's 部门 of three units (tests/departments/liuwan-town-2025.yaml, trialE-s23), with the 县政府 mistakenly
# typed as its `parent` and one two-year project: read here as plain YAML with exact amounts, not through discloser.
LIUWAN = Path(__file__).resolve().parent / "departments" / "liuwan-town-2025.yaml"


class _ExactLoader(yaml.SafeLoader):
    """YAML with every number as a Decimal (the input in 元, exactly)."""


_ExactLoader.add_constructor("tag:yaml.org,2002:float", lambda loader, node: Decimal(loader.construct_scalar(node)))
_ExactLoader.add_constructor("tag:yaml.org,2002:int", lambda loader, node: Decimal(loader.construct_scalar(node)))


def _raw(path: Path) -> dict:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_ExactLoader)


def _yuan(x: Decimal) -> str:
    return f"{x:,.2f}"


def test_department_project_table_prints_the_department_once_above_its_units():
    """表10 of a 部门: the department's row once, carrying every project's money, each unit under it with its
    own; the `parent` a 部门 has no use for is printed nowhere (a trial saw 318 云塬县人民政府 three times with
    three amounts), and the forms' 主管部门 is the department."""
    raw = _raw(LIUWAN)
    org = raw["organization"]
    projects = [e for e in raw["expenditures"] if e["kind"] == "项目支出"]
    per_unit = {u["code"]: sum((e["amount"] for e in projects if e["unit"] == u["code"]), Decimal(0)) for u in org["units"]}
    doc = document(LIUWAN)
    rows = [texts(r) for r in table(doc, "表10").body]
    heads = [r for r in rows if r[0] == org["code"]]
    assert heads == [[org["code"], org["name"], _yuan(sum(per_unit.values())), ""]]
    assert rows[0][1:3] == ["合计", _yuan(sum(per_unit.values()))]
    assert rows.index(heads[0]) == 1
    for code, amount in per_unit.items():
        assert [r[2] for r in rows if r[0] == code] == [_yuan(amount)]
    parent = org["parent"]["name"]
    forms = [t for t in doc.tables if t.number in ("表13", "表15")]
    assert len(forms) == len(raw["projects"]) + 1
    for t in forms:
        cells = [c.text for r in t.body for c in r.cells]
        assert parent not in cells
        supervisor = next(r for r in t.body if r.cells[0].text == "主管部门")
        assert supervisor.cells[1].text == org["name"]
    assert all(parent not in "".join(r) for r in rows)


FISCAL_FUNDS = {"一般公共预算拨款", "政府性基金预算拨款", "国有资本经营预算拨款"}


def _is_fiscal(line: dict) -> bool:
    fund = line.get("fund", "一般公共预算拨款")
    return (line.get("carried_from") if fund == "上年结转结余" else fund) in FISCAL_FUNDS


def _money_lines(t) -> list[tuple[str, str]]:
    """(line text, figure) of a form's money block, left to right, top to bottom."""
    out = []
    for r in t.body:
        cells = list(r.cells)
        for n, c in enumerate(cells):
            if c.kind.value == "money":
                out.append((cells[n - 1].text, c.text))
    return out


def _multi_year_package(tmp_path, split: Decimal | None):
    from discloser.package import build_document
    from discloser.validate import load

    text = LIUWAN.read_text(encoding="utf-8")
    if split is not None:
        old = "    total_budget: 2850000.50\n"
        assert text.count(old) == 1
        text = text.replace(old, old + f"    total_budget_fiscal: {split}\n")
    path = tmp_path / "liuwan.yaml"
    path.write_text(text, encoding="utf-8")
    result = load(path)
    assert not result.errors, [p.format() for p in result.errors]
    return result, build_document(result.budget, result.profile, result.catalog), _raw(path)


def test_multi_year_project_forms_print_each_total_with_its_own_split(tmp_path):
    """表13 of a two-year project prints 实施期资金总额 with its 其中 (the typed total_budget_fiscal and the rest)
    and then 年度资金总额 with this year's; 表15 fills 其中 under 实施期 too (the reference fills both columns).
    Every total printed equals its two parts, each computed here from the input in 元."""
    result, doc, raw = _multi_year_package(tmp_path, Decimal("2600000.50"))
    assert "project.total-budget-split" not in {p.rule for p in result.problems}
    project = next(p for p in raw["projects"] if "total_budget" in p)
    lines = [e for e in raw["expenditures"] if e.get("project") == project["code"]]
    year_fiscal = sum((e["amount"] for e in lines if _is_fiscal(e)), Decimal(0))
    year_other = sum((e["amount"] for e in lines if not _is_fiscal(e)), Decimal(0))
    total, total_fiscal = project["total_budget"], project["total_budget_fiscal"]
    form = next(t for t in doc.tables if t.number == "表13" and t.body[0].cells[1].text == project["name"])
    blank = lambda x: _yuan(x) if x else ""  # noqa: E731 — a zero prints as a blank cell, as in every reference
    assert _money_lines(form) == [("实施期资金总额：", _yuan(total)), ("其中：财政拨款", _yuan(total_fiscal)),
                                  ("其他资金", blank(total - total_fiscal)), ("年度资金总额：", _yuan(year_fiscal + year_other)),
                                  ("其中：财政拨款", blank(year_fiscal)), ("其他资金", blank(year_other))]
    # 表15: all the projects' money, 实施期 (total budgets, else this year's) beside 年度
    spent = [p for p in raw["projects"] if any(e.get("project") == p["code"] for e in raw["expenditures"])]
    period_fiscal = period_other = year_f = year_o = Decimal(0)
    for p in spent:
        mine = [e for e in raw["expenditures"] if e.get("project") == p["code"]]
        f = sum((e["amount"] for e in mine if _is_fiscal(e)), Decimal(0))
        o = sum((e["amount"] for e in mine if not _is_fiscal(e)), Decimal(0))
        year_f, year_o = year_f + f, year_o + o
        if "total_budget" in p:
            f, o = p["total_budget_fiscal"], p["total_budget"] - p["total_budget_fiscal"]
        period_fiscal, period_other = period_fiscal + f, period_other + o
    special = table(doc, "表15")
    assert _money_lines(special) == [
        ("实施期资金总额：", _yuan(period_fiscal + period_other)), ("年度资金总额：", _yuan(year_f + year_o)),
        ("其中：财政拨款", _yuan(period_fiscal)), ("其中：财政拨款", _yuan(year_f)),
        ("其他资金", _yuan(period_other)), ("其他资金", _yuan(year_o))]


def test_multi_year_project_without_its_split_prints_no_split_under_the_total(tmp_path):
    """Without total_budget_fiscal the file does not say how the 实施期 total divides: validate warns at
    total_budget, and no form prints a figure under that total (a trial saw 5,270,900.75 over two blank cells):
    the project's form has no 其中 rows there; 表15, whose 实施期 column stands beside 年度's row for row, labels
    them and prints “—” (not given) — no ruled box is left empty."""
    result, doc, raw = _multi_year_package(tmp_path, None)
    [warning] = [p for p in result.problems if p.rule == "project.total-budget-split"]
    assert warning.severity == "warning" and "total_budget_fiscal" in warning.message
    project = next(p for p in raw["projects"] if "total_budget" in p)
    form = next(t for t in doc.tables if t.number == "表13" and t.body[0].cells[1].text == project["name"])
    labels = [line for line, _ in _money_lines(form)]
    assert labels == ["实施期资金总额：", "年度资金总额：", "其中：财政拨款", "其他资金"]
    special = _money_lines(table(doc, "表15"))
    assert [line for line, _ in special] == ["实施期资金总额：", "年度资金总额：", "其中：财政拨款", "其他资金"]
    t15 = table(doc, "表15")
    printed = [c.text for r in t15.body for c in r.cells]
    assert printed.count("其中：财政拨款") == printed.count("其他资金") == 2     # under 实施期 and 年度
    money_rows = [[c.text for c in r.cells] for r in t15.body if any(c.text == "其他资金" for c in r.cells)
                  or any(c.text == "其中：财政拨款" for c in r.cells)]
    for cells in money_rows:   # label, “—”, label, figure: the 实施期 side says “not given”, no cell is blank
        lead = cells[1:] if cells[0].startswith("资金金额") else cells
        assert lead[1] == "—" and lead[0] == lead[2] and "" not in lead[:3], cells
    # and the year's total is its parts
    amounts = {line: Decimal(v.replace(",", "") or 0) for line, v in special[1:]}
    assert amounts["年度资金总额："] == amounts["其中：财政拨款"] + amounts["其他资金"]


def test_a_government_economic_class_has_one_name_across_the_package():
    """The 说明 names each 政府经济分类 类 as the package's own 表4 prints it: a trial saw “机关资本性支出（一）
    （503）” (the catalog's name) in the 说明 while 表1 and 表4 print the province's form label “3、机关资本性支出”
    (as the reference's 表4 does, its lines 224–225)."""
    import re

    ref = reference_block(REF, "部门综合预算财政拨款收支总表", "表5")
    ref_labels = {c for r in ref for c in r}
    assert "3、机关资本性支出" in ref_labels and "4、机关资本性支出（基本建设）" in ref_labels
    doc = document(LIUWAN)
    form = {}
    for t in (table(doc, "表1"), table(doc, "表4")):
        for r in t.body:
            label = r.cells[-2].text   # the 政府经济分类 block: label | figure
            hit = re.match(r"\d+、(.+)", label)
            if hit:
                form.setdefault(hit[1], set()).add(t.number)
    narrative = "\n".join(p for s in doc.sections for p in s.paragraphs)
    stated = dict((code, name) for name, code in re.findall(r"([^\s；。，：]+?)（(5\d\d)）", narrative))
    assert stated["503"] == "机关资本性支出" and "503" in _raw(LIUWAN)["prior_year"]["economic_gov"]
    for code, name in stated.items():
        assert name in form, (code, name)
    assert "机关资本性支出（一）" not in narrative


def _narrative(doc) -> str:
    return "\n".join(p for s in doc.sections for p in s.paragraphs)


def test_divisions_are_called_what_they_are():
    """The reference calls a county unit's 办公室 and 股 “股室” (its line 37); a trial's 镇政府 got “等5个股室” for
    five 办公室, which are no 股室: they are its 内设机构."""
    ref = next(line for line in (REFERENCE / REF).read_text(encoding="utf-8").splitlines() if "个股室" in line)
    assert ref.replace(" ", "") in _narrative(document()).replace(" ", "")
    divisions = _raw(LIUWAN)["organization"]["divisions"]
    town = _narrative(document(LIUWAN))
    assert f"内设{'、'.join(divisions)}等{len(divisions)}个机构。" in town
    assert "股室" not in town


def test_gov_fund_table_says_what_the_other_tables_say():
    """表9 (政府性基金收支表) named its project column 项目支出 where 表3, 表5 and 表6 say 专项业务经费支出 (a trial)."""
    doc = document(LIUWAN)
    heads = {n: [c.text for r in table(doc, n).header for c in r.cells] for n in ("表3", "表5", "表6", "表9")}
    assert all("专项业务经费支出" in h and "项目支出" not in h for h in heads.values()), heads
    assert heads["表9"][-3:] == ["合计", "基本支出", "专项业务经费支出"]


def test_toc_reasons_take_two_lines_at_most(tmp_path):
    """A trial's 目录 printed each 公开空表理由 over 4–5 lines of a column seven characters wide
    (“本部门2025年无 / 政府性基金预算 / 收支，故本表为 / 空表。”): the 目录 now says only why, in a column that
    holds it in two lines of the PDF's layout; the table's own note keeps the whole sentence."""
    from discloser.package import build_document
    from discloser.validate import load
    from discloser.writers import layout
    from discloser.writers.pdf import table_page

    lines = LIUWAN.read_text(encoding="utf-8").splitlines(keepends=True)
    start = lines.index("procurement:\n")
    end = next(i for i in range(start + 1, len(lines)) if lines[i][:1] not in (" ", "-", "#", "\n"))
    path = tmp_path / "no-procurement.yaml"      # “none”, said as the file must say it
    path.write_text("".join(lines[:start] + ["procurement: []\n"] + lines[end:]), encoding="utf-8")
    result = load(path)
    assert not result.errors, [p.format() for p in result.errors]
    doc = build_document(result.budget, result.profile, result.catalog)
    assert table(doc, "表11").empty and table(doc, "表11").empty_reason == "本部门2025年无政府采购预算，故本表为空表。"
    toc = doc.toc
    reasons = [r.cells[3].text for r in toc.body if r.cells[2].text == "是"]
    assert "本部门无政府采购预算" in reasons
    page = table_page(0.7)
    fit = layout.fit(toc, page)
    width_em = (fit.widths_pt[3] - page.padding_pt) / fit.font_pt
    assert all(layout.line_count(r, width_em) <= 2 for r in reasons), (width_em, reasons)
