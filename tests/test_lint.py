"""Publication lint (issue 16): each rule fires on the text an inspector would flag, at its place, and
stays quiet on the near miss that is correct; a profile switches any of them off; the shipped examples
have none. The narrative self-check runs in `build`, on the rendered Document, never in `validate`."""
from __future__ import annotations

import dataclasses
from decimal import Decimal
from pathlib import Path

import pytest

from discloser.build import build
from discloser.lint import check_document
from discloser.package import build_document
from discloser.rules import RULES
from discloser.tables.model import Section
from discloser.validate import load
from helpers import EXAMPLES, ROOT, SHAANXI

BASE = (ROOT / "tests" / "corpus" / "base.yaml").read_text(encoding="utf-8")
TASK = "    - 完成年度档案接收和数字化工作。"          # organization.tasks[0], line 12
TASK_LINE = 12


def budget(tmp_path: Path, *changes: tuple[str, str], name: str = "budget.yaml") -> Path:
    text = BASE
    for old, new in changes:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def task(text: str) -> tuple[str, str]:
    return TASK, f"    - {text}"


def found(path: Path, rule: str, profile: str | None = None) -> list:
    return [p for p in load(path, profile).problems if p.rule == rule]


def lint_ids() -> list[str]:
    return [r for r in RULES if r.startswith("lint.")]


def test_the_base_budget_and_every_example_have_no_lint_warning(tmp_path):
    # the base budget has no prior_year: prior.missing names what the 说明 would compare; its 年度工作任务, the lint
    # rules' carrier of text, is one the national 说明 does not print: facts.unused
    assert [p.rule for p in load(budget(tmp_path)).problems] == ["prior.missing", "facts.unused"]
    for example in sorted(EXAMPLES.glob("*.yaml")):
        lint = [p.format() for p in load(example).problems if p.rule.startswith(("lint.", "text."))]
        assert lint == [], example


def test_every_lint_rule_is_a_warning_with_an_id_and_summary():
    assert set(lint_ids()) == {"lint.placeholder", "lint.year", "lint.doubled", "lint.merged-item", "lint.unit-mix", "lint.change-reason",
                               "lint.empty-reason", "lint.scope-naming", "lint.three-public", "lint.running-costs",
                               "lint.narrative-figures", "lint.rounding"}
    for rule_id in lint_ids():
        severity, summary, _ = RULES[rule_id]
        assert severity == "warning" and summary, rule_id


# ------------------------------------------------------------------ lint.placeholder

@pytest.mark.parametrize("text, word", [("完成XX县档案接收。", "XX"), ("完成××档案馆的接收。", "××"), ("【】年度任务。", "【】"),
                                        ("年度任务待填写。", "待填写"), ("【此处填写任务】", "此处"), ("完成某某项目。", "某某"),
                                        ("完成____项任务。", "____")])
def test_placeholder_fires(tmp_path, text, word):
    [p] = found(budget(tmp_path, task(text)), "lint.placeholder")
    assert p.severity == "warning" and word in p.message
    assert (p.locations[0].line, p.locations[0].field) == (TASK_LINE, "organization.tasks[0]")


@pytest.mark.parametrize("text", ["完成X光机和XML目录的更新。", "完成档案接收，此外还有其他。".replace("此外", "另外"), "【重点】完成档案接收。"])
def test_placeholder_quiet_on_real_text(tmp_path, text):
    assert found(budget(tmp_path, task(text)), "lint.placeholder") == []


def test_placeholder_leaves_the_gap_marker_to_gap_value(tmp_path):
    path = budget(tmp_path, task("待填"))
    rules = {p.rule for p in load(path).problems}
    assert "gap.value" in rules and "lint.placeholder" not in rules


# ------------------------------------------------------------------ lint.year

@pytest.mark.parametrize("text, year", [("完成2023年度档案接收。", "2023"), ("落实2024年部门预算。", "2024"),
                                        ("编制2028年工作任务。", "2028"), ("完成二〇二三年度任务。", "二〇二三")])
def test_year_fires_on_a_budget_year_other_than_this_and_last(tmp_path, text, year):
    [p] = found(budget(tmp_path, task(text)), "lint.year")
    assert year in p.message and "2026" in p.message and p.locations[0].line == TASK_LINE


