"""The matrix records: edits check their input and keep the cells with their factor and candidate; documents."""

from __future__ import annotations

import json

import pytest
from hypothesis import given

from twintui.core.compare import Candidate, Cell, Comparison, Factor, evaluate
from twintui.core.compare.validate import validate
from twintui.core.model.vocab import DEFAULT_FACTORS

from .examples import COOPERATION, FAST, FUNDING, INTEGRATION, SIMILARITY, generated


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


@FAST
@given(generated())
def test_doc_round_trip_and_generated_data_is_valid(c: Comparison) -> None:
    assert validate(c) == []
    assert Comparison.from_doc(json.loads(json.dumps(c.to_doc()))) == c


def test_validate_wants_the_text_fields_and_the_bookkeeping_as_text() -> None:
    doc = {"name": "x", "organisation": None, "id": 7, "updated_by": ["amina"]}
    assert validate(Comparison.from_doc(doc)) == [
        "comparison: organisation must be text, got None",
        "comparison: id must be text, got 7",
        "comparison: updated_by must be text, got ['amina']",
    ]
