"""Real Unix users for the tests about users (root only): make them, and run code and commands as them.

``made_users`` creates a group and users in it (and removes them afterwards). Code runs as one of
them in a forked child whose real and effective uid and groups are the user's (``as_user``), so
``os.getuid()`` is theirs exactly as after an SSH login; a command line runs as them with ``runuser``
(``command_as``). The venv's python may live under a home other users cannot enter (``/root``, mode
700): a forked child keeps the interpreter in memory but cannot import what the parent has not
imported yet (``preload`` does that first), and ``runuser`` needs an interpreter they can run: the
test's own python if they can, else the system's python of the same version given this
environment's packages (``interpreter_for``).
"""

from __future__ import annotations

import contextlib
import grp
import os
import pwd
import secrets
import shutil
import signal
import site
import subprocess
import sys
import tempfile
import traceback
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pytest

needs_root = pytest.mark.skipif(
    os.geteuid() != 0 or not shutil.which("useradd") or not shutil.which("groupadd") or not shutil.which("runuser"),
    reason="needs root, useradd, groupadd and runuser to create real Unix users")


@dataclass
class Users:
    """A group of users made for a test module, each with a home folder of their own (0700)."""

    folder: Path  # holds the homes; open to all (a test's store folder goes here too)
    group: str
    gid: int
    people: dict[str, pwd.struct_passwd] = field(default_factory=dict)

    def __getitem__(self, role: str) -> pwd.struct_passwd:
        return self.people[role]

    def home(self, role: str) -> Path:
        return Path(self.people[role].pw_dir)


@contextlib.contextmanager
def made_users(*roles: str, in_group: Sequence[str] | None = None) -> Iterator[Users]:
    """A new group and one user per role (``maintainer`` → ``tw1a2b3cmaintainer``); ``in_group`` names the
    roles that are members of the group (default: all). Everything is removed afterwards."""
    preload()
    tag = secrets.token_hex(3)
    group = f"twg{tag}"
    made: list[list[str]] = []
    folder = Path(tempfile.mkdtemp(prefix="twintui-users-"))
    os.chmod(folder, 0o755)  # mkdtemp's 0700 would keep the users out
    try:
        subprocess.run(["groupadd", group], check=True, capture_output=True)
        made.append(["groupdel", group])
        users = Users(folder, group, grp.getgrnam(group).gr_gid)
        for role in roles:
            name = f"tw{tag}{role}"[:31]
            home = folder / role
            extra = ["-G", group] if in_group is None or role in in_group else []
            subprocess.run(["useradd", "-M", "-U", *extra, "-s", "/bin/sh", "-d", str(home), name],
                           check=True, capture_output=True)
            made.insert(0, ["userdel", name])
            made.insert(1, ["groupdel", name])
            user = pwd.getpwnam(name)
            home.mkdir(mode=0o700)
            os.chown(home, user.pw_uid, user.pw_gid)
            users.people[role] = user
        yield users
    except subprocess.CalledProcessError as error:
        pytest.skip(f"could not create test users: {error.stderr.decode(errors='replace').strip()}")
    finally:
        for command in made:
            subprocess.run(command, capture_output=True, check=False)
        shutil.rmtree(folder, ignore_errors=True)


def preload() -> None:
    """Import, as root, what the commands import lazily (a forked child as another user could not)."""
    import encodings.ascii  # noqa: F401 - looked up by name when a file is opened with encoding="ascii"
    import encodings.idna  # noqa: F401 - httpx encodes the host name of every request
    import tomllib  # noqa: F401

    import jinja2  # noqa: F401
    import openpyxl  # noqa: F401
    import openpyxl.writer.excel  # noqa: F401
    import pandas  # noqa: F401
    import platformdirs  # noqa: F401
    import python_calamine  # noqa: F401

    from twintui.cli import build_parser
    from twintui.core import check, demo, reports  # noqa: F401
    from twintui.core.workbook import export, read  # noqa: F401
    from twintui.service import desk, remote, remote_desk  # noqa: F401 - the store service's client (and httpx)

    build_parser()


def groups_of(user: pwd.struct_passwd) -> list[int]:
    return sorted({user.pw_gid, *(g.gr_gid for g in grp.getgrall() if user.pw_name in g.gr_mem)})


def as_user(user: pwd.struct_passwd | None, work: Callable[[], int | None], env: dict[str, str] | None = None,
            wait: bool = True, timeout: int | None = None) -> tuple[int, str] | int:
    """Run ``work`` in a forked child that is ``user`` (real uid, gid and groups; None: this process's
    own): its exit code and output (stdout and stderr together). With ``timeout``, a child still
    running after that many seconds is killed (SIGALRM: exit code -14). With ``wait=False``, the
    child's pid (see ``finish``)."""
    out = tempfile.NamedTemporaryFile(prefix="twintui-out-", delete=False)  # noqa: SIM115 - the child writes it
    variables = dict(env or {})
    if user is not None:
        os.chown(out.name, user.pw_uid, -1)
        groups = groups_of(user)
        variables = {"HOME": user.pw_dir, "USER": user.pw_name, "LOGNAME": user.pw_name, **variables}
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        code = 70
        try:
            if timeout:
                signal.signal(signal.SIGALRM, signal.SIG_DFL)
                signal.alarm(timeout)
            if user is not None:
                os.setgroups(groups)
                os.setgid(user.pw_gid)
                os.setuid(user.pw_uid)
                for name in ("XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
                    os.environ.pop(name, None)  # the test's own folders belong to root
            os.environ.update(variables)
            os.dup2(out.fileno(), 1)
            os.dup2(out.fileno(), 2)
            sys.stdout = sys.stderr = open(1, "w", closefd=False)  # noqa: SIM115 - pytest's capture is not fd 1
            code = work() or 0
        except BaseException:  # noqa: BLE001 - reported through the output file
            traceback.print_exc()
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
    _children[pid] = out.name
    return finish(pid) if wait else pid


_children: dict[int, str] = {}


def finish(pid: int) -> tuple[int, str]:
    """Wait for a child of ``as_user(..., wait=False)``: its exit code and output."""
    _, status = os.waitpid(pid, 0)
    name = _children.pop(pid)
    text = Path(name).read_text()
    os.unlink(name)
    return os.waitstatus_to_exitcode(status), text


def twintui(user: pwd.struct_passwd | None, *argv: str, env: dict[str, str] | None = None,
            timeout: int | None = None) -> tuple[int, str]:
    """``twintui ARGV`` as ``user`` in a forked child (the command line's main, its exit code and output)."""
    from twintui.cli import main

    return as_user(user, lambda: main(list(argv)), env, timeout=timeout)  # type: ignore[return-value]


def interpreter_for(user: str) -> list[str] | None:
    """The command that runs this twintui as ``user`` with runuser: the test's own python, or else the
    system's python of the same version given this environment's packages."""
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


def command_as(user: pwd.struct_passwd, *argv: str, env: dict[str, str] | None = None
               ) -> subprocess.CompletedProcess[str]:
    """``twintui ARGV`` as a real process of ``user`` (runuser), with a clean environment plus ``env``."""
    command = interpreter_for(user.pw_name)
    if command is None:
        pytest.skip(f"{user.pw_name} can run neither {sys.executable} nor the system's python with this "
                    "environment's packages")
    variables = [f"{k}={v}" for k, v in {"HOME": user.pw_dir, "PATH": "/usr/bin:/bin", **(env or {})}.items()]
    return subprocess.run(["runuser", "-u", user.pw_name, "--", "env", "-i", *variables, *command, *argv],
                          capture_output=True, text=True, check=False, timeout=120)
