"""File modes and groups: a store shared by a Unix group stays shared after writes.

Officials of one Unix group share the store file; a write replaces the file, so
the new file must get the old one's mode and group (0660 must not become 0600).
The audit log and backups take the store's mode; a new store is closed to others.
"""

from __future__ import annotations

import contextlib
import grp
import os
import pwd
import shutil
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from twintui.core.check import check_store
from twintui.core.model import Arrangement
from twintui.core.store import Store, backups

from .test_store import as_user


def arrangement(title: str) -> Arrangement:
    return Arrangement(reporting_state="NOR", title=title, status="planned")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@contextlib.contextmanager
def umask(value: int) -> Iterator[None]:
    old = os.umask(value)
    try:
        yield
    finally:
        os.umask(old)


def write_a_lot(store: Store) -> None:
    """Every kind of write: create, update, a transaction with a backup, a delete."""
    a = store.save(arrangement("One"), "test")
    store.save(a.replace(title="One, changed"), "test")
    with store.transaction("import", backup="import") as tx:
        tx.save(arrangement("Two"))
        tx.save(arrangement("Three"))
    store.delete(store.get(Arrangement, "TW-NOR-0002"), "test")


def other_group() -> int:
    """A group other than the current one that this process may give its files; else skip."""
    current = os.getegid()
    if os.geteuid() == 0:
        for name in ("users", "nogroup", "staff", "daemon"):
            with contextlib.suppress(KeyError):
                gid = grp.getgrnam(name).gr_gid
                if gid != current:
                    return gid
        pytest.skip("no other group on this machine")
    others = [g for g in os.getgroups() if g != current]
    if not others:
        pytest.skip("this user belongs to no second group to give the store")
    return others[0]


@pytest.mark.parametrize("shared", [0o660, 0o640, 0o600, 0o664])
def test_the_store_keeps_its_mode_through_writes(tmp_path: Path, shared: int) -> None:
    path = tmp_path / "x.json"
    # A strict umask, so that a kept mode cannot come from the umask.
    with umask(0o077):
        store = Store.open(path)
        path.chmod(shared)
        write_a_lot(store)
        assert mode(path) == shared
        # Another Store object, and a write after a reopen, keep it too.
        Store.open(path).save(arrangement("Four"), "test")
    assert mode(path) == shared


@pytest.mark.parametrize(("shared", "folder"), [(0o660, 0o2770), (0o640, 0o2750), (0o600, 0o700)])
def test_audit_log_and_backups_take_the_stores_mode(tmp_path: Path, shared: int, folder: int) -> None:
    path = tmp_path / "x.json"
    with umask(0o077):
        store = Store.open(path)
        path.chmod(shared)
        write_a_lot(store)
    assert mode(path.with_name("x.audit.jsonl")) == shared
    found = backups.list_all(path)
    assert found
    assert all(mode(b.path) == shared for b in found)
    assert mode(backups.folder_for(path)) == folder


def test_the_group_survives_writes(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    gid = other_group()
    store = Store.open(path)
    os.chown(path, -1, gid)
    path.chmod(0o660)
    write_a_lot(store)
    assert path.stat().st_gid == gid
    assert mode(path) == 0o660
    # Backups are the group's too.
    assert {b.path.stat().st_gid for b in backups.list_all(path)} == {gid}
    assert backups.folder_for(path).stat().st_gid == gid
    assert check_store(path).ok


def test_a_new_audit_log_takes_the_stores_group(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    gid = other_group()
    store = Store.open(path)
    os.chown(path, -1, gid)
    path.chmod(0o660)
    store.save(arrangement("One"), "test")  # the first change creates the audit log
    assert path.with_name("x.audit.jsonl").stat().st_gid == gid


def test_audit_log_takes_the_mode_of_a_store_not_named_json(tmp_path: Path) -> None:
    path = tmp_path / "register.db"
    with umask(0o077):
        store = Store.open(path)
        path.chmod(0o660)
        store.save(arrangement("One"), "test")
    assert mode(path.with_name("register.audit.jsonl")) == 0o660


@pytest.mark.parametrize("mask", [0o000, 0o002, 0o022])
def test_a_new_store_gives_others_no_access(tmp_path: Path, mask: int) -> None:
    path = tmp_path / "x.json"
    with umask(mask):
        store = Store.open(path)
        with store.transaction("import", backup="import") as tx:
            tx.save(arrangement("One"))
        with store.transaction("import", backup="import") as tx:
            tx.save(arrangement("Two"))
    made = [path, path.with_name("x.audit.jsonl"), backups.folder_for(path), *(b.path for b in backups.list_all(path))]
    assert len(made) == 5  # two backups
    for item in made:
        assert mode(item) & 0o007 == 0, (item.name, oct(mode(item)))
    assert mode(path) == 0o660 & ~mask
    assert check_store(path).warnings == []


# -- two members of one group, for real (root only: the second user is 'nobody') --


@pytest.fixture
def group_folder() -> Iterator[tuple[Path, int, pwd.struct_passwd]]:
    """A folder in /tmp owned by root and the group 'users'; 'nobody' is the second official."""
    if os.geteuid() != 0:
        pytest.skip("needs root to act as a second user")
    try:
        nobody = pwd.getpwnam("nobody")
        gid = grp.getgrnam("users").gr_gid
    except KeyError:
        pytest.skip("needs the user 'nobody' and the group 'users'")
    folder = Path(tempfile.mkdtemp(prefix="twintui-group-"))
    try:
        os.chown(folder, 0, gid)
        yield folder, gid, nobody
    finally:
        shutil.rmtree(folder)


def test_two_members_of_the_group_share_a_store_in_a_setgid_folder(group_folder) -> None:
    folder, gid, nobody = group_folder
    folder.chmod(0o2770)
    path = folder / "register.json"
    with umask(0o002):
        admin = Store.open(path, user="admin")
        admin.save(arrangement("By the admin"), "test")
        check_store(path)  # lazy imports done as root
        with as_user(nobody.pw_uid, nobody.pw_gid, [gid]):
            other = Store.open(path, user="nobody")
            mine = other.save(arrangement("By nobody"), "test")
            other.save(admin.get(Arrangement, "TW-NOR-0001").replace(title="Changed by nobody"), "test")
        admin.save(admin.get(Arrangement, mine.id).replace(title="Changed by the admin"), "test")
        with as_user(nobody.pw_uid, nobody.pw_gid, [gid]):
            other.save(arrangement("Again by nobody"), "test")
            report = check_store(path)
    assert report.ok, report.errors
    assert [a.updated_by for a in admin.all(Arrangement)] == ["nobody", "admin", "nobody"]
    for item in (path, path.with_name("register.audit.jsonl")):
        assert (item.stat().st_gid, mode(item)) == (gid, 0o660), item


def test_two_members_of_the_group_share_a_store_prepared_by_the_admin(group_folder) -> None:
    folder, gid, nobody = group_folder
    folder.chmod(0o770)
    path = folder / "register.json"
    # The admin prepares an empty store file for the group, then starts it.
    path.touch()
    os.chown(path, -1, gid)
    path.chmod(0o660)
    with umask(0o022):
        admin = Store.open(path, user="admin")
        admin.save(arrangement("By the admin"), "test")
        check_store(path)
        with as_user(nobody.pw_uid, nobody.pw_gid, [gid]):
            Store.open(path, user="nobody").save(arrangement("By nobody"), "test")
    assert [a.updated_by for a in admin.all(Arrangement)] == ["admin", "nobody"]
