"""Round trips through a real headless LibreOffice Calc re-save (SPEC §3: what a focal point's office suite does)."""

from __future__ import annotations

from pathlib import Path

from twintui.core.model import Arrangement, Risk
from twintui.core.store import Store
from twintui.core.workbook import apply, export_return, preview, read_returns

from .conftest import QUARTER
from .helpers import edit, find_row, libreoffice_resave


def test_a_return_resaved_by_libreoffice_imports_as_unchanged(register: Store, state: str, tmp_path: Path) -> None:
    path = export_return(register, state, QUARTER, tmp_path / "return.xlsx").path
    resaved = libreoffice_resave(path, tmp_path)
    assert resaved.read_bytes() != path.read_bytes()
    (file,) = preview(register, read_returns([resaved])).files
    assert file.errors == [] and file.rows == [] and file.missing == []
    assert file.unchanged > 0
    assert file.file.meta.state == state and file.file.meta.quarter == QUARTER


def test_an_edit_in_the_resaved_file_is_exactly_one_change(register: Store, state: str, tmp_path: Path) -> None:
    path = export_return(register, state, QUARTER, tmp_path / "return.xlsx").path
    resaved = libreoffice_resave(path, tmp_path)
    risk = register.children(Risk, f"TW-{state}-0001")[0]
    row = find_row(resaved, "Risks", "id", risk.id)
    new_owner = "Someone new"
    edit(resaved, [("Risks", row, "owner", new_owner)])
    result = preview(register, read_returns([resaved]))
    (change,) = result.files[0].rows
    assert (change.status, change.key) == ("changed", risk.key)
    assert [(c.field, c.new) for c in change.changes] == [("owner", new_owner)]
    apply(register, result)
    assert register.children(Risk, f"TW-{state}-0001")[0].owner == new_owner


def test_a_resaved_file_with_a_new_row_typed_in_libreoffice_layout(register: Store, state: str,
                                                                     tmp_path: Path) -> None:
    """Edits made before the re-save (openpyxl), then LibreOffice's re-save: the new row and the edit come through."""
    path = export_return(register, state, QUARTER, tmp_path / "return.xlsx").path
    key = f"TW-{state}-0002"
    before = register.require(Arrangement, key)
    status = "suspended" if before.status != "suspended" else "active"  # both edits change something
    end = "2031-09-30"
    assert str(before.end) != end
    edit(path, [("Register", find_row(path, "Register", "id", key), "status", status),
                ("Register", find_row(path, "Register", "id", key), "end", end)])
    resaved = libreoffice_resave(path, tmp_path)
    result = preview(register, read_returns([resaved]))
    (change,) = result.files[0].rows
    assert change.key == key and {(c.field, c.new) for c in change.changes} == {("status", status), ("end", end)}
    apply(register, result)
    after = register.require(Arrangement, key)
    assert (after.status, str(after.end)) == (status, end)


def test_the_quarterly_round_trip_of_the_issue(register: Store, state: str, tmp_path: Path) -> None:
    """Out to a state, back re-saved by LibreOffice with edits, new rows and mistakes; fixed; applied."""
    from openpyxl.utils import get_column_letter

    from twintui.core.check import check_store
    from twintui.core.model import Partner
    from twintui.core.workbook import QuarterlyReturn, returns_status

    from .conftest import TODAY
    from .helpers import column_of, first_empty_row

    sent = export_return(register, state, QUARTER, tmp_path / "return.xlsx").path
    assert next(r for r in returns_status(register, TODAY) if r.state == state).status == "sent"
    # The focal point edits, adds an arrangement with a partner, and makes two mistakes.
    key = min(d["id"] for d in register.docs(Arrangement)
              if d["reporting_state"] == state and d["status"] != "completed")
    row, new = find_row(sent, "Register", "id", key), first_empty_row(sent, "Register")
    partner = first_empty_row(sent, "Partners")
    edit(sent, [
        ("Register", row, "status", "completed"), ("Register", row, "end", "30/09/2026"),
        ("Register", row, "contact_email", "focal.point(at)example.org"),
        ("Register", new, "title", "Housing practice exchange"), ("Register", new, "status", "actve"),
        ("Register", new, "activity_types", "sharing housing practice"),
        ("Partners", partner, "parent_title", "Housing practice exchange"),
        ("Partners", partner, "name", "City of Tampere housing office"), ("Partners", partner, "type", "other"),
    ])
    returned = libreoffice_resave(sent, tmp_path)
    result = preview(register, read_returns([returned]))
    file = result.files[0]
    assert not result.ok
    assert {(e.column, e.value) for e in file.errors} == {("Contact e-mail", "focal.point(at)example.org"),
                                                          ("Status", "actve")}
    assert sorted(e.cell for e in file.errors) == sorted(
        [f"Register!{get_column_letter(column_of('Register', 'contact_email'))}{row}",
         f"Register!{get_column_letter(column_of('Register', 'status'))}{new}"])
    assert [(r.table, r.status) for r in file.rows] == [("arrangements", "invalid"), ("arrangements", "invalid"),
                                                        ("partners", "new")]
    assert "has errors" in file.warnings[0].message
    # The maintainer fixes the two cells in the file and imports again.
    edit(returned, [("Register", row, "contact_email", "focal.point@example.org"),
                    ("Register", new, "status", "active")])
    result = preview(register, read_returns([returned]))
    assert result.ok, [str(e) for e in result.files[0].errors]
    changed = next(r for r in result.files[0].rows if r.key == key)
    assert {c.field for c in changed.changes} == {"status", "end", "contact_email"}
    outcome = apply(register, result)
    made = outcome.created[0]
    assert register.require(Arrangement, made).title == "Housing practice exchange"
    assert [p.name for p in register.children(Partner, made)] == ["City of Tampere housing office"]
    assert register.require(Arrangement, key).status == "completed"
    assert register.require(QuarterlyReturn, f"{state}-{QUARTER}").received_file == returned.name
    assert next(r for r in returns_status(register, TODAY) if r.state == state).status == "received"
    assert check_store(register.path).ok
