"""What --db may name, and every permission and disk fault: one line naming the file and the reason,
exit 2, nothing left behind (issue 15, items 7, 8 and 15). Permissions are those of real users."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from tests import users
from twintui.cli import main
from twintui.core import demo
from twintui.core.check import check_store
from twintui.core.model import Arrangement
from twintui.core.store import Store, backups

from tests.disks import fill

from .conftest import Shared, one_line, save_title


def mode(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


def everything_in(folder: Path) -> dict[str, bytes | None]:
    """Every file below ``folder`` with its bytes (None for folders): what a fault must leave as it was."""
    return {str(p.relative_to(folder)): (None if p.is_dir() else p.read_bytes()) for p in sorted(folder.rglob("*"))}


# -- item 7: --db names a regular file or nothing -----------------------------------------------------

@pytest.fixture
def demo_db(tmp_path: Path) -> Path:
    db = tmp_path / "twintui.json"
    demo.fill(Store.open(db))
    return db


def test_a_character_device_is_not_taken_for_an_empty_store(tmp_path: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("making a device node needs root")
    null = tmp_path / "null"
    os.mknod(null, 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # what /dev/null is
    code, out = users.twintui(None, "--db", str(null), "demo", timeout=30)
    line = one_line(out)
    assert code == 2 and str(null) in line and "character device" in line, out
    assert stat.S_ISCHR(os.lstat(null).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["null"]


@pytest.mark.parametrize("command", ["demo", "import"])
def test_a_fifo_is_refused_at_once_as_a_store_and_as_an_import_file(tmp_path: Path, demo_db: Path,
                                                                    command: str) -> None:
    fifo = tmp_path / ("fifo.json" if command == "demo" else "return.xlsx")
    os.mkfifo(fifo)
    argv = ["--db", str(fifo), "demo"] if command == "demo" else ["--db", str(demo_db), "import", str(fifo)]
    code, out = users.twintui(None, *argv, timeout=20)  # before the fix: hung until killed (-14)
    line = one_line(out)
    assert code == 2 and str(fifo) in line and "FIFO" in line, (code, out)


@pytest.mark.parametrize(("db", "words"), [
    ("/", "is a folder"),
    ("~nosuchuser1x/x.json", "no user 'nosuchuser1x'"),
    ("{tmp}/no/such/folder/x.json", "does not exist"),
])
def test_a_db_that_cannot_be_a_store_file_is_one_line(tmp_path: Path, db: str, words: str,
                                                      capsys: pytest.CaptureFixture[str], monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    for argv in (["demo"], ["check"], ["log"]):
        code = main(["--db", db.format(tmp=tmp_path), *argv])
        out, err = capsys.readouterr()
        assert code in (1, 2) and words in out + err and "Traceback" not in out + err, (argv, out, err)
    assert sorted(tmp_path.iterdir()) == []  # no folder was made, neither 'no' nor '~nosuchuser1x'


def test_a_new_store_its_log_and_lock_never_take_more_than_0660(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        store = Store.open(tmp_path / "x.json")
        store.save(Arrangement(reporting_state="NOR", title="One", status="planned"), "test")
    finally:
        os.umask(old)
    for name in ("x.json", "x.audit.jsonl", "x.json.lock"):
        assert mode(tmp_path / name) == 0o660, name
    assert check_store(tmp_path / "x.json").warnings == []


# -- item 15: check looks at the audit log and backups too --------------------------------------------

def test_check_warns_about_a_world_readable_audit_log_and_backup(demo_db: Path) -> None:
    demo.fill(Store.open(demo_db), force=True)  # one backup
    log = demo_db.with_name("twintui.audit.jsonl")
    [backup] = backups.list_all(demo_db)
    log.chmod(0o644)
    backup.path.chmod(0o644)
    report = check_store(demo_db)
    assert any(str(log) in w and "readable by every user" in w and "audit log" in w for w in report.warnings), \
        report.warnings
    assert any(str(backup.path) in w and "readable by every user" in w for w in report.warnings), report.warnings


# -- item 8: faults (no other user needed) ---------------------------------------------------------------

def test_an_audit_log_replaced_by_a_folder_is_one_line_and_check_reports_it(demo_db: Path) -> None:
    log = demo_db.with_name("twintui.audit.jsonl")
    log.rename(log.with_name("elsewhere"))
    log.mkdir()
    before = everything_in(demo_db.parent)
    for argv in (["demo", "--force"], ["log"]):
        code, out = users.twintui(None, "--db", str(demo_db), *argv)
        line = one_line(out)
        assert code == 2 and str(log) in line and "folder" in line, out
    report = check_store(demo_db)
    assert any(str(log) in e and "folder" in e for e in report.errors), report.errors
    assert everything_in(demo_db.parent) == before


def test_a_full_disk_during_a_backup_is_one_line_and_leaves_no_partial_backup(tiny_disk: Path) -> None:
    db = tiny_disk / "twintui.json"
    demo.fill(Store.open(db))
    filler = fill(tiny_disk)
    os.truncate(filler, max(0, filler.stat().st_size - 16 * 1024))  # room for less than a copy of the store
    before = everything_in(tiny_disk)
    code, out = users.twintui(None, "--db", str(db), "demo", "--force")
    line = one_line(out)
    assert code == 2 and "twintui-backups" in line and "no space left" in line and "nothing was changed" in line, out
    after = everything_in(tiny_disk)
    assert {k: v for k, v in after.items() if k != "twintui-backups"} == before  # no partial copy, store as it was
    assert backups.list_all(db) == []


# -- item 8: faults of real users in a shared folder ------------------------------------------------------

@users.needs_root
@pytest.mark.parametrize("what", ["audit log", "store"])
def test_a_file_the_member_may_not_write_refuses_the_write_never_replaced_and_reading_works(shared: Shared,
                                                                                           what: str) -> None:
    """Before the fix the audit log was opened rb+ even to read its last entry (an internal error), and a
    0440 store was replaced by any member's write."""
    path, readonly = (shared.log, 0o640) if what == "audit log" else (shared.db, 0o440)
    path.chmod(readonly)
    before = everything_in(shared.folder)
    code, out = users.as_user(shared.users["member"], lambda: save_title(shared.db, "Renamed"))  # type: ignore[misc]
    line = one_line(out)
    assert code == 2 and str(path) in line and "permission denied" in line, out
    assert everything_in(shared.folder) == before
    assert os.stat(path).st_uid == 0 and mode(path) == readonly
    code, out = shared.twintui("member", "log", "--record", "TW-NOR-0001")
    assert code == 0 and "create" in out, out
    code, out = shared.twintui("member", "check")
    assert "Traceback" not in out and code == 0, out


