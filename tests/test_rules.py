"""Every validation rule: one input that trips it, and the example that passes it."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from discloser.rules import RULES
from discloser.validate import load
from helpers import EXAMPLES, SHAANXI

TEXT = SHAANXI.read_text(encoding="utf-8")
ANPING = EXAMPLES / "anping-education-2025.yaml"
LINES = TEXT.splitlines()


def write(tmp_path: Path, text: str, name: str = "budget.yaml") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def mutate(old: str, new: str, count: int = 1) -> str:
    assert old in TEXT, old
    return TEXT.replace(old, new, count)


def rules_of(result, severity: str | None = None) -> set[str]:
    return {p.rule for p in result.problems if severity is None or p.severity == severity}


def line_of(fragment: str) -> int:
    return next(n for n, line in enumerate(LINES, 1) if fragment in line)


def test_example_passes_every_rule():
    result = load(SHAANXI)
    assert result.problems == []


def test_every_rule_has_a_failing_case_below():
    """Here, in test_lint.py (the publication lint) or in the hostile-input corpus's manifest."""
    here = Path(__file__).parent
    src = "".join((here / name).read_text(encoding="utf-8") for name in ("test_rules.py", "test_lint.py"))
    import yaml

    manifest = {e.get("rule") for e in yaml.safe_load((here / "corpus" / "manifest.yaml").read_text(encoding="utf-8"))}
    for rule_id in RULES:
        assert f'"{rule_id}"' in src or rule_id in manifest, f"no test trips {rule_id}"


@pytest.mark.parametrize("n", range(18))
def test_changing_any_expenditure_amount_is_located_on_both_sides(tmp_path, n):
    """Done-when of issue 2: one changed line item → exit 1 with both sides located."""
    items = [m for m in re.finditer(r"amount: (\d+)\}", TEXT)]
    m = items[n]
    text = TEXT[:m.start(1)] + str(int(m.group(1)) + 1) + TEXT[m.end(1):]
    result = load(write(tmp_path, text))
    bal = [p for p in result.errors if p.rule == "balance.total"]
    assert bal, result.problems
    lines = {loc.line for loc in bal[0].locations}
    assert lines == {line_of("revenues:"), line_of("expenditures:")}
    assert "相差 1 元" in bal[0].message


def test_changing_the_revenue_amount(tmp_path):
    result = load(write(tmp_path, mutate("amount: 3488570", "amount: 3488500")))
    assert "balance.total" in rules_of(result, "error")
    assert "balance.fund" in rules_of(result, "error")
    fund = next(p for p in result.errors if p.rule == "balance.fund")
    assert fund.locations[0].line == line_of("amount: 3488570")
    assert "相差 70 元" in fund.message


def test_balance_fund(tmp_path):
    text = mutate('{function: "2101506", economic: "30201", kind: 公用经费, amount: 39000}',
                  '{function: "2101506", economic: "30201", kind: 公用经费, amount: 39000, fund: 政府性基金预算拨款}')
    result = load(write(tmp_path, text))
    assert rules_of(result, "error") == {"balance.fund"}


def test_item_project(tmp_path):
    result = load(write(tmp_path, mutate("project: 监测户参保县级配套, amount", "project: 监测户参保县配套, amount")))
    p = next(p for p in result.errors if p.rule == "item.project")
    assert "是不是“监测户参保县级配套”" in p.message
    assert p.locations[0].line == line_of("project: 监测户参保县级配套, amount")
    result = load(write(tmp_path, mutate("kind: 人员经费, amount: 129320", "kind: 人员经费, project: 经办能力建设经费, amount: 129320")))
    assert "item.project" in rules_of(result, "error")


def test_item_unit(tmp_path):
    result = load(write(tmp_path, mutate("kind: 人员经费, amount: 129320", "kind: 人员经费, unit: \"999\", amount: 129320")))
    assert "item.unit" in rules_of(result, "error")
    unregistered = [p.message for p in result.errors if p.rule == "balance.fund" and "999" in p.message]
    assert unregistered and all("未登记的单位 999" in m and "999（999）" not in m for m in unregistered)

    # a 单位 package (no organization.units): the message speaks of the unit and says the code may be left out
    # (a trial's project naming its own unit 706001 was told “不在本部门的单位中（706）”)
    [unit] = [p for p in result.errors if p.rule == "item.unit"]
    assert unit.message == "单位编码“999”不是本单位的编码（410002）：单位预算的各行不必填单位编码（不填即本单位）"
    assert unit.locations[0].line == line_of("kind: 人员经费, amount: 129320")
    text = mutate("projects:\n  - name: 机关事业单位住院医疗补助\n", "projects:\n  - name: 机关事业单位住院医疗补助\n    unit: \"410002001\"\n")
    [project] = [p for p in load(write(tmp_path, text.replace("scope: 单位", "scope: 部门"))).errors if p.rule == "item.unit"]
    assert project.message.startswith("单位编码“410002001”不是本部门的编码（410002）：只有一个预算单位时各行不必填单位编码")
    assert project.locations[0].field == "projects[0].unit"


def test_item_carried_from(tmp_path):
    """carried_from says whose money a 上年结转结余 was; on this year's money it is a mistake, located."""
    result = load(write(tmp_path, mutate("kind: 人员经费, amount: 129320", "kind: 人员经费, carried_from: 一般公共预算拨款, amount: 129320")))
    p = next(p for p in result.errors if p.rule == "item.carried-from")
    assert "资金来源为一般公共预算拨款的行不应填写 carried_from" in p.message
    assert p.locations[0].line == line_of("amount: 129320")


def test_item_carry_in_fund(tmp_path):
    """上年结转结余 without carried_from prints as 单位资金: one notice naming the lines, never blocking;
    carried_from: 单位资金 says so and silences it."""
    text = ANPING.read_text(encoding="utf-8")
    silent = load(write(tmp_path, text, "said.yaml"))
    assert "item.carry-in-fund" not in rules_of(silent)
    unsaid = load(write(tmp_path, text.replace(", carried_from: 一般公共预算拨款}", "}").replace(", carried_from: 单位资金}", "}"),
                        "unsaid.yaml"))
    notices = [p for p in unsaid.problems if p.rule == "item.carry-in-fund"]
    assert len(notices) == 1 and notices[0].severity == "notice" and not unsaid.errors
    assert "出现在 2 处" in notices[0].message and "carried_from: 一般公共预算拨款" in notices[0].message


def test_item_kind(tmp_path):
    result = load(write(tmp_path, mutate('economic: "30101", kind: 人员经费', 'economic: "30201", kind: 人员经费')))
    assert "item.kind" in rules_of(result, "error")


def test_project_items(tmp_path):
    text = mutate("projects:\n", "projects:\n  - name: 没有明细的项目\n")
    result = load(write(tmp_path, text))
    assert rules_of(result) == {"project.items"}
    assert result.errors == []


def test_item_zero(tmp_path):
    """A 0 元 line validated silently and printed a detail row with every amount blank (a trial); `import`
    skips such lines, a typed file gets a warning at each line's amount."""
    line = '  - {function: "2101506", economic: "30239", kind: 公用经费, amount: 70200}\n'
    text = mutate(line, line + '  - {function: "2101506", economic: "30202", kind: 公用经费, amount: 0}\n'
                  '  - {function: "2101506", economic: "30211", kind: 公用经费, amount: "0.00"}\n')
    result = load(write(tmp_path, text))
    assert rules_of(result) == {"item.zero"} and not result.errors
    [p] = result.warnings
    assert p.message.startswith("2 个支出明细行金额为 0：") and "删去这一行" in p.message
    first = line_of('"30239", kind: 公用经费') + 1
    assert [(loc.line, loc.field) for loc in p.locations] == [(first, "expenditures[13].amount"),
                                                               (first + 1, "expenditures[14].amount")]
    one = load(write(tmp_path, mutate(line, line + '  - {function: "2101506", economic: "30202", kind: 公用经费, amount: 0}\n')))
    assert [p.message.split("：")[0] for p in one.problems] == ["支出明细行金额为 0"]


