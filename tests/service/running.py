"""A store service for the tests: ``twintui serve`` in a process of its own (as a given user, or as this one).

``start`` waits until the socket answers (or the process has ended, and fails with what it said);
``Running.stop`` sends SIGTERM, as systemd does, and returns the exit code and the output. ``call``
sends raw bytes to a socket and reads what comes back, for requests no client library would make.
"""

from __future__ import annotations

import os
import pwd
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from tests import users


@dataclass
class Running:
    process: subprocess.Popen[bytes]
    store: Path
    socket: Path
    log: Path

    def output(self) -> str:
        return self.log.read_text()

    def stop(self, signum: int = signal.SIGTERM) -> tuple[int, str]:
        if self.process.poll() is None:
            self.process.send_signal(signum)
        try:
            code = self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            code = self.process.wait()
        text = self.output()
        self.log.unlink(missing_ok=True)
        return code, text


def start(store: Path, sock: Path, *options: str, user: pwd.struct_passwd | None = None,
          maintainer: str | None = None) -> Running:
    """``twintui serve --store STORE --socket SOCK OPTIONS`` as ``user`` (None: this process's user).

    The service starts only with an access file naming a maintainer (``twintui setup-service`` makes it):
    when the store's folder has none, one is written naming ``maintainer`` (by default the user the
    service runs as), as setup-service would."""
    access = store.with_name(store.stem + ".access.toml")
    if not access.exists():
        name = maintainer or (user.pw_name if user is not None else pwd.getpwuid(os.getuid()).pw_name)
        access.write_text(f'maintainers = ["{name}"]\nread_only = []\n[focal_points]\n')
        if user is not None:
            os.chown(access, user.pw_uid, user.pw_gid)
    command = [sys.executable, "-m", "twintui"]
    extra: dict[str, object] = {}
    env = {**os.environ}
    if user is not None:
        found = users.interpreter_for(user.pw_name)
        assert found is not None, f"{user.pw_name} cannot run python with twintui"
        command = found
        extra = {"user": user.pw_uid, "group": user.pw_gid, "extra_groups": users.groups_of(user)}
        env = {"HOME": user.pw_dir, "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}
    log = Path(tempfile.mkstemp(prefix="twintui-serve-")[1])
    with log.open("wb") as out:
        argv = [*command, "serve", "--store", str(store), "--socket", str(sock), *options]
        process = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, env=env,
                                   **extra)  # type: ignore[call-overload]
    running = Running(process, store, sock, log)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"twintui serve ended ({process.returncode}): {running.output()}")
        if "SIGTERM stops it" in running.output():
            return running
        time.sleep(0.02)
    running.stop(signal.SIGKILL)
    raise AssertionError("twintui serve did not start within 30 s")


def call(sock: Path, data: bytes, wait: float = 5.0, shut: bool = False) -> bytes:
    """Send ``data`` on a new connection to ``sock`` (``shut``: then say no more) and read until the service
    closes it or ``wait`` seconds pass; what it sent back."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
        conn.settimeout(wait)
        conn.connect(str(sock))
        conn.sendall(data)
        if shut:
            conn.shutdown(socket.SHUT_WR)
        got = b""
        try:
            while chunk := conn.recv(65536):
                got += chunk
        except TimeoutError:
            pass
        return got


def request(method: str, path: str, body: bytes = b"", headers: str = "") -> bytes:
    """An HTTP/1.1 request that asks the service to close the connection after its reply."""
    return (f"{method} {path} HTTP/1.1\r\nHost: twintui\r\nConnection: close\r\nContent-Length: {len(body)}\r\n"
            f"{headers}\r\n").encode() + body
