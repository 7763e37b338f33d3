"""万元 rounding: every printed table adds up, and a figure printed twice prints the same.

Property-based: random line items (元 with cents) → the Shaanxi tables in 万元.
"""
from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings, strategies as st

from discloser.model import Budget
from discloser.money import ZERO, apportion, round_half_up
from discloser.package import build_tables
from discloser.facts import derive
from discloser.profile import load_profile

PERSONNEL = [("2080505", "30108"), ("2080506", "30109"), ("2101101", "30110"), ("2101506", "30101"), ("2210201", "30113"), ("2101103", "30399")]
PUBLIC = [("2101506", "30201"), ("2101506", "30207"), ("2101506", "30216"), ("2101506", "30217"), ("2101501", "30211")]
PROJECT = [("2101506", "31302"), ("2101599", "30299"), ("2101599", "31302")]

cents = st.integers(min_value=1, max_value=500_000_000).map(lambda c: Decimal(c) / 100)
line = st.one_of(
    st.tuples(st.sampled_from(PERSONNEL), st.just("人员经费"), cents),
    st.tuples(st.sampled_from(PUBLIC), st.just("公用经费"), cents),
    st.tuples(st.sampled_from(PROJECT), st.just("项目支出"), cents),
)


def budget(lines) -> Budget:
    exps = [{"function": f, "economic": e, "kind": k, "amount": a, **({"project": f"项目{n % 3}"} if k == "项目支出" else {})}
            for n, ((f, e), k, a) in enumerate(lines)]
    total = sum((a for _, _, a in lines), ZERO)
    return Budget.model_validate({
        "year": 2024, "organization": {"name": "测试单位", "code": "001", "kind": "行政单位"},
        "revenues": [{"source": "一般公共预算拨款", "amount": total}],
        "expenditures": exps, "projects": [{"name": f"项目{i}"} for i in range(3)],
    })


def v(cell) -> Decimal:
    return cell.value or ZERO


def money_columns(t):
    return [i for i, c in enumerate(t.columns) if c.kind.value == "money"]


def check_hierarchy(t, code_lengths):
    """Every row's parent equals the sum of its children, column by column; 合计 = Σ top level."""
    if t.empty:
        return
    cols = money_columns(t)
    rows = [r for r in t.body if r.cells[0].text]
    total = t.body[0]
    for i in cols:
        top = [r for r in rows if len(r.cells[0].text) == code_lengths[0]]
        assert v(total.cells[i]) == sum((v(r.cells[i]) for r in top), ZERO)
        for parent_len, child_len in zip(code_lengths, code_lengths[1:]):
            for p in (r for r in rows if len(r.cells[0].text) == parent_len):
                kids = [r for r in rows if len(r.cells[0].text) == child_len and r.cells[0].text.startswith(p.cells[0].text)]
                assert v(p.cells[i]) == sum((v(k.cells[i]) for k in kids), ZERO), (t.number, p.cells[0].text)


@settings(max_examples=60, deadline=None)
@given(st.lists(line, min_size=1, max_size=40))
def test_wan_tables_add_up_and_agree(lines):
    b = budget(lines)
    profile = load_profile("shaanxi").model_copy(update={"unit": "wan"})
    facts = derive(b, "wan")
    tables = {t.number: t for t in build_tables(facts, profile)}
    exact_total = sum((e.amount for e in b.expenditures), ZERO)
    printed_total = round_half_up(exact_total / 10000)

    t5, t6, t7, t8 = tables["表5"], tables["表6"], tables["表7"], tables["表8"]
    for t in (t5, t7):
        check_hierarchy(t, (3, 5, 7))
    for t in (t6, t8):
        check_hierarchy(t, (3, 5))
    # 合计 column = 人员 + 公用 (+ 项目) on every row
    for t, parts in ((t5, (3, 4, 5)), (t7, (3, 4)), (t6, (5, 6, 7)), (t8, (5, 6))):
        total_col = parts[0] - 1
        for r in t.body:
            assert v(r.cells[total_col]) == sum((v(r.cells[i]) for i in parts), ZERO)
    # the same figure wherever it appears
    assert v(t5.body[0].cells[2]) == printed_total
    assert v(t6.body[0].cells[4]) == printed_total
    if not t7.empty:
        assert v(t7.body[0].cells[2]) == v(t8.body[0].cells[4])
        assert v(t5.body[0].cells[3]) == v(t6.body[0].cells[5]) == v(t7.body[0].cells[3])
    t4 = {r.cells[0].text: r for r in tables["表4"].body}
    assert v(t4["收入总计"].cells[1]) == printed_total
    assert all(v(t4["收入总计"].cells[i]) == printed_total for i in (3, 5, 7))   # the 支出总计 figures
    fn_block = [r.cells[3] for r in tables["表4"].body[1:] if r.cells[2].text[:1].isdigit()]
    assert sum((v(c) for c in fn_block), ZERO) == printed_total
    projects_total = v(tables["表10"].body[0].cells[2]) if not tables["表10"].empty else ZERO
    assert projects_total == v(t5.body[0].cells[5])


@given(st.lists(cents, min_size=1, max_size=50))
def test_apportion_hits_rounded_total_and_stays_within_a_cent(amounts):
    out = apportion(amounts, Decimal(10000))
    assert sum(out, ZERO) == round_half_up(sum(amounts, ZERO) / 10000)
    for a, o in zip(amounts, out):
        assert abs(o - a / 10000) < Decimal("0.01")


def test_henan_style_rounding_failure_cannot_happen():
    """Three items whose independent rounding misses the total (0.005 each → 0.01 × 3 vs 0.02)."""
    items = [Decimal("50"), Decimal("50"), Decimal("50")]   # 0.005 万元 each, total 0.015 → 0.02
    naive = [round_half_up(a / 10000) for a in items]
    assert sum(naive, ZERO) == Decimal("0.03")              # what per-cell rounding prints
    assert sum(apportion(items, Decimal(10000)), ZERO) == Decimal("0.02")
