"""Comparisons in the store: revisions, audit, conflicts, unique names, unreadable documents."""

from __future__ import annotations

from pathlib import Path

import pytest

from twintui.core.compare import records
from twintui.core.compare.records import ComparisonRecord
from twintui.core.errors import ConflictError, NotFoundError, ValidationError
from twintui.core.model import META_FIELDS
from twintui.core.store import Store

from .examples import FUNDING, small


def test_save_assigns_an_id_and_bumps_the_revision(store: Store) -> None:
    saved = records.save(store, small())
    assert (saved.id, saved.rev) == ("COM-0001", 1)
    assert saved.created_by == store.user and saved.updated_at
    again = records.load(store, saved.id)
    assert again == saved
    again.set_score(FUNDING, "Canada", 3)
    second = records.save(store, again)
    assert second.rev == 2 and second.score(FUNDING, "Canada") == 3
    # Saving what the store already has changes nothing: no new revision.
    assert records.save(store, second).rev == 2
    assert records.save(store, small("Another")).id == "COM-0002"


def test_every_save_is_audited_with_the_part_that_changed(store: Store) -> None:
    saved = records.save(store, small())
    saved.set_weight(FUNDING, 5)
    records.save(store, saved)
    history = store.history(saved.id)
    assert [e.action for e in history] == ["create", "update"]
    assert history[-1].table == "comparisons"
    assert set(history[-1].changes) == {"factors"}  # a weight is part of the factors, not the cells
    records.delete(store, records.load(store, saved.id))
    assert store.history(saved.id)[-1].action == "delete"
    with pytest.raises(NotFoundError, match="COM-0001"):
        records.load(store, saved.id)


def test_a_stale_save_raises_a_conflict_with_both_versions(store_path: Path) -> None:
    mine_store = Store.open(store_path, user="amina")
    theirs_store = Store.open(store_path, user="lars")
    base = records.save(mine_store, small())
    theirs = records.load(theirs_store, base.id)
    theirs.set_score(FUNDING, "Norway", 5)
    records.save(theirs_store, theirs)
    mine = records.copy(base)
    mine.set_weight(FUNDING, 1)
    with pytest.raises(ConflictError) as caught:
        records.save(mine_store, mine)
    error = caught.value
    assert "changed (revision 1 → 2) by lars" in error.message
    assert records.of_conflict(error.theirs).score(FUNDING, "Norway") == 5
    assert records.of_conflict(error.mine).factor(FUNDING).weight == 1
    assert records.load(mine_store, base.id).factor(FUNDING).weight == 3  # nothing overwritten
    # Deleting a version someone changed meanwhile is refused too.
    with pytest.raises(ConflictError):
        records.delete(mine_store, base)


def test_a_save_after_someone_deleted_it_is_a_conflict_without_theirs(store: Store) -> None:
    base = records.save(store, small())
    records.delete(store, base)
    with pytest.raises(ConflictError) as caught:
        records.save(store, base)
    assert caught.value.theirs is None


def test_names_are_unique_case_and_spacing_aside(store: Store) -> None:
    records.save(store, small("Partner for 2027"))
    with pytest.raises(ValidationError, match="already called 'Partner for 2027'"):
        records.save(store, small("  partner FOR 2027 "))
    assert len(records.load_all(store)) == 1


def test_the_store_refuses_an_unsound_matrix(store: Store) -> None:
    record = ComparisonRecord.of(small())
    record.cells = [{"factor": FUNDING, "candidate": "Nobody", "score": 9, "note": ""}]
    with pytest.raises(ValidationError, match="unknown candidate: 'Nobody'"):
        store.save(record, "test")
    record.cells = "not a list"  # type: ignore[assignment]
    with pytest.raises(ValidationError, match="must be a list"):
        store.save(record, "test")
    assert store.count(ComparisonRecord) == 0


def test_find_by_name_or_id_and_a_clear_message_otherwise(store: Store) -> None:
    with pytest.raises(NotFoundError, match="there are no comparisons yet"):
        records.find(store, "anything")
    saved = records.save(store, small("Partner for 2027"))
    assert records.find(store, "partner for  2027").id == saved.id
    assert records.find(store, "COM-0001").name == "Partner for 2027"
    with pytest.raises(NotFoundError) as caught:
        records.find(store, "Partner for 2028")
    assert caught.value.exit_code == 1
    assert caught.value.message == (
        "there is no comparison named 'Partner for 2028'; the comparisons are: 'Partner for 2027'")


def test_an_unreadable_stored_comparison_is_left_out_and_named(store: Store) -> None:
    records.save(store, small())
    tables = store.storage.read()
    doc = next(iter(tables["comparisons"].values()))
    doc["factors"] = "broken"
    with store.storage.transaction():
        store.storage.write(tables)
    problems: list[str] = []
    assert records.load_all(store, problems) == []
    assert problems and problems[0].startswith("COM-0001:")


def test_a_comparison_keeps_the_bookkeeping_of_every_record() -> None:
    """One definition of id, revision and who-when: the comparison's model and its record share it."""
    from twintui.core.model.records import Bookkeeping

    c = small()
    c.id, c.rev, c.created_by, c.updated_at = "COM-0007", 3, "amina", "2026-12-01T10:00:00+00:00"
    assert isinstance(c, Bookkeeping) and issubclass(ComparisonRecord, Bookkeeping)
    record = ComparisonRecord.of(c)
    assert [getattr(record, f) for f in META_FIELDS] == [getattr(c, f) for f in META_FIELDS]
    assert not set(META_FIELDS) & set(records.content(c))  # what "unsaved" compares: the user's part only
    assert record.comparison() == c
