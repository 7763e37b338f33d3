"""The Word document, read back with python-docx and opened by LibreOffice."""
from __future__ import annotations

import subprocess
import time
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document as read_docx
from docx.oxml.ns import qn

from discloser.tables.model import Cell, Column, Kind, Row, RowKind, Table
from discloser.tables.outline import with_outline
from discloser.writers import docx
from helpers import document, profile


@pytest.fixture(scope="module")
def docx_path(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("docx") / "a.docx"
    docx.write(document(), profile(), out)
    return out


def texts(table, breaks: bool = False) -> list[list[str]]:
    """The cells' texts; without the explicit line breaks the writer sets into a wrapping text (`breaks`: with them)."""
    return [[c.text if breaks else c.text.replace("\n", "") for c in row.cells] for row in table.rows]


def test_tables_with_titles_figures_and_repeated_headers(docx_path):
    d = read_docx(docx_path)
    doc = document()
    from discloser.writers.layout import blocks

    assert len(d.tables) == 1 + sum(len(blocks(t)) for t in doc.tables)   # 目录 + every table (a form table: one per block)
    t5 = d.tables[1 + 4]
    rows = texts(t5)
    assert texts(t5, breaks=True)[0][:3] == ["功能科目\n编码", "功能科目名称", "合计"]   # broken between the words, as in the PDF
    assert ["2101506", "医疗保障经办事务", "2,932,680.00", "885,980.00", "116,700.00", "1,930,000.00", ""] in rows
    header_tr = t5._tbl.tr_lst[0]
    assert header_tr.find(qn("w:trPr")).find(qn("w:tblHeader")) is not None
    assert all(tr.find(qn("w:trPr")).find(qn("w:cantSplit")) is not None for tr in t5._tbl.tr_lst)
    money_p = t5.rows[2].cells[2].paragraphs[0]
    assert money_p.paragraph_format.alignment == 2      # right


def test_merged_header_cells(docx_path):
    t4 = read_docx(docx_path).tables[1 + 3]
    first = t4._tbl.tr_lst[0]
    spans = [tc.find(qn("w:tcPr")).find(qn("w:gridSpan")) for tc in first.findall(qn("w:tc"))]
    assert [int(s.get(qn("w:val"))) for s in spans if s is not None] == [2, 6]
    t3 = read_docx(docx_path).tables[1 + 2]           # 合计 spans two header rows
    vmerges = [tc.find(qn("w:tcPr")).find(qn("w:vMerge")) for tc in t3._tbl.tr_lst[0].findall(qn("w:tc"))]
    assert any(v is not None and v.get(qn("w:val")) == "restart" for v in vmerges)


def test_empty_table_reason_and_toc(docx_path):
    d = read_docx(docx_path)
    toc = texts(d.tables[0])
    assert ["表9", "部门综合预算政府性基金收支表", "是", "本单位无政府性基金预算收支"] in toc
    t9 = d.tables[1 + 8]
    assert texts(t9)[-1][0] == "本单位2024年无政府性基金预算收支，故本表为空表。"


def test_headings_fonts_landscape_and_page_numbers(docx_path):
    d = read_docx(docx_path)
    heads = [p.text for p in d.paragraphs if p.style.name == "Heading 2"]
    titles = [p.text for p in d.paragraphs if p.style.name == "Table Title"]
    assert "一、主要职责及机构设置" in heads and "部门综合预算财政拨款收支总表" in titles
    assert any(p.style.name == "Heading 1" and p.text == "第一部分 单位概况" for p in d.paragraphs)
    fonts = d.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert d.styles["Heading 1"].element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "黑体"
    orientations = [s.page_width > s.page_height for s in d.sections]
    assert any(orientations) and not orientations[0]
    footer_xml = d.sections[0].footer._element.xml
    assert "PAGE" in footer_xml and "NUMPAGES" in footer_xml and "第 " in footer_xml
    assert d.core_properties.title == "麟游县医疗保障经办机构2024年单位预算公开"
    assert d.core_properties.author == "麟游县医疗保障经办机构"


def test_user_text_is_escaped(tmp_path):
    import copy
    from discloser.tables.model import Section

    doc = copy.copy(document())
    doc.sections = [Section("测试", 1, ["<w:p>注入</w:p> & <script>"])]
    out = tmp_path / "x.docx"
    docx.write(with_outline(doc), profile(), out)
    assert any(p.text == "<w:p>注入</w:p> & <script>" for p in read_docx(out).paragraphs)


def test_same_input_same_bytes(tmp_path):
    a, b = tmp_path / "a.docx", tmp_path / "b.docx"
    docx.write(document(), profile(), a)
    docx.write(document(), profile(), b)
    assert a.read_bytes() == b.read_bytes()


def test_large_tables_are_fast(tmp_path):
    big = Table(key="big", number="表X", title="大表", department="某单位", unit_label="单位：元",
                columns=[Column(10, Kind.code), Column(20)] + [Column(12, Kind.money)] * 6,
                header=[Row(tuple(Cell(f"列{i}") for i in range(8)), RowKind.header)],
                body=[Row((Cell(str(1000000 + i), Kind.code), Cell(f"项目{i}"),
                           *[Cell("1,234.56", Kind.money, Decimal("1234.56"))] * 6)) for i in range(3000)])
    import copy
    doc = copy.copy(document())
    doc.tables = [big]
    t = time.perf_counter()
    docx.write(with_outline(doc), profile(), tmp_path / "big.docx")
    assert time.perf_counter() - t < 5     # sanity bound: 3000 rows × 8 columns, built as XML in one pass
    assert len(read_docx(tmp_path / "big.docx").tables[1].rows) == 3001


def test_libreoffice_opens_it(docx_path, tmp_path):
    r = subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to", "pdf",
                        "--outdir", str(tmp_path), str(docx_path)], capture_output=True, text=True, timeout=180)
    assert r.returncode == 0, r.stderr
    text = subprocess.run(["pdftotext", str(tmp_path / "a.pdf"), "-"], capture_output=True, text=True).stdout
    assert "3,488,570.00" in text and "部门综合预算财政拨款收支总表" in text and "第 2 页 共" in text
