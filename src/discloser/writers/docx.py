"""Word writer: the Document laid out on a reference document's styles.

Styles (Title, Heading 1–4, Normal, Table Text, Table Title, toc 1–3 …) and page setup come from
`templates/docx/reference.docx`, or are copied from a province's replacement into it — only its looks,
never its body, headers, fields or links (`docx_reference`). What the writer enforces whatever
the reference says:

- Fonts: the profile's first family of each role is set on the styles for every script, East Asian
  included, and every theme font reference (w:asciiTheme, w:eastAsiaTheme …) is removed — a theme
  font would otherwise win over the named one. Language zh-CN for Chinese text and en-US for digits and
  Latin letters (document defaults, as Chinese Word's own): with zh-CN there, LibreOffice broke the
  说明's figures with Chinese rules — “663. / 66 万元”, “202 / 4 年”, “3.70 / %” (trialE-s27 D2, trialC-s26
  D9). Table cells (“Table Text”) stay zh-CN throughout: their amounts never wrap, and LibreOffice, lacking
  the named font, sets en-US digits in DejaVu Sans, wider than the Noto CJK digits the columns are
  measured with — “4,106.1 / 5” in a 合计.
- Outline: the Document's outline is the TOC. Narrative headings use Heading 1–4 (outline levels, so
  the navigation pane works); table titles use “Table Title” (outline level 2 for the navigation
  pane) and carry a TC field “表N 标题” (and one per project of a repeated table) for the TOC.
  Each outline entry is a hidden bookmark (_Toc_<id>).
- Contents: a real TOC field (`TOC \\o "1-2" \\f \\l "1-2" \\h \\z`), marked to be updated when the
  file is opened (w:updateFields), and pre-filled with entries whose page numbers are those of the
  PDF of the same build (`WriteOptions.page_numbers`), so it is right before Word updates it.
- Pages: the cover is a section of its own without footer; every other page has “第 X 页 共 Y 页”.
  Tables laid out landscape (by `layout.fit`, the same decision as the PDF's) get landscape sections
  with the PDF's margins, so both formats set a table at the same width and type size.
- Tables are built as WordprocessingML directly (python-docx's per-cell API is quadratic): column
  widths from `layout.fit`, header rows repeated (w:tblHeader), rows never split (w:cantSplit) and rows
  bound by a row span kept together (keep-with-next) — except a row taller than half a page and a
  group taller than a page (`layout.paginate`'s `breakable`), merged cells (w:gridSpan / w:vMerge),
  amounts and codes never wrap (w:noWrap), and line breaks (w:br) where a head or a form's label wraps
  (`layout.explicit_breaks`: Word would break inside a word; body cells keep their values). A form table is one Word table per `layout.blocks` block,
  so each sub-grid repeats its label rows on the pages it continues on.

Same input, same bytes (dates from the approval date or SOURCE_DATE_EPOCH, see reproducible.py).
"""
from __future__ import annotations

import io
import re
from pathlib import Path
from xml.sax.saxutils import escape

from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_BREAK, WD_LINE_SPACING
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt
from lxml import etree

from ..tables.model import Document, Kind, OutlineKind, Row, RowKind, Table
from . import WriteOptions, Written, layout, write_atomically
from .docx_reference import open_reference
from .reproducible import fixed_datetime, normalize_zip, utc

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
ROLE_STYLES = {"title": ["Title", "Subtitle Line", "Table Title"], "heading": ["Heading 1", "Heading 2", "Contents Title"],
               "body": ["Normal", "Heading 3", "Heading 4", "Cover Date", "toc 1", "toc 2", "toc 3"],
               "table": ["Table Text", "Table Caption", "Table Note", "Page Footer"]}
THEME_ATTRIBUTES = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")
# The PDF's page geometry (package.css): 版心 156 mm portrait; landscape pages 247 mm wide.
PORTRAIT_MARGINS = (Mm(37), Mm(35), Mm(28), Mm(26))     # top, bottom, left, right
LANDSCAPE_MARGINS = (Mm(22), Mm(24), Mm(25), Mm(25))
MM = 72 / 25.4
TABLE_PAGE = dict(portrait_pt=156 * MM, landscape_pt=247 * MM, base_pt=10.0, padding_pt=6.5,
                  portrait_room_pt=225 * MM - 80, landscape_room_pt=164 * MM - 80)
