"""Register reports for the working group: pandas summaries written as .xlsx, Markdown or HTML.

``build(store, quarter)`` (``assemble``) makes every table of ``twintui report`` (issue 9)
as a pandas DataFrame with its number formats, the return compliance (``compliance``) and
the best practices (``practices``) and the progress tables (``progress``: objectives by
verdict per state and per area, late milestones, spending against funding) among them; ``write(report, path)`` (``output``) writes
it as a workbook (``xlsx``) or renders ``templates/report.md.j2`` / ``report.html.j2``
(``text``). ``summary_counts(rows)`` (``summary``) is the register screen's summary panel:
counts by status and area of the rows the current filter shows. ``model`` holds what a
report is made of.

pandas, openpyxl and jinja2 are imported inside the functions that need them, so importing
this package stays cheap for the command line and the screens.
"""

from .assemble import NOT_GIVEN, build
from .compliance import (
    COMPLIANCE_QUARTERS, LATE, MISSING, NOT_DUE, ON_TIME, compliance_status, expected_states, quarters_ending,
)
from .model import AMOUNT, COUNT, DATE, RATE, SHARE, YEAR, PracticeGroup, RegisterReport, ReportError, Table
from .output import FORMATS, format_of, write
from .practices import PRACTICE_SHEETS
from .summary import SummaryCounts, summary_counts
from .text import context, render_text, templates_dir
from .xlsx import write_xlsx

__all__ = [
    "AMOUNT", "COMPLIANCE_QUARTERS", "COUNT", "DATE", "RATE", "FORMATS", "LATE", "MISSING", "NOT_DUE", "NOT_GIVEN", "ON_TIME",
    "PRACTICE_SHEETS", "SHARE", "YEAR", "PracticeGroup", "RegisterReport", "ReportError", "SummaryCounts", "Table",
    "build", "compliance_status", "context", "expected_states", "format_of", "quarters_ending", "render_text",
    "summary_counts", "templates_dir", "write", "write_xlsx",
]
