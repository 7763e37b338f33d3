"""The workbook, read back with openpyxl and opened by LibreOffice."""
from __future__ import annotations

import copy
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from discloser.tables.model import Cell
from discloser.writers import xlsx
from helpers import ROOT, document, profile

ROOT_DEPARTMENTS = ROOT / "tests" / "departments"


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
    assert links["表4"] == "'表4'!A1" and links["表13"] == "'表13'!A1"
    # the titles carry no link, so they wrap in LibreOffice too (it does not wrap a cell holding one: trial V N2)
    titles = [row[1] for row in toc.iter_rows() if row[1].value == "部门综合预算财政拨款收支总表"]
    assert titles and not titles[0].hyperlink and titles[0].alignment.wrap_text
    reasons = {row[0].value: (row[2].value, row[3].value and row[3].value.replace("\n", ""))   # its lines are layout
               for row in toc.iter_rows() if row[0].value in ("表9", "表10")}
    assert reasons == {"表9": ("是", "本单位无政府性基金预算收支"), "表10": ("否", None)}


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
    assert any(c.value == "本单位2024年无政府性基金预算收支，故本表为空表。" for row in ws.iter_rows() for c in row)


def test_text_that_looks_like_a_formula_stays_text(tmp_path):
    doc = copy.deepcopy(document())
    t = doc.tables[4]
    row = t.body[1]
    t.body[1] = type(row)((Cell("=SUM(A1:A9)"), *row.cells[1:]), row.kind, row.level)
    out = tmp_path / "f.xlsx"
    xlsx.write(doc, profile(), out)
    cell = next(c for r in load_workbook(out)["表5"].iter_rows() for c in r if c.value == "=SUM(A1:A9)")
    assert cell.data_type == "s"


def test_a_long_department_name_wraps_before_the_unit(tmp_path):
    """trialW2-s30 D2: a department named in 75 characters ran from A2 under “单位：元” in the last column and was
    cut there. Longer than the columns before the unit's hold, it is merged over them and wrapped, its row made
    taller; a short one stays in A2 as before."""
    from dataclasses import replace

    doc = copy.deepcopy(document())
    long_name = "陕西省宝鸡市麟游县巩固拓展脱贫攻坚成果同乡村振兴有效衔接暨农业农村现代化综合服务保障中心（县乡村振兴局农村社会事业促进与农村人居环境整治提升综合行政执法大队）"
    doc.tables[1] = replace(doc.tables[1], department=long_name)
    out = tmp_path / "long.xlsx"
    xlsx.write(doc, profile(), out)
    wb = load_workbook(out)
    long_ws, short_ws = wb[doc.tables[1].number], wb[doc.tables[0].number]
    [unit] = [c for c in long_ws[2] if c.value == "单位：元"]   # in the last columns (as many as it needs)
    assert long_ws["A2"].value.endswith("综合行政执法大队）")
    assert f"A2:{get_column_letter(unit.column - 1)}2" in {str(r) for r in long_ws.merged_cells.ranges}
    assert long_ws["A2"].alignment.wrap_text and long_ws.row_dimensions[2].height >= 2 * 14.5
    assert not [r for r in short_ws.merged_cells.ranges if r.min_row == 2]


def test_the_unit_label_is_never_narrower_than_its_text(tmp_path):
    """trialR-s32 D5: beside a long name merged over the columns before it, “单位：元” in a narrow 备注 column had no
    room to spill into and printed “位：元”. It is merged over as many last columns as its text needs."""
    from dataclasses import replace

    doc = copy.deepcopy(document())
    long_name = "陕西省宝鸡市麟游县巩固拓展脱贫攻坚成果同乡村振兴有效衔接暨农业农村现代化综合服务保障中心（县乡村振兴局农村社会事业促进与农村人居环境整治提升综合行政执法大队）"
    doc.tables = [replace(t, department=long_name) for t in doc.tables]
    out = tmp_path / "long.xlsx"
    xlsx.write(doc, profile(), out)
    wb = load_workbook(out)
    merged_units = 0
    for t in (t for t in doc.tables if t.unit_label):
        ws = wb[t.number]
        [unit] = [c for c in ws[2] if isinstance(c.value, str) and c.value.startswith("单位：")]
        span = next((r for r in ws.merged_cells.ranges if unit.coordinate == r.start_cell.coordinate), None)
        columns = range(unit.column, (span.max_col if span else unit.column) + 1)
        width = sum(ws.column_dimensions[get_column_letter(c)].width for c in columns)
        assert width >= 2 * len(unit.value), (t.number, unit.value, width)        # a CJK character is two widths
        assert columns[-1] == ws.max_column
        name = [r for r in ws.merged_cells.ranges if r.min_row == 2 and r.min_col == 1]
        assert not name or name[0].max_col < unit.column, (t.number, name)        # no merge overlaps another
        merged_units += span is not None
    assert merged_units   # 表7's 备注 column alone is too narrow for it


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


