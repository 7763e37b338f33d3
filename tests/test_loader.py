"""Bad input: every case gets a located Chinese error or a clear refusal, fast, never a traceback."""
from __future__ import annotations

import json
import subprocess
import sys
import time
from decimal import Decimal

import pytest

from discloser.problems import Location, Problem, format_field_path
from discloser.source import SourceError, load_source
from discloser.validate import load
from helpers import SHAANXI

TEXT = SHAANXI.read_text(encoding="utf-8")


def problems_of(path):
    with pytest.raises(SourceError) as e:
        load_source(path)
    return e.value.problems


def test_positions_of_nested_values(tmp_path):
    p = tmp_path / "a.yaml"
    p.write_text("year: 2024\nexpenditures:\n  - amount: 1\n  - function: x\n    amount: 12.50\n", encoding="utf-8")
    src = load_source(p)
    assert src.positions[("expenditures", 1, "amount")] == (5, 13)
    assert src.key_positions[("expenditures", 1, "amount")] == (5, 5)
    assert src.positions[("expenditures",)] == (2, 1)      # a block list stands where its key is
    assert src.data["expenditures"][1]["amount"] == Decimal("12.50")
    assert str(src.locate(("expenditures", 1, "amount"))) == f"{p}:5:13 expenditures[1].amount"


def test_money_text_stays_exact_in_yaml_and_json(tmp_path):
    y = tmp_path / "a.yaml"
    y.write_text("a: 0.10\nb: 3488570\nc: '0.1'\nd: 0101\ne: yes\nf: 2024-01-01\n", encoding="utf-8")
    data = load_source(y).data
    assert data == {"a": Decimal("0.10"), "b": 3488570, "c": "0.1", "d": "0101", "e": "yes", "f": "2024-01-01"}
    assert str(data["a"]) == "0.10"
    j = tmp_path / "a.json"
    j.write_text('{"a": 0.10, "b": [1, 2.5]}', encoding="utf-8")
    src = load_source(j)
    assert src.data == {"a": Decimal("0.10"), "b": [1, Decimal("2.5")]}
    assert src.positions[("b", 1)] == (1, 22)


def test_duplicate_key_located_at_second(tmp_path):
    p = tmp_path / "a.yaml"
    p.write_text("year: 2024\nprofile: x\nyear: 2025\n", encoding="utf-8")
    [prob] = problems_of(p)
    assert prob.rule == "source.duplicate-key"
    assert (prob.locations[0].line, prob.locations[0].column) == (3, 1)
    assert "第 1 行" in prob.message


def test_alias_bomb_refused_fast(tmp_path):
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for n in range(1, 10):
        lines.append(f"{chr(97 + n)}: &{chr(97 + n)} [" + ",".join([f"*{chr(96 + n)}"] * 9) + "]")
    p = tmp_path / "bomb.yaml"
    p.write_text("\n".join(lines), encoding="utf-8")
    t = time.perf_counter()
    probs = problems_of(p)
    assert time.perf_counter() - t < 1
    assert {x.rule for x in probs} == {"source.alias"}
    assert probs[0].locations[0].line == 1


@pytest.mark.parametrize("name, text", [("deep.yaml", "[" * 10000 + "]" * 10000), ("deep.json", "[" * 10000 + "]" * 10000),
                                         ("deep2.yaml", "a:\n" + "".join(" " * (2 * n) + "b:\n" for n in range(1, 60)))])
