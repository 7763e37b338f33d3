"""The catalog API, user catalogs over the shipped ones, the code lookup and its command."""
from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from discloser.catalog import CatalogError, load_catalog
from discloser.catalog.lookup import find
from discloser.cli import main

DEPARTMENTS = Path(__file__).resolve().parent / "departments"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# ---- API ---------------------------------------------------------------------------------------

def test_entry_level_and_parents():
    cat = load_catalog(2025)
    e = cat.entry("2050201", "function")
    assert (e.code, e.name, e.level, e.kind) == ("2050201", "学前教育", "项", "function")
    assert e.parents == (("205", "教育支出"), ("20502", "普通教育"))
    assert e.path == "教育支出 › 普通教育 › 学前教育"
    assert cat.entry("30101", "econ").parents == (("301", "工资福利支出"),)
    assert cat.entry("501", "gov").level == "类" and cat.entry("501", "gov").parents == ()
    assert cat.entry("2059998", "function") is None          # not a code of any year


def test_classes_sorted():
    cat = load_catalog(2024)
    assert cat.function_classes()[:2] == [("201", "一般公共服务支出"), ("202", "外交支出")]
    assert [c for c, _ in cat.economic_dept_classes()] == ["301", "302", "303", "307", "309", "310", "311", "312", "313", "399"]
    assert cat.economic_gov_classes()[0] == ("501", "机关工资福利支出")


def test_gov_code_by_unit_kind():
    cat = load_catalog(2025)
    assert cat.gov_code_for("30101") == cat.gov_code_for("30101", "行政单位") == "50101"
    assert cat.gov_code_for("30101", "参照公务员法管理事业单位") == "50101"
    assert cat.gov_code_for("30101", "事业单位") == "50501"
    assert cat.gov_code_for("31002", "事业单位") == "50601" and cat.gov_code_for("31002", "行政单位") == "50306"
    assert cat.gov_code_for("30902", "事业单位") == "50602" and cat.gov_code_for("30902", "行政单位") == "50404"
    assert cat.gov_code_for("30199") == "50199" and cat.gov_code_for("39999") == "59999" and cat.gov_code_for("30198") is None
    with pytest.raises(ValueError, match="未知的单位性质"):
        cat.gov_code_for("30101", "企业")


def test_user_catalog_overlays_shipped(tmp_path):
    (tmp_path / "2025.yaml").write_text(
        "year: 2025\nsource: 某省 2025 年目录\nfunction:\n  '2296003': 用于体育事业的彩票公益金支出\n"
        "  '229': 其他支出\n  '22960': 彩票公益金安排的支出\n  '2050201': 学前教育（改）\n"
        "dept_to_gov:\n  事业:\n    '30101': '50599'\n", encoding="utf-8")
    cat = load_catalog(2025, tmp_path)
    assert cat.function_name("2296003") == "用于体育事业的彩票公益金支出"      # new code from the user
    assert cat.function_name("2050201") == "学前教育（改）"                    # user wins
    assert cat.function_name("2080505") == "机关事业单位基本养老保险缴费支出"  # shipped fallback
    assert cat.gov_code_for("30101", "事业单位") == "50599" and cat.gov_code_for("30102", "事业单位") == "50501"
    assert "某省 2025 年目录" in cat.source and "随包目录" in cat.source
    assert load_catalog(2025).function_name("2296003") is None                # the shipped one untouched
    assert load_catalog(2024, tmp_path).function_name("2296003") is None      # other years: no user file


def test_user_catalog_change_is_seen(tmp_path):
    path = tmp_path / "2024.yaml"
    path.write_text("function:\n  '2010101': 甲\n", encoding="utf-8")
    assert load_catalog(2024, tmp_path).function_name("2010101") == "甲"
    path.write_text("function:\n  '2010101': 乙乙\n", encoding="utf-8")
    assert load_catalog(2024, tmp_path).function_name("2010101") == "乙乙"


@pytest.mark.parametrize("text, where, words", [
    ("function:\n  '2010101': 行政运行\n   bad: [\n", "第3行", "YAML 格式错误"),
    ("function:\n  '20101AB': 人大事务\n", "第2行第3列", "应全部为数字"),
    ("function:\n  '2010': 人大事务\n", "第2行", "应为 3/5/7 位"),
    ("function:\n  '3010101': 基本工资\n", "第2行", "应以 2 开头"),
    ("economic_dept:\n  '30101': ''\n", "第2行", "“30101”的名称应为非空文字"),
    ("function:\n  '201': 一般公共服务支出\n  '201': 又一个\n", "第3行", "重复出现（第2行已有）"),
    ("functions:\n  '201': 一般公共服务支出\n", "第1行第1列", "未知的项“functions”"),
    ("year: 2024\n", "第1行", "year 应为 2025"),
    ("dept_to_gov:\n  行政:\n    '30101': '50101'\n", "第2行", "dept_to_gov 的键应为 机关、事业"),
    ("dept_to_gov:\n  机关:\n    '30101': '5010'\n", "第3行第14列", "“5010”应为 3/5 位"),
    ("- 201\n", "第1行", "目录文件应为“键: 值”的映射"),
])
def test_broken_user_catalog_names_file_and_line(tmp_path, text, where, words):
    path = tmp_path / "2025.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogError) as e:
        load_catalog(2025, tmp_path)
    message = str(e.value)
    assert str(path) in message and where in message and words in message and "Traceback" not in message


