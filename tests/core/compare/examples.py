"""Comparisons the compare tests share: factor names, builders, exact totals by hand, generated matrices."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from twintui.core.compare import Candidate, Cell, Comparison, Factor, evaluate

SIMILARITY = "Similarity of asylum system"
FUNDING = "Funding for the twinning activity"
INTEGRATION = "Integration arrangements"
COOPERATION = "Successful cooperation in other areas"
POLICY = "Policy and procedures (dossier or mission based selection)"


def small(name: str = "Partner for 2027") -> Comparison:
    c = Comparison.new(name, organisation="Ministry of the Interior", candidates=["Norway", "Canada"])
    c.set_score(FUNDING, "Norway", 4)
    c.set_score(FUNDING, "Canada", 2)
    c.set_note(FUNDING, "Canada", "full-cost basis only")
    return c


def hand_total(pairs: list[tuple[float, int | None]]) -> Fraction | None:
    """100 × Σ w·s / (5 × Σ w) in exact fractions, over known scores with weight > 0."""
    used = [(Fraction(str(w)), s) for w, s in pairs if w > 0 and s is not None]
    weight = sum(w for w, _ in used)
    if not weight:
        return None
    return 100 * sum(w * s for w, s in used) / (5 * weight)


def leaders_with(comparison: Comparison, factor: str, weight: float) -> set[str]:
    """First place when one factor's weight is set to `weight` (the comparison is restored)."""
    f = comparison.factor(factor)
    old = f.weight
    f.weight = weight
    try:
        return set(evaluate(comparison).leaders)
    finally:
        f.weight = old


WEIGHTS = st.sampled_from([0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5])
SCORES = st.sampled_from([None, 0, 1, 2, 3, 4, 5])


@st.composite
def generated(draw: st.DrawFn, min_candidates: int = 1) -> Comparison:
    n_factors = draw(st.integers(1, 5))
    n_candidates = draw(st.integers(min_candidates, 5))
    factors = [
        Factor(f"F{i}", draw(WEIGHTS), draw(st.sampled_from([None, None, None, 1, 2]))) for i in range(n_factors)
    ]
    candidates = [Candidate(f"C{j}") for j in range(n_candidates)]
    cells = {}
    for f in factors:
        for c in candidates:
            score = draw(SCORES)
            if score is not None:
                cells[(f.name, c.name)] = Cell(score, draw(st.sampled_from(["", "from the seminar"])))
    return Comparison("generated", factors=factors, candidates=candidates, cells=cells)


FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
