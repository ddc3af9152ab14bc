"""The records of reported progress: their ids, their own rules, and how the store keeps them (issue 18)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from twintui.core.check import check_store
from twintui.core.errors import AccessError, ValidationError
from twintui.core.model import Arrangement
from twintui.core.model.progress import ActivityProgress, ObjectiveProgress, Spending
from twintui.core.store import Store

from ..sharing import as_user

TODAY = dt.date.today()


def messages(record) -> list[tuple[str, str, str]]:
    return [(p.field, p.severity, p.message) for p in record.problems()]


def test_a_quarters_row_has_one_record_named_by_its_number_and_quarter() -> None:
    value = ObjectiveProgress(arrangement="TW-NOR-0001", objective=2, quarter="2026-Q3", value=3)
    assert (value.id, value.key) == ("O2-2026-Q3", "TW-NOR-0001/O2-2026-Q3")
    assert ActivityProgress(arrangement="TW-NOR-0001", activity=4, quarter="2026-Q3").id == "A4-2026-Q3"
    assert Spending(arrangement="TW-NOR-0001", quarter="2026-Q3", spent=10).id == "S-2026-Q3"
    assert ObjectiveProgress.from_doc(value.to_doc()) == value
    moved = value.replace(quarter="2026-Q4")  # the id stays what it was: a problem, not a silent new record
    assert messages(moved) == [("quarter", "error", "the record O2-2026-Q3 must have the id O2-2026-Q4 (its number "
                                                    "and quarter)")]


def test_a_value_below_the_baseline_needs_a_comment() -> None:
    value = ObjectiveProgress(arrangement="TW-NOR-0001", objective=1, quarter="2026-Q3", baseline=4, target=12,
                              value=3)
    assert messages(value) == [("comment", "error", "the value 3 is below the baseline 4: say why in the comment")]
    assert messages(value.replace(comment="Two focal points left the network")) == []
    assert messages(value.replace(value=4)) == []  # at the baseline is not below it


def test_a_falling_indicator_needs_a_comment_above_its_baseline() -> None:
    days = ObjectiveProgress(arrangement="TW-NOR-0001", objective=1, quarter="2026-Q3", baseline=90, target=30,
                             value=95)
    assert days.falling
    assert messages(days) == [("comment", "error", "the value 95 is above the baseline 90: say why in the comment")]
    assert messages(days.replace(value=60)) == []


def test_a_done_date_may_not_be_in_the_future() -> None:
    tomorrow = TODAY + dt.timedelta(days=1)
    milestone = ObjectiveProgress(arrangement="TW-NOR-0001", objective=3, quarter="2026-Q3", status="achieved",
                                  done_on=tomorrow)
    assert messages(milestone) == [("done_on", "error", f"the done date {tomorrow} is in the future (today is "
                                                        f"{TODAY})")]
    assert messages(milestone.replace(done_on=TODAY)) == []
    activity = ActivityProgress(arrangement="TW-NOR-0001", activity=1, quarter="2026-Q3", state="done",
                                done_on=tomorrow)
    assert [m[:2] for m in messages(activity)] == [("done_on", "error")]


def test_the_vocabularies_and_what_goes_together() -> None:
    assert messages(ObjectiveProgress(arrangement="TW-NOR-0001", objective=1, quarter="2026-Q3", status="late")) \
        == [("status", "error", "'late' is not one of: on track, delayed, achieved, dropped")]
    assert messages(ActivityProgress(arrangement="TW-NOR-0001", activity=1, quarter="2026-Q3", state="finished")) \
        == [("state", "error", "'finished' is not one of: not started, in progress, done, dropped")]
    assert messages(ActivityProgress(arrangement="TW-NOR-0001", activity=1, quarter="2026-Q3", state="done")) == [
        ("done_on", "warning", "give the day the activity was done")]
    assert messages(ActivityProgress(arrangement="TW-NOR-0001", activity=1, quarter="2026-Q3", state="in progress",
                                     done_on=TODAY)) == [
        ("state", "warning", "a done date goes with the state done, not in progress")]
    assert messages(ObjectiveProgress(arrangement="TW-NOR-0001", objective=1, quarter="2026-Q3", status="delayed",
                                      done_on=TODAY)) == [
        ("status", "warning", "a done date goes with the status achieved, not delayed")]
    assert messages(Spending(arrangement="TW-NOR-0001", quarter="2026-Q3", spent=100)) == [
        ("currency", "warning", "give the currency of the amount spent")]
    assert [m[:2] for m in messages(Spending(arrangement="TW-NOR-0001", quarter="2026-Q3", spent=-1,
                                             currency="NOK"))] == [("spent", "error")]
    assert [m[:2] for m in messages(ObjectiveProgress(arrangement="TW-NOR-0001", objective=1, quarter="2026Q5"))] \
        == [("quarter", "error")]


def reported(arrangement_id: str) -> list:
    return [ObjectiveProgress(arrangement=arrangement_id, objective=1, quarter="2026-Q3", value=2),
            ActivityProgress(arrangement=arrangement_id, activity=1, quarter="2026-Q3", state="in progress"),
            Spending(arrangement=arrangement_id, quarter="2026-Q3", spent=1000, currency="NOK")]


def test_the_store_keeps_them_as_the_arrangements_children_and_deletes_them_with_it(store: Store) -> None:
    arrangement = store.save(Arrangement(reporting_state="NOR", title="Exchange"), "test")
    for record in reported(arrangement.id):
        store.save(record, "test")
    assert [r.id for r in store.children(ObjectiveProgress, arrangement.id)] == ["O1-2026-Q3"]
    assert store.require(Spending, f"{arrangement.id}/S-2026-Q3").spent == 1000
    # The same quarter again is the same record: a second report updates it.
    again = store.require(ObjectiveProgress, f"{arrangement.id}/O1-2026-Q3")
    store.save(again.replace(value=3), "test")
    assert store.require(ObjectiveProgress, f"{arrangement.id}/O1-2026-Q3").rev == 2
    with pytest.raises(ValidationError, match="there is no arrangement 'TW-SWE-0009'"):
        store.save(ObjectiveProgress(arrangement="TW-SWE-0009", objective=1, quarter="2026-Q3"), "test")
    assert check_store(store.path).ok
    store.delete(store.require(Arrangement, arrangement.id), "test")
    assert all(store.count(cls) == 0 for cls in (ObjectiveProgress, ActivityProgress, Spending))
    deleted = {e.table for e in store.history() if e.action == "delete"}
    assert deleted == {"arrangements", "objective_progress", "activity_progress", "spending"}
    assert check_store(store.path).ok


def test_a_focal_point_reports_progress_for_their_states_arrangements_only(shared: Path) -> None:
    nor = as_user(shared, "nor-fp")
    for record in reported("TW-NOR-0001"):
        nor.save(record, "test")
    for record in reported("TW-SWE-0001"):
        with pytest.raises(AccessError, match=r"nor-fp may not change (objective progress|activity progress|spending) "
                                              rf"TW-SWE-0001/{record.id} of SWE: .* does not answer for SWE"):
            nor.save(record, "test")
    reader = as_user(shared, "reader")
    with pytest.raises(AccessError, match="read-only"):
        reader.save(reader.require(Spending, "TW-NOR-0001/S-2026-Q3").replace(spent=5), "test")
