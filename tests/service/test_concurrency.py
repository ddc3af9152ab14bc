"""Many clients at once, and processes killed at the worst moment: the service loses nothing, does nothing by half.

Real processes: the service is ``twintui serve`` in a process of its own (as this user), and the
clients are forked processes with connections of their own (``crowd``). After each test the
store is checked with ``twintui check`` on its file, as the service's user would.
"""

from __future__ import annotations

import os
import signal
import socket
import threading
import time
from collections import Counter
from pathlib import Path

import orjson
import pytest

from tests.service import crowd, running
from twintui.cli import main
from twintui.core import demo
from twintui.core.model import Arrangement
from twintui.core.store import Store
from twintui.service import protocol
from twintui.service.client import ServiceUnavailable
from twintui.service.remote import RemoteStore

pytestmark = pytest.mark.slow


def start(tmp_path: Path) -> running.Running:
    folder = tmp_path / "srv"
    folder.mkdir(mode=0o700, exist_ok=True)
    if not (folder / "twintui.json").exists():
        demo.fill(Store.open(folder / "twintui.json"))
    return running.start(folder / "twintui.json", tmp_path / "s.sock")


def checked(store: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """``twintui check`` on the store file: it must find nothing wrong."""
    code = main(["--db", str(store), "check"])
    out = capsys.readouterr()
    assert code == 0, out.out + out.err
    return out.out


def big_commit(count: int, tag: str) -> dict[str, object]:
    """The body of one commit that creates ``count`` arrangements (long enough to be caught in the middle)."""
    from twintui.core.store import Transaction

    tx = Transaction(f"test:{tag}")
    for number in range(count):
        tx.save(Arrangement(reporting_state="ARG", title=f"{tag} {number}", status="planned",
                            lessons_learned="x" * 400))
    return protocol.commit_request(tx)


def test_fifty_clients_times_twenty_edits_at_once_all_land_and_none_is_lost(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    service = start(tmp_path)
    opened: dict[str, RemoteStore] = {}

    def ready(number: int) -> None:
        opened["store"] = RemoteStore.open(service.socket)
        opened["store"].count(Arrangement)

    def work(number: int) -> list[str]:
        store = opened["store"]
        mine = store.save(Arrangement(reporting_state="ARG", title=f"client {number} edit 0", status="planned"),
                          f"test:client-{number}")
        for edit in range(1, 20):  # read it back through the service each time, then change it
            current = store.require(Arrangement, mine.id)
            assert current.title == f"client {number} edit {edit - 1}"
            store.save(current.replace(title=f"client {number} edit {edit}"), f"test:client-{number}")
        return [mine.id]

    try:
        before = Store.open(service.store).txn
        clients = crowd.crowd(50, work, ready)
        clients.start()
        made = [key for keys in clients.results() for key in keys]
    finally:
        service.stop()
    store = Store.open(service.store)
    assert len(set(made)) == 50
    assert store.txn == before + 1000  # every edit its own transaction
    for number, key in enumerate(made):
        landed = store.require(Arrangement, key)
        assert (landed.title, landed.rev) == (f"client {number} edit 19", 20)
    sources = Counter(entry.source for entry in store.history() if entry.txn > before)
    assert sources == {f"test:client-{number}": 20 for number in range(50)}
    checked(service.store, capsys)


def test_a_service_killed_during_a_commit_leaves_the_old_or_the_new_store_and_its_clients_carry_on(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    service = start(tmp_path)
    client = RemoteStore.open(service.socket)
    count = client.count(Arrangement)
    body = big_commit(4000, "big")  # about 0.4 s in the service, from the first byte to the reply
    outcomes = []
    try:
        for delay in (0.05, 0.12, 0.2, 0.28, 0.36):
            answer: list[object] = []
            sending = threading.Thread(target=lambda: answer.append(_commit(client, body)), daemon=True)
            sending.start()
            time.sleep(delay)
            service.process.send_signal(signal.SIGKILL)
            service.process.wait(10)
            sending.join(30)
            now = Store.open(service.store).count(Arrangement)
            assert now in (count, count + 4000), (delay, now)
            outcomes.append((delay, now > count, answer))
            if now > count:  # it landed: take it away again for the next round
                direct = Store.open(service.store)
                with direct.transaction("test:undo") as tx:
                    for record in direct.find(Arrangement, lambda doc: doc["title"].startswith("big ")):
                        tx.delete(record)
            checked(service.store, capsys)
            service = running.start(service.store, service.socket)
            # The same client, opened before the kill, works again: it reconnects and reads the new run's store.
            assert client.count(Arrangement) == count
        edited = client.save(client.require(Arrangement, "TW-NOR-0001").replace(title="After the kills"), "test")
        assert Store.open(service.store).require(Arrangement, "TW-NOR-0001") == edited
    finally:
        service.stop()
    checked(service.store, capsys)
    # The client was told, in one line, that the commit may or may not have landed, where it did not hear.
    for _, _, answer in outcomes:
        assert len(answer) == 1 and (answer[0] == "committed" or "may or may not have been made" in str(answer[0]))


def _commit(client: RemoteStore, body: dict[str, object]) -> object:
    try:
        client.client.call("POST", protocol.COMMIT, body)
    except ServiceUnavailable as error:
        return error.message
    return "committed"


@pytest.mark.parametrize("cut", ["in the middle of the body", "after the whole body"])
def test_a_client_killed_mid_request_leaves_nothing_half_done(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                              cut: str) -> None:
    service = start(tmp_path)
    raw = orjson.dumps(big_commit(1500, "killed"))
    head = (f"POST {protocol.COMMIT} HTTP/1.1\r\nHost: twintui\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(raw)}\r\n\r\n").encode()
    sent = raw[: len(raw) // 2] if cut == "in the middle of the body" else raw
    try:
        count = Store.open(service.store).count(Arrangement)
        pid = os.fork()
        if pid == 0:  # the client: sends, then waits to be killed
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
                conn.connect(str(service.socket))
                conn.sendall(head + sent)
                os.write(1, b"")
                time.sleep(60)
            os._exit(0)
        time.sleep(0.2)
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        # The service goes on: it finishes (or drops) that request, and answers others.
        store = RemoteStore.open(service.socket)
        deadline = time.monotonic() + 20
        while (now := store.count(Arrangement)) == count and cut == "after the whole body" \
                and time.monotonic() < deadline:
            time.sleep(0.1)
        assert now == (count if cut == "in the middle of the body" else count + 1500)
    finally:
        code, out = service.stop()
    assert code == 0 and "internal error" not in out, out
    assert Store.open(service.store).count(Arrangement) == now
    checked(service.store, capsys)
