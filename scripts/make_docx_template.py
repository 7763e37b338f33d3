#!/usr/bin/env python3
"""Generate templates/docx/reference.docx: the styles and page setup the Word writer uses.

A province replaces this file with its own (edit the styles in Word/WPS and save); the writer
only uses the style names below. Defaults: A4, GB/T 9704 margins (top 37 mm, bottom 35 mm,
left 28 mm, right 26 mm); title 方正小标宋简体 22pt; headings 黑体 / 楷体_GB2312 / 仿宋_GB2312 16pt;
body 仿宋_GB2312 16pt with a two-character first-line indent and 28pt fixed line spacing;
table text 宋体 10pt (the writer sets each table's size); table titles (“Table Title”, outline level 2
for Word's navigation pane), the contents title and the TOC entry styles (toc 1–3) as the writer
defines them (`add_missing_styles`); no theme fonts anywhere; language zh-CN.
"""
import sys
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
from discloser.writers.docx import _apply_fonts, add_missing_styles, set_style_font  # noqa: E402

OUT = Path(__file__).resolve().parent.parent / "templates" / "docx" / "reference.docx"


def main() -> None:
    doc = Document()
    s = doc.sections[0]
    s.page_width, s.page_height = Mm(210), Mm(297)
    s.top_margin, s.bottom_margin, s.left_margin, s.right_margin = Mm(37), Mm(35), Mm(28), Mm(26)
    s.footer_distance = Mm(20)
    styles = doc.styles

    normal = styles["Normal"]
    normal.font.size = Pt(16)
    set_style_font(normal, "仿宋_GB2312")
    pf = normal.paragraph_format
    pf.first_line_indent = Pt(32)
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = Pt(28)
    pf.space_before = pf.space_after = Pt(0)

    title = styles["Title"]
    title.font.size, title.font.bold = Pt(22), False
    title.font.color.rgb = None
    set_style_font(title, "方正小标宋简体")
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.first_line_indent = Pt(0)
    title.paragraph_format.line_spacing = Pt(40)
    title.paragraph_format.space_after = Pt(12)
    bdr = title.element.find(qn("w:pPr"))
    if bdr is not None:   # python-docx's default Title has a bottom border: not in government documents
        for el in bdr.findall(qn("w:pBdr")):
            bdr.remove(el)

    for level, family, bold, center in ((1, "黑体", False, True), (2, "黑体", False, False),
                                        (3, "楷体_GB2312", False, False), (4, "仿宋_GB2312", True, False)):
        h = styles[f"Heading {level}"]
        h.font.size, h.font.bold, h.font.italic = Pt(16), bold, False
        h.font.color.rgb = None
        set_style_font(h, family)
        h.paragraph_format.first_line_indent = Pt(0 if center else 32)
        h.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER if center else WD_ALIGN_PARAGRAPH.LEFT
        h.paragraph_format.space_before = Pt(6)
        h.paragraph_format.space_after = Pt(0)
        h.paragraph_format.line_spacing = Pt(28)
        h.paragraph_format.keep_with_next = True

    def para_style(name: str, size: float, family: str, *, align=WD_ALIGN_PARAGRAPH.LEFT, bold=False):
        st = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        st.base_style = normal
        st.font.size, st.font.bold = Pt(size), bold
        set_style_font(st, family)
        st.paragraph_format.first_line_indent = Pt(0)
        st.paragraph_format.alignment = align
        st.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        return st

    para_style("Table Text", 10, "宋体")
    para_style("Table Caption", 11, "宋体")
    para_style("Table Note", 9, "宋体")
    para_style("Subtitle Line", 18, "方正小标宋简体", align=WD_ALIGN_PARAGRAPH.CENTER)
    para_style("Cover Date", 16, "仿宋_GB2312", align=WD_ALIGN_PARAGRAPH.CENTER)
    footer = para_style("Page Footer", 10.5, "宋体", align=WD_ALIGN_PARAGRAPH.CENTER)
    del footer
    add_missing_styles(doc)
    _apply_fonts(doc, {"title": "方正小标宋简体", "heading": "黑体", "body": "仿宋_GB2312", "table": "宋体"})
    for level, family in ((3, "楷体_GB2312"),):   # (_apply_fonts gives the body font to Heading 3)
        set_style_font(styles[f"Heading {level}"], family)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    doc.core_properties.author = ""
    doc.save(OUT)
    print(OUT)


if __name__ == "__main__":
    main()
