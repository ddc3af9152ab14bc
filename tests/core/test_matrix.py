"""Tests for the partner-factor matrix core: model edits, ranking, sensitivity."""

from __future__ import annotations

import json
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from twintui.core.matrix import (
    Candidate,
    Cell,
    Comparison,
    Factor,
    evaluate,
    sensitivity,
    text_bar,
    validate,
    verdict,
)
from twintui.core.model.vocab import DEFAULT_FACTORS

SIMILARITY = "Similarity of asylum system"
FUNDING = "Funding for the twinning activity"
INTEGRATION = "Integration arrangements"
COOPERATION = "Successful cooperation in other areas"


def hand_total(pairs: list[tuple[float, int | None]]) -> Fraction | None:
    """100 × Σ w·s / (5 × Σ w) in exact fractions, over known scores with weight > 0."""
    used = [(Fraction(str(w)), s) for w, s in pairs if w > 0 and s is not None]
    weight = sum(w for w, _ in used)
    if not weight:
        return None
    return 100 * sum(w * s for w, s in used) / (5 * weight)


def leaders_with(comparison: Comparison, factor: str, weight: float) -> set[str]:
    """First place when one factor's weight is set to `weight` (the comparison is restored)."""
    f = comparison.factor(factor)
    old = f.weight
    f.weight = weight
    try:
        return set(evaluate(comparison).leaders)
    finally:
        f.weight = old


@pytest.fixture
def worked() -> Comparison:
    """An emerging resettlement state choosing a partner on four weighted factors."""
    c = Comparison.new(
        "Partner for 2025",
        organisation="Ministry of the Interior",
        learning_gap="selection missions",
        end_goal="set up a resettlement programme within 18 months",
        candidates=["Norway", "Canada", "Netherlands", "Sweden"],
    )
    for name in DEFAULT_FACTORS:
        c.set_weight(name, 0)
    c.set_weight(SIMILARITY, 5)
    c.set_weight(FUNDING, 3)
    c.set_weight(INTEGRATION, 2)
    c.set_must_have(FUNDING, 2)
    rows = {
        "Norway": (4, 3, 5, 1),
        "Canada": (5, 4, None, 5),
        "Netherlands": (3, 1, 5, 5),
        "Sweden": (None, None, None, 4),
    }
    for candidate, scores in rows.items():
        for factor, score in zip((SIMILARITY, FUNDING, INTEGRATION, COOPERATION), scores):
            c.set_score(factor, candidate, score)
    c.set_note(FUNDING, "Canada", "national budget covers the visits")
    return c


# ---------------------------------------------------------------- worked example


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


# ---------------------------------------------------------------- ties, unknown, coverage


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


# ---------------------------------------------------------------- editing


def test_new_has_the_ten_default_factors() -> None:
    c = Comparison.new("Choice", organisation="Ministry")
    assert [f.name for f in c.factors] == list(DEFAULT_FACTORS)
    assert all(f.weight == 3 and f.must_have_min is None for f in c.factors)
    assert (c.name, c.organisation, c.candidates, c.cells) == ("Choice", "Ministry", [], {})


def test_rename_carries_cells(worked: Comparison) -> None:
    before = evaluate(worked).result("Canada")
    worked.rename_candidate("Canada", "Canada (IRCC)")
    worked.rename_factor(FUNDING, "Funding")
    assert worked.cell("Funding", "Canada (IRCC)") == Cell(4, "national budget covers the visits")
    assert not any("Canada" == k[1] or FUNDING == k[0] for k in worked.cells)
    after = evaluate(worked).result("Canada (IRCC)")
    assert after.total == before.total
    assert worked.factor("Funding").must_have_min == 2
    assert validate(worked) == []


def test_remove_and_move(worked: Comparison) -> None:
    worked.remove_candidate("Sweden")
    worked.remove_factor(INTEGRATION)
    assert all(k[1] != "Sweden" and k[0] != INTEGRATION for k in worked.cells)
    worked.move_factor(COOPERATION, 0)
    assert worked.factors[0].name == COOPERATION
    worked.move_factor(COOPERATION, len(worked.factors) - 1)
    assert worked.factors[-1].name == COOPERATION
    worked.add_factor("Costs and timeframe", weight=4, must_have_min=1, index=1)
    assert worked.factor_index("Costs and timeframe") == 1
    assert validate(worked) == []


