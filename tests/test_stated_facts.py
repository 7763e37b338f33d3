"""Facts a package prints as the file states them are never inferred from their absence (trial M, s25).

- 政府采购 left out (no ``procurement:`` key) printed “无政府采购预算” and an empty 政府采购表; now every
  profile that prints a 政府采购 sentence or table refuses the file at validation (needs.missing), and
  ``procurement: []`` is how a file says “none”. The ways in (init, import, the workbook, rollover) write
  the key or a 待填 for it.
- 国有资产占用情况 left out was silently dropped by the national and Shanghai 说明 (Shaanxi, Henan and Hubei
  refused the file); now they refuse it too.
- Hubei's 表15 and Shaanxi's 表13 said “无项目支出 / 无专项业务经费” while 表10 listed projects that only
  lacked targets; the reason now depends on whether projects exist.

The department is a trial's own (tests/departments/anping-media-2025.yaml), not an example.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from discloser.package import build_document
from discloser.validate import load

ROOT = Path(__file__).resolve().parent.parent
MEDIA = Path(__file__).resolve().parent / "departments" / "anping-media-2025.yaml"
TEXT = MEDIA.read_text(encoding="utf-8")
PROCUREMENT = ("procurement:\n  - {category: 服务, item: 新媒体平台运维服务, quantity: 1项, amount: 500000, "
               "unit: \"418001\", project: 新媒体平台运维}\n")
ASSETS_START = TEXT.index("assets:\n")
ASSETS = TEXT[ASSETS_START:TEXT.index("prior_year:", ASSETS_START)]
PRINTING_PROCUREMENT = ["national", "shaanxi", "henan", "hubei", "shanghai"]


def cli(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "discloser.cli", *map(str, args)], capture_output=True, text=True,
                          env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin", "NO_COLOR": "1"})


def variant(tmp_path: Path, text: str, name: str = "budget.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def paragraphs(doc) -> str:
    return "\n".join(p for s in doc.sections for p in s.paragraphs)


def built(path: Path, profile: str):
    result = load(path, profile)
    assert not result.errors, "\n".join(p.format() for p in result.errors)
    return build_document(result.budget, result.profile, result.catalog)


def test_the_department_has_the_procurement_and_assets_the_tests_remove():
    assert PROCUREMENT in TEXT and ASSETS.startswith("assets:\n  vehicles: {}")


# ---------------------------------------------------------------------------- D1: 政府采购 left out

@pytest.mark.parametrize("profile", PRINTING_PROCUREMENT)
def test_procurement_left_out_is_refused_where_the_profile_prints_it(tmp_path, profile):
    result = load(variant(tmp_path, TEXT.replace(PROCUREMENT, "")), profile)
    [p] = result.errors
    assert p.rule == "needs.missing"
    assert "需要 procurement（政府采购预算；没有政府采购写 procurement: []），文件中没有" in p.message
    assert p.locations[0].file.endswith("budget.yaml") and p.locations[0].line


@pytest.mark.parametrize("profile", ["gansu", "jiangxi"])
def test_procurement_left_out_is_no_error_where_nothing_prints_it(tmp_path, profile):
    assert load(variant(tmp_path, TEXT.replace(PROCUREMENT, "")), profile).errors == []


def test_build_without_procurement_writes_nothing(tmp_path):
    out = tmp_path / "公开包"
    r = cli("build", variant(tmp_path, TEXT.replace(PROCUREMENT, "")), "-o", out, "--profile", "national")
    assert r.returncode == 1 and "needs.missing" in r.stderr and "procurement" in r.stderr
    assert not out.exists() or not any(out.iterdir())


def test_an_empty_list_says_none_and_an_item_is_printed(tmp_path):
    none = variant(tmp_path, TEXT.replace(PROCUREMENT, "procurement: []\n"))
    text = paragraphs(built(none, "national"))
    assert "安平县融媒体中心2025年无政府采购预算。" in text
    shaanxi = built(none, "shaanxi")
    [table] = [t for t in shaanxi.tables if t.key == "procurement"]
    assert table.empty and table.empty_reason == "本部门2025年无政府采购预算，故本表为空表。"
    assert "本部门当年无政府采购预算，并已公开空表。" in paragraphs(shaanxi)
    # the file as kept: 500,000 元 of 服务 → 50.00 万元 in the national 说明 (its unit), a row in Shaanxi's 表11
    text = paragraphs(built(MEDIA, "national"))
    assert "政府采购预算50.00万元" in text and "无政府采购预算" not in text
    [table] = [t for t in built(MEDIA, "shaanxi").tables if t.key == "procurement"]
    assert not table.empty and any(c.text == "新媒体平台运维服务" for r in table.body for c in r.cells)


def test_a_profile_with_the_table_but_no_section_still_asks(tmp_path):
    """The 政府采购表 alone is enough: a province's profile without the 说明 section still needs the fact."""
    from discloser.profile import load_profile

    shaanxi = load_profile("shaanxi")
    narrative = [e for e in shaanxi.narrative if "procurement" not in str(e)]
    table_only = shaanxi.model_copy(update={"narrative": narrative})
    assert "procurement" in table_only.required_facts()
    [p] = load(variant(tmp_path, TEXT.replace(PROCUREMENT, "")), table_only).errors
    assert "表11“部门综合预算政府采购（资产配置、购买服务）预算表”需要 procurement" in p.message
    without_table = table_only.model_copy(update={"tables": [t for t in shaanxi.tables if t.builder != "procurement"]})
    assert "procurement" not in without_table.required_facts()


