"""Every number in the generated 说明 equals the table figure it describes.

The change amounts ("较上年增加 X 元") are checked against the prior-year figures typed in the
example file (current table figure − prior), computed here independently of the program.
"""
from __future__ import annotations

import re
from decimal import Decimal

import pytest
import yaml

from helpers import QINGSHAN, SHAANXI, built_with, document, table

AMOUNT = re.compile(r"((?:较上年)?(?:增加|减少|增长))?(\d+(?:\.\d+)?)(万元|元)(?!以上)")


def narrative_text(doc) -> str:
    return "\n".join(p for s in doc.sections for p in [s.title, *s.paragraphs])


def table_figures(doc) -> set[Decimal]:
    return {c.value for t in doc.tables for r in t.body for c in r.cells if c.value is not None}


def test_every_amount_is_a_table_figure_or_a_computed_change():
    doc = document()
    figures = table_figures(doc) | {Decimal(0)}
    text = narrative_text(doc)
    found = AMOUNT.findall(text)
    assert len(found) > 40
    for change, number, unit in found:
        if change:
            continue
        assert Decimal(number) in figures, number


def _paragraph(doc, start: str) -> list[str]:
    return [p for s in doc.sections for p in s.paragraphs if p.startswith(start)]


def test_function_lines_match_table5_and_prior_year():
    doc = document()
    data = yaml.safe_load(SHAANXI.read_text(encoding="utf-8"))
    prior = {k: Decimal(v["amount"]) for k, v in data["prior_year"]["function"].items()}
    t5 = {r.cells[0].text: r.cells[2].value for r in table(doc, "表5").body if len(r.cells[0].text) == 7}
    lines = [p for s in doc.sections if s.title.startswith("2. 支出按功能科目") for p in s.paragraphs[1:]]
    assert len(lines) == len(t5) == 8
    for line in lines:
        m = re.match(r"（\d+）(.+?)（(\d{7})）(\d+)元，较上年(增加|减少)(\d+)元，主要原因是(.+)[；。]$", line)
        assert m, line
        code, amount, word, change = m.group(2), Decimal(m.group(3)), m.group(4), Decimal(m.group(5))
        assert amount == t5[code]
        assert (amount - prior[code]) == (change if word == "增加" else -change)
    # the reference's typo “职业年金缴费支出（2080505）” is not repeated
    assert any("机关事业单位职业年金缴费支出（2080506）98550元" in line for line in lines)


def test_economic_lines_match_table6():
    doc = document()
    t6 = {r.cells[0].text: r.cells[4].value for r in table(doc, "表6").body if len(r.cells[0].text) == 3}
    lines = [p for s in doc.sections if s.title.startswith("3. 支出按经济科目") for p in s.paragraphs]
    dept = [re.match(r"(.+?)（(\d{3})）(\d+)元", p) for p in lines]
    dept = {m.group(2): Decimal(m.group(3)) for m in dept if m and m.group(2).startswith("3")}
    assert dept == t6
    gov = {m.group(2): Decimal(m.group(3)) for m in (re.match(r"(.+?)（(\d{3})）(\d+)元", p) for p in lines) if m and m.group(2).startswith("5")}
    # 政府经济分类 from the catalog mapping: 303 → 509 对个人和家庭的补助 (the reference wrote 机关资本性支出（509）)
    assert gov == {"501": Decimal(1258830), "502": Decimal(256700), "509": Decimal(30880), "510": Decimal(1942160)}
    assert any(p.startswith("对个人和家庭的补助（509）") for p in lines)


def plain(value: Decimal) -> str:
    """A table figure as the narrative prints 元: no separators, no “.00”."""
    return f"{value.normalize():f}" if value == value.to_integral_value() else f"{value:.2f}"


def test_totals_three_public_and_public_funds_match_tables():
    doc = document()
    t4 = {r.cells[0].text: r.cells[1].value for r in table(doc, "表4").body}
    t5_total = table(doc, "表5").body[0]
    t12 = table(doc, "表12").body[0]
    text = narrative_text(doc)
    assert f"当年预算收入{plain(t4['收入总计'])}元" in text
    assert f"当年财政拨款收入{plain(t4['一、财政拨款'])}元" in text
    assert f"“三公”经费预算支出{plain(t12.cells[2].value)}元" in text
    assert f"培训费预算支出{plain(t12.cells[-1].value)}元" in text
    # The reference's section 九 says 46500 元, contradicting its own 表5 (公用经费 116,700.00).
    assert f"公用经费预算安排{plain(t5_total.cells[4].value)}元" in text
    assert "46500" not in text