def test_empty_cells_are_not_stored() -> None:
    c = Comparison("t", factors=[Factor("A")], candidates=[Candidate("X")])
    c.set_score("A", "X", 0)
    assert c.cells == {("A", "X"): Cell(0, "")}
    c.set_note("A", "X", "asked at the seminar")
    c.set_score("A", "X", None)
    assert c.cells == {("A", "X"): Cell(None, "asked at the seminar")}
    c.set_note("A", "X", "")
    assert c.cells == {}


@pytest.mark.parametrize(
    ("action", "message"),
    [
        (lambda c: c.set_score("A", "X", 7), r"score .* got 7"),
        (lambda c: c.set_score("A", "X", -1), r"score .* got -1"),
        (lambda c: c.set_score("A", "X", 2.5), r"score .* got 2\.5"),
        (lambda c: c.set_score("A", "X", True), r"score .* got True"),
        (lambda c: c.set_weight("A", -1), r"weight .* got -1"),
        (lambda c: c.set_weight("A", 5.5), r"weight .* got 5\.5"),
        (lambda c: c.set_weight("A", float("nan")), r"weight .* got nan"),
        (lambda c: c.set_must_have("A", 6), r"must-have minimum .* got 6"),
        (lambda c: c.set_score("Nope", "X", 3), r"unknown factor: 'Nope'"),
        (lambda c: c.set_note("A", "Nobody", "x"), r"unknown candidate: 'Nobody'"),
        (lambda c: c.set_weight("Nope", 1), r"unknown factor: 'Nope'"),
        (lambda c: c.add_factor("b "), r"factor name already used: 'b'"),
        (lambda c: c.add_candidate("x"), r"candidate name already used: 'x'"),
        (lambda c: c.rename_factor("A", "B"), r"factor name already used: 'B'"),
        (lambda c: c.rename_candidate("X", "  "), r"candidate name must be non-empty text, got '  '"),
        (lambda c: c.move_factor("A", 2), r"factor position must be from 0 to 1, got 2"),
        (lambda c: c.add_factor("C", weight=9), r"weight .* got 9"),
    ],
)
def test_invalid_input_raises_value_error(action, message) -> None:  # type: ignore[no-untyped-def]
    c = Comparison("t", factors=[Factor("A"), Factor("B")], candidates=[Candidate("X")])
    before = c.to_doc()
    with pytest.raises(ValueError, match=message):
        action(c)
    assert c.to_doc() == before  # a refused edit changes nothing


def test_rename_to_a_different_case_of_itself_is_allowed() -> None:
    c = Comparison("t", factors=[Factor("funding")], candidates=[Candidate("norway")])
    c.set_score("funding", "norway", 3)
    c.rename_factor("funding", "Funding")
    c.rename_candidate("norway", "Norway")
    assert c.score("Funding", "Norway") == 3


# ---------------------------------------------------------------- documents


def test_to_doc_from_doc_round_trip(worked: Comparison) -> None:
    worked.id, worked.rev, worked.created_by = "CMP-0001", 4, "amina"
    worked.candidates[0].partner_ref = "TW-NOR-0001/P-2"
    worked.set_weight(SIMILARITY, 4.5)
    doc = worked.to_doc()
    text = json.dumps(doc)  # plain JSON
    assert Comparison.from_doc(json.loads(text)) == worked
    assert Comparison.from_doc(doc).to_doc() == doc
    assert doc["cells"][0] == {"factor": SIMILARITY, "candidate": "Norway", "score": 4, "note": ""}
    assert {"factor": FUNDING, "candidate": "Canada", "score": 4, "note": "national budget covers the visits"} in doc[
        "cells"
    ]


