"""The Word file as a clerk opens it: a real TOC with the PDF's page numbers, numbered pages but the
cover, a cover title that fits, centred table titles, explicit East Asian fonts, zh-CN, outline levels."""
from __future__ import annotations

import re
import subprocess
import zipfile

import pytest
from docx import Document as read_docx
from docx.oxml.ns import qn
from lxml import etree
from pypdf import PdfReader

from conftest import libreoffice_pdf
from helpers import document

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def word(shaanxi_build):
    return read_docx(shaanxi_build.path("docx"))


@pytest.fixture(scope="module")
def body(shaanxi_build):
    with zipfile.ZipFile(shaanxi_build.path("docx")) as z:
        return etree.fromstring(z.read("word/document.xml"))


def _xml(shaanxi_build, part: str):
    with zipfile.ZipFile(shaanxi_build.path("docx")) as z:
        return etree.fromstring(z.read(part))


def test_toc_is_a_field_updated_on_open(body, shaanxi_build):
    instructions = [t.text for t in body.iter(f"{W}instrText")]
    assert any(i.strip().startswith('TOC \\o "1-2"') for i in instructions)
    settings = _xml(shaanxi_build, "word/settings.xml")
    assert settings.find(f"{W}updateFields").get(f"{W}val") == "true"
    kinds = [c.get(f"{W}fldCharType") for c in body.iter(f"{W}fldChar")]
    assert kinds.count("begin") == kinds.count("end") and kinds.count("begin") >= kinds.count("separate")


def test_toc_entries_carry_the_pdf_page_numbers(body, shaanxi_build):
    """Each pre-filled TOC entry links to its bookmark and shows the page of the PDF of the same build."""
    doc = document()
    pages = [p.extract_text() for p in PdfReader(shaanxi_build.path("pdf")).pages]
    entries = {}
    for p in body.iter(f"{W}p"):
        style = p.find(f"{W}pPr/{W}pStyle")
        if style is None or not style.get(f"{W}val").lower().startswith("toc"):
            continue
        link = p.find(f"{W}hyperlink")
        label = "".join(t.text for t in link.find(f"{W}r").iter(f"{W}t"))    # its lines, if broken
        texts = [t.text for t in link.iter(f"{W}t")]
        entries[link.get(f"{W}anchor")] = (label, int(texts[-1]))
    listed = [e for e in doc.outline if e.in_contents]
    assert [label for label, _ in entries.values()] == [e.label for e in listed]
    for e in listed:
        label, page = entries[f"_Toc_{e.id}"]
        if e.kind.value == "table":
            assert pages[page - 1].lstrip().startswith(e.label.split()[0]), (e.label, page)
        else:
            assert re.sub(r"\s", "", e.label)[:6] in re.sub(r"\s", "", pages[page - 1]), (e.label, page)
    bookmarks = {b.get(f"{W}name") for b in body.iter(f"{W}bookmarkStart")}
    assert {f"_Toc_{e.id}" for e in doc.outline} <= bookmarks


def test_tables_enter_the_toc_as_tc_fields_with_their_number(body):
    tc = [t.text.strip() for t in body.iter(f"{W}instrText") if t.text.strip().startswith("TC ")]
    assert 'TC "表4 部门综合预算财政拨款收支总表" \\l 2' in tc
    assert 'TC "机关事业单位住院医疗补助" \\l 3' in tc          # a project of the repeated 表13
    assert len(tc) == len([e for e in document().outline if e.table is not None])


def test_every_page_but_the_cover_is_numbered(word, shaanxi_build, tmp_path):
    sections = word.sections
    assert sections[0].different_first_page_header_footer          # the cover: its own section, no footer
    assert all(not s.different_first_page_header_footer for s in sections[1:])
    assert "PAGE" in sections[0].footer._element.xml
    pdf = libreoffice_pdf(shaanxi_build.path("docx"), tmp_path)
    texts = [p.extract_text() for p in PdfReader(pdf).pages]
    assert not re.search(r"第\s*\d+\s*页", texts[0])
    for n, text in enumerate(texts[1:], 2):
        assert re.search(rf"第\s*{n}\s*页\s*共\s*{len(texts)}\s*页", text), (n, text[-60:])


def test_cover_title_fits_on_its_lines(word):
    title = next(p for p in word.paragraphs if p.style.name == "Title")
    assert [t.text for t in title._p.iter(qn("w:t"))] == ["麟游县医疗保障经办机构", "2024年单位预算公开"]
    size = int(title._p.find(f".//{qn('w:sz')}").get(qn("w:val"))) / 2
    text_width_pt = 156 / 25.4 * 72
    from discloser.writers.layout import text_em

    assert max(text_em(line) for line in ("麟游县医疗保障经办机构", "2024年单位预算公开")) * size <= text_width_pt