def test_item_tiny_in_a_wan_package(tmp_path):
    """Trial K: a 0.01 元 邮电费 line printed a 万元 row with every amount blank, without a word (a 0 元 line is
    warned, `item.zero`). In a 万元 profile a line under 50 元 is a notice at its amount; in a 元 profile nothing."""
    line = '  - {function: "2101506", economic: "30239", kind: 公用经费, amount: 70200}\n'
    text = mutate(line, line.replace("70200", "70199.99") + '  - {function: "2101506", economic: "30207", kind: 公用经费, amount: 0.01}\n')
    path = write(tmp_path, text)
    [p] = [p for p in load(path, "national").problems if p.rule == "item.tiny"]
    assert p.severity == "notice" and "不足 50 元" in p.message
    assert [(loc.line, loc.field) for loc in p.locations] == [(line_of('"30239", kind: 公用经费') + 1, "expenditures[13].amount")]
    assert "item.tiny" not in rules_of(load(path))          # Shaanxi prints 元: 0.01 prints as 0.01


def test_catalog_codes(tmp_path):
    """Issue 10: an unknown code without a name is an error saying what to add; with a name it is a
    notice and the name is printed; a known code with another name is a warning naming both."""
    result = load(write(tmp_path, mutate('{function: "2089999", economic: "30112"', '{function: "2089998", economic: "30198"')))
    assert {"catalog.function", "catalog.economic"} <= rules_of(result, "error")
    p = next(p for p in result.problems if p.rule == "catalog.function")
    assert "2089998" in p.message and "名称" in p.message and p.locations[0].column > 1

    named = load(write(tmp_path, mutate('{function: "2089999", economic: "30112"',
                                        '{function: "2089998 其他社会保障支出", economic: "30198", economic_name: 其他工资福利')))
    notices = [p for p in named.problems if p.severity == "notice"]
    assert {p.rule for p in notices} == {"catalog.function"}
    assert any("按输入名称印制" in p.message and "其他社会保障支出" in p.message for p in notices)
    # the 部门经济分类 shipped is the whole catalog: a code it lacks is wrong, whatever name is typed
    [w] = [p for p in named.warnings if p.rule == "catalog.economic"]
    assert "30198 其他工资福利" in w.message and "不在2024年完整目录" in w.message

    renamed = load(write(tmp_path, mutate('{function: "2089999", economic: "30112"', '{function: "2089999 别的名字", economic: "30112"')))
    [w] = [p for p in renamed.warnings if p.rule == "catalog.function"]
    assert "其他社会保障和就业支出" in w.message and "别的名字" in w.message


def test_a_retired_code_is_refused_whatever_its_name(tmp_path):
    """Trial F: a user catalog's `changes` retired 2089999 in 2024; a 2024 file using it (its name typed, as
    rollover leaves it) printed it with no flag once the rollover comment was deleted."""
    folder = tmp_path / "catalog"
    folder.mkdir()
    (folder / "2024.yaml").write_text("year: 2024\nsource: 试用目录\nchanges:\n  from: 2023\n  document: 某号文\n"
                                      "  function:\n    retired: {'2089999': 其他社会保障和就业支出}\n", encoding="utf-8")
    path = write(tmp_path, mutate('{function: "2089999"', '{function: "2089999 其他社会保障和就业支出"'))
    result = load(path, catalog_dir=folder)
    [p] = [p for p in result.errors if p.rule == "catalog.retired"]
    assert "“2089999”于2024年停用（某号文），2024年没有这一科目" in p.message and p.locations[0].column > 1
    assert not [q for q in result.problems if q.rule == "catalog.function" and "2089999" in q.message]
    assert not [q for q in load(path).problems if q.rule == "catalog.retired"]


def test_catalog_findings_are_grouped_per_code(tmp_path):
    text = TEXT.replace('function: "2101506"', 'function: "2101598"')
    result = load(write(tmp_path, text))
    [p] = [p for p in result.errors if p.rule == "catalog.function"]
    count = text.count('function: "2101598"')
    assert count > 2 and f"出现在 {count} 处" in p.message


def test_review_pending(tmp_path):
    """A file that says its package is not yet signed by the head warns at that field (the line is left out of the
    draft, never “未审签” printed; `--strict` refuses it)."""
    result = load(write(tmp_path, mutate("review: {secrecy: 是, signed: 是}", "review: {secrecy: 是, signed: 否}")))
    [p] = [p for p in result.warnings if p.rule == "review.pending"]
    assert (p.rule, p.locations[0].line) == ("review.pending", line_of("review: {secrecy: 是, signed: 是}"))
    assert "尚未部门（单位）主要负责人审签" in p.message


def test_needs_missing(tmp_path):
    """The Shaanxi 说明 must explain 国有资产占有使用: a file without assets cannot build it (never “0辆”);
    its 人员情况 section is optional: without staffing the section is left out, not printed as “0人”."""
    text = SHAANXI.read_text(encoding="utf-8")
    start = text.index("\nassets:")
    end = text.index("\n\n", start + 1)
    result = load(write(tmp_path, text[:start] + text[end:]))
    [p] = [p for p in result.errors if p.rule == "needs.missing"]
    assert "assets" in p.message and p.locations[0].line

    start = text.index("  staffing:")
    end = text.index("\n", text.index("retired", start))
    result = load(write(tmp_path, text[:start] + text[end + 1:]))
    assert result.errors == []
    from discloser.package import build_document
    doc = build_document(result.budget, result.profile, result.catalog)
    assert not any("人员情况" in s.title for s in doc.sections)
    assert not any("人员编制" in p or "0人" in p for s in doc.sections for p in s.paragraphs)


def test_perf_tasks_total(tmp_path):
    result = load(write(tmp_path, mutate("amounts: {财政拨款: 92160}", "amounts: {财政拨款: 92100}")))
    p = next(p for p in result.errors if p.rule == "perf.tasks-total")
    assert "3488510 元" in p.message and "3488570 元" in p.message and "相差 60 元" in p.message
    column = next(p.message for p in result.errors if "栏合计" in p.message)
    assert "（资金来源为财政拨款、上年结转（财政拨款）的支出）" in column and "fund:" not in column      # the profile's measure in words
    result = load(write(tmp_path, mutate("amounts: {财政拨款: 92160}", "amounts: {财政拨款: 92160, 自筹: 0}")))
    assert "perf.tasks-total" in rules_of(result, "error")


def test_perf_indicator_level(tmp_path):
    result = load(write(tmp_path, mutate("{level1: 产出指标, level2: 数量指标, name: 参保缴费补助", "{level1: 产出, level2: 数量指标, name: 参保缴费补助")))
    assert "perf.indicator-level" in rules_of(result, "warning")
    result = load(write(tmp_path, mutate("{level1: 产出指标, level2: 数量指标, name: 参保缴费补助", "{level1: 产出指标, level2: 数量, name: 参保缴费补助")))
    assert "perf.indicator-level" in rules_of(result, "warning")


def test_scope_missing(tmp_path):
    """A file without scope printed a 部门预算 title for a 单位 without a word (trial A D11)."""
    text = SHAANXI.read_text(encoding="utf-8")
    assert "\nscope: 单位\n" in text
    assert "scope.missing" in rules_of(load(write(tmp_path, text.replace("\nscope: 单位\n", "\n", 1))), "warning")
    assert "scope.missing" not in rules_of(load(SHAANXI), "warning")


