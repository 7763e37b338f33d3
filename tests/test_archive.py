"""The PDF as an archive of its own data: PDF/A-3b, the input attached and extractable, tagged,
described (title, author, subject, language), bookmarked from the outline, dated reproducibly."""
from __future__ import annotations

import dataclasses
import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from discloser.writers import pdf
from helpers import ROOT, document, profile
from sample_document import sample_document


def cli(*args: str, cwd: Path | None = None, text: bool = True) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run([sys.executable, "-m", "discloser.cli", *args], capture_output=True, text=text, cwd=cwd, env=env)


@pytest.fixture(scope="module")
def reader(shaanxi_build):
    return PdfReader(shaanxi_build.path("pdf"))


def xmp(reader) -> str:
    return reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode("utf-8")


# ----------------------------------------------------------------------------- PDF/A-3b and the attachment


def test_pdfa_3b_identification_and_output_intent(reader):
    meta = xmp(reader)
    assert 'pdfaid:part="3"' in meta and 'pdfaid:conformance="B"' in meta
    root = reader.trailer["/Root"]
    intent = root["/OutputIntents"][0].get_object()
    assert intent["/S"] == "/GTS_PDFA1" and "/DestOutputProfile" in intent
    assert reader.pdf_header == "%PDF-1.7"


def test_the_input_file_is_attached_as_the_source(reader, shaanxi_build):
    root = reader.trailer["/Root"]
    specs = [s.get_object() for s in root["/AF"]]
    source = [s for s in specs if s["/AFRelationship"] == "/Source"]
    assert len(source) == 1
    spec = source[0]
    assert spec["/UF"] == shaanxi_build.source.name
    stream = spec["/EF"]["/F"].get_object()
    assert stream["/Subtype"] == "/application/yaml"
    assert stream.get_data() == shaanxi_build.source.read_bytes()
    assert reader.attachments == {shaanxi_build.source.name: [shaanxi_build.source.read_bytes()]}


def test_extract_writes_the_input_back_and_it_validates(shaanxi_build, tmp_path):
    r = cli("extract", str(shaanxi_build.path("pdf")), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    out = tmp_path / shaanxi_build.source.name
    assert out.read_bytes() == shaanxi_build.source.read_bytes()
    assert cli("validate", str(out)).returncode == 0
    again = cli("extract", str(shaanxi_build.path("pdf")), cwd=tmp_path)      # never overwrites unasked
    assert again.returncode == 1 and "已存在" in again.stderr
    named = cli("extract", str(shaanxi_build.path("pdf")), "-o", str(tmp_path / "b.yaml"))
    assert named.returncode == 0 and (tmp_path / "b.yaml").read_bytes() == shaanxi_build.source.read_bytes()
    piped = cli("extract", str(shaanxi_build.path("pdf")), "-o", "-", text=False)
    assert piped.stdout == shaanxi_build.source.read_bytes()


def test_extract_gives_a_workbook_back_as_a_workbook(tmp_path):
    """A package built from the fill-in workbook carries the .xlsx: `extract` writes it under its own name,
    and refuses “-o 数据.yaml” (a trial got Excel bytes in a .yaml file, as `extract --help` suggests)."""
    from pypdf import PdfWriter

    from discloser.intake.workbook import write_workbook
    from discloser.validate import load
    from helpers import SHAANXI

    book = tmp_path / "town.xlsx"
    write_workbook(load(SHAANXI).budget, book)
    writer = PdfWriter()
    writer.add_blank_page(100, 100)
    writer.add_attachment("town.xlsx", book.read_bytes())
    package = tmp_path / "package.pdf"
    with package.open("wb") as f:
        writer.write(f)
    out = tmp_path / "out"
    out.mkdir()
    r = cli("extract", str(package), cwd=out)
    assert r.returncode == 0 and (out / "town.xlsx").read_bytes() == book.read_bytes()
    r = cli("extract", str(package), "-o", str(out / "数据.yaml"))
    assert r.returncode == 1 and "Excel 工作簿" in r.stderr and "-o" in r.stderr and not (out / "数据.yaml").exists()
    r = cli("extract", str(package), "-o", str(out / "数据.xlsx"))
    assert r.returncode == 0 and (out / "数据.xlsx").read_bytes() == book.read_bytes()


def test_extract_refuses_in_chinese(tmp_path):
    plain = tmp_path / "plain.pdf"
    pdf.write(sample_document(), profile(), plain)          # a Document without source bytes: nothing attached
    assert PdfReader(plain).attachments == {}
    r = cli("extract", str(plain), cwd=tmp_path)
    assert r.returncode == 1 and "没有附带预算数据文件" in r.stderr and "Traceback" not in r.stderr
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"not a pdf at all")
    r = cli("extract", str(junk), cwd=tmp_path)
    assert r.returncode == 1 and "不是可读取的 PDF 文件" in r.stderr and "Traceback" not in r.stderr
    r = cli("extract", str(tmp_path / "missing.pdf"))
    assert r.returncode == 1 and "找不到文件" in r.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["junk.pdf", "plain.pdf"]


def test_an_attached_name_cannot_escape_the_folder(tmp_path):
    from discloser.extract import _safe_name

    assert _safe_name("../../etc/passwd") == "passwd.yaml"   # a budget file, whatever the PDF says
    assert _safe_name("..\\..\\x.yaml") == "x.yaml"
    assert _safe_name("\x00\x1b") == "budget.yaml"
    assert _safe_name("数据\u202elmay.exe") == "数据_lmay.exe.yaml"   # a bidi override cannot disguise the suffix
    assert _safe_name("/etc/cron.d/job") == "job.yaml" and _safe_name("a.JSON") == "a.json"


