"""Assemble the format-neutral `Document`: narrative sections, the 目录 of tables, every table.

When the display unit needs rounding (万元), the package is assembled twice: the first pass, with
exact figures, records every set of entries that is printed; the facts then choose one rounding for
all of them (controlled rounding, `rounding.py`); the second pass prints. Builders and templates are
pure, so both passes see the same sets.
"""
from __future__ import annotations

from .catalog import Catalog
from .facts import Facts, derive
from .model import Budget
from .narrative import render_narrative
from .profile import DEFAULT_PROFILE, Profile, load_profile
from .tables import BUILDERS
from .measures import compile_measure
from .tables.common import fill, fill_dated
from .tables.outline import with_outline
from .tables.model import Document, Table
from .tables.toc import toc_table
from .safety import safe_filename


def derive_for(budget: Budget, profile: Profile, catalog: Catalog | None = None) -> Facts:
    """The facts of a budget as the profile prints them (its unit, its task columns)."""
    columns = [(c.label, compile_measure(c.measure)) for c in profile.task_columns]
    facts = derive(budget, profile.unit, catalog, columns, profile.three_public_funds, profile.whole_task_column)
    facts.words = dict(profile.scope_words.get(budget.scope, {}))
    return facts


def build_tables(facts: Facts, profile: Profile) -> list[Table]:
    tables: list[Table] = []
    for spec in profile.tables:
        if facts.scope not in spec.scopes:
            continue
        built = BUILDERS[spec.builder](facts, spec, profile)
        tables.extend(built if isinstance(built, list) else [built])
    return tables


def _assemble(facts: Facts, profile: Profile) -> Document:
    tables = build_tables(facts, profile)
    narrative = render_narrative(facts, profile, tables)
    title = fill(profile.title, facts)
    return with_outline(Document(
        title=title,
        organization=facts.org.name,
        year=facts.year,
        subtitle=fill(profile.subtitle, facts),
        date_line=fill_dated(profile.date_line, facts),
        sections=narrative.sections,
        tables_title=fill(profile.tables_title, facts),
        tables_preamble=profile.printed_preamble(lambda line: fill(line, facts), facts.budget),
        tables_entry=fill(profile.tables_entry, facts),
        table_entry=profile.table_entry,
        toc_page=profile.toc_page,
        toc=toc_table(tables, profile.toc_notes, facts.org.name),
        tables=tables,
        keywords=[f"{facts.year}年", f"{facts.scope}预算", "预算公开", facts.org.name],
        stated=sorted(set(narrative.stated)),
        priors=sorted(narrative.priors | facts.tables_priors),
        reasons=sorted(narrative.reasons),
        fonts=dict(profile.fonts),
        filename=safe_filename(title),
        department_label=fill(profile.department_label, facts),
        templates={fmt: str(path) for fmt, rel in (("docx", "docx/reference.docx"), ("xlsx", "xlsx/template.xlsx"), ("pdf", "html"))
                   if (path := profile.template_override(rel))},
        approval_date=facts.budget.approval_date,
    ))


def build_document(budget: Budget, profile: Profile | None = None, catalog: Catalog | None = None) -> Document:
    profile = profile or load_profile(budget.profile or DEFAULT_PROFILE)
    facts = derive_for(budget, profile, catalog)
    if facts.needs_rounding:
        with facts.recording():
            _assemble(facts, profile)
        facts.round()
    doc = _assemble(facts, profile)
    if facts.rounding_note:
        doc.warnings.append(facts.rounding_note)
    return doc