def _sheets(path):
    wb = load_workbook(path)
    return [(ws, wb) for ws in wb.worksheets]


def test_every_sheet_fits_its_paper_at_70_percent_or_more(shaanxi_build, henan_build):
    from discloser.writers.xlsx import MARGIN_IN, points

    for built in (shaanxi_build, henan_build):
        for ws, _ in _sheets(built.path("xlsx")):
            scale = int(ws.page_setup.scale)
            assert 70 <= scale <= 100, (ws.title, scale)
            assert not ws.sheet_properties.pageSetUpPr.fitToPage        # the scale is ours, not the printer's
            landscape = ws.page_setup.orientation == "landscape"
            paper = (841.9 if landscape else 595.3) - 2 * MARGIN_IN * 72
            used = sum(points(ws.column_dimensions[c].width) for c in ws.column_dimensions if ws.column_dimensions[c].width)
            assert used * scale / 100 <= paper, (ws.title, used, scale, paper)


def test_titles_merged_across_the_table_and_print_areas_set(shaanxi_build):
    from openpyxl.utils import get_column_letter

    wb = load_workbook(shaanxi_build.path("xlsx"))
    doc = document()
    widths = {"目录": len(doc.toc.columns)} | {n: len(t.columns) for n, t in zip(wb.sheetnames[1:], doc.tables)}
    for ws in wb.worksheets:
        last = get_column_letter(widths[ws.title])
        title = ws["A1"]
        assert title.value and f"A1:{last}1" in {str(r) for r in ws.merged_cells.ranges}, ws.title
        assert title.alignment.wrap_text                                  # a long title wraps, never cut off
        area = ws.print_area if isinstance(ws.print_area, str) else ws.print_area[0]
        assert area.split("!")[-1].startswith(f"$A$1:${last}$"), (ws.title, area)
        assert int(area.rsplit("$", 1)[-1]) >= ws.max_row - 3       # the table (notes may follow)
        import math

        from discloser.writers.layout import text_em
        from discloser.writers.xlsx import points

        table_pt = sum(points(ws.column_dimensions[get_column_letter(c)].width) for c in range(1, widths[ws.title] + 1))
        lines = math.ceil(text_em(title.value, bold=True) * title.font.sz / (table_pt - 6))
        assert ws.row_dimensions[1].height >= 22 * lines, (ws.title, lines)   # tall enough for every line
    assert load_workbook(shaanxi_build.path("xlsx"))["表11"]["A1"].value == "表11 部门综合预算政府采购（资产配置、购买服务）预算表"


def test_form_sheets_break_pages_between_row_groups(henan_build):
    """Henan 表13 is longer than a page: its manual page breaks fall between row groups."""
    ws = load_workbook(henan_build.path("xlsx"))["表13"]
    breaks = [b.id for b in ws.row_breaks.brk]
    assert breaks
    merged = [r for r in ws.merged_cells.ranges if r.min_row != r.max_row]
    for row in breaks:      # no vertically merged cell runs across a break (a break after row `row`)
        assert not any(r.min_row <= row < r.max_row for r in merged), row


def test_amounts_and_codes_never_wrap_in_the_workbook(shaanxi_build, tmp_path):
    from conftest import libreoffice_pdf
    from helpers import nowrap_texts

    pdf = libreoffice_pdf(shaanxi_build.path("xlsx"), tmp_path)
    layout = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    missing = [t for t in nowrap_texts(document()) if t not in layout]
    assert not missing, missing[:10]


