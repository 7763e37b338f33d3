"""Table layout shared by the writers: tokens, widths from content, orientation and scale, blocks;
and, read back from the PDF with pdftotext -layout, amounts, codes and unit labels on one line."""
from __future__ import annotations

import re
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

from discloser.tables.model import Cell, Column, Kind, Row, RowKind, Table
from discloser.writers import layout
from helpers import HENAN, document, nowrap_texts
from sample_document import sample_document

PAGE = layout.Page(portrait_pt=442.2, landscape_pt=700.2, base_pt=10, padding_pt=6.5, min_scale=0.7)


@pytest.mark.parametrize("text, expected", [
    ("3,488,570.00", ("3,488,570.00",)),
    ("≥10000份", ("≥10000份",)),                     # a number keeps its unit
    ("4110人次满意", ("4110人次", "满", "意")),
    ("2024年6月前", ("2024年", "6月前")),
    ("2080505", ("2080505",)),
    ("收入（一般公共）3488570元，较上年", ("收", "入", "（一", "般", "公", "共）", "3488570元，", "较", "上", "年")),
    ("“三公”经费", ("“三", "公”", "经", "费")),
    ("100% 完成", ("100%", "完", "成")),
])
def test_tokens_never_split_numbers_and_keep_punctuation_on_its_character(text, expected):
    assert layout.tokens(text) == expected


def test_line_count_breaks_at_tokens():
    assert layout.line_count("机关事业单位基本养老保险缴费支出", 8.5) == 2     # 16 characters, 8 a line
    assert layout.line_count("3,488,570.00", 20) == 1
    assert layout.line_count("甲\n乙", 20) == 2


def _table(columns, rows, **kw):
    return Table(key="t", number="表X", title="测试", department="单位", unit_label="单位：元",
                 columns=columns, body=rows, **kw)


def test_figure_columns_are_as_wide_as_their_longest_amount():
    wide = Cell("123,456,789,012.00", Kind.money, Decimal("123456789012"))
    t = _table([Column(30), Column(4, Kind.money)], [Row((Cell("名称"), wide), RowKind.total)])
    fit = layout.fit(t, PAGE)
    assert sum(fit.widths_pt) == pytest.approx(PAGE.portrait_pt)
    assert fit.widths_pt[1] >= layout.text_em(wide.text, bold=True) * fit.font_pt + PAGE.padding_pt


def test_column_widths_follow_content_not_nominal_widths():
    rows = [Row((Cell("2101506", Kind.code), Cell("医疗保障经办事务"), Cell("2,932,680.00", Kind.money, Decimal(1))))]
    a = layout.fit(_table([Column(50), Column(5), Column(5, Kind.money)], rows), PAGE)
    b = layout.fit(_table([Column(5), Column(50), Column(5, Kind.money)], rows), PAGE)
    assert a.widths_pt == b.widths_pt


def test_a_wide_table_turns_landscape_then_shrinks_but_never_below_the_minimum():
    amounts = [Cell("3,488,570.00", Kind.money, Decimal("3488570"))] * 8
    eight = _table([Column(10)] + [Column(10, Kind.money)] * 8, [Row((Cell("合计"), *amounts))])
    fit = layout.fit(eight, PAGE)
    assert fit.landscape and fit.scale == 1.0 and fit.fits
    many = _table([Column(10)] + [Column(10, Kind.money)] * 12, [Row((Cell("合计"), *[amounts[0]] * 12))])
    fit = layout.fit(many, PAGE)
    assert fit.landscape and PAGE.min_scale <= fit.scale < 1 and fit.fits
    huge = _table([Column(10)] + [Column(10, Kind.money)] * 30, [Row((Cell("合计"), *[amounts[0]] * 30))])
    fit = layout.fit(huge, PAGE)
    assert fit.scale == PAGE.min_scale and not fit.fits          # never below the profile's minimum


def test_the_examples_fit_without_breaking_a_token():
    for doc in (document(), document(HENAN)):
        for t in doc.tables:
            fit = layout.fit(t, PAGE)
            assert fit.fits and fit.scale >= PAGE.min_scale, t.caption
            needs = layout.column_needs(t)
            for need, width in zip(needs, fit.widths_pt):
                assert width + 1e-6 >= need.narrowest_em * fit.font_pt + PAGE.padding_pt, t.caption


def test_form_table_blocks_head_their_sub_grids():
    form = next(t for t in sample_document().tables if t.form)
    info, grid = layout.blocks(form)
    assert info.head == () and len(info.rows) == 1
    assert [c.text for c in grid.head[0].cells] == ["年度绩效指标", "一级指标", "二级指标", "指标内容", "指标值"]
    assert grid.label and grid.head[0].cells[0].rowspan == 1
    assert grid.groups == ((0, 2),)                                  # 产出指标 spans both rows: one group
    assert grid.rows[0].cells[0].text == "" and grid.rows[0].cells[0].rowspan == 2   # the label column continued
    assert grid.joint(0, 0) and not grid.joint(1, 0) and not grid.joint(0, 1)
    placed = [(col, cell.text) for _, col, cell in layout.placed(grid.rows)]
    assert (1, "产出指标") in placed and (2, "质量指标") in placed and (3, "公务员医疗保险报销") in placed