def test_table_titles_are_centred_without_indent_and_in_the_navigation_pane(word):
    style = word.styles["Table Title"]
    assert style.paragraph_format.alignment == 1                      # centre
    assert not style.paragraph_format.first_line_indent and not style.paragraph_format.left_indent
    assert style.element.pPr.find(qn("w:outlineLvl")).get(qn("w:val")) == "1"
    titles = [p.text for p in word.paragraphs if p.style.name == "Table Title"]
    assert "部门综合预算财政拨款收支总表" in titles and "目录" in titles
    for p in word.paragraphs:
        if p.style.name == "Table Title":
            assert p.paragraph_format.first_line_indent is None and p.paragraph_format.alignment is None


def test_headings_have_outline_levels(word):
    for level in (1, 2, 3, 4):
        assert word.styles[f"Heading {level}"].element.pPr.find(qn("w:outlineLvl")).get(qn("w:val")) == str(level - 1)
    assert any(p.style.name == "Heading 1" and p.text == "第一部分 单位概况" for p in word.paragraphs)


def test_fonts_are_named_for_east_asian_text_and_no_theme_font_is_left(shaanxi_build, word):
    styles = _xml(shaanxi_build, "word/styles.xml")
    for rfonts in styles.iter(f"{W}rFonts"):
        assert not any(k.endswith("Theme") or k.endswith("theme") for k in rfonts.attrib), etree.tostring(rfonts)
    expect = {"Normal": "仿宋_GB2312", "Heading 1": "黑体", "Title": "方正小标宋简体", "Table Text": "宋体",
              "Table Title": "方正小标宋简体"}
    for name, family in expect.items():
        fonts = word.styles[name].element.rPr.find(qn("w:rFonts"))
        assert fonts.get(qn("w:eastAsia")) == family and fonts.get(qn("w:ascii")) == family, name


def test_language_is_chinese(shaanxi_build, word):
    """Chinese text is zh-CN; Latin-script runs (digits, Latin letters) are en-US, as in Chinese Word's own
    defaults — zh-CN there made LibreOffice break figures with Chinese rules (trialE-s27 D2)."""
    styles = _xml(shaanxi_build, "word/styles.xml")
    lang = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
    assert lang.get(f"{W}eastAsia") == "zh-CN" and lang.get(f"{W}val") == "en-US"
    assert word.core_properties.language == "zh-CN"


