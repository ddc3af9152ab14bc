"""Following the store through the service: deltas instead of the whole store, and the change feed.

A ``twintui serve`` process (as this user) serves a demo store; clients count what they ask of it
by wrapping their connection's ``send``.
"""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.service import running
from twintui.core import demo
from twintui.core.model import Arrangement, Partner
from twintui.core.store import Store
from twintui.service import delta, protocol
from twintui.service.client import ServiceUnavailable
from twintui.service.remote import RemoteStore


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[running.Running]:
    folder = tmp_path_factory.mktemp("feed") / "srv"
    folder.mkdir(mode=0o700)
    demo.fill(Store.open(folder / "twintui.json"))
    service = running.start(folder / "twintui.json", folder.parent / "twintui.sock")
    yield service
    code, out = service.stop()
    assert code == 0 and "internal error" not in out, out


def asked(store: RemoteStore) -> list[tuple[str, int, int]]:
    """Every request ``store`` makes from now on: (route, status, bytes of the answer)."""
    seen: list[tuple[str, int, int]] = []
    send = store.client.send

    def counted(method: str, route: str, *args: object, **kwargs: object):  # noqa: ANN202
        response = send(method, route, *args, **kwargs)  # type: ignore[arg-type]
        seen.append((route, response.status_code, len(response.content)))
        return response

    store.client.send = counted  # type: ignore[method-assign]
    return seen