def test_plain_tables_are_one_block_grouped_by_row_spans():
    doc = document(HENAN)
    summary = next(t for t in doc.tables if t.key == "project_performance_summary")
    (block,) = layout.blocks(summary)
    assert block.head == tuple(summary.header)
    heads = [s for s, _ in block.groups if block.rows[s].kind is RowKind.subtotal]
    assert heads and all(e - s > 1 for s, e in block.groups if s in heads)   # a unit's row with its first project
    spans = [(s + (s in heads), e) for s, e in block.groups if e - s - (s in heads) > 1]
    projects = [r for r in summary.body if r.kind is RowKind.detail and r.cells[0].rowspan > 1]
    assert len(spans) == len(projects) == 10                        # one group per project: its indicator rows
    for s, e in spans:
        assert max(c.rowspan for c in block.rows[s].cells) == e - s


def test_cover_title_lines():
    assert layout.cover_title_lines("麟游县医疗保障经办机构2024年单位预算公开", "麟游县医疗保障经办机构") == \
        ["麟游县医疗保障经办机构", "2024年单位预算公开"]
    assert layout.cover_title_lines("预算公开", "某单位") == ["预算公开"]


def test_a_cover_subtitle_too_long_for_a_line_breaks_after_the_name():
    """trialY-s29 D8: Jiangxi's subtitle wrapped inside a word (“…和项目支 / 出绩效目标”); one that fits stays whole."""
    long = "九江市柴桑区医疗保障局2025年部门整体支出和项目支出绩效目标"
    assert layout.cover_subtitle_lines(long, "九江市柴桑区医疗保障局", 453, 16) == [
        "九江市柴桑区医疗保障局", "2025年部门整体支出和项目支出绩效目标"]
    assert layout.cover_subtitle_lines("2024年单位预算公开说明", "麟游县医疗保障经办机构", 453, 16) == ["2024年单位预算公开说明"]


@pytest.mark.parametrize("fixture", ["shaanxi_build", "henan_build"])
def test_amounts_codes_and_unit_labels_never_wrap_in_the_pdf(fixture, request):
    built = request.getfixturevalue(fixture)
    text = subprocess.run(["pdftotext", "-layout", str(built.path("pdf")), "-"], capture_output=True, text=True).stdout
    doc = document(built.source)
    missing = [t for t in nowrap_texts(doc) if t not in text]
    assert not missing, missing[:10]
    # and the indicator values of the performance tables (“≥10000份”, “≤16.8万”) are whole as well
    values = {c.text for t in doc.tables for r in t.body for c in r.cells
              if c.text and c.text[0] in "≥≤<>=" and len(c.text) <= 12}
    assert values and not [v for v in values if v not in text]


@pytest.mark.parametrize("fixture", ["shaanxi_build", "henan_build"])
def test_no_wrapped_line_ends_with_one_character_alone(fixture, request):
    """The PDF left one character alone on a wrapped line (“卫生健康支 / 出”, “一般公共预算拨 / 款”: 44 such lines in
    Hubei's example, 21 in Shaanxi's). Read back line by line (pdftotext -bbox-layout), none is left."""
    import re
    import unicodedata

    built = request.getfixturevalue(fixture)
    xml = subprocess.run(["pdftotext", "-bbox-layout", str(built.path("pdf")), "-"], capture_output=True, text=True).stdout
    alone, wrapped = [], 0
    for block in re.findall(r"<block .*?</block>", xml, re.S):
        lines = ["".join(re.findall(r">([^<]*)</word>", line)) for line in re.findall(r"<line .*?</line>", block, re.S)]
        wrapped += len(lines) > 1
        alone += [f"{a}/{b}" for a, b in zip(lines, lines[1:]) if len(b) == 1 and unicodedata.east_asian_width(b) == "W"]
    assert wrapped > 20 and not alone, alone[:10]


def test_the_end_kept_together_is_two_short_pieces():
    assert layout.orphan_tail("卫生健康支出") == 2
    assert layout.orphan_tail("1、一般公共服务支出") == 2
    assert layout.orphan_tail("较上年增加12.5万元。") == 0     # the last piece is a number with its unit
    assert layout.orphan_tail("支出") == 0                     # too short to wrap anyway
    assert layout.orphan_tail("事业单位（项）") == 0           # the end would be 4 characters wide
    assert layout.orphan_tail("建立多层次医疗保障体系。") == 3   # a mark after the two does not count (体 / 系。)
    assert layout.orphan_tail("关于做好重特大疾病医疗救助工作的实施意见》") == 3


def test_a_group_taller_than_a_page_is_cut_between_its_inner_groups_and_keeps_its_label():
    long = "很长的指标说明" * 12
    rows = [Row((Cell("一级指标", Kind.label), Cell("二级指标", Kind.label), Cell("三级指标", Kind.label)), RowKind.section)]
    rows.append(Row((Cell("投入管理指标", rowspan=12), Cell("工作目标管理", rowspan=6), Cell(long))))
    rows += [Row((Cell(long),))] * 5
    rows.append(Row((Cell("预算和财务管理", rowspan=6), Cell(long))))
    rows += [Row((Cell(long),))] * 5
    t = Table(key="f", number="表13", title="绩效目标表", department="单位", unit_label="",
              columns=[Column(10), Column(10), Column(40)], body=rows, form=True)
    page = layout.Page(442.2, 700.2, 10, 6.5, portrait_room_pt=400, landscape_room_pt=300)
    fit = layout.fit(t, page)
    (block,) = layout.blocks(t)
    assert block.groups == ((0, 12),)                         # one group: 投入管理指标 spans all twelve rows
    cut = layout.paginate(block, fit, page)
    assert cut.groups == ((0, 6), (6, 12))                    # cut between 工作目标管理 and 预算和财务管理
    assert [c.text for c in cut.rows[0].cells[:2]] == ["投入管理指标", "工作目标管理"]
    assert [c.text for c in cut.rows[6].cells[:2]] == ["投入管理指标", "预算和财务管理"]   # the label again
    assert cut.rows[0].cells[0].rowspan == cut.rows[6].cells[0].rowspan == 6
    heights = layout.row_heights(cut.rows, fit, page)
    assert all(sum(heights[a:b]) <= 400 for a, b in cut.groups)
    placed = {(r, col): c.text for r, col, c in layout.placed(cut.rows)}
    assert placed[(6, 0)] == "投入管理指标" and placed[(6, 1)] == "预算和财务管理" and placed[(7, 2)] == long
    small = layout.paginate(block, fit, layout.Page(442.2, 700.2, 10, 6.5, portrait_room_pt=5000))
    assert small == block                                     # it fits a page: left alone


