"""Where will it land? The projection and the verdicts against cases computed by hand.

Hand computation of a least-squares line (x in days from the first quarter's end, y the values):
slope = Σ(x − x̄)(y − ȳ) / Σ(x − x̄)²; the line at day d is ȳ + slope × (d − x̄); it reaches the
target T on day x̄ + (T − ȳ) / slope (rounded up to a whole day).
"""

from __future__ import annotations

import datetime as dt
import random

import pytest

from twintui.core.mou.parts import Objective
from twintui.core.progress import Reading, fit, verdicts
from twintui.core.progress.values import by_quarter, quarter_end

D = dt.date
AS_OF = D(2026, 11, 1)
QUARTERS = ("2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3")  # ending 2025-12-31, 2026-03-31, 06-30, 09-30


def counted(baseline: float, target: float, by: dt.date, unit: str = "") -> Objective:
    return Objective(text="x", kind="number", unit=unit, baseline=baseline, target_value=target, target_date=by)


def readings(*values: float, quarters: tuple[str, ...] = QUARTERS) -> list[Reading]:
    return [Reading(q, v) for q, v in zip(quarters, values, strict=True)]


# -- the line ------------------------------------------------------------------------------
def test_the_line_through_the_worked_example() -> None:
    # x = 0, 90, 181, 273 (days after 2025-12-31); y = 4, 4, 5, 5. x̄ = 136, ȳ = 4.5.
    # Σ(x−x̄)(y−ȳ) = (−136)(−.5) + (−46)(−.5) + (45)(.5) + (137)(.5) = 182; Σ(x−x̄)² = 41,406.
    line = fit([(quarter_end(r.quarter), r.value) for r in readings(4, 4, 5, 5)])
    assert line.slope == pytest.approx(182 / 41406)
    # At 2026-12-31 (day 365): 4.5 + 182/41406 × 229 = 5.5066.
    assert line.at(D(2026, 12, 31)) == pytest.approx(4.5 + 182 / 41406 * 229)
    # 8 on day 136 + 3.5 × 41406/182 = 932.3 → day 933 = 2028-07-21.
    assert line.reaches(8) == D(2025, 12, 31) + dt.timedelta(days=933) == D(2028, 7, 21)
    assert line.per_quarter == pytest.approx(182 / 41406 * 365.25 / 4)


def test_a_flat_line_reaches_nothing_and_one_day_is_no_line() -> None:
    flat = fit([(D(2026, 3, 31), 4.0), (D(2026, 6, 30), 4.0)])
    assert flat.slope == 0 and flat.reaches(8) is None and flat.at(D(2030, 1, 1)) == 4
    with pytest.raises(ValueError, match="two different days"):
        fit([(D(2026, 3, 31), 4.0), (D(2026, 3, 31), 5.0)])


# -- numbers -------------------------------------------------------------------------------
def test_the_worked_example_is_off_track() -> None:
    # 8 states by 2026-12-31, reached 2028-07-21: more than two quarters (2027-06-30) after the date.
    outlook = verdicts.number(counted(3, 8, D(2026, 12, 31), "states"), readings(4, 4, 5, 5), AS_OF)
    assert outlook.verdict == "off track"
    assert outlook.reason == ("+0.40 a quarter, 5.5 projected for 2026-12-31: reaches 8 on 2028-07-21, more than two "
                              "quarters after 2026-12-31")
    assert outlook.projection.reaches == D(2028, 7, 21) and round(outlook.projection.value, 4) == 5.5066


def test_on_track_when_the_line_meets_the_target_by_its_date() -> None:
    # y = 1, 2, 3, 4: ȳ = 2.5, Σ(x−x̄)(y−ȳ) = 136×1.5 + 46×.5 + 45×.5 + 137×1.5 = 455, slope = 455/41406.
    # 8 on day 136 + 5.5 × 41406/455 = 636.5 → day 637 = 2027-09-29, before 2027-12-31.
    outlook = verdicts.number(counted(0, 8, D(2027, 12, 31)), readings(1, 2, 3, 4), AS_OF)
    assert outlook.verdict == "on track" and outlook.projection.reaches == D(2027, 9, 29)
    assert outlook.projection.value >= 8


