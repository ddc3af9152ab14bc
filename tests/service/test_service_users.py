"""The store service as its own user, and officials as theirs (root only; real Unix users, real processes).

The service runs as a user of its own, the store in a folder only it may enter (0700); the focal
points and the maintainer are members of the socket's group, an outsider is not. Every client is a
process of its user (a forked child with the user's uid and groups, or ``runuser``), so the service
learns who it is from the socket exactly as after an SSH login.
"""

from __future__ import annotations

import errno
import os
import pwd
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests import users
from tests.service import running

pytestmark = users.needs_root


@dataclass
class Setup:
    made: users.Users
    service: running.Running

    @property
    def db(self) -> Path:
        return self.service.store

    @property
    def sock(self) -> str:
        return str(self.service.socket)

    def __getitem__(self, role: str) -> pwd.struct_passwd:
        return self.made[role]

    def name(self, role: str) -> str:
        return self.made[role].pw_name


@pytest.fixture(scope="module")
def setup() -> Iterator[Setup]:
    clients = ["maintainer", "nor", "swe"]
    with users.made_users("service", *clients, "outsider", in_group=["service", *clients]) as made:
        folder = made.folder / "srv"
        folder.mkdir(mode=0o700)
        os.chown(folder, made["service"].pw_uid, made["service"].pw_gid)
        db = folder / "twintui.json"

        from twintui.core import demo
        from twintui.core.store import Store

        demo.fill(Store.open(db))  # root fills it, then gives it to the service (as setup-service will)
        db.with_name("twintui.access.toml").write_text(
            f'maintainers = ["{made["maintainer"].pw_name}"]\nread_only = []\n[focal_points]\n'
            f'"{made["nor"].pw_name}" = ["NOR"]\n"{made["swe"].pw_name}" = ["CZE", "CAN"]\n')
        for path in folder.iterdir():
            os.chown(path, made["service"].pw_uid, made["service"].pw_gid)
        run = made.folder / "run"  # the socket's folder, as systemd's RuntimeDirectory makes it: the service's
        run.mkdir(mode=0o755)
        os.chown(run, made["service"].pw_uid, made["service"].pw_gid)
        service = running.start(db, run / "twintui.sock", "--group", made.group, user=made["service"])
        try:
            warm_up(service)
            yield Setup(made, service)
        finally:
            code, out = service.stop()
            assert code == 0 and "serve: stopped" in out, out


def warm_up(service: running.Running) -> None:
    """What a client imports on its first requests and commands, imported here: a forked child as another user
    cannot read this interpreter's library (under /root)."""
    from twintui.cli import main
    from twintui.core.errors import NotFoundError
    from twintui.core.model import Arrangement
    from twintui.service.remote import RemoteStore

    store = RemoteStore.open(service.socket)
    store.access(), store.history("TW-NOR-0001")
    with pytest.raises(NotFoundError):
        store.require(Arrangement, "TW-XXX-0001")
    for argv in (["show", "TW-NOR-0001"], ["compare", "list", "--json"], ["mou", "list", "--json"]):
        assert main(["--server", str(service.socket), *argv]) == 0


def as_user(setup: Setup, role: str, work: Callable[[], int | None]) -> tuple[int, str]:
    """``work`` as the user of ``role``, in an environment that claims to be root's (identity is the uid)."""
    return users.as_user(setup[role], work, {"USER": "root", "LOGNAME": "root"})  # type: ignore[return-value]


def twintui(setup: Setup, role: str, *argv: str) -> tuple[int, str]:
    from twintui.cli import main

    return as_user(setup, role, lambda: main(list(argv)))


def test_the_socket_and_the_folder_are_as_the_service_made_them(setup: Setup) -> None:
    info = os.lstat(setup.sock)
    assert info.st_mode & 0o777 == 0o660 and info.st_gid == setup.made.gid and info.st_uid == setup["service"].pw_uid
    folder = os.lstat(setup.db.parent)
    assert folder.st_mode & 0o777 == 0o700 and folder.st_uid == setup["service"].pw_uid


