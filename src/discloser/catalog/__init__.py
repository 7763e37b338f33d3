"""Classification-code catalogs (支出功能分类, 部门/政府经济分类), shipped as data per year.

One file per year, `data/<year>.yaml`, each naming its sources in its header and in `source:`:

```yaml
year: 2025
source: 财政部《2025年政府收支分类科目》……        # printed wherever a message names the catalog
complete: {function: false, economic_dept: true, economic_gov: false, dept_to_gov: true}
changes: {from: 2024, document: 财预〔2025〕41号…, function: {added: {…}, renamed: {code: [旧名, 新名]}, retired: {…}}, …}
function:      {'201': 一般公共服务支出, '20101': 人大事务, '2010101': 行政运行, …}   # 类 3 / 款 5 / 项 7 位
economic_dept: {'301': 工资福利支出, '30101': 基本工资, …}                           # 类 3 / 款 5 位
economic_gov:  {'501': 机关工资福利支出, '50101': 工资奖金津补贴, …}
dept_to_gov:   {机关: {'30101': '50101', …}, 事业: {'30101': '50501', …}}             # 部门经济款 → 政府经济款
```

A user catalog `DIR/<year>.yaml` (written by `discloser catalog import`, or by hand) has the same
format, any subset of the sections: its entries win, the shipped year is the fallback. A year
without a shipped file borrows the nearest earlier one (a year before the first, the first) and says so in
`.source` and `.label`, the name messages give it. `complete` says
whether a section holds the whole published catalog, so a rule can tell “not a real code” from
“our catalog is incomplete”.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml

SECTIONS = ("function", "economic_dept", "economic_gov")
KIND_NAMES = {"function": "支出功能分类", "economic_dept": "部门预算支出经济分类", "economic_gov": "政府预算支出经济分类"}
# `discloser codes --kind` spellings → section
KIND_ALIASES = {"function": "function", "econ": "economic_dept", "economic_dept": "economic_dept",
                "gov": "economic_gov", "economic_gov": "economic_gov"}
LEVELS = {3: "类", 5: "款", 7: "项"}
CODE_LENGTHS = {"function": (3, 5, 7), "economic_dept": (3, 5), "economic_gov": (3, 5)}
# the first digit of every code of a section (支出功能 2xx, 部门经济 3xx, 政府经济 5xx)
FIRST_DIGIT = {"function": "2", "economic_dept": "3", "economic_gov": "5"}
MAPPING_KINDS = ("机关", "事业")
# 单位性质 (model.UnitKind values) → which 部门→政府 mapping applies
UNIT_KIND_MAPPING = {"行政单位": "机关", "参照公务员法管理事业单位": "机关", "事业单位": "事业",
                     "机关": "机关", "事业": "事业"}


class CatalogError(Exception):
    """A user catalog that cannot be used; the message is Chinese and names the file (and line)."""


@dataclass(frozen=True)
class Entry:
    """One code with its level and the chain of its parents, outermost first."""
    code: str
    name: str
    kind: str                               # function / economic_dept / economic_gov
    parents: tuple[tuple[str, str], ...]    # ((类 code, name), (款 code, name)) for a 项

    @property
    def level(self) -> str:
        return LEVELS.get(len(self.code), "")

    @property
    def path(self) -> str:
        """“教育支出 › 普通教育 › 学前教育”."""
        return " › ".join([n for _, n in self.parents] + [self.name])


@dataclass(frozen=True)
class Catalog:
    year: int
    source: str
    function: dict[str, str]
    economic_dept: dict[str, str]
    economic_gov: dict[str, str]
    dept_to_gov: dict[str, dict[str, str]]          # {机关: {...}, 事业: {...}}
    complete: dict[str, bool] = field(default_factory=dict)
    changes: dict = field(default_factory=dict)
    user_dir: str | None = None    # the user catalogs' folder this one was overlaid from (their changes count too)
    borrowed_from: int | None = None    # no shipped file of `year`: the shipped year used in its place
    user_tables: dict[str, dict[str, str]] = field(default_factory=dict)    # the user file's own entries

    @property
    def label(self) -> str:
        """What a message calls this catalog: “2025年目录”, or which year's file stands in for a year with none —
        a 2019 file is checked against the 2023 catalog, and “2019年目录未收录” would name a catalog that does
        not exist (trialE-s27 D3)."""
        b = self.borrowed_from
        if b is None:
            return f"{self.year}年目录"
        why = f"随包目录从{b}年起" if self.year < b else f"随包目录只到{b}年"
        if self.user_dir is not None:
            return f"{self.year}年用户目录（未收录的科目沿用随包{b}年目录：{why}）"
        return f"随包{b}年目录（没有{self.year}年目录，{why}）"

    def own_name(self, code: str, kind: str) -> str | None:
        """The code's name in a catalog of this very year — the shipped file of the year overlaid by the user's,
        or, for a year with no shipped file, the user's file alone — not in a borrowed year's."""
        section = KIND_ALIASES[kind]
        if self.borrowed_from is None:
            return getattr(self, section).get(code)
        return self.user_tables.get(section, {}).get(code)

    def function_name(self, code: str) -> str | None:
        return self.function.get(code)

    def economic_dept_name(self, code: str) -> str | None:
        return self.economic_dept.get(code)

    def economic_gov_name(self, code: str) -> str | None:
        return self.economic_gov.get(code)

    def gov_code_for(self, dept_code: str, unit_kind: str = "行政单位") -> str | None:
        """部门经济分类 款 → 政府经济分类 款 for a unit of that kind (行政单位 / 参照公务员法管理事业单位 / 事业单位).

        Without a kind the 机关 mapping applies (the callers written before the unit-kind dimension).
        """
        try:
            mapping = UNIT_KIND_MAPPING[unit_kind]
        except KeyError:
            raise ValueError(f"未知的单位性质“{unit_kind}”，应为：行政单位、参照公务员法管理事业单位、事业单位") from None
        return self.dept_to_gov.get(mapping, {}).get(dept_code)

    def table(self, kind: str) -> dict[str, str]:
        return getattr(self, KIND_ALIASES[kind])

    def entry(self, code: str, kind: str) -> Entry | None:
        """The code with its level and parents; None when this year's catalog does not have it."""
        section = KIND_ALIASES[kind]
        table = getattr(self, section)
        name = table.get(code)
        if name is None:
            return None
        parents = tuple((p, table.get(p, "")) for p in (code[:3], code[:5]) if len(p) < len(code))
        return Entry(code, name, section, parents)

    def is_complete(self, kind: str) -> bool:
        return bool(self.complete.get(KIND_ALIASES.get(kind, kind)))

    @staticmethod
    def _classes(table: dict[str, str]) -> list[tuple[str, str]]:
        return sorted((c, n) for c, n in table.items() if len(c) == 3)

    def function_classes(self) -> list[tuple[str, str]]:
        return self._classes(self.function)

    def economic_dept_classes(self) -> list[tuple[str, str]]:
        return self._classes(self.economic_dept)

    def economic_gov_classes(self) -> list[tuple[str, str]]:
        return self._classes(self.economic_gov)