def test_sections_in_reference_order_and_no_placeholders():
    doc = document()
    titles = [s.title for s in doc.sections if s.level == 2]
    assert titles == ["一、主要职责及机构设置", "二、工作任务", "三、人员情况说明", "四、收支说明",
                      "五、“三公”经费及会议费、培训费情况说明", "六、国有资产占有使用及资产购置情况说明", "七、政府采购情况说明",
                      "八、绩效目标情况说明", "九、公用经费情况说明", "十、专业名词解释"]
    text = narrative_text(doc)
    for bad in ("XX", "待填写", "None", "增长 0", "减少为 0"):
        assert bad not in text
    assert "本单位无当年政府性基金预算收支，并已公开空表。" in text
    assert "本单位当年无政府采购预算，并已公开空表。" in text


@pytest.mark.parametrize("profile_name", ["henan", "shaanxi", "national"])
def test_fiscal_parts_add_up_to_fiscal_total_with_state_capital(profile_name):
    """“财政拨款收入 X，其中 一般公共预算 A、政府性基金 B、国有资本经营 C”: the parts name every fiscal
    source the department has (the trial's 卫健委 has 50,000 元 of 国有资本经营预算拨款) and add up to X."""
    import yaml

    from helpers import YONGAN, built_with

    state = sum(Decimal(str(r["amount"])) for r in yaml.safe_load(YONGAN.read_text(encoding="utf-8"))["revenues"]
                if r["source"] == "国有资本经营预算拨款")
    assert state > 0
    text = narrative_text(built_with(YONGAN, profile_name)[1])
    sentences = re.findall(r"财政拨款(收入|支出)(?:预算)?(\d+(?:\.\d+)?)(万元|元)，其中([^；。]*)", text)
    assert {kind for kind, *_ in sentences} == {"收入", "支出"}
    for kind, total, unit, parts in sentences:
        parts = re.split(r"，(?:较上年|比上年|与上年)", parts)[0]      # the change phrase is not a part
        amounts = [Decimal(a) for a in re.findall(r"(\d+(?:\.\d+)?)" + unit, parts)]
        assert "国有资本经营预算" in parts, (kind, parts)
        assert sum(amounts) == Decimal(total), (kind, total, parts)


def test_henan_sum_with_carry_over_is_the_total_not_the_tables_income_subtotal():
    """表1/表2 print 本年收入合计 without 上年结转结余; the 说明 sentence that adds the carry-over calls its
    sum 收入总计 (a trial printed “收入合计1183.47万元” beside the tables' 本年收入合计 1,160.47)."""
    from helpers import HENAN, YONGAN, built_with

    text = narrative_text(built_with(YONGAN, "henan")[1])
    assert "收入总计1183.47万元，其中：" in text and "收入合计1183.47" not in text
    assert "收入合计193.86万元，其中：" in narrative_text(document(HENAN))      # no carry-over: the reference's words


@pytest.mark.parametrize("profile_name", ["national", "henan", "shaanxi"])
def test_carried_fiscal_money_is_stated_by_fund(profile_name):
    """Where the 说明 states each fiscal fund's revenue and spending, 财政拨款上年结转 is broken down by
    whose money it was: otherwise “政府性基金拨款收入 0” beside “政府性基金拨款支出 8.00” reads as a
    contradiction. Each fund's figure is summed here from the input's lines in 元."""
    raw = yaml.safe_load(QINGSHAN.read_text(encoding="utf-8"))
    carried: dict[str, Decimal] = {}
    for line in raw["expenditures"] + raw.get("carry_forward", []):
        if line.get("fund") == "上年结转结余" and line.get("carried_from", "单位资金") != "单位资金":
            carried[line["carried_from"]] = carried.get(line["carried_from"], Decimal(0)) + Decimal(str(line["amount"]))
    assert set(carried) == {"一般公共预算拨款", "政府性基金预算拨款"}
    wan = profile_name != "shaanxi"
    _, doc = built_with(QINGSHAN, profile_name)
    text = narrative_text(doc)
    for fund, yuan in carried.items():
        shown = (yuan / 10000).quantize(Decimal("0.01")) if wan else yuan.quantize(Decimal("0.01"))
        shown = shown.to_integral_value() if not wan and shown == shown.to_integral_value() else shown
        assert f"{fund}上年结转{shown:f}{'万元' if wan else '元'}" in text, (fund, shown)


def test_shaanxi_fiscal_sentence_balances_with_carry_over():
    """Shaanxi's （二）财政拨款收支情况 with 财政拨款 carried in and carried on: 当年收入 + 上年结转 = 当年支出
    + 结转下年 as printed (a trial's 镇政府 read 4,120,718.63 + 90,000 against 4,150,718.63, the 60,000 结转下年
    unsaid), and the change against last year's 财政拨款收支 is stated on the 总计."""
    _, doc = built_with(QINGSHAN, "shaanxi")
    para = next(p for s in doc.sections for p in s.paragraphs if p.startswith("本部门当年财政拨款收入"))
    figure = lambda words: Decimal(re.search(words + r"([\d.]+)元", para).group(1))  # noqa: E731
    income, carried = figure("当年财政拨款收入"), figure("另有财政拨款上年结转")
    spent, forward = figure("当年财政拨款支出"), figure("财政拨款结转下年")
    assert carried > 0 and forward > 0 and income + carried == spent + forward, para
    raw = yaml.safe_load(QINGSHAN.read_text(encoding="utf-8"))
    total = figure("财政拨款收支总计")
    assert total == income + carried and f"较上年增加{total - Decimal(str(raw['prior_year']['fiscal']['amount'])):f}元" in para


