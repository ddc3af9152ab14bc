"""The Twinning Register as a list: rows, filter, facets and sort, done here, not in a widget.

The screen asks for the rows matching a ``Filter`` in an order; with 10,000
arrangements that is a few milliseconds, so the list can follow every keystroke.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from operator import attrgetter
from typing import Any

from . import listing, reporting
from .model import Arrangement, Partner, coerce
from .model.returns import QuarterlyReturn
from .progress.standing import NO_OBJECTIVES, Standing
from .store import Store

# (key, header) of the columns, in display order.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("id", "ID"),
    ("state", "State"),
    ("title", "Title"),
    ("status", "Status"),
    ("dates", "Start–end"),
    ("partners", "Partners"),
    ("quarter", "Reported"),
)

FACETS: tuple[tuple[str, str], ...] = (
    ("states", "State"),
    ("statuses", "Status"),
    ("activity_types", "Activity type"),
    ("areas", "Area"),
    ("quarters", "Quarter"),
    ("progress", "Progress"),  # the verdicts of the arrangement's MoU objectives (core.progress)
)


@dataclass(frozen=True, slots=True)
class Row:
    id: str
    state: str
    title: str
    status: str
    dates: str
    partners: str
    quarter: str
    stale: bool
    start: str
    end: str
    activity_types: tuple[str, ...]
    areas: tuple[str, ...]
    haystack: str  # lower-cased text the filter searches

    def cell(self, key: str) -> str:
        return getattr(self, key)


@dataclass(frozen=True)
class Filter:
    """What the user narrowed the register to; empty sets mean "any"."""

    text: str = ""
    states: frozenset[str] = frozenset()
    statuses: frozenset[str] = frozenset()
    activity_types: frozenset[str] = frozenset()
    areas: frozenset[str] = frozenset()
    quarters: frozenset[str] = frozenset()
    progress: frozenset[str] = frozenset()
    stale_only: bool = False
    behind_only: bool = False  # an objective off track or a milestone late

    def with_facet(self, facet: str, values: Iterable[str]) -> Filter:
        return replace(self, **{facet: frozenset(values)})

    def describe(self) -> str:
        parts = listing.chosen(self, FACETS)
        if self.stale_only:
            parts.append("stale only")
        if self.behind_only:
            parts.append("behind only")
        return " · ".join(parts)


# What the facets look at; an arrangement never reported counts as "never". The progress facet and
# "behind only" read the arrangements' standings, which ``RegisterList`` holds (``RegisterList.listing``).
ROW_FACETS: dict[str, listing.FacetValues[Row, Filter]] = {
    "states": lambda row, _: (row.state,),
    "statuses": lambda row, _: (row.status,),
    "activity_types": lambda row, _: row.activity_types,
    "areas": lambda row, _: row.areas,
    "quarters": lambda row, _: (row.quarter or "never",),
}
NOT_COUNTED = (NO_OBJECTIVES,)


def is_stale(arrangement: Arrangement, today: dt.date, received: bool = False) -> bool:
    """Still under way and not reported for the last quarter past its due date (``core.reporting``);
    ``received``: its state's return for that quarter came back."""
    a = arrangement
    return reporting.is_stale(a.status or "", a.start, a.end, a.reported_quarter or "", today, received)


def received_returns(store: Store, today: dt.date) -> frozenset[str]:
    """The states whose return for the last quarter past its due date came back (the returns tracker)."""
    quarter = reporting.last_due_quarter(today)
    return frozenset(doc.get("state") or "" for doc in store.docs(QuarterlyReturn)
                     if doc.get("quarter") == quarter and doc.get("received_at"))


