"""The shared list rules (core/listing.py): typed words, facets, their counts and the sort.

A small list of its own, so the rules are seen apart from any one screen: the register, the
risks and the returns tracker each describe their rows to the same ``Listing``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import pytest

from twintui.core.listing import Listing, chosen, ordered, words


@dataclass(frozen=True)
class Item:
    id: str
    state: str
    areas: tuple[str, ...]
    text: str
    late: bool = False


@dataclass(frozen=True)
class Wanted:
    text: str = ""
    states: frozenset[str] = frozenset()
    areas: frozenset[str] = frozenset()
    late_only: bool = False


ITEMS = [
    Item("A-10", "NOR", ("reception",), "selection missions norway"),
    Item("A-2", "SWE", ("reception", "integration"), "orientation curriculum sweden", late=True),
    Item("A-3", "NOR", (), "community sponsorship norway", late=True),
    Item("A-1", "ESP", ("integration",), "housing \x1b[2k spain"),
]

LIST: Listing[Item, Wanted] = Listing(
    facets={"states": lambda item, _: (item.state,), "areas": lambda item, _: item.areas},
    text=lambda item: item.text,
    also=lambda wanted: (lambda item: item.late) if wanted.late_only else None,
)


def ids(items: list[Item]) -> list[str]:
    return [item.id for item in items]


def test_an_empty_query_keeps_every_row_in_their_order() -> None:
    assert ids(LIST.query(ITEMS, Wanted())) == ["A-10", "A-2", "A-3", "A-1"]
    assert ids(LIST.query(ITEMS, Wanted(text="   \t "))) == ["A-10", "A-2", "A-3", "A-1"]
    assert LIST.query([], Wanted(text="norway")) == []


def test_every_typed_word_must_be_in_the_row_case_aside() -> None:
    assert ids(LIST.query(ITEMS, Wanted(text="NORWAY"))) == ["A-10", "A-3"]
    assert ids(LIST.query(ITEMS, Wanted(text="norway  missions"))) == ["A-10"]
    assert ids(LIST.query(ITEMS, Wanted(text="norway sweden"))) == []


def test_facets_any_value_within_one_all_across_and_the_lists_own_conditions() -> None:
    assert ids(LIST.query(ITEMS, Wanted(states=frozenset({"NOR", "ESP"})))) == ["A-10", "A-3", "A-1"]
    assert ids(LIST.query(ITEMS, Wanted(areas=frozenset({"integration"})))) == ["A-2", "A-1"]
    assert ids(LIST.query(ITEMS, Wanted(states=frozenset({"NOR"}), areas=frozenset({"reception"})))) == ["A-10"]
    assert ids(LIST.query(ITEMS, Wanted(late_only=True))) == ["A-2", "A-3"]
    assert ids(LIST.query(ITEMS, Wanted(text="norway", late_only=True))) == ["A-3"]


def test_facet_counts_follow_the_other_choices_not_their_own() -> None:
    counts = LIST.facet_counts(ITEMS, Wanted(states=frozenset({"NOR"})))
    # The state facet counts as if no state were chosen, so the other states can still be ticked.
    assert counts["states"] == Counter({"NOR": 2, "SWE": 1, "ESP": 1})
    # A row counts once for each of its values; a row with none counts for none.
    assert counts["areas"] == Counter({"reception": 1})
    counts = LIST.facet_counts(ITEMS, Wanted(text="norway", areas=frozenset({"reception"})))
    assert counts["states"] == Counter({"NOR": 1})
    assert counts["areas"] == Counter({"reception": 1})


def test_a_sort_by_a_column_and_its_reverse() -> None:
    by_state = LIST.query(ITEMS, Wanted(), key=lambda item: item.state)
    assert ids(by_state) == ["A-1", "A-10", "A-3", "A-2"]  # ties keep the list's order
    # Reversed, the ties keep the list's order too (a stable sort, not a reversed list).
    assert ids(LIST.query(ITEMS, Wanted(), key=lambda item: item.state, descending=True)) == [
        "A-2", "A-10", "A-3", "A-1"]


def test_ties_are_ordered_by_the_next_keys_whichever_way_the_first_runs() -> None:
    then = [(lambda item: item.late, True), (lambda item: item.id, False)]
    assert ids(ordered(ITEMS, lambda item: item.state, then=then)) == ["A-1", "A-3", "A-10", "A-2"]
    assert ids(ordered(ITEMS, lambda item: item.state, descending=True, then=then)) == [
        "A-2", "A-3", "A-10", "A-1"]


def test_words_are_folded_and_said_once() -> None:
    assert words("Norway  NORWAY norway\tStraße") == ("norway", "strasse")
    assert words("") == ()


def test_control_characters_in_the_query_are_plain_characters() -> None:
    # An escape sequence matches only a row that holds it, never every row, and raises nothing.
    assert ids(LIST.query(ITEMS, Wanted(text="\x1b[2K"))) == ["A-1"]
    assert LIST.query(ITEMS, Wanted(text="\x00")) == []
    assert LIST.query(ITEMS, Wanted(text="nor\x00way")) == []
    assert LIST.facet_counts(ITEMS, Wanted(text="\u202e\x07"))["states"] == Counter()


def test_a_huge_query_answers_at_once() -> None:
    # A pasted page: a million characters of one word repeated is that word once.
    assert ids(LIST.query(ITEMS, Wanted(text="norway " * 150_000))) == ["A-10", "A-3"]
    assert LIST.query(ITEMS, Wanted(text="x" * 1_000_000)) == []
    assert LIST.facet_counts(ITEMS, Wanted(text="norway " * 150_000))["states"] == Counter({"NOR": 2})


def test_the_choices_described_in_facet_order() -> None:
    wanted = Wanted(states=frozenset({"SWE", "NOR"}), areas=frozenset({"integration"}))
    assert chosen(wanted, [("states", "State"), ("areas", "Area")]) == ["State: NOR, SWE", "Area: integration"]
    assert chosen(Wanted(), [("states", "State")]) == []


def test_a_facet_the_filter_lacks_is_a_mistake_said_at_once() -> None:
    broken: Listing[Item, Wanted] = Listing(facets={"owners": lambda item, _: ()}, text=lambda item: item.text)
    with pytest.raises(AttributeError):
        broken.query(ITEMS, Wanted())