CELL_MARGIN_TWIPS = 57
WORD_NARROWER = 1.03    # explicit line breaks are set for a font 3 % wider than measured: Word or LibreOffice
                        # may set the table text in another family, and a line too long for its cell breaks again
CONTENTS_ROOM_PT = 225 * MM - 60   # a portrait page's text height less the 目录 title (22 pt, 18 pt after) and slack
CONTENTS_PART_PT = 3.0             # the space before a part's line (toc 1)
TOC_INSTRUCTION = r'TOC \o "1-2" \f \l "1-2" \h \z'
COVER_SIZES_PT = (26, 24, 22, 20)
TITLE_SIZES_PT = (16, 15, 14, 13)


def _x(text: str) -> str:
    return escape(_CONTROL.sub("", text))


def _lines_run(lines: list[str], rpr: str = "") -> str:
    """One run holding `lines`, a line break between them (the cover's title and subtitle)."""
    return "<w:r>" + rpr + "<w:br/>".join(f"<w:t>{_x(line)}</w:t>" for line in lines) + "</w:r>"


def _break_before(paragraph) -> None:
    """pageBreakBefore in a paragraph's properties, where the schema puts it (after the style, keepNext, keepLines)."""
    ppr = paragraph.find(qn("w:pPr"))
    if ppr is None:
        ppr = parse_xml(f'<w:pPr {nsdecls("w")}/>')
        paragraph.insert(0, ppr)
    after = [c for c in ppr if c.tag in (qn("w:pStyle"), qn("w:keepNext"), qn("w:keepLines"))]
    element = parse_xml(f'<w:pageBreakBefore {nsdecls("w")}/>')
    if after:
        after[-1].addnext(element)
    else:
        ppr.insert(0, element)


def _bookmark_name(entry_id: str) -> str:
    return f"_Toc_{entry_id}"[:40]


# --------------------------------------------------------------------------- styles and fonts


def set_style_font(style, family: str) -> None:
    """Set a style's font for every script, East Asian included (python-docx sets only ascii/hAnsi),
    and drop theme font references, which would otherwise win over the named font."""
    rpr = style.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, rfonts)
    for attr in THEME_ATTRIBUTES:
        rfonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), family)


def _first(fonts: dict[str, str], role: str) -> str:
    return (fonts.get(role) or "").split(",")[0].strip()


def _apply_fonts(doc, fonts: dict[str, str]) -> None:
    """Profile fonts (first family of each role) on the reference styles; theme fonts removed
    everywhere; document language zh-CN, its digits and Latin letters en-US (see the module's docstring)."""
    styles = doc.styles.element
    body = _first(fonts, "body")
    for rfonts in styles.iter(qn("w:rFonts")):
        had_theme = any(rfonts.get(qn(a)) for a in THEME_ATTRIBUTES)
        for attr in THEME_ATTRIBUTES:
            rfonts.attrib.pop(qn(attr), None)
        if had_theme and body and not rfonts.get(qn("w:eastAsia")):
            for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
                rfonts.set(qn(attr), body)
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
        if rpr is not None:
            lang = rpr.find(qn("w:lang"))
            if lang is None:
                lang = rpr.makeelement(qn("w:lang"), {})
                rpr.append(lang)
            lang.set(qn("w:val"), "en-US")       # the language of Latin-script runs: digits, Latin letters
            lang.set(qn("w:eastAsia"), "zh-CN")
    try:
        cells = doc.styles["Table Text"].element.get_or_add_rPr()
    except KeyError:
        cells = None
    if cells is not None:                        # table cells: zh-CN throughout (the module's docstring says why)
        lang = cells.find(qn("w:lang"))
        if lang is None:
            lang = cells.makeelement(qn("w:lang"), {})
            cells.append(lang)
        lang.set(qn("w:val"), "zh-CN")
        lang.set(qn("w:eastAsia"), "zh-CN")
    for role, names in ROLE_STYLES.items():
        family = _first(fonts, role)
        if not family:
            continue
        for name in names:
            try:
                set_style_font(doc.styles[name], family)
            except KeyError:
                continue


