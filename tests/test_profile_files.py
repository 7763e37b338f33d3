"""Profiles are typed files a clerk can copy: typos located, the copy changes all three formats, the
profile resolved once (build, validate and the rules see the same object)."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document as read_docx
from openpyxl import load_workbook
from pypdf import PdfReader

from discloser.profile import ProfileError, load_profile
from helpers import SHAANXI


def discloser(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "discloser.cli", *args], capture_output=True, text=True, cwd=cwd)


def test_a_profile_typo_is_an_error_at_its_position(tmp_path):
    mine = tmp_path / "mine.yaml"
    mine.write_text("extends: henan\nname: mine\nlabel: 我的\nunti: wan\n", encoding="utf-8")
    with pytest.raises(ProfileError) as e:
        load_profile(str(mine))
    [p] = e.value.problems
    assert (p.locations[0].file, p.locations[0].line, p.locations[0].column) == (str(mine), 4, 1)
    assert "unti" in p.message and "unit" in p.message


def test_a_typo_in_a_written_out_footer_row_is_one_located_error(tmp_path):
    """A footer row may be a list or a FooterRow: a typo inside the FooterRow is reported once, in Chinese,
    with the right field suggested — not as the list form's complaint too."""
    mine = tmp_path / "mine.yaml"
    mine.write_text("extends: shanghai\nname: mine\nlabel: 我的\ntable_overrides:\n"
                    "  - key: fiscal_summary\n    builder: summary\n    number: '4.'\n    title: 财政拨款\n    options:\n"
                    "      fiscal_only: true\n      revenue_rows: [{label: 一般公共预算, sources: [一般公共预算拨款]}]\n"
                    "      blocks: [{header: 项目, rows: [{auto: function}]}]\n      footer:\n"
                    "        - {revenue: '', expenditure: 结转下年, revenue_figure: none, expenditure_figure: carry_forward, nonzro: true}\n",
                    encoding="utf-8")
    with pytest.raises(ProfileError) as e:
        load_profile(str(mine))
    [p] = e.value.problems
    assert p.locations[0].line == 14 and "nonzro" in p.message and "nonzero" in p.message, p.format()


def test_a_nonzero_column_is_printed_only_where_it_has_a_figure(tmp_path):
    """`nonzero` on a column works in every builder with measure columns (here 收入总表 by unit)."""
    from discloser.package import build_document
    from discloser.validate import load
    from helpers import EXAMPLES

    mine = tmp_path / "mine.yaml"
    mine.write_text("extends: national\nname: mine\nlabel: 我的\ntable_overrides:\n"
                    "  - key: revenue\n    builder: revenue_by_unit\n    number: 表2\n    title: 收入总表\n    options:\n"
                    "      columns:\n        - {label: 合计, measure: total}\n"
                    "        - {label: 上年结转结余, measure: 'fund:上年结转结余', nonzero: true}\n", encoding="utf-8")
    profile = load_profile(str(mine))
    heads = {}
    for name in ("anping-education-2025", "anping-gazetteer-office-2025"):
        doc = build_document(load(EXAMPLES / f"{name}.yaml", str(mine)).budget, profile)
        table = next(t for t in doc.tables if t.key == "revenue")
        heads[name] = [c.text for r in table.header for c in r.cells]
    assert "上年结转结余" in heads["anping-education-2025"]          # 41 万元 carried in
    assert "上年结转结余" not in heads["anping-gazetteer-office-2025"]   # none


def test_a_bad_measure_is_located_in_the_users_file(tmp_path):
    mine = tmp_path / "mine.yaml"
    mine.write_text("extends: shaanxi\nname: mine\nlabel: 我的\ntable_overrides:\n"
                    "  - key: gov_fund\n    builder: classified\n    number: 表9\n    title: 政府性基金\n"
                    "    options:\n      funds: [政府性基金预算拨款]\n      columns:\n        - {label: 合计, measure: totl}\n",
                    encoding="utf-8")
    r = discloser("validate", str(mine))
    assert r.returncode == 1
    assert f"{mine}:12:" in r.stderr and "totl" in r.stderr and "total" in r.stderr


def test_unknown_builder_rule_and_placeholder_are_errors(tmp_path):
    mine = tmp_path / "mine.yaml"
    mine.write_text("extends: shaanxi\nname: mine\nlabel: 我的\ntitle: '{org}{yaer}年预算'\nrules_off: [prior.reasons]\n"
                    "table_overrides:\n  - {key: x, builder: sumary, number: 表99, title: x}\n", encoding="utf-8")
    with pytest.raises(ProfileError) as e:
        load_profile(str(mine))
    messages = " ".join(p.message for p in e.value.problems)
    assert "{yaer}" in messages and "prior.reason" in messages and "summary" in messages
    assert {p.locations[0].line for p in e.value.problems} == {4, 5, 7}


