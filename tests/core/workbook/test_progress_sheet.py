"""The Progress sheet of the quarterly return (issue 18): what each objective, activity and the spending
reached by the quarter's end, pre-filled with the last reported values, imported like the other sheets."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from twintui.core.model import Arrangement
from twintui.core.model.progress import ActivityProgress, ObjectiveProgress, Spending
from twintui.core.store import Store
from twintui.core.workbook import ImportRefused, apply, export_return, preview, read_return
from twintui.core.workbook.layout import PROGRESS, TEMPLATE_VERSION
from twintui.core.workbook.progress_layout import COLUMNS

from .conftest import QUARTER

NOR, CAN = "TW-NOR-0001", "TW-CAN-0001"  # the demo's arrangements with an MoU (3 and 4 objectives)


def col(key: str) -> int:
    """1-based column of a Progress column as twintui writes it."""
    return [c.key for c in COLUMNS].index(key) + 1


def rows_of(path: Path) -> dict[tuple[str, str], int]:
    """(Record ID, Progress ID) -> spreadsheet row, for every data row of the Progress sheet."""
    sheet = load_workbook(path, read_only=True)[PROGRESS]
    found = {}
    for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        if number >= 3 and row[col("arrangement") - 1]:
            found[(row[col("arrangement") - 1], row[col("id") - 1])] = number
    return found


def cell(path: Path, row: int, key: str) -> Any:
    return load_workbook(path)[PROGRESS].cell(row=row, column=col(key)).value


def edit(path: Path, changes: list[tuple[int, str, Any]]) -> Path:
    workbook = load_workbook(path)
    for row, key, value in changes:
        workbook[PROGRESS].cell(row=row, column=col(key), value=value)
    workbook.save(path)
    return path


def progress_count(store: Store) -> int:
    return sum(len(store.docs(cls)) for cls in (ObjectiveProgress, ActivityProgress, Spending))


def test_the_export_writes_a_row_per_objective_activity_and_spending_prefilled(register: Store,
                                                                               tmp_path: Path) -> None:
    path = export_return(register, "NOR", QUARTER, tmp_path / "nor.xlsx").path
    rows = rows_of(path)
    assert sorted(rows) == sorted([(NOR, f"O{n}-{QUARTER}") for n in (1, 2, 3)]
                                  + [(NOR, f"A{n}-{QUARTER}") for n in range(1, 9)] + [(NOR, f"S-{QUARTER}")])
    workbook = load_workbook(path)
    sheet = workbook[PROGRESS]
    assert [c.value for c in sheet[2]][: len(COLUMNS)] == [c.hxl for c in COLUMNS]
    first = rows[(NOR, f"O1-{QUARTER}")]
    # Objective 1 (missions shadowed, 0 → 5): Norway last reported 3, delayed, in 2026-Q2.
    got = {k: sheet.cell(row=first, column=col(k)).value
           for k in ("objective", "quarter", "last", "baseline", "target", "value", "status", "comment")}
    assert got == {"objective": 1, "quarter": QUARTER, "last": "2026-Q2", "baseline": 0, "target": 5, "value": 3,
                   "status": "delayed", "comment": None}
    assert "missions" in sheet.cell(row=first, column=col("what")).value.lower()
    spending = rows[(NOR, f"S-{QUARTER}")]
    assert sheet.cell(row=spending, column=col("spent")).value == 1650000
    assert sheet.cell(row=spending, column=col("currency")).value == "NOK"
    activity = rows[(NOR, f"A8-{QUARTER}")]
    assert sheet.cell(row=activity, column=col("state")).value == "not started"
    # Locked: the ids and what the MoU says; open: what the focal point reports (only where it applies).
    assert sheet.protection.sheet
    assert sheet.cell(row=first, column=col("id")).protection.locked
    assert sheet.cell(row=first, column=col("target")).protection.locked
    assert not sheet.cell(row=first, column=col("value")).protection.locked
    assert sheet.cell(row=first, column=col("state")).protection.locked  # an objective has no activity state
    assert not sheet.cell(row=activity, column=col("state")).protection.locked
    assert not sheet.cell(row=spending, column=col("spent")).protection.locked
    lists = {str(v.sqref).split(":")[0].rstrip("0123456789"): v.formula1 for v in sheet.data_validations.dataValidation
             if v.type == "list"}
    letter = lambda key: sheet.cell(row=1, column=col(key)).column_letter  # noqa: E731
    assert lists[letter("status")] == "list_objective_statuses"
    assert lists[letter("state")] == "list_activity_states"
    assert "Progress" in [c.value for c in workbook["Instructions"]["A"] if c.value]
    assert TEMPLATE_VERSION == 2


def test_an_existing_record_of_the_quarter_is_prefilled_with_its_revision(register: Store, tmp_path: Path) -> None:
    path = export_return(register, "CAN", QUARTER, tmp_path / "can.xlsx").path
    row = rows_of(path)[(CAN, f"O3-{QUARTER}")]
    assert (cell(path, row, "value"), cell(path, row, "rev"), cell(path, row, "last")) == (150, 1, QUARTER)


@pytest.mark.parametrize("state", ["NOR", "CAN"])
def test_an_untouched_return_imports_with_no_changes(register: Store, state: str, tmp_path: Path) -> None:
    path = export_return(register, state, QUARTER, tmp_path / "return.xlsx").path
    before = progress_count(register)
    result = preview(register, [read_return(path)])
    (file,) = result.files
    assert (file.errors, file.rows) == ([], [])
    apply(register, result)
    assert progress_count(register) == before


def test_edits_land_as_records(register: Store, tmp_path: Path) -> None:
    path = export_return(register, "NOR", QUARTER, tmp_path / "nor.xlsx").path
    rows = rows_of(path)
    edit(path, [(rows[(NOR, f"O1-{QUARTER}")], "value", 4),
                (rows[(NOR, f"O1-{QUARTER}")], "comment", "Paraguay's mission shadowed in August"),
                (rows[(NOR, f"A5-{QUARTER}")], "state", "done"),
                (rows[(NOR, f"A5-{QUARTER}")], "done_on", "2026-09-12"),
                (rows[(NOR, f"S-{QUARTER}")], "spent", 1900000)])
    result = preview(register, [read_return(path)])
    (file,) = result.files
    assert file.errors == []
    new = {row.key: {c.field: (c.old, c.new) for c in row.changes} for row in file.rows if row.status == "new"}
    assert set(new) == {f"{NOR}/O1-{QUARTER}", f"{NOR}/A5-{QUARTER}", f"{NOR}/S-{QUARTER}"}
    # Shown against what was reported last, so the maintainer sees what moved.
    assert new[f"{NOR}/O1-{QUARTER}"]["value"] == ("3", "4")
    assert new[f"{NOR}/A5-{QUARTER}"]["state"] == ("in progress", "done")
    apply(register, result)
    objective = register.require(ObjectiveProgress, f"{NOR}/O1-{QUARTER}")
    assert (objective.value, objective.baseline, objective.target, objective.status) == (4, 0, 5, "delayed")
    assert objective.comment.startswith("Paraguay")
    activity = register.require(ActivityProgress, f"{NOR}/A5-{QUARTER}")
    assert (activity.state, activity.done_on.isoformat()) == ("done", "2026-09-12")
    assert register.require(Spending, f"{NOR}/S-{QUARTER}").spent == 1900000
    assert register.get(ObjectiveProgress, f"{NOR}/O2-{QUARTER}") is None  # untouched rows report nothing


def test_an_edit_of_the_quarters_own_record_is_a_change(register: Store, tmp_path: Path) -> None:
    path = export_return(register, "CAN", QUARTER, tmp_path / "can.xlsx").path
    row = rows_of(path)[(CAN, f"O3-{QUARTER}")]
    edit(path, [(row, "value", 160)])
    result = preview(register, [read_return(path)])
    (change,) = result.files[0].rows
    assert (change.status, change.key, [(c.field, c.old, c.new) for c in change.changes]) == (
        "changed", f"{CAN}/O3-{QUARTER}", [("value", "150", "160")])
    apply(register, result)
    stored = register.require(ObjectiveProgress, f"{CAN}/O3-{QUARTER}")
    assert (stored.value, stored.rev) == (160, 2)


def test_bad_values_are_errors_naming_their_cells_and_nothing_is_written(register: Store, tmp_path: Path) -> None:
    path = export_return(register, "CAN", QUARTER, tmp_path / "can.xlsx").path
    rows = rows_of(path)
    o1, o2, a2, spent = (rows[(CAN, f"O1-{QUARTER}")], rows[(CAN, f"O2-{QUARTER}")], rows[(CAN, f"A2-{QUARTER}")],
                         rows[(CAN, f"S-{QUARTER}")])
    edit(path, [(o1, "value", 2),  # below the baseline 3, and no comment
                (o2, "value", "lots"), (o2, "status", "finished"),
                (a2, "state", "done"), (a2, "done_on", "2099-01-01"),
                (spent, "spent", -5)])
    result = preview(register, [read_return(path)])
    errors = {e.cell: e.message for e in result.files[0].errors}
    letter = lambda key: load_workbook(path)[PROGRESS].cell(row=1, column=col(key)).column_letter  # noqa: E731
    assert "below the baseline" in errors[f"Progress!{letter('comment')}{o1}"]
    assert f"Progress!{letter('value')}{o2}" in errors
    assert f"Progress!{letter('status')}{o2}" in errors
    assert "in the future" in errors[f"Progress!{letter('done_on')}{a2}"]
    assert f"Progress!{letter('spent')}{spent}" in errors
    before = progress_count(register)
    with pytest.raises(ImportRefused):
        apply(register, result)
    assert progress_count(register) == before


def test_a_second_return_for_the_same_quarter_conflicts(register: Store, tmp_path: Path) -> None:
    first = export_return(register, "NOR", QUARTER, tmp_path / "first.xlsx").path
    second = export_return(register, "NOR", QUARTER, tmp_path / "second.xlsx").path
    row = rows_of(first)[(NOR, f"O1-{QUARTER}")]
    edit(first, [(row, "value", 4)])
    edit(second, [(row, "value", 5)])
    apply(register, preview(register, [read_return(first)]))
    result = preview(register, [read_return(second)])
    (conflict,) = result.files[0].conflicts
    assert conflict.key == f"{NOR}/O1-{QUARTER}" and "since this return was exported" in conflict.note
    with pytest.raises(ImportRefused):
        apply(register, result)
    assert register.require(ObjectiveProgress, f"{NOR}/O1-{QUARTER}").value == 4


def test_a_record_changed_in_the_register_meanwhile_conflicts(register: Store, tmp_path: Path) -> None:
    path = export_return(register, "CAN", QUARTER, tmp_path / "can.xlsx").path
    stored = register.require(ObjectiveProgress, f"{CAN}/O3-{QUARTER}")
    register.save(stored.replace(value=155), "tui")
    edit(path, [(rows_of(path)[(CAN, f"O3-{QUARTER}")], "value", 160)])
    (conflict,) = preview(register, [read_return(path)]).files[0].conflicts
    assert conflict.key == f"{CAN}/O3-{QUARTER}"


def test_an_older_return_without_the_progress_sheet_still_imports(register: Store, tmp_path: Path) -> None:
    path = export_return(register, "NOR", QUARTER, tmp_path / "nor.xlsx").path
    workbook = load_workbook(path)
    del workbook[PROGRESS]
    register_sheet = workbook["Register"]
    title_column = next(c.column for c in register_sheet[1] if c.value == "Title")
    register_sheet.cell(row=3, column=title_column, value="A retitled arrangement")
    workbook.save(path)
    result = preview(register, [read_return(path)])
    assert result.ok and [r.status for r in result.files[0].rows] == ["changed"]
    apply(register, result)
    assert register.require(Arrangement, NOR).title == "A retitled arrangement"


def test_formulas_and_control_characters_in_progress_cells(register: Store, tmp_path: Path) -> None:
    path = export_return(register, "NOR", QUARTER, tmp_path / "nor.xlsx").path
    rows = rows_of(path)
    o1, o2 = rows[(NOR, f"O1-{QUARTER}")], rows[(NOR, f"O2-{QUARTER}")]
    edit(path, [(o1, "value", "=1/0"), (o2, "comment", "fine\x9b2Jgone\u202e")])
    errors = {e.cell: e.message for e in preview(register, [read_return(path)]).files[0].errors}
    letter = lambda key: load_workbook(path)[PROGRESS].cell(row=1, column=col(key)).column_letter  # noqa: E731
    assert "formula" in errors[f"Progress!{letter('value')}{o1}"]
    assert "control characters" in errors[f"Progress!{letter('comment')}{o2}"]


def test_a_comment_that_looks_like_a_formula_is_written_as_text(register: Store, tmp_path: Path) -> None:
    stored = register.require(ObjectiveProgress, f"{CAN}/O3-{QUARTER}")
    register.save(stored.replace(comment='=HYPERLINK("http://evil.example","click")'), "tui")
    path = export_return(register, "CAN", QUARTER, tmp_path / "can.xlsx").path
    row = rows_of(path)[(CAN, f"O3-{QUARTER}")]
    target = load_workbook(path)[PROGRESS].cell(row=row, column=col("comment"))
    assert target.data_type == "s" and target.value.startswith("=HYPERLINK")
    assert preview(register, [read_return(path)]).files[0].rows == []


def _added_row(path: Path, values: dict[str, Any]) -> int:
    number = max(rows_of(path).values()) + 1
    edit(path, [(number, key, value) for key, value in values.items()])
    return number


def test_an_objective_number_not_in_the_mou_is_an_error(register: Store, tmp_path: Path) -> None:
    path = export_return(register, "NOR", QUARTER, tmp_path / "nor.xlsx").path
    number = _added_row(path, {"arrangement": NOR, "objective": 7, "value": 2})
    errors = {e.cell: e.message for e in preview(register, [read_return(path)]).files[0].errors}
    letter = load_workbook(path)[PROGRESS].cell(row=1, column=col("objective")).column_letter
    assert "objective 7" in errors[f"Progress!{letter}{number}"]
    assert "3 objectives" in errors[f"Progress!{letter}{number}"]


def test_a_row_for_another_states_arrangement_is_an_error(register: Store, tmp_path: Path) -> None:
    path = export_return(register, "NOR", QUARTER, tmp_path / "nor.xlsx").path
    number = _added_row(path, {"arrangement": CAN, "objective": 1, "value": 6, "status": "on track"})
    errors = {e.cell: e.message for e in preview(register, [read_return(path)]).files[0].errors}
    letter = load_workbook(path)[PROGRESS].cell(row=1, column=col("arrangement")).column_letter
    assert "not of NOR" in errors[f"Progress!{letter}{number}"]
    assert register.get(ObjectiveProgress, f"{CAN}/O1-{QUARTER}").value == 5


def test_a_corrected_copy_of_an_applied_return_changes_the_reported_record(register: Store, tmp_path: Path) -> None:
    path = export_return(register, "NOR", QUARTER, tmp_path / "nor.xlsx").path
    row = rows_of(path)[(NOR, f"O1-{QUARTER}")]
    edit(path, [(row, "value", 4)])
    apply(register, preview(register, [read_return(path)]))
    again = preview(register, [read_return(path)])  # the same copy again: nothing to do
    assert again.files[0].rows == [] and again.files[0].second_submission is not None
    edit(path, [(row, "value", 5)])  # a corrected copy of the same export: no conflict with the first
    result = preview(register, [read_return(path)])
    (change,) = result.files[0].rows
    assert (change.status, [(c.field, c.old, c.new) for c in change.changes]) == ("changed", [("value", "4", "5")])
    apply(register, result)
    assert register.require(ObjectiveProgress, f"{NOR}/O1-{QUARTER}").value == 5


def test_a_row_for_another_quarter_or_a_made_up_id_is_an_error(register: Store, tmp_path: Path) -> None:
    path = export_return(register, "NOR", QUARTER, tmp_path / "nor.xlsx").path
    other = _added_row(path, {"arrangement": NOR, "objective": 2, "quarter": "2026-Q2", "value": 1})
    made_up = _added_row(path, {"arrangement": NOR, "id": "X1-2026-Q3", "value": 1})
    errors = {e.cell: e.message for e in preview(register, [read_return(path)]).files[0].errors}
    sheet = load_workbook(path)[PROGRESS]
    assert "2026-Q2 is reported in its own return" in errors[
        f"Progress!{sheet.cell(row=1, column=col('quarter')).column_letter}{other}"]
    assert "not a Progress ID" in errors[f"Progress!{sheet.cell(row=1, column=col('id')).column_letter}{made_up}"]
