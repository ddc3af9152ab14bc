"""What a cell of a returned file may hold that the register must not take as it is.

Merged ranges, serial dates of a 1904 workbook, control characters and bidirectional
overrides, absurd numbers, very long values: each is reported with its cell, in one
line whose message comes first, and nothing is blanked or changed silently.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from twintui.core.model import Arrangement, Partner
from twintui.core.store import Store
from twintui.core.workbook import export_return, preview, read_returns

from .conftest import QUARTER
from .helpers import column_of, edit, find_row, plant


def cell(key: str, row: int, sheet: str = "Register") -> str:
    return f"{sheet}!{get_column_letter(column_of(sheet, key))}{row}"


@pytest.fixture
def returned(register: Store, state: str, tmp_path: Path) -> Path:
    return export_return(register, state, QUARTER, tmp_path / "return.xlsx").path


# -- merged cells -----------------------------------------------------------------------

def merge(path: Path, sheet: str, ref: str) -> None:
    workbook = load_workbook(path)
    workbook[sheet].merge_cells(ref)
    workbook.save(path)


def test_a_merged_range_over_data_cells_is_reported_not_blanked(register: Store, state: str, returned: Path) -> None:
    key = f"TW-{state}-0001"
    row = find_row(returned, "Register", "id", key)
    first, second = cell("start", row), cell("end", row)
    merge(returned, "Register", f"{first.split('!')[1]}:{second.split('!')[1]}")
    file = preview(register, read_returns([returned])).files[0]
    (error,) = file.errors
    assert error.cell == f"{first}:{second.split('!')[1]}" and "merged" in error.message
    assert "unmerge" in error.message
    assert not any(c.field == "end" for r in file.rows for c in r.changes)  # the hidden cell is not a blank
    assert file.missing == [] and not file.ok


def test_merged_record_ids_down_a_column_are_one_error_and_no_row_is_missing(register: Store, state: str,
                                                                              returned: Path) -> None:
    key = next(a.id for a in register.all(Arrangement) if a.reporting_state == state
               and len(register.children(Partner, a.id)) >= 2)
    partners = len(register.children(Partner, key))
    top = find_row(returned, "Partners", "arrangement", key)
    bottom = top + partners - 1
    merge(returned, "Partners", f"A{top}:A{bottom}")
    file = preview(register, read_returns([returned])).files[0]
    (error,) = file.errors
    assert error.cell == f"Partners!A{top}:A{bottom}" and "merged" in error.message
    assert file.missing == [], [m.key for m in file.missing]
    assert not any("give the Record ID" in p.message for p in file.errors)


# -- 1904 workbooks -----------------------------------------------------------------------

def test_a_bare_serial_date_in_a_1904_workbook_counts_from_1904(register: Store, state: str, returned: Path) -> None:
    from openpyxl.utils.datetime import CALENDAR_MAC_1904

    key = f"TW-{state}-0001"
    row = find_row(returned, "Register", "id", key)
    workbook = load_workbook(returned)
    workbook.epoch = CALENDAR_MAC_1904  # dates written as dates stay right; a bare number is a 1904 serial
    sheet = workbook["Register"]
    target = sheet.cell(row=row, column=column_of("Register", "end"))
    target.value = (dt.date(2027, 7, 31) - dt.date(1904, 1, 1)).days
    target.number_format = "General"
    workbook.save(returned)
    assert 'date1904="1"' in __import__("zipfile").ZipFile(returned).read("xl/workbook.xml").decode()
    file = preview(register, read_returns([returned])).files[0]
    (change,) = file.rows
    assert change.key == key
    assert [(c.field, c.new) for c in change.changes] == [("end", "2027-07-31")]


# -- text that attacks the reviewer ---------------------------------------------------------

@pytest.mark.parametrize("value,named", [
    ("\x1b[2K\x1b[1A+47 22 00 00 00", "\\x1b"),
    ("+47 22 00\x9b2K", "\\x9b"),  # C1: a CSI in one byte
    ("\u202e00 00 22 74+", "RIGHT-TO-LEFT OVERRIDE"),
    ("\u2066+47\u2069", "LEFT-TO-RIGHT ISOLATE"),
    ("+47\t22", "\\x09"),
])
def test_control_characters_and_bidi_overrides_are_refused_with_the_cell(register: Store, state: str,
                                                                          returned: Path, value: str,
                                                                          named: str) -> None:
    key = f"TW-{state}-0001"
    row = find_row(returned, "Register", "id", key)
    edit(returned, [("Register", row, "contact_phone", "PLANTED")])
    plant(returned, "PLANTED", value)
    file = preview(register, read_returns([returned])).files[0]
    (error,) = file.errors
    assert error.cell == cell("contact_phone", row) and named in error.message
    assert not file.ok


def test_tab_and_newline_are_fine_in_a_multi_line_field(register: Store, state: str, returned: Path) -> None:
    key = f"TW-{state}-0001"
    row = find_row(returned, "Register", "id", key)
    edit(returned, [("Register", row, "lessons_learned", "First line\nsecond\tline")])
    file = preview(register, read_returns([returned])).files[0]
    assert file.errors == [] and [c.field for r in file.rows for c in r.changes] == ["lessons_learned"]
    edit(returned, [("Register", row, "lessons_learned", "PLANTED")])
    plant(returned, "PLANTED", "First line\x07")
    (error,) = preview(register, read_returns([returned])).files[0].errors
    assert error.cell == cell("lessons_learned", row) and "\\x07" in error.message


# -- numbers ----------------------------------------------------------------------------------

@pytest.mark.parametrize("value", [1.7e308, "1e999", "-1.7e308", "nan", "inf"])
def test_non_finite_and_absurd_amounts_are_refused_saying_the_limit(register: Store, state: str, returned: Path,
                                                                   value: object) -> None:
    key = f"TW-{state}-0001"
    row = find_row(returned, "Register", "id", key)
    edit(returned, [("Register", row, "funding_amount", value)])
    (error,) = preview(register, read_returns([returned])).files[0].errors
    assert error.cell == cell("funding_amount", row)
    assert "1,000,000,000,000" in error.message or "not a finite number" in error.message, error.message


# -- messages ----------------------------------------------------------------------------------

def test_a_long_value_comes_after_its_message_and_is_clipped(register: Store, state: str, returned: Path) -> None:
    key = f"TW-{state}-0001"
    row = find_row(returned, "Register", "id", key)
    edit(returned, [("Register", row, "title", "A" * 5000), ("Register", row, "status", "B" * 5000)])
    errors = {e.column: str(e) for e in preview(register, read_returns([returned])).files[0].errors}
    assert errors["Title"].startswith(f"{cell('title', row)} Title: Title is 5000 characters long; at most 200")
    assert errors["Status"].startswith(f"{cell('status', row)} Status: ") and "is not one of" in errors["Status"]
    assert all(len(line) < 300 for line in errors.values()), errors


def test_both_sides_of_a_change_read_alike(register: Store, state: str, returned: Path) -> None:
    key = f"TW-{state}-0001"
    register.save(register.require(Arrangement, key).replace(funding_amount=3500000), "tui")
    path = export_return(register, state, QUARTER, returned.parent / "again.xlsx").path
    edit(path, [("Register", find_row(path, "Register", "id", key), "funding_amount", 3600000.5)])
    (row,) = preview(register, read_returns([path])).files[0].rows
    assert [(c.old, c.new) for c in row.changes] == [("3,500,000", "3,600,000.5")]
