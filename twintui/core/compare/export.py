"""The comparison as a workbook with live formulas (`twintui compare export`); openpyxl is imported only here."""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from typing import Any

from .. import files
from ..text import spreadsheet_text
from .model import Cell, Comparison
from .ranking import evaluate
from .sensitivity import sensitivity
from .wording import verdict

MATRIX_SHEET = "Matrix"
FIRST_FACTOR_ROW = 7  # rows 1-5: title and context, row 6: headers


def export_xlsx(comparison: Comparison, path: str | os.PathLike[str], *,
                clock: Callable[[], str] | None = None) -> None:
    """Write the matrix with live formulas: totals, coverage, exclusion and rank recalculate when a
    score or weight is changed in Excel or LibreOffice. Notes and sensitivity (computed by twintui at
    export time) are on sheets of their own."""
    workbook = _workbook(comparison, clock)
    with files.replacing(path) as out:  # a temporary file renamed into place, never through a link
        workbook.save(out)


def xlsx_bytes(comparison: Comparison, *, clock: Callable[[], str] | None = None) -> bytes:
    """The same workbook as bytes (what the store service sends back for its client to write)."""
    out = io.BytesIO()
    _workbook(comparison, clock).save(out)
    return out.getvalue()


def _workbook(comparison: Comparison, clock: Callable[[], str] | None) -> Any:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    ev = evaluate(comparison)
    sens = sensitivity(comparison)
    wb = Workbook()
    ws = wb.active
    ws.title = MATRIX_SHEET
    bold = Font(bold=True)
    head_fill = PatternFill("solid", fgColor="DDDDDD")

    # The data's text (names from states' returns among them) is written as text, never as a formula.
    spreadsheet_text(ws["A1"], comparison.name).font = Font(bold=True, size=14)
    spreadsheet_text(ws["A2"], f"Organisation: {comparison.organisation}")
    spreadsheet_text(ws["A3"], f"Learning / skills gap: {comparison.learning_gap}")
    spreadsheet_text(ws["A4"], f"End goal: {comparison.end_goal}")
    stamp = clock() if clock else ""
    ws["A5"] = ("Scores 0-5 (blank = not known yet: left out of the total; see coverage). Weights 0-5. "
                "Change a score or weight and the totals, coverage and ranks below recalculate."
                + (f" Exported {stamp}." if stamp else ""))

    header = FIRST_FACTOR_ROW - 1
    n_f, n_c = len(comparison.factors), len(comparison.candidates)
    first, last = FIRST_FACTOR_ROW, FIRST_FACTOR_ROW + max(n_f, 1) - 1
    for col, title in enumerate(("Factor", "Weight", "Must-have min"), start=1):
        cell = ws.cell(header, col, title)
        cell.font, cell.fill = bold, head_fill
    for j, cand in enumerate(comparison.candidates):
        cell = spreadsheet_text(ws.cell(header, 4 + j), cand.name)
        cell.font, cell.fill = bold, head_fill
        cell.alignment = Alignment(horizontal="center", wrap_text=True)
    for i, f in enumerate(comparison.factors):
        row = first + i
        spreadsheet_text(ws.cell(row, 1), f.name)
        ws.cell(row, 2, f.weight)
        if f.must_have_min is not None:
            ws.cell(row, 3, f.must_have_min)
        for j, cand in enumerate(comparison.candidates):
            score = comparison.cells.get((f.name, cand.name), Cell()).score
            cell = ws.cell(row, 4 + j, score)
            cell.alignment = Alignment(horizontal="center")

    weights = f"$B${first}:$B${last}"
    minimums = f"$C${first}:$C${last}"
    total_row, coverage_row, excluded_row, rank_row = last + 2, last + 3, last + 4, last + 5
    labels = {total_row: "Weighted score (0-100)", coverage_row: "Coverage (share of weight scored)",
              excluded_row: "Excluded (below a must-have minimum)", rank_row: "Rank"}
    for row, label in labels.items():
        ws.cell(row, 1, label).font = bold
    if n_c:
        last_col = get_column_letter(3 + n_c)
        totals = f"$D${total_row}:${last_col}${total_row}"
        flags = f"$D${excluded_row}:${last_col}${excluded_row}"
    for j in range(n_c):
        col = get_column_letter(4 + j)
        scores = f"{col}{first}:{col}{last}"
        scored_weight = f"SUMPRODUCT({weights},--({scores}<>\"\"))"
        # 100 × Σ w·s / (5 × Σ w over scored factors); blank when nothing weighted is scored.
        ws[f"{col}{total_row}"] = (f"=IF({scored_weight}=0,\"\","
                                   f"ROUND(100*SUMPRODUCT({weights},{scores})/(5*{scored_weight}),9))")
        ws[f"{col}{coverage_row}"] = f"=IF(SUM({weights})=0,0,{scored_weight}/SUM({weights}))"
        ws[f"{col}{coverage_row}"].number_format = "0%"
        ws[f"{col}{excluded_row}"] = (f"=IF(SUMPRODUCT(--({minimums}<>\"\"),--({scores}<>\"\"),"
                                      f"--({scores}<{minimums}))>0,\"excluded\",\"\")")
        # Competition rank among the candidates with a total that are not excluded (ties share a rank).
        ws[f"{col}{rank_row}"] = (f"=IF(OR({col}{total_row}=\"\",{col}{excluded_row}<>\"\"),\"\","
                                  f"1+SUMPRODUCT(({totals}<>\"\")*({flags}=\"\")*({totals}>{col}{total_row})))")
        for row in (total_row, coverage_row, excluded_row, rank_row):
            ws[f"{col}{row}"].alignment = Alignment(horizontal="center")
            ws[f"{col}{row}"].font = bold
        ws[f"{col}{total_row}"].number_format = "0.0"

    validation = DataValidation(type="whole", operator="between", formula1="0", formula2="5", allow_blank=True,
                                showErrorMessage=True, error="A score is a whole number from 0 to 5, or blank",
                                errorTitle="Score")
    weight_check = DataValidation(type="decimal", operator="between", formula1="0", formula2="5",
                                  showErrorMessage=True, error="A weight is a number from 0 to 5",
                                  errorTitle="Weight")
    ws.add_data_validation(validation)
    ws.add_data_validation(weight_check)
    if n_c and n_f:
        validation.add(f"D{first}:{get_column_letter(3 + n_c)}{last}")
        validation.add(f"C{first}:C{last}")
    if n_f:
        weight_check.add(f"B{first}:B{last}")
    ws.column_dimensions["A"].width = 50
    ws.column_dimensions["B"].width = 8
    ws.column_dimensions["C"].width = 13
    for j in range(n_c):
        ws.column_dimensions[get_column_letter(4 + j)].width = max(12, min(len(comparison.candidates[j].name) + 2,
                                                                           24))
    ws.freeze_panes = ws.cell(first, 4)

    notes = wb.create_sheet("Notes")
    notes.append(["Factor", "Candidate", "Score", "Note"])
    for f in comparison.factors:
        for cand in comparison.candidates:
            cell = comparison.cells.get((f.name, cand.name))
            if cell and cell.note:
                notes.append([f.name, cand.name, cell.score, cell.note])
                _texts(notes[notes.max_row])
    for col, width in zip("ABCD", (50, 20, 8, 80)):
        notes.column_dimensions[col].width = width
    for cell in notes[1]:
        cell.font, cell.fill = bold, head_fill

    sheet = wb.create_sheet("Sensitivity")
    sheet.append(["Computed by twintui when exported; it does not recalculate in the spreadsheet."])
    sheet.append(["Verdict", verdict(comparison, ev, sens)])
    _texts(sheet[sheet.max_row])
    sheet.append([])
    sheet.append(["Factor", "Weight", "Tipping weight", "New leader"])
    for cell in sheet[4]:
        cell.font, cell.fill = bold, head_fill
    for s in sens:
        sheet.append([s.factor, s.current_weight, s.tipping_weight, s.new_leader])
        _texts(sheet[sheet.max_row])
    sheet.append([])
    sheet.append(["Candidate", "Total", "Rank", "Coverage", "Excluded", "Check"])
    for cell in sheet[sheet.max_row]:
        cell.font, cell.fill = bold, head_fill
    for r in ev.results:
        sheet.append([r.name, r.total, r.rank, r.coverage, r.excluded, "; ".join(r.warnings) or None])
        _texts(sheet[sheet.max_row])
    for col, width in zip("ABCDEF", (50, 10, 14, 20, 40, 40)):
        sheet.column_dimensions[col].width = width

    wb.calculation.fullCalcOnLoad = True  # no cached values: ask the spreadsheet to compute on open
    wb.properties.title = comparison.name
    wb.properties.creator = "twintui"
    return wb


def _texts(row: Any) -> None:
    """The text cells of an appended row kept as text (openpyxl took '=2+3' for a formula)."""
    for cell in row:
        if isinstance(cell.value, str):
            spreadsheet_text(cell, cell.value)
