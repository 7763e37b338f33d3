"""Generated departments (tests/strategies.py), each built with every shipped profile and read back
by the independent oracle (tests/oracle/).

These tests are the specification of issue 9: every printed figure is its exact 元 figure (元
profiles) or that figure rounded down or up to the cent of 万元, the grand totals conventionally
rounded; every table adds up; one concept prints one value in every table and in the 说明;
政府经济分类 follows the unit kind; 结转下年 is printed and counted; empty tables say so; missing
data is never printed as a fact; the 说明 pairs each figure, change and share with its concept.

Reproducible in CI: derandomized; no shrinking by default (a failing department is printed whole,
with every finding grouped by defect class). Set DISCLOSER_ORACLE_SHRINK=1 to let hypothesis look
for the smallest failing department, DISCLOSER_ORACLE_EXAMPLES=N for a longer run.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from discloser.package import build_document
from discloser.profile import available_profiles, load_profile
from discloser.validate import load
from helpers import PROFILE_FACTS, examples
from oracle import check_document, summarize
from oracle.inputs import read
from strategies import departments, to_yaml

PROFILES = available_profiles()
EXAMPLES = int(os.environ.get("DISCLOSER_ORACLE_EXAMPLES", examples(60)))
PHASES = (Phase.explicit, Phase.generate) + ((Phase.shrink,) if os.environ.get("DISCLOSER_ORACLE_SHRINK") else ())
SETTINGS = settings(max_examples=EXAMPLES, derandomize=True, deadline=None, phases=PHASES, print_blob=False, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example])


def loaded(data: dict, tmp: Path):
    """Validate the department as a file; a crash is returned (it is a product defect, reported with the department)."""
    path = tmp / "dept.yaml"
    path.write_text(to_yaml(data), encoding="utf-8")
    try:
        return load(path)
    except Exception as e:
        return e


@pytest.fixture(scope="module")
def tmp(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("generated")


@SETTINGS
@given(departments(PROFILES))
def test_generated_departments_are_valid_input(tmp, data):
    """Balanced by construction — and the oracle agrees (it refuses unbalanced input itself)."""
    read(data)
    result = loaded(data, tmp)
    assert not isinstance(result, Exception), f"validation crashed: {result!r}\n{to_yaml(data)}"
    assert not result.errors, "\n".join(p.format() for p in result.errors) + "\n" + to_yaml(data)


@SETTINGS
@given(data=departments(PROFILES))
def test_generated_departments_agree_with_the_oracle_in_every_profile(tmp, data):
    """Each department is validated and built with every shipped profile (and any profile added later:
    `available_profiles()`); a profile may refuse it only for a fact it needs that the department does not
    give (tests/helpers.py PROFILE_FACTS). The findings of all profiles are reported together."""
    path = tmp / "dept.yaml"
    path.write_text(to_yaml(data), encoding="utf-8")
    report = []
    built = 0
    for profile in PROFILES:
        try:
            result = load(path, profile)
        except Exception as e:
            report.append(f"profile {profile}: validation crashed: {e!r}")
            continue
        if result.errors:
            other = [p.format() for p in result.errors if p.rule not in PROFILE_FACTS]
            if other or profile == data["profile"]:
                report.append(f"profile {profile}: refused\n" + "\n".join(p.format() for p in result.errors))
            continue
        try:
            doc = build_document(result.budget, load_profile(profile))
        except Exception as e:
            report.append(f"profile {profile}: building crashed: {e!r}")
            continue
        built += 1
        findings = check_document(data, doc, profile)
        if findings:
            report.append(f"profile {profile}: " + summarize(findings, 4))
    assert not report, "\n".join(report) + "\n--- department:\n" + to_yaml(data)
    assert built >= len(PROFILES) - 1, f"only {built} profiles build this department"


@st.composite
def unbalanced(draw):
    """A valid department with 0.01–100 元 of one unit's revenue from one fund moved elsewhere: to another
    unit (same fund) or to another fund (same unit). The package total still balances."""
    data = draw(departments(PROFILES))
    revs = data["revenues"]
    n = draw(st.integers(0, len(revs) - 1))
    amount = draw(st.sampled_from(["0.01", "1", "100"]))
    moved = dict(revs[n])
    units = [u["code"] for u in data["organization"].get("units", [])]
    other_units = [u for u in units if u != moved.get("unit", units[0] if units else None)]
    if other_units and draw(st.booleans()):
        moved["unit"] = draw(st.sampled_from(other_units))
    else:
        moved["source"] = draw(st.sampled_from([f for f in ("一般公共预算拨款", "事业收入", "上年结转结余", "政府性基金预算拨款")
                                                if f != moved["source"]]))
    from decimal import Decimal
    old = Decimal(str(revs[n]["amount"]))
    delta = min(Decimal(amount), old)
    revs[n] = {**revs[n], "amount": f"{old - delta:.2f}"}
    moved["amount"] = f"{delta:.2f}"
    revs.append(moved)
    return data, moved


@SETTINGS
@given(unbalanced())
def test_revenue_that_does_not_balance_per_unit_and_fund_is_refused(tmp, case):
    """Issue 9, class 2: revenue = spending + 结转下年 for every unit and fund, as an error naming both sides."""
    data, moved = case
    path = tmp / "unbalanced.yaml"
    path.write_text(to_yaml(data), encoding="utf-8")
    result = load(path)
    errors = [p for p in result.errors if p.rule.startswith("balance")]
    assert errors, f"{moved['source']} of unit {moved.get('unit', '(default)')} no longer balances, but validation " \
                   f"reports no balance error:\n" + "\n".join(p.format() for p in result.problems)
    text = "\n".join(p.format() for p in errors)
    assert moved["source"] in text and ("收入" in text and "支出" in text), text
