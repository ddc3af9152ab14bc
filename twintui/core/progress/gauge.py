"""The progress of an indicator drawn in text: a sparkline of its quarterly values, a bar toward its target.

Plain characters (block elements), so they read in any terminal, in 16 colours and without colour:
the screens print them as they are. Pure functions; the verdict beside them says what they mean.
"""

from __future__ import annotations

from collections.abc import Sequence

SPARKS = "▁▂▃▄▅▆▇█"
BAR_FULL = "█"
BAR_PARTS = "▏▎▍▌▋▊▉"  # one to seven eighths of a cell
BAR_EMPTY = "·"


def sparkline(values: Sequence[float], low: float | None = None, high: float | None = None) -> str:
    """One block per value, ▁ at the bottom of the scale and █ at its top.

    The scale runs from ``low`` to ``high`` (an objective's baseline and target, so the top block is the
    target reached), widened to take in every value; without them, from the values' own lowest to highest.
    A scale of no height (every value the same, and no target) puts them all at the middle.
    """
    if not values:
        return ""
    bottom = min(values) if low is None else min(low, *values)
    top = max(values) if high is None else max(high, *values)
    if top == bottom:
        return SPARKS[3] * len(values)
    steps = len(SPARKS) - 1
    return "".join(SPARKS[round((v - bottom) / (top - bottom) * steps)] for v in values)


def toward(value: float, baseline: float, target: float) -> float | None:
    """How far ``value`` has come from ``baseline`` to ``target``, 0 to 1 (a falling target too); None when
    the baseline is the target (no distance to go)."""
    if target == baseline:
        return None
    return min(1.0, max(0.0, (value - baseline) / (target - baseline)))


def bar(share: float | None, width: int) -> str:
    """``share`` (0 to 1; None: not known) as a bar of exactly ``width`` cells, filled in eighths of a cell."""
    if width < 1:
        raise ValueError("a bar needs at least one cell")
    if share is None:
        return BAR_EMPTY * width
    cells = min(1.0, max(0.0, share)) * width
    full = int(cells)
    eighths = round((cells - full) * 8)
    if eighths == 8:
        full, eighths = full + 1, 0
    drawn = BAR_FULL * full + (BAR_PARTS[eighths - 1] if eighths else "")
    return drawn + BAR_EMPTY * (width - len(drawn))
