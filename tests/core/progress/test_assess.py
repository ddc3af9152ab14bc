"""Progress read from a store: the MoU in force, its objectives' values, the plan, the spending; the demo's verdicts."""

from __future__ import annotations

import datetime as dt

from twintui.core.demo.synthetic import TODAY
from twintui.core.model import Arrangement
from twintui.core.model.progress import ActivityProgress, ObjectiveProgress, Spending
from twintui.core.mou import versions
from twintui.core.mou.model import Activity, Funding, Memorandum, Objective, Sections
from twintui.core.progress import assess
from twintui.core.store import Store

D = dt.date


def test_the_demo_shows_every_verdict_as_of_its_pinned_today(demo_store: Store) -> None:
    found = assess(demo_store, as_of=TODAY)
    assert [a.id for a in found] == ["TW-CAN-0001", "TW-NOR-0001"]
    verdicts = {(o.arrangement, o.number): o.verdict for a in found for o in a.objectives}
    assert verdicts == {
        ("TW-CAN-0001", 1): "off track", ("TW-CAN-0001", 2): "achieved", ("TW-CAN-0001", 3): "on track",
        ("TW-CAN-0001", 4): "late", ("TW-NOR-0001", 1): "at risk", ("TW-NOR-0001", 2): "not enough data",
        ("TW-NOR-0001", 3): "free text"}
    canada, norway = found
    assert canada.mou == "version 1 (agreed)" and norway.mou == "version 1 (draft)"
    # The README's worked example.
    example = canada.objectives[0]
    assert [(r.quarter, r.value) for r in example.values] == [("2025-Q4", 4), ("2026-Q1", 4), ("2026-Q2", 5),
                                                              ("2026-Q3", 5)]
    assert round(example.outlook.projection.value, 2) == 5.51 and example.outlook.projection.reaches == D(2028, 7, 21)
    assert canada.spending.text() == ("CAD 190,000 of 250,000 spent (76%) by 2026-09-30, 68% of the period gone: burn "
                                      "rate 1.11, funds spent by 2027-08-08 at this pace")
    assert [s.number for s in canada.activities if s.late] == [5]
    assert norway.spending.rate < 1 and not any(s.late for s in norway.activities)
    # The same demo, the same answer (every date in it is fixed).
    assert [o.to_json() for a in assess(demo_store, as_of=TODAY) for o in a.objectives] == \
        [o.to_json() for a in found for o in a.objectives]


def test_the_state_and_the_day_of_the_verdicts(demo_store: Store) -> None:
    assert [a.id for a in assess(demo_store, "NOR", TODAY)] == ["TW-NOR-0001"]
    assert assess(demo_store, "SWE", TODAY) == []
    # As of the end of 2026-Q2 the third quarter's values are not in yet (a return comes after its quarter).
    earlier = assess(demo_store, "CAN", D(2026, 6, 30))[0].objectives[0]
    assert [r.quarter for r in earlier.values] == ["2025-Q4", "2026-Q1", "2026-Q2"]
    assert assess(demo_store, "CAN", D(2026, 6, 30))[0].objectives[3].verdict == "due"


def arrangement_with(store: Store, *memos: tuple[int, str, list[Objective]]) -> Arrangement:
    arrangement = store.save(Arrangement(reporting_state="SWE", title="Exchange", funding_amount=1000,
                                         currency="SEK", start=D(2026, 1, 1), end=D(2026, 12, 31)), "test")
    for version, status, objectives in memos:
        memo = Memorandum(id=f"MOU-{version}", arrangement=arrangement.id, version=version, status=status,
                          signed_on=D(2026, 1, 5) if status == "signed" else None)
        store.save(memo.with_sections(Sections(objectives=objectives)), "test")
    return arrangement


def test_the_mou_in_force_is_the_latest_signed_else_the_latest(store: Store) -> None:
    signed = [Objective(text="signed one", kind="number", target_value=4, due="2026-Q4")]
    draft = [Objective(text="draft one"), Objective(text="draft two")]
    arrangement = arrangement_with(store, (1, "signed", signed), (2, "draft", draft))
    [found] = assess(store, as_of=TODAY)
    assert found.mou == "version 1 (signed)" and [o.objective.text for o in found.objectives] == ["signed one"]
    latest = versions.latest(store, arrangement.id)
    store.delete(versions.versions_of(store, arrangement.id)[0], "test")
    assert latest.version == 2
    [found] = assess(store, as_of=TODAY)
    assert found.mou == "version 2 (draft)" and len(found.objectives) == 2


