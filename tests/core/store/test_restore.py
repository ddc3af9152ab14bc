"""Restoring a backup: what it would change, then the restore, audited, for maintainers only."""

from __future__ import annotations

from pathlib import Path

import pytest

from twintui.core.check import check_store
from twintui.core.errors import AccessError, StoreError
from twintui.core.model import Arrangement
from twintui.core.store import Store, backups

from ..sharing import ME, arrangement, as_user

def test_restore_shows_what_changes_keeps_a_backup_and_is_audited(store: Store) -> None:
    a = store.save(arrangement("NOR", "Kept"), "test")
    b = store.save(arrangement("NOR", "Will be deleted"), "test")
    backup = backups.make(store.path, "test")
    store.save(store.require(Arrangement, a.id).replace(title="Changed after the backup"), "test")
    store.delete(store.require(Arrangement, b.id), "test")
    c = store.save(arrangement("SWE", "Added after the backup"), "test")
    plan = store.restore_plan(backup.path)
    assert plan.added == {"arrangements": [b.id]} and plan.removed == {"arrangements": [c.id]}
    assert plan.changed == {"arrangements": [a.id]}
    assert plan.counts() == {"added": 1, "removed": 1, "changed": 1}
    result = store.restore(backup.path, expected=plan)
    assert store.require(Arrangement, a.id).title == "Kept" and store.get(Arrangement, c.id) is None
    assert store.require(Arrangement, a.id).rev == 3  # a new revision: open screens see a conflict
    assert result.safety_backup is not None and "before-restore" in result.safety_backup.name
    assert Store.open(result.safety_backup).get(Arrangement, c.id) is not None
    assert [e.action for e in store.history(a.id)][-1] == "restore"
    assert store.history()[-1].record == backup.path.name
    # Ids are never used twice: the counter does not go back with the backup.
    assert store.save(arrangement("SWE", "Next"), "test").id == "TW-SWE-0002"
    assert check_store(store.path).ok


def test_restore_is_for_maintainers_and_refuses_a_changed_store(shared: Path) -> None:
    boss = as_user(shared, ME)
    backup = backups.make(shared, "test")
    boss.save(boss.require(Arrangement, "TW-NOR-0001").replace(title="Later"), "test")
    plan = boss.restore_plan(backup.path)
    log = shared.with_name(shared.stem + ".audit.jsonl")
    before, log_before, copies = shared.read_bytes(), log.read_bytes(), backups.list_all(shared)
    with pytest.raises(AccessError, match="only maintainers"):
        as_user(shared, "nor-fp").restore(backup.path, expected=plan)
    assert (shared.read_bytes(), log.read_bytes(), backups.list_all(shared)) == (before, log_before, copies)
    boss.save(boss.require(Arrangement, "TW-SWE-0001").replace(title="Meanwhile"), "test")
    before, log_before = shared.read_bytes(), log.read_bytes()
    with pytest.raises(StoreError, match="changed since the restore was previewed"):
        boss.restore(backup.path, expected=plan)
    assert (shared.read_bytes(), log.read_bytes()) == (before, log_before)
    assert Store.open(shared).require(Arrangement, "TW-NOR-0001").title == "Later"