def test_an_inner_group_taller_than_a_page_is_cut_in_turn_and_every_chunk_carries_all_its_labels():
    """A project's 产出指标 of 40 indicators (more than a page) under 年度绩效目标: the group was kept whole and broke,
    and the pages it continued on showed no 年度绩效目标, 产出指标 or 二级指标 — the blank label columns did not say
    what the indicators were. It is now cut between its 二级指标 too, each chunk with every label over it."""
    long = "很长的指标说明" * 12
    rows = [Row((Cell("目标名称", Kind.label), Cell("一级指标", Kind.label), Cell("二级指标", Kind.label),
                 Cell("三级指标", Kind.label)), RowKind.section)]
    rows.append(Row((Cell("年度绩效目标", rowspan=14), Cell("产出指标", rowspan=12), Cell("数量指标", rowspan=6), Cell(long))))
    rows += [Row((Cell(long),))] * 5
    rows.append(Row((Cell("质量指标", rowspan=6), Cell(long))))
    rows += [Row((Cell(long),))] * 5
    rows.append(Row((Cell("效益指标", rowspan=2), Cell("社会效益指标", rowspan=2), Cell("短"))))
    rows.append(Row((Cell("短"),)))
    t = Table(key="f", number="表15", title="项目支出绩效目标表", department="单位", unit_label="",
              columns=[Column(8), Column(8), Column(8), Column(40)], body=rows, form=True)
    page = layout.Page(442.2, 700.2, 10, 6.5, portrait_room_pt=400, landscape_room_pt=300)
    fit = layout.fit(t, page)
    (block,) = layout.blocks(t)
    heights = layout.row_heights(block.rows, fit, page)
    assert block.groups == ((0, 14),) and sum(heights[0:12]) > 400 >= sum(heights[0:6])
    cut = layout.paginate(block, fit, page)
    assert len(cut.groups) >= 2 and cut.groups[0][0] == 0 and cut.groups[-1][1] == 14
    assert all(sum(heights[a:b]) <= 400 for a, b in cut.groups) and not cut.breakable
    assert any(a == 6 for a, _ in cut.groups)                  # cut between 数量指标 and 质量指标
    placed = {(r, col): c for r, col, c in layout.placed(cut.rows)}
    for a, b in cut.groups:
        labels = [placed[(a, col)] for col in range(3)]
        assert labels[0].text == "年度绩效目标" and labels[0].rowspan == b - a
        assert labels[1].text == ("产出指标" if a < 12 else "效益指标") and a + labels[1].rowspan <= b
    assert [placed[(6, col)].text for col in range(3)] == ["年度绩效目标", "产出指标", "质量指标"]
    assert [placed[(r, 3)].text for r in range(14)] == [long] * 12 + ["短", "短"]   # every indicator where it was


def test_a_group_with_a_row_taller_than_a_page_keeps_one_label_and_breaks():
    """Cut into chunks, a block whose one row fills more than a page printed its label once per chunk — 甘肃 表1's
    “部门（单位）职能” beside 依据 and again beside 职能概述 on the same page (trialW-s27 D6), where the reference
    prints it once over its rows. That row breaks across pages anyway, so the block stays whole, one label over it,
    free to break."""
    duty = "负责全县教育事业的统筹规划和综合协调，拟订教育发展规划并组织实施；" * 40
    rows = [Row((Cell("部门（单位）职能", Kind.label, rowspan=4), Cell("依据", Kind.label), Cell("三定方案"))),
            Row((Cell("职能概述", Kind.label), Cell(duty))),
            Row((Cell("近三年是否变化", Kind.label), Cell("无"))),
            Row((Cell("变化内容", Kind.label), Cell("")))]
    t = Table(key="f", number="表1", title="部门整体支出绩效目标表", department="单位", unit_label="",
              columns=[Column(8), Column(8), Column(50)], body=rows, form=True)
    page = layout.Page(442.2, 700.2, 10, 6.5, portrait_room_pt=400, landscape_room_pt=300)
    fit = layout.fit(t, page)
    (block,) = layout.blocks(t)
    assert layout.row_heights(block.rows, fit, page)[1] > 400          # the 职能概述 alone is taller than a page
    cut = layout.paginate(block, fit, page)
    assert cut.groups == ((0, 4),) and cut.breakable == frozenset({0})
    labels = [c.text for _, col, c in layout.placed(cut.rows) if col == 0]
    assert labels == ["部门（单位）职能"] and cut.rows[0].cells[0].rowspan == 4


