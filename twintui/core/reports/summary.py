"""The register screen's summary panel: counts by status and area of the rows the current filter shows.

Pure Python, no pandas: it runs on every change of the filter.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ..model import vocab


@dataclass(frozen=True)
class SummaryCounts:
    """How many of the listed arrangements have each status, area and activity type (vocabulary order)."""

    total: int
    by_status: dict[str, int]
    by_area: dict[str, int]
    by_activity_type: dict[str, int]
    without_area: int = 0

    def lines(self) -> list[str]:
        """The counts as short lines ("active 12 · completed 3"), values with no rows left out."""
        statuses = " · ".join(f"{name} {count}" for name, count in self.by_status.items() if count)
        areas = [f"{count:>6}  {name}" for name, count in self.by_area.items() if count]
        if self.without_area:
            areas.append(f"{self.without_area:>6}  (no area)")
        return [f"{self.total} arrangements" + (f": {statuses}" if statuses else ""), *areas]


def summary_counts(rows: Iterable[Any]) -> SummaryCounts:
    """Counts for the rows of a filtered register list (``register.Row``: ``status``, ``areas``, ``activity_types``).

    Every vocabulary value is present (0 when no row has it), in the vocabulary's
    order; a value outside it (an invalid imported row) comes after them. An
    arrangement counts once for each area it names. Pure Python: a few ms for 10,000 rows.
    """
    statuses: Counter[str] = Counter()
    areas: Counter[str] = Counter()
    activities: Counter[str] = Counter()
    total = without_area = 0
    for row in rows:
        total += 1
        statuses[row.status] += 1
        areas.update(row.areas)
        activities.update(row.activity_types)
        without_area += not row.areas
    return SummaryCounts(total, _ordered(statuses, vocab.STATUSES), _ordered(areas, vocab.AREAS),
                         _ordered(activities, vocab.ACTIVITY_TYPES), without_area)


def _ordered(counts: Counter[str], vocabulary: tuple[str, ...]) -> dict[str, int]:
    ordered = {name: counts.get(name, 0) for name in vocabulary}
    ordered.update({name: counts[name] for name in sorted(counts) if name not in ordered})
    return ordered
