"""The written package read back by the oracle: every example built with `discloser build` and every
shipped profile, and a few generated departments built with `discloser.build.build`; every money
cell of the workbook and the figures of the PDF text are checked against the same independent
computation as the in-memory Document (tests/test_oracle.py, tests/test_generated.py).
"""
from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, Phase, given, settings

from discloser.build import build
from discloser.package import build_document
from discloser.profile import available_profiles, load_profile
from discloser.validate import load
from helpers import PROFILE_FACTS
from oracle import check_pdf, check_workbook, pdf_text, summarize
from oracle.grid import from_table
from oracle.check import profile_in_wan
from oracle.inputs import read, read_yaml
from oracle.narrative import NarrativeChecker
from oracle.tables import Ctx
from strategies import departments, to_yaml

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
PROFILES = available_profiles()


def _read_back(data: dict, budget, profile: str, folder: Path) -> list:
    """Oracle findings on the .xlsx and the PDF written into `folder`."""
    doc = build_document(budget, load_profile(profile))
    (xlsx,) = folder.glob("*.xlsx")
    (pdf,) = folder.glob("*.pdf")
    findings = check_workbook(data, xlsx, [t.key for t in doc.tables], profile)
    findings += check_pdf(pdf_text(pdf), doc, [from_table(t, i) for i, t in enumerate(doc.tables)])
    # the PDF's 说明 is the Document's paragraph for paragraph (check_pdf): read its figures by concept
    narrative = NarrativeChecker(Ctx(read(data), profile), wan=profile_in_wan(profile))
    narrative.check(doc.sections)
    return findings + narrative.findings


def _own_profile(example: Path) -> str:
    return yaml.safe_load(example.read_text(encoding="utf-8")).get("profile") or "national"


# Written files are slow to make (a PDF each), so each example is read back with its own profile and every
# profile with the small example written for the oracle (the one-unit office); tests/test_oracle.py checks
# every pair in memory.
OFFICE = ROOT / "examples" / "anping-gazetteer-office-2025.yaml"
# A pair refused for a fact the profile needs, one per kind of fact: the refusal writes nothing.
REFUSED = [(ROOT / "examples" / "gansu-hezheng-2025.yaml", "national"),         # needs.missing: 主要职责
           (ROOT / "examples" / "jiangxi-chaisang-2025.yaml", "shaanxi")]       # perf.tasks-total too: one 预算金额 per task
WRITTEN = sorted(({(e, _own_profile(e)) for e in EXAMPLES} | {(OFFICE, p) for p in PROFILES}) - set(REFUSED),
                 key=lambda pair: (pair[0].stem, pair[1]))


@pytest.mark.parametrize("example,profile", WRITTEN + REFUSED, ids=lambda x: x.stem if isinstance(x, Path) else x)
def test_example_builds_with_every_profile_and_reads_back_right(example, profile, tmp_path):
    """Every example builds with every profile — except where the profile needs a fact the example (a
    transcription of another province's document) does not have: then validation names exactly that
    fact, and nothing is written. The two examples written for this test have every fact and build with
    every profile."""
    r = subprocess.run([sys.executable, "-m", "discloser.cli", "build", str(example), "-o", str(tmp_path),
                        "--profile", profile], capture_output=True, text=True)
    if r.returncode:
        refused = load(example, profile)
        allowed = set() if example.stem.startswith("anping") else PROFILE_FACTS
        assert refused.errors and {p.rule for p in refused.errors} <= allowed, r.stderr
        assert list(tmp_path.iterdir()) == []
        assert (example, profile) in REFUSED, f"{example.name} × {profile} is refused"
        return
    assert (example, profile) not in REFUSED, f"{example.name} × {profile} should be refused"
    assert r.returncode == 0, r.stderr
    assert sorted(p.suffix for p in tmp_path.iterdir()) == [".docx", ".pdf", ".xlsx"]
    result = load(example, profile)
    findings = _read_back(read_yaml(example), result.budget, profile, tmp_path)
    assert not findings, f"{example.name} × {profile}: " + summarize(findings, 12)


@settings(max_examples=4, derandomize=True, deadline=None, database=None, phases=(Phase.generate,),
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture])
@given(data=departments(PROFILES))
def test_generated_departments_read_back_right_from_xlsx_and_pdf(tmp_path, data):
    profile = data["profile"]
    folder = Path(tempfile.mkdtemp(prefix=f"{profile}-", dir=tmp_path))   # hypothesis reuses tmp_path
    source = folder / "in.yaml"
    source.write_text(to_yaml(data), encoding="utf-8")
    try:
        result = build(source, folder / "out", ("xlsx", "pdf"), profile=profile)
    except Exception as e:
        raise AssertionError(f"build with {profile} crashed: {e!r}\n{to_yaml(data)}") from e
    assert not result.refused, [p.format() for p in result.loaded.errors]
    findings = _read_back(data, result.loaded.budget, profile, folder / "out")
    assert not findings, f"{profile}: " + summarize(findings) + "\n--- department:\n" + to_yaml(data)


# ------------------------------------------------------------------ the read-back itself can fail

@pytest.fixture(scope="module")
def henan_build(tmp_path_factory):
    folder = tmp_path_factory.mktemp("henan")
    example = ROOT / "examples" / "henan-shilong-2023.yaml"
    result = build(example, folder, ("xlsx", "pdf"), profile="henan")
    assert not result.refused
    doc = build_document(result.loaded.budget, load_profile("henan"))
    return read_yaml(example), doc, folder


def test_a_tampered_workbook_cell_is_found(henan_build, tmp_path):
    from openpyxl import load_workbook

    data, doc, folder = henan_build
    (xlsx,) = folder.glob("*.xlsx")
    keys = [t.key for t in doc.tables]
    baseline = {str(f) for f in check_workbook(data, xlsx, keys, "henan")}
    wb = load_workbook(xlsx)
    ws = wb["表5"]
    cell = next(c for row in ws.iter_rows() for c in row if c.style == "dc_money" and isinstance(c.value, (int, float)) and c.value)
    cell.value = round(cell.value + 0.01, 2)
    tampered = tmp_path / "tampered.xlsx"
    wb.save(tampered)
    new = [f for f in check_workbook(data, tampered, keys, "henan") if str(f) not in baseline]
    assert new and all(f.where.startswith("xlsx:表5") or f.where == "同一概念" for f in new), summarize(new)


def test_a_changed_pdf_figure_or_paragraph_is_found(henan_build):
    data, doc, folder = henan_build
    (pdf,) = folder.glob("*.pdf")
    grids = [from_table(t, i) for i, t in enumerate(doc.tables)]
    text = pdf_text(pdf)
    assert not check_pdf(text, doc, grids)
    assert "165.42" in text
    changed = check_pdf(text.replace("165.42", "165.43"), doc, grids)
    assert any(f.where.startswith("pdf 表") for f in changed) and any(f.where == "pdf 说明" for f in changed), summarize(changed)
