"""The Jiangxi example (九江市柴桑区医疗保障局 2025) against its reference, a text extracted from a scan
(tests/reference/jiangxi-chaisang-2025-performance-targets.txt): titles, labels, figures and indicators
read from the reference's cells — spaces the scan put inside words and numbers taken out, decimals the
scan split over two cells joined — and every difference pinned with its reason."""
from __future__ import annotations

import re
from decimal import Decimal

from helpers import EXAMPLES, document, loaded
from reference_forms import build_files, norm, number, pdf_lines, reference, sheet_rows, texts, value_after
from test_narrative import AMOUNT, narrative_text

JIANGXI = EXAMPLES / "jiangxi-chaisang-2025.yaml"
REF = reference("jiangxi-chaisang-2025-performance-targets.txt")


def ref_parts() -> list[tuple[str, list[list[str]]]]:
    """(title, rows of cells) for each table of the reference: 部门整体 page 1, page 2, 项目."""
    parts: list[tuple[str, list[list[str]]]] = []
    lines = REF.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("|"):
            if not set(line) <= set("|-: "):
                parts[-1][1].append([c.strip() for c in line.strip().strip("|").split("|")])
        elif line.strip().endswith("申报表"):
            year = next(x for x in lines[i + 1:] if x.strip())
            parts.append((norm(line + year), []))
    return parts


def ref_value(rows: list[list[str]], label: str) -> str:
    """The value after the cell reading `label`: its first non-empty cell, joined with the next one when
    the scan split a decimal over two cells (“88 | . 02”)."""
    for cells in rows:
        for i, c in enumerate(cells):
            if norm(c) == norm(label):
                rest = [x for x in cells[i + 1:] if x]
                value = rest[0]
                if len(rest) > 1 and rest[1].lstrip().startswith("."):
                    value += rest[1]
                return re.sub(r"\s+", "", value)
    raise AssertionError(label)


def doc():
    return document(JIANGXI)


def form():
    return next(t for t in doc().tables if t.key == "department_performance")


def project():
    return next(t for t in doc().tables if t.key == "project_performance")


def labels(table) -> set[str]:
    return {norm(c.text) for r in table.body for c in r.cells if c.kind.value == "label"}


def test_example_validates_with_the_jiangxi_profile():
    result = loaded(JIANGXI)
    assert result.budget.profile == "jiangxi" and not result.errors and not result.warnings


def test_titles_are_the_references():
    titles = [title for title, _ in ref_parts()]
    assert titles[0] == titles[1]                       # the department form goes on over a second page
    assert [norm(t.title) for t in doc().tables] == [titles[0], titles[2]]
    assert titles[0] == norm("部门整体支出绩效目标设置申报表（2025年度）")