def test_unit_same_name(tmp_path):
    """Two units of one name (codes differ) cannot be told apart in the tables and the 说明 (trial A D9)."""
    import yaml

    from helpers import ROOT

    source = ROOT / "tests" / "departments" / "anping-culture-sports-2025.yaml"
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    units = data["organization"]["units"]
    assert len({u["name"] for u in units}) == len(units)
    assert "unit.same-name" not in rules_of(load(source), "warning")
    twin = dict(units[-1], code=str(int(units[-1]["code"]) + 1))
    units.append(twin)
    path = tmp_path / "twin.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    [p] = [p for p in load(path).warnings if p.rule == "unit.same-name"]
    assert twin["name"] in p.message and twin["code"] in p.message


def test_unit_home_guessed(tmp_path):
    """A department whose units none is named as it gets a guessed 本级 (trialE-s27 D6): a warning naming it."""
    import yaml

    from helpers import ROOT

    source = ROOT / "tests" / "departments" / "anping-culture-sports-2025.yaml"
    assert "unit.home-guessed" not in rules_of(load(source), "warning")
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    data["organization"]["name"] = "安平县文旅体育局"          # no unit's name fits it: a 行政单位 is taken
    path = tmp_path / "renamed.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    [p] = [p for p in load(path).warnings if p.rule == "unit.home-guessed"]
    admin = next(u for u in data["organization"]["units"] if u["kind"] == "行政单位")
    assert f"“{admin['code']} {admin['name']}”" in p.message and "列出的第一个行政单位" in p.message


def test_staffing_parts(tmp_path):
    """Parts of the staffing above their total would print a contradiction (“编制3人，其中行政编制10人”); parts
    typed without their total are printed as they are (trial A D12: Shaanxi's dropped them without a word)."""
    text = SHAANXI.read_text(encoding="utf-8")
    assert "    authorized: 10\n    authorized_admin: 10\n    authorized_institution: 0\n" in text
    assert "staffing.parts" in rules_of(load(write(tmp_path, text.replace("    authorized: 10\n", "    authorized: 3\n", 1))), "error")
    assert "staffing.parts" not in rules_of(load(SHAANXI), "error")
    from discloser.package import build_document

    loaded = load(write(tmp_path, text.replace("    authorized: 10\n", "", 1)))
    assert not loaded.errors
    said = "".join(p for s in build_document(loaded.budget, loaded.profile, loaded.catalog).sections for p in s.paragraphs)
    assert "人员编制为行政编制10人、事业编制0人" in said


def test_perf_indicator_column(tmp_path):
    """An indicator whose 一级指标 has no column in a summary table (Henan 表14) would be left out of it."""
    path = write(tmp_path, mutate("{level1: 产出指标, level2: 数量指标, name: 参保缴费补助", "{level1: 产出, level2: 数量指标, name: 参保缴费补助"))
    assert "perf.indicator-column" in rules_of(load(path, "henan"), "error")
    assert "perf.indicator-column" not in rules_of(load(path), "error")      # Shaanxi has no such table


def test_perf_indicator_value(tmp_path):
    result = load(write(tmp_path, mutate('name: 服务群众满意度, comparator: "≥", value: "90"', 'name: 服务群众满意度, comparator: "≥", value: "九成"')))
    p = next(p for p in result.errors if p.rule == "perf.indicator-value")
    expected = next(n for n, line in enumerate((tmp_path / "budget.yaml").read_text(encoding="utf-8").splitlines(), 1) if "九成" in line)
    assert p.locations[0].line == expected


def test_an_indicator_without_a_value_is_refused_unless_it_says_none(tmp_path):
    """trialV2-s24: a 定性 indicator typed without a value (or blank) validated and printed an empty 指标值. A row named
    “无” (the reference's “经济效益指标 | 无 |”) has none by design."""
    for typed in ("", ', value: " "'):
        text = mutate("name: 完成率, comparator: 定性, value: 2024年6月前", f"name: 完成率, comparator: 定性{typed}")
        [p] = [p for p in load(write(tmp_path, text)).errors if p.rule == "perf.indicator-value"]
        assert "指标“完成率”没有指标值" in p.message
        assert p.locations[0].line == next(n for n, line in enumerate(text.splitlines(), 1) if "name: 完成率, comparator: 定性}" in line
                                           or 'comparator: 定性, value: " "' in line)
    assert "name: 无}" in TEXT and not [p for p in load(SHAANXI).errors]


def test_prior_consistency(tmp_path):
    result = load(write(tmp_path, mutate('"2080505": {amount: 98510', '"2080505": {amount: 98500')))
    p = next(p for p in result.errors if p.rule == "prior.consistency")
    assert "相差 10 元" in p.message


def test_prior_reason(tmp_path):
    result = load(write(tmp_path, mutate('"2089999": {amount: 1510, reason: 新招录一人}', '"2089999": {amount: 1510}')))
    assert rules_of(result) == {"prior.reason"}
    assert result.errors == []


def test_prior_far(tmp_path):
    """trialW-s30 D6: a 上年数 of 1 元 printed “增长95825079.00%” without a word. This year at least 100 times last year
    is a notice at the prior figure (a typo is likely; a new duty is possible); 90 times is not."""
    result = load(write(tmp_path, mutate('"2089999": {amount: 1510,', '"2089999": {amount: 17,')))
    [p] = [p for p in result.notices if p.rule == "prior.far"]
    assert p.locations[0].field == "prior_year.function.2089999" and "本年是上年的 105 倍（上年 17 元，本年 1780 元）" in p.message
    assert "增长 10,371%" in p.message          # (1780 − 17) ÷ 17, as the 说明 would print it
    result = load(write(tmp_path, mutate('"2089999": {amount: 1510,', '"2089999": {amount: 20,')))
    assert not [p for p in result.notices if p.rule == "prior.far"]     # 89 times


def test_prior_name(tmp_path):
    """A 功能科目 of last year with no line this year is listed by name (“本年未安排”) in the Shaanxi 说明; a
    code neither the catalog nor the file names would print bare (“科目2089998”): an error until it is named."""
    text = mutate('"2089999": {amount: 1510, reason: 新招录一人}', '"2089998": {amount: 1510, reason: 上年一次性项目本年不再安排}')
    result = load(write(tmp_path, text))
    assert rules_of(result, "error") == {"prior.name"}
    p = result.errors[0]
    assert "2089998" in p.message and "function_names" in p.message and p.locations[0].line == line_of('"2089999": {amount: 1510')
    named = text.replace("\nexpenditures:", "\nfunction_names:\n  '2089998': 其他试点支出\nexpenditures:", 1)
    assert named != text and "prior.name" not in rules_of(load(write(tmp_path, named)))


def test_profile_unknown(tmp_path):
    result = load(write(tmp_path, mutate("profile: shaanxi", "profile: shanxi")))
    assert rules_of(result) == {"profile.unknown"}


def test_profile_can_switch_a_rule_off(tmp_path):
    profile = tmp_path / "mine.yaml"
    profile.write_text("extends: shaanxi\nname: mine\nrules_off: [prior.reason]\n", encoding="utf-8")
    text = mutate("profile: shaanxi", f"profile: {profile}")
    text = text.replace('"2089999": {amount: 1510, reason: 新招录一人}', '"2089999": {amount: 1510}')
    result = load(write(tmp_path, text))
    assert result.problems == []


