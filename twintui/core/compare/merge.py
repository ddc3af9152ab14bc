"""A conflicting save of a comparison: what differs between two versions, item by item, and a merge of chosen items.

A comparison's items are what a user changes independently: its details, which factors and candidates (in
order), each factor's weight and must-have minimum, each cell's score and note. ``conflict`` answers with the
``Differences`` the merge screen shows for records too (``core.model.merge``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..model.merge import Differences, Item, three_way
from ..text import clip
from .checks import DEFAULT_WEIGHT
from .model import Candidate, Cell, Comparison, Factor
from .wording import fmt_weight

# An item: ("name",), ("weight", factor), ("cell", factor, candidate), ...
ItemKey = tuple[str, ...]


def items(comparison: Comparison) -> dict[ItemKey, Any]:
    """The comparison as independent items a user can choose between (cells, weights, ...)."""
    out: dict[ItemKey, Any] = {
        ("name",): comparison.name,
        ("organisation",): comparison.organisation,
        ("learning_gap",): comparison.learning_gap,
        ("end_goal",): comparison.end_goal,
        ("factors",): tuple(f.name for f in comparison.factors),
        ("candidates",): tuple((c.name, c.partner_ref) for c in comparison.candidates),
    }
    for f in comparison.factors:
        out[("weight", f.name)] = f.weight
        out[("minimum", f.name)] = f.must_have_min
    for (fk, ck), cell in comparison.cells.items():
        out[("cell", fk, ck)] = (cell.score, cell.note)
    return out


_LABELS = {"name": "Name", "organisation": "Organisation", "learning_gap": "Learning gap", "end_goal": "End goal",
           "factors": "Factors (which, in order)", "candidates": "Candidates (which, in order)"}


def item_label(key: ItemKey) -> str:
    if key[0] == "weight":
        return f"Weight of {key[1]}"
    if key[0] == "minimum":
        return f"Must-have minimum of {key[1]}"
    if key[0] == "cell":
        return f"{key[2]} on {key[1]}"
    return _LABELS[key[0]]


def item_text(key: ItemKey, value: Any, present: bool = True) -> str:
    """How an item's value reads in the conflict view."""
    if not present:
        return "(none)" if key[0] == "cell" else "(not there)"
    if key[0] == "factors":
        return ", ".join(value) or "(none)"
    if key[0] == "candidates":
        return ", ".join(name for name, _ in value) or "(none)"
    if key[0] == "weight":
        return fmt_weight(value)
    if key[0] == "minimum":
        return "none" if value is None else f"at least {value}"
    if key[0] == "cell":
        score, note = value
        shown = "unknown" if score is None else str(score)
        return f"{shown} · {note}" if note else shown
    return str(value) or "(blank)"


def _order(key: ItemKey) -> tuple[int, ...]:
    return (["name", "organisation", "learning_gap", "end_goal", "factors", "weight", "minimum",
             "candidates", "cell"].index(key[0]),)


def differences(mine: Comparison, theirs: Comparison) -> list[ItemKey]:
    """The items that differ between two versions, in a reading order."""
    a, b = items(mine), items(theirs)
    keys = [k for k in dict.fromkeys([*b, *a]) if a.get(k, _MISSING) != b.get(k, _MISSING)]
    factor_pos = {f.name: i for i, f in enumerate([*theirs.factors, *mine.factors])}
    cand_pos = {c.name: i for i, c in enumerate([*theirs.candidates, *mine.candidates])}

    def position(k: ItemKey) -> tuple[Any, ...]:
        if k[0] == "cell":
            return (*_order(k), factor_pos.get(k[1], 0), cand_pos.get(k[2], 0))
        if k[0] in ("weight", "minimum"):
            return (*_order(k), factor_pos.get(k[1], 0))
        return _order(k)

    return sorted(keys, key=position)


_MISSING = object()


def default_choices(base: Comparison | None, mine: Comparison, theirs: Comparison,
                    keys: Iterable[ItemKey]) -> tuple[dict[ItemKey, str], set[ItemKey]]:
    """Per item "mine" or "theirs" as a three-way merge would pick, and the items both changed.

    Without the version both started from, every item keeps mine.
    """
    return three_way(keys, items(mine), items(theirs), items(base) if base is not None else None)


def merge(mine: Comparison, theirs: Comparison, keep_mine: Iterable[ItemKey]) -> Comparison:
    """Their version (id, revision) with the items in ``keep_mine`` taken from mine."""
    a, b = items(mine), items(theirs)
    chosen = dict(b)
    for k in keep_mine:
        if k in a:
            chosen[k] = a[k]
        else:
            chosen.pop(k, None)
    merged = Comparison(
        name=chosen[("name",)], organisation=chosen[("organisation",)],
        learning_gap=chosen[("learning_gap",)], end_goal=chosen[("end_goal",)],
        id=theirs.id, rev=theirs.rev, created_at=theirs.created_at, created_by=theirs.created_by,
        updated_at=theirs.updated_at, updated_by=theirs.updated_by,
    )
    for name in chosen[("factors",)]:
        # A factor only one side has keeps that side's weight and minimum.
        weight = chosen.get(("weight", name), a.get(("weight", name), b.get(("weight", name))))
        minimum = chosen.get(("minimum", name), a.get(("minimum", name), b.get(("minimum", name))))
        merged.factors.append(Factor(name, DEFAULT_WEIGHT if weight is None else weight, minimum))
    merged.candidates = [Candidate(name, ref) for name, ref in chosen[("candidates",)]]
    factor_names = {f.name for f in merged.factors}
    candidate_names = {c.name for c in merged.candidates}
    for k, value in chosen.items():
        if k[0] == "cell" and k[1] in factor_names and k[2] in candidate_names:
            merged.cells[(k[1], k[2])] = Cell(*value)
    return merged


def conflict(base: Comparison | None, mine: Comparison, theirs: Comparison) -> Differences[ItemKey, Comparison]:
    """What the merge screen shows: the items that differ, both values, the defaults, and the merge."""
    keys = differences(mine, theirs)
    choices, both = default_choices(base, mine, theirs, keys)
    a, b = items(mine), items(theirs)
    shown = tuple(Item(k, item_label(k), item_text(k, a.get(k), k in a), item_text(k, b.get(k), k in b))
                  for k in keys)
    return Differences(f"“{clip(theirs.name, 40)}”", "item", theirs, shown, choices, frozenset(both),
                       lambda kept: merge(mine, theirs, kept))
