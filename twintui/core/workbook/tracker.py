"""The returns tracker as a list: one row per state and quarter, with its cells, filter, facets and sort.

``returns_status`` (``returns.py``) says where each return stands (sent, received,
overdue); this module turns it into what the Returns screen lists: the statuses
and what each means, the columns and their cells, the facets, and filtering and
sorting done on plain lists (a tracker holds states × quarters, a few hundred
rows at most), as ``core.register`` does for the Register. The screen asks these
answers and only draws them (``tui/returns/tracker.py``: the detail panel's styles
and the narrow cells).

Decision: it lives in ``core/workbook/``, beside ``returns_status``, because the
house plan keeps the returns' core there; it is named ``tracker`` like the screen
module that draws it, so one concern has one name on both sides.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields, replace
from operator import attrgetter
from pathlib import Path

from .. import listing
from ..progress.standing import PROGRESS_STATUSES, Reporting
from .returns import ReturnStatus

# Most urgent first: what a maintainer chases before what is done.
STATUSES = ("overdue", "due", "sent", "reported", "received")
STATUS_MEANING = {
    "overdue": "past its due date, not received, and an arrangement that ran in the quarter has not reported it",
    "due": "not exported yet, not due yet",
    "sent": "exported, waiting for the state to send it back",
    "reported": "no file came back, but every arrangement that ran in the quarter has reported it",
    "received": "imported",
}
# (key, label) of the sortable columns, in table order.
COLUMNS = [
    ("state", "State"),
    ("quarter", "Quarter"),
    ("due", "Due"),
    ("exported", "Exported"),
    ("received", "Received"),
    ("file", "File"),
    ("applied", "Applied"),
    ("progress", "Progress"),
    ("status", "Status"),
]
FACETS = [("states", "State"), ("statuses", "Status"), ("quarters", "Quarter"), ("progress", "Progress")]
# Progress (the MoU objectives' values, the plan, the spending) is reported in the return's Progress sheet
# by the arrangements with an MoU in force (``core.progress.standing.progress_reported``).
PROGRESS_MEANING = {
    "missing": "no arrangement with an MoU in force has reported progress for the quarter",
    "partly": "some of the arrangements with an MoU in force have reported progress for the quarter",
    "reported": "every arrangement with an MoU in force has reported progress for the quarter",
    "none owed": "no arrangement with an MoU ran in the quarter",
}


def stamp(value: str) -> str:
    """2026-11-20T09:30:00+00:00 as 2026-11-20 09:30."""
    return value[:16].replace("T", " ") if value else ""


@dataclass(frozen=True, slots=True)
class ReturnRow(ReturnStatus):
    """One state's return for one quarter as the screen lists it: its status, the state's name, the file written."""

    state_name: str = ""
    export_path: Path | None = None  # the file this session wrote, if it exported this return
    progress: Reporting | None = None  # who owes and who reported progress (None: nobody owes it)

    @classmethod
    def of(cls, status: ReturnStatus, state_name: str = "", export_path: Path | None = None,
           progress: Reporting | None = None) -> ReturnRow:
        return cls(**{f.name: getattr(status, f.name) for f in fields(ReturnStatus)},
                   state_name=state_name, export_path=export_path, progress=progress)

    @property
    def progress_status(self) -> str:
        """missing, partly, reported or none owed (``PROGRESS_MEANING``)."""
        return self.progress.status if self.progress is not None else "none owed"

    @property
    def key(self) -> tuple[str, str]:
        return (self.state, self.quarter)

    def cell(self, key: str) -> str:
        if key == "due":
            return self.due.isoformat()
        if key == "exported":
            return f"{stamp(self.tracked.exported_at)[:10]} {self.tracked.exported_by}".strip()
        if key == "received":
            return f"{stamp(self.tracked.received_at)[:10]} {self.tracked.received_by}".strip()
        if key == "file":
            return self.tracked.received_file
        if key == "applied":
            return applied(self)
        if key == "status":
            return self.status.upper() if self.status == "overdue" else self.status
        if key == "progress":
            return self.progress.cell() if self.progress is not None else ""
        return str(getattr(self, key, ""))

    def words(self) -> str:
        """Everything '/' searches, lower case."""
        t = self.tracked
        words = (self.state, self.state_name, self.quarter, self.status, t.exported_by, t.received_by,
                 t.received_file, t.export_id, f"progress {self.progress_status}" if self.progress else "")
        return " ".join(words).casefold()

    def facet(self, name: str) -> str:
        if name == "progress":
            return self.progress_status
        return {"states": self.state, "statuses": self.status, "quarters": self.quarter}[name]


def applied(r: ReturnStatus) -> str:
    """Records the import applied: '+1 ~2' (1 new, 2 changed); blank before the return came back."""
    if r.tracked.applied_new is None and r.tracked.applied_changed is None:
        return ""
    return f"+{r.tracked.applied_new or 0} ~{r.tracked.applied_changed or 0}"


@dataclass(frozen=True)
class TrackerFilter:
    """What the list is narrowed to; empty sets mean any."""

    text: str = ""
    states: frozenset[str] = frozenset()
    statuses: frozenset[str] = frozenset()
    quarters: frozenset[str] = frozenset()
    progress: frozenset[str] = frozenset()

    def describe(self) -> str:
        return " · ".join(listing.chosen(self, FACETS))


LISTING: listing.Listing[ReturnRow, TrackerFilter] = listing.Listing(
    facets={name: (lambda row, _, name=name: (row.facet(name),)) for name, _ in FACETS},
    text=ReturnRow.words,
)


def _sort_value(row: ReturnRow, key: str) -> object:
    if key == "status":
        return STATUSES.index(row.status)
    if key == "progress":
        return PROGRESS_STATUSES.index(row.progress_status)
    if key == "applied":
        return (row.tracked.applied_new or 0) + (row.tracked.applied_changed or 0)
    if key == "exported":
        return row.tracked.exported_at
    if key == "received":
        return row.tracked.received_at
    return row.cell(key).casefold()


def query(rows: Iterable[ReturnRow], wanted: TrackerFilter, sort: str = "quarter",
          descending: bool = True) -> list[ReturnRow]:
    """The rows the filter keeps, sorted by ``sort``; ties newest quarter first, then by state."""
    return LISTING.query(rows, wanted, lambda row: _sort_value(row, sort), descending,
                         then=[(attrgetter("quarter"), True), (attrgetter("state"), False)])


def facet_counts(rows: Sequence[ReturnRow], wanted: TrackerFilter) -> dict[str, Counter[str]]:
    """For each facet, how many rows each value would show given the other choices."""
    return LISTING.facet_counts(rows, wanted)


@dataclass
class Tracker:
    """The loaded rows and what this session exported (paths are not in the store, only file names)."""

    rows: list[ReturnRow] = field(default_factory=list)
    exports: dict[tuple[str, str], Path] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.rows)

    def load(self, statuses: Iterable[ReturnStatus], names: dict[str, str],
             progress: dict[tuple[str, str], Reporting] | None = None) -> None:
        """The rows of ``statuses``; ``progress``: who reported progress, per (state, quarter) (``progress_reported``)."""
        progress = progress or {}
        self.rows = [ReturnRow.of(s, names.get(s.state, ""), self.exports.get((s.state, s.quarter)),
                                  progress.get((s.state, s.quarter))) for s in statuses]

    def exported(self, state: str, quarter: str, path: Path) -> None:
        self.exports[(state, quarter)] = path
        self.rows = [replace(row, export_path=path) if row.key == (state, quarter) else row for row in self.rows]
