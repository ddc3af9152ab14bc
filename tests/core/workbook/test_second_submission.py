"""A return that comes back twice: the second copy never creates again what the first one created.

A focal point re-saves the return and sends it again, a maintainer imports it twice, or
imports it again after restoring a backup taken before the first import. The SHA-256
changes with every save; the export id does not. (LibreOffice's re-save is in
test_travel.py, two processes at once in test_concurrency.py.)
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from twintui.cli import main
from twintui.core.check import check_store
from twintui.core.errors import ConflictError
from twintui.core.model import Arrangement, Partner, Risk
from twintui.core.store import Store, backups
from twintui.core.workbook import (
    QuarterlyReturn,
    apply,
    export_return,
    preview,
    read_returns,
)

from .conftest import QUARTER
from .helpers import edit, find_row, first_empty_row

TITLE = "Caritas Uruguay reception exchange"


def with_new_rows(register: Store, state: str, folder: Path) -> Path:
    """The state's return with one edit, a new arrangement, its partner and its risk (linked by title)."""
    path = export_return(register, state, QUARTER, folder / "return.xlsx").path
    key = f"TW-{state}-0001"
    new, partner, risk = (first_empty_row(path, s) for s in ("Register", "Partners", "Risks"))
    edit(path, [
        ("Register", find_row(path, "Register", "id", key), "lessons_learned", "First submission"),
        ("Register", new, "title", TITLE), ("Register", new, "status", "planned"),
        ("Register", new, "objectives", "Strengthen reception capacity in the resettlement programme"),
        ("Partners", partner, "parent_title", TITLE), ("Partners", partner, "name", "Caritas Uruguay"),
        ("Partners", partner, "type", "NGO"),
        ("Risks", risk, "parent_title", TITLE), ("Risks", risk, "description", "Staff turnover"),
        ("Risks", risk, "category", "staffing"), ("Risks", risk, "likelihood", 2), ("Risks", risk, "impact", 3),
        ("Risks", risk, "owner", "Programme lead"), ("Risks", risk, "status", "open"),
    ])
    return path


def resaved_later(path: Path, target: Path, changes: list[tuple[str, int, str, object]] = ()) -> Path:  # type: ignore[assignment]
    """The same workbook saved again by openpyxl, by someone else (other bytes, same content), with edits."""
    workbook = load_workbook(path)
    workbook.properties.lastModifiedBy = "focal point"  # openpyxl stamps the time itself: the same second here
    workbook.save(target)
    if changes:
        edit(target, list(changes))
    assert target.read_bytes() != path.read_bytes()
    return target


def counts(store: Store) -> tuple[int, int, int]:
    return store.count(Arrangement), store.count(Partner), store.count(Risk)


def titled(store: Store) -> list[Arrangement]:
    return [a for a in store.all(Arrangement) if a.title == TITLE]


@pytest.fixture
def first(register: Store, state: str, tmp_path: Path) -> Path:
    """The return, applied once."""
    path = with_new_rows(register, state, tmp_path)
    applied = apply(register, preview(register, read_returns([path])))
    assert len(applied.created) == 3
    return path


def test_a_resaved_copy_applies_only_what_differs(register: Store, state: str, first: Path, tmp_path: Path) -> None:
    (made,) = titled(register)
    before = counts(register)
    row = find_row(first, "Register", "title", TITLE)
    third = first_empty_row(first, "Register")
    again = resaved_later(first, tmp_path / "again.xlsx", [
        ("Register", row, "outcomes", "Two reception guides"),
        ("Register", third, "title", "Housing practice exchange"), ("Register", third, "status", "planned")])
    result = preview(register, read_returns([again]))
    (file,) = result.files
    assert file.second_submission is not None and file.second_submission["file"] == "return.xlsx"
    assert [(r.status, r.key) for r in file.rows] == [("changed", made.id), ("new", "")]
    assert [(c.field, c.new) for c in file.rows[0].changes] == [("outcomes", "Two reception guides")]
    assert file.errors == [] and file.missing == [] and file.conflicts == []
    outcome = apply(register, result)
    assert counts(register) == (before[0] + 1, before[1], before[2])
    assert register.require(Arrangement, made.id).outcomes == "Two reception guides"
    assert len(titled(register)) == 1 and [p.name for p in register.children(Partner, made.id)] == ["Caritas Uruguay"]
    assert outcome.changed == [made.id]
    assert check_store(register.path).ok