def test_values_belong_to_the_objective_of_their_number_and_a_dropped_one_says_so(store: Store) -> None:
    objectives = [Objective(text="a", kind="number", baseline=0, target_value=10, due="2026-Q4"),
                  Objective(text="b", kind="number", baseline=0, target_value=10, due="2026-Q4")]
    arrangement = arrangement_with(store, (1, "agreed", objectives))
    for quarter, value in (("2026-Q1", 2), ("2026-Q2", 4)):
        store.save(ObjectiveProgress(arrangement=arrangement.id, objective=1, quarter=quarter, value=value), "test")
    store.save(ObjectiveProgress(arrangement=arrangement.id, objective=2, quarter="2026-Q1", value=1), "test")
    store.save(ObjectiveProgress(arrangement=arrangement.id, objective=2, quarter="2026-Q2", status="dropped",
                                 comment="The ministry merged it into objective 1"), "test")
    store.save(ObjectiveProgress(arrangement=arrangement.id, objective=7, quarter="2026-Q2", value=3), "test")
    [found] = assess(store, as_of=TODAY)
    first, second = found.objectives
    assert [(r.quarter, r.value) for r in first.values] == [("2026-Q1", 2), ("2026-Q2", 4)]
    assert first.verdict == "at risk"  # +2 a quarter: 10 in 2027-Q1
    assert second.verdict == "dropped"
    assert second.outlook.reason == "dropped in 2026-Q2: The ministry merged it into objective 1"
    assert len(found.objectives) == 2  # objective 7 is not in the MoU


def test_an_arrangement_without_an_mou_shows_its_spending_against_the_registers_funds(store: Store) -> None:
    arrangement = arrangement_with(store)
    plain = store.save(Arrangement(reporting_state="SWE", title="Nothing reported"), "test")
    store.save(Spending(arrangement=arrangement.id, quarter="2026-Q2", spent=600, currency="SEK"), "test")
    [found] = assess(store, as_of=TODAY)
    assert found.id == arrangement.id != plain.id and found.mou == "" and found.objectives == []
    # SEK 600 of 1,000 by 2026-06-30: 181 of 365 days gone, rate 0.6 / 0.4959 = 1.21; at 600/181 a day, 1,000 lasts
    # 301.7 days: its 301st day is 2026-10-28.
    assert found.spending.text() == "SEK 600 of 1,000 spent (60%) by 2026-06-30, 50% of the period gone: burn rate " \
                                    "1.21, funds spent by 2026-10-28 at this pace"


def test_the_plan_and_the_funds_come_from_the_mou_when_it_has_them(store: Store) -> None:
    arrangement = arrangement_with(store)
    sections = Sections(activities=[Activity("Study visit", "SWE", D(2026, 2, 1), D(2026, 2, 5), "Report")],
                        funding=Funding(source="ERF", amount=5000, currency="EUR", available_from=D(2026, 1, 1),
                                        available_until=D(2027, 12, 31)))
    store.save(Memorandum(id="MOU-1", arrangement=arrangement.id, version=1).with_sections(sections), "test")
    store.save(ActivityProgress(arrangement=arrangement.id, activity=1, quarter="2026-Q1", state="done",
                                done_on=D(2026, 2, 5)), "test")
    store.save(Spending(arrangement=arrangement.id, quarter="2026-Q1", spent=500, currency="EUR"), "test")
    [found] = assess(store, as_of=TODAY)
    assert [(s.state, s.done_on) for s in found.activities] == [("done", D(2026, 2, 5))]
    assert found.spending.amount == 5000 and found.spending.currency == "EUR"
    assert found.spending.end == D(2027, 12, 31)


def _said(found: list) -> str:
    """Everything an assessment says (its dataclasses' repr: every field, the objectives' values and verdicts)."""
    return repr(found)


def test_kept_verdicts_are_reused_only_where_nothing_changed(demo_store: Store) -> None:
    from twintui.core.progress.assess import Kept

    kept = Kept()
    first = assess(demo_store, None, TODAY, kept)
    assert kept.worked_out == len(first) > 1 and _said(first) == _said(assess(demo_store, None, TODAY))
    again = assess(demo_store, None, TODAY, kept)
    assert kept.worked_out == 0 and all(a is b for a, b in zip(again, first, strict=True))
    # One value changed: that arrangement alone is worked out again, and the answer is a fresh one's.
    value = next(p for p in demo_store.all(ObjectiveProgress)
                 if (p.arrangement, p.objective, p.quarter) == ("TW-CAN-0001", 1, "2026-Q3"))
    demo_store.save(value.replace(value=(value.value or 0) + 10), "test")
    changed = assess(demo_store, None, TODAY, kept)
    assert kept.worked_out == 1 and _said(changed) == _said(assess(demo_store, None, TODAY)) != _said(first)
    assert next(o for o in changed[0].objectives if o.number == 1).verdict == "achieved"
    # A value deleted, an arrangement's title changed: each is worked out again.
    demo_store.delete(demo_store.require(ObjectiveProgress, value.key), "test")
    norway = demo_store.require(Arrangement, "TW-NOR-0001")
    demo_store.save(norway.replace(title="Renamed"), "test")
    after = assess(demo_store, None, TODAY, kept)
    assert kept.worked_out == 2 and _said(after) == _said(assess(demo_store, None, TODAY))
    assert {a.id: a.title for a in after}["TW-NOR-0001"] == "Renamed"
    # A state's pass keeps the others; another day of the verdicts starts afresh.
    assert [a.id for a in assess(demo_store, "NOR", TODAY, kept)] == ["TW-NOR-0001"] and kept.worked_out == 0
    assess(demo_store, None, TODAY, kept)
    assert kept.worked_out == 0
    later = assess(demo_store, None, TODAY + dt.timedelta(days=200), kept)
    assert kept.worked_out == len(later) and _said(later) == _said(assess(demo_store, None,
                                                                           TODAY + dt.timedelta(days=200)))
