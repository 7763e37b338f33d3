"""The package's outline, computed once from the Document: what every writer lists.

The contents page and bookmarks of the PDF, the TOC field, bookmarks and navigation pane of the
Word file, and the json output all read `Document.outline`; no writer decides on its own what is a
chapter, a table or an appendix. Ids are stable within a build and valid both as HTML ids and as
Word bookmark names (letters, digits, "_"; the PDF's page map and the Word TOC meet on them).

- chapter: every titled narrative section, at its heading level (1 = 第一部分, 2 = 一、 …);
- appendix: the tables part (its title, e.g. “2024年部门（单位）综合预算公开报表”, or the profile's
  `tables_entry`: 河南 “附件：…部门预算表”), level 1;
- table: each table number once, labelled “表N 标题” (or as the profile's `table_entry` says: 河南
  “一、2023年部门收支总体情况表”), level 2 (a run of same-numbered tables — one per project — is one
  entry pointing at the first);
- subject: each instance of such a run that names what it is about (a project), level 3.
"""
from __future__ import annotations

from .common import cn_number
from .model import Document, OutlineEntry, OutlineKind


def outline(doc: Document) -> list[OutlineEntry]:
    entries: list[OutlineEntry] = []
    for i, section in enumerate(doc.sections):
        if section.title.strip():
            entries.append(OutlineEntry(f"sec_{i + 1}", OutlineKind.chapter, max(1, section.level), section.title.strip(),
                                        section=i))
    entries.append(OutlineEntry("tables", OutlineKind.appendix, 1, doc.tables_entry or doc.tables_title))
    previous = None
    listed = 0
    for i, table in enumerate(doc.tables):
        if table.key != previous:
            listed += 1
            label = doc.table_entry.format(number=table.number, cn=cn_number(listed), title=table.title).strip()
            entries.append(OutlineEntry(f"tbl_{i + 1}", OutlineKind.table, 2, label, table=i))
        if table.subject.strip():
            entries.append(OutlineEntry(f"tbl_{i + 1}_s", OutlineKind.subject, 3, table.subject.strip(), table=i))
        previous = table.key
    return entries


def with_outline(doc: Document) -> Document:
    """Set `doc.outline` (after the sections or tables of a Document were changed) and return it."""
    doc.outline = outline(doc)
    return doc