def test_copied_profile_with_new_title_and_unit_shows_in_all_three_formats(tmp_path):
    r = discloser("profile", "new", "我县", "--from", "shaanxi", "-o", str(tmp_path))
    assert r.returncode == 0, r.stderr
    copy = tmp_path / "我县.yaml"
    text = copy.read_text(encoding="utf-8")
    assert "title: 部门综合预算收入总表" in text and "\nunit: yuan\n" in text   # the copy writes what the header says to change
    text = text.replace("title: 部门综合预算收入总表", "title: 本县收入总表（改过的）").replace("\nunit: yuan\n", "\nunit: wan\n", 1)
    copy.write_text(text, encoding="utf-8")
    assert discloser("validate", str(copy)).returncode == 0
    out = tmp_path / "out"
    r = discloser("build", str(SHAANXI), "-o", str(out), "--profile", str(copy))
    assert r.returncode == 0, r.stderr
    pdf = "".join(page.extract_text() for page in PdfReader(next(out.glob("*.pdf"))).pages)
    assert "本县收入总表（改过的）" in pdf and "单位：万元" in pdf and "348.86" in pdf   # 3,488,570 元
    book = load_workbook(next(out.glob("*.xlsx")))
    cells = [str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    assert "本县收入总表（改过的）" in " ".join(cells) and any("万元" in c for c in cells)
    doc = read_docx(str(next(out.glob("*.docx"))))
    words = " ".join(p.text for p in doc.paragraphs) + " ".join(c.text for t in doc.tables for r in t.rows for c in r.cells)
    assert "本县收入总表（改过的）" in words and "万元" in words


def test_build_strict_with_a_profile_that_switches_a_rule_off(tmp_path):
    """Reproduced in issue 11: `build --strict --profile mine.yaml` with rules_off: [prior.reason] refused."""
    data = tmp_path / "d.yaml"
    data.write_text(SHAANXI.read_text(encoding="utf-8").replace("{amount: 1510, reason: 新招录一人}", "{amount: 1510}"),
                    encoding="utf-8")
    assert discloser("build", str(data), "-o", str(tmp_path / "a"), "--strict", "--formats", "xlsx").returncode == 1
    mine = tmp_path / "mine.yaml"
    mine.write_text("extends: shaanxi\nname: mine\nlabel: 我的\nrules_off: [prior.reason]\n", encoding="utf-8")
    r = discloser("build", str(data), "-o", str(tmp_path / "b"), "--strict", "--formats", "xlsx", "--profile", str(mine))
    assert r.returncode == 0, r.stderr
    assert discloser("validate", "--strict", "--profile", str(mine), str(data)).returncode == 0


def test_profiles_lists_every_shipped_profile():
    from discloser.profile import available_profiles

    r = discloser("profiles")
    assert r.returncode == 0
    for name in available_profiles():
        assert any(line.startswith(name) and "张表" in line for line in r.stdout.splitlines())


def test_an_unknown_placeholder_in_an_auto_row_format_is_a_located_error(tmp_path):
    """A typo in an auto row's format (“{ordnal}”) raised a KeyError in the middle of a build; it is a profile
    error at its line, naming the placeholders there are."""
    mine = tmp_path / "mine.yaml"
    mine.write_text("extends: henan\nname: mine\nlabel: 我的\ntable_overrides:\n"
                    "  - key: fiscal_summary\n    builder: summary\n    number: 表4\n    title: 财政拨款\n    options:\n"
                    "      blocks:\n        - header: 项目\n          rows:\n"
                    "            - {auto: function, format: \"（{ordnal}）{name}\"}\n", encoding="utf-8")
    with pytest.raises(ProfileError) as e:
        load_profile(str(mine))
    p = next(p for p in e.value.problems if "ordnal" in p.message)
    assert p.locations[0].line == 13 and "{ordinal}" in p.message, p.format()


# ----------------------------------------------------------------------------- sections and templates (trial T s24)

def _run(capsys, *args: str) -> tuple[int, str]:
    """The command line in this process: its exit code and everything it printed."""
    from discloser.cli import main

    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out + out.err


def _county(tmp_path: Path, narrative: str = "", templates: str = "tpl") -> Path:
    """A county profile extending shaanxi, with a templates folder holding a copy of shaanxi's staffing.j2."""
    from discloser.resources import templates_dir

    folder = tmp_path / "tpl" / "narrative" / "shaanxi"
    folder.mkdir(parents=True)
    (folder / "staffing.j2").write_text((templates_dir() / "narrative" / "shaanxi" / "staffing.j2").read_text(encoding="utf-8"),
                                        encoding="utf-8")
    mine = tmp_path / "我县.yaml"
    mine.write_text(f"extends: shaanxi\nname: 我县\nlabel: 我县\ntemplates: {templates}\n{narrative}", encoding="utf-8")
    load_profile.cache_clear()
    return mine


@pytest.mark.parametrize("section, templates, says", [
    ("shaanxi/duties", "tpl", "说明章节“shaanxi/duties”不是章节模板的文件名（是不是要写“shaanxi/duties.j2”？）"),
    ("../../../../../../../etc/passwd", "tpl", "不能含“..”"),
    ("passwd", "/etc", "说明章节“passwd”不是章节模板的文件名"),
    ("shaanxi/nosuch.j2", "tpl", "找不到说明章节模板 shaanxi/nosuch.j2"),
])
def test_a_section_that_names_no_template_is_an_error_at_its_line(tmp_path, capsys, section, templates, says):
    """Not printed as a paragraph with the section it meant silently gone: `validate 我县.yaml` and `build` stop
    at the entry's line."""
    mine = _county(tmp_path, f"narrative:\n  - '# 单位概况'\n  - section: {section}\n    needs: [organization.functions]\n",
                   templates)
    code, said = _run(capsys, "validate", str(mine))
    assert code == 1 and f"{mine}:7:14 narrative[1].section: 错误[profile.schema] " in said and says in said, said
    code, said = _run(capsys, "build", str(SHAANXI), "--profile", str(mine), "-o", str(tmp_path / "out"), "--formats", "json")
    assert code == 1 and says in said and not (tmp_path / "out").exists()


@pytest.mark.parametrize("line13, rule, says", [
    ("{{ n.org.name ", "template.syntax", "模板语法错误：“{{”没有配对的“}}”"),
    ("{% if n.org %}", "template.syntax", "模板语法错误：“{% if %}”没有配对的结束标签"),
    ("{% raw %}", "template.syntax", "模板语法错误：“{% raw %}”没有配对的“{% endraw %}”"),   # trialA-s26 D3 t11: passed
    ("{% raw %}{{ n.org.name }}", "template.syntax", "模板语法错误：“{% raw %}”没有配对的“{% endraw %}”"),
    ("{% include '/etc/passwd' %}", "template.include", "包含的模板“/etc/passwd”不在模板文件夹中"),
    ("{% include '../../../../../../etc/passwd' %}", "template.include", "包含的模板“../../../../../../etc/passwd”不在模板文件夹中"),
    ("{{ foo.bar }}", "template.undefined", "未知变量 foo"),
    ("{{ n.nonexistent_fact }}", "template.undefined", "未知属性 nonexistent_fact"),
    ("{{ ''.__class__.__mro__ }}", "template.unsafe", "模板不能访问 __class__"),
    ("{% for i in range(10**8) %}{% endfor %}", "template.unsafe", "模板中的 range 太大"),
    ("{{ 1/0 }}", "template.error", "模板中除以零"),
    ('{{ n.prior("不存在的项", 1, 2, 3) }}', "template.error", "调用 prior() 的参数个数不对：应为 1 个，实际为 4 个"),
    ("{{ n.prior() }}", "template.error", "调用 prior() 缺少参数 key"),
    ("{{ n.org.name + 1 }}", "template.error", "不能用“+”把文本和整数连起来"),
    ("{{ 'x' * 1000000000 }}", "template.unsafe", "模板中的运算结果太大（沙箱上限 1,000,000 个字符或项）"),   # trialZ-s29 D8: MemoryError
    ("{{ [1] * 10**8 }}", "template.unsafe", "模板中的运算结果太大"),
    ("{{ 10 ** 100000000 }}", "template.unsafe", "模板中的运算结果太大"),
    ('{% if n.empty("gov_fnd") %}{% endif %}', "template.error", "模板运行出错：n.empty(\"gov_fnd\")：本包没有键为“gov_fnd”的表"),   # trialZ-s29 D3: read as empty
])
def test_a_template_mistake_is_a_located_chinese_error(tmp_path, capsys, line13, rule, says):
    """A county's template mistake names the template file and line in Chinese, exits 1 (not 2 or 3) and writes
    nothing. `validate 我县.yaml` finds it before any build: what needs no data (syntax, includes) from the source,
    what shows only when the template runs (an unknown name, a sandbox refusal, a wrong call) by rendering it with
    `discloser init`'s sample (trialA-s26 D4: it said 通过 for templates that failed every build). `validate`
    with a data file renders the profile's own templates too (trialV2-s24), and `build` reports the same line.
    A wrong call (``n.prior`` with four arguments) is the template's mistake, not discloser's internal error
    (trialA-s26 D2: 内部错误（TypeError …）, exit 3)."""
    mine = _county(tmp_path)
    staffing = tmp_path / "tpl" / "narrative" / "shaanxi" / "staffing.j2"
    lines = staffing.read_text(encoding="utf-8").splitlines()[:12]
    staffing.write_text("\n".join(lines + [line13, ""]), encoding="utf-8")
    where = f"{staffing}:13: 错误[{rule}] {says}"
    code, said = _run(capsys, "validate", str(mine))
    assert code == 1 and where in said, said
    code, said = _run(capsys, "validate", str(LIUWAN), "--profile", str(mine))
    assert code == 1 and where in said, said
    code, said = _run(capsys, "build", str(LIUWAN), "--profile", str(mine), "-o", str(tmp_path / "out"), "--formats", "json")
    assert code == 1 and where in said and "内部错误" not in said and not (tmp_path / "out").exists(), said
    assert not re.search(r"Error|[A-Za-z]{3,} [A-Za-z]{3,}", said.replace(str(tmp_path), "")), said   # no Python English


LIUWAN = Path(__file__).parent / "departments" / "liuwan-town-2025.yaml"


@pytest.fixture
def copied(tmp_path) -> tuple[Path, Path]:
    """`discloser profile new 我县 --from shaanxi`, as a county's technical staff make their profile: (profile, its
    section template folder)."""
    r = discloser("profile", "new", "我县", "--from", "shaanxi", "-o", str(tmp_path))
    assert r.returncode == 0, r.stderr
    return tmp_path / "我县.yaml", tmp_path / "我县-templates" / "narrative" / "shaanxi"


def test_a_wrong_call_in_a_copied_template_is_located_in_validate_and_build(tmp_path, copied):
    """trialA-s26 D2, as the trial met it: the call appended to a copied profile's assets.j2; validate exited 3
    (内部错误（TypeError: NarrativeFacts.prior() takes 2 positional arguments but 5 were given）) and build 1."""
    mine, folder = copied
    assets = folder / "assets.j2"
    text = assets.read_text(encoding="utf-8").rstrip("\n") + "\n"
    assets.write_text(text + '{{ n.prior("不存在的项", 1, 2, 3) }}\n', encoding="utf-8")
    where = f"{assets}:{text.count(chr(10)) + 1}: 错误[template.error] 调用 prior() 的参数个数不对"
    for args in (["validate", str(LIUWAN)], ["build", str(LIUWAN), "-o", str(tmp_path / "out"), "--formats", "docx"]):
        r = discloser(*args, "--profile", str(mine))
        assert r.returncode == 1 and where in r.stderr and "TypeError" not in r.stderr + r.stdout, r.stderr


# The trial's Jinja syntax probes (trialA-s26 tplprobe t1…t14), each appended to duties.j2
PROBES = ["{% for %}{% endfor %}", "{{ }}", "{% endif %}", "{% set %}", "{{ a b }}", "{{ n.scope + }}",
          "{% if n.scope %}x{% endfor %}", "{{ n.scope | join( }}", "{% macro %}", '{{ "unterminated }}', "{% raw %}",
          "{# unclosed comment", "{{ n.scope[ }}", "{% foo %}"]


def test_jinja_syntax_errors_are_told_without_the_parsers_english(copied, capsys):
    """trialA-s26 D3: “模板语法错误（Expected an expression, got 'end of statement block'）”, “此处应为“end of print
    statement”，实际为“b””. Every probe's message is Chinese but for the author's own words, Jinja's tags and the file's
    name."""
    mine, folder = copied
    duties = folder / "duties.j2"
    text = duties.read_text(encoding="utf-8").rstrip("\n") + "\n"
    line = text.count("\n") + 1
    for probe in PROBES:
        duties.write_text(text + probe + "\n", encoding="utf-8")
        code, said = _run(capsys, "validate", str(mine))
        [problem] = [s for s in said.splitlines() if "错误[" in s]
        assert problem.startswith(f"{duties}:{line}: 错误[template.syntax] 模板语法错误："), problem
        message = re.sub(r"\{% \w+ %\}", "", problem.split("模板语法错误：", 1)[1])   # tags are the template's words
        english = set(re.findall(r"[A-Za-z]{3,}", message)) - set(re.findall(r"[A-Za-z]{3,}", probe))
        assert code == 1 and not english, (probe, message)


def test_two_tables_with_one_number_are_a_profile_error(copied):
    """trialA-s26 D10: table 2 renumbered 表1 passed and the contents showed two 表1. Both tables are named, each at
    its number's line."""
    mine, _ = copied
    text = mine.read_text(encoding="utf-8")
    lines = text.splitlines()
    first, second = (n + 1 for n, line in enumerate(lines) if line.strip() in ("number: 表1", "number: 表2"))
    title1, title2 = (lines[n].split("title:", 1)[1].strip() for n in (first, second))   # the line after the number
    mine.write_text(text.replace("number: 表2\n", "number: 表1\n", 1), encoding="utf-8")
    load_profile.cache_clear()
    with pytest.raises(ProfileError) as e:
        load_profile(str(mine))
    [p] = e.value.problems
    assert p.rule == "profile.number" and title1 in p.message and title2 in p.message, p.format()
    assert [(w.file, w.line) for w in p.locations] == [(str(mine), second), (str(mine), first)]
    r = discloser("validate", str(mine))
    assert r.returncode == 1 and "两张表都编号为“表1”" in r.stderr


def _example_of(profile: str) -> Path:
    """The province's own example (`profile: P` in the file), else the first example the profile builds."""
    from helpers import EXAMPLES, examples_building_with

    own = [p for p in sorted(EXAMPLES.glob("*.yaml")) if f"\nprofile: {profile}\n" in p.read_text(encoding="utf-8")]
    return (own or examples_building_with(profile))[0]


@pytest.mark.parametrize("name", __import__("discloser.profile", fromlist=["x"]).available_profiles())
def test_a_profile_new_copy_builds_the_same_package_as_the_shipped_profile(tmp_path, name):
    """`profile new X --from P` writes what P means: the builders read their options as written (a form keeps its
    own defaults), so a copy that drops a null (Gansu's indicator_lead: null → a 9th column its widths lack) or a
    value equal to the model's default (Hubei's type_row.label → KeyError) built nothing, while validate passed."""
    from discloser.writers.jsondoc import document_dict
    from helpers import built_with

    r = discloser("profile", "new", "副本", "--from", name, "-o", str(tmp_path))
    assert r.returncode == 0, r.stderr
    copy = tmp_path / "副本.yaml"
    assert discloser("validate", str(copy)).returncode == 0
    example = _example_of(name)
    shipped = document_dict(built_with(example, name)[1])
    copied = document_dict(built_with(example, str(copy))[1])
    assert copied == shipped


LIUWAN = Path(__file__).resolve().parent / "departments" / "liuwan-town-2025.yaml"


def _project_form(tmp_path: Path, parent: str, number: str, title: str, options: str) -> Path:
    """mine.yaml: `parent` with its project_performance form replaced by one with these options (YAML lines, from line 10)."""
    mine = tmp_path / "mine.yaml"
    mine.write_text(f"extends: {parent}\nname: mine\nlabel: 我的\ntable_overrides:\n  - key: project_performance\n"
                    f"    builder: project_performance\n    number: {number}\n    title: {title}\n    options:\n{options}",
                    encoding="utf-8")
    return mine


def test_a_type_row_without_its_label_prints_the_default_label(tmp_path):
    """type_row.label has a default (项目类型): a profile that leaves it out builds (was KeyError 'label')."""
    from helpers import built_with

    mine = _project_form(tmp_path, "hubei", "表15", "项目支出绩效目标表",
                         "      type_row:\n        boxes:\n          - {label: 一般公共预算, fund: 一般公共预算拨款}\n"
                         "          - {label: 不勾的方框}\n")
    _, doc = built_with(LIUWAN, str(mine))
    forms = [t for t in doc.tables if t.number == "表15"]
    rows = [[c.text for c in r.cells] for t in forms for r in t.body if r.cells and r.cells[0].text == "项目类型"]
    assert rows and len(rows) == len(forms)
    assert all(r[1].endswith("　□不勾的方框") and r[1][0] in "□☑" for r in rows)
    assert any(r[1].startswith("☑一般公共预算") for r in rows)


def test_widths_shorter_than_the_indicator_block_is_a_located_profile_error(tmp_path):
    """A form's widths must hold its indicator block (here 年度绩效指标 | 一级 | 二级 | 三级 | 指标值类型 | 指标值 |
    度量单位 | 备注 = 8 columns): validate PROFILE.yaml says so at the line of widths, and build refuses with the
    same located error — not “生成失败（ValueError: widths 只有 …）” after validate said 通过."""
    mine = _project_form(tmp_path, "gansu", "表2", "项目表", "      value_columns: split\n      widths: [10, 10, 10, 10, 10]\n")
    with pytest.raises(ProfileError) as e:
        load_profile(str(mine))
    [p] = e.value.problems
    assert p.rule.startswith("profile.") and (p.locations[0].file, p.locations[0].line) == (str(mine), 11), p.format()
    assert "表2“项目表”" in p.message and "5 栏" in p.message and "8 栏" in p.message
    for args in (("validate", str(mine)), ("build", str(LIUWAN), "--profile", str(mine), "-o", str(tmp_path / "out"))):
        r = discloser(*args)
        out = r.stdout + r.stderr
        assert r.returncode == 1 and f"{mine}:11" in out and "8 栏" in out, out
        assert "ValueError" not in out and "生成失败" not in out


def test_a_profile_stating_a_review_itself_is_a_profile_error(copied):
    """A Shaanxi profile copied before the review became the file's word printed “保密审查情况：已审查” for every
    file, reviewed or not, without a warning (trialW-s27 D5). Such a line is an error at its line, naming the
    placeholder that prints what the file says."""
    mine, _ = copied
    text = mine.read_text(encoding="utf-8")
    assert "{secrecy_review}" in text and "{head_signed}" in text
    mine.write_text(text.replace("{secrecy_review}", "已审查"), encoding="utf-8")
    load_profile.cache_clear()
    with pytest.raises(ProfileError) as e:
        load_profile(str(mine))
    [p] = e.value.problems
    line = next(n for n, s in enumerate(mine.read_text(encoding="utf-8").splitlines(), 1) if "保密审查情况：已审查" in s)
    assert p.rule == "profile.attestation" and "{secrecy_review}" in p.message and "review.secrecy" in p.message
    assert (p.locations[0].file, p.locations[0].line) == (str(mine), line)
    assert discloser("validate", str(SHAANXI), "--profile", str(mine)).returncode == 1


def test_a_dropped_table_is_not_said_to_be_published_empty(tmp_path):
    """trialZ-s29 D3: a Henan copy without its 政府采购表 (customizing.md §3, “去掉一张表”) printed “…无政府采购预算，并已公开空表。”
    — of a table it does not publish, and beside the 政府采购 the file has. Without the table, the 说明 states the
    file's 政府采购 or that it has none, and never “并已公开空表”."""
    import yaml

    from helpers import EXAMPLES, ROOT, built_with

    r = discloser("profile", "new", "我县", "--from", "henan", "-o", str(tmp_path))
    assert r.returncode == 0, r.stderr
    mine = tmp_path / "我县.yaml"
    lines = mine.read_text(encoding="utf-8").splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.strip() == "- key: procurement")
    end = next(i for i in range(start + 1, len(lines)) if lines[i].lstrip().startswith("- key:"))
    mine.write_text("".join(lines[:start] + lines[end:]), encoding="utf-8")
    load_profile.cache_clear()
    with_procurement = ROOT / "tests" / "departments" / "anping-culture-sports-2025.yaml"
    goods = sum(p["amount"] for p in yaml.safe_load(with_procurement.read_text(encoding="utf-8"))["procurement"]
                if p["category"] == "货物")
    for source, says in [(with_procurement, f"政府采购货物预算{goods / 10000:.2f}万元"), (EXAMPLES / "henan-shilong-2023.yaml", "年无政府采购预算。")]:
        _, doc = built_with(source, str(mine))
        assert not any(t.key == "procurement" for t in doc.tables)
        [para] = [p for s in doc.sections if s.title.endswith("政府采购支出情况") for p in s.paragraphs]
        assert says in para and "空表" not in para, para


