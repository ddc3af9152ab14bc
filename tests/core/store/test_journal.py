"""The storage's journal: what its commits changed since a generation, or None where it cannot tell."""

from __future__ import annotations

import copy
import random
from pathlib import Path
from typing import Any

import orjson
import pytest

from twintui.core.errors import ConflictError
from twintui.core.model import Arrangement, Partner, Risk
from twintui.core.store import Store
from twintui.core.store.journal import Changes, Journal


def state(store: Store) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """(header, tables) as the storage holds them now, copied."""
    tables = store.storage.read() or {}
    return copy.deepcopy(store.storage.header), copy.deepcopy(tables)


def applied(header: dict[str, Any], tables: dict[str, dict[str, Any]], changes: Changes) -> tuple[dict, dict]:
    """An earlier state with ``changes`` applied, as a client's mirror does."""
    header, tables = copy.deepcopy(header), copy.deepcopy(tables)
    for (table, doc_id), doc in changes.docs.items():
        if doc is None:
            tables.get(table, {}).pop(doc_id, None)
        else:
            tables.setdefault(table, {})[doc_id] = doc
    counters = header.get("counters", {})
    for name, number in changes.counters.items():
        if number is None:
            counters.pop(name, None)
        else:
            counters[name] = number
    if changes.header is not None:
        header = {**changes.header, "counters": counters}
    return header, tables


@pytest.fixture
def journaled(tmp_path: Path) -> Store:
    store = Store.open(tmp_path / "s.json")
    store.storage.start_journal()
    return store


def test_random_commits_since_any_generation_bring_an_old_state_up_to_date(journaled: Store) -> None:
    rng = random.Random(11)
    store = journaled
    seen: list[tuple[int, tuple[dict, dict]]] = [(store.storage.generation, state(store))]
    for step in range(40):
        everything = store.all(Arrangement)
        with store.transaction(f"step {step}") as tx:
            action = rng.random()
            if action < 0.4 or not everything:
                new = Arrangement(reporting_state=rng.choice(["NOR", "CAN", "JPN"]), title=f"new {step}",
                                  status="planned")
                tx.save(new)
                tx.save(Partner(name=f"p{step}", type="NGO"), parent=new)
            elif action < 0.8:
                for record in rng.sample(everything, min(2, len(everything))):
                    tx.save(record.replace(lessons_learned=f"step {step}"))
            else:
                tx.delete(rng.choice(everything))  # its partners go with it
        seen.append((store.storage.generation, state(store)))
    now = state(store)
    for generation, (header, tables) in seen:
        changes = store.storage.journal.since(generation)  # type: ignore[union-attr]
        assert changes is not None
        assert applied(header, tables, changes) == now, generation
    # Nothing after the last commit.
    now = store.storage.generation
    assert store.storage.journal.since(now) == Changes(generation=now)  # type: ignore[union-attr]
    assert store.storage.journal.last == now  # type: ignore[union-attr]


def test_a_commit_is_its_documents_as_stored_its_deletes_and_its_counters(journaled: Store) -> None:
    store = journaled
    before = store.storage.generation
    with store.transaction("test") as tx:
        new = Arrangement(reporting_state="NOR", title="Orientation", status="planned")
        tx.save(new)
        tx.save(Risk(description="Interpreters leave", category="staffing", likelihood=2, impact=3,
                     treatment="treat", status="open"), parent=new)
    changes = store.storage.journal.since(before)  # type: ignore[union-attr]
    assert changes is not None
    assert sorted(changes.docs) == [("arrangements", "1"), ("risks", "1")]
    assert changes.docs[("arrangements", "1")]["id"] == "TW-NOR-0001"  # type: ignore[index]
    assert changes.counters == {"TW-NOR": 1, "R@TW-NOR-0001": 1}
    assert changes.header is not None and changes.header["txn"] == store.txn and "counters" not in changes.header
    middle = store.storage.generation
    store.delete(store.require(Arrangement, "TW-NOR-0001"), "test")
    changes = store.storage.journal.since(middle)  # type: ignore[union-attr]
    assert changes is not None and changes.docs == {("arrangements", "1"): None, ("risks", "1"): None}
    assert changes.counters == {}


def test_what_the_storage_cannot_account_for_starts_the_journal_again(journaled: Store) -> None:
    store = journaled
    store.save(Arrangement(reporting_state="NOR", title="first", status="planned"), "test")
    journal = store.storage.journal
    assert journal is not None
    # Another process writes the file: this storage reads it, and cannot say what changed.
    before = store.storage.generation
    Store.open(store.path).save(Arrangement(reporting_state="CAN", title="elsewhere", status="planned"), "test")
    assert store.count(Arrangement) == 2 and store.storage.generation > before
    assert journal.since(before) is None
    assert journal.since(store.storage.generation) == Changes(generation=store.storage.generation)
    # TinyDB's own write names nothing it touched.
    before = store.storage.generation
    with store.storage.transaction():
        tables = store.storage.read() or {}
        store.storage.write(tables)
    assert journal.since(before) is None
    # A refused commit leaves the data to be read again.
    before = store.storage.generation
    stale = store.require(Arrangement, "TW-NOR-0001")
    store.save(stale.replace(title="changed"), "test")
    with pytest.raises(ConflictError):
        store.save(stale.replace(title="stale"), "test")
    store.count(Arrangement)
    assert journal.since(before) is None


def test_a_reader_too_far_behind_gets_nothing_and_the_whole_store_instead() -> None:
    journal = Journal(5, limit=3)
    for generation in range(6, 11):
        journal.record(generation, {"t": {"1": {"id": str(generation)}}}, {"txn": generation}, [("t", "1")], {})
    assert journal.start == 7
    assert journal.since(6) is None and journal.since(11) is None
    assert journal.since(7) == Changes({("t", "1"): {"id": "10"}}, {"txn": 10}, {}, generation=10)
    journal.record(12, {}, {"txn": 12}, [], {})  # a generation missed: the journal starts there
    assert journal.start == 12 and journal.since(10) is None


def test_a_store_without_a_journal_keeps_none(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "s.json")
    store.save(Arrangement(reporting_state="NOR", title="first", status="planned"), "test")
    assert store.storage.journal is None
    assert orjson.loads(store.path.read_bytes())["arrangements"]["1"]["title"] == "first"
