"""Units and projects in one order in every table, the 本级 found by what it is, and no per-unit row
without money (trial Q, s25: Q2, Q5, Q6), read from the built Document and the .xlsx of a department whose
file lists its units out of code order with the 本级 second (tests/departments/anping-culture-sports-2025.yaml)."""
from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
import yaml

from discloser.profile import available_profiles
from discloser.tables.model import Kind
from helpers import built_with, write

DEPT = Path(__file__).resolve().parent / "departments" / "anping-culture-sports-2025.yaml"
PROFILES = available_profiles()
PER_UNIT = {"henan", "hubei", "national", "shaanxi"}                       # profiles with tables of a row per unit
PROJECT_LISTS = PER_UNIT | {"gansu", "jiangxi"}    # … listing several projects, and so their units (实施单位)


def _data() -> dict:
    return yaml.safe_load(DEPT.read_text(encoding="utf-8"))


def _with_an_empty_unit(tmp_path: Path) -> Path:
    """The department plus a unit with no money at all, listed first (trial Q's H: it got a blank row)."""
    data = _data()
    data["organization"]["units"].insert(0, {"code": "419004", "name": "安平县美术馆", "kind": "事业单位"})
    path = tmp_path / "with-empty-unit.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _unit_of(text: str, units: dict[str, str]) -> str | None:
    """The unit code a cell names: its code, or its name (the Henan and procurement tables print names)."""
    text = text.strip()
    return text if text in units else next((c for c, n in units.items() if n == text), None)


@pytest.mark.parametrize("profile", PROFILES)
def test_every_table_lists_units_in_code_order_and_projects_as_the_project_table_does(profile):
    data = _data()
    units = {u["code"]: u["name"] for u in data["organization"]["units"]}
    assert list(units) != sorted(units)   # the file's order is not the code order
    # the expected order, from the input alone: units by code, each unit's projects as `projects:` lists them
    # (no 类别 or 项目组 here); a project is a form of its own in some profiles, so forms are read per number
    order = [p["name"] for code in sorted(units) for p in data["projects"] if p["unit"] == code]
    _, doc = built_with(DEPT, profile)
    seen_units = seen_projects = 0
    units_by_number: dict[str, list[str]] = {}
    projects_by_number: dict[str, list[str]] = {}
    for t in doc.tables:
        cells = [c.text.strip() for r in t.body for c in r.cells]
        units_by_number.setdefault(t.number, []).extend(u for c in cells if (u := _unit_of(c, units)))
        projects_by_number.setdefault(t.number, []).extend(c for c in cells if c in order)
    for number, listed in units_by_number.items():
        listed = list(dict.fromkeys(listed))
        assert listed == sorted(listed), (profile, number, listed)
        seen_units += len(listed) > 1
    for number, names in projects_by_number.items():
        names = list(dict.fromkeys(names))
        assert names == [n for n in order if n in names], (profile, number, names)
        seen_projects += len(names) > 1
    # the checks met tables of several units and of several projects where the profile prints them
    assert (seen_units > 0, seen_projects > 0) == (profile in PROJECT_LISTS,) * 2, (seen_units, seen_projects)


@pytest.mark.parametrize("profile", PROFILES)
def test_no_table_prints_a_unit_row_without_money(profile, tmp_path):
    """One rule for every per-unit table (收入总表, 功能/经济分类, 项目, “三公”): a unit with no money in the
    table's scope has no row — the 三公 tables printed one of blanks while the 基金 tables left it out."""
    path = _with_an_empty_unit(tmp_path)
    units = {u["code"]: u["name"] for u in _data()["organization"]["units"]} | {"419004": "安平县美术馆"}
    _, doc = built_with(path, profile)
    per_unit_rows = 0
    for t in doc.tables:
        for r in t.body:
            money = [c for c in r.cells if c.kind is Kind.money]
            if money and any(_unit_of(c.text, units) for c in r.cells[:3]):
                per_unit_rows += 1
                assert any(c.text.strip() for c in money), (profile, t.number, t.title, [c.text for c in r.cells])
        assert not any(_unit_of(c.text, {"419004": "安平县美术馆"}) for r in t.body for c in r.cells), (profile, t.number)
    assert bool(per_unit_rows) == (profile in PER_UNIT), per_unit_rows


def test_the_three_public_tables_list_only_the_units_with_three_public_money():
    """national 表7 and Shaanxi 表12 (trial Q6): the 三公 money is 419001's; Shaanxi's 培训费 is 419002's too."""
    _, doc = built_with(DEPT, "national")
    t7 = next(t for t in doc.tables if t.number == "表7")
    assert [r.cells[0].text for r in t7.body] == ["", "419001"]
    _, doc = built_with(DEPT, "shaanxi")
    t12 = next(t for t in doc.tables if t.number == "表12")
    assert [r.cells[0].text for r in t12.body] == ["", "419001", "419002"]
    assert t12.body[2].cells[-1].text == "5,000.00"