def test_percentages_are_fractions_in_excel_percent_format(tmp_path):
    """Hubei 表13's shares were stored as 79.44 under the literal format 0.00"%": a clerk's formula or Excel's own
    percent style then read 7944 %. They are the fraction (0.7944) under 0.00%, and show the PDF's text."""
    from helpers import EXAMPLES, built_with

    _, doc = built_with(EXAMPLES / "hubei-tongcheng-2024.yaml", "hubei")
    out = tmp_path / "hubei.xlsx"
    xlsx.write(doc, profile("hubei"), out)
    ws = load_workbook(out)["表13"]
    shares = {c.coordinate: (Decimal(str(c.value)), c.number_format) for r in ws.iter_rows() for c in r
              if "%" in c.number_format and c.value is not None}
    assert shares["F7"] == (Decimal("0.7944"), "0.00%") and shares["F8"] == (Decimal("0.2056"), "0.00%")
    printed = [c.text for t in doc.tables if t.number == "表13" for r in t.body for c in r.cells if c.kind.value == "percent" and c.text]
    assert len(shares) == len(printed) >= 4
    for (value, fmt), text in zip(shares.values(), printed):     # Excel's display of the cell is the Document's text
        assert f"{value * 100:.2f}%" == text and fmt == "0.00%"


def test_a_percentage_left_blank_is_still_a_percent_cell(tmp_path):
    """Jiangxi's 执行率 without its figures is a blank cell; it keeps Excel's percent format (a clerk types 95 and
    sees 95.00%… as the other shares), as before the fractions — the oracle read it as an unknown amount."""
    from helpers import EXAMPLES, built_with

    _, doc = built_with(EXAMPLES / "anping-gazetteer-office-2025.yaml", "jiangxi")
    blank = [(t.number, r_i) for t in doc.tables for r_i, r in enumerate(t.body) for c in r.cells
             if c.kind.value == "percent" and not c.text]
    assert blank, "the example leaves 执行率 blank in Jiangxi's form"
    out = tmp_path / "jx.xlsx"
    xlsx.write(doc, profile("jiangxi"), out)
    ws = load_workbook(out)["表1"]
    label = next(c for r in ws.iter_rows() for c in r if c.value == "执行率")
    cell = next(c for c in ws[label.row] if c.column > label.column and c.value is None and c.coordinate not in ws.merged_cells)
    assert cell.number_format == "0.00%"


@pytest.mark.parametrize("build", ["shaanxi_build", "henan_build"])
def test_a_form_label_spans_its_head_and_body_rows(build, request):
    """A form's row label spanning a sub-grid's head and its rows (年度绩效指标 over 10–13 rows, 年度主要任务 over
    5) was merged over the head row only, with empty merged boxes under it that read as an empty column (trial I):
    it is one merged cell of the Document's row span, cut only where a manual page break falls, each piece
    labelled — and no merged box in the first column is left empty."""
    built = request.getfixturevalue(build)
    from helpers import HENAN, SHAANXI

    doc = document(SHAANXI if build == "shaanxi_build" else HENAN)
    wb = load_workbook(built.path("xlsx"))
    checked = 0
    for t, ws in zip(doc.tables, wb.worksheets[1:]):
        if not t.form:
            continue
        merged = {r.min_row: r for r in ws.merged_cells.ranges if r.min_col == 1 and r.max_row > r.min_row}
        assert all(ws.cell(row, 1).value for row in merged), (ws.title, [str(r) for r in merged.values()])
        breaks = {b.id + 1 for b in ws.row_breaks.brk}        # rows that start a page
        for row in t.body:
            lead = row.cells[0]
            if lead.rowspan < 2 or len(row.cells) < 2 or not all(c.kind.value == "label" for c in row.cells):
                continue
            def shown(r: int) -> str:    # the label, at the line break its column needs (年度主要 / 任务)
                return str(ws.cell(r, 1).value or "").replace("\n", "")

            top = next(r for r in range(1, ws.max_row + 1) if shown(r) == lead.text)
            pieces, r = [], top
            while r < top + lead.rowspan:
                assert shown(r) == lead.text, (ws.title, lead.text, r)
                span = merged[r] if r in merged else None
                r = span.max_row + 1 if span else r + 1
                pieces.append(r)
            assert r == top + lead.rowspan, (ws.title, lead.text)
            assert all(p in breaks for p in pieces[:-1]), (ws.title, lead.text, pieces)   # cut only at a page break
            checked += 1
    assert checked >= (7 if build == "shaanxi_build" else 1)