# ----------------------------------------------------------------------------- tags and metadata


def _struct_types(reader) -> dict[str, int]:
    counts: dict[str, int] = {}
    stack = [reader.trailer["/Root"]["/StructTreeRoot"].get_object()]
    while stack:
        node = stack.pop()
        if "/S" in node:
            counts[node["/S"]] = counts.get(node["/S"], 0) + 1
        kids = node.get("/K")
        kids = kids if isinstance(kids, list) else [kids] if kids is not None else []
        for kid in kids:
            kid = kid.get_object() if hasattr(kid, "get_object") else kid
            if isinstance(kid, dict) and ("/S" in kid or "/K" in kid):
                stack.append(kid)
    return counts


def test_tagged_with_headings_and_table_header_cells(reader, shaanxi_build):
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert root["/Lang"] == "zh-CN"
    kinds = _struct_types(reader)
    assert kinds.get("/H1", 0) >= 4 and kinds.get("/H2", 0) >= 10
    from discloser.tables.model import Kind
    from discloser.writers.layout import blocks

    doc = document()
    tables = [doc.toc, *doc.tables]
    assert kinds.get("/Table", 0) >= sum(len(blocks(t)) for t in tables)   # a form table: one per block
    header_cells = sum(len(r.cells) for t in tables for r in t.header)
    label_cells = sum(1 for t in tables for r in t.body for c in r.cells if c.kind is Kind.label)
    data_cells = sum(1 for t in tables for r in t.body for c in r.cells if c.kind is not Kind.label)
    assert kinds.get("/TH", 0) >= header_cells + label_cells      # column headers and form labels are TH
    assert kinds.get("/TD", 0) >= data_cells
    assert kinds.get("/P", 0) > 50


def test_document_metadata(reader):
    doc = document()
    meta = reader.metadata
    assert meta.title == doc.title and meta.author == doc.organization and meta.subject == doc.subtitle
    assert "预算公开" in meta["/Keywords"]
    text = xmp(reader)
    assert doc.title in text and doc.organization in text
    assert bool(reader.trailer["/Root"]["/ViewerPreferences"]["/DisplayDocTitle"])


def test_bookmarks_follow_the_outline(reader):
    doc = document()

    def walk(items, depth=0):
        for it in items:
            if isinstance(it, list):
                yield from walk(it, depth + 1)
            else:
                yield depth, it.title, reader.get_destination_page_number(it) + 1
    marks = list(walk(reader.outline))
    labels = [(d, t) for d, t, _ in marks]
    expected = [(e.level - 1, e.label) for e in doc.outline if e.level <= pdf.BOOKMARK_DEPTH]
    assert [m for m in labels if m[1] != "目录"] == expected
    assert (1, "表4 部门综合预算财政拨款收支总表") in labels
    projects = [t for d, t in labels if d == 2 and labels.index((d, t)) > labels.index((1, "表13 部门预算专项业务经费绩效目标表"))][:5]
    assert projects == [t.subject for t in doc.tables if t.key == "project_performance"]
    texts = [p.extract_text() for p in reader.pages]
    for depth, title, page in marks:        # each bookmark opens the page that shows its heading
        if title.startswith("表"):
            number = title.split()[0]
            assert texts[page - 1].lstrip().startswith(number), (title, page)


# ----------------------------------------------------------------------------- dates


def test_creation_date_is_the_approval_date(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")      # the approval date wins over it
    doc = dataclasses.replace(sample_document(), approval_date=date(2024, 2, 5))
    out = tmp_path / "dated.pdf"
    pdf.write(doc, profile(), out)
    reader = PdfReader(out)
    assert reader.metadata["/CreationDate"] == reader.metadata["/ModDate"] == "D:20240205000000+08'00"
    assert "<xmp:CreateDate>2024-02-05T00:00:00+08:00</xmp:CreateDate>" in xmp(reader)
    again = tmp_path / "again.pdf"
    pdf.write(doc, profile(), again)
    assert again.read_bytes() == out.read_bytes()


def test_no_clock_in_the_files(shaanxi_build, tmp_path):
    """Two builds of the same input, a second apart, are byte for byte equal in every format."""
    import time

    from conftest import build_example

    time.sleep(1.1)
    r = build_example(shaanxi_build.source, tmp_path)
    assert r.returncode == 0, r.stderr
    for fmt in ("pdf", "docx", "xlsx", "json"):
        assert next(tmp_path.glob(f"*.{fmt}")).read_bytes() == shaanxi_build.path(fmt).read_bytes(), fmt


def test_page_map_matches_the_pages(tmp_path):
    doc = sample_document()
    data, pages, _ = pdf.render_pdf(doc, fonts=None)
    out = tmp_path / "a.pdf"
    out.write_bytes(data)
    texts = [p.extract_text() for p in PdfReader(out).pages]
    assert len(set(pages.values())) > 2        # entries on several pages
    for e in doc.outline:
        assert e.id in pages, e
        page_text = re.sub(r"\s+", "", texts[pages[e.id] - 1])
        assert re.sub(r"\s+", "", e.label.split()[-1])[:8] in page_text, (e.label, pages[e.id])