def test_deep_nesting_refused_fast(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    t = time.perf_counter()
    probs = problems_of(p)
    assert time.perf_counter() - t < 1
    assert probs[0].rule == "source.too-deep"


def test_huge_file_refused_before_parsing(tmp_path):
    p = tmp_path / "big.yaml"
    with open(p, "wb") as f:
        f.seek(50 * 1024 * 1024)
        f.write(b"\n")
    t = time.perf_counter()
    [prob] = problems_of(p)
    assert time.perf_counter() - t < 1
    assert prob.rule == "source.too-large" and "50.0 MB" in prob.message


def test_gbk_file_named_with_position(tmp_path):
    p = tmp_path / "gbk.yaml"
    p.write_bytes("year: 2024\n名称: 测试\n".encode("gbk"))
    [prob] = problems_of(p)
    assert prob.rule == "source.encoding" and "UTF-8" in prob.message and "GBK" in prob.message
    assert (prob.locations[0].line, prob.locations[0].column) == (2, 1)


def test_bom_accepted(tmp_path):
    p = tmp_path / "bom.yaml"
    p.write_bytes(b"\xef\xbb\xbf" + TEXT.encode("utf-8"))
    assert load(p).problems == []


def test_tab_indentation_located(tmp_path):
    p = tmp_path / "tab.yaml"
    p.write_text("organization:\n\tname: x\n", encoding="utf-8")
    [prob] = problems_of(p)
    assert prob.rule == "source.tab" and (prob.locations[0].line, prob.locations[0].column) == (2, 1)


def test_binary_junk_refused(tmp_path):
    p = tmp_path / "junk.yaml"
    p.write_bytes(bytes(range(256)) * 10)
    [prob] = problems_of(p)
    assert prob.rule == "source.binary"


def test_syntax_errors_located(tmp_path):
    y = tmp_path / "bad.yaml"
    y.write_text("year: 2024\norganization:\n  name: [unclosed\n  code: 1\n", encoding="utf-8")
    [prob] = problems_of(y)
    assert prob.rule == "source.syntax" and prob.locations[0].line >= 3
    j = tmp_path / "bad.json"
    j.write_text('{"year": 2024,\n "x": }', encoding="utf-8")
    [prob] = problems_of(j)
    assert prob.rule == "source.syntax" and (prob.locations[0].line, prob.locations[0].column) == (2, 7)


def test_empty_missing_and_wrong_extension(tmp_path):
    (tmp_path / "e.yaml").write_text("  \n", encoding="utf-8")
    assert problems_of(tmp_path / "e.yaml")[0].rule == "source.empty"
    assert problems_of(tmp_path / "nope.yaml")[0].rule == "source.missing"
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    assert problems_of(tmp_path / "a.txt")[0].rule == "source.format"


def test_wrong_type_and_form_located_exactly(tmp_path):
    text = TEXT.replace("amount: 129320}", "amount: 12932.005}").replace("amount: 98550}", 'amount: "98,55"}')
    text = text.replace("  staffing:\n    authorized: 10", "  staffing:\n    authorized: 十")
    p = tmp_path / "t.yaml"
    p.write_text(text, encoding="utf-8")
    result = load(p)
    lines = text.splitlines()
    got = {(x.locations[0].line, x.locations[0].column, x.locations[0].field): x.message for x in result.errors}
    l1 = next(n for n, l in enumerate(lines, 1) if "12932.005" in l)
    l2 = next(n for n, l in enumerate(lines, 1) if '"98,55"' in l)
    l3 = next(n for n, l in enumerate(lines, 1) if "authorized: 十" in l)
    assert (l1, lines[l1 - 1].index("12932.005") + 1, "expenditures[0].amount") in got
    assert (l2, lines[l2 - 1].index('"98,55"') + 1, "expenditures[1].amount") in got
    assert (l3, lines[l3 - 1].index("十") + 1, "organization.staffing.authorized") in got
    assert "超过两位小数" in got[(l1, lines[l1 - 1].index("12932.005") + 1, "expenditures[0].amount")]


@pytest.mark.parametrize("bad, word", [(".nan", "NaN"), (".inf", "Infinity"), ("-5", "负数"), ('"1,23,4"', "不是合法金额"), ("true", "true")])
def test_bad_money_forms(tmp_path, bad, word):
    p = tmp_path / "m.yaml"
    p.write_text(TEXT.replace("amount: 129320}", f"amount: {bad}}}"), encoding="utf-8")
    result = load(p)
    msgs = [x.message for x in result.errors if x.locations[0].field == "expenditures[0].amount"]
    assert msgs and word in msgs[0]


def test_unknown_key_did_you_mean(tmp_path):
    p = tmp_path / "k.yaml"
    p.write_text(TEXT.replace("kind: 人员经费, amount: 129320}", "kind: 人员经费, ammount: 129320}"), encoding="utf-8")
    result = load(p)
    msgs = {x.message for x in result.errors}
    assert any("未知字段“ammount”，是不是要写“amount”" in m for m in msgs)
    assert any(x.rule == "schema.missing" for x in result.errors)   # the real amount is now missing, reported too


def test_all_problems_in_one_run(tmp_path):
    p = tmp_path / "many.yaml"
    p.write_text(TEXT.replace("amount: 129320}", "amount: x}").replace("amount: 98550}", "amount: y}").replace("year: 2024", "year: 二〇二四"),
                 encoding="utf-8")
    assert len(load(p).errors) == 3


def test_cli_exit_codes_and_json(tmp_path):
    ok = subprocess.run([sys.executable, "-m", "discloser.cli", "validate", str(SHAANXI)], capture_output=True, text=True)
    assert ok.returncode == 0 and "通过" in ok.stdout
    bad = tmp_path / "bad.yaml"
    bad.write_text(TEXT.replace("amount: 3488570", "amount: 3488000"), encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "discloser.cli", "validate", "--format", "json", str(bad)], capture_output=True, text=True)
    assert r.returncode == 1
    report = json.loads(r.stdout)
    assert report[0]["problems"][0]["rule"] == "balance.total"
    assert "Traceback" not in r.stderr
    usage = subprocess.run([sys.executable, "-m", "discloser.cli", "validate"], capture_output=True, text=True)
    assert usage.returncode == 2 and "用法错误" in usage.stderr
    gbk = tmp_path / "gbk.yaml"
    gbk.write_bytes("名称: 测试\n".encode("gbk"))
    r = subprocess.run([sys.executable, "-m", "discloser.cli", "validate", str(gbk)], capture_output=True, text=True)
    assert r.returncode == 1 and "UTF-8" in r.stderr and "Traceback" not in r.stderr