def _data_dir():
    return resources.files(__package__) / "data"


@lru_cache(maxsize=1)
def available_years() -> tuple[int, ...]:
    return tuple(sorted(int(p.name[:-5]) for p in _data_dir().iterdir()
                        if p.name.endswith(".yaml") and p.name[:-5].isdigit()))


def _loader():
    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@lru_cache(maxsize=None)
def _shipped(year: int) -> dict:
    text = (_data_dir() / f"{year}.yaml").read_text(encoding="utf-8")
    data = yaml.load(text, Loader=_loader())
    as_text = lambda d: {str(k): str(v) for k, v in (d or {}).items()}  # noqa: E731
    out = {s: as_text(data.get(s)) for s in SECTIONS}
    out["dept_to_gov"] = {k: as_text(v) for k, v in (data.get("dept_to_gov") or {}).items()}
    out["source"] = str(data["source"])
    out["complete"] = dict(data.get("complete") or {})
    out["changes"] = data.get("changes") or {}
    return out


def user_catalog_path(year: int, user_dir: str | os.PathLike) -> Path:
    return Path(user_dir) / f"{year}.yaml"


def load_catalog(year: int, user_dir: str | os.PathLike | None = None) -> Catalog:
    """The catalog of `year`: the shipped one (or the nearest earlier year), overlaid by `user_dir/<year>.yaml`.

    A missing user file is no error (the shipped catalog is used); a broken one raises CatalogError.
    """
    if user_dir is None:
        return _load(year, None, 0)
    path = user_catalog_path(year, user_dir)
    try:
        stamp = path.stat().st_mtime_ns
    except FileNotFoundError:
        return _load(year, None, 0)
    return _load(year, str(path), stamp)


