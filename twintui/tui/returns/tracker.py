"""The rows of the Returns screen: one per state and quarter, with filter, facets, sort and details.

The core's ``returns_status`` gives the tracker (sent, received, overdue); this
module turns it into what the screen lists: cells for the table, the text of
the detail panel under it, and filtering and sorting done on plain lists
(a tracker holds states × quarters, a few hundred rows at most). No widget
here, so it is tested without a terminal.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from operator import attrgetter
from pathlib import Path

from rich.text import Text

from ...core import listing
from ...core.text import plural
from ...core.workbook import ReturnStatus

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
    ("status", "Status"),
]
FACETS = [("states", "State"), ("statuses", "Status"), ("quarters", "Quarter")]


def stamp(value: str) -> str:
    """2026-11-20T09:30:00+00:00 as 2026-11-20 09:30."""
    return value[:16].replace("T", " ") if value else ""


@dataclass(frozen=True)
class ReturnRow:
    """One state's return for one quarter, as the screen shows it."""

    status_row: ReturnStatus
    state_name: str = ""
    export_path: Path | None = None  # the file this session wrote, if it exported this return

    @property
    def key(self) -> tuple[str, str]:
        return (self.state, self.quarter)

    @property
    def state(self) -> str:
        return self.status_row.state

    @property
    def quarter(self) -> str:
        return self.status_row.quarter

    @property
    def status(self) -> str:
        return self.status_row.status

    @property
    def overdue(self) -> bool:
        return self.status_row.overdue

    def cell(self, key: str) -> str:
        r = self.status_row
        if key == "due":
            return r.due.isoformat()
        if key == "exported":
            return f"{stamp(r.tracked.exported_at)[:10]} {r.tracked.exported_by}".strip()
        if key == "received":
            return f"{stamp(r.tracked.received_at)[:10]} {r.tracked.received_by}".strip()
        if key == "file":
            return r.tracked.received_file
        if key == "applied":
            return applied(r)
        if key == "status":
            return r.status.upper() if r.status == "overdue" else r.status
        return str(getattr(self, key, ""))

    def words(self) -> str:
        """Everything '/' searches, lower case."""
        r = self.status_row
        words = (r.state, self.state_name, r.quarter, r.status, r.tracked.exported_by, r.tracked.received_by, r.tracked.received_file,
                 r.tracked.export_id)
        return " ".join(words).casefold()

    def facet(self, name: str) -> str:
        return {"states": self.state, "statuses": self.status, "quarters": self.quarter}[name]


def applied(r: ReturnStatus) -> str:
    """Records the import applied: '+1 ~2' (1 new, 2 changed); blank before the return came back."""
    if r.tracked.applied_new is None and r.tracked.applied_changed is None:
        return ""
    return f"+{r.tracked.applied_new or 0} ~{r.tracked.applied_changed or 0}"


def overdue_marker(row: ReturnRow) -> str:
    return "!" if row.overdue else ""


def short_stamp(value: str) -> str:
    """'2026-11-20 focal.point' as '11-20 focal.point' when the table is narrow."""
    return value[5:] if len(value) >= 10 and value[4] == "-" else value


def short_date(value: str) -> str:
    return value[5:] if len(value) == 10 else value


def short_file(value: str) -> str:
    return value.removeprefix("twintui-return-")


@dataclass(frozen=True)
class TrackerFilter:
    """What the list is narrowed to; empty sets mean any."""

    text: str = ""
    states: frozenset[str] = frozenset()
    statuses: frozenset[str] = frozenset()
    quarters: frozenset[str] = frozenset()

    def describe(self) -> str:
        return " · ".join(listing.chosen(self, FACETS))


LISTING: listing.Listing[ReturnRow, TrackerFilter] = listing.Listing(
    facets={name: (lambda row, _, name=name: (row.facet(name),)) for name, _ in FACETS},
    text=ReturnRow.words,
)


def _sort_value(row: ReturnRow, key: str) -> object:
    r = row.status_row
    if key == "status":
        return STATUSES.index(r.status)
    if key == "applied":
        return (r.tracked.applied_new or 0) + (r.tracked.applied_changed or 0)
    if key == "exported":
        return r.tracked.exported_at
    if key == "received":
        return r.tracked.received_at
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

    def load(self, statuses: Iterable[ReturnStatus], names: dict[str, str]) -> None:
        self.rows = [ReturnRow(s, names.get(s.state, ""), self.exports.get((s.state, s.quarter)))
                     for s in statuses]

    def exported(self, state: str, quarter: str, path: Path) -> None:
        self.exports[(state, quarter)] = path
        self.rows = [replace(row, export_path=path) if row.key == (state, quarter) else row for row in self.rows]


def detail(row: ReturnRow | None, today: dt.date) -> Text:
    """The panel under the table: everything about the row under the cursor, in full."""
    if row is None:
        return Text("No return matches. c clears the filters; x exports a state's return.", style="dim")
    r = row.status_row
    head = Text.assemble((f"{r.state}", "bold"), f" {row.state_name}" if row.state_name else "",
                         f" · {r.quarter} · due {r.due.isoformat()} · ")
    if r.status == "overdue":
        late = (today - r.due).days
        head.append(f"! OVERDUE, {plural(late, 'day')} late", style="bold")
    else:
        head.append(f"{r.status}: {STATUS_MEANING[r.status]}")
    lines = [head]
    if r.tracked.exported_at:
        sent = Text.assemble(("Exported ", "bold"), f"{stamp(r.tracked.exported_at)} by {r.tracked.exported_by}")
        if r.tracked.export_id:
            sent.append(f" · export {r.tracked.export_id}")
        lines.append(sent)
    else:
        lines.append(Text.assemble(("Exported ", "bold"), "not yet (x exports it)"))
    if r.tracked.received_at:
        back = Text.assemble(("Received ", "bold"), f"{stamp(r.tracked.received_at)} by {r.tracked.received_by}")
        if r.tracked.received_file:
            back.append(f" · {r.tracked.received_file}")
        if r.tracked.received_sha256:
            back.append(f" · sha256 {r.tracked.received_sha256[:12]}…")
        back.append(f" · applied {r.tracked.applied_new or 0} new, {r.tracked.applied_changed or 0} changed")
        lines.append(back)
    else:
        lines.append(Text.assemble(("Received ", "bold"), "not yet (i imports the file the state sent back)"))
    # Last: a long path wraps, and the panel shows a few lines only.
    if r.tracked.exported_at and row.export_path is not None:
        lines.append(Text.assemble("Written to ", (str(row.export_path), "underline")))
    return Text("\n").join(lines)