LONG_DUTIES = [f"负责全县第{i}类新闻宣传、广播电视节目制作播出和新媒体运营的组织协调，拟订相关规划并监督实施，承办交办事项。"
               for i in range(1, 49)]


def _media_file(tmp_path, *changes: tuple[str, str]) -> Path:
    """tests/departments/anping-media-2025.yaml with `changes` (old, new) made to its text."""
    text = (ROOT_DEPARTMENTS / "anping-media-2025.yaml").read_text(encoding="utf-8")
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new)
    path = tmp_path / "media.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _long_duties_file(tmp_path) -> Path:
    """anping-media with 48 duties of 49–50 characters: a 职能 of ≈ 2,400 characters (a 局's runs to 2,000)."""
    return _media_file(tmp_path, ("  functions:\n    - 负责全县新闻宣传、广播电视节目制作播出和新媒体运营。\n",
                                  "  functions:\n" + "".join(f"    - {d}\n" for d in LONG_DUTIES)))


@pytest.mark.parametrize("profile_name", ["jiangxi", "gansu", "hubei"])
def test_a_text_taller_than_an_excel_row_is_spread_over_rows(tmp_path, profile_name):
    """Excel rows stop at 409 pt and clip a taller cell at both ends (trial C, D2: a 396-character 职能 in Jiangxi's
    部门职能简述 lost its first and last lines). The text is cut over consecutive rows, every piece fitting its row,
    all of them together the file's duties, and the label beside it merged over all of them."""
    from helpers import built_with, write

    from discloser.writers.layout import line_count
    from discloser.writers.xlsx import LINE_PT, MAX_ROW_PT, MEASURE_PT, points

    _, doc = built_with(_long_duties_file(tmp_path), profile_name)
    out = tmp_path / "a.xlsx"
    write("xlsx", doc, out, profile_name=profile_name)
    wb = load_workbook(out)
    [want] = {c.text.replace("\n", "") for t in doc.tables for row in t.body for c in row.cells if LONG_DUTIES[0][:20] in c.text}
    at = 0
    for duty in LONG_DUTIES:                         # the file's duties in order, as the profile joins them
        at = want.index(duty.rstrip("。"), at) + 1
    found = [(ws, c) for ws in wb.worksheets for row in ws.iter_rows() for c in row
             if isinstance(c.value, str) and LONG_DUTIES[0][:20] in c.value]
    assert found, profile_name
    for ws, first in found:
        merged = {(r.min_row, r.min_col): r for r in ws.merged_cells.ranges}
        span = merged.get((first.row, first.column))
        columns = span.max_col - span.min_col + 1 if span else 1
        label = [r for (row, _), r in merged.items() if row == first.row and r.max_col < first.column]
        pages = {b.id + 1 for b in ws.row_breaks.brk}
        while True:         # the labels left of the text span its rows: merged once on each page it prints on
            bottom = max((r.max_row for r in label), default=first.row)
            assert all(r.max_row == bottom for r in label), (ws.title, [str(r) for r in label])
            assert all(ws.cell(r.min_row, r.min_col).alignment.vertical == "top" for r in label)   # beside the text's start
            more = [merged.get((bottom + 1, r.min_col)) for r in label] if bottom + 1 in pages else []
            if not more or any(m is None for m in more) or [ws.cell(r.min_row, r.min_col).value for r in more] != [
                    ws.cell(r.min_row, r.min_col).value for r in label]:
                break
            label = more
        cells = [ws.cell(row, first.column) for row in range(first.row, bottom + 1)]
        assert len(cells) > 1, (ws.title, first.coordinate)   # 2,400 characters need more than one row anywhere
        assert "".join(c.value or "" for c in cells).replace("\n", "") == want, (profile_name, ws.title)   # every character
        room = (sum(points(ws.column_dimensions[get_column_letter(first.column + k)].width) for k in range(columns))
                - 6) / MEASURE_PT
        for c in cells:
            height = ws.row_dimensions[c.row].height
            assert height <= MAX_ROW_PT and LINE_PT * line_count(c.value, room) + 3 <= height, (ws.title, c.coordinate)
            assert c.alignment.wrap_text


