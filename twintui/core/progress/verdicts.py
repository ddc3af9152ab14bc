"""Where will it land? The verdict on one objective, from its indicator and the values reported so far.

A number (``Objective.kind == "number"``), with T its target value, D its target date (the
objective's due date when it has none) and "meets" meaning at or above T (at or below T for a
falling indicator, whose target is below its baseline):

- **achieved**: the latest value reported meets T;
- **not enough data**: fewer than two quarters reported (a trend needs two);
- otherwise the least-squares line through the quarterly values (``trend``) gives the day R on
  which it reaches T; it cannot be reached before the day of the verdict, so R is at least that day:
  **on track** when R is on or before D (the line at D meets T), **at risk** when R is within two
  quarters after D (``grace_end``), **off track** when R is later, or the line never reaches T
  (flat, or going the wrong way).

A milestone: **done** when a return reports it achieved by its date, **done late** when after it
(the day it was done, else the last day of the first quarter that reports it achieved: the latest
it can have been done), **due** when not done and its date is still to come, **late** when not
done and the date has passed. Either kind is **dropped** when its latest return says so. An
indicator in words (``text``) is not counted: its verdict is **free text**.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..model import coerce
from ..mou.dates import add_months, iso, last_day
from ..mou.parts import Objective, figure
from .trend import METHOD, fit_quarters
from .values import Reading, by_quarter, quarter_end

NUMBER_VERDICTS = ("achieved", "on track", "at risk", "off track", "not enough data")
MILESTONE_VERDICTS = ("done", "done late", "due", "late")
VERDICTS = (*NUMBER_VERDICTS, *MILESTONE_VERDICTS, "dropped", "free text")
# What will not be met in time, to act on: marked "!" in texts and "✗" in the Register.
ACT_ON = frozenset({"off track", "late"})


@lru_cache(maxsize=4096)  # a register has few target dates, and every verdict asks
def grace_end(by: dt.date) -> dt.date:
    """The last day that is "within two quarters after" ``by``: six months on, and from a month's last day to
    the last day of the month six months on (30 June → 31 December, as two returns later)."""
    later = add_months(by, 6)
    return last_day(later.year, later.month) if by == last_day(by.year, by.month) else later


@lru_cache(maxsize=4096)  # a register has few targets, units and dates, and every verdict says its own
def _goal(target: float, unit: str, by: dt.date) -> str:
    return f"target {figure(target)}{' ' + unit if unit else ''} by {by.isoformat()}"


# Answers, made by the 10,000s: plain slotted dataclasses (a frozen one takes five times longer to make).
@dataclass(slots=True)
class Projection:
    """The line's value at the target date, and the day it reaches the target (None: never)."""

    value: float
    reaches: dt.date | None
    per_quarter: float
    method: str = METHOD

    def to_json(self) -> dict[str, Any]:
        reaches = self.reaches
        return {"value": round(self.value, 4), "reaches": reaches.isoformat() if reaches else None,
                "per_quarter": round(self.per_quarter, 4), "method": self.method}


@dataclass(slots=True)
class Outlook:
    """The verdict on one objective and the one line that explains it."""

    verdict: str
    reason: str
    projection: Projection | None = None


@dataclass(frozen=True)
class Report:
    """What one quarter's return said of a milestone objective (status, the day it was done)."""

    quarter: str
    status: str | None = None
    done_on: dt.date | None = None
    reported: str = ""


def number(objective: Objective, readings: Sequence[Reading], as_of: dt.date) -> Outlook:
    """The verdict on a number indicator (``objective.target_value`` and ``objective.by`` set) from the
    values reported, in any order (``values.by_quarter`` keeps one a quarter)."""
    return number_of(objective, by_quarter(readings, as_of), as_of)


def number_of(objective: Objective, values: Sequence[Reading], as_of: dt.date) -> Outlook:
    """``number`` from values already one a quarter, oldest first, none after ``as_of`` (``by_quarter``'s)."""
    target, by = objective.target_value, objective.by
    if target is None or by is None:
        return Outlook("not enough data", "the indicator has no target value or no target date")
    falling, on = objective.falling, by.isoformat()
    goal = _goal(target, objective.unit, by)
    if values and (values[-1].value <= target if falling else values[-1].value >= target):
        return Outlook("achieved", f"{figure(values[-1].value)} in {values[-1].quarter}: {goal} met")
    if len(values) < 2:
        said = f"one value so far ({figure(values[0].value)} in {values[0].quarter})" if values else "no value yet"
        return Outlook("not enough data", f"{said}: a trend needs two quarters; {goal}")
    # The quarters' side of the line is worked out once per set of quarters (most objectives share theirs).
    quarters, ys, *_ = zip(*values)
    line = fit_quarters(quarters, ys)
    reaches = line.reaches(target) if (line.slope < 0 if falling else line.slope > 0) else None
    projection = Projection(line.at(by), reaches, line.per_quarter)
    pace = f"{projection.per_quarter:+.2f} a quarter, {figure(round(projection.value, 1))} projected for {on}"
    if reaches is None:
        return Outlook("off track", f"{pace}: the values do not move towards the {goal}", projection)
    if max(reaches, as_of) <= by:
        return Outlook("on track", f"{pace}: reaches {figure(target)} on {reaches.isoformat()}, {goal}", projection)
    when = f"reaches {figure(target)} on {reaches.isoformat()}" if reaches >= as_of else \
        f"not reported met by {as_of.isoformat()}"
    if max(reaches, as_of) <= grace_end(by):
        return Outlook("at risk", f"{pace}: {when}, within two quarters after {on}", projection)
    return Outlook("off track", f"{pace}: {when}, more than two quarters after {on}", projection)


def milestone(objective: Objective, reports: Sequence[Report], as_of: dt.date) -> Outlook:
    """The verdict on a milestone (``objective.by`` set)."""
    by = objective.by
    if by is None:
        return Outlook("due", "the milestone has no date")
    latest: dict[str, Report] = {}  # per quarter, the report made later (as for values)
    now = coerce.quarter_of(as_of)
    for report in reports:
        if report.quarter <= now and report.reported >= latest.get(report.quarter, report).reported:
            latest[report.quarter] = report
    known = [latest[q] for q in sorted(latest)]
    achieved = [r for r in known if r.status == "achieved" or r.done_on is not None]
    if known and known[-1] in achieved:
        dated = [r.done_on for r in achieved if r.done_on is not None]
        done = min(dated) if dated else quarter_end(achieved[0].quarter)
        said = f"done {iso(done)}" + ("" if dated else f" (by the end of {achieved[0].quarter})")
        if done <= by:
            return Outlook("done", f"{said}, its date {iso(by)}")
        return Outlook("done late", f"{said}, {(done - by).days} days after its date {iso(by)}")
    if as_of <= by:
        return Outlook("due", f"not done yet; due {iso(by)}, in {(by - as_of).days} days")
    return Outlook("late", f"not done; due {iso(by)}, {(as_of - by).days} days ago")



def dropped(quarter: str, comment: str = "") -> Outlook:
    """An objective its latest return says was dropped: no verdict on the figures."""
    return Outlook("dropped", f"dropped in {quarter}" + (f": {comment}" if comment else ""))
