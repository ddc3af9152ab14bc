"""A shared server as the README sets it up: the store service, a maintainer and two focal points (root only).

An old shared store sits in a group folder (what the retired setup-server made). ``twintui setup-service``
moves it into the service's folder, in a temporary root (the folders and the unit go under it; the
service's user and the socket's group are this machine's, made for the test and removed after), and
``twintui serve`` runs as the user it made. The maintainer grants two focal points through the
service; each changes only their state. Every client is a process of its user (tests/users.py: a
forked child with the user's real uid and groups, or ``runuser``), so the service learns who it is from
the socket, exactly as after an SSH login.
"""

from __future__ import annotations

import json
import os
import pwd
import shutil
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest

from tests import users
from tests.service import running
from twintui.service.setup import Layout

# One server for the module, its tests in order (a restore takes the backup an import took): on one worker.
pytestmark = [users.needs_root, pytest.mark.xdist_group("shared-server")]


@dataclass
class Server:
    made: users.Users
    layout: Layout
    service: running.Running
    said: str  # what setup-service printed

    @property
    def sock(self) -> str:
        return str(self.layout.socket)

    def __getitem__(self, role: str) -> pwd.struct_passwd:
        return self.made[role]

    def name(self, role: str) -> str:
        return self.made[role].pw_name


def setup_service(layout: Layout, *options: str) -> tuple[int, str]:
    from twintui.cli import main

    return users.as_user(None, lambda: main(["setup-service", "--user", layout.user, "--group", layout.group,  # type: ignore[return-value]
                                             "--root", str(layout.root), *options]))


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    with users.made_users("maintainer", "nor", "swe", in_group=[]) as made:
        tag = made.group.removeprefix("twg")
        layout = Layout(made.folder / "root", f"tws{tag}", f"twk{tag}")
        layout.root.mkdir(mode=0o755)
        old = made.folder / "old"  # the old shared folder: root:group 2770, a demo store in it
        old.mkdir()
        os.chown(old, 0, made.gid)
        os.chmod(old, 0o2770)
        from twintui.core import demo
        from twintui.core.store import Store, backups

        demo.fill(Store.open(old / "twintui.json"))
        backups.make(old / "twintui.json", "test")
        try:
            code, said = setup_service(layout, "--maintainer", made["maintainer"].pw_name, "--from",
                                       str(old / "twintui.json"))
            assert code == 0, said
            for role in ("nor", "swe"):  # the README's next step: who may connect
                subprocess.run(["usermod", "-aG", layout.group, made[role].pw_name], check=True)
            service = running.start(layout.store, layout.socket, "--group", layout.group,
                                    user=pwd.getpwnam(layout.user))
            try:
                from tests.service.test_service_users import warm_up

                warm_up(service)
                yield Server(made, layout, service, said)
            finally:
                code, out = service.stop()
                assert code == 0 and "serve: stopped" in out, out
        finally:
            subprocess.run(["userdel", layout.user], capture_output=True, check=False)
            subprocess.run(["groupdel", layout.group], capture_output=True, check=False)


def as_user(server: Server, role: str, work: Callable[[], int | None]) -> tuple[int, str]:
    """``work`` as ``role``'s user, in an environment that claims to be root's (identity is the uid, not $USER)."""
    return users.as_user(server[role], work, {"TWINTUI_SERVER": server.sock, "USER": "root",  # type: ignore[return-value]
                                              "LOGNAME": "root"})


def twintui(server: Server, role: str, *argv: str) -> tuple[int, str]:
    from twintui.cli import main

    return as_user(server, role, lambda: main(list(argv)))


