"""The chunked serialisation writes exactly the data in memory, whatever the edits."""

from __future__ import annotations

import random
from pathlib import Path

import orjson

from twintui.core.model import Arrangement, Partner
from twintui.core.store import Store
from twintui.core.store.storage import CHUNK, HEADER


def on_disk(path: Path) -> dict:
    data = orjson.loads(path.read_bytes())
    data.pop(HEADER)
    return data


def test_random_edits_inserts_and_deletes_land_exactly(tmp_path: Path) -> None:
    rng = random.Random(7)
    store = Store.open(tmp_path / "s.json")
    with store.transaction("seed") as tx:
        for n in range(3 * CHUNK + 17):
            arrangement = Arrangement(reporting_state=rng.choice(["NOR", "CAN"]), title=f"a{n}", status="planned")
            tx.save(arrangement)
            tx.save(Partner(name=f"p{n}", type="NGO"), parent=arrangement)
    for step in range(60):
        everything = store.all(Arrangement)
        action = rng.random()
        with store.transaction(f"step {step}") as tx:
            if action < 0.5:
                for record in rng.sample(everything, 3):
                    tx.save(record.replace(lessons_learned=f"step {step}"))
            elif action < 0.8:
                tx.save(Arrangement(reporting_state="NOR", title=f"new {step}", status="active"))
            else:
                tx.delete(rng.choice(everything))
        memory = {name: dict(table) for name, table in (store.storage.read() or {}).items()}
        assert on_disk(store.path) == memory, f"step {step}"
    fresh = Store.open(store.path)
    assert [a.to_doc() for a in fresh.all(Arrangement)] == [a.to_doc() for a in store.all(Arrangement)]


def test_sparse_document_ids_are_written_exactly(tmp_path: Path) -> None:
    """Ids far apart (a file edited by hand, records deleted) still land in the right chunks."""
    store = Store.open(tmp_path / "s.json")
    store.save(Arrangement(reporting_state="NOR", title="first", status="planned"), "seed")
    data = orjson.loads(store.path.read_bytes())
    data["arrangements"][str(5 * CHUNK + 3)] = data["arrangements"].pop("1")
    store.path.write_bytes(orjson.dumps(data))
    store = Store.open(store.path)
    for title in ("second", "third"):
        store.save(Arrangement(reporting_state="NOR", title=title, status="planned"), "test")
        memory = {name: dict(table) for name, table in (store.storage.read() or {}).items()}
        assert on_disk(store.path) == memory
    first = store.find(Arrangement, lambda doc: doc["title"] == "first")[0]
    store.save(first.replace(title="first, edited"), "test")
    memory = {name: dict(table) for name, table in (store.storage.read() or {}).items()}
    assert on_disk(store.path) == memory
    assert {a.title for a in Store.open(store.path).all(Arrangement)} == {"first, edited", "second", "third"}