@users.needs_root
@pytest.mark.parametrize("backups_folder", [False, True])
def test_a_store_folder_the_member_may_not_write_is_refused_before_anything_is_written(shared: Shared,
                                                                                      backups_folder: bool) -> None:
    """With a writable backups folder, each failed demo --force left a 37 KB copy behind before the fix (and
    pushed an older one out of the 20 kept); without one, it was an internal error."""
    if backups_folder:
        folder = backups.folder_for(shared.db)
        folder.mkdir(mode=0o2770)
        os.chown(folder, 0, shared.users.gid)
    shared.folder.chmod(0o2750)
    before = everything_in(shared.folder)
    for _ in range(2):
        code, out = shared.twintui("member", "demo", "--force")
        line = one_line(out)
        assert code == 2 and str(shared.db) in line and "permission denied" in line, out
    assert everything_in(shared.folder) == before


@users.needs_root
def test_every_file_a_member_makes_is_the_groups_and_closed_to_others(shared: Shared) -> None:
    for path in (shared.log, shared.lock):
        path.unlink(missing_ok=True)
    code, out = shared.twintui("member", "demo", "--force")
    assert code == 0, out
    made = [shared.db, shared.log, shared.lock, backups.folder_for(shared.db),
            *(b.path for b in backups.list_all(shared.db))]
    for path in made:
        info = os.lstat(path)
        assert info.st_gid == shared.users.gid and stat.S_IMODE(info.st_mode) & 0o007 == 0, (path, oct(info.st_mode))
    assert json.loads(shared.db.read_bytes())["_twintui"]["txn"] > 0
