"""What a user types into a comparison, checked by the core: weights, minimums and names, one rule for each."""

from __future__ import annotations

import pytest

from twintui.core.compare import Candidate, Comparison, Factor
from twintui.core.compare.checks import (
    NAME_LENGTH,
    SCORE_RANGE,
    WEIGHT_RANGE,
    comparison_name_problem,
    name_problem,
    name_taken,
    parse_minimum,
    parse_weight,
    tidy_details,
    tidy_name,
)
from twintui.core.compare.records import ComparisonRecord
from twintui.core.compare.validate import validate


@pytest.mark.parametrize(("typed", "weight"), [("3", 3), (" 2.5 ", 2.5), ("2,5", 2.5), ("0", 0), ("5", 5),
                                               ("1.005", 1.0), ("4.256", 4.26)])
def test_a_weight_as_typed(typed: str, weight: float) -> None:
    assert parse_weight(typed) == weight


@pytest.mark.parametrize(("typed", "message"), [
    ("", "'nothing' is not a number: type a weight from 0 to 5"),
    ("three", "'three' is not a number: type a weight from 0 to 5"),
    ("=5", "'=5' is not a number: type a weight from 0 to 5"),
    ("5.01", "5.01 is out of range: a weight goes from 0 to 5"),
    ("-1", "-1 is out of range: a weight goes from 0 to 5"),
    ("nan", "nan is out of range: a weight goes from 0 to 5"),
    ("inf", "inf is out of range: a weight goes from 0 to 5"),
])
def test_a_weight_out_of_range_or_not_a_number_says_which(typed: str, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_weight(typed)
    assert str(caught.value) == message


def test_a_minimum_as_typed() -> None:
    assert parse_minimum("") is None and parse_minimum("  ") is None
    assert [parse_minimum(str(n)) for n in range(6)] == [0, 1, 2, 3, 4, 5]
    for typed in ("6", "2.0", "-1", "two", "½"):
        with pytest.raises(ValueError, match="is not a minimum: type a whole number from 0 to 5, or nothing"):
            parse_minimum(typed)


def test_names_clash_case_spacing_and_punctuation_aside() -> None:
    """One rule for the names of a comparison's factors, candidates and of comparisons themselves."""
    assert name_taken("norway.", ["Canada", "Norway"]) and name_taken(" NORWAY ", ["Norway"])
    assert not name_taken("Norway (UDI)", ["Norway"])
    assert name_problem("  ", ["Norway"], "candidate") == "Give the candidate a name."
    assert name_problem("norway.", ["Norway"], "candidate") == "A candidate is already called 'norway.'."
    assert name_problem("Costs  and\ttimeframe", ["Funding"], "factor") is None
    # The model keeps to the same rule, so a form that accepts a name never meets a refusal at the save.
    c = Comparison("t", factors=[Factor("Funding")], candidates=[Candidate("Norway")])
    with pytest.raises(ValueError, match="candidate name already used: 'norway.'"):
        c.add_candidate("norway.")
    with pytest.raises(ValueError, match="factor name already used: 'FUNDING!'"):
        c.add_factor("FUNDING!")
    c.candidates.append(Candidate("Norway!"))  # as a file from outside could have it
    assert validate(c) == ["candidate 2 ('Norway!'): candidate name already used: 'Norway!'"]


def test_a_comparison_name_is_needed_free_and_at_most_the_records_length() -> None:
    assert NAME_LENGTH == ComparisonRecord.field("name").max_length == 200
    assert comparison_name_problem(" \n ", []) == "Give the comparison a name."
    assert comparison_name_problem("x" * 201, []) == "The name is 201 characters long; at most 200."
    assert comparison_name_problem("x" * 200, []) is None
    assert comparison_name_problem("partner for  2027!", ["Partner for 2027"]) == (
        "Another comparison is already called 'partner for 2027!': choose another name.")
    assert comparison_name_problem("Partner for 2028", ["Partner for 2027"]) is None


def test_details_as_typed_are_kept_tidy_the_name_as_every_name_is() -> None:
    """The forms of the screens keep what the core says: one rule for a name's spaces."""
    assert tidy_name("  Norway \t  and   Sweden ") == "Norway and Sweden"
    typed = {"name": "  Partner   2027 ", "organisation": " Ministry ", "learning_gap": "selection  missions ",
             "end_goal": "\n", "other": "ignored"}
    assert tidy_details(typed) == {"name": "Partner 2027", "organisation": "Ministry",
                                   "learning_gap": "selection  missions", "end_goal": ""}
    assert comparison_name_problem("  ", []) == "Give the comparison a name."


def test_the_ranges_in_words_are_the_checks_ranges() -> None:
    assert (SCORE_RANGE, WEIGHT_RANGE) == ("0 to 5", "0 to 5")
    with pytest.raises(ValueError, match="from 0 to 5"):
        parse_weight("6")

