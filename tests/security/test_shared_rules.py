"""The rules of a shared store with real users: a read-only user's exports all land, a group member
cannot make themselves the store's owner, and no one acts as another user (issue 15, items 13, 16, 10)."""

from __future__ import annotations

import os

from tests import users
from twintui.cli import main

from .conftest import Shared, one_line

pytestmark = users.needs_root


def test_24_simultaneous_exports_by_a_read_only_user_all_land(shared: Shared) -> None:
    reader = shared.users["reader"]
    for argv in (["access", "grant", "root", "--maintainer"], ["access", "grant", reader.pw_name, "--read-only"]):
        assert main([*argv, "--db", str(shared.db)]) == 0
    go = shared.folder.parent / f"go-{shared.folder.name}"
    out = shared.users.home("reader")

    def export(number: int) -> int:
        while not go.exists():  # all start together: their tracker writes meet under the lock
            os.sched_yield()
        return main(["export", "--state", "NOR", "--quarter", "2026-Q2", "-o", str(out / f"nor-{number}.xlsx"),
                     "--db", str(shared.db)])

    children = [users.as_user(reader, lambda n=n: export(n), wait=False, timeout=120) for n in range(24)]
    go.touch()
    results = [users.finish(pid) for pid in children]  # type: ignore[arg-type]
    failed = [text for code, text in results if code != 0]
    assert not failed, failed[:3]
    from twintui.core.store import Store
    from twintui.core.workbook.returns import QuarterlyReturn

    tracker = Store.open(shared.db).require(QuarterlyReturn, "NOR-2026-Q2")
    assert tracker.rev == 24 and tracker.exported_by == reader.pw_name
    code, text = shared.twintui("maintainer", "check")
    assert code == 0, text


def test_a_member_who_replaced_the_store_file_cannot_make_the_first_grant(shared: Shared) -> None:
    member = shared.users["member"]
    code, out = shared.twintui("member", "demo", "--force")  # an ordinary write: the new file is the member's
    assert code == 0, out
    assert shared.db.stat().st_uid == member.pw_uid
    before = shared.db.read_bytes()
    code, out = shared.twintui("member", "access", "grant", member.pw_name, "--maintainer")
    line = one_line(out)
    assert code == 1 and "single-user mode" in line and "root" in line, out
    assert shared.db.read_bytes() == before and not shared.db.with_name("twintui.access.toml").exists()
    code, out = shared.twintui("member", "access", "list")
    assert "single-user mode" in out
    # The folder's owner (here root, as the retired setup-server left it) still can.
    assert main(["access", "grant", shared.users["maintainer"].pw_name, "--maintainer", "--db", str(shared.db)]) == 0


def test_a_store_in_a_users_own_folder_is_theirs_to_share(people: users.Users) -> None:
    maintainer = people["maintainer"]
    db = people.home("maintainer") / "register.json"

    def work() -> int:
        from twintui.core import demo
        from twintui.core.store import Store

        demo.fill(Store.open(db))
        return main(["access", "grant", maintainer.pw_name, "--maintainer", "--db", str(db)])

    code, out = users.as_user(maintainer, work)  # type: ignore[misc]
    assert code == 0, out


def test_no_one_opens_a_store_as_another_user(shared: Shared) -> None:
    maintainer = shared.users["maintainer"]

    def impersonate() -> int:
        from twintui.core.errors import StoreError
        from twintui.core.model import Arrangement
        from twintui.core.store import Store, identity

        identity.ACT_AS_OTHERS = False  # as outside the tests
        try:
            store = Store.open(shared.db, user=maintainer.pw_name)
            store.save(store.require(Arrangement, "TW-NOR-0001").replace(title="In the maintainer's name"), "x")
        except StoreError as error:
            print(error)
            return 2
        return 0

    before = shared.db.read_bytes()
    code, out = users.as_user(shared.users["member"], impersonate)  # type: ignore[misc]
    assert code == 2 and f"may not open a store as {maintainer.pw_name}" in out, out
    assert shared.db.read_bytes() == before
