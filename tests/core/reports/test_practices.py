"""Best practices and lessons learned, grouped by area and activity type."""

from __future__ import annotations

from twintui.core import reports


def test_practices_collected_by_area_and_activity_type(report: reports.RegisterReport) -> None:
    groups = {(g.kind, g.topic): g.entries for g in report.practices}
    assert [e["id"] for e in groups[("area", "selection missions")]] == ["TW-NOR-0001"]
    entry = groups[("activity type", "seminar")][0]
    assert entry["states"] == "NOR, SWE" and entry["quarter"] == "2026-Q3"
    assert entry["lessons_learned"] == "Agree indicators first"
    assert [e["id"] for e in groups[("area", "housing")]] == ["TW-NOR-0002"]  # only it has a text
    sheet = report.table("Practices by area")
    assert sheet.row("selection missions")["Activity types"] == "staff exchange; seminar"
