"""What the screens ask of progress: each arrangement's standing (the Register's marker and facet), one
arrangement's progress (its record's panel) and which states reported progress for a quarter (Returns)."""

from __future__ import annotations

import datetime as dt

from twintui.core.demo.synthetic import TODAY
from twintui.core.model import Arrangement
from twintui.core.model.progress import ActivityProgress, ObjectiveProgress, Spending
from twintui.core.mou.model import Memorandum, Objective, Sections
from twintui.core.progress import assess
from twintui.core.progress.assess import assess_one
from twintui.core.progress.standing import NO_OBJECTIVES, Standing, progress_reported, standings
from twintui.core.store import Store

D = dt.date


def test_the_demo_standings_mark_canada_behind_and_not_norway(demo_store: Store) -> None:
    found = standings(demo_store, TODAY)
    assert set(found) == {"TW-CAN-0001", "TW-NOR-0001"}
    canada, norway = found["TW-CAN-0001"], found["TW-NOR-0001"]
    # Each verdict once, in the rule's order (VERDICTS).
    assert canada.verdicts == ("achieved", "on track", "off track", "late") and canada.behind
    assert norway.verdicts == ("at risk", "not enough data", "free text") and not norway.behind
    assert canada.facet() == canada.verdicts and Standing(()).facet() == (NO_OBJECTIVES,)


def test_behind_is_an_objective_off_track_or_a_milestone_late() -> None:
    assert Standing(("off track",)).behind and Standing(("late",)).behind
    for verdict in ("at risk", "done late", "due", "dropped", "not enough data", "achieved"):
        assert not Standing((verdict,)).behind, verdict


def test_one_arrangements_progress_is_what_the_whole_assessment_says(demo_store: Store) -> None:
    for key in ("TW-CAN-0001", "TW-NOR-0001"):
        mine = assess_one(demo_store, key, TODAY)
        whole = next(a for a in assess(demo_store, as_of=TODAY) if a.id == key)
        assert mine is not None and mine.id == key and mine.mou == whole.mou
        assert [o.to_json() for o in mine.objectives] == [o.to_json() for o in whole.objectives]
        assert [s.to_json() for s in mine.activities] == [s.to_json() for s in whole.activities]
        assert mine.spending == whole.spending
    without = next(d["id"] for d in demo_store.docs(Arrangement) if d["reporting_state"] not in ("CAN", "NOR"))
    assert assess_one(demo_store, without, TODAY) is None  # no MoU, nothing reported
    assert assess_one(demo_store, "TW-XXX-9999", TODAY) is None


def test_the_demo_states_that_reported_progress_for_the_quarter(demo_store: Store) -> None:
    found = progress_reported(demo_store, [("CAN", "2026-Q3"), ("NOR", "2026-Q3"), ("NOR", "2026-Q2"),
                                           ("FIN", "2026-Q3")])
    assert found[("CAN", "2026-Q3")].reported == ("TW-CAN-0001",) and found[("CAN", "2026-Q3")].status == "reported"
    # Norway's last return with progress was 2026-Q2: 2026-Q3 is missing.
    assert found[("NOR", "2026-Q3")].missing == ("TW-NOR-0001",) and found[("NOR", "2026-Q3")].status == "missing"
    assert found[("NOR", "2026-Q2")].status == "reported"
    # Finland's arrangement has no MoU: no progress is owed.
    assert found[("FIN", "2026-Q3")].expected == () and found[("FIN", "2026-Q3")].status == "none owed"
    assert found[("NOR", "2026-Q3")].cell() == "missing" and found[("FIN", "2026-Q3")].cell() == ""


def _arrangement(store: Store, title: str, status: str = "active", start: dt.date = D(2026, 1, 1),
                 mou: bool = True) -> str:
    a = store.save(Arrangement(reporting_state="SWE", title=title, status=status, start=start,
                               end=D(2027, 12, 31)), "test")
    if mou:
        memo = Memorandum(id="MOU-1", arrangement=a.id, version=1, status="draft")
        store.save(memo.with_sections(Sections(objectives=[Objective(text="x", kind="number", baseline=0,
                                                                    target_value=10, target_date=D(2027, 6, 30))])),
                   "test")
    return a.id


def test_any_progress_record_of_the_quarter_counts_and_only_arrangements_that_ran_in_it(store: Store) -> None:
    by_value = _arrangement(store, "values")
    by_spending = _arrangement(store, "spending")
    by_plan = _arrangement(store, "plan")
    silent = _arrangement(store, "silent")
    _arrangement(store, "later", start=D(2026, 10, 1))  # did not run in 2026-Q3
    _arrangement(store, "cancelled", status="cancelled")
    _arrangement(store, "without an MoU", mou=False)
    store.save(ObjectiveProgress(arrangement=by_value, objective=1, quarter="2026-Q3", value=3), "test")
    store.save(ObjectiveProgress(arrangement=silent, objective=1, quarter="2026-Q2", value=2), "test")  # not Q3
    store.save(Spending(arrangement=by_spending, quarter="2026-Q3", spent=10), "test")
    store.save(ActivityProgress(arrangement=by_plan, activity=1, quarter="2026-Q3", state="done",
                                done_on=D(2026, 8, 1)), "test")
    found = progress_reported(store, [("SWE", "2026-Q3")])[("SWE", "2026-Q3")]
    assert found.expected == tuple(sorted((by_value, by_spending, by_plan, silent)))
    assert found.missing == (silent,) and found.status == "partly" and found.cell() == "3 of 4"
    assert progress_reported(store, [("SWE", "2026-Q1")])[("SWE", "2026-Q1")].status == "missing"
