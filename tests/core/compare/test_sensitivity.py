"""Tipping weights: by hand, at the ends of the range, and the nearest change on generated matrices."""

from __future__ import annotations

import pytest
from hypothesis import given

from twintui.core.compare import Candidate, Comparison, Factor, Sensitivity, evaluate, sensitivity
from twintui.core.compare.sensitivity import nearest_tipping
from twintui.core.compare.wording import firmness, short_verdict, verdict
from twintui.core.model.vocab import DEFAULT_FACTORS

from .examples import FAST, generated, leaders_with


def test_worked_example_is_robust(worked: Comparison) -> None:
    # By hand: Canada's and Norway's totals only cross outside [0, 5] for every factor
    # (e.g. integration: Norway (29 + 5x)/(8 + x) = 4.625 at x = 21.3); Netherlands stays excluded.
    sens = sensitivity(worked)
    assert [s.factor for s in sens] == list(DEFAULT_FACTORS)
    assert all(s.tipping_weight is None and s.new_leader is None for s in sens)
    assert verdict(worked) == "robust: no single weight change in 0–5 changes the first place"


def test_tipping_weight_linear_by_hand() -> None:
    # Both scored everywhere, so only the weighted score differences matter:
    # Norway − Canada = 2·wA − 3·wB − 5·wC = 8 − 6 − 5 = −3, so Canada leads.
    c = Comparison(
        "t",
        factors=[Factor("A", 4), Factor("B", 2), Factor("C", 1)],
        candidates=[Candidate("Norway"), Candidate("Canada")],
    )
    for factor, norway, canada in (("A", 5, 3), ("B", 1, 4), ("C", 0, 5)):
        c.set_score(factor, "Norway", norway)
        c.set_score(factor, "Canada", canada)
    assert evaluate(c).leader == "Canada"
    sens = {s.factor: s for s in sensitivity(c)}
    # That difference is zero at wA = 5.5 (out of range), wB = 1 and wC = 0.4.
    assert sens["A"].tipping_weight is None
    assert sens["B"].tipping_weight == pytest.approx(1.0)
    assert sens["C"].tipping_weight == pytest.approx(0.4)
    assert sens["C"].new_leader == "Norway"
    assert sens["C"].new_leaders == ("Norway",)
    assert verdict(c) == (
        "fragile: first place changes if the weight of 'C' goes from 1 to 0.4 (new leader: Norway)"
    )


def test_tipping_weight_with_unscored_factor_by_hand() -> None:
    # Norway is unknown on B, so its total stays 80 whatever B weighs; Canada's is
    # 20·(3·wA + 5·wB)/(wA + wB), equal to 80 where wA = wB.
    c = Comparison(
        "t",
        factors=[Factor("A", 2), Factor("B", 1.5)],
        candidates=[Candidate("Norway"), Candidate("Canada")],
    )
    c.set_score("A", "Norway", 4)
    c.set_score("A", "Canada", 3)
    c.set_score("B", "Canada", 5)
    ev = evaluate(c)
    assert ev.result("Norway").total == pytest.approx(80.0)
    assert ev.result("Canada").total == pytest.approx(20 * (6 + 7.5) / 3.5)
    sens = {s.factor: s for s in sensitivity(c)}
    assert sens["A"].tipping_weight == pytest.approx(1.5)
    assert sens["B"].tipping_weight == pytest.approx(2.0)
    assert sens["A"].new_leader == sens["B"].new_leader == "Canada"
    # Equal distances: the first factor in row order is named.
    assert verdict(c) == (
        "fragile: first place changes if the weight of 'A' goes from 2 to 1.5 (new leader: Canada)"
    )


def test_the_nearest_tipping_weight_is_reported_when_both_directions_tip() -> None:
    # All scored everywhere, so totals compare as weighted sums. With Y at 2 and X at x:
    # Lead 6 + 3x, Up 5x, Down 10. Lead leads at x = 2 (12 against 10 and 10);
    # Down overtakes below x = 4/3 (2/3 away), Up above x = 3 (1 away): the nearest is 4/3.
    c = Comparison("t", factors=[Factor("X", 2), Factor("Y", 2)],
                   candidates=[Candidate("Lead"), Candidate("Up"), Candidate("Down")])
    for name, x, y in (("Lead", 3, 3), ("Up", 5, 0), ("Down", 0, 5)):
        c.set_score("X", name, x)
        c.set_score("Y", name, y)
    assert evaluate(c).leader == "Lead"
    x = {s.factor: s for s in sensitivity(c)}["X"]
    assert x.tipping_weight == pytest.approx(4 / 3) and x.new_leaders == ("Down",)
    assert leaders_with(c, "X", 3.1) == {"Up"}  # the other direction tips too, further away
    assert "'X' goes from 2 to 1.33 (new leader: Down)" in verdict(c)


