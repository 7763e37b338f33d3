"""The README's file-format section and the shipped JSON Schema are generated, and must be current."""
from __future__ import annotations

import json
import re

from discloser.docgen import END, START, format_reference
from discloser.schema import budget_schema
from helpers import ROOT


def test_readme_format_section_is_current():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = re.search(re.escape(START) + r"\n(.*?)" + re.escape(END), readme, re.S).group(1)
    assert section == format_reference(), "run: python -m discloser.docgen README.md"
    assert "`expenditures`" in section and "支出明细行" in section


def test_schema_file_is_current_and_examples_point_to_it():
    shipped = json.loads((ROOT / "schema" / "budget.schema.json").read_text(encoding="utf-8"))
    assert shipped == budget_schema(), "run: discloser schema > schema/budget.schema.json"
    for example in (ROOT / "examples").glob("*.yaml"):
        first = example.read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=../schema/budget.schema.json"


def test_schema_speaks_to_clerks_in_chinese():
    """Editor tooltips show titles and descriptions: no pydantic-generated English titles (“Carry Forward”),
    no developer docstrings."""
    import re

    from discloser.schema import budget_schema

    texts: list[str] = []

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("title", "description") and isinstance(value, str):
                    texts.append(value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(budget_schema())
    assert len(texts) > 50 and all(re.search(r"[\u4e00-\u9fff]", t) for t in texts), [t for t in texts if not re.search(r"[\u4e00-\u9fff]", t)][:5]


def test_readme_sample_build_output_is_what_the_build_prints(shaanxi_build):
    """The README's `discloser build examples/shaanxi-linyou-2024.yaml -o 公开包` lines are those of a real run
    (it said 20 tables in the Word file while the build printed 30 — Word's own count, now its titles: trialH-s28 D1)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    sample = re.search(r"```\n(公开包/.*?)```", readme, re.S).group(1).splitlines()
    printed = [line.replace(str(shaanxi_build.folder), "公开包") for line in shaanxi_build.stdout.splitlines()]
    assert sample == printed


def test_readme_format_section_gives_each_description_whole_and_in_chinese():
    """A model's description is printed whole (the first line only cut `Review` at “…版式在” and `CarriedFrom` at
    “It stays 财政拨款”), and it is the clerks' Chinese one, not the developers' docstring (`Assets`, `Staffing`
    were English in the Chinese table) — trialH-s28 D9."""
    from discloser import model

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = re.search(re.escape(START) + r"\n(.*?)" + re.escape(END), readme, re.S).group(1)
    said = {name: text for name, text in re.findall(r"^#### `(\w+)[^`]*`\n\n([^|\n].*)$", section, re.M)
            if not text.startswith("取值：")}
    assert said["Review"].endswith("每年公开前重新确认（rollover 写成“否”，不沿用上年）。")
    assert said["CarriedFrom"].endswith("不是财政拨款的结转资金写“单位资金”（不填即是）。")
    for name in ("Assets", "Staffing", "CarriedFrom", "Review"):
        assert not re.search(r"[A-Za-z]{3,} [A-Za-z]{3,}", said[name]), (name, said[name])   # no English sentence
    marked = {name: cls.__for_clerks__ for name, cls in vars(model).items() if isinstance(cls, type) and "__for_clerks__" in vars(cls)}
    for name, text in marked.items():
        if name != "Budget":
            assert said[name] == text, name
    assert set(said) - {"Budget"} <= set(marked), set(said) - set(marked)    # no docstring printed for clerks


def test_every_amount_in_the_schema_takes_the_texts_the_model_takes():
    """Each amount (金额) field carries a string pattern that accepts exactly the texts the model accepts, on every
    pydantic `pydantic>=2.6,<3` allows: 2.14 generated no pattern for a Decimal, so VS Code took `amount: abc`
    (trialH-s28 D5); the pattern pydantic generated before refused “3,488,570.00”, which the model reads."""
    from pydantic import TypeAdapter, ValidationError

    from discloser.model import Money

    amounts: list[dict] = []

    def walk(node):
        if isinstance(node, dict):
            kinds = [a.get("type") for a in node.get("anyOf", []) if isinstance(a, dict)]
            if "number" in kinds and "string" in kinds:     # a number or its text: an amount
                amounts.append(node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(budget_schema())
    assert len(amounts) >= 16
    model = TypeAdapter(Money)
    texts = ["3488570", "1234.50", "3,488,570.00", " 12.5 ", "0", "abc", "一百万", "待填", "", "-5", "1.234", "1,23",
             "12,345.6", "1e5", "1 000", "٣"]
    for node in amounts:
        strings = [a for a in node.get("anyOf", []) if a.get("type") == "string"]
        assert len(strings) == 1 and "pattern" in strings[0], node
        for text in texts:
            try:
                model.validate_python(text)
                takes = True
            except ValidationError:
                takes = False
            assert bool(re.search(strings[0]["pattern"], text)) == takes, text
