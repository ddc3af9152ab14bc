"""The count tables of the report on the small register: every number checked."""

from __future__ import annotations

import pytest

from twintui.core import reports


def test_by_state_and_status(report: reports.RegisterReport) -> None:
    table = report.table("By state and status")
    assert table.columns == ["State", "Name", "planned", "active", "completed", "suspended", "cancelled", "Total"]
    assert table.column("State") == ["DNK", "NOR", "SWE", "Total"]
    assert table.row("NOR") == {"State": "NOR", "Name": "Norway", "planned": 0, "active": 1, "completed": 1,
                                "suspended": 0, "cancelled": 0, "Total": 2}
    assert table.row("SWE")["planned"] == 1 and table.row("SWE")["cancelled"] == 1
    assert table.row("Total")["Total"] == 5 and table.total_row

def test_by_area_and_activity_type_count_each_tag(report: reports.RegisterReport) -> None:
    areas = report.table("By area")
    assert areas.row("selection missions")["Total"] == 3
    assert areas.row("selection missions")["Share of arrangements"] == pytest.approx(0.6)
    assert areas.row("housing")["Total"] == 3 and areas.row("housing")["completed"] == 2
    assert areas.row("dossier processing")["Total"] == 0  # every area is listed
    activities = report.table("By activity type")
    assert activities.row("seminar")["Total"] == 2 and activities.row("seminar")["cancelled"] == 1
    assert activities.column("Activity type")[0] == "visit"  # the vocabulary's order

def test_by_partner_type(report: reports.RegisterReport) -> None:
    table = report.table("By partner type")
    assert table.row("state") == {"Partner type": "state", "Partners": 3, "Arrangements": 2, "As lead": 2}
    assert table.row("NGO")["Partners"] == 1 and table.row("UNHCR")["Arrangements"] == 1
    assert table.row("IOM")["Partners"] == 0

def test_started_and_ended_per_year_up_to_the_quarter(report: reports.RegisterReport) -> None:
    table = report.table("Started and ended")
    # Cancelled left out; the 2027 start is after the report's quarter (2026-Q3).
    assert table.rows == [[2020, 1, 0], [2021, 0, 1], [2024, 2, 0], [2025, 0, 1]]

def test_funding_by_source_and_currency(report: reports.RegisterReport) -> None:
    table = report.table("Funding")
    assert table.rows == [
        ["(not given)", "(not given)", 2, 0, 0.0, None],
        ["national budget", "NOK", 2, 2, 1500.0, 750.0],
    ]  # the cancelled ERF arrangement is left out
