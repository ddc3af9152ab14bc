"""The return's Instructions sheet: how to fill it in, what each column means, laid out to read on paper.

The paragraphs span the sheet's four columns (one merged cell each, wrapped, the
row as tall as its text), so they read as paragraphs on screen and on paper; the
table below gives, per sheet and column, the HXL hashtag and what to write.
"""

from __future__ import annotations

from typing import Any

from ..model import coerce
from . import layout, printing
from .progress_layout import COLUMNS as PROGRESS_COLUMNS
from .returns import due_date

# Sheet, Column, HXL hashtag, What to write: about 130 characters, one landscape A4 page wide.
WIDTHS = (12.0, 24.0, 26.0, 68.0)
TITLE = "Twinning Register: quarterly return"


def write(sheet: Any, kind: str, state: str, quarter: str, exported_at: str, exported_by: str,
          styles: Any, protect: Any) -> None:
    """Fill the write-only ``sheet``; ``styles`` is the export's style cache, ``protect`` its sheet protection."""
    from openpyxl.worksheet.dimensions import ColumnDimension

    for index, width in enumerate(WIDTHS):
        letter = layout.column_letter(index)
        sheet.column_dimensions[letter] = ColumnDimension(sheet, index=letter, width=width)
    protect(sheet)
    printing.page_setup(sheet, grid=False)
    title = styles.make(bold=True)
    text = styles.make(wrap=True)
    full = sum(WIDTHS)
    row = 1
    printing.set_height(sheet, row, 2 * printing.LINE_POINTS)
    sheet.append([styles.cell(sheet, TITLE, styles.make(bold=True, size=14))])
    for line in paragraphs(kind, state, quarter, exported_at, exported_by):
        row += 1
        if line:
            sheet.merged_cells.add(f"A{row}:{layout.column_letter(len(WIDTHS) - 1)}{row}")
            printing.set_height(sheet, row, printing.lines(line, full) * printing.LINE_POINTS)
            sheet.append([styles.cell(sheet, line, text)])
        else:
            sheet.append([])
    sheet.append([])
    sheet.append([styles.cell(sheet, v, title) for v in ("Sheet", "Column", "HXL hashtag", "What to write")])
    row += 2
    for name, columns in [*((s.name, s.columns) for s in layout.SHEETS), (layout.PROGRESS, PROGRESS_COLUMNS)]:
        for column in columns:
            values = (name, column.header, column.hxl, describe(column))
            row += 1
            printing.set_height(sheet, row, printing.height(values, WIDTHS))
            sheet.append([styles.cell(sheet, v, text) for v in values])


def paragraphs(kind: str, state: str, quarter: str, exported_at: str, exported_by: str) -> list[str]:
    """The paragraphs above the table ('' for a blank line between)."""
    if kind == "state":
        about = (f"This is the return of {coerce.country_name(state)} ({state}) for {quarter}, prepared on "
                 f"{exported_at[:10]} by {exported_by}. Please send it back by {due_date(quarter).isoformat()}.")
    elif kind == "register":
        about = f"This is the whole Twinning Register as of {exported_at[:10]}."
    else:
        about = "This is the blank return: fill in one row per arrangement of your state."
    return [
        about,
        "",
        ("Register: one row per twinning arrangement. Update the rows of your arrangements; add a row for each new "
         "arrangement and leave its Record ID blank. Do not delete rows: an arrangement that has ended stays, with "
         "the status completed or cancelled (a deleted row is reported to the maintainer, not deleted)."),
        ("Partners and Risks: one row per partner or risk. For a partner or risk of an existing arrangement, give "
         "its Record ID; for one of a new arrangement, leave Record ID blank and copy the arrangement's Title into "
         "'Arrangement title'. Leave Partner ID, Risk ID and Revision blank on new rows."),
        ("Progress: how far each arrangement has come by the end of the quarter, one row per objective of its "
         "memorandum of understanding (MoU), per activity of its implementation plan, and one for the money spent. "
         "Each row is filled in with what was reported last (the quarter in 'Values from'). Change what has changed: "
         "for an objective, the value its indicator reached, its status (on track, delayed, achieved, dropped) and, "
         "for a milestone, the day it was done; for an activity, its state (not started, in progress, done, dropped) "
         "and the day it was done; for the spending, everything spent since the start. A value that falls back past "
         "the baseline needs a comment saying why; a done date cannot be in the future. A row left as it is reports "
         "nothing new for this quarter: to report that nothing changed, say so in its Comment. Grey cells do not "
         "apply to that row or come from the MoU; do not add rows."),
        ("Row 1 holds the column names and row 2 the HXL hashtags: keep both. Grey columns are filled by twintui "
         "and locked. Drop-down columns take an entry of the Lists sheet; several entries go in one cell separated "
         "by '; '. Dates as 2026-07-31 or 31/07/2026; yes/no columns as yes or no. Type values, not formulas: a "
         "formula is read by the value your spreadsheet calculated, and a cell that shows an error is refused. "
         "Do not merge cells."),
        ("Send the completed workbook back by e-mail to the register maintainer who sent it to you, as .xlsx "
         "(Excel, LibreOffice Calc and Google Sheets all save it). Extra columns you add are ignored. If you send "
         "a corrected copy later, send the whole workbook again: only what changed since your first copy is "
         "applied, and the rows you added are not added twice."),
    ]


def describe(column: layout.Column) -> str:
    """What to write in a column, for the table."""
    parts = [column.help] if column.help else []
    kind = column.kind
    if column.vocabulary is not None:
        joined = "; ".join(column.vocabulary.entries)
        parts.append(("One or more of: " if kind == "choices" else "One of: ") + joined)
    elif kind == "date":
        parts.append("A date")
    elif kind in ("number", "whole") and column.field is not None and column.field.minimum is not None:
        high = column.field.maximum
        parts.append(f"A {'whole ' if kind == 'whole' else ''}number from {column.field.minimum:g}"
                     + (f" to {high:g}" if high is not None else ""))
    elif kind == "email":
        parts.append("An e-mail address")
    elif kind == "country":
        parts.append("ISO 3166 alpha-3 code or country name")
    if column.field is not None and column.field.required:
        parts.append("Required")
    if column.field is not None and column.field.max_length:
        parts.append(f"At most {column.field.max_length} characters")
    return ". ".join(p.rstrip(".") for p in parts) + ("." if parts else "")