def test_henan_indicator_pages_all_show_their_first_level_label(henan_build):
    from pypdf import PdfReader

    texts = [p.extract_text() for p in PdfReader(henan_build.path("pdf")).pages]
    pages = [t for t in texts if "三级指标" in t and "指标值说明" in t]
    assert len(pages) >= 2
    labels = ("投入管理指标", "产出指标", "效益指标", "满意度指标")
    for text in pages:
        assert any(label in text for label in labels), text[:200]


def test_an_empty_form_table_still_prints_its_frame_with_the_reason():
    """专项资金总体绩效目标表 of a department without a special fund: no head, no rows — the PDF printed only
    its title (a trial found 表15 with neither frame nor 空表 sentence)."""
    import dataclasses

    from discloser.writers import pdf
    from helpers import document

    doc = document()
    form = next(t for t in doc.tables if t.key == "special_fund_performance")
    empty = dataclasses.replace(form, header=[], body=[], empty=True, empty_reason="本部门不管理本级专项资金，故本表为空表。")
    assert len(layout.blocks(empty)) == 1
    html = pdf.render_html(dataclasses.replace(doc, tables=[empty if t is form else t for t in doc.tables]))
    assert '<tr class="r-empty"><td colspan="' in html and "本部门不管理本级专项资金，故本表为空表。</td>" in html


def test_a_form_sub_grid_ends_where_the_next_one_is_headed():
    """江西's 年度主要任务 head (a row of labels spanning nothing) ran to the end of the table, so its header
    repeated on the next page over the 绩效指标 grid (a trial's page 6). It ends at the next row of labels."""
    from helpers import EXAMPLES

    form = document(EXAMPLES / "jiangxi-chaisang-2025.yaml").tables[0]
    heads = [[c.text for c in b.head[0].cells][:2] if b.head else [] for b in layout.blocks(form)]
    assert heads[-2:] == [["年度主要任务名称", "工作内容"], ["绩效指标", "一级指标"]]
    tasks = layout.blocks(form)[-2]
    assert all(r.cells[0].kind is not Kind.label for r in tasks.rows)


def test_a_wrapping_header_breaks_into_two_even_lines():
    assert layout.two_lines("上级补助收入") == ("上级补", "助收入")
    assert layout.two_lines("事业收入") == ("事业", "收入")
    assert layout.two_lines("其中：财政拨款") == ("其中：", "财政拨款")     # a mark stays with its character
    assert layout.two_lines("政府性基金拨款") == ("政府性", "基金拨款")     # between words when no wider than even
    # Between words when the column holds it (a trial's “功能科 / 目编码” in a column that held 功能科目)
    assert layout.two_lines("功能科目编码", True) == ("功能科", "目编码")
    assert layout.two_lines("功能科目编码", True, width_em=5.0) == ("功能科目", "编码")
    assert layout.two_lines("上级补助收入", True, width_em=5.0) == ("上级补助", "收入")
    assert layout.two_lines("上级补助收入", True, width_em=3.5) == ("上级补", "助收入")


def test_code_heads_break_between_words_in_the_pdf_and_word(tmp_path):
    """PDF 表3, 表5 and 表7 of a trial's 部门 headed the code column “功能科 / 目编码” (and Word “功能科目编 / 码”)
    in a column whose seven-digit codes leave room for “功能科目 / 编码”: both writers now break between the words."""
    import zipfile

    from discloser.writers import docx
    from discloser.writers.pdf import table_page, table_view
    from helpers import profile

    doc = document(Path(__file__).resolve().parent / "departments" / "liuwan-town-2025.yaml")
    page = table_page(0.7)
    for number in ("表3", "表5", "表7"):
        t = next(t for t in doc.tables if t.number == number)
        view = table_view(t, "t", page)
        heads = [c.text for b in view.blocks for r in b.block.head for c in r.cells]
        assert "功能科目\n编码" in heads and "功能科\n目编码" not in heads, (number, heads)
    out = tmp_path / "heads.docx"
    docx.write(doc, profile(), out)
    xml = zipfile.ZipFile(out).read("word/document.xml").decode("utf-8")
    assert xml.count('功能科目</w:t><w:br/><w:t xml:space="preserve">编码') >= 3


@pytest.mark.parametrize("example", ["henan-shilong-2023", "hubei-tongcheng-2024", "anping-education-2025", "shaanxi-linyou-2024"])
def test_no_name_column_is_squeezed_while_headers_could_wrap(example):
    """A trial's 表7 printed 科目名称 four characters wide (“机关事业/单位基本/养老保险/缴费”) beside empty columns held
    wide by one-line headers (上级补助收入). Headers now wrap into two even lines first, and a landscape table
    takes a smaller type (down to the profile's minimum) before a name column goes below its comfortable width."""
    from discloser.writers.pdf import table_page
    from helpers import EXAMPLES, loaded

    result = loaded(EXAMPLES / f"{example}.yaml")
    page = table_page(result.profile.table_scale_min)
    for t in document(EXAMPLES / f"{example}.yaml").tables:
        fit = layout.fit(t, page)
        for need, width in zip(layout.column_needs(t), fit.widths_pt):
            assert width - page.padding_pt >= need.comfortable_em * fit.font_pt - 0.5, (t.number, fit)
        for block in layout.blocks(t):     # and a header that wraps is broken evenly, no character alone on a line
            for _, col, cell in layout.placed(layout.explicit_breaks(block, fit, page).head):
                lines = cell.text.split("\n")
                assert len(lines) == 1 or not [x for x in lines if len(x.strip("（）：")) == 1], (t.number, cell.text)


