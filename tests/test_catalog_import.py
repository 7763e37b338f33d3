"""`discloser catalog import`: the Ministry's workbook layouts, read back through load_catalog; refusals by cell."""
from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from openpyxl.styles import Alignment

from discloser.catalog import CatalogError, load_catalog
from discloser.catalog.workbook import import_workbook
from test_catalog import run

# A slice of 支出功能分类 as the Ministry's workbook prints it (名称 as in the 2025 catalog).
FUNCTION_ROWS = [
    ("205", "教育支出"), ("20502", "普通教育"), ("2050201", "学前教育"), ("2050202", "小学教育"),
    ("229", "其他支出"), ("22960", "彩票公益金安排的支出"), ("2296003", "用于体育事业的彩票公益金支出"),
]


def workbook(path: Path, rows: list[list], title: str = "Sheet1", preamble: list[list] | None = None) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for row in (preamble or []) + rows:
        ws.append(row)
    wb.save(path)
    return path


def test_code_and_name_columns_round_trip(tmp_path, capsys):
    src = workbook(tmp_path / "2026年政府收支分类科目.xlsx",
                   [["科目编码", "科目名称", "说明"]] + [[c, n, ""] for c, n in FUNCTION_ROWS],
                   title="支出功能分类科目", preamble=[["2026年政府收支分类科目"], []])
    out = tmp_path / "catalog"
    code, stdout, _ = run(capsys, "catalog", "import", str(src), "--year", "2026", "-o", str(out))
    assert code == 0 and f"已写出 {out / '2026.yaml'}（支出功能分类 7 条）" in stdout
    cat = load_catalog(2026, out)
    assert cat.function_name("2296003") == "用于体育事业的彩票公益金支出"
    assert cat.entry("2296003", "function").parents == (("229", "其他支出"), ("22960", "彩票公益金安排的支出"))
    assert cat.function_name("2080505") == "机关事业单位基本养老保险缴费支出"      # shipped fallback
    assert cat.is_complete("function") and "2026年政府收支分类科目.xlsx" in cat.source
    code, stdout, _ = run(capsys, "codes", "彩票", "--year", "2026", "--catalog", str(out))
    lines = stdout.splitlines()
    assert code == 0 and any(line.startswith("22960  彩票公益金安排的支出（款）") for line in lines)
    imported = [line for line in lines if line.startswith("2296003  用于体育事业的彩票公益金支出（项）")]
    assert imported and "年度：2026年" in imported[0]          # only the imported catalog has it


def test_split_lei_kuan_xiang_columns(tmp_path):
    """Two header rows (科目编码 over 类|款|项); each row fills only its own level, as the Ministry prints it."""
    rows = [["科目编码", None, None, "科目名称"], ["类", "款", "项", None],
            ["205", None, None, "教育支出"], [None, "02", None, "普通教育"], [None, None, "01", "学前教育"],
            [None, None, 2, "小学教育"],                                   # a number cell, as Excel stores “02”
            ["229", None, None, "其他支出"], [None, "60", None, "彩票公益金安排的支出"],
            [None, None, "03", "用于体育事业的彩票公益金支出"]]
    import_workbook(workbook(tmp_path / "目录.xlsx", rows), 2025, tmp_path / "out")
    cat = load_catalog(2025, tmp_path / "out")
    assert {c: cat.function_name(c) for c, _ in FUNCTION_ROWS} == dict(FUNCTION_ROWS)


def test_split_columns_filled_on_every_row(tmp_path):
    rows = [["类", "款", "项", "科目名称"], ["205", "", "", "教育支出"], ["205", "02", "", "普通教育"],
            ["205", "02", "01", "学前教育"]]
    import_workbook(workbook(tmp_path / "a.xlsx", rows), 2025, tmp_path / "out")
    assert load_catalog(2025, tmp_path / "out").entry("2050201", "function").path == "教育支出 › 普通教育 › 学前教育"