def test_a_focal_point_cannot_list_read_write_or_plant_in_the_store_folder(setup: Setup) -> None:
    folder, db = setup.db.parent, setup.db

    def attempts() -> int:
        tries: dict[str, Callable[[], object]] = {
            "list": lambda: os.listdir(folder),
            "read": lambda: db.read_bytes(),
            "write": lambda: db.write_text("{}"),
            "plant": lambda: (folder / "planted.json").write_text("{}"),
            "link": lambda: os.symlink("/etc/passwd", folder / "twintui.access.toml.new"),
            "audit": lambda: db.with_name("twintui.audit.jsonl").read_bytes(),
        }
        for what, attempt in tries.items():
            try:
                attempt()
            except PermissionError as error:
                print(what, errno.errorcode[error.errno])  # type: ignore[index]
            else:
                print(what, "allowed")
        return 0

    code, out = as_user(setup, "nor", attempts)
    assert code == 0 and out.split("\n")[:-1] == [f"{w} EACCES" for w in
                                                  ("list", "read", "write", "plant", "link", "audit")], out
    assert sorted(p.name for p in folder.iterdir() if p.name.startswith("planted")) == []


@pytest.mark.parametrize("argv", [["check"], ["show", "TW-NOR-0001"]])
def test_opening_the_services_store_directly_says_permission_denied(setup: Setup, argv: list[str]) -> None:
    # Not "there is no store": the file is there, and the user is told why they may not open it.
    code, out = twintui(setup, "nor", "--db", str(setup.db), *argv)
    assert code != 0 and "permission denied" in out and "there is no store" not in out, out


def test_another_states_change_is_refused_with_the_message_it_gets_directly(setup: Setup, tmp_path: Path) -> None:
    from twintui.core.errors import AccessError
    from twintui.core.model import Arrangement
    from twintui.core.store import Store

    def change_norway() -> int:
        from twintui.service.remote import RemoteStore

        store = RemoteStore.open(setup.sock)
        try:
            store.save(store.require(Arrangement, "TW-NOR-0001").replace(title="By another state"), "screen:register")
        except AccessError as error:
            print(error)
            return 1
        return 0

    before = setup.db.read_bytes()
    code, out = as_user(setup, "swe", change_norway)
    assert code == 1 and setup.db.read_bytes() == before, out
    # The same change, made directly on a copy of the store (the same access file) by the same name.
    copy = tmp_path / "copy"
    shutil.copytree(setup.db.parent, copy)
    direct = Store.open(copy / "twintui.json", user=setup.name("swe"))
    with pytest.raises(AccessError) as refused:
        direct.save(direct.require(Arrangement, "TW-NOR-0001").replace(title="By another state"), "screen:register")
    assert out == f"{refused.value.message}\n"
    assert f"{setup.name('swe')} may not change arrangement TW-NOR-0001 of NOR" in out


def test_the_audit_log_names_the_user_of_the_socket_and_nothing_else(setup: Setup) -> None:
    from twintui.core.model import Arrangement
    from twintui.core.store import Store

    def change_and_claim_otherwise() -> int:
        from twintui.core.store import Transaction
        from twintui.service import protocol
        from twintui.service.remote import RemoteStore

        store = RemoteStore.open(setup.sock)
        norway = store.require(Arrangement, "TW-NOR-0001")
        claimed = norway.replace(title="Changed by the NOR focal point", updated_by="root", created_by="root")
        store.save(claimed, "screen:register")
        body = protocol.commit_request(Transaction("screen:register"))  # a commit that claims a name
        try:
            store.client.call("POST", protocol.COMMIT, {**body, "user": setup.name("maintainer")})
        except Exception as error:  # noqa: BLE001 - printed for the test
            print(error)
        return 0

    code, out = as_user(setup, "nor", change_and_claim_otherwise)
    assert code == 0 and "unknown field(s) 'user'" in out, out
    stored = Store.open(setup.db).require(Arrangement, "TW-NOR-0001")
    assert stored.title == "Changed by the NOR focal point" and stored.updated_by == setup.name("nor")
    last = Store.open(setup.db).history("TW-NOR-0001")[-1]
    assert (last.user, last.source, last.changes["title"][1]) == (setup.name("nor"), "screen:register",
                                                                 "Changed by the NOR focal point")
    code, out = twintui(setup, "maintainer", "--server", setup.sock, "log", "--user", setup.name("nor"))
    assert code == 0 and "Changed by the NOR focal point" in out, out


