"""The comparisons list of the Compare partners screen (screen 2).

``CompareScreen`` lists the named comparisons, each with who is first and how
firm that is (``n`` new, ``enter`` open, ``e`` details, ``delete``, ``/`` filter,
``s``/``r`` sort); a comparison opens in ``ComparisonScreen`` (``screen.py``).
It is a ``ListScreen`` (``common/listing.py``): the filter and status lines, the
sort keys, loading, store-change reloads and the read-only refusals are there.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Static

from ...core import listing
from ...core.compare import Comparison, records
from ...core.compare.checks import tidy_details
from ...core.compare.listing import BY_NAME, LISTING, SORT_KEYS, Entry
from ...core.compare.records import ComparisonRecord
from ...core.errors import ConflictError
from ...core.text import plural, when
from ..common.listing import ListScreen, list_bindings
from ..common.row_table import Column, RowTable
from ..common.tasks import task
from .forms import AskScreen, details_asks, details_check
from .screen import ComparisonScreen


# At 80 columns the name keeps the most room; who is first and how firm that is (the README's promise)
# and the date of the last change are read whole; the organisation and the rest are in the preview.
LIST_COLUMNS = [
    Column("name", "Comparison", 0, share=3),
    Column("organisation", "Organisation", 0, share=2),
    Column("candidates", "Cand.", 5),
    Column("leader", "First", 12),
    Column("firm", "How firm", 8),
    Column("updated", "Updated", 10),
]


class CompareScreen(ListScreen):
    @dataclass
    class Opened(Message):
        comparison: Comparison
        then: str

    @dataclass
    class Created(Message):
        comparison: Comparison

    @dataclass
    class Deleted(Message):
        comparison: Comparison

    @dataclass
    class NotDeleted(Message):
        """Someone changed or deleted the comparison since the list was read."""

        conflict: ConflictError

    MODE = "compare"
    TITLE = "Compare partners"
    NAME = "compare"
    HELP = ("Compare candidate partners on the guidelines' ten factors: weights, scores, ranking, and how robust "
            "the ranking is. The list holds the named comparisons: enter opens one, n starts a new one (name, "
            "organisation, learning gap, end goal), e edits those details, delete removes it (asks first), "
            "/ filters the list, s sorts it by the next column and r reverses the order.")
    CSS_PATH = "compare.tcss"
    # The list from the first key on: keys typed with the 2 that opened the screen go to it, not the filter.
    AUTO_FOCUS = "#compare-table"
    SORT_COLUMNS = tuple((c.key, c.header) for c in LIST_COLUMNS)
    TABLE_COLUMNS = LIST_COLUMNS
    FILTER_HINT = "filter: name, organisation, candidate…"
    DESCENDING_FIRST = frozenset({"updated"})  # the latest change first

    BINDINGS: ClassVar[list[BindingType]] = [
        # e opens the comparison on its details, read-only for a user who may not change it (who is told so).
        *list_bindings("compare", "comparison", footer=("focus_filter", "new", "delete"),
                       leave_out=("edit",), tooltips={"new": "Start a new comparison",
                                                      "clear_filter": "Clear the filter"}),
        Binding("e", "details", "Details", id="compare.details",
                tooltip="Edit the name, organisation, learning gap and end goal of the comparison"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.filter = listing.TextFilter()
        self.entries: list[Entry] = []
        self.unreadable: list[str] = []
        self.keep_id: str | None = None

    def body(self) -> ComposeResult:
        yield from self.list_widgets()
        with VerticalScroll(id="compare-preview-scroll", can_focus=False):
            yield Static("", id="compare-preview", markup=False)

    # -- tasks ----------------------------------------------------------------
    def read(self) -> tuple[list[Entry], list[str]]:
        unreadable: list[str] = []
        found = records.load_all(self.store, unreadable)
        return [Entry.of(c) for c in found], unreadable

    def loaded(self, source: tuple[list[Entry], list[str]], first: bool) -> None:
        self.entries, self.unreadable = source

    def not_opened(self, failure: str | None) -> None:
        if failure is not None:  # (said already) deleted meanwhile, most likely: the list shows it gone
            self.load()

    @task("opening the comparison", group="compare-open", reset=not_opened)
    def open_comparison(self, comparison_id: str, then: str = "") -> Opened:
        return self.Opened(records.load(self.store, comparison_id), then)

    @on(Opened)
    def opened(self, event: Opened) -> None:
        self.show_comparison(event.comparison, event.then)

    @task("creating the comparison", group="compare-write")
    def create(self, values: dict[str, str]) -> Created:
        new = Comparison.new(**tidy_details(values))
        return self.Created(records.save(self.store, new, records.SOURCE_SCREEN))

    @on(Created)
    def created(self, event: Created) -> None:
        comparison = event.comparison
        self.notify(f"{comparison.name} created ({comparison.id}); add candidates with c", markup=False)
        self.keep_id = comparison.id
        self.load()
        self.show_comparison(comparison)

    @task("deleting the comparison", group="compare-write")
    def delete(self, comparison: Comparison) -> Deleted | NotDeleted:
        try:
            records.delete(self.store, comparison, records.SOURCE_SCREEN)
        except ConflictError as conflict:
            return self.NotDeleted(conflict)
        return self.Deleted(comparison)

    @on(Deleted)
    def deleted(self, event: Deleted) -> None:
        self.notify(f"{event.comparison.name} deleted", markup=False)
        self.load()

    @on(NotDeleted)
    def not_deleted(self, event: NotDeleted) -> None:
        self.notify(f"Not deleted: {event.conflict}. The list is reloaded; look again before deleting.",
                    severity="error", timeout=10, markup=False)
        self.load()

    # -- the list -------------------------------------------------------------
    def refresh_rows(self) -> None:
        table = self.table
        current = self.keep_id or (table.current.id if table.current else None)
        self.keep_id = None
        rows = LISTING.query(self.entries, self.filter, SORT_KEYS[self.sort_key], self.descending, then=BY_NAME)
        table.set_rows(rows, keep=(lambda row: row.id == current) if current else None)
        total = len(self.entries)
        status = Text.assemble((f"{len(rows)}", "bold"), f" of {plural(total, 'comparison')}")
        if not total:
            status = Text.assemble("No comparisons yet: press ", ("n", "bold"), " to start one.")
        if self.unreadable:
            status.append(f" · {len(self.unreadable)} cannot be read (twintui check)")
        if total:
            # Last: where the line is cut, the header still marks the sorted column (▲ ▼).
            status.append(f" · sorted by {self.sort_label()}")
        self.set_status(status)
        self.show_preview(table.current)

    def show_preview(self, entry: Entry | None) -> None:
        preview = self.query_one("#compare-preview", Static)
        if entry is None:
            preview.update("")
            return
        c = entry.comparison
        lines = [c.name]
        for label, value in (("Organisation", c.organisation), ("Learning gap", c.learning_gap),
                             ("End goal", c.end_goal)):
            if value:
                lines.append(f"{label}: {value}")
        names = ", ".join(x.name for x in c.candidates) or "none yet"
        lines.append(f"{len(c.factors)} factors · candidates: {names}")
        lines += [entry.leader_line, entry.verdict,
                  f"{c.id} · revision {c.rev} · last changed {when(c.updated_at)} by {c.updated_by}"]
        preview.update("\n".join(lines))

    @on(RowTable.Highlighted, "#compare-table")
    def highlighted(self, event: RowTable.Highlighted) -> None:
        self.show_preview(event.row)

    @on(RowTable.Selected, "#compare-table")
    def selected(self, event: RowTable.Selected) -> None:
        self.twintui.hold_keys(self.open_comparison(event.row.id))  # keys typed after enter: the comparison's

    def refusal(self, comparison: Comparison | None = None) -> str | None:
        """Why this user may not change ``comparison`` (or make a new one); None when they may."""
        if self.access is None:
            return None
        return self.access.refusal(ComparisonRecord.of(comparison or Comparison.new("new")))

    def refused(self, comparison: Comparison | None = None) -> bool:
        """Say why, before any form opens; True when refused."""
        return self.refuse(self.refusal(comparison))

    def action_refused(self, action: str) -> None:
        # A user who may change nothing is told in the core's words for the comparison (as before the
        # list was a list screen: "… has read-only access (browse and export)"), not ListScreen's.
        row = self.table.current
        if action == "new":
            self.refused()
        elif row is not None:
            self.refused(row.comparison)

    def action_new(self) -> None:
        if self.refused():
            return
        taken = {e.comparison.name for e in self.entries}

        def answered(values: dict[str, str] | None) -> None:
            if values is not None:
                self.twintui.hold_keys(self.create(values))

        self.app.push_screen(AskScreen(
            "New comparison", details_asks(),
            help="Who is choosing a partner, and for what. The ten factors of the guidelines come ready, "
                 "at weight 3; you add the candidates next.",
            check=details_check(taken)), answered)

    def action_details(self) -> None:
        row = self.table.current
        if row is not None:
            self.twintui.hold_keys(self.open_comparison(row.id, "details"))

    def show_comparison(self, comparison: Comparison, then: str = "") -> None:
        others = {e.comparison.name for e in self.entries if e.id != comparison.id}
        refusal = self.refusal(comparison)
        if refusal and then == "details":
            self.refused(comparison)
            return
        self.app.push_screen(ComparisonScreen(comparison, others, then=then, refusal=refusal), self.after_close)

    def after_close(self, comparison_id: str | None) -> None:
        self.keep_id = comparison_id
        self.load()

    def action_delete(self) -> None:
        row = self.table.current
        if row is None or self.refused(row.comparison):
            return
        self.confirm_delete(
            f"Delete the comparison “{row.comparison.name}” ({len(row.comparison.candidates)} candidates)?\n"
            "The deletion is recorded in the audit log.", lambda: self.delete(row.comparison))
