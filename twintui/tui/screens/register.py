"""Screen 1: the Twinning Register — browse, filter, facet, sort, open, new, edit, delete."""

from __future__ import annotations

import gc
from dataclasses import replace
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import Input, Static
from textual.worker import Worker, WorkerState

from ...core.errors import TwintuiError
from ...core.model import Arrangement, Partner, vocab
from ...core.register import COLUMNS, FACETS, Filter, RegisterList, Row
from ..widgets.row_table import Column, RowTable
from .base import MainScreen


def _years(dates: str) -> str:
    """2025-01-01–2027-12-31 as 2025–2027 for narrow terminals."""
    if not dates:
        return ""
    start, _, end = dates.partition("–")
    return f"{start[:4]}–{end[:4]}"


# Register columns: fixed widths where the content has a known width.
TABLE_COLUMNS = [
    Column("id", "ID", 11),
    Column("state", "State", 5),
    Column("title", "Title", 0, share=3),
    Column("status", "Status", 9),
    Column("dates", "Start–end", 21, narrow=_years, narrow_width=9),
    Column("partners", "Partners", 0, share=2),
    Column("quarter", "Reported", 8),
]
assert [c.key for c in TABLE_COLUMNS] == [key for key, _ in COLUMNS]


# Facets listed in the guidelines' order; the others by how many records they hold.
FACET_ORDER = {"statuses": vocab.STATUSES, "activity_types": vocab.ACTIVITY_TYPES, "areas": vocab.AREAS}


def stale_marker(row: Row) -> str:
    return "!" if row.stale else ""