def test_a_class_or_kuan_without_a_name_is_an_error_until_a_catalog_names_it(tmp_path):
    """Tables print a row for the 类 and the 款 of every 项; a name nobody gave would print blank."""
    from discloser.validate import load

    src = SHAANXI.read_text(encoding="utf-8")
    path = tmp_path / "b.yaml"
    path.write_text(src.replace('function: "2080505"', 'function: "2779901 试点科目"', 1), encoding="utf-8")
    found = [p for p in load(path).problems if p.rule == "catalog.function"]
    assert {p.severity for p in found} == {"error", "notice"}
    errors = sorted(p.message for p in found if p.severity == "error")
    assert len(errors) == 2 and any("功能分类类“277”" in m for m in errors) and any("功能分类款“27799”" in m for m in errors)
    assert all("discloser catalog" in m and "import" in m for m in errors)
    user = tmp_path / "catalog"
    user.mkdir()
    (user / "2024.yaml").write_text("year: 2024\nfunction:\n  '277': 试点支出\n  '27799': 其他试点支出\n", encoding="utf-8")
    assert [p.severity for p in load(path, catalog_dir=user).problems if p.rule == "catalog.function"] == ["notice"]


def test_an_unknown_unnamed_economic_code_is_one_error_not_two(tmp_path):
    """“30198” (no such 款, no name typed): one catalog.economic error saying what to add — not a second
    one at the same cell about its missing 政府经济分类 mapping, which follows from the first."""
    result = load(write(tmp_path, mutate('economic: "30201"', 'economic: "30198"')))
    errors = [p for p in result.errors if p.rule == "catalog.economic"]
    assert len(errors) == 1 and "30198" in errors[0].message and "没有写名称" in errors[0].message


def test_prior_history_differing_from_prior_year_is_a_notice(tmp_path):
    """Hubei's 近两年收支金额 for last year against prior_year (the trial's 2024: 1,370万 in the history,
    1,430万 in prior_year.total): a notice at both places; the same figures: nothing."""
    import yaml as _yaml

    data = _yaml.safe_load((Path(__file__).parent / "departments" / "yunxi-resources-2025.yaml").read_text(encoding="utf-8"))
    last = next(h for h in data["performance"]["department"]["history"] if h["year"] == data["year"] - 1)
    assert last["fiscal"] + last["other"] == data["prior_year"]["total"]["amount"]
    assert "prior.history" not in rules_of(load(write(tmp_path, _yaml.safe_dump(data, allow_unicode=True), "same.yaml")))
    last.update(fiscal=13000000, other=700000, basic=9300000, project=4400000)
    result = load(write(tmp_path, _yaml.safe_dump(data, allow_unicode=True), "differs.yaml"))
    found = [p for p in result.problems if p.rule == "prior.history"]
    assert [p.severity for p in found] == ["notice", "notice"] and not result.errors
    assert "13700000 元 ≠ prior_year.total 14300000 元" in found[0].message
    assert "13000000 元 ≠ prior_year.fiscal 13600000 元" in found[1].message
    assert found[0].locations[1].field == "prior_year.total"


def test_perf_blank_names_the_form_cells_left_blank(tmp_path):
    """Gansu's 部门整体支出绩效目标表 prints 依据, 编制, 基本制度建设, 上年预算情况 … as typed: a fact the file
    leaves out is a blank cell (never a 0), announced as a notice naming the cell and its field."""
    gansu = EXAMPLES / "gansu-hezheng-2025.yaml"
    [p] = [p for p in load(gansu).problems if p.rule == "perf.blank"]   # the reference itself leaves 调整数 blank
    assert p.severity == "notice" and "预算调整数（prior_year.adjusted）" in p.message and p.message.count("（") == 2
    text = gansu.read_text(encoding="utf-8")
    assert "  mandate_basis: " in text
    less = re.sub(r"\n  mandate_basis: [^\n]*", "", text)
    [p] = [p for p in load(write(tmp_path, less, "less.yaml")).problems if p.rule == "perf.blank"]
    assert "依据（organization.mandate_basis）" in p.message and "预算调整数" in p.message
    assert "perf.blank" not in rules_of(load(SHAANXI))       # a form that prints no such cell


def test_prior_reason_direction_flags_a_reason_for_the_opposite_change(tmp_path):
    """“较上年增加1.74万元…主要原因是压减一般性支出” (a trial's slip): a warning at the reason; a reason
    naming both directions, or neither, passes."""
    import yaml as _yaml

    data = _yaml.safe_load((Path(__file__).parent / "departments" / "yunxi-resources-2025.yaml").read_text(encoding="utf-8"))
    item = data["prior_year"]["items"]["机关运行经费"]
    assert item["amount"] < 577404.60 and "压减" in item["reason"]          # up, said as a cut
    found = [p for p in load(write(tmp_path, _yaml.safe_dump(data, allow_unicode=True), "a.yaml")).problems
             if p.rule == "prior.reason-direction"]
    assert any(p.locations[0].field == "prior_year.items.机关运行经费.reason" and "较上年增加" in p.message for p in found)
    for reason in ("人员增加，同时压减一般性支出", "机构调整"):
        item["reason"] = reason
        found = [p for p in load(write(tmp_path, _yaml.safe_dump(data, allow_unicode=True), "b.yaml")).problems
                 if p.rule == "prior.reason-direction"]
        assert not any("机关运行经费" in p.message for p in found), reason


def test_a_project_or_unit_registered_twice_is_an_error(tmp_path):
    """A second 项目 row with the same 项目编码 (a trial's workbook): both projects took the lines, and 表10
    printed the unit's row above its 合计. Now an error at both places, nothing built."""
    import yaml as _yaml

    import copy

    data = _yaml.safe_load(TEXT)
    data["projects"].append(copy.deepcopy(data["projects"][0]))
    result = load(write(tmp_path, _yaml.safe_dump(data, allow_unicode=True), "twice.yaml"))
    [p] = [p for p in result.errors if p.rule == "project.duplicate"]
    assert "项目名称“机关事业单位住院医疗补助”登记了两次" in p.message
    assert {loc.field for loc in p.locations} == {f"projects[{len(data['projects']) - 1}].name", "projects[0].name"}
    data = _yaml.safe_load(ANPING.read_text(encoding="utf-8"))
    data["organization"]["units"].append(copy.deepcopy(data["organization"]["units"][1]))
    result = load(write(tmp_path, _yaml.safe_dump(data, allow_unicode=True), "units.yaml"))
    assert any(p.rule == "project.duplicate" and "单位编码“305002”登记了两次" in p.message for p in result.errors)


def test_a_class_or_kuan_can_be_named_in_the_data_file(tmp_path):
    """The names of a 类 and 款 the catalog lacks, typed once in `function_names` (as a budget-system export's
    subtotal rows carry them; the workbook's “科目名称” sheet): no separate catalog file, the tables print
    them, a notice per code; a code the catalog has with another name is a warning naming both."""
    from discloser.intake.workbook import read_workbook, write_workbook
    from discloser.model import Budget
    from discloser.package import build_document

    src = SHAANXI.read_text(encoding="utf-8").replace('function: "2080505"', 'function: "2779901 试点科目"', 1)
    named = src + "function_names:\n  '277': 试点支出\n  '27799': 其他试点支出\n  '208': 社保\n"
    result = load(write(tmp_path, named, "named.yaml"))
    found = [p for p in result.problems if p.rule == "catalog.function"]
    assert not result.errors and {p.severity for p in found} == {"notice", "warning"}
    [warning] = [p for p in found if p.severity == "warning"]
    assert "“208”" in warning.message and "社会保障和就业支出" in warning.message and "社保" in warning.message
    assert warning.locations[0].field == "function_names.208"
    doc = build_document(result.budget, result.profile, result.catalog)
    labels = {c.text for t in doc.tables for r in t.body for c in r.cells}
    assert {"试点支出", "其他试点支出", "试点科目"} <= labels and "社保" not in labels
    book = tmp_path / "named.xlsx"
    write_workbook(result.budget, book)
    assert Budget.model_validate(read_workbook(book).data).function_names == result.budget.function_names


