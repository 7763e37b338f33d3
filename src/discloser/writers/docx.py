"""Word writer: the Document laid out on a reference document's styles.

Styles (Title, Heading 1–4, Normal, Table Text …) and page setup come from
`templates/docx/reference.docx` (or a province's replacement); the profile's fonts are applied
to those styles on East Asian text (w:eastAsia). Tables are built as WordprocessingML directly —
python-docx's per-cell API is quadratic — with repeated header rows (w:tblHeader), rows that
never split (w:cantSplit), merged cells (w:gridSpan / w:vMerge) and money right-aligned. Wide
tables get landscape sections; every page has “第 X 页 共 Y 页”. Same input, same bytes.
"""
from __future__ import annotations

import io
import re
from pathlib import Path
from xml.sax.saxutils import escape

from docx import Document as open_docx
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt

from ..resources import template as packaged
from ..tables.model import Document, Kind, RowKind, Table
from .grid import place
from .reproducible import fixed_datetime, normalize_zip

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
DIGIT_TWIPS = 120         # width of a bold digit of 9pt table text, in twips (with slack for substituted fonts)
ROLE_STYLES = {"title": ["Title", "Subtitle Line"], "heading": ["Heading 1", "Heading 2"],
               "body": ["Normal", "Heading 3", "Heading 4", "Cover Date", "Contents Entry"],
               "table": ["Table Text", "Table Caption", "Table Note", "Page Footer"]}
LANDSCAPE_MARGINS = (Mm(20), Mm(20), Mm(18), Mm(18))   # top, bottom, left, right


def _x(text: str) -> str:
    return escape(_CONTROL.sub("", text))


def set_style_font(style, family: str) -> None:
    """Set a style's font for every script, East Asian included (python-docx sets only ascii/hAnsi)."""
    rpr = style.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, rfonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), family)


def _apply_fonts(doc, fonts: dict[str, str]) -> None:
    """Profile fonts (first family of each role) on the reference styles."""
    for role, names in ROLE_STYLES.items():
        family = (fonts.get(role) or "").split(",")[0].strip()
        if not family:
            continue
        for name in names:
            try:
                set_style_font(doc.styles[name], family)
            except KeyError:
                continue


def _field(paragraph, instr: str) -> None:
    """A simple field (PAGE / NUMPAGES) that Word and LibreOffice update on display."""
    paragraph._p.append(parse_xml(
        f'<w:fldSimple {nsdecls("w")} w:instr=" {instr} "><w:r><w:t>1</w:t></w:r></w:fldSimple>'))


def _footer(section) -> None:
    p = section.footer.paragraphs[0] if section.footer.paragraphs else section.footer.add_paragraph()
    p.style = "Page Footer"
    p.add_run("第 ")
    _field(p, "PAGE")
    p.add_run(" 页 共 ")
    _field(p, "NUMPAGES")
    p.add_run(" 页")


def _orient(section, landscape: bool, portrait_margins) -> None:
    w, h = Mm(210), Mm(297)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = h, w
        section.top_margin, section.bottom_margin, section.left_margin, section.right_margin = LANDSCAPE_MARGINS
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = w, h
        section.top_margin, section.bottom_margin, section.left_margin, section.right_margin = portrait_margins


def _text_width_twips(section) -> int:
    return int((section.page_width - section.left_margin - section.right_margin) / 635)   # EMU → twips


def _cell_xml(text: str, width: int, *, align: str, bold: bool, indent: int = 0, span: int = 1,
              vmerge: str | None = None, shade: str | None = None) -> str:
    props = f'<w:tcW w:w="{width}" w:type="dxa"/>'
    if span > 1:
        props += f'<w:gridSpan w:val="{span}"/>'
    if vmerge == "restart":
        props += '<w:vMerge w:val="restart"/>'
    elif vmerge == "continue":
        props += "<w:vMerge/>"
    if shade:
        props += f'<w:shd w:val="clear" w:color="auto" w:fill="{shade}"/>'
    if align == "right":
        props += "<w:noWrap/>"
    props += '<w:vAlign w:val="center"/>'
    jc = {"right": "right", "center": "center"}.get(align, "left")
    ppr = f'<w:pStyle w:val="TableText"/><w:jc w:val="{jc}"/>'
    if indent:
        ppr += f'<w:ind w:left="{indent * 180}"/>'
    run = ""
    if text and vmerge != "continue":
        rpr = "<w:rPr><w:b/></w:rPr>" if bold else ""
        lines = text.split("\n")
        body = "<w:br/>".join(f'<w:t xml:space="preserve">{_x(line)}</w:t>' for line in lines)
        run = f"<w:r>{rpr}{body}</w:r>"
    return f"<w:tc><w:tcPr>{props}</w:tcPr><w:p><w:pPr>{ppr}</w:pPr>{run}</w:p></w:tc>"