class RegisterScreen(MainScreen):
    MODE = "register"
    TITLE = "Register"
    HELP = ("The Twinning Register: every arrangement, one row each. '/' filters as you type (title, partners, "
            "best practices, lessons learned, contacts); 'f' narrows by state, status, activity type, area or "
            "quarter. '!' marks records not reported for more than one quarter. enter opens a record, 'n' "
            "starts a new one, 'e' edits the one under the cursor.")
    CSS_PATH = "register.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "focus_filter", "Filter", id="register.filter", tooltip="Filter the list as you type"),
        Binding("f", "facets", "Facets", id="register.facets",
                tooltip="Narrow by state, status, activity type, area, quarter"),
        Binding("s", "sort", "Sort", id="register.sort", tooltip="Sort by the next column"),
        Binding("r", "reverse", "Reverse", show=False, id="register.reverse", tooltip="Reverse the sort order"),
        Binding("n", "new", "New", id="register.new", tooltip="A new arrangement"),
        Binding("e", "edit", "Edit", id="register.edit", tooltip="Edit the arrangement under the cursor"),
        Binding("delete", "delete", "Delete", id="register.delete", tooltip="Delete the arrangement (asks first)"),
        Binding("c", "copy_id", "Copy ID", show=False, id="register.copy",
                tooltip="Copy the record ID to the clipboard (works over SSH)"),
        Binding("x", "clear_filter", "Clear", show=False, id="register.clear", tooltip="Clear filter and facets"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.register = RegisterList()
        self.filter = Filter()
        self.sort_key = "id"
        self.descending = False
        self.seen_txn = -1
        self.keep_id: str | None = None  # the row to put the cursor on after the next load

    def body(self) -> ComposeResult:
        with Horizontal(id="filter-bar"):
            yield Static("/", id="filter-prompt")
            yield Input(placeholder="filter: title, partner, practice, lesson, contact…", id="filter")
        yield Static("Loading the register…", id="register-status")
        yield RowTable(TABLE_COLUMNS, marker=stale_marker, id="register-table")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one(RowTable).set_sort(self.sort_key, self.descending)
        self.query_one(RowTable).focus()
        self.load()
        # Other officials write to the same store: look for their changes now and then.
        self.set_interval(3.0, self.poll_store)

    # -- loading ------------------------------------------------------------
    @work(thread=True, exclusive=True, exit_on_error=False, group="register-load", name="load-register")
    def load(self) -> tuple[RegisterList, int]:
        txn = self.store.txn
        return RegisterList.from_store(self.store, self.app.today), txn  # type: ignore[attr-defined]

    @work(thread=True, exclusive=True, exit_on_error=False, group="register-history", name="read-history")
    def read_history(self) -> None:
        """Read the audit log once in the background, so opening a record shows its history at once."""
        self.store.history("")

    @work(thread=True, exclusive=True, exit_on_error=False, group="register-poll", name="poll-register")
    def poll_store(self) -> int:
        return self.store.txn

    @on(Worker.StateChanged)
    def worker_done(self, event: Worker.StateChanged) -> None:
        """Results of this screen's workers arrive here, on the UI thread."""
        worker = event.worker
        if event.state == WorkerState.ERROR:
            error = worker.error
            message = str(error) if isinstance(error, TwintuiError) else f"{worker.name} failed: {error}"
            self.notify(message, severity="error", timeout=10)
            return
        if event.state != WorkerState.SUCCESS:
            return
        if worker.name == "load-register":
            first = self.seen_txn < 0
            self.register, self.seen_txn = worker.result
            self.refresh_rows(keep_id=self.keep_id)
            self.keep_id = None
            if first:
                self.read_history()
            # The register and the store's documents live as long as the app: move them out of
            # the garbage collector's sight, or every full collection walks them (100+ ms at 10k).
            gc.freeze()
        elif worker.name == "poll-register" and worker.result != self.seen_txn and self.seen_txn >= 0:
            self.load()
        elif worker.name == "open-editor":
            from .edit import ArrangementEditor

            arrangement, partners = worker.result
            self.app.push_screen(ArrangementEditor(self.store, arrangement, partners), self.after_edit)
        elif worker.name == "delete-arrangement":
            self.notify(f"{worker.result} deleted")
            self.register.remove(worker.result)
            self.refresh_rows()

    # -- the list -----------------------------------------------------------
    def refresh_rows(self, keep_id: str | None = None) -> None:
        table = self.query_one(RowTable)
        current = keep_id or (table.current.id if table.current else None)
        rows = self.register.query(self.filter, self.sort_key, self.descending)
        table.set_rows(rows, keep=(lambda row: row.id == current) if current else None)
        self.update_status(len(rows))

    def update_status(self, shown: int) -> None:
        total = len(self.register)
        order = dict(COLUMNS)[self.sort_key] + (" ▼" if self.descending else " ▲")
        facets = self.filter.describe()
        stale = sum(1 for row in self.query_one(RowTable).rows if row.stale)
        status = Text.assemble((f"{shown:,}", "bold"), f" of {total:,} arrangements · sorted by {order}")
        if stale:
            status.append(f" · {stale:,} stale (!)")
        if facets:
            status.append(f" · {facets}")
        self.query_one("#register-status", Static).update(status)

    @on(Input.Changed, "#filter")
    def filter_changed(self, event: Input.Changed) -> None:
        self.filter = replace(self.filter, text=event.value)
        self.refresh_rows()

    @on(Input.Submitted, "#filter")
    def filter_submitted(self) -> None:
        self.query_one(RowTable).focus()

    def key_escape(self) -> None:
        if self.focused is self.query_one("#filter", Input):
            self.query_one(RowTable).focus()

    @on(RowTable.HeaderClicked)
    def header_clicked(self, event: RowTable.HeaderClicked) -> None:
        if event.key == self.sort_key:
            self.descending = not self.descending
        else:
            self.sort_key, self.descending = event.key, False
        self.apply_sort()

    @on(RowTable.Selected)
    def row_selected(self, event: RowTable.Selected) -> None:
        self.open_record(event.row.id)

    # -- actions ------------------------------------------------------------
    def action_focus_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    def action_clear_filter(self) -> None:
        self.filter = Filter()
        self.query_one("#filter", Input).value = ""
        self.refresh_rows()

    def action_sort(self) -> None:
        keys = [key for key, _ in COLUMNS]
        self.sort_key = keys[(keys.index(self.sort_key) + 1) % len(keys)]
        self.descending = False
        self.apply_sort()

    def action_reverse(self) -> None:
        self.descending = not self.descending
        self.apply_sort()

    def apply_sort(self) -> None:
        self.query_one(RowTable).set_sort(self.sort_key, self.descending)
        self.refresh_rows()

    def action_facets(self) -> None:
        from .facets import Facet, FacetChoice, FacetScreen, Toggle

        counts = self.register.facet_counts(self.filter)
        # Vocabularies in the guidelines' order, quarters newest first, the rest by count.
        order = {**FACET_ORDER, "quarters": sorted(counts["quarters"], reverse=True)}
        facets = [Facet(name, label, counts[name], getattr(self.filter, name), order.get(name))
                  for name, label in FACETS]
        stale = Toggle("stale_only", "Only records not reported for more than one quarter (!)",
                       self.filter.stale_only)

        def chosen(result: FacetChoice | None) -> None:
            if result is not None:
                self.filter = replace(self.filter, **result.facets, **result.toggles)
                self.refresh_rows()

        self.app.push_screen(FacetScreen(facets, [stale]), chosen)

    def current_id(self) -> str | None:
        row = self.query_one(RowTable).current
        return row.id if row else None

    def open_record(self, arrangement_id: str) -> None:
        from .arrangement import ArrangementScreen

        self.app.push_screen(ArrangementScreen(arrangement_id), lambda _: self.reload_keeping(arrangement_id))

    def action_new(self) -> None:
        from .edit import ArrangementEditor

        self.app.push_screen(ArrangementEditor(self.store, None, []), self.after_edit)

    def action_edit(self) -> None:
        arrangement_id = self.current_id()
        if arrangement_id:
            self.edit(arrangement_id)

    @work(thread=True, exclusive=True, exit_on_error=False, group="register-open", name="open-editor")
    def edit(self, arrangement_id: str) -> tuple[Arrangement, list[Partner]]:
        return self.store.require(Arrangement, arrangement_id), self.store.children(Partner, arrangement_id)

    def after_edit(self, saved: Arrangement | None) -> None:
        if saved is not None:
            self.notify(f"{saved.id} saved (revision {saved.rev})")
            self.reload_keeping(saved.id)

    def reload_keeping(self, arrangement_id: str) -> None:
        self.keep_id = arrangement_id
        self.load()

    def action_delete(self) -> None:
        row = self.query_one(RowTable).current
        if row is None:
            return
        from .confirm import ConfirmScreen

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.delete(row.id)

        self.app.push_screen(ConfirmScreen(f"Delete {row.id} “{row.title}” with its partners and risks?\n"
                                           "The deletion is recorded in the audit log.", yes="Delete", no="Keep"),
                             confirmed)

    @work(thread=True, exclusive=True, exit_on_error=False, group="register-write", name="delete-arrangement")
    def delete(self, arrangement_id: str) -> str:
        self.store.delete(self.store.require(Arrangement, arrangement_id), "screen:register")
        return arrangement_id

    def action_copy_id(self) -> None:
        arrangement_id = self.current_id()
        if arrangement_id:
            self.app.copy_to_clipboard(arrangement_id)
            self.notify(f"copied {arrangement_id}")