def test_a_seven_digit_code_named_in_function_names_serves_its_lines(tmp_path):
    """A trial's `function_names: {'2130104': 事业运行}` got “按输入名称印制” at the entry and “不在目录中，
    也没有写名称” at every line of the bare code: the entry names the 项 for all its lines, and the tables
    print it; a line naming the code otherwise is a warning saying which name prints."""
    from discloser.package import build_document

    src = SHAANXI.read_text(encoding="utf-8").replace('function: "2080505"', 'function: "2089998"')
    named = src + "function_names:\n  '2089998': 试点养老支出\n"
    result = load(write(tmp_path, named, "named.yaml"))
    found = [p for p in result.problems if p.rule == "catalog.function"]
    assert not result.errors, result.errors
    [notice] = found
    assert notice.severity == "notice" and "“2089998 试点养老支出”" in notice.message
    assert notice.locations[0].field == "function_names.2089998"
    doc = build_document(result.budget, result.profile, result.catalog)
    rows = [[c.text for c in r.cells] for t in doc.tables for r in t.body]
    assert any("试点养老支出" in row for row in rows)

    other = load(write(tmp_path, named.replace('function: "2089998"', 'function: "2089998 别的名字"', 1), "other.yaml"))
    [warning] = [p for p in other.problems if p.rule == "catalog.function" and p.severity == "warning"]
    assert "试点养老支出" in warning.message and "别的名字" in warning.message and not other.errors
    assert warning.locations[0].field.startswith("expenditures[")


def test_procurement_beyond_its_project_is_a_warning(tmp_path):
    """政府采购 of 1,000,000 元 under a project: fine within the project's spending, a warning when the
    purchases exceed it (a trial's 1,500,000 under a 170,000 project) or name no registered project."""
    text = ANPING.read_text(encoding="utf-8")
    line = '{category: 货物, item: 理化生实验室仪器设备, quantity: 1批, amount: 1000000, unit: "305003", project: "341123250000000006"}'
    assert line in text and "procurement.project" not in rules_of(load(ANPING))
    found = [p for p in load(write(tmp_path, text.replace(line, line.replace("amount: 1000000,", "amount: 100000000,")), "big.yaml")).problems
             if p.rule == "procurement.project"]
    assert len(found) == 1 and "超过该项目本年支出" in found[0].message and found[0].locations[0].field == "procurement[0].amount"
    stray = text.replace('project: "341123250000000006"}', 'project: "不存在的项目"}', 1)
    found = [p for p in load(write(tmp_path, stray, "stray.yaml")).problems if p.rule == "procurement.project"]
    assert len(found) == 1 and "不在 projects 中" in found[0].message


def test_item_unit_missing(tmp_path):
    """A trial's 4-unit 水利局: one 事业 unit's 公用经费 line and its revenue without `unit` went to the first
    unit (the 机关) silently — 机关运行经费 61.61 万元 for 58.40. Once lines name other units, each line must
    name its own; a 部门 whose every line is its first unit's may still leave them out (the Shanghai example)."""
    import yaml

    yunxi = Path(__file__).parent / "departments" / "yunxi-resources-2025.yaml"
    text = yunxi.read_text(encoding="utf-8")
    line = next(t for t in text.splitlines() if 'unit: "318003"' in t and "economic:" in t)
    revenue = next(t for t in text.splitlines() if 'unit: "318003"' in t and "source:" in t)
    broken = text.replace(line, line.replace('unit: "318003", ', ""), 1).replace(revenue, revenue.replace('unit: "318003", ', ""), 1)
    assert broken.count('unit: "318003"') == text.count('unit: "318003"') - 2
    result = load(write(tmp_path, broken))
    found = [p for p in result.errors if p.rule == "item.unit-missing"]
    assert {p.locations[0].line for p in found} == {text.splitlines().index(line) + 1, text.splitlines().index(revenue) + 1}
    assert all("318001" in p.message and "318003" in p.message for p in found)
    assert "item.unit-missing" not in rules_of(load(yunxi), "error")
    shanghai = EXAMPLES / "shanghai-putuo-2025.yaml"     # two units, every line the first's, none names it
    assert len(yaml.safe_load(shanghai.read_text(encoding="utf-8"))["organization"]["units"]) == 2
    assert "item.unit-missing" not in rules_of(load(shanghai), "error")


def test_a_mistyped_function_code_is_pointed_at_the_code_its_name_has(tmp_path):
    """A trial typed 2103009 for 2130309 (its name beside it): the only advice was to name the 款 “21030” —
    which would publish an invented 款 — in YAML syntax in a JSON file. Now the message says whose name it
    typed (the catalog's, or its own other lines'), to check the code first, and the syntax of the file."""
    import json

    import yaml

    data = yaml.safe_load(TEXT)
    line = next(e for e in data["expenditures"] if e["function"] == "2101506")
    line["function"] = "2105106 医疗保障经办事务"    # 2101506, two digits swapped
    result = load(write(tmp_path, json.dumps(data, ensure_ascii=False, default=str), "budget.json"))
    [p] = [p for p in result.errors if p.rule == "catalog.function"]
    assert "“2105106 医疗保障经办事务”目录中的编码是 2101506" in p.message and "请先核对编码" in p.message
    assert '“"21051": "名称"”' in p.message


def test_an_amount_typed_in_wan_is_pointed_at(tmp_path):
    """A trial typed one line in 万元 in a 元 workbook: only the balance errors came, pointing at the 收入
    sheet. With cents past the second decimal the amount's own message says what it would be in 元; with two
    decimals the balance error points at the line whose 9,999-fold is the difference."""
    result = load(write(tmp_path, mutate("kind: 人员经费, amount: 129320", "kind: 人员经费, amount: 12.932")))
    [p] = result.errors
    assert "金额 12.932 超过两位小数" in p.message and "若是按万元填的，应写 129320" in p.message
    text = mutate("kind: 人员经费, amount: 129320", "kind: 人员经费, amount: 12.93").replace("3488570", "3488550", 1)
    result = load(write(tmp_path, text))
    [p] = [p for p in result.errors if p.rule == "balance.fund"]
    assert "12.93 若是按万元填的（129300 元），两边正好相等" in p.message
    assert p.locations[0].line == line_of("kind: 人员经费, amount: 129320")


def test_project_type_is_asked_where_the_tables_print_it(tmp_path):
    """An export without a 项目类型 column made every project “其他运转类” in a trial's Hubei 表3/表5/表10: the
    type has a default the tables printed as if typed. Henan and Hubei print it, so it is asked; the national
    tables do not, so a project without one passes there."""
    henan = EXAMPLES / "henan-shilong-2023.yaml"
    text = henan.read_text(encoding="utf-8").replace("    type: 其他运转类\n", "", 2)
    path = write(tmp_path, text)
    [p] = [p for p in load(path).problems if p.rule == "project.type"]
    assert p.severity == "warning" and "2 个项目没写项目类型" in p.message and "“欺诈骗保专项”" in p.message
    assert "project.type" not in rules_of(load(path, "national"))


YUNXI = Path(__file__).parent / "departments" / "yunxi-resources-2025.yaml"