# ---------------------------------------------------------------------------- D10: assets left out

@pytest.mark.parametrize("profile", ["national", "shanghai"])
def test_assets_left_out_is_refused_by_national_and_shanghai(tmp_path, profile):
    result = load(variant(tmp_path, TEXT.replace(ASSETS, "")), profile)
    [p] = result.errors
    assert p.rule == "needs.missing" and "的说明需要 assets（" in p.message
    assert ".j2" not in p.message and "章节" not in p.message     # a clerk knows no template file names
    text = paragraphs(built(MEDIA, profile))      # with assets the section is there: 0 vehicles stated as such
    assert "国有资产" in "".join(s.title for s in built(MEDIA, profile).sections)
    assert "车辆" in text


@pytest.mark.parametrize("profile", ["national", "shanghai", "hubei", "henan", "shaanxi"])
def test_an_empty_assets_block_is_no_statement(tmp_path, profile):
    """Trial V3 R2: `assets: {}` passed validate and build, and the 国有资产 section vanished without a word —
    an empty block says as little as no block (`assets: {vehicles: {}}` is the way to say “no cars”)."""
    result = load(variant(tmp_path, TEXT.replace(ASSETS, "assets: {}\n")), profile)
    assert [p.rule for p in result.errors] == ["needs.missing"], [p.format() for p in result.errors]
    assert "需要 assets" in result.errors[0].message


# ---------------------------------------------------------------------------- D5: why the 绩效目标表 is empty

def test_the_empty_project_target_table_says_why_when_projects_exist():
    """Both projects have spending (表10 lists them) and no targets: “无项目支出” would be false."""
    [hubei] = [t for t in built(MEDIA, "hubei").tables if t.key == "project_performance"]
    assert (hubei.number, hubei.empty) == ("表15", True)
    assert hubei.empty_reason == "本部门2025年无编制绩效目标的项目支出，故本表为空表。"
    [listed] = [t for t in built(MEDIA, "hubei").tables if t.key == "projects"]
    assert not listed.empty
    [shaanxi] = [t for t in built(MEDIA, "shaanxi").tables if t.key == "project_performance"]
    assert (shaanxi.number, shaanxi.empty) == ("表13", True)
    assert shaanxi.empty_reason == "本部门2025年无编制绩效目标的专项业务经费，故本表为空表。"
    assert shaanxi.toc_reason == "本部门无编制绩效目标的专项业务经费"
    [national] = [t for t in built(MEDIA, "national").tables if t.key == "project_performance"]
    assert national.empty_reason == "本部门2025年无编制绩效目标的项目支出，故本表为空表。"