def test_at_risk_when_it_comes_within_two_quarters_after_the_date() -> None:
    # The same line, the target due 2027-06-30: 2027-09-29 is within two quarters after (to 2027-12-31).
    outlook = verdicts.number(counted(0, 8, D(2027, 6, 30)), readings(1, 2, 3, 4), AS_OF)
    assert outlook.verdict == "at risk"
    assert outlook.reason.endswith("reaches 8 on 2027-09-29, within two quarters after 2027-06-30")
    # The edge: due 2027-03-31, two quarters after is 2027-09-30; due 2027-03-29, it is 2027-09-29, the day it comes
    # (still at risk); due 2027-03-28, it is 2027-09-28, the day before (off track).
    assert verdicts.number(counted(0, 8, D(2027, 3, 31)), readings(1, 2, 3, 4), AS_OF).verdict == "at risk"
    assert verdicts.number(counted(0, 8, D(2027, 3, 29)), readings(1, 2, 3, 4), AS_OF).verdict == "at risk"
    assert verdicts.number(counted(0, 8, D(2027, 3, 28)), readings(1, 2, 3, 4), AS_OF).verdict == "off track"


def test_two_quarters_after_a_months_last_day_is_a_months_last_day() -> None:
    assert verdicts.grace_end(D(2026, 6, 30)) == D(2026, 12, 31)
    assert verdicts.grace_end(D(2026, 8, 31)) == D(2027, 2, 28)
    assert verdicts.grace_end(D(2026, 5, 15)) == D(2026, 11, 15)


def test_flat_values_are_off_track() -> None:
    outlook = verdicts.number(counted(3, 8, D(2027, 12, 31)), readings(4, 4, 4, 4), AS_OF)
    assert outlook.verdict == "off track" and outlook.projection.reaches is None
    assert outlook.reason == "+0.00 a quarter, 4 projected for 2027-12-31: the values do not move towards the " \
                             "target 8 by 2027-12-31"


def test_falling_values_on_a_rising_target_are_off_track() -> None:
    outlook = verdicts.number(counted(6, 8, D(2027, 12, 31)), readings(6, 5, 4, 3), AS_OF)
    assert outlook.verdict == "off track" and outlook.projection.reaches is None
    assert outlook.projection.per_quarter < 0


def test_a_decreasing_indicator_is_judged_the_other_way_round() -> None:
    # Days from arrival to housing: from 90 to 30 by 2026-12-31; y = 80, 70, 60, 50, ȳ = 65.
    # Σ(x−x̄)(y−ȳ) = −136×15 − 46×5 + 45×(−5) + 137×(−15) = −4,550; slope = −4550/41406 a day.
    # At day 365: 65 − 4550/41406 × 229 = 39.84 (above 30: not met); 30 on day 136 + 35 × 41406/4550 = 454.5 → 455
    # = 2027-03-31, within two quarters after 2026-12-31: at risk.
    days = counted(90, 30, D(2026, 12, 31), "days")
    outlook = verdicts.number(days, readings(80, 70, 60, 50), AS_OF)
    assert outlook.verdict == "at risk" and outlook.projection.reaches == D(2027, 3, 31)
    assert round(outlook.projection.value, 2) == 39.84
    assert verdicts.number(days, readings(80, 70, 60, 25), AS_OF).verdict == "achieved"  # at or below 30
    assert verdicts.number(days, readings(80, 85, 90, 95), AS_OF).verdict == "off track"  # going up


def test_one_value_is_not_enough_data_unless_it_meets_the_target() -> None:
    one = verdicts.number(counted(0, 8, D(2027, 12, 31)), readings(5, quarters=("2026-Q3",)), AS_OF)
    assert one.verdict == "not enough data" and one.projection is None
    assert one.reason == "one value so far (5 in 2026-Q3): a trend needs two quarters; target 8 by 2027-12-31"
    none = verdicts.number(counted(0, 8, D(2027, 12, 31)), [], AS_OF)
    assert none.verdict == "not enough data" and none.reason.startswith("no value yet")
    met = verdicts.number(counted(0, 8, D(2027, 12, 31)), readings(9, quarters=("2026-Q3",)), AS_OF)
    assert met.verdict == "achieved"


def test_a_target_already_met_is_achieved_whatever_the_trend() -> None:
    outlook = verdicts.number(counted(0, 120, D(2026, 6, 30), "officials"), readings(40, 70, 130, 125), AS_OF)
    # The latest value (125) is still at or above 120.
    assert outlook == verdicts.Outlook("achieved", "125 in 2026-Q3: target 120 officials by 2026-06-30 met")
    # Met once, then fallen back below: the latest value is what counts.
    assert verdicts.number(counted(0, 120, D(2027, 6, 30)), readings(40, 70, 130, 110), AS_OF).verdict != "achieved"


