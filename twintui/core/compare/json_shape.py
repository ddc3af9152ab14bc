"""The JSON of `twintui compare show --json` and `compare list --json` (scripts rely on this shape: keep it stable)."""

from __future__ import annotations

from typing import Any

from .model import Comparison
from .ranking import evaluate
from .sensitivity import sensitivity


def to_json(comparison: Comparison) -> dict[str, Any]:
    evaluation = evaluate(comparison)
    return {
        "name": comparison.name,
        "factors": [{"name": f.name, "weight": f.weight, "must_have_min": f.must_have_min}
                    for f in comparison.factors],
        "candidates": [
            {
                "name": r.name,
                "scores": dict(r.scores),
                "total": r.total,
                "rank": r.rank,
                "coverage": r.coverage,
                "excluded": r.excluded,
            }
            for r in evaluation.results
        ],
        "sensitivity": [{"factor": s.factor, "tipping_weight": s.tipping_weight, "new_leader": s.new_leader}
                        for s in sensitivity(comparison)],
    }


def summary(comparison: Comparison) -> dict[str, Any]:
    """One entry of `twintui compare list --json`."""
    evaluation = evaluate(comparison)
    return {
        "name": comparison.name,
        "id": comparison.id,
        "rev": comparison.rev,
        "organisation": comparison.organisation,
        "factors": len(comparison.factors),
        "candidates": [c.name for c in comparison.candidates],
        "leaders": list(evaluation.leaders),
        "updated_at": comparison.updated_at,
        "updated_by": comparison.updated_by,
    }