def test_jiangxi_prints_the_departments_own_code_whatever_unit_the_file_lists_first(tmp_path):
    """主管部门及代码 is the 本级's code (the reference: 柴桑区医疗保障局327001), not the first-listed unit's
    (419003, a 事业单位); read from the Document and from the .xlsx cells."""
    _, doc = built_with(DEPT, "jiangxi")
    forms = [t for t in doc.tables if t.number == "表2"]
    assert len(forms) == 5
    for t in forms:
        row = next(r for r in t.body if r.cells[0].text == "主管部门及代码")
        assert row.cells[1].text == "安平县文化旅游体育局419001"
    out = tmp_path / "jiangxi.xlsx"
    write("xlsx", doc, out, profile_name="jiangxi")
    book = openpyxl.load_workbook(out)
    sheets = [ws for ws in book.worksheets if ws.title.startswith("表2")]
    assert len(sheets) == 5
    for ws in sheets:
        cells = [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
        assert "主管部门及代码" in cells and "安平县文化旅游体育局419001" in cells, ws.title
        assert not any("419003" in c for c in cells if c.startswith("安平县文化旅游体育局")), ws.title


def test_the_benji_is_the_unit_named_as_the_department_else_the_one_coded_as_it_else_the_first_listed():
    """`Organization.home_unit`: never the smallest code by accident."""
    from discloser.model import Organization

    def org(units, name="某县某局", code="500"):
        return Organization(name=name, code=code, kind="行政单位",
                            units=[{"code": c, "name": n, "kind": "行政单位"} for c, n in units])

    assert org([("500002", "某县某中心"), ("500009", "某县某局本级")]).home_unit().code == "500009"
    assert org([("500002", "某县某中心"), ("500009", "某县某局")]).home_unit().code == "500009"
    assert org([("500002", "某县某中心"), ("500", "某局机关")]).home_unit().code == "500"
    assert org([("500009", "某局机关"), ("500002", "某县某中心")]).home_unit().code == "500009"
    assert [u.code for u in org([("500009", "某局机关"), ("500002", "某县某中心")]).all_units()] == ["500002", "500009"]


def test_a_department_named_without_its_county_still_finds_its_benji_and_validate_says_it_was_guessed(tmp_path):
    """trialE-s27 D6: named 文化旅游体育局 (its units 安平县…), the department got its first-listed unit, the 事业
    center 419003, as 本级 — in the 说明 and as Jiangxi's 主管部门及代码 — without a word. The unit whose name ends
    with the department's is the 本级 now, and validate warns at the name that it was guessed and how to say it."""
    from discloser.validate import load

    data = _data()
    units = data["organization"]["units"]
    assert units[0]["kind"] == "事业单位" and units[1]["name"] == "安平县文化旅游体育局本级"
    data["organization"]["name"] = "文化旅游体育局"
    path = tmp_path / "renamed.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    home = units[1]
    [p] = [p for p in load(path, "jiangxi").warnings if p.rule == "unit.home-guessed"]
    assert f"{home['code']} {home['name']}" in p.message and "organization.name" in p.message
    assert p.locations[0].line == next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                                       if line.strip() == "name: 文化旅游体育局")
    _, doc = built_with(path, "jiangxi")
    for t in (t for t in doc.tables if t.number == "表2"):
        row = next(r for r in t.body if r.cells[0].text == "主管部门及代码")
        assert row.cells[1].text == "文化旅游体育局" + home["code"]
    _, doc = built_with(path, "hubei")
    listed = [p for s in doc.sections for p in s.paragraphs if p[:2] in ("1.", "2.", "3.") and "安平县" in p]
    assert listed[0] == "1." + home["name"]
    assert not [p for p in load(DEPT).warnings if p.rule == "unit.home-guessed"]      # named exactly: no guess


def test_without_a_name_match_the_benji_is_a_xingzheng_unit_before_the_first_listed():
    from discloser.model import Organization

    def choice(units, name="某县某局"):
        org = Organization(name=name, code="500", kind="行政单位",
                           units=[{"code": c, "name": n, "kind": k} for c, n, k in units])
        u, how = org.home_unit_choice()
        return u.code, how

    centre, bureau = ("500003", "某县某中心", "事业单位"), ("500001", "某局机关", "行政单位")
    assert choice([centre, bureau]) == ("500001", "admin")
    assert choice([centre, ("500002", "某县另一中心", "事业单位")]) == ("500003", "first")
    assert choice([centre, ("500001", "某县某局本级", "行政单位")]) == ("500001", "name")
    assert choice([centre, ("500001", "某市某县某局", "行政单位")]) == ("500001", "name-end")
    assert choice([centre, ("500001", "某局", "行政单位")]) == ("500001", "name-end")          # the department's name ends with it
    assert choice([("500004", "某县某局培训中心", "事业单位"), centre, bureau]) == ("500004", "name-part")


def test_the_narratives_call_the_benji_benji_whatever_unit_the_file_lists_first():
    """Hubei marked the first-listed unit “（本级）” and Shanghai called it the 本部: here 419003, a 事业单位."""
    _, doc = built_with(DEPT, "hubei")
    listed = [p for s in doc.sections for p in s.paragraphs if p[:2] in ("1.", "2.", "3.") and "安平县" in p]
    assert listed == ["1.安平县文化旅游体育局本级", "2.安平县文化馆", "3.安平县体育运动服务中心"]
    _, doc = built_with(DEPT, "shanghai")
    paragraphs = [p for s in doc.sections for p in s.paragraphs]
    assert "1.安平县文化旅游体育局本级。" in paragraphs
    assert any(p.startswith("安平县文化旅游体育局部门预算是包括安平县文化旅游体育局本部以及下属2家事业单位") for p in paragraphs)