def test_a_user_outside_the_sockets_group_cannot_connect(setup: Setup) -> None:
    result = users.command_as(setup["outsider"], "--server", setup.sock, "show", "TW-NOR-0001")
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (f"twintui: {setup.name('outsider')} may not connect to the store service at "
                             f"{setup.sock}: permission denied (only members of the group {setup.made.group} may "
                             "connect)\n")


@pytest.mark.parametrize("argv", [["show", "TW-NOR-0001"], ["show", "TW-CAN-0002", "--json"],
                                  ["compare", "list", "--json"], ["mou", "list", "--json"]])
def test_a_command_through_the_service_prints_what_it_prints_on_the_file(setup: Setup, argv: list[str]) -> None:
    direct = twintui(setup, "service", "--db", str(setup.db), *argv)
    assert twintui(setup, "nor", "--server", setup.sock, *argv) == direct and direct[0] == 0


def test_an_export_is_written_by_the_client_as_its_user(setup: Setup) -> None:
    out = setup.made.home("nor") / "nor.xlsx"
    code, said = twintui(setup, "nor", "--server", setup.sock, "export", "--state", "NOR", "--quarter", "2026-Q2",
                         "-o", str(out))
    assert code == 0 and f"is in {out}" in said, said
    assert out.stat().st_uid == setup["nor"].pw_uid
    result = users.command_as(setup["nor"], "--server", setup.sock, "access", "list")
    assert result.returncode == 0 and f"you are {setup.name('nor')}: focal point for NOR" in result.stdout


def test_a_conflict_through_the_service_is_a_conflict_error_with_both_versions(setup: Setup) -> None:
    def race() -> int:
        from twintui.core.errors import ConflictError
        from twintui.core.model import Arrangement
        from twintui.service.remote import RemoteStore

        mine, theirs = RemoteStore.open(setup.sock), RemoteStore.open(setup.sock)
        read = mine.require(Arrangement, "TW-CAN-0001")
        landed = theirs.save(theirs.require(Arrangement, "TW-CAN-0001").replace(title="Theirs"), "test")
        try:
            mine.save(read.replace(title="Mine"), "test")
        except ConflictError as error:
            assert error.mine.title == "Mine" and error.theirs == landed
            print(error.theirs.updated_by, error.mine.rev, error.theirs.rev)
            return 1
        return 0

    code, out = as_user(setup, "maintainer", race)
    name = setup.name("maintainer")
    assert code == 1 and out.startswith(f"{name} ") and out.split()[2] == str(int(out.split()[1]) + 1), out


def test_only_the_service_may_act_for_others(setup: Setup) -> None:
    """Store.acting_for: refused to a client on the service's store (it cannot open it) and on a shared folder."""
    shared = setup.made.folder / "shared"
    shared.mkdir(mode=0o2770)
    os.chown(shared, setup["nor"].pw_uid, setup.made.gid)  # the folder of the old shared mode, even their own
    os.chmod(shared, 0o2770)
    own = setup.made.home("nor") / "own.json"

    def try_it() -> int:
        from twintui.core.errors import StoreError
        from twintui.core.store import Store, identity

        identity.ACT_AS_OTHERS = False  # what the tests allow themselves (tests/conftest.py), a client may not

        for path in (shared / "twintui.json", own):
            store = Store.open(path)
            try:
                store.acting_for(setup.name("maintainer"))
            except StoreError as error:
                print("refused", error)
            else:
                print("allowed", path)
        try:
            Store.open(setup.db)
        except StoreError as error:
            print("refused", error)
        return 0

    code, out = as_user(setup, "nor", try_it)
    lines = out.splitlines()
    assert code == 0 and len(lines) == 3, out
    assert lines[0].startswith(f"refused {setup.name('nor')} may not act for {setup.name('maintainer')}") and \
        "mode 2770; it must be 0700" in lines[0]
    # In a folder only they may enter, acting for another gives nothing they could not write themselves.
    assert lines[1] == f"allowed {own}"
    assert lines[2] == f"refused could not open {setup.db}: permission denied (check the file's and the folder's " \
        "owner, group and mode; see README: a shared server)"