@pytest.mark.parametrize("profile_name, threshold", [("shaanxi", "单价20万元以上"), ("national", "单价50万元以上"),
                                                     ("shanghai", "单价100万元（含）以上")])
def test_the_equipment_threshold_is_the_provinces_unless_the_file_says(tmp_path, profile_name, threshold):
    """A trial's Shaanxi 镇政府 printed “单价50万元以上的设备” — the national default — where Shaanxi publishes
    “单价20万元以上的设备” (its reference). The threshold is the province's publication rule; a file's own wins."""
    raw = yaml.safe_load(QINGSHAN.read_text(encoding="utf-8"))
    raw["assets"].pop("equipment_threshold", None)
    raw["assets"]["equipment"] = 3
    path = tmp_path / "b.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    text = narrative_text(built_with(path, profile_name)[1])
    assert f"{threshold}的设备3台" in text or f"{threshold}设备（不含车辆）3台" in text
    raw["assets"]["equipment_threshold"] = "单价30万元以上"
    path = tmp_path / "own.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    text = narrative_text(built_with(path, profile_name)[1])
    assert threshold not in text and "单价30万元以上" in text


def test_shaanxi_spending_sentence_names_every_source_and_adds_up():
    """A trial's 镇政府: “当年预算支出10431709.92元，其中” named only the three fiscal funds (10,206,709.92); the
    225,000 元 spent from 事业收入, 上级补助收入, 其他收入 and carried 单位资金 went unsaid. The parts now add up
    to the whole, and the non-fiscal ones match the input's lines summed by source in 元."""
    raw = yaml.safe_load(QINGSHAN.read_text(encoding="utf-8"))
    by_source: dict[str, Decimal] = {}
    for line in raw["expenditures"]:
        fund = line.get("fund", "一般公共预算拨款")   # the file format's default
        if fund == "上年结转结余":
            fund = "单位资金上年结转" if line.get("carried_from", "单位资金") == "单位资金" else line["carried_from"]
        by_source[fund] = by_source.get(fund, Decimal(0)) + Decimal(str(line["amount"]))
    others = {k: v for k, v in by_source.items() if k not in ("一般公共预算拨款", "政府性基金预算拨款", "国有资本经营预算拨款")}
    assert others and all(others.values())
    text = narrative_text(built_with(QINGSHAN, "shaanxi")[1])
    sentence = re.search(r"当年预算支出([\d.]+)元，其中(.*?)[；。]", text)
    total, parts = Decimal(sentence.group(1)), re.findall(r"(?:、|^)([^、\d]+?)([\d.]+)元", sentence.group(2))
    assert total == sum(by_source.values())
    assert sum(Decimal(v) for _, v in parts) == total, parts
    for source, yuan in others.items():
        assert (f"{source}安排的支出", yuan) in [(name, Decimal(v)) for name, v in parts], (source, parts)


def _public_funds_from_the_gov_fund(tmp_path, kind: str = "行政单位"):
    """The Shaanxi example (one 行政单位) with every 公用经费 line — its 公务接待费 and 培训费 among them — paid
    from 政府性基金 instead of 一般公共预算 (a trial's fund-only 参公 unit), the revenues balanced to match."""
    data = yaml.safe_load(SHAANXI.read_text(encoding="utf-8"))
    data["organization"]["kind"] = kind
    moved = 0
    for line in data["expenditures"]:
        if line["kind"] == "公用经费":
            line["fund"] = "政府性基金预算拨款"
            moved += line["amount"]
    assert moved == 116700
    data["revenues"][0]["amount"] -= moved
    data["revenues"].append({"source": "政府性基金预算拨款", "amount": moved})
    path = tmp_path / "gov-fund-public.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.mark.parametrize("profile_name", ["national", "hubei"])
@pytest.mark.parametrize("kind", ["行政单位", "参照公务员法管理事业单位"])
def test_no_running_costs_gives_the_reason_true_of_the_package(tmp_path, profile_name, kind):
    """A 行政 or 参公 unit whose 公用经费 is all 政府性基金 has no 机关运行经费 because of the fund, not its kind:
    a trial's fund-only department read “（机关运行经费只属于行政单位和参照公务员法管理的事业单位）” beside its
    参公 unit. (A package of 事业单位 only keeps that reason: test_hubei's institution test.)"""
    _, doc = built_with(_public_funds_from_the_gov_fund(tmp_path, kind), profile_name)
    [para] = [p for s in doc.sections if "机关运行经费" in s.title for p in s.paragraphs]
    verb = "预算" if profile_name == "national" else "支出"
    assert para == (f"麟游县医疗保障经办机构2024年无机关运行经费{verb}（机关运行经费是行政单位和参照公务员法管理的事业单位"
                    "用一般公共预算拨款安排的公用经费，本单位未安排此类经费）。")