def test_a_token_too_long_for_any_width_squeezes_its_own_column_never_the_amounts():
    """A trial's unit named with 100 letters (the allowed maximum): 表2 printed “1,170.” / “00” and codes
    “2200” / “01” — every column was squeezed alike. Now the long token's column gives up the room."""
    from discloser.writers.pdf import table_page

    name = "Y" * 160     # with the other columns, too long for a landscape page at the smallest type
    t = Table(key="t", number="表2", title="收入总表", department="某局", unit_label="单位：万元",
              columns=[Column(8, Kind.code), Column(20), Column(10, Kind.money), Column(10, Kind.money)],
              header=[Row((Cell("单位编码", Kind.label), Cell("单位名称", Kind.label), Cell("合计", Kind.label),
                           Cell("一般公共预算拨款收入", Kind.label)))],
              body=[Row((Cell("220002", Kind.code), Cell(name), Cell("1,170.00", Kind.money, Decimal("1170")),
                         Cell("1,120.00", Kind.money, Decimal("1120"))))])
    page = table_page(0.7)
    fit = layout.fit(t, page)
    assert not fit.fits
    needs = layout.column_needs(t)
    for k in (0, 2, 3):       # the code and the amounts keep their width at the chosen type size
        assert fit.widths_pt[k] - page.padding_pt >= needs[k].narrowest_em * fit.font_pt - 0.01, (k, fit)
    assert abs(sum(fit.widths_pt) - page.landscape_pt) < 0.5


def test_nothing_printed_leaves_the_page(tmp_path):
    """A 219-character URL in 主要职责 and a 100-letter unit name ran past the right margin and were cut off (a
    trial's page 7). Every word of the PDF now lies inside its page."""
    import re
    import subprocess

    import yaml

    from helpers import QINGSHAN, built_with
    from discloser.writers.pdf import render_pdf

    data = yaml.safe_load(QINGSHAN.read_text(encoding="utf-8"))
    data["organization"]["functions"].append("http://example.com/" + "b" * 200)
    path = tmp_path / "long.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    _, doc = built_with(path, "national")
    pdf = tmp_path / "long.pdf"
    pdf.write_bytes(render_pdf(doc)[0])
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True).stdout
    pages = re.findall(r'<page width="([\d.]+)" height="[\d.]+">(.*?)</page>', html, re.S)
    assert pages and any("bbbb" in body for _, body in pages)
    for width, body in pages:
        for x_max, word in re.findall(r'xMax="([\d.]+)"[^>]*>([^<]*)<', body):
            assert float(x_max) <= float(width), word


def test_the_instances_of_a_repeated_table_share_one_orientation():
    """A trial's 表15 (a 项目支出绩效目标表 per project) turned the page for some projects and not others;
    the kept 云溪 department does too (four of six forms need landscape). All instances now take it, in the
    PDF, Word and Excel alike (`layout.as_siblings`)."""
    import re

    from discloser.writers.pdf import render_html, table_page
    from helpers import built_with

    from dataclasses import replace

    source = Path(__file__).parent / "departments" / "yunxi-resources-2025.yaml"
    _, doc = built_with(source, "hubei")
    page = table_page(0.7)
    # one project's form with a long unbreakable value (a 60-letter code), which needs a landscape page
    at = next(i for i, t in enumerate(doc.tables) if t.key == "project_performance")
    wide = doc.tables[at]
    doc.tables[at] = replace(wide, body=[*wide.body, Row((Cell("W" * 60, colspan=len(wide.columns)),))])
    forms = [t for t in doc.tables if t.key == "project_performance"]
    assert len({layout.fit(t, page).landscape for t in forms}) == 2          # they differ, each on its own
    assert {layout.fit(t, page).landscape for t in layout.as_siblings(doc.tables, page) if t.key == "project_performance"} == {True}
    sections = re.findall(r'<section class="table-block table-page( landscape)?" id="[^"]*">\s*<p class="table-number[^>]*>表15<', render_html(doc))
    assert len(sections) == len(forms) and all(sections)


def test_chinese_lines_are_justified_and_a_url_line_is_not_letter_spaced(tmp_path):
    """Chinese paragraphs are justified between characters (justify.py); a trial's URL got the same treatment
    and read “z w g k / z d l y …” across its line. A line with no Chinese, or one left short by a long
    unbreakable word, is now set ragged; full Chinese lines still end flush at the right margin."""
    import re

    import yaml

    from helpers import QINGSHAN, built_with
    from discloser.writers.pdf import render_pdf

    data = yaml.safe_load(QINGSHAN.read_text(encoding="utf-8"))
    url = "https://www.example.gov.cn/zwgk/zdlyxxgk/czzj/bmys/2025/sthjj/index_" + "a" * 60 + ".html"
    data["organization"]["functions"] += ["网址：" + url, "负责全县文化市场综合执法工作，" * 8]
    path = tmp_path / "url.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    pdf = tmp_path / "url.pdf"
    pdf.write_bytes(render_pdf(built_with(path, "national")[1])[0])
    text = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "zwgk/zdlyxxgk/czzj" in re.sub(r"\n", "", text)           # the URL's letters stay together
    xml = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    lines = [ln for ln in re.findall(r"<line .*?</line>", xml, re.S) if "综合执法" in ln]
    right = [float(re.search(r'xMax="([\d.]+)"', ln).group(1)) for ln in lines]
    assert len(right) >= 3 and max(right[:-1]) - min(right[:-1]) < 1.5, right     # full lines flush right (justified)


# ----------------------------------------------------------------------------- explicit line breaks (trialV-s23 N2, E8, E14, E17)

