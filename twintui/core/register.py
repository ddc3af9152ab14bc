"""The Twinning Register as a list: rows, filter, facets and sort, done here, not in a widget.

The screen asks for the rows matching a ``Filter`` in an order; with 10,000
arrangements that is a few milliseconds, so the list can follow every keystroke.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from .model import Arrangement, Partner, coerce
from .store import Store

# Statuses for which a quarterly update is still expected.
REPORTING_STATUSES = frozenset({"planned", "active", "suspended"})

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
)


def quarter_number(quarter: str) -> int:
    """Quarters as consecutive integers (2026-Q1 → 8104), so they can be subtracted."""
    return int(quarter[:4]) * 4 + int(quarter[-1]) - 1


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
    stale_only: bool = False

    def with_facet(self, facet: str, values: Iterable[str]) -> Filter:
        return replace(self, **{facet: frozenset(values)})

    @property
    def active_facets(self) -> dict[str, frozenset[str]]:
        return {name: getattr(self, name) for name, _ in FACETS if getattr(self, name)}

    def describe(self) -> str:
        parts = [f"{label}: {', '.join(sorted(getattr(self, name)))}" for name, label in FACETS
                 if getattr(self, name)]
        if self.stale_only:
            parts.append("stale only")
        return " · ".join(parts)


def is_stale(arrangement: Arrangement, today: dt.date) -> bool:
    """Not reported for more than one quarter while the arrangement still runs."""
    if arrangement.status not in REPORTING_STATUSES:
        return False
    if not arrangement.reported_quarter:
        return True
    return quarter_number(coerce.quarter_of(today)) - quarter_number(arrangement.reported_quarter) > 1


def make_row(arrangement: Arrangement, partners: list[Partner], today: dt.date) -> Row:
    return row_from_doc(arrangement.to_doc(), [p.to_doc() for p in partners], today)


def row_from_doc(a: dict[str, Any], partners: list[dict[str, Any]], today: dt.date) -> Row:
    """A row straight from stored documents: no record objects, as this runs 10,000 times at start."""
    names = "; ".join(p["name"] for p in partners)
    start, end = a.get("start") or "", a.get("end") or ""
    status, quarter = a.get("status") or "", a.get("reported_quarter") or ""
    if status not in REPORTING_STATUSES:
        stale = False
    else:
        stale = not quarter or quarter_number(coerce.quarter_of(today)) - quarter_number(quarter) > 1
    haystack = " ".join((
        a["id"], a.get("title") or "", names, a.get("best_practices") or "", a.get("lessons_learned") or "",
        a.get("contact_name") or "", a.get("contact_email") or "", a.get("contact_phone") or "",
        " ".join(p.get("contact") or "" for p in partners),
    )).casefold()
    return Row(
        id=a["id"], state=a.get("reporting_state") or "", title=a.get("title") or "", status=status,
        dates=f"{start or '…'}–{end or '…'}" if (start or end) else "", partners=names,
        quarter=quarter, stale=stale, start=start, end=end,
        activity_types=tuple(a.get("activity_types") or ()), areas=tuple(a.get("areas") or ()), haystack=haystack,
    )


@dataclass
class RegisterList:
    """All rows of the register, ready to be filtered and sorted."""

    rows: list[Row] = field(default_factory=list)
    today: dt.date = field(default_factory=dt.date.today)

    @classmethod
    def from_store(cls, store: Store, today: dt.date | None = None) -> RegisterList:
        today = today or dt.date.today()
        by_arrangement: dict[str, list[dict[str, Any]]] = {}
        for partner in store.docs(Partner):
            by_arrangement.setdefault(partner["arrangement"], []).append(partner)
        rows = [row_from_doc(a, by_arrangement.get(a["id"], []), today) for a in store.docs(Arrangement)]
        return cls(rows, today)

    def __len__(self) -> int:
        return len(self.rows)

    def upsert(self, arrangement: Arrangement, partners: list[Partner]) -> Row:
        """Replace (or add) one row after an edit, without rebuilding the list."""
        row = make_row(arrangement, partners, self.today)
        for index, existing in enumerate(self.rows):
            if existing.id == row.id:
                self.rows[index] = row
                return row
        self.rows.append(row)
        return row

    def remove(self, arrangement_id: str) -> None:
        self.rows = [row for row in self.rows if row.id != arrangement_id]

    def query(self, wanted: Filter, sort: str = "id", descending: bool = False) -> list[Row]:
        tokens = wanted.text.casefold().split()
        matches = [row for row in self.rows if _matches(row, wanted, tokens)]
        matches.sort(key=_sort_key(sort), reverse=descending)
        return matches

    def facet_counts(self, wanted: Filter) -> dict[str, Counter[str]]:
        """For each facet, how many rows each value would show, given the other choices."""
        tokens = wanted.text.casefold().split()
        counts: dict[str, Counter[str]] = {}
        for facet, _ in FACETS:
            others = wanted.with_facet(facet, ())
            counter: Counter[str] = Counter()
            for row in self.rows:
                if _matches(row, others, tokens):
                    counter.update(_facet_values(row, facet))
            counts[facet] = counter
        return counts


def _facet_values(row: Row, facet: str) -> Iterable[str]:
    if facet == "states":
        return (row.state,)
    if facet == "statuses":
        return (row.status,)
    if facet == "quarters":
        return (row.quarter or "never",)
    return getattr(row, facet)


def _matches(row: Row, wanted: Filter, tokens: list[str]) -> bool:
    if wanted.states and row.state not in wanted.states:
        return False
    if wanted.statuses and row.status not in wanted.statuses:
        return False
    if wanted.quarters and (row.quarter or "never") not in wanted.quarters:
        return False
    if wanted.activity_types and wanted.activity_types.isdisjoint(row.activity_types):
        return False
    if wanted.areas and wanted.areas.isdisjoint(row.areas):
        return False
    if wanted.stale_only and not row.stale:
        return False
    return all(token in row.haystack for token in tokens)


def _sort_key(column: str) -> Any:
    if column == "id":
        # TW-NOR-0002 before TW-NOR-0010, whatever the width of the number.
        return lambda row: (row.id[:7], len(row.id), row.id)
    if column == "dates":
        return lambda row: (row.start or "9999", row.end or "9999")
    if column == "title":
        return lambda row: row.title.casefold()
    return lambda row: (row.cell(column).casefold(), row.id)