@pytest.mark.parametrize("profile_name", ["national", "henan", "hubei", "shaanxi", "shanghai"])
def test_an_empty_three_public_table_names_the_money_it_covers(tmp_path, profile_name):
    """The glossaries define “三公”经费 as paid from 财政拨款; a department whose 公务接待费 is paid from
    政府性基金 read “无“三公”经费预算” (a trial). The reason names the money the table counts — 一般公共预算拨款,
    as the tables are titled, or 财政拨款 where the profile counts all three (Shanghai: its table then has them)."""
    _, doc = built_with(_public_funds_from_the_gov_fund(tmp_path), profile_name)
    [t] = [t for t in doc.tables if t.key == "three_public"]
    if profile_name == "shanghai":
        assert not t.empty and any(c.value for r in t.body for c in r.cells)
        return
    subject = "“三公”经费及会议费、培训费预算" if profile_name == "shaanxi" else "“三公”经费预算"
    assert t.empty and "一般公共预算" in t.title
    assert t.empty_reason == f"本单位2024年无一般公共预算拨款安排的{subject}，故本表为空表。"
    if profile_name == "national":      # its 说明 lists the empty tables with their reasons
        assert any(t.empty_reason in p for s in doc.sections for p in s.paragraphs)
def _moved_code(tmp_path):
    """The Yunxi department with its 一般公共预算 line of 2200129 (300,000 元; 260,000 last year) moved to
    2200199, a code the prior-year figures do not have: 2200129 is gone this year, 2200199 new."""
    from pathlib import Path

    source = Path(__file__).parent / "departments" / "yunxi-resources-2025.yaml"
    old = '- {unit: "318003", function: "2200129 基础测绘与地理信息监管", economic: "30227", kind: 项目支出, project: "421125250000000109", amount: 300000}'
    text = source.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "yunxi.yaml"
    path.write_text(text.replace(old, old.replace("2200129 基础测绘与地理信息监管", "2200199 其他自然资源事务支出")),
                    encoding="utf-8")
    return path