@pytest.mark.parametrize("text", ["完成2026年度档案接收。", "完成2025年度结转任务。", "2019年机构改革后，职能划入本馆。",
                                  "落实《关于2019年度工作的报告》。"])
def test_year_quiet_on_this_year_last_year_history_and_titles(tmp_path, text):
    assert found(budget(tmp_path, task(text)), "lint.year") == []


def test_year_not_checked_in_long_term_fields(tmp_path):
    path = budget(tmp_path, ("      goal: 完成馆藏档案数字化。", "      goal: 完成馆藏档案数字化。\n      long_term_goal: 到2030年度全部完成。"))
    assert found(path, "lint.year") == []


# ------------------------------------------------------------------ lint.doubled

@pytest.mark.parametrize("text, shown", [("完成档案档案接收。", "档案档案"), ("完成预算预算编制。", "预算预算"),
                                         ("完成接收，，整理。", "，，"), ("完成接收。。", "。。"), ("完成接收，。", "，。")])
def test_doubled_fires(tmp_path, text, shown):
    [p] = found(budget(tmp_path, task(text)), "lint.doubled")
    assert shown in p.message and p.locations[0].line == TASK_LINE


@pytest.mark.parametrize("text", ["认认真真完成档案接收……", "完成接收——整理、保管。", "完成“三公”经费公开。"])
def test_doubled_quiet_on_reduplication_ellipsis_and_dashes(tmp_path, text):
    assert found(budget(tmp_path, task(text)), "lint.doubled") == []


# ------------------------------------------------------------------ lint.unit-mix

def test_unit_mix_fires(tmp_path):
    [p] = found(budget(tmp_path, task("安排经费3万元，其中办公费5000元。")), "lint.unit-mix")
    assert "“3万元”" in p.message and "“5000元”" in p.message and p.locations[0].line == TASK_LINE


@pytest.mark.parametrize("text", ["安排经费3万元，其中办公费0.5万元。", "按人均不低于1元标准安排，共计3万元。",
                                  "购置单价50万元以上的设备，共计1200元。".replace("共计1200元", "共计120万元")])
def test_unit_mix_quiet_on_one_unit_and_rates(tmp_path, text):
    assert found(budget(tmp_path, task(text)), "lint.unit-mix") == []


# ------------------------------------------------------------------ lint.change-reason

def test_change_reason_fires(tmp_path):
    [p] = found(budget(tmp_path, task("档案经费较上年增加2万元。")), "lint.change-reason")
    assert "较上年增加2万元" in p.message and p.locations[0].line == TASK_LINE


@pytest.mark.parametrize("text", ["档案经费较上年增加2万元，主要原因是新增数字化项目。", "档案经费与上年持平。",
                                  "档案经费较上年减少1万元，由于压减一般性支出。"])
def test_change_reason_quiet_with_a_reason(tmp_path, text):
    assert found(budget(tmp_path, task(text)), "lint.change-reason") == []


def test_change_reason_quiet_where_the_profile_states_no_reasons(tmp_path):
    profile = tmp_path / "mine.yaml"
    profile.write_text("extends: national\nname: mine\nrules_off: [prior.reason]\n", encoding="utf-8")
    path = budget(tmp_path, task("档案经费较上年增加2万元。"))
    assert found(path, "lint.change-reason", str(profile)) == []


# ------------------------------------------------------------------ lint.empty-reason

REASONS = "  - {source: 一般公共预算拨款, amount: 150000}"


def reason(key: str, text: str) -> tuple[str, str]:
    return "revenues:\n" + REASONS, f"empty_table_reasons:\n  {key}: {text}\nrevenues:\n" + REASONS


@pytest.mark.parametrize("key, text, words", [
    ("no_such_table", "本单位无此项。", ["no_such_table", "gov_fund"]),
    ("gov_fund", "本单位按规定编制了预算。", ["政府性基金预算支出表", "为什么是空表"]),
    ("gov_fund", "本单位无国有资本经营预算拨款，故本表为空表。", ["国有资本经营", "政府性基金"]),
])
def test_empty_reason_fires(tmp_path, key, text, words):
    [p] = found(budget(tmp_path, reason(key, text)), "lint.empty-reason")
    assert all(w in p.message for w in words), p.message
    assert p.locations[0].field == f"empty_table_reasons.{key}" and p.locations[0].line == 14


