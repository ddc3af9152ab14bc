"""Several transactions committed together (the store service's group commit): each as if alone, one write."""

from __future__ import annotations

import errno
import os
import types
from pathlib import Path

import pytest

from twintui.core import files as files_module
from twintui.core.check import check_store
from twintui.core.errors import AccessError, ConflictError, StoreError, ValidationError
from twintui.core.model import Arrangement, Partner
from twintui.core.store import Store, Transaction
from twintui.core.store import audit as audit_module
from twintui.core.store.commit import commit_together


def saving(*records: Arrangement, source: str = "test") -> Transaction:
    tx = Transaction(source)
    for record in records:
        tx.save(record)
    return tx


@pytest.fixture
def shared(tmp_path: Path) -> Store:
    store = Store.open(tmp_path / "s.json", user="alice")
    store.save(Arrangement(reporting_state="NOR", title="First", status="planned"), "seed")
    return store


def test_transactions_of_several_users_land_in_order_in_one_write_each_with_its_own_txn(
        shared: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    writes = []
    replace = files_module.replace
    monkeypatch.setattr(files_module, "replace", lambda *a, **k: (writes.append(a[0]), replace(*a, **k))[1])
    syncs = []
    counting = types.SimpleNamespace(**{name: getattr(os, name) for name in dir(os) if not name.startswith("__")})
    counting.fsync = lambda fd: (syncs.append(fd), os.fsync(fd))[1]
    monkeypatch.setattr(audit_module, "os", counting)
    first = shared.require(Arrangement, "TW-NOR-0001")
    new = Arrangement(reporting_state="CAN", title="Newcomers' guide", status="planned")
    child = Transaction("test:child")
    child.save(Partner(name="City of Toronto", type="state", country="CAN", role="partner"),
               parent=first)
    batch = [(shared.acting_for("bob"), saving(first.replace(title="By bob"), source="test:bob")),
             (shared.acting_for("carol"), saving(new, source="test:carol")),
             (shared.acting_for("dave"), child)]
    before = shared.txn
    assert commit_together(batch) == [None, None, None]
    assert len(writes) == 1 and len(syncs) == 1  # one store write, one fsync of the audit log for all three
    assert [tx.txn for _, tx in batch] == [before + 1, before + 2, before + 3]
    fresh = Store.open(shared.path)
    assert fresh.require(Arrangement, "TW-NOR-0001").title == "By bob"
    assert fresh.require(Arrangement, "TW-CAN-0001").created_by == "carol"
    assert [p.name for p in fresh.children(Partner, "TW-NOR-0001")] == ["City of Toronto"]
    assert [(e.txn, e.user, e.source) for e in fresh.history() if e.txn > before] == \
        [(before + 1, "bob", "test:bob"), (before + 2, "carol", "test:carol"), (before + 3, "dave", "test:child")]
    assert check_store(shared.path).ok


def test_a_refused_transaction_is_refused_alone_and_the_ones_after_it_see_the_ones_before(shared: Store) -> None:
    read = shared.require(Arrangement, "TW-NOR-0001")
    batch = [(shared, saving(read.replace(title="One"))),
             (shared, saving(read.replace(title="Two"))),  # the revision it read is stale by now
             (shared, saving(Arrangement(reporting_state="NOR", title="", status="planned"))),  # no title
             (shared.acting_for("eve"), saving(Arrangement(reporting_state="ARG", title="Three", status="planned")))]
    outcomes = commit_together(batch)
    assert outcomes[0] is None and outcomes[3] is None
    assert isinstance(outcomes[1], ConflictError) and outcomes[1].theirs.title == "One"  # type: ignore[union-attr]
    assert isinstance(outcomes[2], ValidationError)
    assert batch[1][1].txn is None and batch[2][1].txn is None
    fresh = Store.open(shared.path)
    assert fresh.require(Arrangement, "TW-NOR-0001").title == "One"
    assert fresh.require(Arrangement, "TW-ARG-0001").title == "Three"
    assert check_store(shared.path).ok


def test_an_access_refusal_is_the_users_own(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "s.json", user="alice")
    (tmp_path / "s.access.toml").write_text('maintainers = ["alice"]\nread_only = []\n[focal_points]\n'
                                            '"nor-fp" = ["NOR"]\n')
    store.save(Arrangement(reporting_state="NOR", title="First", status="planned"), "seed")
    outcomes = commit_together([
        (store.acting_for("nor-fp"), saving(Arrangement(reporting_state="CAN", title="Not mine", status="planned"))),
        (store.acting_for("nor-fp"), saving(Arrangement(reporting_state="NOR", title="Mine", status="planned")))])
    assert isinstance(outcomes[0], AccessError) and outcomes[1] is None
    assert [a.title for a in Store.open(store.path).all(Arrangement)] == ["First", "Mine"]


def test_a_failed_write_fails_them_all_and_leaves_the_store_as_it_was(shared: Store,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    before = shared.path.read_bytes()

    def full(*args: object, **kwargs: object) -> None:
        raise files_module.FileError(shared.path, f"could not write {shared.path}: no space left on the device "
                                                  f"({os.strerror(errno.ENOSPC)})")

    monkeypatch.setattr(files_module, "replace", full)
    batch = [(shared, saving(Arrangement(reporting_state="ARG", title=f"Lost {n}", status="planned")))
             for n in range(3)]
    with pytest.raises(StoreError, match="no space left"):
        commit_together(batch)
    monkeypatch.undo()
    assert shared.path.read_bytes() == before
    fresh = Store.open(shared.path)
    assert [a.title for a in fresh.all(Arrangement)] == ["First"]
    report = check_store(shared.path)
    assert report.ok and any("interrupted" in note for note in report.notes)
    fresh.save(Arrangement(reporting_state="ARG", title="Next", status="planned"), "test")  # marks them rolled back
    assert check_store(shared.path).ok


def test_a_transaction_that_takes_a_backup_is_not_committed_together(shared: Store) -> None:
    tx = Transaction("test", backup="before-import")
    tx.save(Arrangement(reporting_state="ARG", title="x", status="planned"))
    with pytest.raises(StoreError, match="committed on its own"):
        commit_together([(shared, saving()), (shared, tx)])
