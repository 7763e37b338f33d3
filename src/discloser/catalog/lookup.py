"""Finding codes by number or by words across the catalog years (`discloser codes`)."""
from __future__ import annotations

import os
from dataclasses import dataclass

from . import KIND_ALIASES, KIND_NAMES, SECTIONS, Entry, available_years, load_catalog


@dataclass(frozen=True)
class Found:
    entry: Entry
    years: tuple[int, ...]      # the years whose catalog has this code under this name

    def to_dict(self) -> dict:
        e = self.entry
        return {"code": e.code, "name": e.name, "level": e.level, "kind": e.kind, "kind_name": KIND_NAMES[e.kind],
                "parents": [{"code": c, "name": n, "level": {3: "类", 5: "款"}[len(c)]} for c, n in e.parents],
                "years": list(self.years)}


def _matches(code: str, name: str, query: str) -> bool:
    if query.isdigit():
        return code.startswith(query)
    return all(word in name for word in query.split())


def find(query: str, year: int | None = None, kind: str | None = None,
         user_dir: str | os.PathLike | None = None, limit: int = 200) -> list[Found]:
    """Codes whose number starts with `query`, or whose name holds every word of it, in `year`'s catalog.

    The exact code comes first, then by code. `years` lists the shipped years and `year` whose own catalog
    (a user's included) has the code with the same name: a year without one searches a borrowed year's
    (`Catalog.label` says which) and is not listed as if it had the code (trialE-s27 D3).
    """
    compact = query.replace(" ", "").strip()
    query = compact if compact.isdigit() else query.strip()     # “205 02 01” as printed in tables
    years = available_years()
    year = year or years[-1]
    sections = [KIND_ALIASES[kind]] if kind else list(SECTIONS)
    catalog = load_catalog(year, user_dir)
    others = {y: load_catalog(y, user_dir) for y in sorted(set(years) | {year})}
    found = []
    for section in sections:
        table = getattr(catalog, section)
        for code in sorted(c for c, n in table.items() if _matches(c, n, query)):
            entry = catalog.entry(code, section)
            present = tuple(y for y, cat in others.items() if cat.own_name(code, section) == entry.name)
            found.append(Found(entry, present))
    found.sort(key=lambda f: (f.entry.code != query, f.entry.code))
    return found[:limit]


def year_span(years: tuple[int, ...]) -> str:
    """“2023–2026年” for a run of years, “2023、2025年” otherwise."""
    if not years:
        return "—"
    if list(years) == list(range(years[0], years[-1] + 1)) and len(years) > 1:
        return f"{years[0]}–{years[-1]}年"
    return "、".join(str(y) for y in years) + "年"
