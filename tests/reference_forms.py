"""Shared by the reference tests of the performance forms (Hubei, Gansu, Jiangxi): build an example
through the command line and read the .xlsx and .pdf back; normalise reference text for comparison."""
from __future__ import annotations

import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

from helpers import REFERENCE


def reference(name: str) -> str:
    return (REFERENCE / name).read_text(encoding="utf-8")


_SAME = str.maketrans({"(": "（", ")": "）", ":": "：", ",": "，", ";": "；", "≦": "≤", "≧": "≥", "\"": "“"})


def norm(text: str) -> str:
    """Text as the references mean it: no spaces (scans and line wraps put them inside words), full-width
    punctuation, ≦/≧ and LaTeX \\geq/\\leq as ≤/≥, straight quotes as “."""
    text = text.replace("\\geq", "≥").replace("\\leq", "≤")
    return re.sub(r"\s+", "", text).translate(_SAME).replace("“”", "“").replace("”", "“")


def number(text: str) -> Decimal:
    """A reference figure, spaces from the scan removed (“405. 7” is 405.7)."""
    return Decimal(re.sub(r"\s+", "", text).replace(",", ""))


def cents(value: Decimal) -> Decimal:
    """A reference figure as we print it: to the cent, rounded half up."""
    from decimal import ROUND_HALF_UP
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def texts(table) -> list[list[str]]:
    return [[c.text for c in r.cells] for r in table.body]


def value_after(table, label: str, nth: int = 0) -> Decimal | None:
    """The figure in the cell after the `nth` cell whose text is `label` (a form's label | value pair)."""
    seen = 0
    for r in table.body:
        for i, c in enumerate(r.cells):
            if c.text == label:
                if seen == nth:
                    return r.cells[i + 1].value
                seen += 1
    raise AssertionError(f"no cell {label!r} in {table.title}")


def build_files(example: Path, out: Path, formats: str = "xlsx,pdf") -> dict[str, Path]:
    """`discloser build` of the example into `out`: the files written, by extension."""
    r = subprocess.run([sys.executable, "-m", "discloser.cli", "build", str(example), "-o", str(out), "--formats", formats],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return {p.suffix[1:]: p for p in out.iterdir() if p.is_file()}


def pdf_lines(path: Path) -> list[str]:
    """The PDF's text lines as pdftotext lays them out."""
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return out.splitlines()


def sheet_rows(path: Path, sheet: str) -> list[list[object]]:
    from openpyxl import load_workbook

    ws = load_workbook(path)[sheet]
    return [list(r) for r in ws.iter_rows(values_only=True)]
