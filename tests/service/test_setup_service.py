"""`twintui setup-service` refuses what it would have to replace or cannot trust, in one line, and changes nothing then.

Root only: it makes a system user and a group (this machine's, removed afterwards); every folder goes
under a temporary root (``--root``). The end-to-end run (a store moved in, the service started as the
user it made, two focal points) is tests/test_shared_server.py.
"""

from __future__ import annotations

import itertools
import os
import pwd
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests import users
from twintui.service.setup import Layout

pytestmark = users.needs_root
_numbers = itertools.count()


@dataclass
class Machine:
    made: users.Users
    user: str  # the service's, made by the first setup-service of the module
    group: str

    def layout(self) -> Layout:
        root = self.made.folder / f"root-{next(_numbers)}"
        root.mkdir(mode=0o755)
        return Layout(root, self.user, self.group)


@pytest.fixture(scope="module")
def machine() -> Iterator[Machine]:
    with users.made_users("maintainer", "member") as made:
        tag = made.group.removeprefix("twg")
        try:
            yield Machine(made, f"tws{tag}", f"twk{tag}")
        finally:
            subprocess.run(["userdel", f"tws{tag}"], capture_output=True, check=False)
            subprocess.run(["groupdel", f"twk{tag}"], capture_output=True, check=False)


def setup_service(layout: Layout, *options: str, as_user: pwd.struct_passwd | None = None) -> tuple[int, str]:
    from twintui.cli import main

    argv = ["setup-service", "--user", layout.user, "--group", layout.group, "--root", str(layout.root), *options]
    return users.as_user(as_user, lambda: main(argv))  # type: ignore[return-value]


def everything(folder: Path) -> dict[str, tuple[int, int, bytes]]:
    """Every file and folder under ``folder``: owner, mode and content (a link's target as its content)."""
    found = {}
    for path in sorted(folder.rglob("*")):
        info = os.lstat(path)
        data = os.readlink(path).encode() if path.is_symlink() else path.read_bytes() if path.is_file() else b""
        found[str(path.relative_to(folder))] = (info.st_uid, info.st_mode, data)
    return found


def one_line(out: str) -> str:
    lines = [line for line in out.splitlines() if line.strip() and not line.startswith("setup-service: ")]
    assert len(lines) == 1 and "Traceback" not in out, out
    return lines[0]


def old_store(machine: Machine, name: str = "twintui.json") -> Path:
    from twintui.core import demo
    from twintui.core.store import Store

    folder = machine.made.folder / f"old-{next(_numbers)}"
    folder.mkdir()
    os.chown(folder, 0, machine.made.gid)
    os.chmod(folder, 0o2770)  # the retired setup-server's folder: every member may write in it
    demo.fill(Store.open(folder / name))
    return folder / name


def test_the_unit_is_printed_without_root_and_nothing_is_made(machine: Machine) -> None:
    layout = machine.layout()
    code, out = setup_service(layout, "--print-unit", as_user=machine.made["member"])  # no maintainer needed
    assert code == 0 and out.startswith("# Made by twintui setup-service")
    for line in ("NoNewPrivileges=yes", "ProtectSystem=strict", "ProtectHome=yes", "PrivateTmp=yes", "UMask=0077",
                 f"ReadWritePaths={layout.folder}", "RuntimeDirectory=twintui", f"User={layout.user}",
                 f"Group={layout.group}"):
        assert f"\n{line}\n" in out, line
    assert f"serve --store {layout.store} --socket {layout.socket} --group {layout.group}" in out
    assert list(layout.root.iterdir()) == []


def test_not_as_root_and_a_maintainer_that_is_no_user_are_refused_before_anything_is_made(machine: Machine) -> None:
    layout = machine.layout()
    code, out = setup_service(layout, "--maintainer", machine.made["maintainer"].pw_name,
                              as_user=machine.made["member"])
    assert code == 2 and one_line(out).startswith("twintui: setup-service makes a system user, a group and folders: "
                                                  "run it as root")
    code, out = setup_service(layout)
    assert code == 2 and one_line(out) == ("twintui: setup-service needs --maintainer USER: the first maintainer, who "
                                           "grants the others (an existing user); nothing was changed")
    code, out = setup_service(layout, "--maintainer", "no-such-user-here")
    assert code == 2 and one_line(out) == ("twintui: there is no user no-such-user-here on this machine (make the "
                                           "maintainer's account first: adduser no-such-user-here); nothing was "
                                           "changed")
    assert list(layout.root.iterdir()) == []


def test_a_user_who_can_log_in_is_never_taken_for_the_services(machine: Machine) -> None:
    layout = Layout(machine.layout().root, machine.made["member"].pw_name, machine.group)
    code, out = setup_service(layout, "--maintainer", machine.made["maintainer"].pw_name)
    assert code == 2 and f"the user {layout.user} exists and can log in (shell /bin/sh)" in one_line(out)
    assert not layout.folder.exists()