def test_empty_reason_quiet_on_the_right_fund(tmp_path):
    path = budget(tmp_path, reason("gov_fund", "本单位2026年没有政府性基金预算拨款，故本表为空表。"))
    assert found(path, "lint.empty-reason") == []


# ------------------------------------------------------------------ lint.scope-naming

@pytest.mark.parametrize("text, word", [("本部门完成年度档案接收。", "本部门"), ("落实2026年部门预算。", "2026年部门预算")])
def test_scope_naming_fires_in_a_unit_package(tmp_path, text, word):
    [p] = found(budget(tmp_path, task(text)), "lint.scope-naming")
    assert f"“{word}”" in p.message and "单位预算" in p.message and p.locations[0].line == TASK_LINE


def test_scope_naming_fires_in_a_department_package(tmp_path):
    path = budget(tmp_path, ("scope: 单位", "scope: 部门"), task("做好本单位预算公开。"))
    [p] = found(path, "lint.scope-naming")
    assert "单位预算" in p.message and p.locations[0].line == TASK_LINE


def test_scope_naming_fires_on_a_unit_package_with_several_units(tmp_path):
    units = ("  divisions: [综合股, 业务股]", "  divisions: [综合股, 业务股]\n  units:\n"
             "    - {code: \"901001\", name: 示例县档案馆, kind: 行政单位}\n    - {code: \"901002\", name: 示例县档案服务中心, kind: 事业单位}")
    [p] = found(budget(tmp_path, units), "lint.scope-naming")
    assert "2 个所属单位" in p.message and p.locations[0].field == "scope"


@pytest.mark.parametrize("scope, text", [("单位", "接受主管部门指导，按部门经济分类编制。"), ("部门", "汇总所属单位预算。"),
                                         ("单位", "做好本单位预算公开。"), ("单位", "按照部门预算管理要求编制。"),
                                         ("部门", "部门预算由本级和所属单位预算组成。")])
def test_scope_naming_quiet_on_consistent_words(tmp_path, scope, text):
    path = budget(tmp_path, ("scope: 单位", f"scope: {scope}"), task(text))
    assert found(path, "lint.scope-naming") == []


# ------------------------------------------------------------------ lint.three-public

def prior_items(total: int, abroad: int, reception: int, cars: int) -> tuple[str, str]:
    return ("revenues:", "prior_year:\n  items:\n"
            f"    三公经费: {{amount: {total}, reason: 压减}}\n    因公出国（境）费: {{amount: {abroad}, reason: 压减}}\n"
            f"    公务接待费: {{amount: {reception}, reason: 压减}}\n    公务用车购置及运行费: {{amount: {cars}, reason: 压减}}\n"
            "revenues:")


def test_three_public_fires_on_prior_year_parts(tmp_path):
    [p] = found(budget(tmp_path, prior_items(5000, 0, 3000, 1000)), "lint.three-public")
    assert "5000 元" in p.message and "4000 元" in p.message and "相差 1000 元" in p.message
    assert [loc.line for loc in p.locations] == [15, 16, 17, 18]


def test_three_public_fires_on_a_text(tmp_path):
    text = "“三公”经费预算3.00万元，其中因公出国（境）费0.00万元、公务接待费1.00万元、公务用车购置及运行费1.00万元。"
    [p] = found(budget(tmp_path, task(text)), "lint.three-public")
    assert "30000 元" in p.message and "20000 元" in p.message and p.locations[0].line == TASK_LINE


def test_three_public_quiet_when_parts_add_up(tmp_path):
    assert found(budget(tmp_path, prior_items(4000, 0, 3000, 1000)), "lint.three-public") == []
    text = "“三公”经费预算2.00万元，其中因公出国（境）费0.00万元、公务接待费1.00万元、公务用车购置及运行费1.00万元。"
    assert found(budget(tmp_path, task(text)), "lint.three-public") == []
    # whole 万元 are rounded: 3 = 0.4 + 1.4 + 1.4 may print as 0 + 1 + 1, so that is not flagged
    text = "“三公”经费预算3万元，其中因公出国（境）费0万元、公务接待费1万元、公务用车购置及运行费1万元。"
    assert found(budget(tmp_path, task(text)), "lint.three-public") == []


# ------------------------------------------------------------------ lint.running-costs

