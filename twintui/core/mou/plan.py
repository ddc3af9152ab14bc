"""Checks of the implementation plan (section 5) against the MoU period and the funding.

Each activity should have an owner and work towards a milestone or outcome
(guidelines, "Implementation plan"), run within the MoU period, and be covered
by the period the funds are available.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .dates import iso
from .model import Activity, Sections, where


@dataclass(frozen=True)
class PlanProblem:
    code: str  # stable, for scripts: activity-outside-period, activity-no-owner, ...
    where: str
    message: str
    activity: int | None = None  # the activity's number in the plan; None for the plan or its funding

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, "where": self.where, "message": self.message}


CODES: dict[str, str] = {
    "plan-empty": "the implementation plan lists no activities",
    "activity-no-owner": "an activity has nobody assigned (who)",
    "activity-no-milestone": "an activity works towards no milestone or outcome",
    "activity-no-dates": "an activity has no start or end date",
    "activity-end-before-start": "an activity ends before it starts",
    "activity-outside-period": "an activity starts before or ends after the MoU period",
    "funding-shorter-than-plan": "the funds are available for a shorter period than the plan runs",
}


def _name(number: int, activity: Activity) -> str:
    what = " ".join(activity.what.split())
    what = what if len(what) <= 40 else what[:39] + "…"
    return f"activity {number}" + (f" '{what}'" if what else "")


def plan_problems(sections: Sections) -> list[PlanProblem]:
    """Everything the plan checks find, in plan order; an empty list means the plan is sound."""
    activities = sections.activities
    if not activities:
        return [PlanProblem("plan-empty", where(5), "the implementation plan lists no activities yet")]
    found: list[PlanProblem] = []
    start, end = sections.start, sections.end
    for number, activity in enumerate(activities, 1):
        name = _name(number, activity)

        def flag(code: str, message: str, number: int = number) -> None:
            found.append(PlanProblem(code, where(5, f"activity {number}"), message, activity=number))

        if not activity.who.strip():
            flag("activity-no-owner", f"{name} has nobody assigned: say who carries it out")
        if not activity.milestone.strip():
            flag("activity-no-milestone", f"{name} works towards no milestone or outcome: name the one it serves")
        if activity.start is None or activity.end is None:
            missing = "start and end" if activity.start is None and activity.end is None else \
                "start" if activity.start is None else "end"
            flag("activity-no-dates", f"{name} has no {missing} date")
        if activity.start and activity.end and activity.end < activity.start:
            flag("activity-end-before-start",
                 f"{name} ends ({iso(activity.end)}) before it starts ({iso(activity.start)})")
        if start and activity.start and activity.start < start:
            flag("activity-outside-period",
                 f"{name} starts {iso(activity.start)}, before the MoU starts ({iso(start)})")
        if end and activity.end and activity.end > end:
            flag("activity-outside-period", f"{name} ends {iso(activity.end)}, after the MoU ends ({iso(end)})")
    funding = sections.funding
    first = min((a.start for a in activities if a.start), default=None)
    last = max((a.end for a in activities if a.end), default=None)
    if funding.available_from and first and funding.available_from > first:
        found.append(PlanProblem("funding-shorter-than-plan", where(7, "period available"),
                                 f"the funds are available from {iso(funding.available_from)}, but the plan "
                                 f"starts {iso(first)}"))
    if funding.available_until and last and funding.available_until < last:
        found.append(PlanProblem("funding-shorter-than-plan", where(7, "period available"),
                                 f"the funds are available until {iso(funding.available_until)}, but the plan "
                                 f"runs until {iso(last)}"))
    return found