def test_a_folder_that_is_not_the_services_is_refused_and_left_as_it_is(machine: Machine) -> None:
    layout = machine.layout()
    layout.folder.mkdir(parents=True, mode=0o2770)  # someone's shared folder where the service's would go
    os.chown(layout.folder, machine.made["member"].pw_uid, machine.made.gid)
    before = everything(layout.root)
    code, out = setup_service(layout, "--maintainer", machine.made["maintainer"].pw_name)
    assert code == 2 and f"{layout.folder} is there, owned by {machine.made['member'].pw_name}" in one_line(out)
    assert everything(layout.root) == before


def test_a_planted_link_in_the_old_folder_is_refused_and_nothing_is_moved(machine: Machine) -> None:
    """A member swaps the old store's audit log for a link to root's file before the move: the move reads nothing
    through it, copies nothing, removes nothing, and the service's folder holds no store."""
    source = old_store(machine)
    secret = machine.made.folder / f"secret-{next(_numbers)}"
    secret.write_text("root's own\n")
    secret.chmod(0o600)
    log = source.with_name("twintui.audit.jsonl")
    log.unlink()
    os.symlink(secret, log)
    layout = machine.layout()
    before = everything(source.parent)
    code, out = setup_service(layout, "--maintainer", machine.made["maintainer"].pw_name, "--from", str(source))
    line = one_line(out)
    assert code == 2 and str(log) in line and "link" in line and f"{source} was not moved" in line, out
    assert everything(source.parent) == before and secret.read_text() == "root's own\n"
    assert sorted(p.name for p in layout.folder.iterdir()) == []


def test_a_store_that_fails_its_check_is_not_moved_and_the_originals_stay(machine: Machine) -> None:
    import json

    source = old_store(machine)
    data = json.loads(source.read_bytes())
    next(iter(data["arrangements"].values()))["title"] = "Edited in the file, past the audit log"
    source.write_text(json.dumps(data))
    layout = machine.layout()
    before = everything(source.parent)
    code, out = setup_service(layout, "--maintainer", machine.made["maintainer"].pw_name, "--from", str(source))
    line = one_line(out)
    assert code == 2 and line.startswith(f"twintui: {source} does not pass twintui check once moved in") and \
        f"{source} was not moved; nothing more was changed" in line, out
    assert everything(source.parent) == before
    assert sorted(p.name for p in layout.folder.iterdir()) == []


def test_a_store_there_already_is_never_replaced_by_one_moved_in(machine: Machine) -> None:
    layout = machine.layout()
    maintainer = machine.made["maintainer"].pw_name
    code, out = setup_service(layout, "--maintainer", maintainer)
    assert code == 0 and f"store {layout.store}: a new, empty store" in out, out
    source = old_store(machine)
    before, there = everything(source.parent), everything(layout.folder)
    code, out = setup_service(layout, "--maintainer", maintainer, "--from", str(source))
    assert code == 2 and f"there is a store at {layout.store} already" in one_line(out)
    assert everything(source.parent) == before and everything(layout.folder) == there
    # A unit that someone changed is not overwritten either.
    layout.unit.write_text(layout.unit.read_text().replace("ProtectHome=yes\n", ""))
    code, out = setup_service(layout, "--maintainer", maintainer)
    assert code == 2 and f"the systemd unit {layout.unit} is there and differs" in one_line(out)
    assert "ProtectHome" not in layout.unit.read_text()


def test_root_appoints_another_maintainer_and_no_one_else_may(machine: Machine, tmp_path: Path) -> None:
    from twintui.core import access
    from twintui.core.errors import AccessError
    from twintui.core.store import Store
    from twintui.core.store.policy import default_path

    db = tmp_path / "twintui.json"
    store = Store.open(db, access_file=default_path(db))  # as the service opens it: the file fixed, none yet
    first = access.appoint(store, "amina")
    assert first is not None and first.maintainers == ["amina"]
    assert access.appoint(store, "amina") is None  # nothing to do
    assert access.appoint(store, "bertil").maintainers == ["amina", "bertil"]  # type: ignore[union-attr]
    assert [(e.action, e.user, e.record) for e in store.history() if e.table == "access"] == [
        ("grant", "root", "access/amina"), ("grant", "root", "access/bertil")]

    own = machine.made.home("member") / "own.json"

    def as_member() -> int:  # on a store of their own: even its owner appoints no one so
        try:
            access.appoint(Store.open(own, access_file=default_path(own)), "member")
        except AccessError as error:
            print(error)
        return 0

    code, out = users.as_user(machine.made["member"], as_member)  # type: ignore[misc]
    assert out == "only root appoints a maintainer this way; a maintainer grants: twintui access grant member " \
                  "--maintainer\n", out
    assert not default_path(own).exists()
    default_path(db).write_text("maintainers = [")  # broken: appointing would drop everyone in it
    with pytest.raises(AccessError, match="is not valid TOML"):
        access.appoint(store, "cecilia")
