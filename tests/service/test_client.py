"""The client on a connection the service drops: a question is asked again, a change never is.

A stand-in for the service on a Unix socket drops the first connection after reading its request
(what a service closing an idle connection at that moment looks like) and answers the next.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from twintui.service import protocol
from twintui.service.client import ServiceClient, ServiceUnavailable


@pytest.fixture
def dropping(tmp_path: Path) -> Iterator[tuple[Path, list[bytes]]]:
    path, seen = tmp_path / "s.sock", []
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    server.listen()

    def serve() -> None:
        for number in range(2):
            try:
                conn, _ = server.accept()
            except OSError:
                return
            with conn:
                seen.append(conn.recv(65536).split(b"\r\n")[0])
                if number:
                    body = b'{"answered": true}'
                    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                                 + str(len(body)).encode() + b"\r\n\r\n" + body)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield path, seen
    server.shutdown(socket.SHUT_RDWR)  # wakes the accept() still waiting (the change is never sent again)
    server.close()
    thread.join(5)


def test_a_question_is_asked_again_on_a_new_connection(dropping: tuple[Path, list[bytes]]) -> None:
    path, seen = dropping
    assert ServiceClient(path).call("GET", protocol.HELLO) == {"answered": True}
    assert seen == [b"GET /v1/hello HTTP/1.1"] * 2


def test_a_change_is_never_sent_twice(dropping: tuple[Path, list[bytes]]) -> None:
    path, seen = dropping
    with pytest.raises(ServiceUnavailable) as lost:
        ServiceClient(path).call("POST", protocol.COMMIT, {"source": "x", "ops": []})
    assert lost.value.message == (f"the store service at {path} closed the connection before it answered; the "
                                  "change may or may not have been made (twintui log shows it)")
    assert seen == [b"POST /v1/commit HTTP/1.1"]
