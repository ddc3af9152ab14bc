"""Demo data: what the quarterly returns of the two arrangements with an MoU reported.

Realistic figures for the objectives, activities and spending of Norway's draft and Canada's
agreed MoU (``twintui.core.mou.demo``), up to the last quarter each arrangement reported on the
register (Norway 2026-Q2, Canada 2026-Q3). As of the demo's pinned today (``synthetic.TODAY``,
2026-11-01) they give every verdict (``twintui progress --as-of 2026-11-01``):

- Canada 1, states with a focal point, 3 → 8 by 2026-12-31: 4, 4, 5, 5 — **off track** (the README's
  worked example);
- Canada 2, officials trained, 0 → 120 by 2026-06-30: 130 in 2026-Q2 — **achieved**;
- Canada 3, places pledged, 0 → 300 by 2027-12-31: 60, 90, 130, 150 — **on track**;
- Canada 4, the practice notes, a milestone due 2026-06-30 and not done — **late**;
- Norway 1, missions shadowed, 0 → 5 by 2027-06-30: 2, 2, 3 — **at risk**;
- Norway 2, integration plans, 0 → 5 by 2027-12-31: one value so far — **not enough data**;
- Norway 3, "Improve cooperation", in words — **free text**.

Every date is fixed, so the demo is the same on every machine.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from ..model import Arrangement
from ..model.progress import ActivityProgress, ObjectiveProgress, Spending
from ..mou.model import Sections

D = dt.date
Reported = ObjectiveProgress | ActivityProgress | Spending

# objective number -> [(quarter, value, status, comment)]
_NORWAY_OBJECTIVES: dict[int, list[tuple[str, float | None, str, str]]] = {
    1: [("2025-Q4", 2, "on track", "Argentina's and Brazil's missions shadowed"),
        ("2026-Q1", 2, "on track", ""),
        ("2026-Q2", 3, "delayed", "Chile's mission shadowed in May; Paraguay's and Uruguay's moved to the autumn")],
    2: [("2026-Q2", 0, "on track", "Drafting started in June with the municipalities")],
    3: [("2026-Q2", None, "on track", "Monthly calls held as planned")],
}
_CANADA_OBJECTIVES: dict[int, list[tuple[str, float | None, str, str]]] = {
    1: [("2025-Q4", 4, "on track", "Peru named a focal point"),
        ("2026-Q1", 4, "delayed", ""),
        ("2026-Q2", 5, "delayed", "Ecuador joined; two states postponed naming one until after their elections"),
        ("2026-Q3", 5, "delayed", "")],
    2: [("2025-Q2", 45, "on track", "Santiago training"),
        ("2025-Q4", 70, "on track", ""),
        ("2026-Q1", 95, "on track", ""),
        ("2026-Q2", 130, "achieved", "The Brasilia follow-up course was oversubscribed")],
    3: [("2025-Q4", 60, "on track", "Pledges at the Brasilia seminar"),
        ("2026-Q1", 90, "on track", ""),
        ("2026-Q2", 130, "on track", ""),
        ("2026-Q3", 150, "on track", "")],
    4: [("2026-Q2", None, "delayed", "The Portuguese translation was not budgeted"),
        ("2026-Q3", None, "delayed", "An interpreter is found; publication planned for December")],
}
# activity number -> (state, done on), as the latest return says
_NORWAY_PLAN = ("2026-Q2", {1: ("done", D(2025, 3, 7)), 2: ("done", D(2025, 5, 16)), 3: ("done", D(2025, 12, 19)),
                            4: ("done", D(2026, 6, 26)), 5: ("in progress", None), 6: ("done", D(2026, 5, 20)),
                            7: ("in progress", None), 8: ("not started", None)})
_CANADA_PLAN = ("2026-Q3", {1: ("done", D(2024, 11, 20)), 2: ("in progress", None), 3: ("done", D(2025, 5, 9)),
                            4: ("done", D(2025, 11, 20)), 5: ("in progress", None), 6: ("not started", None)})
_NORWAY_SPENT = (("2025-Q4", 1_150_000), ("2026-Q2", 1_650_000))
_CANADA_SPENT = (("2025-Q4", 140_000), ("2026-Q3", 190_000))


def _returns(sections: Sections, objectives: dict[int, list[tuple[str, float | None, str, str]]],
             plan: tuple[str, dict[int, tuple[str, dt.date | None]]], spent: Sequence[tuple[str, float]],
             currency: str) -> list[Reported]:
    out: list[Reported] = []
    for number, rows in objectives.items():
        objective = sections.objectives[number - 1]
        counted = objective.kind == "number"
        for quarter, value, status, comment in rows:
            out.append(ObjectiveProgress(objective=number, quarter=quarter, value=value, status=status,
                                         comment=comment, baseline=objective.baseline if counted else None,
                                         target=objective.target_value if counted else None))
    quarter, states = plan
    for number, (state, done_on) in states.items():
        out.append(ActivityProgress(activity=number, quarter=quarter, state=state, done_on=done_on))
    out += [Spending(quarter=q, spent=amount, currency=currency) for q, amount in spent]
    return out


def returns_of(sections: Sections, arrangement: Arrangement) -> list[Reported]:
    """The demo's returns of one of the two arrangements (Norway's or Canada's Americas one)."""
    if arrangement.reporting_state == "NOR":
        return _returns(sections, _NORWAY_OBJECTIVES, _NORWAY_PLAN, _NORWAY_SPENT, "NOK")
    return _returns(sections, _CANADA_OBJECTIVES, _CANADA_PLAN, _CANADA_SPENT, "CAD")
