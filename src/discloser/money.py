"""Money: exact `Decimal` amounts in 元, their display units, and rounding that adds up.

Every amount in the model is a `Decimal` in 元 with at most two decimals. Tables may be
printed in 万元; rounding each printed cell independently makes details miss their totals
by 0.01 (the Henan and Hubei references show exactly that). We therefore round **once, at
the line-item level**, with the largest-remainder method (Hamilton apportionment) so that the
rounded items add up to the correctly rounded grand total. Every printed figure is then a sum
of rounded items, so every table adds up and the same aggregate prints the same everywhere.
"""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Iterable, Sequence

ZERO = Decimal("0")
CENT = Decimal("0.01")

UNITS = {
    "yuan": (Decimal(1), "元"),
    "wan": (Decimal(10000), "万元"),
}


def unit_label(unit: str) -> str:
    return UNITS[unit][1]


def round_half_up(value: Decimal, quantum: Decimal = CENT) -> Decimal:
    return value.quantize(quantum, rounding=ROUND_HALF_UP)


def apportion(amounts: Sequence[Decimal], divisor: Decimal, quantum: Decimal = CENT) -> list[Decimal]:
    """Divide each amount by `divisor` and round so the results sum to the rounded total.

    Largest-remainder method: floor every share to the quantum, then hand the missing
    quanta to the shares with the largest remainders (ties broken by position, so the
    result is deterministic). Signs are handled by apportioning magnitudes per sign.
    """
    if divisor == 1 and all(a == round_half_up(a, quantum) for a in amounts):
        return [round_half_up(a, quantum) for a in amounts]
    result = [ZERO] * len(amounts)
    for sign in (1, -1):
        idx = [i for i, a in enumerate(amounts) if (a > 0 if sign == 1 else a < 0)]
        if not idx:
            continue
        exact = [abs(amounts[i]) / divisor for i in idx]
        target = round_half_up(sum(exact, ZERO), quantum)
        floors = [(e / quantum).to_integral_value(rounding="ROUND_FLOOR") * quantum for e in exact]
        missing = int(((target - sum(floors, ZERO)) / quantum).to_integral_value())
        order = sorted(range(len(idx)), key=lambda k: (-(exact[k] - floors[k]), k))
        for k in order[:missing]:
            floors[k] += quantum
        for k, i in enumerate(idx):
            result[i] = floors[k] * sign
    return result


def fmt_amount(value: Decimal | None, *, separators: bool = True, blank_zero: bool = True) -> str:
    """Table figure: two decimals, thousands separators; zero prints blank as in the references."""
    if value is None or (blank_zero and value == 0):
        return ""
    q = round_half_up(value)
    return f"{q:,.2f}" if separators else f"{q:.2f}"


def fmt_plain(value: Decimal) -> str:
    """Narrative figure: no separators; integers without decimals (\"3488570\"), else two decimals."""
    q = round_half_up(value)
    if q == q.to_integral_value():
        return f"{q.to_integral_value():f}"
    return f"{q:.2f}"


def total(values: Iterable[Decimal]) -> Decimal:
    return sum(values, ZERO)
