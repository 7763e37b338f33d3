"""The hostile-input corpus (issue 16): every bad input gets its located Chinese problem and nothing is
written; the text crafted to break out (formula, markup, template syntax, path) is printed as typed in
Word, Excel and PDF, and nothing of it became a formula, markup, a field, a link or template code.

The inputs are tests/corpus/inputs/ (made by tests/corpus/make_corpus.py), the expected answers
tests/corpus/manifest.yaml (written by hand; the decisions are in docs/security.md).
"""
from __future__ import annotations

import json
import re
import subprocess
import zipfile
from pathlib import Path

import pytest
import yaml
from openpyxl import load_workbook
from pypdf import PdfReader

from discloser.build import build
from discloser.intake.importer import ExportError, import_exports
from discloser.intake.yamlout import dump
from discloser.safety import safe_filename
from discloser.source import MAX_BYTES, load_source
from discloser.validate import load
from helpers import ROOT

CORPUS = ROOT / "tests" / "corpus"
INPUTS = CORPUS / "inputs"
MANIFEST = yaml.safe_load((CORPUS / "manifest.yaml").read_text(encoding="utf-8"))
CJK = re.compile(r"[\u4e00-\u9fff]")


def make(entry: dict, folder: Path) -> Path:
    """The input of an entry; `make: oversize` ones are written here (one byte over the cap)."""
    if entry.get("make") != "oversize":
        return INPUTS / entry["file"]
    path = folder / entry["file"]
    base = (CORPUS / "base.yaml").read_bytes()
    filler = b"# " + b"x" * 98 + b"\n"
    path.write_bytes(base + filler * ((MAX_BYTES + 1 - len(base)) // len(filler) + 1))
    assert path.stat().st_size > MAX_BYTES
    return path


def located(problem, path: Path, at: str | None) -> bool:
    loc = problem.locations[0]
    if at is None:
        return loc.file == str(path) and loc.line is None
    if re.fullmatch(r"\d+:\d+", at):
        return loc.file == str(path) and f"{loc.line}:{loc.column}" == at
    return loc.file == f"{path}!{at}"


def plain_and_chinese(problems) -> None:
    """Every problem is a located Chinese sentence, never a Python message."""
    for p in problems:
        assert CJK.search(p.message), p.format()
        assert "Traceback" not in p.message and "Error:" not in p.message and "原始信息" not in p.message, p.format()
        assert p.locations and p.locations[0].file, p.format()


def test_every_input_has_its_expected_answer():
    listed = [e["file"] for e in MANIFEST if "make" not in e]
    assert sorted(listed) == sorted(p.name for p in INPUTS.iterdir())
    assert len(MANIFEST) >= 40
    assert sum(1 for e in MANIFEST if not e.get("ok")) >= 40


@pytest.mark.parametrize("entry", MANIFEST, ids=[e["file"] for e in MANIFEST])
def test_corpus(entry, tmp_path):
    path = make(entry, tmp_path)
    if entry.get("via") == "import":
        return check_import(entry, path, tmp_path)
    loaded = load(path)   # never raises for a user's file
    plain_and_chinese(loaded.problems)
    if entry.get("ok"):
        assert loaded.errors == [], [p.format() for p in loaded.errors]
        return
    matches = [p for p in loaded.problems if p.rule == entry["rule"] and p.severity == entry.get("severity", "error")
               and located(p, path, entry.get("at")) and entry["says"] in p.message
               and ("field" not in entry or p.locations[0].field == entry["field"])]
    assert matches, "\n".join(p.format() for p in loaded.problems) or "no problem at all"
    if entry.get("severity", "error") == "error":
        out = tmp_path / "out"
        result = build(path, out, ("json", "xlsx"))
        assert result.refused and not result.written
        assert not out.exists() or not any(out.rglob("*")), "a refused build wrote something"


def check_import(entry: dict, path: Path, tmp_path: Path) -> None:
    if entry.get("ok"):
        imported = import_exports([path])
        if "keeps" in entry:
            out = tmp_path / "imported.yaml"   # what `discloser import -o` writes
            out.write_text(dump(imported.data, imported.notes), encoding="utf-8")
            strings = [s for s in _strings(load_source(out).data)]
            assert entry["keeps"] in strings
        return
    with pytest.raises(ExportError) as e:
        import_exports([path])
    plain_and_chinese(e.value.problems)
    assert any(p.rule == entry["rule"] and located(p, path, entry.get("at")) and entry["says"] in p.message
               for p in e.value.problems), "\n".join(p.format() for p in e.value.problems)


def _strings(data) -> list[str]:
    if isinstance(data, dict):
        return [s for k, v in data.items() for s in [k, *_strings(v)] if isinstance(s, str)]
    if isinstance(data, list):
        return [s for v in data for s in _strings(v)]
    return [data] if isinstance(data, str) else []


# ------------------------------------------------------------------ the crafted texts, printed as typed

def hostile_payloads() -> list[str]:
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_corpus", CORPUS / "make_corpus.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    data = mod.hostile_data()
    org = data["organization"]
    # what the national profile prints (it has no 年度工作任务, so not the tasks)
    texts = [org["name"], *org["divisions"], *org["functions"], data["projects"][0]["name"],
             data["projects"][0]["description"], data["projects"][0]["performance"]["goal"]]
    return [t for t in texts if "\n" not in t]


PAYLOADS = hostile_payloads()
LITERAL = [e["file"] for e in MANIFEST if e.get("literal")]


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module", params=LITERAL)
def literal_build(request, tmp_path_factory):
    folder = tmp_path_factory.mktemp("literal")
    source = INPUTS / request.param
    result = build(source, folder / "out", ("docx", "xlsx", "pdf", "json"))
    assert not result.refused, [p.format() for p in result.loaded.errors]
    files = {f.suffix.lstrip("."): f for f in result.written}
    document = json.loads(files["json"].read_text(encoding="utf-8"))
    return folder, files, document


def document_texts(document: dict) -> tuple[str, str]:
    """(every text of the Document, the texts of its tables only)."""
    tables = json.dumps(document["tables"], ensure_ascii=False)
    return json.dumps(document, ensure_ascii=False), tables


def test_outputs_stay_in_the_output_folder_with_safe_names(literal_build):
    folder, files, document = literal_build
    assert sorted(p.relative_to(folder) for p in folder.rglob("*") if p.is_file()) == \
        sorted(f.relative_to(folder) for f in files.values())
    stem = files["pdf"].stem
    assert all(f.parent == folder / "out" and f.stem == stem for f in files.values())
    assert stem == safe_filename(document["title"]) and not re.search(r'[/\\:*?"<>|\x00-\x1f]', stem)
    assert stem.startswith("=HYPERLINK(_http___example.com__)_b_{{7_7}}__b_.._.._档案馆")


def test_the_document_carries_every_crafted_text_as_typed(literal_build):
    _, _, document = literal_build
    everything, _ = document_texts(document)
    for payload in PAYLOADS:
        assert json.dumps(payload, ensure_ascii=False)[1:-1] in everything, payload
    heads = [s["title"] for s in document["sections"]]
    paragraphs = [p for s in document["sections"] for p in s["paragraphs"]]
    assert not any("伪标题" in h for h in heads) and "# 伪标题" in paragraphs   # a typed “#” line is no heading
    assert "{org}{year}{scope}{table_scope}" in everything and "49" not in "".join(paragraphs).replace("2049", "")


def test_hostile_texts_print_literally_in_word(literal_build):
    _, files, document = literal_build
    xml = zipfile.ZipFile(files["docx"]).read("word/document.xml").decode("utf-8")
    words = squeeze(_xml_text(xml))
    for payload in PAYLOADS:
        assert squeeze(payload) in words, payload
    instructions = [m.strip() for m in re.findall(r"<w:instrText[^>]*>(.*?)</w:instrText>", xml)]
    assert instructions and all(i.startswith(("TOC ", "TC ", "PAGEREF ")) for i in instructions), instructions
    assert "fldSimple" not in xml and not re.search(r"<w:hyperlink [^>]*r:id=", xml)   # no field or link from user text
    tc = [i for i in instructions if "档案数字化" in i]
    assert tc == ['TC "@SUM(A1)档案数字化 TC ”x” \\\\l 1" \\l 3']   # the name stays inside the TC argument


def _xml_text(xml: str) -> str:
    import html

    return html.unescape("".join(re.findall(r"<w:t(?: [^>]*)?>(.*?)</w:t>", xml)))


def test_hostile_texts_print_literally_in_excel(literal_build):
    _, files, document = literal_build
    _, tables = document_texts(document)
    book = zipfile.ZipFile(files["xlsx"])
    for name in book.namelist():
        if name.startswith("xl/worksheets/sheet"):
            assert not re.search(r"<f[ >]", book.read(name).decode("utf-8")), f"a formula in {name}"
    wb = load_workbook(files["xlsx"])
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    values = {c.value for c in cells}
    shown = [p for p in PAYLOADS if json.dumps(p, ensure_ascii=False)[1:-1] in tables]
    assert len(shown) >= 4
    for payload in shown:
        assert any(payload in v for v in values), payload
    risky = [c for c in cells if c.value.startswith(("=", "+", "-", "@"))]
    assert risky and all(c.data_type == "s" and c.quotePrefix for c in risky)


def test_hostile_texts_print_literally_in_pdf(literal_build):
    _, files, _ = literal_build
    reader = PdfReader(files["pdf"])
    text = squeeze("".join(page.extract_text() for page in reader.pages))
    for payload in PAYLOADS:
        assert squeeze(payload) in text, payload
    for page in reader.pages:   # internal links only: no URI, JavaScript, launch or form action
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A")
            assert action is None or action.get_object().get("/S") == "/GoTo", action
    root = reader.trailer["/Root"]
    assert "/OpenAction" not in root and "/AA" not in root and "/JavaScript" not in (root.get("/Names") or {})


def test_hostile_texts_are_escaped_in_the_html():
    from discloser.package import build_document
    from discloser.writers.pdf import render_html

    result = load(INPUTS / "hostile-texts.yaml")
    html = render_html(build_document(result.budget, result.profile, result.catalog))
    assert "<script" not in html and '<img src="file:' not in html and "<b>粗体" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html or "&lt;script&gt;alert(&quot;x&quot;)" in html


def test_libreoffice_shows_the_formula_text_not_its_result(literal_build, tmp_path):
    """A spreadsheet program opening the workbook shows the text; a formula would show “点我” (its result)."""
    _, files, _ = literal_build
    from conftest import libreoffice_pdf

    pdf = libreoffice_pdf(files["xlsx"], tmp_path)
    shown = squeeze(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout)
    assert squeeze('=HYPERLINK("http://example.com/x","点我")') in shown
    assert squeeze("+cmd|' /C calc'!") in shown        # (the cell wraps before “A0”)
    assert "#NAME" not in shown and "Err:" not in shown   # what a formula made of this text would show