def test_department_form_labels_and_identity():
    page1 = ref_parts()[0][1]
    t = form()
    for lab in ["部门(单位)名称", "联系人", "联系电话", "部门职能依据(三定方案批文号)", "近三年单位职能 是否出现过重大变化",
                "部门职能简述", "部门是否为一级预算主管部门", "所属部门领域", "直属部门包括", "内设职能部门", "编制控制数",
                "在职人员总数", "其中: 行政编制人数", "编外人数", "批复数", "调整数", "实际支出数", "执行率", "年末结转结余数",
                "收入合计", "本级财政安排", "其他", "支出合计", "公用经费", "项目经费", "其他需要说明的事项"]:
        assert norm(lab) in {norm(c) for r in page1 for c in r}, lab       # the reference has the label …
        assert norm(lab) in labels(t), lab                                 # … and so does our form
    rows = texts(t)
    flat = [c for r in rows for c in r]
    assert flat[flat.index("联系人") + 1] == ref_value(page1, "联系人")
    assert flat[flat.index("联系电话") + 1] == ref_value(page1, "联系电话")
    # “柴办字[2 | 2019]52号”: the scan split the number over two cells and read its “2” twice.
    assert ref_value(page1, "部门(单位)名称") == "九江市柴桑区医疗保障局" == flat[flat.index("部门（单位）名称") + 1]
    assert flat[flat.index("部门职能依据（三定方案批文号）") + 1] == "柴办字[2019]52号"
    assert [c for c in next(r for r in page1 if "近三年单位职能 是否出现过重大变化" in r) if c][1:3] == ["□是", "☑否"]
    assert flat[flat.index("近三年单位职能是否出现过重大变化") + 1: flat.index("近三年单位职能是否出现过重大变化") + 3] == ["□是", "☑否"]
    assert flat[flat.index("部门是否为一级预算主管部门") + 1: flat.index("部门是否为一级预算主管部门") + 3] == ["☑是", "□否"]
    # 职能简述 “执行国家、省、市医 策和医保经办服务。”: the scan lost 疗保障政 in the middle.
    summary = flat[flat.index("部门职能简述") + 1]
    ref_summary = ref_value(page1, "部门职能简述")
    assert summary.startswith(ref_summary[:9]) and summary.endswith(ref_summary[9:]) and len(summary) == len(ref_summary) + 4
    for lab, ref_lab in [("内设职能部门", "内设职能部门"), ("编制控制数", "编制控制数"), ("在职人员总数", "在职人员总数"),
                         ("其中：行政编制人数", "其中: 行政编制人数"), ("编外人数", "编外人数")]:
        assert flat[flat.index(lab) + 1] == ref_value(page1, ref_lab), lab
    assert flat[flat.index("事业编制人数") + 1] == "20" == next(r for r in page1 if "业编制人数" in r)[2]


def test_department_form_budget_figures():
    page1 = ref_parts()[0][1]
    t = form()
    assert value_after(t, "批复数") == number(ref_value(page1, "批复数")) == Decimal("405.7")
    assert value_after(t, "调整数") == number(ref_value(page1, "调整数"))
    assert value_after(t, "实际支出数") == number(ref_value(page1, "实际支出数")) == Decimal("528.02")
    assert (value_after(t, "年末结转结余数") or 0) == number(ref_value(page1, "年末结转结余数")) == 0   # zero prints blank
    # The reference's 执行率 117% is not 实际支出数 / 调整数 = 528.02 / 405.7; we print the computed rate.
    assert ref_value(page1, "执行率") == "117%"
    assert value_after(t, "执行率") == (Decimal("528.02") * 100 / Decimal("405.7")).quantize(Decimal("0.01")) == Decimal("130.15")
    assert value_after(t, "其中：人员经费") == number(ref_value(page1, "其中:人员经 费")) == Decimal("406.93")
    assert value_after(t, "公用经费") == number(ref_value(page1, "公用经费")) == Decimal("88.02")
    assert (value_after(t, "其中：上级财政拨款") or 0) == number(ref_value(page1, "其中: 上级财政拨")) == 0
    assert (value_after(t, "其他") or 0) == number(ref_value(page1, "其他")) == 0
    # The reference's department form leaves out the 30 万元 project its own 项目支出绩效目标申报表 declares
    # (项目经费 0, totals 494.95); one budget has one total, so our form adds the project in.
    project_amount = number(ref_value(ref_parts()[2][1], "年度资金总额"))
    assert project_amount == 30 and number(ref_value(page1, "项目经费")) == 0
    assert value_after(t, "项目经费") == project_amount
    for lab, ref_lab in [("收入合计", "收入合计"), ("本级财政安排", "本级财政安排"), ("支出合计", "支出合计")]:
        assert number(ref_value(page1, ref_lab)) == Decimal("494.95")
        assert value_after(t, lab) == Decimal("494.95") + project_amount == Decimal("524.95"), lab