def _general_yuan(path) -> tuple[dict[str, Decimal], dict[str, Decimal], Decimal, Decimal]:
    """(this year's 一般公共预算 by 功能 项, last year's, this year's total, last year's total), in 元, from the file:
    a line is 一般公共预算's when its fund is (the default) or its carried-in money was."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    now: dict[str, Decimal] = {}
    for e in data["expenditures"]:
        if e.get("fund", "一般公共预算拨款") == "一般公共预算拨款" or e.get("carried_from") == "一般公共预算拨款":
            code = e["function"].split()[0]
            now[code] = now.get(code, Decimal(0)) + Decimal(str(e["amount"]))
    before = {k: Decimal(str(v["amount"])) for k, v in data["prior_year"]["function"].items()}
    return now, before, sum(now.values(), Decimal(0)), Decimal(str(data["prior_year"]["general"]["amount"]))


def _wan(yuan: Decimal) -> Decimal:
    """元 → 万元 as printed (half up)."""
    from decimal import ROUND_HALF_UP

    return (yuan / 10000).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _signed(word: str, amount: str) -> Decimal:
    return Decimal(amount) * (1 if word == "增加" else -1)


def test_national_change_list_names_codes_new_and_gone_and_adds_up(tmp_path):
    """A trial's 2026 说明 said 一般公共预算拨款支出 “较上年增加45.70万元” and listed +2.70 and −5.00 only: the code new
    this year (+56.00) and the one gone (−8.00) were missing, and validate asked a reason for the one gone that no
    line printed. Now both are listed, and the listed changes add up to the stated total change."""
    path = _moved_code(tmp_path)
    loaded, doc = built_with(path, "national")
    [section] = [s for s in doc.sections if "增减变化" in s.title]
    paras = section.paragraphs
    now, before, total_now, total_before = _general_yuan(path)
    assert "其他自然资源事务支出（2200199）30.00万元，上年未安排。" in paras
    gone = [p for p in paras if p.startswith("基础测绘与地理信息监管（2200129）本年未安排")]
    assert gone == ["基础测绘与地理信息监管（2200129）本年未安排，较上年减少26.00万元，主要原因是基础地形图更新面积增加。"]
    [general] = [p for p in paras if p.startswith("一般公共预算拨款支出")]
    m = re.search(r"较上年(增加|减少)(\d+\.\d\d)万元", general)
    stated_total = _signed(m.group(1), m.group(2))
    assert stated_total == _wan(total_now) - _wan(total_before)   # from the file, in 元
    listed = {}
    for p in paras:
        m = re.match(r"(?:.+?)（(\d{7})）(?:(\d+\.\d\d)万元，)?(?:本年未安排，)?(?:较上年(增加|减少)(\d+\.\d\d)万元|与上年持平|上年未安排)", p)
        if m:
            listed[m.group(1)] = (_signed(m.group(3), m.group(4)) if m.group(3) else
                                  Decimal(m.group(2)) if p.rstrip("。").endswith("上年未安排") else Decimal(0))
    assert set(listed) == set(now) | {c for c, v in before.items() if v}   # every code of either year
    assert sum(listed.values()) == stated_total
    for code in listed:   # each change from 元: this year's minus last year's
        assert listed[code] == _wan(now.get(code, Decimal(0))) - _wan(before.get(code, Decimal(0))), code


def test_shaanxi_lists_codes_gone_in_yuan_and_stops_calling_their_reason_unused(tmp_path):
    """Shaanxi lists every 功能/经济科目 with its change: a code gone this year is stated with its reason (in 元,
    exact), so validate's prior.reason and build's prior.unused no longer contradict each other."""
    from discloser.lint import check_document

    path = _moved_code(tmp_path)
    loaded, doc = built_with(path, "shaanxi")
    now, before, *_ = _general_yuan(path)
    text = narrative_text(doc)
    change = before["2200129"] - now.get("2200129", Decimal(0))
    assert f"基础测绘与地理信息监管（2200129）本年未安排，较上年减少{change:f}元，主要原因是基础地形图更新面积增加。" in text
    assert "其他自然资源事务支出（2200199）300000元，上年未安排" in text
    numbers = [int(n) for n in re.findall(r"^（(\d+)）.+?（\d{7}）", text, re.M)]   # the gone code continues the list
    assert numbers == list(range(1, len(numbers) + 1)) and re.search(r"^（\d+）基础测绘与地理信息监管（2200129）本年未安排", text, re.M)
    notices = " ".join(p.message for p in check_document(doc, loaded.budget, str(path), loaded.profile) if p.rule == "prior.unused")
    assert "功能科目 2200129" not in notices


def test_a_reason_asked_for_a_code_gone_only_where_the_codes_gone_are_stated(tmp_path):
    """validate asked a reason for a code gone this year (prior.reason) in profiles whose 说明 never states it."""
    from discloser.validate import load

    path = tmp_path / "gone.yaml"
    path.write_text(_moved_code(tmp_path).read_text(encoding="utf-8").replace(
        '"2200129": {amount: 260000, reason: 基础地形图更新面积增加}', '"2200129": {amount: 260000}'), encoding="utf-8")
    asked = lambda profile: {p.locations[0].field for p in load(path, profile).warnings if p.rule == "prior.reason"}  # noqa: E731
    assert "prior_year.function.2200129" in asked("national")
    assert "prior_year.function.2200129" in asked("shaanxi")
    assert "prior_year.function.2200129" not in asked("hubei")   # lists no 功能科目 change
    assert "prior_year.function.2200129" not in asked("shanghai")   # lists this year's 功能科目 only


def test_no_reason_is_asked_for_a_change_printed_as_nearly_nothing(tmp_path):
    """A trial's 2080506 moved 3 元 (52,982.71 → 52,985.71): validate asked a reason (so --strict failed) that
    the 说明 then left out of “……5.30万元，与上年基本持平”. A change that prints as nothing in 万元 needs none;
    one of a cent in 万元 (150 元) still does."""
    import yaml

    from helpers import YONGAN

    data = yaml.safe_load(YONGAN.read_text(encoding="utf-8"))
    general = lambda code: sum(Decimal(str(e["amount"])) for e in data["expenditures"]  # noqa: E731
                               if str(e["function"]).split()[0] == code and e.get("fund", "一般公共预算拨款") == "一般公共预算拨款")
    tiny, small = general("2080506"), general("2101101")
    assert tiny and small
    py = data["prior_year"]
    delta = (tiny - 3 - Decimal(py["function"]["2080506"]["amount"])) + (small - 150 - Decimal(py["function"]["2101101"]["amount"]))
    py["function"]["2080506"], py["function"]["2101101"] = {"amount": str(tiny - 3)}, {"amount": str(small - 150)}
    for figure in (py["general"], py["fiscal"], py["total"], py["economic_dept"]["301"]):   # last year's sums agree
        figure["amount"] = str(Decimal(str(figure["amount"])) + delta)
    path = tmp_path / "nearly.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    loaded, doc = built_with(path, "national")
    asked = {p.locations[0].field for p in loaded.warnings if p.rule == "prior.reason"}
    assert "prior_year.function.2101101" in asked and "prior_year.function.2080506" not in asked
    text = narrative_text(doc)
    assert re.search(r"（2080506）[\d.]+万元，与上年基本持平", text)


def test_shanghai_names_a_general_reason_it_leaves_out_even_when_another_reason_contains_it(tmp_path):
    """A trial's 一般公共预算 reason (“便民服务中心改造项目完成”) was a part of its 财政拨款 reason, which Shanghai prints;
    the 一般公共预算 change is printed without one, and prior.unused, which searched the text, did not name it."""
    from pathlib import Path

    from discloser.lint import check_document

    source = Path(__file__).parent / "departments" / "yunxi-resources-2025.yaml"
    path = tmp_path / "yunxi.yaml"
    path.write_text(source.read_text(encoding="utf-8").replace(
        "general: {amount: 10870000, reason: 国土空间规划编制项目资金减少}", "general: {amount: 10870000, reason: 征地补偿支出增加}"),
        encoding="utf-8")
    loaded, doc = built_with(path, "shanghai")
    text = narrative_text(doc)
    assert "主要原因是政府性基金安排的征地补偿支出增加" in text                   # the 财政拨款 reason is printed …
    assert "一般公共预算拨款支出预算962.93万元，比2024年预算减少124.07万元；" in text   # … the 一般公共预算 change without one
    notices = [p.message for p in check_document(doc, loaded.budget, str(path), loaded.profile) if p.rule == "prior.unused"]
    [unsaid] = [m for m in notices if "增减原因" in m]
    assert "一般公共预算拨款支出" in unsaid and "财政拨款收支" not in unsaid


@pytest.mark.parametrize("profile, general, special", [
    ("henan", "单价50万元以上通用设备{e}台（套）", "，单位价值100万元以上专用设备{s}台（套）。"),     # reference l.148
    ("hubei", "单位价值50万元以上通用设备{e}台（套）", "；单价100万元以上专用设备{s}台（套）。"),   # reference l.56
    ("national", "单价50万元以上通用设备{e}台（套）", "；单位价值100万元以上专用设备{s}台（套）。")])   # beside 专用, 通用 (trial V N4)
def test_special_equipment_is_stated_beside_the_general_equipment_only_when_typed(tmp_path, profile, general, special):
    """Both references print “单位价值100万元以上专用设备 N 台（套）” after the 通用设备 count (trial H item 6):
    assets.special_equipment with the province's threshold (profile data); not typed, no word of it."""
    raw = yaml.safe_load(QINGSHAN.read_text(encoding="utf-8"))
    raw["assets"].update({"special_equipment": 3, "equipment": 2})
    path = tmp_path / f"special-{profile}.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    text = narrative_text(built_with(path, profile)[1])
    assert general.format(e=2) + special.format(s=3) in text
    alone = narrative_text(built_with(QINGSHAN, profile)[1])
    assert "专用设备" not in alone and (profile != "national" or "单价50万元以上的设备0台（套）" in alone)   # alone: every 设备