def test_figures_of_the_narrative_stay_whole_in_libreoffice(tmp_path):
    """LibreOffice broke the 说明's figures over lines — “663. / 66 万元”, “与 202 / 4 年”, “3.70 / %” — because the
    document said its Latin-script text (the digits) was Chinese (trialE-s27 D2; trialC-s26 D9 on Henan and Gansu).
    No line of a department's 说明 as LibreOffice prints the .docx ends inside a figure."""
    from helpers import YONGAN

    out = tmp_path / "out"
    r = subprocess.run(["python3", "-m", "discloser.cli", "build", str(YONGAN), "-o", str(out), "--profile", "henan",
                        "--formats", "docx"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    pdf = libreoffice_pdf(next(out.glob("*.docx")), tmp_path)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    narrative = text[:text.index("表1")] if "表1" in text else text
    lines = [line.strip() for line in narrative.splitlines() if line.strip()]
    cut = [(a[-12:], b[:12]) for a, b in zip(lines, lines[1:]) if re.search(r"[0-9][.,]?$", a) and re.match(r"[0-9.,%]", b)]
    assert cut == [] and sum(bool(re.search(r"\d\.\d\d\s*万元", line)) for line in lines) > 10, cut[:5]


def test_form_table_blocks_repeat_their_label_rows(word):
    """表13's indicator grid is a Word table of its own whose label row repeats on every page."""
    from discloser.writers.layout import blocks

    expected = [b for t in document().tables for b in blocks(t) if t.form and b.head and b.head[0].cells[0].text == "年度绩效指标"]
    grids = [t for t in word.tables if t.rows and t.rows[0].cells[0].text.replace("\n", "") == "年度绩效指标"]
    assert len(grids) == len(expected) == 6          # 表13 (five projects) and 表14
    for t in grids:
        first = t._tbl.tr_lst[0]
        assert first.find(qn("w:trPr")).find(qn("w:tblHeader")) is not None
        assert [c.text.replace("\n", "") for c in t.rows[0].cells][:3] == ["年度绩效指标", "一级指标", "二级指标"]
        assert all(tr.find(qn("w:trPr")).find(qn("w:tblHeader")) is None for tr in t._tbl.tr_lst[1:])
        keep = [tr.find(f".//{qn('w:keepNext')}") is not None for tr in t._tbl.tr_lst[1:]]
        assert any(keep) and not keep[-1]          # rows of a row-span group are kept with the next


def test_amounts_and_codes_never_wrap_in_the_word_file(shaanxi_build, tmp_path):
    pdf = libreoffice_pdf(shaanxi_build.path("docx"), tmp_path)
    layout = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    from helpers import nowrap_texts

    missing = [t for t in nowrap_texts(document()) if t not in layout]
    assert not missing, missing[:10]


def test_without_a_pdf_the_toc_leaves_page_numbers_to_word(tmp_path):
    from discloser.build import build
    from helpers import SHAANXI

    result = build(SHAANXI, tmp_path, ("docx",))
    with zipfile.ZipFile(result.written[0]) as z:
        xml = etree.fromstring(z.read("word/document.xml"))
    entries = [p for p in xml.iter(f"{W}p") if (s := p.find(f"{W}pPr/{W}pStyle")) is not None
               and s.get(f"{W}val").lower().startswith("toc")]
    assert entries
    for p in entries:
        instr = [t.text for t in p.iter(f"{W}instrText")]
        assert any(i.strip().startswith("PAGEREF _Toc_") for i in instr)
        runs = p.find(f"{W}hyperlink").findall(f"{W}r")
        assert runs[0].find(f"{W}t") is not None       # the entry's label …
        assert not [t for r in runs[1:] for t in r.iter(f"{W}t")]    # … and no cached page number
    assert result.warnings == []               # no PDF, no font to fall back


def test_no_blank_page_after_a_table_that_fills_its_page(tmp_path):
    """A page break was an empty paragraph after each table; after Shanghai's 2. 收入预算总表, which fills its page,
    that paragraph spilled onto page 18 and broke again: a blank page (three trials). The next paragraph now
    starts the page itself (pageBreakBefore), and LibreOffice lays out no page without text but its footer."""
    from helpers import EXAMPLES

    out = tmp_path / "out"
    r = subprocess.run(["python3", "-m", "discloser.cli", "build", str(EXAMPLES / "shanghai-putuo-2025.yaml"), "-o", str(out),
                        "--formats", "docx"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    docx = next(out.glob("*.docx"))
    body = etree.fromstring(zipfile.ZipFile(docx).read("word/document.xml"))
    breaks_alone = [p for p in body.iter(f"{W}p") if p.find(f".//{W}br[@{W}type='page']") is not None
                    and not "".join(t.text or "" for t in p.iter(f"{W}t")).strip()]
    assert breaks_alone == []
    pages = [p.extract_text() for p in PdfReader(libreoffice_pdf(docx, tmp_path)).pages]
    blank = [n for n, text in enumerate(pages, 1) if not re.sub(r"第\s*\d+\s*页\s*共\s*\d+\s*页", "", text).strip()]
    assert len(pages) > 20 and blank == []


def test_a_form_label_column_has_no_rule_from_its_head_to_the_block_end(tmp_path):
    """Hubei 表13's 部门总体资金情况 spans the two head rows of its sub-grid and its six rows: Word drew a rule under the
    head's second row, so the label read as a header over an empty column (trial I). Every cell of the label column
    is now without rules between them — the first row keeps its top rule, the block's last row its bottom rule."""
    from discloser.writers import docx
    from discloser.writers.layout import blocks
    from helpers import EXAMPLES, built_with, profile

    _, doc = built_with(EXAMPLES / "hubei-tongcheng-2024.yaml", "hubei")
    out = tmp_path / "hubei.docx"
    docx.write(doc, profile("hubei"), out)
    labels: dict[str, set[int]] = {}
    for b in (b for t in doc.tables for b in blocks(t) if b.label):
        labels.setdefault(b.head[0].cells[0].text, set()).add(len(b.head) + len(b.rows))
    assert labels["部门总体资金情况"] == {8} and labels["项目支出情况"] == {14}
    xml = etree.fromstring(zipfile.ZipFile(out).read("word/document.xml"))

    def rule(tc, side):
        edge = tc.find(f"{W}tcPr/{W}tcBorders/{W}{side}")
        return edge is None or edge.get(f"{W}val") != "nil"        # none set: the table's inside rule

    checked = set()
    for tbl in xml.iter(f"{W}tbl"):
        first = [tr.find(f"{W}tc") for tr in tbl.findall(f"{W}tr")]
        text = "".join(t.text or "" for t in first[0].iter(f"{W}t"))
        if text not in labels:
            continue
        assert len(first) in labels[text], text
        def continues(tc):      # a vMerge continuation: no rule between it and the cell above
            merge = tc.find(f"{W}tcPr/{W}vMerge")
            return merge is not None and merge.get(f"{W}val") in (None, "continue")

        between = [k for k in range(len(first) - 1)
                   if not continues(first[k + 1]) and (rule(first[k], "bottom") or rule(first[k + 1], "top"))]
        assert between == [] and rule(first[-1], "bottom"), (text, between)
        assert not "".join(t.text or "" for tc in first[1:] for t in tc.iter(f"{W}t")), text   # the label once, at the top
        checked.add(text)
    assert {"部门总体资金情况", "项目支出情况", "长期绩效指标"} <= checked


def test_the_contents_keep_to_one_page_in_libreoffice(henan_build, tmp_path):
    """The Word 目录 (toc styles at 26 pt exactly) ran onto a second page for Henan's thirty entries: the
    writer tightens the toc styles' spacing so that LibreOffice sets them all on one page."""
    from helpers import HENAN

    pdf = libreoffice_pdf(henan_build.path("docx"), tmp_path)
    texts = [p.extract_text() for p in PdfReader(pdf).pages]
    entries = [e for e in document(HENAN).outline if e.in_contents]
    leaders = re.compile(r"\.{4,}\s*\d*\s*$", re.M)
    assert len(leaders.findall(texts[1])) == len(entries) == 30, texts[1]
    assert not leaders.search(texts[2]), texts[2][:400]


def test_a_row_taller_than_a_third_of_a_page_may_break_in_word(tmp_path):
    """Word keeps a row whole (cantSplit): a 职能概述 taller than a page moved to the next page and left the table's
    first page mostly blank, as in the PDF (trialC-s26 D7). That row — and only that one — may break."""
    from dataclasses import replace

    from discloser.tables.outline import with_outline
    from discloser.writers import docx
    from helpers import profile
    from sample_document import sample_document, tall_form_table

    doc = with_outline(replace(sample_document(), tables=[tall_form_table()]))
    out = tmp_path / "tall.docx"
    docx.write(doc, profile("gansu"), out)
    xml = etree.fromstring(zipfile.ZipFile(out).read("word/document.xml"))
    rows = {"".join(t.text or "" for t in tr.iter(f"{W}t"))[:6]: tr.find(f"{W}trPr/{W}cantSplit") is not None
            for tr in xml.iter(f"{W}tr")}
    form = {k: v for k, v in rows.items() if k in ("部门名称某某", "联系人王敏", "职能概述负责", "年度目标保障")}
    assert form == {"部门名称某某": True, "联系人王敏": True, "职能概述负责": False, "年度目标保障": True}
    assert all(keep for k, keep in rows.items() if k not in form)       # the other tables' rows keep whole
    pages = [p.extract_text() for p in PdfReader(libreoffice_pdf(out, tmp_path)).pages]
    first = next(i for i, p in enumerate(pages) if "王敏" in p)
    assert "负责全县教育事业" in pages[first]


def test_a_group_taller_than_a_page_is_let_break_in_word(tmp_path):
    """A project bound by its name's row span to its indicators, one 指标值 filling more than a page, was held on one
    page by keep-with-next and cantSplit: Word moved it whole and left a page nearly blank (trialW-s27 D1, the PDF's
    Henan/Hubei 表14). Its rows do not keep with the next; the one taller than half a page may split, the others are
    held whole (a 12-line indicator split at a page foot, its tail alone on the next, trialW2-s30 D1); the unit's row
    above still keeps with it."""
    from dataclasses import replace

    from discloser.tables.outline import with_outline
    from discloser.writers import docx
    from helpers import profile
    from sample_document import sample_document, tall_group_table

    doc = with_outline(replace(sample_document(), tables=[tall_group_table()]))
    out = tmp_path / "group.docx"
    docx.write(doc, profile("henan"), out)
    xml = etree.fromstring(zipfile.ZipFile(out).read("word/document.xml"))

    def row(start: str):
        return next(tr for tr in xml.iter(f"{W}tr") if "".join(t.text or "" for t in tr.iter(f"{W}t")).startswith(start))

    for tr in (row("401001250001"), row("亩均产量提高5%")):
        assert tr.find(f".//{W}keepNext") is None
    assert row("401001250001").find(f"{W}trPr/{W}cantSplit") is None           # its 指标值 fills more than a page
    assert row("亩均产量提高5%").find(f"{W}trPr/{W}cantSplit") is not None     # one line: whole
    unit = row("401001某某县")
    assert unit.find(f"{W}trPr/{W}cantSplit") is not None and unit.find(f".//{W}keepNext") is not None