def test_division_goals_and_tasks():
    page1 = ref_parts()[0][1]
    rows = texts(form())
    divisions = [r[0] for r in page1[page1.index(next(r for r in page1 if "门职能分解" in r)) + 1:] if r[0] and "任务" not in r[0]]
    ours = [r[0] for r in rows if r and r[0] in ("办公室", "综合业务股", "医疗保险事务中心")]
    assert ours == divisions[:3] == ["办公室", "综合业务股", "医疗保险事务中心"]
    # The one goal the scan left whole (综合业务股, 部门年度绩效目标: the row's longest cell) is ours word for word.
    whole = max(next(r for r in page1 if r[0] == "综合业务股"), key=len)
    assert norm(next(r for r in rows if r[0] == "综合业务股")[2]) == norm(whole)
    # 年度主要任务: the two tasks' goals and amounts (47.75 + 447.2 = 494.95); the third row is the project's.
    tasks = {r[0]: r for r in rows if len(r) == 4 and r[0] in ("社会保障和就业支出", "卫生健康支出", "基层医保经办服务能力建设")}
    for name in ("社会保障和就业支出", "卫生健康支出"):
        ref_row = next(r for r in page1 if norm(r[0]).startswith(name))
        amount = number([c for c in ref_row if re.fullmatch(r"[\d. ]+", c)][-1])
        assert number(tasks[name][-1].replace(",", "")) == amount, name
        assert tasks[name][2] in ref_row
    assert number(tasks["基层医保经办服务能力建设"][-1]) == number(ref_value(ref_parts()[2][1], "年度资金总额"))


def test_department_indicators_are_the_references():
    page2 = ref_parts()[1][1]
    ref = [(norm([c for c in r[:-1] if c][-1]), norm(r[-1])) for r in page2[1:]]
    rows = texts(form())
    start = next(i for i, r in enumerate(rows) if "三级指标" in r)
    ours = [(norm(r[-2]), norm(r[-1])) for r in rows[start + 1:]]
    assert len(ours) == len(ref) == 14
    assert ours == ref
    assert [r[1:5] for r in rows[start:start + 1]] == [["一级指标", "二级指标", "三级指标", "指标值"]]
    assert rows[start][0] == "绩效指标"


def test_project_form_is_the_references():
    rows_ref = ref_parts()[2][1]
    t = project()
    rows = texts(t)
    indicators_ref = rows_ref[rows_ref.index(next(r for r in rows_ref if r[0] == "一级指标")) + 1:]
    # 项目名称 “基层医保经 | 设补助资金”: the scan lost the middle; it is the name of the project's cost indicator.
    name = rows[0][1]
    pieces = [c for c in rows_ref[1] if c][1:]
    assert name.startswith(pieces[0]) and name.endswith(pieces[1]) and name == norm(indicators_ref[0][2])
    flat = [c for r in rows for c in r]
    assert flat[flat.index("主管部门及代码") + 1].endswith(ref_value(rows_ref, "主管部门及代 码"))     # we print the full name
    assert flat[flat.index("实施单位") + 1].endswith(ref_value(rows_ref, "实施单位"))
    assert flat[flat.index("项目属性") + 1] == ref_value(rows_ref, "金口目机") == "延续项目"       # “金口目机” is 项目属性 misread
    assert flat[flat.index("项目日期范围") + 1].startswith(ref_value(rows_ref, "项目日期范围"))
    assert value_after(t, "年度资金总额") == number(ref_value(rows_ref, "年度资金总额")) == 30
    assert value_after(t, "其中：财政拨款") == number(ref_value(rows_ref, "其中: 财政拨款")) == 30
    assert value_after(t, "其他资金") is None
    goal = next(r[1] for r in rows if r[0] == "年度总体目标")
    ref_goal = next(r for r in rows_ref if r[0] == "年度总体目标")
    assert goal.startswith(ref_goal[1].split()[0]) and goal.endswith(ref_goal[1].split()[-1])    # 不断推进医疗 … 安全感。
    assert set(norm("".join(ref_goal[1:]))) <= set(norm(goal))          # the scan interleaved the goal's lines
    ref = [(norm(r[2]), norm([c for c in r if c][-1])) for r in indicators_ref]
    start = next(i for i, r in enumerate(rows) if r[:2] == ["一级指标", "二级指标"])
    ours = [(norm(r[-2]), norm(r[-1])) for r in rows[start + 1:]]
    pinned = {
        # the scan lost 规范 (“更加(、高效”) and the 、 between 管理制度 and 考核制度 (a line break)
        norm("各级网点经办服务事项更加(、高效、便捷"): norm("各级网点经办服务事项更加规范、高效、便捷"),
        norm("建立健全项目实施方案、专项资金管理制度考核制度等内部管理制度"): norm("建立健全项目实施方案、专项资金管理制度、考核制度等内部管理制度"),
    }
    assert len(ours) == len(ref) == 14
    assert [(pinned.get(n, n), v) for n, v in ref] == ours


