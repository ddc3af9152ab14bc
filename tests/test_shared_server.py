"""Two focal points and a maintainer on one server, as real Unix users (root only; skipped otherwise).

Two users are created in a new group; the store lives in a setgid, group-writable
folder. Each command runs in a child process whose real and effective uid and
groups are the user's (fork, then setgroups/setgid/setuid), so ``os.getuid()`` is
theirs, exactly as after an SSH login. ``runuser`` is used too when the user can
execute this test's Python (it cannot when the interpreter lives under /root).
"""

from __future__ import annotations

import grp
import os
import pwd
import secrets
import shutil
import subprocess
import sys
import tempfile
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("useradd") or not shutil.which("groupadd"),
                                reason="needs root and useradd/groupadd to create real Unix users")


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
    tag = secrets.token_hex(3)
    group, nor, swe = f"twt{tag}", f"twn{tag}", f"tws{tag}"
    made: list[list[str]] = []
    folder = Path(tempfile.mkdtemp(prefix="twintui-server-"))
    try:
        subprocess.run(["groupadd", group], check=True, capture_output=True)
        made.append(["groupdel", group])
        for user in (nor, swe):
            subprocess.run(["useradd", "-M", "-N", "-g", group, "-s", "/bin/sh", "-d", str(folder), user],
                           check=True, capture_output=True)
            made.insert(0, ["userdel", user])
        gid = grp.getgrnam(group).gr_gid
        os.chmod(folder, 0o755)  # mkdtemp's 0700 would keep the users out of the /tmp folder
        from twintui.cli import main

        assert main(["setup-server", "--group", group, "--path", str(folder / "srv")]) == 0
        db = folder / "srv" / "twintui.json"
        from twintui.core import demo
        from twintui.core.store import Store

        demo.fill(Store.open(db))
        for argv in (["access", "grant", "root", "--maintainer"], ["access", "grant", nor, "--state", "NOR"],
                     ["access", "grant", swe, "--state", "SWE", "--state", "CAN"]):
            assert main([*argv, "--db", str(db)]) == 0
        yield Server(folder, db, group, gid, pwd.getpwnam(nor), pwd.getpwnam(swe))
    except subprocess.CalledProcessError as error:
        pytest.skip(f"could not create test users: {error.stderr.decode(errors='replace').strip()}")
    finally:
        for command in made:
            subprocess.run(command, capture_output=True, check=False)
        shutil.rmtree(folder, ignore_errors=True)


def as_user(server: Server, user: pwd.struct_passwd, work: Callable[[], int]) -> tuple[int, str]:
    """Run ``work`` in a child process that is ``user`` (real uid and gid); its exit code and output."""
    out = tempfile.NamedTemporaryFile(prefix="twintui-out-", delete=False)  # noqa: SIM115 - the child writes it
    os.chown(out.name, user.pw_uid, -1)
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        code = 70
        try:
            os.setgroups([server.gid])
            os.setgid(user.pw_gid)
            os.setuid(user.pw_uid)
            os.environ.update(HOME=str(server.folder), TWINTUI_DB=str(server.db), USER="root", LOGNAME="root")
            os.dup2(out.fileno(), 1)
            os.dup2(out.fileno(), 2)
            sys.stdout = sys.stderr = open(1, "w", closefd=False)  # noqa: SIM115 - pytest's capture is not fd 1
            code = work()
        except BaseException:  # noqa: BLE001 - reported through the output file
            traceback.print_exc()
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    text = Path(out.name).read_text()
    os.unlink(out.name)
    return os.waitstatus_to_exitcode(status), text


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


def _interpreter_for(user: str) -> list[str] | None:
    """The command that runs this twintui as ``user``: the test's own python, or else the system's python of the
    same version given this environment's packages (the venv's python may live under a home others cannot
    enter, such as /root)."""
    import site
    from pathlib import Path

    import twintui

    if subprocess.run(["runuser", "-u", user, "--", sys.executable, "-I", "-c", "import twintui"],
                      capture_output=True, check=False).returncode == 0:
        return [sys.executable, "-I", "-m", "twintui"]
    system = Path(f"/usr/bin/python{sys.version_info.major}.{sys.version_info.minor}")
    if not system.exists():
        return None
    paths = [str(Path(twintui.__file__).parents[1]), *site.getsitepackages()]
    boot = f"import sys; sys.path[:0] = {paths!r}; import runpy; runpy.run_module('twintui', run_name='__main__')"
    command = [str(system), "-I", "-c", boot]
    probe = subprocess.run(["runuser", "-u", user, "--", *command, "--version"], capture_output=True, check=False)
    return command if probe.returncode == 0 else None


def test_runuser_runs_the_command_line_as_the_user(server: Server) -> None:
    command = _interpreter_for(server.nor.pw_name)
    if command is None:
        pytest.skip(f"{server.nor.pw_name} can run neither {sys.executable} nor the system's python with this "
                    "environment's packages; the fork-based tests above run as the user instead")
    result = subprocess.run(["runuser", "-u", server.nor.pw_name, "--", "env", f"TWINTUI_DB={server.db}", *command,
                             "access", "list"], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert f"you are {server.nor.pw_name}: focal point for NOR" in result.stdout
    # The same user may not change another state's records, from a real process of their own.
    refused = subprocess.run(["runuser", "-u", server.swe.pw_name, "--", "env", f"TWINTUI_DB={server.db}",
                              *command, "access", "grant", server.swe.pw_name, "--maintainer"],
                             capture_output=True, text=True, check=False)
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
