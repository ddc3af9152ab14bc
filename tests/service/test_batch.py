"""The service's group commit: commits waiting together are carried out in one write, in the order they came."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import orjson
import pytest

from twintui.core import files as files_module
from twintui.core.errors import ConflictError
from twintui.core.model import Arrangement
from twintui.core.store import Store, Transaction
from twintui.service import protocol
from twintui.service.server import Service


def request(*records: Arrangement, backup: str | None = None) -> bytes:
    tx = Transaction("test:batch", backup)
    for record in records:
        tx.save(record)
    return orjson.dumps(protocol.commit_request(tx))


def carried_out(service: Service, waiting: list[tuple[str, bytes]]) -> list[Any]:
    """What the store thread answers the commits ``waiting`` when it takes them all at once."""
    async def take() -> list[Any]:
        loop = asyncio.get_running_loop()
        futures = [loop.create_future() for _ in waiting]
        service.commits._waiting = [(peer, raw, future) for (peer, raw), future in zip(waiting, futures, strict=True)]
        done = dict((id(future), outcome) for future, outcome in service.commits._take())
        return [done[id(future)] for future in futures]

    return asyncio.run(take())


@pytest.fixture
def service(tmp_path: Path) -> Service:
    folder = tmp_path / "srv"
    folder.mkdir(mode=0o700)
    store = Store.open(folder / "twintui.json")
    store.save(Arrangement(reporting_state="NOR", title="First", status="planned"), "seed")
    return Service(store)


def test_commits_waiting_together_are_one_write_in_order_each_with_its_reply(service: Service,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    writes = []
    replace = files_module.replace
    monkeypatch.setattr(files_module, "replace", lambda *a, **k: (writes.append(a[0]), replace(*a, **k))[1])
    first = service.store.require(Arrangement, "TW-NOR-0001")
    outcomes = carried_out(service, [
        ("alice", request(first.replace(title="Alice's"))),
        ("bob", request(first.replace(title="Bob's, on a stale copy"))),
        ("carol", b"not json"),
        ("dave", request(Arrangement(reporting_state="ARG", title="Dave's", status="planned")))])
    assert len(writes) == 1
    assert outcomes[0]["saved"][0]["doc"]["updated_by"] == "alice"
    assert isinstance(outcomes[1], ConflictError) and isinstance(outcomes[2], protocol.BadRequest)
    assert outcomes[3]["saved"][0]["doc"]["id"] == "TW-ARG-0001" and outcomes[3]["txn"] == outcomes[0]["txn"] + 1
    assert service.commits.largest == 4


def test_a_commit_that_takes_a_backup_is_carried_out_on_its_own_between_the_others(
        service: Service, monkeypatch: pytest.MonkeyPatch) -> None:
    writes = []
    replace = files_module.replace
    monkeypatch.setattr(files_module, "replace", lambda *a, **k: (writes.append(a[0]), replace(*a, **k))[1])
    outcomes = carried_out(service, [
        ("alice", request(Arrangement(reporting_state="ARG", title="One", status="planned"))),
        ("alice", request(Arrangement(reporting_state="ARG", title="Two", status="planned"))),
        ("bob", request(Arrangement(reporting_state="ARG", title="Backed up", status="planned"), backup="test")),
        ("carol", request(Arrangement(reporting_state="ARG", title="Three", status="planned")))])
    assert [o["saved"][0]["doc"]["title"] for o in outcomes] == ["One", "Two", "Backed up", "Three"]
    assert [o["txn"] for o in outcomes] == list(range(outcomes[0]["txn"], outcomes[0]["txn"] + 4))
    stores = [w for w in writes if w == service.store.path]
    assert len(stores) == 3  # the first two together, the backed-up one, the last one
    from twintui.core.store import backups

    taken = backups.list_all(service.store.path)
    _, tables = backups.read(taken[0].path)
    assert len(taken) == 1 and len(tables["arrangements"]) == 3  # the store as One and Two left it
