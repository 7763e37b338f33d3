"""The workbook, read back with openpyxl and opened by LibreOffice."""
from __future__ import annotations

import copy
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from discloser.tables.model import Cell
from discloser.writers import xlsx
from helpers import document, profile


@pytest.fixture(scope="module")
def workbook_path(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("xlsx") / "a.xlsx"
    xlsx.write(document(), profile(), out)
    return out


def test_sheets_and_toc_links(workbook_path):
    wb = load_workbook(workbook_path)
    assert wb.sheetnames[:6] == ["目录", "表1", "表2", "表3", "表4", "表5"]
    assert {"表13", "表13-2", "表13-5", "表15"} <= set(wb.sheetnames)
    toc = wb["目录"]
    links = {c.value: c.hyperlink.location for row in toc.iter_rows() for c in row if c.hyperlink}
    assert links["部门综合预算财政拨款收支总表"] == "'表4'!A1"
    assert links["部门预算专项业务经费绩效目标表"] == "'表13'!A1"
    reasons = {row[0].value: (row[2].value, row[3].value) for row in toc.iter_rows() if row[0].value in ("表9", "表10")}
    assert reasons == {"表9": ("是", "本单位不涉及"), "表10": ("否", None)}


def test_money_cells_are_numbers_and_codes_are_text(workbook_path):
    ws = load_workbook(workbook_path)["表5"]
    rows = {r[0].value: r for r in ws.iter_rows(min_row=4) if r[0].value}
    total = next(r for r in ws.iter_rows(min_row=4) if r[1].value == "合计")
    assert total[2].data_type == "n" and Decimal(str(total[2].value)) == Decimal("3488570")
    assert total[2].number_format == "#,##0.00"
    assert rows["2101506"][2].value == 2932680 and rows["2101506"][5].value == 1930000
    assert rows["2080505"][0].data_type == "s"


def test_merged_headers_freeze_and_print_setup(workbook_path):
    wb = load_workbook(workbook_path)
    t4 = wb["表4"]
    merged = {str(r) for r in t4.merged_cells.ranges}
    assert "A3:B3" in merged and "C3:H3" in merged           # 收 入 | 支 出
    assert t4.freeze_panes == "A5"
    assert t4.print_title_rows == "$3:$4"
    assert t4.page_setup.orientation == "landscape" and wb["表5"].page_setup.orientation == "portrait"
    assert not t4.sheet_properties.pageSetUpPr.fitToPage and int(t4.page_setup.scale) >= 70   # explicit scale
    assert t4.oddFooter.center.text == "第 &P 页 共 &N 页"
    assert int(t4.page_setup.paperSize) == 9   # A4


def test_empty_table_shows_reason(workbook_path):
    ws = load_workbook(workbook_path)["表9"]
    assert any(c.value == "本单位不涉及" for row in ws.iter_rows() for c in row)


def test_text_that_looks_like_a_formula_stays_text(tmp_path):
    doc = copy.deepcopy(document())
    t = doc.tables[4]
    row = t.body[1]
    t.body[1] = type(row)((Cell("=SUM(A1:A9)"), *row.cells[1:]), row.kind, row.level)
    out = tmp_path / "f.xlsx"
    xlsx.write(doc, profile(), out)
    cell = next(c for r in load_workbook(out)["表5"].iter_rows() for c in r if c.value == "=SUM(A1:A9)")
    assert cell.data_type == "s"


def test_reproducible_bytes_and_properties(tmp_path):
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    xlsx.write(document(), profile(), a)
    xlsx.write(document(), profile(), b)
    assert a.read_bytes() == b.read_bytes()
    props = load_workbook(a).properties
    assert props.title == "麟游县医疗保障经办机构2024年单位预算公开" and props.creator == "麟游县医疗保障经办机构"


def test_libreoffice_opens_it(workbook_path, tmp_path):
    r = subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to", "pdf",
                        "--outdir", str(tmp_path), str(workbook_path)], capture_output=True, text=True, timeout=180)
    assert r.returncode == 0, r.stderr
    pdf = tmp_path / "a.pdf"
    assert pdf.stat().st_size > 10000
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "3,488,570.00" in text and "部门综合预算财政拨款收支总表" in text