def test_hubei_states_the_planned_purchases_as_the_years_change(tmp_path):
    """Hubei's 国有资产占用及增减变化 section ends with the year's change (reference l.56); a trial's typed
    ``planned_vehicles: 1`` was printed by no profile but the national and Shaanxi ones."""
    raw = yaml.safe_load(QINGSHAN.read_text(encoding="utf-8"))
    raw["assets"].update({"planned_vehicles": 1, "planned_equipment": 2})
    path = tmp_path / "planned.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    [para] = [p for s in built_with(path, "hubei")[1].sections if "国有资产" in s.title for p in s.paragraphs]
    assert para.startswith(raw["assets"]["as_of"] + "，本部门保有车辆共有1辆")
    assert para.endswith("。2025年预算安排购置车辆1辆，购置单位价值50万元以上通用设备2台（套）。"), para


@pytest.mark.parametrize("printed, part, whole, words", [
    ("0.00", "40", "100000000", "不足0.01%"),             # 0.00004 %: something, not nothing
    ("0.00", "0", "100000000", "0.00%"),                 # nothing is 0.00%
    ("100.00", "99999960", "100000000", "超过99.99%"),    # 99.99996 %: short of the whole
    ("100.00", "99990000", "100000000", "99.99%"),       # exactly 99.99 % (apportioned a cent up): not “超过”
    ("100.00", "100000000", "100000000", "100.00%"),
    ("0.01", "50", "1000000", "0.01%"),
    ("85.33", "1654200", "1938600", "85.33%"),
])
def test_a_share_never_reads_as_nothing_or_the_whole_when_it_is_not(printed, part, whole, words):
    from discloser.narrative import percent_words

    assert percent_words(Decimal(printed), Decimal(part), Decimal(whole)) == words


