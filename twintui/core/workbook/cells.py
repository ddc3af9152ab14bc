"""What a returned cell may hold that the register must not take as it is, and how each is told.

Every finding is a ``CellProblem`` with its cell (``Register!F7``), its message first
and the value after it, clipped:

- a formula without a calculated value, or an error value (``#DIV/0!``), is an error:
  python-calamine reads both as an empty cell, which would clear the field. A formula
  with a calculated value is imported by that value, with a warning saying so;
- a merged range over data cells is one error naming the range: a merged range shows
  one value and hides the others, so its rows are not read (and the records their
  hidden cells name are not reported missing);
- C0 and C1 control characters and bidirectional overrides in text (a tab or a
  newline only in a multi-line field) are an error naming the characters: they would
  act on the reviewer's terminal, or reorder what the preview shows;
- a bare serial number in a date column of a 1904-date-system workbook counts from
  1904-01-01 (python-calamine converts cells formatted as dates itself).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ..model import Field, coerce
from ..text import hidden_characters, quoted
from . import layout
from .parts import FormulaCell
from .read import SheetData

# Free-text fields whose cells may hold a line break or a tab (Alt+Enter in a spreadsheet).
MULTILINE = layout.LONG_TEXT | {"address", "contact"}


@dataclass(frozen=True, slots=True)
class CellProblem:
    """One problem in a returned file, where a user can find and fix it."""

    sheet: str
    cell: str  # Register!F7, Register!7:7 for a whole row, Register!1:1 for the headers, Register!H3:I3
    column: str
    value: Any
    message: str
    severity: str = "error"  # errors block the import; warnings are shown

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def to_json(self) -> dict[str, Any]:
        return {"sheet": self.sheet, "cell": self.cell, "column": self.column,
                "value": layout.json_value(self.value), "message": self.message}

    def __str__(self) -> str:
        """'Register!D7 Title: Title is 5000 characters long; at most 200 ('AAAA…')': the message first."""
        where = f"{self.cell} {self.column}".strip()
        line = f"{where}: {self.message}" if where else self.message
        if self.value in ("", None):
            return line
        shown = quoted(layout.json_value(self.value))
        return line if shown in self.message else f"{line} ({shown})"


def formula_problems(data: SheetData, number: int, positions: dict[str, int],
                     headers: dict[str, str]) -> list[tuple[int, CellProblem]]:
    """(column, problem) for the formula and error cells of one row in the sheet's known columns:
    errors, and warnings for formulas with a calculated value."""
    found = []
    for key, index in positions.items():
        formula = data.formulas.get((number, index))
        if formula is not None:
            found.append((index, _formula_problem(data.name, number, index, headers.get(key, key), formula)))
    return found


def _formula_problem(sheet: str, number: int, index: int, header: str, formula: FormulaCell) -> CellProblem:
    where = f"{sheet}!{layout.column_letter(index)}{number}"
    if formula.error:
        what = f"holds the error {formula.error}" + (
            f" (its formula {formula.describe()})" if formula.formula is not None else "")
        return CellProblem(sheet, where, header, "", f"{what}: type the value, or correct the formula")
    if not formula.calculated:
        return CellProblem(sheet, where, header, "", (
            f"holds a formula without a calculated value ({formula.describe()}): type the value, or open "
            "and save the file in Excel or LibreOffice"))
    return CellProblem(sheet, where, header, "", f"holds a formula ({formula.describe()}); its calculated value "
                                                 "is imported", "warning")


@dataclass(frozen=True, slots=True)
class MergedRows:
    """The data rows a sheet's merged ranges cover, and whether a merge hides a cell that names a record."""

    rows: frozenset[int]
    problems: tuple[CellProblem, ...]
    hides_keys: bool  # a record ID is hidden: which records these rows are cannot be told


def merged_rows(data: SheetData, positions: dict[str, int], headers: dict[str, str],
                key_columns: Iterable[str]) -> MergedRows:
    """One error per merged range over the sheet's data rows and known columns."""
    known = {index: key for key, index in positions.items()}
    keys = {positions[k] for k in key_columns if k in positions}
    rows: set[int] = set()
    problems = []
    hides = False
    for (top, left), (bottom, right) in data.merged:
        if bottom < data.first_row or not any(index in known for index in range(left, right + 1)):
            continue
        top = max(top, data.first_row)
        ref = f"{layout.column_letter(left)}{top}:{layout.column_letter(right)}{bottom}"
        columns = ", ".join(headers.get(known[i], known[i]) for i in range(left, right + 1) if i in known)
        span = f"row {top}" if top == bottom else f"rows {top} to {bottom}"
        problems.append(CellProblem(data.name, f"{data.name}!{ref}", columns, "", (
            f"these cells are merged ({span}): a merged range shows one value and hides the others, so "
            f"{'this row is' if top == bottom else 'these rows are'} not read; unmerge the cells and give "
            "each one its value")))
        rows.update(range(top, bottom + 1))
        hides = hides or (bottom > top and any(left <= index <= right for index in keys))
    return MergedRows(frozenset(rows), tuple(problems), hides)


def hidden_text(field: Field, value: Any) -> str:
    """Why a text cell is refused (control characters, bidi overrides), or ''."""
    if not isinstance(value, str):
        return ""
    found = hidden_characters(value, multiline=field.name in MULTILINE)
    if not found:
        return ""
    allowed = " (a line break or a tab is fine in this column)" if field.name in MULTILINE else ""
    return (f"holds control characters that would act on a terminal or reorder the text ({', '.join(found)}): "
            f"delete them{allowed}")


def from_1904(value: Any) -> Any:
    """A bare serial number of a 1904 workbook as the date it means; anything else as it is."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            return coerce.date_1904(float(value))
        except ValueError:
            return value
    return value


def _comparable(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date()
    return value


def same_value(cell: Any, expected: Any) -> bool:
    """Whether a cell still holds what the export would write, up to what spreadsheets do to cells."""
    return cell == expected or _comparable(cell) == _comparable(expected)