# ----------------------------------------------------------------------------- trialZ-s29

@pytest.mark.parametrize("line, typed, bare", [
    ("title: '{org}{year:d}年{scope}预算公开'", "{year:d}", "{year}"),
    ("title: '{year:>999999999}'", "{year:>999999999}", "{year}"),
    ("subtitle: '{org!r}说明'", "{org!r}", "{org}"),
    ("department_label: '{scope!s:>3}名称'", "{scope!s:>3}", "{scope}"),
    ("numbering: {1: '第{cn:>9}部分 '}", "{cn:>9}", "{cn}"),
])
def test_a_placeholder_with_a_format_spec_is_an_error_at_its_line(tmp_path, capsys, line, typed, bare):
    """trialZ-s29 D2: {year:d} passed validate and printed as typed (the file even named …{year_d}年…), {year:>999999999}
    replaced the whole title. Only the bare name is a placeholder; anything after “:” or “!” is the profile's mistake."""
    mine = tmp_path / "我县.yaml"
    mine.write_text(f"extends: henan\nname: 我县\nlabel: 我县\n{line}\n", encoding="utf-8")
    load_profile.cache_clear()
    code, said = _run(capsys, "validate", str(mine))
    assert code == 1 and f"{mine}:4:" in said and f"占位符 {typed} 带了格式说明：占位符只能写作 {bare}" in said, said
    code, said = _run(capsys, "build", str(LIUWAN), "--profile", str(mine), "-o", str(tmp_path / "out"), "--formats", "json")
    assert code == 1 and typed in said and not (tmp_path / "out").exists(), said


