"""Weighted totals, coverage, must-have exclusions and ranks of a comparison's candidates.

Decisions a user can see:

* Unknown is not zero. A blank cell is left out of a candidate's weighted
  score; the share of weight that *is* scored is reported as coverage.
* Coverage when no factor has a weight > 0 is 0.0, so "total is None" and
  "coverage is 0" always go together (nothing was scored that counts).
* A known score below a must-have minimum excludes the candidate, with the
  reason. An *unknown* score on a must-have factor does not exclude (that
  would punish the candidate for our missing research) but is flagged in
  `Standing.warnings`, so nobody is chosen without checking it. Must-have
  minimums apply whatever the factor's weight, even 0.
* Totals are compared after rounding to 9 decimals, so float noise does not
  split a real tie. Ties share a rank (competition ranking 1, 1, 3) and
  `Ranking.leaders` lists every candidate in first place.
"""

from __future__ import annotations

from dataclasses import dataclass

from .checks import MAX_SCORE
from .model import Cell, Comparison

# Totals are compared at this many decimals so float noise cannot break a tie.
TIE_DECIMALS = 9


@dataclass(frozen=True)
class Standing:
    """One candidate's standing: its weighted score (0..100, None when nothing weighted is scored),
    coverage, rank, and why it is excluded."""

    name: str
    total: float | None
    coverage: float
    rank: int | None
    excluded: str | None
    scores: dict[str, int | None]
    # Must-have factors not scored yet: not excluded, but not cleared either.
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Ranking:
    """Every candidate's standing (in column order) and who is first."""

    results: list[Standing]
    # Every candidate in first place; more than one means a tie.
    leaders: tuple[str, ...]
    # Points between first place and the next rank (0 when tied; None with < 2 ranked).
    margin: float | None

    @property
    def leader(self) -> str | None:
        """The sole leader; None when nobody is ranked or first place is shared."""
        return self.leaders[0] if len(self.leaders) == 1 else None

    @property
    def tied(self) -> bool:
        return len(self.leaders) > 1

    def result(self, name: str) -> Standing:
        for r in self.results:
            if r.name == name:
                return r
        raise ValueError(f"unknown candidate: {name!r}")

    def ranked(self) -> list[Standing]:
        """Standings by rank (column order within a tie), unranked ones last."""
        return sorted(self.results, key=lambda r: (r.rank is None, r.rank or 0))


@dataclass(frozen=True)
class _Table:
    """The comparison flattened to lists, so sensitivity can re-weigh it cheaply."""

    factor_names: list[str]
    weights: list[float]
    minimums: list[int | None]
    candidate_names: list[str]
    scores: list[list[int | None]]  # [candidate][factor]
    excluded: list[str | None]
    warnings: list[tuple[str, ...]]


def _table(comparison: Comparison) -> _Table:
    factor_names = [f.name for f in comparison.factors]
    minimums = [f.must_have_min for f in comparison.factors]
    scores: list[list[int | None]] = []
    excluded: list[str | None] = []
    warnings: list[tuple[str, ...]] = []
    for c in comparison.candidates:
        row = [
            (comparison.cells.get((fn, c.name)) or Cell()).score for fn in factor_names
        ]
        scores.append(row)
        reasons: list[str] = []
        flags: list[str] = []
        for fn, minimum, s in zip(factor_names, minimums, row):
            if minimum is None:
                continue
            if s is None:
                flags.append(f"not yet scored on must-have {fn!r} (minimum {minimum})")
            elif s < minimum:
                reasons.append(f"below must-have minimum {minimum} on {fn!r} (scored {s})")
        excluded.append("; ".join(reasons) or None)
        warnings.append(tuple(flags))
    return _Table(
        factor_names,
        [f.weight for f in comparison.factors],
        minimums,
        [c.name for c in comparison.candidates],
        scores,
        excluded,
        warnings,
    )


def _score_and_coverage(row: list[int | None], weights: list[float]) -> tuple[float | None, float]:
    """100 × Σ w·s / (5 × Σ w) over scored factors with weight > 0; unknown is left out."""
    total_weight = sum(w for w in weights if w > 0)
    scored_weight = 0.0
    weighted = 0.0
    for s, w in zip(row, weights):
        if w > 0 and s is not None:
            scored_weight += w
            weighted += w * s
    total = 100 * weighted / (MAX_SCORE * scored_weight) if scored_weight > 0 else None
    coverage = scored_weight / total_weight if total_weight > 0 else 0.0
    return total, coverage


def _tie_key(total: float) -> float:
    return round(total, TIE_DECIMALS)


def _leader_set(table: _Table, weights: list[float]) -> frozenset[int]:
    """Indices of the candidates in first place at these weights."""
    best: float | None = None
    leaders: set[int] = set()
    for i, row in enumerate(table.scores):
        if table.excluded[i] is not None:
            continue
        total, _ = _score_and_coverage(row, weights)
        if total is None:
            continue
        key = _tie_key(total)
        if best is None or key > best:
            best, leaders = key, {i}
        elif key == best:
            leaders.add(i)
    return frozenset(leaders)


def evaluate(comparison: Comparison) -> Ranking:
    """Weighted totals, coverage, exclusions and competition ranks (1, 1, 3)."""
    table = _table(comparison)
    computed = [_score_and_coverage(row, table.weights) for row in table.scores]
    rankable = sorted(
        (_tie_key(total), i)
        for i, (total, _) in enumerate(computed)
        if total is not None and table.excluded[i] is None
    )
    rankable.reverse()
    ranks: dict[int, int] = {}
    for position, (key, i) in enumerate(rankable, start=1):
        previous = rankable[position - 2] if position > 1 else None
        ranks[i] = ranks[previous[1]] if previous and previous[0] == key else position
    results = [
        Standing(
            name=name,
            total=total,
            coverage=coverage,
            rank=ranks.get(i),
            excluded=table.excluded[i],
            scores=dict(zip(table.factor_names, table.scores[i])),
            warnings=table.warnings[i],
        )
        for i, (name, (total, coverage)) in enumerate(zip(table.candidate_names, computed))
    ]
    leaders = tuple(table.candidate_names[i] for i in sorted(i for i, r in ranks.items() if r == 1))
    margin: float | None = None
    if len(rankable) >= 2:
        first = computed[rankable[0][1]][0]
        second = computed[rankable[1][1]][0]
        assert first is not None and second is not None
        margin = 0.0 if rankable[0][0] == rankable[1][0] else first - second
    return Ranking(results, leaders, margin)
