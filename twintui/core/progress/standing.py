"""What the screens ask of progress: where each arrangement stands, one arrangement's progress, and who reported.

- ``standings``: per arrangement, the verdicts of its objectives (the Register's facet) and whether one
  needs acting on: an objective **off track** or a milestone **late** (the Register's mark);
- ``progress_reported``: for a state and a quarter, which of its arrangements with an MoU in force that
  ran in the quarter have progress records (values, activities or spending) for it (the Returns screen).

Both answer from ``assess``: one rule for the command line, the report and the screens (a record's
Progress panel asks ``assess_one``, from the arrangement's own documents).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .. import reporting
from ..model import Arrangement, Record
from ..model.progress import ActivityProgress, ObjectiveProgress, Spending
from ..mou.model import Memorandum
from .assess import ArrangementProgress, Kept, assess
from .verdicts import ACT_ON, VERDICTS

if TYPE_CHECKING:
    from ..store import Store

NO_OBJECTIVES = "no objectives"  # the facet's value for an arrangement without an MoU objective
PROGRESS_TABLES: tuple[type[Record], ...] = (ObjectiveProgress, ActivityProgress, Spending)
_ORDER = {verdict: n for n, verdict in enumerate(VERDICTS)}


@dataclass(frozen=True, slots=True)
class Standing:
    """An arrangement's objectives' verdicts, each once, in the rule's order (``VERDICTS``)."""

    verdicts: tuple[str, ...]

    @property
    def behind(self) -> bool:
        """An objective off track or a milestone late: something will not be met in time."""
        return not ACT_ON.isdisjoint(self.verdicts)

    def facet(self) -> tuple[str, ...]:
        """Its values for the Register's Progress facet."""
        return self.verdicts or (NO_OBJECTIVES,)


def standing_of(progress: ArrangementProgress) -> Standing:
    return Standing(tuple(sorted({o.verdict for o in progress.objectives}, key=_ORDER.__getitem__)))


def standings(store: Store, as_of: dt.date, kept: Kept | None = None) -> dict[str, Standing]:
    """Arrangement id → its standing, for every arrangement with an MoU or reported progress (``kept``: the
    verdicts of the last call, reused for the arrangements nothing changed in: ``assess.Kept``)."""
    return {found.id: standing_of(found) for found in assess(store, as_of=as_of, kept=kept)}


@dataclass(frozen=True, slots=True)
class Reporting:
    """A state's arrangements owing progress for a quarter (an MoU in force, running in it) and who reported."""

    expected: tuple[str, ...]  # arrangement ids, sorted
    reported: tuple[str, ...]

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(key for key in self.expected if key not in self.reported)

    @property
    def status(self) -> str:
        """reported, partly, missing, or none owed (no arrangement with an MoU ran in the quarter)."""
        if not self.expected:
            return "none owed"
        if not self.missing:
            return "reported"
        return "partly" if self.reported else "missing"

    def cell(self) -> str:
        """The Returns screen's cell: reported, '2 of 3', missing; blank when nothing is owed."""
        status = self.status
        if status == "partly":
            return f"{len(self.reported)} of {len(self.expected)}"
        return "" if status == "none owed" else status


PROGRESS_STATUSES = ("missing", "partly", "reported", "none owed")  # what to chase first


def progress_reported(store: Store, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], Reporting]:
    """For each (state, quarter): its arrangements with an MoU in force that ran in the quarter, and which of
    them have a progress record (a value, an activity's state or the spending) for that quarter.

    An MoU in force is the latest signed version, else the latest (``assess``): any version will do here.
    """
    wanted = set(keys)
    with_mou = {doc.get("arrangement") for doc in store.docs(Memorandum)}
    by_state: dict[str, list[dict[str, Any]]] = defaultdict(list)
    states = {state for state, _ in wanted}
    for doc in store.docs(Arrangement):
        if doc["id"] in with_mou and doc.get("reporting_state") in states:
            by_state[doc["reporting_state"]].append(doc)
    quarters = {quarter for _, quarter in wanted}
    seen: set[tuple[str, str]] = set()  # (arrangement, quarter) with a progress record
    for cls in PROGRESS_TABLES:
        seen.update((doc.get("arrangement"), doc["quarter"]) for doc in store.docs(cls) if doc["quarter"] in quarters)
    out = {}
    for state, quarter in wanted:
        expected = sorted(doc["id"] for doc in by_state.get(state, ()) if reporting.doc_expected_in(doc, quarter))
        out[(state, quarter)] = Reporting(tuple(expected), tuple(k for k in expected if (k, quarter) in seen))
    return out