def test_double_braces_in_a_profile_text_are_an_error_at_their_line(tmp_path):
    """trialV2-s29 D1: `title: '{org}{{year}}年…'` — the 说明 templates' {{ }} — passed validate and printed “{2023}” in the
    title and the file name."""
    mine = tmp_path / "我县.yaml"
    mine.write_text("extends: henan\nname: 我县\nlabel: 我县\ntitle: '{org}{{year}}年{scope}预算公开'\n", encoding="utf-8")
    load_profile.cache_clear()
    with pytest.raises(ProfileError) as e:
        load_profile(str(mine))
    [p] = e.value.problems
    assert p.locations[0].line == 4 and "中有双层花括号：版式文字中的占位符只用一层" in p.message, p.format()


def test_a_phrase_may_name_only_what_its_wording_fills(tmp_path):
    """A year-on-year wording printed every brace it does not fill as typed: “增加{percent}” in `up` is a mistake."""
    mine = tmp_path / "我县.yaml"
    mine.write_text("extends: henan\nname: 我县\nlabel: 我县\nphrases:\n  mine: {up: '增加{amount}{percent}', down: '减少{amount}',\n"
                    "         same: 持平, up_percent: '，增长{percent}', down_percent: '，下降{percent}', reason: '，因{reason}'}\n",
                    encoding="utf-8")
    with pytest.raises(ProfileError) as e:
        load_profile(str(mine))
    [p] = e.value.problems
    assert p.locations[0].line == 5 and "未知的占位符 {percent}" in p.message, p.format()