def test_the_empty_project_target_table_says_no_projects_when_there_are_none(tmp_path):
    text = TEXT.replace("kind: 项目支出, project: 新媒体平台运维,", "kind: 公用经费,")
    text = text.replace("kind: 项目支出, project: 县属文化企业资本金注入,", "kind: 公用经费,")
    text = text.replace(", project: 新媒体平台运维}", "}")
    text = text[:text.index("projects:\n")] + text[text.index("procurement:\n"):]
    path = variant(tmp_path, text)
    [hubei] = [t for t in built(path, "hubei").tables if t.key == "project_performance"]
    assert hubei.empty_reason == "本部门2025年无项目支出，故本表为空表。"
    [shaanxi] = [t for t in built(path, "shaanxi").tables if t.key == "project_performance"]
    assert (shaanxi.empty_reason, shaanxi.toc_reason) == ("本部门2025年无专项业务经费，故本表为空表。", "本部门无专项业务经费")
    national = built(path, "national")      # trialE-s27 D1: it said “无编制绩效目标的项目支出” of no project at all
    [table] = [t for t in national.tables if t.key == "project_performance"]
    assert (table.number, table.empty_reason) == ("表10", "本部门2025年无项目支出，故本表为空表。")
    toc = "".join(c.text for r in national.toc.body for c in r.cells)
    assert "本部门2025年无项目支出" in toc and "无编制绩效目标" not in toc


# ---------------------------------------------------------------------------- the ways in

def test_workbook_says_none_with_one_word_and_an_empty_sheet_is_not_none(tmp_path):
    """An empty 政府采购 sheet is a list not given (refused where printed, at the sheet); “无” alone in
    采购品目 is `procurement: []` — both ways, so YAML → xlsx → YAML keeps absent and none apart."""
    source = variant(tmp_path, TEXT.replace(PROCUREMENT, ""))
    book = tmp_path / "填报.xlsx"
    assert cli("workbook", source, "-o", book).returncode == 0
    [p] = load(book).errors
    assert str(p.locations[0]).startswith(f"{book}!政府采购!A1")
    assert "需要政府采购预算（“政府采购”表；没有政府采购时只填一行，“采购品目”写“无”）" in p.message
    wb = load_workbook(book)
    headers = [c.value for c in wb["政府采购"][1]]
    wb["政府采购"].cell(2, headers.index("采购品目") + 1, "无")
    wb.save(book)
    loaded = load(book)
    assert loaded.errors == [] and loaded.budget.procurement == []
    assert "安平县融媒体中心2025年无政府采购预算。" in paragraphs(build_document(loaded.budget, loaded.profile, loaded.catalog))

    none = tmp_path / "none.xlsx"          # and back: [] is written as that one word
    assert cli("workbook", variant(tmp_path, TEXT.replace(PROCUREMENT, "procurement: []\n"), "none.yaml"),
               "-o", none).returncode == 0
    rows = [r for r in load_workbook(none)["政府采购"].iter_rows(min_row=2, values_only=True) if any(r)]
    assert rows == [tuple("无" if h == "采购品目" else None for h in headers)]
    gansu = variant(tmp_path, TEXT.replace(PROCUREMENT, "").replace("profile: national", "profile: gansu"), "gansu.yaml")
    assert cli("workbook", gansu, "-o", tmp_path / "gansu.xlsx").returncode == 0      # Gansu prints none: not asked
    assert load(tmp_path / "gansu.xlsx").errors == [] and load(tmp_path / "gansu.xlsx").budget.procurement is None


def test_init_writes_procurement_where_the_profile_prints_it(tmp_path):
    for profile in ("shaanxi", "gansu"):
        out = tmp_path / f"{profile}.yaml"
        assert cli("init", out, "--profile", profile).returncode == 0
        # Shaanxi's attestations are 待填 (an error until answered, tests/test_init.py): answered here
        out.write_text(out.read_text(encoding="utf-8").replace(": 待填", ": 是"), encoding="utf-8")
        loaded = load(out)
        assert loaded.errors == []
        if profile == "shaanxi":
            [item] = loaded.budget.procurement
            assert (item.category.value, item.amount) == ("货物", 10000)
            todo = [p for p in loaded.warnings if p.rule == "gap.todo" and "政府采购" in p.message]
            assert todo and "没有政府采购写 procurement: []" in todo[0].message
        else:
            assert loaded.budget.procurement is None


