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
integer program (HiGHS) re-decides the entries of the violated aggregates, with everything else held
(any feasible point will do); if that neighbourhood has no solution the whole problem is solved. Then,
for all but very large problems, a second integer program started from that point makes as many
printed figures as it can the conventional rounding of their own exact value (a sum at exactly half a
cent prints rounded up); it is used only when solved to optimality within its time limit, so the
result does not depend on the machine's speed. If no rounding within bounds exists at all (sums that
cut the same entries three or more ways can make it so: the pairs a+b, b+c, a+c of three half-cent
entries already do), the smallest maximal deviation is taken and, at that deviation, a third integer
program puts as few printed figures as it can beyond a cent; both are reported, so the caller can warn.

All amounts are integers: entries in 分 (元 × 100), results in printed cents (分 ÷ `divisor`).
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Iterable, Sequence


@dataclass
class RoundingProblem:
    exact: Sequence[int]                      # each entry in 分 (non-negative)
    divisor: int                              # 分 per printed cent: 10000 for 万元, 1 for 元
    aggregates: Sequence[Sequence[int]]       # entry indices whose sum is printed somewhere
    fixed: dict[int, int] = field(default_factory=dict)          # aggregate index → target (printed cents)
    equal: list[tuple[int, int]] = field(default_factory=list)   # aggregate pairs that print the same
    groups: Sequence[int] | None = None       # entry → group (a unit): large problems are solved group by group
    alone: Sequence[int] = ()                 # entries printed by themselves somewhere (a figure of one entry)
    compared: Sequence[Sequence[int]] = ()    # entry sets the 说明 compares with last year's figure (see _polish)


