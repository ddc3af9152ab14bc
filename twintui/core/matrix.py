"""The partner-factor comparison matrix: model, weighted ranking and sensitivity.

An organisation weighs candidate partners (columns) against factors (rows,
the guidelines' ten by default). This module is the pure core behind the
"Compare partners" screen and the `twintui compare` commands: it holds the
comparison, ranks the candidates and says how firm the first place is. It
imports neither textual nor the store, so it is fast to test.

Decisions a user can see:

* Unknown is not zero. A blank cell is left out of a candidate's weighted
  score; the share of weight that *is* scored is reported as coverage.
* Coverage when no factor has a weight > 0 is 0.0, so "total is None" and
  "coverage is 0" always go together (nothing was scored that counts).
* A known score below a must-have minimum excludes the candidate, with the
  reason. An *unknown* score on a must-have factor does not exclude (that
  would punish the candidate for our missing research) but is flagged in
  `Result.warnings`, so nobody is chosen without checking it. Must-have
  minimums apply whatever the factor's weight, even 0.
* Totals are compared after rounding to 9 decimals, so float noise does not
  split a real tie. Ties share a rank (competition ranking 1, 1, 3) and
  `Evaluation.leaders` lists every candidate in first place.
* Sensitivity treats "the leader changed" as "someone who is not a current
  leader now holds (or shares) first place"; a tie among the current leaders
  breaking one way or the other is not a change.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from twintui.core.model.vocab import DEFAULT_FACTORS

MIN_SCORE = 0
MAX_SCORE = 5
MIN_WEIGHT = 0.0
MAX_WEIGHT = 5.0
DEFAULT_WEIGHT = 3

# Totals are compared at this many decimals so float noise cannot break a tie.
_TIE_DECIMALS = 9
# Crossing points closer than this are one point (merging float twins).
_POINT_EPS = 1e-9


# --------------------------------------------------------------------------
# Input checks, shared by the edit methods (raise) and validate() (collect).
# --------------------------------------------------------------------------


def _check_name(value: Any, what: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{what} name must be non-empty text, got {value!r}")
    return value.strip()


def _check_score(value: Any) -> int | None:
    """A score is a whole number 0..5, or None for unknown."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"score must be a whole number from 0 to 5 or unknown, got {value!r}")
    if isinstance(value, float) and not value.is_integer():
        raise ValueError(f"score must be a whole number from 0 to 5 or unknown, got {value!r}")
    if not MIN_SCORE <= value <= MAX_SCORE:
        raise ValueError(f"score must be a whole number from 0 to 5 or unknown, got {value!r}")
    return int(value)