def _yunxi(tmp_path: Path, edit) -> Path:
    import yaml

    data = yaml.safe_load(YUNXI.read_text(encoding="utf-8"))
    edit(data)
    path = tmp_path / "yunxi.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_performance_facts_the_forms_cannot_print_are_errors(tmp_path):
    """A trial's Hubei forms printed 资金总额 500.00 above 年度资金总额 650.00, an indicator of goal 5 (of two)
    under no goal heading, and dropped the third of three 近两年指标值 — all without a word."""
    def edit(d):
        project = next(p for p in d["projects"] if p.get("total_budget"))
        project["total_budget"] = 1000
        dept = d["performance"]["department"]
        dept["indicators"][0]["goal"] = len(dept["goals"]) + 3
        project["performance"]["indicators"][0]["past_values"] = ["1个", "2个", "3个"]

    result = load(_yunxi(tmp_path, edit))
    found = {p.rule: p for p in result.errors}
    assert {"project.total-budget", "perf.indicator-goal", "perf.past-values"} <= set(found)
    assert "总预算 1000 元 小于它本年的支出" in found["project.total-budget"].message
    assert found["perf.indicator-goal"].locations[0].field.endswith("indicators[0].goal")
    assert "写了 3 个近两年指标值" in found["perf.past-values"].message
    assert not {"project.total-budget", "perf.indicator-goal", "perf.past-values"} & rules_of(load(YUNXI))


def test_a_target_worded_as_a_change_needs_no_reason(tmp_path):
    """“较上年下降” as an indicator's value is the target itself; it drew “写了较上年的变化却没有写原因”, which a
    --strict build refused (a trial). Prose elsewhere is still checked."""
    def edit(d):
        d["projects"][0]["performance"]["indicators"][0].update(comparator="定性", value="较上年下降")
        d["organization"]["functions"].append("工作经费较上年减少。")

    [p] = [p for p in load(_yunxi(tmp_path, edit)).warnings if p.rule == "lint.change-reason"]
    assert p.locations[0].field.startswith("organization.functions")


def test_a_change_of_duties_jiangxi_has_no_cell_for_is_named(tmp_path):
    """江西's form ticks ☑是 for a change of duties but prints nowhere what changed: the typed text vanished (a
    trial). A notice says so; Gansu's form, which has the cell, says nothing."""
    def edit(d):
        d["organization"].update(mandate_changed=True, mandate_change="2024年划入不动产登记职责")
        d["performance"]["department"].setdefault("tasks", [])

    path = _yunxi(tmp_path, edit)
    notes = [p for p in load(path, "jiangxi").problems if p.rule == "perf.blank" and "mandate_change" in p.message]
    assert notes and "不会印出" in notes[-1].message and notes[-1].locations[0].field == "organization.mandate_change"
    assert not [p for p in load(path, "gansu").problems if p.rule == "perf.blank" and "不会印出" in p.message]


def test_a_reason_is_asked_only_where_the_profile_states_the_change(tmp_path):
    """A trial's prior 基本支出 without a reason drew “没有写原因” in every profile, while prior.unused said in the
    same run that no profile prints it. A reason is asked where the profile's 说明 states that change: Hubei
    states 会议费's but no 功能科目's; Shaanxi states both."""
    def edit(d):
        d["prior_year"]["items"]["会议费"].pop("reason")
        d["prior_year"]["function"]["2200101"].pop("reason")

    path = _yunxi(tmp_path, edit)
    asked = lambda profile: {p.locations[0].field for p in load(path, profile).warnings if p.rule == "prior.reason"}  # noqa: E731
    assert asked("hubei") == {"prior_year.items.会议费"}
    assert asked("shaanxi") == {"prior_year.items.会议费", "prior_year.function.2200101"}
    assert asked("gansu") == set()          # its forms state no change at all


def test_organization_parent_in_a_department(tmp_path):
    """`parent` is a 单位's 主管部门; a 部门 is its own, so a parent in a 部门 file is printed nowhere: a warning
    at it says so. The same file as a 单位 package (the example) uses it and hears nothing."""
    assert "organization.parent" not in rules_of(load(SHAANXI))
    result = load(write(tmp_path, mutate("scope: 单位", "scope: 部门")))
    p = next(p for p in result.problems if p.rule == "organization.parent")
    assert p.severity == "warning" and "部门预算的主管部门就是本部门" in p.message and "410 麟游县医疗保障局" in p.message
    assert p.locations[0].line == line_of("parent:")


def test_project_unit(tmp_path):
    """A project is one unit's: one of its lines booked in another unit (the money moved with it, so every
    balance holds) is an error at that line, naming both units with their shares — 表10 would list the project
    twice and the performance form print their sum, a figure no other table has (trialG-s23)."""
    liuwan = Path(__file__).resolve().parent / "departments" / "liuwan-town-2025.yaml"
    text = liuwan.read_text(encoding="utf-8")
    assert "project.unit" not in rules_of(load(liuwan))
    moves = [('{unit: "318002", function: "2120104", economic: "30227", kind: 项目支出',
              '{unit: "318001", function: "2120104", economic: "30227", kind: 项目支出'),
             ('{unit: "318001", source: 一般公共预算拨款, amount: 5956642.63}', '{unit: "318001", source: 一般公共预算拨款, amount: 6236642.63}'),
             ('{unit: "318002", source: 一般公共预算拨款, amount: 1477005.81}', '{unit: "318002", source: 一般公共预算拨款, amount: 1197005.81}')]
    for old, new in moves:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    result = load(write(tmp_path, text))
    assert rules_of(result, "error") == {"project.unit"}
    p = result.errors[0]
    assert "登记在单位 318002" in p.message and "318001 云塬县柳湾镇人民政府 280000 元" in p.message
    assert "318002 云塬县柳湾镇综合行政执法办公室 64500.25 元" in p.message
    moved = next(n for n, line in enumerate(text.splitlines(), 1) if '{unit: "318001", function: "2120104", economic: "30227"' in line)
    assert [loc.line for loc in p.locations[1:]] == [moved]
    # a project registered without a unit whose lines lie in two units: the same error, at the project
    unregistered = text.replace('    code: "610318250000000006"\n    unit: "318002"\n', '    code: "610318250000000006"\n')
    assert unregistered != text
    p = next(p for p in load(write(tmp_path, unregistered)).errors if p.rule == "project.unit")
    assert "分在 2 个单位" in p.message and "请在项目下写明 unit" in p.message


def test_project_total_budget_split(tmp_path):
    """total_budget_fiscal is the 财政拨款 of a project's 实施期 total; it must hold this year's money: the
    project 镇区道路维修改造 spends 1,850,000.50 元 of 财政拨款 (政府性基金 and its carried balance) this year, of a
    2,850,000.50 total. Without it a multi-year project is a warning (its 实施期 split cannot be printed)."""
    liuwan = Path(__file__).resolve().parent / "departments" / "liuwan-town-2025.yaml"
    text = liuwan.read_text(encoding="utf-8")
    old = "    total_budget: 2850000.50\n"
    [missing] = [p for p in load(liuwan).problems if p.rule == "project.total-budget-split"]
    assert missing.severity == "warning" and missing.locations[0].line == text.splitlines().index(old.rstrip("\n")) + 1
    for fiscal, says in (("2850000.51", "大于总预算 2850000.50 元，相差 0.01 元"),
                         ("1850000.49", "容不下它本年的财政拨款 1850000.50 元、其他资金 0 元")):
        result = load(write(tmp_path, text.replace(old, old + f"    total_budget_fiscal: {fiscal}\n")))
        [p] = [p for p in result.errors if p.rule == "project.total-budget-split"]
        assert says in p.message and p.locations[0].field == "projects[1].total_budget_fiscal"
    fine = load(write(tmp_path, text.replace(old, old + "    total_budget_fiscal: 1850000.50\n")))
    assert "project.total-budget-split" not in rules_of(fine)
    orphan = load(write(tmp_path, text.replace(old, "    total_budget_fiscal: 1850000.50\n")))
    assert any(p.rule == "project.total-budget-split" and "没写总预算" in p.message for p in orphan.errors)