def test_setup_service_made_the_user_the_folder_the_unit_and_moved_the_store_in(server: Server) -> None:
    from twintui.core.store import Store, backups
    from twintui.core.store.policy import load

    layout = server.layout
    user = pwd.getpwnam(layout.user)
    assert user.pw_shell in ("/usr/sbin/nologin", "/sbin/nologin") and user.pw_uid < 1000
    assert not os.path.exists(user.pw_dir)  # no home
    folder = os.lstat(layout.folder)
    assert (folder.st_uid, folder.st_mode & 0o7777) == (user.pw_uid, 0o700)
    for path in layout.folder.rglob("*"):
        info = os.lstat(path)
        assert info.st_uid == user.pw_uid and not info.st_mode & 0o077, path  # the service's alone
    old = server.made.folder / "old"
    assert sorted(p.name for p in old.iterdir()) == []  # moved: nothing left for the group to edit
    assert len(backups.list_all(layout.store)) == 1 and Store.open(layout.store).count  # records, log, backup
    assert load(layout.store.with_name("twintui.access.toml")).maintainers == [server.name("maintainer")]  # type: ignore[union-attr]
    maintainer_groups = subprocess.run(["id", "-nG", server.name("maintainer")], capture_output=True, text=True)
    assert layout.group in maintainer_groups.stdout.split()
    assert f"store {layout.store}: moved in from {old / 'twintui.json'}" in server.said
    assert "systemd is not running here: start the service by hand" in server.said and layout.unit.exists()
    if shutil.which("systemd-analyze"):
        checked = subprocess.run(["systemd-analyze", "verify", str(layout.unit)], capture_output=True, text=True,
                                 timeout=60)
        assert (checked.returncode, checked.stderr.strip()) == (0, ""), checked.stderr
    # Run again: everything is there, nothing changes.
    before = {p: p.read_bytes() for p in layout.folder.rglob("*") if p.is_file()}
    code, said = setup_service(layout, "--maintainer", server.name("maintainer"), "--from", str(old / "twintui.json"))
    assert code == 0 and "made" not in said and said.count("there already") >= 5, said
    assert {p: p.read_bytes() for p in layout.folder.rglob("*") if p.is_file()} == before


def test_the_maintainer_grants_two_focal_points_and_each_changes_only_their_state(server: Server) -> None:
    from openpyxl import load_workbook

    from twintui.core.model import Arrangement
    from twintui.core.store import Store

    for role, states in (("nor", ["NOR"]), ("swe", ["SWE", "CAN"])):
        flags = [f for state in states for f in ("--state", state)]
        code, out = twintui(server, "maintainer", "access", "grant", server.name(role), *flags)
        assert code == 0 and f"{server.name(role)} is now focal point for {', '.join(sorted(states))}" in out, out
    code, out = twintui(server, "swe", "access", "grant", server.name("swe"), "--maintainer")
    assert code == 1 and "only maintainers" in out, out

    returned = server.made.home("nor") / "nor.xlsx"
    code, out = twintui(server, "nor", "export", "--state", "NOR", "--quarter", "2026-Q2", "-o", str(returned))
    assert code == 0 and returned.stat().st_uid == server["nor"].pw_uid, out  # written by the client, as nor
    book = load_workbook(returned)
    book["Register"]["D3"] = "Changed by the NOR focal point"
    book.save(returned)
    os.chown(returned, server["nor"].pw_uid, -1)
    swe_copy = server.made.home("swe") / "nor.xlsx"
    shutil.copyfile(returned, swe_copy)
    os.chown(swe_copy, server["swe"].pw_uid, -1)

    before = server.layout.store.read_bytes()
    code, out = twintui(server, "swe", "import", str(swe_copy), "--yes")
    assert code == 1 and f"this is NOR's return and {server.name('swe')} does not answer for NOR" in out, out
    assert "Traceback" not in out and server.layout.store.read_bytes() == before

    code, out = twintui(server, "nor", "import", str(returned), "--yes")
    assert code == 0 and "applied: 0 new and 1 changed" in out, out
    changed = Store.open(server.layout.store).require(Arrangement, "TW-NOR-0001")
    assert changed.title == "Changed by the NOR focal point" and changed.updated_by == server.name("nor")

    def edit(key: str, title: str) -> Callable[[], int]:
        def work() -> int:  # what a screen does: save through the store (here the service's)
            from twintui.cli.common import SERVER_ENV
            from twintui.core.errors import AccessError
            from twintui.service.remote import RemoteStore

            store = RemoteStore.open(os.environ[SERVER_ENV])
            try:
                store.save(store.require(Arrangement, key).replace(title=title), "screen:register")
            except AccessError as error:
                print(error)
                return 1
            return 0
        return work

    before = server.layout.store.read_bytes()
    code, out = as_user(server, "swe", edit("TW-NOR-0001", "By SWE"))
    assert code == 1 and f"{server.name('swe')} may not change arrangement TW-NOR-0001 of NOR" in out, out
    code, out = as_user(server, "nor", edit("TW-CAN-0001", "By NOR"))
    assert code == 1 and f"{server.name('nor')} may not change arrangement TW-CAN-0001 of CAN" in out, out
    assert server.layout.store.read_bytes() == before
    code, out = as_user(server, "swe", edit("TW-CAN-0001", "Changed by the SWE and CAN focal point"))
    assert code == 0, out
    assert Store.open(server.layout.store).require(Arrangement, "TW-CAN-0001").updated_by == server.name("swe")

    code, out = twintui(server, "nor", "log", "--user", server.name("nor"))
    assert code == 0 and "TW-NOR-0001" in out and "Changed by the NOR focal point" in out
    code, out = twintui(server, "swe", "backups", "--json")
    assert code == 0, out
    newest = json.loads(out)[0]["name"]  # the one the import took
    code, out = twintui(server, "swe", "restore", newest, "--yes")
    assert code == 1 and f"{server.name('swe')} may not restore a backup" in out, out
    code, out = twintui(server, "nor", "check")
    assert code == 0 and "shared mode" in out and f"you are {server.name('nor')}: focal point for NOR" in out, out
    assert "warning" not in out, out


