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


# -- where the tables are, proven once: a receipt keeps it (``receipts``) --------------------------------------------

def _slices(path: Path) -> dict[str, bytes]:
    """Each table's bytes in the file, as ``lazy.split`` finds them."""
    from twintui.core.store import lazy

    raw = path.read_bytes()
    found = lazy.split(raw)
    assert found is not None
    return {name: raw[start:end] for name, start, end in found[1]}


@pytest.fixture
def receipted(db: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The store, old enough for a receipt (the racy margin made 0.1 s), read once by a reader of the progress."""
    import time

    from twintui.core.store import receipts

    monkeypatch.setattr(receipts, "RACY_NS", 100_000_000)
    time.sleep(0.15)
    assert Store.open(db, create=False).docs(ObjectiveProgress)
    return db


def _parsed_tables(path: Path, monkeypatch: pytest.MonkeyPatch, *read: type) -> set[str]:
    """The tables whose slices a fresh reader of ``read`` parses."""
    slices = _slices(path)
    parsed: set[str] = set()
    loads = orjson.loads

    def spy(data: bytes | memoryview | str) -> object:
        raw = bytes(data) if not isinstance(data, str) else data.encode()
        parsed.update(name for name, piece in slices.items() if piece == raw)
        return loads(data)

    monkeypatch.setattr(orjson, "loads", spy)
    store = Store.open(path, create=False)
    for cls in read:
        store.docs(cls)
    monkeypatch.setattr(orjson, "loads", loads)
    return parsed


def test_once_a_receipt_says_where_the_tables_are_a_reader_parses_only_those_it_reads(
        receipted: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The first read parsed every table before the progress values (the chain rule) and proved where each is.
    assert _parsed_tables(receipted, monkeypatch, Arrangement, ObjectiveProgress) == {"arrangements",
                                                                                       "objective_progress"}
    assert _parsed_tables(receipted, monkeypatch, Memorandum) == {"memoranda"}
    assert {cls.TABLE: Store.open(receipted, create=False).docs(cls) for cls in READ} == everything(receipted)


def test_a_commit_after_reading_tables_out_of_order_writes_what_a_commit_after_a_whole_read_writes(
        receipted: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.json"
    other.write_bytes(receipted.read_bytes())
    for path, whole in ((receipted, False), (other, True)):
        store = Store.open(path, clock=lambda: "2026-12-04T10:00:00+00:00")
        if whole:
            for cls in READ:
                store.docs(cls)
        else:  # the progress values first, then the memoranda: neither after the tables before it
            store.docs(ObjectiveProgress)
            store.docs(Memorandum)
        [first, *_] = store.all(ObjectiveProgress)
        with store.transaction("test") as tx:
            tx.save(first.replace(comment="Changed"))

    def body(path: Path) -> bytes:
        raw = path.read_bytes()
        return raw[raw.index(b',"arrangements":{'):]

    assert body(receipted) == body(other)
    assert list(_slices(receipted)) == [name for name in json.loads(other.read_bytes()) if name != HEADER]
    assert everything(receipted) == everything(other)


@pytest.mark.parametrize("lie", ["shifted", "another table's place", "not numbers", "past the end", "not a mapping"])
def test_a_receipt_that_says_a_table_is_elsewhere_is_not_believed(
        receipted: Path, monkeypatch: pytest.MonkeyPatch, isolated_home: Path, lie: str) -> None:
    [receipt] = (isolated_home / ".cache" / "twintui" / "checked").glob("*.json")
    data = json.loads(receipt.read_bytes())
    spans = data["spans"]
    if lie == "shifted":
        start, end = spans["objective_progress"]
        spans["objective_progress"] = [start + 1, end]
    elif lie == "another table's place":
        spans["objective_progress"] = spans["memoranda"]
    elif lie == "not numbers":
        spans["objective_progress"] = ["0", None]
    elif lie == "past the end":
        spans["objective_progress"] = [spans["objective_progress"][0], 10**30]
    else:
        data["spans"] = "everywhere"
    receipt.write_bytes(json.dumps(data).encode())  # (json: orjson will not write an integer past 64 bits)
    expected = json.loads(receipted.read_bytes())["objective_progress"]
    parsed = _parsed_tables(receipted, monkeypatch, ObjectiveProgress)
    assert "partners" in parsed  # found again by the chain, not where the receipt says
    assert {d["id"] for d in Store.open(receipted, create=False).docs(ObjectiveProgress)} == \
        {d["id"] for d in expected.values()}
