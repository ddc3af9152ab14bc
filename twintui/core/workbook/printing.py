"""How the return prints: every sheet set up for paper, and rows as tall as their wrapped text.

Focal points print the return. Each sheet prints landscape on A4, fitted to the
page's width (as many pages down as it needs), with the header rows repeated on
every page, grid lines, and the sheet's name and page number in the footer.

Wrapped text needs rows tall enough to show it: Excel grows a row as text is typed,
but neither Excel nor LibreOffice grows the rows of a file it opens, so a long cell
would print as its first line. The export sets each row's height from its longest
wrapped cell, estimated from the column's width in characters (the width of a
'0': running text holds a little more, so the estimate errs on the tall side).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

LINE_POINTS = 15.0  # one line of 11-point Calibri (LibreOffice: Carlito), as Excel's default row
MAX_ROW_POINTS = 409.0  # Excel's limit for one row's height
_PADDING = 2  # characters of a column's width that wrapping cannot use
SMALL = 11 / 8  # how many more characters of 8-point text (the HXL row) fit in a width than of 11-point


def lines(text: str, width: float) -> int:
    """How many lines ``text`` takes, wrapped in a column ``width`` characters wide."""
    room = max(int(width) - _PADDING, 1)
    return sum(max(1, -(-len(part) // room)) for part in text.split("\n"))


def height(values: Sequence[Any], widths: Sequence[float]) -> float | None:
    """The height a row needs for its wrapped cells; None when one line does."""
    most = 1
    for value, width in zip(values, widths, strict=False):
        if isinstance(value, str) and (len(value) > width - _PADDING or "\n" in value):
            most = max(most, lines(value, width))
    if most == 1:
        return None
    return min(most * LINE_POINTS, MAX_ROW_POINTS)


def set_height(sheet: Any, row: int, points: float | None) -> None:
    """Give a row (1-based) its height before a write-only sheet writes it."""
    if points is not None:
        sheet.row_dimensions[row].height = points


def page_setup(sheet: Any, title_rows: str | None = None, grid: bool = True, pages_wide: int = 1,
               title_columns: str | None = None) -> None:
    """Landscape A4 fitted to ``pages_wide`` pages' width, ``title_rows`` ('1:2') and ``title_columns``
    ('A:A') on every page, a footer with the sheet's name and the page number."""
    setup = sheet.page_setup
    setup.orientation = "landscape"
    setup.paperSize = 9  # A4
    setup.fitToWidth = pages_wide
    setup.fitToHeight = 0  # as many pages down as needed
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    margins = sheet.page_margins
    margins.left = margins.right = 0.4
    margins.top = margins.bottom = 0.6
    margins.header = margins.footer = 0.3
    sheet.print_options.gridLines = grid
    if title_rows:
        sheet.print_title_rows = title_rows
    if title_columns:
        sheet.print_title_cols = title_columns
    sheet.oddFooter.center.text = "&A · page &P of &N"