def test_the_narrative_speaks_only_of_the_published_tables():
    d = doc()
    text = narrative_text(d)
    assert set(re.findall(r"表\d+", text)) == {t.number for t in d.tables} == {"表1", "表2"}
    figures = {c.value for r in form().body for c in r.cells if c.value is not None}
    found = AMOUNT.findall(text)
    assert len(found) == 4 and all(Decimal(a) in figures for _, a, _ in found)


def test_files_read_back(tmp_path):
    files = build_files(JIANGXI, tmp_path / "out", "xlsx,pdf,docx")
    lines = pdf_lines(files["pdf"])
    flat = "".join(re.sub(r"\s+", "", line) for line in lines)
    assert "部门整体支出绩效目标设置申报表（2025年度）" in flat and "项目支出绩效目标申报表（2025年度）" in flat
    assert "柴办字[2019]52号" in flat and "130.15%" in flat and "≤47.75万元" in flat
    # the cover's subtitle, too long for a line, breaks after the department's name — not inside 支出 (trialY-s29 D8)
    assert [line.strip() for line in lines[:8] if line.strip()][2:4] == ["九江市柴桑区医疗保障局", "2025年部门整体支出和项目支出绩效目标"]
    from docx import Document

    [sub] = [p.text for p in Document(str(files["docx"])).paragraphs if p.style.name == "Subtitle Line"]
    assert sub == "九江市柴桑区医疗保障局\n2025年部门整体支出和项目支出绩效目标"
    rows = sheet_rows(files["xlsx"], "表1")
    after = {r[i]: next(x for x in r[i + 1:] if x is not None) for r in rows for i in range(len(r) - 1)
             if r[i] in ("收入合计", "公用经费", "联系人")}
    assert after == {"收入合计": 524.95, "公用经费": 88.02, "联系人": "曹丽芳"}
    assert any(r[0] == "项目名称" and "基层医保经办服务能力建设补助资金" in r for r in sheet_rows(files["xlsx"], "表2"))


def test_a_task_split_into_fiscal_and_other_prints_its_whole_amount_in_the_one_column_form():
    """陕西-style tasks (财政拨款 | 其他资金) under 江西's one 预算金额 column: each task prints the sum of its
    parts, straight from the input; a split form (陕西) cannot take one 预算金额 and says so."""
    import yaml

    from discloser.package import build_document
    from discloser.validate import load

    path = EXAMPLES / "anping-gazetteer-office-2025.yaml"
    loaded = load(path, "jiangxi")
    assert not loaded.errors
    tasks = yaml.safe_load(path.read_text(encoding="utf-8"))["performance"]["department"]["tasks"]
    assert all(set(t["amounts"]) == {"财政拨款", "其他资金"} for t in tasks)
    doc = build_document(loaded.budget, loaded.profile, loaded.catalog)
    form = next(t for t in doc.tables if t.key == "department_performance")
    for t in tasks:
        row = next(r for r in form.body if any(c.text == t["name"] for c in r.cells))
        whole = sum((Decimal(str(v)) for v in t["amounts"].values()), Decimal(0)) / 10000
        printed = [c.value for c in row.cells if c.value is not None]
        assert printed and abs(printed[0] - whole) <= Decimal("0.01"), (t["name"], printed, whole)
    refused = load(EXAMPLES / "jiangxi-chaisang-2025.yaml", "shaanxi")
    assert "perf.tasks-total" in {p.rule for p in refused.errors}