def test_tipping_at_zero_when_a_factor_stops_counting() -> None:
    # Sweden is scored only on B; with B's weight at 0 it has no total and cannot lead.
    c = Comparison("t", factors=[Factor("A", 3), Factor("B", 0)], candidates=[Candidate("Norway"), Candidate("Sweden")])
    c.set_score("A", "Norway", 2)
    c.set_score("B", "Sweden", 5)
    assert evaluate(c).leader == "Norway"
    b = {s.factor: s for s in sensitivity(c)}["B"]
    assert b.tipping_weight == 0
    assert b.new_leader == "Sweden"
    assert "as soon as the weight of 'B' moves from 0" in verdict(c)


@FAST
@given(generated())
def test_tipping_weight_changes_the_leader_and_halfway_does_not(c: Comparison) -> None:
    leaders0 = set(evaluate(c).leaders)
    for s in sensitivity(c):
        w0, t = s.current_weight, s.tipping_weight
        if t is None:
            # The current leaders keep (at least a share of) first place at every weight.
            for x in [i / 4 for i in range(21)]:
                now = leaders_with(c, s.factor, x)
                assert now <= leaders0 or now & leaders0
            continue
        assert 0 <= t <= 5
        assert s.new_leaders and s.new_leader == " and ".join(s.new_leaders)
        if t in (0, 5) and t != w0:
            beyond = leaders_with(c, s.factor, t)  # no room beyond the end of the range
        else:
            step = 1e-6 if t > w0 or (t == w0 and t < 5) else -1e-6
            beyond = leaders_with(c, s.factor, t + step)
        assert not beyond <= leaders0, (s, beyond, leaders0)
        if t != w0:
            halfway = leaders_with(c, s.factor, (w0 + t) / 2)
            assert halfway <= leaders0 or halfway & leaders0, (s, halfway, leaders0)


@FAST
@given(generated(min_candidates=3))
def test_no_weight_nearer_than_the_tipping_weight_changes_the_leader(c: Comparison) -> None:
    """The tipping weight is the nearest change, in both directions: every weight closer keeps a leader.

    Three candidates or more, so that first place often changes hands in both directions.
    """
    leaders0 = set(evaluate(c).leaders)
    for s in sensitivity(c):
        w0, t = s.current_weight, s.tipping_weight
        reach = 5.0 if t is None else abs(t - w0)
        for x in (i / 8 for i in range(41)):
            if abs(x - w0) < reach - 1e-9:
                now = leaders_with(c, s.factor, x)
                assert now & leaders0 or not now, (s, x, now, leaders0)


def test_one_rule_names_the_factor_nearest_to_changing_first_place() -> None:
    """The nearest tipping weight (the first row on equal distances), named alike by the verdict, the short
    verdict and the list's word for it."""
    c = Comparison("t", factors=[Factor("A", 2), Factor("B", 1.5), Factor("C", 4)],
                   candidates=[Candidate("Norway"), Candidate("Canada")])
    for factor, norway, canada in (("A", 4, 3), ("B", None, 5), ("C", 1, 0)):
        c.set_score(factor, "Norway", norway)
        c.set_score(factor, "Canada", canada)
    sens = sensitivity(c)
    assert [(s.factor, s.tipping_weight) for s in sens] == [("A", pytest.approx(1.0584, abs=1e-4)),
                                                           ("B", pytest.approx(2.0)), ("C", None)]
    nearest = nearest_tipping(sens)
    assert nearest is not None and nearest.factor == "B"  # 0.5 away; A is 0.94 away
    assert nearest_tipping([s for s in sens if s.factor != "B"]).factor == "A"
    assert nearest_tipping([s for s in sens if s.factor == "C"]) is None
    same = [Sensitivity("X", 2, 1.5, "N", ("N",)), Sensitivity("Y", 1.5, 2.0, "N", ("N",))]
    assert [nearest_tipping(same).factor, nearest_tipping(same[::-1]).factor] == ["X", "Y"]
    assert "if the weight of 'B' goes from 1.5 to 2 (new leader: Canada)" in verdict(c)
    assert short_verdict(c).endswith("Fragile: 'B' at weight 1.5 → 2 puts Canada first.")
    assert firmness(c) == "fragile"
    for factor in ("A", "B", "C"):  # Norway 5, Canada 0 everywhere: no weight tips it
        c.set_score(factor, "Norway", 5)
        c.set_score(factor, "Canada", 0)
    assert nearest_tipping(sensitivity(c)) is None and firmness(c) == "robust"
    assert verdict(c).startswith("robust:") and "Robust:" in short_verdict(c)
