"""Writing the report to a file: names refused, and an empty register in every format."""

from __future__ import annotations

from pathlib import Path

import pytest

from twintui.core import reports
from twintui.core.store import Store

from .examples import TODAY


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
    assert len(book.sheetnames) == 15 and ["Arrangements", "0"] in [[c.value for c in r] for r in book["About"]]
    assert [[c.value for c in r] for r in book["By state and status"].iter_rows(min_row=2)] == [
        ["Total", "all states", 0, 0, 0, 0, 0, 0]]
    md = reports.write(report, tmp_path / "r.md").read_text()
    assert "- **Arrangements:** 0" in md and "| **Total** | **all states** | **0** | **0** |" in md
    html = reports.write(report, tmp_path / "r.html").read_text()
    assert '<tr class="total"><td>Total</td><td>all states</td><td class="num">0</td>' in html


@pytest.mark.parametrize("fmt", ["md", "html", "xlsx"])
def test_the_report_as_bytes_is_what_is_written(report: reports.RegisterReport, tmp_path: Path, fmt: str) -> None:
    import io

    from openpyxl import load_workbook

    from twintui.core.reports.output import report_bytes

    data, written = report_bytes(report, fmt), reports.write(report, tmp_path / f"r.{fmt}").read_bytes()
    if fmt != "xlsx":
        assert data == written
        return
    for name in load_workbook(io.BytesIO(written)).sheetnames:
        assert [[c.value for c in r] for r in load_workbook(io.BytesIO(data))[name]] == \
            [[c.value for c in r] for r in load_workbook(io.BytesIO(written))[name]]


def test_a_format_that_is_none_of_the_reports_is_refused(report: reports.RegisterReport) -> None:
    from twintui.core.reports.output import report_bytes

    with pytest.raises(reports.ReportError, match="'csv' is not a report format"):
        report_bytes(report, "csv")