def test_a_forms_tall_text_starts_on_the_tables_first_page_and_is_closed_at_each_cut(tmp_path):
    """Rows do not break across pages in Excel or LibreOffice: 甘肃 表1's 职能 in pieces of 365 pt moved whole to
    the next page and left the table's first page four rows and white, and the programs' own breaks cut its merged
    label — “部门（单位）” on one page, “职能” on the next (trialW-s27 D3). A form's text taller than a third of a
    page is pieced a third of a page at most; it starts under its label on the table's first page; each page it
    runs onto has the label merged again, and the rule under the last row of a page and over the first of the next."""
    from helpers import built_with, write

    _, doc = built_with(_long_duties_file(tmp_path), "gansu")
    out = tmp_path / "a.xlsx"
    write("xlsx", doc, out, profile_name="gansu")
    ws = load_workbook(out)["表1"]
    [first] = [c for row in ws.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith(LONG_DUTIES[0][:20])]
    pages = _printed_pages(ws)
    assert not [p for p in pages if 1 < p <= first.row], (pages, first.row)       # on the title's page
    paper = 595.3 if ws.page_setup.orientation == "landscape" else 841.9
    room = (paper - 72 * (ws.page_margins.top + ws.page_margins.bottom)) / (ws.page_setup.scale / 100)
    text_rows = [first.row]                                                   # its pieces, one under the other
    while "新闻宣传" in str(ws.cell(text_rows[-1] + 1, first.column).value):
        text_rows.append(text_rows[-1] + 1)
    assert len(text_rows) >= 4 and all((ws.row_dimensions[r].height or 15) <= room / 3 for r in text_rows)
    cuts = [p for p in pages if text_rows[0] < p <= text_rows[-1]]
    assert cuts and {b.id + 1 for b in ws.row_breaks.brk} >= set(cuts)    # each written, not left to the program
    labels = {(r.min_row, r.min_col): ws.cell(r.min_row, r.min_col).value for r in ws.merged_cells.ranges
              if r.min_col < first.column}
    width = ws.max_column
    for cut in cuts:
        assert (labels.get((cut, 1)) or "").replace("\n", "") == "部门（单位）职能", (cut, labels)
        for col in range(1, width + 1):
            assert ws.cell(cut - 1, col).border.bottom.style and ws.cell(cut, col).border.top.style, (cut, col)


def test_a_forms_last_row_never_stands_alone_on_a_page():
    """Hubei 表13's last indicator row (服务对象满意度) printed alone on the form's last page (trialW-s27 D4): the
    group before it comes along when both fit a page; a group taller than a page fills the page it starts on."""
    from openpyxl import Workbook

    from discloser.writers import layout as wl
    from discloser.writers.xlsx import PRINTABLE_HEIGHT_PT, _keep_groups_on_a_page

    fit = wl.TableFit(landscape=False, scale=1.0, font_pt=10.0, widths_pt=(100.0,))
    room = PRINTABLE_HEIGHT_PT[False]
    ws = Workbook().active
    heights = {1: 30, 2: 20, **{r: 100 for r in range(3, 9)}, 9: 60}       # six rows of 100 fill the page but 9
    for r, h in heights.items():
        ws.row_dimensions[r].height = h
    assert sum(heights.values()) > room >= sum(h for r, h in heights.items() if r != 9)
    assert _keep_groups_on_a_page(ws, [(3, 4), (5, 6), (7, 8), (9, 9)], fit, 9) == [7]    # not [9]: 7–9 go together
    ws = Workbook().active
    for r in range(1, 13):
        ws.row_dimensions[r].height = 15 if r < 3 else 100
    starts = _keep_groups_on_a_page(ws, [(3, 12)], fit, 12)                  # one group of ten rows of 100
    assert starts and starts[0] > 3 and all(b - a >= 5 for a, b in zip([3, *starts], starts))


