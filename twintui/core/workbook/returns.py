"""The returns tracker: for each state and quarter, when its return went out and came back.

One ``QuarterlyReturn`` record per state and quarter (id ``NOR-2026-Q3``), kept in
the store like any other record, so it has revisions and an audit trail. A
return is due 30 days after its quarter ends; a state that still reports
arrangements and has not sent its return back by then is overdue.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import ClassVar

from ..errors import ConflictError
from ..model import Arrangement, Field, Record, coerce, register
from ..store import Store, Transaction

DUE_AFTER_DAYS = 30
# Arrangements in these statuses are expected in their state's quarterly return.
REPORTING_STATUSES = frozenset({"planned", "active", "suspended"})


@register
@dataclass(kw_only=True)
class QuarterlyReturn(Record):
    """One state's return for one quarter: exported (sent) and received (imported)."""

    TABLE: ClassVar[str] = "returns"
    FIELDS: ClassVar[tuple[Field, ...]] = (
        Field("state", "State", "#country+code", "country", required=True),
        Field("quarter", "Quarter", "#date+reported", "quarter", required=True),
        Field("exported_at", "Exported at", "#date+exported"),
        Field("exported_by", "Exported by", "#contact+exported"),
        Field("export_id", "Export ID", "#meta+export"),
        Field("exported_file", "Exported file", "#meta+file+exported"),
        Field("received_at", "Received at", "#date+received"),
        Field("received_by", "Received by", "#contact+received"),
        Field("received_file", "Received file", "#meta+file+received"),
        Field("received_sha256", "File SHA-256", "#meta+hash"),
        Field("applied_new", "New records", "#indicator+new", "whole", minimum=0),
        Field("applied_changed", "Changed records", "#indicator+changed", "whole", minimum=0),
    )

    state: str = ""
    quarter: str = ""
    exported_at: str = ""
    exported_by: str = ""
    export_id: str = ""
    exported_file: str = ""
    received_at: str = ""
    received_by: str = ""
    received_file: str = ""
    received_sha256: str = ""
    applied_new: int | None = None
    applied_changed: int | None = None


def return_id(state: str, quarter: str) -> str:
    return f"{state}-{quarter}"


def due_date(quarter: str) -> dt.date:
    """The day a quarter's return is due: 30 days after the quarter's last day."""
    return coerce.quarter_bounds(quarter)[1] + dt.timedelta(days=DUE_AFTER_DAYS)


def previous_quarter(today: dt.date) -> str:
    """The last quarter that has ended: the one whose return is due next."""
    first_of_quarter = coerce.quarter_bounds(coerce.quarter_of(today))[0]
    return coerce.quarter_of(first_of_quarter - dt.timedelta(days=1))


Fill = Callable[[QuarterlyReturn], QuarterlyReturn]


def commit_with_trackers(store: Store, source: str, trackers: dict[tuple[str, str], Fill],
                         extra: Callable[[Transaction], None] | None = None,
                         backup: str | None = None) -> Transaction:
    """Update tracker records (state, quarter → change) and whatever ``extra`` adds, in one transaction.

    Two processes may update the same state's tracker at once (an export and an
    import, two imports): the tracker is re-read and the transaction retried, so
    both land. A conflict on any other record is the caller's to report.
    """
    for attempt in range(5):
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
            if not isinstance(error.mine, QuarterlyReturn) or attempt == 4:
                raise
    raise AssertionError("unreachable")


@dataclass(frozen=True, slots=True)
class ReturnStatus:
    """One row of the Returns screen: a state's return for a quarter."""

    state: str
    quarter: str
    due: dt.date
    exported_at: str = ""
    exported_by: str = ""
    export_id: str = ""
    received_at: str = ""
    received_by: str = ""
    received_file: str = ""
    received_sha256: str = ""
    applied_new: int | None = None
    applied_changed: int | None = None
    overdue: bool = False

    @property
    def status(self) -> str:
        """received, overdue, sent (exported, not back yet) or due (not exported yet)."""
        if self.received_at:
            return "received"
        if self.overdue:
            return "overdue"
        return "sent" if self.exported_at else "due"


def returns_status(store: Store, today: dt.date | None = None,
                   quarters: Iterable[str] | None = None) -> list[ReturnStatus]:
    """Per state × quarter: exported and received when and by whom, and whether overdue.

    Rows are every tracked return, plus, for each quarter in ``quarters`` (by
    default the last quarter that has ended), every state that still has planned,
    active or suspended arrangements. Newest quarter first, then by state.
    """
    today = today or dt.date.today()
    wanted = list(quarters) if quarters is not None else [previous_quarter(today)]
    tracked = {(r.state, r.quarter): r for r in store.all(QuarterlyReturn)}
    expected = {doc.get("reporting_state") for doc in store.docs(Arrangement)
                if doc.get("status") in REPORTING_STATUSES and doc.get("reporting_state")}
    keys = set(tracked) | {(state, quarter) for quarter in wanted for state in expected}
    rows = []
    for state, quarter in keys:
        due = due_date(quarter)
        found = tracked.get((state, quarter))
        if found is None:
            rows.append(ReturnStatus(state, quarter, due, overdue=today > due))
            continue
        rows.append(ReturnStatus(
            state, quarter, due, found.exported_at, found.exported_by, found.export_id, found.received_at,
            found.received_by, found.received_file, found.received_sha256, found.applied_new,
            found.applied_changed, overdue=not found.received_at and today > due,
        ))
    return sorted(rows, key=lambda r: (-_quarter_number(r.quarter), r.state))


def overdue(store: Store, today: dt.date | None = None) -> list[ReturnStatus]:
    """The returns past their due date and not received."""
    return [r for r in returns_status(store, today) if r.overdue]


def _quarter_number(quarter: str) -> int:
    return int(quarter[:4]) * 4 + int(quarter[-1])
