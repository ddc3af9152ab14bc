"""The returns tracker: for each state and quarter, when its return went out and came back.

One ``QuarterlyReturn`` record per state and quarter (id ``NOR-2026-Q3``), kept in
the store like any other record, so it has revisions and an audit trail. When a
return is due and who owes it is ``core.reporting``'s rule, the one the Register's
stale marker follows: a state is overdue for a quarter when the return is past due,
was not received, and one of its arrangements ran in the quarter and has not reported it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ..errors import ConflictError
from ..model import Arrangement
from ..model.returns import QuarterlyReturn
from ..reporting import (
    DUE_AFTER_DAYS,
    doc_expected_in,
    doc_owes_report,
    due_date,
    previous_quarter,
    quarter_number,
)
from ..store import Store, Transaction

__all__ = ["DUE_AFTER_DAYS", "QuarterlyReturn", "ReturnStatus", "due_date", "overdue", "previous_quarter",
           "return_id", "returns_status"]


def return_id(state: str, quarter: str) -> str:
    return f"{state}-{quarter}"


Fill = Callable[[QuarterlyReturn], QuarterlyReturn]


def commit_with_trackers(store: Store, source: str, trackers: dict[tuple[str, str], Fill],
                         extra: Callable[[Transaction], None] | None = None,
                         backup: str | None = None) -> Transaction:
    """Update tracker records (state, quarter → change) and whatever ``extra`` adds, in one transaction.

    Two processes may update the same state's tracker at once (an export and an
    import, two imports): the tracker is re-read and the transaction retried, so
    both land. A conflict on any other record is the caller's to report.
    """
    # Each lost race means another process's write landed: with n writers at once, the last one
    # may lose n - 1 times (24 simultaneous exports of one state are tested).
    attempts = 50
    for attempt in range(attempts):
        current = {(state, quarter): store.get(QuarterlyReturn, return_id(state, quarter))
                   or QuarterlyReturn(id=return_id(state, quarter), state=state, quarter=quarter)
                   for state, quarter in trackers}
        try:
            with store.transaction(source, backup=backup) as tx:
                if extra is not None:
                    extra(tx)
                for which, fill in trackers.items():
                    tx.save(fill(current[which]))
            return tx
        except ConflictError as error:
            if not isinstance(error.mine, QuarterlyReturn) or attempt == attempts - 1:
                raise
    raise AssertionError("unreachable")


@dataclass(frozen=True, slots=True)
class ReturnStatus:
    """One row of the Returns screen: a state's return for a quarter as tracked, and when it is due."""

    tracked: QuarterlyReturn  # sent and received when and by whom (a blank one when nothing was sent)
    due: dt.date
    overdue: bool = False
    # Every arrangement of the state that ran in the quarter has reported it (its Reported quarter),
    # although no return file was imported: nothing is owed.
    reported: bool = False

    @property
    def state(self) -> str:
        return self.tracked.state

    @property
    def quarter(self) -> str:
        return self.tracked.quarter

    @property
    def status(self) -> str:
        """received, overdue, reported (in the register, no file), sent (exported, not back) or due."""
        if self.tracked.received_at:
            return "received"
        if self.overdue:
            return "overdue"
        if self.reported:
            return "reported"
        return "sent" if self.tracked.exported_at else "due"


def returns_status(store: Store, today: dt.date | None = None,
                   quarters: Iterable[str] | None = None) -> list[ReturnStatus]:
    """Per state × quarter: exported and received when and by whom, and whether overdue.

    Rows are every tracked return, plus, for each quarter in ``quarters`` (by
    default the last quarter that has ended), every state with an arrangement under
    way that ran in it (``core.reporting``). Newest quarter first, then by state.
    """
    today = today or dt.date.today()
    wanted = list(quarters) if quarters is not None else [previous_quarter(today)]
    tracked = {(r.state, r.quarter): r for r in store.all(QuarterlyReturn)}
    by_state: dict[str, list[dict]] = {}
    for doc in store.docs(Arrangement):
        if doc.get("reporting_state"):
            by_state.setdefault(doc["reporting_state"], []).append(doc)
    keys = set(tracked) | {(state, quarter) for quarter in wanted for state, docs in by_state.items()
                           if any(doc_expected_in(doc, quarter) for doc in docs)}
    rows = []
    for state, quarter in keys:
        due = due_date(quarter)
        owed = any(doc_owes_report(doc, quarter) for doc in by_state.get(state, ()))
        found = tracked.get((state, quarter)) or QuarterlyReturn(state=state, quarter=quarter)
        rows.append(ReturnStatus(found, due, overdue=not found.received_at and owed and today > due,
                                 reported=not found.received_at and not owed))
    return sorted(rows, key=lambda r: (-quarter_number(r.quarter), r.state))


def overdue(store: Store, today: dt.date | None = None) -> list[ReturnStatus]:
    """The returns past their due date and not received."""
    return [r for r in returns_status(store, today) if r.overdue]