def test_running_costs_fires_on_a_wrong_figure(tmp_path):
    # the base budget's 机关运行经费: 公用经费 of a 行政单位 from 一般公共预算 = 30000 元
    [p] = found(budget(tmp_path, task("本年机关运行经费2.5万元，主要用于办公。")), "lint.running-costs")
    assert "25000 元" in p.message and "30000 元" in p.message and p.locations[0].line == TASK_LINE


@pytest.mark.parametrize("text", ["本年机关运行经费3万元，主要用于办公。", "机关运行经费30000元。", "机关运行经费3.00万元。",
                                  "机关运行经费较上年增加1万元，主要原因是办公用房维修。"])
def test_running_costs_quiet_on_the_figure_or_a_change(tmp_path, text):
    assert found(budget(tmp_path, task(text)), "lint.running-costs") == []


def test_running_costs_compares_last_year_with_the_prior_figure(tmp_path):
    prior = ("revenues:", "prior_year:\n  items:\n    机关运行经费: {amount: 20000, reason: 办公用房维修}\nrevenues:")
    assert found(budget(tmp_path, prior, task("上年机关运行经费2万元。")), "lint.running-costs") == []
    [p] = found(budget(tmp_path, prior, task("上年机关运行经费2.5万元。")), "lint.running-costs")
    assert "上年机关运行经费" in p.message and "20000 元" in p.message


# ------------------------------------------------------------------ switched off by the profile

@pytest.mark.parametrize("rule_id, text", [("lint.placeholder", "完成XX县档案接收。"), ("lint.doubled", "完成档案档案接收。"),
                                           ("lint.year", "完成2023年度档案接收。"), ("lint.unit-mix", "共计3万元，其中5000元。")])
def test_a_profile_switches_a_lint_rule_off(tmp_path, rule_id, text):
    path = budget(tmp_path, task(text))
    assert found(path, rule_id)
    profile = tmp_path / "mine.yaml"
    profile.write_text(f"extends: national\nname: mine\nrules_off: [{rule_id}]\n", encoding="utf-8")
    assert found(path, rule_id, str(profile)) == []


# ------------------------------------------------------------------ lint.narrative-figures (build)

def test_narrative_figures_quiet_on_what_the_package_prints(tmp_path):
    loaded = load(budget(tmp_path))
    doc = build_document(loaded.budget, loaded.profile, loaded.catalog)
    assert [p for p in check_document(doc, loaded.budget, "b.yaml", loaded.profile) if p.severity != "notice"] == []


def test_narrative_figures_fires_on_a_figure_no_table_has(tmp_path):
    loaded = load(budget(tmp_path))
    doc = build_document(loaded.budget, loaded.profile, loaded.catalog)
    wrong = Section("一、收支预算总体情况", 2, ["收入总计15.00万元，其中一般公共预算拨款14.50万元，占96.67%。"])
    doc = dataclasses.replace(doc, sections=[*doc.sections, wrong])
    [p] = check_document(doc, loaded.budget, "b.yaml", loaded.profile)
    assert p.rule == "lint.narrative-figures" and p.severity == "warning"
    assert "14.50万元" in p.message and "96.67%" in p.message and "15.00万元" not in p.message.split("在表中")[0]
    assert p.locations[0].field == "说明 一、收支预算总体情况"


def test_narrative_figures_quiet_on_procurement_the_profile_has_no_table_for():
    """National has no 政府采购 table; its 说明 states the procurement total and parts (a trial's 卫健委
    got “119.50万元 在表中找不到”)."""
    from helpers import YONGAN, built_with

    loaded, doc = built_with(YONGAN, "national")
    assert not any(t.key == "procurement" for t in doc.tables)
    assert "119.50万元" in "".join(p for s in doc.sections for p in s.paragraphs)
    assert [p for p in check_document(doc, loaded.budget, "b.yaml", loaded.profile) if p.severity != "notice"] == []


def test_narrative_figures_accepts_changes_and_shares(tmp_path):
    prior = ("revenues:", "prior_year:\n  general: {amount: 140000, reason: 新增数字化项目}\nrevenues:")
    loaded = load(budget(tmp_path, prior))
    doc = build_document(loaded.budget, loaded.profile, loaded.catalog)
    text = "\n".join(p for s in doc.sections for p in s.paragraphs)
    assert "较上年增加1.00万元" in text and "增长7.14%" in text and "86.67%" in text   # 1.00 = 15 − 14; 7.14 = 1/14; 13/15
    assert [p for p in check_document(doc, loaded.budget, "b.yaml", loaded.profile) if p.severity != "notice"] == []


