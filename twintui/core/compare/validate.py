"""Problems in a comparison loaded from outside (a file, the store): every one, not the first."""

from __future__ import annotations

from typing import Any

from ..model import META_FIELDS
from ..text import name_key
from .checks import check_minimum, check_name, check_score, check_weight
from .model import Candidate, Cell, Comparison, Factor


def validate(comparison: Comparison) -> list[str]:
    """Problems in a comparison loaded from outside (file, store); empty when sound."""
    problems: list[str] = []

    def attempt(prefix: str, check: Any, value: Any) -> None:
        try:
            check(value)
        except ValueError as exc:
            problems.append(f"{prefix}: {exc}")

    attempt("comparison", lambda v: check_name(v, "comparison"), comparison.name)
    for attr in ("organisation", "learning_gap", "end_goal", *(name for name in META_FIELDS if name != "rev")):
        if not isinstance(getattr(comparison, attr), str):
            problems.append(f"comparison: {attr} must be text, got {getattr(comparison, attr)!r}")
    if isinstance(comparison.rev, bool) or not isinstance(comparison.rev, int) or comparison.rev < 0:
        problems.append(f"comparison: rev must be a whole number >= 0, got {comparison.rev!r}")

    # Rows and columns alike: each entry's own checks, then its name told apart from those before it.
    names: dict[str, set[str]] = {"factor": set(), "candidate": set()}
    rows_and_columns = (("factor", Factor, comparison.factors), ("candidate", Candidate, comparison.candidates))
    for what, kind, entries in rows_and_columns:
        seen: set[str] = set()
        for i, entry in enumerate(entries, start=1):
            if not isinstance(entry, kind):
                problems.append(f"{what} {i}: not a {what}: {entry!r}")
                continue
            prefix = f"{what} {i} ({entry.name!r})"
            attempt(prefix, lambda v: check_name(v, what), entry.name)
            if isinstance(entry, Factor):
                attempt(prefix, check_weight, entry.weight)
                attempt(prefix, check_minimum, entry.must_have_min)
            elif entry.partner_ref is not None and not isinstance(entry.partner_ref, str):
                problems.append(f"{prefix}: partner reference must be text or none, got {entry.partner_ref!r}")
            if isinstance(entry.name, str):
                if name_key(entry.name) in seen:
                    problems.append(f"{prefix}: {what} name already used: {entry.name!r}")
                seen.add(name_key(entry.name))
                names[what].add(entry.name)

    for k, cell in comparison.cells.items():
        if not (isinstance(k, tuple) and len(k) == 2):
            problems.append(f"cell {k!r}: key must be (factor, candidate)")
            continue
        prefix = f"cell ({k[0]!r}, {k[1]!r})"
        if k[0] not in names["factor"]:
            problems.append(f"{prefix}: unknown factor: {k[0]!r}")
        if k[1] not in names["candidate"]:
            problems.append(f"{prefix}: unknown candidate: {k[1]!r}")
        if not isinstance(cell, Cell):
            problems.append(f"{prefix}: not a cell: {cell!r}")
            continue
        attempt(prefix, check_score, cell.score)
        if not isinstance(cell.note, str):
            problems.append(f"{prefix}: note must be text, got {cell.note!r}")
    return problems
