"""The comparisons as a list (core/compare/listing.py): each row's cells, the typed filter and the sorts."""

from __future__ import annotations

from dataclasses import replace

from twintui.core import listing
from twintui.core.compare import evaluate
from twintui.core.compare.listing import BY_NAME, LISTING, SORT_KEYS, Entry

from .examples import small


def test_a_row_says_who_is_first_and_how_firm_and_its_cells_read_it() -> None:
    comparison = small()
    entry = Entry.of(comparison)
    assert entry.leaders == " and ".join(evaluate(comparison).leaders)
    assert entry.cell("name") == comparison.name
    assert entry.cell("candidates") == str(len(comparison.candidates))
    assert entry.cell("leader") == entry.leaders
    assert entry.firm in ("robust", "fragile", "tied", "—")
    assert entry.cell("updated") == comparison.updated_at[:10]


def test_the_filter_finds_a_candidate_by_name_and_every_word_must_match() -> None:
    a, b = small("Partner for 2027"), small("Romania 2028")
    b = replace(b, candidates=[replace(b.candidates[0], name="Finnish Immigration Service"), *b.candidates[1:]])
    entries = [Entry.of(a), Entry.of(b)]
    found = LISTING.query(entries, listing.TextFilter("finnish 2028"), SORT_KEYS["name"], False, then=BY_NAME)
    assert [e.comparison.name for e in found] == ["Romania 2028"]
    assert LISTING.query(entries, listing.TextFilter("finnish 2027"), SORT_KEYS["name"], False) == []


def test_rows_sort_by_any_column_and_equal_ones_by_name() -> None:
    names = ["b second", "A first", "c third"]
    entries = [Entry.of(replace(small(n), updated_at=f"2026-0{i + 1}-01T00:00:00+00:00")) for i, n in enumerate(names)]
    by_name = LISTING.query(entries, listing.TextFilter(), SORT_KEYS["name"], False, then=BY_NAME)
    assert [e.comparison.name for e in by_name] == ["A first", "b second", "c third"]  # case aside
    latest = LISTING.query(entries, listing.TextFilter(), SORT_KEYS["updated"], True, then=BY_NAME)
    assert [e.comparison.name for e in latest] == ["c third", "A first", "b second"]
    # The same number of candidates everywhere: the name decides.
    by_count = LISTING.query(entries, listing.TextFilter(), SORT_KEYS["candidates"], False, then=BY_NAME)
    assert [e.comparison.name for e in by_count] == ["A first", "b second", "c third"]