@pytest.mark.parametrize("field, what", [("templates", "模板文件夹"), ("catalog", "目录文件夹")])
def test_a_folder_that_is_not_there_is_an_error_at_its_line(tmp_path, capsys, field, what):
    """trialZ-s29 D4: `templates: 不存在-templates` passed validate and build, and every customization silently gave way
    to the shipped templates."""
    mine = tmp_path / "我县.yaml"
    mine.write_text(f"extends: henan\nname: 我县\nlabel: 我县\n{field}: 不存在-{field}\n", encoding="utf-8")
    load_profile.cache_clear()
    says = f"{mine}:4:{len(field) + 3} {field}: 错误[profile.schema] {what}“{tmp_path / ('不存在-' + field)}”不存在"
    code, said = _run(capsys, "validate", str(mine))
    assert code == 1 and says in said, said
    code, said = _run(capsys, "build", str(LIUWAN), "--profile", str(mine), "-o", str(tmp_path / "out"), "--formats", "json")
    assert code == 1 and says in said and not (tmp_path / "out").exists(), said


@pytest.mark.parametrize("body, line, says", [
    ("table_overrides:\n  - key: 我的表\n    number: 表99\n    title: x\n", 5,
     "表“我的表”缺少字段“builder”（表构造器：决定这张表怎么排）；应为其中之一：summary、"),
    ("table_overrides:\n  - {key: 我的表, builder: , number: 表99, title: x}\n", 5, "builder（表构造器）是空的（“:”后没有写值）"),
    ("unit:\n", 4, "unit: 错误[profile.schema] 是空的（“:”后没有写值），应为：yuan、wan"),
    ("narrative:\n  - 1\n", 5, "应为文本，或键值映射（“名称: 值”），实际为“1”"),
    ("glossary:\n  - {名词: 解释}\n", 5, "名词解释的每一项应写作 [名词, 解释]"),
    ("glossary:\n  - [名词]\n", 5, "缺少第 2 项（名词解释的每一项应写作 [名词, 解释]）"),
])
def test_a_profile_shape_mistake_is_said_in_chinese(tmp_path, body, line, says):
    """trialZ-s29 D5: an entry without `builder:` said “取值不符合要求（union_tag_not_found）”, pydantic's code, not the field.
    Each shape pydantic checks by a union (a table's builder, a 说明 entry as text or mapping, a glossary pair) is said once,
    in Chinese, at the entry."""
    mine = tmp_path / "我县.yaml"
    mine.write_text(f"extends: henan\nname: 我县\nlabel: 我县\n{body}", encoding="utf-8")
    load_profile.cache_clear()
    with pytest.raises(ProfileError) as e:
        load_profile(str(mine))
    [p] = e.value.problems
    assert p.locations[0].line == line and says in p.format(), p.format()
    assert not re.search(r"(union|tuple|string|model|literal|dict|list)_\w+|None", p.message), p.message   # no pydantic code


