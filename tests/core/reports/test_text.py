"""The report as Markdown and HTML."""

from __future__ import annotations

from pathlib import Path

from twintui.core import reports


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
