"""Requests no twintui sends: each gets an error reply (or its connection is dropped), and the others are served.

The requests are raw bytes on the socket; the service gives a client one second (``--timeout 1``)
to finish sending, so a half-sent request is given up quickly here.
"""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator

import pytest

from tests.service import running
from twintui.core import demo
from twintui.core.model import Arrangement
from twintui.core.store import Store
from twintui.service import protocol
from twintui.service.remote import RemoteStore


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[running.Running]:
    folder = tmp_path_factory.mktemp("hostile") / "srv"
    folder.mkdir(mode=0o700)
    demo.fill(Store.open(folder / "twintui.json"))
    service = running.start(folder / "twintui.json", folder.parent / "twintui.sock", "--timeout", "1")
    yield service
    code, out = service.stop()
    assert code == 0 and "internal error" not in out, out


def reply_of(raw: bytes) -> tuple[int, dict[str, object]]:
    """(status, JSON body) of one HTTP reply."""
    head, _, body = raw.partition(b"\r\n\r\n")
    return int(head.split()[1]), json.loads(body)


def still_served(served: running.Running) -> None:
    store = RemoteStore.open(served.socket)
    assert store.count(Arrangement) >= 6


@pytest.mark.parametrize(("request_", "status", "kind"), [
    (running.request("POST", protocol.COMMIT, b'{"source": "x", "ops": ['), 400, "bad-request"),
    (running.request("POST", protocol.COMMIT, b'\xff\xfe not even text'), 400, "bad-request"),
    (running.request("POST", protocol.COMMIT, b'{"source": "x", "ops": [], "user": "root"}'), 400, "bad-request"),
    (running.request("GET", "/v1/users"), 404, "unknown-route"),
    (running.request("GET", "/v2/hello"), 404, "version"),
    (running.request("GET", "/"), 404, "unknown-route"),
    (running.request("GET", protocol.COMMIT), 405, "method"),
    (running.request("DELETE", protocol.SNAPSHOT), 405, "method"),
])
def test_a_request_the_service_cannot_take_gets_an_error_reply(served: running.Running, request_: bytes, status: int,
                                                                kind: str) -> None:
    got = reply_of(running.call(served.socket, request_))
    assert got[0] == status and got[1]["error"]["kind"] == kind, got  # type: ignore[index]
    still_served(served)


def test_an_oversized_body_is_refused_before_it_is_read(served: running.Running) -> None:
    head = (f"POST {protocol.COMMIT} HTTP/1.1\r\nHost: twintui\r\nContent-Length: {protocol.MAX_BODY + 1}\r\n"
            "\r\n").encode()
    started = time.monotonic()
    got = running.call(served.socket, head + b'{"source": ', wait=5)
    assert time.monotonic() - started < 2  # answered at once and closed, not after the body or a timeout
    status, body = reply_of(got)
    assert status == 413 and body["error"]["kind"] == "too-large", body  # type: ignore[index]
    still_served(served)


def test_a_half_sent_body_is_given_up_and_the_others_are_served_meanwhile(served: running.Running) -> None:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as stalled:
        stalled.settimeout(5)
        stalled.connect(str(served.socket))
        stalled.sendall((f"POST {protocol.COMMIT} HTTP/1.1\r\nHost: twintui\r\nContent-Length: 100\r\n\r\n"
                         '{"source"').encode())
        still_served(served)  # while that one waits
        got = b""
        while chunk := stalled.recv(65536):
            got += chunk
    status, body = reply_of(got)
    assert status == 408 and body["error"]["kind"] == "timeout", body  # type: ignore[index]
    still_served(served)


@pytest.mark.parametrize("sent", [
    b"POST /v1/commit HTTP/1.1\r\nHost: twintui\r\n",  # the head, never finished
    b"",  # a connection that says nothing at all
])
def test_a_connection_that_never_finishes_its_request_is_dropped(served: running.Running, sent: bytes) -> None:
    started = time.monotonic()
    got = running.call(served.socket, sent, wait=10)
    assert got == b"" and time.monotonic() - started < 5
    still_served(served)


def test_bytes_that_are_not_http_get_an_error_and_the_connection_closes(served: running.Running) -> None:
    got = running.call(served.socket, b"\x00\x01 hello service \xff\r\n\r\n", wait=5)
    assert got.split(b"\r\n")[0] in (b"HTTP/1.0 400 Bad Request", b"HTTP/1.1 400 Bad Request"), got
    still_served(served)


def idle(served: running.Running, count: int) -> list[socket.socket]:
    """``count`` connections that are made and then say nothing."""
    made = []
    for _ in range(count):
        conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        conn.settimeout(5)
        conn.connect(str(served.socket))
        made.append(conn)
    return made


def closed_by_the_service(conn: socket.socket) -> bytes:
    """What the service sent on ``conn`` before it closed it (b"": nothing)."""
    got = b""
    while chunk := conn.recv(65536):
        got += chunk
    return got


def test_a_hundred_idle_connections_do_not_keep_others_from_being_served_and_are_dropped(
        served: running.Running) -> None:
    waiting = idle(served, 100)
    try:
        started = time.monotonic()
        still_served(served)
        assert time.monotonic() - started < 2
        # Each is closed, without a word, once it has been idle for the service's --timeout (1 s here).
        assert [closed_by_the_service(conn) for conn in waiting] == [b""] * 100
        assert time.monotonic() - started < 5
    finally:
        for conn in waiting:
            conn.close()
    still_served(served)


def test_a_user_holding_too_many_connections_gets_busy_and_is_served_again_once_they_are_given_back(
        served: running.Running) -> None:
    from twintui.service.limits import MAX_PER_USER

    time.sleep(1.5)  # the other tests' connections are dropped meanwhile (idle for --timeout)
    held = idle(served, MAX_PER_USER)
    try:
        over = idle(served, 1)[0]
        status, body = reply_of(closed_by_the_service(over))
        assert status == 503 and body["error"]["kind"] == "busy", body  # type: ignore[index]
        assert f"already has {MAX_PER_USER} connections open" in body["error"]["message"]  # type: ignore[index]
        over.close()
    finally:
        for conn in held:
            conn.close()
    still_served(served)  # the ones closed are counted off at once
