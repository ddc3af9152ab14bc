"""The SMART rules, one by one: each passing and failing, with the reason the user sees."""

from __future__ import annotations

import datetime as dt

import pytest

from twintui.core.mou import smart
from twintui.core.mou.model import Funding, Objective, Role, Sections

D = dt.date


def sections(**changes) -> Sections:
    base = Sections(start=D(2025, 1, 1), end=D(2027, 12, 31),
                    roles=[Role(party="Norwegian Directorate of Immigration (UDI)", person="Ingrid Hansen",
                                responsibility="coordination", overall=True)],
                    funding=Funding(source="national budget", amount=100_000, currency="NOK"))
    for key, value in changes.items():
        setattr(base, key, value)
    return base


def verdict(rule: str, objective: Objective, s: Sections | None = None) -> smart.Verdict:
    return smart.CHECKS[rule](objective, s or sections())


# -- Specific ------------------------------------------------------------------------------
@pytest.mark.parametrize("text", [
    "Improve cooperation",
    "Strengthen capacity",
    "Enhance the mutual understanding between partners",
    "Support and develop better relations",
    "strengthening resettlement capacity",
])
def test_specific_fails_on_general_aims(text: str) -> None:
    result = verdict("specific", Objective(text=text))
    assert not result.ok
    assert "general aim" in result.reason and result.short == "only a general aim"


@pytest.mark.parametrize("text", [
    "Each of the five states runs one selection mission with Norwegian shadowing",
    "Train 20 caseworkers in dossier selection",
    "Improve the cultural orientation given on arrival in Paraguay",
])
def test_specific_passes_when_it_names_what_changes(text: str) -> None:
    result = verdict("specific", Objective(text=text))
    assert result.ok, result.reason
    assert result.reason.startswith("names what will change")


def test_specific_fails_without_text() -> None:
    assert verdict("specific", Objective(text="  ")).reason.startswith("the objective has no text")


# -- Measurable ----------------------------------------------------------------------------
def test_measurable_passes_with_indicator_and_target() -> None:
    result = verdict("measurable", Objective(text="Set up a network", indicator="meetings held", target="8"))
    assert result.ok and "indicator 'meetings held' with target '8'" in result.reason


@pytest.mark.parametrize("objective", [
    Objective(text="Train 20 caseworkers"),
    Objective(text="Raise the share of dossiers decided in time to 80%"),
    Objective(text="Each state runs one selection mission"),
    Objective(text="Train caseworkers", target="25 caseworkers"),
])
def test_measurable_passes_with_a_number_or_percentage(objective: Objective) -> None:
    assert verdict("measurable", objective).ok


def test_measurable_fails_on_an_indicator_without_target() -> None:
    result = verdict("measurable", Objective(text="Train caseworkers", indicator="caseworkers trained"))
    assert not result.ok and "has no target" in result.reason


@pytest.mark.parametrize("text", ["Improve cooperation", "Adopt an integration plan by the end of 2027",
                                  "Write the policy paper by 2026-06-30", "Set up the programme within 18 months"])
def test_measurable_fails_without_a_measure_and_years_do_not_count(text: str) -> None:
    result = verdict("measurable", Objective(text=text))
    assert not result.ok
    assert result.reason.startswith("no number, percentage or indicator with a target")


# -- Achievable ----------------------------------------------------------------------------
@pytest.mark.parametrize("owner", ["Ingrid Hansen", "ingrid hansen", "UDI",
                                   "Norwegian Directorate of Immigration (UDI)"])
def test_achievable_passes_with_an_owner_from_the_roles(owner: str) -> None:
    result = verdict("achievable", Objective(text="x", owner=owner))
    assert result.ok and "4 Roles and responsibilities" in result.reason


def test_achievable_fails_without_owner_or_with_a_stranger() -> None:
    assert verdict("achievable", Objective(text="x")).short == "no owner"
    stranger = verdict("achievable", Objective(text="x", owner="Ministry of Finance"))
    assert not stranger.ok and "is not in 4 Roles and responsibilities" in stranger.reason
    assert "Ingrid Hansen" in stranger.reason  # the names to choose from
    nobody = verdict("achievable", Objective(text="x", owner="UDI"), sections(roles=[]))
    assert not nobody.ok and nobody.short == "no roles yet"