def test_a_target_date_passed_without_the_target_met() -> None:
    # 5 by 2026-06-30; y = 2, 3, 4 at 2026-03-31, 06-30, 09-30: x = 0, 91, 183, x̄ = 91.33, ȳ = 3,
    # slope = 183 / 16,744.67 a day; 5 on day 91.33 + 2 × 16744.67/183 = 274.3 → 275 = 2026-12-31.
    objective = counted(0, 5, D(2026, 6, 30))
    values = readings(2, 3, 4, quarters=("2026-Q1", "2026-Q2", "2026-Q3"))
    soon = verdicts.number(objective, values, AS_OF)
    assert soon.verdict == "at risk" and soon.projection.reaches == D(2026, 12, 31)  # the last day of the grace
    later = verdicts.number(objective, values, D(2027, 2, 1))
    assert later.verdict == "off track"
    assert later.reason.endswith("not reported met by 2027-02-01, more than two quarters after 2026-06-30")
    # The trend met it by the date, but no return says so and the date has passed: not on track.
    ahead = verdicts.number(counted(0, 3, D(2026, 6, 30)), readings(1, 2, quarters=("2026-Q1", "2026-Q2")), AS_OF)
    assert ahead.verdict == "at risk" and ahead.reason.endswith("not reported met by 2026-11-01, within two quarters "
                                                                "after 2026-06-30")


def test_values_out_of_order_give_the_same_verdict() -> None:
    values = readings(1, 2, 3, 4)
    shuffled = values[:]
    random.Random(4).shuffle(shuffled)
    assert shuffled != values
    assert verdicts.number(counted(0, 8, D(2027, 12, 31)), shuffled, AS_OF) == \
        verdicts.number(counted(0, 8, D(2027, 12, 31)), values, AS_OF)


def test_of_two_values_in_one_quarter_the_later_reported_counts() -> None:
    first = Reading("2026-Q3", 9, "2026-10-05T09:00:00+00:00")
    corrected = Reading("2026-Q3", 4, "2026-10-20T09:00:00+00:00")
    for order in ([first, corrected], [corrected, first]):
        assert by_quarter([Reading("2026-Q2", 3), *order]) == [Reading("2026-Q2", 3), corrected]
    # Reported at the same moment: the later in the list.
    assert by_quarter([Reading("2026-Q3", 1), Reading("2026-Q3", 2)]) == [Reading("2026-Q3", 2)]
    objective = counted(0, 8, D(2027, 12, 31))
    assert verdicts.number(objective, [Reading("2026-Q2", 3), first, corrected], AS_OF).verdict != "achieved"


def test_values_of_quarters_after_the_verdicts_day_are_left_out() -> None:
    values = readings(1, 2, 3, 9)
    assert verdicts.number(counted(0, 8, D(2027, 12, 31)), values, D(2026, 9, 30)).verdict == "achieved"  # Q3 began
    assert verdicts.number(counted(0, 8, D(2027, 12, 31)), values, D(2026, 6, 30)).verdict == "on track"


# -- milestones ----------------------------------------------------------------------------
NOTES = Objective(text="Publish the practice notes", kind="milestone", target_date=D(2026, 6, 30))


def test_a_milestone_done_by_its_date() -> None:
    reports = [verdicts.Report("2026-Q1", "on track"), verdicts.Report("2026-Q2", "achieved", D(2026, 6, 12))]
    assert verdicts.milestone(NOTES, reports, AS_OF) == verdicts.Outlook("done", "done 2026-06-12, its date 2026-06-30")


def test_a_milestone_done_late() -> None:
    reports = [verdicts.Report("2026-Q2", "delayed"), verdicts.Report("2026-Q3", "achieved", D(2026, 8, 15))]
    outlook = verdicts.milestone(NOTES, reports, AS_OF)
    assert outlook == verdicts.Outlook("done late", "done 2026-08-15, 46 days after its date 2026-06-30")
    # Reported achieved without the day: the quarter's end is the latest it can have been done.
    undated = verdicts.milestone(NOTES, [verdicts.Report("2026-Q3", "achieved")], AS_OF)
    assert undated == verdicts.Outlook("done late", "done 2026-09-30 (by the end of 2026-Q3), 92 days after its date "
                                                    "2026-06-30")


def test_a_milestone_not_done_is_due_then_late() -> None:
    reports = [verdicts.Report("2026-Q2", "delayed")]
    assert verdicts.milestone(NOTES, reports, D(2026, 6, 1)) == verdicts.Outlook(
        "due", "not done yet; due 2026-06-30, in 29 days")
    assert verdicts.milestone(NOTES, reports, AS_OF) == verdicts.Outlook("late",
                                                                         "not done; due 2026-06-30, 124 days ago")
    assert verdicts.milestone(NOTES, [], D(2026, 6, 30)).verdict == "due"  # on the day itself


def test_a_milestone_reported_achieved_then_not_is_not_done() -> None:
    reports = [verdicts.Report("2026-Q2", "achieved", D(2026, 6, 1)), verdicts.Report("2026-Q3", "delayed")]
    assert verdicts.milestone(NOTES, reports, AS_OF).verdict == "late"
    # ... and the return of a quarter after the verdict's day does not count yet.
    assert verdicts.milestone(NOTES, [verdicts.Report("2026-Q4", "achieved", D(2026, 10, 2))],
                              D(2026, 9, 30)).verdict == "late"


