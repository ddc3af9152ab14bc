"""The risk register: bands, heat map counts, overdue reviews, filters and summaries."""

from __future__ import annotations

import datetime as dt

import pytest

from twintui.core.model import Arrangement, Risk
from twintui.core.risks import RiskFilter, RiskRegister
from twintui.core.store import Store

TODAY = dt.date(2026, 11, 20)


@pytest.fixture
def register(store: Store) -> RiskRegister:
    with store.transaction("test") as tx:
        norway = Arrangement(reporting_state="NOR", title="Selection missions", status="active")
        canada = Arrangement(reporting_state="CAN", title="Integration practice", status="active")
        tx.save(norway)
        tx.save(canada)
        for parent, kwargs in [
            (norway, dict(description="Budget cut", category="budget", likelihood=3, impact=5, owner="Ingrid",
                          next_review=dt.date(2026, 9, 30))),
            (norway, dict(description="Poor communication", category="communication", likelihood=4, impact=3,
                          residual_likelihood=2, residual_impact=2, owner="Ingrid",
                          next_review=dt.date(2027, 1, 31))),
            (canada, dict(description="Unclear roles", category="roles and responsibilities", likelihood=1,
                          impact=2, residual_likelihood=2, residual_impact=3, owner="Marie",
                          next_review=dt.date(2026, 11, 19))),
            (canada, dict(description="Staff turnover", category="staffing", likelihood=5, impact=5,
                          owner="", status="closed", next_review=dt.date(2020, 1, 1))),
        ]:
            tx.save(Risk(**kwargs), parent=parent)
    return RiskRegister.from_store(store, TODAY)


def descriptions(rows) -> list[str]:  # noqa: ANN001
    return [row.risk.description for row in rows]


def test_open_risks_by_score_worst_first(register: RiskRegister) -> None:
    assert descriptions(register.query(RiskFilter())) == ["Budget cut", "Poor communication", "Unclear roles"]
    assert len(register.query(RiskFilter(include_closed=True))) == 4


def test_bands_and_the_heat_map(register: RiskRegister) -> None:
    rows = register.query(RiskFilter())
    assert [row.band() for row in rows] == ["critical", "high", "low"]
    assert register.heat(RiskFilter()) == {(3, 5): 1, (4, 3): 1, (1, 2): 1}
    # Residual: a risk without residual scores is not on the map.
    assert register.heat(RiskFilter(residual=True)) == {(2, 2): 1, (2, 3): 1}


def test_a_cell_filters_the_list_but_not_the_map(register: RiskRegister) -> None:
    chosen = RiskFilter(cell=(4, 3))
    assert descriptions(register.query(chosen)) == ["Poor communication"]
    assert sum(register.heat(chosen).values()) == 3


def test_overdue_reviews_and_their_owners(register: RiskRegister) -> None:
    overdue = register.query(RiskFilter(overdue_only=True))
    assert descriptions(overdue) == ["Budget cut", "Unclear roles"]
    summary = register.summary(register.query(RiskFilter()))
    assert summary.overdue == 2
    assert summary.overdue_owners == {"Ingrid": 1, "Marie": 1}
    # A closed risk is never overdue, whatever its date.
    closed = [row for row in register.rows if row.risk.status == "closed"]
    assert not closed[0].overdue


def test_residual_above_inherent_is_flagged(register: RiskRegister) -> None:
    rows = {row.risk.description: row for row in register.rows}
    assert rows["Unclear roles"].worse_after_mitigation
    assert rows["Unclear roles"].cell("rating") == "L  2↑"
    assert not rows["Poor communication"].worse_after_mitigation
    assert register.summary(register.query(RiskFilter())).worse_after_mitigation == 1


def test_facets_count_with_the_other_choices(register: RiskRegister) -> None:
    counts = register.facet_values(RiskFilter(states=frozenset({"NOR"})))
    assert counts["states"] == {"NOR": 2, "CAN": 1}  # its own facet ignores its own choice
    assert counts["owners"] == {"Ingrid": 2}
    assert counts["bands"] == {"critical": 1, "high": 1}
    only_marie = register.query(RiskFilter(owners=frozenset({"Marie"})))
    assert descriptions(only_marie) == ["Unclear roles"]


def test_text_filter_and_sorting(register: RiskRegister) -> None:
    assert descriptions(register.query(RiskFilter(text="integration"))) == ["Unclear roles"]
    by_review = register.query(RiskFilter(), sort="next_review", descending=False)
    assert descriptions(by_review) == ["Budget cut", "Unclear roles", "Poor communication"]


def test_summary_line(register: RiskRegister) -> None:
    assert register.summary(register.query(RiskFilter())).line() == "3 risks: 1 critical · 1 high · 0 medium · 1 low"