NOTE_CLAUSE = "“三公”经费包括因公出国（境）费、公务用车购置及运行费和公务接待费"


@pytest.mark.parametrize("profile_name", ["henan", "hubei"])
def test_a_note_under_a_table_is_merged_wrapped_and_tall_enough(tmp_path, profile_name):
    """The 注 under 表8 (三公经费, 242 characters) was one unwrapped, unmerged cell cut at the print edge (trial C,
    D3): every note is merged across its table, wraps, and its row holds its lines at the table's width."""
    import math

    from helpers import built_with, write

    from discloser.writers.layout import line_count
    from discloser.writers.xlsx import NOTE_PT, points

    _, doc = built_with(ROOT_DEPARTMENTS / "anping-media-2025.yaml", profile_name)
    out = tmp_path / "a.xlsx"
    write("xlsx", doc, out, profile_name=profile_name)
    wb = load_workbook(out)
    checked = 0
    for t, ws in zip(doc.tables, wb.worksheets[1:]):
        for note in t.notes:
            [cell] = [c for row in ws.iter_rows() for c in row if c.value == note]
            last = get_column_letter(len(t.columns))
            assert f"A{cell.row}:{last}{cell.row}" in {str(r) for r in ws.merged_cells.ranges}, (ws.title, note[:10])
            assert cell.alignment.wrap_text, (ws.title, note[:10])
            width = sum(points(ws.column_dimensions[get_column_letter(c)].width) for c in range(1, len(t.columns) + 1))
            lines = max(line_count(note, (width - 6) / (NOTE_PT * 1.1)), math.ceil(len(note) / ((width - 6) / NOTE_PT)))
            assert (ws.row_dimensions[cell.row].height or 15) >= 12 * lines, (ws.title, note[:10], lines)
            checked += NOTE_CLAUSE in note
    assert checked == 1      # the 三公 note of 表8 among them


def test_the_contents_head_is_as_tall_as_its_lines(tmp_path):
    """A long department name squeezes the 目录's other columns and their heads break (是否 / 空表, 公开空表 / 理由);
    the head row kept Excel's default height and showed one line of them (trial C, D4). Every head row of every
    sheet is as tall as its most broken head."""
    from helpers import built_with, write

    from discloser.writers.xlsx import LINE_PT

    name = "安平县教育体育和科学技术局（县人民政府教育督导委员会办公室）机关综合事务服务中心"   # 40 characters, trial C
    _, doc = built_with(_media_file(tmp_path, ("  name: 安平县融媒体中心\n", f"  name: {name}\n")), "henan")
    out = tmp_path / "a.xlsx"
    write("xlsx", doc, out, profile_name="henan")
    wb = load_workbook(out)
    broken = 0
    for ws in wb.worksheets:
        spans = {(r.min_row, r.min_col): r.max_row - r.min_row + 1 for r in ws.merged_cells.ranges}
        for row in ws.iter_rows(min_row=2):
            for c in row:
                if c.style != "dc_header" or not isinstance(c.value, str) or "\n" not in c.value:
                    continue
                rows = spans.get((c.row, c.column), 1)
                height = sum(ws.row_dimensions[r].height or 15 for r in range(c.row, c.row + rows))
                assert height >= LINE_PT * (c.value.count("\n") + 1), (ws.title, c.coordinate, c.value)
                broken += 1
    assert broken          # some heads did break (the 目录's no longer do: its long titles wrap in their column)


NOTO_PITCH_PT = 10 * 1.448    # a line of 10 pt text where 宋体 is missing: Noto CJK (LibreOffice set 12.3 pt a line at 85 %)