def row_from_doc(a: dict[str, Any], partners: list[dict[str, Any]], today: dt.date,
                 received: frozenset[str] = frozenset()) -> Row:
    """A row straight from stored documents: no record objects, as this runs 10,000 times at start.

    ``received``: the states whose return for the last quarter past due came back (``received_returns``).
    """
    names = "; ".join(p["name"] for p in partners)
    start, end = a.get("start") or "", a.get("end") or ""
    status, quarter = a.get("status") or "", a.get("reported_quarter") or ""
    state = a.get("reporting_state") or ""
    stale = reporting.is_stale(status, start, end, quarter, today, state in received)
    haystack = " ".join((
        a["id"], a.get("title") or "", names, a.get("best_practices") or "", a.get("lessons_learned") or "",
        a.get("contact_name") or "", a.get("contact_email") or "", a.get("contact_phone") or "",
        " ".join(p.get("contact") or "" for p in partners),
        # States by code and name: the reporting state and every partner's country.
        coerce.country_words(state), " ".join(coerce.country_words(p.get("country") or "") for p in partners),
    )).casefold()
    return Row(
        id=a["id"], state=state, title=a.get("title") or "", status=status,
        dates=f"{start or '…'}–{end or '…'}" if (start or end) else "", partners=names,
        quarter=quarter, stale=stale, start=start, end=end,
        activity_types=tuple(a.get("activity_types") or ()), areas=tuple(a.get("areas") or ()), haystack=haystack,
    )


@dataclass
class RegisterList:
    """All rows of the register, ready to be filtered and sorted."""

    rows: list[Row] = field(default_factory=list)
    today: dt.date = field(default_factory=dt.date.today)
    received: frozenset[str] = frozenset()  # see received_returns
    # Arrangement id → its objectives' verdicts (``core.progress.standings``), read after the rows (it takes
    # longer than the list on a large register); None until then.
    standings: dict[str, Standing] | None = None

    @classmethod
    def from_store(cls, store: Store, today: dt.date | None = None) -> RegisterList:
        today = today or dt.date.today()
        by_arrangement: dict[str, list[dict[str, Any]]] = {}
        for partner in store.docs(Partner):
            by_arrangement.setdefault(partner["arrangement"], []).append(partner)
        received = received_returns(store, today)
        rows = [row_from_doc(a, by_arrangement.get(a["id"], []), today, received) for a in store.docs(Arrangement)]
        return cls(rows, today, received)

    def __len__(self) -> int:
        return len(self.rows)

    def remove(self, arrangement_id: str) -> None:
        self.rows = [row for row in self.rows if row.id != arrangement_id]

    def standing(self, row: Row) -> Standing | None:
        return self.standings.get(row.id) if self.standings else None

    def behind(self, row: Row) -> bool:
        """An objective of its MoU off track or a milestone late (False while the standings are not read)."""
        found = self.standing(row)
        return found is not None and found.behind

    def progress_values(self, row: Row, _: Filter) -> tuple[str, ...]:
        found = self.standing(row)
        return found.facet() if found is not None else NOT_COUNTED

    def also(self, wanted: Filter) -> Any:
        stale = attrgetter("stale") if wanted.stale_only else None
        behind = self.behind if wanted.behind_only else None
        if stale is None or behind is None:
            return stale or behind
        return lambda row: stale(row) and behind(row)

    @property
    def listing(self) -> listing.Listing[Row, Filter]:
        """How the rows are filtered, the progress facet reading this list's standings."""
        return listing.Listing(facets={**ROW_FACETS, "progress": self.progress_values}, text=attrgetter("haystack"),
                               also=self.also)

    def query(self, wanted: Filter, sort: str = "id", descending: bool = False) -> list[Row]:
        return self.listing.query(self.rows, wanted, _sort_key(sort), descending)

    def facet_counts(self, wanted: Filter) -> dict[str, Counter[str]]:
        """For each facet, how many rows each value would show, given the other choices."""
        return self.listing.facet_counts(self.rows, wanted)


def _sort_key(column: str) -> Any:
    if column == "id":
        # TW-NOR-0002 before TW-NOR-0010, whatever the width of the number.
        return lambda row: (row.id[:7], len(row.id), row.id)
    if column == "dates":
        return lambda row: (row.start or "9999", row.end or "9999")
    if column == "title":
        return lambda row: row.title.casefold()
    return lambda row: (row.cell(column).casefold(), row.id)
