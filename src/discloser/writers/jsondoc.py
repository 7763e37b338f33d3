"""json writer: the Document itself, as every other writer receives it.

For integrators (another system can take the tables and the narrative without parsing Word or
PDF) and for tests that check what the writers are given. Everything is written: the cover lines,
the narrative sections, the 目录 table, every table with every cell (text as printed, kind, numeric
value, spans, alignment, indent, bold), the outline, the creation date and the input file's name,
size and SHA-256 (not its bytes: the PDF carries those). Decimal values are strings (“3488570.00”),
never floats; the same Document gives the same bytes.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from ..tables.model import Cell, Document, OutlineEntry, Row, Section, Table
from . import WriteOptions, Written, write_atomically

FORMAT_VERSION = 1


def _cell(c: Cell) -> dict:
    out: dict = {"text": c.text, "kind": c.kind.value}
    if c.value is not None:
        out["value"] = str(c.value)
    if c.colspan != 1:
        out["colspan"] = c.colspan
    if c.rowspan != 1:
        out["rowspan"] = c.rowspan
    if c.align:
        out["align"] = c.align
    if c.indent:
        out["indent"] = c.indent
    if c.bold:
        out["bold"] = True
    if c.nowrap:
        out["nowrap"] = True
    return out


def _row(r: Row) -> dict:
    return {"kind": r.kind.value, "level": r.level, "cells": [_cell(c) for c in r.cells]}


def _table(t: Table) -> dict:
    return {
        "key": t.key, "number": t.number, "title": t.title, "caption": t.caption, "anchor": t.anchor,
        "subject": t.subject, "department": t.department, "meta": t.meta, "meta_centred": t.meta_centred, "unit_label": t.unit_label,
        "columns": [{"width": c.width, "kind": c.kind.value} for c in t.columns],
        "header": [_row(r) for r in t.header], "body": [_row(r) for r in t.body], "notes": list(t.notes),
        "empty": t.empty, "empty_reason": t.empty_reason, "landscape": t.landscape, "portrait": t.portrait, "form": t.form,
    }


def _section(s: Section) -> dict:
    return {"title": s.title, "level": s.level, "paragraphs": list(s.paragraphs)}


def _entry(e: OutlineEntry) -> dict:
    out = {"id": e.id, "kind": e.kind.value, "level": e.level, "label": e.label, "in_contents": e.in_contents}
    if e.section is not None:
        out["section"] = e.section
    if e.table is not None:
        out["table"] = e.table
    return out


def document_dict(doc: Document) -> dict:
    source = None
    if doc.source_bytes is not None:
        source = {"name": doc.source_name, "size": len(doc.source_bytes),
                  "sha256": hashlib.sha256(doc.source_bytes).hexdigest()}
    return {
        "format": "discloser-document", "version": FORMAT_VERSION,
        "title": doc.title, "organization": doc.organization, "year": doc.year, "subtitle": doc.subtitle,
        "date_line": doc.date_line, "approval_date": doc.approval_date.isoformat() if doc.approval_date else None,
        "keywords": list(doc.keywords), "fonts": dict(doc.fonts), "department_label": doc.department_label,
        "source": source,
        "outline": [_entry(e) for e in doc.outline],
        "sections": [_section(s) for s in doc.sections],
        "tables_title": doc.tables_title, "tables_preamble": list(doc.tables_preamble),
        "toc": _table(doc.toc),
        "tables": [_table(t) for t in doc.tables],
    }


def write(doc: Document, profile, path: Path, options: WriteOptions | None = None) -> Written:
    data = json.dumps(document_dict(doc), ensure_ascii=False, indent=1) + "\n"
    write_atomically(path, data.encode("utf-8"))
    return Written()