LIUWAN = Path(__file__).parent / "departments" / "liuwan-town-2025.yaml"


@pytest.fixture(scope="module")
def liuwan_build(tmp_path_factory):
    from conftest import shared_build

    return shared_build(tmp_path_factory, "liuwan", LIUWAN)


def _lone(line: str) -> bool:
    """A line of one character (with its marks): 支出功能分类科目（ / 按大类）'s “）” line, 一般公共服务支 / 出."""
    return len(line.strip("（）()：:，、。“”")) == 1


def test_a_line_is_broken_where_the_pdf_would_break_it():
    """The break the PDF computes, as lines, for the writers whose office suite breaks where it likes."""
    assert layout.break_line("功能科目编码", 5.0, True, balanced=True) == ["功能科目", "编码"]
    assert layout.break_line("上级补助收入", 3.5, True, balanced=True) == ["上级补", "助收入"]   # the words do not fit
    lines = layout.break_line("部门预算支出经济分类科目（按大类）", 7.5, True, balanced=True)
    assert lines == ["部门预算支出", "经济分类科目", "（按大类）"]                 # not 分类科目（按大 / 类）
    assert layout.break_line("支出功能分类科目（按大类）", 8.0, True, balanced=True)[-1].endswith("（按大类）")
    assert layout.break_line("1、一般公共服务支出", 9.0, True) == ["1、一般公共服务", "支出"]
    assert layout.break_line("服务对象满意度指标", 8.5, True) == ["服务对象满意度", "指标"]
    assert any("1,234,567.89" in line for line in layout.break_line("共1,234,567.89元整", 3.0))   # an amount stays whole
    text = "Budget line item with a long English name"
    assert "".join(layout.break_line(text, 8.0)) == text      # a space at a break stays: the lines are the text again
    assert layout.break_line("合计", 5.0) == ["合计"]


def test_word_and_excel_heads_and_labels_carry_explicit_breaks(liuwan_build):
    """trialV-s23 N2: the PDF broke heads between words and kept a label's last two characters together, but LibreOffice
    set the .xlsx “功能科目编 / 码”, “支出功能分类科目（ / 按大类）”, “部门预算支出经济分类科目（按大类 / ）”,
    “1、一般公共服务支 / 出”, and the .docx “分类科目（按大 / 类）”, “1、机关工资福利支 / 出”. The writers now put the
    breaks into the cells; read back from the files, no line of a broken cell is one character alone."""
    import zipfile

    from docx import Document as read_docx
    from openpyxl import load_workbook

    wb = load_workbook(liuwan_build.path("xlsx"))
    values = {ws.title: [str(c.value) for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
              for ws in wb.worksheets}
    for sheet in ("表3", "表5", "表7"):
        assert "功能科目\n编码" in values[sheet], sheet
    heads = [v for v in values["表1"] if v.replace("\n", "") in ("支出功能分类科目（按大类）", "部门预算支出经济分类科目（按大类）")]
    assert len(heads) == 2 and all("\n" in v for v in heads), heads
    d = read_docx(liuwan_build.path("docx"))
    cells = [c.text for t in d.tables for row in t.rows for c in row.cells]
    assert "功能科目\n编码" in cells and "部门预算支出\n经济分类科目\n（按大类）" in cells
    broken = [v for vs in values.values() for v in vs if "\n" in v] + [c for c in cells if "\n" in c]
    assert len(broken) > 20
    assert not [v for v in broken if any(_lone(line) for line in v.split("\n"))], broken[:5]
    # trialV2-s24: a body cell keeps its value — row labels, names, descriptions — whatever its column's width
    import json

    exported = json.loads(next((liuwan_build.folder / "json").glob("*.json")).read_text(encoding="utf-8"))
    body = {c["text"] for t in exported["tables"] for row in t["body"] for c in row["cells"]
            if c["text"] and not (c["kind"] == "label" and c.get("rowspan", 1) > 1)}     # (a tall form label is a head)
    assert "1、一般公共服务支出" in values["表1"] and "1、机关工资福利支出" in cells
    heads = {c["text"] for t in exported["tables"] for row in t["header"] for c in row["cells"]}
    assert not [v for v in broken if v.replace("\n", "") in body - heads and v not in body][:5]
    assert len(body) > 200
    # the Word 目录's entries too: “（按支出功能分类科 / 目）” is broken between words, nothing alone on a line
    xml = zipfile.ZipFile(liuwan_build.path("docx")).read("word/document.xml").decode("utf-8")
    entries = re.findall(r'<w:hyperlink w:anchor="_Toc_[^"]*"[^>]*><w:r>(.*?)</w:r>', xml)
    lines = [re.findall(r"<w:t[^>]*>([^<]*)</w:t>", e) for e in entries]
    assert any(len(x) > 1 for x in lines) and not [x for x in lines if len(x) > 1 and any(_lone(y) for y in x)], lines


def _pdf_pages(path) -> list[str]:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True).stdout.split("\f")


def test_no_contents_line_holds_one_character_before_its_page_number(liuwan_build):
    """trialV-s23 E14: the PDF's 目录 printed “表12 …培训费支出预算 / 表 ……31”; the entry's end now keeps a word whole."""
    contents = "\n".join(p for p in _pdf_pages(liuwan_build.path("pdf"))[:4] if "……" in p or "...." in p)
    assert "培训费支出预算表" in contents or "预算表 ." in contents
    assert not re.search(r"^\s*\S\s*\.{4,}", contents, re.M), contents


