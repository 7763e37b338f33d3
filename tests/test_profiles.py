"""Province differences are data: a profile picks tables, sections, order and numbering."""
from __future__ import annotations

import re
from decimal import Decimal

from discloser.package import build_document
from discloser.profile import available_profiles, load_profile
from helpers import HENAN, SHAANXI, loaded
from test_narrative import AMOUNT, table_figures


def test_shipped_profiles_load():
    assert {"shaanxi", "henan", "hubei"} <= set(available_profiles())
    for name in available_profiles():
        p = load_profile(name)
        assert p.tables and p.narrative


def test_hubei_sections_numbered_from_the_profile_and_figures_from_tables():
    doc = build_document(loaded(HENAN).budget, load_profile("hubei"))
    heads = [s.title for s in doc.sections if s.level == 2]
    assert heads[-7:] == ["一、预算收支安排及增减变化情况说明", "二、机关运行经费安排及增减变化情况说明",
                         "三、“三公”经费、培训费、会议费财政拨款预算情况", "四、政府采购预算安排及增减变化情况说明",
                         "五、国有资产占用及增减变化情况说明", "六、政府性基金预算支出情况说明", "七、2023年部门预算绩效情况说明"]
    text = "\n".join(p for s in doc.sections for p in s.paragraphs)
    figures = table_figures(doc) | {Decimal(0)}
    for change, number, unit in AMOUNT.findall(text):
        if not change:
            assert Decimal(number) in figures, number
    # 机关运行经费 itemized: the items add up to the total printed before them
    running = next(p for s in doc.sections if s.title == "二、机关运行经费安排及增减变化情况说明" for p in s.paragraphs)
    total, *items = [Decimal(x) for x in re.findall(r"(\d+\.\d{2})万元", running)]
    assert sum(items) == total == Decimal("17.76")
    assert "占预算总额的9.16%" in running      # 17.76 / 193.86


def test_dropping_a_section_renumbers_the_rest(tmp_path):
    custom = tmp_path / "mine.yaml"
    custom.write_text("extends: shaanxi\nname: mine\nnarrative:\n  - '# {scope}概况'\n  - shaanxi/tasks.j2\n"
                      "  - shaanxi/staffing.j2\n  - '# 其他情况'\n  - shaanxi/public_funds.j2\n", encoding="utf-8")
    doc = build_document(loaded(SHAANXI).budget, load_profile(str(custom)))
    assert [s.title for s in doc.sections] == ["第一部分 单位概况", "一、工作任务", "二、人员情况说明", "第二部分 其他情况", "三、公用经费情况说明"]


def test_gansu_prints_comparator_value_and_unit_in_separate_columns():
    doc = build_document(loaded(SHAANXI).budget, load_profile("gansu"))
    first = [t for t in doc.tables if t.key == "project_performance"][0]
    header = next(r for r in first.body if any(c.text == "指标值类型" for c in r.cells))
    assert [c.text for c in header.cells] == ["绩效指标", "一级指标", "二级指标", "三级指标", "指标值类型", "指标值", "度量单位", "指标值内容"]
    rows = [[c.text for c in r.cells] for r in first.body]
    assert ["服务群众满意度", "≥", "90", "%", ""] in [r[-5:] for r in rows]
    assert all(len(t.columns) == 8 for t in doc.tables if t.key == "project_performance")


def test_hubei_overview_table_shares_and_prior_years(tmp_path):
    text = HENAN.read_text(encoding="utf-8").replace(
        "    indicators:\n      - {level1: 投入管理指标",
        "    long_term_until: \"2026\"\n    history:\n      - {year: 2021, fiscal: 300000, other: 0, basic: 300000, project: 0}\n"
        "      - {year: 2022, fiscal: 315000, other: 0, basic: 215000, project: 100000}\n    indicators:\n      - {level1: 投入管理指标", 1)
    p = tmp_path / "h.yaml"
    p.write_text(text, encoding="utf-8")
    from discloser.validate import load
    result = load(p)
    assert not result.errors, [x.format() for x in result.errors]
    doc = build_document(result.budget, load_profile("hubei"))
    t = next(t for t in doc.tables if t.key == "department_performance")
    rows = [[c.text for c in r.cells] for r in t.body]
    assert ["收入构成", "财政拨款", "193.86", "100.00%", "30.00", "31.50"] in rows
    assert ["支出构成", "基本支出", "165.42", "85.33%", "30.00", "21.50"] in rows
    assert ["项目支出", "28.44", "14.67%", "", "10.00"] in rows
    assert any("长期目标（截止 2026 年）" in r for r in rows)
    bad = text.replace("{year: 2022, fiscal: 315000, other: 0, basic: 215000, project: 100000}", "{year: 2022, fiscal: 315000, other: 0, basic: 215000, project: 0}")
    p.write_text(bad, encoding="utf-8")
    assert any("收入合计" in x.message for x in load(p).errors)


