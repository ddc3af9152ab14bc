"""Real Unix users on one service, live: one user's connections are bounded while another is served, and one
user's change reaches another's screens without a key press (root only).

The service and the users are those of ``test_service_users`` (its ``setup`` fixture, made again
for this module). A focal point's process holds as many connections as one user may; the next of
theirs is refused, and another focal point's command goes through as if nothing were happening.
The app runs here (as root, a reader); the change is made by a process of the NOR focal point.
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


def test_another_users_change_reaches_the_screens_without_a_key_press(setup: Setup) -> None:  # noqa: F811
    import asyncio

    from tests.service.test_service_users import as_user
    from twintui.core.model import Arrangement
    from twintui.service.remote import RemoteStore
    from twintui.tui.app import TwintuiApp
    from twintui.tui.common.row_table import RowTable

    def titles(app: TwintuiApp) -> dict[str, str]:
        return {row.id: row.title for row in app.get_screen_stack("register")[-1].query_one(RowTable).rows}

    def nor_edits() -> int:
        store = RemoteStore.open(setup.sock)
        store.save(store.require(Arrangement, "TW-NOR-0001").replace(title="Changed by the NOR focal point"),
                   "screen:register")
        return 0

    async def drive() -> None:
        app = TwintuiApp(RemoteStore.open(setup.sock))
        async with app.run_test(size=(80, 24)) as pilot:
            for _ in range(200):
                if "TW-NOR-0001" in titles(app):
                    break
                await pilot.pause(0.05)
            assert as_user(setup, "nor", nor_edits)[0] == 0  # a process of that user, on a connection of its own
            for _ in range(200):  # no key is pressed: the change feed brings it
                if titles(app).get("TW-NOR-0001") == "Changed by the NOR focal point":
                    return
                await pilot.pause(0.05)
            raise AssertionError(f"the change did not reach the screen: {titles(app).get('TW-NOR-0001')}")

    asyncio.run(drive())