def test_a_task_typed_as_the_basic_or_project_spending_prints_as_the_tables_print_it():
    """A 卫健委 written in a new-user trial types its two tasks as exactly its 基本支出 and 项目支出 (in 元,
    checked here from the input). The one-column form prints them as the table prints those figures —
    controlled rounding had put them 0.01 apart (782.06 beside 人员 616.37 + 公用 165.70)."""
    import yaml

    from helpers import YONGAN, built_with

    data = yaml.safe_load(YONGAN.read_text(encoding="utf-8"))
    spent = data["expenditures"]
    basic = sum(Decimal(str(e["amount"])) for e in spent if not e.get("project"))
    project = sum(Decimal(str(e["amount"])) for e in spent if e.get("project"))
    tasks = [sum(Decimal(str(v)) for v in t["amounts"].values()) for t in data["performance"]["department"]["tasks"]]
    assert tasks == [basic, project]
    table = next(t for t in built_with(YONGAN, "jiangxi")[1].tables if t.key == "department_performance")
    printed = {}
    for row in table.body:
        cells = list(row.cells)
        for label, value in zip(cells, cells[1:]):
            if value.kind.value == "money" and value.text:
                printed.setdefault(norm(label.text), Decimal(value.text.replace(",", "")))
        if cells[-1].kind.value == "money" and cells[-1].text and cells[0].kind.value == "text":
            printed[norm(cells[0].text)] = Decimal(cells[-1].text.replace(",", ""))
    assert printed["保障单位运转"] == printed["其中：人员经费"] + printed["公用经费"]
    assert printed["公共卫生服务与项目建设"] == printed["项目经费"]
    # 支出合计 lists 结转下年 too (so it equals 收入合计); the tasks are this year's spending
    carried = sum(Decimal(str(c["amount"])) for c in data["carry_forward"])
    assert carried and printed["结转下年"] == (carried / 10000).quantize(Decimal("0.01"))
    assert printed["保障单位运转"] + printed["公共卫生服务与项目建设"] + printed["结转下年"] == printed["支出合计"] == printed["收入合计"]


def test_functions_joined_into_the_summary_without_doubled_punctuation():
    from helpers import YONGAN, built_with

    result, doc = built_with(YONGAN, "jiangxi")
    table = next(t for t in doc.tables if t.key == "department_performance")
    cells = [c.text for r in table.body for c in r.cells]
    summary = cells[cells.index("部门职能简述") + 1]
    assert summary.count("；") == len(result.budget.organization.functions) - 1
    assert "。；" not in summary and summary.endswith("。")


def test_a_long_summary_gets_a_row_across_the_form():
    """The 主要职责 joined (no 职能简述 typed) were set in the form's last column, nine characters wide, and ran over
    six pages (trialC-s26 D7). A summary longer than a line or two takes a row of its own across the form; the
    reference's one-line summary stays in its place beside 近三年……是否出现过重大变化."""
    from helpers import EXAMPLES, YONGAN, built_with

    def summary_row(source):
        result, doc = built_with(source, "jiangxi")
        table = next(t for t in doc.tables if t.key == "department_performance")
        row = next(r for r in table.body if any(c.text == "部门职能简述" for c in r.cells))
        return result.budget.organization, table, row

    org, table, row = summary_row(YONGAN)
    assert not org.functions_summary and sum(len(f) for f in org.functions) > 100
    assert [c.text for c in row.cells][0] == "部门职能简述" and row.cells[1].colspan == len(table.columns) - 2
    org, table, row = summary_row(EXAMPLES / "jiangxi-chaisang-2025.yaml")
    assert [c.text for c in row.cells][:1] == ["近三年单位职能是否出现过重大变化"] and row.cells[-1].colspan == 1


def test_no_department_line_above_the_forms_that_name_it():
    """trialY-s29 D5: “部门（单位）名称：九江市柴桑区医疗保障局” printed above 表1, whose first row is that name, and above
    表2, whose 主管部门及代码 row names it; the reference has only the title and “(2025年度)” (already in our title)."""
    lines = [line for line in REF.splitlines() if line.strip()]
    for title in ("部门整体支出绩效目标设置申报表", "项目支出绩效目标申报表"):
        at = lines.index(title)
        assert lines[at + 1] == "(2025年度)" and "名称：" not in lines[at + 2]
    tables = [t for t in document(JIANGXI).tables if t.number in ("表1", "表2")]
    assert tables and all(t.meta == "" for t in tables) and all("（2025年度）" in t.title for t in tables)
