"""The TUI over a real SSH login against the store service: a focal point logs in, browses, edits, saves,
and sees another official's change arrive without pressing a key.

Root only: an sshd of the test's own listens on loopback (its own host key and configuration; public
keys only), a focal point logs in with ``ssh -tt`` in a tmux pane of 80x24 and runs twintui with
``TWINTUI_SERVER``, exactly as the README's users do. The service runs as a user of its own; what
was saved is read back from its store, and the audit log names the user who logged in. Skipped, with
the reason, when sshd cannot run here.
"""

from __future__ import annotations

import os
import shlex
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests import users
from tests.e2e.terminal import CTRL_S, ENTER, ESCAPE, TAB, Terminal, rubout
from tests.service import running

pytestmark = users.needs_root
SSHD = shutil.which("sshd") or "/usr/sbin/sshd"


@dataclass
class Login:
    made: users.Users
    service: running.Running
    port: int
    key: Path

    def ssh(self, role: str, *command: str) -> list[str]:
        return ["ssh", "-tt", "-p", str(self.port), "-i", str(self.key), "-o", "IdentitiesOnly=yes",
                "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR",
                f"{self.made[role].pw_name}@127.0.0.1", shlex.join(command)]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_sshd(folder: Path, user: str) -> tuple[subprocess.Popen[bytes], int]:
    """sshd on loopback for ``user`` alone, with keys from ``folder``; skips the test when it cannot run."""
    if not os.path.exists(SSHD) or not shutil.which("ssh") or not shutil.which("ssh-keygen"):
        pytest.skip("openssh-server and its client are needed (apt-get install openssh-server)")
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(folder / "host")], check=True)
    os.makedirs("/run/sshd", mode=0o755, exist_ok=True)  # sshd's privilege separation folder
    port = free_port()
    config = folder / "sshd_config"
    config.write_text("\n".join([
        f"Port {port}", "ListenAddress 127.0.0.1", f"HostKey {folder / 'host'}", f"PidFile {folder / 'sshd.pid'}",
        f"AuthorizedKeysFile {folder}/keys/%u", "PubkeyAuthentication yes", "PasswordAuthentication no",
        "KbdInteractiveAuthentication no", "UsePAM no", "StrictModes no", f"AllowUsers {user}",
        "PermitUserEnvironment no", "X11Forwarding no", "AllowTcpForwarding no", "PrintMotd no", "PrintLastLog no",
        "",
    ]))
    process = subprocess.Popen([SSHD, "-D", "-e", "-f", str(config)], stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.skip(f"sshd cannot run here: {process.stderr.read().decode(errors='replace').strip()[:300]}")  # type: ignore[union-attr]
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return process, port
        time.sleep(0.05)
    process.kill()
    pytest.skip("sshd did not listen within 10 s")


@pytest.fixture(scope="module")
def login() -> Iterator[Login]:
    with users.made_users("service", "nor", in_group=["service", "nor"]) as made:
        folder = made.folder / "srv"
        folder.mkdir(mode=0o700)
        from twintui.core import demo
        from twintui.core.store import Store

        demo.fill(Store.open(folder / "twintui.json"))
        (folder / "twintui.access.toml").write_text(
            f'maintainers = ["{made["service"].pw_name}"]\nread_only = []\n[focal_points]\n'
            f'"{made["nor"].pw_name}" = ["NOR"]\n')
        for path in [folder, *folder.iterdir()]:
            os.chown(path, made["service"].pw_uid, made["service"].pw_gid)
        run = made.folder / "run"
        run.mkdir(mode=0o755)
        os.chown(run, made["service"].pw_uid, made["service"].pw_gid)
        service = running.start(folder / "twintui.json", run / "twintui.sock", "--group", made.group,
                                user=made["service"])
        keys = Path(tempfile.mkdtemp(prefix="twintui-ssh-"))
        os.chmod(keys, 0o755)  # sshd reads the authorized keys as the user who logs in
        sshd = None
        try:
            subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(keys / "client")], check=True)
            (keys / "keys").mkdir()
            shutil.copyfile(keys / "client.pub", keys / "keys" / made["nor"].pw_name)
            subprocess.run(["usermod", "-p", "*", made["nor"].pw_name], check=True)  # no password, not locked
            sshd, port = start_sshd(keys, made["nor"].pw_name)
            yield Login(made, service, port, keys / "client")
        finally:
            if sshd is not None:
                sshd.terminate()
                sshd.wait(timeout=10)
            service.stop()
            shutil.rmtree(keys, ignore_errors=True)


def test_a_focal_point_over_ssh_edits_saves_and_sees_another_users_change_without_a_key_press(login: Login) -> None:
    from twintui.core.model import Arrangement
    from twintui.core.store import Store
    from twintui.service.remote import RemoteStore

    command = users.interpreter_for(login.made["nor"].pw_name)
    assert command is not None
    term = Terminal(80, 24)
    try:
        term.start(login.ssh("nor", "env", f"TWINTUI_SERVER={login.service.socket}", "TERM=xterm-256color",
                             *command))
        screen = term.wait_for("6 of 6 arrangements", timeout=60)
        assert "TW-NOR-0001" in screen and "TW-CAN-0001" in screen  # browse: the register as the service has it
        term.send("/", "TW-NOR-0001", ENTER, ENTER, "e")
        term.wait_for("TW-NOR-0001 · revision 1 · * required")
        term.send(TAB, *rubout(120), "Edited over SSH through the service")
        term.wait_field("Title", "Edited over SSH through the service")
        term.send(CTRL_S)
        term.wait_for("TW-NOR-0001 saved (revision 2)")
        term.send(ESCAPE)  # back to the register, filtered to the one arrangement
        term.wait(lambda s: "Edited over SSH" in s and "1 of 6 arrangements" in s, "the list with the edit")

        # Another official (the maintainer) changes it through the service: the SSH session shows it
        # without a key press (the change feed reaches the screen).
        def maintainer_edits() -> int:
            store = RemoteStore.open(login.service.socket)
            store.save(store.require(Arrangement, "TW-NOR-0001").replace(title="Retitled by the maintainer"),
                       "screen:register")
            return 0

        code, out = users.as_user(login.made["service"], maintainer_edits)  # type: ignore[misc]
        assert code == 0, out
        term.wait_for("Retitled by the maintainer", timeout=15)
    finally:
        term.close()
    nor, maintainer = login.made["nor"].pw_name, login.made["service"].pw_name
    stored = Store.open(login.service.store).require(Arrangement, "TW-NOR-0001")
    assert (stored.title, stored.rev, stored.updated_by) == ("Retitled by the maintainer", 3, maintainer)
    saved_over_ssh, retitled = Store.open(login.service.store).history("TW-NOR-0001")[-2:]
    assert (saved_over_ssh.user, saved_over_ssh.changes["title"][1]) == (nor, "Edited over SSH through the service")
    assert retitled.user == maintainer
