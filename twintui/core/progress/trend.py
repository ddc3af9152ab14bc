"""The trend of an indicator: a least-squares line through its quarterly values, and where it leads.

Why a least-squares line (x = the day each quarter ends, y = the value reported for it):

- it is robust to one noisy quarter: every value pulls the line a little, none decides it alone
  (projecting from the last two values would swing with any one late or corrected figure);
- it is the standard trend of a series: Excel's and LibreOffice's ``FORECAST`` (``FORECAST.LINEAR``,
  ``TREND``) give the same figure for the same dates and values, so an official can check it in
  the spreadsheet the return came in;
- it is explainable: "at the pace of the quarters so far, the indicator reaches N by the target
  date", with a slope that reads as so much per quarter.

Quarters are not of one length (90 to 92 days), so x is the quarter's end date in days, not the
quarter's number: the line is the same whichever quarters were reported, gaps included.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from functools import lru_cache, partial
from typing import NamedTuple

from .values import day_of

METHOD = "least squares"
DAYS_PER_QUARTER = 365.25 / 4


class Line(NamedTuple):
    """value(day) = mean_value + slope × (day − mean_day), day in ordinal days (anchored at the means, so the
    figures stay exact far from year 1). A named tuple: a register's verdicts make 10,000s of them."""

    slope: float  # per day
    mean_day: float
    mean_value: float

    @property
    def per_quarter(self) -> float:
        return self.slope * DAYS_PER_QUARTER

    def at(self, day: dt.date) -> float:
        return self.at_day(day.toordinal())

    def at_day(self, day: int) -> float:
        """``at`` an ordinal day."""
        return self.mean_value + self.slope * (day - self.mean_day)

    def reaches(self, value: float) -> dt.date | None:
        """The first day on which the line is at ``value`` (None when it is flat, or that day is past year 9999)."""
        day = self.day_reaching(value)
        return None if day is None else dt.date.fromordinal(day)

    def day_reaching(self, value: float) -> int | None:
        """``reaches`` as an ordinal day."""
        if self.slope == 0:
            return None
        day = math.ceil(self.mean_day + (value - self.mean_value) / self.slope - 1e-9)
        return day if 1 <= day <= _LAST_DAY else None


_LAST_DAY = dt.date.max.toordinal()


class Side(NamedTuple):
    """The x side of a least-squares fit, the same for every series on the same days: the mean day, each
    day's distance from it, and the sum of their squares."""

    mean_day: float
    deviations: tuple[float, ...]
    sxx: float


def fit(points: Sequence[tuple[dt.date, float]]) -> Line:
    """The least-squares line through ``points`` (at least two, on different days)."""
    return fit_days([day.toordinal() for day, _ in points], [value for _, value in points])


def fit_days(days: Sequence[int], values: Sequence[float]) -> Line:
    """``fit`` with the days as ordinals."""
    return _fit(_side(tuple(days)), values)


def fit_quarters(quarters: tuple[str, ...], values: Sequence[float]) -> Line:
    """``fit`` of one value per quarter, each standing for the quarter's last day (``values.day_of``)."""
    return _fit(quarter_side(quarters), values)


@lru_cache(maxsize=4096)  # most objectives of a register are reported for the same few quarters
def quarter_side(quarters: tuple[str, ...]) -> Side:
    """The x side of a fit through these quarters' last days, worked out once per set of quarters."""
    return _side(tuple(day_of(q) for q in quarters))


def _side(days: tuple[int, ...]) -> Side:
    if len(set(days)) < 2:
        raise ValueError("a trend needs values on two different days")
    mean_x = sum(days) / len(days)
    deviations = tuple(x - mean_x for x in days)
    sxx = 0.0
    for dx in deviations:  # summed in order, as the y side is: the same figures as one loop over both
        sxx += dx * dx
    return Side(mean_x, deviations, sxx)


def _fit(side: Side, values: Sequence[float]) -> Line:
    if len(values) != len(side.deviations):
        raise ValueError("a trend needs one value per day")
    mean_y = sum(values) / len(values)
    sxy = 0.0
    for dx, y in zip(side.deviations, values):
        sxy += dx * (y - mean_y)
    return _line((sxy / side.sxx, side.mean_day, mean_y))


# A Line made without its Python-level __new__ (one per objective counted: the same tuple, faster).
_line = partial(tuple.__new__, Line)