def until(condition: Callable[[], object], seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def edit(socket_path: Path, key: str, title: str) -> Arrangement:
    other = RemoteStore.open(socket_path)
    return other.save(other.require(Arrangement, key).replace(title=title), "test:other")


def test_a_client_behind_gets_only_what_changed_and_reads_what_a_fresh_one_reads(served: running.Running) -> None:
    mine = RemoteStore.open(served.socket)
    mine.count(Arrangement), mine.count(Partner)
    whole = len(served.store.read_bytes())
    seen = asked(mine)
    edit(served.socket, "TW-NOR-0001", "Changed by another client")
    other = RemoteStore.open(served.socket)
    with other.transaction("test:other") as tx:
        tx.delete(other.require(Arrangement, "TW-CAN-0001"))  # and its partners with it
    assert mine.require(Arrangement, "TW-NOR-0001").title == "Changed by another client"
    assert [(route, status) for route, status, _ in seen] == [(protocol.DELTA, 200)]  # one read, one request
    assert seen[0][2] < whole / 10  # the changed documents, not the store
    fresh = RemoteStore.open(served.socket)
    for cls in (Arrangement, Partner):
        assert {r.key: r for r in mine.all(cls)} == {r.key: r for r in fresh.all(cls)}
    assert mine.get(Arrangement, "TW-CAN-0001") is None and mine.children(Partner, "TW-CAN-0001") == []
    assert mine.txn == fresh.txn == Store.open(served.store).txn
    # Nothing changed since: a 304, no body.
    seen.clear()
    mine.children(Partner, "TW-NOR-0001")
    assert seen == [(protocol.DELTA, 304, 0)]


def test_the_delta_route_answers_304_for_now_and_gone_for_a_state_it_cannot_bring_up_to_date(
        served: running.Running) -> None:
    store = RemoteStore.open(served.socket)
    now = store.storage.state
    got = running.call(served.socket, running.request("GET", f"{protocol.DELTA}?since={now}"))
    assert got.split(b"\r\n")[0] == b"HTTP/1.1 304 Not Modified" and f'ETag: "{now}"'.encode() in got
    for since in ("", "nonsense", "0123456789ab-1", now.rsplit("-", 1)[0] + "-999999"):
        head, _, body = running.call(served.socket, running.request("GET", f"{protocol.DELTA}?since={since}")
                                     ).partition(b"\r\n\r\n")
        assert head.split(b"\r\n")[0] == b"HTTP/1.1 410 Gone", head
        assert json.loads(body)["error"]["kind"] == "gone"


def test_after_a_restart_a_client_fetches_the_whole_store_again(tmp_path: Path) -> None:
    folder = tmp_path / "srv"
    folder.mkdir(mode=0o700)
    demo.fill(Store.open(folder / "twintui.json"))
    sock = tmp_path / "s.sock"
    service = running.start(folder / "twintui.json", sock)
    store = RemoteStore.open(sock)
    store.count(Arrangement)
    service.stop()
    Store.open(folder / "twintui.json").save(Arrangement(reporting_state="ARG", title="While it was down",
                                                         status="planned"), "test")
    service = running.start(folder / "twintui.json", sock)
    try:
        seen = asked(store)
        assert store.require(Arrangement, "TW-ARG-0001").title == "While it was down"
        assert [(route, status) for route, status, _ in seen] == [(protocol.DELTA, 410), (protocol.SNAPSHOT, 200)]
    finally:
        service.stop()


def test_with_the_feed_a_client_asks_only_when_the_store_moved(served: running.Running) -> None:
    store = RemoteStore.open(served.socket)
    feed = store.changes()
    txns: list[int] = []
    reader = threading.Thread(target=lambda: txns.extend(feed), daemon=True)
    reader.start()
    try:
        until(lambda: txns)
        assert txns == [store.txn]
        seen = asked(store)
        for _ in range(5):
            store.count(Arrangement), store.require(Arrangement, "TW-NOR-0001")
        assert seen == []  # the feed says nothing moved: no request at all
        edit(served.socket, "TW-NOR-0001", "Announced on the feed")
        until(lambda: len(txns) > 1)
        assert txns[-1] == Store.open(served.store).txn and seen == []
        assert store.require(Arrangement, "TW-NOR-0001").title == "Announced on the feed"
        assert [route for route, _, _ in seen] == [protocol.DELTA]  # once, for that state
        # Our own commit: the next read asks, whatever the feed has said so far.
        seen.clear()
        store.save(store.require(Arrangement, "TW-NOR-0001").replace(title="Mine"), "test")
        assert store.require(Arrangement, "TW-NOR-0001").title == "Mine"
        assert [route for route, _, _ in seen] == [protocol.COMMIT, protocol.DELTA]
    finally:
        feed.close()
        reader.join(5)
    assert not reader.is_alive()  # closing it ended the iteration, without an error
    # Without the feed, every read asks again.
    seen.clear()
    store.count(Arrangement), store.require(Arrangement, "TW-NOR-0001")
    assert seen == [(protocol.DELTA, 304, 0)] * 2


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGKILL])
def test_the_screens_follow_the_feed_say_once_that_the_service_is_gone_and_follow_it_again_when_it_is_back(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stop: int) -> None:
    import asyncio

    from twintui.tui import store_watch
    from twintui.tui.app import TwintuiApp
    from twintui.tui.common.row_table import RowTable

    monkeypatch.setattr(store_watch, "RETRY_SECONDS", 0.2)
    folder = tmp_path / "srv"
    folder.mkdir(mode=0o700)
    demo.fill(Store.open(folder / "twintui.json"))
    sock = tmp_path / "s.sock"
    services = [running.start(folder / "twintui.json", sock)]

    async def drive() -> None:
        app = TwintuiApp(RemoteStore.open(sock))
        said: list[str] = []
        notify = app.notify
        app.notify = lambda message, **kwargs: (said.append(message), notify(message, **kwargs))[1]  # type: ignore

        async def until_shown(condition: Callable[[], object]) -> None:
            for _ in range(200):  # 10 s, without a key
                if condition():
                    return
                await pilot.pause(0.05)
            raise AssertionError("not on the screen within 10 s")

        def ids() -> set[str]:
            return {row.id for row in app.get_screen_stack("register")[-1].query_one(RowTable).rows}

        async with app.run_test(size=(80, 24)) as pilot:
            await until_shown(lambda: "TW-NOR-0001" in ids())
            RemoteStore.open(sock).save(Arrangement(reporting_state="ARG", title="Community sponsorship pilot",
                                                    status="planned"), "test:other")
            await until_shown(lambda: "TW-ARG-0001" in ids())
            services.pop().stop(stop)
            await until_shown(lambda: said)
            await pilot.pause(1.0)  # five more tries to connect, none said again
            assert said == [f"the store service at {sock} went away; the screens follow the store again when it "
                            "is back"]
            services.append(running.start(folder / "twintui.json", sock))
            await until_shown(lambda: len(said) > 1)  # it connects again by itself, and says so once
            assert said[1:] == [f"the store service at {sock} is back"]
            # Following the feed again: another's commit is on the screen without a key. (Saved only now: while
            # the feed was gone, any read of the screens asks the service itself and could show it first.)
            RemoteStore.open(sock).save(Arrangement(reporting_state="JPN", title="Orientation curriculum",
                                                    status="planned"), "test:other")
            await until_shown(lambda: "TW-JPN-0001" in ids())
            await pilot.pause(0.5)
            assert said[1:] == [f"the store service at {sock} is back"]
        await asyncio.sleep(0)

    try:
        asyncio.run(drive())
    finally:
        for service in services:
            service.stop()