def test_short_codes_with_indented_names(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["科目编码", "科目名称"])
    for code, name, indent in [("229", "其他支出", 0), ("60", "彩票公益金安排的支出", 1), ("03", "用于体育事业的彩票公益金支出", 2),
                               ("205", "教育支出", 0), ("02", "　普通教育", 0), ("01", "　　学前教育", 0)]:
        ws.append([code, name])
        ws.cell(ws.max_row, 2).alignment = Alignment(indent=indent)
    wb.save(tmp_path / "缩进.xlsx")
    import_workbook(tmp_path / "缩进.xlsx", 2025, tmp_path / "out")
    cat = load_catalog(2025, tmp_path / "out")
    assert cat.function_name("2296003") == "用于体育事业的彩票公益金支出"
    assert cat.function_name("22960") == "彩票公益金安排的支出"
    assert cat.function_name("2050201") == "学前教育" and cat.function_name("20502") == "普通教育"


def test_economic_workbooks_detected_and_merged_into_one_year(tmp_path):
    dept = workbook(tmp_path / "部门经济.xlsx", [["类", "款", "科目名称"], ["301", "", "工资福利支出"], ["", "01", "基本工资"],
                                                  ["399", "", "其他支出"], ["", "99", "其他支出"]])
    gov = workbook(tmp_path / "政府经济.csv.xlsx", [["科目编码", "科目名称"], ["513", "转移性支出"], ["51301", "上下级政府间转移性支出"]])
    out = tmp_path / "out"
    first = import_workbook(dept, 2025, out)
    second = import_workbook(gov, 2025, out, kind="economic_gov")
    assert first.counts == {"economic_dept": 4} and second.counts == {"economic_gov": 2}
    cat = load_catalog(2025, out)
    assert cat.economic_dept_name("39999") == "其他支出" and cat.economic_gov_name("51301") == "上下级政府间转移性支出"
    assert cat.is_complete("econ") and cat.is_complete("gov") and not cat.is_complete("function")
    assert "部门经济.xlsx" in cat.source and "政府经济.csv.xlsx" in cat.source


def test_csv_in_gbk(tmp_path):
    path = tmp_path / "功能分类.csv"
    path.write_bytes("科目编码,科目名称\n205,教育支出\n20502,普通教育\n2050201,学前教育\n".encode("gbk"))
    import_workbook(path, 2024, tmp_path / "out", partial=True)
    cat = load_catalog(2024, tmp_path / "out")
    assert cat.function_name("2050201") == "学前教育" and not cat.is_complete("function")


def refused(tmp_path, capsys, src: Path, *extra: str) -> str:
    out = tmp_path / "out"
    code, stdout, err = run(capsys, "catalog", "import", str(src), "--year", "2025", "-o", str(out), *extra)
    assert (code, stdout) == (1, "") and err.startswith("discloser：") and "Traceback" not in err
    assert not (out / "2025.yaml").exists()
    return err


def test_bad_cells_are_named(tmp_path, capsys):
    rows = [["科目编码", "科目名称"]] + [[c, n] for c, n in FUNCTION_ROWS] + [["20502O1", "错字编码"], ["2050299", None],
                                                                                ["2050201", "学前教育（重复）"]]
    err = refused(tmp_path, capsys, workbook(tmp_path / "目录.xlsx", rows))
    assert "目录.xlsx!Sheet1!A9：科目编码“20502O1”不是数字" in err and err.rstrip().endswith("未写出任何文件。")
    assert "目录.xlsx!Sheet1!B10：科目“2050299”没有名称" in err
    assert "目录.xlsx!Sheet1!A11：科目“2050201”的名称“学前教育（重复）”与 目录.xlsx!Sheet1!A4 的“学前教育”不同" in err