def test_a_change_too_small_for_two_decimals_is_not_printed_as_0_00_percent():
    from discloser.facts import Change
    from discloser.narrative import phrase
    from discloser.profile import PHRASES, Phrases

    words = Phrases(**PHRASES["compare"])
    small = phrase(Change("down", Decimal("0.01"), Decimal("0.00"), None), words, "元", str, True)
    assert small.endswith("不足0.01%") and "0.00%" not in small


def test_shares_of_a_tiny_part_beside_a_huge_one_read_as_words(tmp_path):
    """A trial's Hubei 说明 read “机关运行经费支出62.31万元……占预算总额的0.00%” (trial G): true to two decimals,
    yet a reader sees a share of nothing beside 62.31 万元. The 青山 department with one project of 9,900 亿元
    added: every share of a part that is not nothing reads “不足0.01%” where two decimals give 0.00, and the part
    that is nearly all of it “超过99.99%” (both checked against the file's amounts here)."""
    data = yaml.safe_load(QINGSHAN.read_text(encoding="utf-8"))
    huge = Decimal("990000000000")
    data["expenditures"].append({"unit": "210001", "function": "2120101", "economic": "31005", "kind": "项目支出",
                                 "project": "城市更新", "amount": str(huge)})
    data["projects"].append({"name": "城市更新", "unit": "210001", "type": "特定目标类"})
    data["revenues"][0]["amount"] = str(Decimal(str(data["revenues"][0]["amount"])) + huge)
    path = tmp_path / "huge.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")

    hubei = narrative_text(built_with(path, "hubei")[1])
    [running] = re.findall(r"^机关运行经费支出.*$", hubei, re.M)
    assert running.startswith("机关运行经费支出7.00万元") and "，占预算总额不足0.01%，比上年增加" in running, running
    assert "0.00%" not in hubei

    henan = narrative_text(built_with(path, "henan")[1])
    [spending] = re.findall(r"主要用于以下方面：(.*)。$", henan, re.M)
    shares = dict(re.findall(r"([^；]+?)\d+\.\d\d万元，占比?([^；]+)", spending))
    general = [e for e in data["expenditures"] if e.get("fund") in (None, "一般公共预算拨款")]
    by_class: dict[str, Decimal] = {}
    for e in general:
        by_class[e["function"][:3]] = by_class.get(e["function"][:3], Decimal(0)) + Decimal(str(e["amount"]))
    whole = sum(by_class.values())
    assert len(shares) == len(by_class) == 4
    names = {"207": "文化旅游体育与传媒支出", "208": "社会保障和就业支出", "212": "城乡社区事务支出", "221": "住房保障支出"}
    for code, amount in by_class.items():
        exact = amount * 100 / whole
        assert Decimal(0) < exact < Decimal("0.01") or Decimal("99.99") < exact < 100   # the case this test is for
        assert shares[names[code]] == ("不足0.01%" if exact < 1 else "超过99.99%"), (code, exact)
        assert f"，占比{shares[names[code]]}" in spending     # “占” needs its object: “占比不足0.01%” (trial M D6)


@pytest.mark.parametrize("profile_name", ["national", "henan", "hubei", "shanghai"])
def test_a_change_that_prints_as_nothing_reads_nearly_level(tmp_path, profile_name):
    """A trial's 说明 said “一般行政管理事务（2050102）353.63万元，较上年减少0.00万元” (3,536,300.00 元 against
    3,536,349.99): a decrease of nothing. Where the two years differ in 元 but print the same, the 说明 says
    “基本持平” — checked on every function code and every 三公 item given last year's figure a few 元 off this
    year's (computed here from the file)."""
    data = yaml.safe_load(QINGSHAN.read_text(encoding="utf-8"))
    now: dict[str, Decimal] = {}
    for e in data["expenditures"]:     # 一般公共预算 money: this year's and carried over
        if e.get("fund") in (None, "一般公共预算拨款") or e.get("carried_from") == "一般公共预算拨款":
            now[e["function"]] = now.get(e["function"], Decimal(0)) + Decimal(str(e["amount"]))

    def near(amount: Decimal) -> str:
        """A few 元 off, the same in 万元 rounded half up."""
        fen = amount * 100 % 10000
        return str(amount + (Decimal(3) if fen < 4000 else Decimal(-3)))

    data["prior_year"]["function"] = {code: {"amount": near(v)} for code, v in now.items()}
    general = data["prior_year"]["general"]
    general["amount"] = str(sum(Decimal(f["amount"]) for f in data["prior_year"]["function"].values()))
    path = tmp_path / "nearly.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    doc = built_with(path, profile_name)[1]
    text = narrative_text(doc)
    assert not re.search(r"(增加|减少|增长|下降)0\.00万元", text), text
    from oracle import check_document, summarize
    from oracle.inputs import read_yaml

    findings = check_document(read_yaml(path), doc, profile_name)    # the independent reader agrees
    assert not findings, summarize(findings)
    if profile_name == "national":
        for code in now:
            assert re.search(rf"（{code}）\d+\.\d\d万元，与上年基本持平", text), (code, text)


