"""Deltas as shapes: states, what a delta carries, and applying one (pure: no service)."""

from __future__ import annotations

import copy

import orjson
import pytest

from twintui.core.errors import StoreError
from twintui.core.model import Arrangement
from twintui.core.store.journal import Changes
from twintui.service import delta


def doc(number: int, title: str) -> dict[str, object]:
    return Arrangement(id=f"TW-NOR-{number:04d}", rev=1, reporting_state="NOR", title=title,
                       status="planned").to_doc()


def test_states_name_a_run_and_a_generation_and_another_run_is_always_behind() -> None:
    assert delta.parse(delta.etag(delta.state("a1b2", 7))) == ("a1b2", 7)
    assert delta.parse("a-b-12") == ("a-b", 12)
    for bad in ("", "7", "run-", "run-x", '"run"', None):
        assert delta.parse(bad) is None
    assert delta.behind("r-3", "r-4") and not delta.behind("r-4", "r-4") and not delta.behind("r-5", "r-4")
    assert delta.behind("old-9", "new-1") and delta.behind("", "r-1")


def test_a_delta_carries_changed_and_deleted_documents_by_table_and_the_changed_counters() -> None:
    changes = Changes({("arrangements", "2"): doc(2, "Two"), ("arrangements", "1"): None, ("risks", "4"): None},
                      {"app": "twintui", "txn": 9}, {"TW-NOR": 2})
    reply = orjson.loads(orjson.dumps(delta.delta_json("r-3", "r-5", changes)))
    assert reply == {"since": "r-3", "state": "r-5", "header": {"app": "twintui", "txn": 9},
                     "counters": {"TW-NOR": 2}, "tables": {"arrangements": {"2": doc(2, "Two")}},
                     "deleted": {"arrangements": ["1"], "risks": ["4"]}}


def test_applying_a_delta_makes_new_tables_and_leaves_the_old_state_whole() -> None:
    header = {"app": "twintui", "txn": 4, "counters": {"TW-NOR": 2, "P@TW-NOR-0001": 1}}
    tables = {"arrangements": {"1": doc(1, "One"), "2": doc(2, "Two")}, "partners": {}}
    before = copy.deepcopy((header, tables))
    reply = {"since": "r-1", "state": "r-2", "header": {"app": "twintui", "txn": 5}, "counters": {"TW-NOR": 3},
             "tables": {"arrangements": {"3": doc(3, "Three"), "1": doc(1, "One, edited")}},
             "deleted": {"arrangements": ["2"]}}
    new_header, new_tables = delta.applied(header, tables, reply, "SOCK")
    assert (header, tables) == before  # a reader holding these still sees the old state whole
    assert new_header == {"app": "twintui", "txn": 5, "counters": {"TW-NOR": 3, "P@TW-NOR-0001": 1}}
    assert new_tables == {"arrangements": {"1": doc(1, "One, edited"), "3": doc(3, "Three")}, "partners": {}}
    assert new_tables["partners"] is tables["partners"]  # what did not change is not copied
    # No commit since: the header stays as it is.
    same = {**reply, "header": None, "counters": {}, "tables": {}, "deleted": {}}
    assert delta.applied(header, tables, same, "SOCK") == (header, tables)


@pytest.mark.parametrize(("reply", "said"), [
    ({"tables": {}}, "sent a delta this twintui cannot read"),
    ({"tables": [], "deleted": {}, "counters": {}, "header": None}, "sent a delta this twintui cannot read"),
    ({"tables": {"arrangements": {"1": {"id": 7}}}, "deleted": {}, "counters": {}, "header": None},
     "sent a damaged delta: arrangements document 1"),
    ({"tables": {}, "deleted": {"risks": "4"}, "counters": {}, "header": None}, "sent a damaged delta"),
    ({"tables": {}, "deleted": {}, "counters": {"TW-NOR": "x"}, "header": {"txn": 1}},
     "sent a damaged delta: header, field counters, TW-NOR"),
])
def test_a_delta_that_is_not_one_or_is_damaged_is_refused_in_one_line(reply: dict[str, object], said: str) -> None:
    with pytest.raises(StoreError, match="the store service at SOCK " + said):
        delta.applied({}, {}, reply, "SOCK")