def test_form_columns_fit_their_labels(liuwan_build):
    """trialV-s23 E17/E8: 表14's 主要内容 was 6–7 characters wide beside the tasks' labels; 表15 printed
    “实施期资金总 / 额：”; 表9 wrapped its 基本支出 head (“基本 / 支出”) while 功能科目编码 kept one line."""
    from discloser.writers.pdf import table_page
    from helpers import built_with

    _, doc = built_with(LIUWAN, "shaanxi")
    page = table_page(0.7)
    t14 = next(t for t in doc.tables if t.number == "表14")
    fit = layout.fit(t14, page)
    content = next(col for _, col, c in layout.placed(t14.body) if c.text == "主要内容")
    assert (fit.widths_pt[content] - page.padding_pt) / fit.font_pt >= 8.5, fit.widths_pt
    pages = _pdf_pages(liuwan_build.path("pdf"))
    t15 = next(p for p in pages if "专项资金总体绩效目标表" in p and "绩效指标" in p)
    assert "实施期资金总额：" in t15
    t9 = next(p for p in pages if "政府性基金收支表" in p and "合计" in p and "表9" in p)
    assert "基本支出" in t9 and "功能科目编码" not in t9 and re.search(r"^\s*编码\s", t9, re.M), t9[:600]


def test_libreoffice_sets_no_character_alone_in_word_and_excel(liuwan_build, tmp_path):
    """What a reader without Word or Excel sees (LibreOffice): no line of a table's head (a column header, a form's
    label beside several rows) is one character — the heads carry our breaks. Body cells keep their values and
    are LibreOffice's to wrap (trialV2-s24)."""
    import json
    import unicodedata

    from conftest import libreoffice_pdf

    exported = json.loads(next((liuwan_build.folder / "json").glob("*.json")).read_text(encoding="utf-8"))
    heads = {c["text"] for t in exported["tables"] for row in t["header"] for c in row["cells"] if c["text"]}
    cells = [c for t in exported["tables"] for row in t["body"] for c in row["cells"] if c["text"]]
    tall = {c["text"] for c in cells if c["kind"] == "label" and c.get("rowspan", 1) > 1}
    heads = (heads | tall) - ({c["text"] for c in cells} - tall)     # a text that is also a body cell's: LibreOffice's there
    assert len(heads) > 30
    alone = []
    for fmt in ("xlsx", "docx"):
        pdf = libreoffice_pdf(liuwan_build.path(fmt), tmp_path / fmt)
        xml = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, text=True).stdout
        for block in re.findall(r"<block .*?</block>", xml, re.S):
            lines = ["".join(re.findall(r">([^<]*)</word>", line)) for line in re.findall(r"<line .*?</line>", block, re.S)]
            alone += [f"{fmt}: {a} / {b}" for a, b in zip(lines, lines[1:])
                      if _lone(b) and unicodedata.east_asian_width(b.strip("（）：")[0]) == "W"
                      and any((a + b).replace(" ", "") in h.replace("\n", "") for h in heads)]
    assert not alone, alone


def test_the_contents_keep_to_one_page_when_tightening_allows(henan_build):
    """Thirty 目录 entries at the 目录's airy pitch spilled one to eight lines onto a second page (the
    Henan, Hubei and national examples did): the writer tightens the pitch so that every entry, with its page
    number, is on the 目录's page and the next page starts the 说明. (Shaanxi's long table titles take 35
    lines: two pages at the airy pitch, as before.)"""
    entries = [e for e in document(HENAN).outline if e.in_contents]
    pages = _pdf_pages(henan_build.path("pdf"))
    leaders = re.compile(r"\.{4,}\s*\d+\s*$", re.M)
    assert len(leaders.findall(pages[1])) == len(entries) == 30, pages[1]
    assert not leaders.search(pages[2]), pages[2][:400]


def test_contents_pitch_tightens_only_to_keep_one_page():
    assert layout.contents_pitch(10, 600, most=26.6, least=18) == 26.6           # room to spare: airy
    assert layout.contents_pitch(30, 560, most=26.6, least=18) == 18.6           # tightened to one page
    assert layout.contents_pitch(40, 560, most=26.6, least=18) == 26.6           # two pages anyway: airy
    assert layout.contents_lines("附件：平顶山市石龙区医疗保障局2023年部门预算表", 20) == 2


LONG_NAME = "安平县融媒体中心（安平县广播电视台、安平县新闻信息中心）"   # a real name's length: 28 characters


@pytest.fixture(scope="module")
def gansu_long_name(tmp_path_factory):
    """A department (not an example) renamed to a long name, built with the Gansu profile, whose 目录 names 表1 with
    the department's name: (the department's name, the 表1 title, the folder with the .pdf, .docx, .xlsx)."""
    import yaml

    from helpers import built_with, write

    folder = tmp_path_factory.mktemp("gansu-long")
    data = yaml.safe_load((Path(__file__).parent / "departments" / "anping-media-2025.yaml").read_text(encoding="utf-8"))
    data["organization"]["name"] = LONG_NAME
    source = folder / "long.yaml"
    source.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    _, doc = built_with(source, "gansu")
    title = next(r.cells[1].text for r in doc.toc.body if LONG_NAME in r.cells[1].text)
    for fmt in ("pdf", "docx", "xlsx"):
        write(fmt, doc, folder / f"long.{fmt}", profile_name="gansu")
    return title, folder


