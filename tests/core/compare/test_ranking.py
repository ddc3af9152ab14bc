"""Weighted totals, coverage, must-have exclusions and ranks, checked by hand and on generated matrices."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from twintui.core.compare import Candidate, Comparison, Factor, evaluate
from twintui.core.compare.wording import verdict
from twintui.core.model.vocab import DEFAULT_FACTORS

from .examples import COOPERATION, FAST, FUNDING, INTEGRATION, SIMILARITY, generated, hand_total


def test_worked_example_totals_coverage_and_ranks(worked: Comparison) -> None:
    weights = {SIMILARITY: 5, FUNDING: 3, INTEGRATION: 2, COOPERATION: 0}
    ev = evaluate(worked)
    for name in ("Norway", "Canada", "Netherlands", "Sweden"):
        scores = {f: worked.score(f, name) for f in weights}
        expected = hand_total([(weights[f], scores[f]) for f in weights])
        result = ev.result(name)
        if expected is None:
            assert result.total is None
        else:
            assert result.total == pytest.approx(float(expected))
    # By hand: Norway (5·4 + 3·3 + 2·5) / 10 × 20 = 78; Canada (5·5 + 3·4) / 8 × 20 = 92.5.
    assert ev.result("Norway").total == pytest.approx(78.0)
    assert ev.result("Canada").total == pytest.approx(92.5)
    assert ev.result("Netherlands").total == pytest.approx(56.0)
    assert ev.result("Canada").coverage == pytest.approx(0.8)  # integration (weight 2 of 10) unknown
    assert ev.result("Norway").coverage == 1.0
    assert ev.result("Sweden").coverage == 0.0  # only scored on a weight-0 factor
    assert [ev.result(n).rank for n in ("Canada", "Norway", "Netherlands", "Sweden")] == [1, 2, None, None]
    assert ev.leaders == ("Canada",)
    assert ev.leader == "Canada"
    assert not ev.tied
    assert ev.margin == pytest.approx(92.5 - 78.0)
    assert [r.name for r in ev.ranked()][:2] == ["Canada", "Norway"]
    assert ev.result("Norway").scores[SIMILARITY] == 4
    assert list(ev.result("Norway").scores) == list(DEFAULT_FACTORS)


def test_worked_example_must_have(worked: Comparison) -> None:
    ev = evaluate(worked)
    assert ev.result("Netherlands").excluded == (
        "below must-have minimum 2 on 'Funding for the twinning activity' (scored 1)"
    )
    assert ev.result("Netherlands").rank is None
    # Unknown on a must-have: flagged, not excluded.
    sweden = ev.result("Sweden")
    assert sweden.excluded is None
    assert sweden.warnings == ("not yet scored on must-have 'Funding for the twinning activity' (minimum 2)",)
    assert ev.result("Canada").warnings == ()


def test_ties_share_a_rank() -> None:
    c = Comparison("t", factors=[Factor("A", 2), Factor("B", 2)])
    for name, a, b in (("Canada", 5, 3), ("Sweden", 3, 5), ("Norway", 1, 1), ("Chile", 4, 4)):
        c.add_candidate(name)
        c.set_score("A", name, a)
        c.set_score("B", name, b)
    ev = evaluate(c)
    assert [ev.result(n).rank for n in ("Canada", "Sweden", "Chile", "Norway")] == [1, 1, 1, 4]
    assert ev.leaders == ("Canada", "Sweden", "Chile")
    assert ev.leader is None
    assert ev.tied
    assert ev.margin == 0.0
    assert verdict(c).startswith("tied: Canada, Sweden and Chile share first place; ")


def test_float_noise_does_not_break_a_tie() -> None:
    # Exactly equal in fractions, but the float sums differ in the last bit.
    c = Comparison("t", factors=[Factor(n, w) for n, w in zip("ABCD", (0.1, 0.2, 0.3, 0.7))])
    for name, scores in (("P", (0, 0, 0, 5)), ("Q", (0, 1, 4, 3))):
        c.add_candidate(name)
        for f, s in zip("ABCD", scores):
            c.set_score(f, name, s)
    ev = evaluate(c)
    assert ev.result("P").total != ev.result("Q").total
    assert ev.result("P").rank == ev.result("Q").rank == 1
    assert ev.leaders == ("P", "Q")


def test_unknown_is_not_zero() -> None:
    c = Comparison("t", factors=[Factor("A", 3), Factor("B", 1)], candidates=[Candidate("Zero"), Candidate("Blank")])
    for name in ("Zero", "Blank"):
        c.set_score("A", name, 4)
    c.set_score("B", "Zero", 0)
    ev = evaluate(c)
    assert ev.result("Blank").total == pytest.approx(80.0)  # 4/5 on the only scored factor
    assert ev.result("Zero").total == pytest.approx(100 * 12 / 20)
    assert ev.result("Blank").coverage == pytest.approx(0.75)
    assert ev.result("Zero").coverage == 1.0


def test_coverage_when_no_factor_has_weight() -> None:
    c = Comparison("t", factors=[Factor("A", 0)], candidates=[Candidate("X")])
    c.set_score("A", "X", 5)
    r = evaluate(c).result("X")
    assert (r.total, r.coverage, r.rank) == (None, 0.0, None)
    assert evaluate(c).leaders == ()
    assert evaluate(Comparison("empty")).results == []
    assert verdict(c).startswith("no ranking:")


def test_must_have_applies_whatever_the_weight_and_lists_every_reason() -> None:
    c = Comparison(
        "t",
        factors=[Factor("A", 0, must_have_min=3), Factor("B", 5, must_have_min=4)],
        candidates=[Candidate("X")],
    )
    c.set_score("A", "X", 2)
    c.set_score("B", "X", 1)
    assert evaluate(c).result("X").excluded == (
        "below must-have minimum 3 on 'A' (scored 2); below must-have minimum 4 on 'B' (scored 1)"
    )
    c.set_score("A", "X", 3)  # the minimum itself passes
    c.set_score("B", "X", 4)
    assert evaluate(c).result("X").excluded is None


@FAST
@given(generated(), st.floats(0.05, 20))
def test_scaling_all_weights_keeps_ranks(c: Comparison, k: float) -> None:
    before = [r.rank for r in evaluate(c).results]
    for f in c.factors:
        f.weight = f.weight * k  # beyond 5 is fine here: only the ratios matter
    assert [r.rank for r in evaluate(c).results] == before


@FAST
@given(generated(), st.data())
def test_total_ignores_factors_the_candidate_was_not_scored_on(c: Comparison, data: st.DataObject) -> None:
    before = evaluate(c)
    for cand in c.candidates:
        for f in c.factors:
            if c.score(f.name, cand.name) is not None:
                continue
            old = f.weight
            f.weight = data.draw(st.floats(0, 5))
            assert evaluate(c).result(cand.name).total == before.result(cand.name).total
            f.weight = old
