"""Writing the register report as a workbook: an About sheet, then one sheet per table.

openpyxl in write-only mode, so 10,000 arrangements take about a second; text that looks
like a formula is always written as text (``core.text.spreadsheet_text``).
"""

from __future__ import annotations

import os
from typing import Any, BinaryIO

from ..text import FORMULA_PREFIXES, spreadsheet_text
from .model import RegisterReport


def write_xlsx(report: RegisterReport, path: str | os.PathLike[str] | BinaryIO) -> None:
    """One sheet per table (after an About sheet): bold frozen header, filters, number formats, widths."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    header_font, header_fill = Font(bold=True), PatternFill("solid", start_color="DDEBF7", end_color="DDEBF7")
    bold = Font(bold=True)

    about = workbook.create_sheet("About")
    about.column_dimensions["A"].width = 34
    about.column_dimensions["B"].width = 90
    title = WriteOnlyCell(about, "Twinning Register report")
    title.font = Font(bold=True, size=14)
    about.append([title])
    for label, value in report.about():
        about.append([WriteOnlyCell(about, label), _text_cell(about, value)])
    about.append([])
    about.append([_header(about, "Sheet", header_font, header_fill), _header(about, "What", header_font, header_fill)])
    for table in report.tables:
        about.append([_text_cell(about, table.sheet), _text_cell(about, f"{table.title}. {table.note}")])

    for table in report.tables:
        sheet = workbook.create_sheet(table.sheet)
        columns = table.columns
        for index, column in enumerate(columns, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = table.widths.get(column, max(10, len(column) + 2))
        sheet.freeze_panes = "A2"
        if table.rows:
            sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(table.rows) + 1}"
        sheet.append([_header(sheet, c, header_font, header_fill) for c in columns])
        # A formatted column gets styled cells; plain values go in as they are (fast: most cells are text).
        styles = [table.formats.get(c) for c in columns]
        plain = not table.formats and not table.total_row
        last = len(table.rows) - 1
        for number, values in enumerate(table.rows):
            if plain:
                if any(isinstance(v, str) and v.startswith(FORMULA_PREFIXES) for v in values):
                    values = [_text_cell(sheet, v) if isinstance(v, str) else v for v in values]
                sheet.append(values)
                continue
            total = table.total_row and number == last
            row: list[Any] = []
            for value, style in zip(values, styles, strict=True):
                if style is None and not total and not (isinstance(value, str) and value.startswith(FORMULA_PREFIXES)):
                    row.append(value)
                    continue
                cell = _text_cell(sheet, value)
                if style is not None and value is not None:
                    cell.number_format = style
                if total:
                    cell.font = bold
                row.append(cell)
            sheet.append(row)
    workbook.save(path if hasattr(path, "write") else str(path))


def _header(sheet: Any, value: str, font: Any, fill: Any) -> Any:
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value)
    cell.font, cell.fill = font, fill
    return cell


def _text_cell(sheet: Any, value: Any) -> Any:
    """A cell whose text stays text: a title such as '=HYPERLINK(...)' is never a live formula."""
    from openpyxl.cell import WriteOnlyCell

    return spreadsheet_text(WriteOnlyCell(sheet), value)