@pytest.mark.skipif(shutil.which("curl") is None, reason="needs curl")
def test_curl_can_watch_the_feed_a_line_for_each_commit(served: running.Running) -> None:
    watch = subprocess.Popen(["curl", "-sN", "--unix-socket", str(served.socket), f"http://twintui{protocol.CHANGES}"],
                             stdout=subprocess.PIPE, text=True)
    try:
        assert watch.stdout is not None
        first = json.loads(watch.stdout.readline())
        assert first["txn"] == Store.open(served.store).txn and delta.parse(first["state"]) is not None
        edit(served.socket, "TW-CZE-0001", "Watched with curl")
        second = json.loads(watch.stdout.readline())
        assert second["txn"] == first["txn"] + 1 and second["state"] != first["state"]
    finally:
        watch.kill()
        watch.wait()


def test_a_stopping_service_ends_its_feeds_at_once_and_the_reader_hears_it_went_away(tmp_path: Path) -> None:
    folder = tmp_path / "srv"
    folder.mkdir(mode=0o700)
    sock = tmp_path / "s.sock"
    service = running.start(folder / "twintui.json", sock)
    feed = RemoteStore.open(sock).changes()
    outcome: list[object] = []

    def read() -> None:
        try:
            outcome.extend(feed)
        except ServiceUnavailable as error:
            outcome.append(error.message)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    until(lambda: outcome)
    started = time.monotonic()
    code, out = service.stop(signal.SIGTERM)
    reader.join(10)
    assert code == 0 and time.monotonic() - started < 5, out  # not the 30 s a request under way may take
    assert outcome == [0, f"the store service at {sock} went away"]


def test_after_a_delta_the_indexes_are_changed_where_the_documents_changed_and_match_a_rebuild(
        served: running.Running) -> None:
    import random

    from twintui.core.model import Risk

    rng = random.Random(5)
    mine, other = RemoteStore.open(served.socket), RemoteStore.open(served.socket)
    for step in range(12):
        arrangements = mine.key_index(Arrangement)
        mine.children(Partner, "TW-NOR-0001"), mine.children(Risk, "TW-NOR-0001")
        everything = other.all(Arrangement)
        with other.transaction(f"test:step {step}") as tx:
            choice = step % 3  # each kind of change in turn, on records picked at random
            if choice == 0:
                new = Arrangement(reporting_state="PER", title=f"Step {step}", status="planned")
                tx.save(new)
                tx.save(Partner(name=f"Partner {step}", type="NGO"), parent=new)
            elif choice == 1:
                partners = other.children(Partner, "TW-NOR-0001")
                if partners:
                    tx.delete(rng.choice(partners))
                tx.save(Partner(name=f"Moved in {step}", type="NGO", arrangement="TW-NOR-0001"))
            else:
                tx.delete(rng.choice([a for a in everything if a.id != "TW-NOR-0001"]))
        carried = mine.key_index(Arrangement)
        assert carried is arrangements  # brought along, not built again
        partners = {p.key for p in mine.children(Partner, "TW-NOR-0001")}
        mine.forget_indexes()
        assert mine.key_index(Arrangement) == carried
        assert {p.key for p in mine.children(Partner, "TW-NOR-0001")} == partners
        assert {p.key for p in other.children(Partner, "TW-NOR-0001")} == partners
