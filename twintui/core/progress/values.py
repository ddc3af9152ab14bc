"""The values a quarter's returns reported for one indicator: one per quarter, oldest first.

A value stands for the indicator at the end of its quarter (what the return asks for), so its date
is the quarter's last day. Two values for one quarter (a corrected return, or two records read from
different places) are one: the one reported later counts, and of two reported at the same moment,
the later in the list. A value for a quarter that begins after the day of the verdict (``as_of``)
cannot have been reported by then and is left out, so a verdict "as of" a past day reads the
values as they stood.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import lru_cache
from typing import NamedTuple

from ..model import coerce


class Reading(NamedTuple):
    """One reported value: its quarter (2026-Q3), the value, and when it was reported (ISO text).

    A named tuple, not a dataclass: a register's verdicts read 100,000s of them.
    """

    quarter: str
    value: float
    reported: str = ""


# Cached: a register's values fall in few quarters, and every verdict asks for their days.
bounds = lru_cache(maxsize=1024)(coerce.quarter_bounds)


def quarter_end(quarter: str) -> dt.date:
    """The day a quarter's value stands for: its last."""
    return bounds(quarter)[1]


@lru_cache(maxsize=1024)
def day_of(quarter: str) -> int:
    """``quarter_end`` as an ordinal day, the x of a trend."""
    return bounds(quarter)[1].toordinal()


def by_quarter(readings: Iterable[Reading], as_of: dt.date | None = None) -> list[Reading]:
    """One reading per quarter, oldest quarter first (the later reported of two for one quarter)."""
    kept: dict[str, Reading] = {}
    for reading in readings:
        if as_of is not None and bounds(reading.quarter)[0] > as_of:
            continue
        known = kept.get(reading.quarter)
        if known is None or reading.reported >= known.reported:
            kept[reading.quarter] = reading
    return [kept[q] for q in sorted(kept)]
