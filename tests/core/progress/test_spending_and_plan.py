"""The burn rate against the funding period, and the implementation plan as reported, computed by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from twintui.core.mou.parts import Activity
from twintui.core.progress import Reading, plan, spending

D = dt.date
PERIOD = (D(2025, 1, 1), D(2027, 12, 31))  # 1,095 days


def test_the_burn_rate_is_the_share_spent_over_the_share_of_the_period_gone() -> None:
    # NOK 1,200,000 of 3,500,000 by 2026-09-30: 34.29% spent; 2025-01-01 to 2026-09-30 is 365 + 273 = 638 days of
    # 1,095, 58.26%; rate 0.342857 × 1095/638 = 0.588446. At 1,200,000 / 638 a day the funds last 1,860 days: past the end.
    burn = spending.burn([Reading("2026-Q2", 900_000), Reading("2026-Q3", 1_200_000)], 3_500_000, "NOK", *PERIOD)
    assert burn.quarter == "2026-Q3" and burn.share_spent == pytest.approx(1_200_000 / 3_500_000)
    assert burn.share_elapsed == pytest.approx(638 / 1095)
    assert burn.rate == pytest.approx((1_200_000 / 3_500_000) / (638 / 1095))
    assert burn.runs_out is None
    assert burn.text() == "NOK 1,200,000 of 3,500,000 spent (34%) by 2026-09-30, 58% of the period gone: burn rate 0.59"
    assert burn.to_json() == {"quarter": "2026-Q3", "spent": 1_200_000, "amount": 3_500_000, "currency": "NOK",
                              "period": ["2025-01-01", "2027-12-31"], "share_spent": 0.3429, "share_elapsed": 0.5826,
                              "burn_rate": 0.5884, "runs_out": None}


def test_spending_ahead_of_the_period_says_when_the_funds_run_out() -> None:
    # 2,500,000 by 2025-12-31 (365 days): 6,849.3 a day; 3,500,000 lasts 511 days: the 511th day is 2026-05-26.
    burn = spending.burn([Reading("2025-Q4", 2_500_000)], 3_500_000, "NOK", *PERIOD)
    assert burn.rate == pytest.approx((2.5 / 3.5) / (365 / 1095))
    assert burn.runs_out == D(2025, 1, 1) + dt.timedelta(days=510) == D(2026, 5, 26)
    assert burn.text().endswith("burn rate 2.14, funds spent by 2026-05-26 at this pace")


def test_what_the_burn_rate_cannot_know() -> None:
    assert spending.burn([], 100, "EUR", *PERIOD) is None
    unknown = spending.burn([Reading("2026-Q1", 50)], None, "EUR", *PERIOD)
    assert unknown.rate is None and unknown.text() == "EUR 50 spent by 2026-03-31 (the funds are not known)"
    no_period = spending.burn([Reading("2026-Q1", 50)], 100, "EUR", None, None)
    assert no_period.text() == "EUR 50 of 100 spent (50%) by 2026-03-31 (the funding period is not known)"
    before = spending.burn([Reading("2024-Q4", 10)], 100, "EUR", *PERIOD)
    assert before.share_elapsed == 0 and before.rate is None
    after = spending.burn([Reading("2028-Q1", 100)], 100, "EUR", *PERIOD)
    assert after.share_elapsed == 1 and after.rate == 1


ACTIVITIES = [Activity("Kick-off seminar", "UDI", D(2025, 3, 3), D(2025, 3, 7), "Work plan agreed"),
              Activity("Shadowed selection missions: Argentina, Brazil", "CONARE", D(2025, 9, 1), D(2025, 12, 19),
                       "Two missions"),
              Activity("Mid-term review seminar", "CONARE", D(2026, 5, 18), D(2026, 5, 20), "Review report"),
              Activity("Final conference", "UDI", D(2027, 10, 4), D(2027, 11, 30), "Final report")]


def test_each_activity_takes_its_latest_reported_state_and_late_ones_are_named() -> None:
    reports = [plan.Reported(1, "2025-Q1", "done", D(2025, 3, 7)), plan.Reported(2, "2025-Q4", "in progress"),
               plan.Reported(2, "2025-Q3", "not started"), plan.Reported(3, "2026-Q2", "dropped"),
               plan.Reported(2, "2027-Q1", "done", D(2027, 1, 10))]  # after the verdict's day: not yet
    found = plan.states(ACTIVITIES, reports, D(2026, 11, 1))
    assert [(s.state, s.late) for s in found] == [("done", False), ("in progress", True), ("dropped", False),
                                                 ("not started", False)]
    assert found[0].done_on == D(2025, 3, 7) and found[3].quarter is None
    assert plan.summary(found) == ("1 of 4 done, 1 not started, 1 in progress, 1 dropped; late: 2 'Shadowed "
                                   "selection missions: Argentina,…' (ended 2025-12-19, in progress)")
    assert plan.summary([]) == "no activities in the plan"
