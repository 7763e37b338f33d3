"""Whether a 万元 package *can* print every figure within a cent — decided here, from the input.

A package that adds up prints each figure as the sum of printed values of the input's amounts (its
atoms: one concept, one value; every table adds up). When no such printing keeps every printed figure
between the floor and the ceiling of its exact value (and the grand totals at their conventional
rounding), the program must say so and may go a cent further; when one exists, the program must find
it. This module answers the question with its own integer program over the atoms and the printed
sets the oracle collected — nothing of the program's rounding is used.
"""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

FEN_PER_CENT = 10000      # 分 per printed cent of 万元


def _fen(yuan: Decimal) -> int:
    return int(yuan * 100)


def printable_within_a_cent(amounts: dict[str, Decimal], printed: list[tuple[frozenset[str], bool]]) -> bool:
    """True when some integer printed value per atom (in cents of 万元) makes every printed set (atoms,
    is it a grand total) fall within its floor..ceiling — or on its half-up value for a grand total."""
    import highspy

    atoms = sorted({a for s, _ in printed for a in s})
    col = {a: n for n, a in enumerate(atoms)}
    rows: list[tuple[list[int], float, float]] = []
    for members, grand in {(s, g) for s, g in printed if s}:
        fen = sum(_fen(amounts[a]) for a in members)
        if grand:
            lo = hi = int((Decimal(fen) / FEN_PER_CENT).quantize(Decimal(1), rounding=ROUND_HALF_UP))
        else:
            lo, hi = fen // FEN_PER_CENT, -(-fen // FEN_PER_CENT)
        rows.append((sorted(col[a] for a in members), float(lo), float(hi)))
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = len(atoms), len(rows)
    lp.col_cost_ = [0.0] * len(atoms)
    lp.col_lower_ = [0.0] * len(atoms)
    lp.col_upper_ = [highspy.kHighsInf] * len(atoms)
    lp.row_lower_ = [lo for _, lo, _ in rows]
    lp.row_upper_ = [hi for _, _, hi in rows]
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    start, index = [0], []
    for cols, _, _ in rows:
        index += cols
        start.append(len(index))
    lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = start, index, [1.0] * len(index)
    lp.integrality_ = [highspy.HighsVarType.kInteger] * len(atoms)
    h.passModel(lp)
    h.run()
    status = h.getModelStatus()
    if status == highspy.HighsModelStatus.kOptimal:
        return True
    assert status == highspy.HighsModelStatus.kInfeasible, f"oracle: rounding feasibility undecided ({status})"
    return False
