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
from dataclasses import dataclass

METHOD = "least squares"
DAYS_PER_QUARTER = 365.25 / 4


@dataclass(frozen=True)
class Line:
    """value(day) = mean_value + slope × (day − mean_day), day in ordinal days (anchored at the means, so the
    figures stay exact far from year 1)."""

    slope: float  # per day
    mean_day: float
    mean_value: float

    @property
    def per_quarter(self) -> float:
        return self.slope * DAYS_PER_QUARTER

    def at(self, day: dt.date) -> float:
        return self.mean_value + self.slope * (day.toordinal() - self.mean_day)

    def reaches(self, value: float) -> dt.date | None:
        """The first day on which the line is at ``value`` (None when it is flat, or that day is past year 9999)."""
        if self.slope == 0:
            return None
        day = math.ceil(self.mean_day + (value - self.mean_value) / self.slope - 1e-9)
        if not 1 <= day <= dt.date.max.toordinal():
            return None
        return dt.date.fromordinal(day)


def fit(points: Sequence[tuple[dt.date, float]]) -> Line:
    """The least-squares line through ``points`` (at least two, on different days)."""
    return fit_days([day.toordinal() for day, _ in points], [value for _, value in points])


def fit_days(days: Sequence[int], values: Sequence[float]) -> Line:
    """``fit`` with the days as ordinals (plain loops: a register's verdicts fit 10,000s of short series)."""
    if len(set(days)) < 2:
        raise ValueError("a trend needs values on two different days")
    n = len(days)
    mean_x, mean_y = sum(days) / n, sum(values) / n
    sxx = sxy = 0.0
    for x, y in zip(days, values, strict=True):
        dx = x - mean_x
        sxx += dx * dx
        sxy += dx * (y - mean_y)
    return Line(sxy / sxx, mean_x, mean_y)
