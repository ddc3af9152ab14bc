"""The implementation plan as reported: each activity's latest state, and the ones running late.

An activity of section 5 takes the state of its latest return (not started when none reported it);
it is **late** when its end date has passed and it is neither done nor dropped.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..model import coerce, vocab
from ..mou.dates import iso
from ..mou.parts import Activity


@dataclass(frozen=True)
class ActivityState:
    number: int
    activity: Activity
    state: str  # vocab.ACTIVITY_STATES
    done_on: dt.date | None
    quarter: str | None  # the return it was read from (None: never reported)
    late: bool

    def to_json(self) -> dict[str, Any]:
        return {"activity": self.number, "what": self.activity.what, "end": iso(self.activity.end),
                "state": self.state, "done_on": iso(self.done_on), "quarter": self.quarter, "late": self.late}


@dataclass(frozen=True)
class Reported:
    """What one quarter's return said of one activity."""

    activity: int
    quarter: str
    state: str
    done_on: dt.date | None = None
    reported: str = ""


def states(activities: Sequence[Activity], reports: Sequence[Reported], as_of: dt.date) -> list[ActivityState]:
    """Every activity of the plan with its latest reported state (returns of quarters after ``as_of`` left out)."""
    latest: dict[int, Reported] = {}
    now = coerce.quarter_of(as_of)
    for report in reports:
        known = latest.get(report.activity)
        if report.quarter <= now and (known is None or (report.quarter, report.reported) >= (known.quarter,
                                                                                             known.reported)):
            latest[report.activity] = report
    out = []
    for number, activity in enumerate(activities, 1):
        found = latest.get(number)
        state = found.state if found else "not started"
        late = state not in ("done", "dropped") and activity.end is not None and activity.end < as_of
        out.append(ActivityState(number, activity, state, found.done_on if found else None,
                                 found.quarter if found else None, late))
    return out


def summary(found: Sequence[ActivityState]) -> str:
    """'3 of 8 done, 2 in progress, 3 not started; late: 5 'Shadowed missions…' (ended 2026-11-27, in progress)'."""
    if not found:
        return "no activities in the plan"
    counts = Counter(s.state for s in found)
    parts = [f"{counts['done']} of {len(found)} done"] + [f"{counts[s]} {s}" for s in vocab.ACTIVITY_STATES
                                                          if s != "done" and counts[s]]
    late = [s for s in found if s.late]
    text = ", ".join(parts)
    if late:
        named = "; ".join(f"{s.number} '{_short(s.activity.what)}' (ended {iso(s.activity.end)}, {s.state})"
                          for s in late)
        text += f"; late: {named}"
    return text


def _short(text: str, width: int = 40) -> str:
    line = " ".join(text.split())
    return line if len(line) <= width else line[: width - 1] + "…"