def test_a_formula_and_a_full_width_code_are_errors_at_their_own_cells(tmp_path, capsys):
    """trialT-s24 D9: a code typed as a formula was left out with a notice at the name's cell (B6), and a
    full-width code was reported at another row (A2), or without the half-width hint under --kind."""
    rows = [["科目编码", "科目名称"]] + [[c, n] for c, n in FUNCTION_ROWS[:4]]
    err = refused(tmp_path, capsys, workbook(tmp_path / "公式.xlsx", rows + [["=2010304", "公式编码"]]))
    assert "公式.xlsx!Sheet1!A6：单元格是公式（=2010304）：请填写科目编码和名称本身，不要用公式" in err
    err = refused(tmp_path, capsys, workbook(tmp_path / "公式名.xlsx", rows + [["2050203", '=HYPERLINK("http://x","y")']]))
    assert "公式名.xlsx!Sheet1!B6：单元格是公式（=HYPERLINK(" in err
    for extra in ((), ("--kind", "function")):
        err = refused(tmp_path, capsys, workbook(tmp_path / "全角.xlsx", rows + [["２０５０２０３", "初中教育"]]), *extra)
        assert err.splitlines()[0] == ("discloser：全角.xlsx!Sheet1!A6：“２０５０２０３”含全角数字：请改用半角数字（2050203），"
                                       "输入法切换到半角后再输入")
    err = refused(tmp_path, capsys, workbook(tmp_path / "分列.xlsx", [["类", "款", "项", "科目名称"], ["205", "", "", "教育支出"],
                                                                   ["", "０２", "", "普通教育"]]))
    assert "分列.xlsx!Sheet1!B3：“０２”含全角数字：请改用半角数字（02）" in err


def test_wrong_lengths_and_kinds(tmp_path, capsys):
    err = refused(tmp_path, capsys, workbook(tmp_path / "a.xlsx", [["科目编码", "科目名称"], ["205", "教育支出"], ["2050", "四位"]]))
    assert "a.xlsx!Sheet1!A3：支出功能分类科目编码“2050”应为 3/5/7 位" in err
    err = refused(tmp_path, capsys, workbook(tmp_path / "b.xlsx", [["科目编码", "科目名称"], ["205", "教育支出"], ["301", "工资福利支出"]]))
    assert "b.xlsx!Sheet1!A2：工作表“Sheet1”的编码以 2、3 开头，无法判断是哪一种分类" in err and "--kind" in err
    err = refused(tmp_path, capsys, workbook(tmp_path / "c.xlsx", [["科目编码", "科目名称"], ["301", "工资福利支出"]]), "--kind", "gov")
    assert "c.xlsx!Sheet1!A2：政府预算支出经济分类科目编码应以 5 开头，“301”不是" in err
    err = refused(tmp_path, capsys, workbook(tmp_path / "d.xlsx", [["类", "款", "项", "科目名称"], ["", "02", "", "普通教育"]]))
    assert "d.xlsx!Sheet1!B2：款“02”之前没有它所属的类" in err


def test_unreadable_inputs(tmp_path, capsys):
    err = refused(tmp_path, capsys, workbook(tmp_path / "无表头.xlsx", [["甲", "乙"], ["205", "教育支出"]]))
    assert "没有找到任何科目" in err
    (tmp_path / "旧.xls").write_bytes(b"\xd0\xcf\x11\xe0 not really")
    assert "另存为” .xlsx" in refused(tmp_path, capsys, tmp_path / "旧.xls")
    (tmp_path / "坏.xlsx").write_bytes(b"PK\x03\x04 broken")
    assert "不是可读的 .xlsx 工作簿" in refused(tmp_path, capsys, tmp_path / "坏.xlsx")
    code, _, err = run(capsys, "catalog", "import", str(tmp_path / "没有.xlsx"), "--year", "2025", "-o", str(tmp_path))
    assert code == 1 and "找不到文件" in err


def test_a_zip_bomb_is_refused_before_it_is_parsed(tmp_path, capsys):
    """trialT-s24 D5: the zip's declared sizes are checked before openpyxl unpacks anything."""
    from helpers import xlsx_bomb

    good = workbook(tmp_path / "科目.xlsx", [["科目编码", "科目名称"]] + [list(r) for r in FUNCTION_ROWS])
    err = refused(tmp_path, capsys, xlsx_bomb(good, tmp_path / "炸弹.xlsx", 65))
    assert "炸弹.xlsx：工作簿文件" in err and "解压后却有 65 MB，超过上限 64 MB" in err
    assert not (tmp_path / "2025.yaml").exists()


def test_failed_import_keeps_the_previous_user_file(tmp_path):
    out = tmp_path / "out"
    import_workbook(workbook(tmp_path / "好.xlsx", [["科目编码", "科目名称"]] + [list(r) for r in FUNCTION_ROWS]), 2025, out)
    before = (out / "2025.yaml").read_text(encoding="utf-8")
    with pytest.raises(CatalogError):
        import_workbook(workbook(tmp_path / "坏.xlsx", [["科目编码", "科目名称"], ["2O5", "教育支出"]]), 2025, out)
    assert (out / "2025.yaml").read_text(encoding="utf-8") == before
    assert [p.name for p in out.iterdir()] == ["2025.yaml"]        # no temporary file left behind


