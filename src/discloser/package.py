"""Assemble the format-neutral `Document`: narrative sections, the 目录 of tables, every table."""
from __future__ import annotations

from .facts import Facts, derive
from .model import Budget
from .narrative import render_narrative
from .profile import Profile, load_profile
from .tables.builders import BUILDERS
from .tables.model import Cell, Column, Document, Row, RowKind, Table
from .tables.outline import with_outline


def build_tables(facts: Facts, profile: Profile) -> list[Table]:
    tables: list[Table] = []
    for spec in profile.tables:
        built = BUILDERS[spec.builder](facts, spec, profile)
        tables.extend(built if isinstance(built, list) else [built])
    return tables


def toc_table(tables: list[Table], profile: Profile, org: str) -> Table:
    """目录 of tables with 是否空表 / 公开空表理由; one row per table number."""
    rows: list[Row] = []
    seen: set[str] = set()
    for t in tables:
        if t.key in seen:
            continue
        seen.add(t.key)
        reason = t.empty_reason if t.empty else ""
        rows.append(Row((Cell(t.number, align="center"), Cell(t.title), Cell("是" if t.empty else "否", align="center"), Cell(reason))))
    header = [Row((Cell("报表", align="center"), Cell("报表名称", align="center"), Cell("是否空表", align="center"),
                   Cell("公开空表理由", align="center")), RowKind.header)]
    return Table(key="toc", number="", title="目录", department=org, unit_label="",
                 columns=[Column(6), Column(44), Column(8), Column(24)], header=header, body=rows,
                 notes=list(profile.toc_notes), anchor="toc")


def _fill(template: str, budget: Budget) -> str:
    return template.format(org=budget.organization.name, year=budget.year, scope=budget.scope)


def build_document(budget: Budget, profile: Profile | None = None) -> Document:
    profile = profile or load_profile(budget.profile)
    facts = derive(budget, profile.unit)
    tables = build_tables(facts, profile)
    title = _fill(profile.title, budget)
    return with_outline(Document(
        title=title,
        organization=budget.organization.name,
        year=budget.year,
        subtitle=_fill(profile.subtitle, budget),
        date_line=_fill(profile.date_line, budget),
        sections=render_narrative(facts, profile, tables),
        tables_title=_fill(profile.tables_title, budget),
        tables_preamble=[_fill(line, budget) for line in profile.tables_preamble],
        toc=toc_table(tables, profile, budget.organization.name),
        tables=tables,
        keywords=[f"{budget.year}年", f"{budget.scope}预算", "预算公开", budget.organization.name],
        fonts=dict(profile.fonts),
        filename=title,
        department_label=profile.department_label,
        templates={fmt: str(path) for fmt, rel in (("docx", "docx/reference.docx"), ("xlsx", "xlsx/template.xlsx"), ("pdf", "html"))
                   if (path := profile.template_override(rel))},
    ))