@pytest.mark.parametrize("opener", ["{% if n.org %}", "{% for x in [1] %}", "{% macro m() %}", "{% set s %}"])
def test_an_unclosed_block_is_said_where_it_opens(copied, capsys, opener):
    """trialZ-s29 D6: an unclosed {% if %} in the middle of a template was reported at the file's last line, where there is
    nothing to fix. The line of the opening tag comes first, the end of the file second; tags inside {% raw %}, a comment
    or a closed block set are not openings."""
    mine, folder = copied
    duties = folder / "duties.j2"
    lines = duties.read_text(encoding="utf-8").rstrip("\n").splitlines()
    noise = ["{% raw %}{% if x %}{% endraw %}", "{# {% for a in b %} #}", "{% set t %}x{% endset %}{% set u = 1 %}"]
    text = "\n".join(noise + [opener] + lines) + "\n"
    duties.write_text(text, encoding="utf-8")
    code, said = _run(capsys, "validate", str(mine))
    tag = opener.split()[1]
    assert code == 1 and f"{duties}:{len(noise) + 1}: 错误[template.syntax] 模板语法错误：“{{% {tag} %}}”没有配对的结束标签" in said, said
    assert f"  另见 {duties}:{text.count(chr(10))}" in said, said


def test_a_failure_inside_an_imported_template_names_the_importing_line(copied, capsys):
    """trialZ-s29 D11: `{% from 'henan/units.j2' import nothing %}` was reported only as “units.j2:1 未知变量 n” (an imported
    template runs without the 说明's data); the line that imports it is named and given as 另见."""
    mine, folder = copied
    duties = folder / "duties.j2"
    text = duties.read_text(encoding="utf-8").rstrip("\n") + "\n"
    duties.write_text(text + "{% from 'shaanxi/staffing.j2' import nothing %}\n", encoding="utf-8")
    line = text.count("\n") + 1
    code, said = _run(capsys, "validate", str(mine))
    [problem] = [s for s in said.split("\n") if "错误[" in s]
    assert code == 1 and problem.startswith(f"{folder / 'staffing.j2'}:") and "未知变量 n" in problem, said
    assert f"（由 duties.j2 第 {line} 行导入、包含或调用）" in problem and f"  另见 {duties}:{line}\n" in said + "\n", said


