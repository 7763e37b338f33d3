"""Write the hostile-input corpus into tests/corpus/inputs/ from base.yaml (a valid budget with no
warnings): each file is base.yaml with one defect, or a file of another format made from it.

Run from the repository root: ``PYTHONPATH=src python3 tests/corpus/make_corpus.py`` (LibreOffice makes
the .xls case). The expected answer of every file is written by hand in manifest.yaml — this script
only makes the inputs, so the manifest is never copied from the program's output.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
OUT = HERE / "inputs"
BASE = (HERE / "base.yaml").read_text(encoding="utf-8")

# Text crafted to break out of a spreadsheet cell, an HTML page, a template or a folder.
FORMULAS = ['=HYPERLINK("http://example.com/x","点我")', "+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0", "-1+1"]
MARKUP = ['<script>alert("x")</script><b>粗体</b>&amp;', '<img src="file:///etc/passwd">']
TEMPLATE = ["{{ 7*7 }}{% for x in [1] %}循环{% endfor %}", "{org}{year}{scope}{table_scope}"]
PATHS = ["../../etc/passwd", "..\\..\\windows\\system32\\x"]


def put(name: str, text: str, encoding: str = "utf-8", bom: bytes = b"") -> None:
    (OUT / name).write_bytes(bom + text.encode(encoding))


def replaced(old: str, new: str, text: str = BASE) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def base_data() -> dict:
    return yaml.safe_load(BASE)


def yaml_cases() -> None:
    put("syntax-missing-space.yaml", replaced("  code: \"901001\"", "  code:\"901001\""))
    put("syntax-unclosed-quote.yaml", replaced("  code: \"901001\"", "  code: \"901001"))
    put("syntax-chinese-comma.yaml", replaced("  - {source: 一般公共预算拨款, amount: 150000}",
                                              "  - {source: 一般公共预算拨款， amount: 150000}"))
    put("year-fullwidth.yaml", replaced("year: 2026", "year: ２０２６"))
    put("syntax-chinese-colon.yaml", replaced("  kind: 行政单位", "  kind：行政单位"))
    put("syntax-bad-indent.yaml", replaced("  kind: 行政单位", "   kind: 行政单位"))
    put("tab-indent.yaml", replaced("  kind: 行政单位", "\tkind: 行政单位"))
    put("gbk.yaml", BASE, "gbk")
    put("utf16le-bom.yaml", BASE, "utf-16-le", b"\xff\xfe")
    put("utf16be-bom.yaml", BASE, "utf-16-be", b"\xfe\xff")
    put("utf16le-no-bom.yaml", BASE, "utf-16-le")
    put("utf8-bom.yaml", BASE, "utf-8", b"\xef\xbb\xbf")
    put("duplicate-key.yaml", replaced("  kind: 行政单位\n", "  kind: 行政单位\n  name: 另一个名称\n"))
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
        f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n" for i in range(8))
    put("alias-bomb.yaml", bomb + BASE.split("\n", 1)[1])
    put("anchor-alias.yaml", replaced("  divisions: [综合股, 业务股]", "  divisions: &d [综合股, 业务股]\n  tasks_copy: *d"))
    put("merge-key.yaml", replaced("  - {source: 一般公共预算拨款, amount: 150000}",
                                   "  - &r {source: 一般公共预算拨款, amount: 150000}\n  - <<: *r"))
    put("deep-nesting.yaml", replaced("  divisions: [综合股, 业务股]", "  divisions: " + "[" * 100 + "]" * 100))
    put("python-tag.yaml", replaced("  kind: 行政单位", "  kind: !!python/object/apply:os.system [\"echo pwned\"]"))
    put("second-document.yaml", BASE + "---\nyear: 2027\n")
    put("control-char-raw.yaml", replaced("  name: 示例县档案馆", "  name: 示例县\x07档案馆"))
    put("binary.yaml", "\x89PNG\r\n\x1a\n" + "".join(chr(i) for i in range(1, 32)) * 20, "latin-1")
    put("empty.yaml", "# 只有注释\n\n")
    put("root-list.yaml", "- year: 2026\n- scope: 单位\n")
    put("key-not-text.yaml", replaced("  kind: 行政单位", "  kind: 行政单位\n  1.5: 一点五"))
    put("wrong-type-year.yaml", replaced("year: 2026", "year: 二〇二六"))
    put("wrong-type-revenues.yaml", replaced("revenues:\n  - {source: 一般公共预算拨款, amount: 150000}", "revenues: 150000"))
    put("unknown-field.yaml", replaced("organization:", "organisation:"))
    for name, value in [("1e309", "1e309"), ("nan", ".nan"), ("inf", "-.inf"), ("comma-decimal", '"150.000,00"'),
                        ("fullwidth", "１５００００"), ("negative", "-150000"), ("three-decimals", "150000.001"),
                        ("1e15", "1e15"), ("bool", "true"), ("thousands", '"150,000.00"')]:
        put(f"amount-{name}.yaml", replaced("amount: 150000}", f"amount: {value}}}"))
    put("code-unknown-function.yaml", replaced('{function: "2010602"', '{function: "2999999"'))
    put("code-unknown-economic.yaml", replaced('economic: "30227"', 'economic: "38888"'))
    put("code-fullwidth.yaml", replaced('{function: "2010602"', '{function: "２０１０６０２"'))
    put("code-short.yaml", replaced('{function: "2010602"', '{function: "20106"'))
    put("fund-unknown.yaml", replaced("source: 一般公共预算拨款", "source: 自有资金"))
    put("kind-unknown.yaml", replaced("kind: 行政单位", "kind: 政府机关"))
    put("year-far-future.yaml", replaced("year: 2026", "year: 2090"))
    put("year-before-2000.yaml", replaced("year: 2026", "year: 1999"))
    put("name-10000-characters.yaml", replaced("  name: 示例县档案馆", "  name: " + "档案" * 5000))
    put("name-bidi-override.yaml", replaced("  name: 示例县档案馆", '  name: "示例县\\u202e馆案档"'))
    put("name-line-break.yaml", replaced("  name: 示例县档案馆", '  name: "示例县\\n档案馆"'))
    put("project-name-tab.yaml", replaced("  - name: 档案数字化", '  - name: "档案\\t数字化"'))
    put("text-bidi-isolate.yaml", replaced("    - 负责全县档案的收集、整理、保管和利用。", '    - "负责全县档案\\u2066的收集\\u2069。"'))
    # required texts typed blank (trialT-s24 D1), an optional one typed blank (not given), huge integers (D8)
    put("name-empty.yaml", replaced("  name: 示例县档案馆", '  name: ""'))
    put("name-fullwidth-space.yaml", replaced("  name: 示例县档案馆", '  name: "\u3000"'))
    put("code-blank.yaml", replaced('  code: "901001"', '  code: " "'))
    put("division-blank.yaml", replaced("  divisions: [综合股, 业务股]", '  divisions: [综合股, "  "]'))
    put("contact-blank.yaml", replaced("  kind: 行政单位", '  kind: 行政单位\n  contact: {person: " ", phone: ""}'))
    put("amount-5000-digits.yaml", replaced("amount: 150000}", f"amount: {'9' * 5000}}}"))
    put("year-4400-digits.yaml", replaced("year: 2026", f"year: {'9' * 4400}"))
    put("staffing-5000-digits.yaml", replaced("  kind: 行政单位", f"  kind: 行政单位\n  staffing: {{authorized: {'9' * 5000}}}"))
    put("text-zero-width.yaml", replaced("    - 负责全县档案的收集、整理、保管和利用。", '    - "负责全县档案的\\u200b收集、整理、保管和利用。"'))


def json_cases() -> None:
    data = base_data()
    text = json.dumps(data, ensure_ascii=False, indent=2)
    put("syntax-trailing-comma.json", text.replace('"kind": "行政单位",', '"kind": "行政单位",,', 1))
    put("syntax-last-comma.json", text[: text.rindex("]")] + "],\n}")
    put("syntax-single-quotes.json", text.replace('"scope": "单位"', "'scope': '单位'", 1))
    put("syntax-comment.json", text.replace('  "scope": "单位",', '  // 单位预算\n  "scope": "单位",', 1))
    put("gbk.json", text, "gbk")
    put("duplicate-key.json", text.replace('  "year": 2026,', '  "year": 2026,\n  "year": 2025,', 1))
    put("deep-nesting.json", text.replace('"divisions": [', '"divisions": ' + "[" * 100 + "]" * 100 + ', "x": [', 1))
    put("amount-nan.json", text.replace('"amount": 150000', '"amount": NaN', 1))
    put("amount-1e309.json", text.replace('"amount": 150000', '"amount": 1e309', 1))
    put("name-control-escape.json", text.replace('"name": "示例县档案馆"', '"name": "示例县\\u0007档案馆"', 1))
    put("name-empty.json", text.replace('"name": "示例县档案馆"', '"name": "\u3000 "', 1))
    put("amount-5000-digits.json", text.replace('"amount": 150000', f'"amount": {"9" * 5000}', 1))
    put("wrong-type-amount.json", text.replace('"amount": 150000', '"amount": [150000]', 1))
    put("text-lone-surrogate.json", text.replace('"负责全县档案的收集', '"负责全县档案\\ud800的收集', 1))
    put("text-noncharacter.json", text.replace('"负责全县档案的收集', '"负责全县档案\\uffff的收集', 1))


def hostile_data() -> dict:
    """Every free text of a valid budget replaced by text crafted to break out; names stay under 100
    characters. The build must print each as typed."""
    data = base_data()
    org = data["organization"]
    org["name"] = '=HYPERLINK("http://example.com/")<b>{{7*7}}</b>../../档案馆'
    org["divisions"] = [FORMULAS[1], MARKUP[1]]
    org["functions"] = [*FORMULAS, *MARKUP, *TEMPLATE, *PATHS, "第一条\n# 伪标题"]
    org["tasks"] = [FORMULAS[2], FORMULAS[3], PATHS[1]]
    org["contact"] = {"person": FORMULAS[3], "phone": "+86 (0551) 1234 5678"}
    project = data["projects"][0]
    project["name"] = '@SUM(A1)档案数字化 TC "x" \\l 1'
    project["description"] = MARKUP[0]
    project["performance"]["goal"] = FORMULAS[0]
    indicator = project["performance"]["indicators"][0]
    indicator.update(name=FORMULAS[1], measure=TEMPLATE[0], basis=MARKUP[1], note=PATHS[0])
    data["expenditures"][2]["project"] = project["name"]
    data["empty_table_reasons"] = {"gov_fund": "本单位无政府性基金预算拨款，故本表为空表。" + FORMULAS[0]}
    data["prior_year"] = {"general": {"amount": 140000, "reason": MARKUP[0] + TEMPLATE[0]}}
    return data


def hostile_cases() -> None:
    data = hostile_data()
    header = ("# 公开文字中的“越狱”内容：公式、标记、模板语法、路径。都是合法文字，必须原样印出。\n"
              "# （由 tests/corpus/make_corpus.py 写出）\n")
    put("hostile-texts.yaml", header + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=200))
    put("hostile-texts.json", json.dumps(data, ensure_ascii=False, indent=2))


def workbook_cases() -> None:
    from openpyxl import load_workbook

    from discloser.intake.workbook import write_workbook

    with tempfile.TemporaryDirectory() as tmp:
        plain = Path(tmp) / "base.xlsx"
        write_workbook(base_data(), plain)

        def edit(name: str, change) -> None:
            wb = load_workbook(plain)
            change(wb)
            wb.save(OUT / name)

        def cell(wb, sheet: str, header: str, row: int = 2):
            ws = wb[sheet]
            col = next(c.column for c in ws[1] if c.value == header)
            return ws.cell(row, col)

        def set_formula(wb):
            cell(wb, "支出明细", "金额").value = "=50000*2"

        def set_text(sheet, header, value, row=2):
            def change(wb):
                c = cell(wb, sheet, header, row)
                c.value = value
                c.data_type = "s"
            return change

        def rename_header(wb):
            cell(wb, "支出明细", "金额", row=1).value = "钱"

        def org_name(value):
            def change(wb):
                ws = wb["基本情况"]
                row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "单位名称")
                ws.cell(row, 2).value = value
            return change

        edit("workbook-formula.xlsx", set_formula)
        edit("workbook-missing-column.xlsx", rename_header)
        edit("workbook-amount-text.xlsx", set_text("支出明细", "金额", "十万元"))
        edit("workbook-amount-negative.xlsx", set_text("支出明细", "金额", "-100000"))
        edit("workbook-amount-fullwidth.xlsx", set_text("支出明细", "金额", "１０００００"))
        edit("workbook-name-bidi.xlsx", org_name("示例县\u202e馆案档"))
        write_workbook(hostile_data(), OUT / "workbook-hostile-texts.xlsx")   # texts as text, quote-prefixed
    put("workbook-not-a-zip.xlsx", "这不是 Excel 文件，只是改了扩展名的文本。\n")


EXPORT_HEADER = "预算单位,支出功能分类,部门经济分类,支出类型,资金来源,项目名称,金额\n"
EXPORT_ROWS = ["[901001]示例县档案馆,[2010601]行政运行,[30101]基本工资,人员经费,一般公共预算,,100000.00",
               "[901001]示例县档案馆,[2010601]行政运行,[30201]办公费,公用经费,一般公共预算,,30000.00"]


def export(rows: list[str], total: str = "130000.00") -> str:
    return "示例县档案馆2026年部门预算支出明细\n单位：元\n" + EXPORT_HEADER + "\n".join(rows) + f"\n合计,,,,,,{total}\n"


def import_cases() -> None:
    put("export-ok.csv", export(EXPORT_ROWS))
    put("export-amount-text.csv", export([EXPORT_ROWS[0], EXPORT_ROWS[1].replace("30000.00", "三万元")]))
    put("export-amount-negative.csv", export([EXPORT_ROWS[0], EXPORT_ROWS[1].replace("30000.00", "-30000.00")], "70000.00"))
    put("export-amount-1e309.csv", export([EXPORT_ROWS[0], EXPORT_ROWS[1].replace("30000.00", "1e309")]))
    put("export-amount-fullwidth.csv", export([EXPORT_ROWS[0], EXPORT_ROWS[1].replace("30000.00", "３００００")]))
    put("export-total-wrong.csv", export(EXPORT_ROWS, "130000.01"))
    put("export-utf16-bom.csv", export(EXPORT_ROWS), "utf-16-le", b"\xff\xfe")
    put("export-utf16-no-bom.csv", export(EXPORT_ROWS), "utf-16-le")
    put("export-gbk.csv", export(EXPORT_ROWS), "gbk")
    put("export-formula-text.csv", export([EXPORT_ROWS[0], EXPORT_ROWS[1].replace("[901001]示例县档案馆", '"=HYPERLINK(""http://example.com/"")档案馆"')]))
    put("export-binary.xls", "\x00\x01\x02 这不是 xls 文件 \x03\x04" * 20, "utf-8")
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice:   # a real .xls whose 合计 does not add up
        with tempfile.TemporaryDirectory() as tmp:
            csv = Path(tmp) / "export-total-wrong-xls.csv"
            csv.write_text(export(EXPORT_ROWS, "130000.01"), encoding="utf-8")
            subprocess.run([soffice, f"-env:UserInstallation={Path(tmp).as_uri()}/lo", "--headless",
                            "--infilter=CSV:44,34,76,1", "--convert-to", "xls", "--outdir", str(OUT), str(csv)],
                           check=True, capture_output=True, timeout=300)
    else:
        sys.exit("需要 LibreOffice（soffice）写出 .xls 样例")


def main() -> None:
    OUT.mkdir(exist_ok=True)
    for old in OUT.iterdir():
        old.unlink()
    yaml_cases()
    json_cases()
    hostile_cases()
    workbook_cases()
    import_cases()
    print(f"{len(list(OUT.iterdir()))} 个文件写入 {OUT}")


if __name__ == "__main__":
    main()
