"""The report's progress tables on the demo: objectives by verdict per state and per area, late milestones,
spending against funding; every number checked against the verdicts of ``core.progress``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from twintui.core import reports
from twintui.core.demo.synthetic import TODAY
from twintui.core.progress import VERDICTS
from twintui.core.store import Store

SHEETS = ("Progress by state", "Progress by area", "Late milestones", "Spending")


@pytest.fixture
def demo_report(demo_store: Store) -> reports.RegisterReport:
    # The demo's pinned day is 2026-11-01: the report's quarter is 2026-Q3, its verdicts as of 2026-09-30.
    return reports.build(demo_store, today=TODAY)


def test_objectives_by_verdict_per_state(demo_report: reports.RegisterReport) -> None:
    table = demo_report.table("Progress by state")
    assert table.columns == ["State", "Name", *VERDICTS, "Total"]
    assert table.column("State") == ["CAN", "NOR", "Total"] and table.total_row
    canada = table.row("CAN")
    assert canada["Name"] == "Canada"
    assert {v: n for v, n in canada.items() if v in VERDICTS and n} == {"achieved": 1, "on track": 1,
                                                                         "off track": 1, "late": 1}
    norway = table.row("NOR")
    assert {v: n for v, n in norway.items() if v in VERDICTS and n} == {"at risk": 1, "not enough data": 1,
                                                                         "free text": 1}
    assert table.row("Total")["Total"] == 7 and table.row("Total")["off track"] == 1
    assert "2026-09-30" in table.title


def test_objectives_by_verdict_per_area_count_each_area_of_the_arrangement(
        demo_report: reports.RegisterReport) -> None:
    table = demo_report.table("Progress by area")
    assert table.columns[0] == "Resettlement area" and table.columns[-1] == "Total"
    # Canada's three areas and Norway's three; two in common.
    assert table.row("case identification and selection")["Total"] == 7
    assert table.row("settlement and integration support")["off track"] == 1
    assert table.row("advocacy and public support")["Total"] == 4
    assert table.row("selection missions")["Total"] == 3 and table.row("selection missions")["at risk"] == 1
    assert table.row("housing")["Total"] == 0  # every area is listed, in the vocabulary's order
    assert table.column("Resettlement area")[0] == "advocacy and public support"


def test_late_milestones_objectives_and_activities(demo_report: reports.RegisterReport) -> None:
    table = demo_report.table("Late milestones")
    assert table.columns == ["Arrangement ID", "State", "Item", "What", "Due", "Days late", "Reported"]
    rows = [dict(zip(table.columns, row, strict=True)) for row in table.rows]
    assert [(r["Arrangement ID"], r["Item"], r["Due"], r["Days late"]) for r in rows] == [
        ("TW-CAN-0001", "objective 4", dt.date(2026, 6, 30), 92),
        ("TW-CAN-0001", "activity 5", dt.date(2026, 6, 30), 92)]
    assert rows[0]["Reported"] == "not done" and rows[1]["Reported"] == "in progress"
    assert rows[1]["What"].startswith("Practice notes in Spanish")  # the activity's milestone


def test_spending_against_funding(demo_report: reports.RegisterReport) -> None:
    table = demo_report.table("Spending")
    assert table.columns == ["Arrangement ID", "State", "Quarter", "Currency", "Funds", "Spent to date",
                             "Share spent", "Period gone", "Burn rate", "Funds spent by"]
    canada, norway = (dict(zip(table.columns, row, strict=True)) for row in table.rows)
    assert (canada["Arrangement ID"], canada["Quarter"], canada["Currency"], canada["Funds"],
            canada["Spent to date"]) == ("TW-CAN-0001", "2026-Q3", "CAD", 250000, 190000)
    assert canada["Share spent"] == pytest.approx(0.76) and round(canada["Burn rate"], 2) == 1.11
    assert canada["Funds spent by"] == dt.date(2027, 8, 8)
    assert norway["Arrangement ID"] == "TW-NOR-0001" and norway["Funds spent by"] is None
    assert round(norway["Burn rate"], 2) == 0.95


def test_an_earlier_quarter_reads_the_returns_as_they_stood(demo_store: Store) -> None:
    report = reports.build(demo_store, "2026-Q1", today=TODAY)
    # As of 2026-03-31 Canada's milestone (due 2026-06-30) is still to come.
    assert report.table("Progress by state").row("CAN")["due"] == 1
    items = report.table("Late milestones").column("Item")
    assert "objective 4" not in items and items  # no return had yet said the early activities were done
    assert report.table("Spending").row("TW-CAN-0001")["Quarter"] <= "2026-Q1"  # not the 2026-Q3 of today


def test_every_format_has_the_progress_tables(demo_report: reports.RegisterReport, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    book = load_workbook(reports.write(demo_report, tmp_path / "r.xlsx"))
    assert set(SHEETS) <= set(book.sheetnames)
    spending = book["Spending"]
    assert [c.value for c in spending[1]][:3] == ["Arrangement ID", "State", "Quarter"]
    assert spending["G2"].number_format == "0.0%" and spending["I2"].number_format == "0.00"
    assert spending["J2"].value == dt.datetime(2027, 8, 8) and spending["J2"].number_format == "yyyy-mm-dd"
    late = book["Late milestones"]
    assert late["E2"].value == dt.datetime(2026, 6, 30) and late["F2"].value == 92
    by_state = book["Progress by state"]
    assert [c.value for c in by_state[4]][:2] == ["Total", "all states"] and by_state["A4"].font.b
    md = reports.write(demo_report, tmp_path / "r.md").read_text()
    assert "## Objectives by verdict per reporting state, as of 2026-09-30" in md
    assert "| TW-CAN-0001 | CAN | objective 4 |" in md and "| 2026-06-30 | 92 | not done |" in md
    assert "| TW-CAN-0001 | CAN | 2026-Q3 | CAD | 250,000.00 | 190,000.00 | 76.0% |" in md
    html = reports.write(demo_report, tmp_path / "r.html").read_text()
    assert '<td class="num">1.11</td>' in html and '<td class="num">2027-08-08</td>' in html


def test_a_register_without_progress_has_the_tables_empty(store: Store, tmp_path: Path) -> None:
    report = reports.build(store, today=TODAY)
    assert report.table("Progress by state").rows == [["Total", "all states", *[0] * len(VERDICTS), 0]]
    assert report.table("Late milestones").rows == [] and report.table("Spending").rows == []
    md = reports.write(report, tmp_path / "r.md").read_text()
    assert "## Late milestones" in md and "_Nothing to show._" in md


def test_a_late_milestone_that_looks_like_a_formula_is_text_in_the_workbook(store: Store, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from twintui.core.model import Arrangement
    from twintui.core.mou.model import Memorandum, Objective, Sections

    arrangement = store.save(Arrangement(reporting_state="SWE", title="Exchange", start=dt.date(2025, 1, 1)), "test")
    evil = '=HYPERLINK("http://evil.example/","Open")'
    sections = Sections(objectives=[Objective(text=evil, indicator=evil, kind="milestone", due="2026-03-31")])
    store.save(Memorandum(id="MOU-1", arrangement=arrangement.id, version=1).with_sections(sections), "test")
    report = reports.build(store, today=TODAY)
    assert report.table("Late milestones").column("What") == [evil]
    cell = load_workbook(reports.write(report, tmp_path / "r.xlsx"))["Late milestones"]["D2"]
    assert cell.value == evil and cell.data_type == "s"
    html = reports.write(report, tmp_path / "r.html").read_text()
    assert "<td>=HYPERLINK(&#34;http://evil.example/&#34;,&#34;Open&#34;)</td>" in html  # escaped, as typed