def test_import_asks_for_procurement_where_the_profile_prints_it(tmp_path):
    exports = ROOT / "examples" / "imports"
    out = tmp_path / "医保.yaml"       # lines flagged 是否政府采购: their total, and that Shaanxi cannot do without
    assert cli("import", exports / "linyou-2024-line-items.xlsx", "-o", out, "--profile", "shaanxi").returncode == 0
    loaded = load(out)
    assert any(p.rule == "needs.missing" and "procurement" in p.message for p in loaded.errors)
    [todo] = [p for p in loaded.warnings if p.rule == "gap.todo" and "政府采购" in p.message]
    assert "合计 80,000.00 元" in todo.message and "不填不能生成" in todo.message
    out = tmp_path / "石龙.yaml"       # no line flagged: asked all the same, with how to say “none”
    assert cli("import", exports / "shilong-2025-department.xls", "-o", out, "--profile", "henan",
               "--name", "平顶山市石龙区医疗保障局", "--code", "308").returncode == 0
    assert any(p.rule == "needs.missing" and "procurement" in p.message for p in load(out).errors)
    [todo] = [p for p in load(out).warnings if p.rule == "gap.todo" and "政府采购" in p.message]
    assert "不填不能生成" in todo.message and "没有政府采购写 procurement: []" in todo.message
    out = tmp_path / "甘肃.yaml"       # Gansu prints no 政府采购: nothing to ask
    assert cli("import", exports / "shilong-2025-department.xls", "-o", out, "--profile", "gansu",
               "--name", "平顶山市石龙区医疗保障局", "--code", "308").returncode == 0
    assert not [p for p in load(out).warnings if p.rule == "gap.todo" and "政府采购" in p.message]


def test_rollover_keeps_last_years_none_with_a_comment_to_confirm(tmp_path):
    last = variant(tmp_path, TEXT.replace(PROCUREMENT, "procurement: []\n"), "2025.yaml")
    out = tmp_path / "2026.yaml"
    assert cli("rollover", last, "--to", "2026", "-o", out).returncode == 0
    lines = out.read_text(encoding="utf-8").split("\n")
    at = lines.index("procurement: []")
    assert lines[at - 1].startswith("# 待填：2025 年无政府采购预算；2026 年有的按品目列出")
    todo = [p for p in load(out).warnings if p.rule == "gap.todo" and "无政府采购预算" in p.message]
    assert [p.locations[0].line for p in todo] == [at]


# ---------------------------------------------------------------------------- the workbook's words (trial V3 s25)

def _facts_rows(ws) -> dict[str, int]:
    return {ws.cell(r, 1).value: r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value}


def _at(problems, cell: str) -> list:
    return [p for p in problems if str(p.locations[0]).split(" ")[0].endswith(cell)]


def test_rollover_to_a_workbook_asks_to_confirm_last_years_none_and_asset_counts(tmp_path):
    """R3: the YAML keeps last year's “none” and counts under a “# 待填” to confirm; the workbook has no such
    comments, so its cells hold 待填 (last year's value in the cell's comment) and validate lists them."""
    last = variant(tmp_path, TEXT.replace(PROCUREMENT, "procurement: []\n")
                   .replace("  planned_vehicles: 0\n", "  planned_vehicles: 0\n  special_equipment: 3\n"), "2025.yaml")
    book = tmp_path / "2026.xlsx"
    assert cli("rollover", last, "--to", "2026", "-o", book).returncode == 0
    wb = load_workbook(book)
    proc, facts = wb["政府采购"], wb["基本情况"]
    headers = [c.value for c in proc[1]]
    item = proc.cell(2, headers.index("采购品目") + 1)
    assert item.value == "待填" and "2025 年无政府采购预算" in item.comment.text
    assert [c.value for c in proc[2] if c.value is not None] == ["待填"]
    rows = _facts_rows(facts)
    asked = {label: rows[label] for label in ("车辆（种类:辆数）", "超过口径的设备数", "超过口径的专用设备数",
                                              "计划购置车辆数", "计划购置设备数")}
    assert {facts.cell(r, 2).value for r in asked.values()} == {"待填"}
    assert "2025 年：3" in facts.cell(asked["超过口径的专用设备数"], 2).comment.text
    assert "2025 年：无" in facts.cell(asked["车辆（种类:辆数）"], 2).comment.text
    assert facts.cell(rows["资产统计时点"], 2).value == "截至2024年12月31日"      # not a count: kept

    errors = load(book).errors
    [p] = _at(errors, "!政府采购!B2")
    assert p.rule == "gap.value" and "“采购品目”写“无”" in p.message
    for label, r in asked.items():
        assert [p.rule for p in _at(errors, f"!基本情况!B{r}")] == ["gap.value"], label
    # the clerk confirms: “无” and this year's counts; those cells are then settled
    proc.cell(2, headers.index("采购品目") + 1, "无")
    facts.cell(asked["车辆（种类:辆数）"], 2, "一般公务用车:1")
    for label in ("超过口径的设备数", "超过口径的专用设备数", "计划购置车辆数", "计划购置设备数"):
        facts.cell(asked[label], 2, 0)
    for label in ("是否已保密审查", "主要负责人是否已审签"):     # this year's package reviewed and signed (asked: 否)
        assert facts.cell(rows[label], 2).value == "否"
        facts.cell(rows[label], 2, "是")
    wb.save(book)
    errors = load(book).errors
    assert errors and {p.rule for p in errors} == {"gap.value"}          # this year's amounts, still to type
    assert {str(p.locations[0]).split("!")[1] for p in errors} == {"收入", "支出明细", "绩效任务"}
    assert not _at(errors, "!政府采购!B2") and not any(_at(errors, f"!基本情况!B{r}") for r in asked.values())