def test_user_catalog_not_utf8(tmp_path):
    (tmp_path / "2025.yaml").write_bytes("function:\n  '201': 一般公共服务支出\n".encode("gbk"))
    with pytest.raises(CatalogError, match="不是 UTF-8 编码"):
        load_catalog(2025, tmp_path)


def test_missing_user_file_falls_back(tmp_path):
    assert load_catalog(2025, tmp_path).source == load_catalog(2025).source


def test_lookups_are_fast():
    """Validation of 20,000 items looks up each code: dict lookups, not a scan."""
    codes = ["2080505", "2101101", "2050201", "2059998"] * 5000
    start = time.perf_counter()
    for code in codes:
        cat = load_catalog(2025)
        cat.function_name(code)
        cat.gov_code_for("30101", "事业单位")
    assert time.perf_counter() - start < 1.0


# ---- lookup ------------------------------------------------------------------------------------

def test_find_by_number_exact_first_then_children():
    found = find("20805", year=2025, kind="function")
    assert found[0].entry.code == "20805" and found[0].entry.name == "行政事业单位养老支出"
    assert {"2080505", "2080506"} <= {f.entry.code for f in found[1:]}
    assert all(f.entry.code.startswith("20805") for f in found)
    assert find("205 02 01")[0].entry.name == "学前教育"          # the split form the tables print


def test_find_by_words_across_kinds():
    found = {(f.entry.kind, f.entry.code) for f in find("养老", year=2025)}
    assert ("function", "2080505") in found and ("economic_dept", "30108") in found
    assert {f.entry.code for f in find("学前")} == {"2050201"}
    assert find("基本 养老", kind="econ")[0].entry.name == "机关事业单位基本养老保险缴费"


def test_find_years_only_where_the_name_matches(tmp_path):
    (tmp_path / "2025.yaml").write_text("function:\n  '2050201': 学前教育（改名）\n", encoding="utf-8")
    renamed = find("2050201", year=2025, user_dir=tmp_path)[0]
    assert renamed.entry.name == "学前教育（改名）" and renamed.years == (2025,)
    assert find("2050201")[0].years == (2023, 2024, 2025, 2026)


# ---- the command ---------------------------------------------------------------------------------

def test_codes_command_prints_name_level_parents(capsys):
    code, out, _ = run(capsys, "codes", "2050201")
    assert code == 0
    assert out.splitlines() == ["2050201  学前教育（项）  支出功能分类  上级：205 教育支出（类），20502 普通教育（款）  年度：2023–2026年"]


def test_codes_command_json(capsys):
    code, out, _ = run(capsys, "codes", "养老", "--kind", "econ", "--format", "json", "--year", "2024")
    data = json.loads(out)
    assert code == 0 and data == [{"code": "30108", "name": "机关事业单位基本养老保险缴费", "level": "款",
                                   "kind": "economic_dept", "kind_name": "部门预算支出经济分类",
                                   "parents": [{"code": "301", "name": "工资福利支出", "level": "类"}],
                                   "years": [2023, 2024, 2025, 2026]}]


def test_codes_command_not_found_and_bad_catalog(capsys, tmp_path):
    code, out, err = run(capsys, "codes", "航天发射")
    assert code == 1 and out == "" and "没有找到“航天发射”" in err
    assert "名称写在编码后" in err and "discloser catalog import" in err      # the way forward
    (tmp_path / "2026.yaml").write_text("function: [\n", encoding="utf-8")
    code, _, err = run(capsys, "codes", "2050201", "--catalog", str(tmp_path))
    assert code == 1 and "YAML 格式错误" in err and "2026.yaml" in err


def test_parsers_have_chinese_help_with_examples(capsys):
    for argv, shown in ((["codes", "--help"], "discloser codes 2050201"),
                        (["catalog", "import", "--help"], "discloser catalog import 2026年政府收支分类科目.xlsx --year 2026")):
        with pytest.raises(SystemExit) as e:
            main(argv)
        assert e.value.code == 0 and shown in capsys.readouterr().out
    with pytest.raises(SystemExit) as e:
        main(["catalog", "import", "x.xlsx"])
    assert e.value.code == 2 and "--year" in capsys.readouterr().err


