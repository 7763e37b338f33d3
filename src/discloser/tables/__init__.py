"""Tables as views over the facts: one builder per table kind, chosen by name in the profile."""
from __future__ import annotations

from .classified import classified
from .common import Builder
from .declaration import department_performance_declaration
from .performance import department_performance, department_performance_overview, project_performance, special_fund_performance
from .procurement import procurement
from .projects import project_list, project_performance_summary, projects
from .summary import revenue_by_unit, summary
from .three_public import three_public

BUILDERS: dict[str, Builder] = {
    "summary": summary,
    "revenue_by_unit": revenue_by_unit,
    "classified": classified,
    "projects": projects,
    "project_list": project_list,
    "project_performance_summary": project_performance_summary,
    "procurement": procurement,
    "three_public": three_public,
    "project_performance": project_performance,
    "department_performance": department_performance,
    "department_performance_overview": department_performance_overview,
    "department_performance_declaration": department_performance_declaration,
    "special_fund_performance": special_fund_performance,
}
