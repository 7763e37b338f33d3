"""Finding codes by number or by words across the catalog years (`discloser codes`)."""
from __future__ import annotations

import os
import re
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


# “2080505 机关事业单位基本养老保险缴费支出”: the code and name as clerks type them in a data file
_CODE_AND_NAME = re.compile(r"^([0-9]{3,7})[\s\u3000]+(\D.*?)\s*$")


@dataclass(frozen=True)
class Query:
    """What `discloser codes` was asked: a code (or its start) or words, and the name typed after a code."""
    text: str                   # digits, spaces removed (“205 02 01” as tables print it), or the words
    name: str | None = None     # “2080505 机关事业单位…”: the name typed after the code
    converted: bool = False     # full-width digits were read as half-width

    @property
    def is_code(self) -> bool:
        return self.text.isdigit()


def parse_query(query: str) -> Query:
    """Read a lookup the way a data file is typed: a code, a code and its name, full-width digits
    (read as half-width here; a data file refuses them with the same conversion, `half_width_digits`)."""
    from ..model import half_width_digits

    text = half_width_digits(query.strip())
    converted = text != query.strip()
    if m := _CODE_AND_NAME.match(text):
        return Query(m.group(1), m.group(2), converted)
    compact = re.sub(r"[\s\u3000]", "", text)
    return Query(compact if compact.isdigit() else text, None, converted)


def _matches(code: str, name: str, query: str) -> bool:
    if query.isdigit():
        return code.startswith(query)
    return all(word in name for word in query.split())


def find(query: str, year: int | None = None, kind: str | None = None,
         user_dir: str | os.PathLike | None = None, limit: int = 200) -> list[Found]:
    """Codes whose number starts with `query`, or whose name holds every word of it, in `year`'s catalog;
    “2080505 名称” finds that code whatever the name (`parse_query`).

    The exact code comes first, then by code. `years` lists the shipped years and `year` whose own catalog
    (a user's included) has the code with the same name: a year without one searches a borrowed year's
    (`Catalog.label` says which) and is not listed as if it had the code (trialE-s27 D3).
    """
    q = parse_query(query)
    query = q.text
    years = available_years()
    year = year or years[-1]
    sections = [KIND_ALIASES[kind]] if kind else list(SECTIONS)
    catalog = load_catalog(year, user_dir)
    others = {y: load_catalog(y, user_dir) for y in sorted(set(years) | {year})}
    found = []
    for section in sections:
        table = getattr(catalog, section)
        if q.name:          # a code typed with its name: that code, not its children
            hits = [query] if query in table else []
        else:
            hits = [c for c, n in table.items() if _matches(c, n, query)]
        for code in sorted(hits):
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