def test_runuser_runs_the_command_line_as_the_user_through_the_service(server: Server) -> None:
    result = users.command_as(server["nor"], "access", "list", env={"TWINTUI_SERVER": server.sock})
    assert result.returncode == 0, result.stderr
    assert f"you are {server.name('nor')}" in result.stdout
    refused = users.command_as(server["swe"], "access", "grant", server.name("swe"), "--maintainer",
                               env={"TWINTUI_SERVER": server.sock})
    assert refused.returncode == 1 and "Traceback" not in refused.stderr and "only maintainers" in refused.stderr


def test_a_hostile_workbook_from_a_focal_point_is_refused_by_the_service_in_one_line(server: Server) -> None:
    from tests.core.workbook.test_bad_files import CASES

    good = server.made.home("nor") / "good.xlsx"
    assert twintui(server, "nor", "export", "--state", "NOR", "--quarter", "2026-Q3", "-o", str(good))[0] == 0
    before = {p: p.read_bytes() for p in server.layout.folder.rglob("*") if p.is_file()}
    for case in ("zip bomb", "truncated", "text", "lying zip directory"):
        name, make, words = CASES[case]
        bad = server.made.home("nor") / f"{case.replace(' ', '-')}-{name}"
        bad.write_bytes(make(good.read_bytes()))
        os.chown(bad, server["nor"].pw_uid, -1)
        code, out = twintui(server, "nor", "import", str(bad), "--yes")
        assert code == 2 and out.count("\n") == 1 and out.startswith(f"twintui: {bad}: ") and words in out, out
    assert {p: p.read_bytes() for p in server.layout.folder.rglob("*") if p.is_file()} == before


def test_the_maintainer_restores_a_backup_through_the_service(server: Server) -> None:
    from twintui.core.model import Arrangement
    from twintui.core.store import Store

    code, out = twintui(server, "maintainer", "backups", "--json")
    newest = json.loads(out)[0]["name"]
    code, out = twintui(server, "maintainer", "restore", newest, "--yes")
    assert code == 0 and f"restored {newest}" in out, out
    store = Store.open(server.layout.store)
    assert store.require(Arrangement, "TW-NOR-0001").title != "Changed by the NOR focal point"
    last = store.history("TW-NOR-0001")[-1]
    assert (last.user, last.source) == (server.name("maintainer"), "restore")