def test_a_yaml_list_left_to_confirm_converts_both_ways(tmp_path):
    """`procurement: 待填` (a rolled workbook converted to YAML) is a located gap, and back it is the 待填 row."""
    path = variant(tmp_path, TEXT.replace(PROCUREMENT, "procurement: 待填\n").replace("vehicles: {}", "vehicles: 待填"))
    errors = load(path).errors
    assert [(p.rule, p.locations[0].field) for p in errors] == [("gap.value", "procurement"),
                                                                ("gap.value", "assets.vehicles")]
    assert "没有政府采购写 procurement: []" in errors[0].message
    book = tmp_path / "b.xlsx"
    assert cli("workbook", path, "-o", book).returncode == 0
    facts = load_workbook(book)["基本情况"]
    assert facts.cell(_facts_rows(facts)["车辆（种类:辆数）"], 2).value == "待填"
    assert [p.rule for p in load(book).errors] == ["gap.value", "gap.value"]


def test_the_fill_in_help_tells_the_truth_about_assets_and_vehicles(tmp_path):
    """W1: blank asset cells are refused where the 说明 prints 资产; W3: the 车辆 row says what the reader reads."""
    book = tmp_path / "b.xlsx"
    assert cli("workbook", MEDIA, "-o", book).returncode == 0
    wb = load_workbook(book)
    helps = {r[0]: r[1] for r in wb["填表说明"].iter_rows(min_row=3, values_only=True) if r[0]}
    assert "资产各项不填则说明中不写" not in helps["基本情况"]
    assert "必须填写" in helps["基本情况"] and "没有车辆写“无”" in helps["基本情况"]
    facts = wb["基本情况"]
    row = _facts_rows(facts)["车辆（种类:辆数）"]
    note = facts.cell(row, 3).value
    assert "{}" not in note and "没有车辆写“无”" in note and "一般公务用车:1；执法执勤用车:2" in note
    for typed, read in (("无", {}), ("一般公务用车:1；执法执勤用车:2", {"一般公务用车": 1, "执法执勤用车": 2})):
        facts.cell(row, 2, typed)
        wb.save(book)
        loaded = load(book)
        assert loaded.errors == [] and loaded.budget.assets.vehicles == read


def test_a_deleted_procurement_sheet_is_told_to_say_none(tmp_path):
    """W2: the advice is the one “无” row, not a header-only sheet (which is refused where 政府采购 prints)."""
    book = tmp_path / "b.xlsx"
    assert cli("workbook", MEDIA, "-o", book).returncode == 0
    wb = load_workbook(book)
    del wb["政府采购"]
    del wb["绩效任务"]
    wb.save(book)
    by_sheet = {p.message.split("“")[1].split("”")[0]: p for p in load(book).errors if p.rule == "workbook.sheet"}
    assert "“采购品目”写“无”" in by_sheet["政府采购"].message and "保留只有表头的空表" not in by_sheet["政府采购"].message
    assert "保留只有表头的空表" in by_sheet["绩效任务"].message      # a sheet whose empty table is fine


@pytest.mark.parametrize("row, named", [(("货物", "无", 10000), "“采购类别”“金额”"), ((None, "无", 0), "“金额”")])
def test_a_none_row_with_anything_else_is_refused_at_its_cell(tmp_path, row, named):
    """W4: “货物 | 无 | 10000” validated as an item named 无; a “无” row with 0 got a bare 缺少必填字段."""
    book = tmp_path / "b.xlsx"
    assert cli("workbook", variant(tmp_path, TEXT.replace(PROCUREMENT, "procurement: []\n")), "-o", book).returncode == 0
    wb = load_workbook(book)
    for col, value in enumerate(row, 1):
        wb["政府采购"].cell(2, col, value)
    wb.save(book)
    [p] = load(book).errors
    assert (p.rule, str(p.locations[0]).split(" ")[0]) == ("workbook.none", f"{book}!政府采购!B2")
    assert f"但这一行的{named}也有内容" in p.message and "其余各格应空着" in p.message