def test_a_profile_error_is_located_in_the_profile_not_at_the_line_the_option_overrode(tmp_path, capsys):
    """trialZ-s29 D12: with --profile, a profile mistake was prefixed “data.yaml:9:1: 错误[profile.invalid]”, the data file's
    `profile:` line that the option had set aside. The profile's own line is the location; the data file's `profile:` line
    is named (另见) only when it is what chose the profile."""
    mine = tmp_path / "我县.yaml"
    mine.write_text("extends: henan\nname: 我县\nlabel: 我县\nunti: wan\n", encoding="utf-8")
    load_profile.cache_clear()
    code, said = _run(capsys, "validate", str(LIUWAN), "--profile", str(mine))
    [problem] = [s for s in said.splitlines() if "错误[" in s]
    assert code == 1 and problem.startswith(f"{mine}:4:1 unti: 错误[profile.schema] 未知字段“unti”"), said
    assert str(LIUWAN) not in said.replace(f"{LIUWAN}：", ""), said
    data = tmp_path / "data.yaml"
    text = LIUWAN.read_text(encoding="utf-8")
    line = text[:text.index("\nprofile:") + 1].count("\n") + 1
    data.write_text(text.replace("\nprofile: shaanxi", f"\nprofile: {mine}", 1), encoding="utf-8")
    code, said = _run(capsys, "validate", str(data))
    assert code == 1 and f"{mine}:4:1 unti: 错误[profile.schema]" in said and f"  另见 {data}:{line}:10 profile" in said, said
