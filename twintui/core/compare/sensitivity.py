"""Sensitivity: for each factor, the weight at which first place changes hands (the tipping weight).

Sensitivity treats "the leader changed" as "someone who is not a current
leader now holds (or shares) first place"; a tie among the current leaders
breaking one way or the other is not a change.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from .checks import MAX_WEIGHT
from .model import Comparison
from .ranking import TIE_DECIMALS, _leader_set, _table, _Table

# Crossing points closer than this are one point (merging float twins).
_POINT_EPS = 1e-9


@dataclass(frozen=True)
class Sensitivity:
    """How far one factor's weight can move before first place changes hands.

    tipping_weight is None when no weight in [0, 5] changes the leader. At the
    tipping weight itself the new leader usually ties; a little beyond it, it
    leads. At the ends of the range (0 or 5) there is no "beyond": there the
    tipping weight is the end itself, where the new leader already (co-)leads.
    """

    factor: str
    current_weight: float
    tipping_weight: float | None
    # The leader(s) just beyond the tipping weight, names joined by " and ".
    new_leader: str | None
    new_leaders: tuple[str, ...] = ()


def _crossings(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> list[float]:
    """Weights x > 0 where two totals (p + q·x) / (r + t·x) are equal.

    Both denominators are positive for x > 0, so cross-multiplying gives
    (q1·t2 − q2·t1)·x² + (p1·t2 + q1·r2 − p2·t1 − q2·r1)·x + (p1·r2 − p2·r1) = 0.
    """
    p1, q1, r1, t1 = a
    p2, q2, r2, t2 = b
    qa = q1 * t2 - q2 * t1
    qb = p1 * t2 + q1 * r2 - p2 * t1 - q2 * r1
    qc = p1 * r2 - p2 * r1
    scale = max(abs(qa), abs(qb), abs(qc))
    if scale == 0:
        return []  # identical curves: always tied, never crossing
    if abs(qa) <= 1e-12 * scale:
        if abs(qb) <= 1e-12 * scale:
            return []  # identical or never equal
        return [-qc / qb]
    disc = qb * qb - 4 * qa * qc
    if disc < -1e-12 * scale * scale:
        return []
    if disc <= 1e-12 * scale * scale:
        return [-qb / (2 * qa)]  # a touch: the order does not change there
    # The stable form avoids cancellation when qb² dominates.
    root = math.sqrt(disc)
    m = -0.5 * (qb + math.copysign(root, qb))
    roots = [m / qa]
    if m != 0:
        roots.append(qc / m)
    return roots


def _factor_sensitivity(table: _Table, fi: int) -> Sensitivity:
    weights = list(table.weights)
    w0 = weights[fi]
    leaders0 = _leader_set(table, weights)

    def leaders_at(x: float) -> frozenset[int]:
        weights[fi] = x
        return _leader_set(table, weights)

    # Each ranked candidate's total as (p + q·x) / (r + t·x), times 20, for x > 0.
    curves: list[tuple[float, float, float, float]] = []
    for i, row in enumerate(table.scores):
        if table.excluded[i] is not None:
            continue
        p = sum(w * s for g, (s, w) in enumerate(zip(row, table.weights)) if g != fi and w > 0 and s is not None)
        r = sum(w for g, (s, w) in enumerate(zip(row, table.weights)) if g != fi and w > 0 and s is not None)
        s = row[fi]
        curve = (p, float(s), r, 1.0) if s is not None else (p, 0.0, r, 0.0)
        if curve[2] + curve[3] > 0:
            curves.append(curve)

    # Between consecutive points no two totals cross, so first place is fixed there.
    specials = [0.0, MAX_WEIGHT, float(w0)]
    points = list(specials)
    for i in range(len(curves)):
        for j in range(i + 1, len(curves)):
            for x in _crossings(curves[i], curves[j]):
                if 0 < x < MAX_WEIGHT and all(abs(x - p) > _POINT_EPS for p in points):
                    points.append(x)
    points = sorted(set(points))

    def walk(path: list[float], end: float) -> tuple[float, frozenset[int]] | None:
        # path starts at w0 and moves away from it; the first interval whose
        # leader is not a current leader ends the stable stretch at its near end.
        for near, far in zip(path, path[1:]):
            beyond = leaders_at((near + far) / 2)
            if not beyond <= leaders0:
                return near, beyond
        if path[-1] == end and end != w0:
            at_end = leaders_at(end)
            if not at_end <= leaders0:
                return end, at_end
        return None

    up = walk([p for p in points if p >= w0], MAX_WEIGHT)
    down = walk([p for p in reversed(points) if p <= w0], 0.0)
    weights[fi] = w0

    options = [o for o in (down, up) if o is not None]
    if not options:
        return Sensitivity(table.factor_names[fi], w0, None, None, ())
    # Nearest wins; an equal distance goes to the lower weight (down is first).
    tipping, new = min(options, key=lambda o: abs(o[0] - w0))
    names = tuple(table.candidate_names[i] for i in sorted(new))
    # Tidy float noise (2.4000000000000004) unless that would move it onto or past w0.
    tidy = round(tipping, TIE_DECIMALS)
    if (tidy - w0) * (tipping - w0) > 0:
        tipping = tidy
    return Sensitivity(table.factor_names[fi], w0, tipping, " and ".join(names) or None, names)


def sensitivity(comparison: Comparison) -> list[Sensitivity]:
    """The tipping weight of every factor, in row order, computed exactly.

    A candidate's total as a function of one factor's weight x is
    20·(p + s·x)/(r + x) if it scored that factor, else constant, so first
    place can only change where two such curves cross (a quadratic) or at 0,
    where a factor with weight 0 stops counting. Those points are checked in
    order of distance from the current weight, confirming each on the far side.
    Exclusions depend on scores, not weights, so they stay fixed.
    """
    table = _table(comparison)
    return [_factor_sensitivity(table, fi) for fi in range(len(table.factor_names))]


def nearest_tipping(sensitivities: Iterable[Sensitivity]) -> Sensitivity | None:
    """The factor nearest to changing first place: the smallest move of one weight that tips it.

    The first row wins on equal distances; None when no weight in 0–5 changes first place.
    """
    tipping = [s for s in sensitivities if s.tipping_weight is not None]
    return min(tipping, key=lambda s: abs(s.tipping_weight - s.current_weight),  # type: ignore[operator]
               default=None)
