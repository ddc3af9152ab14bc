"""The returns tracker: exported and received per state and quarter, due 30 days after the quarter, overdue."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from twintui.core.check import check_store
from twintui.core.model import Arrangement
from twintui.core.store import Store, Transaction
from twintui.core.workbook import (
    QuarterlyReturn,
    apply,
    due_date,
    export_register,
    export_return,
    overdue,
    preview,
    read_returns,
    returns_status,
)
from twintui.core.workbook.returns import commit_with_trackers, previous_quarter

from .conftest import NOW, QUARTER, TODAY


def test_due_30_days_after_the_quarter() -> None:
    assert due_date("2026-Q3") == dt.date(2026, 10, 30)
    assert due_date("2026-Q4") == dt.date(2027, 1, 30)
    assert due_date("2024-Q1") == dt.date(2024, 4, 30)
    assert previous_quarter(dt.date(2026, 10, 5)) == "2026-Q3"
    assert previous_quarter(dt.date(2026, 1, 1)) == "2025-Q4"


def test_export_then_import_marks_sent_then_received(register: Store, state: str, tmp_path: Path) -> None:
    result = export_return(register, state.lower(), "2026 q3", tmp_path / "r.xlsx")
    assert (result.state, result.quarter) == (state, QUARTER)
    tracker = register.require(QuarterlyReturn, f"{state}-{QUARTER}")
    assert (tracker.exported_at, tracker.exported_by, tracker.export_id) == (NOW, "maintainer", result.export_id)
    assert tracker.exported_file == "r.xlsx" and not tracker.received_at
    row = next(r for r in returns_status(register, TODAY) if r.state == state)
    assert (row.quarter, row.status, row.overdue) == (QUARTER, "sent", False)
    apply(register, preview(register, read_returns([result.path])))
    row = next(r for r in returns_status(register, TODAY) if r.state == state)
    assert (row.status, row.tracked.received_by, row.tracked.received_file) == ("received", "maintainer", "r.xlsx")
    assert len(row.tracked.received_sha256) == 64
    later = next(r for r in returns_status(register, dt.date(2026, 12, 1)) if r.state == state)
    assert later.status == "received" and not later.overdue


def test_states_whose_arrangements_ran_are_due_then_overdue(register: Store) -> None:
    first, last = "2026-07-01", "2026-09-30"
    docs = register.docs(Arrangement)
    ran = [d for d in docs if d["status"] in ("planned", "active", "suspended")
           and (d.get("start") or "") <= last and (d.get("end") or "9999") >= first and d.get("start")]
    owing = {d["reporting_state"] for d in ran if (d.get("reported_quarter") or "") < QUARTER}
    rows = returns_status(register, TODAY)
    assert {r.state for r in rows} == {d["reporting_state"] for d in ran} and {r.quarter for r in rows} == {QUARTER}
    assert {r.state for r in rows if r.status == "due"} == owing
    assert all(r.status == "reported" for r in rows if r.state not in owing)
    late = dt.date(2026, 10, 31)
    assert {r.state for r in overdue(register, late)} == owing
    assert {r.state for r in returns_status(register, late) if r.status == "overdue"} == owing


def test_a_whole_register_export_is_not_tracked(register: Store, tmp_path: Path) -> None:
    export_register(register, tmp_path / "all.xlsx")
    assert register.all(QuarterlyReturn) == []


def test_the_tracker_is_retried_when_another_process_updates_it(register: Store, state: str,
                                                                 tmp_path: Path) -> None:
    export_return(register, state, QUARTER, tmp_path / "r.xlsx")
    other = Store.open(register.path, user="other")
    attempts = []

    def meanwhile(tx: Transaction) -> None:
        if not attempts:  # another process saves the tracker between our read and our commit
            other.save(other.require(QuarterlyReturn, f"{state}-{QUARTER}").replace(received_by="other"), "test")
        attempts.append(1)

    commit_with_trackers(register, "test", {(state, QUARTER): lambda r: r.replace(received_at=NOW)}, meanwhile)
    assert len(attempts) == 2
    tracker = register.require(QuarterlyReturn, f"{state}-{QUARTER}")
    assert (tracker.received_by, tracker.received_at) == ("other", NOW)


def test_check_knows_the_tracker_table(register: Store, state: str, tmp_path: Path) -> None:
    export_return(register, state, QUARTER, tmp_path / "r.xlsx")
    report = check_store(register.path)
    assert report.ok and report.counts["returns"] == 1
    assert not any("returns" in w for w in report.warnings)
