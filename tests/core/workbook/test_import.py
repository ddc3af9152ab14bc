"""Import: preview (new, changed field by field, unchanged, conflicts, errors with cells, missing) and apply."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from twintui.core.errors import ConflictError
from twintui.core.model import Arrangement, Partner, Risk
from twintui.core.store import Store, backups
from twintui.core.workbook import (
    ImportRefused,
    Preview,
    QuarterlyReturn,
    apply,
    export_register,
    export_return,
    preview,
    read_returns,
)

from .conftest import QUARTER
from .helpers import column_of, edit, find_row, first_empty_row


def exported(store: Store, state: str, folder: Path, name: str = "return.xlsx") -> Path:
    return export_return(store, state, QUARTER, folder / name).path


def preview_of(store: Store, *paths: Path) -> Preview:
    return preview(store, read_returns(paths))


def state_counts(store: Store, state: str) -> tuple[int, int, int]:
    ids = {d["id"] for d in store.docs(Arrangement) if d["reporting_state"] == state}
    return (len(ids), sum(d["arrangement"] in ids for d in store.docs(Partner)),
            sum(d["arrangement"] in ids for d in store.docs(Risk)))


# -- round trips ---------------------------------------------------------------------

def test_an_untouched_return_is_all_unchanged(register: Store, state: str, tmp_path: Path) -> None:
    result = preview_of(register, exported(register, state, tmp_path))
    file = result.files[0]
    assert result.ok and not result.has_changes
    assert file.rows == [] and file.errors == [] and file.warnings == [] and file.missing == []
    assert file.unchanged == sum(state_counts(register, state))


def test_an_untouched_register_export_is_all_unchanged(register: Store, tmp_path: Path) -> None:
    result = export_register(register, tmp_path / "all.xlsx")
    file = preview_of(register, result.path).files[0]
    # Every record's row, and every Progress row (one per objective, activity and spending of an MoU).
    assert result.progress > 0
    assert file.unchanged == sum(register.count(cls) for cls in (Arrangement, Partner, Risk)) + result.progress
    assert file.rows == [] and file.missing == []


def test_a_file_saved_again_by_openpyxl_is_still_unchanged(register: Store, state: str, tmp_path: Path) -> None:
    path = exported(register, state, tmp_path)
    load_workbook(path).save(tmp_path / "again.xlsx")
    file = preview_of(register, tmp_path / "again.xlsx").files[0]
    assert file.rows == [] and file.unchanged == sum(state_counts(register, state))


def test_an_untouched_return_is_received_without_a_backup(register: Store, state: str, tmp_path: Path) -> None:
    # Nothing a restore would bring back: a backup would only push an older one out of the 20 kept,
    # which a focal point could otherwise do at will by importing the same file again and again.
    before = backups.list_all(register.path)
    outcome = apply(register, preview_of(register, exported(register, state, tmp_path)))
    assert outcome.received == [f"{state}-{QUARTER}"] and outcome.changed == outcome.created == []
    assert backups.list_all(register.path) == before


# -- changes -------------------------------------------------------------------------

def test_one_edit_is_exactly_one_change_and_applies(register: Store, state: str, tmp_path: Path) -> None:
    path = exported(register, state, tmp_path)
    first = register.require(Arrangement, f"TW-{state}-0001")
    new_status = "suspended" if first.status != "suspended" else "active"
    edit(path, [("Register", find_row(path, "Register", "id", first.id), "status", new_status)])
    result = preview_of(register, path)
    (row,) = result.files[0].rows
    assert (row.status, row.key, row.sheet) == ("changed", first.id, "Register")
    assert [(c.field, c.old, c.new) for c in row.changes] == [("status", first.status, new_status)]
    before_txn = register.txn
    outcome = apply(register, result)
    after = register.require(Arrangement, first.id)
    assert after.status == new_status and after.rev == first.rev + 1
    assert outcome.changed == [first.id] and outcome.created == []
    assert register.txn == before_txn + 1  # one write
    assert backups.list_all(register.path)[0].reason == "import"
    note = next(e for e in register.history() if e.action == "import")
    assert note.changes["sha256"][1] == result.files[0].file.sha256
    assert note.changes["by"][1] == "maintainer" and note.user == "maintainer"
    tracker = register.require(QuarterlyReturn, f"{state}-{QUARTER}")
    assert tracker.received_by == "maintainer" and tracker.received_sha256 == result.files[0].file.sha256
    assert (tracker.applied_new, tracker.applied_changed) == (0, 1)


def test_new_rows_link_partners_and_risks_by_title(register: Store, state: str, tmp_path: Path) -> None:
    path = exported(register, state, tmp_path)
    row = first_empty_row(path, "Register")
    title = "Mentoring on dossier processing"
    edit(path, [
        ("Register", row, "title", title),
        ("Register", row, "status", "planned"),
        ("Register", row, "activity_types", "mentoring and shadowing; staff exchange"),
        ("Register", row, "objectives", "Strengthen dossier processing in the resettlement programme"),
        ("Register", row, "start", dt.date(2026, 11, 1)),
        ("Partners", first_empty_row(path, "Partners"), "parent_title", title),
        ("Partners", first_empty_row(path, "Partners"), "name", "Refugee Council"),
        ("Partners", first_empty_row(path, "Partners"), "type", "ngo"),
        ("Risks", first_empty_row(path, "Risks"), "parent_title", f"  {title.upper()} "),
        ("Risks", first_empty_row(path, "Risks"), "description", "Mentor leaves"),
        ("Risks", first_empty_row(path, "Risks"), "category", "staffing"),
        ("Risks", first_empty_row(path, "Risks"), "likelihood", 2),
        ("Risks", first_empty_row(path, "Risks"), "impact", 3.0),
        ("Risks", first_empty_row(path, "Risks"), "owner", "Focal point"),
        ("Risks", first_empty_row(path, "Risks"), "status", "open"),
    ])
    result = preview_of(register, path)
    file = result.files[0]
    assert result.ok, [str(p) for p in file.errors]
    assert [(r.table, r.status) for r in file.rows] == [("arrangements", "new"), ("partners", "new"),
                                                        ("risks", "new")]
    outcome = apply(register, result)
    new_id = outcome.created[0]
    made = register.require(Arrangement, new_id)
    assert new_id.startswith(f"TW-{state}-") and made.reporting_state == state  # the return's state by default
    assert made.reported_quarter == QUARTER and made.activity_types == ["mentoring and shadowing", "staff exchange"]
    assert [p.name for p in register.children(Partner, new_id)] == ["Refugee Council"]
    assert register.children(Partner, new_id)[0].type == "NGO"
    assert [(r.description, r.impact) for r in register.children(Risk, new_id)] == [("Mentor leaves", 3)]
    assert outcome.created[1:] == [f"{new_id}/P-1", f"{new_id}/R-1"]


def test_a_partner_added_to_an_existing_arrangement(register: Store, state: str, tmp_path: Path) -> None:
    path = exported(register, state, tmp_path)
    row = first_empty_row(path, "Partners")
    arrangement = f"TW-{state}-0001"
    edit(path, [("Partners", row, "arrangement", arrangement), ("Partners", row, "name", "IOM office"),
                ("Partners", row, "type", "IOM")])
    result = preview_of(register, path)
    (new,) = result.files[0].rows
    assert (new.status, new.table, new.record.arrangement) == ("new", "partners", arrangement)
    before = len(register.children(Partner, arrangement))
    apply(register, result)
    assert len(register.children(Partner, arrangement)) == before + 1


def test_every_problem_is_reported_with_its_cell(register: Store, state: str, tmp_path: Path) -> None:
    path = exported(register, state, tmp_path)
    row = find_row(path, "Register", "id", f"TW-{state}-0001")
    risk_row = first_empty_row(path, "Risks")
    edit(path, [
        ("Register", row, "status", "ongoing"),
        ("Register", row, "contact_email", "not an address"),
        ("Register", row, "end", "31/02/2026"),
        ("Risks", risk_row, "arrangement", f"TW-{state}-0001"),
        ("Risks", risk_row, "description", "Too likely"),
        ("Risks", risk_row, "category", "budget"),
        ("Risks", risk_row, "likelihood", 9),
        ("Risks", risk_row, "impact", 2),
        ("Risks", risk_row, "status", "open"),
        ("Risks", risk_row, "owner", "X"),
    ])
    before = register.path.read_bytes()
    result = preview_of(register, path)
    errors = {(e.cell, e.column): e for e in result.files[0].errors}

    def letter(sheet: str, key: str) -> str:
        return get_column_letter(column_of(sheet, key))

    assert set(errors) == {
        (f"Register!{letter('Register', 'status')}{row}", "Status"),
        (f"Register!{letter('Register', 'contact_email')}{row}", "Contact e-mail"),
        (f"Register!{letter('Register', 'end')}{row}", "End date"),
        (f"Risks!{letter('Risks', 'likelihood')}{risk_row}", "Likelihood"),
    }
    status = errors[(f"Register!{letter('Register', 'status')}{row}", "Status")]
    assert status.value == "ongoing" and "not one of" in status.message and status.sheet == "Register"
    assert status.to_json() == {"sheet": "Register", "cell": status.cell, "column": "Status", "value": "ongoing",
                                "message": status.message}
    assert not result.ok
    with pytest.raises(ImportRefused):
        apply(register, result)
    assert register.path.read_bytes() == before


def test_columns_match_by_hxl_or_header_in_any_order(register: Store, state: str, tmp_path: Path) -> None:
    path = exported(register, state, tmp_path)
    workbook = load_workbook(path)
    sheet = workbook["Register"]
    sheet.move_range("A1:A1000", cols=30)  # Record ID moved to the far right (AE)
    sheet["C1"] = "  REPORTING   state "  # header matched without the hashtag
    sheet["C2"] = None
    sheet["D2"] = "#Activity +Name"  # hashtag in another spelling
    sheet["W1"], sheet["W2"] = "Notes", "#meta+notes"
    sheet["W3"] = "our own remarks"
    workbook.save(path)
    file = preview_of(register, path).files[0]
    assert file.errors == [] and file.rows == []
    assert file.unchanged == sum(state_counts(register, state))
    assert [(w.cell, w.column) for w in file.warnings] == [("Register!W1", "Notes")]
    assert "ignored" in file.warnings[0].message


def test_a_missing_id_column_is_an_error_not_a_guess(register: Store, state: str, tmp_path: Path) -> None:
    path = exported(register, state, tmp_path)
    workbook = load_workbook(path)
    workbook["Register"].delete_cols(1)
    workbook.save(path)
    file = preview_of(register, path).files[0]
    assert [(e.cell, e.column) for e in file.errors] == [("Register!1:1", "Record ID")]


def test_missing_records_are_reported_never_deleted(register: Store, state: str, tmp_path: Path) -> None:
    path = exported(register, state, tmp_path)
    gone = f"TW-{state}-0002"
    workbook = load_workbook(path)
    workbook["Register"].delete_rows(find_row(path, "Register", "id", gone))
    workbook.save(path)
    result = preview_of(register, path)
    assert [(m.table, m.key) for m in result.files[0].missing] == [("arrangements", gone)]
    apply(register, result)
    assert register.get(Arrangement, gone) is not None


# -- conflicts -----------------------------------------------------------------------

def test_a_record_changed_on_both_sides_is_a_conflict(register: Store, state: str, tmp_path: Path) -> None:
    path = exported(register, state, tmp_path)
    key = f"TW-{state}-0001"
    register.save(register.require(Arrangement, key).replace(outcomes="Register's outcome"), "tui")
    edit(path, [("Register", find_row(path, "Register", "id", key), "outcomes", "File's outcome")])
    result = preview_of(register, path)
    (row,) = result.files[0].rows
    assert row.status == "conflict" and "since this return was exported" in row.note
    assert [(c.field, c.old, c.new) for c in row.changes] == [("outcomes", "Register's outcome", "File's outcome")]
    assert result.files[0].to_json()["conflicts"] == 1 and not result.ok
    with pytest.raises(ImportRefused):
        apply(register, result)


def test_a_record_changed_only_in_the_register_is_not_a_conflict(register: Store, state: str, tmp_path: Path) -> None:
    path = exported(register, state, tmp_path)
    key = f"TW-{state}-0001"
    register.save(register.require(Arrangement, key).replace(outcomes="Register's outcome"), "tui")
    row = find_row(path, "Register", "id", f"TW-{state}-0002")
    edit(path, [("Register", row, "outcomes", "A change elsewhere")])
    load_workbook(path).save(path)
    file = preview_of(register, path).files[0]
    assert [(r.status, r.key) for r in file.rows] == [("changed", f"TW-{state}-0002")]
    apply(register, preview_of(register, path))
    assert register.require(Arrangement, key).outcomes == "Register's outcome"  # not reverted by the file


def test_a_change_between_preview_and_apply_writes_nothing(register: Store, state: str, tmp_path: Path) -> None:
    path = exported(register, state, tmp_path)
    key = f"TW-{state}-0001"
    edit(path, [("Register", find_row(path, "Register", "id", key), "outcomes", "File's outcome")])
    result = preview_of(register, path)
    register.save(register.require(Arrangement, key).replace(outcomes="Meanwhile"), "tui")
    before = register.path.read_bytes()
    with pytest.raises(ConflictError):
        apply(register, result)
    assert register.path.read_bytes() == before


def test_the_same_record_changed_by_two_files_is_a_conflict(register: Store, state: str, tmp_path: Path) -> None:
    key = f"TW-{state}-0001"
    first, second = exported(register, state, tmp_path, "a.xlsx"), exported(register, state, tmp_path, "b.xlsx")
    for path, text in ((first, "one"), (second, "two")):
        edit(path, [("Register", find_row(path, "Register", "id", key), "outcomes", text)])
    result = preview_of(register, first, second)
    assert [r.status for r in result.files[0].rows] == ["changed"]
    assert [r.status for r in result.files[1].rows] == ["conflict"] and "a.xlsx" in result.files[1].rows[0].note


# -- all or nothing across files --------------------------------------------------------

def test_apply_is_all_or_nothing_across_files(register: Store, tmp_path: Path) -> None:
    states = sorted({d["reporting_state"] for d in register.docs(Arrangement)})[:2]
    paths = [exported(register, s, tmp_path, f"{s}.xlsx") for s in states]
    for path, s in zip(paths, states, strict=True):
        key = next(d["id"] for d in register.docs(Arrangement) if d["reporting_state"] == s)
        edit(path, [("Register", find_row(path, "Register", "id", key), "lessons_learned", f"lesson of {s}")])
    bad = first_empty_row(paths[1], "Register")
    edit(paths[1], [("Register", bad, "title", "No status"), ("Register", bad, "status", "unknown")])
    before = register.path.read_bytes()
    result = preview_of(register, *paths)
    assert result.files[0].ok and not result.files[1].ok
    with pytest.raises(ImportRefused):
        apply(register, result)
    assert register.path.read_bytes() == before
    edit(paths[1], [("Register", bad, "status", "planned")])
    txn = register.txn
    outcome = apply(register, preview_of(register, *paths))
    assert register.txn == txn + 1 and len(outcome.changed) == 2 and len(outcome.created) == 1
    assert sorted(outcome.received) == sorted(f"{s}-{QUARTER}" for s in states)
    notes = [e for e in register.history() if e.action == "import"]
    assert {e.record for e in notes} == {f"{s}.xlsx" for s in states} and {e.txn for e in notes} == {txn + 1}


# -- what a state's return may touch ----------------------------------------------------

def test_a_state_return_touches_only_that_state(register: Store, state: str, tmp_path: Path) -> None:
    path = exported(register, state, tmp_path)
    other = next(d for d in register.docs(Arrangement) if d["reporting_state"] != state)
    row, partner_row = first_empty_row(path, "Register"), first_empty_row(path, "Partners")
    edit(path, [
        ("Register", row, "title", "Someone else's"), ("Register", row, "status", "planned"),
        ("Register", row, "reporting_state", other["reporting_state"]),
        ("Partners", partner_row, "arrangement", other["id"]), ("Partners", partner_row, "name", "X"),
        ("Partners", partner_row, "type", "NGO"),
    ])
    messages = [e.message for e in preview_of(register, path).files[0].errors]
    assert len(messages) == 2
    assert f"this is {state}'s return" in messages[0] and f"not of {state}" in messages[1]


def test_a_record_twice_in_a_file_is_an_error(register: Store, state: str, tmp_path: Path) -> None:
    path = exported(register, state, tmp_path)
    workbook = load_workbook(path)
    sheet = workbook["Register"]
    source = find_row(path, "Register", "id", f"TW-{state}-0001")
    target = first_empty_row(path, "Register")
    for column in range(1, sheet.max_column + 1):
        sheet.cell(target, column, sheet.cell(source, column).value)
    workbook.save(path)
    (row,) = preview_of(register, path).files[0].rows
    assert row.status == "invalid" and f"also in row {source}" in row.errors[0].message


def test_an_unknown_record_id_is_an_error(register: Store, state: str, tmp_path: Path) -> None:
    path = exported(register, state, tmp_path)
    row = first_empty_row(path, "Partners")
    edit(path, [("Partners", row, "arrangement", f"TW-{state}-0001"), ("Partners", row, "id", "P-99"),
                ("Partners", row, "name", "Ghost"), ("Partners", row, "type", "NGO")])
    (problem,) = preview_of(register, path).files[0].errors
    assert problem.column == "Partner ID" and "no partner" in problem.message


# -- what spreadsheets do to cells --------------------------------------------------------

def test_google_sheets_style_cells_import_like_the_original(register: Store, state: str, tmp_path: Path) -> None:
    """Dates as serial numbers, yes as TRUE, whole numbers as floats, country names in any case."""
    path = exported(register, state, tmp_path)
    workbook = load_workbook(path)
    epoch = dt.date(1899, 12, 30)
    for name in ("Register", "Partners", "Risks"):
        sheet = workbook[name]
        for row in sheet.iter_rows(min_row=3):
            for cell in row:
                if isinstance(cell.value, dt.datetime):
                    cell.value = float((cell.value.date() - epoch).days)
                    cell.number_format = "General"
                elif cell.value == "yes":
                    cell.value = True
                elif cell.value == "no":
                    cell.value = False
                elif isinstance(cell.value, int) and not isinstance(cell.value, bool):
                    cell.value = float(cell.value)
    reporting = column_of("Register", "reporting_state")
    for row in workbook["Register"].iter_rows(min_row=3, min_col=reporting, max_col=reporting):
        if row[0].value:
            row[0].value = {"FIN": "finland ", "CZE": "Czechia"}.get(row[0].value, row[0].value.lower())
    workbook.save(path)
    file = preview_of(register, path).files[0]
    assert file.errors == [] and file.rows == [], [(r.key, r.changes) for r in file.rows]
    assert file.unchanged == sum(state_counts(register, state))


def test_formula_looking_text_is_written_and_read_as_text(register: Store, state: str, tmp_path: Path) -> None:
    texts = ['=HYPERLINK("http://x","y")', "+1", "-2", "@SUM(A1)"]
    ids = sorted(d["id"] for d in register.docs(Arrangement) if d["reporting_state"] == state)
    with register.transaction("test") as tx:
        for key, text in zip(ids, texts, strict=False):
            tx.save(register.require(Arrangement, key).replace(title=text, contact_phone=text))
    path = exported(register, state, tmp_path)
    with zipfile.ZipFile(path) as archive:
        sheets = [archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/")]
    assert not any(b"<f>" in sheet or b"<f " in sheet for sheet in sheets)  # no live formula anywhere
    workbook = load_workbook(path)
    titles = {c.value: c for c in workbook["Register"]["D"] if c.value in texts}
    assert sorted(titles) == sorted(texts[: len(ids)])
    assert all(c.data_type == "s" and c.quotePrefix for c in titles.values())
    file = preview_of(register, path).files[0]
    assert file.rows == [] and file.errors == []
    # Typed as text in a new row, they come back exactly as typed.
    row = first_empty_row(path, "Register")
    edit(path, [("Register", row, "title", "@SUM(A1)"), ("Register", row, "status", "planned"),
                ("Register", row, "contact_phone", "+47 22 00 00 00")])
    (new,) = preview_of(register, path).files[0].rows
    assert (new.record.title, new.record.contact_phone) == ("@SUM(A1)", "+47 22 00 00 00")


def test_progress_is_reported(register: Store, state: str, tmp_path: Path) -> None:
    seen: list[tuple[str, int, int]] = []
    files = read_returns([exported(register, state, tmp_path)], progress=lambda *a: seen.append(a))
    preview(register, files, progress=lambda *a: seen.append(a))
    assert seen[0] == ("reading", 0, 1) and seen[-1][0] == "comparing" and seen[-1][1] == seen[-1][2]


def test_the_same_file_twice_is_refused(register: Store, state: str, tmp_path: Path) -> None:
    path = exported(register, state, tmp_path)
    row = first_empty_row(path, "Register")
    edit(path, [("Register", row, "title", "Only once"), ("Register", row, "status", "planned")])
    copy = tmp_path / "copy.xlsx"
    copy.write_bytes(path.read_bytes())
    result = preview_of(register, path, copy)
    assert result.files[0].ok and "the same file as" in result.files[1].errors[0].message
    assert not result.ok


def test_control_characters_do_not_stop_an_export(register: Store, state: str, tmp_path: Path) -> None:
    """Text pasted from a word processor may carry characters XML cannot hold; they are left out of the file."""
    key = f"TW-{state}-0001"
    register.save(register.require(Arrangement, key).replace(outcomes="Line one\x0bline two\x07"), "tui")
    path = exported(register, state, tmp_path)
    file = preview_of(register, path).files[0]
    assert file.errors == [] and file.rows == []  # untouched: the row is what was written
    edit(path, [("Register", find_row(path, "Register", "id", key), "status", "suspended")])
    (row,) = preview_of(register, path).files[0].rows
    assert {c.field for c in row.changes} == {"status"}


def test_a_new_row_with_the_title_of_a_stored_arrangement_gets_a_warning(register: Store, state: str,
                                                                        tmp_path: Path) -> None:
    path = exported(register, state, tmp_path)
    existing = register.require(Arrangement, f"TW-{state}-0001")
    row = first_empty_row(path, "Register")
    edit(path, [("Register", row, "title", f" {existing.title.upper()} "), ("Register", row, "status", "planned")])
    file = preview_of(register, path).files[0]
    (warning,) = [w for w in file.warnings if "title already" in w.message]
    assert existing.id in warning.message and warning.cell.startswith("Register!")
    assert [r.status for r in file.rows] == ["new"]  # a warning: the maintainer decides
