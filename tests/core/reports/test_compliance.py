"""Quarterly return compliance: the 30-day rule, who is expected, the window of eight quarters."""

from __future__ import annotations

import pytest

from twintui.core import reports
from twintui.core.store import Store

from .examples import TODAY, D


def test_return_compliance_by_the_30_day_rule(report: reports.RegisterReport) -> None:
    assert report.quarters == ["2024-Q4", "2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3"]
    summary = report.table("Returns compliance")
    # NOR ran all eight quarters: Q2 on time, Q1 15 days late, six missing.
    assert summary.row("NOR") == {"State": "NOR", "Name": "Norway", "Due": 8, "On time": 1, "Late": 1,
                                  "Missing": 6, "Not yet due": 0, "On-time rate": pytest.approx(1 / 8)}
    # SWE: sent Q2 and never returned it; its planned arrangement starts in 2027 and owes nothing yet.
    assert summary.row("SWE")["Missing"] == 1 and summary.row("SWE")["Due"] == 1
    # DNK's arrangement ran from 2024-07-01 to 2025-06-30: three quarters of the eight.
    assert summary.row("DNK")["Due"] == 3
    assert summary.row("Total")["Due"] == 12 and summary.row("Total")["On time"] == 1
    grid = report.table("Returns by quarter")
    assert grid.row("NOR")["2026-Q2"] == "on time" and grid.row("NOR")["2026-Q1"] == "late (15 d)"
    assert grid.row("SWE")["2026-Q1"] == "" and grid.row("SWE")["2026-Q2"] == "missing"
    assert grid.row("SWE")["2026-Q3"] == ""  # not expected: nothing of Sweden's ran in the quarter
    assert grid.row("DNK")["2025-Q3"] == ""

def test_a_return_not_yet_due() -> None:
    assert reports.compliance_status("", "2026-Q3", D(2026, 10, 30)) == (reports.NOT_DUE, None)
    assert reports.compliance_status("", "2026-Q3", D(2026, 10, 31)) == (reports.MISSING, None)
    assert reports.compliance_status("2026-10-30T23:00:00+00:00", "2026-Q3", TODAY) == (reports.ON_TIME, None)
    assert reports.compliance_status("2026-11-01T08:00:00+00:00", "2026-Q3", TODAY) == (reports.LATE, 2)

def test_an_earlier_quarter_moves_the_window(small: Store) -> None:
    report = reports.build(small, "2025-Q2", today=TODAY)
    assert report.quarters[0] == "2023-Q3" and report.quarters[-1] == "2025-Q2"
    assert report.table("Returns compliance").row("NOR")["Due"] == 6  # from 2024-02-01: 2024-Q1 … 2025-Q2
    assert reports.build(small, "2025-Q1", today=TODAY).table("Started and ended").rows == [
        [2020, 1, 0], [2021, 0, 1], [2024, 2, 0]]  # DNK's end on 2025-06-30 is after 2025-Q1
