"""When an arrangement owes its quarterly report, and when that report is late: one rule for every screen.

The Register marks an arrangement stale (``!``), the Returns screen marks a state's
return overdue, and both answer the same question with these functions, so they
never disagree on the same fact:

- a quarter's return is **due** 30 days after the quarter ends;
- an arrangement **runs in** a quarter when it is not cancelled and its dates overlap
  the quarter; without a start date an active or suspended one is taken as running
  and a planned (or completed) one as not having run;
- it **owes** the report of a quarter when it is still under way (planned, active or
  suspended), runs in the quarter, and its reported quarter is earlier;
- it is **stale** when it owes the report of the last quarter whose return is past due
  and its state's return for that quarter was not received;
- a state's return for a quarter is **overdue** when it is past due, was not received,
  and one of the state's arrangements still owes it.

An arrangement that has not started yet owes nothing, and a state none of whose
arrangements ran in a quarter is not expected to report on it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from .model import coerce

DUE_AFTER_DAYS = 30
# Arrangements in these statuses still report every quarter.
UNDER_WAY = frozenset({"planned", "active", "suspended"})
# Without a start date, these are taken as having started.
RUNNING = frozenset({"active", "suspended"})


def quarter_number(quarter: str) -> int:
    """Quarters as consecutive integers (2026-Q1 → 8104), so they can be compared and subtracted."""
    return int(quarter[:4]) * 4 + int(quarter[-1]) - 1


def due_date(quarter: str) -> dt.date:
    """The day a quarter's return is due: 30 days after the quarter's last day."""
    return coerce.quarter_bounds(quarter)[1] + dt.timedelta(days=DUE_AFTER_DAYS)


def previous_quarter(today: dt.date) -> str:
    """The last quarter that has ended: the one whose return is due next."""
    first_of_quarter = coerce.quarter_bounds(coerce.quarter_of(today))[0]
    return coerce.quarter_of(first_of_quarter - dt.timedelta(days=1))


@lru_cache(maxsize=64)  # the same day for every row of a register (10,000s of times at start)
def last_due_quarter(today: dt.date) -> str:
    """The last quarter whose return is past its due date on ``today``."""
    quarter = previous_quarter(today)
    if today > due_date(quarter):
        return quarter
    return previous_quarter(coerce.quarter_bounds(quarter)[0])


def _text(value: Any) -> str:
    return value.isoformat() if isinstance(value, dt.date) else (value or "")


def runs_in(status: str, start: Any, end: Any, quarter: str) -> bool:
    """Whether an arrangement ran during ``quarter`` (dates as ISO text or dates)."""
    if status == "cancelled":
        return False
    first, last = _bounds(quarter)
    start, end = _text(start), _text(end)
    if start:
        if start > last:
            return False  # not started yet
    elif status not in RUNNING:
        return False
    return not end or end >= first


@lru_cache(maxsize=256)  # a register asks of a few quarters, once per arrangement
def _bounds(quarter: str) -> tuple[str, str]:
    """A quarter's first and last day as ISO text."""
    first, last = coerce.quarter_bounds(quarter)
    return first.isoformat(), last.isoformat()


def owes_report(status: str, start: Any, end: Any, reported_quarter: str, quarter: str) -> bool:
    """Whether an arrangement still owes the report of ``quarter``."""
    if status not in UNDER_WAY or not runs_in(status, start, end, quarter):
        return False
    return not reported_quarter or quarter_number(reported_quarter) < quarter_number(quarter)


def doc_owes_report(doc: Mapping[str, Any], quarter: str) -> bool:
    """``owes_report`` for a stored arrangement document."""
    return owes_report(doc.get("status") or "", doc.get("start"), doc.get("end"), doc.get("reported_quarter") or "",
                       quarter)


def doc_expected_in(doc: Mapping[str, Any], quarter: str) -> bool:
    """Whether a stored arrangement reports on ``quarter`` at all (under way and running in it)."""
    status = doc.get("status") or ""
    return status in UNDER_WAY and runs_in(status, doc.get("start"), doc.get("end"), quarter)


def is_stale(status: str, start: Any, end: Any, reported_quarter: str, today: dt.date,
             received: bool = False) -> bool:
    """Under way, ran in the last quarter past its due date, and not reported for it.

    ``received``: the state's return for that quarter came back (then nothing is owed any more).
    """
    return not received and owes_report(status, start, end, reported_quarter, last_due_quarter(today))