def test_rows_hold_their_lines_at_the_substitute_fonts_pitch(tmp_path):
    """Rows were sized at 13.5 pt a line, 宋体's in Excel: LibreOffice (and WPS without 宋体) set Noto CJK at 14.5 pt,
    and a 7-line 指标值 crossed its row's rules (trial C, D10: Gansu 表2). Every wrapped body text's row holds its
    lines at that pitch."""
    from helpers import built_with, write

    from discloser.writers.layout import line_count
    from discloser.writers.xlsx import MEASURE_PT, points

    _, doc = built_with(_long_duties_file(tmp_path), "gansu")
    out = tmp_path / "a.xlsx"
    write("xlsx", doc, out, profile_name="gansu")
    wb = load_workbook(out)
    tall = 0
    for ws in wb.worksheets[1:]:
        merged = {(r.min_row, r.min_col): r for r in ws.merged_cells.ranges}
        for row in ws.iter_rows(min_row=3):
            for c in row:
                if not isinstance(c.value, str) or c.style not in ("dc_text", "dc_center") or not c.alignment.wrap_text:
                    continue
                span = merged.get((c.row, c.column))
                cols = range(c.column, (span.max_col if span else c.column) + 1)
                rows = range(c.row, (span.max_row if span else c.row) + 1)
                room = (sum(points(ws.column_dimensions[get_column_letter(k)].width) for k in cols) - 6) / MEASURE_PT
                lines = line_count(c.value, room)
                if lines < 3:
                    continue
                height = sum(ws.row_dimensions[r].height or 15 for r in rows)
                assert height >= NOTO_PITCH_PT * lines, (ws.title, c.coordinate, lines, height)
                tall += 1
    assert tall >= 2       # the 职能's pieces at least


def _printed_pages(ws, with_breaks: bool = True) -> list[int]:
    """The rows that start each printed page of a table, counted as a printer does: the rows' heights
    (the sheet's default where a row has none), A4 at the sheet's orientation less its top and bottom margins, at
    its print scale, the head rows repeated on every page after the first, and — `with_breaks` — its manual breaks."""
    def height(row: int) -> float:
        return ws.row_dimensions[row].height or ws.sheet_format.defaultRowHeight or 15.0

    paper = 595.3 if ws.page_setup.orientation == "landscape" else 841.9
    room = (paper - 72 * (ws.page_margins.top + ws.page_margins.bottom)) / (ws.page_setup.scale / 100)
    titles = ws.print_title_rows       # a form repeats no head
    top, bottom = (int(x) for x in titles.replace("$", "").split(":")) if titles else (1, 0)
    manual = {b.id + 1 for b in ws.row_breaks.brk} if with_breaks else set()
    area_end = int(str(ws.print_area).rsplit("$", 1)[-1].strip("'"))
    starts, used = [1], 0.0
    for row in range(1, area_end + 1):
        if row > bottom + 1 and (row in manual or used + height(row) > room):
            starts.append(row)
            used = sum(height(r) for r in range(top, bottom + 1))
        used += height(row)
    return starts


@pytest.mark.parametrize("name, profile_name, number, case", [("anping-culture-sports-2025", "henan", "表3", "alone"),
                                                              ("liuwan-town-2025", "henan", "表6", "alone"),
                                                              ("liuwan-town-2025", "shaanxi", "表3", "subtotal")])
def test_a_list_table_never_leaves_one_row_alone_on_a_page(tmp_path, name, profile_name, number, case):
    """trialC-s26 D10: 表3 printed 2240106 安全监管 alone on a page under the repeated head. As the PDF keeps a
    table's last rows together and a subtotal with the row under it, the workbook's manual breaks leave the
    table's last page at least two rows and end no page on a subtotal row (类/款, a unit) — Anping's 文化 bureau
    in Henan's 表3 and Liuwan in Henan's 表6 would otherwise end with one row on the next page, Liuwan's Shaanxi
    表3 a page on a subtotal row. The pages are counted from the sheet as a printer counts them (`_printed_pages`),
    the rows' kinds read from the Document built from the department's file."""
    from helpers import built_with

    _, doc = built_with(ROOT_DEPARTMENTS / f"{name}.yaml", profile_name)
    out = tmp_path / "a.xlsx"
    xlsx.write(doc, profile(profile_name), out)
    [table] = [t for t in doc.tables if t.number == number]
    ws = load_workbook(out)[number]
    first = int(ws.print_title_rows.replace("$", "").split(":")[1]) + 1     # the row under the repeated head
    kinds = {first + i: row.kind.value for i, row in enumerate(table.body)}
    last = first + len(table.body) - 1
    unbroken, pages = _printed_pages(ws, with_breaks=False), _printed_pages(ws)
    assert len(pages) >= 2, pages
    if case == "alone":                                        # the case, as the sheet would print without breaks
        assert last - unbroken[-1] + 1 == 1, unbroken
    else:
        assert [p - 1 for p in unbroken[1:] if kinds.get(p - 1) == "subtotal"], (unbroken, kinds)
    assert last - pages[-1] + 1 >= 2, (pages, last)
    assert len(pages) == len(unbroken), (pages, unbroken)      # no page more than the count needs
    assert not [p - 1 for p in pages[1:] if kinds.get(p - 1) == "subtotal"], (pages, kinds)