def test_missing_prior_year_figures_the_profile_states_are_named(tmp_path):
    """A trial removed prior_year: the national 说明 lost its whole 增减变化 section and Henan every 与上年相比, with
    no message even under --strict; removing 三公经费 and 公务接待费 alone dropped the 三公 changes silently. A notice
    now names what the profile's 说明 would state; nothing is invented (no change is printed)."""
    import yaml

    from helpers import built_with

    data = yaml.safe_load(YUNXI.read_text(encoding="utf-8"))
    data.pop("prior_year")
    path = tmp_path / "no-prior.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    for profile, named, not_named in (
            ("national", ["上年收支总计（prior_year.total）", "上年财政拨款收支（prior_year.fiscal）",
                          "各功能分类项的上年数（prior_year.function）", "三公经费（prior_year.items.三公经费）"],
             ["会议费"]),                                     # the national 说明 states no 会议费 change
            ("henan", ["上年收支总计（prior_year.total）", "三公经费（prior_year.items.三公经费）"], ["prior_year.function"])):
        result = load(path, profile)
        [p] = [p for p in result.problems if p.rule == "prior.missing"]
        assert p.severity == "notice" and result.errors == [] and "不会编造" in p.message
        assert all(f in p.message for f in named) and not any(f in p.message for f in not_named), (profile, p.message)
        _, doc = built_with(path, profile)
        assert not any("较上年" in para or "与上年" in para for s in doc.sections for para in s.paragraphs)
    # only 三公经费 and 公务接待费 left out: those two are named, at prior_year
    data = yaml.safe_load(YUNXI.read_text(encoding="utf-8"))
    for item in ("三公经费", "公务接待费"):
        data["prior_year"]["items"].pop(item)
    path = tmp_path / "no-3public.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    [p] = [p for p in load(path, "national").problems if p.rule == "prior.missing"]
    assert p.message.count("prior_year.") == 2 and "三公经费（prior_year.items.三公经费）" in p.message \
        and "公务接待费（prior_year.items.公务接待费）" in p.message and p.locations[0].field == "prior_year"


def test_typed_facts_the_profiles_narrative_never_prints_are_named(tmp_path):
    """A trial's ``planned_vehicles: 1`` vanished from its Henan and Hubei packages without a word: only the
    说明 prints assets and special_transfer, and those profiles' templates never read planned purchases (Henan),
    or special_transfer (all but Henan). A notice names each such fact at its line; nothing is blocked."""
    from helpers import HENAN, QINGSHAN

    lines = QINGSHAN.read_text(encoding="utf-8").splitlines()
    at = lambda key: next(n for n, line in enumerate(lines, 1) if line.strip().startswith(key + ":"))  # noqa: E731
    result = load(QINGSHAN, "henan")
    [p] = [p for p in result.problems if p.rule == "facts.unused"]
    assert p.severity == "notice" and result.errors == []
    assert "assets.planned_vehicles（当年计划购置车辆数）" in p.message and "assets.planned_equipment" in p.message
    assert "assets.vehicles" not in p.message and "assets.equipment（" not in p.message   # Henan prints those
    assert [(loc.line, loc.field) for loc in p.locations] == [    # Henan's 说明 prints no staffing, no 年度工作任务
        (at("staffing"), "organization.staffing"), (at("tasks"), "organization.tasks"), (at("contact"), "organization.contact"),
        (at("planned_vehicles"), "assets.planned_vehicles"), (at("planned_equipment"), "assets.planned_equipment")]
    [p] = [p for p in load(QINGSHAN, "shaanxi").problems if p.rule == "facts.unused"]   # Shaanxi prints them all …
    assert [loc.field for loc in p.locations] == ["organization.contact"]                    # … but a form's 联系人
    # special_transfer: printed by Henan's 说明 only
    assert not [p for p in load(HENAN, "henan").problems if p.rule == "facts.unused"]
    [p] = [p for p in load(HENAN, "national").problems if p.rule == "facts.unused"]
    assert "special_transfer（专项转移支付项目情况）" in p.message and p.locations[0].field == "special_transfer"
    # a profile whose 说明 prints no assets at all names the whole block once; 甘肃 prints the staffing only on its
    # 部门整体支出绩效目标表, empty for a file without the department's targets
    [p] = [p for p in load(QINGSHAN, "gansu").problems if p.rule == "facts.unused"]
    assert p.message.count("assets") == 1 and at("assets") in [loc.line for loc in p.locations]
    assert "organization.staffing（" in p.message and "organization.tasks（年度工作任务）" in p.message   # no targets: an empty form
    # the 基本情况 of 甘肃's and 江西's forms (联系人, 职能依据 …) typed for a 说明 that prints none of it: named too
    [p] = [p for p in load(EXAMPLES / "gansu-hezheng-2025.yaml", "national").problems if p.rule == "facts.unused"]
    assert all(f"organization.{f}（" in p.message for f in ("contact", "mandate_basis", "management_systems")), p.message
    assert "organization.management_systems（部门（单位）基本制度建设）" in p.message      # not cut at （单位）
    assert not [p for p in load(EXAMPLES / "gansu-hezheng-2025.yaml").problems if p.rule == "facts.unused"]


@pytest.mark.parametrize("profile", ["national", "henan", "shanghai", "hubei", "shaanxi", "gansu", "jiangxi"])
def test_the_staffing_and_tasks_are_asked_for_and_named_where_the_package_prints_them(tmp_path, profile):
    """A clerk typed 编制30、实有28 and two 年度工作任务 for the national profile: its package prints neither, said nothing,
    and `init --profile national` had asked for both with a 待填 that blocks --strict (trialH-s28 D4). Whether the
    package prints them is read from the built Document itself: a task's words, the staffing's counts (“实有人数28人”
    in a 说明, the 编制人员数 cell of a form)."""
    import yaml

    from discloser.cli import main
    from helpers import ROOT, built_with

    source = ROOT / "tests" / "departments" / "anping-culture-sports-2025.yaml"
    org = yaml.safe_load(source.read_text(encoding="utf-8"))["organization"]
    counts = {org["staffing"][k] for k in ("authorized", "actual")}
    _, doc = built_with(source, profile)
    prose = "\n".join(p for s in doc.sections for p in [s.title, *s.paragraphs])
    forms = [{c.text for row in t.header + t.body for c in row.cells} for t in doc.tables if t.form]
    printed = {"organization.tasks": any(task[:10] in prose for task in org["tasks"]),
               "organization.staffing": any(f"{n}人" in prose for n in counts)
               or any(any("编制" in text for text in cells) and {str(n) for n in counts} & cells for cells in forms)}
    named = " ".join(p.message for p in load(source, profile).problems if p.rule == "facts.unused")
    for path, shown in printed.items():
        assert (path in named) == (not shown), (profile, path, shown, named)
    assert printed["organization.staffing"] == (profile in ("hubei", "shaanxi", "gansu", "jiangxi"))   # the trial's finding
    out = tmp_path / "starter.yaml"
    assert main(["init", "--profile", profile, "-q", str(out)]) == 0
    starter = yaml.safe_load(out.read_text(encoding="utf-8"))["organization"]
    assert {k for k in ("tasks", "staffing") if k in starter} == {p.split(".")[1] for p, shown in printed.items() if shown}
    assert not [p for p in load(out, profile).problems if p.rule == "facts.unused"]