def user_template_profile(tmp_path: Path, sentence: str) -> Path:
    """A user profile whose own 收支总体情况 section prints `sentence` (a province template with a typo)."""
    folder = tmp_path / "tpl" / "narrative" / "national"
    folder.mkdir(parents=True)
    (folder / "overall.j2").write_text(f"## 收支预算总体情况\n{sentence}\n", encoding="utf-8")
    profile = tmp_path / "mine.yaml"
    profile.write_text("extends: national\nname: mine\ntemplates: tpl\n", encoding="utf-8")
    return profile


def test_build_warns_and_strict_refuses_when_the_narrative_disagrees(tmp_path):
    profile = user_template_profile(tmp_path, "收入总计{{ n.amt(n.revenue_total) }}{{ n.unit }}，支出总计16.00万元。")
    source = budget(tmp_path)
    result = build(source, tmp_path / "out", ("json",), profile=str(profile))
    [p] = [p for p in result.loaded.problems if p.rule == "lint.narrative-figures"]
    assert "16.00万元" in p.message and "15.00万元" not in p.message.split("在表中")[0]
    assert result.written and not result.refused   # a warning: the package is written
    strict = build(source, tmp_path / "strict", ("json",), profile=str(profile), strict=True)
    assert strict.refused and not (tmp_path / "strict").exists()


def test_validate_does_not_render(tmp_path, monkeypatch):
    """The self-check needs the rendered 说明, so it runs in build only: validate never renders."""
    import discloser.package

    def no(*args, **kwargs):
        raise AssertionError("validate rendered the package")

    monkeypatch.setattr(discloser.package, "build_document", no)
    monkeypatch.setattr(discloser.package, "render_narrative", no)
    result = load(budget(tmp_path, task("档案经费较上年增加2万元。")))
    assert {p.rule for p in result.problems} == {"lint.change-reason", "prior.missing", "facts.unused"}   # (see above)


def test_narrative_figures_switched_off_by_the_profile(tmp_path):
    profile = user_template_profile(tmp_path, "支出总计16.00万元。")
    (tmp_path / "mine.yaml").write_text("extends: national\nname: mine\ntemplates: tpl\nrules_off: [lint.narrative-figures]\n",
                                        encoding="utf-8")
    result = build(budget(tmp_path), tmp_path / "out", ("json",), profile=str(profile))
    assert not [p for p in result.loaded.problems if p.rule == "lint.narrative-figures"] and result.written


def test_money_amounts_in_the_check_are_exact_decimals():
    from discloser.lint import amount_after
    import re

    value, precision, last_year, _ = amount_after("机关运行经费12.34万元。", re.compile("机关运行经费"))
    assert (value, precision, last_year) == (Decimal("123400.00"), Decimal(100), False)


def test_narrative_figures_quiet_on_every_example_and_kept_department_in_every_profile():
    """The self-check knows the figures the 说明 states by definition (`Document.stated`): a trial's
    自然资源局 (行政 + 参公 + 事业 units) had its 机关运行经费, its change and the projects' 预算资金 called
    strays in Hubei and national, and `build --strict` refused the correct package."""
    from discloser.profile import available_profiles
    from helpers import EXAMPLES, built_with

    kept = sorted((Path(__file__).resolve().parent / "departments").glob("*.yaml"))
    checked = 0
    for profile in available_profiles():
        for source in [*sorted(EXAMPLES.glob("*.yaml")), *kept]:
            if load(source, profile).errors:
                continue          # a fact the profile needs is missing (tests/helpers.py)
            loaded, doc = built_with(source, profile)
            found = [p for p in check_document(doc, loaded.budget, str(source), loaded.profile) if p.severity != "notice"
                     and (p.rule != "lint.rounding" or "no-rounding-within-a-cent" not in source.name)]   # kept for it
            assert found == [], (source.name, profile)
            checked += 1
    assert checked >= 50