# -- many objectives, one set of quarters ------------------------------------------------------
def _plain_fit(days: list[int], values: list[float]) -> tuple[float, float, float]:
    """The least-squares line as first written (one loop per series): what the shared quarter side must equal."""
    n = len(days)
    mean_x, mean_y = sum(days) / n, sum(values) / n
    sxx = sxy = 0.0
    for x, y in zip(days, values, strict=True):
        dx = x - mean_x
        sxx += dx * dx
        sxy += dx * (y - mean_y)
    return sxy / sxx, mean_x, mean_y


def test_the_quarters_side_of_the_line_is_worked_out_once_per_set_of_quarters() -> None:
    from twintui.core.progress import trend

    trend.quarter_side.cache_clear()
    rng = random.Random(18)
    for _ in range(200):
        values = [rng.choice((0, 1.5, 7, 20)) + rng.random() * 10 for _ in QUARTERS]
        outlook = verdicts.number(counted(0, 1000, D(2027, 12, 31)), readings(*values), AS_OF)
        slope, mean_day, mean_value = _plain_fit([quarter_end(q).toordinal() for q in QUARTERS], values)
        line = trend.Line(slope, mean_day, mean_value)
        # The same figures to the last bit as a fit of its own, whatever the values.
        assert outlook.projection.value == line.at(D(2027, 12, 31))
        assert outlook.projection.per_quarter == line.per_quarter
        assert outlook.projection.reaches == (line.reaches(1000) if slope > 0 else None)
    assert trend.quarter_side.cache_info().misses == 1  # 200 objectives, one set of quarters


def test_a_line_through_other_quarters_or_gaps_is_its_own() -> None:
    from twintui.core.progress import trend

    for quarters in (("2026-Q1", "2026-Q3"), ("2025-Q1", "2025-Q2", "2026-Q4"), QUARTERS[1:]):
        values = [float(n * n) for n in range(len(quarters))]
        line = trend.fit_quarters(quarters, values)
        assert (line.slope, line.mean_day, line.mean_value) == \
            _plain_fit([quarter_end(q).toordinal() for q in quarters], values)
    with pytest.raises(ValueError, match="two different days"):
        trend.fit_quarters(("2026-Q1", "2026-Q1"), [1.0, 2.0])


def test_objectives_share_a_goal_only_when_their_targets_are_the_same() -> None:
    # The goal is worked out once per target (verdicts.goal): objectives that differ in one thing each get
    # their own, with the same texts and verdict as the objective's own rules give.
    base = Objective(text="x", kind="number", unit="days", baseline=90, target_value=30, due="2026-Q4")
    kin = [base,
           Objective(text="y", kind="number", unit="days", baseline=10, target_value=30, due="2026-Q4"),  # rising
           Objective(text="z", kind="number", unit="", baseline=90, target_value=30, due="2026-Q4"),  # no unit
           Objective(text="w", kind="number", unit="days", baseline=None, target_value=30, due="2026-Q4"),
           Objective(text="v", kind="number", unit="days", baseline=90, target_value=30, due="2026-Q4",
                     target_date=D(2026, 12, 31)),  # the same day, written as its own date
           Objective(text="u", kind="number", unit="days", baseline=90, target_value=30, due="2026-12-15")]
    for objective in kin:
        goal = verdicts.goal(objective)
        assert (goal.target, goal.falling, goal.by, goal.target_text) == \
            (objective.target_value, objective.falling, objective.by, objective.target_text())
        assert goal.text == f"target 30{' days' if objective.unit else ''} by {objective.by.isoformat()}"
        assert goal.grace_day == verdicts.grace_end(objective.by).toordinal()
    assert len({verdicts.goal(o) for o in kin}) == len(kin)
    falling = verdicts.number(kin[0], readings(80, 70, 60, 50), AS_OF)
    assert falling.verdict == "at risk" and falling.reason.endswith("within two quarters after 2026-12-31")
    assert verdicts.number(kin[1], readings(80, 70, 60, 50), AS_OF).verdict == "achieved"  # 50 ≥ 30, rising
    # 2026-12-15 is not a month's last day: two quarters after it end on 2027-06-15, not 2027-06-30.
    assert verdicts.goal(kin[5]).grace_day == D(2027, 6, 15).toordinal()
    assert verdicts.goal(Objective(kind="number", target_value=30)) is None  # no date
    assert verdicts.number(Objective(kind="number", due="2026-Q4"), readings(1, 2, quarters=QUARTERS[:2]), AS_OF).verdict == \
        "not enough data"
