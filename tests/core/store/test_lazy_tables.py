"""Each table of the store file is parsed only when it is read (``twintui.core.store.lazy``)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import orjson
import pytest

from twintui.core import demo
from twintui.core.errors import StoreError
from twintui.core.model import Arrangement, Partner, Risk
from twintui.core.model.progress import ObjectiveProgress
from twintui.core.mou.model import Memorandum
from twintui.core.store import Store
from twintui.core.store.storage import HEADER, DurableStorage

READ = (Arrangement, Partner, Risk, Memorandum, ObjectiveProgress)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "twintui.json"
    demo.fill(Store.open(path), size=4)
    return path


def everything(path: Path) -> dict:
    """What the store holds, read table by table, with the file parsed whole as a reference beside it."""
    store = Store.open(path)
    return {cls.TABLE: store.docs(cls) for cls in READ}


def _spoil(db: Path, table: str) -> None:
    """The table's value in the file made into JSON that does not parse (the rest untouched)."""
    raw = db.read_bytes()
    key = f',"{table}":{{'.encode()
    at = raw.index(key) + len(key)
    db.write_bytes(raw[:at] + b'"1":{"id":}' + raw[at:])


def test_a_reader_of_the_register_never_parses_the_progress_values(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    marker = b"a value no reader of the register parses"
    raw = db.read_bytes()
    at = raw.index(b',"objective_progress":{') + len(b',"objective_progress":{')
    db.write_bytes(raw[:at] + b'"900":{"comment":' + orjson.dumps(marker.decode()) + b'},' + raw[at:])
    parsed: list[bytes] = []
    loads = orjson.loads

    def spy(data: bytes | memoryview | str) -> object:
        parsed.append(bytes(data) if not isinstance(data, str) else data.encode())
        return loads(data)

    monkeypatch.setattr(orjson, "loads", spy)
    store = Store.open(db)
    assert store.count(Arrangement) == 10 and store.docs(Partner) and store.docs(Risk)
    assert parsed and not any(marker in data for data in parsed)
    assert not any(b'"objective_progress"' in data for data in parsed)


def test_a_damaged_table_not_read_still_lets_the_register_open_and_is_reported_when_read(db: Path) -> None:
    _spoil(db, "objective_progress")
    store = Store.open(db)
    assert store.count(Arrangement) == 10 and store.docs(Partner) and store.docs(Risk)
    with pytest.raises(StoreError) as caught:
        store.docs(ObjectiveProgress)
    message = str(caught.value)
    assert "\n" not in message and "is damaged: it is not valid JSON" in message and str(db) in message
    checked = subprocess.run([sys.executable, "-m", "twintui", "--db", str(db), "check"], capture_output=True,
                             text=True)
    assert checked.returncode != 0 and "not valid JSON" in checked.stdout + checked.stderr
    assert "Traceback" not in checked.stderr


@pytest.mark.parametrize("edit", ["pretty", "reordered", "nested key in text", "nested tables in a document"])
def test_a_file_edited_by_hand_reads_as_a_whole_parse_does(db: Path, edit: str) -> None:
    data = json.loads(db.read_bytes())
    if edit == "pretty":
        db.write_text(json.dumps(data, indent=2, ensure_ascii=False))
    elif edit == "reordered":
        names = [name for name in data if name != HEADER]
        db.write_bytes(orjson.dumps({HEADER: data[HEADER], **{name: data[name] for name in reversed(names)}}))
    else:
        first = next(iter(data["arrangements"].values()))
        if edit == "nested key in text":
            first["title"] = 'x,"partners":{"1":{}},"risks":{}'
        else:
            # A nested object under a key named like a table, with another after it: the slices between
            # them parse, but the ones around them do not, so the whole file decides.
            first["partners"] = {"1": {"id": "not a partner"}}
            first["risks"] = {"2": {"id": "not a risk"}}
        db.write_bytes(orjson.dumps(data))
    expected = {cls.TABLE: list(data.get(cls.TABLE, {}).values()) for cls in READ}
    for cls in (Partner, Risk, ObjectiveProgress, Memorandum):  # each read first, by a fresh reader
        storage = DurableStorage(db)
        assert list((storage.read() or {})[cls.TABLE].values()) == expected[cls.TABLE], (edit, cls.TABLE)


def test_a_table_named_twice_is_refused_in_one_line(db: Path) -> None:
    raw = db.read_bytes()
    db.write_bytes(raw[:-1] + b',"arrangements":{}}')
    storage = DurableStorage(db)
    assert (storage.read() or {})["arrangements"]  # the first: the file is not read to its end for it
    with pytest.raises(StoreError, match="table 'arrangements' is in the store file twice"):
        (storage.read() or {})["spending"]


def test_a_commit_after_a_lazy_read_writes_what_a_commit_after_a_whole_read_writes(db: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.json"
    other.write_bytes(db.read_bytes())
    for path, whole in ((db, False), (other, True)):
        store = Store.open(path, clock=lambda: "2026-12-04T10:00:00+00:00")
        if whole:  # every table parsed before the commit
            for cls in READ:
                store.docs(cls)
        arrangement = store.all(Arrangement)[0]
        with store.transaction("test") as tx:
            tx.save(arrangement.replace(title="Changed"))

    def body(path: Path) -> bytes:  # (the header holds a random token and the time)
        raw = path.read_bytes()
        return raw[raw.index(b',"arrangements":{'):]

    assert body(db) == body(other)
    assert everything(db) == everything(other)
    assert Store.open(db).require(Arrangement, Store.open(db).all(Arrangement)[0].id).title == "Changed"
