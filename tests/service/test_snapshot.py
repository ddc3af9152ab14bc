"""The service's snapshot: every table checked there, and where each is, so that a client does neither again.

A client reading through the service trusts it with the store (docs/threat-model.md): the Register's
first screen neither checks the shape of a table the service checked nor parses the tables it does not
read (on a large register, 35 MB of progress values). What the service says of its tables is believed
only as far as it holds: a span that is not a table's is not, and a table it does not name is checked.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest

from tests.service import running
from twintui.core import demo
from twintui.core.errors import StoreError
from twintui.core.model import Arrangement, Risk
from twintui.core.model.progress import ObjectiveProgress
from twintui.core.mou.model import Memorandum
from twintui.core.store import Store, lazy, shape
from twintui.service import protocol
from twintui.service.remote import Mirror, RemoteStore
from twintui.service.server import Service


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    folder = tmp_path / "srv"
    folder.mkdir(mode=0o700)
    demo.fill(Store.open(folder / "twintui.json"))
    return folder


def test_a_snapshot_says_where_each_table_is_as_split_finds_it(folder: Path) -> None:
    store = Store.open(folder / "twintui.json")
    body, spans = store.snapshot()
    (_, _), found = lazy.split(body)  # type: ignore[misc]
    assert {name: (start, end) for name, start, end in found} == spans
    assert set(spans) == set(orjson.loads(body)) - {lazy.HEADER}
    for name, (start, end) in spans.items():
        assert orjson.loads(body[start:end]) == store.stored(name)


def test_a_damaged_table_is_sent_but_not_named_as_checked(folder: Path) -> None:
    path = folder / "twintui.json"
    raw = path.read_bytes()
    path.write_bytes(raw.replace(b'"likelihood":3,', b'"likelihood":"3",', 1))
    store = Store.open(path)
    body, spans = store.snapshot()
    assert "risks" not in spans and {"arrangements", "partners", "memoranda"} <= set(spans)
    assert orjson.loads(body)["risks"] == orjson.loads(path.read_bytes())["risks"]


@pytest.fixture
def served(folder: Path) -> Iterator[running.Running]:
    service = running.start(folder / "twintui.json", folder.parent / "twintui.sock")
    yield service
    service.stop()


def test_a_client_neither_checks_the_services_tables_nor_parses_those_it_does_not_read(
        served: running.Running, monkeypatch: pytest.MonkeyPatch) -> None:
    checked: list[str] = []
    problems = shape.table_problems
    monkeypatch.setattr(shape, "table_problems", lambda table, docs: (checked.append(table), problems(table, docs))[1])
    store = RemoteStore.open(served.socket)
    assert store.docs(ObjectiveProgress) and store.docs(Arrangement)  # the values lie after the memoranda
    assert checked == []
    assert "memoranda" not in store.storage.read()._parsed  # type: ignore[union-attr]
    assert store.count(Memorandum) == Store.open(served.store).count(Memorandum)


def test_the_service_reads_and_checks_its_store_before_a_client_asks(folder: Path) -> None:
    service = Service(Store.open(folder / "twintui.json"))
    service.warm()
    service.worker.shutdown(wait=True)
    assert service._snapshot is not None
    assert set(orjson.loads(service._snapshot[3])) == set(orjson.loads(service._snapshot[2])) - {lazy.HEADER}


class _Reply:
    def __init__(self, body: bytes, tables: str | None, status: int = 200):
        self.status_code, self.content = status, body
        self.headers = {"ETag": '"run-1"', **({protocol.TABLES_HEADER: tables} if tables is not None else {})}


class _Service:
    """A stand-in for the service's client that answers a snapshot with ``body`` and says ``tables`` of it."""

    socket = "/nowhere"

    def __init__(self, body: bytes, tables: str | None):
        self.reply = _Reply(body, tables)

    def send(self, method: str, route: str, **_: Any) -> _Reply:
        if route == protocol.DELTA:  # asked before each read: nothing has changed since
            return _Reply(b"", None, 304)
        assert route == protocol.SNAPSHOT
        return self.reply


def _mirrored(body: bytes, tables: str | None, path: Path) -> Mirror:
    mirror = Mirror(_Service(body, tables), path)  # type: ignore[arg-type]
    mirror.refresh()
    return mirror


def _reader(mirror: Mirror, path: Path) -> Store:
    store = Store(path)
    store.storage = mirror
    return store


@pytest.mark.parametrize("lie", ["shifted", "another table's", "not json", "not spans", "negative"])
def test_what_a_snapshot_says_of_its_tables_is_believed_only_as_far_as_it_holds(folder: Path, lie: str) -> None:
    store = Store.open(folder / "twintui.json")
    body, spans = store.snapshot()
    said = {"shifted": orjson.dumps({k: [s + 1, e + 1] for k, (s, e) in spans.items()}).decode(),
            "another table's": orjson.dumps({"risks": spans["partners"], "partners": spans["risks"]}).decode(),
            "not json": "{risks: 1", "not spans": '{"risks": "all"}',
            "negative": orjson.dumps({k: [-e, -s] for k, (s, e) in spans.items()}).decode()}[lie]
    reader = _reader(_mirrored(body, said, folder / "mirror.json"), folder / "mirror.json")
    for cls in (Risk, Memorandum, Arrangement):
        assert reader.docs(cls) == store.docs(cls)


def test_a_table_the_snapshot_does_not_name_is_checked_by_its_reader(folder: Path) -> None:
    store = Store.open(folder / "twintui.json")
    body, spans = store.snapshot()
    damaged = body.replace(b'"likelihood":3,', b'"likelihood":"3",', 1)
    named = {k: v for k, v in spans.items() if k in ("arrangements", "partners")}
    # The same length before the risks: the spans of the tables before them still hold.
    reader = _reader(_mirrored(damaged, orjson.dumps(named).decode(), folder / "mirror.json"), folder / "mirror.json")
    assert reader.docs(Arrangement) == store.docs(Arrangement)
    with pytest.raises(StoreError, match=r"is damaged: risks document \d+ .*field likelihood"):
        reader.docs(Risk)