def test_title_rows_and_blank_rows_are_skipped_with_a_notice(tmp_path):
    rows = [["科目编码", "科目名称"], ["", "一、一般公共预算支出科目"], ["205", "教育支出"], [], ["20502", "普通教育"]]
    result = import_workbook(workbook(tmp_path / "a.xlsx", rows), 2025, tmp_path / "out")
    assert result.counts == {"function": 2}
    assert any("1 行没有编码" in n and "a.xlsx!Sheet1!B2" in n for n in result.notices)


def test_a_whole_workbook_retires_the_codes_it_no_longer_lists(tmp_path):
    """Trial F: a Ministry workbook imported for a year is the whole catalog, yet a code it no longer lists still
    validated (printed with the typed name) — a user catalog only added entries and its import wrote no
    `changes`. The import now records what it renamed and retired against last year's catalog, and a file of
    that year using a retired code is refused; a code the whole catalog lacks is a warning, not a notice."""
    from discloser.validate import load

    example = Path(__file__).parents[1] / "examples" / "anping-education-2025.yaml"
    used = {e.function for e in load(example).budget.expenditures}
    shipped = load_catalog(2025).function
    both = sorted(c for c in used if len(c) == 7 and c in shipped and c in load_catalog(2024).function)
    gone, renamed = both[0], both[1]
    rows = [[c, "新名称" if c == renamed else n] for c, n in shipped.items() if c != gone]
    import_workbook(workbook(tmp_path / "2025年目录.xlsx", [["科目编码", "科目名称"], *rows]), 2025, tmp_path / "cat")
    cat = load_catalog(2025, tmp_path / "cat")
    assert cat.changes["from"] == 2024
    assert cat.changes["function"]["retired"] == {gone: shipped[gone]}
    assert cat.changes["function"]["renamed"] == {renamed: [shipped[renamed], "新名称"]}
    assert cat.changes["function"]["added"] == {}          # 2024's shipped catalog is an extract: no guess
    problems = load(example, catalog_dir=tmp_path / "cat")
    errors = [p for p in problems.errors if p.rule == "catalog.retired"]
    assert len(errors) == 1 and f"功能分类科目“{gone}”于2025年停用" in errors[0].message
    assert not [p for p in problems.problems if p.rule == "catalog.function" and gone in p.message]   # said once
    assert load(example).errors == []                     # the shipped catalog retires nothing

    partial = tmp_path / "partial"
    import_workbook(workbook(tmp_path / "部分.xlsx", [["科目编码", "科目名称"], *rows[:40]]), 2025, partial, partial=True)
    assert "changes" not in (partial / "2025.yaml").read_text(encoding="utf-8")   # absent codes prove nothing
    assert not [p for p in load(example, catalog_dir=partial).problems if p.rule == "catalog.retired"]


def test_a_code_the_whole_catalog_lacks_is_a_warning(tmp_path):
    """With the year's whole catalog imported, “目录未收录，按输入名称印制” would excuse a wrong code."""
    from discloser.validate import load

    example = Path(__file__).parents[1] / "examples" / "anping-education-2025.yaml"
    text = example.read_text(encoding="utf-8").replace('function: "2050101 行政运行"', 'function: "2059998 自拟科目"', 1)
    changed = tmp_path / "dept.yaml"
    changed.write_text(text, encoding="utf-8")
    before = [p for p in load(changed).problems if "2059998" in p.message]
    assert [p.severity for p in before] == ["notice"]
    rows = [[c, n] for c, n in load_catalog(2025).function.items()]
    import_workbook(workbook(tmp_path / "目录.xlsx", [["科目编码", "科目名称"], *rows]), 2025, tmp_path / "cat")
    after = [p for p in load(changed, catalog_dir=tmp_path / "cat").problems if "2059998" in p.message]
    assert [p.severity for p in after] == ["warning"] and "不在2025年完整目录" in after[0].message