# ---- years without a catalog of their own (trialE-s27 D3) -------------------------------------------

@pytest.mark.parametrize("asked, used", [("2019", "2023"), ("1990", "2023"), ("2030", "2026")])
def test_codes_year_without_catalog_says_which_it_borrowed(capsys, asked, used):
    code, out, err = run(capsys, "codes", "2296011", "--year", asked)
    assert code == 0 and out.startswith("2296011  ")
    assert out.rstrip().endswith("年度：2023–2026年") and asked not in out    # the shipped years only
    assert f"随包{used}年目录" in err and f"没有{asked}年目录" in err
    code, out, _ = run(capsys, "codes", "2296011", "--year", asked, "--format", "json")
    assert json.loads(out)[0]["years"] == [2023, 2024, 2025, 2026]


def test_codes_user_catalog_of_a_year_counts_only_its_own_codes(capsys, tmp_path):
    (tmp_path / "2019.yaml").write_text("function:\n  '2050201': 学前教育\n", encoding="utf-8")
    assert find("2050201", year=2019, user_dir=tmp_path)[0].years == (2019, 2023, 2024, 2025, 2026)
    assert find("2080505", year=2019, user_dir=tmp_path)[0].years == (2023, 2024, 2025, 2026)   # from the 2023 file
    _, _, err = run(capsys, "codes", "2080505", "--year", "2019", "--catalog", str(tmp_path))
    assert "2019年用户目录" in err and "随包2023年目录" in err


def test_validate_year_without_catalog_names_the_catalog_used(tmp_path):
    from discloser.validate import load

    text = (DEPARTMENTS / "anping-media-2025.yaml").read_text(encoding="utf-8").replace("\nyear: 2025\n", "\nyear: 2019\n")
    (tmp_path / "d.yaml").write_text(text, encoding="utf-8")
    notices = [p.message for p in load(tmp_path / "d.yaml").problems if p.rule == "catalog.function"]
    assert any("“20708 广播电视”" in m for m in notices)      # function_names in the file
    assert notices and not [m for m in notices if "2019年目录" in m and "没有2019年目录" not in m]
    assert all("随包2023年目录（没有2019年目录" in m for m in notices)


# ---- the not-found message names the catalog searched; codes as clerks type them (trialE-s27 D4) --------

def test_codes_not_found_names_the_kind_searched_and_the_mapping(capsys):
    cat = load_catalog(2026)
    code, out, err = run(capsys, "codes", "30217", "--kind", "gov")
    assert code == 1 and out == ""
    assert "政府预算支出经济分类中没有找到“30217”" in err and "支出功能分类" not in err     # not the 功能 extract's advice
    assert f"30217 {cat.economic_dept['30217']}" in err and "--kind econ" in err
    for kind in ("机关", "事业"):
        gov = cat.dept_to_gov[kind]["30217"]
        assert f"{kind} {gov} {cat.economic_gov[gov]}" in err
    code, _, err = run(capsys, "codes", "养老", "--kind", "gov")
    assert code == 1 and "政府预算支出经济分类中没有找到“养老”" in err and "2080101 行政运行" not in err
    assert "30108 机关事业单位基本养老保险缴费" in err and "--kind function" in err
    code, _, err = run(capsys, "codes", "50206", "--kind", "econ")
    assert code == 1 and "部门预算支出经济分类中没有找到“50206”" in err and "30217 公务接待费" in err


def test_codes_finds_a_code_typed_with_its_name(capsys):
    code, out, err = run(capsys, "codes", "2080505 机关事业单位基本养老保险缴费支出")
    assert code == 0 and out.startswith("2080505  机关事业单位基本养老保险缴费支出（项）") and len(out.splitlines()) == 1
    assert err == ""
    code, out, err = run(capsys, "codes", "2080505　养老缴费")       # full-width space, another name
    assert code == 0 and out.startswith("2080505  ")
    assert "名为“机关事业单位基本养老保险缴费支出”" in err and "“养老缴费”" in err
    code, _, err = run(capsys, "codes", "2089998 航天发射")
    assert code == 1 and "没有找到“2089998 航天发射”" in err


def test_codes_reads_full_width_digits(capsys):
    code, out, err = run(capsys, "codes", "２０８０５０５")
    assert code == 0 and out.startswith("2080505  机关事业单位基本养老保险缴费支出")
    assert "全角数字" in err and "“2080505”" in err
    assert [f.entry.code for f in find("２０５ ０２ ０１")] == ["2050201"]
