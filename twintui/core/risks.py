"""The risk register across arrangements: scores, bands, heat map, overdue reviews, filters.

A risk's score is likelihood × impact (1–25) and its band low, medium, high or
critical (SPEC §2). The residual score is what is left once the mitigation is in
place; a residual score above the inherent one is flagged. A review date in the
past on an open risk is overdue. Everything here is computed from the store's
documents, so the Risks screen can follow every keystroke.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from operator import attrgetter
from typing import Any

from . import listing
from .model import Arrangement, Risk, coerce
from .store import Store

BAND_LETTERS: dict[str, str] = {"low": "L", "medium": "M", "high": "H", "critical": "C"}
LEVELS = range(1, 6)

# (key, header) of the list's columns, in display order.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("arrangement", "Arrangement"),
    ("id", "Risk"),
    ("rating", "Score"),
    ("description", "Description"),
    ("owner", "Owner"),
    ("next_review", "Review"),
)


@dataclass(frozen=True, slots=True)
class RiskRow:
    """One risk with what the list shows of its arrangement."""

    risk: Risk
    state: str
    arrangement_title: str
    overdue: bool
    residual_view: bool = False  # the list shows the residual score (after mitigation), not the inherent one
    words: str = ""  # lower-cased text '/' searches

    @property
    def key(self) -> str:
        return self.risk.key

    @property
    def worse_after_mitigation(self) -> bool:
        residual = self.risk.residual_score
        return residual is not None and residual > self.risk.score

    def score(self, residual: bool = False) -> int | None:
        return self.risk.residual_score if residual else self.risk.score

    def band(self, residual: bool = False) -> str | None:
        return self.risk.residual_band if residual else self.risk.band

    def position(self, residual: bool = False) -> tuple[int, int] | None:
        """(likelihood, impact) on the heat map."""
        if residual:
            r = self.risk
            if r.residual_likelihood is None or r.residual_impact is None:
                return None
            return r.residual_likelihood, r.residual_impact
        return self.risk.likelihood, self.risk.impact

    def cell(self, key: str) -> str:
        """Text of a list column (see COLUMNS)."""
        r = self.risk
        if key == "rating":
            flag = "↑" if self.worse_after_mitigation else ""
            score, band = self.score(self.residual_view), self.band(self.residual_view)
            if score is None or band is None:
                return f"  —{flag}"  # no residual assessment yet
            return f"{BAND_LETTERS[band]} {score:>2}{flag}"
        if key == "next_review":
            return r.next_review.isoformat() if r.next_review else ""
        return str(getattr(r, key) or "")


@dataclass(frozen=True)
class RiskFilter:
    """What the user narrowed the list to; None or empty means any."""

    text: str = ""
    arrangements: frozenset[str] = frozenset()
    states: frozenset[str] = frozenset()
    categories: frozenset[str] = frozenset()
    owners: frozenset[str] = frozenset()
    bands: frozenset[str] = frozenset()
    overdue_only: bool = False
    include_closed: bool = False
    residual: bool = False  # bands and the heat-map cell follow the residual score
    cell: tuple[int, int] | None = None

    def describe(self) -> str:
        parts = listing.chosen(self, FACETS)
        if self.overdue_only:
            parts.append("overdue only")
        if self.cell:
            parts.append(f"cell L{self.cell[0]}×I{self.cell[1]}")
        return " · ".join(parts)


FACETS: tuple[tuple[str, str], ...] = (
    ("arrangements", "Arrangement"),
    ("states", "State"),
    ("categories", "Category"),
    ("owners", "Owner"),
    ("bands", "Band"),
)


@dataclass(frozen=True)
class Summary:
    total: int
    by_band: Counter[str]
    overdue: int
    overdue_owners: Counter[str]
    worse_after_mitigation: int

    def line(self) -> str:
        bands = " · ".join(f"{self.by_band[b]} {b}" for b in ("critical", "high", "medium", "low"))
        return f"{self.total} risks: {bands}"


@dataclass
class RiskRegister:
    rows: list[RiskRow] = field(default_factory=list)
    today: dt.date = field(default_factory=dt.date.today)

    @classmethod
    def from_store(cls, store: Store, today: dt.date | None = None) -> RiskRegister:
        today = today or dt.date.today()
        arrangements = {doc["id"]: doc for doc in store.docs(Arrangement)}
        rows = []
        for doc in store.docs(Risk):
            risk = Risk.from_doc(doc)
            parent = arrangements.get(risk.arrangement, {})
            state = parent.get("reporting_state", "")
            words = " ".join((risk.arrangement, risk.id, risk.description, risk.mitigation, risk.owner,
                              risk.category, parent.get("title", ""), coerce.country_words(state))).casefold()
            rows.append(RiskRow(risk, state, parent.get("title", ""), risk.overdue(today), words=words))
        rows.sort(key=lambda row: (row.risk.arrangement, row.risk.id))
        return cls(rows, today)

    def __len__(self) -> int:
        return len(self.rows)

    def query(self, wanted: RiskFilter, sort: str = "rating", descending: bool = True) -> list[RiskRow]:
        found = LISTING.query(self.rows, wanted, _sort_key(sort, wanted.residual), descending)
        if wanted.residual:
            found = [replace(row, residual_view=True) for row in found]
        return found

    def heat(self, wanted: RiskFilter) -> Counter[tuple[int, int]]:
        """Risks per (likelihood, impact) cell, for the filter without its own cell choice."""
        counts: Counter[tuple[int, int]] = Counter()
        for row in self.query(replace(wanted, cell=None)):
            position = row.position(wanted.residual)
            if position:
                counts[position] += 1
        return counts

    def summary(self, rows: Iterable[RiskRow], residual: bool = False) -> Summary:
        rows = list(rows)
        return Summary(
            total=len(rows),
            by_band=Counter(row.band(residual) or "not assessed" for row in rows),
            overdue=sum(row.overdue for row in rows),
            overdue_owners=Counter(row.risk.owner or "(no owner)" for row in rows if row.overdue),
            worse_after_mitigation=sum(row.worse_after_mitigation for row in rows),
        )

    def facet_values(self, wanted: RiskFilter) -> dict[str, Counter[str]]:
        """For each facet, how many risks each value would show, given the other choices."""
        return LISTING.facet_counts(self.rows, wanted)


def _also(wanted: RiskFilter) -> Callable[[RiskRow], bool]:
    """Open risks unless closed ones are asked for; overdue only; the heat-map cell chosen."""

    def keeps(row: RiskRow) -> bool:
        if row.risk.status == "closed" and not wanted.include_closed:
            return False
        if wanted.overdue_only and not row.overdue:
            return False
        return not wanted.cell or row.position(wanted.residual) == wanted.cell

    return keeps


# The bands follow the residual score when the filter switches to it; a risk with no owner counts as "(no owner)".
LISTING: listing.Listing[RiskRow, RiskFilter] = listing.Listing(
    facets={
        "arrangements": lambda row, _: (row.risk.arrangement,),
        "states": lambda row, _: (row.state,),
        "categories": lambda row, _: (row.risk.category,),
        "owners": lambda row, _: (row.risk.owner or "(no owner)",),
        "bands": lambda row, wanted: (row.band(wanted.residual) or "not assessed",),
    },
    text=attrgetter("words"),
    also=_also,
)


def _sort_key(column: str, residual: bool) -> Any:
    if column == "rating":
        return lambda row: (row.score(residual) or 0, row.overdue, row.key)
    if column == "next_review":
        return lambda row: (row.risk.next_review or dt.date.max, row.key)
    if column == "id":
        return lambda row: (row.risk.arrangement, len(row.risk.id), row.risk.id)
    return lambda row: (row.cell(column).casefold(), row.key)
