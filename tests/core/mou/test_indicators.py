"""Indicators that can be counted: an objective's kind (text, number, milestone), as stored and as SMART reviews it."""

from __future__ import annotations

import datetime as dt

import pytest

from twintui.core.mou import smart
from twintui.core.mou.model import Memorandum, Objective, Role, Sections

D = dt.date


def sections(**changes) -> Sections:
    base = Sections(start=D(2025, 1, 1), end=D(2027, 12, 31),
                    roles=[Role(party="UDI", person="Ingrid Hansen", overall=True)])
    for key, value in changes.items():
        setattr(base, key, value)
    return base


MISSIONS = Objective(text="Each state runs one selection mission with shadowing", indicator="missions run",
                     kind="number", unit="missions", baseline=0, target_value=5, due="2027-Q2")


def test_a_number_and_a_milestone_are_stored_and_read_back_as_they_were() -> None:
    milestone = Objective(text="Publish the practice notes", kind="milestone", target_date=D(2026, 6, 30))
    stored = Sections(objectives=[MISSIONS, milestone]).to_fields()
    assert stored["objectives"]["objectives"][0] == {
        "text": MISSIONS.text, "indicator": "missions run", "target": "", "due": "2027-Q2", "owner": "",
        "resources": "", "kind": "number", "unit": "missions", "baseline": 0, "target_value": 5, "target_date": None}
    assert stored["objectives"]["objectives"][1]["target_date"] == "2026-06-30"
    again = Sections.from_fields(stored).objectives
    assert again == [MISSIONS, milestone]


def test_an_objective_stored_before_there_were_kinds_is_a_text_indicator_with_its_words() -> None:
    old = {"text": "Train caseworkers", "indicator": "caseworkers trained", "target": "25", "due": "2026-Q4",
           "owner": "UDI", "resources": ""}
    objective = Sections.from_fields({"objectives": {"objectives": [old]}}).objectives[0]
    assert objective.kind == "text" and objective.target == "25" and objective.target_value is None
    assert objective.target_text() == "25"


def test_the_target_date_is_the_due_date_unless_the_indicator_has_its_own() -> None:
    assert MISSIONS.by == D(2027, 6, 30)  # the quarter's last day
    assert Objective(due="2026").by == D(2026, 12, 31)
    assert Objective(due="2027-Q2", target_date=D(2026, 3, 31)).by == D(2026, 3, 31)
    assert Objective(due="soon").by is None


def test_a_target_below_its_baseline_is_a_falling_indicator() -> None:
    days = Objective(kind="number", unit="days", baseline=90, target_value=30)
    assert days.falling and not MISSIONS.falling
    assert Objective(kind="number", target_value=-1).falling  # a blank baseline counts as 0
    assert not Objective(kind="text", target="fewer").falling


def test_the_target_as_a_document_writes_it() -> None:
    assert MISSIONS.target_text() == "5 missions (baseline 0)"
    assert Objective(kind="number", target_value=1200.5, target_date=D(2026, 6, 30)).target_text() == \
        "1,200.5 by 2026-06-30"
    assert Objective(kind="milestone", target_date=D(2026, 6, 30)).target_text() == "done by 2026-06-30"


def test_an_unknown_kind_in_a_stored_memorandum_is_a_problem() -> None:
    memo = Memorandum(id="MOU-1", arrangement="TW-NOR-0001", version=1,
                      objectives={"objectives": [{"text": "x", "kind": "guess"}]})
    assert [p.message for p in memo.problems()] == [
        "objective 1: the indicator kind 'guess' is not one of text, number, milestone"]
    assert memo.sections().objectives[0].kind == "text"  # read leniently meanwhile


# -- the SMART review ----------------------------------------------------------------------
def test_measurable_passes_with_a_numeric_target() -> None:
    result = smart.measurable(MISSIONS, sections())
    assert result.ok and result.reason == "indicator 'missions run' counted from 0 to '5 missions (baseline 0)'"


def test_measurable_fails_on_a_number_without_its_target_value_whatever_the_text_says() -> None:
    counted = Objective(text="Train 20 caseworkers", kind="number", indicator="caseworkers trained", target="20")
    result = smart.measurable(counted, sections())
    assert not result.ok and result.short == "number without target"
    assert "'caseworkers trained' has no target value" in result.reason
    # The same words as a text indicator pass, as they always did.
    assert smart.measurable(Objective(text="Train 20 caseworkers", indicator="caseworkers trained",
                                      target="20"), sections()).ok


@pytest.mark.parametrize("objective", [
    Objective(text="Publish the notes", kind="milestone", target_date=D(2026, 6, 30)),
    Objective(text="Publish the notes", kind="milestone", due="2026-Q2"),
])
def test_measurable_passes_with_a_dated_milestone(objective: Objective) -> None:
    result = smart.measurable(objective, sections())
    assert result.ok and result.reason == "milestone 'Publish the notes' done or not by 2026-06-30"


def test_measurable_fails_on_a_milestone_without_a_date() -> None:
    result = smart.measurable(Objective(text="Publish the notes by the end of 2026", kind="milestone"), sections())
    assert not result.ok and result.short == "milestone without date"


def test_time_bound_takes_the_indicators_target_date_when_there_is_no_due_date() -> None:
    objective = Objective(text="Publish the notes", kind="milestone", target_date=D(2026, 6, 30))
    result = smart.time_bound(objective, sections())
    assert result.ok and result.reason.startswith("target date 2026-06-30, within the MoU period")
    late = smart.time_bound(Objective(kind="number", target_value=5, target_date=D(2028, 6, 30)), sections())
    assert not late.ok and late.short == "after the MoU ends"
    # With a due date too, the target date must be inside the period as well.
    both = Objective(kind="number", target_value=5, due="2027-Q2", target_date=D(2028, 1, 31))
    outside = smart.time_bound(both, sections())
    assert not outside.ok and outside.short == "target date outside the MoU"
    assert smart.time_bound(Objective(kind="text", due="2027-Q2", target_date=D(2028, 1, 31)), sections()).ok


def test_a_counted_objective_passes_every_rule() -> None:
    objective = Objective(text="Each state runs one selection mission with shadowing", kind="number",
                          indicator="missions run", baseline=0, target_value=5, due="2027-Q2", owner="UDI",
                          resources="mission travel from the national budget")
    assert smart.review_one(objective, sections()).letters() == "S M A R T"
