"""A group member plants links in the shared folder; the next writer (root included) gives nothing away.

Issue 15, items 1, 3 and 6: the audit log, the lock file and the backups folder, each attacked for real
by another Unix user of the group (tests/users.py), the race in a bounded loop. (Item 2, setup-server, is
retired; setup-service's --from, which reads such a folder, is held to the same rules in
tests/service/test_setup_service.py.)
"""

from __future__ import annotations

import os
import pwd
import stat
from pathlib import Path

import pytest

from tests import users

from .conftest import Shared, one_line, save_title

pytestmark = users.needs_root


def owner_group_mode(path: Path) -> tuple[int, int, int]:
    info = path.stat()
    return info.st_uid, info.st_gid, stat.S_IMODE(info.st_mode)


def plant(shared: Shared, link: Path, target: Path) -> None:
    """The member moves ``link`` aside and puts a symbolic link to ``target`` in its place."""
    def work() -> int:
        if link.exists():
            os.rename(link, link.with_name(link.name + ".moved"))
        os.symlink(target, link)
        return 0

    assert users.as_user(shared.users["member"], work)[0] == 0
    assert link.is_symlink()


@pytest.mark.parametrize("writer", ["maintainer", "root"])
def test_an_audit_log_replaced_by_a_link_is_refused_and_its_target_never_made(shared: Shared, writer: str) -> None:
    if writer == "root":
        private = shared.users.folder / "root-only"  # as /etc/profile.d: a folder only root can write
        private.mkdir(mode=0o700, exist_ok=True)
        target = private / f"x-{shared.folder.name}.sh"
    else:
        target = shared.users.home("maintainer") / ".bash_profile"
    plant(shared, shared.log, target)
    before = shared.db.read_bytes()

    if writer == "root":
        code, out = users.as_user(pwd.getpwuid(0), lambda: save_title(shared.db, "By root"))
    else:
        code, out = users.as_user(shared.users[writer], lambda: save_title(shared.db, "By the maintainer"))

    line = one_line(out)
    assert code == 2 and str(shared.log) in line and "symbolic link" in line and "nothing was changed" in line, out
    assert not target.exists(), "the write created the link's target"
    assert shared.db.read_bytes() == before


def test_swapping_the_lock_file_for_a_link_never_changes_the_writers_private_file(shared: Shared) -> None:
    """The member swaps the lock file between a file and a link to the maintainer's private file, as fast
    as it can, while the maintainer writes; before the fix that file became <maintainer>:<group> 0660
    within 1 to 256 writes (five runs). Bounded: 1,000 writes (each done or refused, about 1.5 s),
    stopping at the first change."""
    maintainer, member = shared.users["maintainer"], shared.users["member"]
    private = shared.users.home("maintainer") / "private.txt"
    private.write_text("the maintainer's own\n")
    os.chown(private, maintainer.pw_uid, maintainer.pw_gid)
    private.chmod(0o600)
    before = owner_group_mode(private)
    stop = shared.folder.parent / f"stop-{shared.folder.name}"

    def swap() -> int:
        os.umask(0)
        link, plain = shared.lock.with_name(".swap-link"), shared.lock.with_name(".swap-file")
        while not stop.exists():
            os.symlink(private, link)
            os.rename(link, shared.lock)
            os.close(os.open(plain, os.O_CREAT | os.O_WRONLY, 0o666))
            os.rename(plain, shared.lock)
        return 0

    def write() -> int:
        from twintui.core.errors import TwintuiError
        from twintui.core.model import Arrangement
        from twintui.core.store import Store

        store = Store.open(shared.db)
        done = refused = 0
        for number in range(1000):
            try:
                store.save(store.require(Arrangement, "TW-NOR-0001").replace(title=f"Write {number}"), "test")
                done += 1
            except TwintuiError as error:
                assert "Traceback" not in str(error)
                refused += 1
            if owner_group_mode(private) != before:
                print(f"changed after {number + 1} writes: {owner_group_mode(private)}")
                return 1
        print(f"{done} writes, {refused} refused")
        return 0

    attacker = users.as_user(member, swap, wait=False)
    try:
        code, out = users.as_user(maintainer, write)  # type: ignore[misc]
    finally:
        stop.touch()
        users.finish(attacker)  # type: ignore[arg-type]
    assert code == 0, out
    assert owner_group_mode(private) == before and private.read_text() == "the maintainer's own\n"


def test_a_backups_folder_replaced_by_a_link_is_refused(shared: Shared) -> None:
    elsewhere = shared.users.home("member") / "collected"
    users.as_user(shared.users["member"], lambda: os.mkdir(elsewhere, 0o777) or 0)
    plant(shared, shared.db.with_name("twintui-backups"), elsewhere)
    before = shared.db.read_bytes()
    code, out = shared.twintui("maintainer", "demo", "--force")
    line = one_line(out)
    assert code == 2 and "twintui-backups" in line and "symbolic link" in line, out
    assert list(elsewhere.iterdir()) == [] and shared.db.read_bytes() == before
