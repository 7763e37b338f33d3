"""Controlled rounding: printed 万元 figures that add up, each within a cent of its exact value.

Rounding every printed cell by itself makes details miss their totals (the Henan and Hubei references
print 165.41 of items under a total of 165.42). Rounding line items once and summing them makes every
table add up, but lets a sum drift: ten items each rounded up by 0.004 print a subtotal 0.04 above its
exact value. The package needs both properties at once (issue 9):

- every printed figure is the sum of its rounded entries, so every table adds up and one concept (the
  same set of entries) prints one value everywhere;
- every printed figure lies between the floor and the ceiling of its exact value (to the cent);
- fixed figures (the grand totals) are the conventional round-half-up of their exact value;
- some pairs of figures that are equal in 元 but made of different entries (a task table's total and
  the spending total) print equal.

Each entry is rounded down or up (a 0/1 choice) — controlled rounding (Cox & Ernst 1982). We start
from the natural choice (largest remainders inside each fixed total, nearest rounding elsewhere) and
check every aggregate; almost always that is the answer. When some aggregate is out of bounds, an
integer program (HiGHS) re-decides the entries of the violated aggregates, with everything else held,
minimising the total distance from exact rounding; if that neighbourhood has no solution the whole
problem is solved. If no rounding within bounds exists at all, the smallest maximal deviation is taken
and reported, so the caller can warn.

All amounts are integers: entries in 分 (元 × 100), results in printed cents (分 ÷ `divisor`).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Sequence


@dataclass
class RoundingProblem:
    exact: Sequence[int]                      # each entry in 分 (non-negative)
    divisor: int                              # 分 per printed cent: 10000 for 万元, 1 for 元
    aggregates: Sequence[Sequence[int]]       # entry indices whose sum is printed somewhere
    fixed: dict[int, int] = field(default_factory=dict)          # aggregate index → target (printed cents)
    equal: list[tuple[int, int]] = field(default_factory=list)   # aggregate pairs that print the same


@dataclass
class RoundingResult:
    values: list[int]          # each entry in printed cents
    deviation: int = 0         # 0 when every aggregate is within floor..ceiling; else the largest excess
    method: str = "start"      # "exact" (nothing to round) | "start" | "neighbourhood" | "full" | "relaxed"
    seconds: float = 0.0


def half_up(fen: int, divisor: int) -> int:
    """Conventional rounding of a non-negative amount in 分 to printed cents."""
    return (2 * fen + divisor) // (2 * divisor)


def bounds(fen: int, divisor: int) -> tuple[int, int]:
    return fen // divisor, -(-fen // divisor)


class _State:
    """Per-aggregate bookkeeping shared by the checks and the integer programs."""

    def __init__(self, p: RoundingProblem):
        self.p = p
        self.d = p.divisor
        self.floor = [x // self.d for x in p.exact]
        self.rem = [x % self.d for x in p.exact]
        self.aggs = [tuple(a) for a in p.aggregates]
        self.exact_sum = [sum(p.exact[i] for i in a) for a in self.aggs]
        self.floor_sum = [sum(self.floor[i] for i in a) for a in self.aggs]
        self.lo: list[int] = []
        self.hi: list[int] = []
        for k, s in enumerate(self.exact_sum):
            lo, hi = bounds(s, self.d)
            if k in p.fixed:
                lo = hi = p.fixed[k]
            self.lo.append(lo)
            self.hi.append(hi)
        self.members: dict[int, list[int]] = {}       # entry → aggregates containing it
        for k, a in enumerate(self.aggs):
            for i in a:
                self.members.setdefault(i, []).append(k)

    def start(self) -> list[int]:
        """Largest remainders inside each fixed aggregate (in index order), nearest rounding elsewhere."""
        up = [1 if 2 * r >= self.d and r else 0 for r in self.rem]
        decided: set[int] = set()
        for k in sorted(self.p.fixed):
            free = [i for i in self.aggs[k] if self.rem[i] and i not in decided]
            need = self.lo[k] - self.floor_sum[k] - sum(up[i] for i in self.aggs[k] if i in decided)
            chosen = set(sorted(free, key=lambda i: (-self.rem[i], i))[:max(need, 0)])
            for i in free:
                up[i] = 1 if i in chosen else 0
            decided.update(free)
        return up

    def sums(self, up: list[int]) -> list[int]:
        return [self.floor_sum[k] + sum(up[i] for i in a) for k, a in enumerate(self.aggs)]

    def violations(self, up: list[int]) -> list[int]:
        s = self.sums(up)
        bad = [k for k in range(len(self.aggs)) if not self.lo[k] <= s[k] <= self.hi[k]]
        for a, b in self.p.equal:
            if s[a] != s[b]:
                bad += [a, b]
        return sorted(set(bad))


def _highs():
    """A silent HiGHS instance (the library prints a banner on its first construction)."""
    import os
    import sys

    import highspy

    sys.stdout.flush()
    saved, devnull = os.dup(1), os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 1)
        h = highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(devnull)
    h.setOptionValue("output_flag", False)
    return h


def _solve_ip(st: _State, up: list[int], free: list[int], relax: bool) -> list[int] | None:
    """Re-decide the entries in `free` (others held at `up`); None when infeasible.

    With `relax`, bounds may be exceeded by a common slack z ≥ 0 that is minimised first (fixed and
    equal aggregates stay exact); otherwise the number of entries changed from the start is minimised
    (the start is nearest rounding, so the result stays as close to it as the bounds allow)."""
    import highspy

    col = {i: n for n, i in enumerate(free)}
    n = len(free) + (1 if relax else 0)
    touched = sorted({k for i in free for k in st.members.get(i, ())})
    rows: list[tuple[dict[int, int], float, float]] = []
    for k in touched:
        held = st.floor_sum[k] + sum(up[i] for i in st.aggs[k] if i not in col)
        coef = {col[i]: 1 for i in st.aggs[k] if i in col}
        lo, hi = st.lo[k] - held, st.hi[k] - held
        if relax and k not in st.p.fixed:
            rows.append(({**coef, len(free): 1}, lo, highspy.kHighsInf))
            rows.append(({**coef, len(free): -1}, -highspy.kHighsInf, hi))
        else:
            rows.append((coef, lo, hi))
    for a, b in st.p.equal:
        if a in touched or b in touched:
            coef: dict[int, int] = {}
            const = st.floor_sum[a] - st.floor_sum[b]
            for i in st.aggs[a]:
                if i in col:
                    coef[col[i]] = coef.get(col[i], 0) + 1
                else:
                    const += up[i]
            for i in st.aggs[b]:
                if i in col:
                    coef[col[i]] = coef.get(col[i], 0) - 1
                else:
                    const -= up[i]
            rows.append((coef, -const, -const))

    h = _highs()
    h.setOptionValue("time_limit", 60.0)
    lp = highspy.HighsLp()
    lp.num_col_ = n
    lp.num_row_ = len(rows)
    big = len(free) + 1
    costs = [(-1.0 if up[i] else 1.0) for i in free] + ([float(big)] if relax else [])   # fewest changes
    lp.col_cost_ = costs
    lp.col_lower_ = [0.0] * n
    lp.col_upper_ = [1.0] * len(free) + ([float(len(free) + 1)] if relax else [])
    lp.row_lower_ = [float(lo) for _, lo, _ in rows]
    lp.row_upper_ = [float(hi) for _, _, hi in rows]
    by_col: list[list[tuple[int, int]]] = [[] for _ in range(n)]
    for r, (coef, _, _) in enumerate(rows):
        for c, v in coef.items():
            if v:
                by_col[c].append((r, v))
    start, index, value = [0], [], []
    for entries in by_col:
        for r, v in entries:
            index.append(r)
            value.append(float(v))
        start.append(len(index))
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = start
    lp.a_matrix_.index_ = index
    lp.a_matrix_.value_ = value
    lp.integrality_ = [highspy.HighsVarType.kInteger] * n
    h.passModel(lp)
    h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return None
    x = h.getSolution().col_value
    out = list(up)
    for i, c in col.items():
        out[i] = int(round(x[c]))
    return out


def controlled_round(p: RoundingProblem) -> RoundingResult:
    import time

    t0 = time.perf_counter()
    st = _State(p)
    if p.divisor == 1 or not any(st.rem):
        return RoundingResult(list(st.floor), 0, "exact", time.perf_counter() - t0)
    up = st.start()
    bad = st.violations(up)
    method = "start"
    if bad:
        free = sorted({i for k in bad for i in st.aggs[k] if st.rem[i]})
        found = _solve_ip(st, up, free, relax=False)
        method = "neighbourhood"
        if found is None:
            free = [i for i, r in enumerate(st.rem) if r]
            found = _solve_ip(st, up, free, relax=False)
            method = "full"
        if found is None:
            found = _solve_ip(st, up, free, relax=True)
            method = "relaxed"
        if found is None:   # even fixed/equal totals cannot hold: keep the start (never expected)
            found = up
        up = found
    values = [f + u for f, u in zip(st.floor, up)]
    sums = st.sums(up)
    deviation = max([0] + [max(st.lo[k] - s, s - st.hi[k], 0) for k, s in enumerate(sums)])
    return RoundingResult(values, deviation, method, time.perf_counter() - t0)


def dedupe(aggregates: Iterable[Iterable[int]]) -> tuple[list[tuple[int, ...]], dict[tuple[int, ...], int]]:
    """Distinct aggregates (as sorted tuples) and the index of each."""
    index: dict[tuple[int, ...], int] = {}
    for a in aggregates:
        key = tuple(sorted(set(a)))
        if key and key not in index:
            index[key] = len(index)
    return list(index), index


__all__ = ["RoundingProblem", "RoundingResult", "controlled_round", "half_up", "bounds", "dedupe"]
