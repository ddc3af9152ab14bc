"""Several real processes on one store: nothing lost, conflicts instead of lost updates.

The workers are ``store_worker.py`` run with this interpreter in subprocesses;
they start writing together on a "go" line, so their writes really overlap.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from twintui.core.check import check_store
from twintui.core.model import Arrangement
from twintui.core.store import Store

WORKER = Path(__file__).with_name("store_worker.py")
ROOT = Path(__file__).resolve().parents[3]

pytestmark = pytest.mark.slow


def start(*args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    return subprocess.Popen([sys.executable, str(WORKER), *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)


def read_line(process: subprocess.Popen[str]) -> str:
    line = process.stdout.readline()
    if not line:
        process.wait(timeout=60)
        raise AssertionError(f"worker ended early ({process.returncode}): {process.stderr.read()}")
    return line.strip()


def go(process: subprocess.Popen[str]) -> None:
    process.stdin.write("go\n")
    process.stdin.flush()


def finish(process: subprocess.Popen[str]) -> str:
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    return out


def test_four_processes_times_200_saves_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "shared.json"
    store = Store.open(path)
    counter = store.save(Arrangement(reporting_state="NOR", title="counter", status="planned",
                                     funding_amount=0, currency="EUR"), "setup")
    workers = [start("hammer", str(path), str(n), "100", "100", counter.id) for n in range(4)]
    try:
        for worker in workers:
            assert read_line(worker) == "ready"
        for worker in workers:
            go(worker)
        results = [json.loads(finish(worker)) for worker in workers]
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
                worker.wait()

    created = [key for result in results for key in result["created"]]
    assert [len(result["created"]) for result in results] == [100] * 4
    assert [result["increments"] for result in results] == [100] * 4
    assert len(set(created)) == 400

    fresh = Store.open(path)
    stored = {a.id: a for a in fresh.all(Arrangement)}
    assert len(stored) == 401
    assert set(created) | {counter.id} == set(stored)
    # Each worker's arrangements are exactly the titles it wrote.
    for n, result in enumerate(results):
        assert [stored[key].title for key in result["created"]] == [f"w{n}-{i}" for i in range(100)]
    # Ids are TW-NOR-0001 .. 0401 with no gap and no duplicate.
    assert sorted(stored) == [f"TW-NOR-{n:04d}" for n in range(1, 402)]

    final = stored[counter.id]
    assert final.funding_amount == 400
    assert final.rev == 401
    assert fresh.txn == 801  # setup + 400 creates + 400 increments, one transaction each

    history = fresh.history()
    assert sum(1 for e in history if e.action == "create") == 401
    increments = [e for e in history if e.record == counter.id and e.action == "update"]
    # Every increment is in the log, in order: 0 -> 1 -> ... -> 400.
    assert [e.changes["funding_amount"] for e in increments] == [[n, n + 1] for n in range(400)]
    assert {e.source for e in increments} == {f"worker-{n}" for n in range(4)}
    assert [e.txn for e in history] == sorted(e.txn for e in history)
    assert len({e.txn for e in history}) == 801

    report = check_store(path)
    assert report.ok, report.errors
    assert report.notes == []


def test_two_users_editing_the_same_record_the_second_gets_a_conflict(tmp_path: Path) -> None:
    path = tmp_path / "shared.json"
    store = Store.open(path, user="admin")
    record = store.save(Arrangement(reporting_state="CZE", title="Czech Republic with the Netherlands",
                                    status="active"), "setup")
    alice = start("edit", str(path), "alice", record.id, "Alice's title")
    bob = start("edit", str(path), "bob", record.id, "Bob's title")
    try:
        # Both have the record open at revision 1.
        assert json.loads(read_line(alice)) == {"read": 1}
        assert json.loads(read_line(bob)) == {"read": 1}
        go(alice)
        assert json.loads(finish(alice)) == {"rev": 2}
        go(bob)
        assert json.loads(finish(bob)) == {"conflict": 2}
    finally:
        for worker in (alice, bob):
            if worker.poll() is None:
                worker.kill()
                worker.wait()

    final = Store.open(path).get(Arrangement, record.id)
    assert (final.title, final.rev, final.updated_by) == ("Alice's title", 2, "alice")
    updates = [e for e in store.history(record.id) if e.action == "update"]
    assert [(e.user, e.changes["title"][1]) for e in updates] == [("alice", "Alice's title")]
    assert check_store(path).ok


def test_a_user_in_this_process_gets_the_conflict_with_the_other_users_version(tmp_path: Path) -> None:
    from twintui.core.errors import ConflictError

    path = tmp_path / "shared.json"
    bob = Store.open(path, user="bob")
    mine = bob.save(Arrangement(reporting_state="CAN", title="Canada with the Americas", status="active"), "setup")
    alice = start("edit", str(path), "alice", mine.id, "Alice was first")
    try:
        assert json.loads(read_line(alice)) == {"read": 1}
        go(alice)
        assert json.loads(finish(alice)) == {"rev": 2}
    finally:
        if alice.poll() is None:
            alice.kill()
            alice.wait()
    before = path.read_bytes()
    with pytest.raises(ConflictError) as caught:
        bob.save(mine.replace(title="Bob second"), "form")
    assert caught.value.mine.title == "Bob second"
    assert (caught.value.theirs.title, caught.value.theirs.updated_by) == ("Alice was first", "alice")
    assert path.read_bytes() == before
    # Bob takes the other version and saves on top of it: now it works.
    merged = bob.save(caught.value.theirs.replace(title="Bob second"), "form")
    assert merged.rev == 3
    assert [e.user for e in bob.history(mine.id)] == ["bob", "alice", "bob"]
