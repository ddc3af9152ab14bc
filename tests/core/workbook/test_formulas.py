"""Formula cells and error values, in files written by openpyxl, pandas (both engines) and xlsxwriter.

python-calamine reads a formula without a calculated value, and an error value, as an empty
cell: taken at its word, the import would clear the field. Each is an error naming the cell.
(LibreOffice's calculated values are in test_travel.py, with the other LibreOffice files.)
"""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl.utils import get_column_letter

from twintui.core.model import Arrangement
from twintui.core.store import Store
from twintui.core.workbook import ImportRefused, apply, export_return, preview, read_returns

from .conftest import QUARTER
from .helpers import column_of, edit, find_row, pandas_rewrite


def cell(key: str, row: int, sheet: str = "Register") -> str:
    return f"{sheet}!{get_column_letter(column_of(sheet, key))}{row}"


@pytest.fixture
def returned(register: Store, state: str, tmp_path: Path) -> tuple[Path, str, int]:
    """A state's return, the key of its first arrangement and that arrangement's row."""
    path = export_return(register, state, QUARTER, tmp_path / "return.xlsx").path
    key = f"TW-{state}-0001"
    return path, key, find_row(path, "Register", "id", key)


def assert_refused_without_change(register: Store, path: Path, key: str, problem_cells: dict[str, str]) -> None:
    """Each cell is an error with its words; the field is not shown as cleared; nothing can be applied."""
    before = register.require(Arrangement, key)
    result = preview(register, read_returns([path]))
    (file,) = result.files
    found = {p.cell: p.message for p in file.errors}
    assert set(found) == set(problem_cells), found
    for where, words in problem_cells.items():
        assert words in found[where], found[where]
    assert not any(c.new in ("", "0") for r in file.rows for c in r.changes), [r.changes for r in file.rows]
    with pytest.raises(ImportRefused):
        apply(register, result)
    assert register.require(Arrangement, key) == before


def test_an_openpyxl_formula_without_a_value_is_an_error_naming_the_cell(register: Store,
                                                                         returned: tuple[Path, str, int]) -> None:
    path, key, row = returned
    edit(path, [("Register", row, "funding_source", '=A1&"x"')])
    assert_refused_without_change(register, path, key, {cell("funding_source", row): (
        "holds a formula without a calculated value (=A1&\"x\"): type the value, or open and save the file in "
        "Excel or LibreOffice")})


@pytest.mark.parametrize("engine", ["openpyxl", "xlsxwriter"])
def test_a_formula_written_by_pandas_is_an_error(register: Store, returned: tuple[Path, str, int], engine: str,
                                                 tmp_path: Path) -> None:
    """openpyxl writes no value; xlsxwriter writes its placeholder 0 and asks for a recalculation on load."""
    path, key, row = returned
    rewritten = pandas_rewrite(path, tmp_path / f"pandas-{engine}.xlsx", engine,
                               [("Register", row, "funding_source", '=A1&"x"'),
                                ("Register", row, "funding_amount", "=2*1750000")])
    assert_refused_without_change(register, rewritten, key, {
        cell("funding_source", row): "holds a formula without a calculated value",
        cell("funding_amount", row): "holds a formula without a calculated value (=2*1750000)"})


def test_xlsxwriter_placeholder_zero_is_not_taken_for_a_value(register: Store, returned: tuple[Path, str, int],
                                                              tmp_path: Path) -> None:
    """A return copied cell by cell with xlsxwriter, a formula left at xlsxwriter's default value 0."""
    import xlsxwriter
    from openpyxl import load_workbook

    path, key, row = returned
    source = load_workbook(path)
    target = tmp_path / "xlsxwriter.xlsx"
    book = xlsxwriter.Workbook(target)
    for sheet in source.worksheets:
        out = book.add_worksheet(sheet.title)
        for cells in sheet.iter_rows():
            for c in cells:
                if c.value is not None:
                    out.write(c.row - 1, c.column - 1, c.value)
    book.get_worksheet_by_name("Register").write_formula(row - 1, column_of("Register", "funding_amount") - 1,
                                                         "=1750000*2")
    book.close()
    assert_refused_without_change(register, target, key, {
        cell("funding_amount", row): "holds a formula without a calculated value (=1750000*2)"})


def test_error_values_are_errors_naming_the_cell(register: Store, returned: tuple[Path, str, int]) -> None:
    path, key, row = returned
    edit(path, [("Register", row, "funding_source", "#DIV/0!"), ("Register", row, "outcomes", "#N/A"),
                ("Register", row, "contact_name", "#REF!")])
    assert_refused_without_change(register, path, key, {
        cell("funding_source", row): "holds the error #DIV/0!", cell("outcomes", row): "holds the error #N/A",
        cell("contact_name", row): "holds the error #REF!"})


def test_a_formula_in_a_new_row_and_in_the_partners_sheet(register: Store, returned: tuple[Path, str, int]) -> None:
    """New rows too: the formula cell is an error, not an empty field of the new record."""
    from .helpers import first_empty_row

    path, _, _ = returned
    new = first_empty_row(path, "Register")
    partner = first_empty_row(path, "Partners")
    edit(path, [("Register", new, "title", "Reception training"), ("Register", new, "status", "planned"),
                ("Register", new, "outcomes", '="Two "&"guides"'),
                ("Partners", partner, "parent_title", "Reception training"), ("Partners", partner, "name", "City of Oslo"),
                ("Partners", partner, "type", "other"), ("Partners", partner, "address", "=B2")])
    file = preview(register, read_returns([path])).files[0]
    assert {p.cell for p in file.errors} == {cell("outcomes", new), cell("address", partner, "Partners")}
    assert not file.new and [r.status for r in file.rows] == ["invalid", "invalid"]
