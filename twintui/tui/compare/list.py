"""The comparisons list of the Compare partners screen (screen 2).

``CompareScreen`` lists the named comparisons, each with who is first and how
firm that is (``n`` new, ``enter`` open, ``e`` details, ``delete``, ``/`` filter);
a comparison opens in ``ComparisonScreen`` (``screen.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Input, Static

from ...core import listing
from ...core.compare import Comparison, evaluate, records, sensitivity, wording
from ...core.compare.checks import tidy_details
from ...core.compare.records import ComparisonRecord
from ...core.compare.wording import verdict
from ...core.errors import ConflictError
from ...core.store.policy import Access
from ..common.base import MainScreen
from ..common.confirm import ConfirmScreen
from ..common.conflict import when
from ..store_watch import StoreChanged
from ..common.row_table import Column, RowTable
from ..common.tasks import task
from .forms import AskScreen, details_asks, details_check
from .screen import ComparisonScreen


@dataclass(frozen=True)
class Entry:
    """One comparison in the list, with what the preview shows (computed off the UI thread)."""

    comparison: Comparison
    leaders: str
    firm: str  # robust, fragile, tied or —
    leader_line: str
    verdict: str

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

    def matches(self, text: str) -> bool:
        c = self.comparison
        haystack = " ".join([c.name, c.organisation, c.learning_gap, c.end_goal,
                             *(x.name for x in c.candidates)]).casefold()
        return all(word in haystack for word in listing.words(text))

    @classmethod
    def of(cls, comparison: Comparison) -> Entry:
        ev = evaluate(comparison)
        sens = sensitivity(comparison)
        return cls(comparison, " and ".join(ev.leaders) or "—", wording.firmness(comparison, ev, sens),
                   wording.leader_line(comparison, ev), verdict(comparison, ev, sens))


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


class CompareScreen(MainScreen):
    @dataclass
    class Loaded(Message):
        entries: list[Entry]
        unreadable: list[str]
        txn: int
        access: Access

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
    HELP = ("Compare candidate partners on the guidelines' ten factors: weights, scores, ranking, and how robust "
            "the ranking is. The list holds the named comparisons: enter opens one, n starts a new one (name, "
            "organisation, learning gap, end goal), e edits those details, delete removes it (asks first), "
            "/ filters the list.")
    CSS_PATH = "compare.tcss"
    # The list from the first key on: keys typed with the 2 that opened the screen go to it, not the filter.
    AUTO_FOCUS = "#compare-table"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new", "New", id="compare.new", tooltip="Start a new comparison"),
        Binding("e", "details", "Details", id="compare.details",
                tooltip="Edit the name, organisation, learning gap and end goal of the comparison"),
        Binding("delete", "delete", "Delete", id="compare.delete", tooltip="Delete the comparison (asks first)"),
        Binding("slash", "focus_filter", "Filter", id="compare.filter", tooltip="Filter the list as you type"),
        Binding("x", "clear_filter", "Clear", show=False, id="compare.clear", tooltip="Clear the filter"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.entries: list[Entry] = []
        self.unreadable: list[str] = []
        self.seen_txn = -1
        self.keep_id: str | None = None
        self.access: Access | None = None  # read with the list: what this user may change

    def body(self) -> ComposeResult:
        with Horizontal(id="compare-filter-bar"):
            yield Static("/", id="compare-filter-prompt")
            yield Input(placeholder="filter: name, organisation, candidate…", id="compare-filter")
        yield Static("Loading the comparisons…", id="compare-status")
        yield RowTable(LIST_COLUMNS, id="compare-table")
        with VerticalScroll(id="compare-preview-scroll", can_focus=False):
            yield Static("", id="compare-preview", markup=False)

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one(RowTable).focus()
        self.load()

    # -- tasks ----------------------------------------------------------------
    @task("reading the comparisons", group="compare-load")
    def load(self) -> Loaded:
        txn = self.store.txn
        unreadable: list[str] = []
        found = records.load_all(self.store, unreadable)
        return self.Loaded([Entry.of(c) for c in found], unreadable, txn, self.store.access())

    @on(Loaded)
    def loaded(self, event: Loaded) -> None:
        self.entries, self.unreadable, self.seen_txn, self.access = (event.entries, event.unreadable, event.txn,
                                                                     event.access)
        self.refresh_rows(self.keep_id)
        self.keep_id = None

    @on(StoreChanged)
    def follow_store(self, event: StoreChanged) -> None:
        """Another official's change (the app's store watcher): read the list again."""
        if event.txn != self.seen_txn and self.seen_txn >= 0:
            self.load()

    def not_opened(self, failure: str | None) -> None:
        if failure is not None:  # (said already) the comparison may be gone: the list is read again
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
    @property
    def table(self) -> RowTable:
        return self.query_one("#compare-table", RowTable)

    def refresh_rows(self, keep_id: str | None = None) -> None:
        table = self.table
        current = keep_id or (table.current.id if table.current else None)
        text = self.query_one("#compare-filter", Input).value
        rows = [e for e in self.entries if e.matches(text)] if text.strip() else list(self.entries)
        table.set_rows(rows, keep=(lambda row: row.id == current) if current else None)
        total = len(self.entries)
        status = f"[b]{len(rows)}[/b] of {total} comparison{'s' if total != 1 else ''}"
        if not total:
            status = "No comparisons yet: press [b]n[/b] to start one."
        if self.unreadable:
            status += f" · {len(self.unreadable)} cannot be read (twintui check)"
        self.query_one("#compare-status", Static).update(status)
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

    @on(Input.Changed, "#compare-filter")
    def filter_changed(self) -> None:
        self.refresh_rows()

    @on(Input.Submitted, "#compare-filter")
    def filter_submitted(self) -> None:
        self.table.focus()

    def key_escape(self) -> None:
        if self.focused is self.query_one("#compare-filter", Input):
            self.table.focus()

    # -- actions --------------------------------------------------------------
    def action_focus_filter(self) -> None:
        self.query_one("#compare-filter", Input).focus()

    def action_clear_filter(self) -> None:
        self.query_one("#compare-filter", Input).value = ""
        self.refresh_rows()

    def refusal(self, comparison: Comparison | None = None) -> str | None:
        """Why this user may not change ``comparison`` (or make a new one); None when they may."""
        if self.access is None:
            return None
        return self.access.refusal(ComparisonRecord.of(comparison or Comparison.new("new")))

    def refused(self, comparison: Comparison | None = None) -> bool:
        """Say why, before any form opens; True when refused."""
        refusal = self.refusal(comparison)
        if refusal:
            self.notify(refusal, title="Not allowed", severity="warning", timeout=8, markup=False)
        return bool(refusal)

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

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.delete(row.comparison)

        self.app.push_screen(ConfirmScreen(
            f"Delete the comparison “{row.comparison.name}” ({len(row.comparison.candidates)} candidates)?\n"
            "The deletion is recorded in the audit log.", yes="Delete", no="Keep"), confirmed)