def add_missing_styles(doc) -> None:
    """The styles this writer needs beyond the classic ones, added when a (province's) reference
    document lacks them; `scripts/make_docx_template.py` uses the same definitions."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING

    names = {s.name for s in doc.styles}
    normal = doc.styles["Normal"]

    def add(name, size, *, bold=False, align=WD_ALIGN_PARAGRAPH.LEFT, outline=None, indent_pt=0):
        if name in names:
            return None
        st = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        st.base_style = normal
        st.font.size, st.font.bold = Pt(size), bold
        pf = st.paragraph_format
        pf.first_line_indent = Pt(0)
        pf.left_indent = Pt(indent_pt)
        pf.alignment = align
        pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
        pf.space_before, pf.space_after = Pt(0), Pt(0)
        if outline is not None:   # listed in the navigation pane (not in the TOC: tables enter it by TC fields)
            st.element.get_or_add_pPr().append(parse_xml(f'<w:outlineLvl {nsdecls("w")} w:val="{outline}"/>'))
        return st

    title = add("Table Title", 16, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, outline=1)
    if title is not None:
        title.paragraph_format.space_before, title.paragraph_format.space_after = Pt(3), Pt(6)
        title.paragraph_format.keep_with_next = True
    contents = add("Contents Title", 22, align=WD_ALIGN_PARAGRAPH.CENTER)
    if contents is not None:
        contents.paragraph_format.space_after = Pt(18)
    for level, size, indent in ((1, 14, 0), (2, 14, 28), (3, 12, 56)):
        st = add(f"toc {level}", size, indent_pt=indent)
        if st is not None:
            st.paragraph_format.space_before = Pt(3 if level == 1 else 0)
            st.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            st.paragraph_format.line_spacing = Pt(26)


# settings.xml children that must follow w:updateFields (ECMA-376 CT_Settings sequence)
_AFTER_UPDATE_FIELDS = ("hdrShapeDefaults", "footnotePr", "endnotePr", "compat", "docVars", "rsids", "mathPr",
                        "attachedSchema", "themeFontLang", "clrSchemeMapping", "doNotIncludeSubdocsInStats",
                        "doNotAutoCompressPictures", "forceUpgrade", "captions", "readModeInkLockDown", "smartTagType",
                        "schemaLibrary", "shapeDefaults", "doNotEmbedSmartTags", "decimalSymbol", "listSeparator")


def _update_fields_on_open(doc) -> None:
    """w:updateFields: Word refreshes the TOC (and page fields) when the file is opened."""
    settings = doc.settings.element
    if settings.find(qn("w:updateFields")) is not None:
        return
    element = parse_xml(f'<w:updateFields {nsdecls("w")} w:val="true"/>')
    following = next((child for child in settings if etree.QName(child).localname in _AFTER_UPDATE_FIELDS), None)
    if following is not None:
        following.addprevious(element)
    else:
        settings.append(element)


# --------------------------------------------------------------------------- fields


def _simple_field(instr: str, cached: str = "1") -> str:
    return f'<w:fldSimple {nsdecls("w")} w:instr=" {instr} "><w:r><w:t>{cached}</w:t></w:r></w:fldSimple>'


def _field_runs(instr: str, cached: str = "", rpr: str = "") -> str:
    """A complex field (begin / instruction / separate / cached result / end) as runs."""
    result = f'<w:r>{rpr}<w:t xml:space="preserve">{_x(cached)}</w:t></w:r>' if cached else ""
    return (f'<w:r>{rpr}<w:fldChar w:fldCharType="begin"/></w:r>'
            f'<w:r>{rpr}<w:instrText xml:space="preserve"> {_x(instr)} </w:instrText></w:r>'
            f'<w:r>{rpr}<w:fldChar w:fldCharType="separate"/></w:r>{result}'
            f'<w:r>{rpr}<w:fldChar w:fldCharType="end"/></w:r>')


def _tc_field(label: str, level: int) -> str:
    """A TC field: an entry for the TOC (\\f) that is not a heading. Hidden text, as Word writes it."""
    label = label.replace("\\", "\\\\").replace('"', "”")   # a field argument: \ is an escape, " ends it
    return (f'<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
            f'<w:r><w:instrText xml:space="preserve"> TC "{_x(label)}" \\l {level} </w:instrText></w:r>'
            f'<w:r><w:fldChar w:fldCharType="end"/></w:r>')


def _footer(section) -> None:
    footer = section.footer
    footer.is_linked_to_previous = False
    p = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
    p.style = "Page Footer"
    p.add_run("第 ")
    p._p.append(parse_xml(_simple_field("PAGE")))
    p.add_run(" 页 共 ")
    p._p.append(parse_xml(_simple_field("NUMPAGES")))
    p.add_run(" 页")


# --------------------------------------------------------------------------- tables


def _cell_xml(text: str, width: int, *, align: str, bold: bool, size_hp: int, indent: int = 0, span: int = 1,
              vmerge: str | None = None, shade: str | None = None, nowrap: bool = False, keep: bool = False,
              borders: dict[str, bool] | None = None) -> str:
    props = f'<w:tcW w:w="{width}" w:type="dxa"/>'
    if span > 1:
        props += f'<w:gridSpan w:val="{span}"/>'
    if vmerge == "restart":
        props += '<w:vMerge w:val="restart"/>'
    elif vmerge == "continue":
        props += "<w:vMerge/>"
    if borders:
        props += "<w:tcBorders>" + "".join(
            f'<w:{side} w:val="{"single" if on else "nil"}" w:sz="4" w:space="0" w:color="000000"/>'
            for side, on in borders.items()) + "</w:tcBorders>"
    if shade:
        props += f'<w:shd w:val="clear" w:color="auto" w:fill="{shade}"/>'
    if nowrap:
        props += "<w:noWrap/>"
    props += '<w:vAlign w:val="center"/>'
    jc = {"right": "right", "center": "center"}.get(align, "left")
    ppr = f'<w:pStyle w:val="TableText"/>{"<w:keepNext/>" if keep else ""}'     # (schema order: … ind, jc, rPr)
    if indent:
        ppr += f'<w:ind w:left="{indent}"/>'
    ppr += f'<w:jc w:val="{jc}"/>'
    size = f'<w:sz w:val="{size_hp}"/><w:szCs w:val="{size_hp}"/>'
    ppr += f"<w:rPr>{size}</w:rPr>"
    run = ""
    if text and vmerge != "continue":
        rpr = f"<w:rPr>{'<w:b/>' if bold else ''}{size}</w:rPr>"
        body = "<w:br/>".join(f'<w:t xml:space="preserve">{_x(line)}</w:t>' for line in text.split("\n"))
        run = f"<w:r>{rpr}{body}</w:r>"
    return f"<w:tc><w:tcPr>{props}</w:tcPr><w:p><w:pPr>{ppr}</w:pPr>{run}</w:p></w:tc>"


def _grid_xml(t: Table, widths: list[int], head: tuple[Row, ...], rows: tuple[Row, ...], size_hp: int, *,
              block: layout.Block | None = None, empty_reason: str | None = None, keep_with_next: bool = False) -> str:
    """One Word table: `head` rows repeated on every page, then `rows` (all kept with what follows: `keep_with_next`)."""
    n = len(widths)
    all_rows = list(head) + list(rows)
    grid: dict[tuple[int, int], tuple] = {}
    for r, col, cell in layout.placed(all_rows):
        grid[(r, col)] = ("cell", cell)
        for dr in range(1, cell.rowspan):
            grid[(r + dr, col)] = ("cont", cell)
    keep_until: dict[int, bool] = {r: True for r in range(len(all_rows))} if keep_with_next else {}
    loose: set[int] = set()       # body rows that may break inside, in a group that may break (`layout.paginate`) …
    if block is not None:
        for start, end in block.groups:
            for r in range(start, end - 1):
                if start not in block.breakable or rows[r].kind is RowKind.subtotal:   # … but a unit's row heads it
                    keep_until[len(head) + r] = True
            if start in block.breakable:
                loose.update(r for r in range(start, end) if rows[r].kind is not RowKind.subtotal and r in block.tall_rows)
    borders = ('<w:tblBorders>' + "".join(f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
                                          for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
               + "</w:tblBorders>")
    out = [f'<w:tbl {nsdecls("w")}><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="{sum(widths)}" w:type="dxa"/>'
           f'<w:jc w:val="center"/>{borders}<w:tblLayout w:type="fixed"/><w:tblCellMar>'
           f'<w:left w:w="{CELL_MARGIN_TWIPS}" w:type="dxa"/><w:right w:w="{CELL_MARGIN_TWIPS}" w:type="dxa"/></w:tblCellMar>'
           '<w:tblLook w:val="04A0"/></w:tblPr><w:tblGrid>' + "".join(f'<w:gridCol w:w="{w}"/>' for w in widths) + "</w:tblGrid>"]
    last_group_start = block.groups[-1][0] if block is not None and block.groups else -1
    for r, row in enumerate(all_rows):
        is_head = r < len(head)
        body_r = r - len(head)
        trpr = ("" if not is_head and body_r in loose else "<w:cantSplit/>") + ("<w:tblHeader/>" if is_head else "")
        cells = []
        c = 0
        while c < n:
            slot = grid.get((r, c))
            if slot is None:
                cells.append(_cell_xml("", widths[c], align="left", bold=False, size_hp=size_hp))
                c += 1
                continue
            kind, cell = slot
            span = min(cell.colspan, n - c)
            w = sum(widths[c:c + span])
            keep = keep_until.get(r, False)
            edge = None
            if block is not None and block.label and c == 0:
                # the label column reads as one cell from the head to the block's end: no rules between its
                # pieces — nor under the head's last row (a trial read a rule there as a header over an empty
                # column). Not one vMerge: Word repeats no header row merged with rows below it.
                if not is_head:
                    edge = {"top": False, "bottom": body_r >= last_group_start}
                else:
                    edge = {"bottom": False} if r == 0 else {"top": False, "bottom": False}
            if kind == "cont":
                cells.append(_cell_xml("", w, align="left", bold=False, size_hp=size_hp, span=span, vmerge="continue",
                                       keep=keep, borders=edge))
            else:
                bold = layout.is_bold(cell, row, is_head)
                shade = "F2F2F2" if is_head or cell.kind is Kind.label else None
                align = "center" if is_head else cell.halign
                nowrap = not is_head and layout.one_line(cell)
                cells.append(_cell_xml(cell.text, w, align=align, bold=bold, size_hp=size_hp,
                                       indent=round(cell.indent * size_hp * 10), span=span,
                                       vmerge="restart" if cell.rowspan > 1 else None, shade=shade, nowrap=nowrap,
                                       keep=keep, borders=edge))
            c += span
        out.append(f"<w:tr><w:trPr>{trpr}</w:trPr>{''.join(cells)}</w:tr>")
    if empty_reason is not None:
        out.append("<w:tr><w:trPr><w:cantSplit/></w:trPr>"
                   + _cell_xml(empty_reason, sum(widths), align="center", bold=False, size_hp=size_hp, span=n) + "</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


def _half_points(font_pt: float) -> int:
    return max(2, int(font_pt * 2))   # Word sizes are in half points: round down, never up


def _twips(widths_pt, total_twips: int) -> list[int]:
    widths = [int(w * 20) for w in widths_pt]
    widths[-1] += total_twips - sum(widths)   # rounding: the table is exactly the text width
    return widths


# --------------------------------------------------------------------------- the document


class _Writer:
    def __init__(self, doc: Document, template: Path | None, min_scale: float, pages: dict[str, int]):
        self.doc = doc
        self.pages = pages
        self.page = layout.Page(**TABLE_PAGE, min_scale=min_scale)
        self.d = open_reference(template)   # the shipped package, a province's looks copied in (docx_reference)
        add_missing_styles(self.d)
        _apply_fonts(self.d, doc.fonts)
        _update_fields_on_open(self.d)
        first = self.d.sections[0]
        _orient(first, False)
        first.different_first_page_header_footer = True   # the cover: no footer
        _footer(first)
        self.landscape = False
        self.break_pending = False     # the next paragraph starts a page (`page_break`)
        self.bookmark_id = 0
        self.titled = 0                # tables printed under a title the 目录 lists (the command line says how many)
        self.entries_by_section = {e.section: e for e in doc.outline if e.kind is OutlineKind.chapter}
        self.entries_by_table = {}
        for e in doc.outline:
            if e.table is not None:
                self.entries_by_table.setdefault(e.table, []).append(e)

    # ----------------------------------------------------------------- blocks

    def block(self, xml: str) -> None:
        """Append a ready-made block (a paragraph or a table) before the body's final section properties."""
        element = parse_xml(xml)
        if self.break_pending:
            self.break_pending = False
            if element.tag == qn("w:p"):
                _break_before(element)
            else:
                self.break_paragraph()
        body = self.d.element.body
        sect = body.find(qn("w:sectPr"))
        if sect is not None:
            sect.addprevious(element)
        else:
            body.append(element)

    def para(self, text: str, style: str | None = None, *, bold: bool = False):
        p = self.d.add_paragraph(style=style)
        if self.break_pending:
            self.break_pending = False
            p.paragraph_format.page_break_before = True
        if text:
            run = p.add_run(_CONTROL.sub("", text))
            run.bold = bold or None
        return p

    def styled_xml(self, style: str, runs: str, ppr: str = "") -> str:
        style_id = self.d.styles[style].style_id
        return f'<w:p {nsdecls("w")}><w:pPr><w:pStyle w:val="{style_id}"/>{ppr}</w:pPr>{runs}</w:p>'

    def bookmarked(self, entries, inner: str) -> str:
        starts, ends = "", ""
        for e in entries:
            self.bookmark_id += 1
            starts += f'<w:bookmarkStart w:id="{self.bookmark_id}" w:name="{_bookmark_name(e.id)}"/>'
            ends += f'<w:bookmarkEnd w:id="{self.bookmark_id}"/>'
        return starts + inner + ends

    def page_break(self) -> None:
        """The next paragraph starts a page (pageBreakBefore). Not an empty paragraph holding a break: after a
        table that fills its page, that paragraph spilled onto a page of its own — a blank page in Word and
        LibreOffice (three trials)."""
        self.break_pending = True

    def break_paragraph(self) -> None:
        self.d.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def new_section(self, landscape: bool) -> None:
        self.break_pending = False      # a new section starts a page already
        section = self.d.add_section(WD_SECTION.NEW_PAGE)
        section.different_first_page_header_footer = False
        _orient(section, landscape)
        self.landscape = landscape

    def orientation(self, landscape: bool) -> None:
        if landscape == self.landscape:
            self.page_break()
        else:
            self.new_section(landscape)

    # ----------------------------------------------------------------- parts

    def cover(self) -> None:
        lines = layout.cover_title_lines(self.doc.title, self.doc.organization)
        width = self.page.portrait_pt
        size = next((s for s in COVER_SIZES_PT if all(layout.text_em(line) * s <= width for line in lines)),
                    COVER_SIZES_PT[-1])
        for _ in range(5):
            self.para("")
        rpr = f'<w:rPr><w:sz w:val="{size * 2}"/><w:szCs w:val="{size * 2}"/></w:rPr>'
        self.block(self.styled_xml("Title", _lines_run(lines, rpr)))
        if self.doc.subtitle:
            style = self.d.styles["Subtitle Line"]
            lines = layout.cover_subtitle_lines(self.doc.subtitle, self.doc.organization, width,
                                                style.font.size.pt if style.font.size else COVER_SIZES_PT[-1])
            self.block(self.styled_xml("Subtitle Line", _lines_run(lines)))
        for _ in range(8):
            self.para("")
        if self.doc.date_line:
            self.para(self.doc.date_line, "Cover Date")
        self.new_section(False)     # the cover is section 1 (no footer); every later page is numbered

    def contents(self) -> None:
        self.para("目录", "Contents Title")   # spacing by style, not by a space character (machine readers)
        entries = [e for e in self.doc.outline if e.in_contents]
        width = int(self.page.portrait_pt * 20)
        tabs = f'<w:tabs><w:tab w:val="right" w:leader="dot" w:pos="{width}"/></w:tabs>'
        begin = ('<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
                 f'<w:r><w:instrText xml:space="preserve"> {_x(TOC_INSTRUCTION)} </w:instrText></w:r>'
                 '<w:r><w:fldChar w:fldCharType="separate"/></w:r>')
        labels = []
        for e in entries:
            style = f"toc {min(e.level, 3)}"
            size_pt, indent_pt = self.style_metrics(style)
            room = (self.page.portrait_pt - indent_pt) / size_pt / WORD_NARROWER
            labels.append((style, layout.broken(e.label, room, last_em=room - layout.CONTENTS_NUMBER_EM)))
        self.contents_pitch(sum(label.count("\n") + 1 for _, label in labels),
                            sum(1 for e in entries if e.level == 1))
        for i, (e, (style, label)) in enumerate(zip(entries, labels)):
            start = begin if i == 0 else ""
            page = self.pages.get(e.id)
            label_xml = "<w:br/>".join(f'<w:t xml:space="preserve">{_x(line)}</w:t>' for line in label.split("\n"))
            link = (f'<w:hyperlink w:anchor="{_bookmark_name(e.id)}" w:history="1">'
                    f'<w:r>{label_xml}</w:r><w:r><w:tab/></w:r>'
                    + _field_runs(f"PAGEREF {_bookmark_name(e.id)} \\h", str(page) if page else "") + "</w:hyperlink>")
            end = '<w:r><w:fldChar w:fldCharType="end"/></w:r>' if i == len(entries) - 1 else ""
            self.block(self.styled_xml(style, start + link + end, tabs))
        self.page_break()

    def contents_pitch(self, lines: int, parts: int) -> None:
        """Tighten the toc styles' exact line spacing (layout.contents_pitch) so that the 目录 keeps to one page
        when it can; a style without exact spacing (a province's reference.docx may set its own) is left alone."""
        styles = [self.d.styles[f"toc {level}"] for level in (1, 2, 3) if f"toc {level}" in self.d.styles]
        exact = [st for st in styles if st.paragraph_format.line_spacing_rule == WD_LINE_SPACING.EXACTLY]
        if not exact:
            return
        most = max(st.paragraph_format.line_spacing.pt for st in exact)
        room = CONTENTS_ROOM_PT - parts * CONTENTS_PART_PT
        pitch = layout.contents_pitch(lines, room, most=most, least=min(most, 18.0))
        for st in exact:
            st.paragraph_format.line_spacing = Pt(min(pitch, st.paragraph_format.line_spacing.pt))

    def style_metrics(self, name: str) -> tuple[float, float]:
        """(type size, left indent) in points of a paragraph style, through the styles it is based on."""
        size = indent = None
        style = self.d.styles[name]
        while style is not None and (size is None or indent is None):
            size = size if size is not None else style.font.size
            indent = indent if indent is not None else style.paragraph_format.left_indent
            style = style.base_style
        return (size.pt if size else 10.5), (indent.pt if indent else 0.0)

    def narrative(self) -> None:
        for i, s in enumerate(self.doc.sections):
            if s.title:
                style = f"Heading {min(max(s.level, 1), 4)}"
                entry = self.entries_by_section.get(i)
                runs = f'<w:r><w:t xml:space="preserve">{_x(s.title)}</w:t></w:r>'
                self.block(self.styled_xml(style, self.bookmarked([entry] if entry else [], runs)))
            for p in s.paragraphs:
                self.para(p, "Normal")

    def table(self, index: int, t: Table) -> None:
        fit = layout.fit(t, self.page)
        self.orientation(fit.landscape)
        entries = self.entries_by_table.get(index, [])
        if t.number:
            self.para(t.number, "Table Caption", bold=True)
        width = self.page.landscape_pt if fit.landscape else self.page.portrait_pt
        size = next((s for s in TITLE_SIZES_PT if layout.text_em(t.title, True) * s <= width), TITLE_SIZES_PT[-1])
        rpr = f'<w:rPr><w:sz w:val="{size * 2}"/><w:szCs w:val="{size * 2}"/></w:rPr>'
        runs = f'<w:r>{rpr}<w:t xml:space="preserve">{_x(t.title)}</w:t></w:r>'
        runs += "".join(_tc_field(e.label, e.level) for e in entries)
        self.block(self.styled_xml("Table Title", self.bookmarked(entries, runs)))
        self.titled += bool(entries)
        self.meta_line(t, width)
        self.grid(t, fit)
        for note in t.notes:
            self.para(note, "Table Note")

    def meta_line(self, t: Table, width_pt: float) -> None:
        text = t.meta_text(self.doc.department_label)
        runs = f'<w:r><w:t xml:space="preserve">{_x(text)}</w:t></w:r>'
        tabs = f'<w:tab w:val="right" w:pos="{int(width_pt * 20)}"/>' if t.unit_label else ""
        if t.meta_centred:      # under the title's middle (湖北 表15 “（2025年度）”), the unit still at the right
            tabs = f'<w:tab w:val="center" w:pos="{int(width_pt * 10)}"/>' + tabs
            runs = "<w:r><w:tab/></w:r>" + runs
        ppr = f"<w:tabs>{tabs}</w:tabs>" if tabs else ""
        if t.unit_label:
            runs += f'<w:r><w:tab/><w:t xml:space="preserve">{_x(t.unit_label)}</w:t></w:r>'
        self.block(self.styled_xml("Table Caption", runs, ppr))

    def grid(self, t: Table, fit: layout.TableFit) -> None:
        width = self.page.landscape_pt if fit.landscape else self.page.portrait_pt
        widths = _twips(fit.widths_pt, int(width * 20))
        size = _half_points(fit.font_pt)
        blocks = [layout.paginate(layout.explicit_breaks(b, fit, self.page, narrower=WORD_NARROWER), fit, self.page)
                  for b in layout.blocks(t)]
        naming = layout.named(blocks)[1:] + [False]   # a one-row block naming the grid under it: kept with it
        for i, b in enumerate(blocks):
            if i:   # Word joins adjacent tables: a hairline paragraph keeps the blocks apart
                self.block(self.styled_xml("Table Text", "", ("<w:keepNext/>" if naming[i - 1] else "") +
                                           '<w:spacing w:before="0" w:after="0" w:line="20" w:lineRule="exact"/>'
                                           '<w:rPr><w:sz w:val="2"/></w:rPr>'))
            self.block(_grid_xml(t, widths, b.head, b.rows, size, block=b, keep_with_next=naming[i],
                                 empty_reason=t.empty_reason if t.empty and i == len(blocks) - 1 else None))

    def tables(self) -> None:
        self.orientation(False)
        appendix = next((e for e in self.doc.outline if e.kind is OutlineKind.appendix), None)
        runs = f'<w:r><w:t xml:space="preserve">{_x(self.doc.tables_title)}</w:t></w:r>'
        self.block(self.styled_xml("Heading 1", self.bookmarked([appendix] if appendix else [], runs)))
        for line in self.doc.tables_preamble:
            self.para(line, "Table Caption")
        if self.doc.toc_page:
            self.para(self.doc.toc.title, "Table Title")
            self.grid(self.doc.toc, layout.fit(self.doc.toc, self.page))
            for note in self.doc.toc.notes:
                self.para(note, "Table Note")
        for i, t in enumerate(layout.as_siblings(self.doc.tables, self.page)):
            self.table(i, t)

    def save(self, path: Path) -> None:
        props = self.d.core_properties
        stamp = utc(fixed_datetime(self.doc.approval_date)).replace(tzinfo=None)
        props.title, props.author, props.last_modified_by = self.doc.title, self.doc.organization, self.doc.organization
        props.subject, props.keywords, props.comments = self.doc.subtitle, ", ".join(self.doc.keywords), ""
        props.language = "zh-CN"
        props.created = props.modified = props.last_printed = stamp
        props.revision = 1
        buffer = io.BytesIO()
        self.d.save(buffer)
        write_atomically(path, normalize_zip(buffer.getvalue(), self.doc.approval_date))


def _orient(section, landscape: bool) -> None:
    w, h = Mm(210), Mm(297)
    margins = LANDSCAPE_MARGINS if landscape else PORTRAIT_MARGINS
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (h, w) if landscape else (w, h)
    section.top_margin, section.bottom_margin, section.left_margin, section.right_margin = margins


def write(doc: Document, profile, path: Path, options: WriteOptions | None = None) -> Written:
    options = options or WriteOptions()
    override = doc.templates.get("docx")
    w = _Writer(doc, Path(override) if override else None,
                profile.table_scale_min if profile is not None else 0.7, dict(options.page_numbers))
    w.cover()
    w.contents()
    w.narrative()
    w.tables()
    w.save(path)
    return Written(count=w.titled)


__all__ = ["write", "set_style_font", "add_missing_styles"]
