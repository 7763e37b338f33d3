"""Test helpers: build the example package in memory; read the reference documents' tables."""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
REFERENCE = Path(__file__).resolve().parent / "reference"
SHAANXI = EXAMPLES / "shaanxi-linyou-2024.yaml"
HENAN = EXAMPLES / "henan-shilong-2023.yaml"
# A 4-unit 卫健委 written by hand in a new-user trial: every fund, carry-over, 国资, projects, prior year.
YONGAN = Path(__file__).resolve().parent / "departments" / "yongan-health-2025.yaml"
# A two-unit 文广旅局 written by hand in a trial of 财政拨款上年结转: 一般公共预算, 政府性基金 and 单位资金 carried in.
QINGSHAN = Path(__file__).resolve().parent / "departments" / "qingshan-culture-2025.yaml"

# `scripts/test --fast` (the edit loop) sets DISCLOSER_TEST_DEPTH=fast: property tests draw a fifth
# of their examples. The whole suite (`scripts/test`, CI) draws them all.
FAST = os.environ.get("DISCLOSER_TEST_DEPTH") == "fast"


def examples(full: int) -> int:
    """How many examples a property test draws: `full` in the whole suite, a fifth in the edit loop."""
    return max(1, full // 5) if FAST else full


@lru_cache(maxsize=None)
def loaded(path: Path = SHAANXI):
    from discloser.validate import load

    result = load(path)
    assert not result.errors, "\n".join(p.format() for p in result.errors)
    return result


@lru_cache(maxsize=None)
def document(path: Path = SHAANXI):
    from discloser.package import build_document

    return build_document(loaded(path).budget)


@lru_cache(maxsize=None)
def built_with(path: Path, profile_name: str):
    """(Loaded, Document) of `path` validated and built with the profile `profile_name`."""
    from discloser.package import build_document
    from discloser.validate import load

    result = load(path, profile_name)
    assert not result.errors, "\n".join(p.format() for p in result.errors)
    return result, build_document(result.budget, result.profile, result.catalog)


def profile(name: str = "shaanxi"):
    from discloser.profile import load_profile

    return load_profile(name)


def write(fmt: str, doc, path, *, profile_name: str = "shaanxi", **options):
    """Write `doc` with the registered writer of `fmt` (the build's own entry point)."""
    from discloser.writers import WRITERS, WriteOptions

    return WRITERS[fmt](doc, profile(profile_name), Path(path), WriteOptions(**options))


def table(doc, number: str, nth: int = 0):
    return [t for t in doc.tables if t.number == number][nth]


def texts(row) -> list[str]:
    return [c.text for c in row.cells]


def reference_block(name: str, start: str, stop: str | None) -> list[list[str]]:
    """Tab-separated rows of a reference text between the line `start` and the line `stop`."""
    lines = (REFERENCE / name).read_text(encoding="utf-8").splitlines()
    i = lines.index(start)
    j = lines.index(stop, i + 1) if stop else len(lines)
    return [line.split("\t") for line in lines[i + 1:j] if "\t" in line]


def nowrap_texts(doc) -> set[str]:
    """Every text that must print on one line: amounts, percentages, codes (table cells of those kinds),
    and the tables' unit labels."""
    from discloser.tables.model import Kind

    kinds = {Kind.money, Kind.percent, Kind.code}
    out = {c.text for t in doc.tables for r in t.body for c in r.cells if c.kind in kinds and c.text}
    return out | {t.unit_label for t in doc.tables if t.unit_label}


PROFILE_FACTS = {"needs.missing", "perf.tasks-total"}   # facts a profile asks for that an example may lack


def examples_building_with(profile: str) -> list[Path]:
    """The examples that have every fact `profile` asks for. An example transcribed from another
    province's document may lack one (the Gansu and Jiangxi references are performance forms only, with
    no 主要职责): validation then names exactly the missing fact — checked by
    `refusals_name_the_missing_fact` — and nothing is built."""
    from discloser.validate import load

    return [p for p in sorted(EXAMPLES.glob("*.yaml")) if not load(p, profile).errors]


def refusals_name_the_missing_fact(profile: str) -> list[str]:
    """Problems of examples refused by `profile` for anything but a fact the profile needs (should be [])."""
    from discloser.validate import load

    out = []
    for p in sorted(EXAMPLES.glob("*.yaml")):
        errors = load(p, profile).errors
        out += [e.format() for e in errors if e.rule not in PROFILE_FACTS]
    return out


def province_template(tmp_path: Path, marker: str, extra: str) -> Path:
    """A province's html folder whose package template adds `extra` right after `marker` (a template
    that asks for what it must not get)."""
    from discloser.writers import pdf

    folder = tmp_path / "province"
    folder.mkdir()
    source = (pdf.default_template_dir() / pdf.TEMPLATE).read_text(encoding="utf-8")
    (folder / pdf.TEMPLATE).write_text(source.replace(marker, marker + extra, 1), encoding="utf-8")
    return folder


def xlsx_bomb(source: Path, out: Path, megabytes: int, part: str | None = None) -> Path:
    """`source` with `megabytes` of blanks written into one sheet's XML (its largest sheet unless
    `part` is named): a real workbook that is a zip bomb, a few hundred kilobytes on disk."""
    import zipfile

    with zipfile.ZipFile(source) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as dst:
        sheets = [i for i in src.infolist() if i.filename.startswith("xl/worksheets/sheet")]
        part = part or max(sheets, key=lambda i: i.file_size).filename
        for info in src.infolist():
            data = src.read(info)
            if info.filename != part:
                dst.writestr(info, data)
                continue
            head, tail = data.split(b"<sheetData>", 1) if b"<sheetData>" in data else data.split(b"<sheetData/>", 1)
            packed = zipfile.ZipInfo(part, date_time=(2025, 1, 1, 0, 0, 0))
            packed.compress_type = zipfile.ZIP_DEFLATED
            with dst.open(packed, "w", force_zip64=True) as f:
                f.write(head + (b"<sheetData>" if b"<sheetData>" in data else b"<sheetData/>"))
                for _ in range(megabytes):
                    f.write(b" " * (1 << 20))
                f.write(tail)
    return out


def open_table_edges(path: Path, tol: float = 1.0) -> list[int]:
    """Pages (from 1) of a PDF whose tables are not closed: at the lowest (highest) end of their vertical rules
    no horizontal rule runs from the leftmost to the rightmost vertical rule. Read from the drawn lines
    (`m … l` pairs of the content stream), as a reader sees the page: a row or a spanning label cut by a page
    break was left open (trialC-s26 D7, D14)."""
    from pypdf import PdfReader
    from pypdf.generic import ContentStream

    reader = PdfReader(path)
    out = []
    for number, page in enumerate(reader.pages, 1):
        start = None
        across, down = [], []     # (y, x0, x1), (x, y0, y1)
        for operands, op in ContentStream(page.get_contents(), reader).operations:
            if op == b"m":
                start = tuple(float(v) for v in operands)
            elif op == b"l" and start:
                (x1, y1), (x2, y2) = start, tuple(float(v) for v in operands)
                if abs(y1 - y2) < 0.01:
                    across.append((y1, min(x1, x2), max(x1, x2)))
                elif abs(x1 - x2) < 0.01:
                    down.append((x1, min(y1, y2), max(y1, y2)))
        if not down:
            continue
        left, right = min(d[0] for d in down), max(d[0] for d in down)
        for y in (min(d[1] for d in down), max(d[2] for d in down)):
            reach = left
            for a, b in sorted((a, b) for yy, a, b in across if abs(yy - y) <= tol):
                if a > reach + tol:
                    break
                reach = max(reach, b)
            if reach < right - tol:
                out.append(number)
                break
    return out