def _check_weight(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError(f"weight must be a number from 0 to 5, got {value!r}")
    if not MIN_WEIGHT <= value <= MAX_WEIGHT:
        raise ValueError(f"weight must be a number from 0 to 5, got {value!r}")
    return value


def _check_minimum(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not MIN_SCORE <= value <= MAX_SCORE:
        raise ValueError(f"must-have minimum must be a whole number from 0 to 5 or none, got {value!r}")
    return value


def _key(name: str) -> str:
    """Names clash regardless of case and surrounding spaces ('Norway' = 'norway ')."""
    return name.strip().casefold()


# --------------------------------------------------------------------------
# Model
# --------------------------------------------------------------------------


@dataclass
class Factor:
    """A row of the matrix: what candidates are weighed on, and how much it counts."""

    name: str
    weight: float = DEFAULT_WEIGHT
    must_have_min: int | None = None


@dataclass
class Candidate:
    """A column: a possible partner, from the register (partner_ref) or typed new."""

    name: str
    partner_ref: str | None = None


@dataclass
class Cell:
    """One candidate's score on one factor; None means not known yet (not zero)."""

    score: int | None = None
    note: str = ""


@dataclass
class Comparison:
    """A named comparison made by one organisation (SPEC §2 "Comparison")."""

    name: str
    organisation: str = ""
    learning_gap: str = ""
    end_goal: str = ""
    factors: list[Factor] = field(default_factory=list)
    candidates: list[Candidate] = field(default_factory=list)
    # Keyed by (factor name, candidate name); a missing key is an empty cell.
    cells: dict[tuple[str, str], Cell] = field(default_factory=dict)
    id: str = ""
    rev: int = 0
    created_at: str = ""
    created_by: str = ""
    updated_at: str = ""
    updated_by: str = ""

    @classmethod
    def new(
        cls,
        name: str,
        organisation: str = "",
        learning_gap: str = "",
        end_goal: str = "",
        candidates: Iterable[str | Candidate] = (),
    ) -> Comparison:
        """A comparison with the guidelines' ten factors at the default weight."""
        comparison = cls(
            name=_check_name(name, "comparison"),
            organisation=organisation,
            learning_gap=learning_gap,
            end_goal=end_goal,
            factors=[Factor(f) for f in DEFAULT_FACTORS],
        )
        for candidate in candidates:
            if isinstance(candidate, Candidate):
                comparison.add_candidate(candidate.name, candidate.partner_ref)
            else:
                comparison.add_candidate(candidate)
        return comparison

    # -- look-ups ---------------------------------------------------------

    def factor(self, name: str) -> Factor:
        for f in self.factors:
            if f.name == name:
                return f
        raise ValueError(f"unknown factor: {name!r}")

    def candidate(self, name: str) -> Candidate:
        for c in self.candidates:
            if c.name == name:
                return c
        raise ValueError(f"unknown candidate: {name!r}")

    def factor_index(self, name: str) -> int:
        return self.factors.index(self.factor(name))

    def cell(self, factor: str, candidate: str) -> Cell:
        """The cell, or an empty one (not stored) when nothing was entered."""
        self.factor(factor)
        self.candidate(candidate)
        return self.cells.get((factor, candidate), Cell())

    def score(self, factor: str, candidate: str) -> int | None:
        return self.cell(factor, candidate).score

    # -- factors ----------------------------------------------------------

    def _ensure_new_name(self, name: str, existing: Iterable[str], what: str, allow: str | None = None) -> None:
        for other in existing:
            if other != allow and _key(other) == _key(name):
                raise ValueError(f"{what} name already used: {name!r}")

    def add_factor(
        self,
        name: str,
        weight: float = DEFAULT_WEIGHT,
        must_have_min: int | None = None,
        index: int | None = None,
    ) -> Factor:
        """Add a factor at the end (or at `index`)."""
        name = _check_name(name, "factor")
        self._ensure_new_name(name, (f.name for f in self.factors), "factor")
        new = Factor(name, _check_weight(weight), _check_minimum(must_have_min))
        if index is None:
            self.factors.append(new)
        else:
            self._check_index(index, len(self.factors) + 1, "factor position")
            self.factors.insert(index, new)
        return new

    def rename_factor(self, old: str, new: str) -> None:
        """Rename a factor; its cells follow it."""
        f = self.factor(old)
        new = _check_name(new, "factor")
        self._ensure_new_name(new, (x.name for x in self.factors), "factor", allow=old)
        if new == old:
            return
        f.name = new
        self.cells = {(new if fk == old else fk, ck): cell for (fk, ck), cell in self.cells.items()}

    def remove_factor(self, name: str) -> None:
        self.factors.remove(self.factor(name))
        self.cells = {k: v for k, v in self.cells.items() if k[0] != name}

    def move_factor(self, name: str, index: int) -> None:
        """Move a factor to position `index` (0-based) of the rows."""
        f = self.factor(name)
        self._check_index(index, len(self.factors), "factor position")
        self.factors.remove(f)
        self.factors.insert(index, f)

    def set_weight(self, factor: str, weight: float) -> None:
        self.factor(factor).weight = _check_weight(weight)

    def set_must_have(self, factor: str, minimum: int | None) -> None:
        """Set (or clear with None) the minimum score a candidate needs on `factor`."""
        self.factor(factor).must_have_min = _check_minimum(minimum)

    @staticmethod
    def _check_index(index: Any, size: int, what: str) -> None:
        if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < size:
            raise ValueError(f"{what} must be from 0 to {size - 1}, got {index!r}")

    # -- candidates -------------------------------------------------------

    def add_candidate(self, name: str, partner_ref: str | None = None) -> Candidate:
        name = _check_name(name, "candidate")
        self._ensure_new_name(name, (c.name for c in self.candidates), "candidate")
        if partner_ref is not None and not isinstance(partner_ref, str):
            raise ValueError(f"partner reference must be text or none, got {partner_ref!r}")
        new = Candidate(name, partner_ref or None)
        self.candidates.append(new)
        return new

    def rename_candidate(self, old: str, new: str) -> None:
        """Rename a candidate; its cells follow it."""
        c = self.candidate(old)
        new = _check_name(new, "candidate")
        self._ensure_new_name(new, (x.name for x in self.candidates), "candidate", allow=old)
        if new == old:
            return
        c.name = new
        self.cells = {(fk, new if ck == old else ck): cell for (fk, ck), cell in self.cells.items()}

    def remove_candidate(self, name: str) -> None:
        self.candidates.remove(self.candidate(name))
        self.cells = {k: v for k, v in self.cells.items() if k[1] != name}

    def move_candidate(self, name: str, index: int) -> None:
        """Move a candidate to position `index` (0-based) of the columns."""
        c = self.candidate(name)
        self._check_index(index, len(self.candidates), "candidate position")
        self.candidates.remove(c)
        self.candidates.insert(index, c)

    # -- cells ------------------------------------------------------------

    def _put(self, factor: str, candidate: str, cell: Cell) -> None:
        # Empty cells are not stored, so the saved document stays small.
        if cell.score is None and not cell.note:
            self.cells.pop((factor, candidate), None)
        else:
            self.cells[(factor, candidate)] = cell

    def set_score(self, factor: str, candidate: str, score: int | None) -> None:
        """Set a score 0..5, or None to make it unknown again."""
        current = self.cell(factor, candidate)
        self._put(factor, candidate, Cell(_check_score(score), current.note))

    def set_note(self, factor: str, candidate: str, note: str) -> None:
        if not isinstance(note, str):
            raise ValueError(f"note must be text, got {note!r}")
        current = self.cell(factor, candidate)
        self._put(factor, candidate, Cell(current.score, note))

    # -- documents --------------------------------------------------------

    def to_doc(self) -> dict[str, Any]:
        """A plain JSON-serialisable dict; `from_doc` reads it back exactly."""
        f_order = {f.name: i for i, f in enumerate(self.factors)}
        c_order = {c.name: i for i, c in enumerate(self.candidates)}
        big = len(f_order) + len(c_order)
        # Cells in row, then column order, for readable diffs; strays last.
        keys = sorted(
            self.cells,
            key=lambda k: (f_order.get(k[0], big), c_order.get(k[1], big)),
        )
        return {
            "id": self.id,
            "rev": self.rev,
            "name": self.name,
            "organisation": self.organisation,
            "learning_gap": self.learning_gap,
            "end_goal": self.end_goal,
            "factors": [
                {"name": f.name, "weight": f.weight, "must_have_min": f.must_have_min} for f in self.factors
            ],
            "candidates": [{"name": c.name, "partner_ref": c.partner_ref} for c in self.candidates],
            "cells": [
                {"factor": fk, "candidate": ck, "score": self.cells[(fk, ck)].score, "note": self.cells[(fk, ck)].note}
                for fk, ck in keys
            ],
            "created_at": self.created_at,
            "created_by": self.created_by,
            "updated_at": self.updated_at,
            "updated_by": self.updated_by,
        }

    @classmethod
    def from_doc(cls, doc: Mapping[str, Any]) -> Comparison:
        """Read a document back. Raises ValueError only when its shape is unreadable;
        values are taken as they are, so run `validate()` on data from outside."""
        if not isinstance(doc, Mapping):
            raise ValueError(f"comparison document must be an object, got {type(doc).__name__}")
        if "name" not in doc:
            raise ValueError("comparison document has no 'name'")

        def rows(key: str) -> list[Mapping[str, Any]]:
            value = doc.get(key, [])
            if not isinstance(value, list) or not all(isinstance(r, Mapping) for r in value):
                raise ValueError(f"comparison {key!r} must be a list of objects")
            for i, r in enumerate(value):
                for needed in ("name",) if key != "cells" else ("factor", "candidate"):
                    if needed not in r:
                        raise ValueError(f"comparison {key!r} entry {i + 1} has no {needed!r}")
            return value

        return cls(
            name=doc["name"],
            organisation=doc.get("organisation", ""),
            learning_gap=doc.get("learning_gap", ""),
            end_goal=doc.get("end_goal", ""),
            factors=[
                Factor(r["name"], r.get("weight", DEFAULT_WEIGHT), r.get("must_have_min")) for r in rows("factors")
            ],
            candidates=[Candidate(r["name"], r.get("partner_ref")) for r in rows("candidates")],
            cells={(r["factor"], r["candidate"]): Cell(r.get("score"), r.get("note", "")) for r in rows("cells")},
            id=doc.get("id", ""),
            rev=doc.get("rev", 0),
            created_at=doc.get("created_at", ""),
            created_by=doc.get("created_by", ""),
            updated_at=doc.get("updated_at", ""),
            updated_by=doc.get("updated_by", ""),
        )


def validate(comparison: Comparison) -> list[str]:
    """Problems in a comparison loaded from outside (file, store); empty when sound."""
    problems: list[str] = []

    def attempt(prefix: str, check: Any, value: Any) -> None:
        try:
            check(value)
        except ValueError as exc:
            problems.append(f"{prefix}: {exc}")

    attempt("comparison", lambda v: _check_name(v, "comparison"), comparison.name)
    text_fields = ("organisation", "learning_gap", "end_goal", "id")
    for attr in text_fields + ("created_at", "created_by", "updated_at", "updated_by"):
        if not isinstance(getattr(comparison, attr), str):
            problems.append(f"comparison: {attr} must be text, got {getattr(comparison, attr)!r}")
    if isinstance(comparison.rev, bool) or not isinstance(comparison.rev, int) or comparison.rev < 0:
        problems.append(f"comparison: rev must be a whole number >= 0, got {comparison.rev!r}")

    factor_names: set[str] = set()
    seen: set[str] = set()
    for i, f in enumerate(comparison.factors, start=1):
        if not isinstance(f, Factor):
            problems.append(f"factor {i}: not a factor: {f!r}")
            continue
        prefix = f"factor {i} ({f.name!r})"
        attempt(prefix, lambda v: _check_name(v, "factor"), f.name)
        attempt(prefix, _check_weight, f.weight)
        attempt(prefix, _check_minimum, f.must_have_min)
        if isinstance(f.name, str):
            if _key(f.name) in seen:
                problems.append(f"{prefix}: factor name already used: {f.name!r}")
            seen.add(_key(f.name))
            factor_names.add(f.name)

    candidate_names: set[str] = set()
    seen = set()
    for i, c in enumerate(comparison.candidates, start=1):
        if not isinstance(c, Candidate):
            problems.append(f"candidate {i}: not a candidate: {c!r}")
            continue
        prefix = f"candidate {i} ({c.name!r})"
        attempt(prefix, lambda v: _check_name(v, "candidate"), c.name)
        if c.partner_ref is not None and not isinstance(c.partner_ref, str):
            problems.append(f"{prefix}: partner reference must be text or none, got {c.partner_ref!r}")
        if isinstance(c.name, str):
            if _key(c.name) in seen:
                problems.append(f"{prefix}: candidate name already used: {c.name!r}")
            seen.add(_key(c.name))
            candidate_names.add(c.name)

    for k, cell in comparison.cells.items():
        if not (isinstance(k, tuple) and len(k) == 2):
            problems.append(f"cell {k!r}: key must be (factor, candidate)")
            continue
        prefix = f"cell ({k[0]!r}, {k[1]!r})"
        if k[0] not in factor_names:
            problems.append(f"{prefix}: unknown factor: {k[0]!r}")
        if k[1] not in candidate_names:
            problems.append(f"{prefix}: unknown candidate: {k[1]!r}")
        if not isinstance(cell, Cell):
            problems.append(f"{prefix}: not a cell: {cell!r}")
            continue
        attempt(prefix, _check_score, cell.score)
        if not isinstance(cell.note, str):
            problems.append(f"{prefix}: note must be text, got {cell.note!r}")
    return problems


# --------------------------------------------------------------------------
# Evaluation
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Result:
    """One candidate's outcome. total is 0..100, None when nothing weighted is scored."""

    name: str
    total: float | None
    coverage: float
    rank: int | None
    excluded: str | None
    scores: dict[str, int | None]
    # Must-have factors not scored yet: not excluded, but not cleared either.
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Evaluation:
    """All candidates' results (in column order) and who is first."""

    results: list[Result]
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

    def result(self, name: str) -> Result:
        for r in self.results:
            if r.name == name:
                return r
        raise ValueError(f"unknown candidate: {name!r}")

    def ranked(self) -> list[Result]:
        """Results by rank (column order within a tie), unranked ones last."""
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
    return round(total, _TIE_DECIMALS)


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


def evaluate(comparison: Comparison) -> Evaluation:
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
        Result(
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
    return Evaluation(results, leaders, margin)


# --------------------------------------------------------------------------
# Sensitivity
# --------------------------------------------------------------------------


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
    tidy = round(tipping, _TIE_DECIMALS)
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


def _fmt_weight(value: float, other: float | None = None) -> str:
    """Up to two decimals, more only when needed to tell it from `other`."""
    for digits in (2, 3, 4, 6, 9):
        text = f"{value:.{digits}f}".rstrip("0").rstrip(".")
        if other is None or text != f"{other:.{digits}f}".rstrip("0").rstrip(".") or value == other:
            return text
    return repr(value)


def _names(names: Iterable[str]) -> str:
    names = list(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def verdict(
    comparison: Comparison,
    evaluation: Evaluation | None = None,
    sensitivities: list[Sensitivity] | None = None,
) -> str:
    """One line on how firm first place is, naming the factor nearest to tipping."""
    evaluation = evaluation or evaluate(comparison)
    sensitivities = sensitivity(comparison) if sensitivities is None else sensitivities
    tipping = [s for s in sensitivities if s.tipping_weight is not None]
    # Nearest to tipping wins; min() keeps the first row on equal distances.
    nearest = min(
        tipping,
        key=lambda s: abs(s.tipping_weight - s.current_weight),  # type: ignore[operator]
        default=None,
    )

    if not evaluation.leaders:
        return "no ranking: no candidate has a scored, weighted factor and passes the must-haves"
    if nearest is None or nearest.tipping_weight is None:
        if evaluation.tied:
            return (
                f"tied: {_names(evaluation.leaders)} share first place; "
                "no single weight change in 0–5 gives first place to anyone else"
            )
        return "robust: no single weight change in 0–5 changes the first place"

    w0, t = nearest.current_weight, nearest.tipping_weight
    if t == w0:
        how = f"as soon as the weight of {nearest.factor!r} moves from {_fmt_weight(w0)}"
    else:
        how = f"if the weight of {nearest.factor!r} goes from {_fmt_weight(w0)} to {_fmt_weight(t, w0)}"
    label = "new leader" if len(nearest.new_leaders) == 1 else "shared first place"
    change = f"first place changes {how} ({label}: {_names(nearest.new_leaders)})"
    if evaluation.tied:
        return f"tied: {_names(evaluation.leaders)} share first place; {change}"
    return f"fragile: {change}"


# --------------------------------------------------------------------------
# Display helper
# --------------------------------------------------------------------------

_EIGHTHS = " ▏▎▍▌▋▊▉"


def text_bar(total: float | None, width: int = 20) -> str:
    """A bar of `width` cells for a 0–100 score, in eighths of a cell; blank if unknown."""
    if isinstance(width, bool) or not isinstance(width, int) or width < 1:
        raise ValueError(f"bar width must be a whole number >= 1, got {width!r}")
    if total is None:
        return " " * width
    share = min(max(total, 0.0), 100.0) / 100
    eighths = round(share * width * 8)
    full, part = divmod(eighths, 8)
    bar = "█" * full + (_EIGHTHS[part] if part else "")
    return bar.ljust(width)


# --------------------------------------------------------------------------
# Wording helpers shared with the screens and the command line
# --------------------------------------------------------------------------


def format_weight(value: float, other: float | None = None) -> str:
    """A weight as the verdict writes it: up to two decimals, more only to tell it from `other`."""
    return _fmt_weight(value, other)


def join_names(names: Iterable[str]) -> str:
    """'Canada', 'Canada and Norway', 'Canada, Norway and Sweden'."""
    return _names(names)