def test_problem_formatting():
    p = Problem("balance.total", "error", "不平", (Location("a.yaml", 3, 5, "revenues"), Location("a.yaml", 9, 1, "expenditures")))
    assert p.format() == "a.yaml:3:5 revenues: 错误[balance.total] 不平\n  另见 a.yaml:9:1 expenditures"
    assert format_field_path(("expenditures", 12, "amount")) == "expenditures[12].amount"


def test_a_wrong_choice_lists_the_choices_in_chinese(tmp_path):
    from discloser.validate import load

    from pathlib import Path

    src = (Path(__file__).resolve().parent.parent / "examples" / "shaanxi-linyou-2024.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text(src.replace("kind: 人员经费", "kind: 人员经费费", 1), encoding="utf-8")
    [p] = [p for p in load(bad).errors if "人员经费费" in p.message]
    assert "应为：人员经费、公用经费、项目支出" in p.message and " or " not in p.message and "'" not in p.message


@pytest.mark.parametrize("typed", ['"2026年1月15日"', '"2026/1/15"', "46037", '"2026-01-15T10:30:00"'])
def test_a_date_typed_otherwise_gets_a_chinese_message(tmp_path, typed):
    """批复日期 as a clerk might type it (a trial got pydantic's English “Input should be a valid date…”)."""
    import re

    text = SHAANXI.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^approval_date: .*$", f"approval_date: {typed}", text) if "approval_date:" in text \
        else text.replace("\nyear:", f"\napproval_date: {typed}\nyear:", 1)
    path = tmp_path / "d.yaml"
    path.write_text(text, encoding="utf-8")
    [p] = [p for p in load(path).errors if p.locations[0].field == "approval_date"]
    assert p.message.startswith("应为日期，写作 2026-01-15") and not re.search(r"[A-Za-z]{3,}", p.message), p.message


def test_the_full_width_hint_is_what_to_type():
    """“８７６，５４３．２１” from a Chinese input method: the suggestion is 876543.21 (a trial typed the
    suggested “876，543．21” and was refused again)."""
    from discloser.model import non_ascii_digits

    assert "（876543.21）" in non_ascii_digits("８７６，５４３．２１")
    assert "（12.5）" in non_ascii_digits("１２．５") and "（2050201）" in non_ascii_digits("２０５０２０１")


def test_yes_no_fields_take_shi_and_fou(tmp_path):
    """The field reference calls mandate_changed / top_level 是/否, and a trial typed “否”: it was refused with
    “应为 true 或 false”. 是 / 否 and true / false are both read; anything else names both spellings."""
    text = SHAANXI.read_text(encoding="utf-8")
    assert "\norganization:\n" in text
    for typed, want in (("否", False), ("是", True), ("false", False)):
        path = tmp_path / f"b-{want}-{len(typed)}.yaml"
        path.write_text(text.replace("\norganization:\n", f"\norganization:\n  mandate_changed: {typed}\n  top_level: {typed}\n", 1), encoding="utf-8")
        result = load(path)
        assert result.budget is not None, [p.format() for p in result.errors]
        assert result.budget.organization.mandate_changed is want and result.budget.organization.top_level is want
    path.write_text(text.replace("\norganization:\n", "\norganization:\n  top_level: 也许\n", 1), encoding="utf-8")
    (p,) = [p for p in load(path).errors if "top_level" in p.format()]
    assert "是 或 否" in p.message and p.locations[0].line == 1 + text[:text.index("\norganization:\n")].count("\n") + 2


def _model_classes(model=None, seen=None):
    from typing import get_args

    from pydantic import BaseModel

    from discloser.model import Budget

    model, seen = model or Budget, seen if seen is not None else set()
    if model in seen:
        return seen
    seen.add(model)
    for info in model.model_fields.values():
        stack = [info.annotation]
        while stack:
            tp = stack.pop()
            if isinstance(tp, type) and issubclass(tp, BaseModel):
                _model_classes(tp, seen)
            stack.extend(get_args(tp))
    return seen


def test_every_required_text_of_the_model_refuses_blank():
    """trialT-s24 D1: each text without a default is the `Text` type (not field by field: a new
    required text field of plain `str` fails here), and `Text` refuses "", spaces and the full-width space."""
    from pydantic import AfterValidator, TypeAdapter, ValidationError

    from discloser.model import Text, _filled

    plain = [f"{m.__name__}.{name}" for m in _model_classes() for name, info in m.model_fields.items()
             if info.is_required() and info.annotation is str
             and not any(isinstance(x, AfterValidator) and x.func is _filled for x in info.metadata)
             and not any(getattr(x, "pattern", None) for x in info.metadata)]     # a code's pattern refuses blank too
    assert plain == []
    for blank in ("", "   ", "\u3000", " \u3000\n"):
        with pytest.raises(ValidationError) as e:
            TypeAdapter(Text).validate_python(blank)
        assert e.value.errors()[0]["type"] == "blank"
    assert TypeAdapter(Text).validate_python(" 综合股") == " 综合股"     # kept as typed, only checked


@pytest.mark.parametrize("suffix", ["yaml", "json"])
def test_a_blank_required_name_is_refused_at_its_value(tmp_path, suffix):
    data = load_source(SHAANXI).data
    data["organization"]["name"] = "\u3000"
    data["projects"][0]["name"] = ""
    path = tmp_path / f"a.{suffix}"
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    got = {(p.rule, p.locations[0].field) for p in load(path).errors}
    assert {("schema.blank", "organization.name"), ("schema.blank", "projects[0].name")} <= got
    assert all(p.locations[0].line and "必填，不能为空" in p.message for p in load(path).errors if p.rule == "schema.blank")


def test_blank_optional_texts_are_not_given_as_in_the_workbook(tmp_path):
    """An optional text typed blank reads as absent (None, or its default), as the fill-in workbook reads a
    blank cell: no “联系人：” with nothing after it, no blank 空表理由 replacing the standard one."""
    from discloser.intake.workbook import write_workbook

    text = TEXT.replace("  kind: ", '  contact: {person: "\u3000", phone: " "}\n  kind: ', 1)
    path = tmp_path / "a.yaml"
    path.write_text(text + '\nnotes: {extra: "  "}\nempty_table_reasons: {gov_fund: " "}\n', encoding="utf-8")
    loaded = load(path)
    assert loaded.errors == []
    budget = loaded.budget
    assert (budget.organization.contact.person, budget.organization.contact.phone) == (None, None)
    assert "extra" not in budget.notes and "gov_fund" not in budget.empty_table_reasons
    xlsx = tmp_path / "a.xlsx"
    write_workbook(budget, xlsx)
    assert load(xlsx).budget.organization.contact == budget.organization.contact


@pytest.mark.parametrize("old, new, field", [("measure: 人次", "measure: ", "measure"), ("year: 2024", "year:", "year")])
def test_an_empty_value_is_called_empty_not_none(tmp_path, old, new, field):
    """Trial A D7: “measure:” with nothing after it read “应为文本，实际为“None””; a clerk typed no None."""
    from discloser.validate import load
    from helpers import SHAANXI

    text = SHAANXI.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "empty.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    problems = [p for p in load(path).errors if p.locations[0].field.endswith(field)]
    assert problems and all("None" not in p.message and "空的" in p.message for p in problems), [p.message for p in problems]
