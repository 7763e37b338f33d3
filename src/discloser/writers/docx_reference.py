"""The reference document the Word writer starts from: a province's reference.docx supplies looks, never content.

A county edits `我县-templates/docx/reference.docx` in Word to change fonts, sizes and spacing. What it
leaves in that file — sample text in the body, a header with a field, an `INCLUDETEXT "http://…"` or a
linked picture, an attached template on a server, custom XML, a thumbnail of its first page — must not
reach the published package, where Word (told to update fields on opening) would fetch what it names.

So the package is never the province's file. It is always the shipped reference (`templates/docx/`),
into which these are copied from the province's file, and nothing else:

- the styles (styles.xml), the list numbering (numbering.xml), the theme (colours and theme fonts) and
  the font table (names only: embedded font files are not carried);
- the page and section settings of its last section (size, margins, columns, grid …), without its header
  and footer references (the writer makes its own footer) or printer settings.

Every relationship reference (``r:id``, ``r:embed``, ``r:link`` …) in what is copied is dropped, since its
target is not carried (a numbering picture bullet falls back to its text bullet; a theme that links a
picture is not taken at all). The result has only the shipped package's parts, no external relationship,
and no field but the writer's own (TOC, TC, PAGEREF in the contents, PAGE and NUMPAGES in the footer).
"""
from __future__ import annotations

import copy
from functools import lru_cache
from pathlib import Path

from docx import Document as open_docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from lxml import etree

from ..problems import Location, Problem, unreadable_because
from ..resources import template as packaged
from ..templating import TemplateFailure

R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"
# section settings that point at other parts (not carried) or at the printer
_SECTION_DROPS = ("w:headerReference", "w:footerReference", "w:printerSettings")
# numbering's picture bullets (their picture is not carried)
_NUMBERING_DROPS = ("w:numPicBullet", "w:lvlPicBulletId")


def open_reference(path: Path | None):
    """A python-docx Document: the shipped reference, with the province's looks copied in when `path` is given."""
    doc = open_docx(str(packaged("docx/reference.docx")))
    if path is None:
        return doc
    try:
        own = open_docx(str(path))
    except Exception as e:   # noqa: BLE001 — any unreadable file: the province's mistake, told in Chinese
        raise TemplateFailure([Problem("template.docx", "error",
                                       f"Word 样式模板不是可读的 .docx 文件（{unreadable_because(e)}）：请用 Word 或 WPS 打开后另存为 .docx",
                                       (Location(str(path)),))]) from None
    _copy_looks(own, doc)
    return doc


def _copy_looks(own, doc) -> None:
    base = doc.part
    for reltype, drops in ((RT.STYLES, ()), (RT.NUMBERING, _NUMBERING_DROPS)):
        mine = _related(own.part, reltype)
        if mine is not None:
            _related(base, reltype)._element = _without_references(mine.element, drops)   # noqa: SLF001
    theme = _related(own.part, RT.THEME)
    if theme is not None and not _references(etree.fromstring(theme.blob)):   # a theme's pictures are not carried
        _related(base, RT.THEME)._blob = theme.blob   # noqa: SLF001
    fonts = _related(own.part, RT.FONT_TABLE)
    if fonts is not None:
        _related(base, RT.FONT_TABLE)._blob = etree.tostring(                # noqa: SLF001
            _without_references(etree.fromstring(fonts.blob)), xml_declaration=True, encoding="UTF-8", standalone=True)
    for rid, rel in list(base.rels.items()):   # its styles would contradict the ones copied in (Word 2010 reads it)
        if rel.reltype == STYLES_WITH_EFFECTS:
            base.drop_rel(rid)
    section = own.element.body.findall(qn("w:sectPr"))
    if section:
        body = doc.element.body
        old = body.find(qn("w:sectPr"))
        new = _without_references(section[-1], _SECTION_DROPS)
        if old is not None:
            old.addprevious(new)
            body.remove(old)
        else:
            body.append(new)


def _related(part, reltype):
    try:
        return part.part_related_by(reltype)
    except KeyError:
        return None


def _without_references(element, drops: tuple[str, ...] = ()):
    """A copy of `element` without the elements named in `drops` and without any relationship reference."""
    out = copy.deepcopy(element)
    for name in drops:
        for found in list(out.iter(qn(name))):
            found.getparent().remove(found)
    for node, attr in _references(out):
        del node.attrib[attr]
    return out


def _references(element) -> list[tuple]:
    """(element, attribute) of every relationship reference (an attribute in the r: namespace) under `element`."""
    return [(node, a) for node in element.iter() if isinstance(node.tag, str) for a in node.attrib
            if a.startswith(f"{{{R_NS}}}")]


def reference_problem(path: Path) -> list[Problem]:
    """The problem of a province's reference.docx that cannot be used, for `discloser validate 我县.yaml`."""
    return list(_reference_problem(Path(path), Path(path).stat().st_mtime))


@lru_cache(maxsize=16)
def _reference_problem(path: Path, mtime: float) -> tuple[Problem, ...]:
    try:
        open_reference(path)
    except TemplateFailure as e:
        return tuple(e.problems)
    return ()


__all__ = ["open_reference", "reference_problem"]