@dataclass
class RoundingResult:
    values: list[int]          # each entry in printed cents
    deviation: int = 0         # 0 when every aggregate is within floor..ceiling; else the largest excess
    method: str = "start"      # "exact" | "start" | "groups" | "neighbourhood" | "full" | "relaxed" | "best found"
    seconds: float = 0.0
    beyond: int = 0            # aggregates printed farther than a cent from their exact value
    impossible: bool = False   # proved: no rounding within a cent exists (else: not found within the budget)


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
        """Top-down apportionment over a laminar family of the aggregates (sets that are nested or
        disjoint, taken greedily from the largest): every aggregate of that family — the grand totals,
        and most rows and subtotals — is within bounds by construction; the others usually are too."""
        n = len(self.floor)
        parent_of = [-1] * n                  # entry → the smallest kept aggregate containing it (-1: a root)
        children: dict[int, list[int]] = {}   # kept aggregate (or -1) → kept aggregates directly inside it
        order = sorted(range(len(self.aggs)), key=lambda k: (k not in self.p.fixed, -len(self.aggs[k]), k))
        kept: list[int] = []
        for k in order:
            members = self.aggs[k]
            if len(members) < 2:
                continue
            first = parent_of[members[0]]
            if any(parent_of[i] != first for i in members):
                continue                      # crosses a kept set: not laminar with the family
            if first != -1 and len(self.aggs[first]) == len(members):
                continue                      # the same set again
            for i in members:
                parent_of[i] = k
            children.setdefault(first, []).append(k)
            kept.append(k)
        inside: dict[int, list[int]] = {}     # kept aggregate (or -1) → entries directly inside it
        for i in range(n):
            inside.setdefault(parent_of[i], []).append(i)
        up = [0] * n

        def exact(k: int) -> int:
            return self.exact_sum[k]

        def apportion(node: int, target: int) -> None:
            """Give `target` cents to the node's children (kept sets) and entries, each floor or ceiling."""
            parts: list[tuple[int, int, int]] = []   # (kind 0 set / 1 entry, id, exact 分)
            parts += [(0, c, exact(c)) for c in children.get(node, [])]
            parts += [(1, i, self.p.exact[i]) for i in inside.get(node, [])]
            floors = [x // self.d for _, _, x in parts]
            need = target - sum(floors)
            order_ = sorted(range(len(parts)), key=lambda j: (-(parts[j][2] % self.d), j))
            extra = {j for j in order_[:max(need, 0)] if parts[j][2] % self.d}
            for j, (kind, ident, _) in enumerate(parts):
                t = floors[j] + (1 if j in extra else 0)
                if kind == 0:
                    apportion(ident, t)
                else:
                    up[ident] = t - self.floor[ident]

        roots = children.get(-1, [])
        for k in roots:
            apportion(k, self.lo[k] if k in self.p.fixed else half_up(exact(k), self.d))
        for i in inside.get(-1, []):           # entries in no aggregate at all: nearest rounding
            up[i] = 1 if 2 * self.rem[i] >= self.d and self.rem[i] else 0
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


GROUPS_FROM = 3000  # entries: from this size a problem is first solved unit by unit


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


def _solve_ip(st: _State, up: list[int], free: list[int], relax: bool, *, skip: frozenset[int] = frozenset(),
              extra: list[tuple[Sequence[int], int, int]] = (), seconds: float = 60.0,
              cost: dict[int, int] | None = None, each: int = 0,
              equal: Sequence[tuple[Sequence[int], Sequence[int]]] = (), soft: frozenset[int] = frozenset()) -> list[int] | None:
    """Re-decide the entries in `free` (others held at `up`); None when infeasible.

    The rows are the aggregates touching a free entry (but those in `skip`), the equal pairs (the
    problem's aggregates, and `equal`: pairs of entry sets), and `extra` rows (entries, lo, hi) in
    printed cents. A feasible point is wanted, not an optimum: every feasible point satisfies the guarantee, and feasibility is found far faster. With `relax`,
    bounds may be exceeded by a common slack z ≥ 0 that is minimised (fixed and equal aggregates stay
    exact). With `each` > 0, each aggregate's bounds may be exceeded by up to `each` at the price of an
    indicator of its own, and the number of aggregates beyond their bounds is minimised. With `cost`
    (entry → coefficient), the objective is minimised from `up` as the starting point. With `soft` (aggregates, fixed
    ones too), each of those may go beyond its bounds by a slack of its own, and the sum of those slacks is minimised.
    In all, only an optimum counts (a point cut short by the time limit would differ by machine)."""
    import highspy

    col = {i: n for n, i in enumerate(free)}
    slack: list[tuple[float, float]] = [(float(len(free) + 1), 1.0)] if relax else []   # (upper, cost) per column after the entries
    touched = sorted({k for i in free for k in st.members.get(i, ())} - skip)

    def row(entries: Sequence[int], lo: int, hi: int, fixed: bool, own: bool = False) -> None:
        held = sum(st.floor[i] + (0 if i in col else up[i]) for i in entries)
        coef = {col[i]: 1 for i in entries if i in col}
        if not coef:
            return
        if own or ((relax or each) and not fixed):
            if each or own:
                slack.append((1.0, 1.0) if each else (float(len(entries)), 1.0))
            z, width = len(free) + len(slack) - 1, each or 1
            rows.append(({**coef, z: width}, lo - held, highspy.kHighsInf))
            rows.append(({**coef, z: -width}, -highspy.kHighsInf, hi - held))
        else:
            rows.append((coef, lo - held, hi - held))

    rows: list[tuple[dict[int, int], float, float]] = []
    for k in touched:
        row(st.aggs[k], st.lo[k], st.hi[k], k in st.p.fixed, k in soft)
    for entries, lo, hi in extra:
        row(entries, lo, hi, True)
    pairs = [(st.aggs[a], st.aggs[b]) for a, b in st.p.equal if a in touched or b in touched]
    pairs += [(a, b) for a, b in equal if any(i in col for i in (*a, *b))]
    for a, b in pairs:
        coef: dict[int, int] = {}
        const = 0
        for side, entries in ((1, a), (-1, b)):
            for i in entries:
                const += side * st.floor[i]
                if i in col:
                    coef[col[i]] = coef.get(col[i], 0) + side
                else:
                    const += side * up[i]
        rows.append((coef, -const, -const))

    n = len(free) + len(slack)
    h = _highs()
    h.setOptionValue("time_limit", float(seconds))
    lp = highspy.HighsLp()
    lp.num_col_ = n
    lp.num_row_ = len(rows)
    lp.col_cost_ = [float((cost or {}).get(i, 0)) for i in free] + [c for _, c in slack]
    lp.col_lower_ = [0.0] * n
    lp.col_upper_ = [1.0] * len(free) + [u for u, _ in slack]
    lp.row_lower_ = [float(lo) for _, lo, _ in rows]
    lp.row_upper_ = [float(hi) for _, _, hi in rows]
    by_col: list[list[tuple[int, int]]] = [[] for _ in range(n)]
    for r, (coef, _, _) in enumerate(rows):
        for c, v in coef.items():
            if v:
                by_col[c].append((r, v))
    start, index, value = [0], [], []
    for entries_ in by_col:
        for r, v in entries_:
            index.append(r)
            value.append(float(v))
        start.append(len(index))
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = start
    lp.a_matrix_.index_ = index
    lp.a_matrix_.value_ = value
    lp.integrality_ = [highspy.HighsVarType.kInteger] * n
    h.passModel(lp)
    if cost is not None:
        hint = highspy.HighsSolution()
        hint.col_value = [float(up[i]) for i in free]
        hint.value_valid = True
        h.setSolution(hint)
    h.run()
    status = h.getModelStatus()
    if status == highspy.HighsModelStatus.kInfeasible:
        st.proved_infeasible = True
    if status != highspy.HighsModelStatus.kOptimal and not (relax and not each and h.getInfo().primal_solution_status == 2):
        return None
    x = h.getSolution().col_value
    out = list(up)
    for i, c in col.items():
        out[i] = int(round(x[c]))
    return out


def _units(st: _State, group: Sequence[int]) -> tuple[dict[int, dict[int, list[int]]], dict[int, list[int]]]:
    """The sums across units (aggregate → unit → its entries there), and each unit's entries with a remainder."""
    parts: dict[int, dict[int, list[int]]] = {}
    for k, a in enumerate(st.aggs):
        by: dict[int, list[int]] = {}
        for i in a:
            by.setdefault(group[i], []).append(i)
        if len(by) > 1:
            parts[k] = by
    members: dict[int, list[int]] = {}
    for i, g in enumerate(group):
        if st.rem[i]:
            members.setdefault(g, []).append(i)
    return parts, members


def _by_groups(st: _State, up: list[int], parts: dict[int, dict[int, list[int]]],
               members: dict[int, list[int]]) -> list[int] | None:
    """Large problems, unit by unit first (`_units`). Most printed sums lie inside one unit (its rows and
    subtotals): each unit is solved alone for those, with each of its parts of a cross-unit sum held
    within a cent of the part's exact value. The cross-unit sums still out of bounds are left to
    `_across_units`. Returns None when a unit has no solution."""
    natural: dict[int, list[tuple[Sequence[int], int, int]]] = {}
    for by in parts.values():
        for g, entries in by.items():
            if len(entries) > 1:
                natural.setdefault(g, []).append((entries, *bounds(sum(st.p.exact[i] for i in entries), st.d)))
    skip = frozenset(parts)
    out = list(up)
    for g, free in members.items():
        found = _solve_ip(st, out, free, relax=False, skip=skip, extra=natural.get(g, []), seconds=10.0)
        if found is None:
            return None
        out = found
    return out


def controlled_round(p: RoundingProblem, budget: float = 40.0) -> RoundingResult:
    """See the module docstring. `budget` bounds the time spent in integer programs (seconds); a large
    problem that is not solved within it keeps the best rounding found, and says so."""
    t0 = time.perf_counter()
    st = _State(p)
    if p.divisor == 1 or not any(st.rem):
        return RoundingResult(list(st.floor), 0, "exact", time.perf_counter() - t0)
    up = st.start()
    method = "start"
    if st.violations(up) and p.groups is not None and len(set(p.groups)) > 1 and len(p.exact) > GROUPS_FROM:
        parts, members = _units(st, p.groups)
        found = _by_groups(st, up, parts, members)
        if found is not None:
            up, method = _across_units(st, found, frozenset(parts), members) if st.violations(found) else found, "groups"
    best = up

    def left() -> float:
        return max(1.0, budget - (time.perf_counter() - t0))

    grouped = method == "groups"
    if st.violations(up):
        free = sorted({i for k in st.violations(up) for i in st.aggs[k] if st.rem[i]})
        found, method = _solve_ip(st, up, free, relax=False, seconds=left() / 3), "neighbourhood"
        if found is None:
            st.proved_infeasible = False    # a neighbourhood without a solution proves nothing of the whole
        every = [i for i, r in enumerate(st.rem) if r]
        if found is None and (not grouped or len(every) <= FULL_UP_TO):
            found, method = _solve_ip(st, up, every, relax=False, seconds=left() / 2), "full"
            if found is None:
                found, method = _solve_ip(st, up, every, relax=True, seconds=left()), "relaxed"
                if found is not None:   # as few figures beyond a cent as that deviation allows
                    fewer = _solve_ip(st, found, every, relax=False, seconds=min(FEWEST_SECONDS, left()),
                                      each=_deviation(st, found)[0])
                    if fewer is not None and _deviation(st, fewer)[1] < _deviation(st, found)[1]:
                        found = fewer
        if found is not None and _deviation(st, found)[0] <= _deviation(st, best)[0]:
            best = found
        elif found is None:
            method = "best found"
    if method != "best found" and not _deviation(st, best)[0]:
        polished = _polish(st, best, min(POLISH_SECONDS, left()))
        if polished is not None:
            best = polished
    deviation, count = _deviation(st, best)
    values = [f + u for f, u in zip(st.floor, best)]
    return RoundingResult(values, deviation, method, time.perf_counter() - t0, count,
                          bool(deviation) and getattr(st, "proved_infeasible", False))


ACROSS_PASSES = 5      # rounds of `_across_units` over every unit
ACROSS_SECONDS = 5.0   # one unit's program in it (a unit's takes 0.02–0.1 s)


def _across_units(st: _State, up: list[int], across: frozenset[int], members: dict[int, list[int]],
                  passes: int = ACROSS_PASSES) -> list[int]:
    """Large problems after `_by_groups`: the sums `across` units it leaves out of bounds (each unit's part of a
    function's total within a cent of its own exact value, the parts' cents adding up — about 100 sums at 4,000
    items) mended unit by unit. Each unit in turn is solved again with every other held: its own sums stay within
    bounds, the sums across units (a grand total too: the units' parts can leave it a few cents off) may go beyond
    theirs, and the total by which they do is minimised — a unit moves a cent from one of its parts to another, or
    rounds its own total the other way, where that brings the sums in. A unit's new rounding is taken only when the
    total excess does not grow. The integer program over every entry that mended them instead took 7 of 8 seconds at
    4,000 items, 40 at 8,000, and ran out of time at 20,000, leaving 196 sums up to 14 cents off (138, 8 cents at
    8,000). What is still out of bounds after `passes` rounds, or a round that mends nothing, goes to the caller (at
    8,000 items 3 sums of 138). The work is bounded by rounds, not by the clock: the figures do not depend on the
    machine's speed."""
    out, current = list(up), _excess(st, up)
    for _ in range(passes):
        before = current
        for free in members.values() if current else ():
            found = _solve_ip(st, out, free, relax=False, soft=across, seconds=ACROSS_SECONDS)
            if found is not None and (excess := _excess(st, found)) <= current:
                out, current = found, excess
        if current in (0, before):
            break
    return out


def _excess(st: _State, up: list[int]) -> int:
    """By how many cents, in all, printed sums lie beyond their bounds and pairs that must print equal print apart."""
    sums = st.sums(up)
    return sum(_beyond(st, sums)) + sum(abs(sums[a] - sums[b]) for a, b in st.p.equal)


def _beyond(st: _State, sums: list[int]) -> list[int]:
    """How far each printed sum lies beyond its floor..ceiling (0 within)."""
    return [max(st.lo[k] - s, s - st.hi[k], 0) for k, s in enumerate(sums)]


FULL_UP_TO = 5000      # entries with a remainder: a larger grouped problem is not given to one program over every
                       # entry (at 8,000 items it ran out of its time and found nothing better than `_across_units`)
POLISH_UP_TO = 1000    # entries with a remainder: up to this size (≈ 0.5 s) the rounding is also made conventional
POLISH_SECONDS = 2.0   # where it can
FEWEST_SECONDS = 5.0   # when no rounding within a cent exists: time to make the figures beyond as few as it can


def _misses(st: _State, up: list[int], among: set[tuple[int, ...]] | None = None) -> int:
    """Printed figures (aggregates and entries; only those `among` when given) that differ from rounding their
    exact value alone."""
    sums = st.sums(up)
    missed = sum(1 for k, s in enumerate(sums)
                 if (among is None or st.aggs[k] in among) and s != half_up(st.exact_sum[k], st.d))
    return missed + sum(1 for i, u in enumerate(up)
                        if (among is None or (i,) in among) and st.floor[i] + u != half_up(st.p.exact[i], st.d))


def _polish(st: _State, up: list[int], seconds: float) -> list[int] | None:
    """Among the roundings that keep every guarantee, one where as many printed figures as possible
    are the conventional rounding of their exact value, as a reader checking one figure against its
    元 amount expects (a sum at exactly half a cent prints rounded up, not down). The choice of a sum
    is linear in its entries — floor or ceiling — so this is one integer program with the feasible
    point as its start; None when it is not solved within `seconds` or finds nothing better. Figures
    equal in 元 printing equal comes first (see below), then the conventional rounding."""
    free = [i for i, r in enumerate(st.rem) if r]
    if not free or len(free) > POLISH_UP_TO:
        return None
    # A figure the 说明 compares with last year's comes first: last year's is taken rounded half up, and so
    # was it printed last year when it was compared there too — an amount unchanged in 元 printed 5.56 one
    # year and 5.57 the next, “与上年持平” (a trial's two packages side by side). Its weight outranks all others.
    compared = {tuple(sorted(set(c))) for c in st.p.compared}
    heavy = len(st.aggs) + len(free) + 1
    cost: dict[int, int] = {}
    for k, a in enumerate(st.aggs):
        if st.lo[k] == st.hi[k]:
            continue
        sign = -1 if half_up(st.exact_sum[k], st.d) == st.hi[k] else 1   # distance = hi − s or s − lo
        sign *= heavy if a in compared else 1
        for i in a:
            if st.rem[i]:
                cost[i] = cost.get(i, 0) + sign
    for i in free:
        cost[i] = cost.get(i, 0) + (-1 if half_up(st.p.exact[i], st.d) > st.floor[i] else 1) * (heavy if (i,) in compared else 1)
    # Figures equal in 元 print equal where the sums allow it, though made of different entries (a
    # project and its one purchase on 表12, a fund's only line and an item): a reader takes them for one
    # figure. Only when that cannot be is each left to its own conventional rounding.
    twins = _equal_valued(st)
    found = _solve_ip(st, up, free, relax=False, seconds=seconds, cost=cost, equal=twins) if twins else None
    if found is None:
        found = _solve_ip(st, up, free, relax=False, seconds=seconds, cost=cost)
    if found is None or st.violations(found):
        return None
    def rank(ups: list[int]) -> tuple[int, int, int]:
        return _split(st, ups, twins), _misses(st, ups, compared), _misses(st, ups)

    return found if rank(found) < rank(up) else None


def _equal_valued(st: _State) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    """Pairs (a chain per value) of printed figures — sums and entries printed alone — with the same
    exact amount that could print apart."""
    by_value: dict[int, list[tuple[int, ...]]] = {}
    for k, s in enumerate(st.exact_sum):
        if st.lo[k] != st.hi[k]:
            by_value.setdefault(s, []).append(st.aggs[k])
    for i in sorted(set(st.p.alone)):
        if st.rem[i]:
            by_value.setdefault(st.p.exact[i], []).append((i,))
    return [(fs[j], fs[j + 1]) for fs in by_value.values() for j in range(len(fs) - 1)]


def _split(st: _State, up: list[int], pairs: Sequence[tuple[Sequence[int], Sequence[int]]]) -> int:
    """How many of the pairs print apart."""
    def printed(entries: Sequence[int]) -> int:
        return sum(st.floor[i] + up[i] for i in entries)
    return sum(1 for a, b in pairs if printed(a) != printed(b))


def _deviation(st: _State, up: list[int]) -> tuple[int, int]:
    """(largest excess beyond floor..ceiling, number of aggregates beyond) of an assignment."""
    excess = _beyond(st, st.sums(up))
    return max([0] + excess), sum(1 for e in excess if e)


def dedupe(aggregates: Iterable[Iterable[int]]) -> tuple[list[tuple[int, ...]], dict[tuple[int, ...], int]]:
    """Distinct aggregates (as sorted tuples) and the index of each."""
    index: dict[tuple[int, ...], int] = {}
    for a in aggregates:
        key = tuple(sorted(set(a)))
        if key and key not in index:
            index[key] = len(index)
    return list(index), index


__all__ = ["RoundingProblem", "RoundingResult", "controlled_round", "half_up", "bounds", "dedupe"]
