"""The progress so far, as the rendered MoU's review and evaluation section (8) shows it.

``so_far(store, document, as_of)`` gives the templates plain values (``mou.render`` passes them on
as ``progress``): per objective its values by quarter, target and verdict with its reason; the
plan's activities as reported; the spending. None when no return has reported anything for the
arrangement yet: a memorandum that has just been agreed shows no empty table. The figures belong
to the MoU in force (``assess``), which may be another version than the one rendered: the values
then say which.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from ..mou.dates import iso, long_date
from ..mou.parts import figure
from . import plan
from .assess import ArrangementProgress, assess_one
from .verdicts import ACT_ON

if TYPE_CHECKING:
    from ..mou.versions import Document
    from ..store import Store

REPORTED = ("done", "done late", "dropped")  # verdicts that only a return can give


def so_far(store: Store, document: Document, as_of: dt.date) -> dict[str, Any] | None:
    """The progress of ``document``'s arrangement as of ``as_of``, or None when nothing was reported."""
    found = assess_one(store, document.arrangement.id, as_of)
    if found is None or not reported(found):
        return None
    return values(found, as_of, document.memorandum.label)


def reported(found: ArrangementProgress) -> bool:
    """Whether any return said anything of the arrangement: a value, a milestone done or dropped, an
    activity's state, spending."""
    return (found.spending is not None or any(s.quarter is not None for s in found.activities)
            or any(o.values or o.done_on or o.verdict in REPORTED for o in found.objectives))


def values(found: ArrangementProgress, as_of: dt.date, rendered: str = "") -> dict[str, Any]:
    """The template values of ``found`` (``rendered``: the label of the version being rendered)."""
    objectives = []
    for item in found.objectives:
        o = item.objective
        shown = " · ".join(f"{r.quarter} {figure(r.value)}" for r in item.values)
        if item.done_on is not None:
            shown = "; ".join(x for x in (shown, f"done {iso(item.done_on)}") if x)
        mark = "! " if item.verdict in ACT_ON else ""
        target = o.target_text()
        if o.kind != "text" and o.target_date is None and o.by is not None:  # the due date it falls back on
            target += f" by {iso(o.by)}"
        # "reported", not "values": a template reads o.values as the dict's method
        objectives.append({"n": item.number, "text": o.text or o.indicator, "reported": shown, "target": target,
                           "verdict": item.verdict, "reason": item.outlook.reason,
                           "outlook": f"{mark}{item.verdict}: {item.outlook.reason}"})
    activities = [{"n": s.number, "what": s.activity.what, "end": iso(s.activity.end) or "",
                   "state": s.state + (f" {iso(s.done_on)}" if s.done_on else "") + (", late" if s.late else ""),
                   "late": s.late} for s in found.activities]
    against = "" if found.mou == rendered else \
        f"The figures are reported against {found.mou}, the MoU in force, and numbered as there."
    return {
        "as_of": long_date(as_of),
        "mou": found.mou,
        "against": against,
        "objectives": objectives,
        "activities": activities,
        "plan": plan.summary(found.activities) if found.activities else "",
        "spending": found.spending.text() if found.spending is not None else "",
    }