def test_a_list_tables_last_page_as_libreoffice_prints_it(tmp_path):
    """The same as a reader sees it: LibreOffice prints Anping's 文化 bureau's Henan 表3 with its last two rows on
    one page (before the breaks, 用于体育事业的彩票公益金支出 stood alone under the repeated head)."""
    import re

    from conftest import libreoffice_pdf
    from helpers import built_with

    _, doc = built_with(ROOT_DEPARTMENTS / "anping-culture-sports-2025.yaml", "henan")
    out = tmp_path / "a.xlsx"
    xlsx.write(doc, profile("henan"), out)
    [table] = [t for t in doc.tables if t.number == "表3"]
    names = [max((c.text for c in row.cells if re.search(r"[\u4e00-\u9fff]", c.text)), key=len)[:5] for row in table.body[-2:]]
    pdf = libreoffice_pdf(out, tmp_path / "pdf")
    pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout.split("\f")
    start = next(n for n, p in enumerate(pages) if f"表3 {table.title[:6]}" in p)
    last_page = next(p for p in pages[start:] if names[1] in p)      # the table's, not a later table's same row
    assert names[0] in last_page and "科目编码" in last_page, (names, last_page)


def test_a_list_tables_project_taller_than_a_page_is_cut_closed_and_labelled_on_each_page(tmp_path):
    """Henan/Hubei 表14 in Excel: a project whose 指标值 fills pages went in three pieces of 293 pt; the page before it
    held only the 合计 (its unit row may not end a page, and the project could not move up), and LibreOffice cut the
    project's merged cells itself — its name printed once on a middle page, the cuts open (trialV-s28 D1). Pieced a
    third of a page at most, the project starts under its unit row on the table's first page; at each break the
    writer puts it, its name and code are merged again (the amount stays on the first page only: printed once) and the
    rule closes the cut."""
    from dataclasses import replace

    from sample_document import sample_document, tall_group_table

    table = tall_group_table()
    doc = replace(sample_document(), tables=[table])
    out = tmp_path / "t.xlsx"
    xlsx.write(doc, profile("henan"), out)
    ws = load_workbook(out)[table.number]
    first = int(ws.print_title_rows.replace("$", "").split(":")[1]) + 1       # the 合计, under the repeated head
    assert ws.cell(first, 2).value == "合计" and ws.cell(first + 1, 1).value == "401001"
    pages = _printed_pages(ws)
    assert len(pages) >= 3 and not [p for p in pages if first < p <= first + 2], pages   # 合计, unit row, project: one page
    breaks = {b.id + 1 for b in ws.row_breaks.brk}
    cuts = [p for p in pages[1:] if p > first + 2]
    assert cuts and set(cuts) <= breaks                                        # written, not left to the program
    merged = {(r.min_row, r.min_col): r for r in ws.merged_cells.ranges}
    for cut in cuts:
        assert not [r for r in ws.merged_cells.ranges if r.min_row < cut <= r.max_row], cut   # no cell across a break
        assert (ws.cell(cut, 1).value, ws.cell(cut, 2).value) == ("401001250001", "高标准农田建设"), cut
        assert ws.cell(cut, 3).value is None and (cut, 3) in merged             # the amount, printed once
        assert all(ws.cell(cut - 1, c).border.bottom.style and ws.cell(cut, c).border.top.style for c in range(1, 5)), cut
    amounts = [ws.cell(r, 3).value for r in range(first, ws.max_row + 1)]
    assert [v for v in amounts if isinstance(v, (int, float, Decimal))] == [300, 300, 300]   # 合计, unit, project: once each
