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
from typing import Any, NamedTuple

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


class Goal(NamedTuple):
    """A number objective's target as its verdicts judge and say it, worked out once for every objective with
    the same target value, baseline, unit and dates (a register has few, and every verdict asks): its date
    also as an ordinal day, and the end of the two quarters after it, to compare the line's day with."""

    target: float
    falling: bool  # lower is better (``Objective.falling``)
    by: dt.date  # ``Objective.by``
    on: str  # ``by`` as ISO text
    by_day: int  # ``by`` as an ordinal day
    grace_day: int  # ``grace_end(by)`` as an ordinal day
    figure: str  # the target value as an official writes it: 5, 2.5, 1,200
    text: str  # 'target 5 missions by 2027-06-30', as the reasons say it
    target_text: str  # ``Objective.target_text()``


def goal(objective: Objective) -> Goal | None:
    """The goal of a number objective; None when it has no target value or no target date."""
    o = objective
    return _goal(o.kind, o.target_value, o.baseline, o.unit, o.target_date, o.due)


@lru_cache(maxsize=4096)  # the key: everything the goal is made of, so two objectives share it only when equal
def _goal(kind: str, target_value: float | None, baseline: float | None, unit: str, target_date: dt.date | None,
          due: str) -> Goal | None:
    counted = Objective(kind=kind, unit=unit, baseline=baseline, target_value=target_value, target_date=target_date,
                        due=due)  # the objective's own rules say what is due when, and which way is better
    target, by = counted.target_value, counted.by
    if target is None or by is None:
        return None
    on, shown = by.isoformat(), figure(target)
    return Goal(target, counted.falling, by, on, by.toordinal(), grace_end(by).toordinal(), shown,
                f"target {shown}{' ' + unit if unit else ''} by {on}", counted.target_text())


@lru_cache(maxsize=8192)  # the lines of a register reach a few thousand days (its ISO text is slow to write)
def _day(ordinal: int) -> tuple[dt.date, str]:
    """An ordinal day as a date and as ISO text."""
    day = dt.date.fromordinal(ordinal)
    return day, day.isoformat()


# Answers, made by the 10,000s: plain slotted dataclasses (a frozen one takes five times longer to make).
@dataclass(slots=True)
class Projection:
    """The line's value at the target date, and the day it reaches the target (None: never)."""

    value: float
    reaches: dt.date | None
    per_quarter: float
    method: str = METHOD

    def to_json(self) -> dict[str, Any]:
        """As JSON, ``reaches`` a ``datetime.date`` (orjson writes it as ISO text)."""
        return {"value": round(self.value, 4), "reaches": self.reaches, "per_quarter": round(self.per_quarter, 4),
                "method": self.method}


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
    aim = goal(objective)
    return judged(aim, values, as_of) if aim is not None else NO_TARGET


NO_TARGET = Outlook("not enough data", "the indicator has no target value or no target date")


def judged(goal: Goal, values: Sequence[Reading], as_of: dt.date) -> Outlook:
    """``number_of`` with the objective's goal worked out (``goal``): the days compared as ordinals."""
    target, falling, text = goal.target, goal.falling, goal.text
    if values:
        last = values[-1]
        if last.value <= target if falling else last.value >= target:
            return Outlook("achieved", f"{figure(last.value)} in {last.quarter}: {text} met")
    if len(values) < 2:
        said = f"one value so far ({figure(values[0].value)} in {values[0].quarter})" if values else "no value yet"
        return Outlook("not enough data", f"{said}: a trend needs two quarters; {text}")
    # The quarters' side of the line is worked out once per set of quarters (most objectives share theirs).
    quarters, ys, *_ = zip(*values)
    line = fit_quarters(quarters, ys)
    day = line.day_reaching(target) if (line.slope < 0 if falling else line.slope > 0) else None
    value, per_quarter = line.at_day(goal.by_day), line.per_quarter
    pace = f"{per_quarter:+.2f} a quarter, {figure(round(value, 1))} projected for {goal.on}"
    if day is None:
        return Outlook("off track", f"{pace}: the values do not move towards the {text}",
                       Projection(value, None, per_quarter))
    reaches, reached_on = _day(day)
    projection = Projection(value, reaches, per_quarter)
    today = as_of.toordinal()
    latest = day if day > today else today  # the day it can be met: not before the day of the verdict
    if latest <= goal.by_day:
        return Outlook("on track", f"{pace}: reaches {goal.figure} on {reached_on}, {text}", projection)
    when = f"reaches {goal.figure} on {reached_on}" if day >= today else \
        f"not reported met by {as_of.isoformat()}"
    if latest <= goal.grace_day:
        return Outlook("at risk", f"{pace}: {when}, within two quarters after {goal.on}", projection)
    return Outlook("off track", f"{pace}: {when}, more than two quarters after {goal.on}", projection)


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