def _fit_widths(t: Table, rows, total_width: int) -> list[int]:
    """Column widths in twips: proportional to the table's relative widths, but never narrower
    than the longest figure in a money column (figures must not wrap), the rest shrinking to fit."""
    n = len(t.columns)
    units = sum(c.width for c in t.columns)
    widths = [total_width * c.width / units for c in t.columns]
    need = [0.0] * n
    for p in place(rows, n):
        if p.cell.colspan == 1 and p.cell.kind in (Kind.money, Kind.percent):
            need[p.col] = max(need[p.col], len(p.cell.text) * DIGIT_TWIPS + 160)
    fixed = [max(w, nd) if nd else 0.0 for w, nd in zip(widths, need)]
    free = [w if not nd else 0.0 for w, nd in zip(widths, need)]
    room = total_width - sum(fixed)
    if sum(free) and room > 0:
        free = [w * room / sum(free) for w in free]
    return [int(f or g) for f, g in zip(fixed, free)]


def table_xml(t: Table, total_width: int) -> str:
    """The whole table as WordprocessingML, built in one pass (linear in the number of cells)."""
    n = len(t.columns)
    rows = list(t.header) + list(t.body)
    widths = _fit_widths(t, rows, total_width)
    header_count = len(t.header)
    grid: dict[tuple[int, int], tuple] = {}
    for p in place(rows, n):
        grid[(p.row, p.col)] = ("cell", p.cell)
        for dr in range(1, p.cell.rowspan):
            grid[(p.row + dr, p.col)] = ("cont", p.cell)
    out = [f'<w:tbl {nsdecls("w")}><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="{sum(widths)}" w:type="dxa"/>'
           '<w:jc w:val="center"/><w:tblBorders>'
           + "".join(f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
                     for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
           + '</w:tblBorders><w:tblLayout w:type="fixed"/><w:tblCellMar><w:left w:w="57" w:type="dxa"/>'
           '<w:right w:w="57" w:type="dxa"/></w:tblCellMar><w:tblLook w:val="04A0"/></w:tblPr><w:tblGrid>'
           + "".join(f'<w:gridCol w:w="{w}"/>' for w in widths) + "</w:tblGrid>"]
    for r, row in enumerate(rows):
        is_header = r < header_count
        trpr = "<w:cantSplit/>" + ("<w:tblHeader/>" if is_header else "")
        cells = []
        c = 0
        while c < n:
            slot = grid.get((r, c))
            if slot is None:
                cells.append(_cell_xml("", widths[c], align="left", bold=False))
                c += 1
                continue
            kind, cell = slot
            span = cell.colspan
            w = sum(widths[c:c + span])
            if kind == "cont":
                cells.append(_cell_xml("", w, align="left", bold=False, span=span, vmerge="continue"))
            else:
                bold = cell.bold or is_header or row.kind is RowKind.total or cell.kind is Kind.label
                shade = "F2F2F2" if is_header or cell.kind is Kind.label else None
                align = "center" if is_header else cell.halign
                cells.append(_cell_xml(cell.text, w, align=align, bold=bold, indent=cell.indent, span=span,
                                       vmerge="restart" if cell.rowspan > 1 else None, shade=shade))
            c += span
        out.append(f"<w:tr><w:trPr>{trpr}</w:trPr>{''.join(cells)}</w:tr>")
    if t.empty:
        out.append("<w:tr><w:trPr><w:cantSplit/></w:trPr>"
                   + _cell_xml(t.empty_reason, sum(widths), align="center", bold=False, span=n) + "</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


class _Writer:
    def __init__(self, doc: Document, template: Path | None):
        self.doc = doc
        self.d = open_docx(str(template or packaged("docx/reference.docx")))
        _apply_fonts(self.d, doc.fonts)
        first = self.d.sections[0]
        first.different_first_page_header_footer = True   # no page number on the cover
        self.portrait_margins = (first.top_margin, first.bottom_margin, first.left_margin, first.right_margin)
        self.landscape = False
        _footer(first)

    def para(self, text: str, style: str | None = None, *, align=None, bold: bool = False):
        p = self.d.add_paragraph(style=style)
        if text:
            run = p.add_run(_CONTROL.sub("", text))
            run.bold = bold or None
        if align is not None:
            p.alignment = align
        return p

    def page_break(self) -> None:
        self.d.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def orientation(self, landscape: bool) -> None:
        if landscape == self.landscape:
            self.page_break()
            return
        section = self.d.add_section(WD_SECTION.NEW_PAGE)
        _orient(section, landscape, self.portrait_margins)
        self.landscape = landscape

    def cover(self) -> None:
        for _ in range(6):
            self.para("")
        self.para(self.doc.title, "Title")
        self.para(self.doc.subtitle, "Subtitle Line")
        for _ in range(8):
            self.para("")
        if self.doc.date_line:
            self.para(self.doc.date_line, "Cover Date")
        self.page_break()

    def contents(self) -> None:
        self.para("目　录", "Heading 1")
        for s in self.doc.sections:
            if s.level in (1, 2) and s.title:
                self.para(("" if s.level == 1 else "　　") + s.title, "Contents Entry")
        self.para(self.doc.tables_title, "Contents Entry")
        seen = set()
        for t in self.doc.tables:
            if t.key not in seen:
                seen.add(t.key)
                self.para("　　" + t.caption, "Contents Entry")
        self.page_break()

    def narrative(self) -> None:
        for s in self.doc.sections:
            if s.title:
                self.para(s.title, f"Heading {min(max(s.level, 1), 4)}")
            for p in s.paragraphs:
                self.para(p, "Normal")

    def table(self, t: Table) -> None:
        self.orientation(t.landscape)
        if t.number:
            self.para(t.number, "Table Caption", bold=True)
        self.para(t.title, "Heading 2", align=WD_ALIGN_PARAGRAPH.CENTER)
        meta = self.para(f"{self.doc.department_label}：{t.department}", "Table Caption")
        if t.unit_label:
            width = self.d.sections[-1].page_width - self.d.sections[-1].left_margin - self.d.sections[-1].right_margin
            meta.paragraph_format.tab_stops.add_tab_stop(width, alignment=2)   # right
            meta.add_run("\t" + t.unit_label)
        self.block(table_xml(t, _text_width_twips(self.d.sections[-1])))
        for note in t.notes:
            self.para(note, "Table Note")

    def block(self, xml: str) -> None:
        """Append a ready-made block (a table) before the body's final section properties."""
        element = parse_xml(xml)
        body = self.d.element.body
        sect = body.find(qn("w:sectPr"))
        if sect is not None:
            sect.addprevious(element)
        else:
            body.append(element)

    def tables(self) -> None:
        self.page_break()
        self.para(self.doc.tables_title, "Heading 1")
        for line in self.doc.tables_preamble:
            self.para(line, "Table Caption")
        self.para("目录", "Heading 2", align=WD_ALIGN_PARAGRAPH.CENTER)
        self.block(table_xml(self.doc.toc, _text_width_twips(self.d.sections[-1])))
        for note in self.doc.toc.notes:
            self.para(note, "Table Note")
        for t in self.doc.tables:
            self.table(t)

    def save(self, path: Path) -> None:
        props = self.d.core_properties
        stamp = fixed_datetime().replace(tzinfo=None)
        props.title, props.author, props.last_modified_by = self.doc.title, self.doc.organization, self.doc.organization
        props.subject, props.keywords, props.comments = self.doc.subtitle, ", ".join(self.doc.keywords), ""
        props.created = props.modified = props.last_printed = stamp
        props.revision = 1
        buffer = io.BytesIO()
        self.d.save(buffer)
        Path(path).write_bytes(normalize_zip(buffer.getvalue()))


def write(doc: Document, path: Path, *, template: Path | None = None) -> None:
    w = _Writer(doc, template)
    w.cover()
    w.contents()
    w.narrative()
    w.tables()
    w.save(path)
