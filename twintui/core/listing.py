"""Filtering, facet counting and sorting of the lists the screens show: the register, the risks, the returns.

A list's filter is a frozen dataclass with the typed ``text`` and one frozenset of chosen values per
facet (empty: any). Every typed word must be in a row's text, case aside; within a facet any chosen
value matches, across facets all must (as the facet screen says); what else a list narrows by (stale
only, overdue only, a heat-map cell) is its own ``also`` test. A facet's counts say how many rows each
value would show given the other choices, so a value can be ticked that the current choice hides.

Each list describes its rows to a ``Listing`` once; the screens ask it, and never filter themselves.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Generic, TypeVar

R = TypeVar("R")  # a row
F = TypeVar("F")  # its list's filter

# A row's values for one facet; the filter is passed for the facets that follow a switch (risk bands
# follow the residual score when it is on).
FacetValues = Callable[[R, F], Iterable[str]]
SortKey = Callable[[R], Any]


def words(text: str) -> tuple[str, ...]:
    """The words of a typed filter, case aside, each once: a pasted page costs what its distinct words do."""
    return tuple(dict.fromkeys(text.casefold().split()))


@dataclass(frozen=True)
class TextFilter:
    """The filter of a list narrowed by typed words alone, without facets (the comparisons, the MoU picker)."""

    text: str = ""


def _nothing_else(wanted: Any) -> None:
    return None


@dataclass(frozen=True)
class Listing(Generic[R, F]):
    """How one list is filtered: the text its rows are searched by and their values for each facet."""

    facets: Mapping[str, FacetValues[R, F]]  # facet name (a field of the filter) -> the row's values
    text: Callable[[R], str]  # the lower-cased text the typed words are looked for in
    # The list's own conditions for a filter, or None when it adds none: asked once per query, not per row.
    also: Callable[[F], Callable[[R], bool] | None] = _nothing_else

    def matcher(self, wanted: F) -> Callable[[R], bool]:
        """Whether a row passes ``wanted``; the choices are read once, as a list of 10,000 asks per key."""
        chosen = [(values, choice) for name, values in self.facets.items() if (choice := getattr(wanted, name))]
        typed = words(getattr(wanted, "text"))
        text, also = self.text, self.also(wanted)

        def keeps(row: R) -> bool:
            if also is not None and not also(row):
                return False
            for values, choice in chosen:
                if choice.isdisjoint(values(row, wanted)):
                    return False
            if typed:
                found = text(row)
                return all(word in found for word in typed)
            return True

        return keeps

    def query(self, rows: Iterable[R], wanted: F, key: SortKey[R] | None = None, descending: bool = False,
              then: Sequence[tuple[SortKey[R], bool]] = ()) -> list[R]:
        """The rows ``wanted`` keeps, sorted by ``key`` (see ``ordered``); without a key in their order."""
        keeps = self.matcher(wanted)
        found = [row for row in rows if keeps(row)]
        return ordered(found, key, descending, then) if key is not None else found

    def facet_counts(self, rows: Sequence[R], wanted: F) -> dict[str, Counter[str]]:
        """For each facet, how many rows each value would show, given the other choices.

        A row counts once for each of its values (an arrangement of two areas counts for both).
        """
        counts: dict[str, Counter[str]] = {}
        for name, values in self.facets.items():
            others = self.matcher(replace(wanted, **{name: frozenset()}))  # type: ignore[type-var]
            counter: Counter[str] = Counter()
            for row in rows:
                if others(row):
                    counter.update(values(row, wanted))
            counts[name] = counter
        return counts


def ordered(rows: Iterable[R], key: SortKey[R], descending: bool = False,
            then: Sequence[tuple[SortKey[R], bool]] = ()) -> list[R]:
    """``rows`` sorted by ``key``; rows equal by it ordered by each ``(key, reverse)`` of ``then`` in turn,
    the same way whichever way the first key runs; rows equal by all keep their order."""
    result = list(rows)
    for tie, reverse in reversed(then):
        result.sort(key=tie, reverse=reverse)
    result.sort(key=key, reverse=descending)  # stable, reversed too: ties keep the order above
    return result


def chosen(wanted: object, facets: Iterable[tuple[str, str]]) -> list[str]:
    """The facet choices of ``wanted`` in words, one "Label: a, b" per facet with a choice, in facet order."""
    return [f"{label}: {', '.join(sorted(values))}" for name, label in facets if (values := getattr(wanted, name))]