def test_the_same_file_again_applies_nothing_and_writes_nothing(register: Store, first: Path) -> None:
    before, txn = counts(register), register.txn
    result = preview(register, read_returns([first]))
    (file,) = result.files
    assert result.ok and not result.has_changes and file.second_submission is not None
    assert file.rows == [] and file.unchanged > 0
    assert apply(register, result).txn is None
    assert counts(register) == before and register.txn == txn


def test_what_the_first_submission_changed_is_no_conflict_the_second_time(register: Store, state: str, first: Path,
                                                                         tmp_path: Path) -> None:
    """TW-…-0001 was changed by the first copy: the second copy, which holds the same change, is unchanged."""
    key = f"TW-{state}-0001"
    again = resaved_later(first, tmp_path / "again.xlsx")
    file = preview(register, read_returns([again])).files[0]
    assert file.rows == [] and file.conflicts == []
    assert register.require(Arrangement, key).lessons_learned == "First submission"


def test_a_created_record_changed_in_the_register_since(register: Store, first: Path, tmp_path: Path) -> None:
    (made,) = titled(register)
    register.save(made.replace(outcomes="Fixed by the maintainer"), "tui")
    row = find_row(first, "Register", "title", TITLE)
    unchanged = resaved_later(first, tmp_path / "same.xlsx")
    assert preview(register, read_returns([unchanged])).files[0].rows == []  # the register's is newer
    changed = resaved_later(first, tmp_path / "changed.xlsx", [("Register", row, "outcomes", "Changed in the file")])
    (conflict,) = preview(register, read_returns([changed])).files[0].rows
    assert (conflict.status, conflict.key) == ("conflict", made.id)


def test_two_copies_of_one_return_in_one_import(register: Store, state: str, tmp_path: Path) -> None:
    path = with_new_rows(register, state, tmp_path)
    copy = resaved_later(path, tmp_path / "copy.xlsx")
    result = preview(register, read_returns([path, copy]))
    assert result.files[0].ok and not result.ok
    assert "a second copy of the return in" in result.files[1].refused and str(path) in result.files[1].refused


def test_a_restore_to_before_the_import_does_not_forget_the_return(register: Store, state: str, first: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """The command line, as a maintainer runs it: restore the backup taken before the import, import again."""
    backup = next(b for b in backups.list_all(register.path) if b.reason == "import")
    assert main(["restore", backup.name, "--yes", "--db", str(register.path)]) == 0
    fresh = Store.open(register.path)
    assert titled(fresh) == []  # the records the import made are gone with the restore
    assert fresh.require(QuarterlyReturn, f"{state}-{QUARTER}").received_at  # the return stays received
    capsys.readouterr()
    code = main(["import", str(first), "--yes", "--json", "--db", str(register.path)])
    (file,) = json.loads(capsys.readouterr().out)["files"]
    assert file["new"] == 0 and file["second_submission"] is not None
    skipped = [w for w in file["warnings"] if "no longer in the register" in w["message"]]
    assert len(skipped) == 3
    # The restore put back TW-…-0001 as it was: the file's change to it is now a conflict, shown, not applied.
    assert code == 1 and file["conflicts"] == 1
    assert titled(Store.open(register.path)) == []


def test_the_received_check_is_made_again_under_the_lock(register: Store, state: str, tmp_path: Path) -> None:
    """Two previews of the same return, then both applied: the second finds the return received and writes nothing."""
    path = with_new_rows(register, state, tmp_path)
    copy = resaved_later(path, tmp_path / "copy.xlsx")
    one, two = (preview(register, read_returns([p])) for p in (path, copy))
    apply(register, one)
    before = counts(register)
    with pytest.raises(ConflictError, match="received meanwhile"):
        apply(register, two)
    assert counts(register) == before and len(titled(register)) == 1