def test_notes_the_profiles_narrative_reads_but_the_file_leaves_out_are_named(tmp_path):
    """Henan's 绩效目标设置情况 prints notes.performance (the reference describes what the targets cover); a trial's
    file had none and its package printed only a count, silently. A notice says what the section prints instead;
    a note no template of the profile reads (notes.performance under Hubei) is named by facts.unused."""
    import yaml

    from helpers import HENAN

    raw = yaml.safe_load(HENAN.read_text(encoding="utf-8"))
    assert raw["notes"]["performance"]
    assert not [p for p in load(HENAN, "henan").problems if p.rule == "notes.missing"]
    raw["notes"].pop("performance")
    path = write(tmp_path, yaml.safe_dump(raw, allow_unicode=True), "no-performance-note.yaml")
    result = load(path, "henan")
    [p] = [p for p in result.problems if p.rule == "notes.missing"]
    assert p.severity == "notice" and result.errors == [] and "notes.performance" in p.message and "只印" in p.message
    # Hubei's 说明 reads its own note (预算绩效管理工作开展情况), not Henan's
    [hubei] = [p for p in load(path, "hubei").problems if p.rule == "notes.missing"]
    assert "notes.performance_management" in hubei.message and "notes.performance，" not in hubei.message
    [unused] = [p for p in load(HENAN, "hubei").problems if p.rule == "facts.unused"]
    assert "notes.performance（补充文字）" in unused.message
    assert any(loc.field == "notes.performance" for loc in unused.locations)
def test_a_code_added_in_a_later_year_is_refused_with_its_revision(tmp_path):
    """财预〔2024〕22号 added 22006 耕地保护考核奖惩基金支出 (the 2024 catalog's `changes`): a trial's 2023 file with
    2200601 was told to write the 款's name under function_names, and then passed with a notice. Now the line,
    and the function_names entry, are errors saying when and by which document the code was added; no advice
    to name it (that would make it a code of 2023)."""
    line = '  - {function: "2101506", economic: "30239", kind: 公用经费, amount: 70200}\n'
    added = '  - {function: "2200601 耕地保护考核奖励支出", economic: "30239", kind: 公用经费, amount: 100}\n'
    text = TEXT.replace("year: 2024\n", "year: 2023\n", 1).replace(line, line + added, 1)
    assert added in text and "\nyear: 2023\n" in "\n" + text
    result = load(write(tmp_path, text))
    [p] = [p for p in result.errors if p.rule == "catalog.added"]
    assert p.message.startswith("功能分类科目“2200601”所属的款“22006 耕地保护考核奖惩基金支出”于2024年新增（")
    assert "财预〔2024〕22号" in p.message and "2023年没有这一科目" in p.message
    assert p.locations[0].line == line_of(line.strip()) + 1 and p.locations[0].field.endswith(".function")
    assert not any("2200601" in q.message or "22006" in q.message for q in result.problems if q.rule == "catalog.function")

    named = text + "function_names:\n  '22006': 耕地保护考核奖惩基金支出\n"
    result = load(write(tmp_path, named))
    late = [p for p in result.errors if p.rule == "catalog.added"]
    assert [p.message.split("于")[0] for p in late] == ["功能分类科目“22006”", "功能分类科目“2200601”所属的款“22006 耕地保护考核奖惩基金支出”"]
    assert not any("22006" in q.message for q in result.problems if q.rule == "catalog.function")
    # in 2024, the year it was added, the same line is a code of the catalog's 款 (its 项 named by the line)
    result = load(write(tmp_path, TEXT.replace(line, line + added, 1)))
    assert "catalog.added" not in rules_of(result)


def test_23004_is_no_2024_addition():
    """The 2024 catalog listed 23004 政府性基金转移支付 as added, though 财预〔2024〕22号 adds 2300412 under the 款
    23004 it names as existing (the file's own note): 23004 is in 2023, and only 22006 and 2300412 are 2024's."""
    from discloser.catalog import introduced_after, load_catalog

    assert load_catalog(2023).function_name("23004") == "政府性基金转移支付"
    assert set(load_catalog(2024).changes["function"]["added"]) == {"22006", "2300412"}
    assert introduced_after("2300412", 2023).code == "2300412" and introduced_after("2300401", 2023) is None


def test_carried_in_money_is_checked_against_last_years_plan(tmp_path):
    """Trial F: a unit planned 24,000 元 of 事业收入 to carry on and the next year typed more, money came in
    carried from a fund that planned none — no word. With last year's plan in `prior_year.carry_forward`
    (rollover writes it) each unit's 上年结转结余 is compared per fund; a plan is not the outcome: a notice."""
    source = Path(__file__).parent / "departments" / "yunxi-resources-2025.yaml"
    text = source.read_text(encoding="utf-8")
    # independently: each unit's carried-in lines, by carried_from, straight from the file
    carried = {(m.group(1), m.group(3)): m.group(2) for m in re.finditer(
        r'unit: "(\d+)".*amount: ([\d.]+), fund: 上年结转结余, carried_from: (\S+)\}', text)}
    assert carried == {("318001", "一般公共预算拨款"): "185000.50", ("318003", "单位资金"): "66000"}

    def check(plan: str):
        body = text.replace("prior_year:\n", f"prior_year:\n  carry_forward: {plan}\n", 1)
        return [p for p in load(write(tmp_path, body)).problems if p.rule == "prior.carry"]

    [p] = check('[{unit: "318001", amount: 185000.50}, {unit: "318003", fund: 事业收入, amount: 24000}]')
    assert p.severity == "notice" and "单位“318003" in p.message and "单位资金：上年计划 24000 元，本年 66000 元" in p.message
    assert p.locations[0].line == text[:text.index('{unit: "318003", source: 上年结转结余')].count("\n") + 1
    none_planned = check("[]")
    assert len(none_planned) == 2 and "一般公共预算拨款：上年计划 0 元，本年 185000.50 元" in none_planned[0].message
    assert not check('[{unit: "318001", amount: 185000.50}, {unit: "318003", fund: 事业收入, amount: 66000}]')
    assert not [p for p in load(source).problems if p.rule == "prior.carry"]     # no plan typed: no claim


def test_optional_facts_the_profile_prints_and_the_file_leaves_out_are_named(tmp_path):
    """trialY-s29 D1, D2: Henan's cover lost its date line (“2023年2月”) and its 国有资产 sentence the “专用设备0台（套）”
    clause without a word — the file had no approval_date, no special_equipment. A notice names each optional fact
    the profile prints and the file leaves out (the date: where it is printed); nothing is invented in the package."""
    import yaml

    from helpers import ROOT, built_with

    source = ROOT / "tests" / "departments" / "anping-culture-sports-2025.yaml"
    full = yaml.safe_load(source.read_text(encoding="utf-8"))
    assert full["approval_date"] and full["assets"]["special_equipment"] == 0 and full["assets"]["equipment"] == 0
    assert not [p for p in load(source, "henan").problems if p.rule == "facts.missing"]
    data = dict(full)
    data.pop("approval_date")
    data["assets"] = {k: v for k, v in full["assets"].items() if k != "special_equipment"}
    path = tmp_path / "sparse.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = load(path, "henan")
    [p] = [p for p in result.problems if p.rule == "facts.missing"]
    assert p.severity == "notice" and result.errors == [] and "不会编造" in p.message
    assert "approval_date（预算批复日期：封面的日期行）" in p.message and "assets.special_equipment" in p.message
    assert "assets.equipment（" not in p.message and [loc.field for loc in p.locations] == ["", "assets"], p
    _, doc = built_with(path, "henan")
    said = "".join(para for s in doc.sections for para in s.paragraphs)
    assert doc.date_line == "" and "通用设备0台（套）" in said and "专用设备" not in said
    [p] = [p for p in load(path, "hubei").problems if p.rule == "facts.missing"]     # Hubei prints it above 表13 too
    assert "封面的日期行、2025年部门整体绩效目标申报表的填报日期" in p.message, p.message
    assert not [p for p in load(path, "shaanxi").problems if p.rule == "facts.missing"]   # prints neither
    data["assets"] = {k: v for k, v in full["assets"].items() if k not in ("special_equipment", "planned_vehicles")}
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    [p] = [p for p in load(path, "hubei").problems if p.rule == "facts.missing"]     # two counts: assets said once
    assert "assets.planned_vehicles" in p.message and [loc.field for loc in p.locations] == ["", "assets"], p