def test_a_rounding_that_cannot_keep_a_cent_is_a_warning_in_build_and_preview(tmp_path):
    """Deriving found that no 万元 rounding keeps every figure within a cent: the clerk is told (it used
    to stay in the Document, unread), `--strict` refuses, and the preview lists it too."""
    from discloser.preview.render import render

    source = Path(__file__).resolve().parent / "departments" / "generated-no-rounding-within-a-cent-2024.yaml"
    result = build(source, tmp_path / "out", ("json",))
    [p] = [p for p in result.loaded.problems if p.rule == "lint.rounding"]
    assert p.severity == "warning" and "万元舍入" in p.message and "1 个印出的合计" in p.message
    assert result.written and not result.refused
    assert build(source, tmp_path / "strict", ("json",), strict=True).refused
    assert any(p.rule == "lint.rounding" for p in render(str(source)).problems)


def test_prior_year_items_no_section_uses_are_named():
    """A trial typed prior-year figures (with reasons) for 政府性基金预算拨款支出 and 国有资本经营预算拨款支出:
    neither Hubei's nor the national 说明 states them, and nothing said so. Now a notice names them; an
    item the 说明 does use (Hubei: 公务接待费) is not named."""
    from helpers import built_with

    source = Path(__file__).resolve().parent / "departments" / "yunxi-resources-2025.yaml"
    for profile in ("hubei", "national"):
        loaded, doc = built_with(source, profile)
        [p, *_] = [p for p in check_document(doc, loaded.budget, str(source), loaded.profile) if p.rule == "prior.unused"]
        assert p.severity == "notice" and "政府性基金预算拨款支出" in p.message and "国有资本经营预算拨款支出" in p.message
        assert "公务接待费" not in p.message, profile
    # not only items: the 功能/经济科目 figures and the totals (a second trial's 301–310 with reasons printed nowhere
    # in three profiles), and reasons a 说明 states a change without (Shanghai's 功能科目 lines)
    text = lambda d: "".join(p for s in d.sections for p in s.paragraphs)  # noqa: E731
    loaded, doc = built_with(source, "national")
    [unused] = [p.message for p in check_document(doc, loaded.budget, str(source), loaded.profile) if p.rule == "prior.unused"]
    assert "部门经济科目 301" in unused and "规划编制委托业务费减少" not in text(doc)      # 302's reason: printed nowhere
    assert "功能科目 2200101" not in unused and "人员调入及工资正常调整" in text(doc)     # national states it
    loaded, doc = built_with(source, "shanghai")
    unused, unsaid = [p.message for p in check_document(doc, loaded.budget, str(source), loaded.profile) if p.rule == "prior.unused"]
    assert "功能科目 2200101" in unsaid and "增减原因" in unsaid and "人员调入及工资正常调整" not in text(doc)
    assert "收支总计" in unused and "功能科目 2200101" not in unused


def test_a_long_placeholder_is_quoted_short(tmp_path):
    """A 300-character “XXX…” indicator name came back twice in full: a 700-character message line (a trial)."""
    from discloser.validate import load

    text = SHAANXI.read_text(encoding="utf-8").replace("name: 麟游县医疗保障经办机构", "name: 麟游县医疗保障经办机构" + "X" * 300, 1)
    path = tmp_path / "long.yaml"
    path.write_text(text, encoding="utf-8")
    [p] = [p for p in load(path).problems if p.rule == "lint.placeholder"]
    assert "X" * 21 not in p.message and len(p.message) < 120, p.message


def test_merged_item_fires_on_a_list_item_indented_one_space_too_deep(tmp_path):
    """Trial A D8: five spaces before a task's “- ” (four above) made it the end of the task above, silently."""
    from discloser.validate import load
    from helpers import ROOT

    source = ROOT / "tests" / "departments" / "liuwan-town-2025.yaml"
    lines = source.read_text(encoding="utf-8").splitlines()
    n = next(i for i, line in enumerate(lines) if line.startswith("    - ") and i and lines[i - 1].startswith("    - ")
             and lines[i - 1].rstrip().endswith("。"))
    assert not [p for p in load(source).warnings if p.rule == "lint.merged-item"]
    lines[n] = " " + lines[n]
    path = tmp_path / "indent.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    [p] = [p for p in load(path).warnings if p.rule == "lint.merged-item"]
    assert p.locations[0].line == n and "缩进" in p.message