def test_a_none_row_beside_items_is_refused(tmp_path):
    book = tmp_path / "b.xlsx"
    assert cli("workbook", MEDIA, "-o", book).returncode == 0
    wb = load_workbook(book)
    wb["政府采购"].cell(3, 2, "无")
    wb.save(book)
    [p] = load(book).errors
    assert p.rule == "workbook.none" and str(p.locations[0]).startswith(f"{book}!政府采购!B3")
    assert "表中还有其他 1 行" in p.message


def test_the_assets_message_says_how_to_write_none(tmp_path):
    """Like the 政府采购 one: the YAML hint is one the file accepts; in a workbook the sheet and rows, not `assets`."""
    [p] = load(variant(tmp_path, TEXT.replace(ASSETS, "")), "national").errors
    hint = "没有车辆、设备写 assets: {vehicles: {}, equipment: 0}"
    assert hint in p.message and "需要 assets（国有资产占用情况；" in p.message
    [p] = load(variant(tmp_path, TEXT.replace(ASSETS, ""), "s.yaml"), "shaanxi").errors   # the profile's own words
    assert "需要 assets（国有资产占有使用情况；" in p.message and hint in p.message
    said = variant(tmp_path, TEXT.replace(ASSETS, hint.split("写 ")[1] + "\n"), "none.yaml")
    assert load(said, "national").errors == []
    book = tmp_path / "b.xlsx"
    assert cli("workbook", variant(tmp_path, TEXT.replace(ASSETS, ""), "w.yaml"), "-o", book).returncode == 0
    [p] = load(book).errors
    assert str(p.locations[0]).startswith(f"{book}!基本情况!B")
    assert "需要 assets" not in p.message and "vehicles" not in p.message and "“基本情况”表的车辆、设备各行；没有车辆写“无”" in p.message


# ---------------------------------------------------------------- 公开前的审查 (trialE-s27): attested by the file, not the profile
# Shaanxi's lines above the 目录 always printed “保密审查情况：已审查 / 部门（单位）主要负责人审签情况：已审签”, whatever the
# file said. They are the clerk's attestation, made on the finished package: printed from `review` when it says 是;
# silent or 否, the lines are left out of what is then a draft (the head signs what was printed) and validate warns —
# `--strict`, the check before publishing, refuses it.
LIUWAN = Path(__file__).resolve().parent / "departments" / "liuwan-town-2025.yaml"
LIUWAN_TEXT = LIUWAN.read_text(encoding="utf-8")
REVIEW_LINE = next(line for line in LIUWAN_TEXT.splitlines(keepends=True) if line.startswith("review:"))
ATTESTED = ["保密审查情况：已审查", "部门（单位）主要负责人审签情况：已审签"]


def test_a_department_silent_on_its_review_builds_a_draft_without_the_lines(tmp_path):
    silent = variant(tmp_path, LIUWAN_TEXT.replace(REVIEW_LINE, ""))
    loaded = load(silent)
    assert loaded.errors == []
    warned = [p for p in loaded.warnings if p.rule == "review.pending"]
    assert [p.locations[0].field for p in warned] == ["review.secrecy", "review.signed"]
    assert all(p.locations[0].file == str(silent) and p.locations[0].line for p in warned)
    assert "报表目录前“保密审查情况”一行不印" in warned[0].message and "review.secrecy: 是" in warned[0].message
    assert "报表目录前“部门（单位）主要负责人审签情况”一行不印" in warned[1].message
    doc = build_document(loaded.budget, loaded.profile, loaded.catalog)
    assert doc.tables_preamble == ["部门（单位）名称：云塬县柳湾镇人民政府"]         # neither attested nor “未审查”
    assert cli("build", silent, "-o", tmp_path / "draft", "--formats", "xlsx").returncode == 0
    assert cli("build", silent, "-o", tmp_path / "out", "--formats", "xlsx", "--strict").returncode != 0
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
    # a profile that prints neither line does not ask for them
    assert [p for p in load(silent, "national").problems if p.rule == "review.pending"] == []