def test_a_long_title_wraps_inside_its_column_of_the_contents_table(gansu_long_name):
    """Gansu's 目录 printed “<name>部门整体支出绩效目标表（2025年度）” as one line over 是否空表 and off the page
    (trialC-s26 D1): the layout fit the 目录 landscape and the title never wrapped. It wraps in its column now, on
    the portrait page, in the PDF, the Word file and the workbook."""
    import zipfile

    from lxml import etree
    from openpyxl import load_workbook

    from discloser.writers.xlsx import MARGIN_IN, points

    title, folder = gansu_long_name
    box = subprocess.run(["pdftotext", "-bbox", str(folder / "long.pdf"), "-"], capture_output=True, text=True).stdout
    page = next(p for p in box.split("<page ")[1:] if "公开空表理由" in p)
    width = float(re.search(r'width="([\d.]+)"', page).group(1))
    words = [(float(x0), float(x1), w) for x0, x1, w in
             re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', page)]
    head = next(x0 for x0, _, w in words if w.startswith("是否"))
    start = next(i for i, (_, _, w) in enumerate(words) if w == "报表名称")   # the body: after the head
    name = next(i for i, (_, _, w) in enumerate(words) if i > start and w and title.startswith(w) and len(w) > 4)
    lines = []
    while "".join(lines) != title:
        assert name < len(words) and title.startswith("".join(lines) + words[name][2]), (lines, title)
        lines.append(words[name][2])
        assert words[name][1] < head, words[name]            # inside 报表名称, left of 是否空表
        name += 1 if words[name + 1][2] not in ("否", "是") else 2
    assert len(lines) >= 2 and all(x1 < width - 56 for _, x1, _ in words)   # wrapped; nothing past the margin

    with zipfile.ZipFile(folder / "long.docx") as z:
        xml = etree.fromstring(z.read("word/document.xml"))
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    toc = next(t for t in xml.iter(f"{w}tbl") if "公开空表理由" in "".join(t.itertext()))
    grid = sum(int(c.get(f"{w}w")) for c in toc.iter(f"{w}gridCol"))
    sect = next(xml.iter(f"{w}sectPr"))
    size, margins = sect.find(f"{w}pgSz"), sect.find(f"{w}pgMar")
    assert size.get(f"{w}orient") != "landscape"
    text_width = int(size.get(f"{w}w")) - int(margins.get(f"{w}left")) - int(margins.get(f"{w}right"))
    assert grid <= text_width + 5, (grid, text_width)      # twips: the 目录's columns within the text width
    assert not [c for c in toc.iter(f"{w}noWrap")]           # and its title cells may wrap

    ws = load_workbook(folder / "long.xlsx")["目录"]
    cell = next(c for row in ws.iter_rows() for c in row if c.value == title)
    assert cell.alignment.wrap_text and ws.page_setup.orientation == "portrait"
    used = sum(points(ws.column_dimensions[c].width) for c in "ABCD") * int(ws.page_setup.scale) / 100
    assert used <= 595.3 - 2 * 72 * MARGIN_IN                # printed within the portrait paper


def test_a_two_line_head_of_the_contents_sheet_has_the_height_of_two_lines(tmp_path):
    """With a 40-character name and no table empty (no 公开空表理由) the workbook's 目录 heads wrap (是否 / 空表); the head row had no height and
    LibreOffice drew the second line over the 表1 row (trialC-s26 D4)."""
    import yaml
    from openpyxl import load_workbook

    from discloser.writers.xlsx import LINE_PT
    from helpers import built_with, write

    data = yaml.safe_load((Path(__file__).parent / "departments" / "anping-culture-sports-2025.yaml").read_text(encoding="utf-8"))
    data["organization"]["name"] = "安平县教育体育和科学技术局（县人民政府教育督导委员会办公室）机关综合事务服务中心"
    source = tmp_path / "long.yaml"
    source.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    write("xlsx", built_with(source, "gansu")[1], tmp_path / "long.xlsx", profile_name="gansu")
    ws = load_workbook(tmp_path / "long.xlsx")["目录"]
    head = next(c for row in ws.iter_rows() for c in row if c.value == "报表名称").row
    lines = max(str(c.value or "").count("\n") + 1 for c in ws[head])
    assert lines > 1 and (ws.row_dimensions[head].height or 0) >= LINE_PT * lines, (lines, ws.row_dimensions[head].height)


def test_pieces_cut_between_paragraphs_then_sentences_and_keep_every_character():
    """A text too tall for one Excel row is cut into pieces of at most so many lines: between paragraphs where a
    whole one fits, else after a sentence, else between lines; the pieces joined are the text."""
    paragraphs = [f"{i}.负责全县第{i}类工作的组织协调，拟订相关规划并监督实施；承办上级交办的其他事项。" for i in range(1, 9)]
    text = "\n".join(paragraphs)
    parts = layout.pieces(text, 12.0, 8)
    assert len(parts) > 1 and all(layout.line_count(p, 12.0) <= 8 for p in parts)
    assert all(p in paragraphs or "\n" in p for p in parts[:1])          # a whole paragraph where one fits
    assert "\n".join(parts) == text                                       # cuts fell between paragraphs
    one = "".join(paragraphs)                                             # one paragraph: cut after a sentence
    parts = layout.pieces(one, 12.0, 8)
    assert "".join(parts) == one and all(layout.line_count(p, 12.0) <= 8 for p in parts)
    assert all(p.endswith(("；", "。")) for p in parts)
    tall = "工" * 400                                                     # no sentence end: between lines
    parts = layout.pieces(tall, 12.0, 8)
    assert "".join(parts) == tall and all(layout.line_count(p, 12.0) <= 8 for p in parts) and len(parts) == 5
