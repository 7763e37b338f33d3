"""Classification-code catalogs (支出功能分类, 部门/政府经济分类), shipped as data per year.

Each `data/<year>.yaml` names its source. Subtotal rows (类/款) take their names from here, so an
input needs only 项/款 codes. A year without its own file borrows the nearest one and says so.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml


@dataclass(frozen=True)
class Catalog:
    year: int
    source: str
    function: dict[str, str]
    economic_dept: dict[str, str]
    economic_gov: dict[str, str]
    dept_to_gov: dict[str, str]

    def function_name(self, code: str) -> str | None:
        return self.function.get(code)

    def economic_dept_name(self, code: str) -> str | None:
        return self.economic_dept.get(code)

    def economic_gov_name(self, code: str) -> str | None:
        return self.economic_gov.get(code)

    def gov_code_for(self, dept_code: str) -> str | None:
        """部门经济分类 款 → 政府经济分类 款 (a 类 maps through its 款, so only 款 codes map)."""
        return self.dept_to_gov.get(dept_code)

    @staticmethod
    def _classes(table: dict[str, str]) -> list[tuple[str, str]]:
        return sorted((c, n) for c, n in table.items() if len(c) == 3)

    def function_classes(self) -> list[tuple[str, str]]:
        return self._classes(self.function)

    def economic_dept_classes(self) -> list[tuple[str, str]]:
        return self._classes(self.economic_dept)

    def economic_gov_classes(self) -> list[tuple[str, str]]:
        return self._classes(self.economic_gov)


def available_years() -> list[int]:
    folder = resources.files(__package__) / "data"
    return sorted(int(p.name[:-5]) for p in folder.iterdir() if p.name.endswith(".yaml") and p.name[:-5].isdigit())


@lru_cache(maxsize=None)
def load_catalog(year: int) -> Catalog:
    years = available_years()
    earlier = [y for y in years if y <= year]
    chosen = earlier[-1] if earlier else years[0]
    text = (resources.files(__package__) / "data" / f"{chosen}.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    source = data["source"] if chosen == year else f"{data['source']}（无{year}年目录，沿用{chosen}年）"
    as_text = lambda d: {str(k): str(v) for k, v in (d or {}).items()}  # noqa: E731
    return Catalog(year, source, as_text(data["function"]), as_text(data["economic_dept"]),
                   as_text(data["economic_gov"]), as_text(data["dept_to_gov"]))
