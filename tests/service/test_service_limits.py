"""One user's connections are bounded, and another user is served meanwhile (root only; real Unix users).

The service and the users are those of ``test_service_users`` (its ``setup`` fixture, made again
for this module). A focal point's process holds as many connections as one user may; the next of
theirs is refused, and another focal point's command goes through as if nothing were happening.
"""

from __future__ import annotations

import os
import socket

from tests import users
from tests.service.test_service_users import Setup, setup, twintui  # noqa: F401 - setup is a fixture

pytestmark = users.needs_root


def test_a_user_holding_too_many_connections_is_refused_and_another_user_is_still_served(setup: Setup) -> None:  # noqa: F811
    from twintui.service.limits import MAX_PER_USER

    ready_read, ready_write = os.pipe()
    done_read, done_write = os.pipe()

    def hold() -> int:
        held = []
        for _ in range(MAX_PER_USER):
            conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            conn.connect(setup.sock)
            held.append(conn)
        over = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        over.settimeout(10)
        over.connect(setup.sock)
        got = b""
        while chunk := over.recv(65536):
            got += chunk
        os.write(ready_write, b"1" if got.startswith(b"HTTP/1.1 503") and b'"busy"' in got else b"0")
        os.read(done_read, 1)  # hold them until the other user has been served
        return 0

    holder = users.as_user(setup["nor"], hold, wait=False)
    try:
        assert os.read(ready_read, 1) == b"1"  # the one over the limit was answered busy at once
        code, out = twintui(setup, "swe", "--server", setup.sock, "show", "TW-CZE-0001")
        assert code == 0 and "TW-CZE-0001" in out, out
    finally:
        os.write(done_write, b"x")
        assert users.finish(holder)[0] == 0  # type: ignore[arg-type]
    # Once they are closed, the user is served again.
    code, out = twintui(setup, "nor", "--server", setup.sock, "show", "TW-NOR-0001")
    assert code == 0, out
