"""One rule for "not reported" on every screen: the Register's stale marker and the Returns screen's overdue."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from twintui.core import reporting
from twintui.core.model import Arrangement
from twintui.core.register import RegisterList
from twintui.core.store import Store
from twintui.core.workbook import QuarterlyReturn, returns_status

D = dt.date
TODAY = D(2026, 11, 20)  # 2026-Q3 was due on 2026-10-30


def test_the_last_quarter_past_its_due_date() -> None:
    assert reporting.last_due_quarter(D(2026, 11, 20)) == "2026-Q3"
    assert reporting.last_due_quarter(D(2026, 10, 30)) == "2026-Q2"  # due today: not late yet
    assert reporting.last_due_quarter(D(2026, 10, 31)) == "2026-Q3"
    assert reporting.last_due_quarter(D(2026, 1, 15)) == "2025-Q3"


@pytest.mark.parametrize(("status", "start", "end", "reported", "stale"), [
    ("active", "2025-01-01", "2027-12-31", "2026-Q2", True),  # owes 2026-Q3
    ("active", "2025-01-01", "2027-12-31", "2026-Q3", False),
    ("active", "2025-01-01", "2027-12-31", "", True),
    ("planned", "2027-01-01", "", "", False),  # not started yet: owes nothing
    ("planned", "2026-10-01", "", "", False),  # starts after the quarter now due
    ("planned", "2026-09-30", "", "", True),  # started on the quarter's last day
    ("planned", "", "", "", False),  # no start date: a planned one has not run
    ("active", "", "", "", True),  # no dates: an active one is taken as running
    ("suspended", "2024-01-01", "2026-06-30", "2026-Q2", False),  # ended before the quarter
    ("completed", "2024-01-01", "2026-08-31", "2026-Q1", False),  # no longer reports
    ("cancelled", "2024-01-01", "", "", False),
])
def test_stale_means_owing_the_last_report_past_due(status: str, start: str, end: str, reported: str,
                                                    stale: bool) -> None:
    assert reporting.is_stale(status, start, end, reported, TODAY) is stale


def test_register_and_returns_agree_on_the_same_facts(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "r.json", user="maintainer")
    with store.transaction("test") as tx:
        for state, start, reported in (("CAN", "2024-01-15", "2026-Q3"),   # reported: nothing owed
                                       ("NOR", "2025-01-01", "2026-Q2"),   # owes 2026-Q3
                                       ("SWE", "2027-01-01", ""),          # not started
                                       ("DNK", "2025-01-01", "2026-Q2")):  # owes it, but the file came back
            tx.save(Arrangement(reporting_state=state, title=f"{state} twinning", status="active" if state != "SWE"
                                else "planned", start=D.fromisoformat(start), reported_quarter=reported or None))
        tx.save(QuarterlyReturn(id="DNK-2026-Q3", state="DNK", quarter="2026-Q3",
                                received_at="2026-10-20T10:00:00+00:00", received_by="maintainer"))
    stale = {row.state for row in RegisterList.from_store(store, TODAY).rows if row.stale}
    returns = {row.state: row.status for row in returns_status(store, TODAY)}
    assert stale == {"NOR"}  # DNK's return came back: nothing is owed
    assert returns == {"CAN": "reported", "NOR": "overdue", "DNK": "received"}  # no row for SWE
    # Before the due date nobody is late yet, on either screen.
    early = D(2026, 10, 15)
    assert not any(row.stale for row in RegisterList.from_store(store, early).rows if row.state == "NOR")
    assert {row.state: row.status for row in returns_status(store, early)}["NOR"] == "due"