def test_the_review_the_file_says_is_printed_above_the_contents(tmp_path):
    loaded = load(LIUWAN)
    assert loaded.errors == [] and (loaded.budget.review.secrecy, loaded.budget.review.signed) == (True, True)
    assert [p for p in loaded.warnings if p.rule == "review.pending"] == []
    doc = build_document(loaded.budget, loaded.profile, loaded.catalog)
    assert doc.tables_preamble == ["部门（单位）名称：云塬县柳湾镇人民政府", *ATTESTED]
    from helpers import write

    write("xlsx", doc, tmp_path / "p.xlsx")
    cells = {c.value for ws in load_workbook(tmp_path / "p.xlsx").worksheets for row in ws.iter_rows() for c in row}
    assert set(ATTESTED) <= cells
    national = load(LIUWAN, "national")
    assert build_document(national.budget, national.profile).tables_preamble == []   # national prints neither


@pytest.mark.parametrize("profile", ["shaanxi", "national"])
def test_a_review_the_file_says_is_not_done_is_never_printed_and_warns(tmp_path, profile):
    """“否” is never printed as “未审查” into a package, and warns in every profile: the file says it is not ready."""
    pending = variant(tmp_path, LIUWAN_TEXT.replace(REVIEW_LINE, "review: {secrecy: 否, signed: 是}\n"))
    loaded = load(pending, profile)
    [p] = [p for p in loaded.warnings if p.rule == "review.pending"]
    assert loaded.errors == []
    assert (p.locations[0].field, p.locations[0].line) == ("review.secrecy", LIUWAN_TEXT[:LIUWAN_TEXT.index(REVIEW_LINE)].count("\n") + 1)
    assert "尚未保密审查" in p.message and "review.secrecy: 是" in p.message
    printed = build_document(loaded.budget, loaded.profile, loaded.catalog).tables_preamble
    assert ATTESTED[0] not in printed and not any("未审查" in line for line in printed)
    assert (ATTESTED[1] in printed) == (profile == "shaanxi")


def test_rollover_asks_for_the_new_years_review(tmp_path):
    out = tmp_path / "2026.yaml"
    assert cli("rollover", LIUWAN, "--to", "2026", "-o", out).returncode == 0
    from discloser.source import load_source

    assert load_source(out).data["review"] == {"secrecy": "否", "signed": "否"}     # last year's is not this year's
    assert "要重新保密审查、由主要负责人审签" in out.read_text(encoding="utf-8")


def test_the_workbook_keeps_the_review_and_speaks_of_its_rows(tmp_path):
    from discloser.intake.workbook import read_workbook

    book = tmp_path / "b.xlsx"
    assert cli("workbook", LIUWAN, "-o", book).returncode == 0
    assert read_workbook(book).data["review"] == {"secrecy": True, "signed": True}
    wb = load_workbook(book)
    ws = wb["基本情况"]
    rows = {ws.cell(r, 1).value: r for r in range(2, ws.max_row + 1)}
    assert (ws.cell(rows["是否已保密审查"], 2).value, ws.cell(rows["主要负责人是否已审签"], 2).value) == ("是", "是")
    ws.cell(rows["是否已保密审查"], 2).value = None
    ws.cell(rows["主要负责人是否已审签"], 2).value = "否"
    wb.save(book)
    warned = [p for p in load(book).warnings if p.rule == "review.pending"]
    assert [p.locations[0].file.split("!", 1)[1] for p in warned] == [
        f"基本情况!B{rows['是否已保密审查']}", f"基本情况!B{rows['主要负责人是否已审签']}"]
    assert "“基本情况”表的“是否已保密审查”" in warned[0].message and "选“是”" in warned[0].message
    assert "review" not in warned[0].message + warned[1].message


@pytest.mark.parametrize("said", ["1", "'yes'", "'true'", "0"])
def test_only_yes_no_words_attest_a_review(tmp_path, said):
    """`secrecy: 1` (or a quoted “yes”) is not 是: an attestation the file did not state is a located error, not a line
    “已审查” above the 目录 (trialW-s27 D5)."""
    typed = variant(tmp_path, LIUWAN_TEXT.replace(REVIEW_LINE, f"review: {{secrecy: {said}, signed: 是}}\n"))
    loaded = load(typed)
    [p] = [p for p in loaded.errors if p.locations[0].field == "review.secrecy"]
    assert "应为 是 或 否" in p.message and p.locations[0].line == LIUWAN_TEXT[:LIUWAN_TEXT.index(REVIEW_LINE)].count("\n") + 1