@lru_cache(maxsize=64)
def _load(year: int, user_path: str | None, stamp: int) -> Catalog:
    years = available_years()
    earlier = [y for y in years if y <= year]
    chosen = earlier[-1] if earlier else years[0]
    base = _shipped(chosen)
    source = base["source"] if chosen == year else f"{base['source']}（无{year}年目录，沿用{chosen}年）"
    tables = {s: dict(base[s]) for s in SECTIONS}
    mapping = {k: dict(v) for k, v in base["dept_to_gov"].items()}
    complete = dict(base["complete"]) if chosen == year else {}
    changes = base["changes"] if chosen == year else {}
    user_tables: dict[str, dict[str, str]] = {}
    if user_path is not None:
        from .userfile import read_user_catalog
        user = read_user_catalog(Path(user_path), year)
        user_tables = {s: dict(t) for s, t in user.tables.items()}
        for s in SECTIONS:
            tables[s].update(user.tables.get(s, {}))
            if user.complete.get(s):
                complete[s] = True
        if user.changes:
            changes = user.changes
            if user.changes.get("from") == year - 1:
                for s in SECTIONS:    # retired by the user's own catalog: gone from the shipped fallback too
                    for code in ((user.changes.get(s) or {}).get("retired") or {}):
                        if code not in user.tables.get(s, {}):
                            tables[s].pop(code, None)
        for k, v in user.dept_to_gov.items():
            mapping.setdefault(k, {}).update(v)
        source = f"用户目录 {user_path}（{user.source}），未收录的科目沿用随包目录：{source}"
    return Catalog(year, source, tables["function"], tables["economic_dept"], tables["economic_gov"],
                   mapping, complete, changes, str(Path(user_path).parent) if user_path else None,
                   None if chosen == year else chosen, user_tables)


@dataclass(frozen=True)
class Introduced:
    """A code (or its 类/款) that a later year's revision added: it did not exist in an earlier year."""

    code: str        # the code the revision added: the line's own code, or its 款 or 类
    name: str
    year: int        # the first year it exists
    document: str    # the revision notice, as that year's `changes.document` names it ("" when none)


def introduced_after(code: str, year: int, kind: str = "function") -> Introduced | None:
    """Whether a shipped later year's `changes` says `code`, its 款 or its 类 was added after `year` (22006 by
    财预〔2024〕22号): then the code is no code of `year` at all, not one the shipped extract merely lacks."""
    section = KIND_ALIASES[kind]
    for later in available_years():
        if later <= year:
            continue
        changes = _shipped(later)["changes"] or {}
        added = ((changes.get(section) or {}).get("added") or {})
        for part in (code[:3], code[:5], code):
            if part in added and len(part) <= len(code):
                return Introduced(part, str(added[part]), later, str(changes.get("document") or ""))
    return None


@dataclass(frozen=True)
class Retired:
    """A code (or its 类/款) a revision retired: from that year on it is no code, whatever name is typed."""

    code: str        # the code retired: the line's own code, or its 款 or 类
    name: str
    year: int        # the first year without it
    document: str


def retired_by(code: str, year: int, kind: str = "function", user_dir: str | os.PathLike | None = None) -> Retired | None:
    """Whether a catalog's `changes` of a year up to `year` — the shipped files', or a user catalog's (an imported
    workbook's, `catalog import` computes them) — retired `code`, its 款 or its 类. Only the changes each year
    records against the year before count (`from: year − 1`), as for rollover."""
    section = KIND_ALIASES[kind]
    years = available_years()
    found = None
    for y in range(years[0] + 1, year + 1):
        changes = load_catalog(y, user_dir).changes or {}
        if changes.get("from") != y - 1:
            continue
        retired = (changes.get(section) or {}).get("retired") or {}
        added = (changes.get(section) or {}).get("added") or {}
        for part in (code[:3], code[:5], code):
            if len(part) > len(code):
                continue
            if part in retired:
                found = Retired(part, str(retired[part]), y, str(changes.get("document") or ""))
            elif part in added and found is not None and found.code == part:
                found = None            # retired, then set up again
    return found


def diff(old: dict[str, str], new: dict[str, str]) -> dict[str, dict]:
    """Codes added, renamed (old → new name) and retired between two years of one section."""
    return {
        "added": {c: new[c] for c in sorted(new.keys() - old.keys())},
        "renamed": {c: [old[c], new[c]] for c in sorted(new.keys() & old.keys()) if old[c] != new[c]},
        "retired": {c: old[c] for c in sorted(old.keys() - new.keys())},
    }
