"""Two focal points and a maintainer on one server, as real Unix users (root only; skipped otherwise).

Two users are created in a new group; the store lives in a setgid, group-writable
folder. Each command runs as the user (tests/users.py: a forked child with the
user's real uid and groups, or ``runuser``), so ``os.getuid()`` is theirs, exactly
as after an SSH login.
"""

from __future__ import annotations

import os
import pwd
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests import users

pytestmark = users.needs_root


@dataclass
class Server:
    folder: Path
    db: Path
    group: str
    gid: int
    nor: pwd.struct_passwd
    swe: pwd.struct_passwd


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    with users.made_users("nor", "swe") as made:
        from twintui.cli import main

        assert main(["setup-server", "--group", made.group, "--path", str(made.folder / "srv")]) == 0
        db = made.folder / "srv" / "twintui.json"
        from twintui.core import demo
        from twintui.core.store import Store

        demo.fill(Store.open(db))
        for argv in (["access", "grant", "root", "--maintainer"], ["access", "grant", made["nor"].pw_name,
                     "--state", "NOR"], ["access", "grant", made["swe"].pw_name, "--state", "SWE", "--state", "CAN"]):
            assert main([*argv, "--db", str(db)]) == 0
        yield Server(made.folder, db, made.group, made.gid, made["nor"], made["swe"])


def as_user(server: Server, user: pwd.struct_passwd, work: Callable[[], int]) -> tuple[int, str]:
    """``work`` as ``user``, with an environment that claims to be root's (identity is the uid, not $USER)."""
    return users.as_user(user, work, {"TWINTUI_DB": str(server.db), "USER": "root", "LOGNAME": "root"})  # type: ignore[return-value]


def twintui(server: Server, user: pwd.struct_passwd, *argv: str) -> tuple[int, str]:
    from twintui.cli import main

    return as_user(server, user, lambda: main(list(argv)))


def test_each_focal_point_changes_only_their_state(server: Server, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from twintui.core.model import Arrangement
    from twintui.core.store import Store

    returned = server.db.with_name("nor.xlsx")
    code, out = twintui(server, server.nor, "export", "--state", "NOR", "--quarter", "2026-Q2", "-o", str(returned))
    assert code == 0, out
    book = load_workbook(returned)
    book["Register"]["D3"] = "Changed by the NOR focal point"
    book.save(returned)
    os.chmod(returned, 0o644)

    before = server.db.read_bytes()
    code, out = twintui(server, server.swe, "import", str(returned), "--yes")
    assert code == 1 and f"this is NOR's return and {server.swe.pw_name} does not answer for NOR" in out, out
    assert "Traceback" not in out and server.db.read_bytes() == before

    code, out = twintui(server, server.nor, "import", str(returned), "--yes")
    assert code == 0 and "applied: 0 new and 1 changed" in out, out
    changed = Store.open(server.db).require(Arrangement, "TW-NOR-0001")
    assert changed.title == "Changed by the NOR focal point" and changed.updated_by == server.nor.pw_name

    def edit_norway_directly() -> int:  # what a screen does: save through the store
        from twintui.core.errors import AccessError

        store = Store.open(server.db)
        try:
            store.save(store.require(Arrangement, "TW-NOR-0001").replace(title="By SWE"), "screen:register")
        except AccessError as error:
            print(error)
            return 1
        return 0

    before = server.db.read_bytes()
    code, out = as_user(server, server.swe, edit_norway_directly)
    assert code == 1 and f"{server.swe.pw_name} may not change arrangement TW-NOR-0001 of NOR" in out, out
    assert server.db.read_bytes() == before

    code, out = twintui(server, server.swe, "access", "grant", server.swe.pw_name, "--maintainer")
    assert code == 1 and "only maintainers" in out
    code, out = twintui(server, server.nor, "log", "--user", server.nor.pw_name)
    assert code == 0 and "TW-NOR-0001" in out and "Changed by the NOR focal point" in out
    code, out = twintui(server, server.swe, "restore", "x", "--yes")
    assert code == 1

    # The files stayed shared with the group and closed to others.
    for path in (server.db, server.db.with_name("twintui.audit.jsonl")):
        assert path.stat().st_gid == server.gid and path.stat().st_mode & 0o777 == 0o660, path
    code, out = twintui(server, server.nor, "check")
    assert code == 0 and "shared mode" in out and "warning: /" not in out, out


def test_runuser_runs_the_command_line_as_the_user(server: Server) -> None:
    result = users.command_as(server.nor, "access", "list", env={"TWINTUI_DB": str(server.db)})
    assert result.returncode == 0, result.stderr
    assert f"you are {server.nor.pw_name}: focal point for NOR" in result.stdout
    # The same user may not change another state's records, from a real process of their own.
    refused = users.command_as(server.swe, "access", "grant", server.swe.pw_name, "--maintainer",
                               env={"TWINTUI_DB": str(server.db)})
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