@pytest.mark.parametrize("profile", ["shaanxi", "hubei", "gansu"])
def test_indicators_of_one_level_print_as_one_group(tmp_path, profile):
    """A 效益指标 typed after the 满意度指标 printed as a second 效益指标 group under it (trial C D11): each
    一级指标 spans its indicators once, in the order the 一级指标 first appear; the 二级 likewise."""
    import yaml

    from reference_forms import texts

    from helpers import ROOT

    data = yaml.safe_load((ROOT / "tests" / "departments" / "yunxi-resources-2025.yaml").read_text(encoding="utf-8"))
    project = data["projects"][0]
    late = {"level1": "效益指标", "level2": "社会效益指标", "name": "规划服务乡村振兴项目数", "comparator": "≥",
            "value": "3", "measure": "个", "past_values": ["—", "2个"], "basis": "计划标准"}
    project["performance"]["indicators"].append(late)
    assert [i["level1"] for i in project["performance"]["indicators"]][-3:] == ["效益指标", "满意度指标", "效益指标"]
    path = tmp_path / "late.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    _, doc = built_with(path, profile)
    found = 0
    for t in doc.tables:
        names = [c for r in texts(t) for c in r]
        if t.form and late["name"] in names and "乡镇政府满意度" in names:   # the project's form (a summary has a column per 一级)
            found += 1
            benefit = names.index("国土空间开发保护格局")
            assert benefit < names.index(late["name"]) < names.index("乡镇政府满意度"), (t.number, names)
            span = names[benefit - 2:names.index("乡镇政府满意度")]
            assert span.count("效益指标") == 1, (t.number, span)
    assert found


def test_shaanxi_does_not_claim_full_coverage_without_any_targets(tmp_path):
    """With no project and no 部门整体 targets, “本单位绩效目标管理全覆盖 …（详见公开报表中的绩效目标表）” stood over
    empty 绩效目标表 (helper G, trialE-s27): the 说明 says there are none. With the department's own targets and no
    project, full coverage stays true (the reference's words)."""
    import yaml

    from helpers import ROOT, built_with

    source = ROOT / "tests" / "departments" / "anping-quality-testing-2025.yaml"
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    assert not data.get("projects") and data["performance"]["department"]
    _, doc = built_with(source, "shaanxi")
    assert "本单位绩效目标管理全覆盖" in narrative_text(doc)
    del data["performance"]["department"]
    path = tmp_path / "no-targets.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    _, doc = built_with(path, "shaanxi")
    text = narrative_text(doc)
    assert "全覆盖" not in text and f"本单位{data['year']}年无项目支出，未编制部门整体支出绩效目标。" in text


@pytest.mark.parametrize("profile_name", ["national", "shanghai"])
def test_money_that_prints_as_zero_is_never_said_to_be_none(profile_name):
    """trialW-s30 D1: a 事业单位 whose basic spending is 0.06 元 (公务接待费 0.03 元) in a 万元 profile published 表6 and the
    “三公” table empty “无一般公共预算拨款安排的基本支出”, and its 说明 said both “基本支出0.00万元，占0.12%” and “无一般公共
    预算基本支出”. The money exists: no sentence and no empty-table reason says 无 of it; each reason says it is under
    0.01 万元 and prints as zero."""
    from helpers import ROOT

    path = ROOT / "tests" / "departments" / "tiny-basic-unit-2025.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    basic = [Decimal(str(e["amount"])) for e in data["expenditures"] if e["kind"] != "项目支出"]
    reception = [Decimal(str(e["amount"])) for e in data["expenditures"] if e["economic"] == "30217"]
    assert 0 < sum(basic) < Decimal(50) and 0 < sum(reception) < Decimal(50)   # under half a cent of 万元, not none
    _, doc = built_with(path, profile_name)
    text = narrative_text(doc)
    assert "无一般公共预算基本支出" not in text and "无基本支出" not in text
    empty = [t for t in doc.tables if t.empty]
    basic_tables = [t for t in empty if "基本支出" in t.title]
    three_public = [t for t in empty if "三公" in t.title]
    assert basic_tables and three_public
    for t in basic_tables + three_public:
        for reason in (t.empty_reason, t.toc_reason or t.empty_reason):
            assert "不足0.01万元" in reason and "按万元列示均为零" in reason and "无" not in reason, (t.title, reason)
    # trialW2-s30 D4: a 事业单位 has no 机关运行经费 (the 说明 says so): Shanghai's 表9 names only the “三公” money it has
    assert data["scope"] == "单位" and data["organization"]["kind"] == "事业单位"
    for t in three_public:
        assert "机关运行经费" not in (t.empty_reason + (t.toc_reason or "")).replace(t.title, ""), (t.title, t.empty_reason)
