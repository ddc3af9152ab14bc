"""The report's progress tables: objectives by verdict per state and per area, late milestones, spending.

The verdicts are ``core.progress``'s (``assess``), as of the report's last day (the end of its
quarter, or today when that is earlier), so a report for a past quarter reads the returns as they
stood then. Plain Python: a register's verdicts are already counted once, in ``assess``.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections import Counter
from typing import Any

from ..model import coerce, vocab
from ..progress import VERDICTS, ArrangementProgress, assess
from .model import AMOUNT, COUNT, DATE, RATE, SHARE, Table

SHEETS = ("Progress by state", "Progress by area", "Late milestones", "Spending")
_COUNTS = {v: COUNT for v in (*VERDICTS, "Total")}
_RULE = ("Verdicts of the MoU in force (README: Progress): a number achieved, on track, at risk, off track or "
         "not enough data; a milestone done, done late, due or late; dropped; free text for an indicator in words.")


def progress_tables(store: Any, as_of: dt.date, areas: dict[str, list[str]], names: dict[str, str]) -> list[Table]:
    """The four tables (``areas``: arrangement id → its resettlement areas; ``names``: state code → name)."""
    # A register's verdicts are 100,000s of small objects made in one go, with no cycles among them: the
    # collector would walk the whole register read so far again and again (twice the time at 10,000).
    collecting = gc.isenabled()
    gc.disable()
    try:
        found = assess(store, as_of=as_of)
    finally:
        if collecting:
            gc.enable()
    on = as_of.isoformat()
    return [_by_state(found, on, names), _by_area(found, on, areas), _late(found, as_of), _spending(found, on)]


def _verdict_row(counts: Counter[str]) -> list[int]:
    return [counts[v] for v in VERDICTS] + [sum(counts[v] for v in VERDICTS)]


def _by_state(found: list[ArrangementProgress], on: str, names: dict[str, str]) -> Table:
    per_state: dict[str, Counter[str]] = {}
    for arrangement in found:
        per_state.setdefault(arrangement.state, Counter()).update(o.verdict for o in arrangement.objectives)
    rows = [[state, names.get(state) or coerce.country_name(state) if state else "", *_verdict_row(counts)]
            for state, counts in sorted(per_state.items())]
    totals = sum(per_state.values(), Counter())
    rows.append(["Total", "all states", *_verdict_row(totals)])
    return Table("Progress by state", f"Objectives by verdict per reporting state, as of {on}",
                 f"Each objective of an arrangement's MoU once, under the state that reports it. {_RULE}",
                 ["State", "Name", *VERDICTS, "Total"], rows, _COUNTS, {"State": 8, "Name": 24}, total_row=True)


def _by_area(found: list[ArrangementProgress], on: str, areas: dict[str, list[str]]) -> Table:
    per_area: dict[str, Counter[str]] = {name: Counter() for name in vocab.AREAS}
    for arrangement in found:
        verdicts = Counter(o.verdict for o in arrangement.objectives)
        for area in areas.get(arrangement.id) or ():
            per_area.setdefault(area, Counter()).update(verdicts)
    rows = [[area, *_verdict_row(counts)] for area, counts in per_area.items()]
    return Table("Progress by area", f"Objectives by verdict per resettlement area, as of {on}",
                 "An objective counts once for each area of its arrangement, so the areas add up to more than "
                 f"the objectives. {_RULE}",
                 ["Resettlement area", *VERDICTS, "Total"], rows, _COUNTS, {"Resettlement area": 44})


def _late(found: list[ArrangementProgress], as_of: dt.date) -> Table:
    rows: list[list[Any]] = []
    for arrangement in found:
        for item in arrangement.objectives:
            by = item.objective.by
            if item.verdict == "late" and by is not None:
                said = item.objective.indicator or item.objective.text
                rows.append([arrangement.id, arrangement.state, f"objective {item.number}", said, by,
                             (as_of - by).days, "not done"])
        for step in arrangement.activities:
            end = step.activity.end
            if step.late and end is not None:
                rows.append([arrangement.id, arrangement.state, f"activity {step.number}",
                             step.activity.milestone or step.activity.what, end, (as_of - end).days, step.state])
    rows.sort(key=lambda row: (row[4], row[0]))  # the longest overdue first; objectives before activities
    return Table("Late milestones", f"Late milestones, as of {as_of.isoformat()}",
                 "Milestone objectives not reported done by their date, and plan activities whose end has passed "
                 "that are neither done nor dropped (What: the milestone or outcome the activity works towards).",
                 ["Arrangement ID", "State", "Item", "What", "Due", "Days late", "Reported"], rows,
                 {"Due": DATE, "Days late": COUNT},
                 {"Arrangement ID": 14, "State": 8, "Item": 12, "What": 60, "Due": 12, "Reported": 14})


def _spending(found: list[ArrangementProgress], on: str) -> Table:
    rows = [[a.id, a.state, burn.quarter, burn.currency or None, burn.amount, burn.spent, burn.share_spent,
             burn.share_elapsed, burn.rate, burn.runs_out]
            for a in found if (burn := a.spending) is not None]
    return Table("Spending", f"Spending against funding, as of {on}",
                 "The latest spending reported, against the funds and their period (the MoU's section 7, else the "
                 "register's amount and dates). Burn rate = share spent / share of the period gone: above 1 the "
                 "funds run out early (Funds spent by: the day, at the pace so far), below 1 money is left over "
                 "or the work is behind.",
                 ["Arrangement ID", "State", "Quarter", "Currency", "Funds", "Spent to date", "Share spent",
                  "Period gone", "Burn rate", "Funds spent by"], rows,
                 {"Funds": AMOUNT, "Spent to date": AMOUNT, "Share spent": SHARE, "Period gone": SHARE,
                  "Burn rate": RATE, "Funds spent by": DATE},
                 {"Arrangement ID": 14, "State": 8, "Funds": 16, "Spent to date": 16, "Funds spent by": 14})
