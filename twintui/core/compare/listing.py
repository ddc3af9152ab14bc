"""The comparisons as a list (the Compare partners screen's first view): one row each, its filter and sort.

Each row carries what the list and its preview show — who is first, how firm that is, the verdict — computed
once when the list is read (off the UI thread), so filtering and sorting as the user types reads no matrix.
The filter is typed words alone (``core.listing``); each column sorts by its own key, and rows equal by it
by name, the order the list opens in.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import listing
from ..text import name_key
from . import wording
from .model import Comparison
from .ranking import evaluate
from .sensitivity import sensitivity
from .wording import verdict


@dataclass(frozen=True)
class Entry:
    """One comparison in the list, with what the preview shows (computed off the UI thread)."""

    comparison: Comparison
    leaders: str
    firm: str  # robust, fragile, tied or —
    leader_line: str
    verdict: str
    haystack: str  # lower-case text the filter searches: name, organisation, gap, goal, candidates

    @property
    def id(self) -> str:
        return self.comparison.id

    def cell(self, key: str) -> str:
        c = self.comparison
        if key == "name":
            return c.name
        if key == "organisation":
            return c.organisation
        if key == "candidates":
            return str(len(c.candidates))
        if key == "leader":
            return self.leaders
        if key == "firm":
            return self.firm
        return c.updated_at[:10]  # who changed it is in the preview

    @classmethod
    def of(cls, comparison: Comparison) -> Entry:
        ev = evaluate(comparison)
        sens = sensitivity(comparison)
        c = comparison
        haystack = " ".join([c.name, c.organisation, c.learning_gap, c.end_goal, *(x.name for x in c.candidates)])
        return cls(comparison, " and ".join(ev.leaders) or "—", wording.firmness(comparison, ev, sens),
                   wording.leader_line(comparison, ev), verdict(comparison, ev, sens), haystack.casefold())


LISTING: listing.Listing[Entry, listing.TextFilter] = listing.Listing(facets={}, text=lambda e: e.haystack)
SORT_KEYS: dict[str, listing.SortKey[Entry]] = {
    "name": lambda e: name_key(e.comparison.name),
    "organisation": lambda e: e.comparison.organisation.casefold(),
    "candidates": lambda e: len(e.comparison.candidates),
    "leader": lambda e: e.leaders.casefold(),
    "firm": lambda e: e.firm,
    "updated": lambda e: e.comparison.updated_at,
}
BY_NAME = ((lambda e: (name_key(e.comparison.name), e.id), False),)