def test_from_doc_refuses_unreadable_shapes() -> None:
    with pytest.raises(ValueError, match="must be an object"):
        Comparison.from_doc([])  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="no 'name'"):
        Comparison.from_doc({"factors": []})
    with pytest.raises(ValueError, match="'factors' must be a list"):
        Comparison.from_doc({"name": "x", "factors": "A"})
    with pytest.raises(ValueError, match="'cells' entry 1 has no 'candidate'"):
        Comparison.from_doc({"name": "x", "cells": [{"factor": "A"}]})


def test_validate_lists_problems_of_outside_data() -> None:
    doc = {
        "name": "",
        "rev": -1,
        "factors": [{"name": "A", "weight": 7}, {"name": "a", "must_have_min": 2.5}, {"name": "B", "weight": "3"}],
        "candidates": [{"name": "X"}, {"name": "X "}],
        "cells": [
            {"factor": "A", "candidate": "X", "score": 9},
            {"factor": "Z", "candidate": "X", "score": 1},
            {"factor": "A", "candidate": "Y", "note": 5},
        ],
    }
    problems = validate(Comparison.from_doc(doc))
    expected = [
        "comparison: comparison name must be non-empty text, got ''",
        "comparison: rev must be a whole number >= 0, got -1",
        "factor 1 ('A'): weight must be a number from 0 to 5, got 7",
        "factor 2 ('a'): must-have minimum must be a whole number from 0 to 5 or none, got 2.5",
        "factor 2 ('a'): factor name already used: 'a'",
        "factor 3 ('B'): weight must be a number from 0 to 5, got '3'",
        "candidate 2 ('X '): candidate name already used: 'X '",
        "cell ('A', 'X'): score must be a whole number from 0 to 5 or unknown, got 9",
        "cell ('Z', 'X'): unknown factor: 'Z'",
        "cell ('A', 'Y'): unknown candidate: 'Y'",
        "cell ('A', 'Y'): note must be text, got 5",
    ]
    assert problems == expected


# ---------------------------------------------------------------- display, hygiene


def test_text_bar() -> None:
    assert text_bar(47.5) == "█████████▌          "
    assert text_bar(100) == "█" * 20
    assert text_bar(0) == " " * 20
    assert text_bar(None, width=5) == "     "
    assert text_bar(150, width=4) == "████"
    assert text_bar(12.5, width=1) == "▏"
    assert all(len(text_bar(t / 7)) == 20 for t in range(0, 701))
    with pytest.raises(ValueError, match="width"):
        text_bar(50, width=0)


def test_core_matrix_does_not_import_textual() -> None:
    root = Path(__file__).resolve().parents[2]
    code = "import sys, twintui.core.matrix; print('textual' in sys.modules or 'rich' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# ---------------------------------------------------------------- properties

WEIGHTS = st.sampled_from([0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5])
SCORES = st.sampled_from([None, 0, 1, 2, 3, 4, 5])


@st.composite
def comparisons(draw: st.DrawFn) -> Comparison:
    n_factors = draw(st.integers(1, 5))
    n_candidates = draw(st.integers(1, 5))
    factors = [
        Factor(f"F{i}", draw(WEIGHTS), draw(st.sampled_from([None, None, None, 1, 2]))) for i in range(n_factors)
    ]
    candidates = [Candidate(f"C{j}") for j in range(n_candidates)]
    cells = {}
    for f in factors:
        for c in candidates:
            score = draw(SCORES)
            if score is not None:
                cells[(f.name, c.name)] = Cell(score, draw(st.sampled_from(["", "from the seminar"])))
    return Comparison("generated", factors=factors, candidates=candidates, cells=cells)


FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(comparisons(), st.floats(0.05, 20))
def test_scaling_all_weights_keeps_ranks(c: Comparison, k: float) -> None:
    before = [r.rank for r in evaluate(c).results]
    for f in c.factors:
        f.weight = f.weight * k  # beyond 5 is fine here: only the ratios matter
    assert [r.rank for r in evaluate(c).results] == before


@FAST
@given(comparisons())
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
@given(comparisons(), st.data())
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


@FAST
@given(comparisons())
def test_doc_round_trip_and_generated_data_is_valid(c: Comparison) -> None:
    assert validate(c) == []
    assert Comparison.from_doc(json.loads(json.dumps(c.to_doc()))) == c