# -- Realistic -----------------------------------------------------------------------------
def test_realistic_passes_with_funds_commitment_or_a_note() -> None:
    assert verdict("realistic", Objective(text="x")).reason.startswith("funded in 7 Funding arrangements")
    committed = sections(funding=Funding(committed=True))
    assert verdict("realistic", Objective(text="x"), committed).ok
    noted = sections(funding=Funding(note="Staff time only; no travel"))
    assert "explains" in verdict("realistic", Objective(text="x"), noted).reason
    own = sections(funding=Funding())
    assert verdict("realistic", Objective(text="x", resources="two officials, 10 days"), own).ok


def test_realistic_fails_without_resources() -> None:
    result = verdict("realistic", Objective(text="x"), sections(funding=Funding(source="ERF")))  # no amount
    assert not result.ok and result.reason.startswith("no resources")


# -- Time-bound ----------------------------------------------------------------------------
@pytest.mark.parametrize("due,text", [
    ("2027-06-30", "x"), ("2027-Q2", "x"), ("Q4 2027", "x"), ("30/06/2026", "x"), ("2026", "x"),
    ("", "adopt an integration plan by the end of 2027"), ("", "by March 2026"), ("", "in 2026-Q3"),
    ("", "set up the programme within 18 months"),
])
def test_time_bound_passes_within_the_period(due: str, text: str) -> None:
    result = verdict("time_bound", Objective(text=text, due=due))
    assert result.ok, result.reason
    assert "within the MoU period (2025-01-01 to 2027-12-31)" in result.reason


def test_time_bound_fails_without_date_outside_the_period_or_on_nonsense() -> None:
    assert verdict("time_bound", Objective(text="Improve cooperation")).short == "no date"
    late = verdict("time_bound", Objective(text="x", due="2028-Q1"))
    assert not late.ok and "after the MoU ends (2027-12-31)" in late.reason
    early = verdict("time_bound", Objective(text="x", due="2024-12-31"))
    assert not early.ok and "before the MoU starts" in early.reason
    bad = verdict("time_bound", Objective(text="x", due="soon"))
    assert not bad.ok and "not a date or a quarter" in bad.reason
    no_period = verdict("time_bound", Objective(text="x", due="2026-01-01"), sections(start=None, end=None))
    assert not no_period.ok and no_period.short == "no MoU period"


# -- together --------------------------------------------------------------------------------
def test_review_of_the_weak_and_the_good_objective() -> None:
    s = sections(objectives=[
        Objective(text="Each of the five states runs one selection mission with shadowing",
                  indicator="missions", target="5", due="2027-06-30", owner="UDI"),
        Objective(text="Improve cooperation"),
    ])
    good, weak = smart.review(s)
    assert good.ok and good.letters() == "S M A R T"
    assert not weak.ok and weak.letters() == "- - - R -"
    assert [r.key for r in weak.failed()] == ["specific", "measurable", "achievable", "time_bound"]
    shape = weak.to_json()
    assert list(shape) == ["objective", "specific", "measurable", "achievable", "realistic", "time_bound"]
    assert shape["objective"] == "Improve cooperation"
    assert shape["realistic"] == {"ok": True,
                                  "reason": "funded in 7 Funding arrangements: 'national budget, NOK 100,000'"}
    assert shape["specific"]["ok"] is False and "general aim" in shape["specific"]["reason"]


def test_the_rules_wording_is_in_the_help() -> None:
    """The help says how each letter is checked, in the words the checks use (written out here, not from RULES)."""
    lines = smart.help_text().splitlines()
    assert lines[0] == "SMART review: each objective against five rules."
    assert [line.split(":", 1)[0] for line in lines[1:]] == [
        "S Specific", "M Measurable", "A Achievable", "R Realistic", "T Time-bound"]
    text = "\n".join(lines)
    for words in ("general verbs (strengthen, enhance, improve, support, develop, promote, ...)",
                  "a number or a percentage ('five states', '80%')", "A year or a date is not a measure",
                  "an owner who is named in section 4", "Section 7 names a source with an amount",
                  "a due date or quarter (2027-06-30, 2027-Q2)", "within the MoU period of section 2"):
        assert words in text, words