def test_province_template_overrides_run_sandboxed(tmp_path):
    """A province's own section template and stylesheet are used; a template reaching for Python fails."""
    import subprocess
    import sys

    own = tmp_path / "own"
    (own / "narrative").mkdir(parents=True)
    (own / "html").mkdir()
    (own / "narrative" / "mine.j2").write_text("## 自定义章节\n本单位当年公用经费{{ n.amt(n.public) }}{{ n.unit }}。\n", encoding="utf-8")
    (own / "html" / "package.css").write_text("@page { size: A5; }\n", encoding="utf-8")
    prof = tmp_path / "mine.yaml"
    prof.write_text("extends: shaanxi\nname: mine\ntemplates: own\nnarrative:\n  - '# {scope}概况'\n  - mine.j2\n", encoding="utf-8")
    doc = build_document(loaded(SHAANXI).budget, load_profile(str(prof)))
    assert [s.title for s in doc.sections] == ["第一部分 单位概况", "一、自定义章节"]
    assert doc.sections[1].paragraphs == ["本单位当年公用经费116700元。"]
    r = subprocess.run([sys.executable, "-m", "discloser.cli", "build", str(SHAANXI), "-o", str(tmp_path / "out"),
                        "--formats", "pdf", "--profile", str(prof)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    from pypdf import PdfReader
    page = PdfReader(next((tmp_path / "out").glob("*.pdf"))).pages[0]
    assert round(float(page.mediabox.width)) == 420          # A5 from the province's stylesheet

    (own / "narrative" / "mine.j2").write_text("{{ n.__class__.__init__.__globals__ }}\n", encoding="utf-8")
    load_profile.cache_clear()
    r = subprocess.run([sys.executable, "-m", "discloser.cli", "build", str(SHAANXI), "-o", str(tmp_path / "bad"),
                        "--formats", "pdf", "--profile", str(prof)], capture_output=True, text=True)
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert f"{own / 'narrative' / 'mine.j2'}:1: 错误[template.unsafe] 模板不能访问 __" in r.stderr, r.stderr
    assert not (tmp_path / "bad").exists()


def test_no_task_block_when_no_tasks_are_typed(tmp_path):
    """A department whose performance targets list no 年度主要任务 gets no empty task heading in any form."""
    import yaml

    from discloser.package import build_document
    from discloser.validate import load

    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    data = yaml.safe_load((root / "examples" / "anping-gazetteer-office-2025.yaml").read_text(encoding="utf-8"))
    assert data["performance"]["department"].pop("tasks")
    path = tmp_path / "b.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    for profile in ("national", "shaanxi", "henan", "hubei", "gansu", "jiangxi", "shanghai"):
        loaded = load(path, profile)
        assert not loaded.errors, (profile, loaded.errors[:2])
        doc = build_document(loaded.budget, loaded.profile, loaded.catalog)
        texts = {c.text for t in doc.tables for r in t.body for c in r.cells}
        assert "年度主要任务" not in texts and "任务名称" not in texts, profile


def test_discloser_profiles_counts_the_tables_a_package_publishes(capsys):
    """`discloser profiles` says how many tables a package of each profile has: a 部门 package and a 单位 one
    (Shanghai's 1. is one form per scope: 9 tables, not 10 — trialH-s28 D8)."""
    from discloser import cli
    from helpers import ROOT, built_with

    assert cli.main(["profiles"]) == 0
    said = dict(re.match(r"(\S+)\s+\S+：(.+)，", line).groups() for line in capsys.readouterr().out.splitlines())
    for name in available_profiles():
        counts = {}
        for scope, department in (("部门", "anping-culture-sports-2025"), ("单位", "anping-land-reserve-2025")):
            loaded_, doc = built_with(ROOT / "tests" / "departments" / f"{department}.yaml", name)
            assert loaded_.budget.scope == scope
            counts[scope] = len({t.key for t in doc.tables})
        numbers = re.findall(r"(\d+) 张表", said[name])
        assert [int(n) for n in numbers] == ([counts["部门"]] if counts["部门"] == counts["单位"] else list(counts.values())), (name, said[name], counts)
